"""Pseudonymise story texts: what identifies a person becomes a stable placeholder.

Two detectors, merged: ``deduce`` (Dutch de-identification, offline) finds names and
locations; our own patterns find what deduce misses or splits (phone numbers in +31
forms, e-mail, postcodes, BSN with the 11-check, street + house number, dates of birth).
Place names that are analysis units (the project's gebied names) are kept.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

CATEGORIES = ("PERSOON", "ADRES", "POSTCODE", "TELEFOON", "EMAIL", "BSN", "GEBOORTEDATUM", "LOCATIE", "URL")

STREET_SUFFIX = (r"(?:straat|laan|weg|plein|kade|gracht|singel|hof|dreef|pad|steeg|dijk|baan|ring|markt|"
                 r"plantsoen|erf|wal|lei|dam|veld|park|burcht|hoek|zoom|passage|boulevard)")
MONTHS = r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?"
DATE = rf"(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.](?:19|20)?\d{{2}}|\d{{1,2}}\s+{MONTHS}\s+(?:19|20)\d{{2}})"

PATTERNS: list[tuple[str, re.Pattern]] = [
    ("EMAIL", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("URL", re.compile(r"\b(?:https?://|www\.)\S+", re.I)),
    ("TELEFOON", re.compile(
        r"(?<![\w+])(?:(?:\+|00)\s?31[\s.-]?(?:\(0\)[\s.-]?)?|\(?0)\d{1,3}\)?(?:[\s.-]?\d){6,8}(?!\d)")),
    ("POSTCODE", re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")),
    ("GEBOORTEDATUM", re.compile(
        rf"(?<=\b)(?:(?:geboren|geb\.|geboortedatum|jarig)\s*(?:op|:)?\s*)({DATE})", re.I)),
    ("ADRES", re.compile(
        rf"\b(?:[A-Z][\w'é-]*\s)?[A-Z][\w'é-]*{STREET_SUFFIX}\s+\d+(?:\s?[a-zA-Z]\b|[-\s]?(?:bis|hs|I{{1,3}})\b|-\d+)?")),
    ("ADRES", re.compile(
        rf"\b(?:[Dd]e|[Hh]et|[Oo]p de|[Aa]an de)?\s?[A-Z][\w'é-]+\s{STREET_SUFFIX}\s+\d+[a-zA-Z]?\b")),
    ("PERSOON", re.compile(
        r"\b(?:[Mm]eneer|[Mm]evrouw|[Mm]evr\.|[Dd]hr\.|[Mm]w\.|[Jj]uf|[Mm]eester|[Oo]om|[Tt]ante|[Oo]ma|[Oo]pa"
        # a relation followed by a capitalised word is a name, also one no name list knows
        r"|(?:[Oo]ver)?[Bb]uurvrouw|(?:[Oo]ver)?[Bb]uurman|[Bb]uurmeisje|[Bb]uurjongen|[Vv]riendin|[Vv]riend"
        r"|[Cc]ollega|[Zz]us|[Bb]roer|[Dd]ochter|[Zz]oon|[Kk]leindochter|[Kk]leinzoon|[Nn]icht|[Nn]eef"
        r"|[Mm]ijn man|[Mm]ijn vrouw)"
        r"\s+((?:[A-Z][a-zà-ÿ'-]+)(?:\s+(?:van|de|der|den|el|al|ter|ten|'t)){0,2}(?:\s+[A-Z][a-zà-ÿ'-]+)?)")),
]
BSN_PATTERN = re.compile(r"(?<!\d)(\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ -]\d{3}[ -]\d{3})(?!\d)")
BSN_CONTEXT = re.compile(r"\b(?:bsn|burgerservicenummer|sofinummer)\b", re.I)

DEDUCE_TAGS = {"persoon": "PERSOON", "patient": "PERSOON", "locatie": "LOCATIE", "emailadres": "EMAIL",
               "telefoonnummer": "TELEFOON", "bsn": "BSN", "url": "URL"}
# Words deduce sometimes takes for a name or place that are ordinary in stories.
ORDINARY = {"bel", "buurthuis", "gemeente", "wijk", "buurt", "centrum", "noord", "zuid", "oost", "west",
            "markt", "school", "park", "station", "corporatie", "politie", "jongerenwerk", "moskee", "kerk"}
PRIORITY = {"regex": 2, "deduce": 1}
TITLES = r"(?i)\b(?:meneer|mevrouw|mevr\.|dhr\.|mw\.|juf|meester|oom|tante|oma|opa)\b"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    categorie: str
    tekst: str
    bron: str = "regex"


@dataclass
class Resultaat:
    """A pseudonymised text, the spans that were replaced, and counts per category."""

    tekst: str
    spans: list[Span]
    vervangingen: dict[str, str] = field(default_factory=dict)  # original -> placeholder

    @property
    def per_categorie(self) -> dict[str, int]:
        return dict(Counter(s.categorie for s in self.spans))


def bsn_valid(digits: str) -> bool:
    """The Dutch 11-check ('elfproef') for a BSN."""
    digits = re.sub(r"\D", "", digits)
    if len(digits) != 9:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0 and digits != "000000000"


_deduce = None
_deduce_lock = threading.Lock()


def deduce_model():
    """The deduce pipeline, built once per process (its first build on a machine takes ~2 minutes)."""
    global _deduce
    with _deduce_lock:
        if _deduce is None:
            import logging

            from deduce import Deduce

            logging.getLogger().setLevel(logging.WARNING)
            _deduce = Deduce()
    return _deduce


class Pseudonimiseerder:
    """Finds identifying spans and replaces them by [CATEGORIE-n], stable within one text.

    ``behouden`` are names to keep (gebied names of the project, the gemeente, partners).
    """

    def __init__(self, behouden: Iterable[str] = (), *, use_deduce: bool = True):
        self.behouden = {w.casefold() for w in behouden if w}
        self.behouden_parts = {p for w in self.behouden for p in re.split(r"[\s-]+", w) if len(p) > 3}
        self.use_deduce = use_deduce

    def detect(self, text: str) -> list[Span]:
        spans = list(self._regex_spans(text))
        if self.use_deduce:
            spans += self._deduce_spans(text)
        spans = [t for t in (self._trim(s, text) for s in spans) if t is not None]
        return self._resolve([s for s in spans if not self._keep(s)])

    def pseudonymise(self, text: str) -> Resultaat:
        spans = self.detect(text)
        numbers: dict[str, Counter] = {}
        mapping: dict[str, str] = {}
        pieces, last = [], 0
        for span in spans:
            key = span.tekst.casefold()
            if key not in mapping:
                counter = numbers.setdefault(span.categorie, Counter())
                counter["n"] += 1
                mapping[key] = f"[{span.categorie}-{counter['n']}]"
            pieces += [text[last:span.start], mapping[key]]
            last = span.end
        pieces.append(text[last:])
        return Resultaat("".join(pieces), spans, {s.tekst: mapping[s.tekst.casefold()] for s in spans})

    # ------------------------------------------------------------------ detectors
    def _regex_spans(self, text: str):
        for categorie, pattern in PATTERNS:
            for match in pattern.finditer(text):
                group = 1 if pattern.groups and categorie in ("GEBOORTEDATUM", "PERSOON") else 0
                start, end = match.span(group)
                yield Span(start, end, categorie, text[start:end].strip())
        for match in BSN_PATTERN.finditer(text):
            near = BSN_CONTEXT.search(text[max(0, match.start() - 40):match.start()])
            if bsn_valid(match.group(1)) or near:
                yield Span(match.start(1), match.end(1), "BSN", match.group(1))

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
            if categorie == "LOCATIE" and re.search(r"\d", value) and re.search(STREET_SUFFIX, value, re.I):
                categorie = "ADRES"
            elif categorie == "LOCATIE" and re.fullmatch(r"[1-9]\d{3}\s?[A-Z]{2}", value):
                categorie = "POSTCODE"
            spans.append(Span(start, end, categorie, value, "deduce"))
        return spans

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

    def _keep(self, span: Span) -> bool:
        if span.categorie not in ("LOCATIE", "PERSOON"):
            return False
        value = span.tekst.casefold().strip(" .,")
        if value in ORDINARY or value in self.behouden:
            return True
        parts = [p for p in re.split(r"[\s-]+", value) if p]
        return span.categorie == "LOCATIE" and all(p in self.behouden_parts or p in ORDINARY for p in parts)

    @staticmethod
    def _resolve(spans: list[Span]) -> list[Span]:
        """Non-overlapping spans: our patterns win over deduce, then the longer span wins."""
        ranked = sorted(spans, key=lambda s: (-PRIORITY[s.bron], -(s.end - s.start), s.start))
        chosen: list[Span] = []
        for span in ranked:
            if span.end <= span.start:
                continue
            overlapping = [c for c in chosen if span.start < c.end and c.start < span.end]
            if not overlapping:
                chosen.append(span)
            elif span.bron == "deduce" and all(c.bron == "regex" for c in overlapping):
                # deduce saw a longer thing (e.g. a full name around a title match): extend
                if span.start <= min(c.start for c in overlapping) and span.end >= max(c.end for c in overlapping) \
                        and span.categorie == overlapping[0].categorie:
                    for c in overlapping:
                        chosen.remove(c)
                    chosen.append(span)
        return sorted(chosen, key=lambda s: s.start)
