import re
import shutil

from typer.testing import CliRunner

from wijkkit.cli import app
from wijkkit.config import Project

runner = CliRunner()


def test_profiel_on_real_files(real_cbs):
    result = runner.invoke(app, ["tellen", "profiel", "--data", str(real_cbs), "--gebied", "WK034403"])
    assert result.exit_code == 0, result.output
    assert "Overvecht" in result.output
    huur = next(line for line in result.output.splitlines() if "Huurwoningen  " in line or "│ Huurwoningen " in line)
    assert re.search(r"80,0 %\s*│\s*2023", huur) or re.search(r"80 %\s*│\s*2023", huur), huur


def test_profiel_on_demo_project(demo_project, tmp_path):
    out = tmp_path / "profiel.csv"
    result = runner.invoke(app, ["tellen", "profiel", "--project", str(demo_project), "--gebied", "WK999902",
                                 "--uitvoer", str(out)])
    assert result.exit_code == 0, result.output
    assert "Rietveld" in result.output
    assert out.exists() and "Woninginbraken" in out.read_text(encoding="utf-8-sig")


def test_bad_file_gives_dutch_error_and_exit_code(tmp_path):
    path = tmp_path / "kwb-2022.csv"
    path.write_text("gwb_code;a_inw\nGM0001;veel\n", encoding="utf-8")
    result = runner.invoke(app, ["tellen", "cijfers", "--data", str(path)])
    assert result.exit_code == 2
    assert "kwb-2022.csv" in result.output and "rij 2" in result.output and "a_inw" in result.output
    assert "Traceback" not in result.output


def test_init_makes_a_valid_project(tmp_path):
    target = tmp_path / "mijnwijk"
    result = runner.invoke(app, ["init", str(target), "--gemeente", "GM0344", "--naam", "Overvecht"])
    assert result.exit_code == 0, result.output
    for name in ("wijkkit.toml", "codebook.yml", "data", "stories", "notebooks"):
        assert (target / name).exists(), name
    assert Project.load(target).config.project.gemeente == "GM0344"
    assert any((target / "notebooks").glob("01_*.ipynb"))
    again = runner.invoke(app, ["init", str(target)])
    assert again.exit_code == 2  # never overwrite an existing project


def test_indicatoren_lists_catalogue():
    result = runner.invoke(app, ["tellen", "indicatoren", "--project", "/nonexistent"])
    assert result.exit_code == 0
    assert "p_huurw" in result.output and "Huurwoningen" in result.output


def test_coding_commands_on_a_few_demo_stories(demo_project, tmp_path):
    from wijkkit.vertellen.importeren import import_stories

    project = Project.load(demo_project)
    import_stories(project, sorted((demo_project / "stories").glob("verhaal-0[0-3]*.md")), door="test")
    args = ["--project", str(demo_project)]
    assert runner.invoke(app, ["coderen", "betrouwbaarheid", *args]).stdout.startswith("Nog geen verhalen")
    result = runner.invoke(app, ["demo", "codering", *args])
    assert result.exit_code == 0 and "Onderzoeker" in result.stdout
    assert "al gecodeerd" in runner.invoke(app, ["demo", "codering", *args]).stdout  # idempotent
    result = runner.invoke(app, ["coderen", "betrouwbaarheid", "--verschillen", *args])
    assert result.exit_code == 0 and "Krippendorffs alfa" in result.stdout and "kappa" in result.stdout
    for name in ("codeboek.qdc", "project.qdpx", "coderingen.xlsx", "coderingen.csv"):
        result = runner.invoke(app, ["coderen", "exporteer", str(tmp_path / name), *args])
        assert result.exit_code == 0 and (tmp_path / name).stat().st_size > 0
    wrong = runner.invoke(app, ["coderen", "exporteer", str(tmp_path / "x.pdf"), *args])
    assert wrong.exit_code == 2 and ".qdpx" in wrong.stderr
    other = tmp_path / "ander"
    runner.invoke(app, ["init", str(other), "--gemeente", "GM9999", "--naam", "Kopie"])
    for path in (demo_project / "data").glob("kwb-*.xlsx"):  # the same gebieden: import checks them
        shutil.copy(path, other / "data" / path.name)
    result = runner.invoke(app, ["coderen", "importeer", str(tmp_path / "project.qdpx"), "--project", str(other)])
    assert result.exit_code == 0, result.stdout + result.stderr
    assert re.search(r"\d+ verhalen, \d+ coderingen", result.stdout)
