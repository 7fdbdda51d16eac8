"""How well wijkkit's suggestions agree with this project's team, and which stories teach most.

The team's codings are the best teacher on a real project. Two questions are answered from the
store alone (no model runs, so a kenniskring page can ask them too):

- :func:`suggestion_agreement`: per theme, on the sentences of stories the team has finished,
  how often the suggestions (rules and, when used, the learned model) name the theme the team
  gave (precision), how much of the team's codings they find (recall), and whether they read
  kracht/knelpunt the same way. A theme with too few sentences says so instead of a number.
- :func:`learning_value`: per story, how much a decision on it would teach: open suggestions
  whose score is near the middle, on themes the team has coded least, and stories where the
  rules found nothing at all (what the rules miss is learned only from those).
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pandas as pd
from sqlalchemy import select

from wijkkit.codebook import Codebook
from wijkkit.coderen.beslissingen import decisions, finished
from wijkkit.store import Store
from wijkkit.store.models import Coding, Story

SUGGESTERS = ("wijkkit-tagger", "wijkkit-model")
MIN_ZINNEN = 10  # fewer sentences (team or suggested) per theme: no verdict
GOED, MATIG = 0.7, 0.5  # F1 at which suggestions count as agreeing well / fairly with the team
KOLOMMEN = ["thema", "label", "team", "suggesties", "beide", "precisie", "recall", "f1", "valentie_gelijk",
            "oordeel"]


def team_labels(store: Store) -> dict[tuple[int, str], str | None]:
    """(segment, theme) -> the team's valence, where most coders who finished the story applied the theme.

    Ties count as applied (one of two coders is half the team); the valence is the one most of
    them gave (None when they gave none).
    """
    done = finished(store)
    coders = done.groupby("story_id")["codeur"].apply(set).to_dict()
    applied = decisions(store)
    if applied.empty:
        return {}
    applied = applied[applied["aanwezig"] & applied["segment_id"].notna()]
    votes: dict[tuple[int, str], list] = {}
    for segment_id, story_id, theme, coder, valentie in zip(applied["segment_id"], applied["story_id"],
                                                            applied["thema"], applied["codeur"],
                                                            applied["valentie"]):
        if coder in coders.get(story_id, ()):
            votes.setdefault((int(segment_id), theme), []).append((story_id, valentie))
    labels = {}
    for key, given in votes.items():
        if 2 * len(given) >= len(coders[given[0][0]]):
            valences = Counter(v for _, v in given if isinstance(v, str))
            labels[key] = valences.most_common(1)[0][0] if valences else None
    return labels


def _suggestions(store: Store, story_ids: set[str] | None = None) -> pd.DataFrame:
    query = select(Coding.story_id, Coding.segment_id, Coding.thema, Coding.valentie, Coding.score).where(
        Coding.codeur.in_(SUGGESTERS), Coding.status == "suggested")
    if story_ids is not None:
        query = query.where(Coding.story_id.in_(story_ids))
    with store.read() as session:
        return pd.DataFrame(session.execute(query).all(),
                            columns=["story_id", "segment_id", "thema", "valentie", "score"])


def suggestion_agreement(store: Store, codebook: Codebook) -> pd.DataFrame:
    """One row per theme: team / suggested / both sentence counts, precision, recall, F1, same valence, verdict."""
    labels = team_labels(store)
    done = set(finished(store)["story_id"])
    suggested = _suggestions(store, done)
    suggested = suggested[suggested["segment_id"].notna()]
    by_key: dict[tuple[int, str], str | None] = {}
    for segment_id, theme, valentie in zip(suggested["segment_id"], suggested["thema"], suggested["valentie"]):
        by_key.setdefault((int(segment_id), theme), valentie if isinstance(valentie, str) else None)
    rows = []
    for thema in codebook.themas:
        team = {k for k in labels if k[1] == thema.id}
        sugg = {k for k in by_key if k[1] == thema.id}
        both = team & sugg
        same = sum(by_key[k] == labels[k] for k in both if labels[k] is not None)
        precision = len(both) / len(sugg) if sugg else np.nan
        recall = len(both) / len(team) if team else np.nan
        f1 = 2 * len(both) / (len(team) + len(sugg)) if team or sugg else np.nan
        rows.append({"thema": thema.id, "label": thema.label, "team": len(team), "suggesties": len(sugg),
                     "beide": len(both), "precisie": precision, "recall": recall, "f1": f1,
                     "valentie_gelijk": same, "oordeel": verdict(f1, len(team) + len(sugg))})
    return pd.DataFrame(rows, columns=KOLOMMEN)


def verdict(f1: float, zinnen: int) -> str:
    if zinnen < MIN_ZINNEN or f1 != f1:
        return "te weinig gegevens"
    return "goed" if f1 >= GOED else "matig" if f1 >= MATIG else "laag"


def learning_value(store: Store) -> pd.Series:
    """story_id -> how much deciding it would teach (0 for stories someone has finished); higher first."""
    with store.read() as session:
        stories = list(session.scalars(select(Story.id).where(Story.toestemming != "none").order_by(Story.id)))
    if not stories:
        return pd.Series(dtype=float)
    done = set(finished(store)["story_id"])
    team = Counter(theme for (_, theme) in team_labels(store))
    open_suggestions = _suggestions(store)
    value = dict.fromkeys(stories, 0.0)
    for story_id, theme, score in zip(open_suggestions["story_id"], open_suggestions["thema"],
                                      open_suggestions["score"]):
        if story_id in value and story_id not in done:
            p = float(score) if score == score and score is not None else 0.5
            uncertainty = 1 - abs(2 * min(max(p, 0.0), 1.0) - 1)  # 1 at 0.5, 0 at 0 or 1
            value[story_id] += (0.25 + uncertainty) / (1 + team[theme])  # rarely coded themes teach more
    with_suggestions = set(open_suggestions["story_id"])
    for story_id in value:
        if story_id not in done and story_id not in with_suggestions:
            value[story_id] = 0.5  # the rules found nothing here: only a coder can say what they missed
        elif story_id in done:
            value[story_id] = 0.0
    return pd.Series(value, dtype=float).sort_values(ascending=False, kind="stable")
