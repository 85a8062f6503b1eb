"""The ``goalprog`` click group and its own commands: ``solve`` and ``validate``.

The further sub-commands (``export``, ``schema``, ``sweep``) are in :mod:`goalprog.cli.commands`;
:mod:`goalprog.cli` adds them to :func:`main`.  The console script is ``goalprog.cli:main``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..core.formatting import terminal_text
from .common import (DATA_ROOT, DOCS, EXIT_CODES_HELP, MAX_NONZEROS, VALIDATE_EXIT_HELP, check_suffix, echo_err, guard,
                     exit_on_broken_pipe, import_goalprog, solver_name, status_exit)
from .render import RESULT_TABLES, write_result


MAIN_HELP = f"""goalprog: goal programming from YAML problem files.

    Weighted and preemptive (lexicographic) goal programming, compiled to PuLP, Pyomo or HiGHS
    and solved with HiGHS by default. The problem format is in format.md, the methods in
    methods.md, errors and exit codes in errors.md; the docs are in {DOCS}.
    """


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP, help=MAIN_HELP)
@click.version_option(package_name="goalprog")
def main():
    """The ``goalprog`` command group (its help text is :data:`MAIN_HELP`)."""


_FILE = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))


@main.command(epilog=EXIT_CODES_HELP)
@_FILE
@click.option("--method", "-m", type=click.Choice(["weighted", "preemptive", "lexicographic", "chebyshev", "extended", "meta",
                                                  "fewest_unmet"]),
              help="Goal-programming method (meta: the file's meta_goals; fewest_unmet: the fewest goals unmet, then "
                   "the least total weighted deviation). Default: the file's solve.method, else meta when the file "
                   "has meta_goals, else preemptive when any goal has a priority, else weighted.")
@click.option("--lambda", "lam", type=click.FloatRange(0, 1),
              help="Extended GP: weight of the weighted sum against the min-max part (1 weighted, 0 Chebyshev).")
@click.option("--pareto", type=click.Choice(["off", "check", "restore"]),
              help="Check the plan for Pareto efficiency, and restore an efficient one.")
@click.option("--lock-granularity", type=click.Choice(["level", "goal"]),
              help="Preemptive locks: one row per level (default) or one cap per goal deviation.")
@click.option("--lock-style", type=click.Choice(["auto", "row", "face", "fix"]),
              help="Preemptive LPs: hold earlier levels by lock rows only (row), also by the bounds the lock implies "
                   "through each level's duals (face: the same values), or also fix every column with a nonzero "
                   "reduced cost (fix: Gurobi's rule; later levels cannot trade earlier ones along those columns). "
                   "face and fix need the highs backend. Default auto: face from 2,000 columns, fix from 100,000 "
                   "(highs LPs), else row; see methods.md (goalprog --help says where).")
@click.option("--rates", type=click.Choice(["auto", "on", "off"]),
              help="Preemptive: compute each level's trade-off rate (how much the next level gains per unit this "
                   "level gives up) by re-solving the next level with the lock loosened (three solves per level). Default "
                   "auto: LP chains below 5,000 columns; "
                   "see methods.md (goalprog --help says where).")
@click.option("--alternatives", is_flag=True, default=None,
              help="Also find the plan's alternative optima: each variable's range over every plan that keeps "
                   "every level at its optimum (one LP, or MIP, per end, after screening), and whether the plan "
                   "is unique; see methods.md (goalprog --help says where).")
@click.option("--sensitivity", is_flag=True, default=None,
              help="After solving (LP, weighted or preemptive): each hard constraint's and target's one-sided rates "
                   "(how the achievement changes per unit of its bound or target, from below and from above), how far "
                   "each target can move before its rate changes, and each weight's range over which the plan stays "
                   "optimal; see methods.md (goalprog --help says where).")
@click.option("--sensitivity-ranges", type=click.Choice(["auto", "exact", "basis"]), default=None,
              help="How --sensitivity finds target and weight ranges: exact (re-solves), basis (HiGHS's basis "
                   "ranges: inner bounds, marked basis; fast on large models), auto (default: exact below 1,000 "
                   "columns).")
@click.option("--backend", "-b", type=click.Choice(["pulp", "pyomo", "highs"]),
              help="Modelling backend: highs (default: direct, fastest), pulp or pyomo. Default: the file's solve.backend, else the one that has the solver (pulp for cbc, glpk, gurobi, ...; pyomo for Pyomo-only names), else highs.")
@click.option("--solver", "-s", callback=lambda ctx, param, value: solver_name(value),
              help="Solver name (default highs; e.g. cbc with PuLP, any installed Pyomo solver); never a path.")
@click.option("--solver-path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="TRUSTED: run this executable as the solver (pulp or pyomo backend; the kind of solver from "
                   "--solver, else the file, else the executable's name, else highs). A problem file can never "
                   "name an executable.")
@click.option("--format", "-f", "fmt_", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True,
              help="Output format (table: at most 1,000 rows per table; csv, json: every row).")
@click.option("--output", "-o", type=click.Path(path_type=Path),
              help="Write the output here instead of stdout (for csv: a directory receiving one file per table). "
                   "Like --report and --plot: never the problem file, a data file or a symbolic link; written "
                   "atomically.")
@click.option("--force", is_flag=True, help="Allow --output, --report and --plot to replace existing files "
                                            "(never an input of the run); and --orders all over more than 6 levels.")
@click.option("--orders", "orders", metavar="all|ORDERS",
              help="Preemptive: also solve the chain for every priority order (all: every permutation of the "
                   "levels, at most 6 levels unless --force) or for the orders listed, e.g. '2,1,3;1,3,2' (';' "
                   "between orders, ',' between levels, named by their priority numbers), and group the orders "
                   "that give the same plan (JSON key orders). An order that does not end optimal is named on "
                   "stderr and, when the main solve is optimal, sets the exit code (its status's). See methods.md.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for --orders (the first level's subtrees run in parallel).")
@click.option("--equivalent-weights", "equivalent", is_flag=True,
              help="Preemptive: also give weights under which weighted GP reproduces the plan (the level "
                   "multipliers of Sherali & Soyster 1983, checked by a weighted solve), or say why there are "
                   "none (JSON key equivalent_weights). See methods.md.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Seconds per solve (each preemptive level).")
@click.option("--mip-gap", type=click.FloatRange(min=0), help="Relative MIP gap at which a stage stops (default 0: proven optimal); a stage "
              "stopped at a gap above 0 is reported feasible, with its bound and gap.")
@click.option("--threads", type=click.IntRange(min=1, max=1024), help="Solver threads.")
@click.option("--algorithm", type=click.Choice(["choose", "simplex", "ipm", "pdlp"]),
              help="HiGHS LP algorithm (ipm = interior point with crossover: pays off on large weighted LPs).")
@click.option("--lock-abs-tol", "--slack-abs", "lock_abs_tol", type=click.FloatRange(min=0),
              help="Slack option: later levels may give up this much of each earlier one (absolute; with only "
                   "--lock-rel-tol given, 1e-5).  Default: no slack, the exact lexicographic optimum.")
@click.option("--lock-rel-tol", "--slack-rel", "lock_rel_tol", type=click.FloatRange(min=0),
              help="Slack option, relative to each level's optimum (with only --lock-abs-tol given, 1e-9).")
@click.option("--accept-feasible", is_flag=True, default=None,
              help="Preemptive: lock a level stopped by a limit at its feasible solution and go on (result: feasible).")
@click.option("--option", "solver_option", multiple=True, metavar="NAME=VALUE",
              help="Pass an option to the solver, e.g. --option presolve=off (repeatable). Any option is "
                   "passed on; a problem file's solve.options may only use options that neither read nor write "
                   "files.")
@click.option("--set", "set_items", multiple=True, metavar="NAME=VALUE",
              help="Override a parameter or any key of the file, e.g. --set budget=60000 "
                   "--set goals.waste.weight=2 (repeatable; the file is not changed).")
@click.option("--report", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a self-contained HTML report (levels, goal-attainment chart, tables; the priority "
                   "orders and equivalent weights when asked for; a .html file name).")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the goal-attainment chart as a PNG image (a .png file name).")
@click.option("--verbose", "-v", is_flag=True, help="Show the solver's log.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors (for scripts: read the exit code, "
                                                     "or write results with --output).")
@DATA_ROOT
@MAX_NONZEROS
@click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
@guard
def solve(file, fmt_, output, force, set_items, report, plot, quiet, data_root, debug, orders, jobs, equivalent,
          **flags):
    """Solve the goal program in FILE and print the goal, level and variable tables."""
    goalprog = import_goalprog()

    from ..core.outfiles import Outputs

    outputs = Outputs(force, [file])  # checked before any work; the data files are added once loaded
    targets = {}
    if output is not None:
        extra_csv = (["orders"] if orders else []) + (["equivalent_weights"] if equivalent else [])
        targets["output"] = outputs.folder(output, [f"{n}.csv" for n in RESULT_TABLES + tuple(extra_csv)]) \
            if fmt_ == "csv" \
            else outputs.file(output)
    for extra, option in ((report, "--report"), (plot, "--plot")):
        if extra is not None:
            targets[option] = outputs.file(extra, option)
    if set_items:
        from ..spec.overrides import parse_set_items

        problem = goalprog.load(file, overrides=parse_set_items(set_items), data_root=data_root)
    else:
        problem = goalprog.load(file, data_root=data_root)
    outputs.add_problem(problem, file)
    outputs.ready()  # every output that exists already, named at once
    for extra, option in ((report, "--report"), (plot, "--plot")):
        if extra is not None:  # after the checks that protect the inputs, before any solve
            check_suffix(extra, option)
    picked = _check_tradeoffs(problem, flags, orders, jobs, equivalent, force)
    from ..solve.backends.base import stdout_to_stderr

    # a solver log must not mix into JSON or CSV written to stdout
    with stdout_to_stderr(bool(flags["verbose"]) and fmt_ != "table" and output is None):
        result = problem.solve(**solve_arguments(flags, quiet))
    extras = _tradeoffs(problem, result, flags, quiet, picked, jobs, force, equivalent)
    code = status_exit(result.status)
    exit_on_broken_pipe(extras.exit_code(code, quiet=True) if extras is not None else code)
    if not (quiet and output is None):
        write_result(result, file, fmt_, output, targets.get("output"), quiet, extras)
    if report is not None:
        from ..core.outfiles import write_text
        from ..output.report import MAX_PAGE_ROWS, page_html

        from ..output.tradeoffs_html import tradeoff_sections

        extra = tradeoff_sections(extras.orders, extras.weights, MAX_PAGE_ROWS) if extras is not None else ""
        write_text(targets["--report"], page_html(result, source=str(file), extra=extra))
        if not quiet:
            echo_err(f"wrote the report to {report}")
    if plot is not None:
        from ..core.outfiles import write_bytes
        from ..output.report import chart_png

        write_bytes(targets["--plot"], chart_png(result))
        if not quiet:
            echo_err(f"wrote the chart to {plot}")
    sys.exit(extras.exit_code(code, quiet) if extras is not None else code)  # a failed order: its status's code


SOLVE_COMMAND_PARAMS = ("file", "fmt_", "output", "force", "set_items", "report", "plot", "quiet", "data_root", "debug",
                        "orders", "jobs", "equivalent")
"""The parameters of ``goalprog solve`` that are not solve settings; every other one is a flag
of the solve configuration, passed on by :func:`solve_arguments`."""

FLAG_KEYWORDS = {"solver_option": "solver_options"}
"""A ``goalprog solve`` flag's parameter -> its :meth:`goalprog.Problem.solve` keyword, where the
names differ (the others are the same: :data:`goalprog.solve.config.KEYWORDS`)."""


def _check_tradeoffs(problem, flags, orders, jobs, equivalent, force):
    """Before solving: ``--orders`` read and checked (usage errors, exit 2), the method checked;
    ``--jobs`` without ``--orders`` warned of.  Returns the orders (or ``None``)."""
    from .common import EXIT_USAGE, fail
    from .tradeoffs import check_method

    if jobs and jobs > 1 and orders is None:
        echo_err("goalprog: warning: --jobs runs the orders of --orders in parallel; without --orders it does nothing")
    if orders is None and not equivalent:
        return None
    why = check_method(problem, flags.get("method"))
    if why:
        fail(why, EXIT_USAGE, "leave out --method, or use --method preemptive")
    if orders is None:
        return None
    from ..solve.orders import check_orders

    picked, warnings = check_orders(orders, problem.model.priorities(), force, cli=True)
    return picked, warnings


def _tradeoffs(problem, result, flags, quiet, picked, jobs, force, equivalent):
    """The priority orders and equivalent weights asked for (a :class:`~goalprog.cli.tradeoffs.Extras`), or ``None``."""
    if picked is None and not equivalent:
        return None
    from .tradeoffs import Extras

    kw = solve_arguments(flags, True)
    kw.pop("method", None)
    extras = Extras()
    if picked is not None:
        from ..analysis.orders import solve_orders_parallel

        orders, warnings = picked
        from dataclasses import replace

        found = solve_orders_parallel(problem, orders, jobs=jobs, force=True, **kw)
        extras.orders = replace(found, warnings=tuple(dict.fromkeys(tuple(warnings) + found.warnings)))
    if equivalent:
        extras.weights = problem.equivalent_weights(result, **kw)
    return extras


def solve_arguments(flags: dict, quiet: bool = False) -> dict:
    """The solve flags of ``goalprog solve`` as keywords of :meth:`goalprog.Problem.solve`: a flag
    left off is ``None`` (the file's setting, then the default); ``--option`` items become
    ``solver_options`` (click.BadParameter for an item without ``=``); ``--quiet`` leaves out the
    progress lines."""
    kw = {FLAG_KEYWORDS.get(name, name): value for name, value in flags.items()}
    kw["solver_options"] = _parse_options(kw["solver_options"])
    kw["verbose"] = kw["verbose"] or None  # a flag left off: the file's solve.verbose
    kw["progress"] = None if quiet else _level_progress()
    return kw


def _level_progress():
    """A progress line per priority level on stderr, for long chains in a terminal (a level that
    took a second or more, or when stderr is interactive)."""
    import time

    start = time.perf_counter()
    interactive = sys.stderr.isatty()

    def report(k, n, stage):
        if n < 2 or not (interactive or stage.time >= 1.0):
            return
        value = "" if stage.objective is None else f" {stage.objective:.7g}"
        echo_err(f"  {stage.name} ({k + 1}/{n}): {stage.status.value}{value} in {stage.time:.2f} s "
                  f"(total {time.perf_counter() - start:.1f} s)")

    return report


def _parse_options(items) -> dict:
    out = {}
    for item in items:
        if "=" not in item:
            raise click.BadParameter(f"{item!r}: write NAME=VALUE, e.g. presolve=off", param_hint="--option")
        k, v = item.split("=", 1)
        k, v = k.strip(), v.strip()
        val: object = v
        if v.lower() in ("true", "false"):
            val = v.lower() == "true"
        else:
            try:
                val = int(v)
            except ValueError:
                try:
                    val = float(v)
                except ValueError:
                    val = v
        out[k] = val
    return out


@main.command(epilog=VALIDATE_EXIT_HELP)
@_FILE
@DATA_ROOT
@MAX_NONZEROS
@click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
@guard
def validate(file, data_root, debug):
    """Check FILE (YAML, schema, data, expressions) without solving it, and print the warnings a solve
    with the file's settings would give before any solver runs (zero weights, units mixed, goals the
    bounds decide, ...)."""
    goalprog = import_goalprog()

    problem = goalprog.load(file, data_root=data_root)
    problem.check()
    m = problem.model
    levels = [p for p in m.priorities() if p is not None]
    n_vars = int((m.col_role == 0).sum())
    click.echo(terminal_text(f"{file}") + f": ok: {n_vars} variable{'s' if n_vars != 1 else ''}, "
               f"{m.n_hard} hard constraint row{'s' if m.n_hard != 1 else ''}, "
               f"{len(m.goals)} goal{'s' if len(m.goals) != 1 else ''}, {len(m.objectives)} objective"
               f"{'s' if len(m.objectives) != 1 else ''}; "
               + (f"priority levels {', '.join(map(str, levels))}" if levels else "no priorities")
               + f"; method {problem.method}" + ("" if problem.spec.solve.method else " (default)"))
    for w in _model_warnings(problem):
        click.echo(terminal_text(f"warning: {w}"))


def _model_warnings(problem) -> list[str]:
    """The warnings a solve of ``problem`` with its file's settings gives before any solver runs
    (compiler, zero weights, units, weights as priorities, goals the bounds decide, magnitudes)."""
    from ..model.scaling import magnitude_warnings
    from ..solve.checks import model_warnings
    from ..solve.strategies.common import level_lams

    m = problem.model
    method = problem.method  # the file's, else the default by priorities (no backend is looked at)
    if method == "preemptive":
        levels = m.priorities()
        lams = level_lams(problem.spec.solve.levels)
    else:
        levels = ["all"]
        lams = {"all": {"weighted": 1.0, "chebyshev": 0.0}.get(method, problem.spec.solve.lambda_)}
    given = [p for p in m.priorities() if p is not None]
    out = [f"the {method} method ignores priorities ({len(given)} levels given); every unwanted deviation "
           "is weighed in one objective"] if levels == ["all"] and len(given) > 1 else []
    return list(dict.fromkeys(out + magnitude_warnings(m, levels) + model_warnings(m, levels, lams)))
