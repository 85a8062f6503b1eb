"""``goalprog sweep``: what-if sweeps over parameters and keys of a problem file (see :mod:`goalprog.sweep`)."""

from __future__ import annotations

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
Every run gives one row: run, the varied values, status, message, method,
objective (one-stage methods), level_<p>.achievement (preemptive),
<goal>.value/.under/.over for each goal, var.<name> for each decision
variable, solve_time and run_time (seconds). A run that fails (infeasible,
invalid value, solver error, a crashed worker) is a row with its status and
message; the sweep goes on.

\b
Rows are written as CSV to --output as runs finish (header once; the file is
rewritten in run order at the end, and an interrupted sweep keeps what
finished), else to stdout when all are done. Runs go to --workers local
processes, or to a Dask cluster with --scheduler. --chart draws the values
of two goals (--x, --y) across the runs.

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
  130  interrupted (the finished runs are kept in --output)
"""


def register(main) -> None:
    from ..cli import MAX_NONZEROS, _guard

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
                  help="Modelling backend for every run. Default: the file's solve.backend, else pulp.")
    @click.option("--solver", "-s", help="Solver name, as for 'goalprog solve'.")
    @click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Seconds per solve (each preemptive level).")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                  help="CSV file receiving one row per run as runs finish (default: CSV on stdout at the end).")
    @click.option("--force", is_flag=True, help="Allow --output and --chart to replace existing files.")
    @click.option("--chart", type=click.Path(dir_okay=False, path_type=Path),
                  help="Also draw a trade-off chart (PNG) of two goals' values across the runs; needs matplotlib.")
    @click.option("--x", "x_goal", metavar="GOAL", help="Goal (or column) on the chart's x axis.")
    @click.option("--y", "y_goal", metavar="GOAL", help="Goal (or column) on the chart's y axis.")
    @click.option("--no-variables", is_flag=True, help="Leave out the var.<name> columns (for models with many variables).")
    @click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary on stderr.")
    @MAX_NONZEROS
    @click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
    @_guard
    def sweep_command(file, vary_items, set_items, workers, scheduler, method, backend, solver, time_limit, output,
                      force, chart, x_goal, y_goal, no_variables, quiet, debug):
        _sweep(file, vary_items, set_items, workers, scheduler, method, backend, solver, time_limit, output, force,
               chart, x_goal, y_goal, no_variables, quiet)


def _sweep(file, vary_items, set_items, workers, scheduler, method, backend, solver, time_limit, output, force, chart,
           x_goal, y_goal, no_variables, quiet) -> None:
    import time

    from ..cli import EXIT_USAGE, _check_output, _fail
    from ..errors import ArgumentError
    from ..overrides import parse_set_items
    from ..sweep import SweepInterrupted, parse_vary_item, sweep, tradeoff_chart

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
        raise click.UsageError("\n".join(i.format() for i in issues))
    if workers is not None and scheduler is not None:
        _fail("--workers and --scheduler exclude each other: the Dask cluster has its own workers", EXIT_USAGE)
    if (x_goal or y_goal) and chart is None:
        _fail("--x and --y choose the axes of --chart; give --chart FILE.png too", EXIT_USAGE)
    for extra in (output, chart):
        if extra is not None:
            _check_output(extra, file, force, directory=False)
    if output is not None and chart is not None and output.resolve() == chart.resolve():
        _fail("--output and --chart name the same file", EXIT_USAGE)
    if chart is not None:
        import importlib.util

        if importlib.util.find_spec("matplotlib") is None:
            _fail("--chart needs matplotlib, which is not installed", 7, "pip install matplotlib")
        x_goal, y_goal = _chart_axes(file, overrides, x_goal, y_goal, tuple(vary))

    t0 = time.perf_counter()
    try:
        frame = sweep(file, vary, workers=workers, scheduler=scheduler, method=method, backend=backend, output=output,
                      progress=not quiet, overrides=overrides, solver=solver, time_limit=time_limit,
                      variables=not no_variables)
    except SweepInterrupted as exc:
        if exc.output is not None:
            click.echo(f"goalprog: {len(exc.rows)} finished run{'s' if len(exc.rows) != 1 else ''} "
                       f"kept in {exc.output}", err=True)
        raise KeyboardInterrupt from None
    elapsed = time.perf_counter() - t0
    if output is None:
        import io

        from ..sweep import write_csv

        buf = io.StringIO()
        write_csv(frame, buf)
        click.echo(buf.getvalue(), nl=False)
    from ..sweep import SOLVED

    if chart is not None and not frame["status"].isin(SOLVED).any():
        click.echo("goalprog: no run has a solution, so no trade-off chart was drawn", err=True)
        chart = None
    if chart is not None:
        tradeoff_chart(frame, x_goal, y_goal, chart, title=None)
    if not quiet:
        _summary(frame, elapsed, workers, scheduler, output, chart)


def _chart_axes(file, overrides, x_goal, y_goal, keys):
    """Check --x/--y against the goals of the file before any run (defaults: its two goals)."""
    import goalprog

    from ..errors import ArgumentError, did_you_mean

    problem = goalprog.load(file, overrides=overrides or None)
    labels = [o.label for o in problem.model.goals.origins]
    names = list(dict.fromkeys([o.name for o in problem.model.goals.origins]))
    if x_goal is None and y_goal is None:
        if len(labels) == 2:
            return labels[0], labels[1]
        raise ArgumentError(f"--chart needs --x GOAL and --y GOAL (the file has {len(labels)} goals)",
                            hint=f"goals: {', '.join(labels[:20])}")
    if x_goal is None or y_goal is None:
        raise ArgumentError("--chart needs both --x GOAL and --y GOAL")
    columns = {"objective", "solve_time", "run_time", *keys}
    for opt, g in (("--x", x_goal), ("--y", y_goal)):
        base = g[:-len(".value")] if g.endswith(".value") else g
        if base not in labels and g not in columns and not g.startswith(("var.", "level_")) \
                and not any(g == f"{lab}.{k}" for lab in labels for k in ("under", "over")):
            hint = did_you_mean(base, list(dict.fromkeys(labels + names + sorted(columns)))) or \
                f"goals: {', '.join(labels[:20])}"
            if base in names:
                hint = f"'{base}' is an indexed goal; name one instance: {', '.join(l for l in labels if l.startswith(base + '['))}"
            raise ArgumentError(f"{opt} {g!r}: no such goal in {file}", hint=hint)
    return x_goal, y_goal


def _summary(frame, elapsed, workers, scheduler, output, chart) -> None:
    from ..sweep import SOLVED, default_workers

    n = len(frame)
    counts = frame["status"].value_counts()
    parts = ", ".join(f"{c} {s}" for s, c in counts.items())
    used = min(workers or default_workers(), n)
    where = "on the Dask cluster" if scheduler else ("in this process" if used <= 1 else f"on {used} processes")
    click.echo(f"sweep: {n} run{'s' if n != 1 else ''} in {elapsed:.2f} s {where}: {parts}", err=True)
    failed = frame[~frame["status"].isin(SOLVED)]
    if len(failed):
        shown = failed.drop_duplicates("message").head(3)
        for _, row in shown.iterrows():
            click.echo(f"  run {row['run']} ({row['status']}): {row['message'] or 'no message'}", err=True)
        if len(failed) > len(shown):
            click.echo(f"  ... {len(failed)} runs without a solution in all; see the status and message columns", err=True)
    if output is not None:
        click.echo(f"wrote {n} row{'s' if n != 1 else ''} to {output}", err=True)
    if chart is not None:
        click.echo(f"wrote the trade-off chart to {chart}", err=True)
    sys.stderr.flush()
