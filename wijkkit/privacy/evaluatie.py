"""Measure the pseudonymiser on a labelled set: recall of identifying spans, analysis words kept."""

from __future__ import annotations

import json
from pathlib import Path

from wijkkit.privacy.pseudonimiseer import Pseudonimiseerder

GEBIED_NAMEN_DEMO = ["Lindehoven", "Oude Haven", "Marktkwartier", "Stationsbuurt", "Bolwerk", "Rietveld",
                     "Rietveld-Noord", "Rietveld-Zuid", "Het Gors", "Kanaalzone", "Lindenhof", "Lindenhof-Oost",
                     "Lindenhof-West", "Kersenbogerd", "Molenpark", "Polderzicht", "Centrum"]


def evaluate(path: str | Path, pseudonimiseerder: Pseudonimiseerder | None = None) -> dict:
    pseudonimiseerder = pseudonimiseerder or Pseudonimiseerder(GEBIED_NAMEN_DEMO)
    found = total = kept = keep_total = 0
    missed, lost = [], []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        spans = pseudonimiseerder.detect(item["text"])
        for target in item["identificerend"]:
            start = item["text"].index(target)
            covered = any(s.start <= start and start + len(target) <= s.end for s in spans)
            total += 1
            found += covered
            if not covered:
                missed.append((target, item["text"]))
        for word in item["behouden"]:
            start = item["text"].index(word)
            touched = any(s.start < start + len(word) and start < s.end for s in spans)
            keep_total += 1
            kept += not touched
            if touched:
                lost.append((word, item["text"]))
    return {"recall": found / total, "identificerend": total, "behouden": kept / keep_total if keep_total else 1.0,
            "gemist": missed, "verloren": lost}
