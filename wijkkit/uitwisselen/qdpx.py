"""The coded project as REFI-QDA ``.qdpx``: continue in ATLAS.ti, NVivo, MAXQDA or QualCoder.

A ``.qdpx`` is a zip with ``project.qde`` (XML, valid against the 2019 project schema) and
``sources/<guid>.txt``. What goes where:

- stories are ``<TextSource>`` elements with every field (and extra metadata) as ``<VariableValue>``;
- every current code of a coder is a ``<PlainTextSelection>`` (code points) holding a ``<Coding>`` for
  the theme and one for the valence; a code on the whole story spans the whole text and says so in
  its ``<Description>`` ("heel verhaal");
- when one coder gave one span several themes, each of those selections also says in its ``<Description>`` which
  valence goes with its theme ("valentie bij Wonen: knelpunt"): a tool that keeps one code per selection (QualCoder)
  would otherwise lose the pairing, and wijkkit reads the line back;
- memos are ``<Note>`` elements with unique names (QualCoder's import stops at a second note with a name it
  has) and their text both inline and as a plain-text file (QualCoder reads the file), referenced where the
  standard puts them: from the story (``<NoteRef>``, and the text in the story's ``<Description>``, where
  QualCoder reads a source memo), from the first selection of the theme by the memo's own coder in that story
  (``<Coding><NoteRef>``), and for a memo on a theme alone with a ``<Link>``; a coding memo is also the
  selection's ``<Description>``, which QualCoder and MAXQDA show;
- gebieden are ``<Case>`` elements named after the gebied (its name from the figures, else its code)
  with its code and name as values and a ``<SourceRef>`` per story;
- code groups are ``<Sets>``.

Only decisions are exported, not open tagger suggestions; stories without consent for analysis
(``none``) are left out. Line endings: offsets count code points over text with ``\\n``;
``regeleinden="crlf"`` writes CRLF text with offsets counting CRLF as two (as MAXQDA does).
"""

from __future__ import annotations

import zipfile
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
from lxml import etree
from sqlalchemy import select

from wijkkit import __version__
from wijkkit.codebook import Codebook
from wijkkit.coderen.beslissingen import codes as current_codes
from wijkkit.store import Store
from wijkkit.store.models import Memo, Story
from wijkkit.uitwisselen.qdc import NS_PROJECT, code_guid, codes_element, sets_element, xml_text
from wijkkit.uitwisselen.qdpx_lezen import (  # noqa: F401  (read_qdpx: one place to look)
    HEEL_VERHAAL, read_qdpx, valentie_regel)

Q = lambda tag: f"{{{NS_PROJECT}}}{tag}"  # noqa: E731
STORY_VARIABLES = {"gebied": "Text", "gebied_naam": "Text", "methode": "Text", "verteller_rol": "Text",
                   "toestemming": "Text", "verzamelaar": "Text", "datum": "Date", "taal": "Text", "bron": "Text"}


def _guid(kind: str, ident) -> str:
    return code_guid(kind, str(ident))


def _stamp(value: datetime | None) -> str:
    value = value or datetime(1970, 1, 1, tzinfo=timezone.utc)
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def to_qdpx(store: Store, codebook: Codebook, path: str | Path, *, naam: str = "wijkkit-project",
            regeleinden: str = "lf", gebied_namen: dict[str, str] | None = None) -> Path:
    """Write the coded project to ``path`` (.qdpx); returns the path."""
    if regeleinden not in ("lf", "crlf"):
        raise ValueError("regeleinden is 'lf' of 'crlf'")
    path = Path(path)
    namen = gebied_namen or {}
    with store.read() as session:
        stories = session.scalars(select(Story).where(Story.toestemming != "none").order_by(Story.id)).all()
        memos = session.scalars(select(Memo).order_by(Memo.id)).all()
    exported = {s.id for s in stories}
    applied = current_codes(store)
    applied = applied[applied["story_id"].isin(exported) & applied["thema"].isin(codebook.theme_ids)]
    memos = [m for m in memos if m.story_id is None or m.story_id in exported]
    extra_keys = sorted({k for s in stories for k in (s.kenmerken or {}) if k not in STORY_VARIABLES})
    variables = {**STORY_VARIABLES, **dict.fromkeys(extra_keys, "Text")}

    root = etree.Element(Q("Project"), nsmap={None: NS_PROJECT}, name=xml_text(naam), origin=f"wijkkit {__version__}",
                         creationDateTime=_stamp(max((s.created_at for s in stories), default=None)))
    users = sorted(set(applied["codeur"]) | {m.codeur for m in memos})
    if users:
        users_el = etree.SubElement(root, Q("Users"))
        for user in users:
            etree.SubElement(users_el, Q("User"), guid=_guid("user", user), name=xml_text(user))
    etree.SubElement(root, Q("CodeBook")).append(codes_element(codebook, NS_PROJECT))
    if stories:
        variables_el = etree.SubElement(root, Q("Variables"))
        for name, kind in variables.items():
            etree.SubElement(variables_el, Q("Variable"), guid=_guid("variabele", name), name=name,
                             typeOfVariable=kind)
        cases_el = etree.SubElement(root, Q("Cases"))
        for gebied in sorted({s.gebied for s in stories}):
            case = etree.SubElement(cases_el, Q("Case"), guid=_guid("gebied", gebied),
                                    name=xml_text(namen.get(gebied, gebied)))
            _variable_value(case, "gebied", gebied, variables)
            _variable_value(case, "gebied_naam", namen.get(gebied, ""), variables)
            for story in stories:
                if story.gebied == gebied:
                    etree.SubElement(case, Q("SourceRef"), targetGUID=_guid("bron", story.id))

    story_memos = defaultdict(list)  # story -> memos without a theme
    code_memos = defaultdict(list)  # (story, theme, coder) -> memos: a memo sits on its own coder's coding only
    for memo in memos:
        if memo.story_id and memo.thema:
            code_memos[(memo.story_id, memo.thema, memo.codeur)].append(memo)
        elif memo.story_id:
            story_memos[memo.story_id].append(memo)
    linked: set[int] = set()  # memos that reached a coding; the others get a NoteRef or a Link
    files: dict[str, str] = {}
    if stories:
        sources_el = etree.SubElement(root, Q("Sources"))
        per_story = {sid: part for sid, part in applied.groupby("story_id")}
        for story in stories:
            _source(sources_el, story, per_story.get(story.id, pd.DataFrame()), code_memos, story_memos, linked,
                    files, regeleinden, variables, namen, codebook)
    if memos:
        notes_el = etree.SubElement(root, Q("Notes"))
        for memo, name in zip(memos, note_names(memos, codebook)):
            guid = _guid("memo", memo.id)
            note = etree.SubElement(notes_el, Q("Note"), guid=guid, name=xml_text(name),
                                    plainTextPath=f"internal://{guid}.txt", creatingUser=_guid("user", memo.codeur),
                                    creationDateTime=_stamp(memo.created_at))
            etree.SubElement(note, Q("PlainTextContent")).text = xml_text(memo.tekst)
            files[guid] = memo.tekst
        theme_memos = [m for m in memos if m.thema and m.thema in codebook.theme_ids and m.id not in linked]
        if theme_memos:
            links_el = etree.SubElement(root, Q("Links"))
            for memo in theme_memos:
                etree.SubElement(links_el, Q("Link"), guid=_guid("link", memo.id), name="memo bij code",
                                 direction="OneWay", originGUID=_guid("memo", memo.id),
                                 targetGUID=_guid("thema", memo.thema))
    sets = sets_element(codebook, NS_PROJECT)
    if sets is not None:
        root.append(sets)

    xml = etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("project.qde", xml)
        for guid, content in files.items():
            archive.writestr(f"sources/{guid}.txt", xml_text(content).encode("utf-8"))
    tmp.replace(path)  # never leave half a file where a colleague expects an export
    return path


def note_names(memos: list[Memo], codebook: Codebook) -> list[str]:
    """A name for every note, unique without regard to case: QualCoder stops its import at a second note with
    a name it already has. An untitled memo is named after its coder, story and theme; a name that is taken gets
    a number."""
    names, taken = [], set()
    for memo in memos:
        name = (memo.titel or "").strip()
        if not name:
            waar = [f"bij {memo.story_id}"] * bool(memo.story_id)
            if memo.thema:
                waar.append(f"over {codebook.label(memo.thema) if memo.thema in codebook.theme_ids else memo.thema}")
            name = " ".join([f"Memo van {memo.codeur}", *waar])
        base, n = name, 2
        while name.casefold() in taken:
            name, n = f"{base} ({n})", n + 1
        taken.add(name.casefold())
        names.append(name)
    return names


def _source(parent, story: Story, applied: pd.DataFrame, code_memos, story_memos, linked: set, files: dict,
            regeleinden: str, variables: dict, namen: dict, codebook: Codebook) -> None:
    """One ``<TextSource>`` in schema order: selections, note references, variable values."""
    text = story.tekst.replace("\r\n", "\n")
    out_text = text.replace("\n", "\r\n") if regeleinden == "crlf" else text
    shift = (lambda p: p + text.count("\n", 0, p)) if regeleinden == "crlf" else (lambda p: p)
    guid = _guid("bron", story.id)
    files[guid] = out_text
    source = etree.SubElement(parent, Q("TextSource"), guid=guid, name=xml_text(story.id),
                              plainTextPath=f"internal://{guid}.txt", creationDateTime=_stamp(story.created_at))
    # one coder, one span, several themes: a tool that keeps one code per selection (QualCoder) loses which valence
    # went with which theme, so those selections also say it in words (read back by qdpx_lezen)
    spans = Counter((row.codeur, *((0, len(text), True) if pd.isna(row.start) else (int(row.start), int(row.end),
                                                                                      False)))
                    for row in applied.itertuples())
    shared = {span for span, n in spans.items() if n > 1}
    for row in applied.itertuples():
        whole = pd.isna(row.start)
        start, end = (0, len(text)) if whole else (int(row.start), int(row.end))
        # a coding memo goes on the first selection of its own coder's theme (one memo, shown once)
        memos = [m for m in code_memos.get((story.id, row.thema, row.codeur), []) if m.id not in linked]
        paired = [valentie_regel(codebook.label(row.thema), row.valentie)] * (
            isinstance(row.valentie, str) and bool(row.valentie) and (row.codeur, start, end, whole) in shared)
        description = "\n\n".join([HEEL_VERHAAL] * whole + paired + [m.tekst for m in memos])
        selection = etree.SubElement(source, Q("PlainTextSelection"), guid=_guid("selectie", row.id),
                                     name=xml_text(text[start:end][:60]), startPosition=str(shift(start)),
                                     endPosition=str(shift(end)), creatingUser=_guid("user", row.codeur),
                                     creationDateTime=_stamp(row.created_at))
        if description:
            etree.SubElement(selection, Q("Description")).text = xml_text(description)
        coding = _coding(selection, _guid("thema", row.thema), row.codeur, row.id, row.created_at, "t")
        for memo in memos:
            etree.SubElement(coding, Q("NoteRef"), targetGUID=_guid("memo", memo.id))
            linked.add(memo.id)
        if isinstance(row.valentie, str) and row.valentie:
            _coding(selection, _guid("valentie", row.valentie), row.codeur, row.id, row.created_at, "v")
    unplaced = [m for (sid, _, _), ms in code_memos.items() if sid == story.id for m in ms if m.id not in linked]
    story_level = story_memos.get(story.id, []) + unplaced
    for memo in story_level:
        etree.SubElement(source, Q("NoteRef"), targetGUID=_guid("memo", memo.id))
    if story_level:
        # QualCoder reads a source's memo from its Description (as its own export writes it) and drops a source-level
        # NoteRef, which it takes for an annotation without a place; the schema puts Description first
        description = etree.Element(Q("Description"))
        description.text = xml_text("\n\n".join(m.tekst for m in story_level))
        source.insert(0, description)
    values = {"gebied": story.gebied, "gebied_naam": namen.get(story.gebied, ""), "methode": story.methode,
              "verteller_rol": story.verteller_rol, "toestemming": story.toestemming,
              "verzamelaar": story.verzamelaar, "datum": story.datum, "taal": story.taal, "bron": story.bron,
              **(story.kenmerken or {})}
    for name in variables:
        _variable_value(source, name, values.get(name), variables)


def _coding(selection, target: str, codeur: str, ident, created, kind: str):
    coding = etree.SubElement(selection, Q("Coding"), guid=_guid(f"codering-{kind}", ident),
                              creatingUser=_guid("user", codeur), creationDateTime=_stamp(created))
    etree.SubElement(coding, Q("CodeRef"), targetGUID=target)
    return coding


def _variable_value(parent, name: str, value, variables: dict) -> None:
    if value is None or value == "" or (isinstance(value, float) and value != value):
        return
    element = etree.SubElement(parent, Q("VariableValue"))
    etree.SubElement(element, Q("VariableRef"), targetGUID=_guid("variabele", name))
    if variables[name] == "Date":
        etree.SubElement(element, Q("DateValue")).text = value.isoformat()
    else:
        etree.SubElement(element, Q("TextValue")).text = xml_text(value)
