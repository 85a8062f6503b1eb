"""Integer and binary columns get whole-number bounds, and a goal level is never "unbounded".

glpsol refuses an integer column with a fractional bound ("integer column has non-integer upper
bound") and answers INTEGER UNDEFINED, which goalprog called unbounded (exit 5) on
``x <= 2.5, integer; x >= 3 as a goal``.  The compiler now rounds integer bounds inward (ceil the
lower, floor the upper, 1e-9 tolerance) so every solver sees the same model.  By hand: x is a
whole number <= 2.5, so x = 2 and the goal ``x at_least 3`` is under-achieved by 1.

A goal level's objective is a sum of nonnegative weighted deviations, bounded below by 0: a
solver saying "infeasible or unbounded" about it, while the hard constraints are feasible, is a
solver failure (exit 7), not an unbounded level.
"""

from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.status import SolutionStatus, Status, Termination
from goalprog.solve.backends.base import StageRecord
from goalprog.solve.backends.highs_backend import HighsSession

GLPSOL = shutil.which("glpsol")


def problem(upper, target=3, lower=None, kind="integer"):
    var = {"upper": upper, "type": kind}
    if lower is not None:
        var["lower"] = lower
    return {"name": "intub", "variables": {"x": var},
            "goals": {"g": {"expr": "x", "at_least": target, "priority": 1}},
            "solve": {"method": "preemptive"}}


def column_bounds(data):
    model = goalprog.from_dict(data).model
    return float(model.col_lower[0]), float(model.col_upper[0])


@pytest.mark.parametrize("lower,upper,expected", [
    (None, 2.5, (0.0, 2.0)),
    (0.5, 2.5, (1.0, 2.0)),
    (-2.5, 7.9999999999, (-2.0, 8.0)),      # within 1e-9 of 8: 8, not 7
    (1.0000000001, 3, (1.0, 3.0)),
    (-3.7, None, (-3.0, float("inf"))),
])
def test_integer_bounds_are_rounded_inward_once_for_every_backend(lower, upper, expected):
    data = problem(upper if upper is not None else 1e30, lower=lower)
    if upper is None:
        del data["variables"]["x"]["upper"]
    lo, hi = column_bounds(data)
    assert (lo, hi) == expected
    assert str(lo) != "-0.0"


def test_continuous_bounds_are_kept():
    assert column_bounds(problem(2.5, kind="continuous")) == (0.0, 2.5)


def test_indexed_integer_bounds_from_parameters():
    data = {"sets": {"S": ["a", "b"]}, "params": {"cap": {"index": "S", "values": {"a": 1.5, "b": 4.2}}},
            "variables": {"x": {"index": "S", "upper": "cap", "type": "integer"}},
            "goals": {"g": {"expr": "sum(x[s] for s in S)", "at_least": 10}}}
    model = goalprog.from_dict(data).model
    assert list(model.col_upper[:2]) == [1.0, 4.0]


def test_indexed_variable_without_a_whole_number_names_the_instance():
    data = {"sets": {"S": ["a", "b"]}, "params": {"lo": {"index": "S", "values": {"a": 1, "b": 4.2}},
                                                  "hi": {"index": "S", "values": {"a": 2, "b": 4.8}}},
            "variables": {"x": {"index": "S", "lower": "lo", "upper": "hi", "type": "integer"}},
            "goals": {"g": {"expr": "sum(x[s] for s in S)", "at_least": 10}}}
    with pytest.raises(goalprog.GoalProgError, match=r"no whole number between the bounds 4.2 and 4.8 of this integer variable for 'b'"):
        goalprog.from_dict(data)


@pytest.mark.parametrize("backend,solver", [("highs", None), ("pulp", "glpk"), ("pyomo", "glpk"), ("pulp", "cbc")])
def test_fractional_upper_bound_of_an_integer_solves_on_every_solver(backend, solver):
    if solver == "glpk" and GLPSOL is None:
        pytest.skip("needs glpsol")
    kwargs = {"backend": backend} | ({"solver": solver} if solver else {})
    r = goalprog.from_dict(problem(2.5)).solve(**kwargs)
    assert r.status is Status.OPTIMAL, (r.status, r.message)
    assert r.value("x") == pytest.approx(2.0)
    goal = r.goals.set_index("goal").loc["g"]
    assert goal["under"] == pytest.approx(1.0)


def test_no_whole_number_between_the_bounds_is_located(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("variables:\n  x: {lower: 2.2, upper: 2.8, type: integer}\n"
                    "goals:\n  g: {expr: x, at_least: 3, priority: 1}\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["solve", str(path)])
    assert res.exit_code == 3, res.output
    assert "p.yaml:2:" in res.output and "no whole number between the bounds 2.2 and 2.8" in res.output


def _undecided(self):
    return StageRecord(Termination.INFEASIBLE_OR_UNBOUNDED, SolutionStatus.NONE, None, None, solver="glpk",
                       message="GLPK INTEGER UNDEFINED")


@pytest.mark.parametrize("method", ["preemptive", "weighted"])
def test_a_goal_level_is_never_called_unbounded(monkeypatch, method):
    monkeypatch.setattr(HighsSession, "solve", _undecided)
    r = goalprog.from_dict(problem(2.5)).solve(backend="highs", method=method)
    assert r.status is Status.ERROR, (r.status, r.message)
    assert "reported it infeasible or unbounded (GLPK INTEGER UNDEFINED)" in r.message
    assert "unbounded: the objective can improve" not in r.message


def test_a_goal_level_undecided_by_the_solver_exits_7(monkeypatch, tmp_path):
    monkeypatch.setattr(HighsSession, "solve", _undecided)
    path = tmp_path / "p.yaml"
    path.write_text("variables:\n  x: {upper: 2.5, type: integer}\n"
                    "goals:\n  g: {expr: x, at_least: 1, priority: 1}\nsolve: {method: preemptive}\n",
                    encoding="utf-8")
    res = CliRunner().invoke(main, ["solve", str(path)])
    assert res.exit_code == 7, res.output


def test_a_truly_unbounded_objective_is_still_unbounded(monkeypatch):
    """maximize x with x >= 0 and no upper bound: unbounded by hand; the solver's undecided answer
    keeps meaning unbounded there (the hard constraints are feasible)."""
    monkeypatch.setattr(HighsSession, "solve", _undecided)
    data = {"variables": {"x": {"lower": 0}}, "goals": {"big": {"maximize": "x", "priority": 1}},
            "solve": {"method": "preemptive"}}
    r = goalprog.from_dict(data).solve(backend="highs")
    assert r.status is Status.UNBOUNDED, (r.status, r.message)
