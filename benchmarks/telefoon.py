"""A phone in the room at the protocol level: what a resident's browser sends to a zaalmodus server, without a browser.

One :func:`telefoon` call does what a phone that scanned the QR code does, in the messages the server sees:

1. ``GET /?token=<code>``: the code page's redirect and the device's login cookie;
2. ``GET /``: the page (from the preheated pool: it carries its kernel's id);
3. the kernel websocket (``/api/kernels/<id>/channels``), the widget control comm and ``request_states``
   (what ipywidgets' front end asks first: the page is interactive when the states are there);
4. the widget messages of a resident: the screen width, a theme chosen, the Aandacht tab, a sentence typed,
   the button pressed; done when the page says "Op de lijst gezet.".

Only the standard library, tornado (the server's own dependency) and nothing else; 127.0.0.1 only. The point is to
load the server the way forty phones do while the benchmark's browsers stay few: the server's work per visit is
the same, the phones' own rendering is not on this machine.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
import uuid
from http.cookies import SimpleCookie

CONTROL = "jupyter.widget.control"


def _client_for_a_room() -> None:
    """Tornado's HTTP client runs 10 requests at once by default: a room's phones would queue behind each other
    in this process instead of at the server, where a real room queues."""
    from tornado.httpclient import AsyncHTTPClient

    AsyncHTTPClient.configure(None, max_clients=1000)


_client_for_a_room()


def _message(msg_type: str, content: dict, session: str, metadata: dict | None = None) -> str:
    return json.dumps({
        "header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": session, "username": "",
                   "version": "5.3", "date": ""},
        "parent_header": {}, "metadata": metadata or {}, "content": content, "channel": "shell", "buffers": []})


class Kanaal:
    """The page's kernel websocket, with the widget states it was sent."""

    def __init__(self, ws, session: str):
        self.ws, self.session = ws, session
        self.states: dict[str, dict] = {}
        self.klassen: dict[str, list] = {}

    async def send(self, msg_type: str, content: dict, metadata: dict | None = None) -> None:
        await self.ws.write_message(_message(msg_type, content, self.session, metadata))

    async def widget(self, model_id: str, data: dict) -> None:
        await self.send("comm_msg", {"comm_id": model_id, "data": data}, {"version": "2.1.0"})

    async def set(self, model_id: str, **state) -> None:
        await self.widget(model_id, {"method": "update", "state": state, "buffer_paths": []})

    def find(self, klasse: str, model: str | None = None) -> str:
        """The model id of the widget with CSS class ``klasse`` (as the page's markup names it)."""
        for model_id, classes in self.klassen.items():
            if klasse in classes and (model is None or self.states[model_id].get("_model_name") == model):
                return model_id
        raise KeyError(klasse)

    async def until(self, test, timeout: float) -> dict:
        """Read messages until ``test(message)`` holds; widget updates are kept as they come."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("geen antwoord van de kernel")
            raw = await asyncio.wait_for(self.ws.read_message(), left)
            if raw is None:
                raise ConnectionError("websocket gesloten")
            if isinstance(raw, bytes):
                continue
            msg = json.loads(raw)
            data = msg.get("content", {}).get("data") or {}
            if msg.get("msg_type") == "comm_msg" and data.get("method") == "update":
                model_id = msg["content"]["comm_id"]
                self.states.setdefault(model_id, {}).update(data.get("state", {}))
            if test(msg):
                return msg


async def telefoon(base: str, code: str, *, thema_index: int = 1, zin: str = "", timeout: float = 120,
                   wacht_op_lijst: bool = True) -> dict:
    """One phone; returns timings (s) and the open websocket (``kanaal``) so a caller keeps the page open."""
    from tornado.httpclient import AsyncHTTPClient, HTTPRequest
    from tornado.websocket import websocket_connect

    client = AsyncHTTPClient()
    began = time.perf_counter()
    result: dict = {"interactief": None, "fout": None, "kanaal": None}
    try:
        first = await client.fetch(f"{base}?token={code}", follow_redirects=False, raise_error=False,
                                   request_timeout=timeout)
        jar = SimpleCookie()
        for header in first.headers.get_list("Set-Cookie"):
            jar.load(header)
        cookie = "; ".join(f"{k}={m.value}" for k, m in jar.items())
        page = await client.fetch(base, headers={"Cookie": cookie}, request_timeout=timeout)
        html = page.body.decode()
        result["pagina"] = time.perf_counter() - began
        kernel = re.search(r'"kernelId": "([0-9a-f-]+)"', html)
        if kernel is None:
            raise RuntimeError("geen kernel in de pagina" + (" (te druk)" if "te druk" in html.lower() else ""))
        session = uuid.uuid4().hex
        url = base.replace("http://", "ws://") + f"api/kernels/{kernel.group(1)}/channels?session_id={session}"
        ws = await websocket_connect(HTTPRequest(url, headers={"Cookie": cookie}, request_timeout=timeout),
                                     max_message_size=64 * 2**20)
        kanaal = Kanaal(ws, session)
        result["kanaal"] = kanaal
        control = uuid.uuid4().hex
        await kanaal.send("comm_open", {"comm_id": control, "target_name": CONTROL, "data": {}}, {"version": "1.0.0"})
        await kanaal.send("comm_msg", {"comm_id": control, "data": {"method": "request_states"}},
                          {"version": "1.0.0"})
        reply = await kanaal.until(lambda m: (m.get("content", {}).get("data") or {}).get("method") == "update_states",
                                   timeout)
        for model_id, model in reply["content"]["data"]["states"].items():
            kanaal.states[model_id] = dict(model["state"], _model_name=model["model_name"])
            kanaal.klassen[model_id] = model["state"].get("_dom_classes", [])
        result["interactief"] = time.perf_counter() - began
        # what a resident does: the phone says its width, chooses a theme, opens Aandacht, writes, presses
        await kanaal.set(_scherm(kanaal), breedte=360)
        await kanaal.set(kanaal.find("wk-thema"), index=thema_index)
        await kanaal.set(_tabs(kanaal), selected_index=5)
        if zin:
            await kanaal.set(kanaal.find("wk-aandacht-zin"), value=zin)
            await kanaal.widget(kanaal.find("wk-aandacht-knop"), {"method": "custom", "content": {"event": "click"}})
            if wacht_op_lijst:
                await kanaal.until(lambda m: "Op de lijst gezet." in json.dumps(m.get("content", {})), timeout)
                result["lijst"] = time.perf_counter() - began
    except Exception as exc:  # a phone that fails is counted, not fatal to the room
        result["fout"] = f"{type(exc).__name__}: {str(exc).splitlines()[0][:100] if str(exc) else ''}"
    return result


def _scherm(kanaal: Kanaal) -> str:
    return next(m for m, s in kanaal.states.items() if "breedte" in s)


def _tabs(kanaal: Kanaal) -> str:
    return next(m for m, s in kanaal.states.items() if s.get("_model_name") == "TabModel")
