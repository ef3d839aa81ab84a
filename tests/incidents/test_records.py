from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from geo_sites.exceptions import InvalidInputError
from geo_sites.incidents import read_incidents

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_the_seed_records_cover_every_seed_site(shared: Path) -> None:
    incidents = read_incidents(SEEDS)
    held = {(s.document, i.place, i.event_type, i.precision) for i in incidents for s in i.sources}
    with open(shared / "eval" / "seed_sites.csv", encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert rows
    for row in rows:
        assert (row["doc"], row["place_as_written"], row["event_type"], row["precision"]) in held
        if row["count"]:
            assert any(
                int(row["count"]) in (c.best, c.low)
                for i in incidents
                if i.place == row["place_as_written"] and i.event_type == row["event_type"]
                for c in i.counts
            ), row


def test_the_seed_records_hold_the_digests_of_their_documents(shared: Path) -> None:
    import hashlib

    for incident in read_incidents(SEEDS):
        for source in incident.sources:
            assert source.document and source.sha256
            data = (shared / "seeds" / source.document).read_bytes()
            assert hashlib.sha256(data).hexdigest() == source.sha256


def test_ids_are_unique_and_stable() -> None:
    first = [i.id for i in read_incidents(SEEDS)]
    assert len(set(first)) == len(first)
    assert [i.id for i in read_incidents(SEEDS / "incidents.json")] == first


def test_newline_delimited_records(tmp_path: Path) -> None:
    records = json.loads((SEEDS / "incidents.json").read_text("utf-8"))["incidents"]
    path = tmp_path / "r.ndjson"
    path.write_text("\n".join(json.dumps(r) for r in records[:3]) + "\n\n", "utf-8")
    assert len(read_incidents(path)) == 3


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.json", b"", "the file is empty"),
        ("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00\xff\xfe", "line 1: not UTF-8 text"),
        ("mixed.json", '[\n"Ізюм",\n"'.encode() + 'Харків"\n]'.encode("cp1251"),
         "mixed.json, line 3: not UTF-8 text"),
        ("broken.json", b'{"incidents": [', "not valid JSON"),
        ("object.json", b'{"records": []}', "an 'incidents' list"),
        ("lines.ndjson", b'{"site": "x"}\n{oops}\n', "line 1: "),
        ("scalar.json", b"42", "a list of incident records"),
    ],
)  # fmt: skip
def test_bad_files_are_one_line_errors_naming_the_file(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InvalidInputError, match=message) as info:
        read_incidents(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_missing_paths_and_empty_folders(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="no such file"):
        read_incidents(tmp_path / "nope.json")
    with pytest.raises(InvalidInputError, match="no records files"):
        read_incidents(tmp_path)


def _seed_record() -> dict[str, object]:
    record: dict[str, object] = json.loads((SEEDS / "incidents.json").read_text("utf-8"))[
        "incidents"
    ][0]
    record.pop("id", None)
    return record


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 10_000 + "]" * 10_000, r"not valid JSON \(nested too deeply"),
        ('[{"site": ' + "9" * 5_000 + "}]", r"not valid JSON \(a number of more than"),
        ('[{"site": "Izium \\ud800"}]', r"a lone surrogate \(\\ud800\) at line 1"),
    ],
)
def test_pathological_json_is_a_one_line_error(tmp_path: Path, content: str, message: str) -> None:
    for name, text in (("r.json", content), ("r.ndjson", content + "\n")):
        path = tmp_path / name
        path.write_text(text, "utf-8")
        with pytest.raises(InvalidInputError, match=message) as caught:
            read_incidents(path)
        assert str(caught.value).startswith(str(path)) and "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"event_date": "2022/" * 3_000}, "event_date: Expected an ISO 8601 date"),
        ({"counts": [{"kind": "bodies", "best": 10**30}]}, r"counts\[0\]: Expected counts"),
    ],
)
def test_pathological_fields_are_one_line_errors(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps([{**_seed_record(), **change}]), "utf-8")
    with pytest.raises(InvalidInputError, match=message) as caught:
        read_incidents(path)
    assert len(str(caught.value)) < 400


@pytest.mark.parametrize("name", ["r.json", "r.ndjson", "r.jsonl"])
def test_records_written_are_read_back_and_told_from_geojson(tmp_path: Path, name: str) -> None:
    from geo_sites.formats import detect
    from geo_sites.incidents import write_records

    incidents = read_incidents(SEEDS)
    path = write_records(incidents, tmp_path / name)
    assert "records" in detect(path, ("records", "layer")).holds
    assert [i.id for i in read_incidents(path)] == [i.id for i in incidents]
    with pytest.raises(InvalidInputError, match=r"r.csv: unknown output extension '\.csv'"):
        write_records(incidents, tmp_path / "r.csv")
