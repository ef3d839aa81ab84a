"""The Nominatim fallback, against a small Nominatim look-alike on 127.0.0.1."""

from __future__ import annotations

import http.server
import json
import socket
import socketserver
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from geo_sites.exceptions import (
    InvalidInputError,
    OfflineError,
    ServiceError,
    ServiceTimeoutError,
)
from geo_sites.gazetteer import Gazetteer, NominatimFallback

ANSWER = {
    "place_id": 1, "lat": "49.61", "lon": "37.12", "name": "Testivka",
    "display_name": "Testivka, Izium Raion, Kharkiv Oblast, Ukraine",
    "addresstype": "village", "importance": 0.31,
    "address": {"village": "Testivka", "state": "Kharkiv Oblast", "country_code": "ua"},
}  # fmt: skip


@dataclass
class Script:
    """What the fake server answers, in turn, and what it saw."""

    replies: list[tuple[int, object, float]] = field(default_factory=list)  # status, body, delay
    seen: list[dict[str, str]] = field(default_factory=list)
    times: list[float] = field(default_factory=list)


@pytest.fixture
def nominatim() -> Iterator[tuple[str, Script]]:
    script = Script()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urllib.parse.urlsplit(self.path)
            query = dict(urllib.parse.parse_qsl(url.query))
            script.seen.append({"path": url.path, "ua": self.headers["User-Agent"], **query})
            script.times.append(time.monotonic())
            status, body, delay = script.replies.pop(0) if script.replies else (200, [], 0.0)
            time.sleep(delay)
            payload = json.dumps(body).encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout test)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}", script
    server.shutdown()
    server.server_close()


def _fallback(domain: str, tmp_path: Path, **kwargs: float) -> NominatimFallback:
    options = {"timeout": 2.0, "min_delay_seconds": 0.05, "max_retries": 2, **kwargs}
    return NominatimFallback(
        "geo-sites-tests (gis@example.org)", cache_path=tmp_path / "nominatim.sqlite",
        domain=domain, scheme="http", **options,  # type: ignore[arg-type]
    )  # fmt: skip


def test_an_answer_becomes_a_resolved_match(nominatim: tuple[str, Script], tmp_path: Path) -> None:
    domain, script = nominatim
    script.replies.append((200, [ANSWER], 0.0))
    fallback = _fallback(domain, tmp_path)
    match = fallback.resolve("Testivka", country="UA")
    assert match.status == "resolved" and match.place is not None
    assert (match.place.lat, match.place.lon, match.place.country) == (49.61, 37.12, "UA")
    assert match.place.admin1 == "Kharkiv Oblast" and match.place.source == "Nominatim"
    assert "OpenStreetMap" in (match.place.attribution or "")
    assert match.best is not None and match.best.method == "online"
    assert match.raw == ANSWER
    (request,) = script.seen
    assert request["path"] == "/search" and request["q"] == "Testivka"
    assert request["countrycodes"] == "ua"
    assert request["ua"] == "geo-sites-tests (gis@example.org)"
    # Asked once: the second answer comes from the cache, even in a new process.
    fallback.close()
    again = _fallback(domain, tmp_path).resolve("Testivka", country="UA")
    assert again.place == match.place and len(script.seen) == 1


def test_nothing_found_is_unresolved_and_cached(
    nominatim: tuple[str, Script], tmp_path: Path
) -> None:
    domain, script = nominatim
    fallback = _fallback(domain, tmp_path)
    assert fallback.resolve("Nowhereville").status == "unresolved"
    assert fallback.resolve("Nowhereville").status == "unresolved"
    assert len(script.seen) == 1


def test_429_is_retried_after_a_pause(nominatim: tuple[str, Script], tmp_path: Path) -> None:
    domain, script = nominatim
    script.replies += [(429, {"error": "Too many requests"}, 0.0), (200, [ANSWER], 0.0)]
    match = _fallback(domain, tmp_path, min_delay_seconds=0.2).resolve("Testivka")
    assert match.status == "resolved"
    assert len(script.seen) == 2
    assert script.times[1] - script.times[0] >= 0.2  # the rate limiter waited


def test_requests_are_spaced_by_the_rate_limit(
    nominatim: tuple[str, Script], tmp_path: Path
) -> None:
    # The limiter runs on a fake clock that only its own sleeps move, so the test
    # checks the spacing it asks for, not how busy this machine is.
    domain, script = nominatim
    fallback = _fallback(domain, tmp_path, min_delay_seconds=0.25)  # exact in binary
    limiter, geocode = fallback._geocode, fallback._geocode.func
    now, sent = [0.0], []

    def sleep(seconds: float) -> None:
        now[0] += seconds

    def send(*args: object, **kwargs: object) -> object:
        sent.append(now[0])
        return geocode(*args, **kwargs)

    limiter._clock, limiter._sleep, limiter.func = (lambda: now[0]), sleep, send
    for name in ("One", "Two", "Three"):
        fallback.resolve(name)
    assert len(script.seen) == 3 and sent == [0.0, 0.25, 0.5]


def test_server_errors_raise_after_the_retries(
    nominatim: tuple[str, Script], tmp_path: Path
) -> None:
    domain, script = nominatim
    script.replies += [(500, {"error": "boom"}, 0.0)] * 3
    with pytest.raises(ServiceError, match="Nominatim failed for 'Testivka'"):
        _fallback(domain, tmp_path).resolve("Testivka")
    assert len(script.seen) == 3  # the first try and two retries


def test_a_slow_server_times_out(nominatim: tuple[str, Script], tmp_path: Path) -> None:
    domain, script = nominatim
    script.replies += [(200, [ANSWER], 1.5)] * 2
    with pytest.raises(ServiceTimeoutError, match="did not answer in time"):
        _fallback(domain, tmp_path, timeout=0.3, max_retries=1).resolve("Testivka")


def test_a_user_agent_is_required(tmp_path: Path) -> None:
    for agent in ("", "  ", "geopy/2.4"):
        with pytest.raises(InvalidInputError, match="needs a user agent"):
            NominatimFallback(agent, cache_path=tmp_path / "c.sqlite")


def test_the_gazetteer_asks_online_only_for_what_it_cannot_resolve(
    nominatim: tuple[str, Script], tmp_path: Path, default_home: Path
) -> None:
    domain, script = nominatim
    script.replies.append((200, [ANSWER], 0.0))
    with Gazetteer.default(home=default_home, online=_fallback(domain, tmp_path)) as gaz:
        assert gaz.resolve("Izyum").best.method == "exact"  # type: ignore[union-attr]
        online = gaz.resolve("Testivka")
        assert online.best is not None and online.best.method == "online"
        assert [s["q"] for s in script.seen] == ["Testivka"]
        script.replies += [(500, {"error": "boom"}, 0.0)] * 3
        failed = gaz.resolve("Otherivka")
        assert failed.status == "unresolved" and "Nominatim failed" in failed.reason
        asked = len(script.seen)
        for not_a_name in ("", "12345", "x" * 300):
            assert gaz.resolve(not_a_name).status == "unresolved"
        assert len(script.seen) == asked  # strings that are no names are never sent


@pytest.fixture
def unreachable() -> str:
    """A 127.0.0.1 port with nothing listening."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"127.0.0.1:{port}"


@pytest.fixture
def hanging_up() -> Iterator[str]:
    """A server on 127.0.0.1 that closes every connection without an answer."""

    class Handler(socketserver.BaseRequestHandler):
        def handle(self) -> None:
            self.request.recv(65536)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize("server", ["unreachable", "hanging_up"])
def test_a_service_out_of_reach_is_one_error_and_asked_once(
    server: str, request: pytest.FixtureRequest, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    domain = request.getfixturevalue(server)
    fallback = _fallback(domain, tmp_path)
    with pytest.raises(OfflineError, match=f"Nominatim cannot be reached at {domain} ") as first:
        fallback.resolve("Testivka")
    assert "\n" not in str(first.value)
    with pytest.raises(OfflineError) as second:  # not asked again: the answer is the same
        fallback.resolve("Otherivka")
    assert str(second.value) == str(first.value)
    assert capfd.readouterr().err == ""  # no traceback from geopy's retries
