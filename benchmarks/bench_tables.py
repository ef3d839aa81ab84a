"""Benchmark reading a CSV whose header repeats one name.

    .venv/bin/python benchmarks/bench_tables.py [--columns 10000] [--old 1000 2000]

Figures and their baselines, measured in the same run:

- ``read_table`` of a CSV of ``--columns`` columns all named ``x`` (and 100
  rows); baseline: ``pandas.read_csv`` of the same file, which numbers
  repeated names its own way (``x.1``, ``x.2``...);
- numbering the header alone, ours against the numbering geo-sites used
  before (kept below as ``old_numbering``: a list search per try, cubic),
  at the smaller ``--old`` sizes, since the old one takes minutes at 10,000;
- deciding the encoding of ``--lines`` lines of Windows-1251 (every line
  checked for UTF-8, a sample scored as cp1251 and KOI8-U); baseline:
  ``bytes.decode("cp1251")`` alone, which decides nothing.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from geo_sites.encodings import decode
from geo_sites.tables import _columns, read_table


def old_numbering(header: list[str]) -> list[str]:
    """The header numbering before: each repeat searched the list once per number tried."""
    names: list[str] = []
    for i, raw in enumerate(header, 1):
        name = raw.strip() or f"column_{i}"
        base, n = name, 2
        while name in names:
            name, n = f"{base}_{n}", n + 1
        names.append(name)
    return names


def timed(function: Callable[[], Any]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--columns", type=int, default=10_000)
    parser.add_argument("--old", type=int, nargs="*", default=[1_000, 2_000])
    parser.add_argument("--lines", type=int, default=1_000_000)
    args = parser.parse_args()
    import pandas as pd

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "repeated.csv"
        row = ",".join(["1"] * args.columns)
        path.write_text(",".join(["x"] * args.columns) + "\n" + (row + "\n") * 100)
        ours = timed(lambda: read_table(path))
        theirs = timed(lambda: pd.read_csv(path))
        print(f"read_table, {args.columns:,} columns named x, 100 rows: {ours:.2f} s; "
              f"pandas.read_csv (baseline): {theirs:.2f} s; ratio {ours / theirs:.1f}")  # fmt: skip
    for size in (*args.old, args.columns):
        header = ["x"] * size
        new = timed(lambda header=header: _columns(header, Path("t.csv")))
        line = f"numbering {size:,} repeated names: ours {new * 1000:.1f} ms"
        if size in args.old:
            old = timed(lambda header=header: old_numbering(header))
            line += f"; old (baseline) {old:.2f} s; {old / new:,.0f} times slower"
        print(line)
    places = ("Ізюм", "Харків", "Буча", "Тростянець", "Izyum")
    data = "".join(f"{i};{places[i % 5]};{i % 447};примітка {i}\n"
                   for i in range(args.lines)).encode("cp1251")  # fmt: skip
    ours = timed(lambda: decode(data, "t.csv"))
    plain = timed(lambda: data.decode("cp1251"))
    print(
        f"decode {args.lines:,} lines of cp1251: ours {ours:.2f} s; "
        f"bytes.decode (baseline) {plain:.2f} s"
    )


if __name__ == "__main__":
    main()
