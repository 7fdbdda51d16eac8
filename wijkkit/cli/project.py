"""wijkkit init, wijkkit demo and wijkkit beheer sleutel: a project folder, the demo project, the key of the
originals (gathered with the backup under 'wijkkit beheer', see cli.beheer)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from wijkkit.cli.gemeen import ProjectOpt, console, err, fail, project_store_codebook
from wijkkit.cli.nederlands import groep
from wijkkit.errors import WijkkitInputError

demo_app = groep("Het demoproject Lindehoven: de cijfers opnieuw maken, twee gesimuleerde codeurs laten coderen.")


def init(map: Path = typer.Argument(..., help="Nieuwe projectmap."),
         naam: Optional[str] = typer.Option(None, help="Naam van het project."),
         gemeente: Optional[str] = typer.Option(None, help="CBS-code van de gemeente, bv. GM0344 (Utrecht).")
         ) -> None:
    """Maak een nieuwe projectmap (wijkkit.toml, codebook.yml, data/, stories/, notebooks/)."""
    from wijkkit.config import init_project

    try:
        root = init_project(map, naam=naam, gemeente=gemeente)
    except WijkkitInputError as exc:
        fail(exc)
    console.print(f"Project aangemaakt in {root}. Zet CBS-bestanden (kwb-JAAR.xlsx, StatLine-CSV, ook heel "
                  f"Nederland) in {root / 'data'}.", markup=False, highlight=False)
    if not gemeente:
        console.print("Vul in wijkkit.toml bij [project] de gemeente in (de CBS-code, bv. gemeente = \"GM0344\"); "
                      "'wijkkit tellen cijfers' noemt de gemeenten in je bestanden.", markup=False, highlight=False)


@demo_app.command("cijfers")
def demo_cijfers(uitvoer: Path = typer.Option(Path("data"), "--uitvoer", "--map",
                                              help="Waar de demobestanden komen.")
                 ) -> None:
    """Maak de cijferbestanden van de fictieve demogemeente Lindehoven opnieuw (vaste seed)."""
    from wijkkit.demo.cijfers import generate

    for path in generate(uitvoer):
        console.print(f"geschreven: {path}")


@demo_app.command("codering")
def demo_codering(project: Path = ProjectOpt) -> None:
    """Laat twee gesimuleerde codeurs de demoverhalen coderen (alleen voor het demoproject)."""
    from wijkkit.demo.codering import simulate

    _, store, codebook = project_store_codebook(project)
    result = simulate(store, codebook.theme_ids)
    if result.get("overgeslagen"):
        console.print("De democodeurs hebben al gecodeerd.")
    else:
        console.print(f"Onderzoeker: {result['afgerond']} van {result['onderzoeker']} verhalen afgerond; "
                      f"student: {result['student']} toegewezen verhalen gecodeerd.")


sleutel_app = groep("De sleutel van de versleutelde originele teksten: controleren, ontsleutelen, vervangen.")


def _met_sleutel(project: Path, doe: str):
    """The project and what ``wijkkit.privacy.sleutel.<doe>(project, store)`` returns; bad input ends the command."""
    from wijkkit.config import Project
    from wijkkit.privacy import sleutel

    try:
        proj = Project.load(project)
        return proj, getattr(sleutel, doe)(proj, proj.open_store())
    except WijkkitInputError as exc:
        fail(exc)


@sleutel_app.command("controleer")
def sleutel_controleer(project: Path = ProjectOpt) -> None:
    """Kan de sleutel van dit project alle originele teksten openen?"""
    _, verslag = _met_sleutel(project, "check")
    console.print(f"{verslag['leesbaar']} van {verslag['originelen']} originele teksten zijn te openen met de "
                  f"sleutel in {verslag['sleutel']}.", markup=False, highlight=False)
    if verslag["onleesbaar"]:
        err.print("Niet te openen: " + ", ".join(verslag["onleesbaar"][:20]), markup=False)
        raise typer.Exit(code=1)


@sleutel_app.command("ontsleutel")
def sleutel_ontsleutel(uitvoer: Path = typer.Option(..., "--uitvoer", help="CSV-bestand voor de originele teksten."),
                       project: Path = ProjectOpt) -> None:
    """Schrijf de originele teksten naar een CSV, voor een export waarvoor toestemming is."""
    import os

    import pandas as pd

    from wijkkit.weergave import spreadsheet_tabel

    _, rows = _met_sleutel(project, "decrypt_all")
    frame = spreadsheet_tabel(pd.DataFrame(rows, columns=["verhaal", "originele_tekst"]))
    fd = os.open(uitvoer, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as handle:
        frame.to_csv(handle, index=False, sep=";")
    console.print(f"{len(rows)} originele teksten geschreven naar {uitvoer} (alleen voor jou leesbaar). Deze teksten "
                  "zijn niet gepseudonimiseerd: deel ze alleen met wie daar toestemming voor heeft, en verwijder het "
                  "bestand na gebruik.", markup=False, highlight=False)


@sleutel_app.command("roteer")
def sleutel_roteer(project: Path = ProjectOpt) -> None:
    """Vervang de sleutel: alle originelen worden opnieuw versleuteld; de oude sleutel blijft als reservekopie."""
    from wijkkit.privacy import sleutel

    proj, aantal = _met_sleutel(project, "rotate")
    console.print(f"{aantal} originele teksten opnieuw versleuteld met een nieuwe sleutel ({sleutel.key_path(proj)}).",
                  markup=False, highlight=False)
