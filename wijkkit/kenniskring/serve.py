"""Start the kenniskring dashboard with Voila, bound to this machine only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
import webbrowser
from pathlib import Path

from wijkkit.config import Project
from wijkkit.errors import Probleem, WijkkitInputError

DASHBOARD = "04_kenniskring.ipynb"


TEMPLATE = "wijkkit"


def offline_template(target: Path) -> Path:
    """Voila's lab template without its CDN stylesheet links (Font Awesome from jsdelivr).

    Built from the installed Voila at start-up rather than copied into the repository, so
    it follows Voila upgrades; the page then loads nothing from outside 127.0.0.1.
    """
    from jupyter_core.paths import jupyter_path

    source = next(Path(p) for p in jupyter_path("voila", "templates", "lab") if Path(p).is_dir())
    dest = target / "voila" / "templates" / TEMPLATE
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(source, dest)
    index = dest / "index.html.j2"
    lines = index.read_text(encoding="utf-8").splitlines(keepends=True)
    index.write_text("".join(line for line in lines if "://cdn" not in line), encoding="utf-8")
    (dest / "conf.json").write_text(json.dumps({"base_template": "lab"}), encoding="utf-8")
    return target


def voila_command(notebook: Path, *, port: int, open_browser: bool, preheat: bool = True) -> list[str]:
    """Voila with sources stripped and tracebacks hidden: residents never see code.

    With ``preheat`` a kernel has already run the notebook before anyone opens the page
    (notebooks/voila.json sets a pool of one; each visitor takes it and a new one warms up).
    """
    return [sys.executable, "-m", "voila", str(notebook), "--Voila.ip=127.0.0.1", f"--port={port}",
            f"--preheat_kernel={preheat}",
            "--strip_sources=True", "--show_tracebacks=False", "--theme=light", f"--template={TEMPLATE}",
            # editor-only extensions have no place in a page and fail to load in Voila's frontend
            "--VoilaConfiguration.extension_denylist=jupyterlab-jupytext",
            *([] if open_browser else ["--no-browser"])]


def serve(project: str | Path = ".", *, port: int = 8866, open_browser: bool = True,
          notebook_name: str = DASHBOARD, titel: str = "Kenniskring-dashboard", preheat: bool = True) -> int:
    proj = Project.load(project)
    notebook = proj.root / "notebooks" / notebook_name
    if not notebook.exists():
        raise WijkkitInputError(Probleem(notebook_name, "het notebook in notebooks/ van het project",
                                         gevonden=str(notebook)))
    data_dir = offline_template(proj.cache_dir / "jupyter")
    ready = proj.cache_dir / f"klaar-{port}"
    ready.unlink(missing_ok=True)
    env = {**os.environ, "WIJKKIT_PROJECT": str(proj.root), "WIJKKIT_READY_FILE": str(ready),
           "JUPYTER_PATH": os.pathsep.join(filter(None, [str(data_dir), os.environ.get("JUPYTER_PATH")]))}
    print(f"{titel}: http://127.0.0.1:{port}/  (stoppen: Ctrl+C)", flush=True)
    if open_browser and preheat:
        # Open the browser once the preheated kernel has drawn the page, not while it is still
        # computing: the first visitor then gets a finished page at once.
        threading.Thread(target=_open_when_ready, args=(ready, f"http://127.0.0.1:{port}/"), daemon=True).start()
    try:
        return subprocess.call(voila_command(notebook, port=port, open_browser=open_browser and not preheat,
                                             preheat=preheat), env=env, cwd=notebook.parent)
    except KeyboardInterrupt:
        return 0


def _open_when_ready(ready: Path, url: str, timeout: float = 90) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline and not ready.exists():
        time.sleep(0.3)
    webbrowser.open(url)


def mark_ready() -> None:
    """Called by a page at the end of building itself (see ``serve``)."""
    target = os.environ.get("WIJKKIT_READY_FILE")
    if target:
        Path(target).touch()
