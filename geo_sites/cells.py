"""Cells every output can hold: text that encodes as UTF-8, CSV that no spreadsheet runs.

Every writer of geo-sites passes its text through here: the CSV exports,
the CLI's CSV answers and the extract manifest through :func:`write_csv`,
the GDAL writers (GeoJSON, GeoPackage, KML) through :func:`encodable`.

* A lone surrogate (``"\\ud800"``, which JSON text may hold but UTF-8
  cannot) becomes U+FFFD, the replacement character.
* A CSV cell, or a column name, that a spreadsheet would run as a formula
  gets a leading apostrophe (:func:`neutralise`).
* CSV lines end in CRLF (RFC 4180), so a cell that holds a carriage return
  or a line feed is quoted and stays one cell.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

__all__ = ["encodable", "neutralise", "write_csv"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> str:
    """Return *text* with each lone surrogate replaced by U+FFFD, so that UTF-8 can hold it.

    >>> encodable("Izium\\ud800")
    'Izium\\ufffd'
    """
    return _LONE_SURROGATE.sub("\ufffd", text)


def neutralise(value: Any) -> Any:
    """Make a text cell safe to open in a spreadsheet: no formula can start it.

    A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
    return gets a leading apostrophe (OWASP's advice on CSV injection);
    numbers and other cells are returned unchanged.

    >>> neutralise('=HYPERLINK("http://x")')
    '\\'=HYPERLINK("http://x")'
    >>> neutralise(-3)
    -3
    """
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_csv(file: TextIO, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    """Write *header* and *rows* to *file* as RFC 4180 CSV, every text cell made safe.

    ``None`` and NaN are written as empty cells.  Open *file* with
    ``newline=""``.
    """
    writer = csv.writer(file, lineterminator="\r\n")
    writer.writerow([_cell(name) for name in header])
    writer.writerows([_cell(value) for value in row] for row in rows)


def _cell(value: Any) -> Any:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, str):
        return neutralise(encodable(value))
    return value
