from __future__ import annotations

import pytest

from geo_sites import exceptions as exc


@pytest.mark.parametrize(
    ("error", "builtin"),
    [
        (exc.InvalidInputError, ValueError),
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
