"""The team server on Kubernetes (Zero to JupyterHub), tested without a cluster.

What decides the cluster's behaviour is run here: the chart's schema on our merged values, the chart's own
jupyterhub_config.py through JupyterHub's startup (no port opened), and KubeSpawner's pod for each role. What
only a cluster shows (scheduling, the NetworkPolicy enforced by the CNI, the volumes' real permissions, image
pulls) is listed in the README, 'Op Kubernetes'.
"""

from __future__ import annotations

import asyncio
import copy
import re
from pathlib import Path

import pytest
import yaml

from tests.conftest import ROOT
from tests.z2jh_chart import KUBECONFIG, POD_ENV, chart_map, hub_pod, merged_values
from wijkkit.notebooks import KENNISKRING
from wijkkit.server import hubconfig, kube, z2jh
from wijkkit.server.rollen import DIENST, HUB_SCOPES

DEPLOY = ROOT / "deploy"


@pytest.fixture(scope="module")
def ours() -> dict:
    return z2jh.values(z2jh.Kubernetes.lees(DEPLOY / "z2jh.toml"))


# ------------------------------------------------------------------------------ one source, no drift
def test_the_committed_deploy_files_are_what_z2jh_toml_generates():
    generated = z2jh.bestanden(z2jh.Kubernetes.lees(DEPLOY / "z2jh.toml"), "deploy/z2jh.toml")
    for name, text in generated.items():
        assert (DEPLOY / name).read_text(encoding="utf-8") == text, \
            f"deploy/{name} is niet bijgewerkt: draai 'wijkkit server z2jh'"


def test_one_machine_and_kubernetes_give_the_same_roles_groups_and_login(tmp_path, ours):
    from types import SimpleNamespace

    from wijkkit.server import opzet

    server, runtime = opzet.ServerMap(tmp_path / "server"), opzet.Runtime(tmp_path / "runtime")
    server.geheimen.mkdir(parents=True)
    (server.geheimen / "beheer_token").write_text("t")
    project = SimpleNamespace(root=tmp_path / "project")
    settings = opzet._hub_settings(server, runtime, project, 8000)
    c = {}

    class Section(dict):
        def __getattr__(self, name):
            return self.setdefault(name, Section()) if name[:1].isupper() else self[name]

        def __setattr__(self, name, value):
            self[name] = value

    namespace = {"c": Section(), "Path": Path}
    exec("\n".join(f"c.JupyterHub.{k} = {settings[k]}" for k in ("load_groups", "load_roles", "services"))
         + "\n" + settings["login"] + f"\nc.Spawner.server_token_scopes = {settings['token_scopes']}", namespace)
    c = namespace["c"]
    one_machine_roles = {r["name"]: {k: v for k, v in r.items() if k != "name"} for r in c.JupyterHub.load_roles}
    for name, role in ours["hub"]["loadRoles"].items():
        assert one_machine_roles[name] == role
    assert one_machine_roles["wijkkit-coordinator"]["scopes"] == HUB_SCOPES["coordinator"]
    assert set(c.JupyterHub.load_groups) == set(ours["hub"]["config"]["JupyterHub"]["load_groups"])
    for section in ("NativeAuthenticator",):
        assert dict(c[section]) == ours["hub"]["config"][section]
    assert c.JupyterHub.authenticator_class == ours["hub"]["config"]["JupyterHub"]["authenticator_class"]
    assert c.Spawner.server_token_scopes == ours["hub"]["config"]["Spawner"]["server_token_scopes"]
    kenniskring = next(s for s in c.JupyterHub.services if s["name"] == DIENST)
    for key, value in ours["hub"]["services"][DIENST].items():
        if key != "url":
            assert kenniskring[key] == value


def _oidc_toml(tmp_path) -> Path:
    settings = (DEPLOY / "z2jh.toml").read_text(encoding="utf-8").replace('soort = "native"', '''soort = "oidc"
authorize_url = "https://connect.surfconext.nl/oidc/authorize"
token_url = "https://connect.surfconext.nl/oidc/token"
userdata_url = "https://connect.surfconext.nl/oidc/userinfo"
client_id = "wijkkit.example.nl"
rol_claim = "eduperson_entitlement"
rol_waarden = {coordinator = ["urn:mace:surf.nl:sram:group:hva:wijkkit:coordinatoren"], codeur = ["urn:mace:surf.nl:sram:group:hva:wijkkit:codeurs"]}''')
    (tmp_path / "z2jh.toml").write_text(settings, encoding="utf-8")
    return tmp_path / "z2jh.toml"


def test_oidc_login_comes_from_the_same_place_for_both_engines(tmp_path):
    values = z2jh.values(z2jh.Kubernetes.lees(_oidc_toml(tmp_path)))
    config = values["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == "wijkkit.server.oidc.WijkkitOIDCAuthenticator"
    assert config["WijkkitOIDCAuthenticator"]["oauth_callback_url"] == "https://wijkkit.example.nl/hub/oauth_callback"
    assert config["WijkkitOIDCAuthenticator"]["rol_waarden"]["gast"] == []
    assert config["JupyterHub"]["load_groups"] == {}  # the claim decides (JupyterHub refuses both)
    assert config["WijkkitOIDCAuthenticator"]["manage_groups"] is True


def test_an_unknown_setting_in_z2jh_toml_is_named(tmp_path):
    from wijkkit.errors import WijkkitInputError

    (tmp_path / "z2jh.toml").write_text('postgres_wachtwoord = "x"\n' + (DEPLOY / "z2jh.toml").read_text())
    with pytest.raises(WijkkitInputError, match="postgres_wachtwoord"):
        z2jh.Kubernetes.lees(tmp_path / "z2jh.toml")


# ------------------------------------------------------------------------------------- the chart itself
@pytest.mark.z2jh
def test_the_merged_values_pass_the_chart_schema_and_a_typo_does_not(ours):
    import jsonschema

    chart = chart_map()
    schema = yaml.safe_load((chart / "values.schema.yaml").read_text(encoding="utf-8"))
    merged = merged_values(chart, ours)
    jsonschema.validate(merged, schema)
    wrong = copy.deepcopy(merged)
    wrong["singleuser"]["storage"]["extraVolumeMount"] = wrong["singleuser"]["storage"].pop("extraVolumeMounts")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(wrong, schema)


@pytest.mark.z2jh
def test_the_hub_image_of_the_pinned_chart_runs_the_jupyterhub_the_lab_pins():
    chart = chart_map()
    app_version = yaml.safe_load((chart / "Chart.yaml").read_text())["appVersion"]
    assert app_version == z2jh.JUPYTERHUB_VERSIE
    hub_pins = dict(re.findall(r"^([a-z0-9_.-]+)==(\S+)", (chart / "images/hub/requirements.txt").read_text(), re.M))
    assert hub_pins["jupyterhub"] == z2jh.JUPYTERHUB_VERSIE
    lab = (DEPLOY / "lab" / "requirements.txt").read_text()
    assert f"jupyterhub=={z2jh.JUPYTERHUB_VERSIE}" in lab.split()
    hub_dockerfile = (DEPLOY / "hub" / "Dockerfile").read_text()
    assert f"FROM {z2jh.HUB_IMAGE}:{z2jh.CHART_VERSIE}" in hub_dockerfile


async def _start_hub(tmp_path: Path, values: dict):
    """The chart's jupyterhub_config.py with our values, through JupyterHub's initialize (no port opened)."""
    from jupyterhub.app import JupyterHub

    config_file = hub_pod(chart_map(), values, tmp_path / "hubpod")
    app = JupyterHub(config_file=str(config_file))
    await app.initialize([])
    return app


def _add_user(app, name: str):
    """A user as the hub makes one at the first login: the default role (gast), no group yet."""
    from jupyterhub import orm, roles

    orm_user = orm.User(name=name)
    app.db.add(orm_user)
    app.db.commit()
    roles.assign_default_roles(app.db, entity=orm_user)
    return app.users.add(orm_user)


@pytest.fixture
def pod_env(tmp_path, monkeypatch):
    (tmp_path / "kubeconfig").write_text(KUBECONFIG)
    monkeypatch.setenv("KUBECONFIG", str(tmp_path / "kubeconfig"))
    for key, value in POD_ENV.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("WIJKKIT_PG_BEHEER_URL", "postgresql://beheer@10.20.0.5/wijkkit_overvecht")
    monkeypatch.chdir(tmp_path)  # the hub's sqlite-pvc database lands here


@pytest.mark.z2jh
def test_the_chart_config_starts_a_hub_with_our_services_roles_scopes_groups_and_admins(tmp_path, pod_env, ours):
    from jupyterhub import orm
    from jupyterhub.scopes import get_scopes_for

    chart = chart_map()
    values = merged_values(chart, ours)

    async def scenario():
        app = await _start_hub(tmp_path, values)
        try:
            services = {s.name: s for s in app.db.query(orm.Service)}
            assert set(services) == {DIENST, hubconfig.BEHEER, "jupyterhub-idle-culler"}
            kenniskring = app._service_map[DIENST]
            assert kenniskring.url == f"http://{DIENST}:{hubconfig.KENNISKRING_POORT}"
            assert kenniskring.oauth_no_confirm and kenniskring.oauth_available
            roles = {r.name: sorted(r.scopes) for r in app.db.query(orm.Role)}
            for name in ("codeur", "coordinator"):
                assert roles[f"wijkkit-{name}"] == sorted(HUB_SCOPES[name])
            assert roles["user"] == sorted(HUB_SCOPES["gast"])
            groups = {g.name: [u.name for u in g.users] for g in app.db.query(orm.Group)}
            assert groups == {"coordinator": [], "codeur": [], "gast": []}
            assert not app.db.query(orm.User).filter(orm.User.admin).count()  # coördinatoren are no hub admins
            assert app.authenticator.enable_signup is False
            assert app.config.Spawner.server_token_scopes == ["inherit"]
            assert type(app.authenticator).__name__ == "WijkkitAuthenticator"
            assert app.spawner_class.__name__ == "KubeSpawner"
            # a gast (the default role) may open the kenniskring page and nothing of anyone's lab
            scopes = get_scopes_for(_add_user(app, "gast1").orm_user)
            assert f"access:services!service={DIENST}" in scopes
            assert not any(s.startswith(("servers", "access:servers", "admin", "users")) for s in scopes), scopes
        finally:
            app.db.close()

    asyncio.run(scenario())


@pytest.mark.z2jh
def test_the_chart_config_starts_a_hub_with_institutional_login(tmp_path, pod_env, monkeypatch):
    from jupyterhub import orm

    monkeypatch.setenv("OAUTH_CLIENT_SECRET", "geheim")
    values = merged_values(chart_map(), z2jh.values(z2jh.Kubernetes.lees(_oidc_toml(tmp_path))))

    async def scenario():
        app = await _start_hub(tmp_path, values)
        try:
            assert type(app.authenticator).__name__ == "WijkkitOIDCAuthenticator"
            assert app.authenticator.manage_groups and app.authenticator.rol_claim == "eduperson_entitlement"
            # the groups exist (made by the roles); the institution's claim fills them at each login
            assert {g.name for g in app.db.query(orm.Group)} == {"codeur", "coordinator"}
        finally:
            app.db.close()

    asyncio.run(scenario())


def test_a_member_pod_reads_its_own_store_url_not_the_shared_file(demo_project, monkeypatch):
    from wijkkit.config import Project

    url = "postgresql+psycopg://wk-anna@10.20.0.5:5432/wijkkit_overvecht?sslmode=require"
    monkeypatch.setenv("WIJKKIT_STORE_URL", url)
    assert Project.load(demo_project).config.store.url == url
    monkeypatch.delenv("WIJKKIT_STORE_URL")
    assert Project.load(demo_project).config.store.url.startswith("sqlite")


# ----------------------------------------------------------------------------------------- the pods
class FakeCoreV1:
    """Records what the hook asks of the Kubernetes API (nothing is sent)."""

    def __init__(self):
        self.secrets = {}

    async def delete_namespaced_secret(self, name, namespace):
        from kubernetes_asyncio.client.rest import ApiException

        if name not in self.secrets:
            raise ApiException(status=404)
        del self.secrets[name]

    async def create_namespaced_secret(self, namespace, body):
        self.secrets[body["metadata"]["name"]] = body


def _by(items, key):
    return {(item[key] if isinstance(item, dict) else getattr(item, key)): item for item in items}


@pytest.mark.z2jh
def test_kubespawner_gives_each_role_its_pod(tmp_path, pod_env, ours):
    from jupyterhub import orm
    from jupyterhub.traitlets import ByteSpecification
    from kubernetes_asyncio.client import ApiClient
    from tornado import web

    chart = chart_map()
    values = merged_values(chart, ours)
    sql_sent = []

    async def scenario():
        app = await _start_hub(tmp_path, values)
        try:
            for name, group in (("anna", "coordinator"), ("bart", "codeur"), ("gina", None)):
                user = _add_user(app, name)
                if group:
                    orm_group = orm.Group.find(app.db, group)  # held: SQLAlchemy 2.0 drops an unreferenced parent
                    orm_group.users.append(user.orm_user)
            app.db.commit()
            pods = {}
            for name in ("anna", "bart", "gina"):
                spawner = app.users[name].spawner
                fake = FakeCoreV1()
                spawner.api = fake
                spawner.pre_spawn_hook.keywords["sql"] = lambda url, sql: sql_sent.append((url, sql))
                if name == "gina":
                    with pytest.raises(web.HTTPError) as refused:
                        await spawner.run_pre_spawn_hook()
                    assert refused.value.status_code == 403
                    continue
                await spawner.run_pre_spawn_hook()
                spawner.api_token = "token"
                pod = ApiClient().sanitize_for_serialization(await spawner.get_pod_manifest())
                pods[name] = (pod, fake.secrets)
            return pods
        finally:
            app.db.close()

    pods = asyncio.run(scenario())
    assert set(pods) == {"anna", "bart"}
    for name, role in (("anna", "coordinator"), ("bart", "codeur")):
        pod, secrets = pods[name]
        container = pod["spec"]["containers"][0]
        env = _by(container["env"], "name")
        mounts = _by(container["volumeMounts"], "mountPath")
        volumes = _by(pod["spec"]["volumes"], "name")
        # who they are in the store: their own role, the password from their own Secret, never in the pod spec
        assert env["WIJKKIT_STORE_URL"]["value"].startswith(f"postgresql+psycopg://wk-{name}@10.20.0.5:5432/")
        assert env["PGPASSWORD"]["valueFrom"]["secretKeyRef"] == {"name": f"wijkkit-pg-{name}", "key": "wachtwoord"}
        assert set(secrets) == {f"wijkkit-pg-{name}"}
        password = secrets[f"wijkkit-pg-{name}"]["stringData"]["wachtwoord"]
        assert len(password) >= 32 and password not in str(pod)
        sql = next(s for url, s in sql_sent if f'"wk-{name}"' in s)
        assert f'GRANT "wijkkit_overvecht_{role}" TO "wk-{name}"' in sql and password in sql
        assert env["WIJKKIT_ROL"]["value"] == role and env["WIJKKIT_PROJECT"]["value"] == z2jh.PROJECT
        # the project: writable for the coördinator only; reports and cache writable for both
        assert mounts[z2jh.PROJECT].get("readOnly", False) is (role != "coordinator")
        for sub in z2jh.SCHRIJFBAAR:
            assert not mounts.get(f"{z2jh.PROJECT}/{sub}", {}).get("readOnly", False)
        assert volumes["project"]["persistentVolumeClaim"]["claimName"] == z2jh.PROJECT_CLAIM
        # the key of the originals: the coördinator's pod only
        assert (z2jh.SLEUTEL in mounts) is (role == "coordinator")
        assert ("sleutel" in volumes) is (role == "coordinator")
        assert ("WIJKKIT_KEY_DIR" in env) is (role == "coordinator")
        # not root, no privilege escalation, limits
        assert container["securityContext"]["runAsUser"] == ours["singleuser"]["uid"] != 0
        assert container["securityContext"]["allowPrivilegeEscalation"] is False
        assert pod["spec"]["securityContext"]["fsGroup"] == ours["singleuser"]["fsGid"]
        assert container["resources"]["limits"]["memory"] == ByteSpecification().validate(None, 
            ours["singleuser"]["memory"]["limit"])
        assert container["resources"]["requests"]["memory"] == ByteSpecification().validate(None, 
            ours["singleuser"]["memory"]["guarantee"])
        assert container["lifecycle"]["postStart"]["exec"]["command"][-1] == "notebooks"
        assert container["args"][0] == "jupyterhub-singleuser"
        assert env["JUPYTERHUB_DEFAULT_URL"]["value"] == hubconfig.STANDAARD_URL


# ------------------------------------------------------------------------- the kenniskring service
def test_the_kenniskring_service_is_reachable_by_the_proxy_and_reaches_only_hub_and_postgres(ours):
    documents = list(yaml.safe_load_all((DEPLOY / "kenniskring.yaml").read_text()))
    kinds = {d["kind"]: d for d in documents}
    service, deployment, policy = kinds["Service"], kinds["Deployment"], kinds["NetworkPolicy"]
    url = ours["hub"]["services"][DIENST]["url"]
    assert url == f"http://{service['metadata']['name']}:{service['spec']['ports'][0]['port']}"
    pod = deployment["spec"]["template"]
    container = pod["spec"]["containers"][0]
    assert f"--port={service['spec']['ports'][0]['targetPort']}" in container["command"]
    assert "--ip=0.0.0.0" in container["command"]  # a proxy pod cannot reach 127.0.0.1 of another pod
    assert pod["metadata"]["labels"]["hub.jupyter.org/network-access-hub"] == "true"
    env = _by(container["env"], "name")
    assert env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"]["key"] == f"hub.services.{DIENST}.apiToken"
    assert env["JUPYTERHUB_SERVICE_PREFIX"]["value"] == f"/services/{DIENST}/"
    # the proxy's egress allows exactly this pod and port; the page's ingress allows only the proxy
    proxy_egress = ours["proxy"]["chp"]["networkPolicy"]["egress"][0]
    assert proxy_egress["to"][0]["podSelector"]["matchLabels"].items() <= pod["metadata"]["labels"].items()
    assert proxy_egress["ports"][0]["port"] == service["spec"]["ports"][0]["targetPort"]
    assert policy["spec"]["ingress"][0]["from"] == [{"podSelector": {"matchLabels": {
        "app.kubernetes.io/component": "proxy"}}}]
    cidrs = [to["ipBlock"]["cidr"] for rule in policy["spec"]["egress"] for to in rule.get("to", []) if "ipBlock" in to]
    assert cidrs == ["10.20.0.5/32"]
    mounts = _by(container["volumeMounts"], "mountPath")
    assert mounts[z2jh.PROJECT]["readOnly"] is True


def test_labs_may_reach_postgres_and_nothing_else_outside(ours):
    policy = ours["singleuser"]["networkPolicy"]
    allow = policy["egressAllowRules"]
    assert not allow["nonPrivateIPs"] and not allow["privateIPs"] and not allow["cloudMetadataServer"]
    assert policy["egress"] == [{"to": [{"ipBlock": {"cidr": "10.20.0.5/32"}}], "ports": [{"port": 5432,
                                                                                             "protocol": "TCP"}]}]
    assert ours["hub"]["networkPolicy"]["egress"] == policy["egress"]  # the hub makes each member's role


# ---------------------------------------------------------------------------------------- the images
def test_the_dockerfiles_pin_their_base_and_reap_kernels():
    lab = (DEPLOY / "lab" / "Dockerfile").read_text()
    hub = (DEPLOY / "hub" / "Dockerfile").read_text()
    base = re.search(r"^FROM (\S+)", lab, re.M).group(1)
    assert re.fullmatch(r"[\w./-]+:[\w.-]+@sha256:[0-9a-f]{64}", base), base
    assert re.search(r'ENTRYPOINT \["tini", "--"\]', lab)
    assert re.search(r"\btini\b", lab.split("ENTRYPOINT")[0])
    assert "postgresql-client" in lab and "bookworm" not in base  # Debian 13's client (17) dumps PostgreSQL 16 and 17
    assert re.search(r"^USER 1000", lab, re.M)
    assert f"FROM {z2jh.HUB_IMAGE}:{z2jh.CHART_VERSIE}" in hub
    assert (ROOT / ".dockerignore").exists()
    ignored = (ROOT / ".dockerignore").read_text().split()
    for name in (".venv", ".git", "*.db", ".wijkkit-cache"):
        assert name in ignored


def test_the_lab_image_requirements_resolve_against_the_constraints(tmp_path):
    """pip's resolver on the image's requirements with constraints.txt (PyPI; no install)."""
    import json
    import subprocess
    import sys

    constraints = tmp_path / "constraints.txt"
    # the lab runs the hub's JupyterHub major (5.x): the image replaces that one pin, as its Dockerfile does
    constraints.write_text("".join(line for line in (ROOT / "constraints.txt").read_text().splitlines(True)
                                   if not line.startswith("jupyterhub==")))
    report = tmp_path / "report.json"
    result = subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--quiet", "--ignore-installed",
                             "--report", str(report), "-c", str(constraints), "-r",
                             str(DEPLOY / "lab" / "requirements.txt"), "."],
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    installed = {i["metadata"]["name"].lower(): i["metadata"]["version"] for i in json.loads(report.read_text())["install"]}
    assert installed["jupyterhub"] == z2jh.JUPYTERHUB_VERSIE
    pins = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", constraints.read_text(), re.M))
    for name in ("pandas", "voila", "jupyterlab", "psycopg", "sqlalchemy"):
        key = next(k for k in pins if k.lower() == name)
        assert installed[name] == pins[key]


def test_the_templates_are_copied_into_a_home_without_overwriting_a_members_own(tmp_path):
    bron = ROOT / "notebooks"
    thuis = tmp_path / "jovyan"
    thuis.mkdir()
    (thuis / "notebooks").mkdir()
    eigen = thuis / "notebooks" / KENNISKRING
    eigen.write_text("mijn eigen versie")
    copied = kube.kopieer_notebooks(bron, thuis)
    templates = sorted(p.name for p in bron.glob("*.ipynb"))
    assert sorted(p.name for p in (thuis / "notebooks").glob("*.ipynb")) == templates
    assert eigen.read_text() == "mijn eigen versie" and eigen not in copied
    assert len(copied) == len(templates) - 1


@pytest.mark.z2jh
def test_what_the_hub_image_imports_of_wijkkit_is_in_the_chart_hub_image():
    """The hub image installs wijkkit without its dependencies: every package the hub-side modules import
    (at the top or inside a function) must be in the chart's hub image, or installed by deploy/hub/Dockerfile."""
    import ast
    import sys

    chart = chart_map()
    pins = {name.lower().replace("_", "-") for name in
            re.findall(r"^([A-Za-z0-9_.-]+)==", (chart / "images/hub/requirements.txt").read_text(), re.M)}
    pins |= {m.lower() for m in re.findall(r'"([a-z0-9_-]+)(?:\[[a-z]+\])?==', (DEPLOY / "hub" / "Dockerfile").read_text())}
    dist = {"nativeauthenticator": "jupyterhub-nativeauthenticator", "kubernetes_asyncio": "kubernetes-asyncio",
            "yaml": "pyyaml", "kubespawner": "jupyterhub-kubespawner"}
    hub_side = ["authenticator", "oidc", "kube", "hubconfig", "rollen", "spawner"]
    seen, missing = set(), set()
    for module in hub_side:
        tree = ast.parse((ROOT / "wijkkit" / "server" / f"{module}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in sys.stdlib_module_names or top == "wijkkit":
                    continue
                seen.add(top)
                if dist.get(top, top).replace("_", "-") not in pins:
                    missing.add(top)
    assert {"jupyterhub", "oauthenticator", "psycopg"} <= seen
    assert not missing, f"niet in het hub-image: {sorted(missing)}"


@pytest.mark.z2jh
def test_the_chart_config_and_the_pods_hold_with_the_hub_images_own_jupyterhub():
    """The tests above run with this environment's JupyterHub (that of the one-machine server); the hub image
    runs the chart's. The same tests again in a venv of the hub image's frozen requirements."""
    import os
    import subprocess

    from tests.z2jh_chart import hub_image_python

    if os.environ.get("WIJKKIT_IN_HUB_IMAGE_VENV"):
        pytest.skip("draait al in de omgeving van het hub-image")
    chart = chart_map()
    python = hub_image_python(chart)
    version = subprocess.run([str(python), "-c", "import jupyterhub; print(jupyterhub.__version__)"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == z2jh.JUPYTERHUB_VERSIE
    result = subprocess.run([str(python), "-m", "pytest", "-q", "-p", "no:cacheprovider", __file__, "-k",
                             "chart_config or kubespawner"], cwd=ROOT, capture_output=True, text=True, timeout=900,
                            env={**os.environ, "WIJKKIT_IN_HUB_IMAGE_VENV": "1", "WIJKKIT_Z2JH_CHART": str(chart)})
    assert result.returncode == 0 and re.search(r"^3 passed", result.stdout, re.M), result.stdout[-3000:]
