"""The record of a kenniskring evening: one offline HTML file, printable, in Dutch.

Who was there (by role, counts only, and only where at least the privacy threshold), which gebieden and themes
were looked at, the duidingen written that evening and the priorities the room set, with a proposal of
ambitions for verandertheorie.yml as a block of comments (the coördinator takes it on or not).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from wijkkit.kenniskring.agenda import bekeken, bijeenkomsten, prioriteiten, telling, voorstel_ambities
from wijkkit.kenniskring.duiding import VELDEN, duidingen
from wijkkit.kenniskring.samenvatting import CSS
from wijkkit.verbinden.kruistabel import publiek_aantal
from wijkkit.weergave import esc, tekst_html

MEERVOUD = {"bewoner": "bewoners", "ondernemer": "ondernemers", "professional": "professionals",
            "jongere": "jongeren", "anders": "anderen"}


def kies_bijeenkomst(store, ident: int | None):
    """The evening asked for, or the last one; None when the project never had one."""
    rows = bijeenkomsten(store)
    if rows.empty:
        return None
    if ident is None:
        return rows.iloc[-1]
    found = rows[rows["id"] == ident]
    return found.iloc[0] if len(found) else None


def verslag_html(kring, bijeenkomst) -> tuple[str, str]:
    """(the page, the proposal for verandertheorie.yml)."""
    store, drempel = kring.store, kring.drempel
    ident = int(bijeenkomst["id"])
    gestart = bijeenkomst["gestart"]
    datum = gestart.strftime("%d-%m-%Y") if isinstance(gestart, datetime) else str(gestart)[:10]
    notes = duidingen(store)
    notes = notes[notes["id"].isin(_duidingen_van(store, ident))]
    rollen: dict[str, int] = {}
    for aanwezig in notes["aanwezigen"]:
        for rol, n in (aanwezig or {}).items():
            rollen[rol] = max(rollen.get(rol, 0), int(n))  # one evening: the largest count any table noted
    aanwezig = ", ".join(f"{publiek_aantal(n, drempel)} {MEERVOUD.get(rol, rol)}" for rol, n in rollen.items() if n)
    gezien = bekeken(store, ident)
    tally = telling(prioriteiten(store, bijeenkomst_id=ident))
    parts = [f"<h1>Verslag van de kenniskring: {esc(kring.project.config.project.naam)}</h1>",
             f"<p class='sub'>{esc(datum)} · {esc(bijeenkomst['titel'] or '')}</p>",
             "<h2>Wie waren er?</h2>",
             f"<p>{esc(aanwezig) if aanwezig else 'Niet genoteerd (vul bij een duiding in wie er waren).'}</p>",
             "<h2>Wat is bekeken?</h2>"]
    if gezien.empty:
        parts.append("<p>Niet bijgehouden.</p>")
    else:
        rows = "".join(f"<tr><td>{esc(kring.namen.get(r.gebied, r.gebied))}</td><td>{esc(kring.labels.get(r.thema, r.thema))}"
                       f"</td></tr>" for r in gezien.itertuples())
        parts.append(f"<table><tr><th>gebied</th><th>thema</th></tr>{rows}</table>")
    parts.append("<h2>Wat verdient aandacht, volgens de zaal?</h2>")
    if tally.empty:
        parts.append("<p>Er zijn geen onderwerpen op de lijst gezet.</p>")
    for r in tally.itertuples():
        zinnen = "".join(f"<li>{esc(z)}</li>" for z in r.zinnen) if r.stemmen >= drempel else ""
        parts.append(f"<p><b>{esc(kring.labels.get(r.thema, r.thema))} in {esc(kring.namen.get(r.gebied, r.gebied))}"
                     f"</b>: {publiek_aantal(r.stemmen, drempel)} keer gekozen</p>" + (f"<ul>{zinnen}</ul>" if zinnen else ""))
    if len(tally) and (tally["stemmen"] < drempel).any():
        parts.append(f"<p class='sub'>Zinnen staan er alleen bij onderwerpen die minstens {drempel} keer gekozen "
                     "zijn.</p>")
    parts.append("<h2>Duidingen</h2>")
    if notes.empty:
        parts.append("<p>Er is deze avond geen duiding vastgelegd.</p>")
    for d in notes.itertuples():
        velden = "".join(f"<p><b>{esc(vraag)}</b><br>{tekst_html(getattr(d, veld))}</p>" for veld, vraag in VELDEN.items()
                         if getattr(d, veld))
        parts.append(f"<div class='duiding'><p class='sub'>{esc(kring.namen.get(d.gebied, d.gebied))} · "
                     f"{esc(kring.labels.get(d.thema, d.thema))}</p>{velden}</div>")
    voorstel = voorstel_ambities(kring, tally, datum)
    if len(tally):
        parts += ["<h2>Voorstel voor de verandertheorie</h2>",
                  "<p>Niet automatisch overgenomen: de coördinator kiest wat het project aanpakt en zet het in "
                  "verandertheorie.yml.</p>", f"<pre>{esc(voorstel)}</pre>"]
    parts.append("<footer>Duidingen en zinnen zijn gepseudonimiseerd; aantallen onder "
                 f"{drempel} worden niet genoemd. Gemaakt met wijkkit.</footer>")
    body = "\n".join(parts)
    page = (f"<!DOCTYPE html>\n<html lang='nl'><head><meta charset='utf-8'><title>Verslag kenniskring {esc(datum)}"
            f"</title><style>{CSS}</style></head><body>{body}</body></html>")
    return page, voorstel


def _duidingen_van(store, ident: int) -> set[int]:
    from sqlalchemy import select

    from wijkkit.store.models import Duiding

    with store.read() as session:
        return set(session.scalars(select(Duiding.id).where(Duiding.bijeenkomst_id == ident)))


def write_verslag(kring, bijeenkomst, folder: Path | None = None) -> tuple[Path, Path | None]:
    """Write the record (and the proposal when the room set priorities) under ``reports/kenniskring/``."""
    folder = Path(folder) if folder else kring.project.root / "reports" / "kenniskring"
    folder.mkdir(parents=True, exist_ok=True)
    page, voorstel = verslag_html(kring, bijeenkomst)
    stamp = str(bijeenkomst["gestart"])[:10].replace("-", "")
    path = folder / f"verslag-kenniskring-{stamp}-{int(bijeenkomst['id'])}.html"
    path.write_text(page, encoding="utf-8")
    proposal = None
    if "kenniskring-1" in voorstel:
        proposal = folder / f"voorstel-verandertheorie-{stamp}-{int(bijeenkomst['id'])}.yml"
        proposal.write_text(voorstel, encoding="utf-8")
    return path, proposal
