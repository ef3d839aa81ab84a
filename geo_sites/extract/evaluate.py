"""Scoring predicted places and sites against a truth table, document by document.

The units are those of the project's judge (``tools/score_extract.py`` of the
shared evaluation folder), so that both give the same figures:

* a **truth place** is a place one document reports: a settlement row is its
  point, found by a prediction within :data:`PLACE_KM`; an oblast-level row
  (``level`` oblast, or ``precision`` admin1) is the oblast (its ``oblast``
  cell, else the oblast its point lies in), found by a region-level
  prediction (:data:`REGION_PRECISIONS`) whose point lies inside that
  oblast's polygon (:mod:`geo_sites.gazetteer.boundaries`);
* a **truth site** is a truth place with an event family (:data:`FAMILIES`);
* rows whose ``role`` is background are not wanted, but are places of their
  document; rows without a point that are not oblast-level are not scored;
* a **prediction** is a place one document names: the predicted sites of a
  document at one GeoNames id (else at one point rounded to 0.01 degree) are
  one prediction, with the event families of all of them and the name,
  level and point of the first;
* **place recall** and **site recall**: the truth places and truth sites
  found; **place precision**: the predictions at a truth place of their
  document (background rows too) that the not-incident table does not list
  for it; **site precision**: the same for each event family of a
  prediction, which must also be a family of that truth place;
* **event-type accuracy**: of the truth sites at the truth places found, the
  share found; **count accuracy**: of the truth rows with a count whose site
  was found, the share whose figure one of the predictions gives.

A prediction belongs to the truth document its ``document`` (an incidents
layer) or one of its sources (``sources_json``, a sites layer) names, by
file name; predictions of other documents are not scored, and are named.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeGuard

from ..exceptions import InvalidInputError
from ..gazetteer.boundaries import admin1_at, admin1_named
from ..incidents.columns import (
    COUNT,
    COUNT_HIGH,
    COUNT_LOW,
    COUNTS,
    DOCUMENT,
    EVENT_TYPE,
    GEONAMEID,
    PLACE_AS_WRITTEN,
    PLACE_NAME,
    PRECISION,
    SOURCES_JSON,
)
from ..models import check_point, haversine_km

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd

__all__ = [
    "FAMILIES",
    "PLACE_KM",
    "REGION_PRECISIONS",
    "Evaluation",
    "Share",
    "TruthOblast",
    "TruthPlace",
    "TruthPoint",
    "TruthRow",
    "evaluate",
    "read_not_incident",
    "read_truth",
]

#: How near a prediction must lie to a settlement of the truth.
PLACE_KM = 15.0
#: The event family of an event type; a type not listed is its own family.
FAMILIES = {
    "mass_grave": "grave", "burial_site": "grave", "exhumation": "grave",
    "bodies_found": "bodies", "deaths_under_occupation": "killing", "killed_citywide": "killing",
    "torture_chamber": "torture", "torture_site": "torture", "detention_site": "detention",
    "shelling": "strike", "missile_strike": "strike", "airstrike": "strike",
    "air_strike": "strike", "strike": "strike", "strikes_on_civilian_buildings": "strike",
    "prison_explosion": "strike", "shooting_sites": "killing", "killing": "killing",
    "execution": "killing", "atrocities_unspecified": "killing", "destruction": "destruction",
}  # fmt: skip
#: The precisions of a prediction that name a region, not a point.
REGION_PRECISIONS = frozenset({"admin1", "admin2", "country", "region", "oblast"})
#: The country whose first-level units (oblasts) the truth names.
_COUNTRY = "UA"
_DOCUMENT_COLUMNS = ("file", "doc")
_NUMBER_COLUMNS = ("lat", "lon", "count", "geonameid")


def _family(event_type: str) -> str:
    """Return the event family of *event_type* ("air_strike": "strike")."""
    key = event_type.strip().lower()
    return FAMILIES.get(key, key)


@dataclass(frozen=True, slots=True)
class TruthPoint:
    """A settlement of the truth: found by a prediction within :data:`PLACE_KM`."""

    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class TruthOblast:
    """An oblast of the truth, by its admin1 code: found by a region-level prediction in it."""

    admin1: str


TruthPlace = TruthPoint | TruthOblast


@dataclass(frozen=True, slots=True)
class TruthRow:
    """One row of a truth table, as scored; ``place`` is None for a row not scored."""

    line: int
    document: str
    place: TruthPlace | None
    family: str
    background: bool
    count: int | None
    label: str


@dataclass(frozen=True, slots=True)
class _Prediction:
    """The predicted sites of one document at one place: the first one's place, every family."""

    document: str
    label: str
    region: bool
    lat: float
    lon: float
    admin1: str | None
    families: dict[str, frozenset[int]]  # the counts of each event family, in the order met


@dataclass(frozen=True, slots=True)
class Share:
    """*right* of *total*; the share is None when there is nothing to count."""

    right: int
    total: int

    @property
    def share(self) -> float | None:
        return self.right / self.total if self.total else None

    def __str__(self) -> str:
        return f"{'n/a' if self.share is None else f'{self.share:.2f}'} ({self.right}/{self.total})"

    def to_dict(self) -> dict[str, Any]:
        share = self.share
        return {"share": None if share is None else round(share, 4), "right": self.right,
                "total": self.total}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Evaluation:
    """The scores, and what was missed or wrong, each item a line naming its document."""

    place_recall: Share
    site_recall: Share
    place_precision: Share
    site_precision: Share
    event_type_accuracy: Share
    count_accuracy: Share
    missed_places: tuple[str, ...] = field(default=())
    wrong_places: tuple[str, ...] = field(default=())
    wrong_event_types: tuple[str, ...] = field(default=())  # at right places
    rows_without_place: int = 0  # truth rows not scored
    other_documents: tuple[str, ...] = field(default=())  # predicted, not in the truth

    def to_dict(self) -> dict[str, Any]:
        return {
            "place_recall": self.place_recall.to_dict(),
            "site_recall": self.site_recall.to_dict(),
            "place_precision": self.place_precision.to_dict(),
            "site_precision": self.site_precision.to_dict(),
            "event_type_accuracy": self.event_type_accuracy.to_dict(),
            "count_accuracy": self.count_accuracy.to_dict(),
            "missed_places": list(self.missed_places),
            "wrong_places": list(self.wrong_places),
            "wrong_event_types": list(self.wrong_event_types),
            "rows_without_place": self.rows_without_place,
            "other_documents": list(self.other_documents),
        }


def read_truth(path: str | os.PathLike[str]) -> tuple[TruthRow, ...]:
    """Read a truth table, shaped like ``eval/seed_sites.csv`` or ``eval/dev_truth.csv``.

    It needs a document column (``file`` or ``doc``: a report's file name),
    ``event_type``, ``lat`` and ``lon``; it may have ``level``,
    ``precision``, ``oblast``, ``role``, ``count``, ``geonameid`` and names
    (``canonical_place``, ``site``, ``place_as_written``).

    Raises
    ------
    InvalidInputError
        When a column is missing, the table has no rows, a cell of lat, lon,
        count or geonameid holds something other than a number (empty cells
        are fine), a point is off the globe or half given, or an oblast-level
        row names no oblast: the message names the file, the line and the column.
    """
    frame = _read(path, "a truth table", ("event_type", "lat", "lon"))
    document = _document_column(frame)
    rows = []
    for number, row in enumerate(frame.to_dict("records"), start=2):
        where = f"{path}, line {number}"
        name = _text(row[document])
        if name is None:
            raise InvalidInputError(f"{where}: {document} is empty")
        rows.append(TruthRow(
            line=number, document=name, place=_truth_place(row, where),
            family=_family(_text(row.get("event_type")) or ""),
            background=(_text(row.get("role")) or "").lower() == "background",
            count=int(row["count"]) if _number(row.get("count")) else None,
            label=next(filter(None, (_text(row.get(c)) for c in (
                "canonical_place", "site", "place_as_written", "oblast"))), "?"),
        ))  # fmt: skip
    return tuple(rows)


def read_not_incident(path: str | os.PathLike[str]) -> dict[str, frozenset[str]]:
    """Read a table of places named in documents that are no incident's site.

    It needs a document column (``file`` or ``doc``) and ``canonical_place``;
    ``eval/dev_not_incident.csv`` is one.  Returns the places of each
    document, case-folded.

    Raises
    ------
    InvalidInputError
        When a column is missing: the message names the file.
    """
    frame = _read(path, "a not-incident table", ("canonical_place",))
    document = _document_column(frame)
    places: dict[str, set[str]] = defaultdict(set)
    for row in frame.to_dict("records"):
        name = _text(row.get("canonical_place"))
        if name:
            places[str(row[document]).strip()].add(name.casefold())
    return {doc: frozenset(names) for doc, names in places.items()}


def _read(path: str | os.PathLike[str], what: str, needs: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd

    from ..tables import read_table

    frame = read_table(path)
    columns = [str(c) for c in frame.columns]
    missing = [c for c in needs if c not in columns]
    if not set(_DOCUMENT_COLUMNS) & set(columns):
        missing.insert(0, " or ".join(_DOCUMENT_COLUMNS))
    if missing:
        raise InvalidInputError(f"{path}: {what} needs the column(s) {', '.join(missing)}; "
                                f"it has {', '.join(columns)}")  # fmt: skip
    if not len(frame):
        raise InvalidInputError(f"{path}: {what} has no rows")
    for column in (c for c in _NUMBER_COLUMNS if c in columns):
        given = frame[column].map(lambda v: None if pd.isna(v) or str(v).strip() == "" else v)
        numbers = pd.to_numeric(given, errors="coerce")
        wrong = given.notna() & numbers.isna()
        if wrong.any():
            row = int(wrong.to_numpy().nonzero()[0][0])
            raise InvalidInputError(f"{path}, line {row + 2}: {column} is not a number: "
                                    f"{given.iloc[row]!r}")  # fmt: skip
        frame[column] = numbers.astype("float64")
    return frame


def _document_column(frame: pd.DataFrame) -> str:
    return next(c for c in _DOCUMENT_COLUMNS if c in frame.columns)


def _truth_place(row: dict[str, Any], where: str) -> TruthPlace | None:
    lat, lon = row.get("lat"), row.get("lon")
    if _number(lat) != _number(lon):
        raise InvalidInputError(f"{where}: lat and lon go together; one is empty")
    point = check_point(lat, lon, where) if _number(lat) else None
    level, precision = ((_text(row.get(c)) or "").lower() for c in ("level", "precision"))
    if level != "oblast" and precision != "admin1":
        return None if point is None else TruthPoint(*point)
    oblast = _text(row.get("oblast"))
    if oblast:
        code = admin1_named(_COUNTRY, oblast)
        if code is None:
            raise InvalidInputError(f"{where}: oblast: no oblast of Ukraine is named {oblast!r}")
    else:
        code = None if point is None else admin1_at(_COUNTRY, *point)
    return None if code is None else TruthOblast(code)


def evaluate(
    predicted: gpd.GeoDataFrame,
    truth: Iterable[TruthRow],
    not_incident: dict[str, frozenset[str]] | None = None,
) -> Evaluation:
    """Score the predicted sites (a sites or incidents layer) against a truth table.

    Parameters
    ----------
    predicted : geopandas.GeoDataFrame
        A layer of ``geo-sites sites`` or ``geo-sites extract``: point
        geometry, ``event_type``, ``precision``, ``geonameid``,
        ``place_name`` and ``document`` or ``sources_json``.
    truth : iterable of TruthRow
        From :func:`read_truth`.
    not_incident : dict, optional
        From :func:`read_not_incident`: predictions of these places are wrong.

    Raises
    ------
    InvalidInputError
        When the truth has no rows, or a ``sources_json`` cell is not a list
        of sources.
    """
    rows = tuple(truth)
    if not rows:
        raise InvalidInputError("the truth table has no rows", parameter="truth")
    listed = not_incident or {}
    placed: dict[str, list[tuple[TruthRow, TruthPlace]]] = defaultdict(list)
    for row in rows:
        if row.place is not None:
            placed[row.document].append((row, row.place))
    predictions, others = _predictions(predicted, {row.document for row in rows})

    wanted = [(r, place) for pairs in placed.values() for r, place in pairs if not r.background]
    places: dict[tuple[str, TruthPlace], TruthRow] = {}
    for r, place in wanted:
        places.setdefault((r.document, place), r)  # the first row names the place
    sites = {(r.document, place, r.family) for r, place in wanted}
    found_places = {(d, place) for d, place in places
                    if any(_at(place, p) for p in predictions[d])}  # fmt: skip
    found_sites = {(d, place, fam) for d, place, fam in sites
                   if any(_at(place, p) and fam in p.families for p in predictions[d])}  # fmt: skip

    right = right_sites = all_sites = 0
    wrong_places, wrong_types = [], []
    for document, guesses in sorted(predictions.items()):
        for guess in guesses:
            families = {r.family for r, place in placed[document] if _at(place, guess)}
            named = guess.label.casefold() in listed.get(document, ())
            ok = bool(families) and not named
            right += ok
            if not ok:
                why = "named as no incident's site" if families else "no place of the truth"
                wrong_places.append(f"{document}: {_name(guess)} ({why})")
            for fam in guess.families:
                all_sites += 1
                right_sites += ok and fam in families
                if ok and fam not in families:
                    wrong_types.append(f"{document}: {fam} at {_name(guess)}")

    at_found = [s for s in sites if s[:2] in found_places]
    counted = [(r, place) for r, place in wanted
               if r.count is not None and (r.document, place, r.family) in found_sites]  # fmt: skip
    counted_right = [r for r, place in counted if any(
        _at(place, p) and r.count in p.families.get(r.family, ()) for p in predictions[r.document]
    )]  # fmt: skip
    missed = sorted((pair for pair in places.items() if pair[0] not in found_places),
                    key=lambda pair: (pair[1].document, pair[1].line))  # fmt: skip
    return Evaluation(
        place_recall=Share(len(found_places), len(places)),
        site_recall=Share(len(found_sites), len(sites)),
        place_precision=Share(right, sum(map(len, predictions.values()))),
        site_precision=Share(right_sites, all_sites),
        event_type_accuracy=Share(len(found_sites), len(at_found)),
        count_accuracy=Share(len(counted_right), len(counted)),
        missed_places=tuple(f"{d}: {r.label} ({_where(place)})" for (d, place), r in missed),
        wrong_places=tuple(wrong_places), wrong_event_types=tuple(wrong_types),
        rows_without_place=sum(r.place is None for r in rows), other_documents=others,
    )  # fmt: skip


def _at(place: TruthPlace, guess: _Prediction) -> bool:
    """Whether *guess* finds *place*: in its oblast at region level, or within PLACE_KM."""
    if isinstance(place, TruthOblast):
        return guess.region and guess.admin1 == place.admin1
    return haversine_km(place.lat, place.lon, guess.lat, guess.lon) <= PLACE_KM


def _name(guess: _Prediction) -> str:
    return f"{guess.label} (region)" if guess.region else guess.label


def _where(place: TruthPlace) -> str:
    return "oblast" if isinstance(place, TruthOblast) else f"{place.lat:.2f}, {place.lon:.2f}"


def _predictions(
    frame: gpd.GeoDataFrame, documents: set[str]
) -> tuple[dict[str, list[_Prediction]], tuple[str, ...]]:
    """The predictions of each truth document, in order; the other documents named."""
    firsts: dict[tuple[str, object], dict[str, Any]] = {}
    others: dict[str, None] = {}
    rows = zip(frame.to_dict("records"), frame.geometry, strict=True)
    for number, (row, point) in enumerate(rows, start=1):
        if point is None or point.is_empty or point.geom_type != "Point":
            continue
        lat, lon = point.y, point.x
        geonameid = row.get(GEONAMEID)
        key = int(geonameid) if _number(geonameid) and geonameid else (round(lat, 2), round(lon, 2))
        event = _family(_text(row.get(EVENT_TYPE)) or "")
        figures = _figures(row)
        for document in _documents(row, number):
            if document not in documents:
                others.setdefault(document)
                continue
            first = firsts.setdefault((document, key), {
                "document": document, "lat": lat, "lon": lon, "families": {},
                "label": _text(row.get(PLACE_NAME)) or _text(row.get(PLACE_AS_WRITTEN)) or "",
                "region": (_text(row.get(PRECISION)) or "").lower() in REGION_PRECISIONS,
            })  # fmt: skip
            first["families"][event] = first["families"].get(event, frozenset()) | figures
    predictions: dict[str, list[_Prediction]] = defaultdict(list)
    for first in firsts.values():
        admin1 = admin1_at(_COUNTRY, first["lat"], first["lon"])
        predictions[first["document"]].append(_Prediction(admin1=admin1, **first))
    return predictions, tuple(sorted(others))


def _documents(row: dict[str, Any], number: int) -> list[str]:
    """The file names of the documents a predicted row names: its own, or its sources'."""
    names = [_text(row.get(DOCUMENT))]
    sources = _text(row.get(SOURCES_JSON))
    if sources:
        try:
            names += [s.get("document") for s in json.loads(sources)]
        except (ValueError, TypeError, AttributeError):
            raise InvalidInputError(
                f"row {number}: sources_json is not a list of sources: {sources[:80]!r}",
                parameter="predicted",
            ) from None
    return list(dict.fromkeys(Path(n).name for n in names if isinstance(n, str) and n))


def _figures(row: dict[str, Any]) -> frozenset[int]:
    """The numbers a predicted row gives: its count, low and high, and every count."""
    numbers = {int(v) for c in (COUNT, COUNT_LOW, COUNT_HIGH) if _number(v := row.get(c))}
    counts = row.get(COUNTS)
    if isinstance(counts, str):
        numbers.update(int(n) for n in re.findall(r"\d+", counts))
    return frozenset(numbers)


def _text(value: object) -> str | None:
    """A cell as text; None for an empty or missing one."""
    import pandas as pd

    if value is None or pd.isna(value):
        return None
    return str(value).strip() or None


def _number(value: object) -> TypeGuard[float]:
    """Whether *value* is a finite number (a float or an int, not a bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
