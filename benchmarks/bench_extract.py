"""Benchmark extraction from report text, against geotext in the same run.

    .venv/bin/python benchmarks/bench_extract.py [--docs 1000] [--shared ../shared]
        [--against ../main] [--rounds 3]

The corpus: the four seed reports and our test reports, copied into
``--docs`` documents in which every place name is swapped for another
Ukrainian town from the gazetteer (so that caches do not flatter us), about
3 kB each.  Figures, in one run:

- throughput of ``extract`` on one core, in MB of text a second (its
  incidents placed: the extractor resolves their places), and of ``geotext``
  (the well-known regex place finder) on the same text;
- with ``--against DIR``, the same throughput of the ``geo_sites`` of another
  checkout (main's worktree), measured in turns with ours, each in a process
  of its own, best of ``--rounds``; an extractor that does not place its
  incidents is timed with :func:`geo_sites.incidents.locate` after it too;
- place names found on the seed reports by each, against the places the
  truth table lists;
- the same corpus with ``--workers 2`` (the machine has two cores);
- 1,000 documents end to end (``geo-sites run``: extract, resolve, merge,
  map, export), as a new process, with its peak memory;
- the corpus as one file of 50 MB through ``geo-sites extract``, likewise;
- pathological inputs, each against a baseline of the same size read in the
  same run: the corpus as one 5 MB line (baseline: the same text with its
  line breaks), and 200,000 nested ``<div>`` (baseline: as many side by
  side).  ``--pathological`` runs only these; ``--quick`` only the one-core
  figures.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from bench_sites import MEASURE, run

from geo_sites.extract import extract_files, read_documents, spot_places
from geo_sites.gazetteer import Gazetteer

# One core, in a process of its own: the geo_sites on PYTHONPATH extracts FOLDER once (the
# first run: its caches empty), then ROUNDS times (caches filled, as in a long run); the
# first run's and the best wall and CPU seconds, as JSON.
ONE_CORE = """
import json, sys, time
from pathlib import Path
from geo_sites.extract import extract_files
from geo_sites.gazetteer import Gazetteer
from geo_sites.incidents import locate
folder, rounds = Path(sys.argv[1]), int(sys.argv[2])
best = {"wall": float("inf"), "cpu": float("inf"), "locate_wall": 0.0, "locate_cpu": 0.0}
with Gazetteer.default() as gazetteer:
    wall, cpu = time.perf_counter(), time.process_time()
    batch = extract_files(folder, gazetteer=gazetteer)
    if not hasattr(batch, "located"):
        locate(batch.incidents, gazetteer)
    best.update(first_wall=time.perf_counter() - wall, first_cpu=time.process_time() - cpu)
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        batch = extract_files(folder, gazetteer=gazetteer)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        if wall < best["wall"]:
            best.update(wall=wall, cpu=cpu)
            if not hasattr(batch, "located"):  # not placed by the extractor: place them
                started, cpu = time.perf_counter(), time.process_time()
                locate(batch.incidents, gazetteer)
                best.update(locate_wall=time.perf_counter() - started,
                            locate_cpu=time.process_time() - cpu)
print(json.dumps({**best, "incidents": len(batch.incidents)}))
"""

ROOT = Path(__file__).resolve().parents[1]
SWAPPED = ("Izium", "Izyum", "Tsirkuny", "Bucha", "Kharkiv", "Trostyanets", "Sumy", "Mariupol",
           "Kramatorsk", "Kherson", "Zaporizhzhia", "Mykolaiv", "Lyman", "Chernigov",
           "Balakliia", "Donetsk", "Kupyansk", "Kupiansk", "Bakhmut", "Soledar", "Izmail",
           "Odesa", "Борова")  # fmt: skip


def corpus(shared: Path, folder: Path, count: int, towns: list[str], rng: random.Random) -> int:
    """Write *count* documents; return their total size in bytes."""
    sources = [d.text for _, d in read_documents(shared / "seeds", ROOT / "tests/data/reports")
               if d is not None and d.text.count(" ") > 40]  # fmt: skip
    pattern = re.compile(r"\b(?:" + "|".join(SWAPPED) + r")\b")
    total = 0
    for number in range(count):
        names = {name: rng.choice(towns) for name in SWAPPED}
        text = pattern.sub(lambda m, names=names: names[m.group()], sources[number % len(sources)])
        path = folder / f"{number:05d}.txt"
        path.write_text(f"date 2022-09-{1 + number % 28:02d}\n\n{text}\n", "utf-8")
        total += path.stat().st_size
    return total


def measured(*args: str) -> tuple[float, float]:
    """Seconds and peak memory (MB) of ``geo-sites ARGS`` in a process of its own."""
    seconds, peak, _ = run(f"geo-sites {args[0]}", [sys.executable, "-c", MEASURE, *args],
                           dict(os.environ))  # fmt: skip
    return seconds, peak


def towns(index: Path, rng: random.Random) -> list[str]:
    with sqlite3.connect(index) as db:
        names = [n for (n,) in db.execute(
            "SELECT name FROM places WHERE country = 'UA' AND level = 'settlement' "
            "AND population >= 5000 AND name GLOB '[A-Z]*' AND name NOT GLOB '* *'")]  # fmt: skip
    rng.shuffle(names)
    return names


def one_core(source: Path, folder: Path, rounds: int) -> dict[str, float]:
    """Best seconds of ``extract_files`` on *folder* with the geo_sites of *source*."""
    env = {**os.environ, "PYTHONPATH": str(source)}
    if source != ROOT:  # its own index: a checkout whose index differs would rebuild ours
        digest = hashlib.sha1(bytes(source)).hexdigest()[:8]
        env["GEO_SITES_HOME"] = str(Path(tempfile.gettempdir()) / f"geo-sites-bench-{digest}")
    command = [sys.executable, "-c", ONE_CORE, str(folder), str(rounds)]
    done = subprocess.run(command, env=env, cwd=source, check=True, capture_output=True, text=True)
    result: dict[str, float] = json.loads(done.stdout)
    return result


def against(other: Path, folder: Path, size: int, rounds: int) -> None:
    """Our extractor and the one of *other*, in turns, each best of *rounds*."""
    ours: list[dict[str, float]] = []
    theirs: list[dict[str, float]] = []
    for _ in range(rounds):
        ours.append(one_core(ROOT, folder, rounds))
        theirs.append(one_core(other, folder, rounds))
    mine, base = min(ours, key=lambda r: r["wall"]), min(theirs, key=lambda r: r["wall"])
    mb = size / 1e6
    print(
        f"extract, 1 core, this checkout: {mb / mine['wall']:.2f} MB/s "
        f"({mb / mine['cpu']:.2f} MB/s of CPU), {mine['incidents']:,.0f} incidents, placed"
    )
    first = min(ours, key=lambda r: r["first_wall"]), min(theirs, key=lambda r: r["first_wall"])
    print(
        f"the first run of a process, placed: this checkout {mb / first[0]['first_wall']:.2f} "
        f"MB/s, {other} {mb / first[1]['first_wall']:.2f} MB/s (with locate())"
    )
    line = (
        f"extract, 1 core, {other}: {mb / base['wall']:.2f} MB/s "
        f"({mb / base['cpu']:.2f} MB/s of CPU), {base['incidents']:,.0f} incidents"
    )
    if base["locate_wall"]:
        line += (
            f"; with locate() to place them: {mb / (base['wall'] + base['locate_wall']):.2f}"
            f" MB/s ({mb / (base['cpu'] + base['locate_cpu']):.2f} of CPU)"
        )
    print(line)
    print(f"this checkout / {other}: {base['wall'] / mine['wall']:.2f}x "
          f"({base['cpu'] / mine['cpu']:.2f}x of CPU)"
          + (f"; {(base['wall'] + base['locate_wall']) / mine['wall']:.2f}x with its locate()"
             if base["locate_wall"] else ""))  # fmt: skip


def seed_places(shared: Path, gazetteer: Gazetteer) -> None:
    """Which of the truth table's places each finder finds in the seed reports."""
    from geotext import GeoText

    wanted: dict[str, set[str]] = defaultdict(set)
    with (shared / "eval" / "seed_sites.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            wanted[row["doc"]].add(row["place_as_written"])
    ours = theirs = total = 0
    for _, document in read_documents(shared / "seeds"):
        assert document is not None
        want = wanted[Path(document.path).name]
        found = {m.name for m in spot_places(document.text, gazetteer).mentions}
        geo = GeoText(document.text)
        total += len(want)
        ours += len(want & found)
        theirs += len(want & set(geo.cities))
        print(
            f"  {Path(document.path).name}: truth {sorted(want)}; geo-sites "
            f"{sorted(found - {'Ukraine', 'Russia'})}; geotext {sorted(set(geo.cities))}"
        )
    print(f"seed places found: geo-sites {ours}/{total}, geotext {theirs}/{total}")


def pathological(gazetteer: Gazetteer, texts: list[str], folder: Path) -> None:
    """A 5 MB line and 200,000 nested blocks, each against a baseline of the same size."""
    text = "\n\n".join(texts)
    text = (text * (5_000_000 // len(text.encode()) + 1))[:5_000_000]
    depth = 200_000
    story = "<p>Shelling hit Izium on Monday and killed 3 people.</p>"
    pairs = {
        "one line of 5 MB": (" ".join(text.split()), text, ".txt", "the same text in lines"),
        f"{depth:,} nested <div>": ("<div>" * depth + story + "</div>" * depth,
                                    "<div></div>" * depth + story, ".html",
                                    "as many side by side"),
    }  # fmt: skip
    for name, (odd, usual, suffix, baseline) in pairs.items():
        rates, cpu_rates = [], []
        for number, content in enumerate((odd, usual)):
            path = folder / f"{number}{suffix}"
            path.write_text(content, "utf-8")
            started, cpu = time.perf_counter(), time.process_time()
            batch = extract_files(path, gazetteer=gazetteer)
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            rates.append(path.stat().st_size / 1e6 / seconds)
            cpu_rates.append(path.stat().st_size / 1e6 / cpu)
            assert batch.manifest[0].status == "processed", batch.manifest
            print(f"  {path.stat().st_size / 1e6:.1f} MB, {seconds:.2f} s ({cpu:.2f} s CPU), "
                  f"{len(batch.incidents):,} incidents")  # fmt: skip
            path.unlink()
        print(f"{name}: {rates[0]:.2f} MB/s ({cpu_rates[0]:.2f} MB/s of CPU); {baseline}: "
              f"{rates[1]:.2f} MB/s ({cpu_rates[1]:.2f}); {rates[0] / rates[1]:.2f}x the "
              "baseline")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=1000)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--pathological", action="store_true", help="only the odd inputs")
    parser.add_argument("--against", type=Path, help="another checkout to time, in turns with ours")
    parser.add_argument("--rounds", type=int, default=3, help="rounds for --against, best of")
    parser.add_argument("--quick", action="store_true", help="only the one-core figures")
    args = parser.parse_args()
    rng = random.Random(5)
    from geotext import GeoText

    with Gazetteer.default() as gazetteer, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        size = corpus(args.shared, folder, args.docs, towns(gazetteer.path, rng), rng)
        texts = [p.read_text("utf-8") for p in sorted(folder.iterdir())]
        print(f"corpus: {args.docs:,} documents, {size / 1e6:.2f} MB")
        if args.against:
            against(args.against.resolve(), folder, size, args.rounds)
        if not args.quick:
            pathological(gazetteer, texts, Path(tmp))
        if args.pathological:
            return
        seed_places(args.shared, gazetteer)
        if args.quick:  # else the pathological inputs filled the caches with these names
            extract_files(folder, gazetteer=gazetteer)
        started = time.perf_counter()
        batch = extract_files(folder, gazetteer=gazetteer)
        ours = time.perf_counter() - started
        started = time.perf_counter()
        cities = sum(len(GeoText(text).cities) for text in texts)
        theirs = time.perf_counter() - started
        print(
            f"extract, 1 core: {ours:.2f} s, {size / 1e6 / ours:.2f} MB/s, "
            f"{len(batch.incidents):,} incidents"
        )
        print(
            f"geotext, 1 core: {theirs:.2f} s, {size / 1e6 / theirs:.2f} MB/s, "
            f"{cities:,} city mentions (places only; no events)"
        )
        if args.quick:
            return
        started = time.perf_counter()
        extract_files(folder, gazetteer=gazetteer, workers=2)
        both = time.perf_counter() - started
        print(
            f"extract, --workers 2: {both:.2f} s, {size / 1e6 / both:.2f} MB/s, "
            f"{ours / both:.2f}x one core"
        )
        seconds, peak = measured("run", str(folder), "-o", str(Path(tmp) / "out"))
        print(
            f"geo-sites run, {args.docs:,} documents end to end: {seconds:.1f} s, "
            f"peak {peak:.0f} MB"
        )
        big = Path(tmp) / "big" / "big.txt"
        big.parent.mkdir()
        text = "\n\n".join(texts)
        big.write_text(text * (50_000_000 // len(text.encode()) + 1), "utf-8")
        seconds, peak = measured("extract", str(big.parent), "-o", str(Path(tmp) / "big.ndjson"))
        print(
            f"geo-sites extract, one file of {big.stat().st_size / 1e6:.0f} MB: {seconds:.1f} s, "
            f"peak {peak:.0f} MB"
        )


if __name__ == "__main__":
    main()
