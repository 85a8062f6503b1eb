"""Cross-checks of goalprog's preemptive chain against Gurobi's and CPLEX's own multi-objective modes.

:func:`native_levels` solves a preemptive goal program in one call of a solver's native
lexicographic (hierarchical) multi-objective mode and returns each priority level's value, to be
compared with goalprog's chain (``result.levels["stage_value"]``):

* ``"highs"``: :func:`goalprog.analysis.crosscheck.native_lexicographic` (HiGHS's
  ``addLinearObjective``);
* ``"gurobi"``: :func:`gurobi_lexicographic` (``gurobipy``: ``Model.setObjectiveN``);
* ``"cplex"``: :func:`cplex_lexicographic` (``cplex``: ``Cplex.multiobj.set_definition``).

Each builds the solver's model straight from goalprog's compiled arrays (the columns, CSR rows
and bounds of the :class:`~goalprog.model.ir.LinearModel`, and one objective per level from
:func:`goalprog.solve.hierarchy.hierarchy`), not through a file, so it is independent of
``goalprog export --format mo-lp``, which the tests read back separately.

``gurobipy`` and ``cplex`` are optional (``pip install gurobipy cplex``; their PyPI wheels carry
size-limited licences: Gurobi's restricted licence, about 2,000 variables and constraints, and the
CPLEX Community Edition, 1,000): a missing package, or a model beyond the licence's limits, is a
:class:`~goalprog.core.errors.BackendError` that says so.
"""

from __future__ import annotations

import math

import numpy as np

from ..core.errors import ArgumentError, BackendError, SolverError
from ..model.ir import LinearModel

__all__ = ["SOLVERS", "native_levels", "gurobi_lexicographic", "cplex_lexicographic"]

SOLVERS = ("highs", "gurobi", "cplex")
"""The solvers :func:`native_levels` can cross-check with."""

_PACKAGE = {"gurobi": "gurobipy", "cplex": "cplex"}


def native_levels(model: LinearModel, solver: str = "highs", *, abs_tol: float | None = None,
                  rel_tol: float | None = None, lams=None) -> list[float]:
    """Each priority level's value from ``solver``'s native lexicographic multi-objective mode.

    ``solver``: one of :data:`SOLVERS`.  ``abs_tol``, ``rel_tol``: the degradation tolerances of
    every level (default: HiGHS's cross-check defaults for ``"highs"``, 1e-5 and 1.0, see
    :func:`~goalprog.analysis.crosscheck.native_lexicographic`; 0 and 0 for Gurobi and CPLEX,
    i.e. goalprog's exact default).  ``lams``: priority level -> lambda for extended/Chebyshev
    levels (Gurobi and CPLEX only; HiGHS's check mirrors the weighted chain).

    Returns one float per level of ``model.priorities()``, most important first, in each level's
    own sense and units (see :func:`gurobi_lexicographic`).

    Raises :class:`~goalprog.core.errors.ArgumentError` for an unknown solver or a bad tolerance,
    :class:`~goalprog.core.errors.BackendError` when the solver's package is not installed or
    rejects the model, :class:`~goalprog.core.errors.SolverError` when a level is not solved to
    optimality.
    """
    if solver == "highs":
        from .crosscheck import DEFAULT_ABS_TOL, DEFAULT_REL_TOL, native_lexicographic

        if lams and any(float(v) != 1.0 for v in dict(lams).values()):
            raise ArgumentError("HiGHS's cross-check mirrors the weighted chain; levels with a lambda below 1 "
                                "are cross-checked with gurobi or cplex", hint="choose solver='gurobi' or 'cplex'")
        return native_lexicographic(model, DEFAULT_ABS_TOL if abs_tol is None else abs_tol,
                                    DEFAULT_REL_TOL if rel_tol is None else rel_tol)
    if solver == "gurobi":
        return gurobi_lexicographic(model, 0.0 if abs_tol is None else abs_tol, 0.0 if rel_tol is None else rel_tol,
                                    lams=lams)
    if solver == "cplex":
        return cplex_lexicographic(model, 0.0 if abs_tol is None else abs_tol, 0.0 if rel_tol is None else rel_tol,
                                   lams=lams)
    raise ArgumentError(f"unknown cross-check solver {solver!r}; choose one of {', '.join(SOLVERS)}")


def _import(solver: str):
    package = _PACKAGE[solver]
    try:
        return __import__(package)
    except ImportError as exc:
        raise BackendError(f"the {solver} cross-check needs the Python package {package}, which is not installed "
                           f"({exc})", hint=f"pip install {package} (its PyPI wheel runs small models with a "
                                            "size-limited licence), or cross-check with solver='highs'") from None


def _prepare(model: LinearModel, abs_tol: float, rel_tol: float, lams):
    """Check the tolerances and the numbers; the model's :class:`~goalprog.solve.hierarchy.Hierarchy`."""
    from ..solve.backends.base import check_model_numbers, check_objective_numbers
    from ..solve.hierarchy import hierarchy
    from ..model.ir import Objective

    for name, tol in (("abs_tol", abs_tol), ("rel_tol", rel_tol)):
        if not isinstance(tol, (int, float)) or isinstance(tol, bool) or not math.isfinite(tol) or tol < 0:
            raise ArgumentError(f"{name} must be a finite number >= 0, not {tol!r}")
    h = hierarchy(model, lams)
    check_model_numbers(h.model)  # the guard every backend passes
    for objective in h.objectives:
        check_objective_numbers(h.model, Objective("min", objective.vector))
    return h


def _rows(model: LinearModel):
    """Each row as ``(columns, coefficients, lower, upper)`` (Python lists and floats)."""
    indptr = model.indptr.tolist()
    cols = model.indices.tolist()
    vals = model.data.tolist()
    for i, (lo, hi) in enumerate(zip(model.row_lower.tolist(), model.row_upper.tolist())):
        a, b = indptr[i], indptr[i + 1]
        yield cols[a:b], vals[a:b], lo, hi


def gurobi_lexicographic(model: LinearModel, abs_tol: float = 0.0, rel_tol: float = 0.0, *, lams=None) -> list[float]:
    """Solve ``model`` with Gurobi's hierarchical multi-objective mode; the value of each priority level.

    **What is built.**  One ``gurobipy.Model`` (its own silent environment): a variable per
    column with bounds ``col_lower``/``col_upper`` (``+-inf`` as ``+-GRB.INFINITY``), type
    ``I`` where ``col_integer``; a constraint per row from the CSR arrays (``=`` when
    ``row_lower == row_upper``, ``>=`` / ``<=`` for one finite side, both for a ranged row, none
    for a free row); ``ModelSense`` minimise; then per level ``k`` of
    :func:`goalprog.solve.hierarchy.hierarchy` (most important first)
    ``setObjectiveN(h_k, index=k, priority=L - k, weight=1, abstol=abs_tol, reltol=rel_tol)``,
    ``h_k`` the level's achievement function (negated for a level of ``maximize`` objectives,
    constant included).  ``MIPGap`` and ``MIPGapAbs`` are 0 (proven levels, as goalprog's chain,
    docs/methods.md "Proven optimal"); one ``optimize()``.

    **What Gurobi does** (reference manual, "Multiple Objectives", attributes ``ObjNAbsTol`` and
    ``ObjNRelTol``): it optimises the objectives in decreasing priority.  For a **MIP**, each
    later pass keeps every earlier objective within ``max(abstol, reltol * |z*|)`` of its
    optimum ``z*`` (0 here: the optimum itself).  For an **LP**, Gurobi holds an earlier level
    by fixing the variables whose reduced cost exceeds ``abstol`` in that pass (RelTol is
    ignored): with ``abstol = 0`` that is the level's optimal face, the rule goalprog's exact
    lock follows (:class:`~goalprog.solve.strategies.common.LockTolerance`).

    Returns one float per level of ``model.priorities()``: the level's achievement function at
    Gurobi's final solution, in the level's own sense and units (as
    :func:`~goalprog.analysis.crosscheck.native_lexicographic` returns them).

    Raises :class:`~goalprog.core.errors.BackendError` when gurobipy is missing, has no usable
    licence, or the model exceeds the size-limited licence; :class:`~goalprog.core.errors.SolverError`
    when Gurobi does not end optimal; :class:`~goalprog.core.errors.ArgumentError` for a negative
    or non-finite tolerance, a lambda outside [0, 1] or unfilled zero-one normalisation scales.
    """
    h = _prepare(model, abs_tol, rel_tol, lams)
    gp = _import("gurobi")
    if not h.objectives:
        return []
    m = h.model
    GRB = gp.GRB
    inf = GRB.INFINITY

    def bound(v: float) -> float:
        return max(-inf, min(inf, v))

    try:
        env = gp.Env(empty=True)
        env.setParam("OutputFlag", 0)
        env.start()
    except gp.GurobiError as exc:
        raise BackendError(f"Gurobi could not start: {exc}", hint="check the Gurobi licence") from None
    try:
        g = gp.Model(m.name or "goalprog", env=env)
        xs = g.addVars(m.n_cols, lb=[bound(v) for v in m.col_lower.tolist()],
                       ub=[bound(v) for v in m.col_upper.tolist()],
                       vtype=[GRB.INTEGER if b else GRB.CONTINUOUS for b in m.col_integer.tolist()])
        x = [xs[j] for j in range(m.n_cols)]
        for cols, vals, lo, hi in _rows(m):
            expr = gp.LinExpr(vals, [x[j] for j in cols])
            if lo == hi:
                g.addLConstr(expr, GRB.EQUAL, lo)
                continue
            if lo > -math.inf:
                g.addLConstr(expr, GRB.GREATER_EQUAL, lo)
            if hi < math.inf:
                g.addLConstr(expr, GRB.LESS_EQUAL, hi)
        g.ModelSense = GRB.MINIMIZE
        for k, objective in enumerate(h.objectives):
            v = objective.vector
            expr = gp.LinExpr(v.coefs.tolist(), [x[j] for j in v.indices.tolist()]) + float(v.constant)
            g.setObjectiveN(expr, index=k, priority=objective.priority, weight=1.0, abstol=float(abs_tol),
                            reltol=float(rel_tol), name=objective.name)
        if m.is_mip:
            g.Params.MIPGap = 0.0
            g.Params.MIPGapAbs = 0.0
        g.optimize()
        if g.Status != GRB.OPTIMAL or g.SolCount < 1:
            raise SolverError(f"Gurobi's hierarchical solve of {m.name!r} ended with status {g.Status}; every level "
                              "must be optimal to compare level values")
        values = np.array(g.getAttr("X", x), dtype=np.float64)
    except gp.GurobiError as exc:
        raise BackendError(f"Gurobi failed on {m.name!r}: {exc}",
                           hint="a model of more than 2,000 variables or constraints needs a full Gurobi licence"
                           if "size-limited" in str(exc) or "too large" in str(exc) else None) from None
    finally:
        env.dispose()
    return [objective.value(values) for objective in h.objectives]


def cplex_lexicographic(model: LinearModel, abs_tol: float = 0.0, rel_tol: float = 0.0, *, lams=None) -> list[float]:
    """Solve ``model`` with CPLEX's lexicographic multi-objective optimisation; the value of each priority level.

    **What is built.**  One ``cplex.Cplex`` (every output stream off): a column per model column
    with bounds ``col_lower``/``col_upper`` (``+-inf`` as ``+-cplex.infinity``) and, for a MIP,
    types ``I``/``C``; a row per model row from the CSR arrays with sense ``E`` (``lower ==
    upper``), ``G``, ``L`` or ``R`` (ranged: ``rhs = lower``, ``range = upper - lower``); sense
    minimise; ``multiobj.set_num(L)`` and, per level ``k`` (most important first),
    ``multiobj.set_definition(k, h_k, offset, weight=1, priority=L - k, abstol, reltol)``.  For a
    MIP ``mip.tolerances.mipgap`` and ``absmipgap`` are 0.  One ``solve()``.

    **What CPLEX does** (User's Manual, "Solving multiple objective problems"): it sorts the
    objectives by decreasing priority and optimises each among the solutions optimal for the
    earlier ones.  For a **MIP** the tolerances become a constraint on each earlier objective
    (0, 0: its optimum); for an **LP**, CPLEX fixes the nonbasic variables whose reduced cost
    exceeds AbsTol at their bounds (RelTol unused): with 0, the level's optimal face, as
    goalprog's exact lock and Gurobi.

    Returns and raises as :func:`gurobi_lexicographic` (the Community Edition's limit is 1,000
    variables and constraints).
    """
    h = _prepare(model, abs_tol, rel_tol, lams)
    cplex = _import("cplex")
    if not h.objectives:
        return []
    m = h.model
    inf = cplex.infinity

    def bound(v: float) -> float:
        return max(-inf, min(inf, v))

    c = cplex.Cplex()
    try:
        for stream in (c.set_results_stream, c.set_log_stream, c.set_warning_stream, c.set_error_stream):
            stream(None)
        kwargs = {}
        if m.is_mip:
            kwargs["types"] = ["I" if b else "C" for b in m.col_integer.tolist()]
        c.variables.add(lb=[bound(v) for v in m.col_lower.tolist()], ub=[bound(v) for v in m.col_upper.tolist()],
                        **kwargs)
        exprs, senses, rhs, ranges = [], [], [], []
        for cols, vals, lo, hi in _rows(m):
            exprs.append(cplex.SparsePair(ind=cols, val=vals))
            if lo == hi:
                senses.append("E"), rhs.append(lo), ranges.append(0.0)
            elif lo > -math.inf and hi < math.inf:
                senses.append("R"), rhs.append(lo), ranges.append(hi - lo)
            elif lo > -math.inf:
                senses.append("G"), rhs.append(lo), ranges.append(0.0)
            else:
                senses.append("L"), rhs.append(bound(hi)), ranges.append(0.0)
        if exprs:
            c.linear_constraints.add(lin_expr=exprs, senses=senses, rhs=rhs, range_values=ranges)
        c.objective.set_sense(c.objective.sense.minimize)
        c.multiobj.set_num(len(h.objectives))
        for k, objective in enumerate(h.objectives):
            v = objective.vector
            c.multiobj.set_definition(k, cplex.SparsePair(ind=v.indices.tolist(), val=v.coefs.tolist()),
                                      offset=float(v.constant), weight=1.0, priority=objective.priority,
                                      abstol=float(abs_tol), reltol=float(rel_tol), name=objective.name)
        if m.is_mip:
            c.parameters.mip.tolerances.mipgap.set(0.0)
            c.parameters.mip.tolerances.absmipgap.set(0.0)
        c.solve()
        status = c.solution.get_status()
        if status != c.solution.status.multiobj_optimal:
            raise SolverError(f"CPLEX's multi-objective solve of {m.name!r} ended {c.solution.get_status_string()!r}; "
                              "every level must be optimal to compare level values")
        values = np.array(c.solution.get_values(), dtype=np.float64)
    except cplex.exceptions.CplexError as exc:
        raise BackendError(f"CPLEX failed on {m.name!r}: {exc}",
                           hint="a model of more than 1,000 variables or constraints needs a full CPLEX licence"
                           if "1016" in str(exc) else None) from None
    finally:
        c.end()
    return [objective.value(values) for objective in h.objectives]
