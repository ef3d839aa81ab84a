"""Layers: sites and located incidents as flat rows of a GeoDataFrame.

:func:`site_record` flattens a :class:`~.merge.Site` into the columns of
:data:`~.columns.SITE_COLUMNS`; :func:`sites_frame` and
:func:`incidents_frame` make the layers the writers and the maps start from,
one row each, with the column types of :mod:`.columns` and a point geometry
in EPSG:4326 (null when the place is unresolved or ambiguous).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from ..models import xy
from .columns import (
    ACLED_GEO_PRECISION,
    ACLED_TIME_PRECISION,
    CONFIDENCE,
    CONTEXT,
    COUNT,
    COUNT_HIGH,
    COUNT_KIND,
    COUNT_LOW,
    COUNTS,
    DATE_PRECISION,
    DOCUMENT,
    END,
    EVENT_DATE,
    EVENT_END,
    EVENT_START,
    EVENT_TYPE,
    EXTRACTOR,
    FIRST_REPORT,
    INCIDENT_COLUMNS,
    INCIDENT_ID,
    INCIDENTS,
    LAST_REPORT,
    LAT,
    LON,
    NAME,
    PLACE_AS_WRITTEN,
    PRECISION,
    QUOTE,
    RADIUS_M,
    REPORT_DATE,
    ROLE,
    SHA256,
    SITE,
    SITE_COLUMNS,
    SITE_ID,
    SOURCE_COUNT,
    SOURCES,
    SOURCES_JSON,
    START,
    UCDP_WHERE_PREC,
    ColumnType,
    flat_place,
)
from .schema import PRECISION_CODES, Count, Source

if TYPE_CHECKING:
    import geopandas as gpd

    from .locate import LocatedIncident
    from .merge import Site

__all__ = ["incidents_frame", "site_record", "sites_frame"]


def site_record(site: Site) -> dict[str, Any]:
    """The site as one flat row of a sites layer: the :data:`~.columns.SITE_COLUMNS`, in order."""
    main = site.main_count
    figure = main.figure if main else None
    codes = PRECISION_CODES[site.precision]
    when = site.event_date
    record = {
        SITE_ID: site.id,
        NAME: site.name,
        EVENT_TYPE: site.event_type,
        PLACE_AS_WRITTEN: "; ".join(site.places_as_written),
        PRECISION: site.precision,
        RADIUS_M: codes.radius_m,
        ACLED_GEO_PRECISION: codes.acled_geo_precision,
        UCDP_WHERE_PREC: codes.ucdp_where_prec,
        COUNT: figure,
        COUNT_LOW: main.low if main and main.low is not None else figure,
        COUNT_HIGH: main.high if main and main.high is not None else figure,
        COUNT_KIND: main.kind if main else None,
        COUNTS: "; ".join(_describe_count(c) for c in site.counts) or None,
        EVENT_START: when.start if when else None,
        EVENT_END: when.end if when else None,
        DATE_PRECISION: when.precision if when else None,
        ACLED_TIME_PRECISION: when.acled_time_precision if when else None,
        FIRST_REPORT: site.report_dates[0] if site.report_dates else None,
        LAST_REPORT: site.report_dates[-1] if site.report_dates else None,
        SOURCE_COUNT: len(site.sources),
        SOURCES: "; ".join(_describe_source(s) for s in site.sources),
        SOURCES_JSON: json.dumps(
            [{k: v for k, v in s.to_dict().items() if v is not None} for s in site.sources],
            ensure_ascii=False,
        ),
        INCIDENTS: "; ".join(site.incidents),
        **flat_place(site.match).columns(),
    }
    return {column: record[column] for column in SITE_COLUMNS}


def sites_frame(sites: Sequence[Site]) -> gpd.GeoDataFrame:
    """The sites as a layer: one row each, flat columns, point geometry in EPSG:4326.

    Parameters
    ----------
    sites : sequence of Site
        From :func:`merge`.

    Returns
    -------
    GeoDataFrame
        The columns of ``docs/schema.md``; unresolved and ambiguous sites have
        a null geometry.  Counts are nullable integers and dates are dates.

    Examples
    --------
    >>> from geo_sites.incidents import Incident, Source
    >>> killing = Incident("Bucha", "Bucha", "killing", sources=(Source("AP"),))
    >>> sites = geo_sites.merge(geo_sites.locate([killing]))
    >>> geo_sites.sites_frame(sites)[["name", "place_name", "status"]]
        name place_name    status
    0  Bucha      Bucha  resolved
    """
    return _frame([site_record(s) for s in sites], SITE_COLUMNS)


def incidents_frame(located: Sequence[LocatedIncident]) -> gpd.GeoDataFrame:
    """Incidents as a GeoDataFrame in EPSG:4326: one row each, with their first source.

    For the records that ``geo-sites extract`` writes as CSV, GeoJSON or
    GeoPackage: what happened, the main count, the place as written and as
    resolved, the quote and where it stands (document, sha256, offsets).
    """
    rows = []
    for item in located:
        incident = item.incident
        main = max(incident.counts, key=lambda c: c.figure, default=None)
        source = incident.sources[0]
        rows.append({
            INCIDENT_ID: incident.id, SITE: incident.site, EVENT_TYPE: incident.event_type,
            PLACE_AS_WRITTEN: incident.place, CONTEXT: incident.context,
            PRECISION: item.precision, ROLE: incident.role, CONFIDENCE: incident.confidence,
            COUNT: main.figure if main else None, COUNT_KIND: main.kind if main else None,
            COUNTS: "; ".join(_describe_count(c) for c in incident.counts) or None,
            EVENT_DATE: str(incident.event_date) if incident.event_date else None,
            REPORT_DATE: incident.report_date.isoformat() if incident.report_date else None,
            QUOTE: source.quote, DOCUMENT: source.document, SHA256: source.sha256,
            START: source.start, END: source.end, EXTRACTOR: source.extractor,
            **flat_place(item.match).columns(),
        })  # fmt: skip
    return _frame(rows, INCIDENT_COLUMNS)


def _frame(rows: list[dict[str, Any]], columns: Mapping[str, ColumnType]) -> gpd.GeoDataFrame:
    """*rows* as a layer: the *columns* in order, of their types, and a point from lat/lon."""
    import geopandas as gpd
    import pandas as pd

    frame = pd.DataFrame.from_records(rows, columns=list(columns))
    for column, dtype in columns.items():
        if dtype == "Int64":
            frame[column] = pd.array(frame[column].tolist(), dtype="Int64")
        elif dtype == "float":
            frame[column] = pd.array(frame[column].tolist(), dtype="float64")
        elif dtype == "date":
            frame[column] = pd.to_datetime(frame[column]).astype("datetime64[ms]")
    geometry = gpd.points_from_xy(*xy(frame[LAT], frame[LON]))
    geometry[frame[LAT].isna().to_numpy()] = None
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _describe_count(count: Count) -> str:
    figure = count.figure
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
