from __future__ import annotations

import csv
import hashlib
import json
import logging
import os
import random
import resource
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from geo_sites.colours import EVENT_COLOURS
from geo_sites.exceptions import InvalidInputError, OutputError, ParameterError
from geo_sites.export import write, writers
from geo_sites.gazetteer import Gazetteer
from geo_sites.incidents import (
    EVENT_TYPES,
    Incident,
    Source,
    locate,
    merge,
    read_sites,
    sites_frame,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "incidents.json"
EXTENSIONS = (".geojson", ".geojsonl", ".gpkg", ".csv", ".kml")
#: Every output format, the new ones too (GDAL here cannot read GeoParquet).
ALL_EXTENSIONS = (*EXTENSIONS, ".fgb", ".parquet", ".shp", ".xlsx")


@pytest.fixture(scope="module")
def frame(gazetteer: Gazetteer) -> gpd.GeoDataFrame:
    """The seed sites plus one unresolved site."""
    nowhere = Incident("Unplaced", "Qwxzvillekrt", "killing", sources=(Source(outlet="X"),))
    sites = read_sites(SEEDS, gazetteer=gazetteer)
    return sites_frame([*sites, *merge(locate([nowhere], gazetteer))])


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_every_format_reads_back_with_gdal(
    frame: gpd.GeoDataFrame, tmp_path: Path, extension: str
) -> None:
    path = write(frame, tmp_path / f"sites{extension}")
    if extension == ".csv":  # a CSV has no CRS: its lon/lat are WGS84 by convention
        back = pyogrio.read_dataframe(path, X_POSSIBLE_NAMES="lon", Y_POSSIBLE_NAMES="lat",
                                      AUTODETECT_TYPE="YES").set_crs(4326)  # fmt: skip
    else:
        back = pyogrio.read_dataframe(path, layer="sites")
    assert len(back) == len(frame)
    assert back.crs.to_epsg() == 4326
    assert back["site_id"].tolist() == frame["site_id"].tolist()
    placed = back.geometry.notna() & ~back.geometry.is_empty
    assert placed.tolist() == frame.geometry.notna().tolist()
    assert back.geometry[placed].is_valid.all()
    assert (back.geometry[placed].geom_type == "Point").all()
    for got, expected in zip(back.geometry[placed], frame.geometry[frame.geometry.notna()],
                             strict=True):  # fmt: skip
        assert abs(got.x - expected.x) < 1e-6 and abs(got.y - expected.y) < 1e-6
    if extension == ".csv":
        info = pyogrio.read_info(path, AUTODETECT_TYPE="YES")
    else:
        info = pyogrio.read_info(path, layer="sites")
    types = dict(zip(info["fields"], info["ogr_types"], strict=True))
    if extension in (".geojson", ".geojsonl", ".gpkg", ".csv"):
        assert types["count"] in ("OFTInteger", "OFTInteger64")
        assert types["geonameid"] in ("OFTInteger", "OFTInteger64")
        assert types["score"] == "OFTReal"
        assert types["name"] == "OFTString"
    if extension == ".gpkg":
        assert types["event_start"] == "OFTDateTime"  # UTC datetimes
    if extension == ".geojson":
        assert types["event_start"] == "OFTDate"


def test_geojson_is_rfc_7946(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = write(frame, tmp_path / "sites.geojson")
    text = path.read_text("utf-8")
    data = json.loads(text)
    assert data["type"] == "FeatureCollection" and "crs" not in data
    assert "Ізюм" in text or "Kharkiv Oblast" in text  # UTF-8 unescaped
    assert "\\u" not in text
    features = data["features"]
    assert {f["geometry"]["type"] for f in features if f["geometry"]} == {"Point"}
    assert features[-1]["geometry"] is None  # the unresolved site
    burial = next(f for f in features if f["properties"]["name"] == "Izium mass burial site")
    props = burial["properties"]
    assert props["count"] == 447 and isinstance(props["count"], int)
    assert '"count": 447,' in text and "447.0" not in text
    for feature in features:
        lon, _lat = feature["geometry"]["coordinates"] if feature["geometry"] else (0, 0)
        assert 22 < lon < 41 or lon == 0
        assert len(repr(lon).split(".")[-1]) <= 6
    dated = next(f["properties"] for f in features if f["properties"]["event_start"])
    assert dated["event_start"] == "2022-03-07" and dated["event_end"] == "2022-03-10"


def test_geojson_sequence(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = write(frame, tmp_path / "sites.geojson", sequence=True)
    lines = path.read_text("utf-8").splitlines()
    assert len(lines) == len(frame)
    assert all(json.loads(line)["type"] == "Feature" for line in lines)
    rs = write(frame, tmp_path / "sites.geojsons")
    assert rs.read_bytes().startswith(b"\x1e")  # RFC 8142 record separators


@pytest.mark.parametrize("extension", ALL_EXTENSIONS)
def test_output_is_byte_identical(frame: gpd.GeoDataFrame, tmp_path: Path, extension: str) -> None:
    first = write(frame, tmp_path / f"a{extension}", layer="sites")
    (tmp_path / "b").mkdir()
    second = write(frame, tmp_path / "b" / f"a{extension}", layer="sites")
    assert _digest(first) == _digest(second)
    for suffix in (".shx", ".dbf", ".prj", ".cpg") if extension == ".shp" else ():
        assert _digest(first.with_suffix(suffix)) == _digest(second.with_suffix(suffix))


def test_geopackage_carries_its_qgis_style(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = write(frame, tmp_path / "sites.gpkg")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone() == (0x47504B47,)  # "GPKG"
        assert db.execute("PRAGMA user_version").fetchone() == (10200,)  # GeoPackage 1.2
        (qml, default, table), *rest = db.execute(
            "SELECT styleQML, useAsDefault, f_table_name FROM layer_styles"
        ).fetchall()
        kinds = dict(db.execute("SELECT table_name, data_type FROM gpkg_contents").fetchall())
    db.close()
    assert not rest and default == 1 and table == "sites"
    assert kinds == {"sites": "features", "layer_styles": "attributes"}
    assert 'type="categorizedSymbol" attr="event_type"' in qml
    assert 'labelsEnabled="1"' in qml and 'isExpression="1"' in qml
    # "Bucha: mass grave, killing"
    assert "&quot;place_name&quot; || ': ' || array_to_string(array_distinct(" in qml
    assert "GeometryGenerator" in qml and "buffer(transform($geometry" in qml  # areas
    assert all(f'value="{t}"' in qml for t in EVENT_TYPES)
    assert set(EVENT_COLOURS) == set(EVENT_TYPES)


def test_qml_sidecar(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    write(frame, tmp_path / "sites.geojson", qml=True)
    assert (tmp_path / "sites.qml").read_text("utf-8").startswith("<!DOCTYPE qgis")
    with pytest.raises(
        ParameterError, match=r"^qml: a \.qml sidecar is for GeoJSON, not GeoPackage"
    ):
        write(frame, tmp_path / "sites.gpkg", qml=True)
    table = frame[["name"]].set_geometry(frame.geometry)
    with pytest.raises(ParameterError, match=r"^qml: a \.qml style is made for site layers"):
        write(table, tmp_path / "table.geojson", qml=True)
    assert not (tmp_path / "table.geojson").exists()  # every output of a call, or none


@pytest.mark.parametrize("extension", [".gpkg", ".shp", ".geojson"])
def test_the_areas_are_written_beside_the_layer(
    frame: gpd.GeoDataFrame, tmp_path: Path, extension: str
) -> None:
    path = write(frame, tmp_path / f"sites{extension}", areas=True)
    beside = tmp_path / f"sites-areas{extension}"
    info = pyogrio.read_info(beside, layer="sites-areas")
    assert (info["features"], info["geometry_type"]) == (5, "Polygon")  # 3 regions, 2 "near"
    assert pyogrio.read_info(path, layer="sites")["features"] == len(frame)
    if extension == ".gpkg":  # the areas' own QGIS style: filled polygons, no labels
        with sqlite3.connect(beside) as db:
            (qml,) = db.execute("SELECT styleQML FROM layer_styles").fetchone()
        db.close()
        assert "<layerGeometryType>2</layerGeometryType>" in qml and 'class="SimpleFill"' in qml
        assert "GeometryGenerator" not in qml and 'labelsEnabled="0"' in qml


def test_the_areas_need_a_file(frame: gpd.GeoDataFrame) -> None:
    with pytest.raises(ParameterError, match=r"^areas: the areas go beside a file, not to stdout"):
        write(frame, "-", fmt="geojson", areas=True)


def test_csv_has_coordinates_and_no_formulas(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    evil = frame.copy()
    evil.loc[0, "name"] = '=HYPERLINK("http://evil.example","click")'
    evil.loc[1, "name"] = "@SUM(A1)"
    evil.loc[2, "name"] = "-2+3"
    path = write(evil, tmp_path / "sites.csv")
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [r["name"][:2] for r in rows[:3]] == ["'=", "'@", "'-"]
    assert rows[0]["wkt"].startswith("POINT (") and rows[-1]["wkt"] == ""
    assert float(rows[0]["lat"]) == pytest.approx(frame["lat"][0])
    assert rows[0]["count"] == "44"  # integers stay integers


def test_kml_names_the_placemarks(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    text = write(frame, tmp_path / "sites.kml").read_text("utf-8")
    assert "<name>Izium mass burial site</name>" in text
    assert text.count("<Placemark") == len(frame)


def test_a_failed_write_leaves_the_old_file(
    frame: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "sites.geojson"
    path.write_text("the good old file")

    def crash(frame: gpd.GeoDataFrame, path: Path, layer: str) -> None:
        path.write_text('{"type": "FeatureCollection", "features": [')  # half a file
        raise OutputError("disk full")

    monkeypatch.setattr(writers, "write_geojson", crash)
    with pytest.raises(OutputError, match="disk full"):
        write(frame, path)
    assert path.read_text() == "the good old file"
    assert [p.name for p in tmp_path.iterdir()] == ["sites.geojson"]  # no temporary left


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("sites.txt", r"unknown output extension '\.txt'"),
        ("sites", r"unknown output extension '\(none\)'"),
        ("missing/sites.geojson", "does not exist"),
    ],
)
def test_bad_outputs(frame: gpd.GeoDataFrame, tmp_path: Path, name: str, message: str) -> None:
    with pytest.raises((InvalidInputError, OutputError), match=message):
        write(frame, tmp_path / name)
    with pytest.raises(ParameterError, match=r"^sequence: is for GeoJSON, not CSV"):
        write(frame, tmp_path / "x.csv", sequence=True)


def test_csv_keeps_a_carriage_return_in_its_cell(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    payload = "harmless\r=cmd|' /C calc'!A0"
    evil = frame.copy()
    evil.loc[0, "name"] = payload
    evil.loc[1, "name"] = "two\nlines"
    evil = evil.rename(columns={"sources": '=HYPERLINK("http://evil.example")'})
    path = write(evil, tmp_path / "sites.csv")
    with path.open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == len(frame)
    assert [r["name"] for r in rows[:2]] == [payload, "two\nlines"]
    assert '\'=HYPERLINK("http://evil.example")' in rows[0]
    back = pyogrio.read_dataframe(path)  # and GDAL reads the same rows (a CR in a cell as LF)
    assert len(back) == len(frame) and back["name"][0] == payload.replace("\r", "\n")


def _many_sites(count: int) -> gpd.GeoDataFrame:
    """*count* point sites with every site column, spread over Ukraine."""
    from geo_sites.incidents import EVENT_TYPES

    return gpd.GeoDataFrame(
        {"site_id": [f"site-{i}" for i in range(count)],
         "name": [f"Site {i} of a long list of reported places" for i in range(count)],
         "event_type": [EVENT_TYPES[i % len(EVENT_TYPES)] for i in range(count)],
         "count": list(range(count)), "precision": ["settlement"] * count},
        geometry=shapely.points([24 + i * 1e-4 for i in range(count)], [49.0] * count),
        crs=4326,
    )  # fmt: skip


def _export(
    source: Path, output: Path, *options: str, limit: int | None = None
) -> subprocess.Popen[str]:
    """Start ``geo-sites export`` in a subprocess; with *limit*, files cannot grow past it."""

    def limited() -> None:  # a full disk without root: writes past the limit fail with EFBIG
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        if limit is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    command = [sys.executable, "-c", "from geo_sites.cli import main; main()",
               "export", str(source), "-o", str(output), *options]  # fmt: skip
    environment = {**os.environ, "GEO_SITES_HOME": str(source.parent)}
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=limited, env=environment)  # fmt: skip


@pytest.mark.parametrize("extension", [*ALL_EXTENSIONS, ".qml"])
def test_a_full_disk_fails_and_leaves_the_old_files(tmp_path: Path, extension: str) -> None:
    sites = _many_sites(1 if extension == ".qml" else 3000)
    source = write(sites, tmp_path / "source.geojson")
    output = tmp_path / "out" / ("x.geojson" if extension == ".qml" else f"x{extension}")
    full = write(sites, tmp_path / f"full{output.suffix}", qml=extension == ".qml")
    sizes = {
        full.stat().st_size,
        full.with_suffix(".qml").stat().st_size if extension == ".qml" else 0,
    }
    output.parent.mkdir()
    old = {output: "the good old file", output.with_suffix(".qml"): "the good old style"}
    for path, text in old.items():
        path.write_text(text)
    # .qml: the GeoJSON fits, its style does not; others: half the file fits.
    limit = sorted(sizes)[0] + 1 if extension == ".qml" else full.stat().st_size // 2
    assert extension != ".qml" or full.with_suffix(".qml").stat().st_size > limit
    done = _export(source, output, *(["--qml"] if extension == ".qml" else []), limit=limit)
    _out, err = done.communicate(timeout=120)
    assert done.returncode == 1, err
    assert len(err.strip().splitlines()) == 1 and err.startswith("Error: "), err
    assert {p: p.read_text() for p in old} == old
    assert sorted(p.name for p in output.parent.iterdir()) == sorted(["x.qml", output.name])


def _killed_at(done: subprocess.Popen[str], folder: Path, delay: float) -> bool:
    """SIGKILL *done* *delay* s after its temporary folder appears; False if it ended first."""
    while not any(folder.glob(".geo-sites-*")) and done.poll() is None:
        time.sleep(0.005)
    time.sleep(delay)
    if done.poll() is None:
        done.send_signal(signal.SIGKILL)
    done.communicate(timeout=60)
    return done.returncode == -signal.SIGKILL


@pytest.mark.parametrize("extension", [".gpkg", ".geojson"])
def test_a_killed_export_leaves_the_old_file(tmp_path: Path, extension: str) -> None:
    sites = _many_sites(5000)
    source = write(sites, tmp_path / "source.geojson")
    output = tmp_path / "out" / f"x{extension}"
    output.parent.mkdir()
    # How long the writing takes, from the temporary folder to the end (not asserted).
    done = _export(source, output)
    while not any(output.parent.glob(".geo-sites-*")) and done.poll() is None:
        time.sleep(0.005)
    started = time.monotonic()
    done.communicate(timeout=120)
    writing = time.monotonic() - started
    assert done.returncode == 0
    new = output.read_bytes()  # the same input gives the same bytes
    output.unlink()
    moments, killed, left = random.Random(20260612), 0, False
    for kill in range(4):
        old = output.read_bytes() if output.exists() else None  # none before the first
        if not _killed_at(_export(source, output), output.parent, moments.uniform(0, writing)):
            continue  # it finished first: a whole new file
        killed += 1
        # The old file (or none), or the whole new one when the kill came after the rename.
        assert (output.read_bytes() if output.exists() else None) in (old, new), kill
        left = left or any(output.parent.glob(".geo-sites-*"))
        if kill == 1:  # a good old file for the next kills
            write(sites.iloc[:10], output)
    assert killed >= 3 and left  # SIGKILL leaves a temporary folder: the next write removes it
    done = _export(source, output)
    done.communicate(timeout=120)
    assert done.returncode == 0
    assert [p.name for p in output.parent.iterdir()] == [output.name]
    assert output.read_bytes() == new


def areas_frame(mixed: bool) -> gpd.GeoDataFrame:
    """Oblast-like polygons, one of them an invalid bow tie; with *mixed*, a point too."""
    from shapely.geometry import MultiPolygon, Point, Polygon

    bow_tie = Polygon([(30, 50), (31, 51), (31, 50), (30, 51), (30, 50)])
    square = Polygon([(32, 48), (33, 48), (33, 49), (32, 49)])
    islands = MultiPolygon([Polygon([(34, 46), (35, 46), (35, 47)]),
                            Polygon([(36, 46), (37, 46), (37, 47)])])  # fmt: skip
    shapes = [bow_tie, square, islands, None, *([Point(35.1, 49.2)] if mixed else [])]
    return gpd.GeoDataFrame({"name": [f"area {i}" for i in range(len(shapes))]},
                            geometry=shapes, crs=4326)  # fmt: skip


@pytest.mark.parametrize("mixed", [False, True])
@pytest.mark.parametrize("extension", EXTENSIONS)
def test_polygons_are_written_in_every_format(
    tmp_path: Path,
    extension: str,
    mixed: bool,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(logging.getLogger("geo_sites"), "propagate", True)  # as the CLI sets it
    areas = areas_frame(mixed)
    path = write(areas, tmp_path / f"areas{extension}")
    options = {"GEOM_POSSIBLE_NAMES": "wkt"} if extension == ".csv" else {"layer": "areas"}
    back = pyogrio.read_dataframe(path, **options)
    names = back["Name" if extension == ".kml" else "name"]  # KML: the placemark's name
    assert names.tolist() == areas["name"].tolist()  # rows in, rows out, in order
    drawn = back.geometry.notna() & ~back.geometry.is_empty
    assert drawn.tolist() == areas.geometry.notna().tolist()
    if extension == ".kml":  # Google Earth cannot draw an invalid polygon: repaired, and said
        assert back.geometry[drawn].is_valid.all()
        assert back.geometry[0].geom_type == "MultiPolygon"
        assert "1 invalid geometry repaired for KML" in caplog.text
    else:  # the others hold the geometries as they are, as GDAL and QGIS do
        for got, given in zip(back.geometry[drawn], areas.geometry[drawn], strict=True):
            coordinates = sorted(
                map(tuple, shapely.get_coordinates(got).tolist())
            )  # RFC 7946 rewinds
            assert coordinates == sorted(map(tuple, shapely.get_coordinates(given).tolist()))
        assert not back.geometry[0].is_valid
        assert "1 invalid geometry written as it is" in caplog.text
    if extension == ".csv":
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        assert rows[0]["wkt"].startswith("POLYGON ((") and rows[0]["lat"] == ""
        assert rows[3]["wkt"] == "" and (not mixed or rows[4]["lat"] == "49.2")
    if extension == ".gpkg":
        declared = pyogrio.read_info(path, layer="areas")["geometry_type"]
        assert declared == ("Unknown" if mixed else "MultiPolygon")


def test_a_point_layer_is_declared_point(frame: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = write(frame, tmp_path / "sites.gpkg")
    assert pyogrio.read_info(path, layer="sites")["geometry_type"] == "Point"
    nowhere = write(frame.iloc[-1:], tmp_path / "nowhere.gpkg")  # no geometry at all: Point
    assert pyogrio.read_info(nowhere, layer="nowhere")["geometry_type"] == "Point"


@pytest.mark.parametrize("extension", EXTENSIONS)
def test_lone_surrogates_become_replacement_characters(
    frame: gpd.GeoDataFrame, tmp_path: Path, extension: str
) -> None:
    broken = frame.astype({"name": object})  # JSON text may hold "\ud800"; UTF-8 cannot
    broken.loc[0, "name"] = "Izium \ud800 site"
    broken.columns = pd.Index(  # a lone surrogate in a column name too
        ["reason \udfff" if c == "reason" else c for c in broken.columns], dtype=object
    )
    path = write(broken, tmp_path / f"sites{extension}")
    options = {"GEOM_POSSIBLE_NAMES": "wkt"} if extension == ".csv" else {"layer": "sites"}
    back = pyogrio.read_dataframe(path, **options)
    assert len(back) == len(frame)
    assert back["Name" if extension == ".kml" else "name"][0] == "Izium \ufffd site"
    if extension != ".kml":  # KML keeps the other columns in ExtendedData
        assert "reason \ufffd" in back.columns
