"""Cross-check: goalprog's preemptive chain against HiGHS's native lexicographic mode.

Every shipped example whose default method is preemptive is solved twice: by goalprog (backend
``highs``, one solve per level with lock rows) and by :func:`goalprog.analysis.crosscheck.native_lexicographic`
(one ``run()`` of HiGHS with one ``HighsLinearObjective`` per level).  The level values must agree
within

    tol_l = 1e-6 * max(1, |v_l|)  +  sum over k <= l (k not the last level) of s_k

* ``v_l`` is goalprog's stage value of level ``l`` (``result.levels.stage_value``: the optimum of
  that level's solve); the native value is level ``l``'s objective at HiGHS's *final* solution.
* ``1e-6`` relative: solver accuracy.  Both solves are HiGHS with its default tolerances (primal
  feasibility 1e-7, MIP relative gap 1e-4; the MIP examples have integral level values, so their
  levels are solved to optimality and the gap does not show).
* ``s_k`` is the larger of goalprog's lock slack of level ``k`` (``lock - stage_value``: with
  the default exact locks the guard that absorbs only the feasibility tolerance, or 0 for a
  fully achieved level) and HiGHS's slack ``min(1e-5, |f*|)`` (see
  :func:`~goalprog.analysis.crosscheck.native_lexicographic`), i.e. 1e-5 here.  The slack of level ``l``
  itself is there because a final solution may spend it on later levels (HiGHS's value of level
  ``l`` is then up to ``s_l`` above goalprog's stage value: budget_allocation, portfolio_selection,
  production_planning, staff_scheduling level 2 all show exactly this); the slacks of the earlier
  levels because the two chains give up slightly different amounts of them (for a later level,
  the difference is the lock's marginal rate times the slack difference; the allowance assumes
  rates of at most 3 per level, plus the relative term, which is ample on these problems: the
  largest observed difference is clothing_factory_objectives level 2, 1e-4 on 5e4, from a
  profit slack of 1.5e-4 in goalprog against 1e-5 in HiGHS).

The hand-made cases have answers worked out by hand below; they also pin down how HiGHS applies
its tolerances (the smaller of the absolute and relative slack), which is what makes the
comparison above meaningful.
"""


import pytest

import goalprog
from goalprog.analysis.crosscheck import native_lexicographic
from goalprog.core.errors import ArgumentError, SolverError
from goalprog.core.status import Status
from tests.helpers import ROOT

PROBLEMS = ROOT / "problems"
PREEMPTIVE = [p for p in sorted(PROBLEMS.glob("*.yaml")) if goalprog.load(p).default_method == "preemptive"]

REL = 1e-6


def test_every_preemptive_example_is_checked():
    names = {p.stem for p in PREEMPTIVE}
    assert {"clothing_factory_preemptive", "clothing_factory_objectives", "production_planning", "staff_scheduling",
            "media_selection", "portfolio_selection", "budget_allocation"} <= names


@pytest.mark.parametrize("path", PREEMPTIVE, ids=lambda p: p.stem)
def test_native_lexicographic_agrees_with_goalprog(path):
    problem = goalprog.load(path)
    result = problem.solve(backend="highs")
    assert result.status is Status.OPTIMAL, result.message
    native = native_lexicographic(problem.model)
    levels = result.levels
    assert len(native) == len(levels) == len(problem.model.priorities())
    allowance = 0.0
    for (_, row), value in zip(levels.iterrows(), native):
        stage = row["stage_value"]
        if row["lock"] is not None and row["lock"] == row["lock"]:  # not the last level (NaN there)
            # goalprog's guard (exact locks) and HiGHS's slack min(1e-5, |f*|), at rates up to 3 per level
            allowance += 3 * (abs(row["lock"] - stage) + 1e-5)
        tol = REL * max(1.0, abs(stage)) + allowance
        assert abs(value - stage) <= tol, (
            f"{path.stem} level {row['level']} ({row['sense']}): goalprog {stage!r}, HiGHS native {value!r}, "
            f"difference {value - stage:.3g} > tolerance {tol:.3g}")


@pytest.mark.parametrize("path", PREEMPTIVE, ids=lambda p: p.stem)
def test_exact_chain_is_highs_native_chain_without_slack(path):
    """goalprog's default (exact) chain against HiGHS's lexicographic mode with no slack at all
    (``abs_tolerance = 0``: each lock ``f <= f*``): the same level values to 1e-9 relative."""
    problem = goalprog.load(path)
    result = problem.solve(backend="highs")
    native = native_lexicographic(problem.model, abs_tol=0.0)
    for stage, value in zip(result.levels["stage_value"], native):
        assert value == pytest.approx(stage, rel=1e-9, abs=1e-9), path.stem


# Hand-made: x, y in [0, 10], x + y <= 10 (hard).
#   level 1: x + y >= 12         h1 = under-deviation            optimum 2 (x + y = 10)
#   level 2: x <= 4, y <= 4      h2 = (x - 4)+ + (y - 4)+         optimum 2 given level 1
#   level 3: maximize x                                          optimum 6 (x = 6, y = 4)
HAND = {
    "variables": {"x": {"lower": 0, "upper": 10}, "y": {"lower": 0, "upper": 10}},
    "constraints": {"cap": "x + y <= 10"},
    "goals": {
        "total": {"expr": "x + y", "at_least": 12, "priority": 1},
        "x_cap": {"expr": "x", "at_most": 4, "priority": 2},
        "y_cap": {"expr": "y", "at_most": 4, "priority": 2},
        "most_x": {"maximize": "x", "priority": 3},
    },
}


def test_hand_made_default_tolerances():
    # HiGHS slack min(1e-5, |f*|) = 1e-5 on levels 1 and 2: x + y >= 10 - 1e-5, so h2* = 2 - 1e-5
    # and the level-2 lock is h2 <= 2; then x = 6 and y in [4 - 1e-5, 4].  Final values: h1 in
    # [2, 2 + 1e-5] (the final plan may spend level 1's slack), h2 = 2, h3 = 6.
    h1, h2, h3 = native_lexicographic(goalprog.from_dict(HAND).model)
    assert 2 - 1e-9 <= h1 <= 2 + 1e-5 + 1e-9
    assert h2 == pytest.approx(2, abs=1e-9)
    assert h3 == pytest.approx(6, abs=1e-9)
    # goalprog's stage values with its default exact locks: 2, 2, 6 (hand-derived above)
    r = goalprog.from_dict(HAND).solve(backend="highs")
    assert list(r.levels["stage_value"]) == pytest.approx([2, 2, 6], abs=1e-9)
    # with the slack option at 1e-5: 2, 2 - 1e-5 (level 2 solved with level 1's slack), 6
    r = goalprog.from_dict(HAND).solve(backend="highs", lock_abs_tol=1e-5)
    assert list(r.levels["stage_value"]) == pytest.approx([2, 2 - 1e-5, 6], abs=1e-9)


def test_highs_takes_the_smaller_of_its_two_tolerances():
    # abs 0.5, rel 0.1.  HiGHS: level 1 slack min(0.5, 0.1*2) = 0.2, so x + y >= 9.8 and h2* = 1.8;
    # level 2 slack min(0.5, 0.18) = 0.18, so h2 <= 1.98; then max x = 5.98 (y >= 3.82).
    h1, h2, h3 = native_lexicographic(goalprog.from_dict(HAND).model, abs_tol=0.5, rel_tol=0.1)
    assert 2 - 1e-9 <= h1 <= 2.2 + 1e-9
    assert h2 == pytest.approx(1.98, abs=1e-9)
    assert h3 == pytest.approx(5.98, abs=1e-9)
    # goalprog takes the larger one, max(0.5, 0.1*|h*|) = 0.5: x + y >= 9.5, h2* = 1.5, h2 <= 2, x = 6
    r = goalprog.from_dict(HAND).solve(backend="highs", lock_abs_tol=0.5, lock_rel_tol=0.1)
    assert list(r.levels["stage_value"]) == pytest.approx([2, 1.5, 6], abs=1e-9)


def test_zero_relative_tolerance_makes_every_lock_exact():
    # min(f* + abs, f*(1 + 0)) = f*: no slack at all, whatever abs_tol is
    h1, h2, h3 = native_lexicographic(goalprog.from_dict(HAND).model, abs_tol=0.5, rel_tol=0.0)
    assert [h1, h2, h3] == pytest.approx([2, 2, 6], abs=1e-9)


def test_hand_made_mip():
    # binaries y1..y4, y1 + y2 + y3 + y4 >= 2; level 1 minimise 27y1 + 27y2 + 30y3 + 40y4 (54: the
    # two cheapest); level 2 maximise y3 + y4 (0: any y3 or y4 costs at least 3 more)
    spec = {
        "variables": {f"y{i}": {"type": "binary"} for i in range(1, 5)},
        "constraints": {"at_least_two": "y1 + y2 + y3 + y4 >= 2"},
        "goals": {"cost": {"minimize": "27*y1 + 27*y2 + 30*y3 + 40*y4", "priority": 1},
                  "prefer": {"maximize": "y3 + y4", "priority": 2}},
    }
    assert native_lexicographic(goalprog.from_dict(spec).model) == pytest.approx([54, 0], abs=1e-6)


def test_infeasible_model_raises():
    spec = {"variables": {"x": {"lower": 0, "upper": 1}}, "constraints": {"big": "x >= 2"},
            "goals": {"g": {"expr": "x", "at_least": 1, "priority": 1}, "h": {"minimize": "x", "priority": 2}}}
    with pytest.raises(SolverError, match="Infeasible"):
        native_lexicographic(goalprog.from_dict(spec).model)


@pytest.mark.parametrize("kw", [{"abs_tol": -1.0}, {"rel_tol": -1.0}, {"abs_tol": float("nan")}])
def test_negative_tolerance_rejected(kw):
    # HiGHS would silently drop a negative tolerance (both negative: no lock row at all)
    with pytest.raises(ArgumentError):
        native_lexicographic(goalprog.from_dict(HAND).model, **kw)
