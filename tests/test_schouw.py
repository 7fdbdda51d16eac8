"""The straatschouw (issue 25): the form, the exports of ODK Central and KoBoToolbox, buurten by point in polygon,
all-or-nothing Dutch errors, indicators beside the CBS figures, the page, and a real buurtkaart."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from sqlalchemy import func, select

from wijkkit.config import Project
from wijkkit.errors import WijkkitInputError
from wijkkit.kijken.formulier import controleer, schouwformulier
from wijkkit.kijken.importeren import buurten, import_schouw, waarnemingen
from wijkkit.kijken.onderdelen import GOED_GENOEG, NIVEAUS, onderdelen
from wijkkit.store.models import Import, Schouwpunt

SHARED_GEO = Path(__file__).resolve().parents[2] / "shared" / "data" / "geo" / "cbs-buurtkaart-2021-ermelo.gpkg"
ITEMS = ["zwerfvuil", "onkruid", "graffiti", "bestrating", "groen", "meubilair"]
FORM = {"A+": "a_plus", "A": "a", "B": "b", "C": "c", "D": "d", "": "nvt"}


def inside_points(project_root: Path) -> dict[str, tuple[float, float]]:
    """A point inside every buurt of the demo map (lat, lon), computed from the shapes themselves."""
    shapes = gpd.read_file(project_root / "data" / "lindehoven-buurten.geojson").to_crs(4326)
    return {code: (geom.representative_point().y, geom.representative_point().x)
            for code, geom in zip(shapes["buurtcode"], shapes.geometry)}


def submissions(points: dict, seed: int = 7, per_buurt: int = 6, jaar: int = 2024) -> list[dict]:
    rng = np.random.default_rng(seed)
    rows = []
    for b, code in enumerate(sorted(points)[:4]):
        for i in range(per_buurt if b < 3 else 3):  # the fourth buurt stays below the privacy threshold (5)
            lat, lon = points[code]
            rows.append({"id": f"uuid:{jaar}-{code}-{i}", "datum": f"{jaar}-05-{10 + i:02d}", "buurt": code,
                         "lat": lat + rng.normal(0, 1e-5), "lon": lon + rng.normal(0, 1e-5),
                         "scores": {item: NIVEAUS[int(rng.integers(0, 5))] if rng.random() > 0.1 else ""
                                    for item in ITEMS},
                         "opmerking": "", "toestemming": "ja" if i % 2 else "nee"})
    return rows


def kobo_csv(rows: list[dict], path: Path) -> Path:
    header = (["start", "end", "datum", "rol", "plek", "locatie", "_locatie_latitude", "_locatie_longitude",
               "_locatie_altitude", "_locatie_precision", "buurt"] + [f"schouw/{i}" for i in ITEMS]
              + ["opmerking", "thema", "foto", "foto_URL", "toestemming", "_id", "_uuid", "_submission_time",
                 "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for n, r in enumerate(rows):
        has_point = r.get("lat") is not None
        writer.writerow(["2024-05-10T10:00:00.000+02:00", "2024-05-10T10:05:00.000+02:00", r["datum"], "bewoner",
                         "gps" if has_point else "buurt", f"{r['lat']} {r['lon']} 0 5" if has_point else "",
                         r["lat"] if has_point else "", r["lon"] if has_point else "", "0" if has_point else "",
                         "5" if has_point else "", r.get("kies", ""), *[FORM.get(r["scores"][i], r["scores"][i])
                                                                         for i in ITEMS],
                         r["opmerking"], "", r.get("foto", ""), "", r["toestemming"], str(1000 + n), r["id"],
                         "2024-05-10T12:00:00", "", "[]", "submitted_via_web", "", "vX", "[]", str(n + 1)])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def odk_central_csv(rows: list[dict]) -> str:
    header = (["SubmissionDate", "start", "end", "datum", "rol", "plek", "locatie-Latitude", "locatie-Longitude",
               "locatie-Altitude", "locatie-Accuracy", "buurt"] + [f"schouw-{i}" for i in ITEMS]
              + ["opmerking", "thema", "foto", "toestemming", "meta-instanceID", "KEY", "SubmitterID", "SubmitterName",
                 "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
                 "FormVersion"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for r in rows:
        has_point = r.get("lat") is not None
        writer.writerow(["2024-05-10T12:00:00.000Z", "", "", r["datum"], "wijkbeheerder",
                         "gps" if has_point else "buurt", r["lat"] if has_point else "",
                         r["lon"] if has_point else "", "", "", r.get("kies", ""),
                         *[FORM.get(r["scores"][i], r["scores"][i]) for i in ITEMS], r["opmerking"], "",
                         r.get("foto", ""), r["toestemming"], r["id"], r["id"], "5", "schouw", "1" if r.get("foto")
                         else "0", "1" if r.get("foto") else "0", "", "", "", "0", "1"])
    return out.getvalue()


def expected_shares(rows: list[dict], drempel: int) -> dict[tuple[str, str], float]:
    """Per buurt and onderdeel: the share at B or better, computed straight from the rows (NaN below the threshold)."""
    out = {}
    for code in {r["buurt"] for r in rows}:
        mine = [r for r in rows if r["buurt"] == code]
        for item in ITEMS:
            levels = [r["scores"][item] for r in mine if r["scores"][item]]
            out[(code, f"schouw_{item}")] = (100 * sum(lv in GOED_GENOEG for lv in levels) / len(levels)
                                             if len(levels) >= drempel else np.nan)
    return out


def stored(project: Project) -> tuple[int, int]:
    store = project.open_store()
    with store.read() as session:
        return (session.scalar(select(func.count()).select_from(Schouwpunt)),
                session.scalar(select(func.count()).select_from(Import)))


# ---------------------------------------------------------------------------------------------------- the form
def test_form_converts_with_pyxform_and_carries_the_projects_choices(demo_project, tmp_path):
    project = Project.load(demo_project)
    lijst = buurten(project)
    cijfers = project.load_indicators()
    expected = set(cijfers.loc[(cijfers["niveau"] == "buurt") & (cijfers["gemeente_code"] == "GM9999"), "gebied_code"]
                   .astype(str))
    assert set(lijst) == expected and len(expected) == 14
    themas = {t.id: t.label for t in project.load_codebook().themas}
    path = schouwformulier(tmp_path / "schouw.xlsx", titel="Straatschouw Lindehoven", buurten=lijst,
                           onderdelen=onderdelen(project.catalogus), themas=themas)
    xform = controleer(path)  # pyxform, as ODK Central and KoBoToolbox convert it
    for item in ITEMS:
        assert f'nodeset="/data/schouw/{item}"' in xform
    assert 'type="geopoint"' in xform and 'type="binary"' in xform  # GPS point and photo
    assert "/data/toestemming" in xform and "/data/buurt" in xform
    book = pd.read_excel(path, sheet_name=None, engine="calamine")
    choices = book["choices"]
    assert set(choices.loc[choices["list_name"] == "buurt", "name"]) == expected
    assert set(choices.loc[choices["list_name"] == "thema", "name"]) == set(themas)
    assert "Zwerfvuil" in set(book["survey"]["label"].dropna())
    assert set(choices.loc[choices["list_name"] == "crow", "name"]) == {*FORM.values()}


def test_a_broken_form_is_refused_in_dutch(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "survey"
    sheet.append(["type", "name", "label"])
    sheet.append(["select_one bestaat_niet", "vraag", "Vraag"])
    book.save(tmp_path / "kapot.xlsx")
    with pytest.raises(WijkkitInputError, match="XLSForm"):
        controleer(tmp_path / "kapot.xlsx")


# ---------------------------------------------------------------------------------------------------- reading
def test_kobotoolbox_export_becomes_indicators_computed_from_the_rows(demo_project, tmp_path):
    project = Project.load(demo_project)
    rows = submissions(inside_points(demo_project))
    verslag = import_schouw(project, kobo_csv(rows, tmp_path / "kobo.csv"))
    assert verslag.bron == "kobo" and verslag.nieuw == len(rows)
    stored_rows = waarnemingen(project.open_store())
    assert dict(zip(stored_rows["id"], stored_rows["gebied"])) == {r["id"]: r["buurt"] for r in rows}
    cijfers = project.load_indicators()
    schouw = cijfers[(cijfers["bron"].astype(str).str.startswith("Straatschouw")) & (cijfers["niveau"] == "buurt")]
    for (code, indicator), want in expected_shares(rows, project.config.privacy.drempel).items():
        got = schouw[(schouw["gebied_code"] == code) & (schouw["indicator"] == indicator)].iloc[0]
        if np.isnan(want):
            assert np.isnan(got["waarde"]) and got["status"] == "weinig"
        else:
            assert got["waarde"] == pytest.approx(want) and got["jaar"] == 2024
    # the count, and the gemeente over all walked buurten
    counts = schouw[schouw["indicator"] == "schouw_waarnemingen"].set_index("gebied_code")["waarde"].dropna()
    assert counts.to_dict() == {c: float(sum(r["buurt"] == c for r in rows)) for c in counts.index}
    gemeente = cijfers[(cijfers["gebied_code"] == "GM9999") & (cijfers["indicator"] == "schouw_zwerfvuil")]
    levels = [r["scores"]["zwerfvuil"] for r in rows if r["scores"]["zwerfvuil"]]
    assert gemeente["waarde"].iloc[0] == pytest.approx(100 * sum(lv in GOED_GENOEG for lv in levels) / len(levels))


def test_odk_central_zip_with_photo_consent_and_pseudonymised_remark(demo_project, tmp_path):
    project = Project.load(demo_project)
    points = inside_points(demo_project)
    rows = submissions(points, seed=3)
    rows[0].update(opmerking="Meneer Jansen van nummer 12 zet zijn grofvuil hier neer.", foto="1718.jpg",
                   toestemming="ja")
    rows[1].update(foto="1719.jpg", toestemming="nee")
    code = sorted(points)[5]
    rows.append({"id": "uuid:gekozen", "datum": "10-05-2024", "buurt": code, "kies": code, "lat": None, "lon": None,
                 "scores": {i: "B" for i in ITEMS}, "opmerking": "", "toestemming": "nee"})
    archive = tmp_path / "schouw.csv.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("schouw.csv", odk_central_csv(rows))
        z.writestr("media/1718.jpg", b"\xff\xd8foto1")
        z.writestr("media/1719.jpg", b"\xff\xd8foto2")
    verslag = import_schouw(project, archive)
    assert (verslag.bron, verslag.nieuw, verslag.fotos) == ("odk", len(rows), 2)
    table = waarnemingen(project.open_store()).set_index("id")
    assert table.loc["uuid:gekozen", "gebied"] == code and pd.isna(table.loc["uuid:gekozen", "lat"])
    first = table.loc[rows[0]["id"]]
    assert "Jansen" not in first["opmerking"] and "grofvuil" in first["opmerking"]
    assert bool(first["toestemming"]) and not bool(table.loc[rows[1]["id"], "toestemming"])
    assert (demo_project / first["foto"]).read_bytes() == b"\xff\xd8foto1"
    assert "1718" not in first["foto"]  # the kept name says nothing about the submission
    # the same export again, later: nothing twice
    again = import_schouw(project, archive)
    assert (again.nieuw, again.al_bekend) == (0, len(rows))


def test_labels_export_and_plain_spreadsheet(demo_project, tmp_path):
    """KoBoToolbox's 'labels' export (questions and answers as people read them) and a team's own sheet."""
    project = Project.load(demo_project)
    names = buurten(project)
    code = sorted(names)[2]
    frame = pd.DataFrame({"Datum van de schouw": ["2024-05-10", "11-05-2024"],
                          "In welke buurt ben je?": [names[code], names[code]],
                          "Beeldkwaliteit (CROW)/Zwerfvuil": ["B (basis)", "D (zeer laag)"],
                          "Beeldkwaliteit (CROW)/Groen (gras, plantsoen, bomen)": [
                              "A+ (zeer hoog)", "Niet van toepassing (niet te zien)"],
                          "_uuid": ["a1", "a2"], "_submission_time": ["2024-05-10T12:00:00", "2024-05-11T12:00:00"]})
    frame.to_excel(tmp_path / "labels.xlsx", index=False)
    verslag = import_schouw(project, tmp_path / "labels.xlsx")
    assert verslag.nieuw == 2
    table = waarnemingen(project.open_store()).set_index("id")
    assert table.loc["a1", "scores"] == {"zwerfvuil": "B", "groen": "A+"}
    assert table.loc["a2", "scores"] == {"zwerfvuil": "D"} and table.loc["a2", "gebied"] == code
    plain = tmp_path / "eigen.csv"  # a team's own sheet, with its own words for the onderdelen
    plain.write_text(f"datum;buurt;zwerfafval;verharding;locatie\n01-06-2024;{names[code]};A;c;\n"
                     f"02-06-2024;;B;D;52,0 5,0\n", encoding="utf-8")
    with pytest.raises(WijkkitInputError, match="rij 3"):  # 52,0 5,0 lies outside every buurt of Lindehoven
        import_schouw(project, plain, alles_of_niets=True)
    plain.write_text(f"datum;buurt;zwerfafval;verharding\n01-06-2024;{names[code]};A;c\n", encoding="utf-8")
    assert import_schouw(project, plain).bron == "tabel"
    eigen = waarnemingen(project.open_store())
    assert eigen.iloc[-1]["scores"] == {"zwerfvuil": "A", "bestrating": "C"}


def test_the_commands_in_dutch(demo_project, tmp_path):
    from typer.testing import CliRunner

    from wijkkit.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["schouw", "formulier", "--project", str(demo_project)])
    assert result.exit_code == 0 and "Schouwformulier geschreven" in result.output
    assert (demo_project / "schouw.xlsx").exists()
    result = runner.invoke(app, ["schouw", "formulier", "--project", str(demo_project), "--onderdelen",
                                 "zwerfvuil,groen", "--uitvoer", str(tmp_path / "klein.xlsx")])
    assert result.exit_code == 0
    survey = pd.read_excel(tmp_path / "klein.xlsx", sheet_name="survey", engine="calamine")
    assert set(survey.loc[survey["type"] == "select_one crow", "name"]) == {"zwerfvuil", "groen"}
    result = runner.invoke(app, ["schouw", "formulier", "--project", str(demo_project), "--onderdelen", "hondenpoep"])
    assert result.exit_code != 0 and "hondenpoep" in result.output and "--onderdelen" in result.output
    export = demo_project / "data" / "schouw" / "lindehoven-schouw-2024-kobotoolbox.csv"
    result = runner.invoke(app, ["schouw", "importeer", str(export), "--project", str(demo_project)])
    lines = export.read_text(encoding="utf-8").strip().splitlines()
    assert result.exit_code == 0 and f"{len(lines) - 1} schouwwaarnemingen ingelezen" in result.output
    assert "KoBoToolbox" in result.output
    bad = tmp_path / "leeg.csv"
    bad.write_text("_uuid;_submission_time;schouw/zwerfvuil\nx;2024-05-01;Z\n", encoding="utf-8")
    result = runner.invoke(app, ["schouw", "importeer", str(bad), "--project", str(demo_project)])
    assert result.exit_code != 0 and "CROW-niveau" in result.output and "Traceback" not in result.output


# ---------------------------------------------------------------------------------------------------- bad files
@pytest.mark.parametrize("fault, column, words", [
    ("geen_plek", "buurt", "een plek"),
    ("buiten_schaal", "schouw/graffiti", "CROW-niveau"),
    ("buiten_buurten", "locatie", "buiten elke buurt"),
    ("dubbel", "_uuid", "elke inzending één keer"),
])
def test_malformed_export_gives_one_dutch_message_and_stores_nothing(demo_project, tmp_path, fault, column, words):
    project = Project.load(demo_project)
    rows = submissions(inside_points(demo_project))
    rows[0].update(opmerking="", foto="")
    bad = 4  # the fifth data row: row 6 of the file
    if fault == "geen_plek":
        rows[bad].update(lat=None, lon=None)
    elif fault == "buiten_schaal":
        rows[bad]["scores"]["graffiti"] = "E"
    elif fault == "buiten_buurten":
        rows[bad].update(lat=52.3731, lon=4.8922)  # the Dam in Amsterdam: far outside Lindehoven
    else:
        rows[bad]["id"] = rows[1]["id"]
    path = kobo_csv(rows, tmp_path / "fout.csv")
    before = stored(project)
    with pytest.raises(WijkkitInputError) as info:
        import_schouw(project, path, alles_of_niets=True)
    assert len(info.value.problemen) == 1
    message = str(info.value)
    assert "fout.csv" in message and words in message and f"rij {bad + 2}" in message  # the header is row 1
    assert column.split("/")[-1] in (info.value.kolom or "") or column in message
    assert stored(project) == before
    assert not (demo_project / "schouw").exists()


def test_a_schouw_export_in_the_figures_folder_is_named_for_what_it_is(demo_project, tmp_path):
    rows = submissions(inside_points(demo_project))
    kobo_csv(rows, demo_project / "data" / "schouw-export.csv")
    with pytest.raises(WijkkitInputError, match="wijkkit schouw importeer"):
        Project.load(demo_project).load_indicators()


# ---------------------------------------------------------------------------------------------------- trend, page
def test_walked_again_gives_a_trend_and_the_page_sets_three_sources_side_by_side(demo_project, tmp_path):
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.panelen import Panelen

    project = Project.load(demo_project)
    points = inside_points(demo_project)
    first, second = submissions(points, seed=11, jaar=2023), submissions(points, seed=12, jaar=2024)
    second[1].update(opmerking="<script>alert(1)</script> kapotte bank", toestemming="ja")
    second[3].update(opmerking="GEHEIM zonder toestemming", toestemming="nee")
    import_schouw(project, kobo_csv(first, tmp_path / "2023.csv"))
    import_schouw(project, kobo_csv(second, tmp_path / "2024.csv"))
    code = sorted(points)[0]
    kring = Kenniskring(project)
    profiel = kring.profiel(code).set_index("indicator")
    shares = {j: expected_shares(rows, 5)[(code, "schouw_zwerfvuil")] for j, rows in ((2023, first), (2024, second))}
    row = profiel.loc["schouw_zwerfvuil"]
    assert row["waarde"] == pytest.approx(shares[2024]) and int(row["jaar"]) == 2024
    assert row["verandering"] == pytest.approx(shares[2024] - shares[2023])

    panelen = Panelen(kring)
    samen = panelen.paneel("Samen bekeken", code, "schoon_heel")["html"]
    assert "wat de schouw zag" in samen and "de schouw zag:" in samen and "op B of beter" in samen
    kaart = panelen.paneel("Kaart", code, "schoon_heel")
    assert kaart["svg"].count('aria-label="Schouw ') == sum(r["buurt"] in kring.buurten_in("WK" + code[2:8])
                                                           for r in second)
    assert "<script>alert" not in kaart["svg"] + kaart["lijst"]
    assert "&lt;script&gt;" in kaart["lijst"]
    assert "GEHEIM" not in kaart["svg"] + kaart["lijst"] + samen
    # the buurt walked by three stays below the threshold: no share anywhere on the page
    small = sorted(points)[3]
    cijfers = kring.cijfers
    mask = (cijfers["gebied_code"] == small) & (cijfers["indicator"] == "schouw_zwerfvuil")
    assert "weinig" in set(cijfers.loc[mask, "status"].astype(str))


# ---------------------------------------------------------------------------------------------------- real map
@pytest.mark.realdata
def test_points_fall_in_the_right_buurt_of_a_real_cbs_buurtkaart(tmp_path):
    """Ermelo's real CBS buurtkaart (RD New, GeoPackage): a point inside each buurt is placed in that buurt."""
    if not SHARED_GEO.exists():
        pytest.skip("echte buurtkaart niet aanwezig (../shared/data/geo)")
    from wijkkit.kijken.importeren import kaart, plaatser

    root = tmp_path / "ermelo"
    (root / "data").mkdir(parents=True)
    (root / "wijkkit.toml").write_text(
        '[project]\nnaam = "Ermelo"\ngemeente = "GM0233"\n[kaart]\nbestand = "' + str(SHARED_GEO) + '"\n',
        encoding="utf-8")
    project = Project.load(root)
    shapes = gpd.read_file(SHARED_GEO)
    code_col = next(c for c in shapes.columns if c.lower() in ("buurtcode", "bu_code", "statcode"))
    own = shapes[shapes[code_col].astype(str).str[2:6] == "0233"].to_crs(4326)
    assert len(own) > 5
    plaats = plaatser(kaart(project))
    for code, geom in zip(own[code_col], own.geometry):
        point = geom.representative_point()
        assert plaats(point.y, point.x) == code
    assert plaats(52.3731, 4.8922) is None
    assert set(buurten(project)) == set(own[code_col].astype(str))


def test_older_kobotoolbox_export_with_na_cells_underscore_groups_and_a_phone_without_fix(demo_project, tmp_path):
    """As formhub and older KoBoToolbox write it (seen in exports others published): 'n/a' for a skipped
    question, '_' as the group separator, meta/instanceID before _uuid, and '0 0 0 99' from a phone without a
    GPS fix (then the chosen buurt counts); an empty last line of a sheet is no submission."""
    project = Project.load(demo_project)
    points = inside_points(demo_project)
    a, b = sorted(points)[:2]
    header = ("today,datum,plek,locatie,_locatie_latitude,_locatie_longitude,buurt,schouw_zwerfvuil,schouw_groen,"
              "opmerking,toestemming,meta/instanceID,_uuid,_submission_time")
    lines = [header,
             f"2024-05-10,10.05.2024,gps,{points[a][0]} {points[a][1]} 3 5,{points[a][0]},{points[a][1]},n/a,c,n/a,"
             "n/a,ja,uuid:x1,x1,2024-05-10T12:00:00",
             f"2024-05-10,n/a,buurt,0.000000 0.000000 0 99,0,0,{b},a,b,n/a,nee,uuid:x2,x2,2024-05-11T09:00:00",
             ",,,,,,,,,,,,,"]
    (tmp_path / "formhub.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    verslag = import_schouw(project, tmp_path / "formhub.csv")
    assert (verslag.bron, verslag.nieuw) == ("kobo", 2)
    table = waarnemingen(project.open_store()).set_index("id")
    assert table.loc["x1", "gebied"] == a and table.loc["x1", "scores"] == {"zwerfvuil": "C"}
    assert str(table.loc["x1", "datum"]) == "2024-05-10"
    assert table.loc["x2", "gebied"] == b and pd.isna(table.loc["x2", "lat"])
    # no datum: the day the form was opened ('today'), not the day the phone sent it (issue 37)
    assert str(table.loc["x2", "datum"]) == "2024-05-10"


def test_the_schouw_on_both_stores_and_all_or_nothing_there_too(demo_project, tmp_path, store_url):
    """SQLite for a laptop, PostgreSQL for a team server: the same rows, and a bad file leaves both untouched."""
    toml = demo_project / "wijkkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('url = "sqlite:///wijkkit.db"', f'url = "{store_url}"'),
                    encoding="utf-8")
    project = Project.load(demo_project)
    rows = submissions(inside_points(demo_project), seed=5)
    import_schouw(project, kobo_csv(rows, tmp_path / "goed.csv"))
    table = waarnemingen(project.open_store()).set_index("id")
    assert {i: table.loc[i, "scores"] for i in table.index} == {
        r["id"]: {k: v for k, v in r["scores"].items() if v} for r in rows}
    assert {i: bool(table.loc[i, "toestemming"]) for i in table.index} == {r["id"]: r["toestemming"] == "ja"
                                                                          for r in rows}
    before = stored(project)
    more = submissions(inside_points(demo_project), seed=6, jaar=2025)
    more[-1]["scores"]["groen"] = "F"
    with pytest.raises(WijkkitInputError):
        import_schouw(project, kobo_csv(more, tmp_path / "fout.csv"), alles_of_niets=True)
    assert stored(project) == before
    cijfers = project.load_indicators()
    assert 2025 not in set(cijfers.loc[cijfers["indicator"] == "schouw_zwerfvuil", "jaar"])
