"""Evaluate the tagger against a gold set: per-theme precision, recall and F1, and micro F1;
valence (kracht / knelpunt / neutraal per story) with macro F1 where the gold has ``valentie``."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pandas as pd

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam
from wijkkit.vertellen.tagger import Tagger


def read_gold(path: str | Path) -> list[dict]:
    from wijkkit.yamlfile import read_settings_text

    items, problemen = [], []
    for number, line in enumerate(read_settings_text(path).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            assert isinstance(item.get("text"), str) and isinstance(item.get("themes"), list)
        except (json.JSONDecodeError, AssertionError, AttributeError):
            problemen.append(Probleem(bestandsnaam(path), '{"text": ..., "themes": [...]} op elke regel',
                                      rij=number, gevonden=line[:60]))
            continue
        items.append(item)
    if problemen:
        raise WijkkitInputError(problemen)
    return items


def evaluate(items: list[dict], tagger: Tagger | None = None) -> tuple[pd.DataFrame, dict]:
    """Per-theme table (tp, fp, fn, precision, recall, f1) and micro scores."""
    tagger = tagger or Tagger()
    tp, fp, fn = Counter(), Counter(), Counter()
    for item, suggestions in zip(items, tagger.pipe(i["text"] for i in items)):
        predicted, gold = set(tagger.themes(suggestions)), set(item["themes"])
        for theme in predicted & gold:
            tp[theme] += 1
        for theme in predicted - gold:
            fp[theme] += 1
        for theme in gold - predicted:
            fn[theme] += 1
    themes = [t for t in tagger.codebook.theme_ids if tp[t] + fp[t] + fn[t]]
    rows = [{"thema": t, "tp": tp[t], "fp": fp[t], "fn": fn[t], **scores(tp[t], fp[t], fn[t])} for t in themes]
    micro = scores(sum(tp.values()), sum(fp.values()), sum(fn.values()))
    return pd.DataFrame(rows), micro


def scores(tp: int, fp: int, fn: int) -> dict:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


VALENTIES = ("kracht", "knelpunt", "neutraal")


def evaluate_valence(items: list[dict], tagger: Tagger | None = None) -> tuple[pd.DataFrame, float] | None:
    """Per-class precision, recall and F1 of story valence, and their macro F1; None without gold valence."""
    gold_items = [item for item in items if item.get("valentie") in VALENTIES]
    if not gold_items:
        return None
    tagger = tagger or Tagger()
    tp, fp, fn = Counter(), Counter(), Counter()
    for item in gold_items:
        predicted, gold = tagger.valentie(item["text"]), item["valentie"]
        if predicted == gold:
            tp[gold] += 1
        else:
            fp[predicted] += 1
            fn[gold] += 1
    rows = [{"valentie": v, "tp": tp[v], "fp": fp[v], "fn": fn[v], **scores(tp[v], fp[v], fn[v])} for v in VALENTIES]
    table = pd.DataFrame(rows)
    return table, float(table["f1"].mean())
