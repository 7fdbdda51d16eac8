"""Pseudonymise texts people wrote: what identifies a person becomes a stable placeholder.

Three kinds of detector, merged: our patterns (:mod:`wijkkit.privacy.patronen`: phone numbers
here and abroad, e-mail also written "[at]", postcodes, BSN with the 11-check, IBAN, licence
plates, street + number, dates of birth, social-media handles, ages), name lists
(:mod:`wijkkit.privacy.namen`: names in lower case or capitals, families in the plural, rare
names) and ``deduce`` (Dutch de-identification, offline) for names and places in context.
Place names that are analysis units (the project's gebied names) are kept.

``Pseudonimiseerder(use_deduce=False)`` is the light variant (patterns and name lists, no
lookup structures of a gigabyte): good enough for a short duiding note in a dashboard kernel.
"""

from __future__ import annotations

import bisect
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from wijkkit.privacy import namen  # noqa: F401  (registers the name detectors)
from wijkkit.privacy.patronen import DETECTORS, STREET_SUFFIX, Span, bsn_valid

__all__ = ["CATEGORIES", "Pseudonimiseerder", "Resultaat", "Span", "bsn_valid", "deduce_model"]

CATEGORIES = ("PERSOON", "ADRES", "POSTCODE", "TELEFOON", "EMAIL", "BSN", "GEBOORTEDATUM", "LOCATIE", "URL",
              "IBAN", "KENTEKEN", "ACCOUNT", "LEEFTIJD")

DEDUCE_TAGS = {"persoon": "PERSOON", "patient": "PERSOON", "locatie": "LOCATIE", "emailadres": "EMAIL",
               "telefoonnummer": "TELEFOON", "bsn": "BSN", "url": "URL"}
# Words deduce sometimes takes for a name or place that are ordinary in stories.
ORDINARY = {"bel", "buurthuis", "gemeente", "wijk", "buurt", "centrum", "noord", "zuid", "oost", "west",
            "markt", "school", "park", "station", "corporatie", "politie", "jongerenwerk", "moskee", "kerk"}
NAMEISH = {"PERSOON", "LOCATIE"}
PLACEHOLDER = re.compile(r"\[([A-Z]+)-(\d+)\]")
PRIORITY = {"regex": 3, "deduce": 2, "namen": 1}
TITLES = r"(?i)\b(?:meneer|mevrouw|mevr\.|dhr\.|mw\.|juf|meester|oom|tante|oma|opa|familie|fam\.)\b"


@dataclass
class Resultaat:
    """A pseudonymised text, the spans that were replaced, and counts per category."""

    tekst: str
    spans: list[Span]
    vervangingen: dict[str, str] = field(default_factory=dict)  # original -> placeholder
    _starts: list[int] = field(default_factory=list, repr=False)  # (old start, new start) per span
    _new: list[tuple[int, int]] = field(default_factory=list, repr=False)

    @property
    def per_categorie(self) -> dict[str, int]:
        return dict(Counter(s.categorie for s in self.spans))

    def positie(self, offset: int, *, einde: bool = False) -> int:
        """Where an offset in the original text lands in the pseudonymised text.

        An offset inside a replaced span moves to the placeholder's start (or its end with
        ``einde``), so a coded selection keeps covering what it covered.
        """
        k = bisect.bisect_right(self._starts, offset) - 1
        if k < 0:
            return offset
        span, (new_start, new_end) = self.spans[k], self._new[k]
        if offset >= span.end:
            return new_end + offset - span.end
        if offset == span.start:
            return new_start
        return new_end if einde else new_start


def _ordinary_word_opening_a_sentence(text: str, start: int, value: str) -> bool:
    """"Schimmel komt vaker voor": a surname in deduce's list, but here a Dutch word that opens a sentence.

    A lone word at the start of a sentence that Dutch knows as a word (simplemma's lexicon) and that is
    no first name is left alone; with a title or a first name beside it, a surname is still caught.
    """
    from simplemma import is_known

    from wijkkit.privacy.namen import _sentence_start, name_lists

    folded = value.casefold()
    return (_sentence_start(text, start) and folded not in name_lists()["voornaam"]
            and is_known(folded, lang="nl") and not re.match(r"\s+[A-Z]", text[start + len(value):]))


_HIDDEN_OR_WIDE = re.compile(r"[^\x00-\x7f\u00c0-\u017f]")


def normalise(text: str) -> tuple[str, list[int], list[int]]:
    """The text as detectors should read it: format characters (zero-width space and joiners, soft hyphen, BOM)
    left out and each character in its NFKC form (full-width digits and letters, non-breaking spaces, ligatures).
    Returns it with, per character, the start and end offset of the original character it came from; the text
    itself (the same object) when nothing changes, which is almost always."""
    if not _HIDDEN_OR_WIDE.search(text):
        return text, [], []
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        if unicodedata.category(char) == "Cf":
            continue
        folded = unicodedata.normalize("NFKC", char) if ord(char) > 0x7f else char
        pieces.append(folded)
        starts += [index] * len(folded)
        ends += [index + 1] * len(folded)
    plain = "".join(pieces)
    return (text, [], []) if plain == text else (plain, starts, ends)


_deduce = None
_deduce_lock = threading.Lock()


def deduce_model():
    """The deduce pipeline, built once per process (see :mod:`wijkkit.privacy.model` for its cache)."""
    global _deduce
    with _deduce_lock:
        if _deduce is None:
            from wijkkit.privacy.model import load_deduce

            _deduce = load_deduce()
    return _deduce


class Pseudonimiseerder:
    """Finds identifying spans and replaces them by [CATEGORIE-n], stable within one text.

    ``behouden`` are names to keep (gebied names of the project, the gemeente, partners).
    """

    def __init__(self, behouden: Iterable[str] = (), *, use_deduce: bool = True,
                 detectors: Iterable[str] | None = None):
        self.behouden = {w.casefold() for w in behouden if w}
        self.behouden_parts = {p for w in self.behouden for p in re.split(r"[\s-]+", w) if len(p) > 3}
        self.use_deduce = use_deduce
        self.detectors = [DETECTORS[name] for name in (detectors or DETECTORS)]

    def detect(self, text: str) -> list[Span]:
        """Spans in ``text``; found in its normalised form (see :func:`normalise`) and placed back on the original,
        so "06\u200b12345678" and full-width "０６-１２３４５６７８" are found like "0612345678"."""
        plain, starts, ends = normalise(text)
        spans = self._detect(plain)
        if plain is text:
            return spans
        return [Span(starts[s.start], ends[s.end - 1], s.categorie, text[starts[s.start]:ends[s.end - 1]], s.bron,
                     s.vervanging) for s in spans]

    def _detect(self, text: str) -> list[Span]:
        spans = [span for detect in self.detectors for span in detect(text)]
        if self.use_deduce:
            spans += self._deduce_spans(text)
        spans = [t for t in (self._trim(s, text) for s in spans) if t is not None]
        kept = self._kept_ranges(text)
        return self._resolve([s for s in spans if not self._keep(s, kept)])

    def pseudonymise(self, text: str) -> Resultaat:
        spans = self.detect(text)
        # a text pseudonymised before (a light pass, then the full one) keeps its placeholders;
        # new ones continue their numbering, so [PERSOON-1] never stands for two people
        numbers: Counter = Counter()
        for categorie, number in PLACEHOLDER.findall(text):
            numbers[categorie] = max(numbers[categorie], int(number))
        mapping: dict[tuple[str, str], str] = {}
        pieces, last, length = [], 0, 0
        starts, new = [], []
        for span in spans:
            key = (span.categorie, span.tekst.casefold())
            if span.vervanging:
                placeholder = span.vervanging
            else:
                if key not in mapping:
                    numbers[span.categorie] += 1
                    mapping[key] = f"[{span.categorie}-{numbers[span.categorie]}]"
                placeholder = mapping[key]
            before = text[last:span.start]
            length += len(before)
            starts.append(span.start)
            new.append((length, length + len(placeholder)))
            length += len(placeholder)
            pieces += [before, placeholder]
            last = span.end
        pieces.append(text[last:])
        replaced = {s.tekst: s.vervanging or mapping[(s.categorie, s.tekst.casefold())] for s in spans}
        return Resultaat("".join(pieces), spans, replaced, starts, new)

    # ------------------------------------------------------------------ deduce
    def _deduce_spans(self, text: str) -> list[Span]:
        doc = deduce_model().deidentify(text)
        spans = []
        for ann in doc.annotations:
            categorie = DEDUCE_TAGS.get(ann.tag)
            if categorie is None:
                continue
            start, end, value = ann.start_char, ann.end_char, ann.text
            if categorie == "PERSOON":  # deduce may pull in a capitalised verb: "Bel Henk"
                first, _, rest = value.partition(" ")
                if rest and first.casefold() in ORDINARY:
                    start, value = start + len(first) + 1, rest
                if not rest and _ordinary_word_opening_a_sentence(text, start, value):
                    continue
            if categorie == "LOCATIE" and re.search(r"\d", value) and re.search(STREET_SUFFIX, value, re.I):
                categorie = "ADRES"
            elif categorie == "LOCATIE" and re.fullmatch(r"[1-9]\d{3}\s?[A-Z]{2}", value):
                categorie = "POSTCODE"
            spans.append(Span(start, end, categorie, value, "deduce"))
        return spans

    # ------------------------------------------------------------------ cleaning up
    def _trim(self, span: Span, text: str) -> Span | None:
        """Cut a kept gebied name (and the little words before it) off a name or place span."""
        if span.categorie == "PERSOON":  # a name never ends in 'van de': that belongs to what follows
            stripped = re.sub(r"(?:\s+(?:van|de|der|den|het|'t|ter|ten|in|uit))+\s*$", "", span.tekst)
            if stripped != span.tekst and stripped.strip():
                span = Span(span.start, span.start + len(stripped), span.categorie, stripped, span.bron)
        if span.categorie not in ("LOCATIE", "PERSOON") or not self.behouden:
            return span
        lowered = span.tekst.casefold()
        for name in sorted(self.behouden, key=len, reverse=True):
            at = lowered.find(name)
            if at < 0:
                continue
            head = re.sub(r"(?:\s+(?:van|in|uit|bij|naar|op|de|het|der|den|'t))+\s*$", "", span.tekst[:at],
                          flags=re.I).strip()
            head = re.sub(r"^(?:de|het|in de|in het)$", "", head, flags=re.I).strip()
            if len(re.sub(TITLES, "", head).strip()) < 2:
                return None
            return Span(span.start, span.start + len(head), span.categorie, head, span.bron)
        return span

    def _kept_ranges(self, text: str) -> list[tuple[int, int]]:
        """Where the text names a gebied to keep ("in de Oude Haven")."""
        if not self.behouden:
            return []
        lowered = text.casefold()
        return [(m.start(), m.end()) for name in self.behouden
                for m in re.finditer(r"(?<!\w)" + re.escape(name) + r"(?!\w)", lowered)]

    def _keep(self, span: Span, kept: list[tuple[int, int]] = ()) -> bool:
        if span.categorie == "ADRES":  # "Rietveld 3" is a buurt and a number, not a street
            street = re.split(r"[\s,(]+\d|\s*\(", span.tekst, maxsplit=1)[0].casefold().strip()
            return street in self.behouden
        if span.categorie not in ("LOCATIE", "PERSOON"):
            return False
        if any(start <= span.start and span.end <= end for start, end in kept):
            return True
        value = span.tekst.casefold().strip(" .,")
        if value in ORDINARY or value in self.behouden:
            return True
        parts = [p for p in re.split(r"[\s-]+", value) if p]
        return span.categorie == "LOCATIE" and all(p in self.behouden_parts or p in ORDINARY for p in parts)

    @staticmethod
    def _resolve(spans: list[Span]) -> list[Span]:
        """Non-overlapping spans: our patterns win over deduce, deduce over the name lists, then the
        longer span wins; a lower-ranked span of the same kind that covers a higher one extends it."""
        ranked = sorted(spans, key=lambda s: (-PRIORITY[s.bron], -(s.end - s.start), s.start))
        chosen: list[Span] = []
        for span in ranked:
            if span.end <= span.start:
                continue
            overlapping = [c for c in chosen if span.start < c.end and c.start < span.end]
            if not overlapping:
                chosen.append(span)
            elif span.start <= min(c.start for c in overlapping) and span.end >= max(c.end for c in overlapping) \
                    and all(c.categorie == span.categorie or {c.categorie, span.categorie} <= NAMEISH
                            for c in overlapping):
                # e.g. deduce saw the full name around a title match: take the longer one
                for c in overlapping:
                    chosen.remove(c)
                chosen.append(span)
        return sorted(chosen, key=lambda s: s.start)
