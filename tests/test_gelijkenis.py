"""The third reader: similarity of a story's sentences to the codebook's own descriptions (offline)."""

from __future__ import annotations

import socket

import numpy as np
import pytest

from wijkkit.codebook import load_codebook
from wijkkit.vertellen import gelijkenis
from wijkkit.vertellen.tagger import GELIJKENIS_TERM, Tagger
from wijkkit.vertellen.zekerheid import ZONDER_WOORD, kalibratie_van


def test_the_encoder_loads_and_reads_without_a_network(monkeypatch):
    gelijkenis.encoder.cache_clear()

    def refuse(*args, **kwargs):
        raise OSError("geen netwerk in het buurthuis")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    vectors = gelijkenis.encode(["De stoep ligt vol afval.", "Het afval ligt overal op straat."])
    assert vectors.shape == (2, 512)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-3)


def test_each_value_is_the_best_sentence_and_the_best_sentence_is_named():
    codebook = load_codebook()
    themes = codebook.theme_ids
    text = "We wonen hier al twintig jaar. Overal op straat liggen vuilniszakken en kapotte flessen. Fijne dag."
    reading = gelijkenis.read([text], codebook, themes)
    assert reading.waarden.shape == (1, len(themes), len(gelijkenis.KENMERKEN))
    sentences = [s[2] for s in reading.zinnen[0]]
    assert len(sentences) == 3
    # recomputed here from the sentences and the codebook, not from the reading
    protos = gelijkenis.prototypes(codebook, themes)
    vectors = gelijkenis.encode(sentences)
    for k, theme in enumerate(themes):
        about = (vectors @ protos.vectors[k][:2].T).max(axis=1)
        assert reading.beste[0, k] == int(np.argmax(about)), theme
        assert reading.waarden[0, k, 0] == pytest.approx(about.max(), abs=1e-4)
        start, end, zin = reading.zinnen[0][reading.beste[0, k]]
        assert text[start:end] == zin
    # the sentence about rubbish comes closest to the definition of "schoon en heel"
    assert sentences[reading.beste[0, themes.index("schoon_heel")]].startswith("Overal op straat")


def test_a_theme_the_rules_missed_is_suggested_only_when_sure_enough_to_be_shown():
    tagger = Tagger()
    kalibratie = kalibratie_van(tagger.combinatie)
    assert kalibratie is not None and kalibratie.gelijkenis and not kalibratie.alleen_regels
    texts = ["De tuinen grenzen aan elkaar.", "Niemand groet elkaar nog, iedereen leeft langs elkaar heen.",
             "Er zijn hier geen plekken meer waar je even kunt zitten, alles is volgebouwd.",
             "Mijn zoon kan nergens heen na school, er is niets voor jongeren.",
             "Je voelt je hier niet thuis als je er niet geboren bent.",
             # the rules read "huis" as wonen and the model vetoes it: the similarity may not bring it back
             "s Avonds durf ik niet meer alleen naar huis te lopen.",
             # schoon_heel's threshold is low (its rules are nearly always right); without a word, 0.2 is not enough
             "Helaas is het zo dat de bak dan vol is en dat er asociale mensen zijn die het dan gewoon neergooien, "
             "en dan ligt het er weken."]
    seen_similarity_only = 0
    rules = Tagger(leren=False)
    for text, verhaal in zip(texts, tagger.lees(texts, leren=True)):
        rules_only = {s.thema for s in next(rules.lees([text])).suggesties}
        for s in verhaal.suggesties:
            if s.manier != "gelijkenis":
                continue
            seen_similarity_only += 1
            assert s.thema not in rules_only and s.term == GELIJKENIS_TERM
            assert verhaal.zekerheid[s.thema] >= max(kalibratie.shown_threshold(s.thema), ZONDER_WOORD)
            assert text[s.start:s.end] == s.bewijs
        # a theme that neither the rules read nor the similarity offered carries no confidence at all
        offered = {s.thema for s in verhaal.suggesties} | rules_only
        assert all(c == 0 for t, c in verhaal.zekerheid.items() if t not in offered)
    assert seen_similarity_only <= len(texts) * 2  # a handful, not every theme
