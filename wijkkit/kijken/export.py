"""A foreign schouw export read as text cells: CSV (',' or ';'), XLSX, ODK Central's .csv.zip, KoBoToolbox GeoJSON.

Repeat groups are kept as their own tables (ODK Central: one CSV per repeat with ``PARENT_KEY`` and ``KEY``;
KoBoToolbox XLSX: one sheet per repeat with ``_parent_index``) and can be laid flat: one row per repeat entry,
carrying the columns of the submission it belongs to. Limits are checked before anything is unpacked.
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam

# an XLSX is a zip: 8 MB can unpack to gigabytes, so it is measured before it is opened
MAX_UITGEPAKT = 250_000_000
MAX_VERHOUDING = 100
MAX_BESTAND = 300_000_000
GEOMETRIE = "geometrie"  # the column a GeoJSON feature's point becomes ("lat lon")
# columns the tools add themselves: they say nothing about the street
SYSTEEM = frozenset({
    "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by", "__version__",
    "_tags", "_index", "_parent_index", "_parent_table_name", "_submission__id", "_submission__uuid",
    "_submission__submission_time", "_submission__validation_status", "_submission__notes", "_submission__status",
    "_submission__submitted_by", "_submission___version__", "_submission__tags", "_xform_id_string", "_attachments",
    "_bamboo_dataset_id", "_duration", "_media_all_received", "_media_count", "_total_media", "formhub/uuid",
    "meta/instanceID", "meta/rootUuid", "meta/deprecatedID", "meta/instanceName", "SubmissionDate", "KEY",
    "PARENT_KEY", "meta-instanceID", "meta-instanceName", "meta-deprecatedID", "meta-audit", "SubmitterID",
    "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState", "DeviceID", "Edits",
    "FormVersion", "instanceID", "end", "deviceid", "device_id", "username", "simserial", "subscriberid", "phonenumber",
    "audit", "audit_URL", "__id", "__system", "meta/rootUuid", "_version", "_xform_id", "formhub/uuid",
})


@dataclass
class Export:
    """What an export holds: its main table, its repeat tables by name, and the photos it carries."""

    naam: str
    bron: str  # odk / kobo / tabel
    hoofd: pd.DataFrame
    herhalingen: dict[str, pd.DataFrame] = field(default_factory=dict)
    media: dict[str, bytes | Path] = field(default_factory=dict)


def is_systeem(column: str) -> bool:
    """A column the tool wrote about the submission, not a question the walker answered."""
    column = re.sub(r"\.\d+$", "", column)  # '_index.1': a second '_index' in a KoBoToolbox repeat sheet
    return (column in SYSTEEM or column.startswith(("SET-OF-", "_submission_")) or column.endswith(("_URL", "_url"))
            or (column.startswith("_") and column.endswith(("_altitude", "_precision", "_accuracy")))
            or column.endswith(("-Altitude", "-Accuracy")))


def lees_export(path: str | Path) -> Export:
    """Read an export as text cells (empty cells are ""); a Dutch :class:`WijkkitInputError` when it cannot be."""
    path = Path(path)
    naam = bestandsnaam(path)
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size > MAX_BESTAND:
            raise WijkkitInputError(Probleem(naam, f"een export kleiner dan {MAX_BESTAND // 1_000_000} MB "
                                             "(exporteer per ronde of per buurt)", gevonden=_mb(path.stat().st_size)))
        if suffix == ".zip":
            return _odk_zip(path, naam)
        if suffix in (".xlsx", ".xlsm", ".xls"):
            return _xlsx(path, naam)
        if suffix in (".geojson", ".json"):
            return _geojson(path.read_bytes(), naam)
        frame = _zonder_hxl(_csv(path.read_bytes(), naam))
        return Export(naam, _bron(frame), frame)
    except WijkkitInputError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, pd.errors.ParserError, KeyError) as exc:
        raise WijkkitInputError(Probleem(naam, "een schouwexport als CSV, XLSX, GeoJSON of ODK Central-zip",
                                         gevonden=str(exc).splitlines()[0][:80] if str(exc) else type(exc).__name__)
                                ) from None


def plat(export: Export, herhaling: str) -> tuple[pd.DataFrame, list[tuple[str, int]]]:
    """One row per entry of the repeat ``herhaling``, with the columns of its submission (and of any repeat it is
    nested in) beside its own; and where each row came from (table, row as a person counts it)."""
    if herhaling not in export.herhalingen:
        raise WijkkitInputError(Probleem(export.naam, "een herhaling (repeat) uit de export: " + (", ".join(
            export.herhalingen) or "deze export heeft er geen"), kolom="herhaling", soort="veld", gevonden=herhaling))
    repeat = export.herhalingen[herhaling]
    tables = {"": export.hoofd, **export.herhalingen}
    if "PARENT_KEY" in repeat.columns:  # ODK Central: KEY of the parent, the submission or an outer repeat
        by_key = {key: row for frame in tables.values() if "KEY" in frame.columns
                  for key, row in zip(frame["KEY"], frame.to_dict("records"))}
        parents = []
        for key in repeat["PARENT_KEY"]:
            merged: dict = {}
            while key in by_key:
                row = by_key[key]
                merged = {**row, **merged}
                key = row.get("PARENT_KEY", "")
            parents.append(merged)
    else:  # KoBoToolbox XLSX: _parent_table_name and _parent_index point at a row of another sheet
        by_index = {name or "": {str(i): row for i, row in zip(frame.get("_index", []), frame.to_dict("records"))}
                    for name, frame in tables.items()}
        main_name = next(iter(by_index))
        parents = []
        for table, index in zip(repeat.get("_parent_table_name", [""] * len(repeat)), repeat["_parent_index"]):
            merged = {}
            while True:
                rows = by_index.get(table if table in export.herhalingen else main_name, {})
                row = rows.get(str(index))
                if row is None:
                    break
                merged = {**row, **merged}
                if "_parent_index" not in row:
                    break
                table, index = row.get("_parent_table_name", ""), row["_parent_index"]
            parents.append(merged)
    rows = []
    for parent, own in zip(parents, repeat.to_dict("records")):
        row = {**parent, **own}
        if "_uuid" in parent and "_index" in own:  # a stable id per entry: the submission's and its place
            row["_uuid"] = f"{parent['_uuid']}/{herhaling}[{own['_index']}]"
        rows.append(row)
    columns = list(dict.fromkeys([*export.hoofd.columns, *repeat.columns]))
    frame = pd.DataFrame(rows, columns=columns).fillna("").astype(str)
    return frame, [(herhaling, i + 2) for i in range(len(frame))]


def herhaling_kolommen(export: Export, gekozen: str) -> dict[str, str]:
    """The columns of the repeats that are not read (column -> the repeat), so that none goes unnamed."""
    return {c: name for name, frame in export.herhalingen.items() if name != gekozen
            for c in frame.columns if not is_systeem(c) and c not in export.hoofd.columns}


def _zonder_hxl(frame: pd.DataFrame) -> pd.DataFrame:
    """Without the row of HXL tags ('#symmetry') KoBoToolbox writes under the header when a form has them."""
    if len(frame) and all(not v.strip() or v.strip().startswith("#") for v in frame.iloc[0]) and any(
            v.strip() for v in frame.iloc[0]):
        return frame.iloc[1:].reset_index(drop=True)
    return frame


def _bron(frame: pd.DataFrame) -> str:
    header = set(frame.columns)
    return "odk" if "SubmissionDate" in header else "kobo" if {"_uuid", "_submission_time"} & header else "tabel"


def _odk_zip(path: Path, naam: str) -> Export:
    with zipfile.ZipFile(path) as archive:
        _check_zip(archive, naam)
        csvs = [n for n in archive.namelist() if n.lower().endswith(".csv") and "/media/" not in "/" + n]
        main = None
        for member in csvs:
            first = archive.read(member)[:4000].decode("utf-8-sig", errors="replace").splitlines()[:1]
            if first and "SubmissionDate" in first[0]:
                main = member
                break
        if main is None:
            raise WijkkitInputError(Probleem(naam, "een ODK Central-export (.csv.zip) met een CSV met de kolom "
                                             "SubmissionDate", gevonden=", ".join(csvs[:4]) or "geen CSV"))
        media = {Path(n).name: archive.read(n) for n in archive.namelist()
                 if "/media/" in "/" + n and not n.endswith("/")}
        hoofd = _csv(archive.read(main), Path(main).name)
        stem = Path(main).stem
        herhalingen = {}
        for member in csvs:
            if member == main:
                continue
            frame = _csv(archive.read(member), Path(member).name)
            if "PARENT_KEY" in frame.columns:  # 'schouw-punten.csv' holds the repeat 'punten'
                herhalingen[Path(member).stem.removeprefix(stem + "-")] = frame
        return Export(naam, "odk", hoofd, herhalingen, media)


def _xlsx(path: Path, naam: str) -> Export:
    if zipfile.is_zipfile(path):  # an old .xls is no zip and cannot unpack beyond its size
        with zipfile.ZipFile(path) as archive:
            _check_zip(archive, naam)
    sheets = pd.read_excel(path, sheet_name=None, dtype=str, engine="calamine")
    frames = {name: frame.fillna("").astype(str) for name, frame in sheets.items()}
    names = list(frames)
    hoofd = _zonder_hxl(frames[names[0]])
    herhalingen = {n: f for n, f in frames.items() if n != names[0] and "_parent_index" in f.columns}
    return Export(naam, _bron(hoofd), hoofd, herhalingen)


def _geojson(data: bytes, naam: str) -> Export:
    """KoBoToolbox's GeoJSON export: one feature per submission, its answers as properties, its point as
    geometry (longitude first, as GeoJSON has it)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise WijkkitInputError(Probleem(naam, "GeoJSON (een FeatureCollection)", gevonden=str(exc)[:80])) from None
    features = doc.get("features") if isinstance(doc, dict) else None
    if not isinstance(features, list):
        raise WijkkitInputError(Probleem(naam, "GeoJSON met 'features' (een FeatureCollection)",
                                         gevonden=type(doc).__name__))
    rows = []
    for feature in features:
        props = feature.get("properties") or {} if isinstance(feature, dict) else {}
        row = {str(k): _cel(v) for k, v in props.items()}
        geometry = feature.get("geometry") or {} if isinstance(feature, dict) else {}
        coords = geometry.get("coordinates") if geometry.get("type") == "Point" else None
        row[GEOMETRIE] = f"{_cel(coords[1])} {_cel(coords[0])}" if coords and len(coords) >= 2 else ""
        rows.append(row)
    columns = list(dict.fromkeys(c for row in rows for c in row))
    frame = pd.DataFrame(rows, columns=columns).fillna("").astype(str)
    return Export(naam, _bron(frame), frame)


def _cel(value) -> str:
    """A JSON value as the text a CSV export would hold ('3' for 3 and 3.0, '' for null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and math.isfinite(value) else repr(value)
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _check_zip(archive: zipfile.ZipFile, naam: str) -> None:
    """Refuse a zip (an XLSX is one) that would unpack to far more than it is, before unpacking anything."""
    infos = archive.infolist()
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_UITGEPAKT or (total > 10_000_000 and total / packed > MAX_VERHOUDING):
        raise WijkkitInputError(Probleem(
            naam, f"een bestand dat uitgepakt hoogstens {MAX_UITGEPAKT // 1_000_000} MB is en niet meer dan "
            f"{MAX_VERHOUDING} keer zo groot als ingepakt (exporteer als CSV, of per ronde)",
            gevonden=f"{_mb(packed)} dat uitpakt tot {_mb(total)}"))


def _mb(size: int) -> str:
    """A size as a Dutch reader writes it: '20 kB', '8,0 MB', '2.100,0 MB'."""
    if size < 1_000_000:
        return f"{max(1, round(size / 1000))} kB"
    return f"{size / 1_000_000:,.1f} MB".replace(",", "_").replace(".", ",").replace("_", ".")


def _csv(data: bytes, naam: str) -> pd.DataFrame:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise WijkkitInputError(Probleem(naam, "tekst in UTF-8-codering (sla het bestand op als 'CSV UTF-8')",
                                         gevonden="een andere codering")) from None
    first = text.split("\n", 1)[0]
    sep = ";" if first.count(";") > first.count(",") else ","  # KoBoToolbox writes ';' by default, Central ','
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
