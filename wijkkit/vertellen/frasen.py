"""Expressions of neighbourhood talk that say more than their words: a theme, a valence, or both.

"We helpen elkaar" is sociale samenhang, "de eindjes aan elkaar knopen" is armoede, "mooie
praatjes" is a complaint although "mooie" is a nice word. The tagger looks for these in the
lowered text in one pass; an expression's valence replaces that of the words inside it.

General Dutch, gathered from how residents, wijkprofessionals and local news talk about a wijk;
a few were found by reading the tagger's mistakes on the development quotes, which makes the
numbers measured on those quotes optimistic. Extend it in the same form: a regular expression
over the lowered text whose every alternative starts with \\b, the theme id or None, the
polarity (-1 knelpunt .. 1 kracht, 0 none), a name, keywords of which every match holds one, and
optionally second words of which every match holds one too (a test checks both). An expression
is only tried near a keyword with a second word in reach, so speed depends on choosing them well.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple


class Frase(NamedTuple):
    patroon: str
    thema: str | None
    polariteit: float
    naam: str  # how a coder sees it as the matched term
    sleutels: tuple[str, ...]  # every match has a word holding one of these (the pattern is only tried then)
    ook: tuple[str, ...] = ()  # ... and, if given, a word holding one of these (tried only with one near)


W = r"(?:\w+\s+){0,2}?"  # up to two words in between ("helpen we elkaar", "elkaar echt helpen")
HULP = r"(?:help\w*|geholpen|steun\w*|gesteund|groet\w*|gegroet|ken\w*|gekend|bijstaan|opzoek\w*|ontmoet\w*)"

FRASEN: list[Frase] = [
    # sociale samenhang: what neighbours do for and with each other
    Frase(rf"\belkaar\s+{W}{HULP}\b|\b{HULP}\s+{W}elkaar\b", "sociale_samenhang", 1.0, "elkaar helpen/kennen",
          ("elkaar",), ("help", "holpen", "steun", "groet", "ken", "bijstaan", "opzoek", "ontmoet")),
    Frase(r"\bvoor elkaar klaar\s*(?:staan|staat|stonden)\b|\bklaar\s*(?:staan|staat) voor elkaar\b"
          r"|\b(?:sta|staan|staat|stond|stonden)\s+(?:\w+\s+){0,2}?voor elkaar klaar\b",
          "sociale_samenhang", 1.0, "voor elkaar klaarstaan",
          ("elkaar",), ("klaar",)),
    Frase(r"\bnaar elkaar om\s*(?:kijken|kijkt|gekeken|keken)\b|\bom\s*(?:kijken|kijkt) naar elkaar\b"
          r"|\b(?:kijk|kijken|kijkt|keken)\s+(?:\w+\s+){0,2}?naar elkaar om\b",
          "sociale_samenhang", 1.0, "naar elkaar omkijken",
          ("elkaar",), ("kijk", "keken")),
    Frase(r"\b(?:een\s+)?oogje in het zeil\b", "sociale_samenhang", 1.0, "een oogje in het zeil",
          ("oogje",), ("zeil",)),
    Frase(r"\b(?:breng\w*|gebracht|kom\w*|gekomen|samen)\s+(?:\w+\s+){0,6}?bij elkaar\b|\bbij elkaar\s+"
          r"(?:brengen|komen|gebracht|gekomen|zitten|over de vloer)\b", "sociale_samenhang", 1.0, "bij elkaar komen",
          ("elkaar",), ("breng", "bracht", "kom", "samen", "zitten", "vloer")),
    Frase(r"\bmet elkaar\s+(?:\w+\s+){0,2}?(?:praten|eten|koken|vieren|doen|opknappen|organiseren|delen|meedenken"
          r"|meedoen|samenwerken|afspreken)\w*\b",
          "sociale_samenhang", 1.0, "met elkaar doen",
          ("elkaar",), ("praten", "eten", "koken", "vieren", "doen", "opknappen", "organiseren", "delen", "denken",
                        "werken", "afspreken")),
    Frase(r"\belkaar\s+(?:\w+\s+){0,2}?(?:goedendag|goeiedag|gedag|dag)\s+(?:zeggen|zegt|zei|zeiden)\b"
          r"|\b(?:zeggen|zegt|zei|zeiden)\s+(?:\w+\s+){0,2}?elkaar\s+(?:\w+\s+){0,2}?(?:goedendag|goeiedag|gedag)\b",
          "sociale_samenhang", 1.0, "elkaar gedag zeggen",
          ("elkaar",), ("dag",)),
    Frase(r"\baan te spreken\b|\b(?:spreek|spreekt|spreken|sprak|spraken)\s+(?:\w+\s+){1,3}?aan\b"
          r"|\bsociale controle\b", "sociale_samenhang", 0.0, "elkaar aanspreken",
          ("spre", "spra", "controle")),
    Frase(r"\b(?:is|zijn|leeft|leven|blijft|blijven|woont|wonen)\s+(?:\w+\s+){0,3}?op zichzelf\b", "sociale_samenhang",
          0.0, "op zichzelf",  # reserved neighbours: a theme, not by itself a complaint
          ("zichzelf",)),
    Frase(r"\blangs\s*(?:elkaar|ons|hen)\s+heen\s+(?:leven|wonen)\b"
          r"|\b(?:leven|leeft|leefden|wonen|woont)\s+(?:\w+\s+){0,2}?langs\s*(?:elkaar|ons|hen)\s+heen\b",
          "sociale_samenhang", -1.0, "langs elkaar heen leven",
          ("heen",), ("leven", "leeft", "leefden", "wonen", "woont")),
    Frase(r"\bieder(?:een)? voor zich\b|\bop (?:zich|zichzelf) gericht\b", "sociale_samenhang", -1.0,
          "ieder voor zich",
          ("zich",), ("ieder", "gericht")),
    Frase(r"\b(?:kent|ken|kennen) (?:hier )?niemand\b|\bniemand (?:kent|groet)\b", "sociale_samenhang", -1.0,
          "niemand kennen",
          ("niemand",), ("ken", "groet")),
    # identiteit: shame about where one lives is stigma; shame about rubbish or debts is not
    Frase(r"\bscha(?:am|amt|men|mde|mden)\s+(?:\w+\s+){0,4}?(?:voor|over)\s+(?:\w+\s+)?(?:buurt|wijk|postcode|straat|"
          r"adres|dorp|woonplaats)\w*\b", "identiteit_cultuur", -1.0, "zich schamen voor de buurt",
          ("schaam", "schame", "schamd"), ("buurt", "wijk", "postcode", "straat", "adres", "dorp", "woonplaats")),
    # identiteit: what outsiders call the wijk (issue 24: "het etiket probleemwijk", "slecht bekend")
    Frase(r"\b(?:slechte|negatieve) (?:naam|reputatie|imago)\b|\bslecht bekend\b|\bslecht (?:aangeschreven|imago)\b"
          r"|\b(?:negatief|slecht) in het nieuws\b|\b(?:etiket|stempel)\w*\b",
          "identiteit_cultuur", -1.0, "een slechte naam",
          ("slecht", "negatie", "etiket", "stempel")),
        # veiligheid: hanging about, fear on the street
    Frase(r"\b(?:rond)?hangen (?:\w+\s+){0,2}?(?:op|rond|bij) (?:straat|het plein|de hoek|het winkelcentrum|de portiek)"
          r"\w*\b|\bop straat (?:rond)?hangen\b", "veiligheid", -1.0, "op straat hangen",
          ("hangen",), ("straat", "plein", "hoek", "winkelcentrum", "portiek")),
    Frase(r"\bdur[fv]\w* (?:(?:je|ik|we|ze|hij|zij|mensen|bewoners)\s+)?(?:er\s+)?(?:'s avonds\s+)?niet (?:meer\s+)?"
          r"(?:langs|naar buiten|over straat|alleen|door)\b", "veiligheid", -1.0, "durven niet over straat",
          ("dur",), ("niet",)),
    # fear without a crime word (issue 24): not opening the door, not leaving the house, a prisoner at home
    Frase(r"\bdur[fv]\w*\s+(?:\S+\s+){0,4}?niet\s+(?:meer\s+)?(?:\S+\s+){0,3}?(?:open\s+te\s+doen|open\s+doen"
          r"|de deur uit|het huis uit|naar buiten|naar binnen|naar huis|buiten te komen)\b"
          r"|\bdur[fv]\w*\s+(?:\S+\s+){0,3}?(?:de deur|het huis|de straat)\s+niet\s+(?:meer\s+)?(?:uit|op)\b"
          r"|\bbang\s+om\s+(?:\S+\s+){0,4}?(?:naar buiten|naar binnen|naar huis|over straat|de deur uit|alleen)\b"
          r"|\bgevangen\w*\s+in\s+(?:je|mijn|ons|m'n|hun)\s+eigen\s+(?:huis|woning)\b",
          "veiligheid", -1.0, "durven de deur niet uit",
          ("dur", "bang", "gevangen"), ("niet", "om", "eigen")),
    Frase(r"\bniet (?:meer\s+)?veilig (?:voelen|over straat)\b|\bonveilig (?:gevoel|voelen)\b", "veiligheid", -1.0,
          "zich niet veilig voelen",
          ("veilig",), ("voel", "straat")),
    # vertrouwen en participatie: being heard, or not
    Frase(r"\bniet (?:meer\s+)?(?:gehoord|serieus genomen|betrokken|gekend)\b|\bgeen gehoor\b|\bdovemansoren\b",
          "vertrouwen_participatie", -1.0, "niet gehoord",
          ("gehoord", "serieus", "betrokken", "gekend", "gehoor", "dovemansoren")),
    Frase(r"\b(?:luister\w*|luisteren) (?:ze |zij |ze daar |men )?(?:niet|nooit)\b(?: naar ons| naar de bewoners)?",
          "vertrouwen_participatie", -1.0, "luisteren niet",
          ("luister",), ("niet", "nooit")),
    Frase(r"\bvan het kastje naar de muur\b", "vertrouwen_participatie", -1.0, "van het kastje naar de muur",
          ("kastje",), ("muur",)),
    Frase(r"\bmooie (?:praatjes|woorden|beloftes|verhalen)\b|\bloze beloftes?\b|\bpraatjes vullen geen gaatjes\b",
          "vertrouwen_participatie", -1.0, "mooie praatjes",
          ("mooie", "loze", "praatjes"), ("praatjes", "woorden", "belofte", "verhalen")),
    Frase(r"\bachter (?:onze|hun|mijn) rug(?: om)?\b|\bover (?:onze|ons) hoofd(?:en)? heen\b",
          "vertrouwen_participatie", -1.0, "achter onze rug om",
          ("rug", "hoofd"), ("achter", "over")),
    Frase(r"\b(?:wordt|werd|worden|is|zijn) (?:goed |echt |eindelijk )?(?:naar ons |naar de bewoners )?geluisterd\b",
          "vertrouwen_participatie", 1.0, "er wordt geluisterd",
          ("geluisterd",)),
    # armoede en schulden
    Frase(r"\b(?:de\s+)?eindjes (?:aan elkaar|aan mekaar) (?:knopen|te knopen|geknoopt)\b", "armoede_schulden", -1.0,
          "de eindjes aan elkaar knopen",
          ("eindjes",), ("knopen", "knoop")),
    Frase(r"\belk(?:e)? (?:dubbeltje|cent|euro) (?:twee keer )?(?:om(?:draaien|gedraaid)|omdraaien)\b",
          "armoede_schulden", -1.0, "elk dubbeltje omdraaien",
          ("dubbeltje", "cent", "euro"), ("omdra", "omgedra")),
    Frase(r"\bniet rond(?:komen| kunnen komen| te komen)\b"
          r"|\bkom(?:en|t)? (?:(?:we|ze|ik|je|jullie|zij|hij|mensen|gezinnen)\s+)?(?:niet|nauwelijks|amper) rond\b",
          "armoede_schulden", -1.0, "niet rondkomen",
          ("rond",), ("niet", "nauwelijks", "amper")),
    Frase(r"\bin de schulden\b|\bschulden (?:hebben|maken|opgebouwd)\b", "armoede_schulden", -1.0, "in de schulden",
          ("schulden",)),
    Frase(r"\brood (?:staan|staat)\b|\b(?:sta|staan|staat|stond|stonden) (?:(?!op\b|in\b)\w+\s+){0,2}?rood\b",
          "armoede_schulden", -1.0, "rood staan",  # not "staat op rood"
          ("rood",), ("sta", "stond")),
    # decay said without a rubbish word (issue 24)
    Frase(r"\bverloeder\w*|\bverpauper\w*|\bziet er (?:niet|niks|helemaal niet) (?:meer\s+)?uit\b|\bgeen gezicht\b",
          "schoon_heel", -1.0, "verloedering",
          ("verloeder", "verpauper", "ziet", "gezicht"), ("verloeder", "verpauper", "uit", "geen")),
    Frase(r"\b(?:buurt|wijk|straat|flat|omgeving)\s+(?:\w+\s+){0,2}?(?:gaat|ging|gaan)\s+(?:\w+\s+)?achteruit\b",
          None, -1.0, "de buurt gaat achteruit",
          ("achteruit",), ("buurt", "wijk", "straat", "flat", "omgeving")),
    # recovery (issue 24): out of debt, a clean slate
    Frase(r"\buit de (?:schulden|armoede|bijstand)\b|\bschuldenvrij\b|\bschone lei\b",
          "armoede_schulden", 1.0, "uit de schulden",
          ("schulden", "armoede", "bijstand", "schuldenvrij", "lei")),
    # gezondheid en zorg
    Frase(r"\b(?:slecht|niet goed|moeilijk) ter been\b", "gezondheid_zorg", -1.0, "slecht ter been",
          ("been",), ("ter",)),
    Frase(r"\b(?:met|op) (?:de|een) rollator\b", "gezondheid_zorg", 0.0, "rollator",
          ("rollator",)),
    # wonen
    Frase(r"\b(?:op (?:een|de) )?wachtlijst (?:staan|staat|voor een woning)\b", "wonen", -1.0,
          "op de wachtlijst staan",
          ("wachtlijst",), ("staan", "staat", "woning")),
    Frase(r"\bgeen (?:betaalbare )?woning (?:te )?vinden\b", "wonen", -1.0, "geen woning vinden",
          ("woning",), ("vinden",)),
    # werk
    Frase(r"\bsolliciteer\w*|\bsollicit\w+\b", "werk_economie", 0.0, "solliciteren",
          ("sollic",)),
    Frase(r"\bbaan (?:zoeken|vinden|kwijt)\b|\bzonder (?:werk|baan)\b", "werk_economie", 0.0, "zonder werk",
          ("baan", "werk"), ("zoeken", "vinden", "kwijt", "zonder")),
    # valence only: general idioms of complaint and praise
    Frase(r"\bop (?:zijn|z'n|haar) kop (?:gezet|gegooid|staan|staat)\b", None, -1.0, "op zijn kop gezet",
          ("kop",), ("gezet", "gegooid", "staan", "staat")),
    Frase(r"\buit de hand (?:gelopen|lopen|loopt|liep)\b", None, -1.0, "uit de hand gelopen",
          ("hand",), ("lopen", "loopt", "liep")),
    Frase(r"\b(?:de|het) dupe\b|\bin de steek gelaten\b|\baan (?:ons|hun|mijn) lot overgelaten\b", None, -1.0,
          "in de steek gelaten",
          ("dupe", "steek", "overgelaten")),
    Frase(r"\b(?:is|zijn|was|waren|blijft|lijkt)\s+(?:\w+\s+){0,2}?ver\s*te zoeken\b", None, -1.0, "ver te zoeken",
          ("zoeken",), ("ver",)),
    Frase(r"\bgrote mond\b", None, -1.0, "een grote mond",
          ("mond",), ("grote",)),
    Frase(r"\buitgescholden\b|\bscheldwoorden\b", None, -1.0, "uitgescholden",
          ("scheld", "schold")),
    Frase(r"\bzonde van\b|\bjammer genoeg\b|\bhet is jammer\b", None, -1.0, "zonde van",
          ("zonde", "jammer"), ("van", "genoeg", "het")),
    Frase(r"\bthuis (?:voelen|voel|voelt)\b|\b(?:voel|voelt|voelen) (?:me|ons|zich|je) (?:hier )?thuis\b",
          None, 1.0, "zich thuis voelen",
          ("thuis",), ("voel",)),
    Frase(r"\bop (?:mijn|ons|je) gemak\b", None, 1.0, "op mijn gemak",
          ("gemak",)),
    Frase(r"\bmet (?:veel )?plezier\b|\bmet liefde\b", None, 1.0, "met plezier",
          ("plezier", "liefde"), ("met",)),
]


def alternatives(pattern: str) -> list[str]:
    """A regular expression's top-level alternatives (split at '|' outside groups and character classes)."""
    parts, depth, klass, escaped, current = [], 0, False, False, []
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif klass:
            klass = ch != "]"
        elif ch == "[":
            klass = True
        elif ch in "()":
            depth += 1 if ch == "(" else -1
        elif ch == "|" and not depth:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    return [*parts, "".join(current)]


def unanchored(pattern: str) -> str:
    """The pattern without the word boundary that starts each alternative.

    Python's regex engine skips ahead to a literal first word quickly, but tries every position when a
    pattern starts with \\b: checking the boundary after a match (see ``find``) is about four times faster.
    """
    parts = alternatives(pattern)
    if not all(part.startswith(r"\b") for part in parts):
        raise ValueError(f"elk alternatief van een uitdrukking begint met \\b: {pattern}")
    return "|".join(part[2:] for part in parts)


@lru_cache(maxsize=1)
def compiled() -> list[tuple[re.Pattern, re.Pattern | None, Frase]]:
    """Each expression's pattern (without its leading word boundaries), and one for its second words."""
    return [(re.compile(unanchored(frase.patroon)), re.compile("|".join(map(re.escape, frase.ook))) if frase.ook
             else None, frase) for frase in FRASEN]


WORD = re.compile(r"\w")


REACH = 80  # characters around a keyword where its expression may start or end (about a dozen words)


def triggered(word: str) -> tuple[int, ...]:
    """The expressions (indexes into FRASEN) that one of whose keywords this lower-case word holds."""
    return tuple(k for k, frase in enumerate(FRASEN) if any(key in word for key in frase.sleutels))


def seconds(word: str) -> int:
    """A bit mask of the expressions whose second words (``ook``) this lower-case word holds (bit k: FRASEN[k])."""
    return sum(1 << k for k, frase in enumerate(FRASEN) if any(key in word for key in frase.ook))


NEEDS_SECOND = frozenset(k for k, frase in enumerate(FRASEN) if frase.ook)
SECOND_REACH = 16  # tokens around a keyword where a caller of find() with ``near`` looks for the second word


def find(text: str, near: dict[int, list[int]] | None = None) -> list[tuple[int, int, Frase]]:
    """(start, end, expression) for each expression in ``text`` (code points), left to right; an expression
    overlapping one found earlier in the list is left out.

    ``near`` (expression index -> character positions of words holding its keyword) lets a caller that
    has already read the words (the tagger) skip the keyword search; such a caller also checks that an
    expression with second words (``ook``) has one within SECOND_REACH tokens of its keyword.
    """
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower to two code points ("İ"): keep the offsets right
        lowered = "".join(ch.lower()[:1] for ch in text)
    checked = near is not None
    if near is None:
        near = {}
        for k, frase in enumerate(FRASEN):
            for key in frase.sleutels:
                at = lowered.find(key)
                while at >= 0:
                    near.setdefault(k, []).append(at)
                    at = lowered.find(key, at + 1)
    found: list[tuple[int, int, Frase]] = []
    patterns = compiled()
    length = len(lowered)
    for k in sorted(near):
        pattern, second, frase = patterns[k]
        positions = near[k]
        if second is not None and not checked:  # a keyword counts only with a second word in reach
            positions = [at for at in positions if second.search(lowered, max(0, at - REACH), at + REACH)]
            if not positions:
                continue
        # an expression is only tried near one of its keywords: a pattern tried at every position of a long
        # story costs far more than the few windows where it can match
        windows = _windows(length, positions) if len(positions) > 1 else ((positions[0] - REACH, positions[0] + REACH),)
        for lo, hi in windows:
            match = pattern.search(lowered, max(lo, 0), hi)
            while match:
                start, end = match.span()
                if start and WORD.match(lowered, start - 1):  # inside a word: not where the \b lets it start
                    match = pattern.search(lowered, start + 1, hi)
                    continue
                if start < end and not (found and any(start < b and a < end for a, b, _ in found)):
                    found.append((start, end, frase))
                match = pattern.search(lowered, max(end, start + 1), hi)
    if len(found) > 1:
        found.sort(key=lambda item: item[0])
    return found


def _windows(length: int, positions: list[int]) -> list[tuple[int, int]]:
    spans = sorted((max(0, at - REACH), min(length, at + REACH)) for at in positions)
    merged = [spans[0]]
    for lo, hi in spans[1:]:
        if lo <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged
