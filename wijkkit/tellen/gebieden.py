"""The names the figures give the gebieden: a code -> name lookup for exports and lists."""

from __future__ import annotations

import pandas as pd


def naamlijst(cijfers: pd.DataFrame) -> dict[str, str]:
    """Gebied code -> name as the figures (tidy indicator table) name them; empty for a table without rows."""
    if cijfers.empty:
        return {}
    areas = cijfers[["gebied_code", "gebied_naam"]].drop_duplicates("gebied_code")
    return {code: naam for code, naam in zip(areas["gebied_code"].astype(str), areas["gebied_naam"].astype(str))
            if naam and naam != "nan"}
