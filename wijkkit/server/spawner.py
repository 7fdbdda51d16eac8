"""Starting a person's JupyterLab on the team server, as their own Unix user.

Before the first start the account is made: Unix user ``wk-<naam>`` with a home in the server folder (the
Unix groups of their role: the coördinatoren's group can read the key of the originals), and a PostgreSQL login
role of the same name in their role's group. Each start the notebook templates are copied into the home where
they are missing (the person's own copies; the project, its stories and the store are shared).
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Unicode
from tornado import web

from wijkkit.notebooks import WERKBANK
from wijkkit.server import rollen

TEAM_GROEP = "wijkkit-team"
COORDINATOR_GROEP = "wijkkit-coordinatoren"


def rol_van(user) -> str:
    """The role a hub user has: the first of coördinator, codeur in their groups; else gast."""
    groups = {g.name for g in user.groups}
    return next((r for r in ("coordinator", "codeur") if r in groups), "gast")


def ensure_account(hub: str, role: str, *, thuis: Path, database: str) -> Path:
    """The Unix user and the PostgreSQL role of one team member, in their role's groups (idempotent)."""
    unix = rollen.unix_naam(hub)
    home = thuis / hub
    groups = [TEAM_GROEP] + ([COORDINATOR_GROEP] if role == "coordinator" else [])
    try:
        pwd.getpwnam(unix)
    except KeyError:
        subprocess.run(["useradd", "--system", "--home-dir", str(home), "--create-home", "--shell", "/bin/bash",
                        "--comment", f"wijkkit {hub}", "--gid", TEAM_GROEP, unix], check=True)
    subprocess.run(["usermod", "--gid", TEAM_GROEP, "--groups", ",".join(groups), unix], check=True)
    home.mkdir(parents=True, exist_ok=True)
    user = pwd.getpwnam(unix)
    os.chown(home, user.pw_uid, user.pw_gid)
    os.chmod(home, 0o700)
    psql(database, rollen.lid_sql(database, hub, role))
    return home


def psql(database: str, sql: str, *, check: bool = True) -> subprocess.CompletedProcess:
    """SQL as PostgreSQL's own administrator (the ``postgres`` Unix user, which peer authentication lets in)."""
    return subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-v", "ON_ERROR_STOP=1",
                           "-d", database], input=sql, text=True, capture_output=True, check=check, cwd="/")


class WijkkitSpawner(LocalProcessSpawner):
    """LocalProcessSpawner for wijkkit: hub user ``anna`` runs as ``wk-anna``, in the project's team."""

    project = Unicode(config=True, help="The shared project folder (wijkkit.toml).")
    runtime = Unicode(config=True, help="The venv every team member runs (wijkkit server installeer).")
    thuis = Unicode(config=True, help="The folder that holds the team members' homes.")
    sleutels = Unicode(config=True, help="The coördinatoren's folder with the key of the originals.")
    naammodel = Unicode(config=True, help="The built name model, shared and read-only.")
    database = Unicode(config=True, help="The project's PostgreSQL database.")

    def _unix(self) -> str:
        return rollen.unix_naam(self.user.name)

    def make_preexec_fn(self, name):
        return set_user_setuid(rollen.unix_naam(name))

    def user_env(self, env):
        user = pwd.getpwnam(self._unix())
        env.update(USER=user.pw_name, LOGNAME=user.pw_name, HOME=user.pw_dir, SHELL=user.pw_shell)
        return env

    def get_env(self):
        env = super().get_env()
        role = rol_van(self.user)
        env.update({
            "WIJKKIT_PROJECT": self.project,
            "WIJKKIT_NAAMMODEL": self.naammodel,
            "WIJKKIT_ROL": role,
            "WIJKKIT_CODEUR": self.user.name,
            "WIJKKIT_CACHE": str(Path(self.thuis) / self.user.name / ".cache" / "wijkkit"),
            "PATH": f"{self.runtime}/bin:/usr/local/bin:/usr/bin:/bin",
        })
        if role == "coordinator":  # only the coördinatoren's processes are told where the key is (and may read it)
            env["WIJKKIT_KEY_DIR"] = self.sleutels
        return env

    async def start(self):
        role = rol_van(self.user)
        if role == "gast":  # the hub's roles already refuse this; a second lock in case they are edited
            raise web.HTTPError(403, "Een gast heeft geen eigen JupyterLab; de kenniskring-pagina staat open.")
        home = ensure_account(self.user.name, role, thuis=Path(self.thuis), database=self.database)
        copy_notebooks(Path(self.project) / "notebooks", home / "notebooks", pwd.getpwnam(self._unix()))
        self.cmd = [f"{self.runtime}/bin/jupyterhub-singleuser"]
        self.notebook_dir = str(home)
        self.default_url = f"/lab/tree/notebooks/{WERKBANK}"
        # a lab on a server without internet: no news feed, no update checks
        self.args = [*self.args, "--LabApp.news_url=None",
                     "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate"]
        return await super().start()


def copy_notebooks(source: Path, target: Path, owner) -> None:
    """The templates, where the person has no copy yet (their own edits stay theirs)."""
    target.mkdir(exist_ok=True)
    os.chown(target, owner.pw_uid, owner.pw_gid)
    for notebook in sorted(source.glob("*.ipynb")):
        copy = target / notebook.name
        if not copy.exists():
            shutil.copyfile(notebook, copy)
            os.chown(copy, owner.pw_uid, owner.pw_gid)
            os.chmod(copy, 0o600)

