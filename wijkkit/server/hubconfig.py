"""The team server's hub settings, written once: roles, groups, scopes, services and login.

Both engines read them from here: ``wijkkit server maak`` writes them into the one-machine
``jupyterhub_config.py``, and :mod:`wijkkit.server.z2jh` writes them into the Zero to JupyterHub values
(``deploy/values.yaml``). A test checks that the committed values are what this module produces, so the
Helm values cannot drift from what the one-machine tests run.

Everything here is plain data (dicts and lists of strings): what the hub's configuration says, not how.
"""

from __future__ import annotations

from wijkkit.server.rollen import DIENST, HUB_SCOPES, ROLLEN

BEHEER = "wijkkit-beheer"  # the service `wijkkit server gebruiker` talks to the hub as
OPRUIMER = "opruimen"  # jupyterhub-idle-culler
CULL_TIMEOUT = 3600  # an idle lab stops after an hour (its files stay)
KENNISKRING_POORT = 8003  # the kenniskring page's port inside its pod on Kubernetes (one machine: hub port + 3)
SERVER_TOKEN_SCOPES = ["inherit"]  # a lab may do what its person may (e.g. read the groups for `coderen toewijzen`)
STANDAARD_URL = "/lab/tree/notebooks/werkbank_coderen.ipynb"  # where a lab opens (copied into every home)


def manages_groups(login: dict | None) -> bool:
    """Whether a login's authenticator sets the groups itself (institutional login: from a claim)."""
    return any(traits.get("manage_groups") for traits in (login or {}).values())


def load_groups(login: dict | None = None) -> dict:
    """One hub group per role; a person is in exactly one of them. None to load when the login manages the
    groups (JupyterHub refuses both: the roles then create the groups, the login fills them)."""
    return {} if manages_groups(login) else {rol: {"users": []} for rol in ROLLEN}


def rol_rollen() -> list[dict]:
    """The hub roles of people: a gast (every user), a codeur and a coördinator (by group)."""
    return [
        {"name": "user", "description": "gast: alleen de kenniskring-pagina", "scopes": list(HUB_SCOPES["gast"])},
        {"name": "wijkkit-codeur", "description": "codeur: een eigen JupyterLab", "groups": ["codeur"],
         "scopes": list(HUB_SCOPES["codeur"])},
        {"name": "wijkkit-coordinator", "description": "coördinator: accounts, groepen, alle diensten",
         "groups": ["coordinator"], "scopes": list(HUB_SCOPES["coordinator"])},
    ]


def dienst_rollen() -> list[dict]:
    """The hub roles of the services that manage accounts and stop idle labs."""
    return [
        {"name": BEHEER, "description": "wijkkit server gebruiker: accounts met een rol", "services": [BEHEER],
         "scopes": ["admin:users", "admin:groups", "list:users", "read:users", "list:groups", "read:groups"]},
        {"name": "wijkkit-opruimer", "description": "stille labs stoppen", "services": [OPRUIMER],
         "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"]},
    ]


def load_roles() -> list[dict]:
    return rol_rollen() + dienst_rollen()


def native_login() -> dict:
    """Accounts in the hub (NativeAuthenticator, wijkkit's API for `wijkkit server gebruiker`), as traitlets
    config ``{Class: {trait: value}}``: no signing up (a coördinator or root makes accounts); login limits."""
    return {
        "JupyterHub": {"authenticator_class": "wijkkit.server.authenticator.WijkkitAuthenticator"},
        "Authenticator": {"allow_all": True},
        "NativeAuthenticator": {"enable_signup": False, "open_signup": False, "minimum_password_length": 10,
                                "check_common_password": True,
                                "allowed_failed_logins": 5, "seconds_before_next_try": 300},
    }


def oidc_login(*, authorize_url: str, token_url: str, userdata_url: str, client_id: str, callback_url: str,
               rol_claim: str, rol_waarden: dict, username_claim: str = "preferred_username",
               scope: list[str] | None = None) -> dict:
    """Institutional login over OpenID Connect (SURFconext, Microsoft Entra ID, Keycloak ...) as traitlets config.

    ``rol_waarden`` maps a role to the values of the claim ``rol_claim`` that give it (the highest role wins); a
    person with none of them is refused. The client secret is not here: the authenticator reads it from
    ``OAUTH_CLIENT_SECRET`` (one machine: the server folder's secrets; Kubernetes: a Secret).
    """
    return {
        "JupyterHub": {"authenticator_class": "wijkkit.server.oidc.WijkkitOIDCAuthenticator"},
        "WijkkitOIDCAuthenticator": {
            "client_id": client_id,
            "oauth_callback_url": callback_url,
            "authorize_url": authorize_url,
            "token_url": token_url,
            "userdata_url": userdata_url,
            "scope": scope or ["openid", "profile", "email"],
            "username_claim": username_claim,
            "manage_groups": True,  # the claim decides the group at every login
            "rol_claim": rol_claim,
            "rol_waarden": {rol: list(rol_waarden.get(rol, [])) for rol in ROLLEN},
        },
    }


def login_settings(login: dict | None, callback_url: str) -> dict:
    """The login of a ``[login]`` table (wijkkit.toml's server settings, deploy/z2jh.toml): ``soort = "native"``
    (accounts in the hub) or ``soort = "oidc"`` with the fields of :func:`oidc_login`."""
    from wijkkit.errors import Probleem, WijkkitInputError

    login = dict(login or {"soort": "native"})
    soort = login.pop("soort", "native")
    if soort == "native":
        return native_login()
    if soort == "oidc":
        login.setdefault("callback_url", callback_url)
        try:
            return oidc_login(**login)
        except TypeError as exc:
            raise WijkkitInputError(Probleem(
                "[login]", "de velden authorize_url, token_url, userdata_url, client_id, rol_claim en rol_waarden",
                gevonden=str(exc), plek="instelling")) from None
    raise WijkkitInputError(Probleem("[login] soort", "native of oidc", gevonden=str(soort), plek="instelling"))


def kenniskring_dienst(url: str) -> dict:
    """The kenniskring page as a hub service: behind the hub's login, no consent page for visitors."""
    return {"name": DIENST, "url": url, "oauth_no_confirm": True, "display": True,
            "info": {"beschrijving": "De kenniskring-pagina"}}


def cull_args(timeout: int = CULL_TIMEOUT) -> list[str]:
    return [f"--timeout={timeout}"]


def as_python(settings: dict) -> str:
    """Traitlets config ``{Class: {trait: value}}`` as plain ``c.Class.trait = value`` lines."""
    return "\n".join(f"c.{cls}.{trait} = {value!r}" for cls, traits in settings.items()
                     for trait, value in traits.items())
