from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from geo_sites.colours import EVENT_COLOURS
from geo_sites.exceptions import ParameterError
from geo_sites.gazetteer import Gazetteer
from geo_sites.join import join
from geo_sites.maps.layout import lay_out
from geo_sites.maps.symbols import RADIUS_PX, nice_sizes, symbology


def test_circle_area_is_proportional_to_the_count(seed_sites: gpd.GeoDataFrame) -> None:
    symbols = symbology(seed_sites, "event_type", "count")
    assert symbols.size_max == 1000  # Izium: 1,000 estimated victims
    assert symbols.radius(1000) == RADIUS_PX[1]
    assert symbols.radius(250) == pytest.approx(RADIUS_PX[1] / 2)  # a quarter of the area
    assert symbols.radius(None) == symbols.radius(0) == RADIUS_PX[0]  # no count: smallest


def test_event_types_keep_their_colours_and_order(seed_sites: gpd.GeoDataFrame) -> None:
    symbols = symbology(seed_sites, "event_type", "count")
    values = [c.value for c in symbols.categories]
    assert values == [t for t in EVENT_COLOURS if t in set(seed_sites["event_type"])]
    assert all(c.colour == EVENT_COLOURS[c.value] for c in symbols.categories if c.value)
    assert sum(c.count for c in symbols.categories) == len(seed_sites)
    killing = values.index("killing")
    assert [symbols.codes[i] == killing for i in range(len(seed_sites))] == list(
        seed_sites["event_type"] == "killing"
    )


def test_other_columns_get_a_palette_and_an_other_entry() -> None:
    frame = pd.DataFrame({"source": [f"outlet {i % 15}" for i in range(60)] + [None]})
    symbols = symbology(frame, "source", None)
    assert len(symbols.categories) == 13  # twelve colours, then "other or not given"
    assert symbols.categories[-1].label == "other or not given"
    assert symbols.categories[-1].count == 3 * 4 + 1
    assert len(set(c.colour for c in symbols.categories)) == 13


def test_a_column_that_names_event_types_takes_their_colours() -> None:
    frame = pd.DataFrame({"what": ["Mass grave", "mass-grave", "shelling", "Looting", "Looting"]})
    symbols = symbology(frame, "what", None)
    assert [(c.label, c.colour, c.count) for c in symbols.categories] == [
        ("Mass grave", EVENT_COLOURS["mass_grave"], 2), ("Shelling", EVENT_COLOURS["shelling"], 1),
        ("Looting", symbols.categories[2].colour, 2),
    ]  # fmt: skip
    assert symbols.codes == (0, 0, 1, 2, 2)


def test_the_legend_counts_the_rows_drawn(gazetteer: Gazetteer) -> None:
    table = pd.DataFrame({"place": ["Izium", "Qwxzvillekrt"], "event": ["shelling", "killing"]})
    layout = lay_out(join(table, place_column="place", gazetteer=gazetteer), color_by="event")
    assert [(c.label, c.count) for c in layout.symbols.categories] == [("Shelling", 1)]
    assert len(layout.missing) == 1  # said under the legend: "1 site has no location"


def test_unknown_columns_and_text_sizes_are_refused(seed_sites: gpd.GeoDataFrame) -> None:
    with pytest.raises(ParameterError, match=r"^color_by: no column 'colour'.*event_type") as bad:
        symbology(seed_sites, "colour", None)
    assert bad.value.parameter == "color_by"
    with pytest.raises(ParameterError, match=r"^size_by: the column 'name' holds no numbers"):
        symbology(seed_sites, "event_type", "name")


def test_size_key_values_are_round() -> None:
    assert nice_sizes(1000) == (1000, 100, 10)
    assert nice_sizes(447) == (200, 20, 2)
    assert nice_sizes(7) == (5,)
    assert nice_sizes(None) == nice_sizes(0.5) == ()


def test_the_palette_has_no_two_colours_alike() -> None:
    import colorsys

    from matplotlib.colors import to_rgb

    from geo_sites.colours import OTHER, PALETTE

    hls = [colorsys.rgb_to_hls(*to_rgb(c)) for c in (*PALETTE, OTHER)]
    for i, (h1, l1, s1) in enumerate(hls):
        for h2, l2, s2 in hls[i + 1 :]:
            hue = min(abs(h1 - h2), 1 - abs(h1 - h2))
            # Another hue, or the same hue far lighter or darker; grey apart from every colour.
            assert hue > 0.04 or abs(l1 - l2) > 0.3 or abs(s1 - s2) > 0.5
