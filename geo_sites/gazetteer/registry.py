"""Where the index lives, which sources it is built from, and when to rebuild it.

The index is a cache: ``<user cache dir>/geo-sites/index.sqlite``.  The list of
sources a user added is configuration: ``<user data dir>/geo-sites/sources.json``.
``GEO_SITES_HOME`` puts both (and downloads) in one folder instead.

The index records a fingerprint of what it was built from: the schema, the
packaged default data, and the size and modification time of every added
file.  When the fingerprint no longer matches, the index is rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import GazetteerIndexError, InvalidInputError, OfflineError, SourceError
from .index import SCHEMA_VERSION, GazetteerIndex, add_to_index, build_index
from .sources import (
    SourceRecords,
    curated_corrections,
    curated_fingerprint,
    default_source,
    geonames_dump_source,
    source_kind,
    user_places_source,
)

if TYPE_CHECKING:
    from .online import NominatimFallback

__all__ = ["GEONAMES_DUMP_URL", "Registry"]

log = logging.getLogger(__name__)

#: Where ``gazetteer add --country XX`` downloads from; ``{country}`` is the ISO code.
GEONAMES_DUMP_URL = "https://download.geonames.org/export/dump/{country}.zip"


@dataclass(frozen=True, slots=True)
class _Paths:
    index: Path
    registry: Path
    downloads: Path


def _default_paths() -> _Paths:
    home = os.environ.get("GEO_SITES_HOME")
    if home:
        root = Path(home).expanduser()
        return _Paths(root / "index.sqlite", root / "sources.json", root / "downloads")
    import platformdirs

    cache = Path(platformdirs.user_cache_dir("geo-sites", appauthor=False))
    data = Path(platformdirs.user_data_dir("geo-sites", appauthor=False))
    return _Paths(cache / "index.sqlite", data / "sources.json", data / "downloads")


def _stat(path: Path) -> dict[str, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


class Registry:
    """The sources a user added, and the index built from them and the default.

    Parameters
    ----------
    home : path-like, optional
        One folder for the index, the source list and downloads.  Defaults to
        ``GEO_SITES_HOME`` or the platform's user cache and data folders.
    """

    def __init__(self, home: str | os.PathLike[str] | None = None) -> None:
        if home is None:
            self.paths = _default_paths()
        else:
            root = Path(home)
            self.paths = _Paths(root / "index.sqlite", root / "sources.json", root / "downloads")

    # -- the list of sources -----------------------------------------------------

    def sources(self) -> list[dict[str, Any]]:
        """Return the added sources: path, kind, size, mtime_ns and added_at of each."""
        try:
            data = json.loads(self.paths.registry.read_text("utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as err:
            raise GazetteerIndexError(f"{self.paths.registry}: unreadable ({err})") from err
        return list(data.get("sources", []))

    def _save(self, sources: list[dict[str, Any]]) -> None:
        self.paths.registry.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.paths.registry.with_suffix(".tmp")
        tmp.write_text(json.dumps({"sources": sources}, indent=2), "utf-8")
        os.replace(tmp, self.paths.registry)

    def fingerprint(self, sources: list[dict[str, Any]]) -> str:
        """Return the fingerprint of an index built from the default and *sources*."""
        state: list[Any] = [SCHEMA_VERSION, curated_fingerprint()]
        state += [[s["path"], s["size"], s["mtime_ns"]] for s in sources]
        return hashlib.sha256(json.dumps(state).encode()).hexdigest()[:16]

    def _refreshed_sources(self) -> list[dict[str, Any]]:
        """Return the sources with the stats of files that changed since they were added."""
        sources = self.sources()
        changed = False
        for source in sources:
            stat = _stat(Path(source["path"]))
            if stat is None:
                log.warning("gazetteer source %s is missing; keeping what it gave", source["path"])
            elif stat != {"size": source["size"], "mtime_ns": source["mtime_ns"]}:
                source.update(stat)
                changed = True
        if changed:
            self._save(sources)
        return sources

    # -- the index ---------------------------------------------------------------

    def _index_fingerprint(self) -> str | None:
        if not self.paths.index.exists():
            return None
        try:
            index = GazetteerIndex(self.paths.index)
        except GazetteerIndexError:
            return None
        try:
            return index.meta.get("fingerprint")
        finally:
            index.close()

    def ensure_index(self) -> Path:
        """Return the index path, building or rebuilding it first if its sources changed."""
        sources = self._refreshed_sources()
        wanted = self.fingerprint(sources)
        if self._index_fingerprint() != wanted:
            self.rebuild(sources)
        return self.paths.index

    def rebuild(self, sources: list[dict[str, Any]] | None = None) -> dict[str, dict[str, int]]:
        """Build the index anew from the default and every added source that still exists."""
        sources = self._refreshed_sources() if sources is None else sources
        # Shown by default, as matplotlib announces its font cache: the first run waits for it.
        log.warning(
            "building the gazetteer index at %s (once; about 20 s for the default, more with "
            "added sources)",
            self.paths.index,
        )
        readers = [default_source()]
        for source in sources:
            if Path(source["path"]).exists():
                readers.append(_read(Path(source["path"])))
        return build_index(
            self.paths.index,
            readers,
            corrections=curated_corrections(),
            meta={"fingerprint": self.fingerprint(sources), "built_at": _now()},
        )

    def add(self, path: str | os.PathLike[str]) -> dict[str, int]:
        """Add a GeoNames dump or a places file, and index it.

        The file is read (and checked) first; the index is only touched when it
        parses.  Adding a file again re-reads it.
        """
        path = Path(path).expanduser().resolve()
        records = _read(path)
        stat = _stat(path)
        assert stat is not None  # _read succeeded
        sources = [s for s in self._refreshed_sources() if s["path"] != str(path)]
        readded = len(sources) != len(self.sources())
        current = self._index_fingerprint() == self.fingerprint(sources) and not readded
        sources.append({"path": str(path), "kind": source_kind(path), **stat, "added_at": _now()})
        if current:
            counts = add_to_index(
                self.paths.index, records, meta={"fingerprint": self.fingerprint(sources)}
            )
            self._save(sources)
            return counts
        self._save(sources)
        return self.rebuild(sources)[records.label]

    def download(self, country: str, *, url: str | None = None, timeout: float = 60.0) -> Path:
        """Download the GeoNames dump of *country* (ISO code) and return its path."""
        code = country.strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise InvalidInputError(f"expected a two-letter country code, instead got: {country!r}")
        url = (url or os.environ.get("GEO_SITES_GEONAMES_URL") or GEONAMES_DUMP_URL).format(
            country=code
        )
        target = self.paths.downloads / f"{code}.zip"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".part")
        try:
            with urllib.request.urlopen(url, timeout=timeout) as response, open(tmp, "wb") as out:
                while chunk := response.read(1 << 20):
                    out.write(chunk)
        except urllib.error.HTTPError as err:
            tmp.unlink(missing_ok=True)
            raise SourceError(f"cannot download {url}: HTTP {err.code} {err.reason}") from err
        except (urllib.error.URLError, OSError) as err:
            tmp.unlink(missing_ok=True)
            reason = getattr(err, "reason", err)
            raise OfflineError(
                f"cannot download {url} ({reason}); without internet, download {code}.zip "
                f"elsewhere and run: geo-sites gazetteer add {code}.zip"
            ) from err
        os.replace(tmp, target)
        return target

    def nominatim(self, user_agent: str, **options: Any) -> NominatimFallback:
        """Return the Nominatim fallback, with its answers cached beside the index."""
        from .online import NominatimFallback

        cache = self.paths.index.with_name("nominatim.sqlite")
        return NominatimFallback(user_agent, cache_path=cache, **options)

    def info(self) -> dict[str, Any]:
        """Describe the index: where it is, its sources with counts, and when it was built."""
        path = self.ensure_index()
        index = GazetteerIndex(path)
        try:
            files = {s["path"]: s for s in self.sources()}
            return {
                "index": str(path),
                "index_bytes": path.stat().st_size,
                "registry": str(self.paths.registry),
                "built_at": index.meta.get("built_at"),
                "updated_at": index.meta.get("updated_at"),
                "build_seconds": index.meta.get("build_seconds"),
                "counts": index.counts(),
                "sources": [{"label": label, "places": n} for label, n in index.source_counts()],
                "files": [{**s, "exists": Path(s["path"]).exists()} for s in files.values()],
            }
        finally:
            index.close()


def _read(path: Path) -> SourceRecords:
    if source_kind(path) == "geonames":
        return geonames_dump_source(path)
    return user_places_source(path)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
