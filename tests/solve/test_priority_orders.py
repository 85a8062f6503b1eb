"""Priority orders (issue 16): the preemptive chain for every permutation of the levels.

Every expected plan is derived by hand below, or comes from an independent full chain of the same
file with its priorities renumbered (``overrides=``), which runs none of the prefix-reuse code.
"""

import itertools
import json
import math
from fractions import Fraction

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.errors import ArgumentError
from goalprog.solve.orders import MAX_LEVELS, check_orders, parse_orders
from tests.helpers import PROBLEMS

FACTORY = PROBLEMS / "clothing_factory_preemptive.yaml"

# Hand-derived clothing factory plans: profit first reaches 150,000 at the least waste (all shirts,
# 50,000 yards); waste first holds waste at 20,000 and then the best profit is 750,000/7 (pants
# 60,000/7, shirts 50,000/7: budget and waste both binding).
PROFIT_FIRST = {"profit": Fraction(150_000), "waste": Fraction(50_000)}
WASTE_FIRST = {"profit": Fraction(750_000, 7), "waste": Fraction(20_000)}


def close(a, b, rel=1e-9):
    return abs(float(a) - float(b)) <= rel * max(1.0, abs(float(a)), abs(float(b)))


def test_clothing_factory_both_orders_give_the_two_reference_plans(backend):
    res = goalprog.load(FACTORY).orders("all", backend=backend)
    assert [e.order for e in res.entries] == [(1, 2), (2, 1)]
    by_order = {e.order: e for e in res.entries}
    for order, plan in (((1, 2), PROFIT_FIRST), ((2, 1), WASTE_FIRST)):
        e = by_order[order]
        assert e.status.value == "optimal"
        assert set(e.goals) == set(plan)
        assert all(close(e.goals[k], v) for k, v in plan.items())
    # achievements: profit shortfall / waste excess at each plan
    assert close(by_order[(1, 2)].achievements[2], 30_000) and close(by_order[(1, 2)].achievements[1], 0)
    assert close(by_order[(2, 1)].achievements[1], Fraction(300_000, 7))
    assert by_order[(1, 2)].plan != by_order[(2, 1)].plan
    assert len(res.groups) == 2


# A three-level model whose six orders give three plans (derived by hand):
#   x, y >= 0, x + y <= 10;  A: x == 8 (priority 1), B: y == 6 (priority 2), C: y <= 1 (priority 3).
#   1 > 2 > 3: x = 8, then y <= 2 is best at 2                      -> (8, 2)
#   2 > 1 > 3, 2 > 3 > 1: y = 6, then x <= 4 is best at 4            -> (4, 6)
#   1 > 3 > 2, 3 > 1 > 2, 3 > 2 > 1: y <= 1 and x = 8, then y = 1    -> (8, 1)
THREE = {
    "name": "three_levels",
    "variables": {"x": {"lower": 0}, "y": {"lower": 0}},
    "constraints": {"cap": "x + y <= 10"},
    "goals": {"A": {"expr": "x", "equal": 8, "priority": 1},
              "B": {"expr": "y", "equal": 6, "priority": 2},
              "C": {"expr": "y", "at_most": 1, "priority": 3}},
}
THREE_PLANS = {(1, 2, 3): (8, 2), (2, 1, 3): (4, 6), (2, 3, 1): (4, 6),
               (1, 3, 2): (8, 1), (3, 1, 2): (8, 1), (3, 2, 1): (8, 1)}
# the level achievements (A: |x - 8|, B: |y - 6|, C: max(0, y - 1)) at those plans
THREE_ACH = {(8, 2): {1: 0, 2: 4, 3: 1}, (4, 6): {1: 4, 2: 0, 3: 5}, (8, 1): {1: 0, 2: 5, 3: 0}}


def test_three_levels_six_orders_three_plans(backend):
    res = goalprog.from_dict(THREE).orders("all", backend=backend)
    assert len(res.entries) == 6 and {e.order for e in res.entries} == set(itertools.permutations((1, 2, 3)))
    for e in res.entries:
        x, y = THREE_PLANS[e.order]
        assert e.status.value == "optimal"
        assert close(e.goals["A"], x) and close(e.goals["B"], y) and close(e.goals["C"], y), e
        assert all(close(e.achievements[lv], v) for lv, v in THREE_ACH[(x, y)].items()), e
    groups = {frozenset(e.order for e in members) for _, members in res.groups}
    assert groups == {frozenset({(1, 2, 3)}), frozenset({(2, 1, 3), (2, 3, 1)}),
                      frozenset({(1, 3, 2), (3, 1, 2), (3, 2, 1)})}
    # the prefix trie: 3 first levels + 6 two-level prefixes + 6 full orders, not 3 * 6
    assert res.level_solves == 3 + 6 + 6


def test_a_chebyshev_level_turns_the_prefix_reuse_off():
    """With a min-max level each order is a full chain of its own; the plans are those above."""
    data = {**THREE, "solve": {"levels": {2: {"achievement": "chebyshev"}}}}
    res = goalprog.from_dict(data).orders("all")
    assert res.level_solves == 3 * 6
    for e in res.entries:
        x, y = THREE_PLANS[e.order]
        assert close(e.goals["A"], x) and close(e.goals["B"], y), e


def _renumbered(order):
    """The production plan's priorities renumbered so that ``order`` is solved most important first."""
    new = {level: k + 1 for k, level in enumerate(order)}
    return {"goals.meet_demand.under.priority": new[1], "goals.meet_demand.over.priority": new[4],
            "goals.overtime_budget.priority": new[2], "goals.waste.priority": new[2], "goals.profit.priority": new[3]}


def test_orders_match_independent_full_chains_with_renumbered_priorities():
    """Every order of the 4-level production plan (prefixes reused, continued chains) against a full
    chain of the file with its priorities renumbered (no reuse, no order setting)."""
    path = PROBLEMS / "production_planning.yaml"
    res = goalprog.load(path).orders("all")
    assert len(res.entries) == 24 and res.level_solves == 4 + 12 + 24 + 24
    for e in res.entries:
        ref = goalprog.load(path, overrides=_renumbered(e.order)).solve()
        assert ref.status.value == "optimal" and e.status.value == "optimal"
        # the level values are unique (the plan need not be: alternative optima may differ goal by goal)
        want = {e.order[lv["level"] - 1]: lv["achievement"] for lv in ref.level_values()}
        bad = {lv: (e.achievements[lv], v) for lv, v in want.items()
               if abs(e.achievements[lv] - v) > 1e-7 * max(1.0, abs(v))}
        assert not bad, (e.order, bad)


def test_parallel_orders_equal_serial():
    from goalprog.analysis.orders import solve_orders_parallel

    p = goalprog.from_dict(THREE)
    serial = p.orders("all")
    parallel = solve_orders_parallel(p, "all", jobs=2)
    assert [e.order for e in parallel.entries] == [e.order for e in serial.entries]
    for a, b in zip(serial.entries, parallel.entries):
        assert a.plan == b.plan and all(close(a.goals[k], b.goals[k]) for k in a.goals)


def test_parse_orders_syntax_and_errors():
    levels = (1, 2, 3)
    assert parse_orders("2,1,3;1,3,2", levels) == ((2, 1, 3), (1, 3, 2))
    assert parse_orders(" 2 , 1 , 3 ", levels) == ((2, 1, 3),)
    assert parse_orders([(3, 2, 1), [1, 2, 3]], levels) == ((3, 2, 1), (1, 2, 3))
    assert parse_orders("ALL", levels) == tuple(itertools.permutations(levels))
    assert parse_orders("1,2,3;1,2,3", levels) == ((1, 2, 3),)  # a repeated order is solved once
    for bad, words in (("1,2", "every priority level once"), ("1,2,2", "every priority level once"),
                       ("1,2,4", "level '4'"), ("a,b,c", "level 'a'"), ("", "no priority order was given"),
                       ("  ", "no priority order was given")):
        with pytest.raises(ArgumentError, match=words):
            parse_orders(bad, levels)


def test_level_limit_and_warning():
    seven = tuple(range(1, 8))
    with pytest.raises(ArgumentError, match="at most 6 levels"):
        check_orders("all", seven)
    orders, warnings = check_orders("all", seven, force=True)
    assert len(orders) == math.factorial(7) and warnings
    # an explicit list is what it is: no limit
    assert check_orders("7,6,5,4,3,2,1", seven) == (((7, 6, 5, 4, 3, 2, 1),), [])
    assert MAX_LEVELS == 6
    _, warnings = check_orders("all", (1, 2, 3, 4, 5))
    assert len(warnings) == 1 and "120 orders" in warnings[0]
    assert check_orders("all", (1, 2, 3, 4))[1] == []


def _seven_levels():
    goals = {f"g{k}": {"expr": "x", "at_least": k, "priority": k} for k in range(1, 8)}
    return {"name": "seven", "variables": {"x": {"lower": 0, "upper": 3}}, "goals": goals}


def test_cli_orders_json_keys_and_usage_errors(tmp_path):
    import yaml

    runner = CliRunner()
    r = runner.invoke(main, ["solve", str(FACTORY), "--orders", "all", "-f", "json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert [o["order"] for o in d["orders"]] == [[1, 2], [2, 1]]
    assert set(d["orders"][0]) >= {"order", "achievements", "goals", "plan", "status"}
    assert close(d["orders"][1]["goals"]["profit"], Fraction(750_000, 7))
    assert d["orders_summary"]["plans"] == 2
    # a table, with the orders grouped by plan
    r = runner.invoke(main, ["solve", str(FACTORY), "--orders", "2,1"])
    assert r.exit_code == 0 and "Priority orders" in r.output and "2 > 1" in r.output
    # usage errors: exit 2, no traceback
    for args in (["--orders", "1,3"], ["--orders", "all", "--method", "weighted"]):
        r = runner.invoke(main, ["solve", str(FACTORY), *args])
        assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    seven = tmp_path / "seven.yaml"
    seven.write_text(yaml.safe_dump(_seven_levels()))
    r = runner.invoke(main, ["solve", str(seven), "--orders", "all"])
    assert r.exit_code == 2 and "--force" in r.output
    r = runner.invoke(main, ["solve", str(seven), "--orders", "7,6,5,4,3,2,1", "-f", "json"])
    assert r.exit_code == 0
    # x <= 3: g7 first gives x = 3 (every goal up to 3 met), whatever follows
    assert json.loads(r.output)["orders"][0]["goals"]["g7"] == pytest.approx(3.0)


def test_cli_jobs_without_orders_warns(tmp_path):
    r = CliRunner().invoke(main, ["solve", str(FACTORY), "--jobs", "2", "-q"])
    assert r.exit_code == 0 and "does nothing" in r.output


def test_api_rejects_another_method():
    with pytest.raises(ArgumentError, match="preemptive"):
        goalprog.load(FACTORY).orders("all", method="weighted")


def test_orders_usage_errors_speak_the_callers_language(tmp_path):
    runner = CliRunner()
    # an empty --orders is a usage error, not a silent no-op
    r = runner.invoke(main, ["solve", str(FACTORY), "--orders", ""])
    assert r.exit_code == 2 and "no priority order was given" in r.output and "Traceback" not in r.output
    # a misspelled 'all'
    r = runner.invoke(main, ["solve", str(FACTORY), "--orders", "al"])
    assert r.exit_code == 2 and "did you mean 'all'?" in r.output
    # the example is built from the file's levels (here 1, 2, 3), not always '2,1;1,2'
    three = tmp_path / "three.yaml"
    import yaml

    three.write_text(yaml.safe_dump(THREE))
    r = runner.invoke(main, ["solve", str(three), "--orders", "1,4,2"])
    assert r.exit_code == 2 and "--orders '3,2,1;1,2,3'" in r.output and "'2,1;1,2'" not in r.output
    # the API's errors name the keyword, not the command-line option
    p = goalprog.from_dict(THREE)
    for bad in ("1,2", "", "1,2,5"):
        with pytest.raises(ArgumentError) as exc:
            p.orders(bad)
        assert "orders='3,2,1;1,2,3'" in exc.value.format() and "--orders" not in exc.value.format()
    with pytest.raises(ArgumentError) as exc:
        goalprog.from_dict(_seven_levels()).orders("all")
    assert "force=True" in exc.value.format() and "--" not in exc.value.format()


def test_report_has_the_orders_and_equivalent_weights(tmp_path):
    # --report with --orders / --equivalent-weights: both in the page, not silently left out.
    # The clothing orders by hand: 1 > 2 gives profit 150,000, waste 50,000; 2 > 1 gives
    # p = 60,000/7, s = 50,000/7: profit 750,000/7 = 107,142.857..., waste 20,000
    page = tmp_path / "r.html"
    r = CliRunner().invoke(main, ["solve", str(FACTORY), "--orders", "all", "--equivalent-weights", "--report",
                                  str(page), "-q"])
    assert r.exit_code == 0, r.output
    html = page.read_text()
    orders = html[html.index('<section id="orders">'):]
    orders = orders[:orders.index("</section>")]
    assert "1 &gt; 2" in orders and "2 &gt; 1" in orders
    assert "150,000" in orders and "107,142.9" in orders and "20,000" in orders and "50,000" in orders
    assert '<section id="equivalent-weights">' in html
    # without the options, no such sections
    CliRunner().invoke(main, ["solve", str(FACTORY), "--report", str(page), "-q", "--force"])
    assert 'id="orders"' not in page.read_text() and 'id="equivalent-weights"' not in page.read_text()


def test_cli_a_failed_order_sets_the_exit_code(tmp_path):
    # Order 1 > 2 caps x at 10 (an exactly met goal), then maximises it: 10.  Order 2 > 1
    # maximises x >= 0 first: unbounded.  The main solve (1 > 2) is optimal; the failed order gives
    # the exit code of an unbounded solve (5, goalprog solve --help) and is named on stderr.
    path = tmp_path / "p.yaml"
    path.write_text("variables:\n  x: {lower: 0}\ngoals:\n  cap: {expr: x, at_most: 10, priority: 1}\n"
                    "  most: {maximize: x, priority: 2}\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["solve", str(path), "--orders", "all", "-f", "json"])
    assert r.exit_code == 5, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "optimal"
    assert [(e["order"], e["status"]) for e in data["orders"]] == [([1, 2], "optimal"), ([2, 1], "unbounded")]
    assert "orders: 1 of 2 orders did not end optimal" in r.stderr
    assert "order 2 > 1 (unbounded): priority level 2 is unbounded" in r.stderr
    # the orders that all end optimal leave the main solve's code (0), as before
    r = CliRunner().invoke(main, ["solve", str(path), "--orders", "1,2", "-q"])
    assert r.exit_code == 0 and "did not end optimal" not in r.stderr
    # --quiet: no stderr lines, the same exit code
    r = CliRunner().invoke(main, ["solve", str(path), "--orders", "2,1", "-q"])
    assert r.exit_code == 5 and "did not end optimal" not in r.stderr
