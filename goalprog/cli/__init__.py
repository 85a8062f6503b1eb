"""The ``goalprog`` command line: a thin layer over the Python API.

Exit codes (also in ``goalprog --help``):

====  ==================================================================
0     solved to proven optimality (every stage)
1     internal error (a bug: please report it with ``--debug`` output)
2     usage error (unknown option, missing file argument)
3     the problem file has errors (printed as file:line:col: message)
4     infeasible
5     unbounded, or infeasible-or-unbounded
6     stopped at a limit: feasible, not proven optimal
7     backend or solver error (not installed, rejected options, crashed)
====  ==================================================================
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from ..core.formatting import fmt, penalty_text, terminal_text

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_BAD_FILE = 3
EXIT_INFEASIBLE = 4
EXIT_UNBOUNDED = 5
EXIT_NOT_PROVEN = 6
EXIT_SOLVER = 7

EXIT_CODES_HELP = """\b
Exit codes:
  0  solved to proven optimality     4  infeasible
  1  internal error (a bug)          5  unbounded (or infeasible-or-unbounded)
  2  usage error                     6  stopped at a limit, not proven optimal
  3  the problem file has errors     7  backend or solver error
"""

VALIDATE_EXIT_HELP = """\b
Exit codes:
  0  the file is valid               2  usage error
  1  internal error (a bug)          3  the file has errors (printed as file:line:col)
"""


def status_exit(status) -> int:
    from ..core.status import Status

    return {
        Status.OPTIMAL: EXIT_OK,
        Status.INFEASIBLE: EXIT_INFEASIBLE,
        Status.UNBOUNDED: EXIT_UNBOUNDED,
        Status.INFEASIBLE_OR_UNBOUNDED: EXIT_UNBOUNDED,
        Status.FEASIBLE: EXIT_NOT_PROVEN,
        Status.LIMIT_NO_SOLUTION: EXIT_NOT_PROVEN,
        Status.ERROR: EXIT_SOLVER,
        Status.NOT_SOLVED: EXIT_SOLVER,
    }[status]


def _target(row) -> str:
    kind = row["kind"]
    if kind == "at_least":
        return f">= {fmt(row['target'])}"
    if kind == "at_most":
        return f"<= {fmt(row['target'])}"
    if kind == "equal":
        return f"== {fmt(row['target'])}"
    return f"[{fmt(row['target'])}, {fmt(row['target_high'])}]"


MAX_TABLE_ROWS = 1000
"""Rows shown per table (goals, variables, expressions) by the text output; a note gives the rest's
count.  ``-f csv`` and ``-f json`` list every row."""


def _more_rows(console, shown: int, total: int, what: str) -> None:
    if total > shown:
        console.print(f"... {total - shown:,} more {what} not shown (the first {shown:,} of {total:,}); "
                      "-f csv or -f json lists them all")


def _print_table(result, source: str, console) -> None:
    from rich.markup import escape as _markup_escape
    from rich.table import Table as _Table

    def escape(text) -> str:  # rich markup taken literally, control characters shown as \x1b etc.
        return _markup_escape(terminal_text(text))

    def Table(**kw):  # noqa: N802 - a Table whose columns wrap long names instead of cutting them
        t = _Table(**kw)
        add = t.add_column

        def add_column(*a, **k):
            k.setdefault("overflow", "fold")
            return add(*a, **k)

        t.add_column = add_column
        return t

    status = result.status.value
    style = "green" if status == "optimal" else "red"
    console.print(f"[bold]{escape(result.name)}[/bold]  ({escape(source)})")
    solver = result.stages[0].solver if result.stages else result.backend
    console.print(f"method: {escape(result.method)}   backend: {escape(result.backend)}   solver: {escape(solver)}   "
                  f"status: [{style}]{status}[/{style}]")
    if result.message:
        console.print(f"[{style}]{escape(result.message)}[/{style}]")
    for w in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(w)}")
    duals = False
    if result.method == "preemptive":
        t = Table(title="Priority levels", title_justify="left")
        notes = {s.priority: s.message for s in result.stages if s.message}
        levels = result.level_values()
        for lv in levels:
            if lv["improved"] is False and lv["level"] not in notes:
                notes[lv["level"]] = "no better than the plan of the earlier levels"
        duals = any(lv["shadow_price"] is not None for lv in levels)
        cols = ("level", "goals", "sense", "achievement", "status", "lock") + (("trade-off",) if duals else ()) \
            + (("note",) if notes else ())
        for c in cols:
            t.add_column(c, justify="right" if c in ("achievement", "lock", "trade-off") else "left")
        for lv in levels:
            lock = "" if lv["lock"] is None else f"{lv['lock_sense']} {fmt(lv['lock'])}"
            if lv["lock_binding"]:
                lock += " (binding)"
            if lv["lock_style"] in ("face", "fix"):
                lock += " + face" if lv["lock_style"] == "face" else " + fixed"
            row = [str(lv["level"] if lv["level"] is not None else "-"), escape(lv["goals"]), lv["sense"],
                   fmt(lv["achievement"]) if result.has_solution else "", lv["status"], lock]
            if duals:
                row.append(fmt(lv["shadow_price"]))
            if notes:
                row.append(escape(notes.get(lv["level"], "")))
            t.add_row(*row)
        console.print(t)
    if duals:
        console.print("trade-off: the shadow price of the lock, i.e. how much the next level gains per unit this "
                      "level gives up (a degenerate LP may have several valid prices)")
    if not result.has_solution:
        console.print("No solution to report: no variable values are shown.")
        return
    binding = result.binding_constraints()
    if binding:
        shown = ", ".join(binding[:10]) + (f" and {len(binding) - 10} more" if len(binding) > 10 else "")
        console.print(f"binding hard constraints: {escape(shown)}")
    if result.method != "preemptive":
        what = {"weighted": "weighted sum of unwanted deviations", "chebyshev": "largest weighted unwanted deviation",
                "extended": f"(1 - {fmt(result.lam)}) x largest + {fmt(result.lam)} x sum of weighted unwanted deviations"
                }[result.method]
        if result.model.objectives:
            what += ", minus maximised and plus minimised objectives"
        console.print(f"achievement ({what}): {fmt(result.objective)}")
    if result.pareto is not None:
        console.print(f"Pareto efficiency: {escape(result.pareto.message)}"
                      + (f" (improvement {fmt(result.pareto.improvement)})" if result.pareto.dominated else ""))
    t = Table(title="Goals", title_justify="left") if len(result.model.goals) else None
    for c in ("goal", "target", "value", "under", "over", "met", "penalty", "weighted") if t is not None else ():
        t.add_column(c, justify="left" if c in ("goal", "target", "met", "penalty") else "right")
    goal_rows = result._goal_rows()
    for row in goal_rows[:MAX_TABLE_ROWS]:
        t.add_row(escape(row["label"]), _target(row), fmt(row["value"]), fmt(row["under"]), fmt(row["over"]),
                  "[green]yes[/green]" if row["met"] else "[red]no[/red]", penalty_text(row), fmt(row["contribution"]))
    if t is not None:
        console.print(t)
        _more_rows(console, MAX_TABLE_ROWS, len(goal_rows), "goal instances")
    if result.model.objectives:
        t = Table(title="Objectives", title_justify="left")
        for c in ("objective", "sense", "priority", "weight", "value"):
            t.add_column(c, justify="right" if c in ("value", "weight") else "left")
        for o in result.model.objectives:
            t.add_row(escape(o.origin.label), o.sense, str(o.priority if o.priority is not None else "-"), fmt(o.weight),
                      fmt(o.expr.value(result.x)))
        console.print(t)
    t = Table(title="Variables", title_justify="left")
    t.add_column("variable")
    t.add_column("value", justify="right")
    cols = result._instances("variable", MAX_TABLE_ROWS)
    for label, value in zip(cols["label"], cols["value"]):
        t.add_row(escape(label), fmt(value))
    console.print(t)
    _more_rows(console, MAX_TABLE_ROWS, cols["total"], "variable instances")
    cols = result._instances("expression", MAX_TABLE_ROWS)
    if cols["total"]:
        t = Table(title="Expressions", title_justify="left")
        t.add_column("expression")
        t.add_column("value", justify="right")
        for label, value in zip(cols["label"], cols["value"]):
            t.add_row(escape(label), fmt(value))
        console.print(t)
        _more_rows(console, MAX_TABLE_ROWS, cols["total"], "expression instances")


def _csv_tables(result) -> dict:
    tables = {"goals": result.goals, "variables": result.variables, "expressions": result.expressions,
              "stages": result.stages_table}
    if result.method == "preemptive":
        tables["levels"] = result.levels
    return tables


def _import_goalprog():
    """``goalprog`` with its solver side imported (numpy, pydantic, the compiler).

    ``import goalprog`` alone is cheap (``goalprog --help`` needs no more); the commands that load
    a problem import the rest here.  The imports create some 60,000 objects that live as long as
    the process (modules, classes, functions): the garbage collector is paused while they are made
    and then told to leave them alone (``gc.freeze``) instead of tracing them again during the run.
    Objects made later are collected as usual.  (About 6 % of the instructions of ``goalprog solve``
    on a small file.)

    pydantic plugins are not loaded for goalprog's own schema: building the schema's validators
    would otherwise make pydantic read the entry points of every installed distribution (about 1 %
    of a small solve; an installed plugin such as logfire's adds its own imports, reported at over
    0.1 s), to observe validation that is internal to the command.  ``PYDANTIC_DISABLE_PLUGINS=1``
    is set for this import only, and only when the variable is not set already: a value of your own
    (an empty one loads every plugin) is respected, and no child process inherits ours.
    """
    import gc
    import os

    import goalprog

    if "goalprog.problem" in sys.modules:  # imported already (the CLI called from Python): nothing to do
        return goalprog
    plugins_default = "PYDANTIC_DISABLE_PLUGINS" not in os.environ
    if plugins_default:
        os.environ["PYDANTIC_DISABLE_PLUGINS"] = "1"
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        import goalprog.problem  # noqa: F401
    finally:
        if was_enabled:
            gc.enable()
        if plugins_default:
            os.environ.pop("PYDANTIC_DISABLE_PLUGINS", None)
    gc.freeze()
    return goalprog


def fail(message: str, code: int, hint: str | None = None):
    echo_err(f"goalprog: {message}")
    if hint:
        echo_err(f"  hint: {hint}")
    sys.exit(code)


class _Ctx:
    debug = False


def guard(fn):
    """Map errors to messages and exit codes; ``--debug`` shows tracebacks."""
    import functools

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        from ..core.errors import ArgumentError, BackendError, GoalProgError, ProblemFileError, ReportError, SolverError

        debug = kwargs.get("debug", False)
        try:
            try:
                return fn(*args, **kwargs)
            finally:
                sys.stdout.flush()  # a closed pipe shows up here, inside the guard
        except ProblemFileError as exc:
            if debug:
                raise
            echo_err(exc.format())
            n = len(exc.issues)
            done = {"validate": "", "export": "; nothing was written", "schema": ""}.get(fn.__name__, "; nothing was solved")
            click.echo(f"goalprog: {n} error{'s' if n != 1 else ''} in the problem{done}", err=True)
            sys.exit(EXIT_BAD_FILE)
        except (ArgumentError, ReportError, BackendError, SolverError, GoalProgError) as exc:
            if debug:
                raise
            code = EXIT_USAGE if isinstance(exc, (ArgumentError, ReportError)) else \
                EXIT_SOLVER if isinstance(exc, (BackendError, SolverError)) else EXIT_BAD_FILE
            echo_err(("goalprog: " if code != EXIT_BAD_FILE else "") + exc.format())
            sys.exit(code)
        except KeyboardInterrupt:
            click.echo("goalprog: interrupted", err=True)
            sys.exit(130)
        except BrokenPipeError:  # output piped into e.g. `head`, which stopped reading: not an error
            import os

            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            sys.exit(0)
        except (SystemExit, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as exc:  # a bug: say so, without a traceback unless asked
            if debug:
                raise
            echo_err(f"goalprog: internal error: {type(exc).__name__}: {exc}")
            click.echo("  this is a bug in goalprog; run again with --debug and report the traceback", err=True)
            sys.exit(EXIT_INTERNAL)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]}, epilog=EXIT_CODES_HELP)
@click.version_option(package_name="goalprog")
def main():
    """goalprog: goal programming from YAML problem files.

    Weighted and preemptive (lexicographic) goal programming, compiled to PuLP, Pyomo or HiGHS
    and solved with HiGHS by default. See docs/format.md for the problem format.
    """


_FILE = click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
DATA_ROOT_HELP = ("Also read data files under DIR. Without it a problem file reads data only from its own folder and "
                  "below (links followed must stay inside); give it only for problems you trust.")
DATA_ROOT = click.option("--data-root", type=click.Path(exists=True, file_okay=False, path_type=Path), metavar="DIR",
                          help=DATA_ROOT_HELP)


def _set_max_nonzeros(ctx, param, value):
    if value is not None:
        from ..core.limits import set_default_max_nonzeros

        set_default_max_nonzeros(value)


MAX_NONZEROS = click.option(
    "--max-nonzeros", type=click.IntRange(min=1), expose_value=False, callback=_set_max_nonzeros, metavar="N",
    help="Refuse models larger than N nonzero coefficients (default 50,000,000); sets, variables and the "
         "bindings of one item may have N/10 members or instances. Raise it for a big model on a big machine.")


@main.command(epilog=EXIT_CODES_HELP)
@_FILE
@click.option("--method", "-m", type=click.Choice(["weighted", "preemptive", "lexicographic", "chebyshev", "extended"]),
              help="Goal-programming method. Default: the file's solve.method, else preemptive when any goal has a priority, else weighted.")
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
                   "(highs LPs), else row; see docs/methods.md.")
@click.option("--backend", "-b", type=click.Choice(["pulp", "pyomo", "highs"]),
              help="Modelling backend: highs (default: direct, fastest), pulp or pyomo. Default: the file's solve.backend, else highs.")
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
                                            "(never an input of the run).")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Seconds per solve (each preemptive level).")
@click.option("--mip-gap", type=click.FloatRange(min=0), help="Relative MIP gap at which a stage counts as solved.")
@click.option("--threads", type=click.IntRange(min=1, max=1024), help="Solver threads.")
@click.option("--algorithm", type=click.Choice(["choose", "simplex", "ipm", "pdlp"]),
              help="HiGHS LP algorithm (ipm = interior point with crossover: pays off on large weighted LPs).")
@click.option("--lock-abs-tol", type=click.FloatRange(min=0), help="Absolute lock tolerance of preemptive levels (default 1e-5).")
@click.option("--lock-rel-tol", type=click.FloatRange(min=0), help="Relative lock tolerance of preemptive levels (default 1e-9).")
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
              help="Also write a self-contained HTML report (levels, goal-attainment chart, tables).")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the goal-attainment chart as a PNG image.")
@click.option("--verbose", "-v", is_flag=True, help="Show the solver's log.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors (for scripts: read the exit code, "
                                                     "or write results with --output).")
@DATA_ROOT
@MAX_NONZEROS
@click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
@guard
def solve(file, method, lam, pareto, lock_granularity, lock_style, backend, solver, solver_path, fmt_, output, force,
          time_limit, mip_gap, threads,
          algorithm, lock_abs_tol, lock_rel_tol, accept_feasible, solver_option, set_items, report, plot, verbose, quiet,
          data_root, debug):
    """Solve the goal program in FILE and print the goal, level and variable tables."""
    goalprog = _import_goalprog()

    from ..core.outfiles import Outputs

    outputs = Outputs(force, [file])  # checked before any work; the data files are added once loaded
    targets = {}
    if output is not None:
        targets["output"] = outputs.folder(output, [f"{n}.csv" for n in RESULT_TABLES]) if fmt_ == "csv" \
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
    from ..solve.backends.base import stdout_to_stderr

    # a solver log must not mix into JSON or CSV written to stdout
    with stdout_to_stderr(bool(verbose) and fmt_ != "table" and output is None):
        result = problem.solve(method=method, backend=backend, solver=solver, time_limit=time_limit, mip_gap=mip_gap,
                               threads=threads, lock_abs_tol=lock_abs_tol, lock_rel_tol=lock_rel_tol,
                               verbose=verbose or None, accept_feasible=accept_feasible,
                               solver_options=_parse_options(solver_option), lam=lam, pareto=pareto,
                               lock_granularity=lock_granularity, algorithm=algorithm, lock_style=lock_style,
                               progress=None if quiet else _level_progress(), solver_path=solver_path)
    if not (quiet and output is None):
        _write_result(result, file, fmt_, output, targets.get("output"), quiet)
    if report is not None:
        from ..core.outfiles import write_text
        from ..output.report import page_html

        write_text(targets["--report"], page_html(result, source=str(file)))
        if not quiet:
            echo_err(f"wrote the report to {report}")
    if plot is not None:
        from ..core.outfiles import write_bytes
        from ..output.report import chart_png

        write_bytes(targets["--plot"], chart_png(result))
        if not quiet:
            echo_err(f"wrote the chart to {plot}")
    sys.exit(status_exit(result.status))


def solver_name(value):
    """``--solver`` is a solver's name; a path there is a usage error (exit 2)."""
    if value is not None:
        from ..spec.solvers import is_path_like, short

        if is_path_like(value):
            raise click.BadParameter(f"{short(value)!r} is a path, not a solver name (highs, cbc, glpk, ...); "
                                     "to run an executable as the solver, give --solver-path PATH (and the "
                                     "kind of solver with --solver NAME)", param_hint="--solver")
    return value


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


def _console(**kwargs):
    """A rich Console that treats a closed pipe (``goalprog solve ... | head``) as a normal end."""
    from rich.console import Console

    class _Quiet(Console):
        def on_broken_pipe(self) -> None:
            import os

            try:
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            except (OSError, ValueError):
                pass
            raise SystemExit(0)

    return _Quiet(**kwargs)


RESULT_TABLES = ("goals", "variables", "expressions", "stages", "levels")


def _write_result(result, file, fmt_, output, target=None, quiet: bool = False) -> None:
    try:
        _write_result_inner(result, file, fmt_, output, target, quiet)
    except OSError as exc:
        if isinstance(exc, BrokenPipeError):
            raise
        fail(f"cannot write {output if output is not None else 'the output'}: {exc.strerror or exc}", EXIT_USAGE,
              "choose another --output path")


def stdout_csv(text: str) -> str:
    """CSV for stdout: control characters in cells are escaped when stdout is a terminal (in a
    pipe or file the cells stay as they are; formula cells are neutralised either way)."""
    if sys.stdout.isatty():
        return terminal_text(text.replace("\r\n", "\n"))
    return text


def _write_result_inner(result, file, fmt_, output, target=None, quiet: bool = False) -> None:
    from ..core.outfiles import Outputs, spreadsheet_frame, write_text

    if output is not None and target is None:  # called without a check: check now
        outputs = Outputs(False, [file])
        target = outputs.folder(output, [f"{n}.csv" for n in RESULT_TABLES]) if fmt_ == "csv" else outputs.file(output)
        outputs.ready()
    if fmt_ == "json":
        d = result.to_dict()
        d["file"] = str(file)
        text = json.dumps(d, indent=2)  # ASCII only: control characters are written as \u001b
        _emit(text, target)
    elif fmt_ == "csv":
        tables = _csv_tables(result)
        if output is not None:
            for name in RESULT_TABLES:  # --force replaces the whole set: no stale table is left behind
                if name not in tables and target[f"{name}.csv"].path.is_file():
                    target[f"{name}.csv"].path.unlink()
            for name, df in tables.items():
                write_text(target[f"{name}.csv"], spreadsheet_frame(df).to_csv(index=False))
            if not quiet:
                echo_err(f"wrote {', '.join(f'{n}.csv' for n in tables)} to {output}")
        else:
            chunks = []
            for name, df in tables.items():
                chunks.append(f"# {name}\n" + spreadsheet_frame(df).to_csv(index=False))
            click.echo(stdout_csv("\n".join(chunks)), nl=False)
    else:
        if output is not None:
            import io

            buf = io.StringIO()
            _print_table(result, str(file), _console(file=buf, width=120, no_color=True))
            write_text(target, buf.getvalue())
        else:
            console = _console(highlight=False)
            if not console.is_terminal:
                console = _console(highlight=False, width=120)
            _print_table(result, str(file), console)


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


def _emit(text: str, output) -> None:
    """``text`` to stdout, or to the checked output ``output`` (an :class:`~goalprog.core.outfiles.Target`)."""
    if output is None:
        click.echo(text)
    else:
        from ..core.outfiles import write_text

        write_text(output, text + "\n")


def echo_err(text: str) -> None:
    """A line on stderr with control characters made visible (see :func:`~goalprog.core.formatting.terminal_text`)."""
    click.echo(terminal_text(text), err=True)


@main.command(epilog=VALIDATE_EXIT_HELP)
@_FILE
@DATA_ROOT
@MAX_NONZEROS
@click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
@guard
def validate(file, data_root, debug):
    """Check FILE (YAML, schema, data, expressions) without solving it."""
    goalprog = _import_goalprog()

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


def _register_commands() -> None:
    from .commands import register_all

    register_all(main)


_register_commands()


if __name__ == "__main__":  # pragma: no cover
    main()
