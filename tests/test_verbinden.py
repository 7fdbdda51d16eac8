"""Verbinden on a constructed case: every verdict derived from the numbers given here."""

import pandas as pd

from wijkkit.verbinden import publiek_aantal, verbind


def profiel(rows):
    return pd.DataFrame(rows, columns=["domein", "richting", "band_code", "waarde", "jaar"])


def stories(n, gebied="BU00010101", prefix="s"):
    return [{"id": f"{prefix}{i}", "gebied": gebied} for i in range(n)]


def codings(ids, thema, valentie):
    return [{"story_id": i, "thema": thema, "valentie": valentie} for i in ids]


def test_tension_both_ways_and_small_counts_hidden():
    p = profiel([("sociale_samenhang", "hoger_beter", -2, 5.1, 2023), ("sociale_samenhang", "lager_beter", -1, 3, 2022),
                 ("wonen", "hoger_beter", 2, 80, 2023), ("wonen", "neutraal", 1, 50, 2023),
                 ("veiligheid", "lager_beter", 0, 2, 2024)])
    st = pd.DataFrame(stories(6) + stories(6, prefix="w") + stories(3, prefix="v") + stories(2, "BU00020101", "x"))
    co = pd.DataFrame(codings([f"s{i}" for i in range(6)], "sociale_samenhang", "kracht")
                      + codings([f"w{i}" for i in range(5)], "wonen", "knelpunt") + codings(["w5"], "wonen", "kracht")
                      + codings([f"v{i}" for i in range(3)], "veiligheid", "knelpunt")
                      + codings(["x0", "x1"], "veiligheid", "kracht"))
    table = verbind(p, st, co, "WK000101", drempel=5).set_index("thema")
    assert table.loc["sociale_samenhang", "cijfers"] == "ongunstig"          # mean band -1.5
    assert table.loc["sociale_samenhang", "verhalen_zeggen"] == "vooral krachten"
    assert table.loc["sociale_samenhang", "spanning"]
    assert "ongunstiger" in table.loc["sociale_samenhang", "uitleg"]
    assert table.loc["wonen", "cijfers"] == "gunstig"                        # neutral one not counted
    assert table.loc["wonen", "verhalen_zeggen"] == "vooral knelpunten"       # 1 of 6 is a strength
    assert table.loc["wonen", "spanning"]
    assert table.loc["veiligheid", "verhalen"] == 3                          # other wijk's stories not counted
    assert table.loc["veiligheid", "verhalen_publiek"] == "minder dan 5"
    assert table.loc["veiligheid", "verhalen_zeggen"] == "te weinig verhalen"
    assert not table.loc["veiligheid", "spanning"]
    assert "3" not in table.loc["veiligheid", "uitleg"]


def test_public_count():
    assert publiek_aantal(4, 5) == "minder dan 5" and publiek_aantal(5, 5) == "5"
