"""The coding workbench: an ipywidgets panel for JupyterLab and Voila.

Every click is written to the store at once (there is no save button to forget): accepting
or rejecting a suggestion, adding or removing a code, a memo, finishing a story. In blind
mode a coder sees the codes of others only after finishing the story. Keyboard: j/k next and
previous story, a accept and r reject the first open suggestion, d finish the story.
"""

from __future__ import annotations

import os
import threading
import warnings
from datetime import datetime
from pathlib import Path

import anywidget
import ipywidgets as w
import pandas as pd
import traitlets
from sqlalchemy import select

from wijkkit.codebook import Codebook
from wijkkit.coderen import beslissingen as b
from wijkkit.store import Store
from wijkkit.store.models import Coding, Memo, Story
from wijkkit.weergave import esc

# Paul Tol's light palette: tints that keep black text readable, safe for colour-blind readers;
# the theme's name is always written next to the colour.
TINTEN = ["#77AADD", "#99DDFF", "#44BB99", "#BBCC33", "#AAAA00", "#EEDD88", "#EE8866", "#FFAABB", "#DDDDDD"]
VALENTIES = [("kracht", "kracht"), ("knelpunt", "knelpunt"), ("neutraal", "neutraal")]
STATUS_FILTERS = [("alle verhalen", "alle"), ("nog open voor mij", "open"), ("afgerond door mij", "klaar"),
                  ("aan mij toegewezen", "toegewezen")]
ALLE = "(alle)"
HEEL = -1  # the "whole story" choice (a Dropdown shows None as an empty box)

CSS = """<style>
.wk-werkbank { font-size: 16px; }
.wk-werkbank .wk-tekst { font-size: 18px; line-height: 1.7; max-width: 60em; }
.wk-werkbank .wk-zin { padding: 1px 2px; border-radius: 3px; }
.wk-werkbank .wk-nr { color: #555; font-size: 13px; vertical-align: super; margin-right: 2px; }
.wk-werkbank .wk-chip { display: inline-block; border-radius: 10px; padding: 0 8px; margin: 0 2px;
  font-size: 13px; border: 1px solid #333; }
.wk-werkbank .wk-chip.wk-voorstel { border-style: dashed; background: #fff; }
.wk-werkbank .wk-meta { color: #333; }
.wk-werkbank .wk-melding { color: #004d00; }
.wk-werkbank .wk-fout { color: #a00000; font-weight: bold; }
.wk-werkbank .widget-button { font-size: 15px; }
</style>"""


class Drempels:
    """From which confidence a suggestion and a valence are shown without asking, and the werkbank's words for it.

    Per theme the threshold chosen out of fold on the resident corpus for precision 0.85 (strategie.json), or
    the team's own ``drempel`` for every theme; a theme whose precision never reached 0.85 is shown as
    "misschien" only."""

    def __init__(self, per_thema: dict[str, float], valentie: dict[str, float], team: float | None,
                 basis: str, leermap: Path | None = None):
        self.per_thema, self.valentie, self.team, self.basis = per_thema, valentie, team, basis
        self.leermap = leermap
        self.bijgeleerd = None  # the re-fit on this team's answers (bijleren.Teamkalibratie), if any
        self.projectmodel = None  # the text model re-fitted on this team's stories (projectmodel.Projectmodel)
        self._learning = threading.Lock()
        self.reload()

    @classmethod
    def shipped(cls, team: float | None = None, leermap: Path | None = None) -> Drempels:
        from wijkkit.vertellen.corpusmodel import read_strategy

        strategie = read_strategy() or {}
        zeker = strategie.get("zekerheid", {})
        basis = (f"de woordenlijst van het codeboek, hoe dicht een zin bij de omschrijving van een thema komt, en "
                 f"een model dat leerde van {strategie['citaten']} echte bewonerscitaten uit {strategie['bronnen']} "
                 f"bronnen" if zeker else "de woordenlijst van het codeboek")
        return cls(zeker.get("drempel_thema") or {}, zeker.get("drempel_valentie") or {}, team, basis, leermap)

    def reload(self) -> None:
        from wijkkit.coderen.bijleren import Teamkalibratie
        from wijkkit.coderen.projectmodel import Projectmodel

        self.bijgeleerd = Teamkalibratie.load(self.leermap) if self.leermap is not None else None
        self.projectmodel = Projectmodel.load(self.leermap)

    @property
    def team_fit(self):
        """The re-fit on this team's answers where it is in use (and the team set no threshold of its own)."""
        fit = self.bijgeleerd
        return fit if fit is not None and fit.in_gebruik and self.team is None else None

    def confidence(self, thema: str, zekerheid) -> float | None:
        if zekerheid is None or pd.isna(zekerheid):
            return None
        fit = self.team_fit
        return fit.confidence(thema, float(zekerheid)) if fit is not None and thema in fit.themes else float(zekerheid)

    def corpus_shown(self, thema: str, zekerheid) -> bool:
        """Shown by the corpus calibration (or the team's own threshold), before any re-fit."""
        if zekerheid is None or pd.isna(zekerheid):
            return True  # no confidence (the rules alone): shown as before
        return zekerheid >= (self.team if self.team is not None else self.per_thema.get(thema, 1.01))

    def shown(self, thema: str, zekerheid) -> bool:
        fit = self.team_fit
        if fit is not None and thema in fit.themes and zekerheid is not None and not pd.isna(zekerheid):
            return fit.shown(thema, float(zekerheid))
        return self.corpus_shown(thema, zekerheid)

    def learn(self, store, codebook=None, *, wait: bool = False) -> None:
        """Re-fit on this team's answers when it is time (every bijleren.NA answers), and the text model on
        this team's finished stories (every projectmodel.NA decisions, in the background: it takes seconds,
        and a coder goes on meanwhile). ``wait``: return only when the text model's turn is done."""
        if self.leermap is None:
            return
        from wijkkit.coderen.bijleren import update

        try:
            fitted = update(store, self.leermap, self.corpus_shown)
        except Exception as exc:  # the decision is stored already; a failed re-fit keeps the previous confidence
            warnings.warn(f"bijleren mislukt, de vorige zekerheid blijft: {exc}", stacklevel=2)
            fitted = None
        if fitted is not None:
            self.reload()
        if codebook is not None and self._learning.acquire(blocking=False):  # one re-fit at a time per kernel
            worker = threading.Thread(target=self._refit_model, args=(store, codebook), daemon=True,
                                      name="wijkkit-projectmodel")
            worker.start()
            if wait:
                worker.join()

    def _refit_model(self, store, codebook) -> None:
        from wijkkit.coderen.projectmodel import update

        try:
            if update(store, self.leermap, codebook) is not None:
                self.reload()
        except Exception as exc:  # the decisions are stored; a failed re-fit keeps the current suggestions
            warnings.warn(f"bijleren van het model mislukt, de suggesties blijven zoals ze waren: {exc}",
                          stacklevel=2)
        finally:
            self._learning.release()

    def _explain_model(self) -> str:
        """Dutch: whether the text model learned from this team's finished stories, and how it did on them."""
        fit = self.projectmodel
        if fit is None:
            return ""
        now, new = fit.uit_de_vouw["huidig"], fit.uit_de_vouw["project"]
        tested = (f"getest op jullie afgeronde verhalen, elk gelezen door een model dat het niet kende: "
                  f"{new['juist']} van {new['getoond']} getoonde suggesties juist, tegen {now['juist']} van "
                  f"{now['getoond']} met het model zonder jullie verhalen")
        if fit.in_gebruik:
            return (f" Het model leerde ook van {fit.verhalen} verhalen die dit team afrondde ({tested}), dus in "
                    f"gebruik voor de verhalen die nog niemand aanraakte.")
        return f" Het model opnieuw leren met {fit.verhalen} afgeronde verhalen was nog niet beter ({tested})."

    def valence_shown(self, valentie: str, zekerheid) -> bool:
        return zekerheid is not None and not pd.isna(zekerheid) and zekerheid >= self.valentie.get(valentie, 1.01)

    def explain(self, record: dict[str, tuple[int, int]]) -> str:
        """Dutch: what the suggestions are based on, when they are shown, and how they did on this project."""
        if self.team is not None:
            rule = f"Je team toont suggesties vanaf een zekerheid van {self.team:.0%}."
        else:
            # the second sentence is the nested CV and toets figure in the README (issue 38): 0.78 and 0.73
            rule = ("Een suggestie staat hier zonder vragen als suggesties met die zekerheid bij het testen op "
                    "bewonerscitaten die het model niet kende in minstens 85% van de gevallen klopten (per thema "
                    "gekozen; bij thema's die dat niet haalden alleen als ‘misschien’). Op bronnen die niet "
                    "meededen bij het kiezen klopte ongeveer drie op de vier.")
        parts = []
        for key, naam in (("getoond", "getoonde suggesties"), ("misschien", "‘misschien’-suggesties")):
            accepted, answered = record.get(key, (0, 0))
            if answered:
                parts.append(f"{accepted} van de {answered} beoordeelde {naam} geaccepteerd ({accepted / answered:.0%})")
        so_far = ("Op dit project tot nu toe: " + "; ".join(parts) + "." if parts
                  else "Op dit project is nog geen suggestie beoordeeld.")
        fit = self.bijgeleerd
        if fit is not None and self.team is None:
            team, now = fit.uit_de_vouw["team"], fit.uit_de_vouw["huidig"]
            tested = (f"getest op jullie eigen verhalen die niet meededen: {team['juist']} van {team['getoond']} "
                      f"getoonde suggesties juist, tegen {now['juist']} van {now['getoond']} zonder bijleren")
            so_far += (f" Bijgeleerd van {fit.antwoorden} antwoorden van dit team ({tested}), dus in gebruik."
                       if fit.in_gebruik else
                       f" Bijleren van {fit.antwoorden} antwoorden van dit team was nog niet beter ({tested}), "
                       "dus niet in gebruik.")
        so_far += self._explain_model()
        return (f'<p class="wk-meta"><small>Suggesties komen uit {esc(self.basis)}. {esc(rule)} Een valentie staat '
                f"er alleen bij als die waarschijnlijk klopt. {esc(so_far)} Een suggestie is nooit een code: jij "
                f"beslist.</small></p>")


class Sneltoetsen(anywidget.AnyWidget):
    """Listens for single-key shortcuts anywhere on the page (not while typing in a field)."""

    _esm = """
    function render({ model, el }) {
      el.style.display = "none";
      const handler = (event) => {
        const tag = (event.target.tagName || "").toLowerCase();
        if (["input", "textarea", "select"].includes(tag) || event.ctrlKey || event.metaKey || event.altKey) return;
        if (!["j", "k", "a", "r", "d"].includes(event.key)) return;
        model.set("toets", event.key);
        model.set("teller", model.get("teller") + 1);
        model.save_changes();
      };
      document.addEventListener("keydown", handler);
      return () => document.removeEventListener("keydown", handler);
    }
    export default { render };
    """
    toets = traitlets.Unicode("").tag(sync=True)
    teller = traitlets.Int(0).tag(sync=True)


def _chip(label: str, kleur: str, voorstel: bool = False, titel: str = "") -> str:
    style = "" if voorstel else f' style="background:{kleur}"'
    extra = " wk-voorstel" if voorstel else ""
    return f'<span class="wk-chip{extra}"{style} title="{esc(titel)}">{esc(label)}</span>'


def story_html(tekst: str, segments: list[tuple[int, int, int, str]], suggestions: pd.DataFrame,
               mine: pd.DataFrame, codebook: Codebook, kleuren: dict[str, str]) -> str:
    """The story with numbered sentences; sentences with open suggestions are highlighted."""
    parts, position = [], 0
    for seg_id, nr, start, end in segments:
        parts.append(esc(tekst[position:start]))
        offered = suggestions[suggestions["segment_id"] == seg_id] if not suggestions.empty else suggestions
        coded = mine[mine["segment_id"] == seg_id] if not mine.empty else mine
        colour = kleuren.get(offered["thema"].iloc[0], "#EEDD88") if len(offered) else None
        style = f' style="background:{colour}55; outline: 2px dashed {colour}"' if colour else ""
        chips = "".join(_chip(codebook.label(t), kleuren.get(t, "#ddd"), True, f"suggestie: {term}")
                        for t, term in zip(offered["thema"], offered["term"])) if len(offered) else ""
        chips += "".join(_chip(f"{codebook.label(t)} ({v or 'geen valentie'})", kleuren.get(t, "#ddd"))
                         for t, v in zip(coded["thema"], coded["valentie"])) if len(coded) else ""
        parts.append(f'<span class="wk-zin"{style}><span class="wk-nr">{nr + 1}</span>'
                     f'{esc(tekst[start:end])}</span>{chips}')
        position = end
    parts.append(esc(tekst[position:]))
    return f'<div class="wk-tekst">{"".join(parts)}</div>'.replace("\n", "<br>")


class Werkbank(w.VBox):
    """Code stories from the store. ``Werkbank(store, codebook, codeur="naam")``; display it."""

    def __init__(self, store: Store, codebook: Codebook, *, codeur: str | None = None, blind: bool = True,
                 gebied_namen: dict[str, str] | None = None, drempel: float | None = None,
                 leermap: str | Path | None = None):
        """``drempel``: the team's own confidence from which a suggestion is shown without asking (wijkkit.toml
        ``[coderen] drempel``); None: per theme the threshold chosen for precision 0.85 out of fold.
        ``leermap``: where the confidence re-fitted on this team's answers lives (wijkkit.coderen.bijleren);
        it is re-fitted there after every few answers and used only where it beat the corpus out of fold."""
        super().__init__()
        self.store, self.codebook = store, codebook
        self.leermap = Path(leermap) if leermap is not None else None
        self.drempels = Drempels.shipped(drempel, self.leermap)
        self.gebied_namen = gebied_namen or {}
        self.kleuren = {t: TINTEN[i % len(TINTEN)] for i, t in enumerate(codebook.theme_ids)}
        self.thema_opties = [(t.label, t.id) for t in codebook.themas if t.codeerbaar]
        self.story_id: str | None = None
        self._loading = False
        self._pseudo = None
        self._done: set[str] = set()
        with store.read() as session:
            self.stories = pd.DataFrame(session.execute(
                select(Story.id, Story.gebied, Story.methode, Story.verteller_rol, Story.datum, Story.toestemming)
                .where(Story.toestemming != "none").order_by(Story.id)).all(),
                columns=["id", "gebied", "methode", "verteller_rol", "datum", "toestemming"])
        # on a team server the coder is the person logged in to the hub: shown, never typed (and the store stamps
        # every decision with that name anyway, see wijkkit.server.rollen)
        self.hub_gebruiker = os.environ.get("JUPYTERHUB_USER", "")
        self._build(self.hub_gebruiker or (codeur if codeur is not None else os.environ.get("WIJKKIT_CODEUR", "")),
                    blind)
        self.add_class("wk-werkbank")
        self._refresh_list()
        from wijkkit.notebooks import mark_ready

        mark_ready()  # 'wijkkit coderen werkbank' opens the browser once this page is built

    @classmethod
    def for_project(cls, project=".", **options) -> "Werkbank":
        """The workbench on a project folder, with gebied names from its figures."""
        from wijkkit.config import Project

        proj = project if isinstance(project, Project) else Project.load(project)
        try:
            cijfers = proj.load_indicators()
            namen = dict(zip(cijfers["gebied_code"].astype(str), cijfers["gebied_naam"].astype(str)))
        except Exception:  # a project without figures yet still gets a workbench, with codes for names
            namen = {}
        options.setdefault("drempel", proj.config.coderen.drempel)
        options.setdefault("leermap", proj.model_dir)
        return cls(proj.open_store(), proj.load_codebook(), gebied_namen=namen, **options)

    # ------------------------------------------------------------------ layout
    def _build(self, codeur: str, blind: bool) -> None:
        self.codeur = w.Text(value=codeur, description="Codeur", placeholder="je naam",
                             layout=w.Layout(width="22em"))
        self.codeur.add_class("wk-codeur")
        if self.hub_gebruiker:
            self.codeur.disabled = True
            self.codeur.description = "Codeur (ingelogd)"
        self.blind = w.Checkbox(value=blind, description="Blind coderen", indent=False)
        self.blind.add_class("wk-blind")
        options = lambda col: [ALLE, *sorted(self.stories[col].dropna().unique())]  # noqa: E731
        gebied_opties = [(ALLE, ALLE)] + [(f"{self.gebied_namen.get(g, g)}", g) for g in sorted(self.stories["gebied"].unique())]
        self.f_gebied = w.Dropdown(options=gebied_opties, description="Gebied")
        self.f_methode = w.Dropdown(options=options("methode"), description="Methode")
        self.f_rol = w.Dropdown(options=options("verteller_rol"), description="Rol")
        self.f_thema = w.Dropdown(options=[(ALLE, ALLE), *self.thema_opties], description="Thema")
        self.f_status = w.Dropdown(options=STATUS_FILTERS, value="alle", description="Status")
        # what a coder decides on first teaches the suggestions most (see wijkkit.coderen.kwaliteit)
        self.volgorde = w.Dropdown(options=[("leerzaamst eerst", "leerzaam"), ("op nummer", "id")],
                                   value="leerzaam", description="Volgorde")
        for name, widget in (("gebied", self.f_gebied), ("methode", self.f_methode), ("rol", self.f_rol),
                             ("thema", self.f_thema), ("status", self.f_status), ("volgorde", self.volgorde)):
            widget.add_class(f"wk-filter-{name}")
            widget.observe(lambda _: self._refresh_list(), "value")
        self.codeur.observe(lambda _: self._refresh_list(), "value")
        self.blind.observe(lambda _: self._show(), "value")
        self.lijst = w.Select(options=[], rows=14, layout=w.Layout(width="26em"))
        self.lijst.add_class("wk-lijst")
        self.lijst.observe(self._on_select, "value")
        self.vorige = self._button("◀ Vorige (k)", "wk-vorige", lambda _: self._step(-1))
        self.volgende = self._button("Volgende ▶ (j)", "wk-volgende", lambda _: self._step(1))
        self.teller = w.HTML()
        self.meta = w.HTML()
        self.tekst = w.HTML()
        self.voorstellen = w.VBox()
        self.misschien = w.Checkbox(value=False, description="Toon ook ‘misschien’ (minder zeker)", indent=False)
        self.misschien.add_class("wk-misschien")
        self.misschien.observe(lambda _: self._show(), "value")
        self.uitleg = w.HTML()
        self.uitleg.add_class("wk-uitleg")
        self.mijn = w.VBox()
        self.anderen = w.HTML()
        self.nieuw_thema = w.Dropdown(options=self.thema_opties, description="Thema")
        self.nieuw_thema.add_class("wk-thema")
        self.nieuw_zin = w.Dropdown(options=[("Heel verhaal", HEEL)], value=HEEL, description="Waar")
        self.nieuw_zin.add_class("wk-zinkeuze")
        self.nieuw_valentie = w.ToggleButtons(options=VALENTIES, value="neutraal", description="Valentie")
        self.nieuw_valentie.add_class("wk-valentie")
        self.toevoegen = self._button("+ Code toevoegen", "wk-toevoegen", self._on_add, style="primary")
        self.memo = w.Textarea(placeholder="Memo bij dit verhaal (wordt bewaard zodra je het veld verlaat)",
                               continuous_update=False, layout=w.Layout(width="100%", height="5em"))
        self.memo.add_class("wk-memo")
        self.memo.observe(lambda change: self._on_memo(change, thema=None), "value")
        self.memo_thema = w.Dropdown(options=self.thema_opties, description="Bij code")
        self.memo_code = w.Textarea(placeholder="Memo bij de gekozen code in dit verhaal", continuous_update=False,
                                    layout=w.Layout(width="100%", height="4em"))
        self.memo_code.add_class("wk-memo-code")
        self.memo_code.observe(lambda change: self._on_memo(change, thema=self.memo_thema.value), "value")
        self.memos = w.HTML()
        self.klaar = self._button("✓ Klaar met dit verhaal (d)", "wk-klaar", self._on_done, style="success")
        self.melding = w.HTML()
        self.toetsen = Sneltoetsen()
        self.toetsen.observe(self._on_key, "teller")
        self.melding.add_class("wk-status")

        kop = w.HTML(CSS + "<p>Alles wordt direct bewaard. Sneltoetsen: <b>j</b>/<b>k</b> volgende/vorige, "
                     "<b>a</b> accepteer en <b>r</b> wijs de eerste suggestie af, <b>d</b> klaar.</p>")
        filters = w.HBox([self.f_gebied, self.f_methode, self.f_rol, self.f_thema, self.f_status, self.volgorde],
                         layout=w.Layout(flex_flow="row wrap"))
        links = w.VBox([self.lijst, w.HBox([self.vorige, self.volgende]), self.teller])
        nieuw = w.VBox([w.HTML("<h4>Zelf een code toevoegen</h4>"), w.HBox([self.nieuw_thema, self.nieuw_zin]),
                        self.nieuw_valentie, self.toevoegen])
        rechts = w.VBox([self.meta, self.tekst, w.HTML("<h4>Suggesties</h4>"), self.voorstellen, self.misschien,
                         self.uitleg,
                         w.HTML("<h4>Mijn codes</h4>"), self.mijn, nieuw, self.anderen,
                         w.HTML("<h4>Memo's</h4>"), self.memo, w.HBox([self.memo_thema]), self.memo_code,
                         self.memos, self.klaar], layout=w.Layout(flex="1", padding="0 0 0 16px"))
        self.children = [kop, w.HBox([self.codeur, self.blind]), filters, self.melding,
                         w.HBox([links, rechts]), self.toetsen]

    @staticmethod
    def _button(label: str, css: str, handler, style: str = "") -> w.Button:
        button = w.Button(description=label, button_style=style, layout=w.Layout(width="auto"))
        button.add_class(css)
        button.on_click(handler)
        return button

    # ------------------------------------------------------------------ list and navigation
    def _filtered(self) -> pd.DataFrame:
        frame = self.stories
        for widget, column in ((self.f_gebied, "gebied"), (self.f_methode, "methode"), (self.f_rol, "verteller_rol")):
            if widget.value != ALLE:
                frame = frame[frame[column] == widget.value]
        if self.f_thema.value != ALLE:
            with self.store.read() as session:
                ids = set(session.scalars(select(Coding.story_id).where(Coding.thema == self.f_thema.value,
                                                                        Coding.status != "rejected")))
            frame = frame[frame["id"].isin(ids)]
        me = self.codeur.value.strip()
        done = set(b.finished(self.store).query("codeur == @me")["story_id"]) if me else set()
        if self.f_status.value == "open":
            frame = frame[~frame["id"].isin(done)]
        elif self.f_status.value == "klaar":
            frame = frame[frame["id"].isin(done)]
        elif self.f_status.value == "toegewezen":
            frame = frame[frame["id"].isin(set(b.assignments(self.store, me)["story_id"]))] if me else frame[:0]
        self._done = done
        if self.volgorde.value == "leerzaam":
            from wijkkit.coderen.kwaliteit import learning_value

            value = learning_value(self.store)
            frame = frame.assign(_waarde=frame["id"].map(value).fillna(0.0)).sort_values(
                "_waarde", ascending=False, kind="stable").drop(columns="_waarde")
        return frame

    def _refresh_list(self) -> None:
        frame = self._filtered()
        current = self.story_id
        self.lijst.options = [(f"{'✓ ' if sid in self._done else '   '}{sid} · {self.gebied_namen.get(g, g)} · {m}",
                               sid) for sid, g, m in zip(frame["id"], frame["gebied"], frame["methode"])]
        self.teller.value = f"{len(frame)} verhalen in deze selectie, {len(self._done)} door jou afgerond"
        ids = list(frame["id"])
        wanted = current if current in ids else (ids[0] if ids else None)
        if self.lijst.value != wanted:
            self.lijst.value = wanted  # _on_select shows the story
        else:
            self.story_id = wanted
            self._show()  # same story, but the coder or the filters changed what to show

    def _on_select(self, change) -> None:
        self.story_id = change["new"]
        self._show()

    def _step(self, delta: int) -> None:
        ids = [value for _, value in self.lijst.options]
        if not ids:
            return
        index = ids.index(self.story_id) + delta if self.story_id in ids else 0
        self.lijst.value = ids[max(0, min(index, len(ids) - 1))]

    def select(self, story_id: str) -> None:
        """Show one story (used by notebooks and tests)."""
        self.lijst.value = story_id

    # ------------------------------------------------------------------ the story panel
    def _show(self) -> None:
        if self.story_id is None:
            self.meta.value, self.tekst.value = "<p>Geen verhalen in deze selectie.</p>", ""
            self.voorstellen.children, self.mijn.children = [], []
            self.anderen.value = self.memos.value = ""
            return
        me = self.codeur.value.strip()
        with self.store.read() as session:
            story = session.get(Story, self.story_id)
            segments = [(s.id, s.nr, s.start, s.end) for s in story.segments]
            memos = session.scalars(select(Memo).where(Memo.story_id == self.story_id).order_by(Memo.id)).all()
        row = self.stories.set_index("id").loc[self.story_id]
        citeren = "mag geciteerd worden (gepseudonimiseerd)" if row["toestemming"] == "citeren-anoniem" \
            else "alleen voor analyse, niet citeren"
        assigned = me and self.story_id in set(b.assignments(self.store, me)["story_id"])
        self.meta.value = (f'<div class="wk-meta"><b>{esc(self.story_id)}</b> · '
                           f'{esc(self.gebied_namen.get(row["gebied"], row["gebied"]))} · {esc(row["methode"])} · '
                           f'{esc(row["verteller_rol"])} · {esc(row["datum"] or "datum onbekend")} · {citeren}'
                           f'{" · <b>aan jou toegewezen</b>" if assigned else ""}</div>')
        suggestions = b.open_suggestions(self.store, self.story_id, me or None)
        sure = [self.drempels.shown(t, z) for t, z in zip(suggestions["thema"], suggestions["zekerheid"])]
        maybe = suggestions[[not x for x in sure]] if len(suggestions) else suggestions
        suggestions = suggestions[sure] if len(suggestions) else suggestions
        everyone = b.codes(self.store, story_id=self.story_id)
        mine = everyone[everyone["codeur"] == me]
        self.tekst.value = story_html(story.tekst, segments, suggestions, mine, self.codebook, self.kleuren)
        nr_of = {seg_id: nr for seg_id, nr, _, _ in segments}
        self.nieuw_zin.options = [("Heel verhaal", HEEL)] + [
            (f"Zin {nr + 1}: {story.tekst[s:e][:50]}", seg_id) for seg_id, nr, s, e in segments]
        rows = [self._suggestion_row(s, nr_of) for s in suggestions.itertuples()]
        if self.misschien.value:
            rows += [self._suggestion_row(s, nr_of, misschien=True) for s in maybe.itertuples()]
        elif len(maybe):
            rows.append(w.HTML(f"<i>{len(maybe)} minder zekere suggestie{'s' if len(maybe) > 1 else ''} "
                               "verborgen: vink ‘misschien’ aan om ze te zien.</i>"))
        self.voorstellen.children = rows or [w.HTML("<i>Geen open suggesties.</i>")]
        self.uitleg.value = self.drempels.explain(b.suggestion_record(self.store, self.drempels.shown))
        self.mijn.children = [self._code_row(c, nr_of) for c in mine.itertuples()] or [
            w.HTML("<i>Nog geen codes van jou.</i>")]
        others = everyone[everyone["codeur"] != me]
        if self.blind.value and self.story_id not in self._done:
            self.anderen.value = ("<p><i>Blind coderen: codes van anderen zie je nadat je dit verhaal hebt "
                                  "afgerond.</i></p>") if len(others) else ""
        else:
            items = "".join(f"<li>{esc(c.codeur)}: {esc(self.codebook.label(c.thema))} "
                            f"({esc(c.valentie or 'geen valentie')}), "
                            f"{'heel verhaal' if pd.isna(c.segment_id) else f'zin {nr_of.get(c.segment_id, 0) + 1}'}"
                            f"</li>" for c in others.itertuples())
            self.anderen.value = f"<h4>Codes van anderen</h4><ul>{items}</ul>" if items else ""
        visible = [m for m in memos if m.codeur == me or not self.blind.value or self.story_id in self._done]
        self.memos.value = "".join(
            f"<p><b>{esc(m.codeur)}</b>{' bij ' + esc(self.codebook.label(m.thema)) if m.thema else ''}"
            f": {esc(m.tekst)}</p>" for m in visible)
        self.klaar.description = ("↺ Toch nog niet klaar" if self.story_id in self._done
                                  else "✓ Klaar met dit verhaal (d)")
        self._loading = True  # clearing the memo fields is not a memo
        self.memo.value = self.memo_code.value = ""
        self._loading = False

    def _suggestion_row(self, s, nr_of, misschien: bool = False) -> w.HBox:
        where = "heel verhaal" if pd.isna(s.segment_id) else f"zin {nr_of.get(int(s.segment_id), 0) + 1}"
        source = ("geleerd model" if s.bron == "wijkkit-model"
                  else s.term.strip("()") if s.term.startswith("(") else f"woord ‘{s.term}’")
        conf = self.drempels.confidence(s.thema, s.zekerheid)
        zeker = "" if conf is None else f"{'misschien · ' if misschien else ''}zeker {conf:.0%} · "
        if pd.isna(s.valentie_zekerheid):  # no calibrated valence: the rules' reading, as before
            valentie = s.valentie or "neutraal"
        else:  # a valence only where it is likely enough; otherwise none rather than a wrong one
            valentie = (s.valentie if s.valentie and self.drempels.valence_shown(s.valentie, s.valentie_zekerheid)
                        else "geen valentie-suggestie")
        label = w.HTML(f"{_chip(self.codebook.label(s.thema), self.kleuren.get(s.thema, '#ddd'))} "
                       f"{where} · {esc(zeker)}{esc(valentie)} · {esc(source)}")
        hidden = valentie == "geen valentie-suggestie"  # accepting it then stores no valence either
        accept = self._button("✓ Accepteren", "wk-accepteer",
                              lambda _, sid=s.id, t=s.thema, h=hidden: self._answer(sid, t, True,
                                                                                zonder_valentie=h),
                              style="success")
        reject = self._button("✗ Afwijzen", "wk-wijsaf", lambda _, sid=s.id, t=s.thema: self._answer(sid, t, False))
        return w.HBox([label, accept, reject], layout=w.Layout(align_items="center"))

    def _code_row(self, c, nr_of) -> w.HBox:
        where = "heel verhaal" if pd.isna(c.segment_id) else f"zin {nr_of.get(int(c.segment_id), 0) + 1}"
        label = w.HTML(f"{_chip(self.codebook.label(c.thema), self.kleuren.get(c.thema, '#ddd'))} {where} · "
                       f"{esc(c.valentie or 'geen valentie')}")
        remove = self._button("Verwijderen", "wk-verwijder", lambda _, row=c: self._remove(row))
        return w.HBox([label, remove], layout=w.Layout(align_items="center"))

    # ------------------------------------------------------------------ actions (each one transaction)
    def _act(self, action, message: str) -> None:
        me = self.codeur.value.strip()
        if not me:
            self.melding.value = '<p class="wk-fout">Vul eerst je naam in bij Codeur: zo weten we wie wat codeerde.</p>'
            return
        if self.story_id is None:
            return
        try:
            action(me)
        except Exception as exc:  # shown in Dutch; nothing half-written, each action is one transaction
            self.melding.value = f'<p class="wk-fout">Niet bewaard: {esc(str(exc))}</p>'
            return
        self.melding.value = f'<p class="wk-melding">Bewaard om {datetime.now():%H:%M:%S}: {esc(message)}</p>'
        self._show()

    def _answer(self, suggestie_id: int, thema: str, accept: bool, zonder_valentie: bool = False) -> None:
        def action(me):
            b.decide(self.store, codeur=me, story_id=self.story_id, status="accepted" if accept else "rejected",
                     suggestie_id=suggestie_id, thema=thema, zonder_valentie=zonder_valentie)
            self.drempels.learn(self.store, self.codebook)  # every few answers: re-fit, kept if better

        self._act(action, "suggestie geaccepteerd" if accept else "suggestie afgewezen")

    def _on_add(self, _=None) -> None:
        thema, valentie = self.nieuw_thema.value, self.nieuw_valentie.value
        segment_id = None if self.nieuw_zin.value == HEEL else self.nieuw_zin.value
        self._act(lambda me: b.decide(self.store, codeur=me, story_id=self.story_id, thema=thema, status="manual",
                                      segment_id=segment_id, valentie=valentie),
                  f"code {self.codebook.label(thema)} toegevoegd")

    def _remove(self, row) -> None:
        segment_id = None if pd.isna(row.segment_id) else int(row.segment_id)
        self._act(lambda me: b.decide(self.store, codeur=me, story_id=self.story_id, thema=row.thema,
                                      status="rejected", segment_id=segment_id, valentie=row.valentie),
                  f"code {self.codebook.label(row.thema)} verwijderd")

    def _on_memo(self, change, thema: str | None) -> None:
        text = (change["new"] or "").strip()
        if text and not self._loading:
            # a memo may name a resident too; the light pseudonymiser keeps this kernel small
            from wijkkit.privacy import Pseudonimiseerder

            if self._pseudo is None:
                self._pseudo = Pseudonimiseerder(set(self.gebied_namen.values()), use_deduce=False)
            text = self._pseudo.pseudonymise(text).tekst
            self._act(lambda me: self.store.add_memo(codeur=me, tekst=text, story_id=self.story_id, thema=thema),
                      "memo bewaard")

    def _on_done(self, _=None) -> None:
        done = self.story_id in self._done
        story = self.story_id

        def action(me):
            b.mark_done(self.store, story, me, done=not done)
            self.drempels.learn(self.store, self.codebook)  # a finished story is what the text model learns from
            if done:
                self._done.discard(story)
            else:
                self._done.add(story)

        ids = [value for _, value in self.lijst.options]
        after = ids[ids.index(story) + 1] if story in ids and ids.index(story) + 1 < len(ids) else None
        self._act(action, "verhaal weer open" if done else "verhaal afgerond")
        self._refresh_list()  # in 'leerzaamst eerst' a finished story moves to the end of the list
        if not done and self.f_status.value == "alle":
            if after in [value for _, value in self.lijst.options]:
                self.lijst.value = after
            else:
                self._step(1)

    def _on_key(self, _change) -> None:
        key = self.toetsen.toets
        if key in ("j", "k"):
            self._step(1 if key == "j" else -1)
        elif key == "d":
            self._on_done()
        elif key in ("a", "r") and self.voorstellen.children:
            row = self.voorstellen.children[0]
            if isinstance(row, w.HBox):
                row.children[1 if key == "a" else 2].click()
