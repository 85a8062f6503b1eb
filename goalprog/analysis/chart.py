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
    order (one line for each combination of the other varied values, which get a marker each and a
    legend).  With one varied column, each distinct plan is labelled with the range of that value
    that gives it (at most 6 labels: beyond, the two ends of the sweep), no label over another.
    The x tick labels are few and slanted, so long numbers do not run together.
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
    canvas = FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    xs = ok[xc].astype(float)
    ys = ok[yc].astype(float)
    others = [c for c in varied if c != color_by and c in ok]
    # one marker (and legend entry) per combination of the other varied values: runs that differ
    # only there (weighted and preemptive, say) must not look alike
    combos: dict = {}
    for i in ok.index:
        combos.setdefault(tuple(str(ok.at[i, c]) for c in others) if others else None, []).append(i)
    if not combos:
        combos = {None: ok.index}
    marked = len(combos) > 1
    cat_colors = None
    if not numeric_color and color_by in ok and ok[color_by].astype(str).nunique() > 1:
        names = list(dict.fromkeys(ok[color_by].astype(str)))
        cat_colors = {n: _COLORS[i % len(_COLORS)] for i, n in enumerate(names)}
    for k, (key, idx) in enumerate(combos.items()):
        marker = _MARKERS[k % len(_MARKERS)] if marked else "o"
        size = max(18, 90 - 28 * k) if marked else 46  # smaller over larger: coinciding runs stay visible
        label = _combo_label(others, key) if marked else None
        if numeric_color:
            order = cvals.loc[idx].sort_values(kind="stable").index
            ax.plot(xs.loc[order], ys.loc[order], color="0.75", lw=1, zorder=1)
            sc = ax.scatter(xs.loc[idx], ys.loc[idx], c=cvals.loc[idx], cmap="viridis", vmin=cvals.min(),
                            vmax=cvals.max(), s=size, marker=marker, edgecolors="black", linewidths=0.4, zorder=3,
                            label=label)
        elif cat_colors is not None:
            ax.scatter(xs.loc[idx], ys.loc[idx], s=size, marker=marker, edgecolors="black", linewidths=0.4, zorder=3,
                       color=[cat_colors[v] for v in ok.loc[idx, color_by].astype(str)], label=label)
        else:
            ax.scatter(xs.loc[idx], ys.loc[idx], s=size, marker=marker, color=_COLORS[k % len(_COLORS)],
                       edgecolors="black", linewidths=0.4, zorder=3, label=label)
    if numeric_color and len(ok):
        fig.colorbar(sc, ax=ax, label=short_column(color_by))
    handles = []
    if cat_colors is not None:
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], ls="", marker="o", color=c, markeredgecolor="black", markersize=7,
                          label=f"{short_column(color_by)} = {n}") for n, c in cat_colors.items()]
    if marked or handles:
        from matplotlib.lines import Line2D

        own = [Line2D([], [], ls="", marker=_MARKERS[k % len(_MARKERS)], color="0.55", markeredgecolor="black",
                      markersize=7, label=_combo_label(others, key)) for k, key in enumerate(combos)] if marked else []
        ax.legend(handles=handles + own, fontsize=8, loc="best", framealpha=0.9)
    texts: list = []
    if len(ok):
        ax.margins(0.12)
        plans: dict = {}
        for i in ok.index:
            plans.setdefault((float(f"{xs[i]:.6g}"), float(f"{ys[i]:.6g}")), []).append(i)
        if len(varied) <= 1:
            for (px, py), idx in plans.items():
                text = f"{len(idx)} run{'s' if len(idx) != 1 else ''}"
                if numeric_color:
                    lo, hi = cvals.loc[idx].min(), cvals.loc[idx].max()
                    shown = short_column(color_by)
                    text = (f"{shown} = {lo:g}" if lo == hi else f"{shown} {lo:g} to {hi:g}") + f"\n({text})"
                texts.append(((px, py), text, float(cvals.loc[idx].min()) if numeric_color else len(texts)))
            texts = [t[:2] for t in sorted(texts, key=lambda t: t[2])]
    failed = len(frame) - len(ok)
    x, y = short_column(xc), short_column(yc)
    ax.set_xlabel(f"{x} (value)" if xc.startswith(GOAL) and xc.endswith(".value") else x)
    ax.set_ylabel(f"{y} (value)" if yc.startswith(GOAL) and yc.endswith(".value") else y)
    ax.set_title(title or f"Trade-off: {x} against {y} over {len(frame)} run{'s' if len(frame) != 1 else ''}"
                 + (f" ({failed} without a solution)" if failed else ""), fontsize=10)
    ax.grid(True, alpha=0.3)
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_formatter(_thousands())
    ax.yaxis.set_major_formatter(_thousands())
    ax.xaxis.set_major_locator(MaxNLocator(nbins=6))  # few ticks: long numbers must not run together
    ax.yaxis.set_major_locator(MaxNLocator(nbins=8))
    for tick in ax.get_xticklabels():
        tick.set_rotation(30)
        tick.set_horizontalalignment("right")
    fig.tight_layout()
    if texts:  # placed last, where the axes and their limits are final
        ax.autoscale_view()
        ax.set_autoscale_on(False)
        _place_labels(ax, canvas, texts, xs, ys)
    out = Path(path)
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out)
    return out


def _thousands():
    from matplotlib.ticker import FuncFormatter

    def text(v, _pos):
        if abs(v) >= 1e15:
            return f"{v:.3g}"
        return f"{v:,.0f}" if v == round(v) else f"{v:,.6g}"  # 1,525,000, never 1.525e+06

    return FuncFormatter(text)


MAX_LABELS = 6
"""A sweep chart labels each distinct plan up to this many; beyond, only the two ends."""
_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
_COLORS = ["tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown", "tab:pink", "tab:olive"]


def _combo_label(columns, key) -> str:
    values = key if isinstance(key, tuple) else (key,)
    return ", ".join(f"{short_column(c)} = {v}" for c, v in zip(columns, values))


def _place_labels(ax, canvas, texts, xs, ys) -> None:
    """Annotate each point of ``texts`` (``((x, y), text)``, in sweep order) with its label in a box,
    offset from the point and joined to it by a line; where a box would overlap one already placed
    (or a point), other offsets are tried, and a label that fits nowhere is left out rather than
    drawn over another.  More than :data:`MAX_LABELS` plans: only the first and the last are labelled."""
    renderer = canvas.get_renderer()
    x_mid = (xs.min() + xs.max()) / 2
    y_mid = (ys.min() + ys.max()) / 2
    placed: list = []
    frame = ax.get_window_extent(renderer)
    points = ax.transData.transform(list(zip(xs, ys))) if len(xs) else []
    if len(texts) > MAX_LABELS:  # many plans: label the two ends of the sweep only (the colour bar tells the rest)
        texts = [texts[0], texts[-1]]
    for (px, py), text in texts:
        hx, hy = (-1 if px > x_mid else 1), (-1 if py > y_mid else 1)  # into the plot first, away from the edges
        tries = [(hx, hy), (0, hy), (hx, 0), (hx, -hy), (0, -hy), (-hx, hy), (-hx, 0), (-hx, -hy)]
        done = False
        for dist in (10, 28, 55):
            for sx, sy in tries:
                style = dict(textcoords="offset points", xytext=(sx * dist, sy * dist),
                             ha={1: "left", 0: "center", -1: "right"}[sx], va={1: "bottom", 0: "center", -1: "top"}[sy],
                             fontsize=8, bbox=dict(boxstyle="round,pad=0.3", fc="white", ec="0.7", alpha=0.9), zorder=4)
                note = ax.annotate(text, (px, py), **style)  # measured without its leader line
                box = note.get_window_extent(renderer).padded(3)
                note.remove()
                inside = frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1)
                hits_point = any(box.contains(qx, qy) for qx, qy in points)
                if inside and not hits_point and not any(box.overlaps(b) for b in placed):
                    ax.annotate(text, (px, py), **style, arrowprops=dict(arrowstyle="-", color="0.6", lw=0.6))
                    placed.append(box)
                    done = True
                    break
            if done:
                break
