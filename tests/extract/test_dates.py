from __future__ import annotations

import datetime as dt

import pytest

from geo_sites.extract.dates import dates, header_date

REPORT = dt.date(2022, 9, 16)  # a Friday


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Izium was shelled between March 7 and 10.", [("2022-03-07/2022-03-10", "range")]),
        ("From 7 to 10 March the town was shelled.", [("2022-03-07/2022-03-10", "range")]),
        ("Graves were found on Thursday (Sept. 15).", [("2022-09-15", "day")] * 2),
        ("In April troops were accused of crimes.", [("2022-04", "month")]),
        ("Last month, detainees described abuse.", [("2022-08", "month")]),
        ("Smoke rose near Izyum on May 7.", [("2022-05-07", "day")]),
        ("It began on 24 February 2022; Kharkiv was hit on 2022-03-01.",
         [("2022-02-24", "day"), ("2022-03-01", "day")]),
        ("A strike on December 30 hit the port.", [("2021-12-30", "day")]),  # not yet this year
        ("An official said on Thursday that graves were found.", []),  # the telling, not the event
    ],
)  # fmt: skip
def test_dates(sentence: str, expected: list[tuple[str, str]]) -> None:
    assert [(str(d.date), d.date.precision) for d in dates(sentence, REPORT)] == expected


def test_without_a_report_date_only_full_dates() -> None:
    found = dates("On Thursday, May 7, and on 2022-05-09.", None)
    assert [str(d.date) for d in found] == ["2022-05-09"]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Published: 6 October 2023", "2023-10-06"),
        ("published on 6th of October 2023", "2023-10-06"),
        ("Oct 6, 2023", "2023-10-06"),
        ("Sept. 14th, 2022", "2022-09-14"),
        ("October 6, 2023 10:32 AM", "2023-10-06"),
        ("6 October 2023, 14:05", "2023-10-06"),
        ("21 March, 2024 Thursday", "2024-03-21"),
        ("Thursday, 21 March 2024, 09:15", "2024-03-21"),
        ("Mon 6 Nov 2023 12.00 GMT", "2023-11-06"),
        ("Posted on October 6, 2023 by the newsroom", "2023-10-06"),
        ("By Jane Smith, October 6, 2023", "2023-10-06"),
        ("By Jane Smith and Ivan Petrenko, Wire Desk - 6 Oct 2023", "2023-10-06"),
        ("Jane Smith | 6 Oct 2023", "2023-10-06"),
        ("IVAN PETRENKO — FRIDAY, 6 OCTOBER 2023, 18:40", "2023-10-06"),
        ("Date: 2023-10-06", "2023-10-06"),
        ("2023-10-06T10:32:00+03:00", "2023-10-06"),
        ("Updated: 7 Oct 2023", "2023-10-07"),
        ("Опубліковано 06.10.2023 10:32", "2023-10-06"),  # figures with dots: day first
        ("Published 17/10/2023", "2023-10-17"),  # one order alone makes a date
        ("Published 10/17/2023", "2023-10-17"),
        ("Published 06/06/2023", "2023-06-06"),  # both orders agree
        ("Published 06/10/2023", None),  # June or October
        ("06.10.2023", None),  # figures need a label
        ("17/10/2023 09:00", None),
        ("Published: 31 September 2023", None),  # no such day
        ("Published 6 October", None),  # no year
        ("Updated 40 minutes ago", None),
        ("KYIV, Oct 6 (Wire) - Shelling hit the city", None),  # a dateline opens the body
        ("Shelling in Kharkiv - 6 October 2023", None),  # a headline, not a name
        ("On 6 October 2023 a missile hit a school in Kharkiv.", None),  # a body's date
        ("The report was published on 6 October 2023.", None),
    ],
)  # fmt: skip
def test_header_date(line: str, expected: str | None) -> None:
    found = header_date([line])
    assert (found.isoformat() if found else None) == expected


def test_published_comes_before_updated() -> None:
    assert header_date(["Updated: 9 Oct 2023", "Published: 6 Oct 2023"]) == dt.date(2023, 10, 6)
    one_line = "Oct 6, 2023 9:00 AM | UPDATED: Oct 9, 2023 2:10 PM"
    assert header_date([one_line]) == dt.date(2023, 10, 6)
    assert header_date(["Published 6 Oct 2023, updated 9 Oct 2023"]) == dt.date(2023, 10, 6)
    assert header_date(["Shelling in Kharkiv", "Updated: 9 Oct 2023"]) == dt.date(2023, 10, 9)
    # the first published date is the report's
    assert header_date(["Oct 6, 2023", "Ivan Petrenko - 2 Oct 2023"]) == dt.date(2023, 10, 6)
