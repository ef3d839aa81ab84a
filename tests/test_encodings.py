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


UKRAINIAN = (
    "Ізюм, Харківська область: у лісі біля міста знайшли масове поховання, 447 тіл.\n"
    "Тростянець, Сумська область: камера катувань на залізничному вокзалі.\n"
)
RUSSIAN = "Изюм, Харьковская область: в лесу у города нашли массовое захоронение.\n"


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        (UKRAINIAN, "cp1251"),
        (UKRAINIAN, "koi8-u"),
        (RUSSIAN, "cp1251"),
        (RUSSIAN, "koi8-r"),
        ("МІСТО;ОБЛАСТЬ\nІзюм;Харківська\nБуча;Київська\n", "koi8-u"),
        ("місто;кількість\nізюм;447\nбуча;458\n", "cp1251"),
    ],
    ids=["uk-cp1251", "uk-koi8", "ru-cp1251", "ru-koi8", "upper-koi8", "lower-cp1251"],
)
def test_legacy_cyrillic_is_told_apart(text: str, encoding: str) -> None:
    decoded, used = decode(text.encode(encoding), "r.txt")
    assert decoded == text
    assert used == ("koi8-u" if encoding.startswith("koi8") else "cp1251")


def test_a_file_of_two_encodings_is_refused_with_the_line() -> None:
    data = "id;place\n1;Ізюм\n".encode() + "2;Харків\n".encode("cp1251") + b"3;Bucha\n"
    with pytest.raises(InvalidInputError) as caught:
        decode(data, "t.csv")
    assert str(caught.value) == (
        "t.csv: not one encoding: line 3 is not UTF-8, but line 2 is; save the file in one "
        "encoding, or give its encoding"
    )
    # The other way round: a cp1251 file with one UTF-8 line.
    data = "1;Ізюм\n".encode("cp1251") + "2;Харків\n".encode()
    with pytest.raises(InvalidInputError, match="line 1 is not UTF-8, but line 2 is"):
        decode(data, "t.csv")


def test_a_stray_control_character_keeps_the_text(caplog: pytest.LogCaptureFixture) -> None:
    lines = [f"{n},Ізюм,{n % 7}" for n in range(20_000)]
    lines[12_344] += "\x07"
    data = "\n".join(lines).encode()
    with caplog.at_level("WARNING", "geo_sites"):
        text, used = decode(data, "t.csv")
    assert used == "utf-8" and text.count("\n") == 19_999 and "\x07" in text
    assert caplog.messages == ["t.csv, line 12345: a control character (U+0007); the row is kept"]
    # A start full of control characters is binary data, whatever follows.
    with pytest.raises(InvalidInputError, match="binary data, not text"):
        decode(bytes(range(32)) * 100 + data, "t.csv")
