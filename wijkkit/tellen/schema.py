"""The tidy indicator table every reader returns, and the CBS conventions behind it.

One row per gebied x jaar x indicator, also where the value is missing: the ``status``
column says why (CBS symbol or sentinel), so a missing figure is never read as 0.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from wijkkit.errors import Probleem, excel_column_letter

COLUMNS = [
    "gebied_code",
    "gebied_naam",
    "niveau",
    "gemeente_code",
    "jaar",
    "indicator",
    "waarde",
    "status",
    "eenheid",
    "ind_wbi",
    "bron",
]
CATEGORICAL = ["gebied_code", "gebied_naam", "niveau", "gemeente_code", "indicator",
               "status", "eenheid", "bron"]

NIVEAUS = ("land", "gemeente", "wijk", "buurt")

# status -> Dutch explanation shown next to a missing figure.
STATUS = {
    "ok": "beschikbaar",
    "onbekend": "niet (of nog niet) beschikbaar bij CBS (.)",
    "geheim": "geheim: afgeschermd vanwege kleine aantallen (x)",
    "nihil": "nihil volgens CBS (-); niet als 0 ingelezen",
    "voorlopig_onbekend": "voorlopig cijfer nog niet beschikbaar (*)",
    "afgeschermd": "afgeschermd of onbekend (CBS-code onder -99990)",
    "leeg": "leeg vakje in het bestand",
    # appended last: the cache keeps statuses as positions in this list
    "weinig": "te weinig waarnemingen: minder dan de drempel van het project",
}
STATUS_CODES = list(STATUS)

# CBS symbols as they appear in cells (after stripping spaces).
SYMBOLS = {".": "onbekend", "x": "geheim", "X": "geheim", "-": "nihil", "\u2013": "nihil",
           "*": "voorlopig_onbekend", "": "leeg", "?": "onbekend"}
SENTINEL_LIMIT = -99990  # CBS writes -99997, -99995, -99999999 for protected/unknown cells

# The last characters of wijk and buurt codes may be letters: Amsterdam has WK0363AA and BU0363AA01.
CODE_PATTERNS = {
    "land": re.compile(r"^NL\d{2}$"),
    "gemeente": re.compile(r"^GM\d{4}$"),
    "wijk": re.compile(r"^WK\d{4}[0-9A-Z]{2}$"),
    "buurt": re.compile(r"^BU\d{4}[0-9A-Z]{4}$"),
}
PREFIX_NIVEAU = {"NL": "land", "GM": "gemeente", "WK": "wijk", "BU": "buurt"}
VERWACHT_CODE = ("een CBS-gebiedscode: GM + 4 cijfers, WK + 6 tekens of BU + 8 tekens (de laatste mogen letters "
                 "zijn, zoals WK0363AA en BU0363AA01), of NL00")
GEEN_CODES = ("gebiedscodes (GM..., WK..., BU...) naast de gebiedsnamen. Dit bestand heeft alleen namen: download "
              "het opnieuw bij CBS StatLine en kies bij Regioaanduiding ook 'Codering'")
VERWACHT_WAARDE = "een getal of een CBS-teken ('.', 'x', '-', '*')"


def niveau_of(code: str) -> str | None:
    """gemeente/wijk/buurt for a valid CBS code, else None."""
    niveau = PREFIX_NIVEAU.get(code[:2])
    if niveau and CODE_PATTERNS[niveau].match(code):
        return niveau
    return None


def gemeente_of(code: str) -> str:
    return "" if code.startswith("NL") else "GM" + code[2:6]


def wijk_of(code: str) -> str | None:
    """The wijk a buurt or wijk belongs to (derivable from the code itself)."""
    if code.startswith(("WK", "BU")):
        return "WK" + code[2:8]
    return None


ANY_CODE = "^(?:" + "|".join(p.pattern.strip("^$") for p in CODE_PATTERNS.values()) + ")$"


def _strings(values):
    """An Arrow string array of codes, from a list or as it is."""
    import pyarrow as pa

    return values if isinstance(values, pa.Array) else pa.array(values, type=pa.string())


def niveaus_of(codes) -> pd.Categorical:
    """The niveau of many valid codes at once (by their prefix, in Arrow rather than a Python loop)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    prefix = pc.utf8_slice_codeunits(_strings(codes), 0, 2)
    index = pc.index_in(prefix, value_set=pa.array(list(PREFIX_NIVEAU))).to_numpy(zero_copy_only=False)
    names = [PREFIX_NIVEAU[p] for p in PREFIX_NIVEAU]
    lookup = np.array([NIVEAUS.index(n) for n in names], dtype=np.int8)
    return pd.Categorical.from_codes(lookup[index.astype(np.int64)], categories=list(NIVEAUS))


def gemeenten_of(codes):
    """``gemeente_of`` for many codes at once."""
    import pyarrow.compute as pc

    array = _strings(codes)
    gemeente = pc.binary_join_element_wise("GM", pc.utf8_slice_codeunits(array, 2, 6), "")
    return pc.if_else(pc.starts_with(array, "NL"), "", gemeente)


def check_codes(codes: list, bestand: str, kolom: str, kolom_index: int,
                jaren=None, first_row: int = 2) -> list[Probleem]:
    """Problems for empty, malformed or duplicate gebied codes (row numbers as in the file).

    With ``jaren`` (files holding several years) a code must be unique per year. The common case (all
    codes fine) is checked at once; only a file with a problem is walked row by row to name each one.
    """
    import pyarrow.compute as pc

    array = _strings(codes)
    valid = pc.match_substring_regex(array, ANY_CODE)
    keys = pd.DataFrame({"code": array.to_pandas()} if jaren is None
                        else {"code": array.to_pandas(), "jaar": np.asarray(jaren)})
    if pc.all(valid).as_py() and not keys.duplicated().any():
        return []
    codes = array.to_pylist()
    problemen: list[Probleem] = []
    seen: dict[tuple, int] = {}
    letter = excel_column_letter(kolom_index)
    for offset, code in enumerate(codes):
        rij = first_row + offset
        key = (code, None if jaren is None else int(jaren[offset]))
        if not code:
            problemen.append(Probleem(bestand, VERWACHT_CODE, rij, kolom, letter, ""))
        elif niveau_of(code) is None:
            problemen.append(Probleem(bestand, VERWACHT_CODE, rij, kolom, letter, code))
        elif key in seen:
            wat = "een unieke gebiedscode" if jaren is None else f"één rij per gebied in {key[1]}"
            problemen.append(Probleem(
                bestand, f"{wat} (ook al gebruikt in rij {seen[key]})", rij, kolom, letter, code))
        else:
            seen[key] = rij
    return problemen


def parse_values(values: list | np.ndarray, *, decimal_comma: bool = False
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Turn one column of cells (numbers, numeric strings, CBS symbols) into floats.

    Returns ``(waarde, status_code, bad)``: float64 values (NaN where missing),
    int8 indexes into ``STATUS_CODES``, and the positions of cells that are neither a
    number nor a known symbol. The common all-numeric column takes one numpy call.
    """
    n = len(values)
    status = np.zeros(n, dtype=np.int8)
    if hasattr(values, "type"):  # an Arrow column from the CSV parser
        return _sentinels(*_parse_arrow(values, decimal_comma))
    if n and type(values[0]) is str:  # text cells: parse them in Arrow, not cell by cell
        parsed = _parse_text(values, decimal_comma)
        if parsed is not None:
            return _sentinels(*parsed)
    try:
        waarde = np.array(values, dtype=np.float64)
        bad_index = np.empty(0, dtype=np.intp)
    except (ValueError, TypeError):
        waarde, status, bad_index = _parse_mixed(values, decimal_comma)
    else:
        if not np.isfinite(waarde).all():  # None is an empty cell, but 'nan', 'inf' and 1e309 are no figures
            waarde, status, bad_index = _parse_mixed(values, decimal_comma)
    return _sentinels(waarde, status, bad_index)


def _sentinels(waarde: np.ndarray, status: np.ndarray, bad_index: np.ndarray):
    sentinel = waarde <= SENTINEL_LIMIT
    if sentinel.any():
        waarde = np.where(sentinel, np.nan, waarde)
        status[sentinel] = STATUS_CODES.index("afgeschermd")
    return waarde, status, bad_index


NUMBER = r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$"


def fill_numbers(column, waarde: np.ndarray, status: np.ndarray) -> np.ndarray | None:
    """Write a column Arrow's CSV parser already read as numbers (or left empty) into ``waarde`` and
    ``status`` (views of one column of the wide table) and return the positions of cells that are no figure;
    None for any other column (it is parsed from its text)."""
    import pyarrow as pa

    if not hasattr(column, "type"):
        return None
    if pa.types.is_null(column.type):
        waarde[:] = np.nan
        status[:] = _LEEG
        return np.empty(0, dtype=np.intp)
    if not (pa.types.is_integer(column.type) or pa.types.is_floating(column.type)):
        return None
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    waarde[:] = column.to_numpy(zero_copy_only=False)  # an empty cell is null, and becomes NaN
    status[:] = 0
    if column.null_count:
        status[column.is_null().to_numpy(zero_copy_only=False)] = _LEEG
    odd = ~np.isfinite(waarde) & (status == 0)  # 'nan', 'inf' and 1e309 are no figures
    sentinel = waarde <= SENTINEL_LIMIT
    if sentinel.any():
        waarde[sentinel] = np.nan
        status[sentinel] = STATUS_CODES.index("afgeschermd")
    return np.flatnonzero(odd).astype(np.intp)


def _parse_arrow(column, decimal_comma: bool):
    """A column as Arrow's CSV parser left it: numbers already (an empty cell is null), or text where a cell
    holds a CBS symbol or anything else."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if pa.types.is_null(column.type):  # a column without a single filled cell
        n = len(column)
        return np.full(n, np.nan), np.full(n, _LEEG, dtype=np.int8), np.empty(0, dtype=np.intp)
    if pa.types.is_integer(column.type) or pa.types.is_floating(column.type):
        if isinstance(column, pa.ChunkedArray):
            column = column.combine_chunks()
        waarde = column.to_numpy(zero_copy_only=False).astype(np.float64, copy=False)  # nulls become NaN
        if not column.null_count:
            status = np.zeros(len(waarde), dtype=np.int8)
            odd = ~np.isfinite(waarde)
        else:
            empty = column.is_null().to_numpy(zero_copy_only=False)
            status = np.where(empty, _LEEG, 0).astype(np.int8)
            odd = ~empty & ~np.isfinite(waarde)  # 'nan', 'inf' and 1e309 are no figures
        if odd.any():
            waarde = np.where(odd, np.nan, waarde)
        return waarde, status, np.flatnonzero(odd).astype(np.intp)
    text = column if pa.types.is_string(column.type) else pc.cast(column, pa.string())
    return _parse_text(text, decimal_comma)


def _parse_text(values, decimal_comma: bool):
    """All cells are text: trim, swap the decimal comma, cast and look up CBS symbols in Arrow.

    The common column (numbers and symbols only) takes one cast; a column with a bad cell is matched against
    the number pattern to find it. Returns None when the column is not all text (then it is parsed cell by cell).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        trimmed = pc.utf8_trim_whitespace(values if hasattr(values, "type") else pa.array(values, type=pa.string()))
    except (pa.ArrowTypeError, pa.ArrowInvalid):
        return None
    trimmed = pc.fill_null(trimmed, "")
    symbol = pc.index_in(trimmed, value_set=_symbol_values())
    candidates = pc.if_else(pc.is_null(symbol), trimmed, pa.scalar(None, pa.string()))
    if decimal_comma:
        candidates = pc.replace_substring(candidates, ",", ".")
    try:
        waarde = pc.cast(candidates, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        waarde = None
    if waarde is not None:
        waarde = waarde.to_numpy(zero_copy_only=False).astype(np.float64, copy=True)
        symbol = pc.fill_null(symbol, -1).to_numpy(zero_copy_only=False).astype(np.int64)
        status = np.where(symbol >= 0, _SYMBOL_STATUS[np.maximum(symbol, 0)], 0).astype(np.int8)
        bad = (symbol < 0) & ~np.isfinite(waarde)
        waarde[bad] = np.nan
        return waarde, status, np.flatnonzero(bad).astype(np.intp)
    text = pc.replace_substring(trimmed, ",", ".") if decimal_comma else trimmed
    is_number = pc.match_substring_regex(text, NUMBER)
    waarde = pc.cast(pc.if_else(is_number, text, pa.scalar(None, pa.string())), pa.float64())
    waarde = waarde.to_numpy(zero_copy_only=False).astype(np.float64, copy=True)
    symbol = pc.index_in(trimmed, value_set=_symbol_values()).to_numpy(zero_copy_only=False)
    symbol = np.where(np.isnan(symbol.astype(np.float64)), -1, symbol).astype(np.int64)
    number = is_number.to_numpy(zero_copy_only=False).astype(bool)
    status = np.where(symbol >= 0, _SYMBOL_STATUS[np.maximum(symbol, 0)], 0).astype(np.int8)
    bad = ~number & (symbol < 0)
    bad |= number & ~np.isfinite(waarde)  # 1e309: no figure either
    waarde[bad] = np.nan
    return waarde, status, np.flatnonzero(bad).astype(np.intp)


def _parse_mixed(values, decimal_comma: bool):
    """Cell by cell, with the common cases (float, CBS symbol) first: this loop is the hot path."""
    symbol_codes = _SYMBOL_CODES
    nan = float("nan")
    waarde, status, bad = [], [], []
    append_w, append_s = waarde.append, status.append
    for i, cell in enumerate(values):
        kind = type(cell)
        if (kind is float or kind is int) and cell == cell:
            append_w(cell)
            append_s(0)
            continue
        if cell is None or kind is float:  # None, or a float NaN: an empty cell
            append_w(nan)
            append_s(_LEEG)
            continue
        text = cell if kind is str else str(cell)
        code = symbol_codes.get(text)
        if code is None:
            try:
                append_w(float(text.replace(",", ".") if decimal_comma else text))
                append_s(0)
                continue
            except ValueError:
                code = symbol_codes.get(text.strip())
        append_w(nan)
        if code is None:
            append_s(0)
            bad.append(i)
        else:
            append_s(code)
    result = np.array(waarde, dtype=np.float64)
    codes = np.array(status, dtype=np.int8)
    # float() also accepts 'nan' and 'inf': those are not figures either
    odd = np.flatnonzero(~np.isfinite(result) & (codes == 0))
    bad_index = np.union1d(np.array(bad, dtype=np.intp), odd).astype(np.intp)
    result[bad_index] = np.nan
    return result, codes, bad_index


_SYMBOL_CODES = {symbol: STATUS_CODES.index(status) for symbol, status in SYMBOLS.items()}
_SYMBOL_STATUS = np.array(list(_SYMBOL_CODES.values()), dtype=np.int8)


def _symbol_values():
    import pyarrow as pa

    return pa.array(list(_SYMBOL_CODES), type=pa.string())
_LEEG = STATUS_CODES.index("leeg")


def empty_table() -> pd.DataFrame:
    return finalize({c: [] for c in COLUMNS})


def finalize(columns: dict) -> pd.DataFrame:
    """Build the tidy table with the agreed dtypes (categoricals keep it small and fast)."""
    df = pd.DataFrame({c: columns[c] for c in COLUMNS}, copy=False)
    for column in CATEGORICAL:
        if not isinstance(df[column].dtype, pd.CategoricalDtype):
            df[column] = df[column].astype("category")
    df["status"] = df["status"].cat.set_categories(STATUS_CODES)
    df["niveau"] = df["niveau"].cat.set_categories(list(NIVEAUS))
    df["jaar"] = df["jaar"].astype("int16")
    df["waarde"] = df["waarde"].astype("float64")
    df["ind_wbi"] = df["ind_wbi"].astype("Int16")
    return df
