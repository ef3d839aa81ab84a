from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geo_sites.exceptions import InvalidInputError
from geo_sites.extract.evaluate import evaluate, read_truth

TRUTH = pd.DataFrame([
    {"doc": "a.txt", "site": "Izium grave", "event_type": "mass_grave", "geonameid": 707292,
     "lat": 49.207, "lon": 37.277, "count": 440},
    {"doc": "a.txt", "site": "Bucha", "event_type": "killing", "geonameid": None,
     "lat": 50.544, "lon": 30.212, "count": None},
    {"doc": "b.txt", "site": "Lyman", "event_type": "mass_grave", "geonameid": None,
     "lat": 48.989, "lon": 37.802, "count": 12},
])  # fmt: skip


def _site(
    name: str, event_type: str, lat: float, lon: float, docs: list[str], **more: object
) -> dict[str, object]:
    sources = json.dumps([{"document": f"/reports/{d}"} for d in docs])
    return {"name": name, "event_type": event_type, "lat": lat, "lon": lon, "geonameid": None,
            "sources_json": sources, "count": None, "count_low": None, "count_high": None,
            "counts": None, **more}  # fmt: skip


def test_matching_by_document_type_and_place() -> None:
    predicted = pd.DataFrame([
        # the same GeoNames id, 40 km off: still the place
        _site("Izium", "mass_grave", 49.5, 37.6, ["a.txt", "b.txt"], geonameid=707292,
              count=447, count_low=440, count_high=447),
        _site("Bucha", "shelling", 50.54, 30.21, ["a.txt"]),  # the place, not the type
        _site("Lyman", "mass_grave", 48.99, 37.80, ["b.txt"], counts="bodies 12"),
    ])  # fmt: skip
    scores = evaluate(predicted, TRUTH)
    assert (scores.truth, scores.predicted, scores.matched) == (3, 4, 2)
    assert scores.recall == pytest.approx(2 / 3) and scores.precision == pytest.approx(2 / 4)
    assert scores.missed == ("a.txt: killing at Bucha",)
    assert set(scores.extra) == {"a.txt: shelling at Bucha", "b.txt: mass_grave at Izium"}
    assert scores.event_type_accuracy == pytest.approx(2 / 3)  # Bucha is at the place, wrong type
    assert scores.count_accuracy == 1.0  # 440 is in Izium's range, 12 among Lyman's counts
    assert scores.place_accuracy == 1.0


def test_of_two_sites_at_one_place_the_one_with_the_count_matches() -> None:
    truth = pd.DataFrame([
        {"doc": "a.txt", "event_type": "mass_grave", "lat": 49.207, "lon": 37.277, "count": 17},
        {"doc": "a.txt", "event_type": "mass_grave", "lat": 49.207, "lon": 37.277, "count": 440},
    ])  # fmt: skip
    predicted = pd.DataFrame([
        _site("Izium", "mass_grave", 49.207, 37.277, ["a.txt"], counts="bodies 440"),
        _site("near Izium", "mass_grave", 49.207, 37.277, ["a.txt"], counts="people 17"),
    ])  # fmt: skip
    scores = evaluate(predicted, truth)
    assert (scores.matched, scores.count_accuracy) == (2, 1.0)


def test_a_truth_table_needs_its_columns(tmp_path: Path) -> None:
    path = tmp_path / "truth.csv"
    path.write_text("doc,site\na.txt,Izium\n", "utf-8")
    with pytest.raises(InvalidInputError, match=r"needs the column\(s\) event_type, lat, lon"):
        read_truth(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("doc,event_type,lat,lon\n", "truth.csv: the truth table has no rows"),
        ("", "truth.csv"),
        ("doc,event_type,lat,lon\na.txt,killing,49.2,37.3\nb.txt,killing,north,37.3\n",
         "truth.csv, line 3: lat is not a number: 'north'"),
        ("doc,event_type,lat,lon,count\na.txt,killing,49.2,37.3,dozens\n",
         "truth.csv, line 2: count is not a number: 'dozens'"),
        ("doc,event_type,lat,lon,geonameid\na.txt,killing,49.2,37.3,x7\n",
         "truth.csv, line 2: geonameid is not a number: 'x7'"),
    ],
)  # fmt: skip
def test_an_empty_or_non_numeric_truth_table_is_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "truth.csv"
    path.write_text(text, "utf-8")
    with pytest.raises(InvalidInputError, match=message.replace("(", r"\(")) as caught:
        read_truth(path)
    assert "\n" not in str(caught.value)


def test_truth_without_rows_scores_nothing() -> None:
    with pytest.raises(InvalidInputError, match="the truth table has no rows"):
        evaluate(pd.DataFrame([_site("Izium", "killing", 49.2, 37.3, ["a.txt"])]), TRUTH[:0])


def test_a_truth_table_with_empty_places_is_read(tmp_path: Path) -> None:
    path = tmp_path / "truth.csv"
    path.write_text("doc,event_type,lat,lon,count\na.txt,killing,,,\nb.txt,killing,49.2,37.3,4\n")
    assert len(read_truth(path)) == 2
