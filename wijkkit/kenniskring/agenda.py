"""Agenderen: which gebied and theme deserve attention, according to the room; and the evening it was said on.

The third function of figures (after describing and signalling): from registration to ambition. Each
participant marks at most three gebied×theme combinations "verdient aandacht", with one sentence why; the
beamer shows the room's tally. A :class:`~wijkkit.store.models.Bijeenkomst` ties an evening's priorities,
duidingen and what was looked at together, for the record (``wijkkit kenniskring verslag``), the progress
report and a proposal of ambitions for verandertheorie.yml that the coördinator accepts or not.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import yaml
from sqlalchemy import delete, func, select, update

from wijkkit.store import Store
from wijkkit.store.models import Bekeken, Bijeenkomst, Prioriteit
from wijkkit.verbinden.kruistabel import publiek_aantal
from wijkkit.stuurtekens import zonder_stuurtekens
from wijkkit.weergave import esc


def start_bijeenkomst(store: Store, titel: str = "") -> int:
    with store.session() as session:
        record = Bijeenkomst(titel=titel)
        session.add(record)
        session.flush()
        return record.id


def stop_bijeenkomst(store: Store, ident: int) -> None:
    with store.session() as session:
        session.execute(update(Bijeenkomst).where(Bijeenkomst.id == ident).values(gestopt=datetime.now(timezone.utc)))


def bijeenkomsten(store: Store) -> pd.DataFrame:
    with store.read() as session:
        rows = session.execute(select(Bijeenkomst.id, Bijeenkomst.titel, Bijeenkomst.gestart, Bijeenkomst.gestopt)
                               .order_by(Bijeenkomst.id)).all()
    return pd.DataFrame(rows, columns=["id", "titel", "gestart", "gestopt"])


def add_prioriteit(store: Store, *, bijeenkomst_id: int | None, deelnemer: str, gebied: str, thema: str, zin: str,
                   pseudonimiseerder=None, maximum: int = 3) -> None:
    """One mark; a participant has at most ``maximum``; marking the same combination again replaces the sentence."""
    zin = zin.strip()
    if pseudonimiseerder is not None and zin:
        zin = pseudonimiseerder.pseudonymise(zin).tekst
    with store.session() as session:
        same = (Prioriteit.bijeenkomst_id.is_(None) if bijeenkomst_id is None
                else Prioriteit.bijeenkomst_id == bijeenkomst_id)
        mine = session.scalars(select(Prioriteit).where(same, Prioriteit.deelnemer == deelnemer)).all()
        existing = next((p for p in mine if p.gebied == gebied and p.thema == thema), None)
        if existing is not None:
            existing.zin, existing.pseudo_niveau = zin, "licht"
            return
        if len(mine) >= maximum:
            raise ValueError(f"je hebt al {maximum} onderwerpen op de lijst gezet; haal er eerst een weg")
        session.add(Prioriteit(bijeenkomst_id=bijeenkomst_id, deelnemer=deelnemer, gebied=gebied, thema=thema, zin=zin))


def remove_prioriteit(store: Store, *, bijeenkomst_id: int | None, deelnemer: str, gebied: str, thema: str) -> None:
    with store.session() as session:
        same = (Prioriteit.bijeenkomst_id.is_(None) if bijeenkomst_id is None
                else Prioriteit.bijeenkomst_id == bijeenkomst_id)
        session.execute(delete(Prioriteit).where(same, Prioriteit.deelnemer == deelnemer, Prioriteit.gebied == gebied,
                                                 Prioriteit.thema == thema))


def prioriteiten(store: Store, *, bijeenkomst_id: int | None = None, alle: bool = False) -> pd.DataFrame:
    """The marks of one evening (or, with ``alle``, of every evening)."""
    query = select(Prioriteit.bijeenkomst_id, Prioriteit.deelnemer, Prioriteit.gebied, Prioriteit.thema,
                   Prioriteit.zin, Prioriteit.created_at, Prioriteit.pseudo_niveau == "volledig").order_by(Prioriteit.id)
    if not alle:
        query = query.where(Prioriteit.bijeenkomst_id.is_(None) if bijeenkomst_id is None
                            else Prioriteit.bijeenkomst_id == bijeenkomst_id)
    with store.read() as session:
        rows = session.execute(query).all()
    return pd.DataFrame(rows, columns=["bijeenkomst_id", "deelnemer", "gebied", "thema", "zin", "created_at",
                                       "verwerkt"])


def telling(frame: pd.DataFrame) -> pd.DataFrame:
    """Marks per gebied and theme, most first, with the sentences in the order they were given."""
    if frame.empty:
        return pd.DataFrame(columns=["gebied", "thema", "stemmen", "zinnen"])
    # a sentence is shown once the full pass has run over it (the light pass misses house numbers and initials)
    frame = frame.assign(zin=frame["zin"].where(frame["verwerkt"], "")) if "verwerkt" in frame else frame
    grouped = frame.groupby(["gebied", "thema"], sort=False)
    out = grouped.agg(stemmen=("deelnemer", "nunique"), zinnen=("zin", lambda z: [s for s in z if s])).reset_index()
    return out.sort_values(["stemmen", "gebied", "thema"], ascending=[False, True, True]).reset_index(drop=True)


def tally_html(kring, *, bijeenkomst_id: int | None) -> str:
    """The tally for the beamer: bars of marks; a combination's sentences once as many people marked it as the
    privacy threshold asks (a single sentence in a small room can be recognised)."""
    tally = telling(prioriteiten(kring.store, bijeenkomst_id=bijeenkomst_id))
    if tally.empty:
        return ("<p class='wk-tekst'>Nog niemand heeft iets op de lijst gezet. Kies hierboven een gebied en thema en "
                "zeg in één zin waarom het aandacht verdient.</p>")
    scale = max(int(tally["stemmen"].max()), kring.drempel)  # the longest bar is 100%; a hidden count is never longer
    rows = []
    for r in tally.itertuples():
        naam, label = kring.namen.get(r.gebied, r.gebied), kring.labels.get(r.thema, r.thema)
        # below the threshold a count is not shown (nor its exact bar): a small room can tell who marked what
        zichtbaar = r.stemmen >= kring.drempel
        width = round(100 * (r.stemmen if zichtbaar else kring.drempel / 2) / scale)
        getal = str(r.stemmen) if zichtbaar else f"minder dan {kring.drempel}"
        zinnen = ("".join(f"<li>{esc(z)}</li>" for z in r.zinnen[:5]) if r.stemmen >= kring.drempel and r.zinnen
                  else "")
        rows.append(f"<div class='wk-telling'><div class='wk-telling-naam'>{esc(label)} · {esc(naam)}</div>"
                    f"<div class='wk-balk' style='width:{width}%'>{getal}</div>"
                    + (f"<ul class='wk-zinnen'>{zinnen}</ul>" if zinnen else "") + "</div>")
    hidden = "" if (tally["stemmen"] >= kring.drempel).all() else (
        f"<p class='wk-tekst'>De zinnen staan erbij zodra {kring.drempel} mensen hetzelfde onderwerp kozen.</p>")
    return "<p class='wk-tekst'><b>Wat verdient aandacht, volgens de zaal?</b></p>" + "".join(rows) + hidden


def record_view(store: Store, bijeenkomst_id: int, gebied: str, thema: str) -> None:
    with store.session() as session:
        row = session.get(Bekeken, (bijeenkomst_id, gebied, thema))
        if row is None:
            session.add(Bekeken(bijeenkomst_id=bijeenkomst_id, gebied=gebied, thema=thema, aantal=1))
        else:
            row.aantal = (row.aantal or 0) + 1


def bekeken(store: Store, bijeenkomst_id: int) -> pd.DataFrame:
    with store.read() as session:
        rows = session.execute(select(Bekeken.gebied, Bekeken.thema, Bekeken.aantal)
                               .where(Bekeken.bijeenkomst_id == bijeenkomst_id).order_by(Bekeken.aantal.desc())).all()
    return pd.DataFrame(rows, columns=["gebied", "thema", "aantal"])


def voorstel_ambities(kring, tally: pd.DataFrame, datum: str) -> str:
    """A commented block for verandertheorie.yml: the room's top priorities as candidate ambitions. Never written
    into the file itself: the coördinator copies what the project takes on.

    Written by the YAML serializer, every line commented: a sentence from the room (line breaks, ``ambities:``,
    ``#``, quotes) stays one quoted value when the coördinator removes the ``#``, never becomes structure."""
    ambities, gekozen = [], []
    for k, r in enumerate(tally.head(5).itertuples(), start=1):
        naam, label = kring.namen.get(r.gebied, r.gebied), kring.labels.get(r.thema, r.thema)
        zin = r.zinnen[0] if r.zinnen and r.stemmen >= kring.drempel else label
        ambities.append({
            "id": f"kenniskring-{k}", "titel": zonder_stuurtekens(f"{label} in {naam}"),
            "deelambities": [{"id": f"kenniskring-{k}-a", "titel": zonder_stuurtekens(str(zin))[:80],
                              "indicatoren": [{"soort": "kwalitatief", "thema": r.thema}]}]})
        gekozen.append(f"kenniskring-{k}: {publiek_aantal(r.stemmen, kring.drempel)} keer gekozen")
    lines = [f"Voorstel uit de kenniskring van {datum}: wat de zaal aandacht waard vond.",
             "Neem over wat het project wil aanpakken (haal de # weg en vul indicator en doel in);",
             "wijkkit verandert verandertheorie.yml nooit zelf.", *gekozen, ""]
    if ambities:
        lines += yaml.safe_dump({"ambities": ambities}, allow_unicode=True, sort_keys=False, width=1000,
                                default_flow_style=False).splitlines()
    return "\n".join(f"# {line}".rstrip() for line in lines) + "\n"


def deelnemers_vorige_keer(store: Store) -> int:
    """How many devices set a priority at the last evening that had any (0 when none did): how many phones to
    expect tonight."""
    with store.read() as session:
        last = session.scalar(select(func.max(Prioriteit.bijeenkomst_id)))
        if last is None:
            return 0
        return int(session.scalar(select(func.count(func.distinct(Prioriteit.deelnemer)))
                                  .where(Prioriteit.bijeenkomst_id == last)) or 0)


def aantal_stemmen(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Prioriteit)) or 0)
