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
        opnieuw: bool = typer.Option(False, "--opnieuw", help="Ook verhalen die al suggesties hebben opnieuw taggen."),
        model: Optional[bool] = typer.Option(None, "--met-model/--zonder-model",
                                             help="Geleerd model gebruiken (standaard: [coderen] leermodel).")
        ) -> None:
    """Stel thema's voor bij verhalen in de store (suggesties, nooit definitieve coderingen)."""
    from wijkkit.config import Project
    from wijkkit.vertellen.suggesties import suggest_for_store

    try:
        aantal, verhalen = suggest_for_store(Project.load(project), opnieuw=opnieuw, model=model)
    except WijkkitInputError as exc:
        fail(exc)
    except FileNotFoundError as exc:
        err.print(str(exc))
        raise typer.Exit(code=2)
    console.print(f"{aantal} suggesties bij {verhalen} verhalen.")


@app.command("evalueer")
def evalueer(goudstandaard: Path = typer.Argument(..., help="JSONL: per regel {\"text\": ..., \"themes\": [...]}"),
                    project: Path = ProjectOpt) -> None:
    """Meet de tagger op een goudstandaard: precisie, recall en F1 per thema en micro_f1; met `valentie` in
    de goudstandaard ook kracht/knelpunt/neutraal per verhaal en valence_macro_f1."""
    from wijkkit.codebook import load_codebook
    from wijkkit.vertellen.evaluatie import evaluate, evaluate_valence, read_gold
    from wijkkit.vertellen.tagger import Tagger

    try:
        codebook_path = project / "codebook.yml"
        tagger = Tagger(load_codebook(codebook_path if codebook_path.exists() else None))
        items = read_gold(goudstandaard)
        table, micro = evaluate(items, tagger)
        valence = evaluate_valence(items, tagger)
    except WijkkitInputError as exc:
        fail(exc)
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
