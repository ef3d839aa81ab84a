"""One writer per output format; :func:`geo_sites.export.write` picks the one
:mod:`geo_sites.formats` names.

Each writer takes a GeoDataFrame in EPSG:4326, the path to write and the
layer name.  Column types are made explicit first (:func:`_typed`): dates
become ISO 8601 text, or UTC datetimes in a GeoPackage; mixed columns become
text; nullable integers stay integers.
"""

from __future__ import annotations

import gc
import logging
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cells import encodable, is_missing, neutralise
from ..cells import write_csv as write_csv_rows
from ..exceptions import InvalidInputError, OutputError
from ..formats import Format, shapefile_names

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "check",
    "save_workbook",
    "write_csv",
    "write_fgb",
    "write_geojson",
    "write_geojsonseq",
    "write_gpkg",
    "write_kml",
    "write_parquet",
    "write_shp",
    "write_xlsx",
    "xlsx_cell",
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


def check(path: Path, kind: Format, layer: str | None, expected: int) -> None:
    """Read *path* back: it (its *layer*) must open and hold *expected* features.

    Some drivers (LIBKML) write at close and report no error when that
    fails, so a cut-short file is found here, not by the writer.  CSV and
    XLSX are written by Python, which reports every failure.
    """
    if kind.name == "parquet":
        import pyarrow.parquet

        try:
            found = pyarrow.parquet.read_metadata(path).num_rows
        except (OSError, ValueError) as err:
            raise OutputError(f"{path.name}: written but unreadable ({err})") from None
    elif kind.driver is None:
        return
    else:
        import pyogrio

        try:
            found = pyogrio.read_info(path, layer=layer if kind.name in ("gpkg", "kml") else None,
                                      force_feature_count=True)["features"]  # fmt: skip
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


def write_fgb(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """FlatGeobuf, without a spatial index: rows keep their order, rows without a place stay."""
    _gdal(_typed(_valid_as_given(frame), dates="text"), path, driver="FlatGeobuf",
          layer_options={"SPATIAL_INDEX": "NO"}, geometry_type=_declared(frame))  # fmt: skip


def write_parquet(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """GeoParquet (geometry as WKB), written by geopandas with pyarrow; dates stay dates."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InvalidInputError(
            "writing GeoParquet needs pyarrow: pip install 'geo-sites[parquet]'"
        ) from None
    typed = _typed(_valid_as_given(frame), dates="utc")
    try:
        typed.to_parquet(path, index=False, compression="zstd", schema_version="1.0.0")
    except OSError as err:
        raise OutputError(f"{path.name}: cannot write it ({err})") from None


#: The bytes a DBF text field holds.
_DBF_TEXT_BYTES = 254


def write_shp(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """A Shapefile with its ``.shx``, ``.dbf``, ``.prj`` and a ``.cpg`` that says UTF-8.

    Field names are shortened to 10 bytes (:func:`geo_sites.formats.shapefile_names`);
    text longer than a DBF field holds (254 bytes) is cut, and a warning says
    where.  A Shapefile holds one type of geometry: points, lines or areas.
    """
    import pandas as pd

    geometry = frame.geometry
    drawn = geometry[geometry.notna() & ~geometry.is_empty]
    families = sorted({t.removeprefix("Multi") for t in drawn.geom_type.unique()})
    if len(families) > 1:
        raise InvalidInputError(
            f"{path.name}: a Shapefile holds one type of geometry, and this layer has "
            f"{' and '.join(families)}; write a GeoPackage"
        )
    typed = _typed(_valid_as_given(frame), dates="text")
    cut: dict[str, int] = {}
    for column in typed.columns:
        values = typed[column].tolist() if column != typed.geometry.name else []
        long = sum(isinstance(v, str) and len(v.encode("utf-8")) > _DBF_TEXT_BYTES for v in values)
        if long:
            cut[column] = long
            typed[column] = pd.array([_cut_text(v) if isinstance(v, str) else v for v in values],
                                     dtype=object)  # fmt: skip
    if cut:
        log.warning("%s: text longer than a Shapefile holds (254 bytes) cut in %s; a "
                    "GeoPackage keeps it whole", path.name,
                    ", ".join(f"{n:,} cells of {c}" for c, n in cut.items()))  # fmt: skip
    short = shapefile_names(c for c in typed.columns if c != typed.geometry.name)
    typed = typed.rename(columns=short)
    _gdal(typed, path, driver="ESRI Shapefile", layer_options={"ENCODING": "UTF-8"},
          geometry_type=_declared(frame))  # fmt: skip
    if not path.with_suffix(".cpg").exists():
        path.with_suffix(".cpg").write_text("UTF-8", "ascii")


def _cut_text(text: str) -> str:
    return text.encode("utf-8")[:_DBF_TEXT_BYTES].decode("utf-8", "ignore")


def _declared(frame: gpd.GeoDataFrame) -> str | None:
    """The geometry type to declare: GDAL's own choice, Point when no row has a geometry."""
    geometry = frame.geometry
    return "Point" if bool((geometry.isna() | geometry.is_empty).all()) else None


def _flat(frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The table of a CSV or XLSX file: the columns, ``lat``, ``lon`` (points) and ``wkt``.

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
    return table.astype(object).where(table.notna(), None)


def write_csv(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """CSV with ``lat``, ``lon`` (of points, unless the table has them) and ``wkt`` columns."""
    cells = _flat(frame)
    try:
        with path.open("w", encoding="utf-8", newline="") as file:
            write_csv_rows(file, [str(c) for c in cells.columns],
                           cells.itertuples(index=False, name=None))  # fmt: skip
    except OSError as err:
        raise OutputError(f"{path.name}: cannot write it ({err.strerror})") from None


#: The characters an XLSX cell holds.
_XLSX_CELL = 32_767
# The time stamped into the workbook and its ZIP entries: fixed, so the same input gives
# the same bytes.
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def write_xlsx(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """An XLSX workbook of one sheet: the columns, ``lat``, ``lon`` and ``wkt``, as in CSV.

    Text cells are neutralised as in CSV (:func:`xlsx_cell`).
    """
    import datetime as dt
    import io

    from openpyxl import Workbook

    cells = _flat(frame)
    book = Workbook(write_only=True)
    book.properties.creator = "geo-sites"
    book.properties.created = dt.datetime(*_ZIP_TIME)
    sheet = book.create_sheet(_sheet_title(layer))
    buffer = io.BytesIO()
    failed = None
    try:  # openpyxl writes the sheet to a temporary file first
        sheet.append([xlsx_cell(str(c), path, 1) for c in cells.columns])
        for number, values in enumerate(cells.itertuples(index=False, name=None), 2):
            sheet.append([xlsx_cell(v, path, number) for v in values])
        book.save(buffer)
    except OSError as err:
        failed = err.strerror or str(err)
    if failed is not None:
        # openpyxl's sheet writer, a generator, tries to finish its temporary file when it is
        # collected, fails again (the disk is still full), and Python prints that on stderr:
        # the failure is reported once, in one line.
        hook = sys.unraisablehook
        sys.unraisablehook = lambda _: None
        try:
            del sheet, book
            gc.collect()
        finally:
            sys.unraisablehook = hook
        raise OutputError(f"{path.name}: cannot write it ({failed})")
    _with_fixed_times(buffer, book, path)


def xlsx_cell(value: Any, path: Path, row: int) -> Any:
    """*value* as an XLSX cell of *row*: text neutralised as in CSV, numbers as they are.

    Text that starts a formula gets a leading apostrophe
    (:func:`geo_sites.cells.neutralise`); characters a workbook cannot hold
    (control characters) become U+FFFD.

    Raises
    ------
    OutputError
        For text longer than a cell holds (32,767 characters).
    """
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        value = neutralise(ILLEGAL_CHARACTERS_RE.sub("\ufffd", encodable(value)))
        if len(value) > _XLSX_CELL:
            raise OutputError(f"{path.name}, row {row:,}: a cell of {len(value):,} "
                              f"characters; an XLSX cell holds {_XLSX_CELL:,}: write a "
                              "GeoPackage")  # fmt: skip
    return value


def save_workbook(book: Any, path: Path) -> None:
    """Save an openpyxl workbook to *path*, its times fixed: the same input, the same bytes.

    Raises
    ------
    OutputError
        When it cannot be written.
    """
    import datetime as dt
    import io

    book.properties.creator = "geo-sites"
    book.properties.created = dt.datetime(*_ZIP_TIME)
    buffer = io.BytesIO()
    book.save(buffer)
    _with_fixed_times(buffer, book, path)


def _with_fixed_times(buffer: Any, book: Any, path: Path) -> None:
    """Write the workbook saved in *buffer* to *path*, with the times openpyxl stamped fixed."""
    import datetime as dt
    import zipfile

    # openpyxl stamps the time of saving into the workbook and its ZIP entries: fix both.
    modified = book.properties.modified.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    fixed = dt.datetime(*_ZIP_TIME).strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    try:
        with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(path, "w") as target:
            for item in source.infolist():
                data = source.read(item)
                if item.filename == "docProps/core.xml":
                    data = data.replace(modified, fixed)
                entry = zipfile.ZipInfo(item.filename, date_time=_ZIP_TIME)
                entry.compress_type = zipfile.ZIP_DEFLATED
                target.writestr(entry, data)
    except OSError as err:
        raise OutputError(f"{path.name}: cannot write it ({err.strerror})") from None


def _sheet_title(layer: str) -> str:
    """*layer* as a sheet title: 31 characters, none of ``[]:*?/\\``."""
    title = "".join("_" if c in "[]:*?/\\" else c for c in layer)[:31].strip("'")
    return title or "sites"


def write_kml(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
    """KML for Google Earth: placemarks named by the ``name`` column, described by the rest."""
    _gdal(_typed(_valid_as_given(frame, repair=True), dates="text"), path, driver="LIBKML",
          layer=layer)  # fmt: skip
