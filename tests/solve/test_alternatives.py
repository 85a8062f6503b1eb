"""Alternative optima (goalprog.solve.alternatives): each variable's range over the plans that keep
every level at its optimum, and whether the plan is unique.

Every expected range is derived by hand (in the test's docstring) or computed by an LP written here
by hand in highspy: the levels solved one after another, each locked at its optimum, then
``min``/``max`` of each variable.
"""

from __future__ import annotations

import highspy
import numpy as np
import pytest

import goalprog
from goalprog.core.errors import ArgumentError
from goalprog.solve import alternatives as alt_mod
from goalprog.solve.backends.base import SolveOptions, get_backend

from tests.helpers import BACKENDS, PROBLEMS

XY = {"name": "xy", "variables": {"x": {"lower": 0, "upper": 1}, "y": {"lower": 0, "upper": 1}},
      "goals": {"g": {"expr": "x + y", "at_least": 1}}}


def ranges(result) -> dict:
    return {r[0]: (r[2], r[3]) for r in result.alternatives.rows}


@pytest.mark.parametrize("backend", BACKENDS)
def test_x_plus_y_at_least_1_is_not_unique(backend):
    """The issue's acceptance: x + y >= 1 with x, y in [0, 1]: every plan with x + y >= 1 meets the
    goal, so x and y each range over [0, 1]."""
    r = goalprog.from_dict(XY).solve(backend=backend, alternatives=True)
    a = r.alternatives
    assert a.unique is False and a.kind == "lp"
    assert ranges(r) == {"x": (0.0, 1.0), "y": (0.0, 1.0)}
    df = a.variables
    assert list(df.columns) == ["variable", "value", "min", "max", "moves"] and df["moves"].all()
    d = r.to_dict()["alternatives"]
    assert d["unique"] is False and {"variable": "x", "min": 0.0, "max": 1.0}.items() <= d["variables"][0].items()


@pytest.mark.parametrize("backend", BACKENDS)
def test_clothing_factory_weighted_1_1_is_unique(backend):
    """Weights (1, 1): p = 0, s = 50,000, d = 0 is the only optimum (issue 15's worked reference):
    a unit of pants (dresses) in place of 5 (10) shirts' budget changes the achievement by
    -10 + 15 - 1.5 + 5 = +8.5 (-15 + 30 - 3 + 10 = +22)."""
    r = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(backend=backend, alternatives=True)
    a = r.alternatives
    assert a.unique is True and not a.moving
    got = ranges(r)
    assert got["pants"] == (0.0, 0.0) and got["dresses"] == (0.0, 0.0)
    assert got["shirts"] == pytest.approx((50000.0, 50000.0), rel=1e-12)


PRE = {"name": "pre", "variables": {"x": {"upper": 10}, "y": {"upper": 10}},
       "goals": {"g": {"expr": "x + y", "at_least": 8, "priority": 1},
                 "h": {"expr": "x", "at_most": 3, "priority": 2}}}


@pytest.mark.parametrize("backend", BACKENDS)
def test_preemptive_ranges_by_hand(backend):
    """Level 1 (x + y >= 8) and level 2 (x <= 3) are both met exactly, so the optimal plans are
    x + y >= 8, x <= 3, 0 <= x, y <= 10: x in [0, 3] and y in [8 - 3, 10] = [5, 10]."""
    r = goalprog.from_dict(PRE).solve(backend=backend, alternatives=True)
    assert r.method == "preemptive" and r.alternatives.unique is False
    assert ranges(r) == {"x": (0.0, 3.0), "y": (5.0, 10.0)}


def test_indexed_model_labels_and_ranges():
    """x[i] >= 2 for i in u, v, w (one goal each), sum >= 7 (goal), sum <= 8 (hard), x <= 5: every
    goal can be met; the plans meeting all are x_i >= 2, 7 <= sum <= 8, so each x_i ranges over
    [2, 8 - 2 - 2] = [2, 4]."""
    spec = {"name": "ix", "sets": {"a": ["u", "v", "w"]}, "variables": {"x": {"index": "a", "upper": 5}},
            "constraints": {"c": "sum(x[i] for i in a) <= 8"},
            "goals": {"g": {"for": "i in a", "expr": "x[i]", "at_least": 2},
                      "t": {"expr": "sum(x[i] for i in a)", "at_least": 7}}}
    for backend in BACKENDS:
        r = goalprog.from_dict(spec).solve(backend=backend, alternatives=True)
        assert ranges(r) == {"x[u]": (2.0, 4.0), "x[v]": (2.0, 4.0), "x[w]": (2.0, 4.0)}, backend


MIP_TWO = {"name": "m2", "variables": {"x": {"type": "binary"}, "y": {"type": "binary"}},
           "goals": {"g": {"expr": "x + y", "at_least": 1}, "h": {"expr": "x + y", "at_most": 1}}}
MIP_ONE = {"name": "m1", "variables": {"x": {"type": "binary"}, "y": {"type": "binary"}},
           "goals": {"g": {"expr": "2*x + 3*y", "at_least": 3}, "h": {"expr": "x + y", "at_most": 1}}}


@pytest.mark.parametrize("backend", BACKENDS)
def test_mip_two_integer_plans(backend):
    """Binary x, y; x + y = 1 wanted on both sides: (1, 0) and (0, 1) both meet every goal."""
    r = goalprog.from_dict(MIP_TWO).solve(backend=backend, alternatives=True)
    a = r.alternatives
    assert a.kind == "mip" and a.unique is False and a.second_integer_plan is True
    assert ranges(r) == {"x": (0.0, 1.0), "y": (0.0, 1.0)}


@pytest.mark.parametrize("backend", BACKENDS)
def test_mip_one_integer_plan(backend):
    """2x + 3y >= 3 and x + y <= 1 (binary): (0, 1) meets both; (1, 0) misses the first by 1, (1, 1)
    the second by 1, (0, 0) the first by 3: the plan is unique."""
    r = goalprog.from_dict(MIP_ONE).solve(backend=backend, alternatives=True)
    a = r.alternatives
    assert a.unique is True and a.second_integer_plan is False
    assert ranges(r) == {"x": (0.0, 0.0), "y": (1.0, 1.0)}


@pytest.mark.parametrize("spec, second", [(MIP_TWO, True), (MIP_ONE, False)])
def test_mip_no_good_cut_when_too_large_to_range(spec, second):
    """Above the MIP range limit only the no-good cut runs: it says whether a second assignment
    of the binaries keeps every level optimal, and ranges nothing."""
    p = goalprog.from_dict(spec)
    r = p.solve()
    a = alt_mod.alternative_optima(r, get_backend("highs"), SolveOptions(solver="highs"), mip_limit=0)
    assert a.second_integer_plan is second and a.unique is (not second)
    assert all(row[2] is None and row[3] is None for row in a.rows)
    assert "no-good" in a.note


def test_not_optimal_gets_a_warning_not_ranges():
    spec = {"name": "inf", "variables": {"x": {"upper": 1}}, "constraints": {"c": "x >= 2"},
            "goals": {"g": {"expr": "x", "at_least": 1}}}
    r = goalprog.from_dict(spec).solve(alternatives=True)
    assert r.alternatives is None and any("alternative optima not computed" in w for w in r.warnings)


def test_bad_argument():
    with pytest.raises(ArgumentError, match="alternatives must be True or False"):
        goalprog.from_dict(XY).solve(alternatives="yes")


def test_not_asked_no_key():
    r = goalprog.from_dict(XY).solve()
    assert r.alternatives is None and "alternatives" not in r.to_dict()


# ---------------------------------------------------------------------------------------------
# random goal programs against hand-written highspy LPs


def random_gp(seed: int, preemptive: bool):
    """A small random GP with many ties (integer coefficients 0..2, targets met by several plans)."""
    rng = np.random.default_rng(seed)
    n, m = 4, 3
    a = rng.integers(0, 3, size=(m, n)).astype(float)
    a[a.sum(axis=1) == 0, 0] = 1.0
    t = rng.integers(1, 6, size=m).astype(float)
    kinds = rng.choice(["at_least", "at_most"], size=m)
    w = rng.integers(1, 3, size=m).astype(float)
    prio = rng.integers(1, 3, size=m) if preemptive else [None] * m
    spec = {"name": f"r{seed}", "variables": {f"x{j}": {"upper": 4} for j in range(n)},
            "constraints": {"cap": " + ".join(f"x{j}" for j in range(n)) + " <= 9"}, "goals": {}}
    for i in range(m):
        expr = " + ".join(f"{a[i, j]:g}*x{j}" for j in range(n))
        g = {"expr": expr, kinds[i]: float(t[i]), "weight": float(w[i])}
        if preemptive:
            g["priority"] = int(prio[i])
        spec["goals"][f"g{i}"] = g
    return spec, (a, t, kinds, w, prio)


def hand_ranges(data, preemptive: bool, n: int = 4):
    """Ranges by a highspy model written here: columns x (n), under (m), over (m); goal rows
    a x + u - o = t; cap sum x <= 9; levels solved in order, each then held by h <= h* + 1e-9."""
    a, t, kinds, w, prio = data
    m = len(t)
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    ncol = n + 2 * m
    h.addVars(ncol, np.zeros(ncol), np.r_[np.full(n, 4.0), np.full(2 * m, inf)])
    for i in range(m):
        idx = np.r_[np.arange(n), n + i, n + m + i].astype(np.int32)
        h.addRow(t[i], t[i], len(idx), idx, np.r_[a[i], 1.0, -1.0])
    h.addRow(-inf, 9.0, n, np.arange(n, dtype=np.int32), np.ones(n))
    levels = sorted(set(int(p) for p in prio)) if preemptive else [None]
    for level in levels:
        cost = np.zeros(ncol)
        for i in range(m):
            if level is None or int(prio[i]) == level:
                cost[n + i if kinds[i] == "at_least" else n + m + i] = w[i]
        h.changeColsCost(ncol, np.arange(ncol, dtype=np.int32), cost)
        h.changeObjectiveSense(highspy.ObjSense.kMinimize)
        h.run()
        z = h.getInfo().objective_function_value
        nz = np.flatnonzero(cost)
        h.addRow(-inf, z + 1e-9, len(nz), nz.astype(np.int32), cost[nz])
    out = []
    for j in range(n):
        ends = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            cost = np.zeros(ncol)
            cost[j] = 1.0
            h.changeColsCost(ncol, np.arange(ncol, dtype=np.int32), cost)
            h.changeObjectiveSense(sense)
            h.run()
            ends.append(h.getSolution().col_value[j])
        out.append(tuple(ends))
    return out


@pytest.mark.parametrize("preemptive", [False, True])
@pytest.mark.parametrize("seed", range(8))
def test_random_gps_match_hand_written_lps(seed, preemptive):
    spec, data = random_gp(seed, preemptive)
    p = goalprog.from_dict(spec)
    expect = hand_ranges(data, preemptive)
    for backend in BACKENDS:
        r = p.solve(backend=backend, alternatives=True)
        got = [(row[2], row[3]) for row in r.alternatives.rows]
        assert np.allclose(got, expect, atol=1e-6), (backend, got, expect)
        moving = any(hi - lo > 1e-6 for lo, hi in expect)
        assert r.alternatives.unique is (not moving)


@pytest.mark.parametrize("preemptive", [False, True])
@pytest.mark.parametrize("seed", range(8, 16))
def test_screening_does_not_change_the_ranges(seed, preemptive):
    """The same ranges with every screen (the random-direction one forced on), and with none."""
    spec, _ = random_gp(seed, preemptive)
    r = goalprog.from_dict(spec).solve()
    be, opts = get_backend("highs"), SolveOptions(solver="highs")
    plain = alt_mod.alternative_optima(r, be, opts, screen=False)
    screened = alt_mod.alternative_optima(r, be, opts, screen=True)
    randomised = alt_mod.alternative_optima(r, be, opts, screen=True, random_from=1)
    assert plain.skipped == 0
    for a in (screened, randomised):
        assert a.unique == plain.unique
        assert np.allclose([row[2:4] for row in a.rows], [row[2:4] for row in plain.rows], atol=1e-9)


def test_backends_agree_on_shipped_problems():
    for name in ("clothing_factory_preemptive.yaml", "clothing_factory_indexed.yaml", "budget_allocation.yaml"):
        p = goalprog.load(PROBLEMS / name)
        results = [p.solve(backend=b, alternatives=True).alternatives for b in BACKENDS]
        for a in results[1:]:
            assert a.unique == results[0].unique, name
            assert np.allclose([row[2:4] for row in a.rows], [row[2:4] for row in results[0].rows], atol=1e-9), name


def test_solve_limit_gives_inner_bounds_and_says_so():
    """With the solve limit reached, the ends left show the plans seen: inside the true ranges
    (hand-derived in test_indexed_model_labels_and_ranges: [2, 4] each), and the note says so."""
    spec = {"name": "ix", "sets": {"a": ["u", "v", "w"]}, "variables": {"x": {"index": "a", "upper": 5}},
            "constraints": {"c": "sum(x[i] for i in a) <= 8"},
            "goals": {"g": {"for": "i in a", "expr": "x[i]", "at_least": 2},
                      "t": {"expr": "sum(x[i] for i in a)", "at_least": 7}}}
    r = goalprog.from_dict(spec).solve()
    a = alt_mod.alternative_optima(r, get_backend("highs"), SolveOptions(solver="highs"), solve_limit=2)
    assert "limit of 2 solves" in a.note and a.solves <= 3
    for _, value, lo, hi, _ in a.rows:
        assert 2 - 1e-9 <= lo <= value <= hi <= 4 + 1e-9
    assert a.unique in (None, False)


TWO = {"name": "two", "variables": {"x": {"upper": 5}, "y": {"upper": 5}}, "constraints": {"c": "x + y <= 2"},
       "goals": {"gx": {"expr": "x", "at_least": 2}, "gy": {"expr": "y", "at_least": 2}}}


@pytest.mark.parametrize("backend", BACKENDS)
def test_each_method_has_its_own_optimal_set(backend):
    """x >= 2 and y >= 2 wanted, x + y <= 2.  Weighted: (2 - x) + (2 - y) = 4 - (x + y) is least on
    x + y = 2, so x in [0, 2] (and y).  Chebyshev: max(2 - x, 2 - y) is least (1) at x = y = 1 only
    (x >= 1 and y >= 1 with x + y <= 2).  Extended (lambda 0.5): 0.5 * max + 0.5 * sum, least at
    (1, 1) only (the sum is 2 on all of x + y = 2, the max least at (1, 1))."""
    p = goalprog.from_dict(TWO)
    r = p.solve(method="weighted", backend=backend, alternatives=True)
    assert r.alternatives.unique is False and ranges(r) == {"x": (0.0, 2.0), "y": (0.0, 2.0)}
    for method in ("chebyshev", "extended"):
        r = p.solve(method=method, backend=backend, alternatives=True)
        assert r.alternatives.unique is True, method
        got = ranges(r)
        assert got["x"] == pytest.approx((1.0, 1.0), abs=1e-9) and got["y"] == pytest.approx((1.0, 1.0), abs=1e-9)


def test_meta_goal_methods_say_alternatives_are_not_available():
    # the meta-goal methods keep no stage records of the goals: said in the user's terms, as
    # --sensitivity says it, never as the internal "stage records"
    r = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(method="fewest_unmet", alternatives=True)
    assert r.alternatives is None
    said = [w for w in r.warnings if w.startswith("alternative optima")]
    assert said == ["alternative optima not available for the meta-goal method fewest_unmet (weighted, "
                    "Chebyshev, extended and preemptive GP only)"]


@pytest.mark.parametrize("backend", ["highs", "pulp", "pyomo"])
def test_a_mip_plan_unique_but_for_the_lock_tolerance_is_unique(tmp_path, backend):
    """Both reviewers: docs/methods.md's MIP example said "not unique: y in [1.49999, 1.5]".  By
    hand: level 1 needs x as large as 2x + y <= 7.5 allows with y >= 0 and x whole: x = 3; level 2
    then y = 1.5, the only value; so the plan (3, 1.5) is the one lexicographic optimum."""
    (tmp_path / "p.yaml").write_text(
        "variables:\n  x: {lower: 0, upper: 5, type: integer}\n  y: {lower: 0, upper: 5}\n"
        "constraints: {c: 2*x + y <= 7.5}\n"
        "goals:\n  gx: {expr: x, at_least: 4, priority: 1}\n  gy: {expr: y, at_least: 3, priority: 2}\n")
    r = goalprog.load(tmp_path / "p.yaml").solve(backend=backend, alternatives=True)
    assert r.alternatives.unique is True
    rows = r.alternatives.variables.set_index("variable")
    assert (rows.loc["y", "min"], rows.loc["y", "max"]) == (1.5, 1.5)
