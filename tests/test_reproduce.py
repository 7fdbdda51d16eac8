"""`wijkkit reproduce` and `wijkkit rapport` on the demo project: same inputs, same hashes."""

import json

import pytest
import yaml
from typer.testing import CliRunner

from wijkkit.cli import app
from wijkkit.config import Project
from wijkkit.monitoring.uitvoeren import EXTERNAL

runner = CliRunner()


def run_reproduce(project_dir, out):
    result = runner.invoke(app, ["reproduce", "--project", str(project_dir), "--uit", str(out)])
    assert result.exit_code == 0, result.stdout
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def test_reproduce_twice_gives_identical_manifests_and_a_change_moves_only_its_outputs(demo_project, tmp_path):
    first = run_reproduce(demo_project, tmp_path / "een")
    second = run_reproduce(demo_project, tmp_path / "twee")
    assert first == second
    assert set(first["uitvoer"]) == {"tabellen/wijkprofiel-WK999902.csv", "tabellen/kruistabel-WK999902.csv",
                                     "tabellen/voortgang-indicatoren.csv", "tabellen/voortgang-ambities.csv",
                                     "tabellen/voortgang-kwalitatief.csv"}
    assert "verandertheorie.yml" in first["invoer"] and "store (inhoud)" in first["invoer"]
    for name in ("01_tellen_wijkprofiel", "02_vertellen_verhalen", "03_coderen_en_betrouwbaarheid", "03_verbinden",
                 "04_kenniskring", "05_monitoring_voortgang"):
        html = (tmp_path / "een" / f"{name}.html").read_text(encoding="utf-8")
        assert not EXTERNAL.search(html) and "import " not in html.split("<body", 1)[1][:20000].split("<style")[0]

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


@pytest.mark.browser
def test_progress_report_renders_offline(demo_project):
    from tests.browser import offline_file_page, require_browser, screenshot

    require_browser()
    result = runner.invoke(app, ["rapport", "--project", str(demo_project)])
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
        assert page.locator("img[src^='data:image/svg+xml']").count() >= 3  # charts, inline
        assert "Traceback" not in text and "import " not in text
        screenshot(page, "voortgangsrapportage.png")
        assert page.requests == [report.as_uri()]
