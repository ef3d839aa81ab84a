"""The review sheet: the draft a person checks, written and read back with their corrections."""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from geo_sites.exceptions import InvalidInputError
from geo_sites.extract import extract_files
from geo_sites.formats import detect
from geo_sites.gazetteer import Gazetteer
from geo_sites.incidents import Count, LocatedIncident, merge, read_review, write_review
from geo_sites.incidents.review import (
    MIN_CONFIDENCE,
    REVIEW_COLUMNS,
    counts_text,
    is_review,
    parse_counts,
)

REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"


@pytest.fixture(scope="module")
def located(gazetteer: Gazetteer) -> tuple[LocatedIncident, ...]:
    """The incidents of our test reports, as the extractor placed them."""
    return extract_files(REPORTS, gazetteer=gazetteer).located


def _rows(path: Path) -> list[dict[str, Any]]:
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path).active
        assert sheet is not None
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
        return [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    with path.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def _edit(path: Path, edits: dict[int, dict[str, Any]], *, delimiter: str = ",") -> None:
    """Change cells of a CSV sheet: ``{row number: {column: value}}``, rows counted from 1."""
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    for number, cells in edits.items():
        for column, value in cells.items():
            rows[number - 1][rows[0].index(column)] = value
    with path.open("w", encoding="utf-8-sig", newline="") as file:  # as Excel saves CSV UTF-8
        csv.writer(file, delimiter=delimiter).writerows(rows)


def _number(rows: list[dict[str, Any]], **wanted: str) -> int:
    """The sheet row number (the header is 1) of the first row with these cells."""
    return next(n for n, row in enumerate(rows, 2) if all(row[k] == v for k, v in wanted.items()))


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("killed: 7", (Count("killed", 7),)),
        ("killed: 7; injured: 2", (Count("killed", 7), Count("injured", 2))),
        ("bodies: 440, low 440", (Count("bodies", 440, low=440),)),
        ("killed: low 20, high 30", (Count("killed", low=20, high=30),)),
        ("bodies: 534, women 226, children 19",
         (Count("bodies", 534, parts=(("women", 226), ("children", 19))),)),
        ("civilian bodies: 447, low 440, high 447",
         (Count("civilian bodies", 447, low=440, high=447),)),
    ],
)  # fmt: skip
def test_counts_as_text_round_trip(text: str, counts: tuple[Count, ...]) -> None:
    assert counts_text(counts) == text
    assert parse_counts(text) == counts


@pytest.mark.parametrize(
    ("text", "counts"),
    [
        ("killed: 20-30", (Count("killed", low=20, high=30),)),
        (" Killed :  7 ;; ", (Count("Killed", 7),)),
        ("", ()),
    ],
)
def test_counts_as_a_reviewer_types_them(text: str, counts: tuple[Count, ...]) -> None:
    assert parse_counts(text) == counts


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("7 killed", "Expected counts such as 'killed: 7"),
        ("killed: seven", "killed: Expected a figure"),
        ("killed: 1,000", "killed: the best figure is given twice"),
        ("killed: 7, 8", "killed: the best figure is given twice"),
        ("killed: 30, low 40", "the count of 'killed' is not low <= best <= high"),
        ("killed: 7, women 2, women 3", "killed: the part 'women' is given twice"),
        ("killed: " + "9" * 40, "killed: Expected a figure"),
        ("killed: 9007199254740993", "whole numbers from 0 to 9,007,199,254,740,992"),
        (": 7", "Expected counts such as"),
    ],
)
def test_counts_that_are_not_counts(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        parse_counts(text)


def test_the_sheet_has_a_row_per_incident_and_keep_filled_in(
    located: tuple[LocatedIncident, ...], tmp_path: Path
) -> None:
    unsure = replace(located[0].incident, confidence=MIN_CONFIDENCE - 0.01)
    sure = replace(located[1].incident, confidence=MIN_CONFIDENCE)
    items = [replace(located[0], incident=unsure), replace(located[1], incident=sure),
             *located[2:]]  # fmt: skip
    write_review(items, tmp_path / "draft.csv")
    rows = _rows(tmp_path / "draft.csv")
    assert list(rows[0]) == list(REVIEW_COLUMNS) and len(rows) == len(located)
    assert [r["keep"] for r in rows[:2]] == ["no", "yes"]
    assert [r["confidence"] for r in rows[:2]] == [str(MIN_CONFIDENCE - 0.01), "0.5"]
    for item, row in zip(items[2:], rows[2:], strict=True):
        incident = item.incident
        unsure = incident.role == "background" or (incident.confidence or 1) < MIN_CONFIDENCE
        assert (row["keep"], row["role"]) == ("no" if unsure else "yes", incident.role)
        assert row["quote"] == item.incident.sources[0].quote
        assert json.loads(row["original record (do not edit)"])["incident"]["id"] == (
            item.incident.id
        )
    assert any(r["role"] == "background" for r in rows)  # "what happened in Bucha"
    kramatorsk = rows[_number(rows, place_as_written="Kramatorsk", event_type="air_strike") - 2]
    assert kramatorsk["counts"] == "civilians: 57"
    assert (kramatorsk["geonameid"], kramatorsk["status"]) == ("704508", "resolved")
    assert kramatorsk["event_date"] == "2022-04-08"


def test_an_unedited_sheet_gives_the_extractors_sites(
    located: tuple[LocatedIncident, ...], gazetteer: Gazetteer, tmp_path: Path
) -> None:
    """Every row kept, nothing changed: the extractor's answers stand, not a resolution anew."""
    draft = tmp_path / "draft.xlsx"
    write_review(located, draft)
    book = openpyxl.load_workbook(draft)
    sheet = book.active
    assert sheet is not None
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.value = "Yes"
    book.save(draft)
    review = read_review(draft, gazetteer)
    assert (review.rows, review.rejected) == (len(located), ())
    for number, (before, after) in enumerate(zip(located, review.located, strict=True), 2):
        assert (after.match, after.precision) == (before.match, before.precision)
        assert [s.reviewed for s in after.incident.sources] == [
            f"kept in review (draft.xlsx, row {number})"
        ]
        unmarked = tuple(replace(s, reviewed=None) for s in after.incident.sources)
        assert replace(after.incident, sources=unmarked) == before.incident
    assert [s.match for s in merge(review.located)] == [s.match for s in merge(located)]


def test_the_corrections_are_read_back(
    located: tuple[LocatedIncident, ...], gazetteer: Gazetteer, tmp_path: Path
) -> None:
    draft = tmp_path / "draft.csv"
    write_review(located, draft)
    rows = _rows(draft)
    kept = [n for n, row in enumerate(rows, 2) if row["keep"] == "yes"]
    rejected = [n for n, row in enumerate(rows, 2) if row["keep"] == "no"]
    by_id, by_name, by_hand, other, named_by_hand = kept[:5]
    _edit(draft, {
        kept[5]: {"keep": "n"},
        named_by_hand: {"place_name": "Sumy", "lat": "50.9", "lon": "34.8", "precision": "exact"},
        by_id: {"geonameid": "706483", "place_name": "Somewhere else"},  # the id wins
        by_name: {"place_name": "Odesa", "geonameid": rows[by_name - 2]["geonameid"]},
        by_hand: {"lat": "49,1234567", "lon": "37.3", "precision": "exact"},
        other: {"event_type": "detention", "counts": "detained: 12, low 10", "role": "secondary",
                "event_date": "2022-03-07/2022-03-10", "report_date": "2022-09-16"},
    }, delimiter=";")  # fmt: skip
    assert detect(draft, ("records", "review", "layer")).name == "review-csv"
    review = read_review(draft, gazetteer)
    assert [r.row for r in review.rejected] == sorted([*rejected, kept[5]])
    assert review.rows == len(rows)
    numbers = [n for n in range(2, len(rows) + 2) if n not in (*rejected, kept[5])]
    found = dict(zip(numbers, review.located, strict=True))
    kharkiv = found[by_id]
    assert kharkiv.match.place is not None and kharkiv.match.place.name == "Kharkiv"
    near = kharkiv.incident.precision == "near"
    assert kharkiv.incident.site == ("near Kharkiv" if near else "Kharkiv")
    assert "corrected geonameid" in (kharkiv.incident.sources[0].reviewed or "")
    odesa = found[by_name]
    assert odesa.match.place is not None and odesa.match.place.geonameid == 698740
    assert odesa.incident.place == rows[by_name - 2]["place_as_written"]  # as the report wrote
    here = found[by_hand]
    assert here.match.place is not None and here.precision == "exact"
    assert (here.match.place.lat, here.match.place.lon) == (49.123457, 37.3)
    sumy = found[named_by_hand]  # the name resolved, the point as given
    assert sumy.match.place is not None and sumy.match.place.geonameid == 692194
    assert (sumy.match.place.lat, sumy.match.place.lon, sumy.precision) == (50.9, 34.8, "exact")
    changed = found[other].incident
    assert (changed.event_type, changed.role, str(changed.event_date)) == (
        "detention", "secondary", "2022-03-07/2022-03-10")  # fmt: skip
    assert changed.counts == (Count("detained", 12, low=10),)
    assert changed.report_date is not None and changed.report_date.isoformat() == "2022-09-16"
    assert changed.sources[0].reviewed == (
        f"kept in review (draft.csv, row {other}); corrected event_type, role, counts, "
        "event_date, report_date"
    )


def _bad(located: tuple[LocatedIncident, ...], tmp_path: Path, cells: dict[str, Any]) -> Path:
    draft = tmp_path / "draft.csv"
    write_review(located, draft)
    _edit(draft, {2: {"keep": "yes", **cells}})
    return draft


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"keep": ""}, "keep", "empty; write yes to keep the row, or no to reject it"),
        ({"keep": "maybe"}, "keep", "Expected yes or no .* instead got: 'maybe'"),
        ({"event_type": "massacre"}, "event_type", "Expected one of mass_grave, .*'massacre'"),
        ({"precision": ""}, "precision", "Expected one of exact, .*instead got: ''"),
        ({"role": "main"}, "role", "Expected one of primary, secondary, background"),
        ({"counts": "killed 7"}, "counts", "Expected counts such as"),
        ({"event_date": "07/05/2022"}, "event_date", "Expected an ISO 8601 date"),
        ({"report_date": "2022-05"}, "report_date", "a report date is a day"),
        ({"geonameid": "Kharkiv"}, "geonameid", "Expected a GeoNames id"),
        ({"geonameid": "1"}, "geonameid", "the gazetteer has no place of GeoNames id 1"),
        ({"lat": "", "lon": "30"}, "lat", "empty; give both lat and lon"),
        ({"lat": "north", "lon": "30"}, "lat", "Expected a number"),
        ({"lat": "95", "lon": "30"}, "lat, lon", "coordinates out of range"),
        ({"original record (do not edit)": ""}, "original record \\(do not edit\\)",
         "empty; every row of a review sheet is a record"),
        ({"original record (do not edit)": "{"}, "original record \\(do not edit\\)",
         "not valid JSON.*; this column is not to be edited"),
        ({"original record (do not edit)": "[]"}, "original record \\(do not edit\\)",
         "not a record geo-sites wrote"),
    ],
)  # fmt: skip
def test_a_cell_that_cannot_be_read_names_the_file_row_and_column(
    located: tuple[LocatedIncident, ...], gazetteer: Gazetteer, tmp_path: Path,
    cells: dict[str, Any], column: str, message: str,
) -> None:  # fmt: skip
    draft = _bad(located, tmp_path, cells)
    with pytest.raises(InvalidInputError, match=f"^{draft}, row 2, column {column}: {message}"):
        read_review(draft, gazetteer)


def test_an_edited_record_is_refused(
    located: tuple[LocatedIncident, ...], gazetteer: Gazetteer, tmp_path: Path
) -> None:
    draft = tmp_path / "draft.csv"
    write_review(located, draft)
    record = _rows(draft)[0]["original record (do not edit)"]
    edited = record.replace('"place":"', '"place":"Not ', 1)
    _edit(draft, {2: {"original record (do not edit)": edited}})
    with pytest.raises(InvalidInputError, match=r"row 2, column original record .* does not "
                       r"match the content.*; this column is not to be edited"):  # fmt: skip
        read_review(draft, gazetteer)


def test_a_sheet_without_the_columns_read_back(
    located: tuple[LocatedIncident, ...], gazetteer: Gazetteer, tmp_path: Path
) -> None:
    draft = tmp_path / "draft.csv"
    write_review(located, draft)
    with draft.open(encoding="utf-8", newline="") as file:
        rows = [row[:11] + row[12:] for row in csv.reader(file)]  # counts deleted
    with draft.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    with pytest.raises(InvalidInputError, match="a review sheet without the column 'counts'"):
        read_review(draft, gazetteer)


def test_blank_rows_are_no_rows_and_numbers_stay_those_of_the_sheet(
    located: tuple[LocatedIncident, ...], gazetteer: Gazetteer, tmp_path: Path
) -> None:
    draft = tmp_path / "draft.xlsx"
    write_review(located[:3], draft)
    book = openpyxl.load_workbook(draft)
    sheet = book.active
    assert sheet is not None
    sheet.insert_rows(3)  # a blank row between the first and the second incident
    sheet["A5"] = "no"
    book.save(draft)
    review = read_review(draft, gazetteer)
    assert [r.row for r in review.rejected] == [5] and review.rows == 3
    assert review.located[1].incident.sources[0].reviewed == "kept in review (draft.xlsx, row 4)"


def test_text_that_starts_a_formula_stays_text(
    located: tuple[LocatedIncident, ...], gazetteer: Gazetteer, tmp_path: Path
) -> None:
    item = located[0]
    source = replace(item.incident.sources[0], quote='=HYPERLINK("http://evil","x")')
    attack = replace(item, incident=replace(item.incident, sources=(source,)))
    for name in ("draft.csv", "draft.xlsx"):
        write_review([attack], tmp_path / name)
        assert _rows(tmp_path / name)[0]["quote"] == "'" + source.quote
        assert read_review(tmp_path / name, gazetteer).located[0].incident.sources[0].quote == (
            source.quote
        )
    book = openpyxl.load_workbook(tmp_path / "draft.xlsx")
    sheet = book.active
    assert sheet is not None and sheet.cell(2, REVIEW_COLUMNS.index("quote") + 1).data_type == "s"


def test_the_workbook_is_made_for_reviewing(
    located: tuple[LocatedIncident, ...], tmp_path: Path
) -> None:
    draft = tmp_path / "draft.xlsx"
    write_review(located, draft)
    sheet = openpyxl.load_workbook(draft).active
    assert sheet is not None
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref == f"A1:S{len(located) + 1}"
    record = REVIEW_COLUMNS.index("original record (do not edit)") + 1
    assert (sheet.cell(1, record).comment.text or "").startswith("DO NOT EDIT")
    assert sheet.cell(2, REVIEW_COLUMNS.index("quote") + 1).alignment.wrap_text
    # printed landscape, one page wide, without the record column, a quote's rows tall
    assert (sheet.page_setup.orientation, sheet.page_setup.fitToWidth) == ("landscape", 1)
    assert sheet.print_area == f"'review'!$A$1:$R${len(located) + 1}"
    quoted = [
        n for n, item in enumerate(located, 2) if len(item.incident.sources[0].quote or "") > 116
    ]
    assert quoted and all(sheet.row_dimensions[n].height >= 45 for n in quoted)
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists[f"A2:A{len(located) + 1}"] == '"yes,no"'
    assert "mass_grave" in lists[f"B2:B{len(located) + 1}"]
    write_review(located, tmp_path / "again.xlsx")
    assert (tmp_path / "again.xlsx").read_bytes() == draft.read_bytes()


def test_a_review_sheet_is_told_from_a_table_by_its_columns(
    located: tuple[LocatedIncident, ...], tmp_path: Path
) -> None:
    write_review(located[:1], tmp_path / "draft.csv")
    write_review(located[:1], tmp_path / "draft.xlsx")
    (tmp_path / "table.csv").write_text("keep,place\nyes,Izium\n", "utf-8")
    assert [is_review(tmp_path / n) for n in ("draft.csv", "draft.xlsx", "table.csv")] == [
        True, True, False]  # fmt: skip
    kinds = ("records", "review", "layer")
    assert detect(tmp_path / "draft.xlsx", kinds).name == "review-xlsx"
    assert detect(tmp_path / "table.csv", kinds).name == "csv"
    assert detect(tmp_path / "draft.csv", ("table", "layer")).name == "csv"  # join reads rows
