"""wijkkit schouw: the straatschouw, from a form for the phone to figures beside CBS."""

from __future__ import annotations

import tomllib
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


@app.command("koppel")
def koppel(export: Path = typer.Argument(..., help="Een export van je eigen formulier: CSV (',' of ';'), XLSX, de "
                                          ".csv.zip van ODK Central of GeoJSON van KoBoToolbox."),
           project: Path = ProjectOpt,
           overschrijf: bool = typer.Option(False, "--overschrijf",
                                            help="Vervang een [schouw]-koppeling die al in wijkkit.toml staat."),
           toon: bool = typer.Option(False, "--toon", help="Laat het voorstel alleen zien; schrijf niets.")) -> None:
    """Stel een koppeling voor van de kolommen en antwoorden van een eigen formulier ([schouw] in wijkkit.toml)."""
    from wijkkit.config import CONFIG_NAME, Project
    from wijkkit.kijken.export import lees_export
    from wijkkit.kijken.importeren import buurten
    from wijkkit.kijken.onderdelen import onderdelen
    from wijkkit.kijken.voorstel import als_toml, schrijf_in_toml, stel_voor

    try:
        proj = Project.load(project)
        export = export if export.is_absolute() or export.exists() else proj.root / export
        items = onderdelen(proj.catalogus)
        voorstel = stel_voor(lees_export(export), items, buurten(proj))
        sectie = als_toml(voorstel, items)
        path = proj.root / CONFIG_NAME
        if not toon:
            if proj.config.schouw and not overschrijf:
                raise WijkkitInputError(Probleem(CONFIG_NAME, "geen [schouw]-koppeling, of --overschrijf om de "
                                                 "bestaande te vervangen (of --toon om alleen te kijken)",
                                                 kolom="schouw", soort="veld", gevonden="er staat er al een"))
            text = schrijf_in_toml(path.read_text(encoding="utf-8"), sectie)
            partial = path.with_name(".deel-" + path.name)
            partial.write_text(text, encoding="utf-8")
            try:  # what is written must read back as the proposal
                if tomllib.loads(text)["schouw"] != voorstel.koppeling:
                    raise RuntimeError("het voorstel leest niet terug zoals het bedoeld is")
            except BaseException:
                partial.unlink(missing_ok=True)
                raise
            partial.replace(path)
    except WijkkitInputError as exc:
        fail(exc)
    k = voorstel.koppeling
    gekoppeld = k.get("onderdelen", {})
    console.print(f"{len(voorstel.kolommen)} kolommen in {export.name}"
                  + (f" (herhaling '{k['herhaling']}': één waarneming per regel)" if k.get("herhaling") else "") + ".")
    for naam, item in gekoppeld.items():
        schaal = ", ".join(f"{a} = {b}" for a, b in item.get("waarden", {}).items()) or "CROW-niveaus"
        console.print(f"  onderdeel {naam}: kolom '{item['kolom']}' ({schaal})", markup=False, highlight=False,
                      soft_wrap=True)
    for veld in ("locatie", "lat", "lon", "buurt", "datum", "opmerking", "foto", "rol", "toestemming", "thema"):
        if k.get(veld):
            waarde = ", ".join(k[veld]) if isinstance(k[veld], list) else k[veld]
            console.print(f"  {veld}: {waarde}", markup=False, highlight=False, soft_wrap=True)
    if not gekoppeld:
        console.print("Geen enkel onderdeel herkend: koppel de scorekolommen zelf (zie de README, 'Een eigen "
                      "formulier koppelen').")
    for naam, waarden in voorstel.onbekende_waarden.items():
        console.print(f"  Let op: bij {naam} kon wijkkit deze antwoorden niet plaatsen (staan op '?'): "
                      + ", ".join(waarden), markup=False, highlight=False, soft_wrap=True)
    for kolom in voorstel.losse_scores:
        console.print(f"  Niet gekoppeld: '{kolom}' ({voorstel.redenen[kolom]}; staat bij weglaten, met een blok om "
                      "hem te koppelen).",
                      markup=False, highlight=False, soft_wrap=True)
    weg = k.get("weglaten", [])
    if weg:
        console.print(f"Niet ingelezen ({len(weg)}): " + ", ".join(weg), markup=False, highlight=False, soft_wrap=True)
    if toon:
        console.print(sectie, markup=False, highlight=False, soft_wrap=True)
    else:
        console.print(f"Voorstel geschreven in {CONFIG_NAME} onder [schouw]. Kijk het na, zet bevestigd = true en "
                      f"lees in met: wijkkit schouw importeer {export.name}", markup=False, highlight=False,
                      soft_wrap=True)


@app.command("importeer")
def importeer(export: Path = typer.Argument(..., help="De export: CSV, XLSX, GeoJSON of de .csv.zip van ODK Central."),
              project: Path = ProjectOpt,
              fotos: Optional[Path] = typer.Option(None, "--fotos", help="Map met de foto's uit de export."),
              door: str = typer.Option("", help="Wie importeert (naam of rol)."),
              alles_of_niets: bool = typer.Option(False, "--alles-of-niets",
                                                  help="Lees niets in als één rij niet klopt.")) -> None:
    """Lees een schouwexport in: de goede rijen, met een verslag van de rest; opmerkingen gepseudonimiseerd."""
    from wijkkit.config import Project
    from wijkkit.kijken.importeren import import_schouw

    try:
        proj = Project.load(project)
        export = export if export.is_absolute() or export.exists() else proj.root / export
        verslag = import_schouw(proj, export, fotos=fotos, door=door, alles_of_niets=alles_of_niets)
    except WijkkitInputError as exc:
        fail(exc)
    soort = {"odk": "ODK Central", "kobo": "KoBoToolbox", "tabel": "een eigen tabel"}[verslag.bron]
    console.print(f"{verslag.nieuw} schouwwaarnemingen ingelezen uit {verslag.bestand} ({soort}): "
                  f"{verslag.gelezen} rijen gelezen, {verslag.nieuw} ingelezen, {verslag.weggelaten} weggelaten"
                  + (f", {verslag.al_bekend} stonden er al in" if verslag.al_bekend else "") + ".",
                  markup=False, highlight=False, soft_wrap=True)
    if verslag.niet_gekoppeld:
        console.print("Kolommen niet ingelezen (niet gekoppeld, niet bij weglaten): " + ", ".join(
            f"{k} ({v})" for k, v in verslag.niet_gekoppeld.items()), markup=False, highlight=False, soft_wrap=True)
    if verslag.verslag is not None:
        console.print(f"Verslag van wat niet is ingelezen (rij, kolom, waarde, waarom): {verslag.verslag}",
                      markup=False, highlight=False, soft_wrap=True)
    if verslag.ingekort:
        console.print(f"{verslag.ingekort} opmerkingen ingekort tot 2.000 tekens (met een notitie erbij).")
    if verslag.extra_fotos:
        console.print(f"{verslag.extra_fotos} extra foto's (na de eerste van een inzending) niet bewaard.")
    if verslag.fotos:
        console.print(f"{verslag.fotos} foto's bewaard in schouw/fotos. Kijk elke foto na op gezichten en kentekens "
                      "voordat je hem deelt.")
    if verslag.fotos_ontbreken:
        console.print(f"{verslag.fotos_ontbreken} foto's niet gevonden: geef de map met foto's mee met --fotos.")
    if verslag.gepseudonimiseerd:
        console.print(f"In de opmerkingen {verslag.gepseudonimiseerd} namen of gegevens gepseudonimiseerd.")
