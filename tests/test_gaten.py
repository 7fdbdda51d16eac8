"""The last holes a hostile-input probe found: what a file or a visitor sends cannot exhaust, crash, leak or read
outside. Each case is the probe's own input (or its kind), and each must fail without the guard it checks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from tests.conftest import ROOT
from wijkkit.errors import WijkkitInputError


def _bomb(levels: int = 9) -> str:
    """A billion-laughs YAML: nine levels of nine aliases expand to 9**9 (387 million) strings."""
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def _under_memory_limit(code: str, limit_mb: int = 1500) -> subprocess.CompletedProcess:
    """Run ``code`` in a fresh interpreter that may not take more than ``limit_mb`` of memory."""
    guard = f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({limit_mb << 20}, {limit_mb << 20}))\n"
    return subprocess.run([sys.executable, "-c", guard + textwrap.dedent(code)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)


# ------------------------------------------------------------------------------------------------ YAML
@pytest.mark.parametrize("where", ["codebook", "voorkop"])
def test_an_alias_bomb_is_refused_in_dutch_within_seconds_under_a_memory_limit(where, tmp_path):
    if where == "codebook":
        (tmp_path / "codebook.yml").write_text(_bomb(), encoding="utf-8")
        code = f"""
            from wijkkit.codebook import load_codebook
            load_codebook({str(tmp_path / 'codebook.yml')!r})
        """
    else:
        (tmp_path / "v1.md").write_text("---\n" + _bomb() + "---\nEen verhaal.\n", encoding="utf-8")
        code = f"""
            from wijkkit.vertellen.importers import read_stories
            read_stories({str(tmp_path)!r})
        """
    began = time.perf_counter()
    done = _under_memory_limit(code)
    elapsed = time.perf_counter() - began
    assert elapsed < 30, elapsed
    assert "MemoryError" not in done.stderr and "Traceback" in done.stderr  # it raised: ours, not the machine's
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("wijkkit.errors.WijkkitInputError") and "verwijzingen" in last, last
    assert len(last) < 400  # the message never formats the expanded value


def test_yaml_that_refers_to_itself_or_nests_too_deep_is_refused():
    from wijkkit.yamlfile import MAX_YAML_DIEPTE, parse_yaml

    with pytest.raises(WijkkitInputError, match="verwijzing naar zichzelf"):
        parse_yaml("a: &a [1, *a]\n", "x.yml")
    with pytest.raises(WijkkitInputError, match="niveaus diep"):
        parse_yaml("[" * (MAX_YAML_DIEPTE + 1) + "]" * (MAX_YAML_DIEPTE + 1), "x.yml")
    assert parse_yaml("a: &a [1, 2]\nb: *a\n", "x.yml") == {"a": [1, 2], "b": [1, 2]}  # ordinary aliases stay


@pytest.mark.parametrize("text", ["a: b: c\n", "a: [1, 2\n", "a: 'open\n", "a: *nergens\n", "a: @x\n"])
def test_a_yaml_parser_reason_is_dutch(text):
    from wijkkit.yamlfile import parse_yaml

    with pytest.raises(WijkkitInputError) as error:
        parse_yaml(text, "codebook.yml")
    message = str(error.value)
    assert "codebook.yml" in message and ("rij 1" in message or "rij 2" in message)
    assert not any(word in message for word in ("found", "expected", "mapping", "while", "scanning")), message


# ------------------------------------------------------------------------------------------------ story folders
def _story(gebied: str = "BU99990301") -> str:
    return (f"---\ngebied: {gebied}\nmethode: interview\nverteller_rol: bewoner\ntoestemming: analyse\n---\n"
            "De speeltuin is weer open.\n")


def test_a_link_out_of_the_story_folder_is_refused_by_name_and_nothing_is_read(tmp_path):
    from wijkkit.vertellen.importers import read_stories

    secret = tmp_path / "geheim.md"
    secret.write_text(_story().replace("De speeltuin is weer open.", "GEHEIME SLEUTEL"), encoding="utf-8")
    folder = tmp_path / "verhalen"
    folder.mkdir()
    (folder / "v1.md").write_text(_story(), encoding="utf-8")
    (folder / "v2.md").symlink_to(secret)
    with pytest.raises(WijkkitInputError) as error:
        read_stories(folder)
    message = str(error.value)
    assert "v2.md" in message and "buiten de map" in message and "GEHEIME" not in message
    # a link that stays inside the folder is an ordinary story
    (folder / "v2.md").unlink()
    (folder / "v2.md").symlink_to(folder / "v1.md")
    assert len(read_stories(folder)) == 2


def test_a_special_file_in_the_story_folder_is_refused_not_read(tmp_path):
    from wijkkit.vertellen.importers import read_stories

    folder = tmp_path / "verhalen"
    folder.mkdir()
    (folder / "v1.md").write_text(_story(), encoding="utf-8")
    os.mkfifo(folder / "v2.md")  # reading it would wait forever
    with pytest.raises(WijkkitInputError, match="speciaal bestand"):
        read_stories(folder)


# ------------------------------------------------------------------------------------------------ encodings
@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-8-sig"])
def test_a_story_saved_as_unicode_text_is_read_by_its_byte_order_mark(encoding, tmp_path):
    from wijkkit.vertellen.importers import read_stories

    text = "gebied: BU99990301\nmethode: interview\nverteller_rol: bewoner\ntoestemming: analyse\n\nÉén café.\n"
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data  # Word writes the mark; Python's -be codec does not
    (tmp_path / "v1.txt").write_bytes(data)
    (story,) = read_stories(tmp_path / "v1.txt")
    assert story.tekst == "Één café."


def test_a_csv_with_unicode_text_and_a_cell_beyond_the_csv_limit(tmp_path):
    import csv

    from wijkkit.vertellen.importers import read_stories

    header = "id;gebied;methode;verteller_rol;toestemming;tekst\n"
    (tmp_path / "u.csv").write_text(header + "v1;BU99990301;interview;bewoner;analyse;Één café.\n", encoding="utf-16")
    assert [s.tekst for s in read_stories(tmp_path / "u.csv")] == ["Één café."]
    limit = csv.field_size_limit()
    (tmp_path / "lang.csv").write_text("id;gebied;" + "x" * (limit + 10) + "\nv1;BU1;a\n", encoding="utf-8")
    with pytest.raises(WijkkitInputError) as error:
        read_stories(tmp_path / "lang.csv")
    assert "field larger" not in str(error.value) and "rij 1" in str(error.value)
    assert f"{limit:,}".replace(",", ".") in str(error.value)


# ------------------------------------------------------------------------------------------------ hidden PII
@pytest.mark.parametrize("text,secret", [
    ("Bel me op 06\u200b12345678, dan kom ik.", "12345678"),
    ("Mijn nummer: ０６-１２３４５６７８.", "１２３４５６７８"),
    ("Mail naar jan\u200b@gmail.com als er iets is.", "gmail"),
    ("Toen kwam MEVROUW KARIMA OUALI langs.", "OUALI"),
    ("Xandrio zei dat de speeltuin vies is.", "Xandrio"),
    ("Postcode 3572\u00a0AB, daar woon ik.", "3572"),
])
def test_hidden_and_full_width_identifiers_are_found(text, secret):
    from wijkkit.privacy import Pseudonimiseerder

    result = Pseudonimiseerder(use_deduce=False).pseudonymise(text)
    assert secret not in result.tekst, result.tekst
    for span in result.spans:  # the spans point at the original text, hidden characters included
        assert text[span.start:span.end] == span.tekst


def test_ordinary_capitals_and_sentence_openings_stay():
    from wijkkit.privacy import Pseudonimiseerder

    for text in ("WE WILLEN MEER GROEN IN DE WIJK!", "Speeltuin is kapot.", "Parkeren zei niemand iets over."):
        assert Pseudonimiseerder(use_deduce=False).pseudonymise(text).tekst == text


# ------------------------------------------------------------------------------------------------ sizes
@pytest.fixture(scope="module")
def project(tmp_path_factory):
    import shutil

    from wijkkit.config import Project
    from wijkkit.vertellen.importeren import import_stories

    root = tmp_path_factory.mktemp("gaten") / "demo"
    root.mkdir()
    for name in ("wijkkit.toml", "codebook.yml", "indicatoren.yml", "verandertheorie.yml"):
        shutil.copy(ROOT / name, root / name)
    for folder in ("data", "notebooks", "stories"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    proj = Project.load(root)
    import_stories(proj, root / "stories", door="test")
    return proj


def test_a_megabyte_duiding_is_refused_and_a_page_cannot_save_in_a_loop(project):
    from wijkkit.kenniskring.dashboard import Dashboard
    from wijkkit.kenniskring.duiding import duidingen
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.velden import BEWAREN_PER_MINUUT, MAX_VELD

    kring = Kenniskring(project)
    page = Dashboard(kring)
    before = len(duidingen(kring.store))
    page.velden["wat_zien_we"].value = "x" * 1_000_000
    page._on_save()
    assert "langer dan" in page.form_melding.value and len(duidingen(kring.store)) == before
    # the store refuses it too, whoever calls it (the rekenaar's answer is the same Dutch sentence)
    answer = page.bron.bewaar_duiding(page.gebied, page.thema, "2026-12-05", {"wat_zien_we": "x" * (MAX_VELD + 1)}, {})
    assert not answer["ok"] and "langer dan" in answer["melding"]
    for k in range(BEWAREN_PER_MINUUT + 3):
        page.velden["wat_zien_we"].value = f"De bank bij de speeltuin, keer {k}."
        page._on_save()
    assert len(duidingen(kring.store)) == before + BEWAREN_PER_MINUUT
    assert "Even wachten" in page.form_melding.value


# ------------------------------------------------------------------------------------------------ the server
@pytest.mark.browser
def test_no_traceback_or_path_reaches_a_visitor(project):
    """A websocket client that sends bogus comm messages and reads every message back; error pages."""
    import asyncio
    import re
    import urllib.error
    import urllib.request
    import uuid

    from tests.browser import require_browser, served

    require_browser()
    with served(project.root) as server:
        html = urllib.request.urlopen(server.url, timeout=120).read().decode()
        kernel = re.search(r'kernelId": "([0-9a-f-]+)"', html).group(1)

        def message(kind: str, content: dict) -> str:
            return json.dumps({"header": {"msg_id": uuid.uuid4().hex, "username": "bezoeker", "session": "s",
                                          "msg_type": kind, "version": "5.3", "date": ""},
                               "parent_header": {}, "metadata": {}, "content": content, "channel": "shell",
                               "buffers": []})

        async def probe() -> list[str]:
            from tornado.httpclient import HTTPRequest
            from tornado.websocket import websocket_connect

            url = server.url.replace("http", "ws").split("?")[0] + f"api/kernels/{kernel}/channels?session_id=p"
            socket = await websocket_connect(HTTPRequest(url, headers={"Origin": server.url.split("/?")[0].rstrip("/")}))
            for kind, content in [
                ("comm_open", {"comm_id": "c1", "target_name": "jupyter.widget",
                               "data": {"state": {"_model_name": "Bestaat", "_model_module": "/etc/passwd"}}}),
                ("comm_open", {"comm_id": "c2", "target_name": "verzonnen", "data": {}}),
                ("comm_msg", {"comm_id": "c3", "data": {"method": "update", "state": {"value": 1}}}),
                ("execute_request", {"code": "import os; os.getcwd()", "silent": False}),
                ("kernel_info_request", {}),
            ]:
                await socket.write_message(message(kind, content))
            received = []
            try:
                while (answer := await asyncio.wait_for(socket.read_message(), 5)) is not None:
                    received.append(answer if isinstance(answer, str) else answer.decode("latin-1"))
            except asyncio.TimeoutError:
                pass
            socket.close()
            return received

        received = asyncio.run(probe())
        assert any('"kernel_info_reply"' in r for r in received)  # the probe did reach the kernel
        everything = "\n".join(received)
        assert "Traceback" not in everything
        assert not re.search(r"site-packages|/\.venv/|" + re.escape(str(ROOT)) + "|" + re.escape(str(project.root)),
                             everything)
        log = server.log.read_text(encoding="utf-8", errors="replace")
        assert "Exception opening comm" in log  # the details are in the server's log, where they belong
        base = server.url.split("?")[0]
        for path, status in (("logout", 200), ("voila/templates/", 404), ("voila/templates/x/y", 404)):
            try:
                response = urllib.request.urlopen(base + path, timeout=30)
                code, body = response.status, response.read().decode()
            except urllib.error.HTTPError as error:
                code, body = error.code, error.read().decode()
            assert code == status, (path, code)
            assert 'lang="nl"' in body and "Traceback" not in body and "site-packages" not in body, path
