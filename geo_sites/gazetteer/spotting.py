"""Which names of a text are places: the rule that spotting and resolving share.

A reader of a report about Ukraine takes "Sumy" for a place and "Sky" (a
village somewhere) in "Sky News" for none.  The rule, :func:`in_text`: a name
is a place of a text when the gazetteer has it as a region, a country or a
continent, as a place of the text's *focus* country, or, exactly named, as a
town of :data:`MIN_FOREIGN_POPULATION` or more anywhere.  A word that names no place
but is one edit from one (a typo, "Kharviv") counts only for a region or a
town of :data:`TYPO_POPULATION` or more of the focus country, or for any
place of a region the text names (:func:`typo_in_text`): a typo in the news
is a typo of a place people know, or of a village of the region the report
is about ("Bilohirivka" in a report on Luhansk region).
The focus is the country given, else the one most names of the text can be
in (:meth:`Spotting.focus`).

:class:`Spotting` answers for text, a name at a time, from the index and
with caches that last as long as the index: what a name can be
(:meth:`Spotting.candidates`, a :class:`Candidates` summary) and whether a
word is a typo of a notable place (:meth:`Spotting.typo`).  The resolver
(:mod:`.resolver`) ranks only the candidates that the same rule keeps when it
is given the focus of a text (``Context.focus``), so a name is found in a
text and then placed by one decision.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..names import skeleton
from .index import KIND_EXACT

if TYPE_CHECKING:
    from ..models import Place
    from .index import GazetteerIndex

__all__ = [
    "MIN_FOREIGN_POPULATION",
    "TYPO_POPULATION",
    "Candidates",
    "Spotting",
    "in_text",
    "typo_in_text",
    "unit_of",
]

#: A town of another country than the focus is a place of the text from this size, exactly named.
MIN_FOREIGN_POPULATION = 50_000
#: A typo is read as a town of the focus country from this size (regions always).
TYPO_POPULATION = 20_000
_WIDE = ("continent", "country", "admin1")
_REMEMBERED = 100_000  # names whose answer is kept, across documents


def in_text(place: Place, *, exact: bool, focus: str | None) -> bool:
    """Whether a text about the country *focus* may mean *place* by a name.

    It may when the place is a region, a country or a continent, lies in the focus
    country, or is a town of :data:`MIN_FOREIGN_POPULATION` or more and the
    name is its own (*exact*), not a transliteration of it.
    """
    return (
        place.level in _WIDE
        or (focus is not None and place.country == focus)
        or (exact and place.population >= MIN_FOREIGN_POPULATION)
    )


def unit_of(place: Place) -> tuple[str, str]:
    """The first-level unit *place* lies in (or is), as (country, admin1 code)."""
    return (place.country, place.admin1_code or "")


def _regions(places: list[tuple[Place, bool]]) -> tuple[tuple[str, str], ...]:
    """The first-level units among *places*, as (country, admin1 code)."""
    return tuple(sorted({unit_of(p) for p, _ in places if p.level == "admin1" and p.admin1_code}))


def typo_in_text(
    place: Place, focus: str | None, regions: Collection[tuple[str, str]] = ()
) -> bool:
    """Whether a text about *focus* may mean *place* by a word one edit from its name.

    Only places of the focus country: regions, towns of :data:`TYPO_POPULATION`
    or more, and any place of the text's *regions*, as (country, admin1 code).
    """
    return (
        focus is not None
        and place.country == focus
        and (
            place.level == "admin1"
            or place.population >= TYPO_POPULATION
            or unit_of(place) in regions
        )
    )


@dataclass(frozen=True, slots=True)
class Candidates:
    """What the places a name can be say about the name, for reading it in a text.

    Attributes
    ----------
    countries : tuple of str
        The countries of its places, in order.
    votes : tuple of str
        Its votes for the text's focus: the countries of the places it is the
        very name of ("Bucha" is a town of Ukraine; its transliteration
        "Bucca" of Australia does not vote), or of all its places when it is
        none's very name; the country of its largest place first, to win a tie.
    anywhere : bool
        One of them is a place of any text (:func:`in_text` without a focus):
        a region, a country, a large town exactly named.
    wide : bool
        One of them is a region, a country or a continent (such a name is no first name).
    country : bool
        One of them is a country.
    regions : tuple of (str, str)
        The first-level units it can be, as (country, admin1 code): the regions
        a text names with it.
    """

    countries: tuple[str, ...]
    votes: tuple[str, ...]
    anywhere: bool
    wide: bool
    country: bool
    regions: tuple[tuple[str, str], ...] = ()

    def in_text(self, focus: str | None) -> bool:
        """Whether a text about *focus* may mean one of the places by the name."""
        return self.anywhere or (focus is not None and focus in self.countries)


class Spotting:
    """The gazetteer as spotting reads it: names answered once, for every document.

    Parameters
    ----------
    index : GazetteerIndex
        The index whose names and places are read.
    """

    def __init__(self, index: GazetteerIndex) -> None:
        self._index = index
        self._seen: dict[str, Candidates | None] = {}
        self._typos: dict[str, tuple[Place, ...]] = {}

    def candidates(self, name: str) -> Candidates | None:
        """What the places called *name* (in any spelling the index knows) have in common.

        Returns None when no place has the name.
        """
        seen = self._seen
        if name in seen:
            return seen[name]
        if len(seen) >= _REMEMBERED:
            seen.clear()
        hits = self._index.lookup(name)
        found = None
        if hits:
            exact = {hit.pid for hit in hits if hit.kind == KIND_EXACT}
            known = self._index.places(hit.pid for hit in hits)
            places = [(known[pid], pid in exact) for pid in {hit.pid for hit in hits}
                      if pid in known]  # fmt: skip
            if places:
                named = [p for p, e in places if e] or [p for p, _ in places]
                found = Candidates(
                    countries=tuple(sorted({p.country for p, _ in places if p.country})),
                    votes=tuple(
                        dict.fromkeys(
                            p.country
                            for p in sorted(named, key=lambda p: -p.population)
                            if p.country
                        )
                    ),
                    anywhere=any(in_text(p, exact=e, focus=None) for p, e in places),
                    wide=any(p.level in _WIDE for p, _ in places),
                    country=any(p.level == "country" for p, _ in places),
                    regions=_regions(places),
                )
        seen[name] = found
        return found

    def typo(self, word: str, focus: str, regions: Collection[tuple[str, str]] = ()) -> bool:
        """Whether *word* is one edit from a place a text about *focus*, naming the
        first-level units *regions*, may mean.

        See :func:`typo_in_text`.
        """
        near = self._typos.get(word)
        if near is None:
            if len(self._typos) >= _REMEMBERED:
                self._typos.clear()
            hits = self._index.fuzzy_lookup(skeleton(word))
            places = self._index.places(hit.pid for hit, _ in hits) if hits else {}
            near = self._typos[word] = tuple(places[hit.pid] for hit, _ in hits
                                             if hit.pid in places)  # fmt: skip
        return any(typo_in_text(place, focus, regions) for place in near)

    @staticmethod
    def focus(found: Iterable[Candidates]) -> str | None:
        """The country most of the names found can be in: each name votes once per country."""
        votes: dict[str, int] = {}
        # In order: a tie goes to the country named first, and of one name's countries,
        # to the country of its largest place (a lone "Bucha" is the Ukrainian town).
        for candidates in found:
            for country in candidates.votes:
                votes[country] = votes.get(country, 0) + 1
        return max(votes, key=votes.__getitem__) if votes else None
