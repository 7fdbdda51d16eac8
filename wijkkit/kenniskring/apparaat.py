"""Which device a served page belongs to: the participant id the server derived from the device's login cookie.

A page's kernel is computed before anyone asks for it (the preheated pool), so it cannot know at start-up who
will get it. Voila tells a preheated kernel about the request that took it over a websocket of its own
(``/voila/query/<kernel id>``, what ``voila.utils.wait_for_request`` reads); the server puts the participant
header among those request details (see ``voila_app``). Read here with the ``websockets`` client alone, since
``voila.utils`` would load the whole Jupyter server into every visitor's kernel.
"""

from __future__ import annotations

import json
import os

from wijkkit.kenniskring.zaal import DEELNEMER_HEADER

ENV = "HTTP_" + DEELNEMER_HEADER.upper().replace("-", "_")


def query_url() -> str | None:
    """Where Voila answers a preheated kernel's question "who opened me?" (None outside a served page)."""
    if os.environ.get("VOILA_PREHEAT") != "True" or not os.environ.get("VOILA_KERNEL_ID"):
        return None
    base = os.environ.get("VOILA_SERVER_URL", "/")
    return (f"ws://127.0.0.1:{os.environ.get('VOILA_APP_PORT', '8866')}{base}voila/query/"
            f"{os.environ['VOILA_KERNEL_ID']}")


def deelnemer(timeout: float | None = None) -> str | None:
    """The device's participant id; waits (up to ``timeout`` seconds, None: as long as it takes) until a visitor
    opens this preheated page. None in a notebook in JupyterLab, or when the server did not say."""
    if os.environ.get(ENV):  # a kernel started for the request itself has it in its environment
        return os.environ[ENV]
    url = query_url()
    if url is None:
        return None
    from websockets.sync.client import connect

    try:
        with connect(url, open_timeout=10, close_timeout=1) as socket:
            info = json.loads(socket.recv(timeout=timeout))
    except Exception:  # no answer: the page counts as a participant of its own, as before
        return None
    return info.get(ENV) or None
