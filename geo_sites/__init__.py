"""geo-sites: turn reports of incidents into maps and GIS layers people can trust.

The public API: a verb for each step, as the command line has, and the
gazetteer itself::

    import geo_sites

    frame = geo_sites.join(table, place_column="place")  # a point for every row
    geo_sites.render(frame)                              # a map; Jupyter shows it
    geo_sites.write(frame, "places.gpkg")

    incidents = geo_sites.extract("reports/")            # report text -> incidents
    sites = geo_sites.merge(geo_sites.locate(incidents))
    geo_sites.render(geo_sites.sites_frame(sites), "sites.html")

    with geo_sites.Gazetteer.default() as gazetteer:
        match = gazetteer.resolve("Izjum")

``docs/api.md`` walks through a session.  Heavy parts are imported only when
used, so ``import geo_sites`` is cheap.

``join``, ``extract`` and ``run`` are also the names of submodules
(``geo_sites.join``, the package ``geo_sites.extract``, ``geo_sites.run``);
the attributes of this package are always the verbs, and the submodules are
imported by their full names (``from geo_sites.extract import extract_files``).
"""

from __future__ import annotations

import sys
from types import ModuleType
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "GEONAMES_CREDIT",
    "Candidate",
    "Gazetteer",
    "GazetteerHome",
    "GeoSitesError",
    "Map",
    "MapOptions",
    "Match",
    "NominatimFallback",
    "Place",
    "__version__",
    "areas",
    "extract",
    "join",
    "locate",
    "merge",
    "read",
    "render",
    "run",
    "sites_frame",
    "write",
]

_LAZY = {
    "Gazetteer": "geo_sites.gazetteer",
    "GazetteerHome": "geo_sites.gazetteer",
    "NominatimFallback": "geo_sites.gazetteer",
    "Candidate": "geo_sites.models",
    "Match": "geo_sites.models",
    "Place": "geo_sites.models",
    "GEONAMES_CREDIT": "geo_sites.models",
    "GeoSitesError": "geo_sites.exceptions",
    "Map": "geo_sites.maps",
    "MapOptions": "geo_sites.maps",
    "render": "geo_sites.maps",
    "areas": "geo_sites.maps.areas",
    "merge": "geo_sites.incidents",
    "sites_frame": "geo_sites.incidents",
    "write": "geo_sites.export",
    "run": "geo_sites.run",
    "read": "geo_sites.tables:read_table",
    "join": "geo_sites.join",
    **dict.fromkeys(("extract", "locate"), "geo_sites.api"),
}

if TYPE_CHECKING:
    from .api import extract, locate
    from .exceptions import GeoSitesError
    from .export import write
    from .gazetteer import Gazetteer, GazetteerHome, NominatimFallback
    from .incidents import merge, sites_frame
    from .join import join
    from .maps import Map, MapOptions, render
    from .maps.areas import areas
    from .models import GEONAMES_CREDIT, Candidate, Match, Place
    from .run import run
    from .tables import read_table as read


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        module, _, attribute = _LAZY[name].partition(":")
        value = getattr(importlib.import_module(module), attribute or name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'geo_sites' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, the loaded submodules and the module's own dunders."""
    loaded = (k for k, v in globals().items() if k.startswith("__")
              or (isinstance(v, ModuleType) and v.__name__ == f"{__name__}.{k}"))  # fmt: skip
    return sorted({*__all__, *loaded})


class _Package(ModuleType):
    """This package, whose verbs keep their names when submodules of the same names load.

    Importing ``geo_sites.join`` makes the import system set the attribute
    ``join`` of this package to the submodule; the verb stays instead.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if (
            name in _LAZY
            and isinstance(value, ModuleType)
            and value.__name__ == f"{__name__}.{name}"
        ):
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
