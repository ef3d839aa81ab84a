"""Fixtures for the map tests: the seed sites, sites full of hostile text, and a browser."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pytest

from geo_sites.gazetteer import Gazetteer
from geo_sites.incidents import Count, EventDate, Incident, Source, locate, merge, sites_frame

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "incidents.json"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]  # with Playwright's own --headless

#: The file a template payload would create if report text ran as code.
MARKER = Path(tempfile.gettempdir()) / f"geo-sites-pwned-{os.getpid()}"
#: Jinja2 that runs a shell command, and a sum, if text is ever compiled as a template.
TEMPLATE = f"{{{{ lipsum.__globals__['os'].popen('touch {MARKER}').read() }}}} {{{{ 7*7 }}}}"

#: Each would run script, break out of its context or fake a link if not escaped.
PAYLOADS = {
    "img": '<img src=x onerror="window.__pwned=1">',
    "template": "${window.__pwned=1}",
    "backtick": "`;window.__pwned=1;`",
    "escape": "\\u003cb\\u003ebold\\u003c/b\\u003e and \\x3c",
    "path": "C:\\2019\\new\\table",
    "script": "</script><script>window.__pwned=1</script>",
    "jinja": TEMPLATE,
    "unbalanced": "{{ {% {# and %} #}",
}


@pytest.fixture(scope="session")
def seed_sites(gazetteer: Gazetteer) -> gpd.GeoDataFrame:
    """The seed sites, plus one that cannot be placed."""
    from geo_sites.incidents import read_sites

    nowhere = Incident("Unplaced", "Qwxzvillekrt", "killing", sources=(Source(outlet="X"),))
    sites = read_sites(SEEDS, gazetteer=gazetteer)
    return sites_frame([*sites, *merge(locate([nowhere], gazetteer))])


@pytest.fixture(scope="session")
def hostile_sites(gazetteer: Gazetteer) -> gpd.GeoDataFrame:
    """Sites in real towns whose every text field carries an injection payload."""
    incidents = []
    for number, (key, payload) in enumerate(PAYLOADS.items()):
        town = ("Mariupol", "Bucha", "Poltava", "Lviv", "Odesa", "Chernihiv", "Sumy", "Kherson")[
            number
        ]
        incidents.append(Incident(
            f"{payload} site", town, "killing",
            counts=(Count(kind=f"{payload} killed", best=10 + number),),
            event_date=EventDate.parse(f"2022-03-{10 + number:02d}"),
            sources=(
                Source(outlet=f"{payload} outlet", title=f"{payload} title", quote=payload,
                       url="javascript:window.__pwned=1", date=None),
                Source(outlet=f"Outlet {key}", url=f"https://example.org/{key}?q=1&r=2",
                       note=payload),
            ),
        ))  # fmt: skip
    return sites_frame(merge(locate(incidents, gazetteer)))


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Headless Debian Chromium, driven by Playwright."""
    if shutil.which(CHROMIUM) is None:
        pytest.skip("needs Debian's chromium (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield chromium
        chromium.close()


class Visit:
    """A page opened in the browser, with what it logged, raised and requested."""

    def __init__(self, browser: Any, url: str, size: tuple[int, int] = (1200, 800)) -> None:
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": size[0], "height": size[1]})
        self.page = self.context.new_page()
        self.page.on(
            "console", lambda m: m.type in ("error", "warning") and self.errors.append(m.text)
        )
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        self.page.goto(url)

    def ready(self, frame: Any = None) -> Any:
        target = frame or self.page
        target.wait_for_selector("[data-gs-ready]", state="attached", timeout=15_000)
        return target

    @property
    def remote(self) -> list[str]:
        """Requests that left the machine's files."""
        return [u for u in self.requests if not u.startswith(("file:", "data:", "about:"))]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    opened: list[Visit] = []

    def open_(path: Path, size: tuple[int, int] = (1200, 800)) -> Visit:
        opened.append(Visit(browser, path.resolve().as_uri(), size))
        return opened[-1]

    yield open_
    for page in opened:
        page.close()
