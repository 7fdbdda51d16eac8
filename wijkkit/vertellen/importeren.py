"""Import stories into the store: validate all, pseudonymise, split, suggest themes, one transaction."""

from __future__ import annotations

import os
import time
from pathlib import Path
from collections import Counter
from dataclasses import dataclass, field

from wijkkit.config import Project
from wijkkit.privacy import Pseudonimiseerder
from wijkkit.store import Store
from wijkkit.store.models import Coding, Import, Original, Segment, Story
from wijkkit.vertellen.importers import read_stories
from wijkkit.vertellen.nlp import segments as split
from wijkkit.vertellen.tagger import Tagger

TAGGER_CODER = "wijkkit-tagger"


@dataclass
class ImportVerslag:
    """What an import did, for the privacy report and the CLI."""

    import_id: int
    verhalen: int
    segmenten: int
    suggesties: int
    vervangen: Counter = field(default_factory=Counter)  # pseudonymised spans per category
    originelen: int = 0


def suggestion_codings(story_id: str, suggestions, segment_ids: dict[int, int], version_id: int) -> list[Coding]:
    """Store rows for tagger suggestions (status 'suggested', coder 'wijkkit-tagger')."""
    return [Coding(story_id=story_id, segment_id=segment_ids.get(s.zin), thema=s.thema, valentie=s.valentie,
                   status="suggested", codeur=TAGGER_CODER, start=s.start, end=s.end, bewijs=s.bewijs, term=s.term,
                   score=s.score, codebook_version_id=version_id) for s in suggestions]


def project_store(project: Project) -> Store:
    return project.open_store()


def gebied_namen(project: Project) -> tuple[set[str], set[str]]:
    """Known gebied codes and the names to keep in texts (gebieden, the gemeente)."""
    cijfers = project.load_indicators()
    areas = cijfers[["gebied_code", "gebied_naam"]].drop_duplicates()
    codes = set(areas["gebied_code"].astype(str)) | set(project.config.project.gebieden)
    names = {str(n) for n in areas["gebied_naam"]}
    names |= {n.split(" ", 2)[-1] for n in names if n.startswith("Wijk ")}  # "Wijk 02 Rietveld" -> "Rietveld"
    return codes, names


def import_stories(project: Project, source, *, store: Store | None = None, door: str = "",
                   mapping=None, defaults=None, suggest: bool = True, skip_existing: bool = False) -> ImportVerslag:
    store = store or project_store(project)
    codes, names = gebied_namen(project)
    verhalen = read_stories(source, gebieden=codes, bestaande_ids=store.story_ids(), defaults=defaults,
                            mapping=mapping, skip_existing=skip_existing)
    if not verhalen:
        return ImportVerslag(0, 0, 0, 0)
    pseudo = Pseudonimiseerder(names | {project.config.project.naam})
    codebook = project.load_codebook()
    tagger = Tagger(codebook)
    version_id = store.register_codebook(codebook.model_dump_json())
    keep_originals = project.config.privacy.originelen_bewaren
    crypt = None
    if keep_originals:
        from wijkkit.privacy.sleutel import fernet

        crypt = fernet(project.root)

    prepared = []
    for verhaal in verhalen:
        result = pseudo.pseudonymise(verhaal.tekst)
        prepared.append((verhaal, result))
    docs = list(tagger.pipe(r.tekst for _, r in prepared)) if suggest else [[] for _ in prepared]

    verslag = ImportVerslag(0, len(prepared), 0, 0)
    pause = float(os.environ.get("WIJKKIT_TEST_PAUSE_IMPORT", "0"))  # lets a test SIGKILL mid-import
    with store.session() as session:
        record = Import(bron=str(source)[:500], aantal=len(prepared), door=door)
        session.add(record)
        session.flush()
        for index, ((verhaal, result), suggestions) in enumerate(zip(prepared, docs)):
            story = Story(id=verhaal.id, tekst=result.tekst, datum=verhaal.datum, gebied=verhaal.gebied,
                          methode=verhaal.methode, verteller_rol=verhaal.verteller_rol,
                          verzamelaar=verhaal.verzamelaar, taal=verhaal.taal, toestemming=verhaal.toestemming,
                          bron=verhaal.bron, privacy=result.per_categorie, import_id=record.id)
            for nr, (start, end, text) in enumerate(split(result.tekst)):
                story.segments.append(Segment(nr=nr, start=start, end=end, tekst=text))
            session.add(story)
            session.flush()
            by_nr = {seg.nr: seg.id for seg in story.segments}
            session.add_all(suggestion_codings(story.id, suggestions, by_nr, version_id))
            if crypt and verhaal.toestemming != "none":
                session.add(Original(story_id=story.id, versleuteld=crypt.encrypt(verhaal.tekst.encode("utf-8"))))
                verslag.originelen += 1
            verslag.segmenten += len(story.segments)
            verslag.suggesties += len(suggestions)
            verslag.vervangen.update(result.per_categorie)
            if pause and index == len(prepared) // 2:
                session.flush()
                marker = os.environ.get("WIJKKIT_TEST_PAUSE_MARKER")
                if marker:
                    Path(marker).write_text(str(index + 1), encoding="utf-8")
                time.sleep(pause)
        verslag.import_id = record.id
    return verslag
