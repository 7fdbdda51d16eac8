"""Institutional login (OpenID Connect: SURFconext, Microsoft Entra ID, Keycloak ...) with roles from a group claim.

The institution says who someone is and which groups they are in; this authenticator turns one claim (e.g.
SURFconext's ``eduperson_entitlement`` or Entra ID's ``groups``) into exactly one wijkkit role: the hub group
coordinator, codeur or gast (the highest role whose values the person carries). Someone with none of the
configured values is refused with a Dutch message. The mapping is data (``rol_waarden`` in the hub
configuration, written by :func:`wijkkit.server.hubconfig.oidc_login`), the same on one machine and on z2jh.
"""

from __future__ import annotations

import base64
import json
import re

from oauthenticator.generic import GenericOAuthenticator
from tornado import web
from traitlets import Dict, Unicode, default

from wijkkit.server.rollen import GERESERVEERD, ROLLEN

ONGELDIG = re.compile(r"[^a-z0-9_-]+")
GEEN_ROL = ("Je instelling geeft je geen rol op deze teamserver (coördinator, codeur of gast). Vraag de coördinator "
            "van het project om je toe te voegen aan de groep van het project.")


def id_token_claims(token: str | None) -> dict:
    """The claims of an ID token that came straight from the token endpoint over TLS (OpenID Connect Core
    3.1.3.7: TLS validation of that endpoint may stand in for the signature), for claims such as Entra ID's
    ``groups`` that the userinfo endpoint does not return."""
    if not token or token.count(".") != 2:
        return {}
    payload = token.split(".")[1]
    try:
        return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except ValueError:
        return {}


def waarden(value) -> set[str]:
    """A claim's values as a set of strings (a list, a space-separated string or one value)."""
    if value is None:
        return set()
    if isinstance(value, str):
        return set(value.split())
    if isinstance(value, (list, tuple, set)):
        return {str(v) for v in value}
    return {str(value)}


def rol_uit_claims(claims: dict, rol_claim: str, rol_waarden: dict) -> str | None:
    """The highest role (coördinator, codeur, gast) whose values the claim carries; None if none."""
    carried = waarden(claims.get(rol_claim))
    return next((rol for rol in ROLLEN if carried & set(rol_waarden.get(rol, []))), None)


def hub_naam_uit(text: str) -> str:
    """A hub name from an institution's user name (``J.Jansen@hva.nl`` -> ``j-jansen-hva-nl``): the team
    server's name rules (lower case, a letter first, letters, digits, - and _; at most 28)."""
    naam = ONGELDIG.sub("-", text.strip().lower()).strip("-_")
    if not naam[:1].isalpha():
        naam = "u-" + naam
    naam = naam[:28].rstrip("-_")
    return naam + "-1" if naam in GERESERVEERD else naam


class WijkkitOIDCAuthenticator(GenericOAuthenticator):
    """GenericOAuthenticator whose groups are exactly one wijkkit role, mapped from one claim."""

    rol_claim = Unicode("groups", config=True, help="The claim that carries the person's groups.")
    rol_waarden = Dict(config=True, help="Per role (coordinator, codeur, gast) the claim values that give it.")

    @default("manage_groups")
    def _manage_groups_default(self):
        return True

    @default("allowed_groups")
    def _allowed_groups_default(self):
        return set(ROLLEN)

    @default("login_service")
    def _login_service_default(self):
        return "de instelling"

    def user_info_to_username(self, user_info):
        return hub_naam_uit(super().user_info_to_username(user_info))

    async def get_user_groups(self, auth_state: dict):
        claims = {**id_token_claims(auth_state.get("id_token")), **(auth_state.get(self.user_auth_state_key) or {})}
        rol = rol_uit_claims(claims, self.rol_claim, self.rol_waarden)
        return {rol} if rol else set()

    async def check_allowed(self, username, auth_model):
        if await super().check_allowed(username, auth_model):
            return True
        refused = web.HTTPError(403, GEEN_ROL, reason="Geen rol")
        refused.jupyterhub_message = GEEN_ROL  # shown on the Dutch error page (sjablonen/error.html)
        raise refused
