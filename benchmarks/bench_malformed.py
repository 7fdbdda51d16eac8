"""Malformed input: how many hand-made cases, how many ended in anything but a Dutch WijkkitInputError,
and how long the slowest took (goal: 0 other exceptions, every case under 10 s).

Runs the cases of ``tests/test_malformed.py`` outside pytest, each in its own temporary folder.
Generated input is covered by that module's property tests; run them with more examples via
``WIJKKIT_HYPOTHESIS_VOORBEELDEN=600 python -m pytest tests/test_malformed.py -k "not malformed"``.

Usage: python benchmarks/bench_malformed.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.test_malformed import CASES  # noqa: E402
from wijkkit.errors import WijkkitInputError  # noqa: E402


def main() -> None:
    others, refused, accepted, times = [], 0, [], {}
    for name, make in CASES.items():
        with tempfile.TemporaryDirectory() as folder:
            call, _word, _root = make(Path(folder))
            start = time.perf_counter()
            try:
                call()
                accepted.append(name)
            except WijkkitInputError:
                refused += 1
            except Exception as exc:  # exactly what this benchmark counts
                others.append(f"{name}: {type(exc).__name__}: {str(exc)[:80]}")
            times[name] = time.perf_counter() - start
    slowest = sorted(times.items(), key=lambda item: -item[1])[:3]
    print(f"gevallen: {len(CASES)}")
    print(f"geweigerd met een Nederlandse melding: {refused}")
    print(f"andere uitzonderingen: {len(others)}")
    for line in others:
        print("  -", line)
    print(f"ten onrechte geaccepteerd: {len(accepted)}")
    for name in accepted:
        print("  -", name)
    print("traagste: " + "; ".join(f"{name} {seconds:.2f} s" for name, seconds in slowest))


if __name__ == "__main__":
    main()
