"""Meta-goals and the bounds of goal deviations (no solver).

A :class:`MetaGoal` is one entry of a problem file's ``meta_goals:`` section, compiled: a target
``at_most`` on a measure of the whole goal programme (Rodríguez Uría, Caballero, Ruiz & Romero,
"Meta-goal programming", *European Journal of Operational Research* 136 (2002) 422-429):

* ``total``: the weighted sum of the unwanted deviations (their meta-goal type I);
* ``worst``: the largest weighted unwanted deviation (type II, a Chebyshev-style term);
* ``unmet``: the number of goal instances not met (type III, with one 0-1 indicator per goal).

The ``unmet`` indicators need an upper bound ``M`` on every unwanted deviation they switch on
(``d_i <= M_i z_i``).  :func:`deviation_bounds` computes it on the model: the variables' bounds,
tightened by activity-based bound propagation through the hard constraints (Savelsbergh,
"Preprocessing and probing techniques for mixed integer programming problems", *ORSA Journal on
Computing* 6 (1994) 445-454), then the goal expression's interval (:func:`goalprog.model.lint.goal_ranges`).
It never uses a constant: a deviation that no bound limits is reported with the variables that
leave it open (:class:`DeviationBounds`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core.errors import SourceLocation
from .ir import ROLE_DECISION, LinearModel

MEASURES = ("total", "worst", "unmet")
PROPAGATION_ROUNDS = 20


@dataclass(frozen=True)
class MetaGoal:
    """One meta-goal: ``measure(of, level) <= at_most`` at meta priority ``priority`` with weight
    ``weight``.  ``level``: only the goals whose unwanted deviations are at that priority level
    (``None``: every goal).  ``name``: the user's, or one made from ``of`` and ``level``.
    ``location``: where it was written (``None`` for a method's built-in meta-goals)."""

    name: str
    of: str
    at_most: float
    priority: int = 1
    weight: float = 1.0
    level: int | None = None
    location: SourceLocation | None = None


def default_name(of: str, level: int | None) -> str:
    """``unmet``, ``total[level 2]``: the name of a meta-goal the file does not name."""
    return of if level is None else f"{of}[level {level}]"


def propagated_bounds(model: LinearModel, rounds: int = PROPAGATION_ROUNDS,
                      pad: float = 1e-12) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Column bounds tightened by the hard constraints (rows ``0..n_hard-1``), by activity-based
    bound propagation: for a row ``L <= sum a_j x_j <= U`` each ``x_j`` is bounded by ``U`` (or
    ``L``) less the least (greatest) activity of the other terms.  ``rounds`` passes at most.

    Returns ``(lower, upper, lower_row, upper_row)``: float arrays of length ``n_cols`` and, for
    each, the hard row that gave the bound (``-1``: the variable's own bound).  Every bound is
    relaxed by ``pad * max(1, |bound|)`` against rounding (the solver's feasibility tolerance absorbs
    the rest); ``pad=0`` gives the bounds as derived (what a report shows).
    """
    lower = np.array(model.col_lower, dtype=np.float64)
    upper = np.array(model.col_upper, dtype=np.float64)
    lo_row = np.full(model.n_cols, -1, dtype=np.int64)
    hi_row = np.full(model.n_cols, -1, dtype=np.int64)
    m = model.n_hard
    if not m:
        return lower, upper, lo_row, hi_row
    end = int(model.indptr[m])
    cols = np.asarray(model.indices[:end])
    a = np.asarray(model.data[:end])
    rows = np.repeat(np.arange(m), np.diff(model.indptr[:m + 1]))
    keep = a != 0
    rows, cols, a = rows[keep], cols[keep], a[keep]
    rl, ru = np.asarray(model.row_lower[:m]), np.asarray(model.row_upper[:m])
    ints = np.asarray(model.col_integer)
    for _ in range(rounds):
        with np.errstate(all="ignore"):
            least = np.where(a > 0, a * lower[cols], a * upper[cols])    # each term's least value
            most = np.where(a > 0, a * upper[cols], a * lower[cols])
            changed = False
            for sign, terms in ((1, least), (-1, most)):
                finite = np.isfinite(terms)
                total = np.bincount(rows, weights=np.where(finite, terms, 0.0), minlength=m)
                n_inf = np.bincount(rows, weights=~finite, minlength=m)
                # the activity of the other terms of the row, least (sign 1) or greatest (-1)
                others = np.where(finite, np.where(n_inf[rows] == 0, total[rows] - terms, np.nan),
                                  np.where(n_inf[rows] == 1, total[rows], np.nan))
                side = ru[rows] if sign == 1 else rl[rows]
                ok = np.isfinite(others) & np.isfinite(side)
                room = (side - others) / a        # x_j <= room (a > 0, sign 1) ...
                upper_bound = (a > 0) == (sign == 1)
                for want_upper in (True, False):
                    sel = ok & (upper_bound == want_upper)
                    if not sel.any():
                        continue
                    c, v, r = cols[sel], room[sel], rows[sel]
                    slack = pad * np.maximum(1.0, np.abs(v))
                    v = v + slack if want_upper else v - slack
                    target = upper if want_upper else lower
                    order = np.argsort(v if want_upper else -v, kind="stable")
                    c, v, r = c[order], v[order], r[order]
                    first = np.unique(c, return_index=True)[1]      # the tightest bound per column
                    c, v, r = c[first], v[first], r[first]
                    if want_upper:
                        v = np.where(ints[c], np.floor(v + 1e-9), v)
                        better = v < target[c] - 1e-9 * np.maximum(1.0, np.abs(v))
                    else:
                        v = np.where(ints[c], np.ceil(v - 1e-9), v)
                        better = v > target[c] + 1e-9 * np.maximum(1.0, np.abs(v))
                    if better.any():
                        changed = True
                        target[c[better]] = v[better]
                        (hi_row if want_upper else lo_row)[c[better]] = r[better]
        if not changed or (lower > upper + 1e-6 * np.maximum(1.0, np.abs(upper))).any():
            break
    if (lower > upper + 1e-6 * np.maximum(1.0, np.abs(upper))).any():  # infeasible bounds: keep the given ones
        return (np.array(model.col_lower, dtype=np.float64), np.array(model.col_upper, dtype=np.float64),
                np.full(model.n_cols, -1, dtype=np.int64), np.full(model.n_cols, -1, dtype=np.int64))
    return lower, upper, lo_row, hi_row


@dataclass(frozen=True)
class DeviationBound:
    """The largest value one unwanted deviation can take: ``big_m`` (``inf`` when nothing bounds
    it) for goal instance ``goal`` (index into the goal table), ``side`` ``under`` or ``over``;
    ``extreme``: the least (under) or greatest (over) value of the goal expression used;
    ``constraints``: labels of the hard constraints whose propagation tightened a variable bound
    used; ``open_variables``: labels of the variables whose missing bound leaves it ``inf``.
    ``big_m`` and ``extreme`` carry the propagation's pad against rounding (the model's ``d <= M z``
    uses them); ``derived_m`` and ``derived_extreme`` are the same bounds as derived, without the
    pad (what the result shows: 60,000, not 60,000.00000008).  ``nan`` when not computed."""

    goal: int
    label: str
    side: str
    big_m: float
    extreme: float
    target: float
    constraints: tuple[str, ...] = ()
    open_variables: tuple[str, ...] = ()
    derived_m: float = float("nan")
    derived_extreme: float = float("nan")

    @property
    def source(self) -> str:
        """How the bound was found, in words."""
        if not np.isfinite(self.big_m):
            return "unbounded"
        if self.constraints:
            return "variable bounds tightened by " + ", ".join(self.constraints)
        return "variable bounds"


def deviation_bounds(model: LinearModel, goals: np.ndarray | None = None) -> list[DeviationBound]:
    """An upper bound on every penalised (unwanted) deviation of the goal instances ``goals``
    (default: all), from :func:`propagated_bounds` and the goal expressions' intervals: an
    under-deviation is at most ``target - least value of the expression``, an over-deviation at
    most ``greatest value - target`` (never below 0)."""
    from .lint import goal_ranges

    g = model.goals
    idx = np.arange(len(g)) if goals is None else np.asarray(goals, dtype=np.int64)
    lower, upper, lo_row, hi_row = propagated_bounds(model)
    emin, emax = goal_ranges(model, (lower, upper))
    exact_min, exact_max = goal_ranges(model, propagated_bounds(model, pad=0.0)[:2])
    out = []
    for i in idx.tolist():
        r = int(g.row[i])
        a0, b0 = int(model.indptr[r]), int(model.indptr[r + 1])
        cols, coefs = model.indices[a0:b0], model.data[a0:b0]
        dec = (model.col_role[cols] == ROLE_DECISION) & (coefs != 0)
        cols, coefs = cols[dec], coefs[dec]
        for side in ("under", "over"):
            if getattr(g, f"{side}_col")[i] < 0:
                continue
            if side == "under":
                target, extreme, shown = float(g.lower[i]), float(emin[i]), float(exact_min[i])
                m = max(0.0, target - extreme)
                # the expression's least value uses lower bounds of a > 0 and upper bounds of a < 0
                use_hi = coefs < 0
            else:
                target, extreme, shown = float(g.upper[i]), float(emax[i]), float(exact_max[i])
                m = max(0.0, extreme - target)
                use_hi = coefs > 0
            bound = np.where(use_hi, upper[cols], lower[cols])
            rows = np.where(use_hi, hi_row[cols], lo_row[cols])
            opened = tuple(dict.fromkeys(model.col_origin[int(c)].label for c in cols[~np.isfinite(bound)]))
            used = tuple(dict.fromkeys(model.row_origin[int(k)].label for k in rows[rows >= 0]))
            shown_m = max(0.0, target - shown if side == "under" else shown - target)
            out.append(DeviationBound(i, g.origins[i].label, side, m if np.isfinite(m) else float("inf"),
                                      extreme, target, used if np.isfinite(m) else (), opened,
                                      shown_m if np.isfinite(m) else float("inf"), shown))
    return out
