"""Hints that fit the field (issue 14, "what trips up a new user"): a priority given as text is
told about whole numbers, a weight about numbers such as 0.5; a comparison written in a goal's
expr is told the target key it stands for."""

from __future__ import annotations

import pytest

import goalprog
from goalprog.core.errors import GoalProgError


def _issues(doc):
    with pytest.raises(GoalProgError) as exc:
        goalprog.from_dict(doc)
    return exc.value.issues


BASE = {"variables": {"total_choc": {"lower": 0}}}


@pytest.mark.parametrize("field, value, words", [
    ("priority", "one", "priority takes a whole number such as 1 or 2"),
    ("weight", "heavy", "weight takes a number such as 1 or 0.5"),
    ("at_least", "six", "at_least takes a number such as 150000 or 1.5e5"),
])
def test_unknown_name_in_a_number_field_gets_the_fields_example(field, value, words):
    goal = {"expr": "total_choc", "at_least": 6, "priority": 1, field: value}
    (issue,) = _issues({**BASE, "goals": {"g": goal}})
    assert f"unknown name '{value}'" in issue.message
    assert words in issue.hint
    assert "150000" not in issue.hint or field == "at_least"


@pytest.mark.parametrize("op, side", [(">=", "at_least"), ("<=", "at_most"), ("==", "equal")])
def test_comparison_in_expr_hints_the_target_key(op, side):
    with pytest.raises(GoalProgError) as exc:
        goalprog.from_dict({**BASE, "goals": {"enough_choc": {"expr": f"total_choc {op} 6", "priority": 1}}})
    (issue,) = exc.value.issues
    assert f"write 'expr: total_choc' and '{side}: 6'" in issue.message
    assert "goals.enough_choc" in str(exc.value)


def test_comparison_inside_brackets_is_not_mistaken_for_one():
    doc = {**BASE, "goals": {"g": {"expr": "total_choc + 1", "priority": 1}}}
    (issue,) = _issues(doc)
    assert "exactly one target side" in issue.message


def test_meta_goal_unknown_key_gets_a_did_you_mean_hint(tmp_path):
    # as a goal's misspelt key does: 'levle' -> 'level', 'at_mots' -> 'at_most' (and the
    # misspelt at_most is not reported missing too)
    goals = {"a": {"expr": "total_choc", "at_least": 1, "priority": 1}}
    issues = _issues({**BASE, "goals": goals, "meta_goals": [{"of": "unmet", "levle": 1, "at_mots": 0}]})
    by_key = {i.message: i.hint for i in issues}
    assert by_key == {"unknown key 'levle'": "did you mean 'level'?",
                      "unknown key 'at_mots'": "did you mean 'at_most'?"}
    path = tmp_path / "m.yaml"
    path.write_text("variables:\n  x: {upper: 5}\ngoals:\n  a: {expr: x, at_least: 1, priority: 1}\n"
                    "meta_goals:\n  - {of: unmet, at_most: 0, levle: 1}\n")
    from click.testing import CliRunner

    from goalprog.cli import main

    out = CliRunner().invoke(main, ["validate", str(path)])
    assert out.exit_code == 3 and f"{path}:6:29: meta_goals[0].levle: unknown key 'levle'" in out.output
    assert "did you mean 'level'?" in out.output
