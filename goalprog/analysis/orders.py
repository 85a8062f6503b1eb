"""Priority orders in parallel: the sweep's process pool for :meth:`goalprog.Problem.orders`.

:func:`goalprog.solve.orders.solve_orders` runs the subtrees of the first priority level (every
order that begins with the same level, sharing its prefix solves) as tasks of an executor.
:func:`orders_pool` gives it the local process pool of the sweeps: workers that ignore Ctrl-C
(the parent stops them), end with the parent and take their solver programs with them
(:mod:`goalprog.analysis.processes`), and a pool stopped at once when anything goes wrong.
"""

from __future__ import annotations

from contextlib import contextmanager

from .frontier_pool import process_pool

__all__ = ["orders_pool", "solve_orders_parallel"]


@contextmanager
def orders_pool(jobs: int):
    """A :class:`concurrent.futures.ProcessPoolExecutor` of ``jobs`` workers (``jobs >= 2``), or
    ``None`` for ``jobs <= 1`` (then the orders run in this process): the frontier's
    :func:`~goalprog.analysis.frontier_pool.process_pool` (stopped at once, workers and their
    solvers ended, on an error or Ctrl-C; else shut down normally)."""
    if jobs is None or jobs <= 1:
        yield None
        return
    with process_pool(int(jobs)) as pool:
        yield pool


def solve_orders_parallel(problem, orders="all", *, jobs: int = 1, force: bool = False, **options):
    """:meth:`goalprog.Problem.orders` with ``jobs`` local worker processes (1: in this process).
    Returns a :class:`~goalprog.solve.orders.PriorityOrders`; raises what that method raises."""
    from .processes import sigterm_stops_sweep

    with sigterm_stops_sweep(), orders_pool(jobs) as pool:
        return problem.orders(orders, force=force, executor=pool, **options)
