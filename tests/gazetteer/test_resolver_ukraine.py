"""Ukraine: Russian and Ukrainian forms, renamed places, oblasts by polygon, raions."""

from __future__ import annotations

import pytest

from geo_sites.gazetteer import Gazetteer
from geo_sites.gazetteer.boundaries import admin1_at
from geo_sites.models import haversine_km


@pytest.mark.parametrize(
    ("query", "within", "geonameid", "status"),
    [
        # Velyke: -oye is -e; the only Velyke of the oblast, a village of unknown size
        ("Velikoye", "Vinnytsia Oblast", 695875, "resolved"),
        # Velyka Buhaivka: -aya, -evka
        ("Velikaya Bugayevka", "Kyiv Oblast", 711816, "resolved"),
        # Bakhmut, once Artemivsk: -ovsk is -ivsk
        ("Artemovsk", "Donetsk Oblast", 713174, "resolved"),
    ],
)
def test_russian_endings_meet_the_ukrainian_names(
    ua_gazetteer: Gazetteer, query: str, within: str, geonameid: int, status: str
) -> None:
    match = ua_gazetteer.resolve(query, within=within)
    assert match.status == status, match.reason
    assert match.candidates[0].place.geonameid == geonameid


def test_a_russian_ending_never_makes_a_place_elsewhere_ukrainian(gazetteer: Gazetteer) -> None:
    match = gazetteer.resolve("Pervomayskoye", country="RU")
    assert {c.place.country for c in match.candidates} == {"RU"}


@pytest.mark.parametrize(
    ("old", "new", "geonameid"),
    [
        ("Artemivsk", "Bakhmut", 713174),
        ("Dnipropetrovsk", "Dnipro", 709930),
        ("Kirovohrad", "Kropyvnytskyi", 705812),
        ("Chervonohrad", "Sheptytskyi", 710554),
        ("Червоноград", "Sheptytskyi", 710554),
    ],
)
def test_renamed_places_answer_to_their_old_names(
    gazetteer: Gazetteer, old: str, new: str, geonameid: int
) -> None:
    match = gazetteer.resolve(old)
    assert match.status == "resolved"
    assert match.candidates[0].place.geonameid == geonameid
    assert f"{new}, formerly" in match.reason


def test_the_current_name_has_no_note(gazetteer: Gazetteer) -> None:
    assert "formerly" not in gazetteer.resolve("Bakhmut").reason


def test_a_town_district_is_the_area_around_it_not_the_town(gazetteer: Gazetteer) -> None:
    match = gazetteer.resolve("Kupiansk district")
    place = match.candidates[0].place
    assert place.level == "admin2"
    assert "the area around" in match.reason
    assert haversine_km(place.lat, place.lon, 49.71, 37.61) < 5  # centred on the town


def test_a_raion_the_dump_knows_is_that_raion(ua_gazetteer: Gazetteer) -> None:
    match = ua_gazetteer.resolve("Izium district")
    assert match.candidates[0].place.feature_code == "ADM2"
    assert "area around" not in match.reason


@pytest.mark.parametrize("home", ["gazetteer", "ua_gazetteer"])
def test_a_region_named_after_its_city_is_the_oblast_not_the_city(
    request: pytest.FixtureRequest, home: str
) -> None:
    match = request.getfixturevalue(home).resolve("Kherson region")
    oblast = match.candidates[0].place
    assert (oblast.level, oblast.admin1_code) == ("admin1", "08")
    assert haversine_km(oblast.lat, oblast.lon, 46.635, 32.617) > 30  # not on Kherson city
    assert admin1_at("UA", oblast.lat, oblast.lon) == "08"
    assert oblast.radius_km is not None and 80 < oblast.radius_km < 150  # its polygon's size


def test_a_town_region_is_the_oblast_it_lies_in(gazetteer: Gazetteer) -> None:
    match = gazetteer.resolve("Bucha region")
    assert match.candidates[0].place.name == "Kyiv Oblast"
    assert "Kyiv Oblast" in match.reason and "Bucha is a town" in match.reason


def test_within_an_oblast_is_a_polygon_test(ua_gazetteer: Gazetteer) -> None:
    # Okhtyrka lies in Sumy Oblast; the polygon says so whatever the codes say.
    match = ua_gazetteer.resolve("Okhtyrka", within="Sumy Oblast")
    place = match.candidates[0].place
    assert match.status == "resolved" and admin1_at("UA", place.lat, place.lon) == "21"
    assert ua_gazetteer.resolve("Okhtyrka", within="Kharkiv Oblast").status == "unresolved"


@pytest.mark.parametrize(
    ("query", "town"),
    [
        ("Kupianskyi raion", 703656),
        ("Kupyanskiy rayon", 703656),
        ("Куп'янський район", 703656),
        ("Izium-skyi raion", 707292),
        ("Chuhuivskyi district", 710374),
    ],
)
def test_an_adjectival_raion_is_the_area_around_its_town(
    gazetteer: Gazetteer, query: str, town: int
) -> None:
    match = gazetteer.resolve(query)
    place = match.candidates[0].place
    assert (match.status, place.geonameid, place.level) == ("resolved", town, "admin2")
    assert "area around" in match.reason


@pytest.mark.parametrize(
    ("query", "raion"),
    [("Kramatorskyi raion", "Kramatorskyi Raion"), ("Bakhmutskyi district", "Bakhmut Raion")],
)
def test_an_adjectival_raion_the_dump_knows_is_that_raion(
    ua_gazetteer: Gazetteer, query: str, raion: str
) -> None:
    place = ua_gazetteer.resolve(query).candidates[0].place
    assert (place.name, place.feature_code) == (raion, "ADM2")
