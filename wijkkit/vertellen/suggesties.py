"""Re-run the tagger over stories in the store: new suggestions, decisions left untouched."""

from __future__ import annotations

from sqlalchemy import delete, select

from wijkkit.codebook import load_codebook
from wijkkit.config import Project
from wijkkit.store.models import Coding, Story
from wijkkit.vertellen.importeren import TAGGER_CODER, project_store, suggestion_codings
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
        count = 0
        for story, suggestions in zip(todo, tagger.pipe(s.tekst for s in todo)):
            segment_ids = {seg.nr: seg.id for seg in story.segments}
            session.add_all(suggestion_codings(story.id, suggestions, segment_ids, version_id))
            count += len(suggestions)
    return count, len(todo)
