"""The kenniskring page: choose gebied and theme; figures, stories, tensions, map and duiding.

Built for a beamer at 1280x720 in a community centre: large type, one question per tab,
Dutch throughout, colour-blind safe colours, no code. Charts are displayed through Output
widgets (JupyterChart inside a Box fails to load in Voila); the map is a JupyterChart whose
click selection chooses the gebied.
"""

from __future__ import annotations

import base64
import html
import logging
import threading
from datetime import date

import altair as alt
import ipywidgets as w
from IPython.display import HTML, display

from wijkkit.charts import OKABE_ITO, style
from wijkkit.kenniskring.duiding import ROLLEN, VELDEN, aanwezigen_tekst, add_duiding, duidingen
from wijkkit.kenniskring.gegevens import Kenniskring
from wijkkit.kenniskring.samenvatting import figure_charts, write_summary
from wijkkit.kenniskring.serve import mark_ready
from wijkkit.verbinden.kaart import SELECTIE, buurtkaart

CSS = """<style>
.wk-kring, .wk-kring .widget-label, .wk-kring select, .wk-kring input, .wk-kring textarea,
.wk-kring .widget-button, .wk-kring .lm-TabBar-tab { font-size: 19px !important; }
.wk-kring .lm-TabBar-tab { flex: 0 0 auto !important; min-width: 210px !important; max-width: none !important; }
.wk-kring .wk-kop { font-size: 30px; font-weight: 700; margin: 4px 0; }
.wk-kring .wk-tekst { font-size: 20px; max-width: 62em; line-height: 1.45; }
.wk-kring blockquote { font-size: 20px; margin: 10px 0; padding: 6px 14px; border-left: 6px solid #0072B2;
  background: #f4f8fb; max-width: 60em; }
.wk-kring blockquote .wie { display: block; font-size: 16px; color: #333; }
.wk-kring .wk-spanning { background: #fff3e0; border-left: 8px solid #b35806; padding: 8px 14px; font-size: 21px; }
.wk-kring .wk-rustig { background: #f3f0fa; border-left: 8px solid #542788; padding: 8px 14px; font-size: 21px; }
.wk-kring table.wk-tabel td, .wk-kring table.wk-tabel th { padding: 4px 12px; font-size: 18px; text-align: left;
  border-bottom: 1px solid #ddd; }
.wk-kring .wk-melding { color: #004d00; font-size: 18px; } .wk-kring .wk-fout { color: #a00000; font-size: 18px; }
</style>"""
log = logging.getLogger(__name__)
TABS = ["Cijfers", "Verhalen", "Samen bekeken", "Kaart", "Duiding"]


class Dashboard(w.VBox):
    """``Dashboard(Kenniskring(project))``; display it in a notebook or serve it with Voila."""

    def __init__(self, kring: Kenniskring, *, gebied: str | None = None, thema: str | None = None):
        super().__init__()
        self.kring = kring
        self.add_class("wk-kring")
        gebied = gebied or kring.standaard_gebied()
        self.kies_gebied = w.Dropdown(options=kring.gebied_keuzes(), value=gebied,
                                      description="Gebied", layout=w.Layout(width="430px"))
        self.kies_thema = w.Dropdown(options=kring.thema_keuzes(), value=thema or kring.standaard_thema(gebied),
                                     description="Thema", layout=w.Layout(width="470px"))
        self.kies_gebied.add_class("wk-gebied")
        self.kies_thema.add_class("wk-thema")
        self.exporteer = w.Button(description="Samenvatting maken", button_style="primary",
                                  layout=w.Layout(width="auto"))
        self.exporteer.add_class("wk-exporteer")
        self.exporteer.on_click(self._on_export)
        self.export_link = w.HTML()
        self.export_link.add_class("wk-export-link")
        self.uit = {name: w.Output() for name in TABS}
        self.tabs = w.Tab(children=[self.uit[name] for name in TABS])
        for i, name in enumerate(TABS):
            self.tabs.set_title(i, name)
        self.kaart_maat = w.ToggleButtons(options=[("Cijfers", "cijfers"), ("Verhalen", "verhalen")],
                                          description="Kleur:")
        self.kaart_maat.observe(lambda _: self._show_map(), "value")
        self._build_form()
        kop = w.HTML(CSS + f"<div class='wk-kop'>Kenniskring {html.escape(kring.project.config.project.naam)}</div>")
        self.children = [kop, w.HBox([self.kies_gebied, self.kies_thema, self.exporteer],
                                     layout=w.Layout(flex_flow="row wrap", align_items="center")),
                         self.export_link, self.tabs]
        self.kies_gebied.observe(lambda _: self.refresh(), "value")
        self.kies_thema.observe(lambda _: self.refresh(), "value")
        self._pseudo = None
        self._warming: threading.Thread | None = None
        self.tabs.observe(self._on_tab, "selected_index")
        self.refresh()
        mark_ready()

    # ------------------------------------------------------------------ state
    @property
    def gebied(self) -> str:
        return self.kies_gebied.value

    @property
    def thema(self) -> str:
        return self.kies_thema.value

    def _names(self) -> tuple[str, str]:
        return self.kring.namen.get(self.gebied, self.gebied), self.kring.labels.get(self.thema, self.thema)

    def refresh(self) -> None:
        self.export_link.value = ""
        self._show_figures()
        self._show_stories()
        self._show_together()
        self._show_map()
        self._show_duidingen()

    # ------------------------------------------------------------------ tabs
    def _figure_charts(self) -> list:
        return figure_charts(self.kring, self.gebied, self.thema)

    def _show_figures(self) -> None:
        naam, label = self._names()
        with self.uit["Cijfers"]:
            self.uit["Cijfers"].clear_output(wait=True)
            charts = self._figure_charts()
            if not charts:
                display(HTML(f"<p class='wk-tekst'>Voor {html.escape(label.lower())} zijn er geen cijfers voor "
                             f"{html.escape(naam)}. Wat vertellen de verhalen?</p>"))
                return
            display(HTML(f"<p class='wk-tekst'>Hoe staat {html.escape(naam)} ervoor op {html.escape(label.lower())}? "
                         f"Elk punt is een cijfer; 100 = {html.escape(self.kring.referentie_label()[:-6])}. "
                         "Bij elk cijfer staat het jaar.</p>"))
            for chart in charts:
                display(chart)

    def _show_stories(self) -> None:
        naam, label = self._names()
        beeld = self.kring.verhalen(self.gebied, self.thema)
        with self.uit["Verhalen"]:
            self.uit["Verhalen"].clear_output(wait=True)
            if not beeld.genoeg:
                display(HTML(f"<p class='wk-tekst'>Over {html.escape(label.lower())} in {html.escape(naam)} zijn "
                             f"<b>{beeld.publiek}</b> verhalen. Dat is te weinig om te laten zien zonder dat "
                             "vertellers herkenbaar worden.</p>"))
                return
            display(HTML(f"<p class='wk-tekst'>Over {html.escape(label.lower())}: {html.escape(beeld.samenvatting)}"
                         f" {html.escape(beeld.suggestie_zin)}</p>"))
            if len(beeld.per_periode):
                display(self._period_chart(beeld.per_periode, label))
            if beeld.weggelaten_periodes:
                display(HTML(f"<p class='wk-tekst'>{beeld.weggelaten_periodes} periode(s) met minder dan "
                             f"{beeld.drempel} fragmenten staan niet in de grafiek.</p>"))
            if len(beeld.citaten):
                display(HTML("<p class='wk-tekst'><b>Wat vertellen bewoners en professionals?</b></p>" + "".join(
                    f"<blockquote>{html.escape(q.citaat)}<span class='wie'>{html.escape(q.verteller_rol)}, "
                    f"{html.escape(q.methode)} · {html.escape(q.valentie)}</span></blockquote>"
                    for q in beeld.citaten.itertuples())))
            else:
                display(HTML("<p class='wk-tekst'>Geen citaten: geen van deze vertellers gaf toestemming om te "
                             "citeren.</p>"))

    @staticmethod
    def _period_chart(periode, label: str) -> alt.Chart:
        chart = alt.Chart(periode).mark_bar().encode(
            x=alt.X("periode:N", title="halfjaar van het gesprek"),
            y=alt.Y("fragmenten:Q", title="fragmenten"),
            color=alt.Color("valentie:N", title="", scale=alt.Scale(domain=["kracht", "knelpunt"],
                                                                      range=[OKABE_ITO[0], OKABE_ITO[1]])),
            xOffset="valentie:N", tooltip=["periode:N", "valentie:N", "fragmenten:Q"])
        title = alt.TitleParams(f"Krachten en knelpunten over {label.lower()} door de tijd",
                                subtitle="Bron: verhalen in de projectstore, per halfjaar van het gesprek.")
        return style(chart.properties(width=560, height=220, title=title))

    def _show_together(self) -> None:
        naam, label = self._names()
        tabel = self.kring.kruistabel(self.gebied)
        rij = tabel[tabel["thema"] == self.thema]
        with self.uit["Samen bekeken"]:
            self.uit["Samen bekeken"].clear_output(wait=True)
            if len(rij):
                r = rij.iloc[0]
                css = "wk-spanning" if r["spanning"] else "wk-rustig"
                display(HTML(f"<p class='{css}'>{html.escape(r['uitleg'])}</p>"))
            rows = "".join(
                f"<tr><td>{'⚠ ' if r.spanning else ''}{html.escape(r.label)}</td><td>{html.escape(r.cijfers)}</td>"
                f"<td>{html.escape(r.verhalen_zeggen)}</td><td>{html.escape(r.verhalen_publiek)}</td></tr>"
                for r in tabel.itertuples())
            display(HTML(f"<p class='wk-tekst'>Alle thema's in {html.escape(naam)}: waar wijzen cijfers en verhalen "
                         "dezelfde kant op, en waar niet (⚠)?</p><table class='wk-tabel'><tr><th>thema</th>"
                         f"<th>de cijfers</th><th>de verhalen</th><th>verhalen</th></tr>{rows}</table>"))

    def _show_map(self) -> None:
        naam, label = self._names()
        maat = self.kaart_maat.value
        waarden = self.kring.kaartwaarden(self.thema, maat)
        if maat == "cijfers":
            titel, legenda, domein = f"{label}: cijfers per buurt", "← ongunstiger · gunstiger →", (60, 100, 140)
        else:
            titel, legenda, domein = (f"{label}: verhalen per buurt", "% krachten (knelpunt ← → kracht)",
                                      (0, 50, 100))
        chart = buurtkaart(waarden, waarde="waarde", titel=titel, legenda=legenda, geometry=self.kring.geometrie,
                           domein=domein, gekozen=self.kring.buurten_in(self.gebied), breedte=560, hoogte=400,
                           tooltip=[alt.Tooltip("gebied_naam:N", title="buurt"),
                                    alt.Tooltip("tekst:N", title="toelichting")])
        with self.uit["Kaart"]:
            self.uit["Kaart"].clear_output(wait=True)
            display(self.kaart_maat)
            self.kaart = alt.JupyterChart(chart)
            self.kaart.selections.observe(self._on_map_click, [SELECTIE])
            display(self.kaart)
            if self.kring.kaartmeldingen:
                display(HTML("<p class='wk-tekst'>" + "<br>".join(html.escape(m) for m in self.kring.kaartmeldingen)
                             + "</p>"))

    def _on_map_click(self, change) -> None:
        selection = change["new"]
        codes = [item.get("gebied_code") for item in (selection.value or [])] if selection else []
        if codes and codes[0] in dict((v, k) for k, v in self.kies_gebied.options):
            self.kies_gebied.value = codes[0]

    # ------------------------------------------------------------------ duiding
    def _build_form(self) -> None:
        self.velden = {veld: w.Textarea(placeholder=vraag, layout=w.Layout(width="95%", height="4.5em"))
                       for veld, vraag in VELDEN.items()}
        for veld, widget in self.velden.items():
            widget.add_class(f"wk-{veld}")
        self.datum = w.DatePicker(value=date.today(), description="Datum")
        self.aanwezig = {rol: w.BoundedIntText(value=0, min=0, max=500, description=rol,
                                               style={"description_width": "initial"},
                                               layout=w.Layout(width="210px")) for rol in ROLLEN}
        for rol, widget in self.aanwezig.items():
            widget.add_class(f"wk-aanwezig-{rol}")
        self.bewaar = w.Button(description="Duiding bewaren", button_style="success", layout=w.Layout(width="auto"))
        self.bewaar.add_class("wk-bewaar")
        self.bewaar.on_click(self._on_save)
        self.form_melding = w.HTML()
        self.lijst = w.HTML()

    def _show_duidingen(self) -> None:
        naam, label = self._names()
        notes = duidingen(self.kring.store, gebied=self.gebied, thema=self.thema)
        items = "".join(
            f"<div class='wk-tekst' style='border:1px solid #ccc; padding:6px 12px; margin:6px 0'>"
            f"<b>{d.datum:%d-%m-%Y}</b> · aanwezig: {html.escape(aanwezigen_tekst(d.aanwezigen))}"
            + "".join(f"<br><b>{html.escape(vraag)}</b> {html.escape(getattr(d, veld))}"
                      for veld, vraag in VELDEN.items() if getattr(d, veld)) + "</div>"
            for d in notes.itertuples())
        self.lijst.value = (f"<p class='wk-tekst'><b>Eerdere duidingen over {html.escape(label.lower())} in "
                            f"{html.escape(naam)}</b></p>{items}" if items else
                            "<p class='wk-tekst'>Nog geen duiding vastgelegd voor dit gebied en thema.</p>")
        with self.uit["Duiding"]:
            self.uit["Duiding"].clear_output(wait=True)
            display(w.VBox([
                w.HTML(f"<p class='wk-tekst'>Wat maakt de kenniskring van de cijfers en verhalen over "
                       f"{html.escape(label.lower())} in {html.escape(naam)}? Namen en telefoonnummers worden bij "
                       "het bewaren vervangen.</p>"),
                *[w.VBox([w.HTML(f"<span class='wk-tekst'><b>{html.escape(vraag)}</b></span>"), self.velden[veld]])
                  for veld, vraag in VELDEN.items()],
                w.HTML("<span class='wk-tekst'><b>Wie waren er?</b> (aantal per rol)</span>"),
                w.HBox(list(self.aanwezig.values()), layout=w.Layout(flex_flow="row wrap")),
                w.HBox([self.datum, self.bewaar]), self.form_melding, self.lijst]))

    def _on_tab(self, change) -> None:
        # The name model takes seconds of pure Python to load, and a thread doing that slows every
        # widget message while the page is drawn. So it loads once the circle opens the duiding
        # tab: while they talk and type, it gets ready.
        if TABS[change["new"]] == "Duiding" and self._warming is None and self._pseudo is None:
            self._warming = threading.Thread(target=self._warm_pseudonymiser, daemon=True)
            self._warming.start()

    def _warm_pseudonymiser(self) -> None:
        from wijkkit.privacy import Pseudonimiseerder

        pseudo = Pseudonimiseerder(set(self.kring.namen.values()) | {self.kring.project.config.project.naam})
        pseudo.pseudonymise("Opwarmen.")
        self._pseudo = pseudo

    def pseudonimiseerder(self):
        if self._warming is not None:
            self._warming.join()
        if self._pseudo is None:
            self._warm_pseudonymiser()
        return self._pseudo

    def _on_save(self, _=None) -> None:
        if self._pseudo is None:
            self.form_melding.value = "<p class='wk-melding'>Bezig met bewaren (namen worden vervangen)…</p>"
        try:
            add_duiding(self.kring.store, gebied=self.gebied, thema=self.thema, datum=self.datum.value or date.today(),
                        aanwezigen={rol: widget.value for rol, widget in self.aanwezig.items()},
                        pseudonimiseerder=self.pseudonimiseerder(),
                        **{veld: widget.value for veld, widget in self.velden.items()})
        except ValueError as exc:
            self.form_melding.value = f"<p class='wk-fout'>Niet bewaard: {html.escape(str(exc))}</p>"
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
        self._show_duidingen()

    # ------------------------------------------------------------------ export
    def _on_export(self, _=None) -> None:
        try:
            path = write_summary(self.kring, self.gebied, self.thema, charts=self._figure_charts())
        except Exception:  # a visitor sees one Dutch sentence; the details go to the server's log
            log.exception("Samenvatting maken mislukt voor %s / %s", self.gebied, self.thema)
            self.export_link.value = ("<p class='wk-fout'>De samenvatting kon niet worden gemaakt. Vraag de "
                                      "begeleider van de kenniskring om in het logboek van de server te kijken.</p>")
            return
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        self.export_link.value = (f"<p class='wk-melding'>Samenvatting gemaakt: <a download='{html.escape(path.name)}' "
                                  f"href='data:text/html;base64,{data}'>{html.escape(path.name)} downloaden</a> "
                                  "(ook bewaard bij de rapporten van het project).</p>")
        self.laatste_export = path
