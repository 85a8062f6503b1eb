"""What HiGHS's ranging of a stage's optimal basis says for free: each row's bound interval and each column's cost
interval over which the basis stays optimal (one ``getRanging`` call per stage).

Used by :mod:`.stage` (each analysed stage keeps its :class:`BasisRanging`) and :mod:`.compute` (a side of
positive length has the basis's dual as its slope there, exactly; a weight's cost interval is the plan's when the
basis's solution is the plan).  LP ranging: Bazaraa, Jarvis & Sherali, *Linear Programming and Network Flows*
(4th ed., 2010), sec. 6.7-6.8; Gal, *Postoptimal Analyses, Parametric Programming, and Related Topics* (1995), ch. 3.

No solver is imported here.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["BasisRanging", "basis_ranging"]


class BasisRanging:
    """What the solver's optimal basis of a stage says for free (HiGHS's ranging, after the stage's
    first re-solve): for each row, the interval of its bound over which the basis stays optimal, and
    the objective at its ends; for each column, the interval of its cost.  Built only for a primal
    nondegenerate basis (:func:`basis_ranging`): then every side moves the basis's solution linearly
    and keeps it optimal for a positive length, so the dual is each side's derivative exactly.  (At a
    degenerate basis HiGHS still reports intervals, and they can be wrong: the sides are re-solved.)"""

    def __init__(self, v0, dual, up_val, up_obj, dn_val, dn_obj, cost_up, cost_dn, lower, upper, activity,
                 basic=None):
        self.v0, self.dual, self.basic = v0, dual, basic
        self.up_val, self.up_obj, self.dn_val, self.dn_obj = up_val, up_obj, dn_val, dn_obj
        self.cost_up, self.cost_dn = cost_up, cost_dn
        self.lower, self.upper, self.activity = lower, upper, activity

    def row(self, i: int, lo_moves: bool, hi_moves: bool):
        """``((left slope, left length), (right slope, right length))`` of row ``i`` when its moving
        side(s) are the active ones (both for an equality row), else ``None``; a side's slope is
        ``None`` for a length of 0.  In the stage's own sense."""
        lo, hi, act = self.lower[i], self.upper[i], self.activity[i]
        if lo_moves and hi_moves and lo != hi:
            return None
        b = lo if lo_moves else hi
        tol = 1e-9 * max(1.0, abs(b))
        if not np.isfinite(b) or abs(act - b) > 1e-7 * max(1.0, abs(b)):
            return None

        if self.basic is not None and self.basic[i]:
            # a basic row at its bound (degenerate): HiGHS ranges it as if inside its sides.  Loosening the
            # moving side keeps the basis optimal for ever (slope 0); tightening it is degenerate (re-solved)
            if lo_moves and hi_moves:
                return (None, 0.0), (None, 0.0)
            return ((0.0, math.inf), (None, 0.0)) if lo_moves else ((None, 0.0), (0.0, math.inf))

        def side(val, obj, sign):
            length = sign * (val - b)
            if not length > tol:
                return None, 0.0
            dual = float(self.dual[i])
            if np.isfinite(val) and np.isfinite(obj):
                # the basis's dual is the slope over the whole interval, to the solver's accuracy; the secant of
                # the values at its ends only to 1e-12 of the values over the length.  They must agree
                secant = sign * (obj - self.v0) / length
                if abs(secant - dual) > 1e-7 * max(1.0, abs(dual)) + 1e-11 * max(1.0, abs(self.v0)) / length:
                    return None, 0.0
                return dual, length
            return dual, math.inf

        return side(self.dn_val[i], self.dn_obj[i], -1), side(self.up_val[i], self.up_obj[i], 1)

    def cost(self, j: int):
        """``(upper end, lower end)`` of column ``j``'s cost over which the basis stays optimal."""
        return float(self.cost_up[j]), float(self.cost_dn[j])


def basis_ranging(session, v0) -> BasisRanging | None:
    """The :class:`BasisRanging` of a solved HiGHS session (``None`` for another backend, when
    HiGHS has none: no basis, e.g. after interior point without crossover).  A row at its bound but
    basic is marked, so :meth:`BasisRanging.row` re-solves the side its move pushes against."""
    h = getattr(session, "h", None)
    if h is None or not hasattr(h, "getRanging"):
        return None
    try:
        status, rg = h.getRanging()
        if str(status).endswith("kError") or not rg.valid:
            return None
        sol = h.getSolution()
        lp = h.getLp()
        basic = np.array([str(st).endswith("kBasic") for st in h.getBasis().row_status], dtype=bool)
        return BasisRanging(float(v0), np.asarray(sol.row_dual, dtype=np.float64),
                            np.asarray(rg.row_bound_up.value_), np.asarray(rg.row_bound_up.objective_),
                            np.asarray(rg.row_bound_dn.value_), np.asarray(rg.row_bound_dn.objective_),
                            np.asarray(rg.col_cost_up.value_), np.asarray(rg.col_cost_dn.value_),
                            np.asarray(lp.row_lower_), np.asarray(lp.row_upper_), np.asarray(sol.row_value), basic)
    except Exception:  # noqa: BLE001 - ranging is a shortcut; the re-solves give the same numbers
        return None
