"""Everything a kenniskring page shows, computed once per project and privacy-safe by construction.

Stories are counted per gebied and theme from the team's codes. A story nobody has coded yet counts
with the tagger's suggestions only on themes where suggestions have proved good enough (F1 at least
``GOED``, 0.7): measured against this team's own codings where it has coded enough, else measured by
cross-validation on real resident quotes (``wijkkit/data/bewoners``). On other themes the page counts
coded stories only and says how many are not yet coded. Public output follows the project's
privacy threshold: counts below it read "minder dan N", shares and quotes are not shown for
so few stories, and quotes come only from stories with consent to quote (pseudonymised text).
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from sqlalchemy import select

from wijkkit.coderen.beslissingen import codes as team_codes
from wijkkit.coderen.kwaliteit import GOED
from wijkkit.config import Project
from wijkkit.store.models import Coding, Story
from wijkkit.tellen.profiel import trend, wijkprofiel
from wijkkit.verbinden.kruistabel import figure_verdict, in_gebied, publiek_aantal, verbind

MAX_CITATEN = 5
TIEN = ("nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien")


@dataclass
class Verhalenbeeld:
    """What the stories say about one theme in one gebied, as it may be shown in public.

    The integer counts are for computing; everything meant for a page (``publiek``,
    ``samenvatting``, ``per_periode``) already follows the privacy threshold: a count below it
    reads "minder dan N", a period with fewer fragments is left out of the chart data.
    """

    verhalen: int
    fragmenten: int
    kracht: int
    knelpunt: int
    neutraal: int
    drempel: int
    citaten: pd.DataFrame
    per_periode: pd.DataFrame  # periode, valentie, fragmenten: only cells at or above the threshold
    weggelaten_periodes: int  # periods left out of the chart because they hold too few fragments
    uit_suggesties: int  # stories counted from tagger suggestions (not yet coded by the team)
    # how the suggestions agreed with this team on this theme (wijkkit.coderen.kwaliteit)
    suggestie_oordeel: str = "te weinig gegevens"
    suggestie_f1: float = float("nan")
    niet_gecodeerd: int = 0  # stories in the gebied no coder has decided yet
    # what decided whether suggestions count here: "team" (this project's codings), "corpus" (cross-validation on
    # real resident quotes) or "" (nothing measured); and the F1 it measured
    suggestie_bron: str = ""
    vertrouwen_f1: float = float("nan")

    @property
    def genoeg(self) -> bool:
        return self.verhalen >= self.drempel

    @property
    def publiek(self) -> str:
        return publiek_aantal(self.verhalen, self.drempel)

    def aantal(self, n: int) -> str:
        return "geen" if n == 0 else publiek_aantal(n, self.drempel)

    @property
    def samenvatting(self) -> str:
        """One Dutch sentence whose counts add up and are all public."""
        if not self.genoeg:
            return f"{self.publiek} verhalen: te weinig om iets te laten zien zonder dat vertellers herkenbaar worden."
        parts = [(self.kracht, "over wat goed gaat"), (self.knelpunt, "over knelpunten"),
                 (self.neutraal, "zonder oordeel")]
        delen = [f"{self.aantal(n)} {wat}" for n, wat in parts if n or wat != "zonder oordeel"]
        lijst = ", ".join(delen[:-1]) + " en " + delen[-1]
        if any(0 < n < self.drempel for n, _ in parts):
            # a total next to a hidden part would give the small number away by subtraction
            return f"{self.publiek} verhalen. Fragmenten: {lijst}."
        return f"{self.publiek} verhalen met samen {self.fragmenten} fragmenten: {lijst}."

    @property
    def suggestie_zin(self) -> str:
        """Which part of the count comes from suggestions, or that none does (public: never a small number)."""
        if not self.uit_suggesties:
            if not self.niet_gecodeerd or not self.suggestie_bron:
                return ""
            return (f"Hier tellen alleen verhalen die het team codeerde: {self.aantal(self.niet_gecodeerd)} verhalen "
                    f"in dit gebied zijn nog niet gecodeerd. {self.waarom_niet}").strip()
        zin = (f"Van {self.aantal(self.uit_suggesties)} verhalen is het thema nog niet door het team bevestigd: "
               "daar telt de suggestie van wijkkit.")
        return f"{zin} {self.onzekerheid}".strip()

    def _tiende(self, f1: float) -> str:
        return TIEN[max(0, min(10, round(f1 * 10)))]

    @property
    def waarom_niet(self) -> str:
        """Why suggestions do not count on this theme, with the evidence that decided it."""
        if self.suggestie_bron == "team":
            waar = f"kwamen in dit project ongeveer {self._tiende(self.vertrouwen_f1)} op de tien overeen met het team"
        elif self.suggestie_bron == "corpus":
            waar = (f"kwamen op echte bewonerscitaten ongeveer {self._tiende(self.vertrouwen_f1)} op de tien overeen "
                    "met mensen die ze codeerden")
        else:
            return ""
        return (f"De suggesties van wijkkit tellen bij dit thema niet mee: ze {waar}, en wijkkit telt ze pas mee "
                f"vanaf {self._tiende(GOED)} op de tien.")

    @property
    def onzekerheid(self) -> str:
        """How far counts from suggestions can be trusted on this theme, from the team's own codings."""
        if self.suggestie_bron == "corpus" and self.uit_suggesties:
            return (f"Dat mag: bij dit thema kwamen de suggesties op echte bewonerscitaten ongeveer "
                    f"{self._tiende(self.vertrouwen_f1)} op de tien overeen met mensen die ze codeerden; in dit "
                    "project heeft het team er nog te weinig zinnen voor gecodeerd om het na te gaan.")
        if not self.uit_suggesties or self.suggestie_oordeel == "goed":
            return ""
        if self.suggestie_oordeel == "te weinig gegevens":
            return ("Hoe goed die suggesties bij dit thema kloppen, is in dit project nog niet te zeggen: het team "
                    "heeft er nog te weinig zinnen voor gecodeerd. Lees die aantallen als onzeker.")
        # in words: a page's numbers are counts of stories, and this is none
        in_tien = TIEN[max(0, min(10, round(self.suggestie_f1 * 10)))]
        hoe = "redelijk" if self.suggestie_oordeel == "matig" else "weinig"
        return (f"Bij dit thema kwamen de suggesties in dit project {hoe} overeen met het team (ongeveer "
                f"{in_tien} op de tien): lees die aantallen als onzeker.")


class Kenniskring:
    """The data behind ``notebooks/05_kenniskring``: ``Kenniskring(project)``."""

    def __init__(self, project: Project | str = "."):
        self.project = project if isinstance(project, Project) else Project.load(project)
        self.drempel = self.project.config.privacy.drempel
        self.cijfers = self.project.load_indicators()
        self.codebook = self.project.load_codebook()
        self.referentie = self.project.referentie()
        self.store = self.project.open_store()
        self.labels = {t.id: t.label for t in self.codebook.themas}
        self.gemeente = self.project.config.project.gemeente
        names = (self.cijfers[["gebied_code", "gebied_naam", "niveau", "gemeente_code"]]
                 .drop_duplicates("gebied_code").astype(str).sort_values("gebied_code"))
        # what a kenniskring chooses from is its own gemeente; other rows (the country, gebieden it compares
        # with) are references, never a choice
        eigen = names[names["gemeente_code"] == self.gemeente]
        self.namen = dict(zip(eigen["gebied_code"], eigen["gebied_naam"]))
        self.niveaus = dict(zip(eigen["gebied_code"], eigen["niveau"]))
        self._profielen: dict[str, pd.DataFrame] = {}
        self._kaart: dict[tuple[str, str], pd.DataFrame] = {}

    @cached_property
    def profielen(self) -> pd.DataFrame:
        """Every gebied's profile in one go (0.3 s for Utrecht's 122 gebieden, against 7 s one by one)."""
        codes = [c for c in self.namen if self.niveaus[c] in ("gemeente", "wijk", "buurt")]
        return wijkprofiel(self.cijfers, codes, referentie=self.referentie, catalogus=self.project.catalogus)

    # ------------------------------------------------------------------ choices
    def gebied_keuzes(self) -> list[tuple[str, str]]:
        """Wijken with their buurten indented under them, in code order."""
        return [(("    " if self.niveaus[c] == "buurt" else "") + self.namen[c], c)
                for c in self.namen if self.niveaus[c] in ("wijk", "buurt")]

    def wijk_keuzes(self) -> list[tuple[str, str]]:
        """The gemeente first, then its wijken (a city of 111 buurten is chosen in two steps)."""
        gemeente = [(f"Heel {self.namen[self.gemeente]}", self.gemeente)] if self.gemeente in self.namen else []
        return gemeente + [(self.namen[c], c) for c in self.namen if self.niveaus[c] == "wijk"]

    def buurt_keuzes(self, wijk: str) -> list[tuple[str, str]]:
        """'Hele wijk' and the wijk's buurten, by name."""
        if not wijk.startswith("WK"):
            return [("(kies eerst een wijk)", wijk)]
        buurten = sorted(self.buurten_in(wijk), key=lambda c: self.namen[c].casefold())
        return [("Hele wijk", wijk)] + [(self.namen[c], c) for c in buurten]

    def zoek_keuzes(self) -> dict[str, str]:
        """Every wijk and buurt by a unique name (for a search box): name -> code."""
        out: dict[str, str] = {}
        for code, naam in self.namen.items():
            if self.niveaus[code] in ("wijk", "buurt"):
                wijk = self.namen.get("WK" + code[2:8], "")
                label = naam if self.niveaus[code] == "wijk" or not wijk else f"{naam} ({wijk})"
                out[label if label not in out else f"{label} [{code}]"] = code
        return out

    def thema_keuzes(self) -> list[tuple[str, str]]:
        return [(t.label, t.id) for t in self.codebook.themas if t.ouder is None and t.codeerbaar]

    def buurten_in(self, gebied: str) -> list[str]:
        codes = pd.Series([c for c, n in self.niveaus.items() if n == "buurt"], dtype=str)
        return list(codes[in_gebied(codes, gebied)])

    def standaard_thema(self, gebied: str) -> str:
        """Where to start talking: a theme with a tension, else the one with the most stories."""
        tabel = self.kruistabel(gebied)
        hoofd = {t for _, t in self.thema_keuzes()}
        tabel = tabel[tabel["thema"].isin(hoofd)]
        return tabel["thema"].iloc[0] if len(tabel) else self.thema_keuzes()[0][1]

    def standaard_gebied(self) -> str:
        """The first gebied in focus; without one the gemeente's first wijk (the gemeente against itself is 100
        everywhere), else the gemeente."""
        focus = [g for g in self.project.config.project.gebieden if g in self.namen]
        if focus:
            return focus[0]
        wijken = [c for c, n in self.niveaus.items() if n == "wijk"]
        return wijken[0] if wijken else (self.gemeente if self.gemeente in self.namen else self.gebied_keuzes()[0][1])

    # ------------------------------------------------------------------ figures
    def profiel(self, gebied: str) -> pd.DataFrame:
        if gebied not in self._profielen:
            if not self._profielen:  # one vectorised pass over all gebieden, then slices
                for code, part in self.profielen.groupby("gebied_code", sort=False):
                    self._profielen[str(code)] = part.reset_index(drop=True)
            if gebied not in self._profielen:
                self._profielen[gebied] = wijkprofiel(self.cijfers, gebied, referentie=self.referentie,
                                                      catalogus=self.project.catalogus)
        return self._profielen[gebied]

    def cijfers_van(self, gebied: str, thema: str) -> pd.DataFrame:
        """The theme's figures with a value: what the Cijfers tab shows, 'tellen profiel' prints and 'Samen
        bekeken' judges (one computation, :func:`wijkkit.tellen.profiel.wijkprofiel`)."""
        deel = self.profiel(gebied)
        return deel[(deel["domein"] == thema) & deel["waarde"].notna()]

    def trend(self, gebied: str, thema: str, max_indicatoren: int = 6) -> pd.DataFrame:
        deel = self.profiel(gebied)
        ids = list(deel[(deel["domein"] == thema) & deel["index"].notna()]["indicator"])[:max_indicatoren]
        return trend(self.cijfers, [gebied], ids, catalogus=self.project.catalogus) if ids else pd.DataFrame()

    def referentie_label(self) -> str:
        return self.referentie.label(self.namen.get(self.gemeente, ""))

    # ------------------------------------------------------------------ stories
    @cached_property
    def stories(self) -> pd.DataFrame:
        with self.store.read() as session:
            rows = session.execute(select(Story.id, Story.gebied, Story.datum, Story.methode, Story.verteller_rol,
                                          Story.toestemming)).all()
        return pd.DataFrame(rows, columns=["id", "gebied", "datum", "methode", "verteller_rol", "toestemming"])

    @cached_property
    def codings(self) -> pd.DataFrame:
        """Team codes; for stories no coder has touched yet, the tagger's suggestions."""
        team = team_codes(self.store)[["story_id", "segment_id", "thema", "valentie", "bewijs", "codeur"]]
        team = team.assign(bron="team")
        with self.store.read() as session:
            decided = set(session.scalars(select(Coding.story_id).where(Coding.status != "suggested")))
            rows = session.execute(select(Coding.story_id, Coding.segment_id, Coding.thema, Coding.valentie,
                                          Coding.bewijs, Coding.codeur)
                                   .where(Coding.status == "suggested")).all()
        suggested = pd.DataFrame(rows, columns=["story_id", "segment_id", "thema", "valentie", "bewijs", "codeur"])
        suggested = suggested[~suggested["story_id"].isin(decided)].assign(bron="suggestie")
        self._beslist = decided
        # suggestions count only on themes where they have proved good enough (see the module docstring)
        telt = {t for t, (ja, _, _) in self.suggestie_vertrouwen.items() if ja}
        suggested = suggested[suggested["thema"].isin(telt)]
        frame = pd.concat([team, suggested], ignore_index=True)
        frame["valentie"] = frame["valentie"].fillna("neutraal")
        return frame

    @cached_property
    def telling(self) -> pd.DataFrame:
        """Stories and fragments per gebied (buurt, its wijk, the gemeente) and theme, counted once."""
        gebied = self.stories.set_index("id")["gebied"].astype(str)
        frame = self.codings.assign(gebied=self.codings["story_id"].map(gebied)).dropna(subset=["gebied"])
        levels = []
        for key in (lambda g: g, lambda g: "WK" + g.str[2:8], lambda g: "GM" + g.str[2:6]):
            part = frame.assign(gebied=key(frame["gebied"]))
            levels.append(part[part["gebied"].isin(self.namen) | part["gebied"].str.startswith("GM")])
        allen = pd.concat(levels).drop_duplicates(["gebied", "story_id", "segment_id", "thema", "codeur", "bron"])
        grouped = allen.groupby(["gebied", "thema"])
        out = grouped["story_id"].nunique().rename("verhalen").to_frame()
        for valence in ("kracht", "knelpunt", "neutraal"):
            out[valence] = grouped["valentie"].apply(lambda v, w=valence: int((v == w).sum()))
        return out

    def verhalen(self, gebied: str, thema: str, *, details: bool = True) -> Verhalenbeeld:
        """Counts always; quotes and the per-period table only with ``details`` (the map needs counts)."""
        mine = self.stories[in_gebied(self.stories["gebied"].astype(str), gebied)]
        coded = self.codings[(self.codings["thema"] == thema) & self.codings["story_id"].isin(mine["id"])]
        n = coded["story_id"].nunique()
        genoeg = n >= self.drempel
        counts = coded["valentie"].value_counts()
        citaten = self._citaten(coded, mine) if genoeg and details else pd.DataFrame(
            columns=["citaat", "valentie", "verteller_rol", "methode"])
        periode, weggelaten = pd.DataFrame(columns=["periode", "valentie", "fragmenten"]), 0
        if genoeg and details:
            periode, weggelaten = self._per_periode(coded, mine)
        _, bron, f1 = self.suggestie_vertrouwen.get(thema, (False, "", float("nan")))
        open_stories = int((~mine["id"].isin(self.beslist)).sum())
        return Verhalenbeeld(n, len(coded), int(counts.get("kracht", 0)), int(counts.get("knelpunt", 0)),
                             int(counts.get("neutraal", 0)), self.drempel, citaten, periode, weggelaten,
                             int(coded.loc[coded["bron"] == "suggestie", "story_id"].nunique()),
                             *self.suggestie_kwaliteit.get(thema, ("te weinig gegevens", float("nan"))),
                             open_stories, bron, f1)

    def volgende_stap(self, gebied: str) -> str | None:
        """When no theme of the gebied has enough stories to show: one Dutch paragraph, public, with the next step
        (code in the werkbank). None when some theme can be shown. Never a count below the threshold: how many
        each theme still needs is told to the team in the terminal (:meth:`nog_nodig`), not on the page."""
        if any(v == 0 for v in self.nog_nodig(gebied).values()):
            return None
        mine = self.stories[in_gebied(self.stories["gebied"].astype(str), gebied)]
        open_stories = int((~mine["id"].isin(self.beslist)).sum())
        naam = self.namen.get(gebied, gebied)
        verhalen = publiek_aantal(len(mine), self.drempel) if len(mine) else "geen"
        open_zin = (f" {publiek_aantal(open_stories, self.drempel).capitalize()} daarvan zijn nog door niemand "
                    "gecodeerd." if open_stories else "")
        return (f"Over {naam} zijn {verhalen} verhalen ingelezen, maar nog geen thema heeft er genoeg om te laten zien "
                f"(minstens {self.drempel} verhalen per thema, zodat niemand herkenbaar wordt).{open_zin} Volgende "
                "stap voor het team: codeer de verhalen in de werkbank (wijkkit coderen werkbank) of lees meer "
                "verhalen in. Hoeveel verhalen elk thema nog nodig heeft, zegt 'wijkkit kenniskring nodig'.")

    def nog_nodig(self, gebied: str) -> dict[str, int]:
        """theme -> how many more (coded) stories it needs to reach the threshold in the gebied (0: enough).
        For the team (a terminal), not for a public page."""
        return {t: max(0, self.drempel - self.verhalen(gebied, t, details=False).verhalen)
                for _, t in self.thema_keuzes()}

    @property
    def beslist(self) -> set:
        """Stories at least one coder has decided something on."""
        self.codings  # noqa: B018 - computes it
        return self._beslist

    @cached_property
    def suggestie_vertrouwen(self) -> dict[str, tuple[bool, str, float]]:
        """theme -> (do suggestions count, on what evidence: "team" or "corpus", the F1 that decided).

        The team's own codings decide where it has coded enough sentences; elsewhere the cross-validated F1
        on real resident quotes that ships with wijkkit (only for themes of the default codebook)."""
        from wijkkit.vertellen.corpusmodel import cv_agreement

        corpus = cv_agreement()
        out = {}
        for thema in self.codebook.theme_ids:
            oordeel, f1 = self.suggestie_kwaliteit.get(thema, ("te weinig gegevens", float("nan")))
            if oordeel != "te weinig gegevens":
                out[thema] = (oordeel == "goed", "team", f1)
            elif thema in corpus:
                out[thema] = (corpus[thema] >= GOED, "corpus", corpus[thema])
            else:
                out[thema] = (False, "", float("nan"))
        return out

    @cached_property
    def suggestie_kwaliteit(self) -> dict[str, tuple[str, float]]:
        """theme -> (verdict, F1) of the suggestions against this team's finished stories."""
        from wijkkit.coderen.kwaliteit import suggestion_agreement

        table = suggestion_agreement(self.store, self.codebook)
        return {row.thema: (row.oordeel, float(row.f1)) for row in table.itertuples()}

    def _per_periode(self, coded: pd.DataFrame, mine: pd.DataFrame) -> tuple[pd.DataFrame, int]:
        """Strengths and problems per half-year, or per year when half-years are too thin.

        A cell below the privacy threshold is removed from the data itself (a chart hides
        nothing from someone who reads its data); the number of periods left out is returned.
        """
        dated = coded.merge(mine[["id", "datum"]], left_on="story_id", right_on="id").dropna(subset=["datum"])
        dated = dated[dated["valentie"] != "neutraal"]
        if dated.empty:
            return pd.DataFrame(columns=["periode", "valentie", "fragmenten"]), 0
        stamp = pd.to_datetime(dated["datum"])
        best = None
        for labels in (stamp.dt.year.astype(str) + np.where(stamp.dt.month <= 6, " (1e helft)", " (2e helft)"),
                       stamp.dt.year.astype(str)):
            table = dated.assign(periode=labels).groupby(["periode", "valentie"]).size().rename("fragmenten")
            table = table.reset_index()
            small = table["fragmenten"] < self.drempel
            if best is None or small.sum() < best[1].sum():
                best = (table, small)
            if not small.any():
                break
        table, small = best
        left_out = table.loc[small, "periode"].nunique()
        return table[~small].reset_index(drop=True), int(left_out)

    def _citaten(self, coded: pd.DataFrame, mine: pd.DataFrame) -> pd.DataFrame:
        """Up to five quotes: quotable stories only, strengths and problems, different voices."""
        from wijkkit.coderen.rapport import quotes

        frame = coded.merge(mine.rename(columns={"id": "story_id"}), on="story_id")
        frame["thema_label"] = frame["thema"].map(self.labels)
        return quotes(frame, per_thema=MAX_CITATEN)

    # ------------------------------------------------------------------ straatschouw
    @cached_property
    def schouw(self) -> pd.DataFrame:
        """The project's straatschouw submissions (wijkkit.kijken), remarks pseudonymised; empty without one."""
        from wijkkit.kijken.importeren import waarnemingen

        return waarnemingen(self.store)

    def schouwpunten(self, thema: str, gebieden: list[str] | None = None) -> pd.DataFrame:
        """The newest round's points of the theme's onderdelen: lat, lon, niveau (the lowest of the theme's
        onderdelen) and a description; a remark only where the walker consented to public pages."""
        from wijkkit.kijken.onderdelen import NIVEAUS, onderdelen

        columns = ["gebied_code", "lat", "lon", "niveau", "beschrijving", "opmerking"]
        mine = {o.naam: o for o in onderdelen(self.project.catalogus) if o.thema == thema}
        punten = self.schouw
        if punten.empty or not mine:
            return pd.DataFrame(columns=columns)
        punten = punten[punten["lat"].notna()]
        if gebieden is not None:
            punten = punten[punten["gebied"].isin(gebieden)]
        if punten.empty:
            return pd.DataFrame(columns=columns)
        jaar = max(d.year for d in punten["datum"])
        rows = []
        for p in punten.itertuples(index=False):
            if p.datum.year != jaar:
                continue
            scores = {naam: level for naam, level in (p.scores or {}).items() if naam in mine}
            if not scores:
                continue
            lowest = max(scores.values(), key=NIVEAUS.index)
            delen = ", ".join(f"{mine[n].vraag.split(' (')[0].lower()} {lvl}" for n, lvl in scores.items())
            opmerking = p.opmerking if p.toestemming and p.opmerking else ""
            text = f"Schouw {p.datum:%d-%m-%Y}, {self.namen.get(p.gebied, p.gebied)}: {delen}"
            rows.append((p.gebied, float(p.lat), float(p.lon), lowest,
                         text + (f". Opmerking: {opmerking}" if opmerking else ""), opmerking))
        return pd.DataFrame(rows, columns=columns)

    def schouw_rondes(self, gebied: str) -> str:
        """When the gebied was walked in the newest round and how often, as a person says it (public counts)."""
        punten = self.schouw
        if punten.empty:
            return ""
        punten = punten[in_gebied(punten["gebied"].astype(str), gebied)]
        if punten.empty:
            return ""
        from wijkkit.weergave import dagen as nl_dagen

        jaar = max(d.year for d in punten["datum"])
        wanneer = nl_dagen({d for d in punten["datum"] if d.year == jaar})
        n = sum(d.year == jaar for d in punten["datum"])
        return f"{publiek_aantal(n, self.drempel)} waarnemingen op {wanneer}"

    # ------------------------------------------------------------------ together
    def kruistabel(self, gebied: str) -> pd.DataFrame:
        """Figures and stories per theme for one gebied, with how many of its stories nobody coded yet."""
        codings = self.codings.drop_duplicates(["story_id", "segment_id", "thema", "codeur"])
        table = verbind(self.profiel(gebied), self.stories, codings, gebied, drempel=self.drempel, labels=self.labels)
        mine = self.stories[in_gebied(self.stories["gebied"].astype(str), gebied)]
        open_stories = int((~mine["id"].isin(self.beslist)).sum())
        table["nog_niet_gecodeerd"] = publiek_aantal(open_stories, self.drempel) if open_stories else "geen"
        table["suggesties_tellen"] = table["thema"].map(lambda t: self.suggestie_vertrouwen.get(t, (False,))[0])
        return table

    def kaartwaarden(self, thema: str, maat: str = "cijfers", gebieden: list[str] | None = None) -> pd.DataFrame:
        """Per gebied a favourability value for the map, pointing up when favourable.

        ``cijfers``: 100 + 20 x the mean band of the theme's indicators (100 = like the reference);
        ``verhalen``: the share of strengths among strength/problem fragments (x 100), hidden
        below the privacy threshold. Computed once per theme and measure for all gebieden.
        """
        key = (thema, maat)
        if key not in self._kaart:
            self._kaart[key] = self._kaartwaarden(thema, maat)
        alle = self._kaart[key]
        if gebieden is None:
            gebieden = self.kaartgebieden()
        return alle[alle["gebied_code"].isin(gebieden)].reset_index(drop=True)

    def neutrale_indicator(self, thema: str) -> str | None:
        """For a theme whose figures carry no verdict (population, age: neither better nor worse), the first
        share with figures, which the map shows as it is instead of grey; None where figures judge."""
        alle = self.profielen
        deel = alle[(alle["domein"] == thema) & alle["waarde"].notna()]
        if (deel["richting"] != "neutraal").any():
            return None
        catalogus = self.project.catalogus
        present = set(deel["indicator"])
        return next((i.id for i in catalogus.indicatoren if i.id in present and i.domein == thema and not i.absoluut
                     and not i.hulp), None)

    def _kaartwaarden(self, thema: str, maat: str) -> pd.DataFrame:
        codes = [c for c, n in self.niveaus.items() if n in ("wijk", "buurt")]
        neutraal = self.neutrale_indicator(thema) if maat == "cijfers" else None
        if neutraal:
            from wijkkit.weergave import getal

            deel = self.profielen[self.profielen["indicator"] == neutraal].set_index("gebied_code")
            rows = []
            for code in codes:
                row = deel.loc[code] if code in deel.index else None
                if row is None or pd.isna(row["waarde"]):
                    rows.append((code, np.nan, "geen cijfers"))
                else:
                    eenheid = "%" if row["eenheid"] == "%" else f" {row['eenheid']}"
                    rows.append((code, float(row["waarde"]),
                                 f"{row['label']}: {getal(row['waarde'], 1)}{eenheid} ({int(row['jaar'])})"))
        elif maat == "cijfers":
            alle = self.profielen
            judged = alle[(alle["domein"] == thema) & (alle["richting"] != "neutraal")].dropna(subset=["band_code"])
            grouped = judged.groupby("gebied_code")["band_code"].agg(["mean", "size"])
            rows = []
            for code in codes:
                if code in grouped.index:
                    mean, n = grouped.loc[code, "mean"], int(grouped.loc[code, "size"])
                    rows.append((code, 100 + 20 * float(mean),
                                 f"{n} indicatoren, samen {figure_verdict(mean, n)}" if n > 1
                                 else f"1 indicator: {figure_verdict(mean, n)}"))
                else:
                    rows.append((code, np.nan, "geen cijfers"))
        else:
            rows = []
            for code in codes:
                row = self.telling.loc[(code, thema)] if (code, thema) in self.telling.index else None
                n = int(row["verhalen"]) if row is not None else 0
                kracht = int(row["kracht"]) if row is not None else 0
                valenced = kracht + (int(row["knelpunt"]) if row is not None else 0)
                value = 100 * kracht / valenced if n >= self.drempel and valenced >= self.drempel else np.nan
                text = (f"{publiek_aantal(n, self.drempel)} verhalen, {value:.0f}% krachten" if not np.isnan(value)
                        else f"{'geen' if n == 0 else publiek_aantal(n, self.drempel)} verhalen")
                rows.append((code, value, text))
        frame = pd.DataFrame(rows, columns=["gebied_code", "waarde", "tekst"])
        frame.insert(1, "gebied_naam", frame["gebied_code"].map(self.namen))
        return frame

    def kaart_uitleg(self, thema: str, maat: str) -> list[str]:
        """What the map combines, from which source and year: its subtitle lines."""
        if maat == "verhalen":
            lines = [f"Aandeel krachten onder de krachten en knelpunten in de verhalen; grijs: minder dan "
                     f"{self.drempel} verhalen of fragmenten.",
                     "Bron: verhalen in de projectstore (codes van het team; nog niet gecodeerd: suggesties)."]
            return [part for line in lines for part in textwrap.wrap(line, 72)]
        alle = self.profielen
        neutraal = self.neutrale_indicator(thema)
        if neutraal:
            deel = alle[(alle["indicator"] == neutraal) & alle["waarde"].notna()]
            label = str(deel["label"].iloc[0]) if len(deel) else neutraal
            years = sorted({int(j) for j in deel["jaar"].dropna()})
            jaren = (str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}") if years else "onbekend"
            bronnen = sorted({str(b) for b in deel["bron"].dropna()})
            lines = [f"Geen oordeel: hoger is niet beter of slechter. De kleur is {label.lower()}, van laag (licht) "
                     "naar hoog (donker).", f"Bron: {'; '.join(bronnen)}; cijfers uit {jaren}."]
            return [part for line in lines for part in textwrap.wrap(line, 72)]
        judged = alle[(alle["domein"] == thema) & (alle["richting"] != "neutraal") & alle["band_code"].notna()]
        if judged.empty:
            return ["Voor dit thema zijn er geen cijfers met een oordeel."]
        labels = list(dict.fromkeys(judged["label"].astype(str)))
        shown = ", ".join(labels[:3]) + (f" en {len(labels) - 3} meer" if len(labels) > 3 else "")
        years = sorted({int(j) for j in judged["jaar"].dropna()})
        jaren = str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"
        bronnen = sorted({str(b).rsplit(" 20", 1)[0] if str(b).startswith("CBS Kerncijfers") else str(b)
                          for b in judged["bron"].dropna()})
        lines = [f"Gemiddeld oordeel van {len(labels)} indicator{'en' if len(labels) > 1 else ''}: {shown}.",
                 f"Bron: {'; '.join(bronnen)}; cijfers uit {jaren}.", f"100 = {self.referentie_label()[:-6]}."]
        return [part for line in lines for part in textwrap.wrap(line, 72)]

    def kaartfocus(self, gebied: str) -> tuple[list[str] | None, list[str]]:
        """Which gebieden the map shows large, and which is outlined, for a chosen gebied.

        A buurt or wijk: the buurten of its wijk (the chosen buurt outlined). The gemeente: the
        whole map, or its wijken when there are no shapes (a list of 100+ buurten helps nobody).
        """
        niveau = self.niveaus.get(gebied)
        if niveau == "buurt":
            return self.buurten_in("WK" + gebied[2:8]), [gebied]
        if niveau == "wijk":
            if self.kaartgebieden() and self.niveaus.get(self.kaartgebieden()[0]) == "wijk":
                return None, [gebied]
            return self.buurten_in(gebied), []
        if self.geometrie is None:
            return [c for c, n in self.niveaus.items() if n == "wijk"], []
        return None, []

    def kaartgebieden(self) -> list[str]:
        """What the map colours: buurten, or wijken when the boundary file has wijk shapes only."""
        niveau = "buurt"
        if self.geometrie is not None and self.geometrie["gebied_code"].str.startswith("WK").mean() > 0.5:
            niveau = "wijk"
        return [c for c, n in self.niveaus.items() if n == niveau]

    @cached_property
    def geometrie(self):
        kaart = self.project.config.kaart
        if kaart is None or not kaart.bestand:
            return None
        from wijkkit.verbinden.kaart import read_geometry

        frame = read_geometry(self.project.root / kaart.bestand, kaart.code, kaart.naam, gemeente=self.gemeente)
        if frame.empty:  # a map of another gemeente: the bars, and a sentence why
            self._kaart_elders = kaart.bestand
            return None
        return frame

    @cached_property
    def kaartmeldingen(self) -> list[str]:
        """Dutch notes on the boundary file: how it was read, and what does not line up with the figures."""
        if self.geometrie is None:
            elders = getattr(self, "_kaart_elders", None)
            return [f"Het kaartbestand {elders} heeft geen vlakken van gemeente {self.namen.get(self.gemeente, '')} "
                    f"({self.gemeente}); de buurten staan daarom als staven."] if elders else []
        from wijkkit.verbinden.kaart import matching

        return self.geometrie.attrs.get("waarschuwingen", []) + matching(self.geometrie, self.kaartgebieden(),
                                                                         self.namen)

