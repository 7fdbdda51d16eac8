"""Start the kenniskring dashboard with Voila, bound to this machine only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from wijkkit.config import Project
from wijkkit.errors import Probleem, WijkkitInputError

DASHBOARD = "04_kenniskring.ipynb"


def voila_command(notebook: Path, *, port: int, open_browser: bool) -> list[str]:
    """Voila with sources stripped and tracebacks hidden: residents never see code."""
    return [sys.executable, "-m", "voila", str(notebook), "--Voila.ip=127.0.0.1", f"--port={port}",
            "--strip_sources=True", "--show_tracebacks=False", "--theme=light",
            "--VoilaConfiguration.file_allowlist=['.*\\.(png|jpg|svg|css|html)']",
            *([] if open_browser else ["--no-browser"])]


def serve(project: str | Path = ".", *, port: int = 8866, open_browser: bool = True) -> int:
    proj = Project.load(project)
    notebook = proj.root / "notebooks" / DASHBOARD
    if not notebook.exists():
        raise WijkkitInputError(Probleem(DASHBOARD, "het dashboard-notebook in notebooks/",
                                         gevonden=str(notebook)))
    env = {**os.environ, "WIJKKIT_PROJECT": str(proj.root)}
    print(f"Kenniskring-dashboard: http://127.0.0.1:{port}/  (stoppen: Ctrl+C)", flush=True)
    try:
        return subprocess.call(voila_command(notebook, port=port, open_browser=open_browser), env=env,
                               cwd=notebook.parent)
    except KeyboardInterrupt:
        return 0
