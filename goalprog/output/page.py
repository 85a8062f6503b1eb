"""The report as HTML: the notebook fragment (:func:`result_html`), the self-contained page
(:func:`page_html`, :func:`write_html`), and the chart written as a PNG file (:func:`write_plot`).

Every piece of user text is HTML-escaped.  A file is written to its path and to nothing else:
never over the problem file or another input of the result.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..core.errors import ReportError
from ..core.formatting import fmt
from .chart import chart_png, chart_rows, chart_svg
from .tables import (MET_MARK, UNMET_MARK, achievement, expressions_table, goals_table, levels_table, objectives_table,
                     solver_of, status_class, status_line, variables_table)
from .tables import escape as _e

MAX_PAGE_ROWS = 5000
"""A table of the HTML page shows at most this many rows (``--format csv`` writes them all)."""

MAX_FRAGMENT_ROWS = 200
"""The notebook fragment shows at most this many goal rows."""


# -- the notebook fragment -----------------------------------------------------------------------

_FRAGMENT_CSS = """
.goalprog-result{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;font-size:13px;line-height:1.4}
.goalprog-result h4{margin:.3em 0}
.goalprog-result .gp-table{border-collapse:collapse;margin:.3em 0 .8em 0}
.goalprog-result .gp-table th,.goalprog-result .gp-table td{padding:2px 8px;border-bottom:1px solid #ddd;text-align:left}
.goalprog-result .gp-table .num{text-align:right;font-variant-numeric:tabular-nums}
.goalprog-result .gp-met{color:#006b4f;font-weight:600}
.goalprog-result .gp-unmet{color:#a33f00;font-weight:600}
.goalprog-result .gp-status{font-weight:600}
.goalprog-result .gp-ok{color:#006b4f}.goalprog-result .gp-warn{color:#8a6100}.goalprog-result .gp-bad{color:#b00020}.goalprog-result .gp-muted{color:#666}
.goalprog-result .gp-note{color:#555;font-size:12px;margin:.2em 0}
"""


def result_html(result) -> str:
    """An HTML fragment for notebooks: the status line, the priority levels (preemptive) and the
    goal table (target, value, under, over, met).  All user text is escaped."""
    out = [f'<div class="goalprog-result"><style>{_FRAGMENT_CSS}</style>',
           f"<h4>{_e(result.name)}</h4>", status_line(result)]
    if result.message:
        out.append(f'<p class="gp-message">{_e(result.message)}</p>')
    for w in result.warnings:
        out.append(f'<p class="gp-note">warning: {_e(w)}</p>')
    ach = achievement(result)
    if ach:
        out.append(f"<p>achievement ({_e(ach[0])}): <b>{_e(ach[1])}</b></p>")
    if result.method == "preemptive":
        out.append("<h4>Priority levels</h4>" + levels_table(result))
    if not result.has_solution:
        out.append('<p class="gp-note">No solution to report: no values are shown.</p>')
    out.append("<h4>Goals</h4>" + goals_table(result, MAX_FRAGMENT_ROWS))
    out.append("</div>")
    return "".join(out)


# -- writing files -------------------------------------------------------------------------------

def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _write_bytes(path, data: bytes, *, protect=()) -> Path:
    """Write ``data`` to ``path`` and to nothing else: through a new temporary file beside it that
    replaces ``path`` at the end (so a failure leaves no half-written file, and a symbolic link at
    ``path`` is replaced rather than written through).  Missing parent folders are created."""
    try:
        path = Path(path)
    except TypeError:
        raise ReportError(f"cannot write the report: {path!r} is not a path") from None
    for other, what in protect:
        if other is not None and _same_file(path, Path(other)):
            raise ReportError(f"cannot write {path}: it is {what}; refusing to overwrite an input",
                              hint="choose another path for the report")
    if path.is_dir():
        raise ReportError(f"cannot write {path}: it is a directory", hint="name a file, e.g. report.html")
    from ..core.outfiles import write_bytes

    write_bytes(path, data)  # a temporary file beside it, fsync, os.replace (raises OutputError, a ReportError)
    return path


def write_plot(result, path) -> Path:
    """Write the goal-attainment chart to ``path`` as a PNG image.

    One row per goal instance (at most :data:`MAX_CHART_GOALS`: with more, those with the largest
    weighted unwanted deviation, as the title says): the achieved value as a bar from 0, the target
    as a black line (a ``between`` goal's band shaded), met goals in green with a check mark,
    missed ones in orange with a cross and the unwanted deviation hatched, and the value, target and
    shortfall or excess written out in the goal's units.  Returns the path.
    """
    return _write_bytes(path, chart_png(result), protect=_inputs(result))


# -- the page ------------------------------------------------------------------------------------

_PAGE_CSS = """
:root{--fg:#1d2329;--muted:#5b6670;--line:#dde2e7;--bg:#ffffff;--panel:#f5f7f9;--ok:#006b4f;--warn:#8a6100;--bad:#b00020}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue","DejaVu Sans",Arial,sans-serif}
main{max-width:1240px;margin:0 auto;padding:24px 28px 48px}
header{border-bottom:3px solid #2b5d8a;margin-bottom:18px;padding-bottom:10px}
h1{font-size:26px;margin:0 0 6px;word-break:break-word}
h2{font-size:19px;margin:30px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
.description{white-space:pre-wrap;margin:4px 0 0;color:#2f3a44}
.whatif{margin:10px 0 0;padding:6px 12px;border-left:4px solid #d98c00;background:#fff8e6}
.whatif h2{font-size:15px;margin:2px 0}.whatif p,.whatif ul{margin:4px 0}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:3px 16px;margin:14px 0;padding:12px 16px;background:var(--panel);border-radius:6px}
dl.meta dt{font-weight:600;color:var(--muted)}
dl.meta dd{margin:0;word-break:break-word}
.gp-status{font-weight:700;padding:1px 8px;border-radius:10px;border:1px solid currentColor;white-space:nowrap}
.gp-ok{color:var(--ok)}.gp-warn{color:var(--warn)}.gp-bad{color:var(--bad)}.gp-muted{color:var(--muted)}
.box{padding:10px 14px;border-radius:6px;margin:10px 0;border-left:5px solid}
.box.message{background:#eef4fa;border-color:#2b5d8a;white-space:pre-wrap}
.box.warning{background:#fff7e0;border-color:#c99700}
.box.nosolution{background:#fdecee;border-color:var(--bad);font-weight:600}
.box ul{margin:4px 0;padding-left:20px}
.gp-table{border-collapse:collapse;margin:6px 0 10px;font-size:14px;min-width:40%}
.gp-table caption{text-align:left;color:var(--muted);padding-bottom:4px}
.gp-table th{background:#e9eef3;text-align:left;padding:5px 10px;border-bottom:2px solid #c5ced7;position:sticky;top:0}
.gp-table td{padding:4px 10px;border-bottom:1px solid var(--line);vertical-align:top}
.gp-table tbody tr:nth-child(even){background:#fafbfc}
.gp-table .num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.gp-table tr.gp-row-unmet td:first-child{box-shadow:inset 4px 0 0 #D55E00}
.gp-met{color:var(--ok);font-weight:600;white-space:nowrap}
.gp-unmet{color:#a33f00;font-weight:700;white-space:nowrap}
.gp-note{color:var(--muted);font-size:13px;margin:4px 0}
figure.chart{margin:8px 0;padding:8px;border:1px solid var(--line);border-radius:6px;background:#fff;overflow-x:auto}
figure.chart svg{display:block;max-width:100%;height:auto}
figure.chart figcaption{color:var(--muted);font-size:13px;padding:4px 6px}
code{font-family:ui-monospace,"DejaVu Sans Mono",Menlo,Consolas,monospace;font-size:.92em;background:#eef1f4;padding:0 4px;border-radius:3px}
.scroll{overflow-x:auto}
footer{margin-top:36px;color:var(--muted);font-size:12px;border-top:1px solid var(--line);padding-top:8px}
@media print{figure.chart{break-inside:avoid}.gp-table th{position:static}}
"""


def whatif_html(result) -> list[str]:
    """The report's "What-if: changed from the file" section: one item per override of the run
    (``result.overrides``: key, value, where it came from), so that a description or table that
    the overrides contradict is read with them; nothing for a run of the file as it is."""
    if not getattr(result, "overrides", ()):
        return []
    items = "".join(f"<li><code>{_e(r.text)}</code> <span class=\"gp-note\">({_e(r.source)})</span></li>"
                    for r in result.overrides)
    return ['<section class="whatif"><h2>What-if: changed from the file</h2>',
            "<p>This run changed the problem file as below; the description above is the file's and may "
            "not match these values.</p>", f"<ul>{items}</ul></section>"]


def page_html(result, source=None, extra: str = "") -> str:
    """The self-contained HTML page of :func:`write_html`, as text; ``extra``: more sections (HTML,
    already escaped, e.g. :func:`goalprog.output.tradeoffs_html.tradeoff_sections`) before the footer."""
    from .. import __version__

    status = result.status.value
    name = str(result.name)
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f'<meta name="generator" content="goalprog {_e(__version__)}">',
           f"<title>{_e(name)} \u2013 goalprog report</title>", f"<style>{_PAGE_CSS}</style>", "</head><body><main>"]
    out.append(f"<header><h1>{_e(name)}</h1>")
    description = result.model.description
    if description:
        out.append(f'<p class="description">{_e(str(description).strip())}</p>')
    out.extend(whatif_html(result))
    out.append("</header>")

    meta = []
    if source is not None:
        meta.append(("problem file", f"<code>{_e(source)}</code>"))
    meta.append(("method", _e(result.method)))
    meta.append(("backend", _e(result.backend)))
    if solver_of(result):
        meta.append(("solver", _e(solver_of(result))))
    meta.append(("status", f'<span class="gp-status gp-{status_class(status)}">{_e(status)}</span>'))
    ach = achievement(result)
    if ach:
        meta.append(("achievement", f'<b>{_e(ach[1])}</b> <span class="gp-note">({_e(ach[0])})</span>'))
    if result.method == "preemptive" and (result.lock_abs_tol is not None or result.lock_rel_tol is not None):
        meta.append(("lock slack", f"abs {fmt(result.lock_abs_tol)}, rel {fmt(result.lock_rel_tol)}"))
    elif result.method == "preemptive":
        meta.append(("locks", "exact (each level over the earlier levels' optimal set: their optimal face where "
                     "the solver gives duals, and a lock row with a rounding guard)"))
    n_goals = len(result.model.goals)
    n_vars = len(result._variable_rows()) if result.has_solution else None
    size = f"{n_goals:,} goal instance{'s' if n_goals != 1 else ''}"
    if len(result.model.objectives):
        size += f", {len(result.model.objectives)} objective{'s' if len(result.model.objectives) != 1 else ''}"
    if n_vars is not None:
        size += f", {n_vars:,} variable instance{'s' if n_vars != 1 else ''}"
    meta.append(("size", size))
    if result.has_solution:
        binding = result.binding_constraints()
        if binding:
            shown = ", ".join(binding[:20]) + (f" and {len(binding) - 20:,} more" if len(binding) > 20 else "")
            meta.append(("binding hard constraints", _e(shown)))
    if result.pareto is not None:
        p = result.pareto
        txt = _e(p.message) + (f" (improvement {fmt(p.improvement)})" if p.dominated else "")
        meta.append(("Pareto efficiency", txt))
    out.append('<dl class="meta">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta) + "</dl>")

    if result.message:
        out.append(f'<div class="box message" id="message">{_e(result.message)}</div>')
    if result.warnings:
        out.append('<div class="box warning" id="warnings"><b>Warnings</b><ul>'
                   + "".join(f"<li>{_e(w)}</li>" for w in result.warnings) + "</ul></div>")
    if not result.has_solution:
        out.append(f'<div class="box nosolution" id="no-solution">No solution (status {_e(status)}): '
                   "no goal, variable or expression values are shown.</div>")
        c = result.conflict
        if c is not None and (c.constraints or c.bounds):
            items = []
            for k, label in enumerate(c.constraints):
                by = f" (violated by {fmt(c.violations[k])})" if k < len(c.violations) else ""
                items.append(f"<li>constraint <code>{_e(label)}</code>{by}</li>")
            items += [f"<li>the bounds of <code>{_e(b)}</code></li>" for b in c.bounds]
            out.append('<div class="box warning" id="conflict"><b>Conflicting hard constraints</b><ul>'
                       + "".join(items) + "</ul></div>")

    if result.method == "preemptive":
        out.append('<section id="levels"><h2>Priority levels</h2>')
        if result.lock_abs_tol is not None or result.lock_rel_tol is not None:
            held = ("After each level, its optimum is locked with the slack (see lock slack above): later levels may "
                    "give up that much of it.")
        else:
            held = ("After each level, later levels are held to its optimal plans exactly: by its optimal face where "
                    "the solver gives duals, and a lock row with only a rounding guard.")
        out.append('<p class="gp-note">Achievement of the final plan at each level (0 = every goal of the level met). '
                   f"{held}</p>")
        out.append('<div class="scroll">' + levels_table(result) + "</div></section>")

    if result.meta is not None:
        from .meta_table import meta_html

        out.append('<section id="meta-goals"><h2>Meta-goals</h2><p class="gp-note">Meta-goal programming '
                   "(Rodríguez Uría et al., EJOR 2002): targets on measures of all the goals, solved in order of "
                   f'their priorities.</p><div class="scroll">{meta_html(result)}</div></section>')
    out.append('<section id="chart-section"><h2>Goal attainment</h2>')
    if not result.has_solution:
        out.append('<p class="gp-note">No chart: there is no solution.</p>')
    elif not n_goals:
        out.append('<p class="gp-note">No chart: the problem has no goals.</p>')
    else:
        try:
            svg = chart_svg(result)
        except ReportError as exc:
            out.append(f'<p class="gp-note">No chart: {_e(exc.issues[0].message)} '
                       f"({_e(exc.issues[0].hint or '')}).</p>")
        else:
            shown, total = len(chart_rows(result)[0]), n_goals
            caption = ("Goal attainment: for each goal instance the achieved value (bar from 0, each row on its own "
                       "scale) against its target (black line; shaded band for a between goal). "
                       f"{MET_MARK} met (green), {UNMET_MARK} not met (orange, the unwanted deviation hatched); "
                       "the numbers are in the goal's own units.")
            if shown < total:
                caption += (f" Shown: the {shown} of {total:,} goal instances with the largest weighted unwanted "
                            "deviation; the goal table below has more.")
            out.append(f'<figure class="chart" id="goal-chart" role="img" aria-label="{_e(caption)}">{svg}'
                       f"<figcaption>{_e(caption)}</figcaption></figure>")
    out.append("</section>")

    out.append('<section id="goals"><h2>Goals</h2><div class="scroll">' + goals_table(result, MAX_PAGE_ROWS)
               + "</div>")
    if result.has_solution and n_goals:
        out.append('<p class="gp-note"><i>under</i> and <i>over</i> are the distances below and above the target, '
                   "in the goal's units; only the penalised side (the <i>penalty</i> column: priority P and weight w) "
                   "counts towards <i>met</i> and <i>weighted</i>.</p>")
    out.append("</section>")
    objectives = objectives_table(result)
    if objectives:
        out.append(f'<section id="objectives"><h2>Objectives</h2><div class="scroll">{objectives}</div></section>')
    if result.has_solution:
        out.append('<section id="variables"><h2>Variables</h2><div class="scroll">'
                   + variables_table(result, MAX_PAGE_ROWS) + "</div></section>")
        expressions = expressions_table(result, MAX_PAGE_ROWS)
        if expressions:
            out.append(f'<section id="expressions"><h2>Expressions</h2><div class="scroll">{expressions}</div></section>')
        from .alternatives import alternatives_html  # with alternatives=True

        out.append(alternatives_html(result))
    from .sensitivity import sensitivity_section

    out.append(sensitivity_section(result, MAX_PAGE_ROWS))
    out.append(extra)
    out.append(f"<footer>Written by goalprog {_e(__version__)}.</footer>")
    out.append("</main></body></html>")
    return "\n".join(out) + "\n"


def write_html(result, path, source=None) -> Path:
    """Write one self-contained HTML report of ``result`` to ``path`` (and nothing else).

    ``source`` is the problem file's name, shown in the page; ``path`` may not be that file nor
    any input of the result (:attr:`~goalprog.solve.results.Result.input_files`).  Raises
    :class:`ReportError` when ``path`` cannot be written.  Returns the path.
    """
    text = page_html(result, source=source)
    return _write_bytes(path, text.encode("utf-8"), protect=((source, "the problem file"), *_inputs(result)))


def _inputs(result) -> tuple:
    """``(path, what)`` pairs of the files the result's problem was read from."""
    files = tuple(getattr(result, "input_files", ()) or ())
    return tuple((p, "a file the problem was read from") for p in files)
