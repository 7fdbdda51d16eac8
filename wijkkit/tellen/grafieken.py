"""Altair charts for tellen: a profile per gebied, trend small multiples, buurten compared.

Every chart carries a Dutch title and a subtitle with source and data years.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from wijkkit.charts import FONT_SIZE, GEBIED, OKABE_ITO, REFERENTIE, nl_number, style
from wijkkit.tellen.profiel import BAND_COLOURS, BAND_LIMITS, BAND_WORDS, NEUTRAL_COLOUR
from wijkkit.weergave import met_eenheid

OORDEEL = {2: "veel gunstiger", 1: "gunstiger", 0: "rond het gemiddelde", -1: "ongunstiger", -2: "veel ongunstiger"}
NEUTRAAL_OORDEEL = "geen oordeel (◆)"

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
    """Index per indicator, grouped by domain, against the bands of the reference (the 'overige cijfers' outside
    the catalogue have no theme and no direction: they are listed, not charted)."""
    data = profiel[profiel["domein"] != "overig"].dropna(subset=["index"]).copy()
    if data.empty:
        raise ValueError("Geen indicatoren met een index om te tonen.")
    naam = str(data["gebied_naam"].iloc[0])
    data["index_getoond"] = data["index"].clip(*INDEX_DOMAIN)
    data["kleur"] = [NEUTRAAL_OORDEEL if r == "neutraal" else OORDEEL[int(c)]
                     for r, c in zip(data["richting"], data["band_code"])]
    data["oordeel"] = [("neutraal: " if r == "neutraal" else "") + b
                       for r, b in zip(data["richting"], data["band"])]
    data["waarde_tekst"] = [f"{met_eenheid(nl_number(w, 0 if abs(w) >= 100 else 1), e)} ({int(j)})"
                            for w, e, j in zip(data["waarde"], data["eenheid"], data["jaar"])]
    data["beschrijving"] = [f"{label}: {tekst}, {oordeel}" + (f". {uitleg}" if isinstance(uitleg, str) and uitleg else "")
                            for label, tekst, oordeel, uitleg in zip(data["label"], data["waarde_tekst"],
                                                                     data["oordeel"], data["toelichting"])]
    bands = pd.DataFrame({"van": [INDEX_DOMAIN[0], *BAND_LIMITS], "tot": [*BAND_LIMITS, INDEX_DOMAIN[1]],
                          "code": [-2, -1, 0, 1, 2]})
    bands["label"] = bands["code"].map(BAND_WORDS)
    present = [label for label in [*OORDEEL.values(), NEUTRAAL_OORDEEL] if label in set(data["kleur"])]
    colours = {**{OORDEEL[c]: BAND_COLOURS[c] for c in OORDEEL}, NEUTRAAL_OORDEEL: NEUTRAL_COLOUR}
    colour_scale = alt.Scale(domain=present, range=[colours[label] for label in present])

    panels = []
    for domein_label, part in data.groupby("domein_label", sort=False):
        height = 28 * len(part) + 10
        y = alt.Y("label:N", sort=list(part["label"]), title=None, axis=alt.Axis(labelLimit=470))
        background = alt.Chart(bands).mark_rect(opacity=0.12, color="#999999", aria=False).encode(
            x=alt.X("van:Q", scale=alt.Scale(domain=INDEX_DOMAIN), title=None),
            x2="tot:Q").transform_filter(alt.datum.code % 2 == 0)
        rule = alt.Chart(pd.DataFrame({"x": [100]})).mark_rule(color="#333333", aria=False).encode(x="x:Q")
        points = alt.Chart(part).mark_point(filled=True, size=220, opacity=1, stroke="#333333",
                                            strokeWidth=1).encode(
            x=alt.X("index_getoond:Q", scale=alt.Scale(domain=INDEX_DOMAIN, clamp=True),
                    title=f"index ({referentie_label})"),
            y=y,
            color=alt.Color("kleur:N", scale=colour_scale, title="Vergeleken met de referentie",
                            legend=alt.Legend(orient="top", direction="horizontal", columns=3)),
            shape=alt.condition(alt.datum.richting == "neutraal", alt.value("diamond"), alt.value("circle")),
            description="beschrijving:N",
            tooltip=[alt.Tooltip("label:N", title="indicator"),
                     alt.Tooltip("waarde_tekst:N", title="waarde (jaar)"),
                     alt.Tooltip("index:Q", title="index", format=".0f"),
                     alt.Tooltip("oordeel:N", title="oordeel"),
                     alt.Tooltip("toelichting:N", title="toelichting")])
        labels = alt.Chart(part).mark_text(align="left", dx=12, fontSize=FONT_SIZE, color="#333333", aria=False).encode(
            x=alt.value(width + 8), y=y, text="waarde_tekst:N")
        panels.append(alt.layer(background, rule, points, labels)
                      .properties(width=width, height=max(height, 60),
                                  title=alt.TitleParams(domein_label, fontSize=FONT_SIZE + 2)))
    title = alt.TitleParams(
        f"Wijkprofiel {naam}",
        subtitle=[f"De zwarte lijn is 100: {referentie_label}. Blauw = gunstiger, rood = ongunstiger, grijs ◆ = geen "
                  "oordeel.", f"Bron: {_sources(data['bron'])}; cijfers uit {_years(data['jaar'])} (jaar staat bij "
                  "elk cijfer)."])
    return style(alt.vconcat(*panels, title=title, spacing=18))


def trend_chart(trend: pd.DataFrame, *, columns: int = 3) -> alt.FacetChart:
    """Small multiples: one panel per indicator; lines break at boundary changes.

    The gebied in focus is black in every chart. An indicator with one year only gets a dot, not a
    line; shares (%) are drawn from zero, other axes say when they do not start at zero.
    """
    data = trend[trend["status"] == "ok"].copy()
    if data.empty:
        raise ValueError("Geen cijfers om een trend van te tonen.")
    data["reeks"] = data["gebied_code"].astype(str) + "-" + data["segment"].astype(str)
    data["beschrijving"] = [f"{g} · {label} · {int(j)}: {nl_number(v, 0 if abs(v) >= 100 else 1)}"
                            for g, label, j, v in zip(data["gebied_naam"], data["label"], data["jaar"], data["waarde"])]
    years_per = data.groupby("label", observed=True)["jaar"].nunique()
    data["paneel"] = data["label"].astype(str) + " (as begint niet bij 0)"
    breaks = trend[trend["grenswijziging"]]
    share = data["eenheid"].astype(str).eq("%").all()
    # the gebied in focus black in every chart, the reference (the gemeente) grey, others after them
    order = data.drop_duplicates("gebied_code").assign(
        ref=lambda d: d["gebied_code"].astype(str).str.startswith("GM") & (d["gebied_code"].nunique() > 1))
    order = order.sort_values(["ref", "gebied_code"])
    names = [str(n) for n in order["gebied_naam"]]
    colours = [GEBIED if not r else REFERENTIE for r in order["ref"]]
    if len(names) > 2:
        colours = [GEBIED, *OKABE_ITO[:len(names) - 2], REFERENTIE][:len(names)] if order["ref"].any() else \
            [GEBIED, *OKABE_ITO][:len(names)]
    base = alt.Chart(data).encode(
        x=alt.X("jaar:O", title=None, axis=alt.Axis(labelAngle=0)),
        y=alt.Y("waarde:Q", title=None, scale=alt.Scale(zero=bool(share))),
        color=alt.Color("gebied_naam:N", title="Gebied", scale=alt.Scale(domain=names, range=colours),
                        legend=alt.Legend(orient="top")),
        detail="reeks:N",
        description="beschrijving:N",
        tooltip=[alt.Tooltip("gebied_naam:N", title="gebied"), alt.Tooltip("label:N", title="indicator"),
                 alt.Tooltip("jaar:O", title="jaar"), alt.Tooltip("waarde:Q", title="waarde", format=",.1f"),
                 alt.Tooltip("bron:N", title="bron")])
    marks = [base.mark_point(filled=True, size=110)]
    if (years_per > 1).any():
        marks.insert(0, base.mark_line(strokeWidth=3, aria=False))
    layered = alt.layer(*marks).properties(width=260, height=170)
    subtitle = [f"Bron: {_sources(data['bron'])}; jaren {_years(data['jaar'])}."]
    if (years_per == 1).all():
        subtitle.append("Van deze cijfers is er nog maar één jaar: een ontwikkeling is nog niet te zien.")
    if not breaks.empty:
        wijzigingen = ", ".join(sorted({f"{n} ({int(j)})" for n, j in zip(breaks['gebied_naam'], breaks['jaar'])}))
        subtitle.append(f"Grens gewijzigd: {wijzigingen}. De lijn is daar onderbroken: niet vergelijkbaar.")
    label_key = "label:N" if share else "paneel:N"
    chart = layered.facet(facet=alt.Facet(label_key, title=None, header=alt.Header(labelFontSize=FONT_SIZE,
                                                                                  labelLimit=300)),
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
    text = bars.mark_text(align="left", dx=4, fontSize=FONT_SIZE).encode(text=alt.Text("waarde:Q", format=",.1f"))
    rules = alt.Chart(refs).mark_rule(strokeWidth=2, strokeDash=[6, 3]).encode(
        x="waarde:Q", color=alt.Color("wie:N", title="Ter vergelijking",
                                      scale=alt.Scale(range=[OKABE_ITO[1], "#000000"]),
                                      legend=alt.Legend(orient="top")),
        tooltip=[alt.Tooltip("wie:N", title="gebied"), alt.Tooltip("waarde:Q", format=",.1f")])
    title = alt.TitleParams(f"{label}: buurten vergeleken",
                            subtitle=f"Bron: {_sources(sel['bron'])}, {jaar}.")
    return style(alt.layer(bars, text, rules).properties(width=480, height=32 * len(buurten), title=title))
