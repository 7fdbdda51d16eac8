"""Readers: one input format each, all returning the tidy table of :mod:`schema`.

Every reader validates the whole file before returning anything, and raises one
:class:`WijkkitInputError` listing every bad cell, so an import is all-or-nothing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from wijkkit.errors import Probleem, WijkkitInputError, excel_column_letter
from wijkkit.tellen import namen as namen_mod
from wijkkit.tellen import schema
from wijkkit.tellen.breed import WideTable
from wijkkit.tellen.namen import Naamgeving
from wijkkit.tellen.sources import RawTable, find_column, missing_column_problem, read_raw, year_from_name

# KWB columns that describe the gebied rather than measure it.
KWB_ID_COLUMNS = {"gwb_code_10", "gwb_code_8", "regio", "gm_naam", "recs", "gwb_code",
                  "ind_wbi", "pst_mvp", "pst_dekp", "gm_code", "wk_code", "bu_code"}

READERS: dict[str, Callable[..., WideTable]] = {}


def register(name: str):
    """Add a reader to the registry so :func:`load_indicators` can dispatch to it.

    The registry keeps the reader as written (it returns the file as a :class:`WideTable`, which the cache
    keeps); the name it is imported by returns the tidy long table.
    """
    def decorator(func):
        READERS[name] = func

        @functools.wraps(func)
        def tidy(*args, **kwargs) -> pd.DataFrame:
            return func(*args, **kwargs).tidy()
        return tidy
    return decorator


@register("kwb")
def read_kwb(path: str | Path, jaar: int | None = None, *, bron: str | None = None,
             sheet: str | int = 0, encoding: str = "utf-8-sig", table: RawTable | None = None) -> WideTable:
    """Read a CBS *Kerncijfers wijken en buurten* file (xlsx or csv, one year)."""
    table = table or read_raw(path, sheet=sheet, encoding=encoding)
    jaar = _resolve_year(jaar, path, table.bestand)
    code_col = next((c for c in ("gwb_code", "gwb_code_10") if c in table.header), None)
    if code_col is None:
        raise WijkkitInputError(missing_column_problem(
            table, "gwb_code", "een kolom 'gwb_code' met CBS-gebiedscodes (KWB-formaat)"))
    codes = _code_column(table, code_col)
    naam_col = next((c for c in ("regio", "gm_naam") if c in table.header), None)
    namen = _text_column(table, naam_col) if naam_col else codes
    indicator_cols = [c for c in table.header if c not in KWB_ID_COLUMNS]
    if not indicator_cols:
        raise WijkkitInputError(Probleem(table.bestand, "kolommen met cijfers naast de gebiedscodes (zoals a_inw, "
                                         "p_huurw)", rij=1, gevonden=", ".join(table.header[:8])))
    wbi = None
    if "ind_wbi" in table.header:
        wbi = _int_column(table, "ind_wbi")
    return assemble(table, codes, code_col, namen, indicator_cols, jaar=jaar, wbi=wbi,
                     eenheden=None, bron=bron or f"CBS Kerncijfers wijken en buurten {jaar}",
                     decimal_comma=table.delimiter == ";")


STATLINE_UNIT = re.compile(r"^(?P<naam>.*?)\s*\((?P<eenheid>[^()]*)\)\s*$")
STATLINE_NAME_COLUMNS = ("Wijken en buurten", "Regio's", "Regio")
STATLINE_SKIP = ("ID", "Soort regio", "Gemeentenaam", "Regioaanduiding/Soort regio",
                 "Regioaanduiding/Gemeentenaam", "Regioaanduiding/Indelingswijziging")
DECIMAL_POINT = re.compile(r"^-?\d+\.\d+$")
DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


@register("statline")
def read_statline(path: str | Path, jaar: int | None = None, *, bron: str | None = None,
                  encoding: str = "utf-8-sig", table: RawTable | None = None,
                  naamgeving: Naamgeving | None = None) -> WideTable:
    """Read a CBS StatLine CSV: "CSV met statistische symbolen" (decimal point, padded cells), the plain
    "CSV" (decimal comma, empty cells for unknown) and the older layout (title line, topic rows with
    '|', a units row). Hierarchical headers become indicator names, "(eenheid)" the unit.

    A download with names only (no "Codering") gets its codes back by :mod:`wijkkit.tellen.namen`; the rows
    that cannot be matched are left out and named in ``WideTable.meldingen``."""
    table = table or read_raw(path, encoding=encoding)
    code_idx = _find_code_column(table)
    keep, meldingen = None, []
    if code_idx is None:
        codes, namen, naam_col, keep, melding = _codes_from_names(table, naamgeving)
        code_col = naam_col
        meldingen = [melding] if melding else []
    else:
        code_col = table.header[code_idx]
        codes = _code_column(table, code_col)
        naam_col = next((h for h in table.header if h in STATLINE_NAME_COLUMNS and h != code_col),
                        next((h for h in table.header if "naam" in h.lower() and h != code_col), None))
        namen = _text_column(table, naam_col) if naam_col else codes
    periode_col = next((h for h in table.header if h.lower() in ("perioden", "periode")), None)
    wbi_col = next((h for h in table.header if "Indelingswijziging" in h), None)
    skip = {code_col, naam_col, periode_col, wbi_col, *STATLINE_NAME_COLUMNS}
    indicator_cols, eenheden = [], {}
    for h in table.header:
        if h in skip or not h or h.startswith(STATLINE_SKIP):
            continue
        match = STATLINE_UNIT.match(h)
        indicator_cols.append(h)
        eenheden[h] = match["eenheid"] if match else ""
    if periode_col:
        jaren = _period_years(table, periode_col)
    else:
        jaren = _resolve_year(jaar or year_from_name(table.titel), path, table.bestand)
    wbi = _int_column(table, wbi_col) if wbi_col else None
    names = {h: (STATLINE_UNIT.match(h)["naam"] if STATLINE_UNIT.match(h) else h)
             for h in indicator_cols}
    wide = assemble(table, codes, code_col, namen, indicator_cols, jaar=jaren, wbi=wbi,
                    eenheden=eenheden, bron=bron or f"CBS StatLine ({table.bestand})",
                    decimal_comma=_decimal_comma(table, indicator_cols), per_year_codes=periode_col is not None,
                    keep=keep)
    wide.indicatoren = [names[c] for c in indicator_cols]
    wide.meldingen = meldingen
    return wide


def _codes_from_names(table: RawTable, naamgeving: Naamgeving | None):
    """Codes for a names-only download: (codes, names, name column, rows kept, message or None)."""
    naam_col = next((h for h in table.header if h in STATLINE_NAME_COLUMNS), None)
    if naam_col is None or naamgeving is None:
        raise WijkkitInputError(_no_codes_problem(table))
    soort_col = next((h for h in table.header if h in namen_mod.SOORT_COLUMNS), None)
    gm_col = next((h for h in table.header if h in namen_mod.GEMEENTENAAM_COLUMNS), None)
    namen = table.texts(table.header.index(naam_col))
    found = namen_mod.herleid(
        namen, naamgeving,
        soorten=table.texts(table.header.index(soort_col)) if soort_col else None,
        gemeentenamen=table.texts(table.header.index(gm_col)) if gm_col else None)
    keep = found.keep
    if not keep.any():
        reden = found.gemist[0][2] if found.gemist else "geen rijen"
        raise WijkkitInputError(Probleem(
            table.bestand, schema.GEEN_CODES + f"; wijkkit vond bij de namen geen codes ({reden}): zet de buurtkaart "
            "in data/ en noem de gemeente in wijkkit.toml, dan zoekt wijkkit de codes bij de namen", rij=1,
            kolom=naam_col, gevonden="alleen namen: " + ", ".join(n for _, n, _ in found.gemist[:3])))
    return found.codes, namen, naam_col, keep, found.melding(table.bestand, table.first_row)


def _decimal_comma(table: RawTable, columns: list[str]) -> bool:
    """StatLine's plain CSV writes 0,6 and the CSV with symbols 0.6: count which one the cells use."""
    if table.decimal_comma is not None:  # the CSV parser counted already
        return table.decimal_comma
    comma = point = 0
    sample = table.sample(300)
    for name in columns[:40]:
        idx = table.header.index(name)
        for row in sample:
            cell = str(row[idx]).strip() if idx < len(row) and row[idx] is not None else ""
            comma += bool(DECIMAL_COMMA.match(cell))
            point += bool(DECIMAL_POINT.match(cell))
    return comma > point


def _no_codes_problem(table: RawTable) -> Probleem:
    """One message for a file with region names but no codes (not one per row)."""
    first = table.header[0] if table.header else ""
    names = [str(r[0]).strip() for r in table.sample(3) if r]
    layout = " (oudere StatLine-indeling)" if table.titel else ""
    return Probleem(table.bestand, schema.GEEN_CODES, rij=1, kolom=first or None,
                    gevonden=f"alleen namen{layout}: {', '.join(names)}")


@register("gemeentelijk")
def read_municipal(path: str | Path, mapping: Mapping | None = None, *,
                   jaar: int | None = None, bron: str | None = None,
                   encoding: str = "utf-8-sig") -> WideTable:
    """Read a municipal CSV/XLSX with one row per gebied (and per jaar).

    ``mapping`` names the columns: ``gebied`` (CBS code, required), ``jaar`` (a column
    name or a fixed year), ``naam`` (optional), ``indicatoren`` (list of columns or
    ``{column: indicator_id}``; default all other columns), ``eenheden``, ``sheet``.
    """
    mapping = dict(mapping or {})
    table = read_raw(path, sheet=mapping.get("sheet", 0), encoding=encoding)
    code_col = find_column(table, mapping.get("gebied", "gebied_code")) or mapping.get("gebied", "gebied_code")
    if code_col not in table.header:
        raise WijkkitInputError(missing_column_problem(
            table, code_col, f"de kolom '{code_col}' met gebiedscodes (zie de koppeling 'gebied')"))
    codes = _text_column(table, code_col)
    naam_col = mapping.get("naam")
    naam_col = (find_column(table, naam_col) or naam_col) if naam_col else None
    if naam_col and naam_col not in table.header:
        raise WijkkitInputError(missing_column_problem(table, naam_col, f"de kolom '{naam_col}'"))
    namen = _text_column(table, naam_col) if naam_col else codes
    jaar_spec = mapping.get("jaar", jaar)
    if isinstance(jaar_spec, str) and not jaar_spec.isdigit():
        jaar_spec = find_column(table, jaar_spec) or jaar_spec
        if jaar_spec not in table.header:
            raise WijkkitInputError(missing_column_problem(table, jaar_spec, f"de kolom '{jaar_spec}'"))
        jaren = _period_years(table, jaar_spec)
        per_year = True
        used = {code_col, naam_col, jaar_spec}
    else:
        jaren = _resolve_year(int(jaar_spec) if jaar_spec else None, path, table.bestand)
        per_year = False
        used = {code_col, naam_col}
    wanted = mapping.get("indicatoren")
    renames = {find_column(table, c) or c: v for c, v in wanted.items()} if isinstance(wanted, Mapping) else {}
    indicator_cols = ([find_column(table, c) or c for c in wanted] if wanted
                      else [h for h in table.header if h not in used and h])
    missing = [c for c in indicator_cols if c not in table.header]
    if missing:
        raise WijkkitInputError([missing_column_problem(table, c, f"de kolom '{c}' (uit de koppeling)")
                                 for c in missing])
    eenheden = {c: mapping.get("eenheden", {}).get(renames.get(c, c), "") for c in indicator_cols}
    wide = assemble(table, codes, code_col, namen, indicator_cols, jaar=jaren, wbi=None,
                    eenheden=eenheden, bron=bron or mapping.get("bron") or f"Gemeente ({table.bestand})",
                    decimal_comma=table.delimiter == ";", per_year_codes=per_year)
    wide.indicatoren = [renames.get(c, c) for c in indicator_cols]
    return wide


# ---------------------------------------------------------------------------
# shared building blocks


def _resolve_year(jaar: int | None, path, bestand: str) -> int:
    jaar = jaar or year_from_name(path)
    if jaar is None:
        raise WijkkitInputError(Probleem(
            bestand, "een jaartal in de bestandsnaam (bv. kwb-2023.xlsx) of opgegeven met jaar=",
            gevonden=bestand))
    return int(jaar)


def _text_column(table: RawTable, name: str):
    """Trimmed text of a column as an Arrow array (codes and names of 18,000 gebieden stay out of Python)."""
    return table.text_array(table.header.index(name))


def _code_column(table: RawTable, name: str):
    """Gebied codes as CBS writes them: trimmed and in capitals (wk0363aa is WK0363AA)."""
    import pyarrow.compute as pc

    return pc.utf8_upper(_text_column(table, name))


def _int_column(table: RawTable, name: str) -> np.ndarray:
    """CBS's ind_wbi: 1 (unchanged), 2 or 3 (boundary changed); empty or '.' where not given."""
    values, status, bad = schema.parse_values(table.column(table.header.index(name)))
    outside = np.flatnonzero(~np.isnan(values) & ~np.isin(values, (1, 2, 3)))
    _raise_bad(table, name, np.union1d(bad, outside).astype(np.intp), "een geheel getal (1, 2 of 3)")
    return values


def _period_years(table: RawTable, name: str) -> np.ndarray:
    """Years as StatLine and spreadsheets write them: 2023, 2023JJ00, 2024* (provisional) or 2023.0."""
    import pyarrow.compute as pc

    idx = table.header.index(name)
    text = table.text_array(idx)
    found = pc.extract_regex(text, r"^(?P<jaar>(?:19|20)\d{2})(?:\.0)?(?:JJ00)?\*?$")
    years = pc.struct_field(found, "jaar")
    bad = np.flatnonzero(pc.is_null(years).to_numpy(zero_copy_only=False))
    if len(bad):
        raise WijkkitInputError([Probleem(table.bestand, "een jaartal zoals 2023 of 2023JJ00", int(i) + table.first_row,
                                          name, excel_column_letter(idx), text[int(i)].as_py()) for i in bad])
    return pc.cast(years, "int16").to_numpy(zero_copy_only=False)


def _find_code_column(table: RawTable) -> int | None:
    """The column that holds CBS gebied codes: the one whose filled cells all are codes, else the one
    named for codes ("...Codering", "gwb_code") if most of its cells are codes. None: no codes at all."""
    import pyarrow.compute as pc

    def share(idx: int) -> float:
        cells = table.text_array(idx, limit=300)
        filled = pc.sum(pc.not_equal(cells, "")).as_py() or 0
        codes = pc.sum(pc.match_substring_regex(cells, schema.ANY_CODE)).as_py() or 0
        return codes / filled if filled else 0.0

    shares = {}
    for idx, _ in enumerate(table.header):
        shares[idx] = share(idx)
        if shares[idx] == 1.0:
            return idx
    for idx, h in enumerate(table.header):
        if ("codering" in h.lower() or h.lower() in ("gwb_code", "regiocode")) and shares[idx] >= 0.5:
            return idx
    return None


def _raise_bad(table: RawTable, column: str, bad: np.ndarray, verwacht: str) -> None:
    if len(bad):
        idx = table.header.index(column)
        raise WijkkitInputError([
            Probleem(table.bestand, verwacht, int(i) + table.first_row, column, excel_column_letter(idx),
                     table.cell(int(i), idx)) for i in bad[:50]])


def assemble(table: RawTable, codes: list[str], code_col: str, namen: list[str],
              indicator_cols: list[str], *, jaar, wbi, eenheden: dict | None, bron: str,
              decimal_comma: bool, per_year_codes: bool = False, keep: np.ndarray | None = None) -> WideTable:
    """Validate codes and cells into the wide table (melted into the long one only where it is used).

    ``keep``: the rows that have a code (a names-only file whose other rows could not be matched); their codes
    were given by wijkkit, unique by construction, and are not checked as a file's codes are."""
    problemen: list[Probleem] = []
    if not table.n_rows:
        raise WijkkitInputError(Probleem(table.bestand, "minstens één rij met gegevens onder de kopregel",
                                         rij=2, gevonden="geen gegevens"))
    if keep is None:
        problemen += schema.check_codes(codes, table.bestand, code_col, table.header.index(code_col),
                                        jaren=jaar if per_year_codes else None, first_row=table.first_row)
    seen_cols: dict[str, int] = {}
    for idx, h in enumerate(table.header):
        if h in seen_cols:
            problemen.append(Probleem(table.bestand, f"unieke kolomnamen (al in kolom {excel_column_letter(seen_cols[h])})",
                                      1, h, excel_column_letter(idx), h))
        seen_cols.setdefault(h, idx)

    n_rows, n_ind = table.n_rows, len(indicator_cols)
    # column-major: each indicator is written, cached and read back as one contiguous block
    waarde = np.empty((n_rows, n_ind), dtype=np.float64, order="F")
    status = np.empty((n_rows, n_ind), dtype=np.int8, order="F")
    for j, col in enumerate(indicator_cols):
        idx = table.header.index(col)
        # a column the CSV parser already read as numbers is written straight into the wide table
        bad = schema.fill_numbers(table.column(idx), waarde[:, j], status[:, j])
        if bad is None:
            values, codes_j, bad = schema.parse_values(table.column(idx), decimal_comma=decimal_comma)
            waarde[:, j] = values
            status[:, j] = codes_j
        for i in bad[: max(0, 50 - len(problemen))]:
            problemen.append(Probleem(table.bestand, schema.VERWACHT_WAARDE, int(i) + table.first_row, col,
                                      excel_column_letter(idx), table.cell(int(i), idx)))
        if len(bad) and len(problemen) >= 50:
            break
    if problemen:
        raise WijkkitInputError(problemen)

    jaren = np.broadcast_to(np.asarray(jaar, dtype=np.int16), (n_rows,))
    if keep is not None:
        waarde, status, jaren = waarde[keep], status[keep], np.asarray(jaren)[keep]
        codes = [c for c, k in zip(codes, keep) if k]
        namen = [str(n) for n, k in zip(namen, keep) if k]
        wbi = None if wbi is None else np.asarray(wbi)[keep]
        n_rows = int(keep.sum())
    rows = pd.DataFrame({
        "gebied_code": _strings(codes),
        "gebied_naam": _strings(namen),
        "niveau": schema.niveaus_of(codes),
        "gemeente_code": _strings(schema.gemeenten_of(codes)),
        "jaar": np.array(jaren),
        "ind_wbi": pd.array(np.full(n_rows, np.nan) if wbi is None else np.asarray(wbi, dtype=np.float64),
                            dtype="Int16"),
    })
    return WideTable(rows, list(indicator_cols), [(eenheden or {}).get(c, "") for c in indicator_cols],
                     waarde, status, bron)


def _strings(values) -> pd.Series:
    """Text per row as pandas keeps it (Arrow-backed): the codes and names of 18,000 gebieden are never
    Python objects; only the rows a project uses become categories (in ``WideTable.tidy``)."""
    import pyarrow as pa

    array = values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())
    return array.to_pandas()
