"""Load indicator files (a file, a folder or a list) into one normalised tidy table."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam
from wijkkit.tellen import cache as cache_mod
from wijkkit.tellen.catalogus import Catalogus, concat_tables, load_catalogus
from wijkkit.tellen.breed import WideTable
from wijkkit.tellen.namen import Naamgeving
from wijkkit.tellen.readers import READERS
from wijkkit.tellen.sources import CSV_SUFFIXES, EXCEL_SUFFIXES, is_old_statline, read_raw

DATA_SUFFIXES = EXCEL_SUFFIXES | CSV_SUFFIXES
SCHOUW_KOLOMMEN = {"SubmissionDate", "_submission_time", "_uuid"}  # ODK Central, KoBoToolbox


def detect_format(path: Path) -> str:
    """kwb, statline or gemeentelijk, by what the file holds (never by its name alone)."""
    header = _first_line(path)
    return format_of_header(header.split(";") if header else [], header or "")


def format_of_header(header: list[str], first_line: str = "") -> str:
    """A KWB file has a ``gwb_code`` column; a StatLine download has hierarchical headers with units
    ("Bevolking/Aantal inwoners (aantal)"), a region column, or, in the older layout, a title line."""
    text = first_line or ";".join(header)
    if "gwb_code" in text:
        return "kwb"
    if is_old_statline(first_line) or ("/" in text and "(" in text) or "Perioden" in text \
            or "Wijken en buurten" in text or "Regio's" in text:
        return "statline"
    return "gemeentelijk"


def _first_line(path: Path) -> str | None:
    if not path.exists() or path.suffix.lower() not in CSV_SUFFIXES:
        return None
    with open(path, "rb") as handle:
        return handle.readline().decode("utf-8-sig", errors="replace")


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


@dataclass(frozen=True)
class Scope:
    """The rows of a figures file a project works on: its gemeente's own gemeente-, wijk- and buurt-rows, the
    country's row (NL00), and the gebieden it compares with on purpose (another gemeente, its wijken).

    A national file is read and checked whole (and cached whole); only these rows become the tidy table.
    """

    gemeente: str
    extra: frozenset[str] = frozenset()

    def mask(self, rows: pd.DataFrame) -> np.ndarray:
        keep = (rows["gemeente_code"] == self.gemeente).to_numpy() | (rows["niveau"] == "land").to_numpy()
        if self.extra:
            keep |= rows["gebied_code"].isin(self.extra).to_numpy()
        return keep

    def arrow_mask(self, table):
        import pyarrow as pa
        import pyarrow.compute as pc

        keep = pc.or_(pc.equal(table.column("gemeente_code").cast(pa.string()), self.gemeente),
                      pc.equal(table.column("niveau").cast(pa.string()), "land"))
        if self.extra:
            keep = pc.or_(keep, pc.is_in(table.column("gebied_code").cast(pa.string()),
                                         value_set=pa.array(sorted(self.extra))))
        return keep


def load_indicators(source: str | Path | Iterable[str | Path], *, format: str | None = None,
                    jaar: int | None = None, mapping: Mapping | None = None,
                    catalogus: Catalogus | None = None, cache: bool = True,
                    cache_dir: str | Path | None = None, scope: Scope | None = None,
                    naamgeving: Naamgeving | None = None) -> pd.DataFrame:
    """Read, normalise and derive indicators from one or more files, with a cache of each file as read.

    All files are validated whole before anything is cached or returned: one bad file means nothing of this
    call is kept. With ``scope`` only those rows become the tidy table (a project's own gemeente out of a
    national file); without it, every row does. ``naamgeving`` gives a names-only StatLine download its codes
    (:mod:`wijkkit.tellen.namen`); what it could not match is listed in ``result.attrs["meldingen"]``.
    """
    catalogus = catalogus or load_catalogus()
    cache_dir = Path(cache_dir) if cache_dir else cache_mod.default_cache_dir()
    tables, pending, meldingen = [], [], []
    files = find_files(source)
    missing = [Probleem(bestandsnaam(p), "een bestaand bestand of een map met cijferbestanden", gevonden=str(p))
               for p in files if not p.is_file()]
    if missing:
        raise WijkkitInputError(missing)
    try:
        for path in files:
            # a CSV file is read once: its bytes give the cache key and, on a miss, the table
            data = path.read_bytes() if path.suffix.lower() in CSV_SUFFIXES and format is None else None
            target = _cache_target(path, format, jaar, mapping, cache_dir, data, naamgeving) if cache else None
            wide = cache_mod.read_wide(target, scope.arrow_mask if scope else None) if target else None
            if wide is None:
                whole = read_one(path, format, jaar=jaar, mapping=mapping, data=data, naamgeving=naamgeving)
                if target:  # written while the rest of the call goes on, kept only if it all succeeds
                    pending.append(cache_mod.PendingWrite(whole, target))
                wide = whole.select(scope.mask(whole.rows)) if scope else whole
            meldingen += wide.meldingen
            tables.append(catalogus.derive(catalogus.normalise(wide.tidy())))
        combined = concat_tables(tables)
        if len(tables) > 1:
            check_overlap(tables, [bestandsnaam(p) for p in files])
    except BaseException:
        for write in pending:
            write.discard()
        raise
    for write in pending:  # only after every file passed
        write.commit()
    combined.attrs["meldingen"] = meldingen
    return combined


def _cache_target(path: Path, format: str | None, jaar, mapping, cache_dir: Path, data: bytes | None = None,
                  naamgeving: Naamgeving | None = None) -> Path:
    # the reader follows from the file's content, which the key already holds: detect only on a miss
    options = {"jaar": jaar, "mapping": dict(mapping) if mapping else None}
    if naamgeving is not None:  # other lists may give a names-only file other codes
        options["namen"] = naamgeving.sleutel()
    return cache_mod.cache_path(path, format or "auto", options, cache_dir, data)


def gemeenten_in(files: Iterable[Path], *, cache_dir: Path, mapped: Mapping | None = None,
                 naamgeving: Naamgeving | None = None) -> dict[str, str]:
    """Every gemeente the files hold figures for: code -> name (the code where a file names none)."""
    found: dict[str, str] = {}
    for path in files:
        mapping = (mapped or {}).get(Path(path).resolve())
        format = "gemeentelijk" if mapping else None
        target = _cache_target(Path(path), format, None, mapping, Path(cache_dir), naamgeving=naamgeving)
        wide = cache_mod.read_wide(target) or read_one(Path(path), format, mapping=mapping, naamgeving=naamgeving)
        rows = wide.rows.astype({"gebied_code": str, "gebied_naam": str, "niveau": str, "gemeente_code": str})
        for code, naam, niveau, gemeente in rows[["gebied_code", "gebied_naam", "niveau", "gemeente_code"]].itertuples(
                index=False):
            if niveau == "gemeente":
                found[code] = naam
            elif gemeente:
                found.setdefault(gemeente, gemeente)
    return found


def read_one(path: Path, reader: str | None, *, jaar=None, mapping=None, data: bytes | None = None,
             naamgeving: Naamgeving | None = None) -> WideTable:
    """Read one file with the given reader, or with the one its content asks for (a file is read once: its
    header decides, its cells are then used)."""
    table = None
    if reader is None:
        if path.suffix.lower() in EXCEL_SUFFIXES and path.exists():
            table = read_raw(path, sheet=(mapping or {}).get("sheet", 0))
            reader = format_of_header(table.header)
        elif data is not None:
            table = read_raw(path, data=data)
            reader = "statline" if table.titel else format_of_header(table.header)
        else:
            reader = detect_format(path)
    if reader not in READERS:
        raise WijkkitInputError(Probleem(bestandsnaam(path), "een bekend formaat: " + ", ".join(READERS),
                                         gevonden=reader))
    if reader == "gemeentelijk":
        if not mapping:
            table = table or read_raw(path)  # an empty or unreadable file says so first
            header = table.header
            if SCHOUW_KOLOMMEN & set(header) or any(h.startswith(("schouw/", "schouw-")) for h in header):
                raise WijkkitInputError(Probleem(
                    bestandsnaam(path), "cijferbestanden in deze map; dit is een export van een straatschouw (ODK "
                    "Central, KoBoToolbox): lees hem in met 'wijkkit schouw importeer BESTAND' en zet hem buiten de "
                    "map met cijfers (bv. in data/schouw/)", rij=1, gevonden=", ".join(h for h in header[:6] if h)))
            raise WijkkitInputError(Probleem(
                bestandsnaam(path), "een CBS-download: een KWB-bestand met een kolom 'gwb_code', of een StatLine-"
                "download (kopjes als 'Bevolking/Aantal inwoners (aantal)'); voor een eigen gemeentelijk bestand: een "
                "koppeling van kolommen in wijkkit.toml ([[tellen.bestanden]])", rij=1, kolom="gwb_code",
                gevonden=", ".join(h for h in header[:6] if h)))
        return READERS[reader](path, mapping, jaar=jaar)
    extra = {"table": table} if table is not None else {}
    if reader == "statline":
        extra["naamgeving"] = naamgeving
    return READERS[reader](path, jaar=jaar, **extra)


def check_overlap(tables: list[pd.DataFrame], names: list[str]) -> None:
    """Two files giving the same gebied, jaar and indicator would silently compete: say which two, and how often.

    One message per pair of files, with the total number of shared figures and an example, so a
    Utrecht-wide and a Zuilen-only download of the same table are recognised at once.
    """
    keys = ["gebied_code", "jaar", "indicator"]
    frames = [t[keys].astype({"gebied_code": str, "indicator": str}).drop_duplicates() for t in tables]
    problemen = []
    for i in range(len(frames)):
        for j in range(i + 1, len(frames)):
            shared = frames[i].merge(frames[j], on=keys)
            if len(shared):
                first = shared.sort_values(keys).iloc[0]
                problemen.append(Probleem(
                    f"{names[i]} en {names[j]}", "elk gebied, jaar en indicator in maar één bestand (gebruik één van "
                    "beide of haal de dubbele gebieden uit een van de twee)",
                    gevonden=f"{len(shared):,} dubbele cijfers, bv. {first.gebied_code} {first.jaar} "
                             f"{first.indicator}".replace(",", ".")))
    if problemen:
        raise WijkkitInputError(problemen)
