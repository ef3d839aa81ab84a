"""Spotting place names in text, asking the gazetteer which names are places.

:func:`spot_places` tries every capitalised word, and runs of up to three of
them ("Kryvyi Rih", "Nova Kakhovka"), against the gazetteer's names
(:attr:`Gazetteer.spotting <geo_sites.gazetteer.Gazetteer.spotting>`): every
name, alternate name and transliteration it knows, Latin or Cyrillic, not a
fixed list.  The longest run that names a place wins.  A following
"region", "oblast", "district" or "область" joins the mention and sets its
``level`` (``admin1``, ``admin2``): a field, never a word added to the name.

Whether a name is a place *of this text* is the gazetteer's rule
(:mod:`geo_sites.gazetteer.spotting`), the one the resolver places it under:
a region or a country, a place of the text's focus country (given, or the
one most of its names can be in), or an exactly named town of 50,000 or
more elsewhere.  That keeps "Sky" (a village somewhere) out of "Sky News".
Words that are plainly not places here are never tried: function words,
months and weekdays, titles, and demonyms ("Ukrainian", "Russian").  People
are told apart by their shape: capitalised words right after a title ("Mr
Bolvinov") are a name, and so are two capitalised words in a row that are
not one place, unless one is a region or a country ("Serhiy Bolvinov",
"Anton Gerashchenko").

Unknown capitalised words of five letters or more, where a place name stands
("in Kharviv", "Russian-occupied Kharviv", "Kharviv region"), are places
when the gazetteer finds them one edit from a region or a town of 20,000 or
more of the focus country ("Kharviv" → Kharkiv); they are marked ``fuzzy``.

Each name is asked once for all documents (the gazetteer's spotting caches
its answers); a document's words are read once, and only its capitalised
words are looked at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..names import demonyms, qualifier_level

if TYPE_CHECKING:
    from ..gazetteer import Candidates, Gazetteer, Spotting

__all__ = ["NOT_NAME_WORDS", "Mention", "Spotted", "spot_places"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words, with inner apostrophes and hyphens ("Kam'ianets'-Podil's'kyi"), but not a possessive
# "'s": "Kharviv’s" → Kharviv.
_WORD = re.compile(
    r"[^\W\d_ʼ]+(?:(?:['’ʼ]-?|-)(?![sS](?![\w'’ʼ]))[^\W\d_ʼ]+)*"
)  # ʼ: a letter to Unicode
_MAX_RUN = 3
_PART = 1_000_000
_FUZZY_MIN = 5
#: Words that join the name before them and give its level (see ``names.qualifier_level``).
_QUALIFIERS = frozenset({"region", "area", "oblast", "province", "district", "raion", "область",
                         "обл", "район", "области", "області"})  # fmt: skip
#: The plurals, after the last name of a list: "Chuhuiv, Kharkiv and Kupiansk districts".
_PLURAL_QUALIFIERS = frozenset({"regions", "oblasts", "provinces", "districts", "raions"})
#: The endings of a city district's name, an adjective: Kyivskyi, Industrialnyi, Pechersky.
_ADJECTIVES = ("yi", "iy", "y", "ij")
#: Words that call the name after them ("village of", "village") a settlement.
_SETTLEMENTS = frozenset({"village", "town", "settlement", "hamlet", "city"})
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
    # adjectives written with a capital (the demonyms of countries are added below)
    "european western eastern northern southern soviet kremlin nato un eu ukrainska russcists "
    # words of the trade, and of the names of outlets ("Ukrainska Pravda", "Kyiv Post")
    "police army forces troops military ministry government administration office "
    "news media reuters ap afp bbc cnn sky press agency images photo getty copyright "
    "read also update breaking live video pravda independent post times herald daily "
    "journal telegraph gazette tribune observer radio tv television"
)
#: The demonyms of countries and continents, the resolver's own list: "Syrian" is no place
#: there either.
_DEMONYMS = demonyms()
#: Points of the compass start names ("West Bank", "South Sudan") but are none alone: the
#: "West" troop group is no region of Cameroon.
_COMPASS = frozenset({"north", "south", "east", "west"})
_STARTS_ONLY = _DEMONYMS | _COMPASS
_NOT_PLACES |= _STARTS_ONLY
_NEVER_TRIED = _NOT_PLACES | _TITLES
#: Capitalised words that never make a place name part of a longer proper name: "Kharkiv
#: Oblast", "in Bucha Russian troops", "in Kherson Mr Smith".
NOT_NAME_WORDS = _NEVER_TRIED | _QUALIFIERS | _PLURAL_QUALIFIERS


@dataclass(frozen=True, slots=True, eq=False)
class Mention:
    """A place name as it stands in the text.

    ``text`` is as written, from ``start`` to ``end`` (character offsets),
    with its qualifier ("Kharkiv region"); ``name`` is the place name in it
    and ``level`` the level its qualifier asks for (``admin1`` for "region",
    ``admin2`` for "district"), or None.  ``fuzzy`` says the name is one edit
    from a place's; ``country`` that it is a country's ("Ukraine", "Russia").
    Each mention is one spot of one text: mentions are told apart by identity,
    which keeps them cheap as keys.
    """

    text: str
    start: int
    end: int
    name: str
    level: str | None = None
    fuzzy: bool = False
    country: bool = False


@dataclass(frozen=True, slots=True)
class Spotted:
    """The place names of a text, in order, and the country the text is about.

    ``focus`` is the country given, else the one most names of the text can
    be in (None when no name is known); resolve the mentions with it
    (``Gazetteer.resolve_many(..., focus=..., regions=...)``), so that each
    is placed under the rule that found it.  ``regions`` are the first-level
    units the text names, as (country, admin1 code): a typo may mean any
    place in them.
    """

    mentions: tuple[Mention, ...]
    focus: str | None
    regions: frozenset[tuple[str, str]] = frozenset()


def spot_places(text: str, gazetteer: Gazetteer, *, country: str | None = None) -> Spotted:
    """The place names in *text*, in order, found with *gazetteer*.

    *country* (an upper-case ISO code, as ``Gazetteer.check_country`` gives
    it) is the text's focus; without it the names found choose.  A long text
    is read a part of about :data:`_PART` characters at a time, cut at
    paragraphs, so that its words need not all be in memory at once.
    """
    spotting = gazetteer.spotting
    found: list[tuple[Mention, Candidates]] = []
    typos: list[Mention] = []
    unknown: list[Mention] = []  # names the gazetteer lacks, called a village or a town
    people: set[str] = set()  # the words of people's names
    start = 0
    while True:
        end = len(text)
        if end - start > _PART:
            cut = text.find("\n\n", start + _PART)
            end = end if cut < 0 else cut
        _spot(text if end - start == len(text) else text[start:end], start, spotting, found, typos,
              unknown, people)  # fmt: skip
        if end == len(text):
            break
        start = end
    focus = country or spotting.focus(candidates for _, candidates in found)
    # A person's surname alone is still the person: "spokesman Heorhiy Tykhyi ... Tykhyi wrote".
    kept = [(mention, candidates) for mention, candidates in found
            if candidates.in_text(focus) and mention.name not in people]  # fmt: skip
    mentions = [mention for mention, _ in kept]
    # A typo of a village counts in a region the text names: "Bilohirivka" by Luhansk.
    regions = frozenset(region for _, candidates in kept for region in candidates.regions)
    if focus is not None:
        typos = [t for t in typos if t.name not in people and spotting.typo(t.name, focus, regions)]
        typos += [t for t in unknown if t.name not in people]
        mentions += typos + _again(text, typos)
    mentions.sort(key=lambda m: m.start)
    return Spotted(tuple(mentions), focus, regions)


def _again(text: str, typos: list[Mention]) -> list[Mention]:
    """The other spots of the typos found where a place name stands: a word read as
    "Bilohirivka" after "in" is the place when it starts a sentence too."""
    taken = {typo.start for typo in typos}
    return [
        Mention(name, found.start(), found.end(), name, fuzzy=True)
        for name in {typo.name for typo in typos}
        for found in re.finditer(rf"\b{re.escape(name)}\b", text)
        if found.start() not in taken
    ]


def _spot(
    text: str,
    offset: int,
    spotting: Spotting,
    found: list[tuple[Mention, Candidates]],
    typos: list[Mention],
    unknown: list[Mention],
    people: set[str],
) -> None:
    """Add the names of *text* that the gazetteer knows to *found*, each with what it can
    be, the unknown words where a place name stands to *typos*, and the unknown names that
    the text calls a village, a town or a city to *unknown*; offsets from *offset*."""
    words = list(_WORD.finditer(text))  # match objects: no tuple for each of the many words
    count = len(words)
    candidates = spotting.candidates
    after = 0  # words before this one are read already
    unnamed = 0  # words before this one end a run of capitalised words that names no place
    # Only capitalised words can start a name: the loop skips the others (most words).
    for i in [n for n, w in enumerate(words) if text[w.start()].isupper()]:
        if i < after:
            continue
        word = words[i]
        start = word.start()
        if i and text[start - 1] == " " and words[i - 1].end() == start - 1 and (
            words[i - 1].group().lower() in _TITLES
        ):  # fmt: skip
            after = i + 1  # a title, then a name: "Mr Serhiy Bolvinov", "reporter Bel Trew"
            while after < count and _joined(text, words, after - 1):
                after += 1
            people.update(w.group() for w in words[i:after])
            continue
        written = word.group()
        lowered = written.lower()
        # A demonym starts a name ("Dominican Republic") but is none alone ("Dominican").
        shortest = 2 if lowered in _STARTS_ONLY else 1
        if lowered in _NEVER_TRIED and shortest == 1:
            continue
        longest = 1  # the capitalised words that follow it after one space each
        while longest < _MAX_RUN and i + longest < count and _joined(text, words, i + longest - 1):
            longest += 1
        for run in range(longest, shortest - 1, -1):
            name = text[start : words[i + run - 1].end()]
            if run > 1 and name.lower() in _DEMONYMS:
                known = None  # people, not a place: "South Americans", not "South"
                break
            known = candidates(name)
            if known is not None:
                break
        else:
            if shortest == 1 and len(written) >= _FUZZY_MIN and _named(text, words, i):
                # "the village of Novoplatonivka": a place even when the gazetteer lacks it
                after = i + longest
                unknown.append(_mention(text, words, i, after, offset, fuzzy=True))
            elif shortest == 1 and len(written) >= _FUZZY_MIN and _placed(words, i):
                typos.append(_mention(text, words, i, i + 1, offset, fuzzy=True))
            unnamed = i + longest
            continue
        after = i + run
        if known is None or (known.country and run == 1 and i < unnamed):
            continue  # "Snake Island": a longer name, not Iceland ("Ísland")
        if run == 1 and _person(text, words, i, spotting, known):
            after = i + 2  # "Serhiy Bolvinov": a first name that is also a village, then a surname
            people.add(words[i + 1].group())
            continue
        found.append((_mention(text, words, i, i + run, offset, country=known.country), known))


def _named(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether the text calls word *i* a settlement or a unit, in lower case: "the village
    of Novoplatonivka", "the village Pravdyne", "the Chasovoyarsk district" (not "Kharkiv
    City Council")."""
    j = i - 2 if i >= 2 and words[i - 1].group() == "of" else i - 1
    if i + 1 < len(words) and words[i + 1].group() in _QUALIFIERS:
        # but a city's district is an adjective ("the Industrialnyi district"): the city's
        return text[words[i].end() : words[i + 1].start()] == " " and not (
            words[i].group().lower().endswith(_ADJECTIVES)
        )
    return (
        j >= 0
        and words[j].group() in _SETTLEMENTS
        and text[words[j].end() : words[i].start()] in (" ", " of ")
    )


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


def _joined(text: str, words: list[re.Match[str]], i: int) -> bool:
    """Whether word *i* + 1 is capitalised and follows word *i* after a single space."""
    start = words[i + 1].start()
    return text[start].isupper() and words[i].end() == start - 1 and text[start - 1] == " "


def _person(
    text: str, words: list[re.Match[str]], i: int, spotting: Spotting, known: Candidates
) -> bool:
    """Whether word *i*, a one-word place name, is the first name of a person.

    So it is when the next word is capitalised, follows after one space, and
    neither is a region or country nor the pair a place: "Anton Gerashchenko".
    """
    if known.wide or i + 1 >= len(words) or not _joined(text, words, i):
        return False
    following = words[i + 1].group()
    if following.lower() in _NOT_PLACES or following.lower() in _QUALIFIERS:
        return False
    other = spotting.candidates(following)
    return other is None or not other.wide


def _mention(
    text: str,
    words: list[re.Match[str]],
    first: int,
    last: int,
    offset: int,
    *,
    fuzzy: bool = False,
    country: bool = False,
) -> Mention:
    start, end = words[first].start(), words[last - 1].end()
    name = text[start:end]
    level = None
    if last < len(words):
        following = words[last]
        qualifier = following.group().lower()
        gap, plural = text[end : following.start()], qualifier in _PLURAL_QUALIFIERS
        if (qualifier in _QUALIFIERS and gap in (" ", "-")) or (plural and gap == " "):
            level = qualifier_level(qualifier[:-1] if plural else qualifier)
            end = following.end()
    return Mention(text[start:end], start + offset, end + offset, name, level, fuzzy, country)
