"""Sentences with their character offsets, quickly.

A sentence ends at ``.``, ``!`` or ``?`` (and any closing quotes or brackets)
followed by space and a capital, a digit or an opening quote; not after an
abbreviation ("Mr.", "Sept.", "U.S.") or an initial ("J. Smith"), and not at
an ellipsis ("Bucha, Mariupol and now Izium… Russia leaves death").  A blank
line always ends one, and so does a line break after a line that does not
run on (a headline, a caption; not a text wrapped mid-sentence).

A "sentence" longer than :data:`LONGEST` characters (a text without full
stops, a table flattened into one line) is cut at spaces into parts of at
most that length, so that the work done on each sentence stays bounded and
reading stays linear in the length of the text.

Rule-based on purpose: pysbd, the maintained rule-based splitter, reads
about 50 kB a second, and reports must be read at a megabyte a second.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["LONGEST", "Sentence", "sentences"]

#: The longest sentence, in characters; longer runs of text are cut at spaces.
LONGEST = 2_000

_BOUNDARY = re.compile(
    r"[.!?]+[\"”’')\]]*(?=\s+[\"“‘'(\[]?[A-ZА-ЯІЇЄҐ0-9])"  # end mark, then a new sentence
    r"|\n[ \t]*\n\s*"  # a blank line
    r"|\n"  # a line break: a boundary unless the line runs on
)
_ABBREVIATIONS = frozenset(
    ("mr", "mrs", "ms", "dr", "st", "mt", "ft", "jr", "sr", "prof", "gen", "col", "lt", "sgt",
     "capt", "gov", "pres", "rep", "sen", "rev", "no", "vs", "etc", "approx", "jan", "feb", "mar",
     "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "e.g", "i.e", "u.s", "u.k",
     "u.n", "a.m", "p.m")
)  # fmt: skip
_RUNS_ON = re.compile(r"[a-zа-яіїєґ,;:\-–—(]\s*$")


@dataclass(frozen=True, slots=True)
class Sentence:
    """A sentence: its text and where it stands in the document."""

    text: str
    start: int
    end: int


def sentences(text: str) -> Iterator[Sentence]:
    """The sentences of *text*, in order, with offsets into *text*."""
    start = 0
    for found in _BOUNDARY.finditer(text):
        end = found.end()
        mark = found.group()
        if mark == "\n":
            if _RUNS_ON.search(text, max(start, found.start() - 2), found.start()):
                continue  # a wrapped line, not the end of one
        elif mark[0] in ".!?" and "\n" not in mark and _abbreviation(text, found.start()):
            continue
        yield from _sentences(text, start, found.start() if "\n" in mark else end)
        start = end
    yield from _sentences(text, start, len(text))


def _abbreviation(text: str, dot: int) -> bool:
    """Whether the full stop at *dot* ends an abbreviation or an initial."""
    if text[dot] != ".":
        return False
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and text[word_start].isupper())


def _sentences(text: str, start: int, end: int) -> Iterator[Sentence]:
    """The sentence from *start* to *end*, in parts of at most :data:`LONGEST` characters."""
    while end - start > LONGEST:
        cut = text.rfind(" ", start + LONGEST // 2, start + LONGEST)
        cut = start + LONGEST if cut < 0 else cut
        piece = _sentence(text, start, cut)
        if piece is not None:
            yield piece
        start = cut
    piece = _sentence(text, start, end)
    if piece is not None:
        yield piece


def _sentence(text: str, start: int, end: int) -> Sentence | None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    start += len(piece) - len(piece.lstrip())
    return Sentence(stripped, start, start + len(stripped))
