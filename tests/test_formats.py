"""The format registry: extensions, content sniffing, every format read back by every command."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from click.testing import CliRunner

from geo_sites import formats
from geo_sites.cli import cli
from geo_sites.exceptions import InvalidInputError
from geo_sites.formats import detect, for_output, long_names, shapefile_names, sniff

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "incidents.json"
RECORD = json.loads(SEEDS.read_text("utf-8"))["incidents"][0]
#: Every layer format geo-sites writes, by an extension of each.
LAYER_EXTENSIONS = (".geojson", ".geojsonl", ".json", ".ndjson", ".gpkg", ".csv", ".xlsx",
                    ".fgb", ".parquet", ".shp", ".kml")  # fmt: skip


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_every_reader_and_writer_exists() -> None:
    assert len({f.name for f in formats.FORMATS}) == len(formats.FORMATS)
    for fmt in formats.FORMATS:
        assert fmt.reader or fmt.writer, fmt.name
        for reference in (fmt.reader, fmt.writer):
            if reference:
                assert callable(formats._function(reference)), reference


def test_every_layer_written_is_read_as_a_layer() -> None:
    for name in formats.names("layer", writable=True):
        fmt = formats.by_name(name)
        assert "layer" in fmt.holds and fmt.reader, name  # written, and read back
        assert for_output(f"x{fmt.extensions[0]}", ("layer",)) == fmt


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.json", '{"type": "FeatureCollection", "features": []}', "geojson"),
        ("a.json", '{"features": [], "type": "FeatureCollection"}', "geojson"),
        ("a.json", '{"about": "a \\"features\\": [", "incidents": []}', "records"),
        ("a.json", json.dumps([RECORD]), "records"),
        ("a.json", '[{"site": ' + "9" * 5_000 + "}]", "records"),  # the reader says what is wrong
        ("a.json", "[" * 10_000, "records"),
        ("a.json", '[{"place": "Izyum", "n": 3}]', "json"),
        ("a.json", '{"rows": [{"place": "Izyum"}]}', "json"),
        ("a.ndjson", json.dumps(RECORD) + "\n", "records-ndjson"),
        ("a.ndjson", '{"type": "Feature", "properties": {}, "geometry": null}\n', "geojsonseq"),
        ("a.jsonl", '\x1e{"type": "Feature", "geometry": null}\n', "geojsonseq"),
        ("a.ndjson", '{"place": "Izyum"}\n{"place": "Bucha"}\n', "ndjson"),
        ("stdin", json.dumps(RECORD) + "\n" + json.dumps(RECORD) + "\n", "records-ndjson"),
        ("stdin", json.dumps(RECORD), "records-ndjson"),
        ("stdin", '{\n "type": "FeatureCollection",\n "features": []\n}\n', "geojson"),
    ],
)  # fmt: skip
def test_sniff(tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    assert sniff(path).name == expected


@pytest.mark.parametrize(
    ("name", "kinds", "expected"),
    [
        ("a.txt", ("table",), "delimited"),
        ("a.txt", ("document",), "text"),
        ("a.txt", ("places",), "geonames"),
        ("a.html", ("document",), "webpage"),
        ("a.csv", ("records", "layer"), "csv"),
        ("a.SHP", ("layer",), "shp"),
    ],
)
def test_the_kind_of_data_decides_between_formats_of_one_extension(
    name: str, kinds: tuple[formats.Kind, ...], expected: str
) -> None:
    assert detect(name, kinds).name == expected


def test_records_are_rows_to_a_table_and_rows_are_no_layer(tmp_path: Path) -> None:
    records = tmp_path / "r.json"
    records.write_text(json.dumps({"incidents": [RECORD]}), "utf-8")
    assert detect(records, ("table", "layer")).name == "json"
    rows = tmp_path / "rows.ndjson"
    rows.write_text('{"place": "Izyum"}\n', "utf-8")
    with pytest.raises(InvalidInputError, match=r"rows.ndjson: holds NDJSON rows, not records"):
        detect(rows, ("records", "layer"))


@pytest.mark.parametrize(
    ("path", "fmt", "message"),
    [
        ("x.docx", None, r"unknown output extension '\.docx'; use one of \.geojson, \.json"),
        ("-", None, "-: give the format to write to stdout"),
        ("-", "gpkg", "-: GeoPackage cannot be written to stdout; give a file"),
        ("x.geojson", "geotiff", "unknown output format 'geotiff'"),
    ],
)
def test_bad_outputs_are_one_line(path: str, fmt: str | None, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message) as caught:
        for_output(path, ("layer",), fmt=fmt)
    assert "\n" not in str(caught.value)


def test_shapefile_names() -> None:
    columns = ["site_id", "place_as_written", "event_start", "sources_json", "a_long_column_name",
               "a_long_column_nickname", "Область_назва"]  # fmt: skip
    short = shapefile_names(columns)
    assert list(short.values()) == ["site_id", "place_wrtn", "ev_start", "src_json", "a_long_col",
                                    "a_long_c_2", "Облас"]  # fmt: skip
    assert all(len(s.encode("utf-8")) <= 10 for s in short.values())
    back = long_names(short.values())
    assert back == {"place_wrtn": "place_as_written", "ev_start": "event_start",
                    "src_json": "sources_json"}  # fmt: skip


@pytest.mark.parametrize("extension", LAYER_EXTENSIONS)
def test_every_format_written_is_read_back_by_map_and_export(
    runner: CliRunner, home_copy: Path, tmp_path: Path, extension: str
) -> None:
    written = tmp_path / f"sites{extension}"
    result = runner.invoke(cli, ["sites", str(SEEDS), "-o", str(written)])
    assert result.exit_code == 0, result.output
    source = tmp_path / "source.geojson"
    assert runner.invoke(cli, ["sites", str(SEEDS), "-o", str(source)]).exit_code == 0
    result = runner.invoke(cli, ["map", str(written), "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 0, result.output
    assert "14 sites drawn" in result.stderr
    back = tmp_path / "back.geojson"
    result = runner.invoke(cli, ["export", str(written), "-o", str(back)])
    assert result.exit_code == 0, result.output

    def rows(path: Path) -> list[tuple[str, int | None, int | None]]:
        features = json.loads(path.read_text("utf-8"))["features"]
        return [(f["properties"]["site_id"], f["properties"]["count"],
                 f["properties"]["source_count"]) for f in features]  # fmt: skip

    assert rows(back) == rows(source) and len(rows(source)) == 14


@pytest.mark.parametrize("extension", [".fgb", ".shp", ".xlsx", ".kml", ".parquet"])
def test_the_new_formats_open_in_gdal_and_geopandas(
    runner: CliRunner, home_copy: Path, tmp_path: Path, extension: str
) -> None:
    path = tmp_path / f"sites{extension}"
    assert runner.invoke(cli, ["sites", str(SEEDS), "-o", str(path)]).exit_code == 0
    if extension == ".parquet":
        frame = gpd.read_parquet(path)
        assert frame.crs.to_epsg() == 4326 and frame["count"].dtype == "Int64"
        assert str(frame["event_start"].dtype).startswith("datetime64")
    else:
        frame = pyogrio.read_dataframe(path)
    assert len(frame) == 14
    site_ids = frame["site_id"].tolist()
    assert len(set(site_ids)) == 14 and all(s.startswith("site-") for s in site_ids)
    if extension == ".shp":
        assert path.with_suffix(".cpg").read_text("ascii") == "UTF-8"
        assert {"place_wrtn", "ev_start", "src_json"} <= set(frame.columns)
        assert all(len(c.encode("utf-8")) <= 10 for c in frame.columns)
        assert "Kharkiv Oblast" in frame["admin1"].tolist()
    if extension == ".xlsx":  # GDAL reads the sheet; points from lat and lon
        assert {"lat", "lon", "wkt"} <= set(frame.columns)
        assert frame["wkt"].str.startswith("POINT (").all()


def test_a_shapefile_cuts_long_text_and_says_so(
    runner: CliRunner, home_copy: Path, tmp_path: Path
) -> None:
    path = tmp_path / "sites.shp"
    result = runner.invoke(cli, ["sites", str(SEEDS), "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert "text longer than a Shapefile holds (254 bytes) cut in" in result.stderr
    assert "of sources_json" in result.stderr
    written = sorted(p.suffix for p in tmp_path.iterdir() if p.is_file())
    assert written == [".cpg", ".dbf", ".prj", ".shp", ".shx"]


def test_a_shapefile_holds_one_type_of_geometry(tmp_path: Path) -> None:
    from shapely.geometry import Point, Polygon

    from geo_sites.export import write

    shapes = [Point(30, 50), Polygon([(30, 50), (31, 50), (31, 51)])]
    mixed = gpd.GeoDataFrame({"name": ["a", "b"]}, geometry=shapes, crs=4326)
    with pytest.raises(InvalidInputError, match="a Shapefile holds one type of geometry"):
        write(mixed, tmp_path / "mixed.shp")
    assert list(tmp_path.iterdir()) == []  # no file of the five


def test_xlsx_cells_are_neutralised_and_read_back(tmp_path: Path) -> None:
    from openpyxl import load_workbook
    from shapely.geometry import Point

    from geo_sites.export import write
    from geo_sites.layers import sites_layer

    frame = gpd.GeoDataFrame({"name": ['=HYPERLINK("http://evil.example")', "Izyum\x07"],
                              "count": [3, None]}, geometry=[Point(37.27, 49.2), None],
                             crs=4326).astype({"count": "Int64"})  # fmt: skip
    path = write(frame, tmp_path / "t.xlsx")
    book = load_workbook(path, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert rows[0] == ("name", "count", "lat", "lon", "wkt")
    assert rows[1] == ('\'=HYPERLINK("http://evil.example")', 3, 49.2, 37.27, "POINT (37.27 49.2)")
    assert rows[2][0] == "Izyum\ufffd" and not any(rows[2][1:])  # empty cells
    back = sites_layer(path, gazetteer=None)
    assert back.geometry.iloc[0].equals(Point(37.27, 49.2)) and back.geometry.iloc[1] is None
    assert back["count"].dtype == "Int64"


def test_geoparquet_without_pyarrow_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shapely.geometry import Point

    from geo_sites.export import write

    frame = gpd.GeoDataFrame({"name": ["a"]}, geometry=[Point(30, 50)], crs=4326)
    write(frame, tmp_path / "a.parquet")
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # as if it were not installed
    with pytest.raises(InvalidInputError, match=r"pip install 'geo-sites\[parquet\]'") as caught:
        write(frame, tmp_path / "b.parquet")
    assert "\n" not in str(caught.value) and not (tmp_path / "b.parquet").exists()
    from geo_sites.tables import read_table

    with pytest.raises(InvalidInputError, match=r"a.parquet: reading GeoParquet needs pyarrow"):
        read_table(tmp_path / "a.parquet")


def test_sites_and_export_are_one_command(
    runner: CliRunner, home_copy: Path, tmp_path: Path
) -> None:
    outputs = []
    for command in ("sites", "export"):
        output = tmp_path / f"{command}.geojson"
        result = runner.invoke(cli, [command, str(SEEDS), "-o", str(output)])
        assert result.exit_code == 0, result.output
        outputs.append(output.read_bytes())
    assert outputs[0] == outputs[1]
    helps = [runner.invoke(cli, [c, "--help"]).output for c in ("sites", "export")]
    assert helps[0].replace("cli sites [", "cli export [") == helps[1]
    assert all(f".{e}" in helps[0] for e in ("fgb", "parquet", "shp", "xlsx"))


@pytest.mark.parametrize("fmt", ["geojson", "geojsonseq", "csv"])
def test_stdout_to_stdin(runner: CliRunner, home_copy: Path, tmp_path: Path, fmt: str) -> None:
    result = runner.invoke(cli, ["sites", str(SEEDS), "-o", "-", "-f", fmt])
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("-: 14 sites")
    file = tmp_path / "sites.out"
    assert runner.invoke(cli, ["sites", str(SEEDS), "-o", str(file), "-f", fmt]).exit_code == 0
    assert result.stdout_bytes == file.read_bytes()  # the same bytes as a file
    page = tmp_path / "m.html"
    drawn = runner.invoke(cli, ["map", "-", "-o", str(page)], input=result.stdout_bytes)
    assert drawn.exit_code == 0, drawn.output
    assert "14 sites drawn" in drawn.stderr


def test_records_and_tables_from_stdin(runner: CliRunner, home_copy: Path, tmp_path: Path) -> None:
    lines = "".join(json.dumps(r) + "\n" for r in json.loads(SEEDS.read_text("utf-8"))["incidents"])
    result = runner.invoke(cli, ["export", "-", "-o", "-", "-f", "geojson"], input=lines)
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.stdout)["features"]) == 14
    table = "place,n\nIzyum,3\nBucha,4\n"
    result = runner.invoke(cli, ["join", "-", "--place-column", "place", "-o", "-", "-f", "csv"],
                           input=table)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1].startswith("Izyum,3,resolved")
    result = runner.invoke(cli, ["map", "-", "-", "-o", str(tmp_path / "m.html")], input=table)
    assert result.exit_code == 2 and "- (stdin) can be given once" in result.stderr
    result = runner.invoke(cli, ["map", "-", "-o", str(tmp_path / "m.html")], input="")
    assert result.exit_code == 1 and "-: stdin is empty" in result.stderr
