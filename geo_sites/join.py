"""Join a user's table to places: every row keeps its columns and gains a point.

:func:`join` resolves the place column of a table with the gazetteer (all
rows at once, so that the same name resolves the same way everywhere and the
places of the other rows are context) and adds the ``match_*`` columns:

``match_status``      resolved, ambiguous or unresolved
``match_score``       confidence in 0..1
``match_method``      exact, alias, transliteration, fuzzy, online, or ``given``
``match_name``, ``match_level``, ``match_admin1``, ``match_country``,
``match_geonameid``   the place
``match_lat``, ``match_lon``  the point used for the geometry
``match_reason``      why, in one sentence
``match_candidates``  the alternatives, best first
``match_attribution`` the credit of the place data

Rows whose lat/lon columns (or GeoJSON geometry) hold a valid point keep it
(method ``given``).  Coordinates out of range, or that look swapped (the
named place lies at lon/lat, not lat/lon), are not used: the row is placed by
its name and the reason says so.  Unresolved and ambiguous rows keep a null
geometry.  Rows in always equal rows out.

A table's own columns named ``geometry``, ``wkt``, ``lat`` or ``lon`` (any
case), the names the outputs give the point, are renamed ``<name>_input``
(numbered if that is taken too), with a warning, so that a text ``lat``
never stands beside a different point.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .exceptions import InvalidInputError
from .incidents.columns import flat_place
from .models import Match, haversine_km
from .names import shorten

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from .gazetteer import Gazetteer

__all__ = ["MATCH_COLUMNS", "POINT_COLUMNS", "JoinSummary", "join"]

log = logging.getLogger(__name__)

#: The columns :func:`join` adds (replacing columns of these names).
MATCH_COLUMNS = (
    "match_status", "match_score", "match_method", "match_name", "match_level", "match_admin1",
    "match_country", "match_geonameid", "match_lat", "match_lon", "match_reason",
    "match_candidates", "match_attribution",
)  # fmt: skip

#: The names the outputs give the point (the geometry; CSV adds wkt, lat and lon): a
#: table's own columns of these names are renamed ``<name>_input``, with a warning.
POINT_COLUMNS = ("geometry", "wkt", "lat", "lon")

_FAR_KM = 100.0  # given coordinates this far from the named place are checked for a swap
_SWAP_KM = 25.0  # ...and are swapped when lon/lat lies this close to it


@dataclass(frozen=True, slots=True)
class JoinSummary:
    """How the rows of a join ended: counts, and the names left unplaced."""

    rows: int
    resolved: int
    given: int
    ambiguous: int
    unresolved: int
    unplaced: tuple[str, ...]  # distinct names of ambiguous and unresolved rows, in order
    encoding: str | None = None  # the encoding a text table was read in

    def __str__(self) -> str:
        text = (
            f"{self.rows:,} rows: {self.resolved:,} resolved ({self.given:,} from given "
            f"coordinates), {self.ambiguous:,} ambiguous, {self.unresolved:,} unresolved"
        )
        if self.unplaced:
            shown = ", ".join(shorten(n) for n in self.unplaced[:20])
            more = f" and {len(self.unplaced) - 20:,} more" if len(self.unplaced) > 20 else ""
            text += f"; not placed: {shown}{more}"
        if self.encoding:
            text += f"; read as {self.encoding}"
        return text


def join(
    frame: pd.DataFrame,
    gazetteer: Gazetteer,
    *,
    place_column: str,
    country_column: str | None = None,
    admin1_column: str | None = None,
    country: str | None = None,
    lat_column: str | None = None,
    lon_column: str | None = None,
    use_context: bool = True,
    source: str = "the table",
) -> tuple[gpd.GeoDataFrame, JoinSummary]:
    """Resolve the places of a table's rows.

    Parameters
    ----------
    frame : DataFrame
        The table (a GeoDataFrame's point geometry counts as given coordinates).
    gazetteer : Gazetteer
    place_column : str
        The column of place names, as written: "Izyum", "Trostianets, Sumy oblast".
    country_column, admin1_column : str, optional
        Columns of ISO country codes and of regions ("Sumy Oblast") that narrow
        each row's place.
    country : str, optional
        The country of rows without a country cell.
    lat_column, lon_column : str, optional
        Columns of given coordinates; valid ones are kept.
    use_context : bool
        Let the places of the other rows settle ambiguous names.
    source : str
        The table's name in error messages: its file.

    Returns
    -------
    (GeoDataFrame, JoinSummary)
        Every row, in order, with the ``match_*`` columns and point geometry in
        EPSG:4326; and the counts.

    Raises
    ------
    InvalidInputError
        If a named column does not exist: the message lists the columns there are.
    """
    import geopandas as gpd

    for option, column in (("--place-column", place_column), ("--country-column", country_column),
                           ("--admin1-column", admin1_column), ("--lat-column", lat_column),
                           ("--lon-column", lon_column)):  # fmt: skip
        if column is not None and column not in frame.columns:
            raise InvalidInputError(
                f"{source}: no column {column!r} ({option}); the columns are "
                + ", ".join(repr(str(c)) for c in frame.columns if c != _geometry_name(frame))
            )
    if (lat_column is None) != (lon_column is None):
        raise InvalidInputError("give both --lat-column and --lon-column, or neither")
    country = gazetteer.check_country(country)  # a wrong option fails; a wrong cell does not
    names = [_text(v) for v in frame[place_column]]
    regions = [_text(v) for v in frame[admin1_column]] if admin1_column else [""] * len(frame)
    queries = [f"{n}, {r}" if n and r else n for n, r in zip(names, regions, strict=True)]
    countries = ([_text(v).upper() or (country or "") for v in frame[country_column]]
                 if country_column else [country or ""] * len(frame))  # fmt: skip
    matches = _resolve(gazetteer, queries, countries, use_context)
    given = _given(frame, lat_column, lon_column)

    rows = [_row(m, g) for m, g in zip(matches, given, strict=True)]
    out = frame.drop(columns=[c for c in MATCH_COLUMNS if c in frame.columns])
    if isinstance(out, gpd.GeoDataFrame):
        out = out.drop(columns=out.geometry.name)
    renamed = _renamed(list(out.columns))
    if renamed:
        out = out.rename(columns=renamed)
        log.warning("%s: columns renamed, as the outputs give the point under their names: %s",
                    source, ", ".join(f"{a!r} to {b!r}" for a, b in renamed.items()))  # fmt: skip
    import pandas as pd

    added = pd.DataFrame(rows, columns=list(MATCH_COLUMNS), index=out.index)
    for column in ("match_geonameid",):
        added[column] = pd.array(added[column].tolist(), dtype="Int64")
    for column in ("match_score", "match_lat", "match_lon"):
        added[column] = added[column].astype("float64")
    out = pd.concat([out, added], axis=1)
    points = gpd.points_from_xy(out["match_lon"], out["match_lat"])
    points[out["match_lat"].isna().to_numpy()] = None
    joined = gpd.GeoDataFrame(out, geometry=points, crs="EPSG:4326")
    statuses = [r[0] for r in rows]
    summary = JoinSummary(
        rows=len(rows),
        resolved=statuses.count("resolved"),
        given=sum(r[2] == "given" for r in rows),
        ambiguous=statuses.count("ambiguous"),
        unresolved=statuses.count("unresolved"),
        unplaced=tuple(
            dict.fromkeys(q for q, s in zip(queries, statuses, strict=True) if s != "resolved")
        ),
        encoding=frame.attrs.get("encoding"),
    )
    return joined, summary


def _renamed(columns: list[Any]) -> dict[Any, str]:
    """New names for columns named as the outputs name the point: ``lat`` -> ``lat_input``."""
    taken = {str(c) for c in columns}
    renamed: dict[Any, str] = {}
    for column in columns:
        if str(column).lower() in POINT_COLUMNS:
            name, n = f"{column}_input", 2
            while name in taken:
                name, n = f"{column}_input_{n}", n + 1
            taken.add(name)
            renamed[column] = name
    return renamed


def _geometry_name(frame: pd.DataFrame) -> str | None:
    import geopandas as gpd

    return frame.geometry.name if isinstance(frame, gpd.GeoDataFrame) else None


def _text(value: Any) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _resolve(
    gazetteer: Gazetteer, queries: list[str], countries: list[str], use_context: bool
) -> list[Match]:
    """Resolve the queries, grouped by country; an unknown country leaves its rows unresolved."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, code in enumerate(countries):
        groups[code].append(i)
    matches: list[Match | None] = [None] * len(queries)
    for code, rows in groups.items():
        try:
            found = gazetteer.resolve_many([queries[i] for i in rows], country=code or None,
                                           use_context=use_context)  # fmt: skip
        except InvalidInputError as err:
            found = [Match(queries[i], "unresolved", reason=str(err)) for i in rows]
        for i, match in zip(rows, found, strict=True):
            matches[i] = match
    return [m for m in matches if m is not None]


_Point = tuple[float, float] | str | None  # (lat, lon), a problem, or nothing given


def _given(frame: pd.DataFrame, lat_column: str | None, lon_column: str | None) -> list[_Point]:
    geometry = _geometry_name(frame)
    if lat_column is not None and lon_column is not None:
        pairs: Sequence[tuple[Any, Any]] = list(zip(frame[lat_column], frame[lon_column],
                                                    strict=True))  # fmt: skip
        return [_point(lat, lon, f"{lat_column}/{lon_column}") for lat, lon in pairs]
    if geometry is not None:
        out: list[_Point] = []
        for shape in frame[geometry]:
            if shape is None or shape.is_empty:
                out.append(None)
            else:
                point = shape if shape.geom_type == "Point" else shape.representative_point()
                out.append(_point(point.y, point.x, "the geometry"))
        return out
    return [None] * len(frame)


def _point(lat: Any, lon: Any, where: str) -> _Point:
    if _text(lat) == "" and _text(lon) == "":
        return None
    try:
        y, x = float(str(lat).replace(",", ".")), float(str(lon).replace(",", "."))
    except ValueError:
        return f"coordinates in {where} are not numbers ({_text(lat)!r}, {_text(lon)!r})"
    if not (math.isfinite(y) and math.isfinite(x) and -90 <= y <= 90 and -180 <= x <= 180):
        return f"coordinates in {where} are out of range (lat {y:g}, lon {x:g})"
    return (y, x)


def _row(match: Match, given: _Point) -> tuple[Any, ...]:
    place = match.place
    flat = flat_place(match, best_guess=True)
    status, method, reason, lat, lon = flat.status, flat.method, flat.reason, flat.lat, flat.lon
    if isinstance(given, str):
        reason = f"{given}, not used; {reason}"
    elif given is not None:
        y, x = given
        far = place is not None and haversine_km(place.lat, place.lon, y, x) > _FAR_KM
        if (
            far
            and place is not None
            and status == "resolved"
            and (-90 <= x <= 90 and haversine_km(place.lat, place.lon, x, y) <= _SWAP_KM)
        ):
            reason = (f"the given coordinates look swapped ({y:g}, {x:g}): {place.name} lies at "
                      f"lat {x:g}, lon {y:g}; placed by the name; {reason}")  # fmt: skip
        else:
            note = (f"; the name resolves to {place.name}, "
                    f"{haversine_km(place.lat, place.lon, y, x):,.0f} km away"
                    if far and place is not None else "")  # fmt: skip
            status, method, lat, lon = "resolved", "given", y, x
            reason = f"coordinates given in the table{note}"
    return (
        status, flat.score if method != "given" else 1.0, method, flat.name,
        place.level if place else None, flat.admin1, flat.country, flat.geonameid, lat, lon,
        reason, flat.candidates, flat.attribution,
    )  # fmt: skip
