from __future__ import annotations

import datetime as dt

import pytest

from geo_sites.extract.dates import dates

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
