"""Optional: fetch KWB tables from CBS open data (cbsodata), cached locally (Arrow IPC).

wijkkit works fully without network; this only saves a download step for people who
have internet at the office. Once fetched, the cached table is used offline.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from wijkkit.errors import Probleem, WijkkitInputError
from wijkkit.tellen import cache as cache_mod
from wijkkit.tellen.readers import assemble
from wijkkit.tellen.sources import RawTable

# CBS table ids of Kerncijfers wijken en buurten per year.
# 2014-2024 agree across three independent public projects that fetch them; 2013 (82339NED) has another
# layout (RegioS) and 2025 (86165NED) is fetched
# by public code from CBS's newer OData v4 service only, which cbsodata does not read (not tried here).
KWB_TABLES = {2014: "82931NED", 2015: "83220NED", 2016: "83487NED", 2017: "83765NED", 2018: "84286NED",
              2019: "84583NED", 2020: "84799NED", 2021: "85039NED", 2022: "85318NED",
              2023: "85618NED", 2024: "85984NED"}
SUFFIX = re.compile(r"_\d+$")
ID_KEYS = ("ID", "WijkenEnBuurten", "Gemeentenaam", "SoortRegio", "Codering", "IndelingswijzigingWijkenEnBuurten",
           "MeestVoorkomendePostcode", "Dekkingspercentage")


def table_id(jaar: int) -> str:
    if jaar not in KWB_TABLES:
        raise WijkkitInputError(Probleem("cbsodata", "een jaar met een bekende KWB-tabel: "
                                         + ", ".join(map(str, KWB_TABLES)), gevonden=str(jaar)))
    return KWB_TABLES[jaar]


def fetch_kwb(jaar: int, gemeente: str, *, cache_dir: str | Path | None = None,
              refresh: bool = False) -> pd.DataFrame:
    """KWB figures of one gemeente (gemeente, wijken, buurten) for one year, as the tidy table."""
    tid = table_id(jaar)
    cache_dir = Path(cache_dir) if cache_dir else cache_mod.default_cache_dir()
    target = cache_dir / f"cbsodata-{tid}-{gemeente}{cache_mod.SUFFIX}"
    if not refresh:
        cached = cache_mod.read_cached(target)
        if cached is not None:
            return cached
    try:
        import cbsodata
    except ImportError as exc:
        raise WijkkitInputError(Probleem("cbsodata", "het pakket cbsodata (pip install 'wijkkit[online]')")) from exc
    try:
        records = cbsodata.get_data(tid, filters=f"substringof('{gemeente[2:]}',Codering_3)")
    except Exception as exc:  # network errors come in many types; a person reads Dutch, the log keeps the rest
        raise WijkkitInputError(Probleem(
            f"CBS-tabel {tid}", "een internetverbinding met CBS (wijkkit werkt verder zonder: download de tabel "
            "bij CBS StatLine, ook met alleen namen, of kwb-JAAR.xlsx, en zet het bestand in data/)",
            gevonden=_offline_reden(exc))) from exc
    table = from_odata(pd.DataFrame(records), jaar, bron=f"CBS open data {tid} (Kerncijfers wijken en buurten {jaar})",
                       gemeente=gemeente)
    cache_mod.write_cached(table, target)
    return table


def _offline_reden(exc: BaseException) -> str:
    """What went wrong, in Dutch words: no exception class names or English library text on a person's screen."""
    text = f"{type(exc).__name__} {exc}".casefold()
    if "timeout" in text or "timed out" in text:
        return "CBS antwoordde niet op tijd"
    if any(w in text for w in ("connection", "resolve", "name or service", "network", "unreachable")):
        return "geen verbinding met internet (of CBS is niet bereikbaar)"
    return "het ophalen bij CBS mislukte"


def from_odata(frame: pd.DataFrame, jaar: int, *, bron: str, gemeente: str | None = None) -> pd.DataFrame:
    """Convert a cbsodata KWB frame (keys like AantalInwoners_5) into the tidy table."""
    bestand = bron
    if frame.empty:
        raise WijkkitInputError(Probleem(bestand, "minstens één gebied", gevonden="lege tabel"))
    renamed = {c: SUFFIX.sub("", c) for c in frame.columns}
    frame = frame.rename(columns=renamed)
    if "Codering" not in frame.columns:
        raise WijkkitInputError(Probleem(bestand, "een kolom Codering met gebiedscodes", kolom="Codering"))
    frame = frame.assign(Codering=frame["Codering"].astype(str).str.strip())
    if gemeente:
        frame = frame[frame["Codering"].str[2:6] == gemeente[2:]]
    header = list(frame.columns)
    rows = frame.astype(object).where(frame.notna(), ".").values.tolist()
    raw = RawTable(bestand, header, rows)
    names = [str(n).strip() for n in frame["WijkenEnBuurten"]] if "WijkenEnBuurten" in frame else list(frame["Codering"])
    indicator_cols = [c for c in header if c not in ID_KEYS and pd.api.types.is_numeric_dtype(frame[c])]
    wbi = None
    if "IndelingswijzigingWijkenEnBuurten" in frame:
        wbi = pd.to_numeric(frame["IndelingswijzigingWijkenEnBuurten"], errors="coerce").to_numpy()
    return assemble(raw, list(frame["Codering"]), "Codering", names, indicator_cols, jaar=jaar, wbi=wbi,
                    eenheden=None, bron=bron, decimal_comma=False).tidy()
