"""The verandertheorie (theory of change) of a wijkaanpak, as a validated YAML file.

missie -> ambities -> deelambities -> indicatoren. An indicator is quantitative (an id from the
tellen catalogue with a baseline year, a target value and year) or qualitative (a codebook
theme, or a question the kenniskring answers in its duiding notes). Errors name the field,
e.g. ``ambities[0].deelambities[1].indicatoren[0].indicator``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from wijkkit.yamlfile import load_yaml_model

BESTAND = "verandertheorie.yml"


class Kwantitatief(BaseModel):
    model_config = ConfigDict(extra="forbid")
    soort: Literal["kwantitatief"]
    indicator: str
    basisjaar: int = Field(ge=1990, le=2100)
    doel: float
    doeljaar: int = Field(ge=1990, le=2100)
    gebied: str | None = None  # default: the theory's gebied
    toelichting: str = ""

    @field_validator("indicator")
    @classmethod
    def _known(cls, value: str, info: ValidationInfo) -> str:
        known = (info.context or {}).get("indicatoren")
        if known is not None and value not in known:
            raise ValueError(f"een indicator uit de catalogus (zie 'wijkkit tellen indicatoren'), niet {value!r}")
        return value

    @model_validator(mode="after")
    def _years(self) -> "Kwantitatief":
        if self.doeljaar <= self.basisjaar:
            raise ValueError(f"een doeljaar na het basisjaar ({self.basisjaar})")
        return self


class Kwalitatief(BaseModel):
    model_config = ConfigDict(extra="forbid")
    soort: Literal["kwalitatief"]
    thema: str | None = None  # a codebook theme: how the stories about it change
    vraag: str | None = None  # a question the kenniskring answers in its duiding notes
    toelichting: str = ""

    @field_validator("thema")
    @classmethod
    def _theme(cls, value: str | None, info: ValidationInfo) -> str | None:
        known = (info.context or {}).get("themas")
        if value is not None and known is not None and value not in known:
            raise ValueError(f"een thema uit het codeboek ({', '.join(sorted(known))}), niet {value!r}")
        return value

    @model_validator(mode="after")
    def _something(self) -> "Kwalitatief":
        if not self.thema and not self.vraag:
            raise ValueError("een thema uit het codeboek of een vraag voor de kenniskring")
        return self


Indicator = Annotated[Union[Kwantitatief, Kwalitatief], Field(discriminator="soort")]


class Deelambitie(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    titel: str
    indicatoren: list[Indicator] = Field(min_length=1)


class Ambitie(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    titel: str
    deelambities: list[Deelambitie] = Field(min_length=1)


class Verandertheorie(BaseModel):
    model_config = ConfigDict(extra="forbid")
    missie: str
    gebied: str = Field(pattern=r"^(GM|WK|BU)\d{4,8}$")
    nulmeting: int = Field(ge=1990, le=2100)  # the year of the first analysis (baseline)
    ambities: list[Ambitie] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> "Verandertheorie":
        ids = [a.id for a in self.ambities] + [d.id for a in self.ambities for d in a.deelambities]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"unieke id's voor ambities en deelambities; dubbel: {', '.join(doubles)}")
        return self

    def indicatoren(self):
        """(ambitie, deelambitie, indicator) for every indicator, in file order."""
        for ambitie in self.ambities:
            for deel in ambitie.deelambities:
                for indicator in deel.indicatoren:
                    yield ambitie, deel, indicator


def load_verandertheorie(path: str | Path, *, indicatoren=None, themas=None) -> Verandertheorie:
    """Read and validate; ``indicatoren`` and ``themas`` are the ids a project knows."""
    context = {"indicatoren": set(indicatoren) if indicatoren is not None else None,
               "themas": set(themas) if themas is not None else None}
    return load_yaml_model(path, Verandertheorie, context=context)
