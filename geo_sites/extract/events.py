"""What happened and how many: event words and counts in a sentence.

**Event types** are found by their words, one pattern per type of
:data:`~geo_sites.incidents.EVENT_TYPES` ("mass grave", "burial site";
"bodies ... found", "exhumed"; "killed", "executions"; "torture chambers";
"shelling", "artillery"; "air strike", "missile"; "destroyed"; "detained").
When one place has several, the first in :data:`PRIORITY` is the incident:
a mass grave of people killed by shelling is a mass grave, and a missile
strike that killed 57 is an air strike with 57 killed.

**Counts** are numbers in digits ("44", "1,700") or words ("twenty",
"forty-four", "a dozen", "dozens", "hundreds"), with what they count: the
noun that follows ("447 victims", "440 unmarked graves", "twenty more
'torture chambers'"), or the one before ("the number of victims is
estimated at 1000").  "more than", "over" and "at least" make the figure a
low estimate; "up to" a high one.  "226 were women and 19 were children"
become parts of the count before them.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "ATTACK_WORDS",
    "KILLED_KINDS",
    "PRIORITY",
    "CountMention",
    "Trigger",
    "counts",
    "triggers",
    "words_of",
]

#: Kinds of count that say people were killed: with no event word, they make a killing.
KILLED_KINDS = frozenset({"victims", "killed", "dead", "deaths"})

#: Which event a place's sentence is about, when it names several.
PRIORITY = ("mass_grave", "torture_site", "bodies_found", "air_strike", "shelling", "attack",
            "detention", "killing", "destruction")  # fmt: skip
#: The words of air strikes and of shelling, apart: which of them a report's "attack" is.
ATTACK_WORDS = re.compile(r"\b(?:(?P<air_strike>missiles?|drones?|air[- ]?strikes?|air raids?|"
                          r"bomb\w*|shaheds?|rockets?)|(?P<shelling>shell\w*|artillery|"
                          r"mortars?))\b", re.IGNORECASE)  # fmt: skip

_PATTERNS = {
    "mass_grave": r"mass[- ](?:grave|burial)s?|burial (?:site|ground|place)s?|"
                  r"(?:unmarked|common|fresh|makeshift) graves?|crosses|"
                  # "buried in individual graves": each in their own, no mass grave
                  r"(?<!individual )(?<!separate )(?<!own )graves?",
    "torture_site": r"tortur\w* (?:chamber|room|cell|site|centre|center|facilit)\w*|"
                    r"(?:chamber|room|cell|basement)s? (?:used )?for tortur\w*",
    # the word alone is the trigger; what must go with it is looked for ahead
    "bodies_found": r"(?:bodies|corpses|remains)(?=\b[^.;]{0,80}?\b(?:found|discovered|"
                    r"recovered|exhumed|uncovered|retrieved|lay|lying)\b)|(?:found|discovered|"
                    r"recovered|exhumed|uncovered|retrieved)(?=\b[^.;]{0,60}?\b(?:bodies|corpses|"
                    r"remains)\b)|exhum\w+|(?:dead )?(?:bodies|corpses) of",
    "killing": r"kill(?:ed|ing|ings)?|execut(?:ed|es|ing|ion|ions)|murder(?:ed|s)?|"
               r"(?:were|was|been|being) shot(?! down)|shot dead|shot in the|gunshot wounds|"
               # "to determine the causes of death": what is asked, not a death told
               r"died|massacre[sd]?|slain|(?<!cause of )(?<!causes of )deaths?",
    "detention": r"detain(?:ed|ees?)|detention|abduct(?:ed|ion|ions)|filtration|captivity|"
                 r"disappear(?:ed|ing|ance|ances)|(?:illegally|unlawfully) (?:held|kept)|"
                 # people held, not an exhibition or talks: "were held in a basement"
                 r"(?:were|was|been|being) (?:held|kept)(?= (?:\w+ ){0,3}?(?:captive|hostage|"
                 r"prisoner|in (?:a |the |one )?(?:basements?|cells?|prisons?|pits?|cellars?|"
                 r"garages?|captivity)\b|for \d+|for (?:days|weeks|months)))|"
                 r"used as an? (?:cell|prison|jail)|"
                 # held, said of people: "according to people who were held there"
                 r"(?:people|civilians|men|women|residents|villagers|locals|children|detainees|"
                 r"prisoners|hostages) (?:who |that )?(?:were|was|had been|have been) "
                 r"(?:held|kept)|"
                 r"(?:taken|took|takes|held|holds?|holding|keeps?|kept)\s+(?:\w+\s+){0,3}?"
                 r"(?:captive|prisoners?|hostages?)",
    "air_strike": r"air[- ]?strikes?|air raids?|missile (?:strike|attack)s?|missiles?|"
                  r"bomb(?:s|ed|ing|ings)?|(?:drone|rocket) (?:strike|attack)s?|"
                  r"(?:drones?|rockets?)(?= (?:\w+ ){0,4}?(?:struck|hit|hits|attacked|slammed)\b)|"
                  r"shaheds?|"
                  r"(?<!artillery )(?<!mortar )(?<!tank )strikes? (?=on |against )|"
                  r"(?<=the )strike|(?<=a )strike",
    "shelling": r"shell(?:s|ed|ing)?|shell-fire|artillery|mortars?|bombard(?:ed|ment)|"
                r"(?:rocket|tank|enemy) fire|tank-fire|under (?:heavy )?fire|multiple rocket",
    # an attack that the words do not say is a strike or shelling: the report's other words do
    # people injured as a verb or a count, not "wounded troops", "apparently wounded"
    "attack": r"attacked|attacks?(?= on | against | across )|injuring|wounding|damag(?:ed|ing)|"
              # what burned: "a truck caught fire", "outbuildings burned down"
              r"caught fire|(?:burned|burnt) down|fire broke out|"
              r"(?:(?<=were )|(?<=was )|(?<=been )|(?<=\d )|(?<=two )|(?<=three )|(?<=four )|"
              r"(?<=five )|(?<=others )|(?<=people ))(?:injured|wounded)|"
              r"(?:injured|wounded)(?= (?:\d|two|three|four|five|six|seven|eight|nine|ten|"
              r"dozens|more|another|at least|others))",
    "destruction": r"(?<!partially )(?<!partly )destroy(?:ed|s|ing)?(?!\s+(?:[\w-]+\s+){0,2}?"
                   r"(?:drones?|missiles?|shaheds?|rockets?|targets?|aircraft|helicopters?|"
                   r"tanks?|vehicles?|equipment|positions?|ammunition|weapons?)\b)|"
                   r"destruction|in ruins|"
                   r"reduced to (?:ruins|rubble|dust)|razed",
}  # fmt: skip
# The letters a pattern's alternatives can start with (and some more): the engine tries the
# long alternation only at word starts with one of them, three times quicker.
_FIRST_LETTERS = sorted(
    {c for p in _PATTERNS.values() for c in re.findall(r"(?:^|[(|:?)])([a-z])", p)}
)
_TRIGGER_PATTERN = (
    f"\\b(?=[{''.join(_FIRST_LETTERS)}])(?:"
    + "|".join(f"(?P<{kind}>{pattern})" for kind, pattern in _PATTERNS.items())
    + ")\\b"
)
_TRIGGERS = re.compile(_TRIGGER_PATTERN, re.IGNORECASE)
_TRIGGERS_LOWER = re.compile(_TRIGGER_PATTERN)  # on lower-cased text: 40 % quicker
_LETTERS = re.compile(r"[a-z]+")
_EXHUM = re.compile(r"exhum|air-strike|air-raid|mass-grave|mass-burial")  # not whole words

_CAUSE = re.compile(r"\b(?:killed|died|dead|death|deaths)\s+(?:because\s+of|by|from|of)\s+"
                    r"(?:[\w-]+\s+){0,2}$", re.IGNORECASE)  # fmt: skip
# "a criminal case for ... premeditated murder": the charge, not a report of a killing
_CHARGE = re.compile(r"\b(?:premeditated|intentional|wilful|willful|criminal\s+(?:case|"
                     r"proceedings)|charges?|charged|article|art\.)\W[^.;]{0,80}$",
                     re.IGNORECASE)  # fmt: skip
_UNIT_WORDS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_UNITS = {word: number for number, word in enumerate(_UNIT_WORDS)}
_TENS = {word: 10 * number for number, word in enumerate(
    ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
) if word}  # fmt: skip
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_VAGUE = {"dozen": 12, "dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2000}
_NUMBER_WORD = "|".join([*_UNITS, *_TENS, *_SCALES, *_VAGUE])
_NUMBER_WORDS = frozenset([*_UNITS, *_TENS, *_SCALES, *_VAGUE])
_NUMBER_STARTS = "".join(sorted({word[0] for word in _NUMBER_WORDS} | {"a"}))
# Numbers in figures (the first digit read before the look behind it: five times quicker),
# and in words (looked for only in sentences with a number's word, lower-cased: quicker).
_DIGITS = re.compile(r"(?P<digits>\d(?<![\d.,:/-]\d)(?:\d{0,2}(?:,\d{3})+|\d*))(?![\d,.:/-]*\d)")
_IN_WORDS_PATTERN = (
    rf"\b(?=[{_NUMBER_STARTS}])"  # a quick look first: a number word's first letter
    rf"(?P<words>(?:a\s+(?:dozen|hundred|thousand)|{_NUMBER_WORD})"
    rf"(?:[\s-]+(?:and\s+)?(?:{_NUMBER_WORD}))*\b)"
)
_IN_WORDS = re.compile(_IN_WORDS_PATTERN, re.IGNORECASE)
_IN_WORDS_LOWER = re.compile(_IN_WORDS_PATTERN)
# The words before a count that say what it is are at most this many characters back.
_BEFORE = 100
#: A quick look for whether a sentence has a number at all.
_DIGIT = re.compile(r"\d")
#: The first words of the event patterns: a sentence without one has no event word.
# One word that each event pattern needs ("found" needs "bodies", so "bodies" is enough).
_FIRST_WORDS = (
    "mass burial grave graves crosses torture tortured tortures torturing bodies corpses "
    "remains kill killed killing killings executed executes executing execution executions "
    "murder murdered murders shot gunshot died massacre massacres massacred slain death "
    "deaths detained detainee detainees detention abducted abduction abductions filtration "
    "captivity disappeared disappearing disappearance disappearances held prisoner prisoners "
    "hostage hostages captive airstrike airstrikes raid raids strike strikes missile missiles "
    "bomb bombs bombed bombing bombings drone drones rocket rockets shahed shaheds shell "
    "shells shelled shelling attack attacks attacked fire artillery mortar mortars bombarded "
    "bombardment destroy destroyed destroys destroying destruction ruins rubble dust razed "
    "injured injuring wounded wounding damaged damaging burned burnt kept cell prison jail"
)
_TRIGGER_WORDS = frozenset(_FIRST_WORDS.split())
# The nouns of a count of dead that no event word goes with: "300 victims", "two dead".
_DEAD_WORDS = KILLED_KINDS | {"victim", "toll", "lives", "perished"}
_LOW = re.compile(r"(?:more than|over|at least|upwards of|in excess of|no fewer than|"
                  r"not less than)\s+$", re.IGNORECASE)  # fmt: skip
_HIGH = re.compile(r"(?:up to|as many as|fewer than|less than|no more than)\s+$", re.IGNORECASE)
_KIND = re.compile(
    r"\s*(?:more\s+|other\s+|of\s+(?:the\s+)?)?"
    r"(?P<adjectives>(?:(?!(?:and|or|but|while)\s)[\"“‘']?[a-z-]+[\"”’']?\s+){0,2}?)"
    r"[\"“‘']?(?P<noun>bodies|corpses|remains|graves|victims|people|persons|civilians|residents|"
    r"men|women|children|man|woman|child|person|civilian|resident|body|"
    r"soldiers|prisoners|detainees|hostages|villagers|workers|employees|buildings|houses|homes|"
    r"attacks|"
    r"(?:torture\s+)?(?:chambers|rooms|cells)|crosses|dead|deaths|killed|injured|wounded|"
    r"missing|individuals)\b",
    re.IGNORECASE,
)
_KIND_BEFORE = re.compile(
    r"(?:number|toll|count)\s+of\s+(?P<noun>victims|dead|deaths|bodies|people|graves|killed)"
    r"[^.;]{0,40}?(?:at|to|of|is|was|reached|stands at)\s+$",
    re.IGNORECASE,
)
_VERB_BEFORE = re.compile(r"\b(?P<verb>killing|killed|injuring|injured|wounding|wounded)\s+"
                          r"(?:(?:at least|more than|over|up to|about|some|another)\s+)?$",
                          re.IGNORECASE)  # fmt: skip
_SUFFERED = frozenset({"killed", "injured", "wounded"})
_VERB_KINDS = {"killing": "killed", "killed": "killed", "injuring": "injured",
               "injured": "injured", "wounding": "wounded", "wounded": "wounded"}  # fmt: skip
_PART = re.compile(
    r"\s*(?:of\s+(?:them|whom)\s+)?(?:were|are|was)\s+(?P<part>women|children|men|girls|boys|"
    r"civilians|soldiers|elderly|minors)\b",
    re.IGNORECASE,
)
_NOT_A_COUNT = re.compile(
    r"[\s-]*(?:%|per ?cent|km|kilomet|miles?|square|years?|months?|weeks?|days?|hours?|minutes?|"
    r"entrances?|storey|story|floor|o'clock|am\b|pm\b|st\b|nd\b|rd\b|th\b)",
    re.IGNORECASE,
)
# How many live in a place is no toll: "a city with a pre-war population of around 300,000
# people", "a town of 20,000", "home to 40,000 residents".
_POPULATION = re.compile(r"\b(?:population|inhabitants|home\s+to|(?:city|town|village|"
                         r"settlement)\s+of)\s+(?:(?:of|around|about|some|roughly|nearly|over|"
                         r"more\s+than|almost|approximately)\s+)*$", re.IGNORECASE)  # fmt: skip
# "eleven were wounded": the kind is "wounded"
_NOT_ADJECTIVES = frozenset({"more", "other", "the", "were", "was", "are", "is", "had", "have",
                             "been", "being"})  # fmt: skip
#: Nouns of people, whose count says what they suffered by the verbs around it.
_PEOPLE = frozenset({"people", "persons", "civilians", "residents", "individuals", "men",
                     "women", "children", "workers", "employees"})  # fmt: skip
_PLURAL = {"man": "men", "woman": "women", "child": "children", "person": "persons",
           "civilian": "civilians", "resident": "residents", "body": "bodies"}  # fmt: skip
_BODIES_OF = re.compile(r"\b(?:bodies|corpses|remains)\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# One person harmed, with the article: "a 40-year-old man was killed", "an elderly woman
# died", "a driver was injured".
_ONE_PERSON = (
    r"(?:[\w-]+\s+){0,2}?(?:man|woman|boy|girl|child|teenager|person|civilian|"
    r"resident|pensioner|driver|worker|employee|volunteer|farmer|paramedic|rescuer|"
    r"policeman|watchman|guard|nurse|doctor|teacher|journalist|priest|neighbou?r|"
    r"passer-by|pedestrian|firefighter|miner|mother|father|son|daughter)\b"
)
# ... or after the verb: "shelling killed a 58-year-old man", "injuring its driver".
_ONE_HARMED = re.compile(
    rf"\b(?:an?\s+{_ONE_PERSON}\s+(?:was\s+|has\s+been\s+|had\s+been\s+)?"
    r"(?P<verb>killed|died|injured|wounded|hurt)\b"
    r"|(?P<before>killed|killing|injured|injuring|wounded|wounding)\s+(?:an?|its|his|her|"
    rf"their)\s+{_ONE_PERSON})",
    re.IGNORECASE,
)
_ONE_WORDS = frozenset({"a", "an", "its", "his", "her", "their"})
_HARMED_KINDS = {"killed": "killed", "killing": "killed", "died": "killed",
                 "injured": "injured", "injuring": "injured", "wounded": "wounded",
                 "wounding": "wounded", "hurt": "injured"}  # fmt: skip
_HARMED_WORDS = frozenset(_HARMED_KINDS)
_KILLED_VERBS = re.compile(r"\b(?:killed|killing|died|dead|murdered|executed|slain|perished)\b",
                           re.IGNORECASE)  # fmt: skip
_INJURED_VERBS = re.compile(r"\b(?:injured|wounded|hurt)\b", re.I)


@dataclass(frozen=True, slots=True)
class Trigger:
    """A word that says what happened, with its offsets in the sentence."""

    event_type: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CountMention:
    """A count in a sentence: ``best``/``low``/``high`` as the words allow, and what is counted."""

    kind: str
    best: int | None
    low: int | None
    high: int | None
    start: int
    end: int
    parts: tuple[tuple[str, int], ...] = ()


def words_of(sentence: str) -> frozenset[str]:
    """The lower-case words of *sentence*, for the quick looks of :func:`triggers`,
    :func:`counts` and :func:`~.dates.dates` (computed once a sentence)."""
    return frozenset(_LETTERS.findall(sentence.lower()))


def may_tell(sentence: str, words: frozenset[str]) -> bool:
    """Whether *sentence* (its lower-case *words*) may tell an event or count its dead: the
    quick look that spares most sentences the patterns of :func:`triggers` and :func:`counts`."""
    return (
        not _TRIGGER_WORDS.isdisjoint(words)
        or not _DEAD_WORDS.isdisjoint(words)
        or bool(_EXHUM.search(sentence.lower()))
    )


def triggers(
    sentence: str, words: frozenset[str] | None = None, *, counted: bool = False
) -> list[Trigger]:
    """The event words of *sentence*, in order.

    A weapon named as the cause of deaths ("some died because of air strikes")
    tells of killings, not of a strike of its own, unless the sentence counts
    the dead (*counted*): "two people were killed in shelling of Nikopol" is a
    shelling that killed two.
    """
    lowered = sentence.lower()
    words = words_of(sentence) if words is None else words
    if _TRIGGER_WORDS.isdisjoint(words) and not _EXHUM.search(lowered):
        return []  # most sentences: a set look-up instead of the long pattern
    pattern, text = (_TRIGGERS_LOWER, lowered) if len(lowered) == len(sentence) else (
        _TRIGGERS, sentence)  # fmt: skip
    return [
        Trigger(
            str(found.lastgroup) if counted else _cause(text, found), found.start(), found.end()
        )
        for found in pattern.finditer(text)
        if not _charge(text, found)
    ]


def _charge(text: str, found: re.Match[str]) -> bool:
    """The word "murder" in the words of a charge names the crime, not an event of its own."""
    return found.group().lower() in ("murder", "murders") and bool(
        _CHARGE.search(text, max(0, found.start() - 100), found.start())
    )


def _cause(text: str, found: re.Match[str]) -> str:
    kind = str(found.lastgroup)
    if kind in ("shelling", "air_strike", "attack") and _CAUSE.search(
        text, max(0, found.start() - 40), found.start()
    ):
        return "killing"
    return kind


def counts(sentence: str, words: frozenset[str] | None = None) -> list[CountMention]:
    """The counts of *sentence*, in order; parts join the count before them. One person
    whom the sentence says was killed or hurt counts one ("a 40-year-old man was killed")."""
    words = words_of(sentence) if words is None else words
    found = _one_harmed(sentence) if not _ONE_WORDS.isdisjoint(words) and not (
        _HARMED_WORDS.isdisjoint(words)) else []  # fmt: skip
    in_words = not _NUMBER_WORDS.isdisjoint(words)
    if not in_words and not _DIGIT.search(sentence):
        return found
    if found:
        return sorted([*found, *_counts(sentence, in_words)], key=lambda c: c.start)
    return _counts(sentence, in_words)


def _one_harmed(sentence: str) -> list[CountMention]:
    """The people one at a time whom *sentence* says were killed or hurt: "a woman was
    injured", "an elderly man died"."""
    found = _ONE_HARMED.finditer(sentence)
    return [CountMention(_HARMED_KINDS[(f["verb"] or f["before"]).lower()], 1, None, None,
                         f.start(), f.end()) for f in found]  # fmt: skip


def _counts(sentence: str, in_words: bool) -> list[CountMention]:
    """The counts of *sentence*, in figures and, if *in_words*, in words too."""
    numbers: Iterable[re.Match[str]] = _DIGITS.finditer(sentence)
    if in_words:
        lowered = sentence.lower()
        worded = (_IN_WORDS_LOWER.finditer(lowered) if len(lowered) == len(sentence)
                  else _IN_WORDS.finditer(sentence))  # fmt: skip
        numbers = heapq.merge(numbers, worded, key=lambda n: n.start())
    found: list[CountMention] = []
    for number in numbers:
        written, digits = number.group(), number.lastgroup == "digits"
        value = _value(written, digits)
        if value is None or (digits and _year(written, value)):
            continue
        start, end = number.span()
        reach = max(0, start - _BEFORE)
        if _NOT_A_COUNT.match(sentence, end) or _POPULATION.search(sentence, reach, start):
            continue
        part = _PART.match(sentence, end)
        if part and found:
            last = found[-1]
            parts = (*last.parts, (part["part"].lower(), value))
            found[-1] = CountMention(last.kind, last.best, last.low, last.high, last.start,
                                     last.end, parts)  # fmt: skip
            continue
        kind = _kind(sentence, start, end)
        if kind is None:
            continue
        vague = not digits and written.lower() in _VAGUE  # "dozens": at least
        low = value if vague or _LOW.search(sentence, reach, start) else None
        high = value if _HIGH.search(sentence, reach, start) else None
        best = None if vague else value
        found.append(CountMention(kind, best, low, high, start, end))
    return found


def _value(written: str, digits: bool) -> int | None:
    if digits:
        return int(written.replace(",", ""))
    words = [w for w in re.split(r"[\s-]+", written.lower()) if w and w != "and"]
    if not words or words == ["a"]:
        return None
    if len(words) == 1 and words[0] in _VAGUE:
        return _VAGUE[words[0]]
    total = current = 0
    for word in words:
        if word == "a":
            current = max(current, 1)
        elif word in _UNITS:
            current += _UNITS[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word in _SCALES:
            current = max(current, 1) * _SCALES[word]
            if _SCALES[word] >= 1000:
                total, current = total + current, 0
        elif word == "dozen":
            current = max(current, 1) * 12
        else:
            return None
    value = total + current
    return value or None


def _year(digits: str, value: int) -> bool:
    """A year ("in 2022") or a date's day is no count."""
    return 1900 <= value <= 2100 and "," not in digits


def _kind(sentence: str, start: int, end: int) -> str | None:
    """What the number from *start* to *end* counts: the noun after it, or "the number of
    victims ... at" before it."""
    reach = max(0, start - _BEFORE)
    noun = _KIND.match(sentence, end)
    if noun:
        adjectives = " ".join(w.strip("\"“”‘’'").lower() for w in noun["adjectives"].split())
        word = " ".join(noun["noun"].lower().split())
        word = _PLURAL.get(word, word)  # "one man"
        if word in _PEOPLE:
            # "killing a man and injuring two women"
            verb = _VERB_BEFORE.search(sentence, reach, start)
            if verb:
                suffered = _VERB_KINDS[verb["verb"].lower()]
                word = word if (word, suffered) == ("civilians", "killed") else suffered
            elif _KILLED_VERBS.search(sentence):
                word = "killed" if word != "civilians" else word
            elif _INJURED_VERBS.search(sentence):
                word = "injured"
        if _BODIES_OF.search(sentence, reach, start):  # "the bodies of 44 civilians"
            word = "civilian bodies" if word == "civilians" else "bodies"
        if word in ("chambers", "rooms", "cells") and "tortur" in sentence.lower():
            word = f"torture {word}"
        if word in _SUFFERED:
            return word  # what the people suffered, not who they were ("railway workers")
        adjectives = " ".join(a for a in adjectives.split() if a not in _NOT_ADJECTIVES)
        return f"{adjectives} {word}".strip() if adjectives and len(adjectives) < 20 else word
    named = _KIND_BEFORE.search(sentence, reach, start)
    if named:
        return named["noun"].lower()
    verb = _VERB_BEFORE.search(sentence, reach, start)  # "killing four", "and wounded 20"
    return _VERB_KINDS[verb["verb"].lower()] if verb else None
