"""The kenniskring dashboard in headless Chromium: offline, choose gebied and theme, charts render,
a duiding is stored, the summary opens offline, and no canary ever reaches the page."""

import pytest

from tests.browser import chromium_page, offline_file_page, open_page, require_browser, screenshot, voila_server
from tests.kenniskring_project import CANARY_STRINGS, coded_demo
from wijkkit.kenniskring.duiding import duidingen
from wijkkit.store import open_store

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return coded_demo(tmp_path_factory.mktemp("dash") / "demo")


def visible_chart(page, timeout=60_000):
    page.wait_for_function("Array.from(document.querySelectorAll('.wk-grafiek svg, .wk-kaart svg'))"
                           ".some(e => e.getBoundingClientRect().width > 0)", timeout=timeout)


def test_dashboard_session(project):
    require_browser()
    store = open_store(project.config.store.url, project_root=project.root)
    with voila_server(project.root) as url, chromium_page(height=720) as page:
        open_page(page, url)
        visible_chart(page)
        text = page.inner_text("body")
        assert "Error loading script" not in text and "Traceback" not in text
        assert "Kenniskring Lindehoven (demo)" in text
        screenshot(page, "dashboard-start.png")

        page.select_option(".wk-wijk select", label="Wijk 03 Lindenhof")
        page.select_option(".wk-thema select", label="Sociale samenhang")
        page.wait_for_selector("text=Hoe staat Wijk 03 Lindenhof ervoor op sociale samenhang", timeout=60_000)
        visible_chart(page)
        screenshot(page, "dashboard-cijfers.png")

        page.click(".lm-TabBar-tab:has-text('Verhalen')")
        page.wait_for_selector("blockquote >> visible=true", timeout=60_000)
        assert not [c for c in CANARY_STRINGS if c in page.inner_text("body")]
        screenshot(page, "dashboard-verhalen.png")

        page.click(".lm-TabBar-tab:has-text('Samen bekeken')")
        page.locator(".wk-spanning:visible, .wk-rustig:visible").first.wait_for(timeout=60_000)
        screenshot(page, "dashboard-samen.png")

        page.click(".lm-TabBar-tab:has-text('Kaart')")
        page.wait_for_selector(".wk-kaart svg path[aria-label$=']']", timeout=60_000)
        screenshot(page, "dashboard-kaart.png")

        page.click(".lm-TabBar-tab:has-text('Duiding')")
        page.fill(".wk-wat_zien_we textarea", "De cijfers zijn goed, maar Gertrude Vlasbloem (06-98765432) is eenzaam.")
        page.fill(".wk-verklaring textarea", "De buurtkamer is dicht.")
        page.fill(".wk-wat_willen_we textarea", "Een nieuwe plek om elkaar te ontmoeten.")
        page.fill(".wk-aanwezig-bewoner input", "7")
        page.fill(".wk-aanwezig-professional input", "3")
        page.keyboard.press("Tab")
        page.click(".wk-bewaar")
        page.wait_for_selector("text=De duiding is bewaard", timeout=60_000)
        # 3 professionals is under the privacy threshold (5): not shown as a number, here as everywhere
        page.wait_for_selector("text=7 bewoners, minder dan 5 professionals", timeout=30_000)
        # until the full pass (name model) has run, others see that it is being processed, not the light text
        page.wait_for_selector("text=deze duiding wordt nog verwerkt", timeout=30_000)
        assert "De buurtkamer is dicht." not in page.inner_text("body")
        screenshot(page, "dashboard-duiding.png")
        from wijkkit.kenniskring.nabewerking import nabewerken

        nabewerken(project)  # what the server's background pass does every 30 s

        page.click(".wk-exporteer")
        link = page.wait_for_selector(".wk-export-link a", timeout=60_000)
        name = link.get_attribute("download")
        html_page = page.content()
        external = list(page.external_requests)

    notes = duidingen(store, gebied="WK999903", thema="sociale_samenhang")
    assert len(notes) == 1
    note = notes.iloc[0]
    assert note["aanwezigen"] == {"bewoner": 7, "professional": 3}
    assert "eenzaam" in note["wat_zien_we"] and "Vlasbloem" not in note["wat_zien_we"]
    assert note["wat_willen_we"] == "Een nieuwe plek om elkaar te ontmoeten."
    assert external == []
    assert not [c for c in CANARY_STRINGS if c in html_page]

    summary = project.root / "reports" / "kenniskring" / name
    assert summary.exists()
    content = summary.read_text(encoding="utf-8")
    assert not [c for c in CANARY_STRINGS if c in content]
    assert "<script" not in content and "http" not in content.replace("http://www.w3.org", "")
    with offline_file_page(summary) as offline:
        assert "Kenniskring Wijk 03 Lindenhof: Sociale samenhang" in offline.inner_text("h1")
        assert offline.locator("svg").count() >= 1
        assert "Een nieuwe plek om elkaar te ontmoeten." in offline.inner_text("body")
        screenshot(offline, "samenvatting.png")
        assert offline.requests == [summary.as_uri()]


def test_map_click_chooses_the_gebied(project):
    require_browser()
    with voila_server(project.root) as url, chromium_page(height=900) as page:
        open_page(page, url)
        visible_chart(page)
        page.click(".lm-TabBar-tab:has-text('Kaart')")
        # Lindenhof-Oost lies in the next wijk: drawn lighter around the wijk in focus, and clickable
        target = page.locator(".wk-kaart svg path[aria-label*='Lindenhof-Oost']").first
        target.wait_for(timeout=60_000)
        target.dispatch_event("click")  # part of it may be clipped at the map's edge; the shape is what counts
        page.wait_for_function("Array.from(document.querySelectorAll('.wk-buurt select'))"
                               ".some(s => s.options[s.selectedIndex].text.includes('Lindenhof-Oost'))", timeout=30_000)
        page.wait_for_selector(".wk-status:has-text('Te zien: Lindenhof-Oost')", timeout=30_000)
        screenshot(page, "dashboard-kaartklik.png")
