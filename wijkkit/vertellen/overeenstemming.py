"""How far two labellers of the resident corpus agree: the ceiling for any suggestion measured against one.

``wijkkit/data/bewoners/tweede_labelaar.jsonl`` holds a second, independent labelling of part of the corpus
(one line per quote: ``id``, the quote's 0-based line in ``citaten.jsonl``, with ``themas`` and
``valentie``). Per theme the unit is a quote (applied or not): Cohen's kappa and Krippendorff's alpha
(nominal); for valence Krippendorff's alpha (nominal) and Cohen's kappa over the three classes; and the
micro-F1 of the second labeller measured against the first, the same figure the suggestions are measured
with. A suggestion cannot be expected to agree with the first labeller better than a second labeller does.
"""

from __future__ import annotations

import json
from importlib import resources

import krippendorff
import numpy as np
from sklearn.metrics import cohen_kappa_score

from wijkkit.vertellen.corpusmodel import CORPUS, VALENTIES, Citaat, read_corpus, scores

TWEEDE = "bewoners/tweede_labelaar.jsonl"


def read_second() -> list[tuple[int, list[str], str]]:
    text = resources.files("wijkkit.data").joinpath(TWEEDE).read_text(encoding="utf-8")
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return [(int(r["id"]), list(r["themas"]), r["valentie"]) for r in rows]


def agreement(first: list[Citaat] | None = None, second: list[tuple[int, list[str], str]] | None = None,
              themes: list[str] | None = None) -> dict:
    """Per theme kappa and alpha (with how often each labeller applied it); valence alpha and kappa; the
    second labeller's micro-F1 and valence macro-F1 against the first."""
    first = read_corpus() if first is None else first
    second = read_second() if second is None else second
    if themes is None:
        from wijkkit.codebook import load_codebook

        themes = load_codebook().theme_ids
    a_items = [first[k] for k, _, _ in second]
    per_theme, totals = {}, np.zeros(3)
    for theme in themes:
        a = np.array([theme in i.themas for i in a_items], int)
        b = np.array([theme in t for _, t, _ in second], int)
        tp, fp, fn = int((a & b).sum()), int((~a.astype(bool) & b.astype(bool)).sum()), int((a & (1 - b)).sum())
        totals += (tp, fp, fn)
        same = bool((a == b).all())
        per_theme[theme] = {"eerste": int(a.sum()), "tweede": int(b.sum()), "eens": float((a == b).mean()),
                            "kappa": 1.0 if same else float(cohen_kappa_score(a, b)),
                            "alpha": 1.0 if same else float(krippendorff.alpha(np.vstack([a, b]).astype(float),
                                                                               level_of_measurement="nominal"))}
    va = [i.valentie for i in a_items]
    vb = [v for _, _, v in second]
    codes = {v: k for k, v in enumerate(VALENTIES)}
    valence_f1 = []
    for v in VALENTIES:
        tp = sum(x == v and y == v for x, y in zip(va, vb))
        valence_f1.append(scores(tp, sum(x != v and y == v for x, y in zip(va, vb)),
                                 sum(x == v and y != v for x, y in zip(va, vb)))["f1"])
    return {"citaten": len(second), "toets": sum(i.deel == "toets" for i in a_items), "themas": per_theme,
            "micro": scores(*map(int, totals)),
            "valentie": {"alpha": float(krippendorff.alpha(np.array([[codes[x] for x in va],
                                                                      [codes[y] for y in vb]], float),
                                                            level_of_measurement="nominal")),
                         "kappa": float(cohen_kappa_score(va, vb)), "eens": float(np.mean([x == y for x, y in
                                                                                           zip(va, vb)])),
                         "macro_f1": float(np.mean(valence_f1))}}


def check_lines(second: list[tuple[int, list[str], str]]) -> None:
    """The second labelling points at real lines of the corpus, once each."""
    n = len(resources.files("wijkkit.data").joinpath(CORPUS).read_text(encoding="utf-8").splitlines())
    ids = [k for k, _, _ in second]
    if len(set(ids)) != len(ids) or not all(0 <= k < n for k in ids):
        raise ValueError("tweede_labelaar.jsonl: elke id één keer, een regelnummer (vanaf 0) van citaten.jsonl")
