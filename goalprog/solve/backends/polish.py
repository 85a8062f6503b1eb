"""Polishing a plan a solver wrote with few digits: snap to the bounds it sits on, solve its active rows.

Solvers run as programs write their solution as text.  CBC (through PuLP's ``PULP_CBC_CMD`` /
``COIN_CMD``) writes about 8 significant digits: the clothing factory's ``60,000/7 = 8571.4285714...``
comes back as ``8571.4286``, and a column at 0 can come back as ``2e-7``.  These are not solver
tolerances but print rounding, so they can be removed without solving anything again:

1. every column within ``rel * max(1, |bound|)`` of a finite bound is put on that bound, and an
   integer column within ``INTEGER_SNAP`` of a whole number on that number;
2. every row whose activity is within ``rel * max(1, sum_j |a_ij x_j|)`` of a finite side is
   *active*: the polished plan must meet it with equality;
3. the remaining (free) columns move by the least-norm correction ``delta`` that makes every active
   row exact (``A_act,F delta = b_act - A_act x``, dense least squares), the refinement step of a
   crossover (Bixby, "Implementing the simplex method: the initial basis", ORSA J. Computing 4(3),
   1992; the same active-set solve as Gondzio's "cleaning" of interior-point solutions).

At a vertex of the feasible set the free columns are the basic ones and the active rows determine
them uniquely, so the polished plan is the vertex to double precision.  The result is used only if
it is feasible to ``1e-9`` relative (every row and bound), no column moved by more than
``rel`` of its scale, and the objective got no worse beyond that scale; otherwise
:func:`polish_plan` returns ``None`` and the caller keeps (and flags) the solver's plan.

Dense linear algebra: the active-by-free block is at most :data:`MAX_ENTRIES` entries (larger
models are not polished; see :func:`polish_plan`).  No solver is imported here.
"""

from __future__ import annotations

import numpy as np

__all__ = ["polish_plan", "PRINT_ROUNDING", "MAX_ENTRIES", "INTEGER_SNAP"]

PRINT_ROUNDING = 1e-6
"""Relative distance (to ``max(1, |value|)``) within which a printed value is taken to sit on a
bound or side: far above 8 significant digits' rounding (5e-9), far below any real step of a plan
the shipped problems and tests have."""

INTEGER_SNAP = 1e-6
"""An integer column this close to a whole number is put on it (CBC's ``integerTolerance``)."""

MAX_ENTRIES = 4_000_000
"""The largest dense active-by-free block solved (32 MB of float64)."""

FEASIBLE = 1e-9
"""The relative feasibility the polished plan must have on every row and bound."""


def polish_plan(x, col_lower, col_upper, integer, rows, objective=None, sense: str = "min",
                rel: float = PRINT_ROUNDING) -> np.ndarray | None:
    """The plan ``x`` with print rounding removed, or ``None`` when it cannot be polished safely.

    ``x``, ``col_lower``, ``col_upper`` (shape (n,)), ``integer`` (bool, shape (n,)): the plan and
    the column bounds it was solved with (``+-inf`` where none).  ``rows``: a sequence of
    ``(indices, coefficients, lower, upper)`` (int and float arrays, the row's sides on its linear
    part, ``+-inf`` where none): every row of the model the plan was solved on.  ``objective``:
    ``(indices, coefficients)`` of the stage objective and its ``sense`` (``"min"``/``"max"``),
    used only to check that the objective got no worse.  Returns a new array (shape (n,)).
    """
    x = np.array(x, dtype=np.float64)
    lo = np.asarray(col_lower, dtype=np.float64)
    hi = np.asarray(col_upper, dtype=np.float64)
    n = len(x)
    if not np.isfinite(x).all():
        return None
    orig = x.copy()
    scale = np.maximum(1.0, np.abs(x))
    fixed = np.zeros(n, dtype=bool)
    integer = np.asarray(integer, dtype=bool)
    whole = np.round(x)
    snap_int = integer & (np.abs(x - whole) <= INTEGER_SNAP)
    x[snap_int] = whole[snap_int]
    fixed |= snap_int
    for bound in (lo, hi):
        near = np.isfinite(bound) & (np.abs(x - bound) <= rel * np.maximum(1.0, np.abs(bound))) & ~fixed
        x[near] = bound[near]
        fixed |= near
    fixed |= lo == hi
    x = np.where(lo == hi, lo, x)
    free = np.flatnonzero(~fixed)
    act_rows, targets = [], []
    for idx, coefs, rlo, rhi in rows:
        idx = np.asarray(idx, dtype=np.int64)
        coefs = np.asarray(coefs, dtype=np.float64)
        act = float(coefs @ x[idx]) if len(idx) else 0.0
        s = max(1.0, float(np.abs(coefs * x[idx]).sum())) if len(idx) else 1.0
        for side in (rlo, rhi):
            if np.isfinite(side) and abs(act - side) <= rel * s:
                act_rows.append((idx, coefs))
                targets.append(float(side))
                break
    if len(free) and act_rows:
        pos = np.full(n, -1, dtype=np.int64)
        pos[free] = np.arange(len(free))
        if len(act_rows) * len(free) > MAX_ENTRIES:
            return None
        for _ in range(2):  # one step of iterative refinement after the first solve
            M = np.zeros((len(act_rows), len(free)))
            r = np.empty(len(act_rows))
            for i, ((idx, coefs), t) in enumerate(zip(act_rows, targets)):
                p = pos[idx]
                sel = p >= 0
                np.add.at(M[i], p[sel], coefs[sel])
                r[i] = t - float(coefs @ x[idx])
            if not np.abs(r).any():
                break
            delta = np.linalg.lstsq(M, r, rcond=None)[0]
            x[free] += delta
    # the checks: close to the solver's plan, feasible, no worse
    if (np.abs(x - orig) > rel * scale + 1e-12).any():
        return None
    tol_c = FEASIBLE * np.maximum(1.0, np.abs(x))
    if ((np.isfinite(lo) & (x < lo - tol_c)) | (np.isfinite(hi) & (x > hi + tol_c))).any():
        return None
    for idx, coefs, rlo, rhi in rows:
        idx = np.asarray(idx, dtype=np.int64)
        coefs = np.asarray(coefs, dtype=np.float64)
        act = float(coefs @ x[idx]) if len(idx) else 0.0
        s = FEASIBLE * max(1.0, float(np.abs(coefs * x[idx]).sum())) if len(idx) else FEASIBLE
        if (np.isfinite(rlo) and act < rlo - s) or (np.isfinite(rhi) and act > rhi + s):
            return None
    x = np.clip(x, np.where(np.isfinite(lo), lo, -np.inf), np.where(np.isfinite(hi), hi, np.inf))
    if objective is not None:
        oi, oc = np.asarray(objective[0], dtype=np.int64), np.asarray(objective[1], dtype=np.float64)
        before, after = float(oc @ orig[oi]), float(oc @ x[oi])
        s = rel * max(1.0, float(np.abs(oc * orig[oi]).sum()))
        if (after - before > s) if sense == "min" else (before - after > s):
            return None
    return x
