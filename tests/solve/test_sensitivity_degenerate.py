"""Sensitivity at degenerate vertices, over-weights near unboundedness, lock styles, the solve budget.

Every expected number is derived by hand in the docstrings (the value function in closed form).
"""

import math

import pytest

import goalprog

INF = math.inf


def approx(v):
    return pytest.approx(v, rel=1e-9, abs=1e-9)


def targets(s):
    return {r["goal"]: r for r in s.targets.to_dict("records")}


def weights(s):
    return {(r["goal"], r["side"]): r for r in s.weights.to_dict("records")}


AT_BOUND = {"variables": {"x": {"lower": 0, "upper": 10}}, "goals": {"g": {"expr": "x", "at_least": 10}}}


@pytest.mark.parametrize("method", ["weighted", "preemptive"])
def test_target_at_a_variable_bound(backend, method):
    """x in [0, 10], goal x >= T at T = 10: achievement max(0, T - 10): rate 0 below (met), 1 above (T = 10.5
    gives 0.5), for ever on both sides.  The optimal basis is degenerate (x basic at its upper bound or the
    under-deviation basic at 0), so its dual says one side only.  Preemptive: one level, so the held and the
    lexicographic value functions are the same."""
    spec = dict(AT_BOUND, solve={"method": method})
    t = targets(goalprog.from_dict(spec).solve(backend=backend, sensitivity=True).sensitivity)["g"]
    assert (t["rate_below"], t["rate_above"], t["low"], t["high"]) == (approx(0), approx(1), -INF, INF)


def test_degenerate_weighted_fuzz_case(backend):
    """v0, v1 >= 0; goals v0 <= 11, -v0 + v1 <= 5, v0 + 2 v1 <= T (over weight 2), 2 v0 >= 8 (under weight 1).
    At T = 4 the plan v0 = 4, v1 = 0 meets every goal.  For T < 4 the achievement is
    min over v0 of 2 (v0 - T)^+ + (8 - 2 v0)^+ = 8 - 2T: rate_below -2; for T > 4 it stays 0: rate_above 0."""
    spec = {"variables": {"v0": {"lower": 0}, "v1": {"lower": 0}}, "goals": {
        "a": {"expr": "v0", "at_most": 11, "weight": 1}, "b": {"expr": "-v0 + v1", "at_most": 5, "weight": 1},
        "c": {"expr": "v0 + 2*v1", "at_most": 4, "weight": 2}, "d": {"expr": "2*v0", "at_least": 8, "weight": 1}}}
    t = targets(goalprog.from_dict(spec).solve(backend=backend, sensitivity=True).sensitivity)["c"]
    assert (t["rate_below"], t["rate_above"]) == (approx(-2), approx(0))


UNBOUNDED_BELOW = {"variables": {"x": {"lower": 0, "upper": 10}, "y": {"lower": 0}}, "goals": {
    "g1": {"expr": "x", "at_least": 4, "weight": 1}, "obj": {"maximize": "y", "weight": 1},
    "g3": {"expr": "y", "at_most": 3, "weight": 2}}}


@pytest.mark.parametrize("preemptive", [False, True])
@pytest.mark.parametrize("y_upper", [None, 100])
def test_over_weight_range_ends_where_unbounded(backend, preemptive, y_upper):
    """x in [0, 10], y >= 0; g1: x >= 4, maximize y (weight 1), g3: y <= 3 (over weight w).  For y > 3 the
    achievement changes by -1 + w per unit of y: with w > 1 the plan y = 3 is optimal, at w = 1 too (a tie),
    with w < 1 larger y pays: without an upper bound on y the problem is unbounded (no plan at all), with
    y <= 100 the plan moves to y = 100.  Either way g3's over-weight range is [1, inf).  Preemptive with obj and
    g3 at level 2 (g1 at level 1): the same at level 2."""
    spec = {"variables": dict(UNBOUNDED_BELOW["variables"]), "goals": dict(UNBOUNDED_BELOW["goals"])}
    if y_upper is not None:
        spec["variables"]["y"] = {"lower": 0, "upper": y_upper}
    if preemptive:
        spec["goals"] = {"g1": {"expr": "x", "at_least": 4, "priority": 1},
                         "obj": {"maximize": "y", "priority": 2, "weight": 1},
                         "g3": {"expr": "y", "at_most": 3, "priority": 2, "weight": 2}}
    w = weights(goalprog.from_dict(spec).solve(backend=backend, sensitivity=True).sensitivity)[("g3", "over")]
    assert (w["low"], w["high"]) == (approx(1), INF)


LOCKED = {"variables": {"x": {"lower": 0}, "y": {"lower": 0}}, "constraints": {"cap": "x + y <= 12"}, "goals": {
    "a": {"expr": "x", "at_most": 3, "priority": 1}, "b": {"expr": "x", "at_least": 5, "priority": 1},
    "c": {"expr": "x + y", "at_least": 15, "priority": 2}, "d": {"expr": "y", "at_most": 4, "priority": 2, "weight": 0.5}}}


@pytest.mark.parametrize("style", ["face", "row", "fix"])
def test_numbers_do_not_depend_on_the_lock_style(backend, style):
    """Level 1: goals x <= 3 and x >= 5 conflict, h1* = 2 for any x in [3, 5].  Level 2 with h1 <= 2:
    min (15 - x - y)^+ + 0.5 (y - T)^+ with x + y <= b = 12, x <= 5: x = 5, y = 7 (a unit less y costs 1 and
    saves 0.5).  d's target T: achievement 3 + 0.5 (7 - T): rate -0.5 both sides, high 7 (y's value; above it
    0), low -inf.  The cap b: (15 - b) + 0.5 (b - 9): rate -0.5; the same under the lexicographic value function
    (level 1 re-optimised at b: h1(b) = 2 while b >= 3, x in [3, 5] fits).  A row lock holds level 1 at h1 <= 2 + 1e-7:
    the re-solves must not measure that guard (it gave high 6.9999999)."""
    s = goalprog.from_dict(LOCKED).solve(backend=backend, lock_style=style, sensitivity=True).sensitivity
    d = targets(s)["d"]
    assert (d["rate_below"], d["rate_above"], d["low"], d["high"]) == (approx(-0.5), approx(-0.5), -INF, 7.0)
    c = s.constraints.to_dict("records")[0]
    assert (c["rate_below"], c["rate_above"]) == (approx(-0.5), approx(-0.5))


def test_equivalent_weights_with_row_locks(backend):
    """The chain above held by row locks leaves the plan 1e-7 off the lexicographic optimum (x = 5 + 1e-7);
    equivalent weights must still be found, and reproduce it: with the reported weights, an independent PuLP
    model of the weighted problem (deviation columns written out by hand) has the optimum x = 5, y = 7
    (h1 = 2, h2 = 3 + 0.5 * 3 = 4.5)."""
    import pulp

    p = goalprog.from_dict(LOCKED)
    e = p.equivalent_weights(backend=backend, lock_style="row")
    assert e.weights is not None, e.reason
    w = e.weights
    lp = pulp.LpProblem("w", pulp.LpMinimize)
    x, y = pulp.LpVariable("x", 0), pulp.LpVariable("y", 0)
    oa, ub, uc, od = (pulp.LpVariable(n, 0) for n in ("oa", "ub", "uc", "od"))
    lp += w["a"] * oa + w["b"] * ub + w["c"] * uc + w["d"] * od
    lp += x + y <= 12
    lp += x - oa <= 3
    lp += x + ub >= 5
    lp += x + y + uc >= 15
    lp += y - od <= 4
    lp.solve(pulp.PULP_CBC_CMD(msg=False))
    assert (oa.value() + ub.value(), uc.value() + 0.5 * od.value()) == (approx(2), approx(4.5))


def test_solve_limit_from_a_file(tmp_path, monkeypatch):
    """A file's `solve: {sensitivity: true}` cannot make goalprog re-solve without end: past the limit the rows
    left are n/a (nan) with a note.  60 goals x[i] >= 1 + i with x[i] <= i: each target costs re-solves; with the
    limit at 30 most rows are unmeasured, and the re-solves stop soon after 30."""
    from goalprog.solve.sensitivity import compute

    monkeypatch.setattr(compute, "SOLVE_LIMIT", 30)
    n = 60
    f = tmp_path / "p.yaml"
    f.write_text("sets: {I: {range: [0, %d]}}\n" % (n - 1) +
                 "variables: {x: {index: I, lower: 0}}\n"
                 "constraints: {cap: {for: i in I, expr: 'x[i] <= i'}}\n"
                 "goals: {g: {for: i in I, expr: 'x[i]', at_least: 'i + 1'}}\n"
                 "solve: {method: weighted, sensitivity: true}\n")
    s = goalprog.load(f).solve().sensitivity
    t = s.targets.to_dict("records")
    unmeasured = [r for r in t if math.isnan(r["rate_below"])]
    assert len(t) == n and len(unmeasured) > n // 2
    measured = [r for r in t if not math.isnan(r["rate_below"])]
    assert all((r["rate_below"], r["rate_above"]) == (approx(1), approx(1)) for r in measured)  # under = i + 1 - i
    assert any("limit of 30 re-solves" in note for note in s.notes)
    assert s.solves < 30 + 40


def test_table_output_says_why_not_computed(tmp_path):
    """An infeasible problem solved with --sensitivity: the text output says the sensitivity was not computed
    (the JSON did already)."""
    from click.testing import CliRunner

    from goalprog.cli.app import main

    f = tmp_path / "p.yaml"
    f.write_text('variables: {x: {lower: 0, upper: 1}}\nconstraints: {c: "x >= 2"}\ngoals: {g: {expr: x, at_least: 2}}\n')
    out = CliRunner().invoke(main, ["solve", str(f), "--sensitivity"]).output
    assert "sensitivity: not computed: the plan is not optimal (status infeasible)" in out
