"""The map page: folium, with the sites drawn by our own script from one data block.

folium builds the frame: the Leaflet map, its scale bar, the base (tiles, or
country outlines and boundaries) and one layer per category.  The sites
themselves travel as one JSON block that ``static/sites.js`` turns into
markers, areas, popups, tooltips, labels, the legend (which switches the
layers), the title, the caption, the timeline and the view, fitted clear of
the controls.  This keeps a page of
10,000 sites small and quick, and it keeps report text out of HTML: the
block is JSON with ``<``, ``>`` and ``&`` escaped, so ``</script>`` cannot end
it, and the script shows every text with ``textContent``.

No text of ours is ever template source.  branca compiles the output of every
macro, and every ``Element(text)``, as a new Jinja2 template; report text in
there would run as code (``{{ lipsum.__globals__ ... }}``).  So the elements
that carry text (the data block, the inlined scripts) go into the page
through :class:`_Verbatim`, which is never compiled.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
import re
from typing import TYPE_CHECKING, Any

import folium
from branca.element import Element, MacroElement
from jinja2 import Template

from ..colours import SHARED
from ..exceptions import ParameterError
from . import assets
from .basemap import OUTLINE_CREDIT, countries
from .layout import heading, not_shown, place_labels, size_title
from .popup import name_of, popup
from .symbols import nice_sizes

if TYPE_CHECKING:
    from . import MapOptions
    from .layout import Layout

__all__ = ["page"]

_OUTLINE_STYLE = {"color": "#9aa5ad", "weight": 1, "fillColor": "#fbfaf7", "fillOpacity": 1}
_BOUNDARY_STYLE = {"color": "#6d7780", "weight": 1, "fill": False, "dashArray": "2 3"}


def page(layout: Layout, options: MapOptions) -> str:
    """The HTML of the map: a whole page, or a block to paste into one (``options.fragment``)."""
    fmap = folium.Map(location=None, tiles=None, control_scale=True, zoom_start=5,
                      height="100%" if not options.fragment else options.height,
                      position="relative" if options.fragment else "absolute")  # fmt: skip
    _scripts(fmap, options.self_contained)
    credits = list(layout.credits)
    padded = _padded(layout.bounds)
    # Outlines and boundaries lie under the sites' areas (pane gs-areas, z 350).
    folium.map.CustomPane("gs-base", z_index=300, pointer_events=False).add_to(fmap)
    outline = None
    if options.tiles:
        tiles = _tiles(options.tiles)
        folium.TileLayer(tiles, name=html.escape(options.tiles)).add_to(fmap)
        credits.append(f"Tiles: {tiles.get('attribution', options.tiles)}")
    else:
        outline = countries(padded)
        if len(outline):
            folium.GeoJson(_geojson(outline), name="Countries", control=False,
                           interactive=False, pane="gs-base",
                           style_function=lambda _: _OUTLINE_STYLE).add_to(fmap)  # fmt: skip
            credits.append(OUTLINE_CREDIT)
    labels = [list(label) for label in place_labels(layout, outline)]
    if layout.boundaries is not None:
        folium.GeoJson(_geojson(layout.boundaries.frame), name="Boundaries", control=False,
                       interactive=False, pane="gs-base",
                       style_function=lambda _: _BOUNDARY_STYLE).add_to(fmap)  # fmt: skip
        credits.append(layout.boundaries.credit)
    # One group a category, and one for the labels: the legend switches them.
    groups = [folium.FeatureGroup(control=False).add_to(fmap) for _ in layout.symbols.categories]
    label_group = folium.FeatureGroup(control=False, show=bool(labels)).add_to(fmap)
    data = _data(layout, options, credits, labels)
    _Sites(groups, label_group, data).add_to(fmap)
    # A fragment's ids are its own, so that several fragments can share a page.
    _number(fmap, hashlib.sha256(_json(data).encode()).hexdigest()[:8] if options.fragment else "")
    root = fmap.get_root()
    root.title = html.escape(options.title)  # type: ignore[attr-defined]
    text = root.render()
    return _fragment(text, options.height) if options.fragment else text


def _scripts(fmap: folium.Map, self_contained: bool) -> None:
    """Leaflet and markercluster inlined (or linked), and our script and style."""
    fmap.default_js, fmap.default_css = [], []
    head = fmap.get_root().header  # type: ignore[attr-defined]
    if self_contained:
        script, style = assets.inlined()
        head.add_child(_Verbatim(f"<style>{style}</style>"), name="leaflet_css")
        head.add_child(_Verbatim(f"<script>{script}</script>"), name="leaflet")
    else:
        for number, url in enumerate(assets.LINKS["css"]):
            head.add_child(_Verbatim(f'<link rel="stylesheet" href="{url}"/>'), name=f"css{number}")
        for number, url in enumerate(assets.LINKS["js"]):
            head.add_child(_Verbatim(f'<script src="{url}"></script>'), name=f"js{number}")
    script, style = assets.own()
    head.add_child(_Verbatim(f"<style>{style}</style>"), name="geo_sites_css")
    head.add_child(_Verbatim(f"<script>{script}</script>"), name="geo_sites_js")


def _tiles(name: str) -> Any:
    """The xyzservices TileProvider named *name*."""
    import xyzservices

    try:
        return xyzservices.providers.query_name(name)
    except ValueError:
        raise ParameterError(
            f"unknown tile provider {name!r}; use a name from xyzservices "
            "(OpenStreetMap.Mapnik, Esri.WorldImagery, ...) or none",
            parameter="tiles",
        ) from None


def _padded(bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    west, south, east, north = bounds
    pad_x, pad_y = max((east - west) * 0.5, 3.0), max((north - south) * 0.5, 2.0)
    return (max(west - pad_x, -180), max(south - pad_y, -90),
            min(east + pad_x, 180), min(north + pad_y, 90))  # fmt: skip


def _geojson(frame: Any) -> dict[str, Any]:
    """A small GeoJSON of polygons: simplified to ~500 m, 4 decimals, numbered features."""
    import numpy as np
    import shapely

    geometry = shapely.simplify(frame.geometry.to_numpy(), 0.005, preserve_topology=True)
    geometry = shapely.transform(geometry, lambda xy: np.round(xy, 4))
    features = [{"type": "Feature", "id": number, "properties": {},
                 "geometry": json.loads(shapely.to_geojson(shape))}
                for number, shape in enumerate(geometry) if shape is not None]  # fmt: skip
    return {"type": "FeatureCollection", "features": features}


def _data(
    layout: Layout, options: MapOptions, credits: list[str], labels: list[list[Any]]
) -> dict[str, Any]:
    frame, symbols = layout.frame, layout.symbols
    records = frame.drop(columns="geometry").to_dict("records")
    days = _days(frame) if options.timeline else [None] * len(frame)
    boundary_rows = sorted({d.boundary for d in layout.drawn if d.boundary is not None})
    area_number = {row: number for number, row in enumerate(boundary_rows)}
    sites, popups = [], []
    strings: dict[str, int] = {}  # texts that repeat ("Where", "Killing") are sent once

    def ref(text: str) -> int:
        return strings.setdefault(text, len(strings))

    for item in layout.drawn:
        record = records[item.row]
        extent = (area_number[item.boundary] if item.boundary is not None
                  else round(item.radius_m) if item.radius_m else None)  # fmt: skip
        site = [round(item.lat, 6), round(item.lon, 6), symbols.codes[item.row],
                round(symbols.sizes[item.row], 1), item.shape, extent, days[item.row],
                name_of(record)]  # fmt: skip
        sites.append([*site, item.part, item.parts] if item.parts > 1 else site)
        shown = popup(record)
        lines = [[ref(label), ref(text)] for label, text in shown["lines"]]
        sources = [[ref(text), href, note] for text, href, note in shown["sources"]]
        details = shown["details"]
        popups.append([lines, sources, None if details is None else ref(details)])
    areas = []
    if boundary_rows and layout.boundaries is not None:
        shapes = layout.boundaries.frame.iloc[boundary_rows]
        areas = [f["geometry"] for f in _geojson(shapes)["features"]]
    caption = [options.caption] if options.caption else []
    caption.append(" · ".join(credits) if credits else "")
    if layout.missing:
        caption.append(not_shown(layout))
    west, south, east, north = layout.bounds
    return {
        "bounds": [[south, west], [north, east]],
        "title": options.title,
        "subtitle": options.subtitle,
        "caption": [c for c in caption if c],
        "colorBy": heading(symbols.color_by),
        "categories": [[c.label, c.colour, c.count] for c in symbols.categories],
        "shared": SHARED,
        "sizeBy": size_title(layout),
        "sizeKey": [[k, round(symbols.radius(k), 1)] for k in nice_sizes(symbols.size_max)],
        "cluster": options.cluster,
        "timeline": options.timeline,
        "days": sorted({d for d in days if d is not None}),
        "sites": sites,
        "popups": popups,
        "strings": list(strings),
        "areas": areas,
        "labels": labels,
        "missing": len(layout.missing),
    }


def _days(frame: Any) -> list[int | None]:
    """Each row's event start as days since 1970-01-01, for the timeline."""
    import pandas as pd

    for column in ("event_start", "date", "event_date"):
        if column in frame.columns:
            dates = pd.to_datetime(frame[column], errors="coerce", utc=True)
            return [None if pd.isna(d) else math.floor(d.timestamp() / 86400) for d in dates]
    raise ParameterError("needs dates: an event_start or a date column", parameter="timeline")


def _json(data: object) -> str:
    """JSON that can sit inside a <script> element: no '<', '>' or '&' outside escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escape)
    return text


class _Verbatim(Element):
    """Text that goes into the page as it is: never compiled as a template."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def render(self, **kwargs: Any) -> str:
        return self.text


class _VerbatimMacro(MacroElement):
    """A macro element whose output goes into the page verbatim.

    ``MacroElement.render`` wraps each macro's output in ``Element(output)``,
    which compiles it as a template; this adds the same parts as
    :class:`_Verbatim` instead.
    """

    def render(self, **kwargs: Any) -> None:  # type: ignore[override]
        figure = self.get_root()
        for part in ("header", "html", "script"):
            macro = getattr(self._template.module, part, None)
            if macro is not None:
                text = macro(self, kwargs)
                getattr(figure, part).add_child(_Verbatim(text), name=self.get_name())
        for child in self._children.values():
            child.render(**kwargs)


class _Sites(_VerbatimMacro):
    """The sites: the map's data block, and one call of ``geoSites.draw`` with it.

    The data is a JSON block (``<script type="application/json">``), parsed
    with ``JSON.parse``: a browser reads megabytes of JSON faster than as a
    script's object literal.
    """

    _template = Template(
        "{% macro html(this, kwargs) %}"
        '<script type="application/json" id="{{ this.get_name() }}">{{ this.payload }}</script>'
        "{% endmacro %}"
        "{% macro script(this, kwargs) %}"
        "geoSites.draw({{ this._parent.get_name() }}, "
        "[{% for group in this.groups %}{{ group.get_name() }},{% endfor %}], "
        "{{ this.labels.get_name() }}, "
        'JSON.parse(document.getElementById("{{ this.get_name() }}").textContent));'
        "{% endmacro %}"
    )

    def __init__(self, groups: list[Any], labels: Any, data: dict[str, Any]) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Sites"
        self.groups, self.labels, self.payload = groups, labels, _json(data)


def _number(fmap: folium.Map, prefix: str) -> None:
    """Give every element a fixed id, after *prefix*, so the same map gives the same page."""
    seen = [fmap.get_root()]
    number = 0
    while seen:
        element = seen.pop(0)
        element._id = f"{prefix}{number:04d}"
        number += 1
        seen.extend(element._children.values())


def _fragment(text: str, height: str) -> str:
    """The page as a block for an existing page: no global styles, a sized box."""
    head = text.split("<head>", 1)[1].split("</head>", 1)[0]
    body = text.split("<body>", 1)[1].split("</body>", 1)[0]
    script = text.rsplit("<script>", 1)[1].rsplit("</script>", 1)[0]
    for block in _GLOBAL_STYLES:
        start = head.find(block)
        if start >= 0:
            head = head[:start] + head[head.index("</style>", start) + len("</style>") :]
    head = _META.sub("", head.split("</title>", 1)[-1])  # a <meta> belongs in a page's head
    return (f'<div class="geo-sites-map" style="position:relative;width:100%;height:{height}">\n'
            f"{head}\n{body}\n<script>{script}</script>\n</div>\n")  # fmt: skip


_GLOBAL_STYLES = ("<style>html, body {", "<style>#map {")
_META = re.compile(r"<meta\b[^>]*>\s*", re.IGNORECASE)
