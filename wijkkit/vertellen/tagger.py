"""Theme suggestions: codebook terms matched on word, lemma and stem, compound- and OCR-aware.

A suggestion is never a coding: coders accept or reject it. Each suggestion carries the
sentence as evidence, the matched term, a score, and the sentence's valence (kracht /
knelpunt / neutraal), read by ``valentie`` (negation scope, contrast, nostalgia, wishes).
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterable
from typing import NamedTuple

from spacy.attrs import IDX, ORTH

from wijkkit.codebook import Codebook, load_codebook
from wijkkit.vertellen import frasen
from wijkkit.vertellen.nlp import SENTENCE_END, dutch_pipeline, fold, lemma_of, ocr_repair, stem
from wijkkit.vertellen.valentie import EVERYDAY, ROLE_POLARITY, ROLES, label, polarity_lexicon
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
        self._words: dict[int, tuple] = {}
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
        return self._from_doc(self.nlp.make_doc(text), text)

    def pipe(self, texts: Iterable[str], batch_size: int = 256) -> Iterable[list[Suggestie]]:
        texts = list(texts)
        for text, doc in zip(texts, self.nlp.tokenizer.pipe(texts, batch_size=batch_size)):
            yield self._from_doc(doc, text)

    def _word_info(self, orth: int) -> tuple:
        """Everything the tagger needs to know about one word form, computed once per form.

        (matches, polarity, valence role, ends_sentence, length, text, interesting)
        """
        text = self.nlp.vocab.strings[orth]
        lemma = lemma_of(text.lower())
        alpha = any(c.isalpha() for c in text)
        matches = self.match_word(text, lemma) if alpha else []
        polarity = self.polarity(text, lemma) if alpha else 0
        folded = fold(text)
        role = ROLES.get(folded)
        info = (matches, polarity, role, text in SENTENCE_END, len(text), text,
                bool(matches or polarity or role), folded, folded in PLACES,
                frasen.triggered(text.lower()) if alpha else ())
        self._words[orth] = info
        return info

    def _from_doc(self, doc, text: str, sentence_scores: list | None = None) -> list[Suggestie]:
        # Token attributes as one numpy array and a per-form cache: no spaCy Token objects,
        # and only the few tokens that match, carry valence or a valence role are visited in Python.
        array = doc.to_array([ORTH, IDX])
        words, word_info = self._words, self._word_info
        infos = [words.get(orth) or word_info(orth) for orth in array[:, 0].tolist()]
        offsets = array[:, 1].tolist()
        near: dict[int, list[int]] = {}
        for i in [i for i, info in enumerate(infos) if info[9]]:
            for k in infos[i][9]:
                near.setdefault(k, []).append(offsets[i])
        if near:
            phrases = frasen.find(text, near)
            if phrases:
                infos = self._with_phrases(infos, offsets, phrases)
        interesting = [i for i, info in enumerate(infos) if info[6]]
        if not interesting:
            return []
        n = len(infos)
        # a sentence starts after end punctuation ('.', '!', '?', runs of them)
        starts = [0] + [i + 1 for i, info in enumerate(infos) if info[3] and i + 1 < n and not infos[i + 1][3]]
        starts.append(n)
        out: list[Suggestie] = []
        nr, first, last = -1, 0, 0
        best: dict = {}
        events: list = []
        for i in interesting:
            if i >= last:
                self._close(best, events, infos, offsets, first, last, nr, text, out, sentence_scores)
                while i >= starts[nr + 1]:
                    nr += 1
                first, last = starts[nr], starts[nr + 1]
                best, events = {}, []
            matches, polarity, role = infos[i][0], infos[i][1], infos[i][2]
            if polarity or role:
                events.append((i, polarity, role, infos[i][7]))
            for theme, term, how in matches:
                value = SCORES[how]
                current = best.get(theme)
                if current is None or value > current[0]:
                    best[theme] = (value, term, infos[i][5], how, i)
        self._close(best, events, infos, offsets, first, last, nr, text, out, sentence_scores)
        return out

    def _with_phrases(self, infos: list, offsets: list[int], phrases) -> list:
        """Token infos with each expression's theme on its first word and its valence replacing its words'."""
        infos = list(infos)
        for start, end, frase in phrases:
            first = bisect.bisect_right(offsets, start) - 1
            last = bisect.bisect_left(offsets, end)
            if first < 0:
                continue
            # the words inside keep their themes, not their valence; an expression with a valence of its own
            # has its negation inside it too ("luisteren niet"), so its words lose their valence roles as well
            for k in range(first + 1, last):
                info = infos[k]
                role = None if frase.polariteit else info[2]
                if info[1] or role != info[2]:
                    infos[k] = (info[0], 0, role, *info[3:6], bool(info[0] or role), *info[7:])
            info = infos[first]
            matches = list(info[0])
            if frase.thema in self._theme_ids:
                matches = [m for m in matches if m[0] != frase.thema] + [(frase.thema, frase.naam, "frase")]
            polarity = frase.polariteit if frase.polariteit else (0 if last > first + 1 else info[1])
            role = None if frase.polariteit else info[2]
            infos[first] = (matches, polarity, role, info[3], info[4], info[5],
                            bool(matches or polarity or role), *info[7:])
        return infos

    @staticmethod
    def _close(best: dict, events: list, infos, offsets, first: int, last: int, nr: int, text: str, out: list,
               sentence_scores: list | None) -> None:
        if not best and (sentence_scores is None or not events):
            return
        sentence = valence_score(events)
        if sentence_scores is not None:
            # whether the sentence names a theme or a place (see valentie())
            sentence_scores.append((sentence, bool(best) or any(infos[k][8] for k in range(first, last))))
        if not best:
            return
        valentie = label(sentence)
        # "De speeltuin is mooi, maar de straat is vies": each theme takes its own side of the "maar"
        turn = (next((i for i, _, role, _ in reversed(events) if role == "contrast"), None)
                if len(best) > 1 else None)
        end = offsets[last - 1] + infos[last - 1][4]
        evidence = text[offsets[first]:end].lstrip()  # a double space becomes a whitespace token
        start = end - len(evidence)
        for theme, (score, term, word, how, i) in best.items():
            own = valentie
            if turn is not None:
                side = [e for e in events if (e[0] < turn) == (i < turn) and e[0] != turn]
                own = label(valence_score(side)) if side else valentie
            out.append(Suggestie(theme, nr, start, end, evidence, term, word, how, score, own))

    def valentie(self, text: str) -> str:
        """The valence of a whole story: the sum of its sentences' scores (kracht/knelpunt/neutraal)."""
        scores: list[tuple[float, bool]] = []
        self._from_doc(self.nlp.make_doc(text), text, scores)
        total = label(sum(score for score, _ in scores))
        if total == "kracht" and not any(about for _, about in scores):
            # praise of the weather or a day out names no strength of the wijk; a complaint without a place
            # ("niemand ruimt het op") in a neighbourhood story almost always is about it
            return "neutraal"
        return total

    def themes(self, text_or_suggestions) -> dict[str, float]:
        """Story-level theme scores: 1 - prod(1 - score) over the sentences, kept above the threshold."""
        suggestions = (self.tag(text_or_suggestions) if isinstance(text_or_suggestions, str)
                       else text_or_suggestions)
        remaining: dict[str, float] = defaultdict(lambda: 1.0)
        for s in suggestions:
            remaining[s.thema] *= 1 - s.score
        return {theme: round(1 - rest, 4) for theme, rest in remaining.items() if 1 - rest >= self.threshold}
