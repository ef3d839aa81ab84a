"""The page: its bytes, then the real thing in headless Chromium."""

from __future__ import annotations

import hashlib
import html
import re
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest

from geo_sites.exceptions import InvalidInputError
from geo_sites.maps import MapOptions, render

from .conftest import MARKER, PAYLOADS, TEMPLATE

BOUNDARIES = "data/boundaries/ukr_admbnda_adm1_sspe_20230201.topojson"


@pytest.fixture(scope="module")
def seed_page(seed_sites: gpd.GeoDataFrame, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("page") / "seeds.html"
    render(seed_sites, path, options=MapOptions(title="Seeds", cluster=False))
    return path


def test_a_self_contained_page_links_nothing(seed_page: Path) -> None:
    text = seed_page.read_text("utf-8")
    assert not re.search(r"<script[^>]+src=|<link[^>]+href=|@import|sourceMappingURL", text)
    assert "L.version" in text or 't.version="1.9.3"' in text  # Leaflet itself is inside
    assert "Country outlines: Natural Earth" in text and "GeoNames (geonames.org)" in text


def test_the_same_sites_give_the_same_page(seed_sites: gpd.GeoDataFrame, tmp_path: Path) -> None:
    digests = set()
    for name in ("a.html", "b.html"):
        render(seed_sites, tmp_path / name, options=MapOptions(title="Seeds"))
        digests.add(hashlib.sha256((tmp_path / name).read_bytes()).hexdigest())
    assert len(digests) == 1


@pytest.mark.parametrize("fragment", [False, True])
def test_report_text_is_never_a_template(
    hostile_sites: gpd.GeoDataFrame, tmp_path: Path, fragment: bool
) -> None:
    path = tmp_path / "hostile.html"
    options = MapOptions(title=f"T {TEMPLATE}", subtitle=PAYLOADS["unbalanced"],
                         caption=TEMPLATE, color_by="name", fragment=fragment)  # fmt: skip
    render(hostile_sites, path, options=options)
    text = path.read_text("utf-8")
    assert not MARKER.exists()
    assert "T 49" not in text and " 49 site" not in text  # {{ 7*7 }} never sums
    assert text.count("{{ 7*7 }}") >= 4  # title, caption, two names (popup and layer)
    assert "{{ {% {# and %} #}" in text
    if not fragment:
        assert f"<title>T {html.escape(TEMPLATE)}</title>" in text


def test_report_text_cannot_close_the_script(
    hostile_sites: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "hostile.html"
    render(hostile_sites, path)
    text = path.read_text("utf-8")
    assert "</script><script>window.__pwned" not in text
    assert "<img src=x" not in text
    assert "\\u003c/script\\u003e\\u003cscript\\u003ewindow.__pwned=1" in text


def test_cdn_pages_link_the_same_versions(seed_sites: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "cdn.html"
    render(seed_sites, path, options=MapOptions(self_contained=False))
    links = re.findall(r'(?:src|href)="(https://[^"]+)"', path.read_text("utf-8"))
    assert sorted(links) == sorted(
        [
            "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
            "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
            "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.4.1/dist/leaflet.markercluster.js",
            "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.4.1/dist/MarkerCluster.css",
        ]
    )


def test_unknown_tiles_are_refused(seed_sites: gpd.GeoDataFrame, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match=r"unknown tile provider 'Nowhere\.Tiles'"):
        render(seed_sites, tmp_path / "x.html", options=MapOptions(tiles="Nowhere.Tiles"))
    assert not (tmp_path / "x.html").exists()


# -- in the browser -------------------------------------------------------------------


def _count(page: Any, selector: str) -> int:
    return int(page.locator(selector).count())


def test_the_seed_map_in_chromium(
    seed_page: Path, visit: Any, seed_sites: gpd.GeoDataFrame
) -> None:
    seen = visit(seed_page)
    page = seen.ready()
    assert seen.errors == [] and seen.remote == []
    points = int((seed_sites["precision"].isin(["settlement", "near", "exact"])
                  & seed_sites.geometry.notna()).sum())  # fmt: skip
    assert (_count(page, "path.gs-point"), _count(page, "path.gs-area")) == (points, 3)
    assert points + 3 == len(seed_sites) - 1  # every placed site; the unplaced one is listed
    assert "1 of 15 sites has no location and is not shown" in page.inner_text(".gs-caption")
    legend = page.inner_text(".gs-legend")
    assert "Mass grave (3)" in legend and "1,000" in legend
    assert "Count (civilian bodies, killed, bodies, …)" in legend  # what the sizes measure
    assert "1 site has no location: not shown" in legend
    assert "(3 dated, 11 undated)" in page.inner_text(".gs-title")
    switches = page.locator(".gs-legend-switch").all_inner_texts()
    assert [s.strip() for s in switches][:2] == ["Mass grave (3)", "Bodies found (3)"]
    assert switches[-1].strip() == "Place names"
    assert _count(page, ".leaflet-control-layers") == 0  # the legend is the layer switch
    assert "Seeds" in page.inner_text(".gs-title")
    assert _count(page, ".leaflet-control-scale") == 1


def _click_site(page: Any, lat: float, lon: float) -> str:
    """Click the map where a site is, as a user would, and return the popup's text.

    The site is first brought to the middle of the map, clear of the controls, as a
    user pans to it: an earlier popup may have panned the map to fit itself.
    """
    page.evaluate("() => geoSites.maps[0].map.closePopup()")
    page.wait_for_selector(".leaflet-popup", state="detached", timeout=5000)
    page.evaluate(
        "([lat, lon]) => { const m = geoSites.maps[0].map;"
        " m.setView([lat, lon], m.getZoom(), { animate: false }); }",
        [lat, lon],
    )
    x, y = page.evaluate(
        "([lat, lon]) => { const m = geoSites.maps[0].map;"
        " const p = m.latLngToContainerPoint([lat, lon]);"
        " const r = m.getContainer().getBoundingClientRect(); return [r.x + p.x, r.y + p.y]; }",
        [lat, lon],
    )
    page.mouse.click(x, y)
    page.wait_for_selector(".leaflet-popup-content", timeout=5000)
    return str(page.inner_text(".leaflet-popup-content"))


def test_clicking_a_marker_opens_its_popup(
    seed_page: Path, visit: Any, seed_sites: gpd.GeoDataFrame
) -> None:
    page = visit(seed_page).ready()
    mariupol = seed_sites[seed_sites["place_name"] == "Mariupol"].iloc[0]
    text = _click_site(page, mariupol["lat"], mariupol["lon"])
    assert text.startswith("Mariupol")
    for expected in ("What happened\nKilling", "Where\nMariupol, Donetsk Oblast, UA",
                     "How we placed it\nFound in the gazetteer by its name as written.",
                     "Sources (1)", "Details of the placing"):  # fmt: skip
        assert expected in text
    kharkiv = seed_sites[seed_sites["precision"] == "admin1"].iloc[0]
    text = _click_site(page, kharkiv["lat"], kharkiv["lon"])
    assert text.count("Kharkiv Oblast\n") >= 3  # the three region sites share one popup


def test_the_legend_switches_a_category_off_and_on(seed_page: Path, visit: Any) -> None:
    page = visit(seed_page).ready()
    before = _count(page, "path.gs-point") + _count(page, "path.gs-area")
    page.locator(".gs-legend-switch", has_text="Mass grave").click()
    assert _count(page, "path.gs-point") + _count(page, "path.gs-area") == before - 3
    page.locator(".gs-legend-switch", has_text="Mass grave").click()
    assert _count(page, "path.gs-point") + _count(page, "path.gs-area") == before
    page.locator(".gs-legend-switch", has_text="Place names").click()
    assert _count(page, ".gs-label") == 0


#: The page as a briefing shows it, in an iframe and on a phone.
SIZES = [(1400, 900), (800, 500), (390, 844)]

_OVERLAPS = """() => {
  const shown = n => n.getBoundingClientRect().width > 0
    && getComputedStyle(n).visibility !== "hidden";
  const boxes = sel => [...document.querySelectorAll(sel)].filter(shown)
    .map(n => [n.textContent, n.getBoundingClientRect()]);
  const clash = (a, b) => a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1
    && b.top < a.bottom - 1;
  const labels = boxes(".gs-label"), controls = boxes(".leaflet-control, .gs-title");
  const markers = boxes(".gs-cluster, path.gs-point");
  const frame = document.querySelector(".leaflet-container").getBoundingClientRect();
  const out = [];
  document.querySelectorAll(".gs-label-town, .gs-label-area").forEach(n => shown(n) &&
    markers.forEach(([u, b]) => clash(n.getBoundingClientRect(), b)
      && out.push(n.textContent + " / a marker")));
  labels.forEach(([t, a], i) => {
    labels.slice(i + 1).forEach(([u, b]) => clash(a, b) && out.push(t + " / " + u));
    controls.forEach(([u, b]) => clash(a, b) && out.push(t + " / a control"));
    if (a.left < frame.left || a.right > frame.right || a.top < frame.top
        || a.bottom > frame.bottom) out.push(t + " / the edge");
  });
  controls.forEach(([t, a], i) => controls.slice(i + 1).forEach(([u, b]) =>
    clash(a, b) && out.push("controls: " + t.slice(0, 20) + " / " + u.slice(0, 20))));
  return [out, labels.length];
}"""


@pytest.mark.parametrize("size", SIZES)
def test_labels_and_controls_never_overlap(
    seed_page: Path, visit: Any, size: tuple[int, int]
) -> None:
    page = visit(seed_page, size).ready()
    overlaps, shown = page.evaluate(_OVERLAPS)
    assert overlaps == [] and shown >= 5
    # Every site drawn is in view, clear of the title and the legend.
    hidden = page.evaluate(
        "() => { const m = geoSites.maps[0].map, c = m.getContainer().getBoundingClientRect();"
        " const covers = [...document.querySelectorAll('.gs-title, .gs-legend')]"
        "   .map(n => n.getBoundingClientRect());"
        " return [...document.querySelectorAll('path.gs-point')].filter(p => {"
        "   const b = p.getBoundingClientRect();"
        "   const x = (b.left + b.right) / 2, y = (b.top + b.bottom) / 2;"
        "   return x < c.left || x > c.right || y < c.top || y > c.bottom"
        "     || covers.some(r => x > r.left && x < r.right && y > r.top && y < r.bottom); })"
        "   .length; }"
    )
    assert hidden == 0
    closed = page.evaluate(
        "() => document.querySelector('.gs-legend').classList.contains('gs-closed')"
    )
    assert closed == (size[0] < 600)  # a phone opens the legend by its heading


def test_clusters_open_onto_every_site(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, visit: Any
) -> None:
    path = tmp_path / "clustered.html"
    render(seed_sites, path)
    page = visit(path).ready()
    counts = page.evaluate("() => { const m = geoSites.maps[0];"
                           " return [m.sites.length, m.points.getLayers().length]; }")  # fmt: skip
    assert counts == [14, 11]
    izium = page.locator(".gs-cluster", has_text="5")
    izium.click()
    page.wait_for_timeout(600)  # the spider's animation
    assert _count(page, "path.gs-point") >= 5


def test_the_timeline_filters_by_date(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, visit: Any
) -> None:
    path = tmp_path / "timeline.html"
    render(seed_sites, path, options=MapOptions(timeline=True, cluster=False))
    page = visit(path).ready()
    assert "14 of 14 sites shown" in page.inner_text(".gs-timeline")
    page.evaluate("() => { const s = document.querySelector('.gs-timeline input');"
                  " s.value = 0; s.dispatchEvent(new Event('input')); }")  # fmt: skip
    text = page.inner_text(".gs-timeline")
    assert text.startswith("Events up to 2022-03-07")
    shown = int(re.search(r"(\d+) of 14 sites shown", text).group(1))  # type: ignore[union-attr]
    assert shown < 14 and _count(page, "path.gs-point") + _count(page, "path.gs-area") == shown


def test_a_region_site_is_its_oblast_not_a_circle(seed_page: Path, visit: Any) -> None:
    page = visit(seed_page).ready()
    areas = page.evaluate(
        "() => [...document.querySelectorAll('path.gs-area')].map(p => [p.getAttribute('d'),"
        " p.getAttribute('stroke'), p.getAttribute('stroke-dashoffset')])"
    )
    assert len(areas) == 3
    # An oblast's outline of many corners, not Leaflet's circle of two arcs.
    assert all(d.count("L") > 100 and "a" not in d for d, _, _ in areas)
    assert len({colour for _, colour, _ in areas}) == 3  # each kind of event its colour
    assert len({offset for _, _, offset in areas}) == 3  # ... in turns along the edge
    assert "several kinds of event in one region" in page.inner_text(".gs-legend")
    assert "Oblast boundaries: OCHA COD-AB" in page.inner_text(".gs-caption")
    assert "Kharkiv Oblast" in page.locator(".gs-label-area").all_text_contents()


def test_the_capitals_around_the_sites_are_named(seed_page: Path, visit: Any) -> None:
    page = visit(seed_page).ready()
    towns = page.locator(".gs-label-town")
    named = set(towns.all_text_contents())
    # The seats of the oblasts in view, in the labels the gazetteer gives them.
    assert {"Kyiv", "Kharkiv", "Dnipro", "Zaporizhzhia", "Mykolaiv"} <= named
    assert "Zaporizhzhya" not in named and "Kiev" not in named
    shown = {t for t in towns.all_inner_texts() if t}
    assert {"Dnipro", "Poltava", "Donetsk"} <= shown  # clear of the sites, so not hidden
    assert towns.first.locator(".gs-town-dot").count() == 1


def test_boundaries_are_the_base_and_the_region(
    seed_sites: gpd.GeoDataFrame, shared: Path, tmp_path: Path, visit: Any
) -> None:
    path = tmp_path / "oblasts.html"
    render(seed_sites, path, options=MapOptions(boundaries=shared / BOUNDARIES, cluster=False))
    seen = visit(path)
    page = seen.ready()
    assert seen.errors == [] and seen.remote == []
    assert _count(page, "path.gs-area") == 3  # three sites fill the Kharkiv oblast
    labels = page.locator(".gs-label-area").all_text_contents()
    assert "Kharkivska" in labels and len(labels) >= 27
    assert ("Boundaries: OCHA COD-AB (ukr_admbnda_adm1_sspe_20230201.topojson)"
            in page.inner_text(".gs-caption"))  # fmt: skip


def test_injected_text_stays_text(
    hostile_sites: gpd.GeoDataFrame, tmp_path: Path, visit: Any
) -> None:
    path = tmp_path / "hostile.html"
    options = MapOptions(cluster=False, color_by="name", title=PAYLOADS["img"],
                         subtitle=TEMPLATE, caption=PAYLOADS["unbalanced"])  # fmt: skip
    render(hostile_sites, path, options=options)
    assert not MARKER.exists()
    seen = visit(path)
    page = seen.ready()
    for site in hostile_sites.itertuples():
        text = _click_site(page, site.lat, site.lon)
        payload = site.name.removesuffix(" site")
        assert text.startswith(site.name)  # the name, literally
        assert f"{payload} outlet · {payload} title (javascript:window.__pwned=1)" in text
        popup = page.locator(".leaflet-popup-content")
        assert popup.locator("img, script, b").count() == 0
        hrefs = popup.locator("a").evaluate_all("links => links.map(a => a.href)")
        assert len(hrefs) == 1 and hrefs[0].startswith("https://example.org/")
    legend = page.inner_text(".gs-legend")
    assert PAYLOADS["img"] in legend and PAYLOADS["script"] in legend
    assert page.inner_text(".gs-title-main") == PAYLOADS["img"]
    assert page.inner_text(".gs-title-sub") == TEMPLATE
    assert page.inner_text(".gs-caption").startswith(PAYLOADS["unbalanced"])
    assert "{{ 7*7 }}" in legend and "{{ {% {# and %} #}" in legend
    assert page.locator(".gs-legend img, .gs-title img, .gs-legend script").count() == 0
    assert page.evaluate("() => window.__pwned") is None
    assert seen.dialogs == [] and seen.errors == [] and seen.remote == []


def test_the_page_works_in_an_iframe(seed_page: Path, visit: Any) -> None:
    host = seed_page.with_name("host.html")
    host.write_text(
        '<!doctype html><html><body><h1>Briefing</h1><iframe src="seeds.html" '
        'width="640" height="400" style="border:0"></iframe></body></html>'
    )
    seen = visit(host)
    frame = seen.ready(seen.page.frames[1])
    size = frame.evaluate(
        "() => [innerWidth, innerHeight, document.querySelector('.leaflet-container').offsetHeight]"
    )
    assert size == [640, 400, 400]
    assert frame.locator("path.gs-point").count() > 0 and seen.errors == []


def test_a_fragment_pastes_into_a_page(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, visit: Any
) -> None:
    block = tmp_path / "block.html"
    render(seed_sites, block, options=MapOptions(fragment=True, height="420px", cluster=False))
    text = block.read_text("utf-8")
    assert text.startswith('<div class="geo-sites-map"') and "<html" not in text
    assert "html, body" not in text
    host = tmp_path / "page.html"
    host.write_text(f"<!doctype html><html><body><h1>Briefing</h1>{text}<p>After</p></body></html>")
    seen = visit(host)
    page = seen.ready()
    assert page.evaluate("() => getComputedStyle(document.body).margin") == "8px"
    assert page.locator(".leaflet-container").evaluate("e => e.offsetHeight") == 420
    assert _count(page, "path.gs-point") > 0 and seen.errors == [] and seen.remote == []


def test_two_fragments_on_one_page_each_draw_all_their_sites(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, visit: Any
) -> None:
    blocks = []
    for title, sites in (
        ("All", seed_sites),
        ("Kharkiv", seed_sites[seed_sites["admin1"] == "Kharkiv Oblast"]),
    ):
        block = tmp_path / f"{title}.html"
        render(sites, block, options=MapOptions(title=title, fragment=True, cluster=False))
        blocks.append(block.read_text("utf-8"))
    assert all("<meta" not in block for block in blocks)
    host = tmp_path / "page.html"
    host.write_text(f"<!doctype html><html><head><meta charset='utf-8'></head><body>"
                    f"{blocks[0]}<p>Between</p>{blocks[1]}</body></html>")  # fmt: skip
    seen = visit(host)
    seen.page.wait_for_selector("html[data-ready]", state="attached", timeout=15_000)
    drawn = seen.page.evaluate(
        "() => [...document.querySelectorAll('.leaflet-container')].map(m =>"
        " [m.id, m.getAttribute('data-ready'), m.querySelectorAll('path.gs-point').length,"
        " m.querySelectorAll('path.gs-area').length])"
    )
    placed = seed_sites[seed_sites.geometry.notna()]
    kharkiv = placed[placed["admin1"] == "Kharkiv Oblast"]
    assert [(ready, points + areas) for _, ready, points, areas in drawn] == [
        ("true", len(placed)),
        ("true", len(kharkiv)),
    ]
    assert drawn[0][0] != drawn[1][0] and seen.errors == []


def test_a_headless_browser_gets_a_still_page(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, visit: Any
) -> None:
    path = tmp_path / "clustered.html"
    render(seed_sites, path)
    seen = visit(path)
    seen.page.wait_for_selector("html[data-ready]", state="attached", timeout=15_000)
    # Drawn at once: the clusters are in place, and the map does not animate.
    assert seen.page.evaluate(
        "() => [geoSites.maps[0].map._zoomAnimated, geoSites.maps[0].points.options.animate]"
    ) == [False, False]
    assert _count(seen.page, ".gs-cluster") > 0


def test_tiles_replace_the_outlines_and_are_credited(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    path = tmp_path / "tiles.html"
    render(seed_sites, path, options=MapOptions(tiles="OpenStreetMap.Mapnik"))
    text = path.read_text("utf-8")
    assert "https://tile.openstreetmap.org/{z}/{x}/{y}.png" in text
    assert "Tiles: (C) OpenStreetMap contributors" in text
    assert "Country outlines" not in text


@pytest.mark.parametrize("height", ["600px", "70vh", "50%", "12.5em", "0"])
def test_a_fragment_height_is_a_css_length(height: str) -> None:
    assert MapOptions(fragment=True, height=height).height == height


@pytest.mark.parametrize("height", ["abc", "", "600", "-5px", "1px;color:red", "calc(1px)"])
def test_a_height_that_is_not_a_css_length_is_refused(height: str) -> None:
    with pytest.raises(InvalidInputError, match=r"^height: expected a CSS length") as caught:
        MapOptions(fragment=True, height=height)
    assert caught.value.parameter == "height"
