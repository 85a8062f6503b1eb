"""Production planning (problems/production_planning.yaml) against a hand-written PuLP model.

The hand-written model below is built straight from the CSV numbers with PuLP, without goalprog:
variables make x, stock s, sell y, overtime o, and explicit deviation variables; the
preemptive chain adds one lock row per level with no slack, h_l <= h_l*: each later level is
optimised over the earlier levels' optimal set, the exact lexicographic optimum goalprog computes by
default.  Each level's optimum must agree.
"""

import sys
from pathlib import Path

import pulp
import pytest

import goalprog

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import production  # noqa: E402  (reads the CSV files back into arrays)


def hand_written_levels(inst, weighted_multipliers=None):
    P, T, R = inst.P, inst.T, inst.R
    prob = pulp.LpProblem("pp", pulp.LpMinimize)
    V = pulp.LpVariable
    x = {(p, t): V(f"x_{p}_{t}", 0) for p in range(P) for t in range(T)}
    s = {(p, t): V(f"s_{p}_{t}", 0) for p in range(P) for t in range(T)}
    y = {(p, t): V(f"y_{p}_{t}", 0, inst.ymax[p, t]) for p in range(P) for t in range(T)}
    o = {(r, t): V(f"o_{r}_{t}", 0, inst.omax[r, t]) for r in range(R) for t in range(T)}
    dn = {(p, t): V(f"dn_{p}_{t}", 0) for p in range(P) for t in range(T)}
    dp = {(p, t): V(f"dp_{p}_{t}", 0) for p in range(P) for t in range(T)}
    ot = {r: V(f"ot_{r}", 0) for r in range(R)}
    w_over = V("w_over", 0)
    pr_under = V("pr_under", 0)
    for p in range(P):
        for t in range(T):
            prev = (1 - inst.rho[p]) * (s[p, t - 1] if t > 0 else inst.s0[p])
            prob += prev + (1 - inst.sigma[p]) * x[p, t] - y[p, t] - s[p, t] == 0
            scale = inst.demand_scale[p]
            prob += y[p, t] / scale + dn[p, t] - dp[p, t] == inst.D[p, t] / scale
    for r in range(R):
        for t in range(T):
            prob += pulp.lpSum(inst.A[r, p] * x[p, t] for p in range(P) if inst.A[r, p]) - o[r, t] <= inst.cap[r, t]
        prob += pulp.lpSum(o[r, t] for t in range(T)) / inst.OTT[r] - ot[r] <= 1
    profit = (pulp.lpSum(inst.price[p] * y[p, t] - inst.cost[p] * x[p, t] - inst.hold[p] * s[p, t]
                         for p in range(P) for t in range(T))
              - pulp.lpSum(inst.otc[r] * o[r, t] for r in range(R) for t in range(T)))
    waste = pulp.lpSum(inst.sigma[p] * x[p, t] + inst.rho[p] * s[p, t] for p in range(P) for t in range(T))
    prob += profit / inst.PT + pr_under >= 1
    prob += waste / inst.WT - w_over <= 1
    levels = [
        pulp.lpSum(inst.imp[p] * dn[p, t] for p in range(P) for t in range(T)),
        pulp.lpSum(inst.overtime_weight[r] * ot[r] for r in range(R)) + 2 * w_over,
        pr_under + 0,
        pulp.lpSum(0.1 * inst.imp[p] * dp[p, t] for p in range(P) for t in range(T)),
    ]
    solver = pulp.HiGHS(msg=False)
    if weighted_multipliers:
        prob.setObjective(pulp.lpSum(m * h for m, h in zip(weighted_multipliers, levels)))
        assert prob.solve(solver) == pulp.LpStatusOptimal
        return pulp.value(prob.objective)
    values = []
    for k, h in enumerate(levels):
        prob.setObjective(h)
        assert prob.solve(solver) == pulp.LpStatusOptimal
        v = pulp.value(h)
        values.append(v)
        # the exact lexicographic optimum: no slack
        prob += h <= v, f"lock_{k}"
    return values


@pytest.fixture(scope="module")
def instance():
    return production.read(ROOT / "problems")


@pytest.mark.parametrize("backend", ["pulp", "pyomo", "highs"])
def test_preemptive_levels_match_hand_written_chain(instance, backend):
    expected = hand_written_levels(instance)
    r = goalprog.load(ROOT / "problems" / "production_planning.yaml").solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    got = r.levels.set_index("level")["stage_value"]
    assert list(got.index) == [1, 2, 3, 4]
    for level, value in zip([1, 2, 3, 4], expected):
        assert got[level] == pytest.approx(value, rel=1e-9, abs=1e-9), f"level {level}"


def test_conflict_is_real(instance):
    """The instance is a goal program worth the name: levels 2 and 3 cannot reach 0."""
    expected = hand_written_levels(instance)
    assert expected[0] == pytest.approx(0, abs=1e-6)   # demand can be met ...
    assert expected[1] > 1e-3                          # ... but only with overtime/waste over target
    assert expected[2] > 1e-3                          # and the profit target is missed


@pytest.mark.parametrize("backend", ["pulp", "pyomo"])
def test_weighted_matches_hand_written(instance, backend):
    mult = [8.0, 4.0, 2.0, 1.0]
    expected = hand_written_levels(instance, mult)
    p = goalprog.load(ROOT / "problems" / "production_planning.yaml")
    # the same weighted objective: every deviation's weight times its level multiplier
    from dataclasses import replace

    import numpy as np

    from goalprog.solve.backends.base import SolveOptions, get_backend
    from goalprog.solve.strategies import weighted

    g = p.model.goals
    m = np.array([0.0] + mult)  # priority code -> multiplier (0 unused: every goal has a priority here)
    goals = g.with_weights(g.under_weight * m[g.under_priority], g.over_weight * m[g.over_priority],
                           np.zeros_like(g.under_priority), np.zeros_like(g.over_priority))
    model = replace(p.model, goals=goals)
    r = weighted.run(model, get_backend(backend), SolveOptions())
    assert r.objective == pytest.approx(expected, rel=1e-6)


def test_generator_roundtrip_is_the_shipped_data(instance):
    """problems/data/production_planning is the tiny instance of benchmarks/production.py (seed 1)."""
    gen = production.generate(4, 6, 2, seed=1)
    assert (instance.P, instance.T, instance.R) == (4, 6, 2)
    assert instance.D == pytest.approx(gen.D)
    assert instance.PT == pytest.approx(gen.PT)
