"""Buurtkaart: a choropleth zoomed to the wijk in focus, or a sorted bar list without geometry.

Geometry comes from the user's GeoJSON or GeoPackage (read with geopandas and reprojected to
WGS84, so RD New files from the municipality work as they are). A city of 100+ buurten is
never drawn as one heap of labels: the map shows the gebieden in focus large, the rest as
lighter context, and prints a name only where it fits. Without shapes the gebieden in focus
are a sorted bar list. Every mark names itself (``description``), so a page can make it
clickable and show names on hover.
"""

from __future__ import annotations

import re

import altair as alt
import numpy as np
import pandas as pd

from wijkkit.charts import FONT_SIZE, GEBIED, GEEN_GEGEVENS, GUNSTIG, ONGUNSTIG, ROND, style
from wijkkit.tellen.buurtkaart import (  # noqa: F401  (the reader moved down to the sources; read here too)
    CODE_COLUMNS, NAME_COLUMNS, RD_BOUNDS, clockwise, read_geometry)
from wijkkit.weergave import getal as nl_number


def matching(geometry, codes: list[str], namen: dict[str, str] | None = None) -> list[str]:
    """Dutch sentences on what does not line up: gebieden without a shape, shapes without figures."""
    namen = namen or {}
    shapes = set(geometry["gebied_code"])
    wanted = set(codes)
    lines = []
    missing = sorted(wanted - shapes)
    if missing:
        shown = ", ".join(namen.get(c, c) for c in missing[:8]) + (" …" if len(missing) > 8 else "")
        lines.append(f"{len(missing)} gebieden hebben geen vlak in het kaartbestand: {shown}.")
    extra = sorted(shapes - wanted)
    if extra:
        lines.append(f"{len(extra)} vlakken in het kaartbestand horen bij geen gebied met cijfers "
                     f"({', '.join(extra[:8])}{' …' if len(extra) > 8 else ''}).")
    return lines


def buurtkaart(values: pd.DataFrame, *, waarde: str, titel: str, legenda: str, geometry=None,
               domein: tuple[float, float, float] = (60, 100, 140), kleuren: tuple[str, str, str] | None = None,
               focus: list[str] | None = None, gekozen: str | list[str] | None = None, ondertitel: str | list = "",
               breedte: int = 560, hoogte: int = 420, punten: pd.DataFrame | None = None) -> alt.TopLevelMixin:
    """Colour each gebied by ``values[waarde]`` (columns gebied_code, gebied_naam, waarde, tekst).

    ``waarde`` points the favourable way up, with ``domein`` = (low, middle, high) and
    ``kleuren`` the colours of low, middle and high (default: the figures' red to blue).
    With ``geometry`` the map is zoomed to the ``focus`` gebieden (say the buurten of one wijk),
    the rest drawn lighter as context; names are printed only where they fit, and every shape
    names itself on hover. Without geometry the gebieden in focus become a sorted bar list,
    which stays readable for a city of 100+ buurten. Each mark's description ends in
    ``[CODE]``, which the dashboard's map widget turns into a click. ``punten`` (lat, lon, niveau, beschrijving)
    are straatschouw points drawn on the shapes, coloured by their CROW level.
    """
    data = values.copy()
    if "tekst" not in data:
        data["tekst"] = data[waarde].map(lambda v: "geen gegevens" if pd.isna(v) else nl_number(v, 0))
    chosen = [gekozen] if isinstance(gekozen, str) else list(gekozen or [])
    data["gekozen"] = data["gebied_code"].isin(chosen)
    kleuren = kleuren or (ONGUNSTIG[-2], ROND, GUNSTIG[2])
    if geometry is None:
        chart = _staafkaart(data, waarde, legenda, domein, kleuren, focus, breedte)
    else:
        chart = _vlakkenkaart(data, waarde, legenda, domein, kleuren, geometry, focus, breedte, hoogte, punten)
    regels = [ondertitel] if isinstance(ondertitel, str) else list(ondertitel)
    if breedte < SMAL:  # on a phone a long title would make the drawing wider than the map, and so shrink it
        import textwrap

        titel = textwrap.wrap(titel, width=max(20, breedte // 11)) or titel
    title = alt.TitleParams(titel, subtitle=[r for r in regels if r] or "")
    return style(chart.properties(title=title))


def _description(data: pd.DataFrame) -> list[str]:
    return [f"{n}: {t} [{c}]" for n, t, c in zip(data["gebied_naam"], data["tekst"], data["gebied_code"])]


SMAL = 400  # a map narrower than this is drawn for a phone: its title wraps, its legend fits the width


def _colour(waarde: str, legenda: str, domein, kleuren, *, legend: bool = True, breedte: int = 560) -> alt.Color:
    return alt.Color(f"{waarde}:Q", title=legenda, scale=alt.Scale(domain=list(domein), range=list(kleuren)),
                     legend=alt.Legend(orient="bottom", gradientLength=min(300, breedte - 60),
                                       titleLimit=min(600, breedte), direction="horizontal")
                     if legend else None)


def _geen_gegevens_legend() -> alt.Color:
    return alt.Color("geen:N", title=None, scale=alt.Scale(domain=["geen gegevens"], range=[GEEN_GEGEVENS]),
                     legend=alt.Legend(orient="bottom"))


def _vlakkenkaart(data, waarde, legenda, domein, kleuren, geometry, focus, breedte, hoogte,
                  punten=None) -> alt.LayerChart:
    names = dict(zip(data["gebied_code"], data["gebied_naam"]))
    merged = geometry.merge(data.drop(columns=["gebied_naam"], errors="ignore"), on="gebied_code", how="left")
    own = merged["gebied_naam"] if "gebied_naam" in merged else pd.Series(None, index=merged.index)
    # a gebied without a name in the file gets the name from the figures, else its code (never "null")
    merged["gebied_naam"] = own.where(own.notna() & (own.astype(str) != ""),
                                      merged["gebied_code"].map(names)).fillna(merged["gebied_code"]).astype(str)
    merged["tekst"] = merged["tekst"].fillna("geen gegevens")
    merged["gekozen"] = merged["gekozen"].fillna(False).astype(bool)
    merged["beschrijving"] = _description(merged)
    merged["geen"] = "geen gegevens"
    in_focus = merged["gebied_code"].isin(focus) if focus else pd.Series(True, index=merged.index)
    if not in_focus.any():
        in_focus[:] = True
    shown, context = merged[in_focus], merged[~in_focus]
    valid = f"isValid(datum['{waarde}'])"
    layers = []
    if len(context):
        # the rest of the gemeente, lighter: where the wijk lies, and a click away
        ctx = alt.Chart(context).encode(description="beschrijving:N")
        layers += [ctx.mark_geoshape(clip=True, fill=GEEN_GEGEVENS, opacity=0.25, stroke="#ffffff", strokeWidth=1),
                   ctx.mark_geoshape(clip=True, opacity=0.3, stroke="#ffffff", strokeWidth=1)
                   .encode(color=_colour(waarde, legenda, domein, kleuren, legend=False)).transform_filter(valid)]
    base = alt.Chart(shown).encode(description="beschrijving:N")
    layers += [base.mark_geoshape(stroke="#4D4D4D", strokeWidth=1).encode(color=_geen_gegevens_legend()),
               base.mark_geoshape(stroke="#4D4D4D", strokeWidth=1)
               .encode(color=_colour(waarde, legenda, domein, kleuren, breedte=breedte)).transform_filter(valid)]
    if shown["gekozen"].any():
        layers.append(alt.Chart(shown[shown["gekozen"]]).mark_geoshape(filled=False, stroke=GEBIED, strokeWidth=4))
    labels = _fitting_labels(shown, breedte, hoogte)
    if len(labels):
        labels = labels.merge(pd.DataFrame(shown[["gebied_code", waarde]]), on="gebied_code")
        dark = _dark_fill(waarde, domein, kleuren)
        layers.append(alt.Chart(labels).mark_text(fontSize=FONT_SIZE, lineBreak="|").encode(
            longitude="lon:Q", latitude="lat:Q", text="label:N",
            color=alt.condition(dark, alt.value("#ffffff"), alt.value("#000000"))))
    if punten is not None and len(punten):
        layers.append(_schouwpunten(punten))
    fit = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": geom.__geo_interface__} for geom in shown.geometry]}
    return (alt.layer(*layers).project(type="mercator", fit=fit)
            .resolve_scale(color="independent").properties(width=breedte, height=hoogte))


def _schouwpunten(punten: pd.DataFrame) -> alt.Chart:
    """Straatschouw points: green at CROW A+ to red at D, outlined so they stand out on any fill."""
    from wijkkit.kijken.onderdelen import NIVEAUS

    return alt.Chart(punten[["lat", "lon", "niveau", "beschrijving"]]).mark_point(
        filled=True, size=90, stroke="#1a1a1a", strokeWidth=1, opacity=1, shape="circle").encode(
        longitude="lon:Q", latitude="lat:Q", description="beschrijving:N",
        color=alt.Color("niveau:O", title="Schouw (CROW, laagste onderdeel)",
                        scale=alt.Scale(domain=list(NIVEAUS), range=list(SCHOUW_KLEUREN)),
                        legend=alt.Legend(orient="top", direction="horizontal", titleLimit=320)))


SCHOUW_KLEUREN = ("#1a9850", "#91cf60", "#d9ef8b", "#fc8d59", "#d73027")  # A+ .. D, ColorBrewer RdYlGn


def _dark_fill(waarde: str, domein, kleuren) -> str:
    """Where a shape's fill is dark enough for white type: near an end of the scale whose colour is dark
    (both ends of red-blue, only the high end of a light-to-dark scale)."""
    def dark(colour: str) -> bool:
        r, g, b = (int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.45

    low, middle, high = domein
    sides = []
    if dark(kleuren[0]):
        sides.append(f"datum['{waarde}'] < {middle - 0.6 * (middle - low)}")
    if dark(kleuren[2]):
        sides.append(f"datum['{waarde}'] > {middle + 0.6 * (high - middle)}")
    return f"isValid(datum['{waarde}']) && ({' || '.join(sides) or 'false'})"


def _fitting_labels(shapes, breedte: int, hoogte: int) -> pd.DataFrame:
    """Names of the shapes big enough on screen to hold them (the rest name themselves on hover).

    The map is fitted to these shapes, so the pixel size of each follows from the Mercator
    extent of them all; a name fits when its longest line (DejaVu Sans, about 0.6 em per
    character) and its lines' height fit in the shape's box with a margin.
    """
    from shapely.ops import polylabel

    def mercator(lon, lat):
        return np.radians(lon), np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))

    minx, miny, maxx, maxy = shapes.total_bounds
    x0, y0 = mercator(minx, miny)
    x1, y1 = mercator(maxx, maxy)
    scale = min(breedte / max(x1 - x0, 1e-9), hoogte / max(y1 - y0, 1e-9))
    rows = []
    for code, naam, geom in zip(shapes["gebied_code"], shapes["gebied_naam"], shapes.geometry):
        part = max(getattr(geom, "geoms", [geom]), key=lambda g: g.area)
        bx0, by0, bx1, by1 = part.bounds
        px0, py0 = mercator(bx0, by0)
        px1, py1 = mercator(bx1, by1)
        width, height = (px1 - px0) * scale, (py1 - py0) * scale
        # a name breaks after a space or a hyphen ("Lindenhof-|Oost", "Vechtzoom-|noord, Klopvaart")
        words = re.findall(r"\S+?(?:-(?=\S)|\s+|$)", str(naam))
        half = (len(words) + 1) // 2
        two = ["".join(words[:half]).strip(), "".join(words[half:]).strip()]
        for candidate in ([str(naam)], two) if len(words) > 1 else ([str(naam)],):
            text_w = max(len(line) for line in candidate) * 0.6 * FONT_SIZE
            text_h = len(candidate) * 1.25 * FONT_SIZE
            if text_w <= 0.85 * width and text_h <= 0.65 * height:
                point = polylabel(part, tolerance=(bx1 - bx0) / 100)
                rows.append({"gebied_code": code, "lon": point.x, "lat": point.y, "label": "|".join(candidate)})
                break
    return pd.DataFrame(rows, columns=["gebied_code", "lon", "lat", "label"])


def _staafkaart(data, waarde, legenda, domein, kleuren, focus, breedte) -> alt.LayerChart:
    """Without shapes: the gebieden in focus as bars from the middle, most favourable on top."""
    shown = data[data["gebied_code"].isin(focus)] if focus else data
    shown = shown.sort_values(waarde, ascending=False, na_position="last").copy()
    shown["beschrijving"] = _description(shown)
    shown["midden"], shown["laag"], shown["hoog"] = domein[1], domein[0], domein[2]
    shown["geen"] = "geen gegevens"
    y = alt.Y("gebied_naam:N", sort=list(shown["gebied_naam"]), title=None, axis=alt.Axis(labelLimit=300))
    base = alt.Chart(shown).encode(y=y, description="beschrijving:N")
    x_scale = alt.Scale(domain=[domein[0], domein[2]], clamp=True)
    row = base.mark_bar(color="#F7F7F7").encode(x=alt.X("laag:Q", scale=x_scale, title=legenda), x2="hoog:Q")
    missing = (base.mark_bar(height=6).encode(x="laag:Q", x2="hoog:Q", color=_geen_gegevens_legend())
               .transform_filter(f"!isValid(datum['{waarde}'])"))
    bars = (base.mark_bar(stroke="#4D4D4D", strokeWidth=1)
            .encode(x=f"{waarde}:Q", x2="midden:Q", color=_colour(waarde, legenda, domein, kleuren))
            .transform_filter(f"isValid(datum['{waarde}'])"))
    # a value right at the middle has no bar: a tick shows it is there
    ticks = (base.mark_tick(color="#1a1a1a", thickness=3, size=26).encode(x=f"{waarde}:Q")
             .transform_filter(f"isValid(datum['{waarde}'])"))
    middle = alt.Chart(pd.DataFrame({"x": [domein[1]]})).mark_rule(color="#333333", strokeWidth=2).encode(x="x:Q")
    chosen = (base.mark_text(text="◀ gekozen", align="left", dx=8, fontWeight="bold").encode(x="hoog:Q")
              .transform_filter("datum.gekozen"))
    return (alt.layer(row, missing, bars, ticks, middle, chosen).resolve_scale(color="independent")
            .properties(width=max(min(breedte - 420, 640), 260), height=alt.Step(34)))
