"""Sensitivity of a plan (issue 15): hand-derived rates and ranges on every backend.

Every expected number is worked out by hand below (the value function written in closed form),
never read off the code's output.
"""

from fractions import Fraction

import math

import pytest

import goalprog
from tests.helpers import PROBLEMS

INF = math.inf


def rows(df, key):
    return {r[key]: r for r in df.to_dict("records")}


def approx(v):
    return pytest.approx(v, rel=1e-9, abs=1e-9)


# The clothing factory, weights (1, 1): plan p = 0, s = 50,000, d = 0; achievement 30,000 = waste's over-deviation.
# Budget b: at b < 50,000 the profit target cannot be met by shirts alone; the cheapest fix is 3 $ profit/$ (shirts)
# and waste 1 yd/$ ... The value, as the budget moves (derived in docs/methods.md and by hand):
#   b below 50,000: cut shirts: profit falls 3/$, waste falls 1/$: d/db = -3 + 1 = -2;
#   b above 50,000: shift shirts to pants (profit 150,000 held): waste = 1.5p + s with 5p + s = b, 10p + 3s = 150,000
#     -> p = (3b - 150,000)/5, s = b - 5p; waste = s + 1.5 p = b - 3.5 p = b - 0.7 (3b - 150,000) -> d/db = 1 - 2.1 = -1.1.
# Profit target P: below 150,000: the same trade: s and p with 5p + s = 50,000, 10p + 3s = P -> waste falls 0.7 per $;
#   above: profit can't rise (3 $/$ is the best), under-deviation + 1 per $.
# Waste target W: over-deviation = waste - W: rate -1 both sides.
# Weights: profit's under-weight u: the plan stays optimal while u >= 0.7 (below, giving up profit for waste pays);
#   waste's over-weight w: while w <= 1 / 0.7 = 10/7.
CLOTHING = {
    "budget": (-2.0, -1.1),
    "profit": (0.7, 1.0),
    "waste": (-1.0, -1.0),
    "weights": {"profit": (0.7, INF), "waste": (0.0, float(Fraction(10, 7)))},
}


def test_clothing_reference(backend):
    r = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(backend=backend, sensitivity=True)
    s = r.sensitivity
    c = rows(s.constraints, "constraint")["budget"]
    assert c["slack"] == 0.0 and c["activity"] == approx(50000)
    assert (c["rate_below"], c["rate_above"]) == (approx(-2.0), approx(-1.1))
    t = rows(s.targets, "goal")
    for goal in ("profit", "waste"):
        assert (t[goal]["rate_below"], t[goal]["rate_above"]) == tuple(approx(v) for v in CLOTHING[goal])
    w = rows(s.weights, "goal")
    for goal, (lo, hi) in CLOTHING["weights"].items():
        assert w[goal]["low"] == approx(lo)
        assert w[goal]["high"] == (INF if hi == INF else approx(hi))
    assert w["profit"]["side"] == "under" and w["waste"]["side"] == "over"


def test_clothing_target_ranges_hand_derived(backend):
    """Profit target P below 150,000: with the budget binding, 5p + s = 50,000 and 10p + 3s = P give
    waste = 50,000 - 0.7 (150,000 - P), the rate 0.7 until waste meets its target 20,000 at
    P = 150,000 - 30,000 / 0.7 = 750,000 / 7 (below it the achievement is 0).  Above 150,000 the under-deviation
    grows 1:1 for ever.  Waste target W: the achievement is 50,000 - W until W = 50,000 (the plan's waste; above it,
    0), and grows 1:1 for ever as W falls."""
    r = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(backend=backend, sensitivity=True)
    t = rows(r.sensitivity.targets, "goal")
    assert t["profit"]["low"] == pytest.approx(float(Fraction(750000, 7)), rel=1e-8)
    assert t["profit"]["high"] == INF
    assert t["waste"]["low"] == -INF
    assert t["waste"]["high"] == approx(50000)


def test_backends_agree_to_1e9():
    got = {}
    for be in ("highs", "pulp", "pyomo"):
        s = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(backend=be, sensitivity=True).sensitivity
        got[be] = s.to_dict()
    for be in ("pulp", "pyomo"):
        for table in ("constraints", "targets", "weights"):
            for a, b in zip(got["highs"][table], got[be][table]):
                for k, v in a.items():
                    if isinstance(v, float):
                        assert b[k] == pytest.approx(v, rel=1e-9, abs=1e-9), (be, table, k)
                    else:
                        assert b[k] == v


def test_preemptive_clothing_levels(backend):
    """Profit first, the lexicographic value function: the whole chain re-solved afresh at budget b (level 1
    optimised at b, level 2 with level 1 held at its NEW optimum h1(b)).

    Level 1 (profit's under-deviation): profit per dollar of cost is pants 2, shirts 3, dresses 1.5, so the most
    profit is 3b and h1(b) = max(0, 150,000 - 3b) = 0 at b = 50,000: rate below (h1(b) - h1(b - t))/t = -3t/t = -3;
    above 0 (met with room).
    Level 2 (waste's over-deviation, waste - 20,000):
      below, b - t: h1 = 3t > 0, profit must be its most, 3(b - t), which only shirts give: s = b - t, p = d = 0,
      waste = b - t, h2 = b - t - 20,000 = 30,000 - t: rate below (30,000 - (30,000 - t))/t = +1 (the old
      definition, level 1 held at 0, called this side -inf: no plan keeps profit 150,000);
      above, b + t: h1 = 0, profit >= 150,000 at least waste: 5p + s = b + t, 10p + 3s = 150,000 gives
      p = (3(b + t) - 150,000)/5, s = b + t - 5p, waste = 1.5p + s = 105,000 - 1.1(b + t) (duals 0.7 on profit and
      1.1 on the budget; dresses' reduced cost 3 - 15(0.7) + 10(1.1) = 3.5 >= 0): rate above -1.1.
    The constraint row is the last level's: (1, -1.1).  Targets at their own level (level 1 has no target of a
    level-2 goal, and profit's target moves only level 1): profit 0 below (met with room), 1 above; waste -1
    both (over-deviation 50,000 - W).  Weights: one goal per level, any weight keeps the plan optimal."""
    r = goalprog.load(PROBLEMS / "clothing_factory_preemptive.yaml").solve(backend=backend, sensitivity=True)
    s = r.sensitivity
    c = rows(s.constraints, "constraint")["budget"]
    assert c["level"] == 2 and (c["rate_below"], c["rate_above"]) == (approx(1.0), approx(-1.1))
    lv = {(x["constraint"], x["level"]): (x["rate_below"], x["rate_above"]) for x in s.levels.to_dict("records")}
    assert lv[("budget", 1)] == (approx(-3.0), approx(0.0))
    assert lv[("budget", 2)] == (approx(1.0), approx(-1.1))
    t = rows(s.targets, "goal")
    assert (t["profit"]["level"], t["profit"]["rate_below"], t["profit"]["rate_above"]) == (1, approx(0), approx(1))
    assert t["profit"]["low"] == -INF and t["profit"]["high"] == INF
    assert (t["waste"]["level"], t["waste"]["rate_below"], t["waste"]["rate_above"]) == (2, approx(-1), approx(-1))
    w = rows(s.weights, "goal")  # one goal per level: any weight keeps the plan optimal for its level
    assert [(w[g]["level"], w[g]["low"], w[g]["high"]) for g in ("profit", "waste")] == [(1, 0.0, INF), (2, 0.0, INF)]


def test_degenerate_vertex(backend):
    """x + y <= 1 and x <= 1 both hold at x = 1, y = 0 (with y >= 0: three active in two dimensions).  Goal x >= 2:
    achievement 2 - min(b1, b2).  Each bound: -1 below, 0 above; a basis's dual says -1 for one and 0 for the
    other on both sides.  Target T: achievement T - 1 for T >= 1, 0 below: rate 1 both sides, low 1, high inf."""
    spec = {"variables": {"x": {"lower": 0}, "y": {"lower": 0}},
            "constraints": {"c1": "x + y <= 1", "c2": "x <= 1"},
            "goals": {"g": {"expr": "x", "at_least": 2, "weight": 1}}}
    s = goalprog.from_dict(spec).solve(backend=backend, sensitivity=True).sensitivity
    c = rows(s.constraints, "constraint")
    for name in ("c1", "c2"):
        assert (c[name]["rate_below"], c[name]["rate_above"]) == (approx(-1), approx(0))
    t = rows(s.targets, "goal")["g"]
    assert (t["rate_below"], t["rate_above"], t["low"], t["high"]) == (approx(1), approx(1), approx(1), INF)


def test_interval_goal_one_row_per_end(backend):
    """x >= 6 (hard), goal 3 <= x <= 5 (over weight 1, under weight 2): achievement x - U = 6 - U.  Upper end U: rate
    -1 both sides, high 6 (above it the goal is met: rate 0), low 3 (below the lower end the range is empty).  Lower
    end L: rate 0 both sides, low -inf, high 5 (past the upper end)."""
    spec = {"variables": {"x": {"lower": 0, "upper": 10}},
            "constraints": {"floor": "x >= 6"},
            "goals": {"g": {"expr": "x", "between": [3, 5], "under": {"weight": 2}, "over": {"weight": 1}}}}
    s = goalprog.from_dict(spec).solve(backend=backend, sensitivity=True).sensitivity
    t = {r["end"]: r for r in s.targets.to_dict("records")}
    assert set(t) == {"lower", "upper"}
    up, lo = t["upper"], t["lower"]
    assert (up["target"], up["rate_below"], up["rate_above"], up["high"]) == (5, approx(-1), approx(-1), approx(6))
    assert up["low"] == pytest.approx(3, rel=1e-8)
    assert (lo["target"], lo["rate_below"], lo["rate_above"], lo["low"]) == (3, approx(0), approx(0), -INF)
    assert lo["high"] == pytest.approx(5, rel=1e-8)
    c = rows(s.constraints, "constraint")["floor"]
    assert (c["rate_below"], c["rate_above"]) == (approx(1), approx(1))  # achievement = b - 5 near b = 6
    w = {r["side"]: r for r in s.weights.to_dict("records")}
    assert (w["over"]["low"], w["over"]["high"], w["under"]["low"], w["under"]["high"]) == (0, INF, 0, INF)


def test_indexed_constraint(backend):
    """cap[a]: x[a] <= 4, cap[b]: x[b] <= 6; goal x[a] + x[b] >= 20 (weight 1): achievement 20 - 4 - 6 = 10, each cap
    -1 on both sides; a slack constraint (x[a] <= 100) 0 and its slack."""
    spec = {"sets": {"I": ["a", "b"]}, "params": {"c": {"index": "I", "values": {"a": 4, "b": 6}}},
            "variables": {"x": {"index": "I", "lower": 0}},
            "constraints": {"cap": {"for": "i in I", "expr": "x[i] <= c[i]"}, "loose": "x['a'] <= 100"},
            "goals": {"total": {"expr": "sum(x[i] for i in I)", "at_least": 20, "weight": 1}}}
    s = goalprog.from_dict(spec).solve(backend=backend, sensitivity=True).sensitivity
    c = rows(s.constraints, "constraint")
    for name in ("cap[a]", "cap[b]"):
        assert (c[name]["rate_below"], c[name]["rate_above"], c[name]["slack"]) == (approx(-1), approx(-1), 0.0)
    assert (c["loose"]["rate_below"], c["loose"]["rate_above"], c["loose"]["slack"]) == (0.0, 0.0, approx(96))


def test_not_computed_says_why():
    spec = {"variables": {"x": {"type": "integer", "lower": 0, "upper": 3}},
            "goals": {"g": {"expr": "x", "at_least": 2, "weight": 1}}}
    s = goalprog.from_dict(spec).solve(sensitivity=True).sensitivity
    assert s.constraints.empty and "integer" in s.notes[0]
    r = goalprog.from_dict({"variables": {"x": {"lower": 0}}, "goals": {"g": {"expr": "x", "at_least": 2}}}).solve()
    assert r.sensitivity is None and "sensitivity" not in r.to_dict()


def test_json_keys_and_infinity():
    r = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(sensitivity=True)
    d = r.to_dict()["sensitivity"]
    assert set(d["constraints"][0]) >= {"constraint", "activity", "slack", "rate_below", "rate_above"}
    assert set(d["targets"][0]) >= {"goal", "target", "rate_below", "rate_above", "low", "high"}
    assert set(d["weights"][0]) >= {"goal", "side", "level", "weight", "low", "high"}
    assert {w["goal"]: w["high"] for w in d["weights"]}["profit"] == "inf"


def test_file_setting_and_bad_argument(tmp_path):
    text = (PROBLEMS / "clothing_factory_weighted.yaml").read_text().replace(
        "solve: {method: weighted}", "solve: {method: weighted, sensitivity: true}")
    f = tmp_path / "p.yaml"
    f.write_text(text)
    assert goalprog.load(f).solve().sensitivity is not None
    assert goalprog.load(f).solve(sensitivity=False).sensitivity is None
    with pytest.raises(goalprog.ArgumentError):
        goalprog.load(f).solve(sensitivity="yes")


def test_equal_goal_moves_both_sides(backend):
    """x <= 3 (hard), goal x == 5 (weight 1 each side): achievement |T - 3| at x = 3: the target's rate is 1 on
    both sides down to T = 3 (below it the over-deviation: -1), for ever above; the cap's rates -1 both sides."""
    spec = {"variables": {"x": {"lower": 0}}, "constraints": {"cap": "x <= 3"},
            "goals": {"g": {"expr": "x", "equal": 5, "weight": 1}}}
    s = goalprog.from_dict(spec).solve(backend=backend, sensitivity=True).sensitivity
    t = s.targets.to_dict("records")
    assert len(t) == 1 and t[0]["end"] == "both"
    assert (t[0]["rate_below"], t[0]["rate_above"], t[0]["low"], t[0]["high"]) == (approx(1), approx(1), approx(3), INF)
    c = rows(s.constraints, "constraint")["cap"]
    assert (c["rate_below"], c["rate_above"]) == (approx(-1), approx(-1))
