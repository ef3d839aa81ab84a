from __future__ import annotations

import pytest

from geo_sites.gazetteer import boundaries
from geo_sites.gazetteer.sources import curated_rows


def test_every_curated_unit_has_its_polygon() -> None:
    for row in curated_rows("admin1_ua.csv"):
        shape = boundaries.polygon(row["country"], row["admin1_code"])
        assert shape is not None and shape.is_valid and shape.area > 0, row["name"]


@pytest.mark.parametrize(
    ("lat", "lon", "code"),
    [
        (50.9077, 34.7981, "21"),  # Sumy: Sumy Oblast
        (49.9935, 36.2304, "07"),  # Kharkiv: Kharkiv Oblast
        (50.4501, 30.5234, "12"),  # Kyiv: the city, not the oblast around it
        (44.6166, 33.5254, "20"),  # Sevastopol
        (48.6208, 22.2879, "25"),  # Uzhhorod: Zakarpattia
        (52.2297, 21.0122, None),  # Warsaw
    ],
)
def test_the_oblast_of_a_point(lat: float, lon: float, code: str | None) -> None:
    assert boundaries.admin1_at("UA", lat, lon) == code


def test_a_unit_holds_the_city_unit_it_encloses() -> None:
    assert boundaries.contains("UA", "13", 50.4501, 30.5234)  # Kyiv in Kyiv Oblast
    assert boundaries.contains("UA", "11", 44.6166, 33.5254)  # Sevastopol in Crimea
    assert not boundaries.contains("UA", "12", 50.5, 29.0)  # Kyiv Oblast is not Kyiv
    assert boundaries.contains("FR", "11", 48.85, 2.35) is None  # no polygon: unknown


def test_the_point_of_a_unit_lies_inside_it() -> None:
    for row in curated_rows("admin1_ua.csv"):
        point = boundaries.representative_point(row["country"], row["admin1_code"])
        assert point is not None
        assert boundaries.admin1_at(row["country"], *point) == row["admin1_code"]


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("Kharkiv Oblast", "07"),  # the English name
        ("Kharkivska", "07"),  # OCHA's ADM1_EN
        ("Kharkiv region", "07"),  # a form with a qualifier
        ("Kharkov oblast", "07"),
        ("Zaporizhia Oblast", "26"),  # a spelling of the same skeleton
        ("Kyiv Oblast", "13"),
        ("Kyivska", "13"),
        ("Kiev", "13"),  # a form of the oblast's name
        ("Kyiv region", "13"),
        ("Kyiv", "12"),  # OCHA's name of the city-unit comes before the forms
        ("Kyiv (city)", "12"),
        ("Kyiv City", "12"),
        ("Sevastopol (city)", "20"),
        ("Autonomous Republic of Crimea", "11"),
        ("Crimea", "11"),
        ("Kharkiv city", None),  # a city, not a unit
        ("Trostianets, Sumy oblast", None),  # a place in a unit
        ("Normandie", None),
    ],
)
def test_the_unit_a_name_names(name: str, code: str | None) -> None:
    assert boundaries.admin1_named("UA", name) == code


def test_every_unit_is_found_by_its_names() -> None:
    for row in curated_rows("admin1_ua.csv"):
        assert boundaries.admin1_named("UA", row["name"]) == row["admin1_code"]
    assert boundaries.admin1_named("FR", "Kharkiv Oblast") is None


def test_each_unit_seat_lies_in_its_unit_and_is_labelled() -> None:
    seats = {town.admin1_code: town for town in boundaries.capitals()}
    rows = curated_rows("admin1_ua.csv")
    # Kyiv is the seat of Kyiv City and of Kyiv Oblast: one town, named once.
    assert len(seats) == len(rows) - 1 and seats["12"].name == "Kyiv"
    for code, town in seats.items():
        assert boundaries.contains("UA", code, town.lat, town.lon), town.name
    names = {town.name for town in seats.values()}
    assert {"Zaporizhzhia", "Vinnytsia", "Mykolaiv", "Kropyvnytskyi", "Dnipro"} <= names
