"""How sure a suggestion is: a calibrated confidence per (story, theme) and for the story's valence.

The rules and the learned model (:mod:`wijkkit.vertellen.corpusmodel`) each say something about a theme; a
small logistic regression (the *calibrator*) turns what they say into a probability that a coder would code
the theme: its inputs are the model's out-of-fold probability, the rules' own score, whether the rules
found the theme and how close the story comes to the codebook's description of it
(:mod:`wijkkit.vertellen.gelijkenis`). The calibrator learns from out-of-fold readings only (a model never
reads the quotes it learned from), so its probabilities mean what they say on quotes it has not seen.

Two thresholds follow from those probabilities, both chosen on out-of-fold readings:

* ``drempel``: the lowest confidence at which the suggestions shown reach precision ``DOEL_THEMA`` (0.85);
* ``misschien``: the confidence at which all suggestions together reach their best F1; suggestions between
  the two are shown as "misschien" on request.

Valence gets the same: a calibrated probability per class and, per class, the lowest confidence at which
that class reaches precision ``DOEL_VALENTIE`` (0.80). Below it wijkkit suggests no valence rather than a
wrong one, so "neutraal" appears only where it is likely.

:func:`nested` measures all of it honestly: outer folds grouped by source, and inside each training part an
inner grouped CV gives the calibrator its out-of-fold readings and the thresholds their choice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold

from wijkkit.vertellen.corpusmodel import VALENTIES, Citaat, Lezer, Lezing, scores, theme_scores

DOEL_THEMA = 0.85  # precision of the suggestions a coder sees without asking
DOEL_VALENTIE = 0.80  # precision of a valence suggestion
MIN_GETOOND = 5  # a threshold needs at least this many suggestions above it to say anything
# A theme's threshold holds for everything above it together, so at the threshold itself a suggestion can be
# likelier wrong than right. A suggestion with a word to point at may still be shown there; one without (only
# the similarity offered it) must itself be likelier right than wrong.
ZONDER_WOORD = 0.5


def _logit(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 1e-4, 1 - 1e-4)
    return np.log(p / (1 - p))


@dataclass
class Regellezing:
    """What the rules alone say, before any threshold: per text a raw score per theme, the valence score."""

    ruw: np.ndarray  # n x themes: 1 - prod(1 - score) over the theme's sentences
    valentie: np.ndarray  # n: the rules' story valence score
    over_wijk: np.ndarray  # n: whether the story names a place or theme where it evaluates


def rule_reading(verhalen: Sequence, themes: Sequence[str]) -> Regellezing:
    """The rules' raw reading of stories the tagger read (tagger.Verhaal)."""
    index = {t: k for k, t in enumerate(themes)}
    ruw = np.ones((len(verhalen), len(themes)))
    for row, verhaal in enumerate(verhalen):
        for s in verhaal.suggesties:
            if s.thema in index:
                ruw[row, index[s.thema]] *= 1 - s.score
    return Regellezing(1 - ruw, np.array([v.score for v in verhalen], float),
                       np.array([v.over_wijk for v in verhalen], float))


def read_similarity(lezer: Lezer, texts: Sequence[str]) -> np.ndarray:
    """n x themes x 3: how close each text comes to each theme's prototypes (read once per text)."""
    from wijkkit.vertellen import gelijkenis

    cache = lezer.__dict__.setdefault("_gelijk", {})
    missing = [t for t in dict.fromkeys(texts) if t not in cache]
    if missing:
        reading = gelijkenis.read(missing, lezer.tagger.codebook, lezer.themes)
        cache.update(zip(missing, reading.waarden))
    return np.array([cache[t] for t in texts]).reshape(len(texts), len(lezer.themes), -1)


def read_rules(lezer: Lezer, texts: Sequence[str]) -> Regellezing:
    cache = lezer.__dict__.setdefault("_ruw", {})
    missing = [t for t in dict.fromkeys(texts) if t not in cache]
    for text, verhaal in zip(missing, lezer.tagger.lees(missing)):
        cache[text] = verhaal
    return rule_reading([cache[t] for t in texts], lezer.themes)


# ---------------------------------------------------------------------------------------------- features
def theme_features(probs: np.ndarray, ruw: np.ndarray, rule_found: np.ndarray, gelijk: np.ndarray | None = None
                   ) -> np.ndarray:
    """One row per (text, theme): the model's logit, the rules' raw score, whether the rules suggest it, the
    theme itself (themes differ in how often the same evidence is right) and, where given, the similarities
    to the codebook's prototypes (n x themes x 3, :mod:`wijkkit.vertellen.gelijkenis`)."""
    n, t = probs.shape
    onehot = np.tile(np.eye(t), (n, 1))
    columns = [_logit(probs).ravel(), ruw.ravel(), rule_found.ravel().astype(float), onehot]
    if gelijk is not None:
        columns.append(gelijk.reshape(n * t, -1))
    return np.column_stack(columns)


def valence_features(valence: np.ndarray, rule_valence: Sequence[str], regels: Regellezing) -> np.ndarray:
    rule = np.array([[v == c for c in VALENTIES] for v in rule_valence], float).reshape(len(rule_valence), -1)
    return np.column_stack([np.log(np.clip(valence, 1e-4, 1)), rule, np.tanh(regels.valentie / 2),
                            regels.over_wijk])


def rule_matrix(lezing: Lezing) -> np.ndarray:
    return np.array([[t in found for t in lezing.themes] for found in lezing.rule_themes], bool).reshape(
        len(lezing.rule_themes), -1)


# ---------------------------------------------------------------------------------------------- thresholds
def precision_threshold(conf: np.ndarray, truth: np.ndarray, target: float) -> float:
    """The lowest confidence at which everything at or above it has precision >= target (most recall);
    1.01 (show nothing) where no cut of at least MIN_GETOOND suggestions reaches it."""
    order = np.argsort(-conf, kind="stable")
    hits = np.cumsum(truth[order])
    precision = hits / np.arange(1, len(order) + 1)
    ok = np.flatnonzero((precision >= target) & (np.arange(1, len(order) + 1) >= MIN_GETOOND))
    if not len(ok):
        return 1.01
    k = ok[-1]
    # ties: a cut between equal confidences is not a threshold, so step back to the last distinct value
    while k + 1 < len(order) and conf[order[k + 1]] == conf[order[k]]:
        k -= 1
        if k < 0 or precision[k] < target:
            return 1.01
    return float(conf[order[k]])


def f1_threshold(conf: np.ndarray, truth: np.ndarray) -> float:
    order = np.argsort(-conf, kind="stable")
    hits = np.cumsum(truth[order])
    f1 = 2 * hits / (np.arange(1, len(order) + 1) + truth.sum())
    return float(conf[order[int(np.argmax(f1))]]) if len(order) else 0.5


# ---------------------------------------------------------------------------------------------- calibration
@dataclass
class Kalibratie:
    """The calibrators and the thresholds chosen on out-of-fold readings."""

    themes: list[str]
    thema: LogisticRegression
    valentie: LogisticRegression | None
    drempel: float  # one threshold for all themes (where reachable)
    misschien: float
    drempel_valentie: dict[str, float]
    drempel_thema: dict[str, float] | None = None  # per theme: the lowest confidence with precision >= DOEL_THEMA
    gelijkenis: bool = False  # whether the similarities to the codebook's prototypes are among its inputs
    alleen_regels: bool = True  # whether only themes the rules offered can be suggested

    def shown_threshold(self, theme: str) -> float:
        if self.drempel_thema is not None:
            return self.drempel_thema.get(theme, 1.01)
        return self.drempel

    def offered_from(self, theme: str) -> float:
        """The lowest confidence at which a theme is suggested at all (shown, or "misschien" on request)."""
        return min(self.misschien, self.shown_threshold(theme))

    def theme_confidence(self, probs: np.ndarray, ruw: np.ndarray, rule_found: np.ndarray,
                         gelijk: np.ndarray | None = None) -> np.ndarray:
        """n x themes: the calibrated confidence; 0 where the rules did not offer the theme and it is not sure
        enough to be shown (or, with ``alleen_regels``, wherever the rules did not offer it)."""
        if self.gelijkenis and gelijk is None:
            raise ValueError("deze kalibratie weegt de gelijkenis met het codeboek mee: geef die (gelijkenis.read)")
        x = theme_features(probs, ruw, rule_found, gelijk if self.gelijkenis else None)
        conf = self.thema.predict_proba(x)[:, 1].reshape(probs.shape)
        # a theme the rules did not offer has no word to point at: it is suggested only when sure enough to be
        # shown, never as "misschien"
        shown = np.array([max(self.shown_threshold(t), ZONDER_WOORD) for t in self.themes])
        return np.where((ruw > 0) | ((not self.alleen_regels) & (conf >= shown)), conf, 0.0)

    def valence_proba(self, valence: np.ndarray, rule_valence: Sequence[str], regels: Regellezing
                      ) -> list[dict[str, float]]:
        """Per text the calibrated probability of each valence."""
        if self.valentie is None:
            return [{} for _ in rule_valence]
        proba = self.valentie.predict_proba(valence_features(valence, rule_valence, regels))
        return [{str(c): float(p) for c, p in zip(self.valentie.classes_, row)} for row in proba]

    def valence_confidence(self, valence: np.ndarray, rule_valence: Sequence[str], regels: Regellezing
                           ) -> tuple[list[str], np.ndarray]:
        """Per text the likeliest valence and its calibrated probability."""
        proba = self.valence_proba(valence, rule_valence, regels)
        best = [max(p, key=p.get) if p else v for p, v in zip(proba, rule_valence)]
        return best, np.array([p.get(b, 0.0) for p, b in zip(proba, best)])

    def shown_valence(self, labels: Sequence[str], conf: np.ndarray) -> list[str | None]:
        return [v if c >= self.drempel_valentie.get(v, 1.01) else None for v, c in zip(labels, conf)]

    def to_dict(self) -> dict:
        out = {"themas": self.themes, "drempel": self.drempel, "misschien": self.misschien,
               "drempel_valentie": self.drempel_valentie, "drempel_thema": self.drempel_thema,
               "gelijkenis": self.gelijkenis, "alleen_regels": self.alleen_regels,
               "thema": {"coef": self.thema.coef_.tolist(), "intercept": self.thema.intercept_.tolist()}}
        if self.valentie is not None:
            out["valentie"] = {"coef": self.valentie.coef_.tolist(), "intercept": self.valentie.intercept_.tolist(),
                               "classes": [str(c) for c in self.valentie.classes_]}
        return out

    @classmethod
    def from_dict(cls, data: dict) -> Kalibratie:
        thema = _restore(data["thema"]["coef"], data["thema"]["intercept"], [False, True])
        v = data.get("valentie")
        valentie = _restore(v["coef"], v["intercept"], v["classes"]) if v else None
        per = data.get("drempel_thema")
        return cls(list(data["themas"]), thema, valentie, float(data["drempel"]), float(data["misschien"]),
                   {k: float(x) for k, x in data["drempel_valentie"].items()},
                   {k: float(x) for k, x in per.items()} if per is not None else None,
                   bool(data.get("gelijkenis", False)), bool(data.get("alleen_regels", True)))


def _restore(coef, intercept, classes) -> LogisticRegression:
    model = LogisticRegression()
    model.coef_, model.intercept_ = np.array(coef), np.array(intercept)
    model.classes_ = np.array(classes)
    return model


def _theme_lr() -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=2000)


def _valence_lr() -> LogisticRegression:
    return LogisticRegression(C=1.0, max_iter=2000)


def offered(ruw: np.ndarray, alleen_regels: bool) -> np.ndarray:
    """Which (text, theme) can be suggested at all. With ``alleen_regels`` only what the rules found (however
    weakly): such a suggestion has a sentence and a word to show. Without it every theme is offered, and one
    the rules missed is shown on the sentence closest to the theme's definition."""
    return ruw > 0 if alleen_regels else np.ones_like(ruw, dtype=bool)


def calibrate(lezer: Lezer, items: Sequence[Citaat], lezing: Lezing, folds: int = 5, *, per_thema: bool = True,
              gelijkenis: bool = True, alleen_regels: bool = False) -> Kalibratie:
    """Fit the calibrators on out-of-fold readings ``lezing`` of ``items``; choose the thresholds on
    calibrated confidences that are themselves out of fold (each group of sources calibrated by the others)."""
    themes = lezer.themes
    texts = [i.tekst for i in items]
    regels = read_rules(lezer, texts)
    found = rule_matrix(lezing)
    x = theme_features(lezing.probs, regels.ruw, found, read_similarity(lezer, texts) if gelijkenis else None)
    y = np.array([[t in i.themas for t in themes] for i in items], bool).ravel()
    labelled = np.array([i.valentie in VALENTIES for i in items])
    xv = valence_features(lezing.valence, lezing.rule_valence, regels)
    yv = np.array([i.valentie for i in items])
    groups = np.array([i.bron or str(k) for k, i in enumerate(items)])
    conf = np.zeros(len(y))
    vlabel = np.array([""] * len(items), dtype=object)
    vconf = np.zeros(len(items))
    per = len(themes)
    for train, test in GroupKFold(n_splits=min(folds, len(set(groups)))).split(texts, groups=groups):
        rows_train = (train[:, None] * per + np.arange(per)).ravel()
        rows_test = (test[:, None] * per + np.arange(per)).ravel()
        conf[rows_test] = _theme_lr().fit(x[rows_train], y[rows_train]).predict_proba(x[rows_test])[:, 1]
        vt = train[labelled[train]]
        if len(set(yv[vt])) > 1:
            model = _valence_lr().fit(xv[vt], yv[vt])
            proba = model.predict_proba(xv[test])
            vlabel[test] = model.classes_[proba.argmax(axis=1)]
            vconf[test] = proba.max(axis=1)
    # the thresholds are chosen among what can be offered
    conf = np.where(offered(regels.ruw, alleen_regels).ravel(), conf, 0.0)
    drempel = precision_threshold(conf, y, DOEL_THEMA)
    misschien = min(f1_threshold(conf, y), drempel)
    drempel_v = {}
    for v in VALENTIES:
        mine = labelled & (vlabel == v)
        drempel_v[v] = precision_threshold(vconf[mine], yv[mine] == v, DOEL_VALENTIE) if mine.any() else 1.01
    per_theme = conf.reshape(len(items), per)
    truth = y.reshape(len(items), per)
    drempel_t = {t: precision_threshold(per_theme[:, k], truth[:, k], DOEL_THEMA) for k, t in enumerate(themes)}
    valentie = (_valence_lr().fit(xv[labelled], yv[labelled]) if len(set(yv[labelled])) > 1 else None)
    return Kalibratie(themes, _theme_lr().fit(x, y), valentie, drempel, misschien, drempel_v,
                      drempel_t if per_thema else None, gelijkenis, alleen_regels)


# ---------------------------------------------------------------------------------------------- reading
@dataclass
class Oordeel:
    """Per text: calibrated confidence per theme (0 where nothing offers the theme, see
    Kalibratie.theme_confidence), and the valence with its confidence."""

    themes: list[str]
    zekerheid: np.ndarray  # n x themes
    valentie: list[str]
    valentie_zekerheid: np.ndarray


def judge(lezer: Lezer, model, kalibratie: Kalibratie, texts: Sequence[str]) -> Oordeel:
    lezing = lezer.read(model, texts)
    regels = read_rules(lezer, texts)
    found = rule_matrix(lezing)
    gelijk = read_similarity(lezer, texts) if kalibratie.gelijkenis else None
    conf = kalibratie.theme_confidence(lezing.probs, regels.ruw, found, gelijk)
    labels, vconf = kalibratie.valence_confidence(lezing.valence, lezing.rule_valence, regels)
    return Oordeel(lezer.themes, conf, labels, vconf)


def fit(lezer: Lezer, items: Sequence[Citaat], folds: int = 5, **options):
    """(model, calibration) learned from ``items``: the calibration from an inner grouped CV."""
    inner = min(folds, len({i.bron for i in items}))
    kalibratie = calibrate(lezer, items, lezer.out_of_fold(items, inner), inner, **options)
    return lezer.fit(items), kalibratie


def nested(lezer: Lezer, items: Sequence[Citaat], folds: int = 5, **options) -> tuple[Oordeel, list[Kalibratie]]:
    """Every quote judged by a model, calibrator and thresholds that never saw its source; the second value
    holds, per quote, the calibration (and so the thresholds) of its own fold."""
    texts = [i.tekst for i in items]
    groups = [i.bron or str(k) for k, i in enumerate(items)]
    conf = np.zeros((len(items), len(lezer.themes)))
    labels, vconf = [""] * len(items), np.zeros(len(items))
    per_quote: list[Kalibratie] = [None] * len(items)
    for train, test in GroupKFold(n_splits=folds).split(texts, groups=groups):
        model, kal = fit(lezer, [items[k] for k in train], max(2, folds - 1), **options)
        part = judge(lezer, model, kal, [texts[k] for k in test])
        conf[test] = part.zekerheid
        vconf[test] = part.valentie_zekerheid
        for k, row in enumerate(test):
            labels[row] = part.valentie[k]
            per_quote[row] = kal
    return Oordeel(lezer.themes, conf, labels, vconf), per_quote


def shipped_thresholds() -> tuple[dict[str, float], dict[str, float]]:
    """(per theme, per valence) the thresholds shipped in strategie.json; empty without a calibration."""
    from wijkkit.vertellen.corpusmodel import read_strategy

    zeker = (read_strategy() or {}).get("zekerheid", {})
    return zeker.get("drempel_thema") or {}, zeker.get("drempel_valentie") or {}


def shown_in_story(verhaal, drempel_thema: dict[str, float], drempel_valentie: dict[str, float]
                   ) -> tuple[set, str | None]:
    """What a coder sees without asking in one story the tagger read (tagger.Verhaal): the themes of its
    suggestions that are sure enough, and the story's valence where it is likely enough (else None)."""
    zeker = verhaal.zekerheid or {}
    themes = {s.thema for s in verhaal.suggesties if zeker.get(s.thema, 0.0) >= drempel_thema.get(s.thema, 1.01)}
    proba = verhaal.valentie_zekerheid or {}
    best = max(proba, key=proba.get) if proba else None
    return themes, best if best is not None and proba[best] >= drempel_valentie.get(best, 1.01) else None


# ---------------------------------------------------------------------------------------------- figures
def decisions(oordeel: Oordeel, kalibraties: Sequence[Kalibratie]) -> tuple[list[set], list[set], list]:
    """Per text: the themes shown, all themes suggested (shown + "misschien"), the valence shown (or None)."""
    shown, alle, valence = [], [], []
    for row, kal, v, c in zip(oordeel.zekerheid, kalibraties, oordeel.valentie, oordeel.valentie_zekerheid):
        shown.append({t for k, t in enumerate(oordeel.themes) if 0 < row[k] and row[k] >= kal.shown_threshold(t)})
        alle.append({t for k, t in enumerate(oordeel.themes) if 0 < row[k] and row[k] >= kal.offered_from(t)})
        valence.append(v if c >= kal.drempel_valentie.get(v, 1.01) else None)
    return shown, alle, valence


def figures(items: Sequence[Citaat], oordeel: Oordeel, kalibraties: Sequence[Kalibratie]) -> dict:
    """Shown and all suggestions, micro and per theme; valence shown (precision, how many) and overall."""
    gold = [set(i.themas) for i in items]
    shown, alle, vshown = decisions(oordeel, kalibraties)
    out = {"getoond": _micro(gold, shown, oordeel.themes), "alle": _micro(gold, alle, oordeel.themes),
           "themas": {t: {"getoond": theme_scores(gold, shown, t), "alle": theme_scores(gold, alle, t)}
                      for t in oordeel.themes}}
    labelled = [k for k, i in enumerate(items) if i.valentie in VALENTIES]
    per = {}
    for v in VALENTIES:
        per[v] = {name: scores(sum(items[k].valentie == v and pred[k] == v for k in labelled),
                               sum(items[k].valentie != v and pred[k] == v for k in labelled),
                               sum(items[k].valentie == v and pred[k] != v for k in labelled))
                  for name, pred in (("getoond", vshown), ("alle", oordeel.valentie))}
    right = sum(vshown[k] == items[k].valentie for k in labelled)
    n_shown = sum(vshown[k] is not None for k in labelled)
    out["valentie"] = {"per_klasse": per, "getoond_precisie": right / n_shown if n_shown else float("nan"),
                       "getoond": n_shown, "citaten": len(labelled),
                       "macro_f1": float(np.mean([per[v]["alle"]["f1"] for v in VALENTIES]))}
    return out


def _micro(gold, predicted, themes) -> dict:
    parts = [theme_scores(gold, predicted, t) for t in themes]
    return scores(*(sum(p[k] for p in parts) for k in ("tp", "fp", "fn")))


# ---------------------------------------------------------------------------------------------- learning curve
STAPPEN = (0, 25, 50, 100, 200)


def coding_order(items: Sequence[Citaat], seed: int = 38) -> list[int]:
    """The order in which a simulated team codes the quotes: sources in a fixed random order, each source's
    quotes together (a team codes an interview or an article at once)."""
    sources = sorted({i.bron for i in items})
    rng = np.random.default_rng(seed)
    rank = {s: r for r, s in enumerate(rng.permutation(sources))}
    return sorted(range(len(items)), key=lambda k: (rank[items[k].bron], k))


def learning_curve(lezer: Lezer, items: Sequence[Citaat], stappen: Sequence[int] = STAPPEN, folds: int = 10,
                   seed: int = 38) -> list[dict]:
    """Suggestion quality after a team has coded 0, 25, 50, ... quotes, measured on sources it never coded.

    Outer folds grouped by source; in each, the team codes the training part in :func:`coding_order`; after
    ``k`` quotes the model, calibrator and thresholds are learned from those ``k`` alone (an inner grouped CV
    in 3 parts, as in :func:`fit`) and the suggestions are measured on the fold's held-out sources. At
    ``k = 0`` there is nothing to learn from: every suggestion of the rules is shown. Steps larger than a training part are
    skipped for that fold and reported with the number of folds that reached them."""
    texts = [i.tekst for i in items]
    groups = [i.bron or str(k) for k, i in enumerate(items)]
    gold = [set(i.themas) for i in items]
    per_step: dict[int, dict] = {k: {"shown": {}, "alle": {}} for k in stappen}
    for train, test in GroupKFold(n_splits=folds).split(texts, groups=groups):
        order = [train[k] for k in coding_order([items[k] for k in train], seed)]
        test_items = [items[k] for k in test]
        for k in stappen:
            if k > len(order):
                continue
            if k == 0:
                rules = lezer.rules([texts[r] for r in test])[1]
                shown = alle = rules
            else:
                coded = [items[r] for r in order[:k]]
                if len({i.bron for i in coded}) < 2:
                    continue
                model, kal = fit(lezer, coded, 3)
                shown, alle, _ = decisions(judge(lezer, model, kal, [i.tekst for i in test_items]),
                                           [kal] * len(test_items))
            for row, found_shown, found_all in zip(test, shown, alle):
                per_step[k]["shown"][row], per_step[k]["alle"][row] = found_shown, found_all
    out = []
    for k in stappen:
        rows = sorted(per_step[k]["shown"])
        if not rows:
            continue
        g = [gold[r] for r in rows]
        shown = [per_step[k]["shown"][r] for r in rows]
        alle = [per_step[k]["alle"][r] for r in rows]
        out.append({"gecodeerd": k, "citaten": len(rows), "getoond": _micro(g, shown, lezer.themes),
                    "alle": _micro(g, alle, lezer.themes),
                    "themas": {t: theme_scores(g, alle, t)["f1"] for t in lezer.themes}})
    return out


def kalibratie_van(combinatie) -> Kalibratie | None:
    """The calibrated confidences shipped with a combination's strategy (``corpusmodel.Combinatie``), or None.

    Read once per combination; it lives here, not on the combination, so that corpusmodel stays below this module.
    """
    if "zekerheid" not in combinatie.strategie:
        return None
    if "_kalibratie" not in combinatie.__dict__:
        combinatie._kalibratie = Kalibratie.from_dict(combinatie.strategie["zekerheid"])
    return combinatie._kalibratie
