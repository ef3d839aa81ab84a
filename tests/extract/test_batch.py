"""Many files: every file has its entry, and one bad file never stops the others."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pytest

from geo_sites.exceptions import InvalidInputError, OutputError
from geo_sites.extract import extract_files, extractor, write_batch
from geo_sites.gazetteer import Gazetteer
from geo_sites.incidents import read_incidents

REPORT = "date 2022-09-16\n\nThe bodies of 44 civilians were found in Izium.\n"


def _manifest(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


def test_a_file_name_that_is_not_utf8(gazetteer: Gazetteer, tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.txt").write_text(REPORT, "utf-8")
    (folder / os.fsdecode(b"b-\xe9.txt")).write_text(REPORT.replace("Izium", "Lyman"), "utf-8")
    (folder / "c.txt").write_text(REPORT.replace("Izium", "Bucha"), "utf-8")
    batch = extract_files(folder, gazetteer=gazetteer)
    out, manifest = write_batch(batch, tmp_path / "out.ndjson")
    assert [i.place for i in read_incidents(out)] == ["Izium", "Lyman", "Bucha"]
    rows = _manifest(manifest)
    assert [(Path(r["path"]).name, r["status"], r["incidents"]) for r in rows] == [
        ("a.txt", "processed", "1"), ("b-\\xe9.txt", "processed", "1"),
        ("c.txt", "processed", "1"),
    ]  # fmt: skip
    assert read_incidents(out)[1].sources[0].document == rows[1]["path"]


@pytest.mark.parametrize("workers", [1, 2])
def test_one_failure_stays_in_its_entry(
    gazetteer: Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    """Whatever goes wrong in one file (here, a fault put into the extractor for one
    document), the others are read and the file has its entry with the reason."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (folder / name).write_text(REPORT, "utf-8")
    real = extractor.extract

    def extract(document, *args, **kwargs):  # type: ignore[no-untyped-def]
        if document.path.endswith("b.txt"):
            raise RecursionError("maximum recursion depth exceeded")
        return real(document, *args, **kwargs)

    monkeypatch.setattr(extractor, "extract", extract)
    batch = extract_files(folder, gazetteer=gazetteer, workers=workers)
    assert [(Path(e.path).name, e.status, e.reason, e.incidents) for e in batch.manifest] == [
        ("a.txt", "processed", None, 1),
        ("b.txt", "failed", "extraction failed (RecursionError: maximum recursion depth "
                            "exceeded)", 0),
        ("c.txt", "processed", None, 1),
    ]  # fmt: skip
    assert len(batch.incidents) == 2


def test_both_outputs_or_neither(gazetteer: Gazetteer, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(REPORT, "utf-8")
    batch = extract_files(tmp_path / "a.txt", gazetteer=gazetteer)
    out = tmp_path / "out.ndjson"
    with pytest.raises(OutputError, match="does not exist"):
        write_batch(batch, out, manifest=tmp_path / "missing" / "m.csv")
    with pytest.raises(InvalidInputError, match="is the output"):
        write_batch(batch, out, manifest=tmp_path / "." / "out.ndjson")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    write_batch(batch, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "out.manifest.csv", "out.ndjson"]


def test_an_unknown_encoding(gazetteer: Gazetteer, tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError, match="encoding: unknown encoding 'bogus'"):
        extract_files(tmp_path, gazetteer=gazetteer, encoding="bogus")
