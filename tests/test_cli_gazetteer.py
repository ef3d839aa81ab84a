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
    from geo_sites.gazetteer import registry

    monkeypatch.setattr(registry, "default_source", tiny_default)
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
