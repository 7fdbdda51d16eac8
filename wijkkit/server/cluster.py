"""A PostgreSQL cluster of the server's own, for a try-out (``make server``) and the tests.

The system's PostgreSQL on a build machine trusts every local connection (a convenience no real server has, and
exactly what ``wijkkit server maak`` refuses). A try-out therefore starts a cluster of its own with ``initdb`` and
``pg_ctl`` in a folder it names: run by the ``postgres`` Unix user, peer over its socket (in that folder),
scram-sha-256 over 127.0.0.1 and ::1 (no password is set, so nobody gets in that way). ``env`` points the
PostgreSQL programs, and wijkkit's team URL, at it.
"""

from __future__ import annotations

import os
import pwd
import socket
import subprocess
from pathlib import Path


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's server programs (Debian: /usr/lib/postgresql/N/bin)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parent.parent.name))
    return found[-1].parent if found else None


class Cluster:
    def __init__(self, map_: Path, port: int | None = None):
        self.map = Path(map_)
        self.data, self.socket = self.map / "data", self.map / "socket"
        if port is None:
            with socket.socket() as sock:
                sock.bind(("127.0.0.1", 0))
                port = sock.getsockname()[1]
        self.port = port
        self.env = {"PGHOST": str(self.socket), "PGPORT": str(self.port)}

    def _as_postgres(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(["runuser", "-u", "postgres", "--", *args], check=True, capture_output=True, text=True,
                              cwd="/", **kwargs)

    @property
    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def start(self, *, fast: bool = False) -> "Cluster":
        """initdb (once) and start; ``fast`` gives up durability (fsync off) for tests."""
        bin_ = postgres_bin()
        owner = pwd.getpwnam("postgres")
        for path in (self.map, self.socket):
            path.mkdir(parents=True, exist_ok=True)
            os.chown(path, owner.pw_uid, owner.pw_gid)
            path.chmod(0o755)
        if not (self.data / "PG_VERSION").exists():
            self._as_postgres(str(bin_ / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth-local=peer",
                              "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8",
                              *(["--no-sync"] if fast else []))
        options = f"-k {self.socket} -p {self.port} -c listen_addresses='127.0.0.1,::1'"
        if fast:
            options += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        if not self.running:
            self._as_postgres(str(bin_ / "pg_ctl"), "-D", str(self.data), "-l", str(self.map / "postgres.log"), "-w",
                              "-o", options, "start")
        # root imports the stories (PostgreSQL lets the Unix user root in as the role root, over the socket only)
        self.psql("postgres", "DO $$ BEGIN CREATE ROLE root SUPERUSER LOGIN; "
                              "EXCEPTION WHEN duplicate_object THEN NULL; END $$;")
        return self

    def psql(self, database: str, sql: str) -> subprocess.CompletedProcess:
        return self._as_postgres("psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", str(self.socket), "-p",
                                 str(self.port), "-d", database, input=sql)

    def stop(self, mode: str = "fast") -> None:
        if self.running:
            subprocess.run(["runuser", "-u", "postgres", "--", str(postgres_bin() / "pg_ctl"), "-D", str(self.data),
                            "-m", mode, "-w", "stop"], capture_output=True, cwd="/")
