import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_CBS = ROOT.parent / "shared" / "data" / "cbs"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def isolated_cache(tmp_path, monkeypatch):
    """Every test gets its own cache folder, so one test's cache never feeds another."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("WIJKKIT_CACHE", str(cache))
    return cache


@pytest.fixture
def real_cbs():
    if not (SHARED_CBS / "CBS-Utrecht-kwb-2023.xlsx").exists():
        pytest.skip("echte CBS-bestanden niet aanwezig (../shared/data/cbs)")
    return SHARED_CBS


@pytest.fixture
def demo_project(tmp_path):
    """A copy of the built-in demo project, so tests may write caches and stores into it."""
    target = tmp_path / "demo"
    target.mkdir()
    for name in ("wijkkit.toml", "codebook.yml", "indicatoren.yml"):
        shutil.copy(ROOT / name, target / name)
    for folder in ("data", "notebooks", "stories"):
        if (ROOT / folder).exists():
            shutil.copytree(ROOT / folder, target / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def require(env_var: str, reason: str):
    """Skip, unless CI demands this kind of test (then a missing tool is a failure)."""
    if os.environ.get(env_var) == "1":
        pytest.fail(f"{reason}, maar {env_var}=1 vereist deze test")
    pytest.skip(reason)
