"""The gazetteer: resolve place names in any spelling to places.

Pipeline: :mod:`.sources` read places -> :mod:`.index` stores them by key in
SQLite -> :mod:`.resolver` ranks candidates; :mod:`.spotting` says which names
of a text are places, by the rule the resolver ranks them under;
:mod:`.home` decides where the index lives and when to rebuild it;
:mod:`.online` is the optional Nominatim fallback.  :class:`Gazetteer` ties
them together.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import socket
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from ..exceptions import GazetteerIndexError, InvalidInputError, ParameterError, ServiceError
from ..models import Match, Place, check_point
from ..names import Query, query_for
from .home import GazetteerHome
from .index import GazetteerIndex
from .online import NominatimFallback
from .resolver import Anchors, Context, Resolver, problem_with
from .spotting import Candidates, Spotting

__all__ = ["Candidates", "Gazetteer", "GazetteerHome", "NominatimFallback", "Spotting"]

log = logging.getLogger(__name__)

NearPlace = tuple[float, float] | Place | Match


class Gazetteer:
    """Resolve place names against an index.

    Use :meth:`default` for the index of the embedded default plus every source
    the user added; pass an index path to use another.

    Parameters
    ----------
    index_path : path-like
        A built index (see :class:`GazetteerHome`).
    online : NominatimFallback, optional
        Asked for names the index leaves unresolved.
    on_damage : callable, optional
        Called to build the index again when it turns out to be damaged
        (:meth:`default` passes :meth:`GazetteerHome.repair`); without it, damage
        raises :class:`~geo_sites.exceptions.DamagedIndexError`.

    Examples
    --------
    >>> gaz = Gazetteer.default()                       # doctest: +SKIP
    >>> gaz.resolve("Izjum").place.name                  # doctest: +SKIP
    'Izium'
    """

    def __init__(
        self,
        index_path: str | os.PathLike[str],
        *,
        online: NominatimFallback | None = None,
        on_damage: Callable[[], None] | None = None,
    ) -> None:
        self.index = GazetteerIndex(index_path, on_damage=on_damage)
        self._resolver = Resolver(self.index)
        self._spotting: Spotting | None = None
        self.online = online

    @classmethod
    def default(
        cls, *, home: str | os.PathLike[str] | None = None, online: NominatimFallback | None = None
    ) -> Gazetteer:
        """Open the user's gazetteer, building its index first if needed (or when damaged)."""
        folder = GazetteerHome(home)
        return cls(folder.ensure_index(), online=online, on_damage=folder.repair)

    @property
    def spotting(self) -> Spotting:
        """The gazetteer as spotting place names in text reads it, with its caches.

        See :mod:`geo_sites.gazetteer.spotting`; names it finds are resolved
        with ``resolve_many(..., focus=...)``, under the same rule.
        """
        if self._spotting is None:
            self._spotting = Spotting(self.index)
        return self._spotting

    @property
    def path(self) -> Path:
        """The index file."""
        return self.index.path

    @property
    def build(self) -> tuple[str, str]:
        """The index's build id, and the fingerprint of what it was built from."""
        meta = self.index.meta
        return meta.get("build_id", ""), meta.get("fingerprint", "")

    @classmethod
    def like(cls, index_path: str | os.PathLike[str], build: tuple[str, str]) -> Gazetteer:
        """Open the index at *index_path*, on another machine (a cluster's worker), and check
        that it is a copy of the index of *build*, or was built from the same sources.

        Raises
        ------
        GazetteerIndexError
            When there is no index at *index_path*, or it answers otherwise.
        """
        where = f"{socket.gethostname()}:{index_path}"
        if not Path(index_path).is_file():
            raise GazetteerIndexError(f"{where}: no gazetteer index here; copy the client's "
                                      "index to this path, or build it here from the same "
                                      "sources")  # fmt: skip
        gazetteer = cls(index_path)
        copy, same_sources = (a == b != "" for a, b in zip(gazetteer.build, build, strict=True))
        if not (copy or same_sources):
            gazetteer.close()
            raise GazetteerIndexError(f"{where}: the gazetteer index is not the client's, nor "
                                      "built from the same sources; copy the client's index "
                                      "here")  # fmt: skip
        return gazetteer

    def close(self) -> None:
        """Release the index (and the online cache)."""
        self.index.close()
        if self.online is not None:
            self.online.close()

    def __enter__(self) -> Gazetteer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check_country(self, country: str | None) -> str | None:
        """Return *country* as an upper-case code, or raise :class:`UnknownCountryError`."""
        return self._resolver.check_country(country)

    def _context(
        self,
        country: str | None,
        within: str | None,
        near: Iterable[NearPlace] | None,
        focus: str | None = None,
    ) -> Context:
        code = self._resolver.check_country(country)
        units: tuple[Place, ...] = ()
        towns: tuple[tuple[float, float], ...] = ()
        if within is not None and within.strip():
            units, towns = self._resolver.context_of(within, code)
            if not units and not towns:
                raise ParameterError(f"cannot find the region {within!r}", parameter="within")
        return Context(country=code, within=units, near=_points(near or ()) + towns,
                       focus=self._resolver.check_country(focus))  # fmt: skip

    def geonames_place(self, geonameid: int) -> Place | None:
        """Return the place with the GeoNames id *geonameid*, or None when the index has none.

        >>> Gazetteer.default().geonames_place(707292).name  # doctest: +SKIP
        'Izium'
        """
        return self.index.geonames_place(geonameid)

    def resolve(
        self,
        name: str,
        *,
        level: str | None = None,
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
        level : str, optional
            The level the place is at: ``settlement``, ``admin3``, ``admin2``,
            ``admin1`` or ``country``; wins over a qualifier in *name*.
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
        query = query_for(name, level=level) if level is not None else name
        return self._with_online([query], self._context(country, within, near), limit)[0]

    def _with_online(self, names: Sequence[Query], context: Context, limit: int) -> list[Match]:
        matches = self._resolver.resolve_many(names, context, limit=limit)
        if self.online is None:
            return matches
        said: set[str] = set()  # a service out of reach is said once, not once a name
        for i, match in enumerate(matches):
            name = match.query
            if match or problem_with(name):
                continue
            try:
                online = self.online.resolve(name, country=context.country)
            except ServiceError as err:
                if str(err) not in said:
                    said.add(str(err))
                    log.warning("%s", err)
                matches[i] = Match(name, "unresolved", match.candidates, f"{match.reason}; {err}")
                continue
            if online:
                matches[i] = online
        return matches

    def resolve_many(
        self,
        names: Iterable[Query],
        *,
        country: str | None = None,
        within: str | None = None,
        focus: str | None = None,
        regions: Iterable[tuple[str, str]] = (),
        use_context: bool = True,
        limit: int = 5,
    ) -> list[Match]:
        """Resolve many names, such as the places of one document or table.

        The index is searched for all of them at once, and repeated names are
        resolved once.  With ``use_context`` the names are read as a reader
        reads the places of one document: the places first resolved with
        confidence (by a name they bear, not a typo) are the batch's anchors
        (:class:`~geo_sites.gazetteer.resolver.Anchors`), and every name with
        a choice to make is decided again with them, resolved ones too: a
        candidate in the unit or the country of the other places gains, and
        the country most of them lie in is the default for the rest.

        Parameters
        ----------
        names : iterable of str or ParsedQuery
            Names as written, or queries whose level and context are fields
            (:func:`geo_sites.names.query_for`).
        country : str, optional
            ISO 3166-1 alpha-2 code; only places in that country are considered.
        within : str, optional
            A region every place lies in.
        focus : str, optional
            The country of the text the names were spotted in (see
            :attr:`spotting`): only the places such a text may mean by a name
            are candidates, as :func:`~geo_sites.gazetteer.spotting.in_text` says.
        regions : iterable of (str, str), optional
            The first-level units that text names, as (country, admin1 code)
            (``Spotted.regions``): a typo may mean any place in them, as
            :func:`~geo_sites.gazetteer.spotting.typo_in_text` says.

        Returns
        -------
        list of Match
            One per name, in order.

        Raises
        ------
        UnknownCountryError
            If no place has the code *country* or *focus*.
        """
        context = dataclasses.replace(self._context(country, within, None, focus),
                                      regions=frozenset(regions))  # fmt: skip
        names = list(names)
        distinct = list(dict.fromkeys(names))
        found = dict(zip(distinct, self._with_online(distinct, context, limit), strict=True))
        anchors = Anchors.of(found.values()) if use_context else None
        if anchors is not None:
            revisit = [name for name, match in found.items() if _has_a_choice(match, anchors)]
            first = [found[name] for name in revisit]
            again = self._resolver.resolve_many(
                revisit, dataclasses.replace(context, anchors=anchors), limit=limit, first=first
            )
            found.update(zip(revisit, again, strict=True))
        return [found[name] for name in names]


def _has_a_choice(match: Match, anchors: Anchors) -> bool:
    """Tell whether the batch's places may change a first answer.

    They may when there are several candidates, for a typo, and when a lone
    candidate was left ambiguous (a small place) that the other places of the
    batch support enough to resolve it.
    """
    if match.raw is not None or not match.candidates:  # an online answer, or none
        return False
    best = match.candidates[0]
    if len(match.candidates) > 1:
        return True
    if match.status == "resolved":
        return False
    if best.method == "fuzzy":
        return True
    return match.status == "ambiguous" and anchors.lifts(best)


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
    return check_point(lat, lon, "near")
