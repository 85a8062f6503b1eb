"""How a solver name is reached, what a missing solver says, and the MIP gap every solver is given.

* a solver the backend has no route to, or that is not installed, is a clear error (exit 7) that
  names what to install;
* every solver is asked for a MIP gap of 0 (relative and absolute where it has both): read back
  from the solver itself after a solve (PuLP drops a ``gapRel`` of 0 for Gurobi, whose default is
  1e-4);
* glpsol's status lines map to goalprog's statuses (a time-limit stop is never optimal).
"""

import importlib.util
import subprocess
import sys

import pytest

import goalprog
from goalprog.core.errors import BackendError, SolverError
from goalprog.core.status import SolutionStatus, Termination
from goalprog.solve.backends.base import Backend, SolveOptions, get_backend
from goalprog.solve.backends.pulp_solvers import glpk_outcome
from goalprog.solve.strategies import weighted
from tests.conformance.matrix import not_installed
from tests.helpers import PROBLEMS

MEDIA = PROBLEMS / "media_selection.yaml"  # a MIP


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "goalprog", *map(str, args)], capture_output=True, text=True,
                          timeout=120)


@pytest.mark.parametrize("solver", ["gurobi", "cplex", "scip", "glpk", "cbc"])
def test_no_route_on_the_highs_backend(solver):
    res = _cli("solve", PROBLEMS / "clothing_factory_weighted.yaml", "-b", "highs", "-s", solver)
    assert res.returncode == 7, res.stderr
    assert "HiGHS only" in res.stderr and "--backend pulp" in res.stderr
    assert "Traceback" not in res.stderr


@pytest.mark.parametrize("backend", ["pulp", "pyomo"])
@pytest.mark.parametrize("solver,package,hint", [("cplex", "cplex", "pip install cplex"),
                                                 ("scip", "pyscipopt", "pip install pyscipopt")])
def test_a_missing_python_solver_names_its_package(monkeypatch, backend, solver, package, hint):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == package else real(name, *a))
    monkeypatch.setenv("PATH", "/nonexistent")  # and no program of that name either
    with pytest.raises(BackendError) as err:
        goalprog.load(MEDIA).solve(backend=backend, solver=solver)
    assert "not installed" in str(err.value) and hint in str(err.value), str(err.value)


@pytest.mark.parametrize("backend", ["pulp", "pyomo"])
def test_a_missing_glpk_names_the_debian_package(monkeypatch, backend):
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(BackendError) as err:
        goalprog.load(MEDIA).solve(backend=backend, solver="glpk")
    assert "not installed" in str(err.value) and "glpk-utils" in str(err.value), str(err.value)


class _Keep(Backend):
    """A backend that keeps the sessions it made, to read the solver's parameters after a solve."""

    def __init__(self, name):
        self.inner, self.name, self.sessions = get_backend(name), name, []

    def available(self):
        return True, ""

    def session(self, model, options):
        s = self.inner.session(model, options)
        self.sessions.append(s)
        return s


def _gaps(backend, solver, session):
    """(relative gap, absolute gap) the solver ran the last MIP solve with, read from the solver."""
    if backend == "pulp":
        m = session.prob.solverModel
        name = session.solver.name
    else:
        m = getattr(session.opt, "_solver_model", None)
        name = solver
    if solver == "gurobi":
        return m.Params.MIPGap, m.Params.MIPGapAbs
    if solver == "cplex":
        return m.parameters.mip.tolerances.mipgap.get(), m.parameters.mip.tolerances.absmipgap.get()
    if solver == "scip":
        return m.getParam("limits/gap"), m.getParam("limits/absgap")
    if solver == "glpk":
        if backend == "pulp":
            opts = list(session.solver.options)
            return float(opts[opts.index("--mipgap") + 1]), 0.0  # glpsol has a relative gap only
        return float(session.opt.options["mipgap"]), 0.0
    if solver == "cbc":
        return session.solver.optionsDict["gapRel"], session.solver.optionsDict["gapAbs"]
    assert name == "HiGHS"
    values = [m.getOptionValue(k) for k in ("mip_rel_gap", "mip_abs_gap")]
    return tuple(v[1] if isinstance(v, tuple) else v for v in values)  # (status, value) in some highspy


@pytest.mark.parametrize("backend,solver", [("pulp", s) for s in ("highs", "cbc", "glpk", "scip", "gurobi", "cplex")]
                         + [("pyomo", s) for s in ("glpk", "scip", "gurobi", "cplex")])
def test_every_solver_gets_a_mip_gap_of_zero(backend, solver):
    why = not_installed(solver, backend)
    if why:
        pytest.skip(why)
    keep = _Keep(backend)
    model = goalprog.load(MEDIA).model
    r = weighted.run(model, keep, SolveOptions(solver=solver))
    assert r.status is goalprog.Status.OPTIMAL
    assert _gaps(backend, solver, keep.sessions[-1]) == (0.0, 0.0)


@pytest.mark.parametrize("backend,solver", [("pulp", "gurobi"), ("pyomo", "gurobi"), ("pulp", "scip")])
def test_a_gap_asked_for_reaches_the_solver(backend, solver):
    why = not_installed(solver, backend)
    if why:
        pytest.skip(why)
    keep = _Keep(backend)
    weighted.run(goalprog.load(MEDIA).model, keep, SolveOptions(solver=solver, mip_gap=0.05))
    assert _gaps(backend, solver, keep.sessions[-1])[0] == 0.05


@pytest.mark.parametrize("line,time_limit,want", [
    ("OPTIMAL", False, (Termination.OPTIMAL, SolutionStatus.OPTIMAL)),
    ("INTEGER OPTIMAL", False, (Termination.OPTIMAL, SolutionStatus.OPTIMAL)),
    ("INTEGER NON-OPTIMAL", True, (Termination.TIME_LIMIT, SolutionStatus.FEASIBLE)),  # PuLP: "Optimal"
    ("INTEGER UNDEFINED", True, (Termination.TIME_LIMIT, SolutionStatus.NONE)),
    ("INTEGER UNDEFINED", False, (Termination.INFEASIBLE_OR_UNBOUNDED, SolutionStatus.NONE)),
    ("INFEASIBLE (FINAL)", False, (Termination.INFEASIBLE, SolutionStatus.NONE)),
    ("INTEGER EMPTY", False, (Termination.INFEASIBLE, SolutionStatus.NONE)),
    ("UNBOUNDED", False, (Termination.UNBOUNDED, SolutionStatus.NONE)),  # PuLP: "Undefined"
])
def test_glpsol_status_lines(line, time_limit, want):
    assert glpk_outcome(line, time_limit, False, True) == want


def test_glpk_time_limit_is_whole_seconds():
    """glpsol refuses --tmlim 1.5; goalprog rounds a time limit up to whole seconds for it."""
    if not_installed("glpk", "pulp"):
        pytest.skip(not_installed("glpk", "pulp"))
    r = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(backend="pulp", solver="glpk",
                                                                         time_limit=1.5)
    assert r.status is goalprog.Status.OPTIMAL and r.objective == pytest.approx(30_000)


@pytest.mark.parametrize("backend", ["pulp", "pyomo"])
@pytest.mark.parametrize("solver,size", [("gurobi", 2_100), ("cplex", 1_100)])
def test_a_model_beyond_the_size_limited_licence_is_a_clear_error(backend, solver, size):
    """gurobipy's pip licence takes 2,000 variables, CPLEX Community Edition 1,000: a larger model
    is a SolverError (exit 7) that says so, not a bare "the solver failed"."""
    if not_installed(solver, backend):
        pytest.skip(not_installed(solver, backend))
    problem = goalprog.from_dict({"name": "big", "sets": {"items": {"range": [1, size]}},
                                  "variables": {"x": {"index": "items", "lower": 0, "upper": 1}},
                                  "goals": {"total": {"expr": "sum(x[i] for i in items)", "at_least": 100}}})
    try:
        r = problem.solve(backend=backend, solver=solver)
    except SolverError as exc:
        assert "size-limited licence" in str(exc) and "--solver highs" in str(exc), str(exc)
        return
    assert r.status is goalprog.Status.OPTIMAL  # a full licence: it solves
    assert r.objective == pytest.approx(0.0)
