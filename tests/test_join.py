from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from geo_sites.exceptions import ParameterError
from geo_sites.gazetteer import Gazetteer
from geo_sites.join import MATCH_COLUMNS, join


def _table(**columns: list[object]) -> pd.DataFrame:
    return pd.DataFrame(columns)


def test_every_row_stays_in_order_with_its_columns(gazetteer: Gazetteer) -> None:
    table = _table(id=[1, 2, 3, 4, 5], place=["Izjum", "Qwxzvillekrt", None, "Ізюм", "Bucha"],
                   note=["a", "b", "c", "d", "e"])  # fmt: skip
    joined = join(table, gazetteer=gazetteer, place_column="place")
    assert len(joined) == len(table)
    assert joined.columns.tolist() == ["id", "place", "note", *MATCH_COLUMNS, "geometry"]
    assert joined["id"].tolist() == [1, 2, 3, 4, 5]
    assert joined.crs.to_epsg() == 4326
    assert joined["match_status"].tolist() == [
        "resolved", "unresolved", "unresolved", "resolved", "resolved"
    ]  # fmt: skip
    assert joined.geometry.isna().tolist() == [False, True, True, False, False]
    # Every spelling of a place gets the same place.
    assert joined["match_geonameid"][0] == joined["match_geonameid"][3] == 707292
    assert joined["match_attribution"][0] == "GeoNames (geonames.org), CC BY 4.0"
    summary = joined.attrs["join_summary"]
    assert (summary["rows"], summary["resolved"], summary["unresolved"]) == (5, 3, 2)
    assert summary["text"].startswith(
        "5 rows: 3 resolved (0 from given coordinates), 0 ambiguous, 2 unresolved; "
        "not placed: Qwxzvillekrt, ''"
    )


def test_each_row_says_how_precisely_it_is_placed(gazetteer: Gazetteer) -> None:
    table = _table(place=["Kharkiv region", "Izium", "Bucha", "Qwxzvillekrt"],
                   lat=[None, None, 50.54, None], lon=[None, None, 30.21, None])  # fmt: skip
    joined = join(table, gazetteer=gazetteer, place_column="place", lat_column="lat",
                  lon_column="lon")  # fmt: skip
    # As sites are: a region's row is its region, a town's 5 km, the user's point exact.
    assert joined["match_precision"].tolist()[:3] == ["admin1", "settlement", "exact"]
    assert joined["match_radius_m"].tolist()[:3] == [100_000, 5_000, 100]
    assert pd.isna(joined["match_precision"][3]) and pd.isna(joined["match_radius_m"][3])


def test_other_rows_and_the_admin1_column_are_context(gazetteer: Gazetteer) -> None:
    alone = join(_table(place=["Trostyanets"]), gazetteer=gazetteer, place_column="place")
    assert alone["match_status"][0] == "ambiguous" and alone.geometry[0] is None
    with_others = join(_table(place=["Trostyanets", "Sumy", "Okhtyrka", "Lebedyn"]),
                       gazetteer=gazetteer, place_column="place")  # fmt: skip
    assert with_others["match_geonameid"][0] == 691255
    with_region = join(_table(place=["Trostyanets"], oblast=["Vinnytsia Oblast"]),
                       gazetteer=gazetteer, place_column="place",
                       admin1_column="oblast")  # fmt: skip
    assert with_region["match_admin1"][0] == "Vinnytsia Oblast"


def test_country_column(gazetteer: Gazetteer) -> None:
    table = _table(place=["Kharkiv", "Paris", "Paris"], cc=["UA", "FR", "XX"])
    joined = join(table, gazetteer=gazetteer, place_column="place", country_column="cc")
    assert joined["match_country"].tolist()[:2] == ["UA", "FR"]
    assert joined["match_status"][2] == "unresolved"
    assert "unknown country code 'XX'" in joined["match_reason"][2]


@pytest.mark.parametrize(
    ("lat", "lon", "status", "method", "reason"),
    [
        (49.2105, 37.2601, "resolved", "given", "coordinates given in the table"),
        ("49,2105", "37,2601", "resolved", "given", "coordinates given"),  # decimal commas
        (50.45, 30.52, "resolved", "given", "the name resolves to Izium, 504 km away"),
        (37.27679, 49.20697, "resolved", "exact", "look swapped"),
        (95.3, 37.2, "resolved", "exact", "out of range (lat 95.3, lon 37.2), not used"),
        ("north", "east", "resolved", "exact", "are not numbers"),
        (None, None, "resolved", "exact", "exact match"),
    ],
)
def test_given_coordinates(
    gazetteer: Gazetteer, lat: object, lon: object, status: str, method: str, reason: str
) -> None:
    table = _table(place=["Izyum"], y=[lat], x=[lon])
    joined = join(table, gazetteer=gazetteer, place_column="place", lat_column="y", lon_column="x")
    row = joined.iloc[0]
    assert (row["match_status"], row["match_method"]) == (status, method)
    assert reason in row["match_reason"]
    assert joined.attrs["join_summary"]["given"] == (method == "given")
    point = joined.geometry[0]
    if method == "given":
        assert (point.y, point.x) == (float(str(lat).replace(",", ".")),
                                      float(str(lon).replace(",", ".")))  # fmt: skip
    else:
        assert (point.y, point.x) == (49.20697, 37.27679)


def test_geojson_geometry_counts_as_given(gazetteer: Gazetteer) -> None:
    table = gpd.GeoDataFrame({"place": ["Izyum", "Qwxzvillekrt"]},
                             geometry=[Point(37.26, 49.21), None], crs=4326)  # fmt: skip
    joined = join(table, gazetteer=gazetteer, place_column="place")
    assert joined["match_method"][0] == "given" and joined.attrs["join_summary"]["given"] == 1
    assert joined["match_status"].tolist() == ["resolved", "unresolved"]
    assert joined.geometry[0].equals(Point(37.26, 49.21))


def test_a_missing_column_lists_the_columns(gazetteer: Gazetteer) -> None:
    table = _table(town=["Izyum"], count=[3])
    with pytest.raises(ParameterError) as caught:
        join(table, gazetteer=gazetteer, place_column="place", source="list.csv")
    assert str(caught.value) == (
        "place_column: list.csv: no column 'place'; the columns are 'town', 'count'"
    )
    with pytest.raises(ParameterError, match=r"^lat_column: a column of latitudes needs one of "):
        join(table, gazetteer=gazetteer, place_column="town", lat_column="count")
    with pytest.raises(ParameterError, match=r"^lon_column: a column of longitudes needs one of "):
        join(table, gazetteer=gazetteer, place_column="town", lon_column="count")


def test_match_columns_of_an_earlier_join_are_replaced(gazetteer: Gazetteer) -> None:
    once = join(_table(place=["Izyum"]), gazetteer=gazetteer, place_column="place")
    again = join(pd.DataFrame(once.drop(columns="geometry")), gazetteer=gazetteer,
                 place_column="place")  # fmt: skip
    assert again.columns.tolist() == once.columns.tolist()


def test_columns_named_like_the_point_are_renamed(
    gazetteer: Gazetteer, caplog: pytest.LogCaptureFixture
) -> None:
    # The outputs give the point as geometry, wkt and (CSV) lat/lon: a user's own
    # columns of these names keep their values under a new name, and a warning says so.
    table = _table(place=["Izyum", "Bucha"], lat=["49°12′N", "?"], lon=["37°16′E", "?"],
                   wkt=["POINT (1 2)", None], geometry=["mine", "mine"],
                   lat_input=[1, 2])  # fmt: skip
    with caplog.at_level("WARNING", "geo_sites"):
        joined = join(table, gazetteer=gazetteer, place_column="place", source="t.csv")
    assert joined.columns.tolist() == [
        "place", "lat_input_2", "lon_input", "wkt_input", "geometry_input", "lat_input",
        *MATCH_COLUMNS, "geometry",
    ]  # fmt: skip
    assert joined["lat_input_2"].tolist() == ["49°12′N", "?"]
    assert joined["wkt_input"][0] == "POINT (1 2)" and pd.isna(joined["wkt_input"][1])
    assert joined["geometry_input"].tolist() == ["mine", "mine"]
    assert joined.geometry[1].equals(Point(joined["match_lon"][1], joined["match_lat"][1]))
    assert caplog.messages == [
        "t.csv: columns renamed, as the outputs give the point under their names: "
        "'lat' to 'lat_input_2', 'lon' to 'lon_input', 'wkt' to 'wkt_input', "
        "'geometry' to 'geometry_input'"
    ]
