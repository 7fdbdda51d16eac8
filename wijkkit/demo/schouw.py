"""The demo project's straatschouw: two rounds through Lindehoven's buurten, in May 2023 and May 2024. FICTION.

Run ``python -m wijkkit.demo.schouw`` to regenerate ``data/schouw/``: the 2023 round as ODK Central writes its
CSV export (``,``, ``SubmissionDate``, ``schouw-zwerfvuil``, ``locatie-Latitude``, ``KEY``) and the 2024 round as
KoBoToolbox writes it (``;``, ``_uuid``, ``_submission_time``, ``schouw/zwerfvuil``, ``_locatie_latitude``), so the
demo shows both readers. Points are drawn inside the buurt shapes of ``data/lindehoven-buurten.geojson``; the
levels follow each buurt's fictional story (Rietveld-Zuid slides, Kanaalzone and Stationsbuurt improve); remarks
are invented, one names a person so the pseudonymiser has something to do. The seed is fixed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import numpy as np

from wijkkit.demo.cijfers import BUURTEN

SEED = 20261205
RONDES = {2023: date(2023, 5, 9), 2024: date(2024, 5, 14)}
ONDERDELEN = ("zwerfvuil", "onkruid", "graffiti", "bestrating", "groen", "meubilair")
LEVELS = ("a_plus", "a", "b", "c", "d")
ROLLEN = ("bewoner", "bewoner", "bewoner", "wijkbeheerder", "corporatie", "wijkprofessional")
OPMERKINGEN = {
    "slecht": ["Naast de containers staan weer vuilniszakken, de meeuwen trekken ze open.",
               "Veel zwerfvuil langs het water, vooral blikjes en chipszakken.",
               "De stoeptegels liggen hier scheef, een mevrouw met een rollator struikelde bijna.",
               "Het bankje bij de speeltuin is al maanden kapot.",
               "Graffiti op de muur van de garageboxen, en er hangen oude affiches.",
               "Meneer Jansen van nummer 12 zet elke week zijn grofvuil hier neer.",
               "Onkruid tussen de tegels tot aan je knieën."],
    "goed": ["Het plantsoen is net gemaaid en ziet er verzorgd uit.",
             "Nieuwe prullenbakken bij het plein, die worden goed gebruikt.",
             "De bewonersgroep heeft de boomspiegels beplant, dat maakt verschil.",
             "Schoon en rustig, de straat is vorige week geveegd."],
}


def quality(buurt, jaar: int) -> float:
    """A buurt's fictional state of its public space (higher is better), drifting with its story."""
    base = 3.2 - buurt.bijstand / 40 + buurt.inkomen / 40
    return base + buurt.trend * 0.6 * (jaar - 2023)


def _points(shape, n: int, rng) -> list[tuple[float, float]]:
    from shapely import Point

    minx, miny, maxx, maxy = shape.bounds
    points = []
    while len(points) < n:
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if shape.contains(Point(lon, lat)):
            points.append((round(lat, 6), round(lon, 6)))
    return points


def rows(root: Path) -> dict[int, list[dict]]:
    import geopandas as gpd

    shapes = gpd.read_file(root / "data" / "lindehoven-buurten.geojson").set_index("buurtcode")
    rng = np.random.default_rng(SEED)
    out: dict[int, list[dict]] = {}
    for jaar, dag in RONDES.items():
        out[jaar] = []
        for buurt in BUURTEN:
            if buurt.inwoners < 500:
                continue  # nobody walks the business park
            n = int(rng.integers(6, 10))
            for lat, lon in _points(shapes.loc[buurt.code].geometry, n, rng):
                q = quality(buurt, jaar)
                scores = {}
                for onderdeel in ONDERDELEN:
                    if rng.random() < 0.08:
                        scores[onderdeel] = "nvt"
                        continue
                    index = int(np.clip(round(4 - q + rng.normal(0, 0.8)), 0, 4))
                    scores[onderdeel] = LEVELS[index]
                worst = max(LEVELS.index(s) for s in scores.values() if s != "nvt")
                opmerking = ""
                if rng.random() < 0.35:
                    pool = OPMERKINGEN["slecht" if worst >= 3 else "goed"]
                    opmerking = pool[int(rng.integers(len(pool)))]
                gps = rng.random() > 0.15
                out[jaar].append({
                    "datum": dag + timedelta(days=int(rng.integers(0, 3))), "buurt": buurt.code, "gps": gps,
                    "lat": lat, "lon": lon, "rol": ROLLEN[int(rng.integers(len(ROLLEN)))], "scores": scores,
                    "opmerking": opmerking, "thema": "schoon_heel" if opmerking else "",
                    "toestemming": "ja" if rng.random() < 0.7 else "nee",
                    "uuid": str(uuid.UUID(bytes=hashlib.sha256(f"{jaar}{buurt.code}{lat}{lon}".encode()).digest()[:16],
                                          version=4))})
    return out


def _stamp(day: date, minute: int) -> datetime:
    return datetime(day.year, day.month, day.day, 10, 0, tzinfo=timezone.utc) + timedelta(minutes=minute)


def odk_central(items: list[dict]) -> str:
    header = (["SubmissionDate", "start", "end", "datum", "rol", "plek", "locatie-Latitude", "locatie-Longitude",
               "locatie-Altitude", "locatie-Accuracy", "buurt"] + [f"schouw-{o}" for o in ONDERDELEN]
              + ["opmerking", "thema", "foto", "toestemming", "meta-instanceID", "meta-instanceName", "KEY",
                 "SubmitterID", "SubmitterName", "AttachmentsPresent", "AttachmentsExpected", "Status", "ReviewState",
                 "DeviceID", "Edits", "FormVersion"])
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for i, r in enumerate(items):
        start = _stamp(r["datum"], 7 * i)
        key = f"uuid:{r['uuid']}"
        writer.writerow([(start + timedelta(hours=3)).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                         start.isoformat(timespec="milliseconds"), (start + timedelta(minutes=5)).isoformat(
                             timespec="milliseconds"), r["datum"].isoformat(), r["rol"], "gps" if r["gps"] else "buurt",
                         r["lat"] if r["gps"] else "", r["lon"] if r["gps"] else "", "2.1" if r["gps"] else "",
                         "4.8" if r["gps"] else "", "" if r["gps"] else r["buurt"],
                         *[r["scores"][o] for o in ONDERDELEN], r["opmerking"], r["thema"], "", r["toestemming"],
                         key, f"{r['datum'].isoformat()} {r['rol']}", key, "12", "schouwteam", "0", "0", "", "",
                         "collect:demo", "0", "2023050901"])
    return out.getvalue()


def kobotoolbox(items: list[dict]) -> str:
    header = (["start", "end", "datum", "rol", "plek", "locatie", "_locatie_latitude", "_locatie_longitude",
               "_locatie_altitude", "_locatie_precision", "buurt"] + [f"schouw/{o}" for o in ONDERDELEN]
              + ["opmerking", "thema", "foto", "foto_URL", "toestemming", "_id", "_uuid", "_submission_time",
                 "_validation_status", "_notes", "_status", "_submitted_by", "__version__", "_tags", "_index"])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(header)
    for i, r in enumerate(items):
        start = _stamp(r["datum"], 6 * i)
        point = f"{r['lat']} {r['lon']} 1.5 5.0" if r["gps"] else ""
        writer.writerow([start.isoformat(timespec="milliseconds"), (start + timedelta(minutes=4)).isoformat(
                         timespec="milliseconds"), r["datum"].isoformat(), r["rol"], "gps" if r["gps"] else "buurt",
                         point, r["lat"] if r["gps"] else "", r["lon"] if r["gps"] else "", "1.5" if r["gps"] else "",
                         "5.0" if r["gps"] else "", "" if r["gps"] else r["buurt"],
                         *[r["scores"][o] for o in ONDERDELEN], r["opmerking"], r["thema"], "", "", r["toestemming"],
                         str(40_000_000 + i), r["uuid"], (start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S"),
                         "", "[]", "submitted_via_web", "schouwteam", "vQ8demoSchouw2024", "[]", str(i + 1)])
    return out.getvalue()


def write(root: str | Path = ".") -> list[Path]:
    root = Path(root)
    folder = root / "data" / "schouw"
    folder.mkdir(parents=True, exist_ok=True)
    made = rows(root)
    paths = [folder / "lindehoven-schouw-2023-odk-central.csv", folder / "lindehoven-schouw-2024-kobotoolbox.csv"]
    paths[0].write_text(odk_central(made[2023]), encoding="utf-8")
    paths[1].write_text(kobotoolbox(made[2024]), encoding="utf-8")
    return paths


if __name__ == "__main__":
    for path in write():
        print(path)
