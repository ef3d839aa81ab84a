from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo_sites.extract import events
from geo_sites.extract.events import counts, triggers

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("found a mass grave of more than 440 bodies", [("bodies", 440, 440, None, ())]),
        ("Out of 534 bodies, 226 were women and 19 were children.",
         [("bodies", 534, None, None, (("women", 226), ("children", 19)))]),
        ("officials said that twenty more “torture chambers” were found",
         [("torture chambers", 20, None, None, ())]),
        ("the number of victims is estimated at 1000", [("victims", 1000, None, None, ())]),
        ("The bodies of 44 civilians were found.", [("civilian bodies", 44, None, None, ())]),
        ("Dozens of bodies were exhumed.", [("bodies", None, 24, None, ())]),
        ("up to forty-four people were killed", [("killed", 44, None, 44, ())]),
        ("at least 1,700 people were detained", [("people", 1700, 1700, None, ())]),
        ("a missile hit the cathedral, killing one man", [("killed", 1, None, None, ())]),
        ("Three residents died and eleven were wounded",
         [("killed", 3, None, None, ()), ("wounded", 11, None, None, ())]),
        ("a guided bomb hit a hospital, injuring four", [("injured", 4, None, None, ())]),
        ("strikes killed at least seven and wounded 20",
         [("killed", 7, 7, None, ()), ("wounded", 20, None, None, ())]),
        ("In 2022, 3 km from town, on 2022-09-16 at 0:42, 5 storey blocks burned.", []),
        # one person harmed, with the article, counts one; an age is no count
        ("a 68-year-old man was injured", [("injured", 1, None, None, ())]),
        ("A woman died and two men were killed",
         [("killed", 1, None, None, ()), ("killed", 2, None, None, ())]),
        ("A man said the shelling hurt nobody", []),
        # the verb before a count of people says what they suffered
        ("killing a man and injuring two women",
         [("killed", 1, None, None, ()), ("injured", 2, None, None, ())]),
        ("shelling killed a 58-year-old man", [("killed", 1, None, None, ())]),
        ("a drone hit a car, injuring its driver", [("injured", 1, None, None, ())]),
        ("two railway workers were injured", [("injured", 2, None, None, ())]),
        ("An attack killed three people", [("killed", 3, None, None, ())]),
        ("up to 60 villagers were held in the school", [("villagers", 60, None, 60, ())]),
        ("312 attacks on 19 settlements", [("attacks", 312, None, None, ())]),
        # how many live in a place is no toll
        ("in Sumy, a city with a pre-war population of around 250,000 people", []),
        ("the strike hit Balakliia, a town of 26,000, killing two",
         [("killed", 2, None, None, ())]),
        ("Dnipro, home to about 900,000 residents, was shelled", []),
    ],
)  # fmt: skip
def test_counts(sentence: str, expected: list[tuple[object, ...]]) -> None:
    assert [(c.kind, c.best, c.low, c.high, c.parts) for c in counts(sentence)] == expected


@pytest.mark.parametrize(
    ("sentence", "types"),
    [
        ("Ukrainian authorities found a mass grave of 440 bodies", ["bodies_found", "mass_grave"]),
        ("ten torture chambers were found", ["torture_site"]),
        ("Artillery shelled the town, killing four", ["shelling", "shelling", "killing"]),
        ("a missile strike destroyed a school", ["air_strike", "destruction"]),
        ("30 people were detained in a basement", ["detention"]),
        ("Civilians were held in a basement for weeks", ["detention"]),
        ("All the bodies were buried in individual graves", []),
        ("He was held captive for 40 days", ["detention"]),
        ("An exhibition was held in the theatre; talks were held in Istanbul", []),
        ("according to people who were held there", ["detention"]),
        ("Deported Ukrainians are disappearing near the line", ["detention"]),
        # what burned in a report of attacks is the attack's doing
        ("A truck caught fire and a shed burned down", ["attack", "attack"]),
        ("The weather was calm.", []),
        ("Drones struck warehouses and a missile hit the port", ["air_strike", "air_strike"]),
        # a charge names the crime; the act it charges is told elsewhere
        ("a criminal case for violating the laws of war combined with premeditated murder", []),
        ("They murdered two men. Murder is a crime.", ["killing", "killing"]),
        ("Russian strikes on Kharkiv killed seven", ["air_strike", "killing"]),
        ("an artillery strike on the front line", ["shelling"]),
        # what an examination asks is no death told; a death toll is
        ("Tests were ordered to determine the causes of death.", []),
        ("The death toll rose to five.", ["killing"]),
    ],
)
def test_triggers(sentence: str, types: list[str]) -> None:
    assert [t.event_type for t in triggers(sentence)] == types


def test_a_weapon_named_as_a_cause_of_death() -> None:
    graves = "some died because of artillery fire, some were killed by air strikes"
    assert [t.event_type for t in triggers(graves)] == ["killing"] * 4
    # counted, the dead are the weapon's toll: a shelling that killed two
    nikopol = "Two people were killed in Russian shelling of Nikopol"
    assert [t.event_type for t in triggers(nikopol, counted=True)] == ["killing", "shelling"]


def test_the_quick_trigger_pattern_finds_what_the_plain_one_does() -> None:
    """The first-letter look-ahead only skips work; it never changes what is found."""
    plain = re.compile("|".join(f"(?P<{kind}>\\b(?:{pattern})\\b)"
                                for kind, pattern in events._PATTERNS.items()))  # fmt: skip
    text = " ".join(p.read_text("utf-8") for p in sorted(REPORTS.iterdir())).lower()
    text += " " + " ".join(events._TRIGGER_WORDS)  # every word an event pattern needs

    def found(pattern: re.Pattern[str]) -> list[tuple[int, int, str | None]]:
        return [(m.start(), m.end(), m.lastgroup) for m in pattern.finditer(text)]

    assert found(events._TRIGGERS_LOWER) == found(plain) and len(found(plain)) > 100
