"""Numbers, years and spans as Dutch readers write them (issue 16: no "2022–2022", no "-0,0")."""

import math

import pytest

from wijkkit.weergave import getal, jaar, periode


@pytest.mark.parametrize("value, decimals, shown", [
    (35255, None, "35.255"), (12.5, None, "12,5"), (182.59099007381013, 1, "182,6"), (-1234.5, 1, "-1.234,5"),
    (-0.04, 1, "0,0"), (-0.0, None, "0"), (-0.4, 1, "-0,4"), (math.nan, None, "–"), (True, None, "ja"),
])
def test_getal(value, decimals, shown):
    assert getal(value, decimals) == shown


def test_years_and_spans():
    assert jaar(2023.0) == "2023" and jaar(None) == "–"
    assert periode([2022, 2022.0]) == "2022" and periode([2024, 2022, 2023]) == "2022–2024"
    assert periode([]) == "" and periode([math.nan, 2023]) == "2023"


def test_a_count_reads_without_the_word_aantal():
    from wijkkit.weergave import met_eenheid

    assert met_eenheid("150", "aantal") == "150" and met_eenheid("11,4", None) == "11,4"
    assert met_eenheid("31,7", "per 1.000 inwoners") == "31,7 per 1.000 inwoners"
