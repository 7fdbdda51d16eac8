"""Read a buurtkaart (CBS/PDOK wijk- en buurtkaart: GeoPackage, GeoJSON or shapefile) into shapes per gebied.

A source like the CBS files, so it lives with them: the map (:mod:`wijkkit.verbinden.kaart`), the schouw (placing
a point in its buurt) and ``wijkkit init`` (finding the code column) all read it from here. Any year, RD New or
WGS84, wijk or buurt level; only the project's gemeente is read from a national file.
"""

from __future__ import annotations

import re
from pathlib import Path

from wijkkit.errors import Probleem, WijkkitInputError, bestandsnaam

CODE_COLUMNS = ("buurtcode", "wijkcode", "gwb_code", "statcode", "bu_code", "wk_code", "code")
NAME_COLUMNS = ("buurtnaam", "wijknaam", "regio", "statnaam", "bu_naam", "wk_naam", "naam")
RD_BOUNDS = (-7_000, 289_000, 300_000, 629_000)  # RD New (EPSG:28992) around the Netherlands


def read_geometry(path: str | Path, code: str | None = "buurtcode", naam: str | None = None,
                  gemeente: str | None = None):
    """A GeoDataFrame with gebied_code, gebied_naam and geometry in WGS84, ready for Vega-Lite.

    Takes what CBS and PDOK publish (GeoPackage, GeoJSON, shapefile; RD New or WGS84; wijk or
    buurt level): the code and name columns are found when the configured ones are absent, a file
    in RD coordinates without a declared coordinate system is recognised and reprojected (the
    warning says so), and every ring is turned clockwise, the way Vega-Lite's projection expects
    (counter-clockwise rings are painted as "everything outside": one filled square).
    ``frame.attrs["waarschuwingen"]`` holds the Dutch warnings. With ``gemeente`` only that gemeente's shapes
    are read (a national buurtkaart holds 14,000 of them; the filter runs in the file's own driver).
    """
    import geopandas as gpd

    path = Path(path)
    warnings: list[str] = []
    try:
        frame = gpd.read_file(path, where=_gemeente_filter(path, code, gemeente))
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


def _gemeente_filter(path: Path, code: str | None, gemeente: str | None) -> str | None:
    """An OGR SQL filter for one gemeente's codes (GM0361 keeps BU0361…, WK0361…), or None to read all."""
    if not gemeente:
        return None
    import pyogrio

    try:
        fields = [str(f) for f in pyogrio.read_info(path)["fields"]]
    except Exception:  # the full read below says what is wrong with the file
        return None
    lower = {f.casefold(): f for f in fields}
    column = code if code in fields else next((lower[c] for c in CODE_COLUMNS if c in lower), None)
    if column is None or not re.fullmatch(r"\w+", column):
        return None
    return f"SUBSTR({column}, 3, 4) = '{gemeente[2:6]}'"


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
