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
# names nobody may take: the services, system accounts, and the word 'gebruiker verwijder' reads as a command
GERESERVEERD = {DIENST, "root", "admin", "postgres", "beheer", "wijkkit", "wijkkit-beheer", "opruimen", "hub",
                "nobody", "verwijder"}
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
# further tables whose changes and deletes are kept in geschiedenis (the kenniskring's and the coördinator's)
GESCHIEDENIS = ("stories", "duidingen", "prioriteiten", "toewijzingen", "schouwpunten")
# what the kenniskring page adds stays: a visitor (or the page's process) cannot delete a duiding or an evening
BLIJFT = {"gast": ("duidingen", "bijeenkomsten")}
ALLEEN_LEZEN = ("geschiedenis",)  # nobody writes it but the triggers, not even a coördinator


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
        schrijven = [t for t in (tabellen if SCHRIJVEN[r] is None else SCHRIJVEN[r])
                     if t in tabellen and t not in ALLEEN_LEZEN]
        if schrijven:
            lines.append(f"GRANT INSERT, UPDATE, DELETE ON {', '.join(ident(t) for t in schrijven)} TO {g};")
        bewaard = [t for t in BLIJFT.get(r, ()) if t in schrijven]
        if bewaard:
            lines.append(f"REVOKE DELETE ON {', '.join(ident(t) for t in bewaard)} FROM {g};")
        lines.append(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {g};")
    lines.append(eigendom_sql(database, tabellen))
    return "\n".join(lines) + "\n"


def eigendom_sql(database: str, tabellen: list[str]) -> str:
    """Who may change which row, enforced by PostgreSQL itself, and the history of every change.

    - A team member's row carries the member's own name (a trigger stamps it, whatever the program sent), and
      row-level security refuses an insert or change whose row is not the member's own (a tagger's suggestion
      is nobody's: anyone in the team may replace it).
    - A codeur's change or delete of a colleague's row is not done, and recorded as a refused attempt in
      ``geschiedenis`` (with a warning to whoever tried): the row stays as it was. Row-level security would skip
      such a row silently; the trigger sees it, so the attempt leaves a trace.
    - Every change or delete that is done (a coördinator's correction included) keeps the row as it was.
    - Nobody writes ``geschiedenis`` but these triggers (no grant), so nobody can rewrite it.
    """
    coord, codeur = literal(groep(database, "coordinator")), literal(groep(database, "codeur"))
    lines = [f"""
CREATE OR REPLACE FUNCTION wijkkit_ik() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT regexp_replace(session_user, '^{PREFIX}', '')
$$;
CREATE OR REPLACE FUNCTION wijkkit_rol() RETURNS text LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN pg_has_role(session_user, {coord}, 'MEMBER') THEN 'coordinator'
                WHEN pg_has_role(session_user, {codeur}, 'MEMBER') THEN 'codeur' ELSE '' END
$$;
CREATE OR REPLACE FUNCTION wijkkit_noteer(tabel text, actie text, oud jsonb, nieuw jsonb) RETURNS void
LANGUAGE sql SET search_path = public, pg_temp AS $$
    INSERT INTO geschiedenis (tabel, actie, door, oud, nieuw, created_at)
    VALUES (tabel, actie, session_user, oud, nieuw, now())
$$;
REVOKE ALL ON FUNCTION wijkkit_noteer(text, text, jsonb, jsonb) FROM PUBLIC;
DROP FUNCTION IF EXISTS wijkkit_stempel() CASCADE;
-- the triggers run as the owner (they write geschiedenis, which no member may); session_user stays the member
CREATE OR REPLACE FUNCTION wijkkit_eigendom() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
DECLARE
    rol text := wijkkit_rol();
    ik text := wijkkit_ik();
    oud jsonb;
    nieuw jsonb;
    van_niemand boolean := false;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        oud := to_jsonb(OLD);
        -- a tagger's suggestion is nobody's own: it is replaced when the tagger runs again
        van_niemand := TG_TABLE_NAME = 'codings' AND oud->>'status' = 'suggested';
    END IF;
    IF TG_OP = 'UPDATE' THEN
        nieuw := to_jsonb(NEW);
        -- the store letting go of a deleted suggestion (ON DELETE SET NULL) is not a change of the decision
        IF nieuw - 'suggestie_id' = oud - 'suggestie_id' THEN
            RETURN NEW;
        END IF;
    END IF;
    IF TG_OP <> 'INSERT' AND rol = 'codeur' AND oud->>'codeur' IS DISTINCT FROM ik AND NOT van_niemand THEN
        PERFORM wijkkit_noteer(TG_TABLE_NAME, 'geweigerd: ' || CASE WHEN TG_OP = 'DELETE' THEN 'verwijdering'
                               ELSE 'wijziging' END, oud, nieuw);
        RAISE WARNING 'wijkkit: % is van %, niet van %: niet gewijzigd (de poging is vastgelegd)',
            TG_TABLE_NAME, oud->>'codeur', ik;
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF NOT van_niemand THEN
            PERFORM wijkkit_noteer(TG_TABLE_NAME, 'verwijdering', oud, NULL);
        END IF;
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        -- a row stays its author's: a coördinator's correction is kept in geschiedenis under their name
        NEW.codeur := OLD.codeur;
    ELSIF rol <> '' THEN
        IF TG_TABLE_NAME <> 'codings' THEN
            NEW.codeur := ik;
        ELSIF NEW.status <> 'suggested' THEN
            NEW.codeur := ik;
        END IF;
    END IF;
    IF TG_OP = 'UPDATE' AND NOT van_niemand THEN
        PERFORM wijkkit_noteer(TG_TABLE_NAME, 'wijziging', oud, to_jsonb(NEW));
    END IF;
    RETURN NEW;
END $$;
CREATE OR REPLACE FUNCTION wijkkit_geschiedenis() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public, pg_temp AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM wijkkit_noteer(TG_TABLE_NAME, 'verwijdering', to_jsonb(OLD), NULL);
        RETURN OLD;
    END IF;
    PERFORM wijkkit_noteer(TG_TABLE_NAME, 'wijziging', to_jsonb(OLD), to_jsonb(NEW));
    RETURN NEW;
END $$;"""]
    groups = {r: ident(groep(database, r)) for r in ROLLEN}
    for table in tabellen:
        t = ident(table)
        lines.append(f"DROP TRIGGER IF EXISTS wijkkit_eigendom ON {t};")
        lines.append(f"DROP TRIGGER IF EXISTS wijkkit_geschiedenis ON {t};")
        if table in GESTEMPELD:
            lines.append(f"CREATE TRIGGER wijkkit_eigendom BEFORE INSERT OR UPDATE OR DELETE ON {t} "
                         "FOR EACH ROW EXECUTE FUNCTION wijkkit_eigendom();")
            eigen = "codeur = wijkkit_ik()" + (" OR status = 'suggested'" if table == "codings" else "")
            lines.append(f"ALTER TABLE {t} ENABLE ROW LEVEL SECURITY;")
            for name, rule in (
                    ("wijkkit_coordinator", f"FOR ALL TO {groups['coordinator']} USING (true) WITH CHECK (true)"),
                    ("wijkkit_lezen", f"FOR SELECT TO {groups['codeur']}, {groups['gast']} USING (true)"),
                    ("wijkkit_toevoegen", f"FOR INSERT TO {groups['codeur']} WITH CHECK ({eigen})"),
                    # a colleague's row reaches the trigger, which refuses it and records the attempt
                    ("wijkkit_wijzigen", f"FOR UPDATE TO {groups['codeur']} USING (true) WITH CHECK ({eigen})"),
                    ("wijkkit_verwijderen", f"FOR DELETE TO {groups['codeur']} USING (true)")):
                lines.append(f"DROP POLICY IF EXISTS {name} ON {t};")
                lines.append(f"CREATE POLICY {name} ON {t} {rule};")
        elif table in GESCHIEDENIS:
            lines.append(f"CREATE TRIGGER wijkkit_geschiedenis BEFORE UPDATE OR DELETE ON {t} "
                         "FOR EACH ROW EXECUTE FUNCTION wijkkit_geschiedenis();")
    return "\n".join(lines) + "\n"


def lid_sql(database: str, hub: str, rol_: str) -> str:
    """A login role for one person (peer: only their own Unix user gets in as it), in one group only."""
    naam = ident(unix_naam(hub))
    lines = [f"DO $$ BEGIN CREATE ROLE {naam} LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;"]
    for r in ROLLEN:
        verb = "GRANT" if r == rol_ else "REVOKE"
        lines.append(f"{verb} {ident(groep(database, r))} {'TO' if verb == 'GRANT' else 'FROM'} {naam};")
    return "\n".join(lines) + "\n"
