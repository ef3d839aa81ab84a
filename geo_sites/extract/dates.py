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

:func:`header_date` reads the report's own date in the lines of its header,
as pages and wire copies give it: a line that is a date and nothing else
("Tuesday, 17 May 2022, 06:52", "Oct 6, 2023 10:32 AM", "2023-10-06"), or a
date after a label or a byline ("Published: 6 October 2023", "Posted on
October 6, 2023 by ...", "By Jane Smith, October 6, 2023", "Jane Smith | 6 Oct
2023", "JANE SMITH — FRIDAY, 6 OCTOBER 2023").  Its year must be written.
Written in figures, a date is read only after a label or "By": with dots
(06.10.2023) day first, as the languages that write dates so do; with
slashes only when one order alone makes a date (15/10/2023) or both orders
agree, since 06/10/2023 is June in one country and October in another.  A
published date comes before an updated one.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..incidents import EventDate

__all__ = ["DateMention", "dates", "header_date"]

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_MONTH = r"(?P<{0}>" + _MONTH_NAMES + r")\.?"
_DAY = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<{0}>(?:19|20)\d\d))?"
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)}

# Each kind of date: the letters it can start with (a quick look before the long pattern at
# each word), and its pattern.
_MONTH_LETTERS = "".join(sorted({name[0] for name in _MONTHS}))
_PATTERNS = [
    ("iso", "12", r"(?P<iso>(?:19|20)\d\d-[01]\d-[0-3]\d)"),
    ("range_md", f"{_MONTH_LETTERS}bf",
     rf"(?:between\s+|from\s+)?{_MONTH.format('m1')}\s+{_DAY.format('d1')}\s*"
     rf"(?:-|–|—|to|and|until|through)\s*(?:{_MONTH.format('m2')}\s+)?"
     rf"{_DAY.format('d2')}\b{_YEAR.format('y')}"),
    ("range_dm", r"\dbf",
     rf"(?:between\s+|from\s+)?{_DAY.format('d1')}\s*(?:-|–|—|to|and|until)\s*"
     rf"{_DAY.format('d2')}\s+{_MONTH.format('m1')}{_YEAR.format('y')}"),
    ("md", _MONTH_LETTERS, rf"{_MONTH.format('m1')}\s+{_DAY.format('d1')}\b{_YEAR.format('y')}"),
    ("dm", r"\d", rf"{_DAY.format('d1')}\s+{_MONTH.format('m1')}{_YEAR.format('y')}"),
    ("month", "bdeilmost",
     rf"(?:(?:in|during|since|early|mid|late|by|of|throughout)[\s-]+(?:early\s+|mid-?"
     rf"|late\s+)?){_MONTH.format('m1')}(?:\s+(?P<y>(?:19|20)\d\d))?\b"),
    ("weekday", "lo", r"(?:on|last)\s+(?P<weekday>" + "|".join(_WEEKDAYS) + r")\b"),
    ("relative", "lty",
     r"(?P<relative>yesterday|today|last month|this month|last week|last year)\b"),
]  # fmt: skip
_DATES = [(kind, re.compile(rf"\b(?=[{first}]){pattern}", re.IGNORECASE))
          for kind, first, pattern in _PATTERNS]  # fmt: skip
_MONTH_KINDS = frozenset({"range_md", "range_dm", "md", "dm", "month"})  # need a month's name
_DATE_WORDS = frozenset([*_MONTHS, *_WEEKDAYS, "yesterday", "today"])
_SPANS = frozenset({"week", "month", "year"})  # after "last" or "this"
_ISO = re.compile(r"\d{4}-\d\d-\d\d")
_TELLING = re.compile(r"\b(?:said|says|told|announced|reported|stated|added|wrote|posted|"
                      r"released|published|tweeted|revealed)\s+(?:[\w’'-]+\s+){0,6}$",
                      re.IGNORECASE)  # fmt: skip

# The report's own date, in a line of its header.
_WEEKDAY_NAMES = "|".join(sorted({*_WEEKDAYS, *(d.lower() for d in calendar.day_abbr),
                                  "tues", "thur", "thurs"}, key=len, reverse=True))  # fmt: skip
_CLOCK = (
    r"(?:at\s+)?[0-2]?\d[:.][0-5]\d(?:[:.][0-5]\d)?(?:\s*[ap]\.?\s?m\b\.?)?"
    r"(?:\s*\(?(?-i:[A-Z]{2,5})(?:\s*[+-]\s*\d\d?(?::?\d\d)?)?\)?|\s*[+-]\d\d:?\d\d)?"
)
_YEAR_DIGITS = r"(?:19|20)\d\d"
_STAMP = (
    rf"(?:(?:{_WEEKDAY_NAMES})\.?,?\s+)?(?:{_CLOCK},?\s+)?(?:"
    rf"(?P<iy>{_YEAR_DIGITS})(?P<isep>[-/.])(?P<im>[01]?\d)(?P=isep)(?P<id>[0-3]?\d)"
    rf"(?:T[0-2]\d:[0-5]\d(?::[0-5]\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?)?"
    rf"|(?P<mm>{_MONTH_NAMES})\.?\s+(?P<md>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<my>{_YEAR_DIGITS})"
    rf"|(?P<dd>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<dm>{_MONTH_NAMES})\.?,?\s+"
    rf"(?P<dy>{_YEAR_DIGITS})"
    rf"|(?P<na>[0-3]?\d)(?P<nsep>[./])(?P<nb>[0-3]?\d)(?P=nsep)(?P<ny>{_YEAR_DIGITS}))"
    rf"(?:(?:\s*,\s*|\s+){_CLOCK})?(?:,?\s+(?:{_WEEKDAY_NAMES})\.?)?(?:,?\s+{_CLOCK})?\.?"
)
_PUBLISHED = (
    r"(?:first\s+)?published|publication\s+date|date\s+published|posted|date|dated|"
    r"created|issued|опубликовано|опубліковано|дата(?:\s+публикации|\s+публікації)?"
)
_UPDATED = r"(?:last\s+)?(?:updated|modified)|edited|обновлено|оновлено|изменено|змінено"
_NAME = r"(?-i:[A-ZА-ЯІЇЄҐ][\w'’.-]*(?:\s+[A-ZА-ЯІЇЄҐ][\w'’.-]*){0,3})"  # capitalised words
_HEADER_STAMP = re.compile(
    rf"\s*(?:(?:(?P<updated>{_UPDATED})|(?P<label>{_PUBLISHED}))(?:\s+(?:on|at))?\s*[:\-–—]?\s*"
    rf"|(?P<by>by)\s+[^\d|]{{1,80}}?\s*[,\-–—]\s*"  # By Jane Smith, Reuters, ...
    rf"|{_NAME}\s*[\-–—]\s*)?"  # JANE SMITH — ...
    rf"{_STAMP}(?:,?\s+by\s+\D{{1,80}})?\s*",  # ... by Jane Smith
    re.IGNORECASE,
)
# A line holds several stamps apart: "Jane Smith | 6 Oct 2023", "6 Oct 2023, updated 7 Oct 2023".
_SEGMENTS = re.compile(rf"\s*[|·•]\s*|[,;]\s*(?=(?:{_UPDATED}|{_PUBLISHED})\b)", re.IGNORECASE)


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


def header_date(lines: Iterable[str]) -> dt.date | None:
    """The report's date as the lines of its header give it, or ``None``.

    A line (or a part of it between ``|``) that is a date and nothing else,
    with a weekday or a time beside it, or a date after a label ("Published",
    "Updated", "Posted on", "Date", "By ...") or a name and a dash.  The first
    date not labelled "Updated" (or the like) is the report's; else the first
    updated one.

    Examples
    --------
    >>> header_date(["Kharkiv under fire", "By Jane Smith, October 6, 2023"])
    datetime.date(2023, 10, 6)
    >>> header_date(["Updated: 7 Oct 2023", "Published: 6 Oct 2023"])
    datetime.date(2023, 10, 6)
    >>> header_date(["Published 06/10/2023"]) is None  # June or October
    True
    """
    updated = None
    for line in lines:
        if not any(character.isdigit() for character in line):
            continue
        for segment in _SEGMENTS.split(line):
            match = _HEADER_STAMP.fullmatch(segment)
            day = _stamp_day(match) if match else None
            if day is not None and not match["updated"]:  # type: ignore[index]
                return day
            updated = updated or day
    return updated


def _stamp_day(match: re.Match[str]) -> dt.date | None:
    """The day of a header stamp; figures need a label, and an order of day and month."""
    groups = match.groupdict()
    try:
        if groups["iy"]:
            return dt.date(int(groups["iy"]), int(groups["im"]), int(groups["id"]))
        if groups["my"]:
            return dt.date(int(groups["my"]), _MONTHS[groups["mm"].lower()], int(groups["md"]))
        if groups["dy"]:
            return dt.date(int(groups["dy"]), _MONTHS[groups["dm"].lower()], int(groups["dd"]))
    except ValueError:
        return None
    if not (groups["label"] or groups["updated"] or groups["by"]):
        return None  # 06.10.2023 alone on a line may be anything
    first, second, year = int(groups["na"]), int(groups["nb"]), int(groups["ny"])
    orders = [(second, first)] if groups["nsep"] == "." else [(second, first), (first, second)]
    days = set()
    for month, day in orders:
        try:
            days.add(dt.date(year, month, day))
        except ValueError:
            continue
    return days.pop() if len(days) == 1 else None
