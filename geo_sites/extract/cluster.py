"""Extraction on a dask.distributed cluster, when one machine is not enough.

:func:`on_cluster` connects to a running scheduler (``tcp://host:8786``) or
starts a ``LocalCluster`` of worker processes on this machine (``local``);
its :meth:`Cluster.extract` shares the files out to the workers in slices
and hands back each file's entry and incidents in the files' order, as the
local pool of :mod:`.batch` does, so the output is the same whatever runs it.

* The workers read the files and the gazetteer index at the paths the client
  gives: a shared file system, or the same paths on every machine.  Each
  worker process opens the index once, read-only, and keeps it.
* A worker that dies mid-task has its slice run again on another worker
  (dask's own retries): no file is lost or counted twice.
* dask is an optional extra (``pip install 'geo-sites[dask]'``), imported only
  here.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..exceptions import ParameterError

if TYPE_CHECKING:
    from ..incidents import LocatedIncident
    from .batch import _Job
    from .documents import Entry

__all__ = ["Cluster", "on_cluster"]

#: Seconds to wait for a remote scheduler before saying it cannot be reached.
_CONNECT_SECONDS = 20


@dataclass(frozen=True, slots=True)
class Cluster:
    """A dask.distributed client, and the number of worker threads behind it."""

    client: Any
    threads: int

    def extract(
        self, files: Sequence[Path | Entry], job: _Job
    ) -> Iterator[tuple[Entry, list[LocatedIncident]]]:
        """Each file's entry and incidents, in the files' order."""
        from .batch import slice_size

        size = slice_size(len(files), self.threads)
        slices = [list(files[i : i + size]) for i in range(0, len(files), size)]
        futures = self.client.map(_extract_slice, slices, job=job, pure=False)
        for future in futures:
            yield from future.result()
            future.release()


def _extract_slice(
    files: list[Path | Entry], job: _Job
) -> list[tuple[Entry, list[LocatedIncident]]]:
    from .batch import _extract_one

    return [_extract_one(path, job) for path in files]


@contextmanager
def on_cluster(scheduler: str, workers: int) -> Iterator[Cluster]:
    """A connection to the scheduler at *scheduler*, or to a local cluster of *workers*
    processes (``local``), closed after the block.

    Raises
    ------
    ParameterError
        When dask is not installed, or the scheduler cannot be reached.
    """
    import importlib

    try:
        dask: Any = importlib.import_module("distributed")  # typed as Any: it is not typed
    except ImportError:
        raise ParameterError(
            "needs dask: pip install 'geo-sites[dask]'", parameter="scheduler"
        ) from None
    local = None
    if scheduler == "local":
        local = dask.LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                  processes=True, host="127.0.0.1",
                                  dashboard_address=None)  # fmt: skip
        client = dask.Client(local)
    else:
        try:
            client = dask.Client(scheduler, timeout=_CONNECT_SECONDS)
        except (OSError, TimeoutError, ValueError) as err:
            raise ParameterError(f"cannot reach the scheduler {scheduler!r} ({err})",
                                 parameter="scheduler") from None  # fmt: skip
    try:
        yield Cluster(client, max(1, sum(client.nthreads().values())))
    finally:
        client.close()
        if local is not None:
            local.close()
