"""REFI-QDA exchange: well-formed XML in the standard's element order, lossless round trips."""

import zipfile
from datetime import date

import pytest
from lxml import etree

from wijkkit.codebook import Codebook, Thema, load_codebook
from wijkkit.coderen.beslissingen import codes, decide
from wijkkit.errors import WijkkitInputError
from wijkkit.store import open_store
from wijkkit.store.models import Memo, Segment, Story
from wijkkit.uitwisselen.qdc import NS_CODEBOOK, NS_PROJECT, read_qdc, to_qdc, write_qdc
from wijkkit.uitwisselen.qdpx import import_qdpx, read_qdpx, to_qdpx
from wijkkit.vertellen.nlp import segments as split

PROJECT_ORDER = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs"]


def local(element):
    return etree.QName(element).localname


def check_code_order(element):
    """In every <Code>, a <Description> comes before nested <Code> children."""
    for code in element.iter("{*}Code"):
        names = [local(c) for c in code]
        if "Description" in names and "Code" in names:
            assert names.index("Description") < names.index("Code")
        assert code.get("isCodable") in ("true", "false")
        if code.get("color"):
            assert len(code.get("color")) == 7 and code.get("color").startswith("#")


def test_default_codebook_round_trips_through_qdc(tmp_path):
    codebook = load_codebook()
    path = write_qdc(codebook, tmp_path / "codeboek.qdc")
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{NS_CODEBOOK}}}CodeBook" and root.get("origin").startswith("wijkkit")
    assert [local(c) for c in root] == ["Codes"]  # no empty <Sets/>
    check_code_order(root)
    assert read_qdc(path) == codebook
    assert to_qdc(codebook) == path.read_bytes()  # same guids every time


def test_sub_codes_are_nested_and_come_back(tmp_path):
    codebook = Codebook(themas=[Thema(id="wonen", label="Wonen", definitie="Over de woning.", kleur="#0072B2"),
                                Thema(id="schimmel", label="Schimmel en vocht", ouder="wonen", termen=["schimmel"])])
    data = to_qdc(codebook)
    root = etree.fromstring(data)
    parent = root.find(f"{{{NS_CODEBOOK}}}Codes/{{{NS_CODEBOOK}}}Code")
    assert parent.get("name") == "Wonen" and parent.get("color") == "#0072B2"
    assert [local(c) for c in parent] == ["Description", "Code"]
    path = tmp_path / "c.qdc"
    path.write_bytes(data)
    assert read_qdc(path) == codebook


def test_codebook_from_another_tool_gets_ids_from_names(tmp_path):
    path = tmp_path / "ander.qdc"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{NS_CODEBOOK}" origin="QualCoder">
  <Codes>
    <Code guid="8a5f4b0e-0000-4000-8000-000000000001" name="Groen in de wijk" isCodable="true" color="#00ff00">
      <Description>Parken en bomen</Description>
      <Code guid="8a5f4b0e-0000-4000-8000-000000000002" name="Speeltuin" isCodable="true"/>
    </Code>
  </Codes>
</CodeBook>""", encoding="utf-8")
    codebook = read_qdc(path)
    assert [(t.id, t.label, t.ouder, t.kleur) for t in codebook.themas] == [
        ("groen_in_de_wijk", "Groen in de wijk", None, "#00FF00"), ("speeltuin", "Speeltuin", "groen_in_de_wijk", None)]
    assert codebook.themas[0].definitie == "Parken en bomen"


def test_broken_qdc_names_the_file(tmp_path):
    path = tmp_path / "kapot.qdc"
    path.write_text("<CodeBook><Codes>", encoding="utf-8")
    with pytest.raises(WijkkitInputError) as info:
        read_qdc(path)
    assert "kapot.qdc" in str(info.value)


TEXTS = {
    "v1": "De huur is te hoog. In de slaapkamer zit schimmel.\nGelukkig helpt de buurvrouw.",
    "v2": "Het park is mooi.\r\nMaar 's avonds is het onveilig.\r\nDe wijkagent is er nooit.",
    "v3": "Niemand mag dit citeren.",
}


@pytest.fixture
def coded_store(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'a.db'}")
    with store.session() as session:
        for sid, raw in TEXTS.items():
            text = raw.replace("\r\n", "\n")  # as every importer stores it
            story = Story(id=sid, tekst=text, gebied="BU99990201", methode="interview", verteller_rol="bewoner",
                          toestemming="none" if sid == "v3" else "citeren-anoniem", privacy={},
                          datum=date(2025, 3, 1), verzamelaar="Welzijn")
            story.segments = [Segment(nr=n, start=s, end=e, tekst=t) for n, (s, e, t) in enumerate(split(text))]
            session.add(story)
    with store.read() as session:
        seg = {(s.story_id, s.nr): s.id for s in session.query(Segment)}
    decide(store, codeur="anna", story_id="v1", thema="wonen", status="manual", segment_id=seg["v1", 0],
           valentie="knelpunt")
    decide(store, codeur="anna", story_id="v1", thema="wonen", status="manual", segment_id=seg["v1", 1],
           valentie="knelpunt")
    decide(store, codeur="bram", story_id="v1", thema="sociale_samenhang", status="manual",
           segment_id=seg["v1", 2], valentie="kracht")
    decide(store, codeur="bram", story_id="v1", thema="wonen", status="manual")  # whole story, no valence
    decide(store, codeur="anna", story_id="v2", thema="veiligheid", status="manual", segment_id=seg["v2", 1],
           valentie="knelpunt")
    decide(store, codeur="anna", story_id="v2", thema="veiligheid", status="manual", segment_id=seg["v2", 2])
    decide(store, codeur="anna", story_id="v2", thema="veiligheid", status="rejected", segment_id=seg["v2", 2])
    decide(store, codeur="anna", story_id="v3", thema="veiligheid", status="manual")
    store.add_memo(codeur="anna", tekst="Schimmel komt vaker voor in Rietveld.", story_id="v1")
    store.add_memo(codeur="bram", tekst="Wonen overlapt met armoede.", thema="wonen")
    store.add_memo(codeur="bram", tekst="Buurvrouw als steun.", story_id="v1", thema="sociale_samenhang")
    return store


def snapshot(store):
    frame = codes(store)
    rows = {(r.story_id, r.codeur, r.thema, r.valentie if isinstance(r.valentie, str) else None,
             None if r.start != r.start or r.start is None else int(r.start),
             None if r.end != r.end or r.end is None else int(r.end), r.bewijs)
            for r in frame.itertuples()}
    with store.read() as session:
        memos = {(m.codeur, m.tekst, m.story_id, m.thema) for m in session.query(Memo)}
    return rows, memos


def test_qdpx_is_well_formed_and_in_standard_order(coded_store, tmp_path):
    path = to_qdpx(coded_store, load_codebook(), tmp_path / "project.qdpx", naam="Lindehoven")
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        names = archive.namelist()
    assert root.tag == f"{{{NS_PROJECT}}}Project"
    children = [local(c) for c in root]
    assert children == sorted(children, key=PROJECT_ORDER.index)
    assert children == ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links"]
    check_code_order(root)
    assert {u.get("name") for u in root.iter("{*}User")} == {"anna", "bram"}
    sources = list(root.iter("{*}TextSource"))
    assert [s.get("name") for s in sources] == ["v1", "v2"]  # v3 has no consent for analysis
    for source in sources:
        assert f"sources/{source.get('plainTextPath').removeprefix('internal://')}" in names
        order = [local(c) for c in source]
        assert order == sorted(order, key=["Description", "PlainTextContent", "PlainTextSelection", "VariableValue",
                                           "NoteRef"].index)
    # 3 + 1 current codes in v1, 1 in v2 (the second was withdrawn)
    assert len(list(root.iter("{*}PlainTextSelection"))) == 5


@pytest.mark.parametrize("regeleinden", ["lf", "crlf"])
def test_offsets_point_at_the_coded_text(coded_store, tmp_path, regeleinden):
    path = to_qdpx(coded_store, load_codebook(), tmp_path / "p.qdpx", regeleinden=regeleinden)
    expected = {(r.story_id, r.bewijs) for r in codes(coded_store).itertuples() if r.bewijs}
    found = set()
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        for source in root.iter("{*}TextSource"):
            raw = archive.read(f"sources/{source.get('plainTextPath')[11:]}").decode("utf-8")
            assert ("\r\n" in raw) == (regeleinden == "crlf" and "\n" in TEXTS[source.get("name")])
            for sel in source.iter("{*}PlainTextSelection"):
                piece = raw[int(sel.get("startPosition")):int(sel.get("endPosition"))]
                if sel.findtext("{*}Description") != "heel verhaal":
                    found.add((source.get("name"), piece.replace("\r\n", "\n")))
    assert found == expected


@pytest.mark.parametrize("regeleinden", ["lf", "crlf"])
def test_qdpx_round_trip_is_lossless(coded_store, tmp_path, regeleinden):
    codebook = load_codebook()
    path = to_qdpx(coded_store, codebook, tmp_path / "p.qdpx", regeleinden=regeleinden)
    project = read_qdpx(path)
    assert project.codebook == codebook
    assert {b.naam: b.tekst for b in project.bronnen} == {k: v.replace("\r\n", "\n") for k, v in TEXTS.items()
                                                          if k != "v3"}
    fresh = open_store(f"sqlite:///{tmp_path / f'b-{regeleinden}.db'}")
    counts = import_qdpx(fresh, path)
    assert counts == {"verhalen": 2, "coderingen": 5, "memos": 3}
    before_codes, before_memos = snapshot(coded_store)
    after_codes, after_memos = snapshot(fresh)
    assert after_codes == {c for c in before_codes if c[0] != "v3"}
    assert after_memos == before_memos
    with fresh.read() as session:
        story = session.get(Story, "v1")
        assert (story.gebied, story.methode, story.verteller_rol, story.datum) == (
            "BU99990201", "interview", "bewoner", date(2025, 3, 1))


def test_import_needs_gebied_and_keeps_the_store_unchanged(tmp_path):
    path = tmp_path / "ander.qdpx"
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS_PROJECT}" name="x" origin="MAXQDA"><CodeBook><Codes>
<Code guid="00000000-0000-4000-8000-000000000001" name="Wonen" isCodable="true"/></Codes></CodeBook>
<Sources><TextSource guid="00000000-0000-4000-8000-000000000002" name="interview 1">
<PlainTextContent>Ik woon hier graag.</PlainTextContent></TextSource></Sources></Project>"""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", xml)
    store = open_store(f"sqlite:///{tmp_path / 'c.db'}")
    with pytest.raises(WijkkitInputError) as info:
        import_qdpx(store, path)
    assert "gebied" in str(info.value) and "ander.qdpx" in str(info.value)
    assert store.story_ids() == set()
    counts = import_qdpx(store, path, defaults={"gebied": "BU99990201", "methode": "interview",
                                                "verteller_rol": "bewoner"})
    assert counts["verhalen"] == 1 and store.story_ids() == {"interview 1"}


def test_csv_and_excel_exports(coded_store, tmp_path):
    import openpyxl
    import pandas as pd

    from wijkkit.uitwisselen.tabellen import write_csv, write_excel

    codebook = load_codebook()
    csv = pd.read_csv(write_csv(coded_store, codebook, tmp_path / "c.csv"), sep=";", encoding="utf-8-sig")
    current = codes(coded_store)
    assert len(csv) == len(current) == 6  # 5 in v1/v2 plus anna's whole-story code on v3
    v3 = csv[csv["verhaal"] == "v3"].iloc[0]
    assert v3["fragment"] != v3["fragment"] or v3["fragment"] == ""  # no text without consent
    whole = csv[(csv["verhaal"] == "v1") & (csv["heel_verhaal"] == "ja")].iloc[0]
    assert whole["fragment"] == TEXTS["v1"]
    book = openpyxl.load_workbook(write_excel(coded_store, codebook, tmp_path / "c.xlsx"))
    assert book.sheetnames[0] == "Overzicht" and len(book.sheetnames) == 1 + len(codebook.themas)
    sheet = book["Wonen"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][-1] == "fragment"
    expected = sorted(r.bewijs or TEXTS[r.story_id] for r in current.itertuples() if r.thema == "wonen")
    assert sorted(r[-1] for r in rows[1:]) == expected
    assert all(len(name) <= 31 for name in book.sheetnames)
