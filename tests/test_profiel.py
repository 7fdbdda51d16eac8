"""Wijkprofiel maths on a constructed example (every expected number derived by hand below)."""

import math

import pytest

from wijkkit.tellen.catalogus import Catalogus, Indicator
from wijkkit.tellen.profiel import Referentie, band_code, trend, wijkprofiel
from wijkkit.tellen.readers import read_kwb
from wijkkit.tellen.catalogus import concat_tables

HEADER = "gwb_code;regio;ind_wbi;p_huurw;g_ink_pi;p_00_14;a_inw"
# year: gemeente, wijk, buurt A, buurt B
FILES = {
    2020: ["GM0001;Stad;1;50;30;15;1000", "WK000101;Noord;1;60;24;18;400",
           "BU00010101;A;1;70;20;20;200", "BU00010102;B;1;50;28;16;200"],
    2021: ["GM0001;Stad;1;52;31;15;1010", "WK000101;Noord;1;62;25;18;405",
           "BU00010101;A;3;80;21;21;205", "BU00010102;B;1;44;29;15;200"],
    2022: ["GM0001;Stad;1;.;32;16;1020", "WK000101;Noord;1;.;.;19;410",
           "BU00010101;A;1;.;.;22;210", "BU00010102;B;1;.;.;15;200"],
}
CATALOGUS = Catalogus(indicatoren=[
    Indicator(id="p_huurw", label="Huurwoningen", eenheid="%", richting="neutraal", domein="wonen"),
    Indicator(id="g_ink_pi", label="Inkomen", eenheid="x 1.000 euro", richting="hoger_beter",
              domein="armoede_schulden"),
    Indicator(id="p_00_14", label="Kinderen", eenheid="%", richting="neutraal", domein="onderwijs_jeugd"),
    Indicator(id="a_inw", label="Inwoners", eenheid="aantal", richting="neutraal", domein="sociale_samenhang",
              absoluut=True),
])


@pytest.fixture
def cijfers(tmp_path):
    tables = []
    for jaar, rows in FILES.items():
        path = tmp_path / f"kwb-{jaar}.csv"
        path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
        tables.append(read_kwb(path))
    return concat_tables(tables)


def row(profiel, indicator):
    return profiel.set_index("indicator").loc[indicator]


def test_latest_available_value_keeps_its_year_and_index_uses_same_year(cijfers):
    p = wijkprofiel(cijfers, "BU00010102", catalogus=CATALOGUS)
    huur = row(p, "p_huurw")
    assert huur.waarde == 44 and huur.jaar == 2021  # 2022 is '.'
    assert huur.referentie_waarde == 52 and huur.referentie_jaar == 2021  # gemeente in 2021, not 2022
    assert huur["index"] == pytest.approx(44 / 52 * 100)
    assert huur.vorige_waarde == 50 and huur.vorige_jaar == 2020
    assert huur.verandering == -6
    assert "2021" in huur.toelichting and "2022" in huur.toelichting


def test_direction_decides_the_band(cijfers):
    p = wijkprofiel(cijfers, "BU00010101", catalogus=CATALOGUS)
    inkomen = row(p, "g_ink_pi")  # 21 vs 31 in 2021: index 67.7 -> much less favourable
    assert inkomen["index"] == pytest.approx(21 / 31 * 100)
    assert inkomen.band == "veel ongunstiger dan gemiddeld" and inkomen.band_code == -2
    kinderen = row(p, "p_00_14")  # neutral: 22 vs 16 -> 137.5, 'veel hoger', no good/bad word
    assert kinderen.band == "veel hoger dan gemiddeld"
    assert "gunstig" not in kinderen.band


def test_lower_is_better_flips_the_band():
    assert band_code(70, "lager_beter") == 2
    assert band_code(70, "hoger_beter") == -2
    assert band_code(100, "lager_beter") == 0
    assert band_code(105, "hoger_beter") == 0
    assert band_code(110, "hoger_beter") == 1


def test_boundary_change_blocks_the_change_and_says_why(cijfers):
    p = wijkprofiel(cijfers, "BU00010101", catalogus=CATALOGUS)
    huur = row(p, "p_huurw")  # 2021 has ind_wbi = 3: 80 vs 70 is not comparable
    assert huur.waarde == 80 and not huur.vergelijkbaar and math.isnan(huur.verandering)
    assert "Grens gewijzigd in 2021" in huur.toelichting
    kinderen = row(p, "p_00_14")  # 2022 vs 2021: both after the change -> comparable
    assert kinderen.vergelijkbaar and kinderen.verandering == 1


def test_trend_restarts_the_line_after_a_boundary_change(cijfers):
    t = trend(cijfers, ["BU00010101"], ["p_00_14"], catalogus=CATALOGUS, met_gemeente=False)
    assert list(t.sort_values("jaar")["segment"]) == [0, 1, 1]


def test_reference_base_year(cijfers):
    p = wijkprofiel(cijfers, "BU00010101", catalogus=CATALOGUS, referentie=Referentie.basisjaar(2020))
    assert row(p, "g_ink_pi").referentie_waarde == 30  # gemeente in 2020
    assert row(p, "g_ink_pi")["index"] == pytest.approx(21 / 30 * 100)


def test_reference_comparison_gebieden_uses_same_year_mean(cijfers):
    ref = Referentie.vergelijk(["BU00010102", "WK000101"])
    p = wijkprofiel(cijfers, "BU00010101", catalogus=CATALOGUS, referentie=ref)
    assert row(p, "p_00_14").referentie_waarde == pytest.approx((15 + 19) / 2)  # 2022 values


def test_reference_target(cijfers):
    p = wijkprofiel(cijfers, "BU00010101", catalogus=CATALOGUS, referentie=Referentie.doel({"g_ink_pi": 28}))
    assert row(p, "g_ink_pi")["index"] == pytest.approx(21 / 28 * 100)
    assert row(p, "g_ink_pi").band.endswith("het doel")
    assert math.isnan(row(p, "p_huurw")["index"])


def test_counts_get_no_index_against_the_gemeente(cijfers):
    inwoners = row(wijkprofiel(cijfers, "BU00010101", catalogus=CATALOGUS), "a_inw")
    assert inwoners.waarde == 210 and math.isnan(inwoners["index"])
    assert "Absoluut" in inwoners.toelichting


def test_cutoff_year(cijfers):
    p = wijkprofiel(cijfers, "BU00010101", catalogus=CATALOGUS, tot_jaar=2020)
    assert row(p, "p_00_14").waarde == 20 and row(p, "p_00_14").jaar == 2020


def test_reference_parse():
    assert Referentie.parse("basisjaar:2019") == Referentie.basisjaar(2019)
    assert Referentie.parse("gebieden:WK1,WK2").gebieden == ("WK1", "WK2")
    with pytest.raises(Exception, match="basisjaar"):
        Referentie.parse("stad")


def test_indicator_from_an_older_file_only_stays_in_the_profile(cijfers, tmp_path):
    """A two-yearly survey (last in 2021) must not vanish because the CBS files go to 2022."""
    from wijkkit.tellen.readers import read_municipal

    survey = tmp_path / "enquete.csv"
    survey.write_text("code;jaar;score\nGM0001;2021;6,0\nBU00010101;2021;7,5\n", encoding="utf-8")
    both = concat_tables([cijfers, read_municipal(survey, {"gebied": "code", "jaar": "jaar"})])
    catalogus = Catalogus(indicatoren=[*CATALOGUS.indicatoren, Indicator(
        id="score", label="Score", eenheid="rapportcijfer", richting="hoger_beter", domein="sociale_samenhang")])
    score = row(wijkprofiel(both, "BU00010101", catalogus=catalogus), "score")
    assert score.waarde == 7.5 and score.jaar == 2021 and score["index"] == pytest.approx(7.5 / 6.0 * 100)
    assert "nog niet beschikbaar" not in score.toelichting  # 2021 is the survey's newest year
