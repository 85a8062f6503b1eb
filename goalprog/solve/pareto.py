"""Pareto-efficiency check and restoration of a goal-programming solution.

A GP solution can be *dominated*: another feasible plan is at least as good on every goal and
strictly better on one (typical when a goal is met with room to spare, or when weights leave a
goal's surplus free).  Following Tamiz & Jones ("Goal programming and Pareto efficiency",
*Journal of Information and Optimization Sciences* 17, 1996) and Jones & Tamiz (2010, ch. 4), the
efficiency LP keeps every goal no worse and maximises the sum of normalised improvements::

    max  sum_i s_i
    s.t. f_i(x) - k_i s_i >= f_i(x*)          at_least goals and maximised objectives
         f_i(x) + k_i s_i <= f_i(x*)          at_most goals and minimised objectives
         n_i + p_i + k_i s_i <= d_i(x*)       equal and between goals (distance to the target)
         hard constraints,   0 <= s_i <= S

with ``k_i`` the goal's normalisation scale when it has one, else ``|target|`` (1 for a zero
target), so improvements are fractions of the target.  A positive optimum means ``x*`` is
dominated; the solution of this LP is a non-dominated plan (restoration).  ``S = 1e6`` keeps the
LP bounded when a goal could improve without limit.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .achievement import extend
from .backends.base import Backend, SolveOptions
from ..model.ir import INF, KINDS, LinearModel, Objective, Origins, SparseVector
from ..model.scaling import unwanted
from ..core.status import Status, combine

S_MAX = 1e6
TOL = 1e-6


@dataclass(frozen=True)
class ParetoReport:
    """``dominated``: a better plan exists; ``improvement``: the sum of normalised improvements
    found; ``restored``: the returned plan is the improved one; ``status``: of the efficiency solve."""

    dominated: bool
    improvement: float
    restored: bool
    status: str
    message: str = ""

    def to_dict(self) -> dict:
        return {"dominated": self.dominated, "improvement": self.improvement, "restored": self.restored,
                "status": self.status, "message": self.message}


def efficiency(model: LinearModel, x: np.ndarray, backend: Backend, options: SolveOptions,
               restore: bool) -> tuple[ParetoReport, np.ndarray]:
    """Check ``x`` for Pareto efficiency (and restore an efficient plan when ``restore``).

    Returns the report and the plan to keep (``x`` itself unless restored).
    """
    g = model.goals
    act = model.row_activity(x)
    fval = g.values(x, act)
    under, over = unwanted(model, x)
    n_goal = len(g)
    kinds = np.array([KINDS[k] for k in g.kind]) if n_goal else np.array([], dtype=object)
    target = np.where(np.isinf(g.lower), g.upper, g.lower)
    default_k = np.where(np.abs(target) > 0, np.abs(target), 1.0)
    k_u = np.where(g.under_scale != 1.0, g.under_scale, default_k)
    k_o = np.where(g.over_scale != 1.0, g.over_scale, default_k)
    n_obj = len(model.objectives)
    m = n_goal + n_obj
    if m == 0:
        return ParetoReport(False, 0.0, False, "optimal", "no goals"), x
    s0 = model.n_cols  # first efficiency column
    ptr, cols, vals, lo, hi = [0], [], [], [], []
    origins = Origins()
    for i in range(n_goal):
        r = int(g.row[i])
        a, b = model.indptr[r], model.indptr[r + 1]
        rc, rv = model.indices[a:b], model.data[a:b]
        dev = (rc == g.under_col[i]) | (rc == g.over_col[i])
        kind = kinds[i]
        s = s0 + i
        if kind == "at_least":
            cols.append(np.concatenate([rc[~dev], [s]]))
            vals.append(np.concatenate([rv[~dev], [-k_u[i]]]))
            lo.append(fval[i] - g.const[i])
            hi.append(INF)
        elif kind == "at_most":
            cols.append(np.concatenate([rc[~dev], [s]]))
            vals.append(np.concatenate([rv[~dev], [k_o[i]]]))
            lo.append(-INF)
            hi.append(fval[i] - g.const[i])
        else:
            cols.append(np.array([g.under_col[i], g.over_col[i], s], dtype=np.int64))
            vals.append(np.array([1.0, 1.0, (k_u[i] + k_o[i]) / 2.0]))
            lo.append(-INF)
            hi.append(under[i] + over[i])
        ptr.append(ptr[-1] + len(cols[-1]))
    for j, o in enumerate(model.objectives):
        s = s0 + n_goal + j
        f = o.expr.value(x)
        k = max(1.0, abs(f))
        sign = 1.0 if o.sense == "max" else -1.0
        cols.append(np.concatenate([o.expr.indices, [s]]))
        vals.append(np.concatenate([sign * o.expr.coefs, [-k]]))
        lo.append(sign * (f - o.expr.constant))
        hi.append(INF)
        ptr.append(ptr[-1] + len(cols[-1]))
    origins.add("efficiency", [], m)
    ext = extend(model, np.zeros(m), np.full(m, S_MAX), ["efficiency"] * m, np.array(ptr),
                 np.concatenate(cols).astype(np.int64), np.concatenate(vals), np.array(lo), np.array(hi), origins)
    session = backend.session(ext, options)
    try:
        session.set_objective(Objective("max", SparseVector.make(s0 + np.arange(m), np.ones(m))))
        rec = session.solve()
    finally:
        session.close()
    status = combine(rec.termination, rec.solution)
    if status is not Status.OPTIMAL or rec.x is None:
        return ParetoReport(False, 0.0, False, status.value,
                            f"the efficiency check could not be completed ({status.value})"), x
    s_val = rec.x[s0:s0 + m]
    improvement = float(s_val.sum())
    dominated = improvement > TOL * max(1, m)
    capped = np.flatnonzero(s_val >= S_MAX * (1 - 1e-9))
    if len(capped):
        i = int(capped[0])
        label = g.origins[i].label if i < n_goal else model.objectives[i - n_goal].origin.label
        return ParetoReport(True, float("inf"), False, status.value,
                            f"the plan is dominated: '{label}' can improve without limit, so there is no "
                            "efficient plan to restore (bound it, or give it a target on the other side)"), x
    if dominated and restore:
        return ParetoReport(True, improvement, True, status.value,
                            "the plan was dominated; a non-dominated plan that is no worse on any goal is returned"), \
            rec.x[:model.n_cols]
    msg = "the plan is Pareto efficient" if not dominated else \
        "the plan is dominated: another plan is no worse on any goal and better on some (use pareto: restore)"
    return ParetoReport(dominated, improvement, False, status.value, msg), x
