"""Read a REFI-QDA project (``.qdpx``) from any tool into plain objects, positions made right.

Tools disagree on what a position counts. NVivo counts UTF-16 code units (an emoji counts 2),
ATLAS.ti and QualCoder count a Windows line break (CRLF) as one character, MAXQDA as two.
Where a selection carries the text it coded (its ``name``), every way of counting is tried
and the one under which the positions point at that text wins; otherwise the tool's known
habit is used and a Dutch warning says the positions could not be checked. Positions come out
as code points over the text with ``\\n`` line endings, the way wijkkit stores stories.

Nothing here touches the store: :mod:`wijkkit.uitwisselen.qda_import` does that.
"""

from __future__ import annotations

import bisect
import io
import re
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from wijkkit.codebook import Codebook
from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam
from wijkkit.uitwisselen.qdc import codebook_from_codes, norm_guid

HEEL_VERHAAL = "heel verhaal"  # Description of a selection that codes the whole story (wijkkit's own export)
VALENTIE_REGEL = re.compile(r"^valentie bij (?P<thema>.+): (?P<valentie>[\w-]+)$")
TELLINGEN = ("lf", "crlf", "utf16", "utf16-lf")
UITLEG_TELLING = {"lf": "tekens, een regeleinde telt als één (ATLAS.ti, QualCoder, wijkkit)",
                  "crlf": "tekens, een Windows-regeleinde telt als twee (MAXQDA)",
                  "utf16": "UTF-16-eenheden, een emoji telt als twee (NVivo)",
                  "utf16-lf": "UTF-16-eenheden, een regeleinde telt als één"}
MAX_SOURCE_BYTES = 50_000_000


@dataclass
class Selectie:
    start: int
    end: int
    codeur: str
    codes: list[str]  # guids of the codes applied to this span
    tekst: str | None = None  # the coded text as the other tool wrote it (``name``), to check positions
    memo: str = ""  # a selection's Description: a coding memo (QualCoder, MAXQDA)
    notes: list[str] = field(default_factory=list)  # NoteRef guids on the selection and its codings
    heel_verhaal: bool = False
    ruwe_start: int = 0
    ruwe_end: int = 0
    valenties: dict[str, str] = field(default_factory=dict)  # theme label -> valence id, said in the Description


def valentie_regel(thema_label: str, valentie: str) -> str:
    """The line in a selection's Description that pairs a valence with its theme (see :mod:`.qdpx`)."""
    return f"valentie bij {thema_label}: {valentie}"


def _description(text: str) -> tuple[str, bool, dict[str, str]]:
    """A selection's Description as (memo, whole story?, valence per theme label): wijkkit's own lines taken out."""
    parts, whole, valences = [], False, {}
    for part in re.split(r"\n\s*\n", text.strip()):
        match = VALENTIE_REGEL.match(part.strip())
        if part.strip() == HEEL_VERHAAL:
            whole = True
        elif match:
            valences[match["thema"]] = match["valentie"]
        elif part.strip():
            parts.append(part.strip())
    return "\n\n".join(parts), whole, valences


@dataclass
class Bron:
    guid: str
    naam: str
    tekst: str  # with \n line endings
    ruw: str  # as in the file
    variabelen: dict = field(default_factory=dict)
    selecties: list[Selectie] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    index: int = 0  # place in the file (for messages)


@dataclass
class Notitie:
    guid: str
    naam: str
    tekst: str
    codeur: str


@dataclass
class Casus:
    naam: str | None
    variabelen: dict
    bronnen: list[str]


@dataclass
class QdaProject:
    naam: str
    origin: str
    codebook: Codebook
    by_guid: dict[str, tuple[str, str]]
    bronnen: list[Bron]
    notities: dict[str, Notitie]
    links: list[tuple[str, str]]
    cases: list[Casus]
    code_notes: dict[str, list[str]]  # code guid -> note guids (Code/NoteRef)
    bron_groepen: dict[str, list[str]]  # source guid -> names of source sets
    telling: str = "lf"
    waarschuwingen: list[str] = field(default_factory=list)


def _fail(bestand: str, verwacht: str, gevonden: str, rij: int | None = None, kolom: str | None = None):
    raise WijkkitInputError(Probleem(bestand, verwacht, rij=rij, kolom=kolom, gevonden=gevonden, soort="veld"))


def _qde_name(archive: zipfile.ZipFile, bestand: str) -> str:
    names = [n for n in archive.namelist() if n.lower().endswith(".qde") and "/" not in n.strip("/")]
    if "project.qde" in names:
        return "project.qde"
    if not names:
        _fail(bestand, "een REFI-QDA project: een zip met een .qde-bestand", "geen .qde-bestand in het zip-bestand")
    return sorted(names)[0]  # ATLAS.ti names it after the project


def _member(archive: zipfile.ZipFile, location: str) -> str | None:
    """The zip member for ``internal://x.txt`` in sources/ or Sources/ (NVivo), any case."""
    wanted = location.removeprefix("internal://").lstrip("/").lower()
    for name in archive.namelist():
        lowered = name.lower()
        if lowered in (f"sources/{wanted}", wanted):
            return name
    return None


def _read_text(archive: zipfile.ZipFile, location: str, bestand: str, wat: str) -> str:
    member = _member(archive, location)
    if member is None:
        _fail(bestand, f"het tekstbestand {location} in de map sources/", f"{wat} zonder tekst")
    if archive.getinfo(member).file_size > MAX_SOURCE_BYTES:
        _fail(bestand, f"een tekst van hoogstens {MAX_SOURCE_BYTES // 1_000_000} MB", f"{wat}: te groot")
    data = archive.read(member)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(bestand, "tekst in UTF-8", f"{wat}: byte 0x{data[exc.start]:02X} op positie {exc.start}")


def _int(value, bestand: str, wat: str) -> int:
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        _fail(bestand, f"een geheel getal als positie ({wat})", f"{value}")
    if number < 0:
        _fail(bestand, f"een positie van 0 of meer ({wat})", f"{number}")
    return number


def read_qdpx(path: str | Path) -> QdaProject:
    """Read a ``.qdpx`` (ours or another tool's); raises one Dutch error naming what is wrong."""
    path = Path(path)
    bestand = bestandsnaam(path)
    try:
        archive = zipfile.ZipFile(path)
        qde = _qde_name(archive, bestand)
        root = etree.parse(io.BytesIO(archive.read(qde)),
                           etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)).getroot()
    except (zipfile.BadZipFile, OSError) as error:
        _fail(bestand, "een REFI-QDA project (.qdpx: een zip-bestand)", str(error)[:80])
    except etree.XMLSyntaxError as error:
        _fail(bestand, "geldige XML in het projectbestand", str(error)[:80])
    if etree.QName(root).localname != "Project":
        _fail(bestand, "een <Project> als begin van het projectbestand", f"<{etree.QName(root).localname}>")
    ns = etree.QName(root).namespace
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731
    users = {norm_guid(u.get("guid")): u.get("name") or "onbekend" for u in root.iterfind(f"{q('Users')}/{q('User')}")}

    codes = root.find(f"{q('CodeBook')}/{q('Codes')}")
    if codes is not None:
        codebook, by_guid = codebook_from_codes(codes, ns, bestand, root.find(q("Sets")))
    else:
        codebook, by_guid = Codebook(themas=[]), {}
    code_notes = {norm_guid(c.get("guid")): [norm_guid(r.get("targetGUID")) for r in c.findall(q("NoteRef"))]
                  for c in root.iter(q("Code")) if c.find(q("NoteRef")) is not None}

    variables = {}
    for var in root.iterfind(f"{q('Variables')}/{q('Variable')}"):
        variables[norm_guid(var.get("guid"))] = var.get("name") or "variabele"

    def values(element, wat: str) -> dict:
        out = {}
        for value in element.findall(q("VariableValue")):
            ref = value.find(q("VariableRef"))
            if ref is None:
                _fail(bestand, "een <VariableRef> in elke <VariableValue>", f"{wat}: waarde zonder variabele")
            name = variables.get(norm_guid(ref.get("targetGUID")))
            if name is None:
                _fail(bestand, "een <VariableRef> naar een bekende <Variable>", f"{wat}: {ref.get('targetGUID')}")
            content = next((c.text for c in value if etree.QName(c).localname != "VariableRef"), None)
            out[name] = (content or "").strip()
        return out

    notities = {}
    for note in root.iterfind(f"{q('Notes')}/{q('Note')}"):
        guid = norm_guid(note.get("guid"))
        name = note.get("name") or ""
        text = note.findtext(q("PlainTextContent"))
        if text is None and note.get("plainTextPath"):
            text = _read_text(archive, note.get("plainTextPath"), bestand, f"notitie {name or guid!r}")
        coder = users.get(norm_guid(note.get("creatingUser") or note.get("modifyingUser")), "onbekend")
        notities[guid] = Notitie(guid, name, (text or "").replace("\r\n", "\n").strip(), coder)
    links = [(norm_guid(link.get("originGUID")), norm_guid(link.get("targetGUID")))
             for link in root.iterfind(f"{q('Links')}/{q('Link')}")]
    cases = [Casus(case.get("name"), values(case, f"casus {case.get('name')!r}"),
                   [norm_guid(r.get("targetGUID")) for r in case.findall(q("SourceRef"))])
             for case in root.iterfind(f"{q('Cases')}/{q('Case')}")]
    bron_groepen: dict[str, list[str]] = defaultdict(list)
    for group in root.iterfind(f"{q('Sets')}/{q('Set')}"):
        for member in group.findall(q("MemberSource")):
            bron_groepen[norm_guid(member.get("targetGUID"))].append(group.get("name") or "groep")

    project = QdaProject(root.get("name") or path.stem, root.get("origin") or "", codebook, by_guid, [], notities,
                         links, cases, code_notes, dict(bron_groepen))
    sources = root.find(q("Sources"))
    skipped = Counter()
    for index, source in enumerate(sources if sources is not None else [], start=1):
        kind = etree.QName(source).localname
        if kind == "PDFSource" and source.find(q("Representation")) is not None:
            source = source.find(q("Representation"))
        elif kind != "TextSource":
            skipped[kind] += 1
            continue
        project.bronnen.append(_text_source(source, index, q, archive, bestand, users, values))
    if skipped:
        project.waarschuwingen.append("Niet ingelezen (wijkkit werkt met tekst): " + ", ".join(
            f"{n} {kind}" for kind, n in skipped.items()) + ".")
    _check_names(project, bestand)
    _fix_positions(project, bestand)
    return project


def _text_source(source, index: int, q, archive, bestand: str, users: dict, values) -> Bron:
    name = (source.get("name") or "").strip() or norm_guid(source.get("guid"))
    wat = f"bron {name!r}"
    raw = source.findtext(q("PlainTextContent"))
    if raw is None:
        if not source.get("plainTextPath"):
            _fail(bestand, "de tekst van elke bron (PlainTextContent of plainTextPath)", f"{wat} zonder tekst",
                  rij=index)
        raw = _read_text(archive, source.get("plainTextPath"), bestand, wat)
    bron = Bron(norm_guid(source.get("guid")), name, raw.replace("\r\n", "\n").replace("\r", "\n"), raw,
                values(source, wat), index=index)
    source_user = users.get(norm_guid(source.get("creatingUser")), "onbekend")
    for sel in source.findall(q("PlainTextSelection")):
        start = _int(sel.get("startPosition"), bestand, f"{wat}, selectie {sel.get('guid')}")
        end = _int(sel.get("endPosition"), bestand, f"{wat}, selectie {sel.get('guid')}")
        if end < start:
            _fail(bestand, "een eindpositie na de beginpositie", f"{wat}: {start}–{end}", rij=index)
        codings = sel.findall(q("Coding"))
        refs = []
        for coding in codings:
            ref = coding.find(q("CodeRef"))
            if ref is None:
                _fail(bestand, "een <CodeRef> in elke <Coding>", f"{wat}: codering zonder code", rij=index)
            refs.append(norm_guid(ref.get("targetGUID")))
        coder_guid = sel.get("creatingUser") or (codings[0].get("creatingUser") if codings else None)
        memo, whole, valences = _description(sel.findtext(q("Description")) or "")
        notes = [norm_guid(r.get("targetGUID")) for r in sel.findall(q("NoteRef"))]
        notes += [norm_guid(r.get("targetGUID")) for c in codings for r in c.findall(q("NoteRef"))]
        bron.selecties.append(Selectie(start, end, users.get(norm_guid(coder_guid), source_user), refs,
                                       sel.get("name"), memo, notes, whole, start, end, valences))
    for coding in source.findall(q("Coding")):  # a code on the whole document
        ref = coding.find(q("CodeRef"))
        if ref is None:
            _fail(bestand, "een <CodeRef> in elke <Coding>", f"{wat}: codering zonder code", rij=index)
        bron.selecties.append(Selectie(0, len(raw), users.get(norm_guid(coding.get("creatingUser")), source_user),
                                       [norm_guid(ref.get("targetGUID"))], None, "", [], True, 0, len(raw)))
    bron.notes = [norm_guid(r.get("targetGUID")) for r in source.findall(q("NoteRef"))]
    return bron


def _check_names(project: QdaProject, bestand: str) -> None:
    seen: dict[str, int] = {}
    for bron in project.bronnen:
        if bron.naam in seen:
            _fail(bestand, f"unieke namen van bronnen (ook bron {seen[bron.naam]} heet zo)", bron.naam, rij=bron.index)
        seen[bron.naam] = bron.index


# ---------------------------------------------------------------------------- positions
def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _converter(raw: str, telling: str):
    """A function from a position as the tool counted it to a code point in the text with \\n endings."""
    drops = [i for i, ch in enumerate(raw) if ch == "\r"]  # \r of \r\n and a lone \r both vanish or become \n
    crlf = [i for i in drops if i + 1 < len(raw) and raw[i + 1] == "\n"]

    def to_lf(p: int) -> int:  # code point in raw -> code point in LF text
        return p - bisect.bisect_left(crlf, p)

    units, total = [], 0
    if telling.startswith("utf16"):
        base = raw if telling == "utf16" else raw.replace("\r\n", "\n")
        for ch in base:
            units.append(total)
            total += 2 if ord(ch) > 0xFFFF else 1
        units.append(total)

    def from_utf16(p: int) -> int:
        return bisect.bisect_left(units, p)

    if telling == "lf":
        return lambda p: p
    if telling == "crlf":
        return to_lf
    if telling == "utf16":
        return lambda p: to_lf(from_utf16(p))
    return from_utf16


def _matches(bron: Bron, telling: str) -> tuple[int, int]:
    """(selections whose coded text matches under this counting, selections with a text to check)."""
    convert = _converter(bron.ruw, telling)
    hits = checked = 0
    for sel in bron.selecties:
        wanted = _normal(re.sub(r"(\.\.\.|…)$", "", sel.tekst or ""))
        if len(wanted) < 3 or sel.heel_verhaal:
            continue
        checked += 1
        start, end = convert(sel.ruwe_start), convert(sel.ruwe_end)
        if start > len(bron.tekst) or end > len(bron.tekst):
            continue
        got = _normal(bron.tekst[start:end])
        hits += bool(got) and (got.startswith(wanted) or wanted.startswith(got))
    return hits, checked


def _habit(origin: str) -> str:
    lowered = origin.lower()
    if "nvivo" in lowered:
        return "utf16"
    if "maxqda" in lowered:
        return "crlf"
    return "lf"


def _fix_positions(project: QdaProject, bestand: str) -> None:
    """Choose how the file counted positions (by the coded texts, else by the tool) and convert."""
    totals = Counter()
    checked = 0
    for bron in project.bronnen:
        for telling in TELLINGEN:
            hits, n = _matches(bron, telling)
            totals[telling] += hits
        checked += _matches(bron, "lf")[1]
    habit = _habit(project.origin)
    if checked:
        best = max(TELLINGEN, key=lambda t: (totals[t], t == habit))
        project.telling = best
        if totals[best] < checked:
            project.waarschuwingen.append(
                f"{checked - totals[best]} van {checked} selecties wijzen niet precies naar de tekst die het andere "
                "programma codeerde; ze zijn ingelezen zoals ze in het bestand staan. Controleer ze in de werkbank.")
    else:
        project.telling = habit
        if any(b.selecties for b in project.bronnen):
            project.waarschuwingen.append(
                "Het bestand noemt bij geen enkele selectie de gecodeerde tekst, dus de posities konden niet "
                f"worden gecontroleerd; gelezen als {UITLEG_TELLING[habit]} (de gewoonte van "
                f"{project.origin or 'dit programma'}).")
    outside = []
    for bron in project.bronnen:
        convert = _converter(bron.ruw, project.telling)
        for sel in bron.selecties:
            if sel.heel_verhaal:
                sel.start, sel.end = 0, len(bron.tekst)
                continue
            if convert(sel.ruwe_end) > len(bron.tekst):  # cutting it off would code other text than the tool did
                outside.append(Probleem(bestand, f"een selectie binnen de tekst van bron {bron.naam!r} "
                                        f"({len(bron.tekst)} tekens, geteld als {UITLEG_TELLING[project.telling]})",
                                        rij=bron.index, gevonden=f"{sel.ruwe_start}–{sel.ruwe_end}", soort="veld"))
                continue
            sel.start = min(convert(sel.ruwe_start), len(bron.tekst))
            sel.end = min(max(convert(sel.ruwe_end), sel.start), len(bron.tekst))
    if outside:
        raise WijkkitInputError(outside[:50])
