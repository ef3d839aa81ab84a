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
