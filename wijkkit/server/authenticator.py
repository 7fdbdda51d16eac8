"""Logging in to the team server: accounts in the hub's own database (NativeAuthenticator, works offline).

- Nobody signs up: a coördinator (or ``wijkkit server gebruiker`` as root) adds members through one API call,
  ``POST /hub/api/wijkkit/gebruikers``, which also gives the role. Reserved names are refused everywhere.
- A password set by someone else (a new account, a reset) is one-time: it opens only the page where the member
  chooses their own (``/hub/wijkkit/wachtwoord``), never a lab. Who set it and when is written to the server's
  logbook and shown to the member there, so a reset cannot take over an account unnoticed.
- NativeAuthenticator's own pages (English, an admin's "set any password", sign-up) are not served.
"""

from __future__ import annotations

import html
import json
import time
from pathlib import Path

import bcrypt
from jupyterhub import orm
from jupyterhub.apihandlers.base import APIHandler
from jupyterhub.handlers import BaseHandler
from jupyterhub.scopes import needs_scope
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.orm import UserInfo
from tornado import web
from traitlets import Unicode

from wijkkit.errors import WijkkitInputError
from wijkkit.server.rollen import GERESERVEERD, NAAM, ROLLEN, hub_naam, rol

WACHTWOORD_PAD = "/wijkkit/wachtwoord"


def _zwak(authenticator) -> str:
    return (f"een wachtwoord van minstens {authenticator.minimum_password_length} tekens dat niet in de lijst van "
            "veelgebruikte wachtwoorden staat")


class GebruikerHandler(APIHandler):
    """``POST /hub/api/wijkkit/gebruikers`` ``{"naam", "rol", "wachtwoord"}``: an account in one group, with a
    one-time password the member replaces at their first login."""

    @needs_scope("admin:users")
    async def post(self):
        data = self.get_json_body() or {}
        try:
            naam, soort = hub_naam(str(data.get("naam", ""))), rol(str(data.get("rol", "")))
        except WijkkitInputError as exc:
            raise web.HTTPError(400, str(exc)) from None
        wachtwoord = str(data.get("wachtwoord", ""))
        authenticator = self.authenticator
        if not authenticator.is_password_strong(wachtwoord):
            raise web.HTTPError(400, _zwak(authenticator))
        info = UserInfo.find(self.db, naam)
        nieuw = info is None
        if info is None:
            info = UserInfo(username=naam, password=b"")
            self.db.add(info)
        info.password = bcrypt.hashpw(wachtwoord.encode(), bcrypt.gensalt())
        info.is_authorized = True
        user = self.find_user(naam) or self.user_from_username(naam)
        for name in ROLLEN:  # one role per person: the group of that role, no other
            group = orm.Group.find(self.db, name) or orm.Group(name=name)
            if group.id is None:
                self.db.add(group)
            if name == soort and user.orm_user not in group.users:
                group.users.append(user.orm_user)
            elif name != soort and user.orm_user in group.users:
                group.users.remove(user.orm_user)
        self.db.commit()
        door = getattr(self.current_user, "name", "?")
        authenticator.noteer(naam, "eenmalig", door=door, rol=soort, nieuw=nieuw)
        self.log.info("wijkkit: eenmalig wachtwoord voor %s gezet door %s", naam, door)
        self.set_status(201)
        self.write(json.dumps({"naam": naam, "rol": soort, "eenmalig": True}))


PAGINA = """<!DOCTYPE html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Eigen wachtwoord kiezen</title>
<style>body {{ font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 19px; max-width: 32em; margin: 6vh auto;
padding: 0 20px; line-height: 1.5; color: #1a1a1a; }} label {{ display: block; margin-top: 12px; }}
input {{ font-size: 19px; padding: 6px; width: 100%; box-sizing: border-box; }}
button {{ font-size: 19px; margin-top: 16px; padding: 6px 18px; }} .fout {{ color: #a00000; }}
.melding {{ background: #fff4d6; padding: 8px 12px; }}</style></head>
<body><h1>Eigen wachtwoord kiezen</h1>{melding}
<form method="post" action="{actie}">{xsrf}
<label for="naam">Gebruikersnaam</label><input id="naam" name="naam" value="{naam}" autocomplete="username">
<label for="huidig">Huidig (eenmalig) wachtwoord</label>
<input id="huidig" name="huidig" type="password" autocomplete="current-password">
<label for="nieuw">Nieuw wachtwoord (minstens {minimum} tekens)</label>
<input id="nieuw" name="nieuw" type="password" autocomplete="new-password">
<label for="herhaal">Nieuw wachtwoord nog een keer</label>
<input id="herhaal" name="herhaal" type="password" autocomplete="new-password">
<button type="submit" id="kies">Wachtwoord opslaan</button></form>
<p><a href="{login}">Terug naar inloggen</a></p></body></html>
"""


class WachtwoordHandler(BaseHandler):
    """``/hub/wijkkit/wachtwoord``: a member replaces a password (a one-time one, or their own) by one only they
    know; the page says who set the one-time password and when."""

    def _page(self, naam: str = "", melding: str = "") -> None:
        self.finish(PAGINA.format(
            melding=melding, actie=html.escape(self.hub.base_url + "wijkkit/wachtwoord"),
            xsrf=self.xsrf_form_html(), naam=html.escape(naam), minimum=self.authenticator.minimum_password_length,
            login=html.escape(self.hub.base_url + "login")))

    async def get(self):
        naam = self.get_argument("naam", "")
        gezet = self.authenticator.laatste(naam, actie="eenmalig") if naam else None
        melding = ""
        if gezet:  # the newest password someone else set, also when it has been used since (by whom?)
            nog = (self.authenticator.laatste(naam) or {}).get("actie") == "eenmalig"
            melding = ("<p class='melding'>Je wachtwoord is op " + html.escape(gezet["wanneer"]) + " ingesteld door "
                       + html.escape(gezet["door"]) + "." + (" Het werkt één keer: kies hier een wachtwoord dat "
                       "alleen jij kent." if nog else " Daarna is er een eigen wachtwoord gekozen.")
                       + " Heb je dit niet gevraagd? Meld het bij de beheerder.</p>")
        self._page(naam, melding)

    async def post(self):
        authenticator = self.authenticator
        naam = authenticator.normalize_username(self.get_body_argument("naam", ""))
        huidig = self.get_body_argument("huidig", "", strip=False)
        nieuw = self.get_body_argument("nieuw", "", strip=False)
        info = authenticator.get_user(naam)
        fout = None
        if info is None or authenticator.is_blocked(naam) or not info.is_valid_password(huidig):
            if info is not None:
                authenticator.add_login_attempt(naam)
            fout = "Gebruikersnaam of huidig wachtwoord klopt niet."
        elif nieuw != self.get_body_argument("herhaal", "", strip=False):
            fout = "De twee nieuwe wachtwoorden zijn niet gelijk."
        elif nieuw == huidig or not authenticator.is_password_strong(nieuw):
            fout = f"Kies {_zwak(authenticator)}, en niet gelijk aan het oude."
        if fout:
            self.set_status(400)
            return self._page(naam, f"<p class='fout'>{html.escape(fout)}</p>")
        info.password = bcrypt.hashpw(nieuw.encode(), bcrypt.gensalt())
        self.db.commit()
        authenticator.noteer(naam, "zelf gekozen", door=naam)
        self.redirect(self.hub.base_url + "login?gewijzigd=1")


class WijkkitAuthenticator(NativeAuthenticator):
    """NativeAuthenticator without sign-up, with one-time passwords and the account call above."""

    logboek = Unicode("", config=True, help="JSON lines: who set whose password when (one-time or chosen).")

    def validate_username(self, username):
        return bool(NAAM.match(username)) and username not in GERESERVEERD and super().validate_username(username)

    # ------------------------------------------------------------------------------------------ logbook
    def noteer(self, naam: str, actie: str, *, door: str, **extra) -> None:
        if not self.logboek:
            return
        entry = {"naam": naam, "actie": actie, "door": door, "wanneer": time.strftime("%d-%m-%Y %H:%M"), **extra}
        with open(self.logboek, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry) + "\n")

    def laatste(self, naam: str, *, actie: str | None = None) -> dict | None:
        """The newest password event of ``naam`` (a one-time password set, or one chosen; or only ``actie``)."""
        path = Path(self.logboek) if self.logboek else None
        if path is None or not path.exists():
            return None
        found = None
        for line in path.read_text(encoding="utf-8").splitlines():
            entry = json.loads(line)
            if entry.get("naam") == naam and actie in (None, entry.get("actie")):
                found = entry
        return found

    async def authenticate(self, handler, data):
        naam = await super().authenticate(handler, data)
        if naam and (self.laatste(naam) or {}).get("actie") == "eenmalig":
            # a one-time password opens the page to choose one's own, nothing else
            handler.redirect(handler.hub.base_url + "wijkkit/wachtwoord?naam=" + naam)
            raise web.Finish()
        return naam

    def get_handlers(self, app):
        # only the hub's own (Dutch) login page and ours: no sign-up, no English pages, no admin password page
        return [(r"/api/wijkkit/gebruikers", GebruikerHandler), (WACHTWOORD_PAD, WachtwoordHandler)]
