"""Hand-written models of the production-planning goal program, the fastest way we know in each tool.

These are the yardsticks goalprog is measured against (and the independent models of the tests):
nothing here imports goalprog.  Each function takes an :class:`production.Instance` and returns
``(level values, build seconds, solve seconds)``; "weighted" solves the weighted form with level
multipliers 8/4/2/1 and returns a one-element list.

The model (identical to problems/production_planning.yaml):
  make x[p,t], stock s[p,t], sell y[p,t] <= sell_max, overtime o[r,t] <= overtime_max, all >= 0;
  balance  (1-rho_p) s[p,t-1] + (1-sigma_p) x[p,t] - y[p,t] - s[p,t] = 0   (s[p,0] = stock0 data);
  capacity sum_p a[r,p] x[p,t] - o[r,t] <= cap[r,t];
  goals (rows divided by their scale): demand y/Dbar + n - p = D/Dbar (n at L1 weight imp, p at L4
  weight 0.1 imp); overtime sum_t o / OTT - e <= 1 (L2, weight otc/mean); waste/WT - w <= 1 (L2,
  weight 2); profit/PT + u >= 1 (L3).  Locks: h_l <= h* + max(1e-5, 1e-9|h*|), exact when h* = 0
  with every deviation at 0 (goalprog's documented rule).
"""

from __future__ import annotations

import os
import time

import numpy as np

MULT = (8.0, 4.0, 2.0, 1.0)


def lock_bound(v: float, exact: bool) -> float:
    return 0.0 if exact else v + max(1e-5, 1e-9 * abs(v))


def build_arrays(inst):
    """Column bounds, CSR rows and the four level cost vectors of the instance (numpy only)."""
    P, T, R = inst.P, inst.T, inst.R
    PT = P * T
    # column blocks
    ix = lambda base, p, t: base + p * T + t  # noqa: E731
    X, S, Y = 0, PT, 2 * PT
    O = 3 * PT
    DN = O + R * T
    DP = DN + PT
    E = DP + PT
    W = E + R
    U = W + 1
    n = U + 1
    lb = np.zeros(n)
    ub = np.full(n, np.inf)
    ub[Y:Y + PT] = inst.ymax.ravel()
    ub[O:O + R * T] = inst.omax.ravel()
    rows_i, rows_j, rows_v, lo, hi = [], [], [], [], []
    r = 0
    p_idx = np.repeat(np.arange(P), T)
    t_idx = np.tile(np.arange(T), P)
    k = np.arange(PT)
    # balance rows: one per (p, t)
    rows_i += [r + k, r + k, r + k]
    rows_j += [X + k, Y + k, S + k]
    rows_v += [1 - inst.sigma[p_idx], -np.ones(PT), -np.ones(PT)]
    prev = t_idx > 0
    rows_i.append(r + k[prev])
    rows_j.append(S + k[prev] - 1)
    rows_v.append(1 - inst.rho[p_idx[prev]])
    rhs = np.where(prev, 0.0, -(1 - inst.rho[p_idx]) * inst.s0[p_idx])
    lo.append(rhs)
    hi.append(rhs)
    r += PT
    # capacity rows: one per (r, t)
    ra, pa = np.nonzero(inst.A)
    for t in range(T):
        rows_i.append(r + ra * T + t)
        rows_j.append(X + pa * T + t)
        rows_v.append(inst.A[ra, pa])
    rr = np.repeat(np.arange(R), T)
    tt = np.tile(np.arange(T), R)
    rows_i.append(r + rr * T + tt)
    rows_j.append(O + rr * T + tt)
    rows_v.append(-np.ones(R * T))
    lo.append(np.full(R * T, -np.inf))
    hi.append(inst.cap.ravel())
    r += R * T
    # demand goals
    scale = inst.demand_scale[p_idx]
    rows_i += [r + k, r + k, r + k]
    rows_j += [Y + k, DN + k, DP + k]
    rows_v += [1 / scale, np.ones(PT), -np.ones(PT)]
    target = inst.D.ravel() / scale
    lo.append(target)
    hi.append(target)
    r += PT
    # overtime goals
    rows_i.append(r + rr)
    rows_j.append(O + rr * T + tt)
    rows_v.append(1 / inst.OTT[rr])
    rows_i.append(r + np.arange(R))
    rows_j.append(E + np.arange(R))
    rows_v.append(-np.ones(R))
    lo.append(np.full(R, -np.inf))
    hi.append(np.ones(R))
    r += R
    # waste goal
    rows_i += [np.full(PT, r), np.full(PT, r), np.array([r])]
    rows_j += [X + k, S + k, np.array([W])]
    rows_v += [inst.sigma[p_idx] / inst.WT, inst.rho[p_idx] / inst.WT, np.array([-1.0])]
    lo.append(np.array([-np.inf]))
    hi.append(np.array([1.0]))
    r += 1
    # profit goal
    rows_i += [np.full(PT, r)] * 3 + [np.full(R * T, r), np.array([r])]
    rows_j += [Y + k, X + k, S + k, O + rr * T + tt, np.array([U])]
    rows_v += [inst.price[p_idx] / inst.PT, -inst.cost[p_idx] / inst.PT, -inst.hold[p_idx] / inst.PT,
               -inst.otc[rr] / inst.PT, np.array([1.0])]
    lo.append(np.array([1.0]))
    hi.append(np.array([np.inf]))
    r += 1
    I = np.concatenate(rows_i)
    J = np.concatenate(rows_j)
    V = np.concatenate(rows_v)
    order = np.lexsort((J, I))
    I, J, V = I[order], J[order], V[order]
    indptr = np.zeros(r + 1, dtype=np.int64)
    np.cumsum(np.bincount(I, minlength=r), out=indptr[1:])
    costs = [np.zeros(n) for _ in range(4)]
    costs[0][DN:DN + PT] = inst.imp[p_idx]
    costs[1][E:E + R] = inst.overtime_weight
    costs[1][W] = 2.0
    costs[2][U] = 1.0
    costs[3][DP:DP + PT] = 0.1 * inst.imp[p_idx]
    return {"n": n, "m": r, "lb": lb, "ub": ub, "lo": np.concatenate(lo), "hi": np.concatenate(hi),
            "indptr": indptr, "indices": J.astype(np.int32), "data": V, "costs": costs}


ALGORITHM = os.environ.get("GOALPROG_BENCH_ALGORITHM")  # e.g. "ipm" for the large weighted LP


def _highs(a):
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    if ALGORITHM:
        h.setOptionValue("solver", ALGORITHM)
    lp = highspy.HighsLp()
    lp.num_col_ = a["n"]
    lp.num_row_ = a["m"]
    lp.col_cost_ = np.zeros(a["n"])
    inf = highspy.kHighsInf
    lp.col_lower_ = a["lb"]
    lp.col_upper_ = np.where(np.isinf(a["ub"]), inf, a["ub"])
    lp.row_lower_ = np.where(np.isinf(a["lo"]), -inf, a["lo"])
    lp.row_upper_ = np.where(np.isinf(a["hi"]), inf, a["hi"])
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = a["indptr"].astype(np.int32)
    lp.a_matrix_.index_ = a["indices"]
    lp.a_matrix_.value_ = a["data"]
    lp.a_matrix_.num_col_ = a["n"]
    lp.a_matrix_.num_row_ = a["m"]
    h.passModel(lp)
    return h


def highspy_weighted(inst):
    t0 = time.perf_counter()
    a = build_arrays(inst)
    h = _highs(a)
    cost = sum(m * c for m, c in zip(MULT, a["costs"]))
    h.changeColsCost(a["n"], np.arange(a["n"], dtype=np.int32), cost)
    t1 = time.perf_counter()
    h.run()
    x = np.asarray(h.getSolution().col_value)
    return [float(cost @ x)], t1 - t0, time.perf_counter() - t1


def highspy_chain(inst):
    """One persistent HiGHS instance, re-solved warm per level."""
    import highspy

    t0 = time.perf_counter()
    a = build_arrays(inst)
    h = _highs(a)
    build = time.perf_counter() - t0
    solve = 0.0
    values = []
    cols = np.arange(a["n"], dtype=np.int32)
    for k, c in enumerate(a["costs"]):
        h.changeColsCost(a["n"], cols, c)
        t = time.perf_counter()
        h.run()
        solve += time.perf_counter() - t
        x = np.asarray(h.getSolution().col_value)
        v = float(c @ x)
        values.append(v)
        if k < 3:
            nz = np.flatnonzero(c)
            exact = v == 0.0 and (x[nz] == 0.0).all()
            h.addRow(-highspy.kHighsInf, lock_bound(v, exact), len(nz), nz.astype(np.int32), c[nz])
    return values, build, solve


def highs_native(inst):
    """HiGHS's own lexicographic mode (addLinearObjective, one run)."""
    import highspy

    t0 = time.perf_counter()
    a = build_arrays(inst)
    h = _highs(a)
    h.setOptionValue("blend_multi_objectives", False)
    for k, c in enumerate(a["costs"]):
        obj = highspy.HighsLinearObjective()
        obj.weight = 1.0
        obj.offset = 0.0
        obj.coefficients = list(c)
        obj.abs_tolerance = 1e-5
        obj.rel_tolerance = 1.0
        obj.priority = 4 - k
        h.addLinearObjective(obj)
    t1 = time.perf_counter()
    h.run()
    x = np.asarray(h.getSolution().col_value)
    return [float(c @ x) for c in a["costs"]], t1 - t0, time.perf_counter() - t1


def _pulp_model(inst, a):
    import pulp

    prob = pulp.LpProblem("pp", pulp.LpMinimize)
    xs = [prob.add_variable(f"c{j}", 0, None if np.isinf(a["ub"][j]) else float(a["ub"][j]))
          if hasattr(prob, "add_variable") else pulp.LpVariable(f"c{j}", 0, None if np.isinf(a["ub"][j]) else float(a["ub"][j]))
          for j in range(a["n"])]
    ip, ind, dat = a["indptr"], a["indices"].tolist(), a["data"].tolist()
    for i in range(a["m"]):
        e = pulp.LpAffineExpression([(xs[j], v) for j, v in zip(ind[ip[i]:ip[i + 1]], dat[ip[i]:ip[i + 1]])])
        lo, hi = a["lo"][i], a["hi"][i]
        if lo == hi:
            prob += e == float(lo)
        else:
            if np.isfinite(lo):
                prob += e >= float(lo)
            if np.isfinite(hi):
                prob += e <= float(hi)
    return prob, xs


def pulp_weighted(inst):
    import pulp

    t0 = time.perf_counter()
    a = build_arrays(inst)
    prob, xs = _pulp_model(inst, a)
    cost = sum(m * c for m, c in zip(MULT, a["costs"]))
    nz = np.flatnonzero(cost)
    prob.setObjective(pulp.LpAffineExpression([(xs[j], float(cost[j])) for j in nz]))
    t1 = time.perf_counter()
    prob.solve(pulp.HiGHS(msg=False))
    x = np.array([v.varValue or 0.0 for v in xs])
    return [float(cost @ x)], t1 - t0, time.perf_counter() - t1


def pulp_chain(inst):
    import pulp

    t0 = time.perf_counter()
    a = build_arrays(inst)
    prob, xs = _pulp_model(inst, a)
    build = time.perf_counter() - t0
    solve = 0.0
    values = []
    for k, c in enumerate(a["costs"]):
        nz = np.flatnonzero(c)
        e = pulp.LpAffineExpression([(xs[j], float(c[j])) for j in nz])
        prob.setObjective(e)
        t = time.perf_counter()
        prob.solve(pulp.HiGHS(msg=False))
        solve += time.perf_counter() - t
        x = np.array([v.varValue or 0.0 for v in xs])
        v = float(c @ x)
        values.append(v)
        if k < 3:
            exact = v == 0.0 and (x[nz] == 0.0).all()
            prob += e <= lock_bound(v, exact)
    return values, build, solve


def _pyomo_model(inst, a):
    import pyomo.environ as pyo

    m = pyo.ConcreteModel()
    n = a["n"]
    ub = a["ub"]
    m.x = pyo.Var(range(n), bounds=lambda mm, j: (0, None if np.isinf(ub[j]) else float(ub[j])))
    ip, ind, dat = a["indptr"], a["indices"].tolist(), a["data"].tolist()
    lo, hi = a["lo"], a["hi"]

    def rule(mm, i):
        e = pyo.quicksum(v * mm.x[j] for j, v in zip(ind[ip[i]:ip[i + 1]], dat[ip[i]:ip[i + 1]]))
        if lo[i] == hi[i]:
            return e == float(lo[i])
        return (None if np.isinf(lo[i]) else float(lo[i]), e, None if np.isinf(hi[i]) else float(hi[i]))

    m.c = pyo.Constraint(range(a["m"]), rule=rule)
    m.locks = pyo.ConstraintList()
    return m


def pyomo_weighted(inst):
    import pyomo.environ as pyo
    from pyomo.contrib.solver.solvers.highs import Highs

    t0 = time.perf_counter()
    a = build_arrays(inst)
    m = _pyomo_model(inst, a)
    cost = sum(mu * c for mu, c in zip(MULT, a["costs"]))
    nz = np.flatnonzero(cost)
    m.obj = pyo.Objective(expr=pyo.quicksum(float(cost[j]) * m.x[j] for j in nz))
    t1 = time.perf_counter()
    Highs().solve(m)
    x = np.array([m.x[j].value or 0.0 for j in range(a["n"])])
    return [float(cost @ x)], t1 - t0, time.perf_counter() - t1


def pyomo_chain(inst):
    """Pyomo with its persistent HiGHS interface: objective changed and lock added per level."""
    import pyomo.environ as pyo
    from pyomo.contrib.solver.solvers.highs import Highs

    t0 = time.perf_counter()
    a = build_arrays(inst)
    m = _pyomo_model(inst, a)
    m.obj = pyo.Objective(expr=0.0 * m.x[0])
    opt = Highs()
    build = time.perf_counter() - t0
    solve = 0.0
    values = []
    for k, c in enumerate(a["costs"]):
        nz = np.flatnonzero(c)
        e = pyo.quicksum(float(c[j]) * m.x[j] for j in nz)
        m.obj.set_value(e)
        t = time.perf_counter()
        opt.solve(m)
        solve += time.perf_counter() - t
        x = np.array([m.x[j].value or 0.0 for j in range(a["n"])])
        v = float(c @ x)
        values.append(v)
        if k < 3:
            exact = v == 0.0 and (x[nz] == 0.0).all()
            m.locks.add(e <= lock_bound(v, exact))
    return values, build, solve


HANDWRITTEN = {
    "weighted": {"highspy-arrays": highspy_weighted, "pulp": pulp_weighted, "pyomo": pyomo_weighted},
    "preemptive": {"highspy-warm-chain": highspy_chain, "highs-native-lex": highs_native, "pulp-chain": pulp_chain,
                   "pyomo-persistent-chain": pyomo_chain},
}
