from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from geo_sites.exceptions import InvalidInputError
from geo_sites.tables import read_table

ROWS = "id,place,count\n1,Ізюм,447\n2,Тростянець,\n3,Kharkiv,20\n"


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [
        ("utf-8", b""),
        ("utf-8", b"\xef\xbb\xbf"),  # a BOM, as Excel writes "CSV UTF-8"
        ("utf-16", b""),  # with its BOM
        ("utf-16-le", b""),  # no BOM
        ("utf-16-be", b""),
        ("cp1251", b""),  # Excel's "CSV" on a Cyrillic Windows
    ],
)
def test_csv_encodings_are_detected(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(prefix + ROWS.encode(encoding))
    frame = read_table(path)
    assert list(frame.columns) == ["id", "place", "count"]
    assert list(frame["place"]) == ["Ізюм", "Тростянець", "Kharkiv"]
    assert frame["count"].dtype == "Int64" and frame["count"].tolist()[0] == 447
    assert pd.isna(frame["count"][1])


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiters_are_detected(tmp_path: Path, delimiter: str) -> None:
    path = tmp_path / "t.csv"
    path.write_text(
        ROWS.replace(",", delimiter) + f'4{delimiter}"Kyiv{delimiter} city"{delimiter}1\n'
    )
    frame = read_table(path)
    assert len(frame) == 4 and frame["place"].iloc[3] == f"Kyiv{delimiter} city"


def test_csv_cells_keep_their_text(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_text("code,lat,name,,name\n007,49.2,a,x,b\n010,50,c,y,d\n\n")
    frame = read_table(path)
    assert frame["code"].tolist() == ["007", "010"]  # zeros kept: an identifier, not a number
    assert frame["lat"].dtype == "Float64" and frame["lat"].tolist() == [49.2, 50.0]
    # A blank header gets a name, a repeated one a number; a blank line is no row.
    assert list(frame.columns) == ["code", "lat", "name", "column_4", "name_2"]


def test_encoding_can_be_given(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("place\nІзюм\n".encode("koi8-u"))
    assert read_table(path, encoding="koi8-u")["place"].tolist() == ["Ізюм"]
    with pytest.raises(InvalidInputError, match="not utf-8 text"):
        read_table(path, encoding="utf-8")
    with pytest.raises(InvalidInputError, match="unknown encoding"):
        read_table(path, encoding="klingon")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty"),
        (b"  \n\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this is a PNG image"),
        (b"PK\x03\x04\x14\x00", r"ZIP archive \(an .xlsx workbook or a .docx document\?\)"),
        (bytes(range(256)) * 4, "binary data, not text"),
        (b"a,b\n1,2,3\n", r"t.csv, line 2: 3 cells where the header has 2"),
        (b"a,b,c\n1,2,3\n4,5\n", r"t.csv, line 3: 2 cells where the header has 3"),
        (b'a,b\n"1,2\n', r"t.csv, line 2: unexpected end of data"),
    ],
)
def test_bad_csv_files_get_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes(content)
    with pytest.raises(InvalidInputError, match=message) as caught:
        read_table(path)
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_unknown_extensions_and_missing_files(tmp_path: Path) -> None:
    docx = tmp_path / "t.docx"
    docx.write_text("a;b\n1;2\n")
    with pytest.raises(InvalidInputError, match=r"unknown extension '\.docx'"):
        read_table(docx)
    assert read_table(docx, fmt="csv")["b"].tolist() == [2]
    with pytest.raises(InvalidInputError, match="no such file"):
        read_table(tmp_path / "missing.csv")
    (tmp_path / "parts.parquet").mkdir()
    with pytest.raises(InvalidInputError, match=r"parts\.parquet is a folder; give a table file"):
        read_table(tmp_path / "parts.parquet")


def test_json_and_ndjson(tmp_path: Path) -> None:
    rows = [{"place": "Izyum", "n": 3, "tags": ["a"]}, {"place": "Bucha", "extra": True}]
    (tmp_path / "t.json").write_text(json.dumps({"rows": rows}))
    (tmp_path / "t.ndjson").write_text("\n".join(json.dumps(r) for r in rows) + "\n\n")
    for name in ("t.json", "t.ndjson"):
        frame = read_table(tmp_path / name)
        assert list(frame.columns) == ["place", "n", "tags", "extra"]
        assert frame["place"].tolist() == ["Izyum", "Bucha"]
        assert frame["tags"][0] == '["a"]'  # nested values become JSON text
    (tmp_path / "bad.ndjson").write_text('{"place": "Izyum"}\n{"place": \n')
    with pytest.raises(InvalidInputError, match=r"bad.ndjson, line 2: not valid JSON"):
        read_table(tmp_path / "bad.ndjson")
    (tmp_path / "bad.json").write_text('[{"place": "Izyum"}, 3]')
    with pytest.raises(InvalidInputError, match=r"bad.json, record 2: expected an object"):
        read_table(tmp_path / "bad.json")


def test_xlsx(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Sites"
    sheet.append(["place", "count"])
    sheet.append(["Ізюм", 447])
    sheet.append([None, None])  # a blank row is no row
    sheet.append(["Bucha", None])
    book.save(tmp_path / "t.xlsx")
    frame = read_table(tmp_path / "t.xlsx", sheet="Sites")
    assert frame["place"].tolist() == ["Ізюм", "Bucha"]
    assert frame["count"].tolist()[0] == 447
    (tmp_path / "fake.xlsx").write_text("place\nIzyum\n")
    with pytest.raises(InvalidInputError, match=r"not an \.xlsx workbook"):
        read_table(tmp_path / "fake.xlsx")


def test_geojson_keeps_its_geometry(tmp_path: Path) -> None:
    feature = {"type": "Feature", "properties": {"place": "Izyum"},
               "geometry": {"type": "Point", "coordinates": [37.27, 49.2]}}  # fmt: skip
    path = tmp_path / "t.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [feature]}))
    frame = read_table(path)
    assert frame.crs.to_epsg() == 4326 and frame.geometry[0].x == 37.27
    (tmp_path / "broken.geojson").write_text('{"type": "FeatureCollection", "features": [')
    with pytest.raises(InvalidInputError, match=r"broken\.geojson: GDAL cannot read it"):
        read_table(tmp_path / "broken.geojson")


def test_the_encoding_read_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"
    path.write_bytes("id;місто\n1;Ізюм\n2;Харків\n3;Буча\n".encode("koi8-u"))
    frame = read_table(path)
    assert frame["місто"].tolist() == ["Ізюм", "Харків", "Буча"]
    assert frame.attrs["encoding"] == "koi8-u"
    path.write_bytes("id;місто\n1;Ізюм\n".encode() + "2;Харків\n".encode("cp1251"))
    with pytest.raises(InvalidInputError, match=r"t\.csv: not one encoding: line 3 is not UTF-8"):
        read_table(path)


def test_repeated_header_names_are_numbered_in_one_pass(tmp_path: Path) -> None:
    # 4,000 repeats of one name: every name is numbered once, in order.
    path = tmp_path / "t.csv"
    header = ["x"] * 4_000 + ["x_3", "y", "", "x"]
    path.write_text(",".join(header) + "\n" + ",".join("1" * len(header)) + "\n")
    columns = list(read_table(path).columns)
    assert columns[:4] == ["x", "x_2", "x_3", "x_4"] and columns[3_999] == "x_4000"
    # A header that is itself "x_3" keeps a unique name; so does the last "x".
    assert columns[4_000:] == ["x_3_2", "y", "column_4003", "x_4001"]
    assert len(set(columns)) == len(columns)


BIG = 12345678901234567  # beyond 2**53: a double, JavaScript and Excel lose its last digits


def _integer_rows() -> list[dict[str, object]]:
    return [{"id": BIG, "n": 3, "place": "Izyum"}, {"id": None, "n": None, "place": "Bucha"}]


def _write_integer_table(path: Path) -> None:
    rows = _integer_rows()
    if path.suffix == ".json":
        path.write_text(json.dumps(rows))
    elif path.suffix == ".ndjson":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    elif path.suffix == ".csv":
        path.write_text(f"id,n,place\n{BIG},3,Izyum\n,,Bucha\n")
    elif path.suffix == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        sheet = book.active
        sheet.append(["id", "n", "place"])
        for row in rows:  # a workbook holds numbers as doubles: big ids are text cells there
            sheet.append([None if row["id"] is None else str(row["id"]), row["n"], row["place"]])
        book.save(path)
    else:
        point = {"type": "Point", "coordinates": [37.27, 49.2]}
        features = [{"type": "Feature", "properties": r, "geometry": point} for r in rows]
        path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


@pytest.mark.parametrize("suffix", [".csv", ".json", ".ndjson", ".xlsx", ".geojson"])
def test_integers_with_blanks_stay_integers(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"t{suffix}"
    _write_integer_table(path)
    frame = read_table(path)
    assert frame["n"].dtype == "Int64" and frame["n"][0] == 3 and pd.isna(frame["n"][1])
    # Big ids are kept as text, every digit.
    assert frame["id"][0] == str(BIG) and pd.isna(frame["id"][1])
    assert frame["place"].tolist() == ["Izyum", "Bucha"]


def _book(path: Path, sheets: dict[str, list[list[object]]]) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def test_a_sheet_is_chosen_by_name_before_position(tmp_path: Path) -> None:
    path = _book(tmp_path / "t.xlsx", {"2022": [["place"], ["Izyum"]],
                                       "2023": [["place"], ["Bucha"]]})  # fmt: skip
    assert read_table(path, sheet="2023")["place"].tolist() == ["Bucha"]
    assert read_table(path, sheet="1")["place"].tolist() == ["Bucha"]  # no sheet "1": a position
    assert read_table(path, sheet=0)["place"].tolist() == ["Izyum"]
    with pytest.raises(InvalidInputError, match=r"t\.xlsx: no sheet '2024'; the sheets are "
                                                r"'2022', '2023'"):  # fmt: skip
        read_table(path, sheet="2024")
    with pytest.raises(InvalidInputError, match=r"no sheet 5; the sheets are '2022', '2023'"):
        read_table(path, sheet=5)


def test_formulas_without_saved_values_are_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # openpyxl, like many scripts, writes formulas without the values Excel would save.
    rows: list[list[object]] = [["place", "n", "double"], ["Izyum", 2, "=B2*2"],
                                ["Bucha", 3, "=B3*2"], ["Irpin", 4, 8]]  # fmt: skip
    path = _book(tmp_path / "t.xlsx", {"Sites": rows})
    with caplog.at_level("WARNING", "geo_sites"):
        frame = read_table(path)
    assert frame["place"].tolist() == ["Izyum", "Bucha", "Irpin"]  # every row kept
    assert caplog.messages == [
        f"{path}, sheet 'Sites': 2 formula cells have no saved value (C2, C3) and are read as "
        "empty; open and save the workbook in Excel or LibreOffice to compute them"
    ]
    caplog.clear()
    with caplog.at_level("WARNING", "geo_sites"):
        read_table(_book(tmp_path / "plain.xlsx", {"Sites": [["place"], ["Izyum"]]}))
    assert not caplog.messages


def test_a_geopackage_of_several_layers(tmp_path: Path) -> None:
    import geopandas as gpd
    from shapely.geometry import Point

    path = tmp_path / "t.gpkg"
    for name, place in (("sites", "Izyum"), ("areas", "Bucha")):
        layer = gpd.GeoDataFrame({"place": [place]}, geometry=[Point(37, 49)], crs=4326)
        layer.to_file(path, layer=name, engine="pyogrio")
    with pytest.raises(InvalidInputError) as caught:
        read_table(path)
    assert str(caught.value) == f"layer: {path}: 2 layers, 'sites', 'areas'; name the layer to read"
    assert caught.value.parameter == "layer"
    assert read_table(path, layer="areas")["place"].tolist() == ["Bucha"]
    with pytest.raises(InvalidInputError, match=r"no layer 'roads'; the layers are 'sites', "):
        read_table(path, layer="roads")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 10_000 + "]" * 10_000, r"not valid JSON \(nested too deeply"),
        ('[{"n": ' + "9" * 5_000 + "}]", r"not valid JSON \(a number of more than"),
        ('[{"place": "Izium \\udc00"}]', r"a lone surrogate \(\\udc00\) at line 1"),
    ],
)
def test_pathological_json_is_a_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    for name, text in (("t.json", content), ("t.ndjson", content + "\n")):
        path = tmp_path / name
        path.write_text(text, "utf-8")
        with pytest.raises(InvalidInputError, match=message) as caught:
            read_table(path)
        assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


def test_a_stray_control_character_keeps_its_row(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    lines = [f"{n},Izyum,{n}" for n in range(50_000)]
    lines[30_000] = "30000,Iz\x00yum\x1b,30000"
    path = tmp_path / "t.csv"
    path.write_text("id,place,n\n" + "\n".join(lines) + "\n")
    with caplog.at_level("WARNING", "geo_sites"):
        frame = read_table(path)
    assert len(frame) == 50_000 and frame["place"][30_000] == "Iz\x00yum\x1b"
    assert caplog.messages == [
        f"{path}, line 30002: a control character (U+0000) and 1 more; the row is kept"
    ]
