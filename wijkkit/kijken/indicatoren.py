"""The straatschouw counted into the tidy indicator table, beside the CBS figures.

Per buurt, its wijk and the gemeente, per year and onderdeel: the share of submissions at CROW level B or better
(``schouw_<onderdeel>``, %), and per gebied and year the number of submissions (``schouw_waarnemingen``). With
fewer submissions than the project's privacy threshold a figure is missing with a reason (status ``weinig``),
never a share of three. A buurt walked again in a later year gets a trend, like any figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from wijkkit.kijken.onderdelen import GOED_GENOEG, WAARNEMINGEN, Onderdeel
from wijkkit.tellen import schema

BRON = "Straatschouw"


def per_onderdeel(waarnemingen: pd.DataFrame, onderdelen: list[Onderdeel]) -> pd.DataFrame:
    """One row per submission and scored onderdeel: id, datum, jaar, gebied, onderdeel, indicator, crow (the
    level), goed."""
    rows = []
    by_name = {o.naam: o for o in onderdelen}
    for w in waarnemingen.itertuples(index=False):
        for naam, level in (w.scores or {}).items():
            if naam in by_name:
                rows.append((w.id, w.datum, w.datum.year, w.gebied, naam, by_name[naam].indicator, level,
                             level in GOED_GENOEG))
    return pd.DataFrame(rows, columns=["id", "datum", "jaar", "gebied", "onderdeel", "indicator", "crow", "goed"])


def levels(gebied: str, gemeente: str) -> list[tuple[str, str]]:
    """The gebieden a submission counts for: its buurt, the buurt's wijk, the gemeente (code, niveau)."""
    out = [(gebied, schema.niveau_of(gebied) or "buurt")]
    wijk = schema.wijk_of(gebied)
    if wijk and wijk != gebied:
        out.append((wijk, "wijk"))
    if gemeente:
        out.append((gemeente, "gemeente"))
    return out


def schouw_indicatoren(waarnemingen: pd.DataFrame, onderdelen: list[Onderdeel], *, gemeente: str, drempel: int,
                       namen: dict[str, str] | None = None) -> pd.DataFrame:
    """The tidy table (:data:`wijkkit.tellen.schema.COLUMNS`) of a project's schouw."""
    if waarnemingen.empty:
        return schema.empty_table()
    namen = namen or {}
    scored = per_onderdeel(waarnemingen, onderdelen)
    # each buurt counts for itself, its wijk and the gemeente: one row per submission and level
    up = pd.DataFrame([(g, code, niveau) for g in waarnemingen["gebied"].unique()
                       for code, niveau in levels(g, gemeente)], columns=["gebied", "gebied_code", "niveau"])
    shares = scored.merge(up, on="gebied")
    table = shares.groupby(["gebied_code", "niveau", "jaar", "indicator"], observed=True)["goed"].agg(["sum", "size"])
    table = table.reset_index().rename(columns={"sum": "goed", "size": "n"})
    table["waarde"] = 100.0 * table["goed"] / table["n"]
    table["eenheid"] = "%"
    submissions = waarnemingen[["gebied"]].assign(jaar=[d.year for d in waarnemingen["datum"]]).merge(up, on="gebied")
    counts = submissions.groupby(["gebied_code", "niveau", "jaar"]).size().reset_index(name="n")
    counts["indicator"] = WAARNEMINGEN
    counts["waarde"] = counts["n"].astype(float)
    counts["eenheid"] = "aantal"
    both = pd.concat([table, counts], ignore_index=True)
    few = both["n"] < drempel
    both.loc[few, "waarde"] = np.nan
    return schema.finalize({
        "gebied_code": both["gebied_code"].astype(str),
        "gebied_naam": both["gebied_code"].map(lambda c: namen.get(c, c)).astype(str),
        "niveau": both["niveau"],
        "gemeente_code": both["gebied_code"].map(schema.gemeente_of),
        "jaar": both["jaar"].astype(int),
        "indicator": both["indicator"],
        "waarde": both["waarde"],
        "status": np.where(few, "weinig", "ok"),
        "eenheid": both["eenheid"],
        "ind_wbi": pd.array([pd.NA] * len(both), dtype="Int16"),
        "bron": [f"{BRON} {j}" for j in both["jaar"]],
    })
