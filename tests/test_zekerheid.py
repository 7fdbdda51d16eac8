"""Suggestions a coder can trust (issue 38): calibrated confidence, thresholds chosen inside the training folds,
the learning curve, the second labeller's agreement, and what the werkbank shows."""

import json
from importlib import resources

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from wijkkit.codebook import load_codebook
from wijkkit.vertellen import corpusmodel as cm
from wijkkit.vertellen import zekerheid as zk
from wijkkit.vertellen.overeenstemming import agreement, check_lines, read_second
from wijkkit.vertellen.tagger import Tagger


# ------------------------------------------------------------------ thresholds
def test_the_precision_threshold_is_the_lowest_cut_that_reaches_the_target():
    conf = np.array([0.95, 0.9, 0.85, 0.8, 0.7, 0.6, 0.5, 0.4])
    truth = np.array([1, 1, 1, 1, 1, 0, 1, 0], bool)
    # from the top: 5 of 5 right down to 0.7, 5 of 6 at 0.6 (0.83), 6 of 7 at 0.5 (0.857), 6 of 8 at 0.4
    expected = {0.85: 0.5, 0.9: 0.7, 0.5: 0.4}
    for target, cut in expected.items():
        assert zk.precision_threshold(conf, truth, target) == cut
    # never reached with at least MIN_GETOOND suggestions above it: nothing is shown
    assert zk.precision_threshold(conf, ~truth, 0.85) > 1
    assert zk.precision_threshold(conf[:zk.MIN_GETOOND - 1], truth[:zk.MIN_GETOOND - 1], 0.5) > 1


def test_a_threshold_never_splits_equal_confidences():
    conf = np.array([0.9] * 6 + [0.8] * 4)
    truth = np.array([1] * 6 + [1, 0, 0, 0], bool)
    # cutting inside the 0.8 group would reach 7/7 but is not a threshold; all of 0.8 is 7/10
    assert zk.precision_threshold(conf, truth, 0.85) == 0.9


def test_the_f1_threshold_is_where_all_suggestions_together_score_best():
    conf = np.array([0.9, 0.8, 0.7, 0.6, 0.2])
    truth = np.array([1, 1, 0, 1, 0], bool)
    f1 = {c: 2 * truth[conf >= c].sum() / ((conf >= c).sum() + truth.sum()) for c in conf}
    assert zk.f1_threshold(conf, truth) == max(f1, key=f1.get)


# ------------------------------------------------------------------ honest measurement
@pytest.fixture(scope="module")
def lezer():
    return cm.Lezer(Tagger(leren=False))


def test_calibration_and_thresholds_never_see_the_fold_they_are_measured_on(monkeypatch, lezer):
    items = cm.read_corpus(deel="ontwikkel")[:70]
    calibrated, fitted = [], []
    original_calibrate, original_fit = zk.calibrate, cm.Lezer.fit

    def calibrate(lz, training, lezing, folds=5, **options):
        calibrated.append({i.bron for i in training})
        return original_calibrate(lz, training, lezing, folds, **options)

    def fit(self, training):
        fitted.append({i.bron for i in training})
        return original_fit(self, training)

    monkeypatch.setattr(zk, "calibrate", calibrate)
    monkeypatch.setattr(cm.Lezer, "fit", fit)
    oordeel, kalibraties = zk.nested(lezer, items, 3)
    assert len(calibrated) == 3 and len(kalibraties) == len(items)
    for item, kal in zip(items, kalibraties):
        assert isinstance(kal, zk.Kalibratie)
    # each quote was judged with the calibration of a training part that did not hold its source
    for sources in calibrated:
        assert 0 < len(sources) < len({i.bron for i in items})
    by_calibration = {}
    for item, kal in zip(items, kalibraties):
        by_calibration.setdefault(id(kal), set()).add(item.bron)
    assert len(by_calibration) == 3
    for tested in by_calibration.values():
        assert any(not (tested & sources) for sources in calibrated)
    assert all(0 <= c <= 1 for c in oordeel.zekerheid.ravel())
    figures = zk.figures(items, oordeel, kalibraties)
    assert figures["alle"]["tp"] + figures["alle"]["fn"] == sum(len(set(i.themas)) for i in items)


def test_a_calibration_survives_the_strategy_file(lezer):
    items = cm.read_corpus(deel="ontwikkel")[:60]
    kal = zk.calibrate(lezer, items, lezer.out_of_fold(items, 3), 3)
    again = zk.Kalibratie.from_dict(json.loads(json.dumps(kal.to_dict())))
    probs = np.random.default_rng(1).uniform(size=(4, len(lezer.themes)))
    ruw = np.random.default_rng(2).uniform(size=(4, len(lezer.themes)))
    found = ruw > 0.5
    gelijk = np.random.default_rng(3).uniform(size=(4, len(lezer.themes), 3))
    assert kal.gelijkenis and again.gelijkenis and again.alleen_regels == kal.alleen_regels
    assert np.allclose(kal.theme_confidence(probs, ruw, found, gelijk), again.theme_confidence(probs, ruw, found, gelijk))
    assert again.drempel_thema == kal.drempel_thema and again.drempel_valentie == kal.drempel_valentie


def test_the_learning_curve_learns_only_from_what_the_team_coded(monkeypatch, lezer):
    items = cm.read_corpus(deel="ontwikkel")[:80]
    fitted = []
    original = cm.Lezer.fit

    def fit(self, training):
        fitted.append(len(training))
        return original(self, training)

    monkeypatch.setattr(cm.Lezer, "fit", fit)
    curve = zk.learning_curve(lezer, items, stappen=(0, 25), folds=2)
    assert [step["gecodeerd"] for step in curve] == [0, 25]
    # the final model of each fold is fitted on exactly the 25 coded quotes (the inner ones on fewer)
    assert fitted.count(25) == 2 and max(fitted) == 25
    assert all(step["citaten"] == len(items) for step in curve)
    order = zk.coding_order(items)
    assert sorted(order) == list(range(len(items)))
    # a source's quotes are coded together
    sources = [items[k].bron for k in order]
    assert all(sources.index(s) + sources.count(s) - 1 == len(sources) - 1 - sources[::-1].index(s)
               for s in set(sources))


# ------------------------------------------------------------------ the second labeller
def test_the_second_labelling_points_at_corpus_lines_and_uses_the_codebook():
    second = read_second()
    check_lines(second)
    assert len(second) >= 60
    themes = set(load_codebook().theme_ids)
    for _, found, valentie in second:
        assert set(found) <= themes and valentie in cm.VALENTIES


def test_agreement_is_kappa_and_alpha_per_theme():
    first = [cm.Citaat("a", ["wonen"], "kracht"), cm.Citaat("b", [], "knelpunt"),
             cm.Citaat("c", ["wonen", "veiligheid"], "knelpunt"), cm.Citaat("d", ["veiligheid"], "neutraal")]
    second = [(0, ["wonen"], "kracht"), (1, ["wonen"], "knelpunt"), (2, ["veiligheid"], "neutraal"),
              (3, ["veiligheid"], "neutraal")]
    result = agreement(first, second, ["wonen", "veiligheid"])
    wonen = result["themas"]["wonen"]
    assert wonen["kappa"] == pytest.approx(cohen_kappa_score([1, 0, 1, 0], [1, 1, 0, 0]))
    assert (wonen["eerste"], wonen["tweede"], wonen["eens"]) == (2, 2, 0.5)
    assert result["themas"]["veiligheid"]["kappa"] == 1.0 and result["themas"]["veiligheid"]["alpha"] == 1.0
    # of the first labeller's four themes the second found three, and gave one more
    assert result["micro"]["precision"] == pytest.approx(3 / 4) and result["micro"]["recall"] == pytest.approx(3 / 4)
    assert result["valentie"]["eens"] == 0.75


def test_the_second_labeller_is_described_as_what_it_was():
    guide = resources.files("wijkkit.data").joinpath("bewoners/LEESMIJ.md").read_text(encoding="utf-8")
    section = guide.split("## Tweede labelaar", 1)[1]
    assert "AI-taalmodel" in section and "Geen mens" in section and "nooit gezien" in section


# ------------------------------------------------------------------ learning from this team
@pytest.fixture
def coded_project(demo_project):
    from wijkkit.config import Project
    from wijkkit.vertellen.importeren import import_stories

    project = Project.load(demo_project)
    import_stories(project, sorted((demo_project / "stories").glob("verhaal-0[0-3]*.md")), door="test")
    return project


def _give_confidences(store, value):
    from sqlalchemy import select

    from wijkkit.store.models import Coding

    with store.session() as session:
        for coding in session.scalars(select(Coding).where(Coding.status == "suggested")):
            coding.zekerheid = value(coding)


def test_a_team_refit_is_kept_only_where_it_beats_the_corpus_out_of_fold(coded_project, tmp_path):
    from wijkkit.coderen import beslissingen as b
    from wijkkit.coderen import bijleren
    from wijkkit.vertellen.importeren import project_store

    store = project_store(coded_project)
    # every suggestion equally sure (0.6) on the corpus's word; this team accepts only schoon_heel
    _give_confidences(store, lambda c: 0.6)
    frame = None
    with store.read() as session:
        from sqlalchemy import select

        from wijkkit.store.models import Coding

        offered = session.execute(select(Coding.id, Coding.story_id, Coding.thema)
                                  .where(Coding.status == "suggested")).all()
    assert len(offered) >= bijleren.MIN_ANTWOORDEN and len({t for _, _, t in offered}) > 1
    shown_now = lambda thema, zekerheid: zekerheid >= 0.5  # noqa: E731 (the corpus shows all of them)
    folder = tmp_path / "model"
    half = offered[:bijleren.MIN_ANTWOORDEN - 1]
    for sid, story, thema in half:
        b.decide(store, codeur="anna", story_id=story, status="accepted" if thema == "schoon_heel" else "rejected",
                 suggestie_id=sid)
    assert bijleren.update(store, folder, shown_now) is None  # too few answers yet
    for sid, story, thema in offered[len(half):]:
        b.decide(store, codeur="anna", story_id=story, status="accepted" if thema == "schoon_heel" else "rejected",
                 suggestie_id=sid)
    fit = bijleren.update(store, folder, shown_now)
    frame = bijleren.answers(store)
    assert fit is not None and fit.antwoorden == len(frame) == len(offered)
    # out of fold the re-fit separates what this team accepts; the corpus confidence cannot
    assert fit.uit_de_vouw["team"]["brier"] < fit.uit_de_vouw["huidig"]["brier"]
    assert fit.in_gebruik == bijleren.better(fit.uit_de_vouw)
    accepted = frame["geaccepteerd"].to_numpy()
    assert fit.uit_de_vouw["huidig"] == {"brier": pytest.approx(float(np.mean((0.6 - accepted) ** 2))),
                                         "getoond": len(frame), "juist": int(accepted.sum())}
    again = bijleren.Teamkalibratie.load(folder)
    assert again == fit
    if "schoon_heel" in fit.themes and fit.themes != ["schoon_heel"]:
        other = next(t for t in fit.themes if t != "schoon_heel")
        assert fit.confidence("schoon_heel", 0.6) > fit.confidence(other, 0.6)
    # not again until NA new answers came in
    assert bijleren.update(store, folder, shown_now) is None


def test_imported_suggestions_carry_the_confidence_the_tagger_gave(coded_project):
    from sqlalchemy import select

    from wijkkit.store.models import Coding, Story
    from wijkkit.vertellen.importeren import project_store

    store = project_store(coded_project)
    with store.read() as session:
        rows = session.execute(select(Coding.story_id, Coding.thema, Coding.zekerheid, Coding.valentie,
                                      Coding.valentie_zekerheid).where(Coding.status == "suggested")).all()
        texts = dict(session.execute(select(Story.id, Story.tekst)).all())
    assert rows and all(r.zekerheid is not None and 0 <= r.zekerheid <= 1 for r in rows)
    story = rows[0].story_id
    tagger = Tagger(load_codebook(coded_project.codebook_path))
    verhaal = next(tagger.lees([texts[story]], leren=True))
    for r in rows:
        if r.story_id == story:
            assert r.zekerheid == verhaal.zekerheid[r.thema]
            assert r.valentie_zekerheid == (verhaal.valentie_zekerheid or {}).get(r.valentie)
