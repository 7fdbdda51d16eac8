"""wijkkit kenniskring: the dashboard for a knowledge circle, and its summary as a file."""

from __future__ import annotations

import sys
from pathlib import Path

from typing import Optional

import typer

from wijkkit.cli.gemeen import ProjectOpt, console, fail
from wijkkit.cli.nederlands import groep
from wijkkit.errors import Probleem, WijkkitInputError

app = groep("Kenniskring: het dashboard voor de warme duiding en de samenvatting per gebied en thema.")


@app.command()
def dashboard(project: Path = ProjectOpt, port: int = typer.Option(8866, help="Poort."),
              open_browser: bool = typer.Option(True, "--open/--no-open", help="Open de browser."),
              preheat: bool = typer.Option(True, "--voorverwarmd/--koud",
                                           help="Kernel vooraf laten rekenen, zodat de pagina direct klaar is."),
              opruimen: int = typer.Option(120, help="Seconden waarna de kernel van een gesloten pagina stopt."),
              max_kernels: Optional[int] = typer.Option(
                  None, "--max-kernels", help="Hoeveel pagina's (kernels) er tegelijk open mogen zijn (standaard: "
                                              "zoveel als het vrije geheugen toelaat)."),
              zaal: bool = typer.Option(False, "--zaal", help="Ook voor telefoons in het netwerk van de zaal, met een "
                                                              "code en een QR-code op het scherm."),
              verwacht: Optional[int] = typer.Option(
                  None, "--verwacht", min=1, help="Zaalmodus: hoeveel telefoons er ongeveer komen; zoveel pagina's "
                                                  "worden vooraf klaargezet (standaard: zoveel als de vorige keer "
                                                  "meededen, anders 40; nooit meer dan het geheugen toelaat).")
              ) -> None:
    """Start het kenniskring-dashboard (Voila) op 127.0.0.1, of met --zaal voor de telefoons in de zaal."""
    from wijkkit.kenniskring.serve import serve

    try:
        sys.exit(serve(project, port=port, open_browser=open_browser, preheat=preheat, opruimen=opruimen,
                       max_kernels=max_kernels, zaal=zaal, verwacht=verwacht))
    except WijkkitInputError as exc:
        fail(exc)


@app.command()
def nodig(gebied: Optional[str] = typer.Option(None, "--gebied", "-g",
                                               help="Gebiedscode (standaard: de gemeente van het project)."),
          project: Path = ProjectOpt) -> None:
    """Voor het team: hoeveel (gecodeerde) verhalen elk thema nog nodig heeft om op het dashboard te komen."""
    from rich.table import Table

    from wijkkit.kenniskring.gegevens import Kenniskring

    try:
        kring = Kenniskring(project)
        gebied = gebied or kring.gemeente
        if gebied not in kring.namen:
            raise WijkkitInputError(Probleem(
                "--gebied", "een gebied uit de cijfers van dit project (de codes staan in 'wijkkit tellen cijfers "
                "--gebieden')", gevonden=gebied))
    except WijkkitInputError as exc:
        fail(exc)
    nodig = kring.nog_nodig(gebied)
    out = Table(title=f"Verhalen per thema in {kring.namen[gebied]} (drempel {kring.drempel})", header_style="bold")
    for column in ("Thema", "Nog nodig"):
        out.add_column(column)
    for thema, n in sorted(nodig.items(), key=lambda item: item[1]):
        out.add_row(kring.labels.get(thema, thema), "genoeg" if n == 0 else f"nog {n} verhalen")
    console.print(out)
    console.print("Gecodeerd telt: codeer de verhalen in de werkbank (wijkkit coderen werkbank). Alleen voor het team: "
                  "op openbare pagina's staan geen aantallen onder de drempel.")


@app.command()
def samenvatting(gebied: str = typer.Option(..., "--gebied", "-g", help="Gebiedscode, bv. WK034403."),
                 thema: str = typer.Option(..., "--thema", "-t", help="Thema-id uit het codeboek, bv. wonen."),
                 uitvoer: Optional[Path] = typer.Option(None, "--uitvoer",
                                                        help="Map voor het bestand (standaard reports/kenniskring/)."),
                 project: Path = ProjectOpt) -> None:
    """Schrijf de samenvatting van één gebied en thema als HTML, om mee te nemen of af te drukken."""
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.samenvatting import write_summary

    try:
        kring = Kenniskring(project)
        if gebied not in kring.namen:
            raise WijkkitInputError(Probleem(
                "--gebied", "een gebied uit de cijfers van dit project (de codes staan in 'wijkkit tellen cijfers "
                "--gebieden' en in de gebiedskeuze op het dashboard)", gevonden=gebied))
        if thema not in kring.labels:
            raise WijkkitInputError(Probleem("--thema", "een thema-id uit het codeboek: " + ", ".join(kring.labels),
                                             gevonden=thema, plek="optie"))
        path = write_summary(kring, gebied, thema, map_=uitvoer)
    except WijkkitInputError as exc:
        fail(exc)
    console.print(f"Samenvatting: {path}", markup=False, highlight=False)


@app.command()
def verslag(bijeenkomst: Optional[int] = typer.Option(None, "--bijeenkomst",
                                                      help="Nummer van de avond (standaard: de laatste)."),
            uitvoer: Optional[Path] = typer.Option(None, "--uitvoer",
                                                   help="Map voor het verslag (standaard reports/kenniskring/)."),
            project: Path = ProjectOpt) -> None:
    """Schrijf het verslag van een kenniskring-avond (zaalmodus) als één HTML-bestand om af te drukken."""
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.nabewerking import nabewerken
    from wijkkit.kenniskring.verslag import kies_bijeenkomst, write_verslag

    try:
        kring = Kenniskring(project)
        nabewerken(kring.project)  # duidingen and sentences pass the full pseudonymiser first
        avond = kies_bijeenkomst(kring.store, bijeenkomst)
        if avond is None:
            raise WijkkitInputError(Probleem(
                "--bijeenkomst", "een kenniskring-avond in dit project (die begint met 'wijkkit kenniskring dashboard "
                "--zaal')", gevonden=str(bijeenkomst) if bijeenkomst else "nog geen avond", plek="optie"))
        path, voorstel = write_verslag(kring, avond, uitvoer)
    except WijkkitInputError as exc:
        fail(exc)
    console.print(f"Verslag: {path}", markup=False, highlight=False)
    if voorstel:
        console.print(f"Voorstel voor verandertheorie.yml (niet overgenomen): {voorstel}", markup=False,
                      highlight=False)
