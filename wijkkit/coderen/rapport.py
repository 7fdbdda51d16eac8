"""Reports over the team's codes: frequencies, co-occurrence, strengths and problems, quotes, agreement.

A story counts once per theme when at least one coder applied the theme (suggestions that
nobody accepted do not count). Quotes come only from stories whose consent allows quoting.
"""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
from sqlalchemy import select

from wijkkit.charts import OKABE_ITO, VALENTIE_KLEUR, style
from wijkkit.codebook import Codebook
from wijkkit.coderen.beslissingen import codes
from wijkkit.store import Store
from wijkkit.store.models import Story

BRON = "Bron: coderingen van het team in de projectstore."


def coded_stories(store: Store, codebook: Codebook) -> pd.DataFrame:
    """One row per current code, joined with the story's metadata and theme labels."""
    applied = codes(store)
    with store.read() as session:
        stories = pd.DataFrame(session.execute(select(Story.id, Story.gebied, Story.methode, Story.verteller_rol,
                                                      Story.toestemming, Story.datum)).all(),
                               columns=["story_id", "gebied", "methode", "verteller_rol", "toestemming", "datum"])
    frame = applied.merge(stories, on="story_id")
    frame["thema_label"] = frame["thema"].map(lambda t: codebook.label(t) if t in codebook.theme_ids else t)
    frame["valentie"] = frame["valentie"].fillna("neutraal")
    return frame


def frequencies(frame: pd.DataFrame, by: str = "gebied") -> pd.DataFrame:
    """Stories per theme per ``by`` (gebied, methode or verteller_rol)."""
    return (frame.groupby([by, "thema_label"]).story_id.nunique().rename("verhalen").reset_index()
            .sort_values([by, "verhalen"], ascending=[True, False]))


def frequency_chart(freq: pd.DataFrame, by: str = "gebied", labels: dict | None = None) -> alt.Chart:
    data = freq.assign(**{by: freq[by].map(lambda v: (labels or {}).get(v, v))})
    chart = alt.Chart(data).mark_rect().encode(
        x=alt.X(f"{by}:N", title=None, axis=alt.Axis(labelAngle=-30, labelLimit=160)),
        y=alt.Y("thema_label:N", title=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("verhalen:Q", title="verhalen", scale=alt.Scale(scheme="blues")),
        tooltip=[alt.Tooltip(f"{by}:N"), alt.Tooltip("thema_label:N", title="thema"), alt.Tooltip("verhalen:Q")],
    )
    text = chart.mark_text(fontSize=12).encode(text="verhalen:Q", color=alt.value("black"))
    title = alt.TitleParams(f"Thema's per {by.replace('verteller_rol', 'rol van de verteller')}",
                            subtitle=f"{BRON} Een verhaal telt één keer per thema.")
    return style((chart + text).properties(width=alt.Step(70), height=alt.Step(26), title=title))


def co_occurrence(frame: pd.DataFrame) -> pd.DataFrame:
    """How many stories carry both themes (long format, both directions, without the diagonal)."""
    per_story = frame.groupby("story_id")["thema_label"].apply(lambda s: sorted(set(s)))
    pairs = [(a, c) for themes in per_story for a in themes for c in themes if a != c]
    table = pd.DataFrame(pairs, columns=["thema_a", "thema_b"])
    return table.value_counts().rename("verhalen").reset_index()


def co_occurrence_chart(pairs: pd.DataFrame) -> alt.Chart:
    chart = alt.Chart(pairs).mark_rect().encode(
        x=alt.X("thema_a:N", title=None, axis=alt.Axis(labelAngle=-40, labelLimit=260)),
        y=alt.Y("thema_b:N", title=None, axis=alt.Axis(labelLimit=260)),
        color=alt.Color("verhalen:Q", scale=alt.Scale(scheme="purples"), title="verhalen"),
        tooltip=["thema_a:N", "thema_b:N", "verhalen:Q"])
    text = chart.mark_text(fontSize=12).encode(text="verhalen:Q", color=alt.value("black"))
    title = alt.TitleParams("Welke thema's komen samen voor in één verhaal?", subtitle=BRON)
    return style((chart + text).properties(width=alt.Step(34), height=alt.Step(26), title=title))


def balance(frame: pd.DataFrame) -> pd.DataFrame:
    """Coded fragments per theme and valence, with problems as negative numbers for a diverging bar."""
    counts = frame.groupby(["thema_label", "valentie"]).size().rename("fragmenten").reset_index()
    counts["richting"] = counts["fragmenten"].where(counts["valentie"] != "knelpunt", -counts["fragmenten"])
    return counts[counts["valentie"] != "neutraal"]


def balance_chart(counts: pd.DataFrame) -> alt.Chart:
    order = (counts.groupby("thema_label")["richting"].sum().sort_values().index.tolist())
    chart = alt.Chart(counts).mark_bar().encode(
        y=alt.Y("thema_label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)),
        x=alt.X("richting:Q", title="← knelpunten · krachten →", axis=alt.Axis(format="d", labelExpr="abs(datum.value)")),
        color=alt.Color("valentie:N", title="Valentie", scale=alt.Scale(domain=["kracht", "knelpunt"],
                                                                        range=[VALENTIE_KLEUR["kracht"],
                                                                               VALENTIE_KLEUR["knelpunt"]])),
        tooltip=[alt.Tooltip("thema_label:N", title="thema"), "valentie:N", "fragmenten:Q"])
    title = alt.TitleParams("Krachten en knelpunten per thema", subtitle=f"{BRON} Aantal gecodeerde fragmenten.")
    return style(chart.properties(width=520, height=alt.Step(24), title=title))


CONTACT = re.compile(r"\[(?:TELEFOON|EMAIL|URL|IBAN|ACCOUNT|BSN|POSTCODE|KENTEKEN)-\d+\]")
PLACEHOLDER = re.compile(r"\[[A-Z]+(?:-\d+| [^\]]*)\]")


def says_something(text: str) -> bool:
    """Whether a fragment can stand as a quote: not a way to reach someone, not mostly placeholders.

    "Bel gerust, mijn nummer is [TELEFOON-1]." was coded, but tells a knowledge circle nothing
    about the theme (and reads as noise); a fragment needs six words of its own.
    """
    if CONTACT.search(text):
        return False
    return len(PLACEHOLDER.sub(" ", text).split()) >= 6


def quotes(frame: pd.DataFrame, per_thema: int = 3) -> pd.DataFrame:
    """The most telling quotes per theme: quotable stories only, fragments most coders agree on,
    a kracht and a knelpunt where possible, and different voices (role) before a second of the same."""
    quotable = frame[(frame["toestemming"] == "citeren-anoniem") & frame["segment_id"].notna()
                     & (frame["bewijs"].str.len() >= 25) & frame["bewijs"].map(says_something)]
    if quotable.empty:
        return pd.DataFrame(columns=["thema_label", "valentie", "citaat", "verteller_rol", "methode", "codeurs",
                                     "story_id"])
    votes = (quotable.groupby(["thema_label", "story_id", "segment_id", "bewijs", "valentie", "verteller_rol",
                               "methode"]).codeur.nunique().rename("codeurs").reset_index())
    picked = []
    for theme, group in votes.groupby("thema_label", sort=True):
        group = group.sort_values(["codeurs", "story_id"], ascending=[False, True])
        chosen, roles, valences, texts = [], set(), set(), set()
        passes = (lambda r: r.verteller_rol not in roles and r.valentie not in valences,  # new voice and valence
                  lambda r: r.verteller_rol not in roles,  # then a new voice
                  lambda r: True)  # then fill up
        for accept in passes:
            for row in group.itertuples():
                if len(chosen) < per_thema and row.bewijs not in texts and accept(row):
                    chosen.append(row)
                    roles.add(row.verteller_rol)
                    valences.add(row.valentie)
                    texts.add(row.bewijs)
        picked += [{"thema_label": theme, "valentie": r.valentie, "citaat": r.bewijs, "verteller_rol": r.verteller_rol,
                    "methode": r.methode, "codeurs": r.codeurs, "story_id": r.story_id} for r in chosen]
    return pd.DataFrame(picked)


def agreement_chart(per_thema: pd.DataFrame, labels: dict[str, str]) -> alt.Chart:
    data = per_thema.dropna(subset=["alfa"]).assign(thema_label=lambda d: d["thema"].map(lambda t: labels.get(t, t)))
    bars = alt.Chart(data).mark_bar(color=OKABE_ITO[0]).encode(
        y=alt.Y("thema_label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=260)), x=alt.X("alfa:Q", title="Krippendorffs alfa",
                                                                 scale=alt.Scale(domain=[min(0, data["alfa"].min()), 1])),
        tooltip=[alt.Tooltip("thema_label:N", title="thema"), alt.Tooltip("alfa:Q", format=".3f"), "eenheden:Q"])
    rules = alt.Chart(pd.DataFrame({"grens": [0.667, 0.8], "betekenis": ["voorzichtig", "betrouwbaar"]})).mark_rule(
        strokeDash=[4, 3], color="#333").encode(x="grens:Q", tooltip=["betekenis:N", "grens:Q"])
    title = alt.TitleParams("Overeenstemming tussen codeurs per thema",
                            subtitle="Stippellijnen: 0,667 (voorzichtige conclusies) en 0,80 (betrouwbaar).")
    return style((bars + rules).properties(width=480, height=alt.Step(22), title=title))
