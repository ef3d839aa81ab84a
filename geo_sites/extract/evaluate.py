"""Scoring extracted sites against a truth table shaped like ``eval/seed_sites.csv``.

The unit is a site *as one document reports it*: a truth row (``doc``,
``event_type``, ``geonameid``, ``lat``, ``lon``, ``count``) or, on the
predicted side, a site with one of the documents its sources cite.  A
predicted unit matches a truth row when they share the document and the
event type and the place agrees: the same GeoNames id, or within 10 km.
Rows are matched one to one, nearest first (of equally near sites, one
that gives the row's count).

* **site precision** and **recall**: matched predicted units over all of
  them, matched truth rows over all of them;
* **place accuracy**: of the truth rows with a predicted unit of the same
  document and event type, the share placed within 10 km (or at the same
  GeoNames id);
* **event-type accuracy**: of the truth rows with a predicted unit of the
  same document at the same place, the share with the right type;
* **count accuracy**: of the matched rows with a count in the truth, the
  share whose site gives that figure (as best, low or high of any count);
* the **misses**: truth rows not found, and predicted units not in the truth.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import InvalidInputError
from ..incidents.columns import (
    COUNT,
    COUNT_HIGH,
    COUNT_LOW,
    COUNTS,
    EVENT_TYPE,
    GEONAMEID,
    LAT,
    LON,
    NAME,
    SOURCES_JSON,
)
from ..models import haversine_km

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Evaluation", "evaluate", "read_truth"]

PLACE_KM = 10.0
_TRUTH_COLUMNS = ("doc", "event_type", "lat", "lon")
_NUMBER_COLUMNS = ("lat", "lon", "count", "geonameid")


@dataclass(frozen=True, slots=True)
class _Unit:
    doc: str
    event_type: str
    lat: float | None
    lon: float | None
    geonameid: int | None
    figures: frozenset[int] = frozenset()
    count: int | None = None
    label: str = ""


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The scores, and what was missed on each side."""

    truth: int
    predicted: int
    matched: int
    place_accuracy: float | None
    event_type_accuracy: float | None
    count_accuracy: float | None
    missed: tuple[str, ...] = field(default=())  # truth rows not found
    extra: tuple[str, ...] = field(default=())  # predicted units not in the truth

    @property
    def recall(self) -> float:
        return self.matched / self.truth if self.truth else 1.0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "site_recall": round(self.recall, 4), "site_precision": round(self.precision, 4),
            "place_accuracy_10km": _rounded(self.place_accuracy),
            "event_type_accuracy": _rounded(self.event_type_accuracy),
            "count_accuracy": _rounded(self.count_accuracy),
            "truth": self.truth, "predicted": self.predicted, "matched": self.matched,
            "missed": list(self.missed), "extra": list(self.extra),
        }  # fmt: skip


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def read_truth(path: str | os.PathLike[str]) -> pd.DataFrame:
    """Read a truth table; it needs the columns doc, event_type, lat and lon.

    Raises
    ------
    InvalidInputError
        When a column is missing, the table has no rows, or a cell of lat, lon,
        count or geonameid holds something other than a number (empty cells
        are fine): the message names the file, the line and the column.
    """
    import pandas as pd

    from ..tables import read_table

    frame = read_table(path)
    missing = [c for c in _TRUTH_COLUMNS if c not in frame.columns]
    if missing:
        raise InvalidInputError(f"{path}: a truth table needs the column(s) {', '.join(missing)}; "
                                f"it has {', '.join(map(str, frame.columns))}")  # fmt: skip
    if not len(frame):
        raise InvalidInputError(f"{path}: the truth table has no rows")
    for column in (c for c in _NUMBER_COLUMNS if c in frame.columns):
        given = frame[column].map(lambda v: None if pd.isna(v) or str(v).strip() == "" else v)
        numbers = pd.to_numeric(given, errors="coerce")
        wrong = given.notna() & numbers.isna()
        if wrong.any():
            row = int(wrong.to_numpy().nonzero()[0][0])
            raise InvalidInputError(f"{path}, line {row + 2}: {column} is not a number: "
                                    f"{given.iloc[row]!r}")  # fmt: skip
        frame[column] = numbers
    return frame


def evaluate(predicted: pd.DataFrame, truth: pd.DataFrame) -> Evaluation:
    """Score a sites layer (``geo-sites sites`` columns) against a truth table.

    Raises
    ------
    InvalidInputError
        When the truth table has no rows: there is nothing to score against.
    """
    answers = list(_truth_units(truth))
    if not answers:
        raise InvalidInputError("the truth table has no rows", parameter="truth")
    guesses = list(_predicted_units(predicted))
    matched = 0
    free = list(guesses)
    missed = []
    pairs: list[tuple[_Unit, _Unit]] = []
    for answer in answers:
        best = _closest(answer, (g for g in free if _agrees(g, answer, with_type=True)))
        if best is None:
            missed.append(answer.label)
            continue
        free.remove(best)
        pairs.append((answer, best))
        matched += 1
    same_type = [a for a in answers if any(g.doc == a.doc and g.event_type == a.event_type
                                           for g in guesses)]  # fmt: skip
    placed = [a for a in same_type if any(_agrees(g, a, with_type=True) for g in guesses)]
    same_place = [a for a in answers if any(_agrees(g, a, with_type=False) for g in guesses)]
    typed = [a for a in same_place if any(_agrees(g, a, with_type=True) for g in guesses)]
    counted = [(a, g) for a, g in pairs if a.count is not None]
    right = [(a, g) for a, g in counted if a.count in g.figures]
    return Evaluation(
        truth=len(answers), predicted=len(guesses), matched=matched,
        place_accuracy=_share(placed, same_type), event_type_accuracy=_share(typed, same_place),
        count_accuracy=_share(right, counted), missed=tuple(missed),
        extra=tuple(g.label for g in free),
    )  # fmt: skip


def _share(part: list[Any], whole: list[Any]) -> float | None:
    return len(part) / len(whole) if whole else None


def _agrees(guess: _Unit, answer: _Unit, *, with_type: bool) -> bool:
    if guess.doc != answer.doc or (with_type and guess.event_type != answer.event_type):
        return False
    if guess.geonameid is not None and guess.geonameid == answer.geonameid:
        return True
    distance = _km(guess, answer)
    return distance is not None and distance <= PLACE_KM


def _closest(answer: _Unit, guesses: Iterable[_Unit]) -> _Unit | None:
    """The nearest guess; of equally near ones, one that gives the answer's count."""
    return min(guesses, key=lambda g: (_km(g, answer) or 0.0, answer.count not in g.figures),
               default=None)  # fmt: skip


def _km(a: _Unit, b: _Unit) -> float | None:
    if a.lat is None or a.lon is None or b.lat is None or b.lon is None:
        return None
    return haversine_km(a.lat, a.lon, b.lat, b.lon)


def _predicted_units(frame: pd.DataFrame) -> Iterable[_Unit]:
    for row in frame.to_dict("records"):
        documents = []
        for source in json.loads(row.get(SOURCES_JSON) or "[]"):
            document = source.get("document")
            if document and Path(document).name not in documents:
                documents.append(Path(document).name)
        figures = frozenset(int(v) for c in (COUNT, COUNT_LOW, COUNT_HIGH)
                            if _number(v := row.get(c)))  # fmt: skip
        figures |= frozenset(_figures(row.get(COUNTS)))
        what = f"{row.get(EVENT_TYPE)} at {row.get(NAME)}"
        for document in documents:
            yield _Unit(document, str(row.get(EVENT_TYPE)), _float(row.get(LAT)),
                        _float(row.get(LON)), _int(row.get(GEONAMEID)), figures,
                        label=f"{document}: {what}")  # fmt: skip


def _truth_units(frame: pd.DataFrame) -> Iterable[_Unit]:
    for row in frame.to_dict("records"):
        count = row.get("count")
        yield _Unit(str(row["doc"]), str(row["event_type"]), _float(row.get("lat")),
                    _float(row.get("lon")), _int(row.get("geonameid")),
                    count=int(count) if _number(count) else None,
                    label=f"{row['doc']}: {row['event_type']} at "
                          f"{row.get('site') or row.get('place_as_written')}")  # fmt: skip


def _figures(text: object) -> Iterable[int]:
    import re

    return (int(n) for n in re.findall(r"\d+", text)) if isinstance(text, str) else ()


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value))


def _float(value: object) -> float | None:
    return float(value) if _number(value) else None  # type: ignore[arg-type]


def _int(value: object) -> int | None:
    return int(value) if _number(value) else None  # type: ignore[call-overload]
