"""The alternative optima of a plan in words and tables: the table output's section and the report's.

Reads a result's :attr:`~goalprog.solve.results.Result.alternatives` (an
:class:`~goalprog.solve.alternatives.Alternatives`, computed with ``alternatives=True``); only the
variables that can move are listed, or one line says the plan is unique.
"""

from __future__ import annotations

import math

from ..core.formatting import fmt
from .tables import _table, escape

__all__ = ["summary", "moving_rows", "alternatives_html", "MAX_ROWS"]

MAX_ROWS = 1_000
"""At most this many moving variables are listed (the JSON and CSV outputs list every variable)."""


def _end(v) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return fmt(v)


def summary(alt) -> str:
    """One sentence: whether the plan is unique, what was proven, and the cost (solves, screen, time)."""
    n = len(alt.rows)
    cost = (f"{alt.solves:,} {'MIP' if alt.kind == 'mip' else 'LP'} solves, {alt.skipped:,} of {2 * n:,} range "
            f"solves screened out ({alt.fixed:,} variable{'' if alt.fixed == 1 else 's'} fixed by the optimal face), "
            f"{alt.time:.2f} s")
    if alt.unique is True:
        head = ("the plan is unique: no other plan keeps every level at its optimum" if alt.kind == "lp" else
                "the plan is unique: no other integer plan keeps every level at its optimum")
    elif alt.unique is False:
        k = len(alt.moving)
        head = (f"the plan is not unique: {k:,} of {n:,} variables can move while every level stays at its optimum"
                if k else "the plan is not unique: a second integer plan keeps every level at its optimum")
    else:
        head = "whether the plan is unique was not decided"
    return f"{head} ({cost})" + (f"; {alt.note}" if alt.note else "")


def moving_rows(alt, limit: int = MAX_ROWS) -> tuple[list[tuple[str, str, str, str]], int]:
    """The variables that can move as ``(label, value, min, max)`` text cells (at most ``limit``),
    and how many there are in all."""
    rows = alt.moving
    return [(r[0], fmt(r[1]), _end(r[2]), _end(r[3])) for r in rows[:limit]], len(rows)


def alternatives_html(result) -> str:
    """The report's section on alternative optima ("" when they were not computed)."""
    alt = getattr(result, "alternatives", None)
    if alt is None:
        return ""
    out = ['<section id="alternatives"><h2>Alternative optima</h2>', f'<p class="gp-note">{escape(summary(alt))}</p>']
    rows, total = moving_rows(alt)
    if rows:
        if total > len(rows):
            out.append(f'<p class="gp-note">Showing the first {len(rows):,} of {total:,} variables that can move; '
                       "<code>goalprog solve --alternatives --format json</code> lists them all.</p>")
        out.append('<p class="gp-note"><i>min</i> and <i>max</i>: the range of the variable over every plan that '
                   "keeps every level at its optimum.</p>")
        cells = [[escape(a), b, c, d] for a, b, c, d in rows]
        out.append('<div class="scroll">' + _table([("variable", ""), ("value", "num"), ("min", "num"), ("max", "num")],
                                                   cells, cls="gp-alternatives") + "</div>")
    out.append("</section>")
    return "".join(out)
