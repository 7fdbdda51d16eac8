"""Institutional login on one machine: a real JupyterHub (and its proxy) on 127.0.0.1 logs people in through a
small OpenID Connect provider the test starts; the group claim decides the role, and a gast from the provider is
refused what a gast may not do. The roles, groups and login settings are those of wijkkit.server.hubconfig, the
same the one-machine server and the z2jh values are written from.

Run only under ``flock /work/hub.lock`` (a hub at a time on the test machine).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import require
from tests.hub import RUNTIME, free_base_port
from tests.oidc_provider import Provider
from wijkkit.server import hubconfig

pytestmark = pytest.mark.hub

SURF = "urn:mace:surf.nl:sram:group:hva:wijkkit"
MENSEN = {
    # SURFconext: the groups arrive as eduperson_entitlement values in the userinfo
    "anna": {"eduperson_entitlement": [f"{SURF}:coordinatoren", "urn:mace:dir:entitlement:common-lib-terms"]},
    "bart": {"eduperson_entitlement": [f"{SURF}:codeurs"]},
    "gina": {"eduperson_entitlement": [f"{SURF}:kenniskring"]},
    "otto": {"eduperson_entitlement": ["urn:mace:dir:entitlement:common-lib-terms"]},  # none of ours
}
ROL_WAARDEN = {"coordinator": [f"{SURF}:coordinatoren"], "codeur": [f"{SURF}:codeurs"],
               "gast": [f"{SURF}:kenniskring"]}
# Microsoft Entra ID: group object ids in the ID token's "groups" claim (not in the userinfo)
ENTRA = {"e.de.vries@gemeente.nl": {"groups": ["5f0c7a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f"]}}
ENTRA_WAARDEN = {"codeur": ["5f0c7a4e-1d2b-4c3a-9e8f-0a1b2c3d4e5f"]}


class StandIn(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


def proxy_command() -> str:
    """configurable-http-proxy, from npm into the hub tests' runtime folder (as 'wijkkit server installeer')."""
    found = shutil.which("configurable-http-proxy")
    if found:
        return found
    proxy = RUNTIME / "node_modules" / ".bin" / "configurable-http-proxy"
    if not proxy.exists():
        if shutil.which("npm") is None:
            require("WIJKKIT_REQUIRE_HUB", "geen npm (voor configurable-http-proxy)")
        subprocess.run(["npm", "install", "--silent", "--no-fund", "--no-audit", "--prefix", str(RUNTIME),
                        "configurable-http-proxy@5"], check=True, capture_output=True)
    return str(proxy)


def write_config(path: Path, base: Path, port: int, login: dict, beheer_token: str) -> None:
    """A hub with wijkkit's roles, groups and login (hubconfig), no spawner needed: nobody here starts a lab."""
    sjablonen = Path(hubconfig.__file__).parent / "sjablonen"
    lines = [
        "c.JupyterHub.ip = '127.0.0.1'", f"c.JupyterHub.port = {port}", "c.JupyterHub.hub_ip = '127.0.0.1'",
        f"c.JupyterHub.hub_port = {port + 1}", f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{port + 2}'",
        f"c.ConfigurableHTTPProxy.command = [{proxy_command()!r}]",
        f"c.ConfigurableHTTPProxy.auth_token = {os.urandom(16).hex()!r}",
        f"c.JupyterHub.db_url = 'sqlite:///{base}/jupyterhub.sqlite'",
        f"c.JupyterHub.cookie_secret = bytes.fromhex({os.urandom(32).hex()!r})",
        f"c.JupyterHub.pid_file = '{base}/jupyterhub.pid'",
        f"c.JupyterHub.template_paths = [{str(sjablonen)!r}]",
        "c.JupyterHub.default_url = '/hub/home'",
        hubconfig.as_python(login),
        f"c.JupyterHub.load_groups = {hubconfig.load_groups(login)!r}",
        f"c.JupyterHub.load_roles = {hubconfig.rol_rollen()!r} + [{{'name': 'proef', 'services': ['proef'], "
        "'scopes': ['list:users', 'read:users', 'read:groups', 'list:groups']}]",
        # the kenniskring page as an external service with its own token, as on Kubernetes
        f"c.JupyterHub.services = [{{'name': 'proef', 'api_token': {beheer_token!r}}}, "
        f"{{**{hubconfig.kenniskring_dienst(f'http://127.0.0.1:{port + 3}')!r}, 'api_token': {os.urandom(16).hex()!r}}}]",
        f"c.Spawner.server_token_scopes = {hubconfig.SERVER_TOKEN_SCOPES!r}",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@contextlib.contextmanager
def hub_met(tmp_path: Path, provider: Provider, rol_claim: str, rol_waarden: dict):
    import requests

    port = free_base_port()
    url = f"http://127.0.0.1:{port}"
    login = hubconfig.oidc_login(authorize_url=f"{provider.url}/authorize", token_url=f"{provider.url}/token",
                                 userdata_url=f"{provider.url}/userinfo", client_id=provider.client_id,
                                 callback_url=f"{url}/hub/oauth_callback", rol_claim=rol_claim,
                                 rol_waarden=rol_waarden)
    token = os.urandom(16).hex()
    config = tmp_path / "jupyterhub_config.py"
    write_config(config, tmp_path, port, login, token)
    log = open(tmp_path / "hub.log", "w")
    # something answers at the service's address, so the hub does not wait for it (the page itself is not tested
    # here: test_server_hub.py does that)
    stand_in = ThreadingHTTPServer(("127.0.0.1", port + 3), StandIn)
    threading.Thread(target=stand_in.serve_forever, daemon=True).start()
    env = {**os.environ, "OAUTH_CLIENT_SECRET": provider.client_secret, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=tmp_path, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 90
        while time.time() < deadline:
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{url}/hub/login", timeout=3).status_code == 200:
                    break
            if proc.poll() is not None:
                raise RuntimeError((tmp_path / "hub.log").read_text()[-3000:])
            time.sleep(0.5)
        else:
            raise TimeoutError((tmp_path / "hub.log").read_text()[-3000:])
        yield url, token
    finally:
        import psutil

        # the hub starts its proxy and the idle culler in sessions of their own and leaves the proxy running when
        # it is killed: whatever it leaves is stopped here too
        below = psutil.Process(proc.pid).children(recursive=True) if proc.poll() is None else []
        proc.terminate()
        try:
            proc.wait(timeout=90)
        except subprocess.TimeoutExpired:
            proc.kill()
        for child in below:
            with contextlib.suppress(psutil.NoSuchProcess):
                child.kill()
        log.close()
        stand_in.shutdown()
        stand_in.server_close()


def inloggen(url: str, provider: Provider, naam: str):
    """Log in as a person would: the hub's login button, the institution, back to the hub."""
    import requests

    provider.volgende = naam
    session = requests.Session()
    response = session.get(f"{url}/hub/oauth_login?next=/hub/home", timeout=30)
    session.headers["X-XSRFToken"] = session.cookies.get("_xsrf", "")
    return session, response


@pytest.fixture
def require_proxy():
    if shutil.which("npm") is None and shutil.which("configurable-http-proxy") is None:
        require("WIJKKIT_REQUIRE_HUB", "geen npm of configurable-http-proxy")


def test_surfconext_groups_give_roles_and_a_gast_is_refused_what_a_gast_may_not_do(tmp_path, require_proxy):
    import requests

    mensen = {naam: dict(claims) for naam, claims in MENSEN.items()}
    with Provider(mensen, client_id="wijkkit-test", client_secret=os.urandom(8).hex()) as provider, \
            hub_met(tmp_path, provider, "eduperson_entitlement", ROL_WAARDEN) as (url, token):
        sessions = {}
        for naam in ("anna", "bart", "gina"):
            session, response = inloggen(url, provider, naam)
            assert response.status_code == 200 and response.url.endswith("/hub/home"), response.text[:300]
            sessions[naam] = session
        admin = {"Authorization": f"token {token}"}
        groups = {g["name"]: sorted(g["users"]) for g in
                  requests.get(f"{url}/hub/api/groups", headers=admin, timeout=30).json()}
        assert groups == {"coordinator": ["anna"], "codeur": ["bart"], "gast": ["gina"]}

        gina = sessions["gina"]
        assert gina.get(f"{url}/hub/api/user", timeout=30).json()["groups"] == ["gast"]
        # no lab of her own, nobody else's, no list of people, no admin page, no token to try it later
        assert gina.post(f"{url}/hub/api/users/gina/server", timeout=30).status_code == 403
        assert gina.get(f"{url}/hub/api/users", timeout=30).status_code == 403
        assert gina.get(f"{url}/hub/api/users/anna", timeout=30).status_code in (403, 404)
        assert gina.post(f"{url}/hub/api/users/gina/tokens", json={"note": "x"}, timeout=30).status_code == 403
        assert gina.get(f"{url}/hub/admin", timeout=30).status_code == 403
        assert gina.get(f"{url}/hub/spawn", timeout=30).status_code == 403
        # the kenniskring page is hers to open: the hub lets her through to the service's login
        response = gina.get(f"{url}/hub/api/oauth2/authorize?client_id=service-kenniskring&response_type=code"
                            f"&redirect_uri=/services/kenniskring/oauth_callback&state=x", timeout=30,
                            allow_redirects=False)
        assert response.status_code == 302 and "/services/kenniskring/oauth_callback?code=" in \
            response.headers["location"], response.text[-1500:]
        # a codeur may start a lab of their own (the request is accepted; no spawner runs one here)
        assert sessions["bart"].post(f"{url}/hub/api/users/bart/tokens", json={"note": "x"},
                                     timeout=30).status_code in (200, 201)

        # someone the institution knows but with none of the project's groups: refused, in Dutch
        session, response = inloggen(url, provider, "otto")
        assert response.status_code == 403
        assert "geen rol op deze teamserver" in response.text
        assert session.get(f"{url}/hub/api/user", timeout=30).status_code == 403

        # out of the group at the institution: at the next login out of the role
        mensen["bart"] = {"eduperson_entitlement": [f"{SURF}:kenniskring"]}
        inloggen(url, provider, "bart")
        groups = {g["name"]: sorted(g["users"]) for g in
                  requests.get(f"{url}/hub/api/groups", headers=admin, timeout=30).json()}
        assert groups["codeur"] == [] and groups["gast"] == ["bart", "gina"]


def test_entra_id_groups_in_the_id_token_give_a_role(tmp_path, require_proxy):
    import requests

    with Provider(ENTRA, client_id="wijkkit-entra", client_secret=os.urandom(8).hex(),
                  alleen_id_token=("groups",)) as provider, \
            hub_met(tmp_path, provider, "groups", ENTRA_WAARDEN) as (url, token):
        session, response = inloggen(url, provider, "e.de.vries@gemeente.nl")
        assert response.status_code == 200, response.text[:300]
        user = session.get(f"{url}/hub/api/user", timeout=30).json()
        assert user["name"] == "e-de-vries-gemeente-nl" and user["groups"] == ["codeur"]
        assert requests.get(f"{url}/hub/api/groups/codeur", headers={"Authorization": f"token {token}"},
                            timeout=30).json()["users"] == ["e-de-vries-gemeente-nl"]
