"""The kenniskring page as a JupyterHub service: Voila behind the hub's login, run by ``jupyterhub-singleuser``.

Started by the hub (``c.JupyterHub.services`` in jupyterhub_config.py) as Unix user ``wk-kenniskring``:
``python -m wijkkit.server.kenniskring --port=N``. Whoever the hub lets in (any account; a gast can do no
more) sees the same page as at a kenniskring evening. Only Voila is served: no JupyterLab, no terminal, and a
visitor's browser may send the kernel nothing but widget messages (no code).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from wijkkit.kenniskring.serve import DASHBOARD, TEMPLATE, offline_template

# What a page's widgets need from the kernel; an execute_request from a browser is dropped.
WIDGET_MESSAGES = ["comm_open", "comm_msg", "comm_close", "comm_info_request", "kernel_info_request"]


def config(port: int, project: Path, ip: str = "127.0.0.1") -> dict:
    """The Jupyter server's settings: Voila only, no code from a visitor's browser."""
    return {
        "ServerApp": {"ip": ip, "port": port, "port_retries": 0, "root_dir": str(project / "notebooks"),
                      "default_url": f"/voila/render/{DASHBOARD}", "terminals_enabled": False,
                      "jpserver_extensions": {"voila.server_extension": True, "jupyterlab": False,
                                              "jupyterlab_jupytext": False, "jupyter_lsp": False,
                                              "notebook_shim": False}},
        "MappingKernelManager": {"allowed_message_types": WIDGET_MESSAGES, "cull_idle_timeout": 900,
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
    settings.write_text(json.dumps(config(port, project, ip), indent=2), encoding="utf-8")
    program = os.path.join(os.path.dirname(sys.executable), "jupyterhub-singleuser")
    os.execv(program, [program, f"--config={settings}"])


if __name__ == "__main__":  # pragma: no cover - started by the hub
    main()
