"""geo-sites: turn reports of incidents into maps and GIS layers people can trust.

The public API::

    from geo_sites import Gazetteer
    with Gazetteer.default() as gazetteer:
        match = gazetteer.resolve("Izjum")

Heavy parts are imported only when used, so ``import geo_sites`` is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "GEONAMES_CREDIT",
    "Candidate",
    "Gazetteer",
    "GeoSitesError",
    "Match",
    "NominatimFallback",
    "Place",
    "Registry",
    "__version__",
]

_LAZY = {
    "Gazetteer": "geo_sites.gazetteer",
    "Registry": "geo_sites.gazetteer",
    "NominatimFallback": "geo_sites.gazetteer",
    "Candidate": "geo_sites.models",
    "Match": "geo_sites.models",
    "Place": "geo_sites.models",
    "GEONAMES_CREDIT": "geo_sites.models",
    "GeoSitesError": "geo_sites.exceptions",
}

if TYPE_CHECKING:
    from .exceptions import GeoSitesError
    from .gazetteer import Gazetteer, NominatimFallback, Registry
    from .models import GEONAMES_CREDIT, Candidate, Match, Place


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'geo_sites' has no attribute {name!r}")
