from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import geo_sites
from geo_sites import exceptions as exc


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (exc.InvalidInputError, ValueError),
        (exc.ParameterError, ValueError),
        (exc.CoordinateError, ValueError),
        (exc.UnknownCountryError, ValueError),
        (exc.SourceError, OSError),
        (exc.DumpFormatError, ValueError),
        (exc.GazetteerIndexError, RuntimeError),
        (exc.DamagedIndexError, RuntimeError),
        (exc.OutputError, OSError),
        (exc.ServiceError, ConnectionError),
        (exc.ServiceTimeoutError, TimeoutError),
        (exc.OfflineError, ConnectionError),
    ],
)
def test_every_error_is_a_geo_sites_error_and_its_builtin(
    error: type[Exception], builtin: type[Exception]
) -> None:
    assert issubclass(error, exc.GeoSitesError)
    assert issubclass(error, builtin)
    assert error.__doc__
    assert "\n" not in error.__doc__.strip()


def test_the_tree_in_the_docstring_names_every_error() -> None:
    for name in exc.__all__:
        assert name in (exc.__doc__ or ""), name


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring nodes of a module, its classes and its functions."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def test_the_library_never_speaks_in_command_line_flags() -> None:
    """Only the CLI knows its flags: no string of the library's code names one.

    Every string literal of the package but ``cli.py`` is looked at (the parts
    of f-strings too), docstrings and comments aside: an error message, a log
    line, a reason in a row, or a piece of one ("--place-column" in a tuple
    that a message is made from).
    """
    package = Path(geo_sites.__file__).parent
    flag = re.compile(r"(?<![\w-])--[A-Za-z]")
    found = []
    for path in sorted(package.rglob("*.py")):
        if path == package / "cli.py":
            continue
        tree = ast.parse(path.read_text("utf-8"), str(path))
        docstrings = _docstrings(tree)
        found += [
            f"{path.relative_to(package.parent)}:{node.lineno}: {node.value.strip()!r}"
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and id(node) not in docstrings
            and flag.search(node.value)
        ]
    assert not found, "CLI flags in library messages:\n" + "\n".join(found)


def test_a_parameter_error_names_its_parameter() -> None:
    err = exc.ParameterError("is for HTML maps, not .png", parameter="timeline")
    assert isinstance(err, exc.InvalidInputError) and isinstance(err, ValueError)
    assert (str(err), err.parameter, err.message) == (
        "timeline: is for HTML maps, not .png", "timeline", "is for HTML maps, not .png"
    )  # fmt: skip
    assert exc.UnknownCountryError("unknown country code 'XX'").parameter == "country"
