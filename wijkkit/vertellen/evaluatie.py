"""Evaluate the tagger against a gold set: per-theme precision, recall and F1, and micro F1;
valence (kracht / knelpunt / neutraal per story) with macro F1 where the gold has ``valentie``."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam
from wijkkit.vertellen.tagger import Tagger, default_combination


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


def evaluate_shown(items: list[dict], tagger: Tagger | None = None) -> dict | None:
    """What a coder sees without asking (the suggestions above the shipped thresholds), measured: micro
    precision/recall/F1 of the themes shown, and the precision of the valence shown and how often it is shown.
    None where the tagger gives no confidence (rules alone, or no shipped calibration)."""
    from wijkkit.vertellen.zekerheid import shown_in_story, shipped_thresholds

    tagger = tagger or Tagger()
    per_theme, per_valence = shipped_thresholds()
    if not tagger.leren or not per_theme:
        return None
    tp = fp = fn = 0
    valence_right = valence_shown = labelled = 0
    for item, verhaal in zip(items, tagger.lees([i["text"] for i in items], leren=True)):
        if verhaal.zekerheid is None:
            return None
        shown, valentie = shown_in_story(verhaal, per_theme, per_valence)
        gold = set(item["themes"])
        tp, fp, fn = tp + len(shown & gold), fp + len(shown - gold), fn + len(gold - shown)
        if item.get("valentie") in VALENTIES:
            labelled += 1
            valence_shown += valentie is not None
            valence_right += valentie == item["valentie"]
    return {"themas": scores(tp, fp, fn), "valentie_precisie": valence_right / valence_shown if valence_shown
            else float("nan"), "valentie_getoond": valence_shown, "valentie_citaten": labelled}


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


# ------------------------------------------------------------------ the learned second reader, honestly measured
def cross_validate(folds: int = 5, extra: list | None = None, *, deel: str = "ontwikkel") -> dict:
    """Nested grouped cross-validation of rules + model on the packaged corpus (``deel``), per theme and for
    valence; with ``extra`` (Citaat list, e.g. the 40 dev quotes or the corpus's 'toets' part) also one more
    fold: model and strategies from the whole ``deel``, measured on ``extra`` once."""
    from wijkkit.vertellen import corpusmodel as cm

    from wijkkit.vertellen import zekerheid as zk

    items = cm.read_corpus(deel=deel)
    lezer = cm.Lezer(Tagger(leren=False))
    combined, valence, rules, rule_valence = lezer.nested(items, folds)
    report = {"n": len(items), "bronnen": len({i.bron for i in items}), "folds": folds,
              "cv": _figures(items, combined, valence, rules, rule_valence, lezer.themes)}
    # the calibrated confidences and their thresholds, chosen inside each training part
    oordeel, kalibraties = zk.nested(lezer, items, folds)
    report["cv"]["zekerheid"] = zk.figures(items, oordeel, kalibraties)
    if extra:
        keuze = lezer.choose(items, folds)
        lezing = lezer.read(lezer.fit(items), [i.tekst for i in extra])
        found = lezing.themes_with({t: c["strategie"] for t, c in keuze["themas"].items()})
        report["extra"] = _figures(extra, found, lezing.valence_with(keuze["valentie"]["strategie"]),
                                   lezing.rule_themes, lezing.rule_valence, lezer.themes)
        report["extra"]["n"] = len(extra)
        model, kalibratie = zk.fit(lezer, items, folds)
        report["extra"]["zekerheid"] = zk.figures(extra, zk.judge(lezer, model, kalibratie,
                                                                  [i.tekst for i in extra]),
                                                  [kalibratie] * len(extra))
    return report


def _figures(items, combined, valence, rules, rule_valence, themes) -> dict:
    from wijkkit.vertellen import corpusmodel as cm

    gold = [set(i.themas) for i in items]
    rows, totals = [], {"samen": [0, 0, 0], "regels": [0, 0, 0]}
    for theme in themes:
        ours, base = cm.theme_scores(gold, combined, theme), cm.theme_scores(gold, rules, theme)
        if ours["tp"] + ours["fp"] + ours["fn"] + base["fp"]:
            rows.append({"thema": theme, **ours, "regels_f1": base["f1"]})
        for key, s in (("samen", ours), ("regels", base)):
            totals[key] = [totals[key][0] + s["tp"], totals[key][1] + s["fp"], totals[key][2] + s["fn"]]
    labelled = [k for k, i in enumerate(items) if i.valentie in cm.VALENTIES]
    gold_v = [items[k].valentie for k in labelled]
    per_v = cm.valence_scores(gold_v, [valence[k] for k in labelled])
    base_v = cm.valence_scores(gold_v, [rule_valence[k] for k in labelled])
    return {"themas": rows, "micro": cm.scores(*totals["samen"]), "regels_micro": cm.scores(*totals["regels"]),
            "valentie": per_v, "valence_macro_f1": float(np.mean([c["f1"] for c in per_v.values()])) if labelled
            else float("nan"),
            "regels_valence_macro_f1": float(np.mean([c["f1"] for c in base_v.values()])) if labelled
            else float("nan")}


def write_strategy(folds: int = 5, path: Path | None = None, tweede: list | None = None) -> dict:
    """Choose the strategies by grouped CV on the whole corpus and write them beside it (strategie.json).

    ``tweede``: quotes labelled by someone else (the 40 dev quotes of ../shared/gold). A model learns its
    labeller's habits (where "neutraal" ends, say) and the rules do not, so a learned strategy that loses to
    the rules on another labeller's quotes falls back to the rules; the file records that check."""
    from importlib import resources

    from wijkkit.vertellen import corpusmodel as cm

    from wijkkit.vertellen import zekerheid as zk

    items = cm.read_corpus()
    lezer = cm.Lezer(Tagger(leren=False))
    keuze = lezer.choose(items, folds)
    kalibratie = zk.calibrate(lezer, items, lezer.out_of_fold(items, folds), folds)
    controle = None
    if tweede:
        lezing = lezer.read(lezer.fit(items), [i.tekst for i in tweede])
        gold = [set(i.themas) for i in tweede]
        controle = {"citaten": len(tweede), "themas": {}, "valentie": {}}
        for theme, c in keuze["themas"].items():
            if c["strategie"] == "regels":
                continue
            ours = cm.theme_scores(gold, lezing.themes_with({theme: c["strategie"]}), theme)["f1"]
            base = cm.theme_scores(gold, lezing.rule_themes, theme)["f1"]
            controle["themas"][theme] = {"f1": ours, "regels_f1": base}
            if ours < base:
                c["strategie"], c["f1"] = "regels", c["regels_f1"]
        v = keuze["valentie"]
        labelled = [k for k, i in enumerate(tweede) if i.valentie in cm.VALENTIES]
        if v["strategie"] != "regels" and labelled:
            gold_v = [tweede[k].valentie for k in labelled]

            def macro(predicted):
                return float(np.mean([c["f1"] for c in cm.valence_scores(gold_v, [predicted[k] for k in labelled])
                                      .values()]))

            ours, base = macro(lezing.valence_with(v["strategie"])), macro(lezing.rule_valence)
            controle["valentie"] = {v["strategie"]: ours, "regels": base}
            if ours < base:
                v["strategie"], v["macro_f1"] = "regels", v["regels_macro_f1"]
    codebook = resources.files("wijkkit.data").joinpath("codebook.yml").read_bytes()
    keuze = {"corpus": cm.corpus_digest(), "codeboek": hashlib.sha256(codebook).hexdigest()[:16],
             "folds": folds, "citaten": len(items),
             "bronnen": len({i.bron for i in items}),
             "drempels": {"model": cm.DREMPEL_MODEL, "of": cm.DREMPEL_OF, "en": cm.DREMPEL_EN,
                          "valentie": cm.DREMPEL_VALENTIE}, **_rounded(keuze),
             **({"tweede_codeur": _rounded(controle)} if controle else {}),
             "zekerheid": _rounded(kalibratie.to_dict())}
    target = path or Path(str(resources.files("wijkkit.data").joinpath(cm.STRATEGIE)))
    target.write_text(json.dumps(keuze, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    default_combination.cache_clear()
    return keuze


def _rounded(value):
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def seen_in_training(items: list[dict]) -> int:
    """How many gold quotes the shipped model learned from (their figures would flatter it)."""
    from wijkkit.vertellen.corpusmodel import read_corpus

    known = {" ".join(i.tekst.split()) for i in read_corpus()}
    return sum(" ".join(item["text"].split()) in known for item in items)
