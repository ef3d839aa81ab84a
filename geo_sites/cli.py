"""The ``geo-sites`` command line: a thin click layer over the library.

Every command calls one library function and formats its answer.  Errors of
the library (:class:`~geo_sites.exceptions.GeoSitesError`) become one line on
stderr and exit status 1, in :class:`_Group`; usage errors exit 2.  A
:class:`~geo_sites.exceptions.ParameterError` names the library's parameter;
when the command has the option that gives it (:data:`_OPTION_NAMES` where
the names differ), it is a usage error naming that option, in :class:`_Command`.
"""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING, Any

import click

from . import __version__
from .exceptions import GeoSitesError, ParameterError
from .formats import STDIO, extensions, names
from .names import shorten

if TYPE_CHECKING:
    from .formats import Kind
    from .gazetteer import Gazetteer

log = logging.getLogger("geo_sites")

_FORMATS = click.Choice(["table", "json", "csv"])


class _Command(click.Command):
    """A command that shows a bad argument value as a usage error naming its option."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ParameterError as err:
            option = _option_for(self, err.parameter)
            if option is None:
                raise
            raise click.BadParameter(err.message, ctx=ctx, param=option) from err


class _Group(click.Group):
    """A group that turns library errors into one line and exit 1."""

    command_class = _Command
    group_class = type  # subgroups are _Groups too

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        for arg in args:  # undecodable bytes of the command line arrive as lone surrogates
            if not arg.isascii():
                try:
                    arg.encode("utf-8")
                except UnicodeEncodeError:
                    shown = arg.encode("utf-8", "surrogateescape")
                    raise click.UsageError(
                        f"an argument is not UTF-8 text: {shown!r}", ctx
                    ) from None
        return super().parse_args(ctx, args)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except GeoSitesError as err:
            raise click.ClickException(_with_flag(self, ctx, err)) from err
        except KeyboardInterrupt:
            raise click.Abort() from None


#: Library parameters that a command's options name otherwise, by command.
_OPTION_NAMES: dict[str, dict[str, str]] = {
    "join": {"path": "output"},  # export.output_format(path, fmt)
    "sites": {"path": "output"},  # and its other name, export
    "map": {"path": "output"},  # maps.map_format(path)
    "extract": {"path": "output"},  # extract.check_outputs(path, manifest)
}


def _option_for(command: click.Command, parameter: str | None) -> click.Parameter | None:
    """The option or argument of *command* that gives the library's *parameter*."""
    name = _OPTION_NAMES.get(command.name or "", {}).get(parameter or "", parameter)
    return next((p for p in command.params if p.name == name and p.opts), None)


def _with_flag(group: click.Group, ctx: click.Context, err: GeoSitesError) -> str:
    """The error's message, naming the command's flag for the parameter it names."""
    command = group.get_command(ctx, ctx.invoked_subcommand or "")
    option = _option_for(command, getattr(err, "parameter", None)) if command else None
    if option is not None:
        return f"{max(option.opts, key=len)}: {getattr(err, 'message', err)}"
    return str(err)


country_option = click.option(
    "--country", metavar="CC", help="Only places in this country (ISO 3166-1 alpha-2, e.g. UA)."
)
format_option = click.option(
    "--format", "-f", "fmt", type=_FORMATS, default="table", show_default=True,
    help="Output format.",
)  # fmt: skip
output_option = click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False, allow_dash=True),
    help=f"The file to write: {', '.join(extensions('layer', writable=True))}; "
    "- for stdout (GeoJSON, GeoJSON lines, CSV; give --format).",
)  # fmt: skip
output_format_option = click.option(
    "--format", "-f", "fmt", type=click.Choice(names("layer", writable=True)),
    help="Output format, when the extension does not say (or the output is -).",
)  # fmt: skip
sequence_option = click.option(
    "--sequence", is_flag=True, help="GeoJSON text sequence: one feature a line."
)
qml_option = click.option(
    "--qml", is_flag=True, help="Also write a QGIS style (.qml) next to a GeoJSON file."
)
areas_option = click.option(
    "--areas", is_flag=True,
    help="Also write the areas of the sites known to a region or near a place, as polygons, "
         "beside the output (sites-areas.gpkg for sites.gpkg).",
)  # fmt: skip


def _paths_or_urls(ctx: click.Context, param: click.Parameter, values: Any) -> Any:
    """Paths that exist, and URLs that fsspec reads (``s3://bucket/reports/``) as they are."""
    from .extract.documents import is_url

    exists = click.Path(exists=True)
    return tuple(v if is_url(v) else exists.convert(v, param, ctx) for v in values)


def cluster_options(function: Any) -> Any:
    """--workers and --scheduler: the processes, here or on a dask cluster, that share the work."""
    function = click.option(
        "--scheduler", metavar="ADDRESS",
        help="A dask.distributed scheduler (tcp://host:8786), or local: a cluster of --workers "
        "processes (needs geo-sites[dask]).",
    )(function)  # fmt: skip
    return click.option(
        "--workers", type=click.IntRange(1, 64), default=1, show_default=True,
        help="Processes to share the work between (here, or in a local --scheduler).",
    )(function)  # fmt: skip


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="geo-sites")
@click.option("-v", "--verbose", count=True, help="More log messages on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr.")
def cli(verbose: int, quiet: bool) -> None:
    """Turn reports of incidents into maps and GIS layers people can trust.

    Place names are resolved with an offline gazetteer built from GeoNames
    (geonames.org, CC BY 4.0).
    """
    level = logging.ERROR if quiet else (logging.DEBUG if verbose > 1 else
                                         logging.INFO if verbose else logging.WARNING)  # fmt: skip
    log.handlers = [_StderrHandler()]
    log.setLevel(level)
    log.propagate = False
    # geopy logs each retry with a traceback; the library reports the failure in one line.
    geopy = logging.getLogger("geopy")
    geopy.handlers = [_StderrHandler()]
    geopy.setLevel(logging.DEBUG if verbose > 1 else logging.ERROR)
    geopy.propagate = False


class _StderrHandler(logging.Handler):
    """Write log records to the current stderr, as ``geo-sites: message``."""

    def emit(self, record: logging.LogRecord) -> None:
        click.echo(f"geo-sites: {record.getMessage()}", err=True)


def _names_from_stdin() -> list[str]:
    """The lines of stdin, decoded as any text file is."""
    from .encodings import decode

    data = sys.stdin.buffer.read()
    text = decode(data, "stdin")[0] if data.strip() else data.decode("ascii", "replace")
    return text.splitlines()


@cli.command()
@click.argument("names", nargs=-1)
@country_option
@click.option("--within", metavar="REGION", help='The region the places lie in: "Sumy Oblast".')
@click.option("--limit", type=click.IntRange(1, 50), default=5, show_default=True,
              help="Candidates per name.")  # fmt: skip
@format_option
@click.option("--no-context", is_flag=True,
              help="Resolve each name on its own, not with the others as context.")  # fmt: skip
@click.option("--online", is_flag=True,
              help="Ask Nominatim for names the offline gazetteer cannot resolve.")  # fmt: skip
@click.option("--user-agent", envvar="GEO_SITES_USER_AGENT", metavar="UA",
              help="Who is asking, for --online: 'my-org-maps (gis@example.org)'.")  # fmt: skip
def resolve(
    names: Sequence[str], country: str | None, within: str | None, limit: int, fmt: str,
    no_context: bool, online: bool, user_agent: str | None,
) -> None:  # fmt: skip
    """Resolve place names to places.

    NAMES are read from stdin, one per line, when none are given.  Every name
    gives one answer, in order: resolved, ambiguous (with its candidates) or
    unresolved (with the reason).  The names are context for each other, as
    the places of one document are.

    \b
    Examples:
      geo-sites resolve Izyum Ізюм Kharkov "Kharkiv region"
      geo-sites resolve Trostianets --within "Sumy Oblast" -f json
      cut -d, -f1 places.csv | geo-sites resolve -f csv > resolved.csv
    """
    from .gazetteer import Gazetteer, GazetteerHome

    fallback = GazetteerHome().nominatim(user_agent or "") if online else None
    queries = list(names) if names else _names_from_stdin()
    with Gazetteer.default(online=fallback) as gazetteer:
        matches = gazetteer.resolve_many(
            queries, country=country, within=within, use_context=not no_context, limit=limit
        )
    rows = [m.to_dict() for m in matches]
    if fmt == "json":
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        _write_csv(rows)
    else:
        _write_table(rows)
    unresolved = [shorten(r["query"]) for r in rows if r["status"] == "unresolved"]
    if unresolved:
        log.warning("%d of %d unresolved: %s", len(unresolved), len(rows), ", ".join(unresolved))


_COLUMNS = ("query", "status", "score", "name", "level", "admin1", "country", "lat", "lon",
            "geonameid", "method")  # fmt: skip


def _flat(row: dict[str, Any]) -> dict[str, Any]:
    out = {k: row[k] for k in (*_COLUMNS, "matched_name", "source", "attribution", "reason")}
    out["candidates"] = "; ".join(
        f"{c['name']} ({c['admin1'] or c['country']}, {c['score']})" for c in row["candidates"]
    )
    return out


def _write_csv(rows: list[dict[str, Any]]) -> None:
    from .cells import write_csv

    flat = [_flat(r) for r in rows]
    header = list(flat[0]) if flat else [*_COLUMNS, "reason"]
    write_csv(sys.stdout, header, ([row[k] for k in header] for row in flat))


def _write_table(rows: list[dict[str, Any]]) -> None:
    cells = [[f"{r[c]:.2f}" if c == "score" else _cell(r[c]) for c in _COLUMNS] for r in rows]
    widths = [max([len(c), *(len(row[i]) for row in cells)]) for i, c in enumerate(_COLUMNS)]
    click.echo("  ".join(c.ljust(w) for c, w in zip(_COLUMNS, widths, strict=True)).rstrip())
    for row in cells:
        click.echo("  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip())
    if any(r["attribution"] for r in rows):
        click.echo("Place data: GeoNames (geonames.org), CC BY 4.0", err=True)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):  # coordinates
        return f"{value:.5f}"
    return str(value)


@cli.command()
@click.argument("table", type=click.Path(allow_dash=True))
@click.option(
    "-o", "--output", required=True, type=click.Path(allow_dash=True),
    help=f"The file to write: {', '.join(extensions('layer', writable=True))}; "
    "- for stdout (GeoJSON, GeoJSON lines, CSV; give --format); with --scheduler, a "
    "GeoParquet dataset: a folder NAME.parquet, a part per partition.",
)  # fmt: skip
@click.option("--place-column", required=True, metavar="COL", help="The column of place names.")
@click.option("--country-column", metavar="COL", help="A column of ISO country codes.")
@click.option("--admin1-column", metavar="COL", help='A column of regions: "Sumy Oblast".')
@country_option
@click.option("--lat-column", metavar="COL", help="A column of given latitudes (kept when valid).")
@click.option("--lon-column", metavar="COL", help="A column of given longitudes.")
@click.option(
    "--encoding", help="The text encoding of a CSV or JSON table (detected if not given)."
)
@click.option("--delimiter", help="The CSV delimiter (detected if not given).")
@click.option(
    "--sheet",
    default="0",
    show_default=True,
    help="The XLSX sheet: a sheet of this name, else a number counts from 0.",
)
@click.option("--layer", help="The layer of a GeoPackage of several layers.")
@output_format_option
@click.option("--strict", is_flag=True, help="Exit 1 if a row is left unresolved or ambiguous.")
@click.option("--no-context", is_flag=True, help="Resolve each row on its own.")
@areas_option
@cluster_options
def join(
    table: str, output: str, place_column: str, country_column: str | None,
    admin1_column: str | None, country: str | None, lat_column: str | None,
    lon_column: str | None, encoding: str | None, delimiter: str | None, sheet: str,
    layer: str | None, fmt: str | None, strict: bool, no_context: bool, areas: bool,
    scheduler: str | None, workers: int,
) -> None:  # fmt: skip
    """Join a table to places: every row gains a point and the match columns.

    TABLE is CSV (any delimiter; UTF-8, UTF-16, Windows-1251 or KOI8-U),
    XLSX, JSON, NDJSON or a GIS layer (GeoJSON, GeoPackage, FlatGeobuf,
    GeoParquet, Shapefile, KML); - reads CSV, JSON or GeoJSON from stdin.
    Every row is kept, in order: unresolved and ambiguous ones with a null
    geometry and the reason.  A summary goes to stderr, with the encoding a
    text table was read in.

    With --scheduler, a table too big for memory is joined on a dask
    cluster, partition by partition: TABLE is Parquet or CSV files (a file,
    a folder of them, or a pattern), and the output a GeoParquet dataset.
    The rows and places are those of the join in memory.

    \b
    Examples:
      geo-sites join incidents.csv --place-column place -o incidents.gpkg
      geo-sites join list.xlsx --place-column Town --admin1-column Oblast --country UA -o out.csv
      cut -d, -f1,3 list.csv | geo-sites join - --place-column place -o - -f geojson
      geo-sites join rows/ --place-column place -o joined.parquet --scheduler local --workers 2
    """
    from .export import output_format, write
    from .gazetteer import Gazetteer
    from .join import join as join_table
    from .partitions import join_partitions
    from .tables import read_table

    output_format(output, fmt)  # a bad extension fails before the work
    if scheduler is None and workers > 1:
        raise click.UsageError("--workers shares a join out with --scheduler local; the join "
                               "in memory is one process")  # fmt: skip
    if scheduler is not None:
        if areas or table == STDIO:
            raise click.UsageError("--scheduler joins files of a table into a dataset: it "
                                   "reads no stdin, and writes no --areas")  # fmt: skip
        summary = join_partitions(
            table, output, place_column=place_column, scheduler=scheduler, workers=workers,
            country_column=country_column, admin1_column=admin1_column, country=country,
            lat_column=lat_column, lon_column=lon_column, use_context=not no_context,
            encoding=encoding, delimiter=delimiter,
        )  # fmt: skip
        text, unplaced = str(summary), summary.unresolved + summary.ambiguous
    else:
        with _stdin_as_file([table], ("table", "layer")) as (path,):
            frame = read_table(path, encoding=encoding, delimiter=delimiter, sheet=sheet,
                               layer=layer)  # fmt: skip
        with Gazetteer.default() as gazetteer:
            joined = join_table(
                frame, place_column=place_column, gazetteer=gazetteer,
                country_column=country_column, admin1_column=admin1_column, country=country,
                lat_column=lat_column, lon_column=lon_column, use_context=not no_context,
                source=table,
            )  # fmt: skip
        write(joined, output, fmt=fmt, areas=areas)
        summary = joined.attrs["join_summary"]
        text, unplaced = summary["text"], summary["unresolved"] + summary["ambiguous"]
    click.echo(f"{output}: {text}", err=True)
    if strict and unplaced:
        raise click.ClickException(f"--strict: {unplaced:,} rows not placed")


@contextmanager
def _stdin_as_file(paths: Sequence[str], kinds: tuple[Kind, ...]) -> Iterator[list[str]]:
    """*paths*, with ``-`` replaced by a temporary copy of stdin named for its content."""
    if list(paths).count(STDIO) > 1:
        raise click.UsageError("- (stdin) can be given once")
    if STDIO not in paths:
        yield list(paths)
        return
    import tempfile

    from .formats import spool_stdin

    with tempfile.TemporaryDirectory(prefix="geo-sites-") as folder:
        spooled = str(spool_stdin(folder, kinds))
        yield [spooled if p == STDIO else p for p in paths]


@contextmanager
def _layer_of(inputs: Sequence[str], country: str | None) -> Iterator[Any]:
    """The sites layer of *inputs*, with the default gazetteer opened only for records."""
    from .layers import needs_gazetteer, sites_layer

    with ExitStack() as stack:
        paths = stack.enter_context(_stdin_as_file(inputs, ("records", "layer")))
        gazetteer: Gazetteer | None = None
        if needs_gazetteer(*paths):
            from .gazetteer import Gazetteer

            gazetteer = stack.enter_context(Gazetteer.default())
        frame = sites_layer(*paths, gazetteer=gazetteer, country=country)
        for summary in frame.attrs.get("reviewed", ()):  # the rows kept and rejected in review
            click.echo(summary, err=True)
        yield frame


@click.command(name="sites", cls=_Command)
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@output_option
@output_format_option
@country_option
@sequence_option
@qml_option
@areas_option
def sites(
    inputs: Sequence[str], output: str, fmt: str | None, country: str | None, sequence: bool,
    qml: bool, areas: bool,
) -> None:  # fmt: skip
    """Merge incident records into sites, and write them (or a layer) in any GIS format.

    INPUTS are records files (.json, .ndjson) or folders of them, review
    sheets (the .csv or .xlsx of extract: only the rows kept, as corrected),
    and layers (any format geo-sites writes, ours or anyone's); - reads
    GeoJSON, GeoJSON lines, CSV or records from stdin.  Records of one place,
    event type and overlapping dates become one site, which keeps every
    source and the range of the figures.  `sites` and `export` are the same
    command.

    \b
    Examples:
      geo-sites sites seeds/incidents.json -o sites.gpkg
      geo-sites sites draft.xlsx -o sites.gpkg
      geo-sites sites reports/ -o sites.geojson --qml
      geo-sites sites seeds/incidents.json -o sites.gpkg --areas
      geo-sites export sites.gpkg -o sites.shp
      geo-sites sites seeds/incidents.json -o - -f geojson | geo-sites map - -o map.html
    """
    from .export import output_format, write

    output_format(output, fmt)  # a bad extension fails before the work
    with _layer_of(inputs, country) as frame:
        write(frame, output, fmt=fmt, sequence=sequence, qml=qml, areas=areas)
    placed = int((frame.geometry.notna() & ~frame.geometry.is_empty).sum())
    click.echo(f"{output}: {len(frame):,} sites ({placed:,} placed, "
               f"{len(frame) - placed:,} not placed)", err=True)  # fmt: skip


cli.add_command(sites, "sites")
cli.add_command(sites, "export")


@cli.command()
@click.argument("paths", nargs=-1, required=True, callback=_paths_or_urls)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="Records (.ndjson, .json), a review sheet (.xlsx, .csv) or placed incidents in any "
    "other layer format (.geojson, .gpkg, .fgb, .parquet, .shp, .kml).",
)
@click.option(
    "--manifest",
    type=click.Path(dir_okay=False),
    help="The manifest of files [NAME.manifest.csv beside the output].",
)
@click.option(
    "--report-date",
    type=click.DateTime(["%Y-%m-%d"]),
    help="The report date of documents that do not give one.",
)
@click.option("--encoding", help="The text encoding of every file (detected if not given).")
@click.option(
    "--max-size",
    type=click.IntRange(1),
    default=100,
    show_default=True,
    metavar="MB",
    help="Skip files larger than this.",
)
@cluster_options
@click.option("-q", "--quiet", is_flag=True, help="No progress bar or summary.")
@country_option
def extract(
    paths: Sequence[str], output: str, manifest: str | None, report_date: Any,
    encoding: str | None, max_size: int, workers: int, scheduler: str | None, quiet: bool,
    country: str | None,
) -> None:  # fmt: skip
    """Extract reported incidents from report text: .txt, .md and .html files or folders.

    PATHS are files, folders, or URLs that fsspec reads (s3://bucket/reports/,
    with the dask extra and the protocol's package).  Each incident carries
    its sentence, its character offsets, the document's path and sha256 and
    the extractor's version.  Every file gets a line in
    the manifest: processed, empty, or skipped with the reason.  A .xlsx or
    .csv output is a review sheet: a row per incident, with a keep column,
    for a person to check and correct before sites, map or run read it.

    \b
    Examples:
      geo-sites extract reports/ -o incidents.ndjson
      geo-sites extract reports/ -o incidents.geojson --workers 2
      geo-sites extract reports/ -o incidents.ndjson --scheduler tcp://10.0.0.5:8786
      geo-sites extract reports/ -o draft.xlsx
      geo-sites sites draft.xlsx -o sites.gpkg
    """
    from .extract import check_outputs, extract_files, write_batch
    from .gazetteer import Gazetteer

    check_outputs(output, manifest)
    with Gazetteer.default() as gazetteer:
        batch = extract_files(
            *paths, gazetteer=gazetteer, country=country,
            report_date=report_date.date() if report_date else None, encoding=encoding,
            max_bytes=max_size * 1024 * 1024, workers=workers, progress=not quiet,
            scheduler=scheduler,
        )  # fmt: skip
        written, listed = write_batch(batch, output, manifest=manifest)
    if not quiet:
        statuses = Counter(entry.status for entry in batch.manifest)
        click.echo(f"{written}: {len(batch.incidents):,} incidents from "
                   + ", ".join(f"{n:,} {s}" for s, n in sorted(statuses.items()))
                   + f" files; manifest {listed}", err=True)  # fmt: skip


@cli.command()
@click.argument("predicted", type=click.Path(allow_dash=True))
@click.argument("truth", type=click.Path(dir_okay=False))
@click.option(
    "--not-incident",
    type=click.Path(dir_okay=False),
    help="A table of places named in documents that are no incident's site (file, "
    "canonical_place): predicting one is wrong.",
)
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@country_option
def evaluate(
    predicted: str, truth: str, not_incident: str | None, fmt: str, country: str | None
) -> None:
    """Score predicted places and sites against a truth table, document by document.

    PREDICTED is records (they are placed and merged into sites first), a
    sites layer or the layer of `geo-sites extract`.  TRUTH is shaped like
    eval/seed_sites.csv or eval/dev_truth.csv (a file or doc column).
    Prints place and site recall, place and site precision, event-type and
    count accuracy, then the places missed, the wrong places and the wrong
    event types at right places.

    \b
    Example:
      geo-sites extract reports/ -o incidents.geojson
      geo-sites evaluate incidents.geojson truth.csv --not-incident not_incident.csv
    """
    from .extract.evaluate import evaluate as score
    from .extract.evaluate import read_not_incident, read_truth

    rows = read_truth(truth)
    listed = read_not_incident(not_incident) if not_incident else None
    with _layer_of([predicted], country) as frame:
        result = score(frame, rows, listed)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
        return
    for name in ("place_recall", "site_recall", "place_precision", "site_precision",
                 "event_type_accuracy", "count_accuracy"):  # fmt: skip
        click.echo(f"{name.replace('_', ' ')}: {getattr(result, name)}")
    click.echo(f"truth rows without a place (not scored): {result.rows_without_place}")
    for title, items in (
        ("places missed", result.missed_places),
        ("wrong places", result.wrong_places),
        ("wrong event types at right places", result.wrong_event_types),
        ("documents predicted, not in the truth (not scored)", result.other_documents),
    ):
        click.echo(f"{title}: {len(items)}")
        for item in items:
            click.echo(f"  {item}")


def map_options(function: Any) -> Any:
    """The options of a map, shared by ``map`` and ``run``."""
    options = [
        click.option("--title", default="Reported incident sites", show_default=True,
                     help="The map's title."),
        click.option("--subtitle", help="A line under the title (default: sites and dates)."),
        click.option("--caption", help="Text above the credits, e.g. who made the map."),
        click.option("--color-by", metavar="COL", help="Colour by this column [event_type]."),
        click.option("--size-by", metavar="COL", help="Size by this column's numbers [count]."),
        click.option("--cluster/--no-cluster", default=True, show_default=True,
                     help="Gather crowded points into clusters (HTML)."),
        click.option("--timeline", is_flag=True, help="A date slider over the event dates (HTML)."),
        click.option("--boundaries", type=click.Path(dir_okay=False),
                     help="A polygon layer to draw instead of Ukraine's oblasts; "
                          "region-level sites fill theirs."),
        click.option("--tiles", metavar="NAME", default="none", show_default=True,
                     help="An xyzservices tile provider (OpenStreetMap.Mapnik), or none: offline."),
        click.option("--self-contained/--cdn", default=True, show_default=True,
                     help="Inline Leaflet so the page works offline, or link it from a CDN."),
        click.option("--dpi", type=click.IntRange(50, 1200), default=300, show_default=True,
                     help="PNG resolution."),
        click.option("--inset", is_flag=True,
                     help="Images: a locator of the map's extent within its country."),
        click.option("--from-html", is_flag=True,
                     help="PNG: a screenshot of the HTML page by Chromium, not a drawing."),
    ]  # fmt: skip
    for option in reversed(options):
        function = option(function)
    return function


def _map_options(**given: Any) -> Any:
    from pathlib import Path

    from .maps import MapOptions

    tiles = given.pop("tiles")
    boundaries = given.pop("boundaries")
    return MapOptions(tiles=None if tiles.lower() == "none" else tiles,
                      boundaries=Path(boundaries) if boundaries else None, **given)  # fmt: skip


def _report_missing(missing: Sequence[tuple[str, str]]) -> None:
    if missing:
        sites = f"{len(missing):,} site{'s' * (len(missing) != 1)}"
        click.echo(f"not on the map: {sites} without a location:", err=True)
        for name, why in missing[:20]:
            click.echo(f"  {shorten(name)}: {why}", err=True)
        if len(missing) > 20:
            click.echo(f"  ... and {len(missing) - 20:,} more", err=True)


@cli.command("map")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="The map to write: .html, .png, .svg or .pdf.")  # fmt: skip
@map_options
@click.option(
    "--fragment",
    is_flag=True,
    help="HTML: write a block to paste into an existing page, not a whole page.",
)
@click.option(
    "--height", default="600px", show_default=True, help="The height of a --fragment, a CSS length."
)
@country_option
def map_(inputs: Sequence[str], output: str, country: str | None, **given: Any) -> None:
    """Draw sites on a map: a self-contained HTML page, or an image for slides.

    INPUTS are records files or folders and review sheets (placed and
    merged into sites), or layers in any format geo-sites writes, ours or
    anyone's; - reads stdin.  Sites known only to a region are drawn as that
    region, never as a pin.

    \b
    Examples:
      geo-sites map seeds/ -o maps/seeds.html --title "Seed reports"
      geo-sites map sites.gpkg -o briefing.png --boundaries districts.gpkg
      geo-sites map sites.geojson -o block.html --fragment --height 480px
    """
    from .maps import map_format, render

    map_format(output)
    options = _map_options(**given)
    with _layer_of(inputs, country) as frame:
        layout = render(frame, output, options=options).layout
    areas = sum(d.is_area for d in layout.drawn)
    click.echo(f"{output}: {len(layout.drawn):,} sites drawn ({len(layout.drawn) - areas:,} "
               f"points, {areas:,} areas)", err=True)  # fmt: skip
    _report_missing(layout.missing)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("-o", "--output", "folder", required=True, type=click.Path(file_okay=False),
              help="The folder to write into.")  # fmt: skip
@click.option("--name", help="The files' name (default: the first input's name).")
@map_options
@country_option
@areas_option
@cluster_options
def run(inputs: Sequence[str], folder: str, name: str | None, country: str | None,
        areas: bool, scheduler: str | None, workers: int, **given: Any) -> None:  # fmt: skip
    """The whole job: records to sites, map, image, GeoJSON, GeoPackage and a report.

    \b
    Writes into FOLDER, for input seeds/:
      seeds.html         the map, self-contained (works offline)
      seeds.png          the map for slides
      seeds.geojson      the sites, RFC 7946
      seeds.gpkg         the sites, styled for QGIS
      seeds-areas.*      with --areas: the areas of the sites, as polygons (GeoJSON, GPKG)
      seeds-report.md    what was and was not placed, and why; rows rejected in review
      seeds-draft.xlsx   from report text: the draft to review (the map shows the
                         rows it starts as kept)

    \b
    Examples:
      geo-sites run seeds/ -o maps/
      geo-sites run draft.xlsx -o out/
      geo-sites run reports/ -o out/ --scheduler tcp://10.0.0.5:8786
    """
    from .run import run as run_all

    result = run_all(*inputs, folder=folder, name=name, options=_map_options(**given),
                     country=country, areas=areas, scheduler=scheduler,
                     workers=workers)  # fmt: skip
    for path in result.files:
        click.echo(f"wrote {path}", err=True)
    rejected = f"; {result.rejected:,} rows rejected in review" if result.rejected else ""
    n = result.set_aside
    aside = f"; {n:,} incident{'s' * (n != 1)} set aside for review (in the draft)" if n else ""
    click.echo(f"{result.sites:,} sites, {result.placed:,} on the map{rejected}{aside}",
               err=True)  # fmt: skip


# ---------------------------------------------------------------------------


@cli.group()
def gazetteer() -> None:
    """Manage the offline gazetteer: its sources and its index."""


@gazetteer.command("add")
@click.argument("path", required=False, type=click.Path(dir_okay=False))
@click.option("--country", metavar="CC",
              help="Download this country's GeoNames dump (needs internet).")  # fmt: skip
def gazetteer_add(path: str | None, country: str | None) -> None:
    """Add a GeoNames dump or your own places to the gazetteer.

    PATH is a GeoNames dump in the standard format (UA.zip, UA.txt,
    cities500.zip, allCountries.zip) or your own places as CSV or GeoJSON
    (columns name, lat, lon and optionally aliases, kind, admin1, country).

    \b
    Examples:
      geo-sites gazetteer add UA.zip
      geo-sites gazetteer add --country PL
      geo-sites gazetteer add our_sites.csv
    """
    from .gazetteer.home import GazetteerHome

    if (path is None) == (country is None):
        raise click.UsageError("give either a FILE or --country, not both or neither")
    home = GazetteerHome()
    if country is not None:
        click.echo(f"downloading the GeoNames dump of {country.upper()}...", err=True)
        path = str(home.download(country))
    assert path is not None
    counts = home.add(path)
    click.echo(
        f"added {path}: {counts['places']:,} places ({counts['added']:,} new, "
        f"{counts['replaced']:,} updated, {counts['skipped']:,} other features skipped)"
    )


@gazetteer.command("info")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True)  # fmt: skip
def gazetteer_info(fmt: str) -> None:
    """Show the index: its file, its sources with counts, and when it was built."""
    from .gazetteer.home import GazetteerHome

    info = GazetteerHome().info()
    if fmt == "json":
        click.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    click.echo(f"index:    {info['index']} ({info['index_bytes'] / 1e6:.1f} MB)")
    click.echo(f"built:    {info['built_at']} in {info['build_seconds']} s; "
               f"updated {info['updated_at']}")  # fmt: skip
    click.echo("places:   " + ", ".join(f"{k} {v:,}" for k, v in sorted(info["counts"].items())))
    click.echo("sources:")
    for source in info["sources"]:
        click.echo(f"  {source['label']}: {source['places']:,} places")
    for file in info["files"]:
        if not file["exists"]:
            state = "  (missing, and no copy kept: left out of the next build)"
        elif not file["original_exists"]:
            state = "  (moved or deleted: its copy is used)"
        else:
            state = ""
        click.echo(f"  file {file['path']} added {file['added_at']}{state}")
    click.echo("Place data: GeoNames (geonames.org), CC BY 4.0")


@gazetteer.command("remove")
@click.argument("path")
def gazetteer_remove(path: str) -> None:
    """Remove an added file from the gazetteer, and rebuild the index without it.

    PATH is the file as it was added, or its name.

    \b
    Examples:
      geo-sites gazetteer remove our_sites.csv
    """
    from .gazetteer.home import GazetteerHome

    removed = GazetteerHome().remove(path)
    click.echo(f"removed {removed['path']}")


@gazetteer.command("rebuild")
def gazetteer_rebuild() -> None:
    """Build the index anew from the default and every added source."""
    from .gazetteer.home import GazetteerHome

    counts = GazetteerHome().rebuild()
    for label, c in counts.items():
        click.echo(f"{label}: {c['places']:,} places")


def main() -> None:
    """Entry point of the ``geo-sites`` console script."""
    cli(prog_name="geo-sites")
