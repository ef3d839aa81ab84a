"""The QGIS style of a site layer, as QML.

Sites are categorised by event type (one colour each,
:data:`geo_sites.colours.EVENT_COLOURS`),
sized by their main count on a log scale and labelled with their name.  Sites
known only to a district, a region or a country are drawn as large, faint,
dashed circles: never as a precise point.  QGIS applies the style when it
opens the layer: from the GeoPackage's ``layer_styles`` table, or from a
``.qml`` file next to a GeoJSON file.
"""

from __future__ import annotations

import sqlite3
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING

from ..colours import EVENT_COLOURS
from ..incidents.columns import COUNT, EVENT_TYPE, NAME, PRECISION

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["qml_for", "save_style"]

_AREA = f"\"{PRECISION}\" IN ('admin2', 'admin1', 'country')"
_SIZE = f'CASE WHEN {_AREA} THEN 16 ELSE 3 + 2.5 * log10(1 + coalesce("{COUNT}", 0)) END'
_FILL = f"CASE WHEN {_AREA} THEN set_color_part(@symbol_color, 'alpha', 60) ELSE @symbol_color END"
_OUTLINE = f"CASE WHEN {_AREA} THEN 'dash' ELSE 'solid' END"
_NEEDS = (EVENT_TYPE, NAME, COUNT, PRECISION)


def qml_for(frame: pd.DataFrame) -> str | None:
    """The QML style for a site layer, or None when *frame* has not the site columns."""
    if not all(column in frame.columns for column in _NEEDS):
        return None
    root = ET.Element("qgis", version="3.22.0", styleCategories="Symbology|Labeling",
                      labelsEnabled="1")  # fmt: skip
    renderer = ET.SubElement(root, "renderer-v2", type="categorizedSymbol", attr=EVENT_TYPE,
                             symbollevels="0", forceraster="0", enableorderby="1")  # fmt: skip
    categories = ET.SubElement(renderer, "categories")
    symbols = ET.SubElement(renderer, "symbols")
    for number, (event_type, colour) in enumerate(EVENT_COLOURS.items()):
        label = event_type.replace("_", " ").capitalize()
        ET.SubElement(categories, "category", value=event_type, label=label,
                      symbol=str(number), render="true")  # fmt: skip
        symbols.append(_marker(str(number), colour))
    order = ET.SubElement(renderer, "orderby")
    # Small sites drawn last, on top of the large ones.
    clause = ET.SubElement(order, "orderByClause", asc="0", nullsFirst="0")
    clause.text = f'coalesce("{COUNT}", 0)'
    root.append(_labels())
    ET.SubElement(root, "layerGeometryType").text = "0"
    return "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n" + ET.tostring(
        root, encoding="unicode"
    )


def _option(parent: ET.Element, name: str, value: str, kind: str = "QString") -> None:
    ET.SubElement(parent, "Option", name=name, value=value, type=kind)


def _marker(name: str, colour: str) -> ET.Element:
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    symbol = ET.Element("symbol", type="marker", name=name, alpha="1", clip_to_extent="1",
                        force_rhr="0")  # fmt: skip
    layer = ET.SubElement(symbol, "layer", {"class": "SimpleMarker", "enabled": "1",
                                            "pass": "0", "locked": "0"})  # fmt: skip
    options = ET.SubElement(layer, "Option", type="Map")
    for key, value in (("name", "circle"), ("color", f"{red},{green},{blue},255"),
                       ("outline_color", "35,35,35,255"), ("outline_style", "solid"),
                       ("outline_width", "0.3"), ("outline_width_unit", "MM"),
                       ("size", "3"), ("size_unit", "MM")):  # fmt: skip
        _option(options, key, value)
    defined = ET.SubElement(ET.SubElement(layer, "data_defined_properties"), "Option", type="Map")
    _option(defined, "name", "")
    properties = ET.SubElement(defined, "Option", name="properties", type="Map")
    for key, expression in (("size", _SIZE), ("fillColor", _FILL), ("outlineStyle", _OUTLINE)):
        prop = ET.SubElement(properties, "Option", name=key, type="Map")
        _option(prop, "active", "true", "bool")
        _option(prop, "expression", expression)
        _option(prop, "type", "3", "int")
    _option(defined, "type", "collection")
    return symbol


def _labels() -> ET.Element:
    labeling = ET.Element("labeling", type="simple")
    settings = ET.SubElement(labeling, "settings", calloutType="simple")
    style = ET.SubElement(settings, "text-style", fieldName=NAME, isExpression="0",
                          fontSize="8", fontSizeUnit="Point", textColor="20,20,20,255",
                          textOpacity="1", fontWeight="50")  # fmt: skip
    ET.SubElement(style, "text-buffer", bufferDraw="1", bufferSize="0.8", bufferSizeUnits="MM",
                  bufferColor="255,255,255,255", bufferOpacity="0.9")  # fmt: skip
    # Cartographic placement around the point, at a little distance from the marker.
    ET.SubElement(settings, "placement", placement="6", dist="1", distUnits="MM", priority="5",
                  predefinedPositionOrder="TR,TL,BR,BL,R,L,TSR,BSR", placementFlags="10",
                  quadOffset="4")  # fmt: skip
    # QGIS's defaults: a label yields to markers but every feature may have one.
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
            "Sites by event type, sized by count, labelled by name",
            when,
        ),
    )
