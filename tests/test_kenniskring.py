"""Kenniskring: duiding notes, the map, privacy thresholds, and canaries that must never surface."""

from datetime import date

import altair as alt
import numpy as np
import pandas as pd
import pytest

from tests.kenniskring_project import CANARY_STRINGS, build
from wijkkit.config import Project
from wijkkit.errors import WijkkitInputError
from wijkkit.kenniskring.duiding import aanwezigen_tekst, add_duiding, duidingen
from wijkkit.store import open_store
from wijkkit.verbinden.kaart import buurtkaart, read_geometry, tile_positions
from wijkkit.vertellen.importeren import import_stories


@pytest.fixture(scope="module")
def kring_project(tmp_path_factory):
    root, planted = build(tmp_path_factory.mktemp("kring") / "demo")
    project = Project.load(root)
    import_stories(project, root / "stories", door="test")
    return project, planted


def no_canary(text: str, where: str) -> None:
    found = [c for c in CANARY_STRINGS if c in text]
    assert not found, f"{where} bevat {found}"


def test_duiding_is_stored_pseudonymised_and_listed_back(tmp_path, pseudonimiseerder):
    store = open_store(f"sqlite:///{tmp_path / 'd.db'}")
    with pytest.raises(ValueError, match="minstens één"):
        add_duiding(store, gebied="WK999903", thema="sociale_samenhang", datum=date(2026, 11, 1))
    with pytest.raises(ValueError, match="onbekende rol"):
        add_duiding(store, gebied="WK999903", thema="sociale_samenhang", datum=date(2026, 11, 1),
                    wat_zien_we="x", aanwezigen={"wethouder": 1})
    add_duiding(store, gebied="WK999903", thema="sociale_samenhang", datum=date(2026, 10, 1),
                wat_zien_we="Eerste sessie.", aanwezigen={"bewoner": 1})
    add_duiding(store, gebied="WK999903", thema="sociale_samenhang", datum=date(2026, 11, 1),
                wat_zien_we="Het cijfer is goed, maar Gertrude Vlasbloem (06-98765432) voelt zich eenzaam.",
                verklaring="De buurtkamer is dicht.", wat_willen_we="Buurtkamer weer open.",
                aanwezigen={"bewoner": 6, "professional": 2, "jongere": 0}, pseudonimiseerder=pseudonimiseerder)
    add_duiding(store, gebied="WK999902", thema="wonen", datum=date(2026, 11, 1), wat_zien_we="Ander gebied.")
    notes = duidingen(store, gebied="WK999903", thema="sociale_samenhang")
    assert list(notes["datum"]) == [date(2026, 11, 1), date(2026, 10, 1)]  # newest first
    newest = notes.iloc[0]
    assert "Vlasbloem" not in newest["wat_zien_we"] and "06-98765432" not in newest["wat_zien_we"]
    assert "[PERSOON-1]" in newest["wat_zien_we"] and "eenzaam" in newest["wat_zien_we"]
    assert newest["aanwezigen"] == {"bewoner": 6, "professional": 2}
    assert aanwezigen_tekst(newest["aanwezigen"]) == "6 bewoners, 2 professionals"
    assert aanwezigen_tekst({"bewoner": 1}) == "1 bewoner"


def test_geometry_in_rd_is_reprojected_and_bad_files_are_named(tmp_path):
    import geopandas as gpd

    wgs = gpd.read_file("data/lindehoven-buurten.geojson")
    rd_path = tmp_path / "buurten.gpkg"
    wgs.to_crs(28992).to_file(rd_path, driver="GPKG")
    frame = read_geometry(rd_path, "buurtcode", "buurtnaam")
    assert frame.crs.to_epsg() == 4326 and len(frame) == 14
    # same places as the WGS84 original, to well within a metre
    assert np.allclose(frame.to_crs(28992).geometry.centroid.x, wgs.to_crs(28992).geometry.centroid.x, atol=0.5)
    with pytest.raises(WijkkitInputError) as info:
        read_geometry(rd_path, "bu_code")
    assert "buurten.gpkg" in str(info.value) and "bu_code" in str(info.value)
    broken = tmp_path / "kapot.geojson"
    broken.write_text("{niet json", encoding="utf-8")
    with pytest.raises(WijkkitInputError, match="kapot.geojson"):
        read_geometry(broken)


def test_map_and_tile_fallback_carry_values_and_selection():
    values = pd.DataFrame({"gebied_code": ["BU99990101", "BU99990102", "BU99990201"],
                           "gebied_naam": ["Oude Haven", "Marktkwartier", "Rietveld-Noord"],
                           "waarde": [80.0, np.nan, 120.0], "tekst": ["a", "geen cijfers", "c"]})
    grid = tile_positions(list(values["gebied_code"]))
    assert grid.set_index("gebied_code")[["rij", "kolom"]].to_dict("index") == {
        "BU99990101": {"rij": 0, "kolom": 0}, "BU99990102": {"rij": 0, "kolom": 1},
        "BU99990201": {"rij": 1, "kolom": 0}}
    for geometry in (None, read_geometry("data/lindehoven-buurten.geojson", "buurtcode", "buurtnaam")):
        spec = buurtkaart(values, waarde="waarde", titel="t", legenda="l", geometry=geometry,
                          gekozen=["BU99990201"]).to_dict()
        data = [row for rows in spec["datasets"].values() for row in rows]
        chosen = {r.get("gebied_code") or r.get("properties", {}).get("gebied_code")
                  for r in data if r.get("gekozen") or r.get("properties", {}).get("gekozen")}
        assert chosen == {"BU99990201"}
        params = [p for layer in spec["layer"] for p in layer.get("params", [])] + spec.get("params", [])
        assert any(p["name"] == "gebied_keuze" for p in params)


def test_small_counts_are_never_shown_as_numbers(kring_project):
    from wijkkit.kenniskring.gegevens import Kenniskring

    project, _ = kring_project
    kring = Kenniskring(project)
    for code in kring.namen:
        if kring.niveaus[code] not in ("wijk", "buurt"):
            continue
        for _, thema in kring.thema_keuzes():
            beeld = kring.verhalen(code, thema)
            if beeld.verhalen < kring.drempel:
                assert beeld.publiek == f"minder dan {kring.drempel}" and beeld.citaten.empty
                assert beeld.per_periode.empty
            else:
                assert beeld.publiek == str(beeld.verhalen)
                assert len(beeld.citaten) <= 5
    map_values = kring.kaartwaarden("sociale_samenhang", "verhalen")
    hidden = map_values[map_values["tekst"].str.startswith("minder dan")]
    assert hidden["waarde"].isna().all()


def test_quotes_only_with_consent_and_from_several_voices(kring_project):
    from wijkkit.kenniskring.gegevens import Kenniskring

    project, _ = kring_project
    kring = Kenniskring(project)
    beeld = kring.verhalen("WK999903", "sociale_samenhang")
    assert beeld.genoeg and 3 <= len(beeld.citaten) <= 5
    quotable = kring.stories.set_index("id")["toestemming"]
    texts = kring.codings.groupby("story_id")["bewijs"].apply(set)
    for quote in beeld.citaten.itertuples():
        assert quotable[quote.story_id] == "citeren-anoniem" and quote.citaat in texts[quote.story_id]
    assert beeld.citaten["verteller_rol"].nunique() >= 2


def test_canaries_never_reach_dashboard_export_or_chart_data(kring_project, monkeypatch):
    from wijkkit.kenniskring import dashboard as dashboard_module
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.samenvatting import summary_html

    project, planted = kring_project
    assert len(planted) >= 6
    store = open_store(project.config.store.url, project_root=project.root)
    with store.read() as session:
        from wijkkit.store.models import Story

        planted_texts = [session.get(Story, sid).tekst for sid in planted]
    for text in planted_texts:  # the canary sentence itself is there, pseudonymised
        assert "voelt zich erg eenzaam" in text and "[PERSOON-" in text
        no_canary(text, "de store")

    shown = []

    def capture(*objects, **_):
        for obj in objects:
            if isinstance(obj, alt.TopLevelMixin):
                shown.append(obj.to_json())
            elif hasattr(obj, "spec"):
                shown.append(str(obj.spec))
            elif hasattr(obj, "data"):
                shown.append(str(obj.data))
            else:
                shown.append(repr(obj))

    monkeypatch.setattr(dashboard_module, "display", capture)
    kring = Kenniskring(project)
    board = dashboard_module.Dashboard(kring)
    quoted_canary_sentence = False
    for gebied in ("WK999903", "BU99990301", "BU99990302", "BU99990303"):
        for thema in ("sociale_samenhang", "voorzieningen"):
            board.kies_gebied.value, board.kies_thema.value = gebied, thema
            for maat in ("cijfers", "verhalen"):
                board.kaart_maat.value = maat
            shown.append(board.lijst.value)
            export = summary_html(kring, gebied, thema, charts=board._figure_charts())
            no_canary(export, f"samenvatting {gebied}/{thema}")
            quoted_canary_sentence |= "voelt zich erg eenzaam" in export
    everything = "\n".join(shown)
    no_canary(everything, "dashboard (HTML en grafiekdata)")
    assert quoted_canary_sentence, "the planted sentences should be quoted (pseudonymised), or this test proves nothing"
    assert "voelt zich erg eenzaam" in everything
