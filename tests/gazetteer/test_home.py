from __future__ import annotations

import http.server
import logging
import os
import random
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo_sites.exceptions import (
    DamagedIndexError,
    DumpFormatError,
    InvalidInputError,
    OfflineError,
    SourceError,
)
from geo_sites.gazetteer import Gazetteer, GazetteerHome
from geo_sites.gazetteer import home as home_module

from ..common import TINY_DUMP, dump_line, tiny_default, write_dump


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> GazetteerHome:
    """A home whose default is one place, so that builds take milliseconds."""
    monkeypatch.setattr(home_module, "default_source", tiny_default)
    return GazetteerHome(tmp_path / "home")


def _names(home: GazetteerHome, *names: str) -> list[int | None]:
    with Gazetteer(home.ensure_index()) as gaz:
        return [m.place.geonameid if m.place else None for m in map(gaz.resolve, names)]


def test_the_index_is_built_once_and_reused(home: GazetteerHome) -> None:
    path = home.ensure_index()
    stamp = path.stat().st_mtime_ns
    assert home.ensure_index() == path
    assert path.stat().st_mtime_ns == stamp
    assert _names(home, "Defaultville") == [1]


def test_env_var_sets_the_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GEO_SITES_HOME", str(tmp_path / "h"))
    assert GazetteerHome().paths.index == tmp_path / "h" / "index.sqlite"
    monkeypatch.delenv("GEO_SITES_HOME")
    assert GazetteerHome().paths.index.name == "index.sqlite"
    assert "geo-sites" in str(GazetteerHome().paths.index)


def test_add_then_info(home: GazetteerHome, tmp_path: Path) -> None:
    home.ensure_index()
    dump = write_dump(tmp_path)
    counts = home.add(dump)
    assert counts == {"places": 5, "added": 5, "replaced": 0, "skipped": 1}
    info = home.info()
    assert [s["label"] for s in info["sources"]] == ["default (test)", "GeoNames dump XX.zip"]
    assert info["counts"]["settlement"] == 4 and info["counts"]["admin1"] == 1
    assert info["files"][0]["path"] == str(dump.resolve()) and info["files"][0]["exists"]
    assert info["built_at"] and info["index_bytes"] > 0
    assert _names(home, "Hrozove", "Defaultville") == [900004, 1]


def test_a_changed_source_file_triggers_a_rebuild(home: GazetteerHome, tmp_path: Path) -> None:
    dump = write_dump(tmp_path)
    home.add(dump)
    assert _names(home, "Newplace") == [None]
    write_dump(tmp_path, TINY_DUMP + dump_line(900099, "Newplace", "", 49.1, 36.1))
    os.utime(dump, ns=(1, 1))  # a different mtime even on coarse clocks
    assert _names(home, "Newplace") == [900099]


def test_a_deleted_source_file_keeps_its_places_through_rebuilds(
    home: GazetteerHome, tmp_path: Path
) -> None:
    dump = write_dump(tmp_path)
    home.add(dump)
    dump.unlink()
    assert _names(home, "Hrozove") == [900004]
    home.rebuild()
    assert _names(home, "Hrozove") == [900004]
    (file,) = home.info()["files"]
    assert file["exists"] is True and file["original_exists"] is False
    assert Path(file["copy"]).parent.parent == home.paths.copies


def test_an_edited_source_with_a_bad_value_is_refused_and_its_copy_kept(
    home: GazetteerHome, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    places = tmp_path / "sites.csv"
    places.write_text("name,lat,lon,population\nOld Mill,49.5,36.5,10\n", "utf-8")
    home.add(places)
    places.write_text("name,lat,lon,population\nOld Mill,49.5,36.5,many\n", "utf-8")
    with caplog.at_level(logging.WARNING):
        home.ensure_index()
    assert "sites.csv: row 2: population must be a whole number" in caplog.text
    with Gazetteer(home.ensure_index()) as gaz:
        assert gaz.resolve("Old Mill").status == "resolved"
    home.rebuild()
    with Gazetteer(home.ensure_index()) as gaz:
        assert gaz.resolve("Old Mill").status == "resolved"


def test_remove_a_source(home: GazetteerHome, tmp_path: Path) -> None:
    dump = write_dump(tmp_path)
    home.add(dump)
    copy = Path(home.sources()[0]["copy"])
    removed = home.remove("XX.zip")
    assert removed["path"] == str(dump.resolve())
    assert home.sources() == [] and not copy.exists()
    assert _names(home, "Hrozove", "Defaultville") == [None, 1]
    with pytest.raises(InvalidInputError, match=r"no added file is 'XX.zip'.*: none"):
        home.remove("XX.zip")


def test_rebuild_gives_what_add_gave(home: GazetteerHome, tmp_path: Path) -> None:
    home.add(write_dump(tmp_path))
    before = _names(home, "Krasne", "Hrozove", "Testova region")
    counts = home.rebuild()
    assert set(counts) == {"default (test)", "GeoNames dump XX.zip"}
    assert _names(home, "Krasne", "Hrozove", "Testova region") == before


def test_adding_a_file_again_rereads_it(home: GazetteerHome, tmp_path: Path) -> None:
    dump = write_dump(tmp_path)
    home.add(dump)
    home.add(dump)
    assert len(home.sources()) == 1
    assert _names(home, "Hrozove") == [900004]


def test_a_bad_file_changes_nothing(home: GazetteerHome, tmp_path: Path) -> None:
    home.ensure_index()
    bad = write_dump(tmp_path, "1\t2\t3\n", name="BAD.txt")
    with pytest.raises(DumpFormatError, match=r"BAD.txt: line 1"):
        home.add(bad)
    assert home.sources() == []
    with pytest.raises(SourceError, match="unknown gazetteer file type"):
        home.add(tmp_path / "places.xlsx")


def test_user_places_are_resolvable_by_name_and_alias(home: GazetteerHome, tmp_path: Path) -> None:
    home.add(write_dump(tmp_path))  # gives the admin1 unit "Testova Oblast"
    places = tmp_path / "sites.csv"
    places.write_text(
        "name,lat,lon,aliases,kind,admin1\n"
        "Krasne forest burial site,49.91,36.12,Krasne mass grave,cemetery,Testova Oblast\n",
        "utf-8",
    )
    home.add(places)
    with Gazetteer(home.ensure_index()) as gaz:
        match = gaz.resolve("Krasne mass grave")
        assert match.status == "resolved"
        assert match.place is not None and match.place.level == "site"
        assert match.place.admin1 == "Testova Oblast"  # the written name became the code
        assert match.best is not None and match.best.method == "alias"
        assert match.place.attribution is None  # the user's own data


@pytest.fixture
def dump_server(tmp_path: Path) -> Iterator[str]:
    """A local HTTP server that serves XX.zip (and 404 for anything else)."""
    folder = tmp_path / "served"
    folder.mkdir()
    write_dump(folder)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            super().__init__(*args, directory=str(folder), **kwargs)

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/{{country}}.zip"
    server.shutdown()
    server.server_close()


def test_download_a_country_dump(home: GazetteerHome, dump_server: str) -> None:
    path = home.download("xx", url=dump_server)
    assert path.name == "XX.zip" and path.parent == home.paths.downloads
    home.add(path)
    assert _names(home, "Hrozove") == [900004]
    with pytest.raises(SourceError, match="HTTP 404"):
        home.download("YY", url=dump_server)


def test_download_offline_is_a_clear_error(home: GazetteerHome) -> None:
    # Port 9 on loopback: nothing listens, the connection is refused at once.
    with pytest.raises(OfflineError, match=r"without internet, download UA\.zip elsewhere"):
        home.download("UA", url="http://127.0.0.1:9/{country}.zip", timeout=5)
    assert not list(home.paths.downloads.glob("*"))


@pytest.mark.parametrize("code", ["", "UKR", "1A"])
def test_download_rejects_bad_country_codes(home: GazetteerHome, code: str) -> None:
    with pytest.raises(ValueError, match="two-letter country code"):
        home.download(code)


def test_the_nominatim_cache_lives_beside_the_index(home: GazetteerHome) -> None:
    fallback = home.nominatim("geo-sites-tests (gis@example.org)")
    try:
        assert fallback.cache_path == home.paths.index.with_name("nominatim.sqlite")
        assert fallback.cache_path.exists()
    finally:
        fallback.close()


def _crash_while_writing(index: Path) -> None:
    """Leave *index* as a process killed in a write transaction does: changed pages, hot journal."""
    script = (
        "import os, signal, sqlite3, sys\n"
        "conn = sqlite3.connect(sys.argv[1])\n"
        "conn.execute('PRAGMA cache_size = 1')\n"  # spill changed pages into the file
        "conn.execute('BEGIN')\n"
        "conn.execute(\"UPDATE places SET name = name || 'x'\")\n"
        "conn.execute(\"UPDATE names SET name = name || 'x'\")\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(index)], check=False)
    assert index.with_name(index.name + "-journal").exists()


def test_an_index_left_by_a_killed_writer_is_rebuilt(home: GazetteerHome, tmp_path: Path) -> None:
    home.add(write_dump(tmp_path))
    _crash_while_writing(home.paths.index)
    assert _names(home, "Hrozove", "Defaultville") == [900004, 1]
    assert not home.paths.index.with_name("index.sqlite-journal").exists()
    home.rebuild()
    assert _names(home, "Hrozove") == [900004]


def test_add_replaces_the_index_and_never_writes_it_in_place(
    home: GazetteerHome, tmp_path: Path
) -> None:
    index = home.ensure_index()
    before = index.stat().st_ino
    with Gazetteer(index) as reader:  # an index opened before the add keeps answering
        home.add(write_dump(tmp_path))
        assert reader.resolve("Defaultville").status == "resolved"
    assert index.stat().st_ino != before
    assert _names(home, "Hrozove") == [900004]
    assert [p.name for p in index.parent.iterdir() if p.name.endswith((".tmp", "-journal"))] == []


def test_a_writer_killed_after_replacing_the_index_is_adopted(
    home: GazetteerHome, tmp_path: Path
) -> None:
    home.add(write_dump(tmp_path))
    listed = home.paths.registry.read_bytes()
    places = tmp_path / "sites.csv"
    places.write_text("name,lat,lon\nOld Mill,49.5,36.5\n", "utf-8")
    home.add(places)
    home.paths.registry.write_bytes(listed)  # as if killed before saving the list
    built = home.paths.index.stat().st_ino
    with Gazetteer(home.ensure_index()) as gaz:
        assert gaz.resolve("Old Mill").status == "resolved"
    assert home.paths.index.stat().st_ino == built  # not rebuilt
    assert [Path(s["path"]).name for s in home.sources()] == ["XX.zip", "sites.csv"]


def test_an_unreadable_list_of_sources_is_saved_again_from_the_index(
    home: GazetteerHome, tmp_path: Path
) -> None:
    home.add(write_dump(tmp_path))
    home.paths.registry.write_bytes(b"\0" * 40)
    built = home.paths.index.stat().st_ino
    assert _names(home, "Hrozove") == [900004]
    assert home.paths.index.stat().st_ino == built  # not rebuilt
    assert [Path(s["path"]).name for s in home.sources()] == ["XX.zip"]


def test_simultaneous_adds_run_one_after_the_other(home: GazetteerHome, tmp_path: Path) -> None:
    home.ensure_index()
    files = []
    for n in range(3):
        places = tmp_path / f"sites{n}.csv"
        places.write_text(f"name,lat,lon\nSite number {n},49.{n},36.1\n", "utf-8")
        files.append(places)
    errors: list[BaseException] = []

    def add(path: Path) -> None:
        try:
            GazetteerHome(home.paths.index.parent).add(path)
        except BaseException as err:  # reported below
            errors.append(err)

    threads = [threading.Thread(target=add, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(home.sources()) == 3
    with Gazetteer(home.ensure_index()) as gaz:
        found = [gaz.resolve(f"Site number {n}").place for n in range(3)]
    assert [place.name if place else None for place in found] == [
        f"Site number {n}" for n in range(3)
    ]


def _dead_pid() -> int:
    process = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                             capture_output=True, text=True, check=True)  # fmt: skip
    return int(process.stdout)


def test_temporary_files_of_killed_processes_are_removed(home: GazetteerHome) -> None:
    folder = home.ensure_index().parent
    dead, alive = _dead_pid(), os.getpid()
    stale = [folder / f".index.sqlite.{dead}.tmp", folder / f".index.keys.{dead}.tmp",
             folder / f".sources.json.{dead}.tmp",
             folder / f".index.sqlite.{dead}.tmp-journal"]  # fmt: skip
    old = folder / f".index.sqlite.{alive}.tmp"  # an id in use, but a day old: reused
    live = [folder / f".index.keys.{alive}.tmp", folder / "notes.tmp", folder / ".x.12ab.tmp"]
    for path in [*stale, old, *live]:
        path.write_bytes(b"x" * 1000)
    os.utime(old, (1, 1))
    assert sorted(home.clean()) == sorted([*stale, old])
    assert all(path.exists() for path in live) and not any(p.exists() for p in [*stale, old])
    (folder / f".index.sqlite.{dead}.tmp").write_bytes(b"x")
    orphan = home.paths.copies / "0123456789ab" / "sites.csv"  # an addition was stopped
    orphan.parent.mkdir(parents=True)
    orphan.write_text("name,lat,lon\nA,1,2\n")
    assert _names(home, "Defaultville") == [1]  # every run cleans
    assert not (folder / f".index.sqlite.{dead}.tmp").exists()
    assert list(home.paths.copies.iterdir()) == []


def _garble_table(index: Path, table: str) -> None:
    """Overwrite the pages of *table* with random bytes, as a bad disk or a stray write would."""
    import sqlite3

    with sqlite3.connect(index) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,))
    conn.close()
    rng = random.Random(3)
    with open(index, "r+b") as file:
        file.seek((root[0] - 1) * page_size)
        file.write(rng.randbytes(page_size))


def test_a_damaged_index_is_found_by_a_failing_query_and_built_again(
    home: GazetteerHome, tmp_path: Path
) -> None:
    home.add(write_dump(tmp_path))
    _garble_table(home.paths.index, "places")
    gaz = Gazetteer(home.ensure_index())  # without a repair hook: a clear error
    with pytest.raises(DamagedIndexError, match=r"the index is damaged .*gazetteer rebuild"):
        gaz.resolve("Hrozove")
    gaz.close()
    with Gazetteer.default(home=home.paths.index.parent) as gaz:
        match = gaz.resolve("Hrozove")
    assert match.place is not None and match.place.geonameid == 900004
    assert _names(home, "Krasne Raion", "Defaultville") == [900006, 1]


def test_a_garbled_index_is_built_again_when_opened(home: GazetteerHome, tmp_path: Path) -> None:
    home.add(write_dump(tmp_path))
    index = home.paths.index
    rng = random.Random(5)
    data = bytearray(index.read_bytes())
    data[100:] = rng.randbytes(len(data) - 100)  # every page, the header excepted
    index.write_bytes(bytes(data))
    assert _names(home, "Hrozove", "Defaultville") == [900004, 1]


def test_a_place_named_in_capitals_meets_its_acronym(home: GazetteerHome, tmp_path: Path) -> None:
    """A user's own "ZNPP" is found; the curated acronym alone would be no place."""
    places = tmp_path / "sites.csv"
    places.write_text("name,lat,lon\nZNPP,47.51,34.58\nSbu,49.5,36.5\n", "utf-8")
    home.add(places)
    with Gazetteer(home.ensure_index()) as gaz:
        assert gaz.resolve("ZNPP").status == "resolved"
        assert gaz.resolve("Sbu").status == "resolved"
        assert "an acronym or code" in gaz.resolve("SBU").reason  # not the place "Sbu"
