"""The template notebooks by name, numbered in the order of the cycle; one place to rename one.

``notebooks/`` holds each as ``.ipynb`` (what JupyterLab, Voila and papermill open) paired by jupytext with a
``.py`` of the same name (what a diff shows). Code and tests refer to these constants, never to a file name.
A page built from one (the kenniskring dashboard, the werkbank) says it is ready with :func:`mark_ready`.
Standard library only: every room may use this.
"""

from __future__ import annotations

import os
from pathlib import Path

TELLEN = "01_tellen_wijkprofiel.ipynb"
VERTELLEN = "02_vertellen_verhalen.ipynb"
CODEREN = "03_coderen_en_betrouwbaarheid.ipynb"
VERBINDEN = "04_verbinden.ipynb"
KENNISKRING = "05_kenniskring.ipynb"  # the dashboard: the one page the room and the hub service serve
MONITORING = "06_monitoring_voortgang.ipynb"
WERKBANK = "werkbank_coderen.ipynb"  # the coders' workbench: a tool, not a step

CYCLUS = (TELLEN, VERTELLEN, CODEREN, VERBINDEN, KENNISKRING, MONITORING)


def stam(notebook: str) -> str:
    """The name without ``.ipynb`` (the ``.py`` pair has the same stem)."""
    return notebook.removesuffix(".ipynb")


# The names before the cycle's order (two notebooks were 03): a project made by an earlier 'wijkkit init' has them.
EERDER = {"03_verbinden.ipynb": VERBINDEN, "04_kenniskring.ipynb": KENNISKRING,
          "05_monitoring_voortgang.ipynb": MONITORING}


def vind(map: Path, notebook: str) -> Path:
    """The notebook in a project's ``notebooks/`` folder: by its name, else by its earlier name; the current name
    when neither exists (the caller says so)."""
    path = map / notebook
    if path.exists():
        return path
    earlier = next((map / old for old, new in EERDER.items() if new == notebook and (map / old).exists()), None)
    return earlier or path


def mark_ready() -> None:
    """Called by a page at the end of building itself: ``wijkkit kenniskring dashboard`` and ``wijkkit coderen
    werkbank`` open the browser then (see ``kenniskring.serve``)."""
    target = os.environ.get("WIJKKIT_READY_FILE")
    if target:
        Path(target).touch()
