"""The chart of a frontier (:class:`~goalprog.solve.frontier_result.FrontierResult`), drawn with matplotlib.

The axes are the two goals' achieved values (the goal expression, e.g. profit in dollars and waste
in yards) when each side is one goal instance, else the measure (the unwanted deviation, or the
level's achievement).  An LP frontier is drawn as its edges (straight lines between breakpoints:
the plans of an edge are the convex combinations of its two ends, and goal values are linear in
the plan); a MIP frontier as its points, the supported ones (filled) joined by a dotted line, the
unsupported ones hollow.  The current plan is a black cross with a label.  matplotlib is imported
only here, never through ``pyplot``; without it :class:`~goalprog.core.errors.ReportError`.
"""

from __future__ import annotations

from ..core.formatting import fmt, terminal_text
from .chart import _import_matplotlib  # noqa: F401 - same package

FRONTIER_COLOUR = "#0072B2"
CURRENT_COLOUR = "#1a1a1a"


def _axis(result, side: str) -> tuple[str, str, list]:
    """(column, axis label, values per point) of side ``a`` or ``b``."""
    name = getattr(result, side)
    kind = getattr(result, f"{side}_kind")
    goals = getattr(result, f"{side}_goals")
    table = result.table()
    if kind == "goal" and len(goals) == 1:
        col = result.model.goals.origins[int(goals[0])].label
        unit = result.model.units.get(("goal", name)) if isinstance(result.model.units, dict) else None
        return col, f"{col} (achieved value{', ' + str(unit) if unit else ''})", table[col].tolist()
    col = f"{name}.deviation" if kind == "goal" else name
    what = "unwanted deviation" if kind == "goal" else ("achievement" if kind == "level" else "value")
    return col, f"{name} ({what})", table[col].tolist()


def draw_frontier(result, path, title: str | None = None, dpi: int = 110) -> None:
    """Write the chart of ``result`` as a PNG file at ``path`` (str or Path).  Raises
    :class:`~goalprog.core.errors.ReportError` without matplotlib."""
    Figure = _import_matplotlib()
    fig = Figure(figsize=(7.0, 4.8), dpi=dpi)
    ax = fig.add_subplot(1, 1, 1)
    xcol, xlabel, xs = _axis(result, "a")
    ycol, ylabel, ys = _axis(result, "b")
    sup = [bool(p.supported) for p in result.points]
    if result.mip:
        hx = [x for x, s in zip(xs, sup) if s]
        hy = [y for y, s in zip(ys, sup) if s]
        ax.plot(hx, hy, ":", color=FRONTIER_COLOUR, linewidth=1.2, label="convex hull (supported points)")
        ax.plot(hx, hy, "o", color=FRONTIER_COLOUR, markersize=7, label="supported point")
        ux = [x for x, s in zip(xs, sup) if not s]
        uy = [y for y, s in zip(ys, sup) if not s]
        if ux:
            ax.plot(ux, uy, "o", markerfacecolor="white", markeredgecolor=FRONTIER_COLOUR, markersize=7,
                    label="unsupported point (epsilon-constraint)")
    else:
        ax.plot(xs, ys, "-", color=FRONTIER_COLOUR, linewidth=2.0, label="Pareto frontier")
        ax.plot(xs, ys, "o", color=FRONTIER_COLOUR, markersize=7, label="breakpoint")
    for k, (x, y) in enumerate(zip(xs, ys)):
        ax.annotate(f"{k + 1}: ({fmt(x)}, {fmt(y)})", (x, y), textcoords="offset points", xytext=(6, 6),
                    fontsize=8, color="#333333")
    cur = result.current_row()
    if xcol in cur and ycol in cur:
        ax.plot([cur[xcol]], [cur[ycol]], "x", color=CURRENT_COLOUR, markersize=11, markeredgewidth=2.2,
                label="current plan")
    rates = [r for r in result.rates() if r == r]
    if len(rates) == 1 and not result.mip:
        ax.text(0.02, 0.03, f"one edge: trade-off rate {fmt(rates[0])} {result.a} per unit of {result.b} (deviations)",
                transform=ax.transAxes, fontsize=8, color="#333333")
    ax.set_xlabel(terminal_text(xlabel), usetex=False)
    ax.set_ylabel(terminal_text(ylabel), usetex=False)
    name = getattr(result.model, "name", "")
    ax.set_title(terminal_text(title or f"{name}: frontier of {result.a} and {result.b}"), fontsize=10)
    ax.grid(True, linewidth=0.4, alpha=0.5)
    ax.margins(0.12)
    ax.legend(fontsize=8, loc="best")
    for t in [ax.title, ax.xaxis.label, ax.yaxis.label] + list(ax.texts):
        t.set_parse_math(False)  # user text is never mathtext
    fig.tight_layout()
    fig.savefig(path, format="png")
