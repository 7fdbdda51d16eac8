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
    for name in ("wijkkit.toml", "codebook.yml", "indicatoren.yml", "verandertheorie.yml"):
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


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    """A fresh, empty store on each backend (PostgreSQL: a new database, dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'wijkkit.db'}"
        return
    import uuid

    base = os.environ.get("WIJKKIT_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    try:
        import psycopg

        admin = psycopg.connect(base.replace("postgresql+psycopg", "postgresql"), autocommit=True,
                                connect_timeout=3)
    except Exception as exc:  # no server on this machine
        require("WIJKKIT_REQUIRE_POSTGRES", f"PostgreSQL niet bereikbaar ({type(exc).__name__})")
    name = f"wijkkit_test_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield base.rsplit("/", 1)[0] + f"/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="session")
def pseudonimiseerder():
    from wijkkit.privacy import Pseudonimiseerder
    from wijkkit.privacy.evaluatie import GEBIED_NAMEN_DEMO

    return Pseudonimiseerder(GEBIED_NAMEN_DEMO)


def team_accepts_suggestions(project, codeur: str = "testcodeur") -> None:
    """A coder who accepts every suggestion and finishes every story. Pages then show what the suggestions say,
    as the team's codes: a story nobody coded counts with its suggestions only on themes where they proved
    good enough (issue 24), and these tests are about what pages show, not about that choice."""
    from sqlalchemy import select

    from wijkkit.coderen.beslissingen import mark_done
    from wijkkit.store.models import Coding, Story

    store = project.open_store()
    with store.session() as session:
        rows = session.scalars(select(Coding).where(Coding.status == "suggested")).all()
        session.add_all([Coding(story_id=c.story_id, segment_id=c.segment_id, thema=c.thema, valentie=c.valentie,
                                status="accepted", codeur=codeur, start=c.start, end=c.end, bewijs=c.bewijs,
                                term=c.term, suggestie_id=c.id) for c in rows])
        stories = session.scalars(select(Story.id).where(Story.toestemming != "none")).all()
    for story_id in stories:
        mark_done(store, story_id, codeur)
