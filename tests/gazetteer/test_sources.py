from __future__ import annotations

import gc
import json
import zipfile
from pathlib import Path

import pytest

from geo_sites.exceptions import DumpFormatError, SourceError
from geo_sites.gazetteer.sources import (
    SourceRecords,
    curated_corrections,
    default_source,
    geonames_dump_source,
    source_kind,
    user_places_source,
)

from ..common import TINY_DUMP, dump_line, write_dump


@pytest.fixture(scope="module")
def default() -> SourceRecords:
    return default_source()


def test_default_has_cities500_with_alternate_names(default: SourceRecords) -> None:
    by_id = {p.geonameid: p for p in default.places}
    tsyrkuny = by_id[691084]
    assert tsyrkuny.name == "Tsyrkuny"
    assert "Циркуни" in tsyrkuny.alternate_names
    assert len([p for p in default.places if p.level == "settlement"]) > 200_000
    assert default.attribution == "GeoNames (geonames.org), CC BY 4.0"


def test_default_has_every_first_level_unit_of_ukraine(default: SourceRecords) -> None:
    units = [p for p in default.places if p.level == "admin1" and p.country == "UA"]
    assert len(units) == 27
    kharkiv = next(u for u in units if u.geonameid == 706482)
    assert kharkiv.name == "Kharkiv Oblast"
    assert kharkiv.admin1_code == "07"
    assert "Kharkivska" in kharkiv.aliases
    assert "Харківська" in kharkiv.aliases
    # The representative point is the mean of the oblast's settlements: inside the oblast.
    assert 49.0 < kharkiv.lat < 50.5
    assert 35.5 < kharkiv.lon < 38.0
    assert {u.name for u in default.admin_units} >= {"Sumy Oblast", "Kyiv City", "Sevastopol"}


def test_default_has_countries(default: SourceRecords) -> None:
    ukraine = next(p for p in default.places if p.level == "country" and p.country == "UA")
    assert ukraine.name == "Ukraine"
    assert 44 < ukraine.lat < 53
    assert 22 < ukraine.lon < 41


def test_curated_corrections_drop_a_wrong_alternate_name() -> None:
    corrections = curated_corrections()
    assert "Slov'iansk" in corrections.drop[700051]  # not Nikopol's name: Sloviansk's


@pytest.mark.parametrize("name", ["XX.zip", "XX.txt"])
def test_dump_keeps_places_and_units_and_skips_other_features(tmp_path: Path, name: str) -> None:
    source = geonames_dump_source(write_dump(tmp_path, name=name))
    levels = {p.geonameid: p.level for p in source.places}
    assert levels == {900001: "settlement", 900002: "settlement", 900003: "admin1",
                      900004: "settlement", 900006: "admin2"}  # fmt: skip
    assert source.skipped == 1  # the river
    assert [(u.code, u.name) for u in source.admin_units] == [("07", "Testova Oblast")]
    krasne = next(p for p in source.places if p.geonameid == 900001)
    assert krasne.alternate_names == ("Красне", "Krasnoye")
    assert krasne.population == 900


def test_dump_from_the_shared_ukraine_file(shared: Path) -> None:
    source = geonames_dump_source(shared / "data" / "geonames" / "UA.zip")
    hroza = next(p for p in source.places if p.geonameid == 812476)
    assert hroza.name == "Hroza"
    assert hroza.admin1_code == "07"
    assert hroza.level == "settlement"
    assert len([p for p in source.places if p.level == "admin1"]) == 27
    assert len(source.places) + source.skipped == 45_086


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (TINY_DUMP + "123\tBroken\n", r"XX.txt: line 7: expected 19 tab-separated columns, got 2"),
        (dump_line(1, "A", "", 49.0, 36.0).replace("49.0", "north"), r"line 1: bad number"),
        (dump_line(1, "A", "", 99.0, 36.0), r"line 1: coordinates out of range"),
        ("", r"no places found"),
    ],
)
def test_corrupt_dump_names_the_file_and_line(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(DumpFormatError, match=message):
        geonames_dump_source(write_dump(tmp_path, text))


def test_truncated_and_fake_zips(tmp_path: Path) -> None:
    good = write_dump(tmp_path, TINY_DUMP * 200)
    truncated = tmp_path / "TR.zip"
    truncated.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(DumpFormatError, match=r"TR.zip: not a valid zip file"):
        geonames_dump_source(truncated)
    fake = tmp_path / "FK.zip"
    fake.write_text("not a zip")
    with pytest.raises(DumpFormatError, match="not a valid zip"):
        geonames_dump_source(fake)
    empty_zip = tmp_path / "EZ.zip"
    with zipfile.ZipFile(empty_zip, "w") as archive:
        archive.writestr("readme.txt", "")
    with pytest.raises(DumpFormatError, match=r"expected one GeoNames \.txt"):
        geonames_dump_source(empty_zip)


def test_binary_dump_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "BIN.txt"
    path.write_bytes(b"\xff\xfe\x00garbage\x80\x81\n" * 10)
    with pytest.raises(DumpFormatError, match=r"BIN.txt: line 1: not UTF-8"):
        geonames_dump_source(path)


def test_missing_dump() -> None:
    with pytest.raises(SourceError, match="no such file"):
        geonames_dump_source("/nonexistent/UA.zip")


@pytest.mark.parametrize(
    ("name", "kind"), [("UA.zip", "geonames"), ("x.TXT", "geonames"), ("my.csv", "places"),
                       ("my.geojson", "places")]
)  # fmt: skip
def test_source_kind(name: str, kind: str) -> None:
    assert source_kind(name) == kind


def test_source_kind_rejects_unknown_files() -> None:
    with pytest.raises(SourceError, match=r"unknown gazetteer file type '\.xlsx'"):
        source_kind("places.xlsx")


def test_user_places_csv(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(
        "\ufeffName,Lat,Lon,aliases,kind,admin1,country\n"
        "Izium forest burial site,49.175,37.29,Izium mass grave|Pisky cemetery,cemetery,"
        "Kharkiv Oblast,UA\n"
        "Hroza,49.672,37.207,,settlement,,UA\n",
        "utf-8",
    )
    source = user_places_source(path)
    site, village = source.places
    assert site.level == "site"
    assert site.feature_code == "cemetery"
    assert site.aliases == ("Izium mass grave", "Pisky cemetery")
    assert site.admin1_code == "Kharkiv Oblast"  # a name: turned into a code by the index
    assert village.level == "settlement"
    assert source.attribution is None


def test_user_places_geojson(tmp_path: Path) -> None:
    path = tmp_path / "mine.geojson"
    feature = {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.29, 49.175]},
               "properties": {"name": "Forest site", "aliases": "Site 1; Site A"}}  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    (place,) = user_places_source(path).places
    assert (place.lat, place.lon, place.aliases) == (49.175, 37.29, ("Site 1", "Site A"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("place,x\nA,1\n", r"mine.csv: no 'lat' column; the columns are: place, x"),
        ("name,lat,lon\nA,north,36\n", r"mine.csv: row 2: lat/lon must be numbers"),
        ("name,lat,lon\nA,49,200\n", r"mine.csv: row 2: coordinates out of range"),
        ("name,lat,lon\n,49,36\n", r"mine.csv: row 2: the name is empty"),
        ("name,lat,lon\n", r"mine.csv: no places in the file"),
    ],
)
def test_user_places_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(text)
    with pytest.raises(DumpFormatError, match=message):
        user_places_source(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,lat,lon,population\nA,49,36,many\n", r"mine.csv: row 2: population must be a "
         r"whole number of people, instead got: 'many'"),
        ("name,lat,lon,population\nA,49,36,1e400\n", r"mine.csv: row 2: population must be"),
        ("name,lat,lon,population\nA,49,36,-5\n", r"mine.csv: row 2: population must be"),
        ("name,lat,lon\nA,49\n", r"mine.csv: row 2: lat/lon must be numbers"),
        ("name,lat,lon\nA,nan,36\n", r"mine.csv: row 2: coordinates out of range"),
    ],
)  # fmt: skip
def test_user_places_csv_bad_values_name_the_row(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(text)
    with pytest.raises(DumpFormatError, match=message):
        user_places_source(path)


def _feature(geometry: object, **properties: object) -> object:
    return {"type": "Feature", "geometry": geometry, "properties": {"name": "A", **properties}}


@pytest.mark.parametrize(
    ("features", "message"),
    [
        ([_feature({"type": "Point"})], r"feature 1: expected \[lon, lat\] coordinates"),
        ([_feature({"type": "Point", "coordinates": [36]})], r"feature 1: expected \[lon, lat\]"),
        ([_feature({"type": "Point", "coordinates": "36,49"})], r"feature 1: expected \[lon, lat"),
        ([_feature({"type": "Point", "coordinates": [36, 49]}), "oops"],
         r"feature 2: expected a GeoJSON Feature"),
        ([_feature(None)], r"feature 1: expected a Point geometry"),
        ([_feature({"type": "Point", "coordinates": [36, 49]}, population="many")],
         r"feature 1: population must be a whole number of people, instead got: 'many'"),
        ([_feature({"type": "Point", "coordinates": [36, 49]}, population=10**400)],
         r"feature 1: population must be"),
        ([_feature({"type": "Point", "coordinates": [36, None]})],
         r"feature 1: lat/lon must be numbers"),
    ],
)  # fmt: skip
def test_user_places_geojson_bad_features_name_the_feature(
    tmp_path: Path, features: list[object], message: str
) -> None:
    path = tmp_path / "mine.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    with pytest.raises(DumpFormatError, match=r"mine.geojson: " + message):
        user_places_source(path)


@pytest.mark.parametrize("enabled", [True, False])
def test_reading_the_default_leaves_the_cycle_collector_as_it_was(
    enabled: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo_sites.gazetteer import sources

    states = []
    monkeypatch.setattr(sources, "_default_source", lambda: states.append(gc.isenabled()))
    (gc.enable if enabled else gc.disable)()
    try:
        default_source()
        assert gc.isenabled() is enabled and states == [False]
        monkeypatch.setattr(sources, "_default_source", lambda: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            default_source()
        assert gc.isenabled() is enabled
    finally:
        gc.enable()
