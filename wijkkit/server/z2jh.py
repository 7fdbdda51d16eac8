"""The team server on Kubernetes: Zero to JupyterHub values and the manifests beside them, generated.

``wijkkit server z2jh --instellingen deploy/z2jh.toml --uit deploy/`` writes three files from one small TOML
(host names, images, the external PostgreSQL, login):

- ``values.yaml``: the values for the chart ``jupyterhub/jupyterhub`` at :data:`CHART_VERSIE`. The roles,
  groups, scopes, services and login settings come from :mod:`wijkkit.server.hubconfig`, the module the
  one-machine server writes its ``jupyterhub_config.py`` from, so the two cannot drift;
- ``kenniskring.yaml``: the kenniskring page as an external hub service (the chart's services pattern): a
  Deployment, a Service and a NetworkPolicy that lets only the proxy in;
- ``project.yaml``: the ReadWriteMany claim of the shared project folder.

What differs per role on Kubernetes (the key of the originals, a writable project) is data under
``custom.wijkkit.rollen``; :mod:`wijkkit.server.kube` applies it in the hub when a lab starts, together with
the member's own PostgreSQL role and its Secret.
"""

from __future__ import annotations

import tomllib
from dataclasses import MISSING, dataclass, field
from pathlib import Path

import yaml

from wijkkit.errors import Probleem, WijkkitInputError
from wijkkit.server import hubconfig
from wijkkit.server.rollen import DIENST, ROLLEN

CHART = "jupyterhub/jupyterhub"
CHART_REPO = "https://hub.jupyter.org/helm-chart/"
CHART_VERSIE = "4.4.0"  # runs JupyterHub 5.5.0: the lab image pins the same major (deploy/lab/requirements.txt)
JUPYTERHUB_VERSIE = "5.5.0"
HUB_IMAGE = "quay.io/jupyterhub/k8s-hub"  # deploy/hub/Dockerfile builds FROM this at CHART_VERSIE

PROJECT = "/srv/project"  # the shared project folder in every pod
SLEUTEL = "/etc/wijkkit/sleutel"  # the key of the originals: coördinatoren only
PROJECT_CLAIM = "wijkkit-project"
SLEUTEL_SECRET = "wijkkit-sleutel"
POSTGRES_SECRET = "wijkkit-postgres"  # beheer-url (hub) and kenniskring-wachtwoord (the service)
SCHRIJFBAAR = ("reports",)  # what every member writes in the project (as on one machine)
CACHE = "/home/jovyan/.cache/wijkkit"  # each pod computes into a cache of its own (as on one machine)
EXTRA_CONFIG = 'from wijkkit.server import kube\nkube.configure(c, get_config("custom.wijkkit"))\n'
KENNISKRING_LABELS = {"app.kubernetes.io/name": "wijkkit", "app.kubernetes.io/component": "wijkkit-kenniskring"}


@dataclass
class Kubernetes:
    """What differs per installation (deploy/z2jh.toml); the rest follows from wijkkit."""

    host: str
    hub_image: str
    lab_image: str
    tag: str
    postgres_host: str
    postgres_cidr: str
    database: str
    postgres_poort: int = 5432
    postgres_sslmode: str = "require"
    login: dict = field(default_factory=lambda: {"soort": "native"})
    geheugen: str = "2G"
    geheugen_garantie: str = "1G"
    cpu: float = 2.0
    cpu_garantie: float = 0.25
    opslag: str = "2Gi"
    project_opslag: str = "20Gi"
    storage_class: str = ""

    @classmethod
    def lees(cls, path: Path) -> "Kubernetes":
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise WijkkitInputError(Probleem(str(path), "een leesbaar TOML-bestand met de instellingen voor "
                                             "Kubernetes", gevonden=str(exc))) from None
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(data) - known)
        missing = sorted(n for n, f in cls.__dataclass_fields__.items()
                         if n not in data and f.default is MISSING and f.default_factory is MISSING)
        if unknown or missing:
            raise WijkkitInputError(Probleem(str(path), "de velden " + ", ".join(sorted(known)),
                                             gevonden="onbekend: " + ", ".join(unknown) if unknown
                                             else "ontbreekt: " + ", ".join(missing)))
        return cls(**data)

    @property
    def lab_uid(self) -> int:
        return 1000


def store_url(k: Kubernetes, rol: str) -> str:
    """A member's store URL: their own role, the password from PGPASSWORD (a Secret), never in the URL."""
    return (f"postgresql+psycopg://{rol}@{k.postgres_host}:{k.postgres_poort}/{k.database}"
            f"?sslmode={k.postgres_sslmode}")


def _postgres_egress(k: Kubernetes) -> list[dict]:
    return [{"to": [{"ipBlock": {"cidr": k.postgres_cidr}}], "ports": [{"port": k.postgres_poort, "protocol": "TCP"}]}]


def _login(k: Kubernetes) -> dict:
    return hubconfig.login_settings(k.login, f"https://{k.host}/hub/oauth_callback")


def _project_mounts(*, alleen_lezen: bool) -> list[dict]:
    """The project read-only (or not), its shared output folders always writable."""
    mounts = [{"name": "project", "mountPath": PROJECT, "readOnly": alleen_lezen}]
    if alleen_lezen:
        mounts += [{"name": "project", "mountPath": f"{PROJECT}/{sub}", "subPath": sub} for sub in SCHRIJFBAAR]
    return mounts


def rol_overrides() -> dict:
    """Per role what a lab gets beyond the common settings (KubeSpawner trait names; lists are added, a mount
    with the same mountPath replaces the common one). A gast has no lab."""
    return {
        "coordinator": {
            "volumes": [{"name": "sleutel", "secret": {"secretName": SLEUTEL_SECRET, "defaultMode": 0o440}}],
            "volume_mounts": [*_project_mounts(alleen_lezen=False),
                              {"name": "sleutel", "mountPath": SLEUTEL, "readOnly": True}],
            "environment": {"WIJKKIT_KEY_DIR": SLEUTEL},
        },
        "codeur": {},
        "gast": None,
    }


def values(k: Kubernetes) -> dict:
    """The chart's values for this installation (only what differs from the chart's defaults)."""
    login = _login(k)
    config = {**login, "JupyterHub": {**login.get("JupyterHub", {}), "default_url": "/hub/home",
                                      "load_groups": hubconfig.load_groups(login)},
              "Spawner": {"server_token_scopes": hubconfig.SERVER_TOKEN_SCOPES}}
    roles = {r["name"]: {n: v for n, v in r.items() if n != "name"}
             for r in hubconfig.rol_rollen() + hubconfig.dienst_rollen()
             if hubconfig.OPRUIMER not in r.get("services", [])}  # the chart runs its own culler
    dienst = hubconfig.kenniskring_dienst(f"http://{DIENST}:{hubconfig.KENNISKRING_POORT}")
    hub_image, hub_tag = k.hub_image, k.tag
    return {
        "hub": {
            "image": {"name": hub_image, "tag": hub_tag},
            "config": config,
            "loadRoles": roles,
            "services": {DIENST: {n: v for n, v in dienst.items() if n != "name"}, hubconfig.BEHEER: {}},
            "db": {"type": "sqlite-pvc"},
            "extraEnv": {"WIJKKIT_PG_BEHEER_URL": {"valueFrom": {"secretKeyRef": {"name": POSTGRES_SECRET,
                                                                                  "key": "beheer-url"}}}},
            "extraConfig": {"wijkkit": EXTRA_CONFIG},
            "networkPolicy": {"egress": _postgres_egress(k)},
        },
        "proxy": {
            "https": {"enabled": True, "hosts": [k.host], "letsencrypt": {"contactEmail": f"beheer@{k.host}"}},
            "chp": {"networkPolicy": {"egress": [{"to": [{"podSelector": {"matchLabels": KENNISKRING_LABELS}}],
                                                  "ports": [{"port": hubconfig.KENNISKRING_POORT,
                                                             "protocol": "TCP"}]}]}},
        },
        "singleuser": {
            "image": {"name": k.lab_image, "tag": k.tag, "pullPolicy": "IfNotPresent"},
            "cmd": "jupyterhub-singleuser",
            "defaultUrl": hubconfig.STANDAARD_URL,
            "uid": k.lab_uid,
            "fsGid": 100,
            "allowPrivilegeEscalation": False,
            "memory": {"limit": k.geheugen, "guarantee": k.geheugen_garantie},
            "cpu": {"limit": k.cpu, "guarantee": k.cpu_garantie},
            "storage": {"type": "dynamic", "capacity": k.opslag,
                        "extraVolumes": [{"name": "project", "persistentVolumeClaim": {"claimName": PROJECT_CLAIM}}],
                        "extraVolumeMounts": _project_mounts(alleen_lezen=True)},
            "extraEnv": {"WIJKKIT_PROJECT": PROJECT, "WIJKKIT_CACHE": CACHE},
            "lifecycleHooks": {"postStart": {"exec": {"command": ["python", "-m", "wijkkit.server.kube",
                                                                  "notebooks"]}}},
            "networkPolicy": {"egressAllowRules": {"cloudMetadataServer": False, "dnsPortsCloudMetadataServer": True,
                                                   "dnsPortsKubeSystemNamespace": True, "dnsPortsPrivateIPs": True,
                                                   "nonPrivateIPs": False, "privateIPs": False},
                              "egress": _postgres_egress(k)},
        },
        "cull": {"enabled": True, "timeout": hubconfig.CULL_TIMEOUT, "every": 300, "users": False},
        "custom": {"wijkkit": {
            "database": {"host": k.postgres_host, "poort": k.postgres_poort, "naam": k.database,
                         "sslmode": k.postgres_sslmode},
            "rollen": rol_overrides(),
        }},
    }


def kenniskring_manifests(k: Kubernetes) -> list[dict]:
    """The kenniskring page as an external hub service: Deployment, Service and NetworkPolicy."""
    poort = hubconfig.KENNISKRING_POORT
    prefix = f"/services/{DIENST}/"
    env = {
        "JUPYTERHUB_SERVICE_NAME": DIENST, "JUPYTERHUB_CLIENT_ID": f"service-{DIENST}",
        "JUPYTERHUB_API_URL": "http://hub:8081/hub/api", "JUPYTERHUB_BASE_URL": "/",
        "JUPYTERHUB_SERVICE_PREFIX": prefix, "JUPYTERHUB_SERVICE_URL": f"http://0.0.0.0:{poort}",
        "JUPYTERHUB_OAUTH_CALLBACK_URL": f"{prefix}oauth_callback", "JUPYTERHUB_HOST": "",
        "WIJKKIT_PROJECT": PROJECT, "WIJKKIT_STORE_URL": store_url(k, "wk-" + DIENST), "HOME": "/home/jovyan",
        "WIJKKIT_CACHE": CACHE,
    }
    env_list = [{"name": n, "value": v} for n, v in env.items()] + [
        {"name": "JUPYTERHUB_API_TOKEN",
         "valueFrom": {"secretKeyRef": {"name": "hub", "key": f"hub.services.{DIENST}.apiToken"}}},
        {"name": "PGPASSWORD",
         "valueFrom": {"secretKeyRef": {"name": POSTGRES_SECRET, "key": "kenniskring-wachtwoord"}}},
    ]
    labels = {**KENNISKRING_LABELS, "hub.jupyter.org/network-access-hub": "true"}
    container = {
        "name": DIENST, "image": f"{k.lab_image}:{k.tag}",
        "command": ["tini", "--", "python", "-m", "wijkkit.server.kenniskring", f"--port={poort}", "--ip=0.0.0.0"],
        "ports": [{"name": "http", "containerPort": poort}], "env": env_list,
        "resources": {"limits": {"memory": "4G", "cpu": "2"}, "requests": {"memory": "1G", "cpu": "0.5"}},
        "securityContext": {"runAsNonRoot": True, "runAsUser": k.lab_uid, "allowPrivilegeEscalation": False},
        "volumeMounts": [*_project_mounts(alleen_lezen=True), {"name": "thuis", "mountPath": "/home/jovyan"}],
        "readinessProbe": {"tcpSocket": {"port": poort}, "periodSeconds": 10},
    }
    return [
        {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": DIENST, "labels": KENNISKRING_LABELS},
         "spec": {"replicas": 1, "selector": {"matchLabels": KENNISKRING_LABELS},
                  "template": {"metadata": {"labels": labels},
                               "spec": {"securityContext": {"fsGroup": 100}, "containers": [container],
                                        "volumes": [{"name": "project",
                                                     "persistentVolumeClaim": {"claimName": PROJECT_CLAIM}},
                                                    {"name": "thuis", "emptyDir": {}}]}}}},
        {"apiVersion": "v1", "kind": "Service", "metadata": {"name": DIENST, "labels": KENNISKRING_LABELS},
         "spec": {"selector": KENNISKRING_LABELS, "ports": [{"name": "http", "port": poort, "targetPort": poort}]}},
        {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": DIENST},
         "spec": {"podSelector": {"matchLabels": KENNISKRING_LABELS}, "policyTypes": ["Ingress", "Egress"],
                  "ingress": [{"from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/component": "proxy"}}}],
                               "ports": [{"port": poort, "protocol": "TCP"}]}],
                  "egress": [{"to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/component": "hub"}}}],
                              "ports": [{"port": 8081, "protocol": "TCP"}]},
                             {"ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]},
                             *_postgres_egress(k)]}},
    ]


def project_manifests(k: Kubernetes) -> list[dict]:
    spec = {"accessModes": ["ReadWriteMany"], "resources": {"requests": {"storage": k.project_opslag}}}
    if k.storage_class:
        spec["storageClassName"] = k.storage_class
    return [{"apiVersion": "v1", "kind": "PersistentVolumeClaim",
             "metadata": {"name": PROJECT_CLAIM, "labels": {"app.kubernetes.io/name": "wijkkit"}}, "spec": spec}]


KOP = """\
# Gegenereerd door 'wijkkit server z2jh' uit {bron}: niet met de hand bewerken, maar daar aanpassen.
# Zero to JupyterHub {chart} (JupyterHub {hub}); installeren:
#   kubectl apply -f deploy/project.yaml -f deploy/kenniskring.yaml
#   helm upgrade --install wijkkit jupyterhub --repo {repo} --version {chart} --values deploy/values.yaml
"""


def _dump(documents: list[dict]) -> str:
    return "---\n".join(yaml.safe_dump(d, sort_keys=False, allow_unicode=True, width=120) for d in documents)


def bestanden(k: Kubernetes, bron: str = "deploy/z2jh.toml") -> dict[str, str]:
    """File name -> text of everything ``wijkkit server z2jh`` writes."""
    kop = KOP.format(bron=bron, chart=CHART_VERSIE, hub=JUPYTERHUB_VERSIE, repo=CHART_REPO)
    return {
        "values.yaml": kop + _dump([values(k)]),
        "kenniskring.yaml": kop + _dump(kenniskring_manifests(k)),
        "project.yaml": kop + _dump(project_manifests(k)),
    }


def schrijf(instellingen: Path, uit: Path, *, bron: str | None = None) -> list[Path]:
    k = Kubernetes.lees(instellingen)
    uit.mkdir(parents=True, exist_ok=True)
    written = []
    for naam, text in bestanden(k, bron or str(instellingen)).items():
        (uit / naam).write_text(text, encoding="utf-8")
        written.append(uit / naam)
    return written


__all__ = ["CHART_VERSIE", "Kubernetes", "ROLLEN", "bestanden", "schrijf", "values"]
