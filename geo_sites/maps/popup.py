"""What a site's popup says: one fixed template, as data.

:func:`popup` turns a row into plain strings: a title, labelled lines and the
sources.  The page builds the popup from them with ``textContent``, never as
HTML, so report text (names, quotes, outlets, titles, URLs) is shown as the
literal text it is.  A source is a link only when its URL is http or https.

The template for site layers (``geo-sites sites``):

* what happened, the count range and what is counted, every count;
* when it happened and when it was reported;
* where, and how precisely;
* how we placed it, in one plain sentence, with the resolver's own reason
  and confidence as the details behind it;
* every source: outlet, title, date, its quote or our note.

A joined table's rows (``geo-sites join``) show the table's own columns, a
line each, then where and how we placed the row, with the resolver's account
behind it.  Other layers show their name and their properties, a line each.
"""

from __future__ import annotations

import json
import math
import urllib.parse
from collections.abc import Mapping
from typing import Any

from ..cells import text_of
from ..incidents.columns import (
    ADMIN1,
    COUNT,
    COUNT_HIGH,
    COUNT_KIND,
    COUNT_LOW,
    COUNTRY,
    COUNTS,
    DATE_PRECISION,
    EVENT_END,
    EVENT_START,
    EVENT_TYPE,
    FIRST_REPORT,
    JOINED_NAMES,
    LAST_REPORT,
    METHOD,
    NAME,
    PLACE_AS_WRITTEN,
    PLACE_NAME,
    PRECISION,
    RADIUS_M,
    REASON,
    SCORE,
    SITE,
    SITE_ID,
    SOURCES,
    SOURCES_JSON,
    STATUS,
)
from ..join import MATCH_COLUMNS
from .symbols import label_of

__all__ = ["name_of", "popup", "safe_url"]

_SITE_COLUMNS = (SITE_ID, EVENT_TYPE, PRECISION, STATUS)
_NAME_COLUMNS = (NAME, "site_name", SITE, "title", PLACE_NAME, "place", "label", "NAME")
_MAX_LINES = 20
_MAX_TEXT = 600


def safe_url(url: object) -> str | None:
    """*url* when it is an http(s) URL a reader may follow, else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    if any(ord(c) < 33 or c in "<>\"'`\\" for c in url):
        return None
    parts = urllib.parse.urlsplit(url)
    return url if parts.scheme.lower() in ("http", "https") and parts.netloc else None


def _shown(value: Any) -> str | None:
    """*value* as text for the popup (:func:`~geo_sites.cells.text_of`), cut to a length."""
    text = text_of(value)
    if text is not None and len(text) > _MAX_TEXT:
        text = text[: _MAX_TEXT - 1] + "…"
    return text


def name_of(row: Mapping[str, Any]) -> str:
    """The name a site is shown by."""
    for column in _NAME_COLUMNS:
        text = _shown(row.get(column))
        if text:
            return text
    return "(no name)"


def popup(row: Mapping[str, Any]) -> dict[str, Any]:
    """The popup of *row*, as plain text.

    ``{"title": str, "lines": [[label, text], ...], "sources": [[text, href, note], ...],
    "details": str or None}``: *href* is None unless the URL is http(s); *details* is the
    technical account of how the place was resolved, which the page keeps folded.
    """
    if all(column in row for column in _SITE_COLUMNS):
        lines, sources, details = _site_lines(row), _sources(row), _details(row)
    elif JOINED_NAMES[STATUS] in row:  # the table's columns, then the place as a site's
        place = {name: row.get(column) for name, column in JOINED_NAMES.items()}
        own = {k: v for k, v in row.items() if k not in MATCH_COLUMNS}
        lines = [*_property_lines(own)[: _MAX_LINES - 2], ["Where", _where(place)],
                 ["How we placed it", _placed(place)]]  # fmt: skip
        sources, details = [], _details(place)
    else:
        lines, sources, details = _property_lines(row), [], None
    return {"title": name_of(row), "lines": lines, "sources": sources, "details": details}


def _site_lines(row: Mapping[str, Any]) -> list[list[str]]:
    def get(column: str) -> str | None:
        return _shown(row.get(column))

    lines: list[list[str]] = []
    what = get(EVENT_TYPE)
    if what:
        lines.append(["What happened", label_of(what)])
    count, kind = get(COUNT), get(COUNT_KIND)
    if count:
        low, high = get(COUNT_LOW) or count, get(COUNT_HIGH) or count
        figure = count if low == high else f"{count} (reports range {low}–{high})"
        lines.append(["How many", f"{figure} {kind}" if kind else figure])
    counts = get(COUNTS)
    if counts and ";" in counts:
        lines.append(["All counts", counts])
    start, end = get(EVENT_START), get(EVENT_END)
    if start:
        when = start if not end or end == start else f"{start} – {end}"
        precision = get(DATE_PRECISION)
        lines.append(["When", f"{when} ({precision})" if precision else when])
    first, last = get(FIRST_REPORT), get(LAST_REPORT)
    if first:
        lines.append(["Reported", first if not last or last == first else f"{first} – {last}"])
    lines.append(["Where", _where(row)])
    lines.append(["How we placed it", _placed(row)])
    return lines


def _where(row: Mapping[str, Any]) -> str:
    def get(column: str) -> str | None:
        return _shown(row.get(column))

    # Once each: a region is not "Kharkiv Oblast, Kharkiv Oblast".
    place = ", ".join(dict.fromkeys(p for p in (get(PLACE_NAME), get(ADMIN1), get(COUNTRY)) if p))
    written = get(PLACE_AS_WRITTEN)
    if not place:
        return f"not placed (written {written!r})" if written else "not placed"
    text = place
    if written and written.split("; ")[0] != get(PLACE_NAME):
        text += f" (written: {written})"
    precision, radius = get(PRECISION), row.get(RADIUS_M)
    if precision:
        text += f"; located to the {_PRECISION_WORDS.get(precision, precision)}"
        if isinstance(radius, int | float) and not math.isnan(radius) and radius > 0:
            text += f", within {_distance(float(radius))}"
    return text


_PRECISION_WORDS = {"exact": "site itself", "near": "vicinity of a place",
                    "settlement": "settlement", "admin2": "district", "admin1": "region",
                    "country": "country"}  # fmt: skip


def _distance(metres: float) -> str:
    return f"{metres / 1000:g} km" if metres >= 1000 else f"{metres:g} m"


#: How a name met its place, in a reader's words.
_MET = {"exact": "its name as written", "alias": "another of its names",
        "transliteration": "a spelling of its name in another alphabet",
        "fuzzy": "a name one letter away from the one written",
        "online": "an online geocoder"}  # fmt: skip


def _placed(row: Mapping[str, Any]) -> str:
    """How the site was placed, in one plain sentence."""

    def get(column: str) -> str | None:
        return _shown(row.get(column))

    status, method = get(STATUS), get(METHOD)
    met = _MET.get(method or "", "")
    if status == "resolved":
        return f"Found in the gazetteer by {met}." if met else "Placed by the coordinates given."
    if status == "ambiguous":
        return (f"Several places could be meant; this is the likeliest, found by {met}. "
                "Check it before relying on it.")  # fmt: skip
    if status == "unresolved":
        return "Not placed: no place in the gazetteer fits the name well enough."
    return "Placed by the coordinates given."


def _details(row: Mapping[str, Any]) -> str | None:
    """The resolver's own account: status, method, confidence and reason."""
    status, method, score = _shown(row.get(STATUS)), _shown(row.get(METHOD)), row.get(SCORE)
    parts = [p for p in (status, method and f"{method} match") if p]
    if isinstance(score, int | float) and not math.isnan(score):
        parts.append(f"confidence {score:.2f}")
    reason = _shown(row.get(REASON))
    text = ", ".join(parts) + (f": {reason}" if reason else "")
    return text or None


def _sources(row: Mapping[str, Any]) -> list[list[str | None]]:
    raw = row.get(SOURCES_JSON)
    if isinstance(raw, str) and raw.strip():
        try:
            sources = json.loads(raw)
        except ValueError:
            sources = None
        if isinstance(sources, list):
            return [_source(s) for s in sources if isinstance(s, dict)]
    text = _shown(row.get(SOURCES))
    return [[part, None, None] for part in text.split("; ")] if text else []


def _source(source: Mapping[str, Any]) -> list[str | None]:
    parts = [_shown(source.get(k)) for k in ("outlet", "title", "date")]
    label = " · ".join(p for p in parts if p) or _shown(source.get("document")) or "source"
    url = _shown(source.get("url"))
    href = safe_url(url)
    if url and not href:
        label += f" ({url})"  # shown, not linked
    said = _shown(source.get("quote"))
    note = (said and f"“{said}”") or _shown(source.get("note"))
    return [label, href, note]


def _property_lines(row: Mapping[str, Any]) -> list[list[str]]:
    lines = []
    for column, value in row.items():
        text = _shown(value)
        if column != "geometry" and text is not None:
            lines.append([str(column), text])
    return lines[:_MAX_LINES]
