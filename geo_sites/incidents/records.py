"""Read and write files of incident records.

A records file is JSON: an object with an ``incidents`` list (as
``seeds/incidents.json``), a bare list, or newline-delimited JSON (``.ndjson``,
``.jsonl``: one record a line); :mod:`geo_sites.formats` names both
(``records``, ``records-ndjson``) and tells them from GeoJSON and plain rows
of the same extensions.  A folder stands for every records file in it.
Errors name the file and the record (or line) and the field.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from ..exceptions import InvalidInputError
from ..formats import detect, extensions, for_output
from ..jsontext import loads
from .schema import Incident

__all__ = ["read_incidents", "records_files", "write_records"]


def records_files(path: str | os.PathLike[str]) -> list[Path]:
    """Return the records files *path* stands for: itself, or the ones in a folder."""
    path = Path(path)
    if path.is_dir():
        suffixes = extensions("records")
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in suffixes)
        if not files:
            raise InvalidInputError(
                f"{path}: no records files ({', '.join(suffixes)}) in this folder"
            )
        return files
    if not path.exists():
        raise InvalidInputError(f"{path}: no such file")
    return [path]


def read_incidents(*paths: str | os.PathLike[str]) -> list[Incident]:
    """Read the incidents of records files or folders, in order.

    Raises
    ------
    InvalidInputError
        For a bad file or record, or for the same incident twice (the same
        content, so the same id): the message names both places.
    """
    incidents: list[Incident] = []
    seen: dict[str, str] = {}
    for file in (f for path in paths for f in records_files(path)):
        for where, incident in _read(file):
            if incident.id in seen:
                raise InvalidInputError(
                    f"{where}: the same incident as {seen[incident.id]} (id {incident.id}); "
                    "give each record once"
                )
            seen[incident.id] = where
            incidents.append(incident)
    return incidents


def _read(path: Path) -> Iterator[tuple[str, Incident]]:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        at = raw.count(b"\n", 0, err.start) + 1
        raise InvalidInputError(
            f"{path}, line {at}: not UTF-8 text ({err.reason} at byte {err.start}); "
            "records files are UTF-8"
        ) from None
    except OSError as err:
        raise InvalidInputError(f"{path}: cannot read ({err.strerror})") from None
    if not text.strip():
        raise InvalidInputError(f"{path}: the file is empty")
    if detect(path, ("records",)).name == "records-ndjson":
        for number, line in enumerate(text.splitlines(), 1):
            if line.strip():
                where = f"{path}, line {number}"
                yield where, Incident.from_dict(loads(line, where), where=where)
        return
    data: Any = loads(text, str(path))
    if isinstance(data, dict):
        if "incidents" not in data:
            raise InvalidInputError(f"{path}: expected an object with an 'incidents' list")
        data = data["incidents"]
    if not isinstance(data, list):
        raise InvalidInputError(f"{path}: expected a list of incident records")
    for number, record in enumerate(data, 1):
        where = f"{path}, record {number}"
        yield where, Incident.from_dict(record, where=where)


def write_records(incidents: Iterable[Incident], path: str | os.PathLike[str]) -> Path:
    """Write records: one a line for ``.ndjson``/``.jsonl``, else a JSON object with a list.

    Raises
    ------
    InvalidInputError
        For an extension that names no records format.

    The file is replaced atomically; :func:`read_incidents` reads it back.
    """
    from ..files import replacing

    path = Path(path)
    lines = for_output(path, ("records",)).name == "records-ndjson"
    with replacing(path) as temporary, temporary.open("w", encoding="utf-8") as file:
        if lines:  # a line at a time: a big batch needs no big string
            file.writelines(json.dumps(i.to_dict(), ensure_ascii=False) + "\n" for i in incidents)
        else:
            records = [i.to_dict() for i in incidents]
            file.write(json.dumps({"incidents": records}, ensure_ascii=False, indent=1) + "\n")
    return path
