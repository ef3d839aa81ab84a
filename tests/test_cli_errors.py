"""How the CLI shows errors: a bad option value is a usage error naming the option (exit 2),
bad data is one line (exit 1), and neither shows a traceback.

The library raises :class:`~geo_sites.exceptions.ParameterError` naming its own
parameter (``timeline``, ``path``); the CLI names the option that gave it.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import geopandas as gpd
import pytest
from click.testing import CliRunner
from shapely.geometry import Point

from geo_sites.cli import cli

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
REPORTS = ROOT / "tests" / "data" / "reports"


@pytest.fixture
def runner(default_home: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("GEO_SITES_HOME", str(default_home))  # none of these writes the index
    return CliRunner()


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A table, a point layer without dates and a GeoPackage of two layers, in the cwd."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_text("place,n,lat,lon\nIzyum,1,49.2,37.3\n", "utf-8")
    points = gpd.GeoDataFrame({"place": ["Izyum"]}, geometry=[Point(37.27, 49.2)], crs=4326)
    points.to_file(tmp_path / "points.geojson", engine="pyogrio")
    for layer in ("sites", "areas"):
        points.to_file(tmp_path / "two.gpkg", layer=layer, engine="pyogrio")
    return tmp_path


def _run(runner: CliRunner, line: str) -> tuple[int, list[str]]:
    line = line.format(seeds=SEEDS, reports=REPORTS)
    result = runner.invoke(cli, shlex.split(line), prog_name="geo-sites")
    assert "Traceback" not in result.output, result.output
    return result.exit_code, result.stderr.splitlines()


@pytest.mark.parametrize(
    ("line", "option", "message"),
    [
        ("resolve Izyum --country XX", "'--country'", "unknown country code 'XX': no place"),
        ("resolve Izyum --within Narnia", "'--within'", "cannot find the region 'Narnia'"),
        ("resolve Izyum --online --user-agent ' '", "'--user-agent'",
         "the online fallback needs a user agent naming your application"),
        ("join t.csv --place-column town -o out.csv", "'--place-column'",
         "t.csv: no column 'town'; the columns are 'place', 'n', 'lat', 'lon'"),
        ("join t.csv --place-column place --country-column cc -o out.csv", "'--country-column'",
         "t.csv: no column 'cc'"),
        ("join t.csv --place-column place --admin1-column oblast -o out.csv",
         "'--admin1-column'", "t.csv: no column 'oblast'"),
        ("join t.csv --place-column place --lat-column lat -o out.csv", "'--lat-column'",
         "a column of latitudes needs one of longitudes"),
        ("join t.csv --place-column place --lon-column lon -o out.csv", "'--lon-column'",
         "a column of longitudes needs one of latitudes"),
        ("join t.csv --place-column place --country XX -o out.csv", "'--country'",
         "unknown country code 'XX'"),
        ("join t.csv --place-column place --encoding bogus -o out.csv", "'--encoding'",
         "unknown encoding 'bogus'"),
        ("join t.csv --place-column place --delimiter ';;' -o out.csv", "'--delimiter'",
         "a delimiter is one character, instead got: ';;'"),
        ("join two.gpkg --place-column place --layer roads -o out.csv", "'--layer'",
         "two.gpkg: no layer 'roads'; the layers are 'sites', 'areas'"),
        ("join t.csv --place-column place -f gpkg -o out.csv", "'--format' / '-f'",
         "out.csv: the extension says csv, not gpkg; name the file .gpkg or give no format"),
        ("run {seeds} -o out --name a/b", "'--name'", "a name for the files, not a path: 'a/b'"),
        ("join t.csv --place-column place -o out.docx", "'-o' / '--output'",
         "out.docx: unknown output extension '.docx'; use one of .geojson,"),
        ("sites {seeds}/incidents.json -o out.gpkg --sequence", "'--sequence'",
         "is for GeoJSON, not GeoPackage"),
        ("sites {seeds}/incidents.json -o out.kml --qml", "'--qml'",
         "a .qml sidecar is for GeoJSON, not KML; a GeoPackage carries its style"),
        ("export points.geojson -o out.geojson --qml", "'--qml'",
         "a .qml style is made for site layers (columns event_type, name and precision)"),
        ("export points.geojson -o out.csv --sequence", "'--sequence'", "is for GeoJSON, not CSV"),
        ("extract {reports} -o out.ndjson --encoding bogus", "'--encoding'",
         "unknown encoding 'bogus'"),
        ("extract {reports} -o out.ndjson --manifest out.ndjson", "'--manifest'",
         "out.ndjson is the output out.ndjson itself; give another file"),
        ("extract {reports} -o out.docx", "'-o' / '--output'",
         "out.docx: unknown output extension"),
        ("map {seeds} -o m.tiff", "'-o' / '--output'", "m.tiff: unknown map extension '.tiff'"),
        ("map {seeds} -o -", "'-o' / '--output'", "-: a map is written to a file, not stdout"),
        ("sites {seeds}/incidents.json -o -", "'--format' / '-f'",
         "-: give the format to write to stdout"),
        ("sites {seeds}/incidents.json -o - -f gpkg", "'-o' / '--output'",
         "-: GeoPackage cannot be written to stdout; give a file"),
        ("sites {seeds}/incidents.json -o - -f geojson --qml", "'--qml'",
         "a .qml sidecar needs a file, not stdout"),
        ("sites {seeds}/incidents.json -o - -f geojson --areas", "'--areas'",
         "the areas go beside a file, not to stdout"),
        ("map {seeds} -o m.html --color-by colour", "'--color-by'",
         "no column 'colour'; the columns are: site_id, name,"),
        ("map {seeds} -o m.html --size-by name", "'--size-by'",
         "the column 'name' holds no numbers"),
        ("map {seeds} -o m.png --timeline", "'--timeline'", "is for HTML maps, not .png"),
        ("map points.geojson -o m.html --timeline", "'--timeline'",
         "needs dates: an event_start or a date column"),
        ("map {seeds} -o m.svg --fragment", "'--fragment'", "is for HTML maps, not .svg"),
        ("map {seeds} -o m.html --tiles Nowhere", "'--tiles'",
         "unknown tile provider 'Nowhere'; use a name from xyzservices"),
        ("map {seeds} -o m.html --fragment --height big", "'--height'",
         "expected a CSS length such as 600px, 70vh or 50%, instead got 'big'"),
        ("map {seeds} -o m.html --country XX", "'--country'", "unknown country code 'XX'"),
        ("run {seeds} -o out --size-by name", "'--size-by'", "the column 'name' holds no numbers"),
        ("gazetteer add --country UKR", "'--country'",
         "expected a two-letter country code, instead got: 'UKR'"),
    ],
)  # fmt: skip
def test_a_bad_option_value_is_a_usage_error_naming_the_option(
    runner: CliRunner, inputs: Path, line: str, option: str, message: str
) -> None:
    code, lines = _run(runner, line)
    assert code == 2, lines
    command = " ".join(line.split()[:2] if line.startswith("gazetteer") else line.split()[:1])
    assert f"Usage: geo-sites {command} [OPTIONS]" in "\n".join(lines), lines
    assert lines[-1].startswith(f"Error: Invalid value for {option}: {message}"), lines
    assert not [p for p in inputs.rglob("*") if p.is_file() and p.name.startswith(("out", "m."))]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("map {seeds} -o m.html --boundaries points.geojson",
         "points.geojson: boundaries are polygons; this layer has none"),
        ("map {seeds} -o m.html --boundaries missing.geojson",
         "missing.geojson: no such boundaries file"),
        ("evaluate points.geojson t.csv",
         "t.csv: a truth table needs the column(s) file or doc, event_type; it has place, n, "
         "lat, lon"),
    ],
)  # fmt: skip
def test_bad_data_is_one_line_and_exit_1(
    runner: CliRunner, inputs: Path, line: str, message: str
) -> None:
    assert _run(runner, line) == (1, [f"Error: {message}"])
    assert not (inputs / "m.html").exists()
