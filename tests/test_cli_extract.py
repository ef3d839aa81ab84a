from __future__ import annotations

import csv
import json
from pathlib import Path

import pyogrio
import pytest
from click.testing import CliRunner

from geo_sites.cli import cli
from geo_sites.incidents import read_incidents

REPORTS = Path(__file__).resolve().parent / "data" / "reports"


@pytest.fixture
def runner(home_copy: Path) -> CliRunner:
    return CliRunner()


def test_extract_writes_records_and_a_manifest(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "incidents.ndjson"
    result = runner.invoke(cli, ["extract", str(REPORTS), "-o", str(out)])
    assert result.exit_code == 0, result.output
    incidents = read_incidents(out)  # records that geo-sites sites reads
    assert {i.place for i in incidents} >= {"Kramatorsk", "Kherson", "Lyman", "Chernigov"}
    with (tmp_path / "incidents.manifest.csv").open(encoding="utf-8") as file:
        manifest = {Path(row["path"]).name: row for row in csv.DictReader(file)}
    assert manifest["truth.csv"]["status"] == "skipped"
    assert (
        manifest["south.md"]["status"] == "processed"
        and int(manifest["south.md"]["incidents"]) == 4
    )
    assert sum(int(row["incidents"]) for row in manifest.values()) == len(incidents)
    assert f"{len(incidents)} incidents from 8 processed, 1 skipped files" in result.stderr


def test_extract_reads_urls(runner: CliRunner, tmp_path: Path) -> None:
    pytest.importorskip("fsspec", reason="needs the dask extra (geo-sites[dask])")
    out = tmp_path / "incidents.ndjson"
    result = runner.invoke(cli, ["extract", REPORTS.as_uri(), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "28 incidents from 8 processed, 1 skipped files" in result.stderr
    with (tmp_path / "incidents.manifest.csv").open(encoding="utf-8") as file:
        assert next(csv.DictReader(file))["path"] == f"{REPORTS.as_uri()}/bakhmut.txt"
    unknown = runner.invoke(cli, ["extract", "nosuch://bucket/reports", "-o", str(out)])
    assert unknown.exit_code == 2
    assert (
        "Invalid value for 'PATHS...': nosuch://bucket/reports: Protocol not known: nosuch"
        in unknown.stderr
    )


def test_extract_to_a_layer_and_in_parallel(runner: CliRunner, tmp_path: Path) -> None:
    one, two = tmp_path / "one.geojson", tmp_path / "two.geojson"
    assert runner.invoke(cli, ["extract", str(REPORTS), "-o", str(one), "-q"]).exit_code == 0
    result = runner.invoke(cli, ["extract", str(REPORTS), "-o", str(two), "--workers", "2", "-q"])
    assert result.exit_code == 0 and result.stderr == ""
    assert one.read_bytes() == two.read_bytes()  # the same, in the same order
    info = pyogrio.read_info(one)
    records = tmp_path / "records.ndjson"
    assert runner.invoke(cli, ["extract", str(REPORTS), "-o", str(records), "-q"]).exit_code == 0
    assert info["features"] == len(read_incidents(records)) and "quote" in list(info["fields"])


def test_evaluate_prints_the_scores(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "incidents.ndjson"
    assert runner.invoke(cli, ["extract", str(REPORTS), "-o", str(out), "-q"]).exit_code == 0
    result = runner.invoke(cli, ["evaluate", str(out), str(REPORTS / "truth.csv"), "-f", "json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["site_recall"] == {"share": 1.0, "right": 23, "total": 23}
    assert scores["site_precision"]["share"] == 1.0
    text = runner.invoke(cli, ["evaluate", str(out), str(REPORTS / "truth.csv")])
    assert text.stdout.splitlines()[:4] == [
        "place recall: 1.00 (22/22)", "site recall: 1.00 (23/23)",
        "place precision: 1.00 (22/22)", "site precision: 1.00 (23/23)",
    ]  # fmt: skip


def test_evaluate_with_a_not_incident_table(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "south.geojson"
    extracted = runner.invoke(cli, ["extract", str(REPORTS / "south.md"), "-o", str(out), "-q"])
    assert extracted.exit_code == 0, extracted.output
    listed = tmp_path / "not_incident.csv"
    listed.write_text("doc,canonical_place\nsouth.md,kherson\n", "utf-8")
    result = runner.invoke(cli, ["evaluate", str(out), str(REPORTS / "truth.csv"),
                                 "--not-incident", str(listed)])  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "place precision: 0.67 (2/3)" in lines
    assert "  south.md: Kherson (named as no incident's site)" in lines


def test_run_from_report_text(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["run", str(REPORTS), "-o", str(tmp_path / "out"), "--dpi", "60"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["reports-draft.xlsx", "reports-incidents.manifest.csv",
                     "reports-incidents.ndjson", "reports-report.md", "reports.geojson",
                     "reports.gpkg", "reports.html", "reports.png"]  # fmt: skip
    # the background rows wait in the draft, off the map
    assert result.stderr.strip().endswith(
        "23 sites, 23 on the map; 1 incident set aside for review (in the draft)"
    )
    report = (tmp_path / "out" / "reports-report.md").read_text("utf-8")
    assert "## Set aside for review" in report and "Bucha, killing, background" in report
    for layer in ("reports.geojson", "reports.gpkg"):  # all but the row set aside (Bucha)
        scored = runner.invoke(cli, ["evaluate", str(tmp_path / "out" / layer),
                                     str(REPORTS / "truth.csv"), "-f", "json"])  # fmt: skip
        assert scored.exit_code == 0, scored.output
        recall = json.loads(scored.stdout)["site_recall"]
        assert (recall["right"], recall["total"]) == (22, 23)


def test_the_manifest_neutralises_file_names(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    names = ['=HYPERLINK("evil","x").txt', "harmless\r=cmd.txt"]
    for name in names:
        Path(name).write_text("Shelling hit Kramatorsk on 3 May 2022.", "utf-8")
    result = runner.invoke(cli, ["extract", names[0], names[1], "-o", "out.ndjson", "-q"])
    assert result.exit_code == 0, result.output
    with Path("out.manifest.csv").open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [r["path"] for r in rows] == ["'" + names[0], names[1]]
    assert [r["status"] for r in rows] == ["processed", "processed"]
    assert len(pyogrio.read_dataframe("out.manifest.csv")) == 2  # GDAL reads the same rows


@pytest.mark.parametrize(
    "manifest",
    [
        "out.ndjson",  # the output itself
        "sub/../out.ndjson",  # by another path
        "link.ndjson",  # a link to it
        "hard.ndjson",  # a hard link to it
    ],
)
def test_the_manifest_is_not_the_output(runner: CliRunner, tmp_path: Path, manifest: str) -> None:
    out = tmp_path / "out.ndjson"
    out.write_text("kept\n", "utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "link.ndjson").symlink_to(out)
    (tmp_path / "hard.ndjson").hardlink_to(out)
    result = runner.invoke(cli, ["extract", str(REPORTS), "-o", str(out),
                                 "--manifest", str(tmp_path / manifest)])  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1].startswith("Error: Invalid value for '--manifest': ")
    assert "is the output" in result.stderr and "Traceback" not in result.output
    assert out.read_text("utf-8") == "kept\n"


def test_bad_options(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "out.ndjson"
    result = runner.invoke(cli, ["extract", str(REPORTS), "-o", str(out), "--encoding", "bogus"])
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "Error: Invalid value for '--encoding': unknown encoding 'bogus'"
    )
    result = runner.invoke(cli, ["extract", str(tmp_path / "missing"), "-o", str(out)])
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not out.exists()
    result = runner.invoke(cli, ["run", str(REPORTS), str(tmp_path / "missing.txt"), "-o",
                                 str(tmp_path / "run")])  # fmt: skip
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize(("manifest", "status"), [("no-such-folder/m.csv", 1), ("folder", 2)])
def test_both_outputs_or_neither(
    runner: CliRunner, tmp_path: Path, manifest: str, status: int
) -> None:
    out = tmp_path / "out.ndjson"
    (tmp_path / "folder").mkdir()
    result = runner.invoke(cli, ["extract", str(REPORTS), "-o", str(out), "-q",
                                 "--manifest", str(tmp_path / manifest)])  # fmt: skip
    assert result.exit_code == status and "Error: " in result.stderr, result.output
    assert "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "home"]  # nothing written
