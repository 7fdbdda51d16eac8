"""wijkkit schouw: the straatschouw, from a form for the phone to figures beside CBS."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from wijkkit.cli.gemeen import ProjectOpt, console, fail
from wijkkit.cli.nederlands import groep
from wijkkit.errors import Probleem, WijkkitInputError

app = groep("Schouw: een formulier voor de straatschouw (ODK Collect, KoBoToolbox) en de export inlezen.")


@app.command("formulier")
def formulier(project: Path = ProjectOpt,
              uitvoer: Path = typer.Option(Path("schouw.xlsx"), "--uitvoer", "-o",
                                           help="Waar het XLSForm komt (standaard schouw.xlsx in de projectmap)."),
              kies: Optional[str] = typer.Option(None, "--onderdelen",
                                                 help="Alleen deze onderdelen, bv. zwerfvuil,groen (standaard: alle).")
              ) -> None:
    """Schrijf het schouwformulier (XLSForm) met de buurten en thema's van het project."""
    from wijkkit.config import Project
    from wijkkit.kijken.formulier import schouwformulier
    from wijkkit.kijken.importeren import buurten
    from wijkkit.kijken.onderdelen import onderdelen

    try:
        proj = Project.load(project)
        uitvoer = uitvoer if uitvoer.is_absolute() else proj.root / uitvoer
        codebook = proj.load_codebook()
        lijst = buurten(proj)
        alle = onderdelen(proj.catalogus)
        gekozen = alle
        if kies:
            namen = [n.strip() for n in kies.split(",") if n.strip()]
            onbekend = [n for n in namen if n not in {o.naam for o in alle}]
            if onbekend:
                raise WijkkitInputError(Probleem("--onderdelen", "onderdelen uit de catalogus: " + ", ".join(
                    o.naam for o in alle), plek="optie", gevonden=", ".join(onbekend)))
            gekozen = [o for o in alle if o.naam in namen]
        pad = schouwformulier(uitvoer, titel=f"Straatschouw {proj.config.project.naam}", buurten=lijst,
                              onderdelen=gekozen, themas={t.id: t.label for t in codebook.themas})
    except WijkkitInputError as exc:
        fail(exc)
    console.print(f"Schouwformulier geschreven: {pad} ({len(lijst)} buurten). Zet het in ODK Central of "
                  "KoBoToolbox en schouw met ODK Collect of KoBoCollect, ook zonder internet.")


@app.command("importeer")
def importeer(export: Path = typer.Argument(..., help="De export: CSV, XLSX of de .csv.zip van ODK Central."),
              project: Path = ProjectOpt,
              fotos: Optional[Path] = typer.Option(None, "--fotos", help="Map met de foto's uit de export."),
              door: str = typer.Option("", help="Wie importeert (naam of rol).")) -> None:
    """Lees een schouwexport in: alles of niets, opmerkingen gepseudonimiseerd, punten in hun buurt."""
    from wijkkit.config import Project
    from wijkkit.kijken.importeren import import_schouw

    try:
        proj = Project.load(project)
        export = export if export.is_absolute() or export.exists() else proj.root / export
        verslag = import_schouw(proj, export, fotos=fotos, door=door)
    except WijkkitInputError as exc:
        fail(exc)
    soort = {"odk": "ODK Central", "kobo": "KoBoToolbox", "tabel": "een eigen tabel"}[verslag.bron]
    console.print(f"{verslag.nieuw} schouwwaarnemingen ingelezen uit {verslag.bestand} ({soort})"
                  + (f"; {verslag.al_bekend} stonden er al in" if verslag.al_bekend else "") + ".")
    if verslag.fotos:
        console.print(f"{verslag.fotos} foto's bewaard in schouw/fotos. Kijk elke foto na op gezichten en kentekens "
                      "voordat je hem deelt.")
    if verslag.fotos_ontbreken:
        console.print(f"{verslag.fotos_ontbreken} foto's niet gevonden: geef de map met foto's mee met --fotos.")
    if verslag.gepseudonimiseerd:
        console.print(f"In de opmerkingen {verslag.gepseudonimiseerd} namen of gegevens gepseudonimiseerd.")
