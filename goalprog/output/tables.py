"""The HTML tables of a report: the text of a goal row, the status line, and the priority level,
goal, objective, variable and expression tables of a :class:`~goalprog.solve.results.Result`.

Every cell is built from HTML-escaped text (:func:`escape`); :mod:`goalprog.output.page` puts the
tables into the notebook fragment and the page, and :mod:`goalprog.output.chart` writes a goal
row's target and deviation with :func:`target_text`, :func:`chart_target_text` and
:func:`deviation_text`.
"""

from __future__ import annotations

import html
import math

from ..core.formatting import fmt, penalty_text, terminal_text

# every use of colour in the report is doubled by a text marker (a check mark or a cross and a word)
MET_MARK = "\u2713"    # check mark
UNMET_MARK = "\u2717"  # ballot x

# -- numbers and text ----------------------------------------------------------------------------

def escape(text) -> str:
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


def solver_of(result) -> str:
    return result.stages[0].solver if result.stages else ""


def achievement(result) -> tuple[str, str] | None:
    """``(what it measures, value)`` of a one-stage method's achievement (``None`` for preemptive
    or without a solution)."""
    if result.method == "preemptive" or not result.has_solution:
        return None
    what = {"weighted": "weighted sum of unwanted deviations",
            "chebyshev": "largest weighted unwanted deviation",
            "extended": f"(1 - {fmt(result.lam)}) \u00d7 largest + {fmt(result.lam)} \u00d7 sum of weighted unwanted deviations",
            }.get(result.method, "weighted sum of unwanted deviations" if result.meta is not None else "achievement")
    if result.model.objectives:
        what += ", minus maximised and plus minimised objectives"
    unproven = unproven_text(result)
    return what, fmt(result.objective) + (f" ({unproven})" if unproven else "")


def gap_text(gap) -> str:
    """A relative MIP gap (:attr:`~goalprog.solve.results.StageResult.gap`) as a percentage with 3
    significant digits (``0.891%``); ``inf%`` for an objective of 0; empty for ``None``."""
    if gap is None:
        return ""
    return "inf%" if math.isinf(gap) else f"{100.0 * gap:.3g}%"


def shows_bounds(result) -> bool:
    """Whether the level table shows the bound and gap columns: when some stage is a MIP solve
    with a solution not proven optimal and a known bound (a gap or limit stop)."""
    return any(s.unproven_bound for s in result.stages)


def bound_cells(result) -> dict:
    """Per priority level: ``(bound, gap)`` texts of its stage (empty where it has no bound)."""
    return {s.priority: (fmt(s.bound), gap_text(s.gap)) for s in result.stages if s.name.startswith("level")}


def unproven_text(result) -> str:
    """For a one-stage method stopped at a gap or a limit with a known bound: ``not proven optimal:
    bound B, gap G``; empty otherwise."""
    s = result.stages[0] if len(result.stages) == 1 else None
    if s is None or not s.unproven_bound:
        return ""
    # the bound in the achievement's terms (minimised: a maximising stage's bound changes sign)
    sign = -1.0 if s.sense == "max" else 1.0
    bound = sign * s.bound if result.objective is None else result.objective + sign * (s.bound - s.objective)
    return f"not proven optimal: bound {fmt(bound)}, gap {gap_text(s.gap)}"


EARLIER_LEVELS_NOTE = "the earlier levels' plan already reached this level's optimum"
"""The note of a level whose own solve found nothing better than the plan it started from (the
plan the solver returned for the earlier levels).  It says no more than that: the earlier levels
may have left other optimal plans, and which one the solver returned decides the flag, so it does
not say the level's priority did not shape the plan."""


def _number(v) -> float | None:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def levels_with_unmet_goals(result) -> set:
    """The priority levels at which some goal misses its target (an unwanted deviation of that
    level is not zero)."""
    if not result.has_solution:
        return set()
    out = set()
    for g in result.to_dict()["goals"]:  # plain rows (no pandas: a table print must not import it)
        if g.get("met") is not False:
            continue
        for side in ("under", "over"):
            level, dev = _number(g.get(f"{side}_priority")), _number(g.get(side))
            if level is not None and dev is not None and dev > 0:
                out.add(int(level))
    return out


def level_notes(result) -> dict:
    """Per priority level, the note of its row in a levels table: the stage's own message, else
    :data:`EARLIER_LEVELS_NOTE` where the level has an unmet goal (or a plain objective) and its own
    solve did not improve on the plan the earlier levels' solve returned (``improved`` false).  A level whose goals are all met gets
    no note: it reads like a failure there."""
    notes = {s.priority: s.message for s in result.stages if s.message}
    unmet = None
    for lv in result.level_values():
        if lv["improved"] is False and lv["level"] not in notes:
            if unmet is None:  # levels with an unmet goal, and levels with a plain objective (never "met")
                unmet = levels_with_unmet_goals(result) | {o.priority for o in result.model.objectives}
            if lv["level"] in unmet:
                notes[lv["level"]] = EARLIER_LEVELS_NOTE
    return notes


FACE_LOCK_NOTE = ("+ face: the level is also held by its optimal face: columns with a nonzero reduced cost "
                  "fixed at their bound and rows with a nonzero dual made tight (see docs/methods.md, Lock style)")
FACE_SLACK_NOTE = ("+ face: the level is also held by the bounds its optimal duals imply: columns with a nonzero "
                   "reduced cost kept within what the lock slack allows of their bound, rows made tight where the "
                   "slack is 0 (see docs/methods.md, Lock style)")
FIX_LOCK_NOTE = ("+ fixed: the level is also held by its columns with a nonzero reduced cost, fixed at their bound "
                 "(see docs/methods.md, Lock style)")


def lock_footnotes(result) -> list[str]:
    """The footnote lines of a levels table that say what ``+ face`` / ``+ fixed`` in its lock
    column mean: one per style that some level's lock shows (none when no lock shows one)."""
    styles = {lv.get("lock_style") for lv in result.level_values()}
    slack = result.lock_abs_tol is not None or result.lock_rel_tol is not None
    face = FACE_SLACK_NOTE if slack else FACE_LOCK_NOTE
    return [note for style, note in (("face", face), ("fix", FIX_LOCK_NOTE)) if style in styles]


TRADE_OFF_NOTE = ("trade-off: how much the next level gains per unit this level gives up (the right-hand "
                  "derivative of the next level's optimum in the slack of this level's lock, from re-solves: "
                  "one value on every backend and algorithm, also where the LP is degenerate)")


def trade_off_footnotes(result, option: str = "rates: ") -> list[str]:
    """The footnote lines of a preemptive levels table about its trade-off rates: what the column
    means (when some level has a rate), each level flagged degenerate, and why rates are missing
    (naming the ``rates`` setting as ``option`` spells it: ``"rates: "`` in a file or report,
    ``"--rates "`` on the command line)."""
    if result.method != "preemptive":
        return []
    out = []
    if any(s.lock_dual is not None for s in result.stages):
        out.append(TRADE_OFF_NOTE)
    missing = []
    for s in result.stages:
        note = s.trade_off_note
        if not note:
            continue
        note = note.replace("rates: ", option)
        if s.lock_dual is not None:
            out.append(f"{s.name}: {note}")
        elif note not in missing:
            missing.append(note)
    for note in missing:
        out.append(f"trade-off rates: {note}")
    return out


def status_class(status: str) -> str:
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
    out.append("<thead><tr>" + "".join(f'<th scope="col" class="{c}">{escape(h)}</th>' for h, c in headers)
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


def levels_table(result) -> str:
    levels = result.level_values()
    if not levels:
        return ""
    notes = level_notes(result)
    duals = any(lv["shadow_price"] is not None for lv in levels)
    bounds = bound_cells(result) if shows_bounds(result) else None
    headers = [("level", ""), ("goals", ""), ("sense", ""), ("achievement", "num")] \
        + ([("bound", "num"), ("gap", "num")] if bounds is not None else []) + [("status", ""), ("lock", "num")]
    if duals:
        headers.append(("trade-off", "num"))
    if notes:
        headers.append(("note", ""))
    rows = []
    for lv in levels:
        lock = "" if lv["lock"] is None else f"{escape(lv['lock_sense'])} {fmt(lv['lock'])}"
        if lv["lock_binding"]:
            lock += " (binding)"
        if lv.get("lock_style") in ("face", "fix"):
            lock += " + face" if lv["lock_style"] == "face" else " + fixed"
        status = lv["status"]
        row = [escape(lv["level"] if lv["level"] is not None else "-"), escape(lv["goals"]), escape(lv["sense"]),
               fmt(lv["achievement"]) if result.has_solution else ""]
        if bounds is not None:
            row += [escape(c) for c in bounds.get(lv["level"], ("", ""))]
        row += [f'<span class="gp-status gp-{status_class(status)}">{escape(status)}</span>', lock]
        if duals:
            row.append(fmt(lv["shadow_price"]))
        if notes:
            row.append(escape(notes.get(lv["level"], "")))
        rows.append(row)
    out = _table(headers, rows, cls="gp-levels")
    if bounds is not None:
        out += ('<p class="gp-note">bound, gap: the solver\'s best bound on a level it did not prove optimal (it '
                "stopped at a MIP gap or a limit), and the relative gap |achievement - bound| / |achievement| at "
                "that level's own solve.</p>")
    for line in lock_footnotes(result) + trade_off_footnotes(result):
        out += f'<p class="gp-note">{escape(line)}.</p>'
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


def goals_table(result, limit: int) -> str:
    if not len(result.model.goals):
        return '<p class="gp-note">The problem has no goals (only plain objectives).</p>'
    rows, note = _goal_rows_shown(result, limit)
    if not result.has_solution:
        headers = [("goal", ""), ("target", ""), ("penalty", "")]
        cells = [[escape(r["label"]), escape(target_text(r)), escape(penalty_text(r))] for r in rows]
        out = _table(headers, cells, cls="gp-goals")
        out = '<p class="gp-note">No solution: only the targets are shown.</p>' + out
    else:
        headers = [("goal", ""), ("target", ""), ("value", "num"), ("under", "num"), ("over", "num"), ("met", ""),
                   ("penalty", ""), ("weighted", "num")]
        cells, classes = [], []
        for r in rows:
            cells.append([escape(r["label"]), escape(target_text(r)), fmt(r["value"]), fmt(r["under"]), fmt(r["over"]),
                          _met_cell(r["met"]), escape(penalty_text(r)), fmt(r["contribution"])])
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


def objectives_table(result) -> str:
    objs = result.model.objectives
    if not objs:
        return ""
    headers = [("objective", ""), ("sense", ""), ("priority", ""), ("weight", "num")]
    if result.has_solution:
        headers.append(("value", "num"))
    rows = []
    for o in objs:
        row = [escape(o.origin.label), escape(o.sense), escape(o.priority if o.priority is not None else "-"), fmt(o.weight)]
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


def variables_table(result, limit: int) -> str:
    rows, note = _capped(result._variable_rows(), limit, "variable instances")
    headers = [("variable", ""), ("value", "num"), ("bounds", ""), ("type", "")]
    cells = [[escape(r["label"]), fmt(r["value"]), escape(_bound_text(r["lower"], r["upper"])),
              "integer" if r["integer"] else "continuous"] for r in rows]
    return note + _table(headers, cells, cls="gp-variables")


def expressions_table(result, limit: int) -> str:
    rows, note = _capped(result._expression_rows(), limit, "expression instances")
    if not rows:
        return ""
    cells = [[escape(r["label"]), fmt(r["value"])] for r in rows]
    return note + _table([("expression", ""), ("value", "num")], cells, cls="gp-expressions")


def status_line(result) -> str:
    status = result.status.value
    parts = [f"method <b>{escape(result.method)}</b>", f"backend <b>{escape(result.backend)}</b>"]
    solver = solver_of(result)
    if solver:
        parts.append(f"solver <b>{escape(solver)}</b>")
    parts.append(f'status <span class="gp-status gp-{status_class(status)}">{escape(status)}</span>')
    return '<p class="gp-run">' + " &middot; ".join(parts) + "</p>"
