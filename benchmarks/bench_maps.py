"""Benchmark the HTML map against naive folium, and the PNG against the previous image code.

    .venv/bin/python benchmarks/bench_maps.py [--sites 10000 100000] [--no-browser]
    .venv/bin/python benchmarks/bench_maps.py --png-only [--png-sites 10000 25000 50000]
        [--baseline-sites 5000 16000]

For each size: the time to render the page in Python, its size, and the time
until it is ready in headless Chromium (from navigation to the moment our
script has drawn every site, clusters included); each is taken ``--repeat``
times, and the first and the median are shown (the first render pays for the
imports and the data read once a process, the first load for a cold browser).
Baseline, at the first size: naive folium, one ``folium.Marker`` with a ``folium.Popup`` per site,
with the same Leaflet inlined so that it loads offline too (and a two-line
stand-in for the jQuery its popups call); it is ready when its last marker is
in the page.

The PNG for slides (300 dpi) is timed on sites that share their places, ten
a place on average, so that most are fanned out around their spot: at each
of ``--png-sites``, with seconds per thousand sites to show that the time
grows linearly, and at ``--baseline-sites`` with the previous image code,
which added a scatter and an annotation per fanned site (kept below as
``previous_points``), in the same run.

The sites are synthetic rows with the columns of ``geo-sites sites``:
points spread over Ukraine, a realistic mix of event types, precisions,
counts, dates and one source each with a quote.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
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


def synthetic_sites(count: int, rng: random.Random, places: int | None = None) -> gpd.GeoDataFrame:
    """*count* sites with the columns of a sites layer, spread over Ukraine.

    With *places*, the sites lie at that many places, chosen at random.
    """
    spots = [(rng.uniform(23.0, 39.5), rng.uniform(45.5, 51.8)) for _ in range(places or 0)]
    rows = []
    for number in range(count):
        anywhere = (rng.uniform(23.0, 39.5), rng.uniform(45.5, 51.8))
        lon, lat = rng.choice(spots) if spots else anywhere
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


def previous_points(ax: Any, layout: Any, crs: str) -> None:
    """The previous image code's points: a scatter and an annotation per fanned site."""
    import math
    from collections import defaultdict

    import shapely
    from matplotlib.transforms import offset_copy

    from geo_sites.maps.image import _PT_PER_PX, _colour

    points = [d for d in layout.drawn if d.shape in ("point", "near")]
    if not points:
        return
    where = gpd.GeoSeries([shapely.Point(d.lon, d.lat) for d in points], crs=4326).to_crs(crs)
    xs, ys = where.x.to_numpy(), where.y.to_numpy()
    spots: dict[tuple[float, float], list[int]] = defaultdict(list)
    for number, (x, y) in enumerate(zip(xs, ys, strict=True)):
        spots[(round(x), round(y))].append(number)
    sizes = [layout.symbols.sizes[d.row] * _PT_PER_PX for d in points]
    colours = [_colour(layout, d) for d in points]
    alone = [n for group in spots.values() if len(group) == 1 for n in group]
    alone.sort(key=lambda n: -sizes[n])
    ax.scatter(xs[alone], ys[alone], s=[(2 * sizes[n]) ** 2 for n in alone],
               c=[colours[n] for n in alone], edgecolors="white", linewidths=0.6, alpha=0.9,
               zorder=4)  # fmt: skip
    for group in (g for g in spots.values() if len(g) > 1):
        x, y = xs[group[0]], ys[group[0]]
        group = sorted(group, key=lambda n: -sizes[n])
        chord = 2 * math.sin(math.pi / len(group))
        pairs = zip(group, group[1:] + group[:1], strict=True)
        ring = max([10.0, *((sizes[a] + sizes[b] + 2) / chord for a, b in pairs)])
        ring = max(ring, max(sizes[n] for n in group) + 6)
        ax.scatter([x], [y], s=6, c="#333333", zorder=5)
        for step, n in enumerate(group):
            angle = math.pi / 2 - 2 * math.pi * step / len(group)
            dx, dy = ring * math.cos(angle), ring * math.sin(angle)
            moved = offset_copy(ax.transData, fig=ax.figure, x=dx, y=dy, units="points")
            ax.annotate("", xy=(x, y), xytext=(dx, dy), textcoords="offset points",
                        arrowprops={"arrowstyle": "-", "color": "#555555", "lw": 0.5},
                        zorder=4)  # fmt: skip
            ax.scatter([x], [y], s=(2 * sizes[n]) ** 2, c=colours[n], edgecolors="white",
                       linewidths=0.6, alpha=0.95, zorder=6, transform=moved)  # fmt: skip


def png_seconds(
    frame: gpd.GeoDataFrame, path: Path, *, previous: bool = False
) -> tuple[float, float]:
    """Wall and CPU seconds to render *frame* to a 300 dpi PNG, with our points or the previous.

    CPU seconds are the fairer figure on a shared machine: the rendering runs on one core.
    """
    from geo_sites.maps import image

    ours = image._points
    if previous:
        image._points = previous_points
    try:
        started, cpu = time.perf_counter(), time.process_time()
        render(frame, path, options=MapOptions(title="Benchmark"))
        return time.perf_counter() - started, time.process_time() - cpu
    finally:
        image._points = ours


def png_scaling(sizes: list[int], baseline: list[int], rng: random.Random) -> None:
    """The PNG at each of *sizes*, and the previous code at each of *baseline*."""
    print(f"{'PNG, 300 dpi, ten sites a place':<40} {'sites':>8} {'render s':>9} {'cpu s':>7} "
          f"{'s per 1k':>9} {'MB':>6}")  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        runs = [("previous code (artist per site)", n, True) for n in baseline]
        runs += [("geo-sites (collections)", n, False) for n in sizes]
        for label, count, previous in runs:
            frame = synthetic_sites(count, rng, places=max(count // 10, 1))
            path = Path(folder) / f"{count}-{previous}.png"
            seconds, cpu = png_seconds(frame, path, previous=previous)
            print(f"{label:<40} {count:>8,} {seconds:>9.2f} {cpu:>7.2f} "
                  f"{seconds / count * 1000:>9.3f} {path.stat().st_size / 1e6:>6.2f}",
                  flush=True)  # fmt: skip


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
    parser.add_argument("--png-sites", type=int, nargs="+", default=[10_000, 25_000, 50_000])
    parser.add_argument("--baseline-sites", type=int, nargs="*", default=[5_000, 16_000])
    parser.add_argument("--png-only", action="store_true", help="Only the PNG scaling.")
    parser.add_argument("--no-png", action="store_true", help="No PNG scaling.")
    parser.add_argument("--repeat", type=int, default=3,
                        help="Renders and page loads of each map; the first and the median are "
                             "shown.")  # fmt: skip
    args = parser.parse_args()
    rng = random.Random(args.seed)
    if args.png_only:
        png_scaling(args.png_sites, args.baseline_sites, rng)
        return
    browser = playwright = None
    if not args.no_browser:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
    print(f"{'':<43} {'render s':>15} {'':>7} {'ready s':>15}")
    print(f"{'map':<34} {'sites':>8} {'first':>7} {'median':>7} {'MB':>7} {'first':>7} "
          f"{'median':>7}")  # fmt: skip
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
                renders = []
                for _ in range(args.repeat):
                    started = time.perf_counter()
                    if markers is None:
                        render(frame, path, options=MapOptions(title="Benchmark"))
                    else:
                        naive_folium(frame, path)
                    renders.append(time.perf_counter() - started)
                ready = [browser_seconds(browser, path, markers=markers) if browser
                         else float("nan") for _ in range(args.repeat)]  # fmt: skip
                middle = statistics.median(renders)
                print(f"{label:<34} {count:>8,} {renders[0]:>7.2f} {middle:>7.2f} "
                      f"{path.stat().st_size / 1e6:>7.2f} {ready[0]:>7.2f} "
                      f"{statistics.median(ready):>7.2f}", flush=True)  # fmt: skip
    if browser is not None and playwright is not None:
        browser.close()
        playwright.stop()
    if not args.no_png:
        png_scaling(args.png_sites, args.baseline_sites, rng)


if __name__ == "__main__":
    main()
