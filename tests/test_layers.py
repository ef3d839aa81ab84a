from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geo_sites.exceptions import InvalidInputError
from geo_sites.gazetteer import Gazetteer
from geo_sites.layers import input_kind, needs_gazetteer, sites_layer


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


def test_a_review_sheet_merges_with_records(gazetteer: Gazetteer, tmp_path: Path) -> None:
    from geo_sites.incidents import locate, read_incidents, write_review

    seeds = locate(read_incidents(SEEDS), gazetteer)
    draft = write_review(seeds, tmp_path / "draft.csv")  # every row kept, as the seeds have
    table = tmp_path / "table.csv"
    table.write_text("name,lat,lon\nmine,49,37\n", "utf-8")
    assert [input_kind(p) for p in (SEEDS, SEEDS.parent, draft, table)] == [
        "records", "records", "review", "layer"]  # fmt: skip
    assert needs_gazetteer(draft) and not needs_gazetteer(table)
    frame = sites_layer(SEEDS, draft, table, gazetteer=gazetteer)
    assert len(frame) == 15 and frame["name"].iloc[-1] == "mine"  # the same 14 sites merged
    rows = len(seeds)
    assert frame.attrs["reviewed"] == [f"{draft}: {rows} rows reviewed: {rows} kept, 0 rejected"]
