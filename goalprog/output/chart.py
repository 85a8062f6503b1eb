"""The goal-attainment chart of a :class:`~goalprog.solve.results.Result`, drawn with matplotlib.

One row per goal instance (at most :data:`MAX_CHART_GOALS`): the achieved value as a bar from 0,
the target as a black line, met goals in green with a check mark, missed ones in orange with a
cross and the unwanted deviation hatched.  User text is drawn as plain text (never as matplotlib
mathtext).  matplotlib is imported only inside the functions that draw, and never through
``pyplot``, so a notebook's own plotting backend is left alone.  Without matplotlib the functions
raise :class:`~goalprog.core.errors.ReportError`.
"""

from __future__ import annotations

import importlib
import io
import math

from ..core.errors import ReportError
from ..core.formatting import fmt, penalty_text, terminal_text
from .tables import MET_MARK, UNMET_MARK, chart_target_text, deviation_text

MAX_CHART_GOALS = 40
"""The chart shows at most this many goal instances (those with the largest weighted unwanted
deviation when there are more)."""

# Okabe-Ito colours (distinguishable with the common colour-vision deficiencies); every use of
# colour is doubled by a text marker (a check mark or a cross and a word) or a hatch pattern.
MET_COLOUR = "#009E73"
UNMET_COLOUR = "#D55E00"
BAND_COLOUR = "#CFE3F3"
TARGET_COLOUR = "#1a1a1a"


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
