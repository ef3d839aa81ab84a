"""The verbs of ``geo_sites`` that read reports and place incidents: extract and locate.

Each calls one library function and adds nothing to its logic but the
gazetteer: it takes one as ``gazetteer=``, and ``None`` opens the default
gazetteer for that one call and closes it after, so a script of several steps
opens it once and passes it on::

    with geo_sites.Gazetteer.default() as gazetteer:
        incidents = geo_sites.extract("reports/", gazetteer=gazetteer)
        located = geo_sites.locate(incidents, gazetteer=gazetteer)

The other verbs are the library's functions themselves (``read``, ``join``,
``merge``, ``sites_frame``, ``render``, ``write``, ``run``).  The examples
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

    from .gazetteer import Gazetteer
    from .incidents import Incident, LocatedIncident

__all__ = ["extract", "locate"]

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
    ('resolved', 'Izium')
    """
    from .incidents import locate as locate_incidents

    with _opened(gazetteer) as opened:
        return locate_incidents(incidents, opened, country=country)
