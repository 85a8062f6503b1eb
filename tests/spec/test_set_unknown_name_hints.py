"""``--set NAME=VALUE`` with a name that is not a parameter (new-user trial): the hint names keys
of the user's own file that can be set (a variable's bounds, a goal's target, a parameter as
NAME=VALUE), never an example from another problem, and following it works."""

from __future__ import annotations

import textwrap

from click.testing import CliRunner

import goalprog
from goalprog.cli.app import main

FILE = textwrap.dedent("""\
    params:
      cap_level: 12
    variables:
      x: {lower: 0, upper: 10}
      y: {lower: 0, upper: 10}
    goals:
      cap: {expr: x + y, at_most: cap_level, priority: 1}
      big: {expr: x, at_least: 9, priority: 2}
""")


def _hint(tmp_path, item):
    f = tmp_path / "p.yaml"
    f.write_text(FILE)
    res = CliRunner().invoke(main, ["solve", str(f), "--set", item])
    assert res.exit_code == 2, res.output
    return res.output


def test_a_variable_name_is_told_its_bounds(tmp_path):
    out = _hint(tmp_path, "x=3")
    assert ("variables.x is a decision variable: set its bounds with variables.x.lower=... or "
            "variables.x.upper=... (now lower 0, upper 10)") in out
    assert "variables.x=..." not in out
    assert "waste" not in out          # the old hard-coded example named a goal of another problem
    assert "any key can be set by its path, e.g. goals.big.at_least=9" in out


def test_a_goal_name_is_told_its_target_key(tmp_path):
    out = _hint(tmp_path, "big=3")
    assert ("goals.big is a goal: change it with goals.big.at_least=... (its target, now 9), goals.big.weight=... "
            "or goals.big.priority=...") in out
    assert "waste" not in out


def test_the_parameters_are_shown_with_name_value(tmp_path):
    out = _hint(tmp_path, "cap_levle=3")
    assert "did you mean 'cap_level'?" in out
    assert "the parameters are: cap_level (set one with NAME=VALUE, e.g. cap_level=12)" in out


def test_following_the_hint_works(tmp_path):
    f = tmp_path / "p.yaml"
    f.write_text(FILE)
    # x <= 3 by its bound; big (x >= 9) then falls 6 short, independently of the solver: x can be at most 3
    res = goalprog.load(f, overrides={"variables.x.upper": 3, "goals.big.at_least": 9}).solve(backend="highs")
    g = res.goals
    assert abs(g[g["goal"] == "big"].iloc[0]["under"] - 6) < 1e-9
    assert abs(res.value("x") - 3) < 1e-9
