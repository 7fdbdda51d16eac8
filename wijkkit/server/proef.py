"""``make server``: try the team server out on the demo project, at http://127.0.0.1:8000 (as root).

Copies the demo project to /srv/wijkkit-demo/project (its store on PostgreSQL: database wijkkit_demo),
installs the runtime in /opt/wijkkit, sets up the server folder, imports the demo stories, starts the hub and
makes four accounts (coordinator, two codeurs, gast) with the passwords it prints. Ctrl+C stops everything.
"""

from __future__ import annotations

import grp
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

DEMO_FILES = ("wijkkit.toml", "codebook.yml", "indicatoren.yml", "verandertheorie.yml")
DEMO_FOLDERS = ("data", "notebooks", "stories")


def demo_project(source: Path, target: Path, database: str, *, originelen: bool = True) -> Path:
    """A copy of the demo project whose store is the team's PostgreSQL database."""
    from wijkkit.server.opzet import team_url

    target.mkdir(parents=True, exist_ok=True)
    for name in DEMO_FILES:
        shutil.copy(source / name, target / name)
    for folder in DEMO_FOLDERS:
        if not (target / folder).exists():
            shutil.copytree(source / folder, target / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    toml = target / "wijkkit.toml"
    text = toml.read_text(encoding="utf-8").replace('url = "sqlite:///wijkkit.db"', f'url = "{team_url(database)}"')
    if originelen:
        text = text.replace("originelen_bewaren = false", "originelen_bewaren = true")
    toml.write_text(text, encoding="utf-8")
    return target


def import_stories(project: Path, sleutels: Path) -> None:
    """The demo stories, imported as root (PostgreSQL's administrator role of root); the key of the originals goes
    to the coördinatoren's folder of the server, readable by them only."""
    env = {**os.environ, "WIJKKIT_KEY_DIR": str(sleutels)}
    subprocess.run([sys.executable, "-m", "wijkkit.cli", "vertellen", "importeer", "stories", "--project",
                    str(project), "--door", "coordinator", "--alleen-nieuw"], check=True, env=env, capture_output=True)
    for key in sleutels.iterdir():
        os.chown(key, 0, grp.getgrnam("wijkkit-coordinatoren").gr_gid)
        key.chmod(0o640)


def main() -> None:  # pragma: no cover - an interactive try-out
    import secrets

    from wijkkit.server import opzet

    source = Path(__file__).resolve().parents[2]
    base, runtime = Path("/srv/wijkkit-demo"), Path("/opt/wijkkit")
    opzet.installeer(runtime)
    base.mkdir(parents=True, exist_ok=True)
    base.chmod(0o755)
    project = demo_project(source, base / "project", "wijkkit_demo")
    server = opzet.maak(project, base / "server", runtime, poort=8000, pg_hba=True)
    import_stories(project, server.map / "sleutels")
    hub = subprocess.Popen([sys.executable, "-m", "wijkkit.cli", "server", "start", "--map", str(server.map)])
    import urllib.request

    for _ in range(120):
        try:
            urllib.request.urlopen("http://127.0.0.1:8000/hub/login", timeout=2)
            break
        except OSError:
            time.sleep(1)
    accounts = {"coordinator": "coordinator", "codeur1": "codeur", "codeur2": "codeur", "gast": "gast"}
    for naam, rol in accounts.items():
        wachtwoord = secrets.token_urlsafe(9)
        subprocess.run([sys.executable, "-m", "wijkkit.cli", "server", "gebruiker", naam, "--rol", rol, "--map",
                        str(server.map), "--wachtwoord", wachtwoord], check=True, capture_output=True)
        print(f"  {naam:<12} ({rol}): wachtwoord {wachtwoord}", flush=True)
    print("Open http://127.0.0.1:8000 (stoppen: Ctrl+C).", flush=True)
    try:
        hub.wait()
    except KeyboardInterrupt:
        hub.terminate()
        hub.wait()


if __name__ == "__main__":  # pragma: no cover
    main()
