"""The theme tagger: compounds, negation, accents, OCR damage, and the held-out evaluation."""

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from wijkkit.cli import app
from wijkkit.vertellen.tagger import Tagger


@pytest.fixture(scope="module")
def tagger():
    return Tagger()


@pytest.mark.parametrize("word,themes", [
    ("jongerenoverlast", {"veiligheid", "onderwijs_jeugd"}),
    ("zwerfafval", {"schoon_heel"}),
    ("buurthuis", {"voorzieningen"}),
    ("speeltuintjes", {"openbare_ruimte"}),
    ("veiligheidsgevoel", {"veiligheid"}),
])
def test_compounds_match_their_parts(tagger, word, themes):
    assert {t for t, _, _ in tagger.match_word(word)} == themes


def test_derivations_are_not_compounds(tagger):
    assert tagger.match_word("werkelijk") == []  # werk + elijk is not 'werk'


def test_accents_do_not_matter(tagger):
    assert {t for t, _, _ in tagger.match_word("overlást")} == {"veiligheid"}
    assert {t for t, _, _ in tagger.match_word("Buurthúis")} == {"voorzieningen"}


def test_ocr_damaged_words_still_match(tagger):
    assert "schoon_heel" in {t for t, _, _ in tagger.match_word("zwerfafvaI")}
    assert "veiligheid" in {t for t, _, _ in tagger.match_word("overIast")}
    assert "onderwijs_jeugd" in {t for t, _, _ in tagger.match_word("sch00l")}
    assert "schoon_heel" in {t for t, _, _ in tagger.match_word("afva1")}
    hits = tagger.match_word("jongerenoverIast")
    assert {t for t, _, how in hits if how == "ocr"} >= {"veiligheid"}


@pytest.mark.parametrize("sentence,valentie", [
    ("Er is hier veel overlast.", "knelpunt"),
    ("Er is hier geen overlast meer.", "kracht"),
    ("Ik voel me er niet veilig.", "knelpunt"),
    ("Het buurthuis is een gezellige en fijne plek.", "kracht"),
    ("De gemeente luistert niet naar ons.", "knelpunt"),
])
def test_valence_with_negation(tagger, sentence, valentie):
    suggestions = tagger.tag(sentence)
    assert suggestions and {s.valentie for s in suggestions} == {valentie}


def test_suggestion_carries_evidence_and_offsets(tagger):
    text = "Fijne buurt. Het zwerfafval ligt overal!"
    [s] = [s for s in tagger.tag(text) if s.thema == "schoon_heel"]
    assert text[s.start:s.end] == s.bewijs == "Het zwerfafval ligt overal!"
    assert s.zin == 1 and s.woord == "zwerfafval" and 0 < s.score <= 1


def test_evaluate_tagger_cli_on_held_out_set():
    result = CliRunner().invoke(app, ["evaluate-tagger", str(ROOT / "tests" / "gold" / "tagger_heldout.jsonl"),
                                      "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("micro_f1=")
    assert float(last.split("=")[1]) >= 0.75
    assert "veiligheid" in result.output and "precisie=" in result.output
