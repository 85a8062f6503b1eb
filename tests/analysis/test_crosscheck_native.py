"""Cross-check: goalprog's preemptive chain against Gurobi's and CPLEX's native multi-objective hierarchies.

:func:`goalprog.analysis.crosscheck_native.native_levels` builds one Gurobi model (``setObjectiveN``,
one objective per level, priority ``L - k``, abstol = reltol = 0) or one CPLEX problem
(``multiobj.set_definition``) straight from goalprog's compiled arrays and solves it once.  With
goalprog's default exact locks and the solvers' zero tolerances both compute the exact
lexicographic optimum, so on every shipped preemptive example the level values must agree to
1e-9 relative (issue 17), and both must match the independent references of
``tests/library/preemptive_levels.py`` (hand, published, or a hand-written PuLP chain).

gurobipy and cplex are optional: each test skips, with the reason, when its package is missing.
"""

import sys

import pytest

import goalprog
from goalprog.analysis.crosscheck_native import SOLVERS, native_levels
from goalprog.core.errors import ArgumentError, BackendError, SolverError
from goalprog.core.status import Status
from tests.library.preemptive_levels import PREEMPTIVE, REFERENCE, reference

PACKAGES = {"gurobi": "gurobipy", "cplex": "cplex"}
NATIVE = ["gurobi", "cplex"]


def need(solver):
    pytest.importorskip(PACKAGES[solver], reason=f"{PACKAGES[solver]} is not installed (pip install "
                                                  f"{PACKAGES[solver]}; its size-limited licence runs these models)")


def test_every_preemptive_example_has_a_reference():
    assert {p.stem for p in PREEMPTIVE} == set(REFERENCE)


@pytest.mark.parametrize("solver", NATIVE)
@pytest.mark.parametrize("path", PREEMPTIVE, ids=lambda p: p.stem)
def test_native_hierarchy_agrees_with_goalprog_to_1e9(solver, path):
    need(solver)
    problem = goalprog.load(path)
    result = problem.solve(backend="highs")
    assert result.status is Status.OPTIMAL, result.message
    native = native_levels(problem.model, solver)
    goalprog_levels = list(result.levels["stage_value"])
    assert len(native) == len(goalprog_levels) == len(problem.model.priorities())
    assert native == pytest.approx(goalprog_levels, rel=1e-9, abs=1e-9), (path.stem, solver)
    expected, tol = reference(path.stem)
    assert native == pytest.approx(expected, **tol), (path.stem, solver, REFERENCE[path.stem][2])


# Hand-made (as tests/analysis/test_crosscheck.py): x, y in [0, 10], x + y <= 10 (hard).
#   level 1: x + y >= 12          h1 = under-deviation = 2 (x + y = 10)
#   level 2: x <= 4, y <= 4       h2 = (x - 4)+ + (y - 4)+ = 2 given x + y = 10
#   level 3: maximize x           6 (x = 6, y = 4)
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


@pytest.mark.parametrize("solver", NATIVE)
def test_hand_made_lp(solver):
    need(solver)
    assert native_levels(goalprog.from_dict(HAND).model, solver) == pytest.approx([2, 2, 6], abs=1e-9)


@pytest.mark.parametrize("solver", NATIVE)
def test_hand_made_mip(solver):
    # binaries y1..y4, at least two; level 1 minimise 27y1 + 27y2 + 30y3 + 40y4 (54: y1 and y2); level 2
    # maximise y3 + y4 (0: taking y3 or y4 costs at least 3 more)
    need(solver)
    spec = {"variables": {f"y{i}": {"type": "binary"} for i in range(1, 5)},
            "constraints": {"at_least_two": "y1 + y2 + y3 + y4 >= 2"},
            "goals": {"cost": {"minimize": "27*y1 + 27*y2 + 30*y3 + 40*y4", "priority": 1},
                      "prefer": {"maximize": "y3 + y4", "priority": 2}}}
    assert native_levels(goalprog.from_dict(spec).model, solver) == pytest.approx([54, 0], abs=1e-9)


@pytest.mark.parametrize("solver", NATIVE)
def test_chebyshev_level(solver):
    # level 1 as Chebyshev (lambda 0): x, y >= 0, x + y = 10 (hard); goals x >= 8 and y >= 8 (weight 1 each):
    # the worst shortfall max(8 - x, 8 - y) is least at x = y = 5: 3.  Level 2: maximise x: with the worst
    # shortfall held at 3, x <= 5 (y >= 5), so 5.  A weighted level 1 gives 6 (any x in [2, 8]), then x = 8.
    need(solver)
    spec = {"variables": {"x": {"lower": 0}, "y": {"lower": 0}},
            "constraints": {"split": "x + y == 10"},
            "goals": {"gx": {"expr": "x", "at_least": 8, "priority": 1},
                      "gy": {"expr": "y", "at_least": 8, "priority": 1},
                      "most_x": {"maximize": "x", "priority": 2}}}
    model = goalprog.from_dict(spec).model
    assert native_levels(model, solver, lams={1: 0.0}) == pytest.approx([3, 5], abs=1e-9)
    assert native_levels(model, solver) == pytest.approx([6, 8], abs=1e-9)


@pytest.mark.parametrize("solver", NATIVE)
def test_degradation_tolerance_is_passed(solver):
    # a MIP, so both solvers turn AbsTol into a constraint on the earlier objective: level 1 of the knapsack
    # above may give up 3 (cost <= 57), which lets level 2 take y3 (27 + 30 = 57): values 57, 1
    need(solver)
    spec = {"variables": {f"y{i}": {"type": "binary"} for i in range(1, 5)},
            "constraints": {"at_least_two": "y1 + y2 + y3 + y4 >= 2"},
            "goals": {"cost": {"minimize": "27*y1 + 27*y2 + 30*y3 + 40*y4", "priority": 1},
                      "prefer": {"maximize": "y3 + y4", "priority": 2}}}
    assert native_levels(goalprog.from_dict(spec).model, solver, abs_tol=3.0) == pytest.approx([57, 1], abs=1e-9)


@pytest.mark.parametrize("solver", NATIVE)
def test_mip_degradation_is_the_larger_of_the_two_tolerances(solver):
    # level 1's optimum is 54; abs 1 and rel 0.06 allow max(1, 0.06 * 54 = 3.24) = 3.24, enough for y1 + y3
    # (57, level 2 = 1); the smaller, 1, would keep 54 (level 2 = 0), as abs 1 alone does.  goalprog's slack
    # option has the same max shape (docs/export.md).
    need(solver)
    spec = {"variables": {f"y{i}": {"type": "binary"} for i in range(1, 5)},
            "constraints": {"at_least_two": "y1 + y2 + y3 + y4 >= 2"},
            "goals": {"cost": {"minimize": "27*y1 + 27*y2 + 30*y3 + 40*y4", "priority": 1},
                      "prefer": {"maximize": "y3 + y4", "priority": 2}}}
    model = goalprog.from_dict(spec).model
    assert native_levels(model, solver, abs_tol=1.0, rel_tol=0.06) == pytest.approx([57, 1], abs=1e-9)
    assert native_levels(model, solver, abs_tol=1.0, rel_tol=0.0) == pytest.approx([54, 0], abs=1e-9)


@pytest.mark.parametrize("solver", NATIVE)
def test_infeasible_model_raises(solver):
    need(solver)
    spec = {"variables": {"x": {"lower": 0, "upper": 1}}, "constraints": {"big": "x >= 2"},
            "goals": {"g": {"expr": "x", "at_least": 1, "priority": 1}, "h": {"minimize": "x", "priority": 2}}}
    with pytest.raises(SolverError, match="every level must be optimal"):
        native_levels(goalprog.from_dict(spec).model, solver)


@pytest.mark.parametrize("solver", NATIVE)
def test_missing_package_is_a_clear_error(solver, monkeypatch):
    monkeypatch.setitem(sys.modules, PACKAGES[solver], None)  # import then raises ImportError
    with pytest.raises(BackendError, match=f"needs the Python package {PACKAGES[solver]}") as info:
        native_levels(goalprog.from_dict(HAND).model, solver)
    assert f"pip install {PACKAGES[solver]}" in info.value.format()


def test_unknown_solver_and_bad_tolerances():
    model = goalprog.from_dict(HAND).model
    with pytest.raises(ArgumentError, match="unknown cross-check solver 'scip'"):
        native_levels(model, "scip")
    assert SOLVERS == ("highs", "gurobi", "cplex")
    for kw in ({"abs_tol": -1.0}, {"rel_tol": float("nan")}):
        with pytest.raises(ArgumentError, match="finite number >= 0"):
            native_levels(model, "gurobi", **kw)


def test_highs_through_the_same_entry_point():
    # the existing HiGHS check, reached by solver="highs" with abs_tol 0 (exact locks): 2, 2, 6
    assert native_levels(goalprog.from_dict(HAND).model, "highs", abs_tol=0.0) == pytest.approx([2, 2, 6], abs=1e-9)
    with pytest.raises(ArgumentError, match="lambda below 1"):
        native_levels(goalprog.from_dict(HAND).model, "highs", lams={1: 0.0})
