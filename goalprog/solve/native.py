"""The compiled goal program in the user's hands: a PuLP ``LpProblem`` or a Pyomo ``ConcreteModel``.

:meth:`goalprog.Problem.to_pulp` and :meth:`goalprog.Problem.to_pyomo` (and the same methods of a
preemptive :class:`~goalprog.solve.results.Result`) build the model of one solve of goalprog in
the library, with readable names (:mod:`goalprog.solve.native_names`), for the user to extend
(add variables and constraints) and solve with any solver the library supports:

* the **weighted** model (also ``chebyshev`` and ``extended``): every goal in one achievement
  function, zero-one normalisation filled in (its payoff table is solved with HiGHS), the min-max
  column and rows when the method needs them;
* one **stage of a preemptive chain**: priority level ``L``'s achievement function with what holds
  the levels before it: their lock rows (``lock_level_1`` ...) and the bounds their face, fix or
  exact locks set, rebuilt from a solved chain's stage records by
  :func:`goalprog.solve.stages.stage_model` (the chain is solved with HiGHS when no result is
  given).  The first level needs no earlier solve.

The library model's variables, constraints and objective map back to goalprog's labels through a
:class:`~goalprog.solve.native_names.NativeNames` attached to it as ``goalprog_names``.

PuLP: one ``LpVariable`` per column, one constraint per row (a row with two different finite sides,
``lo <= a.x <= hi``, becomes two: ``NAME_lo`` and ``NAME_hi``), the objective ``achievement``.
Pyomo: ``m.x[name]`` (a ``Var`` over the ordered set ``m.columns`` of names), ``m.c[name]`` (a
``Constraint`` over ``m.rows``; two-sided rows are ranged constraints), ``m.achievement`` (the
``Objective``); add your own components to ``m``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from ..core.errors import ArgumentError, GoalProgError
from ..model.ir import ExtraRow, LinearModel, Objective
from .native_names import NativeNames, column_labels, row_labels, unique_names

__all__ = ["StageArrays", "stage_arrays", "pulp_model", "pyomo_model", "native_model", "METHODS"]

METHODS = ("weighted", "preemptive", "chebyshev", "extended")
OBJECTIVE_NAME = "achievement"
_PULP_RESERVED = (OBJECTIVE_NAME, "__dummy", "OBJ")


@dataclass(frozen=True)
class StageArrays:
    """The arrays of one solve: ``model`` (with the bounds earlier locks set), ``objective``,
    ``extra_rows`` (the lock rows of the earlier levels), ``method``, ``level`` (``None`` for a
    one-stage method), ``stage`` (1-based) and ``stages``."""

    model: LinearModel
    objective: Objective
    extra_rows: tuple[ExtraRow, ...]
    method: str
    level: int | None
    stage: int
    stages: int


class NativeStageError(GoalProgError):
    """A level before the stage asked for has no optimal solution, so the stage is not defined."""


def one_stage_arrays(problem, method: str, config) -> StageArrays:
    """The one stage of the weighted, Chebyshev or extended ``method``: zero-one scales filled in, the
    min-max column where ``config.lam`` < 1 needs it (export and to_pulp/to_pyomo)."""
    from .achievement import ALL, achievement, with_minmax_columns
    from .backends.highs_backend import HighsBackend
    from .normalize import zero_one_scales

    model, _ = zero_one_scales(problem.model, HighsBackend(), config.solve_options())
    lam = {"weighted": 1.0, "chebyshev": 0.0}.get(method, config.lam)
    d_col = -1
    if lam < 1.0:
        model, cols = with_minmax_columns(model, [ALL])
        d_col = cols.get(ALL, -1)
    objective = achievement(model, None, all_levels=True, minmax_col=d_col, lam=lam)
    return StageArrays(model, objective, (), method, None, 1, 1)


def stage_arrays(problem, level=None, method: str | None = None, *, result=None, config=None) -> StageArrays:
    """The :class:`StageArrays` of one solve of ``problem`` (a :class:`goalprog.Problem`).

    ``method``: default preemptive when ``level`` is given, else :attr:`goalprog.Problem.method`.
    ``level``: the priority level whose stage is built (preemptive only); ``None`` with the
    preemptive method means the first level (stage 1, no locks).  ``result``: a preemptive
    :class:`~goalprog.solve.results.Result` of ``problem`` whose stage records reach the stage;
    without it (or when it stopped before) the levels before the stage are solved with HiGHS
    through the preemptive strategy.  ``config``: the
    :class:`~goalprog.solve.config.SolveConfig` of those solves (default: the file's settings on
    HiGHS).

    Raises :class:`~goalprog.core.errors.ArgumentError` for an unknown method, a level with a
    one-stage method or a level no goal has, :class:`NativeStageError` when a level before the
    stage is not solved to optimality, and :class:`~goalprog.core.errors.SchemaError` when
    preemptive GP is asked for while some goals have no priority.
    """
    from .strategies import ALIASES, get_strategy

    if method is not None:
        method = ALIASES.get(method, method)
        if method not in METHODS:
            raise ArgumentError(f"unknown method {method!r}; choose one of {', '.join(METHODS)}")
    elif level is not None or (result is not None and getattr(result, "method", None) == "preemptive"):
        method = "preemptive"
    else:
        method = ALIASES.get(problem.method, problem.method)
    if level is not None and method != "preemptive":
        raise ArgumentError(f"a level is a stage of the preemptive method; the {method} method has one stage",
                            hint="leave out the level, or use method='preemptive'")
    problem.check(method)
    if config is None:
        config = default_config(problem, method)
    if method != "preemptive":
        return one_stage_arrays(problem, method, config)
    levels = problem.model.priorities()
    if level is None:
        level = levels[0]
    if level not in levels:
        shown = ", ".join(str(lv) for lv in levels if lv is not None) or "none (no goal has a priority)"
        raise ArgumentError(f"there is no priority level {level!r}; the levels are {shown}")
    k = levels.index(level)
    records = tuple(getattr(result, "stage_records", ()) or ()) if result is not None else ()
    if result is not None and not _same_model(getattr(result, "model", None), problem.model):
        raise ArgumentError("the result is not a result of this problem (its model has other variables, "
                            "constraints or goals)", hint="pass a result of this problem's solve(method='preemptive')")
    if result is not None and records and getattr(result, "method", "preemptive") != "preemptive":
        records = ()
    settings = replace(config.settings(), progress=None, rates="off", stop_at=k)

    def run():
        from .backends.highs_backend import HighsBackend

        return get_strategy("preemptive")(problem.model, HighsBackend(), config.solve_options(), settings.lock,
                                          settings.accept_feasible, settings)
    from .chain_prefix import solved_through

    result = solved_through(k, level, result if records else None, run, NativeStageError,
                            "solve the problem to see why: problem.solve(method='preemptive')")
    from .stages import stage_model

    sm = stage_model(result, k)
    return StageArrays(sm.model, sm.objective, tuple(sm.extra_rows), "preemptive", level, k + 1, len(levels))


def _same_model(a, b) -> bool:
    """Whether the models ``a`` and ``b`` have the same columns and rows (by label and bounds)."""
    if a is b:
        return True
    if a is None or a.n_cols != b.n_cols or a.n_rows != b.n_rows:
        return False
    import numpy as np

    return (column_labels(a) == column_labels(b) and row_labels(a) == row_labels(b)
            and np.array_equal(a.col_lower, b.col_lower) and np.array_equal(a.col_upper, b.col_upper)
            and np.array_equal(a.row_lower, b.row_lower) and np.array_equal(a.row_upper, b.row_upper))


def default_config(problem, method: str):
    """The :class:`~goalprog.solve.config.SolveConfig` of the solves a hand-over needs (zero-one
    normalisation, earlier levels): the file's ``solve:`` settings with HiGHS as the solver (the
    file's solver options only when it names no solver or HiGHS)."""
    from .config import SolveConfig

    s = problem.spec.solve
    view = s.model_copy(update={"options": dict(s.options) if s.solver in (None, "highs") else {},
                                "algorithm": None, "verbose": False, "backend": None, "solver": None})
    return SolveConfig.resolve(view, method=method, backend="highs", solver="highs")


def _rows(model: LinearModel, extra):
    """Each row as ``(index pairs, lower, upper)`` on its linear part (a lock row's constant moved
    into its sides)."""
    indptr = model.indptr.tolist()
    cols = model.indices.tolist()
    vals = model.data.tolist()
    for i, (lo, hi) in enumerate(zip(model.row_lower.tolist(), model.row_upper.tolist())):
        a, b = indptr[i], indptr[i + 1]
        yield list(zip(cols[a:b], vals[a:b])), lo, hi
    for row in extra:
        c = float(row.vector.constant)
        yield list(zip(row.vector.indices.tolist(), row.vector.coefs.tolist())), row.lower - c, row.upper - c


def _names(arrays: StageArrays, kind: str):
    model = arrays.model
    clabels = column_labels(model)
    rlabels = row_labels(model, arrays.extra_rows)
    cnames = unique_names(clabels)
    split_rows = set()
    if kind == "pulp":
        for i, (_, lo, hi) in enumerate(_rows(model, arrays.extra_rows)):
            if not math.isinf(lo) and not math.isinf(hi) and lo != hi:
                split_rows.add(i)
    # a split row's two constraints are NAME_lo and NAME_hi: those names are reserved before the
    # others are given, so no other row takes them
    rnames = unique_names(rlabels, reserved=(OBJECTIVE_NAME,) if kind == "pyomo" else _PULP_RESERVED)
    taken = set(rnames)
    split = {}
    for i in sorted(split_rows):
        base = rnames[i]
        pair = []
        for side in ("lo", "hi"):
            cand, n = f"{base}_{side}", 1
            while cand in taken:
                n += 1
                cand = f"{base}_{side}_{n}"
            taken.add(cand)
            pair.append(cand)
        split[rlabels[i]] = tuple(pair)
    names = NativeNames(dict(zip(clabels, cnames)), dict(zip(rlabels, rnames)), OBJECTIVE_NAME, split, kind)
    return cnames, rnames, split_rows, names


def pulp_model(arrays: StageArrays, name: str = "goalprog"):
    """A ``pulp.LpProblem`` of ``arrays`` (see the module), with ``goalprog_names`` (a
    :class:`~goalprog.solve.native_names.NativeNames`) and ``goalprog_variables`` (variable name
    -> ``LpVariable``, every goalprog column) attached."""
    import pulp

    from .native_names import clean_name

    model, objective = arrays.model, arrays.objective
    cnames, rnames, split_rows, names = _names(arrays, "pulp")
    sense = pulp.LpMaximize if objective.sense == "max" else pulp.LpMinimize
    prob = pulp.LpProblem(clean_name(name), sense)
    new_var = getattr(prob, "add_variable", None) or pulp.LpVariable
    xs = [new_var(n, None if math.isinf(lo) else float(lo), None if math.isinf(hi) else float(hi),
                  pulp.LpInteger if integer else pulp.LpContinuous)
          for n, lo, hi, integer in zip(cnames, model.col_lower.tolist(), model.col_upper.tolist(),
                                        model.col_integer.tolist())]
    vec = objective.vector
    prob.setObjective(pulp.LpAffineExpression([(xs[j], c) for j, c in zip(vec.indices.tolist(), vec.coefs.tolist())],
                                              constant=float(vec.constant), name=OBJECTIVE_NAME))
    rlabels = list(names.rows)
    for i, (pairs, lo, hi) in enumerate(_rows(model, arrays.extra_rows)):
        expr = pulp.LpAffineExpression([(xs[j], c) for j, c in pairs])
        if math.isinf(lo) and math.isinf(hi):
            continue
        if i in split_rows:
            n_lo, n_hi = names.split[rlabels[i]]
            prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintGE, rhs=lo), n_lo)
            prob.addConstraint(pulp.LpConstraint(pulp.LpAffineExpression([(xs[j], c) for j, c in pairs]),
                                                 pulp.LpConstraintLE, rhs=hi), n_hi)
        elif not math.isinf(lo) and lo == hi:
            prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintEQ, rhs=lo), rnames[i])
        elif not math.isinf(lo):
            prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintGE, rhs=lo), rnames[i])
        else:
            prob.addConstraint(pulp.LpConstraint(expr, pulp.LpConstraintLE, rhs=hi), rnames[i])
    prob.goalprog_names = names
    prob.goalprog_variables = dict(zip(cnames, xs))
    return prob


def pyomo_model(arrays: StageArrays, name: str = "goalprog"):
    """A ``pyomo.environ.ConcreteModel`` of ``arrays`` (see the module), with ``goalprog_names``
    (a :class:`~goalprog.solve.native_names.NativeNames`) attached."""
    import pyomo.environ as pyo

    model, objective = arrays.model, arrays.objective
    cnames, rnames, _, names = _names(arrays, "pyomo")
    m = pyo.ConcreteModel(name=name)
    m.columns = pyo.Set(initialize=cnames, ordered=True)
    bounds = {n: (None if math.isinf(lo) else float(lo), None if math.isinf(hi) else float(hi))
              for n, lo, hi in zip(cnames, model.col_lower.tolist(), model.col_upper.tolist())}
    integer = dict(zip(cnames, model.col_integer.tolist()))
    m.x = pyo.Var(m.columns, bounds=lambda _m, n: bounds[n],
                  domain=lambda _m, n: pyo.Integers if integer[n] else pyo.Reals)
    rows = list(_rows(model, arrays.extra_rows))
    kept = [i for i, (_, lo, hi) in enumerate(rows) if not (math.isinf(lo) and math.isinf(hi))]
    m.rows = pyo.Set(initialize=[rnames[i] for i in kept], ordered=True)
    of_name = {rnames[i]: rows[i] for i in kept}
    x = m.x

    def rule(_m, n):
        pairs, lo, hi = of_name[n]
        if not pairs:  # an empty row (its sides were checked when the model was compiled)
            return pyo.Constraint.Skip
        body = sum(c * x[cnames[j]] for j, c in pairs)
        if not math.isinf(lo) and lo == hi:
            return body == lo
        return (None if math.isinf(lo) else lo, body, None if math.isinf(hi) else hi)

    m.c = pyo.Constraint(m.rows, rule=rule)
    vec = objective.vector
    expr = sum(c * x[cnames[j]] for j, c in zip(vec.indices.tolist(), vec.coefs.tolist())) + float(vec.constant)
    m.add_component(OBJECTIVE_NAME, pyo.Objective(expr=expr, sense=pyo.maximize if objective.sense == "max"
                                                  else pyo.minimize))
    m.goalprog_names = names
    return m


def native_model(problem, kind: str, level=None, *, result=None, method: str | None = None):
    """``problem``'s model of one solve in the library ``kind`` (``"pulp"`` or ``"pyomo"``): see
    :func:`stage_arrays` for ``level``, ``result`` and ``method``, :func:`pulp_model` and
    :func:`pyomo_model` for what is built."""
    arrays = stage_arrays(problem, level, method, result=result)
    build = pulp_model if kind == "pulp" else pyomo_model
    return build(arrays, problem.model.name)
