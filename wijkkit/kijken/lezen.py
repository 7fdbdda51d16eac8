"""Read what comes back from a straatschouw: ODK Central, KoBoToolbox or a plain spreadsheet, checked whole.

Recognised by content, not by name:

- **ODK Central** (``submissions.csv`` or the ``.csv.zip`` with ``media/``): ``SubmissionDate``, ``KEY``, groups
  joined by ``-`` (``schouw-zwerfvuil``), a geopoint as ``locatie-Latitude`` / ``locatie-Longitude``.
- **KoBoToolbox** (CSV with ``;`` or ``,``, or XLSX; XML names or labels as headers): ``_uuid``, ``_submission_time``,
  groups joined by ``/`` (``schouw/zwerfvuil``), a geopoint as ``_locatie_latitude`` or ``_geolocation``
  (``[52.09, 5.12]``), or the plain ``"lat lon alt acc"`` text.
- **A plain spreadsheet**: columns ``datum``, ``buurt`` (code or name) or ``lat``/``lon``, one column per onderdeel.

Every bad row is one Dutch message with its row and column (:class:`~wijkkit.errors.Probleem`), and nothing is
returned unless the whole file is good.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam, excel_column_letter
from wijkkit.kijken.formulier import ROLLEN
from wijkkit.kijken.onderdelen import NIVEAUS, Onderdeel, niveau

JA = {"ja", "yes", "true", "1", "y", "j", "waar"}
NEE = {"nee", "no", "false", "0", "n", "onwaar", ""}
# what each field is called: in the form (its XML name), as its label, and in a plain spreadsheet
VELDEN = {
    "datum": ("datum", "datum van de schouw", "date"),
    "rol": ("rol", "wie schouwt er?", "rol van de schouwer"),
    "buurt": ("buurt", "buurtcode", "in welke buurt ben je?", "buurtnaam"),
    "locatie": ("locatie", "waar sta je?", "gps", "geopoint"),
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


def read_schouw(path: str | Path, *, onderdelen: list[Onderdeel], buurten: Mapping[str, str],
                plaats: Callable[[float, float], str | None] | None = None, themas: Mapping[str, str] | None = None,
                fotos: str | Path | None = None) -> Schouwbestand:
    """Read and check a schouw export; raises one :class:`WijkkitInputError` with every bad row.

    ``buurten`` (code -> name) are the project's buurten; ``plaats(lat, lon)`` gives the buurt a GPS point lies
    in (None outside every buurt), or is None when the project has no buurtkaart. ``fotos`` is a folder with
    the photos the export names (an ODK Central ``.zip`` carries them itself).
    """
    path = Path(path)
    naam = bestandsnaam(path)
    table, media = _read_table(path)
    if table.empty:
        raise WijkkitInputError(Probleem(naam, "een schouwexport met minstens één inzending", gevonden="geen rijen"))
    header = list(table.columns)
    bron = "odk" if "SubmissionDate" in header else "kobo" if {"_uuid", "_submission_time"} & set(header) else "tabel"
    kolommen = _columns(header, onderdelen)
    items = {o.naam: kolommen.get("item:" + o.naam) for o in onderdelen}
    if not any(items.values()):
        raise WijkkitInputError(Probleem(naam, "kolommen met CROW-niveaus per onderdeel: " + ", ".join(
            o.naam for o in onderdelen) + " (of 'schouw/zwerfvuil', 'schouw-zwerfvuil')", rij=1,
            gevonden=", ".join(header[:8])))
    id_col = next((c for c in ID_COLUMNS.get(bron, ()) if c in header), kolommen.get("id"))
    problemen: list[Probleem] = []
    if bron != "tabel" and id_col is None:
        problemen.append(Probleem(naam, f"een kolom met het nummer van elke inzending ({ID_COLUMNS[bron][0]})",
                                  rij=1, gevonden=", ".join(header[:8])))
    if fotos is not None:
        media = {**media, **{p.name: p for p in Path(fotos).iterdir() if p.is_file()}}
    by_name = {_fold(v): k for k, v in buurten.items()}
    rollen = {_fold(v): k for k, v in ROLLEN.items()} | {k: k for k in ROLLEN}
    thema_ids = {_fold(v): k for k, v in (themas or {}).items()} | {k: k for k in (themas or {})}
    gezien: dict[str, int] = {}
    waarnemingen = []

    def fout(rij: int, kolom: str | None, verwacht: str, gevonden: object) -> None:
        letter = excel_column_letter(header.index(kolom)) if kolom in header else None
        problemen.append(Probleem(naam, verwacht, rij=rij, kolom=kolom, kolom_letter=letter,
                                  gevonden=str(gevonden)[:80]))

    # formhub and older KoBoToolbox exports write "n/a" for a skipped question
    table = table.mask(table.apply(lambda c: c.str.strip().str.casefold().isin(["n/a", "nan"])), "")
    pairs = _point_columns(header, kolommen)
    for index, row in enumerate(table.itertuples(index=False)):
        values = dict(zip(header, row))
        rij = index + 2  # the header is row 1
        if not any(str(v).strip() for v in values.values()):
            continue  # an empty line at the end of a sheet
        ident = str(values.get(id_col, "") or "").strip() if id_col else ""
        if not ident:
            if bron != "tabel" and id_col:
                fout(rij, id_col, "het nummer van de inzending", "leeg")
                continue
            ident = f"rij-{rij}-" + _digest(values)
        if ident in gezien:
            fout(rij, id_col, f"elke inzending één keer (dezelfde staat al in rij {gezien[ident]})", ident)
            continue
        gezien[ident] = rij
        datum = _date(values, kolommen, bron)
        if datum is None:
            kolom = kolommen.get("datum") or SUBMITTED.get(bron)
            fout(rij, kolom, "een datum (jjjj-mm-dd of dd-mm-jjjj)", values.get(kolom, "leeg") or "leeg")
            continue
        scores, bad = {}, False
        for onderdeel, kolom in items.items():
            if kolom is None:
                continue
            level = niveau(values.get(kolom))
            if level is None:
                fout(rij, kolom, "een CROW-niveau: " + ", ".join(NIVEAUS) + " (of leeg/nvt)", values.get(kolom))
                bad = True
            elif level:
                scores[onderdeel] = level
        if bad:
            continue
        if not scores:
            fout(rij, next(k for k in items.values() if k), "minstens één onderdeel met een CROW-niveau",
                 "alles leeg of niet van toepassing")
            continue
        lat, lon, plek_kolom, plek_fout = _point(values, kolommen, pairs)
        if plek_fout:
            fout(rij, plek_kolom, "een GPS-punt in graden (breedte lengte, zoals '52.09 5.12')", plek_fout)
            continue
        gebied = ""
        if lat is not None:
            if not (NL_BOX[0] <= lat <= NL_BOX[1] and NL_BOX[2] <= lon <= NL_BOX[3]):
                fout(rij, plek_kolom, "een GPS-punt in Nederland", f"{lat:.5f} {lon:.5f}")
                continue
            if plaats is None:
                if not kolommen.get("buurt") or not str(values.get(kolommen["buurt"], "")).strip():
                    fout(rij, plek_kolom, "een gekozen buurt: dit project heeft geen buurtkaart om een GPS-punt in een "
                         "buurt te plaatsen ([kaart] bestand in wijkkit.toml)", f"{lat:.5f} {lon:.5f}")
                    continue
            else:
                gebied = plaats(lat, lon) or ""
                if not gebied:
                    fout(rij, plek_kolom, "een punt in een van de buurten van het project (op de buurtkaart)",
                         f"{lat:.5f} {lon:.5f}, buiten elke buurt")
                    continue
        if not gebied:
            kolom = kolommen.get("buurt")
            raw = str(values.get(kolom, "") or "").strip() if kolom else ""
            if not raw:
                fout(rij, kolom or plek_kolom or "locatie", "een plek: een GPS-punt (locatie) of een gekozen buurt",
                     "leeg")
                continue
            gebied = raw.upper() if raw.upper() in buurten else by_name.get(_fold(raw), "")
            if not gebied:
                fout(rij, kolom, "een buurt van het project (code of naam, bv. " + next(iter(buurten), "BU...") + ")",
                     raw)
                continue
        toestemming_kolom = kolommen.get("toestemming")
        consent_raw = _fold(values.get(toestemming_kolom, "")) if toestemming_kolom else ""
        if consent_raw not in JA | NEE:
            fout(rij, toestemming_kolom, "ja of nee", values.get(toestemming_kolom))
            continue
        foto = str(values.get(kolommen.get("foto"), "") or "").strip() if kolommen.get("foto") else ""
        foto = foto.rsplit("/", 1)[-1]
        rol_raw = _fold(values.get(kolommen.get("rol"), "")) if kolommen.get("rol") else ""
        thema_raw = _fold(values.get(kolommen.get("thema"), "")) if kolommen.get("thema") else ""
        waarnemingen.append(Waarneming(
            id=ident, rij=rij, datum=datum, gebied=gebied, scores=scores, lat=lat, lon=lon,
            rol=rollen.get(rol_raw, "anders" if rol_raw else ""),
            opmerking=str(values.get(kolommen.get("opmerking"), "") or "").strip() if kolommen.get("opmerking") else "",
            thema=thema_ids.get(thema_raw, ""), foto=foto, toestemming=consent_raw in JA))
    if problemen:
        raise WijkkitInputError(problemen)
    photos = {}
    for w in waarnemingen:
        if w.foto and w.foto in media:
            source = media[w.foto]
            photos[w.foto] = source.read_bytes() if isinstance(source, Path) else source
    return Schouwbestand(naam, bron, waarnemingen, photos)


def _read_table(path: Path) -> tuple[pd.DataFrame, dict[str, bytes | Path]]:
    """The submissions as text cells, and the photos an ODK Central zip carries."""
    naam = bestandsnaam(path)
    media: dict[str, bytes | Path] = {}
    suffix = path.suffix.lower()
    try:
        if suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                names = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                main = None
                for member in names:
                    first = archive.read(member)[:4000].decode("utf-8-sig", errors="replace").splitlines()[:1]
                    if first and "SubmissionDate" in first[0]:
                        main = member
                        break
                if main is None:
                    raise WijkkitInputError(Probleem(naam, "een ODK Central-export (.csv.zip) met een CSV met de kolom "
                                                     "SubmissionDate", gevonden=", ".join(names[:4]) or "geen CSV"))
                media = {Path(n).name: archive.read(n) for n in archive.namelist()
                         if "/media/" in "/" + n and not n.endswith("/")}
                return _csv(archive.read(main), naam), media
        if suffix in (".xlsx", ".xlsm", ".xls"):
            frame = pd.read_excel(path, sheet_name=0, dtype=str, engine="calamine")
            return frame.fillna("").astype(str), media
        return _csv(path.read_bytes(), naam), media
    except WijkkitInputError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, pd.errors.ParserError) as exc:
        raise WijkkitInputError(Probleem(naam, "een schouwexport als CSV, XLSX of ODK Central-zip",
                                         gevonden=str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__)
                                ) from None


def _csv(data: bytes, naam: str) -> pd.DataFrame:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WijkkitInputError(Probleem(naam, "tekst in UTF-8-codering (sla het bestand op als 'CSV UTF-8')",
                                         gevonden="een andere codering")) from None
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","  # KoBoToolbox writes ';' by default, Central ','
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


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
        if key not in found:  # KoBoToolbox with '_' as its group separator: 'schouw_zwerfvuil'
            found.update({key: c for c in header if not c.startswith("_") and c.casefold().endswith("_" + naam)})
    return found


def _date(values: dict, kolommen: dict, bron: str) -> date | None:
    for column in (kolommen.get("datum"), SUBMITTED.get(bron)):
        raw = str(values.get(column, "") or "").strip() if column else ""
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


def _point(values: dict, kolommen: dict, pairs: list[tuple[str, str]] | None = None
           ) -> tuple[float | None, float | None, str | None, str]:
    """(lat, lon, the column it came from, what was wrong) from the ways the tools write a geopoint."""
    header = list(values)
    if pairs is None:
        pairs = _point_columns(header, kolommen)
    for lat_col, lon_col in pairs:
        lat_raw, lon_raw = str(values.get(lat_col, "") or "").strip(), str(values.get(lon_col, "") or "").strip()
        if lat_raw or lon_raw:
            try:
                lat, lon = float(lat_raw.replace(",", ".")), float(lon_raw.replace(",", "."))
            except ValueError:
                return None, None, lat_col, f"{lat_raw} {lon_raw}"
            if lat == 0 and lon == 0:
                continue  # a phone without a fix writes 0 0: no point
            return lat, lon, lat_col, ""
    for column in (kolommen.get("locatie"), "_geolocation" if "_geolocation" in header else None):
        raw = str(values.get(column, "") or "").strip() if column else ""
        if not raw or raw in ("[None, None]", "[null, null]", "[]"):
            continue
        try:
            # "52.09 5.12 3 5" (ODK), "[52.09, 5.12]" (_geolocation), "52,09 5,12" (typed in a Dutch sheet)
            parts = json.loads(raw) if raw.startswith("[") else re.findall(r"-?\d+(?:[.,]\d+)?", raw)
            lat, lon = float(str(parts[0]).replace(",", ".")), float(str(parts[1]).replace(",", "."))
        except (ValueError, IndexError, TypeError, json.JSONDecodeError):
            return None, None, column, raw
        if lat == 0 and lon == 0:
            continue
        return lat, lon, column, ""
    return None, None, kolommen.get("locatie"), ""


def _digest(values: dict) -> str:
    import hashlib

    return hashlib.sha1(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:10]
