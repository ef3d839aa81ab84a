from __future__ import annotations

import hashlib
from pathlib import Path

import geopandas as gpd
import pytest
from PIL import Image

from geo_sites.exceptions import InvalidInputError
from geo_sites.maps import MapOptions, render


def test_a_png_for_slides(seed_sites: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "seeds.png"
    layout = render(seed_sites, path, MapOptions(title="Seeds"))
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
        render(seed_sites, path, MapOptions(title="Seeds", dpi=72))
        digests.add(hashlib.sha256(path.read_bytes()).hexdigest())
    assert len(digests) == 1


def test_an_svg_keeps_its_text(seed_sites: gpd.GeoDataFrame, tmp_path: Path) -> None:
    path = tmp_path / "seeds.svg"
    render(seed_sites, path, MapOptions(title="Сайти & <sites>"))
    text = path.read_text("utf-8")
    for expected in ("Сайти &amp; &lt;sites&gt;", "Mass grave (3)", "GeoNames (geonames.org)",
                     "Country outlines: Natural Earth", "km"):  # fmt: skip
        assert expected in text


@pytest.mark.parametrize("option", [{"fragment": True}, {"timeline": True}])
def test_html_options_are_refused_for_images(
    seed_sites: gpd.GeoDataFrame, tmp_path: Path, option: dict[str, bool]
) -> None:
    with pytest.raises(InvalidInputError, match="is for HTML maps"):
        render(seed_sites, tmp_path / "x.png", MapOptions(**option))  # type: ignore[arg-type]
