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
    port = free_port()
    log = open(project / "voila.log", "w")
    proc = subprocess.Popen([sys.executable, "-m", "wijkkit.cli", command, "--project", str(project),
                             "--port", str(port), "--no-open"], stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=2).close()
                break
            except OSError:
                if proc.poll() is not None:
                    raise RuntimeError((project / "voila.log").read_text())
                time.sleep(0.5)
        else:
            raise TimeoutError("Voila did not start")
        yield url
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


def open_page(page, url: str, attempts: int = 2, timeout: float = 75_000) -> None:
    """Open a Voila page; if it never finishes loading, load it again (a new kernel renders it).

    Once in CI a preheated page never completed (Voila logged "Using pre-heated kernel" and no
    websocket followed); a reload is what a person in the room would do, so the test does too,
    and says so in its output.
    """
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(1, attempts + 1):
        try:
            page.goto(url, timeout=timeout)
            return
        except PlaywrightTimeout:
            if attempt == attempts:
                raise
            print(f"pagina {url} laadde niet binnen {timeout / 1000:.0f} s; opnieuw geladen")


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
