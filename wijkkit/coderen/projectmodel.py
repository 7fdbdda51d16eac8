"""Learning from this team's coding: the text model re-fitted on the corpus plus this project's coded stories.

The suggestions' second reader (:mod:`wijkkit.vertellen.corpusmodel`) learned from real resident quotes. A
team codes its own wijk, in its own words, so after every ``NA`` new decisions the model is fitted again on
the corpus *and* the stories this team finished, each theme labelled as most of the coders who finished the
story applied it (accepted suggestions, themes they added, and themes they rejected by leaving them out), and
the valence they gave where they agreed. A project story weighs ``GEWICHT`` times a corpus quote; the weight
was fixed before any measurement, not tuned.

The re-fit is used only if it beats the current suggestions *out of fold on this project's own finished
stories*: folds grouped by story, each story read by a model that never saw it, both read through the same
shipped calibration and thresholds. It must show more right suggestions, at a precision at least as high.
"Current" is always the shipped model: an earlier re-fit saw these stories and cannot be judged on them.
Either way the outcome goes to ``projectmodel.json`` in the project's model folder (story ids and labels, no
text: the text stays in the store), so the werkbank can say what the suggestions are based on and how they
did. When the re-fit is in use, the open suggestions of stories nobody has touched yet are read again with
it; a story with any decision or a "klaar" mark keeps its suggestions, so no answer ever loses the
suggestion it answered.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from sklearn.model_selection import GroupKFold
from sqlalchemy import func, select

from wijkkit.codebook import Codebook
from wijkkit.coderen.beslissingen import decisions, finished
from wijkkit.store import Store
from wijkkit.store.models import Afgerond, Coding
from wijkkit.vertellen.eigenmodel import (  # noqa: F401  (reading with the project's model lives a layer down)
    BESTAND, GEWICHT, Projectmodel, combination_of, fit_with, items_from, shipped, shipped_basis)
from wijkkit.vertellen.suggesties import reread

NA = 50  # decisions between two re-fits
MIN_VERHALEN = 20  # fewer finished stories say too little about this project
FOLDS = 5


# ---------------------------------------------------------------------------------------------- labels
def project_labels(store: Store, themes: list[str]) -> dict[str, dict]:
    """Per finished story: the themes most of its finishers applied anywhere in it (ties count as applied),
    and the valence where most of their applied codes agree on one (else "")."""
    done = finished(store)
    if done.empty:
        return {}
    finishers = done.groupby("story_id")["codeur"].apply(set).to_dict()
    applied = decisions(store)
    applied = applied[applied["aanwezig"]] if not applied.empty else applied
    votes: dict[str, Counter] = {s: Counter() for s in finishers}
    valences: dict[str, Counter] = {s: Counter() for s in finishers}
    seen: set[tuple] = set()
    for story, theme, coder, valentie in zip(applied.get("story_id", []), applied.get("thema", []),
                                             applied.get("codeur", []), applied.get("valentie", [])):
        if coder not in finishers.get(story, ()):
            continue
        if isinstance(valentie, str) and valentie:
            valences[story][valentie] += 1
        if (story, theme, coder) not in seen:
            seen.add((story, theme, coder))
            votes[story][theme] += 1
    out = {}
    for story, coders in sorted(finishers.items()):
        chosen = sorted(t for t, n in votes[story].items() if t in themes and 2 * n >= len(coders))
        common = valences[story].most_common(2)
        valentie = common[0][0] if common and (len(common) == 1 or common[0][1] > common[1][1]) else ""
        out[story] = {"themas": chosen, "valentie": valentie}
    return out


# ---------------------------------------------------------------------------------------------- fit and compare
def shown(lezer, model, kalibratie, texts: list[str]) -> list[set]:
    """Per text, the themes a coder would see without asking."""
    from wijkkit.vertellen.zekerheid import decisions as shown_decisions, judge

    return shown_decisions(judge(lezer, model, kalibratie, texts), [kalibratie] * len(texts))[0]


def _count(gold: list[set], found: list[set]) -> dict:
    juist = sum(len(g & f) for g, f in zip(gold, found))
    return {"getoond": sum(len(f) for f in found), "juist": juist, "gemist": sum(len(g) for g in gold) - juist}


def compare(items: list, folds: int = FOLDS, basis=None) -> dict:
    """Out of fold on the project's finished stories (grouped by ``bron``: the story): what the current model
    shows against what a re-fit on the corpus plus the other stories shows, both through the same calibration.
    ``basis``: (lezer, model, kalibratie, corpus) the project starts from, default as shipped."""
    lezer, model, kalibratie, corpus = basis or shipped_basis()
    texts = [i.tekst for i in items]
    gold = [set(i.themas) & set(lezer.themes) for i in items]
    now = shown(lezer, model, kalibratie, texts)
    refit: list[set] = [set() for _ in items]
    groups = [i.bron for i in items]
    for train, test in GroupKFold(n_splits=min(folds, len(set(groups)))).split(texts, groups=groups):
        part = fit_with([items[k] for k in train], (lezer, model, kalibratie, corpus))
        for k, found in zip(test, shown(lezer, part, kalibratie, [texts[k] for k in test])):
            refit[k] = found
    return {"huidig": _count(gold, now), "project": _count(gold, refit)}


def precision(part: dict) -> float:
    return part["juist"] / part["getoond"] if part["getoond"] else 0.0


def better(result: dict) -> bool:
    """The re-fit replaces the current suggestions only where it shows more right ones, no less precisely."""
    now, new = result["huidig"], result["project"]
    return new["juist"] > now["juist"] and precision(new) >= precision(now)


# ---------------------------------------------------------------------------------------------- in use
def decision_count(store: Store) -> int:
    """Decisions and "klaar" marks so far: both change what the re-fit would learn from."""
    with store.read() as session:
        made = session.scalar(select(func.count()).select_from(Coding).where(Coding.status != "suggested")) or 0
        done = session.scalar(select(func.count()).select_from(Afgerond)) or 0
    return int(made) + int(done)


def update(store: Store, folder: str | Path, codebook: Codebook, *, na: int = NA, force: bool = False
           ) -> Projectmodel | None:
    """Re-fit after every ``na`` new decisions (or now with ``force``); None when it is not yet time, there are
    fewer than ``MIN_VERHALEN`` finished stories, or no shipped model to start from."""
    count = decision_count(store)
    previous = Projectmodel.load(folder)
    if not force and previous is not None and count - previous.beslissingen < na:
        return None
    # cheap checks first: the shipped model (seconds, about 100 MB) is loaded only when there is enough to learn
    if finished(store)["story_id"].nunique() < MIN_VERHALEN or shipped() is None:
        return None
    labels = project_labels(store, shipped()[0].lezer.themes)
    if len(labels) < MIN_VERHALEN:
        return None
    items = items_from(store, labels)
    result = compare(items)
    fit = Projectmodel(labels, count, better(result), result,
                       gemaakt=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))
    if fit.in_gebruik or (previous is not None and previous.in_gebruik):
        from wijkkit.vertellen.tagger import Tagger

        reader = Tagger(codebook)
        if fit.in_gebruik:
            reader.use(combination_of(store, fit))
        # a re-fit no longer in use: untouched stories get the shipped suggestions back
        fit.opnieuw_gelezen = reread(store, codebook, reader)
    fit.save(folder)
    return fit


# ---------------------------------------------------------------------------------------------- simulated teams
STAPPEN = (10, 20, 30)


def simulate(items: list, stappen=STAPPEN, folds: int = 5, seed: int = 38) -> list[dict]:
    """Projects simulated on the resident corpus: each fold of sources (grouped) is one project; the model and
    calibration it starts from are learned from the other sources alone, as shipping would. The team codes its
    quotes in :func:`wijkkit.vertellen.zekerheid.coding_order`; after ``k`` quotes the re-fit is decided on the
    ``k`` coded ones (:func:`compare` and :func:`better`, grouped by source) and measured on the project's quotes
    not yet coded. Per step: the shown suggestions of the start model, of the re-fit, and of what the team
    would get (the re-fit only where it was kept), with how many projects kept it."""
    from wijkkit.vertellen import corpusmodel as cm
    from wijkkit.vertellen import zekerheid as zk
    from wijkkit.vertellen.tagger import Tagger

    lezer = cm.Lezer(Tagger(leren=False))
    texts = [i.tekst for i in items]
    groups = [i.bron or str(k) for k, i in enumerate(items)]
    steps: dict[int, list[dict]] = {k: [] for k in stappen}
    for train, test in GroupKFold(n_splits=folds).split(texts, groups=groups):
        corpus = [items[k] for k in train]
        model, kalibratie = zk.fit(lezer, corpus, max(2, folds - 1))
        _project_steps([items[k] for k in test], (lezer, model, kalibratie, corpus), stappen, seed, steps)
    return _summary(steps)


def simulate_project(items: list, stappen=STAPPEN, seed: int = 38) -> list[dict]:
    """One project of labelled quotes (say another labeller's) that starts from the shipped model and codes
    them in order; as :func:`simulate`, measured on its quotes not yet coded."""
    steps: dict[int, list[dict]] = {k: [] for k in stappen}
    _project_steps(items, shipped_basis(), stappen, seed, steps)
    return _summary(steps)


def _project_steps(project: list, basis: tuple, stappen, seed: int, steps: dict[int, list[dict]]) -> None:
    from wijkkit.vertellen import zekerheid as zk

    lezer, model, kalibratie, _ = basis
    project = [project[k] for k in zk.coding_order(project, seed)]
    for k in stappen:
        coded, rest = project[:k], project[k:]
        if not rest or len({i.bron for i in coded}) < 2:
            continue
        keep = better(compare(coded, FOLDS, basis))
        gold = [set(i.themas) & set(lezer.themes) for i in rest]
        start = shown(lezer, model, kalibratie, [i.tekst for i in rest])
        refit = shown(lezer, fit_with(coded, basis), kalibratie, [i.tekst for i in rest])
        steps[k].append({"start": _count(gold, start), "bijgeleerd": _count(gold, refit),
                         "team": _count(gold, refit if keep else start), "gehouden": keep})


def _summary(steps: dict[int, list[dict]]) -> list[dict]:
    out = []
    for k, parts in steps.items():
        if not parts:
            continue
        row = {"gecodeerd": k, "projecten": len(parts), "gehouden": sum(p["gehouden"] for p in parts)}
        for name in ("start", "bijgeleerd", "team"):
            summed = {key: sum(p[name][key] for p in parts) for key in ("getoond", "juist", "gemist")}
            summed["precisie"] = precision(summed)
            summed["recall"] = (summed["juist"] / (summed["juist"] + summed["gemist"])
                                if summed["juist"] + summed["gemist"] else 0.0)
            row[name] = summed
        out.append(row)
    return out
