"""Error reporting of goalprog: YAML level, schema level, collected errors and the CLI.

Every expected line/column here is computed from the YAML text written by the test itself
(see :func:`pos`), never copied from what goalprog prints.
"""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main as cli_main
from goalprog.core.errors import ExpressionError, GoalProgError, SchemaError, YamlError
from goalprog.spec.loader import load_yaml_text
from tests.helpers import ROOT

GOALPROG_BIN = Path(sys.executable).with_name("goalprog")


# -- helpers --------------------------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "problem.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def pos(text: str, needle: str, occurrence: int = 1, line_hint: str | None = None) -> tuple[int, int]:
    """1-based (line, col) of the ``occurrence``-th ``needle`` in ``text``.

    With ``line_hint``, only lines containing ``line_hint`` are searched.
    """
    seen = 0
    for lineno, line in enumerate(text.splitlines(), 1):
        if line_hint is not None and line_hint not in line:
            continue
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


def load_error(path: Path, exc_type: type[GoalProgError]) -> GoalProgError:
    with pytest.raises(exc_type) as info:
        goalprog.load(path)
    return info.value


def only_issue(exc: GoalProgError):
    assert len(exc.issues) == 1, exc.format()
    return exc.issues[0]


def assert_at(issue, path: Path, line: int, col: int) -> None:
    assert (issue.location.line, issue.location.col) == (line, col), issue.format()
    assert issue.location.file == str(path)
    assert issue.format().startswith(f"{path}:{line}:{col}:")


# =================================================================================================
# YAML level
# =================================================================================================


def test_duplicate_key_names_both_lines(tmp_path):
    text = (
        "variables:\n"
        "  pants: {lower: 0}\n"
        "  shirts: {lower: 0}\n"
        "  pants: {lower: 5}\n"
        "goals:\n"
        "  g: {expr: pants + shirts, at_least: 1}\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, YamlError))
    first_line, _ = pos(text, "pants:", 1)
    dup_line, dup_col = pos(text, "pants:", 2)
    assert (first_line, dup_line) == (2, 4)
    # the error is placed at the second occurrence and names the first
    assert_at(issue, path, dup_line, dup_col)
    assert "duplicate" in issue.message
    assert "'pants'" in issue.message
    assert f"line {first_line}" in issue.message


def test_tab_indentation_is_located(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g:\n"
        "  \texpr: x\n"  # two spaces then a tab
        "    at_least: 1\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, YamlError))
    line, col = pos(text, "\t")
    assert (line, col) == (5, 3)
    assert_at(issue, path, line, col)
    assert "tab" in issue.message


def test_yaml_syntax_error_is_located(tmp_path):
    # "name: a: b" -- a second ': ' on a line is not allowed in a plain block mapping value
    text = (
        "variables:\n"
        "  x: {}\n"
        "name: clothing: factory\n"
        "goals:\n"
        "  g: {expr: x, at_least: 1}\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, YamlError))
    line, col = pos(text, ": factory")  # the offending second colon
    assert (line, col) == (3, 15)
    assert_at(issue, path, line, col)
    assert "syntax" in issue.message.lower()
    assert "Traceback" not in issue.format()


def test_yaml_unclosed_flow_sequence_is_located(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g: {expr: x, between: [1, 2}\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, YamlError))
    # the parser notices the problem at the '}' that should have been ']'
    line, col = pos(text, "2}")
    assert_at(issue, path, line, col + 1)
    assert "syntax" in issue.message.lower()


@pytest.mark.parametrize("word", ["NO", "on"])
def test_boolean_looking_variable_name_must_be_quoted(tmp_path, word):
    text = (
        "variables:\n"
        "  x: {}\n"
        f"  {word}: {{}}\n"
        "goals:\n"
        "  g: {expr: x, at_least: 1}\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, YamlError))
    line, col = pos(text, f"{word}:")
    assert (line, col) == (3, 3)
    assert_at(issue, path, line, col)
    formatted = issue.format()
    assert repr(word) in issue.message
    assert "boolean" in issue.message
    assert "quote" in formatted
    assert f'"{word}"' in formatted


def test_quoted_boolean_looking_variable_name_is_accepted(tmp_path):
    text = (
        "variables:\n"
        "  \"NO\": {upper: 3}\n"
        "goals:\n"
        "  g: {expr: 2*NO, at_least: 1}\n"
    )
    problem = goalprog.load(write(tmp_path, text))
    assert "NO" in problem.model.variable_names


def test_octal_looking_number_is_an_error(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g: {expr: x, at_least: 010}\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, YamlError))
    line, col = pos(text, "010")
    assert_at(issue, path, line, col)
    assert "'010'" in issue.message
    assert "octal" in issue.message
    assert issue.hint is not None and "10" in issue.hint


def test_number_forms_load_with_their_values():
    doc = load_yaml_text(
        "a: 1e5\n"
        "b: 1.5e-6\n"
        "c: 2.5E+4\n"
        "d: 1_000\n"
        "e: -3\n"
        "f: .5\n"
    )
    data = doc.data
    expected = {"a": 100000.0, "b": 0.0000015, "c": 25000.0, "d": 1000, "e": -3, "f": 0.5}
    assert data == expected
    for k in ("a", "b", "c", "f"):
        assert type(data[k]) is float, k
    for k in ("d", "e"):
        assert type(data[k]) is int, k


def test_scientific_and_underscore_numbers_reach_the_model(tmp_path):
    text = (
        "variables:\n"
        "  x: {upper: 1_000}\n"
        "goals:\n"
        "  a: {expr: x, at_least: 1.5e5}\n"
        "  b: {expr: x, at_most: 1.5e-6}\n"
        "  c: {expr: x, at_least: 2.5E+4}\n"
        "  d: {expr: x, at_least: 1e5}\n"
        "  e: {expr: x, at_least: 1_000}\n"
    )
    model = goalprog.load(write(tmp_path, text)).model
    goals = {g.origin.name: g for g in model.goals}
    assert goals["a"].lower == 150000.0 and goals["a"].upper == math.inf
    assert goals["b"].upper == 0.0000015 and goals["b"].lower == -math.inf
    assert goals["c"].lower == 25000.0
    assert goals["d"].lower == 100000.0
    assert goals["e"].lower == 1000.0
    j = model.variable_names.index("x")
    assert model.col_upper[j] == 1000.0


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"], ids=["empty", "comment-only", "blank-lines"])
def test_empty_file(tmp_path, text):
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, YamlError))
    assert issue.location.file == str(path)
    assert "empty" in issue.message


def test_missing_file_is_a_yaml_error_without_traceback(tmp_path):
    path = tmp_path / "no_such_problem.yaml"
    issue = only_issue(load_error(path, YamlError))
    assert str(path) in issue.message
    assert "no such file" in issue.message
    assert "Traceback" not in issue.format()


def test_tab_inside_block_scalar_text_is_not_indentation(tmp_path):
    text = (
        "description: |\n"
        "  Columns:\n"
        "  \tprofit and waste\n"  # content line: 2-space indentation, then a tab that is *text*
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g: {expr: x, at_least: 1}\n"
    )
    problem = goalprog.load(write(tmp_path, text))
    assert problem.spec.description == "Columns:\n\tprofit and waste\n"


# =================================================================================================
# Schema level
# =================================================================================================


def test_unknown_goal_key_did_you_mean(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g:\n"
        "    expr: x\n"
        "    at_least: 10\n"
        "    weigth: 2\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, SchemaError))
    line, col = pos(text, "weigth")
    assert (line, col) == (7, 5)
    assert_at(issue, path, line, col)
    assert issue.location.key_path == "goals.g.weigth"
    assert "'weigth'" in issue.message
    assert "did you mean 'weight'" in issue.format()


def test_unknown_goal_key_in_flow_mapping_is_located(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g: {expr: x, at_least: 10, weigth: 2}\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, SchemaError))
    assert_at(issue, path, *pos(text, "weigth"))
    assert "did you mean 'weight'" in issue.format()


def test_missing_goals_section(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "constraints:\n"
        "  c: x <= 4\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, SchemaError))
    assert "'goals'" in issue.message
    assert "missing" in issue.message
    assert issue.location.file == str(path)


def test_goal_with_two_sides(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g: {expr: x, at_least: 1, at_most: 5}\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, SchemaError))
    assert issue.location.key_path == "goals.g"
    assert issue.location.line == pos(text, "g:")[0]
    assert "exactly one" in issue.message
    assert "at_least" in issue.message and "at_most" in issue.message


def test_goal_without_side(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g:\n"
        "    expr: x\n"
        "    weight: 2\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, SchemaError))
    assert issue.location.key_path == "goals.g"
    # the goal g occupies lines 4..6
    assert pos(text, "g:")[0] <= issue.location.line <= pos(text, "weight")[0]
    for side in ("at_least", "at_most", "equal", "between"):
        assert side in issue.message


def test_target_text_that_is_not_an_expression(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g:\n"
        "    expr: x\n"
        "    at_least: abc\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, ExpressionError))
    line, col = pos(text, "abc")
    assert_at(issue, path, line, col)
    assert issue.location.key_path == "goals.g.at_least"
    assert "'abc'" in issue.message


def test_target_text_with_syntax_error_is_located(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g:\n"
        "    expr: x\n"
        "    at_least: 1500 $\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, ExpressionError))
    assert_at(issue, path, *pos(text, "$"))
    assert issue.location.key_path == "goals.g.at_least"


def test_between_with_one_value(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g:\n"
        "    expr: x\n"
        "    between: [10]\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, SchemaError))
    assert_at(issue, path, *pos(text, "[10]"))
    assert issue.location.key_path == "goals.g.between"
    assert "two values" in issue.message


def test_over_on_an_at_least_goal(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g:\n"
        "    expr: x\n"
        "    at_least: 10\n"
        "    over: {weight: 2}\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, SchemaError))
    assert issue.location.key_path == "goals.g"
    assert pos(text, "g:")[0] <= issue.location.line <= pos(text, "over:")[0]
    assert "'over'" in issue.message
    assert "at_least" in issue.message


@pytest.mark.parametrize("prio", ["-1", "0"])
def test_non_positive_priority(tmp_path, prio):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g:\n"
        "    expr: x\n"
        "    at_least: 10\n"
        f"    priority: {prio}\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, SchemaError))
    assert_at(issue, path, *pos(text, prio, line_hint="priority"))
    assert issue.location.key_path == "goals.g.priority"
    assert "1" in issue.message


def test_unknown_solve_method_did_you_mean(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g: {expr: x, at_least: 10}\n"
        "solve:\n"
        "  method: premptive\n"
    )
    path = write(tmp_path, text)
    issue = only_issue(load_error(path, SchemaError))
    assert_at(issue, path, *pos(text, "premptive"))
    assert issue.location.key_path == "solve.method"
    assert "'premptive'" in issue.message
    assert "did you mean 'preemptive'" in issue.format()


def test_unknown_key_in_constraint_mapping_is_one_issue(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "constraints:\n"
        "  cap: {exprr: x <= 4}\n"
        "goals:\n"
        "  g: {expr: x, at_least: 1}\n"
    )
    path = write(tmp_path, text)
    exc = load_error(path, SchemaError)
    issue = only_issue(exc)
    assert_at(issue, path, *pos(text, "exprr"))
    assert "did you mean 'expr'" in issue.format()
    assert "expected text" not in exc.format()


# =================================================================================================
# Collected errors
# =================================================================================================


def test_three_expression_mistakes_reported_together(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "  y: {}\n"
        "constraints:\n"
        "  c: x + y = 5\n"
        "goals:\n"
        "  g: {expr: x*y, at_least: 1}\n"
        "  h: {expr: 2*z, at_most: 4}\n"
    )
    path = write(tmp_path, text)
    exc = load_error(path, ExpressionError)
    assert len(exc.issues) == 3, exc.format()
    where = sorted((i.location.line, i.location.col) for i in exc.issues)
    assert where == sorted([pos(text, "= 5"), pos(text, "x*y"), pos(text, "z,")])
    formatted = exc.format()
    assert "'='" in formatted and "linear" in formatted and "'z'" in formatted


def test_three_schema_mistakes_reported_together(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "goals:\n"
        "  g:\n"
        "    expr: x\n"
        "    at_least: 10\n"
        "    weigth: 2\n"
        "  h:\n"
        "    expr: x\n"
        "    at_most: 20\n"
        "    priority: -1\n"
        "solve:\n"
        "  method: weigthed\n"
    )
    path = write(tmp_path, text)
    exc = load_error(path, SchemaError)
    assert len(exc.issues) == 3, exc.format()
    where = sorted((i.location.line, i.location.col) for i in exc.issues)
    assert where == sorted([pos(text, "weigth:"), pos(text, "-1"), pos(text, "weigthed")])


def test_broken_named_expression_is_reported_once(tmp_path):
    text = (
        "variables:\n"
        "  x: {}\n"
        "  y: {}\n"
        "expressions:\n"
        "  profit: 3x + y\n"
        "goals:\n"
        "  g: {expr: profit, at_least: 1}\n"
        "  h: {expr: 2*profit, at_most: 5}\n"
    )
    path = write(tmp_path, text)
    exc = load_error(path, ExpressionError)
    # one mistake (3x) -> one issue, not follow-up "unknown name 'profit'" errors
    assert len(exc.issues) == 1, exc.format()
    assert_at(exc.issues[0], path, *pos(text, "3x"))
    assert "unknown name" not in exc.format()


# =================================================================================================
# CLI
# =================================================================================================

BAD_FOR_CLI = (
    "variables:\n"
    "  pants: {}\n"
    "goals:\n"
    "  g: {expr: 2*pnts, at_least: 1}\n"
)

GOOD_FOR_CLI = (
    "variables:\n"
    "  pants: {upper: 10}\n"
    "constraints:\n"
    "  cap: pants <= 8\n"
    "goals:\n"
    "  g: {expr: 2*pants, at_least: 1}\n"
)


def test_cli_validate_bad_file_exit_3_subprocess(tmp_path):
    path = write(tmp_path, BAD_FOR_CLI)
    proc = subprocess.run([str(GOALPROG_BIN), "validate", str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3, proc.stderr
    line, col = pos(BAD_FOR_CLI, "pnts")
    assert f"{path}:{line}:{col}:" in proc.stderr
    assert "did you mean 'pants'" in proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


def test_cli_validate_bad_file_exit_3_clirunner(tmp_path):
    path = write(tmp_path, BAD_FOR_CLI)
    result = CliRunner().invoke(cli_main, ["validate", str(path)])
    assert result.exit_code == 3, result.output
    line, col = pos(BAD_FOR_CLI, "pnts")
    assert f"{path}:{line}:{col}:" in result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_validate_yaml_error_exit_3(tmp_path):
    text = "variables:\n\tx: {}\ngoals:\n  g: {expr: x, at_least: 1}\n"
    path = write(tmp_path, text)
    proc = subprocess.run([str(GOALPROG_BIN), "validate", str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert f"{path}:2:1:" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_validate_missing_file_exit_3(tmp_path):
    path = tmp_path / "absent.yaml"
    proc = subprocess.run([str(GOALPROG_BIN), "validate", str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 3
    assert str(path) in proc.stderr
    assert "Traceback" not in proc.stderr


def test_cli_validate_good_file_exit_0(tmp_path):
    path = write(tmp_path, GOOD_FOR_CLI)
    proc = subprocess.run([str(GOALPROG_BIN), "validate", str(path)], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "ok" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_cli_validate_example_problem_exit_0():
    example = ROOT / "problems" / "clothing_factory_weighted.yaml"
    result = CliRunner().invoke(cli_main, ["validate", str(example)])
    assert result.exit_code == 0, result.output
    # 3 variables (pants, shirts, dresses), 1 hard constraint (budget), 2 goals (profit, waste)
    assert "3 variables" in result.stdout
    assert "2 goals" in result.stdout


def test_every_unknown_name_of_an_item_is_reported_at_once(tmp_path):
    text = "variables:\n  x: {}\ngoals:\n  g: {expr: x + zz + qq, at_least: abc, weight: wt}\n"
    path = tmp_path / "p.yaml"
    path.write_text(text)
    with pytest.raises(ExpressionError) as e:
        goalprog.load(path)
    names = sorted(i.message for i in e.value.issues)
    assert names == ["unknown name 'abc'", "unknown name 'qq'", "unknown name 'wt'", "unknown name 'zz'"]
    cols = sorted(i.location.col for i in e.value.issues)
    line = text.splitlines()[3]
    assert cols == sorted(line.index(n) + 1 for n in ("zz", "qq", "abc", "wt"))


def test_unquoted_set_member_is_named_as_a_member(tmp_path):
    # x[D4] where D4 is a member of a set: the hint says to quote it (a fresh user's report)
    f = tmp_path / "member.yaml"
    f.write_text("sets:\n  customers: [D1, D4]\nvariables:\n  x: {index: customers, lower: 0}\n"
                 "goals:\n  key:\n    expr: x[D4]\n    at_least: 5\n    priority: 1\n")
    with pytest.raises(ExpressionError) as exc:
        goalprog.load(f)
    issue = exc.value.issues[0]
    assert issue.message == "unknown name 'D4'"
    assert "member of the set customers" in issue.hint and "'D4'" in issue.hint
    assert (issue.location.line, issue.location.col) == (7, 13)  # "    expr: x[D4]": D at column 13
    # quoted, it loads
    f.write_text(f.read_text().replace("x[D4]", "x['D4']"))
    assert goalprog.load(f).solve().status.value == "optimal"


def test_a_constant_goal_expression_is_named_and_validate_solves_nothing(tmp_path):
    f = tmp_path / "const.yaml"
    f.write_text("variables:\n  x: {}\ngoals:\n  g: {expr: 5, at_least: 5}\n")
    with pytest.raises(SchemaError) as exc:
        goalprog.load(f)
    issue = exc.value.issues[0]
    assert issue.message == "the expression is the constant 5, which no decision changes"
    assert (issue.location.line, issue.location.col) == (4, 13)
    res = CliRunner().invoke(cli_main, ["validate", str(f)])
    assert res.exit_code == 3
    assert "1 error in the problem" in res.output and "nothing was solved" not in res.output
    res = CliRunner().invoke(cli_main, ["solve", str(f)])
    assert res.exit_code == 3 and "nothing was solved" in res.output


def test_an_error_at_the_end_of_an_expression_points_after_its_last_character(tmp_path):
    # an unclosed "(" at the end of a plain scalar used to point at the next line, column 1
    f = tmp_path / "paren.yaml"
    f.write_text("variables:\n  x: {}\nexpressions:\n  e: (x + 1\ngoals:\n  h: {expr: e, at_most: 9}\n")
    with pytest.raises(ExpressionError) as exc:
        goalprog.load(f)
    loc = exc.value.issues[0].location
    assert (loc.line, loc.col) == (4, 12)  # "  e: (x + 1": the 1 is at column 11


@pytest.mark.parametrize("path", sorted((ROOT / "problems").glob("*.yaml")),
                         ids=lambda p: p.stem)
def test_libyaml_and_pyyaml_read_the_same_document(path, monkeypatch):
    # libyaml (when PyYAML has it) only speeds reading up: data, key and value positions and
    # scalar styles are PyYAML's own
    import yaml

    from goalprog.spec.loader import load_yaml_text

    text = path.read_text()
    fast = load_yaml_text(text, str(path))
    monkeypatch.delattr(yaml, "CSafeLoader", raising=False)
    slow = load_yaml_text(text, str(path))
    assert fast.data == slow.data
    assert fast.values == slow.values and fast.keys == slow.keys and fast.styles == slow.styles
