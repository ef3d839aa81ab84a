from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo_sites.exceptions import InvalidInputError
from geo_sites.gazetteer import Gazetteer
from geo_sites.layers import needs_gazetteer, sites_layer


def test_every_layer_of_a_geopackage_is_read(tmp_path: Path) -> None:
    path = tmp_path / "t.gpkg"
    for name, places in (("sites", ["Izyum", "Bucha"]), ("areas", ["Irpin"])):
        layer = gpd.GeoDataFrame({"place": places}, geometry=[Point(37, 49)] * len(places),
                                 crs=4326)  # fmt: skip
        layer.to_file(path, layer=name, engine="pyogrio")
    frame = sites_layer(path, gazetteer=None)
    assert frame["place"].tolist() == ["Izyum", "Bucha", "Irpin"]
    assert frame.crs.to_epsg() == 4326


SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "incidents.json"


def test_records_need_the_gazetteer_given(monkeypatch: pytest.MonkeyPatch) -> None:
    from geo_sites.gazetteer import Gazetteer

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("sites_layer opened the default gazetteer")

    monkeypatch.setattr(Gazetteer, "default", never)
    assert needs_gazetteer(SEEDS) and needs_gazetteer(SEEDS.parent)
    with pytest.raises(InvalidInputError, match=r"gazetteer: .*incidents.json: incident records"):
        sites_layer(SEEDS, gazetteer=None)


def test_sites_from_records_and_a_layer(gazetteer: Gazetteer, tmp_path: Path) -> None:
    layer = tmp_path / "t.fgb"
    gpd.GeoDataFrame({"name": ["mine"]}, geometry=[Point(37, 49)], crs=4326).to_file(layer)
    assert not needs_gazetteer(layer)
    frame = sites_layer(SEEDS, layer, gazetteer=gazetteer)
    assert len(frame) == 15 and frame["name"].iloc[-1] == "mine"
    assert frame["site_id"].iloc[:14].notna().all()
