"""The colours sites are drawn in, the same in the page, the image and QGIS.

Event types have a colour each (:data:`EVENT_COLOURS`); other categories take
:data:`PALETTE` in order of frequency, and values past its end share
:data:`OTHER`.  The maps (:mod:`geo_sites.maps.symbols`) and the QGIS style
(:mod:`geo_sites.export.style`) both draw with these.
"""

from __future__ import annotations

__all__ = ["EVENT_COLOURS", "OTHER", "PALETTE"]

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
#: Colours for categories that are not event types (ColorBrewer "Set1" and "Dark2").
PALETTE = ("#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628", "#f781bf",
           "#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e")  # fmt: skip
#: The colour of categories past the end of :data:`PALETTE`, and of rows without one.
OTHER = "#999999"
