"""Benchmark the gazetteer's writes against baselines measured in the same run.

    .venv/bin/python benchmarks/bench_gazetteer_writes.py [--from-home DIR] [--runs 3]

Figures and their baselines:

- ``GazetteerHome.add`` of a one-place CSV to the default index, which derives only
  the key table entries of the new keys; baseline: the same addition deriving
  the whole key table (as every addition did before);
- two ``geo-sites gazetteer add`` processes started at once (they take the
  lock in turn, and both files end up in the index); baseline: one alone;
- with ``--builds``: four ``geo-sites resolve Izyum`` started at once in an
  empty home (one builds the index, the others wait for it and use it);
  baseline: one alone.

The default index is built in a temporary GEO_SITES_HOME (or copied from
``--from-home``), so the user's is not touched.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from geo_sites.gazetteer import Gazetteer, GazetteerHome
from geo_sites.gazetteer import index as index_module

_CLI = [sys.executable, "-c", "from geo_sites.cli import main; main()"]


def _home(base: Path, source: Path, name: str) -> Path:
    home = base / name
    home.mkdir()
    for file in ("index.sqlite", "index.keys"):
        shutil.copy(source / file, home / file)
    return home


def _places(base: Path, name: str) -> Path:
    path = base / f"{name}.csv"
    path.write_text(f"name,lat,lon\n{name} benchmark site,49.5,36.5\n", "utf-8")
    return path


def _median(runs: int, once: Callable[[int], float]) -> float:
    return statistics.median(once(n) for n in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--from-home", type=Path, help="copy the built default index from here")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--builds", action="store_true", help="also time simultaneous builds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        source = args.from_home
        if source is None:
            source = base / "built"
            started = time.perf_counter()
            GazetteerHome(source).ensure_index()
            print(f"built the default index in {time.perf_counter() - started:.1f} s")
        if (source / "sources.json").exists():
            raise SystemExit(f"{source} has added files: give a home with the default only")
        Gazetteer(GazetteerHome(source).ensure_index()).close()  # a key table of this version

        def add(n: int, *, whole: bool) -> float:
            home = _home(base, source, f"{'whole' if whole else 'kept'}{n}")
            registry = GazetteerHome(home)
            registry.ensure_index()
            places = _places(base, f"Addition{n}")
            kept = index_module._kept_keys
            if whole:
                index_module._kept_keys = lambda path, build_id: None  # type: ignore[assignment]
            try:
                started = time.perf_counter()
                registry.add(places)
                return time.perf_counter() - started
            finally:
                index_module._kept_keys = kept
                shutil.rmtree(home)

        new = _median(args.runs, lambda n: add(n, whole=False))
        old = _median(args.runs, lambda n: add(n, whole=True))
        print(f"add a one-place CSV: {new:.2f} s; baseline, whole key table derived: "
              f"{old:.2f} s ({old / new:.1f}x)")  # fmt: skip

        def cli_adds(n: int, count: int) -> float:
            home = _home(base, source, f"cli{count}-{n}")
            env = {**os.environ, "GEO_SITES_HOME": str(home)}
            files = [_places(base, f"Parallel{n}x{count}y{i}") for i in range(count)]
            started = time.perf_counter()
            processes = [subprocess.Popen([*_CLI, "gazetteer", "add", str(f)], env=env,
                                          stdout=subprocess.DEVNULL) for f in files]  # fmt: skip
            codes = [p.wait() for p in processes]
            seconds = time.perf_counter() - started
            listed = json.loads((home / "sources.json").read_text())["sources"]
            if codes != [0] * count or len(listed) != count:
                raise SystemExit(f"the additions failed: {codes}, {listed}")
            shutil.rmtree(home)
            return seconds

        one = _median(args.runs, lambda n: cli_adds(n, 1))
        two = _median(args.runs, lambda n: cli_adds(n, 2))
        print(f"two `gazetteer add` at once: {two:.2f} s, both added; baseline, one alone: "
              f"{one:.2f} s ({two / one:.2f}x)")  # fmt: skip
        if args.builds:
            alone = _first_runs(base / "one", 1)
            four = _first_runs(base / "four", 4)
            print(f"four first runs at once (one build): {four:.1f} s; baseline, one alone: "
                  f"{alone:.1f} s ({four / alone:.2f}x)")  # fmt: skip


def _first_runs(home: Path, count: int) -> float:
    """Start *count* look-ups at once in an empty home; return the wall time of all."""
    env = {**os.environ, "GEO_SITES_HOME": str(home)}
    started = time.perf_counter()
    processes = [subprocess.Popen([*_CLI, "resolve", "Izyum"], env=env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for _ in range(count)]  # fmt: skip
    if [p.wait() for p in processes] != [0] * count:
        raise SystemExit("a look-up failed")
    return time.perf_counter() - started


if __name__ == "__main__":
    main()
