"""Sensitivity of a preemptive chain with a degenerate level, checked against hand-written highspy re-solves.

The oracle below is written independently of goalprog: each level is its own LP in highspy (the goals'
deviations as columns), and a level's value at moved data is the lexicographic value function (Ignizio 1982;
Lee 1972): the whole chain re-solved afresh at that data, level 1 optimised, then level 2 with level 1 held at
its NEW optimum, then level 3 with both held at their new optima.  Each level's achievement is one deviation
column, so a level is held exactly by that column's upper bound (no guard: the finite differences below have
steps of 1e-4 and compare to 1e-9).  Every rate is a finite difference of that chain as one hard constraint's
bound moves (``inf`` only where the hard constraints themselves have no plan, never here).  The oracle's rates are
also checked against the values derived by hand in :data:`HAND`.  Also: a level whose model is not solved gives
n/a for that level only.
"""

import math

import highspy
import numpy as np
import pytest

import goalprog
from goalprog.solve.sensitivity import compute, stage

INF = math.inf

# x, y, z >= 0.  c1: x + y <= 4, c2: x <= 3, c3: x + z <= 3 (c2 and c3 both hold at x = 3, z = 0: a degenerate
# vertex).  Level 1: x + y >= 4; level 2: x >= 5; level 3: y + z <= 0.  Plan x = 3, y = 1, z = 0: h = (0, 2, 1).
SPEC = {
    "variables": {"x": {"lower": 0}, "y": {"lower": 0}, "z": {"lower": 0}},
    "constraints": {"c1": "x + y <= 4", "c2": "x <= 3", "c3": "x + z <= 3"},
    "goals": {"g1": {"expr": "x + y", "at_least": 4, "priority": 1},
              "g2": {"expr": "x", "at_least": 5, "priority": 2},
              "g3": {"expr": "y + z", "at_most": 0, "priority": 3}},
    "solve": {"method": "preemptive"},
}
BOUNDS = {"c1": 4.0, "c2": 3.0, "c3": 3.0}


def _level(k, bounds, held):
    """The optimum of level ``k`` (1-3) with ``bounds`` and levels ``j < k`` held exactly at ``held[j]`` (their
    deviation column's upper bound); ``inf`` when infeasible.  Columns x, y, z, n1 (under of g1), n2 (under of g2),
    p3 (over of g3)."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    for k_ in ("primal_feasibility_tolerance", "dual_feasibility_tolerance"):
        h.setOptionValue(k_, 1e-10)
    inf = highspy.kHighsInf
    cost = np.zeros(6)
    cost[2 + k] = 1.0
    upper = np.full(6, inf)
    for j in range(1, k):
        upper[2 + j] = max(held[j], 0.0)
    h.addVars(6, np.zeros(6), upper)
    h.changeColsCost(6, np.arange(6, dtype=np.int32), cost)
    rows = [([0, 1], [1, 1], -inf, bounds["c1"]), ([0], [1], -inf, bounds["c2"]), ([0, 2], [1, 1], -inf, bounds["c3"]),
            ([0, 1, 3], [1, 1, 1], 4, inf),     # x + y + n1 >= 4
            ([0, 4], [1, 1], 5, inf),           # x + n2 >= 5
            ([1, 2, 5], [1, 1, -1], -inf, 0)]   # y + z - p3 <= 0
    for idx, val, lo, hi in rows:
        h.addRow(lo, hi, len(idx), np.array(idx, dtype=np.int32), np.array(val, dtype=np.float64))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return INF
    return h.getInfo().objective_function_value


def _chain(bounds):
    """The lexicographic optima (h1, h2, h3) at ``bounds``: each level solved with the earlier ones held at the
    optima this chain itself just found."""
    held = {}
    for k in (1, 2, 3):
        held[k] = _level(k, bounds, held)
    return held


def _rate(k, name, direction, t=1e-4):
    """The one-sided derivative of level ``k``'s lexicographic optimum in constraint ``name``'s bound (two steps
    agree: no kink within 2t)."""
    v0 = _chain(BOUNDS)[k]
    vals = [_chain({**BOUNDS, name: BOUNDS[name] + direction * s * t})[k] for s in (1, 2)]
    if INF in vals:
        return direction * INF
    g1, g2 = (vals[0] - v0) / t, (vals[1] - vals[0]) / t
    assert g1 == pytest.approx(g2, abs=1e-7)
    return direction * g1


# By hand.  h1 = (4 - max(x + y))^+ = (4 - c1)^+ (y is free up to c1 - x).  h2 = 5 - x with x at most m = min(c1, c2,
# c3) (z >= 0).  h3 = y + z with x = m (level 2 held at its new optimum), y >= min(4, c1) - m (level 1 held),
# z = 0: h3 = min(4, c1) - m.  At c = (4, 3, 3): h = (0, 2, 1); c2 and c3 tie for m (degenerate).
#   c1: h1 -1 below (4 - c1 = t), 0 above; h2 0, 0 (m stays 3); h3 +1 below (1 - t), 0 above.
#   c2 (and c3 alike): h1 0, 0; h2 -1 below (2 + t), 0 above (the other one still caps x at 3); h3 -1 below
#   (y = 1 + t), 0 above.
# The old definition (earlier levels held at their old optima) called c1's level 2 and 3 sides below, and c2's and
# c3's level-3 sides below, -inf (level 1 at 0, level 2 at 2 can no longer be held); here they are finite.
HAND = {("c1", 1): (-1, 0), ("c1", 2): (0, 0), ("c1", 3): (1, 0),
        ("c2", 1): (0, 0), ("c2", 2): (-1, 0), ("c2", 3): (-1, 0),
        ("c3", 1): (0, 0), ("c3", 2): (-1, 0), ("c3", 3): (-1, 0)}


def _expected():
    assert [_chain(BOUNDS)[k] for k in (1, 2, 3)] == pytest.approx([0, 2, 1])
    want = {(name, k): (_rate(k, name, -1), _rate(k, name, 1)) for name in BOUNDS for k in (1, 2, 3)}
    for key, (below, above) in want.items():
        assert (below, above) == pytest.approx(HAND[key], abs=1e-7), key
    return {key: tuple(float(v) for v in HAND[key]) for key in want}


def _approx(v):
    return v if math.isinf(v) else pytest.approx(v, rel=1e-9, abs=1e-9)


def _levels(s):
    return {(r["constraint"], r["level"]): (r["rate_below"], r["rate_above"]) for r in s.levels.to_dict("records")}


def test_degenerate_preemptive_rates_match_held_re_solves(backend):
    """Every binding constraint's rate at every level equals the oracle's finite differences of the lexicographic
    chain (and :data:`HAND`), and the row's rates are the last level's."""
    want = _expected()
    s = goalprog.from_dict(SPEC).solve(backend=backend, sensitivity=True).sensitivity
    got = _levels(s)
    for key, (below, above) in want.items():
        assert got[key] == (_approx(below), _approx(above)), key
    cons = {r["constraint"]: r for r in s.constraints.to_dict("records")}
    for name in BOUNDS:
        assert (cons[name]["rate_below"], cons[name]["rate_above"]) == tuple(_approx(v) for v in want[(name, 3)])


def test_an_unsolved_level_leaves_the_other_levels_measured(monkeypatch):
    """When level 2's held model finds no optimum (forced here), the tables are still given: level 2's per-level
    rates, target and weight are n/a and a note names level 2; level 1 matches the oracle.  Level 3's constraint
    rates need level 2 re-optimised at the moved bound (the lexicographic value), so they are n/a too, with a note;
    level 3's target and weights (its goal's row moves no earlier level) are measured."""
    real = compute._Stage._first

    def first(self):
        if self.sm.level == 2:
            self.solver.solves += 1
            return None, None
        return real(self)

    monkeypatch.setattr(compute._Stage, "_first", first)
    want = _expected()
    s = goalprog.from_dict(SPEC).solve(sensitivity=True).sensitivity
    assert any("level 2:" in n and "n/a" in n for n in s.notes), s.notes
    assert not any("found no optimum\",)" in n or n.startswith("not computed") for n in s.notes)
    got = _levels(s)
    for name in BOUNDS:
        assert all(math.isnan(v) for v in got[(name, 2)])
        assert got[(name, 1)] == tuple(_approx(v) for v in want[(name, 1)]), name
        assert all(math.isnan(v) for v in got[(name, 3)])
    assert any("re-solve of the chain" in n for n in s.notes), s.notes
    t = {r["goal"]: r for r in s.targets.to_dict("records")}
    assert math.isnan(t["g2"]["rate_below"]) and not math.isnan(t["g3"]["rate_below"])
    w = {r["goal"]: r for r in s.weights.to_dict("records")}
    assert math.isnan(w["g2"]["low"]) and not math.isnan(w["g1"]["low"])
    assert not any(n[0].isdigit() and "with a number not measured" in n for n in s.notes), s.notes


def test_rows_left_by_the_degenerate_cap_are_not_counted_twice(monkeypatch):
    """In basis mode with no degenerate side allowed (the cap at 0), the note counts the skipped sides, and no note
    gives a negative count of rows (each n/a row is explained once)."""
    monkeypatch.setattr(stage, "DEGENERATE_SIDES", 0)
    s = goalprog.from_dict(SPEC).solve(sensitivity=True, sensitivity_ranges="basis").sensitivity
    assert any("degenerate side" in n for n in s.notes), s.notes
    assert not any(n.startswith("-") for n in s.notes), s.notes


def test_stage_iteration_cap_gives_a_note(monkeypatch):
    """A stage's first solve stopped by the iteration cap (forced to 0 iterations, presolve off so HiGHS must
    iterate; levels 1 and 2 are optimal at the plan, HiGHS's start, so they need none) is named in a note, and only
    its numbers are n/a."""
    monkeypatch.setattr(stage, "stage_iterations", lambda model: 0)
    r = goalprog.from_dict(SPEC).solve(sensitivity=True, solver_options={"presolve": "off"})
    notes = r.sensitivity.notes
    assert any(n.startswith("level 3:") and "within 0 iterations" in n for n in notes), notes
    assert not any(n.startswith("not computed") for n in notes), notes
    levels = {(x["constraint"], x["level"]): x["rate_below"] for x in r.sensitivity.levels.to_dict("records")}
    assert math.isnan(levels[("c2", 3)]) and not math.isnan(levels[("c2", 1)])


def test_levels_held_with_a_slack_keep_finite_rates():
    """With the slack option (lock_abs_tol 0.5) each level is held within 0.5 of its optimum.  Tightening c2 or c3
    (x <= 3 - t): level 2 = 5 - x = 2 + t whatever level 1's hold (x + y >= 4 or >= 3.5 leaves x free up to 3 - t):
    rate below -1.  Level 3 = y + z with x at most 3 - t and y >= 4 - x (or 3.5 - x): y = 1 + t (or 0.5 + t)
    whether level 2 is held at its old optimum plus the slack (x >= 2.5) or at its new one (x >= 2.5 - t): rate
    below -1, finite (checked with the oracle's holds at h1 <= 0, h2 <= 2.5 by finite differences too)."""
    r = goalprog.from_dict(SPEC).solve(sensitivity=True, lock_abs_tol=0.5)
    slack = {1: 0.0, 2: 2.5}
    assert _level(2, BOUNDS, slack) == pytest.approx(2.0)
    got = _levels(r.sensitivity)
    for name in ("c2", "c3"):
        t = 1e-4
        fd = (_level(3, BOUNDS, slack) - _level(3, {**BOUNDS, name: BOUNDS[name] - t}, slack)) / t
        assert fd == pytest.approx(-1, abs=1e-7)
        assert got[(name, 2)][0] == _approx(-1.0), name
        assert got[(name, 3)][0] == _approx(-1.0), name


def test_degenerate_sides_stop_at_their_time_budget(monkeypatch):
    """In basis mode the degenerate sides' re-solves stop once they have used their share of the solve's
    time (a count alone let 100 slow re-solves take 150 s on the medium chain): with no time at all, none is
    re-solved, the note says why, and the numbers with a basis range are still given."""
    monkeypatch.setattr(compute, "DEGENERATE_SECONDS", 0.0)
    monkeypatch.setattr(compute, "DEGENERATE_TIME", 0.0)
    s = goalprog.from_dict(SPEC).solve(sensitivity=True, sensitivity_ranges="basis").sensitivity
    assert any("past their time budget" in n for n in s.notes), s.notes
    monkeypatch.setattr(compute, "DEGENERATE_SECONDS", 60.0)
    s2 = goalprog.from_dict(SPEC).solve(sensitivity=True, sensitivity_ranges="basis").sensitivity
    assert not any("time budget" in n for n in s2.notes), s2.notes
    # every number given without re-solves is the same as with them
    a, b = s.constraints.to_dict("records"), s2.constraints.to_dict("records")
    for x, y in zip(a, b):
        for k in ("rate_below", "rate_above"):
            if not math.isnan(x[k]):
                assert x[k] == y[k], (x, y)
