"""Join a user's table to places: every row keeps its columns and gains a point.

:func:`join` resolves the place column of a table with the gazetteer (all
rows at once, so that the same name resolves the same way everywhere and the
places of the other rows are context) and adds the ``match_*`` columns:

``match_status``      resolved, ambiguous or unresolved
``match_score``       confidence in 0..1
``match_method``      exact, alias, transliteration, fuzzy, online, or ``given``
``match_name``, ``match_level``, ``match_admin1``, ``match_country``,
``match_geonameid``   the place
``match_precision``, ``match_radius_m``  how precisely the point places the row,
                      as for sites: a region's row is its region (``admin1``,
                      100 km), a settlement's 5 km, given coordinates ``exact``
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
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from .cells import is_missing
from .exceptions import CoordinateError, InvalidInputError, ParameterError
from .incidents.columns import flat_place
from .incidents.locate import precision_of
from .incidents.schema import PRECISION_CODES
from .models import Match, check_point, haversine_km, in_bounds, xy
from .names import Query, query_for, query_text, shorten

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

    from .gazetteer import Gazetteer

__all__ = [
    "MATCH_COLUMNS",
    "POINT_COLUMNS",
    "JoinSummary",
    "Key",
    "join",
    "output_column",
    "placed",
    "resolve_keys",
    "row_keys",
    "summarise",
]

log = logging.getLogger(__name__)

#: The columns :func:`join` adds (replacing columns of these names).
MATCH_COLUMNS = (
    "match_status", "match_score", "match_method", "match_name", "match_level", "match_admin1",
    "match_country", "match_geonameid", "match_precision", "match_radius_m", "match_lat",
    "match_lon", "match_reason", "match_candidates", "match_attribution",
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
    *,
    place_column: str,
    gazetteer: Gazetteer | None = None,
    country_column: str | None = None,
    admin1_column: str | None = None,
    country: str | None = None,
    lat_column: str | None = None,
    lon_column: str | None = None,
    use_context: bool = True,
    source: str = "the table",
) -> gpd.GeoDataFrame:
    """Place the rows of a table: every row keeps its columns and gains a point.

    The names of all rows are resolved at once, so that a name resolves the
    same way everywhere and the other rows are its context.  Rows in equal
    rows out, in order; unresolved and ambiguous rows keep a null geometry.

    Parameters
    ----------
    frame : pandas.DataFrame
        The table (a GeoDataFrame's point geometry counts as given coordinates).
    place_column : str
        The column of place names, as written: "Izyum", "Trostianets, Sumy oblast".
    gazetteer : Gazetteer, optional
        None opens the default gazetteer for this call and closes it after.
    country_column, admin1_column : str, optional
        Columns of ISO country codes and of regions ("Sumy Oblast") that narrow
        each row's place.
    country : str, optional
        The country of rows without a country cell.
    lat_column, lon_column : str, optional
        Columns of given coordinates; valid ones are kept (method ``given``).
    use_context : bool
        Let the places of the other rows settle ambiguous names.
    source : str
        The table's name in error messages: its file.

    Returns
    -------
    GeoDataFrame
        Every row, with the ``match_*`` columns (``match_status`` is resolved,
        ambiguous or unresolved, ``match_reason`` says why) and point geometry
        in EPSG:4326.  ``attrs["join_summary"]`` holds the counts of the join
        (``rows``, ``resolved``, ``given``, ``ambiguous``, ``unresolved``), the
        ``encoding`` a text table was read in, and ``text``, the line
        ``geo-sites join`` prints.  pandas carries attrs
        on to frames made from this one, so the summary describes the join,
        not a filtered copy.

    Raises
    ------
    ParameterError
        If a named column does not exist (the message lists the columns there
        are), if only one of *lat_column* and *lon_column* is given, or if
        *country* is a code no place has.

    Examples
    --------
    >>> names = pd.DataFrame({"place": ["Izium", "Kharviv", "Qwxzvillekrt"]})
    >>> frame = geo_sites.join(names, place_column="place")
    >>> frame[["place", "match_status", "match_name"]]
              place match_status match_name
    0         Izium     resolved      Izium
    1       Kharviv     resolved    Kharkiv
    2  Qwxzvillekrt   unresolved        NaN
    >>> summary = frame.attrs["join_summary"]
    >>> summary["resolved"], summary["unresolved"]
    (2, 1)
    """
    check_columns(frame.columns, source=source, place_column=place_column,
                  country_column=country_column, admin1_column=admin1_column,
                  lat_column=lat_column, lon_column=lon_column,
                  geometry=_geometry_name(frame))  # fmt: skip
    if gazetteer is None:
        from .gazetteer import Gazetteer

        with Gazetteer.default() as default:  # for this call only
            return join(frame, place_column=place_column, gazetteer=default,
                        country_column=country_column, admin1_column=admin1_column,
                        country=country, lat_column=lat_column, lon_column=lon_column,
                        use_context=use_context, source=source)  # fmt: skip
    country = gazetteer.check_country(country)  # a wrong option fails; a wrong cell does not
    keys = row_keys(frame, place_column, admin1_column, country_column, country)
    found = resolve_keys(gazetteer, list(dict.fromkeys(keys)), use_context=use_context)
    return placed(frame, keys, found, lat_column=lat_column, lon_column=lon_column,
                  source=source)  # fmt: skip


def check_columns(
    columns: Any, *, source: str, geometry: str | None = None, **named: str | None
) -> None:
    """Refuse a column *named* that is not among *columns*, or lat without lon.

    Raises
    ------
    ParameterError
        Naming the parameter, and listing the columns there are.
    """
    for parameter, column in named.items():
        if column is not None and column not in columns:
            raise ParameterError(
                f"{source}: no column {column!r}; the columns are "
                + ", ".join(repr(str(c)) for c in columns if c != geometry),
                parameter=parameter,
            )
    lat_column, lon_column = named.get("lat_column"), named.get("lon_column")
    if lat_column is None and lon_column is not None:
        raise ParameterError(
            "a column of longitudes needs one of latitudes", parameter="lon_column"
        )
    if lon_column is None and lat_column is not None:
        raise ParameterError(
            "a column of latitudes needs one of longitudes", parameter="lat_column"
        )


#: What a row asks the gazetteer: its name as written, its region and its country code.
Key = tuple[str, str, str]


def row_keys(
    frame: pd.DataFrame,
    place_column: str,
    admin1_column: str | None,
    country_column: str | None,
    country: str | None,
) -> list[Key]:
    """Each row's name, region and country (a row without a country cell has *country*)."""
    names = [_text(v) for v in frame[place_column].tolist()]
    regions = ([_text(v) for v in frame[admin1_column].tolist()] if admin1_column
               else [""] * len(names))  # fmt: skip
    countries = ([_text(v).upper() or (country or "") for v in frame[country_column].tolist()]
                 if country_column else [country or ""] * len(names))  # fmt: skip
    return list(zip(names, regions, countries, strict=True))


def resolve_keys(gazetteer: Gazetteer, keys: list[Key], *, use_context: bool) -> dict[Key, Match]:
    """The match of each of the distinct *keys*, resolved together: the places of the
    others are each one's context, so a table resolves alike whole or in parts."""
    queries: list[Query] = [query_for(n, context=r) if n and r else n for n, r, _ in keys]
    matches = _resolve(gazetteer, queries, [c for _, _, c in keys], use_context)
    return dict(zip(keys, matches, strict=True))


def placed(
    frame: pd.DataFrame,
    keys: list[Key],
    found: dict[Key, Match],
    *,
    lat_column: str | None = None,
    lon_column: str | None = None,
    source: str | None = "the table",
) -> gpd.GeoDataFrame:
    """*frame* with the ``match_*`` columns, and the point of each row's match in *found*
    (by the row's key, of *keys*), or of its given coordinates.  Columns renamed are
    logged, as of the table *source* (None: not logged)."""
    import geopandas as gpd
    import pandas as pd

    given = _given(frame, lat_column, lon_column)
    rows = _rows([found[k] for k in keys], given)
    own = _own_columns(frame)
    out = frame.drop(columns=[c for c in frame.columns if c not in own])
    renamed = _renamed(own)
    if renamed:
        out = out.rename(columns=renamed)
    if renamed and source is not None:
        log.warning("%s: columns renamed, as the outputs give the point under their names: %s",
                    source, ", ".join(f"{a!r} to {b!r}" for a, b in renamed.items()))  # fmt: skip
    added = pd.DataFrame(rows, columns=list(MATCH_COLUMNS), index=out.index)
    for column in ("match_geonameid", "match_radius_m"):
        added[column] = pd.array(added[column].tolist(), dtype="Int64")
    for column in ("match_score", "match_lat", "match_lon"):
        added[column] = added[column].astype("float64")
    out = pd.concat([out, added], axis=1)
    points = gpd.points_from_xy(*xy(out["match_lat"], out["match_lon"]))
    points[out["match_lat"].isna().to_numpy()] = None
    joined = gpd.GeoDataFrame(out, geometry=points, crs="EPSG:4326")
    summary = summarise([k[0] for k in keys], [r[0] for r in rows], [r[2] for r in rows],
                        encoding=frame.attrs.get("encoding"))  # fmt: skip
    # Plain values: pandas copies attrs into every frame made from this one, and writes
    # them as JSON; the names not placed are in the frame.
    values = {k: v for k, v in asdict(summary).items() if k != "unplaced"}
    joined.attrs["join_summary"] = {**values, "text": str(summary)}
    return joined


def summarise(
    names: list[str], statuses: list[str], methods: list[str], encoding: str | None = None
) -> JoinSummary:
    """The summary of rows of these *names*, *statuses* and *methods*."""
    return JoinSummary(
        rows=len(statuses),
        resolved=statuses.count("resolved"),
        given=methods.count("given"),
        ambiguous=statuses.count("ambiguous"),
        unresolved=statuses.count("unresolved"),
        unplaced=tuple(
            dict.fromkeys(n for n, s in zip(names, statuses, strict=True) if s != "resolved")
        ),
        encoding=encoding,
    )


def output_column(frame: pd.DataFrame, column: Any) -> Any:
    """The name *frame*'s *column* has in :func:`placed`'s output: its own, or
    ``<name>_input`` when the outputs give the point under its name."""
    return _renamed(_own_columns(frame)).get(column, column)


def _own_columns(frame: pd.DataFrame) -> list[Any]:
    """The table's own columns: not the match columns a join replaces, nor its geometry."""
    geometry = _geometry_name(frame)
    return [c for c in frame.columns if c not in MATCH_COLUMNS and c != geometry]


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
    return "" if is_missing(value) else str(value).strip()


def _resolve(
    gazetteer: Gazetteer, queries: list[Query], countries: list[str], use_context: bool
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
        except InvalidInputError as err:  # a country cell no place has: said in its rows
            found = [Match(query_text(queries[i]), "unresolved", reason=err.message)
                     for i in rows]  # fmt: skip
        for i, match in zip(rows, found, strict=True):
            matches[i] = match
    return [m for m in matches if m is not None]


_Point = tuple[float, float] | str | None  # (lat, lon), a problem, or nothing given


def _given(frame: pd.DataFrame, lat_column: str | None, lon_column: str | None) -> list[_Point]:
    """Each row's given point: from the lat/lon columns, else from the geometry, if any."""
    geometry = _geometry_name(frame)
    if lat_column is not None and lon_column is not None:
        where = f"{lat_column}/{lon_column}"
        lats, lons = frame[lat_column].tolist(), frame[lon_column].tolist()
        return [_point(lat, lon, where) for lat, lon in zip(lats, lons, strict=True)]
    if geometry is not None:
        import shapely

        shapes = frame[geometry].to_numpy()
        drawn = ~(shapely.is_missing(shapes) | shapely.is_empty(shapes))
        points = shapely.point_on_surface(shapes)  # a point's is itself
        lats, lons = shapely.get_y(points).tolist(), shapely.get_x(points).tolist()
        return [_point(lat, lon, "the geometry") if there else None
                for lat, lon, there in zip(lats, lons, drawn.tolist(), strict=True)]  # fmt: skip
    return [None] * len(frame)


def _point(lat: Any, lon: Any, where: str) -> _Point:
    """A row's given point; the reason it is not one; or None when its cells are empty."""
    texts = _text(lat), _text(lon)
    if texts == ("", ""):
        return None
    try:
        return check_point(_number(texts[0]), _number(texts[1]))
    except CoordinateError as err:
        return f"{where}: {err}"


def _number(text: str) -> float | str:
    """The number a cell holds (with a decimal comma too: "49,2105"), else its text."""
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return text


def _rows(matches: list[Match], given: list[_Point]) -> list[tuple[Any, ...]]:
    """The ``match_*`` values of each row; rows of one name without given coordinates share one."""
    made: dict[int, tuple[Any, ...]] = {}  # by the match's id: a repeated name is one Match
    rows = []
    for match, point in zip(matches, given, strict=True):
        if point is not None:
            rows.append(_row(match, point))
            continue
        if id(match) not in made:
            made[id(match)] = _row(match, None)
        rows.append(made[id(match)])
    return rows


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
            and in_bounds(x, y)
            and haversine_km(place.lat, place.lon, x, y) <= _SWAP_KM
        ):
            reason = (f"the given coordinates look swapped ({y:g}, {x:g}): {place.name} lies at "
                      f"lat {x:g}, lon {y:g}; placed by the name; {reason}")  # fmt: skip
        else:
            note = (f"; the name resolves to {place.name}, "
                    f"{haversine_km(place.lat, place.lon, y, x):,.0f} km away"
                    if far and place is not None else "")  # fmt: skip
            status, method, lat, lon = "resolved", "given", y, x
            reason = f"coordinates given in the table{note}"
    precision = None  # of a row with a point: the user's own exact, else its place's level's
    if lat is not None:
        precision = "exact" if method == "given" else precision_of(place.level) if place else None
    return (
        status, flat.score if method != "given" else 1.0, method, flat.name,
        place.level if place else None, flat.admin1, flat.country, flat.geonameid, precision,
        PRECISION_CODES[precision].radius_m if precision else None, lat, lon,
        reason, flat.candidates, flat.attribution,
    )  # fmt: skip
