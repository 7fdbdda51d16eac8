"""Tables and charts over the stories in the store (for notebooks and, later, the dashboard)."""

from __future__ import annotations

import altair as alt
import pandas as pd
from sqlalchemy import select

from wijkkit.charts import VALENTIE_KLEUR, style
from wijkkit.store import Store
from wijkkit.store.models import Coding, Story



def stories_frame(store: Store) -> pd.DataFrame:
    with store.read() as session:
        rows = session.execute(select(Story.id, Story.gebied, Story.datum, Story.methode, Story.verteller_rol,
                                      Story.toestemming, Story.privacy)).all()
    return pd.DataFrame(rows, columns=["id", "gebied", "datum", "methode", "verteller_rol", "toestemming",
                                       "privacy"])


def codings_frame(store: Store, statuses=("suggested", "accepted", "manual")) -> pd.DataFrame:
    with store.read() as session:
        rows = session.execute(select(Coding.story_id, Coding.thema, Coding.valentie, Coding.status, Coding.codeur,
                                      Coding.term, Coding.score, Coding.bewijs)
                               .where(Coding.status.in_(statuses))).all()
    return pd.DataFrame(rows, columns=["story_id", "thema", "valentie", "status", "codeur", "term", "score",
                                       "bewijs"])


def privacy_report(store: Store) -> pd.DataFrame:
    """How many spans of each category were pseudonymised, and in how many stories (no texts)."""
    stories = stories_frame(store)
    rows = [{"categorie": cat, "vervangen": n, "story": sid}
            for sid, counts in zip(stories["id"], stories["privacy"]) for cat, n in (counts or {}).items()]
    if not rows:
        return pd.DataFrame(columns=["categorie", "vervangingen", "verhalen"])
    frame = pd.DataFrame(rows)
    return (frame.groupby("categorie").agg(vervangingen=("vervangen", "sum"), verhalen=("story", "nunique"))
            .reset_index().sort_values("vervangingen", ascending=False))


def theme_frequencies(store: Store, codebook, by: str = "gebied") -> pd.DataFrame:
    """Stories per theme and valence per gebied (or methode / verteller_rol); a story counts once."""
    stories = stories_frame(store)
    codings = codings_frame(store)
    merged = codings.merge(stories, left_on="story_id", right_on="id")
    merged["thema_label"] = merged["thema"].map(codebook.label)
    return (merged.groupby([by, "thema", "thema_label", "valentie"]).story_id.nunique()
            .rename("verhalen").reset_index())


def theme_chart(freq: pd.DataFrame, by: str = "gebied", labels: dict | None = None) -> alt.Chart:
    data = freq.copy()
    if labels:
        data[by] = data[by].map(lambda c: labels.get(c, c))
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("thema_label:N", title=None, sort="-x"),
        x=alt.X("sum(verhalen):Q", title="aantal verhalen"),
        color=alt.Color("valentie:N", title="Valentie", scale=alt.Scale(domain=list(VALENTIE_KLEUR),
                                                                        range=list(VALENTIE_KLEUR.values()))),
        column=alt.Column(f"{by}:N", title=None, header=alt.Header(labelAngle=0, labelLimit=160)),
        tooltip=[alt.Tooltip(f"{by}:N"), alt.Tooltip("thema_label:N", title="thema"),
                 alt.Tooltip("valentie:N"), alt.Tooltip("sum(verhalen):Q", title="verhalen")],
    ).properties(width=150, height=260)
    title = alt.TitleParams("Thema's in de verhalen (suggesties en coderingen)",
                            subtitle="Bron: verhalen in de projectstore; een verhaal telt één keer per thema.")
    return style(chart.properties(title=title))
