"""Equivalent weights (issue 16): weights under which weighted GP reproduces the preemptive plan.

The weights found are fed to goal programmes written by hand in PuLP (not goalprog's compiler or
backends), and the multipliers are checked against hand-derived optimality regions.
"""

import json
from fractions import Fraction

import pulp
import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from tests.helpers import PROBLEMS
from tests.solve.test_priority_orders import THREE

FACTORY = PROBLEMS / "clothing_factory_preemptive.yaml"


def close(a, b, rel=1e-9):
    return abs(float(a) - float(b)) <= rel * max(1.0, abs(float(a)), abs(float(b)))


def factory_weighted_by_hand(w_profit: float, w_waste: float) -> tuple[float, float]:
    """The clothing factory as weighted GP in plain PuLP: (profit, waste) at the optimum."""
    m = pulp.LpProblem("factory", pulp.LpMinimize)
    p, s, d = (pulp.LpVariable(n, lowBound=0) for n in ("p", "s", "d"))
    n_profit, p_profit, n_waste, p_waste = (pulp.LpVariable(n, lowBound=0) for n in ("np", "pp", "nw", "pw"))
    profit = 10 * p + 3 * s + 15 * d
    waste = 1.5 * p + s + 3 * d
    m += w_profit * n_profit + w_waste * p_waste
    m += 5 * p + s + 10 * d <= 50_000
    m += profit + n_profit - p_profit == 150_000
    m += waste + n_waste - p_waste == 20_000
    assert m.solve(pulp.HiGHS(msg=False)) == 1
    return pulp.value(profit), pulp.value(waste)


def test_clothing_factory_weights_reproduce_profit_first(backend):
    eq = goalprog.load(FACTORY).equivalent_weights(backend=backend)
    assert eq.reason is None and eq.checked
    w = eq.weights
    assert set(w) == {"profit", "waste"}
    # hand-derived: profit first is the weighted optimum exactly when w_profit / w_waste > 0.7 (the frontier's
    # slope is 10/7 dollars per yard; at 0.7 the two plans tie)
    assert w["profit"] / w["waste"] > 0.7
    profit, waste = factory_weighted_by_hand(w["profit"], w["waste"])
    assert close(profit, 150_000) and close(waste, 50_000)
    # the boundary the margin keeps away from: 0.7 (the level's trade-off rate)
    assert close(eq.least[1] / eq.least[2], Fraction(7, 10))
    # and the hand model agrees that below it the other plan wins
    profit, waste = factory_weighted_by_hand(0.69, 1.0)
    assert close(profit, Fraction(750_000, 7)) and close(waste, 20_000)


def test_two_level_threshold_is_the_trade_off_rate():
    p = goalprog.load(FACTORY)
    result = p.solve()
    eq = p.equivalent_weights(result)
    assert close(eq.least[1] / eq.least[2], result.stages[0].lock_dual)


def three_weighted_by_hand(wa: float, wb: float, wc: float) -> tuple[float, float]:
    """The three-level model of test_priority_orders as weighted GP in plain PuLP: (x, y)."""
    m = pulp.LpProblem("three", pulp.LpMinimize)
    x, y = pulp.LpVariable("x", lowBound=0), pulp.LpVariable("y", lowBound=0)
    na, pa, nb, pb, nc, pc = (pulp.LpVariable(n, lowBound=0) for n in ("na", "pa", "nb", "pb", "nc", "pc"))
    m += wa * (na + pa) + wb * (nb + pb) + wc * pc
    m += x + y <= 10
    m += x + na - pa == 8
    m += y + nb - pb == 6
    m += y + nc - pc == 1
    assert m.solve(pulp.HiGHS(msg=False)) == 1
    return pulp.value(x), pulp.value(y)


def test_three_levels_hand_derived_multipliers(backend):
    """At the preemptive plan (8, 2) the weighted optimum holds exactly when w_B >= w_C and
    w_A >= w_B - w_C (moving y down trades B for C; moving along x + y = 10 trades A and C for B).
    With each multiplier free to move 10 % and mu_1 >= 1.1 mu_2 >= 1.21 mu_3 the smallest are
    mu_3 = 1, mu_2 = 1 / 0.9 = 10/9, mu_1 = 1.1 mu_2 = 11/9."""
    eq = goalprog.from_dict(THREE).equivalent_weights(backend=backend)
    assert eq.checked and eq.reason is None
    assert close(eq.multipliers[1], Fraction(11, 9)) and close(eq.multipliers[2], Fraction(10, 9))
    assert eq.multipliers[3] == 1.0
    w = eq.weights
    assert close(w["A"], Fraction(11, 9)) and close(w["B"], Fraction(10, 9)) and close(w["C"], 1)
    x, y = three_weighted_by_hand(w["A"], w["B"], w["C"])
    assert close(x, 8) and close(y, 2)


def test_goal_sides_with_their_own_weights_are_reported_by_side():
    data = {"name": "sides", "variables": {"x": {"lower": 0, "upper": 10}},
            "goals": {"band": {"expr": "x", "between": [3, 4], "priority": 1,
                               "under": {"weight": 2}, "over": {"weight": 1}},
                      "big": {"expr": "x", "at_least": 9, "priority": 2}}}
    eq = goalprog.from_dict(data).equivalent_weights()
    assert eq.checked
    assert isinstance(eq.weights["band"], dict) and set(eq.weights["band"]) == {"under", "over"}
    assert close(eq.weights["band"]["under"] / eq.weights["band"]["over"], 2)


MIP = {
    "name": "small_mip",
    "variables": {"x": {"lower": 0, "upper": 5, "type": "integer"}, "y": {"lower": 0, "upper": 5}},
    "constraints": {"c": "2*x + y <= 7.5"},
    "goals": {"gx": {"expr": "x", "at_least": 4, "priority": 1},
              "gy": {"expr": "y", "at_least": 3, "priority": 2}},
}


def mip_weighted_by_hand(wx: float, wy: float) -> tuple[float, float]:
    """The small MIP as weighted GP in plain PuLP (HiGHS, gap 0): (x, y)."""
    m = pulp.LpProblem("mip", pulp.LpMinimize)
    x = pulp.LpVariable("x", lowBound=0, upBound=5, cat="Integer")
    y = pulp.LpVariable("y", lowBound=0, upBound=5)
    nx, px, ny, py = (pulp.LpVariable(n, lowBound=0) for n in ("nx", "px", "ny", "py"))
    m += wx * nx + wy * ny
    m += 2 * x + y <= 7.5
    m += x + nx - px == 4
    m += y + ny - py == 3
    assert m.solve(pulp.HiGHS(msg=False, mip_rel_gap=0.0)) == 1
    return pulp.value(x), pulp.value(y)


def test_mip_weights_hand_derived(backend):
    """The preemptive plan is x = 3 (x = 4 breaks 2x + y <= 7.5), y = 1.5: shortfalls 1 and 1.5.
    The other candidate plan x = 2, y = 3 has shortfalls 2 and 0, so weighted GP keeps (3, 1.5)
    exactly when w_x + 1.5 w_y < 2 w_x, i.e. w_x / w_y > 1.5 (an integer step: no LP argument
    gives it).  With the 10 % margin the smallest multiplier is 1.5 / 0.9 = 5/3."""
    p = goalprog.from_dict(MIP)
    result = p.solve(backend=backend)
    assert result.status.value == "optimal"
    eq = p.equivalent_weights(result, backend=backend)
    assert eq.checked and eq.reason is None
    assert close(eq.multipliers[1], Fraction(5, 3)) and eq.multipliers[2] == 1.0
    assert mip_weighted_by_hand(eq.weights["gx"], eq.weights["gy"]) == pytest.approx((3, 1.5), abs=1e-9)
    assert mip_weighted_by_hand(1.4, 1.0) == pytest.approx((2, 3), abs=1e-9)  # below 1.5 the other plan


def test_mip_weights_far_apart_need_cuts():
    """With gx's weight 0.001 the multiplier must exceed 1,500 (1.5 / 0.001): found by the cuts that
    the weighted MIP solves return (the LP with x fixed at 3 alone asks for no more than the order)."""
    data = {**MIP, "goals": {"gx": {"expr": "x", "at_least": 4, "priority": 1, "weight": 0.001},
                             "gy": {"expr": "y", "at_least": 3, "priority": 2}}}
    eq = goalprog.from_dict(data).equivalent_weights()
    assert eq.checked and eq.multipliers[1] * 0.9 >= 1500 * (1 - 1e-9)
    assert mip_weighted_by_hand(eq.weights["gx"], eq.weights["gy"]) == pytest.approx((3, 1.5), abs=1e-9)


def test_mip_with_a_min_max_level_gives_no_weights_with_the_reason():
    data = {**MIP, "solve": {"levels": {1: {"achievement": "chebyshev"}}}}
    p = goalprog.from_dict(data)
    result = p.solve()
    assert result.status.value == "optimal"
    eq = p.equivalent_weights(result)
    assert eq.weights is None and "min-max" in eq.reason


def test_no_weights_for_another_method_a_slack_or_a_min_max_level():
    p = goalprog.load(FACTORY)
    assert "preemptive" in p.equivalent_weights(p.solve(method="weighted")).reason
    assert "slack" in p.equivalent_weights(lock_abs_tol=1e-3).reason
    data = {**THREE, "solve": {"levels": {1: {"achievement": "chebyshev"}}}}
    assert "min-max" in goalprog.from_dict(data).equivalent_weights().reason


def test_cli_json_keys(tmp_path):
    import yaml

    r = CliRunner().invoke(main, ["solve", str(FACTORY), "--equivalent-weights", "-f", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["equivalent_weights"]["profit"] / d["equivalent_weights"]["waste"] > 0.7
    assert d["equivalent_weights_info"]["checked"] is True and d["equivalent_weights_info"]["reason"] is None
    mip = tmp_path / "mip.yaml"
    mip.write_text(yaml.safe_dump({**MIP, "solve": {"levels": {1: {"achievement": "chebyshev"}}}}))
    r = CliRunner().invoke(main, ["solve", str(mip), "--equivalent-weights", "-f", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["equivalent_weights"] is None and "min-max" in d["equivalent_weights_info"]["reason"]
    r = CliRunner().invoke(main, ["solve", str(mip), "--equivalent-weights"])
    assert "equivalent weights: none" in r.output
    r = CliRunner().invoke(main, ["solve", str(FACTORY), "--equivalent-weights", "-m", "weighted"])
    assert r.exit_code == 2


@pytest.mark.parametrize("name", ["production_planning.yaml", "portfolio_selection.yaml"])
def test_many_levels_weights_reproduce_every_level(name):
    """The weights of a 4- and a 5-level shipped LP, checked by goalprog's weighted method on the
    pulp backend (CBC: another solver than the chain's HiGHS)."""
    from goalprog.solve.achievement import level_value
    from goalprog.solve.equivalent import weighted_model

    p = goalprog.load(PROBLEMS / name)
    result = p.solve()
    eq = p.equivalent_weights(result)
    assert eq.checked
    levels = result.model.priorities()
    wm = weighted_model(result.model, levels, [eq.multipliers[lv] for lv in levels])
    from goalprog.solve.backends.base import SolveOptions, get_backend
    from goalprog.solve.strategies.common import Settings
    from goalprog.solve.strategies.weighted import one_stage

    check = one_stage(wm, get_backend("pulp"), SolveOptions(solver="cbc"), Settings(), "weighted", 1.0)
    for lv in levels:
        a, b = level_value(result.model, lv, check.x), level_value(result.model, lv, result.x)
        assert abs(a - b) <= 1e-6 * max(1.0, abs(b)), (lv, a, b)


def test_api_takes_the_preemptive_method_by_name():
    p = goalprog.load(FACTORY)
    assert p.equivalent_weights(method="lexicographic").checked
    assert len(p.orders("all", method="preemptive").entries) == 2
