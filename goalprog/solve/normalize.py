"""Zero-one normalisation from a payoff table (it solves, so it needs a backend).

Zero-one normalisation (Jones & Tamiz, *Practical Goal Programming*, 2010, section 4.2) divides a
goal's unwanted deviation by the widest it can be: the distance from the target to the worst
value in the payoff table.  The payoff table is built by solving, for each zero-one goal on its
own, the problem of minimising that goal's unwanted deviations subject to the hard constraints;
every goal is then evaluated at each of those solutions, and the largest unwanted deviation a goal
shows across them is its scale (1 when it is always met).  One solve per zero-one goal.

Percent, Euclidean and summation normalisation need no solve: they are computed by the compiler
(see ``goalprog.model.compile``).  The arithmetic without a solver (unwanted deviations at a
point, the magnitude warning) is in :mod:`goalprog.model.scaling`.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..core.status import Status, combine
from ..model.ir import LinearModel, Objective, SparseVector
from ..model.scaling import unwanted
from .backends.base import Backend, SolveOptions


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
