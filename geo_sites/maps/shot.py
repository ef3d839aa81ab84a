"""The page as an image: a screenshot of the HTML map, taken by Chromium.

For users who want the interactive look (the same base, legend and labels as
the page) in a slide.  Playwright drives a headless Chromium: the system's
(``/usr/bin/chromium``, or the program ``GEO_SITES_CHROMIUM`` names), else
the one Playwright installs (``playwright install chromium``).  The page is
drawn still when headless, and the shot is taken once it says
``data-ready``, so no cluster is caught on its way.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..exceptions import InvalidInputError

__all__ = ["VIEWPORT", "screenshot"]

#: The size of the page in CSS pixels; the image has ``dpi / 96`` times as many.
VIEWPORT = (1400, 900)
_SYSTEM_CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def screenshot(page: str, path: Path, dpi: int) -> None:
    """Write the HTML *page* to *path* as a PNG at *dpi*, through Chromium.

    Playwright's synchronous API is driven in a thread of its own, so that it
    works where an event loop runs already (a notebook).

    Raises
    ------
    InvalidInputError
        When Playwright or a Chromium is missing, or the page does not get ready.
    """
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        raise InvalidInputError(
            "a screenshot of the page needs Playwright: pip install 'geo-sites[screenshot]'"
        ) from None
    browser = _chromium()
    with ThreadPoolExecutor(max_workers=1) as thread:
        thread.submit(_shoot, page, path, dpi, browser).result()


def _shoot(page: str, path: Path, dpi: int, browser: str | None) -> None:
    from playwright.sync_api import Error, sync_playwright

    with tempfile.TemporaryDirectory(prefix="geo-sites-") as folder:
        source = Path(folder) / "map.html"
        source.write_text(page, "utf-8")
        try:
            with sync_playwright() as playwright:
                chromium = playwright.chromium.launch(executable_path=browser)
                try:
                    shot = chromium.new_page(
                        viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]},
                        device_scale_factor=dpi / 96,
                    )
                    shot.goto(source.as_uri())
                    shot.wait_for_selector("html[data-ready]", state="attached", timeout=60_000)
                    shot.screenshot(path=str(path), type="png")
                finally:
                    chromium.close()
        except Error as err:
            first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
            raise InvalidInputError(f"Chromium could not take the screenshot: {first}") from None


def _chromium() -> str | None:
    """The Chromium to drive: ``GEO_SITES_CHROMIUM``, else the system's, else Playwright's."""
    named = os.environ.get("GEO_SITES_CHROMIUM")
    if named:
        if not (Path(named).is_file() and os.access(named, os.X_OK)):
            raise InvalidInputError(f"GEO_SITES_CHROMIUM: {named}: no such program")
        return named
    return next((found for name in _SYSTEM_CHROMIUM if (found := shutil.which(name))), None)
