from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo_sites.exceptions import OutputError
from geo_sites.run import run

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "incidents.json"


def test_unplaced_sites_are_in_the_report(home_copy: Path, tmp_path: Path) -> None:
    extra = tmp_path / "extra.json"
    extra.write_text(json.dumps({"incidents": [{
        "site": "Somewhere unknown", "place": "Qwxzvillekrt", "event_type": "shelling",
        "sources": [{"outlet": "Local radio"}]}]}), "utf-8")  # fmt: skip
    result = run(SEEDS, extra, folder=tmp_path / "out", name="briefing")
    assert (result.sites, result.placed) == (15, 14)
    assert [p.name for p in result.files] == ["briefing.html", "briefing.png", "briefing.geojson",
                                              "briefing.gpkg", "briefing-report.md"]  # fmt: skip
    assert "15 sites: 14 resolved, 1 unresolved." in result.report
    assert (
        "- Somewhere unknown (Qwxzvillekrt): unresolved, no place is called 'Qwxzvillekrt'"
        in result.report
    )
    assert result.report == (tmp_path / "out" / "briefing-report.md").read_text("utf-8")


def test_an_unwritable_folder(home_copy: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="cannot make this folder"):
        run(SEEDS, folder=blocker / "out")


def test_the_committed_seed_map_is_current(home_copy: Path, tmp_path: Path) -> None:
    """maps/ holds what `python3 dev.py run` makes now (the layers and the report)."""
    maps = SEEDS.parents[1] / "maps"
    run(SEEDS.parent, folder=tmp_path)
    for name in ("seeds.geojson", "seeds-report.md"):
        assert (tmp_path / name).read_bytes() == (maps / name).read_bytes(), name


def test_reports_go_through_the_extractor(home_copy: Path, tmp_path: Path) -> None:
    """From report text, run reads as extract does: invisible characters, hidden HTML,
    hidden files and names that are not UTF-8."""
    import csv
    import os

    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / os.fsdecode(b"r\xe9port.txt")).write_text(
        "date 2022-09-16\n\nShelling killed three civilians in Khar\u00adkiv.\n"
        "An air strike hit \u0412ucha on Tuesday.\n",
        "utf-8",
    )
    (reports / "page.html").write_text(
        "<p>Two people were killed in Izium.</p><p hidden>Shelling hit Lyman.</p>", "utf-8"
    )
    (reports / ".notes.txt").write_text("Shelling hit Sumy.", "utf-8")
    result = run(reports, folder=tmp_path / "out")
    records = [json.loads(line) for line in (tmp_path / "out" / "reports-incidents.ndjson")
               .read_text("utf-8").splitlines()]  # fmt: skip
    assert [(r["place"], r["event_type"]) for r in records] == [
        ("Izium", "killing"), ("Kharkiv", "shelling"), ("Bucha", "air_strike")]  # fmt: skip
    with (tmp_path / "out" / "reports-incidents.manifest.csv").open(encoding="utf-8") as file:
        rows = [(Path(r["path"]).name, r["status"]) for r in csv.DictReader(file)]
    assert rows == [(".notes.txt", "skipped"), ("page.html", "processed"),
                    ("r\\xe9port.txt", "processed")]  # fmt: skip
    assert (result.sites, result.placed) == (3, 3)
