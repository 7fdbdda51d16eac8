"""One truth on the page: the Cijfers tab, 'wijkkit tellen profiel' and 'Samen bekeken' agree for every wijk.

'tellen profiel' prints one gebied's profile (``wijkprofiel`` on that gebied alone); the page computes all gebieden
at once; 'Samen bekeken' judges the themes. For every wijk and theme: the figures the Cijfers tab lists are the
ones the profile has a value for (also those without an index, and the 'Overige cijfers' outside the catalogue),
and 'Samen bekeken' says "geen cijfers" exactly where there are none. Checked on the real Utrecht files (10 wijken)
and on the national test file (a gemeente of 12 wijken with letter codes).
"""

from __future__ import annotations

import html
import re
import shutil

import pytest

from tests.landelijk import build as build_landelijk
from wijkkit.config import Project, init_project
from wijkkit.kenniskring.gegevens import Kenniskring
from wijkkit.kenniskring.panelen import Panelen
from wijkkit.tellen.profiel import OVERIG, wijkprofiel


def labels_in(fragment: str) -> list[str]:
    return [html.unescape(m) for m in re.findall(r"<li class='wk-cijfer'>.*?<b>(.*?)</b>", fragment)]


def check_every_wijk(project: Project) -> int:
    kring = Kenniskring(project)
    panelen = Panelen(kring)
    checked = 0
    cijfers = project.load_indicators()
    wide_checked = False
    for wijk in [c for c, n in kring.niveaus.items() if n == "wijk"]:
        # what 'wijkkit tellen profiel --gebied WIJK' prints: the rows with a value
        alone = wijkprofiel(cijfers, wijk, referentie=project.referentie(), catalogus=project.catalogus)
        alone = alone[alone["waarde"].notna()]
        tabel = kring.kruistabel(wijk).set_index("thema")
        overig = sorted(alone.loc[alone["domein"] == OVERIG, "label"])
        for _, thema in kring.thema_keuzes():
            page = panelen.paneel("Cijfers", wijk, thema, smal=True)["html"]
            main, _, rest = page.partition("<details class='wk-overig'>")
            expected = alone[alone["domein"] == thema]
            assert sorted(labels_in(main)) == sorted(expected["label"]), (wijk, thema)
            assert sorted(labels_in(rest)) == overig, (wijk, thema)
            said = tabel.loc[thema, "cijfers"] if thema in tabel.index else "geen cijfers"
            assert (said == "geen cijfers") == expected.empty, (wijk, thema, said)
            # the wide page says 'geen cijfers' only where the list is empty (charts drawn once: they take time)
            if expected.empty or not wide_checked:
                wide = panelen.paneel("Cijfers", wijk, thema)["html"]
                assert ("zijn er geen cijfers" in wide) == expected.empty, (wijk, thema)
                wide_checked = wide_checked or not expected.empty
            checked += 1
    return checked


def test_utrecht_every_wijk(tmp_path, real_cbs):
    from tests.utrecht_project import build

    root = build(tmp_path / "utrecht")
    assert check_every_wijk(Project.load(root)) >= 10 * 12


def test_national_file_every_wijk_of_a_gemeente(tmp_path):
    landelijk = build_landelijk(tmp_path / "kwb-2024-nederland.csv")
    root = init_project(tmp_path / "amsterdam", naam="Amsterdam", gemeente="GM0363")
    shutil.copy(landelijk.path, root / "data" / landelijk.path.name)
    wijken = [r for r in landelijk.van("GM0363") if r["code"].startswith("WK")]
    assert check_every_wijk(Project.load(root)) == len(wijken) * 12


@pytest.fixture(scope="module")
def verhalen_project(tmp_path_factory):
    """The demo project with its stories imported and coded (once for this module: an import takes a while)."""
    from tests.kenniskring_project import coded_demo

    return coded_demo(tmp_path_factory.mktemp("waarheid") / "demo").root


def test_no_next_step_where_a_theme_can_be_shown(verhalen_project):
    kring = Kenniskring(Project.load(verhalen_project))
    wijk = kring.standaard_gebied()
    assert kring.volgende_stap(wijk) is None
    assert "wk-volgende" not in Panelen(kring).paneel("Samen bekeken", wijk, "wonen")["html"]


def test_the_page_says_once_what_to_do_when_every_theme_is_under_the_threshold(verhalen_project, tmp_path):
    root = tmp_path / "hoge-drempel"
    shutil.copytree(verhalen_project, root)
    toml = root / "wijkkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("drempel = 5", "drempel = 500"), encoding="utf-8")
    kring = Kenniskring(Project.load(root))
    panelen = Panelen(kring)
    wijk = kring.standaard_gebied()
    samen = panelen.paneel("Samen bekeken", wijk, "wonen")["html"]
    verhalen = panelen.paneel("Verhalen", wijk, "wonen")["html"]
    for page in (samen, verhalen):
        assert page.count("wk-volgende") == 1 and "werkbank" in page and "wijkkit kenniskring nodig" in page
    nodig = kring.nog_nodig(wijk)
    assert set(nodig) == {t for _, t in kring.thema_keuzes()} and all(0 < n <= 500 for n in nodig.values())
