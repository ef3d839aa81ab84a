"""The verbs of ``geo_sites``: one call per step, for notebooks and scripts.

Each verb calls one library function and adds nothing to its logic.  Those
that need the gazetteer take it as ``gazetteer=``; ``None`` opens the default
gazetteer for that one call and closes it after, so a script of several steps
opens it once and passes it on::

    with geo_sites.Gazetteer.default() as gazetteer:
        incidents = geo_sites.extract("reports/", gazetteer=gazetteer)
        located = geo_sites.locate(incidents, gazetteer=gazetteer)

:func:`geo_sites.render` is :func:`geo_sites.maps.render` itself.  The examples
assume ``import geo_sites``, ``import pandas as pd`` and
``from pathlib import Path``.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import datetime as dt
    from pathlib import Path

    import geopandas as gpd
    import pandas as pd

    from .gazetteer import Gazetteer
    from .incidents import Incident, LocatedIncident, Site
    from .maps import MapOptions
    from .run import RunResult

__all__ = ["extract", "join", "locate", "merge", "read", "run", "sites_frame", "write"]

log = logging.getLogger(__name__)

_Paths = str | os.PathLike[str] | Iterable[str | os.PathLike[str]]


@contextmanager
def _opened(gazetteer: Gazetteer | None) -> Iterator[Gazetteer]:
    """*gazetteer*, or the default one, open for the block only."""
    if gazetteer is not None:
        yield gazetteer
        return
    from .gazetteer import Gazetteer

    with Gazetteer.default() as default:
        yield default


def read(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int = 0,
    layer: str | None = None,
) -> pd.DataFrame:
    """Read a table: CSV, XLSX, JSON, NDJSON, GeoJSON or GeoPackage; every row, in order.

    Parameters
    ----------
    path : path-like
        The file; its extension gives the format unless *fmt* does.
    fmt : str, optional
        ``csv``, ``xlsx``, ``json``, ``ndjson``, ``geojson``, ``geojsonseq`` or ``gpkg``.
    encoding : str, optional
        The text encoding of a CSV or JSON file; detected when not given.
    delimiter : str, optional
        The CSV delimiter; detected when not given.
    sheet : str or int
        The XLSX sheet, by name or by position from 0.
    layer : str, optional
        The layer of a GeoPackage of several layers.

    Returns
    -------
    pandas.DataFrame
        A GeoDataFrame in EPSG:4326 for GeoJSON and GeoPackage; the encoding a
        text file was read in is ``frame.attrs["encoding"]``.

    Raises
    ------
    InvalidInputError
        For a missing, empty, binary or malformed file, naming the file and
        the row or column; for a missing sheet or layer.

    Examples
    --------
    >>> _ = Path("towns.csv").write_text("place;killed\\nIzium;3\\nБуча;7\\n", "utf-8")
    >>> geo_sites.read("towns.csv")
      place  killed
    0  Izium       3
    1   Буча       7
    """
    from .tables import read_table

    return read_table(path, fmt=fmt, encoding=encoding, delimiter=delimiter, sheet=sheet,
                      layer=layer)  # fmt: skip


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
    InvalidInputError
        If a named column does not exist (the message lists the columns), or
        *country* is not a country code the gazetteer knows.

    Examples
    --------
    >>> names = pd.DataFrame({"place": ["Izium", "Kharviv", "Qwxzvillekrt"]})
    >>> frame = geo_sites.join(names, place_column="place")
    >>> frame[["place", "match_status", "match_name"]]
              place match_status match_name
    0         Izium     resolved      Izyum
    1       Kharviv     resolved    Kharkiv
    2  Qwxzvillekrt   unresolved        NaN
    >>> summary = frame.attrs["join_summary"]
    >>> summary["resolved"], summary["unresolved"]
    (2, 1)
    """
    from dataclasses import asdict

    from .join import join as join_table

    with _opened(gazetteer) as opened:
        joined, summary = join_table(
            frame, opened, place_column=place_column, country_column=country_column,
            admin1_column=admin1_column, country=country, lat_column=lat_column,
            lon_column=lon_column, use_context=use_context, source=source,
        )  # fmt: skip
    # Small plain values: pandas copies attrs into every frame made from this one, and
    # writes them as JSON; the names not placed are in the frame.
    values = asdict(summary)
    del values["unplaced"]
    joined.attrs["join_summary"] = {**values, "text": str(summary)}
    return joined


def extract(
    paths: _Paths,
    *,
    gazetteer: Gazetteer | None = None,
    country: str | None = None,
    report_date: dt.date | None = None,
    encoding: str | None = None,
    workers: int = 1,
) -> list[Incident]:
    """Extract the incidents that report text describes: ``.txt``, ``.md`` and ``.html`` files.

    Each incident carries its sentence, its character offsets, the document's
    path and sha256 and the extractor's version.  Files that are not read
    (not a report type, binary, empty) or fail are named in one warning;
    :func:`geo_sites.extract.extract_files` gives the manifest of every file.

    Parameters
    ----------
    paths : path-like or iterable of path-likes
        Report files, or folders of them (read recursively, in name order).
    gazetteer : Gazetteer, optional
        None opens the default gazetteer for this call and closes it after.
    country : str, optional
        Only places in this country (ISO 3166-1 alpha-2, e.g. ``UA``).
    report_date : datetime.date, optional
        The report date of documents that do not give one.
    encoding : str, optional
        The text encoding of every file; detected per file when not given.
    workers : int
        Processes to share the files between.

    Returns
    -------
    list of Incident
        In the order of the files and of their sentences.

    Raises
    ------
    InvalidInputError
        For an *encoding* that Python does not know.

    Examples
    --------
    >>> text = "date 2022-09-16\\nA mass grave with 440 bodies was found in Izium."
    >>> _ = Path("izium.txt").write_text(text, "utf-8")
    >>> [(i.place, i.event_type, i.counts[0].best) for i in geo_sites.extract("izium.txt")]
    [('Izium', 'mass_grave', 440)]
    """
    from .extract import extract_files

    if isinstance(paths, str | os.PathLike):
        paths = [paths]
    with _opened(gazetteer) as opened:
        batch = extract_files(*paths, gazetteer=opened, country=country, report_date=report_date,
                              encoding=encoding, workers=workers)  # fmt: skip
    unread = [e for e in batch.manifest if e.status not in ("processed", "empty")]
    if unread:
        more = f"; and {len(unread) - 20:,} more" if len(unread) > 20 else ""
        log.warning("%d of %d files not read: %s%s", len(unread), len(batch.manifest),
                    "; ".join(f"{e.path} ({e.status}: {e.reason})" for e in unread[:20]),
                    more)  # fmt: skip
    return list(batch.incidents)


def locate(
    incidents: Sequence[Incident], *, gazetteer: Gazetteer | None = None, country: str | None = None
) -> list[LocatedIncident]:
    """Resolve the place of each incident, with the others of its document as context.

    Parameters
    ----------
    incidents : sequence of Incident
        From :func:`extract`, or records (:func:`geo_sites.incidents.read_incidents`).
    gazetteer : Gazetteer, optional
        None opens the default gazetteer for this call and closes it after.
    country : str, optional
        Only places in this country (ISO 3166-1 alpha-2).

    Returns
    -------
    list of LocatedIncident
        One per incident, in order, whatever the answer: ``.match.status`` is
        resolved, ambiguous or unresolved, ``.match.reason`` says why.

    Raises
    ------
    InvalidInputError
        When *country* is not a country code the gazetteer knows.

    Examples
    --------
    >>> from geo_sites.incidents import Incident, Source
    >>> grave = Incident("Izium mass grave", "Izium", "mass_grave", sources=(Source("AP"),))
    >>> located = geo_sites.locate([grave])
    >>> located[0].match.status, located[0].match.place.name
    ('resolved', 'Izyum')
    """
    from .incidents import locate as locate_incidents

    with _opened(gazetteer) as opened:
        return locate_incidents(incidents, opened, country=country)


def merge(located: Iterable[LocatedIncident]) -> list[Site]:
    """Merge the incidents that describe the same site into one site each.

    Incidents are one site when they share the place (and whether it is
    *near* the place), the event type and overlapping dates.  A site keeps
    every source; counts of one kind become a range.

    Parameters
    ----------
    located : iterable of LocatedIncident
        From :func:`locate`.

    Returns
    -------
    list of Site
        In the order of their first incident.

    Examples
    --------
    >>> from geo_sites.incidents import Count, Incident, Source
    >>> reports = [Incident("Izium grave", "Izium", "mass_grave", counts=(Count("bodies", 440),),
    ...                     sources=(Source("AP"),)),
    ...            Incident("Izyum graves", "Izyum", "mass_grave", counts=(Count("bodies", 447),),
    ...                     sources=(Source("Reuters"),))]
    >>> [(s.name, len(s.incidents)) for s in geo_sites.merge(geo_sites.locate(reports))]
    [('Izium grave', 2)]
    """
    from .incidents import merge as merge_located

    return merge_located(located)


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
    from .incidents import sites_frame as frame_of

    return frame_of(sites)


def write(
    frame: gpd.GeoDataFrame,
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    sequence: bool = False,
    qml: bool = False,
    layer: str | None = None,
) -> Path:
    """Write a layer, atomically: GeoJSON, GeoJSON lines, GeoPackage, CSV or KML.

    Parameters
    ----------
    frame : GeoDataFrame
        Sites or a joined table: point geometries (or nulls) in EPSG:4326.
    path : path-like
        The file to write; its extension gives the format unless *fmt* does.
    fmt : str, optional
        ``geojson``, ``geojsonseq``, ``gpkg``, ``csv`` or ``kml``.
    sequence : bool
        Write GeoJSON as one feature a line.
    qml : bool
        Also write a QGIS style beside a GeoJSON file of sites.
    layer : str, optional
        The layer name (GeoPackage, KML); by default the file's stem.

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    InvalidInputError
        For an unknown format, or options that do not fit it.
    OutputError
        When the file cannot be written; a file already there is left as it was.

    Examples
    --------
    >>> frame = geo_sites.join(pd.DataFrame({"place": ["Bucha"]}), place_column="place")
    >>> geo_sites.write(frame, "bucha.gpkg")
    PosixPath('bucha.gpkg')
    """
    from .export import write as write_layer

    return write_layer(frame, path, fmt=fmt, sequence=sequence, qml=qml, layer=layer)


def run(
    *inputs: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    name: str | None = None,
    options: MapOptions | None = None,
    country: str | None = None,
) -> RunResult:
    """The whole job: reports or records to a map, an image, GIS layers and a report.

    Writes into *folder*, for inputs named ``NAME``: ``NAME.html``,
    ``NAME.png``, ``NAME.geojson``, ``NAME.gpkg`` and ``NAME-report.md`` (and
    from report text ``NAME-incidents.ndjson`` with its manifest), all or
    none: a run that fails leaves the files of the previous run.

    Parameters
    ----------
    *inputs : path-like
        Report files (``.txt``, ``.md``, ``.html``), records (``.json``,
        ``.ndjson``) or layers, or folders of them.
    folder : path-like
        Where to write; made if missing.
    name : str, optional
        The files' name; by default the first input's.
    options : MapOptions, optional
        How to draw the maps (the image has no timeline).
    country : str, optional
        Only places in this country (ISO 3166-1 alpha-2).

    Returns
    -------
    RunResult
        The files written, the report's text, and the numbers of sites and
        of sites placed.

    Raises
    ------
    InvalidInputError
        For bad records, or when no site can be placed.
    OutputError
        When *folder* cannot be made or written.

    Examples
    --------
    >>> _ = Path("grave.txt").write_text("A mass grave was found in Izium.", "utf-8")
    >>> result = geo_sites.run("grave.txt", folder="out")
    >>> [p.name for p in result.files][-3:], result.placed
    (['grave.geojson', 'grave.gpkg', 'grave-report.md'], 1)
    """
    from .run import run as run_all

    return run_all(*inputs, folder=folder, name=name, options=options, country=country)
