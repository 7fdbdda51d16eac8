"""The kenniskring page as a JupyterHub service: Voila behind the hub's login, run by ``jupyterhub-singleuser``.

Started by the hub (``c.JupyterHub.services`` in jupyterhub_config.py) as Unix user ``wk-kenniskring``:
``python -m wijkkit.server.kenniskring --port=N``. Whoever the hub lets in (any account; a gast can do no
more) sees the same page as at a kenniskring evening, and nothing else:

- one page: an allowlist of paths (the kenniskring notebook, what its page loads, its own kernel's websocket)
  is loaded as a server extension ahead of every other handler; everything else (other notebooks, the
  contents, files and kernel-list APIs, a new kernel by POST) is a Dutch "niet gevonden";
- kernels capped per visitor and in total (the total from this machine's memory, as in zaalmodus), with the
  Dutch "te druk" page beyond it; a visitor's kernel knows the visitor's hub name (for ``ingevoerd_door``);
- no JupyterLab, no terminal, and a visitor's browser may send the kernel only widget messages (no code).
"""

from __future__ import annotations

import contextvars
import json
import os
import re
import sys
from pathlib import Path

from tornado import web
from tornado.routing import Matcher, Rule
from traitlets import Integer

from wijkkit.kenniskring.serve import DASHBOARD, TEMPLATE, WIDGET_MESSAGES, kernel_limit, offline_template
from wijkkit.kenniskring.voila_app import TE_DRUK, BegrensdeKernels

# What the page needs, relative to the service's prefix; everything else is refused. A kernel is reached only by
# its own unguessable id (no list of kernels, no new kernel but through the page).
KERNEL_ID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
TOEGESTAAN = (
    r"", r"oauth_callback", r"logout",
    rf"voila/render/{re.escape(DASHBOARD)}",
    r"voila/static/.+", r"voila/templates/.+", r"voila/labextensions/.+", r"voila/api/themes/.+",
    r"static/.+", r"custom/custom\.css",
    rf"voila/api/shutdown/{KERNEL_ID}", rf"voila/execution/{KERNEL_ID}",
    rf"api/kernels/{KERNEL_ID}", rf"api/kernels/{KERNEL_ID}/channels",
)
TOEGESTAAN_POST = (rf"voila/api/shutdown/{KERNEL_ID}",)  # a closed page lets go of its kernel
PER_BEZOEKER = 3  # a visitor's tabs and reloads at once (a closed tab's kernel stops after 10 s)
BEZOEKER = contextvars.ContextVar("bezoeker", default="")


class Toegestaan(Matcher):
    """Matches every request whose path is *not* on the allowlist (so that the refusing handler takes it)."""

    def __init__(self, prefix: str):
        self.get = re.compile(re.escape(prefix) + "(?:" + "|".join(TOEGESTAAN) + ")")
        self.post = re.compile(re.escape(prefix) + "(?:" + "|".join(TOEGESTAAN_POST) + ")")

    def match(self, request):
        pattern = {"GET": self.get, "HEAD": self.get, "POST": self.post}.get(request.method)
        return None if pattern is not None and pattern.fullmatch(request.path) else {}


class Geweigerd(web.RequestHandler):
    """Whatever the page does not need: a short Dutch "niet gevonden" (no hint of what else might be there)."""

    def prepare(self):
        from tornado.log import app_log

        app_log.info("kenniskring-dienst weigert %s %s", self.request.method, self.request.path)
        raise web.HTTPError(404)

    def write_error(self, status_code: int, **kwargs) -> None:
        from wijkkit.kenniskring.zaal import FOUT_ANDERS, FOUTEN

        titel, uitleg = FOUTEN.get(status_code, FOUT_ANDERS)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>{titel}</title></head>"
                    f"<body><h1>{titel}</h1><p>{uitleg}</p></body></html>")


class DienstKernels(BegrensdeKernels):
    """The service's kernels: at most ``max_kernels`` at once (BegrensdeKernels) and at most ``per_bezoeker`` per
    hub user; each visitor's kernel is told its visitor's hub name (``WIJKKIT_BEZOEKER``)."""

    per_bezoeker = Integer(PER_BEZOEKER, config=True, help="Kernels one hub user may have at once.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._van: dict[str, str] = {}

    async def start_kernel(self, *args, **kwargs):
        bezoeker = BEZOEKER.get()
        if kwargs.get("kernel_id") is None and bezoeker:
            self._van = {k: v for k, v in self._van.items() if k in self}
            if sum(v == bezoeker for v in self._van.values()) >= self.per_bezoeker:
                self.log.warning("Kernel geweigerd voor %s: al %d (maximum per bezoeker)", bezoeker, self.per_bezoeker)
                raise web.HTTPError(503, TE_DRUK, reason="Te druk")
            if kwargs.get("env") is not None:
                kwargs["env"] = {**kwargs["env"], "WIJKKIT_BEZOEKER": bezoeker}
        kernel_id = await super().start_kernel(*args, **kwargs)
        if bezoeker:
            self._van[kernel_id] = bezoeker
        return kernel_id


def _jupyter_server_extension_points():
    return [{"module": "wijkkit.server.kenniskring"}]


def _load_jupyter_server_extension(serverapp) -> None:
    """The allowlist goes in front of every handler; a page's request names its visitor for the kernel caps."""
    from voila.handler import VoilaHandler

    prefix = serverapp.web_app.settings["base_url"]
    serverapp.web_app.default_router.rules.insert(0, Rule(Toegestaan(prefix), Geweigerd))
    if getattr(VoilaHandler, "_wijkkit_bezoeker", False):
        return
    prepare = VoilaHandler.prepare

    async def named_prepare(self):
        result = prepare(self)
        if result is not None:
            await result
        user = self.current_user
        BEZOEKER.set(getattr(user, "username", "") or getattr(user, "name", "") or "")

    VoilaHandler.prepare = named_prepare
    VoilaHandler._wijkkit_bezoeker = True


def config(port: int, project: Path, *, max_kernels: int | None = None, ip: str = "127.0.0.1") -> dict:
    """The Jupyter server's settings: Voila only and one page of it, no code from a visitor's browser."""
    return {
        "ServerApp": {"ip": ip, "port": port, "port_retries": 0, "root_dir": str(project / "notebooks"),
                      "default_url": f"/voila/render/{DASHBOARD}", "terminals_enabled": False,
                      "kernel_manager_class": "wijkkit.server.kenniskring.DienstKernels",
                      "jpserver_extensions": {"voila.server_extension": True, "wijkkit.server.kenniskring": True,
                                              "jupyterlab": False, "jupyterlab_jupytext": False,
                                              "jupyter_lsp": False, "notebook_shim": False}},
        "DienstKernels": {"max_kernels": max_kernels or kernel_limit(), "per_bezoeker": PER_BEZOEKER},
        "MappingKernelManager": {"allowed_message_types": WIDGET_MESSAGES, "cull_idle_timeout": 300,
                                 "cull_interval": 60, "cull_connected": False},
        "VoilaConfiguration": {"strip_sources": True, "show_tracebacks": False, "template": TEMPLATE,
                               "theme": "light"},
        "HTMLExporter": {"language_code": "nl"},
    }


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    port = int(next((a.split("=", 1)[1] for a in args if a.startswith("--port=")), "8003"))
    ip = next((a.split("=", 1)[1] for a in args if a.startswith("--ip=")), "127.0.0.1")  # 0.0.0.0 in its own pod
    project = Path(os.environ["WIJKKIT_PROJECT"])
    home = Path(os.environ.get("HOME", "."))
    data_dir = offline_template(home / "jupyter")
    os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(data_dir), os.environ.get("JUPYTER_PATH")]))
    settings = home / "kenniskring_config.json"
    settings.write_text(json.dumps(config(port, project, ip=ip), indent=2), encoding="utf-8")
    program = os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")
    os.execv(program, [program, f"--config={settings}"])


if __name__ == "__main__":  # pragma: no cover - started by the hub
    main()
