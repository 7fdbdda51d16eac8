"""The demo project: reproducible from its seed, shaped like real KWB files."""

import hashlib

import pytest

from tests.conftest import ROOT
from wijkkit.config import Project
from wijkkit.demo import KWB_COLUMNS, generate
from wijkkit.tellen.sources import read_raw


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_committed_demo_files_are_what_the_script_makes(tmp_path):
    written = generate(tmp_path)
    for path in written:
        committed = ROOT / "data" / path.name
        assert committed.exists(), f"{path.name} is not committed"
        assert digest(path) == digest(committed), f"{path.name} differs from the generator's output"


def test_demo_files_follow_the_kwb_layout(real_cbs):
    real = read_raw(real_cbs / "CBS-Utrecht-kwb-2024.xlsx")
    demo = read_raw(ROOT / "data" / "kwb-2024.xlsx")
    assert demo.header == real.header == KWB_COLUMNS


def test_demo_project_shape():
    project = Project.load(ROOT)
    df = project.load_indicators()
    codes = set(df["gebied_code"].astype(str))
    assert len([c for c in codes if c.startswith("WK")]) == 3
    assert len([c for c in codes if c.startswith("BU")]) >= 12
    assert sorted(df["jaar"].unique()) == [2020, 2021, 2022, 2023, 2024]
    raw = read_raw(ROOT / "data" / "kwb-2024.xlsx")
    assert any(cell == "." for row in raw.rows for cell in row)
    assert (df["status"] == "onbekend").any()
    assert (df["ind_wbi"] == 3).any()  # one boundary change to learn from
