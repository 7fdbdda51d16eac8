"""The kenniskring page on a phone (360x740): nothing sticks out past the right edge of the screen.

Every tab is opened in turn; on each, every visible element's right edge must lie inside the viewport
(controls, placeholders, list values, tables, the map), and the page must not scroll sideways. Screenshots go to
reports/screenshots/telefoon-*.png to be looked at.
"""

import pytest

from tests.browser import chromium_page, open_page, require_browser, screenshot, voila_server
from tests.kenniskring_project import coded_demo

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 360, 740
TABS = ["Cijfers", "Verhalen", "Samen bekeken", "Kaart", "Duiding", "Aandacht"]

# visible elements whose right edge lies past the viewport (1 px of rounding allowed); an element inside a box
# that scrolls sideways on purpose (overflow auto or scroll) is not cut, but such a box itself must fit
CUT = """(width) => {
  const out = [];
  for (const el of document.querySelectorAll('.wk-kring *')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.display === 'none') continue;
    let scroller = el.parentElement, inside = false;
    while (scroller && !scroller.classList.contains('wk-kring')) {
      const o = getComputedStyle(scroller).overflowX;
      if (o === 'auto' || o === 'scroll') {  // a box one scrolls sideways on purpose (hidden clips: that is cut)
        const sr = scroller.getBoundingClientRect();
        if (sr.width > 0 && r.right > sr.right + 1) { inside = true; break; }
      }
      scroller = scroller.parentElement;
    }
    if (r.right > width + 1 && !inside) {
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(r.right)} ` +
               `text=${(el.innerText || el.value || el.placeholder || '').slice(0, 30)}`);
    }
  }
  return out;
}"""
# a placeholder wider than its input is cut too, though the input fits
PLACEHOLDERS = """() => {
  const out = [];
  const canvas = document.createElement('canvas').getContext('2d');
  for (const el of document.querySelectorAll('.wk-kring input[placeholder], .wk-kring textarea[placeholder]')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    const style = getComputedStyle(el);
    canvas.font = `${style.fontSize} ${style.fontFamily}`;
    const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (canvas.measureText(el.placeholder).width > room + 1) out.push(`${el.placeholder} (${Math.round(room)} px)`);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    return coded_demo(tmp_path_factory.mktemp("telefoon") / "demo")


def test_nothing_is_cut_on_a_phone(project):
    require_browser()
    with voila_server(project.root) as url, chromium_page(width=WIDTH, height=HEIGHT) as page:
        open_page(page, url)
        page.wait_for_selector(".wk-tab-cijfers .wk-cijfer, .wk-tab-cijfers p:not(.wk-bezig)", timeout=90_000)
        cut: dict[str, list[str]] = {}
        for tab in TABS:
            page.click(f".lm-TabBar-tab:has-text('{tab}')")
            page.wait_for_function("!Array.from(document.querySelectorAll('.wk-bezig'))"
                                   ".some(e => e.getBoundingClientRect().width > 0)", timeout=60_000)
            if tab == "Kaart":
                page.wait_for_selector(".wk-kaart svg", timeout=60_000)
                # the map and the width the tab gives its content
                kaart, ruimte = page.evaluate("[document.querySelector('.wk-kaart svg').getBoundingClientRect().width,"
                                              " document.querySelector('.wk-kaart-maat').parentElement.clientWidth]")
            page.wait_for_timeout(300)
            found = page.evaluate(CUT, WIDTH) + page.evaluate(PLACEHOLDERS)
            sideways = page.evaluate("document.documentElement.scrollWidth")
            if sideways > WIDTH:
                found.append(f"de pagina schuift opzij: {sideways} px breed")
            if found:
                cut[tab] = found
            page.evaluate("document.querySelector('.wk-kring .lm-TabBar').scrollIntoView()")
            screenshot(page, f"telefoon-{tab.lower().replace(' ', '-')}.png")
        tabbar = page.evaluate("(() => { const t = [...document.querySelectorAll('.lm-TabBar-tab')]"
                               ".filter(e => e.getBoundingClientRect().width > 0);"
                               " const tops = t.map(e => e.getBoundingClientRect().top);"
                               " return Math.max(...tops) - Math.min(...tops); })()")
    assert cut == {}
    assert tabbar < 20, "de tabs staan op één rij (die opzij schuift), niet op meer rijen"
    assert kaart >= 0.95 * ruimte, f"de kaart is {kaart:.0f} px breed in een tab van {ruimte} px"
