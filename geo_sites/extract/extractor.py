"""From a document's text to incident records, every one traceable to its sentence.

For each sentence that says what happened (:mod:`.events`):

1. **Where.** The place names of the sentence (:mod:`.places`), read in
   the text of :mod:`.characters` (no invisible characters, one script a
   word); each event word goes to the place its clause goes on to name, else to the nearest
   name, so "shelling killed three in Kharkiv and an air strike hit Sumy" is
   two incidents; places listed with it share
   its words ("Bucha, Mariupol and now Izium... death everywhere").  A
   sentence without a place takes the nearest place before it in the
   document.  Country names serve only when nothing finer is there.  Names
   that only locate another, datelines, affiliations and organisations are
   no incident's place (:class:`_Roles`).
2. **What.** Per place, the first event type of
   :data:`~.events.PRIORITY` among its words; a count of victims or dead
   with no event word is a killing.  The counts of the sentence go to the
   nearest place, when they count something that event has (bodies for a
   mass grave, not evacuees).
3. **How precisely.** "near", "outside" or "a forest by" before the name
   make it ``near``; a mention at level ``admin1`` ("X region") or
   "Kharviv, a region ..." make it ``admin1``, one at level ``admin2``
   ("X district") ``admin2``; a country name ``country``; else
   ``settlement``.  "X in Y" gives Y as the place's context ("Trostyanets
   in Sumy").
4. **When.** The sentence's date (:mod:`.dates`), read against the report's.
5. **Background.** Sentences that liken or recall ("likened the discovery to
   what happened in Bucha") give ``reference`` incidents: kept, marked.
6. **The sentence before.** Killings and bodies told right after an attack
   on the same place are its toll (:func:`_toll`); counts of harm in a
   sentence with no event word carry on the incident before
   (:func:`_continued`).
7. **One site, many words.** Where a document reports a mass grave or a
   torture site, its other sentences on bodies, killings or detentions at that
   place without a count of their own are more sources of that site; so are
   count-less words of destruction at a place with a counted incident ("the
   building had been completely destroyed").

Each incident's source is the document (path and sha256), the sentence as
the quote, its character offsets and :data:`EXTRACTOR`.

**Placed once.** The place names of the document's incidents are then
resolved, each once, in one call (:meth:`Gazetteer.resolve_many
<geo_sites.gazetteer.Gazetteer.resolve_many>`), the others as context, with
the document's focus country, so that the gazetteer places each name under
the rule that spotted it (:mod:`geo_sites.gazetteer.spotting`).  A
name's query carries its level (from its precision: ``admin1`` or
``admin2``) and its context ("Trostyanets" in "Sumy") as fields, as
:func:`geo_sites.incidents.locate` asks for records.  Each incident comes
out as a :class:`~geo_sites.incidents.LocatedIncident` with the answer for
its name; nothing resolves it again.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from .. import __version__
from ..incidents import Count, Incident, LocatedIncident, Source
from ..incidents.locate import level_of
from ..incidents.schema import EventType
from ..names import ParsedQuery, query_for
from .characters import Normalised, normalise
from .dates import DateMention, dates
from .events import KILLED_KINDS, PRIORITY, CountMention, Trigger, counts, triggers, words_of
from .places import Mention, Spotted, spot_places
from .sentences import Sentence, sentences

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from .documents import Document

__all__ = ["EXTRACTOR", "extract"]

#: The extractor and its version, in every source it writes.
EXTRACTOR = f"geo-sites {__version__} extract/1"

_NEAR = re.compile(r"\b(?:near|outside|close to|around|by|on the outskirts of|outskirts of|"
                   r"(?:north|south|east|west)(?:-?(?:east|west))? of)\s+(?:the\s+)?"
                   r"(?:(?:town|city|village|settlement)\s+of\s+)?$", re.IGNORECASE)  # fmt: skip
#: A word of each phrase of _NEAR: most names have none before them, and need no search.
_NEAR_WORDS = ("near", "outside", "close", "around", "by", "outskirts", "north", "south", "east",
               "west")  # fmt: skip
# Matched at a mention's end: "Kharviv, a region recently retaken".
_APPOSITIVE_REGION = re.compile(r"\s*,\s*(?:a|the)\s+(?:[\w’'-]+\s+){0,3}?(?:region|oblast|"
                                r"province)\b", re.IGNORECASE)  # fmt: skip
# Between two mentions, saying the second only locates the first: "Trostyanets in Sumy",
# "Tsirkuny, a town near Kharkiv", "Bucha, on the outskirts of the capital Kyiv".
_LOCATES = re.compile(
    r"\s*(?:,\s*)?(?:(?:a|an|the)\s+(?:[\w’'-]+\s+){0,3}?)?(?:in|near|outside|of|by|"
    r"(?:on\s+)?the\s+outskirts\s+of)\s+(?:the\s+)?(?:capital\s+|city\s+of\s+|"
    r"region\s+of\s+)?",
    re.IGNORECASE,
)
# After a name, words that make it part of an organisation's name ("Kharkiv regional
# administration", "the Kyiv Independent", "Kyiv-based") or a river's ("the Dnipro River").
_ORGANISATION = re.compile(
    r"[\s-]+(?:(?i:regional|city council|based|river)|Independent|Post|Times|News|Herald|Pravda|"
    r"Daily|Journal|Telegraph|Gazette|Tribune|Observer|Today|Radio|TV|Television|University|"
    r"Institute|Council|Administration|Court|Airport|Zoo|Metro|Dynamo|Shakhtar)\b"
)
_THE_REGION = re.compile(r"\b(?:in|across|throughout|around) the (?:region|oblast)\b",
                         re.IGNORECASE)  # fmt: skip
_DATELINE = re.compile(r"\s*[-–—]")
_DATELINE_REACH = 80  # characters between a line's start and its dateline
# Before a name, words that make it someone's affiliation: "the investigator for Kharkiv
# region", "the head of Kharviv's police".
_AFFILIATION = re.compile(
    r"\b(?:investigator|police|official|governor|head|chief|prosecutor|mayor|commander|"
    r"spokes(?:man|woman|person)|administration|ministry)\s+(?:for|of)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# Between two names of one list: ", ", " and ", ", and now, unfortunately, ".
_LIST = re.compile(r"\s*(?:,|and|or|as well as|, and)\s+(?:[a-z]+,?\s+){0,2}", re.IGNORECASE)
# Looked for in the lower-cased sentence, and only when it has a word of _REFERENCE_WORDS.
_REFERENCE = re.compile(
    r"\b(?:likened|liken|compared|comparing|reminiscent|recalled|recalling|echo(?:ed|es|ing)?|"
    r"what happened in|like in|as in|just as|earlier in the war|early stages|"
    r"at the (?:start|beginning) of the (?:war|invasion)|were accused of|had been accused of)\b"
)
#: A word of each phrase of _REFERENCE: most sentences have none, and need no search.
_REFERENCE_WORDS = frozenset({
    "likened", "liken", "compared", "comparing", "reminiscent", "recalled", "recalling", "echo",
    "echoed", "echoes", "echoing", "happened", "like", "as", "earlier", "early", "start",
    "beginning", "accused",
})  # fmt: skip
#: Where each event type stands in PRIORITY.
_RANK = {event_type: rank for rank, event_type in enumerate(PRIORITY)}
#: What each event's counts may count (a word of the count's kind).
_COUNTED = {
    event_type: frozenset(words.split())
    for event_type, words in {
        "mass_grave": "bodies graves victims dead crosses killed people",
        "bodies_found": "bodies victims dead civilians corpses remains people",
        "killing": "killed victims dead deaths people civilians residents men women children "
                   "persons individuals",
        "torture_site": "torture chambers rooms cells victims detainees",
        "detention": "detained detainees prisoners hostages people civilians",
        "air_strike": "killed injured wounded dead victims people civilians residents buildings "
                      "houses homes",
        "shelling": "killed injured wounded dead victims people civilians residents identified "
                    "buildings houses homes",
        "destruction": "buildings houses homes",
    }.items()
}  # fmt: skip
_QUOTE_LIMIT = 600
# How far ahead a word's clause may name its place, and what ends the clause.
_CLAUSE_REACH = 80
_CLAUSE_BREAK = re.compile(r"[,;:()–—]|\s(?:and|while|but|whereas|after|before)\s")


def extract(
    document: Document, gazetteer: Gazetteer, *, country: str | None = None
) -> list[LocatedIncident]:
    """The incidents *document* reports, in the order of its sentences, each placed.

    Parameters
    ----------
    document : Document
    gazetteer : Gazetteer
        Finds the place names and places them.
    country : str, optional
        ISO 3166-1 alpha-2 code of the country the report is about: its
        places are the ones meant, and only they are placed.

    Returns
    -------
    list of LocatedIncident
        The incident and the gazetteer's answer for its place, whatever the
        answer (an unresolved place keeps its status and reason).

    Raises
    ------
    UnknownCountryError
        If no place of the gazetteer has the code *country*.
    """
    country = gazetteer.check_country(country)
    view = normalise(document.text)
    text = view.text
    spotted = spot_places(text, gazetteer, country=country)
    mentions = spotted.mentions
    roles = _Roles(text, mentions)
    incidents: list[Incident] = []
    where: list[Mention] = []  # the place name of each incident
    last: list[Mention | None] = [None, None]  # the last place named, and the last but countries
    previous: list[Incident] = []  # those of the sentence before
    at = 0
    for sentence in sentences(text):
        inside = []
        while at < len(mentions) and mentions[at].start < sentence.end:
            if mentions[at].start >= sentence.start:
                inside.append(mentions[at])
            else:
                _remember(last, mentions[at])
            at += 1
        if inside:
            kept = [m for m in inside if m not in roles.aside]
            bodies = [m for m in inside if m in roles.bodies]
            if not kept and bodies and _THE_REGION.search(sentence.text):
                # "the Kherson regional police found ten torture chambers in the region"
                kept = bodies[:1]
                roles.as_region.update(kept)
            inside = kept
        lowered = words_of(sentence.text)
        figures = counts(sentence.text, lowered)
        counted = any(not KILLED_KINDS.isdisjoint(f.kind.split()) for f in figures)
        words = (
            triggers(sentence.text, lowered, counted=counted)
            or _implied(sentence.text, lowered, inside, figures)
            or _continued(figures, previous)
        )
        found: list[Incident] = []
        if words and (inside or last[0] is not None):  # else no place to put them
            found_dates = dates(sentence.text, document.report_date, lowered)
            placed = _incidents(document, view, sentence, lowered, words, figures, found_dates,
                                inside, last, roles)  # fmt: skip
            found = [_toll(incident, previous) for incident, _ in placed]
            where += [mention for _, mention in placed]
        incidents += found
        previous = found
        for mention in inside:
            _remember(last, mention)
    if not incidents:
        return []
    return _located(_folded(incidents), where, spotted, roles, gazetteer, country)


def _located(
    incidents: list[Incident],
    where: list[Mention],
    spotted: Spotted,
    roles: _Roles,
    gazetteer: Gazetteer,
    country: str | None,
) -> list[LocatedIncident]:
    """Resolve the place name of every incident once, the others as context, and give each
    incident the answer for its own."""
    queries = {mention: _query(mention, roles) for mention in dict.fromkeys(where)}
    matches = gazetteer.resolve_many(list(queries.values()), country=country,
                                     focus=spotted.focus)  # fmt: skip
    answer = dict(zip(queries, matches, strict=True))
    return [LocatedIncident.of(incident, answer[mention])
            for incident, mention in zip(incidents, where, strict=True)]  # fmt: skip


def _query(mention: Mention, roles: _Roles) -> ParsedQuery:
    """What to resolve for a place name: its level and context as fields."""
    return query_for(mention.name, level=level_of(roles.precision(mention)),
                     context=roles.context.get(mention))  # fmt: skip


def _remember(last: list[Mention | None], mention: Mention) -> None:
    """Keep *mention* as the last place named, and as the last but countries."""
    last[0] = mention
    if not mention.country:
        last[1] = mention


#: Attacks whose dead and bodies the next sentence may count.
_ATTACKS = frozenset({"shelling", "air_strike"})
#: Kinds of count that carry on the sentence before without an event word of their own.
_HARM = frozenset({"bodies", "corpses", "remains", "graves", "victims", "dead", "killed",
                   "deaths", "crosses", "chambers", "rooms", "cells", "detainees", "prisoners",
                   "hostages", "injured", "wounded"})  # fmt: skip


def _continued(figures: list[CountMention], previous: list[Incident]) -> list[Trigger]:
    """Counts of harm in a sentence without an event word, right after a sentence with an
    incident, carry that incident on: "...in Kharviv. Out of 534 bodies, 226 were women"."""
    if not previous:
        return []
    event_type = previous[-1].event_type
    return [Trigger(event_type, f.start, f.end) for f in figures if _HARM & set(f.kind.split())]


def _toll(incident: Incident, previous: list[Incident]) -> Incident:
    """Killings and bodies told right after an attack on the same place are its toll:
    "Russian shelling ruined two entrances. All 47 people who lived there died." is a
    shelling that killed 47."""
    if incident.event_type not in ("killing", "bodies_found") or incident.role == "background":
        return incident
    for attack in previous:
        if (attack.event_type in _ATTACKS and attack.place.lower() == incident.place.lower()
                and attack.precision == incident.precision):  # fmt: skip
            return replace(incident, event_type=attack.event_type)
    return incident


#: Sites that the other words of a report about them describe: bodies found in a mass
#: grave, people killed or held in a torture site.
_SITES = ("mass_grave", "torture_site")
_DESCRIBING = frozenset({"bodies_found", "killing", "detention"})


def _folded(incidents: list[Incident]) -> list[Incident]:
    """Count-less bodies, killings and detentions at a place where the document reports a
    mass grave or a torture site become sources of that site, not sites of their own."""
    site_at: dict[tuple[str, str], EventType] = {}
    counted_at: dict[tuple[str, str], EventType] = {}
    for incident in incidents:
        key = (incident.place.lower(), incident.precision)
        if incident.event_type in _SITES:
            site_at.setdefault(key, incident.event_type)
        if incident.counts and incident.event_type != "destruction":
            counted_at.setdefault(key, incident.event_type)
    out = []
    for incident in incidents:
        key = (incident.place.lower(), incident.precision)
        site = site_at.get(key)
        if not incident.counts:
            # Its date is the sentence's (a visit, a statement), not the site's.
            if site and incident.event_type in _DESCRIBING:
                incident = replace(incident, event_type=site, event_date=None)
            elif incident.event_type == "destruction" and (site or key in counted_at):
                # "the building had been completely destroyed": how the site looks
                incident = replace(incident, event_type=site or counted_at[key], event_date=None)
        out.append(incident)
    return out


def _implied(
    sentence: str, words: frozenset[str], inside: list[Mention], figures: list[CountMention]
) -> list[Trigger]:
    """Killings a sentence tells without an event word.

    A count of victims or dead ("the number of victims is estimated at 1000"),
    or a place likened or recalled ("what happened in Bucha").
    """
    found = [Trigger("killing", c.start, c.end) for c in figures
             if not KILLED_KINDS.isdisjoint(c.kind.split())]  # fmt: skip
    if not found and inside and _recalls(sentence, words):
        found = [Trigger("killing", m.start, m.start) for m in inside[:1]]
    return found


def _recalls(sentence: str, words: frozenset[str]) -> bool:
    """Whether *sentence* (its lower-case *words*: :func:`~.events.words_of`) likens or
    recalls rather than reports (:data:`_REFERENCE`)."""
    return not _REFERENCE_WORDS.isdisjoint(words) and bool(_REFERENCE.search(sentence.lower()))


def _incidents(
    document: Document,
    view: Normalised,
    sentence: Sentence,
    lowered: frozenset[str],
    words: list[Trigger],
    found_counts: list[CountMention],
    found_dates: list[DateMention],
    inside: list[Mention],
    last: list[Mention | None],
    roles: _Roles,
) -> list[tuple[Incident, Mention]]:
    latest, earlier = last
    places = [m for m in inside if not m.country] or ([earlier] if earlier else [])
    if not places:
        places = [m for m in inside if m.country] or ([latest] if latest else [])
    if not places:
        return []
    offset = sentence.start
    # Each event word and each count to the nearest place of the sentence; places named
    # in the sentence with no word of their own share its first event ("Bucha, Mariupol
    # and now Izium... death everywhere").
    named: dict[str, Mention] = {}  # a place named twice in a sentence is one place
    for place in places:
        named.setdefault(place.name.lower(), place)

    def nearest(start: int, end: int) -> Mention:
        place = _ahead(view.text, places, offset + end) or _nearest(places, offset + start)
        return named[place.name.lower()]

    events: dict[Mention, list[Trigger]]
    figures: dict[Mention, list[CountMention]]
    if len(named) == 1:  # most sentences: every word and count is the one place's
        events, figures = {places[0]: words}, {places[0]: found_counts}
    else:
        events = {place: [] for place in named.values()}
        for word in words:
            events[nearest(word.start, word.end)].append(word)
        _share_along_lists(view.text, places, events, named)
        figures = {}
        for figure in found_counts:
            figures.setdefault(nearest(figure.start, figure.end), []).append(figure)
    reference = _recalls(sentence.text, lowered)
    start, end = view.span(sentence.start, sentence.end)  # in the text as written
    quote = document.text[start:end]
    if len(quote) > _QUOTE_LIMIT:
        quote = quote[: _QUOTE_LIMIT - 1] + "…"
    source = Source(title=document.title, date=document.report_date, quote=quote,
                    document=document.path, sha256=document.sha256, start=start, end=end,
                    extractor=EXTRACTOR)  # fmt: skip
    out = []
    for place, its_words in events.items():
        if not its_words:
            continue
        event_type = min({w.event_type for w in its_words}, key=_RANK.__getitem__)
        kept = tuple(
            Count(f.kind, best=f.best, low=f.low, high=f.high, parts=f.parts)
            for f in figures.get(place, [])
            if not _COUNTED[event_type].isdisjoint(f.kind.split())
        )
        precision = roles.precision(place)
        context = roles.context.get(place)
        out.append((Incident(
            site=f"near {place.name}" if precision == "near" else place.text,
            place=place.name,
            event_type=event_type,  # type: ignore[arg-type]
            precision=precision,  # type: ignore[arg-type]
            context=context, counts=kept,
            event_date=found_dates[0].date if found_dates else None,
            report_date=document.report_date, sources=(source,),
            role="background" if reference else "primary",
        ), place))  # fmt: skip
    return out


def _share_along_lists(
    text: str,
    places: list[Mention],
    events: dict[Mention, list[Trigger]],
    named: dict[str, Mention],
) -> None:
    """Places listed with a place that has event words share them: "Bucha, Mariupol and
    now, unfortunately, Izium... death everywhere"; not "the Kharkiv and Donetsk regions"."""
    changed = True
    while changed:
        changed = False
        for left, right in itertools.pairwise(places):
            a, b = named[left.name.lower()], named[right.name.lower()]
            if a is b or not _LIST.fullmatch(text, left.end, right.start):
                continue
            for source, target in ((a, b), (b, a)):
                if events[source] and not events[target]:
                    events[target] = list(events[source])
                    changed = True


def _ahead(text: str, places: list[Mention], position: int) -> Mention | None:
    """The place that a word's own clause goes on to name: "a missile damaged the cathedral
    in Odesa", not the Izmail of the clause before."""
    following = next((m for m in places if m.start >= position), None)
    if following is None or following.start - position > _CLAUSE_REACH:
        return None
    return None if _CLAUSE_BREAK.search(text, position, following.start) else following


def _nearest(places: list[Mention], position: int) -> Mention:
    return min(places, key=lambda m: min(abs(m.start - position), abs(m.end - position)))


class _Roles:
    """What each place name does in the document, beyond naming a place.

    ``context`` maps a name to the one that only locates it ("Trostyanets in
    Sumy"); ``aside`` holds names that are no incident's place: those that
    only locate another, datelines ("KYIV - "), names inside an
    organisation's name ("the Kharkiv regional administration") and
    affiliations ("the investigator for Kharkiv region").  A name once
    called a region ("Kharviv, a region recently retaken", "Sumy region") is
    a region throughout the document (``levels``), and one called a district
    ("Kupiansk district") a district, unless it is a region too.  The region
    of an organisation ("the Kherson regional police") is the place of a
    sentence that names no other and speaks of "the region" (``as_region``).
    """

    def __init__(self, text: str, mentions: Sequence[Mention]) -> None:
        self.text = text
        self.context: dict[Mention, str] = {}
        self.aside: set[Mention] = set()
        self.bodies: set[Mention] = set()  # of an organisation or an affiliation
        self.as_region: set[Mention] = set()  # such names that "the region" refers to
        self.levels: dict[str, str] = {}  # names called a region or a district somewhere
        self._precision: dict[Mention, str] = {}  # but for as_region, known once
        for number, mention in enumerate(mentions):
            level = "admin1" if _APPOSITIVE_REGION.match(text, mention.end) else mention.level
            name = mention.name.lower()
            if level == "admin1" or (level == "admin2" and name not in self.levels):
                self.levels[name] = level  # a region wins over a district
            if _ORGANISATION.match(text, mention.end) or self._affiliation(mention):
                self.aside.add(mention)
                self.bodies.add(mention)
            elif self._dateline(mention):
                self.aside.add(mention)
            following = mentions[number + 1] if number + 1 < len(mentions) else None
            if following is not None and not following.country:
                gap = text[mention.end : following.start]
                if _LOCATES.fullmatch(gap):
                    self.context[mention] = following.name
                    self.aside.add(following)

    def _affiliation(self, mention: Mention) -> bool:
        tail = self.text[max(0, mention.start - 9) : mention.start].lower()
        return ("of " in tail or "for " in tail) and bool(
            _AFFILIATION.search(self.text, max(0, mention.start - 40), mention.start)
        )

    def _dateline(self, mention: Mention) -> bool:
        if not mention.text.isupper() or not _DATELINE.match(self.text, mention.end):
            return False
        # Among the first words of its line ("date 2022-09-16 KYIV - ..."): the line's start
        # is looked for only so far back, so that a long line is not read again for each name.
        reach = max(0, mention.start - _DATELINE_REACH)
        line_start = self.text.rfind("\n", reach, mention.start) + 1
        if line_start == 0 and reach > 0:
            return False
        return len(self.text[line_start : mention.start].split()) <= 3

    def precision(self, place: Mention) -> str:
        """How precisely the name places its incidents (see the module docstring)."""
        found = self._precision.get(place)
        if found is None:
            found = self._precision[place] = self._precision_of(place)
        return "admin1" if found != "country" and place in self.as_region else found

    def _precision_of(self, place: Mention) -> str:
        if place.country:
            return "country"
        level = self.levels.get(place.name.lower())
        if level is not None:
            return level
        reach = max(0, place.start - 40)
        before = self.text[reach : place.start].lower()
        if any(word in before for word in _NEAR_WORDS) and _NEAR.search(
            self.text, reach, place.start
        ):  # fmt: skip
            return "near"
        return "settlement"
