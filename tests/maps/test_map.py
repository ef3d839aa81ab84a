"""The Map that render returns: in memory or written, shown in a notebook, saved."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest

from geo_sites.exceptions import InvalidInputError
from geo_sites.maps import MapOptions, render


def test_a_map_in_memory_is_the_page_a_file_gets(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    options = MapOptions(title="Seeds", cluster=False)
    shown = render(seed_sites, options=options)
    written = render(seed_sites, tmp_path / "seeds.html", options=options)
    assert shown.path is None and written.path == tmp_path / "seeds.html"
    assert shown.html == written.html == written.path.read_text("utf-8")
    assert shown.layout.drawn == written.layout.drawn and len(shown.layout.missing) == 1
    assert repr(shown) == "<Map: page, 14 sites drawn, 1 not on the map>"


def test_a_map_shows_itself_in_a_sandboxed_frame(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, visit: Any
) -> None:
    """The notebook's view of a map: the iframe of ``_repr_html_`` in a host page."""
    shown = render(seed_sites, options=MapOptions(cluster=False, height="420px"))
    host = tmp_path / "notebook.html"
    host.write_text(f"<!doctype html><html><body><h1>Out [3]:</h1>{shown._repr_html_()}"
                    "</body></html>", "utf-8")  # fmt: skip
    seen = visit(host)
    frame = seen.ready(seen.page.frames[1])
    assert frame.locator("path.gs-point").count() + frame.locator("path.gs-area").count() == len(
        shown.layout.drawn
    )
    assert seen.page.locator("iframe").evaluate("e => e.offsetHeight") == 420
    reach = "() => { try { return parent.document.title } catch (e) { return 'kept out' } }"
    assert frame.evaluate(reach) == "kept out"  # the map's script cannot reach the notebook
    assert seen.errors == [] and seen.remote == []


def test_save_writes_the_page_or_copies_the_image(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path
) -> None:
    shown = render(seed_sites)
    assert shown.save(tmp_path / "a.html") == tmp_path / "a.html"
    assert (tmp_path / "a.html").read_text("utf-8") == shown.html
    image = render(seed_sites, tmp_path / "b.png", options=MapOptions(dpi=72))
    assert image.html is None and image._repr_html_() is None
    image.save(tmp_path / "c.png")
    digest = [hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("b.png", "c.png")]
    assert digest[0] == digest[1]


@pytest.mark.parametrize(
    ("made", "saved", "message"),
    [
        (None, "a.png", r"a\.png: the map is HTML; save it as \.html"),
        ("b.svg", "b.png", r"b\.png: the map is SVG; save it as \.svg"),
        (None, "a.txt", r"unknown map extension '\.txt'"),
    ],
)
def test_save_refuses_another_format(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, made: str | None, saved: str, message: str
) -> None:
    shown = render(seed_sites, tmp_path / made if made else None, options=MapOptions(dpi=72))
    with pytest.raises(InvalidInputError, match=message):
        shown.save(tmp_path / saved)
    assert not (tmp_path / saved).exists()
