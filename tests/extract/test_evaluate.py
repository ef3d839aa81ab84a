from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner

from geo_sites.cli import cli
from geo_sites.exceptions import InvalidInputError
from geo_sites.extract.evaluate import (
    PLACE_KM,
    Evaluation,
    Share,
    evaluate,
    read_not_incident,
    read_truth,
)
from geo_sites.gazetteer.boundaries import representative_point

IZIUM = (49.2069, 37.2768)  # Kharkiv Oblast
BUCHA = (50.5435, 30.2120)  # Kyiv Oblast
KYIV = (50.4501, 30.5234)  # the city-unit
KM = 12742 / 2 * 3.141592653589793 / 180  # a degree of latitude in kilometres


def _truth(tmp_path: Path, text: str, name: str = "truth.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def _layer(*rows: dict[str, object]) -> gpd.GeoDataFrame:
    """Predicted sites: place_name, event_type, lat, lon, document; precision settlement."""
    frame = pd.DataFrame([{"precision": "settlement", "geonameid": None, **row} for row in rows])
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]),
                            crs=4326)  # fmt: skip


def _at(
    name: str, point: tuple[float, float], document: str = "a.txt", **more: object
) -> dict[str, object]:
    return {"place_name": name, "lat": point[0], "lon": point[1], "document": document,
            "event_type": "shelling", **more}  # fmt: skip


def _figures(scores: Evaluation) -> tuple[tuple[int, int], ...]:
    """The four headline figures, as (right, total)."""
    shares = (scores.place_recall, scores.site_recall, scores.place_precision,
              scores.site_precision)  # fmt: skip
    return tuple((s.right, s.total) for s in shares)


def test_an_oblast_is_found_by_a_region_level_prediction_inside_its_polygon(
    tmp_path: Path,
) -> None:
    truth = read_truth(_truth(tmp_path, (
        "file,canonical_place,oblast,level,lat,lon,event_type,role\n"
        "a.txt,Kharkiv Oblast,Kharkiv Oblast,oblast,,,torture_site,primary\n"
        "a.txt,Kyiv,Kyiv (city),oblast,,,shelling,primary\n"
        "b.txt,Kharkiv Oblast,Kharkivska,oblast,,,torture_site,primary\n"
        "c.txt,Kyiv Oblast,Kyiv Oblast,oblast,,,shelling,secondary\n"
    )))  # fmt: skip
    scores = evaluate(_layer(
        _at("Kharkiv Oblast", IZIUM, event_type="torture_site", precision="admin1"),
        _at("Kyiv", KYIV, precision="admin1"),  # the city-unit, at region level
        _at("Izium", IZIUM, "b.txt", event_type="torture_site"),  # in the oblast, but a town
        _at("Kyiv", KYIV, "c.txt", precision="admin2"),  # Kyiv City is not Kyiv Oblast
    ), truth)  # fmt: skip
    assert _figures(scores) == ((2, 4), (2, 4), (2, 4), (2, 4))
    assert scores.missed_places == ("b.txt: Kharkiv Oblast (oblast)", "c.txt: Kyiv Oblast (oblast)")
    assert scores.wrong_places == ("b.txt: Izium (no place of the truth)",
                                   "c.txt: Kyiv (region) (no place of the truth)")  # fmt: skip


def test_a_seed_shaped_oblast_is_the_oblast_of_its_point(tmp_path: Path) -> None:
    truth = read_truth(_truth(tmp_path, (
        "doc,site,geonameid,lat,lon,precision,event_type\n"
        "a.txt,Kharkiv Oblast,706482,49.5,36.5,admin1,torture_site\n"
    )))  # fmt: skip
    corner = representative_point("UA", "07")
    assert corner is not None
    found = evaluate(_layer(_at("Kharkiv Oblast", corner, precision="admin1",
                                event_type="torture_site")), truth)  # fmt: skip
    assert _figures(found) == ((1, 1), (1, 1), (1, 1), (1, 1))
    elsewhere = evaluate(_layer(_at("Donetsk Oblast", (48.7233, 37.5563), precision="admin1",
                                    event_type="torture_site")), truth)  # fmt: skip
    assert _figures(elsewhere) == ((0, 1), (0, 1), (0, 1), (0, 1))


def test_a_settlement_is_found_within_15_km(tmp_path: Path) -> None:
    rows = [f"{d},Izium,{IZIUM[0]},{IZIUM[1]},shelling" for d in ("a.txt", "b.txt", "c.txt")]
    truth = read_truth(_truth(tmp_path, "\n".join(["file,canonical_place,lat,lon,event_type",
                                                   *rows])))  # fmt: skip
    assert PLACE_KM == 15
    scores = evaluate(_layer(
        _at("near Izium", (IZIUM[0] + 14 / KM, IZIUM[1])),
        _at("far from Izium", (IZIUM[0] + 16 / KM, IZIUM[1]), "b.txt"),
        _at("Izium", IZIUM, "c.txt", precision="admin2"),  # any level finds a point
    ), truth)  # fmt: skip
    assert _figures(scores) == ((2, 3), (2, 3), (2, 3), (2, 3))
    assert scores.missed_places == (f"b.txt: Izium ({IZIUM[0]:.2f}, {IZIUM[1]:.2f})",)


def test_a_background_place_is_not_wanted_but_is_a_place(tmp_path: Path) -> None:
    truth = read_truth(_truth(tmp_path, (
        "file,canonical_place,lat,lon,event_type,role\n"
        f"a.txt,Izium,{IZIUM[0]},{IZIUM[1]},killing,primary\n"
        f"a.txt,Bucha,{BUCHA[0]},{BUCHA[1]},killing,background\n"
        "a.txt,Mykulychi,,,killing,primary\n"  # no point: not scored
    )))  # fmt: skip
    scores = evaluate(_layer(_at("Izium", IZIUM, event_type="killing"),
                             _at("Bucha", BUCHA, event_type="execution")), truth)  # fmt: skip
    assert _figures(scores) == ((1, 1), (1, 1), (2, 2), (2, 2))  # execution is a killing
    assert scores.rows_without_place == 1


def test_a_place_the_not_incident_table_names_is_wrong(tmp_path: Path) -> None:
    truth = read_truth(_truth(tmp_path, (
        "file,canonical_place,lat,lon,event_type\n"
        f"a.txt,Izium,{IZIUM[0]},{IZIUM[1]},shelling\n"
        f"b.txt,Izium,{IZIUM[0]},{IZIUM[1]},shelling\n"
    )))  # fmt: skip
    listed = read_not_incident(_truth(tmp_path, (
        "file,place_as_written,canonical_place,why_not_an_incident_site\n"
        "a.txt,IZIUM,IZIUM,a place the report is written from\n"
    ), "not_incident.csv"))  # fmt: skip
    layer = _layer(_at("Izium", IZIUM), _at("Izium", IZIUM, "b.txt"))
    scores = evaluate(layer, truth, listed)
    assert _figures(scores) == ((2, 2), (2, 2), (1, 2), (1, 2))  # only a.txt's is wrong
    assert scores.wrong_places == ("a.txt: Izium (named as no incident's site)",)
    assert _figures(evaluate(layer, truth)) == ((2, 2), (2, 2), (2, 2), (2, 2))


def test_the_document_column_is_file_or_doc(tmp_path: Path) -> None:
    rows = f"a.txt,Izium,{IZIUM[0]},{IZIUM[1]},mass_grave\n"
    layer = _layer(_at("Izium", IZIUM, event_type="exhumation"), _at("Izium", IZIUM, "b.txt"))
    scores = [evaluate(layer, read_truth(_truth(tmp_path, f"{column},site,lat,lon,event_type\n"
                                                + rows)))
              for column in ("file", "doc")]  # fmt: skip
    assert scores[0] == scores[1]
    assert _figures(scores[0]) == ((1, 1), (1, 1), (1, 1), (1, 1))  # b.txt is no truth document
    assert scores[0].other_documents == ("b.txt",)


def test_predictions_are_one_a_document_and_place(tmp_path: Path) -> None:
    truth = read_truth(_truth(tmp_path, (
        "doc,site,geonameid,lat,lon,event_type,count\n"
        f"a.txt,Izium grave,707292,{IZIUM[0]},{IZIUM[1]},mass_grave,440\n"
        f"a.txt,Izium,707292,{IZIUM[0]},{IZIUM[1]},shelling,\n"
        f"a.txt,Bucha,,{BUCHA[0]},{BUCHA[1]},killing,17\n"
    )))  # fmt: skip
    sources = json.dumps([{"document": "/reports/a.txt"}, {"document": "/reports/z.txt"}])
    scores = evaluate(_layer(
        # one GeoNames id: one prediction, where the first row puts it, of both families
        _at("Izium", IZIUM, geonameid=707292, event_type="exhumation", count=447,
            count_low=440, count_high=447),
        _at("Izium", (IZIUM[0] + 1, IZIUM[1]), geonameid=707292),
        # the same point to 0.01 degree: one prediction; a sites layer names its sources
        {**_at("Bucha", BUCHA, event_type="killing", counts="bodies 12"), "document": None,
         "sources_json": sources},
        _at("Bucha", (BUCHA[0] - 0.002, BUCHA[1]), event_type="torture_site"),
    ), truth)  # fmt: skip
    assert _figures(scores) == ((2, 2), (3, 3), (2, 2), (3, 4))
    assert scores.wrong_event_types == ("a.txt: torture at Bucha",)
    assert scores.count_accuracy == Share(1, 2)  # 440 is Izium's low; Bucha gives 12, not 17
    assert scores.event_type_accuracy == Share(3, 3)
    assert scores.other_documents == ("z.txt",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("doc,site\na.txt,Izium\n",
         "truth.csv: a truth table needs the column(s) event_type, lat, lon; it has doc, site"),
        ("place,event_type,lat,lon\nIzium,killing,49.2,37.3\n",
         "truth.csv: a truth table needs the column(s) file or doc; it has place, event_type"),
        ("doc,event_type,lat,lon\n", "truth.csv: a truth table has no rows"),
        ("", "truth.csv"),
        ("doc,event_type,lat,lon\na.txt,killing,49.2,37.3\nb.txt,killing,north,37.3\n",
         "truth.csv, line 3: lat is not a number: 'north'"),
        ("doc,event_type,lat,lon,count\na.txt,killing,49.2,37.3,dozens\n",
         "truth.csv, line 2: count is not a number: 'dozens'"),
        ("doc,event_type,lat,lon,geonameid\na.txt,killing,49.2,37.3,x7\n",
         "truth.csv, line 2: geonameid is not a number: 'x7'"),
        ("doc,event_type,lat,lon\na.txt,killing,49.2,\n",
         "truth.csv, line 2: lat and lon go together; one is empty"),
        ("doc,event_type,lat,lon\na.txt,killing,95.2,37.3\n",
         "truth.csv, line 2: coordinates out of range (lat 95.2, lon 37.3)"),
        ("file,event_type,lat,lon\na.txt,killing,49.2,37.3\n,killing,49.2,37.3\n",
         "truth.csv, line 3: file is empty"),
        ("file,event_type,level,oblast,lat,lon\na.txt,shelling,oblast,Narnia Oblast,,\n",
         "truth.csv, line 2: oblast: no oblast of Ukraine is named 'Narnia Oblast'"),
    ],
)  # fmt: skip
def test_a_bad_truth_table_is_refused_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=re.escape(message)) as caught:
        read_truth(_truth(tmp_path, text))
    assert "\n" not in str(caught.value)


def test_a_not_incident_table_needs_its_columns(tmp_path: Path) -> None:
    path = _truth(tmp_path, "file,place\na.txt,Kyiv\n", "not_incident.csv")
    with pytest.raises(InvalidInputError, match="not_incident.csv: a not-incident table needs "
                                                r"the column\(s\) canonical_place"):  # fmt: skip
        read_not_incident(path)


def test_truth_without_rows_scores_nothing() -> None:
    with pytest.raises(InvalidInputError, match="the truth table has no rows"):
        evaluate(_layer(_at("Izium", IZIUM)), ())


# ---------------------------------------------------------------------------
# The same figures as the project's judge, on the shared corpora.

_JUDGE = re.compile(
    r"place recall \S+ \((\d+)/(\d+)\), site recall \S+ \((\d+)/(\d+)\), "
    r"place precision \S+ \((\d+)/(\d+)\), site precision \S+ \((\d+)/(\d+)\)"
)


def _extract(paths: list[Path], out: Path, home: Path) -> Path:
    result = CliRunner(env={"GEO_SITES_HOME": str(home)}).invoke(
        cli, ["extract", *map(str, paths), "-o", str(out), "-q"]
    )
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def dev_layer(shared: Path, default_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dev") / "dev.geojson"
    return _extract([shared / "eval" / "dev_reports"], out, default_home)


@pytest.fixture(scope="module")
def seed_layer(shared: Path, default_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("seed") / "seed.geojson"
    return _extract(sorted((shared / "seeds").glob("*.txt")), out, default_home)


@pytest.mark.shared
@pytest.mark.parametrize(
    ("layer", "tables"),
    [("dev_layer", ("dev_truth.csv", "dev_not_incident.csv")), ("seed_layer", ("seed_sites.csv",))],
)
def test_the_figures_are_the_judges(
    request: pytest.FixtureRequest, shared: Path, layer: str, tables: tuple[str, ...]
) -> None:
    predicted: Path = request.getfixturevalue(layer)
    truth, *not_incident = (shared / "eval" / name for name in tables)
    judged = subprocess.run(
        [sys.executable, shared / "tools" / "score_extract.py", predicted, truth, *not_incident,
         "--verbose"], capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert judged.returncode in (0, 1), judged.stderr
    found = _JUDGE.search(judged.stdout)
    assert found, judged.stdout
    figures = tuple(map(int, found.groups()))
    options = [arg for path in not_incident for arg in ("--not-incident", str(path))]
    result = CliRunner().invoke(
        cli, ["evaluate", str(predicted), str(truth), *options, "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    ours = tuple(n for key in ("place_recall", "site_recall", "place_precision", "site_precision")
                 for n in (scores[key]["right"], scores[key]["total"]))  # fmt: skip
    assert ours == figures
    assert scores["other_documents"] == []  # every document predicted is in the truth
