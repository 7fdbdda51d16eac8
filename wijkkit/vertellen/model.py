"""A story (verhaal) as it enters wijkkit: text plus who, where, when, how and consent."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from wijkkit.tellen.schema import niveau_of

Methode = Literal["storytelling", "straatgesprek", "buurtbabbel", "interview", "verhalenavond", "straatschouw",
                  "observatie", "anders"]
Rol = Literal["bewoner", "ondernemer", "professional", "jongere", "anders"]
# none: only counted; analyse: coded and counted; citeren-anoniem: pseudonymised quotes may be shown
Toestemming = Literal["none", "analyse", "citeren-anoniem"]
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
    verzamelaar: str = ""
    taal: str = "nl"
    toestemming: Toestemming
    bron: str = ""
    _oorspronkelijk_id: str = PrivateAttr(default="")  # the id in the file, before pseudonymisation

    @field_validator("gebied")
    @classmethod
    def _cbs_code(cls, value: str) -> str:
        if niveau_of(value) not in ("wijk", "buurt", "gemeente"):
            raise ValueError("een CBS-code van een wijk of buurt (WK + 6 cijfers, BU + 8 cijfers)")
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
