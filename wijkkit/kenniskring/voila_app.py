"""Voila as the kenniskring serves it: a bounded number of kernels, and closed pages let go of theirs.

Run as ``python -m wijkkit.kenniskring.voila_app <voila arguments>`` (``serve`` does this).

- ``BegrensdeKernels`` refuses a new kernel beyond ``max_kernels`` with a Dutch 503, so a
  crowded evening (or anyone reloading a page in a loop) cannot exhaust the machine's memory.
- A page that is closed asks Voila to shut its kernel down with ``navigator.sendBeacon``,
  which cannot carry Jupyter's ``_xsrf`` token, so the request fails with 403 and the kernel
  stays (voila-dashboards/voila#1458, open). The shutdown handler here accepts the request when
  it comes from this server's own origin: it only names a kernel by its unguessable id. Kernel
  culling (see ``serve``) stays as the safety net for pages that vanish without a beacon.
"""

from __future__ import annotations

import sys

from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from tornado import web
from traitlets import Integer

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
        return await super().start_kernel(*args, **kwargs)


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
        self.write(page.render(next=url_escape(self.get_argument("next", default=self.base_url)), message=message,
                               base_url=self.base_url, xsrf_form_html=self.xsrf_form_html))

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
    _accept_same_origin_beacon()
    _dutch_login()
    _dutch_errors()
    from voila.app import Voila

    Voila.launch_instance(argv=argv if argv is not None else sys.argv[1:])
    return 0


if __name__ == "__main__":  # pragma: no cover - started by serve() as a subprocess
    sys.exit(main())
