"""The learned classifier: labels from the team's decisions, honest cross-validation, only used when asked."""

import json

import pytest

from wijkkit.codebook import load_codebook
from wijkkit.coderen.beslissingen import decide, mark_done
from wijkkit.coderen.leren import MODEL_CODER, cross_validate, learn, learnable_themes, scores, training_set
from wijkkit.store import open_store
from wijkkit.store.models import Coding, Segment, Story
from wijkkit.vertellen.nlp import segments as split

HUUR = ["De huur is veel te hoog voor ons.", "Onze woning is vochtig en de huur stijgt.",
        "De woning is klein en de huur is duur.", "Elke maand weer die hoge huur betalen."]
PARK = ["Het park is prachtig in de zomer.", "In het park spelen de kinderen graag.",
        "Het groen in het park is goed onderhouden.", "We wandelen elke dag door het park."]


@pytest.fixture
def team_store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'l.db'}")
    with store.session() as session:
        for i in range(24):
            text = f"{HUUR[i % 4]} {PARK[(i + 1) % 4]} Ik woon hier al lang."
            story = Story(id=f"v{i:02d}", tekst=text, gebied="BU99990201", methode="interview",
                          verteller_rol="bewoner", toestemming="analyse", privacy={})
            story.segments = [Segment(nr=n, start=s, end=e, tekst=t) for n, (s, e, t) in enumerate(split(text))]
            session.add(story)
    with store.read() as session:
        segs = {(s.story_id, s.nr): s.id for s in session.query(Segment)}
    for i in range(24):
        sid = f"v{i:02d}"
        decide(store, codeur="anna", story_id=sid, thema="wonen", status="manual", segment_id=segs[sid, 0])
        decide(store, codeur="anna", story_id=sid, thema="openbare_ruimte", status="manual", segment_id=segs[sid, 1])
        if i < 23:
            mark_done(store, sid, "anna")
    # a second coder disagrees on v00's park sentence: 1 of 2 votes is a tie, which counts as applied
    decide(store, codeur="bram", story_id="v00", thema="wonen", status="manual", segment_id=segs["v00", 0])
    mark_done(store, "v00", "bram")
    # v23 is unfinished: its codes never train the model
    decide(store, codeur="anna", story_id="v23", thema="veiligheid", status="manual", segment_id=segs["v23", 2])
    return store, segs


def test_labels_come_from_finished_stories_by_majority(team_store):
    store, segs = team_store
    frame = training_set(store, load_codebook())
    assert frame["story_id"].nunique() == 23 and len(frame) == 69 and "v23" not in set(frame["story_id"])
    labels = dict(zip(frame["segment_id"], frame["labels"]))
    assert labels[segs["v00", 0]] == {"wonen"} and labels[segs["v00", 1]] == {"openbare_ruimte"}
    assert labels[segs["v05", 2]] == frozenset()
    themes, counts = learnable_themes(frame, 10)
    assert themes == ["openbare_ruimte", "wonen"] and counts == {"wonen": 23, "openbare_ruimte": 23}


def test_scores_are_computed_from_the_counts():
    truth = [frozenset({"a"}), frozenset({"a", "b"}), frozenset()]
    pred = [frozenset({"a"}), frozenset({"b"}), frozenset({"a"})]
    table = scores(truth, pred, ["a", "b"]).set_index("thema")
    # a: tp 1, fp 1, fn 1; b: tp 1, fp 0, fn 0 -> micro tp 2, fp 1, fn 1
    assert table.loc["a", "precisie"] == pytest.approx(0.5) and table.loc["a", "recall"] == pytest.approx(0.5)
    assert table.loc["b", "f1"] == pytest.approx(1.0)
    assert table.loc["micro", "f1"] == pytest.approx(2 * 2 / (2 * 2 + 1 + 1))


def test_cross_validation_reports_rules_model_and_both_on_the_same_folds(team_store):
    store, _ = team_store
    frame = training_set(store, load_codebook())
    cv = cross_validate(frame, ["openbare_ruimte", "wonen"], folds=3, epochs=8)
    assert set(cv["methode"]) == {"regels", "model", "regels + model", "regels herwogen door model"}
    micro = cv[cv["thema"] == "micro"].set_index("methode")
    assert (micro["ondersteuning"] == 46).all()  # 23 wonen + 23 park sentences in every method
    assert micro.loc["model", "f1"] > 0.8  # the vocabulary is clear-cut; a broken model scores near 0
    assert micro.loc["regels + model", "recall"] >= max(micro.loc["regels", "recall"], micro.loc["model", "recall"])


def test_model_is_only_used_when_switched_on(team_store, demo_project):
    from wijkkit.config import Project
    from wijkkit.vertellen.suggesties import suggest_for_store

    store, _ = team_store
    project = Project.load(demo_project)
    with pytest.raises(FileNotFoundError):
        suggest_for_store(project, model=True)
    report = learn(store, load_codebook(), project.model_dir, minimum=10, folds=3, epochs=8)
    saved = json.loads((project.model_dir / "rapport.json").read_text(encoding="utf-8"))
    assert saved["themas"] == report.themas == ["openbare_ruimte", "wonen"]
    assert {r["methode"] for r in saved["kruisvalidatie"]} == {"regels", "model", "regels + model",
                                                                "regels herwogen door model"}
    demo_store = open_store(project.config.store.url, project_root=project.root)
    with demo_store.session() as session:
        session.add(Story(id="x", tekst="Het park is prachtig. De huur is veel te hoog.", gebied="BU99990201",
                          methode="interview", verteller_rol="bewoner", toestemming="analyse", privacy={},
                          segments=[Segment(nr=0, start=0, end=21, tekst="Het park is prachtig."),
                                    Segment(nr=1, start=22, end=46, tekst="De huur is veel te hoog.")]))
    suggest_for_store(project)  # leermodel = false in the demo project
    with demo_store.read() as session:
        assert session.query(Coding).filter(Coding.codeur == MODEL_CODER).count() == 0
    suggest_for_store(project, model=True)
    with demo_store.read() as session:
        model_rows = session.query(Coding).filter(Coding.codeur == MODEL_CODER).all()
        rules = {(c.segment_id, c.thema) for c in session.query(Coding).filter(Coding.codeur != MODEL_CODER)}
    assert all((c.segment_id, c.thema) not in rules for c in model_rows)


def test_the_model_re_weighs_the_rules_suggestions_and_twice_is_the_same_as_once(team_store, demo_project):
    from wijkkit.coderen.leren import load_model, predict, reweigh
    from wijkkit.config import Project
    from wijkkit.vertellen.importeren import TAGGER_CODER
    from wijkkit.vertellen.suggesties import suggest_for_store

    store, _ = team_store
    project = Project.load(demo_project)
    learn(store, load_codebook(), project.model_dir, minimum=10, folds=3, epochs=8)
    demo_store = project.open_store()
    text = "Het park is prachtig. De huur is veel te hoog. De straat is vies en het park is vies."
    with demo_store.session() as session:
        session.add(Story(id="x", tekst=text, gebied="BU99990201", methode="interview", verteller_rol="bewoner",
                          toestemming="analyse", privacy={},
                          segments=[Segment(nr=n, start=a, end=b, tekst=t) for n, (a, b, t) in enumerate(split(text))]))
    suggest_for_store(project)  # the rules alone

    def rule_scores():
        with demo_store.read() as session:
            return {(c.segment_id, c.thema): c.score for c in session.query(Coding).filter(
                Coding.codeur == TAGGER_CODER, Coding.status == "suggested")}

    before = rule_scores()
    suggest_for_store(project, model=True)
    once = rule_scores()
    suggest_for_store(project, model=True)
    assert rule_scores() == once
    nlp, rapport = load_model(project.model_dir)
    with demo_store.read() as session:
        segments = {s.id: s.tekst for s in session.query(Segment)}
    changed = 0
    for (segment_id, theme), score in once.items():
        if theme in rapport["themas"]:
            probability = predict(nlp, [segments[segment_id]], threshold=0.0)[0][theme]
            assert score == pytest.approx(reweigh(before[(segment_id, theme)], probability), abs=1e-3)
            changed += score != before[(segment_id, theme)]
        else:
            assert score == before[(segment_id, theme)]
    assert changed > 0
