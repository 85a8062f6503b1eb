"""Each priority level solved with its achievement function scaled to size 1 (by a power of two).

A level's weights fix the size of its achievement function's coefficients, and with it the size
of its reduced costs and duals; the solvers' tolerances are absolute (a dual feasibility
tolerance of 1e-7, the exact lock's face threshold
:data:`~goalprog.solve.backends.base.EXACT_DUAL_TOLERANCE` of 1e-11).  With weights of 1e-12 a
level's reduced costs are about 1e-12: the solver may stop at a plan it cannot tell from optimal,
and the optimal face calls every reduced cost 0, so the level is left to a lock row whose
coefficients (1e-12) the solvers' absolute feasibility tolerance of 1e-7 does not hold (a later
level then gave up the whole of priority 1).  So a level whose largest coefficient ``max |c|``
lies outside [:data:`LOW`, :data:`HIGH`] (1e-3, 1e6) is handed to the solver multiplied by ``2**k``, the power
of two that brings ``max |c|`` into [0.5, 2) (exact in binary floating point: the values divide
back without round-off), and what the solve reports (objective, bound, the lock rows' duals, the
face's trade-off part) is divided back.  Reduced costs are then compared with the face threshold
relative to the level's own scale, and a level's hold does not depend on the absolute size of its
weights.  Levels with coefficients within [LOW, HIGH] (every shipped problem and benchmark) are
solved as they are.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

__all__ = ["LevelScaled", "level_scale", "scaled_rows"]

LOW = 1e-3
HIGH = 1e6
"""Levels with coefficients up to this are solved as they are (a knapsack's values near 90,000
took another path through HiGHS's branch and bound when scaled)."""


def level_scale(objective) -> float:
    """The power of two ``2**k`` a level's objective is multiplied by before it is solved (1.0 when
    its largest coefficient is within [LOW, HIGH], or it has none)."""
    c = np.abs(np.asarray(objective.vector.coefs, dtype=np.float64))
    if not len(c) or not np.isfinite(c).all() or c.max() == 0.0:
        return 1.0
    top = float(c.max())
    if LOW <= top <= HIGH:
        return 1.0
    k = -math.floor(math.log2(top))  # top * 2**k in [1, 2)
    return math.ldexp(1.0, k)


def scaled_rows(rows, objective) -> list:
    """The lock rows ``rows`` (:class:`~goalprog.model.ir.ExtraRow`) of a level with achievement
    ``objective``, each multiplied by :func:`level_scale` (``scale`` set): the solvers' absolute
    feasibility tolerance then holds them to the same part of the level whatever its weights' size
    (a row of 1e-12 coefficients is not held at all).  Unchanged when the scale is 1."""
    s = level_scale(objective)
    if s == 1.0:
        return list(rows)
    return [replace(r, vector=replace(r.vector, coefs=r.vector.coefs * s, constant=r.vector.constant * s),
                    lower=r.lower * s, upper=r.upper * s, scale=r.scale * s) for r in rows]


class LevelScaled:
    """A session (:class:`~goalprog.solve.backends.base.Session`) whose ``set_objective`` solves
    the objective multiplied by :func:`level_scale` and whose ``solve`` and ``face_trade_off``
    report in the objective's own units; everything else is the session's."""

    def __init__(self, session):
        self._inner = session
        self._scale = 1.0

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def set_objective(self, objective) -> None:
        self._scale = level_scale(objective)
        if self._scale != 1.0:
            v = objective.vector
            objective = replace(objective, vector=replace(v, coefs=v.coefs * self._scale, constant=v.constant * self._scale))
        self._inner.set_objective(objective)

    def solve(self):
        rec = self._inner.solve()
        s = self._scale
        if s == 1.0:
            return rec
        return replace(rec, objective=None if rec.objective is None else rec.objective / s,
                       bound=None if rec.bound is None else rec.bound / s,
                       extra_duals=None if rec.extra_duals is None else np.asarray(rec.extra_duals) / s)

    def restrict_to_optimal_face(self, budget: float = 0.0, fix: bool = False, dual_tol=None):
        kw = {} if dual_tol is None else {"dual_tol": dual_tol}  # compared with the scaled level's duals
        return self._inner.restrict_to_optimal_face(budget * self._scale, fix=fix, **kw)

    def face_trade_off(self):
        extra = self._inner.face_trade_off()
        return extra if extra is None or self._scale == 1.0 else extra / self._scale
