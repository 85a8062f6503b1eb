"""Rigorous lower bounds on the lexicographic level values of a preemptive goal program (issue 13).

    python benchmarks/certify_lex.py FILE.yaml [--eps 1e-9] [--values v1,v2,...]

For level ``k`` (minimised), any row duals ``y`` give a lower bound on ``min c x`` over the
polyhedron ``L <= A x <= U``, ``l <= x <= u`` (Lagrangian weak duality; the safe bound of Neumaier
& Shcherbina, "Safe bounds in linear and mixed-integer linear programming", Math. Program. 99,
2004):

    g(y) = sum_i (y_i L_i if y_i > 0 else y_i U_i) + sum_j min(d_j l_j, d_j u_j),   d = c - A^T y

``g`` is evaluated here in **exact rational arithmetic** (``fractions.Fraction``; every float is a
dyadic rational, so nothing is rounded), with ``y`` projected to the signs the finite sides allow,
and finite column bounds where the model has none taken from bound propagation over the rows
(implied bounds, widened by 1 % + 1, which only weakens the bound).  ``y`` comes from plain
highspy (not goalprog's chain) solving level ``k`` with the earlier levels held by lock rows
``h_j <= v_j + eps max(1, |v_j|)``: a relaxation of their optimal set as long as ``v_j`` (the
values under test, by default the chain's own) is not below the exact value by more than the
``eps`` margin, so ``g`` is a valid lower bound on the exact level value.  The chain's value is an
upper bound up to its plan's feasibility (1e-9 on the rows, checked by goalprog).  Prints, per
level, the chain's value, the certified lower bound and their relative gap.
"""

from __future__ import annotations

import argparse
import sys
import time
from fractions import Fraction as F
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def implied_bounds(model, rounds: int = 60):
    """Column bounds implied by the rows (activity-based propagation), widened by 1 % + 1."""
    lo = np.array(model.col_lower, dtype=float)
    hi = np.array(model.col_upper, dtype=float)
    rows = np.repeat(np.arange(model.n_rows), np.diff(model.indptr))
    cols, a = model.indices, model.data
    for _ in range(rounds):
        changed = False
        # each entry's min and max contribution a_ij x_j over the current box
        cmin = np.where(a > 0, a * lo[cols], a * hi[cols])
        cmax = np.where(a > 0, a * hi[cols], a * lo[cols])
        with np.errstate(invalid="ignore"):
            smin = np.bincount(rows, weights=np.where(np.isfinite(cmin), cmin, 0.0), minlength=model.n_rows)
            nmin = np.bincount(rows, weights=~np.isfinite(cmin), minlength=model.n_rows)
            smax = np.bincount(rows, weights=np.where(np.isfinite(cmax), cmax, 0.0), minlength=model.n_rows)
            nmax = np.bincount(rows, weights=~np.isfinite(cmax), minlength=model.n_rows)
            # a_ij x_j <= U_i - (min activity of the others); >= L_i - (max activity of the others)
            fmin, fmax = np.isfinite(cmin), np.isfinite(cmax)
            others_min = np.where((nmin[rows] - ~fmin) > 0, -np.inf, smin[rows] - np.where(fmin, cmin, 0.0))
            others_max = np.where((nmax[rows] - ~fmax) > 0, np.inf, smax[rows] - np.where(fmax, cmax, 0.0))
            up = model.row_upper[rows] - others_min   # bound on a_ij x_j from above
            dn = model.row_lower[rows] - others_max   # bound on a_ij x_j from below
            new_hi = np.where(a > 0, up / a, dn / a)
            new_lo = np.where(a > 0, dn / a, up / a)
        new_hi = np.where(np.isfinite(new_hi), new_hi + 0.01 * np.abs(new_hi) + 1.0, np.inf)
        new_lo = np.where(np.isfinite(new_lo), new_lo - 0.01 * np.abs(new_lo) - 1.0, -np.inf)
        h2 = hi.copy()
        np.minimum.at(h2, cols, new_hi)
        l2 = lo.copy()
        np.maximum.at(l2, cols, new_lo)
        h2 = np.where(np.isinf(hi), h2, hi)  # only bounds the model lacks are filled in
        l2 = np.where(np.isinf(lo), l2, lo)
        changed = bool((h2 < hi).any() or (l2 > lo).any())
        lo, hi = l2, h2
        if not changed:
            break
    return lo, hi


def lagrangian_bound(model, extra, c, const, y, lo, hi) -> F:
    """g(y) in Fractions: ``extra`` rows (indices, coefs, lower, upper) follow the model's rows in y."""
    n = model.n_cols
    d = [F(float(v)) for v in c]
    total = F(float(const))
    m = model.n_rows
    sides = [(model.row_lower[i], model.row_upper[i]) for i in range(m)] + [(e[2], e[3]) for e in extra]
    yy = []
    for i, (L, U) in enumerate(sides):
        yi = float(y[i])
        if yi > 0 and np.isfinite(L):
            total += F(yi) * F(float(L))
        elif yi < 0 and np.isfinite(U):
            total += F(yi) * F(float(U))
        else:
            yi = 0.0
        yy.append(F(yi))
    for i in range(m):
        if yy[i]:
            for k in range(model.indptr[i], model.indptr[i + 1]):
                d[int(model.indices[k])] -= yy[i] * F(float(model.data[k]))
    for r, (idx, coefs, _, _) in enumerate(extra):
        if yy[m + r]:
            for j, a in zip(idx.tolist(), coefs.tolist()):
                d[j] -= yy[m + r] * F(a)
    for j in range(n):
        if d[j] > 0:
            if not np.isfinite(lo[j]):
                print(f"  column {j} ({model.col_origin[j]}) has no bound on the side its reduced cost needs: no bound")
                return F(-10**30)
            total += d[j] * F(float(lo[j]))
        elif d[j] < 0:
            if not np.isfinite(hi[j]):
                print(f"  column {j} ({model.col_origin[j]}) has no bound on the side its reduced cost needs: no bound")
                return F(-10**30)
            total += d[j] * F(float(hi[j]))
    return total


def repair(model, extra, c, y, lo, hi, passes: int = 6):
    """``y`` moved (in floats) so that no column without an upper (lower) bound has a negative
    (positive) reduced cost: a goal's under- and over-deviation columns are unbounded together in
    the LP, and a reduced cost of -1e-12 there would make the bound -inf.  Each such column's
    reduced cost is raised to 0 through the dual of an equality row it is in.  Any ``y`` gives a
    valid bound; this only makes it finite."""
    m = model.n_rows
    rows_of = np.repeat(np.arange(m), np.diff(model.indptr))
    eq = model.row_lower == model.row_upper
    order = np.argsort(model.indices, kind="stable")
    starts = np.searchsorted(model.indices[order], np.arange(model.n_cols + 1))
    for _ in range(passes):
        d = c - np.bincount(model.indices, weights=model.data * y[rows_of], minlength=model.n_cols)
        for r, (idx, coefs, _, _) in enumerate(extra):
            np.subtract.at(d, idx, y[m + r] * coefs)
        bad = np.flatnonzero(((d < 1e-13) & np.isinf(hi) & np.isfinite(lo)) | ((d > -1e-13) & np.isinf(lo) & np.isfinite(hi)))
        if not len(bad):
            break
        for j in bad.tolist():
            ks = order[starts[j]:starts[j + 1]]
            ks = sorted(ks.tolist(), key=lambda k: not eq[rows_of[k]])  # an equality row first
            if ks:
                k = ks[0]
                # to a reduced cost of +-1e-12, not 0: float rounding must not leave it at -1e-17
                y[rows_of[k]] += (d[j] - (1e-12 if np.isinf(hi[j]) else -1e-12)) / model.data[k]
    return y


def main(argv=None):
    import highspy

    import goalprog
    from goalprog.solve.achievement import achievement
    from goalprog.solve.backends.highs_backend import highs_lp

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--eps", type=float, default=1e-9)
    ap.add_argument("--values", default=None, help="level values to test (default: the default chain's)")
    args = ap.parse_args(argv)
    problem = goalprog.load(args.file)
    model = problem.model
    levels = model.priorities()
    objectives = [achievement(model, lv) for lv in levels]
    if args.values:
        values = [float(v) for v in args.values.split(",")]
    else:
        r = problem.solve(method="preemptive", rates="off")
        values = [s.objective for s in r.stages]
    t = time.perf_counter()
    lo, hi = implied_bounds(model)
    print(f"implied bounds: {int(np.isinf(model.col_upper).sum())} columns without an upper bound, "
          f"{int(np.isinf(hi).sum())} left without one ({time.perf_counter() - t:.1f} s)")
    n = model.n_cols
    for k, obj in enumerate(objectives):
        assert obj.sense == "min"
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.passModel(highs_lp(model.col_lower, model.col_upper, model.col_integer, model.indptr, model.indices,
                             model.data, model.row_lower, model.row_upper))
        extra = []
        for j in range(k):
            v = objectives[j].vector
            rhs = values[j] + args.eps * max(1.0, abs(values[j])) - v.constant
            extra.append((np.asarray(v.indices), np.asarray(v.coefs, dtype=float), -np.inf, rhs))
            h.addRow(-highspy.kHighsInf, rhs, len(v.indices), np.asarray(v.indices, dtype=np.int32),
                     np.asarray(v.coefs, dtype=float))
        c = np.zeros(n)
        np.add.at(c, obj.vector.indices, obj.vector.coefs)
        h.changeColsCost(n, np.arange(n, dtype=np.int32), c)
        t = time.perf_counter()
        h.run()
        status = h.getModelStatus()
        sol = h.getSolution()
        if not sol.dual_valid:
            print(f"level {k + 1}: chain {values[k]!r}; HiGHS {status}, no duals: no bound")
            continue
        y = repair(model, extra, c, np.array(sol.row_dual, dtype=float), lo, hi)
        g = lagrangian_bound(model, extra, c, obj.vector.constant, y, lo, hi)
        gap = (values[k] - float(g)) / max(1.0, abs(values[k]))
        print(f"level {k + 1}: chain {values[k]!r}; certified lower bound {float(g)!r} (HiGHS {status}, "
              f"relaxed value {h.getInfo().objective_function_value!r}, {time.perf_counter() - t:.1f} s); "
              f"gap {gap:.2e} relative", flush=True)


if __name__ == "__main__":
    main()
