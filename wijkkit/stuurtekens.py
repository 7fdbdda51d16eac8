"""Invisible characters that change how text around them is drawn: neutralised wherever people's text is shown.

The Unicode bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) reorder what
follows them: a sentence with U+202E (right-to-left override) shows its letters backwards, and can make a
file name, a number or someone else's words read as something they are not. Text from people keeps its
letters (Arabic, Hebrew and Latin mixed is fine: the Unicode algorithm orders them without these), but loses
these controls. Only the standard library: a visitor's kernel imports it too.
"""

from __future__ import annotations

import re

BIDI_STUURTEKENS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI = re.compile(f"[{BIDI_STUURTEKENS}]")


def zonder_stuurtekens(text: str) -> str:
    """``text`` without bidirectional embedding, override and isolate controls."""
    return _BIDI.sub("", text)
