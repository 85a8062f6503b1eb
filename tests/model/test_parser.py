"""Expressions: parse errors with carets, non-linear terms, unknown names, constants moved to the
target, backtick and unicode names, division by parameters.

Expected lines, columns and caret positions are computed from the text the test writes.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import goalprog
from goalprog.core.errors import ExpressionError, GoalProgError
from goalprog.model.expr.parser import parse


# -- helpers --------------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "problem.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def pos(text: str, needle: str, occurrence: int = 1) -> tuple[int, int]:
    """1-based (line, col) of the ``occurrence``-th ``needle`` in ``text``."""
    seen = 0
    for lineno, line in enumerate(text.splitlines(), 1):
        start = 0
        while True:
            i = line.find(needle, start)
            if i < 0:
                break
            seen += 1
            if seen == occurrence:
                return lineno, i + 1
            start = i + 1
    raise AssertionError(f"{needle!r} not found in the test text")


def expr_error(path: Path) -> ExpressionError:
    with pytest.raises(ExpressionError) as info:
        goalprog.load(path)
    exc = info.value
    assert len(exc.issues) == 1, exc.format()
    return exc


def caret_lines(issue) -> tuple[str, str]:
    """The source line and the caret line of a formatted issue (after the header line)."""
    lines = issue.format().splitlines()
    return lines[1], lines[2]


def assert_caret(issue, expr_text: str, target: str) -> None:
    """The formatted issue shows ``expr_text`` and underlines exactly ``target`` in it."""
    src, carets = caret_lines(issue)
    assert src == "    " + expr_text
    start = expr_text.index(target)
    assert carets == "    " + " " * start + "^" * len(target), "\n" + src + "\n" + carets


def assert_at(issue, path: Path, line: int, col: int) -> None:
    assert (issue.location.line, issue.location.col) == (line, col), issue.format()
    assert issue.format().startswith(f"{path}:{line}:{col}:")


VARS = (
    "variables:\n"
    "  x: {}\n"
    "  y: {}\n"
    "  pants: {}\n"
)


# =================================================================================================
# syntax
# =================================================================================================


def test_number_glued_to_name(tmp_path):
    text = VARS + "goals:\n  g: {expr: 3x + y, at_least: 1}\n"
    path = write(tmp_path, text)
    issue = expr_error(path).issues[0]
    assert_at(issue, path, *pos(text, "3x"))
    assert issue.location.key_path == "goals.g.expr"
    assert_caret(issue, "3x + y", "3x")
    assert "3*x" in issue.hint


def test_number_glued_to_name_parse_api():
    with pytest.raises(ExpressionError) as info:
        parse("10*pants + 3shirts")
    issue = info.value.issues[0]
    start = "10*pants + 3shirts".index("3shirts")
    assert issue.span == (start, start + len("3shirts"))


def test_equals_instead_of_double_equals_in_constraint(tmp_path):
    text = VARS + "constraints:\n  c: x + y = 5\ngoals:\n  g: {expr: x, at_least: 1}\n"
    path = write(tmp_path, text)
    issue = expr_error(path).issues[0]
    assert_at(issue, path, *pos(text, "= 5"))
    assert issue.location.key_path == "constraints.c"
    assert_caret(issue, "x + y = 5", "=")
    assert "==" in issue.hint


def test_constraint_without_comparison(tmp_path):
    text = VARS + "constraints:\n  c: {expr: x + y}\ngoals:\n  g: {expr: x, at_least: 1}\n"
    path = write(tmp_path, text)
    issue = expr_error(path).issues[0]
    assert_at(issue, path, *pos(text, "x + y}"))
    assert issue.location.key_path == "constraints.c.expr"
    assert "comparison" in issue.message
    assert_caret(issue, "x + y", "x + y")


@pytest.mark.parametrize("expr", ["(x + y)²", "٣*x"], ids=["superscript-two", "arabic-indic-digit"])
def test_unicode_digit_is_a_clean_expression_error(tmp_path, expr):
    text = VARS + f"goals:\n  g: {{expr: '{expr}', at_least: 1}}\n"
    path = write(tmp_path, text)
    try:
        goalprog.load(path)
    except ExpressionError as exc:
        issue = exc.issues[0]
        bad = next(ch for ch in expr if ch in "²٣")
        assert_at(issue, path, *pos(text, bad))
        return
    except GoalProgError as exc:  # pragma: no cover - wrong class
        pytest.fail(f"expected ExpressionError, got {type(exc).__name__}: {exc}")
    pytest.fail("the expression was accepted")


# =================================================================================================
# non-linear terms
# =================================================================================================


def test_product_of_variables_caret_covers_product(tmp_path):
    text = VARS + "goals:\n  g: {expr: 2 + x*y, at_least: 1}\n"
    path = write(tmp_path, text)
    issue = expr_error(path).issues[0]
    assert_at(issue, path, *pos(text, "x*y"))
    assert "linear" in issue.message
    assert_caret(issue, "2 + x*y", "x*y")


def test_product_of_variables_in_quoted_scalar(tmp_path):
    text = VARS + "goals:\n  g: {expr: \"2 + x*y\", at_least: 1}\n"
    path = write(tmp_path, text)
    issue = expr_error(path).issues[0]
    # the column is that of x inside the quotes, not of the opening quote
    assert_at(issue, path, *pos(text, "x*y"))
    assert_caret(issue, "2 + x*y", "x*y")


def test_product_of_parenthesised_sums_caret(tmp_path):
    text = VARS + "goals:\n  g: {expr: '3 + (x + 1)*(y + 1)', at_least: 1}\n"
    path = write(tmp_path, text)
    issue = expr_error(path).issues[0]
    assert "linear" in issue.message
    assert_caret(issue, "3 + (x + 1)*(y + 1)", "(x + 1)*(y + 1)")
    assert_at(issue, path, *pos(text, "(x + 1)"))


@pytest.mark.parametrize("style", ["plain", "folded", "literal"])
def test_product_in_multiline_expression_is_located(tmp_path, style):
    head = VARS + "goals:\n  g:\n"
    if style == "plain":
        body = "    expr: 2*x + 3*y\n      + x*y\n"
    elif style == "folded":
        body = "    expr: >-\n      2*x + 3*y\n      + x*y\n"
    else:
        body = "    expr: |\n      2*x + 3*y\n      + x*y\n"
    text = head + body + "    at_least: 1\n"
    path = write(tmp_path, text)
    issue = expr_error(path).issues[0]
    assert "linear" in issue.message
    # x*y is on the last line of the scalar
    assert_at(issue, path, *pos(text, "x*y"))


def test_division_by_variable(tmp_path):
    text = VARS + "goals:\n  g: {expr: x/y, at_least: 1}\n"
    path = write(tmp_path, text)
    issue = expr_error(path).issues[0]
    assert "division" in issue.message and "linear" in issue.message
    line, col_x = pos(text, "x/y")
    # located inside x/y, and the caret underlines the divisor y
    assert issue.location.line == line
    assert col_x <= issue.location.col <= col_x + 2
    src, carets = caret_lines(issue)
    assert src == "    x/y"
    underlined = {i - 4 for i, c in enumerate(carets) if c == "^"}
    assert 2 in underlined and underlined <= {0, 1, 2}


# =================================================================================================
# names
# =================================================================================================


def test_unknown_name_did_you_mean(tmp_path):
    text = VARS + "goals:\n  g: {expr: 2*pnts, at_least: 1}\n"
    path = write(tmp_path, text)
    issue = expr_error(path).issues[0]
    assert_at(issue, path, *pos(text, "pnts"))
    assert "'pnts'" in issue.message
    assert "did you mean 'pants'" in issue.format()
    assert_caret(issue, "2*pnts", "pnts")


def test_backtick_names(tmp_path):
    text = (
        "variables:\n"
        "  total cost: {upper: 10}\n"
        "  x: {}\n"
        "expressions:\n"
        "  cost3: 3*`total cost`\n"
        "goals:\n"
        "  g: {expr: '`total cost` + cost3 + x', at_least: 1}\n"
    )
    model = goalprog.load(write(tmp_path, text)).model
    names = [o.name for o in model.col_origin]
    tc, x = names.index("total cost"), names.index("x")
    (goal,) = model.goals
    coefs = dict(zip(goal.expr.indices.tolist(), goal.expr.coefs.tolist()))
    assert coefs == {tc: 4.0, x: 1.0}  # 1 + 3 from cost3
    assert goal.expr.constant == 0.0


def test_unicode_names(tmp_path):
    text = (
        "variables:\n"
        "  größe: {}\n"
        "  产量: {}\n"
        "  α: {}\n"
        "goals:\n"
        "  g: {expr: 2*größe + 3*产量 - α, at_least: 1}\n"
    )
    model = goalprog.load(write(tmp_path, text)).model
    names = [o.name for o in model.col_origin]
    (goal,) = model.goals
    coefs = {names[j]: c for j, c in zip(goal.expr.indices.tolist(), goal.expr.coefs.tolist())}
    assert coefs == {"größe": 2.0, "产量": 3.0, "α": -1.0}


def test_unicode_unknown_name_is_located(tmp_path):
    text = (
        "variables:\n"
        "  größe: {}\n"
        "goals:\n"
        "  g: {expr: 2*gröse, at_least: 1}\n"
    )
    path = write(tmp_path, text)
    issue = expr_error(path).issues[0]
    assert_at(issue, path, *pos(text, "gröse"))
    assert "did you mean 'größe'" in issue.format()


def test_division_by_parameter(tmp_path):
    text = (
        "params:\n"
        "  k: 4\n"
        "variables:\n"
        "  x: {}\n"
        "  y: {}\n"
        "goals:\n"
        "  g: {expr: x / k + y / (2*k) + 6 / k, at_least: 1}\n"
    )
    model = goalprog.load(write(tmp_path, text)).model
    names = [o.name for o in model.col_origin]
    (goal,) = model.goals
    coefs = {names[j]: c for j, c in zip(goal.expr.indices.tolist(), goal.expr.coefs.tolist())}
    assert coefs == {"x": 0.25, "y": 0.125}
    assert goal.expr.constant == 1.5
    # the constant 6/k = 1.5 moves to the target: row lower = 1 - 1.5
    assert model.row_lower[goal.row] == -0.5


def test_division_by_zero_parameter(tmp_path):
    text = (
        "params:\n"
        "  k: 0\n"
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g: {expr: x / k, at_least: 1}\n"
    )
    path = write(tmp_path, text)
    issue = expr_error(path).issues[0]
    assert "zero" in issue.message
    assert_at(issue, path, *pos(text, "k,"))


# =================================================================================================
# constants in goal expressions
# =================================================================================================

CONST_GOAL = (
    "variables:\n"
    "  x1: {upper: 1}\n"
    "  x2: {upper: 1}\n"
    "  x3: {upper: 2}\n"
    "goals:\n"
    "  g: {expr: 2*x1 + 3*x2 - 5 + x3, at_least: 10}\n"
    "solve: {method: weighted}\n"
)


def test_goal_constant_moves_to_row_bound(tmp_path):
    model = goalprog.load(write(tmp_path, CONST_GOAL)).model
    (goal,) = model.goals
    # 2*x1 + 3*x2 - 5 + x3 >= 10  <=>  2*x1 + 3*x2 + x3 + n >= 15
    assert model.row_lower[goal.row] == 15.0
    assert model.row_upper[goal.row] == math.inf
    assert goal.lower == 10.0 and goal.upper == math.inf  # the user's target is kept
    assert goal.expr.constant == -5.0
    names = [o.name for o in model.col_origin]
    coefs = {names[j]: c for j, c in zip(goal.expr.indices.tolist(), goal.expr.coefs.tolist())}
    assert coefs == {"x1": 2.0, "x2": 3.0, "x3": 1.0}


def test_goal_constant_included_in_reported_value(tmp_path):
    # By hand: 2*x1 + 3*x2 + x3 is at most 2 + 3 + 2 = 7 (all at their upper bounds), so the best
    # plan is x = (1, 1, 2); the goal value is 7 - 5 = 2 and the under-achievement 10 - 2 = 8.
    result = goalprog.load(write(tmp_path, CONST_GOAL)).solve()
    assert result.status == goalprog.Status.OPTIMAL
    values = dict(zip(result.variables["variable"], result.variables["value"]))
    assert values == pytest.approx({"x1": 1.0, "x2": 1.0, "x3": 2.0}, abs=1e-7)
    row = result.goals.iloc[0]
    assert row["value"] == pytest.approx(2.0, abs=1e-7)
    assert row["under"] == pytest.approx(8.0, abs=1e-7)
    assert row["over"] == pytest.approx(0.0, abs=1e-7)
    assert not row["met"]
    assert result.objective == pytest.approx(8.0, abs=1e-7)
