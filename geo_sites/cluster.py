"""A dask.distributed cluster, for work too big for one machine.

:func:`on_cluster` connects to a running scheduler (``tcp://host:8786``) or
starts a ``LocalCluster`` of worker processes on this machine (``local``).
Extraction shares its files out to the workers in slices
(:func:`geo_sites.extract.extract_files`), and a join its table's partitions
(:mod:`geo_sites.partitions`).

* The workers read the files and the gazetteer index at the paths the client
  gives: a shared file system, or the same paths on every machine.  Each
  worker process opens the index once, read-only, and keeps it; it checks
  that the index is the client's (:func:`geo_sites.gazetteer.Gazetteer.same_as`).
* A worker that dies mid-task has its task run again on another worker
  (dask's own retries): no file or row is lost or counted twice.
* dask is an optional extra (``pip install 'geo-sites[dask]'``), imported only
  here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, TypeVar

from .exceptions import ParameterError

__all__ = ["Cluster", "on_cluster"]

#: Seconds to wait for a remote scheduler before saying it cannot be reached.
_CONNECT_SECONDS = 20

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Cluster:
    """A dask.distributed client, and the number of worker threads behind it."""

    client: Any
    threads: int

    def in_order(self, function: Callable[..., list[T]], tasks: Iterable[Any],
                 **kwargs: Any) -> Iterator[T]:  # fmt: skip
        """The items of ``function(task, **kwargs)`` for each of *tasks*, run on the
        workers, in the tasks' order; each result is let go once it is read."""
        futures = self.client.map(function, list(tasks), pure=False, **kwargs)
        for future in futures:
            yield from future.result()
            future.release()


@contextmanager
def on_cluster(scheduler: str, workers: int = 1) -> Iterator[Cluster]:
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
        # Its workers' own logs are silent: a task's error reaches the caller, raised here.
        local = dask.LocalCluster(n_workers=max(1, workers), threads_per_worker=1,
                                  processes=True, host="127.0.0.1", dashboard_address=None,
                                  silence_logs=logging.CRITICAL)  # fmt: skip
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
