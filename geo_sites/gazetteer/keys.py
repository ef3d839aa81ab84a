"""The names of the index by key: a memory-mapped file beside the SQLite index.

A look-up in SQLite costs a statement; the resolver wants a dictionary.  This
file is that dictionary, derived from the ``names`` table after every build
or addition, opened without reading it, and shared between processes by the
page cache:

- a MARISA trie (``marisa-trie``, one level: faster to search) numbers the keys;
- an array of offsets gives, for each number, where its entry lies in the file;
- an entry is the marshalled quadruple ``(exact, skeleton, forms, met)``: the
  names that give the key as their exact key and as a transliteration
  skeleton, each an ``(origin, name, pid)`` tuple; the skeletons of the key
  itself (None when the key is its own only skeleton); and what meets the key,
  ``(form, names)`` for each of its forms that the table holds with the names
  it is the skeleton of, so that a look-up of a key the table holds reads one
  entry and romanises nothing;
- each entry is followed by its CRC-32 checksum, so that one read gives both.

A build derives what meets every key.  An addition writes again the entries
of the keys it brings names to, and of every key one of whose forms is such a
key; it copies the others, none of whose forms it touches, as they are.

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
import re
import struct
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from ..exceptions import DamagedIndexError, GazetteerIndexError

if TYPE_CHECKING:
    import sqlite3

__all__ = [
    "Entry",
    "Forms",
    "KeyTable",
    "Met",
    "Names",
    "derive_keys",
    "keys_path",
    "temporary_path",
    "write_keys",
]

Names = tuple[tuple[int, str, int], ...]  # (origin, name, pid)
#: A key's own skeletons, its forms; None when the key is its only one.
Forms = tuple[str, ...] | None
#: What meets a key: each of its forms that the table holds, with the names of that skeleton.
Met = tuple[tuple[str, Names], ...]
#: The names of one key, under its exact key and its skeleton; its forms; what meets it.
Entry = tuple[Names, Names, Forms, Met]

_MAGIC = b"GSKEYS04"  # the format: bump it whenever the layout of the file or an entry changes
# magic, marshal version, number of keys, trie bytes, build id of the SQLite index, trie CRC-32
_HEADER = struct.Struct("<8sIQQ32sI")
# The CRC-32 of bytes followed by their own CRC-32 (little-endian) is always this number.
_CHECKED = 0x2144DF1C
# An addition that gives at most this many skeletons finds the entries to write again by a
# search of their bytes; a longer pattern costs more than decoding them.
_SEARCHED = 8


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

    def entries(self) -> Iterator[tuple[str, bytes]]:
        """Yield every key with its entry as marshalled bytes, followed by their checksum.

        Raises
        ------
        DamagedIndexError
            If an entry does not match its checksum.
        """
        data, offsets = self._map, self._offsets
        for key, kid in self._trie.iteritems():
            checked = data[offsets[kid] : offsets[kid + 1]]
            if zlib.crc32(checked) != _CHECKED:
                raise DamagedIndexError(f"the key table is damaged: the entry of {key!r} is wrong")
            yield key, checked

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
    every key the rows do not give, unless one of its forms is such a key:
    what meets it is derived again.  The file is written at *path*: write it
    under :func:`temporary_path` and rename it, as :func:`derive_keys` does.
    """
    import marisa_trie

    # Entries stay marshalled until written: a million tuples held at once would leave the
    # heap scattered, and every later collection of the process slower.
    given = _given(rows, forms)
    checked = {} if keep is None else _kept(keep, given)  # entries and their checksums
    for key, blob in given.items():
        exact, skeleton, own = marshal.loads(blob)[:3]
        met = _met(key, skeleton, own, given, checked)
        blob = marshal.dumps((exact, skeleton, own, met))
        checked[key] = given[key] = blob + zlib.crc32(blob).to_bytes(4, "little")
    trie = marisa_trie.Trie(checked, num_tries=1)  # a third bigger than the default, faster
    blobs: list[bytes] = [b""] * len(trie)
    for key, entry in checked.items():
        blobs[trie[key]] = entry
    trie_bytes = trie.tobytes()
    start = _aligned(_HEADER.size + len(trie_bytes)) + 8 * (len(blobs) + 1)
    offsets = itertools.accumulate(map(len, blobs), initial=start)
    with open(path, "wb") as file:
        file.write(_HEADER.pack(_MAGIC, marshal.version, len(blobs), len(trie_bytes),
                                build_id.encode(), zlib.crc32(trie_bytes)))  # fmt: skip
        file.write(trie_bytes)
        file.write(b"\0" * (_aligned(file.tell()) - file.tell()))
        file.write(struct.pack(f"<{len(blobs) + 1}Q", *offsets))
        file.writelines(blobs)


def _given(
    rows: Iterable[tuple[str, int, int, str, int]], forms: Callable[[str], tuple[str, ...]]
) -> dict[str, bytes]:
    """Return, for each key of the rows, its names by kind and its forms, marshalled."""
    given = {}
    for key, group in itertools.groupby(rows, key=lambda row: row[0]):
        exact, skeleton = [], []
        for _, kinds, origin, name, pid in group:
            hit = (origin, name, pid)
            if kinds & 1:
                exact.append(hit)
            if kinds & 2:
                skeleton.append(hit)
        own = forms(key)
        own_forms = None if own == (key,) else own
        given[key] = marshal.dumps((tuple(exact), tuple(skeleton), own_forms))
    return given


def _kept(keep: KeyTable, given: dict[str, bytes]) -> dict[str, bytes]:
    """Return the entries of *keep* (with their checksums) that stay as they are.

    The others, of keys one of whose forms is a skeleton given, are added to
    *given*, to be written again.
    """
    skeletons = {key for key, blob in given.items() if marshal.loads(blob)[1]}
    # An entry whose bytes do not hold one of them has none (marshal writes a string's
    # UTF-8 once): for a few, a search spares decoding every entry.
    touched = None
    if len(skeletons) <= _SEARCHED:
        touched = re.compile(b"|".join(re.escape(k.encode("utf-8", "surrogatepass"))
                                       for k in skeletons) or b"(?!)")  # fmt: skip
    kept = {}
    for key, checked in keep.entries():
        if key in given:
            continue
        if touched is None or touched.search(checked):
            own = marshal.loads(checked)[2]
            if own is not None and not skeletons.isdisjoint(own):
                given[key] = checked  # its names and forms, read again with the others
                continue
        kept[key] = checked
    return kept


def _met(key: str, skeleton: Names, own: Forms, given: dict[str, bytes],
         kept: dict[str, bytes]) -> Met:  # fmt: skip
    """Return what meets *key*: each of its forms in the table, with the names of that skeleton."""
    if own is None:
        return ((key, skeleton),) if skeleton else ()
    met = []
    for form in own:
        if form == key:
            names = skeleton
        elif (blob := given.get(form, kept.get(form))) is not None:
            names = marshal.loads(blob)[1]
        else:
            continue
        if names:
            met.append((form, names))
    return tuple(met)


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
