"""Load the GeoPackage and the GeoJSON (with its .qml) in QGIS, as GIS staff will.

QGIS's Python bindings come with the system Python (Debian's python3-qgis,
which ``.ci/run`` installs), not with the virtual environment, so the check
runs in a subprocess: ``check_layers.py``.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest
import shapely

from geo_sites.colours import EVENT_COLOURS, STATUS_COLOURS
from geo_sites.export import write
from geo_sites.gazetteer import Gazetteer, boundaries
from geo_sites.incidents import read_sites, sites_frame
from geo_sites.join import join
from tests.export.test_export import areas_frame

SYSTEM_PYTHON = "/usr/bin/python3"
SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "incidents.json"
CHECK = Path(__file__).with_name("check_layers.py")


def _has_qgis() -> bool:
    try:
        probe = subprocess.run([SYSTEM_PYTHON, "-c", "import qgis.core"], capture_output=True,
                               timeout=60, check=False)  # fmt: skip
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


pytestmark = pytest.mark.skipif(
    not _has_qgis(), reason=f"QGIS is not installed ({SYSTEM_PYTHON} cannot import qgis.core)"
)


def _seen_by_qgis(tmp_path: Path, *uris: str) -> list[dict[str, object]]:
    done = subprocess.run(
        [SYSTEM_PYTHON, str(CHECK), str(tmp_path / "qgis.png"), *uris],
        capture_output=True, text=True, timeout=300, check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path),
             "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])["layers"]  # type: ignore[no-any-return]


def test_qgis_opens_area_layers_as_areas(tmp_path: Path) -> None:
    areas = write(areas_frame(mixed=False), tmp_path / "areas.gpkg")
    mixed = write(areas_frame(mixed=True), tmp_path / "mixed.gpkg")
    seen = _seen_by_qgis(tmp_path, f"{areas}|layername=areas", f"{mixed}|layername=mixed")
    got = [
        (layer["valid"], layer["features"], layer["geometry"], layer["shapes"]) for layer in seen
    ]
    assert got[0] == (True, 4, "MultiPolygon", ["MultiPolygon"])  # a null geometry is a feature
    assert got[1][:2] == (True, 5) and got[1][2] != "Point"  # QGIS names a mixed layer by a part
    assert got[1][3] == ["MultiPolygon", "Point", "Polygon"]


def test_qgis_opens_the_layers_styled(gazetteer: Gazetteer, tmp_path: Path) -> None:
    frame = sites_frame(read_sites(SEEDS, gazetteer=gazetteer))
    gpkg = write(frame, tmp_path / "sites.gpkg")
    geojson = write(frame, tmp_path / "sites.geojson", qml=True)
    image = tmp_path / "qgis.png"  # look at it: pytest --basetemp=/tmp/qgis tests/qgis
    done = subprocess.run(
        [SYSTEM_PYTHON, str(CHECK), str(image), f"{gpkg}|layername=sites", str(geojson)],
        capture_output=True, text=True, timeout=300, check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path),
             "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    oblast = boundaries.polygon("UA", "07")
    for layer in seen["layers"]:
        assert layer["valid"] and layer["styled"], layer
        assert layer["features"] == len(frame) == 14
        assert layer["crs"] == "EPSG:4326"
        fields = layer["fields"]
        assert fields["count"] in ("Integer", "Integer64")
        assert fields["geonameid"] in ("Integer", "Integer64")
        assert fields["score"] == "Real" and fields["name"] == "String"
        assert fields["event_start"] in ("DateTime", "Date")
        assert layer["renderer"] == "categorizedSymbol" and layer["attribute"] == "event_type"
        assert layer["categories"] == EVENT_COLOURS
        # One label at a spot, the place's name with what happened there.
        assert "place_name" in layer["labels"] and "array_distinct" in layer["labels"]
        assert layer["symbol_layers"] == ["GeometryGenerator", "SimpleMarker"]
        # The three sites known only to Kharkiv Oblast are drawn as the oblast (to 2 km),
        # a site "near" a place as its circle.
        areas = [shapely.from_wkt(wkt) for wkt in layer["areas"].values()]
        assert len(areas) == frame["precision"].isin(["admin1", "admin2", "near"]).sum()
        assert sum(area.hausdorff_distance(oblast) < 0.02 for area in areas) == 3
    assert seen["layers"][0]["fields"]["event_start"] == "DateTime"  # GeoPackage: UTC datetime
    # The map QGIS draws shows the sites in their category's colour, over the Kharkiv
    # oblast (its three kinds of event: grey, not a mix of their colours).
    drawn = set(seen["colours"])
    for event_type in ("mass_grave", "shelling", "torture_site"):
        assert EVENT_COLOURS[event_type] in drawn, event_type
    grey = seen["common"]
    assert seen["painted"] > 0.05 and grey[1:3] == grey[3:5] == grey[5:7] != "ff"


def test_qgis_draws_region_sites_and_joined_rows_as_areas(
    gazetteer: Gazetteer, tmp_path: Path
) -> None:
    table = pd.DataFrame({"place": ["Kharkiv region", "Sumy Oblast", "Izium", "Qwxzvillekrt"]})
    joined = write(join(table, gazetteer=gazetteer, place_column="place"), tmp_path / "j.gpkg")
    (layer,) = _seen_by_qgis(tmp_path, f"{joined}|layername=j")
    assert layer["valid"] and layer["styled"] and layer["features"] == 4
    assert layer["attribute"] == "match_status" and layer["categories"] == STATUS_COLOURS
    assert "match_name" in str(layer["labels"])
    painted = _painted(tmp_path, f"{joined}|layername=j")
    # Two regions of 100 km around their points: a large share of the map, not two pins.
    towns = write(join(pd.DataFrame({"place": ["Kharkiv", "Sumy", "Izium"]}),
                       gazetteer=gazetteer, place_column="place"), tmp_path / "t.gpkg")  # fmt: skip
    assert painted > 0.05 and _painted(tmp_path, f"{towns}|layername=t") < 0.02


def test_qgis_opens_the_areas_styled(gazetteer: Gazetteer, tmp_path: Path) -> None:
    frame = sites_frame(read_sites(SEEDS, gazetteer=gazetteer))
    write(frame, tmp_path / "sites.gpkg", areas=True)
    (layer,) = _seen_by_qgis(tmp_path, f"{tmp_path / 'sites-areas.gpkg'}|layername=sites-areas")
    assert layer["valid"] and layer["styled"] and layer["features"] == 5
    assert layer["geometry"] == "Polygon" and layer["attribute"] == "event_type"
    assert layer["symbol_layers"] == ["SimpleFill", "SimpleLine"] and not layer["labels"]
    assert _painted(tmp_path, f"{tmp_path / 'sites-areas.gpkg'}|layername=sites-areas") > 0.2


def _painted(tmp_path: Path, uri: str) -> float:
    done = subprocess.run(
        [SYSTEM_PYTHON, str(CHECK), str(tmp_path / "painted.png"), uri],
        capture_output=True, text=True, timeout=300, check=False,
        env={"QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path),
             "HOME": str(tmp_path)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return float(json.loads(done.stdout.strip().splitlines()[-1])["painted"])


def test_qgis_opens_the_new_formats(gazetteer: Gazetteer, tmp_path: Path) -> None:
    frame = sites_frame(read_sites(SEEDS, gazetteer=gazetteer))
    paths = [write(frame, tmp_path / f"sites{extension}") for extension in (".fgb", ".shp")]
    seen = _seen_by_qgis(tmp_path, *map(str, paths))
    for layer in seen:
        assert layer["valid"] and layer["features"] == len(frame) == 14, layer
        assert layer["crs"] == "EPSG:4326" and layer["geometry"] == "Point", layer
        fields = layer["fields"]
        assert isinstance(fields, dict) and fields["site_id"] == "String"
        assert fields["count"] in ("Integer", "Integer64"), fields
    assert "place_wrtn" in seen[1]["fields"]  # type: ignore[operator]  # the Shapefile's short name
