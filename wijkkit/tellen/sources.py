"""Raw access to input files: cells as a header plus rows, with Dutch errors.

Readers in :mod:`wijkkit.tellen.readers` build on this; they never open files themselves.
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import re
from pathlib import Path

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
DELIMITERS = [";", ",", "\t"]
YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


class RawTable:
    """Cells of one sheet: ``header`` (row 1) and the data rows below it.

    Excel sheets and small layouts hold their rows as Python lists; a CSV file is parsed by Arrow's
    CSV reader and keeps its columns as Arrow arrays (a national StatLine file is two million cells:
    never a Python object each). Readers ask for columns (:meth:`column`, :meth:`text_array`) and a
    sample of rows; ``rows`` builds Python lists only for who needs them (the story importer).
    """

    def __init__(self, bestand: str, header: list[str], rows: list[list] | None = None, delimiter: str | None = None,
                 *, titel: str = "", first_row: int = 2, arrow=None, decimal_comma: bool | None = None,
                 as_written=None):
        self.bestand, self.header, self.delimiter = bestand, header, delimiter
        self.titel = titel  # the title line of an older StatLine export ("Kerncijfers wijken en buurten 2015")
        self.first_row = first_row  # the line of the first data row as a person counts it
        self.arrow = arrow
        self.decimal_comma = decimal_comma  # None: not known from the file itself (Excel cells are numbers)
        self._as_written = as_written  # column index -> that column's cells as text, parsed again (for messages)
        self._rows = rows if rows is not None or arrow is not None else []

    @property
    def rows(self) -> list[list]:
        if self._rows is None:
            self._rows = [list(row) for row in zip(*(c.to_pylist() for c in self.arrow.columns))]
        return self._rows

    @property
    def n_rows(self) -> int:
        return self.arrow.num_rows if self._rows is None else len(self._rows)

    def column(self, index: int):
        """One column's cells: an Arrow array for a CSV file, else a tuple of Python values."""
        if self._rows is None:
            return self.arrow.column(index)
        return tuple(row[index] if index < len(row) else None for row in self._rows)

    def text_array(self, index: int, limit: int | None = None):
        """One column as trimmed text in an Arrow array ('' for an empty cell; 12.0 reads '12')."""
        import pyarrow as pa
        import pyarrow.compute as pc

        if self._rows is not None:
            rows = self._rows if limit is None else self._rows[:limit]
            return pa.array([_cell_text(row[index] if index < len(row) else None) for row in rows], type=pa.string())
        column = self.arrow.column(index)
        if limit is not None:
            column = column.slice(0, limit)
        if pa.types.is_floating(column.type) and _whole(column):
            column = pc.cast(column, pa.int64())
        text = pc.fill_null(pc.utf8_trim_whitespace(pc.cast(column, pa.string())), "")
        return text.combine_chunks() if isinstance(text, pa.ChunkedArray) else text

    def texts(self, index: int) -> list[str]:
        return self.text_array(index).to_pylist()

    def cell(self, row: int, index: int) -> str:
        """The cell as written, for a message."""
        column = self.column(index)
        if isinstance(column, tuple):
            return _cell_text(column[row])
        if self._as_written is not None and not _is_text(column.type):  # 1e309 was read as inf: show 1e309
            return _cell_text(self._as_written(index)[row].as_py())
        return _cell_text(column[row].as_py())

    def sample(self, n: int = 300) -> list[list]:
        """The first ``n`` rows as Python lists (for guessing what a column holds)."""
        if self._rows is None:
            part = self.arrow.slice(0, n)
            return [list(row) for row in zip(*(c.to_pylist() for c in part.columns))]
        return self._rows[:n]

    def column_index(self, name: str) -> int | None:
        try:
            return self.header.index(name)
        except ValueError:
            return None


def _is_text(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_string(kind) or pa.types.is_large_string(kind)


def _whole(column) -> bool:
    import pyarrow.compute as pc

    finite = pc.drop_null(column).to_numpy(zero_copy_only=False)
    return bool(len(finite)) and bool(((finite == finite.round()) & (abs(finite) < 2**53)).all())


def _cell_text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def read_raw(path: str | Path, *, sheet: str | int = 0, encoding: str = "utf-8-sig",
             delimiter: str | None = None, tekst: bool = False, data: bytes | None = None) -> RawTable:
    """The cells of a spreadsheet or CSV file. ``tekst``: every CSV cell as text (stories), else numbers are
    recognised while parsing (figures). ``data``: a CSV file's bytes, when the caller read them already."""
    path = Path(path)
    bestand = bestandsnaam(path)
    if data is None and not path.exists():
        raise WijkkitInputError(Probleem(bestand, "een bestaand bestand", gevonden=str(path)))
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        header, rows = _read_excel(path, bestand, sheet)
        table = RawTable(bestand, header, rows)
    elif suffix in CSV_SUFFIXES:
        table = _read_csv(path, bestand, encoding, delimiter, tekst=tekst, data=data)
    else:
        raise WijkkitInputError(Probleem(
            bestand, "een Excel-bestand (.xlsx, .xls, .ods) of CSV-bestand (.csv)",
            gevonden=suffix or "(geen extensie)"))
    if not table.header or all(h == "" for h in table.header):
        raise WijkkitInputError(Probleem(bestand, "een kopregel met kolomnamen in rij 1",
                                         rij=1, gevonden="een leeg bestand"))
    return table


def _read_excel(path: Path, bestand: str, sheet: str | int) -> tuple[list[str], list[list]]:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet_obj = (workbook.get_sheet_by_index(sheet) if isinstance(sheet, int)
                     else workbook.get_sheet_by_name(sheet))
        rows = sheet_obj.to_python(skip_empty_area=False)
    except Exception as exc:  # calamine raises its own error types per format
        raise WijkkitInputError(Probleem(
            bestand, "een leesbaar Excel-bestand", gevonden=f"{type(exc).__name__}: {exc}"
        )) from exc
    # Trailing empty rows are common in hand-edited sheets.
    while rows and all(c in ("", None) for c in rows[-1]):
        rows.pop()
    if not rows:
        return [], []
    header = [_header_text(c) for c in rows[0]]
    return header, rows[1:]


def _header_text(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip() if cell is not None else ""


def _read_csv(path: Path, bestand: str, encoding: str, delimiter: str | None, *, tekst: bool = False,
              data: bytes | None = None) -> RawTable:
    data = path.read_bytes() if data is None else data
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):  # Excel's "Unicode-tekst": its BOM says so
        encoding = "utf-16"
    utf8 = encoding.replace("-sig", "").lower().replace("_", "-") in ("utf-8", "utf8")
    # Arrow checks UTF-8 while it parses; a whole-file decode only where another encoding asks for it, or to
    # name the place of a byte Arrow refused
    text = _decode(data, bestand, encoding) if not utf8 else None
    raw = text.encode("utf-8") if text is not None else data
    start = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
    body = memoryview(raw)[start:]  # without the BOM, and without copying twenty megabytes to drop it
    end = raw.find(b"\n", start)
    first_line = _decode(raw[start: end if end >= 0 else len(raw)], bestand, "utf-8").rstrip("\r")
    if "\x00" in first_line or b"\x00" in raw[start:start + 1000]:
        raise WijkkitInputError(Probleem(
            bestand, "tekst in UTF-8-codering", rij=1,
            gevonden="nul-bytes (UTF-16 of een binair bestand)"))
    if not first_line.strip():
        return RawTable(bestand, [], [], delimiter)
    if is_old_statline(first_line):
        text = text if text is not None else _decode(bytes(body), bestand, "utf-8")
        return _read_old_statline(text.replace("\r\n", "\n").replace("\r", "\n"), bestand)
    if delimiter is None:
        delimiter = max(DELIMITERS, key=first_line.count)
    header = [h.strip() for h in next(iter(_csv_rows([first_line], bestand, delimiter)), [])]
    broken = _broken_quotes(header, delimiter)
    if broken:
        raise WijkkitInputError(Probleem(bestand, AANHALINGSTEKENS, rij=1, gevonden=broken))
    decimal_comma = not tekst and delimiter != "," and _comma_decimals(body, delimiter)
    arrow, problemen, as_written = _parse_csv(body, bestand, header, delimiter, tekst=tekst,
                                              decimal_comma=decimal_comma)
    if problemen:
        if any(p.verwacht == "geldige CSV-tekst" and "UTF8" in (p.gevonden or "") for p in problemen):
            _decode(data, bestand, encoding)  # names the row of the first byte that is not UTF-8
        raise WijkkitInputError(problemen)
    if any(pa_binary(column.type) for column in arrow.columns):  # Arrow's guess for cells that are not UTF-8
        _decode(data, bestand, encoding)
    table = RawTable(bestand, header, None, delimiter, arrow=arrow, decimal_comma=decimal_comma,
                     as_written=as_written)
    if not tekst:
        _check_quotes(arrow, bestand, delimiter)
    return table


def _csv_rows(lines, bestand: str, delimiter: str) -> list[list[str]]:
    """Rows by Python's csv module, its refusals in Dutch with the row (its own reasons are English)."""
    reader = csv.reader(lines, delimiter=delimiter, quotechar='"')
    try:
        return list(reader)
    except csv.Error as exc:
        te_lang = "field larger" in str(exc)
        raise WijkkitInputError(Probleem(
            bestand, f"cellen van hoogstens {csv.field_size_limit():,} tekens".replace(",", ".") if te_lang
            else "geldige CSV-tekst", rij=reader.line_num or 1,
            gevonden="een langere cel (ontbreekt er een aanhalingsteken?)" if te_lang else None)) from exc


def pa_binary(kind) -> bool:
    import pyarrow as pa

    return pa.types.is_binary(kind) or pa.types.is_large_binary(kind)


def _decode(data: bytes, bestand: str, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise WijkkitInputError(Probleem(
            bestand, f"tekst in {encoding.replace('-sig', '').upper()}-codering "
            "(sla het bestand op als 'CSV UTF-8' of geef de codering op, bv. encoding='cp1252')",
            rij=line, gevonden=f"byte 0x{data[exc.start]:02X}")) from exc


AANHALINGSTEKENS = ("aanhalingstekens die kloppen: de aanhalingstekens in dit bestand kloppen niet (open het "
                    "origineel opnieuw of download het opnieuw; sla het niet op vanuit een programma dat elke regel "
                    "tussen aanhalingstekens zet)")


def _broken_quotes(cells: list[str], delimiter: str) -> str | None:
    """A cell that still holds quotes around a separator ('"Amsterdam";"GM0363"'): the file's quoting is broken
    (a CSV re-saved with every line quoted once more), not its content."""
    for cell in cells:
        if f'"{delimiter}' in cell or f'{delimiter}"' in cell:
            return cell.strip()[:60]
    return None


def _check_quotes(table, bestand: str, delimiter: str, rows: int = 50) -> None:
    """The first rows' text cells, for quotes around a separator (see ``_broken_quotes``)."""
    import pyarrow.compute as pc

    for column in table.columns:
        if not _is_text(column.type):
            continue
        head = column.slice(0, rows)
        hits = pc.or_(pc.match_substring(head, f'"{delimiter}'), pc.match_substring(head, f'{delimiter}"'))
        found = pc.index(hits, True).as_py()
        if found >= 0:
            raise WijkkitInputError(Probleem(bestand, AANHALINGSTEKENS, rij=found + 2,
                                             gevonden=head[found].as_py().strip()[:60]))


# A block holds whole rows; a story of a few hundred KB in one cell must fit in one.
BLOCK_SIZE = 1 << 22


def _parse_csv(body: memoryview, bestand: str, header: list[str], delimiter: str, *, tekst: bool, decimal_comma: bool):
    """Arrow's CSV parser over the rows below the header; rows with another number of fields are collected as
    problems (every one, up to 50) instead of stopping at the first."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    names = [f"k{i}" for i in range(len(header))]
    problemen: list[Probleem] = []

    def invalid(row) -> str:
        content = (row.text or "").replace(delimiter, "").replace('"', "").strip()
        if not content:  # a line of separators only (a spreadsheet's empty row)
            return "skip"
        if len(problemen) < 50:
            quotes = (row.text or "").count('"') % 2
            rij = row.number if row.number is not None else None
            problemen.append(Probleem(bestand, AANHALINGSTEKENS, rij=rij, gevonden=(row.text or "")[:60]) if quotes
                             else Probleem(bestand, f"{len(header)} velden gescheiden door '{_show(delimiter)}', "
                                           "zoals in de kopregel", rij=rij, gevonden=f"{row.actual_columns} velden"))
        return "skip"


    # a line break inside a quoted cell: every story, but hardly a figures file (and parsing is faster without)
    newlines = tekst

    def parse(types: dict | None = None, threads: bool = True):
        read = pcsv.ReadOptions(column_names=names, skip_rows=1, use_threads=threads,
                                block_size=max(BLOCK_SIZE, min(len(body) + 1, 1 << 26)))
        options = pcsv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                    newlines_in_values=newlines, invalid_row_handler=invalid)
        convert = pcsv.ConvertOptions(
            column_types=types, null_values=[""], strings_can_be_null=True, quoted_strings_can_be_null=True,
            decimal_point="," if decimal_comma else ".", true_values=[], false_values=[])  # 'true'/'false' are text, never booleans
        return pcsv.read_csv(pa.py_buffer(body), read_options=read, parse_options=options, convert_options=convert)

    types = {n: pa.string() for n in names} if tekst else None
    try:
        table = parse(types)
        if problemen and not newlines:  # perhaps a quoted line break after all: parse as a story file would
            problemen.clear()
            newlines = True
            table = parse(types)
        if problemen:  # row numbers are only known to a parser on one thread
            problemen.clear()
            parse(types, threads=False)
            return None, problemen, None
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        reden = str(exc).split("\n")[0]
        return None, [Probleem(bestand, "geldige CSV-tekst", gevonden=reden[:120])], None

    @functools.cache
    def as_text():
        return _drop_empty_rows(parse({n: pa.string() for n in names}))

    def as_written(index: int):
        """A column's cells as text, for a message about a cell Arrow read as a number (1e309 became inf)."""
        return as_text().column(index)

    return _drop_empty_rows(table), [], as_written


def _comma_decimals(body: memoryview, delimiter: str) -> bool:
    """StatLine's plain CSV writes 0,6 and the CSV with symbols 0.6: count which one the first cells use."""
    sample = bytes(body[:20_000])
    edge = re.escape(delimiter.encode()) + rb'"\s'
    comma = len(re.findall(rb"(?:^|[" + edge + rb"])-?\d+,\d+(?=[" + edge + rb"]|$)", sample, flags=re.M))
    point = len(re.findall(rb"(?:^|[" + edge + rb"])-?\d+\.\d+(?=[" + edge + rb"]|$)", sample, flags=re.M))
    return comma > point


def _drop_empty_rows(table):
    """Rows without any content (an Excel export's trailing ';;;;') are not data."""
    import pyarrow.compute as pc

    if table.num_rows == 0 or table.num_columns == 0:
        return table
    if any(column.null_count == 0 and not _is_text(column.type) for column in table.columns):
        return table  # a column of numbers in every row: no row is empty
    empty = None
    for column in table.columns:
        none = pc.is_null(column)
        if column.type == "string":
            none = pc.or_(none, pc.equal(pc.utf8_trim_whitespace(column), ""))
        empty = none if empty is None else pc.and_(empty, none)
        if not pc.any(empty).as_py():
            return table
    return table.filter(pc.invert(empty))


OLD_TITLE = re.compile(r'^\ufeff?"[^";]+"\s*$')


def is_old_statline(first_line: str) -> bool:
    """An older StatLine export starts with its title alone on the first line, in quotes."""
    return bool(OLD_TITLE.match(first_line))


def _read_old_statline(text: str, bestand: str) -> RawTable:
    """The older StatLine layout: a title, an empty line, topic rows ("A|B|C"), a units row, then data.

    Becomes the shape of today's export: one header row with "A/B/C (unit)" per column.
    """
    rows = _csv_rows(io.StringIO(text), bestand, ";")
    title = rows[0][0].strip() if rows else ""
    index = 1
    while index < len(rows) and not any(c.strip() for c in rows[index]):
        index += 1
    topic_rows = []
    while index < len(rows) and rows[index] and not rows[index][0].strip():
        topic_rows.append(rows[index])
        index += 1
    if index >= len(rows) or not topic_rows:
        raise WijkkitInputError(Probleem(
            bestand, "een oudere StatLine-export: een titel, een lege regel, rijen met onderwerpen en een rij "
            "met eenheden", rij=index + 1, gevonden="geen rij met onderwerpen of eenheden"))
    units = rows[index]
    topics = max(topic_rows, key=lambda r: (len(r), sum("|" in c for c in r)))
    if len(topics) != len(units):
        raise WijkkitInputError(Probleem(
            bestand, "evenveel onderwerpen als eenheden (oudere StatLine-indeling)", rij=index + 1,
            gevonden=f"{len(topics)} onderwerpen, {len(units)} eenheden"))
    header = [units[0].strip()] + [
        f"{'/'.join(p.strip() for p in topic.split('|'))} ({unit.strip()})" if unit.strip()
        else "/".join(p.strip() for p in topic.split("|")) for topic, unit in zip(topics[1:], units[1:])]
    body = [row for row in rows[index + 1:] if any(c.strip() for c in row)]
    while body and len(body[-1]) == 1:  # a footer such as "Bron: CBS"
        body.pop()
    problemen = [Probleem(bestand, f"{len(header)} velden, zoals in de rij met eenheden", rij=index + 2 + k,
                          gevonden=f"{len(row)} velden") for k, row in enumerate(body) if len(row) != len(header)]
    if problemen:
        raise WijkkitInputError(problemen[:50])
    return RawTable(bestand, header, body, ";", titel=title, first_row=index + 2)


def _show(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else delimiter


def year_from_name(path: str | Path) -> int | None:
    """The last four-digit year in a file name (kwb-2023.xlsx -> 2023)."""
    found = YEAR_IN_NAME.findall(Path(path).stem)
    return int(found[-1]) if found else None


def find_column(table: RawTable, name: str) -> str | None:
    """The header as written for a column named in a mapping: exactly, or ignoring case and spaces when that
    points at one column ("Buurtcode" for "buurtcode")."""
    if name in table.header:
        return name
    loose = [h for h in table.header if h.casefold().strip() == str(name).casefold().strip()]
    return loose[0] if len(loose) == 1 else None


def missing_column_problem(table: RawTable, wanted: str, verwacht: str) -> Probleem:
    """A helpful message when a required column is absent: the nearest column name, or the separator that
    made the header one column."""
    import difflib

    gevonden = ", ".join(table.header[:8]) + (" ..." if len(table.header) > 8 else "")
    if len(table.header) == 1 and any(ch in table.header[0] for ch in ";,\t|:"):
        used = _show(table.delimiter) if table.delimiter else "?"
        other = next((_show(ch) for ch in ";,\t|:" if ch in table.header[0] and ch != table.delimiter), None)
        verwacht += (f" (de kopregel werd met '{used}' als scheidingsteken als één kolom gelezen"
                     + (f"; het bestand lijkt '{other}' te gebruiken" if other else "") + ")")
    else:
        close = difflib.get_close_matches(str(wanted).casefold(), [h.casefold() for h in table.header], n=1,
                                          cutoff=0.6)
        if close:
            name = next(h for h in table.header if h.casefold() == close[0])
            verwacht += f"; bedoel je '{name}'?"
    return Probleem(table.bestand, verwacht, rij=1, kolom=wanted, gevonden=gevonden)
