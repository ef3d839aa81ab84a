"""The layer of sites that ``export`` and ``map`` start from, whatever the input.

An input is a records file or folder (its incidents are placed with the
default gazetteer and merged into sites, as by ``geo-sites sites``) or a
GIS layer: GeoJSON, GeoJSON lines or GeoPackage, ours or anyone's.  Every
layer of a GeoPackage is read, one after the other.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .exceptions import InvalidInputError

if TYPE_CHECKING:
    import geopandas as gpd

__all__ = ["read_layer"]


def read_layer(*paths: str | os.PathLike[str], country: str | None = None) -> gpd.GeoDataFrame:
    """Read *paths* as one layer in EPSG:4326: the sites of the records first, then the layers.

    Records files are read together, so that their incidents merge across
    files and give each other context.

    Raises
    ------
    InvalidInputError
        For a file that is neither records nor a layer, or a bad one.
    """
    import geopandas as gpd
    import pandas as pd

    from .incidents import is_records
    from .tables import LAYER_FORMATS, layer_names, read_table, table_format

    records = [p for p in paths if is_records(p)]
    frames = []
    if records:
        from .gazetteer import Gazetteer
        from .incidents import read_sites, sites_frame

        with Gazetteer.default() as gazetteer:
            frames.append(sites_frame(read_sites(*records, gazetteer=gazetteer, country=country)))
    for path in paths:
        if path in records:
            continue
        if table_format(path) not in LAYER_FORMATS:
            raise InvalidInputError(f"{path}: give a records file or a GeoJSON/GeoPackage layer")
        names: list[str | None] = [None]
        if table_format(path) == "gpkg":
            names = [*layer_names(path)] or [None]
        for name in names:  # every layer of a GeoPackage
            frame = read_table(path, layer=name)
            if not isinstance(frame, gpd.GeoDataFrame):
                raise InvalidInputError(f"{path}: not a layer with geometries")
            frames.append(_json_as_text(frame))
    if len(frames) == 1:
        return frames[0]
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326)


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
