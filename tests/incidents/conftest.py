"""The seed records as sites, for the tests of the incident stages."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo_sites.gazetteer import Gazetteer
from geo_sites.incidents import Site, read_sites

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "incidents.json"


@pytest.fixture(scope="module")
def seed_sites(gazetteer: Gazetteer) -> list[Site]:
    """The sites of ``seeds/incidents.json``, placed with the default gazetteer."""
    return read_sites(SEEDS, gazetteer=gazetteer)
