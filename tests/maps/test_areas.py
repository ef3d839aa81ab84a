from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
import shapely
from pyproj import Geod

from geo_sites.gazetteer import boundaries
from geo_sites.maps.areas import AREA_COLUMNS, areas
from geo_sites.maps.basemap import read_boundaries


def test_the_areas_are_what_the_map_draws(seed_sites: gpd.GeoDataFrame) -> None:
    shapes = areas(seed_sites)
    kinds = seed_sites["precision"].value_counts()
    assert len(shapes) == kinds["admin1"] + kinds["near"] == 5  # the settlements are points
    assert list(shapes.columns) == [*seed_sites.columns.drop("geometry"), *AREA_COLUMNS,
                                    "geometry"]  # fmt: skip
    assert shapes.crs.to_epsg() == 4326 and set(shapes.geom_type) == {"Polygon"}
    oblast = shapes[shapes["precision"] == "admin1"]
    assert set(oblast["area_shape"]) == {"boundary"} and len(oblast) == 3
    kharkiv = boundaries.polygon("UA", "07")
    assert all(shape.equals(kharkiv) for shape in oblast.geometry)
    assert oblast["area_km2"].iloc[0] == pytest.approx(31_400, rel=0.01)  # Kharkiv Oblast's
    near = shapes[shapes["precision"] == "near"]
    assert set(near["area_shape"]) == {"circle"}
    # A circle of 10 km on the ellipsoid: its area, and every corner 10 km from the site.
    assert near["area_km2"].tolist() == pytest.approx([314.0, 314.0], rel=0.01)
    site = seed_sites[seed_sites["precision"] == "near"].iloc[0]
    corners = shapely.get_coordinates(near.geometry.iloc[0])
    _, _, metres = Geod(ellps="WGS84").inv(
        [site.geometry.x] * len(corners), [site.geometry.y] * len(corners),
        corners[:, 0], corners[:, 1],
    )  # fmt: skip
    assert min(metres) == pytest.approx(10_000, abs=1) and max(metres) == pytest.approx(10_000)
    assert near.geometry.iloc[0].exterior.is_ccw  # as RFC 7946 wants


def test_the_areas_follow_the_boundaries_given(seed_sites: gpd.GeoDataFrame, shared: Path) -> None:
    given = read_boundaries(shared / "data/boundaries/geoBoundaries-UKR-ADM1_simplified.geojson")
    oblast = areas(seed_sites, boundaries=given).query("precision == 'admin1'")
    row = given.containing(oblast.geometry.iloc[0].representative_point().y,
                           oblast.geometry.iloc[0].representative_point().x)  # fmt: skip
    assert row is not None and oblast.geometry.iloc[0].equals(given.frame.geometry[row])


def test_a_layer_without_areas_has_none(seed_sites: gpd.GeoDataFrame) -> None:
    points = seed_sites[seed_sites["precision"] == "settlement"]
    assert len(areas(points)) == 0 and len(areas(seed_sites.iloc[:0])) == 0
    unplaced = seed_sites.iloc[:2].set_geometry(gpd.GeoSeries([None, None], crs=4326).values)
    assert list(areas(unplaced).columns)[-3:] == [*AREA_COLUMNS, "geometry"]
