"""Sample objects and small files shared by the tests (all written by us)."""

from __future__ import annotations

import zipfile
from pathlib import Path

from geo_sites.gazetteer.sources import PlaceRecord, SourceRecords
from geo_sites.models import Candidate, Match, Place

IZYUM = Place(
    name="Izyum", lat=49.20697, lon=37.27679, level="settlement", country="UA",
    geonameid=707292, admin1="Kharkiv Oblast", admin1_code="07", population=45884,
    source="test", attribution="GeoNames (geonames.org), CC BY 4.0",
)  # fmt: skip
IZYUM_MATCH = Match("Izjum", "resolved", (Candidate(IZYUM, "Izjum", "exact", 0.97),), "test")


def dump_line(
    geonameid: int, name: str, alternates: str, lat: float, lon: float,
    feature: str = "P.PPL", admin1: str = "07", population: int = 0, country: str = "UA",
) -> str:  # fmt: skip
    """Return one row of a GeoNames dump (19 tab-separated columns)."""
    feature_class, feature_code = feature.split(".")
    fields = [
        str(geonameid), name, name, alternates, str(lat), str(lon), feature_class,
        feature_code, country, "", admin1, "", "", "", str(population), "", "100",
        "Europe/Kyiv", "2024-01-01",
    ]  # fmt: skip
    return "\t".join(fields) + "\n"


# A tiny dump: two villages called Krasne in different oblasts, an oblast, a raion,
# a river (not a place) and a village with a Cyrillic alternate.
TINY_DUMP = "".join(
    [
        dump_line(900001, "Krasne", "Красне,Krasnoye", 49.9, 36.1, admin1="07", population=900),
        dump_line(900002, "Krasne", "Красне", 50.9, 34.1, admin1="21", population=300),
        dump_line(900003, "Testova Oblast", "Testova", 49.5, 36.5, "A.ADM1", "07", 1000000),
        dump_line(900004, "Hrozove", "Грозове,Hrozovoe", 49.7, 37.2, population=120),
        dump_line(900005, "Test River", "", 49.0, 36.0, "H.STM"),
        dump_line(900006, "Krasne Raion", "", 49.8, 36.2, "A.ADM2", "07", 50000),
    ]
)


def write_dump(folder: Path, text: str = TINY_DUMP, *, name: str = "XX.zip") -> Path:
    """Write *text* as a GeoNames dump (.zip with XX.txt inside, or plain .txt)."""
    path = folder / name
    if name.endswith(".zip"):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr(name.replace(".zip", ".txt"), text)
            archive.writestr("readme.txt", "test dump")
    else:
        path.write_text(text, "utf-8")
    return path


def tiny_default() -> SourceRecords:
    """A one-place stand-in for the embedded default, so that index builds take milliseconds."""
    place = PlaceRecord(
        "Defaultville", 50.0, 30.0, "settlement", "UA", geonameid=1, population=5_000
    )
    return SourceRecords("default (test)", "GeoNames (geonames.org), CC BY 4.0", [place])
