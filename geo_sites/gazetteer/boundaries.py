"""The polygons of first-level units: which unit a point lies in, and where a unit is.

The polygons are Ukraine's oblasts, Crimea, Kyiv and Sevastopol from OCHA's
COD-AB (``gazetteer/ukraine-oblasts.geojson``, simplified to about 500 m; see
``gazetteer/README.md``), matched to the curated units of
``gazetteer/admin1_ua.csv`` by their P-code (its ``ocha_pcode`` column: the
KOATUU code, most often the ISO 3166-2 code without its dash, UA71 for UA-71).
They are read once, when first asked for; so are the names of the units
(``name`` and ``names`` of ``admin1_ua.csv``), for the unit a name names.

A unit that encloses a city-unit (Kyiv Oblast around Kyiv, Crimea around
Sevastopol) holds it: a place in Kyiv is within Kyiv Oblast, as the admin
codes of the gazetteer say.  A point within :data:`TOLERANCE_DEGREES` of a
unit counts as inside it, so that simplified borders lose no village on them.
"""

from __future__ import annotations

import json
import math
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..names import parse_query, skeleton

if TYPE_CHECKING:
    from shapely import Geometry

    from .sources import PlaceRecord

__all__ = [
    "TOLERANCE_DEGREES",
    "admin1_at",
    "admin1_named",
    "capitals",
    "contains",
    "named_units",
    "polygon",
    "representative_point",
]

#: How far outside a simplified border a point still counts as inside (about 1 km).
TOLERANCE_DEGREES = 0.01
_FILE = "ukraine-oblasts.geojson"


@cache
def _features() -> tuple[tuple[dict[str, str], dict[str, Any]], ...]:
    """Each feature of the polygon file with its row of ``admin1_ua.csv``, by P-code."""
    from .sources import curated_rows

    data = json.loads(resources.files("geo_sites.curated").joinpath(_FILE).read_bytes())
    by_pcode = {row["ocha_pcode"]: row for row in curated_rows("admin1_ua.csv")}
    return tuple((by_pcode[f["properties"]["ADM1_PCODE"]], f) for f in data["features"]
                 if f["properties"]["ADM1_PCODE"] in by_pcode)  # fmt: skip


@cache
def _units() -> dict[tuple[str, str], Geometry]:
    """The polygon of each known unit by (country, admin1 code), city-units separate."""
    import shapely

    return {(row["country"], row["admin1_code"]): shapely.from_geojson(
                json.dumps(feature["geometry"]))
            for row, feature in _features()}  # fmt: skip


@cache
def _areas() -> dict[tuple[str, str], Geometry]:
    """The area each unit covers, with the city-units it encloses, widened by the tolerance."""
    import shapely

    from .sources import curated_rows

    units = _units()
    enclosed: dict[tuple[str, str], list[Geometry]] = {}
    for row in curated_rows("admin1_ua.csv"):
        own = units.get((row["country"], row["admin1_code"]))
        if own is not None and row["enclosed_by"]:
            enclosed.setdefault((row["country"], row["enclosed_by"]), []).append(own)
    areas = {}
    for unit, shape in units.items():
        area = shapely.union_all([shape, *enclosed.get(unit, [])]).buffer(TOLERANCE_DEGREES)
        shapely.prepare(area)
        areas[unit] = area
    return areas


def named_units() -> list[tuple[str, Geometry]]:
    """Each unit's English name and polygon (a city-unit apart from the unit around it).

    Examples
    --------
    >>> len(named_units()), named_units()[0][0]
    (27, 'Cherkasy Oblast')
    """
    return [(row["name"], _units()[row["country"], row["admin1_code"]]) for row, _ in _features()]


def capitals() -> list[PlaceRecord]:
    """The seat of each unit (``capital`` of ``admin1_ua.csv``), labelled as the gazetteer
    labels it ("Zaporizhzhia", not GeoNames' "Zaporizhzhya"), once each (feature PPLA).

    Examples
    --------
    >>> [town.name for town in capitals()][:3]
    ['Cherkasy', 'Chernihiv', 'Chernivtsi']
    """
    from .labels import label
    from .sources import PlaceRecord, curated_rows, geonames_cities

    rows = curated_rows("admin1_ua.csv")
    cities = geonames_cities(int(row["capital"]) for row in rows)
    out: dict[int, PlaceRecord] = {}
    for row in rows:
        geonameid = int(row["capital"])
        city = cities[geonameid]
        names = tuple(city["alternatenames"])
        out.setdefault(geonameid, PlaceRecord(
            name=label(city["name"], names, geonameid=geonameid), lat=float(city["latitude"]),
            lon=float(city["longitude"]), level="settlement", country=row["country"],
            geonameid=geonameid, admin1_code=row["admin1_code"],
            population=int(city["population"] or 0), feature_code="PPLA"))  # fmt: skip
    return list(out.values())


def polygon(country: str, admin1_code: str | None) -> Geometry | None:
    """Return the polygon of first-level unit *admin1_code* of *country*, or None if unknown.

    Examples
    --------
    >>> polygon("UA", "21").geom_type, polygon("FR", "11")  # Sumy Oblast, Île-de-France
    ('Polygon', None)
    """
    return _units().get((country, admin1_code)) if admin1_code else None


def contains(country: str, admin1_code: str | None, lat: float, lon: float) -> bool | None:
    """Tell whether the point lies in the unit (or a city-unit it encloses); None if unknown.

    Examples
    --------
    >>> contains("UA", "21", 50.91, 34.80), contains("UA", "07", 50.91, 34.80)  # Sumy
    (True, False)
    >>> contains("UA", "13", 50.45, 30.52)  # Kyiv is within Kyiv Oblast
    True
    """
    import shapely

    area = _areas().get((country, admin1_code)) if admin1_code else None
    return None if area is None else bool(shapely.contains_xy(area, lon, lat))


def admin1_at(country: str, lat: float, lon: float) -> str | None:
    """Return the code of the first-level unit of *country* the point lies in, or None.

    A city-unit comes before the unit around it: Kyiv, not Kyiv Oblast.

    Examples
    --------
    >>> admin1_at("UA", 49.59, 34.55), admin1_at("UA", 50.45, 30.52)  # Poltava, Kyiv
    ('18', '12')
    """
    import shapely

    for (unit_country, code), shape in _units().items():
        if unit_country == country and shapely.contains_xy(shape, lon, lat):
            return code
    return None


def representative_point(country: str, admin1_code: str | None) -> tuple[float, float] | None:
    """Return a point (lat, lon) inside the unit's own polygon, or None if it is unknown."""
    shape = polygon(country, admin1_code)
    if shape is None:
        return None
    point = shape.representative_point()
    return round(point.y, 5), round(point.x, 5)


def radius_km(country: str, admin1_code: str | None) -> float | None:
    """Return the radius of a circle as large as the unit (``sqrt(area / pi)``), or None.

    The area is measured on the sphere's local scale at the unit's centre, which
    is close enough for a unit the size of an oblast.
    """
    shape = polygon(country, admin1_code)
    if shape is None:
        return None
    km_per_degree = 111.32
    scale = km_per_degree**2 * math.cos(math.radians(shape.centroid.y))
    return round(math.sqrt(shape.area * scale / math.pi), 1)


@cache
def _names() -> tuple[dict[tuple[str, str], str | None], dict[tuple[str, str], str | None]]:
    """The code of each unit by (country, skeleton of a name): official names, then forms.

    The official names are the English names of ``admin1_ua.csv`` and OCHA's
    (``ADM1_EN``); the forms its ``names``.  A name two units share maps to None.
    """
    from .sources import curated_rows

    rows = curated_rows("admin1_ua.csv")
    official = [(row, row["name"]) for row in rows] + [
        (row, feature["properties"]["ADM1_EN"]) for row, feature in _features()
    ]
    forms = [(row, name) for row in rows for name in row["names"].split("|")]
    tables = []
    for pairs in (official, forms):
        named: dict[tuple[str, str], str | None] = {}
        for row, name in pairs:
            key, code = (row["country"], skeleton(name)), row["admin1_code"]
            named[key] = code if named.get(key, code) == code else None
        tables.append(named)
    return tables[0], tables[1]


def admin1_named(country: str, name: str) -> str | None:
    """Return the code of the first-level unit of *country* that *name* names, or None.

    An official name comes first: the unit's English name in
    ``admin1_ua.csv`` or OCHA's (``ADM1_EN``: "Kharkivska", "Kyiv" for the
    city); then the forms ``admin1_ua.csv`` lists ("Kiev", "Kharkov"), with
    or without a qualifier ("Kyiv region" is Kyiv Oblast).  Spellings that
    share a skeleton (:func:`geo_sites.names.skeleton`) are one name, and
    punctuation is none: "Kyiv (city)" is "Kyiv City".

    Examples
    --------
    >>> [admin1_named("UA", n) for n in ("Kharkiv Oblast", "Kyivska", "Kyiv (city)", "Kyiv")]
    ['07', '13', '12', '12']
    >>> admin1_named("UA", "Kyiv region"), admin1_named("UA", "Kharkiv city")
    ('13', None)
    """
    official, forms = _names()
    parsed = parse_query(name)
    candidates = [(official, name), (forms, name), *((forms, other) for other in parsed.others)]
    if parsed.level in (None, "admin1") and parsed.context is None:
        candidates.append((forms, parsed.name))
    for table, form in candidates:
        key = (country, skeleton(form))
        if key in table:
            return table[key]
    return None
