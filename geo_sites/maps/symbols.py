"""How sites look, in the page and in images alike: colour, size and shape.

* **Colour** by a category column (default ``event_type``), with the event
  colours of the QGIS style (:mod:`geo_sites.colours`), which a user's column
  that names event types as people write them ("Mass grave") takes too; other
  values take a qualitative palette, and values past its end share grey
  under "other".  The legend counts the rows drawn.
* **Size** by a count column (default ``count``): a circle's *area* is
  proportional to the count, so 400 bodies look four times 100, not sixteen.
  Sites without a count get the smallest circle.
* **Shape** by the location precision: sites known to a district, a region or
  a country are drawn as that area (a boundary, or a circle of their
  uncertainty radius), never as a point; "near" sites are a point with their
  uncertainty circle around it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..cells import is_missing
from ..colours import EVENT_COLOURS, OTHER, PALETTE, STATUS_COLOURS
from ..exceptions import ParameterError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "AREA_PRECISIONS",
    "RADIUS_PX",
    "Category",
    "Symbology",
    "label_of",
    "nice_sizes",
    "symbology",
]

_KNOWN = EVENT_COLOURS | STATUS_COLOURS  # values with a colour of their own

#: Precisions drawn as an area rather than a point.
AREA_PRECISIONS = frozenset({"admin2", "admin1", "country"})
#: Precisions drawn as a point with the circle of their uncertainty radius.
CIRCLE_PRECISIONS = frozenset({"near"})
#: The smallest and the largest circle, in CSS pixels (radius).
RADIUS_PX = (4.0, 26.0)


def label_of(value: str) -> str:
    """A category value as a reader sees it: ``mass_grave`` → "Mass grave"."""
    return value.replace("_", " ").strip().capitalize() if value in _KNOWN else value


@dataclass(frozen=True, slots=True)
class Category:
    """One entry of the colour legend."""

    value: str | None  # None: "other" or "not given"
    label: str
    colour: str
    count: int


@dataclass(frozen=True, slots=True)
class Symbology:
    """The colours and sizes of one map.

    ``categories`` are in legend order; ``codes`` gives each row its
    category's index.  ``sizes`` gives each row its circle radius in CSS
    pixels, and ``size_max`` the count drawn at the largest radius.
    """

    color_by: str | None
    size_by: str | None
    categories: tuple[Category, ...]
    codes: tuple[int, ...]
    sizes: tuple[float, ...]
    size_max: float | None

    def radius(self, value: float | None) -> float:
        """The radius in CSS pixels of a circle for *value*: area proportional."""
        return _radius(value, self.size_max)


def _radius(value: float | None, size_max: float | None) -> float:
    low, high = RADIUS_PX
    if value is None or not size_max or value <= 0:
        return low
    return max(low, high * math.sqrt(value / size_max))


def symbology(
    frame: pd.DataFrame, color_by: str | None, size_by: str | None,
    shown: Sequence[int] | None = None,
) -> Symbology:  # fmt: skip
    """Colours and sizes for the rows of *frame*.

    The legend's categories are those of the rows *shown* (by position; all
    by default), counted: a category of rows that are not drawn is not in it.

    Raises
    ------
    ParameterError
        When a named column is missing, or the size column is not numbers.
    """
    import pandas as pd

    for parameter, column in (("color_by", color_by), ("size_by", size_by)):
        if column is not None and column not in frame.columns:
            names = ", ".join(c for c in frame.columns if c != "geometry")
            raise ParameterError(f"no column {column!r}; the columns are: {names}",
                                 parameter=parameter)  # fmt: skip
    values: list[Any] = frame[color_by].tolist() if color_by else [None] * len(frame)
    categories, codes = _categories(values, range(len(values)) if shown is None else shown)
    size_max = None
    if size_by is None:
        numbers = pd.Series([math.nan] * len(frame), dtype="float64")
    else:
        numbers = pd.to_numeric(frame[size_by], errors="coerce").astype("float64")
        if numbers.isna().all() and frame[size_by].notna().any():
            raise ParameterError(f"the column {size_by!r} holds no numbers", parameter="size_by")
        if (numbers > 0).any():
            size_max = float(numbers.max())
    sizes = tuple(_radius(None if math.isnan(v) else v, size_max) for v in numbers.tolist())
    return Symbology(color_by, size_by, categories, codes, sizes, size_max)


def _categories(
    values: list[Any], shown: Sequence[int]
) -> tuple[tuple[Category, ...], tuple[int, ...]]:
    texts = [None if is_missing(v) else _known(str(v)) for v in values]
    counted: dict[str | None, int] = {}
    for row in shown:
        counted[texts[row]] = counted.get(texts[row], 0) + 1
    given = [t for t in counted if t is not None]
    # Event types and match statuses in their fixed order and colours, the rest by frequency.
    known = [t for t in _KNOWN if t in counted]
    rest = sorted((t for t in given if t not in _KNOWN), key=lambda t: (-counted[t], t))
    entries = [Category(t, label_of(t), _KNOWN[t], counted[t]) for t in known]
    entries += [
        Category(t, t, colour, counted[t]) for t, colour in zip(rest, PALETTE, strict=False)
    ]
    overflow = rest[len(PALETTE) :]
    if overflow or None in counted:
        label = "other" if overflow else "not given"
        if overflow and None in counted:
            label = "other or not given"
        others = sum(counted[t] for t in overflow) + counted.get(None, 0)
        entries.append(Category(None, label, OTHER, others))
    index = {c.value: i for i, c in enumerate(entries) if c.value is not None}
    fallback = len(entries) - 1
    return tuple(entries), tuple(index.get(t, fallback) if t is not None else fallback
                                 for t in texts)  # fmt: skip


def _known(text: str) -> str:
    """*text*, or the event type or match status it names as people write it: "Mass grave"
    and "mass-grave" are ``mass_grave``, with its colour."""
    key = "_".join(text.strip().lower().replace("-", " ").split())
    return key if key in _KNOWN else text


def nice_sizes(size_max: float | None) -> tuple[int, ...]:
    """Up to three round counts for the size key, the largest not above *size_max*."""
    if not size_max or size_max < 1:
        return ()
    magnitude = 10 ** math.floor(math.log10(size_max))
    top = max(m * magnitude for m in (1, 2, 5) if m * magnitude <= size_max)
    keys = [top]
    for step in (top / 10, top / 100):
        if step >= 1 and step == int(step):
            keys.append(step)
    return tuple(int(k) for k in keys)
