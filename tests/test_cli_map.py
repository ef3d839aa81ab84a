from __future__ import annotations

import json
from pathlib import Path

import pyogrio
import pytest
from click.testing import CliRunner

from geo_sites.cli import cli

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


@pytest.fixture
def runner(home_copy: Path) -> CliRunner:
    return CliRunner()


def test_map_of_the_seed_records(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "seeds.html"
    result = runner.invoke(cli, ["map", str(SEEDS), "-o", str(out), "--title", "Seeds"])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"{out}: 14 sites drawn (11 points, 3 areas)"
    assert "<title>Seeds</title>" in out.read_text("utf-8")


def test_map_of_a_layer_lists_what_it_cannot_draw(runner: CliRunner, tmp_path: Path) -> None:
    layer = tmp_path / "sites.geojson"
    assert (
        runner.invoke(cli, ["sites", str(SEEDS / "incidents.json"), "-o", str(layer)]).exit_code
        == 0
    )
    data = json.loads(layer.read_text("utf-8"))
    data["features"][0]["geometry"] = None
    layer.write_text(json.dumps(data), "utf-8")
    result = runner.invoke(cli, ["map", str(layer), "-o", str(tmp_path / "m.png"), "--dpi", "60"])
    assert result.exit_code == 0, result.output
    assert "13 sites drawn" in result.stderr
    assert (
        "not on the map: 1 site without a location:\n  Izium, destroyed five-storey"
        in result.stderr
    )


@pytest.mark.parametrize(
    ("args", "message", "code"),
    [
        (["--color-by", "colour"],
         "Error: Invalid value for '--color-by': no column 'colour'; the columns are: site_id,", 2),
        (["--size-by", "name"],
         "Error: Invalid value for '--size-by': the column 'name' holds no numbers", 2),
        (["--tiles", "Nowhere"],
         "Error: Invalid value for '--tiles': unknown tile provider 'Nowhere'", 2),
        (["--boundaries", "missing.geojson"], "Error: missing.geojson: no such boundaries file", 1),
        (["--fragment", "--height", "abc"],
         "Error: Invalid value for '--height': expected a CSS length such as 600px, 70vh or 50%, "
         "instead got 'abc'", 2),
        (["--fragment", "--height", "1px;background:red"],
         "Error: Invalid value for '--height': expected a CSS", 2),
    ],
)  # fmt: skip
def test_bad_options_get_one_line(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str, code: int
) -> None:
    """A bad option value is a usage error (exit 2), a bad file one line (exit 1)."""
    result = runner.invoke(cli, ["map", str(SEEDS), "-o", str(tmp_path / "m.html"), *args])
    assert result.exit_code == code and "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert lines[-1].startswith(message)
    assert len(lines) == 1 if code == 1 else lines[0].startswith("Usage: ")
    assert not (tmp_path / "m.html").exists()


def test_inputs_with_nothing_to_draw(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.geojson"
    empty.write_text('{"type": "FeatureCollection", "features": []}', "utf-8")
    unplaced = tmp_path / "unplaced.json"
    unplaced.write_text(json.dumps({"incidents": [{
        "site": "Nowhere", "place": "Qwxzvillekrt", "event_type": "killing",
        "sources": [{"outlet": "X"}]}]}), "utf-8")  # fmt: skip
    cases = [(empty, "nothing to map: the input has no rows"),
             (unplaced, "nothing to map: none of the 1 rows has a location")]  # fmt: skip
    for path, message in cases:
        result = runner.invoke(cli, ["map", str(path), "-o", str(tmp_path / "m.html")])
        assert result.exit_code == 1 and message in result.stderr, result.output
    result = runner.invoke(cli, ["map", str(SEEDS), "-o", str(tmp_path / "m.tiff")])
    assert result.exit_code == 2 and "Invalid value for '-o' / '--output'" in result.stderr
    assert "m.tiff: unknown map extension '.tiff'" in result.stderr


def test_run_writes_the_map_the_layers_and_a_report(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["run", str(SEEDS), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["seeds-report.md", "seeds.geojson", "seeds.gpkg", "seeds.html", "seeds.png"]
    assert result.stderr.strip().endswith("14 sites, 14 on the map")
    assert pyogrio.read_info(tmp_path / "out" / "seeds.gpkg", layer="seeds")["features"] == 14
    report = (tmp_path / "out" / "seeds-report.md").read_text("utf-8")
    assert "14 sites: 14 resolved." in report and "Every site was placed." in report
    assert (
        "| Kharkiv Oblast | mass_grave | Kharkiv | Kharkiv Oblast | admin1 | resolved |" in report
    )


def test_the_areas_go_beside_the_layers(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "sites.gpkg"
    result = runner.invoke(cli, ["sites", str(SEEDS), "-o", str(out), "--areas"])
    assert result.exit_code == 0, result.output
    info = pyogrio.read_info(tmp_path / "sites-areas.gpkg", layer="sites-areas")
    assert (info["features"], info["geometry_type"]) == (5, "Polygon")
    result = runner.invoke(cli, ["run", str(SEEDS), "-o", str(tmp_path / "out"), "--areas",
                                 "--dpi", "50"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert {"seeds-areas.geojson", "seeds-areas.gpkg"} <= {
        p.name for p in (tmp_path / "out").iterdir()
    }


def test_report_text_never_runs_as_code(runner: CliRunner, tmp_path: Path) -> None:
    """Template code in reports, records, layers and options stays text, through every command."""
    marker = tmp_path / "PWNED"
    code = f"{{{{ lipsum.__globals__['os'].popen('touch {marker}').read() }}}} {{{{ 7*7 }}}}"
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "izium.txt").write_text(
        f"The bodies of 44 civilians were found in a mass grave in Izium {code} according to "
        "police.\n", "utf-8")  # fmt: skip
    (reports / "bucha.html").write_text(
        f"<html><head><title>Bucha {code}</title></head><body><p>Police found the bodies of "
        f"12 civilians in Bucha {code} {{% if {{# on Monday.</p></body></html>",
        "utf-8")  # fmt: skip
    out = tmp_path / "out"
    result = runner.invoke(cli, ["run", str(reports), "-o", str(out), "--title", f"T {code}",
                                 "--caption", "{% {# {{"])  # fmt: skip
    assert result.exit_code == 0, result.output
    page = (out / "reports.html").read_text("utf-8")
    assert "Izium {{ lipsum" in page and "Bucha {{ lipsum" in page and "T 49" not in page
    records = tmp_path / "records.json"
    records.write_text(json.dumps({"incidents": [{
        "site": f"Site {code}", "place": "Bucha", "event_type": "killing",
        "sources": [{"outlet": f"Outlet {code}", "quote": code, "note": "{% {#"}]}]}),
        "utf-8")  # fmt: skip
    for source, name in ((out / "reports.geojson", "layer"), (records, "records")):
        for extra in ([], ["--fragment", "--height", "400px"]):
            html = tmp_path / f"{name}{len(extra)}.html"
            result = runner.invoke(cli, ["map", str(source), "-o", str(html), *extra,
                                         "--title", code, "--subtitle", "{%"])  # fmt: skip
            assert result.exit_code == 0, result.output
            text = html.read_text("utf-8")
            assert text.count("{{ 7*7 }}") >= 3 and " 49 " not in text
    assert not marker.exists()
