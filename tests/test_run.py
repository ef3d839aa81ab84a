from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo_sites.exceptions import InvalidInputError, OutputError
from geo_sites.gazetteer import Gazetteer
from geo_sites.maps import MapOptions
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


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("a default gazetteer was opened")


def test_records_and_reports_are_placed_with_the_one_gazetteer_given(
    gazetteer: Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Gazetteer, "default", _refuse)
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "bucha.txt").write_text(
        "date 2022-04-04\n\nAn air strike hit Bucha on Tuesday, killing five civilians.\n",
        "utf-8",
    )
    result = run(SEEDS, reports, folder=tmp_path / "out", gazetteer=gazetteer)
    assert [p.name for p in result.files][:2] == ["incidents-incidents.ndjson",
                                                  "incidents-incidents.manifest.csv"]  # fmt: skip
    assert (result.sites, result.placed) == (15, 15)
    assert "| Bucha | air_strike | Bucha | Bucha, Kyiv Oblast | settlement |" in result.report


def test_layers_need_no_gazetteer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Gazetteer, "default", _refuse)
    layer = _layer(tmp_path / "sites.geojson", ("Izium", 37.27, 49.2), ("Kyiv", 30.5, 50.45))
    assert run(layer, folder=tmp_path / "out", options=MapOptions(dpi=50)).sites == 2


def test_reports_without_incidents_leave_nothing_to_map(home_copy: Path, tmp_path: Path) -> None:
    reports = tmp_path / "quiet"
    reports.mkdir()
    (reports / "weather.txt").write_text("It rained in Kyiv on Tuesday.\n", "utf-8")
    with pytest.raises(InvalidInputError, match=r"^nothing to map: the input has no rows$"):
        run(reports, folder=tmp_path / "out")
    assert not list((tmp_path / "out").iterdir())


def _layer(path: Path, *rows: tuple[str, float, float], **columns: object) -> Path:
    """A small sites layer (name, lon, lat) as GeoJSON: run reads it without a gazetteer."""
    import geopandas as gpd

    frame = gpd.GeoDataFrame(
        [{"name": name, "event_type": "killing", "count": 3, "precision": "settlement",
          "status": "resolved", **columns} for name, _, _ in rows],
        geometry=gpd.points_from_xy([r[1] for r in rows], [r[2] for r in rows]), crs=4326,
    )  # fmt: skip
    frame.to_file(path)
    return path


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_report_of_one_site(home_copy: Path, tmp_path: Path) -> None:
    reports = tmp_path / "one"
    reports.mkdir()
    (reports / "izium.txt").write_text(
        "The bodies of 44 civilians were found in a mass grave in Izium, police said.\n", "utf-8"
    )
    result = run(reports, folder=tmp_path / "out")
    assert (result.sites, result.placed) == (1, 1)
    assert sorted(_files(tmp_path / "out")) == sorted(p.name for p in result.files)
    assert (tmp_path / "out" / "one.png").stat().st_size > 10_000


def test_a_failed_run_leaves_the_previous_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    near = _layer(tmp_path / "sites.geojson", ("Izium", 37.27, 49.2), ("Kyiv", 30.5, 50.45))
    run(near, folder=out, options=MapOptions(title="Old", dpi=50))
    before = _files(out)
    # The page can show sites around the world; the image cannot: the run fails at the image.
    _layer(near, ("Fiji", 178.0, -17.7), ("Samoa", -172.0, -13.8))
    with pytest.raises(InvalidInputError, match="an image shows one region"):
        run(near, folder=out, options=MapOptions(title="New", dpi=50))
    assert _files(out) == before  # every old file as it was, no new one, no temporary folder


def test_the_timeline_is_for_the_page(tmp_path: Path) -> None:
    layer = _layer(tmp_path / "sites.geojson", ("Izium", 37.27, 49.2), ("Kyiv", 30.5, 50.45),
                   event_start="2022-03-07")  # fmt: skip
    result = run(layer, folder=tmp_path / "out", options=MapOptions(timeline=True, dpi=50))
    assert [p.suffix for p in result.files] == [".html", ".png", ".geojson", ".gpkg", ".md"]
    page = (tmp_path / "out" / "sites.html").read_text("utf-8")
    assert '"timeline":true' in page and '"days":[19058]' in page  # 2022-03-07


def test_a_run_writes_the_areas_the_map_draws(home_copy: Path, tmp_path: Path) -> None:
    import pyogrio

    result = run(SEEDS, folder=tmp_path, options=MapOptions(dpi=50), areas=True)
    assert [p.name for p in result.files][-3:] == [
        "incidents-areas.geojson",
        "incidents-areas.gpkg",
        "incidents-report.md",
    ]
    for path in result.files[-3:-1]:
        areas = pyogrio.read_dataframe(path, layer="incidents-areas")
        assert len(areas) == 5 and set(areas.geom_type) == {"Polygon"}
        assert areas["area_shape"].value_counts().to_dict() == {"boundary": 3, "circle": 2}


def test_report_text_stays_text_in_markdown(tmp_path: Path) -> None:
    """Names from reports cannot add links, images, HTML, code, headings or table cells."""
    from markdown_it import MarkdownIt

    hostile = [
        "Pipe | in a name", "<img src=x onerror=alert(1)>", "[click](https://evil.example)",
        "![pixel](https://evil.example/p.png)", "`code` span", "# heading", "line\nbreak\r\nx",
        "<!-- comment", "*bold* and _emph_", "1. list", "- item", "back\\slash",
    ]  # fmt: skip
    rows = [(text, 30.0 + n * 0.3, 49.0) for n, text in enumerate(hostile)]
    layer = _layer(tmp_path / "sites.geojson", *rows, place_as_written="Izium | x <b>")
    report = run(layer, folder=tmp_path / "out").report
    html = MarkdownIt("commonmark").enable("table").render(report)
    assert html.count("<h1>") == 1 and html.count("<h2>") == 1
    for tag in ("<a ", "<img", "<code>", "<em>", "<strong>", "<b>", "<!--", "<ol>", "<li>"):
        assert tag not in html, tag
    assert html.count("<tr>") == len(hostile) + 1  # the header and one row a site
    cells = html.split("<tbody>")[1].split("<td>")[1:]
    shown = [c.split("</td>")[0] for c in cells[::7]]  # the site column
    assert shown[0] == "Pipe | in a name"
    assert shown[1] == "&lt;img src=x onerror=alert(1)&gt;"
    assert shown[2] == "[click](https://evil.example)"
    assert shown[6] == "line break x"
    assert shown[11] == "back\\slash"


def test_a_killed_run_leaves_the_previous_outputs(tmp_path: Path) -> None:
    """Fault injection: kill -9 at seeded random moments; the old outputs stay as they were.

    The files move into place one after the other only once all are written,
    so a kill leaves every old file, or (in the instant of those renames)
    some new ones, each whole.  The next run removes what killed runs left.
    """
    import random
    import subprocess
    import sys
    import time

    layer = _layer(tmp_path / "sites.geojson", ("Izium", 37.27, 49.2), ("Kyiv", 30.5, 50.45))
    out = tmp_path / "out"

    def command(title: str) -> list[str]:
        return [sys.executable, "-c", "from geo_sites.cli import main; main()", "run",
                str(layer), "-o", str(out), "--dpi", "50", "--title", title]  # fmt: skip

    started = time.perf_counter()
    subprocess.run(command("Old"), check=True, capture_output=True)
    seconds = time.perf_counter() - started
    old = _files(out)
    rng = random.Random(20221201)
    seen = []
    for _ in range(3):
        child = subprocess.Popen(command("New"), stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.1, seconds))
        child.kill()
        child.wait()
        seen.append({n: b for n, b in _files(out).items() if not n.startswith(".")})
    subprocess.run(command("New"), check=True, capture_output=True)
    new = _files(out)
    assert all(old[name] != new[name] for name in ("sites.html", "sites.png"))
    for files in seen:
        assert files in (old, new)
    assert not list(out.glob(".*"))  # what the killed runs left is gone


def test_a_full_disk_gets_one_line_and_keeps_the_previous_outputs(tmp_path: Path) -> None:
    import subprocess
    import sys

    from .maps.test_image import _full_disk

    layer = _layer(tmp_path / "sites.geojson", ("Izium", 37.27, 49.2), ("Kyiv", 30.5, 50.45))
    out = tmp_path / "out"
    command = [sys.executable, "-c", "from geo_sites.cli import main; main()", "run",
               str(layer), "-o", str(out), "--dpi", "50"]  # fmt: skip
    subprocess.run([*command, "--title", "Old"], check=True, capture_output=True)
    old = _files(out)
    result = subprocess.run([*command, "--title", "New"], capture_output=True, text=True,
                            preexec_fn=_full_disk, timeout=120)  # fmt: skip
    assert result.returncode == 1
    assert result.stderr.startswith("Error: ") and result.stderr.endswith("(File too large)\n")
    assert len(result.stderr.splitlines()) == 1
    assert _files(out) == old and not list(out.glob(".*"))
