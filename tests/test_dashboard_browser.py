"""The kenniskring dashboard in headless Chromium: loads offline, charts render, gebied can be chosen."""

import pytest

from tests.browser import chromium_page, require_browser, screenshot, voila_server

pytestmark = pytest.mark.browser


def test_dashboard_loads_offline_and_renders_charts(demo_project):
    require_browser()
    with voila_server(demo_project) as url, chromium_page() as page:
        page.goto(url, timeout=120_000)
        page.wait_for_selector("text=Lindehoven (demo)", timeout=120_000)
        page.wait_for_selector(".vega-embed svg, .vega-embed canvas", timeout=120_000)
        text = page.inner_text("body")
        assert "Error loading script" not in text
        assert "Traceback" not in text
        assert "Wijkprofiel" in page.content()
        screenshot(page, "dashboard-start.png")

        # choose another gebied: the chart follows
        page.select_option("select >> nth=0", label="   Kersenbogerd")
        page.wait_for_function("document.body.innerText.includes('Wijkprofiel Kersenbogerd')"
                               " || document.querySelector('.vega-embed') !== null", timeout=60_000)
        page.wait_for_timeout(2000)
        screenshot(page, "dashboard-kersenbogerd.png")
        assert page.external_requests == []
