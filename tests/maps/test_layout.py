from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from geo_sites.exceptions import InvalidInputError
from geo_sites.gazetteer import Gazetteer
from geo_sites.join import join
from geo_sites.maps.basemap import OBLASTS_CREDIT, countries, read_boundaries
from geo_sites.maps.layout import lay_out, place_labels, size_title, summary

BOUNDARIES = "data/boundaries/geoBoundaries-UKR-ADM1_simplified.geojson"


def test_each_site_is_drawn_by_its_precision(seed_sites: gpd.GeoDataFrame) -> None:
    layout = lay_out(seed_sites)
    shapes = {seed_sites["precision"].iloc[d.row]: set() for d in layout.drawn}
    for d in layout.drawn:
        shapes[seed_sites["precision"].iloc[d.row]].add((d.shape, d.radius_m))
    assert shapes == {"settlement": {("point", None)}, "near": {("near", 10_000)},
                      "admin1": {("boundary", 100_000)}}  # fmt: skip
    assert layout.missing == (("Unplaced", layout.missing[0][1]),)
    assert len(layout.drawn) + len(layout.missing) == len(seed_sites)  # none lost
    assert layout.credits == ("GeoNames (geonames.org), CC BY 4.0",)
    assert summary(layout) == (
        "14 sites · events 2022-03-07 to 2022-05-07 (3 dated, 11 undated) · reported 2022-09-15 "
        "(3 of the 14)"
    )


def test_a_region_site_fills_its_boundary(seed_sites: gpd.GeoDataFrame, shared: Path) -> None:
    boundaries = read_boundaries(shared / BOUNDARIES)
    layout = lay_out(seed_sites, boundaries=boundaries)
    regions = [d for d in layout.drawn if d.shape == "boundary"]
    assert len(regions) == 3 and {boundaries.frame["name"][d.boundary] for d in regions} == {
        "Kharkiv Oblast"
    }
    # The extent now reaches the oblast's edges, not a circle's.
    assert layout.bounds[2] == pytest.approx(
        boundaries.frame.geometry[regions[0].boundary].bounds[2]
    )


def test_region_sites_in_ukraine_fill_their_oblast_by_default(
    seed_sites: gpd.GeoDataFrame,
) -> None:
    layout = lay_out(seed_sites)
    assert layout.boundaries is not None and layout.boundaries.credit == OBLASTS_CREDIT
    assert len(layout.boundaries.frame) == 27
    regions = [d for d in layout.drawn if d.shape == "boundary"]
    assert {layout.boundaries.frame["name"][d.boundary] for d in regions} == {"Kharkiv Oblast"}
    # Three kinds of event in one oblast: each its own turn of the edge, no mixed fill.
    categories = {layout.symbols.codes[d.row] for d in regions}
    assert len(categories) == 3
    assert sorted(d.part for d in regions) == [0, 1, 2] and {d.parts for d in regions} == {3}
    assert all(d.parts == 1 for d in layout.drawn if d.shape != "boundary")


def test_the_size_key_says_what_it_measures(seed_sites: gpd.GeoDataFrame) -> None:
    layout = lay_out(seed_sites)
    kinds = seed_sites["count_kind"].dropna()
    assert kinds.nunique() > 3  # bodies, killed, victims, torture chambers: one scale
    assert size_title(layout) == "Count (civilian bodies, killed, bodies, …)"
    assert size_title(lay_out(seed_sites, size_by="source_count")) == "Source count"


def test_sites_elsewhere_keep_their_circles() -> None:
    frame = gpd.GeoDataFrame(
        {"name": ["Île-de-France", "Lyon"], "event_type": ["killing", "shelling"],
         "precision": ["admin1", "settlement"], "radius_m": [60_000, None]},
        geometry=[shapely.Point(2.5, 48.7), shapely.Point(4.85, 45.76)], crs=4326,
    )  # fmt: skip
    layout = lay_out(frame)
    assert layout.boundaries is None
    assert [(d.shape, d.radius_m) for d in layout.drawn] == [("circle", 60_000), ("point", None)]


def test_a_joined_table_is_drawn_as_sites_are(gazetteer: Gazetteer) -> None:
    # The table's own "precision", "reason" and "attribution" are its business, not ours.
    table = pd.DataFrame({"place": ["Kharviv", "Gostomel", "Kharkiv region", "Ізюм", "Sumy Oblast"],
                          "precision": "admin1", "attribution": "Our field team"})  # fmt: skip
    layout = lay_out(join(table, gazetteer=gazetteer, place_column="place"))
    assert [d.shape for d in layout.drawn] == ["point", "point", "boundary", "point", "boundary"]
    assert layout.symbols.color_by == "match_status"
    # Labels name the places, never a spelling as written; Cyrillic rows too.
    places = sorted(text for _, _, text, kind in place_labels(layout) if kind == "place")
    assert places == ["Hostomel", "Izium", "Kharkiv"]
    assert layout.credits == ("GeoNames (geonames.org), CC BY 4.0",)


def test_labels_name_each_place_once(seed_sites: gpd.GeoDataFrame) -> None:
    layout = lay_out(seed_sites)
    labels = place_labels(layout, countries((22, 44, 41, 53)))
    places = [text for _, _, text, kind in labels if kind == "place"]
    assert sorted(places) == ["Bucha", "Izium", "Mariupol", "Trostianets", "Tsyrkuny"]
    areas = [text for _, _, text, kind in labels if kind == "area"]
    # The oblasts name themselves; the countries around them are named too.
    assert "Kharkiv Oblast" in areas and "Russia" in areas and "Ukraine" not in areas


def test_the_country_outline_includes_crimea() -> None:
    outline = countries((32, 44, 37, 46))
    ukraine = outline[outline["name"] == "Ukraine"].geometry.iloc[0]
    assert ukraine.contains(shapely.Point(34.10, 44.95))  # Simferopol


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (gpd.GeoDataFrame({"name": []}, geometry=[], crs=4326), "the input has no rows"),
        (gpd.GeoDataFrame({"name": ["a"]}, geometry=[None], crs=4326),
         "none of the 1 rows has a location"),
        (gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.box(0, 0, 1, 1)], crs=4326),
         "maps draw point layers; this one has Polygon"),
    ],
)  # fmt: skip
def test_layers_that_cannot_be_drawn(frame: gpd.GeoDataFrame, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        lay_out(frame)


def test_boundaries_must_be_polygons(tmp_path: Path) -> None:
    points = tmp_path / "points.geojson"
    gpd.GeoDataFrame({"name": ["a"]}, geometry=[shapely.Point(30, 50)], crs=4326).to_file(points)
    with pytest.raises(InvalidInputError, match=r"points\.geojson: boundaries are polygons; this "):
        read_boundaries(points)
    with pytest.raises(InvalidInputError, match="no such boundaries file"):
        read_boundaries(tmp_path / "missing.geojson")
