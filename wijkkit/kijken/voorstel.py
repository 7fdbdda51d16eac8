"""A proposed ``[schouw]`` mapping for a foreign export, written as commented TOML for a person to confirm.

``stel_voor`` recognises columns by name and content (photos first, so ``foto_zwerfvuil`` is never the score of
zwerfvuil), answer scales (numeric ranges with the highest the best, goed/matig/slecht and similar words, choice
codes such as ``weakly_weathered`` word by word), the place, date, remark, role and consent, and names every other
column in ``weglaten`` with its reason. ``als_toml`` writes it with ``bevestigd = false``; what it could not place
is ``"?"`` or a commented block, never a silent guess.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from wijkkit.kijken.export import GEOMETRIE, Export, herhaling_kolommen, is_systeem, plat
from wijkkit.kijken.koppeling import DOELEN, ONBEKEND, as_number, fold
from wijkkit.kijken.onderdelen import NIET_BEKEKEN, NIVEAUS, Onderdeel, niveau

# answer words, best first; a choice code is read word by word ('weakly_weathered' -> 'weakly')
WOORDEN = {
    "A+": ("zeer goed", "heel goed", "uitstekend", "zeer hoog", "heel schoon", "zeer schoon", "excellent",
           "very good", "perfect", "prima"),
    "A": ("goed", "good", "hoog", "high", "schoon", "clean", "netjes", "intact", "geen", "none", "no",
          "not", "niets", "nothing", "absent"),
    "B": ("redelijk", "voldoende", "basis", "beetje", "een beetje", "enigszins", "fair", "ok", "oke", "okay",
          "acceptabel", "acceptable", "weinig", "licht", "enkele", "weakly", "slightly", "slight", "little", "few",
          "minor", "low"),
    "C": ("redelijk veel", "matig", "onvoldoende", "laag", "poor", "moderate", "moderately", "some", "medium", "wat",
          "vrij veel", "average"),
    "D": ("zeer slecht", "heel slecht", "heel veel", "zeer veel", "slecht", "flink", "zeer laag", "bad", "very poor",
          "very bad", "veel", "heavily", "heavy", "strongly", "severely", "severe", "ernstig", "vies", "dirty", "kapot",
          "broken", "many", "lots", "high amount", "destroyed"),
    NIET_BEKEKEN: ("nvt", "n.v.t.", "niet van toepassing", "not applicable", "n/a", "na", "niet gezien",
                   "weet niet", "dont know", "don't know", "unknown", "onbekend", "geen idee"),
}
NEGATIE = frozenset({"niet", "not", "geen", "no", "none", "never", "nooit"})
# other words teams use for the default onderdelen (Dutch and English), matched word by word in a column's name
SYNONIEMEN = {
    "zwerfvuil": ("zwerfvuil", "zwerfafval", "afval", "vuil", "schoon", "netheid", "litter", "cleanliness", "trash",
                  "rubbish", "garbage", "waste"),
    "onkruid": ("onkruid", "weeds", "weed"),
    "graffiti": ("graffiti", "plakbiljetten", "bekladding", "tags", "vandalism", "vandalisme"),
    "bestrating": ("bestrating", "verharding", "stoep", "trottoir", "wegdek", "pavement", "paving", "sidewalk",
                   "sidewalks", "surface", "footpath", "tegels"),
    "groen": ("groen", "plantsoen", "beplanting", "gras", "bomen", "greenery", "green", "vegetation", "planting"),
    "meubilair": ("meubilair", "straatmeubilair", "bankjes", "banken", "furniture", "benches", "lantaarnpalen"),
}
NAMEN = {  # what a field tends to be called, folded; matched against the last part of a column's path
    "opmerking": ("opmerking", "opmerkingen", "toelichting", "omschrijving", "beschrijving", "notitie", "notities",
                  "remark", "remarks", "comment", "comments", "note", "notes", "description", "observation",
                  "observations", "wat valt je op", "wat valt je op?", "bijzonderheden", "overig"),
    "foto": ("foto", "fotos", "foto's", "photo", "photos", "picture", "image", "afbeelding", "beeld"),
    "datum": ("datum", "date", "datum van de schouw", "schouwdatum", "dag", "datetime", "start", "starttime"),
    "rol": ("rol", "role", "functie", "wie schouwt er?", "wie", "organisatie", "observer", "observer_role"),
    "toestemming": ("toestemming", "consent", "akkoord", "permission", "publiek", "openbaar", "delen", "gedeeld",
                    "tonen", "publiceren", "gepubliceerd", "share", "shared"),
    "buurt": ("buurt", "buurtcode", "buurtnaam", "in welke buurt ben je?", "neighbourhood", "neighborhood",
              "wijk", "area"),
    "thema": ("thema", "theme", "onderwerp"),
    "locatie": ("locatie", "location", "gps", "geopoint", "waar sta je?", "plek", "coordinaten", "punt", "point"),
    "lat": ("lat", "latitude", "breedtegraad", "y"),
    "lon": ("lon", "lng", "long", "longitude", "lengtegraad", "x"),
}
VOORVOEGSELS = ("score", "cijfer", "niveau", "oordeel", "rating", "schouw", "beeld", "kwaliteit", "condition",
                "staat", "q")
WOORD_VELDEN = ("toestemming", "opmerking", "datum")  # also found by one word of a longer name: 'Mag_dit_openbaar'
FOTO_EIND = (".jpg", ".jpeg", ".png", ".heic", ".webp", ".gif", ".mp4", ".m4a", ".3gp")


@dataclass
class Voorstel:
    """A proposed mapping and why: per column what it became, or why it was left out."""

    koppeling: dict
    redenen: dict[str, str] = field(default_factory=dict)  # column -> why it is mapped or left out
    onbekende_waarden: dict[str, list[str]] = field(default_factory=dict)  # onderdeel -> values placed as '?'
    losse_scores: dict[str, dict[str, str]] = field(default_factory=dict)  # score-like column -> its scale
    kolommen: list[str] = field(default_factory=list)


def stel_voor(export: Export, onderdelen: list[Onderdeel], buurten: dict[str, str]) -> Voorstel:
    """Propose ``[schouw]`` for an export; nothing is decided that a person cannot see and change."""
    herhaling = _kies_herhaling(export, onderdelen)
    frame = plat(export, herhaling)[0] if herhaling else export.hoofd
    header = list(frame.columns)
    voorstel = Voorstel({"bevestigd": False}, kolommen=header)
    if herhaling:
        voorstel.koppeling["herhaling"] = herhaling
    used: set[str] = set()

    def use(veld: str, kolom: str, reden: str, many: bool = False) -> None:
        if many:
            voorstel.koppeling.setdefault(veld, []).append(kolom)
        else:
            voorstel.koppeling[veld] = kolom
        voorstel.redenen[kolom] = reden
        used.add(kolom)

    values = {c: [v for v in frame[c].astype(str).str.strip() if v and fold(v) not in ("n/a", "nan")]
              for c in header}
    # photos first: 'foto_zwerfvuil' is a photo, never the score of zwerfvuil
    for c in header:
        if is_systeem(c):
            continue
        if _is_photo(c, values[c]):
            use("foto", c, "foto (bestandsnamen)", many=True)
    # scores: a column named after an onderdeel whose answers form a scale
    for o in onderdelen:
        names = {fold(n) for n in (o.naam, o.vraag, *o.namen)}
        words = names | set(SYNONIEMEN.get(o.naam, ()))
        for c in sorted(header, key=lambda c: not (_stem(c) in names or fold(c) in names)):  # exact names first
            if c in used or is_systeem(c):
                continue
            if set(_woorden(c)) & set(NAMEN["opmerking"]) or _is_remark(values[c]):
                continue  # 'zwerfvuil_toelichting' says something about zwerfvuil, but is no score
            if _stem(c) in names or fold(c) in names or set(_woorden(c)) & words:
                schaal = _schaal(values[c])
                if schaal is not None:
                    item = {"kolom": c}
                    if not _all_crow(values[c]):  # CROW answers need no map, also those not seen this round
                        item["waarden"] = schaal
                    voorstel.koppeling.setdefault("onderdelen", {})[o.naam] = item
                    voorstel.redenen[c] = f"onderdeel {o.naam}"
                    unknown = [k for k, v in schaal.items() if v == ONBEKEND]
                    if unknown:
                        voorstel.onbekende_waarden[o.naam] = unknown
                    used.add(c)
                    break
    # the fields, by name and then by content
    for veld in ("datum", "buurt", "rol", "toestemming", "thema", "opmerking"):
        for c in header:
            if c in used or is_systeem(c):
                continue
            if _stem(c) in NAMEN[veld] or fold(c) in NAMEN[veld] or (
                    veld in WOORD_VELDEN and set(re.split(r"[\s_\-/.:?]+", _stem(c))) & set(NAMEN[veld])):
                if veld == "datum" and not any(_looks_date(v) for v in values[c][:20]):
                    continue
                use(veld, c, veld, many=veld in ("opmerking", "datum"))
                if veld not in ("opmerking", "datum"):
                    break
    # a date the walker gave (a form filled in later from paper) before the moment the phone opened the form
    voorstel.koppeling["datum"] = sorted(voorstel.koppeling.get("datum", []),
                                         key=lambda c: bool({"start", "starttime", "datetime"} & set(_woorden(c))))
    answers = list(dict.fromkeys(values[voorstel.koppeling["rol"]])) if voorstel.koppeling.get("rol") else []
    if 0 < len(answers) <= 12:  # a choice, not free text (which becomes 'anders')
        voorstel.koppeling["rollen"] = {v: _rol(v) for v in answers}
    dates = [c for c in ("start", "today") if c in header and c not in used]
    voorstel.koppeling["datum"] = [*voorstel.koppeling.get("datum", []), *dates] or []
    for c in dates:
        voorstel.redenen[c] = "datum (het moment van schouwen op de telefoon, niet het versturen)"
        used.add(c)
    if not voorstel.koppeling["datum"]:
        del voorstel.koppeling["datum"]
    _place(voorstel, header, values, used, use, buurten)
    # what is left: score-like columns the team may want, free text that may be a remark, and the rest
    weglaten = []
    for c in header:
        if c in used:
            continue
        if c in voorstel.redenen:  # already placed as left out, with its reason
            pass
        elif is_systeem(c):
            voorstel.redenen[c] = "gegevens van ODK/KoBoToolbox over de inzending"
        elif not values[c]:
            voorstel.redenen[c] = "leeg in deze export"
        elif _is_remark(values[c]):
            use("opmerking", c, "opmerking (vrije tekst)", many=True)
            continue
        elif (schaal := _schaal(values[c])) is not None and not _looks_number_only(values[c], wide=True):
            voorstel.losse_scores[c] = schaal
            voorstel.redenen[c] = "lijkt een score, maar bij geen onderdeel: koppel hem of laat hem weg"
        elif 1 < len(distinct := list(dict.fromkeys(fold(v) for v in values[c]))) <= 12 and not _looks_number_only(
                values[c]):
            voorstel.losse_scores[c] = {v: ONBEKEND for v in distinct}
            voorstel.redenen[c] = (f"keuzevraag met {len(distinct)} antwoorden: koppel hem aan een onderdeel als hij "
                                   "iets over de straat zegt")
        else:
            voorstel.redenen[c] = "geen onderdeel of veld van de schouw herkend"
        weglaten.append(c)
    for c, name in herhaling_kolommen(export, herhaling).items():
        if c in header:
            continue
        voorstel.redenen[c] = f"in de herhaling '{name}', die niet wordt ingelezen"
        weglaten.append(c)
    voorstel.koppeling["weglaten"] = weglaten
    for veld in ("opmerking", "foto"):  # written even when empty: the place to add a column is there
        voorstel.koppeling.setdefault(veld, [])
    return voorstel


def _place(voorstel: Voorstel, header, values, used, use, buurten) -> None:
    """Where a submission was: a geopoint, a latitude/longitude pair, a GeoJSON point, or a buurt column."""
    geopoints = sorted((c for c in header if c not in used and values[c] and _share(values[c], _is_geopoint) > 0.8
                        and not is_systeem(c)), key=lambda c: c.startswith("_"))  # '_geolocation' last
    named = [c for c in geopoints if _stem(c) in NAMEN["locatie"]]
    if GEOMETRIE in geopoints:
        use("locatie", GEOMETRIE, "locatie (het punt van de GeoJSON)")
    elif named or geopoints:
        use("locatie", (named or geopoints)[0], "locatie (GPS-punt)")
    for c in geopoints:  # the same point as text in a second column: left out, with the reason
        if c not in used:
            voorstel.redenen[c] = "nog een GPS-punt (alleen het eerste wordt gebruikt)"
    if "locatie" not in voorstel.koppeling:
        lat = next((c for c in header if c not in used and (_stem(c) in NAMEN["lat"]
                                                            or c.endswith(("-Latitude", "_latitude")))), None)
        lon = next((c for c in header if c not in used and (_stem(c) in NAMEN["lon"]
                                                            or c.endswith(("-Longitude", "_longitude")))), None)
        if lat and lon:
            use("lat", lat, "breedtegraad")
            use("lon", lon, "lengtegraad")
    for c in header:  # latitude/longitude next to a geopoint are the same point again
        if c not in used and (c.endswith(("-Latitude", "-Longitude", "_latitude", "_longitude"))
                              or c == "_geolocation"):
            voorstel.redenen[c] = "nog een GPS-punt (alleen het eerste wordt gebruikt)"
    if "buurt" not in voorstel.koppeling:
        known = {fold(k) for k in buurten} | {fold(v) for v in buurten.values()}
        for c in header:
            if c not in used and values[c] and _share(values[c], lambda v: fold(v) in known) > 0.8:
                use("buurt", c, "buurt (codes of namen van het project)")
                break


def _kies_herhaling(export: Export, onderdelen: list[Onderdeel]) -> str:
    """The repeat whose columns hold the scores, when the scores live in a repeat."""
    names = {fold(n) for o in onderdelen for n in (o.naam, o.vraag, *o.namen, *SYNONIEMEN.get(o.naam, ()))}

    def named(c: str) -> bool:
        return not is_systeem(c) and (_stem(c) in names or bool(set(_woorden(c)) & names))

    best, hits = "", sum(named(c) for c in export.hoofd.columns)
    for name, frame in export.herhalingen.items():
        score = sum(named(c) for c in frame.columns)
        if score > hits:
            best, hits = name, score
    if not best and export.herhalingen and not hits:  # no names known: the repeat with the most scale columns
        counted = {n: sum(_schaal([v for v in f[c] if v]) is not None for c in f.columns if not is_systeem(c))
                   for n, f in export.herhalingen.items()}
        main = sum(_schaal([v for v in export.hoofd[c] if v]) is not None for c in export.hoofd.columns
                   if not is_systeem(c))
        name = max(counted, key=counted.get)
        if counted[name] > main:
            best = name
    return best


def _schaal(values: list[str]) -> dict[str, str] | None:
    """A proposed value map for a column's answers, or None when they are not a scale."""
    distinct = list(dict.fromkeys(fold(v) for v in values if fold(v) not in ("", "nan")))
    if not distinct or len(distinct) > 12:
        return None
    if all(niveau(v) is not None for v in distinct):
        return _best_first({v: _crow(v) for v in distinct})
    numbered = [re.match(r"(\d+)\s*[-.:)=]\s*\D", v) for v in distinct]
    if all(numbered):  # '1 - heel vies' ... '5 - heel schoon': the numbers are the scale
        schaal = _schaal([m.group(1) for m in numbered])
        if schaal is not None:  # the labels seen, and the bare numbers of the others (matched by their number)
            seen = {m.group(1) for m in numbered}
            return _best_first({v: schaal[m.group(1)] for v, m in zip(distinct, numbered)}
                               | {n: level for n, level in schaal.items() if n not in seen})
    numbers = {v: as_number(v) for v in distinct}
    numeric = {v: n for v, n in numbers.items() if n is not None}
    words = [v for v in distinct if v not in numeric]
    if numeric and len(numeric) >= len(distinct) - 1 and all(float(n).is_integer() for n in numeric.values()):
        if set(numeric.values()) <= {0, 1} and not words:
            return None  # a ticked box of a select_multiple ('Wat zie je?/zwerfvuil'): there or not, no scale
        low, high = min(numeric.values()), max(numeric.values())
        if not (0 <= low and high <= 10 and high - low >= 1):
            return None
        # a school-like scale: the highest number is the best; 1-5 becomes D C B A A+
        top, bottom = max(high, 5 if high <= 5 else 10), min(low, 1)
        # every number of the scale, also those nobody chose this round: the next round may
        out = {str(n): NIVEAUS[round((top - n) / (top - bottom) * (len(NIVEAUS) - 1))]
               for n in range(int(bottom), int(top) + 1)}
        return _best_first(out | {w: _woord(w) or ONBEKEND for w in words})
    placed = {v: _crow(v) or _woord(v) for v in distinct}  # CROW answers beside a team's own ('weet niet')
    if sum(p is not None for p in placed.values()) < max(1, len(distinct) // 2):
        return None
    return _best_first({v: p or ONBEKEND for v, p in placed.items()})


ROL_WOORDEN = {"bewoner": ("bewoner", "resident", "buurtbewoner", "inwoner"),
               "wijkbeheerder": ("wijkbeheerder", "gemeente", "beheerder", "municipality", "stadsdeel"),
               "corporatie": ("corporatie", "woningcorporatie", "woningbouw", "verhuurder", "housing"),
               "wijkprofessional": ("wijkprofessional", "welzijn", "opbouwwerker", "wijkagent", "politie",
                                    "jongerenwerker", "professional")}


def _rol(answer: str) -> str:
    """The role an answer names, by one of its words; 'anders' when none does."""
    words = set(re.split(r"[\s_\-/.,()]+", fold(answer)))
    return next((rol for rol, names in ROL_WOORDEN.items() if words & set(names)), "anders")


def _best_first(schaal: dict[str, str]) -> dict[str, str]:
    """A scale as a person reads it: best level first, then nvt, then what is still to be placed."""
    order = {level: i for i, level in enumerate((*DOELEN, ONBEKEND))}
    return dict(sorted(schaal.items(), key=lambda kv: (order[kv[1]], as_number(kv[0]) or 0, kv[0])))


def _crow(value: str) -> str | None:
    level = niveau(value)
    return None if level is None else level or NIET_BEKEKEN


def _woord(value: str) -> str | None:
    """The level an answer word suggests: a whole phrase first, then its words from the left."""
    text = re.sub(r"[_\-]+", " ", fold(value)).strip()
    for level, words in WOORDEN.items():
        if text in words:
            return level
    tokens = text.split()
    for size in (2, 1):
        for start in range(len(tokens) - size + 1):
            phrase = " ".join(tokens[start:start + size])
            for level, words in WOORDEN.items():
                if phrase in words:
                    if phrase not in NEGATIE and NEGATIE & set(tokens[:start]):
                        return None  # 'niet schoon': a negated word is for a person to place
                    return level
    return None


def _all_crow(values: list[str]) -> bool:
    return all(niveau(v) is not None for v in values)


def _is_photo(column: str, values: list[str]) -> bool:
    if values and _share(values, lambda v: v.lower().endswith(FOTO_EIND)) > 0.8:
        return True
    parts = re.split(r"[/\-_.: ]+", fold(column))
    return bool(parts) and (parts[0] in NAMEN["foto"] or parts[-1] in NAMEN["foto"]) and not values


def _is_remark(values: list[str]) -> bool:
    """Free text: long answers with spaces, mostly different ones (a labelled scale repeats a few long ones)."""
    long = [v for v in values if len(v) > 15 and " " in v.strip()]
    distinct = len(set(values))
    return bool(long) and len(long) >= max(1, len(values) // 3) and (distinct > 12 or distinct > len(values) / 2)


def _is_geopoint(value: str) -> bool:
    """'52.09 5.12 3 5' (ODK, KoBoToolbox) or '[52.09, 5.12]' (KoBoToolbox's _geolocation)."""
    parts = re.findall(r"-?\d+(?:\.\d+)?", value)
    if len(parts) < 2 or len(parts) > 4 or (value.startswith("[") and len(parts) != 2):
        return False
    lat, lon = float(parts[0]), float(parts[1])
    return -90 <= lat <= 90 and -180 <= lon <= 180 and (lat, lon) != (0, 0) and "." in parts[0]


def _looks_date(value: str) -> bool:
    return bool(re.match(r"\d{4}-\d{2}-\d{2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4}", value.strip()))


def _looks_number_only(values: list[str], wide: bool = False) -> bool:
    numbers = [as_number(fold(v)) for v in values]
    return all(n is not None for n in numbers) and (not wide or len(set(numbers)) > 12)


def _share(values: list[str], test) -> float:
    sample = values[:200]
    return sum(bool(test(v)) for v in sample) / len(sample) if sample else 0.0


def _woorden(column: str) -> list[str]:
    """The words of a column's last name: 'schouw/Surface condition' -> ['surface', 'condition']."""
    return [w for w in re.split(r"[\s_\-/.:?()]+", _stem(column)) if w]


def _stem(column: str) -> str:
    """The last name in a column's path without a score-like prefix: 'schouw/score_zwerfvuil' -> 'zwerfvuil'."""
    last = re.split(r"[/\-:]", column)[-1] if not column.endswith("?") else column
    last = fold(last)
    for prefix in VOORVOEGSELS:
        if last.startswith(prefix + "_") and len(last) > len(prefix) + 1:
            return last[len(prefix) + 1:]
    return last


def als_toml(voorstel: Voorstel, onderdelen: list[Onderdeel]) -> str:
    """The proposal as a ``[schouw]`` section with comments: what each line means and why it is there."""
    k = voorstel.koppeling
    def s(value: str) -> str:  # a TOML basic string is a JSON string
        return json.dumps(value, ensure_ascii=False)

    lines = [
        "[schouw]",
        "# Voorgesteld door 'wijkkit schouw koppel'. Kijk elke regel na, pas aan wat niet klopt en zet dan",
        "# bevestigd = true. Zolang dat false is, leest 'wijkkit schouw importeer' deze export niet in.",
        "bevestigd = false",
    ]
    if k.get("herhaling"):
        lines += ["# de herhaling (repeat) met de waarnemingen: elke regel daarin is een schouwpunt",
                  f"herhaling = {s(k['herhaling'])}"]
    if k.get("datum"):
        lines += ["# de datum van de schouw: de eerste kolom met een datum telt (anders het moment van versturen)",
                  f"datum = {_lijst(k['datum'])}"]
    uitleg = {"locatie": "GPS-punt ('lat lon hoogte nauwkeurigheid' of het punt van de GeoJSON)",
              "lat": "breedtegraad", "lon": "lengtegraad", "buurt": "buurtcode of buurtnaam (als er geen punt is)",
              "rol": "wie schouwde (bewoner, wijkbeheerder, corporatie, wijkprofessional; anders: 'anders')",
              "toestemming": "ja/nee: opmerking en foto op openbare pagina's (zonder kolom: nee)",
              "thema": "thema van de opmerking (id of naam uit het codeboek)"}
    for veld, text in uitleg.items():
        if k.get(veld):
            lines += [f"# {text}", f"{veld} = {s(k[veld])}"]
    if k.get("rollen"):
        lines += ["# wat elk antwoord over de rol is (bewoner, wijkbeheerder, corporatie, wijkprofessional, anders)",
                  f"rollen = {_tabel(k['rollen'])}"]
    for veld, text in (("opmerking", "vrije tekst (meerdere kolommen worden samengevoegd)"),
                       ("foto", "foto's (de eerste per inzending wordt bewaard)")):
        lines += [f"# {text}", f"{veld} = {_lijst(k.get(veld, []))}"]
    weg = k.get("weglaten", [])
    lines += ["# kolommen die bewust niet worden ingelezen (elke kolom van de export staat hierboven of hier)",
              "weglaten = ["]
    lines += [f"  {s(c)},  # {voorstel.redenen.get(c, '')}" for c in weg]
    lines += ["]"]
    known = ", ".join(o.naam for o in onderdelen)
    lines += ["", f"# onderdelen: {known}. 'waarden' zegt wat elk antwoord is: A+, A, B, C, D of nvt.",
              "# Zonder 'waarden' moeten de antwoorden zelf CROW-niveaus zijn."]
    for naam, item in k.get("onderdelen", {}).items():
        lines += [f"[schouw.onderdelen.{naam}]", f"kolom = {s(item['kolom'])}"]
        if item.get("waarden"):
            if naam in voorstel.onbekende_waarden:
                lines.append("# '?' kon wijkkit niet plaatsen: vul een niveau in")
            lines.append(f"waarden = {_tabel(item['waarden'])}")
    for kolom, schaal in voorstel.losse_scores.items():
        lines += ["", f"# '{kolom}': {voorstel.redenen.get(kolom, '')}. Om hem in te lezen: haal de #",
                  "# weg, kies het onderdeel, vul de niveaus in en haal de kolom uit weglaten.",
                  "# [schouw.onderdelen.ONDERDEEL]", f"# kolom = {s(kolom)}", f"# waarden = {_tabel(schaal)}"]
    return "\n".join(lines) + "\n"


def _lijst(items: list[str]) -> str:
    return "[" + ", ".join(json.dumps(i, ensure_ascii=False) for i in items) + "]"


def _tabel(mapping: dict[str, str]) -> str:
    return "{ " + ", ".join(f"{json.dumps(k, ensure_ascii=False)} = {json.dumps(v)}" for k, v in mapping.items()) + " }"


def schrijf_in_toml(text: str, sectie: str) -> str:
    """``text`` (a wijkkit.toml) with its ``[schouw]`` tables replaced by ``sectie``; the rest stays as it was."""
    out, skipping = [], False
    for line in text.splitlines():
        header = re.match(r"\s*\[\[?\s*([^\]]+?)\s*\]", line)
        if header:
            skipping = header.group(1) == "schouw" or header.group(1).startswith("schouw.")
        if not skipping:
            out.append(line)
    while out and not out[-1].strip():
        out.pop()
    return "\n".join(out) + "\n\n" + sectie

