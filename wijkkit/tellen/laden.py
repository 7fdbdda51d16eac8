"""Load indicator files (a file, a folder or a list) into one normalised tidy table."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam
from wijkkit.tellen import cache as cache_mod
from wijkkit.tellen.catalogus import Catalogus, concat_tables, load_catalogus
from wijkkit.tellen.readers import READERS
from wijkkit.tellen.sources import CSV_SUFFIXES, EXCEL_SUFFIXES

DATA_SUFFIXES = EXCEL_SUFFIXES | CSV_SUFFIXES


def detect_format(path: Path) -> str:
    """kwb, statline or gemeentelijk: from the first line of a CSV, else from the file name."""
    if path.suffix.lower() in CSV_SUFFIXES and path.exists():
        with open(path, "rb") as handle:
            first = handle.readline().decode("utf-8-sig", errors="replace")
        if "gwb_code" in first:
            return "kwb"
        if "/" in first and "(" in first and ";" in first:
            return "statline"
    name = path.name.lower()
    if "kwb" in name or "kerncijfers" in name:
        return "kwb"
    return "gemeentelijk"


def find_files(source: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(source, (str, Path)):
        source = Path(source)
        if source.is_dir():
            files = sorted(p for p in source.iterdir()
                           if p.suffix.lower() in DATA_SUFFIXES and not p.name.startswith((".", "~$")))
            if not files:
                raise WijkkitInputError(Probleem(
                    bestandsnaam(source), "een map met .xlsx- of .csv-bestanden met cijfers",
                    gevonden="geen bruikbare bestanden"))
            return files
        return [source]
    return [Path(p) for p in source]


def load_indicators(source: str | Path | Iterable[str | Path], *, format: str | None = None,
                    jaar: int | None = None, mapping: Mapping | None = None,
                    catalogus: Catalogus | None = None, cache: bool = True,
                    cache_dir: str | Path | None = None) -> pd.DataFrame:
    """Read, normalise and derive indicators from one or more files, with a parquet cache.

    All files are validated before anything is cached or returned: one bad file means
    nothing of this call is kept.
    """
    catalogus = catalogus or load_catalogus()
    cache_dir = Path(cache_dir) if cache_dir else cache_mod.default_cache_dir()
    catalog_key = hashlib.blake2b(catalogus.model_dump_json().encode(), digest_size=8).hexdigest()
    tables, pending = [], []
    for path in find_files(source):
        reader = format or detect_format(path)
        options = {"jaar": jaar, "mapping": dict(mapping) if mapping else None, "catalogus": catalog_key}
        target = cache_mod.cache_path(path, reader, options, cache_dir) if cache else None
        table = cache_mod.read_cached(target) if target else None
        if table is None:
            table = read_one(path, reader, jaar=jaar, mapping=mapping, catalogus=catalogus)
            if target:
                pending.append((table, target))
        tables.append(table)
    combined = concat_tables(tables)
    if len(tables) > 1:
        check_overlap(combined)
    for table, target in pending:  # only after every file passed
        cache_mod.write_cached(table, target)
    return combined


def read_one(path: Path, reader: str, *, jaar=None, mapping=None, catalogus: Catalogus) -> pd.DataFrame:
    if reader not in READERS:
        raise WijkkitInputError(Probleem(bestandsnaam(path), "een bekend formaat: " + ", ".join(READERS),
                                         gevonden=reader))
    if reader == "gemeentelijk":
        if not mapping:
            raise WijkkitInputError(Probleem(
                bestandsnaam(path), "een CBS-bestand (kwb-JAAR.xlsx of StatLine-CSV) of, voor eigen "
                "gemeentelijke bestanden, een koppeling van kolommen (mapping)"))
        table = READERS[reader](path, mapping, jaar=jaar)
    else:
        table = READERS[reader](path, jaar=jaar)
    return catalogus.derive(catalogus.normalise(table))


def check_overlap(df: pd.DataFrame) -> None:
    """Two files giving the same gebied, jaar and indicator would silently compete."""
    keys = ["gebied_code", "jaar", "indicator"]
    dup = df.duplicated(keys, keep=False)
    if not dup.any():
        return
    clash = df.loc[dup, keys + ["bron"]].head(40)
    problemen = []
    for (code, jaar, indicator), group in clash.groupby(keys, observed=True):
        bronnen = " en ".join(sorted(set(group["bron"].astype(str))))
        problemen.append(Probleem(bronnen, "elk gebied, jaar en indicator in maar één bestand",
                                  kolom=str(indicator), gevonden=f"{code} {jaar} dubbel"))
    raise WijkkitInputError(problemen)
