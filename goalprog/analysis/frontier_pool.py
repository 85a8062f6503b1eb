"""The process pool the independent solves of a frontier (``goalprog frontier --jobs N``,
``Problem.frontier(..., executor=...)``) and the priority orders' subtrees run on: the sweep's worker set-up, so workers end with the
frontier, with the solver programs they started (see :mod:`goalprog.analysis.processes`).

>>> with process_pool(4) as pool:                      # doctest: +SKIP
...     res = problem.frontier("profit", "waste", executor=pool)

A Dask cluster serves as well: ``distributed.Client(address).get_executor()`` is an executor.
"""

from __future__ import annotations

import contextlib
import os

from .processes import die_with_parent, stop_pool, worker_signals

__all__ = ["process_pool"]


def _init(parent: int) -> None:
    worker_signals()
    die_with_parent(parent)


@contextlib.contextmanager
def process_pool(jobs: int):
    """A :class:`concurrent.futures.ProcessPoolExecutor` of ``jobs`` worker processes (``jobs >=
    2``), stopped with its workers when the block ends by an error or Ctrl-C, shut down
    normally otherwise.  Raises :class:`~goalprog.core.errors.ArgumentError` for ``jobs < 1``."""
    import concurrent.futures as cf

    from ..core.errors import ArgumentError

    if not isinstance(jobs, int) or isinstance(jobs, bool) or jobs < 1:
        raise ArgumentError(f"jobs must be a whole number of at least 1, got {jobs!r}")
    import multiprocessing as mp

    # not fork: this process has usually solved already, and a solver's thread pool does not survive a
    # fork (HiGHS's workers spun forever in forked children)
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    pool = cf.ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context(method), initializer=_init,
                                  initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)
