"""Zero-one normalisation from a payoff table, and the magnitude warning.

Zero-one normalisation (Jones & Tamiz, *Practical Goal Programming*, 2010, section 4.2) divides a
goal's unwanted deviation by the widest it can be: the distance from the target to the worst
value in the payoff table.  The payoff table is built by solving, for each zero-one goal on its
own, the problem of minimising that goal's unwanted deviations subject to the hard constraints;
every goal is then evaluated at each of those solutions, and the largest unwanted deviation a goal
shows across them is its scale (1 when it is always met).  One solve per zero-one goal.

Percent, Euclidean and summation normalisation need no solve: they are computed by the compiler
(see ``goalprog.model.compile``).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .backends.base import Backend, SolveOptions
from ..model.ir import LinearModel, Objective, SparseVector
from ..core.status import Status, combine

MAGNITUDE_WARN = 1e3


def unwanted(model: LinearModel, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unwanted (penalised) under- and over-deviations of every goal instance at ``x``."""
    g = model.goals
    value = g.values(x, model.row_activity(x))
    under = np.where(g.under_col >= 0, np.maximum(0.0, g.lower - value), 0.0)
    over = np.where(g.over_col >= 0, np.maximum(0.0, value - g.upper), 0.0)
    under[np.isnan(under)] = 0.0
    over[np.isnan(over)] = 0.0
    return under, over


def zero_one_scales(model: LinearModel, backend: Backend, options: SolveOptions) -> tuple[LinearModel, list[str]]:
    """The model with zero-one scales filled in from a payoff table; and warnings.

    Raises nothing on a failed payoff solve: that goal keeps scale 1 and a warning says so.
    """
    g = model.goals
    goals = np.flatnonzero(g.zero_one)
    if not len(goals):
        return model, []
    warnings = []
    worst_u = np.zeros(len(g))
    worst_o = np.zeros(len(g))
    session = backend.session(model, options)
    try:
        for i in goals:
            cols, w = [], []
            if g.under_col[i] >= 0:
                cols.append(int(g.under_col[i]))
                w.append(1.0)
            if g.over_col[i] >= 0:
                cols.append(int(g.over_col[i]))
                w.append(1.0)
            session.set_objective(Objective("min", SparseVector.make(cols, w)))
            rec = session.solve()
            if combine(rec.termination, rec.solution) is not Status.OPTIMAL or rec.x is None:
                warnings.append(f"zero-one normalisation: the payoff solve for goal {g.origins[i].label} did not reach "
                                "optimality; its scale is left at 1")
                continue
            u, o = unwanted(model, rec.x)
            worst_u = np.maximum(worst_u, u)
            worst_o = np.maximum(worst_o, o)
    finally:
        session.close()
    under_scale = np.array(g.under_scale, dtype=np.float64)
    over_scale = np.array(g.over_scale, dtype=np.float64)
    for i in goals:
        under_scale[i] = worst_u[i] if worst_u[i] > 1e-9 else 1.0
        over_scale[i] = worst_o[i] if worst_o[i] > 1e-9 else 1.0
    return replace(model, goals=g.with_scales(under_scale, over_scale)), warnings


def magnitude_warnings(model: LinearModel, levels) -> list[str]:
    """Warn when the targets of the goals weighed together in one level differ by orders of
    magnitude and none of them is normalised (their deviations are then not comparable)."""
    g = model.goals
    out = []
    normalised = (g.under_scale != 1.0) | (g.over_scale != 1.0) | g.zero_one
    for level in levels:
        code = 0 if level is None else level
        at = ((g.under_col >= 0) & (g.under_priority == code)) | ((g.over_col >= 0) & (g.over_priority == code))
        if level == "all":
            at = (g.under_col >= 0) | (g.over_col >= 0)
        if at.sum() < 2 or normalised[at].any():
            continue
        t = np.where(np.isinf(g.lower), g.upper, g.lower)[at]
        t = np.abs(t[np.isfinite(t) & (t != 0)])
        if len(t) >= 2 and t.max() / t.min() > MAGNITUDE_WARN:
            where = "the goals" if level == "all" else f"the goals of priority level {level}"
            out.append(f"{where} have targets from {t.min():.3g} to {t.max():.3g}: their deviations are in units "
                       "that do not compare, so the weights mix apples and oranges; consider normalize: percent "
                       "(or zero_one) in the solve: section")
    return out
