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

The correction is solved densely (least squares) when the active-by-free block has at most
:data:`MAX_ENTRIES` entries, else by CGLS (conjugate gradients on the normal equations, Hestenes &
Stiefel 1952; Björck, *Numerical Methods for Least Squares Problems*, SIAM 1996, sec. 7.4) on the
sparse rows: a correction of a plan already right to the last bits need only shrink the residual,
and iterative refinement (Wilkinson 1963; Higham, *Accuracy and Stability of Numerical
Algorithms*, 2nd ed., ch. 12) repeats it with the residual computed exactly (``Fraction``; on
large blocks in 64-bit-significand extended precision, or ``math.fsum`` where numpy has none).

Last, a free column within a few units in the last place of a whole number is put on it when
every active row it is in stays exactly met (its residual, summed exactly, no larger): the value
the active rows determine, not a rounding of the printed number.

Solvers that return double precision (HiGHS's LPs, every PuLP and Pyomo solver, MIP plans too
with their integer columns on whole numbers) are polished with ``rel`` :data:`LAST_BITS` on the
final plan of a solve (:func:`polish_csr`), printed plans (CBC, glpsol) also with
:data:`PRINT_ROUNDING` on every stage.  No solver is imported here.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["polish_plan", "polish_csr", "PRINT_ROUNDING", "LAST_BITS", "MAX_ENTRIES", "MAX_SPARSE_NONZEROS",
           "INTEGER_SNAP", "exact_value"]

PRINT_ROUNDING = 1e-6
"""Relative distance (to ``max(1, |value|)``) within which a printed value is taken to sit on a
bound or side: far above 8 significant digits' rounding (5e-9), far below any real step of a plan
the shipped problems and tests have."""

INTEGER_SNAP = 1e-6
"""An integer column this close to a whole number is put on it (CBC's ``integerTolerance``)."""

LAST_BITS = 1e-9
"""The ``rel`` of a plan a solver returned in double precision (HiGHS, Pyomo's solvers): its
columns sit on their bounds and its rows on their sides to the last bits, or not at all."""

MAX_ENTRIES = 40_000
"""The largest active-by-free block solved densely (least squares by SVD, 200 x 200: milliseconds;
measured 2.4 s at 443 x 443 on the loaded 2-core benchmark machine); larger blocks are solved by
the sparse iteration below, up to :data:`MAX_SPARSE_NONZEROS` nonzeros."""

MAX_SPARSE_NONZEROS = 20_000_000
"""The most nonzeros of an active-by-free block solved by the sparse iteration (CGLS)."""

CGLS_STEPS = 60
"""CGLS steps per correction: each correction need only shrink the residual (iterative refinement
repeats it), not solve the system to double precision."""

FEASIBLE = 1e-9
"""The relative feasibility the polished plan must have on every row and bound."""


def polish_plan(x, col_lower, col_upper, integer, rows, objective=None, sense: str = "min",
                rel: float = PRINT_ROUNDING, targets: int | None = None) -> np.ndarray | None:
    """The plan ``x`` with print rounding removed, or ``None`` when it cannot be polished safely.

    ``x``, ``col_lower``, ``col_upper`` (shape (n,)), ``integer`` (bool, shape (n,)): the plan and
    the column bounds it was solved with (``+-inf`` where none).  ``rows``: a sequence of
    ``(indices, coefficients, lower, upper)`` (int and float arrays, the row's sides on its linear
    part, ``+-inf`` where none): every row of the model the plan was solved on.  ``objective``:
    ``(indices, coefficients)`` of the stage objective and its ``sense`` (``"min"``/``"max"``),
    used only to check that the objective got no worse; ``targets``: as in :func:`polish_csr`.
    Returns a new array (shape (n,)).
    """
    rows = list(rows)
    idx = [np.asarray(r[0], dtype=np.int64) for r in rows]
    indptr = np.concatenate([[0], np.cumsum([len(i) for i in idx])]).astype(np.int64)
    indices = np.concatenate(idx) if idx else np.zeros(0, dtype=np.int64)
    data = np.concatenate([np.asarray(r[1], dtype=np.float64) for r in rows]) if rows else np.zeros(0)
    return polish_csr(x, col_lower, col_upper, integer, indptr, indices, data,
                      np.array([float(r[2]) for r in rows]), np.array([float(r[3]) for r in rows]),
                      objective, sense, rel, targets)


def exact_value(coefs, values, constant: float = 0.0) -> float:
    """``sum(coefs * values) + constant`` summed exactly (``math.fsum`` of the products: one
    rounding per product and one of the sum), so that a plan at a vertex gives the level value the
    active rows determine (``3 * 50000 = 150000``, not ``150000.00000000003``)."""
    return math.fsum([*(np.asarray(coefs, dtype=np.float64) * np.asarray(values, dtype=np.float64)).tolist(),
                      float(constant)])


EXACT_NONZEROS = 1_000
"""Up to this many nonzeros in the active rows, their residuals are computed in exact rational
arithmetic (``fractions.Fraction``: no rounding at all, so refinement reaches the double nearest
the vertex, e.g. 50,000/7 and not two units in the last place off); above it, ``math.fsum`` of the
rounded products."""


EXTENDED = np.finfo(np.longdouble).nmant >= 63
"""Whether ``numpy.longdouble`` is x87 extended precision (Linux and macOS on x86-64); elsewhere
large blocks' residuals are ``math.fsum`` of the rounded products (slower, as exact)."""


def _residual(indptr, coefs, values, target) -> np.ndarray:
    """Per row of the CSR block (``indptr``; ``coefs`` and the column ``values`` in CSR order),
    ``target - sum(coefs * values)``: rounded once from its exact value up to :data:`EXACT_NONZEROS`
    nonzeros, else summed in extended precision (:data:`EXTENDED`) or by ``math.fsum``."""
    bounds = indptr.tolist()
    t = np.asarray(target, dtype=np.float64).tolist()
    if len(coefs) <= EXACT_NONZEROS:
        from fractions import Fraction

        terms = [Fraction(a) * Fraction(v) for a, v in zip(coefs.tolist(), values.tolist())]
        return np.array([float(Fraction(t[i]) - sum(terms[a:b], Fraction(0)))
                         for i, (a, b) in enumerate(zip(bounds[:-1], bounds[1:]))], dtype=np.float64)
    if EXTENDED:  # 64-bit significands: products and sums 2,048 times finer than a double's last bit
        prod = np.asarray(coefs, dtype=np.longdouble) * np.asarray(values, dtype=np.longdouble)
        sums = np.zeros(len(bounds) - 1, dtype=np.longdouble)
        filled = np.diff(indptr) > 0
        if filled.any():
            sums[filled] = np.add.reduceat(prod, np.asarray(indptr[:-1])[filled])
        return (np.asarray(target, dtype=np.longdouble) - sums).astype(np.float64)
    p = (-(coefs * values)).tolist()
    return np.array([math.fsum([ti, *p[a:b]])
                     for ti, a, b in zip(t, bounds[:-1], bounds[1:])], dtype=np.float64)


def polish_csr(x, col_lower, col_upper, integer, indptr, indices, data, row_lower, row_upper,
               objective=None, sense: str = "min", rel: float = PRINT_ROUNDING,
               targets: int | None = None) -> np.ndarray | None:
    """:func:`polish_plan` with the rows as CSR arrays: ``indptr`` (m + 1), ``indices``/``data``
    (the nonzeros), ``row_lower``/``row_upper`` (m, ``+-inf`` where none).  ``targets``: only the
    first ``targets`` rows can be active (made exact); the others (a chain's lock rows, whose
    sides carry a guard slack: not a value to pull the plan to) are only checked.  With
    ``targets`` given, the polished plan is also refused when any active row's exactly summed
    residual grows (no row made less exact to make others exact).  ``None`` when the plan cannot
    be polished safely (module docstring); else a new array (shape (n,))."""
    x = np.array(x, dtype=np.float64)
    lo = np.asarray(col_lower, dtype=np.float64)
    hi = np.asarray(col_upper, dtype=np.float64)
    indptr = np.asarray(indptr, dtype=np.int64)
    indices = np.asarray(indices, dtype=np.int64)
    data = np.asarray(data, dtype=np.float64)
    rlo = np.asarray(row_lower, dtype=np.float64)
    rhi = np.asarray(row_upper, dtype=np.float64)
    n, m = len(x), len(rlo)
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
    lens_all = np.diff(indptr)
    row_of = np.repeat(np.arange(m), lens_all)
    act = np.bincount(row_of, weights=data * x[indices], minlength=m)
    size = np.maximum(1.0, np.bincount(row_of, weights=np.abs(data * x[indices]), minlength=m))
    at_lo = np.isfinite(rlo) & (np.abs(act - rlo) <= rel * size)
    at_hi = np.isfinite(rhi) & (np.abs(act - rhi) <= rel * size) & ~at_lo
    at_lo &= lens_all > 0  # a row without nonzeros is what it is
    at_hi &= lens_all > 0
    if targets is not None:
        at_lo[targets:] = at_hi[targets:] = False
    active = np.flatnonzero(at_lo | at_hi)
    target = np.where(at_lo, rlo, rhi)[active]
    free = np.flatnonzero(~fixed)
    if len(free) and len(active):
        pos = np.full(n, -1, dtype=np.int64)
        pos[free] = np.arange(len(free))
        # the active rows' nonzeros (CSR, rows renumbered 0..k-1) and their free columns
        starts, ends = indptr[active], indptr[active + 1]
        lens = ends - starts
        sub_ptr = np.concatenate([[0], np.cumsum(lens)])
        take = np.repeat(starts - sub_ptr[:-1], lens) + np.arange(sub_ptr[-1])
        a_cols, a_data = indices[take], data[take]
        a_row = np.repeat(np.arange(len(active)), lens)
        p = pos[a_cols]
        sel = p >= 0
        # each active row divided by its size (sum |a_ij x_j|): the least-squares correction then
        # weighs every row's relative residual alike, and a long row's last bit (which no plan in
        # double precision can remove) does not push its error into short rows
        w = 1.0 / size[active]
        f_row, f_col, f_val = a_row[sel], p[sel], a_data[sel] * w[a_row[sel]]
        dense = len(active) * len(free) <= MAX_ENTRIES
        if not dense and len(f_val) > MAX_SPARSE_NONZEROS:
            return None
        M = None
        if dense:
            M = np.zeros((len(active), len(free)))
            np.add.at(M, (f_row, f_col), f_val)
        start = _residual(sub_ptr, a_data, orig[a_cols], target)
        best = None
        for _ in range(3):  # iterative refinement: the residual summed exactly, then a correction
            r = _residual(sub_ptr, a_data, x[a_cols], target) * w
            norm = float(np.abs(r).max())
            if best is not None and norm >= best[0]:
                x = best[1]  # no better than the step before: keep that one
                break
            best = (norm, x.copy())
            if norm == 0.0:
                break
            if dense:
                delta = np.linalg.lstsq(M, r, rcond=None)[0]
            else:
                delta = _cgls(f_row, f_col, f_val, len(active), len(free), r)
            x[free] += delta
        else:
            r = _residual(sub_ptr, a_data, x[a_cols], target) * w
            if float(np.abs(r).max()) > best[0]:
                x = best[1]
        x = _whole_numbers(x, free, a_cols, a_data, sub_ptr, target)
        if targets is not None:
            # no row made less exact: a row met exactly stays so; another may move within half a
            # unit in the last place of its largest term (below what its value can show)
            before = np.abs(start)
            after = np.abs(_residual(sub_ptr, a_data, x[a_cols], target))
            big = np.maximum(np.abs(target), np.maximum.reduceat(np.abs(a_data * x[a_cols]), sub_ptr[:-1])
                             if len(a_data) else 0.0)
            if ((after > before) & ((before == 0.0) | (after > 0.5 * np.spacing(big)))).any():
                return None
    # the checks: close to the solver's plan, feasible, no worse
    if (np.abs(x - orig) > rel * scale + 1e-12).any():
        return None
    tol_c = FEASIBLE * np.maximum(1.0, np.abs(x))
    if ((np.isfinite(lo) & (x < lo - tol_c)) | (np.isfinite(hi) & (x > hi + tol_c))).any():
        return None
    act = np.bincount(row_of, weights=data * x[indices], minlength=m)
    tol_r = FEASIBLE * np.maximum(1.0, np.bincount(row_of, weights=np.abs(data * x[indices]), minlength=m))
    if ((np.isfinite(rlo) & (act < rlo - tol_r)) | (np.isfinite(rhi) & (act > rhi + tol_r))).any():
        return None
    x = np.clip(x, np.where(np.isfinite(lo), lo, -np.inf), np.where(np.isfinite(hi), hi, np.inf))
    if objective is not None:
        oi, oc = np.asarray(objective[0], dtype=np.int64), np.asarray(objective[1], dtype=np.float64)
        before, after = exact_value(oc, orig[oi]), exact_value(oc, x[oi])
        s = rel * max(1.0, float(np.abs(oc * orig[oi]).sum()))
        if (after - before > s) if sense == "min" else (before - after > s):
            return None
    return x


def _cgls(rows, cols, vals, m: int, n: int, b: np.ndarray) -> np.ndarray:
    """An approximate least-squares solution of ``A d = b`` (``A`` given by its nonzeros ``rows``,
    ``cols``, ``vals``; shape (m, n)) by :data:`CGLS_STEPS` steps of CGLS from ``d = 0``."""
    d = np.zeros(n)
    r = b.astype(np.float64).copy()
    s = np.bincount(cols, weights=vals * r[rows], minlength=n)
    p = s.copy()
    gamma = float(s @ s)
    for _ in range(CGLS_STEPS):
        if gamma == 0.0:
            break
        q = np.bincount(rows, weights=vals * p[cols], minlength=m)
        qq = float(q @ q)
        if qq == 0.0:
            break
        alpha = gamma / qq
        d += alpha * p
        r -= alpha * q
        s = np.bincount(cols, weights=vals * r[rows], minlength=n)
        new = float(s @ s)
        p = s + (new / gamma) * p
        gamma = new
    return d


def _whole_numbers(x, free, a_cols, a_data, sub_ptr, target) -> np.ndarray:
    """``x`` with the free columns within 8 units in the last place of a whole number put on it,
    when no active row's exactly summed residual grows (else ``x`` unchanged)."""
    v = x[free]
    w = np.round(v)
    near = (w != v) & (np.abs(v - w) <= 8 * np.finfo(np.float64).eps * np.maximum(1.0, np.abs(v)))
    if not near.any():
        return x
    y = x.copy()
    y[free[near]] = w[near]
    before = np.abs(_residual(sub_ptr, a_data, x[a_cols], target))
    after = np.abs(_residual(sub_ptr, a_data, y[a_cols], target))
    return y if (after <= before).all() else x


def final_plan(session, x, model=None):
    """The plan ``x`` (shape (n,)) of the stage ``session`` just solved, polished by the session
    (``session.polished_plan``: HiGHS's LPs; every PuLP and Pyomo solver, a MIP's plan with its
    integer columns on whole numbers; programs' plans were also polished as they were read)
    against the rows and bounds it holds now; ``x`` itself when the session cannot polish it or
    the polish is refused (module docstring: never a value the active rows do not give).
    ``model``: unused, kept for callers."""
    fn = getattr(session, "polished_plan", None)
    if fn is None or x is None:  # a MIP's plan too: the session polishes it with the integers fixed, or not
        return x
    try:
        polished = fn(np.asarray(x, dtype=np.float64))
    except (ValueError, np.linalg.LinAlgError, MemoryError):  # the solver's plan stays
        return x
    return x if polished is None else polished


def polish_record(session, rec, model=None):
    """The :class:`~goalprog.solve.backends.base.StageRecord` ``rec`` of an optimal LP solve with
    its plan polished (:func:`final_plan`) and its objective summed exactly (:func:`exact_value`)
    from that plan; ``rec`` unchanged otherwise."""
    from dataclasses import replace

    from ...core.status import SolutionStatus

    if rec.x is None or rec.solution is not SolutionStatus.OPTIMAL:
        return rec
    x = final_plan(session, rec.x, model)
    o = getattr(session, "objective", None)
    if x is rec.x or o is None:
        return rec
    v = o.vector
    return replace(rec, x=x, objective=exact_value(v.coefs, x[np.asarray(v.indices, dtype=np.int64)], v.constant))
