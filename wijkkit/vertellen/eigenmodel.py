"""The project's own model: the corpus model re-fitted on the stories this team finished, as the tagger uses it.

Learning it, and deciding whether it is better than the shipped one, is :mod:`wijkkit.coderen.projectmodel`'s
job; this module holds what reading with it needs, so that an import (this layer) can read new stories the way
the team's suggestions are read. ``projectmodel.json`` in the project's model folder keeps the story ids and
the team's labels, never the text (that stays in the store); the model is fitted again from them when needed,
so there is no model file to trust or to go stale.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from sqlalchemy import select

from wijkkit.bestanden import write_atomic
from wijkkit.codebook import Codebook
from wijkkit.store import Store
from wijkkit.store.models import Story

GEWICHT = 3  # a project story counts as this many corpus quotes (fixed before measuring, not tuned)
BESTAND = "projectmodel.json"


@dataclass
class Projectmodel:
    """What the re-fit learned from (story ids and labels) and whether it beat the current suggestions."""

    labels: dict[str, dict]  # story id -> {"themas": [...], "valentie": str}
    beslissingen: int
    in_gebruik: bool
    uit_de_vouw: dict = field(default_factory=dict)  # "huidig" / "project": getoond, juist, gemist
    gewicht: int = GEWICHT
    gemaakt: str = ""
    opnieuw_gelezen: int = 0  # untouched stories whose suggestions were read again with the re-fit

    @property
    def verhalen(self) -> int:
        return len(self.labels)

    def save(self, folder: str | Path) -> Path:
        return write_atomic(Path(folder) / BESTAND, json.dumps(asdict(self), ensure_ascii=False, indent=1))

    @classmethod
    def load(cls, folder: str | Path | None) -> Projectmodel | None:
        if folder is None or not (Path(folder) / BESTAND).exists():
            return None
        return cls(**json.loads((Path(folder) / BESTAND).read_text(encoding="utf-8")))


def shipped():
    """(combination, corpus, calibration) as shipped, or None without a strategy file. Derived each time from
    the tagger's cached combination, so it never goes stale when that is rebuilt."""
    from wijkkit.vertellen import corpusmodel as cm
    from wijkkit.vertellen.tagger import default_combination
    from wijkkit.vertellen.zekerheid import kalibratie_van

    comb = default_combination()
    if comb is None or kalibratie_van(comb) is None:
        return None
    return comb, cm.read_corpus(), kalibratie_van(comb)


def fit_with(project_items: list, basis=None):
    """The corpus model fitted on the corpus plus ``project_items`` (each ``GEWICHT`` times)."""
    lezer, _, _, corpus = basis or shipped_basis()
    return lezer.fit([*corpus, *project_items * GEWICHT])


def shipped_basis() -> tuple:
    """(lezer, model, kalibratie, corpus) as shipped: what a project starts from."""
    comb, corpus, kalibratie = shipped()
    return comb.lezer, comb.model, kalibratie, corpus


def items_from(store: Store, labels: dict[str, dict]) -> list:
    """The labelled stories as corpus quotes (corpusmodel.Citaat), with their text from the store."""
    from wijkkit.vertellen.corpusmodel import Citaat

    with store.read() as session:
        texts = dict(session.execute(select(Story.id, Story.tekst).where(Story.id.in_(list(labels)))).all())
    return [Citaat(texts[s], list(lab["themas"]), lab["valentie"], s, "project") for s, lab in labels.items()
            if s in texts]


def combination(store: Store, folder: str | Path | None):
    """The project's re-fitted model as the tagger applies it (corpusmodel.Combinatie), or None when there is
    none in use. Fitted again from the stored labels: no model file to trust or to go stale."""
    fit = Projectmodel.load(folder)
    if fit is None or not fit.in_gebruik or shipped() is None:
        return None
    return combination_of(store, fit)


def combination_of(store: Store, fit: Projectmodel):
    """The combination a saved re-fit stands for: the corpus model fitted again on its labelled stories."""
    from wijkkit.vertellen import corpusmodel as cm

    comb = shipped()[0]
    return cm.Combinatie(comb.lezer, fit_with(items_from(store, fit.labels)), comb.strategie)


def project_tagger(store: Store, folder: str | Path | None, codebook: Codebook):
    """A tagger for this project: with the re-fitted model where one is in use, else as shipped."""
    from wijkkit.vertellen.tagger import Tagger

    out = Tagger(codebook)
    own = combination(store, folder) if out.combinatie is not None else None
    if own is not None:
        out.use(own)
    return out
