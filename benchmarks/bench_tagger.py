"""Benchmark: the theme tagger against spaCy's tokenizer alone, on the same texts, in one process.

The tagger reads with its learned second reader where the shipped strategies ask for it
(wijkkit.vertellen.corpusmodel); the rules alone are timed too.

Makes 10,000 synthetic stories of about 150 words from the demo fragments (fixed seed),
then prints stories per second for ``nlp.make_doc`` (the baseline) and for the full tagger
(sentences, lemmas, matching, valence), their ratio (target: the tagger keeps at least a
third of the tokenizer's throughput), and peak memory.

Usage: python benchmarks/bench_tagger.py [--stories 10000]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from wijkkit.demo.verhalen import FRAGMENTEN  # noqa: E402
from wijkkit.vertellen.tagger import Tagger  # noqa: E402


def make_texts(count: int, words: int = 150) -> list[str]:
    rng = np.random.default_rng(150)
    sentences = [s for group in FRAGMENTEN.values() for s in group]
    texts = []
    for _ in range(count):
        parts, length = [], 0
        while length < words:
            sentence = sentences[rng.integers(len(sentences))]
            parts.append(sentence)
            length += len(sentence.split())
        texts.append(" ".join(parts))
    return texts


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = make_texts(args.stories)
    words = sum(len(t.split()) for t in texts) / len(texts)
    tagger = Tagger()
    tagger.themes(texts[0])  # warm-up (also trains the learned second reader, once per process)
    rules = Tagger(leren=False)
    rules.themes(texts[0])

    def tokenize():
        for text in texts:
            tagger.nlp.make_doc(text)

    def tag():
        for suggestions in tagger.pipe(texts):
            tagger.themes(suggestions)

    def tag_rules():
        for suggestions in rules.pipe(texts):
            rules.themes(suggestions)

    # alternate the two, three rounds, and take medians: the machine's speed drifts
    rounds = [(timed(tokenize), timed(tag), timed(tag_rules)) for _ in range(args.rounds)]
    tokenizer = statistics.median(r[0] for r in rounds)
    full = statistics.median(r[1] for r in rounds)
    rules_only = statistics.median(r[2] for r in rounds)

    tracemalloc.start()
    for suggestions in tagger.pipe(texts[:1000]):
        tagger.themes(suggestions)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"{len(texts)} verhalen, gemiddeld {words:.0f} woorden")
    print(f"spaCy tokenizer (make_doc): {len(texts) / tokenizer:,.0f} verhalen/s")
    print(f"volledige tagger:           {len(texts) / full:,.0f} verhalen/s")
    print(f"alleen de regels:           {len(texts) / rules_only:,.0f} verhalen/s")
    print(f"ratio tagger/tokenizer:     {tokenizer / full:.2f}  (met het geleerde model; mediaan van {args.rounds} "
          f"rondes, per ronde: {', '.join(f'{t / f:.2f}' for t, f, _ in rounds)})")
    print(f"ratio regels/tokenizer:     {tokenizer / rules_only:.2f}  (doel: >= 0.33; per ronde: "
          f"{', '.join(f'{t / r:.2f}' for t, _, r in rounds)})")
    print(f"piekgeheugen (tracemalloc, 1.000 verhalen): {peak / 1e3:.0f} kB; "
          f"max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
