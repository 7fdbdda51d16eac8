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
from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam

SELECTIE = "gebied_keuze"
GEEN = "#d9d9d9"


CODE_COLUMNS = ("buurtcode", "wijkcode", "gwb_code", "statcode", "bu_code", "wk_code", "code")
NAME_COLUMNS = ("buurtnaam", "wijknaam", "regio", "statnaam", "bu_naam", "wk_naam", "naam")
RD_BOUNDS = (-7_000, 289_000, 300_000, 629_000)  # RD New (EPSG:28992) around the Netherlands


def read_geometry(path: str | Path, code: str | None = "buurtcode", naam: str | None = None):
    """A GeoDataFrame with gebied_code, gebied_naam and geometry in WGS84, ready for Vega-Lite.

    Takes what CBS and PDOK publish (GeoPackage, GeoJSON, shapefile; RD New or WGS84; wijk or
    buurt level): the code and name columns are found when the configured ones are absent, a file
    in RD coordinates without a declared coordinate system is recognised and reprojected (the
    warning says so), and every ring is turned clockwise, the way Vega-Lite's projection expects
    (counter-clockwise rings are painted as "everything outside": one filled square).
    ``frame.attrs["waarschuwingen"]`` holds the Dutch warnings.
    """
    import geopandas as gpd

    path = Path(path)
    warnings: list[str] = []
    try:
        frame = gpd.read_file(path)
    except Exception as exc:  # pyogrio raises its own types for every driver problem
        raise WijkkitInputError(Probleem(bestandsnaam(path), "een GeoJSON-, GeoPackage- of shapefile-bestand met "
                                         "buurt- of wijkvlakken", gevonden=str(exc).splitlines()[0][:80])) from None
    columns = {c.casefold(): c for c in frame.columns if c != "geometry"}
    code_col = code if code in frame.columns else None
    if code_col is None and code in (None, "buurtcode"):  # not configured: find the usual CBS/PDOK column
        code_col = next((columns[c] for c in CODE_COLUMNS if c in columns), None)
    if code_col is None:
        raise WijkkitInputError(Probleem(bestandsnaam(path), f"een kolom met buurt- of wijkcodes ({code or 'buurtcode'})",
                                         kolom=code, gevonden=", ".join(list(columns.values())[:8])))
    naam_col = naam if naam in frame.columns else next((columns[c] for c in NAME_COLUMNS if c in columns), None)
    if frame.crs is None or _degrees_claimed_but_metres(frame):
        # GeoJSON is WGS84 by definition, so a reader assumes it even for a file full of RD metres
        frame = _guess_crs(frame, bestandsnaam(path), warnings)
    if frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    out = frame.rename(columns={code_col: "gebied_code", **({naam_col: "gebied_naam"} if naam_col else {})})
    out["gebied_code"] = out["gebied_code"].astype(str).str.strip().str.upper()
    if "gebied_naam" in out:
        out["gebied_naam"] = out["gebied_naam"].where(out["gebied_naam"].notna(), None)
    out = out[out.geometry.notna() & ~out.geometry.is_empty]
    out["geometry"] = out.geometry.map(clockwise)
    out = out[[c for c in ("gebied_code", "gebied_naam", "geometry") if c in out.columns]].reset_index(drop=True)
    out.attrs["waarschuwingen"] = warnings
    return out


def _degrees_claimed_but_metres(frame) -> bool:
    minx, miny, maxx, maxy = frame.total_bounds
    return frame.crs.to_epsg() == 4326 and (abs(minx) > 180 or abs(maxx) > 180 or abs(miny) > 90 or abs(maxy) > 90)


def _guess_crs(frame, bestand: str, warnings: list[str]):
    """No coordinate system declared: RD New if the numbers are metres in the Netherlands, else WGS84."""
    minx, miny, maxx, maxy = frame.total_bounds
    if RD_BOUNDS[0] <= minx and maxx <= RD_BOUNDS[2] and RD_BOUNDS[1] <= miny and maxy <= RD_BOUNDS[3]:
        warnings.append(f"{bestand} noemt geen coördinatenstelsel; de getallen zijn meters in Nederland, dus is "
                        "het gelezen als RD New (EPSG:28992) en omgerekend.")
        return frame.set_crs(28992, allow_override=True)
    if -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90:
        return frame.set_crs(4326, allow_override=True)
    raise WijkkitInputError(Probleem(bestand, "coördinaten in RD New (EPSG:28992) of in graden (WGS84), of een "
                                     "bestand dat zijn coördinatenstelsel noemt",
                                     gevonden=f"x {minx:.0f}…{maxx:.0f}, y {miny:.0f}…{maxy:.0f}"))


def clockwise(geometry):
    """Every exterior ring clockwise, every hole counter-clockwise (Vega-Lite's spherical convention)."""
    from shapely.geometry import MultiPolygon, Polygon
    from shapely.geometry.polygon import orient

    if isinstance(geometry, Polygon):
        return orient(geometry, sign=-1.0)
    if isinstance(geometry, MultiPolygon):
        return MultiPolygon([orient(part, sign=-1.0) for part in geometry.geoms])
    return geometry


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
        names = dict(zip(data["gebied_code"], data["gebied_naam"])) if "gebied_naam" in data else {}
        merged = geometry.merge(data.drop(columns=["gebied_naam"], errors="ignore"), on="gebied_code", how="left")
        own = merged["gebied_naam"] if "gebied_naam" in merged else pd.Series(None, index=merged.index)
        # a buurt without a name in the file gets the name from the figures, else its code (never "null")
        merged["gebied_naam"] = own.where(own.notna() & (own.astype(str) != ""),
                                          merged["gebied_code"].map(names)).fillna(merged["gebied_code"])
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
