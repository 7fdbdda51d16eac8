"""Readers on small files written here: every expected value is stated from the file content."""

import math

import pandas as pd

from tests.conftest import FIXTURES
from wijkkit.tellen.laden import detect_format, load_indicators
from wijkkit.tellen.readers import read_kwb, read_municipal, read_statline
from wijkkit.tellen.schema import COLUMNS


def cell(df, code, indicator, jaar=None):
    sel = (df.gebied_code == code) & (df.indicator == indicator)
    if jaar is not None:
        sel &= df.jaar == jaar
    rows = df[sel]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def write_kwb_csv(path, rows, sep=";"):
    path.write_text("\n".join(sep.join(map(str, r)) for r in rows) + "\n", encoding="utf-8")
    return path


KWB_HEADER = ["gwb_code", "regio", "recs", "ind_wbi", "a_inw", "p_huurw", "g_ink_pi"]


def test_kwb_csv_symbols_and_sentinels_never_become_zero(tmp_path):
    path = write_kwb_csv(tmp_path / "kwb-2022.csv", [
        KWB_HEADER,
        ["GM0001", "Testgem", "Gemeente", 1, 1000, "55", "30,5"],
        ["WK000101", "Wijk 01", "Wijk", 1, 400, ".", "x"],
        ["BU00010101", "Buurt A", "Buurt", 3, "-99997", "-", "*"],
        ["BU00010102", "Buurt B", "Buurt", 1, 0, "0", ""],
    ])
    df = read_kwb(path)
    assert list(df.columns) == COLUMNS
    assert set(df.jaar) == {2022}
    assert cell(df, "GM0001", "g_ink_pi").waarde == 30.5  # decimal comma in ';' files
    expectations = {("WK000101", "p_huurw"): "onbekend", ("WK000101", "g_ink_pi"): "geheim",
                    ("BU00010101", "a_inw"): "afgeschermd", ("BU00010101", "p_huurw"): "nihil",
                    ("BU00010101", "g_ink_pi"): "voorlopig_onbekend", ("BU00010102", "g_ink_pi"): "leeg"}
    for (code, indicator), status in expectations.items():
        row = cell(df, code, indicator)
        assert math.isnan(row.waarde) and row.status == status, (code, indicator)
    assert cell(df, "BU00010102", "a_inw").waarde == 0 and cell(df, "BU00010102", "a_inw").status == "ok"
    assert cell(df, "BU00010101", "a_inw").ind_wbi == 3
    assert cell(df, "BU00010101", "a_inw").niveau == "buurt"
    assert cell(df, "BU00010101", "a_inw").gemeente_code == "GM0001"


def test_kwb_comma_separated_is_read_too(tmp_path):
    path = write_kwb_csv(tmp_path / "kwb-2021.csv",
                         [KWB_HEADER, ["GM0001", "Testgem", "Gemeente", 1, 1000, 55, 30.5]], sep=",")
    assert cell(read_kwb(path), "GM0001", "g_ink_pi").waarde == 30.5


def test_statline_csv_with_symbols():
    path = FIXTURES / "statline-kwb-amsterdam.csv"
    assert detect_format(path) == "statline"
    df = read_statline(path)
    gm = cell(df, "GM0363", "Bevolking/Aantal inwoners", 2023)
    assert gm.waarde == 918117 and gm.eenheid == "aantal" and gm.gebied_naam == "Amsterdam"
    assert cell(df, "GM0363", "Opleidingsniveau/Laag/Waarde", 2023).waarde == 20.8
    assert cell(df, "GM0363", "Opleidingsniveau/Laag/Waarde", 2023).eenheid == "%"
    assert cell(df, "GM0363", "Bevolking/Aantal inwoners", 2024).waarde == 931298  # "2024*" is 2024
    assert cell(df, "BU03630000", "Opleidingsniveau/Laag/Waarde", 2023).status == "geheim"
    assert cell(df, "WK036300", "Bevolking/Aantal inwoners", 2023).gebied_naam == "Burgwallen-Oude Zijde"
    assert str(cell(df, "WK036300", "Bevolking/Aantal inwoners", 2023).eenheid) == "aantal"


def test_statline_names_map_to_catalogue_ids():
    df = load_indicators(FIXTURES / "statline-kwb-amsterdam.csv")
    assert cell(df, "GM0363", "a_inw", 2023).waarde == 918117
    assert cell(df, "GM0363", "p_opl_lg", 2023).waarde == 20.8


def test_municipal_file_with_mapping(tmp_path):
    path = tmp_path / "monitor.csv"
    path.write_text("buurt;naam;jaar;tevredenheid;meldingen\n"
                    "BU00010101;Buurt A;2022;7,1;12\nBU00010101;Buurt A;2023;7,4;.\n"
                    "GM0001;Testgem;2023;7,0;300\n", encoding="utf-8")
    mapping = {"gebied": "buurt", "naam": "naam", "jaar": "jaar",
               "indicatoren": {"tevredenheid": "rapportcijfer_buurt", "meldingen": "meldingen"}}
    df = read_municipal(path, mapping)
    assert cell(df, "BU00010101", "rapportcijfer_buurt", 2023).waarde == 7.4
    assert cell(df, "BU00010101", "meldingen", 2023).status == "onbekend"
    assert cell(df, "GM0001", "meldingen", 2023).waarde == 300


def test_municipal_xlsx_with_fixed_year(tmp_path):
    path = tmp_path / "eigen.xlsx"
    pd.DataFrame({"code": ["GM0001", "WK000101"], "score": [5.5, "."]}).to_excel(path, index=False)
    df = read_municipal(path, {"gebied": "code", "jaar": 2020})
    assert cell(df, "GM0001", "score").waarde == 5.5 and cell(df, "GM0001", "score").jaar == 2020
    assert cell(df, "WK000101", "score").status == "onbekend"


def test_xlsx_kwb_reader_matches_cells(tmp_path):
    path = tmp_path / "kwb-2019.xlsx"
    pd.DataFrame({"gwb_code": ["GM0001", "BU00010101"], "regio": ["Testgem", "Buurt A"],
                  "a_inw": [1000, "250"], "p_huurw": [".", 40]}).to_excel(path, index=False)
    df = read_kwb(path)
    assert cell(df, "BU00010101", "a_inw").waarde == 250  # number stored as text
    assert cell(df, "GM0001", "p_huurw").status == "onbekend"
    assert set(df.jaar) == {2019}
