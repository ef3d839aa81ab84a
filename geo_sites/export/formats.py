"""One writer per output format; :func:`geo_sites.export.write` picks one.

Each writer takes a GeoDataFrame in EPSG:4326, the path to write and the
layer name.  Column types are made explicit first (:func:`_typed`): dates
become ISO 8601 text, or UTC datetimes in a GeoPackage; mixed columns become
text; nullable integers stay integers.
"""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cells import encodable, is_missing
from ..cells import write_csv as write_csv_rows
from ..exceptions import OutputError

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "check",
    "write_csv",
    "write_geojson",
    "write_geojsonseq",
    "write_gpkg",
    "write_kml",
]

log = logging.getLogger(__name__)

#: Decimals of longitude and latitude: 6 is about 10 cm, more than any report says.
COORDINATE_DECIMALS = 6
# The GeoPackage's last_change: fixed, so that the same input gives the same bytes.
_FIXED_TIME = "1970-01-01T00:00:00.000Z"


def _typed(frame: gpd.GeoDataFrame, *, dates: str) -> gpd.GeoDataFrame:
    """A copy with explicit column types; *dates* is ``"text"`` or ``"utc"``.

    Text that UTF-8 cannot hold (lone surrogates, in cells or column names)
    gets U+FFFD in their place (:func:`geo_sites.cells.encodable`).
    """
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        series = out[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype) or series.dtype.kind == "M":
            out[column] = _dates(series, dates)
        elif series.dtype == object or isinstance(series.dtype, pd.StringDtype):
            out[column] = pd.array(
                [None if is_missing(v) else encodable(v if isinstance(v, str) else str(v))
                 for v in series.tolist()],
                dtype=object,
            )  # fmt: skip
    return out.rename(columns=lambda name: encodable(name) if isinstance(name, str) else name)


def _valid_as_given(frame: gpd.GeoDataFrame, *, repair: bool = False) -> gpd.GeoDataFrame:
    """*frame*, its invalid geometries said on the log and, with *repair*, made valid.

    GIS formats hold invalid geometries (a self-intersecting polygon) as they
    are, as GDAL and QGIS do: they are the user's data, and QGIS's "Fix
    geometries" repairs them where the user decides.  KML cannot hold them,
    so for KML they are repaired with :func:`shapely.make_valid`.
    """
    import shapely

    geometry = frame.geometry
    invalid = (geometry.notna() & ~geometry.is_empty & ~geometry.is_valid).to_numpy()
    count = int(invalid.sum())
    if not count:
        return frame
    what = f"{count:,} invalid geometr{'y' if count == 1 else 'ies'}"
    first = f"row {int(invalid.argmax()) + 1:,}"  # counted from 1, as a user counts
    if not repair:
        log.warning("%s written as %s (the first: %s)", what,
                    "it is" if count == 1 else "they are", first)  # fmt: skip
        return frame
    log.warning("%s repaired for KML with shapely.make_valid (the first: %s)", what, first)
    import geopandas as gpd

    values = geometry.to_numpy().copy()
    values[invalid] = shapely.make_valid(values[invalid])
    repaired = frame.copy()
    repaired[geometry.name] = gpd.GeoSeries(values, index=frame.index, crs=frame.crs)
    return repaired


def _dates(series: pd.Series, dates: str) -> pd.Series:
    import pandas as pd

    utc = series.dt.tz_localize("UTC") if series.dt.tz is None else series.dt.tz_convert("UTC")
    if dates == "utc":
        return utc.astype("datetime64[ms, UTC]")
    only_days = bool((utc.dropna().dt.normalize() == utc.dropna()).all())
    pattern = "%Y-%m-%d" if only_days else "%Y-%m-%dT%H:%M:%SZ"
    return pd.Series([None if pd.isna(v) else v.strftime(pattern) for v in utc],
                     index=series.index, dtype=object)  # fmt: skip


def _gdal(frame: gpd.GeoDataFrame, path: Path, **options: Any) -> None:
    import pyogrio

    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": _FIXED_TIME})
    try:
        pyogrio.write_dataframe(frame, path, **options)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as err:
        raise OutputError(f"{path.name}: GDAL cannot write it ({err})") from None


def check(path: Path, layer: str | None, expected: int) -> None:
    """Read *path* back with GDAL: it (its *layer*) must open and hold *expected* features.

    Some drivers (LIBKML) write at close and report no error when that
    fails, so a cut-short file is found here, not by the writer.
    """
    import pyogrio

    try:
        found = pyogrio.read_info(path, layer=layer, force_feature_count=True)["features"]
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError, OSError) as err:
        raise OutputError(f"{path.name}: written but unreadable ({err})") from None
    if found != expected:
        raise OutputError(f"{path.name}: {found:,} of {expected:,} features written")


def write_geojson(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """RFC 7946 GeoJSON: WGS84 lon/lat, no crs member, 6 decimals."""
    _gdal(_typed(_valid_as_given(frame), dates="text"), path, driver="GeoJSON",
          layer_options={"RFC7946": "YES", "WRITE_NAME": "NO",
                         "COORDINATE_PRECISION": COORDINATE_DECIMALS})  # fmt: skip


def write_geojsonseq(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """One GeoJSON feature a line; RFC 8142 record separators for ``.geojsons``."""
    _gdal(_typed(_valid_as_given(frame), dates="text"), path, driver="GeoJSONSeq",
          layer_options={"RS": "YES" if path.suffix.lower() == ".geojsons" else "NO",
                         "COORDINATE_PRECISION": COORDINATE_DECIMALS})  # fmt: skip


def write_gpkg(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """GeoPackage 1.2 with the QGIS style of the layer in ``layer_styles``."""
    from .style import qml_for, save_style

    # The layer's declared type is the one its features have: GDAL's own choice
    # (Point, Polygon, MultiPolygon, or Geometry when they are mixed); Point when none has one.
    geometry = frame.geometry
    empty = bool((geometry.isna() | geometry.is_empty).all())
    _gdal(_typed(_valid_as_given(frame), dates="utc"), path, driver="GPKG", layer=layer,
          dataset_options={"VERSION": "1.2"}, geometry_type="Point" if empty else None)  # fmt: skip
    qml = qml_for(frame)
    if qml is not None:
        with sqlite3.connect(path) as connection:
            save_style(connection, layer, "geom", qml, _FIXED_TIME)
        connection.close()


def write_csv(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """CSV with ``lat``, ``lon`` (of points, unless the table has them) and ``wkt`` columns.

    The ``wkt`` column holds every geometry (as GDAL's CSV driver does with
    ``GEOMETRY=AS_WKT``); ``lat`` and ``lon`` are empty for lines and areas.
    """
    import shapely

    typed = _typed(_valid_as_given(frame), dates="text")
    geometry = typed.geometry
    table = typed.drop(columns=geometry.name)
    drawn = ~(geometry.isna() | geometry.is_empty)
    points = drawn & (geometry.geom_type == "Point")
    if "lat" not in table.columns and "lon" not in table.columns:
        table["lat"] = shapely.get_y(geometry.where(points).to_numpy()).round(COORDINATE_DECIMALS)
        table["lon"] = shapely.get_x(geometry.where(points).to_numpy()).round(COORDINATE_DECIMALS)
    table["wkt"] = geometry.to_wkt(rounding_precision=COORDINATE_DECIMALS).where(drawn)
    cells = table.astype(object).where(table.notna(), None)
    try:
        with path.open("w", encoding="utf-8", newline="") as file:
            write_csv_rows(file, [str(c) for c in cells.columns],
                           cells.itertuples(index=False, name=None))  # fmt: skip
    except OSError as err:
        raise OutputError(f"{path.name}: cannot write it ({err.strerror})") from None


def write_kml(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """KML for Google Earth: placemarks named by the ``name`` column, described by the rest."""
    _gdal(_typed(_valid_as_given(frame, repair=True), dates="text"), path, driver="LIBKML",
          layer=layer)  # fmt: skip
