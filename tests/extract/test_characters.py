"""The text places are read in: format characters, compatibility forms, mixed scripts."""

from __future__ import annotations

import pytest

from geo_sites.extract.characters import normalise


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("Khar\u00adkiv", "Kharkiv"),  # soft hyphen
        ("Bu\u200bcha", "Bucha"),  # zero-width space
        ("Kha\u00adrkiv and I\u200dz\u2060ium\ufeff", "Kharkiv and Izium"),  # joiners, BOM
        ("\u200eOdesa\u202c", "Odesa"),  # direction marks
        ("\u0412ucha", "Bucha"),  # a Cyrillic capital Ve in a Latin word
        ("Kh\u0430rk\u0456v", "Kharkiv"),  # Cyrillic a and i inside
        ("\u039aharkiv", "Kharkiv"),  # a Greek Kappa
        ("K\u0438\u0457\u0432", "\u041a\u0438\u0457\u0432"),  # a Latin K in a Cyrillic word
        ("\uff2b\uff59\uff49\uff56", "Kyiv"),  # fullwidth letters
        ("\ufb01re in Mariupol", "fire in Mariupol"),  # a ligature
        ("Kryvyi\u00a0Rih, 4\u202f000", "Kryvyi Rih, 4 000"),  # no-break spaces
        ("Izium\u2026 Russia", "Izium\u2026 Russia"),  # punctuation stays: it ends sentences
        ("\u0417\u0430\u043f\u043e\u0440\u0456\u0436\u0436\u044f", "Запоріжжя"),  # one script
        ("Kharkiv's 2\u00b2", "Kharkiv's 22"),  # superscripts are digits
    ],
)
def test_what_is_read(written: str, read: str) -> None:
    assert normalise(written).text == read


def test_offsets_point_at_the_text_as_written() -> None:
    written = "date\u200b 2022\n\ufb01ve in Khar\u00adkiv and \uff2b\uff59\uff49\uff56; \u0412ucha."
    view = normalise(written)
    assert view.text == "date 2022\nfive in Kharkiv and Kyiv; Bucha."
    cases = [("date", "date"), ("five", "\ufb01ve"), ("fi", "\ufb01"),
             ("Kharkiv", "Khar\u00adkiv"), ("Kyiv", "\uff2b\uff59\uff49\uff56"),
             ("Bucha.", "\u0412ucha."), ("2022\nfive", "2022\n\ufb01ve")]  # fmt: skip
    for word, as_written in cases:
        start = view.text.index(word)
        first, last = view.span(start, start + len(word))
        assert written[first:last] == as_written
    assert view.span(0, len(view.text)) == (0, len(written))


def test_ascii_is_left_alone() -> None:
    text = "Shelling hit Kharkiv."
    view = normalise(text)
    assert view.text is text and view.span(3, 9) == (3, 9)
