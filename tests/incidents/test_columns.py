from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo_sites.gazetteer import Gazetteer
from geo_sites.incidents import (
    Incident,
    LocatedIncident,
    Site,
    Source,
    incidents_frame,
    locate,
    merge,
    read_incidents,
    sites_frame,
)
from geo_sites.incidents.columns import INCIDENT_COLUMNS, PLACE_COLUMNS, SITE_COLUMNS
from geo_sites.join import join
from geo_sites.models import Candidate, Match, Place

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "incidents.json"

_DTYPES = {"Int64": "Int64", "float": "float64", "date": "datetime64[ms]"}


def _check_types(frame: pd.DataFrame, columns: dict[str, str]) -> None:
    assert frame.columns.tolist() == [*columns, "geometry"]
    for column, kind in columns.items():
        values = frame[column]
        if kind == "str":
            assert all(v is None or pd.isna(v) or isinstance(v, str) for v in values), column
        else:
            assert str(values.dtype) == _DTYPES[kind], (column, values.dtype)


def test_the_layers_have_the_columns_and_types_of_the_contract(
    gazetteer: Gazetteer, seed_sites: list[Site]
) -> None:
    _check_types(sites_frame(seed_sites), SITE_COLUMNS)
    _check_types(incidents_frame(locate(read_incidents(SEEDS), gazetteer)), INCIDENT_COLUMNS)


def test_one_place_block_in_sites_incidents_and_joined_tables(gazetteer: Gazetteer) -> None:
    """A site, its incident and a joined row placed by one answer say the same."""
    names = ["Trostyanets", "Kyiv", "Qwxzvillekrt"]  # ambiguous, resolved, unresolved
    incidents = [Incident(site=n, place=n, event_type="killing", sources=(Source(outlet="R"),))
                 for n in names]  # fmt: skip
    located = locate(incidents, gazetteer)
    assert [item.match.status for item in located] == ["ambiguous", "resolved", "unresolved"]
    sites = sites_frame(merge(located))[list(PLACE_COLUMNS)]
    rows = incidents_frame(located)[list(PLACE_COLUMNS)]
    joined = join(pd.DataFrame({"place": names}), gazetteer=gazetteer, place_column="place")
    matched = joined[[f"match_{c.removeprefix('place_')}" for c in PLACE_COLUMNS]]
    matched.columns = pd.Index(PLACE_COLUMNS)
    pd.testing.assert_frame_equal(sites, rows, check_dtype=False)
    # The joined table names its best guess for an ambiguous place; the layers do not.
    placed, named = rows[1:].reset_index(drop=True), matched[1:].reset_index(drop=True)
    pd.testing.assert_frame_equal(placed, named, check_dtype=False)
    guess = matched.iloc[0]
    assert (guess["place_name"], guess["admin1"]) == ("Trostianets", "Sumy Oblast")
    assert pd.isna(guess["lat"]) and pd.isna(rows["place_name"][0]) and pd.isna(rows["lat"][0])
    assert guess["candidates"] == rows["candidates"][0] and ";" in guess["candidates"]


def test_a_site_at_the_users_own_place_credits_no_one_else() -> None:
    """A place of the user's own file carries no credit; GeoNames is not named for it."""
    cemetery = Place(name="Old cemetery", lat=49.21, lon=37.25, level="site",
                     source="user places our_sites.csv", attribution=None)  # fmt: skip
    match = Match("Old cemetery", "resolved", (Candidate(cemetery, "Old cemetery", "exact", 1.0),))
    incident = Incident(site="Old cemetery", place="Old cemetery", event_type="mass_grave",
                        precision="exact", sources=(Source(outlet="R"),))  # fmt: skip
    (site,) = merge([LocatedIncident(incident, match, "exact")])
    frame = sites_frame([site])
    assert frame["place_name"][0] == "Old cemetery" and frame["attribution"].isna().all()
