"""Meta-goal programming: a goal programme over measures of the whole goal programme.

Rodríguez Uría, Caballero, Ruiz & Romero, "Meta-goal programming", *European Journal of
Operational Research* 136 (2002) 422-429, put targets on three measures of a goal programme's
unwanted deviations ``d_i`` (weights ``w_i``; ``k_i`` the normalisation scale, 1 without one):

* ``total`` (their meta-goal type I):  ``sum_i (w_i / k_i) d_i  <=  T``;
* ``worst`` (type II):  ``D <= T`` with ``(w_i / k_i) d_i <= D`` for every unwanted deviation;
* ``unmet`` (type III): ``sum_i z_i <= T`` with ``z_i`` in {0, 1} and ``d_i <= M_i z_i``.

Each meta-goal ``q`` is itself a goal, ``measure_q - e_q <= T_q`` with an unwanted deviation
``e_q >= 0``, and the meta-goals are solved as a goal programme over the ``e_q``: lexicographic
by their priorities, weighted within a level (``sum_q v_q e_q``).  :func:`meta_model` writes this as
a derived :class:`~goalprog.model.ir.LinearModel` whose goals are the meta-goals (the original
goal rows and deviation columns stay, as plain rows and columns), so the exact preemptive chain
of :mod:`goalprog.solve.strategies.preemptive` runs it unchanged on every backend.  A
``level: L`` limits a measure to the goals' unwanted deviations at priority level ``L``.

``M_i`` is never a constant: it is the bound :func:`goalprog.model.meta.deviation_bounds` computes
on the model (the variables' bounds tightened by the hard constraints); a deviation with no bound
is a :class:`~goalprog.core.errors.ProblemFileError` naming the variables to bound.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..core.errors import Issue, ProblemFileError, SourceLocation
from ..model.ir import INF, ROLE_DECISION, ROLE_OVER, GoalTable, LinearModel, Origins, frozen_array
from ..model.meta import DeviationBound, MetaGoal, deviation_bounds
from .achievement import ROLE_AUX, extend, penalty_terms, penalty_values

FEWEST_UNMET = (MetaGoal("unmet", "unmet", 0.0, priority=1), MetaGoal("total", "total", 0.0, priority=2))
"""``method: fewest_unmet``: first the fewest goals not met, then the least total weighted
unwanted deviation among the plans that leave that few unmet."""


def _scope(model: LinearModel, level) -> tuple[np.ndarray, np.ndarray]:
    """Per goal instance: whether its under- and its over-deviation is penalised in scope."""
    g = model.goals
    u, o = g.under_col >= 0, g.over_col >= 0
    if level is not None:
        u, o = u & (g.under_priority == level), o & (g.over_priority == level)
    return u, o


def meta_model(model: LinearModel, metas) -> tuple[LinearModel, list[DeviationBound]]:
    """The derived model whose goals are the meta-goals ``metas`` (:class:`MetaGoal`), and the
    deviation bounds used as big-M by the ``unmet`` meta-goals (one per goal side counted).

    Raises :class:`~goalprog.core.errors.ProblemFileError` (located at the meta-goal) when an
    ``unmet`` meta-goal counts a goal whose unwanted deviation no bound limits."""
    n0 = model.n_cols
    new_lo, new_hi, new_int, new_names, over_cols = [], [], [], [], []
    rows = []      # (cols, vals, lower, upper, origin name)

    def column(name, upper=INF, integer=False):
        new_lo.append(0.0)
        new_hi.append(upper)
        new_int.append(integer)
        new_names.append(name)
        return n0 + len(new_lo) - 1

    used: list[DeviationBound] = []
    bounds = None
    if any(q.of == "unmet" for q in metas):
        bounds = {(b.goal, b.side): b for b in deviation_bounds(model)}
        issues = bound_issues(model, metas, bounds=bounds)
        if issues:
            raise ProblemFileError(issues)
    z_of: dict = {}
    measures = []
    for q in metas:
        level = q.level
        if q.of == "total":
            t = penalty_terms(model, level, all_levels=level is None)
            measures.append((t.cols, t.coefs))
        elif q.of == "worst":
            d = column(f"worst[{q.name}]")
            t = penalty_terms(model, level, all_levels=level is None)
            order = np.argsort(t.term, kind="stable")
            starts = np.concatenate([[0], np.cumsum(np.bincount(t.term, minlength=t.n))])
            cols, coefs = t.cols[order], t.coefs[order]
            for k in range(t.n):
                a, b = starts[k], starts[k + 1]
                rows.append((np.append(cols[a:b], d), np.append(coefs[a:b], -1.0), -INF, 0.0, f"worst[{q.name}]"))
            measures.append((np.array([d]), np.array([1.0])))
        else:
            u, o = _scope(model, level)
            zs = []
            for i in np.flatnonzero(u | o).tolist():
                key = (i, level)
                if key not in z_of:
                    z = column(f"unmet[{model.goals.origins[i].label}]", 1.0, True)
                    z_of[key] = z
                    for side, on in (("under", u[i]), ("over", o[i])):
                        if not on:
                            continue
                        b = bounds[(i, side)]
                        if b not in used:  # a goal counted by two unmet meta-goals: its bound once
                            used.append(b)
                        col = int(getattr(model.goals, f"{side}_col")[i])
                        rows.append((np.array([col, z]), np.array([1.0, -b.big_m]), -INF, 0.0,
                                     f"unmet[{b.label},{side}]"))
                zs.append(z_of[key])
            measures.append((np.array(zs, dtype=np.int64), np.ones(len(zs))))
    first_meta_row = model.n_rows + len(rows)
    for q, (cols, coefs) in zip(metas, measures):
        e = column(f"{q.name}:over")
        over_cols.append(e)
        uniq, inv = np.unique(np.asarray(cols, dtype=np.int64), return_inverse=True)
        vals = np.bincount(inv, weights=np.asarray(coefs, dtype=np.float64), minlength=len(uniq))
        rows.append((np.append(uniq, e), np.append(vals, -1.0), -INF, q.at_most, q.name))
    indptr = np.concatenate([[0], np.cumsum([len(r[0]) for r in rows])]).astype(np.int64)
    row_origins = Origins()
    for r in rows:
        row_origins.add(r[4], [], 1)
    derived = extend(model, np.array(new_lo), np.array(new_hi), new_names, indptr,
                     np.concatenate([r[0] for r in rows]).astype(np.int64),
                     np.concatenate([r[1] for r in rows]).astype(np.float64),
                     np.array([r[2] for r in rows]), np.array([r[3] for r in rows]), row_origins,
                     integer=np.array(new_int, dtype=bool))
    role = np.array(derived.col_role)
    role[(role != ROLE_DECISION) & (np.arange(len(role)) < n0)] = ROLE_AUX
    role[over_cols] = ROLE_OVER
    k = len(metas)
    origins = Origins()
    for q in metas:
        origins.add(q.name, [], 1)
    table = GoalTable(
        origins, row=frozen_array(first_meta_row + np.arange(k), np.int64), kind=frozen_array(np.ones(k), np.int8),
        lower=frozen_array(np.full(k, -INF), np.float64), upper=frozen_array([q.at_most for q in metas], np.float64),
        const=frozen_array(np.zeros(k), np.float64), under_col=frozen_array(np.full(k, -1), np.int64),
        over_col=frozen_array(over_cols, np.int64), under_priority=frozen_array(np.zeros(k), np.int64),
        over_priority=frozen_array([q.priority for q in metas], np.int64),
        under_weight=frozen_array(np.zeros(k), np.float64), over_weight=frozen_array([q.weight for q in metas], np.float64),
        indptr=derived.indptr, indices=derived.indices, data=derived.data)
    derived = replace(derived, col_role=frozen_array(role, np.int8), goals=table, objectives=(), penalties=(),
                      meta_goals=(), name=model.name)
    return derived, used


def bound_issues(model: LinearModel, metas, locate=None, bounds: dict | None = None) -> list[Issue]:
    """One :class:`~goalprog.core.errors.Issue` per unwanted deviation an ``unmet`` meta-goal of
    ``metas`` counts that no bound limits (``[]``: every big-M is finite).  An issue is located at
    the meta-goal when it has a location, else at ``locate(goal name)`` (e.g. the goal's key in the
    file) when ``locate`` is given.  ``bounds``: ``(goal, side) -> DeviationBound`` when computed already."""
    issues, seen = [], set()
    for q in metas:
        if q.of != "unmet":
            continue
        if bounds is None:
            bounds = {(b.goal, b.side): b for b in deviation_bounds(model)}
        u, o = _scope(model, q.level)
        for i in np.flatnonzero(u | o).tolist():
            for side, on in (("under", u[i]), ("over", o[i])):
                b = bounds[(i, side)] if on else None
                if b is None or np.isfinite(b.big_m) or (i, side) in seen:
                    continue
                seen.add((i, side))
                where = q.location or (locate(model.goals.origins[i].name) if locate else None)
                issues.append(_unbounded_issue(q, b, where))
    return issues


def _unbounded_issue(q: MetaGoal, b: DeviationBound, where) -> Issue:
    what, way = ("under-achievement", "lowers") if b.side == "under" else ("over-achievement", "raises")
    names = ", ".join(b.open_variables[:10]) + (" ..." if len(b.open_variables) > 10 else "")
    example = (b.open_variables[0].split("[")[0] if b.open_variables else "x")
    return Issue(f"meta-goal {q.name!r} counts unmet goals with 0-1 indicators, whose big-M is a bound on each "
                 f"unwanted deviation; the {what} of goal {b.label} has no bound: nothing limits how far "
                 f"{names or 'the variables'} can go in the direction that {way} its expression (no bound on them "
                 "that way, and no hard constraint that limits them)", where or SourceLocation(),
                 hint=f"give {names or 'the variables'} bounds (e.g. variables: {{{example}: {{lower: 0, upper: 1000}}}}) "
                      "or add a hard constraint that limits the goal's expression")


@dataclass(frozen=True)
class MetaReport:
    """What the meta-goals achieved in the final plan (recomputed from the plan, as goals are):
    ``goals`` one dict per meta-goal (``name``, ``of``, ``level``, ``at_most``, ``priority``,
    ``weight``, ``achieved``, ``met``); ``big_m`` one dict per goal side an ``unmet`` indicator
    switches (``goal``, ``side``, ``big_m``, ``target``, ``expression_bound``: the least (under)
    or greatest (over) value of the goal's expression, ``bound_from``: both in words and how the
    bound was found)."""

    goals: tuple
    big_m: tuple

    def to_dict(self) -> dict:
        return {"goals": [dict(r) for r in self.goals], "big_m": [dict(r) for r in self.big_m]}


def met_goals(model: LinearModel, x: np.ndarray) -> np.ndarray:
    """Per goal instance, whether the plan ``x`` meets it, as :class:`~goalprog.solve.results.Result`
    decides it (unwanted deviation at most ``MET_TOL * max(1, |target|)``)."""
    from ..model.scaling import unwanted
    from .results import MET_TOL

    g = model.goals
    under, over = unwanted(model, x)
    scale = np.maximum(1.0, np.maximum(np.where(np.isinf(g.lower), 0.0, np.abs(g.lower)),
                                       np.where(np.isinf(g.upper), 0.0, np.abs(g.upper))))
    return under + over <= MET_TOL * scale * (1 + 1e-9)


def measures(model: LinearModel, x: np.ndarray, q: MetaGoal) -> float:
    """The value of meta-goal ``q``'s measure at the plan ``x``, recomputed from the plan: the
    weighted unwanted deviations' sum (``total``) or largest (``worst``), or the number of goal
    instances in scope not met (``unmet``, by :func:`met_goals`)."""
    from ..model.scaling import unwanted

    under, over = unwanted(model, x)
    u, o = _scope(model, q.level)
    terms = np.concatenate([penalty_values(model, "under", under)[u], penalty_values(model, "over", over)[o]])
    if q.of == "total":
        return float(terms.sum()) if len(terms) else 0.0
    if q.of == "worst":
        return float(terms.max()) if len(terms) else 0.0
    return float((~met_goals(model, x)[u | o]).sum())


def report(model: LinearModel, x: np.ndarray | None, metas, used: list[DeviationBound]) -> MetaReport:
    """The :class:`MetaReport` of the plan ``x`` (``None``: no solution, achieved values ``None``)."""
    rows = []
    for q in metas:
        value = None if x is None else measures(model, x, q)
        tol = 1e-6 * max(1.0, abs(q.at_most))
        rows.append({"name": q.name, "of": q.of, "level": q.level, "at_most": q.at_most, "priority": q.priority,
                     "weight": q.weight, "achieved": value, "met": None if value is None else value <= q.at_most + tol})
    # the bounds as derived (the model's M carries a 1e-12 pad against rounding: not shown)
    big = [{"goal": b.label, "side": b.side, "big_m": b.derived_m, "target": b.target,
            "expression_bound": b.derived_extreme,
            "bound_from": f"target {b.target:.10g}, expression {'>=' if b.side == 'under' else '<='} "
                          f"{b.derived_extreme:.10g} "
                          f"({b.source})"}
           for b in used]
    return MetaReport(tuple(rows), tuple(big))

