"""The names of the index by key: a memory-mapped file beside the SQLite index.

A look-up in SQLite costs a statement; the resolver wants a dictionary.  This
file is that dictionary, derived from the ``names`` table after every build
or addition, opened without reading it, and shared between processes by the
page cache:

- a MARISA trie (``marisa-trie``) numbers the keys;
- an array of offsets gives, for each number, where its entry lies;
- an entry is the marshalled triple ``(exact, skeleton, forms)``: the names that
  give the key as their exact key and as a transliteration skeleton, each an
  ``(origin, name, pid)`` tuple, and the skeletons of the key itself (None when
  the key is its own only skeleton), so that a query the index knows is not
  romanised again.

The header names the build of the SQLite index it was derived from, so a
file left from another build is never used: :func:`open_keys` derives it again.
"""

from __future__ import annotations

import itertools
import marshal
import mmap
import os
import struct
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import GazetteerIndexError

if TYPE_CHECKING:
    import sqlite3

__all__ = ["Entry", "KeyTable", "derive_keys", "keys_path", "open_keys", "write_keys"]

Names = tuple[tuple[int, str, int], ...]  # (origin, name, pid)
#: The names of one key, under its exact key and its skeleton, and the key's own skeletons.
Entry = tuple[Names, Names, tuple[str, ...] | None]

_MAGIC = b"GSKEYS01"  # the format: bump it whenever the layout of the file or an entry changes
# magic, marshal version, number of keys, trie bytes, build id of the SQLite index
_HEADER = struct.Struct("<8sIQQ32s")


def keys_path(index_path: str | os.PathLike[str]) -> Path:
    """Return where the key table of the SQLite index at *index_path* lives."""
    return Path(index_path).with_suffix(".keys")


class KeyTable:
    """Read-only access to a key table written by :func:`write_keys`."""

    def __init__(self, path: str | os.PathLike[str], build_id: str) -> None:
        import marisa_trie

        with open(path, "rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            magic, version, count, trie_bytes, built_for = _HEADER.unpack_from(self._map)
            if (magic, version, built_for) != (_MAGIC, marshal.version, build_id.encode()):
                raise ValueError("written for another build")
            start = _HEADER.size
            self._trie = marisa_trie.Trie().frombytes(self._map[start : start + trie_bytes])
            start = _aligned(start + trie_bytes)
            end = start + 8 * (count + 1)
            if len(self._map) < end or len(self._trie) != count:
                raise ValueError("truncated")
            with memoryview(self._map) as view:
                self._offsets = view[start:end].cast("Q")
                self._data = view[end:]
            if len(self._data) != self._offsets[-1]:
                raise ValueError("truncated")
        except (ValueError, struct.error, RuntimeError) as err:  # marisa: RuntimeError
            self.close()
            raise ValueError(f"not a usable key table ({err})") from None

    def get(self, key: str) -> Entry | None:
        """Return the names under *key*, or None."""
        kid = self._trie.get(key)
        if kid is None:
            return None
        entry: Entry = marshal.loads(self._data[self._offsets[kid] : self._offsets[kid + 1]])
        return entry

    def close(self) -> None:
        """Release the mapping."""
        for name in ("_offsets", "_data"):
            view = self.__dict__.pop(name, None)
            if view is not None:
                view.release()
        self._map.close()


def _aligned(offset: int) -> int:
    return (offset + 7) // 8 * 8


def write_keys(
    path: str | os.PathLike[str],
    rows: Iterable[tuple[str, int, int, str, int]],
    forms: Callable[[str], tuple[str, ...]],
    build_id: str,
) -> None:
    """Write the key table of ``names`` rows ``(key, kinds, origin, name, pid)``, sorted by key.

    *kinds* has bit 1 for an exact key, bit 2 for a skeleton; *forms* gives the
    skeletons of a key.  The file is written beside *path* and renamed over it.
    """
    import marisa_trie

    entries: dict[str, bytes] = {}
    for key, group in itertools.groupby(rows, key=lambda row: row[0]):
        names = [(kinds, (origin, name, pid)) for _, kinds, origin, name, pid in group]
        exact = tuple(hit for kinds, hit in names if kinds & 1)
        skeleton = tuple(hit for kinds, hit in names if kinds & 2)
        own = forms(key)
        entries[key] = marshal.dumps((exact, skeleton, None if own == (key,) else own))
    trie = marisa_trie.Trie(entries)
    blobs: list[bytes] = [b""] * len(trie)
    for key, blob in entries.items():
        blobs[trie[key]] = blob
    trie_bytes = trie.tobytes()
    offsets = [0, *itertools.accumulate(map(len, blobs))]
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as file:
            file.write(_HEADER.pack(_MAGIC, marshal.version, len(blobs), len(trie_bytes),
                                    build_id.encode()))  # fmt: skip
            file.write(trie_bytes)
            file.write(b"\0" * (_aligned(file.tell()) - file.tell()))
            file.write(struct.pack(f"<{len(offsets)}Q", *offsets))
            file.writelines(blobs)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def derive_keys(
    index_path: Path,
    conn: sqlite3.Connection,
    forms: Callable[[str], tuple[str, ...]],
    build_id: str,
) -> None:
    """Write the key table of the index at *index_path* from its ``names`` table."""
    rows = conn.execute("SELECT key, kinds, origin, name, pid FROM names ORDER BY key")
    write_keys(keys_path(index_path), rows, forms, build_id)


def open_keys(
    index_path: Path,
    conn: sqlite3.Connection,
    forms: Callable[[str], tuple[str, ...]],
    build_id: str,
) -> KeyTable:
    """Open the key table of an index, deriving it again when it is missing, damaged or
    was written for another build."""
    path = keys_path(index_path)
    try:
        return KeyTable(path, build_id)
    except (OSError, ValueError):
        pass
    try:
        derive_keys(index_path, conn, forms, build_id)
        return KeyTable(path, build_id)
    except (OSError, ValueError) as err:
        raise GazetteerIndexError(
            f"{path}: cannot write the key table of the index ({err})"
        ) from err
