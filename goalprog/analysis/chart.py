"""The trade-off chart of a sweep: two goals' values across the runs (needs matplotlib, imported
only here); see :mod:`goalprog.analysis.sweep`."""

from __future__ import annotations

from pathlib import Path

from ..core.errors import BackendError
from .columns import GOAL, SOLVED, resolve_column, short_column, varied_columns


def tradeoff_chart(frame, x: str, y: str, path, *, color_by: str | None = None, title: str | None = None) -> Path:
    """Draw the values of goals ``x`` and ``y`` (goal labels, other short forms or column names,
    see :func:`resolve_column`) across the runs of a sweep as a PNG (or any format matplotlib knows
    by the suffix of ``path``).

    Points are coloured by ``color_by`` (default: the first varied column) and joined in its
    order (one line for each combination of the other varied values).  With one varied column and
    at most 12 distinct plans, each point is labelled with the range of that value that gives it.
    Runs without a solution are left out (and counted in the title).  Needs matplotlib (imported
    here only).
    """
    try:
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError:
        raise BackendError("the trade-off chart needs matplotlib, which is not installed",
                           hint="pip install matplotlib") from None
    import pandas as pd

    xc, yc = resolve_column(x, frame.columns), resolve_column(y, frame.columns)
    ok = frame[frame["status"].isin(SOLVED)] if "status" in frame else frame
    ok = ok[pd.to_numeric(ok[xc], errors="coerce").notna() & pd.to_numeric(ok[yc], errors="coerce").notna()]
    varied = varied_columns(frame)
    if color_by is None:
        color_by = varied[0] if varied else None
    else:
        color_by = resolve_column(color_by, frame.columns)
    cvals = pd.to_numeric(ok[color_by], errors="coerce") if color_by in ok else None
    numeric_color = cvals is not None and len(ok) > 0 and bool(cvals.notna().all())

    fig = Figure(figsize=(7.5, 5.2), dpi=120)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs = ok[xc].astype(float)
    ys = ok[yc].astype(float)
    if numeric_color:
        others = [c for c in varied if c != color_by]
        groups = ok.groupby([ok[c].astype(str) for c in others], sort=False).groups.values() if others else [ok.index]
        for idx in groups:
            order = cvals.loc[idx].sort_values(kind="stable").index
            ax.plot(xs.loc[order], ys.loc[order], color="0.75", lw=1, zorder=1)
        sc = ax.scatter(xs, ys, c=cvals, cmap="viridis", s=40, edgecolors="black", linewidths=0.4, zorder=3)
        fig.colorbar(sc, ax=ax, label=short_column(color_by))
    else:
        ax.scatter(xs, ys, s=40, color="tab:blue", edgecolors="black", linewidths=0.4, zorder=3)
    if len(ok):
        ax.margins(0.12)
        plans: dict = {}
        for i in ok.index:
            plans.setdefault((float(f"{xs[i]:.6g}"), float(f"{ys[i]:.6g}")), []).append(i)
        if len(plans) <= 12 and len(varied) <= 1:
            x_mid = (xs.min() + xs.max()) / 2
            y_mid = (ys.min() + ys.max()) / 2
            for (px, py), idx in plans.items():
                text = f"{len(idx)} run{'s' if len(idx) != 1 else ''}"
                if numeric_color:
                    lo, hi = cvals.loc[idx].min(), cvals.loc[idx].max()
                    shown = short_column(color_by)
                    text = (f"{shown} = {lo:g}" if lo == hi else f"{shown} {lo:g} to {hi:g}") + f"\n({text})"
                right, top = px > x_mid, py > y_mid  # labels point into the plot, away from the edges
                ax.annotate(text, (px, py), textcoords="offset points", xytext=(-10 if right else 10, -10 if top else 10),
                            ha="right" if right else "left", va="top" if top else "bottom", fontsize=8,
                            bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="0.7", alpha=0.9), zorder=4)
    failed = len(frame) - len(ok)
    x, y = short_column(xc), short_column(yc)
    ax.set_xlabel(f"{x} (value)" if xc.startswith(GOAL) and xc.endswith(".value") else x)
    ax.set_ylabel(f"{y} (value)" if yc.startswith(GOAL) and yc.endswith(".value") else y)
    ax.set_title(title or f"Trade-off: {x} against {y} over {len(frame)} run{'s' if len(frame) != 1 else ''}"
                 + (f" ({failed} without a solution)" if failed else ""), fontsize=10)
    ax.grid(True, alpha=0.3)
    ax.xaxis.set_major_formatter(_thousands())
    ax.yaxis.set_major_formatter(_thousands())
    fig.tight_layout()
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    return out


def _thousands():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: f"{v:,.6g}" if abs(v) < 1e15 else f"{v:.3g}")
