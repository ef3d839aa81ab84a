from __future__ import annotations

import dataclasses
from pathlib import Path

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
)
from tests.common import IZYUM_MATCH

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "incidents.json"
CNN = Source(outlet="CNN")


def _incident(**changes: object) -> Incident:
    values: dict[str, object] = {"site": "Izium mass burial site", "place": "Izyum",
                                 "event_type": "mass_grave", "sources": (CNN,)}  # fmt: skip
    return Incident(**(values | changes))  # type: ignore[arg-type]


def _located(*incidents: Incident) -> list[LocatedIncident]:
    return [LocatedIncident(i, IZYUM_MATCH, i.precision) for i in incidents]


def _by_name(sites: list[Site], name: str, event_type: str) -> Site:
    (site,) = [s for s in sites if s.name == name and s.event_type == event_type]
    return site


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
    assert site.precision == "near" and site.radius_m == 10_000


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
    assert [s.match.status for s in sites] == ["unresolved", "resolved"]


def test_site_ids_are_stable(gazetteer: Gazetteer, seed_sites: list[Site]) -> None:
    again = merge(locate(read_incidents(SEEDS), gazetteer))
    assert [s.id for s in again] == [s.id for s in seed_sites]
    assert len({s.id for s in seed_sites}) == len(seed_sites)
    site = seed_sites[0]
    assert dataclasses.replace(site, sources=()).id == site.id  # a new source keeps the id
