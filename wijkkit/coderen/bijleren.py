"""Learning from this team's decisions: the suggestions' confidence re-calibrated on what coders accepted.

Every suggestion carries a confidence calibrated on the resident corpus (:mod:`wijkkit.vertellen.zekerheid`).
A team codes its own wijk, with its own habits, so after every ``NA`` new answers to suggestions the
confidence is re-fitted on this project's answers (accepted = the theme is right there, rejected = it is
not): a logistic regression on the corpus confidence's logit and the theme (Platt scaling with a term per
theme), and per theme the threshold for precision ``DOEL`` on the re-fitted confidence.

The re-fitted confidence is kept only if it beats the current one *out of fold* on this project's own
answers: folds grouped by story, the re-fit and its thresholds chosen on the other stories, and it must
score a lower Brier score and show suggestions at least as precise as the current thresholds do. Otherwise
the corpus confidence stays. Either way the outcome is written to ``teamkalibratie.json`` in the project's
model folder, so the werkbank can say what the suggestions are based on and how they did.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupKFold
from sqlalchemy import func, select

from wijkkit.bestanden import write_atomic
from wijkkit.coderen.beslissingen import PRESENT
from wijkkit.store import Store
from wijkkit.store.models import Coding

NA = 25  # answers between two re-fits
MIN_ANTWOORDEN = 40  # fewer answers say too little to re-fit on
DOEL = 0.85
BESTAND = "teamkalibratie.json"


def answers(store: Store) -> pd.DataFrame:
    """Per answered suggestion with a confidence: story, theme, confidence and whether it was accepted
    (a coder's newest answer counts; two coders' answers to one suggestion are two answers)."""
    with store.read() as session:
        offered = {i: (s, t, z) for i, s, t, z in session.execute(
            select(Coding.id, Coding.story_id, Coding.thema, Coding.zekerheid)
            .where(Coding.status == "suggested", Coding.zekerheid.is_not(None))).all()}
        rows = session.execute(select(Coding.codeur, Coding.suggestie_id, Coding.status)
                               .where(Coding.suggestie_id.is_not(None), Coding.status != "suggested")
                               .order_by(Coding.id)).all()
    newest = {(codeur, sid): status for codeur, sid, status in rows}
    out = [(*offered[sid], status in PRESENT) for (_, sid), status in newest.items() if sid in offered]
    return pd.DataFrame(out, columns=["story_id", "thema", "zekerheid", "geaccepteerd"])


def decision_count(store: Store) -> int:
    with store.read() as session:
        return int(session.scalar(select(func.count()).select_from(Coding)
                                  .where(Coding.suggestie_id.is_not(None), Coding.status != "suggested")) or 0)


def _features(zekerheid: np.ndarray, thema: np.ndarray, themes: list[str]) -> np.ndarray:
    p = np.clip(zekerheid.astype(float), 1e-3, 1 - 1e-3)
    return np.column_stack([np.log(p / (1 - p)), np.array([[t == x for x in themes] for t in thema], float)
                            .reshape(len(thema), -1)])


def _threshold(conf: np.ndarray, truth: np.ndarray) -> float:
    from wijkkit.vertellen.zekerheid import precision_threshold

    return precision_threshold(conf, truth, DOEL)


@dataclass
class Teamkalibratie:
    """A re-fit of the confidence on this team's answers and whether it is in use."""

    themes: list[str]
    coef: list[float]
    intercept: float
    drempels: dict[str, float]
    antwoorden: int
    beslissingen: int
    in_gebruik: bool
    uit_de_vouw: dict = field(default_factory=dict)  # "huidig" / "team": brier, getoond, juist
    gemaakt: str = ""

    def confidence(self, thema: str, zekerheid: float) -> float:
        x = _features(np.array([zekerheid]), np.array([thema]), self.themes)[0]
        return float(1 / (1 + np.exp(-(x @ np.array(self.coef) + self.intercept))))

    def shown(self, thema: str, zekerheid: float) -> bool:
        return self.confidence(thema, zekerheid) >= self.drempels.get(thema, 1.01)

    def save(self, folder: str | Path) -> Path:
        return write_atomic(Path(folder) / BESTAND, json.dumps(asdict(self), ensure_ascii=False, indent=1))

    @classmethod
    def load(cls, folder: str | Path) -> Teamkalibratie | None:
        path = Path(folder) / BESTAND
        if not path.exists():
            return None
        return cls(**json.loads(path.read_text(encoding="utf-8")))


def _fit(frame: pd.DataFrame, themes: list[str]) -> tuple[LogisticRegression, dict[str, float]]:
    x = _features(frame["zekerheid"].to_numpy(), frame["thema"].to_numpy(), themes)
    y = frame["geaccepteerd"].to_numpy(bool)
    model = LogisticRegression(C=1.0, max_iter=1000).fit(x, y)
    conf = model.predict_proba(x)[:, 1]
    drempels = {t: _threshold(conf[frame["thema"].to_numpy() == t], y[frame["thema"].to_numpy() == t])
                for t in themes}
    return model, drempels


def compare(frame: pd.DataFrame, current, folds: int = 5) -> dict:
    """Out of fold on this project's answers (grouped by story): the current confidence and thresholds
    (``current(thema, zekerheid) -> shown``) against a re-fit chosen on the other stories."""
    themes = sorted(frame["thema"].unique())
    y = frame["geaccepteerd"].to_numpy(bool)
    team_conf = np.zeros(len(frame))
    team_shown = np.zeros(len(frame), bool)
    groups = frame["story_id"].to_numpy()
    for train, test in GroupKFold(n_splits=min(folds, len(set(groups)))).split(frame, groups=groups):
        part = frame.iloc[train]
        if part["geaccepteerd"].nunique() < 2:
            team_conf[test] = part["geaccepteerd"].mean()
            continue
        model, drempels = _fit(part, themes)
        x = _features(frame["zekerheid"].to_numpy()[test], frame["thema"].to_numpy()[test], themes)
        team_conf[test] = model.predict_proba(x)[:, 1]
        team_shown[test] = [c >= drempels.get(t, 1.01) for c, t in zip(team_conf[test],
                                                                          frame["thema"].to_numpy()[test])]
    now_conf = frame["zekerheid"].to_numpy(float)
    now_shown = np.array([current(t, z) for t, z in zip(frame["thema"], frame["zekerheid"])], bool)

    def summary(conf, shown):
        return {"brier": float(np.mean((conf - y) ** 2)), "getoond": int(shown.sum()),
                "juist": int((shown & y).sum())}

    return {"huidig": summary(now_conf, now_shown), "team": summary(team_conf, team_shown)}


def better(result: dict) -> bool:
    """The re-fit replaces the current confidence only where it is better calibrated out of fold and what it
    shows is at least as often right."""
    now, team = result["huidig"], result["team"]
    precision = lambda s: s["juist"] / s["getoond"] if s["getoond"] else 0.0  # noqa: E731
    return team["brier"] < now["brier"] and team["getoond"] > 0 and precision(team) >= precision(now)


def update(store: Store, folder: str | Path, current, *, na: int = NA, force: bool = False
           ) -> Teamkalibratie | None:
    """Re-fit after every ``na`` new answers (or now with ``force``); None when it is not yet time or there are
    fewer than ``MIN_ANTWOORDEN`` answers. ``current(thema, zekerheid)`` says what is shown now."""
    count = decision_count(store)
    previous = Teamkalibratie.load(folder)
    if not force and previous is not None and count - previous.beslissingen < na:
        return None
    frame = answers(store)
    if len(frame) < MIN_ANTWOORDEN or frame["geaccepteerd"].nunique() < 2 or frame["story_id"].nunique() < 2:
        return None
    result = compare(frame, current)
    themes = sorted(frame["thema"].unique())
    model, drempels = _fit(frame, themes)
    kal = Teamkalibratie(themes, model.coef_[0].tolist(), float(model.intercept_[0]), drempels, len(frame), count,
                         better(result), result, datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    kal.save(folder)
    return kal
