"""Benchmark: reading a city-sized straatschouw export against a bare pandas read of the same file.

Writes a KoBoToolbox-style CSV (``;``, ``schouw/...`` groups, ``_locatie_latitude``) of N submissions at points
inside the shapes of a buurtkaart (the real Ermelo CBS buurtkaart when ../shared is present, else the demo map),
then prints, measured in this one process:
  - raw    : ``pd.read_csv`` of the file (the baseline)
  - lezen  : wijkkit's read: every cell checked, every GPS point placed in its buurt (point in polygon)
  - ratio  : lezen / raw
  - tellen : the indicators (shares at CROW B or better per buurt, wijk, gemeente and year) from the submissions
Medians of the rounds; raw and lezen alternate.

Usage: python benchmarks/bench_schouw.py [--n 20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
REAL_MAP = ROOT.parent / "shared" / "data" / "geo" / "cbs-buurtkaart-2021-ermelo.gpkg"
ITEMS = ["zwerfvuil", "onkruid", "graffiti", "bestrating", "groen", "meubilair"]
LEVELS = ["a_plus", "a", "b", "c", "d", "nvt"]


def shapes():
    from wijkkit.verbinden.kaart import read_geometry

    if REAL_MAP.exists():
        return read_geometry(REAL_MAP, gemeente="GM0233"), "echte buurtkaart Ermelo"
    return read_geometry(ROOT / "data" / "lindehoven-buurten.geojson"), "demokaart Lindehoven"


def export(path: Path, frame, n: int, rng) -> None:
    from shapely import Point

    rows = []
    geometries = list(frame.geometry)
    while len(rows) < n:
        shape = geometries[int(rng.integers(len(geometries)))]
        minx, miny, maxx, maxy = shape.bounds
        lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
        if not shape.contains(Point(lon, lat)):
            continue
        i = len(rows)
        rows.append([f"2024-05-{1 + i % 28:02d}", "bewoner", "gps", f"{lat:.6f} {lon:.6f} 0 5", f"{lat:.6f}",
                     f"{lon:.6f}", "", *[LEVELS[int(rng.integers(6))] if k else "b" for k in range(len(ITEMS))],
                     "", "nee", str(i), f"uuid-{i}", "2024-05-30T12:00:00"])
    header = (["datum", "rol", "plek", "locatie", "_locatie_latitude", "_locatie_longitude", "buurt"]
              + [f"schouw/{i}" for i in ITEMS] + ["opmerking", "toestemming", "_id", "_uuid", "_submission_time"])
    pd.DataFrame(rows, columns=header).to_csv(path, sep=";", index=False)


def main() -> None:
    from wijkkit.kijken.importeren import plaatser
    from wijkkit.kijken.indicatoren import schouw_indicatoren
    from wijkkit.kijken.lezen import read_schouw
    from wijkkit.kijken.onderdelen import onderdelen
    from wijkkit.tellen.catalogus import load_catalogus

    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    frame, which = shapes()
    items = onderdelen(load_catalogus())
    names = dict(zip(frame["gebied_code"], frame.get("gebied_naam", frame["gebied_code"])))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "schouw.csv"
        export(path, frame, args.n, np.random.default_rng(1))
        raw, lezen, tellen = [], [], []
        for _ in range(args.repeat):
            start = time.perf_counter()
            pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
            raw.append(time.perf_counter() - start)
            start = time.perf_counter()
            read = read_schouw(path, onderdelen=items, buurten=names, plaats=plaatser(frame))
            lezen.append(time.perf_counter() - start)
            table = pd.DataFrame([{"id": w.id, "datum": w.datum, "gebied": w.gebied, "scores": w.scores}
                                  for w in read.waarnemingen])
            start = time.perf_counter()
            schouw_indicatoren(table, items, gemeente="GM" + frame["gebied_code"].iloc[0][2:6], drempel=5)
            tellen.append(time.perf_counter() - start)
    r, le, t = (statistics.median(x) for x in (raw, lezen, tellen))
    print(f"{args.n} inzendingen, {len(frame)} buurtvlakken ({which})")
    print(f"raw    {r:.3f} s   (pd.read_csv)")
    print(f"lezen  {le:.3f} s   ({args.n / le:,.0f} inzendingen/s; alles gecontroleerd en in een buurt geplaatst)")
    print(f"ratio  {le / r:.1f}")
    print(f"tellen {t:.3f} s")


if __name__ == "__main__":
    main()
