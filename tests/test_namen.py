"""StatLine downloads with names only (no "Codering"): codes given back, ambiguous names listed, nothing guessed.

The national file (``tests/landelijk.py``, 18,000+ rows of 342 gemeenten) is written here without its code
column, with wijk and buurt names that recur across gemeenten ("Wijk 01 Noord", "Centrum"). What a test
expects is computed from the rows written to the file, never from wijkkit's output.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.landelijk import build
from wijkkit.config import Project, init_project
from wijkkit.errors import WijkkitInputError
from wijkkit.tellen.laden import load_indicators
from wijkkit.tellen.namen import Naamgeving, herleid, shipped_gemeenten

INWONERS = "Bevolking/Aantal inwoners (aantal)"


@pytest.fixture(scope="module")
def landelijk(tmp_path_factory):
    return build(tmp_path_factory.mktemp("nl") / "kwb-2024-nederland-namen.csv", namen_alleen=True)


def kaart_van(landelijk) -> tuple[dict[str, str], dict[str, str]]:
    """What a national buurtkaart says: gemeente, wijk and buurt codes with their names (wijk names without the
    "Wijk 03" that StatLine puts before them)."""
    gemeenten = {r["code"]: r["naam"] for r in landelijk.rijen if r["code"].startswith("GM")}
    gebieden = {r["code"]: re.sub(r"^Wijk \w\w ", "", r["naam"]) for r in landelijk.rijen
                if r["code"].startswith(("WK", "BU"))}
    return gemeenten, gebieden


def inwoners_per_code(table) -> dict[str, float]:
    part = table[table["indicator"] == "a_inw"]
    return dict(zip(part["gebied_code"].astype(str), part["waarde"]))


def test_the_file_has_no_codes_and_names_recur(landelijk):
    header = landelijk.path.read_text(encoding="utf-8-sig").splitlines()[0]
    assert "Codering" not in header
    assert len(landelijk.rijen) >= 18_000 and len(landelijk.gemeenten()) == 342
    buurten = [r["naam"] for r in landelijk.rijen if r["code"].startswith("BU")]
    wijken = [r["naam"] for r in landelijk.rijen if r["code"].startswith("WK")]
    assert len(set(buurten)) < 10 < len(buurten) and len(set(wijken)) < 400 < len(wijken)


def test_every_code_of_a_national_file_is_given_back_exactly(landelijk):
    gemeenten, gebieden = kaart_van(landelijk)
    table = load_indicators(landelijk.path, naamgeving=Naamgeving(gemeenten, gebieden), cache=False)
    assert table.attrs["meldingen"] == []
    got = inwoners_per_code(table)
    assert set(got) == {r["code"] for r in landelijk.rijen}
    for row in landelijk.rijen:
        assert got[row["code"]] == row[INWONERS], row["code"]
    names = dict(zip(table["gebied_code"].astype(str), table["gebied_naam"].astype(str)))
    assert all(names[r["code"]] == r["naam"] for r in landelijk.rijen)


def test_ambiguous_and_unknown_names_are_listed_never_guessed(landelijk):
    gemeenten, gebieden = kaart_van(landelijk)
    # a buurtkaart with two buurten of one wijk under the same name: which one the file means is unknowable
    wijk = "WK036100"
    buurten = sorted(c for c in gebieden if c.startswith("BU" + wijk[2:]))
    gebieden[buurten[1]] = gebieden[buurten[0]]
    # a gemeente nobody's list names
    weg = "GM0599"
    del gemeenten[weg]
    table = load_indicators(landelijk.path, naamgeving=Naamgeving(gemeenten, gebieden), cache=False)
    got = inwoners_per_code(table)
    # the buurt whose name the kaart now gives twice, the buurt whose own name the kaart lost, and Rotterdam
    missing = set(buurten[:2]) | {r["code"] for r in landelijk.van(weg)}
    assert set(got) == {r["code"] for r in landelijk.rijen} - missing
    [melding] = table.attrs["meldingen"]
    assert f"{len(missing)} rijen niet" in melding
    assert landelijk.rij(buurten[0])["naam"] in melding and "meer buurten met deze naam" in melding
    assert landelijk.rij(weg)["naam"] in melding


def test_a_gemeente_from_the_shipped_list():
    known = shipped_gemeenten()
    assert known["GM0363"] == "Amsterdam" and known["GM0518"] == "'s-Gravenhage"
    found = herleid(["Amsterdam", "Wijk AA Burgwallen-Oude Zijde", "Kop Zeedijk"], Naamgeving.voor())
    assert found.codes[:2] == ["GM0363", "WK0363AA"]
    assert found.codes[2] == "" and found.gemist[0][1] == "Kop Zeedijk"  # no buurtkaart: not guessed


def test_statline_names_with_gemeente_suffix_match():
    found = herleid(["Utrecht (gemeente)", "Wijk 03 Overvecht"], Naamgeving.voor())
    assert found.codes == ["GM0344", "WK034403"]


def test_a_gemeente_download_in_a_project_with_a_buurtkaart(tmp_path, landelijk):
    """A newcomer's own gemeente: a names-only download of one gemeente and the buurtkaart as GeoJSON."""
    gemeente = "GM0361"
    rows = landelijk.van(gemeente)
    root = init_project(tmp_path / "alkmaar", naam="Alkmaar", gemeente=gemeente)
    herkomst = "Bevolking/Herkomst/Buiten Europa (aantal)"  # not in the catalogue: 'Overige cijfers'
    header = ["Wijken en buurten", INWONERS, herkomst]
    lines = [";".join(f'"{h}"' for h in header)]
    for row in [landelijk.rij(gemeente), *rows[1:]]:
        lines.append(f'"{row["naam"]}";"{row[INWONERS]}";"{row[INWONERS] // 3}"')
    (root / "data" / "kwb-2024-alkmaar.csv").write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    features = []
    for i, row in enumerate(r for r in rows if r["code"].startswith("BU")):
        x, y = 110_000 + 500 * i, 515_000  # RD New metres, no crs member: as a gemeente's own export
        features.append({"type": "Feature", "properties": {
            "buurtcode": row["code"], "buurtnaam": row["naam"], "wijkcode": "WK" + row["code"][2:8],
            "gemeentecode": gemeente, "gemeentenaam": "Alkmaar"},
            "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x, y + 400], [x + 400, y + 400],
                                                             [x + 400, y], [x, y]]]}})
    (root / "data" / "buurten.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    toml = (root / "wijkkit.toml").read_text(encoding="utf-8")
    if "[kaart]" not in toml or "\n[kaart]" not in toml.replace("# [kaart]", ""):
        toml += '\n[kaart]\nbestand = "data/buurten.geojson"\ncode = "buurtcode"\nnaam = "buurtnaam"\n'
    (root / "wijkkit.toml").write_text(toml, encoding="utf-8")
    proj = Project.load(root)
    table = proj.load_indicators()
    got = inwoners_per_code(table)
    assert got == {r["code"]: r[INWONERS] for r in [landelijk.rij(gemeente), *rows[1:]]}
    assert table.attrs["meldingen"] == []
    from wijkkit.tellen.profiel import wijkprofiel

    wijk = next(r for r in rows if r["code"].startswith("WK"))
    profiel = wijkprofiel(table, wijk["code"], catalogus=proj.catalogus).set_index("label")
    overig = profiel.loc["Bevolking / Herkomst / Buiten Europa"]
    assert overig["domein_label"] == "Overige cijfers" and overig["eenheid"] == "aantal"
    assert overig["waarde"] == wijk[INWONERS] // 3


def test_without_a_buurtkaart_the_buurten_are_named_not_guessed(tmp_path, landelijk):
    gemeente = "GM0361"
    rows = [landelijk.rij(gemeente), *landelijk.van(gemeente)[1:]]
    path = tmp_path / "kwb-2024-alkmaar.csv"
    path.write_text('"Wijken en buurten";"' + INWONERS + '"\n' +
                    "".join(f'"{r["naam"]}";"{r[INWONERS]}"\n' for r in rows), encoding="utf-8-sig")
    table = load_indicators(path, naamgeving=Naamgeving.voor(), cache=False)
    got = inwoners_per_code(table)
    assert set(got) == {r["code"] for r in rows if not r["code"].startswith("BU")}
    [melding] = table.attrs["meldingen"]
    buurten = [r for r in rows if r["code"].startswith("BU")]
    assert f"{len(buurten)} rijen niet" in melding and "geen buurtkaart" in melding


def test_without_any_name_list_the_old_message_stands(tmp_path):
    path = tmp_path / "kwb-2024-onbekend.csv"
    path.write_text('"Wijken en buurten";"' + INWONERS + '"\n"Nergenshuizen";"12"\n"Ergens";"3"\n',
                    encoding="utf-8-sig")
    with pytest.raises(WijkkitInputError) as info:
        load_indicators(path, naamgeving=Naamgeving.voor(), cache=False)
    assert "Codering" in str(info.value) and "Nergenshuizen" in str(info.value)


def test_a_real_statline_download_without_its_codes(tmp_path, real_cbs):
    """CBS's own Utrecht download (Nabijheid voorzieningen 2019) with its "Codering" column taken out here; the
    buurt names are looked up in the 2023 KWB file's names (a stand-in for the buurtkaart). Every code given back
    must be the one CBS wrote; a buurt whose name changed since 2019 is listed, never guessed."""
    import csv

    from wijkkit.tellen.readers import read_kwb

    source = real_cbs.parent / "statline" / "nabijheid-buurt-2019-gewone-csv.csv"
    if not source.exists():
        pytest.skip("echte StatLine-download niet aanwezig (../shared/data/statline)")
    rows = list(csv.reader(source.open(encoding="utf-8-sig"), delimiter=";"))
    codering = rows[0].index("Regioaanduiding/Codering (code)")
    truth = {r[0].strip(): r[codering].strip() for r in rows[1:] if len(r) > codering}
    path = tmp_path / "nabijheid-2019-namen.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerows([c for k, c in enumerate(r) if k != codering] for r in rows)
    kwb = read_kwb(real_cbs / "CBS-Utrecht-kwb-2023.xlsx", 2023)
    names = kwb[["gebied_code", "gebied_naam"]].drop_duplicates().astype(str)
    gebieden = {c: n for c, n in names.itertuples(index=False) if c.startswith("BU")}
    table = load_indicators(path, naamgeving=Naamgeving.voor(gebieden=gebieden), cache=False)
    got = dict(zip(table["gebied_code"].astype(str), table["gebied_naam"].astype(str)))
    assert got, "geen enkele code teruggevonden"
    for code, naam in got.items():
        assert truth[naam] == code, naam
    assert {"NL00", "GM0344", "WK034401"} <= set(got)
    missing = set(truth) - set(got.values())
    for naam in missing:
        assert f"'{naam}'" in " ".join(table.attrs["meldingen"])
