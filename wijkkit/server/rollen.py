"""Roles on the team server: what a coördinator, a codeur and a gast may do, in the hub and in PostgreSQL.

One name per person everywhere: hub user ``anna`` runs as Unix user ``wk-anna`` and reaches the store as the
PostgreSQL role ``wk-anna`` (peer authentication: the operating system vouches for the name). The store's
rights follow from the role group the person is in, and a trigger writes the person's hub name into every
decision, memo and "klaar" mark, whatever the program sent.
"""

from __future__ import annotations

import re

from wijkkit.errors import Probleem, WijkkitInputError

ROLLEN = ("coordinator", "codeur", "gast")
ROL_LABEL = {"coordinator": "coördinator", "codeur": "codeur", "gast": "gast"}
PREFIX = "wk-"
DIENST = "kenniskring"  # the kenniskring page runs as this service (and Unix user wk-kenniskring)
GERESERVEERD = {DIENST, "root", "admin", "postgres", "beheer", "wijkkit"}
NAAM = re.compile(r"^[a-z][a-z0-9_-]{1,27}$")

# What each role may do in the hub (JupyterHub RBAC scopes). A gast may only open the kenniskring page; a
# codeur has a JupyterLab of their own; a coördinator also manages accounts and groups, but may not open
# another person's lab (that would be working under their name).
HUB_SCOPES = {
    "gast": ["read:users!user", "access:services!service=" + DIENST],
    "codeur": ["self", "access:services!service=" + DIENST],
    "coordinator": ["self", "access:services", "admin-ui", "list:users", "read:users", "admin:users",
                    "list:groups", "read:groups", "admin:groups", "read:servers"],
}
# The tables a role may change (everyone in the team may read all tables but the encrypted originals).
SCHRIJVEN = {
    "coordinator": None,  # everything
    "codeur": ("codings", "memos", "afgerond"),
    "gast": ("duidingen", "prioriteiten", "bijeenkomsten", "bekeken"),
}
GESTEMPELD = ("codings", "memos", "afgerond")  # tables whose codeur column is the person who wrote the row


def hub_naam(text: str) -> str:
    """A hub name as people type it, checked: lower case, starting with a letter, letters, digits, - and _."""
    naam = text.strip().lower()
    if not NAAM.match(naam) or naam in GERESERVEERD:
        raise WijkkitInputError(Probleem(
            "NAAM", "een gebruikersnaam van 2 tot 28 tekens: kleine letters, cijfers, '-' en '_', beginnend met een "
            "letter (niet " + ", ".join(sorted(GERESERVEERD)) + ")", gevonden=text, plek="optie"))
    return naam


def unix_naam(hub: str) -> str:
    return PREFIX + hub


def rol(text: str) -> str:
    key = text.strip().lower().replace("ö", "o")
    if key not in ROLLEN:
        raise WijkkitInputError(Probleem("--rol", "een van: coördinator, codeur, gast", gevonden=text, plek="optie"))
    return key


def groep(database: str, rol_: str) -> str:
    """The PostgreSQL group role of a kind of member in this project's database."""
    return f"{database}_{rol_}"


def ident(name: str) -> str:
    """A PostgreSQL identifier, quoted (role names hold a '-')."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def database_sql(database: str, tabellen: list[str]) -> str:
    """Group roles, their grants on the store's tables, and the trigger that stamps who wrote a row.

    Idempotent: run again after a migration (new tables) and the rights are complete again.
    """
    lines = []
    for r in ROLLEN:
        g = ident(groep(database, r))
        lines.append(f"DO $$ BEGIN CREATE ROLE {g} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;")
    lines.append(f"GRANT CONNECT ON DATABASE {ident(database)} TO " + ", ".join(ident(groep(database, r))
                                                                               for r in ROLLEN) + ";")
    lines.append("GRANT USAGE ON SCHEMA public TO " + ", ".join(ident(groep(database, r)) for r in ROLLEN) + ";")
    for r in ROLLEN:
        g = ident(groep(database, r))
        lines.append(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {g};")
        lezen = [t for t in tabellen if t != "originals" or r == "coordinator"]
        if lezen:
            lines.append(f"GRANT SELECT ON {', '.join(ident(t) for t in lezen)} TO {g};")
        schrijven = tabellen if SCHRIJVEN[r] is None else [t for t in SCHRIJVEN[r] if t in tabellen]
        if schrijven:
            lines.append(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(ident(t) for t in schrijven)} TO {g};")
        lines.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {g};")
    team = ", ".join(literal(groep(database, r)) for r in ("coordinator", "codeur"))
    lines.append(f"""
CREATE OR REPLACE FUNCTION wijkkit_stempel() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    -- a team member's row carries the member's own name, whatever the program sent (suggestions of the
    -- tagger keep theirs); the name is the role's, which PostgreSQL took from the operating system
    IF EXISTS (SELECT 1 FROM unnest(ARRAY[{team}]) AS g(naam)
               WHERE pg_has_role(session_user, g.naam, 'MEMBER'))
       AND NOT (TG_TABLE_NAME = 'codings' AND NEW.status = 'suggested') THEN
        NEW.codeur := regexp_replace(session_user, '^{PREFIX}', '');
    END IF;
    RETURN NEW;
END $$;""")
    for table in GESTEMPELD:
        if table in tabellen:
            lines.append(f"DROP TRIGGER IF EXISTS wijkkit_stempel ON {ident(table)};")
            lines.append(f"CREATE TRIGGER wijkkit_stempel BEFORE INSERT OR UPDATE ON {ident(table)} "
                         "FOR EACH ROW EXECUTE FUNCTION wijkkit_stempel();")
    return "\n".join(lines) + "\n"


def lid_sql(database: str, hub: str, rol_: str) -> str:
    """A login role for one person (peer: only their own Unix user gets in as it), in one group only."""
    naam = ident(unix_naam(hub))
    lines = [f"DO $$ BEGIN CREATE ROLE {naam} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"]
    for r in ROLLEN:
        verb = "GRANT" if r == rol_ else "REVOKE"
        lines.append(f"{verb} {ident(groep(database, r))} {'TO' if verb == 'GRANT' else 'FROM'} {naam};")
    return "\n".join(lines) + "\n"
