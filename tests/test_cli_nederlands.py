"""One language and one shape: every help screen and usage error in Dutch, the earlier names as aliases,
and the errors a newcomer meets first."""

from __future__ import annotations

import ast
import json
import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from tests.conftest import ROOT
from wijkkit.cli import ALIASSEN, app

runner = CliRunner()
ENGELS = re.compile(r"\b(Usage|Options|Arguments|Commands|Show this message|default|required|Error|Missing|"
                    r"Invalid|No such|Try)\b")


def every_command(command=None, path=()):
    """(path, command) for the root, every group and every command, hidden aliases included."""
    command = command or get_command(app)
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from every_command(sub, (*path, name))


def test_every_help_screen_is_dutch_and_loses_no_text():
    walked = 0
    for path, command in every_command():
        result = runner.invoke(app, [*path, "--help"], prog_name="wijkkit")
        assert result.exit_code == 0, (path, result.output)
        english = ENGELS.findall(result.output)
        assert not english, (path, english, result.output)
        assert "Gebruik: wijkkit" in result.output and "Toon deze hulp en stop." in result.output
        walked += 1
    assert walked >= 1 + 7 + 22 + len(ALIASSEN)
    # rich markup used to eat "[coderen]" in this help text
    assert "(standaard: [coderen]" in runner.invoke(app, ["vertellen", "tag", "--help"]).output


@pytest.mark.parametrize("args, expected", [
    (["tellen", "profiel"], "De optie '--gebied' / '-g' ontbreekt."),
    (["vertellen", "importeer", "--bestaat-niet"], "Onbekende optie: --bestaat-niet"),
    (["coderen", "toewijzen", "anna", "--aantal", "vijf"], "Ongeldige waarde voor '--aantal': verwacht een geheel getal"),
    (["tellen", "proffiel"], "Onbekende opdracht 'proffiel'. Bedoelde je 'profiel'?"),
    (["vertellen", "evalueer"], "Geef een goudstandaard (JSONL) of --cv 5."),
])
def test_usage_errors_are_dutch(args, expected):
    result = runner.invoke(app, args, prog_name="wijkkit")
    assert result.exit_code == 2
    assert expected in result.output, result.output
    assert "Gebruik: wijkkit" in result.output and "voor hulp." in result.output
    assert not ENGELS.findall(result.output), result.output


@pytest.mark.parametrize("old", sorted(ALIASSEN))
def test_each_earlier_name_still_runs_and_says_its_new_name(old, tmp_path):
    group, command, _ = ALIASSEN[old]
    hidden = get_command(app).commands[old]
    assert hidden.hidden
    # a project that does not exist: the command itself runs, names its new name, then refuses in Dutch
    args = {"demo-data": ["--uitvoer", str(tmp_path / "data")], "evaluate-tagger": ["/bestaat/niet.jsonl"],
            "import-stories": ["/bestaat/niet", "--project", "/bestaat/niet"],
            "importeer-qda": ["/bestaat/niet.qdpx", "--project", "/bestaat/niet"],
            "exporteer": [str(tmp_path / "x.qdc"), "--project", "/bestaat/niet"],
            "toewijzen": ["anna", "--project", "/bestaat/niet"],
            "profiel": ["--gebied", "WK999902", "--project", "/bestaat/niet"],
            "cbs-ophalen": ["--jaar", "2024", "--project", "/bestaat/niet"],
            "dashboard": ["--project", "/bestaat/niet", "--no-open"],
            "werkbank": ["--project", "/bestaat/niet", "--no-open"]}.get(old, ["--project", "/bestaat/niet"])
    result = runner.invoke(app, [old, *args])
    assert f"'wijkkit {old}' heet nu 'wijkkit {group} {command}'" in result.output, result.output
    assert "Traceback" not in result.output
    if old == "demo-data":
        assert result.exit_code == 0 and (tmp_path / "data").is_dir()
    elif old == "indicatoren":  # without a project it shows the built-in catalogue
        assert result.exit_code == 0 and "Indicatorcatalogus" in result.output
    else:
        assert result.exit_code == 2 and "verwacht" in result.output, result.output


def test_the_readme_and_notebooks_use_only_the_new_command_names():
    old_names = re.compile(r"wijkkit (" + "|".join(map(re.escape, ALIASSEN)) + r")(?![\w-])")
    for path in [ROOT / "README.md", ROOT / "Makefile", *sorted((ROOT / "notebooks").glob("*.py"))]:
        found = old_names.findall(path.read_text(encoding="utf-8"))
        assert not found, (path.name, found)


def test_readme_papermill_parameters_parse_without_warnings():
    from papermill.translators import PythonTranslator

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        cell = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
        source = "".join(cell["source"])
        assigned = {t.id for node in ast.parse(source).body if isinstance(node, ast.Assign) for t in node.targets}
        found = {p.name for p in PythonTranslator.inspect({"source": source})}
        assert found == assigned, (path.name, assigned - found)


# --------------------------------------------------------------------------------------- newcomers' errors
def test_a_path_that_does_not_exist_says_so(demo_project):
    result = runner.invoke(app, ["vertellen", "importeer", str(demo_project / "verhalen-die-er-niet-zijn"),
                                 "--project", str(demo_project)])
    assert result.exit_code == 2 and "dit pad bestaat niet" in " ".join(result.output.split())
    assert "geen extensie" not in result.output


def test_an_unknown_gebied_is_not_in_the_data_and_says_how_to_list_codes(demo_project):
    result = runner.invoke(app, ["tellen", "profiel", "--gebied", "WK999920", "--project", str(demo_project)])
    text = " ".join(result.output.split())
    assert result.exit_code == 2
    assert "optie '--gebied'" in text and "wijkkit tellen cijfers --gebieden" in text
    assert "bestand 'gebied'" not in result.output and "bestand '--gebied'" not in result.output
    listing = runner.invoke(app, ["tellen", "cijfers", "--gebieden", "--project", str(demo_project)])
    assert "WK999902" in listing.output and "Rietveld" in listing.output


def test_a_mapped_column_is_found_whatever_its_case_or_the_nearest_name_is_suggested(tmp_path):
    from wijkkit.errors import WijkkitInputError
    from wijkkit.tellen.readers import read_municipal
    from wijkkit.vertellen.importers import read_table

    path = tmp_path / "gemeente-2023.csv"
    path.write_text("Buurtcode;Meldingen\nBU99990101;12\n", encoding="utf-8")
    df = read_municipal(path, {"gebied": "buurtcode", "indicatoren": {"meldingen": "meldingen"}})
    assert df["waarde"].tolist() == [12.0]
    stories = tmp_path / "verhalen.csv"
    stories.write_text("ID;Antwoord\n1;De speeltuin is kapot.\n", encoding="utf-8")
    assert read_table(stories, mapping={"tekst": "antwoord"})[0].data["tekst"] == "De speeltuin is kapot."
    with pytest.raises(WijkkitInputError, match="bedoel je 'Antwoord'"):
        read_table(stories, mapping={"tekst": "antwoorden"})


def test_a_header_read_as_one_column_names_the_separator(tmp_path):
    path = tmp_path / "kwb-2020.csv"
    path.write_text("gwb_code|a_inw\nGM0001|5\n", encoding="utf-8")
    result = runner.invoke(app, ["tellen", "cijfers", "--data", str(path)])
    text = " ".join(result.output.split())
    assert result.exit_code == 2
    assert "';' als scheidingsteken" in text and "lijkt '|' te gebruiken" in text


@pytest.mark.parametrize("datum", ["18-07-2025", "18 juli 2025", "18/07/2025", "2025-07-18", "18 jul. 2025"])
def test_dutch_dates_are_accepted_where_a_story_asks_for_one(datum):
    from datetime import date

    from wijkkit.vertellen.model import parse_datum

    assert parse_datum(datum) == date(2025, 7, 18)


def test_at_most_ten_commands_at_the_top_and_the_care_of_a_project_in_one_group():
    top = get_command(app).commands
    shown = sorted(name for name, command in top.items() if not command.hidden)
    assert len(shown) <= 10, shown
    beheer = top["beheer"].commands
    assert set(beheer) == {"sleutel", "backup", "herstel"}
    assert set(beheer["sleutel"].commands) == {"controleer", "ontsleutel", "roteer"}


@pytest.mark.parametrize("old, new", [(["sleutel", "controleer"], "beheer sleutel controleer"),
                                      (["sleutel", "roteer"], "beheer sleutel roteer"),
                                      (["store", "herstel", "/bestaat/niet.dump"], "beheer herstel"),
                                      (["store", "backup", "--uitvoer", "/bestaat/niet.dump"], "beheer backup")])
def test_the_old_groups_of_the_care_still_run_and_say_their_new_name_in_one_line(old, new):
    top = get_command(app).commands
    assert top[old[0]].hidden
    result = runner.invoke(app, [*old, "--project", "/bestaat/niet"])
    hint = f"Let op: 'wijkkit {old[0]} {old[1]}' heet nu 'wijkkit {new}'."
    assert hint in result.output.splitlines(), result.output  # one line, whatever the terminal's width
    assert result.exit_code == 2 and "verwacht" in result.output and "Traceback" not in result.output


def test_a_refusal_by_the_system_or_the_database_is_one_dutch_sentence(tmp_path, store_url):
    """What a member's role may not do on a team server (a file of the coördinatoren, a table without a grant)
    ends a command with a Dutch sentence and code 2, never a traceback; anything else stays a traceback."""
    import sqlalchemy
    from sqlalchemy.exc import DBAPIError

    from wijkkit.cli.nederlands import geweigerd

    locked = tmp_path / "sleutel.key"
    message = geweigerd(PermissionError(13, "Permission denied", str(locked)))
    assert message.startswith("Geen toegang tot " + str(locked)) and "coördinator" in message
    engine = sqlalchemy.create_engine(store_url)
    try:
        with engine.connect() as connection:
            connection.execute(sqlalchemy.text("SELECT * FROM tabel_die_er_niet_is"))
    except DBAPIError as exc:
        assert geweigerd(exc) is None  # a bug, not a refusal: it stays a traceback for the report
    assert geweigerd(ValueError("iets anders")) is None
    if "postgresql" in store_url:  # a real refusal by PostgreSQL, from a role without rights
        import uuid

        role = f"wijkkit_zonder_rechten_{uuid.uuid4().hex[:8]}"
        with engine.begin() as connection:
            connection.execute(sqlalchemy.text(f"CREATE ROLE {role}"))
        try:
            with engine.begin() as connection:
                connection.execute(sqlalchemy.text(f"SET ROLE {role}"))
                connection.execute(sqlalchemy.text("SELECT count(*) FROM pg_authid"))
        except DBAPIError as exc:
            message = geweigerd(exc)
            assert message.startswith("De database weigert dit voor jouw rol (") and "Traceback" not in message
        else:
            raise AssertionError("pg_authid was readable without rights")
        finally:
            with engine.begin() as connection:
                connection.execute(sqlalchemy.text(f"DROP ROLE IF EXISTS {role}"))
            engine.dispose()
