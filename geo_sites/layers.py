"""The layer of sites that ``export``, ``map`` and ``evaluate`` start from, whatever the input.

An input is incident records (a file, or a folder of them: their incidents
are placed with the gazetteer given and merged into sites, as by
``geo-sites sites``), a review sheet (its rows kept in review, corrected:
:mod:`geo_sites.incidents.review`) or a GIS layer in any format of
:mod:`geo_sites.formats` that holds one, ours or anyone's: GeoJSON, GeoJSON
lines, GeoPackage (every layer, one after the other), FlatGeobuf,
GeoParquet, Shapefile, KML, and CSV or XLSX with ``lat``/``lon`` or ``wkt``
columns.  Which it is, the extension says and, for JSON, the content.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from .exceptions import InvalidInputError
from .formats import Format, detect
from .models import xy

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from .gazetteer import Gazetteer

__all__ = ["concat", "input_kind", "needs_gazetteer", "sites_layer"]


def needs_gazetteer(*paths: str | os.PathLike[str]) -> bool:
    """Whether any of *paths* holds incident records or a review sheet, placed with a gazetteer.

    Raises
    ------
    InvalidInputError
        For a file that is neither records, a review sheet nor a layer.
    """
    return any(input_kind(p) != "layer" for p in paths)


def input_kind(path: str | os.PathLike[str]) -> Literal["records", "review", "layer"]:
    """What *path* holds: incident ``records`` (a folder, or a records file), a ``review``
    sheet, or a ``layer``.

    Raises
    ------
    InvalidInputError
        For a file that is none of them.
    """
    found = _input_format(path)
    return "records" if found is None else "review" if "review" in found.holds else "layer"


def _input_format(path: str | os.PathLike[str]) -> Format | None:
    """The format of *path*, a layer or a review sheet; None for records (a folder, or a file)."""
    if Path(path).is_dir():
        return None
    found = detect(path, ("records", "review", "layer"))
    return None if "records" in found.holds else found


def sites_layer(
    *paths: str | os.PathLike[str],
    gazetteer: Gazetteer | None,
    country: str | None = None,
) -> gpd.GeoDataFrame:
    """Read *paths* as one layer in EPSG:4326: the sites of the records first, then the layers.

    Records files are read together, so that their incidents merge across
    files and give each other context; the rows kept in review sheets merge
    with them.  ``attrs["reviewed"]`` of the layer says, for each review
    sheet, how many rows were kept and which were rejected
    (:meth:`~geo_sites.incidents.Review.summary`).

    Parameters
    ----------
    *paths : path-like
        Records files or folders, review sheets, and layers.
    gazetteer : Gazetteer or None
        Places the incidents of records and review sheets; None when no path
        holds either (:func:`needs_gazetteer`).
    country : str, optional
        Places records only in this country.

    Raises
    ------
    InvalidInputError
        For a file that is neither records, a review sheet nor a layer, or a
        bad one; for records without a gazetteer.
    """

    kinds = [(path, _input_format(path)) for path in paths]
    records = [p for p, kind in kinds if kind is None]
    reviews = [p for p, kind in kinds if kind is not None and "review" in kind.holds]
    frames = []
    summaries = []
    if records or reviews:
        from .incidents import locate, merge, read_incidents, read_review, sites_frame

        if gazetteer is None:
            raise InvalidInputError(
                f"{(records or reviews)[0]}: incident records are placed with a gazetteer; "
                "give one",
                parameter="gazetteer",
            )
        located = locate(read_incidents(*records), gazetteer, country=country) if records else []
        for path in reviews:
            review = read_review(path, gazetteer, country=country)
            located += review.located
            summaries.append(review.summary())
        frames.append(sites_frame(merge(located)))
    for path, kind in kinds:
        if kind is not None and "review" not in kind.holds:
            frames += _layers(Path(path), kind)
    frame = concat(frames)
    if summaries:
        frame.attrs["reviewed"] = summaries
    return frame


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
