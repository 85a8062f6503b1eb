"""A solver without a backend: goalprog picks the backend that routes the solver (docs/format.md,
``solve.solver``); a backend the user gave keeps its clear error."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

import goalprog
from goalprog.cli import main
from goalprog.core.errors import BackendError
from goalprog.solve.config import SolveConfig
from goalprog.spec.solvers import backend_for_solver

CLOTHING = """\
variables:
  p: {lower: 0}
  s: {lower: 0}
  d: {lower: 0}
constraints:
  budget: 5*p + s + 10*d <= 50000
goals:
  profit: {expr: 10*p + 3*s + 15*d, at_least: 150000, weight: 1}
  waste: {expr: 1.5*p + s + 3*d, at_most: 20000, weight: 1}
"""


@pytest.mark.parametrize("name, backend", [
    ("highs", "highs"), ("HiGHS", "highs"), ("cbc", "pulp"), ("glpk", "pulp"), ("gurobi", "pulp"),
    ("cplex", "pulp"), ("scip", "pulp"), ("PULP_CBC_CMD", "pulp"), ("highs_cmd", "pulp"),
    ("gurobi_direct", "pyomo"), ("ipopt", "pyomo"), ("appsi_highs", "pyomo"), ("cplex_persistent", "pyomo"),
    ("gurobii", None), ("./cbc", None)])
def test_backend_for_solver(name, backend):
    assert backend_for_solver(name) == backend


def test_resolve_picks_the_backend_of_the_solver():
    assert SolveConfig.resolve(solver="cbc").backend == "pulp"
    assert SolveConfig.resolve(solver="gurobi_direct").backend == "pyomo"
    assert SolveConfig.resolve().backend == "highs"
    assert SolveConfig.resolve(solver="highs").backend == "highs"
    assert SolveConfig.resolve(backend="pyomo", solver="cbc").backend == "pyomo"  # a given backend stays


def test_a_file_solver_without_backend_runs_on_pulp(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(CLOTHING + "solve: {solver: cbc}\n")
    result = goalprog.load(path).solve()
    assert result.objective == pytest.approx(30000)  # s=50,000: profit 150,000 met, waste 50,000 (30,000 over)
    out = CliRunner().invoke(main, ["solve", str(path)])
    assert out.exit_code == 0, out.output
    assert "backend: pulp" in out.output


def test_cli_solver_without_backend(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(CLOTHING)
    out = CliRunner().invoke(main, ["solve", str(path), "--solver", "glpk"])
    assert out.exit_code == 0, out.output
    assert "backend: pulp" in out.output


def test_typo_gets_did_you_mean_before_the_route():
    with pytest.raises(BackendError, match=r"no backend knows the solver 'gurobii'; did you mean 'gurobi'"):
        SolveConfig.resolve(solver="gurobii")
    with pytest.raises(BackendError) as exc:
        SolveConfig.resolve(backend="highs", solver="gurobii")
    text = str(exc.value)
    assert text.index("did you mean 'gurobi'") < text.index("the highs backend solves with HiGHS only")


def test_given_backend_without_route_keeps_the_error_located_in_the_file(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text(CLOTHING + "solve:\n  solver: cbc\n")
    with pytest.raises(BackendError, match="the highs backend solves with HiGHS only, not 'cbc'") as exc:
        goalprog.load(path).solve(backend="highs")
    issue = exc.value.issues[0]
    assert issue.location.line == 11 and "--backend pulp" in issue.hint
    out = CliRunner().invoke(main, ["solve", str(path), "--backend", "highs"])
    assert out.exit_code == 7
    assert "p.yaml:11:" in out.output
