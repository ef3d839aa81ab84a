"""A table joined partition by partition on a dask cluster is the table joined in memory."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from click.testing import CliRunner
from geopandas.testing import assert_geodataframe_equal

from geo_sites.cli import cli
from geo_sites.gazetteer import Gazetteer
from geo_sites.join import join

pytest.importorskip("dask_geopandas", reason="needs the dask extra (geo-sites[dask])")

TRUTH = Path(__file__).resolve().parent / "data" / "reports" / "truth.csv"


def _parts(frame: pd.DataFrame, folder: Path, count: int) -> Path:
    """*frame* written as *count* Parquet files, as a dataset of parts."""
    folder.mkdir()
    size = -(-len(frame) // count)
    for n in range(count):
        frame.iloc[n * size : (n + 1) * size].to_parquet(folder / f"part.{n}.parquet")
    return folder


def _same(written: Path, in_memory: gpd.GeoDataFrame) -> None:
    """The dataset at *written* holds the rows of *in_memory*, in order, with its values."""
    read = gpd.read_parquet(written).reset_index(drop=True)
    expected = in_memory.reset_index(drop=True)
    read.attrs.clear()
    expected.attrs.clear()
    # The types of text columns are Parquet's (str) where a frame has objects.
    assert_geodataframe_equal(read, expected, check_dtype=False)


def test_a_three_part_parquet_table_joins_as_it_does_in_memory(
    home_copy: Path, shared: Path, tmp_path: Path, gazetteer: Gazetteer
) -> None:
    """Real spellings of Ukrainian places, with their oblasts: the context of the whole
    table decides, so every spelling resolves the same way in every part."""
    table = pd.read_csv(shared / "eval" / "ua_spellings_dev.csv", dtype=str)
    parts = _parts(table, tmp_path / "spellings.parquet", 3)
    output = tmp_path / "joined.parquet"
    result = CliRunner().invoke(cli, [
        "join", str(parts), "--place-column", "variant_spelling", "--admin1-column", "oblast",
        "-o", str(output), "--scheduler", "local", "--workers", "2",
    ])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in output.iterdir()) == [f"part.{n}.parquet" for n in range(3)]
    in_memory = join(table, place_column="variant_spelling", admin1_column="oblast",
                     gazetteer=gazetteer)  # fmt: skip
    _same(output, in_memory)
    summary = in_memory.attrs["join_summary"]["text"]
    assert result.stderr.endswith(f"{output}: {summary}\n")
    read = gpd.read_parquet(output)
    assert len(read) == len(table) and read["match_status"].notna().all()
    spellings = read[read["match_status"] == "resolved"].groupby(["variant_spelling", "oblast"])
    assert (spellings["match_geonameid"].nunique() == 1).all()


def test_csv_files_join_as_text_with_their_given_points(home_copy: Path, tmp_path: Path) -> None:
    """A folder of CSV files (our reports' places, with their coordinates), one part each."""
    truth = pd.read_csv(TRUTH, dtype=str, keep_default_na=False)
    folder = tmp_path / "rows"
    folder.mkdir()
    for n, start in enumerate(range(0, len(truth), 4)):
        truth.iloc[start : start + 4].to_csv(folder / f"rows-{n}.csv", index=False)
    output = tmp_path / "joined.parquet"
    arguments = ["join", str(folder), "--place-column", "place_as_written", "--lat-column",
                 "lat", "--lon-column", "lon", "--country", "UA", "-o", str(output)]  # fmt: skip
    result = CliRunner().invoke(cli, [*arguments, "--scheduler", "local"])
    assert result.exit_code == 0, result.output
    read = gpd.read_parquet(output)
    assert read["doc"].tolist() == truth["doc"].tolist()  # rows in, in order, equal rows out
    assert (read["match_method"] == "given").sum() == (truth["lat"] != "").sum()
    counts = read["count"].where(read["count"].notna(), "")  # text as written, or missing
    assert counts.tolist() == truth["count"].tolist()

    again = CliRunner().invoke(cli, [*arguments, "--scheduler", "local", "--workers", "2"])
    assert again.exit_code == 0, again.output  # a dataset it wrote is replaced
    assert_geodataframe_equal(gpd.read_parquet(output), read)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["-o", "{tmp}/joined.gpkg"], "Invalid value for '-o' / '--output': "),
        (["-o", "{tmp}/joined.gpkg"], "joined.gpkg: a partitioned join writes a GeoParquet "
                                      "dataset, a folder named NAME.parquet"),
        (["-o", "{tmp}/taken.parquet"], "taken.parquet is there, and is not a dataset that a "
                                        "partitioned join wrote; give another name"),
        (["-o", "{tmp}/joined.parquet", "--areas"], "--scheduler joins files of a table"),
        (["-o", str(TRUTH)], "truth.csv is the table read; give another name"),
        (["-o", "{tmp}/joined.parquet", "--place-column", "town"], "no column 'town'"),
    ],
)  # fmt: skip
def test_what_a_partitioned_join_cannot_do_is_one_line(
    home_copy: Path, tmp_path: Path, arguments: list[str], message: str
) -> None:
    (tmp_path / "taken.parquet").write_text("not ours", "utf-8")
    arguments = [a.format(tmp=tmp_path) for a in arguments]
    result = CliRunner().invoke(cli, ["join", str(TRUTH), "--place-column", "place_as_written",
                                      *arguments, "--scheduler", "local"])  # fmt: skip
    assert result.exit_code in (1, 2)
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert (tmp_path / "taken.parquet").read_text("utf-8") == "not ours"


def test_workers_without_a_scheduler_are_a_usage_error(home_copy: Path, tmp_path: Path) -> None:
    output = tmp_path / "x.gpkg"
    result = CliRunner().invoke(cli, ["join", str(TRUTH), "--place-column", "place_as_written",
                                      "-o", str(output), "--workers", "2"])  # fmt: skip
    assert result.exit_code == 2
    assert "--workers shares a join out with --scheduler local" in result.stderr
    assert not output.exists()


def test_a_table_joined_before_is_joined_again(
    home_copy: Path, tmp_path: Path, gazetteer: Gazetteer
) -> None:
    """Its old match columns, before the place column, are replaced, and the summary names
    the places not placed, as the join in memory does."""
    truth = pd.read_csv(TRUTH, dtype=str, keep_default_na=False)[["doc", "place_as_written"]]
    truth = truth.assign(place_as_written=truth["place_as_written"].replace("Kherson", "Qwxz"))
    joined = pd.DataFrame(join(truth, place_column="place_as_written", gazetteer=gazetteer))
    table = joined[["match_status", "match_name", "doc", "place_as_written"]]
    output = tmp_path / "again.parquet"
    result = CliRunner().invoke(cli, ["join", str(_parts(table, tmp_path / "joined.parquet", 2)),
                                      "--place-column", "place_as_written", "-o", str(output),
                                      "--scheduler", "local"])  # fmt: skip
    assert result.exit_code == 0, result.output
    in_memory = join(table, place_column="place_as_written", gazetteer=gazetteer)
    _same(output, in_memory)
    assert result.stderr.endswith(f"{output}: {in_memory.attrs['join_summary']['text']}\n")
    assert "not placed: Qwxz" in result.stderr
