"""Extraction on a dask.distributed cluster gives what one process gives, byte for byte."""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo_sites.cli import cli

pytest.importorskip("distributed", reason="needs the dask extra (geo-sites[dask])")

REPORTS = Path(__file__).resolve().parent / "data" / "reports"
TOWNS = ("Izium", "Bucha", "Kupiansk", "Lyman", "Balakliia", "Irpin", "Kherson", "Trostianets")
SENTENCES = (
    "The bodies of {n} civilians were found in {town}.",
    "Russian shelling of {town} killed {n} people and injured {m}.",
    "A mass grave with {n} bodies was found near {town}.",
    "In {town}, {n} residents were detained and held in a basement.",
)


def _corpus(folder: Path, count: int) -> Path:
    """Our test reports, and *count* short reports made from a few sentences."""
    shutil.copytree(REPORTS, folder, ignore=shutil.ignore_patterns("*.csv"))
    rng = random.Random(16)
    for number in range(count):
        lines = [f"date 2022-{rng.randint(3, 11):02d}-{rng.randint(1, 28):02d}", ""]
        lines += [rng.choice(SENTENCES).format(n=rng.randint(2, 400), m=rng.randint(1, 9),
                                               town=rng.choice(TOWNS))
                  for _ in range(rng.randint(1, 4))]  # fmt: skip
        (folder / f"generated-{number:03d}.txt").write_text("\n".join(lines) + "\n", "utf-8")
    return folder


@pytest.fixture
def runner(home_copy: Path) -> CliRunner:
    return CliRunner()


def test_a_local_cluster_extracts_what_one_process_does(runner: CliRunner, tmp_path: Path) -> None:
    corpus = _corpus(tmp_path / "corpus", 500)
    outputs = []
    for name, options in (("one", []), ("cluster", ["--scheduler", "local", "--workers", "2"])):
        output, manifest = tmp_path / f"{name}.ndjson", tmp_path / f"{name}-manifest.csv"
        result = runner.invoke(cli, ["extract", str(corpus), "-o", str(output),
                                     "--manifest", str(manifest), "-q", *options])  # fmt: skip
        assert result.exit_code == 0, result.output
        outputs.append((output.read_bytes(), manifest.read_bytes()))
    (records, manifest), (cluster_records, cluster_manifest) = outputs
    assert records.count(b"\n") > 500  # incidents from every kind of report
    assert cluster_records == records and cluster_manifest == manifest


def test_a_scheduler_that_cannot_be_reached_is_a_usage_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo_sites import cluster

    monkeypatch.setattr(cluster, "_CONNECT_SECONDS", 1)
    result = runner.invoke(cli, ["extract", str(REPORTS), "-o", str(tmp_path / "x.ndjson"),
                                 "--scheduler", "tcp://127.0.0.1:9", "-q"])  # fmt: skip
    assert result.exit_code == 2
    assert "Invalid value for '--scheduler': cannot reach the scheduler 'tcp://127.0.0.1:9'" in (
        result.stderr
    )
