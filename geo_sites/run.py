"""The main job, in one step: reports or records → sites → map, image, layers and a report.

:func:`run` takes report files (``.txt``, ``.md``, ``.html``, or folders of
them, which it extracts first, as ``geo-sites extract``) and records files
(``.json``, ``.ndjson``), places and merges their incidents into sites, then
writes into one folder, named after the input (``seeds/`` gives ``seeds.*``):

* ``NAME.html``: the map, self-contained (works offline);
* ``NAME.png``: the same map for slides;
* ``NAME.geojson`` and ``NAME.gpkg``: the sites as GIS layers, styled for QGIS;
* ``NAME-report.md``: what was and was not placed, and why;
* from reports also ``NAME-incidents.ndjson``, the extracted records, and
  ``NAME-incidents.manifest.csv``, a status for every file read.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path

from .exceptions import OutputError
from .maps import MapOptions

__all__ = ["RunResult", "run"]


@dataclass(frozen=True, slots=True)
class RunResult:
    """The files written and the report's text."""

    files: tuple[Path, ...]
    report: str
    sites: int
    placed: int


def run(
    *inputs: str | os.PathLike[str],
    folder: str | os.PathLike[str],
    name: str | None = None,
    options: MapOptions | None = None,
    country: str | None = None,
) -> RunResult:
    """Turn the records of *inputs* into maps, layers and a report in *folder*.

    Raises
    ------
    InvalidInputError
        For bad records, or when no site can be placed.
    OutputError
        When *folder* cannot be made or written.
    """
    from .export import replacing, write
    from .layers import read_layer
    from .maps import render

    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise OutputError(f"{folder}: cannot make this folder ({err.strerror})") from None
    name = name or Path(os.path.abspath(inputs[0])).stem
    extracted: tuple[Path, ...] = ()
    records = [p for p in inputs if _is_records(p)]
    reports = [p for p in inputs if not _is_records(p)]
    if reports:
        from .extract import extract_files, write_batch
        from .gazetteer import Gazetteer

        with Gazetteer.default() as gazetteer:
            batch = extract_files(*reports, gazetteer=gazetteer, country=country)
            extracted = write_batch(batch, folder / f"{name}-incidents.ndjson",
                                    gazetteer=gazetteer)  # fmt: skip
        records.append(extracted[0])
    frame = read_layer(*records, country=country)
    options = options or MapOptions()
    files = [folder / f"{name}.{ext}" for ext in ("html", "png", "geojson", "gpkg")]
    layout = render(frame, files[0], options)
    render(frame, files[1], options)
    write(frame, files[2])
    write(frame, files[3])
    text = _report(frame, name, [f.name for f in files])
    report = folder / f"{name}-report.md"
    with replacing(report) as temporary:
        temporary.write_text(text, "utf-8")
    placed = len(layout.drawn)
    return RunResult((*extracted, *files, report), text, len(frame), placed)


def _is_records(path: str | os.PathLike[str]) -> bool:
    """Records: a .json/.ndjson file or a layer, or a folder that holds records files."""
    from .extract import DOCUMENT_TYPES
    from .incidents import is_records

    path = Path(path)
    if path.is_dir():
        return any(p.suffix.lower() in (".json", ".ndjson", ".jsonl") for p in path.iterdir())
    return is_records(path) or path.suffix.lower() not in DOCUMENT_TYPES


def _report(frame: object, name: str, files: list[str]) -> str:
    """A short Markdown report: counts by status, every site, and what was not placed."""
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    status = (frame["status"] if "status" in frame.columns
              else pd.Series([None] * len(frame))).fillna("given").astype(str)  # fmt: skip
    counts = status.value_counts()
    lines = [f"# {name}: what was placed", "",
             f"{len(frame):,} sites: " + ", ".join(f"{n:,} {s}" for s, n in counts.items()) + ".",
             "", "Files: " + ", ".join(f"`{f}`" for f in files) + ".", "",
             "| site | event | place as written | placed at | precision | status | score |",
             "| --- | --- | --- | --- | --- | --- | --- |"]  # fmt: skip
    for row in frame.to_dict("records"):
        where = (_cell(p) for p in (row.get("place_name"), row.get("admin1")) if _cell(p))
        cells = [row.get("name"), row.get("event_type"), row.get("place_as_written"),
                 ", ".join(dict.fromkeys(where)), row.get("precision"), row.get("status"),
                 row.get("score")]  # fmt: skip
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    missing = frame[~status.isin(["resolved", "given"])] if "status" in frame.columns else frame[:0]
    lines += ["", "## Not placed", ""]
    if len(missing):
        for row in missing.to_dict("records"):
            lines.append(f"- {_cell(row.get('name'))} ({_cell(row.get('place_as_written'))}): "
                         f"{_cell(row.get('status'))}, {_cell(row.get('reason'))}")  # fmt: skip
    else:
        lines.append("Every site was placed.")
    return "\n".join(lines) + "\n"


def _cell(value: object) -> str:
    from .maps.popup import text_of

    if isinstance(value, float) and not math.isnan(value):
        return f"{value:.2f}"
    text = text_of(value)
    return (text or "").replace("|", "\\|").replace("\n", " ")
