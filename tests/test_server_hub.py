"""A real team server: JupyterHub with configurable-http-proxy on 127.0.0.1 and the store on PostgreSQL.

A coördinator, three codeurs and a gast; everything is checked through the proxy. Required in CI
(``WIJKKIT_REQUIRE_HUB=1``); skipped on a machine without root, npm or a local PostgreSQL.
"""

from __future__ import annotations

import concurrent.futures
import os
import subprocess
from pathlib import Path

import pytest

from tests.hub import DATABASE, Hub, require_hub, wijkkit
from wijkkit.notebooks import KENNISKRING

CODEURS = ("anna", "bram", "chaima")

pytestmark = pytest.mark.hub


@pytest.fixture(scope="module")
def hub():
    require_hub()
    import uuid

    server = Hub(Path("/srv") / f"wijkkit-hubtest-{uuid.uuid4().hex[:6]}")
    try:
        server.setup().start()
        server.add("coordinator", "coordinator")
        for naam in CODEURS:
            server.add(naam, "codeur")
        server.add("gast", "gast")
        yield server
    finally:
        server.teardown()


def psql_as(unix: str, sql: str, *, user: str | None = None) -> subprocess.CompletedProcess:
    from wijkkit.server.opzet import socket_dir

    return subprocess.run(["runuser", "-u", unix, "--", "psql", "-X", "-tA", "-h", socket_dir(), "-p",
                           os.environ.get("PGPORT", "5432"), *(["-U", user] if user else []), "-d", DATABASE,
                           "-c", sql],
                          capture_output=True, text=True, cwd="/")


def test_anonymous_visitors_are_sent_to_the_login(hub):
    import requests

    for path in ("/user/anna/lab", "/services/kenniskring/", "/hub/home"):
        response = requests.get(hub.url + path, allow_redirects=True, timeout=30)
        assert response.url.startswith(f"{hub.url}/hub/login"), (path, response.url)
        assert "Inloggen bij de wijkkit-server" in response.text


def test_a_wrong_password_is_refused(hub):
    import requests

    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=30)
    response = session.post(f"{hub.url}/hub/login", data={"username": "anna", "password": "fout-wachtwoord-1",
                                                         "_xsrf": session.cookies.get("_xsrf")}, timeout=30)
    assert "Inloggen bij de wijkkit-server" in response.text and "/hub/home" not in response.url


def test_a_gast_sees_the_kenniskring_page_but_cannot_start_a_lab_or_decide(hub):
    session = hub.login("gast")
    page = session.get(f"{hub.url}/services/kenniskring/", timeout=180)
    assert page.status_code == 200 and f"/services/kenniskring/voila/render/{KENNISKRING}" in page.url
    assert "Kenniskring" in page.text and "error when executing" not in page.text.lower()
    assert session.post(f"{hub.url}/hub/api/users/gast/server", timeout=30).status_code == 403
    assert session.get(f"{hub.url}/hub/spawn/gast", timeout=30).status_code == 403
    # the page's own process (what a gast's visit runs as) may add a duiding, never a decision
    refused = psql_as("wk-kenniskring", "INSERT INTO codings (story_id, thema, status, codeur) "
                                         "SELECT id, 'wonen', 'accepted', 'gast' FROM stories LIMIT 1")
    assert refused.returncode != 0 and "permission denied" in refused.stderr
    assert psql_as("wk-kenniskring", "SELECT count(*) FROM originals").returncode != 0


def test_three_codeurs_decide_at_once_and_every_row_carries_their_hub_name(hub):
    tokens = {}
    for naam in CODEURS:
        tokens[naam] = hub.token(hub.login(naam), naam)
    with concurrent.futures.ThreadPoolExecutor(len(CODEURS)) as pool:
        list(pool.map(lambda n: hub.spawn(n, tokens[n]), CODEURS))
    # each codeur's kernel claims to be someone else: the store writes the hub name regardless
    code = """
import os
from sqlalchemy import select
from wijkkit.config import Project
from wijkkit.coderen import beslissingen as b
from wijkkit.store.models import Coding
p = Project.load(os.environ["WIJKKIT_PROJECT"]); s = p.open_store()
with s.read() as session:
    rows = session.execute(select(Coding.story_id, Coding.id).where(Coding.status == "suggested")
                           .order_by(Coding.story_id, Coding.id)).all()
seen, picked = set(), []
for story, cid in rows:
    if story not in seen:
        seen.add(story); picked.append((story, cid))
for story, cid in picked[:50]:
    b.decide(s, codeur="iemand-anders", story_id=story, status="accepted", suggestie_id=cid)
print(os.environ["JUPYTERHUB_USER"], len(picked[:50]))
"""
    with concurrent.futures.ThreadPoolExecutor(len(CODEURS)) as pool:
        outputs = list(pool.map(lambda n: hub.run(n, tokens[n], code), CODEURS))
    assert [o.split() for o in outputs] == [[n, "50"] for n in CODEURS]
    counts = psql_as("postgres", "SELECT codeur, count(*) FROM codings WHERE status <> 'suggested' GROUP BY codeur "
                                 "ORDER BY codeur").stdout.split()
    assert counts == [f"{n}|50" for n in CODEURS]


def test_each_role_is_refused_what_it_may_not_do(hub):
    anna = hub.login("anna")
    assert anna.get(f"{hub.url}/hub/api/users", timeout=30).status_code == 403  # no list of accounts
    assert anna.post(f"{hub.url}/hub/api/users/bram/server", timeout=30).status_code in (403, 404)
    assert anna.post(f"{hub.url}/hub/api/wijkkit/gebruikers", json={"naam": "eva", "rol": "coordinator",
                                                                    "wachtwoord": "x" * 12}, timeout=30).status_code == 403
    # another codeur's lab: the hub does not hand out access to it
    other = anna.get(f"{hub.url}/user/bram/lab", timeout=60)
    assert other.status_code == 403 or "/hub/login" in other.url or "/user/bram/lab" not in other.url
    coordinator = hub.login("coordinator")
    users = coordinator.get(f"{hub.url}/hub/api/users", timeout=30)
    assert users.status_code == 200 and {u["name"] for u in users.json()} >= {"anna", "bram", "chaima", "gast"}
    # a coördinator manages accounts but cannot work in a codeur's lab under their name
    token = hub.token(coordinator, "coordinator")
    import requests

    denied = requests.get(f"{hub.url}/user/anna/api/status", headers={"Authorization": f"token {token}"}, timeout=60)
    assert denied.status_code in (403, 404) or "/hub/" in denied.url
    gast = hub.login("gast")
    assert gast.get(f"{hub.url}/hub/api/users", timeout=30).status_code == 403


def test_a_codeur_cannot_decrypt_the_originals(hub):
    token = hub.token(hub.login("bram"), "bram")
    hub.spawn("bram", token)
    code = """
import os
from pathlib import Path
from wijkkit.config import Project
from wijkkit.privacy import sleutel
p = Project.load(os.environ["WIJKKIT_PROJECT"])
try:
    sleutel.decrypt_all(p, p.open_store()); print("ontsleuteld")
except Exception as exc:
    print("geweigerd", type(exc).__name__)
keys = Path(os.environ["WIJKKIT_PROJECT"]).parent / "server" / "sleutels"
try:
    list(keys.iterdir()); print("sleutelmap open")
except PermissionError:
    print("sleutelmap dicht")
"""
    out = hub.run("bram", token, code)
    assert "ontsleuteld" not in out and "geweigerd" in out and "sleutelmap dicht" in out
    assert int(psql_as("postgres", "SELECT count(*) FROM originals").stdout) > 0  # there are originals to protect
    denied = psql_as("wk-bram", "SELECT count(*) FROM originals")
    assert denied.returncode != 0 and "permission denied" in denied.stderr
    # nor can a codeur pose as another member in PostgreSQL: peer authentication
    other = psql_as("wk-bram", "SELECT 1", user="wk-anna")
    assert other.returncode != 0


def test_a_coordinator_can_decrypt(hub):
    token = hub.token(hub.login("coordinator"), "coordinator")
    hub.spawn("coordinator", token)
    out = hub.run("coordinator", token, """
import os
from wijkkit.config import Project
from wijkkit.privacy import sleutel
p = Project.load(os.environ["WIJKKIT_PROJECT"])
print(len(sleutel.decrypt_all(p, p.open_store())))
""")
    assert int(out.strip()) == int(psql_as("postgres", "SELECT count(*) FROM originals").stdout)


def test_the_coordinator_assigns_stories_to_hub_users_only(hub):
    token = hub.token(hub.login("coordinator"), "coordinator")
    hub.spawn("coordinator", token)
    out = hub.run("coordinator", token, """
import os, subprocess, sys
for naam in ("chaima", "iemand"):
    r = subprocess.run([sys.executable, "-m", "wijkkit.cli", "coderen", "toewijzen", naam, "--aantal", "3",
                        "--project", os.environ["WIJKKIT_PROJECT"]], capture_output=True, text=True)
    print(naam, r.returncode, (r.stdout + r.stderr).replace(chr(10), " "))
""")
    lines = dict(line.split(" ", 1) for line in out.strip().splitlines())
    assert lines["chaima"].startswith("0 3 verhalen toegewezen aan chaima")
    assert lines["iemand"].startswith("2 ") and "codeur of coördinator" in " ".join(lines["iemand"].split())
    rows = psql_as("postgres", "SELECT codeur, door, count(*) FROM toewijzingen GROUP BY 1, 2").stdout.split()
    assert rows == ["chaima|coordinator|3"]


def test_backup_drop_and_restore_brings_every_decision_back(hub, tmp_path):
    before = psql_as("postgres", "SELECT count(*) FROM codings").stdout.strip()
    decisions = psql_as("postgres", "SELECT codeur, story_id, thema, status FROM codings WHERE status <> 'suggested' "
                                    "ORDER BY 1, 2, 3").stdout
    assert decisions.count("\n") >= 150
    backup = Path("/srv") / f"{hub.base.name}-backup.dump"
    try:
        out = wijkkit("store", "backup", "--project", str(hub.project), "--uitvoer", str(backup)).stdout
        assert out.startswith("Bewaard:") and "coderingen" in out
        assert oct(backup.stat().st_mode & 0o777) == "0o600"
        subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-d", "postgres", "-c",
                        f'DROP DATABASE "{DATABASE}" WITH (FORCE)'], check=True, cwd="/")
        out = wijkkit("store", "herstel", str(backup), "--project", str(hub.project)).stdout
        assert out.startswith("Hersteld en gecontroleerd:")
        assert psql_as("postgres", "SELECT count(*) FROM codings").stdout.strip() == before
        assert psql_as("postgres", "SELECT codeur, story_id, thema, status FROM codings WHERE status <> 'suggested' "
                                   "ORDER BY 1, 2, 3").stdout == decisions
        # the rights came back with the data: a codeur still cannot read the originals
        assert psql_as("wk-anna", "SELECT count(*) FROM originals").returncode != 0
    finally:
        backup.unlink(missing_ok=True)
        backup.with_name(backup.name + ".json").unlink(missing_ok=True)


def test_a_sqlite_project_is_refused_for_a_team(tmp_path):
    require_hub()
    from tests.conftest import ROOT

    project = tmp_path / "p"
    project.mkdir()
    for name in ("wijkkit.toml", "codebook.yml"):
        (project / name).write_bytes((ROOT / name).read_bytes())
    result = wijkkit("server", "maak", "--map", str(tmp_path / "s"), "--project", str(project), "--runtime",
                     "/opt/wijkkit-test", check=False)
    assert result.returncode == 2 and "PostgreSQL-store voor een team" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.browser
def test_what_people_see_login_lab_with_werkbank_and_the_kenniskring_service(hub):
    from tests.browser import chromium_page, require_browser, screenshot
    from tests.hub import WACHTWOORD

    require_browser()

    def login(page, naam):
        page.goto(f"{hub.url}/hub/login", timeout=60_000)
        page.fill("#username_input", naam)
        page.fill("#password_input", WACHTWOORD)
        page.click("#login_submit")
        page.wait_for_selector("text=Welkom, " + naam, timeout=60_000)

    with chromium_page() as page:
        page.goto(f"{hub.url}/hub/login", timeout=60_000)
        page.wait_for_selector("text=Inloggen bij de wijkkit-server")
        screenshot(page, "server-inloggen.png")
        login(page, "gast")
        assert "Open mijn JupyterLab" not in page.inner_text("body")
        screenshot(page, "server-start-gast.png")
        page.click("#kenniskring")
        page.wait_for_selector(".wk-kop", timeout=180_000)
        # the demo here is imported, not coded: story charts wait for coded or trusted stories (issue 24), so the
        # page is ready when its theme panel has answered
        page.wait_for_selector(".wk-kop", timeout=180_000)
        page.wait_for_function("document.body.innerText.includes('verhalen')", timeout=180_000)
        assert "Kenniskring Lindehoven" in page.inner_text("body")
        screenshot(page, "server-kenniskring.png")
    with chromium_page() as page:
        login(page, "anna")
        page.click("#start")
        page.wait_for_selector(".jp-Notebook", timeout=180_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=120_000)
        for _ in range(4):  # the template's cells, one after another, as a codeur would
            page.keyboard.press("Shift+Enter")
            page.wait_for_timeout(800)
        page.wait_for_selector(".wk-werkbank", timeout=180_000)
        codeur = page.input_value(".wk-codeur input")
        assert codeur == "anna" and page.is_disabled(".wk-codeur input")
        screenshot(page, "server-lab-werkbank.png")
