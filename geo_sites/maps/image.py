"""The map as an image for slides and print: PNG (300 dpi), SVG or PDF, offline.

Drawn with geopandas and matplotlib in a Lambert azimuthal equal-area
projection centred on the sites, so areas are true and the scale bar holds
across the map.  The symbols are those of the page: colour by category, a
circle's area by count, areas for sites known only to a region.  Sites at one
spot are fanned out around it with a leader line, as the page's clusters do
when opened.  The same input gives the same file.
"""

from __future__ import annotations

import io
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import geopandas as gpd
import matplotlib
import shapely
from matplotlib import patheffects
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.legend_handler import HandlerTuple
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib_scalebar.scalebar import ScaleBar

from ..colours import SHARED
from ..exceptions import InvalidInputError
from ..models import xy
from .basemap import OUTLINE_CREDIT, countries
from .layout import heading, not_shown, place_labels, size_title
from .symbols import nice_sizes

if TYPE_CHECKING:
    from . import MapOptions
    from .layout import Drawn, Layout

__all__ = ["draw"]

_PT_PER_PX = 0.75  # a CSS pixel is 0.75 point
_HALO = [patheffects.withStroke(linewidth=2.2, foreground="white")]
_SEA, _LAND, _BORDER = "#dfe8ef", "#fbfaf7", "#9aa5ad"
_MIN_SPAN = 1.0  # degrees of latitude: a single site is shown with its surroundings
_STRIPE = 4.0  # points: each category's dash along the edge of such an area
_SHARED_LABEL = "edge in turns: several kinds of event in one region"
_GAP = 2.0  # points between two names


def draw(layout: Layout, options: MapOptions, path: Path, kind: str) -> None:
    """Draw *layout* to *path* as ``png``, ``svg`` or ``pdf``.

    Text from the data and the options is drawn as written: a ``$`` is a
    dollar sign, never the start of a formula.

    Raises
    ------
    InvalidInputError
        When the sites span more than a hemisphere.
    OSError
        When *path* cannot be written.
    """
    with matplotlib.rc_context(
        {"text.parse_math": False, "svg.hashsalt": "geo-sites", "svg.fonttype": "none"}
    ):
        figure, outside = _figure(layout, options)
        metadata: dict[str, Any] = {"png": {"Software": None}, "svg": {"Date": None},
                                    "pdf": {"CreationDate": None}}[kind]  # fmt: skip
        image = io.BytesIO()  # whole in memory, so a failed write is one OSError
        figure.savefig(
            image,
            format=kind,
            dpi=options.dpi,
            metadata=metadata,
            bbox_inches="tight",
            pad_inches=0.15,
            bbox_extra_artists=outside,  # the legends, the subtitle, the caption and credits
        )
    path.write_bytes(image.getvalue())


def _extent(layout: Layout) -> tuple[float, float, float, float]:
    """The bounds to show: the sites', at least :data:`_MIN_SPAN` degrees of latitude high."""
    west, south, east, north = layout.bounds
    if east - west > 180:
        raise InvalidInputError(
            f"an image shows one region, at most a hemisphere; these sites span lon {west:g} to "
            f"{east:g}, lat {south:g} to {north:g} (an HTML map shows them all)"
        )
    lon0, lat0 = (west + east) / 2, (south + north) / 2
    half_lat = max((north - south) / 2, _MIN_SPAN / 2)
    half_lon = max((east - west) / 2, _MIN_SPAN / 2 / max(math.cos(math.radians(lat0)), 0.1))
    return lon0 - half_lon, max(lat0 - half_lat, -90), lon0 + half_lon, min(lat0 + half_lat, 90)


def _figure(layout: Layout, options: MapOptions) -> tuple[Figure, list[Any]]:
    """The map as a matplotlib figure, and the artists that lie outside its axes."""
    west, south, east, north = _extent(layout)
    lon0, lat0 = (west + east) / 2, (south + north) / 2
    crs = f"+proj=laea +lat_0={lat0:.4f} +lon_0={lon0:.4f} +datum=WGS84 +units=m +no_defs"
    frame_box = gpd.GeoSeries([shapely.box(west, south, east, north).segmentize(0.5)], crs=4326)
    x0, y0, x1, y1 = frame_box.to_crs(crs).total_bounds
    pad = max(x1 - x0, y1 - y0) * 0.08 + 5_000
    x0, y0, x1, y1 = x0 - pad, y0 - pad, x1 + pad, y1 + pad

    figure = Figure(figsize=(12, 9 * min(max((y1 - y0) / (x1 - x0), 0.55), 1.4)), layout="tight")
    ax = figure.add_subplot()
    ax.set_facecolor(_SEA)
    credits = [" ".join(c.split()) for c in layout.credits]
    outline = countries((west - 8, south - 5, east + 8, north + 5))
    if len(outline):
        outline.to_crs(crs).plot(ax=ax, color=_LAND, edgecolor=_BORDER, linewidth=0.6)
        credits.append(OUTLINE_CREDIT)
    if layout.boundaries is not None:
        layout.boundaries.frame.to_crs(crs).boundary.plot(ax=ax, color="#6d7780", linewidth=0.5,
                                                          linestyle=(0, (2, 3)))  # fmt: skip
        credits.append(layout.boundaries.credit)
    _areas(ax, layout, crs)
    discs = _points(ax, layout, crs)
    labels = _labels(ax, layout, crs, outline)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    inset = _inset(ax, layout, outline, crs, (lon0, lat0)) if options.inset else None
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    scale = ax.add_artist(
        ScaleBar(1, "m", location="lower left", box_alpha=0.8, font_properties={"size": 8})
    )
    arrow = ax.annotate("N", xy=(0.97, 0.97), xytext=(0.97, 0.89), xycoords="axes fraction",
                        ha="center", va="center", fontsize=11, fontweight="bold",
                        arrowprops={"facecolor": "black", "width": 4, "headwidth": 11})  # fmt: skip
    outside = _legend(ax, layout)  # the artists around the map, that the image must hold
    ax.set_title(options.title, fontsize=15, fontweight="bold", loc="left", pad=20)
    if options.subtitle:
        outside.append(ax.text(0, 1.012, options.subtitle, transform=ax.transAxes, fontsize=9,
                               va="bottom"))  # fmt: skip
    projection = (f"Projection: Lambert azimuthal equal-area, centred {_degrees(lat0, 'NS')} "
                  f"{_degrees(lon0, 'EW')}")  # fmt: skip
    caption = [options.caption or "", " · ".join(credits), projection]
    if layout.missing:
        caption.append(not_shown(layout))
    outside.append(ax.text(0, -0.01, "\n".join(c for c in caption if c), transform=ax.transAxes,
                           fontsize=7, va="top", color="#333333"))  # fmt: skip
    _declutter(figure, ax, labels, [scale, arrow, inset], discs)
    _dots(ax, labels)
    return figure, outside


def _declutter(
    figure: Figure, ax: Any, labels: list[_Label], fixed: list[Any],
    discs: list[tuple[float, float, float]],
) -> None:  # fmt: skip
    """Hide each label that overlaps a label before it (the places' come first), one of the
    *fixed* parts of the map (the scale bar, the north arrow, the inset), a site's marker
    (*discs*; a site's name stands beside its own) or its edge.  Names keep a few
    points apart."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    renderer = FigureCanvasAgg(figure).get_renderer()  # type: ignore[no-untyped-call]
    figure.draw_without_rendering()  # the layout: where everything lands
    frame = ax.get_window_extent(renderer)
    taken = [part.info.window_extent if isinstance(part, ScaleBar)  # known once drawn
             else part.get_window_extent(renderer)
             for part in fixed if part is not None]  # fmt: skip
    if discs:  # each marker's square, in pixels
        centres = ax.transData.transform([(x, y) for x, y, _ in discs])
        radii = np.array([r for _, _, r in discs]) * figure.dpi / 72
        squares = np.column_stack([centres - radii[:, None], centres + radii[:, None]])
    else:
        squares = np.empty((0, 4))
    gap = _GAP * figure.dpi / 72
    for label in labels:
        box = label.text.get_window_extent(renderer)
        inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and (
            box.y1 <= frame.y1)  # fmt: skip
        hits = ((squares[:, 0] < box.x1) & (box.x0 < squares[:, 2]) & (squares[:, 1] < box.y1)
                & (box.y0 < squares[:, 3]))  # fmt: skip
        if label.place:  # not its own marker, the one its point is in
            x, y = ax.transData.transform(label.text.xy)
            hits &= ~((squares[:, 0] <= x) & (x <= squares[:, 2]) & (squares[:, 1] <= y)
                      & (y <= squares[:, 3]))  # fmt: skip
        padded = box.padded(gap)
        if not inside or hits.any() or any(padded.overlaps(other) for other in taken):
            label.text.set_visible(False)
        else:
            taken.append(box)


def _dots(ax: Any, labels: list[_Label]) -> None:
    """The dots of the towns whose names are shown, in one collection."""
    dots = [label.dot for label in labels if label.dot is not None and label.text.get_visible()]
    ax.scatter([x for x, _ in dots], [y for _, y in dots], s=12, c="white",
               edgecolors="#444444", linewidths=1, zorder=3)  # fmt: skip


#: The corners an inset may take, as (x, y, width, height) of the axes: the one over the
#: fewest sites is taken.
_CORNERS = ((0.01, 0.64, 0.25, 0.35), (0.74, 0.64, 0.25, 0.35), (0.01, 0.1, 0.25, 0.35),
            (0.74, 0.1, 0.25, 0.35))  # fmt: skip


def _inset(
    ax: Any, layout: Layout, outline: Any, crs: str, centre: tuple[float, float]
) -> Any | None:
    """A locator in the corner over the fewest sites: the country at the map's centre (else
    the nearest), small, with the map's extent on it in red.  None without outlines."""
    from matplotlib.patches import Rectangle

    if not len(outline):
        return None
    point = shapely.Point(*centre)
    country = outline.geometry.iloc[
        int(shapely.distance(outline.geometry.to_numpy(), point).argmin())
    ]
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    xs, ys = _projected(list(layout.drawn), crs)
    fx, fy = (xs - x0) / (x1 - x0), (ys - y0) / (y1 - y0)

    def covered(corner: tuple[float, float, float, float]) -> int:
        left, bottom, width, height = corner
        inside = (fx >= left) & (fx <= left + width) & (fy >= bottom) & (fy <= bottom + height)
        return int(inside.sum())

    corner = min(_CORNERS, key=covered)
    inset = ax.inset_axes(corner)
    shape = gpd.GeoSeries([country], crs=4326).to_crs(crs)
    shape.plot(ax=inset, color=_LAND, edgecolor="#555555", linewidth=0.6)
    inset.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, edgecolor="#c62828",
                              linewidth=1.2))  # fmt: skip
    sx0, sy0, sx1, sy1 = shape.total_bounds
    pad = 0.05 * max(sx1 - sx0, sy1 - sy0)
    inset.set_xlim(min(sx0, x0) - pad, max(sx1, x1) + pad)
    inset.set_ylim(min(sy0, y0) - pad, max(sy1, y1) + pad)
    inset.set_aspect("equal")
    inset.set_facecolor("#ffffff")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    return inset


def _degrees(value: float, hemispheres: str) -> str:
    """49.2°N, 35.1°E."""
    return f"{abs(value):.1f}°{hemispheres[0] if value >= 0 else hemispheres[1]}"


def _colour(layout: Layout, item: Drawn) -> str:
    return layout.symbols.categories[layout.symbols.codes[item.row]].colour


def _areas(ax: Any, layout: Layout, crs: str) -> None:
    """Regions and uncertainty circles, all in one collection each for fill and outline."""
    from matplotlib.collections import PathCollection
    from matplotlib.colors import to_rgba

    items = [d for d in layout.drawn if d.shape in ("circle", "boundary", "near")]
    if not items:
        return
    # A circle of metres around a point is a circle in an equal-area azimuthal projection.
    shapes = _circles(*_projected(items, crs), [d.radius_m or 0.0 for d in items])
    if layout.boundaries is not None:
        regions = layout.boundaries.frame.to_crs(crs).geometry.to_numpy()
        for number, item in enumerate(items):
            if item.boundary is not None:
                shapes[number] = _shape(regions[item.boundary])
    colours = [_colour(layout, d) for d in items]
    # An area several categories share: one grey fill, and their colours in turns on its edge.
    fills = [to_rgba(SHARED, 0.12 if d.part == 0 else 0) if d.parts > 1
             else to_rgba(c, 0.06 if d.shape == "near" else 0.14)
             for c, d in zip(colours, items, strict=True)]  # fmt: skip
    ax.add_collection(PathCollection(shapes, facecolors=fills, edgecolors="none"), autolim=False)
    edges = PathCollection(shapes, facecolors="none", edgecolors=colours,
                           linewidths=[_edge_width(d) for d in items],
                           linestyles=[_edge(d) for d in items])  # fmt: skip
    ax.add_collection(edges, autolim=False)


def _edge_width(item: Drawn) -> float:
    return 0.8 if item.shape == "near" else 2.0 if item.parts > 1 else 1.2


def _edge(item: Drawn) -> tuple[float, tuple[float, float]]:
    """The dashes of an area's edge: even, or this category's turn of a shared edge."""
    if item.parts > 1:
        return (_STRIPE * item.part, (_STRIPE, _STRIPE * (item.parts - 1)))
    return (0, (3, 3))


def _projected(items: list[Drawn], crs: str) -> tuple[Any, Any]:
    """The items' x and y in *crs*."""
    where = gpd.GeoSeries.from_xy(*xy([d.lat for d in items], [d.lon for d in items]), crs=4326)
    projected = where.to_crs(crs)
    return projected.x.to_numpy(), projected.y.to_numpy()


def _circles(xs: Any, ys: Any, radii: list[float]) -> list[Any]:
    """Circles as matplotlib paths, in map units."""
    import numpy as np
    from matplotlib.path import Path as Shape

    unit = Shape.unit_circle()
    centres = np.column_stack([xs, ys])[:, None, :]
    outline = np.asarray(unit.vertices)[None, :, :]
    vertices = outline * np.asarray(radii, dtype=float)[:, None, None] + centres
    return [Shape(v, unit.codes) for v in vertices]


def _shape(geometry: Any) -> Any:
    """A (multi)polygon as one matplotlib path: every ring, holes included."""
    from matplotlib.path import Path as Shape

    polygons = getattr(geometry, "geoms", [geometry])
    rings = [r for p in polygons for r in (p.exterior, *p.interiors)]
    return Shape.make_compound_path(*(Shape(shapely.get_coordinates(r), closed=True)
                                      for r in rings))  # fmt: skip


def _points(ax: Any, layout: Layout, crs: str) -> list[tuple[float, float, float]]:
    """Point sites: one collection for those alone, and one each for the fans' parts.

    Returns the discs the markers cover, as (x, y) in map units and a radius
    in points: a fan is one disc.
    """
    points = [d for d in layout.drawn if d.shape in ("point", "near")]
    if not points:
        return []
    xs, ys = _projected(points, crs)
    spots: dict[tuple[float, float], list[int]] = defaultdict(list)
    for number, (x, y) in enumerate(zip(xs, ys, strict=True)):
        spots[(round(x), round(y))].append(number)
    sizes = [layout.symbols.sizes[d.row] * _PT_PER_PX for d in points]
    colours = [_colour(layout, d) for d in points]
    alone = [n for group in spots.values() if len(group) == 1 for n in group]
    # Large circles first, so the small ones stay visible on top.
    alone.sort(key=lambda n: -sizes[n])
    ax.scatter(xs[alone], ys[alone], s=[(2 * sizes[n]) ** 2 for n in alone],
               c=[colours[n] for n in alone], edgecolors="white", linewidths=0.6, alpha=0.9,
               zorder=4)  # fmt: skip
    discs = [(xs[n], ys[n], sizes[n]) for n in alone]
    return discs + _fans([g for g in spots.values() if len(g) > 1], ax, xs, ys, sizes, colours)


def _fans(
    groups: list[list[int]], ax: Any, xs: Any, ys: Any, sizes: list[float], colours: list[str]
) -> list[tuple[float, float, float]]:
    """Sites at one spot, set around it on a ring with a leader line each.

    One collection draws all the circles and one all the lines: one path
    each, placed at the spot and moved, in points, by a matrix a site.
    """
    import numpy as np
    from matplotlib.path import Path as Shape

    if not groups:
        return []
    discs = []
    centres: list[tuple[float, float]] = []
    offsets: list[tuple[float, float]] = []
    radii: list[float] = []
    at: list[tuple[float, float]] = []
    fills: list[str] = []
    for group in groups:
        x, y = xs[group[0]], ys[group[0]]
        group = sorted(group, key=lambda n: -sizes[n])
        # Neighbours on the ring must not touch: chord 2R·sin(π/n) >= r1 + r2 + gap.
        chord = 2 * math.sin(math.pi / len(group))
        pairs = zip(group, group[1:] + group[:1], strict=True)
        ring = max([10.0, *((sizes[a] + sizes[b] + 2) / chord for a, b in pairs)])
        ring = max(ring, max(sizes[n] for n in group) + 6)
        centres.append((x, y))
        discs.append((x, y, ring + max(sizes[n] for n in group)))
        for step, n in enumerate(group):
            angle = math.pi / 2 - 2 * math.pi * step / len(group)
            offsets.append((ring * math.cos(angle), ring * math.sin(angle)))
            radii.append(sizes[n])
            at.append((x, y))
            fills.append(colours[n])
    moved = np.array(offsets)
    # A leader line: (0, 0)-(1, 1) stretched to (dx, dy); a circle: the unit one, scaled, moved.
    lines = np.zeros((len(at), 3, 3))
    lines[:, 0, 0], lines[:, 1, 1], lines[:, 2, 2] = moved[:, 0], moved[:, 1], 1
    circles = np.zeros((len(at), 3, 3))
    circles[:, 0, 0] = circles[:, 1, 1] = radii
    circles[:, :2, 2], circles[:, 2, 2] = moved, 1
    leader = Shape([(0.0, 0.0), (1.0, 1.0)])
    ax.add_collection(_Placed(leader, lines, offsets=at, offset_transform=ax.transData,
                              facecolors="none", edgecolors="#555555", linewidths=0.5,
                              zorder=4), autolim=False)  # fmt: skip
    ax.scatter(*zip(*centres, strict=True), s=6, c="#333333", zorder=5)
    ax.add_collection(_Placed(Shape.unit_circle(), circles, offsets=at,
                              offset_transform=ax.transData, facecolors=fills,
                              edgecolors="white", linewidths=0.6, alpha=0.95, zorder=6),
                      autolim=False)  # fmt: skip
    return discs


class _Placed(PathCollection):
    """One path, drawn at each offset through its own affine matrix in points."""

    def __init__(self, path: Any, matrices: Any, **options: Any) -> None:
        from matplotlib.transforms import IdentityTransform

        super().__init__([path], transform=IdentityTransform(), **options)
        self._matrices = matrices

    def get_transforms(self) -> Any:
        figure = self.get_figure(root=True)
        assert figure is not None
        in_pixels = self._matrices.copy()
        in_pixels[:, :2, :] *= figure.dpi / 72
        return in_pixels


@dataclass(frozen=True, slots=True)
class _Label:
    """A name on the map, whether it names a site's place, and the point of a town's dot."""

    text: Any
    place: bool = False  # a site's place, beside its marker
    dot: tuple[float, float] | None = None


def _labels(ax: Any, layout: Layout, crs: str, outline: Any) -> list[_Label]:
    """The names on the map (:func:`~.layout.place_labels`), in their order."""
    labels = place_labels(layout, outline)
    if not labels:
        return []
    lats, lons = [label[0] for label in labels], [label[1] for label in labels]
    projected = gpd.GeoSeries.from_xy(*xy(lats, lons), crs=4326).to_crs(crs)
    drawn = []
    for (_, _, text, kind), x, y in zip(labels, projected.x, projected.y, strict=True):
        text = " ".join(text.split())  # one line: no control characters for the font
        if kind == "place":
            name = ax.annotate(text, (x, y), xytext=(14, 4), textcoords="offset points",
                               fontsize=8, fontweight="bold", color="#222222",
                               path_effects=_HALO, zorder=7)  # fmt: skip
            drawn.append(_Label(name, place=True))
        elif kind == "town":  # its dot is drawn once its name has room (_dots)
            name = ax.annotate(text, (x, y), xytext=(4, 0), textcoords="offset points",
                               va="center", fontsize=7, color="#333333", path_effects=_HALO,
                               zorder=3)  # fmt: skip
            drawn.append(_Label(name, dot=(x, y)))
        else:
            drawn.append(_Label(ax.annotate(text, (x, y), ha="center", va="center", fontsize=7,
                                            style="italic", color="#555555", path_effects=_HALO,
                                            zorder=3)))  # fmt: skip
    return drawn


def _legend(ax: Any, layout: Layout) -> list[Any]:
    symbols = layout.symbols
    handles: list[Any] = []
    for category in symbols.categories:
        label = " ".join(category.label.split())  # one line: no control characters for the font
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=7,
                              markerfacecolor=category.colour, markeredgecolor="white",
                              label=f"{label} ({category.count:,})"))  # fmt: skip
    sized = [Line2D([], [], linestyle="none", marker="o",
                    markersize=2 * symbols.radius(v) * _PT_PER_PX, markerfacecolor="#888888",
                    markeredgecolor="white", label=f"{v:,}")
             for v in nice_sizes(symbols.size_max)]  # fmt: skip
    shapes = {d.shape for d in layout.drawn if d.parts == 1}
    if shapes & {"circle", "boundary"}:
        handles.append(Patch(facecolor="#55555522", edgecolor="#555555", linestyle="--",
                             label="area: known only to a region"))  # fmt: skip
    shared = list(dict.fromkeys(_colour(layout, d) for d in layout.drawn if d.parts > 1))
    if shared:  # the colours' patches on top of each other, their edges in turns
        turns = len(shared)
        handles.append(tuple(Patch(facecolor="none", edgecolor=colour, linewidth=2,
                                   linestyle=(2 * number, (2, 2 * (turns - 1))))
                             for number, colour in enumerate(shared)))  # fmt: skip
    if "near" in shapes:
        handles.append(Patch(facecolor="none", edgecolor="#555555", linestyle="--",
                             label="circle: near a place"))  # fmt: skip
    title = heading(symbols.color_by) or None
    labels = [_SHARED_LABEL if isinstance(h, tuple) else h.get_label() for h in handles]
    first = ax.legend(handles=handles, labels=labels, loc="upper left", bbox_to_anchor=(1.01, 1),
                      fontsize=8, title=title, title_fontsize=9, frameon=False, alignment="left",
                      handler_map={tuple: HandlerTuple(ndivide=None)})  # fmt: skip
    if not sized:
        return [first]
    ax.add_artist(first)
    return [first, ax.legend(handles=sized, loc="lower left", bbox_to_anchor=(1.01, 0), fontsize=8,
                  title=size_title(layout), title_fontsize=9,
                  frameon=False, labelspacing=2.2, borderpad=1.2, handletextpad=1.6,
                  alignment="left")]  # fmt: skip
