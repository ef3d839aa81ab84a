"""Where the index lives, which sources it is built from, and when to rebuild it.

The index is a cache: ``<user cache dir>/geo-sites/index.sqlite``.  The list of
sources a user added is configuration: ``<user data dir>/geo-sites/sources.json``,
and a copy of every added file is kept beside it (``sources/``), so that a
rebuild needs no file outside the gazetteer's folders.  ``GEO_SITES_HOME``
puts all of them (and downloads) in one folder instead.

The index records a fingerprint of what it was built from: the schema, the
packaged default data, and the size and modification time of every added
file.  When the fingerprint no longer matches, the index is rebuilt.

Every change (build, add, remove) happens under the index's lock
(:func:`~.index.index_lock`), one process at a time, and writes new files that
are renamed into place; the list of sources is saved before the index that
follows it, so a process killed in between leaves an index that the next run
sees is stale and rebuilds.  Temporary files of killed processes are removed
by the next run (:meth:`GazetteerHome.clean`).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from filelock import Timeout

from ..exceptions import (
    GazetteerIndexError,
    GeoSitesError,
    InvalidInputError,
    OfflineError,
    ParameterError,
    SourceError,
)
from ..files import alive
from .index import (
    SCHEMA_VERSION,
    GazetteerIndex,
    add_to_index,
    build_index,
    index_lock,
    read_meta,
)
from .keys import keys_path, temporary_path
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

__all__ = ["GEONAMES_DUMP_URL", "GazetteerHome"]

log = logging.getLogger(__name__)

#: Where ``gazetteer add --country XX`` downloads from; ``{country}`` is the ISO code.
GEONAMES_DUMP_URL = "https://download.geonames.org/export/dump/{country}.zip"

#: Temporary files, which writers leave only when killed: ``.<name>.<pid>.tmp`` (and its
#: SQLite journal).
_TEMPORARY = re.compile(r"^\..+\.(\d+)\.tmp(-journal)?$")
#: A temporary file this old is removed even if a process with its id is alive (ids are reused).
_STALE_SECONDS = 24 * 3600
#: Free space a build of the default index needs, when no index shows its size.
_BUILD_BYTES = 250_000_000


@dataclass(frozen=True, slots=True)
class _Paths:
    index: Path
    registry: Path
    downloads: Path

    @property
    def copies(self) -> Path:
        """Where the copies of added files are kept."""
        return self.registry.with_name("sources")


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


class GazetteerHome:
    """The gazetteer's home folder: the sources a user added, and the index built from them.

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
        """Return the added sources: path, copy, kind, size, mtime_ns and added_at of each."""
        try:
            data = json.loads(self.paths.registry.read_text("utf-8"))
        except FileNotFoundError:
            return []
        except (OSError, ValueError) as err:
            raise GazetteerIndexError(f"{self.paths.registry}: unreadable ({err})") from err
        return list(data.get("sources", []))

    def _save(self, sources: list[dict[str, Any]]) -> None:
        tmp = temporary_path(self.paths.registry)
        try:
            tmp.write_text(json.dumps({"sources": sources}, indent=2), "utf-8")
            os.replace(tmp, self.paths.registry)
        except OSError as err:
            raise _unwritable(self.paths.registry.parent, err) from err
        finally:
            tmp.unlink(missing_ok=True)

    def fingerprint(self, sources: list[dict[str, Any]]) -> str:
        """Return the fingerprint of an index built from the default and *sources*."""
        state: list[Any] = [SCHEMA_VERSION, curated_fingerprint()]
        state += [[s["path"], s["size"], s["mtime_ns"]] for s in sources]
        return hashlib.sha256(json.dumps(state).encode()).hexdigest()[:16]

    def _copy(self, path: Path) -> Path:
        """Copy an added file into the gazetteer's folder, and return where."""
        folder = self.paths.copies / hashlib.sha256(str(path).encode()).hexdigest()[:12]
        target = folder / path.name
        tmp = temporary_path(target)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, tmp)
            os.replace(tmp, target)
        except OSError as err:
            raise _unwritable(self.paths.copies, err) from err
        finally:
            tmp.unlink(missing_ok=True)
        return target

    def _changed(self, sources: list[dict[str, Any]]) -> bool:
        """Tell whether an added file changed since it was copied (or was never copied)."""
        for source in sources:
            stat = _stat(Path(source["path"]))
            if stat is not None and (
                stat != {"size": source["size"], "mtime_ns": source["mtime_ns"]}
                or not Path(source.get("copy") or source["path"]).exists()
            ):
                return True
        return False

    def _refreshed_sources(self) -> list[dict[str, Any]]:
        """Return the sources, with a new copy of every file that changed since it was added.

        A changed file that no longer reads is refused with its line, and its
        last good copy kept.  Call it under the lock.
        """
        sources = self.sources()
        changed = False
        for source in sources:
            original = Path(source["path"])
            stat = _stat(original)
            copy = Path(source["copy"]) if source.get("copy") else None
            if stat is None:
                if copy is None or not copy.exists():
                    log.warning(
                        "gazetteer source %s is missing, and no copy of it was kept; "
                        "its places are gone once the index is rebuilt",
                        original,
                    )
                continue
            same = stat == {"size": source["size"], "mtime_ns": source["mtime_ns"]}
            if same and copy is not None and copy.exists():
                continue
            if not same:
                try:
                    _read(original)
                except GeoSitesError as err:
                    log.warning("%s; keeping the copy added at %s", err, source["added_at"])
                    continue
            source.update(stat, copy=str(self._copy(original)))
            changed = True
        if changed:
            self._save(sources)
        return sources

    # -- the index ---------------------------------------------------------------

    def _is_current(self, sources: list[dict[str, Any]]) -> bool:
        """Tell whether the index exists, is whole, and was built from the default and *sources*."""
        index = self.paths.index
        if not index.exists():
            return False  # (a missing key table is derived again when the index is opened)
        if any(index.with_name(index.name + s).exists() for s in ("-journal", "-wal")):
            return False  # left by a writer of an older version, killed: not to be trusted
        try:
            return read_meta(index).get("fingerprint") == self.fingerprint(sources)
        except GazetteerIndexError:
            return False

    def ensure_index(self) -> Path:
        """Return the index path, building or rebuilding it first if its sources changed.

        A process that finds the index stale waits for the lock, and builds it
        only if no other process did meanwhile.
        """
        for folder in {self.paths.index.parent, self.paths.registry.parent}:
            _check_folder(folder, write=False)
        self.clean()
        sources = self._sources_or_none()
        if sources is not None and not self._changed(sources) and self._is_current(sources):
            if self._orphans(sources):
                with contextlib.suppress(Timeout), self._lock().acquire(blocking=False):
                    self._clean_copies(self.sources())
            return self.paths.index
        with self._lock():
            self._adopt()
            sources = self._refreshed_sources()
            if not self._is_current(sources):
                self._build(sources)
            self._clean_copies(sources)
        return self.paths.index

    def _adopt(self) -> None:
        """Save the list of sources the index was built from, if a writer was killed before it.

        The index is renamed into place before the list is saved: the index
        is what says whether an addition or a removal happened.
        """
        try:
            meta = read_meta(self.paths.index)
            built: list[dict[str, Any]] = json.loads(meta.get("sources", "null")) or []
        except (GazetteerIndexError, ValueError):
            return
        if meta.get("fingerprint") != self.fingerprint(built) or not all(
            Path(s.get("copy") or s["path"]).exists() for s in built
        ):
            return
        try:
            listed: list[str] | None = [s["path"] for s in self.sources()]
        except GazetteerIndexError as err:  # unreadable: the index knows what it holds
            log.warning("%s; saving the list the index was built from", err)
            listed = None
        if [s["path"] for s in built] != listed:
            log.info("the last change to the gazetteer was stopped; keeping what it indexed")
            self._save(built)

    def rebuild(self, sources: list[dict[str, Any]] | None = None) -> dict[str, dict[str, int]]:
        """Build the index anew from the default and every added source."""
        with self._lock():
            self.clean()
            sources = self._refreshed_sources() if sources is None else sources
            counts = self._build(sources)
            self._save(sources)
            self._clean_copies(sources)
            return counts

    def repair(self) -> None:
        """Build the index again, because it is damaged (the hook of :class:`GazetteerIndex`)."""
        self.rebuild()

    def _build(self, sources: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
        self._check_space()
        # Shown by default, as matplotlib announces its font cache: the first run waits for it.
        log.warning(
            "building the gazetteer index at %s (once; about 25 s for the default, more with "
            "added sources)",
            self.paths.index,
        )
        readers = [default_source()]
        for source in sources:
            path = Path(source.get("copy") or source["path"])
            if path.exists():
                readers.append(_read(path))
            else:
                log.warning("gazetteer source %s is missing: its places are left out", path)
        try:
            return build_index(
                self.paths.index,
                readers,
                corrections=curated_corrections(),
                meta={**self._meta(sources), "built_at": _now()},
            )
        except (OSError, sqlite3.OperationalError) as err:
            raise _unwritable(self.paths.index.parent, err) from err

    def add(self, path: str | os.PathLike[str]) -> dict[str, int]:
        """Add a GeoNames dump or a places file, and index it.

        The file is read (and checked) first; the index is only touched when it
        parses.  A copy is kept in the gazetteer's folder, so the index can be
        rebuilt after the file is moved or deleted.  Adding a file again
        re-reads it.
        """
        path = Path(path).expanduser().resolve()
        records = _read(path)
        stat = _stat(path)
        assert stat is not None  # _read succeeded
        with self._lock():
            self.clean()
            old = self._refreshed_sources()
            sources = [s for s in old if s["path"] != str(path)]
            current = len(sources) == len(old) and self._is_current(sources)
            entry = {"path": str(path), "kind": source_kind(path), **stat, "added_at": _now()}
            sources.append({**entry, "copy": str(self._copy(path))})
            # The index goes first, then the list: killed in between, the next
            # run saves the list the index records (see _adopt).
            if current:
                self._check_space()
                try:
                    counts = add_to_index(self.paths.index, records, meta=self._meta(sources))
                except (OSError, sqlite3.OperationalError) as err:
                    raise _unwritable(self.paths.index.parent, err) from err
            else:
                counts = self._build(sources)[records.label]
            self._save(sources)
            return counts

    def _meta(self, sources: list[dict[str, Any]]) -> dict[str, str]:
        """What the index records of its sources: their fingerprint and their list."""
        return {"fingerprint": self.fingerprint(sources), "sources": json.dumps(sources)}

    def _sources_or_none(self) -> list[dict[str, Any]] | None:
        """Return the sources, or None when their list cannot be read (a change fixes it)."""
        try:
            return self.sources()
        except GazetteerIndexError:
            return None

    def _orphans(self, sources: list[dict[str, Any]]) -> bool:
        kept = {Path(s["copy"]).parent for s in sources if s.get("copy")}
        return any(folder not in kept for folder in self.paths.copies.glob("*"))

    def _clean_copies(self, sources: list[dict[str, Any]]) -> None:
        """Remove the copies of added files that no source names (call it under the lock)."""
        kept = {Path(s["copy"]).parent for s in sources if s.get("copy")}
        for folder in self.paths.copies.glob("*"):
            if folder not in kept and folder.is_dir():
                shutil.rmtree(folder, ignore_errors=True)
                log.info("removed %s, left by a stopped addition", folder)

    def remove(self, path: str | os.PathLike[str]) -> dict[str, Any]:
        """Remove an added file (by its path or its file name) and rebuild the index without it.

        Returns the removed source.

        Raises
        ------
        InvalidInputError
            If no added file has that path or name.
        """
        wanted = str(Path(path).expanduser().resolve())
        with self._lock():
            sources = self._refreshed_sources()
            found = [s for s in sources if s["path"] == wanted] or [
                s for s in sources if Path(s["path"]).name == str(path)
            ]
            if len(found) != 1:
                added = ", ".join(s["path"] for s in sources) or "none"
                what = "no added file" if not found else "more than one added file"
                raise InvalidInputError(
                    f"{what} is {str(path)!r} (path); the added files are: {added}"
                )
            sources.remove(found[0])
            self._build(sources)
            self._save(sources)
            self._clean_copies(sources)
            return found[0]

    # -- locking and cleaning ------------------------------------------------------

    def _lock(self) -> Any:
        """Check the folders, then return the lock of the index (a context manager)."""
        for folder in {self.paths.index.parent, self.paths.registry.parent}:
            _check_folder(folder)
        if self.paths.index.is_dir():
            raise GazetteerIndexError(
                f"{self.paths.index}: a folder is where the index file belongs; move it away "
                "or set GEO_SITES_HOME to another folder"
            )
        return index_lock(self.paths.index)

    def clean(self) -> list[Path]:
        """Remove the temporary files of killed processes; return them.

        A temporary file is named ``.<name>.<pid>.tmp``: it is removed when no
        process has that id, or when it is older than a day.  (Copies of added
        files that no source names, left by a process killed while adding one,
        are removed under the lock by the next change or rebuild.)
        """
        removed = []
        folders = {self.paths.index.parent, self.paths.registry.parent, self.paths.downloads}
        folders |= {p.parent for p in self.paths.copies.glob("*/*")}
        now = time.time()
        for folder in folders:
            try:
                entries = list(os.scandir(folder))
            except OSError:
                continue
            for entry in entries:
                match = _TEMPORARY.match(entry.name)
                if match is None or not entry.is_file(follow_symlinks=False):
                    continue
                try:
                    old = now - entry.stat(follow_symlinks=False).st_mtime > _STALE_SECONDS
                    if old or not alive(int(match.group(1))):
                        os.unlink(entry.path)
                        removed.append(Path(entry.path))
                except OSError:
                    continue
        for path in removed:
            log.info("removed %s, left by a process that was stopped", path)
        return removed

    def _check_space(self) -> None:
        """Refuse to start a build that the cache folder has no room for."""
        folder = self.paths.index.parent
        files = (self.paths.index, keys_path(self.paths.index))
        existing = sum((_stat(p) or {"size": 0})["size"] for p in files)
        needed = max(existing + existing // 10, _BUILD_BYTES if not existing else 0)
        try:
            free = shutil.disk_usage(folder).free
        except OSError as err:
            raise _unwritable(folder, err) from err
        if free < needed:
            raise GazetteerIndexError(
                f"{folder}: not enough free space for the gazetteer index ({free / 1e6:.0f} MB "
                f"free, {needed / 1e6:.0f} MB needed); free some space or set GEO_SITES_HOME "
                "to another folder"
            )

    def download(self, country: str, *, url: str | None = None, timeout: float = 60.0) -> Path:
        """Download the GeoNames dump of *country* (ISO code) and return its path."""
        code = country.strip().upper()
        if len(code) != 2 or not code.isalpha():
            raise ParameterError(f"expected a two-letter country code, instead got: {country!r}",
                                 parameter="country")  # fmt: skip
        url = (url or os.environ.get("GEO_SITES_GEONAMES_URL") or GEONAMES_DUMP_URL).format(
            country=code
        )
        target = self.paths.downloads / f"{code}.zip"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = temporary_path(target)
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
        index = GazetteerIndex(path, on_damage=self.repair)
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
                "files": [
                    {
                        **s,
                        "exists": Path(s.get("copy") or s["path"]).exists(),
                        "original_exists": Path(s["path"]).exists(),
                    }
                    for s in files.values()
                ],
            }
        finally:
            index.close()


def _check_folder(folder: Path, *, write: bool = True) -> None:
    """Make *folder* if needed and check that files can be written in it.

    With ``write=False``, only check that nothing but folders lies on its path.
    """
    if not write:
        existing = folder
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            raise _unwritable(folder, NotADirectoryError(errno.ENOTDIR, f"{existing} is a file"))
        return
    probe = temporary_path(folder / "write-test")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with open(probe, "wb") as file:
            file.write(b"geo-sites")
            file.flush()
            os.fsync(file.fileno())
    except OSError as err:
        raise _unwritable(folder, err) from err
    finally:
        with contextlib.suppress(OSError):
            probe.unlink(missing_ok=True)


def _unwritable(folder: Path, err: BaseException) -> GazetteerIndexError:
    reason = getattr(err, "strerror", None) or str(err)
    return GazetteerIndexError(
        f"{folder}: cannot write the gazetteer's files here ({reason}); make it writable, "
        "free some space, or set GEO_SITES_HOME to another folder"
    )


def _read(path: Path) -> SourceRecords:
    if source_kind(path) == "geonames":
        return geonames_dump_source(path)
    return user_places_source(path)


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
