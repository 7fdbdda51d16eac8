"""Learning from the team: a spaCy text classifier trained on the project's own codings.

The unit is a sentence (segment) of a story that at least one coder has finished. A theme
is a label of the sentence when most of the coders who finished the story applied it there
(ties count as applied); a theme is learned only when it has at least ``minimum`` such
sentences. Before a model is used, :func:`cross_validate` reports precision and recall per
theme for the rules alone, the model alone and both together on the same folds (grouped by
story, so sentences of one story never sit in both train and test). Training happens only
when someone asks for it (``wijkkit coderen leer``); nothing retrains in the background.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import spacy
from sklearn.model_selection import GroupKFold
from spacy.training import Example
from sqlalchemy import select

from wijkkit.codebook import Codebook
from wijkkit.coderen.beslissingen import finished
from wijkkit.coderen.kwaliteit import team_labels
from wijkkit.store import Store
from wijkkit.store.models import Segment, Story
from wijkkit.vertellen.geleerd import (  # noqa: F401  (using a model lives with the suggestions; read here too)
    DREMPEL, MODEL_CODER, load_model, predict, reweigh)
from wijkkit.vertellen.tagger import Tagger

# Config over code: a bag-of-words classifier on words and word pairs, CPU only, no vectors.
MODEL_CONFIG = {"threshold": DREMPEL, "model": {"@architectures": "spacy.TextCatBOW.v3", "exclusive_classes": False,
                                                "ngram_size": 2, "no_output_layer": False, "length": 262144}}
TRAINING = {"epochs": 15, "dropout": 0.2, "batch_size": 16, "seed": 0}


def training_set(store: Store, codebook: Codebook, tagger: Tagger | None = None) -> pd.DataFrame:
    """Sentences of finished stories with the team's labels (majority) and the rules' suggestions."""
    done = finished(store)
    with store.read() as session:
        rows = session.execute(select(Segment.id, Segment.story_id, Segment.nr, Segment.tekst, Story.tekst)
                               .join(Story, Story.id == Segment.story_id)
                               .where(Segment.story_id.in_(set(done["story_id"])))).all()
    frame = pd.DataFrame(rows, columns=["segment_id", "story_id", "nr", "tekst", "verhaal"])
    if frame.empty:
        return frame.assign(labels=[], regels=[], regelscores=[])
    labels = team_labels(store)
    themes = set(codebook.theme_ids)
    per_segment: dict[int, set] = {}
    for segment_id, theme in labels:
        if theme in themes:
            per_segment.setdefault(segment_id, set()).add(theme)
    frame["labels"] = [frozenset(per_segment.get(sid, ())) for sid in frame["segment_id"]]
    tagger = tagger or Tagger(codebook)
    story_texts = frame.drop_duplicates("story_id")[["story_id", "verhaal"]]
    rules: dict[str, dict[int, dict[str, float]]] = {story: {} for story in story_texts["story_id"]}
    for story, suggestions in zip(story_texts["story_id"], tagger.pipe(story_texts["verhaal"])):
        for s in suggestions:
            found = rules[story].setdefault(s.zin, {})
            found[s.thema] = max(found.get(s.thema, 0.0), s.score)
    frame["regelscores"] = [rules[story].get(nr, {}) for story, nr in zip(frame["story_id"], frame["nr"])]
    frame["regels"] = [frozenset(found) for found in frame["regelscores"]]
    return frame.drop(columns="verhaal").sort_values(["story_id", "nr"]).reset_index(drop=True)


def learnable_themes(frame: pd.DataFrame, minimum: int) -> tuple[list[str], dict[str, int]]:
    counts: dict[str, int] = {}
    for labels in frame["labels"]:
        for theme in labels:
            counts[theme] = counts.get(theme, 0) + 1
    return sorted(t for t, n in counts.items() if n >= minimum), counts


def train(texts: list[str], labels: list[frozenset], themes: list[str], **settings) -> spacy.language.Language:
    """A fresh ``textcat_multilabel`` pipeline trained on ``texts``; deterministic for a given seed."""
    options = {**TRAINING, **settings}
    spacy.util.fix_random_seed(options["seed"])
    nlp = spacy.blank("nl")
    textcat = nlp.add_pipe("textcat_multilabel", config=MODEL_CONFIG)
    for theme in themes:
        textcat.add_label(theme)
    examples = [Example.from_dict(nlp.make_doc(text.lower()), {"cats": {t: float(t in labs) for t in themes}})
                for text, labs in zip(texts, labels)]
    optimizer = nlp.initialize(lambda: examples)
    rng = random.Random(options["seed"])
    for _ in range(options["epochs"]):
        rng.shuffle(examples)
        for batch in spacy.util.minibatch(examples, size=options["batch_size"]):
            nlp.update(batch, drop=options["dropout"], sgd=optimizer)
    return nlp


def combine(rule_scores: dict[str, float], probabilities: dict[str, float], themes: list[str]) -> frozenset:
    """Themes suggested for one sentence by rules re-weighed by the model, plus the model's own finds."""
    learned = set(themes)
    found = {t for t, score in rule_scores.items() if t in learned and reweigh(score, probabilities.get(t, 0.0))
             >= DREMPEL}
    found |= {t for t, p in probabilities.items() if p >= DREMPEL}
    return frozenset(found)


def scores(truth: list[frozenset], predicted: list[frozenset], themes: list[str]) -> pd.DataFrame:
    """Precision, recall and F1 per theme and micro-averaged over ``themes``."""
    rows = []
    totals = np.zeros(3)
    for theme in themes:
        tp = sum(theme in t and theme in p for t, p in zip(truth, predicted))
        fp = sum(theme not in t and theme in p for t, p in zip(truth, predicted))
        fn = sum(theme in t and theme not in p for t, p in zip(truth, predicted))
        totals += (tp, fp, fn)
        rows.append(_prf(theme, tp, fp, fn))
    rows.append(_prf("micro", *totals))
    return pd.DataFrame(rows)


def _prf(name: str, tp: float, fp: float, fn: float) -> dict:
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return {"thema": name, "precisie": precision, "recall": recall, "f1": f1, "ondersteuning": int(tp + fn)}


def cross_validate(frame: pd.DataFrame, themes: list[str], *, folds: int = 5, groep: str = "story_id",
                   **settings) -> pd.DataFrame:
    """Out-of-fold predictions of rules, model and both; one row per (methode, thema)."""
    groups = frame[groep].to_numpy()
    probabilities: list[dict[str, float]] = [{}] * len(frame)
    for train_idx, test_idx in GroupKFold(n_splits=folds).split(frame, groups=groups):
        nlp = train(frame["tekst"].iloc[train_idx].tolist(), frame["labels"].iloc[train_idx].tolist(), themes,
                    **settings)
        for i, found in zip(test_idx, predict(nlp, frame["tekst"].iloc[test_idx].tolist(), threshold=0.0)):
            probabilities[i] = found
    model_pred = [frozenset(t for t, p in found.items() if p >= DREMPEL) for found in probabilities]
    truth = frame["labels"].tolist()
    rules = [r & set(themes) for r in frame["regels"]]
    both = [r | m for r, m in zip(rules, model_pred)]
    reweighed = [combine(rule_scores, found, themes) for rule_scores, found in zip(
        frame.get("regelscores", pd.Series([{}] * len(frame))), probabilities)]
    parts = [scores(truth, pred, themes).assign(methode=name)
             for name, pred in (("regels", rules), ("model", model_pred), ("regels + model", both),
                                ("regels herwogen door model", reweighed))]
    return pd.concat(parts, ignore_index=True)[["methode", "thema", "precisie", "recall", "f1", "ondersteuning"]]


@dataclass
class Leerrapport:
    """What was learned, from what, and how well it did in cross-validation."""

    themas: list[str]
    aantallen: dict[str, int]
    zinnen: int
    verhalen: int
    kruisvalidatie: pd.DataFrame
    getraind_op: str

    def micro(self, methode: str) -> float:
        cv = self.kruisvalidatie
        return float(cv[(cv["methode"] == methode) & (cv["thema"] == "micro")]["f1"].iloc[0])

    def to_dict(self) -> dict:
        return {"themas": self.themas, "aantallen": self.aantallen, "zinnen": self.zinnen, "verhalen": self.verhalen,
                "getraind_op": self.getraind_op, "config": MODEL_CONFIG, "training": TRAINING,
                "kruisvalidatie": self.kruisvalidatie.to_dict("records")}


def learn(store: Store, codebook: Codebook, target: str | Path, *, minimum: int = 10, folds: int = 5,
          **settings) -> Leerrapport:
    """Cross-validate, then train on all finished sentences and save model plus report to ``target``."""
    frame = training_set(store, codebook)
    themes, counts = learnable_themes(frame, minimum)
    if not themes:
        raise ValueError(f"nog geen thema met minstens {minimum} geaccepteerde zinnen in afgeronde verhalen")
    cv = cross_validate(frame, themes, folds=min(folds, frame["story_id"].nunique()), **settings)
    nlp = train(frame["tekst"].tolist(), frame["labels"].tolist(), themes, **settings)
    report = Leerrapport(themes, counts, len(frame), frame["story_id"].nunique(), cv,
                         datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    target = Path(target)
    tmp = target.with_name(target.name + ".nieuw")
    target.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(tmp)
    (tmp / "rapport.json").write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=1, default=float),
                                      encoding="utf-8")
    if target.exists():
        import shutil

        shutil.rmtree(target)
    tmp.replace(target)
    return report
