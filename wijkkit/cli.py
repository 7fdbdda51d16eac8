"""The ``wijkkit`` command. Command names are English verbs or domain nouns; what it prints is Dutch."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from wijkkit.errors import Probleem, WijkkitInputError

app = typer.Typer(help="wijkkit: tellen en vertellen in de wijk.", no_args_is_help=True,
                  add_completion=False, pretty_exceptions_enable=False)
# Tables need room: a narrow pipe (CI, a file) would fold every word.
console = Console(soft_wrap=False, width=max(140, shutil.get_terminal_size((140, 40)).columns))
err = Console(stderr=True)

ProjectOpt = typer.Option(Path("."), "--project", "-p", help="Projectmap (met wijkkit.toml).")


def _fail(exc: WijkkitInputError) -> None:
    err.print(str(exc), highlight=False, markup=False)
    raise typer.Exit(code=2)


@app.command()
def init(map: Path = typer.Argument(..., help="Nieuwe projectmap."),
         naam: Optional[str] = typer.Option(None, help="Naam van het project."),
         gemeente: str = typer.Option("GM0000", help="CBS-code van de gemeente, bv. GM0344.")) -> None:
    """Maak een nieuwe projectmap (wijkkit.toml, codebook.yml, data/, stories/, notebooks/)."""
    from wijkkit.config import init_project

    try:
        root = init_project(map, naam=naam, gemeente=gemeente)
    except WijkkitInputError as exc:
        _fail(exc)
    console.print(f"Project aangemaakt in [bold]{root}[/]. Zet CBS-bestanden (kwb-JAAR.xlsx) in {root / 'data'}.")


@app.command()
def profiel(gebied: str = typer.Option(..., "--gebied", "-g", help="Gebiedscode, bv. WK034403."),
            data: Optional[list[Path]] = typer.Option(None, "--data", "-d",
                                                      help="Bestand of map met cijfers (anders: de projectmap)."),
            project: Path = ProjectOpt,
            referentie: Optional[str] = typer.Option(
                None, help="gemeente | basisjaar:JAAR | gebieden:CODE,CODE (standaard uit wijkkit.toml)."),
            domein: Optional[str] = typer.Option(None, help="Alleen dit thema, bv. wonen."),
            tot_jaar: Optional[int] = typer.Option(None, help="Negeer cijfers na dit jaar."),
            csv: Optional[Path] = typer.Option(None, help="Schrijf de tabel ook naar dit CSV-bestand."),
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
        _fail(exc)
    if domein:
        table = table[table["domein"] == domein]
    if csv:
        table.to_csv(csv, index=False, sep=";", decimal=",", encoding="utf-8-sig")
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
        _fail(exc)
    out = Table(title=f"Indicatorcatalogus ({len(catalogus.indicatoren)} indicatoren)", header_style="bold")
    for column in ("id", "label", "eenheid", "richting", "thema"):
        out.add_column(column)
    for ind in catalogus.indicatoren:
        out.add_row(ind.id, ind.label, ind.eenheid, ind.richting.replace("_", " "), ind.domein)
    console.print(out)


@app.command()
def cijfers(data: Optional[list[Path]] = typer.Option(None, "--data", "-d", help="Bestand of map met cijfers."),
            project: Path = ProjectOpt) -> None:
    """Lees alle cijfers in en toon per bron de jaren, gebieden en ontbrekende waarden."""
    from wijkkit.tellen.laden import load_indicators

    try:
        if data:
            df = load_indicators(data if len(data) > 1 else data[0])
        else:
            from wijkkit.config import Project

            df = Project.load(project).load_indicators()
    except WijkkitInputError as exc:
        _fail(exc)
    out = Table(title="Ingelezen cijfers", header_style="bold")
    for column in ("Bron", "Jaren", "Gebieden", "Indicatoren", "Met cijfer", "Zonder cijfer"):
        out.add_column(column)
    for bron, part in df.groupby("bron", observed=True):
        years = sorted(part["jaar"].unique())
        missing = int((part["status"] != "ok").sum())
        out.add_row(str(bron), ", ".join(map(str, years)), str(part["gebied_code"].nunique()),
                    str(part["indicator"].nunique()), str(len(part) - missing), str(missing))
    console.print(out)


@app.command("cbs-ophalen")
def cbs_ophalen(jaar: int = typer.Option(..., help="Jaar van de KWB-tabel, bv. 2024."),
                gemeente: Optional[str] = typer.Option(None, help="Gemeentecode (standaard uit wijkkit.toml)."),
                project: Path = ProjectOpt) -> None:
    """Haal KWB-cijfers op bij CBS open data (internet nodig) en bewaar ze lokaal."""
    from wijkkit.config import Project
    from wijkkit.tellen.online import fetch_kwb

    try:
        proj = Project.load(project)
        table = fetch_kwb(jaar, gemeente or proj.config.project.gemeente, cache_dir=proj.cache_dir, refresh=True)
    except WijkkitInputError as exc:
        _fail(exc)
    console.print(f"{table['gebied_code'].nunique()} gebieden opgehaald voor {jaar}. "
                  f"Zet 'online = [{jaar}]' onder [tellen] in wijkkit.toml om ze te gebruiken.")


@app.command("demo-data")
def demo_data(map: Path = typer.Option(Path("data"), help="Waar de demobestanden komen.")) -> None:
    """Maak de cijferbestanden van de fictieve demogemeente Lindehoven opnieuw (vaste seed)."""
    from wijkkit.demo import generate

    for path in generate(map):
        console.print(f"geschreven: {path}")


@app.command("import-stories")
def import_stories_cmd(bron: Path = typer.Argument(Path("stories"), help="Map of bestand met verhalen."),
                       project: Path = ProjectOpt,
                       door: str = typer.Option("", help="Wie importeert (naam of rol)."),
                       koppeling: Optional[list[str]] = typer.Option(
                           None, "--koppeling", "-k", help="Kolomkoppeling voor CSV/XLSX, bv. tekst=Antwoord."),
                       standaard: Optional[list[str]] = typer.Option(
                           None, "--standaard", "-s", help="Standaardwaarde, bv. methode=straatgesprek."),
                       alleen_nieuw: bool = typer.Option(
                           False, "--alleen-nieuw", help="Sla verhalen over die al in de store staan.")) -> None:
    """Importeer verhalen (Markdown, CSV/XLSX, DOCX, TXT): alles of niets, gepseudonimiseerd."""
    from wijkkit.config import Project
    from wijkkit.vertellen.importeren import import_stories

    try:
        proj = Project.load(project)
        bron = bron if bron.is_absolute() or bron.exists() else proj.root / bron
        verslag = import_stories(proj, bron, door=door, mapping=_pairs(koppeling), defaults=_pairs(standaard),
                                 skip_existing=alleen_nieuw)
    except WijkkitInputError as exc:
        _fail(exc)
    console.print(f"{verslag.verhalen} verhalen geïmporteerd ({verslag.segmenten} zinnen, "
                  f"{verslag.suggesties} themasuggesties).")
    if verslag.vervangen:
        parts = ", ".join(f"{n}× {c.lower()}" for c, n in sorted(verslag.vervangen.items()))
        console.print(f"Gepseudonimiseerd: {parts}.")
    if verslag.originelen:
        console.print(f"{verslag.originelen} originele teksten versleuteld bewaard (sleutel buiten de projectmap).")


def _pairs(items: Optional[list[str]]) -> dict:
    out = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep:
            _fail(WijkkitInputError(Probleem("opdrachtregel", "veld=waarde", gevonden=item)))
        out[key.strip()] = value.strip()
    return out


@app.command()
def tag(project: Path = ProjectOpt,
        opnieuw: bool = typer.Option(False, help="Ook verhalen die al suggesties hebben opnieuw taggen."),
        model: Optional[bool] = typer.Option(None, "--met-model/--zonder-model",
                                             help="Geleerd model gebruiken (standaard: [coderen] leermodel).")
        ) -> None:
    """Stel thema's voor bij verhalen in de store (suggesties, nooit definitieve coderingen)."""
    from wijkkit.config import Project
    from wijkkit.vertellen.suggesties import suggest_for_store

    try:
        aantal, verhalen = suggest_for_store(Project.load(project), opnieuw=opnieuw, model=model)
    except WijkkitInputError as exc:
        _fail(exc)
    except FileNotFoundError as exc:
        err.print(str(exc))
        raise typer.Exit(code=2)
    console.print(f"{aantal} suggesties bij {verhalen} verhalen.")


@app.command("evaluate-tagger")
def evaluate_tagger(gold: Path = typer.Argument(..., help="JSONL: per regel {\"text\": ..., \"themes\": [...]}"),
                    project: Path = ProjectOpt) -> None:
    """Meet de tagger op een goudstandaard: precisie, recall en F1 per thema en micro_f1; met `valentie` in
    de goudstandaard ook kracht/knelpunt/neutraal per verhaal en valence_macro_f1."""
    from wijkkit.codebook import load_codebook
    from wijkkit.vertellen.evaluatie import evaluate, evaluate_valence, read_gold
    from wijkkit.vertellen.tagger import Tagger

    try:
        codebook_path = project / "codebook.yml"
        tagger = Tagger(load_codebook(codebook_path if codebook_path.exists() else None))
        items = read_gold(gold)
        table, micro = evaluate(items, tagger)
        valence = evaluate_valence(items, tagger)
    except WijkkitInputError as exc:
        _fail(exc)
    for row in table.itertuples():
        print(f"{row.thema:<26} precisie={row.precision:.3f} recall={row.recall:.3f} f1={row.f1:.3f} "
              f"(tp={row.tp} fp={row.fp} fn={row.fn})")
    print(f"micro_precision={micro['precision']:.4f} micro_recall={micro['recall']:.4f}")
    print(f"micro_f1={micro['f1']:.4f}")
    if valence is not None:
        valence_table, macro = valence
        for row in valence_table.itertuples():
            print(f"valentie {row.valentie:<17} precisie={row.precision:.3f} recall={row.recall:.3f} "
                  f"f1={row.f1:.3f} (tp={row.tp} fp={row.fp} fn={row.fn})")
        print(f"valence_macro_f1={macro:.4f}")


@app.command()
def dashboard(project: Path = ProjectOpt, port: int = typer.Option(8866, help="Poort op 127.0.0.1."),
              open_browser: bool = typer.Option(True, "--open/--no-open", help="Open de browser."),
              preheat: bool = typer.Option(True, "--voorverwarmd/--koud",
                                           help="Kernel vooraf laten rekenen, zodat de pagina direct klaar is."),
              opruimen: int = typer.Option(120, help="Seconden waarna de kernel van een gesloten pagina stopt."),
              max_kernels: int = typer.Option(12, "--max-kernels",
                                              help="Hoeveel pagina's (kernels) er tegelijk open mogen zijn.")
              ) -> None:
    """Start het kenniskring-dashboard (Voila) op 127.0.0.1, zonder code of foutmeldingen in beeld."""
    from wijkkit.kenniskring.serve import serve

    try:
        sys.exit(serve(project, port=port, open_browser=open_browser, preheat=preheat, opruimen=opruimen,
                       max_kernels=max_kernels))
    except WijkkitInputError as exc:
        _fail(exc)


# ---------------------------------------------------------------------------- coderen
def _project_store_codebook(project: Path):
    from wijkkit.config import Project

    proj = Project.load(project)
    return proj, proj.open_store(), proj.load_codebook()


@app.command()
def werkbank(project: Path = ProjectOpt, port: int = typer.Option(8867, help="Poort op 127.0.0.1."),
             open_browser: bool = typer.Option(True, "--open/--no-open", help="Open de browser.")) -> None:
    """Open de codeerwerkbank (Voila) op 127.0.0.1. In JupyterLab: open notebooks/werkbank_coderen.ipynb."""
    from wijkkit.kenniskring.serve import serve

    try:
        sys.exit(serve(project, port=port, open_browser=open_browser, notebook_name="werkbank_coderen.ipynb",
                       titel="Codeerwerkbank"))
    except WijkkitInputError as exc:
        _fail(exc)


@app.command()
def toewijzen(codeur: str = typer.Argument(..., help="Naam van de (tweede) codeur."),
              aantal: Optional[int] = typer.Option(None, help="Aantal verhalen."),
              aandeel: float = typer.Option(0.2, help="Aandeel verhalen als --aantal ontbreekt."),
              van: Optional[str] = typer.Option(None, help="Alleen verhalen die deze codeur heeft afgerond."),
              door: str = typer.Option("", help="Wie wijst toe."), seed: int = typer.Option(0, help="Toevalszaad."),
              project: Path = ProjectOpt) -> None:
    """Wijs een steekproef van verhalen toe aan een codeur (voor de betrouwbaarheidscontrole)."""
    from wijkkit.coderen.beslissingen import assign_sample

    _, store, _ = _project_store_codebook(project)
    chosen = assign_sample(store, codeur=codeur, aantal=aantal, aandeel=aandeel, van=van, door=door, seed=seed)
    console.print(f"{len(chosen)} verhalen toegewezen aan {codeur}.")


@app.command()
def betrouwbaarheid(niveau: str = typer.Option("verhaal", help="'verhaal' of 'zin'."),
                    verschillen: bool = typer.Option(False, help="Toon ook de lijst met verschillen."),
                    project: Path = ProjectOpt) -> None:
    """Overeenstemming tussen codeurs: Krippendorffs alfa per thema, Cohens kappa per paar."""
    from wijkkit.coderen.betrouwbaarheid import UITLEG, agreement, disagreements, store_table

    _, store, codebook = _project_store_codebook(project)
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
def leer(minimum: Optional[int] = typer.Option(None, help="Minimum aantal geaccepteerde zinnen per thema."),
         folds: int = typer.Option(5, help="Aantal delen voor de kruisvalidatie."),
         project: Path = ProjectOpt) -> None:
    """Train een themaclassifier op de coderingen van het team en toon eerst de kruisvalidatie.

    Het model wordt pas gebruikt als [coderen] leermodel = true in wijkkit.toml staat.
    """
    from wijkkit.coderen.leren import learn

    proj, store, codebook = _project_store_codebook(project)
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

    proj, store, codebook = _project_store_codebook(project)
    suffix = bestand.suffix.lower()
    if suffix == ".qdc":
        write_qdc(codebook, bestand)
    elif suffix == ".qdpx":
        to_qdpx(store, codebook, bestand, naam=proj.config.project.naam, regeleinden=regeleinden)
    elif suffix == ".xlsx":
        write_excel(store, codebook, bestand)
    elif suffix == ".csv":
        write_csv(store, codebook, bestand)
    else:
        _fail(WijkkitInputError(Probleem(str(bestand), "een bestandsnaam op .qdc, .qdpx, .xlsx of .csv",
                                         gevonden=suffix or "geen extensie")))
    console.print(f"Geschreven: {bestand}")


@app.command("importeer-qda")
def importeer_qda(bestand: Path = typer.Argument(..., help="Een .qdpx (project) of .qdc (codeboek)."),
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
        counts = import_qdpx(proj, bestand, door=door, defaults=_pairs(standaard))
    except WijkkitInputError as exc:
        _fail(exc)
    console.print(f"{counts['verhalen']} verhalen, {counts['coderingen']} coderingen en {counts['memos']} memo's "
                  f"geïmporteerd; {counts['nieuwe_codes']} nieuwe codes in het codeboek.", markup=False,
                  highlight=False)
    if counts["overgeslagen"]:
        console.print(f"{counts['overgeslagen']} coderingen overgeslagen: de store had ze al (met minstens zoveel "
                      "informatie).", markup=False, highlight=False)
    for line in counts["waarschuwingen"]:
        err.print(f"Let op: {line}", markup=False, highlight=False)


@app.command("demo-codering")
def demo_codering(project: Path = ProjectOpt) -> None:
    """Laat twee gesimuleerde codeurs de demoverhalen coderen (alleen voor het demoproject)."""
    from wijkkit.demo_codering import simulate

    _, store, codebook = _project_store_codebook(project)
    result = simulate(store, codebook.theme_ids)
    if result.get("overgeslagen"):
        console.print("De democodeurs hebben al gecodeerd.")
    else:
        console.print(f"Onderzoeker: {result['afgerond']} van {result['onderzoeker']} verhalen afgerond; "
                      f"student: {result['student']} toegewezen verhalen gecodeerd.")


# ---------------------------------------------------------------------------- monitoring
@app.command()
def rapport(project: Path = ProjectOpt,
            uit: Optional[Path] = typer.Option(None, help="Doelbestand (standaard reports/voortgang/).")) -> None:
    """Maak de voortgangsrapportage (HTML, zonder code) uit notebooks/05_monitoring_voortgang."""
    from wijkkit.config import Project
    from wijkkit.monitoring.uitvoeren import render_report

    try:
        path = render_report(Project.load(project), uit)
    except WijkkitInputError as exc:
        _fail(exc)
    console.print(f"Voortgangsrapportage: {path}  (afdrukken als PDF kan vanuit de browser)")


@app.command()
def reproduce(project: Path = ProjectOpt,
              uit: Optional[Path] = typer.Option(None, help="Map voor de uitvoer (standaard reports/reproductie/).")
              ) -> None:
    """Voer alle sjabloonnotebooks opnieuw uit en schrijf een manifest met hashes van invoer en uitvoer."""
    import time

    from wijkkit.config import Project
    from wijkkit.monitoring.uitvoeren import reproduce as run

    began = time.perf_counter()
    try:
        proj = Project.load(project)
        manifest = run(proj, uit, log=lambda line: console.print(line, highlight=False))
    except WijkkitInputError as exc:
        _fail(exc)
    folder = uit or proj.root / "reports" / "reproductie"
    console.print(f"{len(manifest['invoer'])} invoerbestanden, {len(manifest['uitvoer'])} tabellen; "
                  f"manifest: {folder / 'manifest.json'}; totaal {time.perf_counter() - began:.0f} s.")


# ---------------------------------------------------------------------------- sleutels
sleutel_app = typer.Typer(help="De sleutel van de versleutelde originele teksten: controleren, ontsleutelen, "
                               "vervangen.", no_args_is_help=True)
app.add_typer(sleutel_app, name="sleutel")


@sleutel_app.command("controleer")
def sleutel_controleer(project: Path = ProjectOpt) -> None:
    """Kan de sleutel van dit project alle originele teksten openen?"""
    from wijkkit.config import Project
    from wijkkit.privacy import sleutel

    try:
        proj = Project.load(project)
        verslag = sleutel.check(proj, proj.open_store())
    except WijkkitInputError as exc:
        _fail(exc)
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

    from wijkkit.config import Project
    from wijkkit.privacy import sleutel
    from wijkkit.weergave import spreadsheet_tabel

    try:
        proj = Project.load(project)
        rows = sleutel.decrypt_all(proj, proj.open_store())
    except WijkkitInputError as exc:
        _fail(exc)
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
    from wijkkit.config import Project
    from wijkkit.privacy import sleutel

    try:
        proj = Project.load(project)
        aantal = sleutel.rotate(proj, proj.open_store())
    except WijkkitInputError as exc:
        _fail(exc)
    console.print(f"{aantal} originele teksten opnieuw versleuteld met een nieuwe sleutel ({sleutel.key_path(proj)}).",
                  markup=False, highlight=False)


def main() -> None:
    """The console entry point: bad input met anywhere in a command is one Dutch message, never a traceback."""
    try:
        app()
    except WijkkitInputError as exc:
        err.print(str(exc), highlight=False, markup=False)
        sys.exit(2)


if __name__ == "__main__":  # python -m wijkkit.cli
    main()
