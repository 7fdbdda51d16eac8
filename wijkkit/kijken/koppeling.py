"""A team's own schouw form mapped once: which column holds what, and what its answers mean on the CROW scale.

The mapping lives in ``wijkkit.toml`` under ``[schouw]`` (data, not code), checked here with Dutch messages;
:mod:`wijkkit.kijken.voorstel` proposes one from an export. The import uses it only once a person has set
``bevestigd = true``.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field, field_validator

from wijkkit.errors import Probleem, WijkkitInputError
from wijkkit.kijken.formulier import ROLLEN
from wijkkit.kijken.onderdelen import LEEG, NIET_BEKEKEN, NIVEAUS, Onderdeel, niveau
from wijkkit.yamlfile import validate_model

DOELEN = (*NIVEAUS, NIET_BEKEKEN)
ONBEKEND = "?"  # a value the proposal could not place: the team fills in a level before importing


class KoppelOnderdeel(BaseModel):
    """One onderdeel: the column with its answer, and what each answer means (empty: the answers are CROW)."""

    model_config = ConfigDict(extra="forbid")
    kolom: str = Field(min_length=1)
    waarden: dict[str, str] = Field(default_factory=dict)

    @field_validator("waarden")
    @classmethod
    def _levels(cls, waarden: dict[str, str]) -> dict[str, str]:
        wrong = {k: v for k, v in waarden.items() if v not in DOELEN}
        if wrong:
            key, value = next(iter(wrong.items()))
            raise ValueError(f"een niveau uit {', '.join(DOELEN)} voor elke waarde (waarde '{key}' heeft "
                             f"'{value}'{': vul een niveau in' if value == ONBEKEND else ''})")
        return waarden

    def schaal(self) -> dict[str, str]:
        return {fold(k): v for k, v in self.waarden.items()}


class Koppeling(BaseModel):
    """``[schouw]`` in wijkkit.toml."""

    model_config = ConfigDict(extra="forbid")
    bevestigd: bool = False
    herhaling: str = ""  # the repeat group whose entries are the observations (ODK Central, KoBoToolbox XLSX)
    id: str = ""
    datum: list[str] = Field(default_factory=lambda: ["start", "today"])
    locatie: str = ""
    lat: str = ""
    lon: str = ""
    buurt: str = ""
    opmerking: list[str] = Field(default_factory=list)
    foto: list[str] = Field(default_factory=list)
    rol: str = ""
    rollen: dict[str, str] = Field(default_factory=dict)  # a team's answer -> bewoner, wijkbeheerder, ...
    toestemming: str = ""
    thema: str = ""
    onderdelen: dict[str, KoppelOnderdeel] = Field(default_factory=dict)
    weglaten: list[str] = Field(default_factory=list)

    @field_validator("rollen")
    @classmethod
    def _rollen(cls, rollen: dict[str, str]) -> dict[str, str]:
        wrong = [v for v in rollen.values() if v not in ROLLEN]
        if wrong:
            raise ValueError(f"een rol uit {', '.join(ROLLEN)} voor elk antwoord (gevonden '{wrong[0]}')")
        return rollen

    @field_validator("datum", "opmerking", "foto", mode="before")
    @classmethod
    def _list(cls, value):
        return [value] if isinstance(value, str) else value

    def gebruikt(self) -> dict[str, str]:
        """column -> what it is used for."""
        used = {}
        for naam, item in self.onderdelen.items():
            used[item.kolom] = f"onderdeel {naam}"
        for veld in ("id", "locatie", "lat", "lon", "buurt", "rol", "toestemming", "thema"):
            if getattr(self, veld):
                used[getattr(self, veld)] = veld
        for veld in ("datum", "opmerking", "foto"):
            for kolom in getattr(self, veld):
                used.setdefault(kolom, veld)
        return used


def koppeling_uit(data: dict | None, onderdelen: list[Onderdeel]) -> Koppeling | None:
    """The project's ``[schouw]`` checked (Dutch errors naming the field), or None without one."""
    if not data:
        return None
    koppeling = validate_model(data, Koppeling, "wijkkit.toml [schouw]")
    known = {o.naam for o in onderdelen}
    unknown = [n for n in koppeling.onderdelen if n not in known]
    if unknown:
        raise WijkkitInputError(Probleem(
            "wijkkit.toml [schouw]", "onderdelen uit de catalogus: " + ", ".join(sorted(known)) + " (een eigen "
            "onderdeel is een indicator met 'bron: schouw' en 'onderdeel:' in indicatoren.yml)",
            kolom="onderdelen." + unknown[0], soort="veld", gevonden=", ".join(unknown)))
    return koppeling


def controleer_kolommen(koppeling: Koppeling, header: list[str], naam: str) -> None:
    """Every column the mapping names is in the export: otherwise one message with what the export has."""
    missing = [k for k in koppeling.gebruikt() if k not in header and k not in koppeling.datum]
    if missing:
        raise WijkkitInputError([Probleem(naam, "de kolom die wijkkit.toml [schouw] noemt; de export heeft: "
                                          + ", ".join(header[:40]) + (" ..." if len(header) > 40 else ""),
                                          rij=1, kolom=k, gevonden="ontbreekt") for k in missing])


def waarde_niveau(raw: object, schaal: dict[str, str] | None) -> str | None:
    """The level of an answer under a scale ("" for not looked at, None when the scale does not hold it)."""
    if not schaal:
        return niveau(raw)
    text = fold(raw)
    if text in schaal:
        level = schaal[text]
        return "" if level == NIET_BEKEKEN else level
    if text in LEEG:
        return ""
    number = as_number(text)
    numbered = re.match(r"(\d+)\s*[-.:)=]\s*\D", text)  # '1 - heel vies' by its number, when the map has it
    if number is None and numbered:
        number = float(numbered.group(1))
    if number is not None:  # '3.0' in one export, '3' in the mapping
        for key, level in schaal.items():
            if as_number(key) == number:
                return "" if level == NIET_BEKEKEN else level
    return None


def as_number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def fold(value: object) -> str:
    """A value as it is compared: whitespace collapsed, case folded."""
    return re.sub(r"\s+", " ", str(value or "")).strip().casefold()
