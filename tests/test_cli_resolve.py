from __future__ import annotations

import csv
import io
import json
import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo_sites import __version__
from geo_sites.cli import cli

from .common import tiny_default


@pytest.fixture
def runner(home_copy: Path) -> CliRunner:
    return CliRunner()


def test_resolve_json(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["resolve", "Izjum", "Kharkiv region", "Trostyanets",
                                 "qwertyuiop", "-f", "json", "--no-context"])  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["query"] for r in rows] == ["Izjum", "Kharkiv region", "Trostyanets", "qwertyuiop"]
    izjum, region, trost, junk = rows
    assert izjum["status"] == "resolved" and izjum["geonameid"] == 707292
    assert izjum["method"] == "exact" and izjum["level"] == "settlement"
    assert izjum["attribution"] == "GeoNames (geonames.org), CC BY 4.0"
    assert region["level"] == "admin1" and region["geonameid"] == 706482
    assert trost["status"] == "ambiguous" and len(trost["candidates"]) >= 2
    assert junk["status"] == "unresolved" and junk["lat"] is None and junk["reason"]
    assert "1 of 4 unresolved: qwertyuiop" in result.stderr
    for key in ("query", "status", "score", "matched_name", "method", "level", "lat", "lon",
                "geonameid", "country", "admin1", "source", "candidates", "reason"):  # fmt: skip
        assert key in izjum


def test_resolve_uses_the_other_names_as_context(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["resolve", "Trostyanets", "Sumy", "Okhtyrka", "-f", "json"])
    assert json.loads(result.stdout)[0]["status"] == "resolved"


def test_resolve_within_and_country(runner: CliRunner) -> None:
    result = runner.invoke(
        cli, ["resolve", "Trostianets", "--within", "Sumy Oblast", "--country", "UA", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["status"] == "resolved" and row["geonameid"] == 691255


def test_resolve_writes_a_continent_with_no_country(runner: CliRunner) -> None:
    for fmt in ("json", "csv"):
        result = runner.invoke(cli, ["resolve", "Europe", "Africans", "-f", fmt])
        assert result.exit_code == 0, result.output
        rows = (json.loads(result.stdout) if fmt == "json"
                else list(csv.DictReader(io.StringIO(result.stdout))))  # fmt: skip
        europe, people = rows
        assert (europe["name"], europe["level"], europe["status"]) == (
            "Europe", "continent", "resolved")  # fmt: skip
        assert europe["country"] in ("", None)  # never "EU", the code of the European Union
        assert people["status"] == "unresolved"
        assert "'Africans' is a demonym of Africa" in people["reason"]


def test_resolve_reads_stdin_one_name_per_line_and_keeps_every_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["resolve", "-f", "csv"], input="Izyum\n\nКупʼянськ\nKharviv\n")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["query"] for r in rows] == ["Izyum", "", "Купʼянськ", "Kharviv"]
    assert [r["status"] for r in rows] == ["resolved", "unresolved", "resolved", "resolved"]
    assert rows[1]["reason"] == "empty name"
    assert "1 of 4 unresolved: ''" in result.stderr
    assert rows[3]["method"] == "fuzzy" and rows[3]["name"] == "Kharkiv"


def test_resolve_keeps_warnings_to_one_short_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["resolve", "-f", "json"], input="x" * 10_000 + "\n")
    assert result.exit_code == 0
    (row,) = json.loads(result.stdout)
    assert row["status"] == "unresolved" and "too long" in row["reason"]
    assert result.stderr.strip() == f"geo-sites: 1 of 1 unresolved: {'x' * 39}…"


def test_resolve_table(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["resolve", "Ізюм", "--limit", "2"])
    assert result.exit_code == 0, result.output
    header, row = result.stdout.splitlines()
    assert header.split()[:4] == ["query", "status", "score", "name"]
    assert row.split()[:4] == ["Ізюм", "resolved", "0.96", "Izium"]
    assert "GeoNames (geonames.org), CC BY 4.0" in result.stderr


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (
            ["resolve", "Izyum", "--country", "XX"],
            "Error: Invalid value for '--country': unknown country code 'XX'",
            2,
        ),
        (
            ["resolve", "Izyum", "--within", "Narnia"],
            "Error: Invalid value for '--within': cannot find the region 'Narnia'",
            2,
        ),
        (["resolve", "Izyum", "--limit", "0"], "Invalid value for '--limit'", 2),
        (["resolve", "Izyum", "-f", "xml"], "Invalid value for '--format'", 2),
        (
            ["resolve", "Izyum", "--online"],
            "Error: Invalid value for '--user-agent': the online fallback needs a user agent",
            2,
        ),
        (["nonsense"], "No such command 'nonsense'", 2),
    ],
)
def test_errors_are_one_line_without_traceback(
    runner: CliRunner, args: list[str], message: str, code: int
) -> None:
    result = runner.invoke(cli, args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output
    if code == 1:
        assert len(result.stderr.strip().splitlines()) == 1


def test_version_and_help(runner: CliRunner) -> None:
    assert runner.invoke(cli, ["--version"]).stdout.strip() == f"geo-sites, version {__version__}"
    help_text = runner.invoke(cli, ["resolve", "-h"]).stdout
    assert "Examples:" in help_text and "--within" in help_text


def test_stdin_that_is_not_one_encoding_is_one_line(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["resolve"], input="Ізюм\n".encode() + "Харків\n".encode("cp1251"))
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.stderr.strip() == (
        "Error: stdin: not one encoding: line 2 is not UTF-8, but line 1 is; save the file in "
        "one encoding, or give its encoding"
    )
    # A legacy encoding alone is read as any file is.
    result = runner.invoke(cli, ["resolve", "-f", "csv"], input="Харків\n".encode("cp1251"))
    assert result.exit_code == 0 and "Kharkiv" in result.stdout


@pytest.mark.parametrize(
    "args",
    [["resolve", "Izyum\udcff"], ["join", "t\udcff.csv", "--place-column", "p", "-o", "o.csv"]],
)
def test_arguments_that_are_not_utf8_are_a_usage_error(runner: CliRunner, args: list[str]) -> None:
    # Python hands undecodable bytes of the command line over as lone surrogates.
    result = runner.invoke(cli, args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.strip().splitlines()[-1] == (
        f"Error: an argument is not UTF-8 text: {args[1].encode('utf-8', 'surrogateescape')!r}"
    )


def test_resolve_csv_keeps_a_carriage_return_in_its_cell(runner: CliRunner) -> None:
    payload = "harmless\r=cmd|' /C calc'!A0"
    result = runner.invoke(cli, ["resolve", payload, "=HYPERLINK(1)", "Izyum", "-f", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))
    assert [r["query"] for r in rows] == [payload, "'=HYPERLINK(1)", "Izyum"]
    assert rows[2]["status"] == "resolved"


def test_resolve_online_without_the_service_says_it_once(home_copy: Path) -> None:
    with socket.socket() as probe:  # a 127.0.0.1 port with nothing listening
        probe.bind(("127.0.0.1", 0))
        domain = f"127.0.0.1:{probe.getsockname()[1]}"
    # The real command, in its own process (as a user runs it), asking the port above.
    script = (
        "from geo_sites.gazetteer.home import GazetteerHome\n"
        "from geo_sites.cli import main\n"
        "ask = GazetteerHome.nominatim\n"
        f"GazetteerHome.nominatim = lambda self, agent: ask(self, agent, domain={domain!r}, "
        "scheme='http', min_delay_seconds=0.05)\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "resolve", "Qwxzville", "Izyum", "Zzyzxkrt", "--online",
         "--user-agent", "geo-sites-tests (gis@example.org)", "-f", "json"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "GEO_SITES_HOME": str(home_copy)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [r["status"] for r in rows] == ["unresolved", "resolved", "unresolved"]
    reason = f"Nominatim cannot be reached at {domain} ([Errno 111] Connection refused)"
    assert rows[0]["reason"].endswith(reason) and rows[2]["reason"].endswith(reason)
    assert done.stderr.splitlines() == [
        f"geo-sites: {reason}",
        "geo-sites: 2 of 3 unresolved: Qwxzville, Zzyzxkrt",
    ]


def test_the_first_run_says_it_builds_the_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo_sites.gazetteer import home as home_module

    monkeypatch.setattr(home_module, "default_source", tiny_default)
    monkeypatch.setenv("GEO_SITES_HOME", str(tmp_path / "new-home"))
    first = CliRunner().invoke(cli, ["resolve", "Defaultville", "-f", "json"])
    assert first.exit_code == 0, first.output
    assert [r["status"] for r in json.loads(first.stdout)] == ["resolved"]
    assert first.stderr.startswith("geo-sites: building the gazetteer index at ")
    assert str(tmp_path / "new-home" / "index.sqlite") in first.stderr
    again = CliRunner().invoke(cli, ["resolve", "Defaultville", "-f", "json"])
    assert json.loads(again.stdout) == json.loads(first.stdout)
    assert "building" not in again.stderr


def test_quiet_hides_the_first_run_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from geo_sites.gazetteer import home as home_module

    monkeypatch.setattr(home_module, "default_source", tiny_default)
    monkeypatch.setenv("GEO_SITES_HOME", str(tmp_path / "new-home"))
    logger = logging.getLogger("geo_sites")
    level = logger.level
    try:
        result = CliRunner().invoke(cli, ["-q", "resolve", "Defaultville", "-f", "json"])
    finally:
        logger.setLevel(level)  # -q sets the package's level for the process: later tests log
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
