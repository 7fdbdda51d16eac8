"""Template notebooks: committed without outputs, in sync with their .py pair, and they run."""

import json

import jupytext
import papermill
import pytest

from tests.conftest import ROOT
from wijkkit import notebooks as nb

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


def test_numbered_in_the_order_of_the_cycle_one_pair_each():
    numbered = sorted(p.name for p in NOTEBOOKS if p.name[:2].isdigit())
    assert numbered == list(nb.CYCLUS)  # the constants name every numbered notebook, in the cycle's order
    assert [name[:2] for name in numbered] == [f"{i:02d}" for i in range(1, len(numbered) + 1)]  # no two alike
    assert {p.name for p in NOTEBOOKS} == {*nb.CYCLUS, nb.WERKBANK}
    pairs = {p.name for p in (ROOT / "notebooks").glob("*.py")}
    assert pairs == {f"{nb.stam(name)}.py" for name in (*nb.CYCLUS, nb.WERKBANK)}


def test_parameters_cell_is_tagged():
    for path in NOTEBOOKS:
        cells = jupytext.read(path).cells
        assert any("parameters" in c.metadata.get("tags", []) for c in cells), path.name


@pytest.mark.parametrize("name", [nb.TELLEN, nb.VERTELLEN])
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
    steps = [(nb.VERTELLEN, {}),
             (nb.CODEREN, {"DEMO_CODEURS": True, "UITVOER": str(tmp_path / "uit")}),
             (nb.VERBINDEN, {"UITVOER": str(tmp_path / "verbinden")}),
             (nb.KENNISKRING, {"STATISCH": True}),
             (nb.WERKBANK, {"CODEUR": "papermill"})]
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
    assert "Krippendorff" in texts[nb.CODEREN]
    assert "Sprekende citaten" in texts[nb.CODEREN]
    assert (tmp_path / "verbinden" / "kruistabel-WK999902.csv").exists()
    assert "Spanning bij" in texts[nb.VERBINDEN]
    assert "Wat zeggen de cijfers?" in texts[nb.KENNISKRING] and "<svg" in texts[nb.KENNISKRING]
    assert "Dashboard(children" not in texts[nb.KENNISKRING]


def test_tellen_notebook_on_another_project(demo_project, tmp_path):
    """The same template with a parameter: another gebied and reference, tables written out."""
    out_dir = tmp_path / "uit"
    papermill.execute_notebook(str(demo_project / "notebooks" / nb.TELLEN),
                               str(tmp_path / "run.ipynb"), cwd=str(tmp_path), kernel_name="python3",
                               progress_bar=False,
                               parameters={"PROJECT": str(demo_project), "GEBIED": "BU99990301",
                                           "REFERENTIE": "basisjaar:2020", "UITVOER": str(out_dir)})
    assert (out_dir / "wijkprofiel-BU99990301.csv").exists()


def test_a_project_from_before_the_renumbering_still_finds_its_notebooks(tmp_path):
    folder = tmp_path / "notebooks"
    folder.mkdir()
    (folder / "04_kenniskring.ipynb").write_text("{}", encoding="utf-8")  # as an earlier 'wijkkit init' wrote it
    assert nb.vind(folder, nb.KENNISKRING) == folder / "04_kenniskring.ipynb"
    assert nb.vind(folder, nb.MONITORING) == folder / nb.MONITORING  # absent under both names: the current one
    (folder / nb.KENNISKRING).write_text("{}", encoding="utf-8")
    assert nb.vind(folder, nb.KENNISKRING) == folder / nb.KENNISKRING  # the current name wins
