"""The coded project as REFI-QDA ``.qdpx``: continue in ATLAS.ti, NVivo, MAXQDA or QualCoder.

A ``.qdpx`` is a zip with ``project.qde`` (XML) and ``sources/<guid>.txt``. Stories become
``<TextSource>`` elements with their metadata as ``<VariableValue>``; every current code of
a coder becomes a ``<PlainTextSelection>`` (code-point offsets) holding a ``<Coding>`` for the
theme and, when set, one for the valence; coders are ``<User>``; memos are ``<Note>``,
referenced from the story (``<NoteRef>``) and linked to a code (``<Link>``); gebieden are
``<Case>`` elements. Only decisions are exported, not open tagger suggestions, and stories
without consent for analysis (``none``) are left out.

Line endings: offsets count code points over text with ``\\n`` line endings. Some tools count
``\\r\\n`` as two characters; ``regeleinden="crlf"`` writes CRLF text with offsets shifted to match.
"""

from __future__ import annotations

import bisect
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd
from lxml import etree
from sqlalchemy import select

from wijkkit import __version__
from wijkkit.codebook import Codebook
from wijkkit.coderen.beslissingen import codes as current_codes
from wijkkit.errors import Probleem, WijkkitInputError
from wijkkit.store import Store
from wijkkit.store.models import Coding, Memo, Segment, Story
from wijkkit.uitwisselen.qdc import NS_PROJECT, code_guid, codebook_from_codes, codes_element

Q = lambda tag: f"{{{NS_PROJECT}}}{tag}"  # noqa: E731
HEEL_VERHAAL = "heel verhaal"  # selection Description marking a code on the whole story
VARIABELEN = {"gebied": "Text", "methode": "Text", "verteller_rol": "Text", "toestemming": "Text",
              "verzamelaar": "Text", "datum": "Date"}


def _guid(kind: str, ident) -> str:
    return code_guid(kind, str(ident))


def _stamp(value: datetime | None) -> str:
    value = value or datetime(1970, 1, 1, tzinfo=timezone.utc)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _crlf_offset(text: str, position: int) -> int:
    return position + text.count("\n", 0, position)


def to_qdpx(store: Store, codebook: Codebook, path: str | Path, *, naam: str = "wijkkit-project",
            regeleinden: str = "lf", gebied_namen: dict[str, str] | None = None) -> Path:
    """Write the coded project to ``path`` (.qdpx); returns the path."""
    if regeleinden not in ("lf", "crlf"):
        raise ValueError("regeleinden is 'lf' of 'crlf'")
    path = Path(path)
    with store.read() as session:
        stories = session.scalars(select(Story).where(Story.toestemming != "none").order_by(Story.id)).all()
        memos = session.scalars(select(Memo).order_by(Memo.id)).all()
    exported = {s.id for s in stories}
    applied = current_codes(store)
    applied = applied[applied["story_id"].isin(exported)]
    memos = [m for m in memos if m.story_id is None or m.story_id in exported]
    users = sorted(set(applied["codeur"]) | {m.codeur for m in memos})

    root = etree.Element(Q("Project"), nsmap={None: NS_PROJECT}, name=naam, origin=f"wijkkit {__version__}",
                         creationDateTime=_stamp(max((s.created_at for s in stories), default=None)))
    users_el = etree.SubElement(root, Q("Users"))
    for user in users:
        etree.SubElement(users_el, Q("User"), guid=_guid("user", user), name=user)
    codebook_el = etree.SubElement(root, Q("CodeBook"))
    codebook_el.append(codes_element(codebook, NS_PROJECT))
    variables_el = etree.SubElement(root, Q("Variables"))
    for name, kind in VARIABELEN.items():
        etree.SubElement(variables_el, Q("Variable"), guid=_guid("variabele", name), name=name, typeOfVariable=kind)

    gebieden = sorted({s.gebied for s in stories})
    if gebieden:
        cases_el = etree.SubElement(root, Q("Cases"))
        for gebied in gebieden:
            case = etree.SubElement(cases_el, Q("Case"), guid=_guid("gebied", gebied),
                                    name=(gebied_namen or {}).get(gebied, gebied))
            _variable_value(case, "gebied", gebied)
            for story in stories:
                if story.gebied == gebied:
                    etree.SubElement(case, Q("SourceRef"), targetGUID=_guid("bron", story.id))

    files: dict[str, str] = {}
    sources_el = etree.SubElement(root, Q("Sources"))
    per_story = {sid: part for sid, part in applied.groupby("story_id")}
    theme_ids = set(codebook.theme_ids)
    for story in stories:
        text = story.tekst.replace("\r\n", "\n")
        out_text = text.replace("\n", "\r\n") if regeleinden == "crlf" else text
        shift = (lambda p: _crlf_offset(text, p)) if regeleinden == "crlf" else (lambda p: p)
        guid = _guid("bron", story.id)
        files[guid] = out_text
        source = etree.SubElement(sources_el, Q("TextSource"), guid=guid, name=story.id,
                                  plainTextPath=f"internal://{guid}.txt", creationDateTime=_stamp(story.created_at))
        for row in per_story.get(story.id, pd.DataFrame()).itertuples():
            if row.thema not in theme_ids:
                continue
            start = 0 if pd.isna(row.start) else int(row.start)
            end = len(text) if pd.isna(row.end) else int(row.end)
            selection = etree.SubElement(source, Q("PlainTextSelection"), guid=_guid("selectie", row.id),
                                         name=text[start:end][:60], startPosition=str(shift(start)),
                                         endPosition=str(shift(end)), creatingUser=_guid("user", row.codeur),
                                         creationDateTime=_stamp(row.created_at))
            if pd.isna(row.start):
                etree.SubElement(selection, Q("Description")).text = HEEL_VERHAAL
            _coding(selection, _guid("thema", row.thema), row.codeur, row.id, row.created_at, "t")
            if isinstance(row.valentie, str) and row.valentie:
                _coding(selection, _guid("valentie", row.valentie), row.codeur, row.id, row.created_at, "v")
        for field_name in VARIABELEN:
            _variable_value(source, field_name, getattr(story, field_name))
        for memo in memos:
            if memo.story_id == story.id:
                etree.SubElement(source, Q("NoteRef"), targetGUID=_guid("memo", memo.id))

    if memos:
        notes_el = etree.SubElement(root, Q("Notes"))
        for memo in memos:
            note = etree.SubElement(notes_el, Q("Note"), guid=_guid("memo", memo.id),
                                    name=f"Memo van {memo.codeur}", creatingUser=_guid("user", memo.codeur),
                                    creationDateTime=_stamp(memo.created_at))
            etree.SubElement(note, Q("PlainTextContent")).text = memo.tekst
        theme_memos = [m for m in memos if m.thema]
        if theme_memos:
            links_el = etree.SubElement(root, Q("Links"))
            for memo in theme_memos:
                etree.SubElement(links_el, Q("Link"), guid=_guid("link", memo.id), name="memo bij code",
                                 direction="OneWay", originGUID=_guid("memo", memo.id),
                                 targetGUID=_guid("thema", memo.thema))

    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for guid, content in files.items():
            archive.writestr(f"sources/{guid}.txt", content.encode("utf-8"))
    tmp.replace(path)  # never leave half a file where a colleague expects an export
    return path


def _coding(selection, target: str, codeur: str, ident, created, kind: str) -> None:
    coding = etree.SubElement(selection, Q("Coding"), guid=_guid(f"codering-{kind}", ident),
                              creatingUser=_guid("user", codeur), creationDateTime=_stamp(created))
    etree.SubElement(coding, Q("CodeRef"), targetGUID=target)


def _variable_value(parent, name: str, value) -> None:
    if value is None or value == "":
        return
    element = etree.SubElement(parent, Q("VariableValue"))
    etree.SubElement(element, Q("VariableRef"), targetGUID=_guid("variabele", name))
    if VARIABELEN[name] == "Date":
        etree.SubElement(element, Q("DateValue")).text = value.isoformat()
    else:
        etree.SubElement(element, Q("TextValue")).text = str(value)


# ---------------------------------------------------------------------------- reading
@dataclass
class Selectie:
    start: int
    end: int
    codeur: str
    thema: str
    valentie: str | None
    heel_verhaal: bool = False


@dataclass
class Bron:
    naam: str
    tekst: str
    variabelen: dict = field(default_factory=dict)
    selecties: list[Selectie] = field(default_factory=list)


@dataclass
class QdaProject:
    naam: str
    codebook: Codebook
    bronnen: list[Bron]
    memos: list[dict]  # codeur, tekst, story_id, thema


def read_qdpx(path: str | Path) -> QdaProject:
    """Read a ``.qdpx`` (ours or another tool's) into plain objects; offsets normalised to ``\\n`` text."""
    path = Path(path)

    def fail(verwacht: str, gevonden: str):
        raise WijkkitInputError([Probleem(bestand=str(path), verwacht=verwacht, gevonden=gevonden)])

    try:
        archive = zipfile.ZipFile(path)
        root = etree.parse(io.BytesIO(archive.read("project.qde"))).getroot()
    except (zipfile.BadZipFile, KeyError, OSError, etree.XMLSyntaxError) as error:
        fail("een REFI-QDA project (.qdpx: zip met project.qde)", str(error))
    ns = etree.QName(root).namespace
    q = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731
    users = {u.get("guid"): u.get("name") for u in root.iterfind(f"{q('Users')}/{q('User')}")}
    codes = root.find(f"{q('CodeBook')}/{q('Codes')}")
    if codes is None:
        fail("een <CodeBook> met <Codes> in project.qde", "geen codeboek")
    codebook, by_guid = codebook_from_codes(codes, ns, str(path))
    variables = {v.get("guid"): v.get("name") for v in root.iterfind(f"{q('Variables')}/{q('Variable')}")}
    note_texts = {n.get("guid"): (users.get(n.get("creatingUser"), ""), n.findtext(q("PlainTextContent")) or "")
                  for n in root.iterfind(f"{q('Notes')}/{q('Note')}")}
    note_theme = {link.get("originGUID"): by_guid.get(link.get("targetGUID"), (None, None))[1]
                  for link in root.iterfind(f"{q('Links')}/{q('Link')}")}
    note_story: dict[str, str] = {}
    bronnen = []
    for source in root.iterfind(f"{q('Sources')}/{q('TextSource')}"):
        name = source.get("name") or source.get("guid")
        raw = _source_text(archive, source, q, path)
        text = raw.replace("\r\n", "\n").replace("\r", "\n")
        to_lf = _lf_mapper(raw)
        bron = Bron(naam=name, tekst=text)
        for value in source.iterfind(q("VariableValue")):
            var = variables.get(value.find(q("VariableRef")).get("targetGUID"))
            content = next((c.text for c in value if etree.QName(c).localname != "VariableRef"), None)
            if var:
                bron.variabelen[var] = content
        for selection in source.iterfind(q("PlainTextSelection")):
            start, end = to_lf(int(selection.get("startPosition"))), to_lf(int(selection.get("endPosition")))
            refs = [by_guid.get(c.find(q("CodeRef")).get("targetGUID")) for c in selection.iterfind(q("Coding"))]
            valence = next((ident for kind, ident in filter(None, refs) if kind == "valentie"), None)
            for kind, ident in filter(None, refs):
                if kind == "thema":
                    coder_guid = selection.get("creatingUser") or selection.find(q("Coding")).get("creatingUser")
                    whole = selection.findtext(q("Description")) == HEEL_VERHAAL
                    bron.selecties.append(Selectie(start, end, users.get(coder_guid, coder_guid or "onbekend"),
                                                   ident, valence, whole))
        for ref in source.iterfind(q("NoteRef")):
            note_story[ref.get("targetGUID")] = name
        bronnen.append(bron)
    memos = [{"codeur": coder or "onbekend", "tekst": text, "story_id": note_story.get(guid),
              "thema": note_theme.get(guid)} for guid, (coder, text) in note_texts.items()]
    return QdaProject(root.get("name", path.stem), codebook, bronnen, memos)


def _source_text(archive: zipfile.ZipFile, source, q, path: Path) -> str:
    inline = source.findtext(q("PlainTextContent"))
    if inline is not None:
        return inline
    location = (source.get("plainTextPath") or "").removeprefix("internal://")
    try:
        return archive.read(f"sources/{location}").decode("utf-8-sig")
    except KeyError:
        raise WijkkitInputError([Probleem(bestand=str(path), verwacht=f"het bestand sources/{location}",
                                          gevonden=f"bron {source.get('name')!r} zonder tekst")]) from None


def _lf_mapper(raw: str):
    """Map an offset in ``raw`` (possibly CRLF) to the offset in the same text with LF endings."""
    if "\r" not in raw:
        return lambda p: p
    drops = [i for i, ch in enumerate(raw) if ch == "\r" and i + 1 < len(raw) and raw[i + 1] == "\n"]
    return lambda p: p - bisect.bisect_left(drops, p)


def import_qdpx(store: Store, path: str | Path, *, door: str = "", defaults: dict | None = None) -> dict:
    """Add the stories, codes and memos of a ``.qdpx`` to the store in one transaction.

    Stories already in the store are matched by name (their codes are added as decisions);
    new stories need a gebied, methode and verteller_rol (from the file or ``defaults``).
    """
    from wijkkit.vertellen.nlp import segments as split

    project = read_qdpx(path)
    defaults = defaults or {}
    existing = store.story_ids()
    problems = []
    for index, bron in enumerate(project.bronnen, start=1):
        if bron.naam in existing:
            continue
        for needed in ("gebied", "methode", "verteller_rol"):
            if not (bron.variabelen.get(needed) or defaults.get(needed)):
                problems.append(Probleem(bestand=str(path), rij=index, kolom=needed, soort="veld",
                                         verwacht=f"een waarde voor {needed} (in het bestand of als standaard)",
                                         gevonden=f"bron {bron.naam!r} zonder {needed}"))
    if problems:
        raise WijkkitInputError(problems)
    counts = {"verhalen": 0, "coderingen": 0, "memos": 0}
    with store.session() as session:
        segment_ids: dict[str, dict[tuple[int, int], int]] = {}
        for bron in project.bronnen:
            if bron.naam not in existing:
                get = lambda k, d=None: bron.variabelen.get(k) or defaults.get(k, d)  # noqa: E731
                datum = get("datum")
                story = Story(id=bron.naam, tekst=bron.tekst, gebied=get("gebied"), methode=get("methode"),
                              verteller_rol=get("verteller_rol"), verzamelaar=get("verzamelaar", ""),
                              toestemming=get("toestemming", "analyse"), bron=str(path)[:500], privacy={},
                              datum=date.fromisoformat(datum[:10]) if datum else None)
                for nr, (start, end, text) in enumerate(split(bron.tekst)):
                    story.segments.append(Segment(nr=nr, start=start, end=end, tekst=text))
                session.add(story)
                counts["verhalen"] += 1
        session.flush()
        for seg in session.scalars(select(Segment).where(Segment.story_id.in_([b.naam for b in project.bronnen]))):
            segment_ids.setdefault(seg.story_id, {})[(seg.start, seg.end)] = seg.id
        for bron in project.bronnen:
            for sel in bron.selecties:
                segment_id = None if sel.heel_verhaal else segment_ids.get(bron.naam, {}).get((sel.start, sel.end))
                whole = sel.heel_verhaal or (segment_id is None and (sel.start, sel.end) == (0, len(bron.tekst)))
                session.add(Coding(story_id=bron.naam, segment_id=segment_id, thema=sel.thema, valentie=sel.valentie,
                                   status="manual", codeur=sel.codeur, start=None if whole else sel.start,
                                   end=None if whole else sel.end,
                                   bewijs="" if whole else bron.tekst[sel.start:sel.end]))
                counts["coderingen"] += 1
        for memo in project.memos:
            session.add(Memo(story_id=memo["story_id"], thema=memo["thema"], codeur=memo["codeur"],
                             tekst=memo["tekst"]))
            counts["memos"] += 1
    return counts
