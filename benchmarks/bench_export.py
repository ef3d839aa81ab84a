"""Benchmark writing sites in every output format, against GDAL and pandas alone.

    .venv/bin/python benchmarks/bench_export.py [--sites 100000] [--repeat 3]

For each format, :func:`geo_sites.export.write` (typed columns, safe cells,
a temporary file read back, flushed and renamed) against its baseline in the
same run: the same frame written straight with ``pyogrio.write_dataframe``
(GeoJSON, GeoJSONSeq, GeoPackage, FlatGeobuf, Shapefile, KML),
``GeoDataFrame.to_parquet`` (GeoParquet), ``DataFrame.to_csv`` (CSV) or
``DataFrame.to_excel`` with openpyxl (XLSX), with no checks.  The best of
``--repeat`` runs of each is printed, with the ratio, and each format's time
against GeoJSON's (the reference of the new formats).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import pyogrio
import shapely

from geo_sites.export import write
from geo_sites.incidents import EVENT_TYPES

DRIVERS = {".geojson": "GeoJSON", ".geojsonl": "GeoJSONSeq", ".gpkg": "GPKG", ".kml": "LIBKML",
           ".fgb": "FlatGeobuf", ".shp": "ESRI Shapefile"}  # fmt: skip
EXTENSIONS = (".geojson", ".geojsonl", ".gpkg", ".csv", ".kml", ".fgb", ".parquet", ".shp",
              ".xlsx")  # fmt: skip


def sites(count: int) -> gpd.GeoDataFrame:
    """*count* point sites over Ukraine, with text, integer and score columns."""
    return gpd.GeoDataFrame(
        {"site_id": [f"site-{i}" for i in range(count)],
         "name": [f"Site {i}, a reported place" for i in range(count)],
         "event_type": [EVENT_TYPES[i % len(EVENT_TYPES)] for i in range(count)],
         "count": list(range(count)), "precision": ["settlement"] * count,
         "score": [i / count for i in range(count)],
         "reason": ["=formula-looking note" if i % 10 == 0 else "note" for i in range(count)]},
        geometry=shapely.points([22 + (i % 1000) * 0.017 for i in range(count)],
                                [44.5 + (i // 1000) * 0.07 % 8 for i in range(count)]),
        crs=4326,
    )  # fmt: skip


def best(repeat: int, job: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--formats", nargs="+", default=list(EXTENSIONS), metavar="EXT",
        help="The extensions to measure (GeoJSON always: the reference).",
    )  # fmt: skip
    args = parser.parse_args()
    frame = sites(args.sites)
    print(f"{args.sites:,} sites, best of {args.repeat}")
    print(f"{'format':<10} {'geo-sites':>10} {'baseline':>10} {'ratio':>6} {'/GeoJSON':>9}  "
          "baseline")  # fmt: skip
    geojson = None
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        for extension in dict.fromkeys([".geojson", *args.formats]):
            ours = best(args.repeat, lambda e=extension: write(frame, work / f"ours{e}"))
            geojson = geojson or ours
            if extension == ".parquet":
                base = best(args.repeat, lambda: frame.to_parquet(work / "base.parquet"))
                what = "geopandas to_parquet"
            elif extension == ".xlsx":
                table = frame.drop(columns="geometry").assign(
                    lat=frame.geometry.y, lon=frame.geometry.x, wkt=frame.geometry.to_wkt()
                )
                base = best(args.repeat, lambda t=table: t.to_excel(work / "base.xlsx",
                                                                   index=False))  # fmt: skip
                what = "pandas to_excel"
            elif extension == ".csv":
                table = frame.drop(columns="geometry").assign(
                    lat=frame.geometry.y, lon=frame.geometry.x, wkt=frame.geometry.to_wkt()
                )
                base = best(args.repeat, lambda t=table: t.to_csv(work / "base.csv", index=False))
                what = "pandas to_csv"
            else:
                driver = DRIVERS[extension]
                target = work / f"base{extension}"

                def plain(driver: str = driver, target: Path = target) -> None:
                    target.unlink(missing_ok=True)
                    pyogrio.write_dataframe(frame, target, driver=driver)

                base = best(args.repeat, plain)
                what = f"pyogrio {driver}"
            print(f"{extension:<10} {ours:>9.2f}s {base:>9.2f}s {ours / base:>6.2f} "
                  f"{ours / geojson:>9.2f}  {what}")  # fmt: skip


if __name__ == "__main__":
    main()
