"""Progress against the verandertheorie: per indicator, per ambition, and the qualitative side.

For a quantitative indicator: the baseline value (in its basisjaar), the latest value with its
own year, the target, and progress = (latest - baseline) / (target - baseline): 0 at the
baseline, 1 at the target, negative when it moved away. The expected progress is the share of
the period basisjaar -> doeljaar that has passed by the latest data year; "op koers" means at
least that. A boundary change (KWB ind_wbi = 3) after the baseline makes the figures not
comparable; that is said, not computed around.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wijkkit.monitoring.verandertheorie import Kwalitatief, Kwantitatief, Verandertheorie
from wijkkit.tellen.profiel import BOUNDARY_CHANGED
from wijkkit.verbinden.kruistabel import in_gebied, publiek_aantal

STATUS_UITLEG = {
    "doel gehaald": "Het doel is bereikt.",
    "op koers": "Op weg naar het doel, minstens zo snel als de tijd die verstreken is.",
    "achter op schema": "De goede kant op, maar langzamer dan nodig om het doel op tijd te halen.",
    "verkeerde kant op": "Verder van het doel af dan bij de nulmeting.",
    "niet vergelijkbaar": "De gebiedsgrens is na het basisjaar veranderd: de cijfers zijn niet te vergelijken.",
    "geen gegevens": "Geen cijfer voor het basisjaar of geen nieuwer cijfer.",
}
COLUMNS = ["ambitie", "ambitie_titel", "deelambitie", "deelambitie_titel", "indicator", "label", "eenheid", "gebied",
           "basisjaar", "basiswaarde", "laatste_jaar", "laatste_waarde", "doel", "doeljaar", "voortgang",
           "verwacht", "status", "toelichting"]


def indicator_progress(cijfers: pd.DataFrame, indicator: Kwantitatief, gebied: str) -> dict:
    """The numbers and the status of one quantitative indicator in one gebied."""
    rows = cijfers[(cijfers["gebied_code"].astype(str) == gebied) & (cijfers["indicator"].astype(str)
                                                                     == indicator.indicator)]
    rows = rows[rows["waarde"].notna()].sort_values("jaar")
    base = rows[rows["jaar"] == indicator.basisjaar]
    later = rows[rows["jaar"] > indicator.basisjaar]
    out = {"basisjaar": indicator.basisjaar, "basiswaarde": np.nan, "laatste_jaar": np.nan,
           "laatste_waarde": np.nan, "doel": indicator.doel, "doeljaar": indicator.doeljaar, "voortgang": np.nan,
           "verwacht": np.nan}
    if base.empty or later.empty:
        return {**out, "status": "geen gegevens",
                "basiswaarde": float(base["waarde"].iloc[0]) if len(base) else np.nan}
    latest = later.iloc[-1]
    out.update(basiswaarde=float(base["waarde"].iloc[0]), laatste_jaar=int(latest["jaar"]),
               laatste_waarde=float(latest["waarde"]))
    out["verwacht"] = min(1.0, (out["laatste_jaar"] - indicator.basisjaar) / (indicator.doeljaar - indicator.basisjaar))
    wbi = later["ind_wbi"] if "ind_wbi" in later else pd.Series(dtype=float)
    if (pd.to_numeric(wbi, errors="coerce").fillna(1).astype(int) == BOUNDARY_CHANGED).any():
        return {**out, "status": "niet vergelijkbaar"}
    span = indicator.doel - out["basiswaarde"]
    if span == 0:
        progress = 1.0 if out["laatste_waarde"] == indicator.doel else -1.0
    else:
        progress = (out["laatste_waarde"] - out["basiswaarde"]) / span
    out["voortgang"] = progress
    if progress >= 1:
        status = "doel gehaald"
    elif progress < 0:
        status = "verkeerde kant op"
    elif progress >= out["verwacht"]:
        status = "op koers"
    else:
        status = "achter op schema"
    return {**out, "status": status}


def quantitative(theorie: Verandertheorie, cijfers: pd.DataFrame, catalogus=None) -> pd.DataFrame:
    """One row per quantitative indicator of the theory."""
    info = catalogus.to_frame().set_index("indicator") if catalogus is not None else pd.DataFrame()
    rows = []
    for ambitie, deel, indicator in theorie.indicatoren():
        if not isinstance(indicator, Kwantitatief):
            continue
        gebied = indicator.gebied or theorie.gebied
        meta = info.loc[indicator.indicator] if indicator.indicator in info.index else {}
        numbers = indicator_progress(cijfers, indicator, gebied)
        note = indicator.toelichting
        richting = meta.get("richting", "neutraal")
        if pd.notna(numbers["basiswaarde"]) and (
                (richting == "lager_beter" and indicator.doel > numbers["basiswaarde"])
                or (richting == "hoger_beter" and indicator.doel < numbers["basiswaarde"])):
            note = (note + " " if note else "") + "Let op: het doel ligt aan de ongunstige kant van de nulmeting."
        rows.append({"ambitie": ambitie.id, "ambitie_titel": ambitie.titel, "deelambitie": deel.id,
                     "deelambitie_titel": deel.titel, "indicator": indicator.indicator,
                     "label": meta.get("label", indicator.indicator), "eenheid": meta.get("eenheid", ""),
                     "gebied": gebied, "toelichting": note, **numbers})
    return pd.DataFrame(rows, columns=COLUMNS)


def per_ambition(table: pd.DataFrame) -> pd.DataFrame:
    """Mean progress per ambition over its comparable indicators, with the count per status."""
    rows = []
    for (ambitie, titel), part in table.groupby(["ambitie", "ambitie_titel"], sort=False):
        usable = part["voortgang"].dropna()
        rows.append({"ambitie": ambitie, "ambitie_titel": titel, "indicatoren": len(part),
                     "met_gegevens": len(usable),
                     "gemiddelde_voortgang": float(usable.clip(-1, 1.5).mean()) if len(usable) else np.nan,
                     **{status: int((part["status"] == status).sum()) for status in STATUS_UITLEG}})
    return pd.DataFrame(rows)


def qualitative(theorie: Verandertheorie, stories: pd.DataFrame, codings: pd.DataFrame, notes: pd.DataFrame,
                drempel: int, labels: dict[str, str] | None = None) -> pd.DataFrame:
    """Per qualitative indicator and year: stories (public count), share of strengths, duiding notes."""
    labels = labels or {}
    rows = []
    mine = stories[in_gebied(stories["gebied"].astype(str), theorie.gebied)].copy()
    mine["jaar"] = pd.to_datetime(mine["datum"]).dt.year
    for ambitie, deel, indicator in theorie.indicatoren():
        if not isinstance(indicator, Kwalitatief):
            continue
        coded = codings[codings["story_id"].isin(mine["id"])]
        if indicator.thema:
            coded = coded[coded["thema"] == indicator.thema]
        coded = coded.merge(mine[["id", "jaar"]], left_on="story_id", right_on="id")
        own_notes = notes[in_gebied(notes["gebied"].astype(str), theorie.gebied)] if len(notes) else notes
        if indicator.thema and len(own_notes):
            own_notes = own_notes[own_notes["thema"] == indicator.thema]
        years = sorted(set(coded["jaar"].dropna().astype(int)) | set(pd.to_datetime(own_notes["datum"]).dt.year
                                                                     if len(own_notes) else []))
        for year in years:
            part = coded[coded["jaar"] == year] if indicator.thema else coded.iloc[0:0]
            n = part["story_id"].nunique()
            kracht, knelpunt = int((part["valentie"] == "kracht").sum()), int((part["valentie"] == "knelpunt").sum())
            year_notes = own_notes[pd.to_datetime(own_notes["datum"]).dt.year == year] if len(own_notes) else own_notes
            rows.append({"ambitie": ambitie.id, "deelambitie": deel.id,
                         "indicator": indicator.vraag or labels.get(indicator.thema, indicator.thema),
                         "thema": indicator.thema, "jaar": year, "verhalen": publiek_aantal(n, drempel),
                         "aandeel_kracht": kracht / (kracht + knelpunt) if n >= drempel
                         and kracht + knelpunt >= drempel else np.nan,
                         "duidingen": len(year_notes),
                         "laatste_duiding": year_notes["wat_zien_we"].iloc[0] if len(year_notes) else ""})
    return pd.DataFrame(rows, columns=["ambitie", "deelambitie", "indicator", "thema", "jaar", "verhalen",
                                       "aandeel_kracht", "duidingen", "laatste_duiding"])
