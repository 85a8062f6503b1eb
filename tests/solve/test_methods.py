"""The goal-programming family (issue 4), each on an instance whose answer is worked out by hand.

Normalisation.  t in [0, 1] mixes two plans: score1 = 10t, score2 = 10(1 - t), distance =
100 + 50t km; goals score1 >= 8, score2 >= 8, distance <= 100 km.
* Percent normalisation (deviations in % of the target): for t in [0.2, 0.8] the achievement is
  12.5(8 - 10t) + 12.5(10t - 2) + 50t = 75 + 50t; for t in [0, 0.2] it is 100 - 75t; for t >= 0.8,
  175t - 25.  Minimum 85 at t = 0.2, in any unit of distance.
* Raw weights, distance in km: on [0, 0.2] the sum is 8 + 40t, elsewhere larger: t = 0.
* Raw weights, distance in thousands of km: on [0, 0.2] it is 8 - 9.95t (to 6.01 at t = 0.2), on
  [0.2, 0.8] 6 + 0.05t: t = 0.2.  So the raw answer depends on the unit; the normalised one not.

Chebyshev.  x + y <= 12, goals x >= 10 (weight w1), y >= 10 (weight w2).  Equal weights:
min max(10 - x, 10 - y) gives x = y = 6, D = 4 (weighted GP is indifferent along x + y = 12).
Weights 2 and 1: 2(10 - x) = 10 - y on x + y = 12 gives x = 22/3, y = 14/3, D = 16/3.
Extended with lambda = 0.5 and equal weights: 0.5 D + 0.5 * 8, minimal at D = 4: 6.

Piecewise penalty.  x + y <= 40; goal x >= 30 with the first 10 units short costing 1 each and
the rest 5; goal y >= 30 at 2 per unit.  20 units must be short: 10 on x (at 1), 10 on y (at 2,
cheaper than x's 5): x = 20, y = 20, achievement 10 + 20 = 30.

Lock granularity.  Level 1: x >= 10 and y >= 10, x + y <= 12, y <= 8: shortfall 8 whatever the
split (x in [4, 10]).  Level 2: x == 7.  A level lock keeps the total 8 and lets level 2 move
along it (x = 7, level 2 = 0); goal locks freeze each deviation at level 1's vertex (x = 4 or 10),
so level 2 is 3.

Pareto.  Goals x + y >= 10, x <= 8; hard y <= 3.  At x* = (8, 2) both goals are met, but (7, 3)
is as good on x + y and better on x: dominated.  Efficiency LP with improvements in fractions of
the targets (k = 10, 8): x + y >= 10 + 10 s1, x <= 8 - 8 s2, y <= 3 gives 10 s1 + 8 s2 <= 1, so
s2 = 1/8, s1 = 0: improvement 0.125 and the restored plan (7, 3).
"""

from fractions import Fraction as F

import numpy as np
import pytest

import goalprog
from goalprog.solve.backends.base import SolveOptions, get_backend
from goalprog.solve.pareto import efficiency


def mix(unit_factor: float, normalize: str | None):
    spec = {
        "variables": {"t": {"upper": 1}},
        "expressions": {"distance": f"{unit_factor} * (100 + 50*t)"},
        "goals": {"score1": {"expr": "10*t", "at_least": 8}, "score2": {"expr": "10 - 10*t", "at_least": 8},
                  "near": {"expr": "distance", "at_most": 100 * unit_factor}},
        "solve": {"method": "weighted"},
    }
    if normalize:
        spec["solve"]["normalize"] = normalize
    return goalprog.from_dict(spec)


@pytest.mark.parametrize("unit", [1.0, 1000.0, 0.001])  # km, m, thousands of km
def test_percent_normalisation_is_unit_free(backend, unit):
    r = mix(unit, "percent").solve(backend=backend)
    assert r.value("t") == pytest.approx(0.2, abs=1e-7)
    assert r.objective == pytest.approx(85)
    g = r.goals.set_index("goal")
    assert g.loc["near", "normalized"] == pytest.approx(10)  # 10 km over a 100 km target: 10 %
    assert g.loc["near", "percent_of_target"] == pytest.approx(110)


def test_raw_weights_depend_on_the_unit(backend):
    assert mix(1.0, None).solve(backend=backend).value("t") == pytest.approx(0, abs=1e-7)
    assert mix(0.001, None).solve(backend=backend).value("t") == pytest.approx(0.2, abs=1e-7)


def test_magnitude_warning_without_normalisation():
    r = mix(1000.0, None).solve(backend="highs")
    assert any("do not compare" in w for w in r.warnings)
    r = mix(1000.0, "percent").solve(backend="highs")
    assert not any("do not compare" in w for w in r.warnings)


@pytest.mark.parametrize("how", ["euclidean", "summation", "zero_one"])
def test_other_normalisations_are_unit_free(backend, how):
    """Each divides a goal's deviations by something in the goal's own units, so rescaling the
    distance by 1000 changes nothing."""
    a = mix(1.0, how).solve(backend=backend)
    b = mix(1000.0, how).solve(backend=backend)
    assert a.value("t") == pytest.approx(b.value("t"), abs=1e-7)
    assert a.objective == pytest.approx(b.objective, rel=1e-6)


def test_zero_one_scales_come_from_the_payoff_table():
    """With targets 10 each optimum of the payoff table is unique: score1 alone needs t = 1
    (score2 = 0: 10 short; distance 150: 50 over), score2 alone and near alone need t = 0
    (score1 10 short).  Worst deviations: score1 10, score2 10, near 50."""
    from goalprog.solve.normalize import zero_one_scales

    p = goalprog.from_dict({
        "variables": {"t": {"upper": 1}},
        "goals": {"score1": {"expr": "10*t", "at_least": 10}, "score2": {"expr": "10 - 10*t", "at_least": 10},
                  "near": {"expr": "100 + 50*t", "at_most": 100}},
        "solve": {"normalize": "zero_one"}})
    model, _ = zero_one_scales(p.model, get_backend("highs"), SolveOptions())
    g = model.goals
    assert list(g.under_scale[:2]) == pytest.approx([10, 10])
    assert g.over_scale[2] == pytest.approx(50)


def two_goals(w1=1, w2=1, method="chebyshev", **solve):
    return goalprog.from_dict({
        "variables": {"x": {}, "y": {}}, "constraints": {"c": "x + y <= 12"},
        "goals": {"gx": {"expr": "x", "at_least": 10, "weight": w1}, "gy": {"expr": "y", "at_least": 10, "weight": w2}},
        "solve": {"method": method, **solve}})


def test_chebyshev_balances(backend):
    r = two_goals().solve(backend=backend)
    assert r.method == "chebyshev"
    assert (r.value("x"), r.value("y")) == (pytest.approx(6), pytest.approx(6))
    assert r.objective == pytest.approx(4)


def test_chebyshev_with_weights(backend):
    r = two_goals(2, 1).solve(backend=backend)
    assert r.value("x") == pytest.approx(float(F(22, 3)))
    assert r.value("y") == pytest.approx(float(F(14, 3)))
    assert r.objective == pytest.approx(float(F(16, 3)))


def test_extended_mixes_the_two(backend):
    r = two_goals(method="extended", **{"lambda": 0.5}).solve(backend=backend)
    assert r.objective == pytest.approx(6)
    assert r.value("x") == pytest.approx(6)
    # lambda = 1 is weighted GP: total shortfall 8
    assert two_goals(method="extended", **{"lambda": 1}).solve(backend=backend).objective == pytest.approx(8)


def test_chebyshev_level_inside_a_preemptive_chain(backend):
    """Level 1 Chebyshev over the two goals (x = y = 6), level 2 minimise x + y's use: a lock on
    D keeps both shortfalls <= 4, so level 2 (minimise y) gives y = 6 still."""
    r = goalprog.from_dict({
        "variables": {"x": {}, "y": {}}, "constraints": {"c": "x + y <= 12"},
        "goals": {"gx": {"expr": "x", "at_least": 10, "priority": 1}, "gy": {"expr": "y", "at_least": 10, "priority": 1},
                  "small_y": {"minimize": "y", "priority": 2}},
        "solve": {"levels": {1: {"achievement": "chebyshev"}}}}).solve(backend=backend)
    lv = r.levels.set_index("level")
    assert lv.loc[1, "stage_value"] == pytest.approx(4)
    assert lv.loc[1, "achievement"] == pytest.approx(4, abs=1e-4)  # the largest shortfall, not the sum (8)
    assert r.value("y") == pytest.approx(6, abs=1e-4)


def test_piecewise_penalty(backend):
    r = goalprog.from_dict({
        "variables": {"x": {}, "y": {}}, "constraints": {"c": "x + y <= 40"},
        "goals": {"gx": {"expr": "x", "at_least": 30, "penalty": [{"up_to": 10, "rate": 1}, {"rate": 5}]},
                  "gy": {"expr": "y", "at_least": 30, "weight": 2}}}).solve(backend=backend)
    assert (r.value("x"), r.value("y")) == (pytest.approx(20), pytest.approx(20))
    assert r.objective == pytest.approx(30)
    g = r.goals.set_index("goal")
    assert g.loc["gx", "contribution"] == pytest.approx(10)  # 10 units at rate 1
    assert g.loc["gy", "contribution"] == pytest.approx(20)


def test_penalty_rates_must_be_convex():
    with pytest.raises(goalprog.SchemaError, match="must not decrease"):
        goalprog.from_dict({"variables": {"x": {}},
                            "goals": {"g": {"expr": "x", "at_least": 3,
                                            "penalty": [{"up_to": 1, "rate": 5}, {"rate": 1}]}}})


@pytest.mark.parametrize("granularity, level2", [("level", 0.0), ("goal", 3.0)])
def test_lock_granularity(backend, granularity, level2):
    r = goalprog.from_dict({
        "variables": {"x": {}, "y": {"upper": 8}}, "constraints": {"c": "x + y <= 12"},
        "goals": {"gx": {"expr": "x", "at_least": 10, "priority": 1}, "gy": {"expr": "y", "at_least": 10, "priority": 1},
                  "seven": {"expr": "x", "equal": 7, "priority": 2}},
        "solve": {"lock": {"granularity": granularity}}}).solve(backend=backend)
    lv = r.levels.set_index("level")
    assert lv.loc[1, "achievement"] == pytest.approx(8, abs=1e-4)
    assert lv.loc[2, "stage_value"] == pytest.approx(level2, abs=1e-4)


def pareto_problem():
    return goalprog.from_dict({
        "variables": {"x": {}, "y": {"upper": 3}},
        "goals": {"total": {"expr": "x + y", "at_least": 10}, "small_x": {"expr": "x", "at_most": 8}}})


def test_dominated_plan_is_detected_and_restored(backend):
    p = pareto_problem()
    x_star = np.zeros(p.model.n_cols)
    x_star[0], x_star[1] = 8, 2
    report, x = efficiency(p.model, x_star, get_backend(backend), SolveOptions(), restore=True)
    assert report.dominated and report.restored
    assert report.improvement == pytest.approx(0.125)
    assert (x[0], x[1]) == (pytest.approx(7), pytest.approx(3))
    # the restored plan is efficient
    again, _ = efficiency(p.model, x, get_backend(backend), SolveOptions(), restore=False)
    assert not again.dominated


def test_pareto_restore_from_solve(backend):
    r = pareto_problem().solve(backend=backend, pareto="restore")
    assert r.pareto is not None
    # whatever vertex the solver found, the returned plan is efficient: y at 3 and x + y = 10
    assert r.value("y") == pytest.approx(3)
    assert r.value("x") == pytest.approx(7)
    assert r.objective == pytest.approx(0)
    assert r.to_dict()["pareto"]["status"] == "optimal"


@pytest.mark.parametrize("backend", ["pulp", "pyomo", "highs"])
def test_achievement_report_of_the_clothing_factory(backend, problems_dir):
    """Level 1 (profit >= 150,000) leaves one plan: 50,000 shirts, so level 2 cannot improve on
    it.  Giving up a dollar of profit frees a dollar of budget from shirts (3 profit, 1 yard per
    dollar) for pants (2 profit, 0.3 yard per dollar): 0.7 yards less waste per dollar, the
    shadow price of the level-1 lock.  The budget is the binding hard constraint."""
    r = goalprog.load(problems_dir / "clothing_factory_preemptive.yaml").solve(backend=backend)
    lv = r.levels.set_index("level")
    assert lv.loc[1, "shadow_price"] == pytest.approx(0.7)
    assert bool(lv.loc[1, "lock_binding"]) is True
    assert lv.loc[2, "improved"] is False or lv.loc[2, "improved"] == False  # noqa: E712
    assert r.binding_constraints() == ["budget"]
    d = r.to_dict()
    assert d["binding_constraints"] == ["budget"]
    assert d["levels"][0]["shadow_price"] == pytest.approx(0.7)


def test_improved_is_judged_on_true_deviations(backend):
    """Level 1 fixes x = 14; level 2 (x <= 10, piecewise penalty) cannot change it: not improved."""
    r = goalprog.from_dict({
        "variables": {"x": {"upper": 20}},
        "goals": {"fix": {"expr": "x", "equal": 14, "priority": 1},
                  "g": {"expr": "x", "at_most": 10, "priority": 2, "penalty": [{"up_to": 2, "rate": 1}, {"rate": 4}]}},
    }).solve(backend=backend)
    lv = r.levels.set_index("level")
    assert lv.loc[2, "achievement"] == pytest.approx(2 * 1 + 2 * 4)  # 4 over: 2 at rate 1, 2 at rate 4
    assert not lv.loc[2, "improved"]


def test_unbounded_improvement_is_reported_not_restored(backend):
    p = goalprog.from_dict({"variables": {"x": {"upper": 10}, "z": {}},
                            "goals": {"gx": {"expr": "x", "at_least": 3}, "gz": {"expr": "z", "at_least": 5}}})
    r = p.solve(backend=backend, pareto="restore")
    assert r.pareto.dominated and not r.pareto.restored
    assert "without limit" in r.pareto.message


def test_conflicting_settings_are_errors():
    with pytest.raises(goalprog.SchemaError, match="either normalize or scale"):
        goalprog.from_dict({"variables": {"x": {}},
                            "goals": {"g": {"expr": "x", "at_least": 3, "normalize": "percent", "scale": 5}}})
    with pytest.raises(goalprog.SchemaError, match="lambda applies to achievement: extended"):
        goalprog.from_dict({"variables": {"x": {}}, "goals": {"g": {"expr": "x", "at_least": 3, "priority": 1}},
                            "solve": {"levels": {1: {"achievement": "chebyshev", "lambda": 0.9}}}})
