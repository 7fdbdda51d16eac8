"""Kenniskring: duiding notes, the map, privacy thresholds, and canaries that must never surface."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from tests.conftest import team_accepts_suggestions
from tests.kenniskring_project import CANARY_STRINGS, build
from wijkkit.config import Project
from wijkkit.errors import WijkkitInputError
from wijkkit.kenniskring.duiding import aanwezigen_tekst, add_duiding, duidingen
from wijkkit.store import open_store
from wijkkit.verbinden.kaart import buurtkaart, read_geometry
from wijkkit.vertellen.importeren import import_stories


@pytest.fixture(scope="module")
def kring_project(tmp_path_factory):
    root, planted = build(tmp_path_factory.mktemp("kring") / "demo")
    project = Project.load(root)
    import_stories(project, root / "stories", door="test")
    team_accepts_suggestions(project)
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
    # counts under the privacy threshold are not shown, here as everywhere
    assert aanwezigen_tekst(newest["aanwezigen"], 5) == "6 bewoners, minder dan 5 professionals"
    assert aanwezigen_tekst(newest["aanwezigen"], 1) == "6 bewoners, 2 professionals"
    assert aanwezigen_tekst({"bewoner": 1}, 1) == "1 bewoner"


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


def test_map_focuses_on_the_wijk_and_every_gebied_names_itself():
    import re

    from wijkkit.charts import svg
    from wijkkit.verbinden.kaart import _fitting_labels

    geometry = read_geometry("data/lindehoven-buurten.geojson", "buurtcode", "buurtnaam")
    values = pd.DataFrame({"gebied_code": geometry["gebied_code"], "gebied_naam": geometry["gebied_naam"]})
    values["waarde"] = np.linspace(60, 140, len(values))
    values.loc[0, "waarde"] = np.nan
    values["tekst"] = [f"toelichting {i}" for i in range(len(values))]
    focus = [c for c in values["gebied_code"] if c.startswith("BU999902")]
    spec = buurtkaart(values, waarde="waarde", titel="t", legenda="l", geometry=geometry, focus=focus,
                      gekozen=focus[0]).to_dict()
    # zoomed to the wijk: the projection is fitted to exactly its buurten
    assert len(spec["projection"]["fit"]["features"]) == len(focus)
    drawn = svg(buurtkaart(values, waarde="waarde", titel="t", legenda="l", geometry=geometry, focus=focus,
                           gekozen=focus[0]))
    labelled = set(re.findall(r'aria-label="[^"]*\[(BU\d+)\]"', drawn))
    assert set(focus) <= labelled  # every buurt of the wijk can be clicked ...
    assert labelled == set(values["gebied_code"])  # ... and so can the context around it
    name = values.set_index("gebied_code").loc[focus[0], "gebied_naam"]
    assert f"<title>{name}: toelichting" in drawn  # a hover name without script
    # names are printed only where they fit: none on a stamp-sized map, every short one on a large map
    shapes = geometry[geometry["gebied_code"].isin(focus)]
    assert _fitting_labels(shapes, 40, 30).empty
    assert len(_fitting_labels(shapes, 2000, 1600)) == len(shapes)


def test_without_shapes_the_map_is_a_sorted_bar_list_of_the_gebieden_in_focus():
    import re

    from wijkkit.charts import svg

    codes = [f"BU0344{i:04d}" for i in range(111)]  # a city of 111 buurten, as Utrecht
    values = pd.DataFrame({"gebied_code": codes, "gebied_naam": [f"Buurt {i}" for i in range(111)],
                           "waarde": np.linspace(60, 140, 111), "tekst": "x"})
    values.loc[5, "waarde"] = np.nan
    focus = codes[:12]
    chart = buurtkaart(values, waarde="waarde", titel="t", legenda="l", focus=focus, gekozen=focus[3])
    spec = chart.to_dict()
    order = spec["layer"][0]["encoding"]["y"]["sort"]
    expected = (values[values["gebied_code"].isin(focus)].sort_values("waarde", ascending=False, na_position="last")
                ["gebied_naam"].tolist())
    assert order == expected and order[-1] == "Buurt 5"  # most favourable on top, no value last
    drawn = svg(chart)
    assert set(re.findall(r'aria-label="[^"]*\[(BU\d+)\]"', drawn)) == set(focus)  # only the wijk, not 111
    assert drawn.count("◀ gekozen") == 1

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


def widget_texts(widget) -> str:
    """Everything a page would show: the values of all HTML widgets and the map's SVG."""
    import ipywidgets as w

    out, stack = [], [widget]
    while stack:
        item = stack.pop()
        if isinstance(item, (w.HTML, w.HTMLMath)):
            out.append(item.value)
        if hasattr(item, "svg"):
            out.append(item.svg)
        stack.extend(getattr(item, "children", ()))
    return "\n".join(out)


def test_canaries_never_reach_dashboard_export_or_chart_data(kring_project):
    from wijkkit.kenniskring.dashboard import TABS, Dashboard
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.samenvatting import figure_charts, summary_html

    project, planted = kring_project
    assert len(planted) >= 6
    store = open_store(project.config.store.url, project_root=project.root)
    with store.read() as session:
        from wijkkit.store.models import Story

        planted_texts = [session.get(Story, sid).tekst for sid in planted]
    for text in planted_texts:  # the canary sentences themselves are there, pseudonymised
        assert "voelt zich erg eenzaam" in text and "[PERSOON-" in text and "[TELEFOON-" in text
        no_canary(text, "de store")

    kring = Kenniskring(project)
    board = Dashboard(kring)
    shown = []
    quoted_canary_sentence = False
    for gebied in ("WK999903", "BU99990301", "BU99990302", "BU99990303"):
        for thema in ("sociale_samenhang", "voorzieningen"):
            board.kies(gebied=gebied, thema=thema)
            for index, _ in enumerate(TABS):
                board.tabs.selected_index = index
                for maat in ("cijfers", "verhalen"):
                    board.kaart_maat.value = maat
                    shown.append(widget_texts(board))
            export = summary_html(kring, gebied, thema, charts=figure_charts(kring, gebied, thema))
            no_canary(export, f"samenvatting {gebied}/{thema}")
            quoted_canary_sentence |= "voelt zich erg eenzaam" in export
    everything = "\n".join(shown)
    no_canary(everything, "dashboard (HTML en kaart)")
    assert quoted_canary_sentence, "the planted sentences should be quoted (pseudonymised), or this test proves nothing"
    assert "voelt zich erg eenzaam" in everything
    # the second planted sentence only says how to reach someone: never a quote
    assert "Bel haar gerust" not in everything and "[TELEFOON-" not in everything


def test_quotes_say_something_about_the_theme():
    from wijkkit.coderen.rapport import quotes, says_something

    assert not says_something("Bel gerust, mijn nummer is [TELEFOON-1].")
    assert not says_something("Mail [PERSOON-1] op [EMAIL-1] voor de sleutel van het buurthuis, echt waar.")
    assert not says_something("Ja, [PERSOON-1] en [PERSOON-2] ook.")
    assert says_something("Mijn buurvrouw [PERSOON-1] voelt zich erg eenzaam sinds de buurtkamer dicht is.")
    frame = pd.DataFrame({
        "thema_label": ["Samenhang"] * 3, "story_id": ["a", "b", "c"], "segment_id": [1, 2, 3],
        "bewijs": ["Bel gerust, mijn nummer is [TELEFOON-1].",
                   "Sinds de buurtkamer dicht is zie ik niemand meer op straat.",
                   "We eten elke vrijdag samen in het buurthuis, dat is fijn."],
        "valentie": ["neutraal", "knelpunt", "kracht"], "verteller_rol": ["bewoner"] * 3,
        "methode": ["interview"] * 3, "toestemming": ["citeren-anoniem"] * 3, "codeur": ["x"] * 3})
    picked = quotes(frame, per_thema=5)
    assert set(picked["story_id"]) == {"b", "c"}


def test_a_duiding_is_pseudonymised_lightly_in_the_page_and_fully_afterwards(kring_project):
    """The dashboard kernel holds no gigabyte name model: the light pass at once, the full one later."""
    from wijkkit.kenniskring.duiding import wachtend
    from wijkkit.kenniskring.nabewerking import nabewerken
    from wijkkit.privacy import Pseudonimiseerder
    from wijkkit.store.models import Duiding

    project, _ = kring_project
    store = open_store(project.config.store.url, project_root=project.root)
    waiting = wachtend(store)
    text = "Volgens Joost Drenth spraken we met Bakker van de corporatie over de tuinen."
    ident = add_duiding(store, gebied="WK999902", thema="wonen", datum=date(2026, 11, 23), wat_zien_we=text,
                        pseudonimiseerder=Pseudonimiseerder(use_deduce=False))
    with store.read() as session:
        note = session.get(Duiding, ident)
        light, level = note.wat_zien_we, note.pseudo_niveau
    # the light pass catches the full name, not a bare surname: that is what the later pass is for
    assert level == "licht" and "Drenth" not in light and "[PERSOON-1]" in light and "Bakker" in light
    assert wachtend(store) == waiting + 1
    assert nabewerken(project) == waiting + 1
    with store.read() as session:
        note = session.get(Duiding, ident)
        full, level = note.wat_zien_we, note.pseudo_niveau
    assert level == "volledig" and wachtend(store) == 0
    # two people, two numbers: the new placeholder continues after the light pass's one
    assert "Bakker" not in full and "[PERSOON-1]" in full and "[PERSOON-2]" in full
    assert full.endswith("van de corporatie over de tuinen.")
    assert nabewerken(project) == 0  # nothing left: the pass does not run twice


def test_the_exported_summary_names_its_theme_cites_its_stories_and_rounds_like_its_chart(kring_project, tmp_path):
    import re

    import pandas as pd

    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.samenvatting import MAANDEN, summary_html, write_summary

    project, _ = kring_project
    kring = Kenniskring(project)
    gebied = kring.standaard_gebied()
    thema = next(t for t in kring.codebook.theme_ids if kring.verhalen(gebied, t).genoeg)
    label = kring.labels[thema]
    path = write_summary(kring, gebied, thema, map_=tmp_path)
    slug = re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")
    assert slug in path.name and str(tmp_path) not in path.read_text(encoding="utf-8")
    page = summary_html(kring, gebied, thema)
    # method and period of the stories, as the README's citation rule asks (computed from the store here)
    from wijkkit.verbinden.kruistabel import in_gebied

    mine = kring.stories[in_gebied(kring.stories["gebied"].astype(str), gebied)]
    stories = mine[mine["id"].isin(kring.codings.loc[kring.codings["thema"] == thema, "story_id"])]
    first = pd.to_datetime(stories["datum"]).min()
    assert f"{MAANDEN[first.month - 1]} {first.year}" in page
    assert all(method in page for method in stories["methode"].unique())
    # figures in the table carry at most one decimal, as the chart shows them
    assert not re.search(r"<td>\d+,\d{2,}", page)
