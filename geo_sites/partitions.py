"""Join a table too big for memory, partition by partition, on a dask cluster.

:func:`join_partitions` reads a partitioned table (Parquet files, or CSV
files) and writes a partitioned GeoParquet dataset, a part per partition, in
two passes over the table:

1. Each partition gives its distinct names, with their regions and
   countries.  The client gathers them in the table's order and resolves
   them together (:func:`geo_sites.join.resolve_keys`): the places of the
   whole table are each name's context, as in memory.
2. The workers join each partition to those answers
   (:func:`geo_sites.join.placed`), and write it (``dask_geopandas``).

So a name resolves the same way in every partition, and the result equals
the in-memory join of the whole table, row for row.  Only the distinct names
and their matches are held by the client.

A CSV table's cells stay text here: each partition is read on its own, so a
column cannot be typed by all its cells, as :func:`geo_sites.tables.read_table`
types it.  Parquet keeps its types.
"""

from __future__ import annotations

import os
import re
import shutil
from contextlib import ExitStack
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .exceptions import InvalidInputError, ParameterError

if TYPE_CHECKING:
    import pandas as pd

    from .cluster import Cluster
    from .gazetteer import Gazetteer
    from .join import JoinSummary, Key
    from .models import Match

__all__ = ["join_partitions", "read_partitions"]

_CSV_BLOCK = "64MB"  # the size of a partition of a UTF-8 CSV file
_DIGITS = re.compile(r"(\d+)")
_PART = re.compile(r"part\.\d+\.parquet|_metadata|_common_metadata")  # what dask writes
_STAGING = ".geo-sites-join-"  # the folders a join writes into, by the id of its process


@dataclass(frozen=True, slots=True)
class _Columns:
    """The columns a join reads, and the country of rows without one."""

    place: str
    admin1: str | None
    country_column: str | None
    country: str | None
    lat: str | None
    lon: str | None

    def keys(self, part: pd.DataFrame) -> list[Key]:
        from .join import row_keys

        return row_keys(part, self.place, self.admin1, self.country_column, self.country)


def join_partitions(
    table: str | os.PathLike[str],
    output: str | os.PathLike[str],
    *,
    place_column: str,
    scheduler: str,
    workers: int = 1,
    gazetteer: Gazetteer | None = None,
    country_column: str | None = None,
    admin1_column: str | None = None,
    country: str | None = None,
    lat_column: str | None = None,
    lon_column: str | None = None,
    use_context: bool = True,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> JoinSummary:
    """Join the partitioned *table* to places on a dask cluster, into a GeoParquet dataset.

    The parameters are those of :func:`geo_sites.join.join`, and of
    :func:`read_partitions`; *scheduler* and *workers* are those of
    :func:`geo_sites.cluster.on_cluster`.  *output* is a folder of
    ``part.N.parquet`` files, a part per partition of the table, written
    beside it first and put in place when all are written.

    Returns
    -------
    JoinSummary
        The counts of the whole join.

    Raises
    ------
    ParameterError
        For a missing column, an *output* that is not ``.parquet`` or is
        something else than a dataset this wrote, a *scheduler* that cannot
        be reached, or dask that is not installed.
    InvalidInputError
        For a table that is neither Parquet nor CSV.
    """
    from .cluster import on_cluster
    from .join import check_columns, resolve_keys

    output = Path(output)
    _check_output(output, table)
    with ExitStack() as stack:
        cluster = stack.enter_context(on_cluster(scheduler, workers))  # dask's client too
        try:
            import dask
            import dask_geopandas  # noqa: F401 - frames of GeoDataFrames are dask-geopandas'
        except ImportError:
            raise ParameterError("a partitioned join needs dask-geopandas: pip install "
                                 "'geo-sites[dask]'", parameter="scheduler") from None  # fmt: skip
        stack.enter_context(dask.config.set({"dataframe.convert-string": False}))  # as pandas
        frame, used = read_partitions(table, encoding=encoding, delimiter=delimiter)
        check_columns(frame.columns, source=str(table), place_column=place_column,
                      country_column=country_column, admin1_column=admin1_column,
                      lat_column=lat_column, lon_column=lon_column,
                      geometry=_geometry_name(frame))  # fmt: skip
        if gazetteer is None:
            from .gazetteer import Gazetteer

            gazetteer = stack.enter_context(Gazetteer.default())  # for this call only
        columns = _Columns(place_column, admin1_column, country_column,
                           gazetteer.check_country(country), lat_column, lon_column)  # fmt: skip
        found = resolve_keys(gazetteer, _distinct_keys(frame, columns), use_context=use_context)
        summary = _write(cluster, frame, found, columns, output, source=str(table))
    return replace(summary, encoding=used)


def read_partitions(
    table: str | os.PathLike[str], *, encoding: str | None = None, delimiter: str | None = None
) -> tuple[Any, str | None]:
    """The dask DataFrame of *table*, and the encoding a CSV table was read in.

    *table* is a Parquet file, a folder of them (a dataset), a CSV file, a
    folder of them, or a pattern (``parts/*.csv``); the partitions come in
    the files' order (``part.2`` before ``part.10``).  A UTF-8 CSV file is
    cut into partitions of about 64 MB; a file in another encoding is one.

    Raises
    ------
    InvalidInputError
        For no such file, or files that are not all Parquet or all CSV.
    """
    import dask.dataframe as dd

    files = _files(str(table))
    kinds = {Path(f).suffix.lower() for f in files}
    if kinds == {".parquet"}:
        import pyarrow.parquet as pq

        if b"geo" in (pq.read_schema(files[0]).metadata or {}):
            import dask_geopandas

            return dask_geopandas.read_parquet(files), None
        return dd.read_parquet(files), None
    if kinds == {".csv"}:
        from .encodings import SNIFF_BYTES, decode
        from .tables import sniff_delimiter

        with open(files[0], "rb") as file:
            head = file.read(SNIFF_BYTES)
        if len(head) == SNIFF_BYTES:
            head = head[: head.rfind(b"\n") + 1] or head  # whole lines, whole characters
        text, used = decode(head, files[0], encoding, kind="a text table")
        if delimiter is not None and len(delimiter) != 1:
            raise ParameterError(f"a delimiter is one character, instead got: {delimiter!r}",
                                 parameter="delimiter")  # fmt: skip
        utf8 = used.replace("-", "").lower() in {"utf8", "utf8sig", "ascii"}
        frame = dd.read_csv(files, sep=delimiter or sniff_delimiter(text), encoding=used,
                            dtype=str, keep_default_na=False, na_values=[""],
                            blocksize=_CSV_BLOCK if utf8 else None)  # fmt: skip
        return frame, used
    found = ", ".join(sorted(kind or "no extension" for kind in kinds))
    raise InvalidInputError(f"{table}: a partitioned table is Parquet or CSV files, all one of "
                            f"them; found {found}")  # fmt: skip


def _files(table: str) -> list[str]:
    """The files of *table*: the file, a folder's files, or a pattern's, in natural order."""
    import glob

    if any(c in table for c in "*?["):
        found = glob.glob(table)
    elif os.path.isdir(table):
        found = [entry.path for entry in os.scandir(table)
                 if entry.is_file() and not entry.name.startswith((".", "_"))]  # fmt: skip
    else:
        found = [table] if os.path.isfile(table) else []
    if not found:
        raise InvalidInputError(f"{table}: no such file, or no files there")
    return sorted(found, key=_natural)


def _natural(name: str | Path) -> list[Any]:
    """A key to sort names by: ``part.2`` before ``part.10``."""
    return [int(p) if p.isdigit() else p for p in _DIGITS.split(str(name))]


def _geometry_name(frame: Any) -> str | None:
    meta = frame._meta
    import geopandas as gpd

    return meta.geometry.name if isinstance(meta, gpd.GeoDataFrame) else None


def _distinct_keys(frame: Any, columns: _Columns) -> list[Key]:
    """The distinct keys of the table's rows, in the order they first come."""
    import pandas as pd

    wanted = [c for c in (columns.place, columns.admin1, columns.country_column) if c]
    meta = pd.DataFrame({"name": [], "region": [], "country": []}, dtype=object)
    keys = frame[wanted].map_partitions(_part_keys, columns, meta=meta).compute()
    return list(dict.fromkeys(keys.itertuples(index=False, name=None)))


def _part_keys(part: pd.DataFrame, columns: _Columns) -> pd.DataFrame:
    import pandas as pd

    keys = list(dict.fromkeys(columns.keys(part)))
    return pd.DataFrame(keys, columns=["name", "region", "country"], dtype=object)


def _joined(
    part: pd.DataFrame, found: dict[Key, Match], columns: _Columns, source: str | None = None
) -> Any:
    from .join import placed

    joined = placed(part, columns.keys(part), found, lat_column=columns.lat,
                    lon_column=columns.lon, source=source)  # fmt: skip
    joined.attrs.clear()  # the summary of one part is not the join's
    return joined


def _write(
    cluster: Cluster, frame: Any, found: dict[Key, Match], columns: _Columns, output: Path, *,
    source: str,
) -> JoinSummary:  # fmt: skip
    """Join each partition to *found*, write the parts, and sum up the join."""
    from dask.delayed import delayed

    from .files import remove_abandoned
    from .join import output_column

    answers = delayed(found, pure=True)  # sent once to each worker, not once a partition
    meta = _joined(frame._meta, {}, columns, source)  # says once which columns are renamed
    # Text: a column of a part may be all empty, and so of no type of its own.
    meta = meta.astype({c: "string" for c in meta.columns if meta[c].dtype == object})
    joined = frame.map_partitions(_joined, answers, columns, meta=meta)
    remove_abandoned(output.parent, _STAGING)  # of joins that were killed
    staging = output.with_name(f"{_STAGING}{os.getpid()}-{output.name}")
    shutil.rmtree(staging, ignore_errors=True)
    try:
        joined.to_parquet(staging)
        summary = _summary(cluster, staging, output_column(frame._meta, columns.place))
        _replace(staging, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return summary


_COUNTS = ("rows", "resolved", "given", "ambiguous", "unresolved")


def _summary(cluster: Cluster, folder: Path, place: str) -> JoinSummary:
    """The summary of the join written in *folder*, from its parts' own tallies."""
    from .join import JoinSummary

    parts = sorted(folder.glob("part.*.parquet"), key=_natural)
    tallies = list(cluster.in_order(_tally, parts, place=place))
    counts = {c: sum(t[c] for t in tallies) for c in _COUNTS}
    unplaced = dict.fromkeys(name for t in tallies for name in t["unplaced"])
    return JoinSummary(**counts, unplaced=tuple(unplaced))


def _tally(part: Path, place: str) -> list[dict[str, Any]]:
    """The counts of a part of the output, and its names not placed (a list of one)."""
    import pyarrow.parquet as pq

    from .join import row_keys, summarise

    read = pq.read_table(part, columns=["match_status", "match_method", place]).to_pandas()
    names = [name for name, _, _ in row_keys(read, place, None, None, None)]
    summary = summarise(names, read["match_status"].tolist(), read["match_method"].tolist())
    return [{**{c: getattr(summary, c) for c in _COUNTS}, "unplaced": list(summary.unplaced)}]


def _check_output(output: Path, table: str | os.PathLike[str]) -> None:
    """Refuse an *output* that is not ``.parquet``, that holds other things than a dataset,
    or that is the *table*.

    Raises
    ------
    ParameterError
        Naming ``output``.
    """
    if os.path.realpath(output) == os.path.realpath(table):
        raise ParameterError(f"{output} is the table read; give another name",
                             parameter="output")  # fmt: skip
    if output.suffix.lower() != ".parquet":
        raise ParameterError(f"{output}: a partitioned join writes a GeoParquet dataset, a "
                             "folder named NAME.parquet", parameter="output")  # fmt: skip
    if output.is_file() or (output.is_dir() and not _is_dataset(output)):
        raise ParameterError(f"{output} is there, and is not a dataset that a partitioned join "
                             "wrote; give another name", parameter="output")  # fmt: skip


def _is_dataset(folder: Path) -> bool:
    return all(_PART.fullmatch(entry.name) for entry in os.scandir(folder))


def _replace(staging: Path, output: Path) -> None:
    """Put the dataset at *staging* in place of *output*'s."""
    if output.is_dir():
        old = output.with_name(f"{_STAGING}{os.getpid()}-old-{output.name}")
        os.replace(output, old)
        os.replace(staging, output)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(staging, output)
