"""wijkkit coderen: the workbench, samples for a second coder, agreement, learning, exchange."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from wijkkit.cli.gemeen import ProjectOpt, console, err, fail, pairs, project_store_codebook
from wijkkit.cli.nederlands import groep
from wijkkit.errors import Probleem, WijkkitInputError

app = groep("Coderen: de werkbank, steekproeven, overeenstemming, leren van het team, uitwisselen met QDA-programma's.")


@app.command()
def werkbank(project: Path = ProjectOpt, port: int = typer.Option(8867, help="Poort op 127.0.0.1."),
             open_browser: bool = typer.Option(True, "--open/--no-open", help="Open de browser.")) -> None:
    """Open de codeerwerkbank (Voila) op 127.0.0.1. In JupyterLab: open notebooks/werkbank_coderen.ipynb."""
    from wijkkit.notebooks import WERKBANK
    from wijkkit.kenniskring.serve import serve

    try:
        sys.exit(serve(project, port=port, open_browser=open_browser, notebook_name=WERKBANK,
                       titel="Codeerwerkbank"))
    except WijkkitInputError as exc:
        fail(exc)


@app.command()
def toewijzen(codeur: str = typer.Argument(..., help="Naam van de (tweede) codeur."),
              aantal: Optional[int] = typer.Option(None, help="Aantal verhalen."),
              aandeel: float = typer.Option(0.2, help="Aandeel verhalen als --aantal ontbreekt."),
              van: Optional[str] = typer.Option(None, help="Alleen verhalen die deze codeur heeft afgerond."),
              door: str = typer.Option("", help="Wie wijst toe."), seed: int = typer.Option(0, help="Toevalszaad."),
              project: Path = ProjectOpt) -> None:
    """Wijs een steekproef van verhalen toe aan een codeur (voor de betrouwbaarheidscontrole)."""
    from wijkkit.coderen.beslissingen import assign_sample

    from wijkkit.server.hub import check_teamlid, ingelogd

    try:
        codeur = check_teamlid(codeur)  # on a team server: a hub user who codes
    except WijkkitInputError as exc:
        fail(exc)
    _, store, _ = project_store_codebook(project)
    chosen = assign_sample(store, codeur=codeur, aantal=aantal, aandeel=aandeel, van=van, door=door or ingelogd(),
                           seed=seed)
    console.print(f"{len(chosen)} verhalen toegewezen aan {codeur}.", markup=False, highlight=False)


@app.command()
def betrouwbaarheid(niveau: str = typer.Option("verhaal", help="'verhaal' of 'zin'."),
                    verschillen: bool = typer.Option(False, "--verschillen", help="Toon ook de lijst met verschillen."),
                    project: Path = ProjectOpt) -> None:
    """Overeenstemming tussen codeurs: Krippendorffs alfa per thema, Cohens kappa per paar."""
    from wijkkit.coderen.betrouwbaarheid import UITLEG, agreement, disagreements, store_table

    _, store, codebook = project_store_codebook(project)
    table = store_table(store, codebook.theme_ids, niveau=niveau)
    if table.empty:
        console.print("Nog geen verhalen die door twee codeurs zijn afgerond.")
        raise typer.Exit(code=0)
    result = agreement(table)
    out = Table(title=f"Krippendorffs alfa per thema ({niveau})")
    for column in ("thema", "alfa", "eenheden", "toegekend"):
        out.add_column(column, justify="left" if column == "thema" else "right")
    for row in result["per_thema"].itertuples():
        out.add_row(codebook.label(row.thema) if row.thema in codebook.theme_ids else row.thema,
                    "n.v.t." if row.alfa != row.alfa else f"{row.alfa:.3f}".replace(".", ","),
                    str(row.eenheden), str(row.toegekend))
    console.print(out)
    for row in result["per_paar"].itertuples():
        kappa = "n.v.t." if row.kappa != row.kappa else f"{row.kappa:.3f}".replace(".", ",")
        console.print(f"{row.codeur_a} en {row.codeur_b}: kappa {kappa}, "
                      f"{row.overeenstemming:.1%}".replace(".", ",") + f" overeenstemming over {row.eenheden} eenheden")
    if verschillen:
        console.print(disagreements(table).to_string(index=False))
    console.print(UITLEG, style="dim")


@app.command()
def bijleren(project: Path = ProjectOpt) -> None:
    """Leer nu meteen bij van dit team: het model op de afgeronde verhalen, en de zekerheid op de antwoorden.

    De werkbank doet dit zelf: het model na elke 50 beslissingen, de zekerheid na elke 25 antwoorden. Beide
    worden alleen gebruikt als ze op de eigen verhalen van het project beter bleken (kruisvalidatie per
    verhaal); een nieuw model leest daarna de verhalen die nog niemand aanraakte opnieuw."""
    from wijkkit.coderen import projectmodel
    from wijkkit.coderen.bijleren import MIN_ANTWOORDEN, update
    from wijkkit.coderen.werkbank import Drempels

    proj, store, codebook = project_store_codebook(project)
    model = projectmodel.update(store, proj.model_dir, codebook, force=True)
    if model is None:
        err.print(f"Model: nog te weinig afgeronde verhalen om van te leren (minstens {projectmodel.MIN_VERHALEN}).")
    else:
        for naam, key in (("model zonder jullie verhalen", "huidig"), ("model met jullie verhalen", "project")):
            row = model.uit_de_vouw[key]
            console.print(f"{naam}: {row['juist']} van {row['getoond']} getoonde suggesties juist, "
                          f"{row['gemist']} thema's niet getoond", markup=False)
        console.print(f"Model bijgeleerd van {model.verhalen} afgeronde verhalen: "
                      + (f"in gebruik; {model.opnieuw_gelezen} verhalen die nog niemand aanraakte opnieuw gelezen."
                         if model.in_gebruik else "niet beter, dus niet in gebruik."), markup=False)
    drempels = Drempels.shipped(proj.config.coderen.drempel)
    fit = update(store, proj.model_dir, drempels.corpus_shown, force=True)
    if fit is None:
        err.print(f"Zekerheid: nog te weinig beoordeelde suggesties met een zekerheid (minstens {MIN_ANTWOORDEN}, "
                  "van minstens twee verhalen, zowel geaccepteerd als afgewezen).")
        raise typer.Exit(code=2 if model is None else 0)
    for naam, key in (("zonder bijleren", "huidig"), ("bijgeleerd", "team")):
        row = fit.uit_de_vouw[key]
        console.print(f"{naam}: {row['juist']} van {row['getoond']} getoonde suggesties juist, "
                      f"Brier {row['brier']:.3f}".replace(".", ","), markup=False)
    console.print(f"Zekerheid bijgeleerd van {fit.antwoorden} antwoorden: "
                  + ("in gebruik." if fit.in_gebruik else "niet beter, dus niet in gebruik."), markup=False)


@app.command()
def leer(minimum: Optional[int] = typer.Option(None, help="Minimum aantal geaccepteerde zinnen per thema."),
         folds: int = typer.Option(5, help="Aantal delen voor de kruisvalidatie."),
         project: Path = ProjectOpt) -> None:
    """Train een themaclassifier op de coderingen van het team en toon eerst de kruisvalidatie.

    Het model wordt pas gebruikt als [coderen] leermodel = true in wijkkit.toml staat.
    """
    from wijkkit.coderen.leren import learn

    proj, store, codebook = project_store_codebook(project)
    try:
        report = learn(store, codebook, proj.model_dir, minimum=minimum or proj.config.coderen.minimum_per_thema,
                       folds=folds)
    except ValueError as exc:
        err.print(str(exc))
        raise typer.Exit(code=2)
    cv = report.kruisvalidatie
    out = Table(title=f"Kruisvalidatie ({folds} delen, per verhaal): F1 per thema")
    out.add_column("thema")
    for methode in ("regels", "model", "regels + model"):
        out.add_column(methode, justify="right")
    for thema in [*report.themas, "micro"]:
        values = [cv[(cv.methode == m) & (cv.thema == thema)]["f1"].iloc[0] for m in
                  ("regels", "model", "regels + model")]
        out.add_row(codebook.label(thema) if thema in codebook.theme_ids else thema,
                    *(f"{v:.3f}".replace(".", ",") for v in values))
    console.print(out)
    console.print(f"Getraind op {report.zinnen} zinnen uit {report.verhalen} afgeronde verhalen; "
                  f"opgeslagen in {proj.model_dir}.")
    state = "aan" if proj.config.coderen.leermodel else "uit (zet [coderen] leermodel = true om het te gebruiken)"
    console.print(f"Het geleerde model staat {state}.", markup=False)
    for row in cv[(cv.methode == "regels") & (cv.thema == "micro")].itertuples():
        print(f"regels_micro_f1={row.f1:.4f}")
    print(f"model_micro_f1={report.micro('model'):.4f}")


@app.command()
def exporteer(bestand: Path = typer.Argument(..., help="Doelbestand: .qdc, .qdpx, .xlsx of .csv."),
              regeleinden: str = typer.Option("lf", help="'crlf' voor programma's die zo tellen (.qdpx)."),
              project: Path = ProjectOpt) -> None:
    """Exporteer het codeboek (.qdc), het gecodeerde project (.qdpx) of de coderingen (.xlsx/.csv)."""
    from wijkkit.uitwisselen.qdc import write_qdc
    from wijkkit.uitwisselen.qdpx import to_qdpx
    from wijkkit.uitwisselen.tabellen import write_csv, write_excel

    proj, store, codebook = project_store_codebook(project)
    suffix = bestand.suffix.lower()
    if suffix == ".qdc":
        write_qdc(codebook, bestand)
    elif suffix == ".qdpx":
        to_qdpx(store, codebook, bestand, naam=proj.config.project.naam, regeleinden=regeleinden,
                gebied_namen=_gebied_namen(proj))
    elif suffix == ".xlsx":
        write_excel(store, codebook, bestand)
    elif suffix == ".csv":
        write_csv(store, codebook, bestand)
    else:
        fail(WijkkitInputError(Probleem(str(bestand), "een bestandsnaam op .qdc, .qdpx, .xlsx of .csv",
                                         gevonden=suffix or "geen extensie")))
    console.print(f"Geschreven: {bestand}")


def _gebied_namen(proj) -> dict[str, str]:
    """The gebied names from the project's figures; a project without figures exports its gebieden by code."""
    from wijkkit.tellen.gebieden import naamlijst

    try:
        return naamlijst(proj.load_indicators())
    except WijkkitInputError as exc:
        err.print(f"Let op: gebieden heten in de export naar hun code, want de cijfers zijn niet te lezen: {exc}",
                  markup=False, highlight=False)
        return {}


@app.command("importeer")
def importeer(bestand: Path = typer.Argument(..., help="Een .qdpx (project) of .qdc (codeboek)."),
                  standaard: Optional[list[str]] = typer.Option(None, "--standaard", "-s",
                                                                help="Standaardwaarde, bv. gebied=BU03440101."),
                  door: str = typer.Option("", help="Wie importeert."), project: Path = ProjectOpt) -> None:
    """Lees werk uit ATLAS.ti, NVivo, MAXQDA of QualCoder in (REFI-QDA): zelfde controles en privacy als verhalen."""
    from wijkkit.config import Project
    from wijkkit.uitwisselen.qda_import import import_qdc, import_qdpx

    try:
        proj = Project.load(project)
        if bestand.suffix.lower() == ".qdc":
            nieuw = import_qdc(proj, bestand)
            console.print(f"{len(nieuw)} nieuwe codes toegevoegd aan {proj.codebook_path.name}"
                          + (f": {', '.join(nieuw)}." if nieuw else "."), markup=False, highlight=False)
            return
        counts = import_qdpx(proj, bestand, door=door, defaults=pairs(standaard))
    except WijkkitInputError as exc:
        fail(exc)
    console.print(f"{counts['verhalen']} verhalen, {counts['coderingen']} coderingen en {counts['memos']} memo's "
                  f"geïmporteerd; {counts['nieuwe_codes']} nieuwe codes in het codeboek.", markup=False,
                  highlight=False)
    if counts["overgeslagen"]:
        console.print(f"{counts['overgeslagen']} coderingen overgeslagen: de store had ze al (met minstens zoveel "
                      "informatie).", markup=False, highlight=False)
    for line in counts["waarschuwingen"]:
        err.print(f"Let op: {line}", markup=False, highlight=False)
