from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo_sites.gazetteer import Gazetteer
from geo_sites.incidents import Incident, Site, Source, locate, query_of, read_sites
from geo_sites.models import haversine_km

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "incidents.json"
CNN = Source(outlet="CNN")


def _incident(**changes: object) -> Incident:
    values: dict[str, object] = {"site": "Izium mass burial site", "place": "Izyum",
                                 "event_type": "mass_grave", "sources": (CNN,)}  # fmt: skip
    return Incident(**(values | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "name", "level", "context"),
    [
        ({}, "Izyum", None, None),
        ({"place": "Kharviv", "precision": "admin1"}, "Kharviv", "admin1", None),
        ({"place": "Kharkiv oblast", "precision": "admin1"}, "Kharkiv", "admin1", None),
        ({"place": "Izium", "precision": "admin2"}, "Izium", "admin2", None),
        ({"place": "Trostyanets", "context": "Sumy"}, "Trostyanets", None, "Sumy"),
    ],
)
def test_the_query_carries_the_level_and_the_context_as_fields(
    changes: dict[str, str], name: str, level: str | None, context: str | None
) -> None:
    query = query_of(_incident(**changes))
    assert (query.text, query.name, query.level, query.context) == (
        changes.get("place", "Izyum"),
        name,
        level,
        context,
    )


def test_trostianets_is_the_sumy_one(seed_sites: list[Site]) -> None:
    (site,) = [s for s in seed_sites if s.name == "Trostianets, torture room"]
    assert site.place is not None and site.place.geonameid == 691255


def test_a_coarse_place_makes_the_precision_coarse(gazetteer: Gazetteer) -> None:
    (located,) = locate([_incident(place="Kharkiv region", precision="settlement")], gazetteer)
    assert located.precision == "admin1"


def test_a_report_placed_at_a_continent_is_not_mapped(gazetteer: Gazetteer) -> None:
    """Europe is no place to put a pin or an area at: the row stays, unmapped, with the reason."""
    from geo_sites.incidents import incidents_frame, merge, sites_frame

    incidents = [_incident(place="Europe", precision="country"), _incident(place="Izium"),
                 _incident(place="Africa", site="Africa", event_type="killing")]  # fmt: skip
    located = locate(incidents, gazetteer)
    assert [item.match.status for item in located] == ["unresolved", "resolved", "unresolved"]
    assert [item.precision for item in located] == ["country", "settlement", "country"]
    europe = located[0].match
    assert europe.place is None
    assert europe.reason.startswith("Europe is a continent: too vague to map an incident at")
    assert [(c.place.name, c.place.level) for c in europe.candidates][:1] == [
        ("Europe", "continent")]  # fmt: skip
    frame = incidents_frame(located)
    assert len(frame) == 3 and frame.geometry.isna().tolist() == [True, False, True]
    sites = sites_frame(merge(located))
    assert len(sites) == 3
    assert sites.loc[sites["place_name"].isna(), "reason"].str.contains("a continent").all()


def test_the_incidents_of_one_document_are_context_for_each_other(gazetteer: Gazetteer) -> None:
    """Trostyanets alone is ambiguous; beside Okhtyrka and Sumy in its report, it is found."""
    report = Source(document="sumy.txt")
    other = Source(document="kyiv.txt")
    located = locate([_incident(place="Trostyanets", sources=(report,)),
                      _incident(place="Okhtyrka", sources=(report,)),
                      _incident(place="Sumy", sources=(report,)),
                      _incident(place="Trostyanets", sources=(other,))], gazetteer)  # fmt: skip
    assert [item.match.status for item in located] == ["resolved"] * 3 + ["ambiguous"]
    place = located[0].match.place
    assert place is not None and place.geonameid == 691255


@pytest.mark.shared
def test_every_seed_site_is_within_10_km_of_the_evaluation(
    ua_gazetteer: Gazetteer, shared: Path
) -> None:
    """With the GeoNames Ukraine dump, as the evaluation table was made."""
    sites = read_sites(SEEDS, gazetteer=ua_gazetteer)
    with (shared / "eval" / "seed_sites.csv").open(encoding="utf-8") as file:
        expected = list(csv.DictReader(file))
    for row in expected:
        matching = [s for s in sites if row["place_as_written"] in s.places_as_written
                    and s.event_type == row["event_type"]]  # fmt: skip
        assert matching, row
        for site in matching:
            assert site.place is not None, row
            assert site.place.geonameid == int(row["geonameid"]), row
            distance = haversine_km(site.place.lat, site.place.lon,
                                    float(row["lat"]), float(row["lon"]))  # fmt: skip
            assert distance <= 10, (row, distance)
            if row["precision"] == "admin1":
                assert site.precision == "admin1"


@pytest.mark.shared
def test_seed_sites_on_the_default_gazetteer_are_the_same_places(
    seed_sites: list[Site], shared: Path
) -> None:
    """The embedded default places every seed site at the evaluation's place."""
    with (shared / "eval" / "seed_sites.csv").open(encoding="utf-8") as file:
        expected = {(r["place_as_written"], r["event_type"]): r for r in csv.DictReader(file)}
    for (written, event_type), row in expected.items():
        for site in seed_sites:
            if written in site.places_as_written and site.event_type == event_type:
                assert site.place is not None and site.place.geonameid == int(row["geonameid"])
                if row["precision"] != "admin1":  # a region's point is an estimate here
                    assert site.place.distance_km(float(row["lat"]), float(row["lon"])) <= 10
