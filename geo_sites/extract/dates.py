"""When it happened: dates in a sentence, read against the report's date.

* written out: "2022-09-15", "September 15, 2022", "15 Sept 2022", "Sept. 15";
* ranges: "March 7-10", "between March 7 and 10", "from 7 to 10 March";
* months: "in April", "early September", "April 2022";
* relative to the report date: "on Thursday" (the last Thursday up to it),
  "yesterday", "today", "last month", "this month", "last week".

A date without a year takes the report's, or the year before when that would
put it after the report.  Without a report date, only dates with a year are
read.  Dates a few words after "said", "told", "released" or "published"
date the telling, not the event, and are left out ("the ministry said in a
post on Friday").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from ..incidents import EventDate

__all__ = ["DateMention", "dates"]

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH = r"(?P<{0}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<{0}>(?:19|20)\d\d))?"
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}

_PATTERNS = [
    ("iso", r"(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)"),
    ("range_md", rf"(?:between\s+|from\s+)?{_MONTH.format('m1')}\s+{_DAY.format('d1')}\s*"
                 rf"(?:-|–|—|to|and|until|through)\s*(?:{_MONTH.format('m2')}\s+)?"
                 rf"{_DAY.format('d2')}\b{_YEAR.format('y')}"),
    ("range_dm", rf"(?:between\s+|from\s+)?{_DAY.format('d1')}\s*(?:-|–|—|to|and|until)\s*"
                 rf"{_DAY.format('d2')}\s+{_MONTH.format('m1')}{_YEAR.format('y')}"),
    ("md", rf"{_MONTH.format('m1')}\s+{_DAY.format('d1')}\b{_YEAR.format('y')}"),
    ("dm", rf"\b{_DAY.format('d1')}\s+{_MONTH.format('m1')}{_YEAR.format('y')}"),
    ("month", rf"(?:(?:in|during|since|early|mid|late|by|of|throughout)[\s-]+(?:early\s+|mid-?"
              rf"|late\s+)?){_MONTH.format('m1')}(?:\s+(?P<y>(?:19|20)\d\d))?\b"),
    ("weekday", r"(?:on|last)\s+(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"),
    ("relative", r"\b(?P<relative>yesterday|today|last month|this month|last week|last year)\b"),
]  # fmt: skip
_DATES = [(kind, re.compile(rf"\b{pattern}", re.IGNORECASE)) for kind, pattern in _PATTERNS]
_MONTH_KINDS = frozenset({"range_md", "range_dm", "md", "dm", "month"})  # need a month's name
_DATE_WORDS = frozenset([*_MONTHS, *_WEEKDAYS, "yesterday", "today"])
_SPANS = frozenset({"week", "month", "year"})  # after "last" or "this"
_ISO = re.compile(r"\d{4}-\d\d-\d\d")
_TELLING = re.compile(r"\b(?:said|says|told|announced|reported|stated|added|wrote|posted|"
                      r"released|published|tweeted|revealed)\s+(?:[\w’'-]+\s+){0,6}$",
                      re.IGNORECASE)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date in a sentence, and where it stands."""

    date: EventDate
    start: int
    end: int


def dates(
    sentence: str, report_date: dt.date | None, words: frozenset[str] | None = None
) -> list[DateMention]:
    """The event dates of *sentence*, in order (*words*: its lower-case words, if known)."""
    words = frozenset(re.findall(r"[a-z]+", sentence.lower())) if words is None else words
    relative = ("last" in words or "this" in words) and not _SPANS.isdisjoint(words)
    if _DATE_WORDS.isdisjoint(words) and not relative and not _ISO.search(sentence):
        return []  # most sentences have no date: one quick look instead of eight
    month, weekday = not words.isdisjoint(_MONTHS), not words.isdisjoint(_WEEKDAYS)
    wanted = [
        (kind, pattern)
        for kind, pattern in _DATES
        if (month or kind not in _MONTH_KINDS) and (weekday or kind != "weekday")
    ]
    matches = sorted(
        ((m.start(), -m.end(), kind, m) for kind, pattern in wanted
         for m in pattern.finditer(sentence)),
        key=lambda item: item[:2],
    )  # fmt: skip
    found: list[DateMention] = []
    for start, minus_end, kind, match in matches:
        if found and start < found[-1].end:
            continue  # inside a longer date already read ("March 7" in "March 7-10")
        if _TELLING.search(sentence, 0, start):
            continue
        try:
            date = _date(kind, match, report_date)
        except (ValueError, KeyError):
            date = None
        if date is not None:
            found.append(DateMention(date, start, -minus_end))
    return found


def _date(kind: str, match: re.Match[str], report: dt.date | None) -> EventDate | None:
    groups = match.groupdict()
    if kind == "iso":
        return EventDate.parse(groups["iso"])
    if kind in ("weekday", "relative"):
        return _relative(groups.get("weekday") or groups["relative"], report)
    year = int(groups["y"]) if groups.get("y") else None
    month = _MONTHS[groups["m1"].lower()]
    if kind == "month":
        year = year or _year(report, month, 1)
        if year is None:
            return None
        return EventDate.parse(f"{year}-{month:02d}")
    first = dt.date(2000, month, int(groups["d1"]))  # a leap year: the day is checked below
    last_month = _MONTHS[groups["m2"].lower()] if groups.get("m2") else month
    last = dt.date(2000, last_month, int(groups["d2"])) if groups.get("d2") else first
    year = year or _year(report, month, first.day)
    if year is None:
        return None
    start, end = first.replace(year=year), last.replace(year=year)
    if end < start:
        return None
    return EventDate(start, end, "day" if start == end else "range")


def _year(report: dt.date | None, month: int, day: int) -> int | None:
    """The year of a date written without one: the report's, unless that is after it."""
    if report is None:
        return None
    return report.year if (month, day) <= (report.month, report.day) else report.year - 1


def _relative(word: str, report: dt.date | None) -> EventDate | None:
    if report is None:
        return None
    word = word.lower()
    if word in _WEEKDAYS:
        back = (report.weekday() - _WEEKDAYS[word]) % 7
        day = report - dt.timedelta(days=back)
        return EventDate(day, day, "day")
    if word in ("yesterday", "today"):
        day = report - dt.timedelta(days=1 if word == "yesterday" else 0)
        return EventDate(day, day, "day")
    if word == "last week":
        return EventDate(report - dt.timedelta(days=7 + report.weekday()),
                         report - dt.timedelta(days=1 + report.weekday()), "range")  # fmt: skip
    if word == "last year":
        return EventDate.parse(str(report.year - 1))
    first = report.replace(day=1)
    if word == "last month":
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return EventDate.parse(first.isoformat()[:7])
