"""Spotting place names, on texts of our own and on the seed reports."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from geo_sites.extract import places, read_documents
from geo_sites.extract.places import spot_places
from geo_sites.gazetteer import Gazetteer


def _spot(gazetteer: Gazetteer, text: str) -> list[tuple[str, str, str | None, bool]]:
    mentions = spot_places(text, gazetteer).mentions
    assert all(text[m.start : m.end] == m.text for m in mentions)
    return [(m.text, m.name, m.level, m.fuzzy) for m in mentions]


def test_spellings_and_scripts(gazetteer: Gazetteer) -> None:
    text = ("Shelling hit Izjum and Ізюм overnight, and families from Kharkov fled to Lviv "
            "and Kam'ianets'-Podil's'kyi.")  # fmt: skip
    assert _spot(gazetteer, text) == [
        ("Izjum", "Izjum", None, False), ("Ізюм", "Ізюм", None, False),
        ("Kharkov", "Kharkov", None, False), ("Lviv", "Lviv", None, False),
        ("Kam'ianets'-Podil's'kyi", "Kam'ianets'-Podil's'kyi", None, False),
    ]  # fmt: skip


def test_a_long_text_is_read_in_parts(
    gazetteer: Gazetteer, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = "\n\n".join(f"Shelling hit Izjum. Mr Bolvinov came from Kharkov to Kryvyi Rih {n}."
                       for n in range(20))  # fmt: skip
    whole = _spot(gazetteer, text)
    monkeypatch.setattr(places, "_PART", 100)  # about a paragraph a part
    assert _spot(gazetteer, text) == whole and len(whole) == 60


def test_names_of_several_words_and_levels(gazetteer: Gazetteer) -> None:
    """A qualifier joins the mention and gives its level, a field: the name stays the name."""
    text = ("Missiles struck Kryvyi Rih and Bila Tserkva; in the Sumy region, Kharkiv's mayor "
            "said. Shelling hit the Kupiansk district and Харківська область.")  # fmt: skip
    assert _spot(gazetteer, text) == [
        ("Kryvyi Rih", "Kryvyi Rih", None, False), ("Bila Tserkva", "Bila Tserkva", None, False),
        ("Sumy region", "Sumy", "admin1", False), ("Kharkiv", "Kharkiv", None, False),
        ("Kupiansk district", "Kupiansk", "admin2", False),
        ("Харківська область", "Харківська", "admin1", False),
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Mr Serhiy Bolvinov told Sky News that investigators were at work.",
        "President Volodymyr Zelensky spoke as Russian forces withdrew.",
        "Oleh Syniehubov said the Ukrainian army had found them.",
        "Our reporter Bel Trew spoke to Anton Gerashchenko on Thursday in May.",
        "Syrian, Irish and Georgian volunteers arrived.",
        "European, African and Asian leaders met; South Americans sent aid.",
        "The commander of the West troop group and the North fleet gave the order.",
    ],
)
def test_people_organisations_and_demonyms_are_not_places(gazetteer: Gazetteer, text: str) -> None:
    assert _spot(gazetteer, text) == []


def test_a_demonym_may_start_a_name(gazetteer: Gazetteer) -> None:
    text = "Flights from the Dominican Republic and Georgian villages resumed."
    assert [name for _, name, _, _ in _spot(gazetteer, text)] == ["Dominican Republic"]


def test_a_point_of_the_compass_may_start_a_name(gazetteer: Gazetteer) -> None:
    text = "Aid reached the West Bank, South Sudan and the West troop group."
    assert [name for _, name, _, _ in _spot(gazetteer, text)] == ["West Bank", "South Sudan"]


def test_a_country_ending_a_longer_name_is_no_country(gazetteer: Gazetteer) -> None:
    """In "Snake Island", "Island" (Iceland's own name, "Ísland") ends a name the gazetteer
    lacks; a country named alone, or after a word that is never a name, stays."""
    text = "Troops left Snake Island. Soviet Ukraine and Island were named."
    assert [name for _, name, _, _ in _spot(gazetteer, text)] == ["Ukraine", "Island"]


def test_the_names_of_outlets_are_not_places(gazetteer: Gazetteer) -> None:
    """A newspaper is no place, though Pravda is a village of Crimea too."""
    text = "Sumy was struck, Orda.kz reports, citing Ukrainska Pravda and the Kyiv Independent."
    assert [name for _, name, _, _ in _spot(gazetteer, text)] == ["Sumy", "Kyiv"]


def test_the_focus_is_the_country_most_names_can_be_in(gazetteer: Gazetteer) -> None:
    """Small places count in a text about their country only: Tykhyi (a village of Ukraine,
    and Tychy in Poland read as "Tihi") in both texts below, Sky (a village of Norway) in
    neither."""
    held = "; Sky reported that men were held in Tykhyi."
    for text, focus, names in [
        ("Shelling hit Kharkiv and Izium" + held, "UA", ["Kharkiv", "Izium", "Tykhyi"]),
        ("Trains left Krakow and Katowice" + held, "PL", ["Krakow", "Katowice", "Tykhyi"]),
    ]:
        spotted = spot_places(text, gazetteer)
        assert (spotted.focus, [m.name for m in spotted.mentions]) == (focus, names)
    spotted = spot_places("Trains left Krakow.", gazetteer, country="UA")
    assert (spotted.focus, [m.name for m in spotted.mentions]) == ("UA", ["Krakow"])


def test_typos_of_known_places(gazetteer: Gazetteer) -> None:
    text = "Bodies were found in Kharviv and in Izium, the police of Kharviv said."
    assert _spot(gazetteer, text) == [
        ("Kharviv", "Kharviv", None, True), ("Izium", "Izium", None, False),
        ("Kharviv", "Kharviv", None, True),
    ]  # fmt: skip


def test_every_seed_place_is_spotted(gazetteer: Gazetteer, shared: Path) -> None:
    expected: dict[str, set[str]] = defaultdict(set)
    with (shared / "eval" / "seed_sites.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            expected[row["doc"]].add(row["place_as_written"])
    for _, document in read_documents(shared / "seeds"):
        assert document is not None
        spotted = {m.name for m in spot_places(document.text, gazetteer).mentions}
        assert expected[Path(document.path).name] <= spotted, document.path
