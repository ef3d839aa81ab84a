"""Write layers in the formats GIS staff use: GeoJSON, GeoPackage, FlatGeobuf, GeoParquet,
Shapefile, CSV, XLSX and KML.

:func:`write` takes a GeoDataFrame in EPSG:4326 (a table of sites, or a
joined table) and writes it with the writer :mod:`geo_sites.formats` names
for the format (:mod:`.writers`): GDAL (through pyogrio) for GeoJSON,
GeoPackage, FlatGeobuf, Shapefile and KML; geopandas and pyarrow for
GeoParquet; Python for CSV and XLSX, whose cells are neutralised against
formula injection.

* **GeoJSON** is RFC 7946: lon/lat in WGS84, no ``crs`` member, 6 decimals
  (about 10 cm), integers as integers, dates as ISO 8601 text, UTF-8 names
  unescaped.  ``sequence=True`` writes one feature a line (``.geojsonl``), or
  RFC 8142 text sequences for ``.geojsons``.  An optional ``.qml`` sidecar
  makes QGIS open it styled.
* **GeoPackage** 1.2, dates as UTC datetimes, with the QGIS style in its
  ``layer_styles`` table.
* **FlatGeobuf** without a spatial index, so that rows keep their order and
  rows without a geometry are kept.
* **GeoParquet** 1.0 (geometry as WKB), with the ``parquet`` extra (pyarrow).
* **Shapefile**: ``.shp``, ``.shx``, ``.dbf``, ``.prj`` and a ``.cpg`` that
  says UTF-8; field names of at most 10 bytes
  (:func:`geo_sites.formats.shapefile_names`); text cut to the 254 bytes a
  DBF field holds, with a warning.
* **CSV** and **XLSX** with ``lat``, ``lon`` and ``wkt`` columns.
* **KML** for Google Earth: the ``name`` column names the placemarks.

The same input gives byte-identical files.  Every file is written to a
temporary name beside the target, read back (:func:`writers.check`), flushed
and renamed over the target at the end, so a failure or a crash never leaves
half a file where a good one was; the files of one call (a layer and its
``.qml``, a Shapefile's five files) replace their targets together or not at
all.  ``-`` writes GeoJSON, GeoJSON lines or CSV to stdout.
"""

from __future__ import annotations

import os
import sys
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import ParameterError
from ..files import replacing
from ..formats import STDIO, Format, by_name, for_output

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["output_format", "write"]

#: Index files other tools keep beside a Shapefile: stale once the Shapefile is replaced.
_STALE_SHAPEFILE_INDEXES = (".qix", ".sbn", ".sbx")


def output_format(path: str | os.PathLike[str], fmt: str | None = None) -> Format:
    """Return the layer format to write *path* in: *fmt* when given, else by its extension.

    Raises
    ------
    ParameterError
        For an unknown format or extension, or ``-`` without a format that
        can be streamed.
    """
    return for_output(path, ("layer",), fmt=fmt)


def write(
    frame: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    sequence: bool = False,
    qml: bool = False,
    layer: str | None = None,
    areas: bool = False,
) -> Path:
    """Write *frame* to *path*, atomically.

    Parameters
    ----------
    frame : GeoDataFrame
        Point geometries (or nulls) in EPSG:4326.
    path : path-like
        The file to write; its extension chooses the format unless *fmt* is
        given.  ``-`` is stdout, for the formats that can be streamed.
    fmt : str, optional
        A layer format of :mod:`geo_sites.formats`: ``geojson``,
        ``geojsonseq``, ``gpkg``, ``fgb``, ``parquet``, ``shp``, ``csv``,
        ``xlsx`` or ``kml``.
    sequence : bool
        Write GeoJSON as one feature a line.
    qml : bool
        Also write a QGIS style next to a GeoJSON file (``sites.qml``).
    layer : str, optional
        The layer name (GeoPackage, KML, the XLSX sheet); by default the file's stem.
    areas : bool
        Also write the areas of the rows drawn as areas, as polygons
        (:func:`geo_sites.maps.areas.areas`), in the same format beside the
        file: ``sites-areas.gpkg`` for ``sites.gpkg``.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ParameterError
        For a *path* or *fmt* of no layer format, or *sequence*, *qml* or
        *areas* where they do not apply.
    OutputError
        When the file cannot be written.

    Examples
    --------
    >>> frame = geo_sites.join(pd.DataFrame({"place": ["Bucha"]}), place_column="place")
    >>> geo_sites.write(frame, "bucha.gpkg")
    PosixPath('bucha.gpkg')
    """
    from . import style

    kind = output_format(path, fmt)
    if sequence:
        if kind.name not in ("geojson", "geojsonseq"):
            raise ParameterError(f"is for GeoJSON, not {kind.title}", parameter="sequence")
        kind = by_name("geojsonseq")  # GeoJSON, one feature a line, whatever the extension
    if qml and kind.name not in ("geojson", "geojsonseq"):
        raise ParameterError(
            f"a .qml sidecar is for GeoJSON, not {kind.title}; a GeoPackage carries its style",
            parameter="qml",
        )
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        frame = (
            frame.set_crs(4326, allow_override=True) if frame.crs is None else frame.to_crs(4326)
        )
    if str(path) == STDIO:
        if qml:
            raise ParameterError("a .qml sidecar needs a file, not stdout", parameter="qml")
        if areas:
            raise ParameterError("the areas go beside a file, not to stdout", parameter="areas")
        return _to_stdout(frame, kind, layer)
    path = Path(path)
    name = layer or path.stem
    qml_text = style.qml_for(frame) if qml else None
    if qml and qml_text is None:
        raise ParameterError("a .qml style is made for site layers (columns event_type, name "
                             "and precision) and joined tables (match_* columns)",
                             parameter="qml")  # fmt: skip
    layers = [(frame, path, name, qml_text)]
    if areas:
        from ..maps.areas import areas as areas_of

        shapes = areas_of(frame)
        layers.append((shapes, path.with_name(f"{path.stem}-areas{path.suffix}"), f"{name}-areas",
                       style.qml_for(shapes) if qml else None))  # fmt: skip
    # Every file or none: each main file is replaced last, once the others are in place.
    with ExitStack() as stack:
        for rows, target, title, sidecar_text in layers:
            _write_one(stack, rows, target, kind, title, sidecar_text)
    if kind.sidecars:
        for _, target, _, _ in layers:
            for suffix in _STALE_SHAPEFILE_INDEXES:
                target.with_suffix(suffix).unlink(missing_ok=True)
    return path


def _write_one(
    stack: ExitStack, frame: gpd.GeoDataFrame, path: Path, kind: Format, name: str,
    qml_text: str | None,
) -> None:  # fmt: skip
    """Write *frame* to a temporary file beside *path* and check it; *stack* replaces *path*
    (its sidecars and ``.qml`` first) when it closes without an error."""
    from . import writers

    sidecars = [path.with_suffix(suffix) for suffix in kind.sidecars]
    temporary = stack.enter_context(replacing(path))
    companions = [stack.enter_context(replacing(p)) for p in sidecars]
    sidecar = stack.enter_context(replacing(path.with_suffix(".qml"))) if qml_text else None
    kind.write_function()(frame, temporary, name)
    writers.check(temporary, kind, name, len(frame))
    for companion in companions:  # GDAL wrote them beside the main file
        os.replace(temporary.with_suffix(companion.suffix), companion)
    if sidecar is not None and qml_text is not None:
        sidecar.write_text(qml_text, "utf-8")


def _to_stdout(frame: gpd.GeoDataFrame, kind: Format, layer: str | None) -> Path:
    """Write *frame* to a temporary file, check it, then copy it to stdout."""
    import shutil
    import tempfile

    from . import writers

    with tempfile.TemporaryDirectory(prefix="geo-sites-") as folder:
        temporary = Path(folder) / f"stdout{kind.extensions[0]}"
        kind.write_function()(frame, temporary, layer or "stdout")
        writers.check(temporary, kind, layer or "stdout", len(frame))
        with temporary.open("rb") as file:
            sys.stdout.flush()
            shutil.copyfileobj(file, sys.stdout.buffer)
            sys.stdout.buffer.flush()
    return Path(STDIO)
