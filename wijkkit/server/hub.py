"""What a lab on the team server knows of the hub: who is logged in, and who is in the team."""

from __future__ import annotations

import json
import os
import urllib.request

from wijkkit.errors import Probleem, WijkkitInputError


def ingelogd() -> str:
    """The hub user this process runs for ('' outside a team server)."""
    return os.environ.get("JUPYTERHUB_USER", "")


def teamleden() -> set[str] | None:
    """The hub users who may code (groups codeur and coordinator); None outside a team server."""
    url, token = os.environ.get("JUPYTERHUB_API_URL"), os.environ.get("JUPYTERHUB_API_TOKEN")
    if not url or not token:
        return None
    members: set[str] = set()
    for group in ("codeur", "coordinator"):
        request = urllib.request.Request(f"{url}/groups/{group}", headers={"Authorization": f"token {token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            members |= set(json.load(response).get("users", []))
    return members


def check_teamlid(naam: str) -> str:
    """A name to assign stories to: on a team server a hub user who codes, else any name."""
    import urllib.error

    try:
        leden = teamleden()
    except urllib.error.HTTPError as exc:
        if exc.code == 403:
            raise WijkkitInputError(Probleem("toewijzen", "de rol coördinator (toewijzen doet een coördinator)",
                                             gevonden=ingelogd(), plek="opdracht")) from None
        raise
    if leden is not None and naam not in leden:
        raise WijkkitInputError(Probleem("CODEUR", "een gebruiker van de server met de rol codeur of coördinator: "
                                         + ", ".join(sorted(leden)), gevonden=naam, plek="optie"))
    return naam
