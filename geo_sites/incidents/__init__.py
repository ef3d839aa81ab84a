"""Incidents: what reports say happened where, and the sites they describe.

The modules, in the order of the pipeline:

``schema``   the records: Incident, Count, EventDate, Source
``records``  reading and writing files of records
``locate``   each incident's place, resolved with the gazetteer
``review``   the review sheet: a draft a person checks, read back with their corrections
``merge``    the incidents of one site merged into a Site: sources, counts, dates
``frames``   sites and incidents as layers (GeoDataFrames)
``columns``  the names and types of the layers' columns; the one flat place
"""

from __future__ import annotations

from .frames import incidents_frame, site_record, sites_frame
from .locate import LocatedIncident, locate, query_of
from .merge import Site, merge, read_sites
from .records import read_incidents, write_records
from .review import Review, kept_at_first, read_review, write_review
from .schema import EVENT_TYPES, PRECISIONS, Count, EventDate, Incident, Source

__all__ = [
    "EVENT_TYPES",
    "PRECISIONS",
    "Count",
    "EventDate",
    "Incident",
    "LocatedIncident",
    "Review",
    "Site",
    "Source",
    "incidents_frame",
    "kept_at_first",
    "locate",
    "merge",
    "query_of",
    "read_incidents",
    "read_review",
    "read_sites",
    "site_record",
    "sites_frame",
    "write_records",
    "write_review",
]
