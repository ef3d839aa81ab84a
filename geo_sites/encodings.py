"""Bytes to text for the files users hand us: tables and reports alike.

The encoding is decided per file, with evidence, because short Cyrillic
texts defeat statistical detectors (charset-normalizer read cp1251 tables as
big5):

1. a byte-order mark: UTF-8 or UTF-16;
2. UTF-16 without one, when every other byte of ASCII-heavy text is zero;
3. UTF-8, when the whole file is valid UTF-8;
4. otherwise a legacy Cyrillic code page: Windows-1251 or KOI8-U (which
   reads KOI8-R text alike), whichever gives the likelier text: the more
   frequent Ukrainian and Russian letters, and words in lower, Title or
   UPPER case rather than "tITLE" case.

A file whose lines are partly UTF-8 and partly not is refused, naming the
first line that is not UTF-8 and one that is: decoding it either way would
turn some of it into mojibake.

Binary data is judged by its first bytes: known formats (ZIP, PDF, images,
SQLite, gzip) are named in the error, and a start of which more than one
character in a hundred is a control character is not text.  A stray control
character further on keeps its row, with a warning naming its line.
"""

from __future__ import annotations

import logging
import re

from .exceptions import InvalidInputError, ParameterError

__all__ = ["SNIFF_BYTES", "decode", "is_text"]

log = logging.getLogger(__name__)

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
_LEGACY = ("cp1251", "koi8-u")
#: How often letters occur in Ukrainian and Russian text, per thousand letters.
_LETTERS = dict(
    zip(
        "оаеинтірсвлкмдпуяызьгбчйхжшюцщєїфэъёґ",
        (100, 80, 75, 65, 65, 60, 50, 45, 50, 45, 40, 35, 30, 30, 28, 26, 20, 18, 18, 17, 17, 16,
         14, 12, 10, 10, 7, 6, 5, 4, 4, 6, 2, 3, 1, 1, 1),
        strict=True,
    )
)  # fmt: skip
_WORD = re.compile(r"[^\W\d_]{2,}")
_ONE = "save the file in one encoding, or give its encoding"


def decode(data: bytes, where: str, encoding: str | None = None, *,
           kind: str = "text") -> tuple[str, str]:  # fmt: skip
    """Return *data* as text, and the encoding it was read in.

    *where* names the file in errors; *kind* says what was expected
    ("a text table").  A BOM is dropped.  A stray control character is
    kept, with a warning naming its line.

    Raises
    ------
    ParameterError
        For an *encoding* Python does not know.
    InvalidInputError
        For empty or binary data, for data that is partly UTF-8 and partly
        not (naming a line of each), or data that is not in the given
        *encoding*.
    """
    if not data.strip():
        raise InvalidInputError(f"{where}: the file is empty")
    if encoding is not None:
        try:
            text = data.decode(encoding).removeprefix("\ufeff")
        except LookupError:
            raise ParameterError(f"unknown encoding {encoding!r}", parameter="encoding") from None
        except UnicodeDecodeError as err:
            raise InvalidInputError(
                f"{where}: not {encoding} text ({err.reason} at byte {err.start})"
            ) from None
        _warn_control(text, where)
        return text, encoding
    for magic, what in _MAGIC.items():
        if data.startswith(magic):
            raise InvalidInputError(f"{where}: this is {what}, not {kind}")
    found = _unicode(data)
    if isinstance(found, tuple) and not _binary(found[0][:SNIFF_BYTES]):
        text, used = found
        _warn_control(text, where)
        return text.removeprefix("\ufeff"), used
    if isinstance(found, str):
        raise InvalidInputError(f"{where}: {found}")
    raise InvalidInputError(f"{where}: binary data, not text (if it is text, give its encoding)")


def is_text(data: bytes) -> bool:
    """Whether *data* (or its start) reads as text by the rule above."""
    found = _unicode(data)
    return isinstance(found, str) or (found is not None and not _binary(found[0][:SNIFF_BYTES]))


def _binary(head: str) -> bool:
    """Whether the start of a text is binary data: more than 1 % control characters."""
    controls = len(_CONTROL.findall(head))
    return controls > 1 and controls * 100 > len(head)


def _warn_control(text: str, where: str) -> None:
    found = _CONTROL.search(text)
    if found:
        line = text.count("\n", 0, found.start()) + 1
        more = len(_CONTROL.findall(text)) - 1
        log.warning(
            "%s, line %d: a control character (U+%04X)%s; the row is kept",
            where, line, ord(found.group()),
            f" and {more:,} more" if more else "",
        )  # fmt: skip


def _unicode(data: bytes) -> tuple[str, str] | str | None:
    """The text and its encoding; a reason when the file mixes encodings; None if binary."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _try(data, "utf-16")
    if data.startswith(b"\xef\xbb\xbf"):
        return _try(data, "utf-8-sig")
    head = data[:SNIFF_BYTES]
    if head.count(0) > 1:
        # UTF-16 without a BOM: ASCII characters leave every other byte zero.
        even, odd = head[0::2].count(0), head[1::2].count(0)
        if max(even, odd) > len(head) // 4 and min(even, odd) == 0:
            return _try(data, "utf-16-be" if even else "utf-16-le")
    found = _try(data, "utf-8")
    if found is not None:
        return found
    mixed = _mixed(data)
    if mixed is not None:
        return mixed
    # Score a sample, then decode the whole file with the likelier code page.
    sample = data[: 4 * SNIFF_BYTES]
    ranked = sorted(_LEGACY, key=lambda e: -_likelihood(sample.decode(e, "replace")))
    return next((t for t in (_try(data, e) for e in ranked) if t is not None), None)


def _try(data: bytes, encoding: str) -> tuple[str, str] | None:
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return None


def _mixed(data: bytes) -> str | None:
    """The reason to refuse a file that is not UTF-8 as a whole but has lines of UTF-8 text."""
    text = data.decode("utf-8", "replace")
    utf8 = next(
        (n for n, line in enumerate(text.split("\n"), 1)
         if "\ufffd" not in line and not line.isascii() and _plausible(line)),
        0,
    )  # fmt: skip
    if not utf8:
        return None
    bad = text.count("\n", 0, text.index("\ufffd")) + 1
    return f"not one encoding: line {bad} is not UTF-8, but line {utf8} is; {_ONE}"


def _plausible(text: str) -> bool:
    """Whether a line's non-ASCII characters are Latin or Cyrillic letters or punctuation.

    A line of cp1251 seldom happens to be valid UTF-8, and then it reads as
    modifier letters, Greek or Armenian rather than words.
    """
    return all(
        c.isascii() or "\u00c0" <= c <= "\u017f" or "\u0400" <= c <= "\u045f"
        or c in "\u0490\u0491«»—–‘’“”„№…€°"
        for c in text
    )  # fmt: skip


def _likelihood(text: str) -> float:
    """How much *text* looks like Cyrillic text: letter frequencies, natural word case."""
    letters = [c for c in text if not c.isascii()]
    if not letters:
        return 0.0
    score = sum(_LETTERS.get(c.lower(), -20) for c in letters) / len(letters)  # U+FFFD: -20
    words = [w for w in _WORD.findall(text) if not w.isascii()]
    if words:
        odd = sum(not (w.islower() or w.isupper() or w.istitle()) for w in words)
        score -= 100 * odd / len(words)
    return score
