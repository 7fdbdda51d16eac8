"""REFI-QDA exchange: exports valid against the official schemas, lossless round trips, imports of real
files from other tools, the way NVivo, QualCoder and MAXQDA count positions, and privacy on import."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date

import pytest
from lxml import etree

from tests.conftest import ROOT
from wijkkit.codebook import Codebook, Thema, load_codebook
from wijkkit.coderen.beslissingen import codes, decide
from wijkkit.config import Project
from wijkkit.errors import WijkkitInputError
from wijkkit.store.models import Memo, Segment, Story
from wijkkit.uitwisselen.qda_import import import_qdc, import_qdpx
from wijkkit.uitwisselen.qdc import NS_CODEBOOK, NS_PROJECT, read_qdc, to_qdc, write_qdc
from wijkkit.uitwisselen.qdpx import read_qdpx, to_qdpx
from wijkkit.vertellen.nlp import segments as split

REFI = ROOT.parent / "shared" / "refi"
PROJECT_ORDER = ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links", "Sets", "Graphs"]
DEFAULTS = {"gebied": "BU99990201", "methode": "interview", "verteller_rol": "bewoner", "toestemming": "analyse"}


def local(element):
    return etree.QName(element).localname


@pytest.fixture(scope="module")
def schemas():
    if not (REFI / "xsd" / "Project-mrt2019.xsd").exists():
        pytest.skip("de REFI-QDA-schema's ontbreken (../shared/refi/xsd)")
    return {kind: etree.XMLSchema(etree.parse(str(REFI / "xsd" / f"{kind}-mrt2019.xsd")))
            for kind in ("Project", "Codebook")}


def assert_valid(schema, xml: bytes) -> None:
    document = etree.fromstring(xml)
    assert schema.validate(document), [str(e) for e in schema.error_log][:5]


def project_xml(path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


# ---------------------------------------------------------------------------- codebook (.qdc)
def test_default_codebook_round_trips_through_qdc_and_validates(tmp_path, schemas):
    codebook = load_codebook()
    path = write_qdc(codebook, tmp_path / "codeboek.qdc")
    assert_valid(schemas["Codebook"], path.read_bytes())
    root = etree.parse(str(path)).getroot()
    assert root.tag == f"{{{NS_CODEBOOK}}}CodeBook" and root.get("origin").startswith("wijkkit")
    assert [local(c) for c in root] == ["Codes"]  # no empty <Sets/>
    assert read_qdc(path) == codebook
    assert to_qdc(codebook) == path.read_bytes()  # same guids every time


def test_sub_codes_categories_groups_and_colour_names_come_back(tmp_path, schemas):
    codebook = Codebook(themas=[
        Thema(id="wonen", label="Wonen", definitie="Over de woning.", kleur="rood", groepen=["leefbaarheid"]),
        Thema(id="schimmel", label="Schimmel en vocht", ouder="wonen", termen=["schimmel"], kleur="#0af"),
        Thema(id="öztürk_straat", label="Öztürkstraat", groepen=["leefbaarheid", "plekken"]),
        Thema(id="plekken", label="Plekken", codeerbaar=False),
        Thema(id="plein", label="Plein", ouder="plekken")])
    assert codebook.themas[0].kleur == "#D55E00" and codebook.themas[1].kleur == "#00AAFF"
    data = to_qdc(codebook)
    assert_valid(schemas["Codebook"], data)
    root = etree.fromstring(data)
    parent = root.find(f"{{{NS_CODEBOOK}}}Codes/{{{NS_CODEBOOK}}}Code")
    assert parent.get("color") == "#D55E00" and [local(c) for c in parent] == ["Description", "Code"]
    sets = root.find(f"{{{NS_CODEBOOK}}}Sets")
    assert sorted(s.get("name") for s in sets) == ["leefbaarheid", "plekken"]
    path = tmp_path / "c.qdc"
    path.write_bytes(data)
    assert read_qdc(path) == codebook


def test_a_wrong_colour_is_refused_in_dutch():
    with pytest.raises(ValueError, match="een kleur als #RRGGBB"):
        Thema(id="wonen", label="Wonen", kleur="ROOD!")


def test_codebook_from_another_tool_gets_ids_from_names(tmp_path):
    path = tmp_path / "ander.qdc"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="{NS_CODEBOOK}" origin="QualCoder">
  <Codes>
    <Code guid="8A5F4B0E-0000-4000-8000-000000000001" name="Groen in de wijk" isCodable="true" color="#00ff00">
      <Description>Parken en bomen</Description>
      <Code guid="8a5f4b0e-0000-4000-8000-000000000002" name="Speeltuin" isCodable="true"/>
    </Code>
  </Codes><Sets/>
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


@pytest.mark.parametrize("name,codes_in_file,groups", [("atlas_23_4_requal.qdc", 1, {"code group 1"}),
                                                         ("taguette_tests.qdc", 3, set())])
def test_real_codebooks_from_other_tools(name, codes_in_file, groups):
    path = REFI / "voorbeelden" / name
    if not path.exists():
        pytest.skip("voorbeeldbestanden ontbreken (../shared/refi/voorbeelden)")
    root = etree.parse(str(path)).getroot()
    assert len(list(root.iter("{*}Code"))) == codes_in_file  # stated from the file itself
    codebook = read_qdc(path)
    assert len(codebook.themas) == codes_in_file
    assert {g for t in codebook.themas for g in t.groepen} == groups
    names = {c.get("name") for c in root.iter("{*}Code")}
    assert {t.label for t in codebook.themas} == names


# ---------------------------------------------------------------------------- project (.qdpx) export
TEXTS = {
    "v1": "De huur is te hoog. In de slaapkamer zit schimmel.\nGelukkig helpt de buurvrouw.",
    "v2": "Het park is mooi.\r\nMaar 's avonds is het onveilig.\r\nDe wijkagent is er nooit.",
    "v3": "Niemand mag dit citeren.",
}


def _fill(project: Project):
    store = project.open_store()
    with store.session() as session:
        for sid, raw in TEXTS.items():
            text = raw.replace("\r\n", "\n")  # as every importer stores it
            story = Story(id=sid, tekst=text, gebied="BU99990201", methode="interview", verteller_rol="bewoner",
                          toestemming="none" if sid == "v3" else "citeren-anoniem", privacy={},
                          datum=date(2025, 3, 1), verzamelaar="Welzijn", kenmerken={"leeftijdsgroep": "65+"})
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


@pytest.fixture
def coded(demo_project):
    project = Project.load(demo_project)
    return project, _fill(project)


@pytest.fixture
def fresh(tmp_path):
    """Another copy of the demo project with an empty store: where an export is imported again."""
    target = tmp_path / "ander"
    target.mkdir()
    for name in ("wijkkit.toml", "codebook.yml", "indicatoren.yml"):
        shutil.copy(ROOT / name, target / name)
    shutil.copytree(ROOT / "data", target / "data")
    return Project.load(target)


def snapshot(store):
    frame = codes(store)
    rows = {(r.story_id, r.codeur, r.thema, r.valentie if isinstance(r.valentie, str) else None,
             None if r.start != r.start or r.start is None else int(r.start),
             None if r.end != r.end or r.end is None else int(r.end), r.bewijs)
            for r in frame.itertuples()}
    with store.read() as session:
        memos = {(m.codeur, m.tekst, m.story_id, m.thema) for m in session.query(Memo)}
    return rows, memos


def test_qdpx_validates_and_keeps_the_standard_order(coded, tmp_path, schemas):
    project, store = coded
    path = to_qdpx(store, load_codebook(), tmp_path / "project.qdpx", naam="Lindehoven",
                   gebied_namen={"BU99990201": "Rietveld-Noord"})
    xml = project_xml(path)
    assert_valid(schemas["Project"], xml)
    root = etree.fromstring(xml)
    assert [local(c) for c in root] == ["Users", "CodeBook", "Variables", "Cases", "Sources", "Notes", "Links"]
    sources = list(root.iter("{*}TextSource"))
    assert [s.get("name") for s in sources] == ["v1", "v2"]  # v3 has no consent for analysis
    [case] = root.iter("{*}Case")
    assert case.get("name") == "Rietveld-Noord" and len(case.findall("{*}SourceRef")) == 2
    assert {v.get("name") for v in root.iter("{*}Variable")} >= {"gebied", "methode", "leeftijdsgroep"}
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    notes = list(root.iter("{*}Note"))
    assert len(notes) == 3
    for note in notes:  # both forms: inline and as a file (QualCoder reads the file)
        assert note.findtext("{*}PlainTextContent")
        assert f"sources/{note.get('plainTextPath').removeprefix('internal://')}" in names
    assert len(list(root.iter("{*}PlainTextSelection"))) == 5  # 3 + 1 in v1, 1 in v2 (the other withdrawn)
    # a story's memo is also the source's Description: QualCoder reads a source memo there, not from a NoteRef
    v1 = sources[0]
    refs = [n.get("targetGUID") for n in v1.findall("{*}NoteRef")]
    texts = [next(n for n in notes if n.get("guid") == g).findtext("{*}PlainTextContent") for g in refs]
    assert texts == ["Schimmel komt vaker voor in Rietveld."]  # the memo on v1 without a theme (fixture above)
    assert local(v1[0]) == "Description" and v1.findtext("{*}Description") == "\n\n".join(texts)
    assert sources[1].find("{*}Description") is None  # v2 has no story memo


@pytest.mark.parametrize("variant", ["leeg", "zonder-toestemming", "crlf", "groepen-en-controletekens"])
def test_every_export_variant_validates(variant, demo_project, tmp_path, schemas):
    project = Project.load(demo_project)
    store = project.open_store()
    codebook = load_codebook()
    if variant == "zonder-toestemming":
        with store.session() as session:
            session.add(Story(id="x", tekst="Geheim.", gebied="BU99990201", methode="interview",
                              verteller_rol="bewoner", toestemming="none", privacy={}))
    if variant in ("crlf", "groepen-en-controletekens"):
        _fill(project)
    if variant == "groepen-en-controletekens":
        codebook = Codebook(valentie=codebook.valentie, themas=[
            *[t.model_copy(update={"groepen": ["samen"]}) for t in codebook.themas[:3]], *codebook.themas[3:],
            Thema(id="sub", label="Sub\x07code", ouder="wonen", kleur="paars")])
        with store.session() as session:
            session.get(Story, "v1").tekst = "De huur\x0b is te hoog. In de slaapkamer zit schimmel.\nGelukkig helpt de buurvrouw."[:81]
    path = to_qdpx(store, codebook, tmp_path / f"{variant}.qdpx", regeleinden="crlf" if variant == "crlf" else "lf")
    assert_valid(schemas["Project"], project_xml(path))


@pytest.mark.parametrize("regeleinden", ["lf", "crlf"])
def test_qdpx_round_trip_is_lossless(coded, fresh, tmp_path, regeleinden):
    project, store = coded
    path = to_qdpx(store, project.load_codebook(), tmp_path / "p.qdpx", regeleinden=regeleinden)
    read = read_qdpx(path)
    assert read.codebook == project.load_codebook()
    assert read.telling == ("crlf" if regeleinden == "crlf" else "lf") and not read.waarschuwingen
    counts = import_qdpx(fresh, path)
    assert (counts["verhalen"], counts["coderingen"], counts["memos"], counts["nieuwe_codes"]) == (2, 5, 3, 0)
    before_codes, before_memos = snapshot(store)
    after_codes, after_memos = snapshot(fresh.open_store())
    assert after_codes == {c for c in before_codes if c[0] != "v3"}
    assert after_memos == before_memos
    with fresh.open_store().read() as session:
        story = session.get(Story, "v1")
        assert (story.gebied, story.methode, story.verteller_rol, story.datum, story.toestemming) == (
            "BU99990201", "interview", "bewoner", date(2025, 3, 1), "citeren-anoniem")
        assert story.kenmerken["leeftijdsgroep"] == "65+"
    again = import_qdpx(fresh, path)  # importing the same file twice changes nothing
    assert (again["verhalen"], again["coderingen"], again["memos"]) == (0, 0, 0)
    assert snapshot(fresh.open_store()) == (after_codes, after_memos)


# ---------------------------------------------------------------------------- importing what other tools write
def write_qdpx(path, xml: str, files: dict[str, str], folder: str = "sources", qde: str = "project.qde"):
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(qde, xml)
        for name, text in files.items():
            archive.writestr(f"{folder}/{name}", text.encode("utf-8"))
    return path


CODES = """<CodeBook><Codes>
<Code guid="00000000-0000-4000-8000-0000000000c1" name="Wonen" isCodable="true"/>
<Code guid="00000000-0000-4000-8000-0000000000c2" name="Buurthuis en ontmoeten" isCodable="true" color="#123456">
 <Code guid="00000000-0000-4000-8000-0000000000c3" name="Koffieochtend" isCodable="true"/></Code>
<Code guid="00000000-0000-4000-8000-0000000000c4" name="Valentie" isCodable="false">
 <Code guid="00000000-0000-4000-8000-0000000000c5" name="Knelpunt" isCodable="true"/></Code>
</Codes></CodeBook>"""


def selection(guid, start, end, name, *codes, memo=None, user="00000000-0000-4000-8000-0000000000a1"):
    described = f"<Description>{memo}</Description>" if memo else ""
    codings = "".join(f'<Coding guid="{guid[:-2]}{i:02d}"><CodeRef targetGUID="{c}"/></Coding>'
                      for i, c in enumerate(codes))
    named = f' name="{name}"' if name is not None else ""
    return (f'<PlainTextSelection guid="{guid}" startPosition="{start}" endPosition="{end}"{named} '
            f'creatingUser="{user}">{described}{codings}</PlainTextSelection>')


def project_document(origin: str, sources: str, notes: str = "", extra: str = "") -> str:
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS_PROJECT}" name="anders" origin="{origin}">'
            f'<Users><User guid="00000000-0000-4000-8000-0000000000a1" name="Marieke"/></Users>{CODES}'
            f'<Sources>{sources}</Sources>{notes}{extra}</Project>')


def coded_texts(project: Project) -> dict[str, set[tuple[str, str | None]]]:
    frame = codes(project.open_store())
    out: dict = {}
    for row in frame.itertuples():
        out.setdefault(row.thema, set()).add((row.bewijs, row.valentie if isinstance(row.valentie, str) else None))
    return out


def test_nvivo_counts_utf16_units_and_uses_a_capital_sources_folder(fresh, tmp_path):
    text = "Ons buurthuis 🏠 is fijn.\r\nMaar de 😡 huur stijgt elk jaar.\r\nDe koffieochtend helpt."
    lf = text.replace("\r\n", "\n")

    def u16(s: str) -> int:
        return len(s.encode("utf-16-le")) // 2

    spans = [(lf.index("Maar de"), lf.index("jaar.") + 5, "c1"), (lf.index("De koffie"), len(lf), "c3")]
    sels = "".join(selection(f"00000000-0000-4000-8000-0000000001{i}0", u16(text[:text.index(lf[s:e][:8])]),
                             u16(text[:text.index(lf[s:e][:8])]) + u16(lf[s:e]), lf[s:e][:20],
                             f"00000000-0000-4000-8000-0000000000{c}")
                   for i, (s, e, c) in enumerate(spans))
    xml = project_document("NVivo 14", f'<TextSource guid="00000000-0000-4000-8000-0000000000b1" name="Gesprek 1" '
                                       f'plainTextPath="internal://b1.txt">{sels}</TextSource>')
    path = write_qdpx(tmp_path / "nvivo.qdpx", xml, {"b1.txt": text}, folder="Sources")
    assert read_qdpx(path).telling == "utf16"
    counts = import_qdpx(fresh, path, defaults=DEFAULTS)
    assert counts["verhalen"] == 1 and counts["coderingen"] == 2
    got = coded_texts(fresh)
    assert got["wonen"] == {("Maar de 😡 huur stijgt elk jaar.", None)}
    assert got["koffieochtend"] == {("De koffieochtend helpt.", None)}
    codebook = fresh.load_codebook()  # the file's codebook came along, sub-code under its parent
    assert codebook.label("koffieochtend") == "Koffieochtend"
    assert next(t for t in codebook.themas if t.id == "koffieochtend").ouder == "buurthuis_en_ontmoeten"


def test_qualcoder_style_one_selection_per_code_crlf_as_one_and_notes_as_files(fresh, tmp_path):
    text = "De portiek is vies.\r\nNiemand ruimt het op.\r\nDe huur is te hoog."
    lf = text.replace("\r\n", "\n")
    start, end = lf.index("De huur"), len(lf)
    sels = (selection("00000000-0000-4000-8000-000000000110", start, end, lf[start:end],
                      "00000000-0000-4000-8000-0000000000c1", memo="Speelt in de hele flat.")
            + selection("00000000-0000-4000-8000-000000000120", start, end, lf[start:end],
                        "00000000-0000-4000-8000-0000000000c5"))
    notes = ('<Notes><Note guid="00000000-0000-4000-8000-0000000000d1" name="Dagboek week 3" '
             'plainTextPath="internal://d1.txt" creatingUser="00000000-0000-4000-8000-0000000000a1"/></Notes>')
    xml = project_document("QualCoder 3.6", f'<TextSource guid="00000000-0000-4000-8000-0000000000b1" name="Flat" '
                                            f'plainTextPath="internal://b1.txt">{sels}</TextSource>', notes)
    path = write_qdpx(tmp_path / "qc.qdpx", xml, {"b1.txt": text, "d1.txt": "Veel klachten over de portiek."})
    assert read_qdpx(path).telling == "lf"
    import_qdpx(fresh, path, defaults=DEFAULTS)
    assert coded_texts(fresh)["wonen"] == {("De huur is te hoog.", "knelpunt")}  # the valence found its theme
    with fresh.open_store().read() as session:
        memos = {(m.thema, m.tekst, m.titel, m.story_id) for m in session.query(Memo)}
    assert ("wonen", "Speelt in de hele flat.", "", "Flat") in memos
    assert (None, "Veel klachten over de portiek.", "Dagboek week 3", None) in memos


def test_maxqda_style_counts_crlf_as_two(fresh, tmp_path):
    text = "Regel een over de buurt.\r\nHet buurthuis is dicht.\r\nDe koffieochtend is weg."
    start = text.index("Het buurthuis")
    end = start + len("Het buurthuis is dicht.")
    sels = selection("00000000-0000-4000-8000-000000000110", start, end, "Het buurthuis is dicht.",
                     "00000000-0000-4000-8000-0000000000c2")
    xml = project_document("MAXQDA 24", f'<TextSource guid="00000000-0000-4000-8000-0000000000b1" name="Buurt" '
                                        f'plainTextPath="internal://b1.txt">{sels}</TextSource>')
    path = write_qdpx(tmp_path / "mx.qdpx", xml, {"b1.txt": text}, qde="Buurt.qde")
    assert read_qdpx(path).telling == "crlf"
    import_qdpx(fresh, path, defaults=DEFAULTS)
    assert coded_texts(fresh)["buurthuis_en_ontmoeten"] == {("Het buurthuis is dicht.", None)}


def test_without_coded_text_the_tool_habit_is_used_and_said(fresh, tmp_path):
    text = "Regel een.\r\nHet buurthuis is dicht."
    start = text.index("Het")
    sels = selection("00000000-0000-4000-8000-000000000110", start, len(text), None,
                     "00000000-0000-4000-8000-0000000000c2")
    xml = project_document("MAXQDA 2022", f'<TextSource guid="00000000-0000-4000-8000-0000000000b1" name="b" '
                                          f'plainTextPath="internal://b1.txt">{sels}</TextSource>')
    path = write_qdpx(tmp_path / "mx.qdpx", xml, {"b1.txt": text})
    counts = import_qdpx(fresh, path, defaults=DEFAULTS)
    assert any("niet worden gecontroleerd" in w for w in counts["waarschuwingen"])
    assert coded_texts(fresh)["buurthuis_en_ontmoeten"] == {("Het buurthuis is dicht.", None)}


def qualcoder_copy(path, target):
    """Our export as QualCoder writes it back: one selection per code, CRLF counted as one, notes as files only."""
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        files = {n: archive.read(n) for n in archive.namelist() if n.startswith("sources/")}
    for source in root.iter("{*}TextSource"):
        for sel in list(source.findall("{*}PlainTextSelection")):
            codings = sel.findall("{*}Coding")
            for i, coding in enumerate(codings[1:], start=1):
                twin = etree.Element(sel.tag, dict(sel.attrib))
                twin.set("guid", sel.get("guid")[:-4] + f"{i:04d}")
                twin.append(coding)
                sel.addnext(twin)
    for note in root.iter("{*}Note"):
        for content in note.findall("{*}PlainTextContent"):
            note.remove(content)
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("project.qde", etree.tostring(root, xml_declaration=True, encoding="utf-8"))
        for name, data in files.items():
            archive.writestr(name, data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    return target


def test_round_trip_through_qualcoder_keeps_every_valence_and_memo(coded, fresh, tmp_path):
    project, store = coded
    exported = to_qdpx(store, project.load_codebook(), tmp_path / "p.qdpx")
    via = qualcoder_copy(exported, tmp_path / "qualcoder.qdpx")
    assert read_qdpx(via).telling == "lf"
    import_qdpx(fresh, via)
    before_codes, before_memos = snapshot(store)
    after_codes, after_memos = snapshot(fresh.open_store())
    assert after_codes == {c for c in before_codes if c[0] != "v3"}
    assert sum(1 for c in after_codes if c[3]) == sum(1 for c in before_codes if c[3] and c[0] != "v3") == 4
    assert after_memos == before_memos


@pytest.mark.parametrize("name", ["blank-atlas-project.qdpx", "target-atlas-project.qdpx", "maxqda_icls.qdpx"])
def test_real_projects_from_other_tools(name, fresh):
    path = REFI / "voorbeelden" / name
    if not path.exists():
        pytest.skip("voorbeeldbestanden ontbreken (../shared/refi/voorbeelden)")
    with zipfile.ZipFile(path) as archive:
        qde = next(n for n in archive.namelist() if n.endswith(".qde"))
        root = etree.fromstring(archive.read(qde))
    n_sources = len(list(root.iter("{*}TextSource")))
    n_codes = len([c for c in root.iter("{*}Code")])
    n_codings = len(list(root.iter("{*}Coding")))
    before = {t.id for t in fresh.load_codebook().themas}
    counts = import_qdpx(fresh, path, defaults=DEFAULTS)
    assert counts["verhalen"] == n_sources and counts["coderingen"] == n_codings
    added = {t.id for t in fresh.load_codebook().themas} - before
    assert len(added) == counts["nieuwe_codes"] == n_codes  # none of their codes is one of ours
    with fresh.open_store().read() as session:
        stored = {s.bron.split(": ", 1)[1]: s for s in session.query(Story)}
    for source in root.iter("{*}TextSource"):  # every text arrived whole (English texts: nothing to replace)
        assert source.get("name") in stored
    if name == "maxqda_icls.qdpx":
        assert {s.kenmerken.get("groepen") for s in stored.values()} == {"ICLS 2024", "ICLS 2025"}


def test_import_uses_the_same_checks_as_story_files(fresh, tmp_path):
    sources = "".join(f'<TextSource guid="00000000-0000-4000-8000-0000000000b{i}" name="{name}">'
                      f'<PlainTextContent>Het buurthuis is dicht.</PlainTextContent></TextSource>'
                      for i, name in enumerate(["een", "twee"]))
    path = write_qdpx(tmp_path / "ander.qdpx", project_document("MAXQDA", sources), {})
    with pytest.raises(WijkkitInputError) as info:
        import_qdpx(fresh, path)
    assert "gebied" in str(info.value) and "ander.qdpx" in str(info.value)
    for wrong, expected in [({"gebied": "BU12345678"}, "gebied uit de cijfers van dit project"),
                            ({"methode": "onzin"}, "storytelling"), ({"toestemming": "misschien"}, "citeren-anoniem")]:
        with pytest.raises(WijkkitInputError, match=expected):
            import_qdpx(fresh, path, defaults={**DEFAULTS, **wrong})
    assert fresh.open_store().story_ids() == set()
    assert import_qdpx(fresh, path, defaults={**DEFAULTS, "datum": "18-07-2025"})["verhalen"] == 2
    with fresh.open_store().read() as session:
        assert {s.datum for s in session.query(Story)} == {date(2025, 7, 18)}


def test_two_sources_with_one_name_are_named_in_dutch(fresh, tmp_path):
    sources = "".join(f'<TextSource guid="00000000-0000-4000-8000-0000000000b{i}" name="Gesprek">'
                      f'<PlainTextContent>Tekst {i}.</PlainTextContent></TextSource>' for i in range(2))
    path = write_qdpx(tmp_path / "dubbel.qdpx", project_document("MAXQDA", sources), {})
    with pytest.raises(WijkkitInputError, match="unieke namen van bronnen"):
        import_qdpx(fresh, path, defaults=DEFAULTS)


def test_codings_on_a_changed_story_are_anchored_by_their_text_or_refused(coded, tmp_path):
    project, store = coded
    path = to_qdpx(store, project.load_codebook(), tmp_path / "p.qdpx")
    with store.session() as session:  # the story changed since the export: a sentence was added in front
        story = session.get(Story, "v1")
        story.tekst = "Een nieuwe eerste zin. " + story.tekst
    with zipfile.ZipFile(path) as archive:
        root = etree.fromstring(archive.read("project.qde"))
        files = {n: archive.read(n) for n in archive.namelist() if n.startswith("sources/")}
    for sel in root.iter("{*}PlainTextSelection"):  # and another coder coded the same spans
        sel.set("creatingUser", "00000000-0000-4000-8000-0000000000a9")
    root.find("{*}Users").append(etree.Element(f"{{{NS_PROJECT}}}User", guid="00000000-0000-4000-8000-0000000000a9",
                                               name="Ceder"))
    moved = tmp_path / "ceder.qdpx"
    with zipfile.ZipFile(moved, "w") as archive:
        archive.writestr("project.qde", etree.tostring(root))
        for name, data in files.items():
            archive.writestr(name, data)
    import_qdpx(project, moved)
    ceder = codes(store, codeur="Ceder")
    with store.read() as session:
        text = session.get(Story, "v1").tekst
    for row in ceder[ceder["story_id"] == "v1"].itertuples():
        if row.bewijs:
            assert text[int(row.start):int(row.end)] == row.bewijs  # on the right words, not shifted
    assert set(ceder[ceder["story_id"] == "v1"]["bewijs"]) >= {"De huur is te hoog.", "Gelukkig helpt de buurvrouw."}


def test_privacy_a_qdpx_import_pseudonymises_names_addresses_and_numbers(fresh, tmp_path):
    text = ("Mevrouw Gertrude Vlasbloem woont op de Kwikstaartlaan 17, 3563 CD. Bel haar op 06-98765432 of mail "
            "g.vlasbloem@voorbeeld.nl. Het buurthuis is dicht.")
    start = text.index("Het buurthuis")
    sels = selection("00000000-0000-4000-8000-000000000110", start, len(text), "Het buurthuis is dicht.",
                     "00000000-0000-4000-8000-0000000000c2")
    notes = ('<Notes><Note guid="00000000-0000-4000-8000-0000000000d1" name="Bel Gertrude Vlasbloem">'
             '<PlainTextContent>Gertrude Vlasbloem (06-98765432) wil meedoen.</PlainTextContent></Note></Notes>')
    source = (f'<TextSource guid="00000000-0000-4000-8000-0000000000b1" name="interview-gertrude-vlasbloem">'
              f'<PlainTextContent>{text}</PlainTextContent>{sels}'
              f'<NoteRef targetGUID="00000000-0000-4000-8000-0000000000d1"/></TextSource>')
    path = write_qdpx(tmp_path / "privé.qdpx", project_document("ATLAS.ti", source, notes), {})
    import_qdpx(fresh, path, defaults={**DEFAULTS, "toestemming": "citeren-anoniem"})
    store = fresh.open_store()
    exported = to_qdpx(store, fresh.load_codebook(), tmp_path / "uit.qdpx")
    with zipfile.ZipFile(exported) as archive:
        everything = "".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    with store.read() as session:
        everything += " ".join(f"{s.id} {s.tekst} {s.bron}" for s in session.query(Story))
        everything += " ".join(f"{m.tekst} {m.titel}" for m in session.query(Memo))
    from wijkkit.coderen.werkbank import Werkbank
    from wijkkit.kenniskring.gegevens import Kenniskring
    from wijkkit.kenniskring.samenvatting import summary_html

    bench = Werkbank(store, fresh.load_codebook(), codeur="toets", blind=False)
    bench.select(next(value for _, value in bench.lijst.options))
    everything += bench.meta.value + bench.tekst.value + bench.memos.value  # the page a coder sees
    everything += summary_html(Kenniskring(fresh), "BU99990201", "buurthuis_en_ontmoeten")
    for secret in ("Vlasbloem", "Gertrude", "Kwikstaartlaan", "3563 CD", "06-98765432", "g.vlasbloem",
                   "gertrude-vlasbloem"):
        assert secret.casefold() not in everything.casefold(), secret
    assert coded_texts(fresh)["buurthuis_en_ontmoeten"] == {("Het buurthuis is dicht.", None)}


def test_a_codebook_file_merges_into_the_project(fresh, tmp_path):
    path = tmp_path / "extra.qdc"
    path.write_text(f"""<?xml version="1.0" encoding="utf-8"?><CodeBook xmlns="{NS_CODEBOOK}"><Codes>
<Code guid="00000000-0000-4000-8000-0000000000e1" name="Wonen" isCodable="true"/>
<Code guid="00000000-0000-4000-8000-0000000000e2" name="Çay-ochtend" isCodable="true"/></Codes></CodeBook>""",
                    encoding="utf-8")
    assert import_qdc(fresh, path) == ["çay_ochtend"]  # Wonen was already there
    assert Project.load(fresh.root).load_codebook().label("çay_ochtend") == "Çay-ochtend"


# ---------------------------------------------------------------------------- what QualCoder's import trips over
def _note_users(root) -> dict[str, str]:
    users = {u.get("guid"): u.get("name") for u in root.iter("{*}User")}
    return {n.get("guid"): users[n.get("creatingUser")] for n in root.iter("{*}Note")}


def test_every_note_has_a_name_of_its_own(coded, tmp_path, schemas):
    project, store = coded
    store.add_memo(codeur="anna", tekst="Nog een gedachte.", story_id="v1")  # a second untitled memo by anna on v1
    store.add_memo(codeur="anna", tekst="En nog een.", story_id="v1")
    with store.session() as session:  # titles as notes from another tool bring them; QualCoder ignores case
        session.add_all([Memo(codeur="bram", tekst="Eerste dagboek.", titel="Dagboek"),
                         Memo(codeur="bram", tekst="Tweede dagboek.", titel="dagboek")])
    path = to_qdpx(store, project.load_codebook(), tmp_path / "p.qdpx")
    xml = project_xml(path)
    assert_valid(schemas["Project"], xml)
    names = [n.get("name") for n in etree.fromstring(xml).iter("{*}Note")]
    with store.read() as session:
        assert len(names) == session.query(Memo).count()
    assert len({n.casefold() for n in names}) == len(names)
    assert "Dagboek" in names  # a title of its own is kept as it is where it is free


def test_cases_are_named_after_the_gebied_in_the_figures(coded, tmp_path, schemas):
    from typer.testing import CliRunner

    from wijkkit.cli import app

    project, _ = coded
    figures = project.load_indicators()
    expected = figures.loc[figures["gebied_code"] == "BU99990201", "gebied_naam"].iloc[0]
    target = tmp_path / "export.qdpx"
    result = CliRunner().invoke(app, ["coderen", "exporteer", str(target), "--project", str(project.root)])
    assert result.exit_code == 0, result.output
    xml = project_xml(target)
    assert_valid(schemas["Project"], xml)
    root = etree.fromstring(xml)
    variables = {v.get("guid"): v.get("name") for v in root.iter("{*}Variable")}
    [case] = root.iter("{*}Case")
    values = {variables[v.find("{*}VariableRef").get("targetGUID")]: v.findtext("{*}TextValue")
              for v in case.findall("{*}VariableValue")}
    assert case.get("name") == expected != "BU99990201"
    assert values == {"gebied": "BU99990201", "gebied_naam": expected}
    for source in root.iter("{*}TextSource"):
        named = [v.findtext("{*}TextValue") for v in source.findall("{*}VariableValue")
                 if variables[v.find("{*}VariableRef").get("targetGUID")] == "gebied_naam"]
        assert named == [expected]


def test_a_coding_memo_sits_only_on_its_own_coders_coding(coded, fresh, tmp_path):
    project, store = coded
    store.add_memo(codeur="anna", tekst="Eerste codeur over wonen in v1.", story_id="v1", thema="wonen")
    store.add_memo(codeur="carla", tekst="Derde codeur codeerde wonen hier niet.", story_id="v1", thema="wonen")
    path = to_qdpx(store, project.load_codebook(), tmp_path / "p.qdpx")
    root = etree.fromstring(project_xml(path))
    users = {u.get("guid"): u.get("name") for u in root.iter("{*}User")}
    authors = _note_users(root)
    texts = {n.get("guid"): n.findtext("{*}PlainTextContent") for n in root.iter("{*}Note")}
    on_selections = []
    for sel in root.iter("{*}PlainTextSelection"):
        for ref in sel.iter("{*}NoteRef"):
            assert authors[ref.get("targetGUID")] == users[sel.get("creatingUser")]
            on_selections.append(texts[ref.get("targetGUID")])
        for memo in ("Eerste codeur over wonen in v1.", "Derde codeur codeerde wonen hier niet."):
            if memo in (sel.findtext("{*}Description") or ""):
                assert users[sel.get("creatingUser")] == "anna" and memo.startswith("Eerste")
    assert on_selections.count("Eerste codeur over wonen in v1.") == 1  # anna coded wonen twice in v1: shown once
    assert "Derde codeur codeerde wonen hier niet." not in on_selections  # on the story, with a link to the theme
    import_qdpx(fresh, path)
    assert snapshot(fresh.open_store())[1] == snapshot(store)[1]  # every memo back with its coder and theme
    via = qualcoder_copy(path, tmp_path / "qc.qdpx")
    with fresh.open_store().session() as session:  # start again from an empty store
        session.query(Memo).delete()
    import_qdpx(fresh, via)
    with fresh.open_store().read() as session:
        got = {(m.codeur, m.tekst, m.thema) for m in session.query(Memo) if m.story_id == "v1"}
    assert ("anna", "Eerste codeur over wonen in v1.", "wonen") in got
    assert not any(codeur != "anna" and tekst == "Eerste codeur over wonen in v1." for codeur, tekst, _ in got)


def test_two_themes_on_one_span_keep_their_own_valence_in_and_out_of_qualcoder(coded, fresh, tmp_path):
    project, store = coded
    with store.read() as session:
        seg = session.query(Segment).filter_by(story_id="v2", nr=0).one().id
    decide(store, codeur="anna", story_id="v2", thema="openbare_ruimte", status="manual", segment_id=seg,
           valentie="kracht")
    decide(store, codeur="anna", story_id="v2", thema="veiligheid", status="manual", segment_id=seg,
           valentie="knelpunt")
    wanted = {c for c in snapshot(store)[0] if c[0] != "v3"}
    assert {(c[2], c[3]) for c in wanted if c[0] == "v2" and c[4] == 0} == {("openbare_ruimte", "kracht"),
                                                                             ("veiligheid", "knelpunt")}
    path = to_qdpx(store, project.load_codebook(), tmp_path / "p.qdpx")
    descriptions = [s.findtext("{*}Description") for s in etree.fromstring(project_xml(path)).iter(
        "{*}PlainTextSelection") if s.get("startPosition") == "0" and "Het park" in s.get("name")]
    labels = {t.id: t.label for t in project.load_codebook().themas}
    assert sorted(descriptions) == sorted([f"valentie bij {labels['openbare_ruimte']}: kracht",
                                           f"valentie bij {labels['veiligheid']}: knelpunt"])
    via = qualcoder_copy(path, tmp_path / "qc.qdpx")  # one code per selection: the pairing only in the words
    counts = import_qdpx(fresh, via)
    assert snapshot(fresh.open_store())[0] == wanted
    assert not any("valentie" in w for w in counts["waarschuwingen"])
    with fresh.open_store().read() as session:  # the line is wijkkit's own: it does not become a memo
        assert not any("valentie bij" in m.tekst for m in session.query(Memo))


def test_two_valences_on_a_span_that_no_line_pairs_are_not_guessed(fresh, tmp_path):
    text = "De portiek is vies maar de buren helpen elkaar."
    sels = "".join(selection(f"00000000-0000-4000-8000-0000000001{i}0", 0, len(text), text, code)
                   for i, code in enumerate(["00000000-0000-4000-8000-0000000000c1",
                                             "00000000-0000-4000-8000-0000000000c2",
                                             "00000000-0000-4000-8000-0000000000c5",
                                             "00000000-0000-4000-8000-0000000000c6"]))
    xml = project_document("QualCoder 3.6", f'<TextSource guid="00000000-0000-4000-8000-0000000000b1" name="Flat" '
                                            f'plainTextPath="internal://b1.txt">{sels}</TextSource>')
    xml = xml.replace('<Code guid="00000000-0000-4000-8000-0000000000c5" name="Knelpunt" isCodable="true"/>',
                      '<Code guid="00000000-0000-4000-8000-0000000000c5" name="Knelpunt" isCodable="true"/>'
                      '<Code guid="00000000-0000-4000-8000-0000000000c6" name="Kracht" isCodable="true"/>')
    path = write_qdpx(tmp_path / "qc.qdpx", xml, {"b1.txt": text})
    counts = import_qdpx(fresh, path, defaults=DEFAULTS)
    got = coded_texts(fresh)
    assert got["wonen"] == {(text, None)} and got["buurthuis_en_ontmoeten"] == {(text, None)}
    assert any("welke valentie bij welk thema" in w for w in counts["waarschuwingen"])
