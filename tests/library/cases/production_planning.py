"""problems/production_planning.yaml: a hand-written PuLP model.

The hand-written model below is built straight from the CSV numbers with PuLP, without goalprog:
variables make x, stock s, sell y, overtime o, and explicit deviation variables; the
preemptive chain adds one lock row per level with no slack, h_l <= h_l*: each later level is
optimised over the earlier levels' optimal set, the exact lexicographic optimum goalprog computes by
default.  Each level's optimum must agree.
"""

import functools
import sys

import pulp

from tests.helpers import PROBLEMS, ROOT

if str(ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(ROOT / "benchmarks"))
import production  # noqa: E402  (reads the CSV files back into arrays)

FILE = PROBLEMS / "production_planning.yaml"


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


@functools.lru_cache(maxsize=None)
def instance():
    """The shipped data read back by benchmarks/production.py (once per process)."""
    return production.read(PROBLEMS)


CASE = {
    "file": "production_planning.yaml",
    "levels": lambda: hand_written_levels(instance()),
    "levels_source": "the hand-written PuLP chain above, with exact locks (no slack): the exact lexicographic optimum",
    "level_columns": ("stage_value",),
    "level_tolerance": {"rel": 1e-9, "abs": 1e-9},
    # weighted GP: priorities ignored, each deviation with its own weight, i.e. every level multiplier 1
    "weighted_objective": lambda: hand_written_levels(instance(), [1.0, 1.0, 1.0, 1.0]),
    "weighted_source": "the hand-written PuLP model above, sum of its four level functions",
    "table_names": ("meet_demand[p0001,1]", "overtime_budget", "waste", "profit"),
}
