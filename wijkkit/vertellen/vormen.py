"""What the tagger knows of each word form it has met, as rows of numpy arrays.

A story is a sequence of word forms (spaCy's ORTH hashes); the few thousand distinct forms of a
corpus are read once (themes, polarity, valence role, expressions) and after that a batch of
stories is one vectorised lookup: ``rows`` maps every token to its form's row, and the arrays
give each token's flags, polarity, role and length without a Python loop over tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from wijkkit.vertellen import frasen
from wijkkit.vertellen.nlp import SENTENCE_END, fold
from wijkkit.vertellen.valentie import ROLE_CODES, ROLES

MATCH, END, PLACE, TRIGGER, ZO, NOOIT = 1, 2, 4, 8, 16, 32  # bits of a word form's flags
# Words that place a sentence in the neighbourhood, so its valence counts for the story.
PLACES = {"buurt", "buurtje", "wijk", "wijkje", "straat", "straatje", "hier", "dorp", "stad", "plek", "omgeving",
          "buurten", "wijken", "straten", "plein", "flat", "portiek", "blok", "complex", "stadsdeel", "kern"}


class Vorm(NamedTuple):
    """One word form as the tagger reads it."""

    matches: list[tuple[str, str, str]]  # (theme, term, how)
    polarity: float
    role: str | None  # valence role (valentie.ROLES)
    text: str
    folded: str
    expressions: tuple[int, ...]  # frasen.triggered: expressions whose keyword the word holds


class Vormen:
    """The word forms seen so far: a row each, in a list of ``Vorm`` and in parallel numpy arrays.

    ``describe(text)`` gives a new form's (matches, polarity); ``scores`` the score of each way of
    matching (tagger.SCORES); ``themes`` the codebook's theme ids, numbered in this order.
    """

    def __init__(self, describe: Callable[[str], tuple[list, float]], scores: dict[str, float], themes: list[str]):
        self.describe, self.scores = describe, scores
        self.theme_index = {theme: k for k, theme in enumerate(themes)}
        self.vormen: list[Vorm] = []
        self.flags = np.zeros(1024, np.uint8)
        self.polarity = np.zeros(1024, np.float64)
        self.role = np.zeros(1024, np.int8)
        self.length = np.zeros(1024, np.int64)
        self.seconds = np.zeros(1024, np.uint64)  # frasen.seconds of the word
        # a form's theme matches: count[row] match items from start[row] in _items_of_rows
        self.start = np.zeros(1024, np.int64)
        self.count = np.zeros(1024, np.int64)
        self._items_of_rows: list[int] = []
        self._items_array = np.empty(0, np.int64)
        # a match item is (theme, term, how), numbered; its theme's number and its score as arrays
        self.items: list[tuple[str, str, str]] = []
        self._item_code: dict[tuple[str, str, str], int] = {}
        self.item_theme = np.empty(0, np.int64)
        self.item_score = np.empty(0, np.float64)
        self._row_of: dict[int, int] = {}
        self._sorted = np.empty(0, np.uint64)
        self._sorted_rows = np.empty(0, np.int64)

    def rows(self, orths: np.ndarray, strings) -> np.ndarray:
        """The row of each token's word form (``strings``: the vocabulary's StringStore, for new forms).

        One vectorised lookup in a sorted array of known forms; forms seen since the array was last sorted
        are found in a dict, and the array is re-sorted when they are a quarter of it, so a stream of new
        words costs amortised constant time per word.
        """
        known = self._sorted
        if len(known):
            at = np.minimum(np.searchsorted(known, orths), len(known) - 1)
            rows = self._sorted_rows[at]
            missing = np.flatnonzero(known[at] != orths)
            if not len(missing):
                return rows
        else:
            rows, missing = np.empty(len(orths), np.int64), np.arange(len(orths))
        get = self._row_of.get
        for k in missing.tolist():
            orth = int(orths[k])
            row = get(orth)
            rows[k] = self._add(orth, strings[orth]) if row is None else row
        if len(self._row_of) - len(known) > len(known) // 4:
            pairs = sorted(self._row_of.items())
            self._sorted = np.fromiter((o for o, _ in pairs), np.uint64, len(pairs))
            self._sorted_rows = np.fromiter((r for _, r in pairs), np.int64, len(pairs))
        return rows

    def _add(self, orth: int, text: str) -> int:
        alpha = any(c.isalpha() for c in text)
        matches, polarity = self.describe(text) if alpha else ([], 0)
        folded = fold(text)
        role = ROLES.get(folded)
        vorm = Vorm(matches, polarity, role, text, folded, frasen.triggered(text.lower()) if alpha else ())
        row = len(self.vormen)
        self.vormen.append(vorm)
        if row == len(self.flags):
            grow = len(self.flags)
            for name in ("flags", "polarity", "role", "length", "seconds", "start", "count"):
                array = getattr(self, name)
                setattr(self, name, np.concatenate([array, np.zeros(grow, array.dtype)]))
        self.flags[row] = (MATCH * bool(matches) | END * (text in SENTENCE_END) | PLACE * (folded in PLACES)
                           | TRIGGER * bool(vorm.expressions) | ZO * (folded == "zo") | NOOIT * (folded == "nooit"))
        self.start[row], self.count[row] = len(self._items_of_rows), len(matches)
        self._items_of_rows.extend(self.item(match) for match in matches)
        self.polarity[row] = polarity
        self.seconds[row] = frasen.seconds(text.lower()) if alpha else 0
        self.role[row] = ROLE_CODES.get(role, 0)
        self.length[row] = len(text)
        self._row_of[orth] = row
        return row

    def item(self, match: tuple[str, str, str]) -> int:
        """The number of a (theme, term, how) match."""
        code = self._item_code.get(match)
        if code is None:
            code = self._item_code[match] = len(self.items)
            self.items.append(match)
            self.item_theme = np.append(self.item_theme, self.theme_index[match[0]])
            self.item_score = np.append(self.item_score, self.scores[match[2]])
        return code

    def entries(self, flags: np.ndarray, rows: np.ndarray, changed: dict[int, list]) -> tuple[np.ndarray, np.ndarray]:
        """(token, match item) for every theme match of the tokens, in text order; ``changed``: token -> its
        matches where an expression changed them."""
        tokens = np.flatnonzero(flags & MATCH)
        if changed:
            tokens = tokens[~np.isin(tokens, list(changed))]
        count = self.count[rows[tokens]]
        token = np.repeat(tokens, count)
        start = np.repeat(self.start[rows[tokens]] - (np.cumsum(count) - count), count)
        if len(self._items_array) != len(self._items_of_rows):
            self._items_array = np.array(self._items_of_rows, np.int64)
        item = self._items_array[start + np.arange(len(token))]
        if changed:
            extra = [(t, self.item(match)) for t, found in changed.items() for match in found]
            token = np.concatenate([token, np.array([t for t, _ in extra], np.int64)])
            item = np.concatenate([item, np.array([i for _, i in extra], np.int64)])
            order = np.argsort(token, kind="stable")
            token, item = token[order], item[order]
        return token, item
