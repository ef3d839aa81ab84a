"""The text that is read, without the characters that hide words, and its way back.

Reports copied from the web carry characters a reader does not see and
look-alikes a reader cannot tell apart, and they cut or disguise place names:
a soft hyphen in "Khar\\u00adkiv", a zero-width space in "Bu\\u200bcha", a
Cyrillic "В" in "Вucha".  :func:`normalise` returns the text that places and
events are read in:

* format characters (Unicode category Cf: soft hyphens, zero-width spaces
  and joiners, direction marks, the BOM) are dropped;
* compatibility forms that stand for letters, digits or spaces become them
  (NFKC): fullwidth "Ｋｙｉｖ", ligatures "ﬁ", no-break and thin spaces; an
  ellipsis "…" or other punctuation stays as it is, since it tells where a
  sentence ends;
* in a word that mixes Latin with Cyrillic or Greek letters, the letters of
  the fewer script become their look-alikes in the other, where they have
  one ("Вucha" → "Bucha", "Kиїв" → "Київ"), with the confusables of Unicode
  TR39 (:mod:`confusable_homoglyphs`).

:meth:`Normalised.original` maps offsets back, so that quotes and offsets in
provenance point at the text as written.  Every step is linear in the length
of the text, and plain ASCII text is returned as it is.
"""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass, field

__all__ = ["Normalised", "normalise"]

_LATIN = "A-Za-z"
_OTHER = "\u0370-\u03ff\u1f00-\u1fff\u0400-\u052f"  # Greek and Cyrillic letters
# A word that holds both scripts has a run of Cyrillic or Greek letters beside a Latin one.
_OTHER_RUN = re.compile(f"[{_OTHER}]+")
_LETTERS = re.compile(r"[^\W\d_]*")
_SCRIPTS = {
    "LATIN": re.compile(f"[{_LATIN}]"),
    "CYRILLIC": re.compile("[\u0400-\u052f]"),
    "GREEK": re.compile("[\u0370-\u03ff\u1f00-\u1fff]"),
}


@dataclass(frozen=True, slots=True)
class Normalised:
    """The text to read, and where each of its characters stands in the text as written.

    ``starts`` and ``origins`` are breakpoints: from ``starts[k]`` on, the
    text runs parallel to the original from ``origins[k]`` on.
    """

    text: str
    original: str
    starts: tuple[int, ...] = field(default=(), repr=False)
    origins: tuple[int, ...] = field(default=(), repr=False)

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The offsets in the original text of ``text[start:end]``."""
        if not self.starts:
            return start, end
        if end <= start:
            at = self._origin(start)
            return at, at
        return self._origin(start), self._origin(end - 1) + 1

    def _origin(self, position: int) -> int:
        k = bisect.bisect_right(self.starts, position) - 1
        return position if k < 0 else self.origins[k] + position - self.starts[k]


def normalise(text: str) -> Normalised:
    """The text with format characters dropped, compatibility forms folded and mixed-script
    words in one script; see the module's docstring.

    Examples
    --------
    >>> normalise("Khar\\u00adkiv and Вucha").text
    'Kharkiv and Bucha'
    """
    if text.isascii():
        return Normalised(text, text)
    pieces: list[str] = []
    starts: list[int] = []
    origins: list[int] = []
    length = done = 0  # the length of the new text so far; the original's characters read
    for found in _odd_characters().finditer(text):
        at = found.start()
        replacement = _replacement(found.group())
        if replacement == found.group():
            continue
        pieces.append(text[done:at])
        length += at - done
        pieces.append(replacement)
        for offset in range(len(replacement)):
            starts.append(length + offset)
            origins.append(at)
        length += len(replacement)
        done = found.end()
        starts.append(length)
        origins.append(done)
    pieces.append(text[done:])
    folded = "".join(pieces) if starts else text
    folded = _in_one_script(folded)  # the same length: offsets hold
    return Normalised(folded, text, tuple(starts), tuple(origins))


@functools.cache
def _odd_characters() -> re.Pattern[str]:
    """Format characters, and those that NFKC folds into letters, digits or spaces."""
    odd = "".join(
        re.escape(c)
        for c in map(chr, range(0x80, 0x10000))
        if unicodedata.category(c) == "Cf" or _folded(c) != c
    )
    # Beyond the first plane, every character is looked at: a class of the few there would
    # be a list the engine goes through at each character, where one of the first plane's
    # is a table.
    return re.compile(f"[{odd}]|[^\x00-\uffff]")


def _folded(character: str) -> str:
    folded = unicodedata.normalize("NFKC", character)
    if folded == character:
        return character
    if (folded.isalnum() or folded.isspace()) or unicodedata.name(character, "").startswith(
        "FULLWIDTH"
    ):
        return " " if folded.isspace() else folded
    return character


@functools.cache
def _replacement(character: str) -> str:
    return "" if unicodedata.category(character) == "Cf" else _folded(character)


def _in_one_script(text: str) -> str:
    """*text* with each word that mixes scripts in one (see :func:`_one_script`)."""
    pieces = []
    done = 0  # the text before this is written out, or read
    for run in _OTHER_RUN.finditer(text):
        start, end = run.span()
        if start < done:
            continue  # in a word already read
        if not (start and text[start - 1] in _ASCII_LETTERS) and text[end : end + 1] not in (
            _ASCII_LETTERS
        ):
            continue
        while start > done and text[start - 1].isalpha():
            start -= 1
        rest = _LETTERS.match(text, end)
        end = rest.end() if rest else end
        pieces += [text[done:start], _one_script(text[start:end])]
        done = end
    return "".join([*pieces, text[done:]]) if pieces else text


_ASCII_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _one_script(word: str) -> str:
    """The word in the script most of its letters are in, where its other letters allow."""
    sizes = {script: len(pattern.findall(word)) for script, pattern in _SCRIPTS.items()}
    script = max(sizes, key=lambda s: sizes[s])  # Latin when even: the reports are English
    return "".join(
        c if not c.isalpha() or _script(c) in (script, None) else _look_alike(c, script) or c
        for c in word
    )


def _script(letter: str) -> str | None:
    return next((s for s, pattern in _SCRIPTS.items() if pattern.match(letter)), None)


@functools.cache
def _look_alike(letter: str, script: str) -> str | None:
    """The letter of *script* (LATIN, CYRILLIC or GREEK) that looks like *letter*."""
    from confusable_homoglyphs import categories, confusables

    found = confusables.is_confusable(letter, greedy=True, preferred_aliases=[])
    for entry in found or ():
        for glyph in entry["homoglyphs"]:
            if len(glyph["c"]) == 1 and categories.alias(glyph["c"]) == script:
                return str(glyph["c"])
    return None
