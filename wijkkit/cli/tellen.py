"""wijkkit tellen: figures from CBS and the gemeente (cijfers, profiel, indicatoren, ophalen)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from wijkkit.cli.gemeen import ProjectOpt, console, fail
from wijkkit.cli.nederlands import groep
from wijkkit.errors import WijkkitInputError

app = groep("Tellen: cijfers inlezen, het wijkprofiel, de indicatoren, CBS open data.")


@app.command()
def profiel(gebied: str = typer.Option(..., "--gebied", "-g", help="Gebiedscode, bv. WK034403."),
            data: Optional[list[Path]] = typer.Option(None, "--data", "-d",
                                                      help="Bestand of map met cijfers (anders: de projectmap)."),
            project: Path = ProjectOpt,
            referentie: Optional[str] = typer.Option(
                None, help="gemeente | basisjaar:JAAR | gebieden:CODE,CODE (standaard uit wijkkit.toml)."),
            thema: Optional[str] = typer.Option(None, "--thema", "--domein", help="Alleen dit thema, bv. wonen."),
            tot_jaar: Optional[int] = typer.Option(None, help="Negeer cijfers na dit jaar."),
            uitvoer: Optional[Path] = typer.Option(None, "--uitvoer", "--csv",
                                                   help="Schrijf de tabel ook naar dit CSV-bestand."),
            alles: bool = typer.Option(False, "--alles", help="Toon ook indicatoren zonder cijfer.")) -> None:
    """Toon het wijkprofiel van een gebied: nieuwste cijfer met eigen jaar, verandering en index."""
    from wijkkit.tellen.catalogus import load_catalogus
    from wijkkit.tellen.laden import load_indicators
    from wijkkit.tellen.profiel import Referentie, wijkprofiel

    try:
        if data:
            df = load_indicators(data if len(data) > 1 else data[0])
            catalogus = load_catalogus()
            ref = Referentie.parse(referentie or "gemeente")
        else:
            from wijkkit.config import Project

            proj = Project.load(project)
            df, catalogus = proj.load_indicators(), proj.catalogus
            ref = Referentie.parse(referentie) if referentie else proj.referentie()
        table = wijkprofiel(df, gebied, referentie=ref, catalogus=catalogus, tot_jaar=tot_jaar)
    except WijkkitInputError as exc:
        fail(exc)
    if thema:
        table = table[table["domein"] == thema]
    if uitvoer:
        table.to_csv(uitvoer, index=False, sep=";", decimal=",", encoding="utf-8-sig")
    shown = table if alles else table[table["waarde"].notna()]
    _print_profiel(shown, ref, len(table) - len(shown))


def _print_profiel(table, ref, hidden: int) -> None:
    from wijkkit.weergave import getal as nl_number

    if table.empty:
        console.print("Geen cijfers gevonden voor dit gebied.")
        return
    naam = table["gebied_naam"].iloc[0]
    out = Table(title=f"Wijkprofiel {naam} ({table['gebied_code'].iloc[0]})",
                caption=f"Index: {ref.label()}. Bron: {'; '.join(sorted(set(map(str, table['bron']))))}.",
                show_lines=False, header_style="bold")
    for column, justify in (("Thema", "left"), ("Indicator", "left"), ("Waarde", "right"), ("Jaar", "right"),
                            ("Verandering", "right"), ("Index", "right"), ("Oordeel", "left"),
                            ("Toelichting", "left")):
        out.add_column(column, justify=justify, overflow="fold")
    for row in table.itertuples():
        digits = 0 if abs(row.waarde) >= 1000 or float(row.waarde).is_integer() else 1
        change = "" if row.verandering != row.verandering else (
            ("+" if row.verandering > 0 else "") + nl_number(row.verandering, 1) + f" t.o.v. {row.vorige_jaar}")
        out.add_row(row.domein_label, row.label, f"{nl_number(row.waarde, digits)} {row.eenheid}",
                    str(row.jaar), change, "" if row.index != row.index else nl_number(row.index, 0),
                    row.band, row.toelichting)
    console.print(out)
    if hidden:
        console.print(f"{hidden} indicatoren zonder cijfer niet getoond (gebruik --alles).")


@app.command()
def indicatoren(project: Path = ProjectOpt) -> None:
    """Toon de indicatorcatalogus (id, label, eenheid, richting, thema)."""
    from wijkkit.config import Project
    from wijkkit.tellen.catalogus import load_catalogus

    try:
        catalogus = Project.load(project).catalogus if (project / "wijkkit.toml").exists() else load_catalogus()
    except WijkkitInputError as exc:
        fail(exc)
    out = Table(title=f"Indicatorcatalogus ({len(catalogus.indicatoren)} indicatoren)", header_style="bold")
    for column in ("id", "label", "eenheid", "richting", "thema"):
        out.add_column(column)
    for ind in catalogus.indicatoren:
        out.add_row(ind.id, ind.label, ind.eenheid, ind.richting.replace("_", " "), ind.domein)
    console.print(out)


@app.command()
def cijfers(data: Optional[list[Path]] = typer.Option(None, "--data", "-d", help="Bestand of map met cijfers."),
            project: Path = ProjectOpt,
            gebieden: bool = typer.Option(False, "--gebieden", help="Toon ook alle gebieden: code, naam, niveau.")
            ) -> None:
    """Lees alle cijfers in en toon per bron de jaren, gebieden en ontbrekende waarden."""
    from wijkkit.tellen.laden import load_indicators

    from wijkkit.tellen.catalogus import load_catalogus
    from wijkkit.tellen.profiel import overige_indicatoren

    try:
        if data:
            df = load_indicators(data if len(data) > 1 else data[0])
            catalogus = load_catalogus()
        else:
            from wijkkit.config import Project

            proj = Project.load(project)
            df, catalogus = proj.load_indicators(), proj.catalogus
    except WijkkitInputError as exc:
        fail(exc)
    out = Table(title="Ingelezen cijfers", header_style="bold")
    for column in ("Bron", "Jaren", "Gebieden", "Indicatoren", "Met cijfer", "Zonder cijfer"):
        out.add_column(column)
    for bron, part in df.groupby("bron", observed=True):
        years = sorted(part["jaar"].unique())
        missing = int((part["status"] != "ok").sum())
        out.add_row(str(bron), ", ".join(map(str, years)), str(part["gebied_code"].nunique()),
                    str(part["indicator"].nunique()), str(len(part) - missing), str(missing))
    console.print(out)
    for melding in df.attrs.get("meldingen", []):
        console.print(f"Let op: {melding}", markup=False)
    overig = overige_indicatoren(df, catalogus)
    if len(overig):
        console.print(f"{len(overig)} cijfers staan niet in de indicatorcatalogus; ze staan op het dashboard en "
                      "in 'wijkkit tellen profiel' onder 'Overige cijfers' (met een regel in indicatoren.yml "
                      "krijgen ze een thema en een richting):", markup=False)
        for ident, row in overig.iterrows():
            console.print(f"  - {ident}" + (f" ({row['eenheid']})" if row["eenheid"] else ""), markup=False)
    if gebieden:
        lijst = Table(title="Gebieden", header_style="bold")
        for column in ("Code", "Naam", "Niveau"):
            lijst.add_column(column)
        names = df[["gebied_code", "gebied_naam", "niveau"]].astype(str).drop_duplicates("gebied_code")
        for row in names.sort_values("gebied_code").itertuples():
            lijst.add_row(row.gebied_code, row.gebied_naam, row.niveau)
        console.print(lijst)


@app.command("ophalen")
def ophalen(jaar: int = typer.Option(..., help="Jaar van de KWB-tabel, bv. 2024."),
                gemeente: Optional[str] = typer.Option(None, help="Gemeentecode (standaard uit wijkkit.toml)."),
                project: Path = ProjectOpt) -> None:
    """Haal KWB-cijfers op bij CBS open data (internet nodig) en bewaar ze lokaal."""
    from wijkkit.config import Project
    from wijkkit.tellen.online import fetch_kwb

    try:
        proj = Project.load(project)
        table = fetch_kwb(jaar, gemeente or proj.config.project.gemeente, cache_dir=proj.cache_dir, refresh=True)
    except WijkkitInputError as exc:
        fail(exc)
    console.print(f"{table['gebied_code'].nunique()} gebieden opgehaald voor {jaar}. "
                  f"Zet 'online = [{jaar}]' onder [tellen] in wijkkit.toml om ze te gebruiken.")
