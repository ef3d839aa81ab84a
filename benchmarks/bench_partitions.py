"""Benchmark a join partition by partition on a dask cluster against the join in memory.

    .venv/bin/python benchmarks/bench_partitions.py [--rows 1000000] [--parts 8]

The table: ``--rows`` rows of Ukrainian town names (the gazetteer's own, of
towns of 5,000 people or more), an id and a number, written as ``--parts``
Parquet files.  In one run, each in a new process:

- the baseline: ``geo_sites.join`` of the whole table in memory, read from
  the parts and written as one GeoParquet file;
- ``join_partitions`` on a ``LocalCluster`` of 1 and of 2 workers
  (``geo-sites join --scheduler local``), the cluster's start included,
  written as a dataset of parts.

Figures: rows a second, the client's peak memory (the process that runs the
join; for the cluster, its workers' too), and a check that every run gives
the same rows.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import random
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_extract import towns
from bench_scale import _Peaks

from geo_sites.gazetteer import Gazetteer


def _table(folder: Path, rows: int, parts: int, names: list[str], rng: random.Random) -> None:
    import pandas as pd

    folder.mkdir()
    size = -(-rows // parts)
    for n in range(parts):
        count = min(size, rows - n * size)
        frame = pd.DataFrame({"id": range(n * size, n * size + count),
                              "place": [rng.choice(names) for _ in range(count)],
                              "killed": [rng.randint(0, 50) for _ in range(count)]})  # fmt: skip
        frame.to_parquet(folder / f"part.{n}.parquet", index=False)


def _digest(path: Path) -> str:
    """The rows' places, in order, whatever the layout of the file or dataset at *path*."""
    import pandas as pd

    read = pd.read_parquet(path, columns=["id", "match_status", "match_geonameid"])
    text = read.astype(str).to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _join(
    table: Path, output: Path, index: str, workers: int
) -> tuple[float, str, float, list[float]]:
    """Seconds, the output's digest, the client's peak MB and the workers' peak MBs."""
    with Gazetteer(index) as gazetteer, _Peaks() as peaks:
        started = time.perf_counter()
        if workers:
            from geo_sites.partitions import join_partitions

            join_partitions(table, output, place_column="place", gazetteer=gazetteer,
                            scheduler="local", workers=workers)  # fmt: skip
        else:
            import pandas as pd

            from geo_sites import join, write

            joined = join(pd.read_parquet(table), place_column="place", gazetteer=gazetteer)
            write(joined, output)
        seconds = time.perf_counter() - started
    client = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return (
        seconds,
        _digest(output),
        client,
        sorted(peaks.peaks.values())[-workers:] if workers else [],
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--parts", type=int, default=8)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Gazetteer.default() as gazetteer:
        table = Path(tmp) / "table.parquet"
        _table(table, args.rows, args.parts, towns(gazetteer.path, random.Random(16)),
               random.Random(16))  # fmt: skip
        index = str(gazetteer.path)
        print(f"table: {args.rows:,} rows in {args.parts} Parquet parts")
        labels = {0: "in memory (baseline)", 1: "dask, 1 worker", 2: "dask, 2 workers"}
        spawn = multiprocessing.get_context("spawn")
        results = {}
        for workers in labels:
            output = Path(tmp) / f"joined-{workers}.parquet"
            with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                results[workers] = pool.submit(_join, table, output, index, workers).result()
        print(f"{'join':<22} {'s':>7} {'rows/s':>9} {'client MB':>10} {'worker MB':>12}")
        for workers, label in labels.items():
            seconds, _, client, peak = results[workers]
            shown = ", ".join(f"{m:.0f}" for m in peak) or "-"
            print(f"{label:<22} {seconds:>7.2f} {args.rows / seconds:>9,.0f} {client:>10.0f} "
                  f"{shown:>12}")  # fmt: skip
        print(f"2 workers / 1 worker: {results[1][0] / results[2][0]:.2f}x; against the join "
              f"in memory: {results[0][0] / results[2][0]:.2f}x")  # fmt: skip
        assert len({r[1] for r in results.values()}) == 1, "the rows differ"


if __name__ == "__main__":
    main()
