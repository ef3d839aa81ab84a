"""Review from end to end: extract a draft, edit it as a person would, and make the sites of it."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pyogrio
import pytest
from click.testing import CliRunner

from geo_sites.cli import cli

REPORTS = Path(__file__).resolve().parent / "data" / "reports"
RECORD = "original record (do not edit)"


@pytest.fixture
def runner(home_copy: Path) -> CliRunner:
    return CliRunner()


@pytest.fixture
def reports(request: pytest.FixtureRequest) -> Path:
    """The seed reports of ../shared, else our own test reports."""
    try:
        return Path(request.getfixturevalue("shared")) / "seeds"
    except pytest.skip.Exception:
        return REPORTS


def _read(path: Path) -> list[dict[str, Any]]:
    """The rows of a sheet, by column name, as the writer left them."""
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path).active
        assert sheet is not None
        values = [list(row) for row in sheet.iter_rows(values_only=True)]
    else:
        with path.open(encoding="utf-8", newline="") as file:
            values = list(csv.reader(file))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _edit(path: Path, edits: dict[int, dict[str, Any]]) -> None:
    """Change cells, ``{row number: {column: value}}``: an XLSX through openpyxl, a CSV as
    a spreadsheet in a locale with decimal commas saves it (semicolons, a BOM)."""
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        sheet = book.active
        assert sheet is not None
        header = [cell.value for cell in sheet[1]]
        for number, cells in edits.items():
            for column, value in cells.items():
                sheet.cell(number, header.index(column) + 1).value = value
        book.save(path)
        return
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file))
    for number, cells in edits.items():
        for column, value in cells.items():
            rows[number - 1][rows[0].index(column)] = str(value)
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file, delimiter=";").writerows(rows)


def _draft(runner: CliRunner, reports: Path, path: Path) -> list[dict[str, Any]]:
    result = runner.invoke(cli, ["extract", str(reports), "-o", str(path), "-q"])
    assert result.exit_code == 0, result.output
    return _read(path)


@pytest.mark.parametrize("extension", [".xlsx", ".csv"])
def test_extract_review_and_make_sites(
    runner: CliRunner, reports: Path, tmp_path: Path, extension: str
) -> None:
    draft = tmp_path / f"draft{extension}"
    rows = _draft(runner, reports, draft)
    kept = [n for n, row in enumerate(rows, 2) if row["keep"] == "yes"
            and row["status"] == "resolved" and row["precision"] == "settlement"]  # fmt: skip
    rejected = [n for n, row in enumerate(rows, 2) if row["keep"] == "no"]
    assert rejected, "the background incidents start as rejected"
    flipped, typed, counted, by_id, by_name = kept[:5]
    _edit(draft, {
        flipped: {"keep": "no"},
        typed: {"event_type": "detention"},
        counted: {"counts": "killed: 7777; injured: 2, low 1"},
        by_id: {"geonameid": 706483},  # Kharkiv, the city
        by_name: {"place_name": "Odesa"},
    })  # fmt: skip
    rejected = sorted([*rejected, flipped])

    result = runner.invoke(cli, ["sites", str(draft), "-o", str(tmp_path / "sites.gpkg")])
    assert result.exit_code == 0, result.output
    listed = ", ".join(map(str, rejected))
    assert (f"{draft}: {len(rows)} rows reviewed: {len(rows) - len(rejected)} kept, "
            f"{len(rejected)} rejected (rows {listed})") in result.stderr  # fmt: skip

    sites = pyogrio.read_dataframe(tmp_path / "sites.gpkg", layer="sites")
    site_of: dict[int, dict[str, Any]] = {}
    for site in sites.to_dict("records"):
        for source in json.loads(site["sources_json"]):
            found = re.fullmatch(rf"kept in review \({draft.name}, row (\d+)\)(; corrected .*)?",
                                 source["reviewed"])  # fmt: skip
            assert found, source
            site_of[int(found.group(1))] = site
    # Rows in, rows out: every row is a source of a site, or rejected.
    assert sorted(site_of) == [n for n in range(2, len(rows) + 2) if n not in rejected]
    assert site_of[typed]["event_type"] == "detention"
    assert "killed 7777" in site_of[counted]["counts"]
    assert (site_of[by_id]["geonameid"], site_of[by_id]["place_name"]) == (706483, "Kharkiv")
    assert site_of[by_name]["place_name"] == "Odesa"
    assert site_of[by_name]["status"] == "resolved"


def test_map_and_run_read_the_sheet(runner: CliRunner, reports: Path, tmp_path: Path) -> None:
    draft = tmp_path / "draft.xlsx"
    rows = _draft(runner, reports, draft)
    rejected = [n for n, row in enumerate(rows, 2) if row["keep"] == "no"]
    result = runner.invoke(cli, ["map", str(draft), "-o", str(tmp_path / "map.html")])
    assert result.exit_code == 0, result.output
    assert f"{len(rejected)} rejected" in result.stderr
    result = runner.invoke(cli, ["run", str(draft), "-o", str(tmp_path / "out"), "--dpi", "60"])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip().endswith(f"{len(rejected)} rows rejected in review")
    report = (tmp_path / "out" / "draft-report.md").read_text("utf-8")
    section = report.split("## Rejected in review\n", 1)[1]
    assert f"{len(rows)} rows reviewed: {len(rows) - len(rejected)} kept" in section
    assert [int(n) for n in re.findall(r"^- draft\.xlsx, row (\d+): ", section, re.M)] == rejected


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("keep", "", "empty; write yes to keep the row, or no to reject it"),
        ("keep", "perhaps", "Expected yes or no"),
        ("event_type", "massacre", "Expected one of mass_grave"),
        ("counts", "seven killed", "Expected counts such as 'killed: 7"),
        ("event_date", "May 2022", "Expected an ISO 8601 date"),
        ("geonameid", "Kharkiv", "Expected a GeoNames id"),
    ],
)
@pytest.mark.parametrize("extension", [".xlsx", ".csv"])
def test_a_bad_cell_is_one_line_naming_file_row_and_column(
    runner: CliRunner, tmp_path: Path, extension: str, column: str, value: str, message: str
) -> None:
    draft = tmp_path / f"draft{extension}"
    rows = _draft(runner, REPORTS, draft)
    number = len(rows)  # the last row
    _edit(draft, {number: {"keep": "yes", column: value}})
    out = tmp_path / "sites.gpkg"
    result = runner.invoke(cli, ["sites", str(draft), "-o", str(out)])
    assert result.exit_code == 1, result.output
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"Error: {draft}, row {number}, column {column}: {message}"), line
    assert not out.exists()
