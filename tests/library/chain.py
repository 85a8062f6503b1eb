"""The preemptive chain over a goal program written by hand in PuLP (no goalprog).

Shared by the references of tests/library/cases/ whose model is ``build() -> (model, level
functions h_1..h_L, plan expressions)``.  The chain solves one level after another with HiGHS and
holds each level by a lock row ``h_l <= bound`` before the next.
"""

import pulp
import pytest

LOCK_ABS, LOCK_REL = 1e-5, 1e-9      # goalprog's slack option at its documented size (the default is no slack)
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


def lock_bounds(result, n_levels):
    """The lock bounds of a preemptive result's levels before the last (all ``<=``)."""
    lv = result.levels
    assert list(lv["level"]) == list(range(1, n_levels + 1))
    assert list(lv["lock_sense"][:-1]) == ["<="] * (n_levels - 1)
    return [float(b) for b in lv["lock"][:-1]]


def check_each_level(result, under_locks, n_levels):
    """Level by level: goalprog's optimum equals the hand-written one (``under_locks(bounds)``)
    under the same locks; every lock is the level's optimum plus at most the slack option's size
    (the default adds only a rounding guard); the final plan has the last level at its optimum and
    the others within their locks."""
    locks = lock_bounds(result, n_levels)
    values, _ = under_locks(locks)
    stage = list(result.levels["stage_value"])
    for level, (got, want) in enumerate(zip(stage, values), start=1):
        assert got == pytest.approx(want, rel=1e-6, abs=1e-6), f"level {level}"
    for level, (bound, v) in enumerate(zip(locks, values), start=1):
        assert v - 1e-6 <= bound <= v + max(LOCK_ABS, LOCK_REL * abs(v)) + 1e-6, f"lock of level {level}"
    achieved = list(result.levels["achievement"])
    assert achieved[-1] == pytest.approx(values[-1], rel=1e-6, abs=1e-6)
    for level, (a, v, bound) in enumerate(zip(achieved, values, locks), start=1):
        assert v - 1e-6 <= a <= bound + 1e-6, f"level {level}"
    return locks
