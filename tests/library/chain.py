"""The preemptive chain over a goal program written by hand in PuLP (no goalprog).

Shared by the references of tests/library/cases/ whose model is ``build() -> (model, level
functions h_1..h_L, plan expressions)``.  The chain solves one level after another with HiGHS and
holds each level by a lock row ``h_l <= bound`` before the next.
"""

import pulp

LOCK_ABS, LOCK_REL = 1e-5, 1e-9      # goalprog's documented default lock tolerance
TIGHT = 1e-6                         # lock of the near-exact hand-written chain (tighter fails in HiGHS)


def solve(m, objective):
    m.setObjective(objective)
    assert m.solve(pulp.HiGHS(msg=False)) == pulp.LpStatusOptimal
    return pulp.value(objective)


def plan_values(plan):
    def value(v):   # a PuLP expression is a dict too
        if isinstance(v, dict) and not isinstance(v, pulp.LpAffineExpression):
            return {i: pulp.value(e) for i, e in v.items()}
        return pulp.value(v)
    return {k: value(v) for k, v in plan.items()}


def hand_written_chain(build, lock_abs=TIGHT):
    """The preemptive chain, each level held at ``h_l <= h_l* + lock_abs``: ``(level values,
    final plan)``.  With the default 1e-6 it is within about 1e-5 of exact lexicographic GP."""
    m, levels, plan = build()
    values = []
    for k, h in enumerate(levels):
        v = solve(m, h)
        values.append(v)
        if k < len(levels) - 1:
            m += h <= v + lock_abs, f"lock_{k}"
    return values, plan_values(plan)


def hand_written_under_locks(build, locks):
    """Each level's optimum when the earlier levels are held at the given lock bounds
    (``h_k <= locks[k]``): ``(level values, final plan)``."""
    m, levels, plan = build()
    values = []
    for k, h in enumerate(levels):
        values.append(solve(m, h))
        if k < len(levels) - 1:
            m += h <= locks[k], f"lock_{k}"
    return values, plan_values(plan)


def hand_written_weighted(build, multipliers):
    """Weighted GP of the same model: one LP minimising ``sum_l multipliers[l] * h_l``."""
    m, levels, _ = build()
    return solve(m, pulp.lpSum(k * h for k, h in zip(multipliers, levels)))
