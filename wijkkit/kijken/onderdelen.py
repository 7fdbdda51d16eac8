"""What a straatschouw scores: the CROW scale and the onderdelen, which the indicator catalogue defines.

An onderdeel is a catalogue indicator with ``bron: schouw`` and an ``onderdeel`` (the question walkers answer),
so a project adds its own (say "Hondenpoep") in its ``indicatoren.yml`` and the form, the reader and the
indicators follow.
"""

from __future__ import annotations

from dataclasses import dataclass

# CROW beeldkwaliteit, best first; B is the basic level most gemeenten aim for
NIVEAUS = ("A+", "A", "B", "C", "D")
GOED_GENOEG = frozenset({"A+", "A", "B"})
NIVEAU_UITLEG = {"A+": "A+ (zeer hoog)", "A": "A (hoog)", "B": "B (basis)", "C": "C (laag)", "D": "D (zeer laag)"}
# how the form names the levels (XML names cannot hold '+'), and what people type in a spreadsheet
FORM_NAMEN = {"A+": "a_plus", "A": "a", "B": "b", "C": "c", "D": "d"}
NIET_BEKEKEN = "nvt"
PREFIX = "schouw_"
# cells that mean "nothing here": formhub and older KoBoToolbox exports write "n/a" for a skipped question
LEEG = frozenset({"", "nan", "n/a", "na", "none", "nvt", "n.v.t.", "niet van toepassing", "niet bekeken", "-"})
WAARNEMINGEN = "schouw_waarnemingen"


@dataclass(frozen=True)
class Onderdeel:
    naam: str  # the question's name in the form and the export: the indicator id without "schouw_"
    vraag: str  # the question as walkers read it
    indicator: str
    thema: str
    namen: tuple[str, ...] = ()  # other names of the question in a team's own form or spreadsheet


def onderdelen(catalogus) -> list[Onderdeel]:
    """The scored onderdelen of a catalogue, in its order."""
    return [Onderdeel(i.id.removeprefix(PREFIX), i.onderdeel, i.id, i.domein, tuple(i.schouwkolommen))
            for i in catalogus.indicatoren if i.bron == "schouw" and i.onderdeel]


def niveau(value: object) -> str | None:
    """A CROW level from what an export or a spreadsheet holds ('a_plus', 'A+', 'a+ (zeer hoog)', 'B'), "" for
    "not looked at" (empty, 'nvt'), or None when it is not a level at all."""
    text = "" if value is None else str(value).strip().split(" (")[0].strip()  # a label: "B (basis)"
    if text.lower() in LEEG:
        return ""
    key = text.upper().replace("_PLUS", "+").replace("PLUS", "+").replace(" ", "")
    return key if key in NIVEAUS else None
