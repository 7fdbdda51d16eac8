"""Inter-coder agreement: Krippendorff's alpha, Cohen's kappa and percentage agreement.

The unit of analysis is a (story, theme) pair at ``niveau="verhaal"`` or a (sentence, theme)
pair at ``niveau="zin"``: did the coder apply the theme there (1) or not (0)? Only stories a
coder marked as finished count for that coder, so an unfinished story is missing data (NaN),
never a silent "no". Codes on a whole story count at story level only.
"""

from __future__ import annotations

import itertools
import warnings

import krippendorff
import numpy as np
import pandas as pd
from sklearn.metrics import cohen_kappa_score

from wijkkit.store import Store

UITLEG = (
    "Hoe lees je deze cijfers? Krippendorffs alfa vergelijkt de overeenstemming tussen codeurs met wat je "
    "bij toeval zou verwachten: 1 is volledige overeenstemming, 0 is niet beter dan toeval, en onder 0 is "
    "systematisch oneens. Vuistregel (Krippendorff): vanaf 0,80 kun je conclusies trekken, tussen 0,667 en "
    "0,80 alleen voorzichtige. Cohens kappa doet hetzelfde voor één paar codeurs. Het percentage "
    "overeenstemming is makkelijk te lezen maar flatteert: bij zeldzame thema's zijn codeurs het vaak eens "
    "dat het thema er níet is. Een eenheid is een verhaal (of een zin) per thema; alleen verhalen die "
    "minstens twee codeurs hebben afgerond tellen mee. Bespreek vooral de verschillen in de lijst hieronder."
)


def reliability_table(decisions: pd.DataFrame, finished: pd.DataFrame, themes: list[str], *,
                      niveau: str = "verhaal", segments: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per (unit, thema), one column per coder: 1 applied, 0 not applied, NaN not finished.

    ``decisions`` is :func:`wijkkit.coderen.beslissingen.decisions`; ``finished`` has story_id and
    codeur; ``segments`` (story_id, segment_id) is needed at ``niveau="zin"``.
    """
    if niveau not in ("verhaal", "zin"):
        raise ValueError("niveau is 'verhaal' of 'zin'")
    per_story = finished.groupby("story_id")["codeur"].nunique()
    stories = sorted(per_story[per_story >= 2].index)
    coders = sorted(finished.loc[finished["story_id"].isin(stories), "codeur"].unique())
    if niveau == "verhaal":
        units = pd.DataFrame({"story_id": stories, "eenheid": stories})
    else:
        if segments is None:
            raise ValueError("op zinsniveau zijn de zinnen (segments) nodig")
        units = segments[segments["story_id"].isin(stories)][["story_id", "segment_id"]].copy()
        units["eenheid"] = units["story_id"] + "#" + units["segment_id"].astype(str)
    index = pd.MultiIndex.from_product([units["eenheid"], themes], names=["eenheid", "thema"])
    table = pd.DataFrame(index=index, columns=coders, dtype=float)
    story_of = dict(zip(units["eenheid"], units["story_id"]))
    done = set(zip(finished["story_id"], finished["codeur"]))
    unit_level = table.index.get_level_values("eenheid")
    for coder in coders:
        finished_units = [u for u in units["eenheid"] if (story_of[u], coder) in done]
        table.loc[unit_level.isin(finished_units), coder] = 0.0
    present = decisions[decisions["aanwezig"] & decisions["codeur"].isin(coders) & decisions["thema"].isin(themes)]
    if niveau == "verhaal":
        keys = zip(present["story_id"], present["thema"], present["codeur"])
    else:
        present = present[present["segment_id"].notna()]
        keys = zip(present["story_id"] + "#" + present["segment_id"].astype(str), present["thema"],
                   present["codeur"])
    for unit, theme, coder in keys:
        if (unit, theme) in table.index and (story_of.get(unit), coder) in done:
            table.loc[(unit, theme), coder] = 1.0
    return table


def alpha(data: np.ndarray) -> float:
    """Nominal Krippendorff's alpha of a coders x units array (NaN = missing); NaN when undefined."""
    data = np.asarray(data, dtype=float)
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    values = np.unique(data[:, pairable][~np.isnan(data[:, pairable])])
    if pairable.sum() == 0 or len(values) < 2:
        return float("nan")  # no variation: agreement cannot be told apart from chance
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"))


def agreement(table: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Alpha per theme and overall, and kappa and percentage agreement per pair of coders."""
    per_theme = []
    for theme, part in table.groupby(level="thema", sort=False):
        data = part.to_numpy().T
        both = (~np.isnan(data)).sum(axis=0) >= 2
        per_theme.append({"thema": theme, "alfa": alpha(data), "eenheden": int(both.sum()),
                          "toegekend": int(np.nansum(data[:, both]))})
    per_theme.append({"thema": "(alle thema's)", "alfa": alpha(table.to_numpy().T),
                      "eenheden": int(((~table.isna()).sum(axis=1) >= 2).sum()),
                      "toegekend": int(np.nansum(table.to_numpy()))})
    pairs = []
    for a, b in itertools.combinations(table.columns, 2):
        both = table[[a, b]].dropna()
        if both.empty:
            continue
        x, y = both[a].to_numpy(), both[b].to_numpy()
        with warnings.catch_warnings():  # kappa is undefined when both coders never vary
            warnings.simplefilter("ignore", RuntimeWarning)
            kappa = float(cohen_kappa_score(x, y)) if len(set(x) | set(y)) > 1 else float("nan")
        pairs.append({"codeur_a": a, "codeur_b": b, "eenheden": len(both), "kappa": kappa,
                      "overeenstemming": float((x == y).mean())})
    return {"per_thema": pd.DataFrame(per_theme),
            "per_paar": pd.DataFrame(pairs, columns=["codeur_a", "codeur_b", "eenheden", "kappa",
                                                     "overeenstemming"])}


def disagreements(table: pd.DataFrame) -> pd.DataFrame:
    """Every (unit, thema) where finished coders differ: who applied the theme and who did not."""
    rows = []
    for (unit, theme), values in table.iterrows():
        known = values.dropna()
        if len(known) >= 2 and known.nunique() > 1:
            rows.append({"eenheid": unit, "thema": theme,
                         "wel": ", ".join(sorted(known.index[known == 1])),
                         "niet": ", ".join(sorted(known.index[known == 0]))})
    return pd.DataFrame(rows, columns=["eenheid", "thema", "wel", "niet"])


def store_table(store: Store, themes: list[str], niveau: str = "verhaal") -> pd.DataFrame:
    """:func:`reliability_table` straight from the project store."""
    from sqlalchemy import select

    from wijkkit.coderen.beslissingen import decisions, finished
    from wijkkit.store.models import Segment

    segments = None
    if niveau == "zin":
        with store.read() as session:
            segments = pd.DataFrame(session.execute(select(Segment.story_id, Segment.id)).all(),
                                    columns=["story_id", "segment_id"])
    return reliability_table(decisions(store), finished(store), themes, niveau=niveau, segments=segments)
