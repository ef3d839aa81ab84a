from __future__ import annotations

from pathlib import Path

import geopandas as gpd
from shapely.geometry import Point

from geo_sites.layers import sites_layer


def test_every_layer_of_a_geopackage_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.gpkg"
    for name, places in (("sites", ["Izyum", "Bucha"]), ("areas", ["Irpin"])):
        layer = gpd.GeoDataFrame({"place": places}, geometry=[Point(37, 49)] * len(places),
                                 crs=4326)  # fmt: skip
        layer.to_file(path, layer=name, engine="pyogrio")
    frame = sites_layer(path, gazetteer=None)
    assert frame["place"].tolist() == ["Izyum", "Bucha", "Irpin"]
    assert frame.crs.to_epsg() == 4326
