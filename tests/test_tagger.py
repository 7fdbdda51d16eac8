"""The theme tagger: compounds, negation, accents, OCR damage, and the held-out evaluation."""

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from wijkkit.cli import app
from wijkkit.vertellen.tagger import Tagger


@pytest.fixture(scope="module")
def tagger():
    # these tests are about the rules; the learned second reader has its own (tests/test_bewoners.py)
    return Tagger(leren=False)


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
    result = CliRunner().invoke(app, ["vertellen", "evalueer", str(ROOT / "tests" / "gold" / "tagger_heldout.jsonl"),
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
    result = CliRunner().invoke(app, ["vertellen", "evalueer", str(gold), "--project", str(ROOT)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    micro = next(i for i, line in enumerate(lines) if line.startswith("micro_f1="))
    assert lines[-1].startswith("valence_macro_f1=") and micro < len(lines) - 1
    # before this work the same command measured 0.449 (issue 13); the rules must hold a clear gain
    assert float(lines[-1].split("=")[1]) >= 0.55


VOORBEELDEN = {  # one everyday sentence per expression in wijkkit/vertellen/frasen.py
    "elkaar helpen/kennen": "Hier helpen we elkaar nog.",
    "voor elkaar klaarstaan": "In onze straat staan we voor elkaar klaar.",
    "naar elkaar omkijken": "Mensen kijken hier naar elkaar om.",
    "een oogje in het zeil": "De buurvrouw houdt een oogje in het zeil.",
    "bij elkaar komen": "Het straatfeest brengt de hele straat bij elkaar.",
    "met elkaar doen": "We gaan met elkaar koken in het buurthuis.",
    "langs elkaar heen leven": "Mensen leven hier langs elkaar heen.",
    "ieder voor zich": "Het is hier ieder voor zich.",
    "elkaar gedag zeggen": "In onze straat zeggen we elkaar nog gedag.",
    "elkaar aanspreken": "Niemand durft die jongens aan te spreken.",
    "op zichzelf": "Iedereen is hier erg op zichzelf.",
    "zich schamen voor de buurt": "Mijn dochter schaamt zich voor onze wijk.",
    "niemand kennen": "Ik ken hier niemand meer.",
    "op straat hangen": "Er hangen jongens op straat rond tot diep in de nacht.",
    "durven niet over straat": "Ouderen durven 's avonds niet meer over straat.",
    "zich niet veilig voelen": "Ik heb een onveilig gevoel bij het station.",
    "niet gehoord": "We worden gewoon niet gehoord.",
    "luisteren niet": "Ze luisteren niet naar de bewoners.",
    "van het kastje naar de muur": "Je wordt van het kastje naar de muur gestuurd.",
    "mooie praatjes": "Het zijn allemaal loze beloftes.",
    "achter onze rug om": "Het is over ons hoofd heen besloten.",
    "er wordt geluisterd": "Er wordt eindelijk naar ons geluisterd.",
    "de eindjes aan elkaar knopen": "Ik kan de eindjes aan elkaar knopen.",
    "elk dubbeltje omdraaien": "Ze moeten elk dubbeltje omdraaien.",
    "niet rondkomen": "Met dit loon komen we niet rond.",
    "in de schulden": "Hij is in de schulden geraakt.",
    "rood staan": "Veel gezinnen staan rood.",
    "slecht ter been": "Mijn moeder is slecht ter been.",
    "rollator": "Zij loopt met een rollator.",
    "op de wachtlijst staan": "Mijn zoon staat al jaren op de wachtlijst voor een woning.",
    "geen woning vinden": "Jonge mensen kunnen hier geen betaalbare woning vinden.",
    "solliciteren": "Hij solliciteert zich suf.",
    "zonder werk": "Sinds de fabriek dicht is zit hij zonder werk.",
    "op zijn kop gezet": "De buurt is op zijn kop gezet.",
    "uit de hand gelopen": "Het feest is uit de hand gelopen.",
    "in de steek gelaten": "Wij voelen ons in de steek gelaten.",
    "ver te zoeken": "Het vertrouwen in de gemeente is ver te zoeken.",
    "een grote mond": "Die jongens hebben een grote mond tegen iedereen.",
    "uitgescholden": "Ik werd uitgescholden door die jongens.",
    "zonde van": "Het is zonde van het mooie park.",
    "zich thuis voelen": "Ik voel me hier thuis.",
    "op mijn gemak": "Op straat ben ik op mijn gemak.",
    "met plezier": "Ik woon hier met plezier.",
    "een slechte naam": "Onze buurt heeft een slechte naam.",
    "durven de deur niet uit": "Ze durft 's avonds de deur niet meer uit.",
    "verloedering": "De straat verloedert.",
    "de buurt gaat achteruit": "De buurt gaat hard achteruit.",
    "uit de schulden": "Hij is eindelijk uit de schulden.",
}


def test_every_expression_is_found_in_an_everyday_sentence_and_its_keywords_are_needed(tagger, monkeypatch):
    import re

    from wijkkit.vertellen import frasen

    assert set(VOORBEELDEN) == {f.naam for f in frasen.FRASEN}
    for frase in frasen.FRASEN:
        zin = VOORBEELDEN[frase.naam]
        assert frase.naam in {f.naam for _, _, f in frasen.find(zin)}, zin
        for match in re.finditer(frase.patroon, zin.lower()):  # a match always holds one of its keywords
            assert any(key in match.group() for key in frase.sleutels), (frase.naam, match.group())
            assert not frase.ook or any(key in match.group() for key in frase.ook), (frase.naam, match.group())
        # the tagger finds it too, with its second-word check on tokens instead of characters
        seen = []
        monkeypatch.setattr(frasen, "find", lambda text, near, find=frasen.find: seen.extend(find(text, near))
                            or find(text, near))
        tagger.tag(zin)
        monkeypatch.undo()
        assert frase.naam in {f.naam for _, _, f in seen}, zin
    assert len(frasen.FRASEN) <= 64  # the tagger keeps each word's second-word expressions as bits of an uint64


def test_expressions_are_matched_only_from_the_start_of_a_word():
    from wijkkit.vertellen import frasen

    assert [f.naam for _, _, f in frasen.find("We helpen elkaar.")] == ["elkaar helpen/kennen"]
    assert frasen.find("De ontwikkelaar helpt niet.") == []  # "elkaar" inside "ontwikkelaar"
    assert frasen.find("Het achterland hoofdzakelijk.") == []
    assert [f.naam for _, _, f in frasen.find("Ze luisteren niet.")] == ["luisteren niet"]
    assert frasen.find("Zeluisteren niet.") == []
    with pytest.raises(ValueError):
        frasen.unanchored(r"\bmet plezier|zonder plezier")


@pytest.mark.parametrize("zin, thema, valentie", [
    ("We helpen elkaar altijd.", "sociale_samenhang", "kracht"),
    ("De tuinen grenzen aan elkaar.", None, "neutraal"),  # 'elkaar' alone names no samenhang
    ("Ik moet de eindjes aan elkaar knopen.", "armoede_schulden", "knelpunt"),
    ("De wethouder had mooie praatjes.", "vertrouwen_participatie", "knelpunt"),  # 'mooie' loses its valence
    ("Bewoners durven er niet langs.", "veiligheid", "knelpunt"),
])
def test_expressions_carry_theme_and_valence(zin, thema, valentie):
    tagger = Tagger()
    found = tagger.tag(zin)
    assert {s.thema for s in found} == ({thema} if thema else set())
    assert tagger.valentie(zin) == valentie
