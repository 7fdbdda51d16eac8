"""Template notebooks: committed without outputs, in sync with their .py pair, and they run."""

import json

import jupytext
import papermill
import pytest

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs_and_paired(path):
    notebook = json.loads(path.read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        assert not cell.get("outputs"), f"{path.name} has outputs"
        assert cell.get("execution_count") is None
    paired = jupytext.read(path.with_suffix(".py"))
    sources = [c.source for c in jupytext.read(path).cells]
    assert sources == [c.source for c in paired.cells], f"{path.name} and its .py differ: run make notebooks"


def test_parameters_cell_is_tagged():
    for path in NOTEBOOKS:
        cells = jupytext.read(path).cells
        assert any("parameters" in c.metadata.get("tags", []) for c in cells), path.name


@pytest.mark.parametrize("name", ["01_tellen_wijkprofiel.ipynb", "02_vertellen_verhalen.ipynb"])
def test_notebook_runs_on_the_demo_project(name, demo_project, tmp_path):
    out = tmp_path / name
    papermill.execute_notebook(str(demo_project / "notebooks" / name), str(out),
                               cwd=str(demo_project / "notebooks"), kernel_name="python3",
                               progress_bar=False, parameters={"PROJECT": str(demo_project)})
    executed = json.loads(out.read_text(encoding="utf-8"))
    errors = [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_all_notebooks_run_in_order_on_the_demo_project(demo_project, tmp_path):
    """02 imports the stories, 03 lets the demo coders code and writes every export, then the
    verbinden report, the kenniskring page and the workbench run headless too."""
    steps = [("02_vertellen_verhalen.ipynb", {}),
             ("03_coderen_en_betrouwbaarheid.ipynb", {"DEMO_CODEURS": True, "UITVOER": str(tmp_path / "uit")}),
             ("03_verbinden.ipynb", {"UITVOER": str(tmp_path / "verbinden")}),
             ("04_kenniskring.ipynb", {"STATISCH": True}),
             ("werkbank_coderen.ipynb", {"CODEUR": "papermill"})]
    texts = {}
    for name, parameters in steps:
        out = tmp_path / name
        papermill.execute_notebook(str(demo_project / "notebooks" / name), str(out),
                                   cwd=str(demo_project / "notebooks"), kernel_name="python3", progress_bar=False,
                                   parameters={"PROJECT": str(demo_project), **parameters}, execution_timeout=300)
        executed = json.loads(out.read_text(encoding="utf-8"))
        assert not [o for c in executed["cells"] for o in c.get("outputs", []) if o.get("output_type") == "error"]
        texts[name] = out.read_text(encoding="utf-8")
    assert {p.name for p in (tmp_path / "uit").iterdir()} == {"coderingen.xlsx", "coderingen.csv", "codeboek.qdc",
                                                             "project.qdpx"}
    assert "Krippendorff" in texts["03_coderen_en_betrouwbaarheid.ipynb"]
    assert "Sprekende citaten" in texts["03_coderen_en_betrouwbaarheid.ipynb"]
    assert (tmp_path / "verbinden" / "kruistabel-WK999902.csv").exists()
    assert "Spanning bij" in texts["03_verbinden.ipynb"]
    assert "Wat zeggen de cijfers?" in texts["04_kenniskring.ipynb"] and "<svg" in texts["04_kenniskring.ipynb"]
    assert "Dashboard(children" not in texts["04_kenniskring.ipynb"]


def test_tellen_notebook_on_another_project(demo_project, tmp_path):
    """The same template with a parameter: another gebied and reference, tables written out."""
    out_dir = tmp_path / "uit"
    papermill.execute_notebook(str(demo_project / "notebooks" / "01_tellen_wijkprofiel.ipynb"),
                               str(tmp_path / "run.ipynb"), cwd=str(tmp_path), kernel_name="python3",
                               progress_bar=False,
                               parameters={"PROJECT": str(demo_project), "GEBIED": "BU99990301",
                                           "REFERENTIE": "basisjaar:2020", "UITVOER": str(out_dir)})
    assert (out_dir / "wijkprofiel-BU99990301.csv").exists()
