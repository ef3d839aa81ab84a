"""Reading reports: files and folders of ``.txt``, ``.md`` and ``.html``, a status for each.

:func:`read_documents` walks the paths it is given (folders recursively, in
name order) and yields, for every file it meets, an :class:`Entry` for the
manifest and the :class:`Document` when there is one.  A bad file never stops
the others, and no file is passed over in silence:

* ``processed``: read; the document follows;
* ``empty``: no text (an empty file, or HTML with nothing but scripts);
* ``skipped``: with the reason: not a report type, binary, an unknown
  encoding, larger than the limit, unreadable; a hidden file or folder, a
  folder that cannot be listed, a link to a folder already read.

A path is written as text that can go anywhere: the bytes of a file name that
are not UTF-8 become ``\\xNN``.  A URL (``s3://bucket/reports/``,
``file:///data/reports``) is read through fsspec, which the ``dask`` extra
installs, with the same rules; its files are :class:`Remote`, and keep their
URL in the manifest.

Text is decoded by :func:`geo_sites.encodings.decode` (UTF-8, UTF-16, cp1251).
HTML becomes its visible text, a line per block, without scripts, styles or
navigation; its ``<title>`` and publication date come from its metadata.
Markdown becomes the text a reader of the rendered page sees, its markup
blanked so that offsets stay those of the file.  The headline (HTML's first
``<h1>``, Markdown's first top-level heading) is the title when there is no
other, and is not read: it repeats what the body tells.

The **report date** is the first of: a line that starts ``date YYYY-MM-DD``
near the top of the text; the HTML's publication date; a date in the header,
the first lines before the body, alone on its line or after a label or a
byline (:func:`~geo_sites.extract.dates.header_date`); the *report_date*
given, for the reports that give none.  The **sha256** is that of the file's
bytes, as the Berkeley Protocol asks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..encodings import decode
from ..exceptions import InvalidInputError, ParameterError
from ..formats import detect, extensions
from .dates import header_date

__all__ = [
    "MAX_BYTES",
    "Document",
    "Entry",
    "Remote",
    "document_files",
    "is_url",
    "read_document",
    "read_documents",
    "read_one",
]

#: Files larger than this are skipped (``max_bytes``).
MAX_BYTES = 100 * 1024 * 1024

_DATE_LINE = re.compile(r"^\s*(?:report\s+)?date\s*[:=]?\s*(\d{4}-\d{2}-\d{2})\b",
                        re.IGNORECASE | re.MULTILINE)  # fmt: skip
_DATE_LINES = 20  # a date line counts only near the top
_HEADER_LINES = 10  # a report's header: its first lines ...
_PARAGRAPH = 150  # ... before the first paragraph this long, the body's
_MARKDOWN = frozenset((".md", ".markdown"))
# A line ends a sentence with a full stop, a question or an exclamation mark, closed or not.
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)\]]*\Z")
_TITLE_WORDS = 4  # a plain-text title has this many words or more
_HTML_DATES = (
    'meta[property="article:published_time"]', 'meta[name="article:published_time"]',
    'meta[itemprop="datePublished"]', 'meta[name="date"]', 'meta[name="dc.date"]',
    'meta[name="DC.date.issued"]', 'meta[property="og:published_time"]', "time[datetime]",
)  # fmt: skip
# Markdown: the marks blanked (never deleted, so offsets stay those of the text as written)
_FRONT_MATTER = re.compile(r"\A---[ \t\r]*\n(?=[A-Za-z_][\w-]*[ \t]*:)(?:[^\n]*\n){0,200}?"
                           r"(?:---|\.\.\.)[ \t\r]*(?=\n|\Z)")  # fmt: skip
_FRONT_TITLE = re.compile(r"^title[ \t]*:[ \t]*[\"']?(.*?)[\"']?[ \t\r]*$", re.MULTILINE)
_LINK_TARGET = (
    r"(?:\((?:[^()\s]|\([^()\s]{0,500}\)){0,2000}"
    r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'))?\s*\)"
    r"|\[[^\[\]\n]*\])"
)  # (https://... "title") or [reference]
_MARKUP = [re.compile(pattern, re.MULTILINE) for pattern in (
    _FRONT_MATTER.pattern,
    r"<!--(?:[^<-]|-(?!->)|<(?!!--)){0,10000}-->",  # a comment
    r"^[ \t]*(?:`{3,}|~{3,})[^\n]*$",  # a code fence and its language
    r"^ {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S[^\n]*$",  # [name]: a link's target
    rf"!\[[^\[\]\n]*\]{_LINK_TARGET}",  # an image
    rf"\[(?P<keep>[^\[\]\n]*)\]{_LINK_TARGET}",  # a link: its text is kept
    r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\s]*|[^<>\s@]+@[^<>\s@]+)>",  # <https://...>
    r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]{0,2000})?/?>",  # a tag
    r"\[\^[^\[\]\n]+\]:?",  # a footnote's mark
    r"^[ \t]{0,3}#{1,6}(?=\s|$)",  # a heading's mark
    r"(?<=[ \t])#+[ \t\r]*$",  # and its closing one
    r"^[ \t]{0,3}(?:=++|-++|(?:[-*_][ \t]*+){3,}+)[ \t\r]*+$",  # an underline, a rule
    r"^(?=[^\n]*\|)(?=[^\n]*-)[|:\- \t]++\r?$",  # a table's |---|:--:|
    r"(?P<row>^[ \t]*\|[^\n]*)",  # a table's row: its pipes
    r"^[ \t]{0,3}(?:>[ \t]?)+",  # a quote's marks
    r"^[ \t]*(?:[-+*]|\d{1,9}[.)])(?=\s|$)",  # a list's mark
    r"(?=[\\*~`_])(?:\\(?P<keep>[!-/:-@\[-`{-~])|\*+|~~|`+|(?<![^\W_])_+|_+(?![^\W_]))",  # *_`\
)]  # fmt: skip
_TOP_HEADING = re.compile(r"[ \t]{0,3}#(?=\s|\Z)")
_TOP_UNDERLINE = re.compile(r"[ \t]{0,3}=+[ \t]*\r?")
_NOT_A_BREAK = re.compile(r"[^\n]")
_DROPPED = ["script", "style", "noscript", "template", "svg", "iframe", "object", "head",
            "nav", "form", "button", "select", "textarea"]  # fmt: skip
# Elements a reader does not see: the hidden attribute, or a style that hides them.
_HIDING = "[hidden], [style]"
_HIDDEN_STYLE = re.compile(r"\b(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse))",
                           re.IGNORECASE)  # fmt: skip
_DEEPEST = 512
_TAG = re.compile(r"<(?P<end>/?)(?P<name>[A-Za-z][^\s/>]*)[^>]*>")
# void elements, and those whose end tag may be left out
_NOT_NESTED = frozenset(("area", "base", "br", "col", "embed", "hr", "img", "input", "link",
    "meta", "param", "source", "track", "wbr", "p", "li", "dt", "dd", "option", "optgroup", "tr",
    "td", "th", "thead", "tbody", "tfoot", "colgroup", "caption", "rb", "rt", "rp", "html", "head",
    "body"))  # fmt: skip
_BREAK = "\ue000"  # a private-use character marks block ends while whitespace collapses
_HEADLINE = "\ue001"  # and the headline's two ends
_BLOCKS = ("p,div,li,dt,dd,h1,h2,h3,h4,h5,h6,br,tr,td,th,blockquote,section,article,header,"
           "footer,aside,main,figure,figcaption,ul,ol,dl,table,pre,hr,caption")  # fmt: skip
_BLOCK_NAMES = frozenset(_BLOCKS.split(","))


@dataclass(frozen=True, slots=True)
class Document:
    """A report's text, and what identifies it.

    ``text`` is the visible text (for HTML, a line per block); character
    offsets of extracted incidents refer to it.
    """

    path: str
    text: str
    sha256: str
    encoding: str
    report_date: dt.date | None = None
    title: str | None = None


@dataclass(frozen=True, slots=True)
class Entry:
    """One file's line in the manifest."""

    path: str
    status: str  # processed | empty | skipped
    reason: str | None = None
    size: int = 0
    sha256: str | None = None
    encoding: str | None = None
    incidents: int = 0

    def to_record(self) -> dict[str, object]:
        return {"path": self.path, "status": self.status, "reason": self.reason,
                "bytes": self.size, "sha256": self.sha256, "encoding": self.encoding,
                "incidents": self.incidents}  # fmt: skip


@dataclass(frozen=True, slots=True)
class Remote:
    """A file at a URL, read through fsspec: ``s3://bucket/reports/a.txt``."""

    url: str

    @property
    def suffix(self) -> str:
        return Path(urlsplit(self.url).path).suffix.lower()


_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]+://")


def is_url(path: str | os.PathLike[str]) -> bool:
    """Tell whether *path* is a URL (``s3://...``), not a path of this machine."""
    return isinstance(path, str) and _URL.match(path) is not None


class _Empty(Exception):
    """A document without text."""


def read_document(
    path: str | os.PathLike[str],
    *,
    report_date: dt.date | None = None,
    encoding: str | None = None,
) -> Document:
    """Read one report file.

    Raises
    ------
    InvalidInputError
        For a file that is not a report type, not text, empty, or unreadable.
    """
    path = Path(path)
    entry, document = read_one(path, report_date=report_date, encoding=encoding)
    if document is None:
        raise InvalidInputError(f"{path}: {entry.reason or entry.status}")
    return document


def read_documents(
    *paths: str | os.PathLike[str],
    report_date: dt.date | None = None,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> Iterator[tuple[Entry, Document | None]]:
    """Yield every file under *paths* with its manifest entry, and its document if read.

    A path that does not exist is an entry too (``skipped``, "no such file
    or folder"); nothing raises for one bad file.
    """
    for file in document_files(*paths):
        if isinstance(file, Entry):
            yield file, None
        else:
            yield read_one(file, report_date=report_date, encoding=encoding, max_bytes=max_bytes)


def document_files(*paths: str | os.PathLike[str]) -> Iterator[Path | Remote | Entry]:
    """Every file under *paths*, or the entry of a path that is not read.

    A folder's files come in name order, then its folders.  Links to folders
    are followed, each folder once (so a loop ends); hidden files and folders
    (their names start with a dot) and folders that cannot be listed are
    entries, ``skipped`` with the reason.  A URL's files are listed alike.

    Raises
    ------
    ParameterError
        For a URL when fsspec is not installed, or knows not its protocol.
    """
    seen: set[tuple[int, int]] = set()
    for given in paths:
        if is_url(given):
            yield from _listed(str(given))
            continue
        path = Path(given)
        if path.is_dir():
            yield from _walk(path, seen)
        else:
            yield path


def _walk(top: Path, seen: set[tuple[int, int]]) -> Iterator[Path | Entry]:
    folders = [top]  # those still to read, the next last
    while folders:
        folder = folders.pop()
        try:
            status = folder.stat()
            if (status.st_dev, status.st_ino) in seen:
                yield Entry(_printable(folder), "skipped", "a folder already read (a link to it)")
                continue
            seen.add((status.st_dev, status.st_ino))
            with os.scandir(folder) as listing:
                children = sorted(listing, key=lambda child: child.name)
        except OSError as err:
            yield Entry(_printable(folder), "skipped", f"cannot read this folder ({err.strerror})")
            continue
        inside = []
        for child in children:
            path = Path(child.path)
            if child.name.startswith("."):
                yield Entry(_printable(path), "skipped", "a hidden file or folder")
            elif _is_folder(child):
                inside.append(path)
            else:
                yield path
        folders += reversed(inside)


def _listed(url: str) -> Iterator[Remote | Entry]:
    """The files under *url*, in the order of :func:`_walk`."""
    fs, root = _filesystem(url)
    try:
        if not fs.isdir(root):
            yield Remote(url)
            return
        for folder, folders, files in fs.walk(root, topdown=True):
            hidden = {name for name in [*folders, *files] if name.startswith(".")}
            for name in sorted({*files, *hidden}):
                where = fs.unstrip_protocol(f"{folder.rstrip('/')}/{name}")
                if name in hidden:
                    yield Entry(where, "skipped", "a hidden file or folder")
                else:
                    yield Remote(where)
            folders[:] = sorted(set(folders) - hidden)  # walked next, in name order
    except OSError as err:
        yield Entry(url, "skipped", f"cannot read this folder ({err})")


def _filesystem(url: str) -> tuple[Any, str]:
    """The fsspec file system of *url*, and the path in it."""
    try:
        import fsspec
    except ImportError:
        raise ParameterError(f"{url}: reading URLs needs fsspec: pip install 'geo-sites[dask]'",
                             parameter="paths") from None  # fmt: skip
    try:
        return fsspec.core.url_to_fs(url)  # type: ignore[no-any-return]
    except (ImportError, ValueError) as err:  # a protocol without its package
        raise ParameterError(f"{url}: {err}", parameter="paths") from None


def _is_folder(child: os.DirEntry[str]) -> bool:
    try:
        return child.is_dir()  # a link to a folder too
    except OSError:
        return False  # read_one says why


def _printable(path: Path) -> str:
    """*path* as text that can be written anywhere: bytes of a name that are not UTF-8
    become ``\\xNN``."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def read_one(
    path: Path | Remote,
    *,
    report_date: dt.date | None = None,
    encoding: str | None = None,
    max_bytes: int = MAX_BYTES,
) -> tuple[Entry, Document | None]:
    """One file's manifest entry, and its document when it could be read."""
    where = path.url if isinstance(path, Remote) else _printable(path)
    try:
        kind = detect(f"file{path.suffix}", ("document",)).name
    except InvalidInputError:
        reports = ", ".join(extensions("document"))
        return Entry(where, "skipped", f"not a report file ({reports})"), None
    read = _bytes(path, where, max_bytes)
    if isinstance(read, Entry):
        return read, None
    size, data = read
    digest = hashlib.sha256(data).hexdigest()
    if not data.strip():
        return Entry(where, "empty", "the file is empty", size, digest), None
    try:
        text, used = decode(data, where, encoding)
    except InvalidInputError as err:
        return Entry(where, "skipped", str(err).removeprefix(f"{where}: "), size, digest), None
    title = published = None
    if kind == "webpage":
        text, title, published = _html(text)
    found = _DATE_LINE.search("\n".join(text.splitlines()[:_DATE_LINES]))
    markdown = path.suffix.lower() in _MARKDOWN
    if markdown:
        text, title = _markdown(text)
    if not text.strip():
        return Entry(where, "empty", "no visible text", size, digest, used), None
    day = (
        (_day(found.group(1)) if found else None)
        or published
        or header_date(text[start:end] for start, end in _header(text))
    )
    if kind != "webpage" and not markdown:
        title = _headline(text)
    document = Document(where, text, digest, used, day or report_date, title)
    return Entry(where, "processed", None, size, digest, used), document


def _bytes(path: Path | Remote, where: str, max_bytes: int) -> tuple[int, bytes] | Entry:
    """The size and bytes of the file at *path*, or its entry (at *where*) when they are not
    read."""
    read: Callable[[], bytes]
    try:
        if isinstance(path, Remote):
            fs, inside = _filesystem(path.url)
            info = fs.info(inside)
            size, is_file = int(info.get("size") or 0), info.get("type") == "file"
            read = partial(fs.cat_file, inside)
        else:
            size, is_file, read = path.stat().st_size, path.is_file(), path.read_bytes
        if not is_file:
            return Entry(where, "skipped", "not a file", size)
        if size > max_bytes:
            return Entry(where, "skipped", f"larger than the limit of {max_bytes:,} bytes", size)
        return size, read()
    except FileNotFoundError:
        return Entry(where, "skipped", "no such file or folder")
    except OSError as err:
        return Entry(where, "skipped", f"cannot read it ({err.strerror or err})")


def _header(text: str) -> Iterator[tuple[int, int]]:
    """Where the lines of the header of *text* start and end: its first non-empty lines,
    before the body.

    The header ends at the first paragraph of :data:`_PARAGRAPH` characters or
    more, or after :data:`_HEADER_LINES` lines.  Only those lines are looked at.
    """
    start, count = 0, 0
    while count < _HEADER_LINES and start < len(text):
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        length = len(text[start:end].strip())
        if length >= _PARAGRAPH:
            return
        if length:
            count += 1
            yield start, end
        start = end + 1


def _markdown(written: str) -> tuple[str, str | None]:
    """The text of a Markdown report as a reader sees it, and its title.

    Markup is blanked, never deleted, so that offsets into the text returned
    are offsets into the text as written: heading marks and underlines,
    emphasis, code marks, quote and list marks, rules, table pipes, tags,
    comments, link targets, images (their alternative text too), reference
    definitions and front matter.  The title is the front matter's
    ``title``, else the first top-level heading (``# Title``, or a line
    underlined with ``===``) among the lines of the header; that heading is
    blanked too, since a headline repeats what the body tells.
    """
    title = None
    if front := _FRONT_MATTER.match(written):
        named = _FRONT_TITLE.search(front.group())
        title = " ".join(named.group(1).split()) or None if named else None
    text = written
    for pattern in _MARKUP:
        text = pattern.sub(_blank, text)
    for start, end in _header(text):
        after = written.find("\n", end + 1)
        underline = written[end + 1 : after if after >= 0 else len(written)]
        if _TOP_HEADING.match(written, start) or _TOP_UNDERLINE.fullmatch(underline):
            title = title or " ".join(text[start:end].split())
            text = text[:start] + " " * (end - start) + text[end:]
            break
    return text, title


def _headline(text: str) -> str | None:
    """The title of a plain-text report: the first line of its header that ends no
    sentence, of :data:`_TITLE_WORDS` words or more and not all in capitals (a byline).

    Such a line is a headline ("Strike hits Sumy, children among the injured"),
    a section label or a caption.  It is still read: a headline may name the
    place the body then calls "the city".
    """
    for start, end in _header(text):
        line = text[start:end].strip()
        if not (_SENTENCE_END.search(line) or _DATE_LINE.match(line) or line.isupper()) and (
            len(line.split()) >= _TITLE_WORDS
        ):
            return line
    return None


def _blank(match: re.Match[str]) -> str:
    """*match* as spaces (its line breaks kept), but for its group ``keep``; a table's
    ``row`` without its pipes."""
    whole, first = match.group(), match.start()
    if "row" in match.re.groupindex:
        return whole.replace("|", " ")
    start, end = match.span("keep") if "keep" in match.re.groupindex else (-1, -1)
    if start < 0:
        return _NOT_A_BREAK.sub(" ", whole)
    start, end = start - first, end - first
    return (_NOT_A_BREAK.sub(" ", whole[:start]) + whole[start:end]
            + _NOT_A_BREAK.sub(" ", whole[end:]))  # fmt: skip


def _html(markup: str) -> tuple[str, str | None, dt.date | None]:
    """The visible text of a page, a line per block; its title and publication date.

    The title is the ``<title>``, else the first ``<h1>``; that headline is blanked (not
    read), as a Markdown report's is.
    """
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(_shallow(markup))
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) or None if title_node else None
    published = None
    for selector in _HTML_DATES:
        node = tree.css_first(selector)
        value = node and (node.attributes.get("content") or node.attributes.get("datetime"))
        if value and (published := _day(value[:10])):
            break
    tree.strip_tags(_DROPPED)
    hidden = [node for node in tree.css(_HIDING) if "hidden" in node.attributes
              or _HIDDEN_STYLE.search(node.attributes.get("style") or "")]  # fmt: skip
    for node in hidden:
        node.decompose()
    headline = tree.css_first("h1")
    if headline is not None:
        title = title or " ".join(headline.text(separator="").split()) or None
    for node in tree.css(_BLOCKS):
        node.insert_before(_BREAK)  # a newline in HTML source is only a space
    if headline is not None:
        headline.insert_before(_HEADLINE)
        headline.insert_after(_HEADLINE)
    root = tree.body or tree.root
    text = root.text(separator="", strip=False) if root else ""
    lines = (" ".join(line.split()) for line in text.split(_BREAK))
    text = "\n".join(line for line in lines if line)
    start = text.find(_HEADLINE)
    if start >= 0:  # it repeats the body: blanked, so that the lines after keep their offsets
        end = text.find(_HEADLINE, start + 1)
        text = text[:start] + _NOT_A_BREAK.sub(" ", text[start + 1 : end]) + text[end + 1 :]
    return text, title, published


def _shallow(markup: str) -> str:
    """*markup* with the tags nested deeper than :data:`_DEEPEST` left out, their text kept
    (a block's tag becomes a line break).

    An HTML parser looks through the open elements at each block tag, so a
    page of 200,000 nested ``<div>`` takes minutes; browsers, too, stop
    nesting at a depth (Blink at 512).  Tags whose end is optional (``<p>``,
    ``<li>``) and void ones (``<br>``) are not counted.
    """
    depth = 0

    def kept(tag: re.Match[str]) -> str:
        nonlocal depth
        name = tag["name"].lower()
        if name in _NOT_NESTED:
            return tag.group()
        depth += -1 if tag["end"] else 1
        if depth + bool(tag["end"]) <= _DEEPEST:
            return tag.group()
        return "<br>" if name in _BLOCK_NAMES else ""

    return _TAG.sub(kept, markup) if markup.count("<") > _DEEPEST else markup


def _day(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None
