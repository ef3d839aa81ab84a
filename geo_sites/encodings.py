"""Bytes to text for the files users hand us: tables and reports alike.

The rule is small and explicit, because short Cyrillic texts defeat
statistical detectors (charset-normalizer read cp1251 tables as big5):

1. a byte-order mark: UTF-8 or UTF-16;
2. UTF-16 without one, when every other byte of ASCII-heavy text is zero;
3. UTF-8;
4. Windows-1251, the encoding of older Ukrainian and Russian files.

Text with control characters is not text.  Known binary formats (ZIP,
PDF, images, SQLite, gzip) are named in the error.
"""

from __future__ import annotations

import re

from .exceptions import InvalidInputError

__all__ = ["SNIFF_BYTES", "decode", "is_text"]

SNIFF_BYTES = 64 * 1024
_MAGIC = {
    b"PK\x03\x04": "a ZIP archive (an .xlsx workbook or a .docx document?)",
    b"%PDF": "a PDF document",
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"SQLite format 3\x00": "an SQLite database (a GeoPackage?)",
    b"\xd0\xcf\x11\xe0": "an old Office document (.xls or .doc)",
    b"\x1f\x8b": "a gzip archive",
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(data: bytes, where: str, encoding: str | None = None, *,
           kind: str = "text") -> tuple[str, str]:  # fmt: skip
    """Return *data* as text, and the encoding it was read in.

    *where* names the file in errors; *kind* says what was expected
    ("a text table").  A BOM is dropped.

    Raises
    ------
    InvalidInputError
        For empty or binary data, or data that is not in the given *encoding*.
    """
    if not data.strip():
        raise InvalidInputError(f"{where}: the file is empty")
    if encoding is not None:
        try:
            return data.decode(encoding).removeprefix("\ufeff"), encoding
        except LookupError:
            raise InvalidInputError(f"unknown encoding {encoding!r}") from None
        except UnicodeDecodeError as err:
            raise InvalidInputError(
                f"{where}: not {encoding} text ({err.reason} at byte {err.start})"
            ) from None
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InvalidInputError(f"{where}: this is {what}, not {kind}")
    found = _unicode(data)
    if found is None:
        raise InvalidInputError(
            f"{where}: binary data, not text (give --encoding if it is text in another encoding)"
        )
    text, used = found
    return text.removeprefix("\ufeff"), used


def is_text(data: bytes) -> bool:
    """Whether *data* (or its start) reads as text by the rule above."""
    return _unicode(data) is not None


def _unicode(data: bytes) -> tuple[str, str] | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _try(data, "utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return _try(data, "utf-8-sig")
    head = data[:SNIFF_BYTES]
    if b"\x00" in head:
        # UTF-16 without a BOM: ASCII characters leave every other byte zero.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > len(head) // 4 and min(even, odd) == 0:
            return _try(data, "utf-16-be" if even else "utf-16-le")
        return None
    return _try(data, "utf-8") or _try(data, "cp1251")


def _try(data: bytes, encoding: str) -> tuple[str, str] | None:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    return None if _CONTROL.search(text) else (text, encoding)
