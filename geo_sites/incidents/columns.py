"""The columns of the layers we write: their names and types, in one place.

A sites layer (``geo-sites sites``, ``run``) has the columns of
:data:`SITE_COLUMNS`, an incidents layer (``geo-sites extract``) those of
:data:`INCIDENT_COLUMNS`; ``docs/schema.md`` says what each holds.  The
modules that read these layers (map popups and layout, the QGIS style, the
evaluation, the run report) name their columns from here.

Where a row is placed, and how, is the same block of columns in every layer,
made by one function, :func:`flat_place`: the sites and incidents layers
hold it under :data:`PLACE_COLUMNS`, a joined table under its ``match_*``
names.

A column's type is ``str``, ``Int64`` (a nullable integer), ``float`` or
``date``: what the writers keep, so that a GeoPackage has integer and date
fields.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Literal, NamedTuple

from ..models import Match

__all__ = [
    "INCIDENT_COLUMNS",
    "JOINED_NAMES",
    "PLACE_COLUMNS",
    "SITE_COLUMNS",
    "ColumnType",
    "FlatPlace",
    "flat_place",
    "place_column",
]

ColumnType = Literal["str", "Int64", "float", "date"]

# What happened, and where as the sources write it.
SITE_ID = "site_id"
NAME = "name"
EVENT_TYPE = "event_type"
PLACE_AS_WRITTEN = "place_as_written"
# The place, and how it was resolved (see FlatPlace).
PLACE_NAME = "place_name"
ADMIN1 = "admin1"
COUNTRY = "country"
GEONAMEID = "geonameid"
LAT = "lat"
LON = "lon"
STATUS = "status"
SCORE = "score"
METHOD = "method"
REASON = "reason"
CANDIDATES = "candidates"
ATTRIBUTION = "attribution"
# How precisely, with the ACLED and UCDP GED codes.
PRECISION = "precision"
RADIUS_M = "radius_m"
ACLED_GEO_PRECISION = "acled_geo_precision"
UCDP_WHERE_PREC = "ucdp_where_prec"
# How many: the main count, and every count.
COUNT = "count"
COUNT_LOW = "count_low"
COUNT_HIGH = "count_high"
COUNT_KIND = "count_kind"
COUNTS = "counts"
# When.
EVENT_START = "event_start"
EVENT_END = "event_end"
DATE_PRECISION = "date_precision"
ACLED_TIME_PRECISION = "acled_time_precision"
FIRST_REPORT = "first_report"
LAST_REPORT = "last_report"
# Who said so.
SOURCE_COUNT = "source_count"
SOURCES = "sources"
SOURCES_JSON = "sources_json"
INCIDENTS = "incidents"
# An incident's own: its record and the words of its first source.
INCIDENT_ID = "incident_id"
SITE = "site"
CONTEXT = "context"
ROLE = "role"
CONFIDENCE = "confidence"
EVENT_DATE = "event_date"
REPORT_DATE = "report_date"
QUOTE = "quote"
DOCUMENT = "document"
SHA256 = "sha256"
START = "start"
END = "end"
EXTRACTOR = "extractor"

#: The place block, in the order of :class:`FlatPlace`'s fields.
PLACE_COLUMNS = (PLACE_NAME, ADMIN1, COUNTRY, GEONAMEID, LAT, LON, STATUS, SCORE, METHOD, REASON,
                 CANDIDATES, ATTRIBUTION)  # fmt: skip

#: The columns of a sites layer, in order, with their types.
SITE_COLUMNS: dict[str, ColumnType] = {
    SITE_ID: "str", NAME: "str", EVENT_TYPE: "str", PLACE_AS_WRITTEN: "str",
    PLACE_NAME: "str", ADMIN1: "str", COUNTRY: "str", GEONAMEID: "Int64",
    LAT: "float", LON: "float", PRECISION: "str", RADIUS_M: "Int64",
    ACLED_GEO_PRECISION: "Int64", UCDP_WHERE_PREC: "Int64", COUNT: "Int64",
    COUNT_LOW: "Int64", COUNT_HIGH: "Int64", COUNT_KIND: "str", COUNTS: "str",
    EVENT_START: "date", EVENT_END: "date", DATE_PRECISION: "str",
    ACLED_TIME_PRECISION: "Int64", FIRST_REPORT: "date", LAST_REPORT: "date",
    SOURCE_COUNT: "Int64", SOURCES: "str", SOURCES_JSON: "str", STATUS: "str",
    SCORE: "float", METHOD: "str", REASON: "str", CANDIDATES: "str", INCIDENTS: "str",
    ATTRIBUTION: "str",
}  # fmt: skip

#: The columns of an incidents layer, in order, with their types.
INCIDENT_COLUMNS: dict[str, ColumnType] = {
    INCIDENT_ID: "str", SITE: "str", EVENT_TYPE: "str", PLACE_AS_WRITTEN: "str",
    CONTEXT: "str", PRECISION: "str", ROLE: "str", CONFIDENCE: "float", COUNT: "Int64",
    COUNT_KIND: "str", COUNTS: "str", EVENT_DATE: "str", REPORT_DATE: "str", QUOTE: "str",
    DOCUMENT: "str", SHA256: "str", START: "Int64", END: "Int64", EXTRACTOR: "str", STATUS: "str",
    SCORE: "float", METHOD: "str", REASON: "str", CANDIDATES: "str", PLACE_NAME: "str",
    ADMIN1: "str", COUNTRY: "str", GEONAMEID: "Int64", LAT: "float", LON: "float",
    ATTRIBUTION: "str",
}  # fmt: skip


#: Where a joined table (:mod:`geo_sites.join`) holds the place fields of the sites layers.
JOINED_NAMES = {
    PLACE_NAME: "match_name", ADMIN1: "match_admin1", COUNTRY: "match_country",
    GEONAMEID: "match_geonameid", LAT: "match_lat", LON: "match_lon", STATUS: "match_status",
    SCORE: "match_score", METHOD: "match_method", REASON: "match_reason",
    CANDIDATES: "match_candidates", ATTRIBUTION: "match_attribution",
    PRECISION: "match_precision", RADIUS_M: "match_radius_m",
}  # fmt: skip


def place_column(columns: Collection[str], name: str) -> str:
    """The column of a layer with these *columns* that holds the place field *name*.

    A joined table (it has ``match_status``) holds it under its ``match_*``
    name, whatever columns of its own it has; a sites layer under *name*.

    >>> place_column(["place", "precision", "match_status"], "precision")
    'match_precision'
    """
    return JOINED_NAMES.get(name, name) if JOINED_NAMES[STATUS] in columns else name


class FlatPlace(NamedTuple):
    """Where a row is placed and how, as the flat values of :data:`PLACE_COLUMNS`."""

    name: str | None
    admin1: str | None
    country: str | None
    geonameid: int | None
    lat: float | None
    lon: float | None
    status: str
    score: float
    method: str | None
    reason: str
    candidates: str | None
    attribution: str | None

    def columns(self) -> dict[str, object]:
        """The values by the names of the sites and incidents layers (:data:`PLACE_COLUMNS`)."""
        return dict(zip(PLACE_COLUMNS, self, strict=True))


def flat_place(match: Match, *, best_guess: bool = False) -> FlatPlace:
    """Flatten the gazetteer's answer for a row into the values of the place columns.

    Parameters
    ----------
    match : Match
    best_guess : bool
        Name the first candidate of an ambiguous match too, without its point,
        for the user to check (a joined table does).  By default only a
        resolved place is named: an ambiguous site is not placed.

    Returns
    -------
    FlatPlace
        The place (null unless resolved, or named as the best guess), its point
        (null unless resolved), and how it was found: status, score rounded to
        4 digits, method, reason, the candidates on one line and the credit of
        the place data.
    """
    resolved = match.status == "resolved"
    place = match.place if resolved or best_guess else None
    best = match.best
    return FlatPlace(
        name=place.name if place else None,
        admin1=place.admin1 if place else None,
        country=(place.country or None) if place else None,
        geonameid=place.geonameid if place else None,
        lat=place.lat if place and resolved else None,
        lon=place.lon if place and resolved else None,
        status=match.status,
        score=round(match.score, 4),
        method=best.method if best else None,
        reason=match.reason,
        candidates=match.candidates_text() or None,
        attribution=place.attribution if place else None,
    )
