"""Meta-goal programming (Rodríguez Uría, Caballero, Ruiz & Romero, EJOR 136 (2002) 422-429):
the ``meta_goals:`` section, ``method: fewest_unmet``, the big-M of the unmet indicators.

Every expected value is derived by hand in the comments (exact fractions where it matters) or
solved by an independent PuLP model written out here; none is what goalprog printed.
"""

import json
from fractions import Fraction

import pulp
import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.errors import GoalProgError, ProblemFileError
from tests.helpers import PROBLEMS

CLOTHING = {
    "name": "clothing_meta",
    "variables": {"pants": {"lower": 0}, "shirts": {"lower": 0}, "dresses": {"lower": 0}},
    "expressions": {"profit": "10*pants + 3*shirts + 15*dresses", "cost": "5*pants + shirts + 10*dresses",
                    "waste": "1.5*pants + shirts + 3*dresses"},
    "constraints": {"budget": "cost <= 50000"},
    "goals": {"profit": {"expr": "profit", "at_least": 150000}, "waste": {"expr": "waste", "at_most": 20000}},
}

FEWEST_THEN_TOTAL = [{"name": "fewest unmet", "of": "unmet", "at_most": 0, "priority": 1},
                     {"name": "least total", "of": "total", "at_most": 0, "priority": 2}]


def meta(result, name):
    return next(r for r in result.meta.goals if r["name"] == name)


def clothing(**extra):
    return goalprog.from_dict({**CLOTHING, **extra})


# -- the reference: fewest unmet goals, then the least total deviation --------------------------
# Both goals cannot be met (weighted (1, 1) GP leaves 30,000 of deviation), so 1 goal is unmet at
# best; among the plans leaving 1 unmet, the least total is the weighted optimum: 50,000 shirts,
# profit 150,000 (met), waste 50,000 (30,000 over).

def test_clothing_reference_meta_goals(backend):
    r = clothing(meta_goals=FEWEST_THEN_TOTAL).solve(backend=backend)
    assert r.method == "meta" and r.status.value == "optimal"
    assert meta(r, "fewest unmet")["achieved"] == 1 and meta(r, "fewest unmet")["met"] is False
    assert meta(r, "least total")["achieved"] == pytest.approx(30000, abs=1e-4)
    assert r.value("pants") == pytest.approx(0, abs=1e-6)
    assert r.value("shirts") == pytest.approx(50000, rel=1e-9)
    assert r.value("dresses") == pytest.approx(0, abs=1e-6)
    assert [s.name for s in r.stages] == ["level 1", "level 2"]


def test_fewest_unmet_shorthand_everywhere(backend, tmp_path):
    r = clothing().solve(method="fewest_unmet", backend=backend)
    assert r.method == "fewest_unmet"
    assert [(m["of"], m["achieved"]) for m in r.meta.goals] == [("unmet", 1.0), ("total", pytest.approx(30000, abs=1e-4))]
    assert r.value("shirts") == pytest.approx(50000, rel=1e-9)
    # in the file's solve: section
    r = clothing(solve={"method": "fewest_unmet"}).solve(backend=backend)
    assert r.method == "fewest_unmet" and r.value("shirts") == pytest.approx(50000, rel=1e-9)
    # on the command line, with the JSON keys
    out = CliRunner().invoke(main, ["solve", str(PROBLEMS / "clothing_factory_weighted.yaml"), "--method",
                                    "fewest_unmet", "-b", backend, "-f", "json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["method"] == "fewest_unmet"
    goals = {m["name"]: m for m in data["meta_goals"]["goals"]}
    assert goals["unmet"]["achieved"] == 1 and goals["unmet"]["met"] is False
    assert goals["total"]["achieved"] == pytest.approx(30000, abs=1e-4)


# -- the big-M: from bounds on the model, said per goal -------------------------------------------
# profit's under-deviation: the least profit is 0 (every variable >= 0), so M = 150,000 - 0.
# waste's over-deviation: the budget 5p + s + 10d <= 50,000 with p, s, d >= 0 gives p <= 10,000,
# s <= 50,000, d <= 5,000, so waste <= 1.5*10,000 + 50,000 + 3*5,000 = 80,000 and M = 60,000.

def test_big_m_is_reported_per_goal():
    r = clothing().solve(method="fewest_unmet")
    big = {(b["goal"], b["side"]): b for b in r.meta.big_m}
    assert set(big) == {("profit", "under"), ("waste", "over")}
    assert big["profit", "under"]["big_m"] == pytest.approx(150000, rel=1e-9)
    assert big["profit", "under"]["expression_bound"] == pytest.approx(0, abs=1e-9)
    assert "variable bounds" in big["profit", "under"]["bound_from"]
    # exactly the derived bounds: the 1e-12 pad the model's M carries is not shown (was 60000.00000008)
    assert big["waste", "over"]["big_m"] == 60000 and big["profit", "under"]["big_m"] == 150000
    assert big["waste", "over"]["expression_bound"] == 80000
    assert "expression <= 80000 (" in big["waste", "over"]["bound_from"]
    assert "tightened by budget" in big["waste", "over"]["bound_from"]
    out = CliRunner().invoke(main, ["solve", str(PROBLEMS / "clothing_factory_weighted.yaml"), "-m", "fewest_unmet"])
    assert out.exit_code == 0, out.output
    assert "Meta-goals" in out.output and "Big-M of the unmet indicators" in out.output
    assert "60,000" in out.output and "tightened by budget" in out.output
    from goalprog.output.report import page_html

    html = page_html(r)
    assert 'id="meta-goals"' in html and "tightened by budget" in html


# -- worst: against a hand-written PuLP model -----------------------------------------------------
# Hand: pants beat dresses (2 profit per $ against 1.5, the same 0.3 yards per $); spending the
# budget with a share a on shirts, profit = 50,000 (2 + a), waste = 50,000 (0.3 + 0.7 a); the
# under-deviation 50,000 (1 - a) equals the over-deviation 50,000 (0.7 a - 0.1) at a = 11/17, so
# the least largest deviation is 300,000/17.

def _pulp_worst_then_total():
    m = pulp.LpProblem("worst", pulp.LpMinimize)
    p, s, d = (pulp.LpVariable(n, lowBound=0) for n in ("p", "s", "d"))
    n_, p_ = pulp.LpVariable("n", lowBound=0), pulp.LpVariable("pw", lowBound=0)
    D = pulp.LpVariable("D", lowBound=0)
    m += 5 * p + s + 10 * d <= 50000
    m += 10 * p + 3 * s + 15 * d + n_ >= 150000
    m += 1.5 * p + s + 3 * d - p_ <= 20000
    m += n_ <= D
    m += p_ <= D
    m += D
    m.solve(pulp.HiGHS(msg=False) if hasattr(pulp, "HiGHS") else pulp.PULP_CBC_CMD(msg=False))
    worst = D.value()
    m += D <= worst * (1 + 1e-9)
    m.setObjective(n_ + p_)
    m.solve(pulp.HiGHS(msg=False) if hasattr(pulp, "HiGHS") else pulp.PULP_CBC_CMD(msg=False))
    return worst, n_.value() + p_.value()


def test_worst_against_hand_written_pulp(backend):
    worst, total = _pulp_worst_then_total()
    assert worst == pytest.approx(float(Fraction(300000, 17)), rel=1e-7)
    r = clothing(meta_goals=[{"of": "worst", "at_most": 0, "priority": 1},
                             {"of": "total", "at_most": 0, "priority": 2}]).solve(backend=backend)
    assert meta(r, "worst")["achieved"] == pytest.approx(worst, rel=1e-6)
    assert meta(r, "total")["achieved"] == pytest.approx(total, rel=1e-6)
    dev = r.goals.set_index("goal")
    assert max(dev.loc["profit", "under"], dev.loc["waste", "over"]) == pytest.approx(worst, rel=1e-6)


def test_worst_target_met_leaves_room(backend):
    # worst <= 20,000 is reachable (300,000/17 < 20,000), so the first level is met and the second
    # minimises the total among plans whose largest deviation is at most 20,000
    r = clothing(meta_goals=[{"of": "worst", "at_most": 20000, "priority": 1},
                             {"of": "total", "at_most": 0, "priority": 2}]).solve(backend=backend)
    assert meta(r, "worst")["met"] is True
    assert meta(r, "worst")["achieved"] <= 20000 + 1e-3
    # hand: with a as above, total = 50,000 (0.9 - 0.3 a), under-deviation 50,000 (1 - a) <= 20,000
    # needs a >= 0.6, over-deviation 50,000 (0.7 a - 0.1) <= 20,000 needs a <= 5/7: a = 5/7,
    # total = 50,000 (0.9 - 3/14) = 240,000/7
    assert meta(r, "total")["achieved"] == pytest.approx(float(Fraction(240000, 7)), rel=1e-6)


# -- at most two of four goals can be met ----------------------------------------------------------
# x + y <= 10, x, y >= 0.  A: x >= 6, B: y >= 6, C: x <= 2, D: y <= 5 (weight 3).
# A-B (6 + 6 > 10), A-C and B-D conflict, so every three goals hold a conflicting pair: at most 2
# are met.  The pairs that can be met and their least total deviation:
#   {A, D}: B 6 - y, C x - 2 with y <= 10 - x: at least 2x - 6 >= 6 (x = 6, y = 4);
#   {B, C}: A 6 - x >= 4, D 3 (y - 5) >= 3: 7;
#   {C, D}: A 6 - x >= 4, B 6 - y >= 1: 5, only at x = 2, y = 5.
# So: 2 unmet, then total 5 at x = 2, y = 5 (A and B unmet).

FOUR = {
    "name": "four_goals",
    "variables": {"x": {"lower": 0}, "y": {"lower": 0}},
    "constraints": {"cap": "x + y <= 10"},
    "goals": {"A": {"expr": "x", "at_least": 6, "priority": 1}, "B": {"expr": "y", "at_least": 6, "priority": 1},
              "C": {"expr": "x", "at_most": 2, "priority": 2}, "D": {"expr": "y", "at_most": 5, "weight": 3, "priority": 2}},
}


def test_at_most_two_of_four_goals(backend):
    r = goalprog.from_dict(FOUR).solve(method="fewest_unmet", backend=backend)
    assert meta(r, "unmet")["achieved"] == 2
    assert meta(r, "total")["achieved"] == pytest.approx(5, abs=1e-6)
    assert r.value("x") == pytest.approx(2, abs=1e-6) and r.value("y") == pytest.approx(5, abs=1e-6)
    assert dict(zip(r.goals["goal"], r.goals["met"])) == {"A": False, "B": False, "C": True, "D": True}
    # a target the plan can meet: at most 2 unmet, met
    r = goalprog.from_dict({**FOUR, "meta_goals": [{"of": "unmet", "at_most": 2}]}).solve(backend=backend)
    assert meta(r, "unmet")["met"] is True and meta(r, "unmet")["achieved"] <= 2


# -- unmet with level: -------------------------------------------------------------------------------
# Only level 1 (A, B) counted: A and B conflict, so 1 of them is unmet at best.  Then the least
# total: meeting A (x >= 6): B 6 - y, C x - 2, D 3 (y - 5)+, with y <= 10 - x: 2x - 6 >= 6 at x = 6,
# y = 4 only; meeting B (y >= 6, x <= 4): A 6 - x plus C (x - 2)+ >= 4 and D 3 (y - 5) >= 3: 7.
# So x = 6, y = 4, total 6: level 1 leaves 1 unmet while 2 goals are unmet in all (B and C).

def test_unmet_of_one_level(backend):
    r = goalprog.from_dict({**FOUR, "meta_goals": [
        {"name": "level 1 unmet", "of": "unmet", "level": 1, "at_most": 0, "priority": 1},
        {"name": "all unmet", "of": "unmet", "at_most": 4, "priority": 3},
        {"of": "total", "at_most": 0, "priority": 2}]}).solve(backend=backend)
    assert meta(r, "level 1 unmet")["achieved"] == 1
    assert meta(r, "all unmet")["achieved"] == 2
    assert meta(r, "total")["achieved"] == pytest.approx(6, abs=1e-6)
    assert r.value("x") == pytest.approx(6, abs=1e-6) and r.value("y") == pytest.approx(4, abs=1e-6)
    big = {(b["goal"], b["side"]) for b in r.meta.big_m}
    assert ("A", "under") in big and ("B", "under") in big  # the level-1 goals' indicators, and
    assert ("C", "over") in big and ("D", "over") in big    # the all-goals ones
    # total of level 2 only: the deviations of C and D
    r2 = goalprog.from_dict({**FOUR, "meta_goals": [{"of": "total", "level": 2, "at_most": 0}]}).solve(backend=backend)
    assert meta(r2, "total[level 2]")["achieved"] == pytest.approx(0, abs=1e-6)


# -- errors ---------------------------------------------------------------------------------------------

def test_unbounded_deviation_is_a_located_error(tmp_path):
    path = tmp_path / "open.yaml"
    path.write_text("variables:\n  x: {}\n  y: {}\ngoals:\n  a: {expr: x + y, at_most: 5}\n"
                    "  b: {expr: x, at_least: 10}\nmeta_goals:\n  - {name: fewest, of: unmet, at_most: 0}\n")
    with pytest.raises(ProblemFileError) as exc:
        goalprog.load(path).solve()
    text = exc.value.format()
    assert f"{path}:8:5" in text
    assert "the over-achievement of goal a has no bound" in text and "x, y" in text
    assert "give x, y bounds" in text
    out = CliRunner().invoke(main, ["solve", str(path)])
    assert out.exit_code == 3 and "has no bound" in out.output and "Traceback" not in out.output
    # fewest_unmet (no meta-goal in the file): at the goal; goalprog validate says it before solving
    out = CliRunner().invoke(main, ["solve", str(path), "--method", "fewest_unmet"])
    assert out.exit_code == 3 and f"{path}:5:3: goals.a: meta-goal 'unmet'" in out.output
    out = CliRunner().invoke(main, ["validate", str(path)])
    assert out.exit_code == 3 and f"{path}:8:5" in out.output and "has no bound" in out.output
    # with bounds the same file solves: b (x >= 10) conflicts with a (x + y <= 5)
    path.write_text(path.read_text().replace("x: {}", "x: {upper: 20}").replace("y: {}", "y: {upper: 20}"))
    r = goalprog.load(path).solve()
    assert r.meta.goals[0]["achieved"] == 1
    assert {(b["goal"], b["side"], b["big_m"]) for b in r.meta.big_m} == {("a", "over", 35.0), ("b", "under", 10.0)}


def test_validation_errors_are_located(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("variables:\n  x: {}\ngoals:\n  a: {expr: x, at_least: 1}\nmeta_goals:\n"
                    "  - {of: unmet, priority: 1}\n  - {of: sum, at_most: 0}\n  - {of: total, at_most: 0, level: 4}\n")
    out = CliRunner().invoke(main, ["solve", str(path)])
    assert out.exit_code == 3, out.output
    assert f"{path}:6:5: meta_goals[0]: 'at_most' is missing" in out.output
    assert f"{path}:7:10: meta_goals[1].of: 'sum' is not allowed here; expected 'total', 'worst' or 'unmet'" in out.output
    with pytest.raises(GoalProgError):
        goalprog.load(path)
    path.write_text("variables:\n  x: {}\ngoals:\n  a: {expr: x, at_least: 1, priority: 1}\nmeta_goals:\n"
                    "  - {of: total, at_most: 0, level: 4}\n")
    with pytest.raises(ProblemFileError) as exc:
        goalprog.load(path)
    assert f"{path}:6:36" in exc.value.format() and "no goal has an unwanted deviation at priority level 4" in \
        exc.value.format() and "levels are: 1" in exc.value.format()


def test_meta_goals_ignored_by_another_method_are_said():
    r = clothing(meta_goals=FEWEST_THEN_TOTAL).solve(method="weighted")
    assert r.meta is None and any("meta_goals" in w and "ignores" in w for w in r.warnings)


def test_schema_has_meta_goals():
    from goalprog.cli.commands.schema import problem_schema

    text = json.dumps(problem_schema())
    assert "meta_goals" in text and "fewest_unmet" in text and '"unmet"' in text


def test_bound_propagation_by_hand():
    # x - y >= 2 with x <= 10, y >= 0: y <= x - 2 <= 8 (the row's lower side, y's coefficient -1),
    # and x >= 2 + y >= 2; 2 z <= 7 with z integer: z <= 3.
    from goalprog.model.meta import deviation_bounds, propagated_bounds

    p = goalprog.from_dict({
        "variables": {"x": {"upper": 10}, "y": {}, "z": {"type": "integer"}},
        "constraints": {"c": "x - y >= 2", "d": "2 * z <= 7"},
        "goals": {"g": {"expr": "y + z", "at_most": 1}, "h": {"expr": "x", "at_least": 5}}})
    lower, upper, lo_row, hi_row = propagated_bounds(p.model)
    assert upper[1] == pytest.approx(8, rel=1e-9) and lower[0] == pytest.approx(2, rel=1e-9)
    assert upper[2] == 3
    bounds = {(b.label, b.side): b for b in deviation_bounds(p.model)}
    assert bounds["g", "over"].big_m == pytest.approx(8 + 3 - 1, rel=1e-9)
    assert set(bounds["g", "over"].constraints) == {"c", "d"}
    assert bounds["h", "under"].big_m == pytest.approx(5 - 2, rel=1e-9)
    assert bounds["h", "under"].constraints == ("c",)
    assert (bounds["g", "over"].derived_m, bounds["h", "under"].derived_m) == (10, 3)  # as derived, no pad
    assert bounds["g", "over"].big_m > 10  # the model's M keeps its pad against rounding


def test_empty_meta_goals_is_an_error(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_text("variables:\n  x: {}\ngoals:\n  a: {expr: x, at_least: 1}\nmeta_goals: []\n")
    out = CliRunner().invoke(main, ["validate", str(path)])
    assert out.exit_code == 3 and f"{path}:5:13: meta_goals: the list of meta-goals is empty" in out.output


def test_big_m_listed_once_per_goal_side():
    r = goalprog.from_dict({**FOUR, "meta_goals": [{"of": "unmet", "level": 1, "at_most": 0},
                                                   {"of": "unmet", "at_most": 0, "priority": 2}]}).solve()
    sides = [(b["goal"], b["side"]) for b in r.meta.big_m]
    assert sorted(sides) == [("A", "under"), ("B", "under"), ("C", "over"), ("D", "over")]
    # hand: x <= 10 and y <= 10 from x + y <= 10; A: 6 - 0, B: 6 - 0, C: 10 - 2, D: 10 - 5
    assert {s: b["big_m"] for s, b in zip(sides, r.meta.big_m)} == pytest.approx(
        {("A", "under"): 6, ("B", "under"): 6, ("C", "over"): 8, ("D", "over"): 5})


def test_meta_methods_say_they_ignore_priorities(tmp_path):
    # two priority levels, no meta-goal with level: the levels play no part, which is said as
    # the weighted method says it; a meta-goal naming a level uses them, so nothing is said
    levelled = {**CLOTHING, "goals": {"profit": {**CLOTHING["goals"]["profit"], "priority": 1},
                                      "waste": {**CLOTHING["goals"]["waste"], "priority": 2}}}
    said = "the fewest_unmet method ignores priorities (2 levels given)"
    assert any(said in w for w in goalprog.from_dict(levelled).solve(method="fewest_unmet").warnings)
    r = goalprog.from_dict({**levelled, "meta_goals": FEWEST_THEN_TOTAL}).solve(method="meta")
    assert any("the meta method ignores priorities (2 levels given)" in w for w in r.warnings)
    r = goalprog.from_dict({**levelled, "meta_goals": [{"of": "unmet", "level": 2, "at_most": 0}]}).solve()
    assert not any("ignores priorities" in w for w in r.warnings)
    assert not any("ignores priorities" in w for w in clothing().solve(method="fewest_unmet").warnings)
    out = CliRunner().invoke(main, ["solve", str(PROBLEMS / "clothing_factory_preemptive.yaml"),
                                    "--method", "fewest_unmet"])
    assert out.exit_code == 0 and said in " ".join(out.output.split())


def test_level_values_of_fewest_unmet_are_the_meta_levels():
    # level 1: profit >= 150,000 and waste <= 20,000 cannot both hold, so 1 goal is unmet (at_most 0,
    # weight 1: achievement 1); level 2: the least total deviation with 1 unmet is 30,000 (50,000
    # shirts: waste 50,000 - 20,000).  Python, DataFrame and JSON give the same rows.
    import json

    r = clothing().solve(method="fewest_unmet")
    levels = r.level_values()
    assert [(lv["level"], lv["achievement"], lv["goals"]) for lv in levels] == [(1, 1, "unmet"), (2, 30000, "total")]
    assert [lv["stage_value"] for lv in levels] == [1, 30000]
    assert r.levels[["level", "achievement"]].values.tolist() == [[1, 1], [2, 30000]]
    assert [(lv["level"], lv["achievement"]) for lv in json.loads(json.dumps(r.to_dict()))["levels"]] == \
        [(1, 1), (2, 30000)]
