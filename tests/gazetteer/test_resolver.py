"""Ranking and decisions, on the real default gazetteer (and the Ukraine dump)."""

from __future__ import annotations

import json

import pytest

from geo_sites.exceptions import InvalidInputError, UnknownCountryError
from geo_sites.gazetteer import Gazetteer
from geo_sites.names import query_for


@pytest.mark.parametrize(
    ("query", "geonameid", "method"),
    [
        ("Izyum", 707292, "exact"),
        ("Изюм", 707292, "exact"),
        ("Kharviv", 706483, "fuzzy"),
        ("Kharkiw", 706483, "transliteration"),
        ("Kharkiv region", 706482, "alias"),
        ("Kharkivs'ka oblast", 706482, "alias"),
        ("Харьковская область", 706482, "alias"),
        ("Crimea", 703883, "alias"),
        ("the city of Kharkiv", 706483, "exact"),
        ("Kharkiv city", 706483, "exact"),
        ("Zaporizhia", 687700, "transliteration"),
        ("Kramatorsk", 704508, "exact"),
        ("Kramatorks", 704508, "fuzzy"),
        ("Sloviansk", 693468, "exact"),
        ("Mykolaiv", 700569, "exact"),
        ("Ukraine", 690791, "exact"),
    ],
)
def test_resolves(gazetteer: Gazetteer, query: str, geonameid: int, method: str) -> None:
    match = gazetteer.resolve(query)
    assert match.status == "resolved", match.reason
    assert match.place is not None and match.place.geonameid == geonameid, match.reason
    assert match.best is not None
    assert match.best.method == method
    assert match.place.attribution == "GeoNames (geonames.org), CC BY 4.0"


def test_a_bare_name_is_the_city_and_region_the_oblast(gazetteer: Gazetteer) -> None:
    city = gazetteer.resolve("Kharkiv")
    region = gazetteer.resolve("Kharkiv region")
    assert city.place is not None
    assert city.place.level == "settlement"
    assert region.place is not None
    assert region.place.level == "admin1"
    # The oblast stays among the city's candidates, and the reason says why the city won.
    assert any(c.place.level == "admin1" for c in city.candidates)
    assert "Kharkiv Oblast" in city.reason


def test_the_first_level_units_of_other_countries_by_their_words(gazetteer: Gazetteer) -> None:
    for written, name, country in (("Idlib Governorate", "Idlib", "SY"),
                                   ("Fukushima Prefecture", "Fukushima", "JP")):  # fmt: skip
        match = gazetteer.resolve(written)
        assert match.status == "resolved" and match.place is not None
        assert (match.place.name, match.place.level, match.place.country) == (name, "admin1",
                                                                            country)  # fmt: skip


def test_a_village_elsewhere_gives_no_region(gazetteer: Gazetteer) -> None:
    # Nineveh is a village in Ohio and no unit: "Nineveh region" is not Ohio.
    for written in ("Nineveh region", "Nineveh Governorate"):
        match = gazetteer.resolve(written)
        assert match.status != "resolved", written
        assert "Ohio" not in {c.place.name for c in match.candidates}
    # A town people write about still gives the region it lies in.
    bucha = gazetteer.resolve("Bucha region")
    assert bucha.place is not None and bucha.place.name == "Kyiv Oblast"


def test_the_level_is_a_field_not_a_suffix(gazetteer: Gazetteer) -> None:
    region = gazetteer.resolve("Kharkiv", level="admin1")
    assert region.place is not None and region.place.level == "admin1"
    assert region.query == "Kharkiv"  # the name as written, no qualifier added to it
    # The same answer as the qualifier written by a user.
    assert region.place == gazetteer.resolve("Kharkiv region").place
    with pytest.raises(InvalidInputError, match=r"^level: "):
        gazetteer.resolve("Kharkiv", level="oblast")


def test_same_name_in_two_oblasts_is_ambiguous_until_context_picks(gazetteer: Gazetteer) -> None:
    bare = gazetteer.resolve("Trostyanets")
    assert bare.status == "ambiguous"
    assert "close runner-up" in bare.reason
    assert {c.place.admin1 for c in bare.candidates[:2]} == {"Sumy Oblast", "Vinnytsia Oblast"}
    for kwargs, query in [
        ({"within": "Sumy Oblast"}, "Trostyanets"),
        ({"within": "Sumy"}, "Trostyanets"),
        ({}, "Trostyanets, Sumy oblast"),
        ({}, "Trostyanets in Sumy region"),
        ({}, "Trostianets (Sumska oblast)"),
        ({"near": [(50.9, 34.8)]}, "Trostyanets"),  # near Sumy city
    ]:
        match = gazetteer.resolve(query, **kwargs)  # type: ignore[arg-type]
        assert match.status == "resolved" and match.place is not None, (query, kwargs)
        assert match.place.geonameid == 691255, (query, kwargs, match.reason)
    vinnytsia = gazetteer.resolve("Trostianets", within="Vinnytsia Oblast")
    assert vinnytsia.place is not None
    assert vinnytsia.place.geonameid == 691264


def test_within_a_region_with_no_such_place_is_unresolved(gazetteer: Gazetteer) -> None:
    match = gazetteer.resolve("Izyum", within="Lviv Oblast")
    assert match.status == "unresolved"
    assert "no 'Izyum' inside Lviv Oblast" in match.reason
    assert match.candidates[0].place.geonameid == 707292  # still shown as a candidate


def test_country_filter(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Bucha", country="ua").place.country == "UA"  # type: ignore[union-attr]
    assert gazetteer.resolve("Izyum", country="PL").status == "unresolved"
    with pytest.raises(UnknownCountryError, match="unknown country code 'XX'"):
        gazetteer.resolve("Izyum", country="XX")


def test_unknown_within_is_a_clear_error(gazetteer: Gazetteer) -> None:
    with pytest.raises(InvalidInputError, match="cannot find the region 'Narnia'"):
        gazetteer.resolve("Izyum", within="Narnia")


@pytest.mark.parametrize(
    "junk", ["asdfgh", "qwertyuiop", "Lorem ipsum dolor", "zzzzzz", "xkcd", "Bolvinov",
             "aaaaaaaaaa", "Ukrainian army", "!!!???"],
)  # fmt: skip
def test_junk_does_not_resolve(gazetteer: Gazetteer, junk: str) -> None:
    match = gazetteer.resolve(junk)
    assert match.status == "unresolved", (junk, match.reason)
    assert match.reason


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("", "empty name"),
        ("   \t ", "empty name"),
        ("x" * 10_000, "too long for a place name (10000 characters"),
        ("12345", "no letters"),
        ("\x00\x01\x02", "no letters"),
    ],
)
def test_bad_strings_are_unresolved_with_a_reason(
    gazetteer: Gazetteer, query: str, reason: str
) -> None:
    match = gazetteer.resolve(query)
    assert match.status == "unresolved"
    assert reason in match.reason


def test_control_characters_and_mixed_scripts_still_resolve(gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Iz\x00yum\x1b").place.geonameid == 707292  # type: ignore[union-attr]
    # "Kharкiv" with a Cyrillic к, as copy-paste leaves it.
    mixed = gazetteer.resolve("Kharкiv")
    assert mixed.place is not None
    assert mixed.place.geonameid == 706483


def test_non_strings_are_rejected(gazetteer: Gazetteer) -> None:
    with pytest.raises(InvalidInputError, match="Expected a place name as a string"):
        gazetteer.resolve(42)  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="Expected a place name as a string"):
        gazetteer.resolve(["Izyum"])  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match=r"\(lat, lon\) pairs"):
        gazetteer.resolve("Izyum", near=["nowhere"])  # type: ignore[list-item]


def test_limit_and_candidates_are_ranked(gazetteer: Gazetteer) -> None:
    match = gazetteer.resolve("Lyman", limit=3)
    assert len(match.candidates) == 3
    scores = [c.score for c in match.candidates]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)


def test_resolve_many_uses_the_other_places_as_context(gazetteer: Gazetteer) -> None:
    alone = gazetteer.resolve_many(["Trostyanets"])
    together = gazetteer.resolve_many(["Trostyanets", "Sumy", "Okhtyrka", "Trostyanets"])
    assert alone[0].status == "ambiguous"
    assert together[0].status == "resolved"
    assert together[0].place.geonameid == 691255
    assert together[3] == together[0]
    assert len(together) == 4
    assert (
        "100% of the weight of the batch's other places lies in Sumy Oblast" in together[0].reason
    )
    independent = gazetteer.resolve_many(["Trostyanets", "Sumy"], use_context=False)
    assert independent[0].status == "ambiguous"


def test_a_name_with_its_own_context_keeps_the_batchs(gazetteer: Gazetteer) -> None:
    """In "Shevchenkove, north-east of Balakliia" the town it is read by is more context,
    not all of it: the batch's other places still count."""
    alone = gazetteer.resolve_many([query_for("Shevchenkove", context="Balakliia")])[0]
    shevchenkove, _ = gazetteer.resolve_many(
        [query_for("Shevchenkove", context="Balakliia"), "Kharkiv region"]
    )
    assert alone.status == "ambiguous", alone.reason
    assert shevchenkove.status == "resolved", shevchenkove.reason
    assert shevchenkove.place is not None and shevchenkove.place.geonameid == 694137
    assert "of the batch's other places lies in Kharkiv Oblast" in shevchenkove.reason


def test_a_place_far_from_the_town_its_context_names_is_not_the_one_meant(
    gazetteer: Gazetteer,
) -> None:
    """In "the village of Obukhivka in Kupiansk district", the only Obukhivka the default
    gazetteer knows lies 240 km away: none is resolved, and the candidate is kept for a
    person to judge; a namesake near the town is resolved."""
    far, near = gazetteer.resolve_many(
        [query_for("Obukhivka", context="Kupiansk"), query_for("Tsirkuny", context="Kharkiv")]
    )
    assert far.status == "unresolved" and far.place is None
    assert far.reason.startswith("no 'Obukhivka' near Kupiansk; closest: Obukhivka"), far.reason
    assert far.candidates and far.candidates[0].place.admin1 == "Dnipropetrovsk Oblast"
    assert near.status == "resolved" and near.place is not None
    assert near.place.admin1 == "Kharkiv Oblast"


def test_the_focus_of_a_text_keeps_the_places_it_may_mean(gazetteer: Gazetteer) -> None:
    """Spotted in a text about Ukraine, a name is placed among the places such a text may
    mean (regions, countries, the country's own places, large towns exactly named)."""
    alone, moscow, sky = gazetteer.resolve_many(["Tykhyi", "Moscow", "Sky"])
    assert alone.place is not None and alone.place.country == "PL"  # Tychy, read as "Tihi"
    about_ukraine = gazetteer.resolve_many(["Tykhyi", "Moscow", "Sky"], focus="ua")
    assert [m.place and m.place.country for m in about_ukraine] == ["UA", "RU", None]
    assert about_ukraine[1].place == moscow.place
    assert "that a text about UA may mean" in about_ukraine[2].reason
    assert sky.candidates and not about_ukraine[2].candidates
    typo = gazetteer.resolve_many(["Kharviv region"], focus="UA")[0]
    assert typo.place is not None and typo.place.geonameid == 706482
    with pytest.raises(UnknownCountryError):
        gazetteer.resolve_many(["Sumy"], focus="XX")


def test_a_typo_of_a_village_of_a_region_the_text_names(gazetteer: Gazetteer) -> None:
    """In a text about Ukraine, "Bilohirivka" is the village Bilohorivka only when the
    text names Luhansk Oblast, where it lies."""
    luhansk = gazetteer.spotting.candidates("Luhansk")
    assert luhansk is not None
    alone, _ = gazetteer.resolve_many(["Bilohirivka", "Luhansk region"], focus="UA")
    assert alone.status == "unresolved" and not alone.candidates
    typo, _ = gazetteer.resolve_many(["Bilohirivka", "Luhansk region"], focus="UA",
                                     regions=luhansk.regions)  # fmt: skip
    assert typo.status == "resolved" and typo.place is not None
    assert (typo.place.name, typo.place.admin1) == ("Bilohorivka", "Luhansk Oblast")


def test_a_place_of_a_region_the_text_names_leaves_no_room_for_one_abroad(
    gazetteer: Gazetteer,
) -> None:
    """ "Voronezh" in a report on Sumy region is the village Voronizh there, not the Russian
    city; the reason says what was set aside.  A text naming no such region keeps both."""
    sumy = gazetteer.spotting.candidates("Sumy")
    kharkiv = gazetteer.spotting.candidates("Kharkiv")
    assert sumy is not None and kharkiv is not None
    alone, _ = gazetteer.resolve_many(["Voronezh", "Kharkiv"], focus="UA", regions=kharkiv.regions)
    assert alone.place is not None and alone.place.country == "RU"
    assert {c.place.country for c in alone.candidates} == {"RU", "UA"}
    village, _ = gazetteer.resolve_many(["Voronezh", "Sumy region"], focus="UA",
                                        regions=sumy.regions)  # fmt: skip
    assert village.status == "resolved" and village.place is not None
    assert (village.place.name, village.place.admin1) == ("Voronizh", "Sumy Oblast")
    assert "not Voronezh" in village.reason and "the text names Sumy Oblast" in village.reason


def test_village_only_in_the_country_dump(gazetteer: Gazetteer, ua_gazetteer: Gazetteer) -> None:
    assert gazetteer.resolve("Hroza", within="Kharkiv Oblast").status == "unresolved"
    match = ua_gazetteer.resolve("Hroza", within="Kharkiv Oblast")
    assert match.status == "resolved"
    assert match.place.geonameid == 812476
    assert match.place.population == 270  # type: ignore[union-attr]


def test_the_dump_adds_raions_and_keeps_curated_names(ua_gazetteer: Gazetteer) -> None:
    raion = ua_gazetteer.resolve("Izium raion")
    assert raion.status == "resolved"
    assert raion.place.level == "admin2"
    assert raion.place.admin1 == "Kharkiv Oblast"  # type: ignore[union-attr]
    region = ua_gazetteer.resolve("Kharkiv region")
    # GeoNames' own ADM1 point replaces the default's mean of settlements.
    assert region.place is not None
    assert (region.place.lat, region.place.lon) == (49.61667, 36.5)


def test_a_place_that_bears_the_name_beats_one_that_once_did(gazetteer: Gazetteer) -> None:
    # Engels (Russia) was called Pokrovsk; the Donetsk-oblast town is called so today.
    match = gazetteer.resolve("Pokrovsk")
    assert match.candidates[0].place.geonameid == 704422
    assert gazetteer.resolve("Pokrovsk", country="UA").status == "resolved"


def test_curated_corrections_remove_wrong_geonames_names(gazetteer: Gazetteer) -> None:
    match = gazetteer.resolve("Bilhorod-Dnistrovskyi")
    assert match.status == "resolved"
    assert match.place is not None and match.place.geonameid == 712160


def test_typo_candidates_that_disagree_are_no_answer(gazetteer: Gazetteer) -> None:
    match = gazetteer.resolve("Donbas")  # one edit from Donnas (Italy), Dongas...
    assert match.status == "unresolved" and "too uncertain" in match.reason
    assert match.candidates  # the near misses are still shown


@pytest.mark.parametrize(
    ("query", "within", "geonameid"),
    [("Kyiv", "Kyiv Oblast", 703448), ("Sevastopol", "Crimea", 694423)],
)
def test_a_city_unit_lies_inside_the_unit_around_it(
    gazetteer: Gazetteer, query: str, within: str, geonameid: int
) -> None:
    # Kyiv is its own first-level unit, enclosed by Kyiv Oblast (curated enclosed_by).
    match = gazetteer.resolve(query, within=within)
    assert match.status == "resolved", match.reason
    assert match.place is not None and match.place.geonameid == geonameid
    assert gazetteer.resolve(f"{query}, {within}").place == match.place


def test_alternatives_written_with_a_slash(gazetteer: Gazetteer) -> None:
    for query in ("Kharkiv/Kharkov", "Kharkov / Харків"):
        match = gazetteer.resolve(query)
        assert match.status == "resolved", match.reason
        assert match.place is not None and match.place.geonameid == 706483


def test_a_district_as_context(ua_gazetteer: Gazetteer) -> None:
    # "district" is how English writes raion; GeoNames has "Izyum Raion".
    raion = ua_gazetteer.resolve("Izium district")
    assert raion.place is not None and raion.place.geonameid == 9197254
    # Two Hrozas, in Kharkiv and Dnipropetrovsk oblasts.
    assert ua_gazetteer.resolve("Hroza").status == "ambiguous"
    # The UA dump has no Kupiansk raion (only a city council): the town of
    # Kupiansk stands in for it as a place to be near, and the oblast decides too.
    for query in ("Hroza, Kupiansk district, Kharkiv region", "Hroza, Kupiansk district"):
        match = ua_gazetteer.resolve(query)
        assert match.status == "resolved", match.reason
        assert match.place is not None and match.place.geonameid == 812476


def test_within_a_town_means_near_it(gazetteer: Gazetteer) -> None:
    match = gazetteer.resolve("Trostyanets", within="Okhtyrka")
    assert match.status == "resolved" and "near 1 context place" in match.reason
    assert match.place is not None and match.place.geonameid == 691255


@pytest.mark.parametrize(
    ("query", "country"),
    [("US", "US"), ("USA", "US"), ("UK", "GB"), ("UAE", "AE"), ("UA", "UA"),
     ("U.S.", "US"), ("U.K.", "GB"), ("U.S.A.", "US")],
)  # fmt: skip
def test_the_code_of_a_country_is_the_country(
    gazetteer: Gazetteer, query: str, country: str
) -> None:
    match = gazetteer.resolve(query)
    assert match.status == "resolved", match.reason
    assert match.place is not None
    assert (match.place.level, match.place.country) == ("country", country)
    assert match.query == query
    assert f"{query!r} is the code of {match.place.name}" in match.reason


@pytest.mark.parametrize(
    ("query", "meaning", "area"),
    [("EU", "European Union", ("Europe", "continent")),
     ("E.U.", "European Union", ("Europe", "continent")),
     ("DPR", "Donetsk", ("Donetsk Oblast", "admin1")),
     ("ZNPP", "Nuclear Power Plant", ("Enerhodar", "settlement")),
     ("NATO", "North Atlantic", None), ("TASS", "", None), ("SBU", "", None)],
)  # fmt: skip
def test_an_acronym_that_names_no_country_is_unresolved(
    gazetteer: Gazetteer, query: str, meaning: str, area: tuple[str, str] | None
) -> None:
    """Never a place; where the acronyms table says where it lies, that place is kept as the
    closest candidate, refused."""
    match = gazetteer.resolve(query)
    assert match.status == "unresolved" and match.place is None
    code = query.replace(".", "")  # "E.U." is read as "EU"
    assert f"{code!r} is an acronym or code, not a place name" in match.reason
    assert meaning in match.reason
    kept = [(c.place.name, c.place.level) for c in match.candidates]
    assert kept == ([area] if area else [])
    if area:
        assert f"{area[0]}, where it lies, is kept as the closest candidate" in match.reason
        assert match.candidates[0].matched_name == code


def test_a_name_in_capitals_is_a_city_or_unit_never_a_village(gazetteer: Gazetteer) -> None:
    # A dateline ("KYIV, Ukraine (AP) —") writes a city in capitals.
    assert gazetteer.resolve("KYIV").place.geonameid == 703448  # type: ignore[union-attr]
    assert gazetteer.resolve("LVIV").place.geonameid == 702550  # type: ignore[union-attr]
    # Written as names, "Us" and "Eu" are the villages in France they were.
    for name, geonameid in (("Us", 2971316), ("Eu", 3019329)):
        match = gazetteer.resolve(name)
        assert match.place is not None and match.place.geonameid == geonameid, match.reason


@pytest.mark.parametrize(
    ("query", "country"),
    [("Irish", "Ireland"), ("Syrian", "Syria"), ("Russian", "Russia"), ("Russians", "Russia"),
     ("American", "United States"), ("Americans", "United States"), ("Ukrainian", "Ukraine"),
     ("New Zealander", "New Zealand")],
)  # fmt: skip
def test_a_demonym_is_not_a_place(gazetteer: Gazetteer, query: str, country: str) -> None:
    # Unresolved, and the country it names the people of is the closest candidate.
    match = gazetteer.resolve(query)
    assert match.status == "unresolved"
    assert f"{query!r} is a demonym of {country}" in match.reason
    assert "not a place name" in match.reason
    first = match.candidates[0]
    assert (first.place.name, first.place.level) == (country, "country")
    assert all(c.place.level == "country" for c in match.candidates)
    assert first.score <= 0.5  # a demonym read as its country is a guess


#: GeoNames' points of continents, as the world benchmarks' gold gives them.
CONTINENTS = {"Europe": (48.69096, 9.14062), "Africa": (7.1881, 21.09375),
              "Asia": (29.84064, 89.29688), "South America": (-14.60485, -57.65625)}  # fmt: skip


@pytest.mark.parametrize("query", sorted(CONTINENTS))
def test_a_continent_is_resolved_at_geonames_point(gazetteer: Gazetteer, query: str) -> None:
    # "Africa" is also an old name of Mahdia, Tunisia, and "Asia" a town of the
    # Philippines: a continent named wins over the towns that bear its name.
    match = gazetteer.resolve(query)
    assert match.status == "resolved", match.reason
    place = match.place
    assert place is not None and (place.name, place.level, place.country) == (
        query, "continent", "")  # fmt: skip
    assert place.distance_km(*CONTINENTS[query]) <= 161
    assert "the continent won" in match.reason or "the only candidate" in match.reason


def test_a_continent_gives_way_to_a_country_or_town_of_its_name(gazetteer: Gazetteer) -> None:
    # Antarctica is a continent and, in GeoNames' country table, a territory (AQ).
    match = gazetteer.resolve("Antarctica")
    assert match.place is not None and (match.place.level, match.place.country) == (
        "country", "AQ")  # fmt: skip
    assert [c.place.level for c in match.candidates] == ["country", "continent"]
    # Asked for a town, "Asia" is the town; asked for a continent, the continent.
    town = gazetteer.resolve("Asia", level="settlement").place
    assert town is not None and town.level == "settlement"
    continent = gazetteer.resolve("Asia", level="continent").place
    assert continent is not None and continent.level == "continent"


def test_america_is_the_united_states(gazetteer: Gazetteer) -> None:
    # GeoNames has no continent called America: North and South America are two.
    match = gazetteer.resolve("America")
    assert match.status == "resolved", match.reason
    assert match.place is not None and match.place.country == "US"


@pytest.mark.parametrize(
    ("query", "continent"),
    [("African", "Africa"), ("Africans", "Africa"), ("European", "Europe"),
     ("Asian", "Asia"), ("South American", "South America"), ("North Americans", "North America")],
)  # fmt: skip
def test_a_demonym_of_a_continent_is_not_a_place(
    gazetteer: Gazetteer, query: str, continent: str
) -> None:
    # "African" is one edit from "Africa", an old name of Mahdia: never that town.
    match = gazetteer.resolve(query)
    assert match.status == "unresolved"
    assert match.reason.startswith(f"{query!r} is a demonym of {continent}, not a place name")
    assert [(c.place.name, c.place.level) for c in match.candidates] == [(continent, "continent")]
    assert match.candidates[0].score <= 0.5


def test_the_continent_level_round_trips_through_json(gazetteer: Gazetteer) -> None:
    answer = json.loads(json.dumps(gazetteer.resolve("Europe").to_dict()))
    assert (answer["name"], answer["level"], answer["country"]) == ("Europe", "continent", "")
    assert answer["candidates"][0]["radius_km"] > 3000
    assert answer["geonameid"] == 6255148


@pytest.mark.parametrize(
    ("query", "country", "geonameid"),
    [("Izyoom", "UA", 707292), ("Hroza", "RU", 558418), ("Riverbanks", "US", None)],
)
def test_a_typo_without_context_is_not_resolved(
    gazetteer: Gazetteer, query: str, country: str, geonameid: int | None
) -> None:
    # A typo neighbour is a guess unless the name is long, meets the primary name
    # of a town people write about and forms no other word ("Riverbanks").
    match = gazetteer.resolve(query)
    assert match.status != "resolved", match.reason
    assert all(c.method == "fuzzy" for c in match.candidates)
    assert match.candidates[0].place.country == country
    if geonameid is not None:
        assert match.candidates[0].place.geonameid == geonameid


def test_kentucky_is_the_state_never_a_town_that_bore_a_name_one_edit_away(
    gazetteer: Gazetteer,
) -> None:
    # Northport, Alabama was "Kentuck": an exact unit wins, and no typo is searched.
    match = gazetteer.resolve("Kentucky")
    assert match.place is not None and (match.place.level, match.place.admin1) == (
        "admin1",
        "Kentucky",
    )
    assert all(c.place.name != "Northport" for c in match.candidates)


def test_context_supports_a_typo(gazetteer: Gazetteer) -> None:
    for kwargs in ({"country": "UA"}, {"within": "Kharkiv Oblast"}, {"near": [(49.2, 37.3)]}):
        match = gazetteer.resolve("Izyoom", **kwargs)  # type: ignore[arg-type]
        assert match.status == "resolved", (kwargs, match.reason)
        assert match.place is not None and match.place.geonameid == 707292
    together = gazetteer.resolve_many(["Izyoom", "Kharkiv", "Kramatorsk", "Sloviansk"])
    assert together[0].status == "resolved", together[0].reason
    # Places outside the country asked for are called so exactly: the typo stays a guess.
    elsewhere = gazetteer.resolve("Sloviansk", country="RU")  # one edit from Slavyansk
    assert elsewhere.status == "ambiguous"
    assert "places outside the country asked for are called 'Sloviansk' exactly" in elsewhere.reason


@pytest.mark.parametrize(
    ("query", "coincidence"),
    [("Pennsylvania", "Pensilvania"), ("Hawaii", "Hawai"), ("Asia", "Ashiya")],
)
def test_a_skeleton_match_needs_a_cyrillic_country_or_a_transliterated_name(
    gazetteer: Gazetteer, query: str, coincidence: str
) -> None:
    # Folding iu/yu, kh/h, sh/s... is for names romanised from Cyrillic; elsewhere
    # it makes coincidences (Pensilvania, Colombia; Ashiya, Japan).
    match = gazetteer.resolve(query)
    assert all(c.place.name != coincidence for c in match.candidates), match.reason
    if match.status == "unresolved":
        assert "outside countries whose names are romanised from Cyrillic" in match.reason


@pytest.mark.parametrize("query", ["Izjum", "Kharkov", "Charkiw", "Zaporozhye", "Ізюм", "Kharkiw"])
def test_transliterations_of_ukrainian_names_still_resolve(
    gazetteer: Gazetteer, query: str
) -> None:
    match = gazetteer.resolve(query)
    assert match.status == "resolved", match.reason
    assert match.place is not None and match.place.country == "UA"


@pytest.mark.parametrize(
    ("query", "name", "admin1"),
    [("S.C.", "South Carolina", "South Carolina"), ("L.A.", "Los Angeles", "California")],
)
def test_an_abbreviation_with_dots_is_its_place_not_a_country_code(
    gazetteer: Gazetteer, query: str, name: str, admin1: str
) -> None:
    # "S.C." is no Seychelles (SC) and "L.A." no Laos (LA): the gazetteer names them.
    match = gazetteer.resolve(query)
    assert match.place is not None and (match.place.name, match.place.admin1) == (name, admin1)
    assert "code" not in match.reason


def test_a_unit_named_exactly_so_beats_towns_and_a_city_named_for_its_unit_wins(
    gazetteer: Gazetteer,
) -> None:
    texas = gazetteer.resolve("Texas")
    assert texas.status == "resolved" and texas.place is not None
    assert (texas.place.level, texas.place.country) == ("admin1", "US")
    assert "the first-level unit won: one named exactly so, over the towns" in texas.reason
    new_york = gazetteer.resolve("New York")
    assert new_york.status == "resolved" and new_york.place is not None
    assert (new_york.place.name, new_york.place.level) == ("New York City", "settlement")
    assert "a city that shares its name with the unit it lies in (New York)" in new_york.reason
    georgia = gazetteer.resolve("Georgia")
    assert georgia.place is not None and georgia.place.level == "country"
    assert georgia.place.country == "GE"


@pytest.mark.parametrize(
    ("batch", "country", "admin1"),
    [(["Paris", "Dallas", "Houston"], "US", "Texas"),
     (["Dublin", "Columbus", "Cleveland"], "US", "Ohio"),
     (["Georgia", "Atlanta", "Savannah"], "US", "Georgia")],
)  # fmt: skip
def test_the_places_of_a_batch_beat_population(
    gazetteer: Gazetteer, batch: list[str], country: str, admin1: str
) -> None:
    alone = gazetteer.resolve(batch[0])
    assert alone.place is not None and alone.place.country != country
    match = gazetteer.resolve_many(batch)[0]
    assert match.status == "resolved", match.reason
    assert match.place is not None and (match.place.country, match.place.admin1) == (
        country,
        admin1,
    )
    assert f"of the batch's other places lies in {admin1}" in match.reason
    assert "the default country for the rest" in match.reason
    assert gazetteer.resolve_many(batch, use_context=False)[0].place == alone.place


def test_a_batch_of_ukrainian_villages_places_a_village_of_two_oblasts(
    ua_gazetteer: Gazetteer,
) -> None:
    assert ua_gazetteer.resolve("Hroza").status == "ambiguous"
    match = ua_gazetteer.resolve_many(["Hroza", "Kupiansk", "Izium", "Balakliia"])[0]
    assert match.status == "resolved", match.reason
    assert match.place is not None and match.place.geonameid == 812476
    assert "most places of the batch lie in Ukraine" in match.reason


def test_a_batch_revisits_a_resolved_answer_that_its_places_contradict(
    gazetteer: Gazetteer,
) -> None:
    # Alone, "Paris" is resolved in France; among towns of Texas it is not.
    assert gazetteer.resolve("Paris").status == "resolved"
    match = gazetteer.resolve_many(["Paris", "Dallas", "Houston", "Austin", "Tyler"])[0]
    assert match.place is not None and match.place.admin1 == "Texas"


@pytest.mark.parametrize("query", ["Middle East", "Congress", "Heathrow"])
def test_a_small_place_alone_may_be_a_word_or_a_place_the_gazetteer_does_not_list(
    gazetteer: Gazetteer, query: str
) -> None:
    match = gazetteer.resolve(query)
    assert match.status == "ambiguous", match.reason
    assert match.candidates[0].place.country == "US"
    assert match.candidates[0].score < 0.7
    assert "may be a word or a place the gazetteer does not list" in match.reason


@pytest.mark.parametrize(
    ("query", "geonameid"),
    [("Houston", 4699066), ("Izium", 707292), ("Tsirkuny", 691084), ("Ізюм", 707292)],
)
def test_a_city_or_a_town_of_a_cyrillic_country_alone_stays_resolved(
    gazetteer: Gazetteer, query: str, geonameid: int
) -> None:
    match = gazetteer.resolve(query)
    assert match.status == "resolved", match.reason
    assert match.candidates[0].place.geonameid == geonameid


def test_the_batch_supports_a_small_place_where_its_places_lie(gazetteer: Gazetteer) -> None:
    alabama = gazetteer.resolve_many(["Arab", "Huntsville", "Montgomery"])[0]
    assert alabama.status == "resolved", alabama.reason
    assert alabama.candidates[0].place.admin1 == "Alabama"
    elsewhere = gazetteer.resolve_many(["Arab", "Cairo", "Damascus"])[0]
    assert elsewhere.status == "ambiguous", elsewhere.reason


def test_a_famous_place_the_batch_does_not_support_is_ambiguous(gazetteer: Gazetteer) -> None:
    alone = gazetteer.resolve("London")
    assert alone.status == "resolved" and alone.candidates[0].place.country == "GB"
    local = gazetteer.resolve_many(["London", "Seattle", "Tacoma"])[0]
    assert local.status == "ambiguous", local.reason
    assert "none of the batch's other places lies in United Kingdom" in local.reason
    assert {c.place.country for c in local.candidates} >= {"GB", "US"}


def test_a_common_name_inside_an_oblast_may_be_an_unlisted_village(
    ua_gazetteer: Gazetteer,
) -> None:
    common = ua_gazetteer.resolve("Ямпіль", within="Kyiv Oblast")
    assert common.status == "ambiguous", common.reason
    assert common.candidates[0].place.admin1 == "Kyiv Oblast"
    assert "8 places of Ukraine are called 'Ямпіль'" in common.reason
    rare = ua_gazetteer.resolve("Hroza", within="Kharkiv Oblast")
    assert rare.status == "resolved", rare.reason


def test_namesakes_inside_the_oblast_asked_for_leave_the_name_ambiguous(
    ua_gazetteer: Gazetteer,
) -> None:
    # Kharkiv Oblast holds the town of Lozova and villages of the name: its size
    # does not tell which one a report about the oblast means.
    lozova = ua_gazetteer.resolve("Lozova", within="Kharkiv Oblast")
    assert lozova.status == "ambiguous", lozova.reason
    assert lozova.candidates[0].place.population > 50_000
    inside = [c for c in lozova.candidates if c.place.admin1 == "Kharkiv Oblast"]
    assert len({(c.place.lat, c.place.lon) for c in inside}) >= 3
    assert "places inside Kharkiv Oblast bear the name 'Lozova'" in lozova.reason
    # A town with no namesake in its oblast still resolves.
    izium = ua_gazetteer.resolve("Izium", within="Kharkiv Oblast")
    assert izium.status == "resolved", izium.reason


def test_a_village_without_a_population_weighs_as_a_small_village(
    ua_gazetteer: Gazetteer,
) -> None:
    # GeoNames writes 0 for an unknown population. The village of Shakhtarske in
    # Luhansk Oblast has none; the town in Dnipropetrovsk Oblast has 27,573 people.
    # Inside the oblast asked for, the village is the answer, not a toss-up.
    match = ua_gazetteer.resolve("Shakhtarske", within="Luhansk Oblast")
    assert match.status == "resolved", match.reason
    best = match.candidates[0].place
    assert (best.admin1, best.population) == ("Luhansk Oblast", 0)
    assert match.candidates[1].place.admin1 == "Dnipropetrovsk Oblast"
