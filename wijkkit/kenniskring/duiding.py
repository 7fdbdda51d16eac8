"""Duiding notes of a kenniskring: stored per gebied and theme, pseudonymised, listed back.

What a circle writes is read back on a beamer and ends up in summaries and reports, so
names, phone numbers and addresses are replaced on the way in, as with stories.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import select

from wijkkit.store import Store
from wijkkit.store.models import Duiding

ROLLEN = ("bewoner", "ondernemer", "professional", "jongere", "anders")
VELDEN = {"wat_zien_we": "Wat zien we?", "verklaring": "Wat verklaart dit volgens ons?",
          "wat_willen_we": "Wat willen we doen?"}


def add_duiding(store: Store, *, gebied: str, thema: str, datum: date, wat_zien_we: str = "", verklaring: str = "",
                wat_willen_we: str = "", aanwezigen: dict[str, int] | None = None, ingevoerd_door: str = "",
                pseudonimiseerder=None) -> int:
    """Store one duiding (one transaction); texts pass the pseudonymiser when one is given."""
    texts = {"wat_zien_we": wat_zien_we, "verklaring": verklaring, "wat_willen_we": wat_willen_we}
    if not any(t.strip() for t in texts.values()):
        raise ValueError("vul minstens één van de drie vragen in")
    aanwezigen = {rol: int(n) for rol, n in (aanwezigen or {}).items() if int(n) > 0}
    unknown = set(aanwezigen) - set(ROLLEN)
    if unknown:
        raise ValueError(f"onbekende rol(len): {', '.join(sorted(unknown))}; kies uit {', '.join(ROLLEN)}")
    if pseudonimiseerder is not None:
        texts = {k: pseudonimiseerder.pseudonymise(v).tekst if v.strip() else "" for k, v in texts.items()}
    with store.session() as session:
        record = Duiding(gebied=gebied, thema=thema, datum=datum, aanwezigen=aanwezigen,
                         ingevoerd_door=ingevoerd_door.strip(), **{k: v.strip() for k, v in texts.items()})
        session.add(record)
        session.flush()
        return record.id


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
                 "ingevoerd_door": d.ingevoerd_door} for d in session.scalars(query)]
    return pd.DataFrame(rows, columns=["id", "gebied", "thema", "datum", *VELDEN, "aanwezigen", "ingevoerd_door"])


def aanwezigen_tekst(aanwezigen: dict[str, int]) -> str:
    """'3 bewoners, 2 professionals' (Dutch plurals of the roles)."""
    meervoud = {"bewoner": "bewoners", "ondernemer": "ondernemers", "professional": "professionals",
                "jongere": "jongeren", "anders": "anderen"}
    parts = [f"{n} {rol if n == 1 else meervoud[rol]}" for rol, n in aanwezigen.items() if n]
    return ", ".join(parts) if parts else "niet genoteerd"
