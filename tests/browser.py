"""Helpers for browser tests: a Voila server on 127.0.0.1 and headless Debian Chromium."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "reports" / "screenshots"


def require_browser():
    try:
        import playwright  # noqa: F401  (only: is it installed?)
    except ImportError:
        require("WIJKKIT_REQUIRE_BROWSER", "Playwright is niet geïnstalleerd")
    if not Path(CHROMIUM).exists():
        require("WIJKKIT_REQUIRE_BROWSER", "Debian chromium (/usr/bin/chromium) ontbreekt")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def voila_server(project: Path, timeout: float = 90, command: str = "dashboard"):
    with served(project, command=command, timeout=timeout) as server:
        yield server.url


class Served:
    """A running ``wijkkit kenniskring dashboard``/``werkbank``: its address, log and kernel processes."""

    def __init__(self, proc: subprocess.Popen, url: str, log: Path):
        self.proc, self.url, self.log = proc, url, log

    def kernels(self) -> list[int]:
        import psutil

        found = []
        for child in psutil.Process(self.proc.pid).children(recursive=True):
            with contextlib.suppress(psutil.NoSuchProcess):
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    found.append(child.pid)
        return found


@contextlib.contextmanager
def served(project: Path, *extra: str, command: str = "dashboard", timeout: float = 90, port: int | None = None):
    port = port or free_port()
    log_path = project / f"{command}-{port}.log"
    log = open(log_path, "w")
    group = {"dashboard": "kenniskring", "werkbank": "coderen"}[command]
    proc = subprocess.Popen([sys.executable, "-m", "wijkkit.cli", group, command, "--project", str(project),
                             "--port", str(port), "--no-open", *extra], stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            text = log_path.read_text(encoding="utf-8", errors="replace")
            printed = [line for line in text.splitlines() if "http://" in line and "Ctrl+C" in line]
            if printed:  # the address the command says it serves (it may have moved off a taken port)
                from urllib.parse import urlsplit

                said = urlsplit(printed[0].split(": ", 1)[1].split()[0])
                # a room's address is this machine in its network: a test reaches the same server at 127.0.0.1
                url = f"http://127.0.0.1:{said.port}/" + (f"?{said.query}" if said.query else "")
                try:
                    socket.create_connection(("127.0.0.1", said.port), timeout=2).close()
                    break
                except OSError:
                    pass
            if proc.poll() is not None:
                raise RuntimeError(text)
            time.sleep(0.5)
        else:
            raise TimeoutError("Voila did not start")
        yield Served(proc, url, log_path)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, 15)
        proc.wait(timeout=20)
        log.close()


@contextlib.contextmanager
def chromium_page(width=1280, height=720):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_page(viewport={"width": width, "height": height})
        external: list[str] = []

        def watch(request):
            host = request.url.split("/")[2] if "://" in request.url else ""
            if request.url.startswith(("http://", "https://", "ws://", "wss://")) and \
                    not host.startswith(("127.0.0.1", "localhost")):
                external.append(request.url)

        page.on("request", watch)
        page.external_requests = external
        try:
            yield page
        finally:
            browser.close()


def open_page(page, url: str, timeout: float = 60_000) -> None:
    """Open a Voila page once: a page that does not load is a failure, never reloaded away."""
    page.goto(url, timeout=timeout)


@contextlib.contextmanager
def offline_file_page(path: Path, width=1280, height=720):
    """A saved HTML file opened in a browser context without network; ``page.requests`` lists every URL."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        page = browser.new_context(offline=True, viewport={"width": width, "height": height}).new_page()
        page.requests = []
        page.on("request", lambda r: page.requests.append(r.url))
        page.goto(path.as_uri())
        try:
            yield page
        finally:
            browser.close()


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path
