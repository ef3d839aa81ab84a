"""Benchmark extraction on a dask cluster against one process, in the same run.

    .venv/bin/python benchmarks/bench_scale.py [--docs 10000] [--shared ../shared]

The corpus is ``bench_extract.py``'s: the seed reports and our test reports,
copied into ``--docs`` documents of about 1.2 kB, every place name swapped
for another Ukrainian town.  Figures, in one run:

- documents a second of ``extract`` in one process (the baseline), and on a
  ``LocalCluster`` of 1 and of 2 worker processes (``--scheduler local``),
  the cluster's start included; each runs in a new process, from cold
  caches, as a command would (the baseline's start is not counted);
  ``--rounds N`` gives the median of N rounds of the three, and the range of
  the ratio;
- the peak memory (RSS) of each worker process, sampled while it works;
- the scheduler's overhead a document: the 1-worker time less the
  single-process time, over the documents;
- what the client holds a document: the memory of the incidents it keeps
  until the output is written (of a copy made under tracemalloc).

Target: 2 workers at least 1.6 times 1 worker.  The outputs of the three are
checked to be the same.
"""

from __future__ import annotations

import argparse
import hashlib
import multiprocessing
import pickle
import random
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_extract import ROOT, corpus, towns

from geo_sites.extract import extract_files, write_batch
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


def _held(batch: object) -> int:
    """The bytes *batch* takes in memory: a copy of it, made under tracemalloc."""
    data = pickle.dumps(batch, protocol=5)
    tracemalloc.start()
    copy = pickle.loads(data)
    size = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    del copy
    return size


def _extract(folder: Path, index: str, workers: int) -> tuple[float, str, list[float], float]:
    """Seconds, the output's digest, the workers' peak memory, and the kB a document the
    client holds, of one extraction of *folder*: in this process, or on a cluster of
    *workers*."""
    with Gazetteer(index) as gazetteer, _Peaks() as peaks:
        started = time.perf_counter()
        batch = extract_files(folder, gazetteer=gazetteer, workers=max(1, workers),
                              scheduler="local" if workers else None)  # fmt: skip
        seconds = time.perf_counter() - started
    written, _ = write_batch(batch, folder.parent / f"{workers}.ndjson")
    digest = hashlib.sha256(written.read_bytes()).hexdigest()
    memory = sorted(peaks.peaks.values())[-workers:] if workers else []
    return seconds, digest, memory, _held(batch) / len(batch.manifest) / 1e3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=1, help="the median of several rounds")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    rng = random.Random(16)
    with tempfile.TemporaryDirectory() as tmp:
        _rounds(args, Path(tmp), rng)


def _rounds(args: argparse.Namespace, tmp: Path, rng: random.Random) -> None:
    """Run the rounds on a corpus made in *tmp*, and print the figures."""
    with Gazetteer.default() as gazetteer:
        folder = tmp / "reports"
        folder.mkdir()
        size = corpus(args.shared, folder, args.docs, towns(gazetteer.path, rng), rng)
        index = str(gazetteer.path)
    print(f"corpus: {args.docs:,} documents, {size / 1e6:.2f} MB")
    labels = {0: "one process (baseline)", 1: "dask, 1 worker", 2: "dask, 2 workers"}
    seconds: dict[int, list[float]] = {w: [] for w in labels}
    memory: dict[int, list[float]] = {}
    digests, held = set(), 0.0
    # Each run in a new process, from cold caches, as a command would run.
    spawn = multiprocessing.get_context("spawn")
    for round_ in range(args.rounds):
        for workers in labels:
            with ProcessPoolExecutor(1, mp_context=spawn) as pool:
                took, digest, memory[workers], held = pool.submit(
                    _extract, folder, index, workers).result()  # fmt: skip
            seconds[workers].append(took)
            digests.add(digest)
        print(f"round {round_ + 1}: " + ", ".join(f"{labels[w]} {seconds[w][-1]:.2f} s"
                                                 for w in labels))  # fmt: skip
    median = {w: statistics.median(s) for w, s in seconds.items()}
    print(f"{'extract (median)':<24} {'s':>7} {'docs/s':>8} {'worker MB':>12}")
    for workers, label in labels.items():
        shown = ", ".join(f"{m:.0f}" for m in memory[workers]) or "-"
        print(f"{label:<24} {median[workers]:>7.2f} {args.docs / median[workers]:>8.1f} "
              f"{shown:>12}")  # fmt: skip
    ratios = sorted(a / b for a, b in zip(seconds[1], seconds[2], strict=True))
    print(f"2 workers / 1 worker: {statistics.median(ratios):.2f}x (target 1.6x; rounds "
          f"{ratios[0]:.2f}-{ratios[-1]:.2f}x); against one process: "
          f"{median[0] / median[2]:.2f}x")  # fmt: skip
    print(f"scheduler overhead: {(median[1] - median[0]) / args.docs * 1000:.2f} ms a document "
          "(the cluster's start included)")  # fmt: skip
    print(f"the client holds {held:.1f} kB a document (the incidents, until written)")
    assert len(digests) == 1, "the cluster's output differs from one process's"


if __name__ == "__main__":
    main()
