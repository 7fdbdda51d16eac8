"""Pseudonymisation: each category, stable placeholders, and recall on a labelled set of 46 sentences."""

import pytest

from tests.conftest import FIXTURES
from wijkkit.privacy import bsn_valid
from wijkkit.privacy.evaluatie import evaluate

CASES = [
    ("Ik ben Jan de Vries uit de Kanaalzone.", "Jan de Vries", "PERSOON"),
    ("Bel me op +31 6 1234 5678 vanavond.", "+31 6 1234 5678", "TELEFOON"),
    ("Bel me op 0031 30 123 4567 vanavond.", "0031 30 123 4567", "TELEFOON"),
    ("Mijn nummer is 06-12345678.", "06-12345678", "TELEFOON"),
    ("Mail naar a.de.boer@voorbeeld.nl graag.", "a.de.boer@voorbeeld.nl", "EMAIL"),
    ("Wij wonen op postcode 3563 CD.", "3563 CD", "POSTCODE"),
    ("Ons adres: Lindenlaan 14b, naast de school.", "Lindenlaan 14b", "ADRES"),
    ("Mijn BSN is 111222333.", "111222333", "BSN"),
    ("Ik ben geboren op 4 juli 1961 in dit huis.", "4 juli 1961", "GEBOORTEDATUM"),
]


@pytest.mark.parametrize("text,secret,categorie", CASES, ids=[c[2] + "-" + c[1][:8] for c in CASES])
def test_each_category_is_replaced(pseudonimiseerder, text, secret, categorie):
    result = pseudonimiseerder.pseudonymise(text)
    assert secret not in result.tekst
    assert f"[{categorie}-1]" in result.tekst
    assert result.per_categorie.get(categorie) == 1


def test_placeholders_are_stable_within_a_story(pseudonimiseerder):
    result = pseudonimiseerder.pseudonymise("Fatima Yilmaz helpt iedereen. Zonder Fatima Yilmaz was het hier stil. "
                                            "Ook Kees Verhoeven helpt.")
    assert result.tekst.count("[PERSOON-1]") == 2
    assert "[PERSOON-2]" in result.tekst


def test_gebied_names_and_ordinary_words_are_kept(pseudonimiseerder):
    text = "In Rietveld-Noord is het buurthuis dicht en de gemeente luistert niet."
    assert pseudonimiseerder.pseudonymise(text).tekst == text


def test_bsn_eleven_check():
    assert bsn_valid("111222333") and bsn_valid("123456782")
    assert not bsn_valid("123456789")


def test_recall_on_labelled_sentences(pseudonimiseerder):
    result = evaluate(FIXTURES / "privacy_gold.jsonl", pseudonimiseerder)
    assert result["identificerend"] >= 50
    assert result["recall"] >= 0.98, result["gemist"]
    assert result["behouden"] == 1.0, result["verloren"]
