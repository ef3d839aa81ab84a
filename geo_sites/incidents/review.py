"""The review sheet: extracted incidents as a draft a person checks, and read back.

A draft from text is wrong often enough that a person reviews it before
anything reaches a map.  :func:`write_review` writes located incidents as a
sheet (CSV or XLSX), a row each, in the columns of :data:`REVIEW_COLUMNS`,
with ``keep`` filled in: ``no`` for background incidents and for those the
extractor is less sure of than :data:`MIN_CONFIDENCE`, ``yes`` for the rest.
:func:`read_review` reads it back: the rows kept, with the analyst's
corrections, become located incidents again, and the rows rejected are
listed by their row numbers, so every row is accounted for.

What is read back (:data:`EDITABLE`): ``keep``, ``event_type``, ``counts``
(:func:`counts_text`, :func:`parse_counts`), ``event_date``,
``report_date``, ``role``, ``precision`` and the place: another GeoNames id
picks that place; else another place name is resolved again; else
coordinates typed by hand place the row there as given, at the precision of
the sheet; else the extractor's answer stands, as it was decided.  The other
columns are for reading.  The last holds the record as extracted and the
extractor's answer for its place, as JSON: the provenance that survives the
round trip; a record edited there is refused (its id no longer matches).

Every kept record's sources say where it was reviewed
(:attr:`~.schema.Source.reviewed`): ``kept in review (draft.xlsx, row 7)``,
and after a ``;`` what was corrected.  A cell that cannot be read is one line
naming the file, the row and the column.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..cells import restore
from ..exceptions import InvalidInputError
from ..models import Candidate, Match, Place, check_point
from .columns import (
    CONFIDENCE,
    COUNTS,
    DOCUMENT,
    EVENT_DATE,
    EVENT_TYPE,
    GEONAMEID,
    LAT,
    LON,
    PLACE_AS_WRITTEN,
    PLACE_NAME,
    PRECISION,
    QUOTE,
    REASON,
    REPORT_DATE,
    ROLE,
    STATUS,
)
from .locate import LocatedIncident, locate
from .schema import EVENT_TYPES, PRECISIONS, ROLES, Count, EventDate, Incident

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer

__all__ = [
    "EDITABLE",
    "MIN_CONFIDENCE",
    "REVIEW_COLUMNS",
    "Rejected",
    "Review",
    "counts_text",
    "is_review",
    "kept_at_first",
    "parse_counts",
    "read_review",
    "write_review",
]

#: A draft row whose extractor's confidence is below this starts as ``keep`` = no.
MIN_CONFIDENCE = 0.5

KEEP = "keep"
ALTERNATIVES = "alternatives"
RECORD = "original record (do not edit)"

#: The columns of a review sheet, in order.
REVIEW_COLUMNS = (KEEP, EVENT_TYPE, PLACE_AS_WRITTEN, PLACE_NAME, GEONAMEID, ALTERNATIVES, STATUS,
                  REASON, LAT, LON, PRECISION, COUNTS, EVENT_DATE, REPORT_DATE, CONFIDENCE, ROLE,
                  QUOTE, DOCUMENT, RECORD)  # fmt: skip
#: The columns read back; the others are there to be read by the reviewer.
EDITABLE = (KEEP, EVENT_TYPE, PLACE_NAME, GEONAMEID, LAT, LON, PRECISION, COUNTS, EVENT_DATE,
            REPORT_DATE, ROLE)  # fmt: skip

_YES = frozenset(("yes", "y", "true", "1", "x"))
_NO = frozenset(("no", "n", "false", "0"))


# -- counts as text ----------------------------------------------------------------------------


def counts_text(counts: Sequence[Count]) -> str:
    """Write counts as a reviewer reads and edits them: ``killed: 7; bodies: 440, low 440``.

    Each count is its kind, a colon, then its figures after commas: the best
    estimate bare, the bounds as ``low N`` and ``high N``, the parts as
    ``women 226``.  :func:`parse_counts` reads it back.

    >>> counts_text([Count("bodies", 534, parts=(("women", 226),)),
    ...              Count("killed", low=20, high=30)])
    'bodies: 534, women 226; killed: low 20, high 30'
    """
    texts = []
    for count in counts:
        bounds = (("low", count.low), ("high", count.high))
        items = [] if count.best is None else [str(count.best)]
        items += [f"{name} {n}" for name, n in bounds if n is not None]
        items += [f"{part} {n}" for part, n in count.parts]
        texts.append(f"{count.kind}: {', '.join(items)}")
    return "; ".join(texts)


_ITEM = re.compile(r"(?:(?P<name>\D*?)\s+)?(?P<figure>\d{1,16})(?:\s*[-–—]\s*(?P<to>\d{1,16}))?")


def parse_counts(text: str) -> tuple[Count, ...]:
    """Read counts written as :func:`counts_text` writes them; ``N-M`` is a low and a high.

    >>> [(c.kind, c.best, c.low, c.high) for c in parse_counts("killed: 20-30; bodies: 440")]
    [('killed', None, 20, 30), ('bodies', 440, None, None)]

    Raises
    ------
    InvalidInputError
        For text that is not counts, a figure given twice, or bounds out of order.
    """
    counts = []
    for piece in text.split(";"):
        if not piece.strip():
            continue
        kind, colon, figures = piece.partition(":")
        kind = " ".join(kind.split())
        if not colon or not kind:
            raise InvalidInputError(
                f"Expected counts such as 'killed: 7; bodies: 440, low 440', instead got: "
                f"{_shown(piece.strip())}"
            )
        values: dict[str, int] = {}
        parts: dict[str, int] = {}
        for item in figures.split(","):
            if not item.strip():
                continue
            found = _ITEM.fullmatch(item.strip())
            name = " ".join((found.group("name") or "").split()) if found else ""
            if found is None or (found.group("to") and name):
                raise InvalidInputError(
                    f"{kind}: Expected a figure, 'low N', 'high N', 'N-M' or a part such as "
                    f"'women 226', instead got: {_shown(item.strip())} (whole numbers, without "
                    "separators)"
                )
            figure = int(found.group("figure"))
            if found.group("to"):
                given = {"low": figure, "high": int(found.group("to"))}
            elif name in ("", "low", "high"):
                given = {name or "best": figure}
            else:
                if name in parts:
                    raise InvalidInputError(f"{kind}: the part {name!r} is given twice")
                parts[name] = figure
                continue
            for which, value in given.items():
                if which in values:
                    raise InvalidInputError(f"{kind}: the {which} figure is given twice")
                values[which] = value
        counts.append(Count(kind, values.get("best"), values.get("low"), values.get("high"),
                            tuple(parts.items())))  # fmt: skip
    return tuple(counts)


def _shown(text: str) -> str:
    return repr(text if len(text) <= 60 else f"{text[:59]}…")


# -- writing -----------------------------------------------------------------------------------


def write_review(located: Sequence[LocatedIncident], path: str | os.PathLike[str]) -> Path:
    """Write located incidents as a review sheet: ``.csv``, or ``.xlsx`` made for reviewing.

    One row per incident, in order, in the columns of :data:`REVIEW_COLUMNS`.
    CSV is written as every CSV of geo-sites is (RFC 4180, no cell starts a
    formula).  The workbook has its header row frozen with a note on each
    column, a filter, wrapped quotes, lists to pick ``keep``, ``event_type``,
    ``precision`` and ``role`` from, the columns that are not read back
    shaded, and the record column narrow and marked not to be edited.  The
    file is replaced whole or not at all.

    Raises
    ------
    InvalidInputError
        For an extension that names no review sheet.
    OutputError
        When it cannot be written.
    """
    from ..files import replacing
    from ..formats import for_output

    path = Path(path)
    xlsx = for_output(path, ("review",)).name == "review-xlsx"
    rows = [_row(item) for item in located]
    with replacing(path) as temporary:
        if xlsx:
            _write_xlsx(rows, temporary)
        else:
            from ..cells import write_csv

            with temporary.open("w", encoding="utf-8", newline="") as file:
                write_csv(file, REVIEW_COLUMNS, rows)
    return path


def kept_at_first(incident: Incident) -> bool:
    """Whether a draft row of *incident* starts as kept: not ``background``, and not less
    sure than :data:`MIN_CONFIDENCE`."""
    unsure = incident.confidence is not None and incident.confidence < MIN_CONFIDENCE
    return incident.role != "background" and not unsure


def _row(item: LocatedIncident) -> list[Any]:
    """The cells of one incident, in the order of :data:`REVIEW_COLUMNS`."""
    incident, match = item.incident, item.match
    place = match.place if match.status == "resolved" else None
    others = [c.place for c in match.candidates if c.place is not place]
    source = incident.sources[0]
    record = {"incident": incident.to_dict(), "match": _match_record(match),
              "precision": item.precision}  # fmt: skip
    cells = {
        KEEP: "yes" if kept_at_first(incident) else "no",
        EVENT_TYPE: incident.event_type, PLACE_AS_WRITTEN: incident.place,
        PLACE_NAME: place.name if place else None, GEONAMEID: place.geonameid if place else None,
        ALTERNATIVES: "; ".join(_alternative(p) for p in others) or None,
        STATUS: match.status, REASON: match.reason or None,
        LAT: round(place.lat, 6) if place else None, LON: round(place.lon, 6) if place else None,
        PRECISION: item.precision, COUNTS: counts_text(incident.counts) or None,
        EVENT_DATE: str(incident.event_date) if incident.event_date else None,
        REPORT_DATE: incident.report_date.isoformat() if incident.report_date else None,
        CONFIDENCE: incident.confidence, ROLE: incident.role, QUOTE: source.quote,
        DOCUMENT: source.document,
        RECORD: json.dumps(record, ensure_ascii=False, separators=(",", ":")),
    }  # fmt: skip
    return [cells[column] for column in REVIEW_COLUMNS]


def _alternative(place: Place) -> str:
    """``Name (admin1, country) #geonameid``: a candidate the reviewer can pick by its id."""
    where = ", ".join(p for p in (place.admin1, place.country) if p)
    text = f"{place.name} ({where})" if where else place.name
    return f"{text} #{place.geonameid}" if place.geonameid is not None else text


def _match_record(match: Match) -> dict[str, Any]:
    """The extractor's answer, every field of it, for :func:`_match_of` to read back."""
    return {"query": match.query, "status": match.status, "reason": match.reason,
            "candidates": [asdict(c) for c in match.candidates]}  # fmt: skip


#: What each column holds, as the note on its header in a workbook.
_NOTES = {
    KEEP: "yes to keep the row, no to reject it (also y, true, 1, x / n, false, 0). Rejected "
    "rows stay here and are listed in the run's report.",
    EVENT_TYPE: f"What happened: {', '.join(EVENT_TYPES)}.",
    PLACE_AS_WRITTEN: "The place as the report writes it. Not read back: correct place_name "
    "or geonameid.",
    PLACE_NAME: "The place found. Write another name to have it resolved again.",
    GEONAMEID: "The GeoNames id of the place. Write another (from alternatives, or "
    "geonames.org) to pick that place: it wins over place_name.",
    ALTERNATIVES: "Other places the name may mean: Name (region, country) #geonameid. Not read "
    "back.",
    STATUS: "resolved; ambiguous (not placed: pick one of the alternatives); unresolved. Not "
    "read back.",
    REASON: "Why this place. Not read back.",
    LAT: "Latitude (WGS84). Change lat and lon to place the incident there by hand, at the "
    "precision of this row.",
    LON: "Longitude (WGS84). Change lat and lon to place the incident there by hand.",
    PRECISION: f"How precisely the report locates the site: {', '.join(PRECISIONS)}.",
    COUNTS: "kind: figures; ... e.g. killed: 7; injured: 2. A bare figure is the best "
    "estimate; low N, high N or N-M are bounds; women 226 is a part.",
    EVENT_DATE: "When it happened: 2022-05-07, 2022-05, 2022 or 2022-03-07/2022-03-10.",
    REPORT_DATE: "When it was reported: 2022-09-16.",
    CONFIDENCE: "How sure the extractor is, 0 to 1. Not read back.",
    ROLE: f"{', '.join(ROLES)}: what the report is about, what it also reports, what it only "
    "refers to.",
    QUOTE: "The sentence the incident was read in. Not read back.",
    DOCUMENT: "The report file. Not read back.",
    RECORD: "DO NOT EDIT. The record as extracted and the place found, as JSON: its "
    "provenance. An edited record is refused.",
}
_WIDTHS = {KEEP: 7, EVENT_TYPE: 13, PLACE_AS_WRITTEN: 16, PLACE_NAME: 16, GEONAMEID: 10,
           ALTERNATIVES: 30, STATUS: 11, REASON: 30, LAT: 10, LON: 10, PRECISION: 10,
           COUNTS: 24, EVENT_DATE: 12, REPORT_DATE: 12, CONFIDENCE: 10, ROLE: 11, QUOTE: 60,
           DOCUMENT: 24, RECORD: 12}  # fmt: skip
_WRAPPED = frozenset((ALTERNATIVES, COUNTS, QUOTE))
_CHOICES = {KEEP: ("yes", "no"), EVENT_TYPE: EVENT_TYPES, PRECISION: PRECISIONS, ROLE: ROLES}


def _write_xlsx(rows: list[list[Any]], path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..export.writers import save_workbook, xlsx_cell

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "review"
    sheet.append(list(REVIEW_COLUMNS))
    for number, row in enumerate(rows, 2):
        sheet.append([xlsx_cell(value, path, number) for value in row])
    last = len(rows) + 1
    edited = PatternFill("solid", fgColor="FFF2CC")  # the columns read back
    shown = PatternFill("solid", fgColor="E7E6E6")  # the columns to read
    locked = PatternFill("solid", fgColor="7F7F7F")
    top, wrapped = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
    for index, column in enumerate(REVIEW_COLUMNS, 1):
        letter = get_column_letter(index)
        header = sheet.cell(1, index)
        header.font = Font(bold=True, color="FFFFFF" if column == RECORD else None)
        header.fill = locked if column == RECORD else edited if column in EDITABLE else shown
        header.comment = Comment(_NOTES[column], "geo-sites", width=300, height=110)
        sheet.column_dimensions[letter].width = _WIDTHS[column]
        style = wrapped if column in _WRAPPED else top
        grey = Font(color="7F7F7F", size=8) if column == RECORD else None
        for (cell,) in sheet.iter_rows(min_row=2, max_row=last, min_col=index, max_col=index):
            cell.alignment = style
            if grey is not None:
                cell.font = grey
        if column in _CHOICES and rows:
            # keep warns only: the other words for yes and no are kept too.
            choices = DataValidation(type="list", formula1=f'"{",".join(_CHOICES[column])}"',
                                     allow_blank=column != KEEP, showErrorMessage=True,
                                     errorStyle="warning" if column == KEEP else "stop",
                                     errorTitle=column, error=_NOTES[column])  # fmt: skip
            choices.add(f"{letter}2:{letter}{last}")
            sheet.add_data_validation(choices)
    for number, row in enumerate(rows, 2):  # tall enough for its wrapped text, up to 6 lines
        lines = max(_lines(value, _WIDTHS[column])
                    for column, value in zip(REVIEW_COLUMNS, row, strict=True)
                    if column in _WRAPPED)  # fmt: skip
        if lines > 1:
            sheet.row_dimensions[number].height = 15 * lines
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(REVIEW_COLUMNS))}{last}"
    # Printed (or saved as PDF) landscape, every column but the record on one page's width,
    # the header on each page.
    sheet.print_area = f"A1:{get_column_letter(len(REVIEW_COLUMNS) - 1)}{last}"
    sheet.page_setup.orientation = "landscape"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    sheet.print_title_rows = "1:1"
    save_workbook(book, path)


def _lines(value: Any, width: int) -> int:
    """How many lines *value* wraps to in a column *width* characters wide (at most 6)."""
    text = "" if value is None else str(value)
    return min(6, max(1, -(-len(text) // max(1, width - 2))))


# -- reading -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row the reviewer rejected: its number in the sheet and its record as extracted."""

    row: int
    incident: Incident

    def describe(self) -> str:
        """``row 7: Bucha, killing, background: “…what happened in Bucha…”``."""
        incident = self.incident
        what = [incident.site, incident.event_type]
        if incident.role != "primary":
            what.append(incident.role)
        quote = " ".join((incident.sources[0].quote or "").split())
        said = f": “{quote[:79]}…”" if len(quote) > 80 else f": “{quote}”" if quote else ""
        return f"row {self.row}: {', '.join(what)}{said}"


@dataclass(frozen=True, slots=True)
class Review:
    """A review sheet read back: the incidents kept, corrected and placed, and the rows rejected."""

    path: Path
    located: tuple[LocatedIncident, ...]
    rejected: tuple[Rejected, ...]

    @property
    def rows(self) -> int:
        """The rows of the sheet: every one is kept or rejected."""
        return len(self.located) + len(self.rejected)

    def summary(self, name: str | None = None) -> str:
        """``draft.xlsx: 52 rows reviewed: 40 kept, 12 rejected (rows 3, 7, ...)``.

        The sheet is named by its path as given, or by *name*.
        """
        rows = [str(r.row) for r in self.rejected]
        more = f" and {len(rows) - 20:,} more" if len(rows) > 20 else ""
        listed = (
            f" (row{'s' if len(rows) > 1 else ''} {', '.join(rows[:20])}{more})" if rows else ""
        )
        return (f"{name or self.path}: {self.rows:,} rows reviewed: {len(self.located):,} kept, "
                f"{len(self.rejected):,} rejected{listed}")  # fmt: skip


def is_review(path: str | os.PathLike[str]) -> bool:
    """Tell whether *path*, a ``.csv`` or ``.xlsx`` file, is a review sheet: by its columns.

    A sheet whose header has ``keep`` and the record column is one; any
    other file (a table, or a file that cannot be read) is not.
    """
    try:
        header = next(_sheet(Path(path), header_only=True))[1]
    except (InvalidInputError, OSError, StopIteration):
        return False
    names = {str(name).strip() for name in header if name is not None}
    return {KEEP, RECORD} <= names


def read_review(
    path: str | os.PathLike[str], gazetteer: Gazetteer, *, country: str | None = None
) -> Review:
    """Read a review sheet back: the rows kept, corrected; the rows rejected, by number.

    Parameters
    ----------
    path : path-like
        A ``.csv`` (any delimiter; UTF-8, UTF-16, Windows-1251 or KOI8-U) or
        ``.xlsx`` sheet written by :func:`write_review`, its columns in any
        order.
    gazetteer : Gazetteer
        Resolves the place names the reviewer changed, and finds the places
        of the GeoNames ids they gave.
    country : str, optional
        Place names changed in review are resolved in this country only.

    Returns
    -------
    Review
        The kept rows as located incidents, in order, their sources marked
        reviewed; the rejected rows with their numbers.  Rows that are
        wholly blank are no rows.

    Raises
    ------
    InvalidInputError
        For a sheet without the columns read back, or a cell that cannot be
        read: an empty or unknown ``keep``, an unknown event type, precision
        or role, counts, dates, a GeoNames id or coordinates that are not
        such, a GeoNames id the gazetteer does not hold, or an edited record.
        The message names the file, the row and the column.
    """
    path = Path(path)
    rows = list(_sheet(path))
    if not rows:
        raise InvalidInputError(f"{path}: the file is empty")
    header = ["" if name is None else str(name).strip() for name in rows[0][1]]
    missing = [c for c in (*EDITABLE, RECORD) if c not in header]
    if missing:
        raise InvalidInputError(
            f"{path}: a review sheet without the column{'s' if len(missing) > 1 else ''} "
            f"{', '.join(map(repr, missing))}; its columns are {', '.join(REVIEW_COLUMNS)}"
        )
    columns = {name: header.index(name) for name in (*EDITABLE, RECORD)}
    kept: list[_Kept] = []
    rejected: list[Rejected] = []
    for number, values in rows[1:]:
        if all(_blank(v) for v in values):
            continue  # a blank row is no row
        cells = {name: restore(values[i]) if i < len(values) else None
                 for name, i in columns.items()}  # fmt: skip
        row = _Row(path, number, cells, gazetteer)
        incident, match, precision = row.original()
        if row.keep():
            kept.append(row.corrected(incident, match, precision))
        else:
            rejected.append(Rejected(number, incident))
    return Review(path, tuple(_placed(kept, gazetteer, country)), tuple(rejected))


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _sheet(path: Path, *, header_only: bool = False) -> Iterator[tuple[int, list[Any]]]:
    """The rows of a CSV or XLSX file with their numbers in the sheet (the header is 1)."""
    if path.suffix.lower() == ".xlsx":
        yield from _xlsx_rows(path, header_only)
    else:
        yield from _csv_rows(path, header_only)


def _xlsx_rows(path: Path, header_only: bool) -> Iterator[tuple[int, list[Any]]]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (ValueError, KeyError, zipfile.BadZipFile, InvalidFileException) as err:
        raise InvalidInputError(f"{path}: cannot read the workbook ({err})") from None
    try:
        for number, values in enumerate(book.worksheets[0].iter_rows(values_only=True), 1):
            yield number, list(values)
            if header_only:
                return
    finally:
        book.close()


def _csv_rows(path: Path, header_only: bool) -> Iterator[tuple[int, list[Any]]]:
    import csv
    import io

    from ..encodings import decode

    if header_only:  # the first line, whatever the encoding of the rest
        with path.open("rb") as file:
            data = file.read(64 * 1024)
        utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
        text = data.decode("utf-16" if utf16 else "utf-8-sig", "replace").split("\n", 1)[0]
    else:
        text = decode(path.read_bytes(), str(path), kind="a review sheet")[0]
    first = text.split("\n", 1)[0]
    delimiter = next((d for d in ",;\t|" if KEEP in _cells(first, d)), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, values in enumerate(reader, 1):
            yield number, list(values)
            if header_only:
                return
    except csv.Error as err:
        raise InvalidInputError(f"{path}, row {reader.line_num}: {err}") from None


def _cells(line: str, delimiter: str) -> list[str]:
    import csv

    return [cell.strip() for row in csv.reader([line], delimiter=delimiter) for cell in row]


@dataclass(frozen=True, slots=True)
class _Kept:
    """A kept row: its incident corrected, and where it is; or the name to resolve again,
    and the point given by hand, if any, to place it at."""

    incident: Incident
    located: LocatedIncident | None
    name: str | None = None
    point: tuple[float, float] | None = None
    precision: str = ""
    reason: str = ""


class _Row:
    """One row of the sheet: its cells read, with errors naming the file, row and column."""

    def __init__(self, path: Path, number: int, cells: dict[str, Any],
                 gazetteer: Gazetteer) -> None:  # fmt: skip
        self.path, self.number, self.cells, self.gazetteer = path, number, cells, gazetteer

    def fail(self, column: str, message: str) -> InvalidInputError:
        return InvalidInputError(f"{self.path}, row {self.number}, column {column}: {message}")

    def text(self, column: str) -> str | None:
        value = self.cells[column]
        if isinstance(value, dt.datetime):  # a date the spreadsheet read as one
            value = value.date()
        if isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        text = " ".join(str(value).split()) if value is not None else ""
        return text or None

    def keep(self) -> bool:
        value = self.cells[KEEP]
        if isinstance(value, bool | int | float) and value in (0, 1):
            return bool(value)
        word = (self.text(KEEP) or "").casefold()
        if word in _YES or word in _NO:
            return word in _YES
        if not word:
            raise self.fail(KEEP, "empty; write yes to keep the row, or no to reject it")
        raise self.fail(KEEP, f"Expected yes or no (yes, y, true, 1, x / no, n, false, 0), "
                              f"instead got: {_shown(word)}")  # fmt: skip

    def original(self) -> tuple[Incident, Match, str]:
        """The record as extracted, the extractor's answer for its place, and its precision."""
        from ..jsontext import loads

        text = self.cells[RECORD]
        if _blank(text):
            raise self.fail(RECORD, "empty; every row of a review sheet is a record geo-sites "
                                    "wrote (rows cannot be added here)")  # fmt: skip
        where = f"{self.path}, row {self.number}, column {RECORD}"
        try:
            data = loads(str(text), where)
            incident = Incident.from_dict(data["incident"], where=where)
            match = _match_of(data["match"])
            precision = data["precision"]
        except InvalidInputError as err:
            message = str(err).removeprefix(f"{where}: ")
            raise self.fail(RECORD, f"{message}; this column is not to be edited") from None
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise self.fail(RECORD, f"not a record geo-sites wrote ({type(err).__name__}: "
                                    f"{_shown(str(err))}); this column is not to be "
                                    "edited") from None  # fmt: skip
        if precision not in PRECISIONS:
            raise self.fail(RECORD, f"not a record geo-sites wrote (precision "
                                    f"{_shown(str(precision))}); this column is not to be "
                                    "edited")  # fmt: skip
        return incident, match, precision

    def choice(self, column: str, choices: tuple[str, ...]) -> str:
        given = self.text(column)
        if given not in choices:
            raise self.fail(column, f"Expected one of {', '.join(choices)}, instead got: "
                                    f"{_shown(given or '')}")  # fmt: skip
        return given

    def corrected(self, incident: Incident, match: Match, precision: str) -> _Kept:
        """The kept row: the record with the reviewer's corrections, and where it is.

        *precision* is the one the sheet was written with: the record's, or
        coarser when the place found is.
        """
        values: dict[str, Any] = {
            EVENT_TYPE: self.choice(EVENT_TYPE, EVENT_TYPES), ROLE: self.choice(ROLE, ROLES),
            "counts": self.counts(), EVENT_DATE: self.date(EVENT_DATE),
            REPORT_DATE: self.date(REPORT_DATE),
        }  # fmt: skip
        given = self.choice(PRECISION, PRECISIONS)
        if given != precision:
            values[PRECISION] = given
        changed = [c for c, value in values.items() if value != getattr(incident, c)]
        place = match.place if match.status == "resolved" else None
        geonameid, name, point = self.geonameid(), self.text(PLACE_NAME), self.point()
        chosen, again = place, None
        if geonameid is not None and geonameid != (place.geonameid if place else None):
            chosen = self.geonames_place(geonameid)
            changed.append(GEONAMEID)
        elif name is not None and (place is None or _key(name) != _key(place.name)):
            chosen, again = None, name
            changed.append(PLACE_NAME)
        by_hand = point is not None and (place is None or point != _point(place))
        if by_hand:
            changed.append(f"{LAT}, {LON}")
        note = f"kept in review ({self.path.name}, row {self.number})"
        if changed:
            note += f"; corrected {', '.join(changed)}"
        moved = chosen.name if chosen is not place and chosen is not None else again
        if moved is not None:  # the site takes the name of its new place
            values["site"] = f"near {moved}" if given == "near" else moved
        sources = tuple(replace(s, reviewed=note) for s in incident.sources)
        incident = replace(incident, **values, sources=sources)
        here = f"in review ({self.path.name}, row {self.number})"
        point = point if by_hand else None
        if again is not None:
            return _Kept(incident, None, again, point, given, f"lat and lon given {here}")
        if point is not None:
            at = _by_hand(incident, chosen, name, point, given, f"lat and lon given {here}")
            return _Kept(incident, at)
        if chosen is not place:
            assert chosen is not None
            answer = _chosen(incident, chosen, f"GeoNames {chosen.geonameid} chosen {here}")
            return _Kept(incident, LocatedIncident.of(incident, answer))
        if PRECISION in values:
            return _Kept(incident, LocatedIncident.of(incident, match))
        return _Kept(incident, LocatedIncident(incident, match, precision))

    def counts(self) -> tuple[Count, ...]:
        try:
            return parse_counts(self.text(COUNTS) or "")
        except InvalidInputError as err:
            raise self.fail(COUNTS, str(err)) from None

    def date(self, column: str) -> Any:
        given = self.text(column)
        try:
            date = EventDate.parse(given) if given else None
        except InvalidInputError as err:
            raise self.fail(column, str(err)) from None
        if column == EVENT_DATE or date is None:
            return date
        if date.precision != "day":
            raise self.fail(column, f"a report date is a day, instead got: {_shown(given or '')}")
        return date.start

    def geonameid(self) -> int | None:
        text = (self.text(GEONAMEID) or "").lstrip("#")
        if not text:
            return None
        if not text.isdigit() or len(text) > 12:
            raise self.fail(GEONAMEID, f"Expected a GeoNames id (a whole number), instead got: "
                                       f"{_shown(text)}")  # fmt: skip
        return int(text)

    def geonames_place(self, geonameid: int) -> Place:
        place = self.gazetteer.geonames_place(geonameid)
        if place is None:
            raise self.fail(GEONAMEID, f"the gazetteer has no place of GeoNames id {geonameid} "
                                       "(a country's places are added with geo-sites gazetteer "
                                       "add)")  # fmt: skip
        return place

    def point(self) -> tuple[float, float] | None:
        lat, lon = self.coordinate(LAT), self.coordinate(LON)
        if lat is None and lon is None:
            return None
        if lat is None or lon is None:
            raise self.fail(LAT if lat is None else LON, "empty; give both lat and lon, or neither")
        try:
            return _point(Place("", *check_point(lat, lon), level="site"))
        except InvalidInputError as err:
            raise self.fail(f"{LAT}, {LON}", str(err)) from None

    def coordinate(self, column: str) -> float | None:
        value = self.cells[column]
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        text = self.text(column)
        if text is None:
            return None
        if re.fullmatch(r"-?\d+,\d+", text):  # a decimal comma
            text = text.replace(",", ".")
        try:
            return float(text)
        except ValueError:
            raise self.fail(column, f"Expected a number, instead got: {_shown(text)}") from None


def _chosen(incident: Incident, place: Place, reason: str) -> Match:
    """The answer of a reviewer: *place*, for the place of *incident* as written."""
    return Match(incident.place, "resolved", (Candidate(place, place.name, "exact", 1.0),), reason)


def _by_hand(
    incident: Incident, place: Place | None, name: str | None, point: tuple[float, float],
    precision: str, reason: str,
) -> LocatedIncident:  # fmt: skip
    """*incident* at the *point* a reviewer gave: of *place*, else a place of that *name*."""
    base = place or Place(name or incident.place, *point, level="site", source="review")
    here = replace(base, lat=point[0], lon=point[1])
    return LocatedIncident(incident, _chosen(incident, here, reason), precision)


def _point(place: Place) -> tuple[float, float]:
    """The point of *place* as the sheet shows it: 6 decimals (about 10 cm)."""
    return round(place.lat, 6), round(place.lon, 6)


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


def _match_of(data: Any) -> Match:
    """The extractor's answer, as :func:`_match_record` wrote it."""
    candidates = tuple(
        Candidate(Place(**c["place"]), c["matched_name"], c["method"], c["score"])
        for c in data["candidates"]
    )
    return Match(data["query"], data["status"], candidates, data["reason"])


def _placed(kept: list[_Kept], gazetteer: Gazetteer, country: str | None) -> list[LocatedIncident]:
    """The kept rows located: the names changed in review resolved again, a document's together."""
    again = {i: replace(row.incident, place=row.name, context=None)
             for i, row in enumerate(kept) if row.name is not None}  # fmt: skip
    found = dict(zip(again, locate(list(again.values()), gazetteer, country=country),
                     strict=True))  # fmt: skip
    out = []
    for i, row in enumerate(kept):
        if row.located is not None:
            out.append(row.located)
        elif row.point is None:
            out.append(LocatedIncident(row.incident, found[i].match, found[i].precision))
        else:  # at the point given, of the place its name was resolved to
            match = found[i].match
            place = match.place if match.status == "resolved" else None
            out.append(_by_hand(row.incident, place, row.name, row.point, row.precision,
                                row.reason))  # fmt: skip
    return out
