"""The layer of sites that ``export``, ``map`` and ``evaluate`` start from, whatever the input.

An input is incident records (a file, or a folder of them: their incidents
are placed with the gazetteer given and merged into sites, as by
``geo-sites sites``) or a GIS layer in any format of
:mod:`geo_sites.formats` that holds one, ours or anyone's: GeoJSON, GeoJSON
lines, GeoPackage (every layer, one after the other), FlatGeobuf,
GeoParquet, Shapefile, KML, and CSV or XLSX with ``lat``/``lon`` or ``wkt``
columns.  Which it is, the extension says and, for JSON, the content.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .exceptions import InvalidInputError
from .formats import Format, detect
from .models import xy

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from .gazetteer import Gazetteer

__all__ = ["concat", "needs_gazetteer", "sites_layer"]


def needs_gazetteer(*paths: str | os.PathLike[str]) -> bool:
    """Whether any of *paths* holds incident records, which must be placed with a gazetteer.

    Raises
    ------
    InvalidInputError
        For a file that is neither records nor a layer.
    """
    return any(_input_format(p) is None for p in paths)


def _input_format(path: str | os.PathLike[str]) -> Format | None:
    """The layer format of *path*; None for records (a folder, or a records file)."""
    if Path(path).is_dir():
        return None
    found = detect(path, ("records", "layer"))
    return None if "records" in found.holds else found


def sites_layer(
    *paths: str | os.PathLike[str],
    gazetteer: Gazetteer | None,
    country: str | None = None,
) -> gpd.GeoDataFrame:
    """Read *paths* as one layer in EPSG:4326: the sites of the records first, then the layers.

    Records files are read together, so that their incidents merge across
    files and give each other context.

    Parameters
    ----------
    *paths : path-like
        Records files or folders, and layers.
    gazetteer : Gazetteer or None
        Places the incidents of records; None when no path holds records
        (:func:`needs_gazetteer`).
    country : str, optional
        Places records only in this country.

    Raises
    ------
    InvalidInputError
        For a file that is neither records nor a layer, or a bad one; for
        records without a gazetteer.
    """

    kinds = [(path, _input_format(path)) for path in paths]
    records = [p for p, kind in kinds if kind is None]
    frames = []
    if records:
        from .incidents import read_sites, sites_frame

        if gazetteer is None:
            raise InvalidInputError(
                f"{records[0]}: incident records are placed with a gazetteer; give one",
                parameter="gazetteer",
            )
        frames.append(sites_frame(read_sites(*records, gazetteer=gazetteer, country=country)))
    for path, kind in kinds:
        if kind is not None:
            frames += _layers(Path(path), kind)
    return concat(frames)


def concat(frames: Sequence[gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """*frames* as one layer in EPSG:4326, their rows in order (one frame: itself)."""
    import geopandas as gpd
    import pandas as pd

    if len(frames) == 1:
        return frames[0]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326)


def _layers(path: Path, kind: Format) -> list[gpd.GeoDataFrame]:
    """The layers of one file: every layer of a GeoPackage; a table's points or WKT."""
    import geopandas as gpd

    from .tables import layer_names, read_table

    names: list[str | None] = [None]
    if kind.name == "gpkg":
        names = [*layer_names(path)] or [None]
    frames = []
    for name in names:
        frame = read_table(path, fmt=kind.name, layer=name)
        if not isinstance(frame, gpd.GeoDataFrame):
            frame = _points(frame, path)
        frames.append(_json_as_text(frame))
    return frames


def _points(table: pd.DataFrame, path: Path) -> gpd.GeoDataFrame:
    """A table as a layer: geometry from its ``wkt`` column, else points from ``lat``/``lon``.

    These are the columns the CSV and XLSX writers add; the ``wkt`` column
    is dropped once read (the writers add it again).
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd
    import shapely

    if "wkt" in table.columns:
        text = [v if isinstance(v, str) and v.strip() else None for v in table["wkt"].tolist()]
        try:
            shapes = shapely.from_wkt(np.array(text, dtype=object), on_invalid="raise")
        except shapely.errors.ShapelyError as err:
            raise InvalidInputError(f"{path}: a wkt cell is not a geometry ({err})") from None
        return gpd.GeoDataFrame(table.drop(columns="wkt"), geometry=shapes, crs=4326)
    if "lat" in table.columns and "lon" in table.columns:
        lat = pd.to_numeric(table["lat"], errors="coerce").astype("float64")
        lon = pd.to_numeric(table["lon"], errors="coerce").astype("float64")
        points = gpd.points_from_xy(*xy(lat, lon))
        points[(lat.isna() | lon.isna()).to_numpy()] = None
        return gpd.GeoDataFrame(table, geometry=points, crs=4326)
    raise InvalidInputError(
        f"{path}: a table without lat and lon or wkt columns, not a layer; "
        "place its rows first (geo-sites join)"
    )


def _json_as_text(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Turn JSON fields back into text, as in a sites frame.

    GDAL reads a GeoJSON property that holds an array or object (our
    ``sources_json``) as parsed values; everything downstream reads text.
    """
    import json

    from pandas.api.types import is_object_dtype

    for column in frame.columns:
        values = frame[column]
        if is_object_dtype(values) and values.map(lambda v: isinstance(v, list | dict)).any():
            frame[column] = values.map(
                lambda v: json.dumps(v, ensure_ascii=False) if isinstance(v, list | dict) else v
            )
    return frame
