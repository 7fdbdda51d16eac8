"""cbsodata fetch, without network: the CBS client is replaced by a stand-in with CBS's shape."""

import sys
import types

import pytest

from wijkkit.errors import WijkkitInputError
from wijkkit.tellen import online

RECORDS = [
    {"ID": 0, "WijkenEnBuurten": "Utrecht  ", "Gemeentenaam_1": "Utrecht ", "SoortRegio_2": "Gemeente ",
     "Codering_3": "GM0344    ", "IndelingswijzigingWijkenEnBuurten_4": "1", "AantalInwoners_5": 374238,
     "HuurwoningenTotaal_40": None},
    {"ID": 1, "WijkenEnBuurten": "Wijk 03 Overvecht", "Gemeentenaam_1": "Utrecht ", "SoortRegio_2": "Wijk ",
     "Codering_3": "WK034403  ", "IndelingswijzigingWijkenEnBuurten_4": "1", "AantalInwoners_5": 35255,
     "HuurwoningenTotaal_40": 80.0},
]


@pytest.fixture
def fake_cbsodata(monkeypatch):
    calls = []
    module = types.SimpleNamespace(get_data=lambda tid, filters=None: calls.append((tid, filters)) or RECORDS)
    monkeypatch.setitem(sys.modules, "cbsodata", module)
    return calls


def test_fetch_converts_and_caches(fake_cbsodata, tmp_path, monkeypatch):
    df = online.fetch_kwb(2024, "GM0344", cache_dir=tmp_path)
    assert fake_cbsodata == [("85984NED", "substringof('0344',Codering_3)")]
    ovv = df[(df.gebied_code == "WK034403") & (df.indicator == "AantalInwoners")]
    assert ovv.waarde.item() == 35255 and ovv.jaar.item() == 2024
    assert df[(df.gebied_code == "GM0344") & (df.indicator == "HuurwoningenTotaal")].status.item() == "onbekend"
    monkeypatch.setitem(sys.modules, "cbsodata", None)  # offline now: the cache must do
    again = online.fetch_kwb(2024, "GM0344", cache_dir=tmp_path)
    assert len(again) == len(df)


def test_catalogue_maps_odata_names(fake_cbsodata, tmp_path):
    from wijkkit.tellen.catalogus import load_catalogus

    catalogus = load_catalogus()
    df = catalogus.normalise(online.fetch_kwb(2024, "GM0344", cache_dir=tmp_path))
    assert df[(df.gebied_code == "WK034403") & (df.indicator == "p_huurw")].waarde.item() == 80


def test_no_network_gives_a_clear_error(monkeypatch, tmp_path):
    def offline(*args, **kwargs):
        raise ConnectionError("geen verbinding")

    monkeypatch.setitem(sys.modules, "cbsodata", types.SimpleNamespace(get_data=offline))
    with pytest.raises(WijkkitInputError, match="internetverbinding") as info:
        online.fetch_kwb(2023, "GM0344", cache_dir=tmp_path)
    assert "ConnectionError" not in str(info.value) and "geen verbinding met internet" in str(info.value)


def test_unknown_year():
    with pytest.raises(WijkkitInputError, match="2019"):
        online.table_id(1999)
