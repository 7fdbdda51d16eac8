"""Import stories into the store: validate all, pseudonymise, split, suggest themes, one transaction.

This is the one way stories enter a project: files (Markdown, CSV/XLSX, DOCX, TXT) through
:func:`import_stories`, and projects from other QDA tools (REFI-QDA) through the same
:func:`store_stories`, so both get the same checks, pseudonymisation and consent rules.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from wijkkit.config import Project
from wijkkit.privacy import Pseudonimiseerder, Resultaat
from wijkkit.privacy.metadata import MetadataPseudonimiseerder
from wijkkit.privacy.project import (  # noqa: F401  (moved down to privacy, so the schouw can use them; read here too)
    gebied_namen, metadata_pseudonimiseerder, project_pseudonimiseerder)
from wijkkit.store import Store
from wijkkit.store.models import Coding, Import, Original, Segment, Story
from wijkkit.vertellen.importers import read_stories
from wijkkit.vertellen.model import Verhaal
from wijkkit.vertellen.nlp import segments as split

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
    hernoemd: int = 0  # story ids that held something identifying


def suggestion_codings(story_id: str, verhaal, segment_ids: dict[int, int], version_id: int) -> list[Coding]:
    """Store rows for what the tagger read in a story (tagger.Verhaal; status 'suggested', coder
    'wijkkit-tagger'), each with its calibrated confidence where the tagger gave one."""
    zeker = verhaal.zekerheid or {}
    valentie = verhaal.valentie_zekerheid or {}
    return [Coding(story_id=story_id, segment_id=segment_ids.get(s.zin), thema=s.thema, valentie=s.valentie,
                   status="suggested", codeur=TAGGER_CODER, start=s.start, end=s.end, bewijs=s.bewijs, term=s.term,
                   score=s.score, zekerheid=zeker.get(s.thema), valentie_zekerheid=valentie.get(s.valentie),
                   codebook_version_id=version_id) for s in verhaal.suggesties]


def project_store(project: Project) -> Store:
    return project.open_store()


def import_stories(project: Project, source, *, store: Store | None = None, door: str = "",
                   mapping=None, defaults=None, suggest: bool = True, skip_existing: bool = False) -> ImportVerslag:
    """Read story files, check them all, and store them pseudonymised in one transaction."""
    store = store or project.open_store()
    codes, names = gebied_namen(project)
    pseudo = project_pseudonimiseerder(project, names)
    meta = metadata_pseudonimiseerder(project, pseudo)
    verhalen = read_stories(source, gebieden=codes, bestaande_ids=store.story_ids(), defaults=defaults,
                            mapping=mapping, skip_existing=skip_existing, rename=meta.story_id)
    return store_stories(project, store, verhalen, pseudo=pseudo, meta=meta, bron=str(source), door=door,
                         suggest=suggest)


def store_stories(project: Project, store: Store, verhalen: list[Verhaal], *, pseudo: Pseudonimiseerder,
                  meta: MetadataPseudonimiseerder, bron: str, door: str = "", suggest: bool = True,
                  extra: Callable[..., None] | None = None, daarna: Callable[..., None] | None = None
                  ) -> ImportVerslag:
    """Pseudonymise and store validated stories, with their sentences and suggestions, in one transaction.

    ``extra(session, verhaal, story, resultaat)`` adds more rows for a story inside the same
    transaction (codings and memos from another QDA tool, re-anchored on the pseudonymised text);
    ``daarna(session)`` adds rows after all stories (codings on stories already in the store).
    """
    if not verhalen and daarna is None:
        return ImportVerslag(0, 0, 0, 0)
    codebook = project.load_codebook()
    crypt = None
    if project.config.privacy.originelen_bewaren:
        from wijkkit.privacy.sleutel import fernet

        crypt = fernet(project)
    prepared: list[tuple[Verhaal, Resultaat]] = [(v, pseudo.pseudonymise(v.tekst)) for v in verhalen]
    if suggest:
        from wijkkit.vertellen.eigenmodel import project_tagger

        # read as the team's other untouched stories are: with the model re-fitted on its own, where in use
        tagger = project_tagger(store, project.model_dir, codebook)
        docs = list(tagger.lees([r.tekst for _, r in prepared], leren=tagger.leren))
    else:
        docs = [None] * len(prepared)

    verslag = ImportVerslag(0, len(prepared), 0, 0)
    pause = float(os.environ.get("WIJKKIT_TEST_PAUSE_IMPORT", "0"))  # lets a test SIGKILL mid-import
    with store.session() as session:
        version_id = store.register_codebook(codebook.model_dump_json(), session=session)
        record = Import(bron=bron[:500], aantal=len(prepared), door=door[:200])
        session.add(record)
        session.flush()
        for index, ((verhaal, result), gelezen) in enumerate(zip(prepared, docs)):
            story = Story(id=verhaal.id, tekst=result.tekst, datum=verhaal.datum, gebied=verhaal.gebied,
                          methode=verhaal.methode, verteller_rol=verhaal.verteller_rol,
                          verzamelaar=meta.verzamelaar(verhaal.verzamelaar), taal=verhaal.taal,
                          toestemming=verhaal.toestemming, bron=meta.bron(verhaal.bron, verhaal.bron_id, verhaal.id),
                          privacy=result.per_categorie, import_id=record.id,
                          kenmerken={k: pseudo.pseudonymise(v).tekst for k, v in verhaal.kenmerken.items()})
            for nr, (start, end, text) in enumerate(split(result.tekst)):
                story.segments.append(Segment(nr=nr, start=start, end=end, tekst=text))
            session.add(story)
            session.flush()
            by_nr = {seg.nr: seg.id for seg in story.segments}
            if gelezen is not None:  # what the tagger read in the story (tagger.Verhaal)
                session.add_all(suggestion_codings(story.id, gelezen, by_nr, version_id))
            if extra is not None:
                extra(session, verhaal, story, result)
            if crypt and verhaal.toestemming != "none":
                session.add(Original(story_id=story.id, versleuteld=crypt.encrypt(verhaal.tekst.encode("utf-8"))))
                verslag.originelen += 1
            verslag.segmenten += len(story.segments)
            verslag.suggesties += len(gelezen.suggesties) if gelezen is not None else 0
            verslag.vervangen.update(result.per_categorie)
            verslag.hernoemd += verhaal.id != verhaal.bron_id
            if pause and index == len(prepared) // 2:
                session.flush()
                marker = os.environ.get("WIJKKIT_TEST_PAUSE_MARKER")
                if marker:
                    Path(marker).write_text(str(index + 1), encoding="utf-8")
                time.sleep(pause)
        if daarna is not None:
            daarna(session)
        verslag.import_id = record.id
    return verslag
