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
from functools import lru_cache
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
SCORES = {"frase": 1.0, "woord": 1.0, "lemma": 1.0, "stam": 0.9, "samenstelling": 0.8, "voorvoegsel": 0.45, "ocr": 0.7,
          "zwak": 0.3}
# Heads that say what kind of thing, not which domain: in "schoolverzuim", "jeugdwerkloosheid", "kinderarmoede",
# "onderwijsachterstand" the modifier names the domain as much as the head does (policy prose is full of them).
ABSTRACT_HEADS = {"verzuim", "verlater", "verlaters", "uitval", "uitvallers", "achterstand", "achterstanden",
                  "werkloosheid", "armoede", "criminaliteit", "zorg", "beleid", "problematiek", "probleem", "problemen",
                  "kans", "kansen", "kansengelijkheid", "ongelijkheid", "participatie", "begeleiding", "ondersteuning",
                  "hulp", "hulpverlening", "werk", "werker", "werkers", "coach", "coaches", "ontwikkeling", "prestaties",
                  "resultaten", "advies", "aanbod", "voorziening", "voorzieningen", "deelname", "plicht", "geld",
                  "gebouw", "gebouwen", "plein", "pleinen", "team", "teams", "vraagstuk", "vraagstukken", "opgave",
                  "opgaven", "aanpak", "schuld", "schulden", "werkgelegenheid", "voorlichting", "preventie"}
# Heads too general to name a theme beside a modifier that does: "jeugdwerk" is youth work, "onderwijsachterstand"
# an educational gap, not work or poverty.
GENERIC_HEADS = {"werk", "werker", "werkers", "achterstand", "achterstanden", "beleid", "team", "teams", "aanpak",
                 "opgave", "opgaven"}
# Separable-verb particles: "meewerken", "opruimen" are verbs, not compounds of werk or ruimte.
PARTICLES = {"mee", "samen", "door", "op", "af", "uit", "in", "aan", "om", "over", "toe", "terug", "weg", "bij",
             "na", "voor", "tegen", "neer", "vast", "los", "rond", "mis", "kapot", "schoon", "goed", "dicht"}
THRESHOLD = 0.5
ROLE_NAMES = {code: role for role, code in ROLE_CODES.items()}
MODEL_TERM = "(geleerd uit bewonerscitaten)"  # the term of a suggestion the learned model added
# the term of a suggestion that only the similarity to the codebook's description offered (zekerheid, gelijkenis)
GELIJKENIS_TERM = "(lijkt op de omschrijving in het codeboek)"
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
    valentie: str | None = None  # the story's valence where the learned model had a say (corpusmodel)
    # calibrated confidences (wijkkit.vertellen.zekerheid), where the shipped calibration applies:
    zekerheid: dict[str, float] | None = None  # theme -> probability that a coder codes it in this story
    valentie_zekerheid: dict[str, float] | None = None  # valence -> probability that it is the story's


class Tagger:
    """Suggests codebook themes for story texts."""

    def __init__(self, codebook: Codebook | None = None, threshold: float = THRESHOLD, *, leren: bool = True):
        """``leren``: combine the rules with the model learned from real resident quotes, per theme as
        cross-validation chose (:mod:`wijkkit.vertellen.corpusmodel`); False reads with the rules alone."""
        self.codebook = codebook or load_codebook()
        self.threshold = threshold
        self.leren = leren
        self._combinatie = None
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
        # terms that name a theme only weakly on their own ("kinderen" said in passing in a story about damp)
        self.weak = {t.id: {fold(w) for w in t.zwak} for t in self.codebook.themas}
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
            found = [(theme, term, "zwak" if how in ("woord", "lemma", "stam") and fold(term) in self.weak[theme]
                      else how)
                     for theme, term, how in found if fold(word) not in self.excluded.get(theme, ())
                     and (fold(word), theme) not in SENSE_GUARDS]
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
        head, head_hits = self._head(word)
        modifier = self._prefix.match(word)
        rest = word[len(modifier[1]):] if modifier else ""
        rest = rest[1:] if rest.startswith("s") and len(rest) > 3 else rest  # linking s: veiligheidsgevoel
        modifier_themes = self.forms[modifier[1]] if modifier and len(rest) >= 3 and rest not in SUFFIXES else []
        abstract = head in ABSTRACT_HEADS or rest in ABSTRACT_HEADS or stem(rest) in ABSTRACT_HEADS
        if modifier_themes and abstract and (head in GENERIC_HEADS or rest in GENERIC_HEADS):
            head_hits = []  # "jeugdwerk" is not about work
        hits += [(theme, term, "samenstelling") for theme, term in head_hits]
        if modifier and len(rest) >= 3 and rest not in SUFFIXES:
            # the modifier is weak evidence ("kinderwagen") unless the head is abstract ("schoolverzuim")
            hits += [(theme, term, "samenstelling" if abstract and (theme, term) in modifier_themes else "voorvoegsel")
                     for theme, term in self.forms[modifier[1]]]
        seen, out = set(), []
        for theme, term, how in hits:
            if theme not in seen:
                seen.add(theme)
                out.append((theme, term, how))
        return out

    def _head(self, word: str) -> tuple[str, list[tuple[str, str]]]:
        """The longest known ending of a compound (a term, or a word whose stem is a term's) and its themes:
        "jeugdwerkloosheid" ends in "werkloosheid", whose stem is werkloos's."""
        for at in range(3, len(word) - MIN_PART + 1):
            head = word[at:]
            if word[:at] in PARTICLES:
                continue
            for form in (head, stem(head)):
                if form in self.forms and len(form) >= MIN_PART:
                    return head, self.forms[form]
        return "", []

    # ------------------------------------------------------------------ texts
    def tag(self, text: str) -> list[Suggestie]:
        """Suggestions per sentence (one per theme per sentence, the strongest match)."""
        return next(self._read([self._tokens(self.nlp.make_doc(text))], [text], self.leren)).suggesties

    def pipe(self, texts: Iterable[str], batch_size: int = 128) -> Iterable[list[Suggestie]]:
        """Suggestions for many texts, in order; a batch of stories is read in one pass of array operations."""
        return (story.suggesties for story in self.lees(texts, batch_size, leren=self.leren))

    def lees(self, texts: Iterable[str], batch_size: int = 128, *, leren: bool = False) -> Iterator[Verhaal]:
        """What the tagger reads in each text (suggestions, valence score), in order; ``leren`` adds the model."""
        texts = list(texts)
        tokens: list[np.ndarray] = []
        done = 0
        for doc in self.nlp.tokenizer.pipe(texts, batch_size=batch_size):
            # only the token arrays are kept: a batch of Doc objects would outlive the garbage collector's
            # young generations and make it sweep the whole heap every few thousand stories
            tokens.append(self._tokens(doc))
            if len(tokens) == batch_size:
                yield from self._read(tokens, texts[done:done + len(tokens)], leren)
                done += len(tokens)
                tokens = []
        if tokens:
            yield from self._read(tokens, texts[done:], leren)

    def _read(self, tokens: list[np.ndarray], texts: list[str], leren: bool) -> Iterator[Verhaal]:
        stories = self._batch(tokens, texts)
        if leren and self.combinatie is not None:
            yield from self._combine(list(stories), texts)
        else:
            yield from stories

    @staticmethod
    def _tokens(doc) -> np.ndarray:
        """A tokenised story as an array of (word form, character offset) rows."""
        return doc.to_array([ORTH, IDX]).reshape(-1, 2)

    def valentie(self, text: str) -> str:
        """The valence of a whole story: the sum of its sentences' scores (kracht/knelpunt/neutraal), or, where
        cross-validation chose so, the learned model's reading."""
        return self.story_valence(next(self._read([self._tokens(self.nlp.make_doc(text))], [text], self.leren)))

    @staticmethod
    def story_valence(story: Verhaal) -> str:
        if story.valentie is not None:
            return story.valentie
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

    # ------------------------------------------------------------------ the learned second reader
    @property
    def combinatie(self):
        """The learned model and its strategies (corpusmodel.Combinatie), or None (rules only)."""
        if not self.leren:
            return None
        if self._combinatie is None:
            self._combinatie = default_combination() or False
            if self._combinatie:
                own = self.codebook.model_dump()
                self._same_codebook = own == self._combinatie.lezer.tagger.codebook.model_dump()
        return self._combinatie or None

    def use(self, combinatie) -> None:
        """Read with another learned model and strategies (corpusmodel.Combinatie), e.g. one re-fitted on a
        project's own coded stories (wijkkit.coderen.projectmodel)."""
        self.leren = True
        self._combinatie = combinatie
        self._same_codebook = self.codebook.model_dump() == combinatie.lezer.tagger.codebook.model_dump()

    def _combine(self, stories: list[Verhaal], texts: list[str]) -> Iterator[Verhaal]:
        """Each story's suggestions and valence after the model had its say, theme by theme."""
        from wijkkit.vertellen import corpusmodel as cm

        comb = self.combinatie
        strategy, known = comb.theme_strategy, self.vormen.theme_index
        from wijkkit.vertellen.zekerheid import kalibratie_van

        kalibratie = kalibratie_van(comb)
        rules = [set(self.themes(story.suggesties)) for story in stories]
        # the model reads only where a strategy asks it something: every story where it may add a theme or
        # decide valence, or give a confidence, else only the stories where the rules suggested a theme it may
        # veto ("en")
        everywhere = (comb.valence_strategy != "regels" or kalibratie is not None
                      or any(s in ("model", "of") for t, s in strategy.items() if t in known))
        vetoes = {t for t, s in strategy.items() if s == "en" and t in known}
        asked = [d for d in range(len(stories)) if everywhere or rules[d] & vetoes]
        probs = np.zeros((len(stories), len(comb.model.themes)))
        valence = np.zeros((len(stories), len(cm.VALENTIES)))
        confidence: dict[int, tuple[dict, tuple]] = {}
        if asked:
            reader = comb.lezer.tagger
            if everywhere:
                part = [texts[d] for d in asked]
                # the model learned from the default codebook's rules; a project codebook gets its own reading
                ruled = [stories[d] for d in asked] if self._same_codebook else list(reader.lees(part))
            else:
                # a veto is asked about the sentences that carry the theme: the model learned from short quotes,
                # and reading a whole long story would cost more than the rules themselves
                part = [" ".join(dict.fromkeys(s.bewijs for s in stories[d].suggesties if s.thema in vetoes))
                        for d in asked]
                ruled = list(reader.lees(part))
            probs[asked], valence[asked] = comb.model.predict(part, cm.rule_features(ruled, comb.lezer.themes,
                                                                                     reader))
            if kalibratie is not None:
                from wijkkit.vertellen import gelijkenis

                close = (gelijkenis.read(part, reader.codebook, kalibratie.themes) if kalibratie.gelijkenis
                         else None)
                confidence = self._confidences(kalibratie, asked, ruled, probs[asked], valence[asked], reader,
                                               close)
        asked_set = set(asked)
        for d, story in enumerate(stories):
            if d not in asked_set:
                yield story
                continue
            found, added = list(story.suggesties), []
            for k, theme in enumerate(comb.model.themes):
                if theme not in known:
                    continue
                keep = cm.decide(theme in rules[d], float(probs[d, k]), strategy.get(theme, "regels"))
                if theme in rules[d] and not keep:  # the model contradicts a weak rule reading: no suggestion
                    found = [s for s in found if s.thema != theme]
                elif keep and theme not in rules[d]:
                    added.append((theme, float(probs[d, k])))
            valentie = cm.decide_valence(self.story_valence(story), valence[d], comb.valence_strategy)
            if added:
                found += self._model_suggestions(texts[d], added, valentie)
            zeker, valentie_zeker, closest = confidence.get(d, (None, None, {}))
            if zeker is not None:
                zeker = {t: c for t, c in zeker.items() if t in known}
                # what the rules read (even where the model vetoed it) is theirs to offer, never the similarity's
                offered = {s.thema for s in story.suggesties} | {s.thema for s in found}
                found += [Suggestie(theme, *closest[theme], GELIJKENIS_TERM, "", "gelijkenis", zeker[theme], valentie)
                          for theme in zeker if theme not in offered and theme in closest and zeker[theme] > 0]
            yield Verhaal(found, story.score, story.over_wijk or bool(added),
                          valentie if comb.valence_strategy != "regels" else None, zeker, valentie_zeker)

    @staticmethod
    def _confidences(kalibratie, asked, ruled, probs, valence, reader, close=None) -> dict[int, tuple]:
        """Per asked story: the calibrated confidence per theme, the probability of each valence and, per theme,
        the sentence closest to its description as (zin, start, end, text) (with ``close``, a
        gelijkenis.Gelijkenis of the same stories)."""
        from wijkkit.vertellen import zekerheid as zk

        regels = zk.rule_reading(ruled, kalibratie.themes)
        found = np.array([[t in reader.themes(v.suggesties) for t in kalibratie.themes] for v in ruled], bool)
        conf = kalibratie.theme_confidence(probs, regels.ruw, found.reshape(len(ruled), -1),
                                           close.waarden if close is not None else None)
        proba = kalibratie.valence_proba(valence, [reader.story_valence(v) for v in ruled], regels)
        out = {}
        for k, d in enumerate(asked):
            closest = {}
            if close is not None:
                for j, t in enumerate(kalibratie.themes):
                    zin = int(close.beste[k, j])
                    closest[t] = (zin, *close.zinnen[k][zin])
            out[d] = ({t: round(float(conf[k, j]), 3) for j, t in enumerate(kalibratie.themes)},
                      {v: round(p, 3) for v, p in proba[k].items()}, closest)
        return out

    def _model_suggestions(self, text: str, added: list[tuple[str, float]], valentie: str) -> list[Suggestie]:
        """A suggestion from the model, on the sentence the model finds most about the theme."""
        from wijkkit.vertellen import corpusmodel as cm
        from wijkkit.vertellen.nlp import segments

        sentences = segments(text) or [(0, len(text), text)]
        comb = self.combinatie
        best = {theme: 0 for theme, _ in added}
        if len(sentences) > 1:
            parts = [s[2] for s in sentences]
            ruled = list(comb.lezer.tagger.lees(parts))
            probs, _ = comb.model.predict(parts, cm.rule_features(ruled, comb.lezer.themes, comb.lezer.tagger))
            for theme in best:
                best[theme] = int(np.argmax(probs[:, comb.model.themes.index(theme)]))
        return [Suggestie(theme, best[theme], sentences[best[theme]][0], sentences[best[theme]][1],
                          sentences[best[theme]][2], MODEL_TERM, "", "model", round(p, 3), valentie)
                for theme, p in added]

    def themes(self, text_or_suggestions) -> dict[str, float]:
        """Story-level theme scores: 1 - prod(1 - score) over the sentences, kept above the threshold."""
        suggestions = (self.tag(text_or_suggestions) if isinstance(text_or_suggestions, str)
                       else text_or_suggestions)
        remaining: dict[str, float] = {}
        for thema, *_, score, _ in suggestions:  # unpacked: a field lookup per suggestion is slower
            remaining[thema] = remaining.get(thema, 1.0) * (1 - score)
        return {theme: round(1 - rest, 4) for theme, rest in remaining.items() if 1 - rest >= self.threshold}


@lru_cache(maxsize=1)
def default_combination():
    """The model trained on the whole packaged corpus with the shipped strategies (corpusmodel.Combinatie); None
    without them. It lives here, beside the Tagger it builds, so that corpusmodel never imports the tagger."""
    from wijkkit.vertellen import corpusmodel as cm

    strategie = cm.read_strategy()
    if strategie is None:
        return None
    lezer = cm.Lezer(Tagger(load_codebook(), leren=False))
    return cm.Combinatie(lezer, lezer.fit(cm.read_corpus()), strategie)
