"""The rekenaar: one process per served dashboard that computes what every visitor's page shows.

``wijkkit kenniskring dashboard`` starts it next to Voila (``python -m wijkkit.kenniskring.rekenaar PROJECT``);
it listens on 127.0.0.1 only, on a port and with a secret it prints on its first line, and answers JSON.
A visitor's kernel talks to it through :class:`RekenaarBron` (the standard library only), so the kernel never
loads pandas, Altair, vl-convert, geopandas or the pseudonymiser: forty phones cost forty small kernels and one
rekenaar, and forty visitors asking for the same wijk and theme cost one computation.

In a notebook (JupyterLab) the dashboard asks :class:`LokaleBron`: the same answers, in the same process.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
import sys
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

METHODS = ("keuzes", "buurten", "standaard_thema", "paneel", "bewaar_duiding", "samenvatting", "zet_prioriteit",
           "haal_prioriteit_weg", "mijn_prioriteiten", "telling")
MAX_BODY = 64_000  # a duiding's three answers and a priority's sentence fit many times over


class LokaleBron:
    """The page's answers in this process (a notebook in JupyterLab)."""

    def __init__(self, panelen):
        self.panelen = panelen

    def __getattr__(self, name):
        if name in METHODS:
            return getattr(self.panelen, name)
        raise AttributeError(name)


class RekenaarBron:
    """The page's answers from the rekenaar of this server (a kernel of a served page)."""

    def __init__(self, url: str | None = None, token: str | None = None):
        self.url = url or os.environ["WIJKKIT_REKENAAR"]
        self.token = token or os.environ["WIJKKIT_REKENAAR_TOKEN"]

    def __getattr__(self, name):
        if name not in METHODS:
            raise AttributeError(name)

        def call(*args, **kwargs):
            body = json.dumps({"args": args, "kwargs": kwargs}).encode()
            request = urllib.request.Request(f"{self.url}/{name}", data=body, method="POST", headers={
                "Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=300) as response:
                return json.load(response)
        return call


def nothing_to_the_visitor() -> None:
    """In a visitor's kernel, errors and warnings go to the server's log, never over the websocket: a failing
    widget callback or a bogus message a visitor sends would otherwise return a traceback with the server's
    paths (the kernel spec also turns off ipykernel's capture of the process's own stderr, see serve)."""
    import sys

    from IPython import get_ipython

    shell = get_ipython()
    if shell is None:
        return

    def _showtraceback(etype, evalue, stb) -> None:
        print(f"kenniskring-kernel: {etype}: {evalue}", file=sys.__stderr__, flush=True)
        print("\n".join(stb), file=sys.__stderr__, flush=True)

    shell._showtraceback = _showtraceback
    sys.stderr = sys.__stderr__
    import logging

    # a phone that sends to a widget its page already closed: not news for the organiser's terminal
    logging.getLogger("Comm").setLevel(logging.ERROR)


def bron_voor(project):
    """The rekenaar when this kernel serves a page, else the answers computed here."""
    if os.environ.get("WIJKKIT_REKENAAR"):
        nothing_to_the_visitor()
        return RekenaarBron()
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.panelen import Panelen

    kring = project if isinstance(project, Kenniskring) else Kenniskring(project)
    return LokaleBron(Panelen(kring))


def serve(panelen, *, port: int = 0, token: str | None = None):
    """An HTTP server on 127.0.0.1 answering ``POST /<method>`` with the Bearer token; returns (server, token)."""
    token = token or secrets.token_urlsafe(24)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the http.server name
            name = self.path.strip("/")
            given = self.headers.get("Authorization", "").removeprefix("Bearer ")
            if not hmac.compare_digest(given.encode(), token.encode()):
                return self._send(403, {"fout": "geen toegang"})
            if name not in METHODS:
                return self._send(404, {"fout": "onbekend"})
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                return self._send(413, {"fout": "te groot"})
            try:
                call = json.loads(self.rfile.read(length) or b"{}")
                result = getattr(panelen, name)(*call.get("args", []), **call.get("kwargs", {}))
            except Exception:  # the page shows a Dutch sentence; the details stay in this process's log
                import logging

                logging.getLogger(__name__).exception("rekenaar: %s mislukt", name)
                return self._send(500, {"fout": "mislukt"})
            return self._send(200, result)

        def _send(self, status: int, payload) -> None:
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *_):  # quiet: every tab of every visitor is a request
            pass

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    return server, token


def main(argv: list[str] | None = None) -> int:
    """``python -m wijkkit.kenniskring.rekenaar PROJECT [--bijeenkomst N]``: prints 'PORT TOKEN', then serves."""
    import logging

    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.panelen import Panelen

    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)  # errors for the server's log, no chatter
    args = list(sys.argv[1:] if argv is None else argv)
    bijeenkomst = int(args[args.index("--bijeenkomst") + 1]) if "--bijeenkomst" in args else None
    zaal = json.loads(os.environ["WIJKKIT_ZAAL"]) if os.environ.get("WIJKKIT_ZAAL") else None
    panelen = Panelen(Kenniskring(args[0]), bijeenkomst=bijeenkomst, zaal=zaal)
    server, token = serve(panelen, token=os.environ.get("WIJKKIT_REKENAAR_TOKEN"))
    print(f"{server.server_address[1]} {token}", flush=True)
    panelen.keuzes()  # the first visitor finds the tables computed
    if zaal:
        # the light pseudonymiser's imports (deduce's lists) done before the room arrives: twenty phones setting a
        # priority in the same second must not import it from twenty threads at once (a partial-import error)
        panelen.pseudonimiseerder().pseudonymise("Klaar voor de zaal.")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":  # pragma: no cover - started by serve() as a subprocess
    sys.exit(main())
