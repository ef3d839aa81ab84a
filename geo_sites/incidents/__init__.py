"""Incidents: what reports say happened where, and the sites they describe.

``schema``   the records: Incident, Count, EventDate, Source
``records``  reading files of records
"""

from __future__ import annotations

from .records import read_incidents
from .schema import EVENT_TYPES, PRECISIONS, Count, EventDate, Incident, Source

__all__ = [
    "EVENT_TYPES",
    "PRECISIONS",
    "Count",
    "EventDate",
    "Incident",
    "Source",
    "read_incidents",
]
