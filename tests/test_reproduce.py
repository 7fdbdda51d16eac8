"""`wijkkit monitoring reproduceer` and `wijkkit monitoring rapport` on the demo project: same inputs, same hashes."""

import json
import re
from html import unescape

import nbformat
import pytest
import yaml
from typer.testing import CliRunner

from wijkkit import notebooks as nb
from wijkkit.cli import app
from wijkkit.config import Project
from wijkkit.monitoring.uitvoeren import EXTERNAL

runner = CliRunner()


def visible_text(html: str) -> str:
    """What a reader sees: no styles, scripts or chart markup, entities decoded."""
    body = re.sub(r"<style.*?</style>|<script.*?</script>|<svg.*?</svg>", "", html.split("<body", 1)[1], flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def coded(project_dir):
    """The demo as `make demo` leaves it: stories imported and coded by a team (here: one that accepts every
    suggestion), so the stories' tables have something to count."""
    from tests.conftest import team_accepts_suggestions
    from wijkkit.vertellen.importeren import import_stories

    project = Project.load(project_dir)
    import_stories(project, project_dir / "stories", door="test")
    team_accepts_suggestions(project)
    return project_dir


def run_reproduce(project_dir, out):
    result = runner.invoke(app, ["monitoring", "reproduceer", "--project", str(project_dir), "--uitvoer", str(out)])
    assert result.exit_code == 0, result.stdout
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_reproduce_twice_gives_identical_manifests_and_a_change_moves_only_its_outputs(demo_project, tmp_path):
    coded(demo_project)
    first = run_reproduce(demo_project, tmp_path / "een")
    second = run_reproduce(demo_project, tmp_path / "twee")
    assert first == second
    assert set(first["uitvoer"]) == {"tabellen/wijkprofiel-WK999902.csv", "tabellen/kruistabel-WK999902.csv",
                                     "tabellen/voortgang-indicatoren.csv", "tabellen/voortgang-ambities.csv",
                                     "tabellen/voortgang-kwalitatief.csv"}
    assert "verandertheorie.yml" in first["invoer"] and "store (inhoud)" in first["invoer"]
    for name in map(nb.stam, nb.CYCLUS):
        html = (tmp_path / "een" / f"{name}.html").read_text(encoding="utf-8")
        assert not EXTERNAL.search(html) and "import " not in html.split("<body", 1)[1][:20000].split("<style")[0]
        # every chart the notebook showed is in the HTML as an image, never as a Python repr
        executed = nbformat.read(tmp_path / "een" / f"{name}.ipynb", as_version=4)
        charts = [o for c in executed.cells for o in c.get("outputs", []) if "image/svg+xml" in o.get("data", {})]
        assert html.count("<svg") >= len(charts) and "No description has been provided" not in html
        hashed = [o["metadata"]["wijkkit"]["vegalite_sha256"] for o in charts if "wijkkit" in o.get("metadata", {})]
        assert set(hashed) <= set(first["grafieken"].values())
        assert "object at 0x" not in html and "JupyterChart" not in html and "Dashboard(children" not in html
        text = visible_text(html)
        assert not re.search(r"\bnan\b|\bNaN\b|\bNone\b|\bTrue\b|\bFalse\b", text), name
        assert not re.search(r"\(2\.0\d\d\)|2\.0\d\d–|–2\.0\d\d|(\d{4})–\1", text), name  # "2.023", "2022–2022"
        assert "-0,0" not in text and not re.search(r"\d,\d{4,}", text) and " aantal (" not in text, name
        if name == nb.stam(nb.CODEREN) and not charts:  # nobody of the team has coded yet
            assert "Nog geen verhalen gecodeerd door het team" in visible_text(html)
        elif name != nb.stam(nb.KENNISKRING):  # the dashboard: its summary figures are inline SVG of their own
            assert charts, name
    assert {key.split("#")[0] for key in first["grafieken"]} >= {nb.TELLEN, nb.VERBINDEN}

    # a new target for one indicator changes the progress tables, and nothing else
    path = demo_project / "verandertheorie.yml"
    theory = yaml.safe_load(path.read_text(encoding="utf-8"))
    theory["ambities"][1]["deelambities"][0]["indicatoren"][0]["doel"] = 50
    path.write_text(yaml.safe_dump(theory, allow_unicode=True), encoding="utf-8")
    third = run_reproduce(demo_project, tmp_path / "drie")
    changed_in = {k for k in first["invoer"] if first["invoer"][k] != third["invoer"].get(k)}
    changed_out = {k for k in first["uitvoer"] if first["uitvoer"][k] != third["uitvoer"][k]}
    assert changed_in == {"verandertheorie.yml"}
    assert changed_out == {"tabellen/voortgang-indicatoren.csv", "tabellen/voortgang-ambities.csv"}
    changed_charts = {k for k in first["grafieken"] if first["grafieken"][k] != third["grafieken"].get(k)}
    assert all(k.startswith(nb.stam(nb.MONITORING)) for k in changed_charts)


def test_a_new_project_gets_a_theory_template_and_a_report_says_in_dutch_what_to_fill_in(tmp_path):
    from tests.conftest import SHARED_CBS
    from wijkkit.codebook import load_codebook
    from wijkkit.config import TEMPLATE_THEORIE
    from wijkkit.monitoring.verandertheorie import load_verandertheorie

    root = tmp_path / "nieuw"
    assert runner.invoke(app, ["init", str(root)]).exit_code == 0
    real = SHARED_CBS / "CBS-Utrecht-kwb-2024.xlsx"
    if real.exists():  # a new user's first step: the municipality's own CBS file
        (root / "data" / real.name).write_bytes(real.read_bytes())
    result = runner.invoke(app, ["monitoring", "rapport", "--project", str(root)])
    assert result.exit_code != 0 and isinstance(result.exception, SystemExit)  # a message, not a crash
    assert "verandertheorie.yml" in result.output and "haal daar de # weg" in result.output
    assert "Traceback" not in result.output
    # the template, once its # are removed, is a valid theory of change for the default codebook
    body = "\n".join(line[2:] if line.startswith("# ") else line.lstrip("#")
                     for line in TEMPLATE_THEORIE.format(gemeente="GM0344").splitlines()[4:])
    path = tmp_path / "ingevuld.yml"
    path.write_text(body, encoding="utf-8")
    theory = load_verandertheorie(path, themas=load_codebook().theme_ids)
    assert [i.soort for _, _, i in theory.indicatoren()] == ["kwantitatief", "kwalitatief"]


@pytest.mark.browser
def test_progress_report_renders_offline(demo_project):
    from tests.browser import offline_file_page, require_browser, screenshot

    require_browser()
    result = runner.invoke(app, ["monitoring", "rapport", "--project", str(demo_project)])
    assert result.exit_code == 0, result.stdout
    report = Project.load(demo_project).root / "reports" / "voortgang" / "voortgangsrapportage.html"
    html = report.read_text(encoding="utf-8")
    assert not EXTERNAL.search(html)
    assert '<html lang="nl">' in html  # screen readers read it as Dutch
    with offline_file_page(report) as page:
        text = page.inner_text("body")
        assert "Voortgangsrapportage wijkaanpak Wijk 02 Rietveld" in text
        assert "Perspectief voor elk kind" in text and "niet vergelijkbaar" in text
        assert "Bijlage: bronnen, jaren en methode" in text
        assert "Gemaakt op " in text and ("Verhalen verzameld met " in text or "nog geen verhalen ingelezen" in text)
        assert ".;" not in text and "onbekende methode" not in text
        assert page.locator(".jp-RenderedSVG svg, img[src^='data:image/svg+xml']").count() >= 3  # charts, inline
        assert "Traceback" not in text and "import " not in text
        screenshot(page, "voortgangsrapportage.png")
        assert page.requests == [report.as_uri()]


def test_a_new_story_changes_the_story_outputs_and_leaves_the_figures_alone(demo_project, tmp_path):
    coded(demo_project)
    first = run_reproduce(demo_project, tmp_path / "een")
    (demo_project / "stories" / "verhaal-nieuw.md").write_text(
        "---\ngebied: BU99990201\ndatum: 2025-09-01\nmethode: interview\nverteller_rol: bewoner\n"
        "toestemming: analyse\n---\nHet speelveld is opgeknapt en de kinderen spelen er elke middag samen.\n",
        encoding="utf-8")
    second = run_reproduce(demo_project, tmp_path / "twee")
    changed_in = {k for k in set(first["invoer"]) | set(second["invoer"])
                  if first["invoer"].get(k) != second["invoer"].get(k)}
    assert len(changed_in) == 2 and "store (inhoud)" in changed_in  # the new file, and the store it went into
    changed_out = {k for k in first["uitvoer"] if first["uitvoer"][k] != second["uitvoer"][k]}
    # the figures and the quantitative progress do not depend on stories; the tables about stories do
    assert not changed_out & {"tabellen/wijkprofiel-WK999902.csv", "tabellen/voortgang-indicatoren.csv",
                              "tabellen/voortgang-ambities.csv"}
    assert changed_out & {"tabellen/kruistabel-WK999902.csv", "tabellen/voortgang-kwalitatief.csv"}
    changed_charts = {k.split("#")[0] for k in first["grafieken"]
                      if first["grafieken"][k] != second["grafieken"].get(k)}
    assert nb.TELLEN not in changed_charts  # the profile is figures only
