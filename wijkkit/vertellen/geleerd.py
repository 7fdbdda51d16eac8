"""The team's learned theme classifier in use: load it, let it score sentences, weigh it against the rules.

Training it is :mod:`wijkkit.coderen.leren` (``wijkkit coderen leer``); using it belongs with the suggestions
(:mod:`wijkkit.vertellen.suggesties`), so the stories never reach up into coding to get a suggestion.
"""

from __future__ import annotations

import json
from pathlib import Path

import spacy

MODEL_CODER = "wijkkit-model"
DREMPEL = 0.5


def predict(nlp: spacy.language.Language, texts: list[str], threshold: float = DREMPEL) -> list[dict[str, float]]:
    """Scores per theme at or above ``threshold`` for each text."""
    return [{t: s for t, s in doc.cats.items() if s >= threshold} for doc in nlp.pipe(t.lower() for t in texts)]


def reweigh(rule_score: float, model_score: float) -> float:
    """A rule suggestion on a theme the model learned: the mean of the rule's score and the model's probability.

    The rules know the codebook's words, the model knows how this team used them; where the model,
    trained on sentences like this one, finds the theme unlikely, the suggestion sinks below the line.
    """
    return (rule_score + model_score) / 2


def load_model(target: str | Path) -> tuple[spacy.language.Language, dict] | None:
    target = Path(target)
    if not (target / "rapport.json").exists():
        return None
    return spacy.load(target), json.loads((target / "rapport.json").read_text(encoding="utf-8"))
