"""The errors geo-sites raises.

Every error derives from :class:`GeoSitesError`, and also from the builtin it
resembles, so ``except ValueError`` keeps working for callers who know nothing
of this package::

    GeoSitesError
    ├── InvalidInputError (ValueError)         bad names, values, data
    │   ├── ParameterError                     a bad argument value: names the parameter
    │   │   └── UnknownCountryError            a country code no source knows
    │   └── CoordinateError                    a latitude or longitude off the globe
    ├── SourceError (OSError)                  a gazetteer source cannot be read
    │   └── DumpFormatError (ValueError)       a dump file is corrupt: names file and line
    ├── GazetteerIndexError (RuntimeError)     the on-disk index is missing or broken
    │   └── DamagedIndexError                  its files are damaged: it must be built again
    ├── OutputError (OSError)                  an output file cannot be written
    └── ServiceError (ConnectionError)         an online geocoder failed
        ├── ServiceTimeoutError (TimeoutError) it did not answer in time
        └── OfflineError                       there is no network to reach it

A :class:`ParameterError` names the library's own parameter
(``MapOptions(timeline=True)`` for a PNG: "timeline: is for HTML maps, not
.png"); the command line names the option that set it instead.

"Not found" is not an error: :meth:`Gazetteer.resolve` returns an unresolved match.
"""

from __future__ import annotations

__all__ = [
    "CoordinateError",
    "DamagedIndexError",
    "DumpFormatError",
    "GazetteerIndexError",
    "GeoSitesError",
    "InvalidInputError",
    "OfflineError",
    "OutputError",
    "ParameterError",
    "ServiceError",
    "ServiceTimeoutError",
    "SourceError",
    "UnknownCountryError",
]


class GeoSitesError(Exception):
    """Base class of every error geo-sites raises."""


class InvalidInputError(GeoSitesError, ValueError):
    """An argument or input value is not acceptable; ``parameter`` names the argument."""

    def __init__(self, message: str, *, parameter: str | None = None) -> None:
        super().__init__(f"{parameter}: {message}" if parameter else message)
        self.parameter = parameter
        self.message = message


class ParameterError(InvalidInputError):
    """An argument's value is not acceptable; ``parameter`` names the library's parameter."""

    parameter: str

    def __init__(self, message: str, *, parameter: str) -> None:
        super().__init__(message, parameter=parameter)


class CoordinateError(InvalidInputError):
    """A latitude or longitude that is not a number on the globe (WGS84)."""


class UnknownCountryError(ParameterError):
    """A country code that no gazetteer source knows."""

    def __init__(self, message: str, *, parameter: str = "country") -> None:
        super().__init__(message, parameter=parameter)


class SourceError(GeoSitesError, OSError):
    """A gazetteer source cannot be found or read."""


class DumpFormatError(SourceError, ValueError):
    """A gazetteer file is corrupt or not in the expected format."""


class GazetteerIndexError(GeoSitesError, RuntimeError):
    """The on-disk gazetteer index is missing, locked or broken."""


class DamagedIndexError(GazetteerIndexError):
    """A file of the gazetteer index is damaged and must be built again."""


class OutputError(GeoSitesError, OSError):
    """An output file cannot be written."""


class ServiceError(GeoSitesError, ConnectionError):
    """An online geocoder answered with an error."""


class ServiceTimeoutError(ServiceError, TimeoutError):
    """An online geocoder did not answer in time."""


class OfflineError(ServiceError):
    """A network resource is needed but cannot be reached."""
