"""Bring work from ATLAS.ti, NVivo, MAXQDA or QualCoder (REFI-QDA) into a wijkkit project.

Stories go through exactly the same checks, pseudonymisation, consent rules and single
transaction as ``wijkkit vertellen importeer`` (:func:`wijkkit.vertellen.importeren.store_stories`);
codings follow their text through the pseudonymisation. The file's codebook is merged into
the project's (sub-codes, categories, code groups, names in any script); codes the project
already has are recognised by id or name. Codings for a story that is already in the store are
anchored on that story's text (by the text they coded, if the story changed since), and an
import never replaces a coder's decision by one that says less (a code without its valence).
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from pathlib import Path

import pandas as pd
import yaml
from sqlalchemy import select

from wijkkit.codebook import Codebook
from wijkkit.coderen.beslissingen import decisions
from wijkkit.config import Project
from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam
from wijkkit.store.models import Coding, Memo, Segment, Story
from wijkkit.uitwisselen.qdpx_lezen import Bron, QdaProject, read_qdpx
from wijkkit.vertellen.importeren import (gebied_namen, metadata_pseudonimiseerder, project_pseudonimiseerder,
                                          store_stories)
from wijkkit.vertellen.importers import Record, validate_records
from wijkkit.vertellen.model import STORY_FIELDS

FIELD_NAMES = {f.casefold(): f for f in STORY_FIELDS} | {"rol": "verteller_rol", "verteller": "verteller_rol",
                                                         "date": "datum", "area": "gebied", "consent": "toestemming"}


def import_qdpx(project: Project, path: str | Path, *, store=None, door: str = "", defaults: dict | None = None
                ) -> dict:
    """Import a ``.qdpx``: all or nothing. Returns counts and Dutch warnings."""
    path = Path(path)
    bestand = bestandsnaam(path)
    qda = read_qdpx(path)
    store = store or project.open_store()
    own = project.load_codebook()
    codebook, mapping, nieuw = merge_codebook(own, qda)
    codes, names = gebied_namen(project)
    pseudo = project_pseudonimiseerder(project, names)
    meta = metadata_pseudonimiseerder(project, pseudo)
    existing = store.story_ids()

    by_id: dict[str, Bron] = {}
    records, known_sources = [], []
    for bron in qda.bronnen:
        ident = re.sub(r"[^\w.-]+", "-", bron.naam).strip("-.") or f"bron-{bron.index}"
        stored_id = meta.story_id(ident)
        by_id[stored_id] = bron
        if stored_id in existing:
            known_sources.append((bron, stored_id))
            continue
        data = {**(defaults or {}), **_variables(bron, qda), "id": ident, "tekst": bron.tekst,
                "bron": f"{bestand}: {bron.naam}"}
        records.append(Record(bestand, bron.index, data))
    verhalen = validate_records(records, gebieden=codes, bestaande_ids=existing, rename=meta.story_id)
    problemen = _unknown_codes(qda, mapping, bestand)
    anchored = _anchor_known(store, known_sources, pseudo, bestand, problemen)
    if problemen:
        raise WijkkitInputError(problemen)

    current = decisions(store)
    have = {(r.codeur, r.story_id, -1 if pd.isna(r.segment_id) else int(r.segment_id), r.thema):
            (r.aanwezig, r.valentie if isinstance(r.valentie, str) else None) for r in current.itertuples()}
    with store.read() as session:
        memos_have = {(m.story_id, m.thema, m.codeur, m.tekst) for m in session.scalars(select(Memo))}
    counts = {"verhalen": len(verhalen), "coderingen": 0, "memos": 0, "overgeslagen": 0,
              "nieuwe_codes": len(nieuw), "waarschuwingen": list(qda.waarschuwingen)}
    memo_plan = _memos(qda, mapping)
    labels = {t.id: t.label for t in codebook.themas}

    def add_codings(session, story_id: str, text: str, bron: Bron, position) -> None:
        segments = session.execute(select(Segment.id, Segment.start, Segment.end)
                                   .where(Segment.story_id == story_id).order_by(Segment.nr)).all()
        for group in _grouped(bron, mapping, labels, counts["waarschuwingen"]):
            whole = group["heel"] or ((group["start"], group["end"]) == (0, len(bron.tekst)) and len(segments) > 1)
            start = end = segment_id = None
            if not whole:
                start, end = position(group["start"], group["end"])
                segment_id = _segment(segments, start, end)
            for thema, valentie in group["themas"].items():
                key = (group["codeur"], story_id, -1 if segment_id is None else segment_id, thema)
                before = have.get(key)
                if before and before[0] and (valentie is None or before[1] == valentie):
                    counts["overgeslagen"] += 1  # the store already says as much, or more
                    continue
                session.add(Coding(story_id=story_id, segment_id=segment_id, thema=thema, valentie=valentie,
                                   status="manual", codeur=group["codeur"][:200], start=start, end=end,
                                   bewijs="" if whole else text[start:end], term="(geïmporteerd)"))
                have[key] = (True, valentie)
                counts["coderingen"] += 1
        for story_part, thema, codeur, tekst, titel in memo_plan.get(bron.guid, []):
            _add_memo(session, story_id if story_part else None, thema, codeur, tekst, titel)

    def _add_memo(session, story_id, thema, codeur, tekst, titel) -> None:
        tekst = pseudo.pseudonymise(tekst).tekst
        key = (story_id, thema, codeur, tekst)
        if not tekst or key in memos_have:
            return
        memos_have.add(key)
        session.add(Memo(story_id=story_id, thema=thema, codeur=codeur[:200], tekst=tekst,
                         titel=pseudo.pseudonymise(titel).tekst[:300]))
        counts["memos"] += 1

    def new_story(session, verhaal, story, resultaat) -> None:
        bron = by_id[verhaal.id]
        add_codings(session, story.id, story.tekst, bron,
                    lambda s, e: (resultaat.positie(s), resultaat.positie(e, einde=True)))

    def afterwards(session) -> None:
        for bron, story_id in known_sources:
            text, position = anchored[story_id]
            add_codings(session, story_id, text, bron, position)
        for _, thema, codeur, tekst, titel in memo_plan.get(None, []):
            _add_memo(session, None, thema, codeur, tekst, titel)

    backup = _write_codebook(project, codebook) if nieuw else None
    try:
        store_stories(project, store, verhalen, pseudo=pseudo, meta=meta, bron=str(path), door=door,
                      extra=new_story, daarna=afterwards)
    except BaseException:
        if backup is not None:
            backup()
        raise
    return counts


def import_qdc(project: Project, path: str | Path) -> list[str]:
    """Merge a ``.qdc`` codebook into the project's codebook.yml; returns the ids of the new codes."""
    from wijkkit.uitwisselen.qdc import read_qdc

    incoming = read_qdc(path)
    holder = QdaProject("", "", incoming, {}, [], {}, [], [], {}, {})
    codebook, _, nieuw = merge_codebook(project.load_codebook(), holder)
    if nieuw:
        _write_codebook(project, codebook)
    return nieuw


# ---------------------------------------------------------------------------- codebook
def merge_codebook(own: Codebook, qda: QdaProject) -> tuple[Codebook, dict[str, tuple[str, str]], list[str]]:
    """The project's codebook plus the file's new codes; guid -> ("thema"|"valentie", id) in the merged book."""
    themas = list(own.themas)
    by_id = {t.id: t for t in themas}
    by_label = {t.label.casefold(): t.id for t in themas}
    renamed: dict[str, str] = {}
    nieuw: list[str] = []
    for thema in qda.codebook.themas:
        match = thema.id if thema.id in by_id else by_label.get(thema.label.casefold())
        if match:
            renamed[thema.id] = match
            continue
        ident, n = thema.id, 2
        while ident in by_id:
            ident, n = f"{thema.id}_{n}", n + 1
        renamed[thema.id] = ident
        added = thema.model_copy(update={"id": ident, "ouder": renamed.get(thema.ouder) if thema.ouder else None})
        themas.append(added)
        by_id[ident] = added
        by_label[added.label.casefold()] = ident
        nieuw.append(ident)
    valence_ids = {v.id for v in own.valentie}
    valenties = list(own.valentie) + [v for v in qda.codebook.valentie if v.id not in valence_ids]
    mapping = {guid: (kind, renamed.get(ident, ident) if kind == "thema" else ident)
               for guid, (kind, ident) in qda.by_guid.items()}
    merged = Codebook(versie=own.versie, valentie=valenties, themas=themas) if nieuw else own
    return merged, mapping, nieuw


def _write_codebook(project: Project, codebook: Codebook):
    """Write the merged codebook.yml atomically; returns a function that puts the old one back."""
    path = project.codebook_path
    old = path.read_bytes() if path.exists() else None
    data = codebook.model_dump(exclude_defaults=True)
    text = ("# Codeboek van dit project (aangevuld met codes uit een REFI-QDA-bestand).\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=110))
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)

    def restore():
        if old is None:
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(old)

    return restore


# ---------------------------------------------------------------------------- stories and codings
def _variables(bron: Bron, qda: QdaProject) -> dict:
    """Story fields from the source's variables and its cases; anything else is kept as metadata."""
    values: dict = {}
    extra: dict = {}
    for case in qda.cases:
        if bron.guid in case.bronnen:
            if case.naam:
                extra["casus"] = case.naam
            values.update(case.variabelen)
    values.update(bron.variabelen)
    data: dict = {}
    for name, value in values.items():
        field = FIELD_NAMES.get(name.casefold().removeprefix("cases:").strip())
        if field in ("id", "tekst", "bron"):
            field = None
        if field and value:
            data[field] = value
        elif value:
            extra[name] = value
    groups = qda.bron_groepen.get(bron.guid)
    if groups:
        extra["groepen"] = "; ".join(groups)
    if extra:
        data["kenmerken"] = extra
    return data


def _grouped(bron: Bron, mapping: dict, labels: dict[str, str], waarschuwingen: list[str]) -> list[dict]:
    """Selections per span and coder with each theme's valence; QualCoder writes one selection per code.

    A valence goes with the themes of its own selection (wijkkit, ATLAS.ti, MAXQDA), else with the theme named in
    a selection's "valentie bij <thema>" line (wijkkit's export read back from QualCoder), else, for a selection
    holding a valence alone, with the themes of that span without one, when it is the only valence there. Two
    valences that no line pairs with their themes are not guessed: the themes come in without one, and that is said.
    """
    groups: dict[tuple, dict] = {}
    for sel in bron.selecties:
        key = (sel.start, sel.end, sel.codeur, sel.heel_verhaal)
        group = groups.setdefault(key, {"start": sel.start, "end": sel.end, "codeur": sel.codeur,
                                        "heel": sel.heel_verhaal, "themas": {}, "los": set()})
        kinds = [mapping.get(guid, (None, None)) for guid in sel.codes]
        themes = [ident for kind, ident in kinds if kind == "thema"]
        valences = [ident for kind, ident in kinds if kind == "valentie"]
        for thema in themes:
            said = sel.valenties.get(labels.get(thema, thema)) or sel.valenties.get(thema)
            if said is None and len(sel.valenties) == 1 and len(themes) == 1:
                said = next(iter(sel.valenties.values()))
            valence = said or (valences[-1] if valences else None)
            if valence or thema not in group["themas"]:
                group["themas"][thema] = valence
        if not themes:
            group["los"].update(valences)
    for group in groups.values():
        open_themes = [t for t, v in group["themas"].items() if v is None]
        if open_themes and len(group["los"]) == 1:
            for thema in open_themes:
                group["themas"][thema] = next(iter(group["los"]))
        elif open_themes and len(group["los"]) > 1:
            waarschuwingen.append(
                f"Bron {bron.naam!r}: {' en '.join(sorted(group['los']))} op één stuk tekst van {group['codeur']} met "
                f"{len(group['themas'])} thema's, zonder te zeggen welke valentie bij welk thema hoort; "
                f"{', '.join(open_themes)} zonder valentie ingelezen.")
    return [g for g in groups.values() if g["themas"]]


def _segment(segments, start: int, end: int) -> int | None:
    """The sentence a coded span belongs to: the one it overlaps most."""
    best, overlap = None, 0
    for seg_id, seg_start, seg_end in segments:
        shared = min(end, seg_end) - max(start, seg_start)
        if shared > overlap:
            best, overlap = seg_id, shared
    return best


def _unknown_codes(qda: QdaProject, mapping: dict, bestand: str) -> list[Probleem]:
    problemen = []
    for bron in qda.bronnen:
        for sel in bron.selecties:
            for guid in sel.codes:
                if guid not in mapping:
                    problemen.append(Probleem(bestand, "een codering met een code uit het codeboek van het bestand",
                                              rij=bron.index, kolom="CodeRef", soort="veld",
                                              gevonden=f"bron {bron.naam!r}: onbekende code {guid}"))
    return problemen[:20]


def _anchor_known(store, known: list, pseudo, bestand: str, problemen: list) -> dict:
    """For stories already in the store: how the file's positions land on the stored text.

    Same text (after pseudonymisation): position for position. Changed text: every coded span is
    looked up by its own words; a span that cannot be found once and only once stops the import.
    """
    anchored = {}
    with store.read() as session:
        texts = dict(session.execute(select(Story.id, Story.tekst).where(
            Story.id.in_([sid for _, sid in known]))).all())
    for bron, story_id in known:
        stored = texts[story_id]
        result = pseudo.pseudonymise(bron.tekst)
        if result.tekst == stored:
            anchored[story_id] = (stored, lambda s, e, r=result: (r.positie(s), r.positie(e, einde=True)))
            continue
        spots = {}
        for sel in bron.selecties:
            if sel.heel_verhaal:
                continue
            piece = pseudo.pseudonymise(bron.tekst[sel.start:sel.end]).tekst.strip()
            found = [m.start() for m in re.finditer(re.escape(piece), stored)] if piece else []
            if len(found) != 1:
                problemen.append(Probleem(bestand, "dezelfde tekst als het verhaal in de store, of een gecodeerd stuk "
                                          "dat er precies één keer in staat", rij=bron.index, kolom="tekst",
                                          soort="veld", gevonden=f"bron {bron.naam!r}: {piece[:40]!r} "
                                          f"{'niet gevonden' if not found else f'{len(found)} keer gevonden'}"))
                continue
            spots[(sel.start, sel.end)] = (found[0], found[0] + len(piece))
        anchored[story_id] = (stored, lambda s, e, spots=spots: spots.get((s, e), (s, e)))
    return anchored


def _memos(qda: QdaProject, mapping: dict) -> dict:
    """Memos per source guid (None: not tied to a story): (tied to story?, theme, coder, text, title)."""
    plan: dict = defaultdict(list)
    themes_of = {}
    placed: set[str] = set()
    for bron in qda.bronnen:
        for sel in bron.selecties:
            themes = [mapping[g][1] for g in sel.codes if mapping.get(g, ("", ""))[0] == "thema"]
            themes_of[id(sel)] = themes
            for note_guid in sel.notes:
                note = qda.notities.get(note_guid)
                if note:
                    for thema in themes or [None]:
                        plan[bron.guid].append((True, thema, note.codeur, note.tekst, note.naam))
                    placed.add(note_guid)
            if sel.memo:  # a coding memo (QualCoder, MAXQDA): the selection's Description
                for thema in themes or [None]:
                    plan[bron.guid].append((True, thema, sel.codeur, sel.memo, ""))
        for note_guid in bron.notes:
            note = qda.notities.get(note_guid)
            if note:
                theme = next((mapping[t][1] for o, t in qda.links if o == note_guid
                              and mapping.get(t, ("", ""))[0] == "thema"), None)
                plan[bron.guid].append((True, theme, note.codeur, note.tekst, note.naam))
                placed.add(note_guid)
    code_of_note = {n: c for c, notes in qda.code_notes.items() for n in notes}
    for note_guid, note in qda.notities.items():
        if note_guid in placed:
            continue
        target = code_of_note.get(note_guid) or next((t for o, t in qda.links if o == note_guid), None) \
            or next((o for o, t in qda.links if t == note_guid), None)
        kind, thema = mapping.get(target, (None, None))
        plan[None].append((False, thema if kind == "thema" else None, note.codeur, note.tekst, note.naam))
    return plan
