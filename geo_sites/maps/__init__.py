"""Maps for briefings: a self-contained HTML page (folium), or an image for slides.

:func:`render` draws a layer of sites (``geo-sites sites``, or any point
layer with properties) to ``.html`` or to ``.png``, ``.svg`` or ``.pdf``:

``symbols``  colour by category, size by count (area proportional), points versus areas
``popup``    the one popup template, as plain text
``layout``   which rows are drawn and how, the extent and the credits
``basemap``  country outlines that ship with geo-sites, and the user's boundaries
``assets``   Leaflet and its plugins, inlined from installed packages
``html``     the folium page
``image``    the matplotlib image, in a metric projection

Both outputs show the same symbols, legend, title and credits.  A site
known only to a region is drawn as that region (or a circle of its
uncertainty), never as a pin.  Rows without a location are not drawn; the
returned :class:`~.layout.Layout` lists them with the reason.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import InvalidInputError
from ..formats import for_output

if TYPE_CHECKING:
    import geopandas as gpd

    from .layout import Layout

__all__ = ["MapOptions", "map_format", "render"]


@dataclass(frozen=True, slots=True)
class MapOptions:
    """How to draw a map.

    Parameters
    ----------
    title, subtitle, caption : str
        Shown at the top and bottom; the credits of the data are always added
        to the caption.  The subtitle defaults to a count of the sites and
        their dates.
    color_by, size_by : str, optional
        Columns to colour and size by; default ``event_type`` and ``count``.
    cluster : bool
        Gather crowded points into clusters that open on click (HTML).
    timeline : bool
        A date slider over the sites' event dates (HTML).
    boundaries : path, optional
        A polygon layer drawn as the base; region-level sites become its areas.
    tiles : str, optional
        An xyzservices tile provider ("OpenStreetMap.Mapnik"); None draws
        country outlines instead and needs no network.
    self_contained : bool
        Inline Leaflet and its plugins (HTML), so the page works offline.
    fragment : bool
        Write a block to paste into an existing page instead of a page (HTML).
    height : str
        The height of a fragment, a CSS length (``600px``, ``70vh``, ``50%``).
    dpi : int
        The resolution of PNG images.
    """

    title: str = "Reported incident sites"
    subtitle: str | None = None
    caption: str | None = None
    color_by: str | None = None
    size_by: str | None = None
    cluster: bool = True
    timeline: bool = False
    boundaries: Path | None = None
    tiles: str | None = None
    self_contained: bool = True
    fragment: bool = False
    height: str = "600px"
    dpi: int = 300

    def __post_init__(self) -> None:
        if not _CSS_LENGTH.fullmatch(self.height):
            raise InvalidInputError(f"expected a CSS length such as 600px, 70vh or 50%, "
                                    f"instead got {self.height!r}", parameter="height")  # fmt: skip


_CSS_LENGTH = re.compile(r"0|\d+(\.\d+)?(px|em|rem|ex|ch|vh|vw|vmin|vmax|%|pt|pc|cm|mm|in|Q)")


def map_format(path: str | os.PathLike[str]) -> str:
    """The format of the map *path* names by its extension: html, png, svg or pdf."""
    return for_output(path, ("map",)).name


def render(
    frame: gpd.GeoDataFrame, path: str | os.PathLike[str], options: MapOptions | None = None
) -> Layout:
    """Draw the sites of *frame* to *path*, atomically; return what was drawn.

    Raises
    ------
    InvalidInputError
        For an empty layer, a layer without any located row, a column the
        options name that it lacks, or options that do not fit the format.
    OutputError
        When the file cannot be written.
    """
    from dataclasses import replace

    from ..files import replacing
    from .basemap import read_boundaries
    from .layout import lay_out, summary

    options = options or MapOptions()
    path = Path(path)
    kind = map_format(path)
    if kind != "html" and options.fragment:
        raise InvalidInputError("--fragment is for HTML maps")
    if kind != "html" and options.timeline:
        raise InvalidInputError("--timeline is for HTML maps")
    boundaries = read_boundaries(options.boundaries) if options.boundaries else None
    layout = lay_out(frame, color_by=options.color_by, size_by=options.size_by,
                     boundaries=boundaries)  # fmt: skip
    if options.subtitle is None:
        options = replace(options, subtitle=summary(layout))
    if kind == "html":
        from .html import page

        text = page(layout, options)
        with replacing(path) as temporary:
            temporary.write_text(text, "utf-8")
    else:
        from .image import draw

        with replacing(path) as temporary:
            draw(layout, options, temporary, kind)
    return layout
