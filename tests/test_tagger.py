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


@pytest.mark.parametrize("text, valentie", [
    # the problem statements residents make without a "negative" word (issue 13)
    ("Niemand ruimt het op.", "knelpunt"),
    ("Bij de gemeente luisteren ze niet naar ons.", "knelpunt"),
    ("Bewoners durven er niet langs.", "knelpunt"),
    ("Het is niet gezellig meer.", "knelpunt"),
    # nostalgia is a loss, not a strength
    ("Vroeger was het hier gezellig, nu is het een zooitje.", "knelpunt"),
    ("Er is veel van het gezellige buurtje verloren gegaan.", "knelpunt"),
    # a negated problem, and "never this good", are strengths
    ("Er is geen overlast meer.", "kracht"),
    ("Ik heb het nog nooit zo fijn gehad in deze buurt.", "kracht"),
    # a wish names no strength
    ("Het zou fijn zijn als er een buurthuis kwam.", "neutraal"),
    ("We willen een mooie speeltuin.", "neutraal"),
    # contrast: what follows "maar" weighs more
    ("Het is een mooie wijk, maar de overlast is erg.", "knelpunt"),
    ("Er is weleens wat overlast, maar het is hier echt heel fijn wonen.", "kracht"),
    # adjectives beyond the codebook (the CLiPS Pattern lexicon)
    ("De buurt is verschrikkelijk smerig.", "knelpunt"),
    ("Wat een prachtige en vriendelijke straat.", "kracht"),
])
def test_story_valence_reads_dutch(tagger, text, valentie):
    assert tagger.valentie(text) == valentie


def test_each_theme_takes_its_own_side_of_a_contrast(tagger):
    found = {s.thema: s.valentie for s in tagger.tag("De speeltuin is mooi, maar de straat ligt vol zwerfafval.")}
    assert found == {"openbare_ruimte": "kracht", "schoon_heel": "knelpunt"}


def test_a_compound_is_about_its_head_and_only_weakly_about_its_modifier(tagger):
    assert tagger.themes("Ze stond met de kinderwagen bij de bushalte.").get("onderwijs_jeugd") is None
    assert {t for t, _, how in tagger.match_word("meewerken") if t == "werk_economie"} == set()


def test_evaluate_tagger_reports_valence_on_real_resident_quotes():
    gold = ROOT.parent / "shared" / "gold" / "bewoners_dev.jsonl"
    if not gold.exists():
        pytest.skip("echte bewonerscitaten niet aanwezig (../shared/gold)")
    result = CliRunner().invoke(app, ["evaluate-tagger", str(gold), "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    micro = next(i for i, line in enumerate(lines) if line.startswith("micro_f1="))
    assert lines[-1].startswith("valence_macro_f1=") and micro < len(lines) - 1
    # before this work the same command measured 0.449 (issue 13); the rules must hold a clear gain
    assert float(lines[-1].split("=")[1]) >= 0.55
