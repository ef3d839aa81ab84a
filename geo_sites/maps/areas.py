"""The areas of sites as polygons, for GIS users who want them (``--areas``).

A map draws a site known only to a region, a district or a country as an
area, and a site "near" a place with its circle (:func:`.layout.lay_out`
decides which); :func:`areas` gives those shapes as a polygon layer:

* a site known to a region that a boundary divides (an oblast of Ukraine,
  or one of *boundaries*) is that boundary's polygon;
* another is the geodesic circle of its uncertainty radius (``radius_m``;
  ``match_radius_m`` in a joined table) around its point, 64 points on the
  WGS84 ellipsoid.

Each area keeps its row's columns, with two more: ``area_shape``
(``boundary`` or ``circle``) and ``area_km2``, its geodesic area.  Rows drawn
as points have no area and are not in the layer: the sites' layer holds them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import geopandas as gpd

    from .basemap import Boundaries

__all__ = ["AREA_COLUMNS", "areas"]

#: The columns :func:`areas` adds to the rows' own.
AREA_COLUMNS = ("area_shape", "area_km2")
_SIDES = 64  # the points of a circle


def areas(frame: gpd.GeoDataFrame, *, boundaries: Boundaries | None = None) -> gpd.GeoDataFrame:
    """Return the areas of the rows of *frame* (sites, or a joined table) that the map draws
    as areas, as polygons in EPSG:4326, in the rows' order.

    Raises
    ------
    InvalidInputError
        When the layer has geometries other than points.

    Examples
    --------
    >>> shapes = geo_sites.areas(sites)
    >>> shapes[["name", "area_shape", "area_km2"]].head(2)
    """
    import geopandas as gpd
    import numpy as np
    import shapely
    from pyproj import Geod

    from .layout import lay_out

    frame = frame.reset_index(drop=True)
    located = ~(frame.geometry.isna() | frame.geometry.is_empty).to_numpy()
    items = []
    if len(frame) and located.any():
        layout = lay_out(frame, boundaries=boundaries)
        items = [d for d in layout.drawn if d.is_area or d.shape == "near"]
        boundaries = layout.boundaries
    rows = [d.row for d in items]
    geod = Geod(ellps="WGS84")
    # The circles, all at once: 64 bearings from each centre, at its radius.
    circles = [d for d in items if d.boundary is None]
    bearings = -np.linspace(0, 360, _SIDES, endpoint=False)  # anticlockwise, as RFC 7946 has it
    lons, lats, _ = geod.fwd(
        np.repeat([d.lon for d in circles], _SIDES),
        np.repeat([d.lat for d in circles], _SIDES),
        np.tile(bearings, len(circles)),
        np.repeat([d.radius_m or 0.0 for d in circles], _SIDES),
    )
    rings = np.stack([lons, lats], axis=-1).reshape(len(circles), _SIDES, 2)
    drawn = iter(shapely.polygons(np.concatenate([rings, rings[:, :1]], axis=1)))
    regions = boundaries.frame.geometry.to_numpy() if boundaries is not None else None
    shapes = [regions[d.boundary] if d.boundary is not None and regions is not None
              else next(drawn) for d in items]  # fmt: skip
    out = frame.drop(columns=frame.geometry.name).iloc[rows].reset_index(drop=True)
    out["area_shape"] = ["boundary" if d.boundary is not None else "circle" for d in items]
    out["area_km2"] = [round(abs(geod.geometry_area_perimeter(s)[0]) / 1e6, 1) for s in shapes]
    return gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(shapes, crs=4326).to_numpy(), crs=4326)
