"""The straatschouw on the kenniskring page in headless Chromium: points on the map, a remark on click, and
figures, stories and schouw side by side (screenshots in reports/screenshots/schouw-*.png)."""

import pytest

from tests.browser import chromium_page, open_page, require_browser, screenshot, voila_server
from tests.conftest import team_accepts_suggestions
from tests.kenniskring_project import build
from wijkkit.config import Project
from wijkkit.kijken.importeren import import_schouw
from wijkkit.vertellen.importeren import import_stories

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root, _ = build(tmp_path_factory.mktemp("schouw") / "demo")
    proj = Project.load(root)
    import_stories(proj, root / "stories", door="test")
    team_accepts_suggestions(proj)
    for export in sorted((root / "data" / "schouw").glob("*.csv")):
        import_schouw(proj, export, door="test")
    return proj


def test_schouw_points_and_side_by_side(project):
    require_browser()
    from wijkkit.kenniskring.gegevens import Kenniskring

    kring = Kenniskring(project)
    wijk = project.config.project.gebieden[0]
    expected_points = len(kring.schouwpunten("schoon_heel", kring.buurten_in(wijk)))
    assert expected_points > 10
    with voila_server(project.root) as url, chromium_page(width=1280, height=1000) as page:
        open_page(page, url)
        page.select_option(".wk-thema select", label="Schoon en heel")
        page.click(".lm-TabBar-tab:has-text('Kaart')")
        points = page.locator(".wk-kaart svg path[aria-label^='Schouw ']")
        points.first.wait_for(timeout=90_000)
        assert points.count() == expected_points
        screenshot(page, "schouw-kaart.png")
        box = points.first.bounding_box()
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        info = page.locator(".wk-schouwpunt")
        info.wait_for(state="visible", timeout=30_000)
        assert info.inner_text().startswith("Schouw ")
        page.locator(".wk-schouwpunt").scroll_into_view_if_needed()
        screenshot(page, "schouw-punt.png")

        page.click(".lm-TabBar-tab:has-text('Samen bekeken')")
        drie = page.locator(".wk-drie:visible")
        drie.first.wait_for(timeout=60_000)
        text = drie.first.inner_text()
        assert "De cijfers zeggen" in text and "bewoners vertellen" in text and "de schouw zag" in text
        assert "wat de schouw zag" in page.inner_text("body")
        screenshot(page, "schouw-samen.png")
