"""A solver that fails on an option says why; a solution-limit stop keeps the incumbent.

PuLP's cplex (CPLEX_PY) looks an option up as a CPLEX parameter path; ``mip_tolerances_mipgap``
(Pyomo's spelling) is none, and the run ended "the solver failed at priority level 1" with no
reason.  Pyomo's cplex and scip stopped by a solution limit (``mip_limits_solutions=1``,
``limits/solutions=1``) hold an incumbent, which goalprog dropped (``limit_no_solution``) because
Pyomo's summary status was 'unknown'; Gurobi and CBC returned theirs.

The knapsack below is checked by brute force over its 11^3 integer points: the optimum of
3x + 2y + 4z subject to 2x + 3y + 5z >= 37, x - y + z <= 3, 0..10 each.
"""

from __future__ import annotations

import itertools

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.status import Status
from tests.helpers import PROBLEMS

KNAPSACK = {
    "name": "knap",
    "variables": {v: {"lower": 0, "upper": 10, "type": "integer"} for v in "xyz"},
    "constraints": {"c": "2*x + 3*y + 5*z >= 37", "d": "x - y + z <= 3"},
    "goals": {"g": {"expr": "3*x + 2*y + 4*z", "at_most": 0, "priority": 1}},
    "solve": {"method": "preemptive"},
}


def feasible(x, y, z):
    return 2 * x + 3 * y + 5 * z >= 37 and x - y + z <= 3


OPTIMUM = min(3 * x + 2 * y + 4 * z for x, y, z in itertools.product(range(11), repeat=3) if feasible(x, y, z))


def test_pulp_cplex_option_failure_names_the_option():
    pytest.importorskip("cplex", reason="cplex is not installed")
    res = CliRunner().invoke(main, ["solve", str(PROBLEMS / "clothing_factory_preemptive.yaml"), "--backend", "pulp",
                                    "--solver", "cplex", "--option", "mip_tolerances_mipgap=0.9"])
    assert res.exit_code == 7, res.output
    text = " ".join(res.output.split())
    # refused before solving (the option check of the solver's keywords), or by CPLEX: either way named,
    # with PuLP's dotted spelling as the fix
    assert ("has no option 'mip_tolerances_mipgap'" in text or "CPLEX has no parameter 'mip_tolerances_mipgap'" in text)
    assert "mip.tolerances.mipgap" in text


@pytest.mark.parametrize("solver,option,package", [("cplex", {"mip_limits_solutions": 1}, "cplex"),
                                                   ("scip", {"limits/solutions": 1}, "pyscipopt"),
                                                   ("gurobi", {"SolutionLimit": 1}, "gurobipy")])
def test_a_solution_limit_stop_keeps_the_incumbent(solver, option, package):
    pytest.importorskip(package, reason=f"{package} is not installed")
    r = goalprog.from_dict(KNAPSACK).solve(backend="pyomo", solver=solver, solver_options=option)
    assert r.status in (Status.FEASIBLE, Status.OPTIMAL), (r.status, r.message)
    x, y, z = (round(r.value(v)) for v in "xyz")
    assert feasible(x, y, z)
    assert r.stages[0].objective == pytest.approx(3 * x + 2 * y + 4 * z)
    assert r.stages[0].objective >= OPTIMUM - 1e-9
