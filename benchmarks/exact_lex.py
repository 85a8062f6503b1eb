"""Independent exact lexicographic level values of a preemptive goal program (issue 13).

    python benchmarks/exact_lex.py FILE.yaml [--tol 1e-10]

goalprog compiles the file (the model and each level's achievement function: what is being
optimised, not how the chain holds it); everything else is plain highspy, in fresh instances,
without goalprog's chain or backends:

1. **row chain at zero slack**: one ``Highs`` per level, solved cold by primal simplex with
   primal and dual feasibility tolerances ``--tol``, with every earlier level held by the row
   ``h_j <= v_j`` (no slack at all): the exact value where HiGHS finishes;
2. **relaxed row chain** (``--eps``): the same with ``h_j <= v_j + eps max(1, |v_j|)``: a
   relaxation of the earlier levels' optimal set, so a *lower bound* on each minimised level
   (the exact value minus at most the trade-off rate times the slack);
3. **face chain**: every earlier level held by its optimal face alone, computed here from that
   level's own tight solve (columns whose reduced cost exceeds 1e-9 with the sign of optimality
   fixed at the bound they sit on, rows whose dual exceeds 1e-9 made equalities at their
   active side), no lock rows: in exact arithmetic the earlier levels' optimal set itself.

A level that a chain cannot solve (HiGHS ``kUnknown`` and the like) is reported as such.  Prints
one line per level and chain.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _lp(model):
    import highspy

    from goalprog.solve.backends.highs_backend import highs_lp

    return highs_lp(model.col_lower, model.col_upper, model.col_integer, model.indptr, model.indices, model.data,
                    model.row_lower, model.row_upper)


def _fresh(model, tol):
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.passModel(_lp(model))
    h.setOptionValue("primal_feasibility_tolerance", tol)
    h.setOptionValue("dual_feasibility_tolerance", tol)
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("simplex_strategy", 4)  # primal simplex
    return h


def _set_objective(h, n, objective):
    import highspy

    cost = np.zeros(n)
    np.add.at(cost, objective.vector.indices, objective.vector.coefs)
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    h.changeObjectiveOffset(objective.vector.constant)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if objective.sense == "max" else highspy.ObjSense.kMinimize)


def _lock(h, objective, value):
    import highspy

    inf = highspy.kHighsInf
    v = objective.vector
    rhs = value - v.constant
    lo, hi = (rhs, inf) if objective.sense == "max" else (-inf, rhs)
    h.addRow(lo, hi, len(v.indices), np.asarray(v.indices, dtype=np.int32), np.asarray(v.coefs, dtype=np.float64))


def _face(h, sense, thr=1e-9):
    """(columns, values, rows, values) of the optimal face of the solve in ``h``."""
    sol = h.getSolution()
    lp = h.getLp()
    sign = 1.0 if sense == "min" else -1.0
    out = []
    for value, dual, lo, hi in ((sol.col_value, sol.col_dual, lp.col_lower_, lp.col_upper_),
                                (sol.row_value, sol.row_dual, lp.row_lower_, lp.row_upper_)):
        value, dual = np.asarray(value), sign * np.asarray(dual)
        lo, hi = np.asarray(lo), np.asarray(hi)
        near = 1e-9 * np.maximum(1.0, np.abs(value))
        at_lo = (dual > thr) & (np.abs(value - lo) <= near) & (lo < hi)
        at_hi = (dual < -thr) & (np.abs(value - hi) <= near) & (lo < hi) & ~at_lo
        idx = np.flatnonzero(at_lo | at_hi)
        out.append((idx, np.where(at_lo[idx], lo[idx], hi[idx])))
    return out


def chain(model, objectives, tol, with_face, eps=0.0):
    import highspy

    n = model.n_cols
    values, faces, status = [], [], []
    for k, objective in enumerate(objectives):
        h = _fresh(model, tol)
        for j in range(k if not with_face else 0):
            slack = eps * max(1.0, abs(values[j]))
            _lock(h, objectives[j], values[j] - slack if objectives[j].sense == "max" else values[j] + slack)
        if with_face:
            for (cols, cv), (rows, rv) in faces:
                if len(cols):
                    h.changeColsBounds(len(cols), cols.astype(np.int32), cv, cv)
                if len(rows):
                    h.changeRowsBounds(len(rows), rows.astype(np.int32), rv, rv)
        _set_objective(h, n, objective)
        t = time.perf_counter()
        h.run()
        ms = h.getModelStatus()
        status.append((str(ms), time.perf_counter() - t))
        if ms != highspy.HighsModelStatus.kOptimal:
            break
        values.append(h.getInfo().objective_function_value)
        if with_face:
            faces.append(_face(h, objective.sense))
    return values, status


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("file")
    ap.add_argument("--tol", type=float, default=1e-10)
    ap.add_argument("--eps", type=float, default=1e-9)
    ap.add_argument("--chains", default="row,relaxed,face")
    args = ap.parse_args(argv)
    import goalprog
    from goalprog.solve.achievement import achievement

    model = goalprog.load(args.file).model
    objectives = [achievement(model, level) for level in model.priorities()]
    for which in args.chains.split(","):
        face, eps = which == "face", (args.eps if which == "relaxed" else 0.0)
        values, status = chain(model, objectives, args.tol, face, eps)
        name = {"face": "face chain", "row": "row chain (zero slack)"}.get(which, f"row chain (slack {eps:g})")
        for k, (st, t) in enumerate(status):
            v = f"{values[k]!r}" if k < len(values) else "-"
            print(f"{name}: level {k + 1}: {v}  [{st}, {t:.1f} s]")


if __name__ == "__main__":
    main()
