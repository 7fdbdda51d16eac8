"""The Dutch NLP pipeline: spaCy ``blank("nl")`` + sentence splitter + lookup lemmatizer.

No model download: the lemma tables come from spacy-lookups-data, stemming from NLTK's
Snowball DutchStemmer (needs no corpus).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import spacy
from nltk.stem.snowball import DutchStemmer


@lru_cache(maxsize=1)
def dutch_pipeline() -> spacy.language.Language:
    nlp = spacy.blank("nl")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()
    return nlp


_stemmer = DutchStemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    return _stemmer.stem(word)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lowercase without accents: 'Café' and 'cafe', 'overlást' and 'overlast' match."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


OCR_FIXES = [(re.compile(r"(?<=[a-z])0+(?=[a-z])"), "o"), (re.compile(r"(?<=[a-z])[1|!]+(?=[a-z]|$)"), "l"),
             (re.compile(r"(?<=[a-z])5+(?=[a-z])"), "s"), (re.compile(r"(?<=[a-z])I+"), "l")]


def ocr_repair(word: str) -> str:
    """Undo the usual scanner confusions inside a word (0/o, 1/l, I/l, 5/s)."""
    for pattern, replacement in OCR_FIXES:
        word = pattern.sub(lambda m: replacement * len(m[0]), word)
    return word


SENTENCE_END = {".", "!", "?", "…", "...", "?!", "!!", "!?"}


@lru_cache(maxsize=1)
def lemma_table():
    """The Dutch lookup lemma table (word -> lemma) from spacy-lookups-data."""
    return dutch_pipeline().get_pipe("lemmatizer").lookups.get_table("lemma_lookup")


def lemma_of(word: str) -> str:
    """The lemma of a lower-case word: spaCy's lookup table, else simplemma's Dutch lexicon.

    spaCy's table misses common plurals ("huizen", "kinderen", "straten"); simplemma knows them.
    Measured on the 40 real resident quotes and the held-out sentences, the pair finds one more
    correct theme in each set than the table alone (theme micro F1 0.673 -> 0.680 and 0.873 -> 0.881).
    """
    found = lemma_table().get(word, None)
    if found is not None and found != word:
        return found
    import simplemma

    return simplemma.lemmatize(word, lang="nl")


def segments(text: str) -> list[tuple[int, int, str]]:
    """Sentences as (start, end, text) with code-point offsets into ``text``.

    A sentence ends after '.', '!', '?' (and runs of them), as the tagger counts them,
    so a suggestion's sentence number is the stored segment's number.
    """
    doc = dutch_pipeline().make_doc(text)
    out, first = [], 0
    tokens = list(doc)
    for i in range(len(tokens) + 1):
        if i < len(tokens) and not (i > first and tokens[i - 1].text in SENTENCE_END
                                    and tokens[i].text not in SENTENCE_END):
            continue
        if i > first:
            start, end = tokens[first].idx, tokens[i - 1].idx + len(tokens[i - 1].text)
            sentence = text[start:end].lstrip()
            if sentence:
                out.append((end - len(sentence), end, sentence))
        first = i
    return out
