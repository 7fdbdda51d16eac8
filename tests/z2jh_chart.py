"""The Zero to JupyterHub chart's own files, for tests that run them without a cluster.

Nothing of the chart is committed here. The tests read it from ``../shared/z2jh/<versie>/`` (beside the
repository, placed there once), or from the folder in ``WIJKKIT_Z2JH_CHART``. That folder holds, from the tag
``<versie>`` of https://github.com/jupyterhub/zero-to-jupyterhub-k8s:

    Chart.yaml, values.yaml, values.schema.yaml,
    files/hub/jupyterhub_config.py, files/hub/z2jh.py     (from the chart folder jupyterhub/)
    images/hub/requirements.txt                            (the hub image's frozen requirements)

Without it the tests skip, or fail when ``WIJKKIT_REQUIRE_Z2JH=1``.
"""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import yaml

from tests.conftest import ROOT, require
from wijkkit.server.z2jh import CHART_VERSIE

BESTANDEN = ("Chart.yaml", "values.yaml", "values.schema.yaml", "files/hub/jupyterhub_config.py",
             "files/hub/z2jh.py", "images/hub/requirements.txt")
MOUNT = "/usr/local/etc/jupyterhub"  # where the hub pod has the chart's ConfigMap and Secret


def chart_map() -> Path:
    path = Path(os.environ.get("WIJKKIT_Z2JH_CHART") or ROOT.parent / "shared" / "z2jh" / CHART_VERSIE)
    missing = [name for name in BESTANDEN if not (path / name).is_file()]
    if missing:
        require("WIJKKIT_REQUIRE_Z2JH", f"de bestanden van de z2jh-chart {CHART_VERSIE} ontbreken in {path}: "
                + ", ".join(missing) + " (zie tests/z2jh_chart.py)")
    return path


def merge(base, ours):
    """Helm's merge of values: mappings merge key by key, anything else (lists too) is replaced; null deletes."""
    if isinstance(base, dict) and isinstance(ours, dict):
        merged = dict(base)
        for key, value in ours.items():
            if value is None:
                merged.pop(key, None)
            else:
                merged[key] = merge(base.get(key), value)
        return merged
    return ours


def merged_values(chart: Path, ours: dict) -> dict:
    return merge(yaml.safe_load((chart / "values.yaml").read_text(encoding="utf-8")), ours)


def hub_pod(chart: Path, values: dict, target: Path) -> Path:
    """What the hub pod of the chart sees, in ``target``: the Secret (values and generated secrets), the
    ConfigMap (resource names), the chart's z2jh.py and jupyterhub_config.py reading them from there.
    Returns the path of jupyterhub_config.py."""
    secret, config = target / "secret", target / "config"
    secret.mkdir(parents=True)
    config.mkdir()
    (secret / "values.yaml").write_text(yaml.safe_dump(values), encoding="utf-8")
    for key in ("hub.config.JupyterHub.cookie_secret", "hub.config.CryptKeeper.keys"):
        (secret / key).write_text(os.urandom(32).hex(), encoding="utf-8")
    for name in values["hub"].get("services", {}):
        (secret / f"hub.services.{name}.apiToken").write_text(os.urandom(16).hex(), encoding="utf-8")
    for name in ("hub", "proxy-api", "proxy-public", "singleuser", "user-scheduler", "image-pull-secret", "priority"):
        (config / name).write_text(name, encoding="utf-8")
    for name in ("z2jh.py", "jupyterhub_config.py"):
        text = (chart / "files" / "hub" / name).read_text(encoding="utf-8").replace(MOUNT, str(target))
        (target / name).write_text(text, encoding="utf-8")
    # the chart's config imports its z2jh.py from its own folder: a fresh module per hub pod
    sys.modules.pop("z2jh", None)
    module = types.ModuleType("z2jh")
    module.__file__ = str(target / "z2jh.py")
    exec(compile((target / "z2jh.py").read_text(encoding="utf-8"), module.__file__, "exec"), module.__dict__)
    sys.modules["z2jh"] = module
    return target / "jupyterhub_config.py"


# the Services' environment Kubernetes gives the hub pod
POD_ENV = {"HUB_SERVICE_PORT": "8081", "PROXY_API_SERVICE_PORT": "8001", "POD_NAMESPACE": "wijkkit",
           "HUB_SERVICE_HOST": "10.0.0.2", "CONFIGPROXY_AUTH_TOKEN": "proxy-token-of-the-chart-secret", "PROXY_API_SERVICE_HOST": "10.0.0.3", "PROXY_PUBLIC_SERVICE_PORT": "80"}

KUBECONFIG = """\
apiVersion: v1
kind: Config
clusters: [{name: geen, cluster: {server: "https://127.0.0.1:9"}}]
users: [{name: geen, user: {token: geen}}]
contexts: [{name: geen, context: {cluster: geen, user: geen, namespace: wijkkit}}]
current-context: geen
"""


def hub_image_python(chart: Path) -> Path:
    """A venv with the hub image's own packages (the chart's frozen images/hub/requirements.txt: JupyterHub 5.5.0,
    KubeSpawner, OAuthenticator ...), made once and kept in ~/.cache/wijkkit; wijkkit itself comes from the
    source tree the tests run in, as the hub image installs it without dependencies. pycurl is taken at the
    version of constraints.txt (the image's pin has no wheel for this Python)."""
    import hashlib
    import subprocess

    requirements = (chart / "images/hub/requirements.txt").read_text(encoding="utf-8")
    pins = dict(line.split("==", 1) for line in (ROOT / "constraints.txt").read_text().split() if "==" in line)
    extra = [f"pycurl=={pins['pycurl']}", f"pytest=={pins['pytest']}", f"psycopg[binary]=={pins['psycopg']}"]
    key = hashlib.sha256((requirements + " ".join(extra)).encode()).hexdigest()[:12]
    venv = Path.home() / ".cache" / "wijkkit" / f"z2jh-hub-{CHART_VERSIE}-{key}"
    python = venv / "bin" / "python"
    if not (venv / ".klaar").exists():
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        kept = venv / "requirements.txt"
        kept.write_text("".join(line for line in requirements.splitlines(True) if not line.startswith("pycurl==")))
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                        "--prefer-binary", "-r", str(kept), *extra], check=True, timeout=1800)
        (venv / ".klaar").write_text(key)
    return python
