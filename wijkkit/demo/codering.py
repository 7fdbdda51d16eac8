"""Demo coding team: two simulated coders work through the demo stories.

The demo fragments carry their true theme and valence (``wijkkit.demo.verhalen.FRAGMENTEN``), so a
simulated coder can answer the tagger's suggestions the way a careful person would: accept
the right ones, reject the wrong ones, add what the tagger missed, and make an occasional
mistake (``ruis``). A researcher codes most stories; a student codes an assigned sample,
so the demo has agreement figures and training data for the learned classifier.
Everything is fictional and marked as such in the notebooks. The seed is fixed.
"""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from wijkkit.coderen.beslissingen import assign_sample, coders, mark_done
from wijkkit.demo.verhalen import FRAGMENTEN
from wijkkit.store import Store
from wijkkit.store.models import Coding, Story
from wijkkit.vertellen.importeren import TAGGER_CODER

ONDERZOEKER = "Sanne (onderzoeker)"
STUDENT = "Youssef (student)"
SEED = 2026
ONAF = 12  # stories the researcher has not finished yet, so the workbench has open work


def fragment_gold() -> dict[str, tuple[str, str]]:
    """Fragment sentence -> (theme, valence)."""
    return {sentence: key for key, sentences in FRAGMENTEN.items() for sentence in sentences}


def code_story(story: Story, suggestions: list[Coding], coder: str, ruis: float, rng: np.random.Generator,
               themes: list[str]) -> list[Coding]:
    """The decisions of one simulated coder on one story."""
    gold = fragment_gold()
    rows = []
    for segment in story.segments:
        truth = gold.get(segment.tekst)
        offered = [s for s in suggestions if s.segment_id == segment.id]
        wanted = {truth[0]} if truth else set()
        if truth and rng.random() < ruis:  # overlooked
            wanted = set()
        if rng.random() < ruis / 2:  # a plausible but wrong extra theme
            wanted.add(themes[rng.integers(len(themes))])
        valence = truth[1] if truth else "neutraal"
        for suggestion in offered:
            keep = suggestion.thema in wanted
            rows.append(Coding(story_id=story.id, segment_id=segment.id, thema=suggestion.thema,
                               valentie=valence if keep and suggestion.thema == (truth or ("",))[0]
                               else suggestion.valentie, status="accepted" if keep else "rejected",
                               codeur=coder, start=suggestion.start, end=suggestion.end, bewijs=suggestion.bewijs,
                               term=suggestion.term, suggestie_id=suggestion.id))
            wanted.discard(suggestion.thema)
        for theme in sorted(wanted):
            rows.append(Coding(story_id=story.id, segment_id=segment.id, thema=theme,
                               valentie=valence if truth and theme == truth[0] else "neutraal", status="manual",
                               codeur=coder, start=segment.start, end=segment.end, bewijs=segment.tekst))
    return rows


def simulate(store: Store, themes: list[str], *, seed: int = SEED, aandeel_student: float = 0.3) -> dict:
    """Let the two demo coders code; does nothing when they already have (idempotent)."""
    if ONDERZOEKER in coders(store):
        return {"overgeslagen": True}
    rng = np.random.default_rng(seed)
    with store.read() as session:
        stories = session.scalars(select(Story).where(Story.toestemming != "none").order_by(Story.id)).all()
        for story in stories:
            story.segments  # load while the session is open
        suggestions = session.scalars(select(Coding).where(Coding.codeur == TAGGER_CODER,
                                                           Coding.status == "suggested")).all()
    by_story: dict[str, list[Coding]] = {}
    for suggestion in suggestions:
        by_story.setdefault(suggestion.story_id, []).append(suggestion)
    finished = stories[:-ONAF]
    with store.session() as session:
        for story in stories:
            session.add_all(code_story(story, by_story.get(story.id, []), ONDERZOEKER, 0.04, rng, themes))
    for story in finished:
        mark_done(store, story.id, ONDERZOEKER)
    sample = assign_sample(store, codeur=STUDENT, aandeel=aandeel_student, van=ONDERZOEKER, door=ONDERZOEKER,
                           seed=seed)
    chosen = [s for s in stories if s.id in set(sample)]
    with store.session() as session:
        for story in chosen:
            session.add_all(code_story(story, by_story.get(story.id, []), STUDENT, 0.10, rng, themes))
    for story in chosen:
        mark_done(store, story.id, STUDENT)
    return {"onderzoeker": len(stories), "afgerond": len(finished), "student": len(chosen)}
