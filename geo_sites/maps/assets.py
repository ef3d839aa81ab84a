"""The scripts and styles a map page needs: inlined from installed packages, or linked.

Leaflet 1.9.3 (the version folium uses) and Leaflet.markercluster come from
the ``xstatic-leaflet`` packages, so a self-contained page makes no network
request.  Online pages link the same versions from jsDelivr.  Our own script
and style (``static/``) are always inlined: they are small and ours.
"""

from __future__ import annotations

import base64
import re
from functools import cache
from importlib import resources
from pathlib import Path

__all__ = ["LINKS", "inlined", "own"]

#: The same files on a CDN, for pages that may load them.
LINKS = {
    "js": (
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js",
        "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.4.1/dist/leaflet.markercluster.js",
    ),
    "css": (
        "https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css",
        "https://cdn.jsdelivr.net/npm/leaflet.markercluster@1.4.1/dist/MarkerCluster.css",
    ),
}

_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)
_IMAGE = re.compile(r"url\((images/[\w.-]+\.png)\)")


def _folder(package: str) -> Path:
    import importlib

    return Path(importlib.import_module(f"xstatic.pkg.{package}").BASE_DIR)


@cache
def inlined() -> tuple[str, str]:
    """Leaflet and markercluster as one script and one style, with images as data URIs."""
    leaflet, cluster = _folder("leaflet"), _folder("leaflet_markercluster")
    script = "\n".join(
        _SOURCE_MAP.sub("", (folder / name).read_text("utf-8"))
        for folder, name in ((leaflet, "leaflet.js"), (cluster, "leaflet.markercluster.js"))
    )

    def data_uri(found: re.Match[str]) -> str:
        png = base64.b64encode((leaflet / found.group(1)).read_bytes()).decode("ascii")
        return f"url(data:image/png;base64,{png})"

    style = _IMAGE.sub(data_uri, (leaflet / "leaflet.css").read_text("utf-8"))
    style += "\n" + (cluster / "MarkerCluster.css").read_text("utf-8")
    return script, style


@cache
def own() -> tuple[str, str]:
    """geo-sites' own script and style for the page."""
    folder = resources.files("geo_sites.maps") / "static"
    return (folder / "sites.js").read_text("utf-8"), (folder / "sites.css").read_text("utf-8")
