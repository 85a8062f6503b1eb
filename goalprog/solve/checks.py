"""Checks on a solution and on a model: trust, but verify what the solver says.

:func:`verify_stage` recomputes, from the variable values alone, what a stage solve claims:
bounds and rows hold (within a tolerance scaled to the row), and the stage objective the solver
reported equals the objective evaluated at the values.  A failed check turns the stage into an
error instead of a silently wrong report.  :func:`model_warnings` flags numerically risky models
(coefficients spanning more than about six orders of magnitude, per level an objective whose
coefficients are that far apart) and input accepted but doing nothing or something else than it
seems (:mod:`goalprog.model.lint`: zero weights, goals the bounds decide, units mixed, weights
standing in for priorities); :func:`broken_order` checks after a weighted solve whether such
weights kept the order they seem to promise.
"""

from __future__ import annotations

import math

import numpy as np

from ..model.ir import LinearModel, Objective

FEAS_TOL = 1e-6     # relative to max(1, |bound|, row's |a|.|x|)
OBJ_TOL = 1e-6      # relative to max(1, |objective|)
COEF_SPAN_WARN = 1e6


def check_tolerance(options) -> float:
    """The relative tolerance of the solution checks: 1e-6, or 1e-4 for HiGHS's first-order PDLP
    solver, whose solutions are approximate (duality gap 1e-4 by default, no crossover)."""
    return 1e-4 if str(options.solver_options.get("solver", "")).lower() == "pdlp" else FEAS_TOL


def verify_stage(model: LinearModel, x: np.ndarray, objective: Objective, reported: float | None,
                 extra_rows=(), tol: float = None) -> list[str]:
    """Problems found with the values ``x`` of a stage (empty when all is well); ``tol`` is the
    relative tolerance (default :data:`FEAS_TOL`)."""
    feas = FEAS_TOL if tol is None else tol
    objtol = OBJ_TOL if tol is None else tol
    problems: list[str] = []
    if x is None:
        return problems
    if not np.all(np.isfinite(x)):
        return ["the solver returned values that are not finite numbers"]
    scale_c = np.maximum(1.0, np.maximum(np.abs(np.where(np.isinf(model.col_lower), 0, model.col_lower)),
                                         np.abs(np.where(np.isinf(model.col_upper), 0, model.col_upper))))
    viol_c = np.maximum(model.col_lower - x, x - model.col_upper) / scale_c
    j = int(np.argmax(viol_c)) if len(viol_c) else -1
    if j >= 0 and viol_c[j] > feas:
        problems.append(f"the value of {model.col_origin[j].label} ({x[j]:.10g}) is outside its bounds "
                        f"[{model.col_lower[j]:g}, {model.col_upper[j]:g}]")
    ints = model.col_integer
    if ints.any():
        frac = np.abs(x[ints] - np.round(x[ints]))
        k = int(np.argmax(frac))
        if frac[k] > 1e-5:
            j = int(np.flatnonzero(ints)[k])
            problems.append(f"the integer variable {model.col_origin[j].label} has the value {x[j]:.10g}")
    with np.errstate(over="ignore", invalid="ignore"):  # a huge plan (a solver's nonsense) is reported below
        problems += _row_problems(model, x, feas)
    for row in extra_rows:
        v = row.vector.value(x)
        scale = max(1.0, abs(v))
        if v < row.lower - feas * scale or v > row.upper + feas * scale:
            problems.append(f"the lock row {row.name} is violated ({v:.10g} not in [{row.lower:g}, {row.upper:g}])")
    if reported is not None and math.isfinite(reported):
        actual = objective.vector.value(x)
        if abs(actual - reported) > objtol * max(1.0, abs(actual)):
            problems.append(f"the solver reported an objective of {reported:.10g} but the values give {actual:.10g}")
    return problems


def model_warnings(model: LinearModel, levels=None, lams: dict | None = None) -> list[str]:
    """Warnings about the model itself: a coefficient range wider than 1e6; what the compiler found
    (``model.warnings``); per level of ``levels`` (default: the model's priority levels; ``["all"]``
    for one weighted sum of every goal) the checks of :func:`goalprog.model.lint.level_warnings`
    (zero weights, weights standing in for priorities, units mixed, goal rows of very different
    sizes) and an objective whose coefficients are more than 1e6 apart; goals the bounds decide in
    advance (:func:`goalprog.model.lint.decided_goals`).  ``lams``: each level's lambda where it
    is not 1 (a Chebyshev or extended level), for the wording of its warnings."""
    from ..model.lint import decided_goals, level_warnings

    out = []
    lo, hi = model.coefficient_range()
    if lo > 0 and hi / lo > COEF_SPAN_WARN:
        out.append(f"constraint coefficients span {lo:.3g} to {hi:.3g} (a ratio of {hi / lo:.2g}); solvers may "
                   "misjudge feasibility or optimality on such models: rescale units (e.g. thousands of dollars) "
                   "or normalise the goals")
    out.extend(model.warnings)
    levels = list(model.priorities()) if levels is None else list(levels)
    out.extend(level_warnings(model, levels, lams))
    out.extend(objective_warnings(model, levels))
    out.extend(decided_goals(model))
    return out


def objective_warnings(model: LinearModel, levels) -> list[str]:
    """A level whose achievement function has coefficients more than 1e6 apart (weight / scale of
    its deviations, its objectives' coefficients times their weights), naming the two columns."""
    from ..model.lint import level_name
    from .achievement import achievement

    out = []
    for level in levels:
        obj = achievement(model, None if level == "all" else level, all_levels=level == "all")
        c = np.abs(obj.vector.coefs)
        nz = np.flatnonzero(c > 0)
        if len(nz) < 2:
            continue
        i_lo, i_hi = nz[np.argmin(c[nz])], nz[np.argmax(c[nz])]
        lo, hi = float(c[i_lo]), float(c[i_hi])
        if hi <= COEF_SPAN_WARN * lo:
            continue
        out.append(f"the objective of {level_name(level)} has coefficients from {lo:.3g} "
                   f"({_column(model, int(obj.vector.indices[i_lo]))}) to {hi:.3g} "
                   f"({_column(model, int(obj.vector.indices[i_hi]))}), a ratio of {hi / lo:.2g}: solvers may stop "
                   "short of the optimum on such an objective: bring the weights closer (priority levels instead of "
                   "huge weights), rescale units, or normalise the goals")
    return out


def _column(model: LinearModel, j: int) -> str:
    """A column as a message names it: ``the under-deviation of g[A]``, ``x[1]``."""
    from ..model.ir import ROLE_OVER, ROLE_UNDER

    role = int(model.col_role[j])
    label = model.col_origin[j].label
    if role == ROLE_UNDER:
        return f"the under-deviation of {label}"
    if role == ROLE_OVER:
        return f"the over-deviation of {label}"
    if role == 0:
        return label
    return label.replace("_piece", "-deviation piece")


def _row_problems(model, x, feas) -> list[str]:
    """The worst violated row of ``model`` at ``x`` (relative to its scale), as a message."""
    problems: list[str] = []
    act = model.row_activity(x)
    mag = np.bincount(np.repeat(np.arange(model.n_rows), np.diff(model.indptr)),
                      weights=np.abs(model.data * x[model.indices]), minlength=model.n_rows)
    lo = np.where(np.isinf(model.row_lower), 0.0, model.row_lower)
    hi = np.where(np.isinf(model.row_upper), 0.0, model.row_upper)
    scale_r = np.maximum(1.0, np.maximum(mag, np.maximum(np.abs(lo), np.abs(hi))))
    viol_r = np.maximum(model.row_lower - act, act - model.row_upper) / scale_r
    i = int(np.argmax(viol_r)) if len(viol_r) else -1
    if i >= 0 and viol_r[i] > feas:
        kind = "hard constraint" if i < model.n_hard else "goal row"
        problems.append(f"the {kind} {model.row_origin[i].label} is violated by {viol_r[i] * scale_r[i]:.6g} "
                        f"(activity {act[i]:.10g}, bounds [{model.row_lower[i]:g}, {model.row_upper[i]:g}])")
    return problems


def broken_order(model: LinearModel, x: np.ndarray, backend, options) -> list[str]:
    """After a weighted solve: where weights 1,000x apart or more stand in for priorities
    (:func:`goalprog.model.lint.level_warnings`), whether the plan gave up on the heavy goals
    although they could do better on their own.  One extra solve (the heavy goals' weighted
    deviations alone, subject to the hard constraints), only when a heavy goal is missed.

    The heavy goals are the penalised sides whose weight is :data:`~goalprog.model.lint.WEIGHT_RANGE_WARN`
    times the least positive weight or more.  Returns the warning, or nothing."""
    from ..core.status import SolutionStatus
    from ..model.ir import Objective, SparseVector
    from ..model.lint import WEIGHT_RANGE_WARN, listing
    from ..model.scaling import unwanted

    g = model.goals
    pu, po = g.under_col >= 0, g.over_col >= 0
    positive = np.concatenate([g.under_weight[pu & (g.under_weight > 0)], g.over_weight[po & (g.over_weight > 0)]])
    if len(positive) < 2:
        return []
    w_min = float(positive.min())
    hu = pu & (g.under_weight >= WEIGHT_RANGE_WARN * w_min)
    ho = po & (g.over_weight >= WEIGHT_RANGE_WARN * w_min)
    if not hu.any() and not ho.any():
        return []
    under, over = unwanted(model, x)
    target = np.abs(np.where(np.isfinite(g.lower), g.lower, np.where(np.isfinite(g.upper), g.upper, 0.0)))
    dev = np.where(hu, under, 0.0) + np.where(ho, over, 0.0)
    missed = np.flatnonzero(dev > 1e-6 * np.maximum(1.0, target))
    if not len(missed):
        return []
    cols = np.concatenate([g.under_col[hu], g.over_col[ho]])
    coefs = np.concatenate([g.under_weight[hu] / g.under_scale[hu], g.over_weight[ho] / g.over_scale[ho]])
    heavy = SparseVector.make(cols, coefs)
    planned = heavy.value(x)
    session = backend.session(model, options)
    try:
        session.set_objective(Objective("min", heavy))
        rec = session.solve()
    finally:
        session.close()
    if rec.solution is not SolutionStatus.OPTIMAL or rec.objective is None or \
            rec.objective >= planned - 1e-6 * max(1.0, abs(planned)):
        return []
    shown = [f"{g.origins[int(i)].label} (by {dev[i]:.6g})" for i in missed[:5]]
    light = np.flatnonzero((pu & (g.under_weight == w_min)) | (po & (g.over_weight == w_min)))
    light_label = g.origins[int(light[0])].label if len(light) else "the lighter goals"
    return [f"the weights did not keep the order: the weighted plan misses {listing(shown, len(missed))}, although "
            f"the goals weighted {WEIGHT_RANGE_WARN * w_min:g} and more could reach a weighted deviation of "
            f"{rec.objective:.6g} instead of {planned:.6g} on their own; the weighted sum traded them for goals such as "
            f"{light_label} (weight {w_min:g}): if they are to come first, give them an earlier priority level "
            "(preemptive method)"]
