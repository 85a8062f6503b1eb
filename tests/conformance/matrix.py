"""The solver conformance matrix: which solver runs on which backend here, and the cases every pair runs.

Rows: a (solver, backend) pair of :data:`PAIRS` (six solvers by three backends).  A pair runs when
the backend has a route to the solver (:func:`no_route`) and the solver is installed
(:func:`not_installed`); otherwise each case is skipped with that reason.  Columns: the cases of
:data:`CASES`, each a function ``check(solver, backend)`` that raises ``AssertionError`` on a wrong
answer and ``pytest.skip`` where the pair cannot take the case.

Every expected value is independent of goalprog: published (the clothing factory, Winston's media
selection), derived by hand (the comments of ``tests/conformance/problems/*.yaml``), or one of
``tests/library/cases`` (hand-written PuLP goal programs and published answers).  Used by
``tests/conformance/test_conformance.py`` and by ``python -m tests.conformance.table``.
"""

from __future__ import annotations

import functools
import importlib.util
import math
import shutil
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Callable

import pytest

import goalprog
from goalprog import Status
from goalprog.core.errors import SolverError
from tests.helpers import PROBLEMS
from tests.library.cases import load_cases, resolve

HERE = Path(__file__).resolve().parent / "problems"

SOLVERS = ("highs", "cbc", "glpk", "scip", "gurobi", "cplex")
BACKENDS = ("highs", "pulp", "pyomo")
PAIRS = tuple((s, b) for s in SOLVERS for b in BACKENDS)


def no_route(solver: str, backend: str) -> str | None:
    """Why ``backend`` cannot run ``solver`` at all (``None``: it has a route)."""
    if backend == "highs" and solver != "highs":
        return "the highs backend runs HiGHS only (use --backend pulp or pyomo)"
    return None


def _module(name: str) -> bool:
    return importlib.util.find_spec(name) is not None


@functools.lru_cache(maxsize=None)
def _gurobi_licence() -> str | None:
    if not _module("gurobipy"):
        return "gurobipy is not installed (pip install gurobipy, or .[solvers])"
    try:
        import gurobipy

        with gurobipy.Env(params={"OutputFlag": 0}):
            pass
    except Exception as exc:  # no licence at all (the pip licence is size-limited, not absent)
        return f"gurobipy has no usable licence here ({exc})"
    return None


@functools.lru_cache(maxsize=None)
def not_installed(solver: str, backend: str) -> str | None:
    """Why ``solver`` is not usable on ``backend`` on this machine (``None``: it is)."""
    if solver == "highs":
        return None
    if solver == "cbc":
        if backend == "pulp":
            import pulp

            return None if pulp.PULP_CBC_CMD(msg=False).available() else "PuLP's bundled CBC is missing"
        return None if shutil.which("cbc") else "no cbc program on PATH (apt-get install coinor-cbc)"
    if solver == "glpk":
        return None if shutil.which("glpsol") else "no glpsol program on PATH (apt-get install glpk-utils)"
    if solver == "scip":
        return None if _module("pyscipopt") else "pyscipopt is not installed (pip install pyscipopt, or .[solvers])"
    if solver == "gurobi":
        return _gurobi_licence()
    if solver == "cplex":
        return None if _module("cplex") else "cplex is not installed (pip install cplex, or .[solvers])"
    return f"unknown solver {solver}"


def skip_reason(solver: str, backend: str) -> str | None:
    """The reason every case of the pair is skipped, or ``None`` when the pair runs."""
    return no_route(solver, backend) or not_installed(solver, backend)


# --- solving ------------------------------------------------------------------------------------

def solve(path, solver: str, backend: str, **kwargs):
    """``goalprog.load(path).solve(backend=..., solver=..., **kwargs)``; skips when a size-limited
    licence refused the model (a limit of the licence, not a fault of the pair)."""
    try:
        return goalprog.load(path).solve(backend=backend, solver=solver, **kwargs)
    except SolverError as exc:
        if "size-limited licence" in str(exc):
            pytest.skip(f"{solver}'s size-limited licence refused the model: {str(exc)[:160]}")
        raise


def close(value, want, rel=1e-9, abs_=1e-6):
    """``value`` equals ``want`` (a number or a Fraction) to ``rel`` relative or ``abs_`` absolute."""
    want = float(want)
    assert value is not None and math.isclose(float(value), want, rel_tol=rel, abs_tol=abs_), \
        f"got {value!r}, expected {want!r}"


def optimal(r):
    assert r.status is Status.OPTIMAL, f"status {r.status.value}: {r.message}"


# --- cases --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Case:
    """One column of the table: ``name``, ``kind`` (LP / MIP), what it checks, and the check."""

    name: str
    kind: str
    what: str
    check: Callable[[str, str], None]


def _clothing_weighted(solver, backend):
    # weights (1, 1): p = 0, s = 50,000, d = 0, objective 30,000 (the project's reference, by hand)
    r = solve(PROBLEMS / "clothing_factory_weighted.yaml", solver, backend)
    optimal(r)
    close(r.objective, 30_000)
    close(r.value("shirts"), 50_000)
    close(r.value("pants"), 0)
    close(r.value("dresses"), 0)


def _clothing_weighted_15(solver, backend):
    # weights (1, 1.5): p = 60,000/7, s = 50,000/7, d = 0, waste exactly 20,000 (by hand)
    r = solve(PROBLEMS / "clothing_factory_weighted_1_1.5.yaml", solver, backend)
    optimal(r)
    close(r.value("pants"), Fraction(60_000, 7), rel=1e-12)
    close(r.value("shirts"), Fraction(50_000, 7), rel=1e-12)
    close(r.value("dresses"), 0)
    close(r.value("waste"), 20_000, rel=1e-12)


def _clothing_preemptive(solver, backend):
    # profit first: level values (0, 30,000); profit 150,000, waste 50,000 (by hand)
    r = solve(PROBLEMS / "clothing_factory_preemptive.yaml", solver, backend)
    optimal(r)
    assert r.method == "preemptive"
    levels = r.levels.set_index("level")
    assert list(levels.index) == [1, 2]
    for col in ("achievement", "stage_value"):
        close(levels.loc[1, col], 0)
        close(levels.loc[2, col], 30_000)
    close(r.value("profit"), 150_000)
    close(r.value("waste"), 50_000)


def _clothing_objectives(solver, backend):
    # maximise profit (150,000: only shirts earn $3 per $1 of the $50,000), then the least waste
    # among those plans: s = 50,000 is the only one, waste 50,000 (by hand)
    r = solve(PROBLEMS / "clothing_factory_objectives.yaml", solver, backend)
    optimal(r)
    close(r.value("profit"), 150_000)
    close(r.value("waste"), 50_000)
    close(r.value("shirts"), 50_000)


def _chebyshev(solver, backend):
    r = solve(HERE / "chebyshev.yaml", solver, backend)
    optimal(r)
    assert r.method == "chebyshev"
    close(r.objective, 4)
    close(r.value("x"), 6)
    close(r.value("y"), 6)


def _chebyshev_integer(solver, backend):
    r = solve(HERE / "chebyshev_integer.yaml", solver, backend)
    optimal(r)
    close(r.objective, 5)
    x, y = r.value("x"), r.value("y")  # any whole plan with x + y <= 11 and max(10 - x, 10 - y) = 5
    assert abs(x - round(x)) < 1e-6 and abs(y - round(y)) < 1e-6 and x + y <= 11 + 1e-9, (x, y)
    close(max(10 - x, 10 - y), 5)


CANNOT_TELL = {
    ("glpk", "unbounded_mip"): "glpsol stops a MIP whose LP relaxation is unbounded undecided (INTEGER UNDEFINED)",
}
"""(solver, case) pairs where the solver itself cannot tell infeasible from unbounded: the status
must then be ``infeasible_or_unbounded`` (never optimal, never the wrong one of the two)."""


def _status_case(file: str, want: Status, key: str):
    def check(solver, backend):
        r = solve(HERE / file, solver, backend)
        if (solver, key) in CANNOT_TELL:
            assert r.status in (want, Status.INFEASIBLE_OR_UNBOUNDED), f"status {r.status.value}: {r.message}"
        else:
            assert r.status is want, f"status {r.status.value}, expected {want.value}: {r.message}"
        assert r.x is None or not r.has_solution
    return check


def _time_limit(solver, backend):
    # market split (4 x 30): no solver proves it in 1 s; the stop must not be called optimal
    r = solve(HERE / "market_split.yaml", solver, backend, time_limit=1)
    assert r.status in (Status.FEASIBLE, Status.LIMIT_NO_SOLUTION), f"status {r.status.value}: {r.message}"
    rec = r.stages[0]
    assert rec.termination.value in ("time_limit", "node_limit", "iteration_limit", "interrupted"), rec.termination
    if r.status is Status.FEASIBLE:
        assert r.objective is not None and r.objective >= -1e-9
        if rec.bound is not None:  # a minimisation: the bound is below the incumbent
            assert rec.bound <= r.objective + 1e-6, (rec.bound, r.objective)


_LIB = load_cases()
_EXPECTED: dict = {}


def _expected(name, key):
    if (name, key) not in _EXPECTED:
        _EXPECTED[name, key] = resolve(_LIB[name][key])
    return _EXPECTED[name, key]


def _library(name: str, key: str):
    case = _LIB[name]
    tol = {"rel": 1e-6, "abs": 1e-12, **case.get("level_tolerance", {"abs": 1e-6})}  # pytest.approx's defaults

    def check(solver, backend):
        if backend not in case.get("backends", BACKENDS):
            pytest.skip(f"tests/library/cases/{name}.py runs on {', '.join(case['backends'])} only")
        want = _expected(name, key)
        if key == "levels":
            r = solve(PROBLEMS / case["file"], solver, backend)
            optimal(r)
            levels = r.levels.set_index("level")
            assert list(levels.index) == list(range(1, len(want) + 1))
            for column in case["level_columns"]:
                for level, value in zip(levels.index, want):
                    close(levels.loc[level, column], value, tol["rel"], tol["abs"])
        else:
            r = solve(PROBLEMS / case["file"], solver, backend, method="weighted")
            optimal(r)
            close(r.objective, want, 1e-6, 1e-6)
    return check


def _kind(file: str) -> str:
    return "MIP" if goalprog.load(PROBLEMS / file).model.is_mip else "LP"


CASES: tuple[Case, ...] = (
    Case("clothing_weighted", "LP", "weighted (1, 1): objective 30,000, s = 50,000", _clothing_weighted),
    Case("clothing_weighted_1_1.5", "LP", "weighted (1, 1.5): p = 60,000/7, s = 50,000/7 to 1e-12",
         _clothing_weighted_15),
    Case("clothing_preemptive", "LP", "preemptive: levels (0, 30,000)", _clothing_preemptive),
    Case("clothing_objectives", "LP", "lexicographic objectives: profit 150,000, waste 50,000",
         _clothing_objectives),
    Case("chebyshev", "LP", "Chebyshev (docs/methods.md): D = 4 at x = y = 6", _chebyshev),
    Case("chebyshev_integer", "MIP", "Chebyshev MIP: D = 5 (the LP relaxation gives 4.5)", _chebyshev_integer),
    *(Case(f"{name}.{'levels' if key == 'levels' else 'weighted'}", _kind(c["file"]),
           f"problems/{c['file']}: {'preemptive levels' if key == 'levels' else 'weighted objective'} "
           f"as tests/library/cases/{name}.py gives them", _library(name, key))
      for name, c in _LIB.items() for key in ("levels", "weighted_objective") if key in c),
    Case("infeasible_lp", "LP", "status infeasible", _status_case("infeasible_lp.yaml", Status.INFEASIBLE,
                                                                   "infeasible_lp")),
    Case("infeasible_mip", "MIP", "status infeasible (LP relaxation feasible)",
         _status_case("infeasible_mip.yaml", Status.INFEASIBLE, "infeasible_mip")),
    Case("unbounded_lp", "LP", "status unbounded", _status_case("unbounded_lp.yaml", Status.UNBOUNDED,
                                                                 "unbounded_lp")),
    Case("unbounded_mip", "MIP", "status unbounded", _status_case("unbounded_mip.yaml", Status.UNBOUNDED,
                                                                   "unbounded_mip")),
    Case("time_limit", "MIP", "market split, 1 s: feasible or no solution, never optimal", _time_limit),
)
