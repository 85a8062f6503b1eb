"""The default preemptive chain gives the exact lexicographic optimum (issue 13).

Every expected value here is derived by hand in the test's comment; the chain must reach it to
1e-9 relative on every backend (``highs``; ``pulp`` with HiGHS and with CBC; ``pyomo`` with
HiGHS), in objective form and in goal form alike.  The slack option (``lock_abs_tol`` /
``lock_rel_tol``, ``lock: {slack_abs, slack_rel}``) keeps the old behaviour, checked against the
same hand derivations with the slack spent.
"""

from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.errors import GoalProgError
from goalprog.core.status import Status

from tests.helpers import ROOT
PROBLEMS = ROOT / "problems"

BACKENDS = [("highs", None), ("pulp", "highs"), ("pulp", "cbc"), ("pyomo", "highs")]
IDS = [f"{b}-{s}" if s else b for b, s in BACKENDS]


def _solve(d, backend, solver, **kw):
    r = goalprog.from_dict(d).solve(backend=backend, solver=solver, **kw)
    assert r.status is Status.OPTIMAL, r.message
    return r


# x1, x2 in [0, 1], x1 + x2 <= 1.  Level 1 wants x1 as large as possible: x1 = 1, so x2 = 0 is forced;
# level 2 (x2) can have nothing.  With a lock slack s, level 2 takes x2 = s from level 1.
BOUNDS = {"x1": {"upper": 1}, "x2": {"upper": 1}}
OBJECTIVE_FORM = {"variables": BOUNDS, "constraints": {"cap": "x1 + x2 <= 1"},
                  "goals": {"a": {"maximize": "x1", "priority": 1}, "b": {"maximize": "x2", "priority": 2}}}
GOAL_FORM = {"variables": BOUNDS, "constraints": {"cap": "x1 + x2 <= 1"},
             "goals": {"a": {"expr": "x1", "at_least": 1, "priority": 1},
                       "b": {"expr": "x2", "at_least": 1, "priority": 2}}}


@pytest.mark.parametrize("backend, solver", BACKENDS, ids=IDS)
def test_objective_form_and_goal_form_give_the_exact_plan(backend, solver):
    for d in (OBJECTIVE_FORM, GOAL_FORM):
        r = _solve(d, backend, solver)
        assert r.value("x1") == pytest.approx(1.0, rel=1e-9, abs=1e-9)
        assert r.value("x2") == pytest.approx(0.0, abs=1e-9)
    obj = _solve(OBJECTIVE_FORM, backend, solver)
    # the level values: 1 and 0 (objective form), the under-deviations 0 and 1 (goal form)
    assert [s.objective for s in obj.stages] == pytest.approx([1.0, 0.0], abs=1e-9)
    # held by the optimal face (x1 fixed at 1), with a guard row of slack 1e-13 * max(1, |1 * 1|)
    assert obj.stages[0].lock_style == "face" and obj.stages[0].lock_slack == pytest.approx(1e-13)


@pytest.mark.parametrize("backend, solver", BACKENDS, ids=IDS)
def test_the_slack_option_keeps_the_old_trade(backend, solver):
    # lock x1 >= 1 - 1e-5: level 2 takes x2 = 1e-5 (the behaviour before exact locks, now asked for)
    r = _solve(OBJECTIVE_FORM, backend, solver, lock_abs_tol=1e-5)
    assert r.value("x2") == pytest.approx(1e-5, rel=1e-6)
    assert r.stages[0].lock_style == "row" and r.stages[0].lock_slack == pytest.approx(1e-5)
    d = dict(OBJECTIVE_FORM, solve={"lock": {"slack_abs": 0.25}})
    r = _solve(d, backend, solver)
    assert r.value("x2") == pytest.approx(0.25, rel=1e-9)
    d = dict(OBJECTIVE_FORM, solve={"lock": {"abs_tol": 0.25}})
    assert _solve(d, backend, solver).value("x2") == pytest.approx(0.25, rel=1e-9)


def test_the_two_names_of_the_slack_are_one_setting():
    d = dict(OBJECTIVE_FORM, solve={"lock": {"abs_tol": 0.1, "slack_abs": 0.2}})
    with pytest.raises(GoalProgError, match="two names of one setting"):
        goalprog.from_dict(d)


# x, y in [0, 10], x + y <= 10.  Level 1: x + y >= 12 (under 2 at best: x + y = 10).  Level 2: x <= 4
# and y <= 4 (over (x-4)+ + (y-4)+ = 2 at best on x + y = 10, any x in [4, 6]).  Level 3: x as large as
# possible: x = 6, y = 4.  Level values 2, 2, 6 (objective form) or 2, 2, 4 (goal form: x >= 10).
HAND = {"variables": {"x": {"upper": 10}, "y": {"upper": 10}}, "constraints": {"cap": "x + y <= 10"},
        "goals": {"total": {"expr": "x + y", "at_least": 12, "priority": 1},
                  "x_cap": {"expr": "x", "at_most": 4, "priority": 2},
                  "y_cap": {"expr": "y", "at_most": 4, "priority": 2},
                  "most_x": {"maximize": "x", "priority": 3}}}
HAND_GOAL = {**HAND, "goals": {**HAND["goals"], "most_x": {"expr": "x", "at_least": 10, "priority": 3}}}


@pytest.mark.parametrize("backend, solver", BACKENDS, ids=IDS)
def test_three_levels_by_hand(backend, solver):
    obj = _solve(HAND, backend, solver)
    goal = _solve(HAND_GOAL, backend, solver)
    assert [s.objective for s in obj.stages] == pytest.approx([2.0, 2.0, 6.0], rel=1e-9)
    assert [s.objective for s in goal.stages] == pytest.approx([2.0, 2.0, 4.0], rel=1e-9)
    for r in (obj, goal):
        assert (r.value("x"), r.value("y")) == pytest.approx((6.0, 4.0), rel=1e-9)


@pytest.mark.parametrize("backend, solver", BACKENDS, ids=IDS)
def test_clothing_factory_objectives_exact(backend, solver):
    # maximise profit: shirts only (3 $ per $ of budget): 150,000; then minimise waste over that
    # optimal set (shirts = 50,000, pants = dresses = 0): 50,000 exactly (the brief's arithmetic)
    r = goalprog.load(PROBLEMS / "clothing_factory_objectives.yaml").solve(backend=backend, solver=solver)
    assert [s.objective for s in r.stages] == pytest.approx([150000.0, 50000.0], rel=1e-9)
    assert r.value("shirts") == pytest.approx(50000.0, rel=1e-9)
    assert r.value("pants") == pytest.approx(0.0, abs=1e-9) and r.value("dresses") == pytest.approx(0.0, abs=1e-9)


# A diet: two foods f1, f2 in [0, 10].  Level 1: protein f1 + f2 >= 30 (at best 20: f1 = f2 = 10, the
# only plan with under-deviation 10).  Level 2: the budget 3 f1 + 5 f2 <= 80 (at f1 = f2 = 10 the cost is
# exactly 80: met).  Level 3: the cheapest diet, minimise cost.  Level 1 pins the cost at 80: the report
# must show the budget goal at 80 with no deviation.  With a lock slack s, level 3 buys s of protein back
# from the dearer food: f2 = 10 - s and cost 80 - 5 s (79.99995 at s = 1e-5, "5e-05 under").
DIET = {"variables": {"f1": {"upper": 10}, "f2": {"upper": 10}},
        "expressions": {"cost": "3*f1 + 5*f2"},
        "goals": {"protein": {"expr": "f1 + f2", "at_least": 30, "priority": 1},
                  "budget": {"expr": "cost", "at_most": 80, "priority": 2},
                  "cheapest": {"minimize": "cost", "priority": 3}}}


@pytest.mark.parametrize("backend, solver", BACKENDS, ids=IDS)
def test_a_quantity_pinned_at_80_prints_80(backend, solver, tmp_path):
    r = _solve(DIET, backend, solver)
    goals = r.goals.set_index("goal")
    assert goals.loc["budget", "value"] == pytest.approx(80.0, rel=1e-12)
    assert goals.loc["budget", "under"] == 0.0 and goals.loc["budget", "over"] == 0.0
    assert [s.objective for s in r.stages] == pytest.approx([10.0, 0.0, 80.0], rel=1e-12)
    slack = _solve(DIET, backend, solver, lock_abs_tol=1e-5)
    assert slack.goals.set_index("goal").loc["budget", "value"] == pytest.approx(80.0 - 5e-5, abs=1e-9)


def test_the_report_prints_80(tmp_path):
    import yaml

    f = tmp_path / "diet.yaml"
    f.write_text(yaml.safe_dump(DIET), encoding="utf-8")
    res = CliRunner().invoke(main, ["solve", str(f)])
    assert res.exit_code == 0, res.output
    assert "79.99" not in res.output and "under" in res.output
    budget = [line.split("│") for line in res.output.splitlines() if "<= 80" in line]
    assert len(budget) == 1 and [c.strip() for c in budget[0][2:6]] == ["<= 80", "80", "0", "0"]
    res = CliRunner().invoke(main, ["solve", str(f), "--format", "json"])
    import json

    data = json.loads(res.output)
    g = {x["goal"]: x for x in data["goals"]}
    assert g["budget"]["value"] == 80.0 and data["lock"]["exact"] is True


# Binaries y1..y4, y1 + y2 + y3 + y4 >= 2.  Level 1: minimise 27 y1 + 27 y2 + 30 y3 + 40 y4: 54 (y1 = y2 = 1),
# an integral level (integer columns, integral costs), so it is locked at 54 exactly.  Level 2: prefer y3
# (maximise it): y3 = 1 costs at least 57 > 54, so y3 = 0.
MIP = {"variables": {f"y{i}": {"type": "integer", "upper": 1} for i in range(1, 5)},
       "constraints": {"two": "y1 + y2 + y3 + y4 >= 2"},
       "goals": {"cost": {"minimize": "27*y1 + 27*y2 + 30*y3 + 40*y4", "priority": 1},
                 "pref": {"maximize": "y3", "priority": 2}}}


@pytest.mark.parametrize("backend, solver", BACKENDS, ids=IDS)
def test_an_integral_mip_level_is_locked_at_its_rounded_value(backend, solver):
    r = _solve(MIP, backend, solver)
    assert [s.objective for s in r.stages] == pytest.approx([54.0, 0.0], abs=1e-9)
    assert r.stages[0].lock == 54.0 and r.stages[0].lock_slack == 0.0 and r.stages[0].lock_style == "exact"


def test_stage_records_say_what_held_each_level():
    r = _solve(OBJECTIVE_FORM, "highs", None)
    rec = r.stage_records[0]
    assert rec.lock_style == "face" and rec.guard == pytest.approx(1e-13)
    assert rec.restriction is not None and list(rec.restriction.col_lower) == [1.0] == list(rec.restriction.col_upper)
    # the lock row is the guard: x1 >= 1 - 1e-13
    assert rec.locks[0].lower == pytest.approx(1 - 1e-13, abs=1e-16)


def test_shipped_problems_have_exact_values_against_highs_native_zero_slack():
    """Every shipped preemptive LP: the default chain on every backend reaches the values of the
    chain held with no slack at all, solved by HiGHS's lexicographic mode (abs tolerance 0)."""
    from goalprog.analysis.crosscheck import native_lexicographic

    for name in ("budget_allocation", "portfolio_selection", "production_planning"):
        p = goalprog.load(PROBLEMS / f"{name}.yaml")
        ref = native_lexicographic(p.model, abs_tol=0.0)
        for backend in ("highs", "pulp", "pyomo"):
            r = p.solve(backend=backend)
            assert r.status is Status.OPTIMAL
            got = [s.objective for s in r.stages]
            assert got == pytest.approx(ref, rel=1e-9, abs=1e-9), (name, backend)


def _flaky_highs(monkeypatch, failing):
    """HighsSession.solve made to return kUnknown on the solves numbered in ``failing`` (1-based)."""
    from goalprog.solve.backends import highs_backend

    real = highs_backend.HighsSession.solve
    calls = {"n": 0}

    def flaky(self):
        rec = real(self)
        calls["n"] += 1
        if calls["n"] in failing:
            from dataclasses import replace

            from goalprog.core.status import SolutionStatus, Termination

            return replace(rec, termination=Termination.UNKNOWN, solution=SolutionStatus.NONE, x=None, objective=None)
        return rec

    monkeypatch.setattr(highs_backend.HighsSession, "solve", flaky)


def test_a_face_the_solver_cannot_use_is_solved_again_without_presolve(monkeypatch):
    """If the solve after an optimal face fails once (HiGHS's presolve called the large benchmark's
    face-restricted level 4 infeasible; without presolve it solved in 24 s), the chain first solves
    again without presolve, keeping the face, and the stage message says so."""
    _flaky_highs(monkeypatch, {2})
    r = goalprog.from_dict(HAND).solve(backend="highs")
    assert r.status is Status.OPTIMAL
    assert "without presolve" in r.stages[1].message
    assert not r.stage_records[1].lifted
    assert [s.objective for s in r.stages] == pytest.approx([2.0, 2.0, 6.0], rel=1e-9)


def test_a_face_the_solver_cannot_use_is_widened_and_said(monkeypatch):
    """If the solve after an optimal face fails with and without presolve (here: made to fail
    twice), the chain lifts the face, solves again held by the guard rows, and the stage message
    says so."""
    from goalprog.solve.backends import highs_backend

    real = highs_backend.HighsSession.solve
    calls = {"n": 0}

    def flaky(self):
        rec = real(self)
        calls["n"] += 1
        if calls["n"] in (2, 3):  # the first solve after the face, and its retry without presolve
            from dataclasses import replace

            from goalprog.core.status import SolutionStatus, Termination

            return replace(rec, termination=Termination.UNKNOWN, solution=SolutionStatus.NONE, x=None, objective=None)
        return rec

    monkeypatch.setattr(highs_backend.HighsSession, "solve", flaky)
    r = goalprog.from_dict(HAND).solve(backend="highs")
    assert r.status is Status.OPTIMAL
    assert "lock rows only" in r.stages[1].message
    assert r.stage_records[1].lifted
    # the guard rows alone hold levels to the feasibility tolerance: the values stay exact to 1e-6
    assert [s.objective for s in r.stages] == pytest.approx([2.0, 2.0, 6.0], rel=1e-6)


def test_a_level_met_at_the_earlier_plan_is_not_solved_again(monkeypatch):
    """A level whose unwanted deviations are all exactly 0 at the earlier levels' plan has optimum
    0 there (deviations are >= 0), so the chain takes that plan without a solve (the large
    benchmark's level 4: its face-restricted solve stalled).  HAND's plan x = 6, y = 4 meets
    y <= 10 with over = 0."""
    from goalprog.solve.backends import highs_backend

    real = highs_backend.HighsSession.solve
    calls = {"n": 0}

    def counted(self):
        calls["n"] += 1
        return real(self)

    monkeypatch.setattr(highs_backend.HighsSession, "solve", counted)
    d = {**HAND, "goals": {**HAND["goals"], "y_small": {"expr": "y", "at_most": 10, "priority": 4}}}
    r = goalprog.from_dict(d).solve(backend="highs", rates="off")
    assert r.status is Status.OPTIMAL
    assert calls["n"] == 3
    assert [s.objective for s in r.stages] == pytest.approx([2.0, 2.0, 6.0, 0.0], rel=1e-9)
    assert r.stages[3].objective == 0.0 and "not solved again" in r.stages[3].solver_status
    assert r.value("x") == pytest.approx(6.0, rel=1e-9) and r.value("y") == pytest.approx(4.0, rel=1e-9)
