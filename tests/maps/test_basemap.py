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


def test_the_towns_in_view_are_the_capitals_larger_countries_first() -> None:
    from geo_sites.maps.basemap import towns

    ukraine = [town.name for town in towns((22.0, 44.0, 40.5, 52.5), 60)]
    assert ukraine[0] == "Kyiv" and ukraine.count("Kyiv") == 1
    assert {"Chișinău", "Kharkiv", "Lviv", "Simferopol"} <= set(ukraine)
    assert "Moscow" not in ukraine and len(ukraine) < 40
    assert [town.name for town in towns((2.0, 4.0, 15.0, 14.0), 60)][:1] == ["Abuja"]
    assert len(towns((-180.0, -90.0, 180.0, 90.0), 10)) == 10


@pytest.mark.parametrize(
    ("name", "publisher"),
    [
        ("ukr_admbnda_adm2_sspe_20230201.shp", "OCHA COD-AB "),
        ("geoBoundaries-SYR-ADM1.geojson", "geoBoundaries "),
        ("districts.gpkg", ""),
    ],
)
def test_the_credit_of_boundaries_names_their_publisher(
    tmp_path: Path, name: str, publisher: str
) -> None:
    credit = f"Boundaries: {publisher}({name})" if publisher else f"Boundaries: {name}"
    path = _layer(tmp_path / "x.geojson", [[36, 48], [37, 48], [37, 49], [36, 48]])
    named = path.rename(tmp_path / name) if name.endswith(".geojson") else None
    if named is None:  # the format does not matter: write the layer under that name
        import pyogrio

        named = tmp_path / name
        pyogrio.write_dataframe(pyogrio.read_dataframe(path), named)
    assert read_boundaries(named).credit == credit
