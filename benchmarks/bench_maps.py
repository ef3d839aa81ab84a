"""Benchmark the HTML map (issue 4) against naive folium, in the same run.

    .venv/bin/python benchmarks/bench_maps.py [--sites 10000 100000] [--no-browser]

For each size: the time to render the page in Python, its size, and the time
until it is ready in headless Chromium (from navigation to the moment our
script has drawn every site, clusters included).  Baseline, at the first
size: naive folium, one ``folium.Marker`` with a ``folium.Popup`` per site,
with the same Leaflet inlined so that it loads offline too (and a two-line
stand-in for the jQuery its popups call); it is ready when its last marker is
in the page.  Also the PNG for slides.

The sites are synthetic rows with the columns of ``geo-sites sites``:
points spread over Ukraine, a realistic mix of event types, precisions,
counts, dates and one source each with a quote.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from geo_sites.incidents import EVENT_TYPES
from geo_sites.maps import MapOptions, render
from geo_sites.maps.popup import popup

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]  # fmt: skip


def synthetic_sites(count: int, rng: random.Random) -> gpd.GeoDataFrame:
    """*count* sites with the columns of a sites layer, spread over Ukraine."""
    rows = []
    for number in range(count):
        lon, lat = rng.uniform(23.0, 39.5), rng.uniform(45.5, 51.8)
        precision = rng.choices(["settlement", "exact", "near", "admin2", "admin1"],
                                [70, 10, 10, 6, 4])[0]  # fmt: skip
        kind = rng.choice(EVENT_TYPES)
        best = int(rng.paretovariate(1.1)) if rng.random() < 0.8 else None
        day = pd.Timestamp("2022-02-24") + pd.Timedelta(days=rng.randrange(900))
        source = {"outlet": f"Outlet {number % 97}", "title": f"Report {number}",
                  "url": f"https://example.org/reports/{number}", "date": str(day.date()),
                  "quote": f"Residents said {best or 'several'} people were found near the "
                           f"school in settlement {number}."}  # fmt: skip
        rows.append({
            "site_id": f"site-{number:016x}", "name": f"Settlement {number}",
            "event_type": kind, "place_as_written": f"Settlement {number}",
            "place_name": f"Settlement {number}", "admin1": "Some Oblast", "country": "UA",
            "lat": lat, "lon": lon, "precision": precision,
            "radius_m": {"exact": 100, "settlement": 5000, "near": 10000, "admin2": 30000,
                         "admin1": 100000}[precision],
            "count": best, "count_low": best, "count_high": best,
            "count_kind": "killed" if best else None,
            "counts": f"killed {best}" if best else None, "event_start": day, "event_end": day,
            "date_precision": "day", "first_report": day, "last_report": day,
            "source_count": 1, "sources": f"{source['outlet']} {day.date()} {source['url']}",
            "sources_json": json.dumps([source]), "status": "resolved", "score": 0.97,
            "method": "exact", "reason": "the only candidate",
            "attribution": "GeoNames (geonames.org), CC BY 4.0",
        })  # fmt: skip
    frame = pd.DataFrame(rows)
    frame["count"] = frame["count"].astype("Int64")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame.lon, frame.lat), crs=4326)


def naive_folium(frame: gpd.GeoDataFrame, path: Path) -> None:
    """The baseline: one Marker with a Popup per site, as folium's docs show."""
    import folium
    from branca.element import Element

    from geo_sites.maps import assets

    fmap = folium.Map(location=[48.5, 31.5], zoom_start=6, tiles=None)
    fmap.default_js, fmap.default_css = [], []
    script, style = assets.inlined()
    # folium's popups call jQuery only as $(html)[0]; this stand-in does that much,
    # faster than jQuery would, so the baseline is not slowed by a missing CDN.
    shim = (
        "window.$ = h => { const t = document.createElement('template');"
        " t.innerHTML = h.trim(); return [t.content.firstChild]; };"
    )
    fmap.get_root().header.add_child(
        Element(f"<style>{style}</style><script>{script}</script><script>{shim}</script>")
    )
    for row in frame.to_dict("records"):
        shown = popup(row)
        text = "<br>".join(f"<b>{label}</b>: {value}" for label, value in shown["lines"])
        folium.Marker([row["lat"], row["lon"]], tooltip=row["name"],
                      popup=folium.Popup(text, max_width=360)).add_to(fmap)  # fmt: skip
    fmap.save(str(path))


def browser_seconds(browser: Any, path: Path, *, markers: int | None = None) -> float:
    """Seconds from navigation until the map is drawn."""
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    page.goto(path.as_uri(), wait_until="commit", timeout=600_000)
    if markers is None:
        page.wait_for_selector("[data-gs-ready]", state="attached", timeout=600_000)
    else:
        drawn = f"document.querySelectorAll('.leaflet-marker-icon').length >= {markers}"
        page.wait_for_function(drawn, timeout=120_000, polling=100)
    seconds = float(page.evaluate("() => performance.now()")) / 1000
    page.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sites", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    browser = playwright = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    print(f"{'map':<34} {'sites':>8} {'render s':>9} {'MB':>7} {'ready s':>8}")
    with tempfile.TemporaryDirectory() as folder:
        for number, count in enumerate(args.sites):
            frame = synthetic_sites(count, rng)
            runs: list[tuple[str, Path, Any]] = [
                ("geo-sites (clustered, offline)", Path(folder) / f"ours-{count}.html", None)
            ]
            if number == 0:
                runs.append(
                    ("naive folium Marker+Popup", Path(folder) / f"naive-{count}.html", count)
                )
            for label, path, markers in runs:
                started = time.perf_counter()
                if markers is None:
                    render(frame, path, MapOptions(title="Benchmark"))
                else:
                    naive_folium(frame, path)
                seconds = time.perf_counter() - started
                ready = browser_seconds(browser, path, markers=markers) if browser else float("nan")
                print(f"{label:<34} {count:>8,} {seconds:>9.2f} {path.stat().st_size / 1e6:>7.2f} "
                      f"{ready:>8.2f}", flush=True)  # fmt: skip
            png = Path(folder) / f"ours-{count}.png"
            started = time.perf_counter()
            render(frame, png, MapOptions(title="Benchmark"))
            seconds = time.perf_counter() - started
            print(f"{'geo-sites PNG, 300 dpi':<34} {count:>8,} {seconds:>9.2f} "
                  f"{png.stat().st_size / 1e6:>7.2f} {'':>8}", flush=True)  # fmt: skip
    if browser is not None and playwright is not None:
        browser.close()
        playwright.stop()


if __name__ == "__main__":
    main()
