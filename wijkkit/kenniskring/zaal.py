"""Zaalmodus: the kenniskring page on the room's network, behind a short session code shown as a QR code.

``wijkkit kenniskring dashboard --zaal`` (never the default) serves Voila on all interfaces of this laptop;
the beamer shows the code and a QR code of the address with it, and a phone that scans it opens the page.
Without the code there is nothing: no page, no loading screen, no figures. The code is eight lower-case
letters (no i, l or o): easy to type on a phone, too many to guess in an evening (23^8).
"""

from __future__ import annotations

import secrets
import socket
import time

LETTERS = "abcdefghjkmnpqrstuvwxyz"
AVOND_DAGEN = 0.5  # a login cookie holds for twelve hours at most: one evening
DEELNEMER_HEADER = "X-Wijkkit-Deelnemer"  # set by the server for the page's kernel; a browser's own is dropped
LOGIN_PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kenniskring: code</title>
<style>body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 20px; max-width: 30em; margin: 8vh auto;
padding: 0 20px; color: #1a1a1a; line-height: 1.5; } h1 { font-size: 26px; }
input { font-size: 24px; padding: 8px; width: 100%; box-sizing: border-box; min-height: 48px; letter-spacing: 0.1em; }
button { font-size: 22px; min-height: 48px; padding: 6px 20px; margin-top: 12px; }
.fout { color: #a00000; }</style></head>
<body><h1>Kenniskring</h1>
<p>Typ de code die op het scherm in de zaal staat (of scan de QR-code met je telefoon).</p>
{% if wachten %}<p class="fout">Er is vanaf dit apparaat te vaak een verkeerde code getypt. Wacht {{ wachten }}
seconden en probeer het dan opnieuw.</p>{% elif message %}<p class="fout">Die code klopt niet. Kijk nog eens op het
scherm.</p>{% endif %}
<form action="{{ base_url }}login?next={{ next }}" method="post">
{{ xsrf_form_html() | safe }}
<label for="code">Code</label>
<input id="code" type="text" name="password" autocomplete="off" autocapitalize="off" autocorrect="off"
 spellcheck="false" inputmode="text" autofocus>
<button type="submit">Meedoen</button></form></body></html>
"""


MELDING_PAGE = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Kenniskring</title>
<style>body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 20px; max-width: 30em; margin: 8vh auto;
padding: 0 20px; color: #1a1a1a; line-height: 1.5; } h1 { font-size: 26px; }</style></head>
<body><h1>{{ titel }}</h1><p>{{ uitleg }}</p></body></html>
"""

# What a visitor reads for an HTTP error: never a traceback, a path or a server's English.
FOUTEN = {
    403: ("Geen toegang", "Deze pagina is niet voor bezoekers."),
    404: ("Niet gevonden", "Deze pagina bestaat niet. Ga terug naar de kenniskring-pagina."),
    405: ("Niet mogelijk", "Dit kan op deze pagina niet."),
}
FOUT_ANDERS = ("Er ging iets mis", "De pagina kon dit niet afmaken. Probeer het opnieuw; blijft het misgaan, vraag "
               "het de begeleider in de zaal.")
AFGEMELD = ("Afgemeld", "Je bent afgemeld. Wil je weer meekijken? Scan de QR-code op het scherm of typ de code.")


class Pogingen:
    """Wrong codes per address: after ``maximum`` of them within ``venster`` seconds the address waits
    ``wachttijd`` seconds (twice as long each time it happens again, at most an hour), right code or not."""

    def __init__(self, maximum: int = 20, *, venster: float = 600, wachttijd: float = 60, klok=time.monotonic):
        self.maximum, self.venster, self.wachttijd, self.klok = maximum, venster, wachttijd, klok
        self._fouten: dict[str, list[float]] = {}
        self._tot: dict[str, tuple[float, int]] = {}  # address -> (waits until, how many times it waited)

    def wachten(self, adres: str) -> int:
        """Seconds this address still has to wait (0: it may try)."""
        tot, _ = self._tot.get(adres, (0.0, 0))
        return max(0, int(tot - self.klok() + 0.999))

    def fout(self, adres: str) -> bool:
        """Count a wrong code; True when this one made the address wait."""
        now = self.klok()
        recent = [t for t in self._fouten.get(adres, []) if now - t < self.venster] + [now]
        if len(self._fouten) > 10_000:  # a flood of addresses cannot fill the memory
            self._fouten = {a: f for a, f in self._fouten.items() if f and now - f[-1] < self.venster}
        if len(recent) < self.maximum:
            self._fouten[adres] = recent
            return False
        _, keer = self._tot.get(adres, (0.0, 0))
        self._tot[adres] = (now + min(3600, self.wachttijd * 2 ** keer), keer + 1)
        self._fouten[adres] = []
        return True


def session_code(length: int = 8) -> str:
    return "".join(secrets.choice(LETTERS) for _ in range(length))


def lan_address() -> str:
    """This laptop's address in the room's network. Connecting a UDP socket only chooses the route: nothing is
    sent (the address asked is TEST-NET-1, documentation only). Without a network: 127.0.0.1."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        try:
            sock.connect(("192.0.2.1", 9))
            return sock.getsockname()[0]
        except OSError:
            return "127.0.0.1"


def qr_svg(url: str) -> str:
    """The address as a QR code, inline SVG (segno: no network, no images)."""
    import segno

    return segno.make(url, error="m").svg_inline(scale=4, dark="#000000", light="#ffffff")
