"""A MIP stage is proven against its value *as goalprog evaluates it* (strategies/mip_check.py).

The problem (an adversarial review's reproducer) has a goal row ``10 x0 - 1.5342 x2 = 97730``
at priority 1 and an equality ``7.5 x2 + 7.1 x4 = 18890`` with ``x0``, ``x4`` integer.  SCIP's
feasibility tolerance (1e-6 relative to the row, about 0.1 here) hid the deviation: pulp/scip
reported level 1 = 0.0745 "optimal" with bound 0.0014352, pyomo/scip locked it at 0 and called
level 2 infeasible.  The level-1 optimum is derived here by exact enumeration over ``x4`` with
fractions (``x2`` follows from c0, the best ``x0`` is the rounding of the goal row), never from
goalprog.
"""

from __future__ import annotations

import importlib.util
import math
from fractions import Fraction as F

import pytest
import yaml

import goalprog

PROBLEM = {
    "name": "fz",
    "variables": {"x0": {"upper": 41800.0, "type": "integer"}, "x1": {"upper": 17900.0},
                  "x2": {"upper": 32100.0}, "x3": {"lower": None, "upper": 7100.0}, "x4": {"type": "integer"}},
    "constraints": {"c0": "7.5*x2 + 7.1*x4 == 18890.0", "c1": "7.73*x0 + 2.8*x3 <= 43940.0"},
    "goals": {
        "g0": {"expr": "2.37*x0 + 9.0*x1 + 3.0*x4", "equal": 84106.0, "weight": 2.9, "priority": 2},
        "g1": {"expr": "1.6933*x0 + 4.4492*x1 + 7.99*x2 - 4.7464*x4", "at_most": 146740.0, "weight": 3.4,
               "priority": 3},
        "g2": {"expr": "10.0*x0 - 1.5342*x2", "equal": 97730.0, "weight": 2.3, "priority": 1},
    },
    "solve": {"method": "preemptive"},
}


def _level1(x0, x4):
    """Level 1 (2.3 |g2 - 97730|) of integers x0, x4, with x2 from c0; ``None`` if x2 is out of range."""
    x2 = (F("18890") - F("7.1") * x4) / F("7.5")
    if not 0 <= x2 <= 32100:
        return None
    return F("2.3") * abs(10 * x0 - F("1.5342") * x2 - 97730)


def _exact_optimum():
    best = None
    for x4 in range(0, 2661):  # x2 >= 0 needs 7.1 x4 <= 18890
        x2 = (F("18890") - F("7.1") * x4) / F("7.5")
        centre = (97730 + F("1.5342") * x2) / 10
        for x0 in (math.floor(centre), math.ceil(centre)):
            if 0 <= x0 <= 41800:
                v = _level1(x0, x4)
                if v is not None and (best is None or v < best[0]):
                    best = (v, x0, x4)
    return best


def test_exact_optimum_is_the_independent_solvers_plan():
    value, x0, x4 = _exact_optimum()
    assert (x0, x4) == (10047, 774)  # HiGHS, CBC and Gurobi's plan
    assert value == F("0.0014352")
    # c1 holds for any x0 (x3 has no lower bound), x1 only in later levels: the plan is feasible


def _has(name):
    return importlib.util.find_spec(name) is not None


@pytest.mark.parametrize("backend", ["pulp", "pyomo"])
def test_scip_level_one_is_the_true_optimum_or_not_optimal(backend, tmp_path):
    if not _has("pyscipopt"):
        pytest.skip("pyscipopt (SCIP) is not installed")
    if backend == "pyomo" and not _has("pyomo"):
        pytest.skip("pyomo is not installed")
    path = tmp_path / "m171.yaml"
    path.write_text(yaml.safe_dump(PROBLEM, sort_keys=False))
    r = goalprog.load(str(path)).solve(backend=backend, solver="scip")
    level1 = r.stages[0]
    if level1.status.value == "optimal":
        assert level1.objective == pytest.approx(0.0014352, rel=1e-6, abs=1e-9)
        assert level1.lock == pytest.approx(0.0014352, rel=1e-6, abs=1e-9)
        assert round(r.value("x0")) == 10047 and round(r.value("x4")) == 774
        assert r.status.value == "optimal"
        # the final plan's level 1, evaluated exactly from its integer columns
        assert float(_level1(round(r.value("x0")), round(r.value("x4")))) == pytest.approx(0.0014352, rel=1e-9)
    else:
        assert level1.status.value != "optimal"
        assert r.status.value != "optimal"


class _ClaimsZero:
    """The session a stage came from, as the check sees it: its model (no solver is run: the check
    re-solves with HiGHS itself; a failed check re-solves only on SCIP)."""

    def __init__(self, model):
        self.model = model


def test_a_claimed_optimum_is_checked_against_the_plans_true_value():
    """Backend-independent: the check re-solves the stage with the integer columns fixed (HiGHS LP)
    and calls the stage not proven when the claimed bound does not meet that value."""
    import numpy as np

    from goalprog.core.status import SolutionStatus, Termination
    from goalprog.solve.achievement import achievement
    from goalprog.solve.backends.base import StageRecord
    from goalprog.solve.strategies.mip_check import true_mip_stage

    model = goalprog.from_dict(PROBLEM).model
    objective = achievement(model, 1)
    ref = goalprog.from_dict(PROBLEM).solve(backend="highs")  # a plan to take the column layout from
    x = np.array(ref.x, dtype=np.float64)
    j0 = [i for i, v in enumerate(x) if round(v) == 10047][0]
    x[j0] = 9777.0  # the tolerance-hidden plan: its level 1 is far above 0
    x[objective.vector.indices] = 0.0  # the solver's deviation columns: 0
    claimed = StageRecord(Termination.OPTIMAL, SolutionStatus.OPTIMAL, 0.0, x, 0.0, 0.0, "fake/solver", "optimal")
    session = _ClaimsZero(model)
    out = true_mip_stage(session, objective, [], claimed)
    assert out.termination is Termination.GAP_LIMIT and out.solution is SolutionStatus.FEASIBLE
    assert "not proven optimal" in out.message
    # the true level 1 of x0 = 9777 with x4 as in the plan (x2 from c0), exactly
    x4 = round(x[[i for i, v in enumerate(ref.x) if round(v) == 774][0]])
    assert out.objective == pytest.approx(float(_level1(9777, x4)), rel=1e-9)
