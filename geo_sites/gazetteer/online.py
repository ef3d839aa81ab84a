"""Optional online fallback: geopy's Nominatim, politely, with an on-disk cache.

Off by default.  Names the offline gazetteer leaves unresolved can be asked of
Nominatim, at most one request a second (Nominatim's usage policy), with a
user agent that names the caller, a timeout, and every answer (found or not)
kept in a SQLite cache so a name is never asked twice.  When the server
cannot be reached at all (no network, a refused or dropped connection), it
is not asked again by the same fallback: every later name gets the same
:class:`~geo_sites.exceptions.OfflineError` at once.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from ..exceptions import OfflineError, ParameterError, ServiceError, ServiceTimeoutError
from ..models import Candidate, Level, Match, Place

__all__ = ["NominatimFallback"]

_ATTRIBUTION = "© OpenStreetMap contributors, ODbL 1.0 (via Nominatim)"

# Nominatim's addresstype / type -> our level.
_LEVELS: dict[str, Level] = {
    "continent": "continent",
    "country": "country",
    "state": "admin1",
    "region": "admin1",
    "province": "admin1",
    "county": "admin2",
    "district": "admin2",
    "municipality": "admin3",
}


class NominatimFallback:
    """Ask Nominatim for names the offline gazetteer cannot resolve.

    Parameters
    ----------
    user_agent : str
        Required by Nominatim's policy: name your application and a contact.
    cache_path : path-like
        SQLite file for the answers.
    domain, scheme : str
        The server; tests point these at a local server.
    timeout : float
        Seconds to wait for one answer.
    min_delay_seconds : float
        Least time between two requests (1 s for the public server).
    max_retries : int
        Retries after a failed request (429 and 5xx answers, timeouts).
    """

    def __init__(
        self,
        user_agent: str,
        *,
        cache_path: str | os.PathLike[str],
        domain: str = "nominatim.openstreetmap.org",
        scheme: str = "https",
        timeout: float = 10.0,
        min_delay_seconds: float = 1.0,
        max_retries: int = 2,
    ) -> None:
        if not user_agent or not user_agent.strip() or "geopy" in user_agent.lower():
            raise ParameterError(
                "the online fallback needs a user agent naming your application and a contact, "
                "e.g. 'my-ngo-maps (gis@example.org)'",
                parameter="user_agent",
            )
        from geopy.adapters import URLLibAdapter
        from geopy.extra.rate_limiter import RateLimiter
        from geopy.geocoders import Nominatim

        # urllib, not requests even when installed: requests retries timeouts on its
        # own, under the rate limiter's retries, so a slow server would be asked 9 times.
        self.geocoder = Nominatim(user_agent=user_agent, domain=domain, scheme=scheme,
                                  timeout=timeout, adapter_factory=URLLibAdapter)  # fmt: skip
        self._geocode = RateLimiter(
            self.geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=min_delay_seconds,
            swallow_exceptions=False,
        )
        self.domain = domain
        self._offline: OfflineError | None = None
        self.cache_path = Path(cache_path)
        self.cache_path.parent.mkdir(parents=True, exist_ok=True)
        self._cache = sqlite3.connect(self.cache_path, check_same_thread=False)
        self._cache.execute(
            "CREATE TABLE IF NOT EXISTS answers(query TEXT, country TEXT, raw TEXT,"
            " PRIMARY KEY(query, country))"
        )

    def _ask(self, query: str, country: str | None) -> dict[str, Any] | None:
        row = self._cache.execute(
            "SELECT raw FROM answers WHERE query = ? AND country = ?", (query, country or "")
        ).fetchone()
        if row is not None:
            return json.loads(row[0])  # type: ignore[no-any-return]
        if self._offline is not None:
            raise self._offline
        from geopy import exc

        try:
            location = self._geocode(
                query,
                exactly_one=True,
                addressdetails=True,
                country_codes=(country or "").lower() or None,
            )
        except exc.GeocoderTimedOut as err:
            raise ServiceTimeoutError(f"Nominatim did not answer in time for {query!r}") from err
        except exc.GeopyError as err:
            if _out_of_reach(err):
                self._offline = OfflineError(
                    f"Nominatim cannot be reached at {self.domain} ({err})"
                )
                raise self._offline from err
            raise ServiceError(f"Nominatim failed for {query!r}: {err}") from err
        raw = location.raw if location is not None else None
        with self._cache:
            self._cache.execute(
                "INSERT OR REPLACE INTO answers VALUES (?, ?, ?)",
                (query, country or "", json.dumps(raw)),
            )
        return raw

    def resolve(self, query: str, *, country: str | None = None) -> Match:
        """Return Nominatim's answer for *query* as a match (unresolved when it finds nothing).

        Raises
        ------
        ServiceError, ServiceTimeoutError
            When the service fails after the retries.
        OfflineError
            When the service cannot be reached (then, at once, for every later name).
        """
        raw = self._ask(query, country)
        if not raw:
            return Match(query=query, status="unresolved", reason="Nominatim found nothing")
        address = raw.get("address") or {}
        kind = raw.get("addresstype") or raw.get("type") or ""
        place = Place(
            name=str(raw.get("name") or raw.get("display_name", query)).split(",")[0],
            lat=float(raw["lat"]),
            lon=float(raw["lon"]),
            level=_LEVELS.get(kind, "settlement"),
            country=str(address.get("country_code", "")).upper(),
            admin1=address.get("state"),
            source="Nominatim",
            attribution=_ATTRIBUTION,
        )
        score = min(1.0, max(0.0, float(raw.get("importance") or 0.5)))
        candidate = Candidate(place, str(raw.get("display_name", place.name)), "online", score)
        answer = raw.get("display_name")
        return Match(
            query=query,
            status="resolved",
            candidates=(candidate,),
            raw=raw,
            reason=f"offline gazetteer found nothing; Nominatim answered {answer!r}",
        )

    def close(self) -> None:
        """Close the cache."""
        self._cache.close()


def _out_of_reach(error: BaseException) -> bool:
    """Whether geopy's *error* comes from the connection, not from an answer of the server."""
    from geopy.adapters import AdapterHTTPError

    cause = error.__cause__ or error.__context__
    while cause is not None:
        if isinstance(cause, AdapterHTTPError):
            return False
        if isinstance(cause, OSError):  # URLError, refused, reset, closed without an answer
            return True
        cause = cause.__cause__ or cause.__context__
    return False
