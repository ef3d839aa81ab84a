"""Cells every output can hold: text that encodes as UTF-8, CSV that no spreadsheet runs.

Every writer of geo-sites passes its text through here: the CSV exports,
the CLI's CSV answers and the extract manifest through :func:`write_csv`,
the GDAL writers (GeoJSON, GeoPackage, KML) through :func:`encodable`.

The rule of what is missing is here too, once: :func:`is_missing` (None,
NaN, pandas' NA and NaT), and :func:`text_of`, a cell as a reader sees it
(the popups, the map's labels, the run report).

* A lone surrogate (``"\\ud800"``, which JSON text may hold but UTF-8
  cannot) becomes U+FFFD, the replacement character.
* A CSV cell, or a column name, that a spreadsheet would run as a formula
  gets a leading apostrophe (:func:`neutralise`); a sheet read back loses it
  (:func:`restore`).
* CSV lines end in CRLF (RFC 4180), so a cell that holds a carriage return
  or a line feed is quoted and stays one cell.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

__all__ = ["encodable", "is_missing", "neutralise", "restore", "text_of", "write_csv"]

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


def restore(value: Any) -> Any:
    """Return the cell :func:`neutralise` was given: text read back without its apostrophe.

    >>> restore("'=HYPERLINK(1)"), restore("'tis"), restore(3)
    ('=HYPERLINK(1)', "'tis", 3)
    """
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(_FORMULA_STARTS):
        return value[1:]
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
    if isinstance(value, str):
        return neutralise(encodable(value))
    return "" if is_missing(value) else value


def is_missing(value: Any) -> bool:
    """Tell whether *value* stands for no value: None, NaN, pandas' NA or NaT.

    Text, numbers and containers (a list in a GeoJSON property) are values.

    >>> [is_missing(v) for v in (None, float("nan"), "", 0, [None])]
    [True, True, False, False, False]
    """
    if value is None:
        return True
    if isinstance(value, str | int):
        return False
    if isinstance(value, float):
        return value != value
    import pandas as pd

    return bool(pd.api.types.is_scalar(value) and pd.isna(value))


def text_of(value: Any) -> str | None:
    """Return *value* as text for a reader, or None when it is missing or blank.

    Dates are ISO 8601 (a timestamp at midnight is its day), a whole float
    loses its ``.0`` and text is stripped.

    >>> [text_of(v) for v in (" Izium ", 12.0, float("nan"), "  ")]
    ['Izium', '12', None, None]
    """
    if isinstance(value, str):
        return value.strip() or None
    if is_missing(value):
        return None
    import pandas as pd

    if isinstance(value, pd.Timestamp):
        return str(value.date().isoformat() if value == value.normalize() else value.isoformat())
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None
