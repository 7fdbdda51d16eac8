"""What the kenniskring page shows, as ready HTML: one answer per tab, gebied and theme.

Everything heavy lives here (the project's figures and stories, pandas, Altair and vl-convert, the map's
shapes, the light pseudonymiser): :class:`Panelen` is made once per server by the rekenaar
(:mod:`wijkkit.kenniskring.rekenaar`) and answers every visitor from a cache, so a visitor's kernel holds
widgets and nothing else. In a notebook the dashboard uses it directly. Every method returns plain data
(strings, lists, dicts) that crosses a process boundary as JSON.
"""

from __future__ import annotations

import base64
import logging
import os
import re
import threading
import time
from datetime import date

import altair as alt
import pandas as pd

from wijkkit.charts import KNELPUNT, KRACHT, NEUTRAAL_SCHAAL, ROND, style, svg
from wijkkit.kenniskring.duiding import VELDEN, WORDT_VERWERKT, aanwezigen_tekst, add_duiding, duidingen
from wijkkit.kenniskring.gegevens import Kenniskring
from wijkkit.kenniskring.samenvatting import development_chart, figure_charts, profile_chart, write_summary
from wijkkit.weergave import esc

log = logging.getLogger(__name__)
ZIN_WORDT_VERWERKT = "(je zin wordt nog verwerkt: namen en adressen worden eruit gehaald)"
MAX_PRIORITEITEN = 3  # marks "verdient aandacht" per participant
MAX_ZIN = 300  # characters of the sentence why
TELLING_VERS = 1.0  # seconds a computed tally is shown to the next page that asks


class Panelen:
    """``Panelen(Kenniskring(project))``: the page's answers, each computed once."""

    def __init__(self, kring: Kenniskring, *, bijeenkomst: int | None = None, zaal: dict | None = None):
        self.kring = kring
        self.bijeenkomst = bijeenkomst
        self.zaal = zaal  # {"url": ..., "code": ...} when the page is served to a room
        self._cache: dict[tuple, dict] = {}
        self._lock = threading.RLock()  # pandas and vl-convert work for one visitor at a time; answers are cached
        self._pseudo = None
        self._telling: tuple[float, str | None] = (0.0, None)
        self._telling_lock = threading.Lock()

    # ------------------------------------------------------------------ choices
    def keuzes(self, gebied: str | None = None, thema: str | None = None) -> dict:
        with self._lock:
            kring = self.kring
            gebied = gebied if gebied in kring.namen else kring.standaard_gebied()
            thema = thema if thema in kring.labels else kring.standaard_thema(gebied)
            return {"titel": kring.project.config.project.naam, "gebied": gebied, "thema": thema,
                    "wijken": kring.wijk_keuzes(), "themas": kring.thema_keuzes(), "zoek": kring.zoek_keuzes(),
                    "namen": kring.namen, "niveaus": kring.niveaus, "labels": kring.labels,
                    "gemeente": kring.gemeente, "referentie": kring.referentie_label()[:-6],
                    "zaal": self.zaal, "max_prioriteiten": MAX_PRIORITEITEN, "max_zin": MAX_ZIN}

    def buurten(self, wijk: str) -> list:
        with self._lock:
            return self.kring.buurt_keuzes(wijk)

    def standaard_thema(self, gebied: str) -> str:
        with self._lock:
            return self.kring.standaard_thema(gebied)

    # ------------------------------------------------------------------ tabs
    def paneel(self, tab: str, gebied: str, thema: str, maat: str = "cijfers", smal: bool = False) -> dict:
        """One tab's answer: ``html`` (and for the map ``svg``, ``lijst``, ``noten``). ``smal``: for a phone
        (charts drawn at the phone's width with 16 px type, the profile as a list)."""
        if tab == "Duiding":  # changes while the evening goes on: never cached
            return {"html": self._duidingen_html(gebied, thema)}
        key = (tab, gebied, thema, maat if tab == "Kaart" else None, smal)
        with self._lock:
            if key not in self._cache:
                if tab == "Cijfers":
                    self._bekeken(gebied, thema)
                try:
                    self._cache[key] = {"Cijfers": self._cijfers, "Verhalen": self._verhalen,
                                        "Samen bekeken": self._samen, "Kaart": self._kaart}[tab](gebied, thema, maat,
                                                                                                 smal)
                except Exception:  # a visitor sees one Dutch sentence; the details go to the server's log
                    log.exception("Tab %s mislukt voor %s / %s", tab, gebied, thema)
                    return {"fout": True, "html": FOUT, "svg": "", "lijst": "", "noten": FOUT}
            return self._cache[key]

    def _names(self, gebied: str, thema: str) -> tuple[str, str]:
        return self.kring.namen.get(gebied, gebied), self.kring.labels.get(thema, thema)

    def _cijfers(self, gebied: str, thema: str, _maat, smal: bool = False) -> dict:
        """The theme's figures: every indicator of the profile with a value (the same rows as 'wijkkit tellen
        profiel'), those with an index in the chart (wide screens), the rest as a list; then 'Overige cijfers'."""
        naam, label = self._names(gebied, thema)
        deel = self.kring.cijfers_van(gebied, thema)
        overig = self._overige_cijfers(gebied)
        if deel.empty:
            return {"html": f"<p class='wk-tekst'>Voor {esc(label.lower())} zijn er geen cijfers voor {esc(naam)}. "
                            "Wat vertellen de verhalen?</p>" + overig}
        ref = esc(self.kring.referentie_label()[:-6])
        profiel = None if smal else profile_chart(self.kring, gebied, thema)
        if profiel is None:
            return {"html": f"<p class='wk-tekst'>Hoe staat {esc(naam)} ervoor op {esc(label.lower())}? Vergeleken "
                            f"met {ref}.</p>" + _cijferlijst(deel) + overig}
        intro = (f"<p class='wk-tekst'>Hoe staat {esc(naam)} ervoor op {esc(label.lower())}? Elk punt is een cijfer; "
                 f"100 = {ref}. Bij elk cijfer staat het jaar; wijs een punt aan voor de uitleg.</p>"
                 f"<div class='wk-grafiek'>{svg(profiel)}</div>")
        zonder = deel[deel["index"].isna()]
        if len(zonder):
            intro += ("<p class='wk-tekst'>Zonder vergelijking (een aantal, of geen cijfer om mee te vergelijken):</p>"
                      + _cijferlijst(zonder))
        verloop = development_chart(self.kring, gebied, thema)
        return {"html": intro + (f"<div class='wk-grafiek'>{svg(verloop)}</div>" if verloop is not None else "")
                + overig}

    def _overige_cijfers(self, gebied: str) -> str:
        """Figures from the files that the indicator catalogue does not know, under their own title and unit."""
        from wijkkit.tellen.profiel import OVERIG

        deel = self.kring.cijfers_van(gebied, OVERIG)
        if deel.empty:
            return ""
        return (f"<details class='wk-overig'><summary class='wk-tekst'>Overige cijfers ({len(deel)}): in de bestanden, "
                "nog zonder thema</summary>" + _cijferlijst(deel) + "<p class='wk-oordeel'>Een regel in "
                "indicatoren.yml geeft zo'n cijfer een thema en een richting.</p></details>")

    def _verhalen(self, gebied: str, thema: str, _maat, smal: bool = False) -> dict:
        naam, label = self._names(gebied, thema)
        beeld = self.kring.verhalen(gebied, thema)
        stap = None if beeld.genoeg else self.kring.volgende_stap(gebied)
        if stap:  # every theme is under the threshold: say it once, with what to do
            return {"html": f"<p class='wk-tekst wk-volgende'>{esc(stap)}</p>"}
        if not beeld.genoeg:
            return {"html": f"<p class='wk-tekst'>Over {esc(label.lower())} in {esc(naam)} zijn <b>{esc(beeld.publiek)}"
                            "</b> verhalen. Dat is te weinig om te laten zien zonder dat vertellers herkenbaar "
                            f"worden. {esc(beeld.suggestie_zin)}</p>"}
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
            chart = period_chart(beeld.per_periode, label, width=280 if smal else 560)
            parts.append(f"<div class='wk-grafiek'>{svg(chart)}</div>")
        if beeld.weggelaten_periodes:
            parts.append(f"<p class='wk-tekst'>{beeld.weggelaten_periodes} periode(s) met minder dan {beeld.drempel} "
                         "fragmenten staan niet in de grafiek.</p>")
        return {"html": "".join(parts)}

    def _samen(self, gebied: str, thema: str, _maat, _smal: bool = False) -> dict:
        naam, _ = self._names(gebied, thema)
        tabel = self.kring.kruistabel(gebied)
        rij = tabel[tabel["thema"] == thema]
        parts = []
        stap = self.kring.volgende_stap(gebied)
        if stap:
            parts.append(f"<p class='wk-tekst wk-volgende'>{esc(stap)}</p>")
        met_schouw = bool((tabel["schouw"] != "geen schouw").any())
        if len(rij):
            r = rij.iloc[0]
            parts.append(f"<p class='{'wk-spanning' if r['spanning'] else 'wk-rustig'}'>{esc(r['uitleg'])}</p>")
            if met_schouw:
                parts.append(f"<p class='wk-tekst wk-drie'>{esc(self._drie(gebied, r))}</p>")
        schouw_kop = "<th>wat de schouw zag</th>" if met_schouw else ""
        # data-kop names the column in each cell: on a phone the table is a stacked list
        rows = "".join(
            f"<tr><td>{'⚠ ' if r.spanning else ''}{esc(r.label)}</td><td data-kop='cijfers'>{esc(r.cijfers)}</td>"
            f"<td data-kop='verhalen'>{esc(r.verhalen_zeggen)}</td><td data-kop='aantal verhalen'>"
            f"{esc(r.verhalen_publiek)}</td>"
            + (f"<td data-kop='schouw'>{esc(r.schouw)}</td>" if met_schouw else "") + "</tr>"
            for r in tabel.itertuples())
        parts.append(f"<p class='wk-tekst'>Alle thema's in {esc(naam)}: waar wijzen cijfers en verhalen dezelfde "
                     "kant op, en waar niet (⚠)?</p><div class='wk-tabelvak'><table class='wk-tabel'><tr><th>thema"
                     "</th><th>wat de cijfers zeggen</th><th>wat de verhalen zeggen</th><th>aantal verhalen</th>"
                     + schouw_kop + "</tr>" + rows + "</table></div>")
        return {"html": "".join(parts)}

    def _drie(self, gebied: str, r) -> str:
        """Figures, stories and the schouw of one theme side by side, in one sentence."""
        cijfers = {"geen cijfers": "niets", "geen oordeel": "niets met een oordeel"}.get(r["cijfers"], r["cijfers"])
        verhalen = {"te weinig verhalen": f"te weinig ({r['verhalen_publiek']} verhalen)"}.get(
            r["verhalen_zeggen"], r["verhalen_zeggen"])
        if r["schouw"] == "geen schouw":
            zag = "hier niets (geen schouw bij dit thema)"
        else:
            wanneer = self.kring.schouw_rondes(gebied)
            zag = re.sub(r" \(\d{4}(–\d{4})?\)$", "", r["schouw"]) + (f"; {wanneer}" if wanneer else "")
        return f"De cijfers zeggen: {cijfers}; bewoners vertellen: {verhalen}; de schouw zag: {zag}."

    def _kaart(self, gebied: str, thema: str, maat: str, smal: bool = False) -> dict:
        from wijkkit.verbinden.kaart import buurtkaart

        kring = self.kring
        naam, label = self._names(gebied, thema)
        focus, gekozen = kring.kaartfocus(gebied)
        waarden = kring.kaartwaarden(thema, maat, focus if kring.geometrie is None else None)
        neutraal = kring.neutrale_indicator(thema) if maat == "cijfers" else None
        if neutraal:  # figures without a verdict: one hue from low to high, never red or blue
            known = waarden["waarde"].dropna()
            low, high = (float(known.min()), float(known.max())) if len(known) else (0.0, 1.0)
            indicator = kring.project.catalogus[neutraal]
            legenda = f"{indicator.label} ({indicator.eenheid}) · geen oordeel"
            domein, kleuren = (low, (low + high) / 2, high if high > low else low + 1), NEUTRAAL_SCHAAL
        elif maat == "cijfers":
            legenda, domein, kleuren = "← ongunstiger · gunstiger →", (60, 100, 140), None
        else:
            legenda, domein, kleuren = "% krachten (← knelpunten · krachten →)", (0, 50, 100), (KNELPUNT, ROND, KRACHT)
        plaats = naam if focus is not None else kring.namen.get(kring.gemeente, naam)
        uitleg = kring.kaart_uitleg(thema, maat)
        # on a phone the explanation is text beside the map, which is drawn at the phone's width
        punten = None
        if kring.geometrie is not None:
            binnen = focus if focus is not None else list(kring.geometrie["gebied_code"])
            punten = kring.schouwpunten(thema, binnen)
        chart = buurtkaart(waarden, waarde="waarde", titel=f"{label}: {maat} in {plaats}", legenda=legenda,
                           punten=punten,
                           geometry=kring.geometrie, domein=domein, kleuren=kleuren, focus=focus, gekozen=gekozen,
                           ondertitel=[] if smal else uitleg,
                           breedte=(290 if smal else 620) if kring.geometrie is not None else (560 if smal else 1100),
                           hoogte=300 if smal else 340)
        noten = (f"<p class='wk-tekst'>{esc(' '.join(uitleg))}</p>" if smal else "") + "".join(
            f"<p class='wk-tekst'>{esc(m)}</p>" for m in kring.kaartmeldingen)
        if kring.geometrie is None:  # the sorted bars already name every gebied
            return {"svg": svg(chart), "lijst": "", "noten": noten}
        shown = waarden[waarden["gebied_code"].isin(focus)] if focus is not None else waarden
        shown = shown.sort_values("waarde", ascending=False, na_position="last")
        rows = "".join(f"<tr class='{'gekozen' if r.gebied_code in gekozen else ''}'><td>{esc(r.gebied_naam)}</td>"
                       f"<td>{esc(r.tekst)}</td></tr>" for r in shown.itertuples())
        volgorde = "Van hoog naar laag" if neutraal else "Van gunstig naar ongunstig"
        lijst = (f"<div class='wk-lijst'><p class='wk-tekst'><b>{volgorde}</b> (klik op de kaart om een gebied te "
                 "kiezen)</p><table>" + rows + "</table>" + self._schouwlijst(punten) + "</div>")
        return {"svg": svg(chart), "lijst": lijst, "noten": noten}

    @staticmethod
    def _schouwlijst(punten) -> str:
        """Below the map: what the schouw saw here, and the remarks walkers allowed on public pages."""
        if punten is None or punten.empty:
            return ""
        from wijkkit.kijken.onderdelen import GOED_GENOEG

        goed = int(punten["niveau"].isin(GOED_GENOEG).sum())
        items = "".join(f"<li>{esc(t)}</li>" for t in punten.loc[punten["opmerking"] != "", "beschrijving"].head(8))
        return (f"<p class='wk-tekst wk-schouw'><b>Straatschouw</b>: {len(punten)} punten op de kaart, {goed} op "
                "niveau B of beter bij alle onderdelen van dit thema. Klik op een punt voor wat er gezien is.</p>"
                + (f"<ul class='wk-schouwopmerkingen'>{items}</ul>" if items else ""))

    def figure_charts(self, gebied: str, thema: str) -> list:
        with self._lock:
            return figure_charts(self.kring, gebied, thema)

    # ------------------------------------------------------------------ duiding
    def _duidingen_html(self, gebied: str, thema: str) -> str:
        naam, label = self._names(gebied, thema)
        notes = duidingen(self.kring.store, gebied=gebied, thema=thema)
        items = "".join(
            f"<div class='wk-tekst wk-duiding'><b>{d.datum:%d-%m-%Y}</b> · aanwezig: "
            f"{esc(aanwezigen_tekst(d.aanwezigen, self.kring.drempel))}"
            + ("".join(f"<br><b>{esc(vraag)}</b> {esc(getattr(d, veld))}"
                       for veld, vraag in VELDEN.items() if getattr(d, veld)) if d.verwerkt
               else f"<br><i>{esc(WORDT_VERWERKT)}</i>") + "</div>"
            for d in notes.itertuples())
        return (f"<p class='wk-tekst'><b>Eerdere duidingen over {esc(label.lower())} in {esc(naam)}</b></p>{items}"
                if items else "<p class='wk-tekst'>Nog geen duiding vastgelegd voor dit gebied en thema.</p>")

    def pseudonimiseerder(self):
        """The light pseudonymiser (patterns and name lists), loaded once per server; the full pass with the name
        model follows in a process of its own (see kenniskring.serve)."""
        with self._lock:
            if self._pseudo is None:
                from wijkkit.privacy import Pseudonimiseerder

                self._pseudo = Pseudonimiseerder(set(self.kring.namen.values())
                                                 | {self.kring.project.config.project.naam}, use_deduce=False)
            return self._pseudo

    def bewaar_duiding(self, gebied: str, thema: str, datum: str, velden: dict, aanwezigen: dict) -> dict:
        try:
            add_duiding(self.kring.store, gebied=gebied, thema=thema, datum=date.fromisoformat(datum),
                        aanwezigen=aanwezigen, pseudonimiseerder=self.pseudonimiseerder(),
                        bijeenkomst_id=self.bijeenkomst,
                        # on the team server the service tells a visitor's kernel who the hub let in
                        ingevoerd_door=os.environ.get("WIJKKIT_BEZOEKER", ""), **{k: str(velden.get(k, "")) for k in VELDEN})
        except ValueError as exc:
            return {"ok": False, "melding": f"<p class='wk-fout'>Niet bewaard: {esc(str(exc))}</p>"}
        except Exception:  # never a traceback on the beamer; the details go to the server's log
            log.exception("Duiding bewaren mislukt voor %s / %s", gebied, thema)
            return {"ok": False, "melding": "<p class='wk-fout'>Niet bewaard: er ging iets mis bij het opslaan. "
                                            "Bewaar de tekst zelf en vraag de begeleider om het logboek van de server.</p>"}
        return {"ok": True, "melding": "<p class='wk-melding'>De duiding is bewaard.</p>"}

    def samenvatting(self, gebied: str, thema: str) -> dict:
        try:
            with self._lock:
                path = write_summary(self.kring, gebied, thema, charts=figure_charts(self.kring, gebied, thema))
        except Exception:  # a visitor sees one Dutch sentence; the details go to the server's log
            log.exception("Samenvatting maken mislukt voor %s / %s", gebied, thema)
            return {"ok": False}
        return {"ok": True, "naam": path.name, "data": base64.b64encode(path.read_bytes()).decode("ascii"),
                "pad": str(path)}

    # ------------------------------------------------------------------ agenderen
    def zet_prioriteit(self, deelnemer: str, gebied: str, thema: str, zin: str) -> dict:
        from wijkkit.kenniskring.agenda import add_prioriteit

        try:
            add_prioriteit(self.kring.store, bijeenkomst_id=self.bijeenkomst, deelnemer=deelnemer, gebied=gebied,
                           thema=thema, zin=zin[:MAX_ZIN], pseudonimiseerder=self.pseudonimiseerder(),
                           maximum=MAX_PRIORITEITEN)
        except ValueError as exc:
            return {"ok": False, "melding": f"<p class='wk-fout'>{esc(str(exc))}</p>"}
        self._telling = (0.0, None)
        return {"ok": True, "melding": "<p class='wk-melding'>Op de lijst gezet.</p>"}

    def haal_prioriteit_weg(self, deelnemer: str, gebied: str, thema: str) -> dict:
        from wijkkit.kenniskring.agenda import remove_prioriteit

        remove_prioriteit(self.kring.store, bijeenkomst_id=self.bijeenkomst, deelnemer=deelnemer, gebied=gebied,
                          thema=thema)
        self._telling = (0.0, None)
        return {"ok": True}

    def mijn_prioriteiten(self, deelnemer: str) -> list:
        from wijkkit.kenniskring.agenda import prioriteiten

        rows = prioriteiten(self.kring.store, bijeenkomst_id=self.bijeenkomst)
        mine = rows[rows["deelnemer"] == deelnemer]
        # the writer's own sentence too waits for the full pass: on the beamer's laptop the room reads this list
        return [[r.gebied, r.thema, self._names(r.gebied, r.thema)[0], self._names(r.gebied, r.thema)[1],
                 r.zin if r.verwerkt or not r.zin else ZIN_WORDT_VERWERKT] for r in mine.itertuples()]

    def telling(self) -> dict:
        """The room's tally, most marks first; sentences only where the privacy threshold is reached.

        Every open page asks for it every few seconds (forty phones: a dozen times a second); it is computed at
        most once per ``TELLING_VERS`` seconds, and at once after a mark here changed it."""
        from wijkkit.kenniskring.agenda import tally_html

        with self._telling_lock:
            stamp, html = self._telling
            if html is None or time.monotonic() - stamp > TELLING_VERS:
                html = tally_html(self.kring, bijeenkomst_id=self.bijeenkomst)
                self._telling = (time.monotonic(), html)
        return {"html": html}

    def _bekeken(self, gebied: str, thema: str) -> None:
        if self.bijeenkomst is None:
            return
        from wijkkit.kenniskring.agenda import record_view

        try:
            record_view(self.kring.store, self.bijeenkomst, gebied, thema)
        except Exception:  # a read-only store still shows the page
            log.exception("Bekeken niet bijgehouden")


FOUT = ("<p class='wk-fout'>Dit deel kon niet worden getoond. Vraag de begeleider van de kenniskring om in het "
        "logboek van de server te kijken.</p>")


def _cijferlijst(deel: pd.DataFrame) -> str:
    """Figures as a list: one line each, its colour, its year and how it changed (fits a phone)."""
    from wijkkit.tellen.profiel import band_colour
    from wijkkit.weergave import getal, met_eenheid

    items = []
    for r in deel.itertuples():
        kleur = band_colour(r.band_code, r.richting)
        verandering = ("" if pd.isna(r.verandering) or pd.isna(r.vorige_jaar) else
                       f"; {'+' if r.verandering > 0 else ''}{getal(r.verandering, 1)} sinds {int(r.vorige_jaar)}")
        waarde = met_eenheid(getal(r.waarde, 0 if abs(r.waarde) >= 100 else 1), r.eenheid)
        items.append(f"<li class='wk-cijfer'><span class='wk-stip' style='background:{kleur}'></span>"
                     f"<b>{esc(r.label)}</b>: {esc(waarde)} ({int(r.jaar)}){esc(verandering)}<br>"
                     f"<span class='wk-oordeel'>{esc(r.band)}</span></li>")
    return f"<ul class='wk-cijfers'>{''.join(items)}</ul>"


def period_chart(periode: pd.DataFrame, label: str, width: int = 560) -> alt.Chart:
    data = periode.assign(beschrijving=[f"{p}: {n} fragmenten {v}" for p, v, n in
                                        zip(periode["periode"], periode["valentie"], periode["fragmenten"])])
    chart = alt.Chart(data).mark_bar().encode(
        x=alt.X("periode:N", title="halfjaar van het gesprek", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("fragmenten:Q", title="fragmenten"),
        color=alt.Color("valentie:N", title="", scale=alt.Scale(domain=["kracht", "knelpunt"], range=[KRACHT, KNELPUNT]),
                        legend=alt.Legend(orient="top")),
        xOffset="valentie:N", description="beschrijving:N")
    title = alt.TitleParams(f"Krachten en knelpunten over {label.lower()} door de tijd",
                            subtitle="Bron: verhalen in de projectstore, per halfjaar van het gesprek.")
    return style(chart.properties(width=width, height=200, title=title))

