"""The gazetteer: resolve place names in any spelling to places.

Pipeline: :mod:`.sources` read places -> :mod:`.index` stores them by key in
SQLite -> :mod:`.resolver` ranks candidates; :mod:`.registry` decides where the
index lives and when to rebuild it; :mod:`.online` is the optional Nominatim
fallback.  :class:`Gazetteer` ties them together.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from ..exceptions import InvalidInputError, ServiceError
from ..models import Match, Place
from .index import GazetteerIndex
from .online import NominatimFallback
from .registry import Registry
from .resolver import Context, Resolver

__all__ = ["Gazetteer", "NominatimFallback", "Registry"]

log = logging.getLogger(__name__)

NearPlace = tuple[float, float] | Place | Match


class Gazetteer:
    """Resolve place names against an index.

    Use :meth:`default` for the index of the embedded default plus every source
    the user added; pass an index path to use another.

    Parameters
    ----------
    index_path : path-like
        A built index (see :class:`Registry`).
    online : NominatimFallback, optional
        Asked for names the index leaves unresolved.

    Examples
    --------
    >>> gaz = Gazetteer.default()                       # doctest: +SKIP
    >>> gaz.resolve("Izjum").place.name                  # doctest: +SKIP
    'Izyum'
    """

    def __init__(
        self, index_path: str | os.PathLike[str], *, online: NominatimFallback | None = None
    ) -> None:
        self.index = GazetteerIndex(index_path)
        self._resolver = Resolver(self.index)
        self.online = online

    @classmethod
    def default(
        cls, *, home: str | os.PathLike[str] | None = None, online: NominatimFallback | None = None
    ) -> Gazetteer:
        """Open the user's gazetteer, building its index first if needed."""
        return cls(Registry(home).ensure_index(), online=online)

    @property
    def path(self) -> Path:
        """The index file."""
        return self.index.path

    def close(self) -> None:
        """Release the index (and the online cache)."""
        self.index.close()
        if self.online is not None:
            self.online.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _context(
        self, country: str | None, within: str | None, near: Iterable[NearPlace] | None
    ) -> Context:
        code = self._resolver.check_country(country)
        units: tuple[Place, ...] = ()
        if within is not None and within.strip():
            units = self._resolver.context_units(within, code)
            if not units:
                raise InvalidInputError(f"cannot find the region {within!r} given as 'within'")
        return Context(country=code, within=units, near=_points(near or ()))

    def resolve(
        self,
        name: str,
        *,
        country: str | None = None,
        within: str | None = None,
        near: Iterable[NearPlace] | None = None,
        limit: int = 5,
    ) -> Match:
        """Resolve one place name.

        Parameters
        ----------
        name : str
            A name as written: "Izyum", "Ізюм", "Kharkiv region", "Trostianets, Sumy oblast".
        country : str, optional
            ISO 3166-1 alpha-2 code; only places in that country are considered.
        within : str, optional
            A region the place lies in: "Sumy Oblast", "Sumy", "Donetsk region".
        near : iterable, optional
            Places the name is likely close to: ``(lat, lon)`` paires, places or matches.
        limit : int
            How many candidates to return.

        Returns
        -------
        Match
            ``resolved``, ``ambiguous`` (see ``candidates``) or ``unresolved``.

        Raises
        ------
        UnknownCountryError
            If no place has the country code.
        InvalidInputError
            If ``within`` names no known region.
        """
        return self._resolve(name, self._context(country, within, near), limit)

    def _resolve(self, name: str, context: Context, limit: int) -> Match:
        match = self._resolver.resolve(name, context, limit=limit)
        if match or self.online is None or not name.strip() or len(name) > 200:
            return match
        try:
            online = self.online.resolve(name, country=context.country)
        except ServiceError as err:
            log.warning("%s", err)
            return Match(name, "unresolved", match.candidates, f"{match.reason}; {err}")
        return online if online else match

    def resolve_many(
        self,
        names: Iterable[str],
        *,
        country: str | None = None,
        within: str | None = None,
        use_context: bool = True,
        limit: int = 5,
    ) -> list[Match]:
        """Resolve many names, such as the places of one document or table.

        With ``use_context`` the places resolved with confidence become ``near``
        context for the rest (a second pass over ambiguous names), as a reader
        would use the other places of a document.  Repeated names are resolved once.

        Returns
        -------
        list of Match
            One per name, in order.
        """
        context = self._context(country, within, None)
        names = list(names)
        first: dict[str, Match] = {}
        for name in names:
            if name not in first:
                first[name] = self._resolve(name, context, limit)
        if use_context:
            anchors = _points(
                m for m in first.values()
                if m.status == "resolved" and m.place is not None
                and m.place.level in ("settlement", "site")
            )  # fmt: skip
            if anchors:
                near = Context(context.country, context.within, anchors)
                for name, match in first.items():
                    if match.status == "ambiguous":
                        again = self._resolver.resolve(name, near, limit=limit)
                        if again.status == "resolved":
                            first[name] = again
        return [first[name] for name in names]

    def info(self) -> dict[str, Any]:
        """Return what :meth:`Registry.info` says of this index's home, for the default."""
        return {"index": str(self.path), **self.index.meta, "counts": self.index.counts()}


def _points(items: Iterable[NearPlace]) -> tuple[tuple[float, float], ...]:
    points = []
    for item in items:
        if isinstance(item, Match):
            place = item.place
            if place is not None:
                points.append((place.lat, place.lon))
        elif isinstance(item, Place):
            points.append((item.lat, item.lon))
        else:
            lat, lon = _pair(item)
            points.append((lat, lon))
    return tuple(points)


def _pair(item: Sequence[float]) -> tuple[float, float]:
    try:
        lat, lon = (float(v) for v in item)
    except (TypeError, ValueError) as err:
        raise InvalidInputError(
            f"Expected near places as (lat, lon) pairs, places or matches, instead got: {item!r}"
        ) from err
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInputError(f"Expected a (lat, lon) inside WGS84 bounds, instead got: {item!r}")
    return lat, lon
