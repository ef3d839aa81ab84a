"""The one format registry: every file geo-sites reads or writes, by extension and by content.

Each :class:`Format` says what its files hold (incident ``records``, a
``review`` sheet of extracted incidents, a GIS ``layer``, a ``table`` of rows,
a report ``document``, a ``map``, gazetteer ``places``), which function reads
and which writes it, whether ``-`` may stand for stdin or stdout, and the GDAL
driver where GDAL does the work, in the manner of geopandas'
``_EXTENSION_TO_DRIVER`` and sqlite-utils' ``Format``.

An extension may name several formats; the kind of data a command wants
decides between them (``.txt`` is a CSV table to ``join``, a report to
``extract``, a GeoNames dump to ``gazetteer add``), and where that is not
enough the content does: a ``.json`` file holds incident records, a GeoJSON
FeatureCollection or plain rows, and a ``.ndjson``/``.jsonl`` file incident
records, GeoJSON features or plain rows, one a line (:func:`sniff`); a
``.csv`` or ``.xlsx`` file is a review sheet when its header has the review
columns (:func:`geo_sites.incidents.review.is_review`), else a table.  So
whatever geo-sites writes, every command that takes that kind of data reads
back.

A reader or writer is named ``"module:function"`` and imported only when
used, so this module stays at the bottom of the package and cheap to import.
Within a kind they share a signature: a table or layer reader takes the path
and a :class:`geo_sites.tables.TableOptions`; a layer writer takes the frame,
the path and the layer name; records are read by
:func:`~geo_sites.incidents.read_incidents` and written by
:func:`~geo_sites.incidents.write_records`, review sheets by
:func:`~geo_sites.incidents.read_review` and
:func:`~geo_sites.incidents.write_review`.

Shapefile field names hold 10 bytes: :func:`shapefile_names` gives each
column of ours a fixed short name (:data:`SHAPEFILE_NAMES`), and cuts other
names by a rule; :func:`long_names` reads ours back to their long names.
"""

from __future__ import annotations

import functools
import importlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from .exceptions import InvalidInputError, ParameterError

__all__ = [
    "FORMATS",
    "SHAPEFILE_NAMES",
    "STDIO",
    "Format",
    "by_name",
    "detect",
    "extensions",
    "for_output",
    "long_names",
    "names",
    "shapefile_names",
    "sniff",
    "spool_stdin",
]

Kind = Literal["records", "review", "layer", "table", "document", "map", "places"]

#: The name that stands for stdin (an input) or stdout (an output).
STDIO = "-"


@dataclass(frozen=True, slots=True)
class Format:
    """A file format geo-sites reads or writes.

    Parameters
    ----------
    name : str
        Its name, for ``--format``: ``geojson``, ``gpkg``...
    title : str
        Its name for people: "GeoJSON", "GeoPackage"...
    extensions : tuple of str
        Lower-case extensions with the dot; the first is the usual one.
    holds : tuple of str
        The kinds of data its files hold: ``records``, ``review``, ``layer``,
        ``table``, ``document``, ``map``, ``places``.
    reader, writer : str, optional
        ``"module:function"`` that reads or writes it; None when geo-sites
        does not read (maps) or write (plain rows, documents) it.
    stdio : bool
        Whether ``-`` may stand for stdin or stdout: text formats read and
        written from start to end.
    driver : str, optional
        The GDAL driver that reads and writes it, when GDAL does.
    sidecars : tuple of str
        The files written beside the main one (a Shapefile's ``.shx``...).
    """

    name: str
    title: str
    extensions: tuple[str, ...]
    holds: tuple[Kind, ...]
    reader: str | None = None
    writer: str | None = None
    stdio: bool = False
    driver: str | None = None
    sidecars: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for extension in self.extensions:
            if not extension.startswith(".") or extension != extension.lower():
                raise InvalidInputError(
                    f"Expected extensions such as '.csv', instead got: {extension!r}"
                )

    def read_function(self) -> Callable[..., Any]:
        """The function that reads this format."""
        if self.reader is None:
            raise InvalidInputError(f"geo-sites does not read {self.title}")
        return _function(self.reader)

    def write_function(self) -> Callable[..., Any]:
        """The function that writes this format."""
        if self.writer is None:
            raise InvalidInputError(f"geo-sites does not write {self.title}")
        return _function(self.writer)


def _function(reference: str) -> Callable[..., Any]:
    module, _, name = reference.partition(":")
    function: Callable[..., Any] = getattr(importlib.import_module(module), name)
    return function


_TABLES = "geo_sites.tables"
_WRITERS = "geo_sites.export.writers"
_REVIEW = "geo_sites.incidents.review"

#: Every format, in order of preference where an extension names several.
FORMATS: tuple[Format, ...] = (
    Format("records", "incident records (JSON)", (".json",), ("records",),
           "geo_sites.incidents.records:read_incidents",
           "geo_sites.incidents.records:write_records", stdio=True),
    Format("records-ndjson", "incident records (NDJSON)", (".ndjson", ".jsonl"), ("records",),
           "geo_sites.incidents.records:read_incidents",
           "geo_sites.incidents.records:write_records", stdio=True),
    Format("review-csv", "review sheet (CSV)", (".csv",), ("review",), f"{_REVIEW}:read_review",
           f"{_REVIEW}:write_review"),
    Format("review-xlsx", "review sheet (XLSX)", (".xlsx",), ("review",),
           f"{_REVIEW}:read_review", f"{_REVIEW}:write_review"),
    Format("geojson", "GeoJSON", (".geojson", ".json"), ("layer", "table", "places"),
           f"{_TABLES}:read_gdal", f"{_WRITERS}:write_geojson", stdio=True, driver="GeoJSON"),
    Format("geojsonseq", "GeoJSON sequence", (".geojsonl", ".geojsons", ".ndjson", ".jsonl"),
           ("layer", "table"), f"{_TABLES}:read_gdal", f"{_WRITERS}:write_geojsonseq",
           stdio=True, driver="GeoJSONSeq"),
    Format("gpkg", "GeoPackage", (".gpkg",), ("layer", "table"), f"{_TABLES}:read_gdal",
           f"{_WRITERS}:write_gpkg", driver="GPKG"),
    Format("fgb", "FlatGeobuf", (".fgb",), ("layer", "table"), f"{_TABLES}:read_gdal",
           f"{_WRITERS}:write_fgb", driver="FlatGeobuf"),
    Format("parquet", "GeoParquet", (".parquet", ".geoparquet"), ("layer", "table"),
           f"{_TABLES}:read_parquet", f"{_WRITERS}:write_parquet"),
    Format("shp", "Shapefile", (".shp",), ("layer", "table"), f"{_TABLES}:read_gdal",
           f"{_WRITERS}:write_shp", driver="ESRI Shapefile",
           sidecars=(".shx", ".dbf", ".prj", ".cpg")),
    Format("geonames", "GeoNames dump", (".zip", ".txt"), ("places",),
           "geo_sites.gazetteer.sources:geonames_dump_source"),
    Format("csv", "CSV", (".csv",), ("table", "layer", "places"), f"{_TABLES}:read_csv",
           f"{_WRITERS}:write_csv", stdio=True),
    Format("delimited", "delimited text", (".tsv", ".txt"), ("table",), f"{_TABLES}:read_csv"),
    Format("xlsx", "Excel workbook", (".xlsx",), ("table", "layer"), f"{_TABLES}:read_xlsx",
           f"{_WRITERS}:write_xlsx"),
    Format("xlsm", "Excel workbook with macros", (".xlsm",), ("table", "layer"),
           f"{_TABLES}:read_xlsx"),
    Format("kml", "KML", (".kml",), ("layer", "table"), f"{_TABLES}:read_gdal",
           f"{_WRITERS}:write_kml", driver="LIBKML"),
    Format("json", "JSON rows", (".json",), ("table",), f"{_TABLES}:read_json", stdio=True),
    Format("ndjson", "NDJSON rows", (".ndjson", ".jsonl"), ("table",), f"{_TABLES}:read_ndjson",
           stdio=True),
    Format("text", "text report", (".txt", ".md", ".markdown"), ("document",),
           "geo_sites.extract.documents:read_one"),
    Format("webpage", "HTML report", (".html", ".htm"), ("document",),
           "geo_sites.extract.documents:read_one"),
    Format("html", "HTML map", (".html", ".htm"), ("map",), writer="geo_sites.maps:render"),
    Format("png", "PNG image", (".png",), ("map",), writer="geo_sites.maps:render"),
    Format("svg", "SVG image", (".svg",), ("map",), writer="geo_sites.maps:render"),
    Format("pdf", "PDF document", (".pdf",), ("map",), writer="geo_sites.maps:render"),
)  # fmt: skip

_BY_NAME = {f.name: f for f in FORMATS}
#: Formats of one extension told apart by content: (the formats, the content they hold).
_JSON_FAMILY = {"records": "records", "records-ndjson": "records", "geojson": "layer",
                "geojsonseq": "layer", "json": "rows", "ndjson": "rows"}  # fmt: skip


def by_name(name: str) -> Format:
    """Return the format named *name*.

    Raises
    ------
    InvalidInputError
        For a name no format has; the message lists them.
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise InvalidInputError(
            f"unknown format {name!r}; formats are {', '.join(_BY_NAME)}"
        ) from None


def names(kind: Kind, *, writable: bool = False) -> list[str]:
    """The names of the formats that hold *kind* (and that geo-sites writes, with *writable*)."""
    return [f.name for f in _holding((kind,), writable)]


def extensions(kind: Kind, *, writable: bool = False) -> list[str]:
    """The extensions of the formats that hold *kind*, in order, each once."""
    return list(dict.fromkeys(e for f in _holding((kind,), writable) for e in f.extensions))


def _holding(kinds: Iterable[Kind], writable: bool = False) -> list[Format]:
    return list(_formats_holding(tuple(kinds), writable))


@functools.cache  # asked once a file when a folder of reports is read
def _formats_holding(kinds: tuple[Kind, ...], writable: bool) -> tuple[Format, ...]:
    return tuple(
        f for f in FORMATS
        if any(k in f.holds for k in kinds) and (f.writer or not writable)
        and (f.reader or writable)
    )  # fmt: skip


def detect(
    path: str | os.PathLike[str], kinds: Iterable[Kind], *, fmt: str | None = None
) -> Format:
    """Return the format to read *path* in, for data of one of *kinds*.

    *fmt*, when given, names it.  Otherwise the extension does, among the
    formats that hold one of *kinds*; when it names several (``.json``,
    ``.ndjson``, ``.jsonl``), the content decides (:func:`sniff`); a ``.csv``
    or ``.xlsx`` file is a review sheet when its header says so.  For a
    table, records are rows like any other.

    Raises
    ------
    InvalidInputError
        For an unknown name or extension, or a file that holds none of *kinds*;
        the message names the file and what it holds.
    """
    kinds = tuple(kinds)
    wanted = _holding(kinds)
    if fmt:
        chosen = by_name(fmt)
        if chosen not in wanted:
            raise InvalidInputError(f"{path}: geo-sites does not read {chosen.title} "
                                    f"as {' or '.join(kinds)}")  # fmt: skip
        return chosen
    suffix = os.path.splitext(path)[1].lower()
    candidates = [f for f in wanted if suffix in f.extensions]
    if not candidates:
        raise InvalidInputError(
            f"{path}: unknown extension {suffix or '(none)'!r}; use one of "
            f"{', '.join(extensions(kinds[0]) if len(kinds) == 1 else _all_extensions(wanted))}"
        )
    if len(candidates) > 1 and any("review" in f.holds for f in candidates):
        sheet = _function(f"{_REVIEW}:is_review")(path)  # a review sheet, by its columns
        candidates = [f for f in candidates if ("review" in f.holds) == sheet] or candidates
    if len(candidates) == 1 or not all(f.name in _JSON_FAMILY for f in candidates):
        return candidates[0]
    return _by_content(path, sniff(path), candidates, kinds)


def _all_extensions(formats: list[Format]) -> list[str]:
    return list(dict.fromkeys(e for f in formats for e in f.extensions))


def _by_content(
    path: str | os.PathLike[str], content: Format, candidates: list[Format], kinds: tuple[Kind, ...]
) -> Format:
    """The candidate that holds *content* (records are rows to a table reader)."""
    if content in candidates:
        return content
    if _JSON_FAMILY[content.name] == "records" and "table" in kinds:
        rows = by_name("ndjson" if content.name == "records-ndjson" else "json")
        if rows in candidates:
            return rows
    held = [k for k in kinds if any(k in f.holds for f in candidates)]  # by this extension
    wanted = " or ".join("a layer" if k == "layer" else f"{k}" for k in held)
    raise InvalidInputError(f"{path}: holds {content.title}, not {wanted}")


def for_output(
    path: str | os.PathLike[str], kinds: Iterable[Kind], *, fmt: str | None = None
) -> Format:
    """Return the format to write *path* in, for data of the first of *kinds* it fits.

    *fmt*, when given, names it; else the extension of *path* does.  ``-``
    (stdout) needs *fmt*, and a format that can be streamed.

    Raises
    ------
    ParameterError
        For an unknown name or extension (``parameter`` is ``fmt`` or
        ``path``), a *fmt* that another format's extension contradicts, or
        ``-`` with a format that cannot go to stdout.
    """
    kinds = tuple(kinds)
    writable = _holding(kinds, writable=True)
    stdout = str(path) == STDIO
    if fmt:
        if fmt not in (f.name for f in writable):
            raise ParameterError(
                f"unknown output format {fmt!r}; formats are "
                f"{', '.join(f.name for f in writable)}", parameter="fmt",
            )  # fmt: skip
        chosen = by_name(fmt)
        suffix = Path(path).suffix.lower()
        said = {f.name for f in writable if suffix in f.extensions}
        if not stdout and said and chosen.name not in said:  # out.csv written as GeoPackage
            raise ParameterError(
                f"{path}: the extension says {', '.join(sorted(said))}, not {fmt}; name the "
                f"file {chosen.extensions[0]} or give no format", parameter="fmt",
            )  # fmt: skip
    elif stdout:
        raise ParameterError("-: give the format to write to stdout", parameter="fmt")
    else:
        suffix = Path(path).suffix.lower()
        found = next(
            (f for k in kinds for f in writable if k in f.holds and suffix in f.extensions), None
        )
        if found is None:
            what = "map" if kinds == ("map",) else "output"
            raise ParameterError(
                f"{path}: unknown {what} extension {suffix or '(none)'!r}; use one of "
                f"{', '.join(_all_extensions(writable))}",
                parameter="path",
            )
        chosen = found
    if stdout and not chosen.stdio:
        raise ParameterError(f"-: {chosen.title} cannot be written to stdout; give a file",
                             parameter="path")  # fmt: skip
    return chosen


# -- what a JSON file holds ------------------------------------------------------------------

# A JSON text as tokens: strings, structure, and the scalars between them.
_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[{}\[\]:,]|[^\s"{}\[\]:,]+')
#: Fields that only an incident record has (of records and rows alike, only records have these).
_RECORD_FIELDS = frozenset(("site", "event_type"))
_GEOJSON_TYPES = frozenset(('"FeatureCollection"', '"Feature"'))
_HEAD = 64 * 1024


def sniff(path: str | os.PathLike[str]) -> Format:
    """Tell what a JSON or NDJSON file holds by its first bytes.

    * a ``.json`` document: a GeoJSON FeatureCollection (or Feature);
      incident records (an object with an ``incidents`` list, or a list of
      objects with a ``site`` or ``event_type``); else plain rows;
    * lines of JSON (``.ndjson``, ``.jsonl``, or a file without an extension
      whose first line is a whole object): GeoJSON features, incident
      records or plain rows, by the first line.

    Files that are neither (empty, binary, broken) are taken as records or
    rows, whose readers say what is wrong with them.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as file:
            head = file.read(_HEAD)
            while b"\n" not in head and (more := file.read(_HEAD)):
                head += more  # a long first line: read to its end
    except OSError:
        head = b""
    first_line = head.split(b"\n", 1)[0]
    text = head.decode("utf-8", "replace").lstrip("\ufeff\x1e \t\r\n")
    lines = suffix in (".ndjson", ".jsonl", ".geojsonl", ".geojsons")
    if not suffix:  # stdin: lines when the first line is a whole object and more follows
        lines = _whole_object(first_line) and bool(head[len(first_line) :].strip())
    if lines:
        keys = _keys(first_line.decode("utf-8", "replace").lstrip("\ufeff\x1e \t\r"), 1)
        if keys.get("type") in _GEOJSON_TYPES:
            return by_name("geojsonseq")
        return by_name("ndjson" if keys and not _RECORD_FIELDS & keys.keys()
                       else "records-ndjson")  # fmt: skip
    if text.startswith("{"):
        keys = _keys(text, 1)
        if keys.get("type") in _GEOJSON_TYPES or keys.get("features") == "[":
            return by_name("geojson")
        if not suffix and _RECORD_FIELDS & keys.keys():  # one record on stdin
            return by_name("records-ndjson")
        if keys.get("incidents") == "[" or not keys:
            return by_name("records")
        return by_name("json")
    if text.startswith("["):
        keys = _keys(text, 2)
        if keys and not _RECORD_FIELDS & keys.keys():
            return by_name("json")
    return by_name("records")


def _whole_object(line: bytes) -> bool:
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, RecursionError):
        return False


def _keys(text: str, depth: int) -> dict[str, str]:
    """The keys of the first object at *depth* in *text*, with the first token of each value.

    Values are shown by their first token: a string with its quotes, ``{``,
    ``[``, or the scalar.  Reads no further than that object, nor past *text*.
    """
    keys: dict[str, str] = {}
    level, key, after_colon = 0, None, False
    for match in _TOKEN.finditer(text):
        token = match.group()
        if level == depth and after_colon and key is not None:
            keys[key], key, after_colon = token, None, False
            if token not in ("{", "["):
                continue
        if token in ("{", "["):
            level += 1
        elif token in ("}", "]"):
            level -= 1
            if level < depth:
                break
        elif level == depth and token == ":":
            after_colon = key is not None
        elif level == depth and token == ",":
            key = None
        elif level == depth and key is None and token.startswith('"'):
            key = _string(token)
    return keys


def _string(token: str) -> str:
    try:
        value = json.loads(token)
    except ValueError:
        return token.strip('"')
    return value if isinstance(value, str) else token


# -- stdin -----------------------------------------------------------------------------------


def spool_stdin(folder: str | os.PathLike[str], kinds: Iterable[Kind]) -> Path:
    """Copy stdin into a file in *folder*, named ``stdin`` with the extension of its content.

    The content decides: JSON (GeoJSON, records or rows), lines of JSON, or
    else CSV, the formats that can be streamed.

    Raises
    ------
    InvalidInputError
        When stdin is empty, or holds none of *kinds*.
    """
    data = sys.stdin.buffer.read()
    if not data.strip():
        raise InvalidInputError("-: stdin is empty")
    raw = Path(folder) / "stdin"
    raw.write_bytes(data)
    start = data.lstrip(b"\xef\xbb\xbf\x1e \t\r\n")[:1]
    content = sniff(raw) if start in (b"{", b"[") else by_name("csv")
    if content.name in _JSON_FAMILY:
        content = _by_content("-", content, _holding(kinds), tuple(kinds))
    elif content not in _holding(kinds):
        raise InvalidInputError(f"-: stdin holds {content.title}, not {' or '.join(kinds)}")
    return raw.rename(raw.with_name(f"stdin{content.extensions[0]}"))


# -- Shapefile field names -------------------------------------------------------------------

#: The fixed short name of each column of ours that is longer than a Shapefile allows.
SHAPEFILE_NAMES = {
    # sites (geo_sites.incidents.sites)
    "place_as_written": "place_wrtn", "acled_geo_precision": "acled_geo",
    "ucdp_where_prec": "ucdp_where", "event_start": "ev_start", "event_end": "ev_end",
    "date_precision": "date_prec", "acled_time_precision": "acled_time",
    "first_report": "first_rep", "last_report": "last_rep", "source_count": "n_sources",
    "sources_json": "src_json", "attribution": "attributn",
    # incidents (geo-sites extract)
    "incident_id": "inc_id", "report_date": "report_dt",
    # joined tables (geo-sites join)
    "match_status": "m_status", "match_score": "m_score", "match_method": "m_method",
    "match_name": "m_name", "match_level": "m_level", "match_admin1": "m_admin1",
    "match_country": "m_country", "match_geonameid": "m_geoname",
    "match_precision": "m_precis", "match_radius_m": "m_radius_m", "match_lat": "m_lat",
    "match_lon": "m_lon", "match_reason": "m_reason", "match_candidates": "m_candid",
    "match_attribution": "m_attrib",
}  # fmt: skip
_SHAPEFILE_FIELD_BYTES = 10


def shapefile_names(columns: Iterable[str]) -> dict[str, str]:
    """Short names for *columns*, each of at most 10 bytes (UTF-8) and unique.

    A column of ours gets its name in :data:`SHAPEFILE_NAMES`; a name that
    fits stays as it is; any other is cut to 10 bytes (never within a
    character).  A name taken already gets ``_2``, ``_3``... in place of its
    last bytes, in the order of the columns.
    """
    out: dict[str, str] = {}
    taken: set[str] = set()
    for column in columns:
        short = SHAPEFILE_NAMES.get(column) or _cut(column, _SHAPEFILE_FIELD_BYTES)
        number = 2
        while short.lower() in taken:  # DBF field names are compared without case
            suffix = f"_{number}"
            short = _cut(column, _SHAPEFILE_FIELD_BYTES - len(suffix)) + suffix
            number += 1
        taken.add(short.lower())
        out[column] = short
    return out


def long_names(columns: Iterable[str]) -> dict[str, str]:
    """The long names of the short names :func:`shapefile_names` gives our columns."""
    longs = {short: long for long, short in SHAPEFILE_NAMES.items()}
    present = set(columns)
    return {c: longs[c] for c in present if c in longs and longs[c] not in present}


def _cut(name: str, size: int) -> str:
    return name.encode("utf-8")[:size].decode("utf-8", "ignore")
