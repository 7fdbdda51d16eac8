"""A team's own schouw form (issue 37): 'wijkkit schouw koppel' proposes [schouw] in wijkkit.toml, a person
confirms it, and the import reads what is valid and reports the rest. The exports are built here in the layouts
ODK Central and KoBoToolbox write (their own metadata columns, ';' CSV, .csv.zip with a repeat CSV, GeoJSON)."""

from __future__ import annotations

import csv
import io
import json
import tomllib
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tests.test_schouw import inside_points
from wijkkit.cli import app
from wijkkit.config import Project
from wijkkit.errors import WijkkitInputError
from wijkkit.kijken.importeren import import_schouw, waarnemingen
from wijkkit.kijken.onderdelen import NIVEAUS

KOBO_META = ["_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
             "__version__", "_tags", "_index"]
ODK_META = ["meta-instanceID", "KEY", "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected",
            "Status", "ReviewState", "DeviceID", "Edits", "FormVersion"]


def run(*args: str):
    result = CliRunner().invoke(app, [str(a) for a in args])
    assert "Traceback" not in result.output
    return result


def schouw_section(project_root: Path) -> dict:
    return tomllib.loads((project_root / "wijkkit.toml").read_text(encoding="utf-8"))["schouw"]


def confirm(project_root: Path, old: str = "bevestigd = false", new: str = "bevestigd = true") -> None:
    path = project_root / "wijkkit.toml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def every_column_accounted(section: dict, header: list[str]) -> set[str]:
    """The columns the mapping neither uses nor names in weglaten (should be none)."""
    named = set(section.get("weglaten", []))
    for veld in ("id", "locatie", "lat", "lon", "buurt", "rol", "toestemming", "thema"):
        if section.get(veld):
            named.add(section[veld])
    for veld in ("datum", "opmerking", "foto"):
        named |= set(section.get(veld, []))
    named |= {item["kolom"] for item in section.get("onderdelen", {}).values()}
    return set(header) - named


def csv_text(header: list[str], rows: list[list], sep: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=sep, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


# ---------------------------------------------------------------------------------------------- ODK Central
def odk_repeat_zip(points: dict, path: Path) -> tuple[Path, list[dict]]:
    """A walk per submission (ODK Central), with a repeat 'punt' of scored spots on a Dutch 1-5 scale (5 best),
    synced a year late; the repeat CSV and the photos come in the .csv.zip."""
    codes = sorted(points)[:3]
    main_header = ["SubmissionDate", "start", "end", "today", "deviceid", "wandeling-naam_schouwer",
                   "wandeling-organisatie", *ODK_META]
    punt_header = ["locatie-Latitude", "locatie-Longitude", "locatie-Altitude", "locatie-Accuracy",
                   "scores-hondenpoep", "scores-zwerfvuil", "scores-groen", "scores-bestrating", "foto",
                   "toelichting", "PARENT_KEY", "KEY"]
    mains, punten, spots = [], [], []
    for w, code in enumerate(codes):
        key = f"uuid:walk-{w}"
        mains.append(["2024-11-20T08:00:00.000Z", f"2023-11-{19 + w}T09:00:00.000+01:00",
                      f"2023-11-{19 + w}T10:30:00.000+01:00", f"2023-11-{19 + w}", "collect:abc",
                      "Schouwer", "corporatie", key, key, "7", "team", "2", "2", "", "", "", "0", "3"])
        for i in range(4):
            lat, lon = points[code]
            score = [(i + w) % 5 + 1, (i + 2 * w) % 5 + 1, 5 - i, ""]  # '' = not answered
            foto = f"{1700000000 + 10 * w + i}.jpg" if i < 2 else ""
            punten.append([lat, lon, "0", "4.5", score[0], score[1], score[2], score[3], foto,
                           "Losliggende stoeptegels bij de speeltuin" if i == 0 else "", key,
                           f"{key}/punt[{i + 1}]"])
            spots.append({"id": f"{key}/punt[{i + 1}]", "buurt": code, "datum": f"2023-11-{19 + w}",
                          "zwerfvuil": score[1], "groen": score[2], "foto": foto})
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("straatschouw.csv", csv_text(main_header, mains, ","))
        z.writestr("straatschouw-punt.csv", csv_text(punt_header, punten, ","))
        for s in spots:
            if s["foto"]:
                z.writestr(f"media/{s['foto']}", b"\xff\xd8" + s["foto"].encode())
    return path, spots


def test_odk_central_zip_with_a_repeat_and_a_dutch_1_to_5_scale(demo_project, tmp_path):
    export, spots = odk_repeat_zip(inside_points(demo_project), tmp_path / "straatschouw.csv.zip")
    result = run("schouw", "koppel", export, "--project", demo_project)
    assert result.exit_code == 0, result.output
    section = schouw_section(demo_project)
    assert section["bevestigd"] is False and section["herhaling"] == "punt"
    assert section["onderdelen"]["zwerfvuil"]["kolom"] == "scores-zwerfvuil"
    assert section["onderdelen"]["groen"]["kolom"] == "scores-groen"
    # a 1-5 scale with 5 the best, spread over the five CROW levels from D up
    assert section["onderdelen"]["zwerfvuil"]["waarden"] == {str(n): NIVEAUS[5 - n] for n in range(1, 6)}
    assert section["datum"][:2] == ["start", "today"] and section["foto"] == ["foto"]
    assert section["opmerking"] == ["toelichting"] and section["locatie" if "locatie" in section else "lat"]
    # 'scores-hondenpoep' is not an onderdeel of the catalogue: it is named, not dropped
    assert "scores-hondenpoep" in section["weglaten"] and "scores-hondenpoep" in result.output
    with zipfile.ZipFile(export) as z:
        header = [*pd.read_csv(z.open("straatschouw.csv"), dtype=str).columns,
                  *pd.read_csv(z.open("straatschouw-punt.csv"), dtype=str).columns]
    assert every_column_accounted(section, header) == set()

    project = Project.load(demo_project)
    with pytest.raises(WijkkitInputError, match="bevestigd"):  # a proposal nobody looked at is not used
        import_schouw(project, export)
    confirm(demo_project)
    result = run("schouw", "importeer", export, "--project", demo_project)
    assert result.exit_code == 0, result.output
    assert f"{len(spots)} rijen gelezen, {len(spots)} ingelezen, 0 weggelaten" in result.output
    table = waarnemingen(Project.load(demo_project).open_store()).set_index("id")
    assert len(table) == len(spots)
    for s in spots:
        row = table.loc[s["id"]]
        assert row["gebied"] == s["buurt"]
        assert str(row["datum"]) == s["datum"]  # the walk, not the sync a year later
        want = {"zwerfvuil": NIVEAUS[5 - s["zwerfvuil"]], "groen": NIVEAUS[5 - s["groen"]]}
        assert row["scores"] == want
        assert bool(row["foto"]) == bool(s["foto"])
    first = table.loc[spots[0]["id"]]
    assert "stoeptegels" in first["opmerking"]
    assert (demo_project / first["foto"]).read_bytes() == b"\xff\xd8" + spots[0]["foto"].encode()


# ---------------------------------------------------------------------------------------------- KoBoToolbox CSV
def kobo_words_csv(points: dict, path: Path) -> tuple[Path, list[dict]]:
    """A KoBoToolbox CSV (';') of a team's own form: goed/matig/slecht, a score and a photo column with the
    same stem (score_zwerfvuil, foto_zwerfvuil), a remark under an odd name, a late sync."""
    header = ["start", "end", "today", "username", "Waar_ben_je", "_Waar_ben_je_latitude", "_Waar_ben_je_longitude",
              "_Waar_ben_je_altitude", "_Waar_ben_je_precision", "score_zwerfvuil", "foto_zwerfvuil",
              "foto_zwerfvuil_URL", "zwerfvuil_toelichting", "score_onkruid", "score_graffiti", "Wat_zie_je_nog_meer",
              "Mag_dit_openbaar",
              *KOBO_META]
    words = ["goed", "matig", "slecht", "Goed", "niet gezien"]
    level = {"goed": "A", "matig": "C", "slecht": "D", "niet gezien": ""}
    rows, want = [], []
    for n, code in enumerate(sorted(points)[:4] * 3):
        lat, lon = points[code]
        zw, ok, gr = words[n % 5], words[(n + 1) % 5], words[(n + 2) % 5]
        foto = f"zwerfvuil-{n}.jpg" if n % 2 else ""
        remark = "Bij de bushalte ligt al weken een matras" if n == 1 else ""
        uuid = f"c0ffee{n:02d}-0000-4000-8000-000000000000"
        rows.append([f"2023-11-19T10:{n:02d}:00.000+01:00", f"2023-11-19T10:{n:02d}:30.000+01:00", "2023-11-19",
                     "team", f"{lat} {lon} 3 4", lat, lon, "3", "4", zw, foto, f"https://kc.kobotoolbox.org/{foto}",
                     "Veel blikjes bij het bankje" if n == 2 else "", ok, gr, remark, "ja" if n % 3 else "nee",
                     str(900 + n), uuid, "2024-11-20T09:00:00",
                     "", "", "submitted_via_web", "", "vAbC", "", str(n + 1)])
        scores = {k: level[v.casefold()] for k, v in (("zwerfvuil", zw), ("onkruid", ok), ("graffiti", gr))}
        want.append({"id": uuid, "buurt": code, "scores": {k: v for k, v in scores.items() if v}, "foto": foto,
                     "opmerking": remark, "toestemming": bool(n % 3)})
    path.write_text(csv_text(header, rows, ";"), encoding="utf-8")
    return path, want


def test_kobo_csv_with_words_shared_stems_and_a_late_sync(demo_project, tmp_path):
    export, want = kobo_words_csv(inside_points(demo_project), tmp_path / "schouw_2023.csv")
    fotos = tmp_path / "fotos"  # KoBoToolbox gives the photos as a separate download
    fotos.mkdir()
    for w in want:
        if w["foto"]:
            (fotos / w["foto"]).write_bytes(b"\xff\xd8" + w["foto"].encode())
    assert run("schouw", "koppel", export, "--project", demo_project).exit_code == 0
    section = schouw_section(demo_project)
    zw = section["onderdelen"]["zwerfvuil"]
    assert zw["kolom"] == "score_zwerfvuil"  # never the photo column with the same stem
    assert zw["waarden"] == {"goed": "A", "matig": "C", "slecht": "D", "niet gezien": "nvt"}
    assert section["foto"] == ["foto_zwerfvuil"]
    assert section["opmerking"] == ["zwerfvuil_toelichting", "Wat_zie_je_nog_meer"]
    assert section["locatie"] == "Waar_ben_je" and section["toestemming"] == "Mag_dit_openbaar"
    assert every_column_accounted(section, export.read_text(encoding="utf-8").splitlines()[0].split(";")) == set()
    confirm(demo_project)
    verslag = import_schouw(Project.load(demo_project), export, fotos=fotos)
    assert (verslag.gelezen, verslag.nieuw, verslag.weggelaten) == (len(want), len(want), 0)
    assert verslag.fotos == sum(bool(w["foto"]) for w in want)
    assert verslag.niet_gekoppeld == {}
    table = waarnemingen(Project.load(demo_project).open_store()).set_index("id")
    for w in want:
        row = table.loc[w["id"]]
        assert row["scores"] == w["scores"] and row["gebied"] == w["buurt"]
        assert str(row["datum"]) == "2023-11-19"  # 'start', not '_submission_time' a year later
        assert bool(row["foto"]) == bool(w["foto"])
        assert bool(row["toestemming"]) == w["toestemming"]
    assert "matras" in table.loc[want[1]["id"], "opmerking"] and "blikjes" in table.loc[want[2]["id"], "opmerking"]


def test_bad_rows_are_left_out_and_reported_in_dutch(demo_project, tmp_path):
    export, want = kobo_words_csv(inside_points(demo_project), tmp_path / "ronde.csv")
    run("schouw", "koppel", export, "--project", demo_project)
    confirm(demo_project)
    lines = export.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(";")
    bad = [(3, "score_onkruid", "heel erg"), (3, "score_graffiti", "rampzalig"),
           (6, "Waar_ben_je", "52.37 4.89 0 5")]  # row numbers as in a sheet; row 3 wrong twice
    for rij, kolom, value in bad:
        cells = next(csv.reader([lines[rij - 1]], delimiter=";"))
        cells[header.index(kolom)] = value
        if kolom == "Waar_ben_je":  # the Dam in Amsterdam, in every form of the point
            cells[header.index("_Waar_ben_je_latitude")] = "52.37"
            cells[header.index("_Waar_ben_je_longitude")] = "4.89"
        lines[rij - 1] = csv_text(header, [cells], ";").splitlines()[1]
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = Project.load(demo_project)
    with pytest.raises(WijkkitInputError) as info:  # the old way, on request
        import_schouw(project, export, alles_of_niets=True)
    assert {(p.rij, p.kolom) for p in info.value.problemen} == {(rij, kolom) for rij, kolom, _ in bad}
    assert waarnemingen(project.open_store()).empty

    result = run("schouw", "importeer", export, "--project", demo_project)
    assert result.exit_code == 0, result.output
    rows_bad = {rij for rij, _, _ in bad}
    good = len(want) - len(rows_bad)
    assert f"{len(want)} rijen gelezen, {good} ingelezen, {len(rows_bad)} weggelaten" in result.output
    assert len(waarnemingen(project.open_store())) == good
    report = next((demo_project / "schouw" / "verslagen").glob("ronde-*.csv"))
    rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert {(int(r["rij"]), r["kolom"]) for r in rows} == {(rij, kolom) for rij, kolom, _ in bad}
    onkruid = next(r for r in rows if r["kolom"] == "score_onkruid")
    assert onkruid["waarde"] == "heel erg" and "koppeling" in onkruid["waarom"]
    assert "buurt" in next(r for r in rows if r["kolom"] == "Waar_ben_je")["waarom"]


def test_choice_codes_the_proposal_cannot_place_wait_for_a_person(demo_project, tmp_path):
    """Choice codes such as 'weakly_weathered' are read word by word; a code no word explains is proposed as '?',
    and the import refuses the mapping until a person fills in a level."""
    points = inside_points(demo_project)
    codes = ["not_weathered", "weakly_weathered", "moderately_weathered", "heavily_weathered", "flaking_paint"]
    header = ["start", "today", "_geolocation", "graffiti", "bestrating", *KOBO_META]
    rows = []
    for n, code in enumerate(sorted(points)[:5]):
        lat, lon = points[code]
        rows.append([f"2024-03-0{n + 1}T10:00:00+01:00", f"2024-03-0{n + 1}", json.dumps([lat, lon]),
                     codes[n % 5], codes[(n + 1) % 5], str(n), f"u{n}", "2024-03-10T10:00:00", "", "", "", "", "v1",
                     "", str(n + 1)])
    hxl = ["", "", "#geo", "#indicator+graffiti", "#indicator+paving", *[""] * len(KOBO_META)]  # HXL tags row
    export = tmp_path / "verwering.csv"
    export.write_text(csv_text(header, [hxl, *rows], ";"), encoding="utf-8")
    assert run("schouw", "koppel", export, "--project", demo_project).exit_code == 0
    section = schouw_section(demo_project)
    assert section["onderdelen"]["graffiti"]["waarden"] == {
        "not_weathered": "A", "weakly_weathered": "B", "moderately_weathered": "C", "heavily_weathered": "D",
        "flaking_paint": "?"}
    confirm(demo_project)
    with pytest.raises(WijkkitInputError, match="vul een niveau in"):
        import_schouw(Project.load(demo_project), export)
    confirm(demo_project, '"flaking_paint" = "?"', '"flaking_paint" = "C"')
    verslag = import_schouw(Project.load(demo_project), export)
    assert verslag.nieuw == len(rows)
    table = waarnemingen(Project.load(demo_project).open_store()).set_index("id")
    assert table.loc["u4", "scores"] == {"graffiti": "C", "bestrating": "A"}


# ---------------------------------------------------------------------------------------------- KoBoToolbox GeoJSON
def test_kobo_geojson_sidewalk_audit_mapped_by_a_person(demo_project, tmp_path):
    """KoBoToolbox's GeoJSON export: labels as property names, the point as geometry (longitude first), nulls,
    a photo with its _URL. 'Surface condition' is recognised as the bestrating; 'Tree pits' has no onderdeel
    word: the proposal names it as a score for the team to place, which the test does as a team would."""
    points = inside_points(demo_project)
    conditions = ["Good", "Fair", "Poor", "Very poor"]
    features, want = [], {}
    for n, code in enumerate(sorted(points)[:5] * 2):
        lat, lon = points[code]
        props = {"start": f"2024-06-{n + 1:02d}T14:00:00.000+02:00", "end": f"2024-06-{n + 1:02d}T14:05:00.000+02:00",
                 "Sidewalk location": f"{lat} {lon} 12 4", "_Sidewalk location_precision": "4",
                 "Surface condition": conditions[n % 4], "Tree pits": conditions[(n + 1) % 4],
                 "Obstructions": ["none", "parked_cars"][n % 2],
                 "Notes": None if n % 3 else "Kapotte tegel voor nummer 12, struikelgevaar",
                 "Take a photo": f"{n}.jpg", "Take a photo_URL": f"https://kc.kobotoolbox.org/media/{n}.jpg",
                 "_id": 125000 + n, "_uuid": f"g{n}", "_submission_time": "2024-06-30T10:00:00",
                 "_validation_status": "", "_notes": "", "_status": "submitted_via_web", "_submitted_by": None,
                 "_tags": "", "_index": n + 1}
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat, 12.0]},
                         "properties": props})
        level = {"Good": "A", "Fair": "B", "Poor": "C", "Very poor": "D"}
        want[f"g{n}"] = (code, {"bestrating": level[conditions[n % 4]], "groen": level[conditions[(n + 1) % 4]]})
    export = tmp_path / "sidewalk_audit.geojson"
    export.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
    result = run("schouw", "koppel", export, "--project", demo_project)
    assert result.exit_code == 0, result.output
    assert "Tree pits" in result.output
    section = schouw_section(demo_project)
    assert section["onderdelen"]["bestrating"] == {
        "kolom": "Surface condition", "waarden": {"good": "A", "fair": "B", "poor": "C", "very poor": "D"}}
    assert section["locatie"] == "geometrie" and section["opmerking"] == ["Notes"]
    assert section["foto"] == ["Take a photo"]
    assert every_column_accounted(section, [*features[0]["properties"], "geometrie"]) == set()
    text = (demo_project / "wijkkit.toml").read_text(encoding="utf-8")
    assert '# [schouw.onderdelen.ONDERDEEL]\n# kolom = "Tree pits"' in text
    # the team: the tree pits are the groen; uncomment, name the onderdeel, take it out of weglaten, confirm
    text = text.replace('# [schouw.onderdelen.ONDERDEEL]\n# kolom = "Tree pits"\n# waarden',
                        '[schouw.onderdelen.groen]\nkolom = "Tree pits"\nwaarden')
    text = text.replace('  "Tree pits",', "").replace("bevestigd = false", "bevestigd = true")
    (demo_project / "wijkkit.toml").write_text(text, encoding="utf-8")
    result = run("schouw", "importeer", export, "--project", demo_project)
    assert result.exit_code == 0, result.output
    assert f"{len(features)} rijen gelezen, {len(features)} ingelezen, 0 weggelaten" in result.output
    table = waarnemingen(Project.load(demo_project).open_store()).set_index("id")
    assert {i: (table.loc[i, "gebied"], table.loc[i, "scores"]) for i in table.index} == want
    assert "struikelgevaar" in table.loc["g0", "opmerking"]


# ---------------------------------------------------------------------------------------------- nothing silently
def test_without_a_mapping_unread_remark_and_photo_columns_are_named(demo_project, tmp_path):
    """wijkkit's own form, with two extra questions a team added: the import names them instead of dropping."""
    points = inside_points(demo_project)
    code = sorted(points)[0]
    lat, lon = points[code]
    header = ["start", "datum", "_locatie_latitude", "_locatie_longitude", "schouw/zwerfvuil", "Toelichting_bewoner",
              "fotootje_extra", *KOBO_META]
    rows = [["2024-05-01T10:00:00+02:00", "2024-05-01", lat, lon, "b", "Er staan al weken grofvuilzakken", "a.jpg",
             "1", "k1", "2024-05-02T10:00:00", "", "", "", "", "v", "", "1"]]
    export = tmp_path / "eigen.csv"
    export.write_text(csv_text(header, rows, ";"), encoding="utf-8")
    result = run("schouw", "importeer", export, "--project", demo_project)
    assert result.exit_code == 0, result.output
    assert "Toelichting_bewoner (lijkt een opmerking" in result.output
    assert "fotootje_extra (lijkt een foto)" in result.output
    report = next((demo_project / "schouw" / "verslagen").glob("eigen-*.csv")).read_text(encoding="utf-8-sig")
    assert "Toelichting_bewoner" in report and "fotootje_extra" in report


def test_a_mapping_naming_a_missing_column_or_an_unknown_onderdeel_is_refused_in_dutch(demo_project, tmp_path):
    export, _ = kobo_words_csv(inside_points(demo_project), tmp_path / "ronde.csv")
    toml = demo_project / "wijkkit.toml"
    base = toml.read_text(encoding="utf-8")
    toml.write_text(base + '\n[schouw]\nbevestigd = true\n[schouw.onderdelen.zwerfvuil]\nkolom = "score_zwerfafval"\n',
                    encoding="utf-8")
    with pytest.raises(WijkkitInputError) as info:
        import_schouw(Project.load(demo_project), export)
    assert info.value.kolom == "score_zwerfafval" and "score_zwerfvuil" in str(info.value)
    toml.write_text(base + '\n[schouw]\nbevestigd = true\n[schouw.onderdelen.hondenpoep]\nkolom = "score_onkruid"\n',
                    encoding="utf-8")
    with pytest.raises(WijkkitInputError, match="indicatoren.yml"):
        import_schouw(Project.load(demo_project), export)
    toml.write_text(base + '\n[schouw]\nbevestigd = true\n[schouw.onderdelen.onkruid]\nkolom = "score_onkruid"\n'
                    'waarden = { goed = "A", matig = "E" }\n', encoding="utf-8")
    with pytest.raises(WijkkitInputError, match="A\\+, A, B, C, D of nvt|A\\+, A, B, C, D, nvt"):
        import_schouw(Project.load(demo_project), export)
    # koppel does not overwrite a mapping without being asked
    result = run("schouw", "koppel", export, "--project", demo_project)
    assert result.exit_code != 0 and "--overschrijf" in result.output
    assert run("schouw", "koppel", export, "--project", demo_project, "--overschrijf").exit_code == 0
    assert schouw_section(demo_project)["onderdelen"]["zwerfvuil"]["kolom"] == "score_zwerfvuil"
    assert tomllib.loads(toml.read_text(encoding="utf-8"))["project"]["naam"] == "Lindehoven (demo)"


# ---------------------------------------------------------------------------------------------- limits
def test_an_xlsx_that_unpacks_to_far_more_is_refused_before_unpacking(demo_project, tmp_path):
    bomb = tmp_path / "export.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * 20_000_000 + b"</row>")
    assert bomb.stat().st_size < 200_000
    result = run("schouw", "importeer", bomb, "--project", demo_project)
    assert result.exit_code != 0 and "uitgepakt" in result.output and "MB" in result.output
    result = run("schouw", "koppel", bomb, "--project", demo_project)
    assert result.exit_code != 0 and "uitgepakt" in result.output


def test_a_huge_remark_is_cut_and_huge_numbers_are_shown_short(demo_project, tmp_path):
    points = inside_points(demo_project)
    code = sorted(points)[0]
    lat, lon = points[code]
    header = ["today", "_locatie_latitude", "_locatie_longitude", "schouw/zwerfvuil", "opmerking", *KOBO_META]
    remark = "De stoep ligt vol bladeren. " * 40_000  # about 1 MB
    rows = [["2024-05-01", lat, lon, "b", remark, "1", "r1", "2024-05-01T12:00:00", "", "", "", "", "v", "", "1"],
            ["2024-05-01", "1e308", lon, "c", "", "2", "r2", "2024-05-01T12:00:00", "", "", "", "", "v", "", "2"],
            ["2024-05-01", lat, lon, "1e308", "", "3", "r3", "2024-05-01T12:00:00", "", "", "", "", "v", "", "3"]]
    export = tmp_path / "groot.csv"
    export.write_text(csv_text(header, rows, ";"), encoding="utf-8")
    verslag = import_schouw(Project.load(demo_project), export)
    assert (verslag.nieuw, verslag.weggelaten, verslag.ingekort) == (1, 2, 1)
    stored = waarnemingen(Project.load(demo_project).open_store()).set_index("id").loc["r1", "opmerking"]
    assert stored.startswith("De stoep ligt vol bladeren.") and len(stored) < 2100
    assert f"ingekort: {len(remark.strip()):,} tekens".replace(",", ".") in stored
    report = verslag.verslag.read_text(encoding="utf-8-sig")
    assert "1e+308" in report and "0" * 20 not in report


# ---------------------------------------------------------------------------------------------- KoBoToolbox XLSX
def test_kobo_xlsx_with_a_repeat_sheet_and_a_school_mark(demo_project, tmp_path):
    """KoBoToolbox's XLSX: a sheet per repeat (_index, _parent_table_name, _parent_index), the walk's buurt chosen
    by name in the main sheet, a 1-10 mark per spot; a second repeat of photos is not read, and named."""
    project = Project.load(demo_project)
    from wijkkit.kijken.importeren import buurten

    names = buurten(project)
    codes = sorted(names)[:2]
    main = pd.DataFrame({"start": ["2024-09-14T10:00:00.000+02:00", "2024-09-15T10:00:00.000+02:00"],
                         "end": ["2024-09-14T11:00:00.000+02:00", "2024-09-15T11:00:00.000+02:00"],
                         "today": ["2024-09-14", "2024-09-15"], "groep/welke_buurt": [names[c] for c in codes],
                         "groep/rol": ["bewoner", "wijkbeheerder"], "_id": ["11", "12"], "_uuid": ["w1", "w2"],
                         "_submission_time": ["2025-09-20T10:00:00", "2025-09-20T10:00:00"], "_index": ["1", "2"]})
    marks = [10, 7, 4, 1, 6, 9]
    punten = pd.DataFrame({"punten/straat": [f"Straat {i}" for i in range(6)],
                           "punten/cijfer_zwerfvuil": [str(m) for m in marks],
                           "punten/cijfer_groen": ["8", "8", "3", "", "5", "2"],
                           "_index": [str(i + 1) for i in range(6)], "_parent_table_name": ["schouw"] * 6,
                           "_parent_index": ["1", "1", "1", "2", "2", "2"],
                           "_submission__uuid": ["w1"] * 3 + ["w2"] * 3})
    fotos = pd.DataFrame({"fotos/foto": ["a.jpg"], "fotos/foto_URL": ["https://kc.kobotoolbox.org/a.jpg"],
                          "_index": ["1"], "_parent_table_name": ["schouw"], "_parent_index": ["1"]})
    export = tmp_path / "schouw.xlsx"
    with pd.ExcelWriter(export) as writer:
        main.to_excel(writer, sheet_name="schouw", index=False)
        punten.to_excel(writer, sheet_name="punten", index=False)
        fotos.to_excel(writer, sheet_name="fotos", index=False)
    result = run("schouw", "koppel", export, "--project", demo_project)
    assert result.exit_code == 0, result.output
    section = schouw_section(demo_project)
    assert section["herhaling"] == "punten" and section["buurt"] == "groep/welke_buurt"
    assert section["rol"] == "groep/rol"
    assert section["rollen"] == {"bewoner": "bewoner", "wijkbeheerder": "wijkbeheerder"}
    waarden = section["onderdelen"]["zwerfvuil"]["waarden"]
    assert waarden["10"] == "A+" and waarden["1"] == "D"  # the highest mark is the best
    assert [NIVEAUS.index(waarden[str(m)]) for m in sorted(marks, reverse=True)] == sorted(
        NIVEAUS.index(waarden[str(m)]) for m in marks)
    assert "fotos/foto" in section["weglaten"] and "punten/straat" in section["weglaten"]
    confirm(demo_project)
    verslag = import_schouw(Project.load(demo_project), export)
    assert (verslag.gelezen, verslag.nieuw, verslag.weggelaten) == (6, 6, 0)
    table = waarnemingen(Project.load(demo_project).open_store()).set_index("id")
    groen = section["onderdelen"]["groen"]["waarden"]
    for i, row in punten.iterrows():
        walk = int(row["_parent_index"]) - 1
        stored = table.loc[f"{main['_uuid'][walk]}/punten[{row['_index']}]"]
        assert stored["gebied"] == codes[walk] and str(stored["datum"]) == main["today"][walk]
        assert stored["rol"] == main["groep/rol"][walk]
        want = {"zwerfvuil": waarden[row["punten/cijfer_zwerfvuil"]]}
        if row["punten/cijfer_groen"]:
            want["groen"] = groen[row["punten/cijfer_groen"]]
        assert stored["scores"] == want
    # without the photo repeat in weglaten, the import names its columns
    text = (demo_project / "wijkkit.toml").read_text(encoding="utf-8").replace('  "fotos/foto",', "")
    (demo_project / "wijkkit.toml").write_text(text, encoding="utf-8")
    again = import_schouw(Project.load(demo_project), export)
    assert again.al_bekend == 6 and "fotos/foto" in again.niet_gekoppeld


@pytest.mark.parametrize("answers, want", [
    (["Zeer goed", "Goed", "Redelijk", "Matig", "Slecht"], ["A+", "A", "B", "C", "D"]),
    (["1 - zeer slecht", "3 - redelijk", "5 - zeer goed"], ["D", "B", "A+"]),
    (["geen_zwerfvuil", "een_beetje", "redelijk_veel", "heel_veel"], ["A", "B", "C", "D"]),
    (["schoon", "niet schoon", "n.v.t."], ["A", "?", "nvt"]),
])
def test_answer_words_become_levels_and_a_negated_word_waits_for_a_person(answers, want):
    from wijkkit.kijken.voorstel import _schaal

    schaal = _schaal(answers)
    assert [schaal[a.casefold()] for a in answers] == want


def test_a_ticked_box_is_no_scale():
    """KoBoToolbox writes a select_multiple as one 0/1 column per choice ('Wat zie je?/zwerfvuil')."""
    from wijkkit.kijken.voorstel import _schaal

    assert _schaal(["0", "1", "1", "0"]) is None
    assert _schaal(["1", "2", "3"]) is not None


def test_an_own_onderdeel_from_the_projects_catalogue_can_be_mapped(demo_project, tmp_path):
    """The README's way for a question that fits no default onderdeel: an indicator in indicatoren.yml."""
    export, want = kobo_words_csv(inside_points(demo_project), tmp_path / "ronde.csv")
    catalogue = demo_project / "indicatoren.yml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + (
        '  - {id: schouw_obstakels, label: "Schouw: obstakels op B of beter", eenheid: "%", richting: hoger_beter,\n'
        '     domein: openbare_ruimte, bron: schouw, onderdeel: Obstakels op de stoep}\n'), encoding="utf-8")
    toml = demo_project / "wijkkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[schouw]\nbevestigd = true\nlocatie = "Waar_ben_je"\n'
                    '[schouw.onderdelen.obstakels]\nkolom = "score_graffiti"\n'
                    'waarden = { goed = "A", matig = "C", slecht = "D", "niet gezien" = "nvt" }\n', encoding="utf-8")
    project = Project.load(demo_project)
    verslag = import_schouw(project, export)
    scored = [w for w in want if "graffiti" in w["scores"]]  # a row with only 'niet gezien' has nothing to count
    assert (verslag.nieuw, verslag.weggelaten) == (len(scored), len(want) - len(scored))
    table = waarnemingen(project.open_store()).set_index("id")
    assert {i: table.loc[i, "scores"] for i in table.index} == {
        w["id"]: {"obstakels": w["scores"]["graffiti"]} for w in scored}
    cijfers = project.load_indicators()
    assert "schouw_obstakels" in set(cijfers["indicator"])


def test_a_date_the_walker_gave_comes_before_the_phones_start():
    """Paper forms typed in later: 'start' is the typing, 'datum_schouw' the walk."""
    from wijkkit.kijken.export import Export
    from wijkkit.kijken.onderdelen import onderdelen
    from wijkkit.kijken.voorstel import stel_voor
    from wijkkit.tellen.catalogus import load_catalogus

    frame = pd.DataFrame({"start": ["2024-06-20T09:00:00+02:00"], "datum_schouw": ["2024-05-02"],
                          "today": ["2024-06-20"], "schouw/zwerfvuil": ["b"], "_uuid": ["x"],
                          "_submission_time": ["2024-06-20T10:00:00"]})
    voorstel = stel_voor(Export("papier.csv", "kobo", frame), onderdelen(load_catalogus()), {})
    assert voorstel.koppeling["datum"] == ["datum_schouw", "start", "today"]


def test_a_scale_covers_the_answers_nobody_gave_this_round():
    from wijkkit.kijken.voorstel import _schaal

    assert set(_schaal(["2", "3", "4"])) == {"1", "2", "3", "4", "5"}  # a 1-5 form where nobody chose 1 or 5
    assert _schaal(["b", "c", "nvt"]) is not None
    assert _schaal(["a_plus", "c", "weet niet"]) == {"a_plus": "A+", "c": "C", "weet niet": "nvt"}


def test_numbered_labels_are_a_numeric_scale_also_for_labels_nobody_chose():
    """KoBoToolbox's label export of a 1-5 question: '1 - Heel vies' ... '5 - Heel schoon'."""
    from wijkkit.kijken.koppeling import waarde_niveau
    from wijkkit.kijken.voorstel import _schaal

    schaal = _schaal(["1 - Heel vies", "3 - Gaat wel", "5 - Heel schoon"])
    assert [schaal[k] for k in ("1 - heel vies", "3 - gaat wel", "5 - heel schoon")] == ["D", "B", "A+"]
    assert waarde_niveau("2 - Vies", schaal) == schaal["2"] and waarde_niveau("4 - Schoon", schaal) == schaal["4"]


def test_a_point_outside_the_map_with_a_chosen_buurt_takes_that_buurt(demo_project, tmp_path):
    from wijkkit.kijken.importeren import buurten

    project = Project.load(demo_project)
    names = buurten(project)
    code = sorted(names)[1]
    header = ["today", "_locatie_latitude", "_locatie_longitude", "buurt", "schouw/zwerfvuil", *KOBO_META]
    rows = [["2024-05-01", "52.3731", "4.8922", names[code], "b", "1", "p1", "2024-05-01T12:00:00", "", "", "", "",
             "v", "", "1"],
            ["2024-05-01", "52.3731", "4.8922", "", "c", "2", "p2", "2024-05-01T12:00:00", "", "", "", "", "v", "",
             "2"]]
    export = tmp_path / "rand.csv"
    export.write_text(csv_text(header, rows, ";"), encoding="utf-8")
    verslag = import_schouw(project, export)
    assert (verslag.nieuw, verslag.weggelaten) == (1, 1)
    table = waarnemingen(project.open_store()).set_index("id")
    assert table.loc["p1", "gebied"] == code


def test_long_answer_labels_of_a_scale_are_no_remark():
    from wijkkit.kijken.voorstel import _is_remark

    labels = ["Redelijk veel zwerfvuil op straat", "Geen zwerfvuil te zien", "Heel veel zwerfvuil overal"] * 10
    assert not _is_remark(labels)
    assert _is_remark(["Losse tegels bij de school", "Container vol", "Bankje kapot bij het pleintje", "ok"])
