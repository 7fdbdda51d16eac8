"""No count below the privacy threshold leaves the team: pages, summaries, chart data, the report.

Walks every gebied x theme of the demo project (where many combinations hold only a few
stories) through everything public: the story picture of the kenniskring page (its sentences and
the data of its period chart), the map values, the cross table, summaries and the progress report.
"""

from __future__ import annotations

import re

import pytest

from wijkkit.config import Project
from wijkkit.vertellen.importeren import import_stories

SMALL_STORY_COUNT = re.compile(
    r"(?<![\d.,])([1-4])\s+(?:verhalen|verhaal|fragmenten|fragment|krachten|kracht|knelpunten|knelpunt|"
    r"zonder oordeel|over wat goed gaat|over knelpunten|daarvan)\b")


def numbers_in(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"(?<![\d.,])(\d+)(?![\d.,]\d)", text)]


@pytest.fixture(scope="module")
def kring(tmp_path_factory):
    import shutil

    from tests.conftest import ROOT
    from wijkkit.coderen.beslissingen import mark_done  # noqa: F401  (team codes exist in a real project)
    from wijkkit.demo.codering import simulate
    from wijkkit.kenniskring.gegevens import Kenniskring

    root = tmp_path_factory.mktemp("drempel") / "demo"
    root.mkdir()
    for name in ("wijkkit.toml", "codebook.yml", "indicatoren.yml", "verandertheorie.yml"):
        shutil.copy(ROOT / name, root / name)
    for folder in ("data", "notebooks", "stories"):
        shutil.copytree(ROOT / folder, root / folder)
    project = Project.load(root)
    import_stories(project, root / "stories", door="test")
    store, codebook = project.open_store(), project.load_codebook()
    simulate(store, codebook.theme_ids)  # some stories coded by the team, the rest through suggestions
    return Kenniskring(project)


def test_every_story_picture_is_public(kring):
    from wijkkit.kenniskring.panelen import period_chart

    gebieden = [code for _, code in kring.gebied_keuzes()]
    themas = [thema for _, thema in kring.thema_keuzes()]
    views = small = 0
    for gebied in gebieden:
        for thema in themas:
            beeld = kring.verhalen(gebied, thema)
            views += 1
            small += 0 < beeld.verhalen < kring.drempel
            for sentence in (beeld.samenvatting, beeld.suggestie_zin, beeld.publiek):
                assert not SMALL_STORY_COUNT.search(sentence), (gebied, thema, sentence)
                assert all(n == 0 or n >= kring.drempel for n in numbers_in(sentence)), (gebied, thema, sentence)
            data = beeld.per_periode
            assert (data["fragmenten"] >= kring.drempel).all(), (gebied, thema, data)
            if len(data):
                spec = period_chart(data, thema).to_dict()
                values = [row["fragmenten"] for ds in spec["datasets"].values() for row in ds]
                assert min(values) >= kring.drempel
            if not beeld.genoeg:
                assert beeld.citaten.empty and data.empty
    assert views == len(gebieden) * len(themas) and small > 20  # the demo really has small cells to hide


def test_map_and_cross_table_hold_no_small_count(kring):
    for thema in [t for _, t in kring.thema_keuzes()]:
        waarden = kring.kaartwaarden(thema, "verhalen")
        for tekst in waarden["tekst"]:
            assert all(n >= kring.drempel for n in numbers_in(tekst.split(",")[0])), tekst
    for gebied in [code for _, code in kring.gebied_keuzes()]:
        tabel = kring.kruistabel(gebied)
        for column in ("verhalen_publiek", "uitleg", "verhalen_zeggen"):
            for value in tabel[column].astype(str):
                assert not SMALL_STORY_COUNT.search(value), (gebied, value)
                assert not re.fullmatch(r"[1-4]", value), (gebied, value)


def test_summaries_and_progress_report_hold_no_small_count(kring, tmp_path):
    from wijkkit.kenniskring.samenvatting import summary_html
    from wijkkit.monitoring.uitvoeren import render_report

    for gebied in ("WK999901", "WK999903", "BU99990301", "BU99990202"):
        for thema in ("sociale_samenhang", "veiligheid", "werk_economie", "identiteit_cultuur"):
            text = re.sub(r"<[^>]+>", " ", summary_html(kring, gebied, thema))
            assert not SMALL_STORY_COUNT.search(text), (gebied, thema, SMALL_STORY_COUNT.search(text))
    report = render_report(kring.project, tmp_path / "rapport.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", report)
    assert not SMALL_STORY_COUNT.search(text), SMALL_STORY_COUNT.search(text)
    tables = re.findall(r"<th>verhalen</th>.*?</table>", report, re.S)
    cells = [re.sub(r"<[^>]+>", "", c) for t in tables for c in re.findall(r"<td>(.*?)</td>", t)]
    assert not [c for c in cells if re.fullmatch(r"[1-4]", c.strip())]
