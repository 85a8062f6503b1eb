"""What-if sweeps: solve one problem file for every combination of some varied values.

>>> from goalprog.analysis.sweep import sweep
>>> runs = sweep("problems/clothing_factory_weighted.yaml",
...              {"goals.waste.weight": "0.5:3:0.25"}, backend="highs")        # doctest: +SKIP
>>> runs[["vary:goals.waste.weight", "status", "goal:profit.value", "goal:waste.value"]]  # doctest: +SKIP

Each key of ``vary`` is a parameter name or a key path, as for ``goalprog solve --set`` (see
:mod:`goalprog.spec.overrides`); its values are a list, or text: a range ``a:b:step`` (``b`` included
when it is on the grid; computed in exact decimal arithmetic, so ``0.1:0.3:0.1`` is 0.1, 0.2, 0.3)
or values separated by commas (``weighted,preemptive``), each read as YAML.  Every combination
is one run: the file is loaded with the overrides, solved, and summarised as one row of the
returned :class:`pandas.DataFrame`:

``run``, ``vary:<key>`` (one column per varied key), ``status``, ``message``, ``method``,
``objective`` (one-stage methods), ``level:<p>.achievement`` (preemptive, one per priority
level), ``goal:<label>.value``, ``goal:<label>.under``, ``goal:<label>.over`` (each goal
instance), ``variable:<label>`` (each decision-variable instance, unless ``variables=False``),
``solve_time`` (seconds in the solver, all stages) and ``run_time`` (seconds to build and solve
the run).  The names are unique whatever the names in the file: the bookkeeping columns have no
``:``, and labels are written by :func:`column_label` (quoted where a name or member could be
read as another).  :func:`resolve_column` finds a column by a short form (``profit``).

Runs go in parallel on a local process pool (``workers``; ``1`` runs them in this process) or on
a Dask cluster (``scheduler``: an address ``tcp://host:port``, a ``distributed.Client`` or a
cluster object).  A run that fails (infeasible, an error in the overridden file, an exception,
even a worker process that dies) is a row with its status and message; the sweep goes on.  With
``output`` the rows are appended to a CSV file as they finish (header once), so an interrupted
sweep keeps what finished; at the end the file is rewritten in run order.  Worker processes end
with the sweep: on Ctrl-C, SIGTERM, SIGHUP or an error the pool is stopped; when this process is
killed outright they end by themselves (``PR_SET_PDEATHSIG`` on Linux, a watchdog thread
everywhere); a worker that ends first ends the solver programs it started (such as cbc).

The code is split by concern: :mod:`~goalprog.analysis.grid` (the varied values),
:mod:`~goalprog.analysis.columns` (column names), :mod:`~goalprog.analysis.runner` (runs, the
process pool, Dask), :mod:`~goalprog.analysis.processes` (signals, workers that end with the
sweep), :mod:`~goalprog.analysis.csvsink` (CSV) and :mod:`~goalprog.analysis.chart` (the trade-off
chart); this module holds :func:`sweep` and re-exports the public names of the others.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from ..core.errors import ArgumentError, GoalProgError
from .chart import tradeoff_chart
from .columns import GOAL, LEVEL, SOLVED, VARIABLE, VARY, column_label, column_order, fixed_columns, resolve_column
from .csvsink import CsvSink, write_csv
from .grid import MAX_RUNS, VARY_HINT, parse_range, parse_vary_item, parse_vary_values, vary_lists
from .processes import sigterm_stops_sweep
from .runner import Context, default_workers, run_dask, run_pool, run_serial

__all__ = ["sweep", "parse_vary_item", "parse_vary_values", "parse_range", "tradeoff_chart", "default_workers",
           "SweepInterrupted", "MAX_RUNS", "write_csv", "resolve_column", "column_label", "SOLVED", "VARY", "GOAL",
           "VARIABLE", "LEVEL", "VARY_HINT"]


class SweepInterrupted(KeyboardInterrupt):
    """The sweep was interrupted (Ctrl-C, or SIGTERM or SIGHUP while :func:`sweep` ran in the main
    thread); ``rows`` holds the runs that finished (also in ``output``); ``signum`` is the signal
    (``signal.SIGINT``, ``signal.SIGTERM`` or ``signal.SIGHUP``)."""

    def __init__(self, rows: list, output: Path | None, signum: int = 2):
        super().__init__("sweep interrupted" if signum == 2 else "sweep terminated")
        self.rows = rows
        self.output = output
        self.signum = signum


class _Progress:
    """A rich progress bar on stderr, only when stderr is a terminal."""

    def __init__(self, total: int, enabled: bool, label: str):
        self.bar = None
        self.failed = 0
        if not enabled:
            return
        from rich.console import Console

        console = Console(stderr=True)
        if not console.is_terminal:
            return
        from rich.progress import (BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn,
                                   TimeRemainingColumn)

        self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                            TextColumn("[red]{task.fields[failed]}[/red]"), TimeElapsedColumn(),
                            TextColumn("eta"), TimeRemainingColumn(), console=console, transient=False)
        self.task = self.bar.add_task(label, total=total, failed="")

    def __enter__(self):
        if self.bar is not None:
            self.bar.start()
        return self

    def advance(self, rows: list[dict]) -> None:
        if self.bar is None:
            return
        self.failed += sum(1 for r in rows if r["status"] not in SOLVED)
        self.bar.update(self.task, advance=len(rows), failed=f"{self.failed} failed" if self.failed else "")

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


# ------------------------------------------------------------------------------------------------
# the sweep
# ------------------------------------------------------------------------------------------------

def _check_solve_arguments(method, backend) -> None:
    if method is not None:
        from ..solve.strategies import get_strategy

        try:
            get_strategy(method)
        except GoalProgError as exc:
            raise ArgumentError(list(exc.issues)) from None
    if backend is not None:
        from ..solve.backends.base import get_backend

        get_backend(backend)


def _short_name(name: str, limit: int = 24) -> str:
    """A file name for the progress bar: cut, control characters made visible, markup taken literally."""
    from rich.markup import escape

    from ..core.formatting import terminal_text

    name = name if len(name) <= limit else name[:limit - 3] + "..."
    return escape(terminal_text(name))


def _warm_up(problem, method, backend) -> None:
    """Import the strategy and backend here, before worker processes are forked from this one."""
    from ..solve.backends.base import get_backend
    from ..solve.strategies import get_strategy

    try:
        get_strategy(method or problem.method)
        from ..solve.config import DEFAULT_BACKEND

        get_backend(backend or problem.spec.solve.backend or DEFAULT_BACKEND)
    except GoalProgError:
        pass  # reported by each run


def sweep(path, vary: dict[str, list], *, workers: int | None = None, scheduler=None, method: str | None = None,
          backend: str | None = None, output=None, progress: bool = True, overrides: dict | None = None,
          solver: str | None = None, time_limit: float | None = None, variables: bool = True,
          solver_path=None, data_root=None):
    """Solve the problem file ``path`` once for every combination of the ``vary`` values.

    ``vary`` maps a parameter name or key path (as in :func:`goalprog.load`'s ``overrides``) to a
    list of values, or to text: ``"0.5:3:0.25"`` (a range, stop included when on the grid) or
    ``"v1,v2"``.  Combinations run in the order of :func:`itertools.product` (the last key varies
    fastest); ``run`` numbers them from 0.  ``overrides`` are applied to every run.

    ``workers``: local worker processes (default :func:`default_workers`; ``1`` runs in this
    process).  ``scheduler``: run on a Dask cluster instead: an address (``tcp://host:port``), a
    ``distributed.Client`` or a cluster object with ``scheduler_address``; every worker needs
    goalprog and the problem's data files at the same paths.  ``method``, ``backend``,
    ``solver``, ``time_limit`` and ``solver_path`` (trusted: an executable run as the solver) are
    passed to :meth:`goalprog.Problem.solve`.  ``output``: a CSV
    file that receives each row as its run finishes (replaced if it exists), rewritten in run order
    at the end.  ``progress``: a progress bar on stderr when it is a terminal.  ``variables``:
    include a ``variable:<label>`` column per decision variable.  ``data_root``: a folder data files
    may also be read from, as for :func:`goalprog.load` (every worker gets it).

    Returns a :class:`pandas.DataFrame`, one row per run in run order (columns: see
    :mod:`goalprog.analysis.sweep`).  A run that fails is a row whose ``status`` says so (``infeasible``,
    ``unbounded``, ``error``, ...) with a ``message``.  Raises, before any run, a
    :class:`~goalprog.core.errors.ProblemFileError` for errors in the file,
    :class:`~goalprog.core.errors.ArgumentError` for an unknown key, bad values to vary, an invalid
    ``solver``, ``solver_path`` or ``time_limit`` (the checks of :meth:`goalprog.Problem.solve`) or a
    ``data_root`` that is not a folder, and
    :class:`~goalprog.core.errors.BackendError` for an unusable backend or scheduler; raises
    :class:`SweepInterrupted` (a ``KeyboardInterrupt``) on Ctrl-C, with the finished rows, and on
    SIGTERM or SIGHUP too when called in the main thread with no handler of that signal set (one is
    set for the duration of the runs; the worker processes are ended before it is raised).
    """
    import pandas as pd

    from ..spec.overrides import apply_overrides, check_keys
    from ..problem import build
    from ..spec.loader import load_yaml_file

    from ..spec.files import check_data_root

    root = check_data_root(data_root)
    lists = vary_lists(vary)
    keys = tuple(lists)
    if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
        raise ArgumentError(f"workers must be a whole number >= 1, got {workers!r}")
    _check_solve_arguments(method, backend)
    if output is not None and Path(path).exists() and Path(output).resolve() == Path(path).resolve():
        raise ArgumentError(f"output {output} is the problem file itself; refusing to overwrite it")
    doc = load_yaml_file(path)
    if overrides:
        doc = apply_overrides(doc, {}, overrides, data_root=root)
    check_keys(doc, keys)
    base_dir = str(Path(path).resolve().parent)
    base = build(doc, base_dir, root)  # errors in the file itself are reported now, not once per run
    _warm_up(base, method, backend)
    if solver is not None or solver_path is not None or time_limit is not None:
        from ..solve.config import DEFAULT_BACKEND, check_arguments, executable

        # the checks of the solve configuration every run builds (goalprog.solve.config), made once
        check_arguments({"solver": solver, "solver_path": solver_path, "time_limit": time_limit})
        solver_path = executable(solver_path, backend or base.spec.solve.backend or DEFAULT_BACKEND)
    solve_kwargs = {k: v for k, v in (("method", method), ("backend", backend), ("solver", solver),
                                      ("time_limit", time_limit), ("solver_path", solver_path)) if v is not None}
    ctx = Context(doc, base_dir, keys, solve_kwargs, bool(variables), None if root is None else str(root),
                  fixed_columns(base.overrides))
    tasks = list(enumerate(itertools.product(*lists.values())))
    rows: list[dict] = []
    sink = CsvSink(Path(output), keys) if output is not None else None

    n_workers = workers or default_workers()
    progress_bar = _Progress(len(tasks), progress, f"sweep {_short_name(Path(path).name)}")

    def emit(new_rows: list[dict]) -> None:
        rows.extend(new_rows)
        if sink is not None:
            sink.write(new_rows)
        progress_bar.advance(new_rows)

    try:
        with sigterm_stops_sweep(), progress_bar:
            if scheduler is not None:
                run_dask(ctx, tasks, scheduler, emit)
            elif n_workers == 1 or len(tasks) == 1:
                run_serial(ctx, tasks, emit)
            else:
                run_pool(ctx, tasks, min(n_workers, len(tasks)), emit)
    except KeyboardInterrupt as exc:
        if sink is not None:
            sink.close()
        raise SweepInterrupted(sorted(rows, key=lambda r: r["run"]), sink.path if sink else None,
                               getattr(exc, "signum", 2)) from None
    except BaseException:
        if sink is not None:
            sink.close()
        raise
    rows.sort(key=lambda r: r["run"])
    frame = pd.DataFrame(rows, columns=column_order(rows, keys))
    if sink is not None:
        sink.finish(frame)
    return frame
