from __future__ import annotations

import pytest

from geo_sites.exceptions import InvalidInputError
from geo_sites.jsontext import loads


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ('["\\ud83d\\ude00"]', ["\U0001f600"]),  # a pair is one character
        ('["\\\\ud800"]', ["\\ud800"]),  # an escaped backslash, then the letters "ud800"
        ('{"n": 12345678901234567890}', {"n": 12345678901234567890}),
    ],
)
def test_valid_json(text: str, value: object) -> None:
    assert loads(text, "t.json") == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('["a",\n "\\ude00 b"]', r"t.json: a lone surrogate \(\\ude00\) at line 2 column 3"),
        ('["\\ud83d\\u0041"]', r"a lone surrogate \(\\ud83d\) at line 1 column 3"),
        ('["\\\\\\ud800"]', r"a lone surrogate \(\\ud800\) at line 1 column 5"),
        ("[" * 5_000 + "]" * 5_000, r"t.json: not valid JSON \(nested too deeply\)"),
        ("[" + "1" * 4_301 + "]", r"not valid JSON \(a number of more than 4,300 digits\)"),
        ('{"a": }', r"not valid JSON \(Expecting value, line 1 column 7\)"),
    ],
)
def test_unusable_json_is_one_line(text: str, message: str) -> None:
    with pytest.raises(InvalidInputError, match=message) as caught:
        loads(text, "t.json")
    assert "\n" not in str(caught.value)
