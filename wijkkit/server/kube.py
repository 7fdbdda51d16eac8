"""The team server's roles on Kubernetes, applied in the hub pod when a lab starts (Zero to JupyterHub).

``hub.extraConfig`` in ``deploy/values.yaml`` calls :func:`configure` with ``custom.wijkkit``. Before a
member's lab starts, :func:`pre_spawn` then:

- refuses a gast (a gast has the kenniskring page, no lab);
- applies the overrides of the member's role (the coördinatoren get the key of the originals and a writable
  project; everyone else sees the project read-only);
- gives the member their own PostgreSQL login role in the group of their role (the same SQL as on one machine,
  :func:`wijkkit.server.rollen.lid_sql`) with a new random password, put in a Kubernetes Secret of that member
  and handed to the lab as ``PGPASSWORD`` from that Secret: nobody types or sees it, and the trigger of the
  store stamps the member's own name into what they write.

``python -m wijkkit.server.kube database`` (run once from the lab image, with ``WIJKKIT_PG_BEHEER_URL``) sets up
the store on an external PostgreSQL: the schema, the group roles, grants and triggers, and the kenniskring
service's login role. ``python -m wijkkit.server.kube notebooks`` copies the notebook templates into a home.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from functools import partial
from importlib import resources
from pathlib import Path

from wijkkit.server import rollen
from wijkkit.server.spawner import rol_van

NOTEBOOKS = Path("/opt/wijkkit/notebooks")  # in the lab image (deploy/lab/Dockerfile)


def secret_naam(hub: str) -> str:
    return f"wijkkit-pg-{hub}"


def apply_overrides(spawner, override: dict) -> None:
    """A role's overrides on a KubeSpawner: lists are added to (a mount with the same mountPath, a volume with the
    same name replaces the common one), ``environment`` is merged, anything else replaces."""
    for trait, value in (override or {}).items():
        current = getattr(spawner, trait)
        if trait in ("volumes", "volume_mounts"):
            key = "name" if trait == "volumes" else "mountPath"
            replaced = {item[key] for item in value}
            # KubeSpawner takes a list or a dict (sorted by key, as the chart writes them)
            common = list(current.values()) if isinstance(current, dict) else list(current)
            setattr(spawner, trait, [item for item in common if item.get(key) not in replaced] + list(value))
        elif trait == "environment":
            setattr(spawner, trait, {**current, **value})
        else:
            setattr(spawner, trait, value)


def lid_met_wachtwoord_sql(database: str, hub: str, rol: str, wachtwoord: str) -> str:
    """The one-machine member SQL plus a password (on Kubernetes no operating system vouches for the name)."""
    return (rollen.lid_sql(database, hub, rol)
            + f"ALTER ROLE {rollen.ident(rollen.unix_naam(hub))} WITH LOGIN PASSWORD {rollen.literal(wachtwoord)};\n")


def run_sql(url: str, sql: str) -> None:
    """SQL as the store's administrator (``WIJKKIT_PG_BEHEER_URL``, from a Secret)."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        conn.execute(sql)


async def zet_secret(spawner, naam: str, data: dict) -> None:
    """A member's Secret, replaced (the chart lets the hub create and delete Secrets, not update them)."""
    from kubernetes_asyncio.client.rest import ApiException

    body = {"apiVersion": "v1", "kind": "Secret", "type": "Opaque", "stringData": data,
            "metadata": {"name": naam, "labels": {"app.kubernetes.io/name": "wijkkit",
                                                  "hub.jupyter.org/username": spawner.user.escaped_name}}}
    try:
        await spawner.api.delete_namespaced_secret(naam, spawner.namespace)
    except ApiException as exc:
        if exc.status != 404:
            raise
    await spawner.api.create_namespaced_secret(spawner.namespace, body)


async def pre_spawn(custom: dict, spawner, *, sql=run_sql) -> None:
    from tornado import web

    hub, rol = spawner.user.name, rol_van(spawner.user)
    overrides = custom.get("rollen", {})
    if rol not in overrides or overrides[rol] is None:
        raise web.HTTPError(403, "Een gast heeft geen eigen JupyterLab; de kenniskring-pagina staat open.")
    apply_overrides(spawner, overrides[rol])
    db = custom["database"]
    wachtwoord = secrets.token_urlsafe(32)
    sql(os.environ["WIJKKIT_PG_BEHEER_URL"], lid_met_wachtwoord_sql(db["naam"], hub, rol, wachtwoord))
    await zet_secret(spawner, secret_naam(hub), {"wachtwoord": wachtwoord})
    pg_rol = rollen.unix_naam(hub)
    spawner.environment = {
        **spawner.environment,
        "WIJKKIT_ROL": rol,
        "WIJKKIT_CODEUR": hub,
        "WIJKKIT_STORE_URL": (f"postgresql+psycopg://{pg_rol}@{db['host']}:{db['poort']}/{db['naam']}"
                              f"?sslmode={db.get('sslmode', 'require')}"),
        "PGPASSWORD": {"valueFrom": {"secretKeyRef": {"name": secret_naam(hub), "key": "wachtwoord"}}},
    }


def configure(c, custom: dict) -> None:
    """Called from ``hub.extraConfig``: the pre-spawn hook and wijkkit's Dutch pages."""
    c.KubeSpawner.pre_spawn_hook = partial(pre_spawn, custom)
    c.JupyterHub.template_paths = [str(resources.files("wijkkit") / "server" / "sjablonen")]


# ------------------------------------------------------------------------------------------- in the pods
def kopieer_notebooks(bron: Path = NOTEBOOKS, thuis: Path | None = None) -> list[Path]:
    """The templates into ``~/notebooks``, where the member has no copy yet (their own edits stay theirs)."""
    doel = (thuis or Path.home()) / "notebooks"
    doel.mkdir(exist_ok=True)
    copied = []
    for notebook in sorted(bron.glob("*.ipynb")):
        if not (doel / notebook.name).exists():
            shutil.copyfile(notebook, doel / notebook.name)
            copied.append(doel / notebook.name)
    return copied


def database_opzetten(beheer_url: str, kenniskring_wachtwoord: str) -> None:
    """The store on an external PostgreSQL: schema (migrated), group roles, grants, triggers, the page's role."""
    from sqlalchemy import create_engine, inspect
    from sqlalchemy.engine import make_url

    from wijkkit.store import open_store

    open_store(beheer_url).close()
    database = make_url(beheer_url).database
    engine = create_engine(beheer_url)
    try:
        tabellen = sorted(inspect(engine).get_table_names())
    finally:
        engine.dispose()
    run_sql(beheer_url, rollen.database_sql(database, tabellen))
    run_sql(beheer_url, lid_met_wachtwoord_sql(database, rollen.DIENST, "gast", kenniskring_wachtwoord))


def account(naam: str, rol: str, *, secret_map: Path = Path("/usr/local/etc/jupyterhub/secret"),
            hub: str = "http://127.0.0.1:8081") -> str:
    """An account with a role, made in the hub pod (``kubectl exec deploy/hub -- python -m wijkkit.server.kube
    account NAAM coordinator``) through the same API as ``wijkkit server gebruiker``, with the wijkkit-beheer
    service's token the chart keeps in its Secret. Returns the one-time password (the person then chooses one)."""
    import json
    import urllib.request

    from wijkkit.server.hubconfig import BEHEER
    from wijkkit.server.rollen import hub_naam
    from wijkkit.server.rollen import rol as check_rol

    naam, soort = hub_naam(naam), check_rol(rol)
    token = (secret_map / f"hub.services.{BEHEER}.apiToken").read_text().strip()
    wachtwoord = secrets.token_urlsafe(12)
    request = urllib.request.Request(f"{hub}/hub/api/wijkkit/gebruikers", method="POST",
                                     data=json.dumps({"naam": naam, "rol": soort, "wachtwoord": wachtwoord}).encode(),
                                     headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30):
        pass
    return wachtwoord


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    if args[:1] == ["notebooks"]:
        kopieer_notebooks()
        return 0
    if args[:1] == ["database"]:
        database_opzetten(os.environ["WIJKKIT_PG_BEHEER_URL"], os.environ["WIJKKIT_KENNISKRING_WACHTWOORD"])
        print("Store, rollen en rechten klaar.")
        return 0
    if args[:1] == ["account"] and len(args) == 3:
        print(f"Account {args[1]} ({args[2]}); wachtwoord, één keer te gebruiken: {account(args[1], args[2])}")
        return 0
    print("Gebruik: python -m wijkkit.server.kube notebooks | database | account NAAM ROL", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover - run in a pod
    sys.exit(main())
