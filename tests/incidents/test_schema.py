from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from geo_sites.exceptions import InvalidInputError
from geo_sites.incidents import PRECISIONS, Count, EventDate, Incident, Source
from geo_sites.incidents.schema import PRECISION_CODES

SOURCE = {"outlet": "Example News", "url": "https://example.org/a", "date": "2022-09-16"}


def _record(**changes: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "site": "Izium mass burial site", "place": "Izyum", "precision": "near",
        "event_type": "mass_grave", "counts": [{"kind": "bodies", "best": 447, "low": 440}],
        "event_date": "2022-09", "report_date": "2022-09-15", "sources": [SOURCE],
    }  # fmt: skip
    return record | changes


@pytest.mark.parametrize(
    ("text", "start", "end", "precision", "acled"),
    [
        ("2022-05-07", "2022-05-07", "2022-05-07", "day", 1),
        ("2022-03-07/2022-03-10", "2022-03-07", "2022-03-10", "range", 2),
        ("2022-02", "2022-02-01", "2022-02-28", "month", 3),
        ("2024-02", "2024-02-01", "2024-02-29", "month", 3),
        ("2022", "2022-01-01", "2022-12-31", "year", 3),
    ],
)
def test_dates_keep_their_precision(
    text: str, start: str, end: str, precision: str, acled: int
) -> None:
    date = EventDate.parse(text)
    assert (date.start.isoformat(), date.end.isoformat(), date.precision) == (start, end, precision)
    assert date.acled_time_precision == acled
    assert str(date) == text


@pytest.mark.parametrize(
    "text",
    ["2022-13", "2022-02-30", "May 2022", "", "2022-05-07/2022-05-01", "2022/" * 3_000,
     "2022-05-01/2022-05-02/2022-05-03"],
)  # fmt: skip
def test_bad_dates_are_clear_errors(text: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        EventDate.parse(text)
    assert len(str(caught.value)) < 300


def test_counts_are_whole_ordered_and_say_what_they_count() -> None:
    count = Count("bodies", best=534, parts=(("women", 226), ("children", 19)))
    assert count.to_dict() == {"kind": "bodies", "best": 534, "low": None, "high": None,
                               "parts": {"women": 226, "children": 19}}  # fmt: skip
    assert Count.from_dict(count.to_dict()) == count
    for bad in ({"best": 1}, {"kind": "bodies"}, {"kind": "bodies", "best": 447.0},
                {"kind": "bodies", "best": -1}, {"kind": "bodies", "low": 9, "best": 3},
                {"kind": "bodies", "best": True}, {"kind": "bodies", "best": 10**30},
                {"kind": "bodies", "best": 3, "parts": {"women": 2**63}}):  # fmt: skip
        with pytest.raises(InvalidInputError):
            Count.from_dict(bad)


def test_a_record_round_trips_and_its_id_follows_its_content() -> None:
    incident = Incident.from_dict(_record())
    assert incident.event_date == EventDate(dt.date(2022, 9, 1), dt.date(2022, 9, 30), "month")
    assert incident.sources == (Source("Example News", url="https://example.org/a",
                                       date=dt.date(2022, 9, 16)),)  # fmt: skip
    again = Incident.from_dict(incident.to_dict())
    assert again == incident and again.id == incident.id
    assert incident.id.startswith("inc-") and len(incident.id) == 20
    assert Incident.from_dict(_record(place="Izium")).id != incident.id


def test_role_confidence_and_review_are_written_only_when_set() -> None:
    plain = Incident.from_dict(_record())
    assert plain.id == "inc-22e1eb1dbce7ca88"  # as before these fields were added
    assert (plain.role, plain.confidence) == ("primary", None)
    assert {"role", "confidence"}.isdisjoint(plain.to_dict())
    assert "reviewed" not in plain.to_dict()["sources"][0]
    reviewed = {**SOURCE, "reviewed": "kept in review (draft.xlsx, row 7)"}
    full = Incident.from_dict(_record(role="secondary", confidence=0.75, sources=[reviewed]))
    assert (full.role, full.confidence) == ("secondary", 0.75)
    assert full.sources[0].reviewed == "kept in review (draft.xlsx, row 7)"
    assert Incident.from_dict(full.to_dict()) == full and full.id != plain.id


def test_an_older_reference_record_is_background_and_keeps_its_id() -> None:
    older = _record(reference=True, id="inc-a5a8d1f1564336da")  # written before role
    incident = Incident.from_dict(older)
    assert incident.role == "background"
    assert incident.to_dict()["role"] == "background" and "reference" not in incident.to_dict()
    assert Incident.from_dict(_record(reference=False)).role == "primary"
    with pytest.raises(InvalidInputError, match="does not match the content"):
        Incident.from_dict(older | {"id": "inc-22e1eb1dbce7ca88"})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"role": "main"}, "role to be one of primary, secondary, background"),
        ({"reference": True, "role": "primary"}, "reference: true is role 'background'"),
        ({"reference": "yes"}, "reference: Expected true or false"),
        ({"confidence": 1.5}, "confidence to be a number from 0 to 1"),
        ({"confidence": "0.5"}, "confidence to be a number from 0 to 1"),
        ({"confidence": True}, "confidence to be a number from 0 to 1"),
        ({"sources": [{**SOURCE, "reviewed": 7}]}, r"sources\[0\]: Expected text"),
        ({"event_type": "massacre"}, "event_type to be one of mass_grave"),
        ({"precision": "city"}, "precision to be one of exact"),
        ({"sources": []}, "has no source"),
        ({"sources": [{"note": "no outlet"}]}, r"sources\[0\]: a source needs"),
        ({"sources": [{"outlet": "X", "sha256": "abc"}]}, "not a sha256"),
        ({"counts": [{"kind": "bodies", "best": "440"}]}, r"counts\[0\]: Expected counts"),
        ({"counts": {"bodies": 440}}, "counts must be a list"),
        ({"report_date": "15/09/2022"}, "report_date: Expected an ISO 8601 date"),
        ({"place": " "}, "needs a site and a place"),
        ({"where": "Izium"}, "unknown field.* where"),
        ({"id": "inc-0000000000000000"}, "does not match the content"),
    ],
)
def test_bad_records_name_where_and_which_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInputError, match=f"^seeds.json, record 3: .*{message}"):
        Incident.from_dict(_record(**changes), where="seeds.json, record 3")


def test_precisions_map_to_acled_and_ucdp_codes() -> None:
    acled = {p: PRECISION_CODES[p].acled_geo_precision for p in PRECISIONS}
    ucdp = {p: PRECISION_CODES[p].ucdp_where_prec for p in PRECISIONS}
    assert acled == {"exact": 1, "near": 2, "settlement": 1, "admin2": 2, "admin1": 3,
                     "country": 3}  # fmt: skip
    assert ucdp == {"exact": 1, "settlement": 1, "near": 2, "admin2": 3, "admin1": 4,
                    "country": 6}  # fmt: skip
    # PRECISIONS go from the most to the least precise: the radius only grows.
    radius = [PRECISION_CODES[p].radius_m for p in PRECISIONS]
    assert radius == sorted(radius) and len(set(radius)) == len(radius)
