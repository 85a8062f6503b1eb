"""Level 1's sensitivity re-solve starts from the preemptive chain's own optimal basis (highs backend).

The chain keeps level 1's HiGHS basis (``ChainStage.basis``); the sensitivity's held model of level 1 is the
model the chain solved, so its first solve needs no simplex iteration from it (from the plan alone HiGHS
iterates).  The numbers must not depend on the start: level 1's rates are checked against finite differences
of an independent hand-written highspy model of level 1.
"""

import math

import highspy
import numpy as np
import pytest

import goalprog
from goalprog.solve.sensitivity import compute

N, M = 14, 6
RNG = np.random.default_rng(7)
A = RNG.integers(1, 9, size=(M, N)).astype(float)           # hard rows  A x <= B
B = RNG.integers(40, 80, size=M).astype(float)
G = RNG.integers(0, 6, size=(6, N)).astype(float)          # goal rows  G x >= T, priorities 1, 1, 2, 2, 3, 3
T = RNG.integers(30, 90, size=6).astype(float)
PRIO = [1, 1, 2, 2, 3, 3]


def _expr(row):
    return " + ".join(f"{int(c)}*x{j}" for j, c in enumerate(row) if c)


SPEC = {
    "variables": {f"x{j}": {"lower": 0} for j in range(N)},
    "constraints": {f"c{i}": f"{_expr(A[i])} <= {int(B[i])}" for i in range(M)},
    "goals": {f"g{k}": {"expr": _expr(G[k]), "at_least": int(T[k]), "priority": PRIO[k]} for k in range(6)},
    "solve": {"method": "preemptive"},
}


def _level1(bounds):
    """Level 1's optimum (the under-deviations of g0 and g1, weight 1 each) with hard bounds ``bounds``; an
    independent highspy model: columns x (N), then n_k, p_k per goal."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    n = N + 12
    cost = np.zeros(n)
    cost[N + 0] = cost[N + 2] = 1.0  # n_0, n_1
    h.addVars(n, np.zeros(n), np.full(n, inf))
    h.changeColsCost(n, np.arange(n, dtype=np.int32), cost)
    for i in range(M):
        h.addRow(-inf, bounds[i], N, np.arange(N, dtype=np.int32), A[i])
    for k in range(6):
        idx = np.r_[np.arange(N), N + 2 * k, N + 2 * k + 1].astype(np.int32)
        h.addRow(T[k], T[k], N + 2, idx, np.r_[G[k], 1.0, -1.0])
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return h.getInfo().objective_function_value


def _level1_rates():
    out = {}
    v0 = _level1(B)
    for i in range(M):
        t = 1e-4 * max(1.0, B[i])
        below = (v0 - _level1(B - t * (np.arange(M) == i))) / t
        above = (_level1(B + t * (np.arange(M) == i)) - v0) / t
        out[f"c{i}"] = (below, above)
    return out


def test_chain_keeps_every_level_basis():
    """Each solved stage keeps its optimal basis, of its own model's shape: the model's rows plus the lock rows the
    earlier levels added (the face models of basis-mode sensitivity start from it)."""
    r = goalprog.from_dict(SPEC).solve()
    locks = 0
    for rec in r.stage_records:
        assert rec.basis is not None
        cols, rows = rec.basis
        assert len(cols) == r.model.n_cols and len(rows) == r.model.n_rows + locks
        assert int(np.sum(cols == 1) + np.sum(rows == 1)) == len(rows)  # a basis: one basic variable per row
        locks += len(rec.locks)


def test_level_1_starts_from_the_chain_basis(monkeypatch):
    """Level 1's held model starts from the chain's basis, not from the plan, and its first solve takes no
    simplex iteration (presolve off, so HiGHS cannot skip the simplex); the later levels start from the plan."""
    from goalprog.solve.sensitivity.parametric import StageSolver

    planned, iterations = [], {}
    real_start, real_first = StageSolver.start, compute._Stage._first

    def start(self, x):
        planned.append(self.sm.level)
        return real_start(self, x)

    def first(self):
        got = real_first(self)
        iterations[self.sm.level] = self.solver.session.h.getInfo().simplex_iteration_count
        return got

    monkeypatch.setattr(StageSolver, "start", start)
    monkeypatch.setattr(compute._Stage, "_first", first)
    s = goalprog.from_dict(SPEC).solve(sensitivity=True, solver_options={"presolve": "off"}).sensitivity
    assert not any(n.startswith("level") for n in s.notes), s.notes
    assert planned == [2, 3]
    assert iterations[1] == 0


def test_level_1_rates_match_finite_differences_and_the_plan_start(monkeypatch):
    p = goalprog.from_dict(SPEC)
    warm = p.solve(sensitivity=True).sensitivity
    want = _level1_rates()
    got = {(x["constraint"], x["level"]): (x["rate_below"], x["rate_above"])
           for x in warm.levels.to_dict("records")}
    checked = 0
    for name, (below, above) in want.items():
        if (name, 1) in got:
            assert got[(name, 1)] == (pytest.approx(below, rel=1e-6, abs=1e-9), pytest.approx(above, rel=1e-6, abs=1e-9))
            checked += 1
    assert checked >= 1
    monkeypatch.setattr(compute, "chain_basis", lambda result, sm: None)
    cold = p.solve(sensitivity=True).sensitivity
    for table in ("constraints", "targets", "weights", "levels"):
        a, b = getattr(warm, table), getattr(cold, table)
        assert a.fillna(-1).equals(b.fillna(-1)), table
