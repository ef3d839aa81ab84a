"""Incidents: what reports say happened where, and the sites they describe.

``schema``   the records: Incident, Count, EventDate, Source
``records``  reading files of records
``sites``    placing incidents with the gazetteer and merging them into sites
"""

from __future__ import annotations

from .records import read_incidents, write_records
from .schema import EVENT_TYPES, PRECISIONS, Count, EventDate, Incident, Source
from .sites import (
    LocatedIncident,
    Site,
    incidents_frame,
    locate,
    merge,
    read_sites,
    sites_frame,
)

__all__ = [
    "EVENT_TYPES",
    "PRECISIONS",
    "Count",
    "EventDate",
    "Incident",
    "LocatedIncident",
    "Site",
    "Source",
    "incidents_frame",
    "locate",
    "merge",
    "read_incidents",
    "read_sites",
    "sites_frame",
    "write_records",
]
