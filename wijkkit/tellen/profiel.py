"""Wijkprofiel: per gebied and indicator the latest figure with its own year, the change
against the previous available year, and an index against a chosen reference.

Each figure carries its year: when the newest file has '.' for an indicator, the
previous year's value is shown *as that year*, never silently mixed in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from wijkkit.codebook import load_codebook
from wijkkit.errors import Probleem, WijkkitInputError
from wijkkit.tellen import schema
from wijkkit.tellen.catalogus import Catalogus, load_catalogus

BAND_LIMITS = (80.0, 95.0, 105.0, 120.0)  # index boundaries between the five bands
BAND_WORDS = {-2: "veel ongunstiger dan", -1: "ongunstiger dan", 0: "rond",
              1: "gunstiger dan", 2: "veel gunstiger dan"}
NEUTRAL_WORDS = {-2: "veel lager dan", -1: "lager dan", 0: "rond", 1: "hoger dan", 2: "veel hoger dan"}
# Colour-blind safe diverging palette (ColorBrewer RdBu): red = less favourable, blue = more (see charts.py).
BAND_COLOURS = {-2: "#B2182B", -1: "#F4A582", 0: "#F0F0F0", 1: "#92C5DE", 2: "#2166AC"}
NEUTRAL_COLOUR = "#6F6F6F"
BOUNDARY_CHANGED = 3  # KWB ind_wbi: 1 comparable, 2 new code same boundary, 3 boundary changed


@dataclass(frozen=True)
class Referentie:
    """What index 100 means: the gemeente, the gemeente in a base year, comparison gebieden or a target."""

    soort: Literal["gemeente", "basisjaar", "gebieden", "doel"] = "gemeente"
    jaar: int | None = None
    gebieden: tuple[str, ...] = ()
    doelen: dict = field(default_factory=dict, hash=False)

    @classmethod
    def gemeente(cls) -> "Referentie":
        return cls("gemeente")

    @classmethod
    def basisjaar(cls, jaar: int) -> "Referentie":
        return cls("basisjaar", jaar=int(jaar))

    @classmethod
    def vergelijk(cls, gebieden) -> "Referentie":
        return cls("gebieden", gebieden=tuple(gebieden))

    @classmethod
    def doel(cls, doelen: dict) -> "Referentie":
        return cls("doel", doelen=dict(doelen))

    @classmethod
    def parse(cls, text: str) -> "Referentie":
        """From the CLI: gemeente | basisjaar:2020 | gebieden:WK034401,WK034402 | nederland."""
        soort, _, rest = text.partition(":")
        if soort == "gemeente" and not rest:
            return cls.gemeente()
        if soort == "nederland" and not rest:  # the national row of a national file
            return cls.vergelijk(["NL00"])
        if soort == "basisjaar" and rest.isdigit():
            return cls.basisjaar(int(rest))
        if soort == "gebieden" and rest:
            return cls.vergelijk(c.strip() for c in rest.split(","))
        raise WijkkitInputError(Probleem(
            "--referentie", "gemeente, basisjaar:JAAR, gebieden:CODE,CODE of nederland", gevonden=text))

    @property
    def noun(self) -> str:
        return {"gemeente": "gemiddeld", "gebieden": "gemiddeld",
                "basisjaar": f"de gemeente in {self.jaar}", "doel": "het doel"}[self.soort]

    def label(self, gemeente_naam: str = "") -> str:
        if self.soort == "gemeente":
            return f"gemeente {gemeente_naam}".strip() + " = 100"
        if self.soort == "basisjaar":
            return f"gemeente {gemeente_naam} in {self.jaar} = 100".replace("  ", " ")
        if self.soort == "gebieden" and self.gebieden == ("NL00",):
            return "Nederland = 100"
        if self.soort == "gebieden":
            return f"gemiddelde van {len(self.gebieden)} vergelijkingsgebieden = 100"
        return "doelwaarde = 100"


PROFIEL_COLUMNS = ["gebied_code", "gebied_naam", "niveau", "domein", "domein_label", "indicator",
                   "label", "eenheid", "richting", "waarde", "jaar", "status", "vorige_waarde",
                   "vorige_jaar", "verandering", "vergelijkbaar", "referentie_waarde",
                   "referentie_jaar", "index", "band", "band_code", "toelichting", "bron"]


def wijkprofiel(df: pd.DataFrame, gebied: str | list[str], *, referentie: Referentie | None = None,
                catalogus: Catalogus | None = None, indicatoren: list[str] | None = None,
                tot_jaar: int | None = None) -> pd.DataFrame:
    """Profile table for one gebied (or several), one row per catalogue indicator present."""
    referentie = referentie or Referentie.gemeente()
    catalogus = catalogus or load_catalogus()
    gebieden = [gebied] if isinstance(gebied, str) else list(gebied)
    known_codes = set(df["gebied_code"].cat.categories)
    unknown = [g for g in gebieden if g not in known_codes]
    if unknown:
        import difflib

        codes = [str(c) for c in df["gebied_code"].cat.categories]
        close = difflib.get_close_matches(unknown[0].upper(), codes, n=3)
        hint = f"; bedoel je {' of '.join(close)}?" if close else ""
        raise WijkkitInputError(Probleem(
            "--gebied", "een gebied dat in de ingelezen cijfers staat (alle codes en namen: 'wijkkit tellen cijfers "
            f"--gebieden'){hint}", gevonden=", ".join(unknown), plek="optie"))
    known = catalogus.to_frame().set_index("indicator")
    shown = known.index[~known["hulp"]] if indicatoren is None else indicatoren
    wanted = [i for i in shown if i in known.index]
    if indicatoren is None:  # every column of the files is accounted for: what the catalogue lacks is 'overig'
        extra = overige_indicatoren(df, catalogus)
        if len(extra):
            known = pd.concat([known, extra])
            wanted += list(extra.index)
    data = df[df["indicator"].isin(wanted)]
    if tot_jaar is not None:
        data = data[data["jaar"] <= tot_jaar]
    own = _observed(data[data["gebied_code"].isin(gebieden)])
    if own.empty:
        return pd.DataFrame(columns=PROFIEL_COLUMNS)

    ok = own[own["status"] == "ok"].sort_values("jaar")
    latest = ok.groupby(["gebied_code", "indicator"]).tail(1)
    earlier = ok.drop(latest.index).groupby(["gebied_code", "indicator"]).tail(1)
    # each indicator's own newest row: a two-yearly survey is not 'missing' in the odd years
    newest = own.sort_values("jaar").groupby(["gebied_code", "indicator"]).tail(1)

    table = newest[["gebied_code", "gebied_naam", "niveau", "gemeente_code", "indicator", "status", "bron", "jaar"]]
    table = table.rename(columns={"status": "status_nieuwste", "bron": "bron_nieuwste", "jaar": "nieuwste_jaar"})
    table = table.merge(latest[["gebied_code", "indicator", "waarde", "jaar", "bron"]],
                        on=["gebied_code", "indicator"], how="left")
    table = table.merge(earlier[["gebied_code", "indicator", "waarde", "jaar"]].rename(
        columns={"waarde": "vorige_waarde", "jaar": "vorige_jaar"}), on=["gebied_code", "indicator"], how="left")
    table["nieuwste_jaar"] = table["nieuwste_jaar"].astype(int)
    table["status"] = np.where(table["waarde"].notna(), "ok", table["status_nieuwste"])
    table["bron"] = table["bron"].fillna(table["bron_nieuwste"])

    breaks = _boundary_breaks(own)
    table["vergelijkbaar"] = [
        not any(y for y in breaks.get(g, ()) if pd.notna(v) and pd.notna(j) and v < y <= j)
        for g, v, j in zip(table["gebied_code"], table["vorige_jaar"], table["jaar"])]
    table["verandering"] = np.where(table["vergelijkbaar"], table["waarde"] - table["vorige_waarde"], np.nan)

    table = _add_reference(table, data, referentie)
    meta = known.loc[table["indicator"]]
    for column in ("label", "eenheid", "richting", "domein", "toelichting", "absoluut"):
        table[column] = meta[column].to_numpy()
    if referentie.soort != "doel":  # a buurt's count against a city's count says nothing
        table.loc[table["absoluut"].astype(bool), ["referentie_waarde", "referentie_jaar"]] = np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        ref = table["referentie_waarde"].where(table["referentie_waarde"] > 0)
        table["index"] = table["waarde"] / ref * 100
    codebook = load_codebook()
    table["domein_label"] = [OVERIG_LABEL if d == OVERIG else codebook.label(d) for d in table["domein"]]
    table["band_code"] = [band_code(i, r) for i, r in zip(table["index"], table["richting"])]
    table["band"] = [band_label(c, r, referentie) for c, r in zip(table["band_code"], table["richting"])]
    table["toelichting"] = [_note(row, breaks) for row in table.itertuples()]
    order = {t: k for k, t in enumerate(codebook.theme_ids)}
    table["_dom"] = table["domein"].map(order)
    table["_ind"] = table["indicator"].map({i: k for k, i in enumerate(known.index)})
    table = table.sort_values(["gebied_code", "_dom", "_ind"]).reset_index(drop=True)
    for column in ("jaar", "vorige_jaar", "referentie_jaar"):
        table[column] = table[column].astype("Int64")
    return table[PROFIEL_COLUMNS]


OVERIG = "overig"
OVERIG_LABEL = "Overige cijfers"


def overige_indicatoren(df: pd.DataFrame, catalogus: Catalogus) -> pd.DataFrame:
    """The figures in the files that the catalogue does not know, as catalogue rows (domain ``overig``): the
    StatLine title (its last part) as label, the file's unit, no direction. A count ('aantal') is absolute."""
    helpers = {n for i in catalogus.indicatoren if i.berekening for n in (i.berekening.teller, *i.berekening.noemers)}
    present = [str(i) for i in df["indicator"].cat.categories if str(i) not in catalogus and str(i) not in helpers]
    if not present:
        return pd.DataFrame(columns=["label", "eenheid", "richting", "domein", "toelichting", "absoluut", "hulp"])
    units = (df[df["indicator"].isin(present)].drop_duplicates("indicator")
             .astype({"indicator": str, "eenheid": str}).set_index("indicator")["eenheid"])
    rows = []
    for ident in present:
        eenheid = units.get(ident, "")
        rows.append({"indicator": ident, "label": " / ".join(p.strip() for p in ident.split("/")), "eenheid": eenheid,
                     "richting": "neutraal", "domein": OVERIG, "absoluut": eenheid.casefold() == "aantal",
                     "hulp": False, "afgeleid": False,
                     "toelichting": "niet in de indicatorcatalogus: met één regel in indicatoren.yml krijgt dit cijfer "
                                    "een thema en een richting (statline: [\"" + ident + "\"])"})
    return pd.DataFrame(rows).set_index("indicator")


def band_code(index: float, richting: str) -> float:
    """-2..2 (negative = less favourable); for neutral indicators the sign means lower/higher."""
    if pd.isna(index):
        return np.nan
    position = int(np.searchsorted(BAND_LIMITS, index, side="left")) - 2
    if index == BAND_LIMITS[2]:  # exactly 105 still counts as 'rond'
        position = 0
    return float(-position if richting == "lager_beter" else position)


def band_label(code: float, richting: str, referentie: Referentie) -> str:
    if pd.isna(code):
        return "geen vergelijking mogelijk"
    words = NEUTRAL_WORDS if richting == "neutraal" else BAND_WORDS
    return f"{words[int(code)]} {referentie.noun}"


def band_colour(code: float, richting: str) -> str:
    if richting == "neutraal" or pd.isna(code):
        return NEUTRAL_COLOUR
    return BAND_COLOURS[int(code)]


def trend(df: pd.DataFrame, gebieden: list[str], indicatoren: list[str], *,
          catalogus: Catalogus | None = None, met_gemeente: bool = True) -> pd.DataFrame:
    """Values over the years per gebied, with a ``segment`` that restarts after a boundary change."""
    catalogus = catalogus or load_catalogus()
    codes = list(gebieden)
    if met_gemeente:
        codes += sorted({schema.gemeente_of(g) for g in gebieden} - set(codes))
    data = _observed(df[df["gebied_code"].isin(codes) & df["indicator"].isin(indicatoren)])
    data = data.sort_values(["gebied_code", "indicator", "jaar"]).copy()
    data["grenswijziging"] = data["ind_wbi"].fillna(1).astype(int).eq(BOUNDARY_CHANGED)
    data["segment"] = data.groupby(["gebied_code", "indicator"])["grenswijziging"].cumsum()
    labels = {i.id: i.label for i in catalogus.indicatoren}
    data["label"] = data["indicator"].map(lambda i: labels.get(i, i))
    return data.reset_index(drop=True)


def _observed(df: pd.DataFrame) -> pd.DataFrame:
    """Plain object columns for small frames: categoricals make merges and groupbys awkward."""
    out = df.copy()
    for column in ("gebied_code", "gebied_naam", "niveau", "gemeente_code", "indicator", "status",
                   "eenheid", "bron"):
        out[column] = out[column].astype(object)
    return out


def _boundary_breaks(own: pd.DataFrame) -> dict[str, set[int]]:
    changed = own[own["ind_wbi"].fillna(1).astype(int) == BOUNDARY_CHANGED]
    return changed.groupby("gebied_code")["jaar"].apply(lambda s: set(int(y) for y in s)).to_dict()


def _add_reference(table: pd.DataFrame, data: pd.DataFrame, referentie: Referentie) -> pd.DataFrame:
    ok = data[data["status"] == "ok"]
    lookup = {(str(g), int(j), str(i)): w for g, j, i, w in
              zip(ok["gebied_code"], ok["jaar"], ok["indicator"], ok["waarde"])}
    refs, years = [], []
    for row in table.itertuples():
        jaar = None if pd.isna(row.jaar) else int(row.jaar)
        if referentie.soort == "gemeente":
            ref_year = jaar
            ref = lookup.get((row.gemeente_code, jaar, row.indicator), np.nan) if jaar else np.nan
        elif referentie.soort == "basisjaar":
            ref_year = referentie.jaar
            ref = lookup.get((row.gemeente_code, referentie.jaar, row.indicator), np.nan)
        elif referentie.soort == "gebieden":
            ref_year = jaar
            found = [lookup.get((g, jaar, row.indicator)) for g in referentie.gebieden]
            found = [v for v in found if v is not None]
            ref = float(np.mean(found)) if found and jaar else np.nan
        else:
            ref_year = None
            ref = referentie.doelen.get(row.indicator, np.nan)
        refs.append(ref)
        years.append(ref_year if pd.notna(ref) else None)
    table["referentie_waarde"] = refs
    table["referentie_jaar"] = pd.array(years, dtype="Int64")
    return table


def _note(row, breaks: dict) -> str:
    notes = []
    if pd.isna(row.waarde):
        notes.append(f"Geen cijfer: {schema.STATUS.get(row.status, row.status)}.")
    elif row.jaar < row.nieuwste_jaar:
        notes.append(f"Nieuwste cijfer is uit {int(row.jaar)}; {row.nieuwste_jaar} nog niet beschikbaar.")
    if not row.vergelijkbaar:
        jaren = sorted(y for y in breaks.get(row.gebied_code, ()) if row.vorige_jaar < y <= row.jaar)
        notes.append(f"Grens gewijzigd in {jaren[0]}: niet vergelijkbaar met {int(row.vorige_jaar)}.")
    if pd.notna(row.waarde) and row.absoluut and pd.isna(row.referentie_waarde):
        notes.append("Absoluut aantal: geen index ten opzichte van een groter gebied.")
    elif pd.notna(row.waarde) and pd.isna(row.referentie_waarde):
        notes.append("Geen referentiewaarde voor dit jaar.")
    if row.toelichting:
        notes.append(row.toelichting)
    return " ".join(notes)
