"""An option a solver does not take is a SolverError (exit 7) that names the option, the solver
and the options it takes, on every PuLP solver class and Pyomo's in-process interfaces; not
Python's raw ``__init__() got an unexpected keyword argument``."""

from __future__ import annotations

import importlib.util
import shutil

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.errors import SolverError

PROBLEM = "variables:\n  x: {lower: 0, upper: 10}\ngoals:\n  g: {expr: x, at_least: 12}\n"

NEEDS = {"cbc": None, "glpk": ("program", "glpsol"), "highs_cmd": ("program", "highs"),
         "scip": ("module", "pyscipopt"), "gurobi": ("module", "gurobipy"), "cplex": ("module", "cplex")}


def _skip_unless(solver):
    need = NEEDS[solver]
    if need is None:
        return
    kind, name = need
    if kind == "program" and shutil.which(name) is None:
        pytest.skip(f"the program {name} is not installed")
    if kind == "module" and importlib.util.find_spec(name) is None:
        pytest.skip(f"the Python package {name} is not installed")


@pytest.mark.parametrize("solver", list(NEEDS))
def test_pulp_unknown_option(solver):
    _skip_unless(solver)
    with pytest.raises(SolverError) as exc:
        goalprog.from_dict({"variables": {"x": {"lower": 0, "upper": 10}},
                            "goals": {"g": {"expr": "x", "at_least": 12}}}).solve(
            backend="pulp", solver=solver, solver_options={"bogus": 1})
    text = str(exc.value)
    assert f"the solver {solver!r} has no option 'bogus'" in text
    assert "unexpected keyword argument" not in text
    assert "takes" in exc.value.issues[0].hint


@pytest.mark.parametrize("solver", ["scip", "gurobi", "cplex"])
def test_pyomo_unknown_option(solver):
    _skip_unless(solver)
    with pytest.raises(SolverError, match=f"the solver '{solver}' has no option 'bogus'"):
        goalprog.from_dict({"variables": {"x": {"lower": 0, "upper": 10}},
                            "goals": {"g": {"expr": "x", "at_least": 12}}}).solve(
            backend="pyomo", solver=solver, solver_options={"bogus": 1})


def test_cli_exit_7_with_the_options_cbc_takes(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(PROBLEM)
    out = CliRunner().invoke(main, ["solve", str(path), "--backend", "pulp", "--solver", "cbc", "--option", "bogus=1"])
    assert out.exit_code == 7, out.output
    assert "has no option 'bogus'" in out.output and "timeLimit" in out.output
    assert "__init__" not in out.output
