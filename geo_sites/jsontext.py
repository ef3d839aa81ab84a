"""JSON text users hand us, parsed with one-line errors: tables and records alike.

Besides syntax errors, JSON can be valid and still unusable: nested deeper
than Python parses, integers longer than Python converts (4,300 digits), or
strings holding a lone UTF-16 surrogate (``"\\ud800"``), which no UTF-8
output can write.  Each is refused with the file and the place.
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

from .exceptions import InvalidInputError

__all__ = ["loads"]

_SURROGATE = re.compile(r"(\\+)u([dD][89a-fA-F][0-9a-fA-F]{2})")


def loads(text: str, where: str) -> Any:
    """Parse *text*; errors name *where* (the file, and the line or record).

    Raises
    ------
    InvalidInputError
        For invalid JSON, JSON nested too deeply, a number of too many digits
        or a lone surrogate in a string.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise InvalidInputError(
            f"{where}: not valid JSON ({err.msg}, line {err.lineno} column {err.colno})"
        ) from None
    except RecursionError:
        raise InvalidInputError(f"{where}: not valid JSON (nested too deeply)") from None
    except ValueError:  # only the limit of integer digits raises a plain ValueError
        raise InvalidInputError(
            f"{where}: not valid JSON (a number of more than "
            f"{sys.get_int_max_str_digits():,} digits)"
        ) from None
    if "\\u" in text and _SURROGATE.search(text):
        _refuse_lone_surrogates(text, data, where)
    return data


def _refuse_lone_surrogates(text: str, data: Any, where: str) -> None:
    try:
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        return  # every surrogate escape is half of a pair
    escapes = [
        (m.start(2) - 2, m.group(2).lower())  # the offset of the backslash
        for m in _SURROGATE.finditer(text)
        if len(m.group(1)) % 2  # an escaped backslash followed by "u" is no escape
    ]
    for i, (offset, code) in enumerate(escapes):
        high = code[1] in "89ab"
        if high:
            paired = i + 1 < len(escapes) and escapes[i + 1][0] == offset + 6
            paired = paired and escapes[i + 1][1][1] not in "89ab"
        else:
            paired = i > 0 and escapes[i - 1][0] == offset - 6 and escapes[i - 1][1][1] in "89ab"
        if not paired:
            line = text.count("\n", 0, offset) + 1
            column = offset - text.rfind("\n", 0, offset)
            raise InvalidInputError(
                f"{where}: a lone surrogate (\\u{code}) at line {line} column {column}: "
                "half of a UTF-16 pair, not a character; no output can hold it"
            )
    raise InvalidInputError(f"{where}: a string that is not Unicode text (a lone surrogate)")
