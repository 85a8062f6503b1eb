"""Issue 14, units mixed in one sum: a literal coefficient keeps the units of what it multiplies
(``a + 1*b``, ``2*a + b`` with a in dollars and b in yards are warned), a goal whose declared
``units:`` differ from its expression's is warned, and a level's weighted sum compares goals by
the units of their expressions where they declare none.

The units are declared in each file; which pairs mix is read off the text by hand.
"""

from __future__ import annotations

import textwrap

import pytest

import goalprog


def warnings_of(tmp_path, text: str, **kw) -> list[str]:
    (tmp_path / "p.yaml").write_text(textwrap.dedent(text))
    return list(goalprog.load(tmp_path / "p.yaml").solve(backend="highs", **kw).warnings)


HEAD = """\
    variables:
      pants: {lower: 0, upper: 100}
      shirts: {lower: 0, upper: 100}
    expressions:
      profit: {expr: 10*pants + 3*shirts, units: dollars}
      waste: {expr: 1.5*pants + shirts, units: yards}
"""


@pytest.mark.parametrize("expr,op", [("profit + 1*waste", "adds"), ("2*profit + waste", "adds"),
                                     ("profit/2 - waste*3", "subtracts"), ("-(3*profit) + 0.5*waste", "adds"),
                                     ("sum(2*profit for i in I) + waste", "adds")])
def test_a_numeric_coefficient_keeps_the_units(tmp_path, expr, op):
    ws = warnings_of(tmp_path, HEAD + f"""\
      mix: {expr}
    sets:
      I: [1, 2]
    goals:
      g: {{expr: mix, at_least: 1}}
    """)
    hits = [w for w in ws if "declared in different units" in w]
    assert len(hits) == 1, ws
    assert f"expressions.mix: {expr} {op} profit (dollars) and waste (yards)" in hits[0]


def test_a_conversion_by_a_parameter_or_one_unit_throughout_is_not_warned(tmp_path):
    ws = warnings_of(tmp_path, HEAD + """\
      same: 2*profit + 3*profit
      converted: dollars_per_yard * waste + profit
    params:
      dollars_per_yard: {value: 4, units: dollars/yard}
    goals:
      g: {expr: same + converted, at_least: 1}
    """)
    assert not any("units" in w for w in ws), ws


def test_a_goal_whose_declared_units_differ_from_its_expression(tmp_path):
    ws = warnings_of(tmp_path, HEAD + """\
    goals:
      g: {expr: 2*waste, at_least: 10, units: dollars}
    """)
    hits = [w for w in ws if "declares units" in w]
    assert len(hits) == 1, ws
    assert hits[0].startswith(f"{tmp_path / 'p.yaml'}:8:43: goal g declares units: dollars, but its expression "
                              "2*waste is in yards (from waste)")


def test_a_goal_whose_units_match_its_expression_is_not_warned(tmp_path):
    ws = warnings_of(tmp_path, HEAD + """\
    goals:
      g: {expr: 2*waste + shirts, at_least: 10, units: " Yards"}
    """)
    assert not any("units" in w for w in ws), ws


def test_a_level_compares_goals_by_their_expressions_units(tmp_path):
    # neither goal declares units:, their expressions do (dollars, yards): one weighted sum adds them
    text = HEAD + """\
    goals:
      profit_goal: {expr: 3*profit, at_least: 150}
      waste_goal: {expr: waste, at_most: 20}
    """
    ws = warnings_of(tmp_path, text)
    hits = [w for w in ws if "different units with no normalisation" in w]
    assert len(hits) == 1, ws
    assert hits[0].startswith("the achievement function adds goals in different units with no normalisation: "
                              "profit_goal in dollars and waste_goal in yards")
    # normalised, or at different priority levels: nothing to warn
    normalised = text.replace("    goals:", "    solve: {normalize: percent}\n    goals:")
    assert not any("no normalisation" in w for w in warnings_of(tmp_path, normalised))
    split = text.replace("at_least: 150}", "at_least: 150, priority: 1}").replace("at_most: 20}",
                                                                                  "at_most: 20, priority: 2}")
    assert not any("no normalisation" in w for w in warnings_of(tmp_path, split))


def test_a_price_times_a_variable_in_pieces_is_not_a_units_mismatch(tmp_path):
    # variables in pieces, a goal in dollars written with plain prices: the numbers are rates
    # (dollars per piece), not weights, so the goal's units are not compared with the pieces
    ws = warnings_of(tmp_path, """\
    variables:
      pants: {lower: 0, upper: 100, units: pieces}
      shirts: {lower: 0, upper: 100, units: pieces}
    goals:
      profit: {expr: 10*pants + 3*shirts, at_least: 500, units: dollars}
      count: {expr: pants + shirts, at_most: 120, units: dollars}
    """)
    hits = [w for w in ws if "declares units" in w]
    assert len(hits) == 1 and hits[0].split("declares units")[0].endswith("goal count "), ws
