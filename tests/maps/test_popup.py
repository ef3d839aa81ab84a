from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest

from geo_sites.gazetteer import Gazetteer
from geo_sites.join import join
from geo_sites.maps.popup import popup, safe_url


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", " JavaScript:alert(1)", "data:text/html,<b>", "vbscript:x",
     "//evil.example/x", "/relative", "https://", "https://a.example/<script>",
     "https://a.example/\"onmouseover=x", "file:///etc/passwd", None, 42],
)  # fmt: skip
def test_only_http_links_are_followed(url: object) -> None:
    assert safe_url(url) is None


def test_http_and_https_links_are_kept() -> None:
    assert safe_url("https://example.org/a?b=1&c=2") == "https://example.org/a?b=1&c=2"
    assert safe_url(" HTTP://example.org ") == "HTTP://example.org"


def test_the_site_template(seed_sites: gpd.GeoDataFrame) -> None:
    row = seed_sites[seed_sites["name"] == "Izium mass burial site"].iloc[0].to_dict()
    shown = popup(row)
    lines = dict(shown["lines"])
    assert shown["title"] == "Izium mass burial site"
    assert lines["What happened"] == "Mass grave"
    assert lines["How many"] == "447 (reports range 440–447) bodies"
    assert lines["All counts"] == "bodies 447 (440–447); bodies in one marked grave 17; graves 440"
    assert lines["Where"].startswith("Izium, Kharkiv Oblast, UA; ")  # written as it is named
    assert "vicinity of a place, within 10 km" in lines["Where"]
    # In plain words; the resolver's account is the folded details.
    assert lines["How we placed it"] == "Found in the gazetteer by its name as written."
    assert shown["details"].startswith("resolved, exact match, confidence 0.99: ")
    assert not any(word in text for text in lines.values() for word in ("score", "weight"))
    assert len(shown["sources"]) == 4  # every source of the merged reports
    other = seed_sites[seed_sites["name"] == "Trostianets, torture room"].iloc[0].to_dict()
    where = dict(popup(other)["lines"])["Where"]
    assert where.startswith("Trostianets, Sumy Oblast, UA (written: Trostyanets)")
    assert all(href is None for _, href, _ in shown["sources"])  # the seeds have no URLs


def test_unplaced_sites_say_why(seed_sites: gpd.GeoDataFrame) -> None:
    row = seed_sites[seed_sites["name"] == "Unplaced"].iloc[0].to_dict()
    lines = dict(popup(row)["lines"])
    assert lines["Where"] == "not placed (written 'Qwxzvillekrt')"
    assert lines["How we placed it"].startswith("Not placed: ")
    assert popup(row)["details"].startswith("unresolved")


def test_sources_link_only_safe_urls(hostile_sites: gpd.GeoDataFrame) -> None:
    sources = popup(hostile_sites.iloc[0].to_dict())["sources"]
    (bad_text, bad_href, _), (_, good_href, _) = sources
    assert bad_href is None and bad_text.endswith("(javascript:window.__pwned=1)")
    assert good_href == "https://example.org/img?q=1&r=2"


def test_other_layers_show_their_properties() -> None:
    shown = popup({"title": "Depot", "kind": "fuel", "count": 3.0, "empty": None})
    assert shown == {"title": "Depot", "lines": [["title", "Depot"], ["kind", "fuel"],
                                                 ["count", "3"]], "sources": [],
                     "details": None}  # fmt: skip


def test_a_joined_row_shows_its_columns_then_where_we_placed_it(gazetteer: Gazetteer) -> None:
    table = pd.DataFrame({"place": ["Kharviv", "Kharkiv region"], "note": ["a", "b"],
                          "precision": ["town", "town"]})  # fmt: skip
    rows = join(table, place_column="place", gazetteer=gazetteer).to_dict("records")
    typo, region = (popup(row) for row in rows)
    assert typo["title"] == "Kharviv"  # as the table writes it; the label is the place's name
    lines = dict(typo["lines"])
    assert list(lines)[:3] == ["place", "note", "precision"]  # the table's own: its "precision"
    assert lines["Where"] == "Kharkiv, Kharkiv Oblast, UA; located to the settlement, within 5 km"
    assert lines["How we placed it"] == (
        "Found in the gazetteer by a name one letter away from the one written."
    )
    assert not any(k.startswith("match_") for k in lines)  # the resolver's account is folded
    assert typo["details"].startswith("resolved, fuzzy match, confidence ")
    where = dict(region["lines"])["Where"]
    assert where == "Kharkiv Oblast, UA; located to the region, within 100 km"


def test_long_text_is_cut_in_the_popup_only() -> None:
    """A popup shows 600 characters of a long text; text_of, which the run report uses, all."""
    from geo_sites.cells import text_of

    quote = "Bodies were found near the forest road. " * 30
    shown = popup({"name": "Depot", "note": quote})
    (line,) = [text for label, text in shown["lines"] if label == "note"]
    assert len(line) == 600 and line.endswith("…") and quote.startswith(line[:-1])
    assert text_of(quote) == quote.strip()


@pytest.mark.parametrize(
    ("status", "method", "said"),
    [
        ("resolved", "transliteration", "Found in the gazetteer by a spelling of its name in "
                                        "another alphabet."),
        ("resolved", "fuzzy", "Found in the gazetteer by a name one letter away from the one "
                              "written."),
        ("ambiguous", "exact", "Several places could be meant; this is the likeliest, found by "
                               "its name as written. Check it before relying on it."),
    ],
)  # fmt: skip
def test_how_a_site_was_placed_is_said_in_plain_words(
    seed_sites: gpd.GeoDataFrame, status: str, method: str, said: str
) -> None:
    row = seed_sites.iloc[0].to_dict() | {"status": status, "method": method}
    assert dict(popup(row)["lines"])["How we placed it"] == said
