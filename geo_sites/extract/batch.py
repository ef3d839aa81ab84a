"""Extracting from many files: in order, on several cores, with a manifest and progress.

:func:`extract_files` reads and extracts each file on its own, so one bad
file never stops the others; its incidents come out placed
(:func:`~.extractor.extract`), and :func:`write_batch` writes them as they
are, without asking the gazetteer again; every file has a manifest entry, with the number
of incidents found in it, or ``failed`` with the error met while extracting.
With ``workers`` above one, files are shared out
to that many processes, each with its own view of the gazetteer index (the
index and its key table are memory-mapped, so they are read once by the
operating system, not once per process).  With a ``scheduler``, they are
shared out to the workers of a dask.distributed cluster instead
(:mod:`geo_sites.cluster`).  The result is in the files' order whatever the number of
workers.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import ParameterError
from .documents import MAX_BYTES, Entry, Remote, document_files, read_one

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from ..incidents import Incident, LocatedIncident

__all__ = ["Batch", "check_outputs", "extract_files", "write_batch"]


@dataclass(frozen=True, slots=True)
class Batch:
    """The placed incidents of all files, and the manifest: one entry per file."""

    located: tuple[LocatedIncident, ...]
    manifest: tuple[Entry, ...]

    @property
    def incidents(self) -> tuple[Incident, ...]:
        """The incidents, without their places."""
        return tuple(item.incident for item in self.located)


@dataclass(frozen=True, slots=True)
class _Job:
    index: str
    build: tuple[str, str]  # the client's index: build id, and fingerprint of its sources
    country: str | None
    report_date: dt.date | None
    encoding: str | None
    max_bytes: int


_GAZETTEER: Gazetteer | None = None  # one per worker process


def extract_files(
    *paths: str | os.PathLike[str],
    gazetteer: Gazetteer,
    country: str | None = None,
    report_date: dt.date | None = None,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
    workers: int = 1,
    progress: bool = False,
    scheduler: str | None = None,
) -> Batch:
    """Extract and place the incidents of every report file under *paths*.

    *scheduler* is the address of a dask.distributed scheduler
    (``tcp://host:8786``), or ``local`` for a cluster of *workers* processes
    on this machine; its workers read the files, at the same paths or URLs
    (``s3://bucket/reports/``, through fsspec), and the gazetteer index at
    the same path (:mod:`geo_sites.cluster`).

    Raises
    ------
    ParameterError
        For an *encoding* that Python does not know, a *scheduler* that
        cannot be reached or dask that is not installed, or a URL that fsspec
        cannot read.
    UnknownCountryError
        If no place of the gazetteer has the code *country*.
    """
    country = gazetteer.check_country(country)
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ParameterError(f"unknown encoding {encoding!r}", parameter="encoding") from None
    files = list(document_files(*paths))
    job = _Job(str(gazetteer.path), gazetteer.build, country, report_date, encoding, max_bytes)
    results: Iterator[tuple[Entry, list[LocatedIncident]]]
    if scheduler is not None:
        from ..cluster import on_cluster

        with on_cluster(scheduler, workers) as cluster:
            size = slice_size(len(files), cluster.threads)
            slices = (files[i : i + size] for i in range(0, len(files), size))
            results = cluster.in_order(_extract_slice, slices, job=job)
            return _collected(results, len(files), progress)
    if workers > 1 and len(files) > 1:
        from concurrent.futures import ProcessPoolExecutor

        pool = ProcessPoolExecutor(workers, initializer=_open, initargs=(job,))
        chunk = slice_size(len(files), workers)
        results = pool.map(_extract_one, files, [job] * len(files), chunksize=chunk)
        try:
            return _collected(results, len(files), progress)
        finally:
            pool.shutdown(cancel_futures=True)
    results = (_extract_one(f, job, gazetteer) for f in files)
    return _collected(results, len(files), progress)


def slice_size(files: int, workers: int) -> int:
    """How many files a worker is given at a time: eight slices a worker, at most 64 files."""
    return max(1, min(64, files // (workers * 8)))


def _collected(
    results: Iterator[tuple[Entry, list[LocatedIncident]]], total: int, progress: bool
) -> Batch:
    """The batch of the files' *results*, in their order."""
    located: list[LocatedIncident] = []
    manifest: list[Entry] = []
    for entry, found in _shown(results, total, progress):
        manifest.append(entry)
        located += found
    return Batch(tuple(located), tuple(manifest))


def _open(job: _Job) -> None:
    global _GAZETTEER
    from ..gazetteer import Gazetteer

    _GAZETTEER = Gazetteer.like(job.index, job.build)


def _extract_slice(
    files: list[Path | Remote | Entry], job: _Job
) -> list[tuple[Entry, list[LocatedIncident]]]:
    return [_extract_one(path, job) for path in files]


def _extract_one(
    path: Path | Remote | Entry, job: _Job, gazetteer: Gazetteer | None = None
) -> tuple[Entry, list[LocatedIncident]]:
    """A file's entry and incidents; whatever goes wrong with one file stays in its entry."""
    from .extractor import extract

    if isinstance(path, Entry):
        return path, []  # not read: a hidden file, a folder that cannot be listed
    entry, document = read_one(path, report_date=job.report_date, encoding=job.encoding,
                               max_bytes=job.max_bytes)  # fmt: skip
    if document is None:
        return entry, []
    if gazetteer is None and _GAZETTEER is None:  # a dask worker: the index, once a process
        _open(job)
    try:
        found = extract(document, gazetteer or _GAZETTEER, country=job.country)  # type: ignore[arg-type]
    except Exception as err:  # one file's failure must not stop the others
        reason = f"extraction failed ({type(err).__name__}: {err})"
        return replace(entry, status="failed", reason=reason), []
    return replace(entry, incidents=len(found)), found


def _shown(
    results: Iterator[tuple[Entry, list[LocatedIncident]]], total: int, progress: bool
) -> Iterator[tuple[Entry, list[LocatedIncident]]]:
    """*results*, with a progress bar on stderr once a run lasts two seconds."""
    if not progress:
        yield from results
        return
    from tqdm import tqdm

    yield from tqdm(results, total=total, unit="file", delay=2, leave=False)


def write_batch(
    batch: Batch,
    path: str | os.PathLike[str],
    *,
    manifest: str | os.PathLike[str] | None = None,
) -> tuple[Path, Path]:
    """Write the incidents and the manifest; return both paths.

    ``.json``/``.ndjson`` write records; ``.csv`` and ``.xlsx`` a review
    sheet, a row each, for a person to check (:func:`~geo_sites.incidents.write_review`);
    ``.geojson``, ``.gpkg``, ``.kml`` and the other layer formats the
    incidents as the extractor placed them, a row each.
    The manifest (CSV, by default ``NAME.manifest.csv`` beside the output)
    lists every file with its status, reason and number of incidents.  Both
    are written, or neither: each goes to a temporary file first, and both
    replace their targets once both are complete.

    Raises
    ------
    ParameterError
        When *manifest* is *path* (by any name), or either is a folder.
    OutputError
        When either cannot be written; then neither is.
    """
    from ..cells import write_csv
    from ..export import write
    from ..files import replacing
    from ..formats import for_output
    from ..incidents import incidents_frame, write_records, write_review

    path = Path(path)
    manifest = Path(manifest) if manifest else path.with_name(f"{path.stem}.manifest.csv")
    check_outputs(path, manifest)
    header = list(Entry("", "").to_record())
    # Records or a review sheet (read back by ``geo-sites sites``), else a layer.
    holds = for_output(path, ("records", "review", "layer")).holds
    with replacing(path) as records, replacing(manifest) as listed:
        if "records" in holds:
            write_records(batch.incidents, records)
        elif "review" in holds:
            write_review(batch.located, records)
        else:
            write(incidents_frame(batch.located), records)
        with listed.open("w", encoding="utf-8", newline="") as file:
            rows = ([entry.to_record()[k] for k in header] for entry in batch.manifest)
            write_csv(file, header, rows)
    return path, manifest


def check_outputs(
    path: str | os.PathLike[str], manifest: str | os.PathLike[str] | None = None
) -> None:
    """Refuse outputs that would overwrite each other, or a folder, before any work is done.

    Raises
    ------
    ParameterError
        When *manifest* is *path* (by any name: a link, a relative path), or either is a
        folder.
    """
    path = Path(path)
    manifest = Path(manifest) if manifest else path.with_name(f"{path.stem}.manifest.csv")
    for name, given in (("path", path), ("manifest", manifest)):
        if given.is_dir():
            raise ParameterError(f"{given} is a folder; give a file", parameter=name)
    if _same_file(path, manifest):
        raise ParameterError(
            f"{manifest} is the output {path} itself; give another file", parameter="manifest"
        )


def _same_file(one: Path, other: Path) -> bool:
    if os.path.realpath(one) == os.path.realpath(other):
        return True
    try:
        return os.path.samefile(one, other)  # a hard link
    except OSError:
        return False  # one does not exist yet
