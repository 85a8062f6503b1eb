"""Reports of a :class:`~goalprog.solve.results.Result` for people: HTML and a goal-attainment chart.

* :func:`result_html` - an HTML fragment (status line, priority levels, goals) for notebooks;
  ``Result._repr_html_`` calls it.
* :func:`write_plot` - the goal-attainment chart as a PNG image.
* :func:`write_html` - one self-contained HTML page: the problem's name and description, the run
  (method, backend, solver, status, message, warnings), the priority levels, the chart (inline
  SVG), and the goal, objective, variable and expression tables.  It needs no network: no
  scripts, fonts or images by URL.

Every piece of user text (names, labels, descriptions, messages) is HTML-escaped; in the chart it
is drawn as plain text (never as matplotlib mathtext).  matplotlib is imported only inside the
functions that draw, and never through ``pyplot``, so a notebook's own plotting backend is left
alone.  A result without a solution gives a page (and a chart) that says so and shows no values.

Errors in writing a file are raised as :class:`ReportError` (a :class:`~goalprog.core.errors.GoalProgError`).
"""

from __future__ import annotations

import html
import importlib
import io
import math
import os
from pathlib import Path

from ..core.errors import ReportError
from ..core.formatting import fmt, penalty_text, terminal_text

MAX_CHART_GOALS = 40
"""The chart shows at most this many goal instances (those with the largest weighted unwanted
deviation when there are more)."""

MAX_PAGE_ROWS = 5000
"""A table of the HTML page shows at most this many rows (``--format csv`` writes them all)."""

MAX_FRAGMENT_ROWS = 200
"""The notebook fragment shows at most this many goal rows."""

# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies); every use of
# colour is doubled by a text marker (a check mark or a cross and a word) or a hatch pattern.
MET_COLOUR = "#009E73"
UNMET_COLOUR = "#D55E00"
BAND_COLOUR = "#CFE3F3"
TARGET_COLOUR = "#1a1a1a"
MET_MARK = "\u2713"    # check mark
UNMET_MARK = "\u2717"  # ballot x


# -- numbers and text ----------------------------------------------------------------------------

def _e(text) -> str:
    """HTML-escaped text (quotes too, so it is safe inside attributes); control characters, which
    HTML does not allow, are shown as visible escapes such as ``\\x1b`` (as on the terminal)."""
    return html.escape(terminal_text(text), quote=True)


def target_text(row: dict) -> str:
    """``>= 150,000``, ``<= 20,000``, ``== 40`` or ``[a, b]`` for a goal row."""
    kind = row["kind"]
    if kind == "at_least":
        return f"\u2265 {fmt(row['target'])}"
    if kind == "at_most":
        return f"\u2264 {fmt(row['target'])}"
    if kind == "equal":
        return f"= {fmt(row['target'])}"
    return f"between {fmt(row['target'])} and {fmt(row['target_high'])}"


def chart_target_text(row: dict) -> str:
    """The target as the chart writes it (a band as ``in [a, b]``)."""
    if row["kind"] == "between":
        return f"in [{fmt(row['target'])}, {fmt(row['target_high'])}]"
    return target_text(row)


def _penalised(row: dict) -> tuple[bool, bool]:
    return row["under_weight"] is not None, row["over_weight"] is not None


def deviation_text(row: dict) -> str:
    """What the chart and the tables say about a goal instance's deviation, in the goal's own
    units: ``met``, ``under by 42,857.14``, ``met (over by 10,000, not penalised)``."""
    if row["value"] is None:
        return "no value"
    pen_u, pen_o = _penalised(row)
    under, over = row["under"] or 0.0, row["over"] or 0.0
    u = f" {row['units']}" if row.get("units") else ""
    if row["met"]:
        extra = []
        if under > 0:
            extra.append(f"{fmt(under)}{u} under" + ("" if pen_u else ", unpenalised"))
        if over > 0:
            extra.append(f"{fmt(over)}{u} over" + ("" if pen_o else ", unpenalised"))
        return "met" + (f" ({'; '.join(extra)})" if extra else "")
    parts = []
    if under > 0:
        parts.append(f"under by {fmt(under)}{u}")
    if over > 0:
        parts.append(f"over by {fmt(over)}{u}")
    return "; ".join(parts) or "not met"


def _solver(result) -> str:
    return result.stages[0].solver if result.stages else ""


def _achievement(result) -> tuple[str, str] | None:
    """``(what it measures, value)`` of a one-stage method's achievement (``None`` for preemptive
    or without a solution)."""
    if result.method == "preemptive" or not result.has_solution:
        return None
    what = {"weighted": "weighted sum of unwanted deviations",
            "chebyshev": "largest weighted unwanted deviation",
            "extended": f"(1 - {fmt(result.lam)}) \u00d7 largest + {fmt(result.lam)} \u00d7 sum of weighted unwanted deviations",
            }.get(result.method, "achievement")
    if result.model.objectives:
        what += ", minus maximised and plus minimised objectives"
    return what, fmt(result.objective)


def _level_notes(result) -> dict:
    notes = {s.priority: s.message for s in result.stages if s.message}
    for lv in result.level_values():
        if lv["improved"] is False and lv["level"] not in notes:
            notes[lv["level"]] = "no better than the plan of the earlier levels"
    return notes


def _status_class(status: str) -> str:
    if status == "optimal":
        return "ok"
    if status == "feasible":
        return "warn"
    if status == "not_solved":
        return "muted"
    return "bad"


# -- HTML tables ---------------------------------------------------------------------------------

def _table(headers: list[tuple[str, str]], rows: list[list[str]], *, cls: str = "", caption: str | None = None,
           row_classes: list[str] | None = None) -> str:
    """A table from already-escaped cells; ``headers`` are ``(label, "num"|"")`` pairs."""
    out = [f'<table class="gp-table {cls}">']
    if caption:
        out.append(f"<caption>{caption}</caption>")
    out.append("<thead><tr>" + "".join(f'<th scope="col" class="{c}">{_e(h)}</th>' for h, c in headers)
               + "</tr></thead><tbody>")
    for k, r in enumerate(rows):
        rc = f' class="{row_classes[k]}"' if row_classes and row_classes[k] else ""
        out.append(f"<tr{rc}>" + "".join(f'<td class="{c}">{cell}</td>' for cell, (_, c) in zip(r, headers))
                   + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _met_cell(met) -> str:
    if met is None:
        return ""
    if met:
        return f'<span class="gp-met">{MET_MARK} yes</span>'
    return f'<span class="gp-unmet">{UNMET_MARK} no</span>'


def _levels_table(result) -> str:
    levels = result.level_values()
    if not levels:
        return ""
    notes = _level_notes(result)
    duals = any(lv["shadow_price"] is not None for lv in levels)
    headers = [("level", ""), ("goals", ""), ("sense", ""), ("achievement", "num"), ("status", ""), ("lock", "num")]
    if duals:
        headers.append(("trade-off", "num"))
    if notes:
        headers.append(("note", ""))
    rows = []
    for lv in levels:
        lock = "" if lv["lock"] is None else f"{_e(lv['lock_sense'])} {fmt(lv['lock'])}"
        if lv["lock_binding"]:
            lock += " (binding)"
        if lv.get("lock_style") in ("face", "fix"):
            lock += " + face" if lv["lock_style"] == "face" else " + fixed"
        status = lv["status"]
        row = [_e(lv["level"] if lv["level"] is not None else "-"), _e(lv["goals"]), _e(lv["sense"]),
               fmt(lv["achievement"]) if result.has_solution else "",
               f'<span class="gp-status gp-{_status_class(status)}">{_e(status)}</span>', lock]
        if duals:
            row.append(fmt(lv["shadow_price"]))
        if notes:
            row.append(_e(notes.get(lv["level"], "")))
        rows.append(row)
    out = _table(headers, rows, cls="gp-levels")
    if duals:
        out += ('<p class="gp-note">trade-off: the shadow price of the lock, i.e. how much the next level gains per '
                "unit this level gives up (a degenerate LP may have several valid prices).</p>")
    return out


def _goal_rows_shown(result, limit: int) -> tuple[list[dict], str]:
    """The goal rows to show, and a note when some are left out: with more than ``limit`` rows, the
    ``limit`` with the largest weighted unwanted deviation (in model order)."""
    rows = result._goal_rows()
    if len(rows) <= limit:
        return rows, ""
    if result.has_solution:
        order = sorted(range(len(rows)), key=lambda i: (-(rows[i]["contribution"] or 0.0), i))[:limit]
        keep = sorted(order)
        note = (f"Showing the {limit:,} of {len(rows):,} goal instances with the largest weighted unwanted deviation "
                "(in model order); <code>goalprog solve --format csv</code> writes them all.")
    else:
        keep = list(range(limit))
        note = f"Showing the first {limit:,} of {len(rows):,} goal instances."
    return [rows[i] for i in keep], note


def _goals_table(result, limit: int) -> str:
    if not len(result.model.goals):
        return '<p class="gp-note">The problem has no goals (only plain objectives).</p>'
    rows, note = _goal_rows_shown(result, limit)
    if not result.has_solution:
        headers = [("goal", ""), ("target", ""), ("penalty", "")]
        cells = [[_e(r["label"]), _e(target_text(r)), _e(penalty_text(r))] for r in rows]
        out = _table(headers, cells, cls="gp-goals")
        out = '<p class="gp-note">No solution: only the targets are shown.</p>' + out
    else:
        headers = [("goal", ""), ("target", ""), ("value", "num"), ("under", "num"), ("over", "num"), ("met", ""),
                   ("penalty", ""), ("weighted", "num")]
        cells, classes = [], []
        for r in rows:
            cells.append([_e(r["label"]), _e(target_text(r)), fmt(r["value"]), fmt(r["under"]), fmt(r["over"]),
                          _met_cell(r["met"]), _e(penalty_text(r)), fmt(r["contribution"])])
            classes.append("" if r["met"] else "gp-row-unmet")
        out = _table(headers, cells, cls="gp-goals", row_classes=classes)
    if note:
        out = f'<p class="gp-note">{note}</p>' + out
    return out


def _capped(rows: list, limit: int, what: str) -> tuple[list, str]:
    if len(rows) <= limit:
        return rows, ""
    return rows[:limit], (f'<p class="gp-note">Showing the first {limit:,} of {len(rows):,} {what}; '
                          "<code>goalprog solve --format csv</code> writes them all.</p>")


def _objectives_table(result) -> str:
    objs = result.model.objectives
    if not objs:
        return ""
    headers = [("objective", ""), ("sense", ""), ("priority", ""), ("weight", "num")]
    if result.has_solution:
        headers.append(("value", "num"))
    rows = []
    for o in objs:
        row = [_e(o.origin.label), _e(o.sense), _e(o.priority if o.priority is not None else "-"), fmt(o.weight)]
        if result.has_solution:
            row.append(fmt(o.expr.value(result.x)))
        rows.append(row)
    return _table(headers, rows, cls="gp-objectives")


def _bound_text(lo: float, hi: float) -> str:
    if math.isinf(lo) and math.isinf(hi):
        return "free"
    if math.isinf(hi):
        return f"\u2265 {fmt(lo)}"
    if math.isinf(lo):
        return f"\u2264 {fmt(hi)}"
    if lo == hi:
        return f"= {fmt(lo)}"
    return f"[{fmt(lo)}, {fmt(hi)}]"


def _variables_table(result, limit: int) -> str:
    rows, note = _capped(result._variable_rows(), limit, "variable instances")
    headers = [("variable", ""), ("value", "num"), ("bounds", ""), ("type", "")]
    cells = [[_e(r["label"]), fmt(r["value"]), _e(_bound_text(r["lower"], r["upper"])),
              "integer" if r["integer"] else "continuous"] for r in rows]
    return note + _table(headers, cells, cls="gp-variables")


def _expressions_table(result, limit: int) -> str:
    rows, note = _capped(result._expression_rows(), limit, "expression instances")
    if not rows:
        return ""
    cells = [[_e(r["label"]), fmt(r["value"])] for r in rows]
    return note + _table([("expression", ""), ("value", "num")], cells, cls="gp-expressions")


def _status_line(result) -> str:
    status = result.status.value
    parts = [f"method <b>{_e(result.method)}</b>", f"backend <b>{_e(result.backend)}</b>"]
    solver = _solver(result)
    if solver:
        parts.append(f"solver <b>{_e(solver)}</b>")
    parts.append(f'status <span class="gp-status gp-{_status_class(status)}">{_e(status)}</span>')
    return '<p class="gp-run">' + " &middot; ".join(parts) + "</p>"


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
           f"<h4>{_e(result.name)}</h4>", _status_line(result)]
    if result.message:
        out.append(f'<p class="gp-message">{_e(result.message)}</p>')
    for w in result.warnings:
        out.append(f'<p class="gp-note">warning: {_e(w)}</p>')
    ach = _achievement(result)
    if ach:
        out.append(f"<p>achievement ({_e(ach[0])}): <b>{_e(ach[1])}</b></p>")
    if result.method == "preemptive":
        out.append("<h4>Priority levels</h4>" + _levels_table(result))
    if not result.has_solution:
        out.append('<p class="gp-note">No solution to report: no values are shown.</p>')
    out.append("<h4>Goals</h4>" + _goals_table(result, MAX_FRAGMENT_ROWS))
    out.append("</div>")
    return "".join(out)


# -- the chart -----------------------------------------------------------------------------------

def _import_matplotlib():
    try:
        importlib.import_module("matplotlib")
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise ReportError(f"the goal-attainment chart needs matplotlib, which is not installed ({exc})",
                          hint="pip install matplotlib") from None
    return Figure


def chart_rows(result, limit: int = MAX_CHART_GOALS) -> tuple[list[dict], int]:
    """The goal rows the chart shows and the total number of goal instances: all of them up to
    ``limit``, else the ``limit`` with the largest weighted unwanted deviation, largest first."""
    rows = result._goal_rows()
    if len(rows) <= limit:
        return list(rows), len(rows)
    order = sorted(range(len(rows)), key=lambda i: (-(rows[i]["contribution"] or 0.0), i))[:limit]
    return [rows[i] for i in order], len(rows)


def _short(text: str, n: int) -> str:
    text = " ".join(terminal_text(text).split())  # one line, control characters shown as \x1b etc.
    return text if len(text) <= n else text[: n - 1] + "\u2026"


def chart_title(result, shown: int, total: int) -> str:
    title = f"{_short(result.name, 80)}: goal attainment ({result.method}, {result.status.value})"
    if shown < total:
        title += (f"\nthe {shown} of {total:,} goal instances with the largest weighted unwanted deviation")
    return title


def _figure(result):
    """The goal-attainment chart as a matplotlib Figure (no pyplot: no global state changes)."""
    Figure = _import_matplotlib()
    from matplotlib.patches import Patch, Rectangle
    from matplotlib.lines import Line2D
    from matplotlib.transforms import blended_transform_factory

    text_kw = {"parse_math": False}  # user names are plain text, never mathtext ($, _ and ^ as typed)
    name = _short(str(result.name), 80)
    if not result.has_solution or not len(result.model.goals):
        why = (f"No solution (status {result.status.value}): there are no values to show."
               if not result.has_solution else "The problem has no goals (only plain objectives): nothing to chart.")
        fig = Figure(figsize=(9, 1.6), dpi=100)
        fig.text(0.5, 0.68, f"{name}: goal attainment", ha="center", va="center", fontsize=13, weight="bold", **text_kw)
        fig.text(0.5, 0.32, why, ha="center", va="center", fontsize=11, **text_kw)
        return fig

    rows, total = chart_rows(result)
    n = len(rows)
    row_h, top_in, bottom_in = 0.46, 1.55 if n < total else 1.3, 0.35
    width_in = 12.5
    height_in = top_in + n * row_h + bottom_in
    fig = Figure(figsize=(width_in, height_in), dpi=100)
    ax_left, ax_right = 0.215, 0.50
    ax_bottom = bottom_in / height_in
    ax_height = n * row_h / height_in
    ax = fig.add_axes((ax_left, ax_bottom, ax_right - ax_left, ax_height))
    ax.set_xlim(0, 1)
    ax.set_ylim(n - 0.5, -0.5)
    ax.axis("off")
    blend = blended_transform_factory(fig.transFigure, ax.transData)

    title = chart_title(result, n, total)
    fig.text(0.012, 1 - 0.12 / height_in, title, ha="left", va="top", fontsize=13, weight="bold", **text_kw)
    sub_y = 1 - (0.12 + (0.62 if n < total else 0.38)) / height_in
    fig.text(0.012, sub_y, "Each row has its own scale: the bar runs from 0 to the achieved value; "
             "numbers are in the goal's own units.", ha="left", va="top", fontsize=9, color="#444", **text_kw)
    handles = [Patch(facecolor=MET_COLOUR, label=f"{MET_MARK} met"),
               Patch(facecolor=UNMET_COLOUR, label=f"{UNMET_MARK} not met"),
               Patch(facecolor="white", edgecolor="#7a2e00", hatch="////", label="unwanted deviation"),
               Line2D([0], [0], color=TARGET_COLOUR, lw=2.2, label="target")]
    if any(r["kind"] == "between" for r in rows):
        handles.append(Patch(facecolor=BAND_COLOUR, edgecolor="#5b86b0", label="target band (between)"))
    fig.legend(handles=handles, loc="upper left", bbox_to_anchor=(0.012, sub_y - 0.2 / height_in), ncol=len(handles),
               frameon=False, fontsize=9, handlelength=1.6, columnspacing=1.4)

    col_value, col_target, col_status = 0.598, 0.612, 0.772
    head_y = -0.5 - 0.08
    for x, txt, ha in ((ax_left - 0.008, "goal", "right"), (col_value, "achieved", "right"),
                       (col_target, "target", "left"), (col_status, "deviation", "left")):
        ax.text(x, head_y, txt, transform=blend, ha=ha, va="bottom", fontsize=9, weight="bold", color="#333",
                clip_on=False, **text_kw)

    for i, r in enumerate(rows):
        y = i
        if i % 2 == 0:
            ax.add_patch(Rectangle((-0.5, y - 0.5), 2.0, 1.0, transform=blend, facecolor="#f4f6f8", edgecolor="none",
                                   zorder=0, clip_on=False))
        value = r["value"]
        lo = r["target"]
        hi = r["target_high"] if r["kind"] == "between" else r["target"]
        pts = [0.0, value] + [t for t in (lo, hi) if t is not None and math.isfinite(t)]
        smin, smax = min(pts), max(pts)
        if smax - smin <= 0:
            smin, smax = smin - 1.0, smax + 1.0
        pad = 0.06 * (smax - smin)
        smin, smax = (smin - pad if smin < 0 else smin), smax + pad

        def px(v, smin=smin, smax=smax):
            return (v - smin) / (smax - smin)

        met = bool(r["met"])
        colour = MET_COLOUR if met else UNMET_COLOUR
        ax.add_patch(Rectangle((0, y - 0.3), 1, 0.6, facecolor="white", edgecolor="#d0d4d9", lw=0.6, zorder=1))
        if r["kind"] == "between":
            ax.add_patch(Rectangle((px(lo), y - 0.3), px(hi) - px(lo), 0.6, facecolor=BAND_COLOUR,
                                   edgecolor="#5b86b0", lw=0.8, zorder=2))
        x0, x1 = px(0.0), px(value)
        ax.add_patch(Rectangle((min(x0, x1), y - 0.17), abs(x1 - x0), 0.34, facecolor=colour, edgecolor="none",
                               zorder=3))
        if not met:  # the unwanted deviation: from the target it missed to the value, hatched
            edge = lo if (r["under"] or 0) > 0 else hi
            a, b = sorted((px(edge), x1))
            ax.add_patch(Rectangle((a, y - 0.17), b - a, 0.34, facecolor="none", edgecolor="#5a2200", hatch="////",
                                   lw=0.0, zorder=4))
        if smin < 0 < smax:
            ax.plot([x0, x0], [y - 0.3, y + 0.3], color="#888", lw=0.6, zorder=4)
        for t in {lo, hi}:
            ax.plot([px(t), px(t)], [y - 0.34, y + 0.34], color=TARGET_COLOUR, lw=2.2, zorder=5,
                    solid_capstyle="butt")

        label = _short(str(r["label"]), 34)
        ax.text(ax_left - 0.008, y - 0.08, label, transform=blend, ha="right", va="center", fontsize=10,
                clip_on=False, **text_kw)
        pen = penalty_text(r)
        if pen:
            ax.text(ax_left - 0.008, y + 0.25, _short(pen, 44), transform=blend, ha="right", va="center",
                    fontsize=7.5, color="#666", clip_on=False, **text_kw)
        ax.text(col_value, y, fmt(value), transform=blend, ha="right", va="center", fontsize=10, clip_on=False,
                **text_kw)
        ax.text(col_target, y, _short(chart_target_text(r), 24), transform=blend, ha="left", va="center", fontsize=10, clip_on=False,
                **text_kw)
        mark = MET_MARK if met else UNMET_MARK
        ax.text(col_status, y, f"{mark} {_short(deviation_text(r), 40)}", transform=blend, ha="left", va="center",
                fontsize=10, color="#00684a" if met else "#a33f00", weight="normal" if met else "bold",
                clip_on=False, **text_kw)
    return fig


def _render(result, fmt_: str) -> bytes:
    fig = _figure(result)
    from matplotlib import rc_context

    buf = io.BytesIO()
    with rc_context({"svg.fonttype": "path", "svg.hashsalt": "goalprog", "hatch.linewidth": 0.8}):
        if fmt_ == "png":
            from matplotlib.backends.backend_agg import FigureCanvasAgg

            FigureCanvasAgg(fig)
            fig.savefig(buf, format="png", metadata={"Software": None})
        else:
            from matplotlib.backends.backend_svg import FigureCanvasSVG

            FigureCanvasSVG(fig)
            fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


def chart_png(result) -> bytes:
    """The goal-attainment chart as PNG bytes."""
    return _render(result, "png")


def chart_svg(result) -> str:
    """The goal-attainment chart as an ``<svg>`` element (no XML declaration or doctype), ready to
    be placed inside an HTML page."""
    text = _render(result, "svg").decode("utf-8")
    start = text.find("<svg")
    return text[start:] if start >= 0 else text


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


def page_html(result, source=None) -> str:
    """The self-contained HTML page of :func:`write_html`, as text."""
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
    out.append("</header>")

    meta = []
    if source is not None:
        meta.append(("problem file", f"<code>{_e(source)}</code>"))
    meta.append(("method", _e(result.method)))
    meta.append(("backend", _e(result.backend)))
    if _solver(result):
        meta.append(("solver", _e(_solver(result))))
    meta.append(("status", f'<span class="gp-status gp-{_status_class(status)}">{_e(status)}</span>'))
    ach = _achievement(result)
    if ach:
        meta.append(("achievement", f'<b>{_e(ach[1])}</b> <span class="gp-note">({_e(ach[0])})</span>'))
    if result.method == "preemptive" and result.lock_abs_tol is not None:
        meta.append(("lock tolerance", f"abs {fmt(result.lock_abs_tol)}, rel {fmt(result.lock_rel_tol)}"))
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
        out.append('<p class="gp-note">Achievement of the final plan at each level (0 = every goal of the level met). '
                   "After each level, its optimum is locked (with the lock tolerance) before the next one is solved.</p>")
        out.append('<div class="scroll">' + _levels_table(result) + "</div></section>")

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

    out.append('<section id="goals"><h2>Goals</h2><div class="scroll">' + _goals_table(result, MAX_PAGE_ROWS)
               + "</div>")
    if result.has_solution and n_goals:
        out.append('<p class="gp-note"><i>under</i> and <i>over</i> are the distances below and above the target, '
                   "in the goal's units; only the penalised side (the <i>penalty</i> column: priority P and weight w) "
                   "counts towards <i>met</i> and <i>weighted</i>.</p>")
    out.append("</section>")
    objectives = _objectives_table(result)
    if objectives:
        out.append(f'<section id="objectives"><h2>Objectives</h2><div class="scroll">{objectives}</div></section>')
    if result.has_solution:
        out.append('<section id="variables"><h2>Variables</h2><div class="scroll">'
                   + _variables_table(result, MAX_PAGE_ROWS) + "</div></section>")
        expressions = _expressions_table(result, MAX_PAGE_ROWS)
        if expressions:
            out.append(f'<section id="expressions"><h2>Expressions</h2><div class="scroll">{expressions}</div></section>')
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
