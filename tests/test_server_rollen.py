"""The team server's roles, tried from the outside by the people who have them.

One hub, its proxy and a PostgreSQL cluster the tests start (peer and scram only) for the whole module.
Anonymous visitors, a gast, two codeurs and a coördinator each try what their role may not do, along the path a
person uses: HTTP through the proxy, psql from their own Unix account (what a lab's terminal is), a file in the
project. Each forbidden action must be refused; each write path a role may use must work. Required in CI
(``WIJKKIT_REQUIRE_HUB=1``).
"""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT
from tests.hub import DATABASE, EENMALIG, RUNTIME, WACHTWOORD, Hub, require_hub
from wijkkit.kenniskring.serve import DASHBOARD

pytestmark = pytest.mark.hub

DIENST = "/services/kenniskring"
# the project's other notebooks: the werkbank shows every story, the others their own figures and quotes
ANDERE = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb") if p.name != DASHBOARD)


@pytest.fixture(scope="module")
def hub():
    require_hub()
    from wijkkit.server.spawner import ensure_account

    server = Hub(Path("/srv") / f"wijkkit-rollen-{uuid.uuid4().hex[:6]}")
    try:
        server.setup().start()
        for naam, rol in (("coordinator", "coordinator"), ("anna", "codeur"), ("bram", "codeur"), ("gast", "gast")):
            server.add(naam, rol)
            if rol != "gast":  # the Unix user and PostgreSQL role a first lab start makes
                ensure_account(naam, rol, thuis=server.map / "thuis", database=DATABASE)
        # a decision of each of them on a story of its own, to be tried by the others
        for naam, story in (("coordinator", 0), ("anna", 1), ("bram", 2)):
            done = psql_as(f"wk-{naam}", "INSERT INTO codings (story_id, thema, status, codeur, bewijs, term, "
                                         "created_at) SELECT id, 'wonen', 'accepted', 'iemand', '', '', now() "
                                         f"FROM stories ORDER BY id OFFSET {story} LIMIT 1")
            assert done.returncode == 0, done.stderr
        server.sessions = {naam: server.login(naam) for naam in ("coordinator", "anna", "bram", "gast")}
        yield server
    finally:
        server.teardown()


def psql_as(unix: str, sql: str, *, host: str | None = None, user: str | None = None,
            database: str = DATABASE) -> subprocess.CompletedProcess:
    """psql as Unix user ``unix``, as a member would run it in their lab's terminal (no password anywhere)."""
    env = {**os.environ, "PGPASSWORD": "", "PGPASSFILE": "/nonexistent/pgpass"}
    return subprocess.run(["runuser", "-u", unix, "--", "psql", "-X", "-w", "-tA", "-v", "ON_ERROR_STOP=1",
                           "-h", host or os.environ["PGHOST"], "-p", os.environ["PGPORT"],
                           *(["-U", user] if user else []), "-d", database, "-c", sql],
                          capture_output=True, text=True, cwd="/", env=env)


def admin(sql: str) -> str:
    return psql_as("postgres", sql).stdout.strip()


def decision_of(naam: str) -> str:
    return admin(f"SELECT id FROM codings WHERE codeur = '{naam}' AND status = 'accepted' ORDER BY id LIMIT 1")


# ------------------------------------------------------------------------------------------ forbidden: HTTP
ANONIEM = [
    ("GET", "/hub/api/users"), ("POST", "/hub/api/wijkkit/gebruikers"), ("GET", "/hub/api/groups"),
    ("GET", "/hub/signup"), ("POST", "/hub/signup"), ("GET", "/hub/authorize"), ("GET", "/hub/change-password/anna"),
]


@pytest.mark.parametrize("method,path", ANONIEM)
def test_anonymous_gets_nothing(hub, method, path):
    response = requests.request(method, hub.url + path, timeout=30, allow_redirects=False,
                                json={"naam": "eva", "rol": "coordinator", "wachtwoord": "x" * 14})
    assert response.status_code in (302, 403, 404, 405), (path, response.status_code)
    assert "/hub/login" in response.headers.get("location", "/hub/login")


def test_anonymous_is_sent_to_the_login_for_the_page_and_a_lab(hub):
    for path in (DIENST + "/", "/user/anna/lab"):
        response = requests.get(hub.url + path, timeout=60)
        assert response.url.startswith(f"{hub.url}/hub/login"), (path, response.url)


# Of the kenniskring service a gast (and everyone) gets the one page only.
DIENST_VERBODEN = [("GET", f"/voila/render/{name}") for name in ANDERE] + [
    ("GET", "/api/kernels"), ("POST", "/api/kernels"), ("GET", "/api/contents"), ("GET", "/api/contents/"),
    ("GET", f"/files/{DASHBOARD}"), ("GET", f"/voila/files/{DASHBOARD}"), ("GET", "/voila/tree"),
    ("GET", "/voila/api/contents/"), ("GET", "/api/sessions"), ("GET", "/lab"), ("GET", "/tree"),
    ("GET", "/api/terminals"), ("GET", f"/nbconvert/html/{DASHBOARD}"), ("GET", "/api/kernelspecs"),
]


@pytest.fixture(scope="module")
def gast_op_pagina(hub):
    """The gast's session, let into the service by the hub (the page rendered once: one kernel)."""
    session = hub.sessions["gast"]
    page = session.get(hub.url + DIENST + "/", timeout=300)
    assert page.status_code == 200 and DASHBOARD in page.url
    return session


@pytest.mark.parametrize("method,path", DIENST_VERBODEN)
def test_the_service_serves_one_page(hub, gast_op_pagina, method, path):
    response = gast_op_pagina.request(method, hub.url + DIENST + path, timeout=60, allow_redirects=False)
    assert response.status_code == 404, (path, response.status_code, response.text[:200])
    assert "Niet gevonden" in response.text and "Traceback" not in response.text


def test_the_other_stories_do_not_reach_a_gast_through_the_service(hub, gast_op_pagina):
    quote = admin("SELECT substr(tekst, 1, 40) FROM stories WHERE toestemming <> 'citeren' ORDER BY id LIMIT 1")
    assert quote
    for path in [f"/voila/render/{name}" for name in ANDERE]:
        assert quote not in gast_op_pagina.get(hub.url + DIENST + path, timeout=60).text


def test_a_gast_gets_te_druk_beyond_the_kernels_of_one_visitor(hub, gast_op_pagina):
    from wijkkit.server.kenniskring import PER_BEZOEKER

    url = hub.url + DIENST + f"/voila/render/{DASHBOARD}"
    opened, statuses = [], []
    try:
        for _ in range(PER_BEZOEKER + 1):  # the page opened once already holds one kernel
            response = gast_op_pagina.get(url, timeout=300, stream=True)
            opened.append(response)
            statuses.append(response.status_code)
            if response.status_code == 503:
                assert "te druk" in response.text.lower()
                break
    finally:
        for response in opened:
            response.close()
    assert statuses[-1] == 503 and statuses.count(200) == PER_BEZOEKER - 1, statuses


GAST_HUB = [("POST", "/hub/api/users/gast/server"), ("GET", "/hub/spawn/gast"), ("GET", "/hub/api/users"),
            ("POST", "/hub/api/wijkkit/gebruikers"), ("GET", "/user/anna/lab"), ("GET", "/hub/admin")]
CODEUR_HUB = [("GET", "/hub/api/users"), ("POST", "/hub/api/users/bram/server"),
              ("POST", "/hub/api/wijkkit/gebruikers"), ("GET", "/user/bram/api/contents"),
              ("POST", "/hub/api/users/bram/tokens"), ("GET", "/hub/admin"),
              ("PATCH", "/hub/api/groups/coordinator/users")]
COORDINATOR_HUB = [("GET", "/user/anna/api/contents"), ("POST", "/hub/api/users/anna/tokens"),
                   ("POST", "/hub/change-password/anna"), ("GET", "/hub/authorize")]


@pytest.mark.parametrize("naam,method,path", [("gast", *p) for p in GAST_HUB] + [("anna", *p) for p in CODEUR_HUB]
                         + [("coordinator", *p) for p in COORDINATOR_HUB])
def test_members_are_refused_in_the_hub(hub, naam, method, path):
    session = hub.sessions[naam]
    body = {"naam": "eva", "rol": "coordinator", "wachtwoord": "x" * 14, "users": [naam], "note": "x"}
    response = session.request(method, hub.url + path, json=body, timeout=60)
    # refused outright, or sent to the hub, which refuses (a lab of someone else: /hub/user/... answers 403)
    assert response.status_code in (403, 404, 405), (naam, path, response.status_code, response.url)
    assert f"/user/{naam}/" not in response.url or path.startswith(f"/user/{naam}/")


def test_signup_with_a_reserved_name_is_refused(hub):
    session = requests.Session()
    session.get(f"{hub.url}/hub/login", timeout=30)
    for naam in ("kenniskring", "postgres", "wijkkit-beheer"):
        response = session.post(f"{hub.url}/hub/signup", data={"username": naam, "signup_password": "a" * 16,
                                                              "signup_password_confirmation": "a" * 16,
                                                              "_xsrf": session.cookies.get("_xsrf")}, timeout=30)
        assert response.status_code == 404
    token = (hub.map / "geheimen" / "beheer_token").read_text().strip()
    for naam in ("kenniskring", "postgres", "wijkkit-beheer"):
        made = requests.post(f"{hub.url}/hub/api/wijkkit/gebruikers", headers={"Authorization": f"token {token}"},
                             json={"naam": naam, "rol": "codeur", "wachtwoord": "lang-genoeg-wachtwoord"}, timeout=30)
        assert made.status_code == 400


def test_a_coordinator_cannot_take_over_an_account_unnoticed(hub):
    coordinator = hub.sessions["coordinator"]
    reset = coordinator.post(f"{hub.url}/hub/api/wijkkit/gebruikers", timeout=30,
                             json={"naam": "bram", "rol": "codeur", "wachtwoord": "overname-poging-2026"})
    assert reset.status_code == 201 and reset.json()["eenmalig"] is True
    # the password the coördinator knows opens no lab: only the page where bram chooses his own, which says who
    _session, response = hub.try_login("bram", "overname-poging-2026")
    assert response.status_code == 302 and "/hub/wijkkit/wachtwoord" in response.headers["location"]
    page = requests.get(hub.url + response.headers["location"], timeout=30).text
    assert "ingesteld door coordinator" in page
    assert "/hub/home" not in response.headers["location"]
    log = (hub.map / "logboek" / "wachtwoorden.jsonl").read_text()
    assert '"naam": "bram", "actie": "eenmalig", "door": "coordinator"' in log
    # bram takes his account back; the one-time password is gone with it
    assert hub.choose_password("bram", "overname-poging-2026", WACHTWOORD).status_code == 302
    assert hub.try_login("bram", "overname-poging-2026")[1].headers.get("location", "").endswith("/hub/login") \
        or hub.try_login("bram", "overname-poging-2026")[1].status_code != 302
    hub.login("bram")
    assert hub.choose_password("anna", EENMALIG, "iets-anders-2026!").status_code == 400  # no longer hers to use


# ------------------------------------------------------------------------------------ forbidden: PostgreSQL
def test_a_codeur_deleting_a_colleagues_decision_leaves_it_and_the_attempt_is_recorded(hub):
    ident = decision_of("coordinator")
    result = psql_as("wk-anna", f"DELETE FROM codings WHERE id = {ident}")
    assert "niet gewijzigd" in result.stderr
    assert admin(f"SELECT codeur FROM codings WHERE id = {ident}") == "coordinator"
    assert admin(f"SELECT door, actie FROM geschiedenis WHERE tabel = 'codings' AND (oud->>'id')::int = {ident}") \
        == "wk-anna|geweigerd: verwijdering"


def test_a_codeur_cannot_rewrite_or_restamp_a_colleagues_decision(hub):
    ident = decision_of("bram")
    psql_as("wk-anna", f"UPDATE codings SET thema = 'veiligheid', codeur = 'anna' WHERE id = {ident}")
    assert admin(f"SELECT codeur, thema FROM codings WHERE id = {ident}") == "bram|wonen"
    assert "wk-anna|geweigerd: wijziging" in admin(
        f"SELECT door, actie FROM geschiedenis WHERE (oud->>'id')::int = {ident}").splitlines()


def test_a_codeur_cannot_write_under_another_name(hub):
    psql_as("wk-anna", "INSERT INTO codings (story_id, thema, status, codeur, bewijs, term, created_at) "
                       "SELECT id, 'wonen', 'manual', 'bram', '', '', now() FROM stories ORDER BY id DESC LIMIT 1")
    story = admin("SELECT id FROM stories ORDER BY id DESC LIMIT 1")
    assert admin(f"SELECT codeur FROM codings WHERE story_id = '{story}' AND status = 'manual'") == "anna"


PSQL_VERBODEN = [
    ("wk-anna", "SELECT count(*) FROM originals"),
    ("wk-anna", "DELETE FROM geschiedenis"),
    ("wk-anna", "UPDATE geschiedenis SET door = 'niemand'"),
    ("wk-coordinator", "DELETE FROM geschiedenis"),
    ("wk-anna", "ALTER TABLE codings DISABLE TRIGGER wijkkit_eigendom"),
    ("wk-anna", "ALTER TABLE codings DISABLE ROW LEVEL SECURITY"),
    ("wk-anna", f'SET ROLE "{DATABASE}_coordinator"'),
    ("wk-anna", f'GRANT "{DATABASE}_coordinator" TO "wk-anna"'),
    ("wk-anna", "COPY (SELECT 1) TO PROGRAM 'id'"),
    ("wk-anna", "DELETE FROM stories"),
    ("wk-anna", "INSERT INTO toewijzingen (story_id, codeur, door, created_at) SELECT id, 'anna', 'anna', now() "
                "FROM stories LIMIT 1"),
    ("wk-anna", "SELECT wijkkit_noteer('codings', 'vals', NULL, NULL)"),
    ("wk-kenniskring", "INSERT INTO codings (story_id, thema, status, codeur) SELECT id, 'wonen', 'accepted', 'gast' "
                       "FROM stories LIMIT 1"),
    ("wk-kenniskring", "DELETE FROM duidingen"),
    ("wk-kenniskring", "SELECT count(*) FROM originals"),
    ("wk-kenniskring", "UPDATE stories SET toestemming = 'citeren'"),
]


@pytest.mark.parametrize("unix,sql", PSQL_VERBODEN)
def test_postgres_refuses_what_a_role_may_not(hub, unix, sql):
    result = psql_as(unix, sql)
    # refused by PostgreSQL's rights (permission denied, must be owner, must have admin option, must be superuser)
    assert result.returncode != 0 and ("permission denied" in result.stderr or "ERROR:  must " in result.stderr), \
        (unix, sql, result.stdout, result.stderr)


@pytest.mark.parametrize("host", ["socket", "127.0.0.1", "::1"])
@pytest.mark.parametrize("user", ["postgres", "wk-coordinator"])
def test_no_way_in_as_someone_else(hub, host, user):
    result = psql_as("wk-anna", "SELECT 1", host=None if host == "socket" else host, user=user)
    assert result.returncode != 0, (host, user)


def test_a_codeur_cannot_change_the_figures_the_room_sees(hub):
    cache = hub.project / ".wijkkit-cache"
    result = subprocess.run(["runuser", "-u", "wk-anna", "--", "touch", str(cache / "vals.arrow")],
                            capture_output=True, text=True, cwd="/")
    assert result.returncode != 0 and "Permission denied" in result.stderr


def test_maak_refuses_a_postgres_that_trusts(hub, tmp_path):
    """The machine's own PostgreSQL (trust over the socket and 127.0.0.1, as on the machines this is tested on) is
    refused with the lines to change; nothing is left behind for it."""
    import shutil

    from tests.hub import wijkkit

    if not Path("/var/run/postgresql/.s.PGSQL.5432").exists():
        pytest.skip("geen PostgreSQL van de machine op de standaardpoort")
    probe = subprocess.run(["runuser", "-u", "nobody", "--", "psql", "-X", "-w", "-h", "127.0.0.1", "-p", "5432",
                            "-U", "postgres", "-d", "postgres", "-tAc", "SELECT 1"], capture_output=True, text=True,
                           cwd="/", env={**os.environ, "PGPASSWORD": "", "PGPASSFILE": "/nonexistent/pgpass"})
    if probe.returncode != 0:
        pytest.skip("de PostgreSQL van deze machine vertrouwt 127.0.0.1 niet: niets te weigeren")
    base = Path("/srv") / f"wijkkit-trust-{uuid.uuid4().hex[:6]}"
    try:
        base.mkdir(mode=0o755)
        project = base / "project"
        project.mkdir()
        for name in ("wijkkit.toml", "codebook.yml"):
            shutil.copy(hub.project / name, project / name)
        toml = project / "wijkkit.toml"
        database = f"wijkkit_trust_{uuid.uuid4().hex[:6]}"
        text = toml.read_text()
        start = text.index('url = "postgresql')
        end = text.index('"', start + 7)
        toml.write_text(text[:start] + f'url = "postgresql+psycopg:///{database}?host=/var/run/postgresql&port=5432'
                        + text[end:])
        env = {k: v for k, v in os.environ.items() if k not in ("PGHOST", "PGPORT")}
        result = subprocess.run([str(Path(os.sys.executable)), "-m", "wijkkit.cli", "server", "maak", "--map",
                                 str(base / "server"), "--project", str(project), "--runtime", str(RUNTIME)],
                                capture_output=True, text=True, env=env)
        out = result.stdout + result.stderr
        assert result.returncode == 2 and "pg_hba.conf" in out and "trust" in out and "127.0.0.1" in out, out
        assert "Traceback" not in out
        assert not (base / "server" / "jupyterhub_config.py").exists()
    finally:
        shutil.rmtree(base, ignore_errors=True)
        subprocess.run(["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-h", "/var/run/postgresql", "-p",
                        "5432", "-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {database} WITH (FORCE)"],
                       capture_output=True, cwd="/")


# ------------------------------------------------------------------------------------------- allowed writes
def test_a_codeur_writes_decision_memo_and_klaar_in_the_lab(hub):
    token = hub.token(hub.sessions["anna"], "anna")
    hub.spawn("anna", token)
    out = hub.run("anna", token, """
import os
from sqlalchemy import select, func
from wijkkit.config import Project
from wijkkit.coderen import beslissingen as b
from wijkkit.store.models import Afgerond, Coding, Memo
s = Project.load(os.environ["WIJKKIT_PROJECT"]).open_store()
with s.read() as session:
    story, cid = session.execute(select(Coding.story_id, Coding.id).where(Coding.status == "suggested")
                                 .order_by(Coding.id).offset(7)).first()
b.decide(s, codeur="iemand", story_id=story, status="accepted", suggestie_id=cid)
s.add_memo(codeur="iemand", tekst="memo van de werkbank", story_id=story)
b.mark_done(s, story, "iemand")
with s.read() as session:
    print(session.scalar(select(func.count()).select_from(Coding).where(Coding.story_id == story,
                                                                         Coding.codeur == "anna")),
          session.scalar(select(func.count()).select_from(Memo).where(Memo.codeur == "anna")),
          session.scalar(select(func.count()).select_from(Afgerond).where(Afgerond.story_id == story,
                                                                           Afgerond.codeur == "anna")))
b.mark_done(s, story, "anna", done=False)
print("niet klaar", len(b.finished(s).query("codeur == 'anna'")))
import subprocess, sys
for command in (["sleutel", "controleer"], ["sleutel", "ontsleutel", "--uitvoer", "x.csv"]):
    r = subprocess.run([sys.executable, "-m", "wijkkit.cli", *command, "--project", os.environ["WIJKKIT_PROJECT"]],
                       capture_output=True, text=True)
    print(r.returncode, "Traceback" in r.stdout + r.stderr)
""")
    assert out.split() == ["1", "1", "1", "niet", "klaar", "0", "2", "False", "2", "False"], out


def test_a_codeurs_werkbank_may_read_untouched_stories_again_and_touches_nobodys_work(hub):
    """What the werkbank does when the model learned from the team (wijkkit.coderen.projectmodel), along the path a
    codeur uses: her own lab, her own database role. The tagger's open suggestions of stories nobody touched are
    replaced; every other row stays; nothing is refused or recorded as an attempt; the model folder is the team's."""
    token = hub.token(hub.sessions["anna"], "anna")
    hub.spawn("anna", token)
    before = admin("SELECT count(*) FROM geschiedenis")
    out = hub.run("anna", token, """
import os
from sqlalchemy import select
from wijkkit.config import Project
from wijkkit.store.models import Afgerond, Coding
from wijkkit.vertellen.eigenmodel import Projectmodel
from wijkkit.vertellen.suggesties import reread
from wijkkit.vertellen.tagger import Tagger
p = Project.load(os.environ["WIJKKIT_PROJECT"])
s, cb = p.open_store(), p.load_codebook()
def rows():
    with s.read() as session:
        touched = set(session.scalars(select(Coding.story_id).where(Coding.status != "suggested")))
        touched |= set(session.scalars(select(Afgerond.story_id)))
        kept = sorted(session.scalars(select(Coding.id).where(Coding.story_id.in_(touched))))
        everything = set(session.scalars(select(Coding.id)))
        return touched, kept, everything
touched, kept, everything = rows()
n = reread(s, cb, Tagger(cb))
touched_after, kept_after, everything_after = rows()
print(n > 0, len(touched) > 0, touched == touched_after, kept == kept_after, len(everything - everything_after) > 0)
Projectmodel({}, 0, False).save(p.model_dir)
print(sorted(x.name for x in p.model_dir.iterdir()))
""")
    assert out.split() == ["True", "True", "True", "True", "True", "['projectmodel.json']"], out
    # nothing was refused, and replacing the tagger's suggestions is not a change of anybody's work
    assert admin("SELECT count(*) FROM geschiedenis") == before


def test_a_coordinator_corrects_and_imports_a_schouw_in_the_lab(hub):
    ident = decision_of("anna")
    token = hub.token(hub.sessions["coordinator"], "coordinator")
    hub.spawn("coordinator", token)
    schouw = hub.project / "data" / "schouw" / "lindehoven-schouw-2023-odk-central.csv"
    out = hub.run("coordinator", token, f"""
import os, subprocess, sys
from sqlalchemy import update
from wijkkit.config import Project
from wijkkit.store.models import Coding
s = Project.load(os.environ["WIJKKIT_PROJECT"]).open_store()
with s.session() as session:
    print(session.execute(update(Coding).where(Coding.id == {ident}).values(valentie="kracht")).rowcount)
r = subprocess.run([sys.executable, "-m", "wijkkit.cli", "schouw", "importeer", "{schouw}", "--project",
                    os.environ["WIJKKIT_PROJECT"], "--door", "coordinator"], capture_output=True, text=True)
print(r.returncode)
""", timeout=600)
    assert out.split() == ["1", "0"], out
    # the correction is the coördinator's in the history, the decision stays anna's
    assert admin(f"SELECT codeur, valentie FROM codings WHERE id = {ident}") == "anna|kracht"
    assert admin(f"SELECT door, oud->>'valentie' FROM geschiedenis WHERE (oud->>'id')::int = {ident} "
                 "AND actie = 'wijziging'") == "wk-coordinator|"
    assert int(admin("SELECT count(*) FROM schouwpunten")) > 0


def test_the_kenniskring_page_writes_duiding_and_priority_with_the_visitors_name(hub):
    """What the page's process (Unix user wk-kenniskring) writes for a visitor the hub let in."""
    code = """
import os
from datetime import date
from wijkkit.config import Project
from wijkkit.kenniskring import agenda, duiding
s = Project.load(os.environ["WIJKKIT_PROJECT"]).open_store()
duiding.add_duiding(s, gebied="BU1", thema="wonen", datum=date.today(), wat_zien_we="veel verhuizingen",
                    ingevoerd_door=os.environ["WIJKKIT_BEZOEKER"])
b = agenda.start_bijeenkomst(s, "toets")
agenda.add_prioriteit(s, bijeenkomst_id=b, deelnemer="d1", gebied="BU1", thema="wonen", zin="aandacht")
print("ok")
"""
    env = {"WIJKKIT_PROJECT": str(hub.project), "WIJKKIT_BEZOEKER": "gast", "HOME": str(hub.map / "dienst"),
           "PGHOST": os.environ["PGHOST"], "PGPORT": os.environ["PGPORT"], "PATH": "/usr/bin:/bin"}
    result = subprocess.run(["runuser", "-u", "wk-kenniskring", "--", "env", *[f"{k}={v}" for k, v in env.items()],
                             str(RUNTIME / "venv" / "bin" / "python"), "-c", code], capture_output=True, text=True,
                            cwd="/")
    assert result.stdout.strip() == "ok", result.stderr[-2000:]
    assert admin("SELECT ingevoerd_door FROM duidingen WHERE wat_zien_we = 'veel verhuizingen'") == "gast"
    assert admin("SELECT count(*) FROM prioriteiten WHERE zin = 'aandacht'") == "1"


# ------------------------------------------------------------------------ life cycle (last: they end the server)
def test_a_member_who_leaves_is_removed_and_their_work_stays(hub):
    import pwd

    from tests.hub import wijkkit

    before = admin("SELECT count(*) FROM codings WHERE codeur = 'bram' AND status <> 'suggested'")
    assert int(before) >= 1
    out = wijkkit("server", "gebruiker", "verwijder", "bram", "--map", str(hub.map)).stdout
    assert "bram verwijderd" in out
    with pytest.raises(KeyError):
        pwd.getpwnam("wk-bram")
    assert admin("SELECT count(*) FROM pg_roles WHERE rolname = 'wk-bram'") == "0"
    users = hub.sessions["coordinator"].get(f"{hub.url}/hub/api/users", timeout=30).json()
    assert "bram" not in {u["name"] for u in users}
    _session, response = hub.try_login("bram", WACHTWOORD)
    assert not (response.status_code == 302 and "login" not in response.headers.get("location", ""))
    assert admin("SELECT count(*) FROM codings WHERE codeur = 'bram' AND status <> 'suggested'") == before


def test_stop_and_remove_the_server(hub):
    import grp
    import pwd

    import psutil

    from tests.hub import wijkkit

    # everything 'server start' started: the hub, its proxy, the kenniskring service, the idle culler, the labs
    started = psutil.Process(hub.proc.pid).children(recursive=True)
    names = {p.name() for p in started}
    assert "jupyterhub" in " ".join(names) or any("python" in n for n in names), names
    assert any("node" in n or "configurable" in n for n in names), names  # the proxy
    assert "gestopt" in wijkkit("server", "stop", "--map", str(hub.map)).stdout
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{hub.url}/hub/login", timeout=10)
    hub.proc.wait(timeout=60)  # 'server start' ends when its hub has stopped
    left = [p for p in started if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
    assert left == [], [(p.pid, p.name(), p.cmdline()[:3]) for p in left]
    out = wijkkit("server", "verwijder", "--map", str(hub.map)).stdout
    assert "Server verwijderd" in out and not hub.map.exists()
    for name in ("wk-kenniskring", "wk-anna", "wk-coordinator"):
        with pytest.raises(KeyError):
            pwd.getpwnam(name)
    for group in ("wijkkit-team", "wijkkit-coordinatoren"):
        with pytest.raises(KeyError):
            grp.getgrnam(group)
    # the project and its database stay: the team's work is not the server's to throw away
    assert (hub.project / "wijkkit.toml").exists() and int(admin("SELECT count(*) FROM stories")) > 0
