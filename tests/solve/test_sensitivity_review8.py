"""Cases from session 8's reviews of the lexicographic sensitivity, each checked against hand derivation or against
re-solves of the whole program with the bound or target moved (the definition: docs/methods.md, "Sensitivity of the
plan"; the re-solves are plain preemptive solves, which do not touch the sensitivity code)."""

import copy
import math

import pytest

import goalprog

INF = math.inf


def levels_at(spec, path, value, **kw):
    """Each level's achievement with ``spec``'s item at ``path`` (keys) set to ``value``, by a plain re-solve."""
    s = copy.deepcopy(spec)
    node = s
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    r = goalprog.from_dict(s).solve(**kw)
    assert r.status.value == "optimal"
    return [float(v) for v in r.levels["achievement"]]


FACE = {"variables": {"x": {"lower": 0}, "y": {"lower": 0}},
        "constraints": {"cap": "x + y <= 1"},
        "goals": {"a": {"expr": "x", "at_least": 1, "priority": 1},
                  "b": {"expr": "y", "at_least": 1, "priority": 1},
                  "c": {"expr": "x", "equal": 0.5, "priority": 2}},
        "solve": {"method": "preemptive"}}


@pytest.mark.parametrize("ranges", ["exact", "basis"])
def test_weight_range_is_the_plans_not_the_basis(ranges):
    """Level 1 = w_a (1 - x) + w_b (1 - y) on x + y = 1: any split is optimal at w_a = w_b = 1 and level 2 picks
    x = y = 0.5.  At w_a != 1 only an end of the segment is optimal, so the plan's range for each under-weight is
    [1, 1] (a basis at x = 0 or x = 1 claimed [0, 1] or [1, inf))."""
    r = goalprog.from_dict(FACE).solve(sensitivity=True, sensitivity_ranges=ranges)
    assert (r.value("x"), r.value("y")) == (pytest.approx(0.5), pytest.approx(0.5))
    w = {(row["goal"], row["side"]): (row["low"], row["high"]) for row in r.sensitivity.weights.to_dict("records")}
    for goal in ("a", "b"):
        low, high = w[(goal, "under")]
        if ranges == "exact":
            assert (low, high) == (pytest.approx(1.0), pytest.approx(1.0))
        else:  # basis mode: an inner bound or n/a, never wider than the truth
            assert math.isnan(low) or low == pytest.approx(1.0)
            assert math.isnan(high) or high == pytest.approx(1.0)


RANGE = {"variables": {"x1": {"lower": 0, "upper": 10}, "x2": {"lower": 0, "upper": 5}},
         "constraints": {},
         "goals": {"g1": {"expr": "3*x1 + 3*x2", "between": [25, 28], "under": {"priority": 1, "weight": 3},
                          "over": {"priority": 1, "weight": 1}},
                   "g3": {"expr": "4*x1", "equal": 17, "under": {"priority": 1, "weight": 0.5},
                          "over": {"priority": 1, "weight": 3}},
                   "g4": {"expr": "2*x1 + 1*x2", "at_least": 16, "under": {"priority": 1, "weight": 0.5}}},
         "solve": {"method": "preemptive"}}


def test_range_end_is_measured_not_assumed():
    """g1's upper end U = 28 is slack (the plan has 3 x1 + 3 x2 = 27.75): the rate below is 0 until U meets 27.75,
    where the over-deviation starts.  The search once took an unmeasured trial point (27.72) for the end."""
    r = goalprog.from_dict(RANGE).solve(sensitivity=True)
    expr = 3 * r.value("x1") + 3 * r.value("x2")
    assert expr == pytest.approx(27.75)
    t = {(row["goal"], row["end"]): row for row in r.sensitivity.targets.to_dict("records")}
    up = t[("g1", "upper")]
    assert (up["rate_below"], up["low"], up["high"]) == (0.0, pytest.approx(27.75, abs=1e-9), INF)
    base = levels_at(RANGE, ("goals", "g1", "between"), [25, 28])[0]
    assert levels_at(RANGE, ("goals", "g1", "between"), [25, 27.76])[0] == pytest.approx(base, abs=1e-9)
    assert levels_at(RANGE, ("goals", "g1", "between"), [25, 27.7])[0] > base + 1e-3


SPLIT = {"variables": {"x1": {"lower": 0, "upper": 3}, "x2": {"lower": 0, "upper": 10}},
         "goals": {"g0": {"expr": "-2*x1 + 4*x2", "equal": 11, "under": {"priority": 1, "weight": 1},
                          "over": {"priority": 1, "weight": 3}},
                   "g1": {"expr": "3*x1 + 3*x2", "equal": 20, "under": {"priority": 2, "weight": 3},
                          "over": {"priority": 1, "weight": 0.5}}},
         "solve": {"method": "preemptive"}}


@pytest.mark.parametrize("backend", ["highs", "pulp"])
def test_a_failed_chain_re_solve_is_not_a_crash(backend):
    """g1's deviations sit at levels 1 and 2, so its target moves level 1 as well; a far re-solve of the chain in the
    range search once raised out of the analysis.  Now every table is given; the rates match re-solves."""
    r = goalprog.from_dict(SPLIT).solve(sensitivity=True, backend=backend)
    t = {row["goal"]: row for row in r.sensitivity.targets.to_dict("records")}
    h = 1e-3
    base = levels_at(SPLIT, ("goals", "g1", "equal"), 20)
    up = levels_at(SPLIT, ("goals", "g1", "equal"), 20 + h)
    down = levels_at(SPLIT, ("goals", "g1", "equal"), 20 - h)
    k = int(t["g1"]["level"]) - 1
    assert t["g1"]["rate_above"] == pytest.approx((up[k] - base[k]) / h, abs=1e-6)
    assert t["g1"]["rate_below"] == pytest.approx((base[k] - down[k]) / h, abs=1e-6)


def test_row_lock_chain_in_basis_mode():
    """With ``lock: {style: row}`` the chain holds levels by lock rows with a guard, so basis mode does not use the
    chain's stage models as faces: g1's level-3 rate is that of re-solves (it was 0.8 where re-solves give 1)."""
    spec = {"variables": {"x0": {"lower": 0, "upper": 5}, "x1": {"lower": 0, "upper": 0},
                          "x2": {"lower": 0, "upper": 10}, "x3": {"lower": 0}},
            "goals": {"g1": {"expr": "2*x0 + x1 + 5*x2 - x3", "equal": 15, "under": {"priority": 3, "weight": 1},
                             "over": {"priority": 1, "weight": 0.5}},
                      "g2": {"expr": "-2*x0 - x1 - x2 + 3*x3", "at_most": -3, "over": {"priority": 1, "weight": 0.5}},
                      "g3": {"expr": "x0 + 4*x2 + 2*x3", "at_most": 15, "over": {"priority": 3, "weight": 1}},
                      "g4": {"expr": "2*x1 + 5*x3", "equal": 15, "under": {"priority": 2, "weight": 1},
                             "over": {"priority": 1, "weight": 3}}},
            "solve": {"method": "preemptive", "lock": {"style": "row"}}}
    r = goalprog.from_dict(spec).solve(sensitivity=True, sensitivity_ranges="basis")
    t = {row["goal"]: row for row in r.sensitivity.targets.to_dict("records")}
    h = 1e-2
    path = ("goals", "g1", "equal")
    base, up, down = (levels_at(spec, path, v)[2] for v in (15, 15 + h, 15 - h))
    assert t["g1"]["rate_above"] == pytest.approx((up - base) / h, abs=1e-6)
    assert t["g1"]["rate_below"] == pytest.approx((base - down) / h, abs=1e-6)


BAKERY = {"variables": {"bread": {"lower": 0}, "cakes": {"lower": 0}, "cookies": {"lower": 0}, "pies": {"lower": 0}},
          "constraints": {"oven_hours": "0.5*bread + cakes + 0.25*cookies + 0.75*pies <= 100",
                          "flour_kg": "bread + 0.6*cakes + 0.3*cookies + 0.7*pies <= 120",
                          "cookie_contract": "cookies >= 20"},
          "goals": {"revenue": {"expr": "4*bread + 8*cakes + 2*cookies + 5*pies", "at_least": 1000, "priority": 1},
                    "labour": {"expr": "0.2*bread + 0.5*cakes + 0.1*cookies + 0.4*pies", "equal": 40,
                               "under": {"priority": 2}, "over": {"priority": 3, "weight": 3}},
                    "bread_band": {"expr": "bread", "between": [85, 95], "priority": 2, "weight": 2},
                    "sugar": {"expr": "0.1*bread + 0.5*cakes + 0.4*cookies + 0.3*pies", "at_most": 30, "priority": 3}},
          "solve": {"method": "preemptive"}}


def test_lock_slack_row_left_slack_by_the_plan_is_measured():
    """With a lock slack of 0.5 the later levels use level 1's slack, and the oven row ends with slack in the plan
    while each level's optimum still moves with it: its rates are measured (the re-solves of the program with the
    lock slack at oven 99.99 / 100 / 100.01), not screened as 0 (a fresh user's report)."""
    r = goalprog.from_dict(BAKERY).solve(sensitivity=True, lock_abs_tol=0.5)
    lv = {(row["constraint"], row["level"]): row for row in r.sensitivity.levels.to_dict("records")}
    h = 1e-2
    path = ("constraints", "oven_hours")
    base, up, down = (levels_at(BAKERY, path, f"0.5*bread + cakes + 0.25*cookies + 0.75*pies <= {b}", lock_abs_tol=0.5)
                      for b in (100, 100 + h, 100 - h))
    for k in (1, 2, 3):
        row = lv[("oven_hours", k)]
        assert row["rate_above"] == pytest.approx((up[k - 1] - base[k - 1]) / h, rel=1e-4, abs=1e-6), k
        assert row["rate_below"] == pytest.approx((base[k - 1] - down[k - 1]) / h, rel=1e-4, abs=1e-6), k
    assert lv[("oven_hours", 3)]["rate_above"] != 0.0
