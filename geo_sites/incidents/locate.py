"""Locating incidents: each incident's place, as the gazetteer decides it.

:func:`locate` resolves each incident's place with the gazetteer, at the
level its precision names: an ``admin1`` record of "Kharviv" is looked up as
a region, so it becomes Kharkiv Oblast and not the city.  The incidents of
one document are context for each other, as a reader has them, and the
record's ``context`` ("Sumy") picks between places of the same name.

A continent is no place to map an incident at: a record placed only at
"Europe" stays unmapped, its match unresolved with the reason and the
continent kept as the refused candidate (:meth:`LocatedIncident.of`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..models import Match, Place
from ..names import ParsedQuery, query_for
from .schema import PRECISIONS, Incident

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer

__all__ = ["LocatedIncident", "level_of", "locate", "precision_of", "query_of"]

#: The gazetteer level that a record's precision asks for, where it asks for one.
_QUERY_LEVEL = {"admin1": "admin1", "admin2": "admin2"}
# The precision a place of each gazetteer level allows at best.
_LEVEL_PRECISION = {"site": "exact", "settlement": "settlement", "admin3": "admin2",
                    "admin2": "admin2", "admin1": "admin1", "country": "country",
                    "continent": "country"}  # fmt: skip
_PRECISION_RANK = {precision: rank for rank, precision in enumerate(PRECISIONS)}


@dataclass(frozen=True, slots=True)
class LocatedIncident:
    """An incident with the answer of the gazetteer for its place.

    ``precision`` is the record's, made coarser when the place found is
    coarser: a "settlement" record whose place is only known as a region is
    at ``admin1`` precision.  A place found at the level of a continent is
    too vague to map: the match is made unresolved, with the reason, at the
    coarsest precision, ``country``.
    """

    incident: Incident
    match: Match
    precision: str

    @classmethod
    def of(cls, incident: Incident, match: Match) -> LocatedIncident:
        """*incident* with *match*, its precision never finer than the place found."""
        precision = _coarser(incident.precision, match.place)
        return cls(incident, _too_vague(match), precision)


def precision_of(level: str) -> str:
    """The precision a place of gazetteer *level* gives what lies at it: a settlement's,
    a region's (``admin1``)...

    Examples
    --------
    >>> precision_of("settlement"), precision_of("admin3"), precision_of("continent")
    ('settlement', 'admin2', 'country')
    """
    return _LEVEL_PRECISION[level]


def level_of(precision: str) -> str | None:
    """The gazetteer level that a record of *precision* asks for, if it asks for one."""
    return _QUERY_LEVEL.get(precision)


def query_of(incident: Incident) -> ParsedQuery:
    """The gazetteer query for an incident's place: its level and context as fields."""
    return query_for(incident.place, level=level_of(incident.precision),
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
    return [LocatedIncident.of(incident, matches[n]) for n, incident in enumerate(incidents)]


def _too_vague(match: Match) -> Match:
    """*match*, made unresolved when its place is a continent: no incident is mapped at one."""
    place = match.place
    if place is None or place.level != "continent":
        return match
    reason = f"{place.name} is a continent: too vague to map an incident at; {match.reason}"
    return replace(match, status="unresolved", reason=reason)


def _coarser(precision: str, place: Place | None) -> str:
    if place is None:
        return precision
    allowed = precision_of(place.level)
    return allowed if _PRECISION_RANK[allowed] > _PRECISION_RANK[precision] else precision
