"""Issue 14, "Silently accepted": input that is accepted but does nothing, or something else than it
seems, is named in a warning (or refused with a located error).

Each case is small enough to work out by hand; the expected numbers are derived in the comments.
"""

from __future__ import annotations

import textwrap

import pytest

import goalprog
from goalprog.core.errors import DataError, ExpressionError


def warnings_of(spec: dict, **kw) -> list[str]:
    return list(goalprog.from_dict(spec).solve(backend="highs", **kw).warnings)


def one(ws: list[str], *needles: str) -> str:
    """The one warning holding every needle."""
    hits = [w for w in ws if all(n in w for n in needles)]
    assert len(hits) == 1, (needles, ws)
    return hits[0]


# -- 1. zero weights ------------------------------------------------------------------------------

DEMAND = {
    "sets": {"D": ["A", "B", "C"]},
    "params": {"wt": {"index": "D", "values": {"A": 0, "B": 1, "C": 0}}},
    "variables": {"x": {"index": "D", "upper": 10}, "y": {"upper": 10}},
    "constraints": {"cap": "sum(x[d] for d in D) <= 9"},
    "goals": {
        "meet_demand": {"for": "d in D", "expr": "x[d]", "at_least": 5, "weight": "wt[d]", "priority": 1},
        "extra": {"expr": "y", "at_least": 4, "priority": 2},
    },
}


def test_a_goal_of_weight_zero_from_a_parameter_is_named_per_instance():
    r = goalprog.from_dict(DEMAND).solve(backend="highs")
    w = one(r.warnings, "weigh 0")
    assert w.startswith("meet_demand[A] and meet_demand[C] weigh 0 in priority level 1")
    assert "meet_demand[B]" not in w and "positive weight" in w
    # B (weight 1) is met at 5; A and C share the remaining 4 of the capacity 9 but count for nothing
    goals = r.goals.set_index("label")
    assert goals.loc["meet_demand[B]", "value"] == pytest.approx(5)
    assert goals.loc["meet_demand[A]", "value"] + goals.loc["meet_demand[C]", "value"] <= 4 + 1e-9


def test_a_level_with_no_positive_weight_is_decided_by_nothing():
    spec = {"variables": {"x": {"upper": 10}, "y": {"upper": 10}},
            "constraints": {"c": "x + y <= 10"},
            "goals": {"first": {"expr": "x", "at_least": 10, "priority": 1},
                      "lone": {"expr": "y", "at_least": 4, "weight": 0, "priority": 2}}}
    r = goalprog.from_dict(spec).solve(backend="highs")
    w = one(r.warnings, "decided by nothing")
    assert w.startswith("priority level 2 is decided by nothing: every goal and objective in it weighs 0 (lone)")
    assert "achievement 0" in w
    assert not any("weigh 0 in" in x for x in r.warnings)  # said once, the louder way
    # level 1 takes x = 10, so y = 0 and 'lone' misses by 4 while its level reports 0
    levels = r.levels.set_index("level")
    assert levels.loc[2, "achievement"] == 0
    assert r.goals.set_index("label").loc["lone", "under"] == pytest.approx(4)


def test_weighted_method_with_every_weight_zero():
    spec = {"variables": {"x": {"upper": 10}},
            "goals": {"g": {"expr": "x", "at_least": 4, "weight": 0}, "h": {"expr": "x", "at_most": 1, "weight": 0}}}
    w = one(warnings_of(spec), "decided by nothing")
    assert w.startswith("the achievement function is decided by nothing: every goal and objective in it weighs 0 "
                        "(g and h)")


def test_a_long_list_of_zero_weights_is_cut_short():
    spec = {"sets": {"S": {"range": [1, 8]}}, "variables": {"x": {"index": "S", "upper": 1}, "y": {"upper": 1}},
            "goals": {"g": {"for": "s in S", "expr": "x[s]", "at_least": 1, "weight": 0},
                      "h": {"expr": "y", "at_least": 1}}}
    w = one(warnings_of(spec), "weigh 0")
    assert w.startswith("g[1], g[2], g[3], g[4], g[5] and 3 more weigh 0 in the achievement function")


def test_a_zero_weighted_objective_and_one_side_of_a_goal():
    spec = {"variables": {"x": {"upper": 10}},
            "goals": {"band": {"expr": "x", "equal": 5, "under": {"weight": 0}},
                      "most": {"maximize": "x", "weight": 0}}}
    w = one(warnings_of(spec), "weigh 0")
    assert w.startswith("band (its under-deviation) and most weigh 0")


def test_positive_weights_give_no_zero_weight_warning():
    spec = {**DEMAND, "params": {"wt": {"index": "D", "values": {"A": 1, "B": 1, "C": 1}}}}
    assert not any("weigh 0" in w or "decided by nothing" in w for w in warnings_of(spec))


# -- 2. goals the bounds decide in advance --------------------------------------------------------

def test_goals_decided_by_bounds_are_named():
    spec = {"variables": {"x": {"lower": 0, "upper": 10}, "y": {"lower": 0, "upper": 10},
                          "z": {"lower": 0}},
            "constraints": {"zcap": "2*z <= 6"},   # a hard row on one variable: z <= 3
            "goals": {"inside": {"expr": "x", "between": [0, 10]},
                      "beyond": {"expr": "y", "at_least": 11},
                      "over": {"expr": "z + 5", "at_most": 4},  # z + 5 >= 5 > 4: at best 1 over
                      "zfar": {"expr": "z", "at_least": 4.5},  # z <= 3: at best 1.5 short
                      "live": {"expr": "x + y", "at_least": 12}}}
    ws = warnings_of(spec)
    missed = one(ws, "can never be missed")
    assert missed.startswith("inside can never be missed")
    met = one(ws, "can never be met")
    assert met.startswith("beyond (the best is 1 short of 11), over (the best is 1 over 4) and zfar (the best is "
                          "1.5 short of 4.5) can never be met")
    assert "live" not in missed and "live" not in met


def test_an_indexed_goal_is_named_only_when_every_instance_is_decided():
    spec = {"sets": {"S": [1, 2]}, "variables": {"x": {"index": "S", "lower": 0, "upper": 10}},
            "params": {"floor": {"index": "S", "values": {1: 0, 2: 5}}},
            "goals": {"floor": {"for": "s in S", "expr": "x[s]", "at_least": "floor[s]"}}}
    assert not any("never" in w for w in warnings_of(spec))  # floor[1] is decided, floor[2] is not


def test_integer_bounds_are_rounded_for_decided_goals():
    spec = {"variables": {"n": {"type": "integer", "lower": 0}},
            "constraints": {"cap": "2*n <= 7"},  # n <= 3.5, so n <= 3 as an integer
            "goals": {"g": {"expr": "n", "at_least": 3.2}}}
    assert one(warnings_of(spec), "can never be met").startswith("g (the best is 0.2 short of 3.2)")


# -- 3. units mixed -------------------------------------------------------------------------------

CLOTHING = {
    "variables": {"pants": {"lower": 0}, "shirts": {"lower": 0}},
    "expressions": {"profit": {"expr": "10*pants + 3*shirts", "units": "dollars"},
                    "waste": {"expr": "1.5*pants + shirts", "units": "yards"}},
    "constraints": {"budget": "5*pants + shirts <= 50000"},
    "goals": {"profit": {"expr": "profit", "at_least": 150000, "units": "dollars"},
              "waste": {"expr": "waste", "at_most": 20000, "units": "Yards"}},
}


def test_a_weighted_sum_of_goals_in_different_units_is_warned():
    w = one(warnings_of(CLOTHING), "different units")
    assert w.startswith("the achievement function adds goals in different units with no normalisation: "
                        "profit in dollars and waste in Yards")


def test_normalised_or_same_units_give_no_units_warning():
    spec = {**CLOTHING, "solve": {"normalize": "percent"}}
    assert not any("different units" in w for w in warnings_of(spec))
    same = {**CLOTHING, "goals": {**CLOTHING["goals"], "waste": {**CLOTHING["goals"]["waste"], "units": "dollars "}}}
    assert not any("different units" in w for w in warnings_of(same))


def test_units_mixed_per_priority_level_only():
    spec = {**CLOTHING, "goals": {"profit": {**CLOTHING["goals"]["profit"], "priority": 1},
                                  "waste": {**CLOTHING["goals"]["waste"], "priority": 2}}}
    assert not any("different units" in w for w in warnings_of(spec))


def test_one_expression_adding_named_expressions_of_different_units(tmp_path):
    (tmp_path / "p.yaml").write_text(textwrap.dedent("""\
        variables:
          pants: {lower: 0}
          shirts: {lower: 0}
        expressions:
          profit: {expr: 10*pants + 3*shirts, units: dollars}
          waste: {expr: 1.5*pants + shirts, units: yards}
          km: {expr: pants, units: km}
          m: {expr: shirts, units: m}
          score: profit + waste
          distance: m_per_km*km + m
        params:
          m_per_km: {value: 1000, units: m/km}
        goals:
          g: {expr: score, at_least: 10}
        """))
    ws = goalprog.load(tmp_path / "p.yaml").solve().warnings
    w = one(ws, "declared in different units")
    assert w.startswith(f"{tmp_path / 'p.yaml'}:9:10: expressions.score: profit + waste adds profit (dollars) "
                        "and waste (yards)")
    assert "distance" not in w  # a product with a parameter converts: its units are not known


# -- 4. weights standing in for priorities ---------------------------------------------------------

def weights(w_big: float) -> dict:
    return {"variables": {"x": {"lower": 0, "upper": 10}, "y": {"lower": 0, "upper": 10}},
            "constraints": {"share": "x + y <= 10"},
            "goals": {"important": {"expr": "x", "at_least": 10, "weight": w_big},
                      "minor": {"expr": "y", "at_least": 10, "weight": 1}}}


def test_weights_a_factor_of_1000_apart_suggest_priorities():
    w = one(warnings_of(weights(10000)), "a factor of")
    assert w.startswith("the weights in the achievement function range from 1 (minor) to 10000 (important), "
                        "a factor of 10,000")
    assert "earlier priority level" in w


def test_weights_less_than_1000_apart_are_not_warned():
    assert not any("the weights in" in w for w in warnings_of(weights(999)))


# -- 5. coefficient ranges ---------------------------------------------------------------------------

def test_goal_rows_in_metres_beside_kilometres():
    # targets 2,000 m and 5 km are 400x apart (under the magnitude warning's 1000x) yet the rows'
    # coefficients are 1000 and 1
    spec = {"variables": {"a": {"lower": 0}, "b": {"lower": 0}},
            "constraints": {"c": "a + b <= 4"},
            "goals": {"dist_m": {"expr": "1000*a", "at_least": 2000}, "dist_km": {"expr": "b", "at_least": 5}}}
    ws = warnings_of(spec)
    w = one(ws, "coefficients of very different sizes")
    assert w.startswith("the goals of the achievement function have coefficients of very different sizes with no "
                        "normalisation (the sum of their absolute values): 1 in dist_km and 1000 in dist_m, a factor of 1,000")
    assert not any("do not compare" in x for x in ws)  # the targets' warning stays quiet here
    spec["solve"] = {"normalize": "summation"}
    assert not any("very different sizes" in x for x in warnings_of(spec))


def test_an_objective_with_coefficients_1e8_apart_is_named():
    spec = {"variables": {"x": {"lower": 0, "upper": 1}, "y": {"lower": 0, "upper": 1}},
            "goals": {"tiny": {"expr": "x", "at_least": 2, "weight": 1e-4, "priority": 1},
                      "big": {"expr": "y", "at_least": 2, "weight": 1e4, "priority": 1},
                      "after": {"expr": "x + y", "at_most": 3, "priority": 2}}}
    w = one(warnings_of(spec), "the objective of")
    assert w.startswith("the objective of priority level 1 has coefficients from 0.0001 (the under-deviation of "
                        "tiny) to 1e+04 (the under-deviation of big), a ratio of 1e+08")


def test_the_existing_constraint_range_warning_is_unchanged():
    spec = {"variables": {"x": {"lower": 0}, "y": {"lower": 0}},
            "constraints": {"c": "1e-4*x + 1000*y <= 5"},
            "goals": {"g": {"expr": "x + y", "at_least": 1}}}
    ws = warnings_of(spec)
    assert ws[0].startswith("constraint coefficients span 0.0001 to 1e+03 (a ratio of 1e+07)")


# -- 6. names that collide with labels ------------------------------------------------------------

def test_a_scalar_variable_named_like_an_instance_is_refused(tmp_path):
    (tmp_path / "p.yaml").write_text(textwrap.dedent("""\
        sets: {S: [1, 2]}
        variables:
          x: {index: S, lower: 0}
          "x[1]": {lower: 0}
        goals:
          g: {for: s in S, expr: 'x[s]', at_least: 3}
          "g[2]": {expr: 'x[2]', at_least: 3}
        """))
    with pytest.raises(ExpressionError) as info:
        goalprog.load(tmp_path / "p.yaml")
    text = str(info.value)
    f = tmp_path / "p.yaml"
    assert (f"{f}:4:3: variables.x[1]: the variable 'x[1]' and the variable 'x' (line 3) both give the label "
            "'x[1]'") in text
    assert f"{f}:7:3: goals.g[2]: the goal 'g[2]' and the goal 'g' (line 6) both give the label 'g[2]'" in text
    assert "rename 'x[1]' without brackets (e.g. 'x_1')" in text


def test_labels_collide_across_sets_parameters_expressions_and_constraints(tmp_path):
    (tmp_path / "p.yaml").write_text(textwrap.dedent("""\
        sets:
          S: [1, 2]
          "p[2]": [a]
        params:
          p: {index: S, values: [1, 2]}
        variables:
          x: {index: S}
        expressions:
          "x[2]": x[1] + 1
        constraints:
          c: {for: s in S, expr: 'x[s] <= 4'}
          "c[1]": x[1] <= 3
        goals:
          g: {for: s in S, expr: 'x[s]', at_least: 3}
        """))
    with pytest.raises(ExpressionError) as info:
        goalprog.load(tmp_path / "p.yaml")
    text = str(info.value)
    assert "5:3: params.p: the parameter 'p' and the set 'p[2]' (line 3) both give the label 'p[2]'" in text
    assert "9:3: expressions.x[2]: the named expression 'x[2]' and the variable 'x' (line 7)" in text
    assert "12:3: constraints.c[1]: the hard constraint 'c[1]' and the hard constraint 'c' (line 11)" in text


def test_a_goal_may_share_a_name_with_an_expression_and_brackets_of_no_label_pass():
    spec = {"sets": {"S": [1, 2]}, "variables": {"x": {"index": "S", "lower": 0}, "x[3]": {"lower": 0}},
            "expressions": {"total": "x[1] + x[2]"},
            "goals": {"total": {"expr": "total", "at_least": 3}}}
    assert goalprog.from_dict(spec).solve(backend="highs").status.value == "optimal"


def test_members_with_commas_that_print_alike_are_refused():
    spec = {"sets": {"P": [["a,b", "c"], ["a", "b,c"]]}, "variables": {"x": {"index": "P", "lower": 0}},
            "goals": {"g": {"expr": "sum(x[i, j] for (i, j) in P)", "at_least": 1}}}
    with pytest.raises(ExpressionError) as info:
        goalprog.from_dict(spec)
    assert ("the variable 'x' has two instances labelled 'x[a,b,c]': ('a,b', 'c') and ('a', 'b,c')"
            in str(info.value))


# -- 7. duplicate keys after normalisation ----------------------------------------------------------

def test_values_naming_one_member_twice_are_refused(tmp_path):
    (tmp_path / "p.yaml").write_text(textwrap.dedent("""\
        sets: {S: [1, 2]}
        params:
          p:
            index: S
            values: {1: 100, 2: 5, "1": 200}
        variables: {x: {index: S}}
        goals: {g: {for: s in S, expr: 'x[s]', at_least: 'p[s]'}}
        """))
    with pytest.raises(DataError) as info:
        goalprog.load(tmp_path / "p.yaml")
    text = str(info.value)
    assert (f"{tmp_path / 'p.yaml'}:5:28: params.p.values.1: the keys 1 (line 5) and '1' both name the member 1 "
            "of 'S'") in text


def test_values_of_a_tuple_set_naming_one_member_twice_are_refused():
    spec = {"sets": {"A": ["a"], "S": [1]}, "params": {"p": {"index": ["A", "S"], "values": {"a": {1: 1, "1": 2}}}},
            "variables": {"x": {"lower": 0}}, "goals": {"g": {"expr": "x", "at_least": 1}}}
    with pytest.raises(DataError) as info:
        goalprog.from_dict(spec)
    assert "the keys 1 and '1' both name the member 1 of 'S'" in str(info.value)


def test_set_members_written_the_same_way_are_refused():
    spec = {"sets": {"S": [1, "1"]}, "variables": {"x": {"index": "S"}},
            "goals": {"g": {"for": "s in S", "expr": "x[s]", "at_least": 1}}}
    with pytest.raises(DataError) as info:
        goalprog.from_dict(spec)
    assert "sets.S[1]: the members 1 and '1' are written the same way (1)" in str(info.value)


def test_the_plan_shows_the_order_broken_after_a_weighted_solve():
    # y = 1 needs x = 0 (x + 20000 y <= 20000): meeting 'important' costs 20,000 units of 'minor',
    # more than the weight ratio 10,000, so the weighted optimum is x = 20000, y = 0 (cost 10,000
    # against 20,000), while 'important' alone could be met (deviation 0)
    spec = {"variables": {"x": {"lower": 0}, "y": {"lower": 0}},
            "constraints": {"share": "x + 20000*y <= 20000"},
            "goals": {"important": {"expr": "y", "at_least": 1, "weight": 10000},
                      "minor": {"expr": "x", "at_least": 20000, "weight": 1}}}
    r = goalprog.from_dict(spec).solve(backend="highs")
    assert (r.value("x"), r.value("y")) == (pytest.approx(20000), pytest.approx(0, abs=1e-9))
    w = one(r.warnings, "did not keep the order")
    assert w.startswith("the weights did not keep the order: the weighted plan misses important (by 1), although the "
                        "goals weighted 1000 and more could reach a weighted deviation of 0 instead of 10000")
    assert "minor (weight 1)" in w
    # a ratio that does keep the order (meeting 'important' costs only 5,000 units of 'minor'): no warning
    spec["constraints"] = {"share": "x + 5000*y <= 20000"}
    r = goalprog.from_dict(spec).solve(backend="highs")
    assert r.value("y") == pytest.approx(1)
    assert not any("did not keep the order" in x for x in r.warnings)


def test_a_parameter_with_a_default_is_matched_member_by_member():
    # p over S x T with a default has the instance p[1,b,c] (members 1 and "b,c"), never enumerated
    spec = {"sets": {"S": {"range": [1, 2000]}, "T": ["a", "b,c"], "p[1,b,c]": ["z"], "p[3,d]": ["z"]},
            "params": {"p": {"index": ["S", "T"], "default": 1}},
            "variables": {"x": {"lower": 0}}, "goals": {"g": {"expr": "x", "at_least": 1}}}
    with pytest.raises(ExpressionError) as info:
        goalprog.from_dict(spec)
    text = str(info.value)
    assert "the parameter 'p' and the set 'p[1,b,c]'" in text or "the set 'p[1,b,c]' and the parameter 'p'" in text
    assert "p[3,d]" not in text  # d is not a member of T
