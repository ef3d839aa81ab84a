from __future__ import annotations

import json
from pathlib import Path

from geo_sites.gazetteer import Gazetteer
from geo_sites.incidents import (
    Incident,
    Site,
    Source,
    incidents_frame,
    locate,
    merge,
    read_incidents,
    site_record,
    sites_frame,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "incidents.json"


def test_the_izium_burial_site_as_a_row(seed_sites: list[Site]) -> None:
    (site,) = [s for s in seed_sites if s.name == "Izium mass burial site"]
    record = site_record(site)
    assert (record["count"], record["count_low"], record["count_high"]) == (447, 440, 447)
    assert record["count_kind"] == "bodies"
    assert record["counts"] == "bodies 447 (440–447); bodies in one marked grave 17; graves 440"
    assert record["precision"] == "near" and record["radius_m"] == 10_000
    assert (record["acled_geo_precision"], record["ucdp_where_prec"]) == (2, 2)
    assert record["place_as_written"] == "Izium; Izyum"
    assert (record["place_name"], record["geonameid"], record["country"]) == ("Izium", 707292, "UA")
    assert record["source_count"] == 4 == len(json.loads(record["sources_json"]))
    # The frame's row is the record, with the types of the columns.
    row = sites_frame([site]).iloc[0]
    assert row["count_low"] == 440 and row["first_report"].isoformat() == "2022-09-15T00:00:00"
    assert (row.geometry.x, row.geometry.y) == (record["lon"], record["lat"])


def test_unplaced_sites_have_no_point(gazetteer: Gazetteer) -> None:
    nowhere = Incident(site="Somewhere", place="Qwxzvillekrt", event_type="shelling",
                       sources=(Source(outlet="Local radio"),))  # fmt: skip
    izium = Incident(site="Izium", place="Izium", event_type="shelling",
                     sources=(Source(outlet="Local radio"),))  # fmt: skip
    frame = sites_frame(merge(locate([nowhere, izium], gazetteer)))
    assert frame.geometry.isna().tolist() == [True, False]
    assert frame["status"].tolist() == ["unresolved", "resolved"]
    assert frame["reason"][0].startswith("no place is called 'Qwxzvillekrt'")


def test_each_incident_is_a_row_with_its_first_source(gazetteer: Gazetteer) -> None:
    incidents = read_incidents(SEEDS)
    frame = incidents_frame(locate(incidents, gazetteer))
    assert frame["incident_id"].tolist() == [i.id for i in incidents]
    first = frame.iloc[0]
    assert (first["site"], first["count"], first["count_kind"]) == (
        "Izium, destroyed five-storey building", 44, "civilian bodies")  # fmt: skip
    assert first["document"] == incidents[0].sources[0].document
    assert first["place_name"] == "Izium" and first.geometry.y == first["lat"]
