"""The name model's cache: built once when two processes start at once from nothing, rebuilt when torn.

These build deduce's lookup structures for real (about two minutes on two cores), in a
temporary cache folder (``WIJKKIT_NAAMMODEL``), so the user's own cache is never touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from wijkkit.privacy.model import CACHE_FILE

ROOT = Path(__file__).resolve().parents[1]

IMPORT_ONE_STORY = """
import sys
from pathlib import Path
from wijkkit.config import Project
from wijkkit.store import open_store
from wijkkit.store.models import Story
from wijkkit.vertellen.importeren import import_stories

project, folder, db = Project.load(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
store = open_store(f"sqlite:///{db}")
import_stories(project, folder, store=store, door="test")
with store.read() as session:
    print(session.get(Story, "verhaal").tekst)
"""

STORY = """---
gebied: BU99990201
methode: interview
verteller_rol: bewoner
toestemming: analyse
---
Mijn buurman Hendrik Zwanenburg helpt iedereen met de tuin.
"""


def _import(demo_project: Path, tmp_path: Path, cache: Path, name: str) -> subprocess.Popen:
    folder = tmp_path / f"verhalen-{name}"
    folder.mkdir()
    (folder / "verhaal.md").write_text(STORY, encoding="utf-8")
    return subprocess.Popen([sys.executable, "-c", IMPORT_ONE_STORY, str(demo_project), str(folder),
                             str(tmp_path / f"{name}.db")], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, env={**os.environ, "WIJKKIT_NAAMMODEL": str(cache)})


def _pseudonymised(proc: subprocess.Popen) -> str:
    out, err = proc.communicate(timeout=900)
    assert proc.returncode == 0, err[-2000:]
    text = out.strip().splitlines()[-1]
    assert "Zwanenburg" not in text and "[PERSOON-1]" in text, text
    return err


@pytest.mark.slow
def test_two_imports_that_start_at_once_on_an_empty_cache_build_it_once_and_both_succeed(demo_project, tmp_path):
    cache = tmp_path / "naammodel"
    first = _import(demo_project, tmp_path, cache, "een")
    second = _import(demo_project, tmp_path, cache, "twee")
    logs = [_pseudonymised(first), _pseudonymised(second)]
    # one of them built the model (saying so in Dutch), the other waited and loaded the finished file
    assert sum("wordt eenmalig opgebouwd" in log for log in logs) == 1, logs
    [built] = list(cache.glob(f"deduce-*/cache/{CACHE_FILE}"))
    assert built.stat().st_size > 1_000_000
    assert not list(cache.glob("deduce-*/.bouw-*"))  # no half-built folder left behind

    # a torn cache file (a crash or a full disk while it was written elsewhere) is rebuilt, not fatal
    with open(built, "r+b") as handle:
        handle.truncate(built.stat().st_size // 3)
    log = _pseudonymised(_import(demo_project, tmp_path, cache, "drie"))
    assert "wordt eenmalig opgebouwd" in log
    assert built.stat().st_size > 1_000_000
