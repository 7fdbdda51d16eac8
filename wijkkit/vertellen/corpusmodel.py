"""A second reader for themes and valence, learned from real resident quotes (``wijkkit/data/bewoners``).

The rules read first. A small scikit-learn model (logistic regression on character n-grams, words and
the rules' own scores) gives every theme a probability and the story a valence; per theme, and for
valence, a *strategie* says how the two are combined:

* ``regels``: the rules alone;
* ``model``: the model alone (probability at least ``DREMPEL_MODEL``);
* ``of``: the rules, plus the model where it is sure (at least ``DREMPEL_OF``) and the rules saw nothing;
* ``en``: the rules, but only where the model does not contradict them (at least ``DREMPEL_EN``):
  elsewhere wijkkit abstains ("geen suggestie").

For valence: ``regels``, ``model``, ``samen`` (the model where it is sure, else the rules) or
``aanvullen`` (the rules, and the model where the rules found no evaluative words).

Which strategy a theme uses is chosen by grouped cross-validation on the corpus (sources never sit in
both training and test) and stored with the corpus as ``strategie.json``, together with the
cross-validated precision, recall and F1 of that choice; ``wijkkit vertellen evalueer --cv 5 --schrijf``
recomputes it. The thresholds are fixed here, before any measurement, not tuned.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from wijkkit.vertellen.nlp import fold

VALENTIES = ("kracht", "knelpunt", "neutraal")
STRATEGIEEN = ("regels", "model", "of", "en")
VALENTIE_STRATEGIEEN = ("regels", "model", "samen", "aanvullen")
DREMPEL_MODEL, DREMPEL_OF, DREMPEL_EN = 0.5, 0.6, 0.3
DREMPEL_VALENTIE = 0.55  # "samen": the model's valence where it is this sure, else the rules'
REGEL_GEWICHT = 2.0  # the rules' scores weigh as much as a few strong n-grams
CORPUS = "bewoners/citaten.jsonl"
STRATEGIE = "bewoners/strategie.json"


@dataclass
class Citaat:
    """One labelled quote: what a resident said, where it was published, and what it is about."""

    tekst: str
    themas: list[str]
    valentie: str
    bron: str = ""
    deel: str = "ontwikkel"  # "ontwikkel" (cross-validation) or "toets" (measured once, at the end)


def read_corpus(path: str | Path | None = None, deel: str | None = None) -> list[Citaat]:
    """The packaged corpus (or a JSONL file in the same shape, or the gold format {text, themes, valentie})."""
    if path is None:
        text = resources.files("wijkkit.data").joinpath(CORPUS).read_text(encoding="utf-8")
    else:
        text = Path(path).read_text(encoding="utf-8")
    items = []
    for line in text.splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        if "tekst" in row:
            item = Citaat(row["tekst"], list(row["themas"]), row["valentie"], row.get("bron", ""),
                          row.get("deel", "ontwikkel"))
        else:  # the gold format of ../shared/gold and tests/gold
            item = Citaat(row["text"], list(row["themes"]), row.get("valentie", ""), row.get("source", ""),
                          "extra")
        if deel is None or item.deel == deel:
            items.append(item)
    return items


def corpus_digest() -> str:
    """A fingerprint of the packaged corpus: a strategy file belongs to the corpus it was chosen on."""
    data = resources.files("wijkkit.data").joinpath(CORPUS).read_bytes()
    return hashlib.sha256(data).hexdigest()[:16]


# ---------------------------------------------------------------------------------------------- features
def rule_features(verhalen: Sequence, themes: Sequence[str], tagger) -> np.ndarray:
    """Per story: the rules' score for each theme, the story's valence score and whether it names a place."""
    out = np.zeros((len(verhalen), len(themes) + 4))
    index = {t: k for k, t in enumerate(themes)}
    for row, verhaal in enumerate(verhalen):
        for theme, score in tagger.themes(verhaal.suggesties).items():
            if theme in index:
                out[row, index[theme]] = score
        out[row, -4] = np.tanh(verhaal.score / 2)
        out[row, -3] = verhaal.score > 0
        out[row, -2] = verhaal.score < 0
        out[row, -1] = verhaal.over_wijk
    return out


class Kenmerken:
    """Text to features: character n-grams (compounds: 'jeugdwerkloosheid' shares 'werklo'), words, rules."""

    def __init__(self):
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), min_df=2, sublinear_tf=True,
                                     preprocessor=fold)
        self.words = TfidfVectorizer(analyzer="word", token_pattern=r"(?u)\b\w\w+\b", sublinear_tf=True,
                                     preprocessor=fold)

    def fit_transform(self, texts: Sequence[str], rules: np.ndarray):
        return sparse.hstack([self.chars.fit_transform(texts), self.words.fit_transform(texts),
                              sparse.csr_matrix(rules * REGEL_GEWICHT)]).tocsr()

    def transform(self, texts: Sequence[str], rules: np.ndarray):
        return sparse.hstack([self.chars.transform(texts), self.words.transform(texts),
                              sparse.csr_matrix(rules * REGEL_GEWICHT)]).tocsr()


# ---------------------------------------------------------------------------------------------- the model
@dataclass
class Model:
    """One logistic regression per theme and one for valence, on the same features."""

    themes: list[str]
    kenmerken: Kenmerken = field(default_factory=Kenmerken)
    per_theme: dict = field(default_factory=dict)  # theme -> fitted classifier, or a constant probability
    valence: LogisticRegression | None = None

    def fit(self, texts: Sequence[str], rules: np.ndarray, items: Sequence[Citaat]) -> Model:
        x = self.kenmerken.fit_transform(texts, rules)
        for theme in self.themes:
            y = np.array([theme in item.themas for item in items])
            if y.all() or not y.any():
                self.per_theme[theme] = float(y.mean()) if len(y) else 0.0
                continue
            classifier = LogisticRegression(C=2.0, class_weight="balanced", solver="liblinear", max_iter=2000)
            self.per_theme[theme] = classifier.fit(x, y)
        labelled = [k for k, item in enumerate(items) if item.valentie in VALENTIES]
        if len({items[k].valentie for k in labelled}) > 1:
            self.valence = LogisticRegression(C=2.0, class_weight="balanced", max_iter=2000).fit(
                x[labelled], [items[k].valentie for k in labelled])
        return self

    def predict(self, texts: Sequence[str], rules: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(theme probabilities n x themes, valence probabilities n x VALENTIES)."""
        x = self.kenmerken.transform(texts, rules)
        probs = np.zeros((len(texts), len(self.themes)))
        for k, theme in enumerate(self.themes):
            classifier = self.per_theme[theme]
            probs[:, k] = classifier if isinstance(classifier, float) else classifier.predict_proba(x)[:, 1]
        valence = np.full((len(texts), len(VALENTIES)), 1 / len(VALENTIES))
        if self.valence is not None:
            proba = self.valence.predict_proba(x)
            for k, klass in enumerate(self.valence.classes_):
                valence[:, VALENTIES.index(klass)] = proba[:, k]
        return probs, valence


# ---------------------------------------------------------------------------------------------- combining
def decide(rule: bool, p: float, strategie: str) -> bool:
    """Whether a theme is suggested, from the rules' verdict and the model's probability."""
    if strategie == "model":
        return p >= DREMPEL_MODEL
    if strategie == "of":
        return rule or p >= DREMPEL_OF
    if strategie == "en":
        return rule and p >= DREMPEL_EN
    return rule


def decide_valence(rule: str, proba: np.ndarray, strategie: str) -> str:
    best = VALENTIES[int(np.argmax(proba))]
    if strategie == "model":
        return best
    if strategie == "samen":
        return best if proba.max() >= DREMPEL_VALENTIE else rule
    if strategie == "aanvullen":  # the rules found no evaluative words: the model reads the rest
        return best if rule == "neutraal" else rule
    return rule


def scores(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"tp": tp, "fp": fp, "fn": fn, "precision": precision, "recall": recall, "f1": f1}


def theme_scores(gold: Sequence[set], predicted: Sequence[set], theme: str) -> dict:
    tp = sum(theme in g and theme in p for g, p in zip(gold, predicted))
    fp = sum(theme not in g and theme in p for g, p in zip(gold, predicted))
    fn = sum(theme in g and theme not in p for g, p in zip(gold, predicted))
    return scores(tp, fp, fn)


def valence_scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, dict]:
    out = {}
    for v in VALENTIES:
        tp = sum(g == v and p == v for g, p in zip(gold, predicted))
        out[v] = scores(tp, sum(g != v and p == v for g, p in zip(gold, predicted)),
                        sum(g == v and p != v for g, p in zip(gold, predicted)))
    return out


ZEKER, TREKKINGEN = 0.95, 400


def source_resamples(items: Sequence[Citaat], draws: int = TREKKINGEN, seed: int = 24) -> np.ndarray:
    """draws x quotes: how often each quote is in each resample of the sources (drawn with replacement)."""
    sources = sorted({i.bron for i in items})
    of = np.array([sources.index(i.bron) for i in items])
    rng = np.random.default_rng(seed)
    per_source = np.stack([np.bincount(rng.integers(0, len(sources), len(sources)), minlength=len(sources))
                           for _ in range(draws)])
    return per_source[:, of].astype(float)


def _theme_counts(gold, predicted, theme) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    g = np.array([theme in x for x in gold])
    p = np.array([theme in x for x in predicted])
    return (g & p).astype(float), (~g & p).astype(float), (g & ~p).astype(float)


def _valence_counts(gold, predicted) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(tp, fp, fn) per class (rows: VALENTIES) per quote."""
    g = np.array([[x == v for x in gold] for v in VALENTIES])
    p = np.array([[x == v for x in predicted] for v in VALENTIES])
    return (g & p).astype(float), (~g & p).astype(float), (g & ~p).astype(float)


def _f1(tp, fp, fn):
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.nan_to_num(2 * tp / (2 * tp + fp + fn))


def _macro_f1(tp, fp, fn):
    return _f1(tp, fp, fn).mean(axis=0)


def _win_rate(weights: np.ndarray, ours, base, metric) -> float:
    """The share of resamples in which ``ours`` scores higher than ``base``."""
    def totals(counts):
        return [c @ weights.T for c in counts]  # per class (if any) x draws
    return float(np.mean(metric(*totals(ours)) > metric(*totals(base))))


@dataclass
class Lezing:
    """What the rules and the model read in a set of texts, ready to be combined by any strategy."""

    rule_themes: list[set]
    rule_valence: list[str]
    probs: np.ndarray
    valence: np.ndarray
    themes: list[str]

    def themes_with(self, strategie: dict[str, str]) -> list[set]:
        return [{t for k, t in enumerate(self.themes)
                 if decide(t in rules, float(self.probs[row, k]), strategie.get(t, "regels"))}
                for row, rules in enumerate(self.rule_themes)]

    def valence_with(self, strategie: str) -> list[str]:
        return [decide_valence(rule, self.valence[row], strategie) for row, rule in enumerate(self.rule_valence)]


class Lezer:
    """Reads quotes with the rules once, then fits and applies models on any split of them."""

    def __init__(self, tagger, themes: Sequence[str] | None = None):
        self.tagger = tagger
        self.themes = list(themes or tagger.codebook.theme_ids)
        self._cache: dict[str, tuple] = {}

    def rules(self, texts: Sequence[str]) -> tuple[np.ndarray, list[set], list[str]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        for text, verhaal in zip(missing, self.tagger.lees(missing)):
            features = rule_features([verhaal], self.themes, self.tagger)[0]
            themes = set(self.tagger.themes(verhaal.suggesties))
            self._cache[text] = (features, themes, self.tagger.story_valence(verhaal))
        rows = [self._cache[t] for t in texts]
        return np.array([r[0] for r in rows]).reshape(len(texts), -1), [r[1] for r in rows], [r[2] for r in rows]

    def fit(self, items: Sequence[Citaat]) -> Model:
        texts = [i.tekst for i in items]
        features, _, _ = self.rules(texts)
        return Model(self.themes).fit(texts, features, items)

    def read(self, model: Model, texts: Sequence[str]) -> Lezing:
        features, rule_themes, rule_valence = self.rules(texts)
        probs, valence = model.predict(texts, features)
        return Lezing(rule_themes, rule_valence, probs, valence, self.themes)

    # ------------------------------------------------------------------ cross-validation
    def out_of_fold(self, items: Sequence[Citaat], folds: int) -> Lezing:
        """Every quote read by a model that never saw its source."""
        texts = [i.tekst for i in items]
        groups = [i.bron or str(k) for k, i in enumerate(items)]
        _, rule_themes, rule_valence = self.rules(texts)
        probs = np.zeros((len(items), len(self.themes)))
        valence = np.zeros((len(items), len(VALENTIES)))
        for train, test in GroupKFold(n_splits=folds).split(texts, groups=groups):
            model = self.fit([items[k] for k in train])
            part = self.read(model, [texts[k] for k in test])
            probs[test], valence[test] = part.probs, part.valence
        return Lezing(rule_themes, rule_valence, probs, valence, self.themes)

    def choose(self, items: Sequence[Citaat], folds: int) -> dict:
        """The strategy per theme and for valence. A learned strategy replaces the rules only where it beats
        them out of fold in at least ``ZEKER`` of ``TREKKINGEN`` resamples of the sources (a few hundred quotes
        leave differences of a few points to chance); among those, the best F1. Otherwise: the rules."""
        lezing = self.out_of_fold(items, folds)
        weights = source_resamples(items)
        gold = [set(i.themas) for i in items]
        keuze: dict[str, dict] = {}
        for theme in self.themes:
            counts = {s: _theme_counts(gold, lezing.themes_with({theme: s}), theme) for s in STRATEGIEEN}
            wins = {s: _win_rate(weights, counts[s], counts["regels"], _f1) for s in STRATEGIEEN}
            per = {s: scores(*(int(c.sum()) for c in counts[s])) for s in STRATEGIEEN}
            allowed = ["regels", *(s for s in STRATEGIEEN[1:] if wins[s] >= ZEKER)]
            best = max(allowed, key=lambda s: (round(per[s]["f1"], 6), -STRATEGIEEN.index(s)))
            keuze[theme] = {"strategie": best, **{k: per[best][k] for k in ("precision", "recall", "f1")},
                            "regels_f1": per["regels"]["f1"], "ondersteuning": per[best]["tp"] + per[best]["fn"],
                            "winst_kans": {s: round(wins[s], 3) for s in STRATEGIEEN[1:]}}
        labelled = [k for k, i in enumerate(items) if i.valentie in VALENTIES]
        gold_v = [items[k].valentie for k in labelled]
        counts_v = {s: _valence_counts(gold_v, [lezing.valence_with(s)[k] for k in labelled])
                    for s in VALENTIE_STRATEGIEEN}
        weights_v = weights[:, labelled]
        wins_v = {s: _win_rate(weights_v, counts_v[s], counts_v["regels"], _macro_f1) for s in VALENTIE_STRATEGIEEN}
        per_v = {s: float(_macro_f1(*(c.sum(axis=-1, keepdims=True) for c in counts_v[s]))[0])
                 for s in VALENTIE_STRATEGIEEN}
        allowed_v = ["regels", *(s for s in VALENTIE_STRATEGIEEN[1:] if wins_v[s] >= ZEKER)]
        best_v = max(allowed_v, key=lambda s: (round(per_v[s], 6), -VALENTIE_STRATEGIEEN.index(s)))
        return {"themas": keuze, "valentie": {"strategie": best_v, "macro_f1": per_v[best_v],
                                              "regels_macro_f1": per_v["regels"],
                                              "winst_kans": {s: round(wins_v[s], 3)
                                                             for s in VALENTIE_STRATEGIEEN[1:]}}}

    def nested(self, items: Sequence[Citaat], folds: int) -> tuple[list[set], list[str], list[set], list[str]]:
        """Outer grouped CV; in each training part the strategies are chosen by an inner grouped CV, so the
        reported figures never come from a choice made on the quotes they are measured on.

        Returns (combined themes, combined valence, rules' themes, rules' valence) per quote."""
        texts = [i.tekst for i in items]
        groups = [i.bron or str(k) for k, i in enumerate(items)]
        _, rule_themes, rule_valence = self.rules(texts)
        themes_out: list[set] = [set() for _ in items]
        valence_out = [""] * len(items)
        for train, test in GroupKFold(n_splits=folds).split(texts, groups=groups):
            training = [items[k] for k in train]
            keuze = self.choose(training, max(2, folds - 1))
            lezing = self.read(self.fit(training), [texts[k] for k in test])
            found = lezing.themes_with({t: c["strategie"] for t, c in keuze["themas"].items()})
            valence = lezing.valence_with(keuze["valentie"]["strategie"])
            for k, row in enumerate(test):
                themes_out[row], valence_out[row] = found[k], valence[k]
        return themes_out, valence_out, rule_themes, rule_valence


# ---------------------------------------------------------------------------------------------- in use
@dataclass
class Combinatie:
    """The trained model and the chosen strategies, as the tagger applies them."""

    lezer: Lezer
    model: Model
    strategie: dict  # as in strategie.json

    @property
    def theme_strategy(self) -> dict[str, str]:
        return {t: c["strategie"] for t, c in self.strategie.get("themas", {}).items()}

    @property
    def valence_strategy(self) -> str:
        return self.strategie.get("valentie", {}).get("strategie", "regels")

    @property
    def kalibratie(self):
        """The calibrated confidences (zekerheid.Kalibratie) shipped with the strategy, or None."""
        if "zekerheid" not in self.strategie:
            return None
        if "_kalibratie" not in self.__dict__:
            from wijkkit.vertellen.zekerheid import Kalibratie

            self._kalibratie = Kalibratie.from_dict(self.strategie["zekerheid"])
        return self._kalibratie


def read_strategy() -> dict | None:
    try:
        text = resources.files("wijkkit.data").joinpath(STRATEGIE).read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    strategie = json.loads(text)
    return strategie if strategie.get("corpus") == corpus_digest() else None


def cv_agreement() -> dict[str, float]:
    """theme -> cross-validated F1 of the suggestions as shipped (empty without a strategy file)."""
    strategie = read_strategy() or {}
    return {t: float(c["f1"]) for t, c in strategie.get("themas", {}).items()}


@lru_cache(maxsize=1)
def default_combination() -> Combinatie | None:
    """The model trained on the whole packaged corpus with the shipped strategies; None without them."""
    from wijkkit.codebook import load_codebook
    from wijkkit.vertellen.tagger import Tagger

    strategie = read_strategy()
    if strategie is None:
        return None
    lezer = Lezer(Tagger(load_codebook(), leren=False))
    return Combinatie(lezer, lezer.fit(read_corpus()), strategie)

