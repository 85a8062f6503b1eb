"""Priority orders in parallel: the sweep's process pool for :meth:`goalprog.Problem.orders`.

:func:`goalprog.solve.orders.solve_orders` runs the subtrees of the first priority level (every
order that begins with the same level, sharing its prefix solves) as tasks of an executor.
:func:`orders_pool` gives it the local process pool of the sweeps: workers that ignore Ctrl-C
(the parent stops them), end with the parent and take their solver programs with them
(:mod:`goalprog.analysis.processes`), and a pool stopped at once when anything goes wrong.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

from .processes import die_with_parent, stop_pool, worker_signals

__all__ = ["orders_pool", "solve_orders_parallel"]


def _init_worker(parent: int) -> None:
    worker_signals()
    die_with_parent(parent)


@contextmanager
def orders_pool(jobs: int):
    """A :class:`concurrent.futures.ProcessPoolExecutor` of ``jobs`` workers (``jobs >= 2``), or
    ``None`` for ``jobs <= 1`` (then the orders run in this process).  The pool is stopped at once
    (workers and their solvers ended) on an error or Ctrl-C, else shut down normally."""
    if jobs is None or jobs <= 1:
        yield None
        return
    import concurrent.futures as cf
    import multiprocessing as mp

    # not fork: this process has usually solved already, and a solver's thread pool does not survive a fork
    # (HiGHS's workers spun forever in the forked children)
    method = "forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn"
    pool = cf.ProcessPoolExecutor(max_workers=int(jobs), mp_context=mp.get_context(method),
                                  initializer=_init_worker, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:
        stop_pool(pool)
        raise
    pool.shutdown(wait=True)


def solve_orders_parallel(problem, orders="all", *, jobs: int = 1, force: bool = False, **options):
    """:meth:`goalprog.Problem.orders` with ``jobs`` local worker processes (1: in this process).
    Returns a :class:`~goalprog.solve.orders.PriorityOrders`; raises what that method raises."""
    from .processes import sigterm_stops_sweep

    with sigterm_stops_sweep(), orders_pool(jobs) as pool:
        return problem.orders(orders, force=force, executor=pool, **options)
