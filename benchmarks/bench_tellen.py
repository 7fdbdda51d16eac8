"""Benchmark: importing national-scale CBS files against a bare pandas read of the same file.

Builds (once, cached in benchmarks/out/) a KWB xlsx of about 17,000 rows x 121 columns by
resampling the real Utrecht rows (or the demo rows when ../shared is absent) under new
codes, then prints, all measured in this one process:
  - raw   : pd.read_excel(engine="calamine") of the file (the baseline)
  - import: wijkkit's first import (read, validate, cache the file, normalise, derive)
  - ratio : import / raw                      (target: at most 1.5)
  - reload: second load from the cache (target: under 0.3 s)
  - peak memory of the import (Python allocations via tracemalloc, and process max RSS)
and the same for a national StatLine "CSV" download (about 18,300 rows x 115 columns, decimal commas,
Amsterdam-style letter codes), resampled from the real Nabijheid file, against ``pd.read_csv`` of the same
file (target: at most 1.5). Two imports are timed, both reading, checking and caching the whole file:
  - project: what a project does with a national file: its own gemeente becomes the tidy table;
  - hele land: every one of the file's two million figures becomes the tidy table.
Raw and import alternate in every round (a busy machine slows both); medians of the rounds.
Finally a national KWB StatLine download "met statistische symbolen" (padded cells, '.' and 'x', 18,000+
rows, tests/landelijk.py) is timed the same way.

Usage: python benchmarks/bench_tellen.py [--rows 17000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "benchmarks" / "out"
sys.path.insert(0, str(ROOT))

from wijkkit.tellen.laden import load_indicators  # noqa: E402
from wijkkit.tellen.sources import read_raw  # noqa: E402


def source_rows() -> tuple[list[str], list[list]]:
    real = ROOT.parent / "shared" / "data" / "cbs" / "CBS-Utrecht-kwb-2023.xlsx"
    table = read_raw(real if real.exists() else ROOT / "data" / "kwb-2022.xlsx")
    print(f"bron voor de rijen: {table.bestand} ({len(table.rows)} rijen)")
    return table.header, table.rows


def build_file(rows_wanted: int) -> Path:
    """A national-scale KWB file: 350 gemeenten with wijken and buurten, resampled rows."""
    from openpyxl import Workbook

    path = OUT / f"kwb-2023-nl-{rows_wanted}.xlsx"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    header, rows = source_rows()
    code_idx = header.index("gwb_code")
    by_level = {p: [r for r in rows if str(r[code_idx]).startswith(p)] for p in ("GM", "WK", "BU")}
    rng = np.random.default_rng(17)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("kwb-2023")
    sheet.append(header)
    written, gm = 0, 0
    while written < rows_wanted:
        gm += 1
        layout = [("GM", f"GM{gm:04d}")]
        for wk in range(1, 9):
            layout.append(("WK", f"WK{gm:04d}{wk:02d}"))
            layout += [("BU", f"BU{gm:04d}{wk:02d}{bu:02d}") for bu in range(1, 6)]
        for level, code in layout:
            template = list(by_level[level][rng.integers(len(by_level[level]))])
            for key in ("gwb_code_10", "gwb_code"):
                template[header.index(key)] = code
            template[header.index("gwb_code_8")] = code[2:]
            sheet.append(template)
            written += 1
            if written >= rows_wanted:
                break
    workbook.save(path)
    return path


def build_statline(rows_wanted: int = 18_300) -> Path:
    """A national StatLine CSV: real Utrecht Nabijheid rows under national codes, some with letters."""
    import csv

    path = OUT / f"statline-nabijheid-nl-{rows_wanted}-2019.csv"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    real = ROOT.parent / "shared" / "data" / "statline" / "nabijheid-buurt-2019-gewone-csv.csv"
    with open(real, encoding="utf-8-sig", newline="") as handle:
        header, *rows = list(csv.reader(handle, delimiter=";"))
    code_idx = header.index("Regioaanduiding/Codering (code)")
    buurten = [r for r in rows if r[code_idx].startswith("BU")]
    rng = np.random.default_rng(18)
    letters = "ABCDEFGHJKLMNP"
    out, gm = [], 0
    while len(out) < rows_wanted:
        gm += 1
        for wk in range(8):
            wijk = f"{gm:04d}{letters[wk]}{letters[gm % 14]}" if gm % 5 == 0 else f"{gm:04d}{wk:02d}"
            for bu in range(1, 6):
                row = list(buurten[rng.integers(len(buurten))])
                row[code_idx] = f"BU{wijk}{bu:02d}"
                out.append(row)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_ALL)
        writer.writerow(header)
        writer.writerows(out[:rows_wanted])
    return path


def timed(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=17_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    path = build_file(args.rows)
    raw = pd.read_excel(path, engine="calamine")
    print(f"bestand: {path.name}, {raw.shape[0]} rijen x {raw.shape[1]} kolommen, "
          f"{path.stat().st_size / 1e6:.1f} MB")
    load_indicators(path, cache=False)  # warm-up: imports, catalogue, OS file cache

    raw_time = timed(lambda: pd.read_excel(path, engine="calamine"), args.repeat)

    def first_import():
        with tempfile.TemporaryDirectory() as cache:
            load_indicators(path, cache_dir=cache)

    import_time = timed(first_import, args.repeat)
    with tempfile.TemporaryDirectory() as cache:
        table = load_indicators(path, cache_dir=cache)
        reload_time = timed(lambda: load_indicators(path, cache_dir=cache), args.repeat)

    tracemalloc.start()
    with tempfile.TemporaryDirectory() as cache:
        load_indicators(path, cache_dir=cache)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    max_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print(f"tidy tabel: {len(table):,} rijen")
    print(f"raw pd.read_excel(calamine): {raw_time:.3f} s")
    print(f"wijkkit eerste import:       {import_time:.3f} s")
    print(f"ratio import/raw:            {import_time / raw_time:.2f}  (doel: <= 1.5)")
    print(f"herladen uit cache:          {reload_time:.3f} s  (doel: < 0.3 s)")
    print(f"piekgeheugen import (tracemalloc): {peak / 1e6:.0f} MB; max RSS proces: {max_rss:.0f} MB")

    if (ROOT.parent / "shared" / "data" / "statline").exists():
        statline = build_statline()
        gemeente = "GM0005"  # one of the resampled file's gemeenten
        compare_csv(statline, "StatLine-CSV landelijk (gewone CSV)", gemeente, max(args.repeat, 21),
                    lambda: pd.read_csv(statline, sep=";", decimal=","), primary=True)
    from tests.landelijk import build as build_landelijk

    symbolen = OUT / "kwb-2024-nederland-symbolen.csv"
    if not symbolen.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        build_landelijk(symbolen)
    compare_csv(symbolen, "KWB StatLine landelijk (met statistische symbolen)", "GM0361", max(args.repeat, 21),
                lambda: pd.read_csv(symbolen, sep=";"))


def compare_csv(path: Path, titel: str, gemeente: str, rounds: int, raw, primary: bool = False) -> None:
    """Raw and wijkkit's imports alternating, round by round; medians."""
    from wijkkit.tellen.catalogus import load_catalogus
    from wijkkit.tellen.laden import Scope

    catalogus = load_catalogus()
    load_indicators(path, cache=False, catalogus=catalogus)  # warm-up

    times: dict[str, list[float]] = {"raw": [], "project": [], "land": []}
    for _ in range(rounds):
        for key, scope in (("raw", None), ("project", Scope(gemeente)), ("land", None)):
            with tempfile.TemporaryDirectory() as cache:  # an empty cache; removing it afterwards is not timed
                start = time.perf_counter()
                raw() if key == "raw" else load_indicators(path, cache_dir=cache, catalogus=catalogus, scope=scope)
                times[key].append(time.perf_counter() - start)
    med = {k: statistics.median(v) for k, v in times.items()}
    # the ratio of each round (raw and import measured back to back), then the median of those
    per_round = {k: statistics.median(i / r for i, r in zip(times[k], times["raw"])) for k in ("project", "land")}
    with tempfile.TemporaryDirectory() as cache:
        load_indicators(path, cache_dir=cache, catalogus=catalogus)
        reload = timed(lambda: load_indicators(path, cache_dir=cache, catalogus=catalogus, scope=Scope(gemeente)),
                       rounds)
    rows = sum(1 for _ in open(path, encoding="utf-8-sig")) - 1
    print(f"{titel}: {path.name}, {rows} rijen")
    print(f"raw pd.read_csv:                         {med['raw']:.3f} s")
    print(f"wijkkit import, project ({gemeente}):        {med['project']:.3f} s")
    print(f"wijkkit import, hele land als lange tabel: {med['land']:.3f} s")
    print(f"herladen uit cache, project:             {reload:.3f} s")
    label = "ratio import/raw (StatLine)" if primary else "ratio import/raw (StatLine met symbolen)"
    print(f"{label}: {per_round['project']:.2f}  (doel: <= 1.5; mediaan van {rounds} rondes; het project leest "
          "het hele bestand, controleert en bewaart het, en maakt de eigen gemeente tot tabel)")
    print(f"ratio import/raw, hele land als lange tabel: {per_round['land']:.2f}")


if __name__ == "__main__":
    main()
