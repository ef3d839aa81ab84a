from __future__ import annotations

import csv
from pathlib import Path

import pyogrio
import pytest

from geo_sites.cells import encodable, is_missing, neutralise, text_of, write_csv

PAYLOAD = "harmless\r=cmd|' /C calc'!A0"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Izium", "Izium"),
        (-3, -3),
        (None, None),
    ],
)
def test_neutralise(value: object, expected: object) -> None:
    assert neutralise(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Izium", "Izium"), ("a\ud800b", "a\ufffdb"), ("\udfff", "\ufffd"), ("Ізюм 😀", "Ізюм 😀")],
)
def test_encodable(text: str, expected: str) -> None:
    assert encodable(text) == expected
    encodable(text).encode("utf-8")  # never raises


def test_write_csv_keeps_each_cell_in_its_row(tmp_path: Path) -> None:
    path = tmp_path / "cells.csv"
    rows = [[PAYLOAD, 1, None], ["two\nlines", 2.5, float("nan")], ["lone \ud800", 3, "=1+1"]]
    with path.open("w", encoding="utf-8", newline="") as file:
        write_csv(file, ["note", "count", '=HYPERLINK("http://x")'], rows)
    with path.open(encoding="utf-8", newline="") as file:
        header, *back = list(csv.reader(file))
    assert header == ["note", "count", '\'=HYPERLINK("http://x")']
    assert back == [[PAYLOAD, "1", ""], ["two\nlines", "2.5", ""], ["lone \ufffd", "3", "'=1+1"]]
    frame = pyogrio.read_dataframe(path)  # GDAL reads the same rows (a CR in a cell as LF)
    assert frame["note"].tolist() == [PAYLOAD.replace("\r", "\n"), "two\nlines", "lone \ufffd"]


def test_what_is_missing() -> None:
    """One rule for every stage: None, NaN, pandas' NA and NaT; text and numbers are values."""
    import numpy as np
    import pandas as pd

    missing = [None, float("nan"), np.float64("nan"), np.float32("nan"), pd.NA, pd.NaT,
               np.datetime64("NaT")]  # fmt: skip
    values = ["", "  ", "nan", 0, 0.0, False, [None], {"a": None}, pd.Timestamp("2022-09-15")]
    assert [is_missing(v) for v in missing] == [True] * len(missing)
    assert [is_missing(v) for v in values] == [False] * len(values)


def test_text_of_shows_a_cell_as_a_reader_sees_it() -> None:
    import pandas as pd

    assert [text_of(v) for v in (None, float("nan"), pd.NA, pd.NaT, "  ")] == [None] * 5
    assert text_of(pd.Timestamp("2022-09-15")) == "2022-09-15"
    assert text_of(pd.Timestamp("2022-09-15 14:30")) == "2022-09-15T14:30:00"
    assert [text_of(v) for v in (" Izium ", 12.0, 12.5, 7, pd.array([3], dtype="Int64")[0])] == [
        "Izium", "12", "12.5", "7", "3"
    ]  # fmt: skip
