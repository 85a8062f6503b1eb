"""Preemptive locks and honest statuses.

* Lock tolerance (issue 5, case A): binaries y1..y4, y1 + y2 + y3 + y4 >= 2; level 1 minimise
  27y1 + 27y2 + 30y3 + 40y4 (optimum 54 at y1 = y2 = 1: the two cheapest); level 2 maximise
  y3 + y4.  If the solver reports level 1 as 53.999998, an exact lock (27y1 + ... <= 53.999998)
  excludes every integer point and level 2 is infeasible; the additive tolerance absorbs it.
* Negative optimum (case B): x, y in [0, 10], x - y <= 5; level 1 minimise -x (optimum -10);
  level 2 minimise y.  With rel_tol 5 %: lock -x <= -10 + 0.5, so x = 9.5, y = 4.5.
* Infeasible hard constraints (case G): x1 + x2 + x3 == 7 and 2x1 - 5x2 + x3 >= 10 and
  x1 + 3x2 + x3 >= 12: substituting x1 = 7 - x2 - x3 gives x2 >= 2.5 and 7x2 + x3 <= 4.
"""

from dataclasses import replace
from fractions import Fraction as F

import pytest

import goalprog
from goalprog.solve.backends.base import Backend, Session, SolveOptions, get_backend
from goalprog.core.status import Status
from goalprog.solve.strategies import preemptive

CASE_A = {
    "variables": {f"y{i}": {"type": "binary"} for i in range(1, 5)},
    "constraints": {"at_least_two": "y1 + y2 + y3 + y4 >= 2"},
    "goals": {
        "cost": {"minimize": "27*y1 + 27*y2 + 30*y3 + 40*y4", "priority": 1},
        "prefer": {"maximize": "y3 + y4", "priority": 2},
    },
}


class _UnderReporting(Session):
    """Reports the level-1 objective 2e-6 lower than the solver found (round-off)."""

    def __init__(self, inner: Session):
        self.inner = inner
        self.solves = 0

    def set_objective(self, objective):
        self.inner.set_objective(objective)

    def add_row(self, row):
        self.inner.add_row(row)

    def solve(self):
        rec = self.inner.solve()
        self.solves += 1
        if rec.objective is None or self.solves > 1:
            return rec
        return replace(rec, objective=rec.objective - 2e-6)


class UnderReportingBackend(Backend):
    def __init__(self, name):
        self.inner = get_backend(name)
        self.name = name

    def available(self):
        return True, ""

    def session(self, model, options):
        return _UnderReporting(self.inner.session(model, options))


def test_exact_lock_would_be_infeasible(backend):
    # costs that are not whole numbers: the level is not integral, so it is locked at the reported value
    fractional = {**CASE_A, "goals": {**CASE_A["goals"],
                                      "cost": {"minimize": "27.5*y1 + 27.5*y2 + 30*y3 + 40*y4", "priority": 1}}}
    model = goalprog.from_dict(fractional).model
    r = preemptive.run(model, UnderReportingBackend(backend), SolveOptions(),
                       preemptive.LockTolerance(abs_tol=0.0, rel_tol=0.0))
    assert r.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED)
    assert r.x is None
    assert len(r.stages) == 2 and r.stages[1].status is not Status.OPTIMAL


def test_integral_level_lock_ignores_round_off(backend):
    """Whole-number costs of binaries: the level is locked at round(54 - 2e-6) = 54 exactly, so the
    zero-tolerance chain is feasible and ends at the plan of the exact chain."""
    model = goalprog.from_dict(CASE_A).model
    r = preemptive.run(model, UnderReportingBackend(backend), SolveOptions(),
                       preemptive.LockTolerance(abs_tol=0.0, rel_tol=0.0))
    assert r.status is Status.OPTIMAL
    assert r.stages[0].lock == 54 and r.stages[0].lock_style == "exact"
    assert [r.value(f"y{i}") for i in range(1, 5)] == [1, 1, 0, 0]


def test_lock_tolerance_absorbs_round_off(backend):
    model = goalprog.from_dict(CASE_A).model
    r = preemptive.run(model, UnderReportingBackend(backend), SolveOptions(), preemptive.LockTolerance())
    assert r.status is Status.OPTIMAL
    assert [r.value(f"y{i}") for i in range(1, 5)] == [1, 1, 0, 0]
    levels = r.levels.set_index("level")
    assert levels.loc[1, "achievement"] == pytest.approx(54)
    assert levels.loc[2, "achievement"] == pytest.approx(0)


def test_negative_optimum_additive_lock(backend):
    spec = {
        "variables": {"x": {"lower": 0, "upper": 10}, "y": {"lower": 0, "upper": 10}},
        "constraints": {"link": "x - y <= 5"},
        "goals": {"first": {"minimize": "-x", "priority": 1}, "second": {"minimize": "y", "priority": 2}},
        "solve": {"lock": {"abs_tol": 0, "rel_tol": 0.05}},
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert r.status is Status.OPTIMAL
    assert r.stages[0].lock == pytest.approx(-9.5)
    assert r.value("x") == pytest.approx(9.5)
    assert r.value("y") == pytest.approx(4.5)


INFEASIBLE = {
    "variables": {"x1": {}, "x2": {}, "x3": {}},
    "constraints": {
        "total": "x1 + x2 + x3 == 7",
        "mixA": "2*x1 - 5*x2 + x3 >= 10",
        "mixB": "x1 + 3*x2 + x3 >= 12",
    },
    "goals": {"small": {"expr": "x1", "at_most": 0}},
}


@pytest.mark.parametrize("method", ["weighted", "preemptive"])
def test_infeasible_hard_constraints_report_no_values(backend, method):
    r = goalprog.from_dict(INFEASIBLE).solve(backend=backend, method=method)
    assert r.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED)
    assert r.x is None
    assert "infeasible" in r.message
    with pytest.raises(ValueError):
        r.value("x1")
    assert r.variables.empty


def test_conflicting_rows_as_goals(backend):
    spec = {
        "variables": {"x1": {}, "x2": {}, "x3": {}},
        "constraints": {"total": "x1 + x2 + x3 == 7"},
        "goals": {"mixA": {"expr": "2*x1 - 5*x2 + x3", "at_least": 10},
                  "mixB": {"expr": "x1 + 3*x2 + x3", "at_least": 12}},
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert r.objective == pytest.approx(float(F(27, 7)))
    g = r.goals.set_index("goal")
    assert g.loc["mixB", "under"] == pytest.approx(float(F(27, 7)))
    assert g.loc["mixA", "under"] == pytest.approx(0, abs=1e-7)
    assert [r.value(v) for v in ("x1", "x2", "x3")] == pytest.approx([45 / 7, 4 / 7, 0], abs=1e-7)


def test_all_rows_as_goals(backend):
    spec = {
        "variables": {"x1": {}, "x2": {}, "x3": {}},
        "goals": {"total": {"expr": "x1 + x2 + x3", "equal": 7},
                  "mixA": {"expr": "2*x1 - 5*x2 + x3", "at_least": 10},
                  "mixB": {"expr": "x1 + 3*x2 + x3", "at_least": 12}},
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert r.objective == pytest.approx(27 / 11)
    g = r.goals.set_index("goal")
    assert g.loc["total", "over"] == pytest.approx(27 / 11)
    assert g.loc["total", "under"] == 0
    assert [r.value(v) for v in ("x1", "x2", "x3")] == pytest.approx([90 / 11, 14 / 11, 0], abs=1e-7)


def test_unbounded_level_stops_the_chain(backend):
    spec = {
        "variables": {"x": {"lower": None}},
        "constraints": {"c": "-2*x <= 0"},
        "goals": {"big": {"maximize": "x", "priority": 1}, "cap": {"expr": "x", "at_most": 5, "priority": 2}},
    }
    r = goalprog.from_dict(spec).solve(backend=backend)
    assert r.status in (Status.UNBOUNDED, Status.INFEASIBLE_OR_UNBOUNDED)
    assert len(r.stages) == 1
    assert r.x is None
    assert r.levels.set_index("level").loc[2, "status"] == "not_solved"


def test_constant_in_goal_moves_to_target(backend):
    """2x1 + 3x2 - 5 + x3 >= 10 is the goal 2x1 + 3x2 + x3 >= 15; the value includes the -5."""
    spec = {
        "variables": {"x1": {"upper": 1}, "x2": {"upper": 1}, "x3": {"upper": 1}},
        "goals": {"g": {"expr": "2*x1 + 3*x2 - 5 + x3", "at_least": 10}},
    }
    p = goalprog.from_dict(spec)
    row = p.model.goals[0].row
    assert p.model.row_lower[row] == 15
    r = p.solve(backend=backend)
    g = r.goals.iloc[0]
    # best is x = (1, 1, 1): 2 + 3 + 1 - 5 = 1, so the value is 1 and the shortfall 9
    assert g["value"] == pytest.approx(1)
    assert g["under"] == pytest.approx(9)


class _Lying(_UnderReporting):
    """Reports the level-1 objective 1 unit better than the values give: a solver bug."""

    def solve(self):
        rec = self.inner.solve()
        return replace(rec, objective=rec.objective - 1.0) if rec.objective is not None else rec


class LyingBackend(UnderReportingBackend):
    def session(self, model, options):
        return _Lying(self.inner.session(model, options))


def test_a_solver_report_that_disagrees_with_the_values_fails_loudly():
    model = goalprog.from_dict(CASE_A).model
    r = preemptive.run(model, LyingBackend("highs"), SolveOptions())
    assert r.status is Status.ERROR
    assert r.x is None
    assert "reported an objective of 53" in r.message and "the values give 54" in r.message


def test_infeasible_conflict_is_named(backend):
    r = goalprog.from_dict(INFEASIBLE).solve(backend=backend)
    assert r.conflict is not None
    # removing any one of the three rows makes the other two feasible (worked out in the module docstring)
    assert set(r.conflict.constraints) == {"total", "mixA", "mixB"}
    assert "total" in r.message and "mixB" in r.message


def test_wide_coefficient_range_is_warned():
    """Issue 5 case I: binaries; optimum 0 at x0 = x1 = x2 = 1; coefficients 1 .. 10800 plus a tiny one."""
    spec = {
        "variables": {n: {"type": "binary"} for n in ("x0", "x1", "x2", "c0", "c1")},
        "constraints": {"a": "x0 + c1 == 1", "b": "x0 + c0 >= 1", "c": "x1 + c1 <= 1", "d": "c0 + c1 <= 1",
                        "e": "x2 == 1", "f": "9000*x1 + 7200*x2 + 10800*c1 >= 16200",
                        "g": "0.000001*x0 + c0 <= 2"},
        "goals": {"slack": {"minimize": "c0 + c1"}},
    }
    r = goalprog.from_dict(spec).solve(backend="highs")
    assert r.status is Status.OPTIMAL
    assert r.value("c0") + r.value("c1") == 0
    assert (r.value("x0"), r.value("x1"), r.value("x2")) == (1, 1, 1)
    assert any("span" in w for w in r.warnings)


def _hard_knapsack():
    """40 binaries, weights 1000-9999, values within +-50 of the weights: the root LP leaves a gap."""
    import numpy as np

    rng = np.random.default_rng(5)
    n = 40
    w = rng.integers(1000, 9999, n)
    v = w + rng.integers(-50, 50, n)
    return {
        "variables": {f"x{i}": {"type": "binary"} for i in range(n)},
        "constraints": {"cap": " + ".join(f"{w[i]}*x{i}" for i in range(n)) + f" <= {int(w.sum() // 2)}"},
        "goals": {"value": {"maximize": " + ".join(f"{v[i]}*x{i}" for i in range(n)), "priority": 1},
                  "few": {"minimize": " + ".join(f"x{i}" for i in range(n)), "priority": 2}},
    }


# stop HiGHS at its first improving solution: a deterministic "limit" (no clock involved)
LIMIT = {"mip_max_improving_sols": 1, "presolve": "off"}


def test_limited_mip_level_is_not_reported_optimal(backend):
    r = goalprog.from_dict(_hard_knapsack()).solve(backend=backend, solver_options=LIMIT)
    assert r.status is Status.FEASIBLE
    assert len(r.stages) == 1                       # level 2 is not run on an unproven level 1
    assert r.stages[0].status is Status.FEASIBLE
    assert r.stages[0].termination.is_limit
    assert r.stages[0].lock is None                 # never locked
    assert "not proven optimal" in r.message
    assert r.x is not None                          # the feasible plan is shown, flagged


def test_accept_feasible_goes_on_and_flags_later_levels(backend):
    r = goalprog.from_dict(_hard_knapsack()).solve(backend=backend, solver_options=LIMIT, accept_feasible=True)
    assert r.status is Status.FEASIBLE
    assert len(r.stages) == 2
    assert r.stages[0].lock is not None and r.stages[0].lock_sense == ">="
    # level 2 is flagged: optimal only given level 1's unproven lock, or unproven itself (the limit applies to it too)
    assert "unproven lock of level 1" in r.stages[1].message or "not proven optimal" in r.stages[1].message
    # the final plan keeps the accepted incumbent's value (within the lock tolerance)
    value = r.levels.set_index("level").loc[1, "achievement"]
    assert value >= r.stages[0].lock - 1e-6


def test_pulp_survives_statuses_its_highs_interface_does_not_map():
    """PuLP's HiGHS class raises KeyError on HiGHS's 'solution limit' status; goalprog reads HiGHS itself."""
    r = goalprog.from_dict(_hard_knapsack()).solve(backend="pulp", solver_options=LIMIT)
    assert r.stages[0].termination.value == "node_limit"


def test_coefficient_range_is_reported():
    """Case I's rows: the smallest coefficient is 1 and the largest 10,800."""
    spec = {
        "variables": {n: {"type": "binary"} for n in ("x0", "x1", "x2", "c0", "c1")},
        "constraints": {"a": "x0 + c1 == 1", "b": "x0 + c0 >= 1", "c": "x1 + c1 <= 1", "d": "c0 + c1 <= 1",
                        "e": "x2 == 1", "f": "9000*x1 + 7200*x2 + 10800*c1 >= 16200"},
        "goals": {"slack": {"minimize": "c0 + c1"}},
    }
    r = goalprog.from_dict(spec).solve(backend="highs")
    assert r.to_dict()["model"]["coefficient_range"] == [1.0, 10800.0]
    assert r.objective == 0
    assert not any("span" in w for w in r.warnings)  # a ratio of 1e4 is no cause for a warning
