"""One row per theme for a gebied: what the figures say, what the stories say, and whether
they point different ways ("spanning"), explained in one Dutch sentence.

Story counts below the privacy threshold are only ever shown as "minder dan N".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wijkkit.kijken.indicatoren import BRON
from wijkkit.kijken.onderdelen import WAARNEMINGEN
from wijkkit.weergave import periode

FIGURE_LIMIT = 0.5  # mean band code beyond which the figures lean one way
STORY_LIMITS = (0.4, 0.6)  # share of strengths below/above which the stories lean one way


def publiek_aantal(n: int, drempel: int) -> str:
    """A count as it may appear in anything public: small numbers identify people."""
    return f"minder dan {drempel}" if n < drempel else str(int(n))


def in_gebied(codes: pd.Series, gebied: str) -> pd.Series:
    """Stories are recorded per buurt (or wijk); a wijk holds its buurten, a gemeente all."""
    if gebied.startswith("GM"):
        return codes.str[2:6] == gebied[2:6]
    if gebied.startswith("WK"):
        return (codes == gebied) | codes.str.startswith("BU" + gebied[2:8])
    return codes == gebied


def cijfers_per_thema(profiel: pd.DataFrame) -> pd.DataFrame:
    """Per domain: how many indicators lean favourable/unfavourable (neutral ones do not judge). A theme counts as
    having figures when one of its indicators has a value, as on the Cijfers tab and in 'tellen profiel';
    the 'overige cijfers' outside the catalogue belong to no theme."""
    from wijkkit.tellen.profiel import OVERIG

    profiel = profiel[profiel["waarde"].notna() & (profiel["domein"] != OVERIG)]
    judged = profiel[profiel["richting"] != "neutraal"].dropna(subset=["band_code"])
    rows = []
    for domein, part in profiel.groupby("domein"):
        own = judged[judged["domein"] == domein]
        mean = float(own["band_code"].mean()) if len(own) else np.nan
        years = part["jaar"].dropna()
        rows.append({"thema": domein, "indicatoren": int(part["waarde"].notna().sum()),
                     "beoordeeld": len(own), "gunstig": int((own["band_code"] > 0).sum()),
                     "ongunstig": int((own["band_code"] < 0).sum()), "gemiddelde_band": mean,
                     "cijfers_jaren": periode(years),
                     "cijfers": figure_verdict(mean, len(own))})
    return pd.DataFrame(rows)


def schouw_per_thema(profiel: pd.DataFrame) -> pd.DataFrame:
    """Per domain, what the straatschouw saw (indicators ``schouw_*``): a verdict and the shares at B or better."""
    rows = []
    for domein, part in profiel.groupby("domein"):
        part = part[part["indicator"].astype(str) != WAARNEMINGEN]
        shown = part[part["waarde"].notna()]
        if shown.empty:
            rows.append({"thema": domein, "schouw": "te weinig waarnemingen" if len(part) else "geen schouw"})
            continue
        judged = shown.dropna(subset=["band_code"])
        mean = float(judged["band_code"].mean()) if len(judged) else np.nan
        delen = ", ".join(f"{_onderdeel(r.label)} {r.waarde:.0f}%" for r in shown.itertuples())
        rows.append({"thema": domein, "schouw": f"{figure_verdict(mean, len(judged))}: {delen} op B of beter "
                                                f"({periode(shown['jaar'].dropna())})"})
    return pd.DataFrame(rows, columns=["thema", "schouw"])


def _onderdeel(label: str) -> str:
    return str(label).removeprefix("Schouw: ").split(" op B")[0]


def verhalen_per_thema(stories: pd.DataFrame, codings: pd.DataFrame, gebied: str) -> pd.DataFrame:
    """Per theme: stories, fragments, strengths and problems among the gebied's stories."""
    mine = stories[in_gebied(stories["gebied"].astype(str), gebied)]
    coded = codings[codings["story_id"].isin(mine["id"])]
    if coded.empty:
        return pd.DataFrame(columns=["thema", "verhalen", "fragmenten", "kracht", "knelpunt", "neutraal",
                                     "aandeel_kracht"])
    table = coded.groupby("thema").agg(verhalen=("story_id", "nunique"), fragmenten=("story_id", "size"),
                                       kracht=("valentie", lambda v: int((v == "kracht").sum())),
                                       knelpunt=("valentie", lambda v: int((v == "knelpunt").sum())),
                                       neutraal=("valentie", lambda v: int((v == "neutraal").sum())))
    valenced = table["kracht"] + table["knelpunt"]
    table["aandeel_kracht"] = (table["kracht"] / valenced.where(valenced > 0)).astype(float)
    return table.reset_index()


def verbind(profiel: pd.DataFrame, stories: pd.DataFrame, codings: pd.DataFrame, gebied: str, *,
            drempel: int = 5, labels: dict | None = None) -> pd.DataFrame:
    """The cross table for one gebied; counts as public text next to the raw numbers."""
    # the straatschouw stands beside the figures, not in their verdict (wijkkit.kijken writes its source)
    schouw = (profiel["bron"].astype(str).str.startswith(BRON) if "bron" in profiel
              else pd.Series(False, index=profiel.index))
    figures = cijfers_per_thema(profiel[~schouw])
    told = verhalen_per_thema(stories, codings, gebied)
    table = figures.merge(told, on="thema", how="outer")
    if schouw.any():
        table = table.merge(schouw_per_thema(profiel[schouw]), on="thema", how="outer")
    table["schouw"] = table["schouw"].fillna("geen schouw") if "schouw" in table else "geen schouw"
    for column in ("verhalen", "fragmenten", "kracht", "knelpunt", "neutraal"):
        table[column] = table[column].fillna(0).astype(int)
    table["cijfers"] = table["cijfers"].fillna("geen cijfers")
    table["verhalen_zeggen"] = [_story_verdict(share, n, k + p, drempel) for share, n, k, p in
                                zip(table["aandeel_kracht"], table["verhalen"], table["kracht"], table["knelpunt"])]
    table["verhalen_publiek"] = [publiek_aantal(n, drempel) for n in table["verhalen"]]
    table["spanning"] = [(c == "ongunstig" and v == "vooral krachten") or (c == "gunstig" and v == "vooral knelpunten")
                         for c, v in zip(table["cijfers"], table["verhalen_zeggen"])]
    labels = labels or {}
    table["label"] = table["thema"].map(lambda t: labels.get(t, t))
    table["uitleg"] = [_explain(r) for r in table.itertuples()]
    return table.sort_values(["spanning", "verhalen"], ascending=[False, False]).reset_index(drop=True)


def figure_verdict(mean: float, judged: int) -> str:
    """ongunstig / rond gemiddeld / gunstig from the mean band of the judged indicators."""
    if judged == 0 or np.isnan(mean):
        return "geen oordeel"
    if mean <= -FIGURE_LIMIT:
        return "ongunstig"
    if mean >= FIGURE_LIMIT:
        return "gunstig"
    return "rond gemiddeld"


def _story_verdict(share: float, stories: int, valenced: int, drempel: int) -> str:
    if stories < drempel:
        return "te weinig verhalen"
    if pd.isna(share) or valenced < drempel:  # a share of three fragments would give them away
        return "geen oordeel"
    if share >= STORY_LIMITS[1]:
        return "vooral krachten"
    if share <= STORY_LIMITS[0]:
        return "vooral knelpunten"
    return "gemengd"


def _explain(row) -> str:
    thema = row.label
    if row.spanning and row.cijfers == "ongunstig":
        return (f"Spanning bij {thema}: de cijfers zijn ongunstiger dan gemiddeld, maar de meeste "
                f"verhaalfragmenten gaan over wat goed gaat.")
    if row.spanning:
        return (f"Spanning bij {thema}: de cijfers zijn gunstiger dan gemiddeld, maar bewoners vertellen "
                f"vooral over knelpunten.")
    if row.verhalen_zeggen == "te weinig verhalen":
        return f"Over {thema} zijn te weinig verhalen ({row.verhalen_publiek}) om iets over te zeggen."
    if row.cijfers in ("geen cijfers", "geen oordeel"):
        return f"Over {thema} zeggen de cijfers niets; de verhalen laten {row.verhalen_zeggen} zien."
    return f"Bij {thema} wijzen cijfers ({row.cijfers}) en verhalen ({row.verhalen_zeggen}) niet tegen elkaar in."
