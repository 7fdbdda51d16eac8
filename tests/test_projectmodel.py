"""Learning from this team (issue 38, item 2): the text model re-fitted on the stories a team finished, used only
where it beat the shipped one out of fold, and then only on stories nobody touched.

The project is made of the 40 real resident quotes in ``../shared/gold`` (skipped without them), each a story; a
simulated coder codes them with that file's own labels (another labeller than the corpus's)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from wijkkit.coderen import beslissingen as b
from wijkkit.coderen import projectmodel as pm
from wijkkit.store.models import Coding, Story

GOLD = Path(__file__).resolve().parents[2] / "shared" / "gold" / "bewoners_dev.jsonl"


@pytest.fixture(scope="module")
def quotes():
    if not GOLD.exists():
        pytest.skip("../shared/gold/bewoners_dev.jsonl ontbreekt")
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture
def project(demo_project, quotes, tmp_path):
    from wijkkit.config import Project
    from wijkkit.vertellen.importeren import import_stories

    folder = tmp_path / "citaten"
    folder.mkdir()
    for k, quote in enumerate(quotes):
        (folder / f"citaat-{k:02d}.md").write_text(
            "---\ngebied: BU99990103\ndatum: 2025-07-18\nmethode: interview\nverteller_rol: bewoner\n"
            f"toestemming: analyse\n---\n{quote['text']}\n", encoding="utf-8")
    proj = Project.load(demo_project)
    import_stories(proj, sorted(folder.glob("*.md")), door="test")
    return proj


def _labels(quotes) -> dict[str, set]:
    return {f"citaat-{k:02d}": set(q["themes"]) for k, q in enumerate(quotes)}


def code(store, story: str, themes: set, codeur: str = "anna", valentie: str | None = None) -> None:
    """Code a story as a coder does in the werkbank: accept the suggestions of the right themes, reject the others,
    add a right theme nobody suggested, and mark the story klaar."""
    with store.read() as session:
        offered = session.execute(select(Coding.id, Coding.thema).where(Coding.story_id == story,
                                                                        Coding.status == "suggested")).all()
    for sid, thema in offered:
        b.decide(store, codeur=codeur, story_id=story, status="accepted" if thema in themes else "rejected",
                 suggestie_id=sid, valentie=valentie, zonder_valentie=valentie is None)
    for thema in sorted(themes - {t for _, t in offered}):
        b.decide(store, codeur=codeur, story_id=story, status="manual", thema=thema, valentie=valentie)
    b.mark_done(store, story, codeur)


def _suggestions(store, stories=None) -> dict[str, list[tuple]]:
    query = select(Coding.id, Coding.story_id, Coding.thema, Coding.start, Coding.zekerheid).where(
        Coding.status == "suggested")
    out: dict[str, list[tuple]] = {}
    with store.read() as session:
        for row in session.execute(query.order_by(Coding.story_id, Coding.thema, Coding.start)).all():
            if stories is None or row.story_id in stories:
                out.setdefault(row.story_id, []).append(tuple(row))
    return out


def test_labels_are_what_most_of_the_coders_who_finished_a_story_applied(project):
    store = project.open_store()
    code(store, "citaat-00", {"schoon_heel", "wonen"}, "anna", "knelpunt")
    code(store, "citaat-00", {"schoon_heel"}, "bram", "knelpunt")
    code(store, "citaat-01", {"veiligheid"}, "anna", "kracht")
    code(store, "citaat-01", {"veiligheid", "gezondheid_zorg"}, "bram", "knelpunt")
    code(store, "citaat-01", {"gezondheid_zorg"}, "carla", "knelpunt")
    # bram codes citaat-02 but does not finish it; anna changes her mind on a theme
    code(store, "citaat-02", {"wonen"}, "anna")
    b.decide(store, codeur="anna", story_id="citaat-02", status="manual", thema="armoede_schulden")
    b.decide(store, codeur="anna", story_id="citaat-02", status="rejected", thema="armoede_schulden")
    b.decide(store, codeur="bram", story_id="citaat-02", status="manual", thema="veiligheid")
    b.decide(store, codeur="bram", story_id="citaat-03", status="manual", thema="veiligheid")  # nobody finished it
    themes = pm.shipped()[0].lezer.themes
    labels = pm.project_labels(store, themes)
    assert set(labels) == {"citaat-00", "citaat-01", "citaat-02"}
    assert labels["citaat-00"] == {"themas": ["schoon_heel", "wonen"], "valentie": "knelpunt"}  # 1 of 2: a tie counts
    # 2 of 3 for both themes; their valences: anna kracht, bram and carla knelpunt (one per applied code)
    assert labels["citaat-01"]["themas"] == ["gezondheid_zorg", "veiligheid"]
    assert labels["citaat-01"]["valentie"] == "knelpunt"
    assert labels["citaat-02"] == {"themas": ["wonen"], "valentie": ""}


def test_the_refit_waits_for_enough_finished_stories_and_is_judged_out_of_fold(project, quotes, tmp_path):
    from wijkkit.vertellen.zekerheid import shipped_thresholds

    store = project.open_store()
    truth = _labels(quotes)
    stories = sorted(truth)
    folder = tmp_path / "modellen"
    for story in stories[:pm.MIN_VERHALEN - 1]:
        code(store, story, truth[story])
    assert pm.update(store, folder, project.load_codebook(), force=True) is None  # too few finished stories
    for story in stories[pm.MIN_VERHALEN - 1:25]:
        code(store, story, truth[story])
    fit = pm.update(store, folder, project.load_codebook())
    assert fit is not None and fit.verhalen == 25
    assert {s: set(lab["themas"]) for s, lab in fit.labels.items()} == {s: truth[s] for s in stories[:25]}
    # "huidig" is what the stored suggestions showed the coder without asking, counted against her codes
    drempel, _ = shipped_thresholds()
    shown = {s: {t for _, _, t, _, z in rows if z is not None and z >= drempel.get(t, 1.01)}
             for s, rows in _suggestions(store, set(stories[:25])).items()}
    right = sum(len(shown.get(s, set()) & truth[s]) for s in stories[:25])
    assert fit.uit_de_vouw["huidig"] == {"getoond": sum(len(v) for v in shown.values()), "juist": right,
                                         "gemist": sum(len(truth[s]) for s in stories[:25]) - right}
    assert fit.in_gebruik == pm.better(fit.uit_de_vouw)
    assert pm.Projectmodel.load(folder) == fit
    saved = (folder / pm.BESTAND).read_text(encoding="utf-8")
    assert quotes[0]["text"][:40] not in saved  # ids and labels only: the text stays in the store
    assert pm.update(store, folder, project.load_codebook()) is None  # not again before NA new decisions


def test_a_refit_in_use_reads_only_untouched_stories_again(project, quotes, tmp_path, monkeypatch):
    from wijkkit.vertellen import corpusmodel as cm
    from wijkkit.vertellen.importeren import import_stories
    from wijkkit.vertellen.tagger import Tagger

    store = project.open_store()
    codebook = project.load_codebook()
    truth = _labels(quotes)
    stories = sorted(truth)
    for story in stories[:24]:
        code(store, story, truth[story])
    # a colleague answered one suggestion of a story nobody finished: that story is touched too
    touched = stories[24]
    with store.read() as session:
        sid = session.scalar(select(Coding.id).where(Coding.story_id == touched, Coding.status == "suggested"))
    if sid is None:  # the quote got no suggestion: add a code instead
        b.decide(store, codeur="bram", story_id=touched, status="manual", thema="wonen")
    else:
        b.decide(store, codeur="bram", story_id=touched, status="rejected", suggestie_id=sid)
    before = _suggestions(store)
    folder = tmp_path / "modellen"
    monkeypatch.setattr(pm, "better", lambda result: True)
    fit = pm.update(store, folder, codebook, force=True)
    assert fit.in_gebruik and fit.opnieuw_gelezen == len(stories) - 25
    after = _suggestions(store)
    for story in stories[:25]:
        assert after.get(story) == before.get(story)  # same rows, same ids: no answer lost its suggestion
    with store.read() as session:
        answered = session.scalars(select(Coding.suggestie_id).where(Coding.status.in_(("accepted", "rejected"))))
        assert None not in set(answered)
        texts = dict(session.execute(select(Story.id, Story.tekst)).all())
    # the untouched stories read by a model fitted here, from the corpus and the coder's own labels
    comb = pm.shipped()[0]
    items = [cm.Citaat(texts[s], sorted(truth[s] & set(comb.lezer.themes)), "", s) for s in stories[:24]]
    own = Tagger(codebook)
    own.use(cm.Combinatie(comb.lezer, comb.lezer.fit([*cm.read_corpus(), *items * pm.GEWICHT]), comb.strategie))
    rest = stories[25:]
    expected = {}
    for s, verhaal in zip(rest, own.lees([texts[s] for s in rest], leren=True)):
        zeker = verhaal.zekerheid or {}
        expected[s] = sorted((sug.thema, sug.start, zeker.get(sug.thema)) for sug in verhaal.suggesties)
    assert {s: sorted((t, start, z) for _, _, t, start, z in after.get(s, [])) for s in rest} == expected
    # a story imported now is read the same way
    extra = tmp_path / "nieuw.md"
    extra.write_text("---\ngebied: BU99990103\ndatum: 2025-08-01\nmethode: interview\nverteller_rol: bewoner\n"
                     f"toestemming: analyse\n---\n{quotes[-1]['text']} {quotes[-2]['text']}\n", encoding="utf-8")
    monkeypatch.setattr(type(project), "model_dir", property(lambda self: folder))
    import_stories(project, [extra], door="test")
    with store.read() as session:
        new_text = session.scalar(select(Story.tekst).where(Story.id == "nieuw"))
    verhaal = next(own.lees([new_text], leren=True))
    assert sorted((t, start, z) for _, _, t, start, z in _suggestions(store, {"nieuw"}).get("nieuw", [])) == sorted(
        (sug.thema, sug.start, (verhaal.zekerheid or {}).get(sug.thema)) for sug in verhaal.suggesties)
    # a later re-fit that is not better gives untouched stories the shipped reading back
    monkeypatch.setattr(pm, "better", lambda result: False)
    fit = pm.update(store, folder, codebook, force=True)
    assert not fit.in_gebruik and fit.opnieuw_gelezen == len(stories) - 25 + 1
    shipped = Tagger(codebook)
    for s, verhaal in zip(rest, shipped.lees([texts[s] for s in rest], leren=True)):
        zeker = verhaal.zekerheid or {}
        assert sorted((t, start, z) for _, _, t, start, z in _suggestions(store, {s}).get(s, [])) == sorted(
            (sug.thema, sug.start, zeker.get(sug.thema)) for sug in verhaal.suggesties)


def test_an_answer_to_a_suggestion_read_again_meanwhile_says_so(project):
    from sqlalchemy import delete

    store = project.open_store()
    with store.read() as session:
        rows = session.execute(select(Coding.story_id, Coding.id, Coding.thema).where(Coding.status == "suggested")
                               .order_by(Coding.id)).all()
    (story, sid, thema), other = rows[0], next(r for r in rows if r.story_id != rows[0].story_id)
    # its number now belongs to a suggestion in another story, or of another theme (SQLite reuses a freed number)
    for kwargs in ({"story_id": other.story_id, "suggestie_id": sid},
                   {"story_id": story, "suggestie_id": sid, "thema": next(t for t in ("wonen", "veiligheid")
                                                                        if t != thema)}):
        with pytest.raises(ValueError, match="intussen vervangen"):
            b.decide(store, codeur="anna", status="accepted", **kwargs)
    with store.session() as session:  # a new reading no longer suggests it
        session.execute(delete(Coding).where(Coding.id == sid))
    with pytest.raises(ValueError, match="intussen vervangen"):
        b.decide(store, codeur="anna", story_id=story, status="accepted", suggestie_id=sid, thema=thema)
    assert b.decisions(store).empty


def test_the_werkbank_learns_in_the_background_and_says_how_it_did(project, quotes, tmp_path):
    from wijkkit.coderen.werkbank import Drempels

    store = project.open_store()
    truth = _labels(quotes)
    for story in sorted(truth)[:pm.MIN_VERHALEN]:
        code(store, story, truth[story])
    drempels = Drempels.shipped(leermap=tmp_path / "modellen")
    assert "leerde ook" not in drempels.explain({}) and "opnieuw leren" not in drempels.explain({})
    drempels.learn(store, project.load_codebook(), wait=True)
    fit = pm.Projectmodel.load(tmp_path / "modellen")
    assert fit is not None and drempels.projectmodel == fit
    now, new = fit.uit_de_vouw["huidig"], fit.uit_de_vouw["project"]
    text = drempels.explain({})
    assert f"{new['juist']} van {new['getoond']} getoonde suggesties juist, tegen {now['juist']} van " \
           f"{now['getoond']}" in text
    assert (f"leerde ook van {pm.MIN_VERHALEN} verhalen" in text) == fit.in_gebruik


def test_bijleren_on_the_command_line_learns_now_and_prints_the_comparison(project, quotes):
    from typer.testing import CliRunner

    from wijkkit.cli import app

    store = project.open_store()
    truth = _labels(quotes)
    result = CliRunner().invoke(app, ["coderen", "bijleren", "--project", str(project.root)])
    assert result.exit_code == 2 and "minstens 20" in result.output, result.output
    for story in sorted(truth)[:pm.MIN_VERHALEN]:
        code(store, story, truth[story])
    result = CliRunner().invoke(app, ["coderen", "bijleren", "--project", str(project.root)])
    fit = pm.Projectmodel.load(project.model_dir)
    assert fit is not None and fit.verhalen == pm.MIN_VERHALEN, result.output
    for naam, key in (("model zonder jullie verhalen", "huidig"), ("model met jullie verhalen", "project")):
        row = fit.uit_de_vouw[key]
        assert f"{naam}: {row['juist']} van {row['getoond']} getoonde suggesties juist" in result.output
    verdict = result.output.split("Model bijgeleerd")[1].splitlines()[0]
    assert verdict.endswith("niet beter, dus niet in gebruik.") != fit.in_gebruik
    assert "Traceback" not in result.output


def test_two_kernels_reading_again_at_once_leave_one_reading(demo_project, quotes, store_url, tmp_path):
    """Two coders' werkbanks decide at the same moment that the model is better and read the untouched stories
    again: afterwards every story holds one reading's suggestions, not two (on PostgreSQL an advisory lock lets
    one replacement through at a time; SQLite has one writer anyway)."""
    import threading

    from wijkkit.config import Project
    from wijkkit.store.db import open_store
    from wijkkit.vertellen.importeren import import_stories
    from wijkkit.vertellen.suggesties import reread
    from wijkkit.vertellen.tagger import Tagger

    folder = tmp_path / "citaten"
    folder.mkdir()
    for k, quote in enumerate(quotes[:12]):
        (folder / f"citaat-{k:02d}.md").write_text(
            "---\ngebied: BU99990103\ndatum: 2025-07-18\nmethode: interview\nverteller_rol: bewoner\n"
            f"toestemming: analyse\n---\n{quote['text']}\n", encoding="utf-8")
    project = Project.load(demo_project)
    store = open_store(store_url)
    import_stories(project, sorted(folder.glob("*.md")), store=store, door="test")
    before = _suggestions(store)
    codebook = project.load_codebook()
    readers = [Tagger(codebook), Tagger(codebook)]
    counts, errors = [], []

    def run(reader):
        try:
            counts.append(reread(open_store(store_url), codebook, reader))
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(r,)) for r in readers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and counts == [12, 12]
    after = _suggestions(store)
    # the same reading as at import (the same shipped model), once per story, under new numbers
    assert {s: [row[2:] for row in rows] for s, rows in after.items()} == \
        {s: [row[2:] for row in rows] for s, rows in before.items()}
    assert not {row[0] for rows in after.values() for row in rows} & {row[0] for rows in before.values() for row in rows} \
        or store.engine.dialect.name == "sqlite"  # SQLite may hand out a freed number again


def test_tag_again_keeps_the_suggestions_of_stories_a_coder_worked_on(project, quotes):
    from typer.testing import CliRunner

    from wijkkit.cli import app

    store = project.open_store()
    truth = _labels(quotes)
    stories = sorted(truth)
    code(store, stories[0], truth[stories[0]])  # answered and finished
    b.mark_done(store, stories[1], "bram")  # only finished
    before = _suggestions(store)
    result = CliRunner().invoke(app, ["vertellen", "tag", "--opnieuw", "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    touched = {stories[0], stories[1]} & set(before)
    assert f"{len(touched)} verhalen waar al aan gewerkt is, houden hun suggesties" in result.output
    after = _suggestions(store)
    for story in touched:
        assert after[story] == before[story]  # the same rows, numbers and all
    with store.read() as session:
        assert None not in set(session.scalars(select(Coding.suggestie_id).where(Coding.status == "accepted")))
    # the others were read again: the same reading, under new numbers (PostgreSQL) or possibly the same (SQLite)
    assert {s: [r[2:] for r in rows] for s, rows in after.items()} == \
        {s: [r[2:] for r in rows] for s, rows in before.items()}
