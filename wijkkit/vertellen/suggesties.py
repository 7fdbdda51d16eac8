"""Re-run the tagger (and, when switched on, the learned model) over stories in the store.

New suggestions only; coders' decisions are never touched.
"""

from __future__ import annotations

from sqlalchemy import delete, select, text

from wijkkit.codebook import Codebook
from wijkkit.config import Project
from wijkkit.store import Store
from wijkkit.store.models import Afgerond, Coding, Story
from wijkkit.vertellen.eigenmodel import project_tagger
from wijkkit.vertellen.importeren import TAGGER_CODER, project_store, suggestion_codings
from wijkkit.vertellen.tagger import Tagger

SLOT = 383838  # PostgreSQL advisory lock: one re-read of the suggestions at a time, across kernels


def suggest_for_store(project: Project, *, opnieuw: bool = False, model: bool | None = None
                      ) -> tuple[int, int, int]:
    """Tag stories without suggestions (with ``opnieuw`` also those nobody has touched yet); returns
    (suggestions, stories tagged, stories with suggestions kept because a coder worked on them).

    A story with a decision or a "klaar" mark keeps its suggestions even with ``opnieuw``: an answer keeps the
    suggestion it answered (learning from this team's answers needs it). ``model`` None follows the project
    setting ``[coderen] leermodel``.
    """
    store = project_store(project)
    codebook = project.load_codebook()
    tagger = project_tagger(store, project.model_dir, codebook)
    version_id = store.register_codebook(codebook.model_dump_json())
    with store.session() as session:
        stories = session.scalars(select(Story)).all()
        has = set(session.scalars(select(Coding.story_id).where(Coding.codeur == TAGGER_CODER)))
        free = untouched(session) if opnieuw else set()
        todo = [s for s in stories if s.id not in has or s.id in free]
        kept = sum(s.id in has for s in stories) - sum(s.id in has for s in todo) if opnieuw else 0
        if opnieuw:  # only the tagger's open suggestions of untouched stories are replaced
            session.execute(delete(Coding).where(Coding.codeur == TAGGER_CODER, Coding.status == "suggested",
                                                 Coding.story_id.in_([s.id for s in todo])))
        count = 0
        for story, verhaal in zip(todo, tagger.lees([s.tekst for s in todo], leren=tagger.leren)):
            segment_ids = {seg.nr: seg.id for seg in story.segments}
            session.add_all(suggestion_codings(story.id, verhaal, segment_ids, version_id))
            count += len(verhaal.suggesties)
    use_model = project.config.coderen.leermodel if model is None else model
    if use_model:
        count += suggest_with_model(project, store, version_id)
    return count, len(todo), kept


def suggest_with_model(project: Project, store, version_id: int | None = None) -> int:
    """Replace the learned model's open suggestions and re-weigh the rules' open suggestions by the model.

    On a theme the model learned, a rule suggestion's score becomes the mean of the rule's own score
    and the model's probability (:func:`wijkkit.coderen.leren.reweigh`), computed from the rules' own
    score every time, so running this twice changes nothing. The model adds suggestions only where
    the rules did not already suggest the theme.
    """
    from wijkkit.vertellen.geleerd import DREMPEL, MODEL_CODER, load_model, predict, reweigh

    loaded = load_model(project.model_dir)
    if loaded is None:
        raise FileNotFoundError("er is nog geen geleerd model: train het eerst met 'wijkkit coderen leer'")
    nlp, rapport = loaded
    learned = set(rapport.get("themas", []))
    tagger = Tagger(project.load_codebook())
    with store.session() as session:
        session.execute(delete(Coding).where(Coding.codeur == MODEL_CODER, Coding.status == "suggested"))
        stories = session.scalars(select(Story)).all()
        rule_scores: dict[tuple[str, int, str], float] = {}
        for story, suggestions in zip(stories, tagger.pipe(s.tekst for s in stories)):
            for sug in suggestions:
                key = (story.id, sug.zin, sug.thema)
                rule_scores[key] = max(rule_scores.get(key, 0.0), sug.score)
        open_rules = session.scalars(select(Coding).where(Coding.codeur == TAGGER_CODER,
                                                          Coding.status == "suggested")).all()
        rules = {(c.segment_id, c.thema): c for c in open_rules}
        segments = [seg for story in stories for seg in story.segments]
        count = 0
        for seg, found in zip(segments, predict(nlp, [s.tekst for s in segments], threshold=0.0)):
            for theme, probability in sorted(found.items()):
                rule = rules.get((seg.id, theme))
                if rule is not None:
                    if theme in learned and (seg.story_id, seg.nr, theme) in rule_scores:
                        rule.score = round(reweigh(rule_scores[(seg.story_id, seg.nr, theme)], probability), 3)
                    continue
                if probability < DREMPEL:
                    continue
                session.add(Coding(story_id=seg.story_id, segment_id=seg.id, thema=theme, status="suggested",
                                   codeur=MODEL_CODER, start=seg.start, end=seg.end, bewijs=seg.tekst,
                                   term="(geleerd model)", score=round(float(probability), 3),
                                   codebook_version_id=version_id))
                count += 1
    return count


def untouched(session) -> set[str]:
    """Stories without any decision or "klaar" mark: only their suggestions may be read again."""
    touched = set(session.scalars(select(Coding.story_id).where(Coding.status != "suggested")))
    touched |= set(session.scalars(select(Afgerond.story_id)))
    return set(session.scalars(select(Story.id))) - touched


def reread(store: Store, codebook: Codebook, reader) -> int:
    """Replace the tagger's open suggestions of untouched stories by what ``reader`` (a Tagger) reads; returns
    the number of stories read again. The reading takes seconds and happens first; the replacement is one
    short transaction, one at a time across kernels, and skips a story a coder touched meanwhile."""
    version_id = store.register_codebook(codebook.model_dump_json())
    with store.read() as session:
        todo = sorted(untouched(session))
        texts = dict(session.execute(select(Story.id, Story.tekst).where(Story.id.in_(todo))).all())
    readings = dict(zip(todo, reader.lees([texts[s] for s in todo], leren=reader.leren)))
    with store.session() as session:
        if store.engine.dialect.name == "postgresql":
            session.execute(text(f"SELECT pg_advisory_xact_lock({SLOT})"))
        still = sorted(untouched(session) & set(readings))
        session.execute(delete(Coding).where(Coding.codeur == TAGGER_CODER, Coding.status == "suggested",
                                             Coding.story_id.in_(still)))
        for story in session.scalars(select(Story).where(Story.id.in_(still))):
            session.add_all(suggestion_codings(story.id, readings[story.id],
                                               {seg.nr: seg.id for seg in story.segments}, version_id))
    return len(still)
