"""Acceptance: the clothing factory on every backend, against values worked out by hand.

pants p, shirts s, dresses d >= 0; profit = 10p + 3s + 15d; cost = 5p + s + 10d <= 50,000;
waste = 1.5p + s + 3d.  Goals: profit >= 150,000; waste <= 20,000.

Hand derivation (exact arithmetic, fractions):
* weighted (1, 1): profit per budget dollar is 2 (p), 3 (s), 1.5 (d); only shirts reach 150,000
  with the whole budget, s = 50,000, waste 50,000, over = 30,000, objective 30,000.  Any unit of
  profit given up saves at most 1/3 yard of waste per dollar of profit (s), so keeping profit is
  right at weight 1 vs 1.
* weighted (1, 1.5): vertex with cost = 50,000 and waste = 20,000 and d = 0:
  5p + s = 50,000, 1.5p + s = 20,000 -> p = 60,000/7, s = 50,000/7; profit = 750,000/7;
  under = 150,000 - 750,000/7 = 300,000/7; objective = 300,000/7.
* preemptive: level 1 reaches profit 150,000 only with s = 50,000 (the only plan with profit
  150,000 within budget), so level 2's waste is 50,000 (over 30,000).
"""

from fractions import Fraction as F

import pytest

import goalprog

REL = 1e-6


def approx(v):
    return pytest.approx(float(v), rel=REL, abs=1e-4)


def goal(result, name):
    g = result.goals
    return g[g["goal"] == name].iloc[0]


def test_weighted_equal_weights(backend, problems_dir):
    r = goalprog.load(problems_dir / "clothing_factory_weighted.yaml").solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert r.method == "weighted"
    assert r.value("pants") == approx(0)
    assert r.value("shirts") == approx(50_000)
    assert r.value("dresses") == approx(0)
    assert r.value("profit") == approx(150_000)
    assert r.value("waste") == approx(50_000)
    assert r.value("cost") == approx(50_000)
    assert goal(r, "profit")["under"] == approx(0)
    assert goal(r, "waste")["over"] == approx(30_000)
    assert r.objective == approx(30_000)


def test_weighted_waste_weight_one_and_a_half(backend, problems_dir):
    r = goalprog.load(problems_dir / "clothing_factory_weighted_1_1.5.yaml").solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert r.value("pants") == approx(F(60_000, 7))
    assert r.value("shirts") == approx(F(50_000, 7))
    assert r.value("dresses") == approx(0)
    assert r.value("profit") == approx(F(750_000, 7))
    assert r.value("waste") == approx(20_000)
    assert goal(r, "profit")["under"] == approx(F(300_000, 7))
    assert goal(r, "waste")["over"] == approx(0)
    assert r.objective == approx(F(300_000, 7))


def test_preemptive_profit_first(backend, problems_dir):
    r = goalprog.load(problems_dir / "clothing_factory_preemptive.yaml").solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert r.method == "preemptive"
    levels = r.levels.set_index("level")
    assert levels.loc[1, "achievement"] == approx(0)
    assert levels.loc[2, "achievement"] == approx(30_000)
    assert r.value("profit") == approx(150_000)
    assert r.value("waste") == approx(50_000)
    assert [s.status for s in r.stages] == [goalprog.Status.OPTIMAL] * 2
    # level 1 is fully achieved (profit under-deviation exactly 0), so its lock is exact: h_1 <= 0
    assert r.stages[0].lock == 0
    assert r.stages[0].lock_sense == "<="
    assert r.value("profit") == 150_000  # not a cent of profit traded for waste


def test_plain_objectives_maximize_then_minimize(backend, problems_dir):
    r = goalprog.load(problems_dir / "clothing_factory_objectives.yaml").solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    assert r.method == "preemptive"
    levels = r.levels.set_index("level")
    assert levels.loc[1, "sense"] == "max"
    assert levels.loc[1, "stage_value"] == approx(150_000)
    assert r.value("profit") == approx(150_000)
    assert r.value("waste") == approx(50_000)
    # level 1 is a maximisation held exactly: its optimal face (pants and dresses fixed at 0) and the
    # guard profit >= 150,000 - 1e-13 * 150,000; so waste is exactly 50,000 (shirts only).  The lock
    # shown is the optimum itself; the guard is its own field (issue 14)
    assert r.stages[0].lock_sense == ">="
    assert r.stages[0].lock == pytest.approx(150_000, abs=1e-9)
    assert r.stages[0].lock_slack == pytest.approx(1.5e-8, abs=1e-9)
    assert r.value("waste") == pytest.approx(50_000, rel=1e-12)
    # with the slack option, profit >= 150,000 - max(1e-5, 1e-9 * 150,000)
    r = goalprog.load(problems_dir / "clothing_factory_objectives.yaml").solve(backend=backend, lock_abs_tol=1e-5)
    assert r.stages[0].lock == pytest.approx(150_000 - 1.5e-4, abs=1e-7)


def test_method_override_weighted_on_preemptive_file(backend, problems_dir):
    r = goalprog.load(problems_dir / "clothing_factory_preemptive.yaml").solve(method="weighted", backend=backend)
    assert r.method == "weighted"
    assert r.objective == approx(30_000)


def test_default_method_follows_priorities(problems_dir):
    assert goalprog.load(problems_dir / "clothing_factory_preemptive.yaml").default_method == "preemptive"
    assert goalprog.load(problems_dir / "clothing_factory_weighted.yaml").default_method == "weighted"


def test_indexed_clothing_factory_matches_scalar(backend):
    """The same factory with a products set and parameter tables gives the same numbers."""
    spec = {
        "sets": {"products": ["pants", "shirts", "dresses"]},
        "params": {
            "unit_profit": {"index": "products", "values": {"pants": 10, "shirts": 3, "dresses": 15}},
            "unit_cost": {"index": "products", "values": {"pants": 5, "shirts": 1, "dresses": 10}},
            "unit_waste": {"index": "products", "values": {"pants": 1.5, "shirts": 1, "dresses": 3}},
            "budget": 50000,
        },
        "variables": {"make": {"index": "products"}},
        "expressions": {
            "profit": "sum(unit_profit[p] * make[p] for p in products)",
            "waste": "sum(unit_waste[p] * make[p] for p in products)",
        },
        "constraints": {"budget": "sum(unit_cost[p] * make[p] for p in products) <= budget"},
        "goals": {
            "profit": {"expr": "profit", "at_least": 150000, "weight": 1},
            "waste": {"expr": "waste", "at_most": 20000, "weight": 1.5},
        },
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    make = r.value("make")
    assert make["pants"] == approx(F(60_000, 7))
    assert make["shirts"] == approx(F(50_000, 7))
    assert make["dresses"] == approx(0)
    assert r.objective == approx(F(300_000, 7))


def test_from_dict_does_not_mutate_input():
    spec = {"variables": {"x": {"upper": 10}}, "goals": {"g": {"expr": "x", "at_least": 5}}}
    before = repr(spec)
    goalprog.from_dict(spec).solve(backend="highs")
    assert repr(spec) == before


def test_result_to_dict_is_json_safe(problems_dir):
    import json

    r = goalprog.load(problems_dir / "clothing_factory_preemptive.yaml").solve()
    d = json.loads(json.dumps(r.to_dict(), allow_nan=False))
    assert d["status"] == "optimal"
    vals = {v["variable"]: v["value"] for v in d["variables"]}
    assert vals["shirts"] == approx(50_000)
