"""``goalprog frontier``: the exact Pareto frontier between two goals or priority levels (see
:mod:`goalprog.solve.frontier`)."""

from __future__ import annotations

import json
from pathlib import Path

import click

FRONTIER_HELP = """The exact Pareto frontier between two goals (or priority levels) A and B of FILE.

\b
A and B name a goal (profit), one instance of an indexed goal (demand[3]),
a priority level (level:2) or a plain maximize/minimize objective. For a
goal the quantity traded is its unwanted deviation (goal units); for a
level, its achievement function. Every other goal is held no worse than in
the current plan (the plan 'goalprog solve FILE' gives): each unwanted
deviation capped at its current value. So the frontier shows what each
unit of A costs in B with nothing else given up, and the current plan (of
the weighted or preemptive method) is one of its points.

\b
Method: the two ends are the lexicographic optima (A then B, B then A, with
exact locks); between them, the dichotomic weight search of Aneja & Nair
(1979) solves one weighted LP per breakpoint plus one per edge, no grid:
every breakpoint of an LP's frontier is found exactly. With integer
variables the search gives the supported points; --step (in B's units) adds
an epsilon-constraint sweep that finds the unsupported ones (the
'supported' column says which are which).

\b
One row per breakpoint: the goals' achieved values (columns named after
the goals), their deviations (<goal>.deviation) or levels' achievements
(level:N), rate (A's units given up per unit of B gained, to the next
point), weight:<A>, weight:<B> (the weights that gave the point), epsilon,
supported, method, and variable:<label> with --variables.

\b
The method, the holding rule and when to use which: tradeoffs.md in the
docs (goalprog --help says where).

\b
Examples:
  goalprog frontier problems/clothing_factory_preemptive.yaml --between profit waste
  goalprog frontier problems/clothing_factory_preemptive.yaml --between profit waste \\
      --format csv --output frontier.csv --plot frontier.png
  goalprog frontier FILE --between level:1 level:2
"""

FRONTIER_EXIT_HELP = """\b
Exit codes:
  0  the frontier was computed
  2  usage error (an unknown goal or level, two overlapping ones, a bad --step)
  3  the problem file has errors
  4, 5, 6  the current plan is infeasible, unbounded, or not proven optimal
  7  backend or solver error
"""


def register(main) -> None:
    from .. import DATA_ROOT, MAX_NONZEROS, guard, solver_name

    @main.command("frontier", help=FRONTIER_HELP, epilog=FRONTIER_EXIT_HELP,
                  short_help="The exact Pareto frontier between two goals or levels.")
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--between", nargs=2, required=True, metavar="A B",
                  help="The two goals (name or instance label), levels (level:N) or objectives to trade.")
    @click.option("--format", "-f", "fmt_", type=click.Choice(["table", "csv", "json"]), default="table",
                  show_default=True, help="Output format.")
    @click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path),
                  help="Write the output to this file instead of stdout.")
    @click.option("--plot", type=click.Path(dir_okay=False, path_type=Path),
                  help="Also draw the frontier, with the current plan marked, as a PNG file.")
    @click.option("--force", is_flag=True, help="Allow --output and --plot to replace existing files (never the "
                                                "problem file or a data file it reads).")
    @click.option("--step", type=click.FloatRange(min=0, min_open=True),
                  help="Integer models: the epsilon-constraint step, in B's units (e.g. 1 for whole-number goals); "
                       "finds the unsupported points. Ignored (with a warning) for an LP.")
    @click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
                  help="Worker processes for the independent solves (the two ends, each round of the weighted "
                       "search); 1 solves them in this process, on one warm-started session.")
    @click.option("--variables", is_flag=True, help="Add the plan's decision variables (variable:<label>) to each row.")
    @click.option("--set", "set_items", multiple=True, metavar="NAME=VALUE",
                  help="Override a parameter or key, as for 'goalprog solve --set' (repeatable).")
    @click.option("--method", "-m", type=click.Choice(["weighted", "preemptive", "lexicographic", "chebyshev", "extended"]),
                  help="Method of the current plan. Default: the file's solve.method, else by priorities.")
    @click.option("--backend", "-b", type=click.Choice(["pulp", "pyomo", "highs"]),
                  help="Modelling backend. Default: the file's solve.backend, else highs.")
    @click.option("--solver", "-s", callback=lambda ctx, param, value: solver_name(value),
                  help="Solver name, as for 'goalprog solve' (never a path).")
    @click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Seconds per solve.")
    @click.option("--quiet", "-q", is_flag=True, help="No summary on stderr.")
    @DATA_ROOT
    @MAX_NONZEROS
    @click.option("--debug", is_flag=True, help="Show Python tracebacks on errors.")
    @guard
    def frontier(file, between, fmt_, output, plot, force, step, jobs, variables, set_items, method, backend, solver,
                 time_limit, quiet, data_root, debug):
        _frontier(file, between, fmt_, output, plot, force, step, variables, set_items, method, backend, solver,
                  time_limit, quiet, data_root, jobs)


def _frontier(file, between, fmt_, output, plot, force, step, variables, set_items, method, backend, solver,
              time_limit, quiet, data_root, jobs=1) -> None:
    import sys

    import goalprog

    from .. import echo_err, status_exit, stdout_csv
    from ...core.outfiles import Outputs, commit, spreadsheet_frame, temp_beside, write_text
    from ...solve.frontier import resolve_measure

    overrides = None
    if set_items:
        from ...spec.overrides import parse_set_items

        overrides = parse_set_items(set_items)
    problem = goalprog.load(file, overrides=overrides, data_root=data_root)
    a, b = between
    for name in (a, b):
        resolve_measure(problem.model, name)  # an unknown name is a usage error before any solve
    outputs = Outputs(force, [file])
    targets = {opt: outputs.file(path, opt) for path, opt in ((output, "--output"), (plot, "--plot")) if path is not None}
    if targets:
        outputs.add_problem(problem, file)
        outputs.ready()
    if plot is not None:
        from ..common import check_suffix

        check_suffix(plot, "--plot")
    if plot is not None:
        import importlib.util

        if importlib.util.find_spec("matplotlib") is None:
            from .. import fail

            fail("--plot needs matplotlib, which is not installed", 7, "pip install matplotlib")
    keywords = {k: v for k, v in (("method", method), ("backend", backend), ("solver", solver),
                                  ("time_limit", time_limit)) if v is not None}
    current = problem.solve(**keywords)
    if current.status.value != "optimal" or current.x is None:
        echo_err(f"goalprog: the current plan is {current.status.value}, so there is no frontier to trace"
                 + (f": {current.message}" if current.message else ""))
        sys.exit(status_exit(current.status) or 7)
    if jobs > 1:
        from ...analysis.frontier_pool import process_pool

        with process_pool(jobs) as pool:
            result = problem.frontier(a, b, step=step, current=current, executor=pool, **keywords)
    else:
        result = problem.frontier(a, b, step=step, current=current, **keywords)
    if fmt_ == "json":
        d = result.to_dict(variables)
        d["file"] = str(file)
        text = json.dumps(d, indent=2) + "\n"
    elif fmt_ == "csv":
        text = spreadsheet_frame(result.table(variables)).to_csv(index=False)
    else:
        text = _text(result, variables, str(file))
    if output is not None:
        write_text(targets["--output"], text)
    else:
        click.echo(stdout_csv(text) if fmt_ == "csv" else text, nl=False)
    if plot is not None:
        from ...output.frontier_chart import draw_frontier

        tmp = temp_beside(targets["--plot"], suffix=".png")
        try:
            draw_frontier(result, tmp)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
        commit(tmp, targets["--plot"])
    if not quiet:
        for w in result.warnings:
            echo_err(f"warning: {w}")
        echo_err(f"frontier: {result.n_points} point{'s' if result.n_points != 1 else ''}, {result.solves} solves, "
                 f"{result.time:.2f} s")
        if output is not None:
            echo_err(f"wrote the frontier to {output}")
        if plot is not None:
            echo_err(f"wrote the frontier chart to {plot}")


def _text(result, variables: bool, source: str) -> str:
    """The frontier as a plain-text table, with the held goals, the notes and the current plan."""
    import math

    from ...core.formatting import fmt, terminal_text

    df = result.table(variables)
    lines = [f"{terminal_text(getattr(result.model, 'name', ''))}  ({terminal_text(source)})",
             f"frontier between {terminal_text(result.a)} and {terminal_text(result.b)}: {result.n_points} "
             f"point{'s' if result.n_points != 1 else ''} ({'MIP' if result.mip else 'LP'}), {result.solves} solves",
             f"held: {result.held}"]
    cols = list(df.columns)

    def cell(v):
        if isinstance(v, bool):
            return "yes" if v else "no"
        if isinstance(v, float):
            return "" if math.isnan(v) else fmt(v)
        return terminal_text(str(v))

    rows = [[terminal_text(c) for c in cols]] + [[cell(v) for v in r] for r in df.itertuples(index=False)]
    widths = [max(len(r[k]) for r in rows) for k in range(len(cols))]
    for i, r in enumerate(rows):
        lines.append("  ".join(c.rjust(w) for c, w in zip(r, widths)).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    cur = result.current_row()
    if cur:
        lines.append("current plan: " + ", ".join(f"{terminal_text(k)} {fmt(v)}" for k, v in cur.items()))
    for n in result.notes:
        lines.append(f"note: {terminal_text(n)}")
    return "\n".join(lines) + "\n"
