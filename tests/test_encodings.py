from __future__ import annotations

import pytest

from geo_sites.encodings import decode, is_text
from geo_sites.exceptions import InvalidInputError

TEXT = "Ізюм, Харківська область: 447 тіл. Izium, Kharkiv region."


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (TEXT.encode("utf-8"), "utf-8"),
        (b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),
        ("Izium, Kharkiv region, 447 bodies".encode("utf-16-le"), "utf-16-le"),
        (TEXT.replace("і", "i").replace("Ізюм", "Изюм").encode("cp1251"), "cp1251"),
    ],
)
def test_encodings_are_detected(data: bytes, encoding: str) -> None:
    text, used = decode(data, "r.txt")
    assert used == encoding and not text.startswith("\ufeff") and "Izium" in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"  \n\t", "r.txt: the file is empty"),
        (b"%PDF-1.7\n...", "r.txt: this is a PDF document, not text"),
        (bytes(range(256)) * 4, "r.txt: binary data, not text"),
    ],
)
def test_not_text(data: bytes, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message):
        decode(data, "r.txt")


def test_is_text() -> None:
    assert is_text(TEXT.encode("cp1251", errors="replace")) and is_text(TEXT.encode("utf-16"))
    assert not is_text(bytes(range(256)) * 4)


def test_a_given_encoding_is_used_or_refused() -> None:
    assert decode(TEXT.encode("koi8-u"), "r.txt", "koi8-u") == (TEXT, "koi8-u")
    with pytest.raises(InvalidInputError, match=r"r.txt: not ascii text \(ordinal not in range"):
        decode(TEXT.encode("utf-8"), "r.txt", "ascii")
    with pytest.raises(InvalidInputError, match="unknown encoding 'nope'"):
        decode(b"x", "r.txt", "nope")
