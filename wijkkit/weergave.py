"""Showing what people wrote, safely and readably: text is text, numbers read the Dutch way.

One rule for every output: what residents, coders and knowledge circles typed is escaped
(HTML) or neutralised (spreadsheets), never interpreted as HTML, Markdown or a formula.
Notebooks and pages build their HTML with :func:`esc` and show tables with :func:`tabel`;
exports pass through :func:`spreadsheet_veilig` / :func:`excel_als_tekst`.
"""

from __future__ import annotations

import html
import math
import numbers

import pandas as pd

from wijkkit.stuurtekens import zonder_stuurtekens

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def esc(value) -> str:
    """Any value as HTML text: escaped, without bidirectional controls (they would reorder the page around it),
    and empty for None/NaN (never the word 'nan')."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    return html.escape(zonder_stuurtekens(str(value)), quote=True)


def tekst_html(value) -> str:
    """Escaped text with its line breaks kept."""
    return esc(value).replace("\r\n", "\n").replace("\n", "<br>")


def citaat_html(citaat, wie: str = "") -> str:
    """A quote as a blockquote: the quote and who said it, both as text."""
    bij = f"<br><i>{esc(wie)}</i>" if wie else ""
    return f"<blockquote>{tekst_html(citaat)}{bij}</blockquote>"


def getal(value, decimals: int | None = None) -> str:
    """A number as Dutch people read it: 35.255, 12,5, 2023 (years never get a dot); '–' when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if not isinstance(value, numbers.Number):
        return str(value)
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and not text.strip("-0.,"):  # -0.04 rounds to "-0,0": a sign with no number
        text = text[1:]
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def jaar(value) -> str:
    """A year as written: 2023, never 2.023 or 2023,0."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return str(int(value))
    return str(value)  # a span such as "2022–2024"


def _cell(value, decimals: int | None, year_like: bool) -> str:
    if year_like:
        return jaar(value)
    if isinstance(value, (bool,)) or isinstance(value, numbers.Number):
        return getal(value, decimals)
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return str(value)


def tabel(frame: pd.DataFrame, *, decimalen: dict[str, int] | None = None, jaren: tuple[str, ...] = ()):
    """A pandas Styler that escapes every cell, writes numbers the Dutch way and hides the index.

    Columns named like a year ("jaar", "basisjaar", ...) or listed in ``jaren`` are written as
    years; ``decimalen`` fixes the number of decimals per column (otherwise 0 for whole numbers, 1 else).
    """
    decimalen = decimalen or {}
    formats = {}
    for column in frame.columns:
        name = str(column).casefold()
        year_like = column in jaren or name in ("jaar", "jaren") or name.endswith("jaar")
        formats[column] = (lambda v, d=decimalen.get(column), y=year_like: _cell(v, d, y))
    return frame.style.format(formats, escape="html", na_rep="–").hide(axis="index")


def spreadsheet_veilig(value):
    """A cell that a spreadsheet program shows as text: formulas get a leading apostrophe (OWASP), bidirectional
    controls go."""
    if isinstance(value, str):
        value = zonder_stuurtekens(value)
        if value.startswith(FORMULA_START):
            return "'" + value
    return value


def spreadsheet_tabel(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every text cell (and column name) neutralised for CSV export."""
    safe = frame.copy()
    for column in safe.columns:
        if safe[column].dtype == object or isinstance(safe[column].dtype, pd.StringDtype):
            safe[column] = safe[column].map(spreadsheet_veilig)
    safe.columns = [spreadsheet_veilig(c) for c in safe.columns]
    return safe


def excel_als_tekst(sheet) -> int:
    """Make every text cell of an openpyxl sheet a text cell, also when it starts with '='.

    openpyxl turns any string starting with '=' into a live formula; here it stays the text a
    resident typed. Returns how many cells were changed.
    """
    changed = 0
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith(FORMULA_START)):
                cell.data_type = "s"
                changed += 1
    return changed


def periode(values) -> str:
    """A span of years as a person writes it: "2023", "2022–2024", "" without any (never "2022–2022")."""
    years = sorted({int(y) for y in values if y is not None and y == y})
    if not years:
        return ""
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def met_eenheid(tekst: str, eenheid) -> str:
    """A value with its unit as it reads: "31,7 per 1.000 inwoners", but "150", never "150 aantal"."""
    eenheid = "" if eenheid is None or (isinstance(eenheid, float) and math.isnan(eenheid)) else str(eenheid)
    return tekst if eenheid.strip().lower() in ("", "aantal") else f"{tekst} {eenheid}"


MAANDEN = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december")


def datum(value) -> str:
    """A date as a Dutch reader writes it: "14 mei 2024"."""
    return f"{value.day} {MAANDEN[value.month - 1]} {value.year}"


def dagen(values) -> str:
    """Days as a Dutch reader lists them: "14, 15 en 16 mei 2024", "30 april en 2 mei 2024"."""
    days = sorted(values)
    if not days:
        return ""
    if len({(d.year, d.month) for d in days}) == 1:
        numbers = [str(d.day) for d in days]
        head = ", ".join(numbers[:-1]) + " en " + numbers[-1] if len(numbers) > 1 else numbers[0]
        return f"{head} {MAANDEN[days[0].month - 1]} {days[0].year}"
    shown = [datum(d) for d in days[:4]]
    return ", ".join(shown[:-1]) + " en " + shown[-1] + (" en later" if len(days) > 4 else "")
