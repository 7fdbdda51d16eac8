"""Every CBS flavour users download: StatLine CSV with symbols, plain CSV, the older layout, national
files with Amsterdam's letter codes, files without codes, overlapping downloads, boundary files.

Values are checked against an independent read of the same file (the csv module), never against
wijkkit's own output."""

from __future__ import annotations

import csv
import json
import math
import random
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from tests.conftest import ROOT
from wijkkit.errors import WijkkitInputError
from wijkkit.tellen.catalogus import load_catalogus
from wijkkit.tellen.laden import detect_format, load_indicators
from wijkkit.tellen.readers import read_kwb, read_statline
from wijkkit.tellen.schema import niveau_of

SHARED = ROOT.parent / "shared" / "data"


def shared(*parts):
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"echte bestanden ontbreken ({path})")
    return path


def independent(path, delimiter=";"):
    """Header and rows of a StatLine CSV read with the csv module only."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=delimiter))
    return rows[0], rows[1:]


def number(cell: str) -> float:
    cell = cell.strip()
    return float(cell.replace(",", ".")) if cell not in ("", ".", "x", "-") else math.nan


@pytest.mark.parametrize("name,code_col,decimal", [("nabijheid-buurt-2019-gewone-csv.csv",
                                                     "Regioaanduiding/Codering (code)", ","),
                                                    ("ses-woa-2019.csv", "Regiocode (gemeente, wijk, buurt) (code)",
                                                     ".")])
def test_real_statline_downloads_match_an_independent_read(name, code_col, decimal):
    path = shared("statline", name)
    assert detect_format(path) == "statline"  # by content
    df = read_statline(path)
    header, rows = independent(path)
    code_idx = header.index(code_col)
    skip = {"Wijken en buurten", "Perioden", code_col} | {h for h in header if h.startswith("Regioaanduiding")}
    checked = 0
    table = df.set_index(["gebied_code", "indicator"])["waarde"]
    for row in rows:
        code = row[code_idx].strip()
        for h, cell in zip(header, row):
            if h in skip:
                continue
            indicator = h.rsplit(" (", 1)[0]
            expected = number(cell)
            got = table[(code, indicator)]
            assert (math.isnan(expected) and math.isnan(got)) or got == pytest.approx(expected), (code, h, cell)
            checked += 1
    assert checked == len(rows) * len([h for h in header if h not in skip]) > 1000
    assert any(decimal in cell for row in rows for cell in row[5:])  # the file really uses this separator


def test_catalogue_maps_every_indicator_of_nabijheid_and_ses_woa():
    catalogus = load_catalogus()
    nabijheid = catalogus.normalise(read_statline(shared("statline", "nabijheid-buurt-2019-gewone-csv.csv")))
    ids = set(nabijheid["indicator"].astype(str))
    assert {"g_afs_hp", "g_afs_gs", "g_afs_kv", "g_afs_sc", "g_3km_sc"} <= ids
    header, rows = independent(shared("statline", "nabijheid-buurt-2019-gewone-csv.csv"))
    col = header.index("Onderwijs/Basisonderwijs/Afstand tot school (km)")  # not the secondary school one
    utrecht = next(r for r in rows if r[3].strip() == "GM0344")
    got = nabijheid[(nabijheid.gebied_code == "GM0344") & (nabijheid.indicator == "g_afs_sc")]["waarde"].iloc[0]
    assert got == number(utrecht[col])
    ses = catalogus.normalise(read_statline(shared("statline", "ses-woa-2019.csv")))
    assert {"ses_woa", "ses_woa_spreiding", "p_opl_lg", "p_opl_hg", "a_hh"} <= set(ses["indicator"].astype(str))


def test_older_statline_layout_is_recognised_and_refused_with_one_message(isolated_cache):
    path = shared("statline", "kwb-2015-oude-indeling.csv")
    assert detect_format(path) == "statline"  # "kerncijfers" in the name does not make it a KWB file
    with pytest.raises(WijkkitInputError) as info:
        load_indicators(path)
    assert len(info.value.problemen) == 1
    message = str(info.value)
    assert "oudere StatLine-indeling" in message and "Codering" in message and "verwacht 1 velden" not in message
    assert not list(isolated_cache.glob("*.arrow")) if isolated_cache.exists() else True


def test_older_layout_with_codes_is_read(tmp_path):
    path = tmp_path / "Kerncijfers_wijken_en_buurten.csv"
    path.write_text('"Kerncijfers wijken en buurten 2015"\n""\n"";"";"Onderwerp"\n'
                    '"";"Regioaanduiding|Codering";"Inkomen|Inkomen van personen|Gemiddeld inkomen per inwoner "\n'
                    '"Wijken en buurten";"";"x 1 000 euro"\n'
                    '"Amsterdam";"GM0363";"26,9"\n"Burgwallen-Oude Zijde";"WK036300";"30,1"\n'
                    '"Kop Zeedijk";"BU03630000";"."\n"Bron: CBS"\n', encoding="utf-8")
    df = load_catalogus().normalise(read_statline(path))
    assert set(df["jaar"]) == {2015}  # from the title line
    row = df[(df.gebied_code == "WK036300") & (df.indicator == "g_ink_pi")].iloc[0]
    assert row.waarde == 30.1 and row.eenheid == "x 1 000 euro"
    assert math.isnan(df[(df.gebied_code == "BU03630000")].iloc[0].waarde)


def national_statline(path, with_codes=True, n_wijken=2_600, seed=7):
    """A national-size StatLine KWB export (about 18,000 rows) with real code shapes, letters included."""
    rng = random.Random(seed)
    header = ["Wijken en buurten", "Regioaanduiding/Gemeentenaam (naam)", "Regioaanduiding/Soort regio (omschrijving)"]
    header += ["Regioaanduiding/Codering (code)"] * with_codes
    header += ["Bevolking/Aantal inwoners (aantal)", "Bevolking/Leeftijdsgroepen/0 tot 15 jaar (aantal)",
               "Wonen/Eigendom/Huurwoningen totaal (%)", "Inkomen/Inkomen van personen/Gemiddeld inkomen per inwoner "
               "(x 1 000 euro)", "Nabijheid voorzieningen/Afstand tot huisartsenpraktijk (km)"]
    lines = [header]
    gemeenten = [f"{g:04d}" for g in range(1, 343)]
    used: set[str] = set()
    while len(lines) < 18_300:
        g = rng.choice(gemeenten)
        letters = rng.random() < 0.2  # Amsterdam-style codes
        wk = f"{g}{rng.choice('ABCDEFGHJKLMNP')}{rng.choice('ABCDEFGHJKLMNP')}" if letters else f"{g}{rng.randint(0, 99):02d}"
        if wk in used:
            continue
        used.add(wk)
        for kind, code in [("Wijk", f"WK{wk}")] + [("Buurt", f"BU{wk}{b:02d}") for b in range(rng.randint(2, 9))]:
            inw = rng.randint(0, 9000)
            values = [str(inw), str(rng.randint(0, inw // 5)), rng.choice([str(rng.randint(0, 100)), "."]),
                      rng.choice([f"{rng.uniform(15, 60):.1f}".replace(".", ","), ""]),
                      f"{rng.uniform(0, 5):.1f}".replace(".", ",")]
            lines.append([f"Gebied {code}", f"Gemeente {g}", kind] + [code] * with_codes + values)
    path.write_text("\n".join(";".join(f'"{c}"' for c in row) for row in lines) + "\n", encoding="utf-8")
    return path, len(lines) - 1


def test_national_export_with_amsterdam_letter_codes_reads_whole(tmp_path):
    path, n = national_statline(tmp_path / "kwb-2024-nederland.csv")
    df = load_indicators(path)
    codes = set(df["gebied_code"].astype(str))
    assert len(codes) == n and any(c[6:8].isalpha() for c in codes if c.startswith("WK"))
    assert all(niveau_of(c) for c in codes)
    assert {"a_inw", "p_huurw", "g_ink_pi", "g_afs_hp", "p_00_14"} <= set(df["indicator"].astype(str))
    share = df[df.indicator == "p_00_14"].dropna(subset=["waarde"])  # derived: age share from the counts
    counts = df.pivot_table(index="gebied_code", columns="indicator", values="waarde", observed=True)
    sample = share.sample(50, random_state=1)
    for row in sample.itertuples():
        assert row.waarde == pytest.approx(100 * counts.loc[row.gebied_code, "a_00_14"] / counts.loc[row.gebied_code,
                                                                                                     "a_inw"])


def test_file_with_names_but_no_codes_gives_one_message(tmp_path):
    path, n = national_statline(tmp_path / "kwb-2024-namen.csv", with_codes=False)
    with pytest.raises(WijkkitInputError) as info:
        load_indicators(path)
    assert len(info.value.problemen) == 1 and "Codering" in str(info.value)


def test_two_overlapping_downloads_name_both_files_and_the_total(tmp_path):
    source = shared("statline", "nabijheid-buurt-2019-gewone-csv.csv")
    header, rows = independent(source)
    code_idx = header.index("Regioaanduiding/Codering (code)")
    zuilen = [r for r in rows if r[code_idx].strip().startswith(("WK034402", "BU034402"))]
    assert zuilen
    (tmp_path / "utrecht").mkdir()
    (tmp_path / "utrecht" / "nabijheid-2019.csv").write_bytes(source.read_bytes())
    with open(tmp_path / "utrecht" / "nabijheid-zuilen-2019.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(header)
        writer.writerows(zuilen)
    indicators = len(header) - 5
    with pytest.raises(WijkkitInputError) as info:
        load_indicators(tmp_path / "utrecht")
    [problem] = info.value.problemen
    assert "nabijheid-2019.csv" in problem.bestand and "nabijheid-zuilen-2019.csv" in problem.bestand
    assert f"{len(zuilen) * indicators:,}".replace(",", ".") in str(info.value)


def test_letter_codes_kwb_and_bad_values(tmp_path):
    path = tmp_path / "kwb-2024.csv"
    path.write_text("gwb_code;regio;ind_wbi;a_inw\nGM0363;Amsterdam;1;900000\nWK0363AA;Burgwallen-Oude Zijde;1;4000\n"
                    "BU0363AA01;Kop Zeedijk;3;800\n", encoding="utf-8")
    df = read_kwb(path)
    assert set(df["gebied_code"]) == {"GM0363", "WK0363AA", "BU0363AA01"}
    assert df.set_index("gebied_code").loc["BU0363AA01", "ind_wbi"] == 3
    for bad in ("inf", "1e309", "nan"):
        path.write_text(f"gwb_code;regio;a_inw\nGM0363;Amsterdam;{bad}\n", encoding="utf-8")
        with pytest.raises(WijkkitInputError, match="een getal of een CBS-teken"):
            read_kwb(path)
    path.write_text("gwb_code;regio;ind_wbi;a_inw\nGM0363;Amsterdam;300;1\n", encoding="utf-8")
    with pytest.raises(WijkkitInputError, match="1, 2 of 3"):
        read_kwb(path)  # 300 would have become 44 in an 8-bit integer
    path.write_text("gwb_code\nGM0363\n", encoding="utf-8")
    with pytest.raises(WijkkitInputError, match="kolommen met cijfers"):
        read_kwb(path)


# ---------------------------------------------------------------------------- boundary files
def rings(spec: dict):
    """Every polygon ring in the data Vega-Lite receives."""
    for dataset in spec.get("datasets", {}).values():
        for row in dataset:
            geometry = row.get("geometry") if isinstance(row, dict) else None
            if not geometry:
                continue
            polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
            for polygon in polygons:
                yield from ((i, ring) for i, ring in enumerate(polygon))


def signed_area(ring) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:])) / 2


def test_real_cbs_buurtkaart_draws_seventeen_buurten_with_clockwise_rings(tmp_path):
    import geopandas as gpd
    import vl_convert as vlc

    from wijkkit.verbinden.kaart import buurtkaart, read_geometry

    path = shared("geo", "cbs-buurtkaart-2021-ermelo.gpkg")
    independent_frame = gpd.read_file(path)
    geometry = read_geometry(path)
    assert len(geometry) == len(independent_frame) == 17 and geometry.crs.to_epsg() == 4326
    values = pd.DataFrame({"gebied_code": geometry["gebied_code"], "gebied_naam": geometry["gebied_naam"],
                           "waarde": np.linspace(60, 140, 17)})
    spec = buurtkaart(values, waarde="waarde", titel="Ermelo", legenda="test", geometry=geometry).to_dict()
    found = list(rings(spec))
    assert len(found) >= 17
    for index, ring in found:  # exteriors clockwise (negative area in lon/lat), holes the other way
        assert (signed_area(ring) < 0) == (index == 0)
    svg = vlc.vegalite_to_svg(spec)
    assert svg.count("<path") >= 17
    (tmp_path / "ermelo.png").write_bytes(vlc.vegalite_to_png(spec))


def test_rd_geojson_without_crs_lands_in_the_right_place_with_a_dutch_warning(tmp_path):
    import geopandas as gpd

    from wijkkit.verbinden.kaart import read_geometry

    rd = gpd.read_file(shared("geo", "cbs-buurtkaart-2021-ermelo.gpkg"))[["buurtcode", "buurtnaam", "geometry"]]
    data = json.loads(rd.to_json())  # coordinates in metres, and no "crs" member at all
    data.pop("crs", None)
    path = tmp_path / "ermelo-rd.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    geometry = read_geometry(path)
    minx, miny, maxx, maxy = geometry.total_bounds
    expected = rd.to_crs(4326).total_bounds  # the same shapes, reprojected by geopandas itself
    assert np.allclose([minx, miny, maxx, maxy], expected, atol=1e-6)
    assert 5.4 < minx < maxx < 5.9 and 52.2 < miny < maxy < 52.4  # Ermelo, on the Veluwe
    assert any("RD New" in w for w in geometry.attrs["waarschuwingen"])


def test_profiel_command_imports_no_chart_or_nlp_library():
    if not (SHARED / "cbs" / "CBS-Utrecht-kwb-2023.xlsx").exists():
        pytest.skip("echte CBS-bestanden ontbreken")
    script = ("import sys\nfrom wijkkit.cli import app\n"
              "try:\n    app(['tellen', 'profiel', '--data', sys.argv[1], '--gebied', 'WK034403'])\n"
              "except SystemExit:\n    pass\n"
              "print('MODULES:' + ' '.join(sorted(m for m in ('altair', 'spacy', 'vl_convert') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", script, str(SHARED / "cbs")], capture_output=True, text=True,
                         timeout=120)
    assert "Overvecht" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "MODULES:", out.stdout.splitlines()[-1]


def test_a_wijk_level_boundary_file_colours_wijken_and_says_what_is_missing(demo_project):
    import geopandas as gpd

    from wijkkit.config import Project
    from wijkkit.kenniskring.gegevens import Kenniskring

    buurten = gpd.read_file(demo_project / "data" / "lindehoven-buurten.geojson")
    wijken = buurten.assign(wijkcode="WK" + buurten["buurtcode"].str[2:8]).dissolve("wijkcode").reset_index()
    wijken = wijken[wijken["wijkcode"] != "WK999901"][["wijkcode", "geometry"]]  # one wijk without a shape
    wijken.to_file(demo_project / "data" / "wijken.gpkg")
    toml = demo_project / "wijkkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('bestand = "data/lindehoven-buurten.geojson"',
                                                             'bestand = "data/wijken.gpkg"'), encoding="utf-8")
    kring = Kenniskring(Project.load(demo_project))
    assert set(kring.kaartgebieden()) == {"WK999901", "WK999902", "WK999903"}
    waarden = kring.kaartwaarden("veiligheid", "cijfers")
    assert waarden["waarde"].notna().sum() == 3
    assert any("geen vlak" in m and kring.namen["WK999901"] in m for m in kring.kaartmeldingen), kring.kaartmeldingen
