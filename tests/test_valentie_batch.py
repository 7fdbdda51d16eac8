"""The vectorised valence scores and the batched tagger give what the rules say, one sentence at a time."""

from collections import defaultdict

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from wijkkit.vertellen import valentie


def reference_score(events: list[tuple[int, float, str | None, str]]) -> float:
    """The valence rules one sentence at a time, as plain Python (wijkkit.vertellen.valentie before its rules
    became array operations over many sentences, with the later reach of a condition): the reference the
    vectorised scores are checked against."""
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
    conditional = any(0 < d - a <= valentie.CONDITION_WINDOW for a in by_role["als"] for d in by_role["dan"])
    wish = bool(by_role["wish"]) or any(0 < b - w <= 5 for w in by_role["would"] for b in be)
    loss = bool(by_role["verlies"])
    intens = {i: words[i] for i in by_role["intens"]}
    # A negation negates the evaluative word just after it ("niet gezellig", "geen overlast"); with none
    # in reach it negates the one just before it, as Dutch word order puts it ("ze luisteren niet").
    target: dict[int, list[int]] = defaultdict(list)
    for j in negations:
        after = [k for k in polar if j < k <= j + valentie.NEGATION_WINDOW]
        before = [k for k in polar if j - valentie.NEGATION_WINDOW <= k < j]
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


ROLE = st.sampled_from([None, None, None, None, *valentie.ROLE_CODES])
EVENT = st.tuples(st.sampled_from([0, 0, 1.0, -1.0, 0.5, -0.5, 0.8, -0.7]), ROLE, st.sampled_from(["zo", "nooit", "x"]))


@st.composite
def sentences(draw):
    """Sentences of events: (position, polarity, role, word), positions increasing with gaps."""
    out, position = [], 0
    for _ in range(draw(st.integers(1, 6))):
        events = []
        for polarity, role, word in draw(st.lists(EVENT, max_size=9)):
            position += draw(st.integers(1, 3))
            events.append((position, polarity, role, word if role in ("intens", "afwezig") else "x"))
        position += draw(st.integers(1, 3))
        out.append(events)
    return out


@settings(max_examples=400, deadline=None)
@given(sentences())
def test_scores_of_many_sentences_at_once_equal_the_rules_one_sentence_at_a_time(batch):
    events = [(e, k) for k, sentence in enumerate(batch) for e in sentence]
    position = np.array([e[0] for e, _ in events], np.int64)
    words = np.array([e[3] for e, _ in events] or [""])[:len(events)]
    first = np.array([s[0][0] if s else 0 for s in batch], np.int64)
    last = np.array([s[-1][0] if s else 0 for s in batch], np.int64)
    got = valentie.scores(position, np.array([e[1] for e, _ in events], np.float64),
                          np.array([valentie.ROLE_CODES.get(e[2], 0) for e, _ in events], np.int8),
                          words == "zo", words == "nooit", np.array([k for _, k in events], np.int64), first, last)
    expected = [reference_score(sentence) for sentence in batch]
    assert got.tolist() == pytest.approx(expected)
    assert [valentie.score(sentence) for sentence in batch] == pytest.approx(expected)


def test_a_batch_of_stories_gives_what_each_story_gives_alone(tagger_texts):
    from wijkkit.vertellen.tagger import Tagger

    tagger = Tagger()
    alone = [tagger.tag(text) for text in tagger_texts]
    for size in (1, 3, 128):
        assert list(tagger.pipe(tagger_texts, batch_size=size)) == alone


@pytest.fixture
def tagger_texts():
    """Stories of every shape a batch must keep apart: empty, punctuation only, one long, expressions, contrast."""
    from wijkkit.demo.verhalen import FRAGMENTEN

    fragments = [s for group in FRAGMENTEN.values() for s in group]
    return ["", "...", " ", "De speeltuin is mooi, maar de straat is vies.", "We helpen elkaar. Niemand ruimt op!",
            " ".join(fragments), *fragments[:40], "Vroeger was het hier gezellig, nu niet meer.",
            "Het zou fijn zijn als er een buurthuis kwam.", "Nog nooit zo fijn gewoond!"]
