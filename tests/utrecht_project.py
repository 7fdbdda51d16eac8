"""A project on the real Utrecht KWB files: 111 buurten in 10 wijken, stories spread over them.

The stories are the demo stories (fiction, Dutch) moved to Utrecht buurten with a fixed seed, so
counts, quotes and the map have the shape of a real city. Needs ../shared/data/cbs.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

from tests.conftest import ROOT, SHARED_CBS


def build(target: Path, *, seed: int = 11) -> Path:
    from wijkkit.config import init_project
    from wijkkit.tellen.readers import read_kwb

    init_project(target, naam="Utrecht", gemeente="GM0344")
    for path in SHARED_CBS.glob("CBS-Utrecht-kwb-*.xlsx"):
        shutil.copy(path, target / "data" / path.name)
    codes = sorted(set(read_kwb(target / "data" / "CBS-Utrecht-kwb-2024.xlsx", 2024)["gebied_code"].astype(str)))
    buurten = [c for c in codes if c.startswith("BU")]
    toml = target / "wijkkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("gebieden = []", 'gebieden = ["WK034403"]'),
                    encoding="utf-8")
    rng = random.Random(seed)
    stories = target / "stories"
    for round_ in range(3):  # 480 stories: every buurt gets a few, Overvecht many
        for path in sorted((ROOT / "stories").glob("*.md")):
            text = path.read_text(encoding="utf-8")
            gebied = rng.choice([c for c in buurten if c.startswith("BU034403")] if rng.random() < 0.3 else buurten)
            text = re.sub(r"^gebied: .*$", f"gebied: {gebied}", text, count=1, flags=re.M)
            (stories / f"{path.stem}-{round_}.md").write_text(text, encoding="utf-8")
    return target
