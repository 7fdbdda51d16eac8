"""A story (verhaal) as it enters wijkkit: text plus who, where, when, how and consent."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from wijkkit.tellen.schema import niveau_of

Methode = Literal["storytelling", "straatgesprek", "buurtbabbel", "interview", "verhalenavond", "straatschouw",
                  "observatie", "anders"]
Rol = Literal["bewoner", "ondernemer", "professional", "jongere", "anders"]
# none: only counted; analyse: coded and counted; citeren-anoniem: pseudonymised quotes may be shown
Toestemming = Literal["none", "analyse", "citeren-anoniem"]
MAANDEN = {m: i for i, m in enumerate(["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                                         "september", "oktober", "november", "december"], start=1)}
MAANDEN |= {m[:3]: i for m, i in list(MAANDEN.items())} | {"mrt": 3, "sept": 9, "okt": 10}


def parse_datum(value):
    """A date as people write it: 2025-07-18, 18-07-2025, 18/07/2025, 18 juli 2025 (or a datetime)."""
    if value is None or isinstance(value, date):
        return value.date() if isinstance(value, datetime) else value
    text = str(value).strip()
    if not text:
        return None
    try:
        match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?", text)
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", text)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
        match = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})", text.lower())
        if match and match[2] in MAANDEN:
            return date(int(match[3]), MAANDEN[match[2]], int(match[1]))
    except ValueError:
        raise ValueError(f"een bestaande datum (deze dag bestaat niet: {text})") from None
    raise ValueError("een datum als 2024-03-15, 15-03-2024 of 15 maart 2024")


# Control characters other than tab and line breaks: never typed by a person, and a NUL breaks PostgreSQL.
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

STORY_FIELDS = ("id", "tekst", "datum", "gebied", "methode", "verteller_rol", "verzamelaar", "taal", "toestemming",
                "bron")


class Verhaal(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)
    id: str = Field(min_length=1, max_length=200, pattern=r"^[\w.-]+$")
    tekst: str = Field(min_length=1)
    datum: date | None = None
    gebied: str
    methode: Methode
    verteller_rol: Rol
    verzamelaar: str = Field(default="", max_length=200)
    taal: str = Field(default="nl", max_length=10)
    toestemming: Toestemming
    bron: str = Field(default="", max_length=500)
    kenmerken: dict[str, str] = Field(default_factory=dict)  # further metadata (e.g. another QDA tool's variables)
    _oorspronkelijk_id: str = PrivateAttr(default="")  # the id in the file, before pseudonymisation

    @field_validator("id", "tekst", "gebied", "verzamelaar", "taal", "bron", mode="before")
    @classmethod
    def _no_control_characters(cls, value):
        # PostgreSQL refuses a NUL in text and SQLite keeps it: refuse it on both, before anything is written
        if isinstance(value, str):
            bad = CONTROL.search(value)
            if bad:
                raise ValueError(f"tekst zonder stuurtekens (gevonden: teken U+{ord(bad[0]):04X} op positie "
                                 f"{bad.start() + 1})")
        return value

    @field_validator("kenmerken", mode="before")
    @classmethod
    def _plain_kenmerken(cls, value):
        if isinstance(value, dict):
            for key, item in value.items():
                for text in (key, item):
                    if isinstance(text, str) and CONTROL.search(text):
                        raise ValueError(f"kenmerken zonder stuurtekens (in '{str(key)[:40]}')")
        return value

    @field_validator("datum", mode="before")
    @classmethod
    def _dutch_date(cls, value):
        return parse_datum(value)

    @field_validator("gebied")
    @classmethod
    def _cbs_code(cls, value: str) -> str:
        if niveau_of(value) not in ("wijk", "buurt", "gemeente"):
            raise ValueError("een CBS-code van een wijk of buurt (WK + 6 tekens, BU + 8 tekens, bv. WK034403 of BU0363AA01)")
        return value

    def met_id(self, new_id: str) -> "Verhaal":
        """The same story under a new (pseudonymised) id, remembering the id it had in its file."""
        copy = self.model_copy(update={"id": new_id})
        copy._oorspronkelijk_id = self.bron_id
        return copy

    @property
    def bron_id(self) -> str:
        return self._oorspronkelijk_id or self.id

    @property
    def mag_citeren(self) -> bool:
        return self.toestemming == "citeren-anoniem"
