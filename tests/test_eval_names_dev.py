"""Every row of ../shared/eval/names_dev.csv resolves as expected.

Places in the embedded default are checked against it; every row, Hroza
included, is checked against the default plus the GeoNames Ukraine dump.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from geo_sites.gazetteer import Gazetteer
from geo_sites.models import haversine_km

from .conftest import SHARED

_TABLE = SHARED / "eval" / "names_dev.csv"
ROWS = list(csv.DictReader(_TABLE.read_text("utf-8").splitlines())) if _TABLE.exists() else []
# Only in a detailed country gazetteer, by the table's own note.
DUMP_ONLY = {row["name"] for row in ROWS if "only in a detailed" in row["note"]}


def _check(gazetteer: Gazetteer, row: dict[str, str], *, default: bool) -> None:
    match = gazetteer.resolve(row["name"], within=row["context"] or None)
    place = match.place
    assert place is not None, match.reason
    assert place.geonameid == int(row["expected_geonameid"]), match.reason
    assert place.level == row["level"]
    assert match.status == "resolved", match.reason
    distance = haversine_km(place.lat, place.lon, float(row["lat"]), float(row["lon"]))
    if row["level"] == "admin1" and default:
        # The default has no GeoNames ADM1 points: it places an oblast at a point
        # inside its polygon, well inside the oblast.
        assert distance < 60, distance
    else:
        assert distance < 0.1, distance


@pytest.mark.parametrize("row", [r for r in ROWS if r["name"] not in DUMP_ONLY],
                         ids=lambda r: f"{r['name']}|{r['context']}")  # fmt: skip
def test_names_dev_on_the_default(gazetteer: Gazetteer, shared: Path, row: dict[str, str]) -> None:
    _check(gazetteer, row, default=True)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['name']}|{r['context']}")
def test_names_dev_with_the_ukraine_dump(
    ua_gazetteer: Gazetteer, shared: Path, row: dict[str, str]
) -> None:
    _check(ua_gazetteer, row, default=False)


def test_the_table_is_there(shared: Path) -> None:
    assert len(ROWS) >= 30 and {"Hroza"} == DUMP_ONLY
