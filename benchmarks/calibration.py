"""Measure what the resolver's answers mean: the share right per status and per score band.

    .venv/bin/python benchmarks/calibration.py [--home DIR] [--ua-home DIR] [--limit N]
                                               [--answers FILE.jsonl]

Data sets, read from ``GEO_SITES_SHARED`` (default ``../shared``):

- the world geoparsing benchmarks ``eval/benchmarks/GWN.xml`` and ``lgl.xml``:
  the gold toponyms of each article resolved in one ``resolve_many`` batch, as
  ``geo-sites resolve`` reads a stdin of names; right = the first candidate
  within 161 km of the gold point (Acc@161 counts it whatever the status);
- the Ukrainian spellings ``eval/ua_spellings_dev.csv``: each variant spelling
  resolved ``within`` its oblast, against the default index plus the GeoNames
  Ukraine dump (``data/geonames/UA.zip``); right = within 5 km.

For each data set the script prints Acc@161 (or top-1), the share of
"resolved" answers that are right, and the share right per status and per band
of the first candidate's score (0-0.5, 0.5-0.7, 0.7-0.9, 0.9-1), so that a
score can be read as a probability.  ``--home`` is the home of the default
index (built there when missing; a temporary one without it); ``--ua-home`` a
home with the Ukraine dump added (built in a temporary folder without it).
``--answers`` writes one JSON line per name for error analysis.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from geo_sites.gazetteer import Gazetteer, GazetteerHome
from geo_sites.models import Match, haversine_km

SHARED = Path(os.environ.get("GEO_SITES_SHARED", Path(__file__).resolve().parents[2] / "shared"))
BANDS = ((0.0, 0.5), (0.5, 0.7), (0.7, 0.9), (0.9, 1.0))
WORLD_KM = 161.0
UA_KM = 5.0


@dataclass(frozen=True)
class Answer:
    """One name of a data set: the resolver's match and whether its first candidate is right."""

    name: str
    match: Match
    right: bool


def world_articles(path: Path) -> Iterator[list[tuple[str, float, float]]]:
    """The gold toponyms of each article of a GeoWebNews or LGL file: (name, lat, lon)."""
    for article in ET.parse(path).getroot().iter("article"):
        names = []
        for toponym in article.iter("toponym"):
            if toponym.find("extractedName") is not None:  # GeoWebNews
                lat, lon = toponym.findtext("latitude"), toponym.findtext("longitude")
                name = toponym.findtext("extractedName")
            else:  # LGL
                gold = toponym.find("gaztag")
                if gold is None:
                    continue
                lat, lon = gold.findtext("lat"), gold.findtext("lon")
                name = toponym.findtext("phrase")
            if lat and lon and name and name.strip():
                names.append((name.strip(), float(lat), float(lon)))
        if names:
            yield names


def world_answers(gazetteer: Gazetteer, path: Path, limit: int | None) -> list[Answer]:
    """Resolve each article's toponyms in one batch; right within :data:`WORLD_KM`."""
    answers = []
    for number, names in enumerate(world_articles(path)):
        if limit is not None and number >= limit:
            break
        matches = gazetteer.resolve_many([name for name, _, _ in names], limit=5)
        for (name, lat, lon), match in zip(names, matches, strict=True):
            answers.append(Answer(name, match, _within(match, lat, lon, WORLD_KM)))
    return answers


def ua_answers(gazetteer: Gazetteer, path: Path, limit: int | None) -> list[Answer]:
    """Resolve each spelling within its oblast; right within :data:`UA_KM`."""
    answers = []
    with path.open(encoding="utf-8", newline="") as file:
        rows = [row for row in csv.DictReader(file) if row["lat"] and row["unique_in_oblast"]]
    for row in rows[:limit]:
        oblast = row["oblast"].replace(" (city)", "")
        match = gazetteer.resolve(row["variant_spelling"], within=oblast)
        right = _within(match, float(row["lat"]), float(row["lon"]), UA_KM)
        answers.append(Answer(row["variant_spelling"], match, right))
    return answers


def _within(match: Match, lat: float, lon: float, km: float) -> bool:
    if not match.candidates:
        return False
    place = match.candidates[0].place
    return haversine_km(lat, lon, place.lat, place.lon) <= km


def table(label: str, answers: Sequence[Answer], out: IO[str] = sys.stdout) -> None:
    """Print the data set's figures: overall, per status, per score band."""
    n = len(answers)
    right = sum(a.right for a in answers)
    resolved = [a for a in answers if a.match.status == "resolved"]
    print(f"{label}: {n} names; first candidate right {_share(right, n)}; "
          f"resolved {_share(len(resolved), n)} of the names, of which right "
          f"{_share(sum(a.right for a in resolved), len(resolved))}", file=out)  # fmt: skip
    print(f"  {'':22} {'names':>7} {'right':>7}", file=out)
    for status in ("resolved", "ambiguous", "unresolved"):
        rows = [a for a in answers if a.match.status == status]
        print(f"  {status:22} {len(rows):7} {_share(sum(a.right for a in rows), len(rows)):>7}",
              file=out)  # fmt: skip
    for low, high in BANDS:
        rows = [a for a in answers if a.match.candidates and _band(a.match) == (low, high)]
        print(f"  score {low:.1f}-{high:.1f}{'':12} {len(rows):7} "
              f"{_share(sum(a.right for a in rows), len(rows)):>7}", file=out)  # fmt: skip
    none = sum(1 for a in answers if not a.match.candidates)
    print(f"  {'no candidate':22} {none:7}", file=out)


def _band(match: Match) -> tuple[float, float]:
    score = match.candidates[0].score
    return next((low, high) for low, high in BANDS if score < high or high == 1.0)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "-"


def _write(answers: Sequence[Answer], label: str, out: IO[str]) -> None:
    for answer in answers:
        match = answer.match
        first = match.candidates[0] if match.candidates else None
        record = {
            "set": label,
            "name": answer.name,
            "status": match.status,
            "right": answer.right,
            "score": first.score if first else None,
            "method": first.method if first else None,
            "matched_name": first.matched_name if first else None,
            "answer": first.place.to_dict() if first else None,
            "reason": match.reason,
        }
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, help="a GEO_SITES_HOME with the default index")
    parser.add_argument("--ua-home", type=Path, help="a GEO_SITES_HOME with the UA dump added")
    parser.add_argument("--limit", type=int, help="at most this many articles or rows a set")
    parser.add_argument("--answers", type=Path, help="write every answer here, as JSON lines")
    options = parser.parse_args(argv)
    if not (SHARED / "eval" / "benchmarks").is_dir():
        sys.exit(f"the shared data folder is not at {SHARED} (set GEO_SITES_SHARED)")
    with tempfile.TemporaryDirectory() as folder:
        home = options.home or Path(folder) / "home"
        home.mkdir(exist_ok=True)
        ua_home = options.ua_home
        if ua_home is None:
            ua_home = Path(folder) / "ua-home"
            ua_home.mkdir()
            GazetteerHome(home).ensure_index()
            for name in ("index.sqlite", "index.keys"):
                shutil.copy(home / name, ua_home / name)
            GazetteerHome(ua_home).add(SHARED / "data" / "geonames" / "UA.zip")
        sets: list[tuple[str, list[Answer]]] = []
        with Gazetteer.default(home=home) as gazetteer:
            for bench in ("GWN.xml", "lgl.xml"):
                path = SHARED / "eval" / "benchmarks" / bench
                sets.append((bench, world_answers(gazetteer, path, options.limit)))
        with Gazetteer.default(home=ua_home) as gazetteer:
            path = SHARED / "eval" / "ua_spellings_dev.csv"
            sets.append(("UA spellings, oblast hint", ua_answers(gazetteer, path, options.limit)))
    for label, answers in sets:
        table(label, answers)
    if options.answers:
        with options.answers.open("w", encoding="utf-8") as out:
            for label, answers in sets:
                _write(answers, label, out)


if __name__ == "__main__":
    main()
