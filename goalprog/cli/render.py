"""A result printed for people or programs: the tables of ``--format table`` (rich), JSON and CSV,
to stdout or to the checked ``--output`` file or folder.

:func:`write_result` is what ``goalprog solve`` calls; :data:`RESULT_TABLES` names the CSV files.
rich and pandas are imported only when a table or a CSV file is written.
"""

from __future__ import annotations

import json
import sys

import click

from ..core.formatting import fmt, penalty_text, terminal_text
from ..output.tables import bound_cells, level_notes, lock_footnotes, shows_bounds, unproven_text
from .common import EXIT_USAGE, broken_pipe_exit, echo_err, fail

RESULT_TABLES = ("goals", "variables", "expressions", "stages", "levels", "alternatives", "sensitivity_constraints",
                 "sensitivity_targets", "sensitivity_weights", "sensitivity_levels")  # alternatives, sensitivity_*: when asked for


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
    if result.overrides:  # a what-if run: what differs from the file (its description may say otherwise)
        from ..spec.override_doc import overrides_line

        console.print(f"[bold]what-if:[/bold] changed from the file: {escape(overrides_line(result.overrides))}")
    if result.message:
        console.print(f"[{style}]{escape(result.message)}[/{style}]")
    for w in result.warnings:
        console.print(f"[yellow]warning:[/yellow] {escape(w)}")
    duals = False
    if result.method == "preemptive":
        t = Table(title="Priority levels", title_justify="left")
        notes = level_notes(result)
        levels = result.level_values()
        duals = any(lv["shadow_price"] is not None for lv in levels)
        bounds = bound_cells(result) if shows_bounds(result) else None
        cols = ("level", "goals", "sense", "achievement") + (("bound", "gap") if bounds is not None else ()) \
            + ("status", "lock") + (("trade-off",) if duals else ()) + (("note",) if notes else ())
        for c in cols:
            t.add_column(c, justify="right" if c in ("achievement", "bound", "gap", "lock", "trade-off") else "left")
        for lv in levels:
            lock = "" if lv["lock"] is None else f"{lv['lock_sense']} {fmt(lv['lock'])}"
            if lv["lock_binding"]:
                lock += " (binding)"
            if lv["lock_style"] in ("face", "fix"):
                lock += " + face" if lv["lock_style"] == "face" else " + fixed"
            row = [str(lv["level"] if lv["level"] is not None else "-"), escape(lv["goals"]), lv["sense"],
                   fmt(lv["achievement"]) if result.has_solution else ""]
            row += list(bounds.get(lv["level"], ("", ""))) if bounds is not None else []
            row += [lv["status"], lock]
            if duals:
                row.append(fmt(lv["shadow_price"]))
            if notes:
                row.append(escape(notes.get(lv["level"], "")))
            t.add_row(*row)
        console.print(t)
        for line in lock_footnotes(result):
            console.print(escape(line))
        if bounds is not None:
            console.print("bound, gap: the solver's best bound on a level it did not prove optimal (it stopped at a "
                          "MIP gap or a limit), and the relative gap |achievement - bound| / |achievement|")
    if result.method == "preemptive":
        from ..output.tables import trade_off_footnotes

        for line in trade_off_footnotes(result, "--rates "):
            console.print(escape(line))
    if not result.has_solution:
        console.print("No solution to report: no variable values are shown.")
        for note in getattr(getattr(result, "sensitivity", None), "notes", ()):  # --sensitivity: why none
            console.print(f"sensitivity: {escape(note)}")
        return
    binding = result.binding_constraints()
    if binding:
        shown = ", ".join(binding[:10]) + (f" and {len(binding) - 10} more" if len(binding) > 10 else "")
        console.print(f"binding hard constraints: {escape(shown)}")
    if result.method != "preemptive":
        what = {"weighted": "weighted sum of unwanted deviations", "chebyshev": "largest weighted unwanted deviation",
                "extended": f"(1 - {fmt(result.lam)}) x largest + {fmt(result.lam)} x sum of weighted unwanted deviations"
                }.get(result.method, "weighted sum of unwanted deviations")
        if result.model.objectives:
            what += ", minus maximised and plus minimised objectives"
        unproven = unproven_text(result)
        console.print(f"achievement ({what}): {fmt(result.objective)}" + (f" ({unproven})" if unproven else ""))
    if result.meta is not None:
        _print_meta(result, console, Table, escape)
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
    if result.alternatives is not None:  # --alternatives
        from ..output.alternatives import moving_rows, summary

        console.print(f"[bold]Alternative optima:[/bold] {escape(summary(result.alternatives))}")
        rows, total = moving_rows(result.alternatives, MAX_TABLE_ROWS)
        if rows:
            t = Table(title="Variables that can move", title_justify="left")
            for c in ("variable", "value", "min", "max"):
                t.add_column(c, justify="left" if c == "variable" else "right")
            for label, *cells in rows:
                t.add_row(escape(label), *cells)
            console.print(t)
            _more_rows(console, MAX_TABLE_ROWS, total, "variables that can move")
    if getattr(result, "sensitivity", None) is not None:
        _print_sensitivity(result.sensitivity, console, Table, escape)


def _print_meta(result, console, Table, escape) -> None:
    """The meta-goal table and the big-M bound of every unmet indicator."""
    from ..output.meta_table import BIG_M_HEADERS, META_HEADERS, big_m_rows, meta_rows

    for title, headers, rows in (("Meta-goals", META_HEADERS, meta_rows(result)),
                                 ("Big-M of the unmet indicators (d <= M z)", BIG_M_HEADERS, big_m_rows(result))):
        if rows:
            t = Table(title=title, title_justify="left")
            for h in headers:
                t.add_column(h, justify="right" if h in ("target", "priority", "weight", "achieved", "big-M") else "left")
            for r in rows:
                t.add_row(*[escape(c) for c in r])
            console.print(t)


def _print_sensitivity(sens, console, Table, escape) -> None:  # noqa: N803 - the caller's Table
    from ..output.sensitivity import SENSITIVITY_NOTE, sensitivity_tables

    for note in sens.notes:
        console.print(f"sensitivity: {escape(note)}")
    tables = sensitivity_tables(sens, MAX_TABLE_ROWS)
    for title, headers, rows, total in tables:
        t = Table(title=title, title_justify="left")
        for h, num in headers:
            t.add_column(h, justify="right" if num else "left")
        for r in rows:
            t.add_row(*[escape(c) for c in r])
        console.print(t)
        _more_rows(console, MAX_TABLE_ROWS, total, "rows")
    if tables:
        console.print(escape(SENSITIVITY_NOTE))


def _csv_tables(result) -> dict:
    tables = {"goals": result.goals, "variables": result.variables, "expressions": result.expressions,
              "stages": result.stages_table}
    if result.alternatives is not None:
        tables["alternatives"] = result.alternatives.variables
    if getattr(result, "sensitivity", None) is not None:
        s = result.sensitivity
        tables.update({"sensitivity_constraints": s.constraints, "sensitivity_targets": s.targets,
                       "sensitivity_weights": s.weights})
        if s.level_rows:
            tables["sensitivity_levels"] = s.levels
    if result.method == "preemptive":
        tables["levels"] = result.levels
    return tables


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
            raise SystemExit(broken_pipe_exit())

    return _Quiet(**kwargs)


def write_result(result, file, fmt_, output, target=None, quiet: bool = False, extras=None) -> None:
    """``extras``: a :class:`goalprog.cli.tradeoffs.Extras` (priority orders, equivalent weights) or ``None``."""
    try:
        _write_result_inner(result, file, fmt_, output, target, quiet, extras)
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


def _write_result_inner(result, file, fmt_, output, target=None, quiet: bool = False, extras=None) -> None:
    from ..core.outfiles import Outputs, spreadsheet_frame, write_text

    if output is not None and target is None:  # called without a check: check now
        outputs = Outputs(False, [file])
        target = outputs.folder(output, [f"{n}.csv" for n in RESULT_TABLES]) if fmt_ == "csv" else outputs.file(output)
        outputs.ready()
    if fmt_ == "json":
        d = result.to_dict()
        d["file"] = str(file)
        d.update(extras.json() if extras is not None else {})
        text = json.dumps(d, indent=2)  # ASCII only: control characters are written as \u001b
        _emit(text, target)
    elif fmt_ == "csv":
        tables = _csv_tables(result)
        tables.update(extras.tables() if extras is not None else {})
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
            _print_extras(extras, _console(file=buf, width=120, no_color=True))
            write_text(target, buf.getvalue())
        else:
            console = _console(highlight=False)
            if not console.is_terminal:
                console = _console(highlight=False, width=120)
            _print_table(result, str(file), console)
            _print_extras(extras, console)


def _print_extras(extras, console) -> None:
    if extras is None:
        return
    from rich.markup import escape as _markup_escape
    from rich.table import Table

    extras.print(console, lambda title: Table(title=title, title_justify="left"),
                 lambda text: _markup_escape(terminal_text(text)))


def _emit(text: str, output) -> None:
    """``text`` to stdout, or to the checked output ``output`` (an :class:`~goalprog.core.outfiles.Target`)."""
    if output is None:
        click.echo(text)
    else:
        from ..core.outfiles import write_text

        write_text(output, text + "\n")
