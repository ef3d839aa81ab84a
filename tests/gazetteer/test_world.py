"""The world's units in the default: continents, countries, first-level units, US counties."""

from __future__ import annotations

import pytest

from geo_sites.gazetteer import Gazetteer
from geo_sites.gazetteer.sources import PlaceRecord, SourceRecords, default_source
from geo_sites.models import haversine_km

#: GeoNames' own points of units, as the world benchmarks' gold gives them.
GOLD = {
    ("country", "RU"): (60.0, 100.0),
    ("country", "CN"): (35.0, 105.0),
    ("admin1", "OH"): (40.25, -83.00),
    ("admin1", "TX"): (31.25, -99.25),
    ("admin1", "GA"): (32.75, -83.50),
    ("admin1", "KY"): (37.5, -85.25),
    ("admin1", "CA"): (37.25, -119.75),
}


@pytest.fixture(scope="module")
def default() -> SourceRecords:
    return default_source()


def _units(default: SourceRecords, level: str) -> list[PlaceRecord]:
    return [p for p in default.places if p.level == level]


def test_units_lie_at_geonames_points(default: SourceRecords) -> None:
    countries = {p.country: p for p in _units(default, "country")}
    states = {p.admin1_code: p for p in _units(default, "admin1") if p.country == "US"}
    for (level, code), gold in GOLD.items():
        unit = countries[code] if level == "country" else states[code]
        assert haversine_km(unit.lat, unit.lon, *gold) < 161, (unit.name, unit.lat, unit.lon)


def test_every_unit_has_a_radius_and_no_settlement_has_one(default: SourceRecords) -> None:
    russia = next(p for p in _units(default, "country") if p.country == "RU")
    assert 2000 < (russia.radius_km or 0) < 2600  # sqrt(17.1 million km² / pi)
    vatican = next(p for p in _units(default, "country") if p.country == "VA")
    assert (vatican.radius_km or 99) < 1
    for level in ("admin1", "admin2"):
        derived = [p for p in _units(default, level) if p.country != "UA"]
        assert all(p.radius_km is not None and p.radius_km >= 1 for p in derived), level
    assert all(p.radius_km is None for p in _units(default, "settlement"))


def test_countries_have_the_names_packages_give(default: SourceRecords) -> None:
    names = {p.country: {p.name, *p.aliases} for p in _units(default, "country")}
    assert {"United States", "United States of America"} <= names["US"]
    assert {"United Kingdom", "Great Britain"} <= names["GB"]
    assert {"Holy See", "Vatican"} <= names["VA"]
    assert "Россия" in names["RU"]
    assert not any(len(n) <= 3 and n.isupper() for n in names["RU"])  # codes are not names
    assert len(names) > 240  # every country of GeoNames' table with a point


def test_first_level_units_worldwide_name_their_towns(default: SourceRecords) -> None:
    units = {(u.country, u.code): u.name for u in default.admin_units}
    assert units[("US", "TX")] == "Texas"
    assert units[("AU", "04")] == "Queensland"
    assert units[("CA", "01")] == "Alberta"
    assert units[("UA", "07")] == "Kharkiv Oblast"  # the curated units stay
    assert len([u for u in units if u[0] != "UA"]) > 3000
    texas = next(p for p in _units(default, "admin1") if p.name == "Texas")
    towns = [p for p in default.places if p.level == "settlement" and p.country == "US"]
    # the state counts the people of its towns: it outweighs any town named Texas
    assert texas.population == sum(t.population for t in towns if t.admin1_code == "TX")
    assert "W.Va." in next(
        p.aliases for p in _units(default, "admin1") if p.name == "West Virginia"
    )


def test_us_counties_have_geonames_admin2_codes(default: SourceRecords) -> None:
    counties = _units(default, "admin2")
    laurel = [p for p in counties if p.name == "Laurel County"]
    assert [(p.admin1_code, p.admin2_code) for p in laurel] == [("KY", "125")]
    london = next(p for p in default.places if p.geonameid == 4298960)  # London, Kentucky
    assert (london.admin1_code, london.admin2_code) == ("KY", "125")
    assert haversine_km(laurel[0].lat, laurel[0].lon, london.lat, london.lon) < 40
    assert all(p.country == "US" for p in counties)
    assert len(counties) > 2500


@pytest.mark.parametrize(
    ("query", "level", "admin1", "country"),
    [
        ("Texas", "admin1", "TX", "US"),
        ("Britain", "country", None, "GB"),  # gazetteer/aliases.csv: in no package
        ("Queensland", "admin1", "04", "AU"),
        ("Alberta", "admin1", "01", "CA"),
        ("W.Va.", "admin1", "WV", "US"),
        ("Laurel County", "admin2", "KY", "US"),
    ],
)
def test_units_are_found_by_name(
    gazetteer: Gazetteer, query: str, level: str, admin1: str | None, country: str
) -> None:
    match = gazetteer.resolve(query)
    found = [
        c.place
        for c in match.candidates
        if (c.place.level, c.place.admin1_code, c.place.country) == (level, admin1, country)
    ]
    assert found, match.candidates_text()
    if query == "Texas":
        assert haversine_km(found[0].lat, found[0].lon, *GOLD[("admin1", "TX")]) < 161
    assert found[0].radius_km is not None


def test_towns_carry_the_name_of_their_first_level_unit(gazetteer: Gazetteer) -> None:
    dallas = gazetteer.resolve("Dallas", country="US").place
    assert dallas is not None and dallas.geonameid == 4684888
    assert dallas.admin1 == "Texas"
    assert gazetteer.resolve("Munich").place.admin1 == "Bavaria"  # type: ignore[union-attr]


def test_continents_are_geonames_own(default: SourceRecords) -> None:
    continents = {p.name: p for p in _units(default, "continent")}
    assert set(continents) == {
        "Africa", "Antarctica", "Asia", "Europe", "North America", "Oceania", "South America",
    }  # fmt: skip
    europe = continents["Europe"]
    assert (europe.geonameid, europe.feature_code) == (6255148, "CONT")
    # A continent lies in no country: never "EU" or "AF", the ISO codes of other things.
    assert all(p.country == "" for p in continents.values())
    # Its population is its countries'; GeoNames' country table puts Ukraine in Europe.
    countries = {p.country: p for p in _units(default, "country")}
    assert europe.population > countries["UA"].population + countries["DE"].population
    assert continents["Asia"].population > continents["Africa"].population > europe.population
    # Names in every script, but no links, codes or colloquial names.
    assert {"Europa", "Європа", "Европа", "ヨーロッパ"} <= set(europe.alternate_names)
    assert "El viejo continente" not in europe.alternate_names
    names = [n for p in continents.values() for n in p.alternate_names]
    assert not any(n.startswith("http") or (n[0] == "Q" and n[1:].isdigit()) for n in names)


def test_a_continents_radius_reaches_its_box_across_the_180th_meridian(
    default: SourceRecords,
) -> None:
    radius = {p.name: p.radius_km or 0 for p in _units(default, "continent")}
    # Asia's box runs east from the Bosporus to the Bering Strait (-169°): the long way
    # round would be read if the box were taken as west < east.
    assert 8000 < radius["Asia"] < 13000
    assert 6000 < radius["North America"] < 11000  # from Attu (172° E) to Greenland
    assert 3000 < radius["Europe"] < 5000
    # Antarctica's box in GeoNames leaves its point out: a disc as large as its countries.
    assert 1500 < radius["Antarctica"] < 2500


def test_countries_have_their_capitals() -> None:
    from geo_sites.gazetteer.world import capitals

    by_country = {town.country: town for town in capitals()}
    assert len(by_country) > 240
    kyiv, abuja = by_country["UA"], by_country["NG"]
    assert (kyiv.name, round(kyiv.lat), round(kyiv.lon)) == ("Kyiv", 50, 31)
    assert (abuja.name, round(abuja.lat), round(abuja.lon)) == ("Abuja", 9, 7)
    assert kyiv.feature_code == "PPLC" and kyiv.population >= 30_000_000  # the country's
