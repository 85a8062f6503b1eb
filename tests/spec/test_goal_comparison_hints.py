"""A comparison written in a goal's expr (new-user trial): the hint must lead to a file that
loads.  A right side that is not a constant becomes the difference with target 0; a goal that
already has its target is told to remove the comparison; the error points at the expression."""

from __future__ import annotations

import textwrap

import pytest

import goalprog
from goalprog.core.errors import GoalProgError

HEAD = textwrap.dedent("""\
    params:
      budget: 5
    variables:
      x: {lower: 0, upper: 10}
      y: {lower: 0, upper: 10}
    expressions:
      tot: x + y
    goals:
""")


def _issue(tmp_path, goal_lines):
    f = tmp_path / "p.yaml"
    f.write_text(HEAD + textwrap.indent(textwrap.dedent(goal_lines), "  "))
    with pytest.raises(GoalProgError) as exc:
        goalprog.load(f)
    (issue,) = exc.value.issues
    return issue, f


@pytest.mark.parametrize("expr, written", [
    ("x == y", "write 'expr: x - y' and 'equal: 0' (a target must be a constant, and y depends on the decision "
               "variables)"),
    ("x >= tot + 1", "write 'expr: x - (tot + 1)' and 'at_least: 0'"),
    ("2*x <= y", "write 'expr: 2*x - y' and 'at_most: 0'"),
    ("x == budget", "write 'expr: x' and 'equal: budget'"),      # a parameter is a constant target
    ("x >= 6", "write 'expr: x' and 'at_least: 6'"),
])
def test_the_hint_for_a_comparison_in_expr(tmp_path, expr, written):
    issue, _ = _issue(tmp_path, f"g:\n  expr: {expr}\n  priority: 1\n")
    assert f"a goal's expr is the quantity, not a comparison: {written}" in issue.message
    assert issue.location.key_path == "goals.g.expr"


def test_following_the_difference_hint_loads_and_solves(tmp_path):
    # x == y as the goal x - y, equal: 0, next to x >= 4 at a lower priority: x = y is met and x >= 4 too
    f = tmp_path / "p.yaml"
    f.write_text(HEAD + "  g: {expr: x - y, equal: 0, priority: 1}\n  h: {expr: x, at_least: 4, priority: 2}\n")
    res = goalprog.load(f).solve(backend="highs")
    assert abs(res.value("x") - res.value("y")) < 1e-9 and res.value("x") >= 4 - 1e-9


def test_a_comparison_next_to_a_target_says_remove_it(tmp_path):
    issue, _ = _issue(tmp_path, "g1:\n  expr: x <= 4\n  at_most: 1\n")
    assert issue.location.key_path == "goals.g1.expr"
    assert issue.message == ("a goal's expr is the quantity, not a comparison, and this goal already has its target "
                             "(at_most: 1): remove the comparison: 'expr: x'")
    assert "only allowed at the top of a constraint" not in issue.message


def test_a_chained_comparison_next_to_a_target_is_said_for_the_goal(tmp_path):
    issue, _ = _issue(tmp_path, "g1:\n  expr: 0 <= x <= 4\n  at_most: 1\n")
    assert issue.location.key_path == "goals.g1.expr"
    assert issue.message == "a goal's expr is the quantity, not a comparison"
    assert issue.hint == "remove the comparison and keep the quantity; this goal's target is 'at_most: 1'"


def test_the_column_is_the_expression_in_a_flow_map(tmp_path):
    line = "g1: {expr: x + 2*y >= 16, priority: 1}"
    issue, _ = _issue(tmp_path, line + "\n")
    assert issue.location.line == HEAD.count("\n") + 1
    assert issue.location.col == len("  ") + line.index("x + 2*y") + 1
