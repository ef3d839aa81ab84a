from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo_sites.cli import cli

from .common import tiny_default, write_dump


def test_add_info_rebuild(home_copy: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    dump = write_dump(tmp_path)
    added = runner.invoke(cli, ["gazetteer", "add", str(dump)])
    assert added.exit_code == 0, added.output
    assert "5 places (5 new, 0 updated, 1 other features skipped)" in added.stdout

    info = runner.invoke(cli, ["gazetteer", "info", "-f", "json"])
    assert info.exit_code == 0, info.output
    data = json.loads(info.stdout)
    assert data["index"] == str(home_copy / "index.sqlite")
    assert [s["label"] for s in data["sources"]][-1] == "GeoNames dump XX.zip"
    assert data["counts"]["admin1"] >= 28 and data["built_at"]
    text = runner.invoke(cli, ["gazetteer", "info"]).stdout
    assert "GeoNames dump XX.zip: 5 places" in text and "CC BY 4.0" in text

    resolved = runner.invoke(cli, ["resolve", "Hrozove", "-f", "json"])
    assert json.loads(resolved.stdout)[0]["geonameid"] == 900004


def test_add_errors(home_copy: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    broken = write_dump(tmp_path, "1\tonly two\n", name="BR.txt")
    result = runner.invoke(cli, ["gazetteer", "add", str(broken)])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"Error: {broken}: line 1: expected 19 tab-separated columns, got 2"
    )
    neither = runner.invoke(cli, ["gazetteer", "add"])
    assert neither.exit_code == 2 and "either a FILE or --country" in neither.stderr
    missing = runner.invoke(cli, ["gazetteer", "add", str(tmp_path / "nope.zip")])
    assert missing.exit_code == 1 and "no such file" in missing.stderr


def test_add_country_offline(home_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_SITES_GEONAMES_URL", "http://127.0.0.1:9/{country}.zip")
    result = CliRunner().invoke(cli, ["gazetteer", "add", "--country", "UA"])
    assert result.exit_code == 1
    assert "without internet, download UA.zip elsewhere" in result.stderr
    assert "Traceback" not in result.output


def test_rebuild(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo_sites.gazetteer import home as home_module

    monkeypatch.setattr(home_module, "default_source", tiny_default)
    monkeypatch.setenv("GEO_SITES_HOME", str(tmp_path / "home"))
    runner = CliRunner()
    assert runner.invoke(cli, ["gazetteer", "add", str(write_dump(tmp_path))]).exit_code == 0
    result = runner.invoke(cli, ["gazetteer", "rebuild"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "default (test): 1 places",
        "GeoNames dump XX.zip: 5 places",
    ]
    resolved = runner.invoke(cli, ["resolve", "Defaultville", "Hrozove", "-f", "json"])
    assert [r["status"] for r in json.loads(resolved.stdout)] == ["resolved", "resolved"]


@pytest.fixture
def tiny_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """GEO_SITES_HOME with a one-place default, so that builds take milliseconds."""
    from geo_sites.gazetteer import home as home_module

    monkeypatch.setattr(home_module, "default_source", tiny_default)
    home = tmp_path / "home"
    monkeypatch.setenv("GEO_SITES_HOME", str(home))
    return home


def test_remove(tiny_home: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    dump = write_dump(tmp_path)
    assert runner.invoke(cli, ["gazetteer", "add", str(dump)]).exit_code == 0
    dump.unlink()  # the copy in the home is what the index is built from
    text = runner.invoke(cli, ["gazetteer", "info"]).stdout
    assert "(moved or deleted: its copy is used)" in text
    assert "GeoNames dump XX.zip: 5 places" in runner.invoke(cli, ["gazetteer", "rebuild"]).stdout
    result = runner.invoke(cli, ["gazetteer", "remove", "XX.zip"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"removed {dump.resolve()}\n"
    resolved = runner.invoke(cli, ["resolve", "Hrozove", "-f", "json"])
    assert json.loads(resolved.stdout)[0]["status"] == "unresolved"
    again = runner.invoke(cli, ["gazetteer", "remove", "XX.zip"])
    assert again.exit_code == 1
    assert again.stderr == "Error: no added file is 'XX.zip' (path); the added files are: none\n"


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("sites.csv", "name,lat,lon,population\nMill,49,36,many\n",
         "sites.csv: row 2: population must be a whole number of people, instead got: 'many'"),
        ("sites.csv", "name,lat,lon,population\nMill,49,36,1e999\n",
         "sites.csv: row 2: population must be a whole number of people, instead got: '1e999'"),
        ("sites.geojson", '{"type": "FeatureCollection", "features": [{"type": "Feature", '
         '"geometry": {"type": "Point"}, "properties": {"name": "Mill"}}]}',
         "sites.geojson: feature 1: expected [lon, lat] coordinates, instead got: None"),
        ("sites.geojson", '{"type": "FeatureCollection", "features": [7]}',
         "sites.geojson: feature 1: expected a GeoJSON Feature, instead got: 7"),
    ],
)  # fmt: skip
def test_add_bad_places_is_one_line(
    tiny_home: Path, tmp_path: Path, name: str, text: str, message: str
) -> None:
    places = tmp_path / name
    places.write_text(text, "utf-8")
    result = CliRunner().invoke(cli, ["gazetteer", "add", str(places)])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {places}: {message.split(': ', 1)[1]}\n"


def test_cache_folders_that_cannot_be_used_are_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    cases = [
        (a_file, f"{a_file}: cannot write the gazetteer's files here"),
        (a_file / "home", f"{a_file / 'home'}: cannot write the gazetteer's files here"),
        (Path("/sys/geo-sites-test"), "/sys/geo-sites-test: cannot write the gazetteer's files"),
    ]
    folder_home = tmp_path / "folder-home"
    (folder_home / "index.sqlite").mkdir(parents=True)
    cases.append((folder_home, f"{folder_home / 'index.sqlite'}: a folder is where the index"))
    for home, message in cases:
        monkeypatch.setenv("GEO_SITES_HOME", str(home))
        result = runner.invoke(cli, ["resolve", "Izyum"])
        assert result.exit_code == 1, (home, result.output)
        assert result.stderr.startswith(f"Error: {message}"), result.stderr
        assert result.stderr.count("\n") == 1 and "GEO_SITES_HOME" in result.stderr


def test_a_full_cache_is_refused_before_building(
    tiny_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from geo_sites.gazetteer import home as home_module

    tiny_home.mkdir()
    free = shutil.disk_usage(tiny_home).free
    monkeypatch.setattr(home_module, "_BUILD_BYTES", free + 10**12)  # more than the disk has
    result = CliRunner().invoke(cli, ["resolve", "Defaultville"])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {tiny_home}: not enough free space")
    assert "GEO_SITES_HOME" in result.stderr
    assert list(tiny_home.iterdir()) == [tiny_home / ".index.sqlite.lock"]
