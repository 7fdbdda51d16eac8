"""Theme suggestions: codebook terms matched on word, lemma and stem, compound- and OCR-aware.

A suggestion is never a coding: coders accept or reject it. Each suggestion carries the
sentence as evidence, the matched term, a score, and the sentence's valence (kracht /
knelpunt / neutraal) with simple negation handling ("geen overlast" is not a knelpunt).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from spacy.attrs import IDX, ORTH

from wijkkit.codebook import Codebook, load_codebook
from wijkkit.vertellen.nlp import SENTENCE_END, dutch_pipeline, fold, lemma_table, ocr_repair, stem

NEGATIONS = {"geen", "niet", "nooit", "niks", "niets", "nergens", "zonder", "nauwelijks", "amper"}
NEGATION_WINDOW = 3
MIN_PART = 4  # shortest term that may be a part of a compound
# What may follow a compound modifier without making a new word ("werk" + "elijk" is not werk).
SUFFIXES = {"elijk", "lijk", "ing", "ingen", "heid", "heden", "baar", "achtig", "isch", "loos", "zaam", "ster"}
SCORES = {"woord": 1.0, "lemma": 1.0, "stam": 0.9, "samenstelling": 0.8, "ocr": 0.7}
THRESHOLD = 0.5


class Suggestie(NamedTuple):
    thema: str
    zin: int  # sentence number in the story (0-based)
    start: int  # code-point offsets of the evidence (the sentence) in the story text
    end: int
    bewijs: str
    term: str  # the codebook term that matched
    woord: str  # the word in the text that matched
    manier: str  # woord / lemma / stam / samenstelling / ocr
    score: float
    valentie: str


class Tagger:
    """Suggests codebook themes for story texts."""

    def __init__(self, codebook: Codebook | None = None, threshold: float = THRESHOLD):
        self.codebook = codebook or load_codebook()
        self.threshold = threshold
        self.nlp = dutch_pipeline()
        self.forms: dict[str, list[tuple[str, str]]] = defaultdict(list)  # form -> [(theme, term)]
        for thema in self.codebook.themas:
            for term in thema.termen:
                folded = fold(term)
                for form in {folded, stem(folded)}:
                    self.forms[form].append((thema.id, term))
        parts = sorted((f for f in self.forms if len(f) >= MIN_PART), key=len, reverse=True)
        alternation = "|".join(map(re.escape, parts))
        self._prefix = re.compile(rf"^({alternation})")
        self._suffix = re.compile(rf"({alternation})$")
        self.excluded = {t.id: {fold(w) for w in t.uitsluiten} for t in self.codebook.themas}
        self._polarity: dict[str, int] = {}
        for valentie in self.codebook.valentie:
            sign = {"kracht": 1, "knelpunt": -1}.get(valentie.id, 0)
            for term in valentie.termen:
                self._polarity[fold(term)] = sign
                self._polarity[stem(fold(term))] = sign
        polar = sorted((f for f in self._polarity if len(f) >= 5), key=len, reverse=True)
        self._polar_suffix = re.compile("(" + "|".join(map(re.escape, polar)) + ")$")
        self._cache: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        self._polarity_cache: dict[tuple[str, str], int] = {}
        self._words: dict[int, tuple] = {}
        self._lemmas = lemma_table()

    def polarity(self, word: str, lemma: str = "") -> int:
        """+1 kracht, -1 knelpunt, 0 neutral; compounds take their head's polarity (jongerenoverlast)."""
        key = (word, lemma)
        value = self._polarity_cache.get(key)
        if value is None:
            value = self._polarity_cache[key] = self._compute_polarity(word, lemma)
        return value

    def _compute_polarity(self, word: str, lemma: str) -> int:
        folded = fold(ocr_repair(word) if any(c in word for c in "01I|!5") else word)
        value = self._polarity.get(folded) or (self._polarity.get(fold(lemma), 0) if lemma else 0)
        if not value and len(folded) > 7:
            head = self._polar_suffix.search(folded)
            value = self._polarity[head[1]] if head else 0
        return value

    # ------------------------------------------------------------------ matching one word
    def match_word(self, word: str, lemma: str = "") -> list[tuple[str, str, str]]:
        """Themes for one word: [(theme, term, how)]; cached per (word, lemma)."""
        key = (word, lemma)
        found = self._cache.get(key)
        if found is None:
            repaired = ocr_repair(word) if any(c in word for c in "01I|!5") else word
            if repaired != word:  # a scanner slip inside a word: match the repaired word
                found = [(t, term, "ocr") for t, term, _ in self._match(fold(repaired), "")]
            else:
                found = self._match(fold(word), fold(lemma) if lemma else "")
            found = [hit for hit in found if fold(word) not in self.excluded.get(hit[0], ())]
            self._cache[key] = found
        return found

    def _match(self, word: str, lemma: str) -> list[tuple[str, str, str]]:
        if len(word) < 3 or not word.isalpha():
            return []
        for form, how in ((word, "woord"), (lemma, "lemma"), (stem(word), "stam")):
            if form and form in self.forms:
                return [(theme, term, how) for theme, term in self.forms[form]]
        if len(word) < 2 * MIN_PART:
            return []
        hits = []
        suffix = self._suffix.search(word)
        if suffix and len(word) - len(suffix[1]) >= 3:
            hits += self.forms[suffix[1]]
        prefix = self._prefix.match(word)
        if prefix:
            rest = word[len(prefix[1]):]
            rest = rest[1:] if rest.startswith("s") and len(rest) > 3 else rest  # linking s: veiligheidsgevoel
            if len(rest) >= 3 and rest not in SUFFIXES:
                hits += self.forms[prefix[1]]
        seen, out = set(), []
        for theme, term in hits:
            if theme not in seen:
                seen.add(theme)
                out.append((theme, term, "samenstelling"))
        return out

    # ------------------------------------------------------------------ texts
    def tag(self, text: str) -> list[Suggestie]:
        """Suggestions per sentence (one per theme per sentence, the strongest match)."""
        return self._from_doc(self.nlp.make_doc(text), text)

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterable[list[Suggestie]]:
        texts = list(texts)
        for text, doc in zip(texts, self.nlp.tokenizer.pipe(texts, batch_size=batch_size)):
            yield self._from_doc(doc, text)

    def _word_info(self, orth: int) -> tuple:
        """Everything the tagger needs to know about one word form, computed once per form.

        (matches, polarity, is_negation, ends_sentence, length, text, interesting)
        """
        text = self.nlp.vocab.strings[orth]
        lemma = self._lemmas.get(text.lower(), text.lower())
        alpha = any(c.isalpha() for c in text)
        matches = self.match_word(text, lemma) if alpha else []
        polarity = self.polarity(text, lemma) if alpha else 0
        negation = fold(text) in NEGATIONS
        info = (matches, polarity, negation, text in SENTENCE_END, len(text), text,
                bool(matches or polarity or negation))
        self._words[orth] = info
        return info

    def _from_doc(self, doc, text: str) -> list[Suggestie]:
        # Token attributes as one numpy array and a per-form cache: no spaCy Token objects,
        # and only the few tokens that match, carry valence or negate are visited in Python.
        array = doc.to_array([ORTH, IDX])
        words, word_info = self._words, self._word_info
        infos = [words.get(orth) or word_info(orth) for orth in array[:, 0].tolist()]
        interesting = [i for i, info in enumerate(infos) if info[6]]
        if not interesting:
            return []
        n = len(infos)
        # a sentence starts after end punctuation ('.', '!', '?', runs of them)
        starts = [0] + [i + 1 for i, info in enumerate(infos) if info[3] and i + 1 < n and not infos[i + 1][3]]
        starts.append(n)
        offsets = array[:, 1].tolist()
        out: list[Suggestie] = []
        nr, first, last = -1, 0, 0
        best: dict = {}
        score, negations = 0, []
        for i in interesting:
            if i >= last:
                if best:
                    self._emit(best, score, infos, offsets, first, last, nr, text, out)
                while i >= starts[nr + 1]:
                    nr += 1
                first, last = starts[nr], starts[nr + 1]
                best, score, negations = {}, 0, []
            matches, polarity, negation = infos[i][0], infos[i][1], infos[i][2]
            if negation:
                negations.append(i)
            if polarity:
                score += self._signed(polarity, i, negations, infos, last)
            for theme, term, how in matches:
                value = SCORES[how]
                current = best.get(theme)
                if current is None or value > current[0]:
                    best[theme] = (value, term, infos[i][5], how)
        if best:
            self._emit(best, score, infos, offsets, first, last, nr, text, out)
        return out

    @staticmethod
    def _signed(polarity: int, i: int, negations: list[int], infos, last: int) -> int:
        """Flip a word's polarity when a negation stands just before it or right after it."""
        negated = any(i - NEGATION_WINDOW <= j < i for j in negations) or (i + 1 < last and infos[i + 1][2])
        if negated:
            return -polarity if polarity > 0 else 1
        return polarity

    @staticmethod
    def _emit(best: dict, score: int, infos, offsets, first: int, last: int, nr: int, text: str, out: list) -> None:
        valentie = "kracht" if score > 0 else "knelpunt" if score < 0 else "neutraal"
        end = offsets[last - 1] + infos[last - 1][4]
        evidence = text[offsets[first]:end].lstrip()  # a double space becomes a whitespace token
        start = end - len(evidence)
        for theme, (value, term, word, how) in best.items():
            out.append(Suggestie(theme, nr, start, end, evidence, term, word, how, value, valentie))

    def themes(self, text_or_suggestions) -> dict[str, float]:
        """Story-level theme scores: 1 - prod(1 - score) over the sentences, kept above the threshold."""
        suggestions = (self.tag(text_or_suggestions) if isinstance(text_or_suggestions, str)
                       else text_or_suggestions)
        remaining: dict[str, float] = defaultdict(lambda: 1.0)
        for s in suggestions:
            remaining[s.thema] *= 1 - s.score
        return {theme: round(1 - rest, 4) for theme, rest in remaining.items() if 1 - rest >= self.threshold}
