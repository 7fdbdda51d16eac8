"""The indicator catalogue: what each figure means, its unit, direction and domain.

Readers keep the codes as they appear in the files; :meth:`Catalogus.normalise`
maps year-specific CBS codes and StatLine names onto catalogue ids, and
:meth:`Catalogus.derive` adds derived shares (teller / noemer) per gebied and jaar.
"""

from __future__ import annotations

import re
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from wijkkit.codebook import load_codebook
from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam
from wijkkit.tellen import schema
from wijkkit.yamlfile import load_yaml_model

Richting = Literal["hoger_beter", "lager_beter", "neutraal"]


class Berekening(BaseModel):
    model_config = ConfigDict(extra="forbid")
    teller: str
    noemer: str | list[str]
    factor: float = 1.0

    @property
    def noemers(self) -> list[str]:
        return [self.noemer] if isinstance(self.noemer, str) else list(self.noemer)


class Indicator(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    label: str
    eenheid: str
    richting: Richting
    domein: str
    cbs: dict[int, str] = Field(default_factory=dict)
    kwb: list[str] = Field(default_factory=list)  # other KWB column codes for the same figure, in any year
    statline: list[str] = Field(default_factory=list)
    berekening: Berekening | None = None
    absoluut: bool = False  # counts that grow with the area: no index against a larger area
    hulp: bool = False  # a count that only serves to compute a share: not shown in a profile
    toelichting: str = ""
    # "schouw": counted from the project's straatschouw (wijkkit.kijken), not read from a file; ``onderdeel`` is
    # what the walkers score (the question in the form), for the shares at CROW level B or better
    bron: Literal["", "schouw"] = ""
    onderdeel: str = ""
    schouwkolommen: list[str] = Field(default_factory=list)  # other names of the onderdeel in a team's own form

    @field_validator("domein")
    @classmethod
    def _known_domain(cls, value: str, info: ValidationInfo) -> str:
        themes = (info.context or {}).get("themes")
        if themes and value not in themes:
            raise ValueError("een thema-id uit het codeboek: " + ", ".join(themes))
        return value

    def code_for(self, jaar: int) -> str:
        """The CBS code used for this indicator in a given year."""
        eligible = [start for start in self.cbs if start <= jaar]
        return self.cbs[max(eligible)] if eligible else self.id


class Catalogus(BaseModel):
    model_config = ConfigDict(extra="forbid")
    indicatoren: list[Indicator]

    @model_validator(mode="after")
    def _unique(self) -> "Catalogus":
        ids = [i.id for i in self.indicatoren]
        doubles = sorted({i for i in ids if ids.count(i) > 1})
        if doubles:
            raise ValueError(f"unieke indicator-ids (dubbel: {', '.join(doubles)})")
        aliases = [code for i in self.indicatoren for code in i.kwb]
        clash = sorted({c for c in aliases if aliases.count(c) > 1 or c in ids})
        if clash:
            raise ValueError(f"KWB-codes in 'kwb' die bij één indicator horen (dubbel: {', '.join(clash)})")
        return self

    def __getitem__(self, indicator_id: str) -> Indicator:
        for ind in self.indicatoren:
            if ind.id == indicator_id:
                return ind
        raise KeyError(indicator_id)

    def __contains__(self, indicator_id: str) -> bool:
        return indicator_id in self._ids

    @cached_property
    def _ids(self) -> frozenset[str]:
        return frozenset(i.id for i in self.indicatoren)

    @cached_property
    def _aliases(self) -> list[tuple[str, str]]:
        """(loose StatLine title, id), longest title first."""
        return sorted(((_title(a), ind.id) for ind in self.indicatoren for a in ind.statline),
                      key=lambda pair: -len(pair[0]))

    @cached_property
    def _matched(self) -> dict[str, str | None]:
        return {}  # StatLine title -> id (or None): every national file repeats the same hundred titles

    def to_frame(self) -> pd.DataFrame:
        rows = [{"indicator": i.id, "label": i.label, "eenheid": i.eenheid, "richting": i.richting,
                 "domein": i.domein, "afgeleid": i.berekening is not None, "absoluut": i.absoluut, "hulp": i.hulp,
                 "toelichting": i.toelichting}
                for i in self.indicatoren]
        return pd.DataFrame(rows)

    def extend(self, other: "Catalogus") -> "Catalogus":
        """A new catalogue where ``other``'s entries add to or replace ours by id."""
        merged = {i.id: i for i in self.indicatoren}
        merged.update({i.id: i for i in other.indicatoren})
        return Catalogus(indicatoren=list(merged.values()))

    # ------------------------------------------------------------------ data
    def normalise(self, df: pd.DataFrame) -> pd.DataFrame:
        """Rename file codes to catalogue ids (per year for CBS codes, by title for StatLine).

        A StatLine title matches an alias when it is the alias or ends with it after a '/'
        ("Gezondheid en welzijn/Huisartsenpraktijk/Afstand tot huisartsenpraktijk" matches
        "Afstand tot huisartsenpraktijk"), ignoring case and spacing; the longest alias wins.
        """
        categories = list(df["indicator"].cat.categories)
        codes = df["indicator"].cat.codes.to_numpy().copy()
        jaar = df["jaar"].to_numpy()
        changed = False

        def position(name: str) -> int:
            if name not in categories:
                categories.append(name)
            return categories.index(name)

        # renames that hold in every year go through one lookup table over the categories
        renames = dict(self._statline_matches([c for c in categories if c not in self]))
        for ind in self.indicatoren:
            # CBS renamed some columns between releases, even within a year (a_opl_lg became a_opl_bvm)
            renames.update({code: ind.id for code in ind.kwb if code in categories})
        if renames:
            lookup = np.arange(len(categories) + len(renames), dtype=np.int32)
            for name, ident in renames.items():
                lookup[categories.index(name)] = position(ident)
            codes = lookup[codes]
            changed = True
        for ind in self.indicatoren:
            starts = sorted(ind.cbs)
            for k, start in enumerate(starts):
                code = ind.cbs[start]
                if code == ind.id or code not in categories:
                    continue
                end = starts[k + 1] if k + 1 < len(starts) else 10_000
                mask = (codes == categories.index(code)) & (jaar >= start) & (jaar < end)
                codes[mask] = position(ind.id)
                changed = True
        if not changed:
            return df
        out = df.copy(deep=False)
        # drop the renamed codes from the categories: a bincount, not a unique over millions of rows
        used = np.flatnonzero(np.bincount(codes, minlength=len(categories)))
        remap = np.full(len(categories), -1, dtype=np.int32)
        remap[used] = np.arange(len(used))
        out["indicator"] = pd.Categorical.from_codes(remap[codes], categories=[categories[i] for i in used])
        return out

    def _statline_matches(self, names: list[str]) -> dict[str, str]:
        """StatLine title -> catalogue id, by the longest alias the title ends with."""
        for name in names:
            if name not in self._matched:
                title = _title(name)
                self._matched[name] = next((ident for alias, ident in self._aliases
                                            if title == alias or title.endswith("/" + alias)), None)
        return {name: self._matched[name] for name in names if self._matched[name] is not None}

    def derive(self, df: pd.DataFrame) -> pd.DataFrame:
        """Add rows for derived indicators; a missing teller or noemer keeps its status.

        Works on integer keys (gebied x jaar) so a national file stays fast.
        """
        present = set(df["indicator"].cat.categories)
        derived = [i for i in self.indicatoren if i.berekening is not None and i.id not in present
                   and {i.berekening.teller, *i.berekening.noemers} <= present]
        if not derived or df.empty:
            return df
        ind_codes = df["indicator"].cat.codes.to_numpy()
        categories = list(df["indicator"].cat.categories)
        key = df["gebied_code"].cat.codes.to_numpy().astype(np.int64) * 10_000 + df["jaar"].to_numpy()
        waarde = df["waarde"].to_numpy()
        status = df["status"].cat.codes.to_numpy()
        positions: dict[str, np.ndarray] = {}

        def rows_of(name: str) -> np.ndarray:
            if name not in positions:
                positions[name] = np.flatnonzero(ind_codes == categories.index(name))
            return positions[name]

        blocks = []
        for ind in derived:
            calc = ind.berekening
            base = rows_of(calc.teller)  # one row per gebied x jaar that has the teller
            order = pd.Index(key[base])
            total = np.zeros(len(base))
            worst = status[base].astype(np.int8).copy()
            for name in calc.noemers:
                rows = rows_of(name)
                where = pd.Index(key[rows]).get_indexer(order)
                found = where >= 0
                part = np.where(found, waarde[rows][where], np.nan)
                total = total + part
                part_status = np.where(found, status[rows][where], STATUS_ONBEKEND)
                worst = np.maximum(worst, part_status.astype(np.int8))
            with np.errstate(divide="ignore", invalid="ignore"):
                value = np.where((worst == 0) & (total != 0), waarde[base] / total * calc.factor, np.nan)
            worst = np.where((worst == 0) & np.isnan(value), STATUS_ONBEKEND, worst).astype(np.int8)
            block = df.iloc[base].copy()
            block["waarde"] = value
            block["status"] = pd.Categorical.from_codes(worst, categories=schema.STATUS_CODES)
            block["indicator"] = pd.Categorical([ind.id] * len(block))
            block["eenheid"] = pd.Categorical([ind.eenheid] * len(block))
            blocks.append(block)
        return concat_tables([df, *blocks])


STATUS_ONBEKEND = schema.STATUS_CODES.index("onbekend")


def _title(text: str) -> str:
    """A StatLine title compared loosely: lower case, single spaces, no spaces around '/'."""
    return re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", text.casefold())).strip()


def concat_tables(tables: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate tidy tables, uniting categories instead of falling back to object."""
    tables = [t for t in tables if len(t)]
    if not tables:
        return schema.empty_table()
    if len(tables) == 1:
        return tables[0]
    columns = {}
    for column in schema.COLUMNS:
        if column in schema.CATEGORICAL:
            columns[column] = pd.api.types.union_categoricals(
                [pd.Categorical(t[column]) for t in tables], ignore_order=True)
        else:
            columns[column] = pd.concat([t[column] for t in tables], ignore_index=True)
    return schema.finalize(columns)


def default_catalogus_path() -> Path:
    return Path(str(resources.files("wijkkit") / "data" / "indicatoren.yml"))


def load_catalogus(path: str | Path | None = None, *, codebook: str | Path | None = None,
                   extend_default: bool = True) -> Catalogus:
    """Load the built-in catalogue, optionally extended by a project's own YAML file."""
    themes = load_codebook(codebook).theme_ids
    base = load_yaml_model(default_catalogus_path(), Catalogus, {"themes": themes})
    if path is None:
        return base
    own = load_yaml_model(path, Catalogus, {"themes": themes})
    if not extend_default:
        return own
    try:
        return base.extend(own)
    except ValidationError as exc:  # the own file clashes with the built-in catalogue
        reden = "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
        raise WijkkitInputError(Probleem(bestandsnaam(path), reden + ", ook samen met de ingebouwde catalogus"
                                         )) from exc
