"""Story importers (Markdown, CSV, XLSX, DOCX, TXT) and the all-or-nothing import into the store."""

import docx
import pandas as pd
import pytest

from wijkkit.config import Project
from wijkkit.errors import WijkkitInputError
from wijkkit.store import open_store
from wijkkit.store.models import Coding, Story
from wijkkit.vertellen.importeren import import_stories
from wijkkit.vertellen.importers import read_stories

GEBIEDEN = {"BU99990201", "BU99990202", "WK999902"}
META = {"gebied": "BU99990201", "methode": "interview", "verteller_rol": "bewoner", "toestemming": "analyse"}


def md(folder, name, body, **meta):
    head = "\n".join(f"{k}: {v}" for k, v in {**META, **meta}.items())
    path = folder / f"{name}.md"
    path.write_text(f"---\n{head}\n---\n{body}\n", encoding="utf-8")
    return path


def test_markdown_with_front_matter(tmp_path):
    md(tmp_path, "a", "Het buurthuis is dicht.", datum="2024-03-15")
    [story] = read_stories(tmp_path, gebieden=GEBIEDEN)
    assert (story.id, story.tekst, str(story.datum), story.bron) == ("a", "Het buurthuis is dicht.", "2024-03-15",
                                                                      "a.md")


def test_csv_export_with_column_mapping(tmp_path):
    path = tmp_path / "enquete.csv"
    path.write_text("Nr;Buurt;Antwoord;Rol\n7;BU99990202;Er is te weinig groen.;jongere\n", encoding="utf-8")
    [story] = read_stories(path, gebieden=GEBIEDEN,
                           mapping={"id": "Nr", "gebied": "Buurt", "tekst": "Antwoord", "verteller_rol": "Rol"},
                           defaults={"methode": "straatgesprek", "toestemming": "citeren-anoniem"})
    assert (story.id, story.gebied, story.verteller_rol, story.methode) == ("7", "BU99990202", "jongere",
                                                                            "straatgesprek")


def test_xlsx_export(tmp_path):
    path = tmp_path / "verhalen.xlsx"
    pd.DataFrame({"id": ["x1"], "tekst": ["Fijne buren."], "datum": [pd.Timestamp("2024-05-01")], **{
        k: [v] for k, v in META.items()}}).to_excel(path, index=False)
    [story] = read_stories(path, gebieden=GEBIEDEN)
    assert story.tekst == "Fijne buren." and str(story.datum) == "2024-05-01"


def test_docx_and_txt_transcripts_with_header_lines(tmp_path):
    document = docx.Document()
    for line in ["gebied: BU99990201", "methode: interview", "verteller_rol: professional", "toestemming: analyse",
                 "", "Interviewer: Hoe gaat het met de buurt?", "Het gaat beter sinds de renovatie."]:
        document.add_paragraph(line)
    document.save(tmp_path / "interview-01.docx")
    (tmp_path / "straat-02.txt").write_text("gebied: BU99990202\nmethode: straatgesprek\nverteller_rol: bewoner\n"
                                            "toestemming: none\n\nTe veel afval.\n", encoding="utf-8")
    stories = {s.id: s for s in read_stories(tmp_path, gebieden=GEBIEDEN)}
    assert stories["interview-01"].verteller_rol == "professional"
    assert stories["interview-01"].tekst.endswith("sinds de renovatie.")
    assert "gebied:" not in stories["interview-01"].tekst
    assert stories["straat-02"].tekst == "Te veel afval." and stories["straat-02"].toestemming == "none"


def test_every_bad_row_is_reported_in_dutch(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(
        "id;tekst;gebied;datum;methode;verteller_rol;toestemming\n"
        "a;Goed verhaal.;BU99990201;2024-01-01;interview;bewoner;analyse\n"
        "b;;BU99990201;2024-01-01;interview;bewoner;analyse\n"
        "c;Tekst.;BU12345678;2024-01-01;interview;bewoner;analyse\n"
        "d;Tekst.;BU99990201;31-02-2024;interview;bewoner;analyse\n"
        "a;Dubbel.;BU99990201;2024-01-01;interview;bewoner;analyse\n"
        "e;Tekst.;BU99990201;2024-01-01;enquete;bewoner;analyse\n", encoding="utf-8")
    with pytest.raises(WijkkitInputError) as info:
        read_stories(path, gebieden=GEBIEDEN)
    places = {(p.rij, p.kolom) for p in info.value.problemen}
    assert places == {(3, "tekst"), (4, "gebied"), (5, "datum"), (6, "id"), (7, "methode")}
    message = str(info.value)
    assert "export.csv" in message and "rij 5" in message and "verwacht" in message


def test_import_is_all_or_nothing_and_pseudonymised(demo_project, tmp_path, pseudonimiseerder):
    folder = tmp_path / "nieuw"
    folder.mkdir()
    md(folder, "goed", "Mijn buurvrouw Greet Hoogendoorn woont op de Rietveldstraat 112. Er is veel overlast.")
    md(folder, "fout", "Tekst zonder bekend gebied.", gebied="BU12345678")
    project = Project.load(demo_project)
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    with pytest.raises(WijkkitInputError, match="fout.md"):
        import_stories(project, folder, store=store)
    assert store.count(Story) == 0
    (folder / "fout.md").unlink()
    verslag = import_stories(project, folder, store=store, door="test")
    assert verslag.verhalen == 1 and verslag.vervangen["PERSOON"] == 1 and verslag.vervangen["ADRES"] == 1
    with store.read() as session:
        story = session.get(Story, "goed")
        codings = session.query(Coding).filter_by(story_id="goed").all()
        segments = [(s.nr, story.tekst[s.start:s.end] == s.tekst) for s in story.segments]
    assert "Greet" not in story.tekst and "112" not in story.tekst and "[PERSOON-1]" in story.tekst
    assert {c.status for c in codings} == {"suggested"} and "veiligheid" in {c.thema for c in codings}
    assert segments == [(0, True), (1, True)]


def test_originals_are_encrypted_outside_the_project_and_only_with_consent(demo_project, tmp_path, monkeypatch,
                                                                          pseudonimiseerder):
    from cryptography.fernet import Fernet

    from wijkkit.privacy.sleutel import key_path
    from wijkkit.store.models import Original

    monkeypatch.setenv("WIJKKIT_KEY_DIR", str(tmp_path / "sleutels"))
    toml = demo_project / "wijkkit.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("originelen_bewaren = false",
                                                             "originelen_bewaren = true"), encoding="utf-8")
    folder = tmp_path / "nieuw"
    folder.mkdir()
    md(folder, "met", "Bel Henk op 0612345678.", toestemming="analyse")
    md(folder, "zonder", "Bel Henk op 0612345678.", toestemming="none")
    store = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    verslag = import_stories(Project.load(demo_project), folder, store=store)
    assert verslag.originelen == 1
    key = key_path(Project.load(demo_project))
    assert key.exists() and demo_project.resolve() not in key.resolve().parents
    with store.read() as session:
        [original] = session.query(Original).all()
        assert original.story_id == "met"
        assert b"0612345678" not in original.versleuteld
        assert Fernet(key.read_bytes()).decrypt(original.versleuteld).decode() == "Bel Henk op 0612345678."


def test_tag_command_adds_suggestions_for_untagged_stories(demo_project, tmp_path):
    from typer.testing import CliRunner

    from wijkkit.cli import app

    folder = tmp_path / "nieuw"
    folder.mkdir()
    md(folder, "s1", "Het buurthuis is dicht en er ligt zwerfafval.")
    project = Project.load(demo_project)
    store = open_store(project.config.store.url, project_root=project.root)
    import_stories(project, folder, store=store, suggest=False)
    assert store.count(Coding) == 0
    result = CliRunner().invoke(app, ["vertellen", "tag", "--project", str(demo_project)])
    assert result.exit_code == 0, result.output
    with store.read() as session:
        themes = {c.thema for c in session.query(Coding).all()}
    assert themes == {"voorzieningen", "schoon_heel"}
    again = CliRunner().invoke(app, ["vertellen", "tag", "--project", str(demo_project)])
    assert "0 suggesties" in again.output  # already tagged: nothing silently doubled
