"""The sensitivity section of the outputs: the three tables as text cells, and as HTML.

:func:`sensitivity_tables` gives, for a result solved with ``sensitivity=True``, each table's
title, column headers and rows of plain text (numbers by :func:`goalprog.core.formatting.fmt`);
the command line (``goalprog solve --sensitivity``) prints them with rich, and
:func:`sensitivity_section` writes them as the report's HTML section.  Definitions:
docs/methods.md, "Sensitivity of the plan".
"""

from __future__ import annotations

import math

from ..core.formatting import fmt
from .tables import escape

__all__ = ["sensitivity_tables", "sensitivity_section", "SENSITIVITY_NOTE"]

SENSITIVITY_NOTE = ("rates: change of the achievement (of the level shown; preemptive: with the whole program re-solved, "
                    "each earlier level at its new optimum) per unit the bound or target moves down (below) or up (above); "
                    "-inf/inf: no such move is feasible: the hard constraints (or a per-goal lock cap) can no longer all hold. low/high: the target "
                    "values, or the weights, over which the rates hold, or the plan stays optimal.")


def _level(v) -> str:
    return "-" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v)


def _cell(v) -> str:
    text = fmt(v)
    return "n/a" if text == "" and isinstance(v, float) else text


def sensitivity_tables(sens, limit: int | None = None) -> list[tuple[str, list[tuple[str, bool]], list[list[str]], int]]:
    """``[(title, [(header, numeric)], rows, total)]`` for the constraint, target, weight and (for
    a chain) per-level tables of ``sens`` (a :class:`~goalprog.solve.sensitivity.Sensitivity`),
    each with at most ``limit`` rows (``total``: how many there are)."""
    out = []
    rows = [[r.constraint, _cell(r.activity), _cell(r.slack), _cell(r.bound), _cell(r.rate_below),
             _cell(r.rate_above), _level(r.level)] for r in sens.constraint_rows]
    out.append(("Sensitivity: hard constraints", [("constraint", False), ("activity", True), ("slack", True),
                                                   ("bound", True), ("rate below", True), ("rate above", True),
                                                   ("level", False)], rows))
    marked = any(r.range != "exact" for r in (*sens.target_rows, *sens.weight_rows))  # basis ranges: a column
    rows = [[r.goal, r.end, _cell(r.target), _cell(r.rate_below), _cell(r.rate_above), _cell(r.low), _cell(r.high),
             _level(r.level)] + ([r.range] if marked else []) for r in sens.target_rows]
    out.append(("Sensitivity: targets", [("goal", False), ("end", False), ("target", True), ("rate below", True),
                                         ("rate above", True), ("low", True), ("high", True), ("level", False)]
                + ([("range", False)] if marked else []), rows))
    rows = [[r.goal, r.side, _level(r.level), _cell(r.weight), _cell(r.low), _cell(r.high)]
            + ([r.range] if marked else []) for r in sens.weight_rows]
    out.append(("Sensitivity: weights (the plan stays optimal for its level from low to high)",
                [("goal", False), ("side", False), ("level", False), ("weight", True), ("low", True), ("high", True)]
                + ([("range", False)] if marked else []), rows))
    if sens.level_rows:
        rows = [[r.constraint, _level(r.level), _cell(r.rate_below), _cell(r.rate_above)] for r in sens.level_rows]
        out.append(("Sensitivity: binding constraints by level (each level's lexicographic optimum)",
                    [("constraint", False), ("level", False), ("rate below", True), ("rate above", True)], rows))
    return [(t, h, r if limit is None else r[:limit], len(r)) for t, h, r in out if r]


def sensitivity_section(result, limit: int) -> str:
    """The report's ``<section id="sensitivity">`` (empty text when the result has none)."""
    sens = getattr(result, "sensitivity", None)
    if sens is None:
        return ""
    from .tables import _table  # noqa: PLC2701 - same package

    out = ['<section id="sensitivity"><h2>Sensitivity</h2>', f'<p class="gp-note">{escape(SENSITIVITY_NOTE)}</p>']
    for note in sens.notes:
        out.append(f'<p class="gp-note">{escape(note)}</p>')
    for title, headers, rows, total in sensitivity_tables(sens, limit):
        cells = [[escape(c) for c in r] for r in rows]
        caption = escape(title) + (f" (the first {len(rows):,} of {total:,})" if total > len(rows) else "")
        out.append('<div class="scroll">' + _table([(h, "num" if num else "") for h, num in headers], cells,
                                                   caption=caption) + "</div>")
    out.append(f'<p class="gp-note">{sens.solves:,} re-solves, {sens.time:.3g} s.</p></section>')
    return "".join(out)
