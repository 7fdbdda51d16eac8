"""Raw access to input files: cells as a header plus rows, with Dutch errors.

Readers in :mod:`wijkkit.tellen.readers` build on this; they never open files themselves.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam

EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
DELIMITERS = [";", ",", "\t"]
YEAR_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


@dataclass
class RawTable:
    """Cells of one sheet: ``header`` (row 1) and data ``rows`` (row 2 onwards)."""

    bestand: str
    header: list[str]
    rows: list[list]
    delimiter: str | None = None
    titel: str = ""  # the title line of an older StatLine export ("Kerncijfers wijken en buurten 2015")
    first_row: int = 2  # the line of the first data row as a person counts it

    def column_index(self, name: str) -> int | None:
        try:
            return self.header.index(name)
        except ValueError:
            return None


def read_raw(path: str | Path, *, sheet: str | int = 0, encoding: str = "utf-8-sig",
             delimiter: str | None = None) -> RawTable:
    path = Path(path)
    bestand = bestandsnaam(path)
    if not path.exists():
        raise WijkkitInputError(Probleem(bestand, "een bestaand bestand", gevonden=str(path)))
    suffix = path.suffix.lower()
    if suffix in EXCEL_SUFFIXES:
        header, rows = _read_excel(path, bestand, sheet)
        table = RawTable(bestand, header, rows)
    elif suffix in CSV_SUFFIXES:
        table = _read_csv(path, bestand, encoding, delimiter)
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


def _read_csv(path: Path, bestand: str, encoding: str, delimiter: str | None) -> RawTable:
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise WijkkitInputError(Probleem(
            bestand, f"tekst in {encoding.replace('-sig', '').upper()}-codering "
            "(sla het bestand op als 'CSV UTF-8' of geef de codering op, bv. encoding='cp1252')",
            rij=line, gevonden=f"byte 0x{data[exc.start]:02X}")) from exc
    if "\x00" in text[:1000]:
        raise WijkkitInputError(Probleem(
            bestand, "tekst in UTF-8-codering", rij=1,
            gevonden="nul-bytes (UTF-16 of een binair bestand)"))
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line = text.split("\n", 1)[0]
    if not first_line.strip():
        return RawTable(bestand, [], [], delimiter)
    if is_old_statline(first_line):
        return _read_old_statline(text, bestand)
    if delimiter is None:
        delimiter = max(DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar='"')
    try:
        rows = [row for row in reader]
    except csv.Error as exc:
        raise WijkkitInputError(Probleem(bestand, "geldige CSV-tekst", rij=reader.line_num,
                                         gevonden=str(exc))) from exc
    while rows and not any(cell.strip() for cell in rows[-1]):
        rows.pop()
    header = [h.strip() for h in rows[0]] if rows else []
    body = rows[1:]
    problemen = []
    for offset, row in enumerate(body):
        if len(row) != len(header) and any(cell.strip() for cell in row):
            problemen.append(Probleem(
                bestand, f"{len(header)} velden gescheiden door '{_show(delimiter)}', zoals in de kopregel",
                rij=offset + 2, gevonden=f"{len(row)} velden"))
        if len(problemen) >= 50:
            break
    if problemen:
        raise WijkkitInputError(problemen)
    body = [row for row in body if any(cell.strip() for cell in row)]
    return RawTable(bestand, header, body, delimiter)


OLD_TITLE = re.compile(r'^\ufeff?"[^";]+"\s*$')


def is_old_statline(first_line: str) -> bool:
    """An older StatLine export starts with its title alone on the first line, in quotes."""
    return bool(OLD_TITLE.match(first_line))


def _read_old_statline(text: str, bestand: str) -> RawTable:
    """The older StatLine layout: a title, an empty line, topic rows ("A|B|C"), a units row, then data.

    Becomes the shape of today's export: one header row with "A/B/C (unit)" per column.
    """
    rows = list(csv.reader(io.StringIO(text), delimiter=";", quotechar='"'))
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
