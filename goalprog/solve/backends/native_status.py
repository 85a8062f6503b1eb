"""Statuses, objective and bound read straight off a solver's own model object (Gurobi, CPLEX, SCIP).

PuLP's ``GUROBI``, ``CPLEX_PY`` and ``SCIP_PY`` classes and Pyomo's ``gurobi_direct``,
``cplex_direct`` and ``scip_direct`` interfaces keep the solver's model after a solve
(``prob.solverModel``; Pyomo's ``_solver_model``).  Their own summaries lose what goalprog needs:
PuLP calls CPLEX's ``MIP_time_limit_feasible`` "Optimal" and its ``MIP_time_limit_infeasible``
"Infeasible", and Gurobi's ``INF_OR_UNBD`` "Infeasible".  So the outcome is read here from the
solver itself, one table per solver:

- a time, node, iteration or solution limit is never optimal: ``FEASIBLE`` with the incumbent
  when there is one (objective and best bound returned), else no solution;
- "infeasible or unbounded" (a presolve that proved one of the two) is settled by one re-solve
  without the reductions that blur them (Gurobi ``DualReductions=0``, CPLEX presolve off, SCIP
  presolving off); where that still does not tell, the status stays
  ``INFEASIBLE_OR_UNBOUNDED``;
- a MIP's objective and best bound are returned in the problem's own sense so that
  :func:`goalprog.solve.backends.gaps.proven` can tell a proof from a gap stop.

Also :data:`ZERO_GAP`: the parameters that ask each solver for a MIP gap of 0 (relative and
absolute), since its default gap stop is no proof (see :mod:`~goalprog.solve.backends.gaps`).
No solver library is imported at module level.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ...core.status import SolutionStatus, Termination

ZERO_GAP = {
    "gurobi": {"MIPGap": 0.0, "MIPGapAbs": 0.0},                                   # Gurobi parameter names
    "cplex": {"mip.tolerances.mipgap": 0.0, "mip.tolerances.absmipgap": 0.0},      # CPLEX parameter paths
    "scip": {"limits/gap": 0.0, "limits/absgap": 0.0},                             # SCIP parameter names
}
"""Per solver family, the MIP gap parameters of 0 (defaults: Gurobi 1e-4 / 1e-10, CPLEX 1e-4 /
1e-6, SCIP 0 / 0)."""

INSTALL = {
    "gurobi": "pip install gurobipy (its size-limited licence solves models of up to 2,000 variables "
              "and 2,000 constraints offline)",
    "cplex": "pip install cplex (the Community Edition solves models of up to 1,000 variables and 1,000 "
             "constraints)",
    "scip": "pip install pyscipopt",
    "glpk": "install GLPK's glpsol program (Debian/Ubuntu: apt-get install glpk-utils; macOS: brew install glpk)",
    "cbc": "install CBC's cbc program (Debian/Ubuntu: apt-get install coinor-cbc), or use --backend pulp, "
           "which bundles CBC",
}
"""What to install for each solver goalprog reaches by name (``pip install goalprog[solvers]``
installs the three Python ones)."""


@dataclass(frozen=True)
class NativeOutcome:
    """How a solve ended, in goalprog's terms: termination, solution status, the incumbent's
    objective and the best bound (problem sense, ``None`` where missing), and the solver's own
    status name."""

    termination: Termination
    solution: SolutionStatus
    objective: float | None
    bound: float | None
    message: str


def _num(v) -> float | None:
    try:
        v = float(v)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) and abs(v) < 1e20 else None


def family(model) -> str | None:
    """``"gurobi"``, ``"cplex"`` or ``"scip"`` for a solver model object of that library, else ``None``."""
    mod = type(model).__module__ or ""
    for name in ("gurobi", "cplex", "scip"):
        if name in mod.lower():
            return name
    return None


def read(model, settle: bool = True) -> NativeOutcome | None:
    """The outcome of the last solve of ``model`` (a ``gurobipy.Model``, ``cplex.Cplex`` or
    ``pyscipopt.Model``); ``None`` for another object.  With ``settle``, an "infeasible or
    unbounded" answer is re-solved once without dual reductions / presolve to tell which."""
    fam = family(model)
    if fam is None:
        return None
    out = {"gurobi": _gurobi, "cplex": _cplex, "scip": _scip}[fam](model)
    if settle and out.termination is Termination.INFEASIBLE_OR_UNBOUNDED:
        try:
            {"gurobi": _gurobi_resolve, "cplex": _cplex_resolve, "scip": _scip_resolve}[fam](model)
            again = {"gurobi": _gurobi, "cplex": _cplex, "scip": _scip}[fam](model)
        except Exception:  # the re-solve is a courtesy: keep the first answer
            return out
        if again.termination in (Termination.INFEASIBLE, Termination.UNBOUNDED):
            return again
    return out


def _limit(term: Termination, has: bool, objective, bound, message) -> NativeOutcome:
    return NativeOutcome(term, SolutionStatus.FEASIBLE if has else SolutionStatus.NONE,
                         objective if has else None, bound, message)


# --- Gurobi ---------------------------------------------------------------------------------------

def _gurobi(m) -> NativeOutcome:
    from gurobipy import GRB

    s = m.Status
    names = {GRB.OPTIMAL: "OPTIMAL", GRB.INFEASIBLE: "INFEASIBLE", GRB.INF_OR_UNBD: "INF_OR_UNBD",
             GRB.UNBOUNDED: "UNBOUNDED", GRB.TIME_LIMIT: "TIME_LIMIT", GRB.NODE_LIMIT: "NODE_LIMIT",
             GRB.ITERATION_LIMIT: "ITERATION_LIMIT", GRB.SOLUTION_LIMIT: "SOLUTION_LIMIT",
             GRB.INTERRUPTED: "INTERRUPTED", GRB.NUMERIC: "NUMERIC", GRB.SUBOPTIMAL: "SUBOPTIMAL"}
    message = f"Gurobi {names.get(s, s)}"
    has = m.SolCount > 0
    obj = _num(m.ObjVal) if has else None
    bound = _num(getattr(m, "ObjBound", None)) if m.IsMIP else None
    if s == GRB.OPTIMAL:
        return NativeOutcome(Termination.OPTIMAL, SolutionStatus.OPTIMAL, obj, bound if bound is not None else obj,
                             message)
    if s == GRB.INFEASIBLE:
        return NativeOutcome(Termination.INFEASIBLE, SolutionStatus.NONE, None, None, message)
    if s == GRB.UNBOUNDED:
        return NativeOutcome(Termination.UNBOUNDED, SolutionStatus.NONE, None, None, message)
    if s == GRB.INF_OR_UNBD:
        return NativeOutcome(Termination.INFEASIBLE_OR_UNBOUNDED, SolutionStatus.NONE, None, None, message)
    term = {GRB.TIME_LIMIT: Termination.TIME_LIMIT, GRB.NODE_LIMIT: Termination.NODE_LIMIT,
            GRB.SOLUTION_LIMIT: Termination.NODE_LIMIT, GRB.ITERATION_LIMIT: Termination.ITERATION_LIMIT,
            GRB.INTERRUPTED: Termination.INTERRUPTED}.get(s, Termination.UNKNOWN)
    return _limit(term, has, obj, bound, message)


def _gurobi_resolve(m) -> None:
    m.setParam("DualReductions", 0)
    m.reset()
    m.optimize()


# --- CPLEX ----------------------------------------------------------------------------------------

def _cplex(c) -> NativeOutcome:
    st = c.solution.status
    s = c.solution.get_status()
    message = f"CPLEX {c.solution.get_status_string(s)}"
    mip = c.get_problem_type() not in (c.problem_type.LP, c.problem_type.QP)
    try:
        has = c.solution.is_primal_feasible()
    except Exception:
        has = False
    obj = _num(c.solution.get_objective_value()) if has else None
    bound = None
    if mip:
        try:
            bound = _num(c.solution.MIP.get_best_objective())
        except Exception:
            bound = None
    optimal = {st.optimal, st.MIP_optimal, st.optimal_tolerance}
    if s in optimal:
        return NativeOutcome(Termination.OPTIMAL, SolutionStatus.OPTIMAL, obj, bound if bound is not None else obj,
                             message)
    if s in (st.infeasible, st.MIP_infeasible):
        return NativeOutcome(Termination.INFEASIBLE, SolutionStatus.NONE, None, None, message)
    if s in (st.unbounded, st.MIP_unbounded):
        return NativeOutcome(Termination.UNBOUNDED, SolutionStatus.NONE, None, None, message)
    if s in (st.infeasible_or_unbounded, st.MIP_infeasible_or_unbounded):
        return NativeOutcome(Termination.INFEASIBLE_OR_UNBOUNDED, SolutionStatus.NONE, None, None, message)
    name = c.solution.get_status_string(s).lower()
    if "time" in name:
        term = Termination.TIME_LIMIT
    elif "node" in name or "solution limit" in name:
        term = Termination.NODE_LIMIT
    elif "iteration" in name:
        term = Termination.ITERATION_LIMIT
    elif "abort" in name or "user" in name:
        term = Termination.INTERRUPTED
    else:
        term = Termination.UNKNOWN
    return _limit(term, has, obj, bound, message)


def _cplex_resolve(c) -> None:
    c.parameters.preprocessing.presolve.set(0)
    c.solve()


# --- SCIP -----------------------------------------------------------------------------------------

def _scip(m) -> NativeOutcome:
    s = m.getStatus()
    message = f"SCIP {s}"
    has = m.getNSols() > 0
    obj = _num(m.getObjVal()) if has else None
    try:
        bound = _num(m.getDualbound())
    except Exception:
        bound = None
    if s == "optimal":
        return NativeOutcome(Termination.OPTIMAL, SolutionStatus.OPTIMAL, obj, bound if bound is not None else obj,
                             message)
    if s == "infeasible":
        return NativeOutcome(Termination.INFEASIBLE, SolutionStatus.NONE, None, None, message)
    if s == "unbounded":
        # SCIP says unbounded once it has a primal ray; a solution it holds is not an optimum
        return NativeOutcome(Termination.UNBOUNDED, SolutionStatus.NONE, None, None, message)
    if s == "inforunbd":
        return NativeOutcome(Termination.INFEASIBLE_OR_UNBOUNDED, SolutionStatus.NONE, None, None, message)
    term = {"timelimit": Termination.TIME_LIMIT, "nodelimit": Termination.NODE_LIMIT,
            "totalnodelimit": Termination.NODE_LIMIT, "stallnodelimit": Termination.NODE_LIMIT,
            "sollimit": Termination.NODE_LIMIT, "bestsollimit": Termination.NODE_LIMIT,
            "gaplimit": Termination.GAP_LIMIT, "userinterrupt": Termination.INTERRUPTED,
            "memlimit": Termination.UNKNOWN, "restartlimit": Termination.UNKNOWN}.get(s, Termination.UNKNOWN)
    return _limit(term, has, obj, bound, message)


def _scip_resolve(m) -> None:
    from pyscipopt import SCIP_PARAMSETTING

    m.freeTransform()
    m.setPresolve(SCIP_PARAMSETTING.OFF)
    m.optimize()


_LICENCE_LIMIT = ("size-limited license", "problem size limits exceeded", "error  1016", "error 1016")


def licence_error(solver: str, why: str, model):
    """A :class:`~goalprog.core.errors.SolverError` when ``why`` (a solver's error text) says its
    size-limited licence refused ``model`` (a :class:`~goalprog.model.ir.LinearModel`), else
    ``None``: Gurobi's pip licence takes 2,000 variables and constraints, the CPLEX Community
    Edition 1,000."""
    if not any(w in why.lower() for w in _LICENCE_LIMIT):
        return None
    from ...core.errors import SolverError

    rows = f"{model.n_rows:,} row{'' if model.n_rows == 1 else 's'}"
    return SolverError(f"the model ({model.n_cols:,} columns, {rows}) is too large for the "
                       f"size-limited licence of {solver} ({why.strip().splitlines()[-1][:200]})",
                       hint="use --solver highs (or another solver without a size limit), or install a full "
                            f"licence of {solver}")


_UNKNOWN_OPTION = ("unknown parameter", "not a valid parameter", "has no attribute", "unexpected keyword argument",
                   "unknown option", "invalid parameter", "no parameter named")
"""Words of a solver's (or its Python interface's) error text when it does not know an option name."""

OPTION_EXAMPLES = {
    "gurobi": "TimeLimit, MIPGap, Threads, Presolve, Method (Gurobi's parameter names)",
    "cplex": "timelimit, threads, mip.tolerances.mipgap with PuLP, mip_tolerances_mipgap with Pyomo "
             "(CPLEX's parameter names)",
    "scip": "limits/time, limits/gap, presolving/maxrounds (SCIP's parameter names)",
    "glpk": "tmlim, mipgap (glpsol's options)",
    "cbc": "sec, ratio, threads, presolve, cuts (CBC's options)",
}
"""Option names to suggest, per solver family, when a solver does not know one it was given."""


def option_error(solver: str, why: str, given, takes=None):
    """A :class:`~goalprog.core.errors.SolverError` naming the options of ``given`` (the user's
    solver options, a mapping) that ``solver`` does not take, when ``why`` (its error text) says it
    does not know one; else ``None``.  ``takes``: the option names the solver's interface takes,
    when known (a PuLP class's keyword arguments), for the hint."""
    from ...core.errors import SolverError, did_you_mean

    if not given or not any(w in why.lower() for w in _UNKNOWN_OPTION):
        return None
    named = [k for k in given if str(k) in why] or list(given)
    fam = str(solver).lower().split("_")[0]
    if takes:
        near = [h for h in (did_you_mean(k, takes) for k in named) if h]
        hint = (("; ".join(near) + "; ") if near else "") + f"{solver} takes: {', '.join(takes)}"
    else:
        hint = (f"{solver} takes its own parameter names, e.g. {OPTION_EXAMPLES[fam]}" if fam in OPTION_EXAMPLES
                else f"see {solver}'s parameter list") + "; docs/solvers.md"
    shown = ", ".join(repr(str(k)) for k in named)
    return SolverError(f"the solver {solver!r} has no option {shown} (--option / solver_options=)", hint=hint)
