"""The QGIS style of a layer of sites or of a joined table, as QML.

The style draws as the page and the image do (:mod:`geo_sites.maps`):

* **Colour**: sites by event type, a joined table's rows by their event type
  when it has that column, else by match status (one colour each,
  :mod:`geo_sites.colours`).
* **Size**: a circle's *area* is proportional to the count, from 4 to 26
  pixels of radius as on the page (``maximum("count")`` is the largest);
  rows without a count get the smallest circle.
* **Areas**: a site known only to a district, a region or a country is drawn
  as an area, faintly filled with a dashed edge, never as a pin; grey when
  sites of several categories share it.  A site known to an oblast of
  Ukraine is its oblast (the polygons that come with geo-sites, simplified
  to about 1 km and written into the style, those of the layer's oblasts
  only); another is the circle of its uncertainty radius (``radius_m``;
  ``match_radius_m`` in a joined table) around its point, made in metres.
  A geometry generator draws both, under every point.
* **Sites at one spot** are drawn small on large, as rings of their colours.
* **Labels**: the place's name, once for the sites at one spot, with what
  happened there ("Bucha: mass grave, killing").

QGIS applies the style when it opens the layer: from the GeoPackage's
``layer_styles`` table, or from a ``.qml`` file next to a GeoJSON file.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..colours import EVENT_COLOURS, SHARED, STATUS_COLOURS
from ..incidents.columns import (
    COUNT,
    EVENT_TYPE,
    LAT,
    LON,
    NAME,
    PLACE_NAME,
    PRECISION,
    RADIUS_M,
    STATUS,
    place_column,
)
from ..incidents.schema import PRECISION_CODES
from ..maps.symbols import AREA_PRECISIONS, CIRCLE_PRECISIONS, RADIUS_PX

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["qml_for", "save_style"]

_MM_PER_PX = 25.4 / 96  # a CSS pixel
_SIMPLIFY = 0.01  # degrees: an oblast's outline in the style, to about 1 km
_DASH = 2.0  # mm: the dashes of an area's edge
_STRIPE = 2.5  # mm: each category's dash along the edge of an area several share


@dataclass(frozen=True, slots=True)
class _Columns:
    """The columns of a layer that its style reads."""

    category: str
    colours: dict[str, str]
    precision: str
    radius: str | None
    count: str | None
    label: str
    regions: tuple[str, ...]  # the oblasts of the layer's admin1 rows, as WKT
    point: tuple[str, str] | None  # the columns of the row's point: lat and lon
    polygons: bool  # a layer of the areas themselves (geo_sites.maps.areas), not of points

    @classmethod
    def of(cls, frame: pd.DataFrame) -> _Columns | None:
        columns = set(frame.columns)
        if EVENT_TYPE in columns:
            category, colours = EVENT_TYPE, EVENT_COLOURS
        elif place_column(columns, STATUS) != STATUS:  # a joined table, by how rows were placed
            category, colours = place_column(columns, STATUS), STATUS_COLOURS
        else:
            return None
        precision, radius = place_column(columns, PRECISION), place_column(columns, RADIUS_M)
        label = next((c for c in (place_column(columns, PLACE_NAME), NAME) if c in columns), None)
        if precision not in columns or label is None:
            return None
        lat, lon = place_column(columns, LAT), place_column(columns, LON)
        geometry = getattr(frame, "geometry", None)
        polygons = geometry is not None and bool(
            geometry.geom_type.isin(["Polygon", "MultiPolygon"]).any())  # fmt: skip
        return cls(category, colours, precision, radius if radius in columns else None,
                   COUNT if COUNT in columns else None, label,
                   () if polygons else _oblasts(frame, precision),
                   (lat, lon) if {lat, lon} <= columns else None, polygons)  # fmt: skip

    @property
    def area(self) -> str:
        """Whether a row is an area: its precision is a district's, a region's or a country's."""
        kinds = ", ".join(f"'{p}'" for p in sorted(AREA_PRECISIONS))
        return f'"{self.precision}" IN ({kinds})'

    @property
    def shape(self) -> str:
        """The row's area, in the layer's CRS (EPSG:4326): the oblast its point lies in
        for an admin1 row of Ukraine, else the circle of its uncertainty radius, a buffer
        in Web Mercator of the radius over the scale there (1 / cos(latitude)); the circle
        around a "near" site's point too."""
        circled = sorted(AREA_PRECISIONS | CIRCLE_PRECISIONS)
        by_precision = " ".join(f"WHEN \"{self.precision}\" = '{p}' THEN "
                                f"{PRECISION_CODES[p].radius_m}" for p in circled)  # fmt: skip
        metres = f"CASE {by_precision} END"  # QGIS 3.22 has no CASE x WHEN
        if self.radius is not None:
            metres = f'coalesce("{self.radius}", {metres})'
        oblasts = "".join(f"WHEN \"{self.precision}\" = 'admin1' AND intersects($geometry, "
                          f"geom_from_wkt('{wkt}')) THEN geom_from_wkt('{wkt}') "
                          for wkt in self.regions)  # fmt: skip
        kinds = ", ".join(f"'{p}'" for p in circled)
        return (f"CASE {oblasts}WHEN \"{self.precision}\" IN ({kinds}) THEN "
                "transform(buffer(transform($geometry, "
                f"'EPSG:4326', 'EPSG:3857'), {metres} / cos(radians(y($geometry))), 36), "
                "'EPSG:3857', 'EPSG:4326') END")  # fmt: skip

    @property
    def spot(self) -> str:
        """The row's point, as a value that rows at one spot share.

        Read from the point's columns: inside a geometry generator, ``$geometry``
        is the area drawn, not the point.
        """
        if self.point is None:
            return "geom_to_wkt($geometry, 4)"
        lat, lon = self.point
        return f'to_string("{lat}") || \' \' || to_string("{lon}")'

    @property
    def kinds(self) -> str:
        """The categories of the sites at this row's point, in order: those sharing its area."""
        return f'array_sort(array_distinct(array_agg("{self.category}", group_by:={self.spot})))'

    @property
    def fill(self) -> str:
        """The fill of the area of a category (written in as ``COLOUR``): one grey when sites
        of several categories share the area, as on the page and the image, not a mix."""
        first = f'"{self.category}" = array_first({self.kinds})'
        return (f"CASE WHEN array_length({self.kinds}) = 1 THEN 'COLOUR' WHEN {first} "
                f"THEN '{_rgb(SHARED, 40)}' ELSE '0,0,0,0' END")  # fmt: skip

    @property
    def dashes(self) -> tuple[str, str]:
        """The dashes of an area's edge, and their offset, in millimetres: even, or, when
        sites of several categories share the area, each category's colour in turn."""
        turns = f"array_length({self.kinds})"
        pattern = (f"CASE WHEN {turns} = 1 THEN '{_DASH};{_DASH / 2}' ELSE '{_STRIPE};' || "
                   f"to_string({_STRIPE} * ({turns} - 1)) END")  # fmt: skip
        offset = f'{_STRIPE} * array_find({self.kinds}, "{self.category}")'
        return pattern, offset

    @property
    def size(self) -> str:
        """The marker's diameter in millimetres: area proportional to the count, none for an
        area's point."""
        low, high = RADIUS_PX
        if self.count is None:
            radius = f"{low}"
        else:
            share = f'"{self.count}" / maximum("{self.count}")'
            radius = f"coalesce(max({low}, {high} * sqrt({share})), {low})"
        return f"CASE WHEN {self.area} THEN 0 ELSE 2 * {_MM_PER_PX:.4f} * {radius} END"

    @property
    def text(self) -> str:
        """The label: the place's name and what happened there, on the first row at a spot."""
        what = f"replace(\"{self.category}\", '_', ' ')"
        first = f"$id = minimum($id, group_by:={self.spot})"
        told = f"array_to_string(array_distinct(array_agg({what}, group_by:={self.spot})), ', ')"
        return f"CASE WHEN {first} THEN \"{self.label}\" || ': ' || {told} END"


def _oblasts(frame: pd.DataFrame, precision: str) -> tuple[str, ...]:
    """The oblasts of Ukraine that the layer's admin1 rows lie in, as WKT, west to east."""
    import shapely

    from ..gazetteer import boundaries

    points = getattr(frame, "geometry", None)
    if points is None:
        return ()
    codes = set()
    for level, point in zip(frame[precision], points, strict=True):
        if level == "admin1" and point is not None and not point.is_empty:
            codes.add(boundaries.admin1_at("UA", point.y, point.x))
    found = (boundaries.polygon("UA", code) for code in codes if code is not None)
    shapes = sorted((shape for shape in found if shape is not None), key=lambda s: s.bounds)
    return tuple(shapely.set_precision(s.simplify(_SIMPLIFY), _SIMPLIFY / 10).wkt for s in shapes)


def qml_for(frame: pd.DataFrame) -> str | None:
    """The QML style for a layer of sites or a joined table, or of their areas
    (:func:`geo_sites.maps.areas.areas`); None for another layer."""
    columns = _Columns.of(frame)
    if columns is None:
        return None
    root = ET.Element("qgis", version="3.22.0", styleCategories="Symbology|Labeling",
                      labelsEnabled="0" if columns.polygons else "1")  # fmt: skip
    renderer = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr=columns.category,
                             symbollevels="0", forceraster="0", enableorderby="1")  # fmt: skip
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for number, (value, colour) in enumerate(columns.colours.items()):
        label = value.replace("_", " ").capitalize()
        ET.SubElement(categories, "category", value=value, label=label, symbol=str(number),
                      render="true")  # fmt: skip
        if columns.polygons:
            symbols.append(_area(str(number), colour, columns))
        else:
            symbols.append(_symbol(str(number), colour, columns))
    order = ET.SubElement(renderer, "orderby")
    clause = ET.SubElement(order, "orderByClause", asc="0" if columns.polygons else "1",
                           nullsFirst="0")  # fmt: skip
    if columns.polygons:  # large areas first, under the small ones
        clause.text = "$area"
    else:  # areas first, under every point; then the points, small ones on top of large ones
        clause.text = f"CASE WHEN {columns.area} THEN 0 ELSE 1 END"
        if columns.count is not None:
            clause = ET.SubElement(order, "orderByClause", asc="0", nullsFirst="0")
            clause.text = f'coalesce("{columns.count}", 0)'
        root.append(_labels(columns))
    ET.SubElement(root, "layerGeometryType").text = "2" if columns.polygons else "0"
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="unicode"
    )


def _option(parent: ET.Element, name: str, value: str, kind: str = "QString") -> None:
    ET.SubElement(parent, "Option", name=name, value=value, type=kind)


def _options(parent: ET.Element, values: dict[str, str]) -> None:
    options = ET.SubElement(parent, "Option", type="Map")
    for key, value in values.items():
        _option(options, key, value)


def _defined(parent: ET.Element, expressions: dict[str, str]) -> None:
    """Data-defined properties of a symbol layer: each set by an expression."""
    defined = ET.SubElement(ET.SubElement(parent, "data_defined_properties"), "Option", type="Map")
    _option(defined, "name", "")
    properties = ET.SubElement(defined, "Option", name="properties", type="Map")
    for key, expression in expressions.items():
        prop = ET.SubElement(properties, "Option", name=key, type="Map")
        _option(prop, "active", "true", "bool")
        _option(prop, "expression", expression)
        _option(prop, "type", "3", "int")
    _option(defined, "type", "collection")


def _rgb(colour: str, alpha: int = 255) -> str:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"{red},{green},{blue},{alpha}"


def _layer(symbol: ET.Element, kind: str) -> ET.Element:
    return ET.SubElement(symbol, "layer", {"class": kind, "enabled": "1", "pass": "0",
                                           "locked": "0"})  # fmt: skip


def _symbol(name: str, colour: str, columns: _Columns) -> ET.Element:
    """A category's symbol: the area of a site known to an area, and the point of a site."""
    symbol = ET.Element("symbol", type="marker", name=name, alpha="1", clip_to_extent="1",
                        force_rhr="0")  # fmt: skip
    area = _layer(symbol, "GeometryGenerator")
    _options(area, {"SymbolType": "Fill", "geometryModifier": columns.shape})
    area.append(_area("@0@0", colour, columns))
    point = _layer(symbol, "SimpleMarker")
    _options(point, {
        "name": "circle", "color": _rgb(colour), "outline_color": "255,255,255,255",
        "outline_style": "solid", "outline_width": "0.2", "outline_width_unit": "MM",
        "size": "2", "size_unit": "MM",
    })  # fmt: skip
    _defined(point, {"size": columns.size})
    return symbol


def _area(name: str, colour: str, columns: _Columns) -> ET.Element:
    """A category's area: a faint fill (grey when categories share it), and a dashed edge
    (their colours in turns when they share it)."""
    fill = ET.Element("symbol", type="fill", name=name, alpha="1", clip_to_extent="1",
                      force_rhr="0")  # fmt: skip
    inside = _layer(fill, "SimpleFill")
    _options(inside, {"color": _rgb(colour, 40), "style": "solid", "outline_style": "no"})
    _defined(inside, {"fillColor": columns.fill.replace("COLOUR", _rgb(colour, 40))})
    edge = _layer(fill, "SimpleLine")
    pattern, offset = columns.dashes
    _options(edge, {
        "line_color": _rgb(colour), "line_style": "solid", "line_width": "0.5",
        "line_width_unit": "MM", "use_custom_dash": "1", "customdash": f"{_DASH};{_DASH / 2}",
        "customdash_unit": "MM", "dash_pattern_offset_unit": "MM", "capstyle": "flat",
    })  # fmt: skip
    _defined(edge, {"customDash": pattern, "dashPatternOffset": offset})
    return fill


def _labels(columns: _Columns) -> ET.Element:
    labeling = ET.Element("labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    style = ET.SubElement(settings, "text-style", fieldName=columns.text, isExpression="1",
                          fontSize="8", fontSizeUnit="Point", textColor="20,20,20,255",
                          textOpacity="1", fontWeight="50")  # fmt: skip
    ET.SubElement(style, "text-buffer", bufferDraw="1", bufferSize="0.8", bufferSizeUnits="MM",
                  bufferColor="255,255,255,255", bufferOpacity="0.9")  # fmt: skip
    # Cartographic placement around the point, at a little distance from the marker.
    ET.SubElement(settings, "placement", placement="6", dist="1.5", distUnits="MM", priority="5",
                  predefinedPositionOrder="TR,TL,BR,BL,R,L,TSR,BSR", placementFlags="10",
                  quadOffset="4")  # fmt: skip
    # A label yields to markers, and to other labels: none overlaps another.
    ET.SubElement(settings, "rendering", drawLabels="1", obstacle="1", obstacleFactor="1",
                  obstacleType="1", fontMaxPixelSize="10000", fontMinPixelSize="0",
                  maxNumLabels="2000", zIndex="0", displayAll="0")  # fmt: skip
    return labeling


def save_style(
    connection: sqlite3.Connection, layer: str, geometry_column: str, qml: str, when: str
) -> None:
    """Store *qml* as the default style of *layer* in a GeoPackage's ``layer_styles`` table.

    The table is QGIS's own (as QGIS creates it when a style is saved in the
    database), registered in ``gpkg_contents`` as attributes.
    """
    connection.executescript(
        """
        CREATE TABLE IF NOT EXISTS layer_styles (
            id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256),
            f_table_schema TEXT(256), f_table_name TEXT(256), f_geometry_column TEXT(256),
            styleName TEXT(30), styleQML TEXT, styleSLD TEXT, useAsDefault BOOLEAN,
            description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME
        );
        """
    )
    connection.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, last_change) "
        "VALUES ('layer_styles', 'attributes', 'layer_styles', ?) "
        "ON CONFLICT(table_name) DO NOTHING",
        (when,),
    )
    connection.execute("DELETE FROM layer_styles WHERE f_table_name = ?", (layer,))
    connection.execute(
        "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, "
        "f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, "
        "ui, update_time) VALUES ('', '', ?, ?, ?, ?, '', 1, ?, '', NULL, ?)",
        (
            layer,
            geometry_column,
            f"{layer} (geo-sites)",
            qml,
            "Sites by category, sized by count, areas by their radius, labelled by place",
            when,
        ),
    )
