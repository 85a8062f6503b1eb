"""The exact frontier between two goals (Problem.frontier, goalprog/solve/frontier.py).

Expected values are independent of goalprog: the clothing factory's ends by hand (exact
fractions), a bi-objective LP whose breakpoints are the vertices of its feasible polygon (hand
arithmetic) checked point by point by epsilon-constraint solves written in highspy and PuLP, and a
three-point MIP whose middle point lies above the line through the others (unsupported).
"""

from __future__ import annotations

from fractions import Fraction as F

import numpy as np
import pytest

import goalprog
from goalprog.core.errors import ArgumentError
from tests.helpers import PROBLEMS

CLOTHING = PROBLEMS / "clothing_factory_preemptive.yaml"


# --- the clothing factory: one segment (hand arithmetic) --------------------------------------
# Least profit shortfall: profit 150,000 needs all 50,000 budget dollars in shirts (3 $/$), waste 50,000.
# Least waste excess: waste <= 20,000 and the budget: p = 60,000/7, s = 50,000/7, profit 750,000/7.
END_PROFIT = (F(150_000), F(50_000))
END_WASTE = (F(750_000, 7), F(20_000))
SLOPE = (END_PROFIT[0] - END_WASTE[0]) / (END_PROFIT[1] - END_WASTE[1])  # profit per yard


@pytest.mark.parametrize("file", [CLOTHING, PROBLEMS / "clothing_factory_weighted.yaml"])
def test_clothing_frontier_is_one_segment(file, backend):
    res = goalprog.load(file).frontier("profit", "waste", backend=backend)
    df = res.table()
    assert len(df) == 2  # no interior point on a straight segment
    assert df["profit"].tolist() == pytest.approx([float(END_PROFIT[0]), float(END_WASTE[0])], rel=1e-9)
    assert df["waste"].tolist() == pytest.approx([float(END_PROFIT[1]), float(END_WASTE[1])], rel=1e-9)
    assert df["profit.deviation"].tolist() == pytest.approx([0.0, float(150_000 - END_WASTE[0])], abs=1e-6)
    assert df["waste.deviation"].tolist() == pytest.approx([30_000.0, 0.0], abs=1e-6)
    assert SLOPE == F(10, 7)
    assert df["rate"].iloc[0] == pytest.approx(float(SLOPE), rel=1e-9)
    assert df["supported"].all()
    # both ends are lexicographic optima, and one weighted LP (the edge) proved the segment straight
    assert df["method"].str.startswith("lexicographic").all()
    assert res.solves == 5
    # the current plan (profit first, or weights 1, 1: ratio 1 > 0.7) is the profit end
    assert res.current_row()["profit"] == pytest.approx(150_000, rel=1e-9)


def test_levels_give_the_same_frontier():
    res = goalprog.load(CLOTHING).frontier("level:1", "level:2")
    df = res.table()
    assert df["level:1"].tolist() == pytest.approx([0.0, float(150_000 - END_WASTE[0])], abs=1e-6)
    assert df["level:2"].tolist() == pytest.approx([30_000.0, 0.0], abs=1e-6)


def test_unknown_names_get_did_you_mean():
    p = goalprog.load(CLOTHING)
    with pytest.raises(ArgumentError, match="did you mean 'profit'"):
        p.frontier("proft", "waste")
    with pytest.raises(ArgumentError, match="level:1, level:2"):
        p.frontier("level:7", "waste")
    with pytest.raises(ArgumentError, match="overlap"):
        p.frontier("profit", "level:1")
    with pytest.raises(ArgumentError, match="step"):
        p.frontier("profit", "waste", step=-1)


def test_step_on_an_lp_warns():
    res = goalprog.load(CLOTHING).frontier("profit", "waste", step=100)
    assert any("integer variables only" in w for w in res.warnings)


# --- several breakpoints: min (x1, x2) over x1 + 3 x2 >= 6, x1 + x2 >= 4, 3 x1 + x2 >= 6 ------
# The efficient vertices (hand arithmetic): (0, 6), (1, 3), (3, 1), (6, 0).  A third goal, x1 + x2
# at most 4 (met with equality along the middle edge only), is held at the current plan.
POLY = {
    "name": "polygon",
    "variables": {"x1": {"lower": 0}, "x2": {"lower": 0}},
    "constraints": {"c1": "x1 + 3*x2 >= 6", "c2": "x1 + x2 >= 4", "c3": "3*x1 + x2 >= 6"},
    "goals": {"a": {"expr": "x1", "at_most": 0, "weight": 1},
              "b": {"expr": "x2", "at_most": 0, "weight": 1}},
}
VERTICES = [(0, 6), (1, 3), (3, 1), (6, 0)]
ROWS = [((1, 3), 6), ((1, 1), 4), ((3, 1), 6)]


def _eps_highspy(eps):
    """min x1 s.t. x2 <= eps and the rows, by highspy directly (no goalprog)."""
    import highspy

    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    inf = highspy.kHighsInf
    h.addVar(0, inf)
    h.addVar(0, eps)
    h.changeColCost(0, 1.0)
    for (c1, c2), rhs in ROWS:
        h.addRow(rhs, inf, 2, np.array([0, 1], dtype=np.int32), np.array([c1, c2], dtype=np.float64))
    h.run()
    return h.getInfo().objective_function_value


def _eps_pulp(eps):
    import pulp

    m = pulp.LpProblem("eps", pulp.LpMinimize)
    x1, x2 = pulp.LpVariable("x1", 0), pulp.LpVariable("x2", 0, eps)
    m += x1
    for (c1, c2), rhs in ROWS:
        m += c1 * x1 + c2 * x2 >= rhs
    assert m.solve(pulp.HiGHS(msg=False)) == pulp.LpStatusOptimal
    return pulp.value(m.objective)


def test_several_breakpoints_against_epsilon_solves(backend):
    res = goalprog.from_dict(POLY).frontier("a", "b", backend=backend)
    df = res.table()
    assert list(zip(df["a"], df["b"])) == [pytest.approx(v, abs=1e-7) for v in VERTICES]
    # each breakpoint and each edge's midpoint: min a subject to b <= eps, solved independently
    for k, (a, b) in enumerate(VERTICES):
        assert _eps_highspy(b) == pytest.approx(a, abs=1e-7)
        assert _eps_pulp(b) == pytest.approx(a, abs=1e-6)
        if k + 1 < len(VERTICES):
            (a2, b2) = VERTICES[k + 1]
            mid = (b + b2) / 2
            assert _eps_highspy(mid) == pytest.approx((a + a2) / 2, abs=1e-7)  # straight between breakpoints
    # rates (a given up per unit of b) from the vertices: 1/3, 1, 3; weights normal to the edges
    assert df["rate"].tolist()[:3] == pytest.approx([1 / 3, 1.0, 3.0], rel=1e-9)
    interior = df[df["method"] == "weighted"]
    assert len(interior) == 2
    # Aneja-Nair: 2 lexicographic chains of 2 stages, then 2n - 3 = 5 weighted LPs for n = 4
    assert res.solves == 4 + 5


def test_other_goals_held_at_the_current_plan():
    # c: x1 + x2 at most 4, weighted heavily: the current plan keeps x1 + x2 = 4, so the frontier of a and b
    # is the middle edge only, (1, 3) to (3, 1)
    doc = {**POLY, "goals": {**POLY["goals"], "c": {"expr": "x1 + x2", "at_most": 4, "weight": 100}}}
    res = goalprog.from_dict(doc).frontier("a", "b")
    df = res.table()
    assert list(zip(df["a"], df["b"])) == [pytest.approx(v, abs=1e-7) for v in [(1, 3), (3, 1)]]
    assert "1 other goal" in res.held


def test_variables_on_request():
    df = goalprog.from_dict(POLY).frontier("a", "b").table(variables=True)
    assert df["variable:x1"].tolist() == pytest.approx([v[0] for v in VERTICES], abs=1e-7)


# --- a MIP: one choice of three, (0, 4), (2, 3), (4, 0); (2, 3) lies above a + b = 4 -----------
MIP = {
    "name": "three_choices",
    "variables": {"y1": {"type": "binary"}, "y2": {"type": "binary"}, "y3": {"type": "binary"}},
    "constraints": {"one": "y1 + y2 + y3 == 1"},
    "goals": {"a": {"expr": "2*y2 + 4*y3", "at_most": 0, "weight": 1},
              "b": {"expr": "4*y1 + 3*y2", "at_most": 0, "weight": 1}},
}


def test_mip_unsupported_point_by_epsilon(backend):
    p = goalprog.from_dict(MIP)
    only_supported = p.frontier("a", "b", backend=backend)
    assert [(r.a, r.b) for r in only_supported.points] == [pytest.approx((0, 4)), pytest.approx((4, 0))]
    assert any("supported points" in n for n in only_supported.notes)
    res = p.frontier("a", "b", step=1, backend=backend)
    df = res.table()
    assert list(zip(df["a"], df["b"])) == [pytest.approx(v, abs=1e-6) for v in [(0, 4), (2, 3), (4, 0)]]
    assert df["supported"].tolist() == [True, False, True]
    assert df["epsilon"].iloc[1] == pytest.approx(3.0)


def test_process_pool_gives_the_same_points():
    from goalprog.analysis.frontier_pool import process_pool

    p = goalprog.from_dict(POLY)
    with process_pool(2) as pool:
        res = p.frontier("a", "b", executor=pool)
    assert [(r.a, r.b) for r in res.points] == [pytest.approx(v, abs=1e-7) for v in VERTICES]
    assert res.solves == 4 + 5


def test_plain_objectives_have_three_breakpoints():
    # max profit, min waste over the budget (hand arithmetic): nothing made (0, 0); 10,000 pants (profit per
    # yard 10/1.5, the best, until the budget binds: 100,000 and 15,000); 50,000 shirts (150,000 and 50,000).
    # Between the last two, $1 moved from pants to shirts gains 1 profit for 0.7 yards: 10/7 per yard.
    res = goalprog.load(PROBLEMS / "clothing_factory_objectives.yaml").frontier("best_profit", "least_waste")
    df = res.table()
    assert df["best_profit"].tolist() == pytest.approx([150_000, 100_000, 0], abs=1e-6)
    assert df["least_waste"].tolist() == pytest.approx([50_000, 15_000, 0], abs=1e-6)
    # rate: A's measure (minus profit) given up per unit of waste saved: 50,000 / 35,000 = 10/7, then 100,000 / 15,000
    assert df["rate"].tolist()[:2] == pytest.approx([10 / 7, 20 / 3], rel=1e-9)


def test_no_trade_off_is_one_point():
    doc = {"name": "agree", "variables": {"x": {"lower": 0}}, "constraints": {"c": "x >= 1"},
           "goals": {"a": {"expr": "x", "at_most": 0}, "b": {"expr": "2*x", "at_most": 1}}}
    res = goalprog.from_dict(doc).frontier("a", "b")
    assert [(p.a, p.b) for p in res.points] == [pytest.approx((1, 1))]
    assert any("no trade-off" in n for n in res.notes)


FIVE_POINTS = """\
variables:
  x: {lower: 0, upper: 6, type: integer}
  y: {lower: 0, upper: 6, type: integer}
constraints: {c: 2*x + 3*y <= 12}
goals:
  A: {expr: x, at_least: 6, priority: 1}
  B: {expr: y, at_least: 4, priority: 2}
"""


def test_a_step_below_the_mip_tolerance_is_refused_not_spun(tmp_path):
    # adversarial review: step 1e-6 spun 20,005 solves and dropped the point (x, y) = (1, 3); the
    # nondominated points of max x, max y with 2x + 3y <= 12 over the integers are, by enumeration,
    # (6,0), (4,1), (3,2), (1,3), (0,4)
    (tmp_path / "p.yaml").write_text(FIVE_POINTS)
    p = goalprog.load(tmp_path / "p.yaml")
    with pytest.raises(ArgumentError, match="step 1e-06 is below what the MIP solver can tell apart"):
        p.frontier("A", "B", step=1e-6, backend="highs")
    for step in (1, 0.3):
        f = p.frontier("A", "B", step=step, backend="highs")
        pts = sorted((round(a), round(b)) for a, b in zip(f.table()["A"], f.table()["B"]))
        assert pts == [(0, 4), (1, 3), (3, 2), (4, 1), (6, 0)], (step, pts)
def test_solver_noise_is_shown_as_the_solve_tables_show_it():
    """A measure within the solvers' tolerance of 0 reads 0 in the table, the JSON and the text,
    and the plan is cleaned as a solve's is (a value 4e-09 below a lower bound of 0 reads 0).
    The clothing ends by hand: profit first has profit deviation 0 and plan (0, 50,000, 0)."""
    from dataclasses import replace

    fr = goalprog.load(CLOTHING).frontier("profit", "waste")
    first = fr.points[0]
    x = np.array(first.x, dtype=float)
    pants = [o.label for o in fr.model.col_origin].index("pants")
    x[pants] = -4e-09
    noisy = replace(first, a=7.105427357601002e-15, x=x)
    fr = replace(fr, points=(noisy,) + fr.points[1:])
    df = fr.table(variables=True)
    assert df["profit.deviation"].tolist()[0] == 0.0
    assert df["variable:pants"].tolist()[0] == 0.0
    assert df["waste.deviation"].tolist() == pytest.approx([30_000.0, 0.0], abs=1e-6)
    assert fr.to_dict()["points"][0]["profit.deviation"] == 0.0
    # a real one: budget_allocation's level 1 can be fully met (its preemptive solve meets it), and
    # the exact chain's end leaves ~4e-10 of noise that must not be shown
    fb = goalprog.load(PROBLEMS / "budget_allocation.yaml").frontier("level:1", "level:2")
    assert fb.table()["level:1"].tolist()[0] == 0.0 and fb.to_dict()["current"]["level:1"] == 0.0


def test_level_names_are_normalised():
    # "level: 1", "Level:1", "LEVEL : 2" all name the level; columns and keys read level:N
    p = goalprog.load(CLOTHING)
    fr = p.frontier("level: 1", "LEVEL : 2")
    assert (fr.a, fr.b) == ("level:1", "level:2")
    assert {"level:1", "level:2", "weight:level:1"} <= set(fr.table().columns)
    assert fr.to_dict()["between"] == ["level:1", "level:2"]
    # profit first then waste (hand ends): level 1 = profit shortfall, level 2 = waste excess
    assert fr.table()["level:2"].tolist() == pytest.approx([30_000.0, 0.0], abs=1e-6)
    with pytest.raises(ArgumentError, match="no priority level"):
        p.frontier("Level:3", "level:1")
