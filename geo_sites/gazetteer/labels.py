"""The label of a place in Ukraine: the national romanisation of its Ukrainian name.

Ukraine romanises its place names with the national system of 2010 (Cabinet
of Ministers resolution No. 55, "KMU 2010"): Izium, Kupiansk, Vinnytsia,
Zaporizhzhia, Kryvyi Rih.  GeoNames often names them in older systems
(Izyum, Kupyansk, Vinnytsya, Kryvyy Rih); those stay names that match, the
label is the KMU form.

The Ukrainian name is found among the place's alternate names, which carry
no language: a Cyrillic name written in the Ukrainian alphabet only, whose
KMU romanisation folds to the GeoNames name's transliteration skeleton (or
whose BGN/PCGN romanisation is the GeoNames name), so
that a Russian form (Изюм reads "Yzium" in Ukrainian) or a former name
(Артемівськ for Bakhmut) is never taken.  When no name passes, the GeoNames
name stays.  A place renamed by the Verkhovna Rada (``renamed_ua.csv``) takes
its new name.
"""

from __future__ import annotations

import re

from ..names import exact_key, new_names, romanize_russian, romanize_ukrainian, skeletons

__all__ = ["label", "ukrainian_label"]

# Cyrillic written with the Ukrainian alphabet only (no ы э ё ъ, no Belarusian ў, no
# Serbian ј), with spaces, hyphens and apostrophes.
_UKRAINIAN_WORDS = re.compile(r"[а-щьюяєіїґ]+(?:['’ʼ\- ]+[а-щьюяєіїґ]+)*", re.IGNORECASE)
# Letters or the apostrophe that only Ukrainian writes: a name with one is Ukrainian.
_UKRAINIAN_MARKS = re.compile(r"[єіїґ'’ʼ]", re.IGNORECASE)
_STRESS = "\u0301"  # the acute that dictionaries put on stressed vowels: Олекса́ндрівськ


def _bgn(text: str) -> tuple[str, str]:
    """The Ukrainian and the Russian BGN/PCGN readings of *text*, as exact keys."""
    from translitua import UkrainianBGN, translit

    return exact_key(translit(text, UkrainianBGN)), exact_key(romanize_russian(text))


def ukrainian_label(name: str, alternate_names: tuple[str, ...]) -> str:
    """Return the KMU 2010 romanisation of the Ukrainian name among *alternate_names*.

    *name* is the name the source gives (GeoNames'); it is returned when no
    alternate is, beyond doubt, its Ukrainian form.  A Cyrillic alternate with
    letters only Ukrainian writes (і ї є ґ, the apostrophe) is preferred; one
    without them is taken only when *name* is not its Russian reading (Изюм
    read in Russian is "Izyum": it may be the Russian name).

    Examples
    --------
    >>> ukrainian_label("Izyum", ("Izium", "Изюм", "Ізюм"))
    'Izium'
    >>> ukrainian_label("Izyum", ("Изюм",))
    'Izyum'
    >>> ukrainian_label("Bakhmut", ("Artemovsk", "Артемівськ", "Бахмут"))
    'Bakhmut'
    """
    wanted = set(skeletons(exact_key(name)))
    if not wanted:
        return name
    key = exact_key(name)
    latin = {exact_key(n) for n in alternate_names if n.isascii()}
    best: tuple[bool, bool, bool, bool, str] | None = None
    for written in alternate_names:
        if written.isascii():
            continue
        cyrillic = written.replace(_STRESS, "").strip()
        if not _UKRAINIAN_WORDS.fullmatch(cyrillic):
            continue
        romanised = romanize_ukrainian(cyrillic)
        agrees = bool(wanted & set(skeletons(exact_key(romanised))))
        marked = _UKRAINIAN_MARKS.search(cyrillic) is not None
        if not (agrees and marked):
            ukrainian, russian = _bgn(cyrillic)
            # Zhurivka is Згурівка in BGN/PCGN, though "zh" is not "zgh" in skeletons.
            if not agrees and key != ukrainian:
                continue
            if not marked and key == russian != ukrainian:
                continue
        # One whose i and y fall where the name's do, then one only Ukrainian writes,
        # then the name itself, then a form GeoNames lists.
        romanised_key = exact_key(romanised)
        rank = (
            _vowels(romanised_key) == _vowels(key),
            marked,
            romanised_key == key,
            romanised_key in latin,
            romanised,
        )
        if best is None or rank[:4] > best[:4]:
            best = rank
    return best[4] if best else name


_Y_AFTER_VOWEL = re.compile(r"(?<=[aeiouy])y")  # й: "ay" in one system, "ai" in another
_IOTATED = re.compile(r"[iyj]([uae])|yi")  # ю я є ї: "yu", "iu", "ju"...
_NOT_LETTERS = re.compile(r"[^a-z]+")
_REPEATS = re.compile(r"(.)\1+")


def _vowels(key: str) -> str:
    """Fold romanisations of one Ukrainian spelling together, keeping и (y) apart from і (i).

    Skeletons fold y into i; here only the iotated vowels and й are folded, so
    that "Brovary" (Бровари) and "Brovari" (Броварі) stay apart.
    """
    text = _Y_AFTER_VOWEL.sub("i", _NOT_LETTERS.sub("", key))
    text = _IOTATED.sub(lambda found: found[1] or "i", text)
    return _REPEATS.sub(r"\1", text)


def label(name: str, alternate_names: tuple[str, ...], *, geonameid: int | None) -> str:
    """Return the label of a place in Ukraine that a source calls *name*.

    A renamed place's new name, else :func:`ukrainian_label`, with its words
    capitalised as *name* has them ("Kupianskyi Raion").
    """
    new = new_names().get(geonameid) if geonameid is not None else None
    labelled = new or ukrainian_label(name, alternate_names)
    return labelled if labelled == name else _capitalised_like(labelled, name)


def _capitalised_like(name: str, model: str) -> str:
    """Capitalise the words of *name* as *model* has them: "Kupianskyi raion" -> "... Raion"."""
    words, model_words = name.split(" "), model.split(" ")
    if len(words) != len(model_words):
        return name
    return " ".join(
        w[:1].upper() + w[1:] if m[:1].isupper() else w
        for w, m in zip(words, model_words, strict=True)
    )
