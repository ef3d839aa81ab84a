"""The on-disk gazetteer index: one SQLite file, built once, queried by key.

Tables::

    places(pid, geonameid, name, lat, lon, level, country, admin1_code, admin2_code,
           population, feature_code, sid, radius_km) one row per place
    names(key, pid, kinds, origin, name)            every name under its keys
    fuzzy(part, key)                                halves of skeletons, for typos
    admin1(country, code, name, enclosed_by)        first-level units: names, enclaves
    corrections(geonameid, name, action)            curated names to add or drop
    sources(sid, label, attribution)                where places come from
    meta(key, value)                                build time, fingerprints, counts

``kinds`` says which key of the name this is: bit 1 its exact key, bit 2 a
transliteration skeleton (both, most often: "kramatorsk" is both).  ``origin``
says what kind of name it is: 0 the primary name, 1 an alternate name, 2 a
curated or user alias.  Queries do not read ``names``: they read the key table
derived from it (:mod:`geo_sites.gazetteer.keys`), a memory-mapped file beside
the index that answers a key without a statement.

Typo search uses the pigeonhole principle: a key within one edit of the query
keeps either its first half or its second half intact, so the index stores
both halves (with the key's length) and a query probes the halves it could
share with keys one shorter, as long, or one longer.  The few keys found are
checked with rapidfuzz's optimal-string-alignment distance.

The live index is never written in place.  A build, or an addition, writes a
new file and its key table under temporary names (:func:`~.keys.temporary_path`)
and renames them into place (:func:`_publish`), so a reader sees the old index
or the new one, and a killed writer leaves only a temporary file.  Writers take
:func:`index_lock` first.  A reader that meets damage (a query SQLite calls
malformed and ``quick_check`` confirms, or a key table entry that fails its
checksum) repairs what it can: it derives the key table again, and calls its
``on_damage`` hook, which rebuilds the index, for the rest.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ..exceptions import DamagedIndexError, GazetteerIndexError
from ..models import Place
from ..names import MAX_NAME_LENGTH, UKRAINIAN_FORM, exact_key, skeletons_and_ukrainian_forms
from .keys import KeyTable, Names, derive_keys, keys_path, temporary_path
from .sources import NameCorrections, PlaceRecord, SourceRecords

if TYPE_CHECKING:
    from filelock import FileLock

__all__ = [
    "FUZZY_MIN_LENGTH",
    "SCHEMA_VERSION",
    "SKELETON_MIN_LENGTH",
    "GazetteerIndex",
    "NameHit",
    "add_to_index",
    "build_index",
    "index_lock",
    "read_meta",
]

log = logging.getLogger(__name__)

#: Bumped whenever the schema or the keys change; an older index is rebuilt.
SCHEMA_VERSION = "7"
#: Skeletons shorter than this are not indexed: "Zz" and "ZZH" would meet.
SKELETON_MIN_LENGTH = 3
#: Skeletons shorter than this are not searched for typos: too many neighbours.
FUZZY_MIN_LENGTH = 5

KIND_EXACT, KIND_SKELETON, KIND_FUZZY = 0, 1, 2
ORIGIN_PRIMARY, ORIGIN_ALTERNATE, ORIGIN_ALIAS = 0, 1, 2
_EXACT_BIT, _SKELETON_BIT = 1 << KIND_EXACT, 1 << KIND_SKELETON  # bits of names.kinds
_BATCH = 5000  # places per statement
_PLACE_CACHE = 50_000  # places kept as objects between look-ups
_MMAP_BYTES = 1 << 30  # the index file is mapped, up to this size
_OPEN_ATTEMPTS = 5  # an index replaced while it is opened is opened again, this many times

_SCHEMA = """
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources(sid INTEGER PRIMARY KEY, label TEXT NOT NULL, attribution TEXT);
CREATE TABLE places(
    pid INTEGER PRIMARY KEY, geonameid INTEGER, name TEXT NOT NULL,
    lat REAL NOT NULL, lon REAL NOT NULL, level TEXT NOT NULL, country TEXT NOT NULL,
    admin1_code TEXT, admin2_code TEXT, population INTEGER NOT NULL,
    feature_code TEXT, sid INTEGER NOT NULL REFERENCES sources(sid), radius_km REAL);
CREATE UNIQUE INDEX places_geonameid ON places(geonameid) WHERE geonameid IS NOT NULL;
CREATE TABLE names(key TEXT NOT NULL, pid INTEGER NOT NULL, kinds INTEGER NOT NULL,
    origin INTEGER NOT NULL, name TEXT NOT NULL, PRIMARY KEY(key, pid, kinds)) WITHOUT ROWID;
CREATE TABLE fuzzy(part TEXT NOT NULL, key TEXT NOT NULL, PRIMARY KEY(part, key)) WITHOUT ROWID;
CREATE TABLE corrections(geonameid INTEGER NOT NULL, name TEXT NOT NULL, action TEXT NOT NULL);
CREATE TABLE admin1(country TEXT NOT NULL, code TEXT NOT NULL, name TEXT NOT NULL,
    enclosed_by TEXT, PRIMARY KEY(country, code)) WITHOUT ROWID;
"""

_PLACE_COLUMNS = (
    "p.pid, p.geonameid, p.name, p.lat, p.lon, p.level, p.country, p.admin1_code, "
    "p.admin2_code, p.population, p.feature_code, p.sid, p.radius_km"
)


class NameHit(NamedTuple):
    """A name of a place that met a query key."""

    kind: int  # KIND_EXACT, KIND_SKELETON or KIND_FUZZY
    origin: int  # ORIGIN_PRIMARY, ORIGIN_ALTERNATE or ORIGIN_ALIAS
    name: str  # the name as the source writes it
    key: str  # the index key that met
    pid: int  # the place: see GazetteerIndex.places


_new = tuple.__new__  # _new(NameHit, fields): a NameHit without the keyword parsing


def fuzzy_parts(key: str) -> tuple[str, str]:
    """Return the two index entries of a skeleton: its first and second half with its length."""
    half = len(key) // 2
    return f"{len(key)}<{key[:half]}", f"{len(key)}>{key[half:]}"


def _probe_parts(query: str) -> list[str]:
    """Return the index entries a key within one edit of *query* must have one of."""
    m = len(query)
    parts = []
    for n in (m - 1, m, m + 1):
        if n < FUZZY_MIN_LENGTH:
            continue
        half = n // 2
        parts.append(f"{n}<{query[:half]}")
        parts.append(f"{n}>{query[m - (n - half) :]}")
    if m >= FUZZY_MIN_LENGTH:
        # A transposition across the middle changes both halves.
        half = m // 2
        swapped = query[: half - 1] + query[half] + query[half - 1] + query[half + 1 :]
        parts.append(f"{m}<{swapped[:half]}")
    return parts


# ---------------------------------------------------------------------------
# Building.


# Airport and station codes ("HRK", "KIV") that GeoNames lists among alternate names.
_CODE = re.compile(r"^[A-Z0-9]{2,4}$")


def _is_noise(name: str) -> bool:
    """Tell codes and GeoNames' lower-case romanisations ("hrqwb", "ha er ke fu") from names."""
    return _CODE.match(name) is not None or (name.isascii() and name.islower())


def _names_of(record: PlaceRecord, corrections: NameCorrections) -> Iterator[tuple[int, str]]:
    gid = record.geonameid if record.geonameid is not None else -1
    wrong = corrections.drop.get(gid, frozenset())
    yield ORIGIN_PRIMARY, record.name
    if record.source_name:  # the place's own name in the source: Izyum for Izium
        yield ORIGIN_PRIMARY, record.source_name
    for name in record.alternate_names:
        if not _is_noise(name) and name not in wrong:
            yield ORIGIN_ALTERNATE, name
    for name in (*record.aliases, *corrections.add.get(gid, ())):
        yield ORIGIN_ALIAS, name


class _Forms(dict[str, tuple[str, ...]]):
    """The skeletons of keys, each romanised once per build: places share names."""

    def __missing__(self, key: str) -> tuple[str, ...]:
        forms = self[key] = _forms(key)
        return forms


def _key_rows(
    pid: int, record: PlaceRecord, corrections: NameCorrections, forms: _Forms
) -> list[tuple[str, int, int, int, str]]:
    """Return the ``names`` rows of a place: each key with the first (best) name that gives it."""
    exact: dict[str, tuple[int, str]] = {}
    skeleton: dict[str, tuple[int, str]] = {}
    for origin, name in _names_of(record, corrections):
        if len(name) > MAX_NAME_LENGTH:
            continue
        key = exact_key(name)
        if not key:
            continue
        exact.setdefault(key, (origin, name))
        for form in forms[key]:
            if record.country == "UA" or not form.startswith(UKRAINIAN_FORM):
                skeleton.setdefault(form, (origin, name))
    rows = []
    for key, found in exact.items():
        if skeleton.get(key) == found:
            del skeleton[key]
            rows.append((key, pid, _EXACT_BIT | _SKELETON_BIT, *found))
        else:
            rows.append((key, pid, _EXACT_BIT, *found))
    rows += [(key, pid, _SKELETON_BIT, *found) for key, found in skeleton.items()]
    return rows


def _insert(
    conn: sqlite3.Connection,
    source: SourceRecords,
    corrections: NameCorrections,
    *,
    forms: _Forms | None = None,
) -> dict[str, int]:
    """Insert one source's places; a place with a known GeoNames id replaces the older row.

    *forms* keeps the skeletons of the keys met, for the key table.
    """
    forms = _Forms() if forms is None else forms
    cursor = conn.execute(
        "INSERT INTO sources(label, attribution) VALUES (?, ?)", (source.label, source.attribution)
    )
    sid = int(cursor.lastrowid or 0)
    existing = dict(conn.execute("SELECT geonameid, pid FROM places WHERE geonameid IS NOT NULL"))
    next_pid = (conn.execute("SELECT max(pid) FROM places").fetchone()[0] or 0) + 1
    replaced = added = 0
    place_rows, name_rows = [], []
    stale: list[tuple[int]] = []
    for record in source.places:
        pid = existing.get(record.geonameid) if record.geonameid is not None else None
        if pid is None:
            pid, next_pid = next_pid, next_pid + 1
            if record.geonameid is not None:
                existing[record.geonameid] = pid
            added += 1
        else:
            stale.append((pid,))
            replaced += 1
        place_rows.append(
            (pid, record.geonameid, record.name, record.lat, record.lon, record.level,
             record.country, record.admin1_code, record.admin2_code, record.population,
             record.feature_code, sid, record.radius_km)
        )  # fmt: skip
        name_rows += _key_rows(pid, record, corrections, forms)
    if stale:
        # One scan: the names of replaced places go, curated aliases stay.
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS stale(pid INTEGER PRIMARY KEY)")
        conn.execute("DELETE FROM stale")
        conn.executemany("INSERT OR IGNORE INTO stale VALUES (?)", stale)
        conn.execute("DELETE FROM names WHERE origin != 2 AND pid IN (SELECT pid FROM stale)")
    conn.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", place_rows)
    # SQLite sorts the rows into primary-key order, faster than inserting them as they
    # come; rowid keeps the first row of a key and place the one that stays.
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS new_names(key, pid, kinds, origin, name)")
    conn.execute("DELETE FROM new_names")
    conn.executemany("INSERT INTO new_names VALUES (?,?,?,?,?)", name_rows)
    conn.execute(
        "INSERT OR IGNORE INTO names SELECT * FROM new_names ORDER BY key, pid, kinds, rowid"
    )
    conn.execute("DELETE FROM new_names")
    skeleton_keys = {
        key
        for key, _, kinds, *_ in name_rows
        if kinds & _SKELETON_BIT and not key.startswith(UKRAINIAN_FORM)
    }
    fuzzy_rows = [
        (part, key)
        for key in skeleton_keys
        if len(key) >= FUZZY_MIN_LENGTH
        for part in fuzzy_parts(key)
    ]
    fuzzy_rows.sort()
    conn.executemany("INSERT OR IGNORE INTO fuzzy VALUES (?, ?)", fuzzy_rows)
    conn.executemany(  # the first name given to a unit stays: curated names win
        "INSERT OR IGNORE INTO admin1 VALUES (?, ?, ?, ?)",
        [(u.country, u.code, u.name, u.enclosed_by) for u in source.admin_units],
    )
    _link_user_admin1(conn, sid)
    return {"places": len(source.places), "added": added, "replaced": replaced,
            "skipped": source.skipped}  # fmt: skip


def _link_user_admin1(conn: sqlite3.Connection, sid: int) -> None:
    """Turn admin1 *names* that users wrote into codes, by the known first-level units."""
    rows = conn.execute(
        "SELECT pid, country, admin1_code FROM places WHERE sid = ? AND admin1_code IS NOT NULL "
        "AND geonameid IS NULL",
        (sid,),
    ).fetchall()
    if not rows:
        return
    # Every name of every first-level unit: "Kharkiv Oblast", "Kharkivska", "Харківська"...
    units: dict[str, tuple[str, str]] = {}
    for key, country, code in conn.execute(
        "SELECT n.key, p.country, p.admin1_code FROM names n JOIN places p ON p.pid = n.pid "
        "WHERE p.level = 'admin1' AND n.kinds & 1"
    ):
        units.setdefault(key, (country, code))
    for pid, country, written in rows:
        unit = units.get(exact_key(written))
        if unit and (not country or country == unit[0]):
            conn.execute(
                "UPDATE places SET country = ?, admin1_code = ? WHERE pid = ?", (*unit, pid)
            )


def build_index(
    path: str | os.PathLike[str],
    sources: Iterable[SourceRecords],
    *,
    corrections: NameCorrections | None = None,
    meta: dict[str, str] | None = None,
) -> dict[str, dict[str, int]]:
    """Build a new index at *path* from *sources*, atomically (temporary file, then rename).

    *corrections* (curated names to add or drop) apply to every source, and are
    kept in the index for sources added later.  Returns the per-source counts.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = temporary_path(path)
    tmp.unlink(missing_ok=True)
    started = time.perf_counter()
    conn = sqlite3.connect(tmp)
    counts: dict[str, dict[str, int]] = {}
    try:
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        corrections = corrections or NameCorrections()
        _save_corrections(conn, corrections)
        forms = _Forms()
        for source in sources:
            counts[source.label] = _insert(conn, source, corrections, forms=forms)
            log.info("indexed %s (%.1f s)", source.label, time.perf_counter() - started)
        seconds = f"{time.perf_counter() - started:.1f}"
        build_id = _write_meta(
            conn, {**(meta or {}), "schema": SCHEMA_VERSION, "build_seconds": seconds}
        )
        conn.commit()
        conn.execute("ANALYZE")
        _publish(conn, tmp, path, build_id, forms=forms.__getitem__)
        log.info("wrote the key table (%.1f s)", time.perf_counter() - started)
    finally:
        conn.close()
        tmp.unlink(missing_ok=True)
    return counts


def add_to_index(
    path: str | os.PathLike[str], source: SourceRecords, *, meta: dict[str, str] | None = None
) -> dict[str, int]:
    """Add one source to an existing index: into a copy of it, renamed over it when done.

    Readers keep the old index until the new one is in place; a crash leaves
    the old one as it was.  Hold :func:`index_lock` around it.
    """
    path = Path(path)
    tmp = temporary_path(path)
    tmp.unlink(missing_ok=True)
    live = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    conn = sqlite3.connect(tmp)
    keep: KeyTable | None = None
    try:
        conn.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;")
        live.backup(conn)  # a consistent copy, whatever else reads the file
        live.close()
        old_build = dict(conn.execute("SELECT key, value FROM meta")).get("build_id", "")
        counts = _insert(conn, source, _load_corrections(conn))
        if not counts["replaced"]:  # only new names: the other keys' entries stay as they are
            keep = _kept_keys(path, old_build)
        if keep is not None:
            conn.execute("CREATE TEMP TABLE changed_keys(key TEXT PRIMARY KEY) WITHOUT ROWID")
            conn.execute(
                "INSERT OR IGNORE INTO changed_keys SELECT n.key FROM names n "
                "JOIN places p ON p.pid = n.pid WHERE p.sid = (SELECT max(sid) FROM sources)"
            )
        build_id = _write_meta(conn, meta or {})
        conn.commit()
        _publish(conn, tmp, path, build_id, keep=keep)
    finally:
        if keep is not None:
            keep.close()
        live.close()
        conn.close()
        tmp.unlink(missing_ok=True)
    return counts


def _kept_keys(path: Path, build_id: str) -> KeyTable | None:
    """Open the key table of the index at *path*, if it is whole, to keep its entries."""
    try:
        return KeyTable(keys_path(path), build_id)
    except (OSError, ValueError):
        return None


def _publish(
    conn: sqlite3.Connection,
    tmp: Path,
    path: Path,
    build_id: str,
    *,
    keep: KeyTable | None = None,
    forms: Callable[[str], tuple[str, ...]] | None = None,
) -> None:
    """Derive the key table of the finished index at *tmp*, and rename both into place.

    *forms* gives a key's romanised forms; a build passes the ones it has
    already made, and an addition derives them.

    The key table is written first, under a temporary name; the index is
    renamed before it, so a reader never pairs a new table with an old index.
    A rollback journal or WAL left beside *path* by a writer of an older
    version belongs to the old file and goes first.
    """
    keys = keys_path(path)
    keys_tmp = temporary_path(keys)
    try:
        forms = forms or _forms
        try:
            derive_keys(keys_tmp, conn, forms, build_id, keep=keep)
        except DamagedIndexError:  # the old table: derive every key
            derive_keys(keys_tmp, conn, forms, build_id)
        for suffix in ("-journal", "-wal", "-shm"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        os.replace(tmp, path)
        os.replace(keys_tmp, keys)
    finally:
        keys_tmp.unlink(missing_ok=True)


def index_lock(path: str | os.PathLike[str]) -> FileLock:
    """Return the lock that writers of the index at *path* hold: ``.index.sqlite.lock`` beside it.

    One lock object per file in a process, and re-entrant, so a writer may
    call another; it is an ``flock``, released by the system when its process
    dies, so a killed writer never leaves it held.
    """
    from filelock import FileLock

    path = Path(os.path.realpath(path))
    return FileLock(path.with_name(f".{path.name}.lock"), is_singleton=True)


def read_meta(path: str | os.PathLike[str]) -> dict[str, str]:
    """Return the ``meta`` table of the index at *path*, without opening its key table.

    Raises
    ------
    GazetteerIndexError
        If the file is not a readable index.
    """
    try:
        conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as err:
        raise GazetteerIndexError(f"{path}: cannot open the index ({err})") from err
    try:
        return dict(conn.execute("SELECT key, value FROM meta"))
    except sqlite3.Error as err:
        raise GazetteerIndexError(f"{path}: cannot open the index ({err})") from err
    finally:
        conn.close()


def _save_corrections(conn: sqlite3.Connection, corrections: NameCorrections) -> None:
    rows = [(gid, name, "add") for gid, names in corrections.add.items() for name in names]
    rows += [(gid, name, "drop") for gid, names in corrections.drop.items() for name in names]
    conn.executemany("INSERT INTO corrections VALUES (?, ?, ?)", rows)


def _load_corrections(conn: sqlite3.Connection) -> NameCorrections:
    add: dict[int, tuple[str, ...]] = {}
    drop: dict[int, frozenset[str]] = {}
    for gid, name, action in conn.execute("SELECT * FROM corrections"):
        if action == "add":
            add[gid] = (*add.get(gid, ()), name)
        else:
            drop[gid] = drop.get(gid, frozenset()) | {name}
    return NameCorrections(add=add, drop=drop)


def _write_meta(conn: sqlite3.Connection, meta: dict[str, str]) -> str:
    """Write *meta* with the time and a new build id; return the build id."""
    build_id = uuid.uuid4().hex
    meta = {**meta, "updated_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "build_id": build_id}  # fmt: skip
    conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta.items())
    return build_id


class _Replaced(Exception):
    """The index file was replaced while it was being opened: open it again."""


def _identity(path: Path) -> tuple[int, int] | None:
    """Return what tells one file at *path* from the next one renamed there."""
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _forms(key: str) -> tuple[str, ...]:
    """Return the skeletons of an exact key that the index holds (long enough).

    The Ukrainian forms (:func:`~geo_sites.names.ukrainian_forms`) come last;
    only places in Ukraine are filed under them.
    """
    skeletons, ukrainian = skeletons_and_ukrainian_forms(key)
    forms = []
    for form in skeletons:  # loops: on the path of every look-up, cheaper than comprehensions
        if len(form) >= SKELETON_MIN_LENGTH:
            forms.append(form)
    for form in ukrainian:
        if len(form) >= len(UKRAINIAN_FORM) + SKELETON_MIN_LENGTH:
            forms.append(form)
    return tuple(forms)


# ---------------------------------------------------------------------------
# Querying.


class GazetteerIndex:
    """Read-only access to a built index.

    Parameters
    ----------
    path : path-like
        The SQLite file written by :func:`build_index`.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        on_damage: Callable[[], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self._on_damage = on_damage
        self._open()

    def _open(self) -> None:
        for _ in range(_OPEN_ATTEMPTS):
            identity = _identity(self.path)
            uri = f"{self.path.resolve().as_uri()}?mode=ro"
            try:
                conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
            except sqlite3.Error as err:
                raise GazetteerIndexError(f"{self.path}: cannot open the index ({err})") from err
            try:
                # Map the file into memory: look-ups read pages without copying them.
                conn.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
                meta: dict[str, str] = dict(conn.execute("SELECT key, value FROM meta"))
                sources = {
                    sid: (label, attribution)
                    for sid, label, attribution in conn.execute("SELECT * FROM sources")
                }
                keys = self._key_table(conn, meta.get("build_id", ""), identity)
            except _Replaced:
                conn.close()
                continue
            except sqlite3.Error as err:
                conn.close()
                raise DamagedIndexError(f"{self.path}: cannot open the index ({err})") from err
            except BaseException:
                conn.close()
                raise
            self._conn, self._identity, self.meta, self._keys = conn, identity, meta, keys
            self._sources: dict[int, tuple[str, str | None]] = sources
            self._places: dict[int, Place] = {}
            self._admin1: dict[tuple[str, str], tuple[str, str | None]] | None = None
            return
        raise GazetteerIndexError(f"{self.path}: the index was replaced while it was opened")

    def _key_table(
        self,
        conn: sqlite3.Connection,
        build_id: str,
        identity: tuple[int, int] | None,
        *,
        damaged: bool = False,
    ) -> KeyTable:
        """Open the key table, deriving it again when it is missing, stale or damaged."""
        path = keys_path(self.path)
        if not damaged:
            try:
                return KeyTable(path, build_id)
            except (OSError, ValueError):
                pass
        try:
            with index_lock(self.path):  # no writer replaces the index meanwhile
                if _identity(self.path) != identity:
                    raise _Replaced
                if not damaged:
                    try:  # another reader may have derived it while we waited
                        return KeyTable(path, build_id)
                    except (OSError, ValueError):
                        pass
                tmp = temporary_path(path)
                try:
                    derive_keys(tmp, conn, _forms, build_id)
                    os.replace(tmp, path)
                finally:
                    tmp.unlink(missing_ok=True)
                return KeyTable(path, build_id)
        except (OSError, ValueError) as err:
            raise GazetteerIndexError(
                f"{path}: cannot write the key table of the index ({err})"
            ) from err

    def _query(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run a statement; on damage, repair the index (see ``on_damage``) and run it again."""
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as err:
            self._repair(err)
        return self._conn.execute(sql, params).fetchall()

    def _repair(self, err: sqlite3.DatabaseError) -> None:
        try:
            problems = [row[0] for row in self._conn.execute("PRAGMA quick_check")]
        except sqlite3.DatabaseError as check:
            problems = [str(check)]
        if problems == ["ok"]:
            raise GazetteerIndexError(f"{self.path}: {err}") from err
        damage = f"{self.path}: the index is damaged ({problems[0]})"
        if self._on_damage is None:
            raise DamagedIndexError(f"{damage}; run: geo-sites gazetteer rebuild") from err
        log.warning("%s; building it again", damage)
        self.close()
        with index_lock(self.path):
            if _identity(self.path) == self._identity:
                self._on_damage()
        self._open()

    def close(self) -> None:
        """Close the database connection and the key table."""
        self._conn.close()
        self._keys.close()

    # -- places ---------------------------------------------------------------

    def places(self, pids: Iterable[int]) -> dict[int, Place]:
        """Return a mapping that holds the places with these ids (and maybe others).

        The ones not yet in memory are read with one statement.
        """
        cache = self._places
        wanted = set(pids)
        missing = [pid for pid in wanted if pid not in cache]
        if missing:
            if len(cache) + len(missing) > _PLACE_CACHE:
                cache.clear()
                missing = list(wanted)
            for start in range(0, len(missing), _BATCH):
                rows = self._query(
                    f"SELECT {_PLACE_COLUMNS} FROM json_each(?) j JOIN places p ON p.pid = j.value",
                    (json.dumps(missing[start : start + _BATCH]),),
                )
                for row in rows:
                    cache[row[0]] = self._place(row)
        return cache

    def geonames_place(self, geonameid: int) -> Place | None:
        """Return the place with the GeoNames id *geonameid*, or None when the index has none."""
        rows = self._query(f"SELECT {_PLACE_COLUMNS} FROM places p WHERE p.geonameid = ?",
                           (geonameid,))  # fmt: skip
        return self._place(rows[0]) if rows else None

    def _place(self, row: Sequence[Any]) -> Place:
        (_, geonameid, name, lat, lon, level, country, admin1_code, admin2_code,
         population, feature_code, sid, radius_km) = row  # fmt: skip
        label, attribution = self._sources[sid]
        return Place(
            name=name, lat=lat, lon=lon, level=level, country=country, geonameid=geonameid,
            admin1=self.admin1_name(country, admin1_code), admin1_code=admin1_code,
            admin2_code=admin2_code, population=population, feature_code=feature_code,
            source=label, attribution=attribution, radius_km=radius_km,
        )  # fmt: skip

    def _admin1_units(self) -> dict[tuple[str, str], tuple[str, str | None]]:
        if self._admin1 is None:
            self._admin1 = {
                (country, code): (name, enclosed_by)
                for country, code, name, enclosed_by in self._query("SELECT * FROM admin1")
            }
        return self._admin1

    def admin1_name(self, country: str, code: str | None) -> str | None:
        """Return the name of first-level unit *code* of *country*, if known."""
        unit = self._admin1_units().get((country, code)) if code else None
        return unit[0] if unit else None

    def enclosing_admin1(self, country: str, code: str | None) -> str | None:
        """Return the code of the unit that surrounds a city-unit (Kyiv City: Kyiv Oblast)."""
        unit = self._admin1_units().get((country, code)) if code else None
        return unit[1] if unit else None

    def countries(self) -> set[str]:
        """Return the ISO codes of every country that has places in the index."""
        return {c for (c,) in self._query("SELECT DISTINCT country FROM places")}

    def counts(self) -> dict[str, int]:
        """Return the number of places per level and of names."""
        counts = dict(self._query("SELECT level, count(*) FROM places GROUP BY level"))
        counts["names"] = self._query("SELECT count(*) FROM names WHERE kinds & 1")[0][0]
        return counts

    def source_counts(self) -> list[tuple[str, int]]:
        """Return each source's label with the number of places it holds now."""
        return [
            (label, n)
            for label, n in self._query(
                "SELECT s.label, count(p.pid) FROM sources s LEFT JOIN places p ON p.sid = s.sid "
                "GROUP BY s.sid ORDER BY s.sid"
            )
        ]

    # -- names ----------------------------------------------------------------

    def lookup(self, name: str) -> list[NameHit]:
        """Return the names of places that meet *name* by its exact key or a skeleton.

        :meth:`places` gives their places.
        """
        try:
            return self._lookup(name)
        except DamagedIndexError as err:
            self._repair_keys(err)
        return self._lookup(name)

    def _repair_keys(self, err: DamagedIndexError) -> None:
        log.warning("%s: %s; deriving it again", keys_path(self.path), err)
        self._keys.close()
        try:
            self._keys = self._key_table(
                self._conn, self.meta.get("build_id", ""), self._identity, damaged=True
            )
        except _Replaced:
            self._conn.close()
            self._open()

    def _lookup(self, name: str) -> list[NameHit]:
        key = exact_key(name) if len(name) <= MAX_NAME_LENGTH else ""
        if not key:
            return []
        get = self._keys.get
        entry = get(key)
        met: Sequence[tuple[str, Names]]  # each form the table holds, with its names
        if entry is None:  # romanised, and each form looked up
            hits, met = [], []
            for form in _forms(key):
                if form != key and (found := get(form)) is not None:
                    met.append((form, found[1]))
        else:  # what meets the key is in its entry
            exact, _, _, met = entry
            hits = [_new(NameHit, (KIND_EXACT, origin, n, key, pid)) for origin, n, pid in exact]
        hits += [_new(NameHit, (KIND_SKELETON, origin, n, form, pid))
                 for form, names in met for origin, n, pid in names]  # fmt: skip
        return hits

    def fuzzy_lookup(self, query: str) -> list[tuple[NameHit, int]]:
        """Return places with a skeleton one edit from the skeleton *query*, with the distance.

        Queries shorter than :data:`FUZZY_MIN_LENGTH` find nothing.
        """
        if len(query) < FUZZY_MIN_LENGTH:
            return []
        from rapidfuzz.distance import OSA

        parts = _probe_parts(query)
        rows = self._query(
            f"SELECT DISTINCT key FROM fuzzy WHERE part IN ({','.join('?' * len(parts))})", parts
        )
        near = {key: d for (key,) in rows if (d := OSA.distance(query, key, score_cutoff=1)) <= 1}
        if not near:
            return []
        try:
            return self._near_hits(near)
        except DamagedIndexError as err:
            self._repair_keys(err)
        return self._near_hits(near)

    def _near_hits(self, near: dict[str, int]) -> list[tuple[NameHit, int]]:
        return [
            (_new(NameHit, (KIND_FUZZY, origin, name, key, pid)), distance)
            for key, distance in sorted(near.items())
            if (entry := self._keys.get(key)) is not None
            for origin, name, pid in entry[1]
        ]
