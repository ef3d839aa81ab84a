from __future__ import annotations

import random
from pathlib import Path

import pytest

from geo_sites.exceptions import GazetteerIndexError
from geo_sites.gazetteer.index import GazetteerIndex, build_index
from geo_sites.gazetteer.keys import KeyTable, keys_path, write_keys
from geo_sites.gazetteer.sources import geonames_dump_source

from ..common import write_dump

ROWS = [
    ("izium", 3, 0, "Izium", 1),
    ("izium", 2, 1, "Изюм", 1),
    ("izum", 1, 1, "Izum", 2),
    ("изюм", 1, 1, "Изюм", 1),
]


def _forms(key: str) -> tuple[str, ...]:
    return {"изюм": ("izium",), "izum": ()}.get(key, (key,))


def test_entries_hold_names_by_kind_the_keys_own_skeletons_and_what_meets_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "t.keys"
    write_keys(path, ROWS, _forms, "b" * 32)
    table = KeyTable(path, "b" * 32)
    izium = ((0, "Izium", 1), (1, "Изюм", 1))
    assert table.get("izium") == (((0, "Izium", 1),), izium, None, (("izium", izium),))
    assert table.get("изюм") == (((1, "Изюм", 1),), (), ("izium",), (("izium", izium),))
    assert table.get("izum") == (((1, "Izum", 2),), (), (), ())
    assert table.get("kharkiv") is None
    table.close()


def test_an_addition_writes_again_what_meets_the_keys_whose_forms_it_touches(
    tmp_path: Path,
) -> None:
    def forms(key: str) -> tuple[str, ...]:
        return {"krasnoye": ("krasnoie", "ua~krasne"), "krasnoie": ("krasnoie", "ua~krasne"),
                "izum": ("izum", "ua~izum")}.get(key, (key,))  # fmt: skip

    krasnoye, izum = (0, "Krasnoye", 7), (0, "Izum", 9)
    rows = [("izum", 3, *izum), ("krasnoie", 2, *krasnoye), ("krasnoye", 1, *krasnoye)]
    write_keys(tmp_path / "old.keys", rows, forms, "a" * 32)
    old = KeyTable(tmp_path / "old.keys", "a" * 32)
    assert old.get("krasnoye") == ((krasnoye,), (), forms("krasnoye"), (("krasnoie", (krasnoye,)),))
    # A village in Ukraine: its Ukrainian form is new, its skeleton has a name more.
    krasne = (0, "Krasne", 8)
    added = [("krasne", 1, *krasne), ("krasnoie", 2, *krasnoye), ("krasnoie", 2, *krasne),
             ("ua~krasne", 2, *krasne)]  # fmt: skip
    write_keys(tmp_path / "new.keys", added, forms, "b" * 32, keep=old)
    new = KeyTable(tmp_path / "new.keys", "b" * 32)
    both = (krasnoye, krasne)
    met = (("krasnoie", both), ("ua~krasne", (krasne,)))
    assert new.get("krasnoye") == ((krasnoye,), (), forms("krasnoye"), met)
    assert new.get("krasnoie") == ((), both, forms("krasnoie"), met)
    assert new.get("izum") == old.get("izum")  # untouched: copied
    old.close()
    new.close()


def test_a_table_of_another_build_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "t.keys"
    write_keys(path, ROWS, _forms, "a" * 32)
    with pytest.raises(ValueError, match="another build"):
        KeyTable(path, "b" * 32)


@pytest.fixture
def built(tmp_path: Path) -> Path:
    path = tmp_path / "index.sqlite"
    build_index(path, [geonames_dump_source(write_dump(tmp_path))])
    return path


@pytest.mark.parametrize(
    "damage", ["missing", "stale", "truncated", "cut", "garbled", "zeroed", "entries"]
)
def test_the_index_derives_a_missing_or_stale_table_again(built: Path, damage: str) -> None:
    table = keys_path(built)
    before = table.read_bytes()
    if damage == "missing":
        table.unlink()
    elif damage == "stale":
        write_keys(table, [], _forms, "0" * 32)
    elif damage == "truncated":
        table.write_bytes(before[:10])
    elif damage == "cut":
        table.write_bytes(before[: len(before) // 2])
    elif damage == "garbled":
        table.write_bytes(before[:60] + b"x" * 1000 + before[1060:])
    elif damage == "zeroed":  # everything after the header
        table.write_bytes(before[:64] + bytes(len(before) - 64))
    else:  # the entries at the end, same length: they would decode as bad marshal data
        random.seed(7)
        table.write_bytes(before[:-300] + random.randbytes(300))
    index = GazetteerIndex(built)
    for name in ("Krasne", "Hrozove", "Testova", "Krasne Raion"):
        assert {hit.name for hit in index.lookup(name)} >= {name}
    # The Russian name meets the villages called Krasne in Ukraine by its ending.
    assert {hit.name for hit in index.lookup("Krasnoye")} == {"Krasnoye", "Krasne"}
    index.close()
    assert table.read_bytes()[:8] == before[:8]


def test_a_table_that_cannot_be_written_is_a_clear_error(built: Path) -> None:
    keys_path(built).unlink()
    keys_path(built).mkdir()  # in the way, for root too
    with pytest.raises(GazetteerIndexError, match="cannot write the key table"):
        GazetteerIndex(built)
    assert not [p for p in built.parent.iterdir() if p.name.endswith(".tmp")]
