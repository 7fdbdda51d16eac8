"""A national StatLine download of *Kerncijfers wijken en buurten*, written here (fiction, national size).

Shaped like CBS's own export: the country (NL00) first, then every gemeente with its wijken and buurten in
code order; Groningen (GM0014) comes first as in the real file, Amsterdam has letter codes (WK0363AA,
BU0363AA01), Alkmaar (GM0361) and Utrecht (GM0344) are among 342 gemeenten. Two flavours as StatLine
offers them: ``symbolen`` ("CSV met statistische symbolen": padded cells, '.' and 'x', decimal point) and
``gewoon`` (plain "CSV": decimal comma, empty cells). The figures are invented with a fixed seed; what a
test expects is computed from :attr:`Landelijk.rijen`, never copied from wijkkit's output.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

NAMED = {"GM0014": "Groningen", "GM0344": "Utrecht", "GM0361": "Alkmaar", "GM0363": "Amsterdam",
         "GM0599": "Rotterdam", "GM0518": "'s-Gravenhage"}
LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
COUNTS = ["Bevolking/Aantal inwoners (aantal)", "Bevolking/Geslacht/Mannen (aantal)",
          "Bevolking/Geslacht/Vrouwen (aantal)", "Bevolking/Leeftijdsgroepen/0 tot 15 jaar (aantal)",
          "Bevolking/Leeftijdsgroepen/15 tot 25 jaar (aantal)", "Bevolking/Leeftijdsgroepen/25 tot 45 jaar (aantal)",
          "Bevolking/Leeftijdsgroepen/45 tot 65 jaar (aantal)", "Bevolking/Leeftijdsgroepen/65 jaar of ouder (aantal)",
          "Bevolking/Particuliere huishoudens/Huishoudens totaal (aantal)",
          "Bevolking/Particuliere huishoudens/Eenpersoonshuishoudens (aantal)",
          "Bevolking/Particuliere huishoudens/Huishoudens met kinderen (aantal)", "Wonen/Woningvoorraad (aantal)",
          "Sociale zekerheid/Personen per soort uitkering/Bijstand (aantal)",
          "Sociale zekerheid/Personen per soort uitkering/WW (aantal)",
          "Bedrijfsvestigingen/Bedrijfsvestigingen totaal (aantal)"]
SHARES = ["Wonen/Eigendom/Koopwoningen (%)", "Wonen/Eigendom/Huurwoningen totaal (%)",
          "Wonen/Eigendom/In bezit woningcorporatie (%)", "Wonen/Percentage leegstaande woningen (%)",
          "Arbeid/Nettoarbeidsparticipatie (%)",
          "Inkomen/Inkomen van personen/Gemiddeld inkomen per inwoner (x 1 000 euro)",
          "Inkomen/Inkomen van huishoudens/Huishoudens met een laag inkomen (%)",
          "Nabijheid voorzieningen/Afstand tot huisartsenpraktijk (km)",
          "Nabijheid voorzieningen/Afstand tot grote supermarkt (km)"]
# the real table has over a hundred columns; the rest are of the same kind
FILLER = [f"Energie/Gemiddeld energieverbruik/Klasse {k} (%)" for k in range(1, 61)]
HEADER = ["Wijken en buurten", "Regioaanduiding/Gemeentenaam (naam)", "Regioaanduiding/Soort regio (omschrijving)",
          "Regioaanduiding/Codering (code)", "Regioaanduiding/Indelingswijziging wijken en buurten (code)",
          *COUNTS, *SHARES, *FILLER]
SOORT = {"NL": "Land", "GM": "Gemeente", "WK": "Wijk", "BU": "Buurt"}


@dataclass
class Landelijk:
    path: Path
    rijen: list[dict] = field(default_factory=list)  # code, naam, gemeente, and every figure as written (None: missing)

    def rij(self, code: str) -> dict:
        return next(r for r in self.rijen if r["code"] == code)

    def van(self, gemeente: str) -> list[dict]:
        return [r for r in self.rijen if r["gemeente"] == gemeente]

    def gemeenten(self) -> list[str]:
        return [r["code"] for r in self.rijen if r["code"].startswith("GM")]


def _codes(rng: np.random.Generator, gm: str) -> list[str]:
    """A gemeente's wijk and buurt codes: Amsterdam's end in letters, as since 2022."""
    n_wijk = 12 if gm in NAMED else int(rng.integers(6, 14))
    out = []
    for w in range(n_wijk):
        wijk = f"{gm[2:]}{LETTERS[w // 24 % 24]}{LETTERS[w % 24]}" if gm == "GM0363" else f"{gm[2:]}{w:02d}"
        out.append("WK" + wijk)
        out += [f"BU{wijk}{b:02d}" for b in range(int(rng.integers(2, 8)))]
    return out


# names that recur in many gemeenten, as in the real file (every town has a Centrum and a Dorp)
WIJKNAMEN = ["Centrum", "Noord", "Oost", "Zuid", "West", "Dorp", "Buitengebied", "Stad", "Haven", "Park",
             "Kern", "Veld", "Bos", "Heide"]
BUURTNAMEN = ["Centrum", "Dorp", "Kerkbuurt", "Stationsbuurt", "Bedrijventerrein", "Verspreide huizen",
              "Oude Dorp", "Nieuwbouw"]


def build(target: Path, *, jaar: int = 2024, flavour: str = "symbolen", gemeenten: int = 342, seed: int = 24,
          namen_alleen: bool = False) -> Landelijk:
    """``namen_alleen``: the download without "Codering" (names only), with wijk names "Wijk 03 Noord" and buurt
    names that recur across gemeenten and wijken (never twice in one wijk)."""
    rng = np.random.default_rng(seed)
    others = [f"GM{c:04d}" for c in range(1, 2000) if f"GM{c:04d}" not in NAMED]
    codes = sorted({*NAMED, *rng.choice(others, gemeenten - len(NAMED), replace=False)})
    rows: list[dict] = []
    for gm in codes:
        members = _codes(rng, gm)
        naam = NAMED.get(gm, f"Gemeente {gm[2:]}")
        old_share = rng.uniform(0.10, 0.30)  # each gemeente its own share of 65+: an index against another differs
        gm_rows = []
        for code in members:
            row = {"code": code, "gemeente": gm, "gemeentenaam": naam,
                   "naam": (f"Wijk {code[-2:]} {naam}" if code.startswith("WK") else f"Buurt {code[-4:]} {naam}")}
            if namen_alleen:
                position = int(code[-2:]) if code[-2:].isdigit() else LETTERS.index(code[-1])
                row["naam"] = (f"Wijk {code[-2:]} {WIJKNAMEN[position % len(WIJKNAMEN)]}" if code.startswith("WK")
                               else BUURTNAMEN[position % len(BUURTNAMEN)])
            if code.startswith("BU"):
                inw = int(rng.integers(20, 4000))
                figures = {c: None for c in COUNTS}
                figures[COUNTS[0]] = inw
                figures[COUNTS[1]] = inw // 2
                figures[COUNTS[2]] = inw - inw // 2
                young, teen = int(inw * rng.uniform(0.08, 0.22)), int(inw * rng.uniform(0.08, 0.18))
                old = int(inw * old_share * rng.uniform(0.7, 1.3))
                figures[COUNTS[3]], figures[COUNTS[4]], figures[COUNTS[7]] = young, teen, old
                rest = max(0, inw - young - teen - old)
                figures[COUNTS[5]], figures[COUNTS[6]] = rest // 2, rest - rest // 2
                hh = max(1, int(inw / rng.uniform(1.6, 2.6)))
                figures[COUNTS[8]], figures[COUNTS[9]] = hh, int(hh * rng.uniform(0.2, 0.6))
                figures[COUNTS[10]] = int(hh * rng.uniform(0.15, 0.4))
                figures[COUNTS[11]] = int(hh * rng.uniform(0.95, 1.1))
                figures[COUNTS[12]], figures[COUNTS[13]] = int(inw * rng.uniform(0, 0.08)), int(inw * rng.uniform(0, 0.03))
                figures[COUNTS[14]] = int(inw * rng.uniform(0.03, 0.2))
                figures.update(zip(SHARES + FILLER, rng.uniform(1, 95, len(SHARES) + len(FILLER)).round(1).tolist()))
                if inw < 100:  # CBS keeps small buurten's shares secret
                    for share in SHARES:
                        figures[share] = "x"
                if rng.random() < 0.05:
                    figures[SHARES[5]] = "."
                row.update(figures)
            gm_rows.append(row)
        _sum_up(gm_rows)
        gemeente_row = {"code": gm, "gemeente": gm, "gemeentenaam": naam, "naam": naam}
        _aggregate(gemeente_row, [r for r in gm_rows if r["code"].startswith("WK")])
        rows.append(gemeente_row)
        rows += gm_rows
    land = {"code": "NL00", "gemeente": "", "gemeentenaam": "", "naam": "Nederland"}
    _aggregate(land, [r for r in rows if r["code"].startswith("GM")])
    rows.insert(0, land)
    path = Path(target)
    _write(path, rows, flavour, namen_alleen)
    return Landelijk(path, rows)


def _sum_up(rows: list[dict]) -> None:
    """Each wijk row sums (counts) or weighs (shares) the buurten under it."""
    buurten: dict[str, list[dict]] = {}
    for row in rows:
        if row["code"].startswith("BU"):
            buurten.setdefault(row["code"][2:8], []).append(row)
    for wijk in (r for r in rows if r["code"].startswith("WK")):
        _aggregate(wijk, buurten.get(wijk["code"][2:8], []))


def _aggregate(target: dict, parts: list[dict]) -> None:
    for column in COUNTS:
        target[column] = sum(p[column] for p in parts if isinstance(p.get(column), int))
    weight = [p[COUNTS[0]] for p in parts]
    for column in SHARES + FILLER:
        known = [(p[column], w) for p, w in zip(parts, weight) if isinstance(p.get(column), float)]
        total = sum(w for _, w in known)
        target[column] = round(sum(v * w for v, w in known) / total, 1) if total else "."


def _write(path: Path, rows: list[dict], flavour: str, namen_alleen: bool = False) -> None:
    def cell(value) -> str:
        if value is None or value == ".":
            return "       ." if flavour == "symbolen" else ""
        if value == "x":
            return "       x" if flavour == "symbolen" else ""
        text = str(value) if flavour == "symbolen" else str(value).replace(".", ",")
        return f"{text:>10}" if flavour == "symbolen" else text

    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow([h for h in HEADER if not (namen_alleen and "Codering" in h)])
        for row in rows:
            code = row["code"]
            padded = f"{code:<10}" if flavour == "symbolen" else code
            writer.writerow([row["naam"], f"{row['gemeentenaam']:<40}" if flavour == "symbolen" else row["gemeentenaam"],
                             f"{SOORT[code[:2]]:<10}" if flavour == "symbolen" else SOORT[code[:2]],
                             *([] if namen_alleen else [padded]),
                             "1" if code[:2] in ("WK", "BU") else ".",
                             *(cell(row.get(c)) for c in COUNTS + SHARES + FILLER)])
