"""A national StatLine file in a project for one gemeente: the project is about its own gemeente.

The file (``tests/landelijk.py``) has 18,000+ rows of 342 gemeenten, Amsterdam with letter codes. Every
expected value is computed here from the rows written to the file, never taken from wijkkit's output.
"""

from __future__ import annotations

import shutil

import pytest

from tests.landelijk import build
from wijkkit.config import Project, init_project
from wijkkit.errors import WijkkitInputError
from wijkkit.tellen.laden import Scope, load_indicators

GEMEENTE = "GM0361"  # Alkmaar: nobody here had used it


@pytest.fixture(scope="module")
def landelijk(tmp_path_factory):
    return build(tmp_path_factory.mktemp("nl") / "kwb-2024-nederland.csv")


@pytest.fixture
def project(tmp_path, landelijk):
    root = init_project(tmp_path / "alkmaar", naam="Alkmaar", gemeente=GEMEENTE)
    shutil.copy(landelijk.path, root / "data" / landelijk.path.name)
    return Project.load(root)


def share_65(row: dict) -> float:
    return row["Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)"] / row["Bevolking/Aantal inwoners (aantal)"] * 100


def test_the_file_is_national_size_with_letter_codes(landelijk):
    assert len(landelijk.rijen) >= 18_000
    assert len(landelijk.gemeenten()) == 342
    assert any(r["code"] == "WK0363AA" for r in landelijk.rijen)


def test_a_project_works_on_its_own_gemeente_only(project, landelijk):
    cijfers = project.load_indicators()
    own = {r["code"] for r in landelijk.van(GEMEENTE)}
    assert set(cijfers["gebied_code"].astype(str)) == own | {"NL00"}
    inwoners = cijfers[cijfers["indicator"] == "a_inw"].set_index(cijfers[cijfers["indicator"] == "a_inw"]
                                                                   ["gebied_code"].astype(str))["waarde"]
    for row in landelijk.van(GEMEENTE):
        assert inwoners[row["code"]] == row["Bevolking/Aantal inwoners (aantal)"]


def test_the_reference_is_the_gemeente_it_names(project, landelijk):
    from wijkkit.kenniskring.gegevens import Kenniskring

    kring = Kenniskring(project)
    wijk = next(r for r in landelijk.van(GEMEENTE) if r["code"].startswith("WK"))
    profiel = kring.profiel(wijk["code"]).set_index("indicator")
    expected = share_65(landelijk.rij(GEMEENTE))
    assert profiel.loc["p_65_oo", "referentie_waarde"] == pytest.approx(expected)
    assert profiel.loc["p_65_oo", "index"] == pytest.approx(share_65(wijk) / expected * 100)
    assert kring.referentie_label() == "gemeente Alkmaar = 100"
    # the first gemeente of the file is another one: its index would differ
    assert share_65(landelijk.rij(landelijk.gemeenten()[0])) != pytest.approx(expected)


def test_the_lists_offer_only_the_own_gemeente(project, landelijk):
    from wijkkit.kenniskring.gegevens import Kenniskring

    kring = Kenniskring(project)
    wijken = [code for _, code in kring.wijk_keuzes()]
    assert wijken == [GEMEENTE] + sorted(r["code"] for r in landelijk.van(GEMEENTE) if r["code"].startswith("WK"))
    assert all(code[2:6] == GEMEENTE[2:] for code in kring.zoek_keuzes().values())
    assert kring.standaard_gebied() == sorted(c for c in kring.namen if c.startswith("WK"))[0]


def test_comparisons_with_other_gemeenten_stay_possible(project, landelijk):
    from wijkkit.tellen.profiel import Referentie, wijkprofiel

    toml = project.root / "wijkkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'referentie = "gemeente"', 'referentie = "gebieden:GM0363,GM0599"'), encoding="utf-8")
    project = Project.load(project.root)
    cijfers = project.load_indicators()
    assert {"GM0363", "GM0599"} <= set(cijfers["gebied_code"].astype(str))
    assert not any(str(c).startswith(("WK0363", "BU0363")) for c in cijfers["gebied_code"].unique())
    profiel = wijkprofiel(cijfers, GEMEENTE, referentie=project.referentie(), catalogus=project.catalogus)
    expected = (share_65(landelijk.rij("GM0363")) + share_65(landelijk.rij("GM0599"))) / 2
    assert profiel.set_index("indicator").loc["p_65_oo", "referentie_waarde"] == pytest.approx(expected)
    nederland = wijkprofiel(cijfers, GEMEENTE, referentie=Referentie.parse("nederland"), catalogus=project.catalogus)
    assert nederland.set_index("indicator").loc["p_65_oo", "referentie_waarde"] == pytest.approx(
        share_65(landelijk.rij("NL00")))
    assert Referentie.parse("nederland").label() == "Nederland = 100"


def test_a_project_without_its_gemeente_is_asked_for_one(project):
    toml = project.root / "wijkkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(f'gemeente = "{GEMEENTE}"', 'gemeente = ""'),
                    encoding="utf-8")
    with pytest.raises(WijkkitInputError) as info:
        Project.load(project.root).load_indicators()
    message = str(info.value)
    assert "[project] gemeente" in message and "nog niet ingevuld" in message
    # the project is called Alkmaar: that gemeente is named first, with its code
    assert message.index("Alkmaar (GM0361)") < message.index("Groningen (GM0014)")
    assert 'gemeente = "GM0361"' in message


def test_a_gemeente_that_is_not_in_the_files_is_named(project):
    toml = project.root / "wijkkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(f'gemeente = "{GEMEENTE}"', 'gemeente = "GM0000"'),
                    encoding="utf-8")
    with pytest.raises(WijkkitInputError, match="GM0000") as info:
        Project.load(project.root).load_indicators()
    assert "Alkmaar (GM0361)" in str(info.value)


def test_both_statline_flavours_read_the_same_figures(tmp_path, landelijk):
    gewoon = build(tmp_path / "kwb-2024-gewoon.csv", flavour="gewoon")
    scope = Scope(GEMEENTE)
    a = load_indicators(landelijk.path, scope=scope, cache=False)
    b = load_indicators(gewoon.path, scope=scope, cache=False)
    key = ["gebied_code", "indicator"]
    a = a.astype({"gebied_code": str, "indicator": str}).set_index(key).sort_index()
    b = b.astype({"gebied_code": str, "indicator": str}).set_index(key).sort_index()
    assert a.index.equals(b.index)
    assert ((a["waarde"] == b["waarde"]) | (a["waarde"].isna() & b["waarde"].isna())).all()
    # the symbols file says why a figure is missing ('x': secret), the plain one only that the cell is empty
    secret = a[a["status"] == "geheim"]
    assert len(secret) and (b.loc[secret.index, "status"] == "leeg").all()


def test_the_whole_file_is_cached_and_a_second_project_reads_its_own_part(tmp_path, landelijk, isolated_cache):
    first = load_indicators(landelijk.path, scope=Scope(GEMEENTE), cache_dir=isolated_cache)
    assert len(list(isolated_cache.glob("*.arrow"))) == 1
    other = load_indicators(landelijk.path, scope=Scope("GM0363"), cache_dir=isolated_cache)
    assert set(other["gemeente_code"].astype(str)) == {"GM0363", ""}
    assert len(list(isolated_cache.glob("*.arrow"))) == 1
    assert set(first["gemeente_code"].astype(str)) == {GEMEENTE, ""}


@pytest.mark.browser
def test_the_dashboard_on_a_national_file_shows_only_its_own_gemeente(project, landelijk):
    from tests.browser import chromium_page, open_page, require_browser, screenshot, voila_server

    require_browser()
    others = {r["gemeentenaam"] for r in landelijk.rijen if r["gemeente"] not in ("", GEMEENTE)}
    with voila_server(project.root, timeout=180) as url, chromium_page() as page:
        open_page(page, url, timeout=180_000)
        page.wait_for_function("Array.from(document.querySelectorAll('.wk-grafiek svg'))"
                               ".some(e => e.getBoundingClientRect().width > 0)", timeout=180_000)
        screenshot(page, "landelijk-cijfers.png")
        options = page.eval_on_selector_all("select option", "els => els.map(e => e.textContent)")
        wijken = page.eval_on_selector_all(".wk-wijk select option", "els => els.map(e => e.textContent)")
        text = page.inner_text("body")
        page.click(".lm-TabBar-tab:has-text('Kaart')")
        page.wait_for_selector(".wk-kaart svg", timeout=120_000)
        screenshot(page, "landelijk-kaart.png")
        text += page.inner_text("body") + " ".join(page.eval_on_selector_all(
            ".wk-kaart svg [aria-label]", "els => els.map(e => e.getAttribute('aria-label'))"))
    own_wijken = [r["naam"] for r in sorted(landelijk.van(GEMEENTE), key=lambda r: r["code"])
                  if r["code"].startswith("WK")]
    assert [w.replace("\xa0", " ").strip() for w in wijken] == ["Heel Alkmaar"] + own_wijken
    assert "100 = gemeente Alkmaar" in text
    shown = (" ".join(options) + " " + text).replace("\xa0", " ")
    assert not [naam for naam in others if naam in shown]


def test_a_theme_with_only_neutral_figures_still_colours_the_map(project, landelijk):
    from wijkkit.kenniskring.gegevens import Kenniskring

    kring = Kenniskring(project)
    # sociale samenhang has only figures without a verdict here (inhabitants, one-person households)
    assert kring.neutrale_indicator("sociale_samenhang") == "p_1p_hh"
    assert kring.neutrale_indicator("armoede_schulden") is None
    waarden = kring.kaartwaarden("sociale_samenhang").set_index("gebied_code")
    for row in landelijk.van(GEMEENTE):
        if row["code"].startswith("BU"):
            expected = (row["Bevolking/Particuliere huishoudens/Eenpersoonshuishoudens (aantal)"]
                        / row["Bevolking/Particuliere huishoudens/Huishoudens totaal (aantal)"] * 100)
            assert waarden.loc[row["code"], "waarde"] == pytest.approx(expected)
    assert "geen oordeel: hoger is niet beter of slechter" in " ".join(kring.kaart_uitleg("sociale_samenhang", "cijfers")).lower()


def test_a_boundary_file_is_read_for_the_own_gemeente_only(tmp_path):
    from tests.conftest import ROOT
    from wijkkit.verbinden.kaart import read_geometry

    ermelo = ROOT.parent / "shared" / "data" / "geo" / "cbs-buurtkaart-2021-ermelo.gpkg"
    if not ermelo.exists():
        pytest.skip("echte buurtkaart niet aanwezig (../shared/data/geo)")
    import geopandas as gpd

    everything = gpd.read_file(ermelo)
    own = read_geometry(ermelo, gemeente="GM0233")
    assert len(own) == len(everything) == 17
    assert read_geometry(ermelo, gemeente="GM0361").empty


def test_init_finds_a_boundary_file_in_data_and_writes_an_example_otherwise(tmp_path):
    from tests.conftest import ROOT

    bare = init_project(tmp_path / "leeg", naam="Leeg")
    text = (bare / "wijkkit.toml").read_text(encoding="utf-8")
    assert "# [kaart]" in text and Project.load(bare).config.kaart is None
    assert Project.load(bare).config.project.gemeente == ""
    ermelo = ROOT.parent / "shared" / "data" / "geo" / "cbs-buurtkaart-2021-ermelo.gpkg"
    if not ermelo.exists():
        pytest.skip("echte buurtkaart niet aanwezig (../shared/data/geo)")
    root = tmp_path / "ermelo"
    (root / "data").mkdir(parents=True)
    shutil.copy(ermelo, root / "data" / ermelo.name)
    init_project(root, naam="Ermelo", gemeente="GM0233")
    kaart = Project.load(root).config.kaart
    assert (kaart.bestand, kaart.code, kaart.naam) == (f"data/{ermelo.name}", "buurtcode", "buurtnaam")
