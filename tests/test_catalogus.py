import pytest
import yaml

from wijkkit.codebook import DEFAULT_THEME_IDS, default_codebook_path, load_codebook
from wijkkit.errors import WijkkitInputError
from wijkkit.tellen.catalogus import default_catalogus_path, load_catalogus
from wijkkit.tellen.readers import read_kwb

REQUIRED_DOMAINS = {"wonen", "werk_economie", "armoede_schulden", "onderwijs_jeugd", "gezondheid_zorg",
                    "voorzieningen", "veiligheid"}


def test_default_codebook_has_the_twelve_fixed_ids():
    assert load_codebook().theme_ids == list(DEFAULT_THEME_IDS)
    raw = yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))
    assert all(t["termen"] and t["definitie"] for t in raw["themas"])


def test_catalogue_covers_the_domains():
    catalogus = load_catalogus()
    raw = yaml.safe_load(default_catalogus_path().read_text(encoding="utf-8"))["indicatoren"]
    assert len(catalogus.indicatoren) == len(raw) >= 40
    domains = {i.domein for i in catalogus.indicatoren}
    assert REQUIRED_DOMAINS <= domains
    assert domains <= set(DEFAULT_THEME_IDS)
    assert catalogus["p_00_14"].richting == "neutraal"  # age shares carry no judgement


def test_catalogue_validation_names_the_field(tmp_path):
    own = tmp_path / "eigen.yml"
    own.write_text("indicatoren:\n  - {id: x1, label: X, eenheid: '%', richting: omhoog, domein: wonen}\n"
                   "  - {id: x2, label: Y, eenheid: '%', richting: neutraal, domein: fietsen}\n", encoding="utf-8")
    with pytest.raises(WijkkitInputError) as info:
        load_catalogus(own)
    message = str(info.value)
    assert "eigen.yml" in message
    assert "indicatoren[x1].richting" in message and "hoger_beter" in message
    assert "indicatoren[x2].domein" in message and "schoon_heel" in message


def test_own_catalogue_extends_the_default(tmp_path):
    own = tmp_path / "eigen.yml"
    own.write_text("indicatoren:\n  - {id: tevredenheid, label: Tevredenheid, eenheid: rapportcijfer,"
                   " richting: hoger_beter, domein: sociale_samenhang}\n", encoding="utf-8")
    catalogus = load_catalogus(own)
    assert "tevredenheid" in catalogus and "p_huurw" in catalogus


def test_derived_share_is_computed_from_its_parts(tmp_path):
    path = tmp_path / "kwb-2023.csv"
    path.write_text("gwb_code;a_inw;a_00_14;a_soz_wb\nGM0001;2000;300;50\nWK000101;400;.;8\n", encoding="utf-8")
    catalogus = load_catalogus()
    df = catalogus.derive(catalogus.normalise(read_kwb(path))).set_index(["gebied_code", "indicator"])
    assert df.loc[("GM0001", "p_00_14"), "waarde"] == pytest.approx(300 / 2000 * 100)
    assert df.loc[("GM0001", "g_soz_wb_1000"), "waarde"] == pytest.approx(50 / 2000 * 1000)
    assert df.loc[("WK000101", "p_00_14"), "status"] == "onbekend"  # a '.' part stays unknown


def test_codes_that_changed_over_the_years_map_to_one_id(tmp_path):
    old = tmp_path / "kwb-2017.csv"
    old.write_text("gwb_code;g_woz\nGM0001;210\n", encoding="utf-8")
    new = tmp_path / "kwb-2020.csv"
    new.write_text("gwb_code;g_wozbag\nGM0001;260\n", encoding="utf-8")
    catalogus = load_catalogus()
    for path, expected in ((old, 210), (new, 260)):
        df = catalogus.normalise(read_kwb(path))
        assert df.loc[df.indicator == "g_wozbag", "waarde"].item() == expected


def test_codes_renamed_within_a_release_map_to_one_id_and_derive_the_same_share(tmp_path):
    # The later KWB-2024 CSV and 2025 write a_opl_bvm/hvm/hw where the first 2024 xlsx has a_opl_lg/md/hg
    oud = tmp_path / "kwb-2024.csv"
    oud.write_text("gwb_code;a_opl_lg;a_opl_md;a_opl_hg\nGM0001;300;500;200\n", encoding="utf-8")
    nieuw = tmp_path / "kwb-2025.csv"
    nieuw.write_text("gwb_code;a_opl_bvm;a_opl_hvm;a_opl_hw\nGM0001;300;500;200\n", encoding="utf-8")
    catalogus = load_catalogus()
    for path in (oud, nieuw):
        df = catalogus.derive(catalogus.normalise(read_kwb(path))).set_index("indicator")
        assert df.loc["a_opl_lg", "waarde"] == 300
        assert df.loc["p_opl_lg", "waarde"] == pytest.approx(300 / (300 + 500 + 200) * 100)


def test_a_kwb_alias_may_belong_to_one_indicator_only(tmp_path):
    own = tmp_path / "eigen.yml"
    own.write_text("indicatoren:\n  - {id: x, label: X, eenheid: aantal, richting: neutraal, domein: wonen,"
                   " kwb: [a_opl_bvm]}\n", encoding="utf-8")
    with pytest.raises(WijkkitInputError, match="a_opl_bvm"):
        load_catalogus(own)
