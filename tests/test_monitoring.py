"""Verandertheorie validation and progress maths on a constructed example."""

import numpy as np
import pandas as pd
import pytest
import yaml

from tests.conftest import ROOT
from wijkkit.codebook import load_codebook
from wijkkit.config import Project
from wijkkit.errors import WijkkitInputError
from wijkkit.monitoring.verandertheorie import Kwantitatief, load_verandertheorie
from wijkkit.monitoring.voortgang import indicator_progress, per_ambition, quantitative

GOOD = {
    "missie": "Kansen voor elk kind.", "gebied": "WK999902", "nulmeting": 2020,
    "ambities": [{"id": "a", "titel": "A", "deelambities": [{"id": "a1", "titel": "A1", "indicatoren": [
        {"soort": "kwantitatief", "indicator": "x", "basisjaar": 2020, "doel": 60, "doeljaar": 2030},
        {"soort": "kwalitatief", "thema": "wonen"}]}]}],
}


def write(tmp_path, data):
    path = tmp_path / "verandertheorie.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def messages(tmp_path, data, **known):
    with pytest.raises(WijkkitInputError) as info:
        load_verandertheorie(write(tmp_path, data), **known)
    return str(info.value)


def test_the_demo_theory_is_valid():
    project = Project.load(ROOT)
    theorie = load_verandertheorie(project.verandertheorie_path,
                                   indicatoren=set(project.catalogus.to_frame()["indicator"]),
                                   themas=load_codebook(project.codebook_path).theme_ids)
    assert [a.titel for a in theorie.ambities] == ["Perspectief voor elk kind", "Iedereen kan rondkomen",
                                                   "Samen leven in de buurt"]
    assert len(list(theorie.indicatoren())) == 9


def test_validation_errors_name_the_field(tmp_path):
    bad = yaml.safe_load(yaml.safe_dump(GOOD))
    bad["ambities"][0]["deelambities"][0]["indicatoren"][0]["indicator"] = "bestaat_niet"
    text = messages(tmp_path, bad, indicatoren={"x"}, themas={"wonen"})
    # list items are named by their id where they have one, else counted from 1 (as a person counts)
    assert "veld 'ambities[a].deelambities[a1].indicatoren[1].indicator'" in text and "bestaat_niet" in text

    bad = yaml.safe_load(yaml.safe_dump(GOOD))
    bad["ambities"][0]["deelambities"][0]["indicatoren"][1]["thema"] = "geluk"
    text = messages(tmp_path, bad, indicatoren={"x"}, themas={"wonen"})
    assert "ambities[a].deelambities[a1].indicatoren[2].thema" in text and "geluk" in text

    bad = yaml.safe_load(yaml.safe_dump(GOOD))
    bad["ambities"][0]["deelambities"][0]["indicatoren"][0]["doeljaar"] = 2019
    assert "doeljaar na het basisjaar" in messages(tmp_path, bad)

    bad = yaml.safe_load(yaml.safe_dump(GOOD))
    del bad["missie"]
    assert "missie" in messages(tmp_path, bad)

    bad = yaml.safe_load(yaml.safe_dump(GOOD))
    bad["ambities"][0]["deelambities"][0]["indicatoren"].append({"soort": "kwalitatief"})
    assert "een thema uit het codeboek of een vraag" in messages(tmp_path, bad)

    bad = yaml.safe_load(yaml.safe_dump(GOOD))
    bad["ambities"][0]["deelambities"][0]["id"] = "a"
    assert "dubbel: a" in messages(tmp_path, bad)


def frame(values: dict[int, float], wbi: dict[int, int] | None = None) -> pd.DataFrame:
    return pd.DataFrame({"gebied_code": "WK999902", "indicator": "x", "jaar": list(values),
                         "waarde": list(values.values()),
                         "ind_wbi": [(wbi or {}).get(j, 1) for j in values]})


def progress(values, doel=60.0, wbi=None, basisjaar=2020, doeljaar=2030):
    indicator = Kwantitatief(soort="kwantitatief", indicator="x", basisjaar=basisjaar, doel=doel, doeljaar=doeljaar)
    return indicator_progress(frame(values, wbi), indicator, "WK999902")


def test_progress_maths():
    # baseline 100, target 60: at 90 in 2023 we are 10/40 = 0.25 of the way, 3/10 of the time passed
    result = progress({2020: 100.0, 2021: 95.0, 2023: 90.0})
    assert result["basiswaarde"] == 100 and (result["laatste_jaar"], result["laatste_waarde"]) == (2023, 90)
    assert result["voortgang"] == pytest.approx(0.25) and result["verwacht"] == pytest.approx(0.3)
    assert result["status"] == "achter op schema"
    assert progress({2020: 100.0, 2022: 88.0})["status"] == "op koers"  # 0.30 >= 0.20
    assert progress({2020: 100.0, 2022: 104.0})["voortgang"] == pytest.approx(-0.1)
    assert progress({2020: 100.0, 2022: 104.0})["status"] == "verkeerde kant op"
    assert progress({2020: 100.0, 2024: 55.0})["status"] == "doel gehaald"
    # rising target works the same way
    assert progress({2020: 5.0, 2025: 6.0}, doel=7.0)["voortgang"] == pytest.approx(0.5)
    # a boundary change after the baseline: not comparable, no progress number
    changed = progress({2020: 100.0, 2022: 80.0, 2023: 70.0}, wbi={2022: 3})
    assert changed["status"] == "niet vergelijkbaar" and np.isnan(changed["voortgang"])
    assert progress({2021: 100.0, 2023: 90.0})["status"] == "geen gegevens"  # no baseline year
    assert progress({2020: 100.0})["status"] == "geen gegevens"  # nothing newer


def test_progress_per_ambition(tmp_path):
    data = yaml.safe_load(yaml.safe_dump(GOOD))
    data["ambities"][0]["deelambities"][0]["indicatoren"].append(
        {"soort": "kwantitatief", "indicator": "y", "basisjaar": 2020, "doel": 10, "doeljaar": 2030})
    theorie = load_verandertheorie(write(tmp_path, data))
    cijfers = pd.concat([frame({2020: 100.0, 2023: 90.0}),
                         frame({2020: 0.0, 2022: 5.0}).assign(indicator="y")])
    table = quantitative(theorie, cijfers)
    assert list(table["voortgang"].round(3)) == [0.25, 0.5]
    summary = per_ambition(table).iloc[0]
    assert summary["gemiddelde_voortgang"] == pytest.approx(0.375)
    assert (summary["achter op schema"], summary["op koers"], summary["met_gegevens"]) == (1, 1, 2)
