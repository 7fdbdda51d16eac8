"""Regular-expression detectors for what identifies a person in Dutch text.

Each detector is a small function ``text -> Iterable[Span]`` in the registry ``DETECTORS``,
so a project can see (and a test can check) exactly which kinds are covered. Ages are not
replaced by a numbered placeholder but generalised to a ten-year band ("[LEEFTIJD 70-79]"):
an exact age identifies an older resident in a small buurt, a band keeps what the analysis
needs (that the teller is in their seventies).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    categorie: str
    tekst: str
    bron: str = "regex"
    vervanging: str | None = None  # a fixed replacement (age bands) instead of [CATEGORIE-n]


DETECTORS: dict[str, Callable[[str], Iterable[Span]]] = {}


def detector(name: str):
    def register(func):
        DETECTORS[name] = func
        return func
    return register


def _spans(pattern: re.Pattern, text: str, categorie: str, group: int = 0) -> Iterable[Span]:
    for match in pattern.finditer(text):
        start, end = match.span(group)
        if end > start:
            yield Span(start, end, categorie, text[start:end])


STREET_SUFFIX = (r"(?:straat|laan|weg|plein|kade|gracht|singel|hof|dreef|pad|steeg|dijk|baan|ring|markt|"
                 r"plantsoen|erf|wal|lei|dam|veld|park|burcht|hoek|zoom|passage|boulevard|steeg|kwartier)")
MONTHS = (r"(?:januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|jan|feb|"
          r"mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec)\.?")
YEAR = r"(?:(?:19|20)\d{2}|'\d{2}|\d{2})"
DATE = rf"(?:\d{{1,2}}[-/.]\d{{1,2}}[-/.]{YEAR}|\d{{1,2}}\s+{MONTHS}\s+(?:(?:19|20)\d{{2}}|'\d{{2}}))"
HOUSE_NUMBER = r"\d+(?:\s?[a-zA-Z]\b|[-\s]?(?:bis|hs|I{1,3})\b|-\d+)?"

EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
# "j.jansen [at] gmail [dot] com", "piet (apenstaartje) ziggo punt nl"
AT = r"(?:\s?[\[({]\s?(?:at|apenstaartje)\s?[\])}]\s?|\s(?:at|apenstaartje)\s)"
DOT = r"(?:\s?[\[({]\s?(?:dot|punt)\s?[\])}]\s?|\s(?:dot|punt)\s|\.)"
EMAIL_OBFUSCATED = re.compile(rf"\b[\w.+-]+{AT}[\w-]+(?:{DOT}[\w-]+)+\b", re.I)
URL = re.compile(r"\b(?:https?://|www\.)\S+", re.I)
# Dutch numbers (06-12345678, 030-1234567, (030) 123 45 67, +31 6 ..., 0031 ...); a bracket
# only belongs to the number when it closes around the area code.
PHONE_NL = re.compile(
    r"(?<![\w+])(?:(?:\+|00)\s?31[\s.-]?(?:\(0\)[\s.-]?)?\d{1,3}|\(0\d{1,3}\)|0\d{1,3})(?:[\s.-]?\d){6,8}(?!\d)")
PHONE_ABROAD = re.compile(r"(?<![\w+])(?:\+|00)(?!31)[1-9]\d{0,2}[\s.-]?(?:\(0\)[\s.-]?)?\d{1,4}(?:[\s.-]?\d){5,10}(?!\d)")
POSTCODE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b")
BIRTH = re.compile(rf"(?:geboren|geb\.|geboortedatum|jarig|geboortejaar)\s*(?:op|:|in)?\s*({DATE})", re.I)
ADDRESS = [
    re.compile(rf"\b(?:[A-Z][\w'é-]*\s)?[A-Za-z][\w'é-]*{STREET_SUFFIX}\s+{HOUSE_NUMBER}"),
    re.compile(rf"\b(?:[Dd]e|[Hh]et|[Oo]p de|[Aa]an de)?\s?[A-Z][\w'é-]+\s{STREET_SUFFIX}\s+\d+[a-zA-Z]?\b"),
    # "Bloemstraat (nummer 7)", "de Lindenlaan nr. 12", "Dorpsweg, huisnummer 3"
    re.compile(rf"\b[A-Za-z][\w'é-]*{STREET_SUFFIX},?\s*\(?\s*(?:nummer|nr\.?|no\.?|huisnummer)\s*{HOUSE_NUMBER}\s*\)?",
               re.I),
]
IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b")
# Dutch licence plates, every side code since 1951 (VW-789-K, 12-ABC-3, 99-XX-99 ...)
PLATE_SHAPES = ["LL-99-99", "99-99-LL", "99-LL-99", "LL-99-LL", "LL-LL-99", "99-LL-LL", "99-LLL-9", "9-LLL-99",
                "LL-999-L", "L-999-LL", "LLL-99-L", "L-99-LLL", "9-LL-999", "999-LL-9"]


def _plate_regex() -> re.Pattern:
    parts = []
    for shape in PLATE_SHAPES:
        groups = [("[A-Z]" if g[0] == "L" else r"\d") + f"{{{len(g)}}}" for g in shape.split("-")]
        parts.append("-".join(groups))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?![\w-])", re.I)


PLATE = _plate_regex()
HANDLE = re.compile(r"(?<![\w@.])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{1,29}[A-Za-z0-9_])?")
BSN = re.compile(r"(?<![\d.,-])(\d(?:[ .-]?\d){8})(?![\d]|[.,]\d)")
BSN_CONTEXT = re.compile(r"\b(?:bsn|burgerservicenummer|sofinummer|sofi-nummer)\b", re.I)
TITLE_OR_RELATION = (
    r"(?:[Mm]eneer|[Mm]evrouw|[Mm]evr\.|[Dd]hr\.|[Mm]w\.|[Jj]uf|[Mm]eester|[Oo]om|[Tt]ante|[Oo]ma|[Oo]pa"
    # a relation followed by a capitalised word is a name, also one no name list knows
    r"|(?:[Oo]ver)?[Bb]uurvrouw|(?:[Oo]ver)?[Bb]uurman|[Bb]uurmeisje|[Bb]uurjongen|[Vv]riendin|[Vv]riend"
    r"|[Cc]ollega|[Zz]us|[Bb]roer|[Dd]ochter|[Zz]oon|[Kk]leindochter|[Kk]leinzoon|[Nn]icht|[Nn]eef"
    r"|[Mm]ijn man|[Mm]ijn vrouw|[Ff]amilie|[Ff]am\.|[Gg]ezin|[Dd]okter|[Dd]ominee|[Ii]mam|[Pp]astoor)")
NAME_AFTER_TITLE = re.compile(
    TITLE_OR_RELATION + r"\s+((?:[A-Z][a-zà-ÿ'-]+)(?:\s+(?:van|de|der|den|el|al|ter|ten|'t)){0,2}"
                        r"(?:\s+[A-Z][a-zà-ÿ'-]+)?)")

# Ages: "ik ben 78", "zij is 82 jaar", "een man van 67", "de 14-jarige", "78 jaar oud".
# Not durations: "ik woon hier al 30 jaar", "het is 5 jaar geleden".
NOT_AGE_AFTER = r"(?!\s+(?:geleden|lang|terug|later|eerder|hier|in|bij|op|getrouwd|weg|gewerkt|gewoond|daar|niet))"
AGE_PATTERNS = [
    re.compile(r"\b(?:ik ben|hij is|zij is|ze is|ben|is|was|werd|word|wordt)\s+(?:nu\s+|al\s+|pas\s+|bijna\s+|ruim\s+|"
               r"inmiddels\s+|net\s+)?(\d{1,3})(?=\s*(?:jaar\b" + NOT_AGE_AFTER + r"|[.,!?;:)]|$|\s+en\b))", re.I),
    re.compile(r"\b(\d{1,3})[- ]jarige?n?\b", re.I),
    re.compile(r"\b(\d{1,3})\s+jaar\s+oud\b", re.I),
    re.compile(r"\b(?:man|vrouw|meisje|jongen|zoon|dochter|kind|oma|opa|moeder|vader|buurvrouw|buurman|weduwe|"
               r"weduwnaar|dame|heer|bewoner|bewoonster)\s+van\s+(\d{1,3})\b(?:\s+jaar\b)?" + NOT_AGE_AFTER, re.I),
    re.compile(r"\b[A-Z][a-zà-ÿ'-]+\s\((\d{1,3})\)"),  # "Karim (34) zegt"
]


@detector("email")
def emails(text: str) -> Iterable[Span]:
    yield from _spans(EMAIL, text, "EMAIL")
    yield from _spans(EMAIL_OBFUSCATED, text, "EMAIL")


@detector("url")
def urls(text: str) -> Iterable[Span]:
    yield from _spans(URL, text, "URL")


@detector("telefoon")
def phones(text: str) -> Iterable[Span]:
    yield from _spans(PHONE_NL, text, "TELEFOON")
    yield from _spans(PHONE_ABROAD, text, "TELEFOON")


@detector("postcode")
def postcodes(text: str) -> Iterable[Span]:
    yield from _spans(POSTCODE, text, "POSTCODE")


@detector("geboortedatum")
def birth_dates(text: str) -> Iterable[Span]:
    yield from _spans(BIRTH, text, "GEBOORTEDATUM", group=1)


@detector("adres")
def addresses(text: str) -> Iterable[Span]:
    for pattern in ADDRESS:
        for span in _spans(pattern, text, "ADRES"):
            trimmed = span.tekst.rstrip()
            yield Span(span.start, span.start + len(trimmed), "ADRES", trimmed)


@detector("iban")
def ibans(text: str) -> Iterable[Span]:
    for span in _spans(IBAN, text, "IBAN"):
        compact = re.sub(r"\s", "", span.tekst)
        # a Dutch IBAN (bank code of four letters) is identifying even with a typo in it
        if iban_valid(compact) or re.fullmatch(r"NL\d{2}[A-Z]{4}\d{10}", compact):
            yield span


@detector("kenteken")
def plates(text: str) -> Iterable[Span]:
    for span in _spans(PLATE, text, "KENTEKEN"):
        if re.search(r"[A-Za-z]", span.tekst) and re.search(r"\d", span.tekst):
            yield span


@detector("account")
def handles(text: str) -> Iterable[Span]:
    yield from _spans(HANDLE, text, "ACCOUNT")


@detector("bsn")
def bsns(text: str) -> Iterable[Span]:
    for match in BSN.finditer(text):
        near = BSN_CONTEXT.search(text[max(0, match.start() - 40):match.start()])
        if bsn_valid(match.group(1)) or near:
            yield Span(match.start(1), match.end(1), "BSN", match.group(1))


@detector("persoon-na-titel")
def names_after_title(text: str) -> Iterable[Span]:
    yield from _spans(NAME_AFTER_TITLE, text, "PERSOON", group=1)


@detector("leeftijd")
def ages(text: str) -> Iterable[Span]:
    for pattern in AGE_PATTERNS:
        for match in pattern.finditer(text):
            age = int(match.group(1))
            if 0 < age <= 110:
                band = age // 10 * 10
                yield Span(match.start(1), match.end(1), "LEEFTIJD", match.group(1),
                           vervanging=f"[LEEFTIJD {band}-{band + 9}]")


def bsn_valid(digits: str) -> bool:
    """The Dutch 11-check ('elfproef') for a BSN."""
    digits = re.sub(r"\D", "", digits)
    if len(digits) != 9:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0 and digits != "000000000"


def iban_valid(iban: str) -> bool:
    """ISO 13616 check digits (mod 97)."""
    iban = iban.upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{11,30}", iban):
        return False
    digits = "".join(str(int(c, 36)) for c in iban[4:] + iban[:4])
    return int(digits) % 97 == 1
