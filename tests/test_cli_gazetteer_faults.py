"""Fault injection: the real CLI, killed with SIGKILL at seeded random moments.

After every kill the next command must answer right and leave no temporary
file; simultaneous commands must run one after the other and lose nothing.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from .conftest import copy_index

SEED = 20261201
IZYUM = 707292
_CLI = [sys.executable, "-c", "from geo_sites.cli import main; main()"]
_WORDS = ["Amber", "Cobalt", "Juniper", "Saffron", "Umber", "Violet", "Indigo", "Magenta",
          "Ochre", "Teal"]  # fmt: skip


def _env(home: Path) -> dict[str, str]:
    return {**os.environ, "GEO_SITES_HOME": str(home)}


def _start(home: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*_CLI, *args], env=_env(home), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip


def _finish(process: subprocess.Popen[str]) -> tuple[int, str, str]:
    stdout, stderr = process.communicate(timeout=600)
    return process.returncode, stdout, stderr


def _kill_after(process: subprocess.Popen[str], delay: float) -> bool:
    """SIGKILL *process* after *delay* seconds; tell whether it had finished by then."""
    try:
        process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
    process.communicate(timeout=60)
    return process.returncode == 0


def _places(home: Path, number: int) -> Path:
    path = home.parent / f"places{number}.csv"
    path.write_text(f"name,lat,lon,kind\n{_name(number)},49.{number},36.4,memorial\n")
    return path


def _name(number: int) -> str:
    return f"{_WORDS[number]} Faultline Memorial"


def _leftovers(home: Path) -> list[str]:
    """Temporary files, journals and copies that no source names."""
    listed = json.loads((home / "sources.json").read_text())["sources"]
    kept = {str(Path(s["copy"]).parent) for s in listed}
    found = [str(p) for p in home.rglob("*") if p.name.endswith((".tmp", "-journal", "-wal"))]
    copies = home / "sources"
    if copies.exists():
        found += [str(p) for p in copies.iterdir() if str(p) not in kept]
    return found


def _check(home: Path, present: list[int], maybe: tuple[int, ...] = ()) -> set[int]:
    """Resolve Izyum and the user places; return which of *maybe* were found."""
    names = ["Izyum", *(_name(n) for n in [*present, *maybe])]
    code, stdout, stderr = _finish(_start(home, "resolve", *names, "-f", "json"))
    assert code == 0 and not stderr.strip().startswith("Traceback"), stderr
    rows = json.loads(stdout)
    assert rows[0]["status"] == "resolved" and rows[0]["geonameid"] == IZYUM, rows[0]
    statuses = [row["status"] for row in rows[1:]]
    assert statuses[: len(present)] == ["resolved"] * len(present), (rows, stderr)
    assert _leftovers(home) == [], stderr
    return {n for n, s in zip(maybe, statuses[len(present) :], strict=True) if s == "resolved"}


def test_killed_adds_and_builds_and_simultaneous_commands(
    default_home: Path, tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    home = tmp_path / "home"
    home.mkdir()
    copy_index(default_home, home)

    # Two additions and a look-up at once: they run one after the other, nothing is lost.
    started = time.monotonic()
    first, resolve, second = (_start(home, "gazetteer", "add", str(_places(home, 1))),
                              _start(home, "resolve", "Izyum", "-f", "json"),
                              _start(home, "gazetteer", "add", str(_places(home, 2))))  # fmt: skip
    for process in (first, second):
        code, stdout, stderr = _finish(process)
        assert code == 0 and stdout.startswith("added "), stderr
    code, stdout, stderr = _finish(resolve)
    assert code == 0 and json.loads(stdout)[0]["geonameid"] == IZYUM, stderr
    add_seconds = (time.monotonic() - started) / 2
    _check(home, [1, 2])
    listed = json.loads((home / "sources.json").read_text())["sources"]
    assert [Path(s["path"]).name for s in sorted(listed, key=lambda s: s["path"])] == [
        "places1.csv", "places2.csv"
    ]  # fmt: skip

    # Additions killed at random moments: the index before or after, never between.
    kills = 0
    added: set[int] = set()
    for number in range(3, 9):
        process = _start(home, "gazetteer", "add", str(_places(home, number)))
        finished = _kill_after(process, rng.uniform(0.05, 1.1 * add_seconds))
        kills += not finished
        added |= _check(home, [1, 2, *sorted(added)], (number,))
        assert not finished or number in added

    # Builds killed at random moments: the last index stays in use.
    for _ in range(20 - kills):
        process = _start(home, "gazetteer", "rebuild")
        assert not _kill_after(process, rng.uniform(0.05, 2.5))
        kills += 1
        _check(home, [1, 2, *sorted(added)])
    assert kills >= 20
