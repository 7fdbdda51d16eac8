"""Time until the kenniskring dashboard is interactive in headless Chromium, against a bare page.

Baseline: a Voila notebook that only shows one ipywidget, served the same way (same template,
same Voila options), in the same run. The dashboard is served with its rekenaar, as the command does. Each page is loaded 5 times cold (a new kernel runs the
notebook when the page is requested) and 5 times preheated (a kernel from the pool already ran
it); the median of each is compared. "Interactive" means: the gebied and theme choices are
visible and a chart has been drawn (dashboard), or the slider is visible (bare page).

Run: ``python benchmarks/bench_dashboard.py [PROJECT]`` (default: the demo project, which needs
``make demo`` once or an imported store). Needs Debian chromium and Playwright.

``python benchmarks/bench_dashboard.py --landelijk``: the same page for a project on a national StatLine
download (18,000+ rows, tests/landelijk.py) and for the same project with that file cut down to its own
gemeente (Alkmaar), in one run, cold and preheated; goal: landelijk / gemeente <= 1.2.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from wijkkit.config import Project
from wijkkit.kenniskring.serve import DASHBOARD, _start_rekenaar, offline_template, voila_command

ROUNDS = 5
CHROMIUM = "/usr/bin/chromium"
READY = {
    "dashboard": "() => { const s = document.querySelector('.wk-wijk select');"
                 " const c = Array.from(document.querySelectorAll('.wk-grafiek svg'))"
                 ".some(e => e.getBoundingClientRect().width > 0); return s && c; }",
    "kaal": "() => document.querySelector('.widget-slider') !== null",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bare_notebook(folder: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell("import ipywidgets as w\nw.IntSlider(description='Kaal')")]
    path = folder / "kaal.ipynb"
    nbformat.write(notebook, path)
    return path


def start(notebook: Path, project: Project, preheat: bool) -> tuple[list[subprocess.Popen], str]:
    """Voila as ``wijkkit kenniskring dashboard`` serves it: for the dashboard with the project's rekenaar (started
    first, as the command does before any visitor), so a visitor's kernel only builds widgets."""
    port = free_port()
    data_dir = offline_template(project.cache_dir / "jupyter")
    env = {**os.environ, "WIJKKIT_PROJECT": str(project.root), "JUPYTER_PATH": str(data_dir)}
    started = []
    if notebook.name == DASHBOARD:
        rekenaar, (rekenaar_port, token) = _start_rekenaar(project.root, env, None)
        started.append(rekenaar)
        env.update(WIJKKIT_REKENAAR=f"http://127.0.0.1:{rekenaar_port}", WIJKKIT_REKENAAR_TOKEN=token)
    started.insert(0, subprocess.Popen(voila_command(notebook, port=port, open_browser=False, preheat=preheat),
                                       env=env, cwd=notebook.parent, stdout=subprocess.DEVNULL,
                                       stderr=subprocess.DEVNULL, start_new_session=True))
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return started, f"http://127.0.0.1:{port}/"
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("Voila did not start")


def measure(browser, url: str, ready: str) -> float:
    # a fresh context per visit: no connection or cache carried over from the previous visitor
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    began = time.perf_counter()
    page.goto(url, timeout=180_000)
    page.wait_for_function(ready, timeout=180_000, polling=50)
    elapsed = time.perf_counter() - began
    context.close()
    return elapsed


def run(kind: str, notebook: Path, project: Project, preheat: bool, browser, warm_wait: float) -> list[float]:
    procs, url = start(notebook, project, preheat)
    times = []
    try:
        if preheat:
            time.sleep(warm_wait)  # let the pool's kernel run the notebook before the first visitor
        for _ in range(ROUNDS):
            times.append(measure(browser, url, READY[kind]))
            if preheat:
                time.sleep(warm_wait)  # the pool refills after each visitor
    finally:
        for proc in procs:
            os.killpg(proc.pid, 15)
            proc.wait(timeout=30)
    return times


def national_projects(folder: Path) -> tuple[Project, Project]:
    """Two projects for Alkmaar: one with the national file in data/, one with only Alkmaar's rows of it."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from tests.landelijk import _write, build
    from wijkkit.config import init_project

    projects = []
    for name in ("landelijk", "gemeente"):
        root = init_project(folder / name, naam="Alkmaar", gemeente="GM0361")
        target = root / "data" / "kwb-2024-statline.csv"
        landelijk = build(target)
        if name == "gemeente":
            _write(target, [r for r in landelijk.rijen if r["gemeente"] == "GM0361"], "symbolen")
        project = Project.load(root)
        project.load_indicators()  # as 'wijkkit kenniskring dashboard' does before it serves: the cache is warm
        projects.append(project)
    return projects[0], projects[1]


def main_national() -> None:
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        landelijk, gemeente = national_projects(Path(tmp))
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for preheat in (False, True):
            for label, project in (("landelijk", landelijk), ("gemeente", gemeente)):
                notebook = project.root / "notebooks" / DASHBOARD
                times = run("dashboard", notebook, project, preheat, browser, 25)
                key = f"{label} {'voorverwarmd' if preheat else 'koud'}"
                results[key] = statistics.median(times)
                print(f"{key:<24} mediaan {results[key]:5.2f} s  (rondes: {', '.join(f'{t:.2f}' for t in times)})",
                      flush=True)
        browser.close()
    print()
    for mode in ("koud", "voorverwarmd"):
        print(f"ratio tijd tot interactief landelijk / gemeente ({mode}) = "
              f"{results[f'landelijk {mode}'] / results[f'gemeente {mode}']:.2f}  (doel: <= 1,2)")


def main() -> None:
    from playwright.sync_api import sync_playwright

    if "--landelijk" in sys.argv:
        main_national()
        return

    project = Project.load(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1])
    dashboard = project.root / "notebooks" / DASHBOARD
    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        bare = bare_notebook(Path(tmp))
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for preheat in (False, True):
            for kind, notebook, wait in (("kaal", bare, 8), ("dashboard", dashboard, 25)):
                times = run(kind, notebook, project, preheat, browser, wait)
                key = f"{kind} {'voorverwarmd' if preheat else 'koud'}"
                results[key] = statistics.median(times)
                print(f"{key:<24} mediaan {results[key]:5.2f} s  (rondes: {', '.join(f'{t:.2f}' for t in times)})",
                      flush=True)
        browser.close()
    base = results["kaal koud"]
    print()
    for key, value in results.items():
        print(f"ratio {key:<24} / kaal koud = {value / base:4.2f}")
    print(f"ratio dashboard koud / kaal koud = {results['dashboard koud'] / base:.2f} (doel: <= 2,0); "
          f"voorverwarmd, zoals geserveerd: {results['dashboard voorverwarmd'] / base:.2f} (doel: <= 1,5)")


if __name__ == "__main__":
    main()
