"""Back-up and restore of a project's store, checked against what was saved.

PostgreSQL: ``pg_dump`` in its custom format and ``pg_restore`` (run as PostgreSQL's administrator when
called as root on a team server, else as the user the store URL names). SQLite: the SQLite backup API (a
consistent copy while coders keep working). Next to each back-up a small JSON file records the number of
rows per table and the back-up's SHA-256: a restore is only called done when every count is back.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, inspect, select, table
from sqlalchemy.engine import make_url

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam
from wijkkit.weergave import getal

LABELS = {"stories": "verhalen", "segments": "zinnen", "codings": "coderingen en suggesties", "memos": "memo's",
          "afgerond": "afgeronde verhalen", "toewijzingen": "toewijzingen", "duidingen": "duidingen",
          "originals": "versleutelde originelen", "codebook_versions": "codeboekversies", "imports": "imports"}


@dataclass
class Verslag:
    bestand: Path
    tellingen: dict[str, int]

    def regel(self, werkwoord: str) -> str:
        shown = [f"{getal(n)} {LABELS[t]}" for t, n in self.tellingen.items() if t in LABELS and n]
        return f"{werkwoord}: {', '.join(shown) or 'een lege store'} ({self.bestand})."


def tellingen(store) -> dict[str, int]:
    """Rows per table of the store (the alembic bookkeeping left out)."""
    names = [n for n in inspect(store.engine).get_table_names() if n != "alembic_version"]
    with store.engine.connect() as connection:
        return {n: int(connection.execute(select(func.count()).select_from(table(n))).scalar_one()) for n in sorted(names)}


def backup(project, uitvoer: Path) -> Verslag:
    """Write a back-up of the project's store to ``uitvoer`` (mode 600) with its manifest beside it."""
    store = project.open_store()
    counts = tellingen(store)
    url = project.config.store.url if not project.config.store.url.startswith("sqlite") else str(store.engine.url)
    uitvoer = Path(uitvoer).resolve()
    uitvoer.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=uitvoer.parent, prefix=".back-up-")
    os.close(fd)
    os.chmod(tmp, 0o600)
    try:
        if url.startswith("sqlite"):
            with sqlite3.connect(_sqlite_path(url)) as source, sqlite3.connect(tmp) as target:
                source.backup(target)
        else:
            with open(tmp, "wb") as handle:
                _run(["pg_dump", "--format=custom"], url, stdout=handle)
        os.replace(tmp, uitvoer)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    manifest = {"gemaakt": datetime.now().isoformat(timespec="seconds"), "soort": _soort(url),
                "sha256": _sha256(uitvoer), "tabellen": counts}
    _manifest_path(uitvoer).write_text(json.dumps(manifest, indent=2, ensure_ascii=False), encoding="utf-8")
    os.chmod(_manifest_path(uitvoer), 0o600)
    return Verslag(uitvoer, counts)


def herstel(project, bestand: Path) -> Verslag:
    """Put a back-up back (the store is replaced by it) and check every table's count against the manifest."""
    bestand = Path(bestand).resolve()
    manifest_path = _manifest_path(bestand)
    if not bestand.is_file() or not manifest_path.is_file():
        raise WijkkitInputError(Probleem(bestandsnaam(bestand), "een back-up van 'wijkkit beheer backup' met het "
                                         "bestand .json ernaast", gevonden="ontbreekt"))
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if _sha256(bestand) != manifest.get("sha256"):
        raise WijkkitInputError(Probleem(bestandsnaam(bestand), "een back-up die sinds het maken niet veranderde",
                                         gevonden="de SHA-256 klopt niet met het .json-bestand"))
    url = project.config.store.url
    if url.startswith("sqlite"):
        url = str(project.open_store().engine.url)  # the path as the project resolves it
        with sqlite3.connect(bestand) as source, sqlite3.connect(_sqlite_path(url)) as target:
            source.backup(target)
    else:
        _ensure_database(url)
        _run(["pg_restore", "--clean", "--if-exists", "--single-transaction", str(bestand)], url, pass_file=True)
    counts = tellingen(project.open_store())
    wanted = manifest["tabellen"]
    different = {t: (wanted.get(t), counts.get(t)) for t in set(wanted) | set(counts) if wanted.get(t) != counts.get(t)}
    if different:
        t, (voor, na) = sorted(different.items())[0]
        raise WijkkitInputError(Probleem(bestandsnaam(bestand), "na het herstel evenveel rijen als in de back-up",
                                         kolom=t, gevonden=f"{na} in plaats van {voor}"))
    return Verslag(bestand, counts)


# ------------------------------------------------------------------------------------------------- helpers
def postgres_env(url: str) -> dict[str, str]:
    """PGHOST and PGPORT of a PostgreSQL URL (its socket folder or host, and port), for the client programs."""
    parsed = make_url(url)
    host = parsed.query.get("host") or parsed.host
    port = parsed.query.get("port") or parsed.port
    env = {}
    if host:
        env["PGHOST"] = str(host if isinstance(host, str) else host[0])
    if port:
        env["PGPORT"] = str(port if not isinstance(port, tuple) else port[0])
    return env


def _run(command: list[str], url: str, *, stdout=None, pass_file: bool = False) -> None:
    """A PostgreSQL client program against the store: as the ``postgres`` administrator when root (the team
    server), else as the user in the URL."""
    parsed = make_url(url)
    conninfo = parsed.set(drivername="postgresql").render_as_string(hide_password=False)
    program = shutil.which(command[0])
    if program is None:
        raise WijkkitInputError(Probleem(command[0], "de PostgreSQL-programma's (Debian: apt-get install "
                                         "postgresql-client)", gevonden="niet gevonden", plek="programma"))
    if os.geteuid() == 0:
        admin = parsed.set(drivername="postgresql", username="postgres", password=None)
        conninfo = admin.render_as_string(hide_password=False)
        cmd = ["runuser", "-u", "postgres", "--", program, *command[1:], "--dbname", conninfo]
        if pass_file:  # postgres cannot read a back-up in root's folders: give it on stdin
            cmd = ["runuser", "-u", "postgres", "--", program, *command[1:-1], "--dbname", conninfo]
            with open(command[-1], "rb") as handle:
                result = subprocess.run(cmd, stdin=handle, capture_output=True, cwd="/")
        else:
            result = subprocess.run(cmd, stdout=stdout, stderr=subprocess.PIPE, cwd="/")
    else:
        result = subprocess.run([program, *command[1:], "--dbname", conninfo], stdout=stdout, stderr=subprocess.PIPE)
    if result.returncode != 0:
        reden = (result.stderr or b"").decode(errors="replace").strip().splitlines()
        raise WijkkitInputError(Probleem(command[0], "een geslaagde back-up of herstel van de PostgreSQL-store",
                                         gevonden=(reden[-1] if reden else f"code {result.returncode}")[:160],
                                         plek="programma"))


def _ensure_database(url: str) -> None:
    """A dropped database is made again before it is filled (on a team server, as PostgreSQL's administrator)."""
    parsed = make_url(url)
    database = parsed.database
    if os.geteuid() != 0:
        return  # pg_restore says in its own words when the database is not there
    env = {**os.environ, **postgres_env(url)}
    found = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-tA", "-d", "postgres", "-c",
                            f"SELECT 1 FROM pg_database WHERE datname = '{database.replace(chr(39), '')}'"],
                           capture_output=True, text=True, cwd="/", env=env).stdout.strip()
    if not found:
        subprocess.run(["runuser", "-u", "postgres", "--", "createdb", database], check=True, cwd="/", env=env)


def _sqlite_path(url: str) -> str:
    return url.split("///", 1)[-1]


def _soort(url: str) -> str:
    return "sqlite" if url.startswith("sqlite") else "postgresql"


def _manifest_path(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
