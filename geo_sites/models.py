"""Immutable value objects passed between the stages of the pipeline.

``Place``
    A feature of a gazetteer: a settlement, an administrative unit, a country
    or a continent.
``Candidate``
    One place a name may refer to, with how well it matched and its score.
``Match``
    The answer to one query: a status, the chosen candidate and the others.

Coordinates are ``lat``/``lon`` in WGS84 everywhere.  Two helpers hold the
rules of coordinates, once for the package:

:func:`check_point`
    the range check: a latitude in [-90, 90] and a longitude in [-180, 180]
    (:func:`in_bounds` for many at once), or :class:`CoordinateError`;
:func:`xy`
    the switch to the x, y order of GeoJSON, shapely and GDAL: ``(lon, lat)``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from .exceptions import CoordinateError, InvalidInputError

__all__ = [
    "GEONAMES_CREDIT",
    "LEVELS",
    "METHODS",
    "STATUSES",
    "Candidate",
    "Match",
    "Place",
    "check_point",
    "haversine_km",
    "in_bounds",
    "nearest_km",
    "xy",
]

#: Attribution every answer derived from GeoNames carries.
GEONAMES_CREDIT = "GeoNames (geonames.org), CC BY 4.0"

Level = Literal["site", "settlement", "admin3", "admin2", "admin1", "country", "continent"]
Method = Literal["exact", "alias", "transliteration", "fuzzy", "online"]
Status = Literal["resolved", "ambiguous", "unresolved"]

#: Levels from the most to the least precise.
LEVELS: tuple[Level, ...] = (
    "site", "settlement", "admin3", "admin2", "admin1", "country", "continent",
)  # fmt: skip
#: How a name met a place, from the strictest to the loosest.
METHODS: tuple[Method, ...] = ("exact", "alias", "transliteration", "fuzzy", "online")
STATUSES: tuple[Status, ...] = ("resolved", "ambiguous", "unresolved")


_T = TypeVar("_T")


def xy(lat: _T, lon: _T) -> tuple[_T, _T]:
    """Return a point given as *lat*, *lon* in x, y order: ``(lon, lat)``.

    The one place where the order switches: GeoJSON, shapely, GDAL and
    geopandas take x (the longitude) first.  *lat* and *lon* may be numbers
    or columns of them.

    >>> xy(49.20697, 37.27679)
    (37.27679, 49.20697)
    """
    return lon, lat


def in_bounds(lat: Any, lon: Any) -> Any:
    """Tell whether *lat*, *lon* lie on the globe: lat in [-90, 90], lon in [-180, 180].

    NaN and infinities do not.  For numbers the answer is a bool, for arrays
    or Series of them an array of bools.
    """
    return (lat >= -90.0) & (lat <= 90.0) & (lon >= -180.0) & (lon <= 180.0)


def check_point(lat: object, lon: object, where: str = "") -> tuple[float, float]:
    """Return *lat*, *lon* as floats when they are numbers on the globe (:func:`in_bounds`).

    Raises
    ------
    CoordinateError
        When either is not a number, or the point is out of range; *where*
        (a file and row, a parameter) starts the message.

    >>> check_point(49.2, 37)
    (49.2, 37.0)
    >>> check_point(95.3, 37.2, "row 2")
    Traceback (most recent call last):
    geo_sites.exceptions.CoordinateError: row 2: coordinates out of range (lat 95.3, lon 37.2)
    """
    prefix = f"{where}: " if where else ""
    if not isinstance(lat, float | int) or not isinstance(lon, float | int):
        raise CoordinateError(f"{prefix}coordinates are not numbers (lat {lat!r}, lon {lon!r})")
    if not in_bounds(lat, lon):
        raise CoordinateError(f"{prefix}coordinates out of range (lat {lat:.15g}, lon {lon:.15g})")
    return float(lat), float(lon)


def _check_choice(value: object, choices: tuple[str, ...], what: str) -> None:
    if value not in choices:
        raise InvalidInputError(
            f"Expected {what} to be one of {', '.join(choices)}, instead got: {value!r}"
        )


@dataclass(frozen=True, slots=True)
class Place:
    """A place of a gazetteer.

    Parameters
    ----------
    name : str
        The place's primary name.
    lat, lon : float
        WGS84 coordinates of its representative point.
    level : str
        One of :data:`LEVELS`: ``site`` is a point feature a user added (a
        cemetery, a building), ``settlement`` a populated place, ``admin3`` to
        ``admin1`` administrative units (hromada, raion, oblast), then
        ``country`` and ``continent``.
    country : str
        ISO 3166-1 alpha-2 code, upper case ("" when unknown, and for a
        continent, which lies in no country).
    geonameid : int or None
        GeoNames id, for places that come from GeoNames.
    admin1 : str or None
        Name of the first-level unit (oblast) the place lies in.
    admin1_code, admin2_code : str or None
        GeoNames admin codes, used to test containment.
    population : int
        Population, 0 when unknown.
    feature_code : str or None
        GeoNames feature code (PPL, PPLA, ADM1...) when the source gives it.
    source : str
        Label of the gazetteer source the place comes from.
    attribution : str or None
        The credit line to show wherever the place is shown.
    radius_km : float or None
        How far from the point the place reaches, in kilometres: for a unit,
        the radius its extent or its settlements give; None for a point
        (a settlement, a site) or when unknown.
    """

    name: str
    lat: float
    lon: float
    level: Level
    country: str = ""
    geonameid: int | None = None
    admin1: str | None = None
    admin1_code: str | None = None
    admin2_code: str | None = None
    population: int = 0
    feature_code: str | None = None
    source: str = ""
    attribution: str | None = None
    radius_km: float | None = None

    def __post_init__(self) -> None:
        check_point(self.lat, self.lon, self.name)
        _check_choice(self.level, LEVELS, "level")
        if self.radius_km is not None and not 0.0 <= self.radius_km < 20038.0:
            raise InvalidInputError(
                f"Expected radius_km in [0, 20038) km, instead got: {self.radius_km!r}"
            )

    def geojson_coordinates(self) -> tuple[float, float]:
        """Return the point in GeoJSON order, ``(lon, lat)`` (:func:`xy`)."""
        return xy(self.lat, self.lon)

    def distance_km(self, lat: float, lon: float) -> float:
        """Return the great-circle distance to ``(lat, lon)`` in kilometres."""
        return haversine_km(self.lat, self.lon, lat, lon)

    def to_dict(self) -> dict[str, Any]:
        """Return the place as a JSON-ready dict."""
        return {
            "name": self.name,
            "lat": self.lat,
            "lon": self.lon,
            "level": self.level,
            "country": self.country,
            "admin1": self.admin1,
            "geonameid": self.geonameid,
            "population": self.population,
            "feature_code": self.feature_code,
            "source": self.source,
            "attribution": self.attribution,
            "radius_km": self.radius_km,
        }


@dataclass(frozen=True, slots=True)
class Candidate:
    """A place a name may refer to.

    Parameters
    ----------
    place : Place
    matched_name : str
        The name of the place that the query met (primary, alternate or alias).
    method : str
        One of :data:`METHODS`.
    score : float
        Confidence in 0..1 that this is the place meant.
    """

    place: Place
    matched_name: str
    method: Method
    score: float

    def __post_init__(self) -> None:
        _check_choice(self.method, METHODS, "method")
        if not 0.0 <= self.score <= 1.0:
            raise InvalidInputError(f"Expected a score in [0, 1], instead got: {self.score!r}")

    def to_dict(self) -> dict[str, Any]:
        """Return the candidate as a flat JSON-ready dict."""
        return {
            "score": round(self.score, 4),
            "matched_name": self.matched_name,
            "method": self.method,
            **self.place.to_dict(),
        }


@dataclass(frozen=True, slots=True)
class Match:
    """The answer to one query.

    Parameters
    ----------
    query : str
        The name as asked.
    status : str
        ``resolved``, ``ambiguous`` (a runner-up is close: see ``candidates``) or
        ``unresolved`` (nothing scored above the threshold).
    candidates : tuple of Candidate
        Best first.  For a resolved or ambiguous match the first is the answer.
    reason : str
        Why this answer was chosen, in one sentence.
    raw : dict
        Provider payload, for answers from an online geocoder.
    """

    query: str
    status: Status
    candidates: tuple[Candidate, ...] = ()
    reason: str = ""
    raw: dict[str, Any] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        _check_choice(self.status, STATUSES, "status")
        if self.status != "unresolved" and not self.candidates:
            raise InvalidInputError(f"A {self.status} match needs a candidate: {self.query!r}")

    @property
    def best(self) -> Candidate | None:
        """The chosen candidate, or None when unresolved."""
        return self.candidates[0] if self.status != "unresolved" else None

    @property
    def place(self) -> Place | None:
        """The chosen place, or None when unresolved."""
        best = self.best
        return best.place if best else None

    @property
    def score(self) -> float:
        """Confidence in the chosen place (0 when unresolved)."""
        best = self.best
        return best.score if best else 0.0

    def __bool__(self) -> bool:
        return self.status != "unresolved"

    def candidates_text(self) -> str:
        """The candidates on one line, best first: ``Izyum (Kharkiv Oblast, 0.97); ...``."""
        return "; ".join(
            f"{c.place.name} ({c.place.admin1 or c.place.country}, {c.score:.2f})"
            for c in self.candidates
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the match as a JSON-ready dict (the schema in docs/resolve-json.md)."""
        best = self.best
        place = best.place if best else None
        return {
            "query": self.query,
            "status": self.status,
            "score": round(best.score, 4) if best else 0.0,
            "matched_name": best.matched_name if best else None,
            "method": best.method if best else None,
            "name": place.name if place else None,
            "level": place.level if place else None,
            "lat": place.lat if place else None,
            "lon": place.lon if place else None,
            "geonameid": place.geonameid if place else None,
            "country": place.country if place else None,
            "admin1": place.admin1 if place else None,
            "population": place.population if place else None,
            "source": place.source if place else None,
            "attribution": place.attribution if place else None,
            "reason": self.reason,
            "candidates": [c.to_dict() for c in self.candidates],
        }


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two WGS84 points in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12742.0 * math.asin(min(1.0, math.sqrt(h)))


def nearest_km(lat: float, lon: float, points: Sequence[tuple[float, float]]) -> float:
    """Return the distance in kilometres from ``(lat, lon)`` to the nearest of *points*.

    The value is ``min(haversine_km(lat, lon, *p) for p in points)`` to the
    last bit: numpy measures every point at once (its sines may differ from
    ``math``'s in the last place), and the few points within a hair of the
    nearest are measured again by :func:`haversine_km`.  The points' radians
    are kept for the next call with the same *points* object, as a context's
    points are used for every candidate of every name.
    """
    if len(points) <= _FEW_POINTS:
        return min(haversine_km(lat, lon, p_lat, p_lon) for p_lat, p_lon in points)
    import numpy as np

    global _RADIANS
    cached = _RADIANS
    if cached[0] is not points:
        table = np.array(points, dtype="float64").reshape(-1, 2)
        lats = np.radians(table[:, 0])
        cached = _RADIANS = (points, lats, table[:, 1].copy(), np.cos(lats))
    _, lats, lons, cosines = cached
    p1 = math.radians(lat)
    h = (
        np.sin((lats - p1) / 2) ** 2
        + math.cos(p1) * cosines * np.sin(np.radians(lons - lon) / 2) ** 2
    )
    close = np.flatnonzero(h <= h.min() * (1 + 1e-9) + 1e-18)
    return min(haversine_km(lat, lon, *points[i]) for i in close.tolist())


_FEW_POINTS = 8  # this many points or fewer are measured one by one
_RADIANS: tuple[object, Any, Any, Any] = (None, None, None, None)
