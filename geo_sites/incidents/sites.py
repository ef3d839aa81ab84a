"""Sites: incidents placed on the map, and reports of one site merged into one.

:func:`locate` resolves each incident's place with the gazetteer, at the
level its precision names: an ``admin1`` record of "Kharviv" is looked up as
the region "Kharviv region", so it becomes Kharkiv Oblast and not the city.
The incidents of one call are context for each other, as the places of one
document are, and the record's ``context`` ("Sumy") picks between places of
the same name.

:func:`merge` turns located incidents into :class:`Site` records.  Incidents
describe the same site when they share

* the place (its gazetteer id; an unresolved or ambiguous place by its
  name as written, so they stay apart from resolved ones) and whether the
  site is *near* it: shelling "near Izium" on the front line is not the
  shelling of the town,
* the event type (the 44 bodies found in a destroyed building are not the
  mass grave of the same town), and
* compatible dates: event dates that overlap.  An undated incident joins the
  dated group of its place and type when there is exactly one, else it
  stays with the other undated ones.

A merged site keeps every source.  Counts are kept apart by what they count
(``bodies``, ``graves``, ``killed``...): 440 and 447 bodies become one range
of bodies, 440 graves stay a separate count of graves.  Within one kind,
``low`` is the smallest figure a source gives, ``high`` the largest and
``best`` the largest best estimate (later reports of a site usually count
more, as exhumations go on).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..models import GEONAMES_CREDIT, Match, Place
from ..names import ParsedQuery, exact_key, query_for
from .records import read_incidents
from .schema import PRECISION_CODES, PRECISIONS, Count, EventDate, Incident, Source

if TYPE_CHECKING:
    import geopandas as gpd

    from ..gazetteer import Gazetteer

__all__ = ["LocatedIncident", "Site", "locate", "merge", "read_sites", "sites_frame"]

#: The gazetteer level that a record's precision asks for, where it asks for one.
_QUERY_LEVEL = {"admin1": "admin1", "admin2": "admin2"}
# The precision a place of each gazetteer level allows at best.
_LEVEL_PRECISION = {"site": "exact", "settlement": "settlement", "admin3": "admin2",
                    "admin2": "admin2", "admin1": "admin1", "country": "country"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class LocatedIncident:
    """An incident with the answer of the gazetteer for its place.

    ``precision`` is the record's, made coarser when the place found is
    coarser: a "settlement" record whose place is only known as a region is
    at ``admin1`` precision.
    """

    incident: Incident
    match: Match
    precision: str


def query_of(incident: Incident) -> ParsedQuery:
    """The gazetteer query for an incident's place: its level and context as fields."""
    return query_for(incident.place, level=_QUERY_LEVEL.get(incident.precision),
                     context=incident.context)  # fmt: skip


def locate(
    incidents: Sequence[Incident], gazetteer: Gazetteer, *, country: str | None = None
) -> list[LocatedIncident]:
    """Resolve the place of each incident; the others of its document are context.

    Incidents extracted from a document (their first source names it) have
    the places of that document as context, as a reader has; the others
    (rows of a table) have each other.

    Returns one :class:`LocatedIncident` per incident, in order, whatever the
    answer: unresolved and ambiguous places are kept with their status.
    """
    documents: dict[str | None, list[int]] = defaultdict(list)
    for number, incident in enumerate(incidents):
        source = incident.sources[0] if incident.sources else None
        documents[source.document if source else None].append(number)
    matches: dict[int, Match] = {}
    for numbers in documents.values():
        found = gazetteer.resolve_many([query_of(incidents[n]) for n in numbers], country=country)
        matches.update(zip(numbers, found, strict=True))
    return [
        LocatedIncident(incident, matches[number], _coarser(incident.precision,
                                                             matches[number].place))
        for number, incident in enumerate(incidents)
    ]  # fmt: skip


def read_sites(
    *paths: str | os.PathLike[str], gazetteer: Gazetteer, country: str | None = None
) -> list[Site]:
    """Read records files, place their incidents and merge them into sites."""
    return merge(locate(read_incidents(*paths), gazetteer, country=country))


def _coarser(precision: str, place: Place | None) -> str:
    if place is None:
        return precision
    allowed = _LEVEL_PRECISION[place.level]
    return max(precision, allowed, key=PRECISIONS.index)


@dataclass(frozen=True, slots=True)
class Site:
    """One site: the incidents that describe it, merged.

    Parameters
    ----------
    name : str
        The site's name: the one its records use most.
    event_type : str
    match : Match
        The gazetteer's answer for the place: status, score, method, candidates.
    precision : str
        The coarsest precision of its records; see :data:`PRECISION_CODES`.
    places_as_written : tuple of str
        Every spelling the sources use ("Izium", "Izyum").
    counts : tuple of Count
        One per kind, merged: see the module docstring.
    event_date : EventDate or None
        The span of the records' event dates.
    report_dates : tuple of date
        The first and last report date, when known.
    sources : tuple of Source
        Every source of every record, without repeats.
    incidents : tuple of str
        The ids of the merged incidents.
    """

    name: str
    event_type: str
    match: Match
    precision: str
    places_as_written: tuple[str, ...]
    counts: tuple[Count, ...]
    event_date: EventDate | None
    report_dates: tuple[dt.date, ...]
    sources: tuple[Source, ...]
    incidents: tuple[str, ...]

    @property
    def id(self) -> str:
        """A stable id: the place, the event type and the first event date."""
        place = self.match.place
        where = (f"{place.geonameid or place.name}@{place.lat:.4f},{place.lon:.4f}" if place
                 else f"?{exact_key(self.places_as_written[0])}")  # fmt: skip
        start = self.event_date.start.isoformat() if self.event_date else ""
        digest = hashlib.sha256(f"{where}|{self.event_type}|{start}".encode())
        return f"site-{digest.hexdigest()[:16]}"

    @property
    def place(self) -> Place | None:
        """The place the site is at, or None when unresolved or ambiguous."""
        return self.match.place if self.match.status == "resolved" else None

    @property
    def radius_m(self) -> int:
        """How far the site may lie from its point, in metres."""
        return PRECISION_CODES[self.precision].radius_m

    @property
    def main_count(self) -> Count | None:
        """The count to size the site by: the largest (the first of equals)."""
        return max(self.counts, key=lambda c: _figure(c) or 0, default=None)

    def to_record(self) -> dict[str, Any]:
        """The site as one flat row of a GIS layer (see ``docs/schema.md``)."""
        place, main = self.place, self.main_count
        codes = PRECISION_CODES[self.precision]
        best = self.match.best
        return {
            "site_id": self.id,
            "name": self.name,
            "event_type": self.event_type,
            "place_as_written": "; ".join(self.places_as_written),
            "place_name": place.name if place else None,
            "admin1": place.admin1 if place else None,
            "country": place.country or None if place else None,
            "geonameid": place.geonameid if place else None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
            "precision": self.precision,
            "radius_m": codes.radius_m,
            "acled_geo_precision": codes.acled_geo_precision,
            "ucdp_where_prec": codes.ucdp_where_prec,
            "count": _figure(main) if main else None,
            "count_low": main.low if main and main.low is not None else _figure(main),
            "count_high": main.high if main and main.high is not None else _figure(main),
            "count_kind": main.kind if main else None,
            "counts": "; ".join(_describe_count(c) for c in self.counts) or None,
            "event_start": self.event_date.start if self.event_date else None,
            "event_end": self.event_date.end if self.event_date else None,
            "date_precision": self.event_date.precision if self.event_date else None,
            "acled_time_precision": (
                self.event_date.acled_time_precision if self.event_date else None
            ),
            "first_report": self.report_dates[0] if self.report_dates else None,
            "last_report": self.report_dates[-1] if self.report_dates else None,
            "source_count": len(self.sources),
            "sources": "; ".join(_describe_source(s) for s in self.sources),
            "sources_json": json.dumps(
                [{k: v for k, v in s.to_dict().items() if v is not None} for s in self.sources],
                ensure_ascii=False,
            ),
            "status": self.match.status,
            "score": round(self.match.score, 4),
            "method": best.method if best else None,
            "reason": self.match.reason,
            "candidates": self.match.candidates_text() or None,
            "incidents": "; ".join(self.incidents),
            "attribution": (
                place.attribution
                if place and place.attribution
                else GEONAMES_CREDIT
                if place
                else None
            ),
        }


def _figure(count: Count | None) -> int | None:
    if count is None:
        return None
    for value in (count.best, count.high, count.low):
        if value is not None:
            return value
    return None


def _describe_count(count: Count) -> str:
    figure = _figure(count)
    low = count.low if count.low is not None else figure
    high = count.high if count.high is not None else figure
    text = f"{count.kind} {figure}"
    if (low, high) != (figure, figure):
        text += f" ({low}–{high})"
    if count.parts:
        text += " of whom " + ", ".join(f"{n} {part}" for part, n in count.parts)
    return text


def _describe_source(source: Source) -> str:
    parts = [source.outlet or source.title or source.document or ""]
    if source.date:
        parts.append(source.date.isoformat())
    if source.url:
        parts.append(source.url)
    return " ".join(p for p in parts if p)


# -- merging ----------------------------------------------------------------------------


def merge(located: Iterable[LocatedIncident]) -> list[Site]:
    """Merge the incidents that describe the same site; see the module docstring.

    Returns the sites in the order of their first incident.
    """
    groups: dict[tuple[str, bool, str], list[LocatedIncident]] = defaultdict(list)
    for item in located:
        place = _place_key(item.match, item.incident.place)
        groups[(place, item.precision == "near", item.incident.event_type)].append(item)
    clusters: list[list[LocatedIncident]] = []
    for items in groups.values():
        clusters.extend(_by_date(items))
    order = {id(item): i for i, item in enumerate(x for c in clusters for x in c)}
    first = {id(c[0]): min(order[id(x)] for x in c) for c in clusters}
    return [_site(c) for c in sorted(clusters, key=lambda c: first[id(c[0])])]


def _place_key(match: Match, written: str) -> str:
    place = match.place if match.status == "resolved" else None
    if place is None:
        return f"{match.status}:{exact_key(written)}"
    return f"{place.source}:{place.geonameid or place.name}:{place.lat:.5f},{place.lon:.5f}"


def _by_date(items: list[LocatedIncident]) -> list[list[LocatedIncident]]:
    """Group by overlapping event dates; undated ones join a single dated group."""
    dated = sorted(
        (((i.incident.event_date.start, i.incident.event_date.end), i)
         for i in items if i.incident.event_date),
        key=lambda pair: pair[0],
    )  # fmt: skip
    undated = [i for i in items if not i.incident.event_date]
    clusters: list[list[LocatedIncident]] = []
    end: dt.date | None = None
    for (start, ends), item in dated:
        if end is not None and start <= end:
            clusters[-1].append(item)
            end = max(end, ends)
        else:
            clusters.append([item])
            end = ends
    if len(clusters) == 1:
        clusters[0].extend(undated)
    elif undated:
        clusters.append(undated)
    return clusters


def _site(items: list[LocatedIncident]) -> Site:
    first = min(items, key=lambda i: i.incident.id)  # the same answer whatever the input order
    incidents = [i.incident for i in items]
    matches = sorted((i.match for i in items), key=lambda m: -m.score)
    dates = [i.event_date for i in incidents if i.event_date]
    reports = sorted({i.report_date for i in incidents if i.report_date})
    names = Counter(i.site for i in incidents)
    return Site(
        name=max(names, key=lambda n: (names[n], -len(n), n)),
        event_type=first.incident.event_type,
        match=matches[0],
        precision=max((i.precision for i in items), key=PRECISIONS.index),
        places_as_written=tuple(dict.fromkeys(i.place for i in incidents)),
        counts=_merge_counts(c for i in incidents for c in i.counts),
        event_date=_span(dates),
        report_dates=(reports[0], reports[-1]) if reports else (),
        sources=tuple(dict.fromkeys(s for i in incidents for s in i.sources)),
        incidents=tuple(sorted(i.id for i in incidents)),
    )


def _span(dates: list[EventDate]) -> EventDate | None:
    if not dates:
        return None
    if len(set(dates)) == 1:
        return dates[0]
    return EventDate(min(d.start for d in dates), max(d.end for d in dates), "range")


def _merge_counts(counts: Iterable[Count]) -> tuple[Count, ...]:
    kinds: dict[str, list[Count]] = defaultdict(list)
    for count in counts:
        kinds[count.kind.strip().lower()].append(count)
    merged = []
    for kind, same in kinds.items():
        figures = [v for c in same for v in (c.low, c.best, c.high) if v is not None]
        bests = [c.best for c in same if c.best is not None]
        parts: dict[str, int] = {}
        for count in same:
            for part, n in count.parts:
                parts[part] = max(parts.get(part, 0), n)
        low, high = min(figures), max(figures)
        merged.append(Count(kind, max(bests) if bests else None,
                            low if low != high or not bests else None,
                            high if low != high or not bests else None,
                            tuple(parts.items())))  # fmt: skip
    return tuple(merged)


def sites_frame(sites: Sequence[Site]) -> gpd.GeoDataFrame:
    """The sites as a GeoDataFrame in EPSG:4326: one row each, flat columns, point geometry.

    Unresolved and ambiguous sites have a null geometry.  Counts are nullable
    integers and dates are dates, so the writers keep their types.
    """
    import geopandas as gpd
    import pandas as pd

    records = [s.to_record() for s in sites]
    frame = pd.DataFrame.from_records(records, columns=list(_COLUMNS))
    for column, dtype in _COLUMNS.items():
        if dtype == "Int64":
            frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
        elif dtype == "float":
            frame[column] = pd.array(frame[column].tolist(), dtype="float64")
        elif dtype == "date":
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ms]")
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"])
    geometry[frame["lat"].isna().to_numpy()] = None
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


_COLUMNS = {
    "site_id": "str", "name": "str", "event_type": "str", "place_as_written": "str",
    "place_name": "str", "admin1": "str", "country": "str", "geonameid": "Int64",
    "lat": "float", "lon": "float", "precision": "str", "radius_m": "Int64",
    "acled_geo_precision": "Int64", "ucdp_where_prec": "Int64", "count": "Int64",
    "count_low": "Int64", "count_high": "Int64", "count_kind": "str", "counts": "str",
    "event_start": "date", "event_end": "date", "date_precision": "str",
    "acled_time_precision": "Int64", "first_report": "date", "last_report": "date",
    "source_count": "Int64", "sources": "str", "sources_json": "str", "status": "str",
    "score": "float", "method": "str", "reason": "str", "candidates": "str", "incidents": "str",
    "attribution": "str",
}  # fmt: skip


def incidents_frame(located: Sequence[LocatedIncident]) -> gpd.GeoDataFrame:
    """Incidents as a GeoDataFrame in EPSG:4326: one row each, with their first source.

    For the records that ``geo-sites extract`` writes as CSV, GeoJSON or
    GeoPackage: what happened, the main count, the place as written and as
    resolved, the quote and where it stands (document, sha256, offsets).
    """
    import geopandas as gpd
    import pandas as pd

    rows = []
    for item in located:
        incident, match = item.incident, item.match
        place = match.place if match.status == "resolved" else None
        main = max(incident.counts, key=lambda c: _figure(c) or 0, default=None)
        source = incident.sources[0]
        rows.append({
            "incident_id": incident.id, "site": incident.site, "event_type": incident.event_type,
            "place_as_written": incident.place, "context": incident.context,
            "precision": item.precision, "reference": incident.reference,
            "count": _figure(main), "count_kind": main.kind if main else None,
            "counts": "; ".join(_describe_count(c) for c in incident.counts) or None,
            "event_date": str(incident.event_date) if incident.event_date else None,
            "report_date": incident.report_date.isoformat() if incident.report_date else None,
            "quote": source.quote, "document": source.document, "sha256": source.sha256,
            "start": source.start, "end": source.end, "extractor": source.extractor,
            "status": match.status, "score": round(match.score, 4), "reason": match.reason,
            "place_name": place.name if place else None,
            "admin1": place.admin1 if place else None,
            "geonameid": place.geonameid if place else None,
            "lat": place.lat if place else None, "lon": place.lon if place else None,
        })  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(_INCIDENT_COLUMNS))
    for column in ("count", "start", "end", "geonameid"):
        frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
    geometry = gpd.points_from_xy(frame["lon"], frame["lat"])
    geometry[frame["lat"].isna().to_numpy()] = None
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


_INCIDENT_COLUMNS = (
    "incident_id", "site", "event_type", "place_as_written", "context", "precision",
    "reference", "count", "count_kind", "counts", "event_date", "report_date", "quote",
    "document", "sha256", "start", "end", "extractor", "status", "score", "reason",
    "place_name", "admin1", "geonameid", "lat", "lon",
)  # fmt: skip
