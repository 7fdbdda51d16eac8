"""How long `make demo` takes from a fresh clone to a reachable kenniskring page, step by step.

    python benchmarks/bench_demo.py                 # a clone of this checkout's HEAD in a temporary folder
    python benchmarks/bench_demo.py --naammodel-leeg  # also build the name model from scratch (a new machine)

Runs the Makefile's own steps (install, then each line of the demo target) and times each; the last step (the
dashboard) counts until its page answers at 127.0.0.1. The pip cache of the machine is used as `make` uses it; the
load average is printed, since the time depends on what else the machine does.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shlex
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def demo_steps(makefile: str) -> list[str]:
    """The recipe lines of the demo target, as the Makefile has them."""
    block = makefile.split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    return [line.strip().lstrip("@") for line in block.splitlines()[1:] if line.startswith("\t")]


def cpu() -> float:
    """CPU seconds of all finished child processes: less dependent on a busy machine than the clock."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(cmd: str, cwd: Path, env: dict) -> tuple[float, float]:
    began, cpu_began = time.monotonic(), cpu()
    subprocess.run(cmd, shell=True, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - began, cpu() - cpu_began


def until_reachable(cmd: str, cwd: Path, env: dict, port: int, timeout: float = 600) -> tuple[float, float]:
    began, cpu_began = time.monotonic(), cpu()
    proc = subprocess.Popen(shlex.split(cmd.replace("$(PORT)", str(port))) + ["--no-open"], cwd=cwd, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while time.monotonic() - began < timeout:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                    if answer.status == 200:
                        seconds = time.monotonic() - began
                        break
            except OSError:
                time.sleep(0.5)
        else:
            raise TimeoutError("het dashboard kwam niet op")
    finally:
        os.killpg(proc.pid, 15)
        proc.wait(timeout=30)
    return seconds, cpu() - cpu_began  # the server's CPU up to its stop (a little more than to the first page)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--naammodel-leeg", action="store_true", help="bouw ook het naammodel opnieuw (nieuwe machine)")
    parser.add_argument("--port", type=int, default=8877)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="wijkkit-demo-") as tmp:
        clone = Path(tmp) / "wijkkit"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {**os.environ}
        env.pop("VIRTUAL_ENV", None)
        if args.naammodel_leeg:
            env["WIJKKIT_NAAMMODEL"] = str(Path(tmp) / "naammodel")
        env["WIJKKIT_CACHE"] = str(Path(tmp) / "cache")
        times: list[tuple[str, tuple[float, float]]] = []
        print(f"belasting van de machine (1, 5, 15 min): {os.getloadavg()}", flush=True)
        install = (clone / "Makefile").read_text(encoding="utf-8")
        for line in _install_lines(install):
            name = line.split()[0].rsplit("/", 1)[-1] + " " + " ".join(line.split()[1:4])
            times.append((name, run(line, clone, env)))
        for step in demo_steps(install)[:-1]:
            times.append((re.sub(r"^\$\(BIN\)/", "", step)[:60], run(step.replace("$(BIN)", ".venv/bin"), clone, env)))
        last = demo_steps(install)[-1].replace("$(BIN)", ".venv/bin")
        times.append(("dashboard tot de pagina antwoordt", until_reachable(last, clone, env, args.port)))
        print("   klok     cpu  stap")
        for name, (seconds, cpu_seconds) in times:
            print(f"{seconds:7.1f} s {cpu_seconds:6.1f} s  {name}")
        print(f"{sum(s for _, (s, _c) in times):7.1f} s {sum(c for _, (_s, c) in times):6.1f} s  totaal tot een "
              "bereikbare pagina")
        print(f"belasting van de machine (1, 5, 15 min): {os.getloadavg()}")


def _install_lines(makefile: str) -> list[str]:
    """The install recipe with make's variables filled in as the Makefile sets them."""
    block = makefile.split("\n$(STAMP):", 1)[1].split("\n\n", 1)[0].replace("\\\n", " ")
    quiet = re.search(r"^QUIET_PIP := (.*)$", makefile, re.M)
    lines = []
    for line in block.splitlines()[1:]:
        line = line.replace("$$", "$")
        line = line.strip().lstrip("@")
        if not line or line.startswith(("echo", "touch", "#")):
            continue
        if quiet:
            line = line.replace("$(QUIET_PIP)", quiet.group(1))
        lines.append(line.replace("$(PYTHON)", "python3").replace("$(VENV)", ".venv").replace("$(BIN)", ".venv/bin"))
    return lines


if __name__ == "__main__":
    main()
