"""Merging: the located incidents that describe one site become one :class:`Site`.

Incidents describe the same site when they share

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
import os
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import Match, Place
from ..names import exact_key
from .locate import LocatedIncident, locate
from .records import read_incidents
from .schema import PRECISION_CODES, PRECISIONS, Count, EventDate, Source

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer

__all__ = ["Site", "merge", "read_sites"]


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
        return max(self.counts, key=lambda c: c.figure, default=None)


def merge(located: Iterable[LocatedIncident]) -> list[Site]:
    """Merge the incidents that describe the same site into one site each.

    Incidents are one site when they share the place (and whether it is
    *near* the place), the event type and overlapping dates.  A site keeps
    every source; counts of one kind become a range.

    Parameters
    ----------
    located : iterable of LocatedIncident
        From :func:`~geo_sites.incidents.locate`.

    Returns
    -------
    list of Site
        In the order of their first incident.

    Examples
    --------
    >>> from geo_sites.incidents import Count, Incident, Source
    >>> reports = [Incident("Izium grave", "Izium", "mass_grave", counts=(Count("bodies", 440),),
    ...                     sources=(Source("AP"),)),
    ...            Incident("Izyum graves", "Izyum", "mass_grave", counts=(Count("bodies", 447),),
    ...                     sources=(Source("Reuters"),))]
    >>> [(s.name, len(s.incidents)) for s in geo_sites.merge(geo_sites.locate(reports))]
    [('Izium grave', 2)]
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


def read_sites(
    *paths: str | os.PathLike[str], gazetteer: Gazetteer, country: str | None = None
) -> list[Site]:
    """Read records files, locate their incidents and merge them into sites."""
    return merge(locate(read_incidents(*paths), gazetteer, country=country))
