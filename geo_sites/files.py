"""Files written whole or not at all, and what killed writers leave behind.

:class:`replacing` gives a temporary path beside a target and renames it over
the target only when the block succeeds.  Each writer's temporary folder is
named after its process (``PREFIX<pid>-...``), so :func:`remove_abandoned`
can tell the leftovers of a writer killed outright from the files of one
still at work.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .exceptions import GeoSitesError, OutputError

__all__ = ["alive", "remove_abandoned", "replacing"]

_PREFIX = ".geo-sites-"


class replacing:
    """A temporary path beside *target* that replaces it on success and vanishes on failure.

    The temporary file is flushed to disk before it replaces the target.  An
    :class:`OSError` in the block (a full disk, say) becomes an
    :class:`OutputError` that names the target.  The temporary folder is named
    after the process, so that a write killed outright (``SIGKILL``, power
    loss) leaves only a hidden folder, which the next write into the same
    folder removes.
    """

    def __init__(self, target: Path) -> None:
        self.target = Path(target)
        self.folder: Path | None = None

    def __enter__(self) -> Path:
        parent = self.target.parent
        if not parent.is_dir():
            raise OutputError(f"{self.target}: the folder {parent} does not exist")
        remove_abandoned(parent, _PREFIX)
        try:
            self.folder = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=parent))
        except OSError as err:
            raise OutputError(f"{self.target}: cannot write here ({err.strerror})") from None
        # The same name as the target: GDAL derives layer and document names from it.
        return self.folder / self.target.name

    def __exit__(self, kind: object, error: BaseException | None, traceback: object) -> None:
        assert self.folder is not None
        try:
            if error is None:
                temporary = self.folder / self.target.name
                try:
                    with temporary.open("rb") as file:
                        os.fsync(file.fileno())
                    os.replace(temporary, self.target)
                except OSError as err:
                    raise OutputError(f"{self.target}: cannot write it ({err.strerror})") from None
            elif isinstance(error, OSError) and not isinstance(error, GeoSitesError):
                raise OutputError(
                    f"{self.target}: cannot write it ({error.strerror or error})"
                ) from None
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)


def remove_abandoned(folder: Path, prefix: str) -> None:
    """Remove the folders ``<prefix><pid>-*`` in *folder* whose process is gone."""
    for leftover in folder.glob(f"{prefix}*-*"):
        pid = leftover.name[len(prefix) :].split("-", 1)[0]
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def alive(pid: int) -> bool:
    """Tell whether a process with this id exists (this one always does)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, and belongs to someone else
        return True
    return True
