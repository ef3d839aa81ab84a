from __future__ import annotations

import dataclasses

import pytest

from geo_sites.exceptions import InvalidInputError
from geo_sites.models import Candidate, Match, haversine_km

from .common import IZYUM, IZYUM_MATCH


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lat": 91.0}, "Expected a latitude in [-90, 90], instead got: 91.0"),
        ({"lon": -181.0}, "Expected a longitude in [-180, 180], instead got: -181.0"),
        ({"level": "town"}, "Expected level to be one of site, settlement"),
    ],
)
def test_place_rejects_bad_values(changes: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInputError, match=message.replace("[", r"\[").replace("]", r"\]")):
        dataclasses.replace(IZYUM, **changes)


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
