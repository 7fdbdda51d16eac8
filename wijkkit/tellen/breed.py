"""A figures file as it was read: one row per gebied (and year), one column per indicator.

Readers produce a :class:`WideTable`; the cache keeps it as an Arrow IPC file (a national file is 18,000
rows of 100+ columns, a few MB, memory-mapped when read back); :meth:`WideTable.tidy` melts it into the
long table of :mod:`wijkkit.tellen.schema`. A project melts only the rows it works on (its gemeente and
the gebieden it compares with), never two million rows of the whole country.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wijkkit.tellen import schema

ROW_COLUMNS = ["gebied_code", "gebied_naam", "niveau", "gemeente_code", "jaar", "ind_wbi"]
META_KEY = b"wijkkit"


@dataclass
class WideTable:
    rows: pd.DataFrame  # ROW_COLUMNS, one row per gebied (and jaar); niveau categorical, codes and names text
    indicatoren: list[str]
    eenheden: list[str]
    waarde: np.ndarray  # (rows, indicatoren) float64; NaN where a figure is missing
    status: np.ndarray  # (rows, indicatoren) int8 codes into schema.STATUS_CODES: why a figure is missing
    bron: str
    meldingen: list[str] = field(default_factory=list)  # Dutch notes on reading (rows left out of a names-only file)

    def __len__(self) -> int:
        return len(self.rows)

    def select(self, mask: np.ndarray) -> "WideTable":
        """The rows where ``mask`` holds."""
        if mask.all():
            return self
        rows = self.rows[mask].reset_index(drop=True)
        return WideTable(rows, self.indicatoren, self.eenheden, self.waarde[mask], self.status[mask], self.bron,
                         self.meldingen)

    def tidy(self) -> pd.DataFrame:
        """The long table: one row per gebied x jaar x indicator, also where the value is missing."""
        n_rows, n_ind = self.waarde.shape
        if n_rows == 0 or n_ind == 0:
            return schema.empty_table()
        # per-row columns repeat their integer codes: no Python object per figure
        rows_idx = np.repeat(np.arange(n_rows, dtype=np.int32), n_ind)

        def per_row(column: str) -> pd.Categorical:
            cat = pd.Categorical(self.rows[column])
            return pd.Categorical.from_codes(cat.codes[rows_idx], dtype=cat.dtype)

        def per_column(values: list[str]) -> pd.Categorical:
            cat = pd.Categorical(values)
            return pd.Categorical.from_codes(np.tile(cat.codes, n_rows), dtype=cat.dtype)

        wbi = self.rows["ind_wbi"].astype("Int16")
        wbi_data, wbi_mask = wbi.fillna(0).to_numpy(dtype=np.int16), wbi.isna().to_numpy()
        return schema.finalize({
            "gebied_code": per_row("gebied_code"),
            "gebied_naam": per_row("gebied_naam"),
            "niveau": per_row("niveau"),
            "gemeente_code": per_row("gemeente_code"),
            "jaar": self.rows["jaar"].to_numpy(dtype=np.int16)[rows_idx],
            "indicator": per_column(self.indicatoren),
            "waarde": self.waarde.ravel(),
            "status": pd.Categorical.from_codes(self.status.ravel(), categories=schema.STATUS_CODES),
            "eenheid": per_column(self.eenheden),
            "ind_wbi": pd.arrays.IntegerArray(wbi_data[rows_idx], wbi_mask[rows_idx]),
            "bron": pd.Categorical.from_codes(np.zeros(n_rows * n_ind, dtype=np.int8), categories=[self.bron]),
        })

    # ------------------------------------------------------------------ cache
    def to_arrow(self):
        """Row columns, then a value column ``w<j>`` and a status column ``s<j>`` per indicator."""
        import pyarrow as pa

        columns = {c: pa.array(self.rows[c]) for c in ROW_COLUMNS}
        for j in range(len(self.indicatoren)):
            columns[f"w{j}"] = pa.array(self.waarde[:, j])
            columns[f"s{j}"] = pa.array(self.status[:, j])
        meta = {"indicatoren": self.indicatoren, "eenheden": self.eenheden, "bron": self.bron,
                "meldingen": self.meldingen}
        return pa.table(columns).replace_schema_metadata({META_KEY: json.dumps(meta).encode()})

    @classmethod
    def from_arrow(cls, table, keep=None) -> "WideTable":
        """Back from :meth:`to_arrow`; ``keep(rows) -> boolean Arrow array`` selects rows before any column is
        turned into numpy, so a project reads only its own gemeente's part of a memory-mapped national file."""
        meta = json.loads(table.schema.metadata[META_KEY])
        if keep is not None:
            table = table.filter(keep(table))
        rows = table.select(ROW_COLUMNS).to_pandas()
        rows["niveau"] = pd.Categorical(rows["niveau"].astype(str), categories=list(schema.NIVEAUS))
        n = len(meta["indicatoren"])
        waarde = np.empty((table.num_rows, n), dtype=np.float64)
        status = np.empty((table.num_rows, n), dtype=np.int8)
        for j in range(n):
            waarde[:, j] = table.column(f"w{j}").to_numpy()
            status[:, j] = table.column(f"s{j}").to_numpy()
        return cls(rows, meta["indicatoren"], meta["eenheden"], waarde, status, meta["bron"],
                   meta.get("meldingen", []))
