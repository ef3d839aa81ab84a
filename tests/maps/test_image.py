from __future__ import annotations

import hashlib
import math
import re
from dataclasses import replace
from pathlib import Path

import geopandas as gpd
import pytest
from PIL import Image

from geo_sites.exceptions import InvalidInputError
from geo_sites.maps import MapOptions, render


def test_a_png_for_slides(seed_sites: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "seeds.png"
    layout = render(seed_sites, path, options=MapOptions(title="Seeds")).layout
    with Image.open(path) as image:
        dpi = image.info["dpi"]
        width, height = image.size
        colours = {c for _, c in image.convert("RGB").getcolors(maxcolors=1 << 20)}
    assert dpi == pytest.approx((300, 300), abs=0.5)
    assert width > 2500 and height > 1500  # a 10-inch wide map at 300 dpi
    assert (0x6A, 0x3D, 0x9A) in colours  # the mass-grave purple is drawn
    assert len(layout.missing) == 1


@pytest.mark.parametrize("suffix", [".svg", ".pdf", ".png"])
def test_images_are_the_same_for_the_same_sites(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, suffix: str
) -> None:
    digests = set()
    for name in ("a", "b"):
        path = tmp_path / f"{name}{suffix}"
        render(seed_sites, path, options=MapOptions(title="Seeds", dpi=72))
        digests.add(hashlib.sha256(path.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_an_svg_keeps_its_text(seed_sites: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "seeds.svg"
    render(seed_sites, path, options=MapOptions(title="Сайти & <sites>"))
    text = path.read_text("utf-8")
    for expected in ("Сайти &amp; &lt;sites&gt;", "Mass grave (3)", "GeoNames (geonames.org)",
                     "Country outlines: Natural Earth", "km", "Oblast boundaries: OCHA COD-AB",
                     "several kinds of event in one region"):  # fmt: skip
        assert expected in text


def test_kinds_of_event_in_one_oblast_take_turns_on_its_edge(
    seed_sites: gpd.GeoDataFrame,
) -> None:
    from geo_sites.maps.image import _figure
    from geo_sites.maps.layout import lay_out

    layout = lay_out(seed_sites)
    areas = [d for d in layout.drawn if d.shape in ("circle", "boundary", "near")]
    shared = [number for number, d in enumerate(areas) if d.parts > 1]
    assert len(shared) == 3  # the Kharkiv oblast's three region sites
    figure, _ = _figure(layout, MapOptions(dpi=72))
    edges = next(c for c in figure.axes[0].collections
                 if len(c.get_paths()) == len(areas) == len(c.get_linestyles()))  # fmt: skip
    styles = edges.get_linestyles()
    colours = edges.get_edgecolors()
    assert len({styles[n][0] for n in shared}) == 3  # the dashes start in turn ...
    assert len({tuple(colours[n]) for n in shared}) == 3  # ... each in its category's colour


CAPTION = "Prepared by the GIS desk of a human-rights organisation for the briefing of 1 December"


@pytest.mark.parametrize("dpi", [150, 300])
@pytest.mark.parametrize("caption", [None, CAPTION], ids=["no-caption", "caption"])
@pytest.mark.parametrize("boundaries", [False, True], ids=["oblasts", "boundaries"])
def test_the_credits_lie_inside_the_image(
    seed_sites: gpd.GeoDataFrame,
    shared: Path,
    tmp_path: Path,
    dpi: int,
    caption: str | None,
    boundaries: bool,
) -> None:
    options = MapOptions(dpi=dpi, caption=caption, boundaries=shared /
                         "data/boundaries/geoBoundaries-UKR-ADM1_simplified.geojson"
                         if boundaries else None)  # fmt: skip
    svg = tmp_path / "map.svg"
    render(seed_sites, svg, options=options)
    text = svg.read_text("utf-8")
    height = float(re.search(r'<svg[^>]* height="([\d.]+)pt"', text).group(1))  # type: ignore[union-attr]
    lines = {
        line: float(y) for y, line in re.findall(r'translate\([\d.]+ ([\d.]+)\)">([^<]*)', text)
    }
    credit = next(line for line in lines if line.startswith("GeoNames (geonames.org)"))
    assert ("Boundaries: geoBoundaries" if boundaries else "Oblast boundaries: OCHA") in credit
    projection = next(line for line in lines if line.startswith("Projection: Lambert"))
    lowest = [lines[credit], lines[projection]] + ([lines[CAPTION]] if caption else [])
    assert all(0 < y < height - 4 for y in lowest)  # a line's baseline, and room for its descent
    png = tmp_path / "map.png"
    render(seed_sites, png, options=options)
    with Image.open(png) as image:
        grey = image.convert("L")
        width, tall = grey.size
        band = int(0.1 * dpi)  # the margin: nothing drawn there, nothing cut at the edge
        edge = grey.crop((0, tall - band, width, tall)).getextrema()
        credits = grey.crop((0, tall - band - int(0.4 * dpi), width // 2, tall - band))
    assert edge[0] > 200 and credits.getextrema()[0] < 120  # the credit lines' dark text


def test_the_names_on_an_image_never_overlap(seed_sites: gpd.GeoDataFrame) -> None:
    from matplotlib.text import Annotation

    from geo_sites.maps.image import _figure
    from geo_sites.maps.layout import lay_out

    figure, _ = _figure(lay_out(seed_sites), MapOptions(dpi=72))
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    ax = figure.axes[0]
    frame = ax.get_window_extent(renderer)
    names = [a for a in ax.texts if isinstance(a, Annotation) and a.get_text() != "N"]
    shown = [a.get_window_extent(renderer) for a in names if a.get_visible()]
    assert 5 <= len(shown) < len(names)  # some wait for a larger map
    assert not any(a.overlaps(b) for i, a in enumerate(shown) for b in shown[i + 1 :])
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 for b in shown)
    visible = {a.get_text() for a in names if a.get_visible()}
    assert {"Bucha", "Izium", "Mariupol"} <= visible
    assert {"Dnipro", "Poltava", "Zaporizhzhia"} <= visible  # the oblasts' seats, to orient on
    # The names to orient on (not bold: towns, oblasts, countries) stand clear of the markers.
    centres = [
        c.get_offset_transform().transform(c.get_offsets())
        for c in ax.collections
        if len(c.get_offsets()) and c.get_offset_transform() is ax.transData
    ]
    marks = [tuple(p) for block in centres for p in block]
    reference = [
        a.get_window_extent(renderer)
        for a in names
        if a.get_visible() and a.get_fontweight() != "bold"
    ]
    assert marks and not any(b.contains(x, y) for b in reference for x, y in marks)


def test_an_inset_locates_the_map_in_its_country(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    from geo_sites.maps.image import _figure
    from geo_sites.maps.layout import lay_out

    layout = lay_out(seed_sites)
    figure, _ = _figure(layout, MapOptions(dpi=72, inset=True))
    ax, inset = figure.axes[0], figure.axes[0].child_axes[0]
    (extent,) = inset.patches  # the map's extent, on the country
    assert (extent.get_x(), extent.get_y()) == (ax.get_xlim()[0], ax.get_ylim()[0])
    ix0, ix1 = inset.get_xlim()
    assert ix1 - ix0 > 1.2 * extent.get_width()  # Ukraine is wider than the map's extent
    # The inset takes a corner over no site.
    box = inset.get_window_extent(figure.canvas.get_renderer())  # type: ignore[attr-defined]
    points = [c for c in ax.collections if c.get_offsets().size]
    inside = [box.contains(*ax.transData.transform(xy)) for c in points for xy in c.get_offsets()]
    assert inside and not any(inside)
    with pytest.raises(InvalidInputError, match="is for images"):
        render(seed_sites, tmp_path / "x.html", options=MapOptions(inset=True))


@pytest.mark.parametrize("option", [{"fragment": True}, {"timeline": True}])
def test_html_options_are_refused_for_images(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, option: dict[str, bool]
) -> None:
    with pytest.raises(InvalidInputError, match="is for HTML maps"):
        render(seed_sites, tmp_path / "x.png", options=MapOptions(**option))  # type: ignore[arg-type]


def _sites(*rows: tuple[str, float, float], **columns: object) -> gpd.GeoDataFrame:
    """A small sites layer: (name, lon, lat) rows, with the same extra *columns* each."""
    return gpd.GeoDataFrame(
        [{"name": name, "event_type": "mass_grave", "count": 10 + number, "precision": "settlement",
          **columns} for number, (name, _, _) in enumerate(rows)],
        geometry=gpd.points_from_xy([r[1] for r in rows], [r[2] for r in rows]), crs=4326,
    )  # fmt: skip


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf"])
@pytest.mark.parametrize("count", [1, 3])
def test_sites_all_at_one_point(tmp_path: Path, suffix: str, count: int) -> None:
    """One site, or several at one spot: a map of the country around it."""
    frame = _sites(*[(f"Izium {n}", 37.27679, 49.20697) for n in range(count)])
    path = tmp_path / f"one{suffix}"
    layout = render(frame, path, options=MapOptions(title="One", dpi=72)).layout
    assert len(layout.drawn) == count and path.stat().st_size > 1000
    if suffix == ".svg":
        assert "Country outlines: Natural Earth" in path.read_text("utf-8")


def test_sites_in_a_row_along_a_parallel(tmp_path: Path) -> None:
    frame = _sites(("West", 30.0, 49.0), ("East", 36.0, 49.0))
    render(frame, tmp_path / "row.png", options=MapOptions(dpi=72))
    assert (tmp_path / "row.png").stat().st_size > 1000


def test_text_from_data_and_options_is_drawn_as_written(tmp_path: Path) -> None:
    """Dollar signs are text: no mathtext, no crash on an unknown command or an odd $.

    Line breaks and tabs in the data are spaces: the font has no glyph for them.
    """
    frame = _sites(("a", 37.27, 49.2), ("b", 30.5, 50.45), event_type="$\\foo$ \r\nstrike")
    frame["place_name"] = ["Izium $\\foo$\r", "Kyiv\t$5"]  # labels: outlines, must not crash
    frame["attribution"] = "Source\r$x^2$"
    path = tmp_path / "text.svg"
    options = MapOptions(title="Cost: $5", subtitle=r"$\frac{1}{2}$", caption="a $ b $ c $")
    render(frame, path, options=options)
    text = path.read_text("utf-8")
    for written in ("Cost: $5", r"$\frac{1}{2}$", "a $ b $ c $",
                    r"$\foo$ strike (2)", "Source $x^2$"):  # fmt: skip
        assert written in text
    for suffix in (".png", ".pdf"):
        render(frame, tmp_path / f"text{suffix}", options=replace(options, dpi=72))


@pytest.mark.parametrize(
    ("lon", "lat"), [(200.0, 95.0), (37.0, -91.0), (math.inf, 49.0), (-181.0, 10.0)]
)
def test_rows_with_impossible_coordinates_are_listed_not_drawn(
    tmp_path: Path, lon: float, lat: float
) -> None:
    frame = _sites(("good", 37.27, 49.2), ("bad", lon, lat))
    layout = render(frame, tmp_path / "m.png", options=MapOptions(dpi=72)).layout
    assert len(layout.drawn) == 1
    assert layout.missing == (("bad", f"coordinates out of range (lat {lat:g}, lon {lon:g})"),)
    with pytest.raises(InvalidInputError, match="none of the 1 rows has a location"):
        render(frame[1:], tmp_path / "n.png", options=MapOptions(dpi=72))
    assert not (tmp_path / "n.png").exists()


def test_an_image_covers_at_most_a_hemisphere(tmp_path: Path) -> None:
    frame = _sites(("east", 170.0, 10.0), ("west", -170.0, -10.0))
    with pytest.raises(InvalidInputError, match=r"an image shows one region.*-170.*170"):
        render(frame, tmp_path / "m.png", options=MapOptions(dpi=72))
    assert render(frame, tmp_path / "m.html").layout.drawn  # the page shows the world


def _fanned(spots: int, per_spot: int) -> gpd.GeoDataFrame:
    """*per_spot* sites at each of *spots* places, of three event types in turn."""
    rows = [(f"site {s}-{n}", 30.0 + s * 0.7, 48.0 + (s % 5) * 0.6)
            for s in range(spots) for n in range(per_spot)]  # fmt: skip
    frame = _sites(*rows)
    frame["event_type"] = [("mass_grave", "shelling", "detention")[n % 3] for n in range(len(rows))]
    return frame


def test_sites_at_one_spot_are_drawn_by_a_fixed_number_of_artists() -> None:
    """Fans of any size are a few collections, not an artist a site."""
    from matplotlib.text import Text

    from geo_sites.maps.image import _figure
    from geo_sites.maps.layout import lay_out

    counts = []
    for spots in (2, 40):
        figure, _ = _figure(lay_out(_fanned(spots, 6)), MapOptions(dpi=72))
        children = figure.axes[0].get_children()
        counts.append(len([c for c in children if not isinstance(c, Text)]))  # labels aside
        rings = [c for c in figure.axes[0].collections if len(c.get_offsets()) == spots * 6]
        assert len(rings) == 2  # the circles, and their leader lines
    assert counts[0] == counts[1]


def test_each_site_of_a_fan_shows_its_colour(tmp_path: Path) -> None:
    path = tmp_path / "fan.png"
    render(_fanned(1, 3), path, options=MapOptions(dpi=100))
    with Image.open(path) as image:
        width, height = image.size
        # the map alone: the legend, at the right, shows every colour too
        inside = image.convert("RGB").crop((0, 0, width * 3 // 4, height))
        colours = {c for _, c in inside.getcolors(maxcolors=1 << 20)}
    from geo_sites.colours import EVENT_COLOURS

    for kind in ("mass_grave", "shelling", "detention"):
        rgb = tuple(int(EVENT_COLOURS[kind][i : i + 2], 16) for i in (1, 3, 5))
        # blended with the background at alpha 0.95, so within a few levels
        near = [c for c in colours if all(abs(a - b) <= 14 for a, b in zip(c, rgb, strict=True))]
        assert near, kind


def _full_disk() -> None:
    """In the child: files may grow to 10 kB, then writes fail with EFBIG (no signal)."""
    import resource
    import signal

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # stays ignored across exec
    resource.setrlimit(resource.RLIMIT_FSIZE, (10_000, 10_000))


@pytest.mark.parametrize("suffix", [".png", ".svg", ".pdf", ".html"])
def test_a_full_disk_gets_one_line_and_keeps_the_old_map(tmp_path: Path, suffix: str) -> None:
    import subprocess
    import sys

    layer = tmp_path / "sites.geojson"
    _sites(("Izium", 37.27, 49.2), ("Kyiv", 30.5, 50.45)).to_file(layer)
    target = tmp_path / f"map{suffix}"
    target.write_text("the old map", "utf-8")
    result = subprocess.run(
        [sys.executable, "-c", "from geo_sites.cli import main; main()", "map", str(layer),
         "-o", str(target), "--dpi", "150"],
        capture_output=True, text=True, preexec_fn=_full_disk, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert result.stderr == f"Error: {target}: cannot write it (File too large)\n"
    assert target.read_text("utf-8") == "the old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name, layer.name]


def test_a_region_site_fills_its_boundary_holes_and_all(tmp_path: Path) -> None:
    import json

    from geo_sites.maps.basemap import read_boundaries
    from geo_sites.maps.image import _figure
    from geo_sites.maps.layout import lay_out

    outer = [[36, 48], [38, 48], [38, 50], [36, 50], [36, 48]]
    hole = [[36.8, 48.8], [36.8, 49.2], [37.2, 49.2], [37.2, 48.8], [36.8, 48.8]]
    layer = tmp_path / "regions.geojson"
    layer.write_text(json.dumps({"type": "FeatureCollection", "features": [{
        "type": "Feature", "properties": {"name": "Square Oblast"},
        "geometry": {"type": "Polygon", "coordinates": [outer, hole]}}]}), "utf-8")  # fmt: skip
    frame = _sites(("Square Oblast", 37.5, 49.5), precision="admin1")
    layout = lay_out(frame, boundaries=read_boundaries(layer))
    assert [d.shape for d in layout.drawn] == ["boundary"]
    figure, _ = _figure(layout, MapOptions(dpi=72))
    fills = [c for c in figure.axes[0].collections if len(c.get_paths()) == 1
             and len(c.get_paths()[0].to_polygons()) == 2]  # fmt: skip
    assert len(fills) == 2  # the fill and the dashed outline: the ring and its hole
    render(frame, tmp_path / "region.png", options=MapOptions(dpi=72, boundaries=layer))
