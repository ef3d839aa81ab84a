from __future__ import annotations

import csv
import dataclasses
from pathlib import Path

import pytest

from geo_sites.gazetteer import Gazetteer
from geo_sites.incidents import (
    Count,
    EventDate,
    Incident,
    LocatedIncident,
    Site,
    Source,
    locate,
    merge,
    read_incidents,
    read_sites,
    sites_frame,
)
from geo_sites.incidents.sites import query_of
from geo_sites.models import haversine_km
from tests.common import IZYUM_MATCH

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "incidents.json"
CNN = Source(outlet="CNN")


def _incident(**changes: object) -> Incident:
    values: dict[str, object] = {"site": "Izium mass burial site", "place": "Izyum",
                                 "event_type": "mass_grave", "sources": (CNN,)}  # fmt: skip
    return Incident(**(values | changes))  # type: ignore[arg-type]


def _located(*incidents: Incident) -> list[LocatedIncident]:
    return [LocatedIncident(i, IZYUM_MATCH, i.precision) for i in incidents]


@pytest.fixture(scope="module")
def seed_sites(gazetteer: Gazetteer) -> list[Site]:
    return read_sites(SEEDS, gazetteer=gazetteer)


def _by_name(sites: list[Site], name: str, event_type: str) -> Site:
    (site,) = [s for s in sites if s.name == name and s.event_type == event_type]
    return site


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


def test_the_izium_burial_site_is_one_site_with_every_source(seed_sites: list[Site]) -> None:
    site = _by_name(seed_sites, "Izium mass burial site", "mass_grave")
    assert site.place is not None and site.place.geonameid == 707292
    assert site.places_as_written == ("Izium", "Izyum")
    assert len(site.sources) == 4 and len(site.incidents) == 4
    counts = {c.kind: c for c in site.counts}
    # 440 and 447 bodies are one range; 440 graves stay a count of graves.
    assert counts["bodies"] == Count("bodies", best=447, low=440, high=447)
    assert counts["graves"] == Count("graves", best=440)
    assert site.main_count == counts["bodies"]
    record = site.to_record()
    assert (record["count"], record["count_low"], record["count_high"]) == (447, 440, 447)
    assert record["precision"] == "near" and record["radius_m"] == 10_000


def test_records_that_must_stay_apart_stay_apart(seed_sites: list[Site]) -> None:
    izium = [s for s in seed_sites if s.place and s.place.geonameid == 707292]
    # The 44 bodies in a destroyed building are not the mass grave.
    building = _by_name(seed_sites, "Izium, destroyed five-storey building", "bodies_found")
    assert [c.best for c in building.counts] == [44]
    # Shelling of the town (on 7-10 March, and the undated shelling of a building)
    # and shelling near the town on 7 May: two sites.
    shelling = sorted((s for s in izium if s.event_type == "shelling"), key=lambda s: s.precision)
    assert [(s.precision, len(s.incidents)) for s in shelling] == [("near", 1), ("settlement", 2)]
    assert len(izium) == 5


def test_a_site_near_a_town_is_not_the_town() -> None:
    town = _incident(site="Izium", precision="settlement")
    near = _incident(site="forest near Izium", precision="near", sources=(Source(outlet="BBC"),))
    assert [s.precision for s in merge(_located(town, near, town))] == ["settlement", "near"]


def test_region_sites_are_at_admin1_precision(seed_sites: list[Site]) -> None:
    regions = [s for s in seed_sites if s.name == "Kharkiv Oblast"]
    assert {s.event_type for s in regions} == {"bodies_found", "torture_site", "mass_grave"}
    for site in regions:
        assert site.place is not None and site.place.geonameid == 706482
        assert site.precision == "admin1" and site.radius_m == 100_000
    bodies = _by_name(seed_sites, "Kharkiv Oblast", "bodies_found")
    assert bodies.counts[0].parts == (("women", 226), ("children", 19))


def test_trostianets_is_the_sumy_one(seed_sites: list[Site]) -> None:
    site = _by_name(seed_sites, "Trostianets, torture room", "torture_site")
    assert site.place is not None and site.place.geonameid == 691255


def test_dates_decide_which_reports_merge() -> None:
    march = _incident(event_type="shelling", event_date=EventDate.parse("2022-03-07/2022-03-10"))
    march_9 = _incident(event_type="shelling", event_date=EventDate.parse("2022-03-09"),
                        sources=(Source(outlet="Suspilne"),))  # fmt: skip
    may = _incident(event_type="shelling", event_date=EventDate.parse("2022-05-07"))
    undated = _incident(event_type="shelling", site="Izium", sources=(Source(outlet="BBC"),))
    sites = merge(_located(march, may, march_9))
    assert [len(s.incidents) for s in sites] == [2, 1]
    assert str(sites[0].event_date) == "2022-03-07/2022-03-10"
    # An undated report joins the only dated group of its place and type...
    (one,) = merge(_located(march, undated))
    assert len(one.sources) == 2
    # ...but not one of two: it stays apart.
    assert len(merge(_located(march, may, undated))) == 3


def test_merging_does_not_depend_on_the_order() -> None:
    reports = [_incident(counts=(Count("bodies", best=n),), sources=(Source(outlet=o),))
               for n, o in ((440, "Reuters"), (447, "The Independent"), (446, "CNN"))]  # fmt: skip
    forward, backward = merge(_located(*reports)), merge(_located(*reversed(reports)))
    assert forward[0].id == backward[0].id
    assert forward[0].counts == backward[0].counts == (Count("bodies", 447, 440, 447),)
    assert forward[0].incidents == backward[0].incidents


def test_unresolved_places_stay_and_stay_apart(gazetteer: Gazetteer) -> None:
    nowhere = _incident(place="Qwxzvillekrt", site="Somewhere")
    located = locate([nowhere, _incident()], gazetteer)
    assert located[0].match.status == "unresolved"
    sites = merge(located)
    assert len(sites) == 2 and sites[0].place is None
    frame = sites_frame(sites)
    assert frame.geometry.isna().tolist() == [True, False]
    assert frame["status"].tolist() == ["unresolved", "resolved"]


def test_a_coarse_place_makes_the_precision_coarse(gazetteer: Gazetteer) -> None:
    (located,) = locate([_incident(place="Kharkiv region", precision="settlement")], gazetteer)
    assert located.precision == "admin1"


def test_site_ids_are_stable(gazetteer: Gazetteer, seed_sites: list[Site]) -> None:
    again = merge(locate(read_incidents(SEEDS), gazetteer))
    assert [s.id for s in again] == [s.id for s in seed_sites]
    assert len({s.id for s in seed_sites}) == len(seed_sites)
    site = seed_sites[0]
    assert dataclasses.replace(site, sources=()).id == site.id  # a new source keeps the id


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
