"""Voila as the kenniskring serves it: a bounded number of kernels, and closed pages let go of theirs.

Run as ``python -m wijkkit.kenniskring.voila_app <voila arguments>`` (``serve`` does this).

- ``BegrensdeKernels`` refuses a new kernel beyond ``max_kernels`` with a Dutch 503, so a
  crowded evening (or anyone reloading a page in a loop) cannot exhaust the machine's memory.
- A page that is closed asks Voila to shut its kernel down with ``navigator.sendBeacon``,
  which cannot carry Jupyter's ``_xsrf`` token, so the request fails with 403 and the kernel
  stays (voila-dashboards/voila#1458, open). The shutdown handler here accepts the request when
  it comes from this server's own origin: it only names a kernel by its unguessable id. Kernel
  culling (see ``serve``) stays as the safety net for pages that vanish without a beacon.
- ``ZaalIdentiteit`` guards the room's code: compared in constant time, read from a file that is
  deleted at once (never on the command line or in a kernel's environment), a wait after too many
  wrong codes from one address, a cookie for this evening only (``SameSite=Strict``, gone when the
  server stops), and the code taken out of the address after the first visit.
- A device is one participant: the page's kernel learns a participant id derived from the device's
  login cookie (``X-Wijkkit-Deelnemer``, set here and never taken from the browser), so extra tabs
  on one phone count once.
- The terminal stays Dutch and quiet: the request log and Voila's chatter go, what matters is
  said in Dutch (see ``StilleTerminal``).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import sys
from pathlib import Path

from jupyter_server.auth.identity import PasswordIdentityProvider
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer, Unicode

from wijkkit.kenniskring.zaal import AVOND_DAGEN, DEELNEMER_HEADER, Pogingen

TE_DRUK = ("Er zijn nu te veel bezoekers tegelijk op deze kenniskring-pagina. Sluit een ander venster of "
           "probeer het over een minuut opnieuw.")


class BegrensdeKernels(AsyncMappingKernelManager):
    """A kernel manager that starts at most ``max_kernels`` kernels at a time, and shuts a kernel down
    ``sluiten_na`` seconds after its page's last connection closed (a closed tab, a phone put away for good), in
    every browser: the close beacon is not sent by every browser, a websocket's end is seen by the server itself.
    A reload reconnects within that time and keeps its kernel; the preheated pool was never connected and stays.
    """

    max_kernels = Integer(12, config=True, help="Maximum number of kernels running at once (pool included).")
    sluiten_na = Integer(10, config=True, help="Seconds after the last connection closed before the kernel stops.")
    voorverwarmd = Integer(-1, config=True, help="Kernels preheated before the first visitor (-1: Voila's setting). "
                           "A number here rather than Voila's dict on the command line, which traitlets deprecates.")
    reserve = Integer(1, config=True, help="Preheated kernels kept once the expected visitors have arrived.")

    def __init__(self, **kwargs):
        self._gestart = 0
        self._genomen = 0
        super().__init__(**kwargs)
        if self.voorverwarmd >= 0 and self.has_trait("kernel_pools_config"):
            # set before Voila's subclass fills the pool (its __init__ runs after this one)
            self.kernel_pools_config = {"default": {"pool_size": self.voorverwarmd}}

    def pool_genomen(self) -> None:
        """A visitor took a preheated page. The pool was filled for the room that was expected: it is not filled
        up again for every visitor (each refill is a kernel start while the room is still arriving), only kept at
        ``reserve`` once that many have arrived."""
        self._genomen += 1
        if self.voorverwarmd > 0 and self.has_trait("kernel_pools_config"):
            size = max(self.reserve, self.voorverwarmd - self._genomen)
            self.kernel_pools_config = {"default": {"pool_size": size}}

    def notify_disconnect(self, kernel_id):
        super().notify_disconnect(kernel_id)
        if self._kernel_connections.get(kernel_id) == 0:
            from tornado.ioloop import IOLoop

            IOLoop.current().call_later(self.sluiten_na, self._close_if_still_gone, kernel_id)

    async def _close_if_still_gone(self, kernel_id) -> None:
        if kernel_id in self and self._kernel_connections.get(kernel_id, 1) == 0:
            self.log.info("Kernel %s: pagina gesloten, kernel gestopt", kernel_id)
            await self.shutdown_kernel(kernel_id)

    async def start_kernel(self, *args, **kwargs):
        if kwargs.get("kernel_id") is None and len(self.list_kernel_ids()) >= self.max_kernels:
            self.log.warning("Kernel geweigerd: al %d kernels (maximum %d)", len(self.list_kernel_ids()),
                             self.max_kernels)
            raise web.HTTPError(503, TE_DRUK, reason="Te druk")
        env = kwargs.get("env")
        if kwargs.get("kernel_id") is None and env is not None and env.get("VOILA_PREHEAT") == "True":
            self._gestart += 1
            if self._gestart > self.voorverwarmd >= 0:
                # a refill of the pool, not the room's first pages: at a lower priority, so the pages of visitors
                # who are already there keep the processor (the kernel lowers its own priority, see serve)
                kwargs["env"] = {**env, "WIJKKIT_ACHTERGROND": "1"}
        return await super().start_kernel(*args, **kwargs)


class ZaalIdentiteit(PasswordIdentityProvider):
    """The room's code as Voila's token, guarded (see the module docstring)."""

    code_bestand = Unicode("", config=True, help="File holding the code; read once and deleted.")
    maximum_fout = Integer(20, config=True, help="Wrong codes from one address before it has to wait.")
    wachttijd = Integer(60, config=True, help="Seconds an address waits after too many wrong codes.")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.code_bestand:
            path = Path(self.code_bestand)
            self.token = path.read_text(encoding="utf-8").strip()
            path.unlink(missing_ok=True)
        self.pogingen = Pogingen(maximum=self.maximum_fout, wachttijd=self.wachttijd)
        # a session cookie (gone when the browser closes), only sent by this site's own pages, and signed with a
        # secret Voila draws anew at every start: tomorrow it opens nothing
        self.cookie_options = {"samesite": "Strict", "httponly": True, "expires_days": None, **self.cookie_options}
        self.get_secure_cookie_kwargs = {"max_age_days": AVOND_DAGEN, **self.get_secure_cookie_kwargs}

    def _klopt(self, handler, given: str) -> bool:
        adres = handler.request.remote_ip
        if self.pogingen.wachten(adres):
            return False
        given = "".join(given.split()).lower()  # a phone's keyboard may add a capital or a space
        if hmac.compare_digest(given.encode(), self.token.encode()):
            return True
        if self.pogingen.fout(adres):
            self.log.warning("Te veel verkeerde codes vanaf %s: dat adres wacht nu %d seconden.", adres,
                             self.pogingen.wachten(adres))
        return False

    async def get_user_token(self, handler):
        given = self.get_token(handler)
        if not self.token or not given or not self._klopt(handler, given):
            return None
        return self.get_user_cookie(handler) or self.generate_anonymous_user(handler)

    def process_login_form(self, handler):
        if self.token and self._klopt(handler, handler.get_argument("password", default="")):
            return self.get_user_cookie(handler) or self.generate_anonymous_user(handler)
        return None


def deelnemer_id(username: str, secret: bytes) -> str:
    """A participant id for the store, derived from the device's login (its cookie), not the login itself."""
    return hmac.new(secret or b"", username.encode(), hashlib.sha256).hexdigest()[:32]


def _room_page_rules() -> None:
    """The page request: the code leaves the address after the first visit (a redirect), no page sends its address
    to another site as a referrer, and the kernel learns which device asks (never from a header the browser sent)."""
    from urllib.parse import urlencode

    from jupyter_server.base.handlers import JupyterHandler
    from voila.handler import VoilaHandler

    default_headers = JupyterHandler.set_default_headers

    def set_default_headers(self) -> None:
        default_headers(self)
        # no address (with or without the code) leaves this site as a referrer. Not "no-referrer": with it Chromium
        # sends "Origin: null" on the code form's POST and on the page's own requests, which Jupyter refuses
        self.set_header("Referrer-Policy", "same-origin")

    JupyterHandler.set_default_headers = set_default_headers
    prepare = VoilaHandler.prepare

    async def voila_prepare(self, *args, **kwargs):
        self.request.headers.pop(DEELNEMER_HEADER, None)
        await prepare(self, *args, **kwargs)
        user = self.current_user
        if user is None or self._finished:
            return
        if "token" in self.request.query_arguments:
            rest = [(k, v) for k, values in self.request.query_arguments.items() if k != "token" for v in values]
            self.redirect(self.request.path + ("?" + urlencode(rest, doseq=False) if rest else ""))
            return
        self.request.headers[DEELNEMER_HEADER] = deelnemer_id(user.username, self.settings.get("cookie_secret"))

    VoilaHandler.prepare = voila_prepare


class StilleTerminal(logging.Filter):
    """What reaches the organiser's terminal: Dutch, and only what matters.

    The request log (every page, every 404 a phone's browser asks for a favicon) and Voila's start-up chatter go;
    the pool being ready is said in Dutch; warnings and errors nobody translated still pass (they may matter)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and type(record.exc_info[1]).__name__ in ("WebSocketClosedError", "StreamClosedError"):
            return False  # a phone put away while its page was being sent: nothing to do, nothing to tell
        if record.name == "tornado.access":  # the request log: a 429 or 404 is the room at work, not news
            return record.levelno >= logging.ERROR
        status = record.args.get("status") if isinstance(record.args, dict) else None
        if isinstance(status, int) and "%(status)" in str(record.msg):  # jupyter_server's request log
            return status >= 500
        message = str(record.msg)
        if message.startswith("Kernel pool of"):  # said once: later refills of the reserve are no news
            record.msg, record.args = "Klaar: %s pagina's staan klaar voor wie binnenkomt.", (record.args[1],)
            first, self.pool_gemeld = not getattr(self, "pool_gemeld", False), True
            return first
        if message.startswith("Clearing invalid/expired login cookie"):
            return False  # a cookie from an earlier evening: that phone simply sees the code page
        return record.levelno >= logging.WARNING


def _quiet_terminal() -> None:
    stil = StilleTerminal()
    for name in ("Voila", "tornado.access", "tornado.application", "tornado.general", "ServerApp", "asyncio"):
        logging.getLogger(name).addFilter(stil)


def _pool_for_the_room() -> None:
    """Voila's preheated pool class, told when a visitor takes a page (see ``BegrensdeKernels.pool_genomen``)."""
    import voila.app

    factory = voila.app.voila_kernel_manager_factory

    def with_room(base_class, preheat_kernel, *args, **kwargs):
        cls = factory(base_class, preheat_kernel, *args, **kwargs)
        if not preheat_kernel:
            return cls

        class ZaalPool(cls):
            async def get_rendered_notebook(self, *a, **k):
                if hasattr(self, "pool_genomen"):
                    self.pool_genomen()
                return await super().get_rendered_notebook(*a, **k)

        return ZaalPool

    voila.app.voila_kernel_manager_factory = with_room


def _stop_kernels_first() -> None:
    """Voila's stop removes the folder of connection files before it stops the kernels: a pool kernel still
    starting then finds no connection file, starts over TCP on its own (with ipykernel's English warning) and
    lingers until it notices its parent is gone. Kernels first, the folder after; a kernel that went away in the
    meantime is no reason for a traceback."""
    import shutil

    from jupyter_core.utils import run_sync
    from voila.app import Voila

    def stop(self) -> None:
        for _ in range(3):  # a pool kernel that finished starting during the first round is stopped in the next
            try:
                run_sync(self.kernel_manager.shutdown_all)()
                break
            except Exception:  # noqa: BLE001 - "kernel does not exist": it stopped already
                continue
        shutil.rmtree(self.connection_dir, ignore_errors=True)

    Voila.stop = stop


def _accept_same_origin_beacon() -> None:
    from voila.shutdown_kernel_handler import VoilaShutdownKernelHandler

    def check_xsrf_cookie(self) -> None:
        if not self.check_origin():
            raise web.HTTPError(403, "Verzoek van een andere website geweigerd.")

    VoilaShutdownKernelHandler.check_xsrf_cookie = check_xsrf_cookie


def _dutch_login() -> None:
    """Zaalmodus: the page that asks for the room's code is Dutch and plain (jupyter_server's is English)."""
    import jinja2
    from tornado.escape import url_escape
    from voila.voila_identity_provider import VoilaLoginHandler

    from wijkkit.kenniskring.zaal import LOGIN_PAGE

    page = jinja2.Environment(autoescape=True).from_string(LOGIN_PAGE)

    def _render(self, message=None) -> None:
        pogingen = getattr(self.identity_provider, "pogingen", None)
        wachten = pogingen.wachten(self.request.remote_ip) if pogingen else 0
        if wachten:
            self.set_status(429)
            self.set_header("Retry-After", str(wachten))
        self.write(page.render(next=url_escape(self.get_argument("next", default=self.base_url)), message=message,
                               wachten=wachten, base_url=self.base_url, xsrf_form_html=self.xsrf_form_html))

    VoilaLoginHandler._render = _render


def _melding(titel: str, uitleg: str) -> str:
    import jinja2

    from wijkkit.kenniskring.zaal import MELDING_PAGE

    return jinja2.Environment(autoescape=True).from_string(MELDING_PAGE).render(titel=titel, uitleg=uitleg)


def _dutch_errors() -> None:
    """Every error page a visitor can reach is a short Dutch page: Jupyter's own where it renders (Voila's template
    is Dutch), else ours. jupyter_server's /logout and Voila's template file handler otherwise answer a bare 500
    (their templates need settings Voila does not have); a malformed template path is "not found"."""
    from jupyter_server.auth.decorator import allow_unauthenticated
    from jupyter_server.auth.logout import LogoutHandler
    from jupyter_server.base.handlers import JupyterHandler
    from voila.static_file_handler import TemplateStaticFileHandler

    from wijkkit.kenniskring.zaal import AFGEMELD, FOUT_ANDERS, FOUTEN

    def plain(self, status_code: int, **_kwargs) -> None:
        self.clear()
        self.set_status(status_code)
        self.set_header("Content-Type", "text/html; charset=UTF-8")
        self.finish(_melding(*FOUTEN.get(status_code, FOUT_ANDERS)))

    jupyter_error = JupyterHandler.write_error

    def write_error(self, status_code: int, **kwargs) -> None:
        try:
            jupyter_error(self, status_code, **kwargs)
        except Exception:  # its template could not be drawn: ours instead, the details stay in the log
            self.log.warning("Foutpagina %s vervangen door de Nederlandse", status_code, exc_info=True)
            plain(self, status_code)

    web.RequestHandler.write_error = plain
    JupyterHandler.write_error = write_error

    def logout(self) -> None:
        self.identity_provider.clear_login_cookie(self)
        self.finish(_melding(*AFGEMELD))

    LogoutHandler.get = allow_unauthenticated(logout)
    parse = TemplateStaticFileHandler.parse_url_path

    def parse_url_path(self, path):
        try:
            return parse(self, path)
        except (ValueError, AssertionError):
            raise web.HTTPError(404) from None

    TemplateStaticFileHandler.parse_url_path = parse_url_path


def main(argv: list[str] | None = None) -> int:
    _quiet_terminal()
    _room_page_rules()
    _pool_for_the_room()
    _stop_kernels_first()
    _accept_same_origin_beacon()
    _dutch_login()
    _dutch_errors()
    from traitlets.config import Config
    from voila.app import Voila

    # jupyter_server's default websocket ping timeout (90 s) is longer than its ping interval (30 s), which tornado
    # corrects with an English warning at the first phone: the same 30 s, said here
    config = Config({"Voila": {"tornado_settings": {"ws_ping_timeout": 30_000}}})
    Voila.launch_instance(argv=argv if argv is not None else sys.argv[1:], config=config)
    return 0


if __name__ == "__main__":  # pragma: no cover - started by serve() as a subprocess
    sys.exit(main())
