"""Coders' decisions: an append-only log in the store where the newest decision counts.

A decision is keyed by (codeur, story, segment, thema); ``segment_id`` None means the whole
story. Accepting a suggestion or adding a code appends a row with status ``accepted`` or
``manual``; removing a code appends ``rejected``. Nothing is updated in place, so two coders
never overwrite each other and the history of a thesis' coding stays auditable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from wijkkit.store import Store
from wijkkit.store.models import Afgerond, Coding, Segment, Story, Toewijzing

PRESENT = ("accepted", "manual")
DECISION_COLUMNS = ["id", "codeur", "story_id", "segment_id", "thema", "valentie", "status", "start", "end",
                    "bewijs", "suggestie_id", "created_at"]


def decide(store: Store, *, codeur: str, story_id: str, status: str, thema: str | None = None,
           segment_id: int | None = None,
           valentie: str | None = None, suggestie_id: int | None = None, codebook_version_id: int | None = None,
           zonder_valentie: bool = False) -> int:
    """Record one decision of ``codeur``; theme, place and evidence of a suggestion come from the suggestion, and
    its valence too unless ``zonder_valentie`` (the coder was shown no valence: it was not likely enough)."""
    if status not in ("accepted", "manual", "rejected"):
        raise ValueError(f"een beslissing is accepted, manual of rejected, niet {status!r}")
    if not codeur.strip():
        raise ValueError("vul eerst je naam als codeur in")
    with store.session() as session:
        start = end = None
        bewijs = term = ""
        if suggestie_id is not None:
            suggestion = session.get(Coding, suggestie_id)
            # the story was read again meanwhile (wijkkit.vertellen.suggesties.reread): the suggestion is gone, or
            # its number now belongs to another one (SQLite hands out a freed number again)
            if (suggestion is None or suggestion.status != "suggested" or suggestion.story_id != story_id
                    or (thema is not None and suggestion.thema != thema)):
                raise ValueError("deze suggestie is intussen vervangen door een nieuwere lezing van het verhaal; "
                                 "open het verhaal opnieuw")
            segment_id, start, end = suggestion.segment_id, suggestion.start, suggestion.end
            bewijs, term = suggestion.bewijs, suggestion.term
            valentie = valentie or (None if zonder_valentie else suggestion.valentie)
            thema = thema or suggestion.thema
        elif thema is None:
            raise ValueError("kies een thema")
        elif segment_id is not None:
            segment = session.get(Segment, segment_id)
            if segment is None or segment.story_id != story_id:
                raise ValueError(f"zin {segment_id} hoort niet bij verhaal {story_id}")
            start, end, bewijs = segment.start, segment.end, segment.tekst
        coding = Coding(story_id=story_id, segment_id=segment_id, thema=thema, valentie=valentie, status=status,
                        codeur=codeur.strip(), start=start, end=end, bewijs=bewijs, term=term,
                        suggestie_id=suggestie_id, codebook_version_id=codebook_version_id)
        session.add(coding)
        session.flush()
        return coding.id


def decisions(store: Store, *, codeur: str | None = None, story_id: str | None = None) -> pd.DataFrame:
    """The current decision per (codeur, story, segment, thema), newest first wins; column ``aanwezig``."""
    query = select(*(getattr(Coding, c) for c in DECISION_COLUMNS)).where(Coding.status != "suggested")
    if codeur is not None:
        query = query.where(Coding.codeur == codeur)
    if story_id is not None:
        query = query.where(Coding.story_id == story_id)
    with store.read() as session:
        frame = pd.DataFrame(session.execute(query.order_by(Coding.id)).all(), columns=DECISION_COLUMNS)
    if frame.empty:
        return frame.assign(aanwezig=pd.Series(dtype=bool))
    frame["segment_key"] = frame["segment_id"].fillna(-1).astype(int)
    frame = frame.drop_duplicates(["codeur", "story_id", "segment_key", "thema"], keep="last")
    frame["aanwezig"] = frame["status"].isin(PRESENT)
    frame["segment_id"] = frame["segment_id"].astype("Int64")
    return frame.drop(columns="segment_key").reset_index(drop=True)


def codes(store: Store, **filters) -> pd.DataFrame:
    """Only the codes that are currently applied (accepted or manual)."""
    frame = decisions(store, **filters)
    return frame[frame["aanwezig"]].reset_index(drop=True)


def open_suggestions(store: Store, story_id: str, codeur: str | None = None) -> pd.DataFrame:
    """Suggestions (rules and, if switched on, the learned model) on a story that ``codeur`` has not answered.

    Without a coder: all suggestions on the story."""
    with store.read() as session:
        rows = session.execute(select(Coding.id, Coding.segment_id, Coding.thema, Coding.valentie, Coding.term,
                                      Coding.bewijs, Coding.start, Coding.end, Coding.score, Coding.codeur,
                                      Coding.zekerheid, Coding.valentie_zekerheid)
                               .where(Coding.story_id == story_id, Coding.status == "suggested")
                               .order_by(Coding.start, Coding.thema)).all()
    frame = pd.DataFrame(rows, columns=["id", "segment_id", "thema", "valentie", "term", "bewijs", "start", "end",
                                        "score", "bron", "zekerheid", "valentie_zekerheid"])
    if codeur is None:
        return frame
    answered = decisions(store, codeur=codeur, story_id=story_id)
    if frame.empty or answered.empty:
        return frame
    done = set(answered["suggestie_id"].dropna().astype(int))
    done_keys = {(int(s) if pd.notna(s) else -1, t) for s, t in zip(answered["segment_id"], answered["thema"])}
    keep = [sid not in done and ((int(seg) if pd.notna(seg) else -1), t) not in done_keys
            for sid, seg, t in zip(frame["id"], frame["segment_id"], frame["thema"])]
    return frame[keep].reset_index(drop=True)


# ---------------------------------------------------------------------------- finished and assigned
def mark_done(store: Store, story_id: str, codeur: str, done: bool = True) -> None:
    """Mark (or unmark) a story as finished by ``codeur``; idempotent, also when called at the same moment."""
    from sqlalchemy import delete

    from wijkkit.store.db import insert_ignoring
    from wijkkit.store.models import utcnow

    with store.session() as session:
        if done:
            session.execute(insert_ignoring(store.engine, Afgerond).values(story_id=story_id, codeur=codeur,
                                                                          created_at=utcnow()))
        else:
            session.execute(delete(Afgerond).where(Afgerond.story_id == story_id, Afgerond.codeur == codeur))


def finished(store: Store) -> pd.DataFrame:
    with store.read() as session:
        rows = session.execute(select(Afgerond.story_id, Afgerond.codeur, Afgerond.created_at)).all()
    return pd.DataFrame(rows, columns=["story_id", "codeur", "created_at"])


def assign_sample(store: Store, *, codeur: str, aantal: int | None = None, aandeel: float | None = None,
                  van: str | None = None, door: str = "", seed: int = 0) -> list[str]:
    """Assign a random sample of stories to ``codeur`` (a second coder); returns the new story ids.

    ``van`` limits the sample to stories another coder has finished, the usual design for an
    agreement check. Stories already assigned to ``codeur`` are not drawn twice.
    """
    with store.read() as session:
        pool = sorted(session.scalars(select(Story.id).where(Story.toestemming != "none")))
        if van is not None:
            pool = sorted(set(pool) & set(session.scalars(select(Afgerond.story_id).where(Afgerond.codeur == van))))
        taken = set(session.scalars(select(Toewijzing.story_id).where(Toewijzing.codeur == codeur)))
    pool = [s for s in pool if s not in taken]
    size = aantal if aantal is not None else int(round((aandeel or 0.2) * len(pool)))
    size = min(size, len(pool))
    chosen = sorted(np.random.default_rng(seed).choice(pool, size=size, replace=False).tolist()) if size else []
    try:
        with store.session() as session:
            session.add_all(Toewijzing(story_id=s, codeur=codeur, door=door) for s in chosen)
    except IntegrityError:  # a colleague assigned the same story at the same moment: keep theirs, retry once
        return assign_sample(store, codeur=codeur, aantal=aantal, aandeel=aandeel, van=van, door=door, seed=seed + 1)
    return chosen


def assignments(store: Store, codeur: str | None = None) -> pd.DataFrame:
    query = select(Toewijzing.story_id, Toewijzing.codeur, Toewijzing.door, Toewijzing.created_at)
    if codeur is not None:
        query = query.where(Toewijzing.codeur == codeur)
    with store.read() as session:
        return pd.DataFrame(session.execute(query).all(), columns=["story_id", "codeur", "door", "created_at"])


def coders(store: Store) -> list[str]:
    """Everyone who has made a decision or finished a story (the tagger is not a coder)."""
    with store.read() as session:
        names = set(session.scalars(select(Coding.codeur).where(Coding.status != "suggested")))
        names |= set(session.scalars(select(Afgerond.codeur)))
    return sorted(names)


def suggestion_record(store: Store, shown) -> dict[str, tuple[int, int]]:
    """How the suggestions did on this project so far: for the suggestions coders answered, (accepted,
    answered) among those shown without asking (``shown(thema, zekerheid)`` true) and among the "misschien".

    Each coder's newest answer to a suggestion counts; a suggestion without a confidence counts as shown."""
    with store.read() as session:
        offered = dict((i, (t, z)) for i, t, z in session.execute(
            select(Coding.id, Coding.thema, Coding.zekerheid).where(Coding.status == "suggested")).all())
        answers = session.execute(select(Coding.codeur, Coding.suggestie_id, Coding.status)
                                  .where(Coding.suggestie_id.is_not(None), Coding.status != "suggested")
                                  .order_by(Coding.id)).all()
    newest = {(codeur, sid): status for codeur, sid, status in answers}
    record = {"getoond": [0, 0], "misschien": [0, 0]}
    for (_, sid), status in newest.items():
        if sid not in offered:
            continue
        thema, zekerheid = offered[sid]
        part = record["getoond" if zekerheid is None or shown(thema, zekerheid) else "misschien"]
        part[0] += status in PRESENT
        part[1] += 1
    return {k: (v[0], v[1]) for k, v in record.items()}
