"""Setting up the team server: the shared runtime, and the server folder of one project.

Everything here runs as root, once (and again after an upgrade: it is idempotent). It writes, it never
guesses: a project that is not on PostgreSQL, a PostgreSQL that lets anyone in under any name, or a project
folder the team cannot reach, is a Dutch message saying what to change.
"""

from __future__ import annotations

import contextlib
import grp
import hashlib
import os
import pwd
import secrets
import shutil
import subprocess
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from wijkkit.errors import Probleem, WijkkitInputError
from wijkkit.server import hubconfig, rollen
from wijkkit.server.spawner import COORDINATOR_GROEP, TEAM_GROEP, psql

SOCKET_DIRS = ("/var/run/postgresql", "/run/postgresql", "/tmp")
SERVER_TOML = "server.toml"
CONFIG = "jupyterhub_config.py"


def require_root(wat: str) -> None:
    if os.geteuid() != 0:
        raise WijkkitInputError(Probleem(
            wat, "root (sudo): de server maakt voor elke codeur een eigen systeemgebruiker, zodat niemand werkt "
            "onder de naam van een ander of bij de sleutel van de originelen kan", gevonden=pwd.getpwuid(os.geteuid()).pw_name,
            plek="opdracht"))


def socket_dir() -> str:
    """Where the project's PostgreSQL server listens: PGHOST when set (a cluster of the server's own, as
    ``make server`` and the tests start), else the system's (Debian: /var/run/postgresql)."""
    if os.environ.get("PGHOST", "").startswith("/"):
        return os.environ["PGHOST"]
    found = next((d for d in SOCKET_DIRS if any(Path(d).glob(".s.PGSQL.*"))), None)
    if found is None:
        raise WijkkitInputError(Probleem("PostgreSQL", "een PostgreSQL-server op deze machine (Debian: "
                                         "apt-get install postgresql)", gevonden="geen socket in "
                                         + ", ".join(SOCKET_DIRS), plek="dienst"))
    return found


def team_url(database: str) -> str:
    """The store URL for a team: no user and no password (each process is its own Unix user), the socket."""
    port = os.environ.get("PGPORT", "")
    return f"postgresql+psycopg:///{database}?host={socket_dir()}" + (f"&port={port}" if port else "")


def use_postgres_of(url: str) -> None:
    """Every PostgreSQL program this process starts (psql as the administrator, pg_dump) reaches the server of
    ``url``: its socket folder and port become PGHOST and PGPORT."""
    from wijkkit.store.backup import postgres_env

    os.environ.update(postgres_env(url))


# ------------------------------------------------------------------------------------------------ runtime
@dataclass
class Runtime:
    map: Path

    @property
    def venv(self) -> Path:
        return self.map / "venv"

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def naammodel(self) -> Path:
        return self.map / "naammodel"

    @property
    def proxy(self) -> Path:
        return self.map / "node_modules" / ".bin" / "configurable-http-proxy"


def source_root() -> Path:
    """The wijkkit source this command runs from (a checkout with pyproject.toml)."""
    root = Path(str(resources.files("wijkkit"))).parent
    if not (root / "pyproject.toml").exists():
        raise WijkkitInputError(Probleem("wijkkit", "een uitgepakte wijkkit-bron (met pyproject.toml) om te "
                                         "installeren", gevonden=str(root), plek="installatie"))
    return root


def installeer(map_: Path, *, python: str = "/usr/bin/python3", log=print) -> Runtime:
    """A venv of the system's Python in ``map_`` (readable by every team member) with wijkkit, JupyterHub,
    configurable-http-proxy (npm) and the name model. Dependencies are only installed again when
    pyproject.toml or constraints.txt changed; wijkkit itself every time."""
    require_root("wijkkit server installeer")
    runtime = Runtime(Path(map_).resolve())
    source = source_root()
    os.umask(0o022)
    runtime.map.mkdir(parents=True, exist_ok=True)
    if not runtime.python.exists():
        log(f"Python-omgeving maken in {runtime.venv} …")
        subprocess.run([python, "-m", "venv", str(runtime.venv)], check=True)
        subprocess.run([str(runtime.python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    # Debian 12's Python is 3.11.2; the pinned soupsieve asks for 3.11.5 (its only package that does): the pins were
    # made and tested on 3.11, so they are installed as pinned
    pip = [str(runtime.python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
           "--ignore-requires-python"]
    stamp = runtime.map / ".afhankelijkheden"
    wanted = hashlib.sha256(b"".join((source / n).read_bytes() for n in ("pyproject.toml", "constraints.txt")))
    if not stamp.exists() or stamp.read_text() != wanted.hexdigest():
        log("Pakketten installeren (eenmalig, een paar minuten) …")
        subprocess.run(pip + ["-c", str(source / "constraints.txt"), f"{source}[server]"], check=True)
        stamp.write_text(wanted.hexdigest())
    subprocess.run(pip + ["--no-deps", "--force-reinstall", str(source)], check=True)
    if not runtime.proxy.exists():
        log("configurable-http-proxy installeren (npm) …")
        subprocess.run(["npm", "install", "--silent", "--no-fund", "--no-audit", "--prefix", str(runtime.map),
                        "configurable-http-proxy@5"], check=True)
    _naammodel(runtime, log)
    for path in [runtime.map, *runtime.map.rglob("*")]:  # every team member must read and run it
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o044 | (0o011 if path.is_dir() or path.stat().st_mode & 0o100 else 0))
    log(f"Klaar: {runtime.venv} (wijkkit, JupyterHub), naamherkenning in {runtime.naammodel}.")
    return runtime


def _naammodel(runtime: Runtime, log) -> None:
    """The name model for everyone: copied when this machine already built it for the same deduce version."""
    env = {**os.environ, "WIJKKIT_NAAMMODEL": str(runtime.naammodel)}
    version = subprocess.run([str(runtime.python), "-c", "import deduce; print(deduce.__version__)"],
                             check=True, capture_output=True, text=True).stdout.strip()
    target = runtime.naammodel / f"deduce-{version}"
    built = Path(os.environ.get("WIJKKIT_NAAMMODEL") or Path.home() / ".cache" / "wijkkit" / "naammodel")
    if not target.exists() and (built / f"deduce-{version}").is_dir():
        shutil.copytree(built / f"deduce-{version}", target)
    if not any(target.rglob("lookup_structs.pickle")):
        log("Naamherkenning opbouwen (eenmalig, ongeveer 2 minuten) …")
    subprocess.run([str(runtime.python), "-m", "wijkkit.privacy.model"], check=True, env=env)


# ------------------------------------------------------------------------------------------- server folder
@dataclass
class ServerMap:
    map: Path

    @property
    def geheimen(self) -> Path:
        return self.map / "geheimen"

    def geheim(self, naam: str) -> str:
        return (self.geheimen / naam).read_text().strip()

    def instellingen(self) -> dict:
        path = self.map / SERVER_TOML
        if not path.exists():
            raise WijkkitInputError(Probleem(SERVER_TOML, "een servermap gemaakt met 'wijkkit server maak'",
                                             gevonden=str(self.map)))
        return tomllib.loads(path.read_text(encoding="utf-8"))


def maak(project_root: Path, map_: Path, runtime_map: Path, *, poort: int = 8000, ip: str = "127.0.0.1",
         pg_hba: bool = False, log=print, login: dict | None = None) -> ServerMap:
    """The server folder of one project: configuration, secrets, Unix groups, the database and its rights.

    All or nothing: PostgreSQL is checked before anything is made, and when a later step fails, what this call made
    (folder, groups, the service's Unix user, the database) is removed again before the message.
    """
    from wijkkit.config import Project

    require_root("wijkkit server maak")
    project = Project.load(project_root)
    runtime = Runtime(Path(runtime_map).resolve())
    if not runtime.python.exists():
        raise WijkkitInputError(Probleem(str(runtime.map), "een runtime gemaakt met 'wijkkit server installeer "
                                         f"--map {runtime.map}'", gevonden="geen venv", plek="map"))
    database = _team_database(project)
    use_postgres_of(project.config.store.url)
    _require_peer(database, "nobody", pg_hba, log)  # before anything is made: a refusal leaves nothing behind
    server = ServerMap(Path(map_).resolve())
    undo: list = []
    try:
        _maak(server, project, runtime, database, poort, ip, log, undo, login)
    except BaseException:
        for step in reversed(undo):
            try:
                step()
            except Exception as exc:  # undo what can be undone; say what could not
                log(f"Opruimen na de fout lukte niet helemaal: {exc}")
        raise
    log(f"Servermap klaar: {server.map}. Start met 'wijkkit server start --map {server.map}'; voeg mensen toe met "
        f"'wijkkit server gebruiker NAAM --rol codeur --map {server.map}'.")
    return server


def _maak(server: ServerMap, project, runtime: Runtime, database: str, poort: int, ip: str, log, undo: list,
          login: dict | None = None) -> None:
    os.umask(0o022)
    if not server.map.exists():
        undo.append(lambda: shutil.rmtree(server.map, ignore_errors=True))
    for group in (TEAM_GROEP, COORDINATOR_GROEP):
        if not _group_exists(group):
            subprocess.run(["groupadd", "--system", group], check=True)
            undo.append(lambda g=group: subprocess.run(["groupdel", g], capture_output=True))
    for sub, mode in (("geheimen", 0o700), ("hub", 0o700), ("thuis", 0o755), ("logboek", 0o750)):
        (server.map / sub).mkdir(parents=True, exist_ok=True)
        (server.map / sub).chmod(mode)
    _secrets(server)
    sleutels = server.map / "sleutels"
    sleutels.mkdir(exist_ok=True)
    os.chown(sleutels, 0, grp.getgrnam(COORDINATOR_GROEP).gr_gid)
    sleutels.chmod(0o2770)  # the key of the originals: the coördinatoren only
    dienst = rollen.unix_naam(rollen.DIENST)
    if not user_exists(dienst):
        undo.append(lambda: subprocess.run(["userdel", dienst], capture_output=True))
    _service_user(server)
    _share_project(project.root, cache_owner=dienst)
    if not _database_exists(database):
        undo.append(lambda: psql("postgres", f"DROP DATABASE IF EXISTS {rollen.ident(database)} WITH (FORCE);\n",
                                 check=False))
    _database(project, database, runtime, log)
    psql(database, rollen.lid_sql(database, rollen.DIENST, "gast"))  # the page reads, and adds duidingen
    # institutional login ([login] of a settings file, as in deploy/z2jh.toml); the hub's own accounts without it
    _write_config(server, project, runtime, database, poort, ip,
                  hubconfig.login_settings(login, f"http://{ip}:{poort}/hub/oauth_callback") if login else None)


def _group_exists(name: str) -> bool:
    try:
        grp.getgrnam(name)
        return True
    except KeyError:
        return False


def user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


def _database_exists(database: str) -> bool:
    return bool(subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-tA", "-d", "postgres", "-c",
                                f"SELECT 1 FROM pg_database WHERE datname = {rollen.literal(database)}"],
                               capture_output=True, text=True, check=True, cwd="/").stdout.strip())


def _team_database(project) -> str:
    """The database named in wijkkit.toml, if it is PostgreSQL in the form a team needs; else a Dutch message."""
    from sqlalchemy.engine import make_url

    url = project.config.store.url
    if url.startswith("sqlite"):
        naam = "wijkkit_" + "".join(c if c.isalnum() else "_" for c in project.config.project.naam.lower())[:40]
        raise WijkkitInputError(Probleem(
            "wijkkit.toml", "een PostgreSQL-store voor een team (een SQLite-bestand is voor één laptop: het "
            f"kent geen gebruikers en geen rechten). Zet bij [store]: url = \"{team_url(naam)}\"",
            kolom="[store] url", soort="veld", gevonden=url))
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql") or parsed.username or parsed.password or not parsed.database:
        raise WijkkitInputError(Probleem(
            "wijkkit.toml", "een PostgreSQL-store zonder gebruikersnaam en wachtwoord, via de socket van deze "
            f"machine, zodat elk teamlid als zichzelf binnenkomt: url = \"{team_url(parsed.database or 'wijkkit')}\"",
            kolom="[store] url", soort="veld", gevonden=parsed.render_as_string(hide_password=True)))
    return parsed.database


def _secrets(server: ServerMap) -> None:
    for naam in ("cookie_secret", "proxy_token", "beheer_token"):
        path = server.geheimen / naam
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_hex(32) + "\n")
        path.chmod(0o600)


def _service_user(server: ServerMap) -> str:
    """The kenniskring page runs as a Unix user of its own: a gast's visit can read, and add a duiding."""
    unix = rollen.unix_naam(rollen.DIENST)
    home = server.map / "dienst"
    try:
        pwd.getpwnam(unix)
    except KeyError:
        subprocess.run(["useradd", "--system", "--home-dir", str(home), "--create-home", "--shell", "/usr/sbin/nologin",
                        "--gid", TEAM_GROEP, "--comment", "wijkkit kenniskring", unix], check=True)
    home.mkdir(exist_ok=True)
    user = pwd.getpwnam(unix)
    os.chown(home, user.pw_uid, user.pw_gid)
    home.chmod(0o750)
    return unix


def _share_project(root: Path, *, cache_owner: str) -> None:
    """The project folder: the coördinatoren write its settings, codebook and stories; every team member (and
    the kenniskring page) reads it and writes the reports. The figures' cache, which the kenniskring page reads
    its figures from, is written by the page's own user and the coördinatoren only: a codeur cannot change what
    the room sees. ``modellen`` is the team's, like the reports: every member's werkbank re-fits the suggestions
    on the team's decisions there (wijkkit.coderen.bijleren and projectmodel); what it may change in the store
    stays what row-level security allows that member."""
    for parent in [root, *root.parents]:
        if not parent.stat().st_mode & 0o001:
            raise WijkkitInputError(Probleem(
                str(root), "een projectmap die het team kan bereiken (elke map erboven doorzoekbaar voor anderen; "
                "zet het project bv. in /srv/wijkkit/)", gevonden=f"{parent} is afgeschermd", plek="map"))
    team, coord = grp.getgrnam(TEAM_GROEP).gr_gid, grp.getgrnam(COORDINATOR_GROEP).gr_gid
    dienst = pwd.getpwnam(cache_owner).pw_uid
    for sub in (".wijkkit-cache", "reports", "modellen/themaclassifier"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        parts = path.relative_to(root).parts
        if parts and parts[0] == ".wijkkit-cache":
            os.chown(path, dienst, coord)
        else:
            os.chown(path, -1, team if parts and parts[0] in ("reports", "modellen") else coord)
        mode = path.stat().st_mode
        path.chmod((mode | 0o2070 | 0o005 if path.is_dir() else mode | 0o064) & ~0o002)


def _database(project, database: str, runtime: Runtime, log) -> None:
    """The database (made if missing), its schema (migrated by PostgreSQL's administrator) and the rights."""
    if not _database_exists(database):
        psql("postgres", f"CREATE DATABASE {rollen.ident(database)};\n")
        log(f"Database {database} gemaakt.")
    subprocess.run(["runuser", "-u", "postgres", "--", str(runtime.python), "-c",
                    "import sys; from wijkkit.store import open_store; open_store(sys.argv[1])", team_url(database)],
                   check=True, cwd="/", capture_output=True)
    tables = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-tA", "-d", database, "-c",
                             "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"],
                            capture_output=True, text=True, check=True, cwd="/").stdout.split()
    psql(database, rollen.database_sql(database, tables))


def _require_peer(database: str, dienst: str, pg_hba: bool, log) -> None:
    """PostgreSQL must let a Unix user in only under its own name, and nobody without a password over
    127.0.0.1 or ::1; with ``pg_hba`` the peer line for the socket is written (TCP lines stay the IT's)."""
    if _open_doors(database, dienst) and pg_hba:
        add_hba(database)
        log(f"pg_hba.conf: '{hba_line(database)}' toegevoegd en PostgreSQL herladen.")
    doors = _open_doors(database, dienst)
    if doors:
        lines = trust_lines()
        raise WijkkitInputError(Probleem(
            "pg_hba.conf", "een PostgreSQL die niemand zonder wachtwoord binnenlaat: via de socket alleen 'peer' "
            f"(bovenaan: '{hba_line(database)}'), via 127.0.0.1 en ::1 'scram-sha-256'. Verander in "
            f"{_hba_file_or_unknown()} " + ("de regels " + "; ".join(lines) if lines else "de regels met 'trust'")
            + " en herlaad PostgreSQL (pg_ctlcluster ... reload)",
            gevonden="een gewone gebruiker komt zonder wachtwoord binnen als 'postgres' via " + ", ".join(doors),
            plek="instelling"))


def _open_doors(database: str, unix: str) -> list[str]:
    """The ways an unprivileged Unix user gets in as PostgreSQL's administrator without a password."""
    port = os.environ.get("PGPORT", "5432")
    env = {**os.environ, "PGPASSWORD": "", "PGPASSFILE": "/nonexistent/pgpass", "PGCONNECT_TIMEOUT": "5"}
    found = []
    for label, host in (("de socket", socket_dir()), ("127.0.0.1", "127.0.0.1"), ("::1", "::1")):
        for db in dict.fromkeys((database, "postgres")):
            probe = subprocess.run(["runuser", "-u", unix, "--", "psql", "-X", "-w", "-tA", "-h", host, "-p", port,
                                    "-U", "postgres", "-d", db, "-c", "SELECT 1"],
                                   capture_output=True, text=True, cwd="/", env=env)
            if probe.returncode == 0:
                found.append(label)
                break
    return found


def trust_lines() -> list[str]:
    """The lines of pg_hba.conf that let someone in without a password (number and text), as PostgreSQL read them."""
    out = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-tA", "-F", "\t", "-d", "postgres", "-c",
                          "SELECT line_number, type, array_to_string(database, ','), array_to_string(user_name, ','), "
                          "coalesce(address, ''), coalesce(netmask, '') FROM pg_hba_file_rules "
                          "WHERE auth_method = 'trust' ORDER BY line_number"],
                         capture_output=True, text=True, cwd="/")
    lines = []
    for row in out.stdout.splitlines():
        number, *fields = row.split("\t")
        lines.append(f"regel {number}: '" + " ".join(f for f in fields if f) + " trust'")
    return lines


def _hba_file_or_unknown() -> str:
    try:
        return str(hba_file())
    except subprocess.CalledProcessError:
        return "pg_hba.conf"


HBA_MARK = "# wijkkit:"


def hba_line(database: str) -> str:
    return f"local {database} all peer"


def hba_file() -> Path:
    out = subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-tA", "-d", "postgres", "-c",
                          "SHOW hba_file"], capture_output=True, text=True, check=True, cwd="/").stdout.strip()
    return Path(out)


def add_hba(database: str) -> None:
    path = hba_file()
    text = path.read_text()
    line = f"{hba_line(database)}  {HBA_MARK} {database}\n"
    if line not in text:
        path.write_text(line + text)
    _reload()


def remove_hba(database: str) -> None:
    path = hba_file()
    text = path.read_text()
    kept = "".join(line for line in text.splitlines(keepends=True) if not line.rstrip().endswith(f"{HBA_MARK} {database}"))
    if kept != text:
        path.write_text(kept)
        _reload()


def _reload() -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-d", "postgres", "-c",
                    "SELECT pg_reload_conf()"], check=True, capture_output=True, cwd="/")
    import time

    time.sleep(0.5)  # the postmaster rereads pg_hba.conf on SIGHUP


# -------------------------------------------------------------------------------------------------- config
CONFIG_TEMPLATE = '''\
# JupyterHub voor het wijkkit-project "{naam}": geschreven door 'wijkkit server maak' ({datum}).
# Gewone toewijzingen, om na te lezen; geheimen staan in {geheimen} (alleen root).
# Opnieuw 'wijkkit server maak' schrijft dit bestand opnieuw: pas de projectinstellingen daar aan.
from pathlib import Path

# --- waar en hoe de hub luistert -----------------------------------------------------------------
c.JupyterHub.ip = "{ip}"                      # 0.0.0.0 alleen achter een webserver met HTTPS
c.JupyterHub.port = {poort}
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_poort}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{proxy_poort}"
c.ConfigurableHTTPProxy.command = ["{proxy}"]
c.ConfigurableHTTPProxy.auth_token = Path("{geheimen}/proxy_token").read_text().strip()
c.JupyterHub.cookie_secret_file = "{geheimen}/cookie_secret"
c.JupyterHub.db_url = "sqlite:///{map}/hub/jupyterhub.sqlite"   # de hub zelf: accounts, sessies
c.JupyterHub.pid_file = "{map}/hub/jupyterhub.pid"
c.JupyterHub.template_paths = ["{sjablonen}"]   # Nederlandse inlogpagina
c.JupyterHub.default_url = "/hub/home"
c.JupyterHub.shutdown_on_logout = False

# --- inloggen: accounts in de hub; alleen een coördinator (of root) maakt ze ----------------------
{login}
# een wachtwoord dat een ander zette werkt één keer: het lid kiest dan een eigen; wie wat zette staat hier
c.WijkkitAuthenticator.logboek = "{map}/logboek/wachtwoorden.jsonl"

# --- rollen: wat een gast, een codeur en een coördinator mogen ------------------------------------
c.JupyterHub.load_groups = {load_groups}
c.JupyterHub.load_roles = {load_roles}

# --- ieders JupyterLab: als eigen systeemgebruiker, met het gedeelde project ----------------------
c.JupyterHub.spawner_class = "wijkkit.server.spawner.WijkkitSpawner"
c.WijkkitSpawner.project = "{project}"
c.WijkkitSpawner.runtime = "{venv}"
c.WijkkitSpawner.thuis = "{map}/thuis"
c.WijkkitSpawner.sleutels = "{map}/sleutels"
c.WijkkitSpawner.naammodel = "{naammodel}"
c.WijkkitSpawner.database = "{database}"
c.Spawner.server_token_scopes = {token_scopes}   # een lab mag wat zijn gebruiker mag (bv. de groepen lezen)
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
c.Spawner.mem_limit = "2G"

# --- diensten: de kenniskring-pagina achter de inlog, opruimen van stille servers, beheer ---------
c.JupyterHub.services = {services}
'''


def _hub_settings(server: ServerMap, runtime: Runtime, project, poort: int, login: dict | None = None) -> dict:
    """The parts of jupyterhub_config.py that z2jh's values share (wijkkit.server.hubconfig), as Python text."""
    from pprint import pformat

    dienst_poort = poort + 3
    kenniskring = {**hubconfig.kenniskring_dienst(f"http://127.0.0.1:{dienst_poort}"),
                   "user": rollen.unix_naam(rollen.DIENST), "cwd": f"{server.map}/dienst",
                   "command": [f"{runtime.venv}/bin/python", "-m", "wijkkit.server.kenniskring", f"--port={dienst_poort}"],
                   "environment": {"WIJKKIT_PROJECT": str(project.root), "WIJKKIT_NAAMMODEL": str(runtime.naammodel),
                                   "WIJKKIT_CACHE": f"{server.map}/dienst/cache", "HOME": f"{server.map}/dienst",
                                   "PATH": f"{runtime.venv}/bin:/usr/bin:/bin"}}
    services = [kenniskring,
                {"name": hubconfig.OPRUIMER, "command": [f"{runtime.venv}/bin/python", "-m", "jupyterhub_idle_culler",
                                                         *hubconfig.cull_args()]}]
    beheer = f'{{"name": {hubconfig.BEHEER!r}, "api_token": Path("{server.geheimen}/beheer_token").read_text().strip()}}'
    login = login or hubconfig.native_login()
    return dict(login=hubconfig.as_python(login),
                load_groups=pformat(hubconfig.load_groups(login), width=110),
                load_roles=pformat(hubconfig.load_roles(), width=110, sort_dicts=False),
                token_scopes=repr(hubconfig.SERVER_TOKEN_SCOPES),
                services=pformat(services, width=110, sort_dicts=False)[:-1] + ",\n " + beheer + "]")


def _write_config(server: ServerMap, project, runtime: Runtime, database: str, poort: int, ip: str,
                  login: dict | None = None) -> None:
    from datetime import date

    sjablonen = Path(str(resources.files("wijkkit") / "server" / "sjablonen"))
    values = dict(naam=project.config.project.naam.replace('"', "'"), datum=date.today().strftime("%d-%m-%Y"),
                  geheimen=server.geheimen, ip=ip, poort=poort, hub_poort=poort + 1, proxy_poort=poort + 2,
                  dienst_poort=poort + 3, proxy=runtime.proxy, map=server.map, sjablonen=sjablonen,
                  project=project.root, venv=runtime.venv, naammodel=runtime.naammodel, database=database,
                  dienst_gebruiker=rollen.unix_naam(rollen.DIENST),
                  **_hub_settings(server, runtime, project, poort, login))
    (server.map / CONFIG).write_text(CONFIG_TEMPLATE.format(**values), encoding="utf-8")
    (server.map / SERVER_TOML).write_text(
        f'# Door wijkkit server maak.\nproject = "{project.root}"\nruntime = "{runtime.map}"\n'
        f'database = "{database}"\npoort = {poort}\nip = "{ip}"\nstore = "{project.config.store.url}"\n',
        encoding="utf-8")


def start_command(server: ServerMap) -> list[str]:
    """The hub's command; PGHOST and PGPORT are set for it (and the accounts it makes) from the project's store."""
    settings = server.instellingen()
    if settings.get("store"):
        use_postgres_of(settings["store"])
    runtime = Runtime(Path(settings["runtime"]))
    return [str(runtime.venv / "bin" / "jupyterhub"), "-f", str(server.map / CONFIG)]


def hub_url(server: ServerMap) -> str:
    settings = server.instellingen()
    return f"http://127.0.0.1:{settings['poort']}"



# ----------------------------------------------------------------------------------------------- life cycle
def hub_pid(server: ServerMap) -> int | None:
    """The running hub's process id (from its pid file), or None when it does not run."""
    path = server.map / "hub" / "jupyterhub.pid"
    try:
        pid = int(path.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (OSError, ValueError):
        return None


def adopt_orphans() -> None:
    """Become the Linux 'child subreaper' of everything started below: when the hub ends (or is killed) before
    its proxy, services or labs, those become this process's children instead of init's, so
    :func:`stop_leftovers` can stop them. JupyterHub starts its proxy and each service in a session of its own
    and leaves the proxy running on purpose when it dies, for a restarted hub to find."""
    import ctypes
    import sys

    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER


def stop_leftovers(grace: float = 10) -> list[str]:
    """Stop every process still running below this one (SIGTERM, after ``grace`` seconds SIGKILL); the names
    of those that were left."""
    import psutil

    left = psutil.Process().children(recursive=True)
    names = []
    for proc in left:
        try:
            names.append(proc.name())
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(left, timeout=grace)
    for proc in alive:
        with contextlib.suppress(psutil.NoSuchProcess):
            proc.kill()
    psutil.wait_procs(alive, timeout=5)
    return names


def stop(server: ServerMap, *, timeout: float = 120, log=print) -> bool:
    """Stop the hub (it stops its proxy, the labs and the services); False when it was not running.

    The hub gives every lab and service up to 20 s to go (interrupt, terminate, kill) before it stops its proxy;
    on a busy machine with a team's labs open that passed 60 s once, so the wait is two minutes."""
    import signal
    import time

    require_root("wijkkit server stop")
    pid = hub_pid(server)
    if pid is None:
        return False
    os.kill(pid, signal.SIGTERM)
    deadline = time.time() + timeout
    while time.time() < deadline and hub_pid(server) is not None:
        time.sleep(0.5)
    if hub_pid(server) is not None:
        raise WijkkitInputError(Probleem("de hub", f"gestopt binnen {int(timeout)} s",
                                         gevonden=f"proces {pid} draait nog", plek="dienst"))
    log("wijkkit-server gestopt.")
    return True


def remove_member(server: ServerMap, naam: str, *, log=print) -> None:
    """A member leaves: their processes, Unix user, PostgreSQL role and hub account go (the hub must run); their
    decisions, memos and history stay in the store under their name. Their home folder is kept, readable by root
    only, for the coördinator to hand over what is in it."""
    import json
    import urllib.error
    import urllib.request

    require_root("wijkkit server gebruiker verwijder")
    naam = rollen.hub_naam(naam)
    settings = server.instellingen()
    if settings.get("store"):
        use_postgres_of(settings["store"])
    request = urllib.request.Request(f"{hub_url(server)}/hub/api/users/{naam}", method="DELETE",
                                     headers={"Authorization": f"token {server.geheim('beheer_token')}"})
    try:
        with urllib.request.urlopen(request, timeout=60):
            pass
    except urllib.error.HTTPError as exc:
        if exc.code != 404:
            reden = json.loads(exc.read() or b"{}").get("message", exc.reason)
            raise WijkkitInputError(Probleem("de hub", "een account dat de hub kan verwijderen", gevonden=str(reden),
                                             plek="dienst")) from None
    except OSError as exc:
        raise WijkkitInputError(Probleem(hub_url(server), "een draaiende hub (start hem met 'wijkkit server start')",
                                         gevonden=str(exc), plek="dienst")) from None
    unix = rollen.unix_naam(naam)
    if user_exists(unix):
        subprocess.run(["pkill", "-KILL", "-u", unix], capture_output=True)
        subprocess.run(["userdel", unix], capture_output=True, check=True)
    psql(settings["database"], f"DROP ROLE IF EXISTS {rollen.ident(unix)};\n")
    home = server.map / "thuis" / naam
    if home.exists():
        os.chown(home, 0, 0)
        home.chmod(0o700)
    log(f"{naam} verwijderd: account, systeemgebruiker en databaserol. Beslissingen en memo's blijven, op naam van "
        f"{naam}." + (f" De map {home} staat nog (alleen root)." if home.exists() else ""))


def verwijder(server: ServerMap, *, database: bool = False, log=print) -> None:
    """Remove the server: the hub stops, every member's Unix user and PostgreSQL role, the service's user, the
    groups and the server folder go. The project folder stays, and so does the database unless ``database``."""
    require_root("wijkkit server verwijder")
    settings = server.instellingen()
    if settings.get("store"):
        use_postgres_of(settings["store"])
    stop(server, log=log)
    naam_db = settings["database"]
    leden = [p.name for p in (server.map / "thuis").iterdir()] if (server.map / "thuis").exists() else []
    for unix in [rollen.unix_naam(n) for n in leden] + [rollen.unix_naam(rollen.DIENST)]:
        if user_exists(unix):
            subprocess.run(["pkill", "-KILL", "-u", unix], capture_output=True)
            subprocess.run(["userdel", unix], capture_output=True)
    if database:
        psql("postgres", f"DROP DATABASE IF EXISTS {rollen.ident(naam_db)} WITH (FORCE);\n", check=False)
    roles = [rollen.unix_naam(n) for n in leden] + [rollen.unix_naam(rollen.DIENST)]
    psql("postgres", "".join(f"DROP ROLE IF EXISTS {rollen.ident(r)};\n" for r in roles), check=False)
    if database:
        psql("postgres", "".join(f"DROP ROLE IF EXISTS {rollen.ident(rollen.groep(naam_db, r))};\n"
                                 for r in rollen.ROLLEN), check=False)
    for group in (TEAM_GROEP, COORDINATOR_GROEP):
        subprocess.run(["groupdel", group], capture_output=True)
    shutil.rmtree(server.map, ignore_errors=True)
    log(f"Server verwijderd: {server.map}. " + (f"De database {naam_db} is ook verwijderd." if database else
                                                 f"De database {naam_db} en de projectmap blijven."))
