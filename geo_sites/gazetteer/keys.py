"""The names of the index by key: a memory-mapped file beside the SQLite index.

A look-up in SQLite costs a statement; the resolver wants a dictionary.  This
file is that dictionary, derived from the ``names`` table after every build
or addition, opened without reading it, and shared between processes by the
page cache:

- a MARISA trie (``marisa-trie``) numbers the keys;
- an array of offsets gives, for each number, where its entry lies in the file;
- an entry is the marshalled triple ``(exact, skeleton, forms)``: the names that
  give the key as their exact key and as a transliteration skeleton, each an
  ``(origin, name, pid)`` tuple, and the skeletons of the key itself (None when
  the key is its own only skeleton), so that a query the index knows is not
  romanised again; it is followed by its CRC-32 checksum, so that one read
  gives both.

The header names the build of the SQLite index it was derived from, so a
file left from another build is never used, and holds the checksum of the
trie, checked when the file is opened; each entry is checked against its
checksum when it is read, so a damaged file is noticed before its bytes are
decoded (:class:`~geo_sites.exceptions.DamagedIndexError`) and derived again.
"""

from __future__ import annotations

import itertools
import marshal
import mmap
import os
import struct
import zlib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import DamagedIndexError, GazetteerIndexError

if TYPE_CHECKING:
    import sqlite3

__all__ = ["Entry", "KeyTable", "derive_keys", "keys_path", "temporary_path", "write_keys"]

Names = tuple[tuple[int, str, int], ...]  # (origin, name, pid)
#: The names of one key, under its exact key and its skeleton, and the key's own skeletons.
Entry = tuple[Names, Names, tuple[str, ...] | None]

_MAGIC = b"GSKEYS03"  # the format: bump it whenever the layout of the file or an entry changes
# magic, marshal version, number of keys, trie bytes, build id of the SQLite index, trie CRC-32
_HEADER = struct.Struct("<8sIQQ32sI")
# The CRC-32 of bytes followed by their own CRC-32 (little-endian) is always this number.
_CHECKED = 0x2144DF1C


def keys_path(index_path: str | os.PathLike[str]) -> Path:
    """Return where the key table of the SQLite index at *index_path* lives."""
    return Path(index_path).with_suffix(".keys")


def temporary_path(path: str | os.PathLike[str]) -> Path:
    """Return the name a file is written under before it is renamed to *path*.

    The name carries the writer's process id, so a file left by a killed
    process can be told from one being written (see :mod:`.home`).
    """
    path = Path(path)
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


class KeyTable:
    """Read-only access to a key table written by :func:`write_keys`."""

    def __init__(self, path: str | os.PathLike[str], build_id: str) -> None:
        import marisa_trie

        with open(path, "rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            magic, version, count, trie_bytes, built_for, crc = _HEADER.unpack_from(self._map)
            if (magic, version, built_for) != (_MAGIC, marshal.version, build_id.encode()):
                raise ValueError("written for another build")
            start = _HEADER.size
            trie = self._map[start : start + trie_bytes]
            if len(trie) != trie_bytes or zlib.crc32(trie) != crc:
                raise ValueError("damaged: the trie does not match its checksum")
            self._trie = marisa_trie.Trie().frombytes(trie)
            start = _aligned(start + trie_bytes)
            end = start + 8 * (count + 1)
            if len(self._map) < end or len(self._trie) != count:
                raise ValueError("truncated")
            with memoryview(self._map) as view:
                self._offsets = view[start:end].cast("Q")
            if self._offsets[0] != end or self._offsets[-1] != len(self._map):
                raise ValueError("truncated")
        except (ValueError, struct.error, RuntimeError) as err:  # marisa: RuntimeError
            self.close()
            raise ValueError(f"not a usable key table ({err})") from None

    def get(self, key: str) -> Entry | None:
        """Return the names under *key*, or None.

        Raises
        ------
        DamagedIndexError
            If the entry does not match its checksum.
        """
        kid = self._trie.get(key)
        if kid is None:
            return None
        offsets = self._offsets
        checked = self._map[offsets[kid] : offsets[kid + 1]]  # the entry and its checksum
        if zlib.crc32(checked) == _CHECKED:
            entry: Entry = marshal.loads(checked)  # the bytes after the entry are not read
            return entry
        raise DamagedIndexError(f"the key table is damaged: the entry of {key!r} is wrong")

    def entries(self) -> dict[str, bytes]:
        """Return every entry, as its marshalled bytes, by key.

        Raises
        ------
        DamagedIndexError
            If an entry does not match its checksum.
        """
        data, offsets = self._map, self._offsets
        entries = {}
        for key, kid in self._trie.iteritems():
            checked = data[offsets[kid] : offsets[kid + 1]]
            if zlib.crc32(checked) != _CHECKED:
                raise DamagedIndexError(f"the key table is damaged: the entry of {key!r} is wrong")
            entries[key] = checked[:-4]
        return entries

    def close(self) -> None:
        """Release the mapping."""
        view = self.__dict__.pop("_offsets", None)
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
    *,
    keep: KeyTable | None = None,
) -> None:
    """Write the key table of ``names`` rows ``(key, kinds, origin, name, pid)``, sorted by key.

    *kinds* has bit 1 for an exact key, bit 2 for a skeleton; *forms* gives the
    skeletons of a key.  With *keep*, the entries of that table are kept for
    every key the rows do not give.  The file is written at *path*: write it
    under :func:`temporary_path` and rename it, as :func:`derive_keys` does.
    """
    import marisa_trie

    entries: dict[str, bytes] = {} if keep is None else keep.entries()
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
    checked = [blob + zlib.crc32(blob).to_bytes(4, "little") for blob in blobs]
    start = _aligned(_HEADER.size + len(trie_bytes)) + 8 * (len(checked) + 1)
    offsets = itertools.accumulate(map(len, checked), initial=start)
    with open(path, "wb") as file:
        file.write(_HEADER.pack(_MAGIC, marshal.version, len(blobs), len(trie_bytes),
                                build_id.encode(), zlib.crc32(trie_bytes)))  # fmt: skip
        file.write(trie_bytes)
        file.write(b"\0" * (_aligned(file.tell()) - file.tell()))
        file.write(struct.pack(f"<{len(checked) + 1}Q", *offsets))
        file.writelines(checked)


def derive_keys(
    path: Path,
    conn: sqlite3.Connection,
    forms: Callable[[str], tuple[str, ...]],
    build_id: str,
    *,
    keep: KeyTable | None = None,
) -> None:
    """Write the key table of the index open on *conn* to *path*, from its ``names`` table.

    With *keep*, the key table of the index before a source was added, only
    the keys listed in the temporary table ``changed_keys`` are read again.

    Raises
    ------
    GazetteerIndexError
        If it cannot be written.
    """
    if keep is None:
        sql = "SELECT key, kinds, origin, name, pid FROM names ORDER BY key"
    else:
        sql = ("SELECT key, kinds, origin, name, pid FROM names "
               "WHERE key IN (SELECT key FROM temp.changed_keys) ORDER BY key")  # fmt: skip
    rows = conn.execute(sql)
    try:
        write_keys(path, rows, forms, build_id, keep=keep)
    except OSError as err:
        raise GazetteerIndexError(
            f"{path.parent}: cannot write the key table of the index ({err.strerror or err})"
        ) from err
