"""Altair charts for tellen: a profile per gebied, trend small multiples, buurten compared.

Every chart carries a Dutch title and a subtitle with source and data years.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from wijkkit.charts import OKABE_ITO, nl_number, style
from wijkkit.tellen.profiel import BAND_COLOURS, BAND_LIMITS, NEUTRAL_COLOUR, BAND_WORDS

INDEX_DOMAIN = (0, 200)


def _years(values) -> str:
    years = sorted({int(y) for y in values if pd.notna(y)})
    if not years:
        return "geen"
    return str(years[0]) if len(years) == 1 else f"{years[0]}–{years[-1]}"


def _sources(values) -> str:
    names = sorted({str(s) for s in values if pd.notna(s)})
    # "CBS Kerncijfers wijken en buurten 2023" + "... 2024" read better as one line
    cbs = [n for n in names if n.startswith("CBS Kerncijfers wijken en buurten")]
    others = [n for n in names if n not in cbs]
    parts = (["CBS Kerncijfers wijken en buurten"] if cbs else []) + others
    return "; ".join(parts)


def profiel_chart(profiel: pd.DataFrame, *, referentie_label: str = "gemeente = 100",
                  width: int = 520) -> alt.VConcatChart:
    """Index per indicator, grouped by domain, against the bands of the reference."""
    data = profiel.dropna(subset=["index"]).copy()
    if data.empty:
        raise ValueError("Geen indicatoren met een index om te tonen.")
    naam = str(data["gebied_naam"].iloc[0])
    data["index_getoond"] = data["index"].clip(*INDEX_DOMAIN)
    data["kleur"] = [NEUTRAL_COLOUR if r == "neutraal" else BAND_COLOURS[int(c)]
                     for r, c in zip(data["richting"], data["band_code"])]
    data["oordeel"] = [("neutraal: " if r == "neutraal" else "") + b
                       for r, b in zip(data["richting"], data["band"])]
    data["waarde_tekst"] = [f"{nl_number(w, 0 if abs(w) >= 100 else 1)} {e} ({int(j)})"
                            for w, e, j in zip(data["waarde"], data["eenheid"], data["jaar"])]
    bands = pd.DataFrame({"van": [INDEX_DOMAIN[0], *BAND_LIMITS], "tot": [*BAND_LIMITS, INDEX_DOMAIN[1]],
                          "code": [-2, -1, 0, 1, 2]})
    bands["label"] = bands["code"].map(BAND_WORDS)
    colour_scale = alt.Scale(domain=list(dict.fromkeys(data["kleur"])), range=list(dict.fromkeys(data["kleur"])))

    panels = []
    for domein_label, part in data.groupby("domein_label", sort=False):
        height = 28 * len(part) + 10
        y = alt.Y("label:N", sort=list(part["label"]), title=None, axis=alt.Axis(labelLimit=330))
        background = alt.Chart(bands).mark_rect(opacity=0.12, color="#999999").encode(
            x=alt.X("van:Q", scale=alt.Scale(domain=INDEX_DOMAIN), title=None),
            x2="tot:Q").transform_filter(alt.datum.code % 2 == 0)
        rule = alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(color="#333333").encode(x="x:Q")
        points = alt.Chart(part).mark_point(filled=True, size=220, opacity=1, stroke="#333333",
                                            strokeWidth=1).encode(
            x=alt.X("index_getoond:Q", scale=alt.Scale(domain=INDEX_DOMAIN, clamp=True),
                    title=f"index ({referentie_label})"),
            y=y,
            color=alt.Color("kleur:N", scale=colour_scale, legend=None),
            shape=alt.condition(alt.datum.richting == "neutraal", alt.value("diamond"), alt.value("circle")),
            tooltip=[alt.Tooltip("label:N", title="indicator"),
                     alt.Tooltip("waarde_tekst:N", title="waarde (jaar)"),
                     alt.Tooltip("index:Q", title="index", format=".0f"),
                     alt.Tooltip("oordeel:N", title="oordeel"),
                     alt.Tooltip("toelichting:N", title="toelichting")])
        labels = alt.Chart(part).mark_text(align="left", dx=12, fontSize=12, color="#333333").encode(
            x=alt.value(width + 8), y=y, text="waarde_tekst:N")
        panels.append(alt.layer(background, rule, points, labels)
                      .properties(width=width, height=height, title=alt.TitleParams(domein_label, fontSize=15)))
    title = alt.TitleParams(
        f"Wijkprofiel {naam}",
        subtitle=[f"Index: {referentie_label}. Paars = gunstiger, oranje = ongunstiger, grijs ◆ = geen oordeel.",
                  f"Bron: {_sources(data['bron'])}; cijfers uit {_years(data['jaar'])} (jaar staat bij elk cijfer)."])
    return style(alt.vconcat(*panels, title=title, spacing=18))


def trend_chart(trend: pd.DataFrame, *, columns: int = 3) -> alt.FacetChart:
    """Small multiples: one panel per indicator, a line per gebied; lines break at boundary changes."""
    data = trend[trend["status"] == "ok"].copy()
    if data.empty:
        raise ValueError("Geen cijfers om een trend van te tonen.")
    data["reeks"] = data["gebied_code"].astype(str) + "-" + data["segment"].astype(str)
    breaks = trend[trend["grenswijziging"]]
    base = alt.Chart(data).encode(
        x=alt.X("jaar:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("waarde:Q", title=None, scale=alt.Scale(zero=False)),
        color=alt.Color("gebied_naam:N", title="Gebied", scale=alt.Scale(range=OKABE_ITO),
                        legend=alt.Legend(orient="top")),
        detail="reeks:N",
        tooltip=[alt.Tooltip("gebied_naam:N", title="gebied"), alt.Tooltip("label:N", title="indicator"),
                 alt.Tooltip("jaar:O", title="jaar"), alt.Tooltip("waarde:Q", title="waarde", format=",.1f"),
                 alt.Tooltip("bron:N", title="bron")])
    layered = alt.layer(base.mark_line(strokeWidth=3), base.mark_point(filled=True, size=70)).properties(
        width=230, height=150)
    subtitle = [f"Bron: {_sources(data['bron'])}; jaren {_years(data['jaar'])}."]
    if not breaks.empty:
        wijzigingen = ", ".join(sorted({f"{n} ({int(j)})" for n, j in zip(breaks['gebied_naam'], breaks['jaar'])}))
        subtitle.append(f"Grens gewijzigd: {wijzigingen}. De lijn is daar onderbroken: niet vergelijkbaar.")
    chart = layered.facet(facet=alt.Facet("label:N", title=None, header=alt.Header(labelFontSize=13, labelLimit=260)),
                          columns=columns).resolve_scale(y="independent")
    return style(chart.properties(title=alt.TitleParams("Ontwikkeling door de jaren", subtitle=subtitle)))


def buurten_chart(df: pd.DataFrame, wijk_code: str, indicator: str, *, label: str | None = None,
                  jaar: int | None = None) -> alt.LayerChart:
    """The buurten of one wijk side by side for one indicator, with wijk and gemeente as lines."""
    sel = df[(df["indicator"] == indicator) & (df["status"] == "ok")]
    jaar = jaar or int(sel[sel["gebied_code"].astype(str).str.startswith("BU" + wijk_code[2:])]["jaar"].max())
    sel = sel[sel["jaar"] == jaar]
    codes = sel["gebied_code"].astype(str)
    buurten = sel[codes.str.startswith("BU" + wijk_code[2:])].copy()
    if buurten.empty:
        raise ValueError(f"Geen cijfers voor de buurten van {wijk_code} in {jaar}.")
    refs = sel[codes.isin([wijk_code, "GM" + wijk_code[2:6]])].copy()
    refs["wie"] = refs["gebied_naam"].astype(str)
    for frame in (buurten, refs):
        frame["gebied_naam"] = frame["gebied_naam"].astype(str)
        frame["bron"] = frame["bron"].astype(str)
    label = label or indicator
    bars = alt.Chart(buurten).mark_bar(color=OKABE_ITO[0]).encode(
        x=alt.X("waarde:Q", title=f"{label} ({buurten['eenheid'].astype(str).iloc[0] or 'waarde'})"),
        y=alt.Y("gebied_naam:N", sort="-x", title=None, axis=alt.Axis(labelLimit=260)),
        tooltip=[alt.Tooltip("gebied_naam:N", title="buurt"), alt.Tooltip("waarde:Q", title="waarde", format=",.1f")])
    text = bars.mark_text(align="left", dx=4, fontSize=12).encode(text=alt.Text("waarde:Q", format=",.1f"))
    rules = alt.Chart(refs).mark_rule(strokeWidth=2, strokeDash=[6, 3]).encode(
        x="waarde:Q", color=alt.Color("wie:N", title="Ter vergelijking",
                                      scale=alt.Scale(range=[OKABE_ITO[1], "#000000"]),
                                      legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("wie:N", title="gebied"), alt.Tooltip("waarde:Q", format=",.1f")])
    title = alt.TitleParams(f"{label}: buurten vergeleken",
                            subtitle=f"Bron: {_sources(sel['bron'])}, {jaar}.")
    return style(alt.layer(bars, text, rules).properties(width=480, height=32 * len(buurten), title=title))
