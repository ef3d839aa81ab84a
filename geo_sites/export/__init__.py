"""Write layers in the formats GIS staff use: GeoJSON, GeoPackage, CSV and KML.

:func:`write` takes a GeoDataFrame in EPSG:4326 (a table of sites, or a
joined table) and writes it with GDAL (through pyogrio), except CSV, which
pandas writes so that cells can be neutralised against formula injection.

* **GeoJSON** is RFC 7946: lon/lat in WGS84, no ``crs`` member, 6 decimals
  (about 10 cm), integers as integers, dates as ISO 8601 text, UTF-8 names
  unescaped.  ``sequence=True`` writes one feature a line (``.geojsonl``), or
  RFC 8142 text sequences for ``.geojsons``.  An optional ``.qml`` sidecar
  makes QGIS open it styled.
* **GeoPackage** 1.2, dates as UTC datetimes, with the QGIS style in its
  ``layer_styles`` table.
* **CSV** with ``lat``, ``lon`` and ``wkt`` columns.
* **KML** for Google Earth: the ``name`` column names the placemarks.

The same input gives byte-identical files.  Every file is written to a
temporary name beside the target, read back (:func:`formats.check`), flushed
and renamed over the target at the end, so a failure or a crash never leaves
half a file where a good one was; the files of one call (a layer and its
``.qml``) replace their targets together or not at all.
"""

from __future__ import annotations

import os
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import InvalidInputError, ParameterError
from ..files import replacing
from ..tables import format_by_extension

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["OUTPUT_FORMATS", "output_format", "write"]

#: The formats :func:`write` writes, by file extension.
OUTPUT_FORMATS = {
    ".geojson": "geojson", ".json": "geojson",
    ".geojsonl": "geojsonseq", ".geojsons": "geojsonseq", ".ndjson": "geojsonseq",
    ".gpkg": "gpkg", ".csv": "csv", ".kml": "kml",
}  # fmt: skip


def output_format(path: str | os.PathLike[str], fmt: str | None = None) -> str:
    """Return the format to write *path* in: *fmt* when given, else by its extension."""
    try:
        return format_by_extension(path, fmt, OUTPUT_FORMATS, what="output",
                                   extension="output extension",
                                   hint=" or give the format")  # fmt: skip
    except InvalidInputError as err:
        raise ParameterError(str(err), parameter="fmt" if fmt else "path") from None


def write(
    frame: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    sequence: bool = False,
    qml: bool = False,
    layer: str | None = None,
) -> Path:
    """Write *frame* to *path*, atomically.

    Parameters
    ----------
    frame : GeoDataFrame
        Point geometries (or nulls) in EPSG:4326.
    path : path-like
        The file to write; its extension chooses the format unless *fmt* is given.
    fmt : str, optional
        ``geojson``, ``geojsonseq``, ``gpkg``, ``csv`` or ``kml``.
    sequence : bool
        Write GeoJSON as one feature a line.
    qml : bool
        Also write a QGIS style next to a GeoJSON file (``sites.qml``).
    layer : str, optional
        The layer name (GeoPackage, KML); by default the file's stem.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    ParameterError
        For a *path* or *fmt* of no output format, or *sequence* or *qml*
        where they do not apply.
    OutputError
        When the file cannot be written.
    """
    from . import formats, style

    path = Path(path)
    kind = output_format(path, fmt)
    if sequence:
        if kind not in ("geojson", "geojsonseq"):
            raise ParameterError(f"is for GeoJSON, not {kind}", parameter="sequence")
        kind = "geojsonseq"
    if qml and kind not in ("geojson", "geojsonseq"):
        raise ParameterError(
            f"a .qml sidecar is for GeoJSON, not {kind}; a GeoPackage carries its style",
            parameter="qml",
        )
    if frame.crs is None or frame.crs.to_epsg() != 4326:
        frame = (
            frame.set_crs(4326, allow_override=True) if frame.crs is None else frame.to_crs(4326)
        )
    name = layer or path.stem
    qml_text = style.qml_for(frame) if qml else None
    if qml and qml_text is None:
        raise ParameterError("a .qml style is made for site layers: columns event_type, name, "
                             "count and precision", parameter="qml")  # fmt: skip
    writer = {"geojson": formats.write_geojson, "geojsonseq": formats.write_geojsonseq,
              "gpkg": formats.write_gpkg, "csv": formats.write_csv,
              "kml": formats.write_kml}[kind]  # fmt: skip
    # Both files or neither: the style is replaced first, the layer last.
    with (
        replacing(path) as temporary,
        replacing(path.with_suffix(".qml")) if qml_text else nullcontext() as sidecar,
    ):
        writer(frame, temporary, name)
        if kind != "csv":  # CSV is written by Python, which reports every failure
            formats.check(temporary, name if kind in ("gpkg", "kml") else None, len(frame))
        if sidecar is not None and qml_text is not None:
            sidecar.write_text(qml_text, "utf-8")
    return path
