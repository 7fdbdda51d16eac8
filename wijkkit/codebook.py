"""The codebook: themes with fixed ids, Dutch labels, definitions and match terms."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from wijkkit.yamlfile import load_yaml_model

DEFAULT_THEME_IDS = (
    "schoon_heel", "openbare_ruimte", "veiligheid", "wonen", "sociale_samenhang",
    "armoede_schulden", "werk_economie", "onderwijs_jeugd", "gezondheid_zorg",
    "vertrouwen_participatie", "voorzieningen", "identiteit_cultuur",
)
ID_PATTERN = re.compile(r"^[^\W\d_][\w]*$")  # letters (also é, ö, ç), digits and _; lower case
HEX = re.compile(r"^#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})$")
# Colours people write by name in a codebook; REFI-QDA (and every QDA tool) wants #RRGGBB.
KLEUREN = {"rood": "#D55E00", "oranje": "#E69F00", "geel": "#F0E442", "groen": "#009E73", "blauw": "#0072B2",
           "lichtblauw": "#56B4E9", "paars": "#CC79A7", "roze": "#FFAABB", "bruin": "#8C510A", "grijs": "#999999",
           "zwart": "#000000", "wit": "#FFFFFF", "red": "#D55E00", "orange": "#E69F00", "yellow": "#F0E442",
           "green": "#009E73", "blue": "#0072B2", "purple": "#CC79A7", "pink": "#FFAABB", "brown": "#8C510A",
           "grey": "#999999", "gray": "#999999", "black": "#000000", "white": "#FFFFFF"}


def normalise_colour(value: str | None) -> str | None:
    """#RRGGBB in capitals for a hex colour or a colour name; ValueError (in Dutch) otherwise."""
    if value is None or not str(value).strip():
        return None
    text = str(value).strip()
    if text.casefold() in KLEUREN:
        return KLEUREN[text.casefold()]
    if HEX.match(text):
        digits = text[1:]
        if len(digits) == 3:
            digits = "".join(c * 2 for c in digits)
        return "#" + digits.upper()
    raise ValueError("een kleur als #RRGGBB (bv. #0072B2) of een kleurnaam (rood, oranje, geel, groen, blauw, "
                     "paars, roze, bruin, grijs, zwart)")


class Valentie(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    label: str
    definitie: str = ""
    termen: list[str] = Field(default_factory=list)  # words that carry this valence


class Thema(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    label: str
    definitie: str = ""
    wel: str = ""
    niet: str = ""
    termen: list[str] = Field(default_factory=list)
    uitsluiten: list[str] = Field(default_factory=list)  # words that look like a term but are not
    zwak: list[str] = Field(default_factory=list)  # terms that alone are weak evidence ("kinderen" in passing)
    ouder: str | None = None  # parent theme id for sub-codes
    kleur: str | None = None
    groepen: list[str] = Field(default_factory=list)  # code groups (REFI-QDA Sets), e.g. "leefbaarheid"
    codeerbaar: bool = True  # False: a category that only groups sub-codes (REFI-QDA isCodable="false")

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not ID_PATTERN.match(value) or value != value.lower():
            raise ValueError("een id van kleine letters, cijfers en _ (bv. schoon_heel)")
        return value

    @field_validator("kleur")
    @classmethod
    def _colour(cls, value: str | None) -> str | None:
        return normalise_colour(value)


class Codebook(BaseModel):
    model_config = ConfigDict(extra="forbid")
    versie: int = 1
    valentie: list[Valentie] = Field(default_factory=list)
    themas: list[Thema]

    @model_validator(mode="after")
    def _consistent(self) -> "Codebook":
        ids = [t.id for t in self.themas]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"unieke thema-ids (dubbel: {', '.join(doubles)})")
        unknown = [t.ouder for t in self.themas if t.ouder and t.ouder not in ids]
        if unknown:
            raise ValueError(f"een bestaand ouder-thema (onbekend: {', '.join(unknown)})")
        return self

    @property
    def theme_ids(self) -> list[str]:
        return [t.id for t in self.themas]

    def label(self, theme_id: str) -> str:
        return next((t.label for t in self.themas if t.id == theme_id), theme_id)


def default_codebook_path() -> Path:
    return Path(str(resources.files("wijkkit") / "data" / "codebook.yml"))


@lru_cache(maxsize=8)
def _load_cached(path: str, mtime: float) -> Codebook:
    return load_yaml_model(path, Codebook)


def load_codebook(path: str | Path | None = None) -> Codebook:
    path = Path(path) if path else default_codebook_path()
    return _load_cached(str(path), path.stat().st_mtime if path.exists() else 0.0)
