"""Extraction on a dask.distributed cluster gives what one process gives, byte for byte,
even when a worker dies."""

from __future__ import annotations

import os
import random
import shutil
import signal
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from geo_sites.cli import cli
from geo_sites.extract import extract_files, write_batch
from geo_sites.gazetteer import Gazetteer

distributed = pytest.importorskip("distributed", reason="needs the dask extra (geo-sites[dask])")

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


def test_without_dask_a_scheduler_is_a_usage_error_that_says_so(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)  # as if not installed
    for command in (["extract", str(REPORTS), "-o", str(tmp_path / "x.ndjson")],
                    ["run", str(REPORTS), "-o", str(tmp_path / "out")]):  # fmt: skip
        result = runner.invoke(cli, [*command, "--scheduler", "local"])
        assert result.exit_code == 2
        assert ("Invalid value for '--scheduler': needs dask: pip install 'geo-sites[dask]'"
                in result.stderr)  # fmt: skip
        assert "Traceback" not in result.output


def test_a_worker_killed_mid_run_loses_no_file_and_doubles_none(
    gazetteer: Gazetteer, tmp_path: Path
) -> None:
    corpus = _corpus(tmp_path / "corpus", 500)
    expected = write_batch(extract_files(corpus, gazetteer=gazetteer), tmp_path / "one.ndjson")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, host="127.0.0.1",
                                  dashboard_address=None) as local, \
            distributed.Client(local) as watcher:  # fmt: skip
        pids = watcher.run(os.getpid)
        victim = next(iter(pids))
        killed, done = threading.Event(), threading.Event()

        def kill_when_busy() -> None:  # once the victim is running a slice of the files
            while not done.wait(0.005):
                if watcher.processing(workers=[victim]).get(victim):
                    os.kill(pids[victim], signal.SIGKILL)
                    killed.set()
                    return

        killer = threading.Thread(target=kill_when_busy)
        killer.start()
        try:
            batch = extract_files(corpus, gazetteer=gazetteer, scheduler=local.scheduler_address)
        finally:
            done.set()
            killer.join()
        assert killed.is_set(), "the worker was not killed while the run went on"
    written = write_batch(batch, tmp_path / "cluster.ndjson")
    for one, cluster in zip(expected, written, strict=True):
        assert cluster.read_bytes() == one.read_bytes()


def test_run_reads_reports_on_the_cluster(home_copy: Path, tmp_path: Path,
                                          gazetteer: Gazetteer) -> None:  # fmt: skip
    result = CliRunner().invoke(cli, ["run", str(REPORTS), "-o", str(tmp_path / "out"),
                                      "--scheduler", "local", "--workers", "2"])  # fmt: skip
    assert result.exit_code == 0, result.output
    one = write_batch(extract_files(REPORTS, gazetteer=gazetteer), tmp_path / "one.ndjson")[0]
    assert (tmp_path / "out" / "reports-incidents.ndjson").read_bytes() == one.read_bytes()
    assert (tmp_path / "out" / "reports.html").is_file()


def test_a_worker_whose_index_is_not_the_clients_stops_the_run_in_one_line(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Gazetteer, "build", ("another build", "other sources"))  # the client's
    result = runner.invoke(cli, ["extract", str(REPORTS), "-o", str(tmp_path / "x.ndjson"),
                                 "--scheduler", "local", "-q"])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1, result.stderr  # no worker's log, no traceback
    assert "index.sqlite: the gazetteer index is not the client's, nor built from the same" in (
        result.stderr
    )
    assert not (tmp_path / "x.ndjson").exists()


def test_a_worker_checks_its_index_is_the_clients(gazetteer: Gazetteer, tmp_path: Path) -> None:
    from geo_sites.exceptions import GazetteerIndexError

    build, sources = gazetteer.build
    for copy_or_rebuilt in ((build, sources), ("another build", sources), (build, "changed")):
        Gazetteer.like(gazetteer.path, copy_or_rebuilt).close()
    with pytest.raises(GazetteerIndexError, match="not the client's, nor built from the same"):
        Gazetteer.like(gazetteer.path, ("another build", "other sources"))
    with pytest.raises(GazetteerIndexError, match="no gazetteer index here; copy the client's"):
        Gazetteer.like(tmp_path / "index.sqlite", (build, sources))
