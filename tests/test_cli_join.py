from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from click.testing import CliRunner

from geo_sites.cli import cli

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "incidents.json"


@pytest.fixture
def runner(home_copy: Path) -> CliRunner:
    return CliRunner()


def test_join_a_cp1251_semicolon_csv(runner: CliRunner, tmp_path: Path) -> None:
    table = tmp_path / "list.csv"
    table.write_bytes("id;Місто;n\n1;Ізюм;3\n2;Qwxzvillekrt;\n3;Харків;=1+1\n".encode("cp1251"))
    out = tmp_path / "out.gpkg"
    result = runner.invoke(cli, ["join", str(table), "--place-column", "Місто", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == (
        f"{out}: 3 rows: 2 resolved (0 from given coordinates), 0 ambiguous, 1 unresolved; "
        "not placed: Qwxzvillekrt; read as cp1251"
    )
    back = pyogrio.read_dataframe(out, layer="out")  # beside it: its QGIS style
    assert back["Місто"].tolist() == ["Ізюм", "Qwxzvillekrt", "Харків"]
    assert back["match_status"].tolist() == ["resolved", "unresolved", "resolved"]


def test_strict_exits_1_but_writes(runner: CliRunner, tmp_path: Path) -> None:
    table = tmp_path / "list.csv"
    table.write_text("place\nIzyum\nQwxzvillekrt\n")
    out = tmp_path / "out.csv"
    result = runner.invoke(cli, ["join", str(table), "--place-column", "place", "-o", str(out),
                                 "--strict"])  # fmt: skip
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Error: --strict: 1 rows not placed"
    assert len(out.read_text().splitlines()) == 3


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        (b"", [], "t.csv: the file is empty"),
        (b"\x00\x01\x02\xff" * 100, [], "t.csv: binary data, not text"),
        (b"place,n\nIzyum,1,2\n", [], "t.csv, line 2: 3 cells where the header has 2"),
    ],
)  # fmt: skip
def test_bad_input_is_one_line_and_exit_1(
    runner: CliRunner, tmp_path: Path, content: bytes, args: list[str], message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.chdir(tmp_path)
    table = tmp_path / "t.csv"
    table.write_bytes(content)
    out = ["-o", "out.geojson"] if "-o" not in args else []
    result = runner.invoke(cli, ["join", str(table), "--place-column", "place", *out, *args])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (line,) = result.stderr.strip().splitlines()
    assert message in line


def test_unknown_table_extension(runner: CliRunner, tmp_path: Path) -> None:
    table = tmp_path / "t.docx"
    table.write_text("x")
    result = runner.invoke(cli, ["join", str(table), "--place-column", "p", "-o",
                                 str(tmp_path / "o.csv")])  # fmt: skip
    assert result.exit_code == 1 and "unknown extension '.docx'" in result.stderr


def test_sites_then_export(runner: CliRunner, tmp_path: Path) -> None:
    gpkg = tmp_path / "sites.gpkg"
    result = runner.invoke(cli, ["sites", str(SEEDS), "-o", str(gpkg)])
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"{gpkg}: 14 sites (14 placed, 0 not placed)"
    geojson = tmp_path / "sites.geojson"
    result = runner.invoke(cli, ["export", str(gpkg), "-o", str(geojson), "--qml"])
    assert result.exit_code == 0, result.output
    direct = tmp_path / "direct.geojson"
    result = runner.invoke(cli, ["export", str(SEEDS), "-o", str(direct)])
    assert result.exit_code == 0, result.output
    # GeoPackage -> GeoJSON gives the bytes the records give directly: types survive.
    assert geojson.read_bytes() == direct.read_bytes()
    assert (tmp_path / "sites.qml").exists()
    features = json.loads(direct.read_text("utf-8"))["features"]
    assert len(features) == 14


def test_sites_refuses_duplicate_records(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["sites", str(SEEDS), str(SEEDS), "-o", str(tmp_path / "s.csv")])
    assert result.exit_code == 1
    assert "record 1: the same incident as" in result.stderr
    assert not (tmp_path / "s.csv").exists()


def test_export_refuses_a_table(runner: CliRunner, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("a\n1\n")
    result = runner.invoke(cli, ["export", str(table), "-o", str(tmp_path / "o.geojson")])
    assert result.exit_code == 1
    assert "a table without lat and lon or wkt columns, not a layer" in result.stderr
    rows = tmp_path / "rows.json"
    rows.write_text('[{"place": "Izyum", "n": 3}]')
    result = runner.invoke(cli, ["export", str(rows), "-o", str(tmp_path / "o.geojson")])
    assert result.exit_code == 1
    assert result.stderr == f"Error: {rows}: holds JSON rows, not records or a layer\n"


@pytest.mark.parametrize("suffix", [".geojson", ".gpkg", ".csv"])
def test_integers_with_blanks_survive_join_and_export(
    runner: CliRunner, tmp_path: Path, suffix: str
) -> None:
    from geo_sites.tables import read_table

    table = tmp_path / "t.ndjson"
    table.write_text('{"id": 12345678901234567, "n": 3, "place": "Izyum"}\n'
                     '{"id": null, "n": null, "place": "Bucha"}\n')  # fmt: skip
    out = tmp_path / f"out{suffix}"
    result = runner.invoke(cli, ["join", str(table), "--place-column", "place", "-o", str(out)])
    assert result.exit_code == 0, result.output
    for path in (out, tmp_path / "again.geojson"):
        back = read_table(path)
        assert back["id"].tolist()[0] == "12345678901234567" and pd.isna(back["id"][1])
        assert back["n"].dtype == "Int64" and back["n"].tolist()[0] == 3 and pd.isna(back["n"][1])
        if suffix != ".csv":  # a layer exports again
            again = runner.invoke(cli, ["export", str(out), "-o", str(tmp_path / "again.geojson")])
            assert again.exit_code == 0, again.output
        else:
            break


def test_sheet_and_layer_options(runner: CliRunner, tmp_path: Path) -> None:
    import geopandas as gpd
    from openpyxl import Workbook
    from shapely.geometry import Point

    book = Workbook()
    book.active.title = "notes"
    book.active.append(["nothing here"])
    book.create_sheet("2023").append(["place"])
    book["2023"].append(["Izyum"])
    book.save(tmp_path / "t.xlsx")
    out = tmp_path / "out.csv"
    result = runner.invoke(cli, ["join", str(tmp_path / "t.xlsx"), "--sheet", "2023",
                                 "--place-column", "place", "-o", str(out)])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Izyum" in out.read_text()
    gpkg = tmp_path / "t.gpkg"
    for name, place in (("sites", "Izyum"), ("areas", "Bucha")):
        layer = gpd.GeoDataFrame({"place": [place]}, geometry=[Point(37, 49)], crs=4326)
        layer.to_file(gpkg, layer=name, engine="pyogrio")
    args = ["join", str(gpkg), "--place-column", "place", "-o", str(out)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr.splitlines()[-1] == (
        f"Error: Invalid value for '--layer': {gpkg}: 2 layers, 'sites', 'areas'; "
        "name the layer to read"
    )
    result = runner.invoke(cli, [*args, "--layer", "areas"])
    assert result.exit_code == 0, result.output
    assert "Bucha" in out.read_text() and "Izyum" not in out.read_text()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("t.json", "[" * 10_000 + "]" * 10_000, "t.json: not valid JSON (nested too deeply)"),
        ("t.json", '[{"place": ' + "9" * 5_000 + "}]", "t.json: not valid JSON (a number of more"),
        ("t.ndjson", '{"place": "Izium \\ud800"}\n',
         r"t.ndjson, line 1: a lone surrogate (\ud800)"),
    ],
)  # fmt: skip
def test_pathological_tables_are_one_line_errors(
    runner: CliRunner, tmp_path: Path, name: str, content: str, message: str
) -> None:
    table = tmp_path / name
    table.write_text(content, "utf-8")
    result = runner.invoke(cli, ["join", str(table), "--place-column", "place", "-o",
                                 str(tmp_path / "out.gpkg")])  # fmt: skip
    assert result.exit_code == 1 and "Traceback" not in result.output
    (line,) = result.stderr.strip().splitlines()
    assert message in line


def _seed(**change: object) -> str:
    record = json.loads(SEEDS.read_text("utf-8"))["incidents"][0]
    record.pop("id", None)
    return json.dumps([{**record, **change}])


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 10_000 + "]" * 10_000, "r.json: not valid JSON (nested too deeply)"),
        ('[{"site": ' + "9" * 5_000 + "}]", "r.json: not valid JSON (a number of more"),
        (_seed(site="Izium \ud800"), r"r.json: a lone surrogate (\ud800) at line 1"),
        (_seed(event_date="2022/" * 3_000), "event_date: Expected an ISO 8601 date"),
        (_seed(counts=[{"kind": "bodies", "best": 10**30}]), "counts[0]: Expected counts"),
    ],
)
def test_pathological_records_are_one_line_errors(
    runner: CliRunner, tmp_path: Path, content: str, message: str
) -> None:
    records = tmp_path / "r.json"
    records.write_text(content, "utf-8")
    for command in ("sites", "export"):
        result = runner.invoke(cli, [command, str(records), "-o", str(tmp_path / "out.geojson")])
        assert result.exit_code == 1 and "Traceback" not in result.output
        (line,) = result.stderr.strip().splitlines()
        assert message in line


def test_warnings_go_to_stderr_and_every_row_is_kept(runner: CliRunner, tmp_path: Path) -> None:
    table = tmp_path / "t.csv"
    table.write_text("place,lat,note\nIzyum,49°12′N,a\nBucha,?,b\x07\n", "utf-8")
    out = tmp_path / "out.csv"
    result = runner.invoke(cli, ["join", str(table), "--place-column", "place", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [
        f"geo-sites: {table}, line 3: a control character (U+0007); the row is kept",
        f"geo-sites: {table}: columns renamed, as the outputs give the point under their "
        "names: 'lat' to 'lat_input'",
        f"{out}: 2 rows: 2 resolved (0 from given coordinates), 0 ambiguous, 0 unresolved; "
        "read as utf-8",
    ]
    from geo_sites.tables import read_table

    back = read_table(out)  # the CSV's lat is the point's; the table's own is beside it
    assert back["lat_input"].tolist() == ["49°12′N", "?"]
    assert back["lat"][0] == 49.20697 and 50 < back["lat"][1] < 51
