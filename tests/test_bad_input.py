"""Malformed files: a Dutch error naming file, row and column; nothing partial is cached."""

import pandas as pd
import pytest

from wijkkit.errors import WijkkitInputError
from wijkkit.tellen.laden import load_indicators

HEADER = "gwb_code;regio;a_inw;p_huurw"
GOOD = "GM0001;Testgem;1000;55"


def text_file(name, content, encoding="utf-8"):
    def make(folder):
        path = folder / name
        path.write_bytes(content.encode(encoding) if isinstance(content, str) else content)
        return path
    return make


def excel_file(name, frame):
    def make(folder):
        path = folder / name
        frame.to_excel(path, index=False)
        return path
    return make


# (maker, expected row, expected column, a word the message must contain)
CASES = {
    "verkeerd scheidingsteken": (text_file("kwb-2022.csv", "gwb_code|regio|a_inw\nGM0001|Test|5\n"),
                                 1, "gwb_code", "scheidingsteken"),
    "geen codekolom": (text_file("kwb-2022.csv", "regio;a_inw\nTest;5\n"), 1, "gwb_code", "gwb_code"),
    "dubbele code": (text_file("kwb-2022.csv", f"{HEADER}\n{GOOD}\nGM0001;Nog eens;3;4\n"),
                     3, "gwb_code", "rij 2"),
    "tekst in getalkolom": (text_file("kwb-2022.csv", f"{HEADER}\n{GOOD}\nWK000101;W;veel;4\n"),
                            3, "a_inw", "veel"),
    "onbekend codevoorvoegsel": (text_file("kwb-2022.csv", f"{HEADER}\nXX0001;Test;1;2\n"),
                                 2, "gwb_code", "XX0001"),
    "leeg bestand": (text_file("kwb-2022.csv", ""), 1, None, "kopregel"),
    "alleen kopregel": (text_file("kwb-2022.csv", HEADER + "\n"), 2, None, "gegevens"),
    "verkeerde codering": (text_file("kwb-2022.csv", f"{HEADER}\nGM0001;Zoë;1;2\n", encoding="cp1252"),
                           2, None, "UTF-8"),
    # UTF-16 without a byte order mark cannot be told from a binary file (with one it is read: see below)
    "utf-16 zonder bom": (text_file("kwb-2022.csv", f"{HEADER}\n{GOOD}\n", encoding="utf-16-le"), 1, None, "UTF"),
    "kapot excelbestand": (text_file("kwb-2022.xlsx", b"PK\x03\x04 dit is geen excel"), None, None, "Excel"),
    "rij met te veel velden": (text_file("kwb-2022.csv", f"{HEADER}\n{GOOD};extra\n"), 2, None, "velden"),
    "geen jaartal": (text_file("kerncijfers.csv", f"{HEADER}\n{GOOD}\n"), None, None, "jaartal"),
    "lege code": (text_file("kwb-2022.csv", f"{HEADER}\n{GOOD}\n;Zonder code;1;2\n"), 3, "gwb_code", "GM"),
    "wijkcode te kort": (text_file("kwb-2022.csv", f"{HEADER}\nWK0001;Wijk;1;2\n"), 2, "gwb_code", "WK0001"),
    "dubbele kolomnaam": (text_file("kwb-2022.csv", "gwb_code;a_inw;a_inw\nGM0001;1;2\n"), 1, "a_inw", "unieke"),
    "excel met tekst in getal": (excel_file("kwb-2022.xlsx", pd.DataFrame(
        {"gwb_code": ["GM0001", "BU00010101"], "a_inw": [5, "vijf"]})), 3, "a_inw", "vijf"),
    "ander bestandstype": (text_file("kwb-2022.json", "{}"), None, None, ".json"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_names_place_and_caches_nothing(case, tmp_path, isolated_cache):
    maker, rij, kolom, word = CASES[case]
    path = maker(tmp_path)
    with pytest.raises(WijkkitInputError) as info:
        load_indicators(path, cache_dir=isolated_cache)
    error = info.value
    message = str(error)
    assert path.name in message
    assert word in message
    assert "verwacht" in message
    if rij is not None:
        assert error.rij == rij and f"rij {rij}" in message
    if kolom is not None:
        assert error.kolom == kolom and f"'{kolom}'" in message
    assert not isolated_cache.exists() or not any(isolated_cache.iterdir())


def test_error_lists_every_bad_cell(tmp_path):
    path = tmp_path / "kwb-2022.csv"
    path.write_text(f"{HEADER}\nGM0001;T;een;twee\nWK000101;W;3;drie\n", encoding="utf-8")
    with pytest.raises(WijkkitInputError) as info:
        load_indicators(path)
    places = {(p.rij, p.kolom) for p in info.value.problemen}
    assert places == {(2, "a_inw"), (2, "p_huurw"), (3, "p_huurw")}
    assert "3 fouten" in str(info.value)


def test_one_bad_file_means_nothing_cached(tmp_path, isolated_cache):
    (tmp_path / "kwb-2021.csv").write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    (tmp_path / "kwb-2022.csv").write_text(f"{HEADER}\nGM0001;T;oeps;1\n", encoding="utf-8")
    with pytest.raises(WijkkitInputError):
        load_indicators(tmp_path, cache_dir=isolated_cache)
    assert not isolated_cache.exists() or not any(isolated_cache.iterdir())
    (tmp_path / "kwb-2022.csv").write_text(f"{HEADER}\nGM0001;T;7;1\n", encoding="utf-8")
    df = load_indicators(tmp_path, cache_dir=isolated_cache)
    assert sorted(df.jaar.unique()) == [2021, 2022]
    assert len(list(isolated_cache.glob("*.arrow"))) == 2


def test_same_figure_in_two_files_is_refused(tmp_path):
    (tmp_path / "kwb-2022.csv").write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    (tmp_path / "kwb-2022-kopie.csv").write_text(f"{HEADER}\n{GOOD}\n", encoding="utf-8")
    with pytest.raises(WijkkitInputError, match="maar één bestand"):
        load_indicators(tmp_path)


@pytest.mark.parametrize("how", ["latin-1", "map", "geen leesrechten"])
def test_a_settings_file_that_cannot_be_read_as_text_is_one_dutch_message(tmp_path, how, monkeypatch):
    from pathlib import Path

    from wijkkit.monitoring.verandertheorie import load_verandertheorie

    path = tmp_path / "verandertheorie.yml"
    if how == "latin-1":
        path.write_bytes("missie: één wijk\n".encode("latin-1"))
    elif how == "map":
        path.mkdir()
    else:  # as the OS refuses it to a user without rights (root would read it anyway, so it is simulated)
        path.write_text("missie: x\n", encoding="utf-8")
        original = Path.read_text

        def refuse(self, *args, **kwargs):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return original(self, *args, **kwargs)

        monkeypatch.setattr(Path, "read_text", refuse)
    with pytest.raises(WijkkitInputError) as info:
        load_verandertheorie(path)
    message = str(info.value)
    assert "verandertheorie.yml" in message
    assert {"latin-1": "UTF-8", "map": "een map", "geen leesrechten": "leesrechten"}[how] in message


def test_an_overlong_story_is_refused_at_once_by_name_and_length(tmp_path):
    import time

    from wijkkit.vertellen.importers import MAX_TEKENS, read_stories

    text = "Het buurthuis is dicht. " * (MAX_TEKENS // 24 + 10)
    (tmp_path / "lang.md").write_text("---\ngebied: BU99990201\nmethode: interview\nverteller_rol: bewoner\n"
                                      f"toestemming: analyse\n---\n{text}\n", encoding="utf-8")
    began = time.perf_counter()
    with pytest.raises(WijkkitInputError) as info:
        read_stories(tmp_path, gebieden={"BU99990201"})
    assert time.perf_counter() - began < 10  # refused before any naming or tagging
    message = str(info.value)
    assert "lang.md" in message and "tekst" in message and "200.000 tekens" in message


@pytest.mark.parametrize("how", ["latin-1", "map"])
def test_a_project_file_that_is_not_utf8_text_is_one_dutch_message(demo_project, how):
    from wijkkit.config import Project

    path = demo_project / "wijkkit.toml"
    if how == "latin-1":
        path.write_bytes(path.read_bytes() + "\n# één\n".encode("latin-1"))
    else:
        path.unlink()
        path.mkdir()
    with pytest.raises(WijkkitInputError) as info:
        Project.load(demo_project)
    assert "wijkkit.toml" in str(info.value) and ("UTF-8" in str(info.value) or "een map" in str(info.value))


@pytest.mark.parametrize("url, word", [("onzin://", "store-URL"),
                                       ("postgresql+psycopg://iemand:geheim@127.0.0.1:1/x", "databaseserver")])
def test_a_store_that_cannot_be_opened_is_one_dutch_message_without_password(demo_project, url, word):
    import subprocess
    import sys

    toml = demo_project / "wijkkit.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('url = "sqlite:///wijkkit.db"', f'url = "{url}"'), encoding="utf-8")
    assert url in toml.read_text(encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", "from wijkkit.cli import main; main()", "coderen", "betrouwbaarheid",
                           "--project", str(demo_project)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr and word in done.stderr and "[store] url" in done.stderr
    assert "geheim" not in done.stderr


def test_a_utf16_file_with_its_byte_order_mark_reads_like_utf8(tmp_path, isolated_cache):
    """Excel's "Unicode-tekst" is UTF-16 with a BOM: read by that mark, the same figures as the UTF-8 file."""
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    utf8 = text_file("kwb-2022.csv", f"{HEADER}\n{GOOD}\n")(tmp_path / "a")
    utf16 = text_file("kwb-2022.csv", f"{HEADER}\n{GOOD}\n", encoding="utf-16")(tmp_path / "b")
    assert utf16.read_bytes()[:2] in (b"\xff\xfe", b"\xfe\xff")
    expected = load_indicators(utf8, cache_dir=isolated_cache)
    got = load_indicators(utf16, cache_dir=isolated_cache)
    assert got.reset_index(drop=True).equals(expected.reset_index(drop=True))
    assert 1000 in set(got["waarde"]) and 55 in set(got["waarde"])  # the values of GOOD
