"""The incident schema: immutable records of what a report says happened, and where.

``Incident``
    One event at one site as one or more sources report it: the place as
    written, what happened (an :data:`EVENT_TYPES` value), the counts, the
    dates and the sources.
``Count``
    A figure with what it counts ("bodies", "graves", "killed"...) as a best
    estimate with its low and high bounds (UCDP GED's best/low/high), and parts
    of it ("women", "children").
``EventDate``
    A day, a month, a year or a range of days, with its precision (ACLED's
    ``time_precision``).
``Source``
    Where a record comes from: outlet, title, URL, date, a short quote or a
    note in our own words, and the sha256 of the document when we hold it.

Records are plain data: :meth:`Incident.from_dict` reads the mapping that
``seeds/incidents.json`` and ``geo-sites`` outputs hold and says exactly which
field is wrong; :meth:`Incident.to_dict` writes it back.  An incident's
:attr:`~Incident.id` is derived from its content, so a re-run keeps it.

``docs/schema.md`` documents the fields and how they align with ACLED and UCDP GED.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from ..exceptions import InvalidInputError

__all__ = [
    "EVENT_TYPES",
    "MAX_COUNT",
    "PRECISIONS",
    "PRECISION_CODES",
    "ROLES",
    "Count",
    "EventDate",
    "Incident",
    "Source",
]

#: What happened: the controlled vocabulary of event types.
EVENT_TYPES = (
    "mass_grave",
    "bodies_found",
    "killing",
    "torture_site",
    "shelling",
    "air_strike",
    "destruction",
    "detention",
)
EventType = Literal[
    "mass_grave", "bodies_found", "killing", "torture_site", "shelling", "air_strike",
    "destruction", "detention",
]  # fmt: skip

#: How precisely a report locates a site, from the most to the least precise.
#: "exact": the site itself; "settlement": somewhere in a town; "near": close to
#: a settlement (a forest by the town); then the district, the region, the country.
PRECISIONS = ("exact", "settlement", "near", "admin2", "admin1", "country")
Precision = Literal["exact", "settlement", "near", "admin2", "admin1", "country"]


@dataclass(frozen=True, slots=True)
class PrecisionCodes:
    """What a location precision means in ACLED and UCDP GED terms, and how uncertain it is."""

    acled_geo_precision: int  # 1 the place itself, 2 near it or part of a region, 3 a region
    ucdp_where_prec: int  # 1 exact, 2 within 25 km, 3 admin2, 4 admin1, 6 country
    radius_m: int  # the uncertainty radius around the point, in metres


#: The codes of each precision.  A settlement's radius is that of a town; the
#: outputs draw admin1 and country sites as areas, never as a precise point.
PRECISION_CODES: dict[str, PrecisionCodes] = {
    "exact": PrecisionCodes(1, 1, 100),
    "near": PrecisionCodes(2, 2, 10_000),
    "settlement": PrecisionCodes(1, 1, 5_000),
    "admin2": PrecisionCodes(2, 3, 30_000),
    "admin1": PrecisionCodes(3, 4, 100_000),
    "country": PrecisionCodes(3, 6, 500_000),
}

#: The largest figure a count holds: beyond it, doubles (JavaScript, GIS) change digits.
MAX_COUNT = 2**53

#: What an incident is to the report that tells of it: what the report is about
#: ("primary"), another incident it also reports ("secondary"), or one it only refers
#: to as background ("what happened in Bucha", in a story about Izium).
ROLES = ("primary", "secondary", "background")
Role = Literal["primary", "secondary", "background"]

DatePrecision = Literal["day", "range", "month", "year"]

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _fail(where: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"{where}: {message}" if where else message)


@dataclass(frozen=True, slots=True)
class EventDate:
    """A date as precise as the report gives it.

    ``start`` and ``end`` are the first and last possible day; ``precision``
    says what was written: a ``day``, a ``range`` of days, a ``month`` or a ``year``.
    """

    start: dt.date
    end: dt.date
    precision: DatePrecision

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise InvalidInputError(f"date range ends before it starts: {self}")

    @classmethod
    def parse(cls, text: str) -> EventDate:
        """Read ``2022-05-07``, ``2022-04``, ``2022`` or ``2022-03-07/2022-03-10``."""
        parts = text.split("/")
        if len(parts) == 2:
            begins, ends = (cls.parse(part.strip()) for part in parts)
            return cls(begins.start, ends.end, "range")
        found = _DATE.match(text.strip()) if len(parts) == 1 else None
        if not found:
            shown = text if len(text) <= 60 else f"{text[:59]}…"
            raise InvalidInputError(
                f"Expected an ISO 8601 date (2022-05-07, 2022-04, 2022 or a range "
                f"2022-03-07/2022-03-10), instead got: {shown!r}"
            )
        year, month, day = (int(g) if g else None for g in found.groups())
        try:
            if day is not None and month is not None:
                start = dt.date(year or 0, month, day)
                return cls(start, start, "day")
            if month is not None:
                last = calendar.monthrange(year or 0, month)[1]
                return cls(dt.date(year or 0, month, 1), dt.date(year or 0, month, last), "month")
            return cls(dt.date(year or 0, 1, 1), dt.date(year or 0, 12, 31), "year")
        except ValueError as err:
            raise InvalidInputError(f"not a calendar date: {text!r} ({err})") from None

    def __str__(self) -> str:
        if self.precision == "day":
            return self.start.isoformat()
        if self.precision == "month":
            return self.start.isoformat()[:7]
        if self.precision == "year":
            return self.start.isoformat()[:4]
        return f"{self.start.isoformat()}/{self.end.isoformat()}"

    @property
    def acled_time_precision(self) -> int:
        """ACLED's ``time_precision``: 1 a day, 2 a week or so, 3 a month or more."""
        days = (self.end - self.start).days + 1
        return 1 if days == 1 else 2 if days <= 7 else 3


@dataclass(frozen=True, slots=True)
class Count:
    """A reported figure: what is counted, the best estimate and its bounds.

    A report of "more than 440 bodies" is ``Count("bodies", best=440, low=440)``;
    "between 20 and 30 killed" is ``Count("killed", low=20, high=30)``.
    ``parts`` holds named sub-counts: ``(("women", 226), ("children", 19))``.
    """

    kind: str
    best: int | None = None
    low: int | None = None
    high: int | None = None
    parts: tuple[tuple[str, int], ...] = ()

    def __post_init__(self) -> None:
        if not self.kind.strip():
            raise InvalidInputError("a count needs a kind: what is counted (bodies, graves...)")
        values = [v for v in (self.low, self.best, self.high) if v is not None]
        if not values:
            raise InvalidInputError(f"the count of {self.kind!r} has no figure")
        for value in (*values, *(n for _, n in self.parts)):
            if (isinstance(value, bool) or not isinstance(value, int)
                    or not 0 <= value <= MAX_COUNT):  # fmt: skip
                shown = repr(value) if len(repr(value)) <= 60 else f"{repr(value)[:59]}…"
                raise InvalidInputError(
                    f"Expected counts of {self.kind!r} to be whole numbers from 0 to "
                    f"{MAX_COUNT:,}, instead got: {shown}"
                )
        if values != sorted(values):
            raise InvalidInputError(f"the count of {self.kind!r} is not low <= best <= high")

    @property
    def figure(self) -> int:
        """The one figure to show: the best estimate, else the high bound, else the low one."""
        return next(v for v in (self.best, self.high, self.low) if v is not None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "best": self.best, "low": self.low,
                               "high": self.high}  # fmt: skip
        if self.parts:
            out["parts"] = dict(self.parts)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Count:
        parts = data.get("parts") or {}
        if not isinstance(parts, Mapping):
            raise InvalidInputError('count parts must be an object such as {"women": 226}')
        return cls(
            kind=str(data.get("kind") or ""),
            best=data.get("best"),
            low=data.get("low"),
            high=data.get("high"),
            parts=tuple((str(k), v) for k, v in parts.items()),
        )


@dataclass(frozen=True, slots=True)
class Source:
    """Where a record comes from.

    ``quote`` is a short quote; ``note`` our own words.  ``document`` names
    the document we hold (a file name) and ``sha256`` its digest.  Only
    ``http``/``https`` URLs are kept as links by the outputs.

    Records extracted from text say where the quote stands: ``start`` and
    ``end`` are character offsets into the document's text, and
    ``extractor`` names the extractor and its version.  ``reviewed`` says
    that a person kept the record in review, and where: ``"kept in review
    (draft.xlsx, row 7)"``, with the fields they corrected after a ``;``.
    """

    outlet: str | None = None
    title: str | None = None
    url: str | None = None
    date: dt.date | None = None
    quote: str | None = None
    note: str | None = None
    document: str | None = None
    sha256: str | None = None
    start: int | None = None
    end: int | None = None
    extractor: str | None = None
    reviewed: str | None = None

    def __post_init__(self) -> None:
        if (self.start is None) != (self.end is None) or (
            self.start is not None and self.end is not None and not 0 <= self.start <= self.end
        ):
            raise InvalidInputError(f"offsets must be 0 <= start <= end, instead got: "
                                    f"{self.start!r}, {self.end!r}")  # fmt: skip
        if self.sha256 is not None and not _SHA256.match(self.sha256):
            raise InvalidInputError(f"not a sha256 digest: {self.sha256!r}")
        if not any((self.outlet, self.title, self.url, self.document)):
            raise InvalidInputError("a source needs an outlet, a title, a URL or a document")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "outlet": self.outlet, "title": self.title, "url": self.url,
            "date": self.date.isoformat() if self.date else None, "quote": self.quote,
            "note": self.note, "document": self.document, "sha256": self.sha256,
        }  # fmt: skip
        if self.start is not None:  # only extracted records have these, so others keep their ids
            out |= {"start": self.start, "end": self.end, "extractor": self.extractor}
        if self.reviewed is not None:  # likewise, only reviewed records have it
            out["reviewed"] = self.reviewed
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Source:
        unknown = set(data) - set(cls.__dataclass_fields__)
        if unknown:
            raise InvalidInputError(f"unknown source field(s): {', '.join(sorted(unknown))}")
        date = data.get("date")
        day = None
        if date:
            parsed = EventDate.parse(str(date))
            if parsed.precision != "day":
                raise InvalidInputError(f"a source date is a day, instead got: {date!r}")
            day = parsed.start
        offsets = {k: data.get(k) for k in ("start", "end")}
        for name, value in offsets.items():
            if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
                raise InvalidInputError(
                    f"{name}: Expected a character offset, instead got: {value!r}"
                )
        values: dict[str, Any] = {
            k: _text(v) for k, v in data.items() if k not in ("date", *offsets)
        }
        return cls(**values, **offsets, date=day)


def _text(value: object) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidInputError(f"Expected text, instead got: {value!r}")
    return value.strip() or None


@dataclass(frozen=True, slots=True)
class Incident:
    """One event at one site, as reported.

    Parameters
    ----------
    site : str
        The site, named in our words: "Izium mass burial site".
    place : str
        The place exactly as the source writes it: "Izyum", "Kharviv".
    event_type : str
        One of :data:`EVENT_TYPES`.
    precision : str
        How precisely the report locates the site relative to *place*: one of
        :data:`PRECISIONS` ("near" for "a forest near Izium").
    context : str or None
        Where the place lies, when the report says so: "Sumy oblast".
    counts, event_date, report_date, sources
        What was counted, when it happened and was reported, and who reported it.
    role : str
        One of :data:`ROLES`: what the report is about (``primary``), another
        incident it also reports (``secondary``), or one it only refers to as
        ``background`` ("what happened in Bucha" in a story about Izium).
    confidence : float or None
        How sure the extractor is of the record, from 0 to 1; None for
        records people typed.
    """

    site: str
    place: str
    event_type: EventType
    precision: Precision = "settlement"
    context: str | None = None
    counts: tuple[Count, ...] = ()
    event_date: EventDate | None = None
    report_date: dt.date | None = None
    sources: tuple[Source, ...] = field(default=())
    role: Role = "primary"
    confidence: float | None = None

    def __post_init__(self) -> None:
        if not self.site.strip() or not self.place.strip():
            raise InvalidInputError("an incident needs a site and a place as written")
        if self.event_type not in EVENT_TYPES:
            raise InvalidInputError(
                f"Expected event_type to be one of {', '.join(EVENT_TYPES)}, "
                f"instead got: {self.event_type!r}"
            )
        if self.precision not in PRECISIONS:
            raise InvalidInputError(
                f"Expected precision to be one of {', '.join(PRECISIONS)}, "
                f"instead got: {self.precision!r}"
            )
        if self.role not in ROLES:
            raise InvalidInputError(
                f"Expected role to be one of {', '.join(ROLES)}, instead got: {self.role!r}"
            )
        if self.confidence is not None and (
            isinstance(self.confidence, bool) or not isinstance(self.confidence, int | float)
            or not 0.0 <= self.confidence <= 1.0
        ):  # fmt: skip
            shown = repr(self.confidence)[:60]
            raise InvalidInputError(
                f"Expected confidence to be a number from 0 to 1, instead got: {shown}"
            )
        if not self.sources:
            raise InvalidInputError(f"the incident at {self.site!r} has no source")

    @property
    def id(self) -> str:
        """A stable id: the digest of the record's content."""
        digest = hashlib.sha256(json.dumps(self.to_dict(with_id=False), sort_keys=True,
                                           ensure_ascii=False).encode())  # fmt: skip
        return f"inc-{digest.hexdigest()[:16]}"

    def to_dict(self, *, with_id: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id} if with_id else {}
        out |= {
            "site": self.site, "place": self.place, "context": self.context,
            "precision": self.precision, "event_type": self.event_type,
            "counts": [c.to_dict() for c in self.counts],
            "event_date": str(self.event_date) if self.event_date else None,
            "report_date": self.report_date.isoformat() if self.report_date else None,
            "sources": [s.to_dict() for s in self.sources],
        }  # fmt: skip
        # Only when not the default, so records without them keep their ids.
        if self.role != "primary":
            out["role"] = self.role
        if self.confidence is not None:
            out["confidence"] = self.confidence
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], *, where: str = "") -> Incident:
        """Read a record; errors name *where* (file and record) and the field."""
        if not isinstance(data, Mapping):
            raise _fail(where, f"Expected an object, instead got: {data!r}"[:200])
        known = {*cls.__dataclass_fields__, "id", "reference"}
        unknown = set(data) - known
        if unknown:
            raise _fail(where, f"unknown field(s) {', '.join(sorted(unknown))}; "
                               f"fields are {', '.join(sorted(known))}")  # fmt: skip
        values: dict[str, Any] = {}
        for name in ("site", "place", "event_type", "precision", "context", "role"):
            try:
                text = _text(data.get(name))
            except InvalidInputError as err:
                raise _fail(where, f"{name}: {err}") from None
            if text is not None:
                values[name] = text
        for name, kind in (("counts", Count), ("sources", Source)):
            items = []
            for i, item in enumerate(_list(data, name, where)):
                if not isinstance(item, Mapping):
                    raise _fail(where, f"{name}[{i}]: Expected an object, instead got: {item!r}")
                try:
                    items.append(kind.from_dict(item))
                except (InvalidInputError, TypeError) as err:
                    raise _fail(where, f"{name}[{i}]: {err}") from None
            values[name] = tuple(items)
        if data.get("reference") not in (None, False, True):
            raise _fail(
                where, f"reference: Expected true or false, instead got: {data['reference']!r}"
            )
        # "reference": true is the older form of role "background".
        if data.get("reference") and values.setdefault("role", "background") != "background":
            raise _fail(where, f"reference: true is role 'background', and the record "
                               f"says role {values['role']!r}")  # fmt: skip
        if data.get("confidence") is not None:
            values["confidence"] = data["confidence"]
        for name in ("event_date", "report_date"):
            if data.get(name):
                try:
                    parsed = EventDate.parse(str(data[name]))
                except InvalidInputError as err:
                    raise _fail(where, f"{name}: {err}") from None
                values[name] = parsed if name == "event_date" else parsed.start
        try:
            incident = cls(**{"site": "", "place": "", "event_type": "", **values})
        except InvalidInputError as err:
            raise _fail(where, str(err)) from None
        if data.get("id") not in (None, incident.id, _older_id(incident, data)):
            raise _fail(where, f"id {data['id']!r} does not match the content ({incident.id}); "
                               "remove it to have it derived")  # fmt: skip
        return incident


def _older_id(incident: Incident, data: Mapping[str, Any]) -> str | None:
    """The id that a record written with ``"reference": true`` was given, before ``role``."""
    if not data.get("reference"):
        return None
    content = incident.to_dict(with_id=False)
    del content["role"]
    content["reference"] = True
    digest = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode())
    return f"inc-{digest.hexdigest()[:16]}"


def _list(data: Mapping[str, Any], name: str, where: str) -> list[Any]:
    value = data.get(name) or []
    if not isinstance(value, list):
        raise _fail(where, f"{name} must be a list, instead got: {value!r}"[:200])
    return value
