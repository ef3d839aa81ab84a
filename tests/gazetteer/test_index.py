from __future__ import annotations

import random
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from rapidfuzz.distance import OSA

from geo_sites.exceptions import GazetteerIndexError
from geo_sites.gazetteer import Gazetteer
from geo_sites.gazetteer.index import (
    FUZZY_MIN_LENGTH,
    KIND_EXACT,
    KIND_SKELETON,
    GazetteerIndex,
    _forms,
    add_to_index,
    build_index,
    fuzzy_parts,
)
from geo_sites.gazetteer.keys import KeyTable, derive_keys, keys_path
from geo_sites.gazetteer.sources import PlaceRecord, SourceRecords, geonames_dump_source
from geo_sites.names import UKRAINIAN_FORM, exact_key, skeletons

from ..common import write_dump


def _source(*places: PlaceRecord, label: str = "test") -> SourceRecords:
    return SourceRecords(label=label, attribution="test credit", places=list(places))


@pytest.fixture
def tiny_index(tmp_path: Path) -> GazetteerIndex:
    path = tmp_path / "index.sqlite"
    build_index(path, [geonames_dump_source(write_dump(tmp_path))], meta={"fingerprint": "x"})
    return GazetteerIndex(path)


def test_lookup_by_exact_key_and_by_skeleton(tiny_index: GazetteerIndex) -> None:
    hits = tiny_index.lookup("КРАСНЕ")
    places = tiny_index.places(h.pid for h in hits)
    exact = {places[h.pid].geonameid for h in hits if h.kind == KIND_EXACT}
    assert exact == {900001, 900002}
    translit = tiny_index.lookup("Krasnoe")
    by_key = {h.key: {tiny_index.places([h.pid])[h.pid].geonameid for h in translit if h.key == k}
              for h in translit for k in [h.key]}  # fmt: skip
    # The skeleton meets the village that lists "Krasnoye"; the Russian ending -oye
    # is the Ukrainian -e of both villages in Ukraine.
    assert by_key == {"krasnoe": {900001}, UKRAINIAN_FORM + "krasne": {900001, 900002}}
    assert {h.kind for h in translit} == {KIND_SKELETON}
    assert tiny_index.lookup("") == tiny_index.lookup("x" * 1000) == []


def test_lookup_romanises_what_the_index_does_not_hold(tiny_index: GazetteerIndex) -> None:
    # "Красное" is in no name of the index: its skeletons are computed, not read.
    hits = tiny_index.lookup("Красное")
    (hit,) = [h for h in hits if not h.key.startswith(UKRAINIAN_FORM)]
    assert (hit.kind, hit.key) == (KIND_SKELETON, skeletons(exact_key("Красное"))[-1])


def test_places_carry_admin1_names_and_source(tiny_index: GazetteerIndex) -> None:
    (pid,) = {hit.pid for hit in tiny_index.lookup("Hrozove")}
    place = tiny_index.places([pid])[pid]
    assert place.admin1 == "Testova Oblast"
    assert place.source == "GeoNames dump XX.zip"
    assert place.attribution == "GeoNames (geonames.org), CC BY 4.0"
    assert tiny_index.meta["fingerprint"] == "x"
    assert tiny_index.counts()["settlement"] == 3


def test_a_place_by_its_geonames_id(tiny_index: GazetteerIndex, gazetteer: Gazetteer) -> None:
    (pid,) = {hit.pid for hit in tiny_index.lookup("Hrozove")}
    place = tiny_index.places([pid])[pid]
    assert place.geonameid is not None and tiny_index.geonames_place(place.geonameid) == place
    assert tiny_index.geonames_place(123) is None
    izium = gazetteer.geonames_place(707292)
    assert izium is not None and (izium.name, izium.admin1) == ("Izium", "Kharkiv Oblast")


def test_a_units_radius_is_kept_and_a_points_is_none(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    unit = PlaceRecord("Testova Oblast", 49.0, 37.0, "admin1", "XX", radius_km=112.5)
    town = PlaceRecord("Testove", 49.1, 37.1, "settlement", "XX")
    build_index(path, [_source(unit, town)])
    index = GazetteerIndex(path)
    pids = [h.pid for name in ("Testova Oblast", "Testove") for h in index.lookup(name)]
    places = index.places(pids)
    radii = {p.name: p.radius_km for p in places.values()}
    assert radii == {"Testova Oblast": 112.5, "Testove": None}
    assert {p.name: p.to_dict()["radius_km"] for p in places.values()} == radii


def test_a_later_source_replaces_a_place_with_the_same_geonames_id(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    old = PlaceRecord("Oldname", 49.0, 36.0, "settlement", "UA", geonameid=1,
                      alternate_names=("Oldalt",), aliases=("Curated alias",))  # fmt: skip
    build_index(path, [_source(old)])
    new = PlaceRecord("Newname", 49.5, 36.5, "settlement", "UA", geonameid=1, population=10)
    counts = add_to_index(path, _source(new, label="newer"))
    assert counts == {"places": 1, "added": 0, "replaced": 1, "skipped": 0}
    index = GazetteerIndex(path)
    assert index.lookup("Oldalt") == []
    (pid,) = {hit.pid for hit in index.lookup("Newname")}
    place = index.places([pid])[pid]
    assert (place.lat, place.source) == (49.5, "newer")
    # Curated aliases survive the replacement.
    assert len({hit.pid for hit in index.lookup("Curated alias")}) == 1


def test_the_key_table_of_a_build_is_the_one_derived_from_its_names(tmp_path: Path) -> None:
    # Places that share names, in both scripts: the build romanises each key once.
    places = [
        PlaceRecord("Novoselivka", 49.0 + i / 10, 36.0, "settlement", "UA", geonameid=10 + i,
                    alternate_names=("Новоселівка", "Новоселовка", "Novoselovka"))
        for i in range(3)
    ] + [
        PlaceRecord("Krasne", 50.0, 30.0, "settlement", "UA", geonameid=20,
                    alternate_names=("Красне", "Красное", "Krasnoye"), aliases=("Krasne",)),
        PlaceRecord("Krasne", 50.1, 30.1, "settlement", "UA", geonameid=20,  # again: first wins
                    alternate_names=("Krasnoe",)),
    ]  # fmt: skip
    path = tmp_path / "index.sqlite"
    build_index(path, [_source(*places)])
    again = tmp_path / "again.sqlite"
    shutil.copy(path, again)
    with closing(sqlite3.connect(again)) as conn:
        build_id = dict(conn.execute("SELECT key, value FROM meta"))["build_id"]
        keys = [key for (key,) in conn.execute("SELECT DISTINCT key FROM names")]
        first = conn.execute("SELECT origin, name FROM names WHERE key = 'krasne' AND kinds & 1")
        assert first.fetchall() == [(0, "Krasne")]
        derive_keys(keys_path(again), conn, _forms, build_id)
    built, derived = KeyTable(keys_path(path), build_id), KeyTable(keys_path(again), build_id)
    assert {"novoselivka", "новоселівка", "novoselovka", "krasnoe", "krasne"} <= set(keys)
    assert [built.get(key) for key in keys] == [derived.get(key) for key in keys]
    built.close()
    derived.close()


def test_build_is_atomic(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    build_index(path, [_source(PlaceRecord("Keep", 1.0, 1.0, "settlement", "UA", geonameid=5))])

    def broken():  # type: ignore[no-untyped-def]
        yield _source(PlaceRecord("Half", 1.0, 1.0, "settlement", "UA", geonameid=6))
        raise RuntimeError("crash in the middle")

    with pytest.raises(RuntimeError):
        build_index(path, broken())
    index = GazetteerIndex(path)
    assert len({hit.pid for hit in index.lookup("keep")}) == 1
    assert index.lookup("half") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.keys", "index.sqlite"]


def test_a_broken_index_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "index.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(GazetteerIndexError, match="cannot open the index"):
        GazetteerIndex(path)


def test_fuzzy_parts_are_the_halves() -> None:
    assert fuzzy_parts("harkiv") == ("6<har", "6>kiv")
    assert fuzzy_parts("izium") == ("5<iz", "5>ium")


def test_fuzzy_lookup_finds_exactly_what_brute_force_finds(gazetteer: Gazetteer) -> None:
    """Every key within one edit, nothing else: checked against a scan of all keys."""
    conn = sqlite3.connect(gazetteer.path)
    keys = [k for (k,) in conn.execute("SELECT DISTINCT key FROM names WHERE kinds & 2")]
    fuzzy_keys = [k for k in keys if len(k) >= FUZZY_MIN_LENGTH]
    rng = random.Random(7)
    queries = []
    for key in rng.sample(fuzzy_keys, 40):
        i = rng.randrange(len(key))
        queries += [
            key[:i] + key[i + 1 :],  # deletion
            key[:i] + "q" + key[i:],  # insertion
            key[:i] + "x" + key[i + 1 :],  # substitution
            key[: len(key) // 2 - 1] + key[len(key) // 2] + key[len(key) // 2 - 1]
            + key[len(key) // 2 + 1 :],  # transposition across the middle
        ]  # fmt: skip
    for query in queries:
        if len(query) < FUZZY_MIN_LENGTH:
            continue
        expected = {k for k in fuzzy_keys if OSA.distance(query, k, score_cutoff=1) <= 1}
        hits = gazetteer.index.fuzzy_lookup(query)
        found = {hit.key for hit, _ in hits}
        assert all(distance == OSA.distance(query, hit.key) for hit, distance in hits)
        assert found == expected, query


def test_fuzzy_lookup_ignores_short_queries(tiny_index: GazetteerIndex) -> None:
    assert tiny_index.fuzzy_lookup("kra") == []


def test_places_are_read_in_batches_and_the_memory_stays_bounded(
    tiny_index: GazetteerIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    from geo_sites.gazetteer import index as index_module

    monkeypatch.setattr(index_module, "_PLACE_CACHE", 3)
    first = tiny_index.places([1, 2])
    assert {p.geonameid for p in first.values()} >= {900001, 900002}
    # Asking for more than the cache holds empties it, but every place asked for is there.
    found = tiny_index.places([1, 3, 4])
    assert {found[pid].geonameid for pid in (1, 3, 4)} == {900001, 900003, 900004}
    assert len(found) == 3


def test_an_addition_keeps_the_other_keys_entries_and_matches_a_full_derivation(
    tmp_path: Path,
) -> None:
    from geo_sites.gazetteer.index import _forms
    from geo_sites.gazetteer.keys import KeyTable, derive_keys, keys_path

    path = tmp_path / "index.sqlite"
    build_index(path, [geonames_dump_source(write_dump(tmp_path))])
    mine = [PlaceRecord("Krasne", 49.95, 36.15, "site", "UA", aliases=("Hrozove memorial",)),
            PlaceRecord("Zelenyi Hai", 49.1, 36.2, "site", "UA")]  # fmt: skip
    counts = add_to_index(path, SourceRecords("mine", None, mine), meta={"fingerprint": "y"})
    assert counts["added"] == 2
    index = GazetteerIndex(path)
    build_id = index.meta["build_id"]
    assert len({hit.pid for hit in index.lookup("Krasne")}) == 3  # two villages and mine
    # The Russian name, a key kept from before, meets mine by its Ukrainian form.
    assert len({hit.pid for hit in index.lookup("Krasnoye")}) == 3
    assert {hit.name for hit in index.lookup("Зелений Гай")} == {"Zelenyi Hai"}
    kept = KeyTable(keys_path(path), build_id)
    derive_keys(tmp_path / "full.keys", sqlite3.connect(path), _forms, build_id)
    full = KeyTable(tmp_path / "full.keys", build_id)
    keys = [key for key, _ in full.entries()]
    assert keys == [key for key, _ in kept.entries()]
    assert [kept.get(key) for key in keys] == [full.get(key) for key in keys]
    kept.close()
    full.close()
    index.close()
