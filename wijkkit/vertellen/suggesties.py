"""Re-run the tagger over stories in the store: new suggestions, decisions left untouched."""

from __future__ import annotations

from sqlalchemy import delete, select

from wijkkit.codebook import load_codebook
from wijkkit.config import Project
from wijkkit.store.models import Coding, Segment, Story
from wijkkit.vertellen.importeren import TAGGER_CODER, project_store
from wijkkit.vertellen.tagger import Tagger


def suggest_for_store(project: Project, *, opnieuw: bool = False) -> tuple[int, int]:
    store = project_store(project)
    codebook = load_codebook(project.codebook_path if project.codebook_path.exists() else None)
    tagger = Tagger(codebook)
    version_id = store.register_codebook(codebook.model_dump_json())
    with store.session() as session:
        stories = session.scalars(select(Story)).all()
        has = set(session.scalars(select(Coding.story_id).where(Coding.codeur == TAGGER_CODER)))
        todo = [s for s in stories if opnieuw or s.id not in has]
        if opnieuw:  # only the tagger's open suggestions are replaced; coders' decisions stay
            session.execute(delete(Coding).where(Coding.codeur == TAGGER_CODER, Coding.status == "suggested",
                                                 Coding.story_id.in_([s.id for s in todo])))
        segments = {(seg.story_id, seg.nr): seg.id for seg in session.scalars(select(Segment))}
        count = 0
        for story, suggestions in zip(todo, tagger.pipe(s.tekst for s in todo)):
            for s in suggestions:
                session.add(Coding(story_id=story.id, segment_id=segments.get((story.id, s.zin)), thema=s.thema,
                                   valentie=s.valentie, status="suggested", codeur=TAGGER_CODER, start=s.start,
                                   end=s.end, bewijs=s.bewijs, term=s.term, score=s.score,
                                   codebook_version_id=version_id))
                count += 1
    return count, len(todo)
