"""The README's story-import examples, run exactly as written on the demo project.

The example files and the commands are read from the README (the blocks after a
``<!-- voorbeeld: ... -->`` marker), so an example that drifts from what wijkkit accepts fails here.
"""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from wijkkit.cli import app
from wijkkit.config import Project
from wijkkit.store.models import Story

MARKER = re.compile(r"<!-- voorbeeld: (?P<naam>[^>]+?) -->\n```\w*\n(?P<inhoud>.*?)```", re.S)


def examples() -> dict[str, str]:
    return {m["naam"]: m["inhoud"] for m in MARKER.finditer((ROOT / "README.md").read_text(encoding="utf-8"))}


def test_the_readme_has_one_example_per_format():
    found = examples()
    assert {"stories/avond-buurthuis.md", "enquete.csv", "interviews/interview-07.txt", "opdrachten"} <= set(found)
    for field in ("gebied", "methode", "verteller_rol", "toestemming"):
        assert f"{field}:" in found["stories/avond-buurthuis.md"] and f"{field}:" in found["interviews/interview-07.txt"]


@pytest.mark.parametrize("word", ["docx", "txt"])
def test_the_import_examples_run_as_written(demo_project, monkeypatch, word):
    found = examples()
    for name, content in found.items():
        if name == "opdrachten":
            continue
        path = demo_project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    interview = demo_project / "interviews" / "interview-07.txt"
    if word == "docx":  # the README says a Word file has the same lines, each its own paragraph
        import docx

        document = docx.Document()
        for line in interview.read_text(encoding="utf-8").splitlines():
            document.add_paragraph(line)
        document.save(interview.with_suffix(".docx"))
        interview.unlink()
    monkeypatch.chdir(demo_project)
    runner = CliRunner()
    commands = [line for line in found["opdrachten"].splitlines() if line.strip()]
    assert len(commands) == 3
    for line in commands:
        args = shlex.split(line)
        assert args[0] == "wijkkit"
        result = runner.invoke(app, args[1:])
        assert result.exit_code == 0, (line, result.output)
        assert "verhalen geïmporteerd" in result.output
    store = Project.load(demo_project).open_store()
    with store.read() as session:
        stories = {s.bron: s for s in session.query(Story)}
    # every example became a story with the fields its file (or the command) gave it
    assert len(stories) == 4
    rows = {s.methode: s for s in stories.values()}
    assert rows["verhalenavond"].verteller_rol == "bewoner" and rows["verhalenavond"].gebied == "BU99990201"
    assert rows["interview"].verteller_rol == "ondernemer" and str(rows["interview"].datum) == "2025-04-12"
    enquete = [s for s in stories.values() if s.methode == "straatgesprek"]
    assert sorted(s.gebied for s in enquete) == ["BU99990102", "BU99990201"]
    assert all(s.toestemming == "analyse" and s.verteller_rol == "bewoner" for s in enquete)


def test_the_team_servers_path_in_the_readme_names_real_commands_and_options():
    """Every wijkkit command of 'Voor een team' is parsed by the CLI as written (commands, arguments and options
    exist); the hub tests (tests/test_server_rollen.py) walk the same path on a real server."""
    from typer.main import get_command

    block = examples()["teamserver"].replace("\\\n", " ")
    commands = []
    for line in block.splitlines():
        words = shlex.split(line.split("#")[0])
        if "$W" in words:  # $W is the wijkkit program, after any environment assignments
            commands.append(words[words.index("$W") + 1:])
    seen = set()
    for args in commands:
        command, rest = get_command(app), list(args)
        while hasattr(command, "commands") and rest and rest[0] in command.commands:
            command = command.commands[rest.pop(0)]
        assert not hasattr(command, "commands"), args
        command.make_context(" ".join(args), rest)  # raises on an unknown option or a missing argument
        seen.add(" ".join(args[:3] if args[:2] == ["server", "gebruiker"] else args[:2]))
    assert {"server installeer", "server maak", "vertellen importeer", "server start", "server gebruiker sanne",
            "server gebruiker verwijder", "server stop", "server verwijder"} <= seen, seen
