"""Small goal programs whose right answers are worked out by hand (issue 5, cases C-F), on every backend."""

import pytest

import goalprog
from goalprog.core.status import Status


def levels(r):
    return r.levels.set_index("level")["stage_value"].to_dict()


def test_c_tie_at_level_one_resolved_by_level_two(backend):
    """v1 + v2 == 1 (binary); level 1 max 60v1 + 60v2 ties (60 either way); level 2 max 10v2 picks v2."""
    spec = {
        "variables": {"v1": {"type": "binary"}, "v2": {"type": "binary"}},
        "constraints": {"one": "v1 + v2 == 1"},
        "goals": {"first": {"maximize": "60*v1 + 60*v2", "priority": 1},
                  "second": {"maximize": "10*v2", "priority": 2}},
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert r.status is Status.OPTIMAL
    assert levels(r) == {1: pytest.approx(60), 2: pytest.approx(10)}
    assert (r.value("v1"), r.value("v2")) == (0, 1)  # the report comes from the last level's solution


def test_d_report_comes_from_the_final_level(backend):
    """Integers x1, x2 in [0, 1000], x2 - x1 <= 10; min x1 then max x2 - x1: x = (0, 10), levels (0, 10)."""
    spec = {
        "variables": {"x1": {"type": "integer", "upper": 1000}, "x2": {"type": "integer", "upper": 1000}},
        "constraints": {"gap": "x2 - x1 <= 10"},
        "goals": {"low": {"minimize": "x1", "priority": 1}, "spread": {"maximize": "x2 - x1", "priority": 2}},
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert levels(r) == {1: pytest.approx(0), 2: pytest.approx(10)}
    assert (r.value("x1"), r.value("x2")) == (0, 10)
    # goal form: x1 <= 0 (over unwanted) at level 1; x2 - x1 >= 1000 (under unwanted) at level 2
    spec["goals"] = {"low": {"expr": "x1", "at_most": 0, "priority": 1},
                     "spread": {"expr": "x2 - x1", "at_least": 1000, "priority": 2}}
    r = goalprog.from_dict(spec).solve(backend=backend)
    g = r.goals.set_index("goal")
    assert g.loc["spread", "under"] == pytest.approx(990)
    assert g.loc["low", "over"] == 0


def test_e_weights_are_not_priorities(backend):
    """a + 0.00005 d <= 10, d <= 200,000.  Preemptive (a >= 10 first): a = 10 and d can only use the
    lock slack, d <= abs_tol / 0.00005 = 0.2.  Weighted 10,000 : 1: objective 10,000(10 - a) + 200,000 - d
    = 200,000 - 0.5 d on the binding row, so d = 200,000 and a = 0."""
    spec = {
        "variables": {"a": {}, "d": {"upper": 200000}},
        "constraints": {"c": "a + 0.00005*d <= 10"},
        "goals": {"ga": {"expr": "a", "at_least": 10, "priority": 1, "weight": 10000},
                  "gd": {"expr": "d", "at_least": 200000, "priority": 2, "weight": 1}},
    }
    p = goalprog.from_dict(spec)
    r = p.solve(backend=backend, method="preemptive")
    assert r.value("a") == pytest.approx(10, abs=1e-5)
    assert 0 <= r.value("d") <= 1e-5 / 0.00005 + 1e-6
    r = p.solve(backend=backend, method="weighted")
    assert r.value("a") == pytest.approx(0, abs=1e-6)
    assert r.value("d") == pytest.approx(200000)
    assert r.objective == pytest.approx(100000)


@pytest.mark.parametrize("first, expected_x, expected_under", [("at_least", 7, 0), ("at_most", 4, 3)])
def test_f_equality_goal_after_an_earlier_level(backend, first, expected_x, expected_under):
    """x in [0, 10]; level 1 x >= 2 (or x <= 4); level 2 x == 7."""
    target = 2 if first == "at_least" else 4
    spec = {
        "variables": {"x": {"upper": 10}},
        "goals": {"one": {"expr": "x", first: target, "priority": 1},
                  "two": {"expr": "x", "equal": 7, "priority": 2}},
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert r.value("x") == pytest.approx(expected_x)
    g = r.goals.set_index("goal")
    assert list(g.index) == ["one", "two"]  # every declared goal is reported
    assert g.loc["two", "under"] == pytest.approx(expected_under)
    assert g.loc["two", "over"] == 0
    assert bool(g.loc["two", "met"]) is (expected_under == 0)


def test_two_sided_goal_with_its_own_priorities(backend):
    """The classic hours goal: use all 40 regular hours (under at priority 1), avoid overtime (over at
    priority 3); an order needs 2 bowls and 3 mugs per... here: profit 40b + 50m >= 1,000 at priority 2.
    Hours = b + 2m.  Level 1: hours >= 40.  Level 2: 40b + 50m >= 1000 reachable at hours 40 (b = 40:
    1,600), so 0.  Level 3: overtime 0 with b = 40, m = 0 (hours exactly 40)."""
    spec = {
        "variables": {"b": {}, "m": {}},
        "goals": {
            "labour": {"expr": "b + 2*m", "equal": 40, "under": {"priority": 1}, "over": {"priority": 3, "weight": 2}},
            "profit": {"expr": "40*b + 50*m", "at_least": 1000, "priority": 2},
        },
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert levels(r) == {1: pytest.approx(0), 2: pytest.approx(0), 3: pytest.approx(0)}
    g = r.goals.set_index("goal")
    assert g.loc["labour", "under_priority"] == 1 and g.loc["labour", "over_priority"] == 3
    assert g.loc["labour", "over_weight"] == 2
    assert g.loc["labour", "value"] == pytest.approx(40)


def test_asymmetric_weights_in_one_level(backend):
    """x + y == 10 (hard); goal x == 6 with under weight 3, over weight 1; goal y == 6 weight 1 both sides.
    x + y = 10 forces a total miss of 2: with x = 6 - u the cost is 3u + |4 + u - 6|; for u in [0, 2] it is
    3u + (2 - u) = 2 + 2u, minimised at u = 0: x = 6, y = 4, objective 2."""
    spec = {
        "variables": {"x": {}, "y": {}},
        "constraints": {"sum": "x + y == 10"},
        "goals": {"gx": {"expr": "x", "equal": 6, "under": {"weight": 3}, "over": {"weight": 1}},
                  "gy": {"expr": "y", "equal": 6}},
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert r.objective == pytest.approx(2)
    assert r.value("x") == pytest.approx(6) and r.value("y") == pytest.approx(4)


def test_between_goal_free_band(backend):
    """between [3, 5] costs nothing inside the band: x + y == 8 with x in [3, 5], y in [3, 5]: 0."""
    spec = {
        "variables": {"x": {}, "y": {}},
        "constraints": {"sum": "x + y == 8"},
        "goals": {"gx": {"expr": "x", "between": [3, 5]}, "gy": {"expr": "y", "between": [3, 5]},
                  "push": {"expr": "x", "at_least": 5, "weight": 0.5}},
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert r.objective == pytest.approx(0)
    assert r.value("x") == pytest.approx(5)
    # outside the band: x + y == 12 forces at least 2 over in total
    spec["constraints"]["sum"] = "x + y == 12"
    r = goalprog.from_dict(spec).solve(backend=backend)
    g = r.goals.set_index("goal")
    assert g.loc["gx", "over"] + g.loc["gy", "over"] == pytest.approx(2)
    assert g.loc["gx", "under"] == 0 and g.loc["gy", "under"] == 0


def test_range_constraint_chain(backend):
    """A chained range 2 <= x + y <= 3 is one hard row: maximise x + y gives 3."""
    spec = {"variables": {"x": {}, "y": {}}, "constraints": {"band": "2 <= x + y <= 3"},
            "goals": {"big": {"maximize": "x + y"}}}
    p = goalprog.from_dict(spec)
    assert p.model.n_hard == 1
    assert (p.model.row_lower[0], p.model.row_upper[0]) == (2, 3)
    r = p.solve(backend=backend)
    assert r.value("x") + r.value("y") == pytest.approx(3)


def test_priority_from_data(backend):
    """priority: rank[i] places each instance of an indexed goal at its own level.  x[u] + x[v] <= 6,
    each goal x[i] >= 5: v (rank 1) is served first (x[v] = 5), u gets the remaining 1 (short by 4)."""
    spec = {
        "sets": {"a": ["u", "v"]},
        "params": {"rank": {"index": "a", "values": {"u": 2, "v": 1}}},
        "variables": {"x": {"index": "a", "upper": 5}},
        "constraints": {"c": "x['u'] + x['v'] <= 6"},
        "goals": {"g": {"for": "i in a", "expr": "x[i]", "at_least": 5, "priority": "rank[i]"}},
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert levels(r) == {1: pytest.approx(0), 2: pytest.approx(4)}
    assert r.value("x")["v"] == pytest.approx(5)
    spec["goals"]["g"]["priority"] = "rank[i] - 1.5"
    with pytest.raises(goalprog.ProblemFileError, match="whole number from 1 to 1e9, got 0.5"):
        goalprog.from_dict(spec)
