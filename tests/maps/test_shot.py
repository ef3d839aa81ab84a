"""The page as an image, by Chromium (``geo-sites map ... -o x.png --from-html``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import geopandas as gpd
import pytest
from PIL import Image

from geo_sites.exceptions import InvalidInputError, ParameterError
from geo_sites.maps import MapOptions, render
from geo_sites.maps.shot import VIEWPORT

from .conftest import CHROMIUM


@pytest.fixture
def chromium(monkeypatch: pytest.MonkeyPatch) -> None:
    if shutil.which(CHROMIUM) is None:
        pytest.skip("needs Debian's chromium (.ci/run installs it)")
    monkeypatch.setenv("GEO_SITES_CHROMIUM", CHROMIUM)


def test_a_screenshot_of_the_page(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, chromium: None
) -> None:
    path = tmp_path / "shot.png"
    render(seed_sites, path, options=MapOptions(title="Seeds", dpi=144, from_html=True))
    with Image.open(path) as image:
        size = image.size
        colours = {c for _, c in image.convert("RGB").getcolors(maxcolors=1 << 22)}
    assert size == (VIEWPORT[0] * 3 // 2, VIEWPORT[1] * 3 // 2)  # 144 dpi: 1.5 pixels a pixel
    # The page's symbols, drawn: the mass-grave purple and the shared edge's colours.
    assert {(0x6A, 0x3D, 0x9A), (0xFF, 0x7F, 0x00)} <= colours


def test_a_screenshot_says_what_is_missing(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GEO_SITES_CHROMIUM", str(tmp_path / "no-such-browser"))
    with pytest.raises(InvalidInputError, match=r"GEO_SITES_CHROMIUM: .*: no such program"):
        render(seed_sites, tmp_path / "x.png", options=MapOptions(from_html=True))
    assert not (tmp_path / "x.png").exists()
    with pytest.raises(ParameterError, match=r"is for \.png images, not \.svg"):
        render(seed_sites, tmp_path / "x.svg", options=MapOptions(from_html=True))
