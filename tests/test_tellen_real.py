"""The real CBS KWB files for Utrecht (2023, 2024): values stated from the source files."""

import numpy as np
import openpyxl
import pytest

from wijkkit.tellen.laden import load_indicators
from wijkkit.tellen.profiel import wijkprofiel
from wijkkit.tellen.readers import read_kwb

OVERVECHT = "WK034403"


def value(df, code, jaar, indicator):
    row = df[(df.gebied_code == code) & (df.jaar == jaar) & (df.indicator == indicator)]
    assert len(row) == 1
    return row.iloc[0]


def test_overvecht_inwoners_per_year(real_cbs):
    df = load_indicators(real_cbs)
    assert value(df, OVERVECHT, 2023, "a_inw").waarde == 34910
    assert value(df, OVERVECHT, 2024, "a_inw").waarde == 35255


def test_year_comes_from_file_name(real_cbs):
    df = read_kwb(real_cbs / "CBS-Utrecht-kwb-2024.xlsx")
    assert set(df.jaar) == {2024}
    assert read_kwb(real_cbs / "CBS-Utrecht-kwb-2024.xlsx", jaar=2030).jaar.iloc[0] == 2030


def test_huurwoningen_latest_available_keeps_its_own_year(real_cbs):
    df = load_indicators(real_cbs)
    assert value(df, OVERVECHT, 2024, "p_huurw").status == "onbekend"
    profiel = wijkprofiel(df, OVERVECHT).set_index("indicator")
    assert profiel.loc["p_huurw", "waarde"] == 80
    assert profiel.loc["p_huurw", "jaar"] == 2023
    assert "2023" in profiel.loc["p_huurw", "toelichting"]
    # a_inw exists in 2024, so 2024 is its year
    assert profiel.loc["a_inw", "jaar"] == 2024


def test_gemeente_is_the_default_reference(real_cbs):
    df = load_indicators(real_cbs)
    profiel = wijkprofiel(df, OVERVECHT).set_index("indicator")
    gemeente_huur = value(df, "GM0344", 2023, "p_huurw").waarde
    assert profiel.loc["p_huurw", "referentie_waarde"] == gemeente_huur
    assert profiel.loc["p_huurw", "referentie_jaar"] == 2023
    assert profiel.loc["p_huurw", "index"] == pytest.approx(80 / gemeente_huur * 100)


@pytest.mark.parametrize("jaar", [2023, 2024])
def test_no_dot_is_ever_read_as_zero(real_cbs, jaar):
    path = real_cbs / f"CBS-Utrecht-kwb-{jaar}.xlsx"
    sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    dots = [(str(r[header.index("gwb_code")]).strip(), header[j]) for r in rows[1:]
            for j, c in enumerate(r) if c == "." and header[j] not in ("pst_mvp", "pst_dekp")]
    assert len(dots) > 1000  # the files really are full of '.'
    df = read_kwb(path).set_index(["gebied_code", "indicator"])
    sample = df.loc[dots]
    assert sample["waarde"].isna().all()
    assert (sample["status"] == "onbekend").all()
    zeros = [(str(r[header.index("gwb_code")]).strip(), header[j]) for r in rows[1:]
             for j, c in enumerate(r) if c in (0, "0") and header[j] not in ("pst_mvp", "pst_dekp")]
    assert np.all(df.loc[zeros, "waarde"] == 0)  # real zeros stay zeros
