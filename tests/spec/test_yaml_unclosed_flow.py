"""A ``{`` (or ``[``) never closed on its line (new-user trial): PyYAML reads on and stops lines
later, often at the end of the file; the error points at the open bracket and says to close it."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli.app import main
from goalprog.core.errors import GoalProgError

VARS = "variables:\n  x: {lower: 0, upper: 10}\n"


@pytest.mark.parametrize("tail", [
    "",                                                   # the open { is the last line: stream end
    "  h: {expr: x, at_most: 8}\n",                       # more goals after it
    "  h: {expr: x, at_most: 8}\nsolve:\n  method: weighted\n",
])
def test_an_unclosed_brace_is_pointed_at(tmp_path, tail):
    f = tmp_path / "p.yaml"
    f.write_text(VARS + "goals:\n  g: {expr: x, at_least: 4\n" + tail)
    with pytest.raises(GoalProgError) as exc:
        goalprog.load(f)
    (issue,) = exc.value.issues
    assert issue.message == "YAML syntax error: this { is never closed: add } at the end of the line"
    assert (issue.location.line, issue.location.col) == (4, len("  g: ") + 1)
    assert issue.hint == "the line then reads: g: {expr: x, at_least: 4}"
    assert "quote" not in issue.hint
    res = CliRunner().invoke(main, ["solve", str(f)])
    assert res.exit_code == 3 and f"{f}:4:6: YAML syntax error: this {{ is never closed" in res.output


def test_an_unclosed_list_and_a_comment(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(VARS + "sets:\n  S: [a, b   # the products\ngoals:\n  g: {expr: x, at_least: 4}\n")
    with pytest.raises(GoalProgError) as exc:
        goalprog.load(f)
    (issue,) = exc.value.issues
    assert issue.message == "YAML syntax error: this [ is never closed: add ] at the end of the line"
    assert (issue.location.line, issue.location.col) == (4, len("  S: ") + 1)
    assert issue.hint == "the line then reads: S: [a, b]"


def test_a_mapping_over_several_lines_keeps_its_own_message(tmp_path):
    # a { } mapping may go on over indented lines; a mistake inside it is not an unclosed brace
    f = tmp_path / "p.yaml"
    f.write_text(VARS + "goals:\n  g: {expr: x,\n      at_least: 4: 5}\n")
    with pytest.raises(GoalProgError) as exc:
        goalprog.load(f)
    assert "never closed" not in exc.value.issues[0].message
