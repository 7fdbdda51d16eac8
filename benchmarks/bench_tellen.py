"""Benchmark: importing a national-scale KWB file against a bare pandas read of the same file.

Builds (once, cached in benchmarks/out/) a KWB xlsx of about 17,000 rows x 121 columns by
resampling the real Utrecht rows (or the demo rows when ../shared is absent) under new
codes, then prints, all measured in this one process:
  - raw   : pd.read_excel(engine="calamine") of the file (the baseline)
  - import: wijkkit's first import (read, validate, normalise, derive, write parquet cache)
  - ratio : import / raw                      (target: at most 1.5)
  - reload: second load from the parquet cache (target: under 0.3 s)
  - peak memory of the import (Python allocations via tracemalloc, and process max RSS)
and the same for a national StatLine "CSV" download (about 18,300 rows, decimal commas, Amsterdam-style
letter codes), resampled from the real Nabijheid file (or from the demo when ../shared is absent),
against ``pd.read_csv`` of the same file:
  - statline raw / import / ratio

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
        load_indicators(statline, cache=False)  # warm-up
        raw_csv = timed(lambda: pd.read_csv(statline, sep=";", decimal=","), args.repeat)

        def statline_import():
            with tempfile.TemporaryDirectory() as cache:
                load_indicators(statline, cache_dir=cache)

        statline_time = timed(statline_import, args.repeat)
        print(f"StatLine-CSV landelijk: {statline.name}")
        print(f"raw pd.read_csv:             {raw_csv:.3f} s")
        print(f"wijkkit eerste import:       {statline_time:.3f} s")
        print(f"ratio import/raw (StatLine): {statline_time / raw_csv:.2f}")


if __name__ == "__main__":
    main()
