"""Re-run the tagger (and, when switched on, the learned model) over stories in the store.

New suggestions only; coders' decisions are never touched.
"""

from __future__ import annotations

from sqlalchemy import delete, select

from wijkkit.config import Project
from wijkkit.store.models import Coding, Story
from wijkkit.vertellen.importeren import TAGGER_CODER, project_store, suggestion_codings
from wijkkit.vertellen.tagger import Tagger


def suggest_for_store(project: Project, *, opnieuw: bool = False, model: bool | None = None) -> tuple[int, int]:
    """Tag stories without suggestions (all with ``opnieuw``); returns (suggestions, stories).

    ``model`` None follows the project setting ``[coderen] leermodel``.
    """
    store = project_store(project)
    codebook = project.load_codebook()
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
    use_model = project.config.coderen.leermodel if model is None else model
    if use_model:
        count += suggest_with_model(project, store, version_id)
    return count, len(todo)


def suggest_with_model(project: Project, store, version_id: int | None = None) -> int:
    """Replace the learned model's open suggestions; only where the rules did not already suggest the theme."""
    from wijkkit.coderen.leren import MODEL_CODER, load_model, predict

    loaded = load_model(project.model_dir)
    if loaded is None:
        raise FileNotFoundError("er is nog geen geleerd model: train het eerst met 'wijkkit leer'")
    nlp, _ = loaded
    with store.session() as session:
        session.execute(delete(Coding).where(Coding.codeur == MODEL_CODER, Coding.status == "suggested"))
        rules = {(c.segment_id, c.thema) for c in session.scalars(
            select(Coding).where(Coding.codeur == TAGGER_CODER, Coding.status == "suggested"))}
        segments = [seg for story in session.scalars(select(Story)) for seg in story.segments]
        count = 0
        for seg, found in zip(segments, predict(nlp, [s.tekst for s in segments])):
            for theme, score in sorted(found.items()):
                if (seg.id, theme) in rules:
                    continue
                session.add(Coding(story_id=seg.story_id, segment_id=seg.id, thema=theme, status="suggested",
                                   codeur=MODEL_CODER, start=seg.start, end=seg.end, bewijs=seg.tekst,
                                   term="(geleerd model)", score=round(float(score), 3),
                                   codebook_version_id=version_id))
                count += 1
    return count
