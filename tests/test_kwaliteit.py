"""How the suggestions agree with the team, and which stories a coder should see first."""

import pytest

from wijkkit.codebook import load_codebook
from wijkkit.coderen.beslissingen import decide, mark_done
from wijkkit.coderen.kwaliteit import MIN_ZINNEN, learning_value, suggestion_agreement, verdict
from wijkkit.store import open_store
from wijkkit.store.models import Segment, Story

TAGGER = "wijkkit-tagger"


@pytest.fixture
def store(tmp_path):
    """12 finished stories of three sentences; the rules suggest wonen on sentence 0 of every story (right in
    10: the team coded it there) and on sentence 1 of the first 4 (wrong); the team also codes wonen on
    sentence 2 of the first 2 stories (the rules missed it). Two stories stay open."""
    store = open_store(f"sqlite:///{tmp_path / 'k.db'}")
    with store.session() as session:
        for i in range(14):
            story = Story(id=f"v{i:02d}", tekst="Een. Twee. Drie.", gebied="BU99990201", methode="interview",
                          verteller_rol="bewoner", toestemming="analyse", privacy={})
            story.segments = [Segment(nr=n, start=2 * n, end=2 * n + 1, tekst=t) for n, t in
                              enumerate(("Een.", "Twee.", "Drie."))]
            session.add(story)
    with store.read() as session:
        segs = {(s.story_id, s.nr): s.id for s in session.query(Segment)}
    for i in range(14):
        sid = f"v{i:02d}"
        store.add_coding(story_id=sid, segment_id=segs[sid, 0], thema="wonen", status="suggested", codeur=TAGGER,
                         valentie="knelpunt", score=1.0)
        if i < 4:
            store.add_coding(story_id=sid, segment_id=segs[sid, 1], thema="wonen", status="suggested",
                             codeur=TAGGER, valentie="neutraal", score=0.5)
        if i >= 12:
            continue  # open stories: no decisions, not finished
        if i < 10:
            decide(store, codeur="anna", story_id=sid, thema="wonen", status="manual", segment_id=segs[sid, 0],
                   valentie="knelpunt" if i < 7 else "kracht")
        if i < 2:
            decide(store, codeur="anna", story_id=sid, thema="wonen", status="manual", segment_id=segs[sid, 2])
        mark_done(store, sid, "anna")
    return store


def test_agreement_per_theme_counts_sentences_of_finished_stories(store):
    table = suggestion_agreement(store, load_codebook()).set_index("thema")
    wonen = table.loc["wonen"]
    # team: sentence 0 of v00-v09 and sentence 2 of v00-v01; suggested in finished stories: sentence 0 of
    # v00-v11 and sentence 1 of v00-v03; both: sentence 0 of v00-v09
    assert (wonen.team, wonen.suggesties, wonen.beide) == (10 + 2, 12 + 4, 10)
    assert wonen.precisie == pytest.approx(10 / 16) and wonen.recall == pytest.approx(10 / 12)
    assert wonen.f1 == pytest.approx(2 * 10 / (12 + 16))
    assert wonen.valentie_gelijk == 7  # the team read v07-v09 as kracht, the rules as knelpunt
    assert wonen.oordeel == verdict(2 * 10 / 28, 28) == "goed"
    assert table.loc["veiligheid", "oordeel"] == "te weinig gegevens"


def test_verdicts_follow_the_thresholds():
    assert verdict(0.9, MIN_ZINNEN - 1) == "te weinig gegevens"
    assert [verdict(f, 50) for f in (0.75, 0.6, 0.3)] == ["goed", "matig", "laag"]


def test_open_stories_with_uncertain_suggestions_on_rare_themes_come_first(store):
    value = learning_value(store)
    finished_ids = {f"v{i:02d}" for i in range(12)}
    assert all(value[s] == 0 for s in finished_ids)
    assert set(value.index[:2]) == {"v12", "v13"}  # the only open stories
    store.add_coding(story_id="v12", thema="veiligheid", status="suggested", codeur=TAGGER, score=0.55)
    value = learning_value(store)
    assert list(value.index[:2]) == ["v12", "v13"]  # an uncertain suggestion on a theme the team never coded


def test_a_kenniskring_page_says_when_counts_from_suggestions_are_uncertain():
    import pandas as pd

    from wijkkit.kenniskring.gegevens import Verhalenbeeld

    def beeld(uit_suggesties, oordeel, f1):
        return Verhalenbeeld(12, 20, 8, 4, 8, 5, pd.DataFrame(), pd.DataFrame(), 0, uit_suggesties, oordeel, f1)

    assert "onzeker" in beeld(6, "laag", 0.31).suggestie_zin and "drie op de tien" in beeld(6, "laag", 0.31).onzekerheid
    assert "redelijk" in beeld(6, "matig", 0.62).onzekerheid
    assert "nog niet te zeggen" in beeld(6, "te weinig gegevens", float("nan")).onzekerheid
    assert beeld(6, "goed", 0.8).onzekerheid == "" and "onzeker" not in beeld(6, "goed", 0.8).suggestie_zin
    assert beeld(0, "laag", 0.2).suggestie_zin == ""  # nothing counted from suggestions: nothing to warn about
