"""Every reader, importer and settings file against malformed input.

Each case must end in one ``WijkkitInputError`` that names the file (and, where there is one, the
row or field), with nothing written to the store or the cache. ``benchmarks/bench_malformed.py``
runs the same cases and reports how many there are, how many ended in anything else, and how long
the slowest took. A property-based test per reader throws generated input at it: it may read it or
refuse it in Dutch, never raise anything else.
"""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import ROOT
from wijkkit.errors import WijkkitInputError

GOED_VERHAAL = ("---\ngebied: BU99990103\nmethode: straatgesprek\nverteller_rol: bewoner\ntoestemming: analyse\n"
                "---\nDe speeltuin is opgeknapt en de kinderen spelen er weer.\n")
KWB = "gwb_code;regio;a_inw;p_huurw\nGM0001;Testgem;1000;55\n"
NS = "urn:QDA-XML:project:1.0"
USER = "00000000-0000-4000-8000-0000000000a1"
CODE = "00000000-0000-4000-8000-0000000000c1"


# ------------------------------------------------------------------------------------------- projects
def project_copy(tmp_path: Path, *, stories: bool = False) -> Path:
    """The demo project's settings and data (its stories only when asked): a place to break things."""
    target = tmp_path / "project"
    target.mkdir()
    for name in ("wijkkit.toml", "codebook.yml", "indicatoren.yml", "verandertheorie.yml"):
        shutil.copy(ROOT / name, target / name)
    shutil.copytree(ROOT / "data", target / "data")
    if stories:
        shutil.copytree(ROOT / "stories", target / "stories")
    return target


def story_case(files: dict[str, str | bytes], word: str):
    """Import a folder holding ``files`` into the project's empty store."""
    def run(tmp_path):
        from wijkkit.config import Project
        from wijkkit.vertellen.importeren import import_stories

        root = project_copy(tmp_path)
        folder = root / "nieuw"
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        project = Project.load(root)
        target = folder / next(iter(files)) if len(files) == 1 and "/" not in next(iter(files)) else folder
        return lambda: import_stories(project, target, store=project.open_store(), suggest=False), word, root
    return run


def verhaal(**fields) -> str:
    meta = {"gebied": "BU99990103", "methode": "straatgesprek", "verteller_rol": "bewoner",
            "toestemming": "analyse"} | {k: v for k, v in fields.items() if k != "tekst"}
    kop = "".join(f"{k}: {v}\n" for k, v in meta.items() if v is not None)
    return f"---\n{kop}---\n{fields.get('tekst', 'De speeltuin is opgeknapt.')}\n"


def tellen_case(files: dict[str, str | bytes], word: str, source: str | None = None):
    def run(tmp_path):
        from wijkkit.tellen.laden import load_indicators

        folder = tmp_path / "cijfers"
        folder.mkdir()
        for name, content in files.items():
            (folder / name).write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        target = folder / source if source else folder
        return lambda: load_indicators(target, cache_dir=tmp_path / "cache"), word, None
    return run


def settings_case(name: str, content: str | bytes | None, word: str, action: str = "indicators"):
    """Replace one settings file of the project (None: make it a folder), then use the project."""
    def run(tmp_path):
        from wijkkit.config import Project

        root = project_copy(tmp_path)
        path = root / name
        if content is None:
            path.unlink() if path.is_file() else None
            path.mkdir(exist_ok=True)
        elif content == "WEG":
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        else:
            path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))

        def use():
            project = Project.load(root)
            if action == "codebook":
                return project.load_codebook()
            if action == "store":
                return project.open_store()
            if action == "theorie":
                from wijkkit.monitoring.verandertheorie import load_verandertheorie

                return load_verandertheorie(project.verandertheorie_path)
            return project.load_indicators()
        return use, word, root
    return run


def qdpx_document(sources: str, extra: str = "", codes: str | None = None) -> str:
    codes = codes if codes is not None else f'<Code guid="{CODE}" name="Wonen" isCodable="true"/>'
    return (f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="ander" origin="Testtool">'
            f'<Users><User guid="{USER}" name="Marieke"/></Users><CodeBook><Codes>{codes}</Codes></CodeBook>'
            f'{extra}<Sources>{sources}</Sources></Project>')


def text_source(selection: str = "", text: str | None = "De speeltuin is kapot.", extra: str = "",
                path: str | None = None) -> str:
    body = f"<PlainTextContent>{text}</PlainTextContent>" if text is not None else ""
    where = f' plainTextPath="{path}"' if path else ""
    return (f'<TextSource guid="00000000-0000-4000-8000-0000000000b1" name="gesprek"{where} creatingUser="{USER}">'
            f'{body}{extra}{selection}</TextSource>')


def selection(start="0", end="12", coding: str | None = None) -> str:
    coding = coding if coding is not None else f'<Coding guid="00000000-0000-4000-8000-0000000000d1">' \
                                               f'<CodeRef targetGUID="{CODE}"/></Coding>'
    return (f'<PlainTextSelection guid="00000000-0000-4000-8000-0000000000e1" startPosition="{start}" '
            f'endPosition="{end}" creatingUser="{USER}">{coding}</PlainTextSelection>')


def qdpx_case(xml: str | bytes | None, word: str, files: dict[str, bytes] | None = None, raw: bytes | None = None):
    def run(tmp_path):
        from wijkkit.config import Project
        from wijkkit.uitwisselen.qda_import import import_qdpx

        root = project_copy(tmp_path)
        path = tmp_path / "ander.qdpx"
        if raw is not None:
            path.write_bytes(raw)
        else:
            with zipfile.ZipFile(path, "w") as archive:
                if xml is not None:
                    archive.writestr("project.qde", xml)
                for name, content in (files or {}).items():
                    archive.writestr(name, content)
        project = Project.load(root)
        defaults = {"gebied": "BU99990103", "methode": "interview", "verteller_rol": "bewoner",
                    "toestemming": "analyse"}
        return lambda: import_qdpx(project, path, store=project.open_store(), defaults=defaults), word, root
    return run


def qdc_case(content: bytes, word: str):
    def run(tmp_path):
        from wijkkit.config import Project
        from wijkkit.uitwisselen.qda_import import import_qdc

        root = project_copy(tmp_path)
        path = tmp_path / "codeboek.qdc"
        path.write_bytes(content)
        project = Project.load(root)
        return lambda: import_qdc(project, path), word, root
    return run


def geo_case(name: str, content: bytes, word: str):
    def run(tmp_path):
        from wijkkit.verbinden.kaart import read_geometry

        path = tmp_path / name
        path.write_bytes(content)
        return lambda: read_geometry(path), word, None
    return run


def docx_bytes(*paragraphs: str, bomb: bool = False) -> bytes:
    import io

    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    if not bomb:
        return buffer.getvalue()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, source.read(info))
        target.writestr("word/media/plaatje.bin", b"\0" * 300_000_000)  # 300 MB unpacked, 0.3 MB packed
    return out.getvalue()


LANG = "x" * 201


def with_store(url: str) -> str:
    """The demo's wijkkit.toml with another store address."""
    import re

    text = (ROOT / "wijkkit.toml").read_text(encoding="utf-8")
    if re.search(r"^\[store\]", text, re.M):
        return re.sub(r"^url\s*=.*$", f"url = '{url}'", text, count=1, flags=re.M)
    return text + f"\n[store]\nurl = '{url}'\n"
CASES = {
    # --- tellen: CBS and municipal figures ----------------------------------------------------------------
    "kwb: alleen gwb_code": tellen_case({"kwb-2022.csv": "gwb_code\nGM0001\n"}, "cijfers"),
    "kwb: inf als cijfer": tellen_case({"kwb-2022.csv": "gwb_code;a_inw\nGM0001;inf\n"}, "inf"),
    "kwb: 1e309 als cijfer": tellen_case({"kwb-2022.csv": "gwb_code;a_inw\nGM0001;1e309\n"}, "1e309"),
    "kwb: nan als cijfer": tellen_case({"kwb-2022.csv": "gwb_code;a_inw\nGM0001;nan\n"}, "nan"),
    "kwb: ind_wbi 300": tellen_case({"kwb-2022.csv": "gwb_code;ind_wbi;a_inw\nGM0001;300;5\n"}, "300"),
    "kwb: ind_wbi tekst": tellen_case({"kwb-2022.csv": "gwb_code;ind_wbi;a_inw\nGM0001;ja;5\n"}, "ind_wbi"),
    "kwb: csv als xlsx vermomd": tellen_case({"kwb-2022.xlsx": KWB}, "Excel"),
    "kwb: buurtcode met kleine letter en spatie": tellen_case(
        {"kwb-2022.csv": "gwb_code;a_inw\nBU 0001 0101;5\n"}, "BU 0001 0101"),
    "kwb: drie decimale komma's": tellen_case({"kwb-2022.csv": "gwb_code;a_inw\nGM0001;1,2,3\n"}, "1,2,3"),
    "statline: alleen namen": tellen_case(
        {"nabijheid-2019.csv": '"Wijken en buurten";"Afstand tot huisartsenpraktijk (km)"\n"Utrecht";"1,2"\n'},
        "alleen namen"),
    # a StatLine CSV re-saved with every line quoted once more: the quoting is named, not "alleen namen"
    "statline: elke regel nog eens tussen aanhalingstekens": tellen_case(
        {"kwb-2024.csv": '"""Wijken en buurten"";""Regioaanduiding/Codering (code)"";""Bevolking/Aantal inwoners '
                         '(aantal)"""\n"""Amsterdam"";""GM0363    "";""  918117"""\n'}, "aanhalingstekens"),
    "statline: een aanhalingsteken te weinig": tellen_case(
        {"kwb-2024.csv": '"Wijken en buurten";"Regioaanduiding/Codering (code)";"Bevolking/Aantal inwoners (aantal)"\n'
                         '"Amsterdam";"GM0363    ";"  918117"\n"Burgwallen;"WK036300  ";"    4395"\n'
                         '"Kop Zeedijk";"BU03630000";"    1000"\n'}, "aanhalingstekens"),
    "statline: oude indeling zonder eenheden": tellen_case(
        {"kwb-2015.csv": '"Kerncijfers wijken en buurten 2015"\n""\n"";"Onderwerp"\n'}, "oudere StatLine"),
    "statline: oude indeling, eenheden passen niet": tellen_case(
        {"kwb-2015.csv": '"Kerncijfers 2015"\n""\n"";"A|B";"A|C"\n"Wijken en buurten";"aantal"\n"GM0001";"5";"6"\n'},
        "eenheden"),
    "statline: perioden onleesbaar": tellen_case(
        {"ses.csv": '"Perioden";"Wijken en buurten";"Regiocode (code)";"Score (Getal)"\n'
                    '"vorig jaar";"Utrecht";"GM0344";"0.1"\n'}, "jaartal"),
    "twee overlappende bestanden": tellen_case({"kwb-2022.csv": KWB, "kwb-2022-kopie.csv": KWB}, "kwb-2022-kopie.csv"),
    "map zonder bruikbare bestanden": tellen_case({"leesmij.md": "# niets"}, "geen bruikbare bestanden"),
    "bestand bestaat niet": tellen_case({"kwb-2022.csv": KWB}, "kwb-2030.csv", source="kwb-2030.csv"),
    # --- stories --------------------------------------------------------------------------------------------------
    "verhaal: geen kop": story_case({"v1.md": "Gewoon tekst zonder kop."}, "YAML-kop"),
    "verhaal: kapotte YAML": story_case({"v1.md": "---\ngebied: [BU99990103\n---\nTekst.\n"}, "YAML"),
    "verhaal: kop is een lijst": story_case({"v1.md": "---\n- gebied\n- methode\n---\nTekst.\n"}, "velden"),
    "verhaal: 30 februari": story_case({"v1.md": verhaal(datum="2024-02-30")}, "2024-02-30"),
    "verhaal: datum in woorden": story_case({"v1.md": verhaal(datum="gisteren")}, "datum"),
    "verhaal: onbekende methode": story_case({"v1.md": verhaal(methode="telefoon")}, "methode"),
    "verhaal: onbekende rol": story_case({"v1.md": verhaal(verteller_rol="buurman")}, "verteller_rol"),
    "verhaal: toestemming ja": story_case({"v1.md": verhaal(toestemming="ja")}, "toestemming"),
    "verhaal: zonder gebied": story_case({"v1.md": verhaal(gebied=None)}, "gebied"),
    "verhaal: gebied is een naam": story_case({"v1.md": verhaal(gebied="Rietveld")}, "Rietveld"),
    "verhaal: gebied buiten het project": story_case({"v1.md": verhaal(gebied="BU03630000")}, "BU03630000"),
    "verhaal: lege tekst": story_case({"v1.md": verhaal(tekst="")}, "tekst"),
    "verhaal: onbekend veld": story_case({"v1.md": verhaal(leeftijd="43")}, "leeftijd"),
    "verhaal: id met spaties": story_case({"v1.md": verhaal(id="mijn verhaal")}, "mijn verhaal"),
    "verhaal: niet in UTF-8": story_case({"v1.md": verhaal(tekst="Café Zoë").encode("cp1252")}, "UTF-8"),
    "verhaal: te lang": story_case({"v1.md": verhaal(tekst="woord " * 50_000)}, "200.000"),
    "verhaal: NUL-teken": story_case({"v1.md": verhaal(tekst="De speeltuin\x00 is kapot.")}, "stuurtekens"),
    "verhaal: verzamelaar te lang": story_case({"v1.md": verhaal(verzamelaar=LANG)}, "hoogstens 200"),
    "verhaal: taal te lang": story_case({"v1.md": verhaal(taal="nederlands-en-fries")}, "hoogstens 10"),
    "verhaal: bron te lang": story_case({"v1.md": verhaal(bron="y" * 501)}, "hoogstens 500"),
    "verhaal: dubbel id in twee mappen": story_case({"a/v1.md": GOED_VERHAAL, "b/v1.md": GOED_VERHAAL}, "uniek id"),
    "verhaal: lege map": story_case({"leeg/.gitkeep": ""}, "minstens één verhaal"),
    "verhaal: pdf": story_case({"v1.pdf": b"%PDF-1.4"}, ".pdf"),
    "verhalen-csv: geen tekstkolom": story_case({"v.csv": "id;gebied\nv1;BU99990103\n"}, "tekst"),
    "verhalen-csv: foute methode in rij 3": story_case(
        {"v.csv": "id;tekst;gebied;methode;verteller_rol;toestemming\n"
                  "v1;Goed.;BU99990103;interview;bewoner;analyse\nv2;Fout.;BU99990103;fax;bewoner;analyse\n"},
        "rij 3"),
    "verhalen-xlsx: kapot": story_case({"v.xlsx": b"PK\x03\x04 geen excel"}, "Excel"),
    "docx: geen zip": story_case({"v1.docx": b"dit is geen word"}, "Word"),
    "docx: zip zonder document": story_case({"v1.docx": b"PK\x05\x06" + b"\0" * 18}, "Word"),
    "docx: decompressiebom": story_case({"v1.docx": docx_bytes("gebied: BU99990103", "", "Tekst.", bomb=True)},
                                        "MB"),
    "txt: niet in UTF-8": story_case({"v1.txt": "gebied: BU99990103\n\nCafé".encode("cp1252")}, "UTF-8"),
    # --- settings files ------------------------------------------------------------------------------------------
    "wijkkit.toml: geen UTF-8": settings_case("wijkkit.toml", "naam = 'Zoë'".encode("cp1252"), "UTF-8"),
    "wijkkit.toml: een map": settings_case("wijkkit.toml", None, "map"),
    "wijkkit.toml: kapotte TOML": settings_case("wijkkit.toml", "[project\nid = 1", "TOML"),
    "wijkkit.toml: onbekende sleutel": settings_case(
        "wijkkit.toml", (ROOT / "wijkkit.toml").read_text(encoding="utf-8") + "\n[extra]\nkleur = 'rood'\n", "extra"),
    "wijkkit.toml: onzin-store": settings_case(
        "wijkkit.toml", with_store("kaas://nergens"), "kaas://nergens", action="store"),
    "wijkkit.toml: postgres onbereikbaar": settings_case(
        "wijkkit.toml", with_store("postgresql+psycopg://anna:geheim@127.0.0.1:1/wijk"), "127.0.0.1:1",
        action="store"),
    "wijkkit.toml: data-map ontbreekt": settings_case("data", "WEG", "[tellen] data"),
    "wijkkit.toml: gemeentelijk bestand ontbreekt": settings_case(
        "data/gemeente-veiligheid.csv", "WEG", "gemeente-veiligheid.csv"),
    "codebook.yml: geen UTF-8": settings_case("codebook.yml", "themas: Zoë".encode("cp1252"), "UTF-8", "codebook"),
    "codebook.yml: een map": settings_case("codebook.yml", None, "map", "codebook"),
    "codebook.yml: kapotte YAML": settings_case("codebook.yml", "themas: [wonen\n", "YAML", "codebook"),
    "codebook.yml: thema zonder label": settings_case("codebook.yml", "themas:\n  - id: wonen\n", "label",
                                                       "codebook"),
    "verandertheorie.yml: geen UTF-8": settings_case("verandertheorie.yml", "ambitie: Zoë".encode("cp1252"),
                                                     "UTF-8", "theorie"),
    "verandertheorie.yml: een map": settings_case("verandertheorie.yml", None, "map", "theorie"),
    "verandertheorie.yml: kapotte YAML": settings_case("verandertheorie.yml", "ambities: [\n", "YAML", "theorie"),
    "indicatoren.yml: onbekend domein": settings_case(
        "indicatoren.yml", "indicatoren:\n  - {id: x, label: X, eenheid: aantal, richting: neutraal, domein: weer}\n",
        "domein"),
    "indicatoren.yml: KWB-code van een ander": settings_case(
        "indicatoren.yml", "indicatoren:\n  - {id: x, label: X, eenheid: aantal, richting: neutraal, domein: wonen,"
        " kwb: [g_woz]}\n", "g_woz"),
    # --- other QDA tools ----------------------------------------------------------------------------------------
    "qdpx: geen zip": qdpx_case(None, "zip", raw=b"geen zip"),
    "qdpx: zip zonder projectbestand": qdpx_case(None, ".qde", files={"leesmij.txt": b"hallo"}),
    "qdpx: kapotte XML": qdpx_case("<Project><Sources>", "XML"),
    "qdpx: geen Project": qdpx_case(f'<Codebook xmlns="{NS}"/>', "Project"),
    "qdpx: VariableValue zonder VariableRef": qdpx_case(qdpx_document(
        text_source(extra="<VariableValue><TextValue>43</TextValue></VariableValue>")), "VariableRef"),
    "qdpx: VariableRef naar niets": qdpx_case(qdpx_document(text_source(
        extra='<VariableValue><VariableRef targetGUID="00000000-0000-4000-8000-000000000999"/>'
              '<TextValue>43</TextValue></VariableValue>')), "VariableRef"),
    "qdpx: Coding zonder CodeRef": qdpx_case(qdpx_document(text_source(selection(
        coding='<Coding guid="00000000-0000-4000-8000-0000000000d1"/>'))), "CodeRef"),
    "qdpx: CodeRef naar onbekende code": qdpx_case(qdpx_document(text_source(selection(
        coding='<Coding guid="00000000-0000-4000-8000-0000000000d1"><CodeRef '
               'targetGUID="00000000-0000-4000-8000-000000000998"/></Coding>'))), "code"),
    "qdpx: positie geen getal": qdpx_case(qdpx_document(text_source(selection(start="begin"))), "begin"),
    "qdpx: einde voor begin": qdpx_case(qdpx_document(text_source(selection(start="12", end="3"))), "eindpositie"),
    "qdpx: positie voorbij de tekst": qdpx_case(qdpx_document(text_source(selection(end="5000"))), "5000"),
    "qdpx: bron zonder tekst": qdpx_case(qdpx_document(text_source(text=None)), "tekst"),
    "qdpx: tekstbestand ontbreekt": qdpx_case(qdpx_document(text_source(text=None, path="internal://weg.txt")),
                                              "weg.txt"),
    "qdpx: tekstbestand niet in UTF-8": qdpx_case(qdpx_document(text_source(text=None, path="internal://t.txt")),
                                                  "UTF-8", files={"sources/t.txt": "Café Zoë".encode("cp1252")}),
    "qdpx: code-id geen guid": qdpx_case(qdpx_document(text_source(), codes='<Code guid="xyz" name="Wonen" '
                                                                            'isCodable="true"/>'), "xyz"),
    "qdc: ongeldige wijkkit-id": qdc_case(f'<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                                          f'<Code guid="{CODE}" name="Wonen" isCodable="true"><Description>'
                                          f'wijkkit-id: Wonen zo!</Description></Code></Codes></CodeBook>'.encode(),
                                          "Wonen zo!"),
    "qdc: code zonder guid": qdc_case(b'<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                                      b'<Code name="Wonen" isCodable="true"/></Codes></CodeBook>', "guid"),
    "qdc: kapotte XML": qdc_case(b"<CodeBook><Codes>", "XML"),
    "qdc: geen codeboek": qdc_case(b'<?xml version="1.0"?><Project xmlns="urn:QDA-XML:project:1.0"/>', "CodeBook"),
    "qdc: niet in UTF-8": qdc_case('<?xml version="1.0" encoding="utf-8"?><CodeBook><Codes><Code guid="a" '
                                   'name="Zoë"/></Codes></CodeBook>'.encode("cp1252"), "XML"),
    "qdc: code zonder naam": qdc_case(f'<?xml version="1.0"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
                                      f'<Code guid="{CODE}" isCodable="true"/></Codes></CodeBook>'.encode(), "name"),
    # --- boundary files ----------------------------------------------------------------------------------------
    "geojson: geen JSON": geo_case("buurten.geojson", b"{ dit is geen json", "GeoJSON"),
    "geojson: zonder codekolom": geo_case(
        "buurten.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
        b'{"naam": "X"}, "geometry": {"type": "Point", "coordinates": [5, 52]}}]}', "buurtcode"),
    "gpkg: kapot": geo_case("buurten.gpkg", b"SQLite format 3\0 kapot", "GeoPackage"),
}


@pytest.mark.parametrize("case", list(CASES))
def test_malformed_input_is_one_dutch_message_and_writes_nothing(case, tmp_path):
    call, word, project_root = CASES[case](tmp_path)
    with pytest.raises(WijkkitInputError) as info:
        call()
    message = str(info.value)
    assert word.casefold() in message.casefold(), message
    assert "verwacht" in message and "Traceback" not in message
    assert info.value.problemen and all(p.bestand for p in info.value.problemen)
    if project_root is not None:
        assert_nothing_written(project_root)
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def assert_nothing_written(root: Path) -> None:
    database = root / "wijkkit.db"
    if not database.exists():
        return
    import sqlite3

    connection = sqlite3.connect(database)
    try:
        tables = [t for (t,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
                  if t != "alembic_version"]
        filled = {t: n for t in tables if (n := connection.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])}
    finally:
        connection.close()
    assert not filled, filled


def test_there_are_at_least_sixty_cases_across_every_kind_of_input():
    kinds = {name.split(":")[0].split(" ")[0] for name in CASES}
    assert len(CASES) >= 60
    assert {"kwb", "statline", "verhaal", "docx", "wijkkit.toml", "codebook.yml", "verandertheorie.yml",
            "indicatoren.yml", "qdpx", "qdc", "geojson"} <= kinds


# ---------------------------------------------------------------------------------------------- properties
PROPERTY = settings(max_examples=int(os.environ.get("WIJKKIT_HYPOTHESIS_VOORBEELDEN", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])
cells = st.one_of(st.text(max_size=12), st.integers(-10**6, 10**6).map(str), st.floats().map(str),
                  st.sampled_from([".", "x", "-", "*", "", "GM0001", "WK000101", "BU00010101", "1,5", "nan"]))


def dutch_or_nothing(call):
    try:
        call()
    except WijkkitInputError as error:
        assert str(error) and "verwacht" in str(error)


@PROPERTY
@given(header=st.lists(st.sampled_from(["gwb_code", "regio", "a_inw", "p_huurw", "ind_wbi", "Perioden",
                                        "Wijken en buurten", "x (km)", ""]), min_size=1, max_size=5),
       rows=st.lists(st.lists(cells, min_size=0, max_size=6), max_size=6),
       delimiter=st.sampled_from([";", ",", "\t"]))
def test_figure_reader_reads_or_refuses_generated_csv(header, rows, delimiter, tmp_path_factory):
    from wijkkit.tellen.laden import load_indicators

    folder = tmp_path_factory.mktemp("csv")
    path = folder / "kwb-2022.csv"
    path.write_text("\n".join(delimiter.join(r) for r in [header, *rows]), encoding="utf-8")
    dutch_or_nothing(lambda: load_indicators(path, cache=False))


@PROPERTY
@given(data=st.binary(max_size=300))
def test_figure_reader_reads_or_refuses_generated_bytes(data, tmp_path_factory):
    from wijkkit.tellen.laden import load_indicators

    path = tmp_path_factory.mktemp("bin") / "kwb-2022.csv"
    path.write_bytes(data)
    dutch_or_nothing(lambda: load_indicators(path, cache=False))


@PROPERTY
@given(kop=st.dictionaries(st.sampled_from(["gebied", "datum", "methode", "verteller_rol", "toestemming", "id",
                                           "taal", "verzamelaar", "onbekend"]),
                           st.one_of(st.text(max_size=30), st.integers(), st.sampled_from(
                               ["BU99990103", "2024-02-30", "18 juli 2025", "interview", "bewoner", "analyse"])),
                           max_size=8),
       tekst=st.text(max_size=200))
def test_story_reader_reads_or_refuses_generated_front_matter(kop, tekst, tmp_path_factory):
    import yaml

    from wijkkit.vertellen.importers import read_stories

    path = tmp_path_factory.mktemp("md") / "v1.md"
    path.write_text("---\n" + yaml.safe_dump(kop, allow_unicode=True) + "---\n" + tekst, encoding="utf-8")
    dutch_or_nothing(lambda: read_stories(path, gebieden=["BU99990103"]))


@PROPERTY
@given(data=st.binary(max_size=400))
def test_story_reader_reads_or_refuses_generated_files(data, tmp_path_factory):
    from wijkkit.vertellen.importers import read_stories

    folder = tmp_path_factory.mktemp("bytes")
    for suffix in (".md", ".txt", ".csv", ".docx"):
        (folder / f"v{suffix}").write_bytes(data)
        dutch_or_nothing(lambda: read_stories(folder / f"v{suffix}", gebieden=["BU99990103"]))


@PROPERTY
@given(start=st.one_of(st.integers(-5, 60).map(str), st.text(max_size=4)),
       end=st.one_of(st.integers(-5, 60).map(str), st.text(max_size=4)),
       text=st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40),
       drop=st.sampled_from(["", "CodeRef", "PlainTextContent", "Codes"]))
def test_qdpx_reader_reads_or_refuses_generated_projects(start, end, text, drop, tmp_path_factory):
    from xml.sax.saxutils import escape, quoteattr

    from wijkkit.uitwisselen.qdpx_lezen import read_qdpx

    document = qdpx_document(text_source(selection(quoteattr(start)[1:-1], quoteattr(end)[1:-1]), escape(text)))
    if drop:
        document = document.replace(f"<{drop}", f"<Weg{drop}").replace(f"</{drop}>", f"</Weg{drop}>")
    path = tmp_path_factory.mktemp("qdpx") / "ander.qdpx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("project.qde", document)
    dutch_or_nothing(lambda: read_qdpx(path))


@PROPERTY
@given(data=st.binary(max_size=300))
def test_qdc_codebook_and_theory_readers_read_or_refuse_generated_bytes(data, tmp_path_factory):
    from wijkkit.codebook import load_codebook
    from wijkkit.monitoring.verandertheorie import load_verandertheorie
    from wijkkit.uitwisselen.qdc import read_qdc

    folder = tmp_path_factory.mktemp("qdc")
    (folder / "c.qdc").write_bytes(data)
    (folder / "codebook.yml").write_bytes(data)
    (folder / "verandertheorie.yml").write_bytes(data)
    dutch_or_nothing(lambda: read_qdc(folder / "c.qdc"))
    dutch_or_nothing(lambda: load_codebook(folder / "codebook.yml"))
    dutch_or_nothing(lambda: load_verandertheorie(folder / "verandertheorie.yml"))


@PROPERTY
@given(toml=st.text(max_size=200))
def test_project_settings_read_or_refuse_generated_toml(toml, tmp_path_factory):
    from wijkkit.config import Project

    folder = tmp_path_factory.mktemp("toml")
    (folder / "wijkkit.toml").write_text(toml, encoding="utf-8")
    dutch_or_nothing(lambda: Project.load(folder))


@PROPERTY
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".geojson", ".gpkg", ".shp"]))
def test_boundary_reader_reads_or_refuses_generated_bytes(data, suffix, tmp_path_factory):
    from wijkkit.verbinden.kaart import read_geometry

    path = tmp_path_factory.mktemp("geo") / f"buurten{suffix}"
    path.write_bytes(data)
    dutch_or_nothing(lambda: read_geometry(path))
