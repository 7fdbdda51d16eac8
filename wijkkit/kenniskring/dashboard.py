"""The kenniskring page: choose wijk, buurt and theme; figures, stories, tensions, map, duiding and priorities.

Built for a beamer at 1280x720 in a community centre and for a resident's phone at 360x740: type of at
least 16 px, touch targets of 44 px, one question per tab, Dutch throughout, no code. This module is only the
widgets: what a tab shows comes as ready HTML from a *bron* (the rekenaar of the server, or the same answers
computed in the notebook's own process, see :mod:`wijkkit.kenniskring.rekenaar`), so a visitor's kernel
loads ipywidgets and nothing heavy. Rules that keep an evening reliable:

- A new choice blanks every tab at once and says what is being prepared ("Bezig met …"), so an old answer
  never stands under a new question.
- Only the visible tab is drawn; the others are drawn when opened.
- Charts are SVG strings in plain HTML widgets, the map a small clickable SVG widget: no Output widgets
  (they make a headless kernel wait on a browser that is not there) and no JupyterChart.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import deque
from datetime import date
from html import escape

import ipywidgets as w

from wijkkit.kenniskring.kaartwidget import KlikbareKaart, Scherm
from wijkkit.kenniskring.klaar import mark_ready
from wijkkit.kenniskring.velden import BEWAREN_PER_MINUUT, MAX_VELD, ROLLEN, VELDEN
from wijkkit.kleuren import KNELPUNT, KRACHT, ROND
from wijkkit.stuurtekens import zonder_stuurtekens

CSS = """<style>
.jp-RenderedMarkdown p { font-size: 18px !important; }
.wk-kring, .wk-kring .widget-label, .wk-kring select, .wk-kring input, .wk-kring textarea,
.wk-kring .widget-button, .wk-kring .widget-toggle-button, .wk-kring .lm-TabBar-tab { font-size: 18px !important; }
.wk-kring .widget-label { min-width: 0 !important; }
.wk-kring textarea, .wk-kring input { font-family: inherit !important; }
.wk-kring .lm-TabBar-tab { flex: 0 0 auto !important; min-width: 160px !important; max-width: none !important; }
.wk-kring .wk-kop { font-size: 26px; font-weight: 700; margin: 2px 0; }
.wk-kring .wk-tekst { font-size: 19px; max-width: 62em; line-height: 1.45; }
.wk-kring .wk-status { font-size: 18px; min-height: 1.6em; }
.wk-kring .wk-bezig { font-size: 20px; color: #1a1a1a; background: #fff8d6; border-left: 8px solid #8a6d00;
  padding: 6px 14px; display: inline-block; }
.wk-kring .wk-klaar { color: #333; }
.wk-kring blockquote { font-size: 19px; margin: 10px 0; padding: 6px 14px; border-left: 6px solid #555;
  background: #f6f6f6; max-width: 60em; }
.wk-kring blockquote.kracht { border-left-color: """ + KRACHT + """; }
.wk-kring blockquote.knelpunt { border-left-color: """ + KNELPUNT + """; }
.wk-kring blockquote .wie { display: block; font-size: 16px; color: #333; }
.wk-kring .wk-spanning { background: #fff3d6; border-left: 8px solid #8a6d00; padding: 8px 14px; font-size: 20px; }
.wk-kring .wk-volgende { background: #eef4fb; border-left: 8px solid #2b5c8a; padding: 8px 14px; }
.wk-kring .wk-rustig { background: """ + ROND + """; border-left: 8px solid #555; padding: 8px 14px;
  font-size: 20px; }
.wk-kring table.wk-tabel td, .wk-kring table.wk-tabel th { padding: 4px 12px; font-size: 17px; text-align: left;
  border-bottom: 1px solid #ddd; vertical-align: top; }
.wk-kring .wk-grafiek svg, .wk-kring .wk-kaart svg { max-width: 100%; height: auto; }
.wk-kring .wk-tabelvak { max-width: 100%; overflow-x: auto; }  /* a wide table scrolls; the text beside it wraps */
.wk-kring .widget-html-content { min-width: 0; max-width: 100%; }  /* a flex child would grow to its widest table */
/* running text reads at 1.4, not at the 44 px height the controls need as touch targets */
.wk-kring .widget-html-content p, .wk-kring .widget-html-content li, .wk-kring .widget-html-content td,
.wk-kring .widget-html-content th, .wk-kring .widget-html-content blockquote { line-height: 1.4; }
.wk-kring .wk-melding { color: #004d00; font-size: 18px; } .wk-kring .wk-fout { color: #a00000; font-size: 18px; }
.wk-kring .wk-lijst { font-size: 17px; max-height: 470px; overflow-y: auto; }
.wk-kring .wk-lijst td { padding: 3px 8px; border-bottom: 1px solid #eee; }
.wk-kring .wk-lijst tr.gekozen td { font-weight: 700; }
.wk-kring .wk-duiding { border: 1px solid #ccc; padding: 6px 12px; margin: 6px 0; }
.wk-kring ul.wk-cijfers { list-style: none; padding: 0; margin: 0; }
.wk-kring li.wk-cijfer { font-size: 17px; padding: 8px 0; border-bottom: 1px solid #ddd; line-height: 1.4; }
.wk-kring .wk-stip { display: inline-block; width: 16px; height: 16px; border-radius: 8px; border: 1px solid #555;
  margin-right: 8px; vertical-align: middle; }
.wk-kring .wk-oordeel { color: #333; font-size: 16px; }
.wk-kring .wk-telling { margin: 8px 0; font-size: 19px; }
.wk-kring .wk-balk { background: #1B9E77; color: #fff; font-weight: 700; padding: 4px 8px; min-width: fit-content;
  white-space: nowrap;
  box-sizing: border-box; }
.wk-kring .wk-zinnen { margin: 4px 0 0 0; font-size: 17px; }
.wk-kring .wk-meedoen { display: flex; gap: 16px; align-items: center; border: 2px solid #1a1a1a; padding: 6px 12px; }
.wk-kring .wk-meedoen svg { width: 150px; height: 150px; }
.wk-kring .wk-code { font-size: 34px; font-weight: 700; letter-spacing: 0.12em; }
.wk-kring { --jp-widgets-inline-height: 44px; }  /* every control a touch target of 44 px */
@media (min-width: 701px) {  /* on the beamer the room's tally comes first, the form for one's own marks after */
  .wk-kring .wk-aandacht-kop { order: -2; } .wk-kring .wk-telling-vak { order: -1; }
}
@media (max-width: 700px) {
  .wk-kring .wk-kop { font-size: 22px; }
  .wk-kring .wk-tekst, .wk-kring blockquote, .wk-kring .wk-spanning, .wk-kring .wk-rustig { font-size: 17px; }
  .wk-kring .widget-hbox { flex-wrap: wrap !important; }
  .wk-kring .widget-inline-hbox > select, .wk-kring .widget-inline-hbox > input,
  .wk-kring .widget-inline-hbox > textarea { min-width: 0 !important; flex: 1 1 auto !important; width: auto !important; }
  .wk-kring .widget-inline-hbox .widget-label { flex: 0 0 auto; max-width: 40%; white-space: normal; }
  /* a control is as wide as the screen minus its own margins (100% plus margins stuck out by 4 px) */
  .wk-kring .widget-dropdown, .wk-kring .widget-combobox, .wk-kring .widget-text, .wk-kring .widget-textarea,
  .wk-kring .widget-button, .wk-kring .widget-inline-hbox {
    width: calc(100% - 2 * var(--jp-widgets-margin, 2px)) !important; box-sizing: border-box; }
  /* the choices: the label above its control, so a long theme or a placeholder has the whole width */
  .wk-kring .wk-wijk, .wk-kring .wk-buurt, .wk-kring .wk-thema, .wk-kring .wk-zoek {
    flex-direction: column !important; align-items: stretch !important; height: auto !important; }
  .wk-kring .wk-wijk .widget-label, .wk-kring .wk-buurt .widget-label, .wk-kring .wk-thema .widget-label,
  .wk-kring .wk-zoek .widget-label { max-width: 100% !important; width: auto !important; text-align: left !important; }
  .wk-kring .wk-wijk select, .wk-kring .wk-buurt select, .wk-kring .wk-thema select, .wk-kring .wk-zoek input {
    width: 100% !important; flex: 0 0 auto !important; min-height: 44px; }
  /* the tabs: one row that scrolls sideways (the fading edge says there is more) */
  .wk-kring .lm-TabBar { min-height: 0 !important; height: auto !important; overflow-x: auto !important;
    overflow-y: hidden !important; -webkit-mask-image: linear-gradient(to right, #000 85%, transparent);
    mask-image: linear-gradient(to right, #000 85%, transparent); }
  .wk-kring .lm-TabBar-content { flex-wrap: nowrap !important; height: auto !important; }
  .wk-kring .lm-TabBar-tab { min-width: 0 !important; flex: 0 0 auto !important; padding: 0 14px !important;
    min-height: 44px !important; line-height: 44px !important; }
  .wk-kring .lm-TabBar-tab:last-child { margin-right: 40px; }
  /* a table that does not fit becomes a stacked list: one block per row, each cell with its column's name */
  .wk-kring table.wk-tabel, .wk-kring table.wk-tabel tbody, .wk-kring table.wk-tabel tr,
  .wk-kring table.wk-tabel td { display: block; width: auto; }
  .wk-kring table.wk-tabel tr:first-child:has(th) { display: none; }
  .wk-kring table.wk-tabel tr { border-bottom: 2px solid #bbb; padding: 6px 0; }
  .wk-kring table.wk-tabel td { font-size: 16px; padding: 2px 4px; border: none; }
  .wk-kring table.wk-tabel td[data-kop]::before { content: attr(data-kop) ": "; color: #333; }
  .wk-kring table.wk-tabel td:first-child { font-weight: 700; }
  .wk-kring .wk-tabelvak { overflow-x: visible; }
  .wk-kring .wk-lijst { max-height: none; }
  .wk-kring .wk-lijst table { width: 100%; table-layout: fixed; }
  .wk-kring .wk-lijst td { overflow-wrap: anywhere; }
  .wk-kring .wk-meedoen { display: none; }
  .wk-kring .wk-kaartlijst { width: 100% !important; }
  .wk-kring .wk-kaart, .wk-kring .wk-kaart svg { width: 100% !important; }
  .wk-kring .widget-hbox > .wk-kaart { flex: 1 1 100% !important; }
}
</style>"""
TABS = ["Cijfers", "Verhalen", "Samen bekeken", "Kaart", "Duiding", "Aandacht"]
TE_SNEL = ("<p class='wk-fout'>Even wachten: er is op deze pagina net al een paar keer iets bewaard. Probeer het "
           "over een minuut opnieuw.</p>")
FOUT = ("<p class='wk-fout'>Dit deel kon niet worden getoond. Vraag de begeleider van de kenniskring om in het "
        "logboek van de server te kijken.</p>")
SMAL = 700  # CSS pixels: narrower is a phone (charts at its width, the profile as a list)


def esc(value) -> str:
    return "" if value is None else escape(zonder_stuurtekens(str(value)), quote=True)


def _bron(bron):
    """A Kenniskring (a notebook, a test) is answered in this process; a bron is used as it is."""
    from wijkkit.kenniskring.rekenaar import LokaleBron, RekenaarBron

    if isinstance(bron, (LokaleBron, RekenaarBron)):
        return bron
    from wijkkit.kenniskring.panelen import Panelen

    return LokaleBron(Panelen(bron))


class Dashboard(w.VBox):
    """``Dashboard(bron)`` (or ``Dashboard(Kenniskring(project))``); display it in a notebook or serve it."""

    def __init__(self, bron, *, gebied: str | None = None, thema: str | None = None, verversen: float = 3.0):
        super().__init__()
        self.bron = _bron(bron)
        self.add_class("wk-kring")
        info = self.bron.keuzes(gebied, thema)
        self.info = info
        self.namen, self.niveaus, self.labels = info["namen"], info["niveaus"], info["labels"]
        self.gebied, self.thema = info["gebied"], info["thema"]
        self._bewaard: deque[float] = deque()
        # one device (its login cookie) is one participant, however many tabs it opens; until the server has said
        # which device this page is on (or outside a served page), the page counts as one. Never names a person.
        self.deelnemer = uuid.uuid4().hex
        self._apparaat_bekend = threading.Event()
        threading.Thread(target=self._herken_apparaat, daemon=True).start()
        self._stil = False  # True while the page itself sets its controls
        self._getoond: dict[str, tuple] = {}
        self._telling = ""
        self.wisseltijden: list[float] = []  # seconds per choice, for the benchmark and the log
        self.laatste_export = None
        self.scherm = Scherm()
        self.scherm.observe(self._on_scherm, "breedte")
        self._build_controls()
        self._build_tabs()
        kop = w.HTML(CSS + f"<div class='wk-kop'>Kenniskring {esc(info['titel'])}</div>")
        bovenaan = [w.HBox([kop, self.zoek], layout=w.Layout(justify_content="space-between", align_items="center",
                                                            flex_flow="row wrap"))]
        if info.get("zaal"):
            bovenaan.append(self._meedoen(info["zaal"]))
        self.children = [*bovenaan,
                         w.HBox([self.kies_wijk, self.kies_buurt, self.kies_thema],
                                layout=w.Layout(flex_flow="row wrap", align_items="center")),
                         self.status, self.tabs, self.scherm]
        self._sync_controls()
        self._toon_keuze()
        if verversen:
            threading.Thread(target=self._ververs_telling, args=(verversen,), daemon=True).start()
        mark_ready()

    def _herken_apparaat(self) -> None:
        from wijkkit.kenniskring.apparaat import deelnemer

        try:
            found = deelnemer()
            if found:
                self.deelnemer = found
        finally:
            self._apparaat_bekend.set()

    def _mijn_deelnemer(self) -> str:
        self._apparaat_bekend.wait(10)  # the page request arrived long before anyone can press a button
        return self.deelnemer

    # ------------------------------------------------------------------ building
    def _build_controls(self) -> None:
        wide = {"description_width": "initial"}
        self.kies_wijk = w.Dropdown(options=[tuple(o) for o in self.info["wijken"]], description="Wijk", style=wide,
                                    layout=w.Layout(width="350px"))
        self.kies_buurt = w.Dropdown(options=[("Hele wijk", "")], description="Buurt", style=wide,
                                     layout=w.Layout(width="390px"))
        self.kies_thema = w.Dropdown(options=[tuple(o) for o in self.info["themas"]], value=self.thema,
                                     description="Thema", style=wide, layout=w.Layout(width="400px"))
        self._zoek_codes = self.info["zoek"]
        self.zoek = w.Combobox(options=list(self._zoek_codes), placeholder="typ een deel van de naam",
                               ensure_option=True, description="Zoek een wijk of buurt", style=wide,
                               layout=w.Layout(width="480px"))
        for name, widget in {"wijk": self.kies_wijk, "buurt": self.kies_buurt, "thema": self.kies_thema,
                             "zoek": self.zoek}.items():
            widget.add_class(f"wk-{name}")
        self.status = w.HTML()
        self.status.add_class("wk-status")
        self.kies_wijk.observe(self._on_wijk, "value")
        self.kies_buurt.observe(self._on_buurt, "value")
        self.kies_thema.observe(self._on_thema, "value")
        self.zoek.observe(self._on_zoek, "value")

    def _meedoen(self, zaal: dict) -> w.HTML:
        """On the beamer: the QR code and the session code to join with a phone (hidden on a phone itself)."""
        box = w.HTML(f"<div class='wk-meedoen'>{zaal.get('qr', '')}<div class='wk-tekst'>Kijk mee op je eigen "
                     f"telefoon: scan de code, of ga naar <b>{esc(zaal.get('adres', ''))}</b> en typ de code "
                     f"<span class='wk-code'>{esc(zaal.get('code', ''))}</span></div></div>")
        box.add_class("wk-meedoen-vak")
        return box

    def _build_tabs(self) -> None:
        self.panes = {name: w.HTML() for name in ("Cijfers", "Verhalen", "Samen bekeken")}
        for name, pane in self.panes.items():
            pane.add_class(f"wk-tab-{name.lower().replace(' ', '-')}")
        self.kaart_maat = w.ToggleButtons(options=[("Cijfers", "cijfers"), ("Verhalen", "verhalen")],
                                          description="Kleur de kaart naar", style={"description_width": "initial",
                                                                                    "button_width": "120px"})
        self.kaart_maat.add_class("wk-kaart-maat")
        self.kaart_maat.observe(lambda _: self._render("Kaart"), "value")
        self.kaart = KlikbareKaart()
        self.kaart.add_class("wk-kaart")
        self.kaart.observe(self._on_map_click, "gekozen")
        self.kaart_lijst = w.HTML(layout=w.Layout(width="440px"))
        self.kaart_lijst.add_class("wk-kaartlijst")
        self.kaart_noten = w.HTML()
        self._build_form()
        self._build_aandacht()
        kaart_tab = w.VBox([self.kaart_maat, w.HBox([self.kaart, self.kaart_lijst],
                                                    layout=w.Layout(flex_flow="row wrap")), self.kaart_noten])
        self.tabs = w.Tab(children=[self.panes["Cijfers"], self.panes["Verhalen"], self.panes["Samen bekeken"],
                                    kaart_tab, self.duiding_tab, self.aandacht_tab])
        self.tabs.titles = tuple(TABS)
        self.tabs.observe(self._on_tab, "selected_index")

    def _build_form(self) -> None:
        self.duiding_kop = w.HTML()
        self.velden = {veld: w.Textarea(placeholder="in eigen woorden", layout=w.Layout(width="95%", height="4.2em"))
                       for veld in VELDEN}
        for veld, widget in self.velden.items():
            widget.add_class(f"wk-{veld}")
        self.datum = w.DatePicker(value=date.today(), description="Datum")
        self.aanwezig = {rol: w.BoundedIntText(value=0, min=0, max=500, description=rol,
                                               style={"description_width": "initial"},
                                               layout=w.Layout(width="200px")) for rol in ROLLEN}
        for rol, widget in self.aanwezig.items():
            widget.add_class(f"wk-aanwezig-{rol}")
        self.bewaar = w.Button(description="Duiding bewaren", button_style="success", layout=w.Layout(width="auto"))
        self.bewaar.add_class("wk-bewaar")
        self.bewaar.on_click(self._on_save)
        self.exporteer = w.Button(description="Samenvatting maken", button_style="primary",
                                  layout=w.Layout(width="auto"))
        self.exporteer.add_class("wk-exporteer")
        self.exporteer.on_click(self._on_export)
        self.export_link = w.HTML()
        self.export_link.add_class("wk-export-link")
        self.form_melding = w.HTML()
        self.lijst = w.HTML()
        self.duiding_tab = w.VBox([
            self.duiding_kop,
            *[w.VBox([w.HTML(f"<span class='wk-tekst'><b>{esc(vraag)}</b></span>"), self.velden[veld]])
              for veld, vraag in VELDEN.items()],
            w.HTML("<span class='wk-tekst'><b>Wie waren er?</b> (aantal per rol)</span>"),
            w.HBox(list(self.aanwezig.values()), layout=w.Layout(flex_flow="row wrap")),
            w.HBox([self.datum, self.bewaar], layout=w.Layout(flex_flow="row wrap")), self.form_melding, self.lijst,
            w.HTML("<p class='wk-tekst'>Na afloop: de cijfers, verhalen en duidingen van deze keuze als één "
                   "bestand, om te delen of af te drukken.</p>"),
            self.exporteer, self.export_link])

    def _build_aandacht(self) -> None:
        """Agenderen: this page's marks 'verdient aandacht' (at most three) and the room's tally."""
        self.aandacht_kop = w.HTML()
        self.aandacht_kop.add_class("wk-aandacht-kop")
        self.aandacht_zin = w.Textarea(placeholder="waarom, in één zin", layout=w.Layout(width="95%", height="3.2em"))
        self.aandacht_zin.add_class("wk-aandacht-zin")
        self.aandacht_knop = w.Button(description="Zet op de lijst", button_style="success",
                                      layout=w.Layout(width="auto"))
        self.aandacht_knop.add_class("wk-aandacht-knop")
        self.aandacht_knop.on_click(self._on_aandacht)
        self.aandacht_melding = w.HTML()
        self.mijn_lijst = w.VBox()
        self.telling = w.HTML()
        self.telling.add_class("wk-telling-vak")
        self.aandacht_tab = w.VBox([self.aandacht_kop, self.aandacht_zin, self.aandacht_knop, self.aandacht_melding,
                                    self.mijn_lijst, self.telling])

    # ------------------------------------------------------------------ choosing
    def _names(self) -> tuple[str, str]:
        return self.namen.get(self.gebied, self.gebied), self.labels.get(self.thema, self.thema)

    def kies(self, gebied: str | None = None, thema: str | None = None) -> None:
        """Show another gebied and/or theme: blank every tab at once, then draw the visible one."""
        gebied, thema = gebied or self.gebied, thema or self.thema
        if (gebied, thema) == (self.gebied, self.thema):
            self._sync_controls()
            return
        self.gebied, self.thema = gebied, thema
        self._sync_controls()
        self._toon_keuze()

    def _toon_keuze(self) -> None:
        began = time.perf_counter()
        naam, label = self._names()
        bezig = f"<p class='wk-bezig'>Bezig met {esc(naam)} · {esc(label)} …</p>"
        # the old answer goes first, then the status names the new choice: each widget is its own
        # message to the page, and no moment may show a new choice above an old answer
        self._getoond = {}
        for pane in self.panes.values():
            pane.value = bezig
        self.kaart.svg, self.kaart_lijst.value, self.kaart_noten.value = "", bezig, ""
        self.lijst.value, self.export_link.value, self.form_melding.value = "", "", ""
        self.duiding_kop.value = (f"<p class='wk-tekst'>Wat maakt de kenniskring van de cijfers en verhalen over "
                                  f"<b>{esc(label.lower())}</b> in <b>{esc(naam)}</b>? Namen en telefoonnummers "
                                  "worden bij het bewaren vervangen.</p>")
        self.aandacht_kop.value = (f"<p class='wk-tekst'>Verdient <b>{esc(label.lower())}</b> in <b>{esc(naam)}</b> "
                                   f"aandacht? Zet het op de lijst (hoogstens {self.info['max_prioriteiten']} "
                                   "onderwerpen per telefoon of scherm) en zeg in één zin waarom.</p>")
        self.aandacht_melding.value = ""
        self.status.value = bezig
        self._render(TABS[self.tabs.selected_index or 0])
        self.status.value = f"<span class='wk-klaar'>Te zien: <b>{esc(naam)}</b> · <b>{esc(label)}</b></span>"
        self.wisseltijden.append(time.perf_counter() - began)

    def _sync_controls(self) -> None:
        """Set wijk, buurt and theme lists to the current choice without triggering them."""
        code = self.gebied
        niveau = self.niveaus.get(code)
        wijk = "WK" + code[2:8] if niveau == "buurt" else code
        self._stil = True
        try:
            if wijk in dict((v, k) for k, v in self.kies_wijk.options):
                self.kies_wijk.value = wijk
            if niveau in ("wijk", "buurt"):
                self.kies_buurt.options = [tuple(o) for o in self.bron.buurten(wijk)]
                self.kies_buurt.value = code
                self.kies_buurt.disabled = False
            else:
                self.kies_buurt.options = [("(kies eerst een wijk)", code)]
                self.kies_buurt.value = code
                self.kies_buurt.disabled = True
            self.kies_thema.value = self.thema
        finally:
            self._stil = False

    def _on_wijk(self, change) -> None:
        if not self._stil and change["new"]:
            self.kies(gebied=change["new"])

    def _on_buurt(self, change) -> None:
        if not self._stil and change["new"]:
            self.kies(gebied=change["new"])

    def _on_thema(self, change) -> None:
        if not self._stil and change["new"]:
            self.kies(thema=change["new"])

    def _on_zoek(self, change) -> None:
        code = self._zoek_codes.get(change["new"])
        if code and not self._stil:
            self.kies(gebied=code)

    def _on_map_click(self, change) -> None:
        code = change["new"]
        if code and code in self.namen and not self._stil:
            self.kies(gebied=code)

    def _on_tab(self, change) -> None:
        self._render(TABS[change["new"] or 0])

    @property
    def smal(self) -> bool:
        return 0 < self.scherm.breedte < SMAL

    def _on_scherm(self, change) -> None:
        """The screen's width became known (or changed across the phone/beamer line): draw the tab again."""
        if (0 < change["old"] < SMAL) != (0 < change["new"] < SMAL):
            self._getoond = {}
            self._render(TABS[self.tabs.selected_index or 0])

    # ------------------------------------------------------------------ drawing
    def _render(self, tab: str) -> None:
        """Draw one tab for the current choice, unless it already shows it."""
        key = (self.gebied, self.thema, self.kaart_maat.value if tab == "Kaart" else None, self.smal)
        if self._getoond.get(tab) == key:
            return
        try:
            if tab == "Kaart":
                self._draw_map()
            elif tab == "Duiding":
                self.lijst.value = self.bron.paneel("Duiding", self.gebied, self.thema)["html"]
            elif tab == "Aandacht":
                self._draw_aandacht()
            else:
                self.panes[tab].value = self.bron.paneel(tab, self.gebied, self.thema, smal=self.smal)["html"]
        except Exception:  # a visitor sees one Dutch sentence (the rekenaar logs the details)
            target = {"Kaart": self.kaart_noten, "Duiding": self.lijst, "Aandacht": self.aandacht_melding}.get(tab) \
                or self.panes[tab]
            target.value = FOUT
        self._getoond[tab] = key

    def _draw_map(self) -> None:
        answer = self.bron.paneel("Kaart", self.gebied, self.thema, self.kaart_maat.value, smal=self.smal)
        self._stil = True
        try:
            self.kaart.gekozen = ""
            self.kaart.svg = answer.get("svg", "")
        finally:
            self._stil = False
        self.kaart_lijst.value = answer.get("lijst", "")
        self.kaart_lijst.layout.display = None if answer.get("lijst") else "none"
        self.kaart_noten.value = answer.get("noten", "")

    # ------------------------------------------------------------------ duiding
    def _te_snel(self) -> bool:
        """At most BEWAREN_PER_MINUUT saves per page and minute: a page driven by a script cannot fill the store."""
        now = time.monotonic()
        while self._bewaard and now - self._bewaard[0] > 60:
            self._bewaard.popleft()
        if len(self._bewaard) >= BEWAREN_PER_MINUUT:
            return True
        self._bewaard.append(now)
        return False

    def _on_save(self, _=None) -> None:
        texts = {veld: widget.value for veld, widget in self.velden.items()}
        if any(len(t) > MAX_VELD for t in texts.values()):
            self.form_melding.value = (f"<p class='wk-fout'>Niet bewaard: een antwoord is langer dan {MAX_VELD} tekens. "
                                       "Maak het korter, of bewaar de lange tekst zelf.</p>")
            return
        if self._te_snel():
            self.form_melding.value = TE_SNEL
            return
        self.form_melding.value = "<p class='wk-melding'>Bezig met bewaren (namen worden vervangen)…</p>"
        try:
            answer = self.bron.bewaar_duiding(self.gebied, self.thema, (self.datum.value or date.today()).isoformat(),
                                              texts, {rol: widget.value for rol, widget in self.aanwezig.items()})
        except Exception:
            self.form_melding.value = ("<p class='wk-fout'>Niet bewaard: er ging iets mis bij het opslaan. Bewaar de "
                                       "tekst zelf en vraag de begeleider om het logboek van de server.</p>")
            return
        self.form_melding.value = answer["melding"]
        if answer["ok"]:
            for widget in self.velden.values():
                widget.value = ""
            for widget in self.aanwezig.values():
                widget.value = 0
            self._getoond.pop("Duiding", None)
            self._render("Duiding")

    def _on_export(self, _=None) -> None:
        if self._te_snel():
            self.export_link.value = TE_SNEL
            return
        self.export_link.value = "<p class='wk-melding'>Bezig met de samenvatting…</p>"
        try:
            answer = self.bron.samenvatting(self.gebied, self.thema)
        except Exception:
            answer = {"ok": False}
        if not answer.get("ok"):
            self.export_link.value = ("<p class='wk-fout'>De samenvatting kon niet worden gemaakt. Vraag de "
                                      "begeleider van de kenniskring om in het logboek van de server te kijken.</p>")
            return
        self.export_link.value = (f"<p class='wk-melding'>Samenvatting gemaakt: <a download='{esc(answer['naam'])}' "
                                  f"href='data:text/html;base64,{answer['data']}'>{esc(answer['naam'])} downloaden</a> "
                                  "(ook bewaard bij de rapporten van het project).</p>")
        self.laatste_export = answer.get("pad")

    # ------------------------------------------------------------------ agenderen
    def _on_aandacht(self, _=None) -> None:
        zin = self.aandacht_zin.value.strip()
        if len(zin) > self.info["max_zin"]:
            self.aandacht_melding.value = (f"<p class='wk-fout'>Maak de zin korter dan {self.info['max_zin']} "
                                           "tekens.</p>")
            return
        try:
            answer = (self.bron.zet_prioriteit(self._mijn_deelnemer(), self.gebied, self.thema, zin)
                      if not self._te_snel()
                      else {"ok": False, "melding": TE_SNEL})
        except Exception:
            answer = {"ok": False, "melding": FOUT}
        self.aandacht_melding.value = answer["melding"]
        if answer["ok"]:
            self.aandacht_zin.value = ""
        self._draw_aandacht()

    def _draw_aandacht(self) -> None:
        mine = self.bron.mijn_prioriteiten(self._mijn_deelnemer())
        rows = []
        for gebied, thema, naam, label, zin in mine:
            knop = w.Button(description="Haal weg", layout=w.Layout(width="auto"))
            knop.add_class("wk-haal-weg")
            knop.on_click(lambda _, g=gebied, t=thema: self._haal_weg(g, t))
            rows.append(w.HBox([w.HTML(f"<span class='wk-tekst'>{esc(label)} · {esc(naam)}"
                                       f"{': ' + esc(zin) if zin else ''}</span>"), knop],
                               layout=w.Layout(align_items="center", flex_flow="row wrap")))
        kop = w.HTML(f"<p class='wk-tekst'><b>Jouw lijst</b> ({len(mine)} van {self.info['max_prioriteiten']})</p>")
        self.mijn_lijst.children = [kop, *rows] if mine else []
        self._telling = self.bron.telling()["html"]
        self.telling.value = self._telling

    def _haal_weg(self, gebied: str, thema: str) -> None:
        self.bron.haal_prioriteit_weg(self._mijn_deelnemer(), gebied, thema)
        self._draw_aandacht()

    def _ververs_telling(self, every: float) -> None:
        """The room's tally on every page, within seconds of a mark anywhere, without reloading the page."""
        while True:
            time.sleep(every)
            try:
                html = self.bron.telling()["html"]
            except Exception:  # the rekenaar stopped: the page stays as it is
                continue
            if html != self._telling:
                self._telling = html
                self.telling.value = html

