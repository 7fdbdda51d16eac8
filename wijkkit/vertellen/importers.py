"""Story importers: Markdown with YAML front matter, CSV/XLSX exports, DOCX and TXT transcripts.

Every importer yields raw records with their place in the file; :func:`read_stories` then
validates all of them and raises one error listing every bad row, so an import is
all-or-nothing.
"""

from __future__ import annotations

import codecs
import re
import stat
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml
from pydantic import ValidationError

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam
from wijkkit.tellen.sources import find_column, missing_column_problem, read_raw
from wijkkit.vertellen.model import STORY_FIELDS, Verhaal
from wijkkit.weergave import getal
from wijkkit.yamlfile import PYDANTIC_NL, kort, parse_yaml


@dataclass
class Record:
    """One raw story with where it came from (file, row as a person sees it)."""

    bestand: str
    rij: int | None
    data: dict


IMPORTERS: dict[str, Callable[..., list[Record]]] = {}


def register(*suffixes: str):
    def decorator(func):
        for suffix in suffixes:
            IMPORTERS[suffix] = func
        return func
    return decorator


class TextLoader(yaml.SafeLoader):
    """YAML without its own date parsing: '2024-02-30' reaches our date check (a Dutch message), not a
    ValueError from inside YAML, and '18-07-2025' is read the way Dutch people mean it."""


TextLoader.yaml_implicit_resolvers = {key: [(tag, regexp) for tag, regexp in resolvers
                                            if tag != "tag:yaml.org,2002:timestamp"]
                                      for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}

FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?(.*)\Z", re.S)
META_LINE = re.compile(r"^\s*(\w+)\s*:\s*(.*?)\s*$")


@register(".md", ".markdown")
def read_markdown(path: Path, defaults: Mapping | None = None, **_) -> list[Record]:
    text = _read_text(path)
    match = FRONT_MATTER.match(text)
    if not match:
        raise WijkkitInputError(Probleem(bestandsnaam(path), "YAML-kop tussen twee regels '---' bovenaan",
                                         rij=1, gevonden=text.splitlines()[0][:40] if text else "leeg bestand"))
    meta = parse_yaml(match[1], bestandsnaam(path), loader=TextLoader, eerste_rij=2) or {}
    if not isinstance(meta, dict):
        raise WijkkitInputError(Probleem(bestandsnaam(path), "velden als 'gebied: BU...' in de kop", rij=2))
    data = {**(defaults or {}), "id": path.stem, "bron": path.name, **meta, "tekst": match[2].strip()}
    return [Record(bestandsnaam(path), None, data)]


@register(".csv", ".xlsx", ".xls", ".ods")
def read_table(path: Path, defaults: Mapping | None = None, mapping: Mapping | None = None, **_) -> list[Record]:
    """One story per row; ``mapping`` names the column for each field (default: same name)."""
    table = read_raw(path, tekst=True)
    given = mapping or {}
    mapping = {field: find_column(table, given.get(field, field)) or given.get(field, field) for field in STORY_FIELDS}
    problemen = [missing_column_problem(table, column, f"een kolom '{column}' met de tekst van het verhaal (of een "
                                        "koppeling tekst=KOLOM)") for field, column in mapping.items()
                 if field == "tekst" and column not in table.header]
    problemen += [missing_column_problem(table, column, f"de kolom '{column}' uit de koppeling {field}={column}")
                  for field, column in mapping.items() if field in given and field != "tekst"
                  and column not in table.header]
    if problemen:
        raise WijkkitInputError(problemen)
    records = []
    for offset, row in enumerate(table.rows):
        data = dict(defaults or {})
        for field, column in mapping.items():
            if column in table.header:
                value = row[table.header.index(column)]
                if value not in (None, ""):
                    data[field] = value.strip() if isinstance(value, str) else value
        data.setdefault("id", f"{path.stem}-{offset + 2}")
        data.setdefault("bron", f"{path.name} rij {offset + 2}")
        records.append(Record(table.bestand, offset + 2, data))
    return records


@register(".txt")
def read_txt(path: Path, defaults: Mapping | None = None, **_) -> list[Record]:
    meta, body = _split_meta(_read_text(path).splitlines())
    return [Record(bestandsnaam(path), None, {**(defaults or {}), "id": path.stem, "bron": path.name, **meta,
                                               "tekst": body})]


# A Word transcript of a three-hour interview is a few MB unpacked; a file that unpacks to more is not a story
# but a decompression bomb (or a document full of pictures), and is refused before it is unpacked.
MAX_DOCX_BYTES = 100_000_000


@register(".docx")
def read_docx(path: Path, defaults: Mapping | None = None, **_) -> list[Record]:
    """Paragraphs and table cells in the order they stand (an interview is often typed in a table)."""
    import zipfile

    import docx

    bestand = bestandsnaam(path)
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise WijkkitInputError(Probleem(bestand, "een leesbaar Word-bestand (.docx)",
                                         gevonden=type(exc).__name__)) from exc
    if unpacked > MAX_DOCX_BYTES:
        raise WijkkitInputError(Probleem(bestand, f"een Word-bestand dat uitgepakt hoogstens "
                                         f"{getal(MAX_DOCX_BYTES // 1_000_000)} MB is",
                                         gevonden=f"{getal(unpacked // 1_000_000)} MB uitgepakt"))
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for broken files
        raise WijkkitInputError(Probleem(bestand, "een leesbaar Word-bestand (.docx)",
                                         gevonden=type(exc).__name__)) from exc
    meta, body = _split_meta(list(_docx_lines(document)))
    return [Record(bestand, None, {**(defaults or {}), "id": path.stem, "bron": path.name, **meta,
                                   "tekst": body})]


def _docx_lines(container):
    """Text of paragraphs and of table cells (row by row, merged cells once), nested tables included."""
    from docx.table import Table

    for block in container.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                seen = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell is repeated once per grid column
                        continue
                    seen.add(id(cell._tc))
                    yield from _docx_lines(cell)
        else:
            yield block.text


def _split_meta(lines: list[str]) -> tuple[dict, str]:
    """Transcripts may start with 'veld: waarde' lines (gebied, datum, methode ...) and a blank line."""
    meta, index = {}, 0
    while index < len(lines):
        match = META_LINE.match(lines[index])
        if not match or match[1].lower() not in STORY_FIELDS or match[1].lower() == "tekst":
            break
        meta[match[1].lower()] = match[2]
        index += 1
    body = "\n".join(lines[index:]).strip()
    return meta, body


def _read_text(path: Path) -> str:
    """A text file by its byte order mark (Word's "Unicode-tekst" is UTF-16 with one), else UTF-8."""
    data = path.read_bytes()
    encoding = ("utf-32" if data[:4] in (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
                else "utf-16" if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE) else "utf-8-sig")
    try:
        return data.decode(encoding).replace("\r\n", "\n").replace("\r", "\n")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        wat = "tekst in UTF-8" if encoding == "utf-8-sig" else f"tekst in {encoding.upper()} (zoals het begin belooft)"
        raise WijkkitInputError(Probleem(bestandsnaam(path), wat, rij=line,
                                         gevonden=f"byte 0x{data[exc.start]:02X}")) from exc


def find_story_files(source: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(source, (str, Path)):
        source = Path(source)
        if source.is_dir():
            return sorted(p for p in source.rglob("*") if p.suffix.lower() in IMPORTERS
                          and not p.name.startswith((".", "~$", "README")))
        return [source]
    return [Path(p) for p in source]


def _outside_or_special(path: Path, folder: Path | None) -> Probleem | None:
    """A story folder is read as what is in it: a link that leads out of it (to /etc/passwd, to the project's key)
    is refused, naming the link, and only regular files are read (a fifo would hang, a device would never end)."""
    try:
        target = path.resolve(strict=True)
        regular = stat.S_ISREG(target.stat().st_mode)
    except (OSError, RuntimeError):  # a broken link, or a loop of links
        return Probleem(bestandsnaam(path), "een bestand dat bestaat (dit is een link naar niets)",
                        gevonden=str(path))
    if folder is not None and not target.is_relative_to(folder):
        return Probleem(bestandsnaam(path), "een verhaal in de map zelf (links naar bestanden buiten de map worden "
                        "niet gevolgd)", gevonden=f"een link naar {target}")
    if not regular:
        return Probleem(bestandsnaam(path), "een gewoon bestand", gevonden="een speciaal bestand (geen tekst)")
    return None


def read_stories(source, *, gebieden: Iterable[str] | None = None, bestaande_ids: Iterable[str] = (),
                 defaults: Mapping | None = None, mapping: Mapping | None = None,
                 skip_existing: bool = False, rename: Callable[[str], str] | None = None) -> list[Verhaal]:
    """Read and validate stories; raise one error with every bad row, or return them all.

    With ``skip_existing`` stories whose id is already in the store are left out silently
    (for re-running an import on a folder that grows). ``rename`` maps an id from a file to the
    id it gets in the store (pseudonymised where it holds a name or number), before the checks
    for doubles.
    """
    records: list[Record] = []
    problemen: list[Probleem] = []
    folder = Path(source).resolve() if isinstance(source, (str, Path)) and Path(source).is_dir() else None
    for path in find_story_files(source):
        if not path.exists() and not path.is_symlink():
            problemen.append(Probleem(bestandsnaam(path), "een bestaand bestand of een map met verhalen (dit pad "
                                      "bestaat niet)", gevonden=str(path)))
            continue
        place = _outside_or_special(path, folder)
        if place is not None:
            problemen.append(place)
            continue
        importer = IMPORTERS.get(path.suffix.lower())
        if importer is None:
            problemen.append(Probleem(bestandsnaam(path), "een .md-, .csv-, .xlsx-, .docx- of .txt-bestand",
                                      gevonden=path.suffix or "(geen extensie)"))
            continue
        try:
            records += importer(path, defaults=defaults, mapping=mapping)
        except WijkkitInputError as exc:
            problemen += exc.problemen
    verhalen = validate_records(records, gebieden=gebieden, bestaande_ids=bestaande_ids,
                                skip_existing=skip_existing, rename=rename, problemen=problemen)
    if not verhalen and not (skip_existing and records):
        raise WijkkitInputError(Probleem(str(source), "minstens één verhaal", gevonden="geen verhalen"))
    return verhalen


# About 30,000 words, a three-hour interview: longer texts are almost always several stories in one file,
# and naming, tagging and coding a text of a million characters takes minutes and a gigabyte.
MAX_TEKENS = 200_000


def validate_records(records: list[Record], *, gebieden: Iterable[str] | None = None,
                     bestaande_ids: Iterable[str] = (), skip_existing: bool = False,
                     rename: Callable[[str], str] | None = None,
                     problemen: list[Probleem] | None = None) -> list[Verhaal]:
    """Check raw records the same way for every source of stories (files, other QDA tools).

    Raises one error listing every bad record (plus ``problemen`` found earlier), or returns
    the stories; with ``skip_existing`` those already in the store are left out.
    """
    problemen = list(problemen or [])
    known = set(gebieden) if gebieden is not None else None
    existing = set(bestaande_ids)
    seen: dict[str, str] = {}
    verhalen = []
    for record in records:
        data = {k: _plain(v) for k, v in record.data.items()}
        tekst = data.get("tekst")
        if isinstance(tekst, str) and len(tekst) > MAX_TEKENS:
            problemen.append(Probleem(record.bestand, f"een verhaal van hoogstens {getal(MAX_TEKENS)} tekens (splits "
                                      "een lange transcriptie in delen, bijvoorbeeld per onderwerp)", record.rij,
                                      "tekst", gevonden=f"{getal(len(tekst))} tekens"))
            continue
        try:
            verhaal = Verhaal.model_validate(data)
        except ValidationError as exc:
            problemen += [_probleem(record, err) for err in exc.errors()]
            continue
        if rename is not None:
            verhaal = verhaal.met_id(rename(verhaal.id))
        where = f"{record.bestand}" + (f" rij {record.rij}" if record.rij else "")
        if known is not None and verhaal.gebied not in known:
            problemen.append(Probleem(record.bestand, "een gebied uit de cijfers van dit project (alle codes en namen: "
                                      "'wijkkit tellen cijfers --gebieden')", record.rij, "gebied",
                                      gevonden=verhaal.gebied))
        elif verhaal.id in existing and skip_existing:
            continue
        elif verhaal.id in existing:
            problemen.append(Probleem(record.bestand, "een nieuw id (dit verhaal staat al in de store)",
                                      record.rij, "id", gevonden=verhaal.id))
        elif verhaal.id in seen:
            problemen.append(Probleem(record.bestand, f"een uniek id (ook gebruikt in {seen[verhaal.id]})",
                                      record.rij, "id", gevonden=verhaal.id))
        else:
            seen[verhaal.id] = where
            verhalen.append(verhaal)
    if problemen:
        raise WijkkitInputError(problemen)
    return verhalen


def _plain(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


VERWACHT = {
    "tekst": "de tekst van het verhaal (niet leeg)",
    "datum": "een datum als 2024-03-15",
    "methode": "een van: storytelling, straatgesprek, buurtbabbel, interview, verhalenavond, straatschouw, "
               "observatie, anders",
    "verteller_rol": "een van: bewoner, ondernemer, professional, jongere, anders",
    "toestemming": "een van: none, analyse, citeren-anoniem",
    "id": "een id van letters, cijfers, '-', '_' of '.'",
}


def _probleem(record: Record, err: dict) -> Probleem:
    field = str(err["loc"][0]) if err["loc"] else None
    if err["type"] == "missing":
        verwacht = f"het verplichte veld '{field}'" + (f": {VERWACHT[field]}" if field in VERWACHT else "")
    elif err["type"] == "extra_forbidden":
        verwacht = "alleen bekende velden: " + ", ".join(STORY_FIELDS)
    elif err["type"] == "string_too_long":
        limit = err.get("ctx", {}).get("max_length")
        value = err.get("input")
        return Probleem(record.bestand, f"hoogstens {limit} tekens", record.rij, field,
                        gevonden=f"{len(value)} tekens" if isinstance(value, str) else kort(value))
    elif err["type"] == "value_error":
        verwacht = str(err.get("ctx", {}).get("error", err["msg"]))
    else:
        verwacht = VERWACHT.get(field, PYDANTIC_NL.get(err["type"], err["msg"]))
    value = err.get("input")
    gevonden = None if err["type"] == "missing" else kort(value)
    return Probleem(record.bestand, verwacht, record.rij, field, gevonden=gevonden)
