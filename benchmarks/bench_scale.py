"""Benchmark extraction on a dask cluster against one process, in the same run.

    .venv/bin/python benchmarks/bench_scale.py [--docs 10000] [--shared ../shared]

The corpus is ``bench_extract.py``'s: the seed reports and our test reports,
copied into ``--docs`` documents of about 3 kB, every place name swapped
for another Ukrainian town.  Figures, in one run:

- documents a second of ``extract`` in this process (the baseline), and on a
  ``LocalCluster`` of 1 and of 2 worker processes (``--scheduler local``),
  the cluster's start included; each starts with cold caches (the baseline
  runs first, in a process that has extracted nothing yet);
- the peak memory (RSS) of each worker process, sampled while it works;
- the scheduler's overhead a document: the 1-worker time less the
  single-process time, over the documents.

Target: 2 workers at least 1.6 times 1 worker.  The outputs of the three are
checked to be the same.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_extract import ROOT, corpus, towns

from geo_sites.extract import extract_files
from geo_sites.gazetteer import Gazetteer


class _Peaks:
    """The peak RSS (MB) of each child process of this one, sampled every 0.2 s."""

    def __init__(self) -> None:
        self.peaks: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.2):
            for child in psutil.Process().children(recursive=True):
                try:
                    rss = child.memory_info().rss / 1e6
                except psutil.Error:
                    continue
                self.peaks[child.pid] = max(self.peaks.get(child.pid, 0.0), rss)

    def __enter__(self) -> _Peaks:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    rng = random.Random(16)
    with Gazetteer.default() as gazetteer, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        size = corpus(args.shared, folder, args.docs, towns(gazetteer.path, rng), rng)
        print(f"corpus: {args.docs:,} documents, {size / 1e6:.2f} MB")
        runs: list[tuple[str, float, object, list[float]]] = []
        for label, workers in (("one process (baseline)", 0), ("dask, 1 worker", 1),
                               ("dask, 2 workers", 2)):  # fmt: skip
            with _Peaks() as peaks:
                started = time.perf_counter()
                batch = extract_files(folder, gazetteer=gazetteer, workers=max(1, workers),
                                      scheduler="local" if workers else None)  # fmt: skip
                seconds = time.perf_counter() - started
            runs.append((label, seconds, batch, sorted(peaks.peaks.values())[-workers:]
                         if workers else []))  # fmt: skip
        print(f"{'extract':<24} {'s':>7} {'docs/s':>8} {'worker MB':>12}")
        for label, seconds, _, peak in runs:
            memory = ", ".join(f"{m:.0f}" for m in peak) or "-"
            print(f"{label:<24} {seconds:>7.2f} {args.docs / seconds:>8.1f} {memory:>12}")
        (_, one, single, _), (_, first, on_one, _), (_, second, on_two, _) = runs
        print(f"2 workers / 1 worker: {first / second:.2f}x (target 1.6x); "
              f"against one process: {one / second:.2f}x")  # fmt: skip
        print(f"scheduler overhead: {(first - one) / args.docs * 1000:.2f} ms a document "
              "(the cluster's start included)")  # fmt: skip
        assert single == on_one == on_two, "the cluster's output differs from one process's"


if __name__ == "__main__":
    main()
