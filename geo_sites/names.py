"""Normalise place names and derive the keys the gazetteer is indexed by.

Every name, in the index and in a query, is reduced to two keys:

``exact_key``
    Case-folded, NFKC, Latin diacritics removed, apostrophes dropped, hyphens
    and runs of spaces folded to one space.  ``Khar’kov`` and ``KHARKOV`` meet;
    scripts stay apart (``Ізюм`` is not ``Izium`` at this level).
``skeleton``
    The exact key romanised (Ukrainian national system and Russian BGN/PCGN for
    Cyrillic) and folded further so that transliteration variants meet:
    ``iu/yu/ju``, ``ia/ya/ja``, ``i/y/j``, ``kh/h/ch(German)/x``, ``g/h``,
    ``ts/c/tz``, ``zh/ž``, ``sh/š/sch``, ``ye/e`` after a vowel, doubled
    letters, spaces.
    ``Ізюм``, ``Изюм``, ``Izium``, ``Izyum`` and ``Izjum`` all give ``izium``.

:func:`parse_query` splits the qualifiers people write around a name:
"Kharkiv region", "the city of X", "X, Sumy oblast", "X in Sumy region";
:func:`query_for` makes a query whose level and context are fields, and
:func:`qualifier_level` gives the level one qualifier word asks for.  Both
remember their answers: the same names come back, document after document.

:func:`is_code` tells a word written as an acronym or code ("US", "ZNPP") and
:func:`demonyms` gives the words for the people of countries and continents
("Syrian", "Irish", "European"): neither is a place name.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from .exceptions import ParameterError

__all__ = [
    "CODE_LENGTHS",
    "MAX_NAME_LENGTH",
    "UKRAINIAN_FORM",
    "ParsedQuery",
    "demonyms",
    "exact_key",
    "has_cyrillic",
    "is_code",
    "looks_transliterated",
    "new_names",
    "parse_query",
    "qualifier_level",
    "query_for",
    "raion_towns",
    "rename_note",
    "renamed_places",
    "romanizations",
    "romanize_russian",
    "romanize_ukrainian",
    "shorten",
    "skeleton",
    "skeletons",
    "skeletons_and_ukrainian_forms",
    "ukrainian_forms",
]

#: Longer strings are not place names; they are not looked up.
MAX_NAME_LENGTH = 200

_APOSTROPHES = "'’ʼ`´‘ʹʺ′″\"“”„«»"
_DASHES = "-‐‑‒–—―_/"
# Apostrophes vanish, dashes become spaces, control characters vanish.
# Zero-width characters, soft hyphen and byte-order mark.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"
_FOLD = str.maketrans(
    {**{c: None for c in _APOSTROPHES + _INVISIBLE}, **{c: " " for c in _DASHES}}
    | {c: None for c in map(chr, [*range(0, 32), *range(127, 160)])}
)
# The same for ASCII, as bytes.translate takes it (mapped, deleted): faster than str.translate.
_FOLD_ASCII = (
    bytes.maketrans(
        bytes(c for c in range(128) if isinstance(_FOLD.get(c), str)),
        "".join(str(_FOLD[c]) for c in range(128) if isinstance(_FOLD.get(c), str)).encode(),
    ),
    bytes(c for c in range(128) if c in _FOLD and _FOLD[c] is None),
)
# Any character _FOLD changes: most names have none, and a search is cheaper than translate.
_FOLDED = re.compile(f"[{re.escape(''.join(map(chr, _FOLD)))}]")
_FOLD_CONTROL = str.maketrans({c: " " for c in map(chr, [*range(0, 32), *range(127, 160)])})
_SPACES = re.compile(r"\s+")
_CYRILLIC = re.compile(r"[\u0400-\u052f]")
# Combining marks right after an ASCII letter (é = e + ◌́); not after Cyrillic (й = и + ◌̆).
_LATIN_MARKS = re.compile(r"(?<=[\x00-\x7f])[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff]+")
# Letters only Ukrainian (і ї є ґ) or only Russian (ы э ъ ё) uses.
_UKRAINIAN_ONLY = re.compile(r"[іїєґ]")
_RUSSIAN_ONLY = re.compile(r"[ыэъё]")


def _strip_latin_marks(text: str) -> str:
    """Remove diacritics from Latin letters; Cyrillic й and ї keep theirs."""
    if text.isascii():
        return text
    text = _LATIN_MARKS.sub("", unicodedata.normalize("NFD", text))
    return unicodedata.normalize("NFC", text).replace("ı", "i").replace("ł", "l")


@lru_cache(maxsize=65536)
def exact_key(name: str) -> str:
    """Return the case-, accent- and punctuation-insensitive key of *name*.

    Examples
    --------
    >>> exact_key("  Khar’kov ")
    'kharkov'
    >>> exact_key("Ivano-Frankivsk")
    'ivano frankivsk'
    """
    if name.isascii():
        if name.isalpha():  # most names: one plain word
            return name.lower()
        text = name.encode().translate(*_FOLD_ASCII).decode().lower()
    else:
        text = unicodedata.normalize("NFKC", name)
        if _FOLDED.search(text):
            text = text.translate(_FOLD)
        text = _strip_latin_marks(text.casefold())
    return " ".join(text.split()).strip(" .,;:")


def has_cyrillic(text: str) -> bool:
    """Return True if *text* contains a Cyrillic letter."""
    return _CYRILLIC.search(text) is not None


# Traces that romanising Cyrillic leaves in a Latin name, and that English, Spanish
# or Japanese names rarely show: letter groups for single Cyrillic letters
# (х kh, ж zh, щ shch), iotated vowels written with y or j (ю yu/ju, я ya/ja,
# є ye/je, ї yi/ji), adjective endings (-iy, -yy, -yi, -ij: -ий, -ій, -ый) and a
# soft sign written as an apostrophe inside or after a word (Khar'kov, Ol'hopil'),
# not after one initial letter (O'Hare, D'Arcy).
# "ia" and "iu" are not traces: Asia, Colombia and Pennsylvania have them.
_TRANSLITERATED = re.compile(
    r"kh|zh|shch|[yj][uaei]|(?:iy|yy|yi|ij)(?:\b|$)|[a-z]{2}[ʹ'’ʼ](?:[a-z]|\b|$)",
    re.IGNORECASE,
)


def looks_transliterated(text: str) -> bool:
    """Tell whether *text* is Cyrillic, or Latin that shows traces of romanised Cyrillic.

    Transliteration skeletons fold the spellings of one Cyrillic name
    together (Izyum, Izjum, Izium); for a name that shows no such trace
    ("Pennsylvania", "Hawaii") a skeleton match is a coincidence of folding.

    Examples
    --------
    >>> looks_transliterated("Kharkov"), looks_transliterated("Ізюм")
    (True, True)
    >>> looks_transliterated("Pennsylvania"), looks_transliterated("Asia")
    (False, False)
    """
    return has_cyrillic(text) or _TRANSLITERATED.search(text) is not None


def romanizations(key: str) -> tuple[str, ...]:
    """Return the Latin forms of an exact key.

    Latin keys come back as they are.  Cyrillic is romanised with the
    Ukrainian national system (KMU 2010) and the Russian BGN/PCGN system;
    a name that shows letters of only one language gets only that language's
    form.  Stray Cyrillic letters in a Latin name (``Kharкiv``) are romanised
    in place.
    """
    if key.isascii() or not has_cyrillic(key):
        return (key,)
    forms: list[str] = []
    if not _RUSSIAN_ONLY.search(key):
        forms.append(romanize_ukrainian(key))
    if not _UKRAINIAN_ONLY.search(key):
        forms.append(romanize_russian(key))
    return tuple(dict.fromkeys(exact_key(f) for f in forms))


def romanize_ukrainian(text: str) -> str:
    """Romanise Ukrainian Cyrillic with the national system (KMU 2010)."""
    from translitua import UkrainianKMU, translit

    return str(translit(text, UkrainianKMU))


def romanize_russian(text: str) -> str:
    """Romanise Russian Cyrillic with BGN/PCGN."""
    import iuliia

    # iuliia's BGN/PCGN leaves ё as it is; written without its dots it is е (Берёзовка).
    return str(iuliia.BGN_PCGN.translate(text.replace("ё", "е").replace("Ё", "Е")))


# Folding rules, applied in order to a romanised key with spaces removed: first
# the letter groups, then single letters.
_GROUPS: tuple[tuple[str, str], ...] = (
    ("shch", "sc"),
    ("schtsch", "sc"),
    ("sch", "s"),
    ("tsch", "c"),
    ("zh", "z"),
    ("kh", "h"),
    ("ch", "c"),
    ("sh", "s"),
    ("ts", "c"),
    ("tz", "c"),
    ("cz", "c"),
    ("sz", "s"),
)
_ANY_GROUP = re.compile("|".join(old for old, _ in _GROUPS))
# Single letters, as (old, new) pairs: replace() skips absent letters faster than translate().
_LETTERS = (("x", "h"), ("g", "h"), ("w", "v"), ("q", "k"), ("y", "i"), ("j", "i"))
_ASCII_NOT_LETTERS = str.maketrans(
    "", "", "".join(c for c in map(chr, range(128)) if not "a" <= c <= "z")
)
_REPEATS = re.compile(r"(?<=(.))\1+")  # the letters that repeat the one before
_REPEAT = re.compile(r"(.)\1")  # searched first: substituting costs more, and most keys have none
# Е/Є after a vowel or at the start: "ye" in one system, "e" in another (Krasnoye, Krasnoe).
_IOTATED_E = re.compile(r"(^|[aeiou])ie")
_NOT_LETTERS = re.compile(r"[^a-z]")


def _fold(latin: str) -> str:
    if latin.isascii():
        text = latin.replace(" ", "")
        if not text.isalpha():
            text = text.translate(_ASCII_NOT_LETTERS)
    else:
        text = _NOT_LETTERS.sub("", latin)
    if _ANY_GROUP.search(text):  # one search; most words have none of the groups
        for old, new in _GROUPS:
            if old in text:
                text = text.replace(old, new)
    for old, new in _LETTERS:
        if old in text:
            text = text.replace(old, new)
    if _REPEAT.search(text):
        text = _REPEATS.sub("", text)
    return _IOTATED_E.sub(r"\1e", text) if "ie" in text else text


def skeletons(key: str) -> tuple[str, ...]:
    """Return the transliteration skeletons of an exact key (one per romanisation).

    Keys with no Latin or Cyrillic letters (CJK, Arabic, digits...) have none.

    Examples
    --------
    >>> skeletons("ізюм"), skeletons("izjum")
    (('izium',), ('izium',))
    """
    if key.isascii():
        folded = _fold(key)
        return (folded,) if folded else ()
    return tuple(dict.fromkeys(f for f in map(_fold, romanizations(key)) if f))


#: The prefix of the keys that meet the Russian and Ukrainian forms of a name in Ukraine.
UKRAINIAN_FORM = "ua~"


# Word endings of Russian forms and their Ukrainian counterparts, on folded words
# (y and j are i, "ye" after a vowel is e), in order: adjective endings first
# (Veselaya/Vesela, Velikoye/Velyke, Pervomayskoye/Pervomaiske, Krasnyy or
# Krasnoy/Krasnyi, Novyye/Novi), then the o or e of a stem that Ukrainian turns
# into i before -vka, -vsk-, -vtsy and at the end (Mikhaylovka/Mykhailivka,
# Artemovsk/Artemivsk, Andreyevka/Andriivka, Petrovskoye/Petrivske, Borisov/Borysiv,
# Yuskovtsy/Yuskivtsi), and the neuter -ovo and -ino (Ivanovo/Ivanove,
# Kalinino/Kalynyne).  Then the o and e that Ukrainian turns into i in a closed last
# syllable, or where Russian has e for the old yat: pod-/pid- (Podlesnoye/Pidlisne,
# Podgornoye/Pidhirne), bel-/bil- (Belozerka/Bilozerka), -selka/-silka
# (Novoselka/Novosilka), -lesnoye/-lisne, Gorka/Hirka, Orelskoye/Orilske; and -itsa
# for -ytsia (Bystritsa/Bystrytsia).  Both forms are folded alike, so Ukrainian
# names meet each other as before.
def _rules(*pairs: tuple[str, str]) -> tuple[tuple[re.Pattern[str], str], ...]:
    """Compile (pattern, replacement) pairs, applied in order."""
    return tuple((re.compile(pattern), replacement) for pattern, replacement in pairs)


_RUSSIAN_ENDINGS = _rules(
    (r"aia$", "a"),
    (r"oe$", "e"),
    (r"oi$", "i"),
    (r"ie$", "i"),
    (r"[oe]v(ka|sk[aei]?|ci|)$", r"iv\1"),
    (r"([oe]v|in)o$", r"\1e"),
    (r"^pod(?=[^aeiou])", "pid"),
    (r"^bel(?=[aeiou])", "bil"),
    (r"[oe](?=[^aeiou](?:k[aei]?|n[aei]|sk[aei]?)$)", "i"),
    (r"cia$", "ca"),
)


# Stems whose Russian and Ukrainian forms differ at the start, on romanised words before
# folding (kh and h still apart): Christian names (Nikolayevka/Mykolaivka,
# Aleksandrovka/Oleksandrivka, Vladimirovka/Volodymyrivka, Yekaterinovka/Katerynivka)
# and the alder (olkha/vilkha: Olkhovka/Vilkhivka, Olshanitsa/Vilshanytsia).
_RUSSIAN_STEMS = _rules(
    (r"nikol", "mykol"),
    (r"^aleks", "oleks"),
    (r"^vladim", "volodym"),
    (r"^y?ekater", "kater"),
    (r"^ol(?=kh|sh)", "vil"),
)


# One search tells whether any rule may change a word: a word that no rule meets
# is left as it is by all of them in turn, and most words are.
_ANY_STEM = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _RUSSIAN_STEMS))
_ANY_ENDING = re.compile("|".join(f"(?:{p.pattern})" for p, _ in _RUSSIAN_ENDINGS))


def ukrainian_forms(key: str) -> tuple[str, ...]:
    """Return the keys that meet the Russian and the Ukrainian form of a name in Ukraine.

    Each word of each romanisation of *key* is folded as in :func:`skeletons`
    and its Russian ending replaced by the Ukrainian one, so that
    "Pervomayskoye" and "Pervomaiske" give one key.  The keys start with
    :data:`UKRAINIAN_FORM`: the index files them for places in Ukraine only,
    so they never turn a name elsewhere into a Ukrainian one.

    Examples
    --------
    >>> ukrainian_forms("veselaya") == ukrainian_forms("vesela")
    True
    >>> ukrainian_forms("михайловка") == ukrainian_forms("mykhailivka")
    True
    """
    return skeletons_and_ukrainian_forms(key)[1]


def skeletons_and_ukrainian_forms(key: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return ``(skeletons(key), ukrainian_forms(key))``, romanising and folding *key* once.

    A key of one word folded for its skeleton is the word its Ukrainian form
    starts from, unless a Russian stem changes it first.

    Examples
    --------
    >>> skeletons_and_ukrainian_forms("pervomayskoye")
    (('pervomaiskoe',), ('ua~pervomaiske',))
    """
    if key.isascii():  # its own only romanisation
        return _latin_forms(key)
    skeletons: list[str] = []
    forms: list[str] = []
    for latin in romanizations(key):
        one, other = _latin_forms(latin)
        skeletons += one
        forms += other
    return tuple(dict.fromkeys(skeletons)), tuple(dict.fromkeys(forms))


def _latin_forms(latin: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the skeleton and the Ukrainian form of one romanisation, if not empty."""
    folded = _fold(latin)
    words = latin.split()
    if len(words) == 1 and words[0] == latin and not _ANY_STEM.search(latin):
        joined = _ukrainian_ending(folded)
    else:
        joined = "".join(map(_ukrainian_word, words))
    if _REPEAT.search(joined):
        joined = _REPEATS.sub("", joined)
    return (folded,) if folded else (), (UKRAINIAN_FORM + joined,) if joined else ()


def _ukrainian_word(word: str) -> str:
    """Fold one romanised word, its Russian stem and ending made Ukrainian."""
    if _ANY_STEM.search(word):
        for stem, replacement in _RUSSIAN_STEMS:
            word = stem.sub(replacement, word)
    return _ukrainian_ending(_fold(word))


def _ukrainian_ending(folded: str) -> str:
    """Replace the Russian ending of a folded word by the Ukrainian one."""
    if _ANY_ENDING.search(folded):
        for ending, replacement in _RUSSIAN_ENDINGS:
            folded = ending.sub(replacement, folded)
    return folded


def skeleton(name: str) -> str:
    """Return the first transliteration skeleton of *name*, or '' if it has none."""
    forms = skeletons(exact_key(name))
    return forms[0] if forms else ""


# ---------------------------------------------------------------------------
# Words that are not place names.

#: An acronym or code is all capitals, of this many letters ("US", "UAE", "ZNPP").
CODE_LENGTHS = range(2, 6)
#: The curated tables of demonyms: of countries, of continents.
_DEMONYM_TABLES = ("demonyms.csv", "demonyms_continents.csv")
_NO_PLURAL = ("s", "sh", "ch", "ese", "i-kiribati")  # "Swiss", "Irish", "Dutch", "Chinese"


def is_code(name: str) -> bool:
    """Tell whether *name* is written as an acronym or code: 2 to 5 capital letters.

    "US" and "ZNPP" are; "Us" and "Zaporizhzhia NPP" are not.
    """
    return len(name) in CODE_LENGTHS and name.isalpha() and name.isupper()


@lru_cache(maxsize=1)
def demonyms() -> frozenset[str]:
    """Return the words for the people of countries and continents, lower case, with plurals.

    From the curated tables ``gazetteer/demonyms.csv`` ("american", "americans",
    "irish", "new zealander") and ``gazetteer/demonyms_continents.csv``
    ("european", "south americans"): adjectives and demonyms, not place names.
    """
    import csv
    import io
    from importlib import resources

    words = set()
    for table in _DEMONYM_TABLES:
        text = resources.files("geo_sites.curated").joinpath(table).read_text("utf-8")
        words |= {row["demonym"].lower() for row in csv.DictReader(io.StringIO(text))}
    return frozenset(words | {w + "s" for w in words if not w.endswith(_NO_PLURAL)})


@lru_cache(maxsize=1)
def renamed_places() -> dict[int, tuple[tuple[str, str, str], ...]]:
    """Return the former names of renamed places in Ukraine by GeoNames id.

    From the curated table ``gazetteer/renamed_ua.csv`` (the Verkhovna Rada's
    resolutions): ``(old name, old name in Ukrainian, year)`` for each renaming.
    """
    renamed: dict[int, tuple[tuple[str, str, str], ...]] = {}
    for row in _renamed_rows():
        gid = int(row["geonameid"])
        renamed[gid] = (*renamed.get(gid, ()), (row["old_name"], row["old_name_uk"], row["year"]))
    return renamed


@lru_cache(maxsize=1)
def new_names() -> dict[int, str]:
    """Return the names that renamed places in Ukraine took, by GeoNames id."""
    return {int(row["geonameid"]): row["new_name"] for row in _renamed_rows()}


@lru_cache(maxsize=1)
def _renamed_rows() -> tuple[dict[str, str], ...]:
    """The rows of the curated table ``gazetteer/renamed_ua.csv``."""
    import csv
    import io
    from importlib import resources

    text = resources.files("geo_sites.curated").joinpath("renamed_ua.csv").read_text("utf-8")
    return tuple(csv.DictReader(io.StringIO(text)))


def rename_note(geonameid: int | None, name: str) -> str | None:
    """Say that *name* is the former name of the place, if the curated table says so.

    Any spelling of the old name counts: Russian, Ukrainian or romanised.

    Examples
    --------
    >>> rename_note(713174, "Артемовск")
    'formerly Artemivsk (renamed in 2016)'
    >>> rename_note(713174, "Bakhmut") is None
    True
    """
    renamed = renamed_places().get(geonameid) if geonameid is not None else None
    if not renamed:
        return None  # most places: no former name to look for
    forms = _all_forms(name)
    for old, old_uk, year in renamed:
        for written in (old, old_uk):
            if forms & _all_forms(written):
                return f"formerly {old} (renamed in {year})"
    return None


def _all_forms(name: str) -> set[str]:
    """The skeletons and the Ukrainian forms of *name*, together."""
    return set().union(*skeletons_and_ukrainian_forms(exact_key(name)))


# ---------------------------------------------------------------------------
# Qualifiers around a name.

LEVELS = ("settlement", "admin3", "admin2", "admin1", "country", "continent")

_ADMIN1_WORDS = (
    r"oblast|oblast'|oblast’|obl|region|province|regional|area|oblasti"
    r"|область|обл|області|области|регіон|регион|край"
)
#: Words for first-level units elsewhere, read after a name only: "Idlib Governorate",
#: "Podlaskie Voivodeship".  Not "state": "Islamic State" and "Free State" would leave
#: a word that a village's name is one letter from.
_ADMIN1_SUFFIXES = rf"{_ADMIN1_WORDS}|governorate|prefecture|voivodeship|wilayah?"
_ADMIN2_WORDS = r"raion|rayon|district|район|р-н"
_ADMIN3_WORDS = r"hromada|community|municipality|громада|otg|отг"
_SETTLEMENT_WORDS = (
    r"city|town|village|settlement|urban-type settlement|hamlet|місто|город|село|селище|смт|пгт"
)
# Abbreviations written before a name only: "м. Ізюм", "с. Циркуни", "г. Изюм".
_SETTLEMENT_ABBREVIATIONS = r"м|г|с|сел|пос"
_SUFFIX = re.compile(
    rf"^(?P<name>.+?)\s+(?:(?P<admin1>{_ADMIN1_SUFFIXES})|(?P<admin2>{_ADMIN2_WORDS})"
    rf"|(?P<admin3>{_ADMIN3_WORDS})|(?P<settlement>{_SETTLEMENT_WORDS}))\.?$",
    re.IGNORECASE,
)
_PREFIX = re.compile(
    rf"^(?:(?P<admin1>{_ADMIN1_WORDS})|(?P<admin2>{_ADMIN2_WORDS})|(?P<admin3>{_ADMIN3_WORDS})"
    rf"|(?P<settlement>{_SETTLEMENT_WORDS}|{_SETTLEMENT_ABBREVIATIONS}))\.?\s+(?:of\s+)?"
    r"(?P<name>.+)$",
    re.IGNORECASE,
)
_QUALIFIER = re.compile(
    rf"(?:(?P<admin1>{_ADMIN1_SUFFIXES})|(?P<admin2>{_ADMIN2_WORDS})|(?P<admin3>{_ADMIN3_WORDS})"
    rf"|(?P<settlement>{_SETTLEMENT_WORDS}))\.?",
    re.IGNORECASE,
)
_THE = re.compile(r"^the\s+", re.IGNORECASE)
_CONTEXT = re.compile(
    r"^(?P<name>[^,(]+?)\s*(?:,\s*|\s+in\s+(?:the\s+)?|\s+near\s+|\s*\()(?P<context>[^()]+)\)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    """A query split into the name, the level its qualifier asks for, and context.

    Attributes
    ----------
    text : str
        The query as written (whitespace-trimmed).
    name : str
        The place name with qualifiers removed.
    level : str or None
        ``"admin1"`` for "X region", ``"settlement"`` for "the city of X"...
    context : str or None
        The enclosing place written with the name: "Sumy" in "X in Sumy region".
    others : tuple of str
        Other forms worth looking up: the name with its qualifier ("Kyiv City",
        "Izium Raion"), the usual form of a district ("Kupiansk district" ->
        "Kupiansk raion"), and alternatives written with a slash ("Kharkiv/Kharkov").
    """

    text: str
    name: str
    level: str | None = None
    context: str | None = None
    others: tuple[str, ...] = ()


def _split_qualifier(text: str) -> tuple[str, str | None]:
    for pattern in (_SUFFIX, _PREFIX):
        found = pattern.match(text)
        if found:
            level = next(lvl for lvl in LEVELS if found.groupdict().get(lvl))
            return found["name"].strip(), level
    return text, None


@lru_cache(maxsize=1024)
def qualifier_level(word: str) -> str | None:
    """Return the level a qualifier word asks for ("region": ``admin1``), or None.

    The words are those :func:`parse_query` reads after or before a name.

    Examples
    --------
    >>> qualifier_level("Oblast"), qualifier_level("raion"), qualifier_level("Sumy")
    ('admin1', 'admin2', None)
    """
    found = _QUALIFIER.fullmatch(word.strip())
    return next(level for level in LEVELS if found.groupdict().get(level)) if found else None


@lru_cache(maxsize=65536)
def parse_query(text: str) -> ParsedQuery:
    """Split qualifiers and context from a query.

    Examples
    --------
    >>> parse_query("Kharkiv region")
    ParsedQuery(text='Kharkiv region', name='Kharkiv', level='admin1', context=None, \
others=('Kharkiv region',))
    >>> parse_query("the city of Izium").level
    'settlement'
    >>> parse_query("Trostianets in Sumy region").context
    'Sumy region'
    """
    text = _SPACES.sub(" ", text.translate(_FOLD_CONTROL)).strip()
    context = None
    found = _CONTEXT.match(text)
    if found:
        text_name, context = found["name"].strip(), found["context"].strip(" ,")
    else:
        text_name = text
    written, *alternatives = (part.strip() for part in _THE.sub("", text_name).split("/"))
    name, level = _split_qualifier(written)
    others = [written, *alternatives]
    if level == "admin2":
        towns = raion_towns(name)
        if towns:  # "Kupianskyi raion": the raion of Kupiansk
            others += [f"{name} raion", *towns[1:], f"{towns[0]} raion"]
            name = towns[0]
        else:
            others.append(f"{name} raion")
    return ParsedQuery(
        text=text,
        name=name,
        level=level,
        context=context or None,
        others=tuple(o for o in dict.fromkeys(others) if o and o != name),
    )


# The adjective Ukrainian and Russian make of a town's name to name its raion:
# Kupianskyi, Izium-skyi, Bakhmutskyi, Kupiansky, Kupyanskiy; Куп'янський, Купянский.
# "tsk" and "цьк" are the adjectives of towns in -ts, -tsia (Trostianets, Vinnytsia).
_LATIN_ADJECTIVE = re.compile(
    r"^(?P<stem>\w[\w' ’ʼ-]*?)-?(?P<ts>t)?s['’ʼ]?k(?:yi|yy|yj|iy|ij|yi|y|ii|i|oi|oy|oj)$",
    re.IGNORECASE,
)
_CYRILLIC_ADJECTIVE = re.compile(
    r"^(?P<stem>\w[\w' ’ʼ-]*?)-?(?:(?P<ts>ц)ь?|сь?)к(?:ий|ій|ой|ый)$", re.IGNORECASE
)
# The endings a town's name may have where its adjective has -skyi (-ський): none
# (Izium), -sk (Kupiansk), -ka (Kalynivka), -y (Sumy), -a (Balakliia); before -tskyi
# (-цький): -t (Bakhmut), -ts (Trostianets), -tsia (Vinnytsia), -tsk (Sievierodonetsk).
_TOWN_ENDINGS = {
    (False, False): ("", "sk", "ka", "y", "a"),
    (False, True): ("t", "ts", "tsia", "tsk", "tsa"),
    (True, False): ("", "ськ", "ск", "ка", "и", "ы", "я", "а"),
    (True, True): ("ць", "ця", "цьк", "ц", "ца", "цк"),
}
# The likeliest ending first, by the end of the stem: Kupian-sk, Pokrov-sk (Ukrainian
# towns end in -iv, -sk is the Russian-era -ovsk), Trostiane-ts, Vinny-tsia.
_LIKELY_ENDINGS = (
    (re.compile(r"(?:[aeiouy]n|ov)$", re.IGNORECASE), ("sk",)),
    (re.compile(r"(?:[аеиіяєо]н|ов)$", re.IGNORECASE), ("ськ", "ск")),
    (re.compile(r"e$", re.IGNORECASE), ("ts",)),
    (re.compile(r"[yi]$", re.IGNORECASE), ("tsia", "tsa")),
    (re.compile(r"е$", re.IGNORECASE), ("ць", "ц")),
    (re.compile(r"[иі]$", re.IGNORECASE), ("ця", "ца")),
)


@lru_cache(maxsize=4096)
def raion_towns(name: str) -> tuple[str, ...]:
    """Return the town names an adjectival raion name may be made from, most likely first.

    A raion is named after its town with the adjective suffix -s'kyi (-ський;
    Russian -skiy, -ский): "Kupianskyi" is Kupiansk's, "Bakhmutskyi" Bakhmut's,
    "Trostianetskyi" Trostianets's.  The suffix does not say whether the town
    ends in -sk, nothing, -ka...: every form it may be is given, for the
    gazetteer to tell which exists.  A name that is not such an adjective
    gives ().

    Examples
    --------
    >>> raion_towns("Kupianskyi")[:2]
    ('Kupiansk', 'Kupian')
    >>> raion_towns("Ізюмський")[0]
    'Ізюм'
    >>> raion_towns("Kupiansk")
    ()
    """
    cyrillic = has_cyrillic(name)
    found = (_CYRILLIC_ADJECTIVE if cyrillic else _LATIN_ADJECTIVE).match(name.strip())
    if not found or len(found["stem"]) < 2:
        return ()
    stem = found["stem"].rstrip("-")
    endings = _TOWN_ENDINGS[(cyrillic, bool(found["ts"]))]
    likely = next((e for pattern, e in _LIKELY_ENDINGS if pattern.search(stem)), ())
    endings = (*(e for e in likely if e in endings), *endings)
    upper = stem.isupper()
    return tuple(dict.fromkeys(stem + (e.upper() if upper else e) for e in endings))


#: A name as written, or one whose level and context are fields (:func:`query_for`).
Query = str | ParsedQuery


def query_text(query: Query) -> str:
    """The query as the user wrote it: what the answer's ``query`` says."""
    return query.text if isinstance(query, ParsedQuery) else query


@lru_cache(maxsize=65536)
def query_for(name: str, *, level: str | None = None, context: str | None = None) -> ParsedQuery:
    """A query whose level and context are given as fields, not written into the name.

    The name is still read as a user writes it ("Kharkiv region" asks for a
    region); *level* and *context*, when given, win over what it says.

    Examples
    --------
    >>> query_for("Kharkiv", level="admin1").level
    'admin1'
    >>> query_for("Trostianets", context="Sumy").context
    'Sumy'
    """
    if level is not None and level not in LEVELS:
        raise ParameterError(
            f"expected one of {', '.join(LEVELS)}, instead got {level!r}", parameter="level"
        )
    parsed = parse_query(name)
    others = parsed.others
    if level is not None and parsed.level is None:  # the forms the qualifier would have added
        forms = [f"{parsed.name} {word}" for word in _LEVEL_WORDS.get(level, ())]
        others = tuple(dict.fromkeys((*others, *forms)))
    return dataclasses.replace(
        parsed,
        level=level or parsed.level,
        context=context.strip() if context and context.strip() else parsed.context,
        others=others,
    )


#: The names an index may keep a unit under: "Izium Raion" for the district of Izium.
_LEVEL_WORDS = {"admin1": ("region",), "admin2": ("district", "raion")}


def shorten(text: str, width: int = 40) -> str:
    """A name for a one-line message: quoted when empty, cut when long."""
    if not text.strip():
        return repr(text)
    return text if len(text) <= width else f"{text[: width - 1]}…"
