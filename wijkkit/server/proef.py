"""``make server``: try the team server out on the demo project, at http://127.0.0.1:8000 (as root).

Copies the demo project to MAP/project (its store on PostgreSQL: database wijkkit_demo, in a cluster of its own
in MAP/postgres: peer and scram only), installs the runtime in RUNTIME, sets up the server folder, imports the
demo stories, starts the hub and makes four accounts (coordinator, two codeurs, gast) with one-time passwords
it prints. Ctrl+C stops everything. Options: ``--poort 8000 --map /srv/wijkkit-demo --runtime /opt/wijkkit``
(``make server POORT=8100 MAP=... RUNTIME=...``).
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


def main(argv: list[str] | None = None) -> None:  # pragma: no cover - an interactive try-out
    import argparse
    import secrets
    import urllib.request

    from wijkkit.server import opzet
    from wijkkit.server.cluster import Cluster

    parser = argparse.ArgumentParser(prog="make server", description="De teamserver uitproberen op het demoproject.")
    parser.add_argument("--poort", type=int, default=8000, help="poort van de hub (ook de drie erna)")
    parser.add_argument("--map", type=Path, default=Path("/srv/wijkkit-demo"), help="map voor project en server")
    parser.add_argument("--runtime", type=Path, default=Path("/opt/wijkkit"), help="map van de gedeelde runtime")
    args = parser.parse_args(argv)
    source = Path(__file__).resolve().parents[2]
    base = args.map.resolve()
    opzet.installeer(args.runtime)
    base.mkdir(parents=True, exist_ok=True)
    base.chmod(0o755)
    cluster = Cluster(base / "postgres", port=args.poort + 4).start()
    os.environ.update(cluster.env)
    project = demo_project(source, base / "project", "wijkkit_demo")
    server = opzet.maak(project, base / "server", args.runtime, poort=args.poort)
    import_stories(project, server.map / "sleutels")
    hub = subprocess.Popen([sys.executable, "-m", "wijkkit.cli", "server", "start", "--map", str(server.map)])
    url = f"http://127.0.0.1:{args.poort}"
    for _ in range(120):
        try:
            urllib.request.urlopen(f"{url}/hub/login", timeout=2)
            break
        except OSError:
            time.sleep(1)
    accounts = {"coordinator": "coordinator", "codeur1": "codeur", "codeur2": "codeur", "gast": "gast"}
    for naam, rol in accounts.items():
        wachtwoord = secrets.token_urlsafe(9)
        subprocess.run([sys.executable, "-m", "wijkkit.cli", "server", "gebruiker", naam, "--rol", rol, "--map",
                        str(server.map), "--wachtwoord", wachtwoord], check=True, capture_output=True)
        print(f"  {naam:<12} ({rol}): eenmalig wachtwoord {wachtwoord}", flush=True)
    print(f"Open {url} (bij de eerste keer inloggen kies je een eigen wachtwoord; stoppen: Ctrl+C).", flush=True)
    try:
        hub.wait()
    except KeyboardInterrupt:
        hub.terminate()
        hub.wait()
    finally:
        cluster.stop()


if __name__ == "__main__":  # pragma: no cover
    main()
