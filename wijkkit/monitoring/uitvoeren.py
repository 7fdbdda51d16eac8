"""Run template notebooks headless and turn them into Dutch HTML without code.

``render_report`` makes the progress report (``wijkkit monitoring rapport``); ``reproduce`` runs every
template notebook on a project and writes a manifest of input and output hashes
(``wijkkit monitoring reproduceer``), so a student can show that the same inputs give the same results.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import json
import os
import re
import sys
import time
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter
from sqlalchemy import select

from wijkkit import __version__
from wijkkit import notebooks as nb
from wijkkit.config import Project
from wijkkit.errors import Probleem, WijkkitInputError

# Order matters: 02 fills the store that 03-05 read.
TEMPLATES = [(nb.TELLEN, {}), (nb.VERTELLEN, {}), (nb.CODEREN, {}), (nb.VERBINDEN, {}),
             (nb.KENNISKRING, {"STATISCH": True}), (nb.MONITORING, {})]
WRITES_TABLES = {nb.TELLEN, nb.VERBINDEN, nb.MONITORING}
INPUT_PATTERNS = ["wijkkit.toml", "codebook.yml", "indicatoren.yml", "verandertheorie.yml", "data/**/*",
                  "stories/**/*"]
EXTERNAL = re.compile(r"<(script|link)\b[^>]*(?:src|href)=[\"']https?://[^>]*>(?:\s*</script>)?", re.I)


@contextlib.contextmanager
def _kernel_chatter_to(log: Path):
    """Kernels inherit our stderr and warn on every start; keep that in a log, not on the screen."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as handle:
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


CELL_TIMEOUT = 300  # seconds; a cell that takes longer is stuck, not slow (the demo's slowest takes ~10 s)


@contextlib.contextmanager
def _static_charts():
    """The kernel inherits this: charts become inline SVG (see wijkkit.charts.enable_offline)."""
    from wijkkit.charts import STATISCH

    before = os.environ.get(STATISCH)
    os.environ[STATISCH] = "1"
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(STATISCH, None)
        else:
            os.environ[STATISCH] = before


def execute(notebook: Path, out: Path, project: Project, parameters: dict | None = None) -> Path:
    """Run a notebook headless with static charts; a failing or stuck cell is one Dutch message."""
    from papermill.exceptions import PapermillExecutionError

    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        with _kernel_chatter_to(out.parent / "kernels.log"), _static_charts():
            papermill.execute_notebook(str(notebook), str(out),
                                       parameters={"PROJECT": str(project.root), **(parameters or {})},
                                       cwd=str(notebook.parent), kernel_name="python3", progress_bar=False,
                                       execution_timeout=CELL_TIMEOUT)
    except PapermillExecutionError as exc:
        if exc.ename == "WijkkitInputError":  # the notebook met bad input: its own Dutch message
            raise WijkkitInputError(Probleem(notebook.name, "invoer waarmee het notebook kan rekenen",
                                             gevonden=str(exc.evalue)[:400])) from None
        raise WijkkitInputError(Probleem(notebook.name, "een notebook dat zonder fout doorloopt",
                                         gevonden=f"fout in cel {exc.exec_count}: {exc.ename}: {str(exc.evalue)[:300]}"
                                                  f" (het uitgevoerde notebook staat in {out})")) from None
    except Exception as exc:  # nbclient's CellTimeoutError, DeadKernelError: a stuck or crashed kernel
        if type(exc).__name__ not in ("CellTimeoutError", "DeadKernelError", "TimeoutError"):
            raise
        raise WijkkitInputError(Probleem(notebook.name, f"elke cel klaar binnen {CELL_TIMEOUT} s",
                                         gevonden=f"{type(exc).__name__}: het notebook is afgebroken")) from None
    return out


def chart_hashes(executed: Path) -> dict[str, str]:
    """The spec hash of every chart an executed notebook shows, by cell and output number."""
    node = nbformat.read(executed, as_version=4)
    out = {}
    for number, cell in enumerate(node.cells):
        for k, output in enumerate(cell.get("outputs", [])):
            sha = output.get("metadata", {}).get("wijkkit", {}).get("vegalite_sha256")
            if sha:
                out[f"{executed.name}#cel{number}.{k}"] = sha
    return out


def check_theory(project: Project) -> None:
    """A progress report needs a filled-in theory of change: say what to add, in one Dutch message."""
    from wijkkit.monitoring.verandertheorie import load_verandertheorie
    from wijkkit.yamlfile import parse_yaml

    path = project.verandertheorie_path
    try:
        empty = not path.exists() or not parse_yaml(path.read_text(encoding="utf-8") or "", path.name)
    except (UnicodeDecodeError, WijkkitInputError, OSError):
        empty = False  # load_verandertheorie below says what is wrong, with the place
    if empty:
        raise WijkkitInputError(Probleem(
            path.name, "een verandertheorie: missie, gebied, nulmeting en minstens één ambitie met een "
                       "indicator (`wijkkit init` zet een voorbeeld in het bestand; haal daar de # weg en vul het in)",
            gevonden="ontbreekt" if not path.exists() else "nog leeg"))
    load_verandertheorie(path)


def to_html(executed: Path, target: Path, title: str) -> Path:
    """HTML without code cells or prompts, and without scripts from the internet."""
    exporter = HTMLExporter(template_name="lab", exclude_input=True, exclude_input_prompt=True,
                            exclude_output_prompt=True)
    node = nbformat.read(executed, as_version=4)
    node.metadata.pop("widgets", None)  # widget state needs a CDN script to show; a report does not
    node.metadata["title"] = title
    body, _ = exporter.from_notebook_node(node)
    body = re.sub(r"<html\b[^>]*>", '<html lang="nl">', EXTERNAL.sub("", body), count=1)
    body = SVG_IMAGE.sub(_inline_svg, body)
    target.write_text(body, encoding="utf-8")
    return target


SVG_IMAGE = re.compile(r'<img\b[^>]*\bsrc="data:image/svg\+xml;base64,([A-Za-z0-9+/=\s]+)"[^>]*>')
NO_ALT = "No description has been provided for this image"
UNSAFE_SVG = re.compile(r"<script|<foreignObject|\son\w+\s*=|javascript:", re.I)


def _inline_svg(match: re.Match) -> str:
    """A chart as inline SVG, not as an image: its hover titles and labels stay readable, also to a
    screen reader (nbconvert would give the image the English alt text above). Only SVG without
    scripts or event handlers is inlined, as vl-convert writes it."""
    try:
        svg_text = base64.b64decode(match.group(1)).decode("utf-8")
    except (ValueError, UnicodeDecodeError):
        return match.group(0).replace(NO_ALT, "Grafiek")
    if UNSAFE_SVG.search(svg_text) or not svg_text.lstrip().startswith(("<svg", "<?xml")):
        return match.group(0).replace(NO_ALT, "Grafiek")
    return re.sub(r"^<\?xml[^>]*>\s*", "", svg_text.lstrip())


def render_report(project: Project, target: Path | None = None) -> Path:
    """The progress report as one HTML file (printable to PDF from the browser)."""
    from wijkkit.kenniskring.nabewerking import nabewerken

    check_theory(project)
    nabewerken(project)  # duidingen from a dashboard get the full pseudonymiser before a report reads them
    folder = project.root / "reports" / "voortgang"
    executed = execute(nb.vind(project.root / "notebooks", nb.MONITORING), folder / "voortgang.ipynb",
                       project)
    return to_html(executed, target or folder / "voortgangsrapportage.html", "Voortgangsrapportage")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def store_digest(project: Project) -> str:
    """A hash of what the store holds (stories, decisions, memos, duidingen), not of when it was written."""
    from wijkkit.store.models import Coding, Duiding, Memo, Story

    store = project.open_store()
    sha = hashlib.sha256()
    with store.read() as session:
        for row in session.execute(select(Story.id, Story.tekst, Story.gebied, Story.datum, Story.methode,
                                          Story.verteller_rol, Story.toestemming).order_by(Story.id)):
            sha.update(repr(tuple(row)).encode())
        for row in session.execute(select(Coding.story_id, Coding.start, Coding.end, Coding.thema, Coding.valentie,
                                          Coding.status, Coding.codeur)
                                   .order_by(Coding.story_id, Coding.codeur, Coding.thema, Coding.start, Coding.id)):
            sha.update(repr(tuple(row)).encode())
        for row in session.execute(select(Memo.story_id, Memo.thema, Memo.codeur, Memo.tekst).order_by(Memo.id)):
            sha.update(repr(tuple(row)).encode())
        for row in session.execute(select(Duiding.gebied, Duiding.thema, Duiding.datum, Duiding.wat_zien_we,
                                          Duiding.verklaring, Duiding.wat_willen_we).order_by(Duiding.id)):
            sha.update(repr(tuple(row)).encode())
    store.close()
    return sha.hexdigest()


def input_hashes(project: Project) -> dict[str, str]:
    """Hashes of every input file. A story file named after a person ("interview-jan-jansen.md") is
    listed under the same pseudonymous name its story has in the store."""
    from wijkkit.privacy import Pseudonimiseerder
    from wijkkit.privacy.metadata import MetadataPseudonimiseerder
    from wijkkit.privacy.sleutel import pseudonymous

    light = Pseudonimiseerder(use_deduce=False)
    names = MetadataPseudonimiseerder(light.detect, lambda value: pseudonymous(project, value), light.detect)
    files = sorted({p for pattern in INPUT_PATTERNS for p in project.root.glob(pattern) if p.is_file()})
    out = {}
    for path in files:
        relative = path.relative_to(project.root)
        if relative.parts[0] == "stories":
            relative = relative.with_name(names.story_id(path.stem) + path.suffix)
        out[str(relative)] = digest(path)
    return out


def reproduce(project: Project, target: Path | None = None, *, log=print) -> dict:
    """Run every template notebook in order, write notebooks, HTML and tables, and a manifest."""
    folder = target or project.root / "reports" / "reproductie"
    tables = folder / "tabellen"
    tables.mkdir(parents=True, exist_ok=True)
    for old in tables.glob("*.csv"):
        old.unlink()
    from wijkkit.kenniskring.nabewerking import nabewerken

    began = time.perf_counter()
    if nabewerken(project):  # before the store is hashed and read: the full pseudonymiser over new duidingen
        log("duidingen uit het dashboard volledig gepseudonimiseerd")
    timings, charts = {}, {}
    for name, parameters in TEMPLATES:
        source = nb.vind(project.root / "notebooks", name)  # also a project from before the renumbering
        if not source.exists():
            continue
        if name == nb.MONITORING:
            try:
                check_theory(project)
            except WijkkitInputError:
                log(f"{name}: overgeslagen (de verandertheorie.yml van het project is nog niet ingevuld)")
                continue
        started = time.perf_counter()
        extra = {"UITVOER": str(tables)} if name in WRITES_TABLES else {}
        executed = execute(source, folder / name, project, {**parameters, **extra})
        to_html(executed, folder / name.replace(".ipynb", ".html"), name.removesuffix(".ipynb"))
        charts.update(chart_hashes(executed))
        timings[name] = round(time.perf_counter() - started, 1)
        log(f"{name}: {timings[name]} s")
    manifest = {
        "wijkkit": __version__,
        "invoer": {**input_hashes(project), "store (inhoud)": store_digest(project)},
        "uitvoer": {f"tabellen/{p.name}": digest(p) for p in sorted(tables.glob("*.csv"))},
        "grafieken": charts,
        "duur_s": timings,
    }
    (folder / "manifest.json").write_text(json.dumps({k: v for k, v in manifest.items() if k != "duur_s"},
                                                     indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "duur.json").write_text(json.dumps({**timings, "totaal": round(time.perf_counter() - began, 1)},
                                                 indent=1) + "\n", encoding="utf-8")
    return manifest
