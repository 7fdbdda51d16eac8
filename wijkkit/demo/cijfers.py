"""The demo project: fictional gemeente Lindehoven (GM9999), 3 wijken, 14 buurten, 2020-2024.

Run ``wijkkit demo cijfers`` (or ``python -m wijkkit.demo.cijfers``) to regenerate ``data/kwb-YYYY.xlsx``,
``data/gemeente-veiligheid.csv`` and ``data/gemeente-bewonersonderzoek.csv``. The seed is fixed, so the files are identical on every
machine; they are committed so nobody needs to run this to use the demo.

The files follow the real KWB layout: the same 121 columns in the same order, counts
rounded to 5 at wijk and buurt level, '.' where CBS has no figure (yet), and the
pattern of the real files in which the newest year still lacks income and housing.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

SEED = 20261123
JAREN = range(2020, 2025)
GEMEENTE = ("GM9999", "Lindehoven")

KWB_COLUMNS = [
    "gwb_code_10", "gwb_code_8", "regio", "gm_naam", "recs", "gwb_code", "ind_wbi", "a_inw", "a_man",
    "a_vrouw", "a_00_14", "a_15_24", "a_25_44", "a_45_64", "a_65_oo", "a_ongeh", "a_gehuwd", "a_gesch",
    "a_verwed", "a_nl_all", "a_eur_al", "a_neu_al", "a_geb_nl", "a_geb_eu", "a_geb_ne", "a_gbl_eu",
    "a_gbl_ne", "a_geb", "p_geb", "a_ste", "p_ste", "a_hh", "a_1p_hh", "a_hh_z_k", "a_hh_m_k", "g_hhgro",
    "bev_dich", "a_woning", "g_wozbag", "p_1gezw", "p_mgezw", "p_bewndw", "p_leegsw", "p_koopw",
    "p_huurw", "p_wcorpw", "p_ov_hw", "p_e_o_w", "p_bjj2k", "p_bjo2k", "g_ele", "g_ele_ap", "g_ele_tw",
    "g_ele_hw", "g_ele_2w", "g_ele_vw", "g_ele_hu", "g_ele_ko", "g_gas", "g_gas_ap", "g_gas_tw",
    "g_gas_hw", "g_gas_2w", "g_gas_vw", "g_gas_hu", "g_gas_ko", "p_stadsv", "a_opl_lg", "a_opl_md",
    "a_opl_hg", "p_arb_pp", "p_arb_wn", "p_arb_zs", "a_inkont", "g_ink_po", "g_ink_pi", "p_ink_li",
    "p_ink_hi", "g_hh_sti", "p_hh_li", "p_hh_hi", "p_hh_lkk", "p_hh_osm", "p_hh_110", "p_hh_120",
    "m_hh_ver", "a_soz_wb", "a_soz_ao", "a_soz_ww", "a_soz_ow", "a_jz_tn", "p_jz_tn", "a_wmo_t",
    "p_wmo_t", "a_bedv", "a_bed_a", "a_bed_bf", "a_bed_gi", "a_bed_hj", "a_bed_kl", "a_bed_mn",
    "a_bed_oq", "a_bed_ru", "a_pau", "a_bst_b", "a_bst_nb", "g_pau_hh", "g_pau_km", "a_m2w", "g_afs_hp",
    "g_afs_gs", "g_afs_kv", "g_afs_sc", "g_3km_sc", "a_opp_ha", "a_lan_ha", "a_wat_ha", "pst_mvp",
    "pst_dekp", "ste_mvs", "ste_oad",
]
# Blocks CBS publishes later than the rest: '.' in the newest files (as in the real 2023/2024 files).
LATE_2023 = {"g_ele", "g_ele_ap", "g_ele_tw", "g_ele_hw", "g_ele_2w", "g_ele_vw", "g_ele_hu", "g_ele_ko",
             "g_gas", "g_gas_ap", "g_gas_tw", "g_gas_hw", "g_gas_2w", "g_gas_vw", "g_gas_hu", "g_gas_ko",
             "p_stadsv", "a_opl_lg", "a_opl_md", "a_opl_hg", "p_arb_pp", "p_arb_wn", "p_arb_zs",
             "a_inkont", "g_ink_po", "g_ink_pi", "p_ink_li", "p_ink_hi", "g_hh_sti", "p_hh_li", "p_hh_hi",
             "p_hh_lkk", "p_hh_osm", "p_hh_110", "p_hh_120", "m_hh_ver", "a_jz_tn", "p_jz_tn", "a_wmo_t",
             "p_wmo_t", "g_afs_hp", "g_afs_gs", "g_afs_kv", "g_afs_sc", "g_3km_sc", "pst_mvp", "pst_dekp"}
LATE_2024 = LATE_2023 | {
    "a_geb", "p_geb", "a_ste", "p_ste", "bev_dich", "a_woning", "g_wozbag", "p_1gezw", "p_mgezw",
    "p_bewndw", "p_leegsw", "p_koopw", "p_huurw", "p_wcorpw", "p_ov_hw", "p_e_o_w", "p_bjj2k", "p_bjo2k",
    "a_soz_wb", "a_soz_ao", "a_soz_ww", "a_soz_ow", "a_bedv", "a_bed_a", "a_bed_bf", "a_bed_gi",
    "a_bed_hj", "a_bed_kl", "a_bed_mn", "a_bed_oq", "a_bed_ru", "a_pau", "a_bst_b", "a_bst_nb",
    "g_pau_hh", "g_pau_km", "a_m2w", "a_opp_ha", "a_lan_ha", "a_wat_ha"}
SMALL_AREA = 200  # CBS leaves percentages and incomes empty ('.') for very small buurten


@dataclass(frozen=True)
class Buurt:
    code: str
    naam: str
    inwoners: int
    huur: float  # share of rented homes, %
    corporatie: float  # share of corporation homes, %
    inkomen: float  # mean income per inwoner, x 1.000 euro
    jong: float  # share 0-14, %
    oud: float  # share 65+, %
    alleen: float  # share one-person households, %
    bijstand: float  # per 1.000 inwoners
    opp_ha: int
    trend: float = 0.0  # yearly drift of the social indicators (+ = improving)
    grens_2022: bool = False  # boundary changed in 2022 (ind_wbi = 3)


WIJKEN = {
    "WK999901": "Wijk 01 Centrum",
    "WK999902": "Wijk 02 Rietveld",
    "WK999903": "Wijk 03 Lindenhof",
}
BUURTEN = [
    Buurt("BU99990101", "Oude Haven", 2450, 62, 24, 33.5, 9, 14, 62, 31, 38),
    Buurt("BU99990102", "Marktkwartier", 1980, 58, 18, 36.0, 8, 12, 66, 22, 29),
    Buurt("BU99990103", "Stationsbuurt", 3120, 71, 35, 29.8, 11, 9, 58, 44, 52, trend=0.6),
    Buurt("BU99990104", "Bolwerk", 1540, 40, 12, 41.2, 13, 19, 44, 12, 35),
    Buurt("BU99990105", "Bedrijventerrein De Vaart", 85, 60, 0, 30.0, 5, 5, 70, 20, 96),
    Buurt("BU99990201", "Rietveld-Noord", 4310, 88, 71, 21.4, 22, 11, 41, 96, 61, trend=0.8),
    Buurt("BU99990202", "Rietveld-Zuid", 3870, 84, 66, 22.9, 20, 14, 45, 81, 57, trend=-0.7),
    Buurt("BU99990203", "Het Gors", 2760, 79, 58, 24.6, 18, 16, 47, 63, 44, grens_2022=True),
    Buurt("BU99990204", "Kanaalzone", 1920, 91, 74, 20.1, 24, 8, 39, 104, 33, trend=1.0),
    Buurt("BU99990301", "Lindenhof-Oost", 3380, 24, 10, 39.7, 17, 21, 26, 9, 88),
    Buurt("BU99990302", "Lindenhof-West", 2990, 31, 14, 37.9, 19, 17, 29, 14, 81),
    Buurt("BU99990303", "Kersenbogerd", 2240, 18, 6, 44.3, 15, 26, 24, 6, 73, trend=-0.3),
    Buurt("BU99990304", "Molenpark", 1650, 45, 28, 33.1, 14, 22, 35, 24, 42),
    Buurt("BU99990305", "Polderzicht", 1130, 12, 4, 46.8, 21, 13, 19, 4, 121),
]


def _r5(x: float) -> int:
    return int(5 * round(x / 5))


def buurt_values(b: Buurt, jaar: int, rng: np.random.Generator) -> dict:
    """All KWB cells for one buurt in one year (before '.' is applied)."""
    t = jaar - 2020
    drift = b.trend * t
    noise = lambda scale: float(rng.normal(0, scale))  # noqa: E731
    inw = b.inwoners * (1 + 0.006 * t) * (1.08 if b.grens_2022 and jaar >= 2022 else 1.0) + noise(15)
    jong, oud = b.jong + noise(0.3), b.oud + 0.25 * t + noise(0.3)
    a = {"a_inw": inw, "a_00_14": inw * jong / 100, "a_65_oo": inw * oud / 100}
    a["a_15_24"] = inw * (0.14 + noise(0.005))
    a["a_25_44"] = inw * (0.30 + noise(0.01))
    a["a_45_64"] = inw - a["a_00_14"] - a["a_65_oo"] - a["a_15_24"] - a["a_25_44"]
    a["a_man"] = inw * 0.495
    a["a_vrouw"] = inw - a["a_man"]
    a["a_ongeh"], a["a_gehuwd"] = inw * 0.55, inw * 0.32
    a["a_gesch"], a["a_verwed"] = inw * 0.09, inw - inw * 0.96
    nl = 0.75 - b.corporatie / 200
    a["a_nl_all"] = a["a_geb_nl"] = inw * nl
    a["a_eur_al"], a["a_neu_al"] = inw * (1 - nl) * 0.3, inw * (1 - nl) * 0.7
    a["a_geb_eu"], a["a_geb_ne"] = a["a_eur_al"] * 0.4, a["a_neu_al"] * 0.45
    a["a_gbl_eu"], a["a_gbl_ne"] = a["a_eur_al"] * 0.6, a["a_neu_al"] * 0.55
    a["a_geb"], a["a_ste"] = inw * (0.009 + jong / 2000), inw * oud / 1800
    hhgro = 1.55 + jong / 40 - b.alleen / 150
    a["a_hh"] = inw / hhgro
    a["a_1p_hh"] = a["a_hh"] * (b.alleen + noise(0.5)) / 100
    a["a_hh_m_k"] = a["a_hh"] * min(60, jong * 1.6) / 100
    a["a_hh_z_k"] = a["a_hh"] - a["a_1p_hh"] - a["a_hh_m_k"]
    a["a_woning"] = a["a_hh"] * 1.04
    ink = b.inkomen * (1 + 0.03 * t) + drift * 0.3
    a["a_opl_lg"] = inw * 0.8 * max(8, 45 - ink) / 100
    a["a_opl_hg"] = inw * 0.8 * min(70, ink * 1.3) / 100
    a["a_opl_md"] = inw * 0.8 - a["a_opl_lg"] - a["a_opl_hg"]
    a["a_inkont"] = inw * 0.78
    bijstand = max(2.0, b.bijstand - 2.2 * drift + noise(1.5))
    a["a_soz_wb"] = inw * bijstand / 1000
    a["a_soz_ao"] = inw * (bijstand * 0.6 + 18) / 1000
    a["a_soz_ww"] = inw * (bijstand * 0.06 + 5) / 1000
    a["a_soz_ow"] = a["a_65_oo"] * 1.05
    a["a_jz_tn"] = a["a_00_14"] * (0.06 + bijstand / 2000)
    a["a_wmo_t"] = inw * (0.04 + oud / 900)
    commercial = b.naam.startswith(("Markt", "Oude", "Bedrijven"))
    bedv = inw * (0.06 + (0.07 if commercial else 0.0)) + (40 if commercial else 0)
    a["a_bedv"] = bedv
    for code, share in zip(("a_bed_a", "a_bed_bf", "a_bed_gi", "a_bed_hj", "a_bed_kl", "a_bed_mn",
                            "a_bed_oq", "a_bed_ru"), (0.002, 0.08, 0.17, 0.1, 0.06, 0.3, 0.18, 0.108)):
        a[code] = bedv * share
    a["a_pau"] = a["a_hh"] * (0.45 + ink / 90)
    a["a_bst_b"], a["a_bst_nb"] = a["a_pau"] * 0.72, a["a_pau"] * 0.28
    a["a_m2w"] = a["a_pau"] * 0.06
    a["a_opp_ha"] = b.opp_ha
    a["a_wat_ha"] = round(b.opp_ha * 0.05)
    a["a_lan_ha"] = b.opp_ha - a["a_wat_ha"]
    counts = {k: _r5(max(0.0, v)) if k not in ("a_opp_ha", "a_lan_ha", "a_wat_ha") else int(v)
              for k, v in a.items()}
    counts["a_inw"] = _r5(inw)

    g = {
        "p_geb": round(a["a_geb"] / inw * 1000), "p_ste": round(a["a_ste"] / inw * 1000),
        "g_hhgro": round(hhgro, 1), "bev_dich": round(inw / (b.opp_ha / 100)),
        "g_wozbag": round(180 + ink * 7.5 - b.corporatie + 9 * t),
        "p_1gezw": round(max(5, 75 - b.huur * 0.7)), "p_bewndw": round(95 - b.corporatie / 40),
        "p_leegsw": round(3 + b.huur / 40 + noise(0.4)), "p_koopw": round(100 - b.huur),
        "p_huurw": round(b.huur), "p_wcorpw": round(b.corporatie), "p_ov_hw": round(b.huur - b.corporatie),
        "p_e_o_w": 0, "p_bjj2k": round(70 + b.corporatie / 5), "g_ele": round(2100 + ink * 20),
        "g_gas": round(700 + ink * 12), "p_stadsv": round(b.corporatie / 3),
        "p_arb_pp": round(min(80, 48 + ink * 0.6 + drift), 1), "p_arb_zs": round(8 + ink / 5, 1),
        "g_ink_po": round(ink * 1.28, 1), "g_ink_pi": round(ink, 1),
        "p_ink_li": round(max(12, 70 - ink * 1.2 - drift)), "p_ink_hi": round(min(45, ink * 0.6)),
        "g_hh_sti": round(ink * 1.05, 1), "p_hh_li": round(max(10, 75 - ink * 1.3 - drift)),
        "p_hh_hi": round(min(45, ink * 0.55)), "p_hh_lkk": round(max(3, 25 - ink * 0.5 - drift / 2), 1),
        "p_hh_osm": round(max(4, 30 - ink * 0.6 - drift / 2)), "p_hh_110": round(max(3, 22 - ink * 0.45)),
        "p_hh_120": round(max(4, 26 - ink * 0.5)), "m_hh_ver": round(max(2, ink * 3 - 50)),
        "g_afs_hp": round(0.4 + b.opp_ha / 300, 1), "g_afs_gs": round(0.3 + b.opp_ha / 250, 1),
        "g_afs_kv": round(0.3 + b.opp_ha / 400, 1), "g_afs_sc": round(0.4 + b.opp_ha / 350, 1),
        "g_3km_sc": round(14 - b.opp_ha / 20, 1), "g_pau_hh": round(0.45 + ink / 90, 1),
        "g_pau_km": round(a["a_pau"] / (b.opp_ha / 100)), "pst_mvp": 9990 + int(b.code[-3:-2]),
        "pst_dekp": 1 if b.huur > 60 else 2, "ste_mvs": 1 if inw / b.opp_ha > 40 else 2,
        "ste_oad": round(inw / b.opp_ha * 55),
    }
    g["p_mgezw"] = 100 - g["p_1gezw"]
    g["p_bjo2k"] = 100 - g["p_bjj2k"]
    g["p_arb_wn"] = round(100 - g["p_arb_zs"], 1)
    g["p_jz_tn"] = round(a["a_jz_tn"] / max(1, a["a_00_14"] + a["a_15_24"]) * 100, 1)
    g["p_wmo_t"] = round(a["a_wmo_t"] / inw * 1000)
    for suffix, factor in (("ap", 0.7), ("tw", 1.1), ("hw", 1.0), ("2w", 1.15), ("vw", 1.4),
                           ("hu", 0.85), ("ko", 1.2)):
        g[f"g_ele_{suffix}"] = round(g["g_ele"] * factor)
        g[f"g_gas_{suffix}"] = round(g["g_gas"] * factor)
    return {**counts, **g}


WEIGHTS = {"g_hhgro": "a_hh", "g_wozbag": "a_woning", "m_hh_ver": "a_hh", "g_hh_sti": "a_hh"}


def aggregate(rows: list[dict], opp_ha: int) -> dict:
    """A wijk or gemeente row: counts summed, other figures weighted by inwoners (or woningen)."""
    out = {}
    for key in rows[0]:
        values = [r[key] for r in rows]
        if key.startswith("a_"):
            out[key] = sum(values)
        elif key in ("pst_mvp", "pst_dekp", "ste_mvs"):
            out[key] = values[0]
        else:
            weight = [r[WEIGHTS.get(key, "a_woning" if key.startswith("p_") and key[2:] in
                                    ("koopw", "huurw", "wcorpw", "ov_hw", "1gezw", "mgezw") else "a_inw")]
                      for r in rows]
            total = sum(weight) or 1
            mean = sum(v * w for v, w in zip(values, weight)) / total
            out[key] = round(mean, 1) if any(isinstance(v, float) for v in values) else round(mean)
    out["bev_dich"] = round(out["a_inw"] / (opp_ha / 100))
    return out


def build_rows(jaar: int) -> list[dict]:
    """All rows (gemeente, wijken, buurten) of the KWB file for one year, as CBS orders them."""
    rng = np.random.default_rng([SEED, jaar])
    per_buurt = {b.code: buurt_values(b, jaar, rng) for b in BUURTEN}
    late = LATE_2024 if jaar == 2024 else LATE_2023 if jaar == 2023 else set()
    rows = []

    def row(code, naam, recs, values, wbi=1):
        cells = {"gwb_code_10": code, "gwb_code_8": code[2:].lstrip("0") if recs == "Gemeente" else code[2:],
                 "regio": naam, "gm_naam": GEMEENTE[1], "recs": recs, "gwb_code": code, "ind_wbi": wbi}
        for column in KWB_COLUMNS[7:]:
            value = values.get(column, ".")
            if column in late:
                value = "."
            cells[column] = value
        return cells

    all_buurten = [per_buurt[b.code] for b in BUURTEN]
    rows.append(row(GEMEENTE[0], GEMEENTE[1], "Gemeente", aggregate(all_buurten, sum(b.opp_ha for b in BUURTEN))))
    for wijk_code, wijk_naam in WIJKEN.items():
        members = [b for b in BUURTEN if b.code[2:8] == wijk_code[2:]]
        wijk_values = aggregate([per_buurt[b.code] for b in members], sum(b.opp_ha for b in members))
        wijk_values = {k: _r5(v) if k.startswith("a_") and not k.endswith("_ha") else v
                       for k, v in wijk_values.items()}
        changed = any(b.grens_2022 for b in members) and jaar == 2022
        rows.append(row(wijk_code, wijk_naam, "Wijk", wijk_values, 3 if changed else 1))
        for b in members:
            values = per_buurt[b.code]
            if values["a_inw"] < SMALL_AREA:
                values = {k: (v if k.startswith("a_") else ".") for k, v in values.items()}
            rows.append(row(b.code, b.naam, "Buurt", values, 3 if b.grens_2022 and jaar == 2022 else 1))
    return rows


def write_kwb(path: Path, rows: list[dict], jaar: int) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"kwb-{jaar}"
    sheet.append(KWB_COLUMNS)
    for r in rows:
        sheet.append([r[c] for c in KWB_COLUMNS])
    workbook.properties.creator = "wijkkit demo"
    workbook.properties.created = workbook.properties.modified = datetime(2026, 1, 1)
    buffer = io.BytesIO()
    workbook.save(buffer)
    _write_stable_zip(buffer.getvalue(), path)


def _write_stable_zip(data: bytes, path: Path) -> None:
    """Rewrite the xlsx zip with fixed entry times so the same seed gives the same bytes."""
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            content = source.read(item.filename)
            if item.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2026-01-01T00:00:00Z", content)
            target.writestr(info, content)


def write_veiligheid(path: Path) -> None:
    """A municipal file (own format) with safety figures per buurt and year."""
    rng = np.random.default_rng([SEED, 1])
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["buurtcode", "buurtnaam", "jaar", "woninginbraken_per_1000",
                         "overlastmeldingen_per_1000", "geweld_per_1000"])
        for jaar in JAREN:
            t = jaar - 2020
            rows = []
            for b in BUURTEN:
                base = b.bijstand / 20
                rows.append((b, (max(0.5, 2 + base * 0.3 - 0.1 * t + rng.normal(0, 0.3)),
                                 max(2.0, 15 + base * 4 - b.trend * t * 2 + rng.normal(0, 1.5)),
                                 max(0.5, 3 + base * 0.8 + rng.normal(0, 0.4)))))
            write_area_rows(writer, jaar, rows)


def write_area_rows(writer, jaar: int, rows: list[tuple[Buurt, tuple]]) -> None:
    """One year of a municipal file: gemeente and wijk rows (weighted by inwoners), then the buurten."""
    areas = [(GEMEENTE[0], GEMEENTE[1], rows)] + [
        (code, naam, [(b, v) for b, v in rows if b.code[2:8] == code[2:]]) for code, naam in WIJKEN.items()]
    for code, naam, members in areas:
        weights = np.array([b.inwoners for b, _ in members], dtype=float)
        means = np.average(np.array([v for _, v in members]), axis=0, weights=weights)
        writer.writerow([code, naam, jaar, *(_nl(v) for v in means)])
    for b, values in rows:
        writer.writerow([b.code, b.naam, jaar, *(_nl(v) for v in values)])


def _nl(value: float) -> str:
    """Dutch decimal comma, as municipal exports usually have."""
    return f"{value:.1f}".replace(".", ",")


# Survey scores (1-10) per buurt: who feels at home and connected. Designed so that the
# figures sometimes contradict the stories (Lindenhof scores well on cohesion, yet its
# stories are about loneliness; Rietveld-Noord scores low, yet its stories praise neighbours).
SAMENHANG = {"BU99990101": 6.4, "BU99990102": 6.1, "BU99990103": 5.6, "BU99990104": 7.0, "BU99990201": 5.2,
             "BU99990202": 5.5, "BU99990203": 5.9, "BU99990204": 5.3, "BU99990301": 7.6, "BU99990302": 7.3,
             "BU99990303": 7.8, "BU99990304": 6.8, "BU99990305": 7.5}


def write_bewonersonderzoek(path: Path) -> None:
    """A municipal resident survey (own format, two-yearly), with gemeente and wijk rows."""
    rng = np.random.default_rng([SEED, 2])
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["buurtcode", "buurtnaam", "jaar", "samenhang_score", "thuisgevoel_score"])
        for jaar in (2021, 2023):
            rows = []
            for b in BUURTEN:
                if b.code not in SAMENHANG:
                    continue  # too few respondents in the business park
                base = SAMENHANG[b.code] + (0.1 if jaar == 2023 else 0.0)
                rows.append((b, (base + rng.normal(0, 0.1), base + 0.4 + rng.normal(0, 0.15))))
            write_area_rows(writer, jaar, rows)


# Seed points of the fictional buurten (RD New metres), so the map reads like a small town:
# Centrum by the harbour in the west, Rietveld in the middle, Lindenhof in the east.
PLEKKEN = {"BU99990101": (150200, 451900), "BU99990102": (150900, 452500), "BU99990103": (151100, 451500),
           "BU99990104": (150500, 450900), "BU99990105": (149700, 450500), "BU99990201": (152000, 452700),
           "BU99990202": (152100, 451800), "BU99990203": (152700, 451000), "BU99990204": (151700, 450600),
           "BU99990301": (153400, 452600), "BU99990302": (153600, 451700), "BU99990303": (154300, 452300),
           "BU99990304": (153300, 450700), "BU99990305": (154400, 451000)}


def write_geometry(path: Path) -> None:
    """Synthetic buurt polygons (Voronoi cells in a town outline, drawn in RD New), written as GeoJSON."""
    import geopandas as gpd
    from shapely import MultiPoint, Point, voronoi_polygons

    outline = Point(152050, 451600).buffer(2700).intersection(
        MultiPoint(list(PLEKKEN.values())).convex_hull.buffer(650, quad_segs=4))
    cells = voronoi_polygons(MultiPoint(list(PLEKKEN.values())), extend_to=outline.buffer(2000))
    rows = []
    for code, (x, y) in PLEKKEN.items():
        cell = next(c for c in cells.geoms if c.contains(Point(x, y)))
        buurt = next(b for b in BUURTEN if b.code == code)
        rows.append({"buurtcode": code, "buurtnaam": buurt.naam, "wijkcode": "WK" + code[2:8],
                     "geometry": cell.intersection(outline).simplify(5)})
    from shapely import set_precision

    frame = gpd.GeoDataFrame(rows, crs="EPSG:28992").to_crs(4326)  # GeoJSON is WGS84 (RFC 7946)
    frame["geometry"] = set_precision(frame.geometry.values, 1e-6)
    path.write_text(frame.to_json(drop_id=True), encoding="utf-8")


def generate(data_dir: str | Path = "data") -> list[Path]:
    data_dir = Path(data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for jaar in JAREN:
        path = data_dir / f"kwb-{jaar}.xlsx"
        write_kwb(path, build_rows(jaar), jaar)
        written.append(path)
    veiligheid = data_dir / "gemeente-veiligheid.csv"
    write_veiligheid(veiligheid)
    onderzoek = data_dir / "gemeente-bewonersonderzoek.csv"
    write_bewonersonderzoek(onderzoek)
    kaart = data_dir / "lindehoven-buurten.geojson"
    write_geometry(kaart)
    return [*written, veiligheid, onderzoek, kaart]


if __name__ == "__main__":
    for p in generate():
        print(p)
