import pandas as pd

from wijkkit.tellen import laden
from wijkkit.tellen.laden import load_indicators


def make(tmp_path, value=1000):
    path = tmp_path / "kwb-2023.csv"
    path.write_text(f"gwb_code;a_inw;p_huurw\nGM0001;{value};50\nWK000101;300;.\n", encoding="utf-8")
    return path


def test_second_load_comes_from_the_cache(tmp_path, isolated_cache, monkeypatch):
    path = make(tmp_path)
    first = load_indicators(path, cache_dir=isolated_cache)
    assert len(list(isolated_cache.glob("*.arrow"))) == 1

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(laden, "read_one", no_reading)
    second = load_indicators(path, cache_dir=isolated_cache)
    pd.testing.assert_frame_equal(first, second)


def test_changed_file_is_read_again(tmp_path, isolated_cache):
    path = make(tmp_path)
    load_indicators(path, cache_dir=isolated_cache)
    path = make(tmp_path, value=2000)
    df = load_indicators(path, cache_dir=isolated_cache)
    assert df.loc[(df.gebied_code == "GM0001") & (df.indicator == "a_inw"), "waarde"].item() == 2000


def test_cache_can_be_switched_off(tmp_path, isolated_cache):
    load_indicators(make(tmp_path), cache=False, cache_dir=isolated_cache)
    assert not isolated_cache.exists()


def test_corrupt_cache_entry_is_rebuilt(tmp_path, isolated_cache):
    path = make(tmp_path)
    load_indicators(path, cache_dir=isolated_cache)
    entry = next(isolated_cache.glob("*.arrow"))
    entry.write_bytes(b"kapot")
    df = load_indicators(path, cache_dir=isolated_cache)
    assert df.loc[(df.gebied_code == "GM0001") & (df.indicator == "a_inw"), "waarde"].item() == 1000
