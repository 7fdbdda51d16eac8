"""Logging in to the team server: NativeAuthenticator's accounts (an admin approves them), plus one API call
for ``wijkkit server gebruiker`` that makes an account with a password and a role in one go.

NativeAuthenticator keeps accounts in the hub's own database and works offline. A person may also sign up on
the hub's page; a coördinator then approves them (/hub/authorize) and puts them in a group (/hub/admin).
"""

from __future__ import annotations

import json

import bcrypt
from jupyterhub import orm
from jupyterhub.apihandlers.base import APIHandler
from jupyterhub.scopes import needs_scope
from nativeauthenticator import NativeAuthenticator
from nativeauthenticator.orm import UserInfo
from tornado import web

from wijkkit.server.rollen import ROLLEN, hub_naam, rol
from wijkkit.errors import WijkkitInputError


class GebruikerHandler(APIHandler):
    """``POST /hub/api/wijkkit/gebruikers`` ``{"naam", "rol", "wachtwoord"}``: an approved account in one group."""

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
            raise web.HTTPError(400, f"Een wachtwoord van minstens {authenticator.minimum_password_length} tekens "
                                     "dat niet in de lijst van veelgebruikte wachtwoorden staat.")
        info = UserInfo.find(self.db, naam)
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
        self.set_status(201)
        self.write(json.dumps({"naam": naam, "rol": soort}))


class WijkkitAuthenticator(NativeAuthenticator):
    """NativeAuthenticator with the account call above."""

    def get_handlers(self, app):
        # NativeAuthenticator 1.3's own login page uses the hub's statsd, which JupyterHub 6 no longer has: the
        # hub's own login page (our Dutch login.html) calls the same authenticate()
        native = [(path, handler) for path, handler in super().get_handlers(app) if path != r"/login"]
        return native + [(r"/api/wijkkit/gebruikers", GebruikerHandler)]
