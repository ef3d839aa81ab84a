from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from geo_sites.exceptions import InvalidInputError
from geo_sites.extract import extract, read_document, read_documents
from geo_sites.gazetteer import Gazetteer

REPORT = "date 2022-09-16\n\nThe bodies of 44 civilians were found in Izium, Kharkiv region.\n"
SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "incidents.json"


def test_the_seed_reports_match_our_records(shared: Path) -> None:
    """The digests we read are the ones our seed records cite."""
    read = list(read_documents(shared / "seeds"))
    assert [e.status for e, _ in read] == ["processed"] * 4
    cited = {s["document"]: s["sha256"] for i in json.loads(SEEDS.read_text("utf-8"))["incidents"]
             for s in i["sources"] if s.get("document")}  # fmt: skip
    assert {Path(d.path).name: d.sha256 for _, d in read if d} == cited
    assert all(d and d.encoding == "utf-8" and "Izium" in d.text for _, d in read[:1])


def test_every_file_gets_a_status(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text(REPORT, "utf-8")
    (folder / "b.txt").write_bytes(REPORT.replace("Izium", "Ізюм").encode("cp1251"))
    (folder / "c.md").write_bytes(REPORT.encode("utf-16"))
    (folder / "d.txt").write_bytes(b"")
    (folder / "e.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "f.pdf").write_bytes(b"%PDF-1.7")
    (folder / "g.txt").write_bytes(b"%PDF-1.7 renamed")
    (folder / "sub" / "h.html").write_text("<html><body><script>x()</script></body></html>")
    (folder / ".hidden.txt").write_text("not read")
    found = [(Path(e.path).name, e.status, e.encoding, e.reason)
             for e, _ in read_documents(folder, tmp_path / "missing.txt")]  # fmt: skip
    assert found == [
        (".hidden.txt", "skipped", None, "a hidden file or folder"),
        ("a.txt", "processed", "utf-8", None),
        ("b.txt", "processed", "cp1251", None),
        ("c.md", "processed", "utf-16", None),
        ("d.txt", "empty", None, "the file is empty"),
        ("e.txt", "skipped", None,
         "binary data, not text (if it is text, give its encoding)"),
        ("f.pdf", "skipped", None, "not a report file (.txt, .md, .markdown, .html, .htm)"),
        ("g.txt", "skipped", None, "this is a PDF document, not text"),
        ("h.html", "empty", "utf-8", "no visible text"),
        ("missing.txt", "skipped", None, "no such file or folder"),
    ]  # fmt: skip


def test_html_becomes_its_visible_text(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Bodies found in Izium</title>"
        '<meta property="article:published_time" content="2022-09-16T09:30:00Z">'
        "<script>var place = 'Bucha';</script><style>p { color: red }</style></head><body>"
        "<nav>Home Kyiv Lviv</nav><h1>Bodies found in <a href='/izium'>Izium</a></h1>"
        "<p>The bodies of <b>44</b> civilians\n   were found.</p><p>Second paragraph.</p>"
        "<script>document.write('Mariupol')</script></body></html>",
        "utf-8",
    )
    document = read_document(page)
    assert document.text == (  # the headline blanked: it is not read
        " " * 21 + "\nThe bodies of 44 civilians were found.\nSecond paragraph."
    )
    assert document.title == "Bodies found in Izium"
    assert document.report_date == dt.date(2022, 9, 16)
    page.write_text("<div><h1>Shelling in <b>Ly</b>man</h1>, Kharkiv region<h2>Kupiansk</h2>"
                    "<p>Body.</p></div>", "utf-8")  # fmt: skip
    document = read_document(page)  # without a <title>, the headline is the title
    assert document.title == "Shelling in Lyman"
    assert document.text == " " * 17 + ", Kharkiv region\nKupiansk\nBody."


def test_the_report_date(tmp_path: Path) -> None:
    dated, undated = tmp_path / "dated.txt", tmp_path / "undated.txt"
    dated.write_text(REPORT, "utf-8")
    undated.write_text("No date here. Izium.", "utf-8")
    given = dt.date(2023, 1, 1)
    assert read_document(dated, report_date=given).report_date == dt.date(2022, 9, 16)
    assert read_document(undated, report_date=given).report_date == given
    assert read_document(undated).report_date is None
    late = tmp_path / "late.txt"
    late.write_text("x\n" * 30 + "date 2020-01-01\n", "utf-8")  # not near the top
    assert read_document(late).report_date is None


BODY = (
    "On 2 October 2023 a missile hit a school in Kharkiv, and the regional governor said on "
    "Monday that rescuers were still searching the rubble for the missing.\n"
)


@pytest.mark.parametrize(
    ("name", "written", "given", "expected"),
    [
        ("header.txt", "Strike on a school\nPublished: 6 October 2023\n\n" + BODY, None,
         "2023-10-06"),
        ("header.txt", "Strike on a school\nPublished: 6 October 2023\n\n" + BODY, "2023-01-01",
         "2023-10-06"),  # the report's own date before the one given
        ("header.txt", "date 2023-10-09\nStrike on a school\nPublished: 6 October 2023\n" + BODY,
         None, "2023-10-09"),  # the date line first
        ("updated.txt", "Updated: 8 Oct 2023\nPublished: 6 Oct 2023\n" + BODY, None, "2023-10-06"),
        ("body.txt", "Strike on a school\n" + BODY, None, None),  # the event's date
        ("body.txt", "Strike on a school\n" + BODY, "2023-01-01", "2023-01-01"),
        ("body.txt", "Strike on a school\n" + BODY + "6 October 2023\n", None, None),  # after it
        ("short.txt", "On 2 October 2023 a missile hit Kharkiv.\n", None, None),
        ("page.html", '<meta name="date" content="2023-10-08"><p>Published: 6 October 2023</p>'
         f"<p>{BODY}</p>", None, "2023-10-08"),  # the page's metadata first
        ("page.html", f"<h1>Strike</h1><p>6 October 2023, 14:05</p><p>{BODY}</p>", None,
         "2023-10-06"),
        ("page.md", f"# Strike\n\n*Published* **6 October 2023**\n\n{BODY}", None, "2023-10-06"),
    ],
)  # fmt: skip
def test_the_report_date_in_the_header(
    tmp_path: Path, name: str, written: str, given: str | None, expected: str | None
) -> None:
    """A date alone on a line of the header, or after a label, is the report's; one in the
    body is an event's."""
    (tmp_path / name).write_text(written, "utf-8")
    day = read_document(tmp_path / name, report_date=given and dt.date.fromisoformat(given))
    assert day.report_date == (expected and dt.date.fromisoformat(expected))


def test_the_dev_reports_keep_their_dates(shared: Path, tmp_path: Path) -> None:
    """Every dev report that starts with a date line has that date; without the line, its
    header gives the same date or none."""
    agreed = 0
    for path in sorted((shared / "eval" / "dev_reports").glob("*.txt")):
        written = path.read_text("utf-8")
        line = re.match(r"date (\d{4}-\d\d-\d\d)\n", written)
        if line is None:
            continue
        day = dt.date.fromisoformat(line.group(1))
        assert read_document(path).report_date == day, path.name
        (tmp_path / path.name).write_text(written[line.end() :], "utf-8")
        header = read_document(tmp_path / path.name).report_date
        assert header in (day, None), path.name
        agreed += header == day
    assert agreed  # some headers give their date


def test_large_files(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    line = "Shelling was reported near Izium; 3 people were killed on Thursday.\n"
    big.write_text(line * (50 * 1024 * 1024 // len(line)), "utf-8")
    ((entry, document),) = read_documents(big)
    assert entry.status == "processed" and entry.size > 50_000_000
    assert document is not None and len(document.text) == entry.size
    ((entry, document),) = read_documents(big, max_bytes=10_000_000)
    assert (entry.status, document) == ("skipped", None)
    assert entry.reason == "larger than the limit of 10,000,000 bytes"


def test_a_folder_of_10000_files(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for number in range(10_000):
        (folder / f"{number:05d}.txt").write_text(f"Report {number} from Izium.", "utf-8")
    read = list(read_documents(folder))
    assert len(read) == 10_000 and all(e.status == "processed" for e, _ in read)
    assert [Path(e.path).stem for e, _ in read[:3]] == ["00000", "00001", "00002"]


def test_one_bad_document_is_an_error_when_read_alone(tmp_path: Path) -> None:
    (tmp_path / "r.txt").write_text("")
    with pytest.raises(InvalidInputError, match=r"r\.txt: the file is empty"):
        read_document(tmp_path / "r.txt")


def test_deeply_nested_html(tmp_path: Path) -> None:
    """50,000 nested blocks read as quickly as flat ones, with their text."""
    page = tmp_path / "deep.html"
    depth = 50_000
    page.write_text("<html><body>" + "<div>" * depth + "<p>Shelling hit Izium.</p>"
                    + "<section>Bodies were found in Lyman.</section>" + "</div>" * depth
                    + "<p>Three people were killed in Kherson.</p></body></html>")  # fmt: skip
    assert read_document(page).text == (
        "Shelling hit Izium.\nBodies were found in Lyman.\nThree people were killed in Kherson."
    )


def test_every_path_met_has_an_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Hidden files and folders, links to folders, loops, folders that cannot be listed."""
    folder, elsewhere = tmp_path / "reports", tmp_path / "elsewhere"
    for sub in ("sub", ".git", "locked"):
        (folder / sub).mkdir(parents=True)
    elsewhere.mkdir()
    for path in ("a.txt", ".hidden.txt", ".git/x.txt", "sub/b.txt"):
        (folder / path).write_text(REPORT, "utf-8")
    (elsewhere / "c.txt").write_text(REPORT, "utf-8")
    (folder / "linked").symlink_to(elsewhere)  # followed
    (folder / "sub" / "loop").symlink_to(folder)  # a loop: read once
    (folder / "sub" / "again").symlink_to(elsewhere)  # read already
    (folder / "broken.txt").symlink_to(tmp_path / "gone.txt")
    listing = os.scandir

    def scandir(path: Path) -> Iterator[os.DirEntry[str]]:
        if Path(path).name == "locked":  # the tests run as root, whom permissions do not stop
            raise PermissionError(13, "Permission denied", str(path))
        return listing(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = [(Path(e.path).relative_to(folder).as_posix(), e.status, e.reason)
             for e, _ in read_documents(folder)]  # fmt: skip
    assert found == [
        (".git", "skipped", "a hidden file or folder"),
        (".hidden.txt", "skipped", "a hidden file or folder"),
        ("a.txt", "processed", None),
        ("broken.txt", "skipped", "no such file or folder"),
        ("linked/c.txt", "processed", None),
        ("locked", "skipped", "cannot read this folder (Permission denied)"),
        ("sub/b.txt", "processed", None),
        ("sub/again", "skipped", "a folder already read (a link to it)"),
        ("sub/loop", "skipped", "a folder already read (a link to it)"),
    ]


def test_a_url_is_read_as_its_folder_is(tmp_path: Path) -> None:
    """Through fsspec (here ``file://``, as ``s3://`` would be): the same files, in the same
    order, with the same statuses, digests and text; the manifest keeps the URL."""
    pytest.importorskip("fsspec", reason="needs the dask extra (geo-sites[dask])")
    folder = tmp_path / "reports"
    for sub in ("sub", ".git"):
        (folder / sub).mkdir(parents=True)
    for path in ("a.txt", ".hidden.txt", ".git/x.txt", "sub/b.md"):
        (folder / path).write_text(REPORT, "utf-8")
    (folder / "c.txt").write_bytes(REPORT.replace("Izium", "Ізюм").encode("cp1251"))
    (folder / "d.pdf").write_bytes(b"%PDF-1.7")
    (folder / "e.txt").write_bytes(b"")

    def read(given: str | Path, root: str) -> list[tuple[object, ...]]:
        return [(e.path.removeprefix(root), e.status, e.reason, e.sha256, d and d.text)
                for e, d in read_documents(given)]  # fmt: skip

    url = folder.as_uri()
    local = read(folder, f"{folder}/")
    assert read(url, f"{url}/") == local
    assert [name for name, *_ in local] == [".git", ".hidden.txt", "a.txt", "c.txt", "d.pdf",
                                            "e.txt", "sub/b.md"]  # fmt: skip
    ((entry, _),) = read_documents(f"{url}/missing.txt")
    assert (entry.path, entry.status, entry.reason) == (
        f"{url}/missing.txt",
        "skipped",
        "no such file or folder",
    )


def test_a_file_name_that_is_not_utf8(tmp_path: Path) -> None:
    name = os.fsdecode(b"r\xe9port-\xff.txt")  # Latin-1 bytes, as an old archive leaves them
    (tmp_path / name).write_text(REPORT, "utf-8")
    ((entry, document),) = read_documents(tmp_path)
    assert entry.status == "processed" and document is not None
    assert entry.path == document.path == str(tmp_path / "r\\xe9port-\\xff.txt")
    entry.path.encode("utf-8")  # printable anywhere


def test_only_the_text_a_reader_sees(tmp_path: Path) -> None:
    """Hidden elements, form fields, templates and comments are no text; aria-hidden text is
    on the screen (it is hidden from screen readers only), so it is read."""
    page = tmp_path / "page.html"
    page.write_text(
        "<html><body><p>Shelling hit Izium.</p>"
        "<p hidden>Bodies were found in Bucha.</p>"
        '<div style="color: red; DISPLAY : none">Shelling hit Lyman.<p>Sumy too.</p></div>'
        '<p style="visibility:hidden">Missiles hit Kherson.</p>'
        "<textarea>Three people were killed in Mariupol.</textarea>"
        '<input value="Odesa was shelled."><!-- Kyiv was shelled. -->'
        "<template><p>Lviv was shelled.</p></template><noscript>Dnipro was shelled.</noscript>"
        '<p style="display: block">Two were killed in Kramatorsk.</p>'
        '<p><span aria-hidden="true">Irpin</span> was shelled.</p></body></html>',
        "utf-8",
    )
    assert read_document(page).text == (
        "Shelling hit Izium.\nTwo were killed in Kramatorsk.\nIrpin was shelled."
    )


MARKDOWN = """\
Night of Strikes on **Odesa**
=============================

*Posted on 24 July 2023* · [Wire desk](https://example.org/desk/Kherson "Kherson desk")

> Drones struck grain warehouses in _Izmail_ overnight, officials said.

## What the governor said ##

1. A missile damaged the cathedral in [Odesa](<https://example.org/odesa>), killing one man.
2. Shelling hit a bus stop in `Mykolaiv`, and [the port][port] was closed.
- Air defence shot down most drones.

![Kherson after the strike](/images/Kherson.jpg)

| town | killed |
|:-----|-------:|
| Odesa | 1 |

Sources: <span class="note">the regional office</span>, <https://example.org/Lviv>.
<!-- Zaporizhzhia: a note for the editor -->

***

[port]: https://example.org/Dnipro
"""


def _words_a_reader_sees(markdown: str) -> list[str]:
    """The words of *markdown* as CommonMark renders them, without its title and images."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    title = next(i + 1 for i, t in enumerate(tokens) if t.type == "heading_open" and t.tag == "h1")
    words = []
    for index, token in enumerate(tokens):
        if token.type != "inline" or index == title:
            continue
        shown, autolink = [], False
        for child in token.children or []:
            if child.type in ("link_open", "link_close"):  # <https://...> shows its target
                autolink = child.type == "link_open" and child.markup == "autolink"
            elif child.type in ("text", "code_inline") and not autolink:
                shown.append(child.content)
            elif child.type == "softbreak":
                shown.append(" ")
        words += re.findall(r"[^\W_]+", "".join(shown))
    return words


def test_markdown_is_read_as_a_reader_sees_it(tmp_path: Path) -> None:
    """The words left are those CommonMark shows; the marks are blanked, so offsets are those
    of the text as written; the headline is the title and is not read."""
    (tmp_path / "r.md").write_text(MARKDOWN, "utf-8")
    document = read_document(tmp_path / "r.md")
    assert document.title == "Night of Strikes on Odesa"
    assert re.findall(r"[^\W_]+", document.text) == _words_a_reader_sees(MARKDOWN)
    assert len(document.text) == len(MARKDOWN)
    assert all(c in (w, " ") for c, w in zip(document.text, MARKDOWN, strict=True))
    assert [i for i, c in enumerate(document.text) if c == "\n"] == [
        i for i, c in enumerate(MARKDOWN) if c == "\n"
    ]
    assert not set("#*_`[]()<>|=") & set(document.text)
    assert "http" not in document.text and "Kherson" not in document.text
    assert document.report_date == dt.date(2023, 7, 24)


def test_markdown_front_matter_footnotes_and_escapes(tmp_path: Path) -> None:
    written = ("---\ntitle: \"Strikes on the coast\"\ndate: 2023-07-24\ntags: [Kherson]\n---\n\n"
               "# Drones over Odesa\n\nDrones struck Izmail.[^1] A \\*2\\* mark.\n\n"
               "[^1]: Officials said so.\n")  # fmt: skip
    (tmp_path / "r.md").write_text(written, "utf-8")
    document = read_document(tmp_path / "r.md")
    assert (document.title, document.report_date) == ("Strikes on the coast", dt.date(2023, 7, 24))
    assert document.text.split() == [
        "Drones", "struck", "Izmail.", "A", "*2", "*", "mark.", "Officials", "said", "so."
    ]  # fmt: skip


def test_a_headline_is_no_site_of_its_own(gazetteer: Gazetteer, tmp_path: Path) -> None:
    """A Markdown or HTML headline is the title of the incidents' sources, not their place;
    markup and link targets reach no place and no quote."""
    body = ("Shelling hit a school in **Kharkiv** on Friday, killing "
            "[three people](https://example.org/Odesa).")  # fmt: skip
    (tmp_path / "a.md").write_text(f"# Missile strike on Lviv\n\n{body}\n", "utf-8")
    (tmp_path / "b.md").write_text(f"Missile strike on Lviv\n===\n\n{body}\n", "utf-8")
    (tmp_path / "c.html").write_text(
        "<h1>Missile strike on Lviv</h1><p>Shelling hit a school in <b>Kharkiv</b> on Friday, "
        "killing <a href='https://example.org/Odesa'>three people</a>.</p>",
        "utf-8",
    )
    for _, document in read_documents(tmp_path):
        assert document is not None
        (located,) = extract(document, gazetteer)
        incident = located.incident
        (source,) = incident.sources
        assert (incident.place, incident.event_type) == ("Kharkiv", "shelling"), document.path
        assert source.title == "Missile strike on Lviv"
        assert source.quote is not None and source.start is not None
        assert " ".join(re.findall(r"[^\W_]+|[^\w\s]", source.quote)) == (
            "Shelling hit a school in Kharkiv on Friday , killing three people ."
        )
        if document.path.endswith(".md"):
            written = Path(document.path).read_text("utf-8")
            assert written[source.start : source.end].startswith("Shelling hit a school in **")


@pytest.mark.parametrize(
    ("written", "title"),
    [
        (
            "Drone strike on Odesa kills two\n\nTwo people were killed.\n",
            "Drone strike on Odesa kills two",
        ),
        (
            "News World\n\nShelling hits Kherson market, say officials\n\nText.\n",
            "Shelling hits Kherson market, say officials",
        ),  # a section label is too short
        ("BY OLENA PETRENKO AND JOHN SMITH\n\nA drone struck Odesa.\n", None),  # a byline
        ("date 2024-05-01\n\nA drone struck Odesa overnight, officials said.\n", None),
        ("A drone struck Odesa overnight, officials said.\n\nTwo were hurt.\n", None),  # a sentence
    ],
)
def test_the_title_of_a_plain_text_report(tmp_path: Path, written: str, title: str | None) -> None:
    """The first header line that ends no sentence, of four words or more, is the title;
    it is still read, as a headline may name the place the body calls "the city"."""
    (tmp_path / "r.txt").write_text(written, "utf-8")
    document = read_document(tmp_path / "r.txt")
    assert (document.title, document.text) == (title, written)
