"""A store that cannot be written (read-only, full disk) and values one backend would refuse.

Reading must keep working on a read-only store; every refused write is one Dutch message,
and the store keeps exactly what it had.
"""

import os
import shutil

import pytest
from sqlalchemy import event, select
from typer.testing import CliRunner

from wijkkit.cli import app
from wijkkit.config import Project
from wijkkit.errors import WijkkitInputError
from wijkkit.store import open_store
from wijkkit.store.models import Coding, Memo, Story
from wijkkit.vertellen.importeren import import_stories

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
runner = CliRunner()


def small_project(demo_project, n=6):
    """The demo project with its first ``n`` stories imported and one coding per story."""
    stories = demo_project / "stories"
    for path in sorted(stories.iterdir())[n:]:
        path.unlink() if path.is_file() else shutil.rmtree(path)
    project = Project.load(demo_project)
    store = project.open_store()
    import_stories(project, stories, store=store, suggest=False, door="test")
    for story_id in sorted(store.story_ids()):
        store.add_coding(story_id=story_id, thema="wonen", status="manual", codeur="anna", valentie="kracht")
    return project, store


def snapshot(store):
    with store.read() as session:
        return (sorted(session.scalars(select(Story.id))),
                sorted((c.story_id, c.thema, c.codeur) for c in session.scalars(select(Coding))),
                sorted(m.tekst for m in session.scalars(select(Memo))))


@pytest.fixture
def no_write_permission(monkeypatch):
    """This user may read the store but not write it or its folder (tests run as root, who may always)."""
    real_access = os.access

    def access(path, mode, *args, **kwargs):
        if mode & os.W_OK and "wijkkit.db" in str(path) or (mode & os.W_OK and os.path.isdir(path)
                                                            and os.path.exists(os.path.join(path, "wijkkit.db"))):
            return False
        return real_access(path, mode, *args, **kwargs)

    monkeypatch.setattr("wijkkit.store.db.os.access", access)


def test_a_read_only_store_can_be_read_and_refuses_writes_in_dutch(demo_project, no_write_permission):
    project, store = small_project(demo_project)
    before = snapshot(store)
    store.close()

    reader = project.open_store()
    assert snapshot(reader) == before and len(before[0]) == 6
    result = runner.invoke(app, ["coderen", "betrouwbaarheid", "--project", str(demo_project)])
    assert result.exit_code == 0, result.output
    from wijkkit.kenniskring.gegevens import Kenniskring

    kring = Kenniskring(project)  # what the dashboard loads for a knowledge circle
    assert kring.store.story_ids() == set(before[0])
    with pytest.raises(WijkkitInputError, match="alleen-lezen") as info:
        reader.add_memo(codeur="anna", tekst="Dit mag niet bewaard worden.")
    assert "wijkkit.db" in str(info.value)
    nieuw = demo_project / "nieuw"
    nieuw.mkdir()
    (nieuw / "verhaal-nieuw.md").write_text(
        (demo_project / "stories" / "verhaal-001.md").read_text(encoding="utf-8"), encoding="utf-8")
    result = runner.invoke(app, ["vertellen", "importeer", str(nieuw), "--project", str(demo_project)])
    assert result.exit_code == 2 and "alleen-lezen" in result.output, result.output
    assert "Traceback" not in result.output
    assert snapshot(reader) == before


def test_figures_are_read_where_the_cache_cannot_be_written(demo_project, monkeypatch):
    from wijkkit.tellen import cache

    project = Project.load(demo_project)
    expected = project.load_indicators()
    shutil.rmtree(project.cache_dir)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(cache.tempfile, "mkstemp", refuse)
    again = Project.load(demo_project).load_indicators()
    assert len(again) == len(expected) and not any(project.cache_dir.glob("**/*.arrow"))


def test_a_full_disk_is_one_dutch_message_and_the_store_keeps_what_it_had(demo_project):
    project, store = small_project(demo_project, n=3)
    before = snapshot(store)
    # SQLite's own limit on the file's size gives the real SQLITE_FULL error, as a full disk does
    with store.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()

    @event.listens_for(store.engine, "connect")
    def _limit(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

    store.engine.dispose()
    with pytest.raises(WijkkitInputError, match="ruimte op de schijf") as info:
        with store.session() as session:
            for n in range(50):
                session.add(Memo(codeur="anna", tekst=f"Een lange notitie {n}. " * 400))
    assert "full" in str(info.value)
    assert snapshot(store) == before
    assert store.integrity_ok()


@pytest.mark.parametrize("veld, waarde, woord", [
    ("codeur", "x" * 201, "hoogstens 200"),
    ("tekst", "een NUL\x00-teken", "NUL"),
])
def test_values_postgresql_would_refuse_are_refused_on_every_backend(store_url, veld, waarde, woord):
    store = open_store(store_url)
    with store.session() as session:
        session.add(Story(id="s1", tekst="Tekst.", gebied="BU99990201", methode="interview",
                          verteller_rol="bewoner", toestemming="analyse", privacy={}))
    memo = {"codeur": "anna", "tekst": "Gewone notitie.", "story_id": "s1", **{veld: waarde}}
    with pytest.raises(WijkkitInputError, match=woord) as info:
        store.add_memo(**memo)
    assert "memos" in str(info.value) and veld in str(info.value)
    assert store.count(Memo) == 0
