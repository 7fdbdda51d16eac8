"""Theme suggestions: codebook terms matched on word, lemma and stem, compound- and OCR-aware.

A suggestion is never a coding: coders accept or reject it. Each suggestion carries the
sentence as evidence, the matched term, a score, and the sentence's valence (kracht /
knelpunt / neutraal), read by ``valentie`` (negation scope, contrast, nostalgia, wishes).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import NamedTuple

import numpy as np
from spacy.attrs import IDX, ORTH

from wijkkit.codebook import Codebook, load_codebook
from wijkkit.vertellen import frasen
from wijkkit.vertellen.nlp import dutch_pipeline, fold, lemma_of, ocr_repair, stem
from wijkkit.vertellen.valentie import (CONTRAST, EVERYDAY, ROLE_CODES, ROLE_POLARITY, ROLES, label, labels,
                                        polarity_lexicon, scores)
from wijkkit.vertellen.valentie import score as valence_score
from wijkkit.vertellen.vormen import END, NOOIT, PLACE, TRIGGER, ZO, Vormen

MIN_PART = 4  # shortest term that may be a part of a compound
# What may follow a compound modifier without making a new word ("werk" + "elijk" is not werk).
SUFFIXES = {"elijk", "lijk", "ing", "ingen", "heid", "heden", "baar", "achtig", "isch", "loos", "zaam", "ster"}
# A compound means what its head (last part) means: "jongerenoverlast" is overlast. A theme word
# only as the first part ("kinderwagen", "muziekoverlast", "zorgtoeslag") is weak evidence on its own.
SCORES = {"frase": 1.0, "woord": 1.0, "lemma": 1.0, "stam": 0.9, "samenstelling": 0.8, "voorvoegsel": 0.45, "ocr": 0.7}
# Separable-verb particles: "meewerken", "opruimen" are verbs, not compounds of werk or ruimte.
PARTICLES = {"mee", "samen", "door", "op", "af", "uit", "in", "aan", "om", "over", "toe", "terug", "weg", "bij",
             "na", "voor", "tegen", "neer", "vast", "los", "rond", "mis", "kapot", "schoon", "goed", "dicht"}
THRESHOLD = 0.5
ROLE_NAMES = {code: role for role, code in ROLE_CODES.items()}
# Words that name a theme only in company (Dutch, whatever the codebook says): "elkaar" in "elkaar helpen" is
# samenhang (an expression in frasen.py), in "grenzen aan elkaar" it is not; "zaken" are mostly matters, not shops.
SENSE_GUARDS = {("elkaar", "sociale_samenhang"), ("zaken", "werk_economie")}


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


class Verhaal(NamedTuple):
    """What the tagger reads in one story: its suggestions and its valence (see Tagger.valentie)."""

    suggesties: list[Suggestie]
    score: float  # the sum of its sentences' valence scores
    over_wijk: bool  # whether a sentence with valence or a theme names a theme or a place


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
        own: dict[str, int] = {}
        for valentie in self.codebook.valentie:
            sign = {"kracht": 1, "knelpunt": -1}.get(valentie.id, 0)
            own.update({fold(term): sign for term in valentie.termen})
        self._polarity = {fold(w): v for w, v in polarity_lexicon(own).items()}
        # stems only for the codebook's and the everyday words: a stem of Pattern's adjectives
        # lands on unrelated words ("groots" -> "groot")
        for word in [*own, *(w for words in EVERYDAY.values() for w in words)]:
            self._polarity.setdefault(stem(fold(word)), self._polarity[fold(word)])
        # compound heads (jongerenoverlast, buurtpreventie) only from the codebook's own valence terms
        polar = sorted((f for f in own if len(f) >= 5 and own[f]), key=len, reverse=True)
        self._polar_suffix = re.compile("(" + "|".join(map(re.escape, polar)) + ")$")
        self._cache: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        self._polarity_cache: dict[tuple[str, str], float] = {}
        self.vormen = Vormen(self._describe, SCORES, self.codebook.theme_ids)

    def polarity(self, word: str, lemma: str = "") -> float:
        """> 0 kracht, < 0 knelpunt, 0 neutral; compounds take their head's polarity (jongerenoverlast)."""
        key = (word, lemma)
        value = self._polarity_cache.get(key)
        if value is None:
            value = self._polarity_cache[key] = self._compute_polarity(word, lemma)
        return value

    def _compute_polarity(self, word: str, lemma: str) -> float:
        folded = fold(ocr_repair(word) if any(c in word for c in "01I|!5") else word)
        if folded in ROLES:  # "erg", "zo", "best" are intensifiers here, not evaluations
            return ROLE_POLARITY.get(folded, 0)
        value = (self._polarity.get(folded) or (self._polarity.get(fold(lemma), 0) if lemma else 0)
                 or self._polarity.get(stem(folded), 0))
        if not value and len(folded) > 7:
            head = self._polar_suffix.search(folded)
            value = self._polarity[head[1]] if head else 0
        return value

    # ------------------------------------------------------------------ matching one word
    def _describe(self, text: str) -> tuple[list[tuple[str, str, str]], float]:
        """A word form's theme matches and polarity (for Vormen)."""
        lemma = lemma_of(text.lower())
        return self.match_word(text, lemma), self.polarity(text, lemma)

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
            found = [hit for hit in found if fold(word) not in self.excluded.get(hit[0], ())
                     and (fold(word), hit[0]) not in SENSE_GUARDS]
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
        if suffix and len(word) - len(suffix[1]) >= 3 and word[:-len(suffix[1])] not in PARTICLES:
            hits += [(theme, term, "samenstelling") for theme, term in self.forms[suffix[1]]]
        prefix = self._prefix.match(word)
        if prefix:  # the modifier is weak evidence: a story needs more than "kinderwagen" to be about jeugd
            rest = word[len(prefix[1]):]
            rest = rest[1:] if rest.startswith("s") and len(rest) > 3 else rest  # linking s: veiligheidsgevoel
            if len(rest) >= 3 and rest not in SUFFIXES:
                hits += [(theme, term, "voorvoegsel") for theme, term in self.forms[prefix[1]]]
        seen, out = set(), []
        for theme, term, how in hits:
            if theme not in seen:
                seen.add(theme)
                out.append((theme, term, how))
        return out

    # ------------------------------------------------------------------ texts
    def tag(self, text: str) -> list[Suggestie]:
        """Suggestions per sentence (one per theme per sentence, the strongest match)."""
        return next(self._batch([self._tokens(self.nlp.make_doc(text))], [text])).suggesties

    def pipe(self, texts: Iterable[str], batch_size: int = 128) -> Iterable[list[Suggestie]]:
        """Suggestions for many texts, in order; a batch of stories is read in one pass of array operations."""
        texts = list(texts)
        tokens: list[np.ndarray] = []
        done = 0
        for doc in self.nlp.tokenizer.pipe(texts, batch_size=batch_size):
            # only the token arrays are kept: a batch of Doc objects would outlive the garbage collector's
            # young generations and make it sweep the whole heap every few thousand stories
            tokens.append(self._tokens(doc))
            if len(tokens) == batch_size:
                yield from (story.suggesties for story in self._batch(tokens, texts[done:done + len(tokens)]))
                done += len(tokens)
                tokens = []
        if tokens:
            yield from (story.suggesties for story in self._batch(tokens, texts[done:]))

    @staticmethod
    def _tokens(doc) -> np.ndarray:
        """A tokenised story as an array of (word form, character offset) rows."""
        return doc.to_array([ORTH, IDX]).reshape(-1, 2)

    def valentie(self, text: str) -> str:
        """The valence of a whole story: the sum of its sentences' scores (kracht/knelpunt/neutraal)."""
        story = next(self._batch([self._tokens(self.nlp.make_doc(text))], [text]))
        total = label(story.score)
        if total == "kracht" and not story.over_wijk:
            # praise of the weather or a day out names no strength of the wijk; a complaint without a place
            # ("niemand ruimt het op") in a neighbourhood story almost always is about it
            return "neutraal"
        return total

    # ------------------------------------------------------------------ a batch of stories
    def _batch(self, docs: list[np.ndarray], texts: list[str]) -> Iterator[Verhaal]:
        """Suggestions and story valence for a batch of tokenised stories.

        The tokens of all stories are laid end to end as arrays (word form, character offset, polarity,
        role, sentence); sentences and their valence are array operations over the whole batch, and Python
        only visits the tokens that match a theme and writes the suggestions.
        """
        sizes = np.array([len(doc) for doc in docs], np.int64)
        if not sizes.sum():
            yield from (Verhaal([], 0.0, False) for _ in docs)
            return
        array = np.concatenate(docs)
        begin = np.concatenate([[0], np.cumsum(sizes)[:-1]])  # each story's first token
        vormen = self.vormen
        rows = vormen.rows(array[:, 0], self.nlp.vocab.strings)
        offset = array[:, 1].astype(np.int64)
        flags = vormen.flags[rows]
        polarity, role = vormen.polarity[rows], vormen.role[rows]
        changed: dict[int, list] = {}  # token -> its matches, where an expression changed them
        story_of = np.repeat(np.arange(len(docs)), sizes)
        triggers = np.flatnonzero(flags & TRIGGER)
        if len(triggers):
            # the expressions whose second word ("helpen" for "elkaar helpen") is within reach of each keyword
            reach = np.clip(triggers[:, None] + np.arange(-frasen.SECOND_REACH, frasen.SECOND_REACH + 1), 0,
                            len(rows) - 1)
            second = np.bitwise_or.reduce(vormen.seconds[rows[reach]], axis=1).tolist()
            near: dict[int, dict[int, list[int]]] = defaultdict(dict)  # story -> expression -> positions
            needs = frasen.NEEDS_SECOND
            for d, at, row, mask in zip(story_of[triggers].tolist(), offset[triggers].tolist(), rows[triggers].tolist(),
                                        second):
                for k in vormen.vormen[row].expressions:
                    if k not in needs or mask >> k & 1:
                        near[d].setdefault(k, []).append(at)
            for d, keys in near.items():
                self._apply_phrases(texts[d], keys, int(begin[d]), int(begin[d] + sizes[d]), rows, offset, polarity,
                                    role, changed)
        # sentences: a sentence starts a story or follows end punctuation ('.', '!', '?', runs of them)
        ends = (flags & END) > 0
        opens = np.zeros(len(rows), bool)
        opens[begin[sizes > 0]] = True
        opens[1:] |= ends[:-1] & ~ends[1:]
        sentence = np.cumsum(opens) - 1
        first = np.flatnonzero(opens)
        last = np.append(first[1:] - 1, len(rows) - 1)
        events = np.flatnonzero((polarity != 0) | (role != 0))
        total = scores(events, polarity[events], role[events], (flags[events] & ZO) > 0, (flags[events] & NOOIT) > 0,
                       sentence[events], first, last)
        sentence_label = labels(total)
        # per story: the sum of its sentences' scores, and whether a sentence with valence names a place
        story_score = np.bincount(story_of[first], weights=total, minlength=len(docs))
        placed = np.zeros(len(docs), bool)
        with_events = np.zeros(len(first), bool)
        with_events[sentence[events]] = True
        places = np.flatnonzero(flags & PLACE)
        placed[story_of[places[with_events[sentence[places]]]]] = True
        # themes: the strongest match per theme per sentence (the first of equals), in order of first appearance
        token, item = vormen.entries(flags, rows, changed)
        score, placed = story_score.tolist(), placed.tolist()
        if not len(token):
            yield from (Verhaal([], score[d], placed[d]) for d in range(len(docs)))
            return
        value = vormen.item_score[item]
        key = sentence[token] * len(vormen.theme_index) + vormen.item_theme[item]
        order = np.lexsort((-value, key))  # stable: among equals the earliest entry, as entries are in text order
        group = np.r_[True, key[order][1:] != key[order][:-1]]
        best = order[group]
        appear = np.lexsort((np.arange(len(key)), key))[group]  # each (sentence, theme)'s first entry
        best = best[np.argsort(appear, kind="stable")]
        token, item = token[best], item[best]
        used = sentence[token]
        themed = np.bincount(used - used[0], minlength=1)[used - used[0]]  # themes in the same sentence
        turn = np.full(len(first), -1)
        np.maximum.at(turn, sentence[events[role[events] == CONTRAST]], events[role[events] == CONTRAST])
        story = story_of[token]
        bounds = np.searchsorted(story, np.arange(len(docs) + 1)).tolist()  # each story's suggestions
        # per suggestion, as plain lists: the Suggestie objects are made one story at a time, as the caller takes
        # them, so a batch's worth of them never outlives the garbage collector's young generation
        columns = zip(used.tolist(), (used - sentence[begin[story]]).tolist(), offset[first[used]].tolist(),
                      (offset[last[used]] + vormen.length[rows[last[used]]]).tolist(),
                      sentence_label[used].tolist(), turn[used].tolist(), token.tolist(), rows[token].tolist(),
                      item.tolist(), (themed > 1).tolist())
        items, forms, new = vormen.items, vormen.vormen, tuple.__new__
        for d in range(len(docs)):
            found, text, evidence_of = [], texts[d], None
            for s, nr, lo, hi, own, twist, t, row, code, many in itertools.islice(columns, bounds[d + 1] - bounds[d]):
                if evidence_of is None or evidence_of[0] != s:
                    evidence = text[lo:hi].lstrip()  # a double space becomes a whitespace token
                    evidence_of = (s, hi - len(evidence), evidence)
                if many and twist >= 0:  # "De speeltuin is mooi, maar de straat is vies": each theme its own side
                    own = self._side(t, twist, int(first[s]), int(last[s]), events, polarity, role, rows) or own
                theme, term, how = items[code]
                found.append(new(Suggestie, (theme, nr, evidence_of[1], hi, evidence_of[2], term, forms[row].text,
                                             how, SCORES[how], own)))
            yield Verhaal(found, score[d], placed[d] or bool(found))

    def _apply_phrases(self, text: str, near: dict[int, list[int]], a: int, b: int, rows, offset, polarity, role,
                       changed: dict[int, list]) -> None:
        """One story's expressions (tokens a..b): each one's theme on its first word, its valence replacing its
        words'."""
        offsets = None
        for start, end, frase in frasen.find(text, near):
            offsets = offset[a:b].tolist() if offsets is None else offsets
            first = bisect.bisect_right(offsets, start) - 1
            last = bisect.bisect_left(offsets, end)
            if first < 0:
                continue
            first, last = first + a, last + a
            # the words inside keep their themes, not their valence; an expression with a valence of its own
            # has its negation inside it too ("luisteren niet"), so its words lose their valence roles as well
            polarity[first + 1:last] = 0
            if frase.polariteit:
                role[first:last] = 0
            if frase.thema in self.vormen.theme_index:
                own = changed[first] if first in changed else self.vormen.vormen[rows[first]].matches
                changed[first] = [m for m in own if m[0] != frase.thema] + [(frase.thema, frase.naam, "frase")]
            if frase.polariteit or last > first + 1:
                polarity[first] = frase.polariteit

    def _side(self, t: int, turn: int, first: int, last: int, events, polarity, role, rows) -> str | None:
        """The valence of theme word ``t``'s side of its sentence's last contrast word ``turn``."""
        inside = events[np.searchsorted(events, first):np.searchsorted(events, last, "right")].tolist()
        side = [(e, float(polarity[e]), ROLE_NAMES.get(int(role[e])), self.vormen.vormen[rows[e]].folded)
                for e in inside if (e < turn) == (t < turn) and e != turn]
        return label(valence_score(side)) if side else None

    def themes(self, text_or_suggestions) -> dict[str, float]:
        """Story-level theme scores: 1 - prod(1 - score) over the sentences, kept above the threshold."""
        suggestions = (self.tag(text_or_suggestions) if isinstance(text_or_suggestions, str)
                       else text_or_suggestions)
        remaining: dict[str, float] = {}
        for thema, *_, score, _ in suggestions:  # unpacked: a field lookup per suggestion is slower
            remaining[thema] = remaining.get(thema, 1.0) * (1 - score)
        return {theme: round(1 - rest, 4) for theme, rest in remaining.items() if 1 - rest >= self.threshold}
