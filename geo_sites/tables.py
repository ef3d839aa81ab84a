"""Read the tables users bring: CSV, XLSX, JSON, NDJSON, GeoJSON and GeoPackage.

:func:`read_table` returns a :class:`pandas.DataFrame` with every row and
column of the file, in order.  A GeoJSON or GeoPackage file gives a
GeoDataFrame whose geometry is kept.

CSV files are read the way users save them: any of ``,`` ``;`` tab or ``|`` as
the delimiter, encoded as UTF-8 (with or without a BOM), UTF-16 (with a BOM,
or without one when the text is mostly ASCII), Windows-1251 or KOI8-U, the
legacy Cyrillic code pages of Ukrainian and Russian files, decided per file
by :func:`geo_sites.encodings.decode`.  Other encodings are given with
``encoding``.  Cells are text, except columns in which every filled
cell is a number written plainly: those become integers or floats ("007" keeps
its zeros, and stays text).

In every format, a column of whole numbers with blanks holds nullable
integers, and integers beyond 2**53, which doubles, JavaScript and Excel
cannot hold, are kept as text (they are ids).

Problems are one line naming the file and the row or column: an empty file, a
binary file, a row with more or fewer cells than the header.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .cells import is_missing
from .encodings import SNIFF_BYTES, decode, is_text
from .exceptions import InvalidInputError, ParameterError
from .formats import detect, long_names
from .jsontext import loads

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["TableOptions", "layer_names", "read_table"]

_DELIMITERS = ",;\t|"
_INTEGER = re.compile(r"^-?(?:0|[1-9]\d{0,17})$")
_FLOAT = re.compile(r"^-?(?:0|[1-9]\d*)\.\d+$")
#: Integers beyond this are kept as text: doubles, JavaScript and Excel change their digits.
_SAFE_INTEGER = 2**53


@dataclass(frozen=True, slots=True)
class TableOptions:
    """How to read a table: the options of :func:`read_table`, passed to every reader."""

    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | int = 0
    layer: str | None = None


def read_table(
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    encoding: str | None = None,
    delimiter: str | None = None,
    sheet: str | int = 0,
    layer: str | None = None,
) -> pd.DataFrame:
    """Read a table file: every row and every column, in order.

    Parameters
    ----------
    path : path-like
        The file.  ``-`` is not accepted here: the command line copies stdin
        to a file first (:func:`geo_sites.formats.spool_stdin`).
    fmt : str, optional
        A format of :mod:`geo_sites.formats` that holds a table or a layer
        (``csv``, ``xlsx``, ``json``, ``ndjson``, ``geojson``, ``gpkg``...);
        by default from the extension and, for JSON, the content.
    encoding : str, optional
        The text encoding of a CSV, JSON or NDJSON file; detected when not given.
    delimiter : str, optional
        The CSV delimiter; detected when not given.
    sheet : str or int
        The XLSX sheet: a name that exists wins; else a number is a position
        (from 0).
    layer : str, optional
        The layer of a GeoPackage that holds several; required then.

    Returns
    -------
    pandas.DataFrame
        A GeoDataFrame in EPSG:4326 for GIS layers.  The encoding a text file
        was read in is ``frame.attrs["encoding"]``.

    Raises
    ------
    InvalidInputError
        For a missing, empty, binary or malformed file: one line naming the
        file and the row or column; for a missing sheet or layer, or a
        GeoPackage of several layers without *layer*: the message lists them.

    Examples
    --------
    >>> _ = Path("towns.csv").write_text("place;killed\\nIzium;3\\nБуча;7\\n", "utf-8")
    >>> geo_sites.read("towns.csv")
      place  killed
    0  Izium       3
    1   Буча       7
    """
    path = Path(path)
    if path.is_dir():
        raise InvalidInputError(f"{path} is a folder; give a table file (a folder of Parquet "
                                "or CSV parts is joined part by part on a cluster)")  # fmt: skip
    kind = detect(path, ("table", "layer"), fmt=fmt)
    if not path.is_file():
        raise InvalidInputError(f"{path}: no such file")
    frame: pd.DataFrame = kind.read_function()(path, TableOptions(encoding, delimiter, sheet,
                                                                  layer))  # fmt: skip
    return frame


def read_csv(path: Path, options: TableOptions) -> pd.DataFrame:
    """Read a CSV file (any delimiter and encoding of :func:`read_table`)."""
    text, used = decode(path.read_bytes(), str(path), options.encoding, kind="a text table")
    frame = _read_csv(text, path, options.delimiter)
    frame.attrs["encoding"] = used
    return frame


def read_json(path: Path, options: TableOptions) -> pd.DataFrame:
    """Read a JSON file of rows: a list of objects, or an object holding one list."""
    text, used = decode(path.read_bytes(), str(path), options.encoding, kind="a text table")
    frame = _read_json(text, path, lines=False)
    frame.attrs["encoding"] = used
    return frame


def read_ndjson(path: Path, options: TableOptions) -> pd.DataFrame:
    """Read newline-delimited JSON: an object a line."""
    text, used = decode(path.read_bytes(), str(path), options.encoding, kind="a text table")
    frame = _read_json(text, path, lines=True)
    frame.attrs["encoding"] = used
    return frame


def read_xlsx(path: Path, options: TableOptions) -> pd.DataFrame:
    """Read a sheet of an XLSX workbook."""
    return _read_xlsx(path, options.sheet)


# -- CSV ------------------------------------------------------------------------


def _read_csv(text: str, path: Path, delimiter: str | None) -> pd.DataFrame:
    if delimiter is None:
        delimiter = sniff_delimiter(text)
    elif len(delimiter) != 1:
        raise ParameterError(f"a delimiter is one character, instead got: {delimiter!r}",
                             parameter="delimiter")  # fmt: skip
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[str]] = []
    try:
        header = next(reader)
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue  # a blank line is no row
            if len(row) != len(header):
                raise InvalidInputError(
                    f"{path}, line {reader.line_num}: {len(row)} cells where the header has "
                    f"{len(header)} (delimiter {delimiter!r}; is a value with a delimiter "
                    "not quoted?)"
                )
            rows.append(row)
    except csv.Error as err:
        raise InvalidInputError(f"{path}, line {reader.line_num}: {err}") from None
    return _frame(_columns(header, path), rows)


def sniff_delimiter(text: str) -> str:
    """The delimiter of the first lines: the one that splits every line alike."""
    sample = "\n".join(text[:SNIFF_BYTES].splitlines()[:50])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        header = sample.split("\n", 1)[0]
        counts = {d: header.count(d) for d in _DELIMITERS}
        best = max(counts, key=lambda d: counts[d])
        return best if counts[best] else ","


def _columns(header: list[str], path: Path) -> list[str]:
    """Header names, stripped; blank ones named ``column_N``, repeated ones numbered."""
    names: list[str] = []
    taken: set[str] = set()
    following: dict[str, int] = {}  # the next number to try for a repeated name
    for i, raw in enumerate(header, 1):
        name = raw.strip() or f"column_{i}"
        if name in taken:
            n = following.get(name, 2)
            while f"{name}_{n}" in taken:
                n += 1
            following[name] = n + 1
            name = f"{name}_{n}"
        taken.add(name)
        names.append(name)
    return names


def _frame(columns: list[str], rows: list[list[str]]) -> pd.DataFrame:
    import pandas as pd

    cells = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame(
        {name: _typed(values) for name, values in zip(columns, cells, strict=True)},
        columns=columns,
    )


def _typed(cells: Sequence[str]) -> Any:
    """Numbers for a column of plainly written numbers; otherwise text, '' as missing."""
    import pandas as pd

    values = [c if c.strip() else None for c in cells]
    filled = [v.strip() for v in values if v is not None]
    if filled and all(_INTEGER.fullmatch(v) for v in filled):
        if all(abs(int(v)) <= _SAFE_INTEGER for v in filled):
            return pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        return pd.array(values, dtype=object)  # ids: a float would change their digits
    if filled and all(_INTEGER.fullmatch(v) or _FLOAT.fullmatch(v) for v in filled):
        return pd.array([None if v is None else float(v) for v in values], dtype="Float64")
    return pd.array(values, dtype=object)


def _values(values: Sequence[Any]) -> Any:
    """A column of parsed values (JSON, XLSX, GIS): integers with blanks stay integers.

    Missing cells are None or NaN.  Integers beyond 2**53 become text (ids).
    """
    import pandas as pd

    cells = [None if is_missing(v) else v for v in values]
    filled = [v for v in cells if v is not None]
    numbers = filled and not any(isinstance(v, bool) for v in filled)
    if numbers and all(isinstance(v, int) for v in filled):
        if all(abs(v) <= _SAFE_INTEGER for v in filled):
            return pd.array(cells, dtype="Int64")
        return pd.array([None if v is None else str(v) for v in cells], dtype=object)
    if numbers and all(isinstance(v, int | float) for v in filled):
        return pd.array(cells, dtype="Float64")
    return pd.Series(cells, dtype=object).infer_objects().array


# -- other formats ---------------------------------------------------------------------------


def _read_json(text: str, path: Path, *, lines: bool) -> pd.DataFrame:
    import pandas as pd

    if lines:
        numbered = [(n, line) for n, line in enumerate(text.splitlines(), 1) if line.strip()]
        records = [loads(line, f"{path}, line {n}") for n, line in numbered]
        where = [f"{path}, line {n}" for n, _ in numbered]
    else:
        data = loads(text, str(path))
        if isinstance(data, dict):
            lists = [k for k, v in data.items() if isinstance(v, list)]
            if len(lists) != 1:
                raise InvalidInputError(
                    f"{path}: expected a list of objects, or an object holding one list"
                )
            data = data[lists[0]]
        if not isinstance(data, list):
            raise InvalidInputError(f"{path}: expected a list of objects")
        records = data
        where = [f"{path}, record {n}" for n in range(1, len(records) + 1)]
    if not records:
        raise InvalidInputError(f"{path}: no rows")
    for record, place in zip(records, where, strict=True):
        if not isinstance(record, dict):
            raise InvalidInputError(f"{place}: expected an object, instead got: {record!r}"[:200])
    columns = list(dict.fromkeys(k for record in records for k in record))
    return pd.DataFrame(
        {c: _values([_cell(r.get(c)) for r in records]) for c in columns}, columns=columns
    )


def _cell(value: Any) -> Any:
    """A JSON value as a table cell: nested lists and objects become JSON text."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return value


def _read_xlsx(path: Path, sheet: str | int) -> pd.DataFrame:
    import zipfile

    from openpyxl import load_workbook

    with path.open("rb") as file:
        data = file.read(4)
    if not data:
        raise InvalidInputError(f"{path}: the file is empty")
    if data != b"PK\x03\x04":
        raise InvalidInputError(f"{path}: not an .xlsx workbook")
    try:
        book = load_workbook(path, read_only=True, data_only=True)
        try:
            name = _sheet(book.sheetnames, sheet, path)
            rows = [list(row) for row in book[name].iter_rows(values_only=True)]
        finally:
            book.close()
        if _has_formulas(path):
            _warn_unsaved_formulas(path, name, rows)
    except (ValueError, KeyError, OSError, zipfile.BadZipFile) as err:
        if isinstance(err, InvalidInputError):
            raise
        raise InvalidInputError(f"{path}: cannot read the workbook ({err})") from None
    rows = [row for row in rows if any(not _blank(v) for v in row)]  # blank rows are no rows
    if not rows:
        raise InvalidInputError(f"{path}: the sheet {name!r} is empty")
    width = max(i + 1 for row in rows for i, v in enumerate(row) if not _blank(v))
    rows = [row[:width] + [None] * (width - len(row)) for row in rows]
    header = _columns(["" if v is None else str(v) for v in rows[0]], path)
    cells = list(zip(*rows[1:], strict=True)) if len(rows) > 1 else [()] * width
    import pandas as pd

    return pd.DataFrame(
        {c: _values([_whole(v) for v in values]) for c, values in zip(header, cells, strict=True)},
        columns=header,
    )


def _sheet(names: list[str], sheet: str | int, path: Path) -> str:
    """The sheet *sheet* stands for: a name that exists, else a position (from 0)."""
    if isinstance(sheet, str) and sheet in names:
        return sheet
    position = sheet if isinstance(sheet, int) else int(sheet) if sheet.isdigit() else None
    if position is not None and 0 <= position < len(names):
        return names[position]
    raise ParameterError(
        f"{path}: no sheet {sheet!r}; the sheets are {', '.join(map(repr, names))}",
        parameter="sheet",
    )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _whole(value: Any) -> Any:
    """A workbook number as the integer it shows, when it is whole (workbooks store doubles)."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _has_formulas(path: Path) -> bool:
    """Whether any sheet of the workbook holds a formula (a cheap look at its XML)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        for member in archive.namelist():
            if member.startswith("xl/worksheets/") and member.endswith(".xml"):
                with archive.open(member) as file:
                    tail = b""
                    while chunk := file.read(1 << 20):
                        if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                            return True
                        tail = chunk[-3:]
    return False


def _warn_unsaved_formulas(path: Path, name: str, values: list[list[Any]]) -> None:
    """Warn of formula cells the workbook holds no computed value for: they read as empty."""
    from openpyxl import load_workbook
    from openpyxl.utils import get_column_letter

    book = load_workbook(path, read_only=True, data_only=False)
    try:
        unsaved = [
            f"{get_column_letter(c)}{r}"
            for r, (row, formulas) in enumerate(
                zip(values, book[name].iter_rows(values_only=True), strict=False), 1
            )
            for c, (value, formula) in enumerate(zip(row, formulas, strict=False), 1)
            if value is None and isinstance(formula, str) and formula.startswith("=")
        ]
    finally:
        book.close()
    if unsaved:
        shown = ", ".join(unsaved[:10]) + (
            f" and {len(unsaved) - 10:,} more" if len(unsaved) > 10 else ""
        )
        log.warning(
            "%s, sheet %r: %d formula cells have no saved value (%s) and are read as empty; "
            "open and save the workbook in Excel or LibreOffice to compute them",
            path, name, len(unsaved), shown,
        )  # fmt: skip


def layer_names(path: str | os.PathLike[str]) -> list[str]:
    """The data layers of a GIS file (a GeoPackage's style table is none), in order."""
    import pyogrio

    try:
        return [name for name, _ in pyogrio.list_layers(path) if name != "layer_styles"]
    except pyogrio.errors.DataSourceError as err:
        raise InvalidInputError(f"{path}: GDAL cannot read it ({err})") from None


def read_gdal(path: Path, options: TableOptions) -> pd.DataFrame:
    """Read a GIS layer with GDAL: GeoJSON, GeoJSON lines, GeoPackage, FlatGeobuf, Shapefile, KML.

    A Shapefile's short field names of our columns are read back to their
    long names; KML's own placemark fields that hold nothing are dropped, and
    its text columns of plainly written numbers become numbers.
    """
    import pyogrio

    layer = options.layer
    with path.open("rb") as file:
        head = file.read(SNIFF_BYTES)
    if not head.strip():
        raise InvalidInputError(f"{path}: the file is empty")
    suffix = path.suffix.lower()
    if suffix in _TEXT_LAYERS and not is_text(head):
        raise InvalidInputError(f"{path}: binary data, not {_TEXT_LAYERS[suffix]}")
    try:
        layers = layer_names(path)
        if layer is None and len(layers) > 1:
            raise ParameterError(f"{path}: {len(layers)} layers, "
                                 f"{', '.join(map(repr, layers))}; name the layer to read",
                                 parameter="layer")  # fmt: skip
        if layer is not None and layer not in layers:
            raise ParameterError(
                f"{path}: no layer {layer!r}; the layers are {', '.join(map(repr, layers))}",
                parameter="layer",
            )
        layer = layer or (layers[0] if layers else None)
        frame = pyogrio.read_dataframe(path, layer=layer, fid_as_index=True)
        info = pyogrio.read_info(path, layer=layer)
        for name, ogr_type in zip(info["fields"], info["ogr_types"], strict=True):
            if ogr_type in ("OFTInteger", "OFTInteger64"):
                frame[name] = _values(_integers(path, layer, name, frame[name]))
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
        raise InvalidInputError(f"{path}: GDAL cannot read it ({err})") from None
    frame = frame.reset_index(drop=True)
    if suffix == ".shp":
        frame = frame.rename(columns=long_names(frame.columns))
    elif suffix == ".kml":
        frame = _from_kml(frame, layer or path.stem)
    if frame.crs is None:
        frame = frame.set_crs(4326)
    return frame.to_crs(4326) if frame.crs.to_epsg() != 4326 else frame


#: GIS formats of text: a binary file is refused before GDAL reads it.
_TEXT_LAYERS = {".geojson": "GeoJSON", ".json": "GeoJSON", ".geojsonl": "GeoJSON",
                ".geojsons": "GeoJSON", ".ndjson": "GeoJSON", ".jsonl": "GeoJSON",
                ".kml": "KML"}  # fmt: skip
#: The fields GDAL's LIBKML driver gives every placemark, with the values that mean nothing.
_KML_FIELDS = {"description": (), "timestamp": (), "begin": (), "end": (),
               "altitudeMode": (), "tessellate": (-1,), "extrude": (0,), "visibility": (-1,),
               "drawOrder": (), "icon": ()}  # fmt: skip


def _from_kml(frame: pd.DataFrame, layer: str) -> pd.DataFrame:
    """A KML layer as written: placemark names as ``name``, no empty KML fields, 2D points."""
    import shapely

    unused = [
        column for column, defaults in _KML_FIELDS.items()
        if column in frame.columns and all(v in defaults for v in frame[column].dropna().tolist())
    ]  # fmt: skip
    ids = frame["id"].tolist() if "id" in frame.columns else []
    if ids and all(v == f"{layer}.{n}" for n, v in enumerate(ids, 1)):
        unused.append("id")  # the ids LIBKML made up
    frame = frame.drop(columns=unused)
    if "Name" in frame.columns and "name" not in frame.columns:
        frame = frame.rename(columns={"Name": "name"})
    for column in frame.columns:
        values = frame[column].tolist()
        if column != frame.geometry.name and all(is_missing(v) or isinstance(v, str)
                                                 for v in values):  # fmt: skip
            frame[column] = _typed(["" if is_missing(v) else v for v in values])
    frame[frame.geometry.name] = shapely.force_2d(frame.geometry.to_numpy())
    return frame


def read_parquet(path: Path, options: TableOptions) -> pd.DataFrame:
    """Read GeoParquet with geopandas and pyarrow (the ``parquet`` extra)."""
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise InvalidInputError(
            f"{path}: reading GeoParquet needs pyarrow: pip install 'geo-sites[parquet]'"
        ) from None
    import geopandas as gpd

    try:
        frame = gpd.read_parquet(path)
    except (ValueError, OSError) as err:
        raise InvalidInputError(f"{path}: not a GeoParquet file ({err})") from None
    if frame.crs is None:
        frame = frame.set_crs(4326)
    return frame.to_crs(4326) if frame.crs.to_epsg() != 4326 else frame


def _integers(path: Path, layer: str | None, name: str, values: pd.Series) -> list[Any]:
    """The exact integers of a field: GDAL gives a field with nulls as doubles."""
    if values.dtype.kind in "iu":
        return list(values.tolist())
    import pyogrio.raw

    quoted = name.replace('"', '""')
    _, fids, _, (exact,) = pyogrio.raw.read(
        path, layer=layer, columns=[name], read_geometry=False,
        where=f'"{quoted}" IS NOT NULL', return_fids=True,
    )  # fmt: skip
    by_fid = dict(zip(fids.tolist(), exact.tolist(), strict=True))
    return [by_fid.get(fid) for fid in values.index.tolist()]
