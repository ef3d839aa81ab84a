"""Fixtures shared by the whole suite.

The ``../shared`` folder (GeoNames UA dump, evaluation tables) is located by
one fixture, :func:`shared`; tests that need it are skipped with a clear reason
when it is absent.  The default gazetteer index is built once per session.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo_sites.gazetteer import Gazetteer, GazetteerHome

SHARED = Path(os.environ.get("GEO_SITES_SHARED", Path(__file__).resolve().parents[2] / "shared"))


@pytest.fixture(scope="session")
def shared() -> Path:
    """The ../shared data folder."""
    if not (SHARED / "data" / "geonames" / "UA.zip").exists():
        pytest.skip(f"the shared data folder is not at {SHARED}")
    return SHARED


@pytest.fixture(scope="session")
def default_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A GEO_SITES_HOME with the default index built (once per session)."""
    home = tmp_path_factory.mktemp("default-home")
    GazetteerHome(home).ensure_index()
    return home


@pytest.fixture(scope="session")
def ua_home(tmp_path_factory: pytest.TempPathFactory, default_home: Path, shared: Path) -> Path:
    """A GEO_SITES_HOME with the default index plus the full GeoNames Ukraine dump."""
    home = tmp_path_factory.mktemp("ua-home")
    copy_index(default_home, home)
    GazetteerHome(home).add(shared / "data" / "geonames" / "UA.zip")
    return home


@pytest.fixture(scope="session")
def gazetteer(default_home: Path) -> Iterator[Gazetteer]:
    """The default gazetteer."""
    with Gazetteer.default(home=default_home) as gaz:
        yield gaz


@pytest.fixture(scope="session")
def ua_gazetteer(ua_home: Path) -> Iterator[Gazetteer]:
    """The default gazetteer plus the GeoNames Ukraine dump."""
    with Gazetteer.default(home=ua_home) as gaz:
        yield gaz


@pytest.fixture
def home_copy(default_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the default home, set as GEO_SITES_HOME for the CLI."""
    home = tmp_path / "home"
    home.mkdir()
    copy_index(default_home, home)
    monkeypatch.setenv("GEO_SITES_HOME", str(home))
    return home


def copy_index(home: Path, to: Path) -> None:
    """Give another home the index of a home, with its key table: hard links where the
    file system allows (geo-sites opens an index read-only and replaces it only by renaming
    a new file over it, so a link is as private as a copy, without 211 MB a test), else
    copies."""
    for name in ("index.sqlite", "index.keys"):
        try:
            os.link(home / name, to / name)
        except OSError:
            shutil.copy(home / name, to / name)
