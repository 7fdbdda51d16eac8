"""The kenniskring page: choose wijk, buurt and theme; figures, stories, tensions, map and duiding.

Built for a beamer at 1280x720 in a community centre: type of at least 16 px, one question
per tab, Dutch throughout, one meaning per colour, no code. Three rules keep an evening
reliable:

- A new choice blanks every tab at once and says what is being prepared ("Bezig met …"), so
  an old answer never stands under a new question.
- Only the visible tab is drawn; the others are drawn when opened. Tables per gebied are
  computed once per page (``Kenniskring``), not per choice.
- Charts are SVG strings from vl-convert in plain HTML widgets, the map a small clickable
  SVG widget: no Output widgets (they make a headless kernel wait on a browser that is not
  there, which hung Voila's preheated pages) and no JupyterChart (fails inside a box in Voila).
"""

from __future__ import annotations

import base64
import logging
import threading
import time
from datetime import date

import altair as alt
import ipywidgets as w

from wijkkit.charts import KNELPUNT, KRACHT, NEUTRAAL_SCHAAL, ROND, style, svg
from wijkkit.kenniskring.duiding import ROLLEN, VELDEN, aanwezigen_tekst, add_duiding, duidingen
from wijkkit.kenniskring.gegevens import Kenniskring
from wijkkit.kenniskring.kaartwidget import KlikbareKaart
from wijkkit.kenniskring.samenvatting import development_chart, figure_charts, profile_chart, write_summary
from wijkkit.kenniskring.serve import mark_ready
from wijkkit.verbinden.kaart import buurtkaart
from wijkkit.weergave import esc

CSS = """<style>
.wk-kring, .wk-kring .widget-label, .wk-kring select, .wk-kring input, .wk-kring textarea,
.wk-kring .widget-button, .wk-kring .widget-toggle-button, .wk-kring .lm-TabBar-tab { font-size: 18px !important; }
.wk-kring .widget-label { min-width: 0 !important; }
.wk-kring textarea, .wk-kring input { font-family: inherit !important; }
.wk-kring .lm-TabBar-tab { flex: 0 0 auto !important; min-width: 190px !important; max-width: none !important; }
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
.wk-kring .wk-rustig { background: """ + ROND + """; border-left: 8px solid #555; padding: 8px 14px;
  font-size: 20px; }
.wk-kring table.wk-tabel td, .wk-kring table.wk-tabel th { padding: 4px 12px; font-size: 17px; text-align: left;
  border-bottom: 1px solid #ddd; vertical-align: top; }
.wk-kring .wk-grafiek svg { max-width: 100%; height: auto; }
.wk-kring .wk-melding { color: #004d00; font-size: 18px; } .wk-kring .wk-fout { color: #a00000; font-size: 18px; }
.wk-kring .wk-lijst { font-size: 17px; max-height: 470px; overflow-y: auto; }
.wk-kring .wk-lijst td { padding: 3px 8px; border-bottom: 1px solid #eee; }
.wk-kring .wk-lijst tr.gekozen td { font-weight: 700; }
</style>"""
log = logging.getLogger(__name__)
TABS = ["Cijfers", "Verhalen", "Samen bekeken", "Kaart", "Duiding"]
FOUT = ("<p class='wk-fout'>Dit deel kon niet worden getoond. Vraag de begeleider van de kenniskring om in het "
        "logboek van de server te kijken.</p>")


class Dashboard(w.VBox):
    """``Dashboard(Kenniskring(project))``; display it in a notebook or serve it with Voila."""

    def __init__(self, kring: Kenniskring, *, gebied: str | None = None, thema: str | None = None):
        super().__init__()
        self.kring = kring
        self.add_class("wk-kring")
        self.gebied = gebied or kring.standaard_gebied()
        self.thema = thema or kring.standaard_thema(self.gebied)
        self._stil = False  # True while the page itself sets its controls
        self._getoond: dict[str, tuple] = {}
        self._pseudo = None
        self._warming: threading.Thread | None = None
        self.wisseltijden: list[float] = []  # seconds per choice, for the benchmark and the log
        self._build_controls()
        self._build_tabs()
        kop = w.HTML(CSS + f"<div class='wk-kop'>Kenniskring {esc(kring.project.config.project.naam)}</div>")
        self.children = [w.HBox([kop, self.zoek], layout=w.Layout(justify_content="space-between",
                                                                  align_items="center")),
                         w.HBox([self.kies_wijk, self.kies_buurt, self.kies_thema],
                                layout=w.Layout(flex_flow="row wrap", align_items="center")),
                         self.status, self.tabs]
        self._sync_controls()
        self._toon_keuze()
        mark_ready()

    # ------------------------------------------------------------------ building
    def _build_controls(self) -> None:
        wide = {"description_width": "initial"}
        self.kies_wijk = w.Dropdown(options=self.kring.wijk_keuzes(), description="Wijk", style=wide,
                                    layout=w.Layout(width="350px"))
        self.kies_buurt = w.Dropdown(options=[("Hele wijk", "")], description="Buurt", style=wide,
                                     layout=w.Layout(width="390px"))
        self.kies_thema = w.Dropdown(options=self.kring.thema_keuzes(), value=self.thema, description="Thema",
                                     style=wide, layout=w.Layout(width="400px"))
        self._zoek_codes = self.kring.zoek_keuzes()
        self.zoek = w.Combobox(options=list(self._zoek_codes), placeholder="typ een deel van de naam", ensure_option=True,
                               description="Zoek een wijk of buurt", style=wide, layout=w.Layout(width="480px"))
        for name, widget in {"wijk": self.kies_wijk, "buurt": self.kies_buurt, "thema": self.kies_thema,
                             "zoek": self.zoek}.items():
            widget.add_class(f"wk-{name}")
        self.status = w.HTML()
        self.status.add_class("wk-status")
        self.kies_wijk.observe(self._on_wijk, "value")
        self.kies_buurt.observe(self._on_buurt, "value")
        self.kies_thema.observe(self._on_thema, "value")
        self.zoek.observe(self._on_zoek, "value")

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
        self.kaart_noten = w.HTML()
        self._build_form()
        kaart_tab = w.VBox([self.kaart_maat, w.HBox([self.kaart, self.kaart_lijst]), self.kaart_noten])
        self.tabs = w.Tab(children=[self.panes["Cijfers"], self.panes["Verhalen"], self.panes["Samen bekeken"],
                                    kaart_tab, self.duiding_tab])
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
            w.HBox([self.datum, self.bewaar]), self.form_melding, self.lijst,
            w.HTML("<p class='wk-tekst'>Na afloop: de cijfers, verhalen en duidingen van deze keuze als één "
                   "bestand, om te delen of af te drukken.</p>"),
            self.exporteer, self.export_link])

    # ------------------------------------------------------------------ choosing
    def _names(self) -> tuple[str, str]:
        return self.kring.namen.get(self.gebied, self.gebied), self.kring.labels.get(self.thema, self.thema)

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
        self.status.value = bezig
        self._render(TABS[self.tabs.selected_index or 0])
        self.status.value = f"<span class='wk-klaar'>Te zien: <b>{esc(naam)}</b> · <b>{esc(label)}</b></span>"
        self.wisseltijden.append(time.perf_counter() - began)

    def _sync_controls(self) -> None:
        """Set wijk, buurt and theme lists to the current choice without triggering them."""
        code = self.gebied
        niveau = self.kring.niveaus.get(code)
        wijk = "WK" + code[2:8] if niveau == "buurt" else code
        self._stil = True
        try:
            if wijk in dict((v, k) for k, v in self.kies_wijk.options):
                self.kies_wijk.value = wijk
            if niveau in ("wijk", "buurt"):
                self.kies_buurt.options = [(k, v) for k, v in self.kring.buurt_keuzes(wijk)]
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
        if code and code in self.kring.namen and not self._stil:
            self.kies(gebied=code)

    def _on_tab(self, change) -> None:
        name = TABS[change["new"] or 0]
        self._render(name)
        if name == "Duiding" and self._warming is None and self._pseudo is None:
            # the light pseudonymiser takes a second to load: get it ready while the circle talks
            self._warming = threading.Thread(target=self._warm_pseudonymiser, daemon=True)
            self._warming.start()

    # ------------------------------------------------------------------ drawing
    def _render(self, tab: str) -> None:
        """Draw one tab for the current choice, unless it already shows it."""
        key = (self.gebied, self.thema, self.kaart_maat.value if tab == "Kaart" else None)
        if self._getoond.get(tab) == key:
            return
        try:
            if tab == "Kaart":
                self._draw_map()
            elif tab == "Duiding":
                self._draw_duidingen()
            elif tab == "Cijfers":
                self._draw_cijfers()
            else:
                self.panes[tab].value = {"Verhalen": self._verhalen_html, "Samen bekeken": self._samen_html}[tab]()
        except Exception:  # a visitor sees one Dutch sentence; the details go to the server's log
            log.exception("Tab %s mislukt voor %s / %s", tab, self.gebied, self.thema)
            target = {"Kaart": self.kaart_noten, "Duiding": self.lijst}.get(tab) or self.panes[tab]
            target.value = FOUT
        self._getoond[tab] = key

    def _figure_charts(self) -> list:
        return figure_charts(self.kring, self.gebied, self.thema)

    def _draw_cijfers(self) -> None:
        """The profile first (the answer to the question), then the development below it."""
        naam, label = self._names()
        pane = self.panes["Cijfers"]
        profiel = profile_chart(self.kring, self.gebied, self.thema)
        if profiel is None:
            pane.value = (f"<p class='wk-tekst'>Voor {esc(label.lower())} zijn er geen cijfers voor {esc(naam)}. "
                          "Wat vertellen de verhalen?</p>")
            return
        intro = (f"<p class='wk-tekst'>Hoe staat {esc(naam)} ervoor op {esc(label.lower())}? Elk punt is een cijfer; "
                 f"100 = {esc(self.kring.referentie_label()[:-6])}. Bij elk cijfer staat het jaar; wijs een punt aan "
                 "voor de uitleg.</p>") + f"<div class='wk-grafiek'>{svg(profiel)}</div>"
        verloop = development_chart(self.kring, self.gebied, self.thema)
        if verloop is None:
            pane.value = intro
            return
        pane.value = intro + "<p class='wk-bezig'>Bezig met de ontwikkeling door de jaren …</p>"
        pane.value = intro + f"<div class='wk-grafiek'>{svg(verloop)}</div>"

    def _verhalen_html(self) -> str:
        naam, label = self._names()
        beeld = self.kring.verhalen(self.gebied, self.thema)
        if not beeld.genoeg:
            return (f"<p class='wk-tekst'>Over {esc(label.lower())} in {esc(naam)} zijn <b>{esc(beeld.publiek)}</b> "
                    "verhalen. Dat is te weinig om te laten zien zonder dat vertellers herkenbaar worden.</p>")
        parts = [f"<p class='wk-tekst'>Over {esc(label.lower())} in {esc(naam)}: {esc(beeld.samenvatting)} "
                 f"{esc(beeld.suggestie_zin)}</p>"]
        if len(beeld.citaten):
            parts.append("<p class='wk-tekst'><b>Wat vertellen bewoners en professionals?</b></p>")
            parts += [f"<blockquote class='{esc(q.valentie)}'>{esc(q.citaat)}<span class='wie'>{esc(q.verteller_rol)}, "
                      f"{esc(q.methode)} · {esc(q.valentie)}</span></blockquote>" for q in beeld.citaten.itertuples()]
        else:
            parts.append("<p class='wk-tekst'>Geen citaten: geen van deze vertellers gaf toestemming om te "
                         "citeren, of geen fragment zegt genoeg over dit thema.</p>")
        if len(beeld.per_periode):
            parts.append(f"<div class='wk-grafiek'>{svg(self._period_chart(beeld.per_periode, label))}</div>")
        if beeld.weggelaten_periodes:
            parts.append(f"<p class='wk-tekst'>{beeld.weggelaten_periodes} periode(s) met minder dan {beeld.drempel} "
                         "fragmenten staan niet in de grafiek.</p>")
        return "".join(parts)

    @staticmethod
    def _period_chart(periode, label: str) -> alt.Chart:
        data = periode.assign(beschrijving=[f"{p}: {n} fragmenten {v}" for p, v, n in
                                            zip(periode["periode"], periode["valentie"], periode["fragmenten"])])
        chart = alt.Chart(data).mark_bar().encode(
            x=alt.X("periode:N", title="halfjaar van het gesprek", axis=alt.Axis(labelAngle=0)),
            y=alt.Y("fragmenten:Q", title="fragmenten"),
            color=alt.Color("valentie:N", title="", scale=alt.Scale(domain=["kracht", "knelpunt"],
                                                                      range=[KRACHT, KNELPUNT]),
                            legend=alt.Legend(orient="top")),
            xOffset="valentie:N", description="beschrijving:N")
        title = alt.TitleParams(f"Krachten en knelpunten over {label.lower()} door de tijd",
                                subtitle="Bron: verhalen in de projectstore, per halfjaar van het gesprek.")
        return style(chart.properties(width=560, height=200, title=title))

    def _samen_html(self) -> str:
        naam, _ = self._names()
        tabel = self.kring.kruistabel(self.gebied)
        rij = tabel[tabel["thema"] == self.thema]
        parts = []
        if len(rij):
            r = rij.iloc[0]
            parts.append(f"<p class='{'wk-spanning' if r['spanning'] else 'wk-rustig'}'>{esc(r['uitleg'])}</p>")
        rows = "".join(
            f"<tr><td>{'⚠ ' if r.spanning else ''}{esc(r.label)}</td><td>{esc(r.cijfers)}</td>"
            f"<td>{esc(r.verhalen_zeggen)}</td><td>{esc(r.verhalen_publiek)}</td></tr>" for r in tabel.itertuples())
        parts.append(f"<p class='wk-tekst'>Alle thema's in {esc(naam)}: waar wijzen cijfers en verhalen dezelfde "
                     "kant op, en waar niet (⚠)?</p><table class='wk-tabel'><tr><th>thema</th><th>wat de cijfers "
                     "zeggen</th><th>wat de verhalen zeggen</th><th>aantal verhalen</th></tr>" + rows + "</table>")
        return "".join(parts)

    def _draw_map(self) -> None:
        naam, label = self._names()
        maat = self.kaart_maat.value
        focus, gekozen = self.kring.kaartfocus(self.gebied)
        waarden = self.kring.kaartwaarden(self.thema, maat, focus if self.kring.geometrie is None else None)
        neutraal = self.kring.neutrale_indicator(self.thema) if maat == "cijfers" else None
        if neutraal:  # figures without a verdict: one hue from low to high, never red or blue
            known = waarden["waarde"].dropna()
            low, high = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
            legenda = f"{self.kring.project.catalogus[neutraal].label} ({self.kring.project.catalogus[neutraal].eenheid}) · geen oordeel"
            domein, kleuren = (low, (low + high) / 2, high if high > low else low + 1), NEUTRAAL_SCHAAL
        elif maat == "cijfers":
            legenda, domein, kleuren = "← ongunstiger · gunstiger →", (60, 100, 140), None
        else:
            legenda, domein, kleuren = "% krachten (← knelpunten · krachten →)", (0, 50, 100), (KNELPUNT, ROND, KRACHT)
        gebied = naam if focus is not None else self.kring.namen.get(self.kring.gemeente, naam)
        chart = buurtkaart(waarden, waarde="waarde", titel=f"{label}: {maat} in {gebied}", legenda=legenda,
                           geometry=self.kring.geometrie, domein=domein, kleuren=kleuren, focus=focus,
                           gekozen=gekozen, ondertitel=self.kring.kaart_uitleg(self.thema, maat),
                           breedte=620 if self.kring.geometrie is not None else 1100, hoogte=340)
        self._stil = True
        try:
            self.kaart.gekozen = ""
            self.kaart.svg = svg(chart)
        finally:
            self._stil = False
        if self.kring.geometrie is None:  # the sorted bars already name every gebied
            self.kaart_lijst.value = ""
            self.kaart_lijst.layout.display = "none"
            self.kaart_noten.value = "".join(f"<p class='wk-tekst'>{esc(m)}</p>" for m in self.kring.kaartmeldingen)
            return
        self.kaart_lijst.layout.display = None
        shown = waarden[waarden["gebied_code"].isin(focus)] if focus is not None else waarden
        shown = shown.sort_values("waarde", ascending=False, na_position="last")
        rows = "".join(f"<tr class='{'gekozen' if r.gebied_code in gekozen else ''}'><td>{esc(r.gebied_naam)}</td>"
                       f"<td>{esc(r.tekst)}</td></tr>" for r in shown.itertuples())
        volgorde = "Van hoog naar laag" if neutraal else "Van gunstig naar ongunstig"
        self.kaart_lijst.value = (f"<div class='wk-lijst'><p class='wk-tekst'><b>{volgorde}</b> "
                                  "(klik op de kaart om een gebied te kiezen)</p><table>" + rows + "</table></div>")
        self.kaart_noten.value = "".join(f"<p class='wk-tekst'>{esc(m)}</p>" for m in self.kring.kaartmeldingen)

    def _draw_duidingen(self) -> None:
        naam, label = self._names()
        notes = duidingen(self.kring.store, gebied=self.gebied, thema=self.thema)
        items = "".join(
            f"<div class='wk-tekst' style='border:1px solid #ccc; padding:6px 12px; margin:6px 0'>"
            f"<b>{d.datum:%d-%m-%Y}</b> · aanwezig: {esc(aanwezigen_tekst(d.aanwezigen))}"
            + "".join(f"<br><b>{esc(vraag)}</b> {esc(getattr(d, veld))}"
                      for veld, vraag in VELDEN.items() if getattr(d, veld)) + "</div>"
            for d in notes.itertuples())
        self.lijst.value = (f"<p class='wk-tekst'><b>Eerdere duidingen over {esc(label.lower())} in "
                            f"{esc(naam)}</b></p>{items}" if items else
                            "<p class='wk-tekst'>Nog geen duiding vastgelegd voor dit gebied en thema.</p>")

    # ------------------------------------------------------------------ duiding
    def _warm_pseudonymiser(self) -> None:
        from wijkkit.privacy import Pseudonimiseerder

        # the light variant: patterns and name lists (90 MB), no gigabyte name model in every
        # visitor's kernel; the full pass follows once per server (see kenniskring.serve)
        pseudo = Pseudonimiseerder(set(self.kring.namen.values()) | {self.kring.project.config.project.naam},
                                   use_deduce=False)
        pseudo.pseudonymise("Opwarmen.")
        self._pseudo = pseudo

    def pseudonimiseerder(self):
        if self._warming is not None:
            self._warming.join()
        if self._pseudo is None:
            self._warm_pseudonymiser()
        return self._pseudo

    def _on_save(self, _=None) -> None:
        self.form_melding.value = "<p class='wk-melding'>Bezig met bewaren (namen worden vervangen)…</p>"
        try:
            add_duiding(self.kring.store, gebied=self.gebied, thema=self.thema, datum=self.datum.value or date.today(),
                        aanwezigen={rol: widget.value for rol, widget in self.aanwezig.items()},
                        pseudonimiseerder=self.pseudonimiseerder(),
                        **{veld: widget.value for veld, widget in self.velden.items()})
        except ValueError as exc:
            self.form_melding.value = f"<p class='wk-fout'>Niet bewaard: {esc(str(exc))}</p>"
            return
        except Exception:  # never a traceback on the beamer; the details go to the server's log
            log.exception("Duiding bewaren mislukt voor %s / %s", self.gebied, self.thema)
            self.form_melding.value = ("<p class='wk-fout'>Niet bewaard: er ging iets mis bij het opslaan. Bewaar de "
                                       "tekst zelf en vraag de begeleider om het logboek van de server.</p>")
            return
        for widget in self.velden.values():
            widget.value = ""
        for widget in self.aanwezig.values():
            widget.value = 0
        self.form_melding.value = "<p class='wk-melding'>De duiding is bewaard.</p>"
        self._getoond.pop("Duiding", None)
        self._render("Duiding")

    def _on_export(self, _=None) -> None:
        self.export_link.value = "<p class='wk-melding'>Bezig met de samenvatting…</p>"
        try:
            path = write_summary(self.kring, self.gebied, self.thema, charts=self._figure_charts())
        except Exception:  # a visitor sees one Dutch sentence; the details go to the server's log
            log.exception("Samenvatting maken mislukt voor %s / %s", self.gebied, self.thema)
            self.export_link.value = ("<p class='wk-fout'>De samenvatting kon niet worden gemaakt. Vraag de "
                                      "begeleider van de kenniskring om in het logboek van de server te kijken.</p>")
            return
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        self.export_link.value = (f"<p class='wk-melding'>Samenvatting gemaakt: <a download='{esc(path.name)}' "
                                  f"href='data:text/html;base64,{data}'>{esc(path.name)} downloaden</a> "
                                  "(ook bewaard bij de rapporten van het project).</p>")
        self.laatste_export = path
