"""``goalprog sweep``: what-if sweeps over parameters and keys of a problem file (see :mod:`goalprog.analysis.sweep`)."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

SWEEP_HELP = """Solve FILE once for every combination of --vary values, in parallel, one row per run.

\b
Each --vary is KEY=VALUES (repeatable; all combinations are run). KEY is a
parameter name or a key path of the file, as for 'goalprog solve --set'
(budget, unit_profit.pants, goals.waste.weight, solve.method, ...). VALUES is
  START:STOP:STEP   a range; STOP is included when it is on the grid
                    (exact decimals: 0.1:0.3:0.1 is 0.1, 0.2, 0.3)
  V1,V2,V3          a list, each read as YAML (weighted,preemptive; 1e5,2e5)

\b
Every run gives one row: run, vary:<key> for each varied key, status,
message, method, objective (one-stage methods), level:<p>.achievement
(preemptive), goal:<label>.value/.under/.over for each goal,
variable:<label> for each decision variable, solve_time and run_time
(seconds). Column names never repeat: names from the file are namespaced,
and a label part with [ ] , or " is quoted (g["a,b"]). A run that fails
(infeasible, invalid value, solver error, a crashed worker) is a row with
its status and message; the sweep goes on.

\b
Rows are written as CSV to --output as runs finish (header once; the file is
rewritten in run order at the end, and an interrupted sweep keeps what
finished), else to stdout when all are done. --output is created at the
start (never the problem file, a data file or a link; an existing file only
with --force); text cells starting with = + - @ get a leading ' so that
spreadsheets do not run them as formulas. Runs go to --workers local
processes, or to a Dask cluster with --scheduler; Ctrl-C, SIGTERM or SIGHUP
stops the workers and keeps the finished rows, and workers (and the solver
programs they started) end by themselves if goalprog is killed. --chart draws the values of two goals (--x, --y)
across the runs.

\b
Examples:
  goalprog sweep problems/clothing_factory_weighted.yaml \\
      --vary goals.waste.weight=0.5:3:0.25 --output runs.csv \\
      --chart tradeoff.png --x profit --y waste
  goalprog sweep problems/clothing_factory_indexed.yaml \\
      --vary budget=40000:60000:5000 --vary solve.method=weighted,preemptive
"""

SWEEP_EXIT_HELP = """\b
Exit codes:
  0  the sweep ran (each run's outcome is in its status column)
  1  internal error (a bug)
  2  usage error (a --vary or --set that cannot be read)
  3  the problem file has errors, or a --vary/--set key is not in it
  7  backend, solver or Dask scheduler error
  129  hung up (SIGHUP): the same as SIGTERM
  130  interrupted by Ctrl-C (the finished runs are kept in --output)
  143  stopped by SIGTERM (the same: workers stopped, finished runs kept)
"""


def register(main) -> None:
    from .. import DATA_ROOT, MAX_NONZEROS, guard, solver_name

    @main.command("sweep", help=SWEEP_HELP, epilog=SWEEP_EXIT_HELP, short_help="Solve FILE for many values of parameters or keys.")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--vary", "vary_items", multiple=True, required=True, metavar="KEY=VALUES",
                  help="A key and its values: KEY=START:STOP:STEP or KEY=V1,V2,... (repeatable; all combinations).")
    @click.option("--set", "set_items", multiple=True, metavar="NAME=VALUE",
                  help="Override a parameter or key in every run, as for 'goalprog solve --set' (repeatable).")
    @click.option("--workers", "-j", type=click.IntRange(min=1),
                  help="Local worker processes (default: min(4, CPUs); 1 runs in this process).")
    @click.option("--scheduler", metavar="tcp://HOST:PORT",
                  help="Run on the Dask cluster of this scheduler instead of local processes (needs dask.distributed; "
                       "workers need goalprog and the problem's data files at the same paths).")
    @click.option("--method", "-m", type=click.Choice(["weighted", "preemptive", "lexicographic", "chebyshev", "extended"]),
                  help="Goal-programming method for every run. Default: each run's solve.method, else by priorities.")
    @click.option("--backend", "-b", type=click.Choice(["pulp", "pyomo", "highs"]),
                  help="Modelling backend for every run. Default: the file's solve.backend, else highs.")
    @click.option("--solver", "-s", callback=lambda ctx, param, value: solver_name(value),
                  help="Solver name, as for 'goalprog solve' (never a path).")
    @click.option("--solver-path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
                  help="TRUSTED: run this executable as the solver, as for 'goalprog solve'.")
    @click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Seconds per solve (each preemptive level).")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                  help="CSV file receiving one row per run as runs finish (default: CSV on stdout at the end).")
    @click.option("--force", is_flag=True, help="Allow --output and --chart to replace existing files (never the "
                                                "problem file or a data file it reads).")
    @click.option("--chart", type=click.Path(dir_okay=False, path_type=Path),
                  help="Also draw a trade-off chart (PNG) of two goals' values across the runs; needs matplotlib.")
    @click.option("--x", "x_goal", metavar="GOAL", help="Goal label or column on the chart's x axis (a short form that fits several columns is an error).")
    @click.option("--y", "y_goal", metavar="GOAL", help="Goal label (or column) on the chart's y axis.")
    @click.option("--no-variables", is_flag=True, help="Leave out the variable:<label> columns (for models with many variables).")
    @click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary on stderr.")
    @DATA_ROOT
    @MAX_NONZEROS
    @click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
    @guard
    def sweep_command(file, vary_items, set_items, workers, scheduler, method, backend, solver, solver_path,
                      time_limit, output, force, chart, x_goal, y_goal, no_variables, quiet, data_root, debug):
        _sweep(file, vary_items, set_items, workers, scheduler, method, backend, solver, time_limit, output, force,
               chart, x_goal, y_goal, no_variables, quiet, solver_path, data_root)


def _sweep(file, vary_items, set_items, workers, scheduler, method, backend, solver, time_limit, output, force, chart,
           x_goal, y_goal, no_variables, quiet, solver_path=None, data_root=None) -> None:
    import time

    from .. import EXIT_USAGE, echo_err, fail, stdout_csv
    from ...core.errors import ArgumentError, GoalProgError
    from ...spec.overrides import parse_set_items
    from ...analysis.sweep import SweepInterrupted, parse_vary_item, sweep, tradeoff_chart

    # syntax mistakes in --vary/--set are usage errors (exit 2); unknown keys are found with the file (exit 3)
    vary: dict = {}
    issues = []
    for item in vary_items:
        try:
            key, values = parse_vary_item(item)
        except ArgumentError as exc:
            issues.extend(exc.issues)
            continue
        if key in vary:
            issues.extend(ArgumentError(f"--vary {item!r}: {key!r} is varied twice", hint="give each key once").issues)
            continue
        vary[key] = values
    overrides = {}
    if set_items:
        try:
            overrides = parse_set_items(set_items)
        except ArgumentError as exc:
            issues.extend(exc.issues)
    for key in overrides:
        if key in vary:
            issues.extend(ArgumentError(f"{key!r} is given to both --set and --vary", hint="drop one").issues)
    if issues:
        from ...core.formatting import terminal_text

        raise click.UsageError(terminal_text("\n".join(i.format() for i in issues)))
    if workers is not None and scheduler is not None:
        fail("--workers and --scheduler exclude each other: the Dask cluster has its own workers", EXIT_USAGE)
    if (x_goal or y_goal) and chart is None:
        fail("--x and --y choose the axes of --chart; give --chart FILE.png too", EXIT_USAGE)
    from ...core.outfiles import Outputs, claim, commit, temp_beside

    outputs = Outputs(force, [file])  # resolved paths, not an input, not twice, not a link, --force to replace
    targets = {option: outputs.file(extra, option) for extra, option in ((output, "--output"), (chart, "--chart"))
               if extra is not None}
    problem = None
    if targets:
        import goalprog

        problem = goalprog.load(file, overrides=overrides or None, data_root=data_root)
        outputs.add_problem(problem, file)  # nor a data file of the problem
        outputs.ready()
    if chart is not None:
        import importlib.util

        if importlib.util.find_spec("matplotlib") is None:
            fail("--chart needs matplotlib, which is not installed", 7, "pip install matplotlib")
        x_goal, y_goal = _chart_axes(file, overrides, x_goal, y_goal, tuple(vary), not no_variables, problem,
                                     data_root)
    if output is not None:
        # made now, exclusively without --force: of two sweeps to one new file only one runs
        claim(targets["--output"])

    t0 = time.perf_counter()
    try:
        frame = sweep(file, vary, workers=workers, scheduler=scheduler, method=method, backend=backend,
                      output=targets["--output"].path if output is not None else None,
                      progress=not quiet, overrides=overrides, solver=solver, time_limit=time_limit,
                      variables=not no_variables, solver_path=solver_path, data_root=data_root)
    except GoalProgError:
        if output is not None:  # refused before any run: the empty file claimed above goes again
            _remove_if_empty(targets["--output"].path)
        raise
    except SweepInterrupted as exc:
        hangup = getattr(signal, "SIGHUP", None)
        try:  # after a hang-up stderr may be a terminal that is gone
            if exc.output is not None:
                echo_err(f"goalprog: {len(exc.rows)} finished run{'s' if len(exc.rows) != 1 else ''} "
                          f"kept in {exc.output}")
            elif exc.rows:
                echo_err(f"goalprog: {len(exc.rows)} finished run{'s' if len(exc.rows) != 1 else ''} not kept "
                          f"(give --output to keep the rows of an interrupted sweep)")
            if exc.signum in (signal.SIGTERM, hangup):
                echo_err("goalprog: terminated" if exc.signum == signal.SIGTERM else "goalprog: hung up")
        except OSError:
            pass
        if exc.signum in (signal.SIGTERM, hangup):
            sys.exit(128 + int(exc.signum))
        raise KeyboardInterrupt from None
    elapsed = time.perf_counter() - t0
    if output is None:
        import io

        from ...analysis.sweep import write_csv

        buf = io.StringIO()
        write_csv(frame, buf)
        click.echo(stdout_csv(buf.getvalue()), nl=False)
    from ...analysis.sweep import SOLVED

    if chart is not None and not frame["status"].isin(SOLVED).any():
        click.echo("goalprog: no run has a solution, so no trade-off chart was drawn", err=True)
        chart = None
    if chart is not None:  # drawn beside the target, then moved into place (exclusively without --force)
        tmp = temp_beside(targets["--chart"], suffix=targets["--chart"].path.suffix or ".png")
        try:
            tradeoff_chart(frame, x_goal, y_goal, tmp, title=None)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        commit(tmp, targets["--chart"])
    if not quiet:
        _summary(frame, elapsed, workers, scheduler, output, chart)


def _remove_if_empty(path) -> None:
    """Remove the output file a sweep claimed when nothing was written to it (the sweep was refused)."""
    import os

    try:
        if os.stat(path).st_size == 0:
            os.unlink(path)
    except OSError:
        pass


def _chart_axes(file, overrides, x_goal, y_goal, keys, variables=True, problem=None, data_root=None):
    """Check --x/--y against the columns the sweep will have, before any run (defaults: the file's
    two goals); returns the two column names (see :func:`goalprog.analysis.sweep.resolve_column`)."""
    import goalprog

    from ...core.errors import ArgumentError
    from ...model.ir import ROLE_DECISION
    from ...analysis.sweep import GOAL, LEVEL, VARIABLE, VARY, column_label, resolve_column

    if problem is None:
        problem = goalprog.load(file, overrides=overrides or None, data_root=data_root)
    model = problem.model
    origins = list(model.goals.origins)
    labels = [column_label(o.name, o.index) for o in origins]
    names = list(dict.fromkeys(o.name for o in origins))
    if x_goal is None and y_goal is None:
        if len(labels) == 2:
            return f"{GOAL}{labels[0]}.value", f"{GOAL}{labels[1]}.value"
        raise ArgumentError(f"--chart needs --x GOAL and --y GOAL (the file has {len(labels)} goals)",
                            hint=f"goals: {', '.join(labels[:20])}")
    if x_goal is None or y_goal is None:
        raise ArgumentError("--chart needs both --x GOAL and --y GOAL")
    columns = ["run", "objective", "solve_time", "run_time", *(VARY + k for k in keys)]
    columns += [f"{GOAL}{lab}.{k}" for lab in labels for k in ("value", "under", "over")]
    if variables:
        roles = model.col_role.tolist()
        columns += [VARIABLE + column_label(o.name, o.index) for j, o in enumerate(model.col_origin)
                    if roles[j] == ROLE_DECISION]
    columns += [f"{LEVEL}{'all' if p is None else p}.achievement" for p in model.priorities()]
    out = []
    for opt, g in (("--x", x_goal), ("--y", y_goal)):
        try:
            out.append(resolve_column(g, columns))
        except ArgumentError as exc:
            if g.startswith(("level", LEVEL)):
                out.append(g)  # the levels depend on each run's method: checked on the sweep's columns
                continue
            issue = exc.issues[0]
            hint = issue.hint
            if g in names and g not in labels:
                hint = f"'{g}' is an indexed goal; name one instance: " \
                       f"{', '.join([lab for lab in labels if lab.startswith(g + '[')][:20])}"
            raise ArgumentError(f"{opt}: {issue.message}", hint=hint) from None
    return out[0], out[1]


def _summary(frame, elapsed, workers, scheduler, output, chart) -> None:
    from .. import echo_err
    from ...analysis.sweep import SOLVED, default_workers

    n = len(frame)
    counts = frame["status"].value_counts()
    parts = ", ".join(f"{c} {s}" for s, c in counts.items())
    used = min(workers or default_workers(), n)
    where = "on the Dask cluster" if scheduler else ("in this process" if used <= 1 else f"on {used} processes")
    echo_err(f"sweep: {n} run{'s' if n != 1 else ''} in {elapsed:.2f} s {where}: {parts}")
    failed = frame[~frame["status"].isin(SOLVED)]
    if len(failed):
        shown = failed.drop_duplicates("message").head(3)
        for _, row in shown.iterrows():
            echo_err(f"  run {row['run']} ({row['status']}): {row['message'] or 'no message'}")
        if len(failed) > len(shown):
            click.echo(f"  ... {len(failed)} runs without a solution in all; see the status and message columns", err=True)
    if output is not None:
        echo_err(f"wrote {n} row{'s' if n != 1 else ''} to {output}")
    if chart is not None:
        echo_err(f"wrote the trade-off chart to {chart}")
    sys.stderr.flush()
