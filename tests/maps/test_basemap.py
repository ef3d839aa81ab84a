from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo_sites.exceptions import InvalidInputError
from geo_sites.maps.basemap import read_boundaries


def _layer(path: Path, *rings: list[list[float]]) -> Path:
    features = [{"type": "Feature", "properties": {"name": f"Region {n}"},
                 "geometry": {"type": "Polygon", "coordinates": [ring] if ring else []}}
                for n, ring in enumerate(rings)]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}), "utf-8")
    return path


def test_a_crossed_ring_is_repaired(tmp_path: Path) -> None:
    bow = _layer(tmp_path / "bow.geojson", [[36, 48], [38, 50], [38, 48], [36, 50], [36, 48]])
    boundaries = read_boundaries(bow)
    assert boundaries.frame.geometry[0].geom_type == "MultiPolygon"
    assert boundaries.frame.geometry[0].area == pytest.approx(2.0)


@pytest.mark.parametrize(
    ("ring", "message"),
    [
        ([[30, 48], [31, 48], [31, 49]], r"open\.geojson: a geometry GDAL read is not valid \("),
        ([[30, 48], [31, 48], [30, 48]], r"open\.geojson: Region 1 \(feature 1\) has no area"),
        ([], r"open\.geojson: Region 1 \(feature 1\) has no area"),
    ],
)
def test_boundaries_without_an_area_get_one_line(
    tmp_path: Path, ring: list[list[float]], message: str
) -> None:
    good = [[36, 48], [37, 48], [37, 49], [36, 48]]
    with pytest.raises(InvalidInputError, match=message) as caught:
        read_boundaries(_layer(tmp_path / "open.geojson", good, ring))
    assert "\n" not in str(caught.value)
