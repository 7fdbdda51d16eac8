"""Agreement numbers against textbook examples and a constructed two-coder case."""

import itertools

import numpy as np
import pandas as pd
import pytest

from wijkkit.coderen.beslissingen import decide, decisions, finished, mark_done
from wijkkit.coderen.betrouwbaarheid import agreement, alpha, disagreements, store_table
from wijkkit.store import open_store
from wijkkit.store.models import Segment, Story


def coincidence_alpha(data):
    """Nominal alpha computed by hand from the coincidence matrix (Krippendorff 2011, section C)."""
    data = np.asarray(data, dtype=float)
    values = sorted(set(data[~np.isnan(data)]))
    o = {(c, k): 0.0 for c in values for k in values}
    for unit in data.T:
        seen = unit[~np.isnan(unit)]
        m = len(seen)
        if m < 2:
            continue
        for i, j in itertools.permutations(range(m), 2):
            o[(seen[i], seen[j])] += 1 / (m - 1)
    n_c = {c: sum(o[(c, k)] for k in values) for c in values}
    n = sum(n_c.values())
    observed = sum(v for (c, k), v in o.items() if c != k)
    expected = sum(n_c[c] * n_c[k] for c in values for k in values if c != k) / (n - 1)
    return 1 - observed / expected


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: 4 observers,
# 12 units, nominal values 1..5 with missing data; the paper gives alpha = 0.743.
KRIPPENDORFF_C = np.array([
    [1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
    [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan],
])


def test_alpha_matches_the_textbook_example():
    assert coincidence_alpha(KRIPPENDORFF_C) == pytest.approx(0.743, abs=5e-4)
    assert alpha(KRIPPENDORFF_C) == pytest.approx(0.743, abs=5e-4)
    assert alpha(KRIPPENDORFF_C) == pytest.approx(coincidence_alpha(KRIPPENDORFF_C), abs=1e-9)


def test_alpha_is_undefined_without_variation():
    assert np.isnan(alpha(np.zeros((2, 5))))


def test_kappa_matches_the_textbook_example():
    # Cohen's kappa example (50 items): yes/yes 20, yes/no 5, no/yes 10, no/no 15:
    # p_o = 0.70, p_e = 0.5*0.6 + 0.5*0.4 = 0.50, kappa = 0.40.
    a = [1] * 20 + [1] * 5 + [0] * 10 + [0] * 15
    b = [1] * 20 + [0] * 5 + [1] * 10 + [0] * 15
    table = pd.DataFrame({"a": a, "b": b}, dtype=float,
                         index=pd.MultiIndex.from_product([range(50), ["t"]], names=["eenheid", "thema"]))
    pair = agreement(table)["per_paar"].iloc[0]
    assert pair["kappa"] == pytest.approx(0.40)
    assert pair["overeenstemming"] == pytest.approx(0.70)


@pytest.fixture
def two_coders(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'k.db'}")
    with store.session() as session:
        for sid in ("s1", "s2", "s3", "s4"):
            session.add(Story(id=sid, tekst="Eerste zin. Tweede zin.", gebied="BU99990201", methode="interview",
                              verteller_rol="bewoner", toestemming="analyse", privacy={},
                              segments=[Segment(nr=0, start=0, end=11, tekst="Eerste zin."),
                                        Segment(nr=1, start=12, end=23, tekst="Tweede zin.")]))
    with store.read() as session:
        seg = {(s.story_id, s.nr): s.id for s in session.query(Segment)}
    decide(store, codeur="anna", story_id="s1", thema="wonen", status="manual", segment_id=seg["s1", 0])
    decide(store, codeur="bram", story_id="s1", thema="wonen", status="manual", segment_id=seg["s1", 0])
    decide(store, codeur="anna", story_id="s2", thema="veiligheid", status="manual", segment_id=seg["s2", 1])
    decide(store, codeur="bram", story_id="s3", thema="wonen", status="manual", segment_id=seg["s3", 0])
    decide(store, codeur="bram", story_id="s3", thema="wonen", status="rejected", segment_id=seg["s3", 0])
    decide(store, codeur="bram", story_id="s3", thema="veiligheid", status="manual")  # whole story
    decide(store, codeur="anna", story_id="s4", thema="wonen", status="manual")
    for sid in ("s1", "s2", "s3"):
        mark_done(store, sid, "anna")
        mark_done(store, sid, "bram")
    mark_done(store, "s4", "anna")
    return store, seg


def test_newest_decision_counts(two_coders):
    store, seg = two_coders
    bram = decisions(store, codeur="bram", story_id="s3")
    wonen = bram[bram["thema"] == "wonen"].iloc[0]
    assert wonen["status"] == "rejected" and not wonen["aanwezig"]
    assert len(finished(store)) == 7


def test_constructed_two_coder_case(two_coders):
    store, seg = two_coders
    themes = ["wonen", "veiligheid"]
    table = store_table(store, themes, niveau="verhaal")
    # s4 was finished by one coder only, so it is not a unit
    assert sorted(table.index.get_level_values("eenheid").unique()) == ["s1", "s2", "s3"]
    result = agreement(table)
    per_theme = result["per_thema"].set_index("thema")
    assert per_theme.loc["wonen", "alfa"] == pytest.approx(1.0)
    # veiligheid: anna (0,1,0), bram (0,0,1): o00=2, o01=o10=2, n=6 -> 1 - 5*4/(4*2*2) = -0.25
    assert per_theme.loc["veiligheid", "alfa"] == pytest.approx(-0.25)
    pair = result["per_paar"].iloc[0]
    # pooled over 6 units: p_o = 4/6, p_e = (2/6)^2 + (4/6)^2 = 20/36 -> kappa = 0.25
    assert pair["kappa"] == pytest.approx(0.25)
    assert pair["overeenstemming"] == pytest.approx(4 / 6)
    assert per_theme.loc["(alle thema's)", "alfa"] == pytest.approx(coincidence_alpha(table.to_numpy().T))
    diff = disagreements(table)
    assert diff.to_dict("records") == [
        {"eenheid": "s2", "thema": "veiligheid", "wel": "anna", "niet": "bram"},
        {"eenheid": "s3", "thema": "veiligheid", "wel": "bram", "niet": "anna"},
    ]


def test_sentence_level_ignores_whole_story_codes(two_coders):
    store, seg = two_coders
    table = store_table(store, ["wonen", "veiligheid"], niveau="zin")
    assert len(table) == 3 * 2 * 2  # 3 stories x 2 sentences x 2 themes
    diff = disagreements(table)
    assert diff.to_dict("records") == [
        {"eenheid": f"s2#{seg['s2', 1]}", "thema": "veiligheid", "wel": "anna", "niet": "bram"}]
