"""wijkkit monitoring: the progress report and an exact re-run for students."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from wijkkit.cli.gemeen import ProjectOpt, console, fail
from wijkkit.cli.nederlands import groep
from wijkkit.errors import WijkkitInputError

app = groep("Monitoring: de voortgangsrapportage en een analyse precies opnieuw uitvoeren.")


@app.command()
def rapport(project: Path = ProjectOpt,
            uitvoer: Optional[Path] = typer.Option(None, "--uitvoer", "--uit",
                                                   help="Doelbestand (standaard reports/voortgang/).")
            ) -> None:
    """Maak de voortgangsrapportage (HTML, zonder code) uit notebooks/06_monitoring_voortgang."""
    from wijkkit.config import Project
    from wijkkit.monitoring.uitvoeren import render_report

    try:
        path = render_report(Project.load(project), uitvoer)
    except WijkkitInputError as exc:
        fail(exc)
    console.print(f"Voortgangsrapportage: {path}  (afdrukken als PDF kan vanuit de browser)")


@app.command("reproduceer")
def reproduceer(project: Path = ProjectOpt,
                uitvoer: Optional[Path] = typer.Option(None, "--uitvoer", "--uit",
                                                       help="Map voor de uitvoer (standaard reports/reproductie/).")
                ) -> None:
    """Voer alle sjabloonnotebooks opnieuw uit en schrijf een manifest met hashes van invoer en uitvoer."""
    import time

    from wijkkit.config import Project
    from wijkkit.monitoring.uitvoeren import reproduce as run

    began = time.perf_counter()
    try:
        proj = Project.load(project)
        manifest = run(proj, uitvoer, log=lambda line: console.print(line, highlight=False))
    except WijkkitInputError as exc:
        fail(exc)
    folder = uitvoer or proj.root / "reports" / "reproductie"
    console.print(f"{len(manifest['invoer'])} invoerbestanden, {len(manifest['uitvoer'])} tabellen; "
                  f"manifest: {folder / 'manifest.json'}; totaal {time.perf_counter() - began:.0f} s.")
