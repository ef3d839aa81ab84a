"""One writer per output format; :func:`geo_sites.export.write` picks one.

Each writer takes a GeoDataFrame in EPSG:4326, the path to write and the
layer name.  Column types are made explicit first (:func:`_typed`): dates
become ISO 8601 text, or UTC datetimes in a GeoPackage; mixed columns become
text; nullable integers stay integers.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

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

#: Decimals of longitude and latitude: 6 is about 10 cm, more than any report says.
COORDINATE_DECIMALS = 6
# The GeoPackage's last_change: fixed, so that the same input gives the same bytes.
_FIXED_TIME = "1970-01-01T00:00:00.000Z"


def _typed(frame: gpd.GeoDataFrame, *, dates: str) -> gpd.GeoDataFrame:
    """A copy with explicit column types; *dates* is ``"text"`` or ``"utc"``."""
    import pandas as pd

    out = frame.copy()
    for column in out.columns:
        if column == out.geometry.name:
            continue
        series = out[column]
        if isinstance(series.dtype, pd.DatetimeTZDtype) or series.dtype.kind == "M":
            out[column] = _dates(series, dates)
        elif series.dtype == object:
            out[column] = pd.array(
                [None if _missing(v) else v if isinstance(v, str) else str(v) for v in series],
                dtype=object,
            )
    return out


def _missing(value: Any) -> bool:
    import pandas as pd

    return value is None or (not isinstance(value, list | tuple | dict) and bool(pd.isna(value)))


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
    _gdal(_typed(frame, dates="text"), path, driver="GeoJSON",
          layer_options={"RFC7946": "YES", "WRITE_NAME": "NO",
                         "COORDINATE_PRECISION": COORDINATE_DECIMALS})  # fmt: skip


def write_geojsonseq(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """One GeoJSON feature a line; RFC 8142 record separators for ``.geojsons``."""
    _gdal(_typed(frame, dates="text"), path, driver="GeoJSONSeq",
          layer_options={"RS": "YES" if path.suffix.lower() == ".geojsons" else "NO",
                         "COORDINATE_PRECISION": COORDINATE_DECIMALS})  # fmt: skip


def write_gpkg(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """GeoPackage 1.2 with the QGIS style of the layer in ``layer_styles``."""
    from .style import qml_for, save_style

    _gdal(_typed(frame, dates="utc"), path, driver="GPKG", layer=layer,
          dataset_options={"VERSION": "1.2"}, geometry_type="Point",
          promote_to_multi=False)  # fmt: skip
    qml = qml_for(frame)
    if qml is not None:
        with sqlite3.connect(path) as connection:
            save_style(connection, layer, "geom", qml, _FIXED_TIME)
        connection.close()


def write_csv(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """CSV with ``lat``, ``lon`` (unless the table has them) and ``wkt`` columns."""
    typed = _typed(frame, dates="text")
    geometry = typed.geometry
    table = typed.drop(columns=geometry.name)
    points = ~(geometry.isna() | geometry.is_empty)
    if "lat" not in table.columns and "lon" not in table.columns:
        table["lat"] = geometry.y.where(points).round(COORDINATE_DECIMALS)
        table["lon"] = geometry.x.where(points).round(COORDINATE_DECIMALS)
    table["wkt"] = geometry.to_wkt(rounding_precision=COORDINATE_DECIMALS).where(points)
    cells = table.astype(object).where(table.notna(), None)
    try:
        with path.open("w", encoding="utf-8", newline="") as file:
            write_csv_rows(file, [str(c) for c in cells.columns],
                           cells.itertuples(index=False, name=None))  # fmt: skip
    except OSError as err:
        raise OutputError(f"{path.name}: cannot write it ({err.strerror})") from None


def write_kml(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """KML for Google Earth: placemarks named by the ``name`` column, described by the rest."""
    _gdal(_typed(frame, dates="text"), path, driver="LIBKML", layer=layer)
