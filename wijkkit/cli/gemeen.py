"""What every command module shares: the consoles, the project option, and one way to fail."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from wijkkit.errors import Probleem, WijkkitInputError

# Tables need room: a narrow pipe (CI, a file) would fold every word.
console = Console(soft_wrap=False, width=max(140, shutil.get_terminal_size((140, 40)).columns))
err = Console(stderr=True)

ProjectOpt = typer.Option(Path("."), "--project", "-p", help="Projectmap (met wijkkit.toml).")


def fail(exc: WijkkitInputError) -> None:
    err.print(str(exc), highlight=False, markup=False)
    raise typer.Exit(code=2)


def pairs(items: Optional[list[str]]) -> dict:
    """'veld=waarde' options (--koppeling, --standaard) as a dict."""
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            fail(WijkkitInputError(Probleem("opdrachtregel", "veld=waarde", gevonden=item)))
        out[key.strip()] = value.strip()
    return out


def project_store_codebook(project: Path):
    from wijkkit.config import Project

    proj = Project.load(project)
    return proj, proj.open_store(), proj.load_codebook()
