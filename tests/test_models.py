from __future__ import annotations

import dataclasses
import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from geo_sites.exceptions import CoordinateError, InvalidInputError
from geo_sites.models import Candidate, Match, check_point, haversine_km, in_bounds, xy

from .common import IZYUM, IZYUM_MATCH


@pytest.mark.parametrize(
    ("changes", "error", "message"),
    [
        ({"lat": 91.0}, CoordinateError, "Izyum: coordinates out of range (lat 91, lon 37.27679)"),
        ({"lon": -181.0}, CoordinateError, "coordinates out of range (lat 49.20697, lon -181)"),
        ({"lat": "49"}, CoordinateError, "coordinates are not numbers (lat '49', lon 37.27679)"),
        ({"level": "town"}, InvalidInputError, "Expected level to be one of site, settlement"),
        ({"radius_km": -1.0}, InvalidInputError, "Expected radius_km in [0, 20038) km"),
        ({"radius_km": math.nan}, InvalidInputError, "instead got: nan"),
    ],
)  # fmt: skip
def test_place_rejects_bad_values(
    changes: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=re.escape(message)):
        dataclasses.replace(IZYUM, **changes)


@pytest.mark.parametrize(
    ("lat", "lon", "problem"),
    [
        (49.20697, 37.27679, None),
        (-90, 180, None),  # the edges are on the globe
        (90.0000001, 37.2, "out of range (lat 90.0000001, lon 37.2)"),
        (49.2, -180.5, "out of range (lat 49.2, lon -180.5)"),
        (math.nan, 37.2, "out of range (lat nan, lon 37.2)"),
        (49.2, math.inf, "out of range (lat 49.2, lon inf)"),
        ("49,2", 37.2, "are not numbers (lat '49,2', lon 37.2)"),
        (None, 37.2, "are not numbers (lat None, lon 37.2)"),
    ],
)  # fmt: skip
def test_one_range_check_for_every_coordinate(
    lat: object, lon: object, problem: str | None
) -> None:
    if problem is None:
        assert check_point(lat, lon) == (float(lat), float(lon))  # type: ignore[arg-type]
        assert in_bounds(lat, lon) is True
        return
    with pytest.raises(CoordinateError) as caught:
        check_point(lat, lon, "t.csv: row 2")
    assert str(caught.value) == f"t.csv: row 2: coordinates {problem}"
    if isinstance(lat, float) and isinstance(lon, float):
        assert not in_bounds(lat, lon)


def test_in_bounds_takes_columns() -> None:
    lats = np.array([49.2, 95.0, np.nan, -90.0])
    lons = np.array([37.3, 37.3, 37.3, -181.0])
    assert in_bounds(lats, lons).tolist() == [True, False, False, False]
    assert in_bounds(pd.Series(lats), pd.Series(lons)).tolist() == [True, False, False, False]


def test_xy_is_lon_lat_for_numbers_and_columns() -> None:
    assert xy(49.20697, 37.27679) == (37.27679, 49.20697) == IZYUM.geojson_coordinates()
    points = gpd.points_from_xy(*xy(pd.Series([49.2, 50.45]), pd.Series([37.3, 30.52])))
    assert [(p.x, p.y) for p in points] == [(37.3, 49.2), (30.52, 50.45)]


def test_place_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        IZYUM.lat = 0.0  # type: ignore[misc]


def test_geojson_order_is_lon_lat() -> None:
    assert IZYUM.geojson_coordinates() == (37.27679, 49.20697)


def test_candidate_and_match_validate() -> None:
    with pytest.raises(InvalidInputError, match="score in"):
        Candidate(IZYUM, "Izyum", "exact", 1.5)
    with pytest.raises(InvalidInputError, match="method to be one of"):
        Candidate(IZYUM, "Izyum", "guess", 0.5)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="needs a candidate"):
        Match("Izyum", "resolved")


def test_match_accessors_and_dict() -> None:
    assert IZYUM_MATCH.place is IZYUM
    assert IZYUM_MATCH.score == 0.97
    assert IZYUM_MATCH
    data = IZYUM_MATCH.to_dict()
    assert data["geonameid"] == 707292
    assert data["lat"] == 49.20697
    assert data["method"] == "exact"
    assert data["candidates"][0]["name"] == "Izyum"
    empty = Match("zzz", "unresolved", reason="nothing")
    assert not empty
    assert empty.place is None
    assert empty.score == 0.0
    assert empty.to_dict()["lat"] is None


def test_haversine_kharkiv_to_izyum() -> None:
    # Kharkiv to Izyum is about 115 km.
    assert 110 < haversine_km(49.98177, 36.25475, 49.20697, 37.27679) < 120


def _grid(step: float) -> tuple[tuple[float, float], ...]:
    """Points every *step* degrees over Ukraine and its neighbours, as the context pass has."""
    return tuple((44 + i * step, 22 + j * step) for i in range(int(8 / step))
                 for j in range(int(18 / step)))  # fmt: skip


@pytest.mark.parametrize("points", [_grid(0.5), _grid(0.5)[:5], ((49.2, 37.3), (49.2, 37.3))])
def test_nearest_km_is_the_least_haversine_to_the_bit(
    points: tuple[tuple[float, float], ...],
) -> None:
    from geo_sites.models import nearest_km

    places = [(49.20697, 37.27679), (44.0, 22.0), (50.5, 30.5), (49.2, 37.3), (-33.9, 151.2),
              (89.9, -179.9), (46.48, 30.73)]  # fmt: skip
    for lat, lon in places:
        expected = min(haversine_km(lat, lon, y, x) for y, x in points)
        assert nearest_km(lat, lon, points) == expected
    # A new list of points is measured anew, not taken for the last one.
    assert nearest_km(50.0, 36.0, ((50.0, 36.0),) * 20) == 0.0
    assert nearest_km(50.0, 36.0, tuple((y + 1, x) for y, x in ((50.0, 36.0),) * 20)) > 100
