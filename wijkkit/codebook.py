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
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


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
    ouder: str | None = None  # parent theme id for sub-codes
    kleur: str | None = None

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError("een id van kleine letters, cijfers en _ (bv. schoon_heel)")
        return value


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
