"""Hostile input across every output: no payload runs, no identifier leaks, no live formula.

One hostile project (see ``tests/vijandig_project.py``) is imported, coded, annotated and then
turned into every output wijkkit makes: the reproduced notebooks and their HTML, the progress
report, kenniskring summaries, the werkbank and dashboard widgets, and the exports (Excel, CSV,
REFI-QDA). Each output is checked for live payloads and for canaries.
"""

from __future__ import annotations

import csv
import zipfile

import pytest

from tests.vijandig_project import (CANARY_FILES, CANARY_STRINGS, FORMULAS, HOSTILE_CODER, MARKER, PAYLOADS,
                                    build, code_and_annotate, live_payloads)
from wijkkit.config import Project
from wijkkit.vertellen.importeren import import_stories


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    root = build(tmp_path_factory.mktemp("vijandig") / "project")
    project = Project.load(root)
    verslag = import_stories(project, root / "stories", door="test")
    from tests.vijandig_project import hostile_qdpx
    from wijkkit.uitwisselen.qda_import import import_qdpx

    counts = import_qdpx(project, hostile_qdpx(root), defaults={"gebied": "BU99990301", "methode": "interview",
                                                                  "verteller_rol": "bewoner",
                                                                  "toestemming": "citeren-anoniem"})
    assert counts["verhalen"] == 12 and counts["memos"] >= 24
    project = Project.load(root)  # the codebook now holds the hostile code name too
    code_and_annotate(project)
    return project, verslag


@pytest.fixture(scope="module")
def outputs(hostile, tmp_path_factory):
    """Every file output of the hostile project, made once: {name: path}."""
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.samenvatting import write_summary
    from wijkkit.monitoring.uitvoeren import render_report, reproduce
    from wijkkit.uitwisselen.qdc import write_qdc
    from wijkkit.uitwisselen.qdpx import to_qdpx
    from wijkkit.uitwisselen.tabellen import write_csv, write_excel

    project, _ = hostile
    folder = tmp_path_factory.mktemp("uitvoer")
    files = {}
    reproduce(project, folder / "reproductie", log=lambda _: None)
    for path in sorted((folder / "reproductie").rglob("*")):
        if path.suffix in (".html", ".ipynb", ".csv", ".json"):
            files[f"reproductie/{path.relative_to(folder / 'reproductie')}"] = path
    files["rapport.html"] = render_report(project, folder / "rapport.html")
    kring = Kenniskring(project)
    for gebied in ("WK999903", "BU99990301", "WK999902"):
        files[f"samenvatting-{gebied}.html"] = write_summary(kring, gebied, "voorzieningen", map_=folder)
    store, codebook = project.open_store(), project.load_codebook()
    files["coderingen.xlsx"] = write_excel(store, codebook, folder / "coderingen.xlsx")
    files["coderingen.csv"] = write_csv(store, codebook, folder / "coderingen.csv")
    files["project.qdpx"] = to_qdpx(store, codebook, folder / "project.qdpx", naam=project.config.project.naam)
    files["codeboek.qdc"] = write_qdc(codebook, folder / "codeboek.qdc")
    return files


def _text_of(path) -> str:
    """Everything a person could read in an output file, as text."""
    if path.suffix == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path)
        return "\n".join(str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value)
    if path.suffix == ".qdpx":
        with zipfile.ZipFile(path) as archive:
            return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    return path.read_text(encoding="utf-8-sig")


def test_no_payload_is_live_in_any_page_or_report(outputs):
    pages = {name: path for name, path in outputs.items() if name.endswith(".html")}
    assert len(pages) >= 10  # six reproduced notebooks, the report, three summaries
    live = {name: found for name, path in pages.items() if (found := live_payloads(path.read_text("utf-8")))}
    shown = sum(bool(MARKER.search(path.read_text("utf-8"))) for path in pages.values())
    print(f"payloads geprobeerd: {len(PAYLOADS)} in {len(pages)} pagina's (in {shown} zichtbaar als tekst); "
          f"live: {sum(map(len, live.values()))}")
    assert not live
    assert shown >= 5  # the payloads were really shown (as text), not silently dropped


def test_spreadsheet_exports_hold_no_live_formula(outputs):
    import openpyxl

    book = openpyxl.load_workbook(outputs["coderingen.xlsx"])
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert any(formula in text for formula in FORMULAS for text in texts)  # kept as text, not dropped
    with open(outputs["coderingen.csv"], encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, delimiter=";"))
    starts = [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert not starts
    assert any(cell.startswith("'=") or "'=HYPERLINK" in cell for row in rows for cell in row)
    for name, path in outputs.items():
        if name.endswith(".csv"):
            with open(path, encoding="utf-8-sig", newline="") as handle:
                sample = handle.read(4096)
                handle.seek(0)
                dialect = csv.Sniffer().sniff(sample, delimiters=";,") if sample.strip() else csv.excel
                bad = [c for row in csv.reader(handle, dialect) for c in row if c.startswith(("=", "+", "@"))]
            assert not bad, f"{name}: {bad[:3]}"


def test_qdpx_keeps_payloads_as_text(outputs):
    from lxml import etree

    with zipfile.ZipFile(outputs["project.qdpx"]) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        sources = "".join(archive.read(n).decode("utf-8") for n in archive.namelist() if n.startswith("sources/"))
    assert root.get("name").startswith("Lindehoven <b")
    assert PAYLOADS[0] in sources


def test_canaries_never_leak_into_store_or_any_output(hostile, outputs):
    from sqlalchemy import select

    from wijkkit.store.models import Coding, Memo, Segment, Story

    project, verslag = hostile
    assert verslag.hernoemd >= len(CANARY_FILES)  # ids from file names with a name or number were replaced
    store = project.open_store()
    with store.read() as session:
        stored = [" ".join(map(str, row)) for row in session.execute(
            select(Story.id, Story.tekst, Story.bron, Story.verzamelaar, Story.taal))]
        stored += [s for (s,) in session.execute(select(Segment.tekst))]
        stored += [" ".join(map(str, r)) for r in session.execute(select(Coding.bewijs, Coding.story_id))]
        stored += [r for (r,) in session.execute(select(Memo.story_id).where(Memo.story_id.isnot(None)))]
    where = {"store": "\n".join(stored)}
    where |= {name: _text_of(path) for name, path in outputs.items()}
    leaks = {name: [c for c in CANARY_STRINGS if c.casefold() in text.casefold()] for name, text in where.items()}
    leaks = {name: found for name, found in leaks.items() if found}
    print(f"kanaries: {len(CANARY_STRINGS)} in {len(where)} uitvoer; gelekt: {sum(map(len, leaks.values()))}")
    assert not leaks
    # and the stories are there, pseudonymised, not dropped
    assert "[IBAN-1]" in where["store"] and "[KENTEKEN-1]" in where["store"] and "[LEEFTIJD 70-79]" in where["store"]


def test_widgets_escape_everything_people_typed(hostile):
    """The werkbank and dashboard build HTML strings for their widgets: none may hold live markup."""
    import ipywidgets as w

    from wijkkit.coderen.werkbank import Werkbank
    from wijkkit.kenniskring.dashboard import Dashboard
    from wijkkit.kenniskring.gegevens import Kenniskring

    project, _ = hostile

    def html_of(widget) -> str:
        out = []
        stack = [widget]
        while stack:
            item = stack.pop()
            if isinstance(item, (w.HTML, w.HTMLMath)):
                out.append(item.value)
            stack.extend(getattr(item, "children", ()))
        return "\n".join(out)

    bank = Werkbank.for_project(project, codeur=HOSTILE_CODER, blind=False)
    pages = []
    for story_id in [value for _, value in bank.lijst.options if value and "aanval" in value][:12]:
        bank.select(story_id)
        pages.append(html_of(bank))
    dashboard = Dashboard(Kenniskring(project), gebied="WK999903", thema="voorzieningen")
    for gebied in ("WK999903", "BU99990301"):
        dashboard.kies(gebied=gebied)
        for index in range(len(dashboard.tabs.children)):  # tabs are drawn when opened
            dashboard.tabs.selected_index = index
            pages.append(html_of(dashboard) + dashboard.kaart.svg)
    joined = "\n".join(pages)
    assert MARKER.search(joined)  # payloads are shown, as text
    assert not live_payloads(f"<div>{joined}</div>")


LIVE_JS = r"""() => {
  const found = [];
  const marker = /wkpwn\d\d/;
  const rendered = ["strong", "em", "a", "iframe", "object", "embed", "base", "meta", "form", "details", "math"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toLowerCase();
    for (const a of el.attributes) {
      // ipywidgets sets an option's value through the DOM: text, never parsed as markup
      if (tag === "option" && (a.name === "value" || a.name === "data-value") && !marker.test(a.name)) continue;
      if (marker.test(a.name + " " + a.value)) found.push(tag + "@" + a.name);
    }
    if ((tag === "style" || tag === "script") && marker.test(el.textContent)) found.push(tag);
    if (rendered.includes(tag) && marker.test(el.textContent)) found.push(tag);
    if (tag === "a" && (el.getAttribute("href") || "").trim().toLowerCase().startsWith("javascript:")) found.push("a@js");
  }
  const body = getComputedStyle(document.body);
  if (body.display === "none" || body.visibility === "hidden") found.push("body verborgen");
  return found;
}"""


def _watch(page):
    """Dialogs (alert, confirm) are dismissed and counted; page errors are collected."""
    page.dialogs, page.errors = [], []
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda msg: page.errors.append(msg.text) if msg.type == "error" and MARKER.search(msg.text)
            else None)


def _assert_safe(page, where: str, shows_people: bool = True) -> None:
    live = page.evaluate(LIVE_JS)
    assert not live and not page.dialogs and not page.errors, (where, live, page.dialogs, page.errors[:3])
    if shows_people:  # what people typed is on this page: as text, not silently dropped
        assert MARKER.search(page.inner_text("body")), f"{where}: geen enkele payload als tekst te zien"


@pytest.mark.browser
def test_pages_in_chromium_run_no_payload(hostile, outputs):
    from tests.browser import chromium_page, offline_file_page, open_page, require_browser, screenshot, voila_server

    require_browser()
    project, _ = hostile
    for name, path in outputs.items():
        if name.endswith(".html"):
            with offline_file_page(path) as page:
                _watch(page)
                page.reload()
                page.wait_for_timeout(300)
                _assert_safe(page, name, shows_people=name.startswith(("rapport", "samenvatting")))
                if name == "rapport.html":
                    screenshot(page, "vijandig-rapport.png")
    with voila_server(project.root) as url, chromium_page(height=900) as page:
        _watch(page)
        open_page(page, url)
        page.wait_for_selector(".wk-wijk select", timeout=120_000)
        page.select_option(".wk-wijk select", label="Wijk 03 Lindenhof")
        page.select_option(".wk-thema select", label="Voorzieningen")
        for tab in ("Verhalen", "Samen bekeken", "Kaart", "Duiding"):
            page.click(f".lm-TabBar-tab:has-text('{tab}')")
            page.wait_for_timeout(1500)
        page.wait_for_selector("text=We zien", timeout=60_000)
        _assert_safe(page, "dashboard")
        screenshot(page, "vijandig-dashboard.png")
    with voila_server(project.root, command="werkbank") as url, chromium_page(height=1300) as page:
        _watch(page)
        open_page(page, url)
        page.wait_for_selector(".wk-lijst select", timeout=120_000)
        page.fill(".wk-codeur input", HOSTILE_CODER)
        page.keyboard.press("Tab")
        page.uncheck(".wk-blind input")
        for story in ("aanval-formule-0", "aanval-00-1", "aanval-09-0", "aanval-20-1"):
            page.select_option(".wk-lijst select", label=next(
                o for o in page.eval_on_selector_all(".wk-lijst select option", "os => os.map(o => o.textContent)")
                if story in o))
            page.wait_for_selector(f".wk-meta:has-text('{story}')", timeout=30_000)
            _assert_safe(page, f"werkbank {story}", shows_people=False)
        _assert_safe(page, "werkbank")
        screenshot(page, "vijandig-werkbank.png")
