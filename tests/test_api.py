"""The package's verbs, as a notebook uses them, and docs/api.md run as a notebook."""

from __future__ import annotations

import contextlib
import doctest
import io
import json
import logging
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from markdown_it import MarkdownIt

import geo_sites
from geo_sites.gazetteer import Gazetteer

ROOT = Path(__file__).resolve().parents[1]
VERBS = ("read", "join", "extract", "locate", "merge", "sites_frame", "render", "write", "run")


@pytest.mark.parametrize(
    "first",
    [
        "import geo_sites.join, geo_sites.extract, geo_sites.run",
        "import geo_sites.extract.batch",
        "from geo_sites import cli",
        "from geo_sites.run import RunResult",
        "geo_sites.join, geo_sites.extract, geo_sites.run",  # the verbs first
    ],
)
def test_the_verbs_stay_when_their_submodules_load(first: str) -> None:
    """``geo_sites.join`` is the function, whatever was imported before or after it."""
    code = f"""
import json, sys
import geo_sites
{first}
import geo_sites.join, geo_sites.extract, geo_sites.run
from geo_sites import cli
from geo_sites.extract import extract_files
verbs = (geo_sites.join, geo_sites.extract, geo_sites.run)
print(json.dumps([[f.__module__, f.__name__] for f in verbs]))
print(json.dumps([sys.modules[f"geo_sites.{{n}}"].__name__ for n in ("join", "extract", "run")]))
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    verbs, modules = map(json.loads, out.stdout.splitlines())
    assert verbs == [["geo_sites.join", "join"], ["geo_sites.api", "extract"],
                     ["geo_sites.run", "run"]]  # fmt: skip
    assert modules == ["geo_sites.join", "geo_sites.extract", "geo_sites.run"]


def test_import_geo_sites_loads_nothing_heavy() -> None:
    code = "import json, sys; before = set(sys.modules); import geo_sites; " \
           "print(json.dumps(sorted(set(sys.modules) - before)))"  # fmt: skip
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = json.loads(out.stdout)
    assert "geo_sites" in loaded
    assert [m for m in loaded if m.startswith("geo_sites.")] == []
    heavy = {"pandas", "geopandas", "shapely", "numpy", "folium", "matplotlib", "click", "sqlite3"}
    assert {m.split(".")[0] for m in loaded} & heavy == set()


def test_every_public_name_is_listed_and_documented() -> None:
    assert set(VERBS) <= set(geo_sites.__all__) <= set(dir(geo_sites))
    assert {"sys", "ModuleType", "Any"} & set(dir(geo_sites)) == set()
    assert "gazetteer" in dir(geo_sites)  # a loaded submodule
    for name in geo_sites.__all__:
        assert getattr(geo_sites, name) is not None
    for name in VERBS:
        doc = getattr(geo_sites, name).__doc__
        for section in ("Parameters", "Returns", "Examples"):
            assert f"\n    {section}\n    ---" in doc, (name, section)


def test_a_notebook_session(
    gazetteer: Gazetteer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Five names through join to a map that shows itself as an iframe."""
    monkeypatch.chdir(tmp_path)
    names = ["Izium", "Bucha", "Kharviv", "Mykolaivka", "Qwxzvillekrt"]
    table = pd.DataFrame({"place": names, "bodies": [447, 458, 3, 1, 2]}, index=[5, 4, 3, 2, 1])

    frame = geo_sites.join(table, place_column="place", gazetteer=gazetteer)

    assert len(frame) == len(table) and list(frame.index) == [5, 4, 3, 2, 1]
    assert list(frame["place"]) == names and list(frame["bodies"]) == [447, 458, 3, 1, 2]
    assert list(frame["match_status"]) == ["resolved"] * 3 + ["ambiguous", "unresolved"]
    assert list(frame["match_name"][:3]) == ["Izium", "Bucha", "Kharkiv"]
    assert list(frame["match_method"][:3]) == ["exact", "exact", "fuzzy"]
    assert list(frame.geometry.isna()) == [False] * 3 + [True] * 2
    assert frame.crs.to_epsg() == 4326
    summary = frame.attrs["join_summary"]
    assert (summary["rows"], summary["resolved"], summary["ambiguous"], summary["unresolved"]) == (
        5, 3, 1, 1,
    )  # fmt: skip
    assert summary["text"].endswith("not placed: Mykolaivka, Qwxzvillekrt")
    assert json.loads(json.dumps(frame.attrs)) == frame.attrs  # as pandas writes attrs

    shown = geo_sites.render(frame)

    assert list(tmp_path.iterdir()) == [] and shown.path is None  # nothing written
    # The rows not drawn, each with the resolver's reason.
    (mykolaivka, why), (nowhere, reason) = shown.layout.missing
    assert (mykolaivka, nowhere) == ("Mykolaivka", "Qwxzvillekrt")
    assert "close runner-up: Mykolaivka" in why and "no place is called" in reason
    # The joined rows' place data is credited on the map, as a site layer's is.
    assert shown.layout.credits == ("GeoNames (geonames.org), CC BY 4.0",)
    frames = _elements(shown._repr_html_() or "")
    assert [tag for tag, _ in frames] == ["iframe"]
    attributes = frames[0][1]
    assert attributes["srcdoc"] == shown.html and shown.html.startswith("<!DOCTYPE html>")
    assert "height:600px" in attributes["style"] and "allow-scripts" in attributes["sandbox"]
    assert "allow-same-origin" not in attributes["sandbox"]
    assert [site[7] for site in _map_data(attributes["srcdoc"])["sites"]] == names[:3]


def test_extract_names_the_files_it_could_not_read(
    gazetteer: Gazetteer, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "izium.txt").write_text("A mass grave with 440 bodies was found in Izium.")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "notes.txt").write_bytes(b"\x00\x01\x02 binary")
    with caplog.at_level(logging.WARNING, logger="geo_sites"):
        incidents = geo_sites.extract(tmp_path, gazetteer=gazetteer)
    assert [(i.place, i.event_type) for i in incidents] == [("Izium", "mass_grave")]
    assert len(caplog.records) == 1
    message = caplog.records[0].getMessage()
    assert message.startswith("2 of 3 files not read: ")
    assert "notes.txt (skipped: " in message and "scan.pdf (skipped: " in message


def test_the_examples_of_every_verb(home_copy: Path, tmp_path: Path) -> None:
    """The Examples sections run, with the default gazetteer, and print what they show."""
    globs = {"geo_sites": geo_sites, "pd": pd, "Path": Path}
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    failures: list[str] = []
    with contextlib.chdir(tmp_path):
        for name in (*VERBS, "Map"):
            for test in doctest.DocTestFinder().find(getattr(geo_sites, name), name, globs=globs):
                runner.run(test, out=failures.append)
    assert failures == []
    assert runner.summarize(verbose=False).attempted > 30


def test_the_notebook_in_docs_api_runs(home_copy: Path, tmp_path: Path) -> None:
    """Every Python block of docs/api.md runs, in order; a text block after one is its output."""
    tokens = [t for t in MarkdownIt().parse((ROOT / "docs" / "api.md").read_text("utf-8"))
              if t.type == "fence"]  # fmt: skip
    namespace: dict[str, object] = {}
    ran = 0
    with contextlib.chdir(tmp_path):
        for number, token in enumerate(tokens):
            if token.info != "python":
                continue
            printed = io.StringIO()
            with contextlib.redirect_stdout(printed):
                exec(compile(token.content, f"docs/api.md block {number}", "exec"), namespace)
            ran += 1
            following = tokens[number + 1] if number + 1 < len(tokens) else None
            if following is not None and following.info == "text":
                assert printed.getvalue() == following.content, f"block {number}"
            else:
                assert printed.getvalue() == "", f"block {number} prints, and the doc hides it"
    assert ran >= 10
    assert (tmp_path / "places.gpkg").is_file() and (tmp_path / "out" / "reports.html").is_file()


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {k: v or "" for k, v in attrs}))


def _elements(text: str) -> list[tuple[str, dict[str, str]]]:
    """The elements of an HTML fragment, with their attributes unescaped."""
    parser = _Elements()
    parser.feed(text)
    parser.close()
    return parser.found


def _map_data(page: str) -> dict[str, list[list[object]]]:
    """The data block a page hands to ``geoSites.draw``."""
    start = page.index(">", page.rindex('<script type="application/json"')) + 1
    data, _ = json.JSONDecoder().raw_decode(page, start)
    assert isinstance(data, dict)
    return data
