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
from wijkkit.vertellen.nlp import SENTENCE_END, dutch_pipeline, fold, lemma_of, ocr_repair, stem
from wijkkit.vertellen.valentie import (CONTRAST, EVERYDAY, ROLE_CODES, ROLE_POLARITY, ROLES, label, polarity_lexicon,
                                        scores)
from wijkkit.vertellen.valentie import score as valence_score

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
MATCH, END, PLACE, TRIGGER, ZO, NOOIT = 1, 2, 4, 8, 16, 32  # bits of a word form's flags
ROLE_NAMES = {code: role for role, code in ROLE_CODES.items()}
MARGIN = 0.25  # as valentie.label
# Words that name a theme only in company (Dutch, whatever the codebook says): "elkaar" in "elkaar helpen" is
# samenhang (an expression in frasen.py), in "grenzen aan elkaar" it is not; "zaken" are mostly matters, not shops.
SENSE_GUARDS = {("elkaar", "sociale_samenhang"), ("zaken", "werk_economie")}
# Words that place a sentence in the neighbourhood, so its valence counts for the story.
PLACES = {"buurt", "buurtje", "wijk", "wijkje", "straat", "straatje", "hier", "dorp", "stad", "plek", "omgeving",
          "buurten", "wijken", "straten", "plein", "flat", "portiek", "blok", "complex", "stadsdeel", "kern"}


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
        # one row per word form seen (see _add_form), found by _rows
        self._infos: list[tuple] = []
        self._flags = np.zeros(1024, np.uint8)
        self._polarity_of = np.zeros(1024, np.float64)
        self._role_of = np.zeros(1024, np.int8)
        self._length_of = np.zeros(1024, np.int64)
        self._seconds_of = np.zeros(1024, np.uint64)  # frasen.seconds of the word
        # a word form's theme matches: _match_count[row] numbers of items from _match_start[row] in _match_items
        self._match_start = np.zeros(1024, np.int64)
        self._match_count = np.zeros(1024, np.int64)
        self._match_items: list[int] = []
        self._match_array = np.empty(0, np.int64)
        # a match item is (theme, term, how), numbered; its theme's number and its score as arrays
        self._items: list[tuple[str, str, str]] = []
        self._item_code: dict[tuple[str, str, str], int] = {}
        self._theme_index = {theme: k for k, theme in enumerate(self.codebook.theme_ids)}
        self._item_theme = np.empty(0, np.int64)
        self._item_value = np.empty(0, np.float64)
        self._row_of: dict[int, int] = {}
        self._sorted = np.empty(0, np.uint64)
        self._sorted_rows = np.empty(0, np.int64)
        self._theme_ids = set(self.codebook.theme_ids)

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

    # ------------------------------------------------------------------ one word form, computed once
    def _add_form(self, orth: int) -> int:
        """Everything the tagger needs to know about one word form: a row of ``_infos`` and of the arrays.

        (matches, polarity, valence role, ends_sentence, length, text, folded, expressions)
        """
        text = self.nlp.vocab.strings[orth]
        alpha = any(c.isalpha() for c in text)
        lemma = lemma_of(text.lower()) if alpha else ""
        matches = self.match_word(text, lemma) if alpha else []
        polarity = self.polarity(text, lemma) if alpha else 0
        folded = fold(text)
        role = ROLES.get(folded)
        info = (matches, polarity, role, text in SENTENCE_END, len(text), text, folded,
                frasen.triggered(text.lower()) if alpha else ())
        row = len(self._infos)
        self._infos.append(info)
        if row == len(self._flags):
            grow = len(self._flags)
            (self._flags, self._polarity_of, self._role_of, self._length_of, self._match_start,
             self._match_count, self._seconds_of) = (np.concatenate([a, np.zeros(grow, a.dtype)]) for a in (
                self._flags, self._polarity_of, self._role_of, self._length_of, self._match_start, self._match_count,
                self._seconds_of))
        self._flags[row] = (MATCH * bool(matches) | END * info[3] | PLACE * (folded in PLACES)
                            | TRIGGER * bool(info[7]) | ZO * (folded == "zo") | NOOIT * (folded == "nooit"))
        self._match_start[row], self._match_count[row] = len(self._match_items), len(matches)
        self._match_items.extend(self._item(match) for match in matches)
        self._polarity_of[row] = polarity
        self._seconds_of[row] = frasen.seconds(text.lower()) if alpha else 0
        self._role_of[row] = ROLE_CODES.get(role, 0)
        self._length_of[row] = len(text)
        self._row_of[orth] = row
        return row

    def _rows(self, orths: np.ndarray) -> np.ndarray:
        """The row of each token's word form: one vectorised lookup in a sorted array of known forms.

        Forms seen since the array was last sorted are found in a dict; the array is re-sorted when they
        are a quarter of it, so a stream of new words costs amortised constant time per word.
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
            rows[k] = self._add_form(orth) if row is None else row
        if len(self._row_of) - len(known) > len(known) // 4:
            pairs = sorted(self._row_of.items())
            self._sorted = np.fromiter((o for o, _ in pairs), np.uint64, len(pairs))
            self._sorted_rows = np.fromiter((r for _, r in pairs), np.int64, len(pairs))
        return rows

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
        rows = self._rows(array[:, 0])
        offset = array[:, 1].astype(np.int64)
        flags = self._flags[rows]
        polarity, role = self._polarity_of[rows], self._role_of[rows]
        infos = self._infos
        changed: dict[int, list] = {}  # token -> its matches, where an expression changed them
        story_of = np.repeat(np.arange(len(docs)), sizes)
        triggers = np.flatnonzero(flags & TRIGGER)
        if len(triggers):
            # the expressions whose second word ("helpen" for "elkaar helpen") is within reach of each keyword
            reach = np.clip(triggers[:, None] + np.arange(-frasen.SECOND_REACH, frasen.SECOND_REACH + 1), 0,
                            len(rows) - 1)
            second = np.bitwise_or.reduce(self._seconds_of[rows[reach]], axis=1).tolist()
            near: dict[int, dict[int, list[int]]] = defaultdict(dict)  # story -> expression -> positions
            needs = frasen.NEEDS_SECOND
            for d, at, row, mask in zip(story_of[triggers].tolist(), offset[triggers].tolist(), rows[triggers].tolist(),
                                        second):
                for k in infos[row][7]:
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
        sentence_label = np.where(total > MARGIN, "kracht", np.where(total < -MARGIN, "knelpunt", "neutraal"))
        # per story: the sum of its sentences' scores, and whether a sentence with valence names a place
        story_score = np.bincount(story_of[first], weights=total, minlength=len(docs))
        placed = np.zeros(len(docs), bool)
        with_events = np.zeros(len(first), bool)
        with_events[sentence[events]] = True
        places = np.flatnonzero(flags & PLACE)
        placed[story_of[places[with_events[sentence[places]]]]] = True
        # themes: the strongest match per theme per sentence (the first of equals), in order of first appearance
        token, item = self._entries(flags, rows, changed)
        score, placed = story_score.tolist(), placed.tolist()
        if not len(token):
            yield from (Verhaal([], score[d], placed[d]) for d in range(len(docs)))
            return
        value = self._item_value[item]
        key = sentence[token] * len(self._theme_index) + self._item_theme[item]
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
                      (offset[last[used]] + self._length_of[rows[last[used]]]).tolist(),
                      sentence_label[used].tolist(), turn[used].tolist(), token.tolist(), rows[token].tolist(),
                      item.tolist(), (themed > 1).tolist())
        items, infos, new = self._items, self._infos, tuple.__new__
        for d in range(len(docs)):
            found, text, evidence_of = [], texts[d], None
            for s, nr, lo, hi, own, twist, t, row, code, many in itertools.islice(columns, bounds[d + 1] - bounds[d]):
                if evidence_of is None or evidence_of[0] != s:
                    evidence = text[lo:hi].lstrip()  # a double space becomes a whitespace token
                    evidence_of = (s, hi - len(evidence), evidence)
                if many and twist >= 0:  # "De speeltuin is mooi, maar de straat is vies": each theme its own side
                    own = self._side(t, twist, int(first[s]), int(last[s]), events, polarity, role, rows) or own
                theme, term, how = items[code]
                found.append(new(Suggestie, (theme, nr, evidence_of[1], hi, evidence_of[2], term, infos[row][5], how,
                                             SCORES[how], own)))
            yield Verhaal(found, score[d], placed[d] or bool(found))

    def _entries(self, flags: np.ndarray, rows: np.ndarray, changed: dict[int, list]) -> tuple[np.ndarray, np.ndarray]:
        """(token, match item) for every theme match in the batch, in text order; expressions' changes applied."""
        tokens = np.flatnonzero(flags & MATCH)
        if changed:
            tokens = tokens[~np.isin(tokens, list(changed))]
        count = self._match_count[rows[tokens]]
        token = np.repeat(tokens, count)
        start = np.repeat(self._match_start[rows[tokens]] - (np.cumsum(count) - count), count)
        if len(self._match_array) != len(self._match_items):
            self._match_array = np.array(self._match_items, np.int64)
        item = self._match_array[start + np.arange(len(token))]
        if changed:
            extra = [(t, self._item(match)) for t, found in changed.items() for match in found]
            token = np.concatenate([token, np.array([t for t, _ in extra], np.int64)])
            item = np.concatenate([item, np.array([i for _, i in extra], np.int64)])
            order = np.argsort(token, kind="stable")
            token, item = token[order], item[order]
        return token, item

    def _item(self, match: tuple[str, str, str]) -> int:
        """The number of a (theme, term, how) match."""
        code = self._item_code.get(match)
        if code is None:
            code = self._item_code[match] = len(self._items)
            self._items.append(match)
            self._item_theme = np.append(self._item_theme, self._theme_index[match[0]])
            self._item_value = np.append(self._item_value, SCORES[match[2]])
        return code

    @staticmethod
    def _where(mask: np.ndarray, rows: np.ndarray) -> tuple[list[int], list[int]]:
        at = np.flatnonzero(mask)
        return at.tolist(), rows[at].tolist()

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
            if frase.thema in self._theme_ids:
                own = changed[first] if first in changed else self._infos[rows[first]][0]
                changed[first] = [m for m in own if m[0] != frase.thema] + [(frase.thema, frase.naam, "frase")]
            if frase.polariteit or last > first + 1:
                polarity[first] = frase.polariteit

    def _side(self, t: int, turn: int, first: int, last: int, events, polarity, role, rows) -> str | None:
        """The valence of theme word ``t``'s side of its sentence's last contrast word ``turn``."""
        inside = events[np.searchsorted(events, first):np.searchsorted(events, last, "right")].tolist()
        side = [(e, float(polarity[e]), ROLE_NAMES.get(int(role[e])), self._infos[rows[e]][6])
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
