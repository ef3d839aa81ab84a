"""Which names are places of a text: the rule that spotting and the resolver share."""

from __future__ import annotations

import pytest

from geo_sites.gazetteer import Gazetteer


@pytest.mark.parametrize(
    ("name", "focus", "place"),
    [
        ("Kharkiv", "UA", True),
        ("Kharkiv", "PL", True),  # also a region: a place of any text
        ("Ukraine", None, True),  # a country
        ("Moscow", "UA", True),  # a large town, exactly named
        ("Tykhyi", "UA", True),  # a village of the focus country
        ("Tykhyi", "FR", True),  # and of France
        ("Tykhyi", "DE", False),
        ("Tykhyi", None, False),
        ("Sky", "UA", False),  # a village of Norway and a town of Azerbaijan, as "Şəki"
        ("Izyum", "UA", True),
    ],
)
def test_a_name_is_a_place_of_a_text(
    gazetteer: Gazetteer, name: str, focus: str | None, place: bool
) -> None:
    candidates = gazetteer.spotting.candidates(name)
    assert candidates is not None and candidates.in_text(focus) is place


def test_what_a_name_can_be(gazetteer: Gazetteer) -> None:
    spotting = gazetteer.spotting
    assert spotting.candidates("Qwzxv") is None
    ukraine = spotting.candidates("Ukraine")
    assert ukraine is not None and ukraine.country and ukraine.wide and "UA" in ukraine.countries
    izium = spotting.candidates("Ізюм")
    assert izium is not None and not izium.wide and izium.countries == ("UA",)
    assert spotting.candidates("Izium") is spotting.candidates("Izium")  # asked once
    assert spotting.focus([izium, ukraine]) == "UA"
    assert spotting.focus([]) is None


def test_a_name_votes_for_the_places_it_is_the_very_name_of(gazetteer: Gazetteer) -> None:
    bucha = gazetteer.spotting.candidates("Bucha")
    assert bucha is not None
    # Bucca (Australia) is only a transliteration of it: no vote.  Of the towns named
    # Bucha, the largest (Ukraine) comes first, so a lone "Bucha" is read in Ukraine.
    assert "AU" in bucha.countries and "AU" not in bucha.votes
    assert bucha.votes[0] == "UA" and "DE" in bucha.votes
    assert gazetteer.spotting.focus([bucha]) == "UA"


@pytest.mark.parametrize(
    ("word", "focus", "typo"),
    [
        ("Kharviv", "UA", True),  # Kharkiv, a city and a region
        ("Kharviv", "RU", False),
        ("Kramatorks", "UA", True),
        ("Izyoom", "UA", True),
        ("Bakhmuto", "UA", True),
        ("Xyzzyx", "UA", False),
    ],
)
def test_a_typo_of_a_notable_place_of_the_focus_country(
    gazetteer: Gazetteer, word: str, focus: str, typo: bool
) -> None:
    assert gazetteer.spotting.typo(word, focus) is typo


def test_a_typo_of_a_village_in_a_region_the_text_names(gazetteer: Gazetteer) -> None:
    """Bilohorivka, a village, is read for "Bilohirivka" only in a text naming its oblast."""
    luhansk = gazetteer.spotting.candidates("Luhansk")
    kherson = gazetteer.spotting.candidates("Kherson")
    assert luhansk is not None and kherson is not None
    assert gazetteer.spotting.typo("Bilohirivka", "UA") is False
    assert gazetteer.spotting.typo("Bilohirivka", "UA", kherson.regions) is False
    assert gazetteer.spotting.typo("Bilohirivka", "UA", luhansk.regions) is True
