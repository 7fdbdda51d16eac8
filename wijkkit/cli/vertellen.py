"""wijkkit vertellen: stories in, themes suggested, the suggestions measured."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from wijkkit.cli.gemeen import ProjectOpt, console, err, fail, pairs
from wijkkit.cli.nederlands import groep
from wijkkit.errors import WijkkitInputError

app = groep("Vertellen: verhalen importeren, thema's voorstellen, de voorstellen meten.")


@app.command("importeer")
def importeer(bron: Path = typer.Argument(Path("stories"), help="Map of bestand met verhalen."),
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
        verslag = import_stories(proj, bron, door=door, mapping=pairs(koppeling), defaults=pairs(standaard),
                                 skip_existing=alleen_nieuw)
    except WijkkitInputError as exc:
        fail(exc)
    console.print(f"{verslag.verhalen} verhalen geïmporteerd ({verslag.segmenten} zinnen, "
                  f"{verslag.suggesties} themasuggesties).")
    if verslag.vervangen:
        parts = ", ".join(f"{n}× {c.lower()}" for c, n in sorted(verslag.vervangen.items()))
        console.print(f"Gepseudonimiseerd: {parts}.")
    if verslag.originelen:
        console.print(f"{verslag.originelen} originele teksten versleuteld bewaard (sleutel buiten de projectmap).")


@app.command()
def tag(project: Path = ProjectOpt,
        opnieuw: bool = typer.Option(False, "--opnieuw", help="Ook verhalen die al suggesties hebben en waar nog niemand aan werkte opnieuw taggen."),
        model: Optional[bool] = typer.Option(None, "--met-model/--zonder-model",
                                             help="Geleerd model gebruiken (standaard: [coderen] leermodel).")
        ) -> None:
    """Stel thema's voor bij verhalen in de store (suggesties, nooit definitieve coderingen)."""
    from wijkkit.config import Project
    from wijkkit.vertellen.suggesties import suggest_for_store

    try:
        aantal, verhalen, bewaard = suggest_for_store(Project.load(project), opnieuw=opnieuw, model=model)
    except WijkkitInputError as exc:
        fail(exc)
    except FileNotFoundError as exc:
        err.print(str(exc))
        raise typer.Exit(code=2)
    console.print(f"{aantal} suggesties bij {verhalen} verhalen.")
    if bewaard:
        console.print(f"{bewaard} verhalen waar al aan gewerkt is, houden hun suggesties (de antwoorden erop "
                      "blijven zo bij hun suggestie).")


@app.command("evalueer")
def evalueer(goudstandaard: Path = typer.Argument(None, help="JSONL: per regel {\"text\": ..., \"themes\": [...]}"),
             project: Path = ProjectOpt,
             cv: int = typer.Option(0, "--cv", help="Kruisvalidatie in zoveel delen op het bewonerscorpus, "
                                    "gegroepeerd per bron (bv. 5)."),
             toets: bool = typer.Option(False, "--toets", help="Met --cv: meet ook één keer op het toetsdeel."),
             schrijf: bool = typer.Option(False, "--schrijf", help="Met --cv: kies de strategieën opnieuw op het "
                                          "hele corpus en schrijf strategie.json."),
             regels: bool = typer.Option(False, "--regels", help="Alleen de regels, zonder het geleerde model."),
             leercurve: bool = typer.Option(False, "--leercurve", help="Hoe goed zijn de suggesties nadat een team "
                                            "0, 25, 50, 100 en 200 citaten codeerde? Gemeten op bronnen die het "
                                            "team niet codeerde (10 delen, per bron gegroepeerd)."),
             projectcurve: bool = typer.Option(False, "--projectcurve", help="Leert het model bij van de verhalen "
                                               "die een team afrondt? Gesimuleerd: elk van 5 delen bronnen is een "
                                               "project dat 10, 20 en 30 citaten codeert."),
             tweede_labelaar: bool = typer.Option(False, "--tweede-labelaar", help="Hoe eens zijn de twee labelaars "
                                                "van het bewonerscorpus? Kappa en alfa per thema: het plafond."),
             ) -> None:
    """Meet de suggesties: precisie, recall en F1 per thema en micro_f1; met `valentie` in de goudstandaard ook
    kracht/knelpunt/neutraal per verhaal en valence_macro_f1. Met --cv: eerlijk gemeten op echte
    bewonerscitaten (wijkkit/data/bewoners), regels tegen regels + geleerd model."""
    if leercurve:
        _leercurve(cv or 10)
        return
    if tweede_labelaar:
        _tweede_labelaar()
        return
    if projectcurve:
        _projectcurve(cv or 5, goudstandaard)
        return
    if cv:
        _evalueer_cv(cv, goudstandaard, toets, schrijf)
        return
    if goudstandaard is None:
        from typer._click.exceptions import UsageError

        raise UsageError("Geef een goudstandaard (JSONL) of --cv 5.")
    from wijkkit.codebook import load_codebook
    from wijkkit.vertellen.evaluatie import evaluate, evaluate_shown, evaluate_valence, read_gold, seen_in_training
    from wijkkit.vertellen.tagger import Tagger

    try:
        codebook_path = project / "codebook.yml"
        tagger = Tagger(load_codebook(codebook_path if codebook_path.exists() else None), leren=not regels)
        items = read_gold(goudstandaard)
        table, micro = evaluate(items, tagger)
        valence = evaluate_valence(items, tagger)
        shown = evaluate_shown(items, tagger)
    except WijkkitInputError as exc:
        fail(exc)
    overlap = seen_in_training(items) if not regels else 0
    if overlap:
        err.print(f"Let op: {overlap} van de {len(items)} citaten zitten in het corpus waarop het model leerde; "
                  "die cijfers zijn te gunstig. Meet met --regels of met --cv.")
    for row in table.itertuples():
        print(f"{row.thema:<26} precisie={row.precision:.3f} recall={row.recall:.3f} f1={row.f1:.3f} "
              f"(tp={row.tp} fp={row.fp} fn={row.fn})")
    # what a coder sees without asking (above the shipped thresholds); micro_f1 and valence_macro_f1 stay last
    if shown is not None:
        t = shown["themas"]
        print(f"getoond_precisie={t['precision']:.4f} getoond_recall={t['recall']:.4f} getoond_f1={t['f1']:.4f}")
        print(f"valentie_getoond_precisie={shown['valentie_precisie']:.4f} "
              f"valentie_getoond={shown['valentie_getoond']}/{shown['valentie_citaten']}")
    print(f"micro_precision={micro['precision']:.4f} micro_recall={micro['recall']:.4f}")
    print(f"micro_f1={micro['f1']:.4f}")
    if valence is not None:
        valence_table, macro = valence
        for row in valence_table.itertuples():
            print(f"valentie {row.valentie:<17} precisie={row.precision:.3f} recall={row.recall:.3f} "
                  f"f1={row.f1:.3f} (tp={row.tp} fp={row.fp} fn={row.fn})")
        print(f"valence_macro_f1={macro:.4f}")


def _evalueer_cv(folds: int, extra_path: Path | None, toets: bool, schrijf: bool) -> None:
    from wijkkit.vertellen import corpusmodel as cm
    from wijkkit.vertellen.evaluatie import cross_validate, write_strategy

    if folds < 2:
        err.print("--cv: minstens 2 delen.")
        raise typer.Exit(code=2)
    extra = cm.read_corpus(deel="toets") if toets else cm.read_corpus(extra_path) if extra_path else None
    report = cross_validate(folds, extra)
    print(f"bewonerscorpus, deel ontwikkel: {report['n']} citaten uit {report['bronnen']} bronnen, "
          f"{folds}-voudige kruisvalidatie per bron (strategie gekozen binnen elk trainingsdeel)")
    _print_figures(report["cv"], "")
    if extra:
        naam = "toets" if toets else "extra"
        print(f"{naam}: {report['extra']['n']} citaten, model en strategie van het hele ontwikkeldeel")
        _print_figures(report["extra"], f"{naam}_")
    if schrijf:
        # the quotes given as one more fold are someone else's labels: a learned strategy must not lose there
        keuze = write_strategy(folds, tweede=cm.read_corpus(extra_path) if extra_path else None)
        gekozen = {t: c["strategie"] for t, c in keuze["themas"].items()}
        print("strategie.json geschreven: " + ", ".join(f"{t}={s}" for t, s in gekozen.items())
              + f"; valentie={keuze['valentie']['strategie']}")


def _tweede_labelaar() -> None:
    from wijkkit.vertellen.overeenstemming import agreement

    result = agreement()
    print(f"tweede labelaar: {result['citaten']} citaten ({result['toets']} uit het toetsdeel); per thema: hoe vaak "
          "elk van beiden het thema gaf, Cohens kappa en Krippendorffs alfa (nominaal)")
    for theme, row in result["themas"].items():
        print(f"{theme:<26} eerste={row['eerste']:<3} tweede={row['tweede']:<3} eens={row['eens']:.2f} "
              f"kappa={row['kappa']:.3f} alfa={row['alpha']:.3f}")
    v, micro = result["valentie"], result["micro"]
    print(f"valentie alfa={v['alpha']:.3f} kappa={v['kappa']:.3f} eens={v['eens']:.2f}")
    print(f"tweede_tegen_eerste_micro_f1={micro['f1']:.4f} (precisie {micro['precision']:.3f}, recall "
          f"{micro['recall']:.3f}) tweede_tegen_eerste_valentie_macro_f1={v['macro_f1']:.4f}")


def _leercurve(folds: int) -> None:
    from wijkkit.vertellen import corpusmodel as cm
    from wijkkit.vertellen import zekerheid as zk
    from wijkkit.vertellen.tagger import Tagger

    items = cm.read_corpus(deel="ontwikkel")
    lezer = cm.Lezer(Tagger(leren=False))
    print(f"leercurve op het bewonerscorpus (ontwikkeldeel, {len(items)} citaten, {folds} delen per bron): na k "
          "gecodeerde citaten leren model, kalibratie en drempels alleen van die k citaten; gemeten op de bronnen "
          "die het team niet codeerde. k=0: alleen de regels, alles getoond.")
    curve = zk.learning_curve(lezer, items, folds=folds)
    for step in curve:
        shown, alle = step["getoond"], step["alle"]
        print(f"gecodeerd={step['gecodeerd']:<4} citaten={step['citaten']:<4} "
              f"getoond_precisie={shown['precision']:.3f} getoond_recall={shown['recall']:.3f} "
              f"alle_precisie={alle['precision']:.3f} alle_recall={alle['recall']:.3f} alle_f1={alle['f1']:.3f}")
    print("f1 van alle suggesties per thema:")
    print(f"{'thema':<26}" + "".join(f"{step['gecodeerd']:>7}" for step in curve))
    for theme in lezer.themes:
        print(f"{theme:<26}" + "".join(f"{step['themas'][theme]:>7.2f}" for step in curve))


def _projectcurve(folds: int, goudstandaard: Path | None) -> None:
    from wijkkit.coderen import projectmodel as pm
    from wijkkit.vertellen import corpusmodel as cm

    if goudstandaard is not None:
        items = cm.read_corpus(goudstandaard)
        print(f"bijleren van één project: de {len(items)} citaten van {goudstandaard.name}; het begint met het "
              "meegeleverde model, codeert de citaten per bron op volgorde en leert na k citaten bij (een "
              f"projectcitaat telt {pm.GEWICHT} keer). Het bijgeleerde model wordt alleen gehouden als het uit de "
              "vouw op de k gecodeerde citaten beter was; gemeten op de citaten die nog niet gecodeerd waren.")
        curve = pm.simulate_project(items)
    else:
        items = cm.read_corpus(deel="ontwikkel")
        print(f"bijleren van een project, gesimuleerd op het bewonerscorpus (ontwikkeldeel, {len(items)} citaten): "
              f"elk van {folds} delen bronnen is een project; het begint met model en kalibratie van de andere "
              f"bronnen, codeert zijn citaten per bron op volgorde en leert na k citaten bij (een projectcitaat "
              f"telt {pm.GEWICHT} keer). Het bijgeleerde model wordt alleen gehouden als het uit de vouw op de k "
              "gecodeerde citaten beter was; gemeten op de citaten van het project die nog niet gecodeerd waren.")
        curve = pm.simulate(items, folds=folds)
    for step in curve:
        parts = " ".join(f"{name}_getoond={step[name]['getoond']} {name}_juist={step[name]['juist']} "
                         f"{name}_precisie={step[name]['precisie']:.3f} {name}_recall={step[name]['recall']:.3f}"
                         for name in ("start", "bijgeleerd", "team"))
        print(f"gecodeerd={step['gecodeerd']:<3} gehouden={step['gehouden']}/{step['projecten']} {parts}")


def _print_zekerheid(figures: dict, prefix: str) -> None:
    shown, alle, valence = figures["getoond"], figures["alle"], figures["valentie"]
    for theme, row in figures["themas"].items():
        print(f"{prefix}zeker {theme:<26} getoond_precisie={row['getoond']['precision']:.3f} "
              f"getoond_recall={row['getoond']['recall']:.3f} alle_f1={row['alle']['f1']:.3f}")
    for v, row in valence["per_klasse"].items():
        print(f"{prefix}zeker valentie {v:<11} getoond_precisie={row['getoond']['precision']:.3f} "
              f"getoond={row['getoond']['tp'] + row['getoond']['fp']}")
    print(f"{prefix}getoond_precisie={shown['precision']:.4f} getoond_recall={shown['recall']:.4f}")
    print(f"{prefix}alle_precisie={alle['precision']:.4f} alle_recall={alle['recall']:.4f} alle_f1={alle['f1']:.4f}")
    print(f"{prefix}valentie_getoond_precisie={valence['getoond_precisie']:.4f} "
          f"valentie_getoond={valence['getoond']}/{valence['citaten']} "
          f"valentie_alle_macro_f1={valence['macro_f1']:.4f}")


def _print_figures(figures: dict, prefix: str) -> None:
    for row in figures["themas"]:
        print(f"{prefix}{row['thema']:<26} precisie={row['precision']:.3f} recall={row['recall']:.3f} "
              f"f1={row['f1']:.3f} regels_f1={row['regels_f1']:.3f} (tp={row['tp']} fp={row['fp']} fn={row['fn']})")
    for valentie, row in figures["valentie"].items():
        print(f"{prefix}valentie {valentie:<17} precisie={row['precision']:.3f} recall={row['recall']:.3f} "
              f"f1={row['f1']:.3f}")
    print(f"{prefix}regels_micro_f1={figures['regels_micro']['f1']:.4f}")
    print(f"{prefix}regels_valence_macro_f1={figures['regels_valence_macro_f1']:.4f}")
    print(f"{prefix}micro_f1={figures['micro']['f1']:.4f}")
    print(f"{prefix}valence_macro_f1={figures['valence_macro_f1']:.4f}")
    if "zekerheid" in figures:
        _print_zekerheid(figures["zekerheid"], prefix)
