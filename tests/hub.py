"""A real wijkkit team server for tests: runtime, server folder, PostgreSQL database, a running hub.

Needs root (every team member becomes a Unix user of their own), the system's Python with venv, npm (for
configurable-http-proxy) and PostgreSQL's server programs. The tests start a PostgreSQL cluster of their own
(``initdb`` and ``pg_ctl`` in the test's folder: peer over its socket, scram-sha-256 over 127.0.0.1 and ::1),
never the machine's (which trusts every local connection: exactly what ``server maak`` refuses). Everything is
reached at 127.0.0.1; every Unix user, cluster and folder made here is removed afterwards.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

from tests.conftest import ROOT, require
from wijkkit.server.cluster import Cluster, postgres_bin
from wijkkit.server.opzet import user_exists

RUNTIME = Path(os.environ.get("WIJKKIT_HUB_RUNTIME", "/opt/wijkkit-test"))
DATABASE = "wijkkit_hub_test"
WACHTWOORD = "kenniskring-2026!"
EENMALIG = "eenmalig-gezet-2026"  # what the coördinator (here: root) sets; the member then chooses WACHTWOORD


def require_hub() -> None:
    reasons = []
    if os.geteuid() != 0:
        reasons.append("geen root (een teamlid wordt een eigen systeemgebruiker)")
    if not Path("/usr/bin/python3").exists():
        reasons.append("geen /usr/bin/python3")
    if shutil.which("npm") is None:
        reasons.append("geen npm (voor configurable-http-proxy)")
    if shutil.which("runuser") is None or postgres_bin() is None or not user_exists("postgres"):
        reasons.append("geen PostgreSQL-serverprogramma's (initdb, pg_ctl) of geen gebruiker postgres")
    if reasons:
        require("WIJKKIT_REQUIRE_HUB", "teamserver-test overgeslagen: " + "; ".join(reasons))


def free_base_port() -> int:
    """A port p with p..p+3 free (hub, hub API, proxy API, kenniskring service), below the kernel's ephemeral
    range: the ports are chosen a minute before the service binds the last one, and in that minute every
    connection to PostgreSQL takes an ephemeral port as its own (once it took p+3 and the hub did not start)."""
    low = _ephemeral_low()
    rng = random.Random(os.getpid() ^ time.time_ns())
    for _ in range(200):
        base = rng.randrange(max(1024, low - 12000), low - 4)
        if all(_free(base + k) for k in range(4)):
            return base
    raise RuntimeError("no four free ports")


def _ephemeral_low() -> int:
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def wijkkit(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "wijkkit.cli", *args], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise AssertionError(f"wijkkit {' '.join(args)}: {result.stdout}{result.stderr}")
    return result


class Hub:
    """The server of the demo project, started; ``url`` is the hub's address at 127.0.0.1."""

    def __init__(self, base: Path):
        self.base = base
        self.project = base / "project"
        self.map = base / "server"
        self.port = free_base_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log = base / "hub.log"
        self.cluster = Cluster(base / "postgres")

    # ---------------------------------------------------------------------------------------- lifecycle
    def setup(self) -> "Hub":
        from wijkkit.server.proef import demo_project, import_stories

        wijkkit("server", "installeer", "--map", str(RUNTIME))
        self.base.mkdir(parents=True)
        self.base.chmod(0o755)
        self.cluster.start(fast=True)
        os.environ.update(self.cluster.env)  # this process's psql and wijkkit commands reach the test's cluster
        demo_project(ROOT, self.project, DATABASE)
        wijkkit("server", "maak", "--map", str(self.map), "--project", str(self.project), "--runtime", str(RUNTIME),
                "--poort", str(self.port))
        import_stories(self.project, self.map / "sleutels")
        return self

    def start(self) -> "Hub":
        log = open(self.log, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "wijkkit.cli", "server", "start", "--map", str(self.map)],
                                     stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                                     env={**os.environ, "PYTHONUNBUFFERED": "1"})
        self.started = time.perf_counter()
        deadline = time.time() + 120
        import requests

        while time.time() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/hub/login", timeout=3).status_code == 200:
                    self.ready_after = time.perf_counter() - self.started
                    return self
            if self.proc.poll() is not None:
                raise RuntimeError(self.log.read_text())
            time.sleep(0.5)
        raise TimeoutError(self.log.read_text())

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            import psutil

            below = psutil.Process(self.proc.pid).children(recursive=True)
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=150)  # 'server start' waits for the hub, then stops what it left
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
            for child in below:  # after a kill: the proxy and services live in sessions of their own
                with contextlib.suppress(psutil.NoSuchProcess):
                    child.kill()

    def teardown(self) -> None:
        self.stop()
        if self.log.exists():  # for whoever reads a failure afterwards
            shutil.copy(self.log, Path(os.environ.get("TMPDIR", "/tmp")) / "wijkkit-hubtest-laatste.log")
        for user in [u.split(":")[0] for u in Path("/etc/passwd").read_text().splitlines()]:
            if user.startswith("wk-"):
                subprocess.run(["pkill", "-KILL", "-u", user], capture_output=True)
                subprocess.run(["userdel", user], capture_output=True)
        self.cluster.stop("immediate")
        for key in self.cluster.env:
            if os.environ.get(key) == self.cluster.env[key]:
                del os.environ[key]
        for group in ("wijkkit-team", "wijkkit-coordinatoren"):
            subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(self.base, ignore_errors=True)

    # ------------------------------------------------------------------------------------------- people
    def add(self, naam: str, rol: str) -> None:
        """An account with a one-time password, replaced by the member's own (WACHTWOORD) as a person would."""
        wijkkit("server", "gebruiker", naam, "--rol", rol, "--map", str(self.map), "--wachtwoord", EENMALIG)
        response = self.choose_password(naam, EENMALIG, WACHTWOORD)
        assert response.status_code == 302 and "/hub/login" in response.headers["location"], response.text[:300]

    def choose_password(self, naam: str, huidig: str, nieuw: str):
        import requests

        session = requests.Session()
        session.get(f"{self.url}/hub/wijkkit/wachtwoord?naam={naam}", timeout=30)
        return session.post(f"{self.url}/hub/wijkkit/wachtwoord", data={
            "naam": naam, "huidig": huidig, "nieuw": nieuw, "herhaal": nieuw, "_xsrf": session.cookies.get("_xsrf")},
            timeout=30, allow_redirects=False)

    def login(self, naam: str, wachtwoord: str = WACHTWOORD):
        """A requests session logged in to the hub as ``naam`` (through the proxy)."""
        session, response = self.try_login(naam, wachtwoord)
        assert response.status_code == 302 and "login" not in response.headers.get("location", ""), response.text[:200]
        session.headers["X-XSRFToken"] = session.cookies.get("_xsrf")
        return session

    def try_login(self, naam: str, wachtwoord: str):
        import requests

        session = requests.Session()
        session.get(f"{self.url}/hub/login", timeout=30)
        xsrf = session.cookies.get("_xsrf")
        response = session.post(f"{self.url}/hub/login", data={"username": naam, "password": wachtwoord,
                                                               "_xsrf": xsrf}, timeout=30, allow_redirects=False)
        return session, response

    def token(self, session, naam: str) -> str:
        response = session.post(f"{self.url}/hub/api/users/{naam}/tokens", json={"note": "test"}, timeout=30)
        assert response.status_code in (200, 201), response.text
        return response.json()["token"]

    def spawn(self, naam: str, token: str, timeout: float = 180) -> None:
        import requests

        headers = {"Authorization": f"token {token}"}
        response = requests.post(f"{self.url}/hub/api/users/{naam}/server", headers=headers, timeout=60)
        assert response.status_code in (201, 202, 400), response.text  # 400: already running
        deadline = time.time() + timeout
        while time.time() < deadline:
            model = requests.get(f"{self.url}/hub/api/users/{naam}", headers=headers, timeout=30).json()
            server = model.get("servers", {}).get("", {})
            if server.get("ready"):
                return
            time.sleep(1)
        raise TimeoutError(self.log.read_text()[-4000:])

    def run(self, naam: str, token: str, code: str, timeout: float = 300) -> str:
        """Run ``code`` in a new kernel of ``naam``'s own server; its printed output (stdout) comes back."""
        import requests
        import websocket

        base = f"{self.url}/user/{naam}"
        headers = {"Authorization": f"token {token}"}
        kernel = requests.post(f"{base}/api/kernels", headers=headers, json={"name": "python3"}, timeout=60)
        assert kernel.status_code == 201, kernel.text
        kid = kernel.json()["id"]
        ws = websocket.create_connection(f"ws://127.0.0.1:{self.port}/user/{naam}/api/kernels/{kid}/channels",
                                         header=[f"Authorization: token {token}"], timeout=timeout)
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "execute_request", "username": naam,
                                       "session": uuid.uuid4().hex, "version": "5.3"},
                            "parent_header": {}, "metadata": {}, "channel": "shell",
                            "content": {"code": code, "silent": False, "store_history": False,
                                        "user_expressions": {}, "allow_stdin": False}}))
        out, error = [], None
        deadline = time.time() + timeout
        while time.time() < deadline:
            message = json.loads(ws.recv())
            if message.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind = message["msg_type"]
            if kind == "stream" and message["content"]["name"] == "stdout":
                out.append(message["content"]["text"])
            elif kind == "error":
                error = "\n".join(message["content"]["traceback"])
            elif kind == "status" and message["content"]["execution_state"] == "idle":
                break
        ws.close()
        requests.delete(f"{base}/api/kernels/{kid}", headers=headers, timeout=30)
        if error:
            raise AssertionError(error)
        return "".join(out)
