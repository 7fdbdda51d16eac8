"""The store on SQLite and PostgreSQL: migrations, atomic imports, concurrent coders."""

import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import select

from wijkkit.store import open_store
from wijkkit.store.models import Afgerond, CodebookVersion, Coding, Import, Segment, Story

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def add_story(store, story_id="s1"):
    with store.session() as session:
        session.add(Story(id=story_id, tekst="Tekst.", gebied="BU99990201", methode="interview",
                          verteller_rol="bewoner", toestemming="analyse", privacy={}))


def test_migrated_store_round_trip(store_url):
    store = open_store(store_url)
    open_store(store_url)  # a second open finds the schema current
    add_story(store)
    coding = store.add_coding(story_id="s1", thema="wonen", status="accepted", codeur="anna", valentie="knelpunt")
    store.add_memo(story_id="s1", codeur="anna", tekst="Let op: schimmel komt vaker terug.")
    with store.read() as session:
        row = session.get(Coding, coding)
        assert (row.thema, row.status, row.codeur) == ("wonen", "accepted", "anna")
    with pytest.raises(ValueError):
        store.add_coding(story_id="s1", thema="wonen", status="misschien", codeur="anna")
    assert store.integrity_ok()


CODER = """
import sys
from wijkkit.store import open_store
store = open_store(sys.argv[1], migrate_schema=False)
for i in range(int(sys.argv[3])):
    store.add_coding(story_id="s1", thema="wonen", status="manual", codeur=sys.argv[2], bewijs=str(i))
"""


def test_eight_coders_at_once_lose_nothing(store_url):
    store = open_store(store_url)
    add_story(store)
    per_coder = 40
    procs = [subprocess.Popen([sys.executable, "-c", CODER, store_url, f"codeur{n}", str(per_coder)])
             for n in range(8)]
    assert all(p.wait(timeout=300) == 0 for p in procs)
    with store.read() as session:
        codings = session.scalars(select(Coding)).all()
    assert len(codings) == 8 * per_coder
    for n in range(8):
        mine = sorted(int(c.bewijs) for c in codings if c.codeur == f"codeur{n}")
        assert mine == list(range(per_coder))
    assert store.integrity_ok()


TEAM_MEMBER = """
import sys
from pathlib import Path
from wijkkit.coderen.beslissingen import decide, mark_done
from wijkkit.store import open_store
url, k, project_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3]
store = open_store(url, migrate_schema=False)
if k < 4:  # a third of the team imports a story of their own meanwhile
    from wijkkit.config import Project
    from wijkkit.vertellen.importeren import import_stories
    project = Project.load(project_dir)
    import_stories(project, Path(project_dir) / f"extra{k}", store=store, suggest=False, door=f"c{k}")
for i in range(20):
    mark_done(store, "s1", "team")  # everyone marks the same story done for the team: idempotent
    mark_done(store, "s1", f"c{k}")
    store.register_codebook('{"thema": "hetzelfde codeboek"}')
    decide(store, codeur=f"c{k}", story_id="s1", status="manual", thema="wonen", valentie="kracht")
"""


def test_twelve_team_members_at_once_fail_nowhere_and_lose_nothing(store_url, demo_project):
    store = open_store(store_url)
    add_story(store)
    template = (demo_project / "stories" / "verhaal-001.md").read_text(encoding="utf-8")
    for k in range(4):
        (demo_project / f"extra{k}").mkdir()
        (demo_project / f"extra{k}" / f"teamverhaal-{k}.md").write_text(template, encoding="utf-8")
    procs = [subprocess.Popen([sys.executable, "-c", TEAM_MEMBER, store_url, str(k), str(demo_project)],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for k in range(12)]
    outputs = [p.communicate(timeout=600)[0].decode() for p in procs]
    failed = [out for p, out in zip(procs, outputs) if p.returncode != 0]
    assert not failed, failed[0][-2000:]
    with store.read() as session:
        done = sorted(session.execute(select(Afgerond.story_id, Afgerond.codeur)).all())
        codings = session.execute(select(Coding.codeur)).scalars().all()
        digests = session.execute(select(CodebookVersion.digest)).scalars().all()
    assert done == sorted([("s1", "team")] + [("s1", f"c{k}") for k in range(12)])
    assert sorted(codings) == sorted(f"c{k}" for k in range(12) for _ in range(20))
    assert len(digests) == len(set(digests)) <= 2  # ours, and the project's codebook from the imports
    assert len(store.story_ids()) == 1 + 4
    assert store.integrity_ok()


IMPORTER = """
import sys
from wijkkit.config import Project
from wijkkit.store import open_store
from wijkkit.vertellen.importeren import import_stories
project = Project.load(sys.argv[1])
import_stories(project, project.root / "stories", store=open_store(sys.argv[2]), suggest=False)
"""


def test_sigkill_during_import_leaves_no_partial_import(store_url, demo_project, tmp_path):
    open_store(store_url)  # the schema exists before the importing process starts
    marker = tmp_path / "busy"
    env = {**os.environ, "WIJKKIT_TEST_PAUSE_IMPORT": "60", "WIJKKIT_TEST_PAUSE_MARKER": str(marker)}
    proc = subprocess.Popen([sys.executable, "-c", IMPORTER, str(demo_project), store_url], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # wait until the import has written half its stories inside its transaction, then paused
    deadline = time.time() + 240
    while time.time() < deadline and proc.poll() is None and not marker.exists():
        time.sleep(0.5)
    assert proc.poll() is None, proc.stdout.read().decode()
    assert int(marker.read_text()) > 50  # rows were flushed to the database, uncommitted
    assert _in_transaction(store_url)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    fresh = open_store(store_url, migrate_schema=False)
    for model in (Story, Segment, Coding, Import, CodebookVersion):  # the codebook row is in the same transaction
        assert fresh.count(model) == 0, model.__name__
    assert fresh.integrity_ok()


def _in_transaction(url: str) -> bool:
    """True when another process holds the write transaction (SQLite) or an open one (PostgreSQL)."""
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.split("///", 1)[1], timeout=0.1)
        try:
            connection.execute("BEGIN IMMEDIATE")
            connection.rollback()
            return False
        except sqlite3.OperationalError:
            return True
        finally:
            connection.close()
    import psycopg

    dbname = url.rsplit("/", 1)[1]
    with psycopg.connect(url.replace("postgresql+psycopg", "postgresql").rsplit("/", 1)[0] + "/test") as conn:
        row = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND state = "
                           "'idle in transaction'", (dbname,)).fetchone()
    return row[0] > 0


def test_migrations_match_the_models(store_url):
    """The Alembic scripts build exactly the tables the code declares (no drift)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from wijkkit.store.models import Base

    store = open_store(store_url)
    with store.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_the_head_the_store_checks_without_alembic_is_alembic_s_head(store_url):
    """``db.HEAD`` lets a kernel open a current store without importing alembic; it must not drift."""
    from alembic.script import ScriptDirectory

    from wijkkit.store.db import HEAD, alembic_config, current_revision

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD
    assert current_revision(open_store(store_url).engine) == HEAD
