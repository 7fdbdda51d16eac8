"""Gebied codes for a StatLine download that has only names ("Wijken en buurten" without "Codering").

CBS's StatLine lets a user leave out the region codes. The file still says enough to give them back:

- a gemeente row carries the gemeente's name; its code comes from the gemeente list shipped with wijkkit
  (``wijkkit/data/gemeenten.csv``, CBS, with the years it was checked for), the project's own gemeente, or
  the boundary file's ``gemeentecode``/``gemeentenaam``;
- a wijk row is named ``Wijk 03 Overvecht``: the wijk number is the last two characters of its code;
- buurt rows follow their wijk; a buurt's code is the one buurt of that wijk in the boundary file (the
  project's buurtkaart) with the same name.

Nothing is guessed: a name that fits no code, or more than one, is left out and listed by name in one Dutch
message, with the reason. Matching compares names loosely (case, spacing, quotes, "(gemeente)").
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import numpy as np

from wijkkit.tellen import schema

WIJK_NAAM = re.compile(r"^Wijk\s+(?P<nummer>[0-9A-Z]{2})(?:\s+(?P<rest>.*))?$")
SOORT_COLUMNS = ("Regioaanduiding/Soort regio (omschrijving)", "Soort regio (omschrijving)", "Soort regio")
GEMEENTENAAM_COLUMNS = ("Regioaanduiding/Gemeentenaam (naam)", "Gemeentenaam (naam)", "Gemeentenaam")
SOORT = {"land": "land", "gemeente": "gemeente", "wijk": "wijk", "buurt": "buurt"}
MAX_GENOEMD = 40  # names listed in the message; the rest are counted


def loose(name: str) -> str:
    """A name compared loosely: case, spacing, curly quotes and StatLine's "(gemeente)" do not count."""
    text = str(name).replace("\u2019", "'").replace("\u2018", "'").casefold()
    text = re.sub(r"\s*\(gemeente\)\s*$", "", text)
    return re.sub(r"\s+", " ", text).strip()


@cache
def _shipped() -> tuple[tuple[str, str, str], ...]:
    """(code, naam, jaren) rows of the gemeente list shipped with wijkkit."""
    path = resources.files("wijkkit") / "data" / "gemeenten.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [line for line in handle if not line.startswith("#")]
    return tuple((r["code"], r["naam"], r["jaren"]) for r in csv.DictReader(rows, delimiter=";"))


def shipped_gemeenten(jaar: int | None = None) -> dict[str, str]:
    """code -> naam of the shipped gemeenten known in ``jaar`` (every year it was checked for when None)."""
    out = {}
    for code, naam, jaren in _shipped():
        years = _years(jaren)
        if jaar is None or jaar in years:
            out[code] = naam
    return out


def _years(text: str) -> set[int]:
    years: set[int] = set()
    for part in text.split(","):
        start, _, end = part.strip().partition("-")
        years.update(range(int(start), int(end or start) + 1))
    return years


@dataclass
class Naamgeving:
    """What is known about codes by name: gemeenten (code -> naam) and wijken/buurten (code -> naam).

    ``gemeente`` is the project's own gemeente: a download of one gemeente whose name is nowhere in the
    lists is that gemeente (the project says so), never another.
    """

    gemeenten: Mapping[str, str] = field(default_factory=dict)
    gebieden: Mapping[str, str] = field(default_factory=dict)
    gemeente: str = ""
    bron: str = ""  # where ``gebieden`` came from, for the message (the boundary file's name)

    @classmethod
    def voor(cls, jaar: int | None = None, *, gemeenten: Mapping[str, str] | None = None,
             gebieden: Mapping[str, str] | None = None, gemeente: str = "", bron: str = "") -> "Naamgeving":
        """The shipped gemeente list plus what the project brings (its own lists win). A gemeente's code belongs to
        its name (CBS), so a name checked in one year gives the code in every year the gemeente exists."""
        known = dict(shipped_gemeenten())
        known.update(gemeenten or {})
        return cls(known, dict(gebieden or {}), gemeente, bron)

    def sleutel(self) -> str:
        """A fingerprint for the cache key: other lists may give other codes."""
        import hashlib

        text = repr((sorted(self.gemeenten.items()), sorted(self.gebieden.items()), self.gemeente))
        return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


@dataclass
class Herleiding:
    """Codes given back to a names-only file: ``codes`` ('' where none), ``gemist`` (row, naam, reden)."""

    codes: list[str]
    gemist: list[tuple[int, str, str]]

    @property
    def keep(self) -> np.ndarray:
        return np.array([bool(c) for c in self.codes], dtype=bool)

    def melding(self, bestand: str, first_row: int = 2) -> str | None:
        """One Dutch message naming every row left out (the first :data:`MAX_GENOEMD` by name), or None."""
        if not self.gemist:
            return None
        genoemd = "; ".join(f"rij {rij + first_row} '{naam}' ({reden})"
                            for rij, naam, reden in self.gemist[:MAX_GENOEMD])
        meer = f"; en nog {len(self.gemist) - MAX_GENOEMD} andere" if len(self.gemist) > MAX_GENOEMD else ""
        return (f"{bestand}: dit StatLine-bestand heeft alleen namen; wijkkit gaf {sum(map(bool, self.codes))} "
                f"gebieden hun CBS-code terug, {len(self.gemist)} rijen niet (niet ingelezen, niet geraden): "
                f"{genoemd}{meer}. Zet de buurtkaart van CBS/PDOK in data/ (met buurtcode en buurtnaam) of "
                f"download het bestand opnieuw met 'Codering' bij Regioaanduiding.")


def herleid(namen: Iterable[str], naamgeving: Naamgeving, *, soorten: Iterable[str] | None = None,
            gemeentenamen: Iterable[str] | None = None) -> Herleiding:
    """Give each row of a names-only file its CBS code, walking the rows in file order (wijk under gemeente,
    buurt under wijk). ``soorten``: the "Soort regio" column (Land/Gemeente/Wijk/Buurt) where the file has it;
    ``gemeentenamen``: the "Gemeentenaam" column."""
    namen = [str(n).strip() for n in namen]
    soorten = [str(s).strip().casefold() for s in soorten] if soorten is not None else None
    gm_namen = [str(g).strip() for g in gemeentenamen] if gemeentenamen is not None else None
    by_gemeente = _index(naamgeving.gemeenten.items())
    codes: list[str] = []
    gemist: list[tuple[int, str, str]] = []
    gm = wijk = ""
    gm_reden = wijk_reden = ""  # why the rows under an unknown gemeente or wijk have no code
    seen: dict[str, int] = {}
    n_gemeenten = (sum(s == "gemeente" for s in soorten) if soorten is not None
                   else len({g for g in gm_namen if g}) if gm_namen is not None else 1)
    buurten = _buurten_per_wijk(naamgeving.gebieden)
    wijken = _wijken_per_gemeente(naamgeving.gebieden)

    def miss(i: int, reden: str) -> None:
        codes.append("")
        gemist.append((i, namen[i], reden))

    for i, naam in enumerate(namen):
        soort = _soort(i, naam, soorten, gm_namen, gm)
        code = ""
        if soort == "land":
            code = "NL00" if loose(naam) in ("nederland", "") else ""
            if not code:
                miss(i, "onbekend land")
                continue
        elif soort == "gemeente":
            gm, gm_reden, wijk = _gemeente(naam, by_gemeente, naamgeving, n_gemeenten), "", ""
            if gm.startswith("!"):
                gm_reden, gm = gm[1:], ""
                miss(i, gm_reden)
                continue
            code = gm
        elif soort == "wijk":
            if not gm:
                wijk, wijk_reden = "", gm_reden or "geen gemeente erboven"
                miss(i, wijk_reden)
                continue
            match = WIJK_NAAM.match(naam)
            if match:
                wijk, wijk_reden = "WK" + gm[2:6] + match["nummer"], ""
            else:
                found = wijken.get(gm, {}).get(loose(naam), [])
                wijk, wijk_reden = (found[0], "") if len(found) == 1 else (
                    "", "meer wijken met deze naam" if found else "wijknaam zonder nummer, niet in de buurtkaart")
                if not wijk:
                    miss(i, wijk_reden)
                    continue
            code = wijk
        else:  # buurt
            if not wijk:
                miss(i, wijk_reden or gm_reden or "geen wijk erboven")
                continue
            found = buurten.get(wijk, {}).get(loose(naam), [])
            if len(found) != 1:
                miss(i, "meer buurten met deze naam in de wijk" if found else
                     ("niet in de buurtkaart" if wijk in buurten else
                      "buurtkaart ontbreekt voor deze wijk" if buurten else "geen buurtkaart"))
                continue
            code = found[0]
        if code in seen:
            miss(i, f"dezelfde code als rij {seen[code] + 2} ({code})")
            continue
        seen[code] = i
        codes.append(code)
    return Herleiding(codes, gemist)


def _soort(i: int, naam: str, soorten, gm_namen, gm: str) -> str:
    if soorten is not None and soorten[i] in SOORT:
        return SOORT[soorten[i]]
    if loose(naam) == "nederland":
        return "land"
    if WIJK_NAAM.match(naam):
        return "wijk"
    if gm_namen is not None and gm_namen[i] and loose(gm_namen[i]) == loose(naam) and (
            i == 0 or gm_namen[i - 1] != gm_namen[i]):
        return "gemeente"  # the first row of its gemeente's block, named as the gemeente
    if gm_namen is None and not gm:
        return "gemeente"  # a gemeente-only download opens with the gemeente itself
    return "buurt"


def _gemeente(naam: str, by_gemeente: dict[str, list[str]], naamgeving: Naamgeving, n_gemeenten: int) -> str:
    """The gemeente's code, or '!reden'."""
    found = by_gemeente.get(loose(naam), [])
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        return "!meer gemeenten met deze naam: " + ", ".join(sorted(found))
    if naamgeving.gemeente and n_gemeenten == 1:
        return naamgeving.gemeente  # a download of one gemeente: the project's own, as wijkkit.toml says
    return "!gemeentenaam niet in de gemeentelijst van wijkkit of de buurtkaart"


def _index(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for code, naam in pairs:
        out.setdefault(loose(naam), []).append(code)
    return out


def _per_ouder(gebieden: Mapping[str, str], niveau: str, ouder) -> dict[str, dict[str, list[str]]]:
    """Codes of one niveau by their parent's code and loose name (buurten per wijk, wijken per gemeente)."""
    out: dict[str, dict[str, list[str]]] = {}
    for code, naam in gebieden.items():
        if schema.niveau_of(code) == niveau:
            out.setdefault(ouder(code), {}).setdefault(loose(naam), []).append(code)
    return out


def _buurten_per_wijk(gebieden: Mapping[str, str]) -> dict[str, dict[str, list[str]]]:
    return _per_ouder(gebieden, "buurt", lambda code: "WK" + code[2:8])


def _wijken_per_gemeente(gebieden: Mapping[str, str]) -> dict[str, dict[str, list[str]]]:
    return _per_ouder(gebieden, "wijk", lambda code: "GM" + code[2:6])
