"""Weighted goal programming: one solve minimising the weighted sum of unwanted deviations.

    min  sum_i ( w_i^- n_i / k_i^- + w_i^+ p_i / k_i^+ )   [ - sum w_k f_k(x) for maximised objectives
                                                             + sum w_k f_k(x) for minimised ones ]
    s.t. f_i(x) + n_i - p_i  on the target side of goal i,   hard constraints,   n, p >= 0

``k`` are the normalisation scales (1 without normalisation; see ``normalize:``).  Priorities,
if given, are ignored by this method (a warning says so).  :func:`one_stage` also serves the
Chebyshev and extended methods (``lam`` < 1).  Reference: Jones & Tamiz, *Practical Goal
Programming* (2010), ch. 2; Romero, *Handbook of Critical Issues in Goal Programming* (1991).
"""

from __future__ import annotations

from dataclasses import replace

from ..achievement import ALL, achievement, with_minmax_columns
from ..backends.base import Backend, SolveOptions
from ..backends.polish import polish_record
from ..checks import broken_order, check_tolerance, model_warnings, verify_stage
from ...model.ir import LinearModel
from ...model.scaling import magnitude_warnings
from ..normalize import zero_one_scales
from ..results import Result
from ...core.status import Status
from .mip_check import true_mip_stage
from .common import LockTolerance, Settings, first_stage_failure, stage_result


def one_stage(model: LinearModel, backend: Backend, options: SolveOptions, settings: Settings, method: str,
              lam: float) -> Result:
    """Solve every goal in one achievement function ``(1 - lam) * D + lam * sum of penalty terms``
    (``lam = 1``: weighted; ``0``: Chebyshev) and return a :class:`~goalprog.solve.results.Result`."""
    warnings = []
    levels = [p for p in model.priorities() if p is not None]
    if len(levels) > 1:
        warnings.append(f"the {method} method ignores priorities ({len(levels)} levels given); "
                        "every unwanted deviation is weighed in one objective")
    model, w = zero_one_scales(model, backend, options)
    warnings.extend(w)
    warnings.extend(magnitude_warnings(model, ["all"]))
    d_col = -1
    if lam < 1.0:
        model, cols = with_minmax_columns(model, [ALL])
        d_col = cols.get(ALL, -1)
    objective = achievement(model, None, all_levels=True, minmax_col=d_col, lam=lam)
    session = backend.session(model, options)
    try:
        session.set_objective(objective)
        rec = polish_record(session, true_mip_stage(session, objective, [], session.solve()), model)  # last-bit noise removed (backends/polish.py)
    finally:
        session.close()
    stage = stage_result(0, method, None, objective.sense, rec)
    if stage.status.has_solution:
        problems = verify_stage(model, rec.x, objective, rec.objective, tol=check_tolerance(options))
        if problems:
            stage = replace(stage, status=Status.ERROR, message="; ".join(problems))
    status, message, conflict = first_stage_failure(model, stage.status, f"the {method} problem", rec.termination,
                                                    rec.solver, objective, rec.message)
    message = "" if status is Status.OPTIMAL else message
    if stage.status is Status.ERROR and stage.message:
        message += f": {stage.message}"
    warnings.extend(model_warnings(model, ["all"], {"all": lam}))
    if check_tolerance(options) > 1e-6:
        warnings.append("PDLP solutions are approximate (relative accuracy about 1e-4): values are checked to 1e-4")
    x = rec.x if status.has_solution else None
    if x is not None and status is Status.OPTIMAL and method == "weighted":
        warnings.extend(broken_order(model, x, backend, options))
    pareto = None
    if x is not None and status is Status.OPTIMAL and settings.pareto != "off":
        from ..pareto import efficiency

        pareto, x = efficiency(model, x, backend, options, restore=settings.pareto == "restore")
    from ..stages import ChainStage  # one stage record: stage_model(result, 0) rebuilds the solve

    record = ChainStage(0, None, method, objective, rec.objective if rec.x is not None else None)
    return Result(model, method, backend.name, status, (stage,), x, message, tuple(warnings), conflict=conflict,
                  lam=lam, pareto=pareto, stage_records=(record,))


def run(model: LinearModel, backend: Backend, options: SolveOptions, lock: LockTolerance | None = None,
        accept_feasible: bool = False, settings: Settings | None = None) -> Result:
    """Solve ``model`` by weighted GP on ``backend``; returns a :class:`~goalprog.solve.results.Result`."""
    return one_stage(model, backend, options, settings or Settings(), "weighted", 1.0)
