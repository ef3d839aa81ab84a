"""What goes on a map and where: the step both the page and the image start from.

:func:`lay_out` takes a layer of sites and decides, row by row, how each is
drawn (see :mod:`.symbols`), which rows cannot be drawn and why (no
location), the extent to show and the credits to print.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..cells import text_of
from ..exceptions import CoordinateError, InvalidInputError
from ..incidents.columns import (
    ATTRIBUTION,
    COUNT,
    COUNT_KIND,
    EVENT_END,
    EVENT_START,
    EVENT_TYPE,
    FIRST_REPORT,
    LAST_REPORT,
    PLACE_NAME,
    PRECISION,
    RADIUS_M,
    REASON,
    STATUS,
    place_column,
)
from ..models import check_point
from .basemap import oblasts, towns
from .popup import name_of
from .symbols import AREA_PRECISIONS, CIRCLE_PRECISIONS, Symbology, symbology

if TYPE_CHECKING:
    import geopandas as gpd

    from .basemap import Boundaries

__all__ = [
    "Drawn",
    "Layout",
    "heading",
    "lay_out",
    "not_shown",
    "place_labels",
    "size_title",
    "summary",
]

_KM_PER_DEGREE = 111.32
#: Labels are drawn when a map has at most this many places to name.
MAX_LABELS = 60


@dataclass(frozen=True, slots=True)
class Drawn:
    """How one row is drawn.

    ``shape`` is ``point`` (a circle marker sized by count), ``near`` (a
    point with its uncertainty circle), ``circle`` (an area: a circle of
    ``radius_m``) or ``boundary`` (an area: boundary number ``boundary``).
    An area that sites of ``parts`` categories share is drawn with an edge
    of as many colours in turn, this site's category the ``part``-th: three
    kinds of event reported of one oblast stay three colours, not one mix.
    """

    row: int
    lat: float
    lon: float
    shape: str
    radius_m: float | None = None
    boundary: int | None = None
    part: int = 0
    parts: int = 1

    @property
    def is_area(self) -> bool:
        return self.shape in ("circle", "boundary")


@dataclass(frozen=True, slots=True)
class Layout:
    """The sites of one map, ready to draw."""

    frame: gpd.GeoDataFrame
    symbols: Symbology
    drawn: tuple[Drawn, ...]
    missing: tuple[tuple[str, str], ...]  # (name, why), for rows not on the map
    boundaries: Boundaries | None
    bounds: tuple[float, float, float, float]  # west, south, east, north
    credits: tuple[str, ...]


def lay_out(
    frame: gpd.GeoDataFrame,
    *,
    color_by: str | None = None,
    size_by: str | None = None,
    boundaries: Boundaries | None = None,
) -> Layout:
    """Decide how each row of *frame* is drawn.

    *color_by* defaults to ``event_type`` (or a joined table's
    ``match_status``) and *size_by* to ``count`` when the layer has them.
    *boundaries* default to Ukraine's oblasts when a site lies in Ukraine
    (:func:`.basemap.oblasts`).  A joined table's rows are drawn as sites
    are, by their ``match_precision`` and ``match_radius_m``.

    Raises
    ------
    InvalidInputError
        When the layer is empty, has no located row, has geometries other
        than points, or names a column it does not have.
    """
    import numpy as np

    if len(frame) == 0:
        raise InvalidInputError("nothing to map: the input has no rows")
    frame = frame.reset_index(drop=True)
    if frame.crs is not None and frame.crs.to_epsg() != 4326:
        frame = frame.to_crs(4326)
    kinds = set(frame.geometry.dropna().geom_type) - {"Point"}
    if kinds:
        raise InvalidInputError(f"maps draw point layers; this one has {', '.join(sorted(kinds))}")
    if color_by is None:  # a site's event type, else how a joined row was placed
        color_by = next((c for c in (EVENT_TYPE, "match_status") if c in frame.columns), None)
    if size_by is None and COUNT in frame.columns:
        size_by = COUNT
    precision = _field(frame, PRECISION)
    radius = _field(frame, RADIUS_M)
    drawn: list[Drawn] = []
    missing: list[tuple[str, str]] = []
    empty = frame.geometry.isna().to_numpy() | frame.geometry.is_empty.to_numpy()
    xs, ys = frame.geometry.x.to_numpy(), frame.geometry.y.to_numpy()
    if boundaries is None:  # sites in Ukraine stand on its oblasts, which come with geo-sites
        located = ~empty & ~np.isnan(xs) & ~np.isnan(ys)
        boundaries = oblasts(xs[located], ys[located])
    reasons = _field(frame, REASON)
    statuses = _field(frame, STATUS)
    for row in range(len(frame)):
        if empty[row] or math.isnan(xs[row]):
            why = text_of(reasons[row]) or text_of(statuses[row]) or "no location"
            missing.append((name_of(frame.iloc[row].to_dict()), why))
            continue
        try:
            lat, lon = check_point(float(ys[row]), float(xs[row]))
        except CoordinateError as err:
            missing.append((name_of(frame.iloc[row].to_dict()), str(err)))
            continue
        level = text_of(precision[row])
        metres = _metres(radius[row])
        if level in AREA_PRECISIONS:
            inside = boundaries.containing(lat, lon) if boundaries and level == "admin1" else None
            if inside is not None:
                drawn.append(Drawn(row, lat, lon, "boundary", metres, inside))
            else:
                drawn.append(Drawn(row, lat, lon, "circle", metres or 25_000.0))
        elif level in CIRCLE_PRECISIONS and metres:
            drawn.append(Drawn(row, lat, lon, "near", metres))
        else:
            drawn.append(Drawn(row, lat, lon, "point"))
    if not drawn:
        raise InvalidInputError(
            f"nothing to map: none of the {len(frame):,} rows has a location"
            + (f" ({missing[0][0]}: {missing[0][1]})" if missing else "")
        )
    symbols = symbology(frame, color_by, size_by, [d.row for d in drawn])  # the legend's
    drawn = _shared(drawn, symbols.codes)
    return Layout(frame, symbols, tuple(drawn), tuple(missing), boundaries,
                  _bounds(drawn, boundaries), _credits(frame, drawn))  # fmt: skip


def _shared(drawn: list[Drawn], codes: Sequence[int]) -> list[Drawn]:
    """The areas that sites of several categories share, each given its part of the edge."""
    from dataclasses import replace

    areas: dict[tuple[object, ...], list[int]] = {}
    for number, item in enumerate(drawn):
        if item.is_area:
            key = (item.boundary,) if item.boundary is not None else (item.lat, item.lon,
                                                                       item.radius_m)  # fmt: skip
            areas.setdefault(key, []).append(number)
    for members in areas.values():
        categories = sorted({codes[drawn[n].row] for n in members})
        if len(categories) > 1:
            for n in members:
                part = categories.index(codes[drawn[n].row])
                drawn[n] = replace(drawn[n], part=part, parts=len(categories))
    return drawn


def _field(frame: gpd.GeoDataFrame, name: str) -> Sequence[object]:
    """The values of place field *name* (a joined table's ``match_*`` column), or None each
    when the layer has no such column."""
    column = place_column(frame.columns, name)
    return frame[column].tolist() if column in frame.columns else [None] * len(frame)


def _metres(value: object) -> float | None:
    if isinstance(value, int | float) and not math.isnan(value) and value > 0:
        return float(value)
    return None


def _bounds(drawn: list[Drawn], boundaries: Boundaries | None) -> tuple[float, float, float, float]:
    west = south = math.inf
    east = north = -math.inf
    for item in drawn:
        if item.boundary is not None and boundaries is not None:
            w, s, e, n = boundaries.frame.geometry.iloc[item.boundary].bounds
        else:
            # An area's circle counts, a point's own uncertainty does not.
            km = (item.radius_m or 0) / 1000 if item.is_area else 0
            dlat = km / _KM_PER_DEGREE
            dlon = dlat / max(math.cos(math.radians(item.lat)), 0.01)
            w, s, e, n = item.lon - dlon, item.lat - dlat, item.lon + dlon, item.lat + dlat
        west, south, east, north = min(west, w), min(south, s), max(east, e), max(north, n)
    return west, south, east, north


#: The columns that credit the place data of a row: a site's, and a joined table's.
def _credits(frame: gpd.GeoDataFrame, drawn: list[Drawn]) -> tuple[str, ...]:
    """The credits of the place data of the rows drawn (GeoNames, a user's own places)."""
    credits = _field(frame, ATTRIBUTION)
    return tuple(dict.fromkeys(c for c in (text_of(credits[d.row]) for d in drawn) if c))


def summary(layout: Layout) -> str:
    """A line under the title: how many sites, how many of them are dated and over which
    dates, and over which dates they were reported ("14 sites · events 2022-03-07 to
    2022-05-07 (3 dated, 11 undated) · reported 2022-04-08 to 2022-09-16")."""
    count = len(layout.drawn)
    parts = [f"{count:,} site{'s' if count != 1 else ''}"]
    rows = [d.row for d in layout.drawn]
    events = _dates(layout.frame, (EVENT_START, EVENT_END), rows)
    if events is not None:
        dated, span = events
        if not dated:
            parts.append("no event dates")
        else:
            parts.append(f"events {span}" + (f" ({dated:,} dated, {count - dated:,} undated)"
                                             if dated < count else ""))  # fmt: skip
    reports = _dates(layout.frame, (FIRST_REPORT, LAST_REPORT), rows)
    if reports is not None and reports[0]:
        dated, span = reports
        parts.append(f"reported {span}" + (f" ({dated:,} of the {count:,})" if dated < count
                                           else ""))  # fmt: skip
    return " · ".join(parts)


def _dates(
    frame: gpd.GeoDataFrame, columns: Sequence[str], rows: list[int]
) -> tuple[int, str] | None:
    """How many of *rows* have a date in *columns*, and the span of those dates; None when
    the layer has none of the columns."""
    import pandas as pd

    present = [c for c in columns if c in frame.columns]
    if not present:
        return None
    dates = pd.DataFrame({c: pd.to_datetime(frame[c].iloc[rows], errors="coerce") for c in present})
    dated = int(dates.notna().any(axis=1).sum())
    if not dated:
        return 0, ""
    first, last = dates.min().min().date(), dates.max().max().date()
    return dated, f"{first}" + (f" to {last}" if last != first else "")


def not_shown(layout: Layout) -> str:
    """The caption's line on the sites not drawn: "1 of 10 sites has no location and is
    not shown."."""
    many = len(layout.missing) != 1
    return (
        f"{len(layout.missing):,} of {len(layout.frame):,} sites {'have' if many else 'has'} "
        f"no location and {'are' if many else 'is'} not shown."
    )


def heading(column: str | None) -> str:
    """A column's name as a legend's heading: ``event_type`` is "Event type"."""
    return column.replace("_", " ").capitalize() if column else ""


def size_title(layout: Layout) -> str:
    """The heading of the size key, saying what it measures: "Count (bodies, killed,
    graves)", the kinds of count of the sites drawn, the commonest first."""
    size_by = layout.symbols.size_by
    if not size_by:
        return ""
    title = heading(size_by)
    if size_by != COUNT or COUNT_KIND not in layout.frame.columns:
        return title
    column = layout.frame[COUNT_KIND].tolist()
    kinds = [text_of(column[d.row]) for d in layout.drawn]
    common = sorted({k for k in kinds if k}, key=lambda k: (-kinds.count(k), k))
    if not common:
        return title
    return f"{title} ({', '.join(common[:3])}{', …' if len(common) > 3 else ''})"


def place_labels(layout: Layout, outline: Any = None) -> list[tuple[float, float, str, str]]:
    """Names to print on the map, as (lat, lon, text, kind), the first the most wanted.

    Kind ``place`` names a site's place, ``area`` a site's area, a boundary or
    a country, ``town`` a capital to orient on.  The sites' places come
    first, none when there are more than :data:`MAX_LABELS` of them; then the
    capitals in view (:func:`.basemap.towns`), the boundaries' names and the
    names of the countries of *outline* in view that the boundaries do not
    divide.
    """
    frame = layout.frame
    # The place's own name, never a spelling as written ("Kharviv"): the popup shows that.
    place_names = _field(frame, PLACE_NAME)
    places: dict[str, tuple[float, float]] = {}
    areas: dict[str, tuple[float, float]] = {}
    for item in layout.drawn:
        if item.shape == "boundary":
            continue  # the boundary's own label names it
        name = text_of(place_names[item.row]) or name_of(frame.iloc[item.row].to_dict())
        (areas if item.is_area else places).setdefault(name, (item.lat, item.lon))
        if len(places) + len(areas) > MAX_LABELS:
            places, areas = {}, {}
            break
    labels = [(lat, lon, name, "place") for name, (lat, lon) in places.items()]
    labels += [(lat, lon, name, "area") for name, (lat, lon) in areas.items()]
    boundaries = layout.boundaries
    regions = boundaries.frame if boundaries is not None else None
    if regions is not None and len(regions) > MAX_LABELS:
        regions = None
    taken = {*places, *areas, *(regions["name"] if regions is not None else ())}
    west, south, east, north = layout.bounds
    view = (west - 1, south - 0.5, east + 1, north + 0.5)
    labels += [(town.lat, town.lon, town.name, "town") for town in towns(view, MAX_LABELS)
               if town.name not in taken]  # fmt: skip
    if regions is not None:
        for name, shape in zip(regions["name"], regions.geometry, strict=True):
            point = shape.representative_point()
            labels.append((round(point.y, 4), round(point.x, 4), name, "area"))
    if outline is not None:  # the countries in view, but those the boundaries name in parts
        import shapely

        box = shapely.box(*view)
        for name, shape in zip(outline["name"], outline.geometry, strict=True):
            seen = shape.intersection(box)  # named where it is seen: Russia by its border
            if seen.is_empty:
                continue
            point = seen.representative_point()
            if boundaries is None or boundaries.containing(point.y, point.x) is None:
                labels.append((round(point.y, 4), round(point.x, 4), name, "area"))
    return labels
