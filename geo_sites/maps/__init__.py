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
``shot``     the page as an image, by Chromium

Both outputs show the same symbols, legend, title and credits.  A site
known only to a region is drawn as that region (or a circle of its
uncertainty), never as a pin.  Rows without a location are not drawn; the
returned :class:`Map` lists them with the reason, and shows itself in Jupyter.
"""

from __future__ import annotations

import html as _html
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import ParameterError
from ..formats import STDIO, for_output

if TYPE_CHECKING:
    import geopandas as gpd

    from .layout import Layout

__all__ = ["Map", "MapOptions", "map_format", "render"]


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
        The height of a fragment, and of the map in a notebook, a CSS length
        (``600px``, ``70vh``, ``50%``).
    dpi : int
        The resolution of PNG images.
    inset : bool
        A locator in a corner of an image: the country the map shows, with
        the map's extent on it.
    from_html : bool
        Make a PNG as a screenshot of the HTML page, taken by Chromium
        (:mod:`.shot`), instead of drawing it with matplotlib.
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
    inset: bool = False
    from_html: bool = False

    def __post_init__(self) -> None:
        if not _CSS_LENGTH.fullmatch(self.height):
            raise ParameterError(f"expected a CSS length such as 600px, 70vh or 50%, "
                                 f"instead got {self.height!r}", parameter="height")  # fmt: skip


_CSS_LENGTH = re.compile(r"0|\d+(\.\d+)?(px|em|rem|ex|ch|vh|vw|vmin|vmax|%|pt|pc|cm|mm|in|Q)")


def map_format(path: str | os.PathLike[str]) -> str:
    """The format of the map *path* names by its extension: html, png, svg or pdf."""
    if str(path) == STDIO:
        raise ParameterError("-: a map is written to a file, not stdout", parameter="path")
    return for_output(path, ("map",)).name


@dataclass(frozen=True, slots=True)
class Map:
    """A map drawn by :func:`render`: what was drawn, the page, and the file written.

    In Jupyter a map with a page shows itself, in an iframe of ``height``
    (:meth:`_repr_html_`, as folium maps do).

    Attributes
    ----------
    layout : Layout
        What was drawn: ``layout.drawn``, and ``layout.missing``, the rows not
        on the map with the reason.
    html : str or None
        The page (or the block, for ``MapOptions(fragment=True)``); None for an image.
    path : Path or None
        The file written; None for a map rendered in memory.
    height : str
        The height of the map shown in a notebook, a CSS length.
    """

    layout: Layout
    html: str | None = None
    path: Path | None = None
    height: str = "600px"

    def __repr__(self) -> str:
        kind = "image" if self.html is None else "page"
        where = f", {self.path}" if self.path else ""
        return (f"<Map: {kind}, {len(self.layout.drawn):,} sites drawn, "
                f"{len(self.layout.missing):,} not on the map{where}>")  # fmt: skip

    def _repr_html_(self) -> str | None:
        """The page in an iframe, for Jupyter; None for an image.

        The page is the iframe's ``srcdoc``, escaped.  The frame is sandboxed:
        its script draws the map, but cannot reach the notebook.
        """
        if self.html is None:
            return None
        return (f'<iframe srcdoc="{_html.escape(self.html)}" style="width:100%;'
                f'height:{self.height};border:none" sandbox="allow-scripts allow-popups '
                'allow-popups-to-escape-sandbox" allowfullscreen></iframe>')  # fmt: skip

    def save(self, path: str | os.PathLike[str]) -> Path:
        """Write the map to *path*, atomically: the page, or a copy of the image.

        Parameters
        ----------
        path : path-like
            ``.html`` or ``.htm`` for a page; an image keeps its own format.

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        ParameterError
            When the extension of *path* is not the format of the map.
        OutputError
            When the file cannot be written.

        Examples
        --------
        >>> frame = geo_sites.join(pd.DataFrame({"place": ["Izium"]}), place_column="place")
        >>> geo_sites.render(frame).save("izium.html")
        PosixPath('izium.html')
        """
        import shutil

        from ..files import replacing

        path = Path(path)
        kind = map_format(path)
        made = "html" if self.html is not None else map_format(self.path or path)
        if kind != made:
            raise ParameterError(f"{path}: the map is {made.upper()}; save it as .{made}",
                                 parameter="path")  # fmt: skip
        with replacing(path) as temporary:
            if self.html is not None:
                temporary.write_text(self.html, "utf-8")
            elif self.path is not None:
                shutil.copyfile(self.path, temporary)
        return path


def render(
    frame: gpd.GeoDataFrame,
    path: str | os.PathLike[str] | None = None,
    *,
    options: MapOptions | None = None,
) -> Map:
    """Draw the sites of *frame* on a map: a page in memory, or a file written atomically.

    Parameters
    ----------
    frame : GeoDataFrame
        Sites (:func:`geo_sites.sites_frame`), a joined table
        (:func:`geo_sites.join`), or any point layer with properties.
        Rows without a location are not drawn; the map lists them.
    path : path-like, optional
        The file to write: ``.html``, ``.png``, ``.svg`` or ``.pdf``.  None
        renders an HTML map in memory and writes nothing.
    options : MapOptions, optional
        Title, colours, clusters, timeline, boundaries, tiles...

    Returns
    -------
    Map
        What was drawn (``.layout``), the page of an HTML map (``.html``) and
        the file written (``.path``).  In Jupyter it shows itself.

    Raises
    ------
    ParameterError
        For a *path* of no map format, options that do not fit the format, a
        column the options name that the layer lacks, or unknown tiles.
    InvalidInputError
        For an empty layer, or a layer without any located row.
    OutputError
        When the file cannot be written.

    Examples
    --------
    >>> places = pd.DataFrame({"place": ["Izium", "Bucha", "Qwxzvillekrt"]})
    >>> frame = geo_sites.join(places, place_column="place")
    >>> geo_sites.render(frame)
    <Map: page, 2 sites drawn, 1 not on the map>
    >>> geo_sites.render(frame, "places.png", options=geo_sites.MapOptions(dpi=72))
    <Map: image, 2 sites drawn, 1 not on the map, places.png>
    """
    from dataclasses import replace

    from ..files import replacing
    from .basemap import read_boundaries
    from .layout import lay_out, summary

    options = options or MapOptions()
    path = Path(path) if path is not None else None
    kind = map_format(path) if path is not None else "html"
    for option in ("fragment", "timeline"):
        if kind != "html" and getattr(options, option):
            raise ParameterError(f"is for HTML maps, not .{kind}", parameter=option)
    if kind == "html" and options.inset:
        raise ParameterError("is for images (.png, .svg, .pdf), not HTML maps", parameter="inset")
    if kind != "png" and options.from_html:
        raise ParameterError(f"is for .png images, not .{kind}", parameter="from_html")
    boundaries = read_boundaries(options.boundaries) if options.boundaries else None
    layout = lay_out(frame, color_by=options.color_by, size_by=options.size_by,
                     boundaries=boundaries)  # fmt: skip
    if options.subtitle is None:
        options = replace(options, subtitle=summary(layout))
    if kind == "html":
        from .html import page

        drawn = Map(layout, page(layout, options), height=options.height)
        if path is None:
            return drawn
        drawn.save(path)
        return replace(drawn, path=path)
    assert path is not None
    with replacing(path) as temporary:
        if options.from_html:
            from .html import page
            from .shot import screenshot

            screenshot(page(layout, options), temporary, options.dpi)
        else:
            from .image import draw

            draw(layout, options, temporary, kind)
    return Map(layout, path=path, height=options.height)
