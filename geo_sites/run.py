"""The main job, in one step: reports or records → sites → map, image, layers and a report.

:func:`run` chains the stages in memory, with one gazetteer::

    reports ─extract (each place decided once)──▶ located ─┐
    records ─read_incidents─▶ locate ───────────▶ located ─┤
    review sheets ─read_review (rows kept) ─────▶ located ─┴▶ merge ─▶ sites_frame ─┐
    layers ─────────────────────────────────────────────────────────────────────────┴▶ outputs

It takes report files (``.txt``, ``.md``, ``.html``, or folders of them,
which it extracts as ``geo-sites extract`` does), records files (``.json``,
``.ndjson``), review sheets (the ``.csv`` or ``.xlsx`` of ``geo-sites
extract`` after a person's review: the rows kept, as corrected) and site
layers (any layer format of :mod:`geo_sites.formats`), places and merges the
incidents into sites, then writes into one folder, named after the input
(``seeds/`` gives ``seeds.*``):

* ``NAME.html``: the map, self-contained (works offline);
* ``NAME.png``: the same map for slides;
* ``NAME.geojson`` and ``NAME.gpkg``: the sites as GIS layers, styled for QGIS;
* ``NAME-report.md``: what was and was not placed, and why, and the rows
  rejected in review, by their numbers;
* from reports also ``NAME-incidents.ndjson``, the extracted records (written
  for the record, never read back), and ``NAME-incidents.manifest.csv``, a
  status for every file read.
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .exceptions import InvalidInputError, OutputError, ParameterError
from .files import remove_abandoned
from .incidents.columns import (
    ADMIN1,
    EVENT_TYPE,
    NAME,
    PLACE_AS_WRITTEN,
    PLACE_NAME,
    PRECISION,
    REASON,
    SCORE,
    STATUS,
)
from .maps import MapOptions

if TYPE_CHECKING:
    from .gazetteer import Gazetteer
    from .incidents import LocatedIncident, Review

__all__ = ["RunResult", "run"]


@dataclass(frozen=True, slots=True)
class RunResult:
    """The files written, the report's text, and the numbers of sites, sites placed, rows
    rejected in review and incidents extracted that wait for review."""

    files: tuple[Path, ...]
    report: str
    sites: int
    placed: int
    rejected: int = 0
    set_aside: int = 0  # incidents extracted that the draft starts as not kept


def run(
    *inputs: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    name: str | None = None,
    options: MapOptions | None = None,
    country: str | None = None,
    gazetteer: Gazetteer | None = None,
    areas: bool = False,
    scheduler: str | None = None,
    workers: int = 1,
) -> RunResult:
    """Turn the reports, records and layers of *inputs* into maps, layers and a report in *folder*.

    Every file is written first into a hidden folder inside *folder*, and
    moved into place only when all are written: a run that fails (or is
    killed) leaves the files of the previous run as they were.  The
    timeline of *options* is for the HTML map; the inset and a screenshot
    (``from_html``) are for the image.

    Reports and records are placed with *gazetteer*; when it is None and
    some input needs places, the default gazetteer is opened for this run
    and closed after it.  Layers need none.

    Parameters
    ----------
    *inputs : path-like
        Report files (``.txt``, ``.md``, ``.html``), records (``.json``,
        ``.ndjson``), review sheets (``.csv``, ``.xlsx``) or layers, or
        folders of reports or records.
    folder : path-like
        Where to write; made if missing.
    name : str, optional
        The files' name; by default the first input's.
    options : MapOptions, optional
        How to draw the maps.
    country : str, optional
        Only places in this country (ISO 3166-1 alpha-2).
    gazetteer : Gazetteer, optional
        Places reports and records; None opens the default gazetteer for
        this run, when an input needs places, and closes it after.
    areas : bool
        Also write the areas the map draws (:func:`geo_sites.maps.areas.areas`)
        as polygons: ``NAME-areas.geojson`` and ``NAME-areas.gpkg``.
    scheduler, workers : optional
        Where report text is read: the address of a dask.distributed scheduler,
        or ``local`` for a cluster of *workers* processes here; without
        *scheduler*, *workers* local processes
        (:func:`geo_sites.extract.extract_files`).  Sites are merged here.

    Returns
    -------
    RunResult
        The files written, the report's text, and the numbers of sites, of
        sites placed and of rows rejected in review.

    Raises
    ------
    InvalidInputError
        For bad records or review sheets, or when no site can be placed.
    OutputError
        When *folder* cannot be made or written.

    Examples
    --------
    >>> _ = Path("grave.txt").write_text("A mass grave was found in Izium.", "utf-8")
    >>> result = geo_sites.run("grave.txt", folder="out")
    >>> [p.name for p in result.files][-3:], result.placed
    (['grave.geojson', 'grave.gpkg', 'grave-report.md'], 1)
    """
    import shutil
    import tempfile

    if name is not None and (not name.strip() or any(c in name for c in "/\\\0")):
        raise ParameterError(f"a name for the files, not a path: {name!r}", parameter="name")
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{folder}: cannot make this folder ({err.strerror})") from None
    kinds = [(path, _kind(path)) for path in inputs]
    if gazetteer is None and any(kind != "layer" for _, kind in kinds):
        from .gazetteer import Gazetteer

        with Gazetteer.default() as default:  # for this run only
            return run(*inputs, folder=folder, name=name, options=options, country=country,
                       gazetteer=default, areas=areas, scheduler=scheduler,
                       workers=workers)  # fmt: skip
    name = name or Path(os.path.abspath(inputs[0])).stem
    remove_abandoned(folder, _STAGING)
    try:
        staging = Path(tempfile.mkdtemp(prefix=f"{_STAGING}{os.getpid()}-", dir=folder))
    except OSError as err:
        raise OutputError(f"{folder}: cannot write here ({err.strerror})") from None
    try:
        result = _run(kinds, staging, name, options or MapOptions(), country, gazetteer, areas,
                      (scheduler, workers))  # fmt: skip
        for path in result.files:
            os.replace(path, folder / path.name)
    except OSError as err:
        if isinstance(err, OutputError):
            raise
        raise OutputError(f"{folder}: cannot write the outputs ({err.strerror or err})") from err
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return replace(result, files=tuple(folder / p.name for p in result.files))


#: The hidden folders that runs write into, by the id of their process.
_STAGING = ".geo-sites-run-"


def _run(
    kinds: list[tuple[str | os.PathLike[str], str]],
    folder: Path,
    name: str,
    options: MapOptions,
    country: str | None,
    gazetteer: Gazetteer | None,
    areas: bool,
    cluster: tuple[str | None, int],
) -> RunResult:
    """The run, its files all written into *folder*; reports are read on *cluster*: a
    scheduler, and a number of workers."""
    from .export import write
    from .incidents import (
        kept_at_first,
        locate,
        merge,
        read_incidents,
        read_review,
        sites_frame,
        write_review,
    )
    from .layers import concat, sites_layer
    from .maps import render

    reports, records, sheets, layers = ([p for p, k in kinds if k == kind] for kind in _KINDS)
    located: list[LocatedIncident] = []
    if records:
        assert gazetteer is not None  # run() opens one for these inputs
        located += locate(read_incidents(*records), gazetteer, country=country)
    reviews: list[Review] = []
    for sheet in sheets:
        assert gazetteer is not None
        reviews.append(read_review(sheet, gazetteer, country=country))
        located += reviews[-1].located
    extracted: tuple[Path, ...] = ()
    aside: list[LocatedIncident] = []
    if reports:
        from .extract import extract_files, write_batch

        assert gazetteer is not None
        scheduler, workers = cluster
        batch = extract_files(*reports, gazetteer=gazetteer, country=country,
                              scheduler=scheduler, workers=workers)  # fmt: skip
        # The records extracted are written for the user, never read back; so is the draft
        # to review.  The map shows what the draft starts as kept, placed by the extractor.
        extracted = write_batch(batch, folder / f"{name}-incidents.ndjson")
        draft = folder / f"{name}-draft.xlsx"
        write_review(batch.located, draft)
        extracted += (draft,)
        for item in batch.located:
            (located if kept_at_first(item.incident) else aside).append(item)
    sites = [sites_frame(merge(located))] if records or reports or sheets else []
    frame = concat([*sites, *([sites_layer(*layers, gazetteer=None)] if layers else [])])
    files = [folder / f"{name}.{ext}" for ext in ("html", "png", "geojson", "gpkg")]
    # The options of one kind of map are not the other's: the image has no timeline, the
    # page no inset, and a screenshot is the image's.
    layout = render(frame, files[0], options=replace(options, inset=False, from_html=False)).layout
    render(frame, files[1], options=replace(options, timeline=False))
    write(frame, files[2])
    write(frame, files[3])
    if areas:  # as the map draws them, on its boundaries
        from .maps.areas import areas as areas_of

        shapes = areas_of(frame, boundaries=layout.boundaries)
        files += [folder / f"{name}-areas.{ext}" for ext in ("geojson", "gpkg")]
        write(shapes, files[-2])
        write(shapes, files[-1])
    text = _report(frame, name, [f.name for f in files], reviews, aside)
    report = folder / f"{name}-report.md"
    report.write_text(text, "utf-8")
    placed = len(layout.drawn)
    rejected = sum(len(r.rejected) for r in reviews)
    return RunResult((*extracted, *files, report), text, len(frame), placed, rejected,
                     len(aside))  # fmt: skip


#: What an input is: report text to extract, incident records, a review sheet, or a layer.
_KINDS = ("report", "records", "review", "layer")


def _kind(path: str | os.PathLike[str]) -> str:
    """Whether *path* is a report (or a folder of them), records, a review sheet, or a layer."""
    from .formats import detect, extensions
    from .layers import input_kind

    found = Path(path)
    if found.is_dir():
        if not any(p.suffix.lower() in extensions("records") for p in found.iterdir()):
            return "report"
    else:
        try:
            detect(found, ("document",))
            return "report"
        except InvalidInputError:
            pass  # records, a review sheet or a layer: their content tells which
    return input_kind(path)


def _report(
    frame: object,
    name: str,
    files: list[str],
    reviews: list[Review],
    aside: list[LocatedIncident],
) -> str:
    """A short Markdown report: counts by status, every site, what was not placed, the rows
    rejected in review, and the incidents extracted that wait for one.

    Every text from the data is escaped (:func:`_cell`): it shows as written
    and never becomes a link, an image, a heading, a code span or HTML.
    """
    import pandas as pd

    from .incidents.review import MIN_CONFIDENCE

    assert isinstance(frame, pd.DataFrame)
    status = (frame[STATUS] if STATUS in frame.columns
              else pd.Series([None] * len(frame))).fillna("given").astype(str)  # fmt: skip
    counts = status.value_counts()
    lines = [f"# {_cell(name)}: what was placed", "",
             f"{len(frame):,} sites: " + ", ".join(f"{n:,} {_cell(s)}" for s, n in counts.items())
             + ".", "", "Files: " + ", ".join(_cell(f) for f in files) + ".", "",
             "| site | event | place as written | placed at | precision | status | score |",
             "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for row in frame.to_dict("records"):
        where = (_cell(p) for p in (row.get(PLACE_NAME), row.get(ADMIN1)) if _cell(p))
        cells = [_cell(row.get(NAME)), _cell(row.get(EVENT_TYPE)),
                 _cell(row.get(PLACE_AS_WRITTEN)), ", ".join(dict.fromkeys(where)),
                 _cell(row.get(PRECISION)), _cell(row.get(STATUS)),
                 _cell(row.get(SCORE))]  # fmt: skip
        lines.append("| " + " | ".join(cells) + " |")
    missing = frame[~status.isin(["resolved", "given"])] if STATUS in frame.columns else frame[:0]
    lines += ["", "## Not placed", ""]
    if len(missing):
        for row in missing.to_dict("records"):
            lines.append(f"- {_cell(row.get(NAME))} ({_cell(row.get(PLACE_AS_WRITTEN))}): "
                         f"{_cell(row.get(STATUS))}, {_cell(row.get(REASON))}")  # fmt: skip
    else:
        lines.append("Every site was placed.")
    if reviews:
        lines += ["", "## Rejected in review", ""]
        lines += [_cell(review.summary(review.path.name)) + "." for review in reviews]
        rejected = [(review, row) for review in reviews for row in review.rejected]
        lines += [""] if rejected else []
        lines += [f"- {_cell(f'{review.path.name}, {row.describe()}')}"
                  for review, row in rejected]  # fmt: skip
    if aside:
        lines += ["", "## Set aside for review", "",
                  f"{len(aside):,} incidents extracted are not on the map: recalled "
                  f"(background), or less sure than {MIN_CONFIDENCE}. Review "
                  f"{_cell(name)}-draft.xlsx (set keep to yes) and run it again.", ""]  # fmt: skip
        for item in aside:
            incident = item.incident
            quote = " ".join((incident.sources[0].quote or "").split())
            lines.append(f"- {_cell(incident.site)}, {_cell(incident.event_type)}, "
                         f"{_cell(incident.role)}, {incident.confidence}: "
                         f"“{_cell(quote[:100])}”")  # fmt: skip
    return "\n".join(lines) + "\n"


#: Markdown's punctuation that can start a link, an image, emphasis, a code span, a
#: heading or a table cell; `_` only at the edge of a word (snake_case stays readable).
_MARKDOWN = re.compile(r"[\\`*\[\]()#|!~{}]|(?<![0-9A-Za-z])_|_(?![0-9A-Za-z])")
_HTML = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _cell(value: object) -> str:
    """*value* as Markdown text on one line, shown as written in any renderer."""
    from .cells import text_of

    if isinstance(value, float) and not math.isnan(value):
        return f"{value:.2f}"
    text = " ".join((text_of(value) or "").split())  # every line break and tab: one space
    text = "".join(_HTML.get(c, c) for c in text)
    text = _MARKDOWN.sub(lambda m: "\\" + m.group(0), text)
    # A cell or list item that starts like a list or a rule stays text.
    return re.sub(r"^([-+=]|\d+[.)])", r"\\\1", text)
