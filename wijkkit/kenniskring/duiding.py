"""Duiding notes of a kenniskring: stored per gebied and theme, pseudonymised, listed back.

What a circle writes is read back on a beamer and ends up in summaries and reports, so
names, phone numbers and addresses are replaced on the way in, as with stories. A dashboard
kernel replaces them with the light pseudonymiser (no gigabyte name model in every visitor's
kernel); :func:`pseudonimiseer_volledig` passes the full one over those notes later, once per
server (``wijkkit kenniskring dashboard`` does it in a short-lived process) and before every report.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import func, select, update

from wijkkit.store import Store
from wijkkit.store.models import Duiding

from wijkkit.kenniskring.velden import MAX_AANWEZIG, MAX_VELD, ROLLEN, VELDEN  # noqa: F401  (re-exported)


def add_duiding(store: Store, *, gebied: str, thema: str, datum: date, wat_zien_we: str = "", verklaring: str = "",
                wat_willen_we: str = "", aanwezigen: dict[str, int] | None = None, ingevoerd_door: str = "",
                pseudonimiseerder=None, bijeenkomst_id: int | None = None) -> int:
    """Store one duiding (one transaction); texts pass the pseudonymiser when one is given.

    The note is marked ``volledig`` only when that pseudonymiser uses the full name model;
    otherwise it waits for :func:`pseudonimiseer_volledig`.
    """
    texts = {"wat_zien_we": wat_zien_we, "verklaring": verklaring, "wat_willen_we": wat_willen_we}
    if not any(t.strip() for t in texts.values()):
        raise ValueError("vul minstens één van de drie vragen in")
    if any(len(t) > MAX_VELD for t in texts.values()):
        raise ValueError(f"een antwoord is langer dan {MAX_VELD} tekens; maak het korter")
    aanwezigen = {rol: int(n) for rol, n in (aanwezigen or {}).items() if int(n) > 0}
    if any(n > MAX_AANWEZIG for n in aanwezigen.values()):
        raise ValueError(f"hoogstens {MAX_AANWEZIG} aanwezigen per rol")
    unknown = set(aanwezigen) - set(ROLLEN)
    if unknown:
        raise ValueError(f"onbekende rol(len): {', '.join(sorted(unknown))}; kies uit {', '.join(ROLLEN)}")
    if pseudonimiseerder is not None:
        texts = {k: pseudonimiseerder.pseudonymise(v).tekst if v.strip() else "" for k, v in texts.items()}
    with store.session() as session:
        full = pseudonimiseerder is not None and getattr(pseudonimiseerder, "use_deduce", False)
        record = Duiding(gebied=gebied, thema=thema, datum=datum, aanwezigen=aanwezigen,
                         ingevoerd_door=ingevoerd_door.strip(), pseudo_niveau="volledig" if full else "licht",
                         bijeenkomst_id=bijeenkomst_id,
                         **{k: v.strip() for k, v in texts.items()})
        session.add(record)
        session.flush()
        return record.id


def wachtend(store: Store) -> int:
    """How many duidingen and priority sentences still wait for the full pseudonymiser."""
    from wijkkit.store.models import Prioriteit

    with store.read() as session:
        return sum(session.scalar(select(func.count()).select_from(table).where(table.pseudo_niveau != "volledig"))
                   for table in (Duiding, Prioriteit))


def pseudonimiseer_volledig(store: Store, pseudonimiseerder) -> int:
    """Pass the full pseudonymiser over every note that has had the light one; returns how many.

    Placeholders from the light pass stay and new ones continue their numbering. Each note is
    updated in its own transaction only if nobody changed it meanwhile, so a dashboard saving a
    new note at the same moment loses nothing.
    """
    with store.read() as session:
        waiting = [(d.id, {veld: getattr(d, veld) for veld in VELDEN})
                   for d in session.scalars(select(Duiding).where(Duiding.pseudo_niveau != "volledig"))]
    done = 0
    for ident, texts in waiting:
        new = {veld: pseudonimiseerder.pseudonymise(tekst).tekst if tekst.strip() else tekst
               for veld, tekst in texts.items()}
        with store.session() as session:
            same = [getattr(Duiding, veld) == tekst for veld, tekst in texts.items()]
            result = session.execute(update(Duiding).where(Duiding.id == ident, Duiding.pseudo_niveau != "volledig",
                                                           *same).values(pseudo_niveau="volledig", **new))
            done += result.rowcount
    return done + _pseudonimiseer_prioriteiten(store, pseudonimiseerder)


def _pseudonimiseer_prioriteiten(store: Store, pseudonimiseerder) -> int:
    """The same full pass over the sentences of priorities set during an evening."""
    from wijkkit.store.models import Prioriteit

    with store.read() as session:
        waiting = [(p.id, p.zin) for p in session.scalars(select(Prioriteit).where(Prioriteit.pseudo_niveau != "volledig"))]
    done = 0
    for ident, zin in waiting:
        new = pseudonimiseerder.pseudonymise(zin).tekst if zin.strip() else zin
        with store.session() as session:
            result = session.execute(update(Prioriteit).where(Prioriteit.id == ident, Prioriteit.zin == zin,
                                                              Prioriteit.pseudo_niveau != "volledig")
                                     .values(pseudo_niveau="volledig", zin=new))
            done += result.rowcount
    return done


def duidingen(store: Store, *, gebied: str | None = None, thema: str | None = None) -> pd.DataFrame:
    """Stored duidingen, newest first."""
    query = select(Duiding).order_by(Duiding.datum.desc(), Duiding.id.desc())
    if gebied is not None:
        query = query.where(Duiding.gebied == gebied)
    if thema is not None:
        query = query.where(Duiding.thema == thema)
    with store.read() as session:
        rows = [{"id": d.id, "gebied": d.gebied, "thema": d.thema, "datum": d.datum, "wat_zien_we": d.wat_zien_we,
                 "verklaring": d.verklaring, "wat_willen_we": d.wat_willen_we, "aanwezigen": d.aanwezigen or {},
                 "ingevoerd_door": d.ingevoerd_door, "verwerkt": d.pseudo_niveau == "volledig"}
                for d in session.scalars(query)]
    return pd.DataFrame(rows, columns=["id", "gebied", "thema", "datum", *VELDEN, "aanwezigen", "ingevoerd_door",
                                       "verwerkt"])


# What others see of a duiding (or a sentence) that only had the light pass: the light pass misses what the name
# model finds (house numbers as "12-II", initials, double surnames), so the text waits for the full pass.
WORDT_VERWERKT = ("deze duiding wordt nog verwerkt: namen en adressen worden eruit gehaald. Over een minuut staat "
                  "ze hier.")


def aanwezigen_tekst(aanwezigen: dict[str, int], drempel: int) -> str:
    """'minder dan 5 bewoners, 12 professionals' (Dutch plurals of the roles): a count under the privacy threshold
    is not shown, as everywhere else (in a small room, '1 ondernemer' names someone)."""
    from wijkkit.verbinden.kruistabel import publiek_aantal

    meervoud = {"bewoner": "bewoners", "ondernemer": "ondernemers", "professional": "professionals",
                "jongere": "jongeren", "anders": "anderen"}
    parts = [f"{publiek_aantal(n, drempel)} {rol if n == 1 and drempel <= 1 else meervoud.get(rol, rol)}"
             for rol, n in aanwezigen.items() if n]
    return ", ".join(parts) if parts else "niet genoteerd"
