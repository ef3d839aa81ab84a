"""Spotting place names in text with the gazetteer itself.

:func:`spot_places` tries every capitalised word, and runs of up to three of
them ("Kryvyi Rih", "Nova Kakhovka"), against the gazetteer's index: every
name, alternate name and transliteration it knows, Latin or Cyrillic, not a
fixed list.  The longest run that names a place wins.  A following
"region", "oblast" or "область" joins the mention, so the resolver reads
"Kharkiv region" as the oblast.

A name counts as a place mention when the gazetteer has it as a place in the
focus country (given, or the country most of the document's names point to),
as a region or country, or as a town of 50,000 or more elsewhere.  That keeps
"Sky" (a village somewhere) out of "Sky News".  Words that are plainly not
places here are never tried: function words, months and weekdays, titles,
and demonyms ("Ukrainian", "Russian").  People are told apart by their
shape: capitalised words right after a title ("Mr Bolvinov") are a name,
and so are two capitalised words in a row that are not one place, unless
one is a region or a country ("Serhiy Bolvinov", "Anton Gerashchenko").

Unknown capitalised words of five letters or more, where a place name stands
("in Kharviv", "Russian-occupied Kharviv", "Kharviv region"), are tried once
more with the index's one-edit typo search ("Kharviv" → Kharkiv), only against regions
and towns of 20,000 or more in the focus country, and marked ``fuzzy``.
"""

from __future__ import annotations

import dataclasses
import re
import weakref
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from ..gazetteer.index import KIND_EXACT
from ..names import exact_key, skeleton

if TYPE_CHECKING:
    from ..gazetteer.index import GazetteerIndex
    from ..models import Place

__all__ = ["Mention", "spot_places"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words, with inner apostrophes and hyphens ("Kam'ianets'-Podil's'kyi"), but not a possessive
# "'s": "Kharviv’s" → Kharviv.
_WORD = re.compile(r"[^\W\d_]+(?:(?:['’ʼ]-?|-)(?![sS](?![\w'’ʼ]))[^\W\d_]+)*")
_MAX_RUN = 3
_PART = 1_000_000
_MIN_FOREIGN_POPULATION = 50_000
_FUZZY_MIN = 5
_FUZZY_POPULATION = 20_000  # a typo in the news is a typo of a place people know
_QUALIFIERS = frozenset({"region", "area", "oblast", "province", "district", "raion", "область",
                         "обл", "район", "области", "області"})  # fmt: skip
#: Words after which a capitalised word is likely a place: where a typo is looked for.
_PLACE_BEFORE = _words("""
    in near at from outside around of into to towards toward across through occupied liberated
    retaken recaptured captured seized besieged shelled struck hit town city village settlement
    region oblast district у в біля під
""")
_TITLES = _words("""
    mr mrs ms dr president minister governor mayor general colonel commander chief sergeant
    captain lieutenant officer prosecutor investigator spokesman spokeswoman head deputy
    secretary ambassador commissioner reporter correspondent
""")
_NOT_PLACES = _words(
    # function words and sentence openers
    "a an the and or but if so as at by for from in into of off on onto out over to up with "
    "without within about above across after against along among around before behind below "
    "beneath beside between beyond during except inside near outside since through toward "
    "towards under until upon via he she it they we i you his her its their our my your him "
    "them us this that these those there here where when what which who whom whose why how "
    "all any both each few many more most other some such no not only own same than too very "
    "can will just should now also yet still even then once again already meanwhile however "
    "although though while because according despite altogether only ukraine's is are was "
    "were be been being have has had do does did said says say told asked added reported "
    "one two three four five six seven eight nine ten dozens hundreds thousands "
    # months and weekdays
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
    "friday saturday sunday today yesterday tomorrow "
    # demonyms and other adjectives written with a capital
    "ukrainian ukrainians russian russians belarusian european american british western "
    "eastern northern southern soviet kremlin nato un eu ukrainska russcists "
    # words of the trade
    "police army forces troops military ministry government administration office "
    "news media reuters ap afp bbc cnn sky press agency images photo getty copyright "
    "read also update breaking live video"
)


@dataclass(frozen=True, slots=True)
class Mention:
    """A place name as it stands in the text.

    ``text`` is as written, from ``start`` to ``end`` (character offsets);
    ``name`` is the place name in it and ``query`` what to resolve: the name
    with its qualifier ("Kharkiv region").  ``country`` says the name is a
    country's ("Ukraine", "Russia").
    """

    text: str
    start: int
    end: int
    name: str
    query: str
    fuzzy: bool = False
    country: bool = False


def spot_places(text: str, index: GazetteerIndex, *, country: str | None = None) -> list[Mention]:
    """The place names in *text*, in order, found with the gazetteer *index*.

    A long text is read a part of about :data:`_PART` characters at a time, cut
    at paragraphs, so that its words need not all be in memory at once.
    """
    if len(text) <= _PART:
        return _spot(text, index, country)
    mentions = []
    start = 0
    while start < len(text):
        cut = text.find("\n\n", start + _PART)
        end = len(text) if cut < 0 else cut
        mentions += [
            dataclasses.replace(m, start=m.start + start, end=m.end + start)
            for m in _spot(text[start:end], index, country)
        ]
        start = end
    return mentions


def _spot(text: str, index: GazetteerIndex, country: str | None) -> list[Mention]:
    words = list(_WORD.finditer(text))  # match objects: no tuple for each of the many words
    looker = _lookers.get(index) or _lookers.setdefault(index, _Looker(index))
    found: list[tuple[int, int, list[_Hit]]] = []  # first word, last word + 1, places
    unknown: list[int] = []
    after = 0  # words before this one are read already
    # Only capitalised words can start a name: the loop skips the others (most words).
    for i in [n for n, w in enumerate(words) if text[w.start()].isupper()]:
        if i < after:
            continue
        word = words[i].group().lower()
        if (
            i
            and words[i - 1].group().lower().rstrip(".") in _TITLES
            and _joined(text, words, i - 1, 2)
        ):
            after = i + 1  # a title, then a name: "Mr Serhiy Bolvinov", "reporter Bel Trew"
            while after < len(words) and _joined(text, words, after - 1, 2):
                after += 1
            continue
        if word in _NOT_PLACES or word.rstrip(".") in _TITLES:
            continue
        for run in range(min(_MAX_RUN, len(words) - i), 0, -1):
            if run > 1 and not _joined(text, words, i, run):
                continue
            places = looker.places(text[words[i].start() : words[i + run - 1].end()])
            if places:
                found.append((i, i + run, places))
                after = i + run
                break
        else:
            unknown.append(i)
            continue
        if run == 1 and _person(text, words, i, looker, places):
            found.pop()  # "Serhiy Bolvinov": a first name that is also a village, then a surname
            after = i + 2
    focus = country or _focus(found)
    mentions = [
        _mention(
            text,
            words,
            first,
            last,
            fuzzy=False,
            country=any(h.place.level == "country" for h in hits),
        )
        for first, last, hits in found
        if _accepted(hits, focus)
    ]
    mentions += [
        _mention(text, words, i, i + 1, fuzzy=True)
        for i in unknown
        if len(words[i].group()) >= _FUZZY_MIN
        and _placed(words, i)
        and focus
        and looker.fuzzy(words[i].group(), focus)
    ]
    return sorted(mentions, key=lambda m: m.start)


class _Looker:
    """Index look-ups, each name once (up to :data:`_REMEMBERED` names, across documents)."""

    def __init__(self, index: GazetteerIndex) -> None:
        self.index = index
        self._seen: dict[str, list[_Hit]] = {}
        self._near: dict[tuple[str, str], bool] = {}

    def places(self, name: str) -> list[_Hit]:
        """The places *name* names, each with whether the name is theirs exactly."""
        key = exact_key(name)
        if key not in self._seen:
            if len(self._seen) >= _REMEMBERED:
                self._seen.clear()
            hits = self.index.lookup(name)
            exact = {hit.pid for hit in hits if hit.kind == KIND_EXACT}
            pids = {hit.pid for hit in hits}
            self._seen[key] = [_Hit(p, pid in exact) for pid, p in self._places(pids)]
        return self._seen[key]

    def fuzzy(self, word: str, country: str) -> bool:
        """Whether *word* is one edit from a notable place of *country*."""
        key = (word, country)
        if key not in self._near:
            if len(self._near) >= _REMEMBERED:
                self._near.clear()
            hits = self.index.fuzzy_lookup(skeleton(word))
            self._near[key] = any(
                p.country == country and (p.level == "admin1" or p.population >= _FUZZY_POPULATION)
                for _, p in self._places({hit.pid for hit, _ in hits})
            )
        return self._near[key]

    def _places(self, pids: set[int]) -> list[tuple[int, Place]]:
        known = self.index.places(pids) if pids else {}
        return [(pid, known[pid]) for pid in sorted(pids) if pid in known]


_REMEMBERED = 100_000
#: One looker per index, so that names met in one document are not looked up again.
_lookers: weakref.WeakKeyDictionary[GazetteerIndex, _Looker] = weakref.WeakKeyDictionary()


class _Hit(NamedTuple):
    place: Place
    exact: bool  # the name is the place's own (else a transliteration of it)


def _placed(words: list[re.Match[str]], i: int) -> bool:
    """Whether word *i* stands where a place name does: "in Kharviv", "Russian-occupied
    Kharviv", "Kharviv region"."""
    before = words[i - 1].group().lower() if i else ""
    after = words[i + 1].group().lower() if i + 1 < len(words) else ""
    return (
        before in _PLACE_BEFORE
        or before.endswith(("-occupied", "-held", "-controlled"))
        or after in _QUALIFIERS
    )


def _capitalised(word: str) -> bool:
    return word[0].isupper()


def _joined(text: str, words: list[re.Match[str]], i: int, run: int) -> bool:
    """Whether words i..i+run-1 are capitalised and separated by single spaces."""
    return all(
        _capitalised(words[j].group()) and text[words[j - 1].end() : words[j].start()] == " "
        for j in range(i + 1, i + run)
    )


def _person(
    text: str, words: list[re.Match[str]], i: int, looker: _Looker, hits: list[_Hit]
) -> bool:
    """Whether word *i*, a one-word place name, is the first name of a person.

    So it is when the next word is capitalised, follows after one space, and
    neither is a region or country nor the pair a place: "Anton Gerashchenko".
    """
    if i + 1 >= len(words) or not _joined(text, words, i, 2):
        return False
    if words[i + 1].group().lower() in _NOT_PLACES | _QUALIFIERS:
        return False
    wide = ("country", "admin1")
    return not any(h.place.level in wide for h in hits) and not any(
        h.place.level in wide for h in looker.places(words[i + 1].group())
    )


def _focus(found: Iterable[tuple[int, int, list[_Hit]]]) -> str | None:
    """The country most of the found names can be in."""
    votes: Counter[str] = Counter()
    for _, _, hits in found:
        votes.update({h.place.country for h in hits if h.place.country})
    return votes.most_common(1)[0][0] if votes else None


def _accepted(hits: list[_Hit], focus: str | None) -> bool:
    """A region or country; a place of the focus country; a large town elsewhere, exactly named."""
    return any(
        h.place.level in ("country", "admin1")
        or (focus is not None and h.place.country == focus)
        or (h.exact and h.place.population >= _MIN_FOREIGN_POPULATION)
        for h in hits
    )


def _mention(
    text: str,
    words: list[re.Match[str]],
    first: int,
    last: int,
    *,
    fuzzy: bool,
    country: bool = False,
) -> Mention:
    start, end = words[first].start(), words[last - 1].end()
    name = text[start:end]
    query = name
    if last < len(words) and words[last].group().lower() in _QUALIFIERS:
        gap = text[end : words[last].start()]
        if gap in (" ", "-"):
            end = words[last].end()
            query = f"{name} {words[last].group().lower()}"
    return Mention(text[start:end], start, end, name, query, fuzzy, country)
