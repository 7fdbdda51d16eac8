"""The demo project: reproducible from its seed, shaped like real KWB files."""

import hashlib
import json


from tests.conftest import ROOT
from wijkkit.config import Project
from wijkkit.demo.cijfers import KWB_COLUMNS, generate
from wijkkit.tellen.sources import read_raw


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_committed_demo_files_are_what_the_script_makes(tmp_path):
    """Same cells (the xlsx bytes also depend on whether openpyxl serialises with lxml)."""
    written = generate(tmp_path)
    for path in written:
        committed = ROOT / "data" / path.name
        assert committed.exists(), f"{path.name} is not committed"
        if path.suffix == ".geojson":
            assert json.loads(path.read_text(encoding="utf-8")) == json.loads(committed.read_text(encoding="utf-8"))
            continue
        fresh, kept = read_raw(path), read_raw(committed)
        assert (fresh.header, fresh.rows) == (kept.header, kept.rows), f"{path.name} differs from the generator"


def test_generator_is_byte_stable_within_one_environment(tmp_path):
    first, second = generate(tmp_path / "a"), generate(tmp_path / "b")
    assert [digest(p) for p in first] == [digest(p) for p in second]


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


def test_demo_stories_are_what_the_script_makes_and_cover_the_field(tmp_path):
    from wijkkit.codebook import DEFAULT_THEME_IDS
    from wijkkit.demo.verhalen import FRAGMENTEN, PERSOONLIJK
    from wijkkit.demo.verhalen import generate as generate_stories
    from wijkkit.vertellen.importers import read_stories

    written = generate_stories(tmp_path)
    assert len(written) >= 150
    for path in written:
        assert path.read_text(encoding="utf-8") == (ROOT / "stories" / path.name).read_text(encoding="utf-8")
    stories = read_stories(ROOT / "stories")
    assert {s.methode for s in stories} >= {"storytelling", "straatgesprek", "buurtbabbel", "interview",
                                            "verhalenavond", "straatschouw", "observatie"}
    assert {s.verteller_rol for s in stories} == {"bewoner", "ondernemer", "professional", "jongere"}
    assert {theme for theme, _ in FRAGMENTEN} == set(DEFAULT_THEME_IDS)
    assert {valence for _, valence in FRAGMENTEN} == {"kracht", "knelpunt"}
    assert len({s.gebied for s in stories}) >= 12
    assert sum(any(p in s.tekst for p in PERSOONLIJK) for s in stories) >= 10  # pseudonymisation has work
