"""The extractor end to end: our own test reports, then the seed reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pytest

from geo_sites.exceptions import UnknownCountryError
from geo_sites.extract import Document, read_documents
from geo_sites.extract.evaluate import evaluate, read_not_incident, read_truth
from geo_sites.extract.extractor import EXTRACTOR, extract
from geo_sites.gazetteer import Gazetteer
from geo_sites.incidents import (
    EventDate,
    Incident,
    LocatedIncident,
    incidents_frame,
    locate,
    merge,
    sites_frame,
)

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"
NEWS = REPORTS.parent / "news"


def _extract(gazetteer: Gazetteer, folder: Path) -> list[LocatedIncident]:
    return [i for _, d in read_documents(folder) if d for i in extract(d, gazetteer)]


def _report(text: str, day: dt.date | None = None) -> Document:
    """A report of *text*, published on *day*."""
    return Document(path="r.txt", text=text, sha256="0" * 64, encoding="utf-8", report_date=day)


def _incidents(document: Document, gazetteer: Gazetteer) -> list[Incident]:
    return [located.incident for located in extract(document, gazetteer)]


def test_our_reports(gazetteer: Gazetteer) -> None:
    located = _extract(gazetteer, REPORTS)
    incidents = [item.incident for item in located]
    frame = sites_frame(merge(located))
    scores = evaluate(frame, read_truth(REPORTS / "truth.csv"))
    assert (scores.missed_places, scores.wrong_places, scores.wrong_event_types) == ((), (), ())
    assert scores.count_accuracy.share == 1.0
    by_place: dict[tuple[str, str], Incident] = {}
    for incident in incidents:  # the first incident of each place and type
        by_place.setdefault((incident.place, incident.event_type), incident)
    bucha = by_place["Bucha", "killing"]
    assert bucha.role == "background"  # recalled, not reported
    lyman = by_place["Lyman", "mass_grave"]
    assert (lyman.precision, lyman.context) == ("near", "Donetsk")
    kramatorsk = by_place["Kramatorsk", "air_strike"]
    assert kramatorsk.event_date is not None and kramatorsk.event_date.start == dt.date(2022, 4, 8)
    assert [(c.kind, c.best) for c in kramatorsk.counts] == [("civilians", 57)]


def test_what_the_next_sentence_tells(gazetteer: Gazetteer, tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(
        "date 2023-03-01\n\nShelling hit Kherson and a missile struck a school in Mykolaiv. "
        "Two people died.\n\nThe bodies of 12 people were exhumed near Izium.\n\n"
        "Of the 12 bodies, five were women. Some 300 people left the town.\n",
        encoding="utf-8",
    )
    ((_, document),) = read_documents(tmp_path / "r.txt")
    assert document is not None
    found = [(i.place, i.event_type, i.precision, [(c.kind, c.best, c.parts) for c in i.counts])
             for i in _incidents(document, gazetteer)]  # fmt: skip
    assert found == [
        ("Kherson", "shelling", "settlement", []),
        ("Mykolaiv", "air_strike", "settlement", []),  # its own clause names it
        ("Mykolaiv", "air_strike", "settlement", [("killed", 2, ())]),  # the attack's toll
        ("Izium", "bodies_found", "near", [("bodies", 12, ())]),
        ("Izium", "bodies_found", "near", [("bodies", 12, (("women", 5),))]),  # carried on
    ]  # the 300 who left are no count of harm


def test_the_region_of_a_regional_body(gazetteer: Gazetteer, tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text(
        "Troops entered Kherson last week. The Kherson regional police said they had found "
        "ten torture chambers in the region.",
        encoding="utf-8",
    )
    ((_, document),) = read_documents(tmp_path / "r.txt")
    assert document is not None
    ((place, precision, event_type),) = [(i.place, i.precision, i.event_type)
                                         for i in _incidents(document, gazetteer)]  # fmt: skip
    assert (place, precision, event_type) == ("Kherson", "admin1", "torture_site")


def test_a_report_placed_at_a_continent_stays_unmapped(gazetteer: Gazetteer) -> None:
    text = "Investigators found a mass grave with 20 bodies somewhere in Europe."
    document = _report(text)
    located = extract(document, gazetteer)
    assert [(i.incident.place, i.match.status, i.precision) for i in located] == [
        ("Europe", "unresolved", "country")]  # fmt: skip
    assert "Europe is a continent: too vague to map" in located[0].match.reason
    assert sites_frame(merge(located)).geometry.isna().tolist() == [True]


def test_countries_and_foreign_places_are_no_incident_places_when_finer_ones_are(
    gazetteer: Gazetteer,
) -> None:
    text = ("Seven civilians were killed in Ukraine. Shelling killed seven people in Kharkiv, "
            "officials said. The missiles were launched from the Belgorod region.")  # fmt: skip
    document = _report(text)
    assert [(i.incident.place, i.precision) for i in extract(document, gazetteer)] == [
        ("Kharkiv", "settlement")]  # fmt: skip


def test_provenance(gazetteer: Gazetteer) -> None:
    ((_, document),) = read_documents(REPORTS / "south.md")
    assert document is not None
    (kherson, *_) = _incidents(document, gazetteer)
    (source,) = kherson.sources
    assert source.quote == document.text[source.start : source.end]  # type: ignore[misc]
    assert source.quote.startswith("Artillery shelled Kherson on Saturday")  # type: ignore[union-attr]
    assert (source.document, source.sha256, source.extractor) == (
        document.path, document.sha256, EXTRACTOR)  # fmt: skip
    assert Incident.from_dict(kherson.to_dict()) == kherson  # records round-trip


@pytest.mark.shared
def test_the_seed_reports(gazetteer: Gazetteer, shared: Path) -> None:
    """Where the extractor stands on the seed reports: 0.9 or better for both."""
    sites = merge(_extract(gazetteer, shared / "seeds"))
    scores = evaluate(sites_frame(sites), read_truth(shared / "eval" / "seed_sites.csv"))
    for share in (scores.site_recall, scores.place_precision):  # the judge's pass mark
        assert share.right >= 0.9 * share.total
    kharviv = [s for s in sites if "Kharviv" in s.places_as_written]
    assert kharviv and all(s.place and s.place.geonameid == 706482 for s in kharviv)


def test_our_news_reports(gazetteer: Gazetteer) -> None:
    """Our news reports (tests/data/news.md), scored as the judge scores them.

    What is still missed, each for a reason the default gazetteer or a rule gives:
    Posad-Pokrovske is not in the default gazetteer (its grave stays unresolved), and the
    detentions in a Kherson torture site, counted nowhere, are told with it.
    """
    scores = evaluate(incidents_frame(_extract(gazetteer, NEWS)), read_truth(NEWS / "truth.csv"),
                      read_not_incident(NEWS / "not_incident.csv"))  # fmt: skip
    shares = (scores.place_recall, scores.site_recall, scores.place_precision,
              scores.site_precision)  # fmt: skip
    assert [share.total for share in shares[:2]] == [50, 69]  # the truth's places and sites
    floors = (0.98, 0.95, 1.0, 1.0)  # where the extractor stands: it may only rise
    assert all(share.share >= floor for share, floor in zip(shares, floors, strict=True))


@pytest.mark.parametrize(
    ("written", "place"),
    [
        ("Khar\u00adkiv", "Kharkiv"),  # soft hyphen
        ("Kha\u00adrkiv", "Kharkiv"),
        ("Bu\u200bcha", "Bucha"),  # zero-width space
        ("\u0412ucha", "Bucha"),  # a Cyrillic capital letter
        ("\uff2b\uff59\uff49\uff56", "Kyiv"),  # fullwidth
        ("Kh\u0430rk\u0456v", "Kharkiv"),  # Cyrillic letters inside
    ],
)
def test_invisible_and_look_alike_characters(
    gazetteer: Gazetteer, tmp_path: Path, written: str, place: str
) -> None:
    """The place is the one a reader sees; quote and offsets point at the text as written."""
    (tmp_path / "r.txt").write_text(
        f"date 2022-09-16\n\nShelling hit Izium on Monday.\n\n"
        f"Three civilians were killed in {written} on Tuesday.\n",
        encoding="utf-8",
    )
    ((_, document),) = read_documents(tmp_path / "r.txt")
    assert document is not None
    located = extract(document, gazetteer)
    incidents = [item.incident for item in located]
    assert [(i.place, i.site) for i in incidents] == [("Izium", "Izium"), (place, place)]
    (source,) = incidents[1].sources
    assert source.quote == f"Three civilians were killed in {written} on Tuesday."
    assert document.text[source.start : source.end] == source.quote  # type: ignore[misc]
    assert located[1].match.place is not None and located[1].match.place.country == "UA"


@pytest.mark.parametrize(
    "unit",
    [
        "Shelling hit Kharkiv on Monday and killed 3 people near Izium. ",  # sentences
        "shelling in Kharkiv killed 3 people, bodies found near Izium, ",  # no full stop
    ],
)
def test_a_long_line(gazetteer: Gazetteer, unit: str) -> None:
    """200 kB on one line: read in linear time (see benchmarks/bench_extract.py), every
    incident found, offsets into the line."""
    text = "KYIV - " + unit * (200_000 // len(unit) + 1)
    document = Document("line.txt", text, "0" * 64, "utf-8")
    incidents = _incidents(document, gazetteer)
    assert len(text) > 200_000 and len(incidents) >= 2 * (200_000 // 2_000)
    assert {i.place for i in incidents} == {"Kharkiv", "Izium"}
    for incident in incidents:
        (source,) = incident.sources
        written = text[source.start : source.end]  # type: ignore[misc]
        assert written.startswith(source.quote.removesuffix("…"))  # type: ignore[union-attr]


def test_each_place_is_decided_once(gazetteer: Gazetteer, tmp_path: Path) -> None:
    """The extractor places its incidents under the rule that spotted their names, with the
    document's focus; the same records placed again with no text around them read the small
    Ukrainian village Tykhyi as "Tihi", Tychy in Poland."""
    (tmp_path / "r.txt").write_text(
        "date 2022-09-16\n\nTroops detained 12 men in Tykhyi. Shelling hit the Kharkiv region "
        "and Kupiansk district on Monday.\n",
        encoding="utf-8",
    )
    ((_, document),) = read_documents(tmp_path / "r.txt")
    assert document is not None
    located = extract(document, gazetteer)
    answers = [(i.incident.place, i.incident.precision, i.precision, i.match.status,
                i.match.place and (i.match.place.name, i.match.place.level, i.match.place.country))
               for i in located]  # fmt: skip
    assert answers == [
        ("Tykhyi", "settlement", "settlement", "resolved", ("Tykhyi", "settlement", "UA")),
        ("Kharkiv", "admin1", "admin1", "resolved", ("Kharkiv Oblast", "admin1", "UA")),
        ("Kupiansk", "admin2", "admin2", "resolved", ("Kupiansk", "admin2", "UA")),
    ]
    again = locate([i.incident for i in located], gazetteer)
    assert again[0].match.place is not None and again[0].match.place.country == "PL"
    assert [i.match for i in again[1:]] == [i.match for i in located[1:]]


def test_an_unknown_country_is_refused(gazetteer: Gazetteer) -> None:
    document = Document("r.txt", "Shelling hit Izium.", "0" * 64, "utf-8")
    with pytest.raises(UnknownCountryError, match="'XX'"):
        extract(document, gazetteer, country="XX")
    (item,) = extract(document, gazetteer, country="ua")
    assert item.match.place is not None and item.match.place.name == "Izium"


# Each rule about language, with a sentence of our own: the incidents it gives, as
# (place as written, event type, precision).
RULES = [
    pytest.param(  # a region named once does not make the city a region
        "Shelling hit villages across the Kharkiv region. A missile struck a school in Kharkiv.",
        [("Kharkiv", "shelling", "admin1"), ("Kharkiv", "air_strike", "settlement")],
        id="region-per-mention",
    ),
    pytest.param(
        "LYMAN, Donetsk region — Investigators exhumed 20 bodies from a mass grave in Lyman.",
        [("Lyman", "mass_grave", "settlement")],
        id="dateline-with-region",
    ),
    pytest.param(
        "KYIV, Ukraine (AP) — A Russian missile hit a school in Sumy, killing three.",
        [("Sumy", "air_strike", "settlement")],
        id="dateline-with-agency",
    ),
    pytest.param(
        "The head of the Sumy military administration said a missile hit Okhtyrka.",
        [("Okhtyrka", "air_strike", "settlement")],
        id="affiliation",
    ),
    pytest.param(
        "Shelling wounded four in Petropavlivka; they were taken to hospital in Kupiansk.",
        [("Petropavlivka", "shelling", "settlement")],
        id="hospital",
    ),
    pytest.param(
        "A missile struck Poltava, 300 kilometres east of Kyiv, killing 41 people.",
        [("Poltava", "air_strike", "settlement")],
        id="distance-reference",
    ),
    pytest.param(
        "A missile launched from the Kursk region hit a school in Sumy.",
        [("Sumy", "air_strike", "settlement")],
        id="launch-site-abroad",
    ),
    pytest.param(
        "Missiles launched from Belgorod struck Kharkiv overnight.",
        [("Kharkiv", "air_strike", "settlement")],
        id="launch-site-then-the-place-hit",
    ),
    pytest.param(
        "A missile strike on Kryvyi Rih killed 18 people. As of now, 18 people are confirmed dead.",
        [("Kryvyi Rih", "air_strike", "settlement")] * 2,
        id="toll-is-no-killing",
    ),
    pytest.param(
        "A glide bomb destroyed a school in Kurakhove.",
        [("Kurakhove", "air_strike", "settlement"), ("Kurakhove", "destruction", "settlement")],
        id="strike-and-destruction",
    ),
    pytest.param(
        "Artillery hit Chuhuiv, Kharkiv and Kupiansk districts overnight.",
        [
            ("Chuhuiv", "shelling", "admin2"),
            ("Kharkiv", "shelling", "admin2"),
            ("Kupiansk", "shelling", "admin2"),
        ],
        id="plural-qualifier",
    ),
    pytest.param(
        "A drone hit a block of flats in Odesa's Kyivskyi district.",
        [("Odesa", "air_strike", "settlement")],
        id="city-district",
    ),
    pytest.param(
        "Russian forces attacked Odesa with drones overnight, injuring two women.",
        [("Odesa", "air_strike", "settlement")],
        id="attack-with-drones",
    ),
    pytest.param(
        "Spokesman Heorhiy Tykhyi said the prisoners were executed near Orikhiv. "
        "Tykhyi said the killings were a crime.",
        [("Orikhiv", "killing", "near")] * 2,
        id="surname-alone",
    ),
    pytest.param(
        "A shell hit a clinic in Vovchansk. Two nurses were wounded.",
        [("Vovchansk", "shelling", "settlement")] * 2,
        id="next-sentence-same-place",
    ),
    pytest.param("Missiles struck a small town near Odesa.", [], id="unnamed-town-near-a-place"),
    pytest.param(
        "Bodies were found in towns and villages around Kyiv.",
        [("Kyiv", "bodies_found", "admin1")],
        id="around-a-city",
    ),
    pytest.param(
        "Shelling killed one in Lysychansk, Luhansk region.",
        [("Lysychansk", "shelling", "settlement")],
        id="town-and-its-region",
    ),
    pytest.param(
        "Seven were killed in a missile strike in eastern Ukraine, as the minister arrived in "
        "Kyiv.",
        [("Ukraine", "air_strike", "country")],
        id="another-clause",
    ),
    pytest.param(  # a village misspelt, in the region the report names
        "Shelling went on across the Luhansk region. A bomb hit a school in Bilohirivka. "
        "Bilohirivka is shelled every day.",
        [
            ("Luhansk", "shelling", "admin1"),
            ("Bilohirivka", "air_strike", "settlement"),
            ("Bilohirivka", "shelling", "settlement"),
        ],
        id="village-typo-in-a-named-region",
    ),
    pytest.param(  # a list whose places bear their district, and "one more - in"
        "Marhanets and Myrove of the Nikopol district, and Pokrov are under fire. "
        "Shells injured two people in Kostiantynivka, one more - in Druzhkivka.",
        [
            ("Marhanets", "shelling", "settlement"),
            ("Myrove", "shelling", "settlement"),
            ("Pokrov", "shelling", "settlement"),
            ("Kostiantynivka", "shelling", "settlement"),
            ("Druzhkivka", "shelling", "settlement"),
        ],
        id="list-with-districts",
    ),
    pytest.param(  # the same toll in the region is the town's strike told again
        "Missiles hit an aid convoy leaving Zaporizhzhia, killing 23 people. The missile attack "
        "in the Zaporizhzhia region caused the death of 23 people. Shelling of the Zaporizhzhia "
        "region killed 4 people.",
        [
            ("Zaporizhzhia", "air_strike", "settlement"),
            ("Zaporizhzhia", "air_strike", "settlement"),
            ("Zaporizhzhia", "shelling", "admin1"),
        ],
        id="region-restates-a-town",
    ),
    pytest.param(  # ... or a village the gazetteer cannot place, which may be in any region
        "In Kharkiv Oblast, police found the bodies of two civilians. The two bodies lay in a "
        "pit in the village of Tykhodolynka.",
        [("Tykhodolynka", "bodies_found", "settlement")] * 2,
        id="region-restates-an-unknown-village",
    ),
    pytest.param(  # a grave is a mass grave when a word says so or it holds three or more
        "Investigators found a grave with two bodies in Lyman. Bodies given hurried graves "
        "are being retrieved in Bakhmut. The bodies of nine men were exhumed from a shallow "
        "grave in Izium.",
        [
            ("Lyman", "bodies_found", "settlement"),
            ("Bakhmut", "bodies_found", "settlement"),
            ("Izium", "mass_grave", "settlement"),
        ],
        id="graves-of-bodies",
    ),
    pytest.param(  # bodies found at a town's grave are its bodies; a region's tally is not
        "A mass grave was found near Lyman. Police found the bodies of four men in a pit near "
        "Lyman. In the Donetsk region, 600 bodies have been exhumed.",
        [
            ("Lyman", "mass_grave", "near"),
            ("Lyman", "mass_grave", "near"),
            ("Donetsk", "bodies_found", "admin1"),
        ],
        id="bodies-of-a-grave",
    ),
    pytest.param(  # what happened at places the sentence does not name is not the town's
        "As a result of shelling in Lysychansk, one person was killed, and facilities in other "
        "settlements were destroyed. Elsewhere, drones hit a school. Elsewhere in the region, "
        "shelling hit Kreminna.",
        [("Lysychansk", "shelling", "settlement"), ("Kreminna", "shelling", "settlement")],
        id="elsewhere",
    ),
    pytest.param(  # a part of the country is where it happened, not the town named before
        "Shells hit Kharkiv on Sunday, killing six. Two days earlier a rocket attack struck "
        "apartment buildings in eastern Ukraine, killing at least 30 people.",
        [("Kharkiv", "shelling", "settlement")],
        id="a-part-of-the-country",
    ),
    pytest.param(  # the victims of a case are its injured parties, not the dead
        "Police opened 12 criminal proceedings involving 85 victims in Izium. In Balakliia, "
        "the bodies of 40 victims were exhumed.",
        [("Balakliia", "bodies_found", "settlement")],
        id="victims-of-a-case",
    ),
    pytest.param(  # a headline ending in a name locates nothing in the line below
        "Missile strikes on Odesa\n\nIn Kharkiv a shell hit a market, killing two.",
        [("Odesa", "air_strike", "settlement"), ("Kharkiv", "shelling", "settlement")],
        id="headline-then-body",
    ),
    pytest.param(  # a city's district named by an adjective, not Kyiv's; a raion stays one
        "In Odesa a drone hit the Kyivskyi district, injuring two. Artillery hit Balakliia and "
        "the Kupianskyi district.",
        [
            ("Odesa", "air_strike", "settlement"),
            ("Balakliia", "shelling", "settlement"),
            ("Kupianskyi", "shelling", "admin2"),
        ],
        id="city-district-by-adjective",
    ),
    pytest.param(  # a link to another story
        "Shelling killed two in Kupiansk.\n\nRead also: Russians shelled a hospital in Izium",
        [("Kupiansk", "shelling", "settlement")],
        id="read-also",
    ),
    pytest.param(
        "Houses were damaged in Druzhkivka after shelling. Air defence destroyed two drones "
        "over Sloviansk.",
        [("Druzhkivka", "shelling", "settlement")],
        id="damage-and-shot-down-drones",
    ),
]


@pytest.mark.parametrize(("text", "expected"), RULES)
def test_rules_about_language(
    gazetteer: Gazetteer, text: str, expected: list[tuple[str, str, str]]
) -> None:
    document = _report(text, dt.date(2024, 5, 1))
    found = [(i.place, i.event_type, i.precision) for i in _incidents(document, gazetteer)
             if i.role != "background"]  # fmt: skip
    assert found == expected


def test_a_village_the_gazetteer_lacks_stays_unresolved(gazetteer: Gazetteer) -> None:
    """A name written "the village of X" or "the X district" is the place of its events even
    when no gazetteer lists it: the incident stays unresolved, with the reason, and is not
    moved to the town beside it or to the place named before."""
    text = ("Investigators found a mass grave in the village of Tykhodolynka near Balakliia. "
            "The town of Kupiansk was shelled. A shell also hit the Novobavarskyi district."
            "\n\nEmergency crews worked all night. "
            "Shelling was recorded in the Zlatohirsk district.")  # fmt: skip
    document = _report(text, dt.date(2024, 5, 1))
    grave, shelling, city_district, district = extract(document, gazetteer)
    assert city_district.incident.place == "Kupiansk"  # a city's district is the city's
    assert (district.incident.place, district.precision) == ("Zlatohirsk", "admin2")
    assert district.match.status == "unresolved"
    assert (grave.incident.place, grave.incident.event_type) == ("Tykhodolynka", "mass_grave")
    assert grave.match.status == "unresolved" and grave.match.place is None
    assert "Tykhodolynka" in grave.match.reason
    assert grave.incident.confidence is not None and grave.incident.confidence < 0.5
    assert (shelling.incident.place, shelling.match.status) == ("Kupiansk", "resolved")


def test_after_a_likening_the_story_goes_on_where_it_was(gazetteer: Gazetteer) -> None:
    """A place likened is background, and the next sentence naming no place is about the
    report's place again; a place recalled ("were accused of war crimes in Bucha") is what
    the next sentence goes on about."""
    likened = ("Investigators exhumed a mass grave in Lyman. The scene reminded them of Izium. "
               "They have identified 14 of the dead so far.")  # fmt: skip
    recalled = ("Investigators exhumed a mass grave in Lyman. In April, Russian troops were "
                "accused of war crimes in Bucha. Dozens of civilians were shot there.")  # fmt: skip
    found = []
    for text in (likened, recalled):
        document = _report(text, dt.date(2024, 5, 1))
        found.append([(i.place, i.role) for i in _incidents(document, gazetteer)])
    assert found[0] == [("Lyman", "primary"), ("Izium", "background"), ("Lyman", "primary")]
    assert found[1][-1] == ("Bucha", "background")


def test_recalled_and_old_events_are_background(gazetteer: Gazetteer) -> None:
    text = ("The exhumation reminded residents of Izium. A missile hit a school in Lyman. "
            "The protesters killed in Kyiv on February 20, 2014 were remembered.")  # fmt: skip
    document = _report(text, dt.date(2024, 2, 20))
    roles = {(i.place, i.role) for i in _incidents(document, gazetteer)}
    assert roles == {("Izium", "background"), ("Lyman", "primary"), ("Kyiv", "background")}
    # the old date holds in its own clause: the other clause is news, with no date of its own
    text = ("As the nation remembered the protesters killed in Kyiv on February 20, 2014, the "
            "army said Russian forces had executed three prisoners near Orikhiv.")  # fmt: skip
    document = replace(document, text=text)
    found = {(i.place, i.role, i.event_date) for i in _incidents(document, gazetteer)}
    assert found == {("Kyiv", "background", EventDate.parse("2014-02-20")),
                     ("Orikhiv", "primary", None)}  # fmt: skip


def test_a_strike_months_before_a_discovery_is_the_places_story(gazetteer: Gazetteer) -> None:
    """In a report of graves found, a strike at the same place that its clause dates two
    months or more before the report is the place's story, not news; without a discovery
    there, a dated strike is news of it ("an investigation of 2022 told in 2024")."""
    grave = ("Investigators exhumed 27 bodies from a mass grave in Kupiansk on Tuesday. "
             "Kupiansk came under heavy shelling in May, before it was occupied.")  # fmt: skip
    strike = "Kupiansk came under heavy shelling in May, the prosecutor's office said."
    found = []
    for text in (grave, strike):
        document = _report(text, dt.date(2023, 10, 5))
        found.append([(i.place, i.event_type) for i in _incidents(document, gazetteer)])
    assert found == [[("Kupiansk", "mass_grave")], [("Kupiansk", "shelling")]]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the body tells of the region of that name only: the headline's name is the region
        ("Ukraine finds mass grave in Kherson\n\nInvestigators found a mass grave in the "
         "village of Tykhodolynka, in the southern region of Kherson. Across the region of "
         "Kherson, 700 bodies have been exhumed since the occupation ended.",
         [("Kherson", "mass_grave", "admin1"), ("Tykhodolynka", "mass_grave", "settlement"),
          ("Kherson", "bodies_found", "admin1")]),
        # the body names the town only as a reference, and tells the strike elsewhere
        ("Rescue work at Odesa tower block after missile strike\n\nMissiles struck a block of "
         "flats in a small town near Odesa overnight, killing 12. In Serhiivka, a second "
         "missile hit a campsite, Odesa's governor said.",
         [("Serhiivka", "air_strike", "settlement")]),
        # the body tells of the town itself, or not at all: the headline stands
        ("Missile strike on Kharkiv kills three\n\nA missile hit a school in Kharkiv on "
         "Monday, killing three.",
         [("Kharkiv", "air_strike", "settlement"), ("Kharkiv", "air_strike", "settlement")]),
        ("Drones hit Sumy overnight\n\nA drone also hit a farm in Okhtyrka.",
         [("Sumy", "air_strike", "settlement"), ("Okhtyrka", "air_strike", "settlement")]),
    ],
)  # fmt: skip
def test_the_body_reads_the_headline(gazetteer: Gazetteer, text: str, expected: list) -> None:
    document = _report(text, dt.date(2024, 5, 1))
    found = [(i.incident.place, i.incident.event_type, i.precision)
             for i in extract(document, gazetteer)]  # fmt: skip
    assert found == expected


def test_confidence_follows_the_evidence(gazetteer: Gazetteer) -> None:
    text = ("On May 3 a missile strike killed seven people in Sumy. "
            "Killings were reported in Sumy region.")  # fmt: skip
    document = _report(text, dt.date(2024, 5, 4))
    strike, region = _incidents(document, gazetteer)
    assert strike.confidence is not None and region.confidence is not None
    assert strike.confidence > 0.9 > region.confidence  # dated, counted, its clause; a region
