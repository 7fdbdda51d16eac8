"""Read what comes back from a straatschouw: ODK Central, KoBoToolbox or a plain spreadsheet, checked whole.

Recognised by content, not by name:

- **ODK Central** (``submissions.csv`` or the ``.csv.zip`` with ``media/``): ``SubmissionDate``, ``KEY``, groups
  joined by ``-`` (``schouw-zwerfvuil``), a geopoint as ``locatie-Latitude`` / ``locatie-Longitude``.
- **KoBoToolbox** (CSV with ``;`` or ``,``, or XLSX; XML names or labels as headers): ``_uuid``, ``_submission_time``,
  groups joined by ``/`` (``schouw/zwerfvuil``), a geopoint as ``_locatie_latitude`` or ``_geolocation``
  (``[52.09, 5.12]``), or the plain ``"lat lon alt acc"`` text.
- **A plain spreadsheet**: columns ``datum``, ``buurt`` (code or name) or ``lat``/``lon``, one column per onderdeel.
- **A team's own form** (any of the above, or KoBoToolbox GeoJSON, or a repeat group): through the ``[schouw]``
  mapping in wijkkit.toml (:mod:`wijkkit.kijken.koppeling`), which ``wijkkit schouw koppel`` proposes.

Every bad row is one Dutch message with its row and column (:class:`~wijkkit.errors.Probleem`). All or nothing,
or the good rows with every other one listed; every column with content that nothing reads is named.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from wijkkit.errors import Probleem, WijkkitInputError, excel_column_letter
from wijkkit.kijken.export import GEOMETRIE, herhaling_kolommen, is_systeem, lees_export, plat
from wijkkit.kijken.formulier import ROLLEN
from wijkkit.kijken.koppeling import Koppeling, controleer_kolommen, waarde_niveau
from wijkkit.kijken.onderdelen import NIVEAUS, Onderdeel

JA = {"ja", "yes", "true", "1", "y", "j", "waar"}
NEE = {"nee", "no", "false", "0", "n", "onwaar", ""}
# what each field is called: in the form (its XML name), as its label, and in a plain spreadsheet
VELDEN = {
    "datum": ("datum", "datum van de schouw", "date"),
    "rol": ("rol", "wie schouwt er?", "rol van de schouwer"),
    "buurt": ("buurt", "buurtcode", "in welke buurt ben je?", "buurtnaam"),
    "locatie": ("locatie", "waar sta je?", "gps", "geopoint", GEOMETRIE),
    "opmerking": ("opmerking", "wat valt je op? (vrij, mag leeg)", "wat valt je op?", "toelichting"),
    "thema": ("thema", "over welk thema gaat je opmerking vooral?"),
    "foto": ("foto", "foto (mag leeg)"),
    "toestemming": ("toestemming", "mogen je opmerking en foto op de openbare pagina's van de kenniskring?"),
    "lat": ("lat", "latitude", "breedtegraad"),
    "lon": ("lon", "lng", "longitude", "lengtegraad"),
    "id": ("id", "nummer", "waarneming"),
}
ID_COLUMNS = {"odk": ("KEY", "meta-instanceID", "instanceID"), "kobo": ("_uuid", "meta/instanceID", "_id")}
SUBMITTED = {"odk": "SubmissionDate", "kobo": "_submission_time"}
NL_BOX = (50.6, 53.7, 3.2, 7.3)  # latitude and longitude around the Netherlands
FOTO_WOORDEN = frozenset({"foto", "photo", "image", "afbeelding", "picture", "beeld"})
MAX_OPMERKING = 2000  # characters of a remark kept; a longer one is cut with a note (and pseudonymised quickly)


@dataclass
class Waarneming:
    """One submission: where and when, who looked, the CROW level per onderdeel, a remark and a photo."""

    id: str
    rij: int
    datum: date
    gebied: str
    scores: dict[str, str]
    lat: float | None = None
    lon: float | None = None
    rol: str = ""
    opmerking: str = ""
    thema: str = ""
    foto: str = ""
    toestemming: bool = False


@dataclass
class Schouwbestand:
    """A read export: the tool it came from, its submissions, and its photos by file name."""

    bestand: str
    bron: str  # odk / kobo / tabel
    waarnemingen: list[Waarneming]
    fotos: dict[str, bytes] = field(default_factory=dict)
    weggelaten: list[Probleem] = field(default_factory=list)  # rows left out, each with its reason
    gelezen: int = 0  # rows with anything in them
    niet_gekoppeld: dict[str, str] = field(default_factory=dict)  # columns with content nothing reads
    ingekort: int = 0  # remarks cut at MAX_OPMERKING
    extra_fotos: int = 0  # photos beyond the first of a submission (named, not kept)


def read_schouw(path: str | Path, *, onderdelen: list[Onderdeel], buurten: Mapping[str, str],
                plaats: Callable[[float, float], str | None] | None = None, themas: Mapping[str, str] | None = None,
                fotos: str | Path | None = None, koppeling: Koppeling | None = None,
                alles_of_niets: bool = True) -> Schouwbestand:
    """Read and check a schouw export.

    ``buurten`` (code -> name) are the project's buurten; ``plaats(lat, lon)`` gives the buurt a GPS point lies
    in (None outside every buurt), or is None when the project has no buurtkaart. ``fotos`` is a folder with
    the photos the export names (an ODK Central ``.zip`` carries them itself). ``koppeling`` is the team's
    ``[schouw]`` mapping; without it the names of wijkkit's own form and common ones are recognised.

    A problem with the file as a whole always raises one :class:`WijkkitInputError`. Bad rows raise too when
    ``alles_of_niets``; otherwise they are left out and listed in ``weggelaten`` (and it raises only when no row
    is good).
    """
    export = lees_export(path)
    naam, bron = export.naam, export.bron
    if koppeling is not None and koppeling.herhaling:
        table, herkomst = plat(export, koppeling.herhaling)
    else:
        table = export.hoofd
        herkomst = [(naam, i + 2) for i in range(len(table))]  # the header is row 1
    media = export.media
    if table.empty:
        raise WijkkitInputError(Probleem(naam, "een schouwexport met minstens één inzending", gevonden="geen rijen"))
    header = list(table.columns)
    if koppeling is not None:
        controleer_kolommen(koppeling, header, naam)
        velden = _velden_uit_koppeling(koppeling, header, bron)
    else:
        velden = _velden_herkend(header, onderdelen, bron)
    items = {n: v for n, v in velden["items"].items() if v[0]}
    if not items:
        raise WijkkitInputError(Probleem(naam, "kolommen met CROW-niveaus per onderdeel: " + ", ".join(
            o.naam for o in onderdelen) + " (of 'schouw/zwerfvuil', 'schouw-zwerfvuil'); voor een eigen formulier: "
            "'wijkkit schouw koppel " + naam + "' stelt een koppeling voor in wijkkit.toml [schouw]", rij=1,
            gevonden=", ".join(header[:8])))
    id_col = velden["id"]
    if bron != "tabel" and id_col is None:
        raise WijkkitInputError(Probleem(naam, f"een kolom met het nummer van elke inzending ({ID_COLUMNS[bron][0]})",
                                         rij=1, gevonden=", ".join(header[:8])))
    if fotos is not None:
        media = {**media, **{p.name: p for p in Path(fotos).iterdir() if p.is_file()}}
    by_name = {_fold(v): k for k, v in buurten.items()}
    rollen = {_fold(v): k for k, v in ROLLEN.items()} | {k: k for k in ROLLEN} | (
        {_fold(k): v for k, v in koppeling.rollen.items()} if koppeling is not None else {})
    thema_ids = {_fold(v): k for k, v in (themas or {}).items()} | {k: k for k in (themas or {})}
    gezien: dict[str, int] = {}
    waarnemingen = []
    problemen: list[Probleem] = []
    verslag = {"ingekort": 0, "extra_fotos": 0}

    def fout(index: int, kolom: str | None, verwacht: str, gevonden: object) -> None:
        bestand, rij = herkomst[index]
        letter = excel_column_letter(header.index(kolom)) if kolom in header else None
        problemen.append(Probleem(bestand if bestand == naam else f"{naam}: {bestand}", verwacht, rij=rij,
                                  kolom=kolom, kolom_letter=letter, gevonden=toon(gevonden)))

    # formhub and older KoBoToolbox exports write "n/a" for a skipped question
    table = table.mask(table.apply(lambda c: c.str.strip().str.casefold().isin(["n/a", "nan"])), "")
    pairs = velden["paren"]
    for index, row in enumerate(table.itertuples(index=False)):
        values = dict(zip(header, row))
        if not any(str(v).strip() for v in values.values()):
            continue  # an empty line at the end of a sheet
        rij = herkomst[index][1]
        ident = str(values.get(id_col, "") or "").strip() if id_col else ""
        if not ident:
            if bron != "tabel" and id_col:
                fout(index, id_col, "het nummer van de inzending", "leeg")
                continue
            ident = f"rij-{rij}-" + _digest(values)
        if ident in gezien:
            fout(index, id_col, f"elke inzending één keer (dezelfde staat al in rij {gezien[ident]})", ident)
            continue
        gezien[ident] = rij
        datum = _date(values, velden["datum"])
        if datum is None:
            kolom = next((c for c in velden["datum"] if str(values.get(c, "")).strip()), velden["datum"][0]
                         if velden["datum"] else None)
            fout(index, kolom, "een datum (jjjj-mm-dd of dd-mm-jjjj)", values.get(kolom, "leeg") or "leeg")
            continue
        scores, bad = {}, False
        for onderdeel, (kolom, schaal) in items.items():
            level = waarde_niveau(values.get(kolom), schaal)
            if level is None:
                verwacht = ("een waarde uit de koppeling in wijkkit.toml [schouw]: " + ", ".join(list(schaal)[:12])
                            if schaal else "een CROW-niveau: " + ", ".join(NIVEAUS) + " (of leeg/nvt; een eigen schaal "
                            "koppel je met 'wijkkit schouw koppel')")
                fout(index, kolom, verwacht, values.get(kolom))
                bad = True
            elif level:
                scores[onderdeel] = level
        if bad:
            continue
        if not scores:
            fout(index, next(iter(items.values()))[0], "minstens één onderdeel met een CROW-niveau",
                 "alles leeg of niet van toepassing")
            continue
        lat, lon, plek_kolom, plek_fout = _point(values, velden, pairs)
        if plek_fout:
            fout(index, plek_kolom, "een GPS-punt in graden (breedte lengte, zoals '52.09 5.12')", plek_fout)
            continue
        gebied = ""
        if lat is not None:
            if not (NL_BOX[0] <= lat <= NL_BOX[1] and NL_BOX[2] <= lon <= NL_BOX[3]):
                fout(index, plek_kolom, "een GPS-punt in Nederland", f"{toon(lat)} {toon(lon)}")
                continue
            if plaats is None:
                if not velden["buurt"] or not str(values.get(velden["buurt"], "")).strip():
                    fout(index, plek_kolom, "een gekozen buurt: dit project heeft geen buurtkaart om een GPS-punt in "
                         "een buurt te plaatsen ([kaart] bestand in wijkkit.toml)", f"{lat:.5f} {lon:.5f}")
                    continue
            else:
                gebied = plaats(lat, lon) or ""
                chosen = str(values.get(velden["buurt"], "") or "").strip() if velden["buurt"] else ""
                if not gebied and not chosen:  # a point just outside the map, with a chosen buurt: that buurt
                    fout(index, plek_kolom, "een punt in een van de buurten van het project (op de buurtkaart)",
                         f"{lat:.5f} {lon:.5f}, buiten elke buurt")
                    continue
        if not gebied:
            kolom = velden["buurt"]
            raw = str(values.get(kolom, "") or "").strip() if kolom else ""
            if not raw:
                fout(index, kolom or plek_kolom or "locatie", "een plek: een GPS-punt (locatie) of een gekozen buurt",
                     "leeg")
                continue
            gebied = raw.upper() if raw.upper() in buurten else by_name.get(_fold(raw), "")
            if not gebied:
                fout(index, kolom, "een buurt van het project (code of naam, bv. " + next(iter(buurten), "BU...")
                     + ")", raw)
                continue
        toestemming_kolom = velden["toestemming"]
        consent_raw = _fold(values.get(toestemming_kolom, "")) if toestemming_kolom else ""
        if consent_raw not in JA | NEE:  # a choice's own words: 'ja_openbaar', 'Nee, alleen het team'
            consent_raw = re.split(r"[\s_,.:;\-]+", consent_raw)[0]
        if consent_raw not in JA | NEE:
            fout(index, toestemming_kolom, "ja of nee", values.get(toestemming_kolom))
            continue
        photos = [str(values.get(c, "") or "").strip().rsplit("/", 1)[-1] for c in velden["foto"]]
        photos = [p for p in photos if p]
        verslag["extra_fotos"] += max(0, len(photos) - 1)
        opmerking = "\n\n".join(t for t in (str(values.get(c, "") or "").strip() for c in velden["opmerking"]) if t)
        if len(opmerking) > MAX_OPMERKING:
            opmerking = opmerking[:MAX_OPMERKING].rstrip() + f" [...] (ingekort: {len(opmerking):,} tekens)".replace(
                ",", ".")
            verslag["ingekort"] += 1
        rol_raw = _fold(values.get(velden["rol"], "")) if velden["rol"] else ""
        thema_raw = _fold(values.get(velden["thema"], "")) if velden["thema"] else ""
        waarnemingen.append(Waarneming(
            id=ident, rij=rij, datum=datum, gebied=gebied, scores=scores, lat=lat, lon=lon,
            rol=rollen.get(rol_raw, "anders" if rol_raw else ""), opmerking=opmerking,
            thema=thema_ids.get(thema_raw, ""), foto=photos[0] if photos else "", toestemming=consent_raw in JA))
    if problemen and (alles_of_niets or not waarnemingen):
        raise WijkkitInputError(problemen)
    kept = {}
    for w in waarnemingen:
        if w.foto and w.foto in media:
            source = media[w.foto]
            kept[w.foto] = source.read_bytes() if isinstance(source, Path) else source
    return Schouwbestand(naam, bron, waarnemingen, kept, weggelaten=problemen,
                         gelezen=sum(1 for r in table.itertuples(index=False) if any(str(v).strip() for v in r)),
                         niet_gekoppeld=_niet_gekoppeld(table, velden, koppeling) | {
                             c: f"in de herhaling '{name}', die niet wordt ingelezen"
                             for c, name in herhaling_kolommen(export, koppeling.herhaling if koppeling else "").items()
                             if c not in header and not (koppeling and c in koppeling.weglaten)},
                         ingekort=verslag["ingekort"],
                         extra_fotos=verslag["extra_fotos"])


def toon(value: object) -> str:
    """A found value as a message shows it: numbers within reason ('1e+308', not 309 digits), text cut."""
    if isinstance(value, float) or (isinstance(value, str) and re.fullmatch(r"\s*-?[\d.,]*\d[eE][-+]?\d+\s*",
                                                                                value)):
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            number = None
        if number is not None:
            return f"{number:.6g}"
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _velden_uit_koppeling(koppeling: Koppeling, header: list[str], bron: str) -> dict:
    present = [c for c in koppeling.datum if c in header]
    pairs = [(koppeling.lat, koppeling.lon)] if koppeling.lat and koppeling.lon else []
    return {"items": {n: (i.kolom, i.schaal()) for n, i in koppeling.onderdelen.items()},
            "datum": present + ([SUBMITTED[bron]] if bron in SUBMITTED and SUBMITTED[bron] in header else []),
            "locatie": koppeling.locatie or None, "paren": pairs, "geolocation": False,
            "buurt": koppeling.buurt or None, "opmerking": koppeling.opmerking, "foto": koppeling.foto,
            "rol": koppeling.rol or None, "toestemming": koppeling.toestemming or None,
            "thema": koppeling.thema or None,
            "id": koppeling.id or next((c for c in ID_COLUMNS.get(bron, ()) if c in header), None)}


def _velden_herkend(header: list[str], onderdelen: list[Onderdeel], bron: str) -> dict:
    kolommen = _columns(header, onderdelen)
    datum = [c for c in (kolommen.get("datum"), "start", "today", SUBMITTED.get(bron)) if c and c in header]
    return {"items": {o.naam: (kolommen.get("item:" + o.naam), None) for o in onderdelen},
            "datum": list(dict.fromkeys(datum)), "locatie": kolommen.get("locatie"),
            "paren": _point_columns(header, kolommen), "geolocation": "_geolocation" in header,
            "buurt": kolommen.get("buurt"), "opmerking": [kolommen["opmerking"]] if kolommen.get("opmerking") else [],
            "foto": [kolommen["foto"]] if kolommen.get("foto") else [], "rol": kolommen.get("rol"),
            "toestemming": kolommen.get("toestemming"), "thema": kolommen.get("thema"),
            "id": next((c for c in ID_COLUMNS.get(bron, ()) if c in header), kolommen.get("id"))}


def _niet_gekoppeld(table: pd.DataFrame, velden: dict, koppeling: Koppeling | None) -> dict[str, str]:
    """Columns with content that nothing reads, and what they look like: never dropped without a word."""
    used = {velden[k] for k in ("locatie", "buurt", "rol", "toestemming", "thema", "id") if velden[k]}
    used |= {c for c, _ in velden["items"].values() if c} | set(velden["datum"]) | set(velden["opmerking"])
    used |= set(velden["foto"]) | {c for pair in velden["paren"] for c in pair}
    weg = set(koppeling.weglaten) if koppeling is not None else set()
    out = {}
    for column in table.columns:
        if column in used or column in weg or is_systeem(column) or column in ("start", "today"):
            continue
        filled = [v for v in table[column].astype(str).str.strip() if v]
        if not filled:
            continue
        lower = column.casefold()
        if any(v.lower().endswith((".jpg", ".jpeg", ".png", ".heic")) for v in filled[:50]) or any(
                w in lower for w in ("foto", "photo", "image", "afbeelding")):
            out[column] = "lijkt een foto"
        elif sum(len(v) > 15 and " " in v for v in filled) >= max(1, len(filled) // 3):
            out[column] = "lijkt een opmerking (vrije tekst)"
        elif koppeling is None and (velden["paren"] or velden["locatie"]) and column in ("_geolocation",) or \
                column.endswith(("-Latitude", "-Longitude", "_latitude", "_longitude")):
            continue  # the same point in another form
        else:
            out[column] = "niet gekoppeld"
    return out


def _fold(value: object) -> str:
    return re.sub(r"\s+", " ", str(value or "")).strip().casefold()


def _path(column: str) -> list[str]:
    """A header as the path of names it stands for: 'schouw/zwerfvuil', 'schouw-zwerfvuil', 'schouw.zwerfvuil',
    'schouw:zwerfvuil' -> [schouw, zwerfvuil] (ODK writes '-', KoBoToolbox '/' or the separator a user chose)."""
    return [part for part in re.split(r"[/\-.:]", column) if part]


def _columns(header: list[str], onderdelen: list[Onderdeel]) -> dict[str, str]:
    """Which column holds which field, by its last name in the path or by its label in the form."""
    found: dict[str, str] = {}
    wanted = {f"item:{o.naam}": (o.naam, o.vraag, *o.namen) for o in onderdelen} | VELDEN
    for column in header:
        if column.startswith("_") and column not in ("_geolocation",):
            continue  # the tools' own metadata
        leaf = _fold(column.rsplit("/", 1)[-1])
        parts = _path(column)
        last = _fold(parts[-1]) if parts else ""
        for key, names in wanted.items():
            folded = {_fold(n) for n in names}
            if key not in found and (_fold(column) in folded or leaf in folded or last in folded):
                found[key] = column
                break
    for key, (naam, *_) in ((k, v) for k, v in wanted.items() if k.startswith("item:")):
        if key not in found:  # KoBoToolbox with '_' as its group separator: 'schouw_zwerfvuil'; never 'foto_zwerfvuil'
            found.update({key: c for c in header if not c.startswith("_") and c.casefold().endswith("_" + naam)
                          and not re.split(r"[/\-_.:]", c.casefold())[0] in FOTO_WOORDEN})
    return found


def _date(values: dict, columns: list[str]) -> date | None:
    """The first date in ``columns``: the walk's own (a form's date, ``start``, ``today``) before the moment a phone
    sent it, which can be a year later."""
    for column in columns:
        raw = str(values.get(column, "") or "").strip()
        if not raw:
            continue
        for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d", "%d.%m.%Y"):
            try:
                return datetime.strptime(raw[:10], fmt).date()
            except ValueError:
                pass
        briefcase = re.match(r"([A-Z][a-z]{2}) (\d{1,2}), (\d{4})", raw)  # ODK Briefcase: "Jun 2, 2015 3:24:29 PM"
        if briefcase:
            try:
                return datetime.strptime(" ".join(briefcase.groups()), "%b %d %Y").date()
            except ValueError:
                return None
        try:
            return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def _point_columns(header: list[str], kolommen: dict) -> list[tuple[str, str]]:
    """The (latitude, longitude) column pairs: ODK's 'locatie-Latitude', KoBoToolbox's '_locatie_latitude', a
    sheet's 'lat' and 'lon'."""
    pairs = [(c, c[: -len("-Latitude")] + "-Longitude") for c in header if c.endswith("-Latitude")]
    pairs += [(c, c[: -len("_latitude")] + "_longitude") for c in header
              if c.startswith("_") and c.endswith("_latitude")]
    if kolommen.get("lat") and kolommen.get("lon"):
        pairs.append((kolommen["lat"], kolommen["lon"]))
    return pairs


def _point(values: dict, velden: dict, pairs: list[tuple[str, str]]
           ) -> tuple[float | None, float | None, str | None, str]:
    """(lat, lon, the column it came from, what was wrong) from the ways the tools write a geopoint."""
    for lat_col, lon_col in pairs:
        lat_raw, lon_raw = str(values.get(lat_col, "") or "").strip(), str(values.get(lon_col, "") or "").strip()
        if lat_raw or lon_raw:
            try:
                lat, lon = float(lat_raw.replace(",", ".")), float(lon_raw.replace(",", "."))
            except ValueError:
                return None, None, lat_col, f"{toon(lat_raw)} {toon(lon_raw)}"
            if lat == 0 and lon == 0:
                continue  # a phone without a fix writes 0 0: no point
            return lat, lon, lat_col, ""
    for column in (velden["locatie"], "_geolocation" if velden["geolocation"] else None):
        raw = str(values.get(column, "") or "").strip() if column else ""
        if not raw or raw in ("[None, None]", "[null, null]", "[]"):
            continue
        try:
            # "52.09 5.12 3 5" (ODK), "[52.09, 5.12]" (_geolocation), "52,09 5,12" (typed in a Dutch sheet)
            parts = json.loads(raw) if raw.startswith("[") else re.findall(r"-?\d+(?:[.,]\d+)?", raw)
            lat, lon = float(str(parts[0]).replace(",", ".")), float(str(parts[1]).replace(",", "."))
        except (ValueError, IndexError, TypeError, json.JSONDecodeError):
            return None, None, column, toon(raw)
        if lat != lat or lon != lon:  # 'nan'
            return None, None, column, toon(raw)
        if lat == 0 and lon == 0:
            continue
        return lat, lon, column, ""
    return None, None, velden["locatie"], ""


def _digest(values: dict) -> str:
    import hashlib

    return hashlib.sha1(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:10]
