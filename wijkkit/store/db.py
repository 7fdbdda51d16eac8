"""Opening the store: engine settings per backend, migrations, and the write operations.

SQLite runs in WAL mode with a busy timeout and takes its write lock at the start of a
transaction (BEGIN IMMEDIATE), so concurrent coders wait instead of failing halfway.
Every public write is one transaction: a crash or SIGKILL leaves either all or nothing.
"""

from __future__ import annotations

import hashlib
import os
import threading
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from sqlalchemy import String, create_engine, event, func, inspect, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from wijkkit.store.models import CodebookVersion, Coding, Memo, Story, utcnow

CODING_STATUSES = ("suggested", "accepted", "rejected", "manual")
# The newest migration (tests check it against alembic's own view): a store already there is
# opened without importing alembic, which costs every kernel and command 0.4 s.
HEAD = "0009"
_migrate_lock = threading.Lock()


def _sqlite_pragmas(engine: Engine, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str, *, busy_timeout_ms: int = 60_000) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:" and "?" not in path:
            if sqlite_read_only(Path(path)):
                return _read_only_engine(Path(path), busy_timeout_ms)
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})
        _sqlite_pragmas(engine, busy_timeout_ms)
        return engine
    return create_engine(url, pool_pre_ping=True)


def sqlite_read_only(path: Path) -> bool:
    """An existing store this user may read but not write (the file, or its folder for the WAL files)."""
    return path.is_file() and os.access(path, os.R_OK) and not (
        os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))


def _read_only_engine(path: Path, busy_timeout_ms: int) -> Engine:
    """Open a store read-only, so looking (betrouwbaarheid, the dashboard) works where saving may not.

    With its WAL files present SQLite reads it safely next to writers; without them, and no right to create
    them, the file can only be read as unchanging (immutable), which is what a read-only copy is.
    """
    import sqlite3
    from urllib.parse import quote

    wal_ready = path.with_name(path.name + "-shm").exists() and path.with_name(path.name + "-wal").exists()
    mode = "mode=ro" if wal_ready or os.access(path.parent, os.W_OK) else "immutable=1"
    uri = f"file:{quote(str(path.resolve()))}?{mode}"

    def connect():
        connection = sqlite3.connect(uri, uri=True, timeout=busy_timeout_ms / 1000, check_same_thread=False)
        connection.isolation_level = None
        connection.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        return connection

    engine = create_engine(f"sqlite:///{path.resolve()}", creator=connect)
    engine.wijkkit_alleen_lezen = True

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN")  # deferred: a read takes no write lock

    return engine


def alembic_config():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(resources.files("wijkkit.store") / "migrations"))
    return config


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def migrate(engine: Engine) -> str:
    """Bring the schema to the newest revision; returns it."""
    if current_revision(engine) == HEAD:
        return HEAD
    if getattr(engine, "wijkkit_alleen_lezen", False):
        from wijkkit.errors import Probleem, WijkkitInputError

        raise WijkkitInputError(Probleem("store", "een store met de opbouw van deze wijkkit-versie (deze store is "
                                         "alleen-lezen en ouder; open hem eenmaal met schrijfrechten)",
                                         gevonden=current_revision(engine) or "geen opbouw"))
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config()
    head = ScriptDirectory.from_config(config).get_current_head()
    with _migrate_lock, engine.begin() as connection:
        if engine.dialect.name == "postgresql":  # one migrator at a time across processes
            connection.execute(text("SELECT pg_advisory_xact_lock(737373)"))
        current = MigrationContext.configure(connection).get_current_revision()
        if current != head:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    return head


def insert_ignoring(engine: Engine, model):
    """INSERT ... ON CONFLICT DO NOTHING on either backend (idempotent writes under concurrency)."""
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert(model).on_conflict_do_nothing()


class Store:
    """Project store. Use :func:`open_store`; call methods, each is one transaction."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", _check_values)

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    @contextmanager
    def session(self):
        """A transaction: committed when the block ends, rolled back on any error.

        A full disk, a read-only store or a value the database refuses becomes one Dutch message; the
        transaction is rolled back, so the store keeps what it had.
        """
        from sqlalchemy.exc import DataError, OperationalError

        try:
            with self._sessions() as session, session.begin():
                yield session
        except (OperationalError, DataError) as exc:
            raise _write_problem(self, exc) from exc

    def read(self) -> Session:
        return self._sessions()

    # ------------------------------------------------------------------ codebook
    def register_codebook(self, content: str, *, session: Session | None = None) -> int:
        """The id of this codebook version (its JSON), adding it the first time it is seen.

        An upsert, so concurrent imports never collide on the unique digest; inside ``session``
        it belongs to that transaction (a failed import leaves no codebook row behind).
        """
        digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
        if session is None:
            with self.session() as own:
                return self.register_codebook(content, session=own)
        # a version seen before is only looked up: on a team server a codeur may read the versions, not add one
        known = session.scalar(select(CodebookVersion.id).where(CodebookVersion.digest == digest))
        if known is not None:
            return known
        session.execute(insert_ignoring(self.engine, CodebookVersion).values(
            digest=digest, inhoud=content, created_at=utcnow()))
        return session.scalar(select(CodebookVersion.id).where(CodebookVersion.digest == digest))

    # ------------------------------------------------------------------ codings
    def add_coding(self, *, story_id: str, thema: str, status: str, codeur: str, segment_id: int | None = None,
                   valentie: str | None = None, start: int | None = None, end: int | None = None,
                   bewijs: str = "", term: str = "", score: float | None = None,
                   codebook_version_id: int | None = None) -> int:
        if status not in CODING_STATUSES:
            raise ValueError(f"status moet een van {CODING_STATUSES} zijn, niet {status!r}")
        with self.session() as session:
            coding = Coding(story_id=story_id, segment_id=segment_id, thema=thema, valentie=valentie,
                            status=status, codeur=codeur, start=start, end=end, bewijs=bewijs, term=term,
                            score=score, codebook_version_id=codebook_version_id)
            session.add(coding)
            session.flush()
            return coding.id

    def add_memo(self, *, codeur: str, tekst: str, story_id: str | None = None, thema: str | None = None) -> int:
        with self.session() as session:
            memo = Memo(story_id=story_id, thema=thema, codeur=codeur, tekst=tekst)
            session.add(memo)
            session.flush()
            return memo.id

    # ------------------------------------------------------------------ reading
    def count(self, model) -> int:
        with self.read() as session:
            return session.scalar(select(func.count()).select_from(model))

    def story_ids(self) -> set[str]:
        with self.read() as session:
            return set(session.scalars(select(Story.id)))

    def integrity_ok(self) -> bool:
        if self.engine.dialect.name != "sqlite":
            return True
        with self.engine.connect() as connection:
            return connection.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"

    def close(self) -> None:
        self.engine.dispose()


def open_store(url: str | None = None, *, project_root: str | Path | None = None, migrate_schema: bool = True
               ) -> Store:
    """Open (and migrate) the store at ``url``; relative SQLite paths are taken from the project root."""
    url = url or os.environ.get("WIJKKIT_STORE_URL") or "sqlite:///wijkkit.db"
    if url.startswith("sqlite:///") and not url.startswith("sqlite:////") and project_root is not None:
        url = f"sqlite:///{Path(project_root).resolve() / url.removeprefix('sqlite:///')}"
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError, OperationalError

    from wijkkit.errors import Probleem, WijkkitInputError

    shown = _without_password(url)
    try:
        engine = make_engine(url)
        if migrate_schema:
            migrate(engine)
        else:
            with engine.connect():
                pass
    except (ArgumentError, NoSuchModuleError) as exc:
        raise WijkkitInputError(Probleem(
            "wijkkit.toml", "een store-URL als sqlite:///wijkkit.db of postgresql+psycopg://gebruiker@server/database",
            kolom="[store] url", soort="veld", gevonden=shown)) from exc
    except OperationalError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:160]
        raise WijkkitInputError(Probleem(
            "wijkkit.toml", "een store die te openen is (draait de databaseserver, klopt het adres, mag je schrijven "
            "in de map?)", kolom="[store] url", soort="veld", gevonden=f"{shown}: {reason}")) from exc
    return Store(engine)


def _check_values(session: Session, _context, _instances) -> None:
    """Refuse what PostgreSQL would refuse and SQLite would keep (too long, a NUL), the same on both."""
    from wijkkit.errors import Probleem, WijkkitInputError

    problemen = []
    for obj in [*session.new, *session.dirty]:
        for column in obj.__table__.columns:
            value = getattr(obj, column.key, None)
            if not isinstance(value, str):
                continue
            length = column.type.length if isinstance(column.type, String) else None
            if length and len(value) > length:
                problemen.append(Probleem(f"store, tabel {obj.__tablename__}", f"hoogstens {length} tekens", kolom=column.key,
                                          gevonden=f"{len(value)} tekens"))
            elif "\x00" in value:
                problemen.append(Probleem(f"store, tabel {obj.__tablename__}", "tekst zonder NUL-teken", kolom=column.key,
                                          gevonden=f"een NUL-teken op positie {value.index(chr(0)) + 1}"))
    if problemen:
        raise WijkkitInputError(problemen)


def _write_problem(store: Store, exc: Exception):
    """The Dutch message for a write the database refused (the transaction is already rolled back)."""
    from wijkkit.errors import Probleem, WijkkitInputError

    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0][:160]
    lowered = reason.lower()
    if "disk is full" in lowered or "no space left" in lowered or "disk full" in lowered:
        verwacht = "ruimte op de schijf om te bewaren (er is niets half opgeslagen; maak ruimte vrij en probeer opnieuw)"
    elif "readonly" in lowered or "read-only" in lowered or "read only" in lowered:
        verwacht = ("een store waarin je mag schrijven (deze is alleen-lezen: bekijken kan, opslaan niet; vraag "
                    "schrijfrechten op het bestand en de map)")
    elif "locked" in lowered:
        verwacht = "een store die niet te lang door een ander bezet is (probeer het zo opnieuw)"
    else:
        verwacht = "gegevens die de database accepteert (er is niets opgeslagen)"
    url = store.engine.url
    plek = Path(url.database).name if url.drivername.startswith("sqlite") and url.database else store.url
    return WijkkitInputError(Probleem(plek, verwacht, gevonden=reason))


def _without_password(url: str) -> str:
    """The store address for a message, never with its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # an address sqlalchemy cannot even parse is shown as typed, up to its '@'
        return url.split("@")[-1] if "@" in url else url
