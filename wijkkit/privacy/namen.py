"""Names that a capitalisation-driven recogniser misses: lower case, CAPITALS, plurals, rare names.

People type as they talk: "ik sprak met jan jansen", "KARIMA OUALI kwam langs", "het meisje van
de Vermeulens", "gisteren was Xiomara er". deduce finds names mostly by their capital letter and
its lists; these detectors use the same lists (deduce's first names and surnames, read once as
plain sets: milliseconds, not the minute its lookup structures take) plus Dutch word
frequencies (wordfreq) to tell a rare proper noun from an ordinary word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path

from wijkkit.privacy.patronen import STREET_SUFFIX, Span, detector

STREET = re.compile(r".{2,}" + STREET_SUFFIX + "$")  # a street name, not the bare word ("Dam")
WORD = re.compile(r"[^\W\d_][\w'’-]*")
SENTENCE_BREAK = re.compile(r"[.!?:;\"“”()\[\]\n]\s*$")
COMMON_ZIPF = 5.5  # a lower-case first name this frequent is a function word ("ben", "mag", "was")
FIRST_NAME_MAX_ZIPF = 5.5  # "Jan" (5.2) is a name, "De" and "Ben" (6+) are words
SURNAME_ZIPF = 4.5  # a capitalised word after a first name this rare is its surname ("Anna Kowalski")
NAME_MAX_ZIPF = 5.0  # more common than this ("De", "Groot", "Mei") and a capital is no sign of a name
LONE_SURNAME_ZIPF = 4.0  # a surname that is also a common word ("Haven", "Bakker") needs a first name or title
RARE_ZIPF = 2.1  # a capitalised word mid-sentence rarer than this is taken for a name ("Xiomara", "Haddou")
# Titles before a name written in capitals; the name after them is a name even when no list knows it.
TITLE_WORDS = {"mevrouw", "meneer", "mevr", "dhr", "mw", "juf", "meester", "familie", "fam", "dokter", "dr", "oom",
               "tante", "opa", "oma", "buurman", "buurvrouw"}
# Verbs after a lone unknown word at the start of a sentence that make it a person ("Xandrio zei ...").
SPEECH_VERBS = {"zei", "zegt", "vertelde", "vertelt", "vroeg", "vraagt", "riep", "roept", "antwoordde", "antwoordt",
                "schreef", "schrijft", "appte", "appt", "belde", "belt", "meldde", "meldt", "lachte", "zuchtte"}
# Capitalised words that are not people, however rare: shops, organisations, feasts, apps.
INTERFIX_WORDS = {"van", "de", "der", "den", "el", "al", "ter", "ten", "'t", "te", "bin", "ben", "da", "di", "du", "le"}
NOT_NAMES = {
    "lidl", "jumbo", "aldi", "dirk", "vomar", "hoogvliet", "plus", "spar", "coop", "action", "hema", "kruidvat",
    "etos", "humanitas", "leger", "heils", "vluchtelingenwerk", "buurtteam", "wijkteam", "sociaal", "ggd", "uwv",
    "svb", "cak", "coa", "ind", "duo", "belastingdienst", "whatsapp", "facebook", "instagram", "tiktok",
    "snapchat", "twitter", "youtube", "google", "marktplaats", "ramadan", "suikerfeest", "offerfeest", "pasen",
    "pinksteren", "kerst", "kerstmis", "sinterklaas", "koningsdag", "bevrijdingsdag", "keti", "koti", "diwali",
    "holi", "nieuwjaar", "oud", "allah", "god", "jezus", "islam", "moskee", "kerk", "corona", "covid", "ov",
    "ns", "ret", "gvb", "htm", "qbuzz", "arriva", "connexxion", "eneco", "vattenfall", "essent", "ziggo", "kpn",
    "vodafone", "odido", "portaal", "ymere", "vestia", "woonbron", "havensteder", "eigenhaard", "stadgenoot",
    "rochdale", "mitros", "bo-ex", "woonstad", "staedion", "haag", "wonen",
}


def _read_list(*parts: str) -> set[str]:
    """One of deduce's lookup lists as it ships (sub-lists, exceptions and spelling variants applied)."""
    from wijkkit.privacy.model import import_deduce

    import_deduce()
    from deduce.lookup_structs import load_raw_itemset

    return load_raw_itemset(Path(str(resources.files("deduce") / "data" / "lookup" / "src")).joinpath(*parts))


@lru_cache(maxsize=1)
def name_lists() -> dict[str, frozenset[str]]:
    """First names, surnames, surname interfixes and Dutch place names, case-folded."""
    fold = str.casefold
    surnames = {fold(s) for s in _read_list("names", "lst_surname")}
    surnames |= {fold(s) for s in _read_list("names", "lst_interfix_surname")}
    return {
        "voornaam": frozenset(fold(n) for n in _read_list("names", "lst_first_name")),
        "achternaam": frozenset(surnames),
        "tussenvoegsel": frozenset(fold(n) for n in _read_list("names", "lst_interfix")),
        "plaats": frozenset(fold(n) for n in _read_list("locations", "lst_placename")),
    }


@lru_cache(maxsize=100_000)
def zipf(word: str) -> float:
    """How common a word is in Dutch (wordfreq's Zipf scale: 0 unknown, 3 once per million words)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "nl")


def _words(text: str) -> list[re.Match]:
    return list(WORD.finditer(text))


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or bool(SENTENCE_BREAK.search(before)) or before.endswith(("-", "–", "•", "*"))


def _surname_after(words: list[re.Match], i: int, lists) -> int | None:
    """Index of the last word of a surname starting at ``i`` ("jansen", "de vries", "van der berg")."""
    for size in (3, 2, 1):
        if i + size > len(words):
            continue
        phrase = " ".join(w.group().casefold() for w in words[i:i + size])
        if phrase in lists["achternaam"]:
            return i + size - 1
        if size > 1:
            head = " ".join(w.group().casefold() for w in words[i:i + size - 1])
            if head in lists["tussenvoegsel"] and words[i + size - 1].group().casefold() in lists["achternaam"]:
                return i + size - 1
    return None


@detector("namen-kleine-letters")
def lower_case_names(text: str) -> Iterable[Span]:
    """'jan jansen', 'fatima el amrani': a first name followed by a surname, both in lower case."""
    lists, words = name_lists(), _words(text)
    for i, word in enumerate(words[:-1]):
        token = word.group()
        if not token.islower() or token not in lists["voornaam"] or zipf(token) >= COMMON_ZIPF:
            continue
        if text[word.end():words[i + 1].start()].strip():
            continue  # punctuation between the two words: not one name
        last = _surname_after(words, i + 1, lists)
        if last is not None and all(w.group().islower() for w in words[i + 1:last + 1]) \
                and zipf(words[last].group()) < SURNAME_ZIPF:
            yield Span(word.start(), words[last].end(), "PERSOON", text[word.start():words[last].end()], "namen")


@detector("namen-hoofdletters")
def capital_names(text: str) -> Iterable[Span]:
    """'KARIMA OUALI': a run of words in capitals that starts with a first name or holds a surname."""
    lists, words = name_lists(), _words(text)

    def caps(k: int) -> bool:
        return words[k].group().isupper() and len(words[k].group()) >= 2

    i = 0
    while i < len(words):
        if not caps(i):
            i += 1
            continue
        j = i + 1
        while j < len(words) and caps(j) and not text[words[j - 1].end():words[j].start()].strip():
            j += 1
        run = [w.group().casefold() for w in words[i:j]]
        first = i + 1 if run[0] in TITLE_WORDS and len(run) >= 2 else i  # "MEVROUW KARIMA OUALI": the title stays
        name = run[first - i:]
        titled = first > i
        if 1 <= len(name) <= 4 and (titled or len(name) >= 2) \
                and (titled or name[0] in lists["voornaam"] or any(r in lists["achternaam"] for r in name[1:])) \
                and not any(r in NOT_NAMES for r in name if r not in INTERFIX_WORDS):
            yield Span(words[first].start(), words[j - 1].end(), "PERSOON",
                       text[words[first].start():words[j - 1].end()], "namen")
        i = j


PLURAL = re.compile(r"\b(?:de|De)\s+([A-Z][a-zà-ÿ]+(?:'s|’s|s|en))\b")


@detector("namen-meervoud")
def plural_family_names(text: str) -> Iterable[Span]:
    """'de Vermeulens', 'de Jansens': a family named by its surname in the plural."""
    surnames = name_lists()["achternaam"]
    for match in PLURAL.finditer(text):
        word = match.group(1)
        stems = {word[:-2], word[:-1]} if word.endswith(("'s", "’s", "en")) else {word[:-1]}
        if any(s.casefold() in surnames for s in stems if len(s) >= 3):
            yield Span(match.start(1), match.end(1), "PERSOON", word, "namen")


@detector("namen-hoofdletter")
def capitalised_names(text: str) -> Iterable[Span]:
    """Runs of capitalised name words: known first names (also at the start of a sentence),
    surnames and words Dutch hardly knows in mid-sentence ("Xiomara", "Haddou"), joined over
    interfixes ("Linda de Groot", "Peter van Dam")."""
    lists, words = name_lists(), _words(text)

    def name_like(k: int) -> bool:
        token = words[k].group()
        if len(token) < 2 or not token[0].isupper() or token.isupper():
            return False
        folded = token.casefold()
        if folded in NOT_NAMES:
            return False
        if folded in lists["voornaam"] and zipf(folded) < FIRST_NAME_MAX_ZIPF:
            return True
        if zipf(folded) >= NAME_MAX_ZIPF:
            return False
        if folded in lists["plaats"]:
            return False
        if _sentence_start(text, words[k].start()):  # "Xandrio zei": a word Dutch does not know, then a speech verb
            return (k + 1 < len(words) and words[k + 1].group().casefold() in SPEECH_VERBS
                    and not text[words[k].end():words[k + 1].start()].strip() and zipf(folded) < RARE_ZIPF)
        return (folded in lists["achternaam"] and zipf(folded) < LONE_SURNAME_ZIPF) or zipf(folded) < RARE_ZIPF

    def surname_like(k: int) -> bool:
        token = words[k].group()
        if len(token) < 2 or not token[0].isupper() or token.isupper() or token.casefold() in NOT_NAMES:
            return False
        if STREET.search(token.casefold()):
            return False
        return name_like(k) or token.casefold() in lists["achternaam"] or zipf(token.casefold()) < SURNAME_ZIPF

    i = 0
    while i < len(words):
        if not name_like(i):
            i += 1
            continue
        j = i + 1
        while j < len(words):
            k = j
            while k < len(words) and words[k].group() in INTERFIX_WORDS and k - j < 2:
                k += 1
            if k < len(words) and surname_like(k) and all(
                    text[words[m - 1].end():words[m].start()] == " " for m in range(j, k + 1)):
                j = k + 1
            else:
                break
        start, end = words[i].start(), words[j - 1].end()
        categorie = "LOCATIE" if j - i == 1 and STREET.search(words[i].group().casefold()) else "PERSOON"
        yield Span(start, end, categorie, text[start:end], "namen")
        i = j
