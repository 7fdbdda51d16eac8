"""Buurtkaart: a choropleth of the gemeente's buurten, or a tile grid when there is no geometry.

Geometry comes from the user's GeoJSON or GeoPackage (read with geopandas and reprojected to
WGS84, so RD New files from the municipality work as they are). Without one, every buurt is a
square tile, one row per wijk: the picture is less familiar but shows the same colours.
Clicking a gebied selects it (``selectie``), so a dashboard can drill down.
"""

from __future__ import annotations

from pathlib import Path

import altair as alt
import pandas as pd

from wijkkit.charts import style
from wijkkit.errors import Probleem, WijkkitInputError

SELECTIE = "gebied_keuze"
GEEN = "#d9d9d9"


def read_geometry(path: str | Path, code: str = "buurtcode", naam: str | None = None):
    """A GeoDataFrame with columns gebied_code, (gebied_naam,) geometry in WGS84."""
    import geopandas as gpd

    path = Path(path)
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises its own types for every driver problem
        raise WijkkitInputError(Probleem(str(path), "een GeoJSON- of GeoPackage-bestand met buurtvlakken",
                                         gevonden=str(exc).splitlines()[0])) from None
    if code not in frame.columns:
        raise WijkkitInputError(Probleem(str(path), f"een kolom {code!r} met buurt- of wijkcodes", kolom=code,
                                         gevonden=", ".join(c for c in frame.columns if c != "geometry")))
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    out = frame.rename(columns={code: "gebied_code", **({naam: "gebied_naam"} if naam else {})})
    out["gebied_code"] = out["gebied_code"].astype(str).str.strip()
    return out[[c for c in ("gebied_code", "gebied_naam", "geometry") if c in out.columns]]


def tile_positions(codes: list[str]) -> pd.DataFrame:
    """A grid position per gebied: one row per wijk, buurten left to right in code order."""
    frame = pd.DataFrame({"gebied_code": sorted(codes)})
    frame["wijk"] = "WK" + frame["gebied_code"].str[2:8]
    frame["rij"] = frame.groupby("wijk", sort=True).ngroup()
    frame["kolom"] = frame.groupby("wijk").cumcount()
    return frame


def _color(field: str, title: str, domain: tuple[float, float, float]) -> alt.Color:
    return alt.Color(f"{field}:Q", title=title,
                     scale=alt.Scale(scheme="purpleorange", domainMid=domain[1], domain=[domain[0], domain[2]],
                                     reverse=True),
                     legend=alt.Legend(orient="bottom", gradientLength=260, titleLimit=500))


def buurtkaart(values: pd.DataFrame, *, waarde: str, titel: str, legenda: str, geometry=None,
               domein: tuple[float, float, float] = (60, 100, 140), gekozen: str | list[str] | None = None,
               ondertitel: str = "", tooltip: list | None = None, breedte: int = 520, hoogte: int = 380) -> alt.Chart:
    """Colour each gebied by ``values[waarde]`` (gebied_code, gebied_naam, waarde, tekst columns).

    ``waarde`` must point the favourable way up (purple) and the unfavourable way down (orange),
    with ``domein`` = (low, middle, high), as in the wijkprofiel's bands.

    Missing values are grey with the reason in the tooltip (``tekst``); ``gekozen`` gets a
    thick outline. A point selection named ``gebied_keuze`` carries a click back to Python.
    """
    data = values.copy()
    data["tekst"] = data.get("tekst", data[waarde].map(lambda v: "" if pd.isna(v) else f"{v:.0f}"))
    chosen = [gekozen] if isinstance(gekozen, str) else list(gekozen or [])
    data["gekozen"] = data["gebied_code"].isin(chosen)
    select = alt.selection_point(name=SELECTIE, fields=["gebied_code"], on="click", clear=False)
    tooltip = tooltip or [alt.Tooltip("gebied_naam:N", title="gebied"), alt.Tooltip("tekst:N", title=legenda)]
    color = _color(waarde, legenda, domein)
    stroke = alt.condition("datum.gekozen", alt.value("#000000"), alt.value("#ffffff"))
    width = alt.condition("datum.gekozen", alt.value(4), alt.value(1))
    if geometry is not None:
        merged = geometry.merge(data.drop(columns=["gebied_naam"], errors="ignore"), on="gebied_code", how="left")
        if "gebied_naam" not in merged:
            merged["gebied_naam"] = merged["gebied_code"]
        # Altair lifts GeoDataFrame columns to top-level fields, so encodings stay the same
        # a grey base for every gebied (clickable), the coloured layer only where there is a value
        base = alt.Chart(merged).encode(stroke=stroke, strokeWidth=width, tooltip=tooltip)
        points = merged.geometry.representative_point()
        names = pd.DataFrame({"lon": points.x, "lat": points.y, "label": merged["gebied_naam"].str.replace(" ", "|", n=1),
                              waarde: merged[waarde]})
        strong = (f"isValid(datum['{waarde}']) && abs(datum['{waarde}'] - {domein[1]}) > "
                  f"{0.6 * (domein[2] - domein[1])}")  # dark areas get white text
        labels = alt.Chart(names).mark_text(fontSize=11, lineBreak="|").encode(
            longitude="lon:Q", latitude="lat:Q", text="label:N",
            color=alt.condition(strong, alt.value("#ffffff"), alt.value("#000000")))
        chart = alt.layer(base.mark_geoshape(fill=GEEN).add_params(select),
                          base.mark_geoshape().encode(color=color), labels).project("mercator")
        labels = None
    else:
        grid = tile_positions(list(data["gebied_code"])).merge(data, on="gebied_code")
        base = alt.Chart(grid).encode(x=alt.X("kolom:O", axis=None), y=alt.Y("rij:O", axis=None))
        tiles = base.encode(stroke=stroke, strokeWidth=width, tooltip=tooltip)
        chart = alt.layer(tiles.mark_rect(cornerRadius=4, fill=GEEN).add_params(select),
                          tiles.mark_rect(cornerRadius=4).encode(color=color))
        strong = (f"isValid(datum['{waarde}']) && abs(datum['{waarde}'] - {domein[1]}) > "
                  f"{0.6 * (domein[2] - domein[1])}")  # dark tiles get white text
        labels = base.mark_text(fontSize=12, lineBreak="|").encode(
            text=alt.Text("label:N"), color=alt.condition(strong, alt.value("#ffffff"), alt.value("#000000")))
        grid["label"] = grid["gebied_naam"].str.replace(" ", "|", n=1)
        base.data = grid
    layer = chart if labels is None else alt.layer(chart, labels)
    title = alt.TitleParams(titel, subtitle=ondertitel or "Klik op een gebied om het te kiezen. Grijs: geen gegevens.")
    return style(layer.properties(width=breedte, height=hoogte, title=title))
