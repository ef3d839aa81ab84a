"""From a document's text to incident records, every one traceable to its sentence.

For each sentence that says what happened (:mod:`.events`):

1. **Where.** The place names of the sentence (:mod:`.places`), read in
   the text of :mod:`.characters` (no invisible characters, one script a
   word); each event word goes to the place its clause goes on to name, else
   to the nearest place of its clause, else to the nearest name, so
   "shelling killed three in Kharkiv and an air strike hit Sumy" is two
   incidents; places listed with it share its words ("Bucha, Mariupol and
   now Izium... death everywhere").  A sentence without a place goes on
   about the last place an incident was told of, unless it puts its event
   at a town it does not name ("a small town near Odesa") or under a
   dateline.  Names that only locate another, datelines and bylines,
   affiliations, organisations, reference points (distances, borders,
   rivers, fronts, launch sites, hospitals) and surnames are no incident's
   place (:class:`_Roles`).
2. **What.** Per place, the first event type of
   :data:`~.events.PRIORITY` among its words, and what its words tell
   beside it (:func:`_told`); an attack the words do not name is the one
   of the sentence before, else the report's kind (:meth:`_Roles.attack_kind`).
   A count of victims or dead with no event word is a killing.  The counts
   of the sentence go to the nearest place, when they count something that
   event has (bodies for a mass grave, not evacuees).
3. **How precisely.** "near", "outside" or "a forest by" before the name
   make it ``near``; a mention at level ``admin1`` ("X region") makes that
   mention ``admin1`` and "Kharviv, a region ..." the name, one at level
   ``admin2`` ("X district") ``admin2``; a country name ``country``; else
   ``settlement``.  "X in Y" gives Y as the place's context ("Trostyanets
   in Sumy").
4. **When.** The sentence's date (:mod:`.dates`), read against the report's.
5. **Background.** Sentences that liken or recall ("likened the discovery to
   what happened in Bucha"), or date their event (in its clause) years before the
   report, give incidents of role ``background``: kept, marked.
6. **The sentence before.** Killings and bodies told right after an attack
   on the same place are its toll (:func:`_toll`); counts of harm in a
   sentence with no event word carry on the incident before
   (:func:`_continued`).
7. **One incident per event** (:func:`_folded`): a report's other words on
   an event are more sources of it: killings at an attacked place are its
   toll, bodies and detentions at a mass grave or torture site are the site.

Then, placed: each incident's **role** (``primary`` at the place the report
tells most of, ``secondary``, ``background``) and its **confidence**
(:func:`_evidence`, :func:`_confident`).

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

import datetime as dt
import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from .. import __version__
from ..incidents import Count, Incident, LocatedIncident, Source
from ..incidents.locate import level_of
from ..incidents.schema import EventType, Role
from ..names import ParsedQuery, query_for
from .characters import Normalised, normalise
from .dates import DateMention, dates
from .events import (
    ATTACK_WORDS,
    KILLED_KINDS,
    PRIORITY,
    CountMention,
    Trigger,
    counts,
    may_tell,
    triggers,
    words_of,
)
from .places import NOT_NAME_WORDS, Mention, Spotted, spot_places
from .sentences import Sentence, sentences

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer
    from ..models import Match
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
# ("a town in Poltava region" is no region: the words before "region" are its adjectives).
_APPOSITIVE_REGION = re.compile(r"\s*,\s*(?i:a|the)\s+(?:(?!(?i:in|of|near|from|on|at)\s)"
                                r"[a-z’'-]+\s+){0,3}?(?i:region|oblast|province)\b")  # fmt: skip
# Between two mentions, saying the second only locates the first: "Trostyanets in Sumy",
# "Tsirkuny, a town near Kharkiv", "Bucha, on the outskirts of the capital Kyiv".
_LOCATES = re.compile(
    r"(?:\s*\([^()]{0,30}\))?\s*(?:,\s*)?(?:(?:a|an|the)\s+(?:[\w’'-]+\s+){0,3}?)?(?:in|near|outside|of|by|"
    r"(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of|"
    r"(?:on\s+)?the\s+outskirts\s+of)\s+(?:the\s+)?(?:capital\s+|city\s+of\s+|"
    r"region\s+of\s+)?",
    re.IGNORECASE,
)
# Between a name and the region after it, saying where the name lies: "Lysychansk, Luhansk
# region", "Konotop (Sumy region)".
_APPOSED = re.compile(r"\s*[,(]\s*(?:the\s+)?")
# After a name, words that make it part of an organisation's name ("Kharkiv regional
# administration", "the Kyiv Independent", "Kyiv-based") or a river's ("the Dnipro River").
_ORGANISATION = re.compile(
    r"[\s-]+(?:(?i:regional|city council|based|river)|Independent|Post|Times|News|Herald|Pravda|"
    r"Daily|Journal|Telegraph|Gazette|Tribune|Observer|Today|Radio|TV|Television|University|"
    r"Institute|Council|Administration|Court|Airport|Zoo|Metro|Dynamo|Shakhtar|Police|"
    r"Prosecutor|Military|Service|Office|Ministry|Department|Directorate|Brigade|Battalion|"
    r"Regiment|Corps|Guard|Hospital|Railways?|Group)\b"
)
# After a name, capitalised words that make it part of a longer proper name: "Kharkiv
# Liberated Zone", "Sumy City Council".
_PROPER_NAME = re.compile(r"(?: [A-Z][\w’'-]*){1,3}")
_CAPITALISED = re.compile(r"\b[A-Z][\w’'-]{3,}")
_LONG_WORD = re.compile(r"\b[^\W\d_][\w’'-]{3,}")
_THE_REGION = re.compile(r"\b(?:in|across|throughout|around|of) the (?:region|oblast)\b",
                         re.IGNORECASE)  # fmt: skip
# After a line's first name, the rest of a dateline: "KYIV, Ukraine (AP) —", "KHARKIV. Dec 6
# (Interfax-Ukraine) –", "Lviv, Ukraine, Dec 22 (EFE).-", "DONETSK, May 5. /TASS/.", "LYMAN,
# Donetsk region —": capitalised words, a date, an agency, then a dash or the agency's mark.
_DATELINE = re.compile(
    r"(?:[\s,.]+(?:[A-Z][\w’'-]*\.?|\d{1,2}|region|oblast))*[\s,.]*(?:\([^()\n]{1,30}\)|/[A-Z]+/)?"
    r"[\s.]*(?:[-–—]|(?<=[)/])\s)"
)
# A byline: "By Jane Smith, Associated Press".
_BYLINE = re.compile(r"(?:^|\n)[ \t]*By[ \t]+[^\n]{0,80}$")
_DATELINE_REACH = 80  # characters between a line's start and its dateline
# Before a name, words that make it someone's affiliation: "the investigator for Kharkiv
# region", "the head of Kharviv's police".
_AFFILIATION = re.compile(
    r"\b(?:investigator|police|official|governor|head|chief|prosecutor|mayor|commander|"
    r"spokes(?:man|woman|person)|administration|ministry|defen[cs]e)\s+(?:for|of)\s+"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)
# After a name, words that make it someone's affiliation: "Odesa's military spokesperson",
# "the Dnipropetrovsk Oblast chief", "a Kyiv court".
_AFFILIATED = re.compile(
    r"(?:['’ʼ]s)?\s+(?:(?:regional|military|city|district|local)\s+){0,2}(?:governor|mayor|chief|"
    r"head|spokes(?:man|woman|person)|court|prosecutors?|police|authorities|officials?|"
    r"administration)\b",
    re.IGNORECASE,
)
# Before a name, words that make it a reference point, not where anything happened: "a
# village outside Ukraine's capital, Kyiv", "300 kilometres east of Kyiv", "the border with
# Russia", "launched from Belgorod" (but not "launched from Belgorod struck Kharkiv": no name
# comes between "from" and the name), "taken to hospital in Kupiansk".  Each phrase with the
# words one of which it needs (most names have none of them before them, and need no search).
_POINT_TAIL = r"\s+(?:the\s+)?(?:[\w’']+\s+)?(?:(?:capital|city|town|region)(?:\s+of)?,?\s+)?$"
_REFERENCE_POINTS = tuple(
    (re.compile(hints), re.compile(phrase + _POINT_TAIL, re.IGNORECASE))
    for hints, phrase in (
        (r"near|outside|close|far|north|south|east|west",
         r"\b(?:village|town|city|settlement|suburb|community|hamlet)s?\s+(?:(?:just|some|about)"
         r"\s+)?(?:[\w-]+\s+)?(?:near|outside|close to|not far from|(?:north|south|east|west)"
         r"\w*\s+of)"),
        (r"km|kilomet|mile", r"\d[\d,.]*\s*(?:km|kilomet\w*|miles?)\b[^.;]{0,30}?\b(?:of|from)"),
        (r"border|frontier|boundary", r"\b(?:border|frontier|boundary)\s+with"),
        (r"from", r"\b(?:launched|fired|came|coming|attacked|shelled|shelling)\b[^.;]{0,40}?"
                  r"\bfrom(?:\s+(?:(?-i:[a-z])[\w-]*|Russian|Belarusian|occupied)){0,5}?"
                  r"(?:\s+(?:near|in|of|around|outside))?"),
        (r"hospital", r"\b(?:taken|brought|rushed|evacuated|transported|delivered|admitted)\s+"
                      r"(?:\w+\s+){0,3}?(?:to|in)\s+(?:a\s+|the\s+)?(?:\w+\s+)?hospitals?\s+"
                      r"(?:in|of)"),
    )
)  # fmt: skip
_POINT_HINTS = re.compile("|".join(hints.pattern for hints, _ in _REFERENCE_POINTS))
_RIVER_HINTS = re.compile(r"bank|shore|across|along")
_AROUND_HINTS = re.compile(r"around|surrounding")
_POSSESSIVE = re.compile(r"['’ʼ]s\b")
_OWNS = re.compile(r"['’ʼ]s\s+")
_OF_THE_CITY = re.compile(r"\s+(?:of\s+the\s+(?:city|town)|micro-?district|neighbou?rhood)\b",
                          re.IGNORECASE)  # fmt: skip
_THE_CITYS = re.compile(r"\bthe\s+(?:city|town)['’ʼ]s\s+(?:(?:[\w-]+\s+){0,2}?district,\s+)?$",
                        re.IGNORECASE)  # fmt: skip
# Before a name, words that make it a region: "the southeastern region of Kherson".
_REGION_OF = re.compile(r"\b(?:region|oblast|province)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# Before a name, words that make it the region around it: "towns and villages around Kyiv".
_AROUND = re.compile(r"\b(?:towns|villages|settlements|communities|cities)\s+(?:(?:and|or)\s+"
                     r"\w+\s+)?(?:around|surrounding)\s+(?:the\s+)?(?:capital,?\s+)?$",
                     re.IGNORECASE)  # fmt: skip
# Before a name without a qualifier, words that make it a river: "the right bank of the
# Dnipro", "across the Dnipro" (but "across the Kharkiv region" is the region).
_RIVER = re.compile(r"\b(?:(?:bank|banks|shore)\s+of|across|along)\s+the\s+$", re.IGNORECASE)
# After a name, words that make it a front's name: "the Donetsk direction".
_FRONT = re.compile(r"\s+(?:direction|axis|sector|front)\b", re.IGNORECASE)
#: The fewest bodies one grave holds to be a mass grave when no word says so: the UN
#: Special Rapporteur's "three or more victims" (E/CN.4/1998/68/Add.1).
_MASS = 3
# The words of a case, whose victims are its injured parties: "criminal proceedings
# involving 227 victims", "were recognised as victims".
_LEGAL_WORDS = frozenset({"proceedings", "recognised", "recognized"})
_LEGAL = re.compile(r"\b(?:proceedings|recogni[sz]ed\s+as\s+(?:\w+\s+)?victims)\b",
                    re.IGNORECASE)  # fmt: skip
# Words that place an event at places the sentence does not name.
_ELSEWHERE_WORDS = frozenset({"other", "elsewhere"})
_ELSEWHERE = re.compile(r"\b(?:(?:in|at|across)\s+(?:the\s+|several\s+|many\s+)?other\s+"
                        r"(?:settlements|villages|towns|cities|places|communities|districts|"
                        r"regions|areas)|elsewhere)\b", re.IGNORECASE)  # fmt: skip
_ELSEWHERE_FIRST = re.compile(r"\W*elsewhere\b", re.IGNORECASE)
# Before a country's name, words that make it a part of the country: "eastern Ukraine",
# "the south of Ukraine".
_COUNTRY_PART = re.compile(r"\b(?:(?:north|south)?-?(?:north|south|east|west)ern|(?:the\s+)?"
                           r"(?:north|south|east|west)\s+of)\s+$", re.IGNORECASE)  # fmt: skip
# The end of a sentence: the body of a report begins with its first (the lines before it
# are headlines, standfirsts and captions).
_ENDS_A_SENTENCE = re.compile(r"[.!?][\"”’')\]]*$")
# A line that links another story: "See more: ...", "Read also: ...".
_SEE_ALSO = re.compile(r"\s*(?:(?:see|read)\s+(?:more|also)|also\s+read|related(?:\s+news)?)"
                       r"\s*[:.–—-]", re.IGNORECASE)  # fmt: skip
# Between two names of one list: ", ", " and ", ", and now, unfortunately, ".
# What stands between the places of a list: "Siversk and Serebrianka of the Siver district,
# Torske...", "three were injured in Toretsk, one more - in Bakhmut".
_LIST = re.compile(
    r"(?:\s+of\s+the\s+\w+\s+(?:district|region|raion|oblast|hromada|community))?"
    r"\s*(?:(?:,|and|or|as well as|, and)\s+(?:[a-z]+,?\s+){0,2}"
    r"|,\s*(?:\d+|one|two|three|four|five|another)\s+more\s*[-–—]?\s*(?:in|at|near)\s+)",
    re.IGNORECASE,
)
# Phrases that liken an event to another place's: the report's story goes on after them.
_LIKENS = (
    r"likened|liken|compared|comparing|reminiscent|echo(?:ed|es|ing)?|"
    r"remind(?:ed|s|ing)?\s+(?:\w+\s+){0,2}?of|like in|as in|as it was in|as was the case in|"
    r"just as"
)
# Those and the phrases that recall, looked for in the lower-cased sentence, and only when
# it has a word of _REFERENCE_WORDS.
_REFERENCE = re.compile(
    rf"\b(?:{_LIKENS}|recalled|recalling|what happened in|earlier in the war|early stages|"
    r"at the (?:start|beginning) of the (?:war|invasion)|were accused of|had been accused of)\b"
)
_LIKENING = re.compile(rf"\b(?:{_LIKENS})\b")
#: A word of each phrase of _REFERENCE: most sentences have none, and need no search.
_REFERENCE_WORDS = frozenset({
    "remind", "reminded", "reminds", "reminding", "case", "likened", "liken", "compared",
    "comparing", "reminiscent", "recalled", "recalling", "echo", "echoed", "echoes", "echoing",
    "happened", "like", "as", "earlier", "early", "start", "beginning", "accused",
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
        "detention": "detained detainees prisoners hostages people civilians men women "
                     "residents villagers",
        "air_strike": "killed injured wounded dead victims people civilians residents buildings "
                      "houses homes attacks",
        "shelling": "killed injured wounded dead victims people civilians residents identified "
                    "buildings houses homes attacks",
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
    incidents: list[tuple[Incident, Mention]] = []  # each with its place name
    last: list[Mention | None] = [None, None]  # the last place named, and the last but countries
    previous: list[Incident] = []  # those of the sentence before
    recalled = False  # the place remembered is one a sentence recalled
    body: int | None = None  # where the body begins: the first sentence with an end mark
    at = 0
    for sentence in sentences(text):
        if body is None and _ENDS_A_SENTENCE.search(sentence.text):
            body = sentence.start
        inside = []
        while at < len(mentions) and mentions[at].start < sentence.end:
            if mentions[at].start >= sentence.start:
                inside.append(mentions[at])
            else:
                _remember(last, mentions[at])
            at += 1
        if _SEE_ALSO.match(sentence.text):
            continue  # "Read also: ...": the headline of another story, not this report's
        # "in a small town near Odesa", "KYIV (AP) — ... in an eastern city", "Elsewhere,
        # drones hit a school": the sentence says its place is one it does not name, not
        # the one named before.
        elsewhere = any(m in roles.points for m in inside) or bool(
            _ELSEWHERE_FIRST.match(sentence.text)
        )
        if inside:
            kept = [m for m in inside if m not in roles.aside]
            bodies = [m for m in inside if m in roles.bodies]
            if not kept and bodies and _THE_REGION.search(sentence.text):
                # "the Kherson regional police found ten torture chambers in the region"
                kept = bodies[:1]
                roles.as_region.update(kept)
            inside = kept
        found: list[tuple[Incident, Mention]] = []
        words: list[Trigger] = []
        if inside or (last[0] is not None and not elsewhere):  # else no place to give one
            lowered = words_of(sentence.text)
            telling = bool(previous) or may_tell(sentence.text, lowered)
            figures = counts(sentence.text, lowered) if telling else []
            counted = any(not KILLED_KINDS.isdisjoint(f.kind.split()) for f in figures)
            words = (
                (triggers(sentence.text, lowered, counted=counted) if telling else [])
                or _implied(sentence.text, lowered, inside, figures)
                or _continued(figures, previous)
            )
            if words and not _ELSEWHERE_WORDS.isdisjoint(lowered):
                words = [w for w in words if not _elsewhere(sentence.text, w)]
        if words:
            found_dates = dates(sentence.text, document.report_date, lowered)
            found = [(_toll(incident, previous), mention) for incident, mention in _incidents(
                document, view, sentence, lowered, words, figures, found_dates, inside, last,
                roles, recalled=recalled and not inside, previous=previous)]  # fmt: skip
        incidents += found
        told = [m for i, m in found if not _recalled(i)][-1:]
        if found and not told and _likens(sentence.text):
            # "The scene reminded them of Izium": the story goes on where it was.
            continue
        previous = [incident for incident, _ in found]
        # The place that sentences naming none go on about: the last place of the sentence's
        # incidents, else the last it names ("...near Makariv, where there were Russian
        # positions in Kyiv Oblast. The bodies were found in a pit": Makariv).
        # A place recalled ("accused of war crimes in Bucha") is what the next sentence goes
        # on about too, if it names no place: the recalled story continues (a place likened
        # is not, above).
        for mention in (told or [m for _, m in found][-1:]) if found else inside:
            _remember(last, mention)
        if found or inside:
            recalled = bool(found) and not told
    if not incidents:
        return []
    # Where the headlines end, if one of them tells an incident (most reports: none does).
    headed = body if body and any(mention.start < body for _, mention in incidents) else 0
    if headed:
        incidents = _headlined(incidents, roles, headed)
    return _located(_folded(incidents), spotted, roles, gazetteer, country, headed)


def _headlined(
    incidents: list[tuple[Incident, Mention]], roles: _Roles, body: int
) -> list[tuple[Incident, Mention]]:
    """The incidents of the headlines (the lines before the body begins, at *body*), read
    by the body: a town's name whose body tells events only at the region of that name is
    the region ("Ukraine discovers mass grave in Kherson" over "a mass grave in Pravdyno,
    in the region of Kherson")."""
    told = [(incident.place.lower(), incident.precision)
            for incident, mention in incidents if mention.start >= body]  # fmt: skip
    out = []
    for incident, mention in incidents:
        if mention.start < body and incident.precision == "settlement":
            name = incident.place.lower()
            if {level for place, level in told if place == name} == {"admin1"}:
                roles.as_region.add(mention)
                incident = replace(incident, precision="admin1")
        out.append((incident, mention))
    return out


def _told_below(
    located: list[LocatedIncident],
    places: list[Mention],
    mentions: Sequence[Mention],
    roles: _Roles,
    body: int,
) -> list[LocatedIncident]:
    """Leave out a headline's incident at a town that the body names only as a reference
    point or an affiliation, and places no incident at, while it tells the headline's kind
    of event elsewhere: the headline tells that event in brief ("Rescue operation at Odesa
    apartment block after missile strike" over "missiles struck a town near Odesa ...
    Serhiyivka")."""
    below = [found for found, place in zip(located, places, strict=True) if place.start >= body]
    out = []
    for found, place in zip(located, places, strict=True):
        town = found.match.place
        if place.start < body and town is not None and found.precision == "settlement":
            name = place.name.lower()
            named = [m for m in mentions if m.start >= body and m.name.lower() == name]
            if (
                named
                and all(m in roles.aside for m in named)
                and not any(other.match.place == town for other in below)
                and any(_kin(other.incident.event_type, found.incident.event_type)
                        for other in below)
            ):  # fmt: skip
                continue
        out.append(found)
    return out


def _kin(one: str, other: str) -> bool:
    """Whether two event types tell one kind of event: the same, or both attacks."""
    return one == other or (one in _ATTACKS and other in _ATTACKS)


def _located(
    incidents: list[tuple[Incident, Mention]],
    spotted: Spotted,
    roles: _Roles,
    gazetteer: Gazetteer,
    country: str | None,
    body: int = 0,
) -> list[LocatedIncident]:
    """Resolve the place name of every incident once, the others as context, and give each
    incident the answer for its own (with *body*, where the headlines that tell incidents
    end: those the body tells of elsewhere are left out, after they served as context,
    :func:`_told_below`)."""
    cities = [roles.city_of[m] for _, m in incidents if m in roles.city_of]
    queries = {mention: _query(mention, roles) for mention in
               [*(m for _, m in incidents), *cities]}  # fmt: skip
    # The document's other regions are context too: "the Odesa region" places "Odessa".
    asked = dict.fromkeys(queries.values())
    others = [q for q in dict.fromkeys(_query(m, roles) for m in spotted.mentions if m.level)
              if q not in asked]  # fmt: skip
    matches = gazetteer.resolve_many([*queries.values(), *others], country=country,
                                     focus=spotted.focus, regions=spotted.regions)  # fmt: skip
    answer = dict(zip(queries, matches, strict=False))  # the others after them
    located = [_district(incident, mention, answer, roles) for incident, mention in incidents]
    if body:
        located = _told_below(located, [m for _, m in incidents], spotted.mentions, roles, body)
    focus = country or _most_told(located) or spotted.focus
    finer = any(found.precision != "country" for found in located)
    kept = [found for found in located
            if not (finer and found.precision == "country") and _inside(found, focus)]  # fmt: skip
    kept = _restated(kept)
    told = [found.incident.place.lower() for found in kept if not _recalled(found.incident)]
    main = _most(told)  # the place told of most
    out = []
    for found in kept:
        incident = _confident(found.incident, found.match, found.incident.place.lower() == main)
        out.append(found if incident is found.incident else replace(found, incident=incident))
    return out


def _district(
    incident: Incident, mention: Mention, answer: dict[Mention, Match], roles: _Roles
) -> LocatedIncident:
    """*incident* with the answer for its place; a district named by an adjective that the
    gazetteer places outside the oblast of the city named before it is that city's: "In
    Odesa a drone hit the Kyivskyi district" is in Odesa, not in Kyiv."""
    match = answer[mention]
    city = None if mention in roles.context else roles.city_of.get(mention)
    town = answer[city].place if city is not None else None
    district = match.place
    if town is None or town.level != "settlement" or (
        district is not None and (district.country, district.admin1) == (town.country, town.admin1)
    ):  # fmt: skip
        return LocatedIncident.of(incident, match)
    assert city is not None
    told = replace(incident, place=city.name, precision="settlement", context=None)
    return LocatedIncident.of(told, answer[city])


def _restated(located: list[LocatedIncident]) -> list[LocatedIncident]:
    """A region's incident that gives a figure (of two or more) that an incident of the same
    type in one of its towns gives is that incident told again, and is placed there: "a
    missile attack in the region of Zaporizhzhia caused the death of 23 people" beside
    "missiles hit a convoy leaving Zaporizhzhia, killing 23".  A town the gazetteer cannot
    place may be in any region ("In Kharkiv Oblast, officers found two corpses" beside
    "the bodies were found in the village of Novoplatonivka": the village's, unresolved),
    and one it cannot choose for in any of its candidates' regions."""
    if not any(found.precision == "admin1" and found.incident.counts for found in located):
        return located  # most reports: no region's incident gives a figure
    towns: dict[tuple[str, str, int], LocatedIncident] = {}
    for found in located:
        place = found.match.place
        if found.precision not in _IN_A_REGION:
            continue
        regions = {place.admin1} if place else (
            {c.place.admin1 for c in found.match.candidates} or {_ANY_REGION})  # fmt: skip
        for region in filter(None, regions):
            for figure in _figures(found.incident):
                towns.setdefault((region, found.incident.event_type, figure), found)
    out = []
    for found in located:
        place, incident = found.match.place, found.incident
        if place and found.precision == "admin1":
            keys = [(region, incident.event_type, figure) for figure in _figures(incident)
                    for region in (place.name, _ANY_REGION)]  # fmt: skip
            town = next((towns[key] for key in keys if key in towns), None)
            if town is not None:
                told = replace(incident, site=town.incident.site, place=town.incident.place,
                               precision=town.incident.precision,
                               context=town.incident.context)  # fmt: skip
                found = LocatedIncident(told, town.match, town.precision)
        out.append(found)
    return out


#: The region of a town the gazetteer cannot place: any.
_ANY_REGION = "*"


def _figures(incident: Incident) -> set[int]:
    """The figures of two or more that *incident* counts: one is too common to tell."""
    return {count.figure for count in incident.counts if count.figure >= 2}


#: The endings of a district named by an adjective ("the Kyivskyi district"), and how far
#: before it the city it may be a district of is looked for.
_ADJECTIVES = ("skyi", "zkyi", "tskyi", "nyi", "iy", "yi", "ky")
_CITY_REACH = 400
#: Precisions of places inside a region: where a region's incident may have happened.
_IN_A_REGION = frozenset({"exact", "settlement", "near"})


def _most_told(located: list[LocatedIncident]) -> str | None:
    """The country most of the report's incidents are placed in, if any are."""
    countries = [found.match.place.country for found in located if found.match.place
                 and found.match.place.country and not _recalled(found.incident)]  # fmt: skip
    return _most(countries)


_T = TypeVar("_T")


def _most(items: Sequence[_T]) -> _T | None:
    """The item of *items* met most often, the first met of those tied; None if none."""
    return Counter(items).most_common(1)[0][0] if items else None


def _inside(found: LocatedIncident, focus: str | None) -> bool:
    """Whether the place of *found* may be in the country the report is about: a report
    about Ukraine names Moscow and Kursk as where orders and missiles come from."""
    place = found.match.place
    return focus is None or place is None or not place.country or place.country == focus


def _query(mention: Mention, roles: _Roles) -> ParsedQuery:
    """What to resolve for a place name: its level and context as fields."""
    return query_for(mention.name, level=level_of(roles.precision(mention)),
                     context=roles.context.get(mention))  # fmt: skip


def _remember(last: list[Mention | None], mention: Mention) -> None:
    """Keep *mention* as the last place named, and as the last but countries."""
    last[0] = mention
    if not mention.country:
        last[1] = mention


#: An event dated more than this many years before its report is only recalled.
_YEARS_BEFORE = 3

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
    if incident.event_type not in ("killing", "bodies_found") or _recalled(incident):
        return incident
    for attack in previous:
        if (attack.event_type in _ATTACKS and attack.place.lower() == incident.place.lower()
                and attack.precision == incident.precision):  # fmt: skip
            return replace(incident, event_type=attack.event_type)
    return incident


#: Sites that the other words of a report about them describe: bodies found in a mass
#: grave, people killed or held in a torture site.
_SITES = ("mass_grave", "torture_site")
#: Events of people harmed other than by attacks.
_HARMED_PEOPLE = frozenset({"mass_grave", "torture_site", "bodies_found", "detention"})
_DESCRIBING = frozenset({"bodies_found", "killing", "detention"})


#: How long before its report a strike at a place of graves, bodies or torture found is its
#: story before the discovery, not news of its own.
_HISTORY = dt.timedelta(days=60)


def _before_the_discovery(incident: Incident) -> bool:
    """Whether *incident*, at a place where the report tells of graves, bodies or a torture
    site found, is a strike that its clause dates two months or more before the report:
    the place's story ("Izium came under heavy artillery fire in April", in September's
    report of its graves), not a strike the report brings news of."""
    when, report = incident.event_date, incident.report_date
    return (incident.event_type in _ATTACKS and when is not None and report is not None
            and report - when.end >= _HISTORY)  # fmt: skip


def _folded(incidents: list[tuple[Incident, Mention]]) -> list[tuple[Incident, Mention]]:
    """One incident per event: what the other sentences of a report tell of an event are
    more sources of it, not incidents of their own.

    - Count-less bodies, killings and detentions at a place where the document reports a
      mass grave or a torture site are that site; count-less destruction at a place with
      counted bodies or a counted site is how that site looks.
    - Killings at a place where the document reports an attack are its toll ("41 people
      have been reported dead"), unless they count more dead than the attack: a town's
      victims over months are no one strike's toll.
    - In a report of attacks alone (no graves, bodies, torture or detention), killings
      are the attacks' toll.
    - A reference to a place whose events the document reports ("what happened in X")
      adds nothing.
    - A strike dated months before the report at a place of graves, bodies or torture
      found is that place's story (:func:`_before_the_discovery`), and adds nothing.
    """
    site_at: dict[tuple[str, str], EventType] = {}
    found_at: dict[tuple[str, str], EventType] = {}  # counted sites and bodies
    for incident, _ in incidents:
        key = (incident.place.lower(), incident.precision)
        if incident.event_type in _SITES:
            site_at.setdefault(key, incident.event_type)
        if incident.counts and incident.event_type in (*_SITES, "bodies_found"):
            found_at.setdefault(key, incident.event_type)
    found = site_at.keys() | found_at.keys()
    incidents = [(incident, mention) for incident, mention in incidents if not (
        (incident.place.lower(), incident.precision) in found and _before_the_discovery(incident)
    )]  # fmt: skip
    attack_at: dict[tuple[str, str], tuple[EventType, int]] = {}
    for incident, _ in incidents:
        key = (incident.place.lower(), incident.precision)
        if incident.event_type in _ATTACKS and not _recalled(incident):
            event_type, toll = attack_at.get(key, (incident.event_type, 0))
            attack_at[key] = (event_type, max(toll, _dead(incident)))
    reported = {(i.place.lower(), i.precision) for i, _ in incidents if not _recalled(i)}
    # In a report of attacks alone, its dead are the attacks' toll ("two were killed in
    # Kostiantynivka, one in Toretsk").
    kinds = [i.event_type for i, _ in incidents if not _recalled(i)]
    most_attacks = _most([k for k in kinds if k in _ATTACKS])
    only_attacks = not _HARMED_PEOPLE.intersection(kinds)
    out = []
    seen: set[tuple[object, ...]] = set()
    for incident, mention in incidents:
        key = (incident.place.lower(), incident.precision)
        if _recalled(incident) and key in reported:
            continue  # "what happened in Zaporizhzhia": the event the report tells already
        site = site_at.get(key)
        attack = attack_at.get(key)
        if (incident.event_type == "killing" and attack and not _recalled(incident)
                and (not attack[1] or _dead(incident) <= attack[1])):  # fmt: skip
            incident = replace(incident, event_type=attack[0])
        elif (incident.event_type == "killing" and most_attacks and only_attacks
              and not _recalled(incident)):  # fmt: skip
            incident = replace(incident, event_type=most_attacks)
        elif not incident.counts and site and incident.event_type in _DESCRIBING:
            # Its date is the sentence's (a visit, a statement), not the site's.
            incident = replace(incident, event_type=site, event_date=None)
        elif (site == "mass_grave" and incident.event_type == "bodies_found"
              and incident.precision in _IN_A_REGION):  # fmt: skip
            # "the bodies of three civilians were found" near the town of the grave: its
            # bodies (but a region's tally of bodies is no one grave's)
            incident = replace(incident, event_type=site)
        elif not incident.counts and incident.event_type == "destruction" and key in found_at:
            # "the building had been completely destroyed": how the site looks
            incident = replace(incident, event_type=found_at[key], event_date=None)
        told = (incident.place, incident.precision, incident.event_type, incident.counts,
                incident.sources[0].start)  # fmt: skip
        if told not in seen:  # a detention folded into its torture site, told once
            seen.add(told)
            out.append((incident, mention))
    return out


def _recalled(incident: Incident) -> bool:
    """Whether the report only refers to *incident* (its role is background)."""
    return incident.role == "background"


def _dead(incident: Incident) -> int:
    """The most dead that *incident* counts (0 if none)."""
    return max((c.figure for c in incident.counts if not KILLED_KINDS.isdisjoint(c.kind.split())),
               default=0)  # fmt: skip


def _mass_grave(sentence: str, words: list[Trigger], figures: list[CountMention]) -> bool:
    """Whether the graves of a sentence that tells of bodies found make a mass grave: a
    word says so ("a mass grave", "common graves"), or one grave holds :data:`_MASS` or
    more ("the bodies of nine men were exhumed from a shallow grave").  Else they are the
    bodies' own graves: "Bodies given hurried graves are being retrieved", "a grave with
    two corpses", "131 bodies were exhumed, as graves are still being found"."""
    graves = [sentence[w.start : w.end].lower() for w in words if w.event_type == "mass_grave"]
    if any(grave not in ("grave", "graves") for grave in graves):
        return True
    held = (f.best or f.low or 0 for f in figures if not _COUNTED["mass_grave"].isdisjoint(
        f.kind.split()))  # fmt: skip
    return "grave" in graves and max(held, default=0) >= _MASS


def _implied(
    sentence: str, words: frozenset[str], inside: list[Mention], figures: list[CountMention]
) -> list[Trigger]:
    """Killings a sentence tells without an event word.

    A count of victims or dead ("the number of victims is estimated at 1000"),
    or a place likened or recalled ("what happened in Bucha").
    """
    # The victims of a case are its injured parties, not the dead: "10 criminal proceedings
    # involving 227 victims have been opened".
    legal = not _LEGAL_WORDS.isdisjoint(words) and bool(_LEGAL.search(sentence))
    found = [Trigger("killing", c.start, c.end) for c in figures
             if not KILLED_KINDS.isdisjoint(c.kind.split())
             and not (legal and c.kind == "victims")]  # fmt: skip
    if not found and inside and _recalls(sentence, words):
        found = [Trigger("killing", m.start, m.start) for m in inside[:1]]
    return found


def _recalls(sentence: str, words: frozenset[str]) -> bool:
    """Whether *sentence* (its lower-case *words*: :func:`~.events.words_of`) likens or
    recalls rather than reports (:data:`_REFERENCE`)."""
    return not _REFERENCE_WORDS.isdisjoint(words) and bool(_REFERENCE.search(sentence.lower()))


def _likens(sentence: str) -> bool:
    """Whether *sentence* likens its event to another place's (:data:`_LIKENING`)."""
    return bool(_LIKENING.search(sentence.lower()))


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
    *,
    recalled: bool,
    previous: list[Incident],
) -> list[tuple[Incident, Mention]]:
    latest, earlier = last
    # "a rocket attack struck apartment buildings in eastern Ukraine": an area of the
    # country, not the town named before
    area = any(m.country and _COUNTRY_PART.search(view.text, max(0, m.start - 30), m.start)
               for m in inside)  # fmt: skip
    places = [m for m in inside if not m.country] or ([earlier] if earlier and not area else [])
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
        place = _ahead(view.text, places, offset + end) or _nearest(
            _in_clause(view.text, inside, offset + start, offset + end) or places,
            offset + start)  # fmt: skip
        return named.setdefault(place.name.lower(), place)

    events: dict[Mention, list[Trigger]]
    figures: dict[Mention, list[CountMention]]
    if len(inside) <= 1:  # most sentences: every word and count is the one place's
        events, figures = {places[0]: words}, {places[0]: found_counts}
    else:
        events = {place: [] for place in named.values()}
        for word in words:
            events.setdefault(nearest(word.start, word.end), []).append(word)
        _share_along_lists(view.text, places, events, named)
        figures = {}
        for figure in found_counts:
            figures.setdefault(nearest(figure.start, figure.end), []).append(figure)
    # Recalled, or dated in its clause years before the report: "protesters killed in Kyiv
    # on February 20, 2014, ..." in 2024 (but an investigation of 2022 told in 2024 is news)
    recalled = recalled or _recalls(sentence.text, lowered)
    report = document.report_date
    old = [d for d in found_dates if report and d.date.end.year < report.year - _YEARS_BEFORE]
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
        # Its date: the first in its clause, else the sentence's first that is not an old one;
        # an old date in its clause makes it background.
        own = [d for d in found_dates
               if _in_clause(view.text, [place], offset + d.start, offset + d.end)]  # fmt: skip
        when = next(iter(own or [d for d in found_dates if d not in old]), None)
        background = recalled or bool(own and own[0] in old)
        kinds = {w.event_type for w in its_words}
        if "bodies_found" in kinds and not _mass_grave(sentence.text, its_words,
                                                       figures.get(place, [])):  # fmt: skip
            kinds.discard("mass_grave")
        event_type = min(kinds, key=_RANK.__getitem__)
        if event_type == "attack":  # the attack of the sentence before, else the report's kind
            name = place.name.lower()
            before = [i.event_type for i in previous
                      if i.event_type in _ATTACKS and i.place.lower() == name]  # fmt: skip
            event_type = before[0] if before else roles.attack_kind()
        for kind in _told(event_type, kinds):
            kept = tuple(
                Count(f.kind, best=f.best, low=f.low, high=f.high, parts=f.parts)
                for f in figures.get(place, [])
                if not _COUNTED[kind].isdisjoint(f.kind.split())
            )
            precision = roles.precision(place)
            evidence = _evidence(view.text, place, its_words, offset, event_type=kind,
                                 precision=precision, counted=bool(kept),
                                 dated=bool(found_dates), background=background)  # fmt: skip
            out.append((Incident(
                site=f"near {place.name}" if precision == "near" else place.text,
                place=place.name,
                event_type=kind,  # type: ignore[arg-type]
                precision=precision,  # type: ignore[arg-type]
                context=roles.context.get(place), counts=kept,
                event_date=when.date if when else None,
                report_date=document.report_date, sources=(source,),
                role="background" if background else "primary", confidence=evidence,
            ), place))  # fmt: skip
    return out


#: What each piece of evidence adds to the log-odds that an incident is right, and what
#: lowers them: weights fitted to the development reports (logistic regression over the
#: incidents the judge counts right or wrong), rounded.  A resolved place starts at
#: :data:`_PRIOR`; region-level incidents, killings and bodies are wrong more often.
_PRIOR = 1.8
_IN_CLAUSE, _COUNTED_ODDS, _DATED_ODDS = 0.3, 0.15, 0.35
_REGION_ODDS = -1.2
_KIND_ODDS = {"killing": -0.6, "bodies_found": -0.8, "mass_grave": -0.3}
#: What the place's resolution and the incident's role add.
_STATUS_ODDS = {"resolved": 0.0, "ambiguous": -2.3, "unresolved": -3.3}
_ROLE_ODDS = {"primary": 0.0, "secondary": -0.1, "background": -0.6}


def _evidence(
    text: str,
    place: Mention,
    words: list[Trigger],
    offset: int,
    *,
    event_type: str,
    precision: str,
    counted: bool,
    dated: bool,
    background: bool,
) -> float:
    """How likely an incident is right, from its sentence, were its place resolved and the
    report's main one: an event word in the place's clause, a count, a date, how often
    incidents of its kind and level are right, and whether it is only recalled.
    :func:`_confident` adds the resolution and the role."""
    in_clause = any(_in_clause(text, [place], offset + w.start, offset + w.end) for w in words)
    odds = (_PRIOR + _IN_CLAUSE * in_clause + _COUNTED_ODDS * counted + _DATED_ODDS * dated
            + _KIND_ODDS.get(event_type, 0.0)
            + _REGION_ODDS * (precision in ("admin1", "admin2", "country"))
            + _ROLE_ODDS["background"] * background)  # fmt: skip
    return _probability(odds)


def _probability(odds: float) -> float:
    return round(1 / (1 + math.exp(-odds)), 2)


def _confident(incident: Incident, match: Match, primary: bool) -> Incident:
    """*incident* with its role (``primary`` at the place the report tells most of, else
    ``secondary``, or ``background``) and its confidence: its sentence's (:func:`_evidence`)
    with its place's resolution and its role."""
    role: Role = "background" if _recalled(incident) else "primary" if primary else "secondary"
    change = _STATUS_ODDS[match.status] + (_ROLE_ODDS[role] if role == "secondary" else 0.0)
    if not change:
        return incident  # most: resolved, at the main place or recalled, as first weighed
    before = min(max(incident.confidence or 0.5, 0.01), 0.99)
    odds = math.log(before / (1 - before)) + change
    return replace(incident, role=role, confidence=_probability(odds))


#: Events told with another that are incidents of their own beside it: the people a
#: torture site held, the killing of those whose bodies were found.
_BESIDE = {"torture_site": "detention", "bodies_found": "killing"}


def _told(event_type: str, kinds: set[str]) -> tuple[str, ...]:
    """The incidents that a place's words tell: the first of *kinds* in PRIORITY
    (*event_type*), what they say was destroyed, and the one they tell beside it
    (:data:`_BESIDE`)."""
    beside = [k for k in (_BESIDE.get(event_type), "destruction") if k in kinds and k != event_type]
    return (event_type, *beside)


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


def _elsewhere(sentence: str, word: Trigger) -> bool:
    """Whether the clause of *word* places it at places it does not name: "1 person was
    killed in Lysychansk, and facilities in other settlements were destroyed"."""
    start = max((b.end() for b in _CLAUSE_BREAK.finditer(sentence, 0, word.start)), default=0)
    after = _CLAUSE_BREAK.search(sentence, word.end)
    return bool(_ELSEWHERE.search(sentence, start, after.start() if after else len(sentence)))


def _in_clause(text: str, mentions: list[Mention], start: int, end: int) -> list[Mention]:
    """The names in the clause of the word from *start* to *end*: "killed in a missile strike
    in eastern Ukraine, as the secretary of state arrived in Kyiv" names Ukraine, not Kyiv."""
    found = [m for m in mentions
             if not _CLAUSE_BREAK.search(text, min(end, m.end), max(start, m.start))]  # fmt: skip
    return [m for m in found if not m.country] or found


def _nearest(places: list[Mention], position: int) -> Mention:
    return min(places, key=lambda m: min(abs(m.start - position), abs(m.end - position)))


class _Roles:
    """What each place name does in the document, beyond naming a place.

    ``context`` maps a name to the one that only locates it ("Trostyanets in
    Sumy", "Lysychansk, Luhansk region", "Dnipro's Nikopol"); ``aside`` holds
    names that are no incident's place: those that only locate another,
    datelines and bylines, names inside an organisation's name ("the Kharkiv
    regional administration"), affiliations ("the investigator for Kharkiv
    region"), a city's districts, and reference points (``points``, with the
    datelines: "300 km east of Kyiv", "taken to hospital in Kupiansk").  A
    name called a region in apposition ("Kharviv, a region recently
    retaken") is a region throughout the document (``levels``); "Sumy
    region", "the region of Kherson", "villages around Kyiv" and a list under
    a plural qualifier set the level of that mention only.  The region of an
    organisation ("the Kherson regional police") is the place of a sentence
    that names no other and speaks of "the region" (``as_region``).
    """

    def __init__(self, text: str, mentions: Sequence[Mention]) -> None:
        self.text = text
        self.context: dict[Mention, str] = {}
        self.aside: set[Mention] = set()
        self.bodies: set[Mention] = set()  # of an organisation or an affiliation
        self.as_region: set[Mention] = set()  # such names that "the region" refers to
        self.levels: dict[str, str] = {}  # names called a region or a district somewhere
        self._precision: dict[Mention, str] = {}  # but for as_region, known once
        self._dateline_end = 0  # where the last dateline found ends
        self.points: set[Mention] = set()  # names that only locate something, and datelines
        self._attack_kind: str | None = None
        self._called = self._listed_levels(mentions)  # levels of single mentions
        self.city_of: dict[Mention, Mention] = {}  # a district named by an adjective: its city
        for number, mention in enumerate(mentions):
            if mention.level == "admin2" and mention.name.lower().endswith(_ADJECTIVES):
                self._district_of(mention, mentions[:number])
            if _APPOSITIVE_REGION.match(text, mention.end):
                self.levels[mention.name.lower()] = "admin1"
            window = self._before(mention)
            if _AROUND_HINTS.search(window) and _AROUND.search(
                text, max(0, mention.start - 60), mention.start
            ):
                self._called[mention] = "admin1"  # "towns and villages around Kyiv"
            if mention.country and _POSSESSIVE.match(text, mention.end):
                self.aside.add(mention)  # an owner: "Ukraine's 110th Brigade", "Russia's war"
            elif self._body(mention):
                self.aside.add(mention)
                self.bodies.add(mention)
            elif mention not in self._called and self._dateline(mention, window):
                self.aside.add(mention)
                self.points.add(mention)
            elif mention not in self._called and (
                self._reference_point(mention, mentions[number - 1] if number else None, window)
                or self._city_district(mention, window)
            ):
                self.aside.add(mention)
            following = mentions[number + 1] if number + 1 < len(mentions) else None
            if following is not None and _OWNS.fullmatch(text, mention.end, following.start):
                if following.level == "admin2":  # "Odesa's Kyivskyi district": in the city
                    self.aside.add(following)
                else:  # "Dnipro's Nikopol"
                    self.context[following] = mention.name
                    self.aside.add(mention)
            elif following is not None and not following.country:
                gap = text[mention.end : following.start]
                if gap.lstrip(" \t")[:1] in ("\n", "\r"):
                    pass  # a name that ends its line (a headline's) locates nothing after it
                elif _LOCATES.fullmatch(gap) or (following.level and _APPOSED.fullmatch(gap)):
                    self.context[mention] = following.name
                    self.aside.add(following)
        for mention in mentions:  # "the region of Kherson", but not "the region of X in Sumy"
            if (
                mention not in self.context
                and text[max(0, mention.start - 8) : mention.start]
                .lower()
                .endswith(("of ", "of the "))
                and _REGION_OF.search(text, max(0, mention.start - 30), mention.start)
            ):
                self._called[mention] = "admin1"

    def _district_of(self, district: Mention, before: Sequence[Mention]) -> None:
        """Keep the city that *district*, named by an adjective, may be a district of: the
        last town named before it, close by ("In Odesa a drone hit the Kyivskyi district")."""
        city = next((m for m in reversed(before) if not (m.level or m.country)), None)
        if city is not None and district.start - city.end <= _CITY_REACH:
            self.city_of[district] = city

    def attack_kind(self) -> str:
        """What the document's attacks are, when a sentence does not say: an air strike if
        most of its words of attack are of missiles, drones and bombs, else shelling."""
        if self._attack_kind is None:
            kinds = [found.lastgroup for found in ATTACK_WORDS.finditer(self.text)]
            air = kinds.count("air_strike")
            self._attack_kind = "air_strike" if air and air >= len(kinds) - air else "shelling"
        return self._attack_kind

    def _city_district(self, mention: Mention, window: str) -> bool:
        """Whether *mention* is a district of the city the report is about: "the Kyivskyi
        district of the city", "the city's Korabelnyi district"."""
        before = ("city" in window or "town" in window) and _THE_CITYS.search(
            self.text, max(0, mention.start - 50), mention.start
        )
        if before and before.group().endswith(", "):
            return True  # "the city's largest district, Shevchenkivskyi"
        after = _OF_THE_CITY.match(self.text, mention.end)
        if after and not after.group().lower().endswith(("city", "town")):
            return True  # "the Kanal microdistrict"
        return mention.level == "admin2" and bool(before or after)

    def _body(self, mention: Mention) -> bool:
        """Whether *mention* is part of an organisation's name or someone's affiliation."""
        return bool(
            _ORGANISATION.match(self.text, mention.end)
            or self._affiliation(mention)
            or _AFFILIATED.match(self.text, mention.end)
            or self._named_after(mention)
        )

    def _before(self, mention: Mention) -> str:
        """The 90 characters before *mention*, lower-cased, for the quick looks."""
        return self.text[max(0, mention.start - 90) : mention.start].lower()

    def _reference_point(self, mention: Mention, previous: Mention | None, window: str) -> bool:
        """Whether *mention* only locates something else, or is listed with one that does:
        "300 km east of Kyiv", "the Donetsk direction", "hospitals in Kramatorsk and
        Sloviansk"."""
        listed = (
            previous is not None
            and previous in self.points
            and bool(_LIST.fullmatch(self.text, previous.end, mention.start))
        )
        reach = max(0, mention.start - 90)
        if (
            listed
            or _FRONT.match(self.text, mention.end)
            or (_POINT_HINTS.search(window) is not None
                and any(hints.search(window) and phrase.search(self.text, reach, mention.start)
                        for hints, phrase in _REFERENCE_POINTS))
            or (not mention.level and _RIVER_HINTS.search(window)
                and _RIVER.search(self.text, reach, mention.start))
        ):  # fmt: skip
            self.points.add(mention)
        return mention in self.points

    def _listed_levels(self, mentions: Sequence[Mention]) -> dict[Mention, str]:
        """The level a plural qualifier gives every name of its list: "Chuhuiv, Kharkiv and
        Kupiansk districts" are three districts."""
        found: dict[Mention, str] = {}
        for left, right in itertools.pairwise(reversed(mentions)):
            level = found.get(left) or left.level
            if (level and not right.level and (left in found or left.text.endswith("s"))
                    and _LIST.fullmatch(self.text, right.end, left.start)):  # fmt: skip
                found[left] = found[right] = level
        return found

    def _affiliation(self, mention: Mention) -> bool:
        tail = self.text[max(0, mention.start - 9) : mention.start].lower()
        return ("of " in tail or "for " in tail) and bool(
            _AFFILIATION.search(self.text, max(0, mention.start - 40), mention.start)
        )

    def _named_after(self, mention: Mention) -> bool:
        """Whether capitalised words after *mention* make it part of a longer proper name
        ("Kharkiv Liberated Zone"), in a line that is not a headline in title case."""
        found = _PROPER_NAME.match(self.text, mention.end)
        if not found or found.group().split()[0].lower() in NOT_NAME_WORDS:
            return False
        # The line around it, at most 300 characters each way: a headline is short.
        reach = max(0, mention.start - 300)
        line_start = self.text.rfind("\n", reach, mention.start) + 1 or reach
        line_end = self.text.find("\n", mention.end, mention.end + 300)
        line = self.text[line_start : line_end if line_end >= 0 else mention.end + 300]
        return 4 * len(_CAPITALISED.findall(line)) < 3 * len(_LONG_WORD.findall(line))

    def _dateline(self, mention: Mention, window: str) -> bool:
        """Whether *mention* is in a dateline ("KYIV, Ukraine (AP) —") or a byline."""
        if "by" in window and _BYLINE.search(self.text, max(0, mention.start - 80), mention.start):
            return True
        found = _DATELINE.match(self.text, mention.end)
        if not found or "\n" in found.group():
            return False
        if self._dateline_end > mention.start:
            return True  # the country or the region of the dateline: "KYIV, Ukraine (AP) —"
        # Among the first words of its line ("date 2022-09-16 KYIV - ..."): the line's start
        # is looked for only so far back, so that a long line is not read again for each name.
        reach = max(0, mention.start - _DATELINE_REACH)
        line_start = self.text.rfind("\n", reach, mention.start) + 1
        if line_start == 0 and reach > 0:
            return False
        if len(self.text[line_start : mention.start].split()) > 3:
            return False
        self._dateline_end = found.end()
        return True

    def precision(self, place: Mention) -> str:
        """How precisely the name places its incidents (see the module docstring)."""
        found = self._precision.get(place)
        if found is None:
            found = self._precision[place] = self._precision_of(place)
        return "admin1" if found != "country" and place in self.as_region else found

    def _precision_of(self, place: Mention) -> str:
        if place.country:
            return "country"
        level = place.level or self._called.get(place) or self.levels.get(place.name.lower())
        if level is not None:
            return level
        reach = max(0, place.start - 40)
        before = self.text[reach : place.start].lower()
        if any(word in before for word in _NEAR_WORDS) and _NEAR.search(
            self.text, reach, place.start
        ):  # fmt: skip
            return "near"
        return "settlement"
