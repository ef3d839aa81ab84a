"""The colours sites are drawn in, the same in the page, the image and QGIS.

Event types have a colour each (:data:`EVENT_COLOURS`), and so do the match
statuses of a joined table (:data:`STATUS_COLOURS`); other categories take
:data:`PALETTE` in order of frequency, and values past its end share
:data:`OTHER`.  The maps (:mod:`geo_sites.maps.symbols`) and the QGIS style
(:mod:`geo_sites.export.style`) both draw with these.
"""

from __future__ import annotations

__all__ = ["EVENT_COLOURS", "OTHER", "PALETTE", "SHARED", "STATUS_COLOURS"]

#: A colour for each event type (ColorBrewer "Paired", told apart in print and on screen).
EVENT_COLOURS = {
    "mass_grave": "#6a3d9a",
    "bodies_found": "#e31a1c",
    "killing": "#b15928",
    "torture_site": "#ff7f00",
    "shelling": "#1f78b4",
    "air_strike": "#a6cee3",
    "destruction": "#808080",
    "detention": "#33a02c",
}
#: A colour for each match status of a joined table's rows.
STATUS_COLOURS = {"resolved": "#1b7837", "ambiguous": "#e08214", "unresolved": "#b2182b"}
#: Colours for categories that are not event types: twelve of Kelly's colours of maximum
#: contrast (Kelly 1965), no two of one hue, none grey (grey is :data:`OTHER`).
PALETTE = ("#0067a5", "#be0032", "#008856", "#f38400", "#875692", "#f3c300", "#e68fac",
           "#882d17", "#8db600", "#c2b280", "#2b3d26", "#a1caf1")  # fmt: skip
#: The colour of categories past the end of :data:`PALETTE`, and of rows without one.
OTHER = "#999999"
#: The fill of an area that sites of several categories share (their colours take turns
#: on its edge).
SHARED = "#666666"
