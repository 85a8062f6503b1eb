"""Weighted goal programming: one solve minimising the weighted sum of unwanted deviations.

    min  sum_i ( w_i^- n_i + w_i^+ p_i )  [ - sum w_k f_k(x) for maximised objectives
                                             + sum w_k f_k(x) for minimised ones ]
    s.t. f_i(x) + n_i - p_i  on the target side of goal i,   hard constraints,   n, p >= 0

Priorities, if given, are ignored by this method (a warning says so).  Reference: Jones & Tamiz,
*Practical Goal Programming* (2010), ch. 2; Romero, *Handbook of Critical Issues in Goal
Programming* (1991).
"""

from __future__ import annotations

from dataclasses import replace

from ..backends.base import Backend, SolveOptions
from ..checks import model_warnings, verify_stage
from ..ir import LinearModel, achievement
from ..results import Result
from ..status import Status
from .common import describe_failure, diagnose_first_stage, stage_result


def run(model: LinearModel, backend: Backend, options: SolveOptions, lock=None, accept_feasible: bool = False) -> Result:
    """Solve ``model`` by weighted GP on ``backend``; returns a :class:`~goalprog.results.Result`."""
    warnings = []
    levels = [p for p in model.priorities() if p is not None]
    if len(levels) > 1:
        warnings.append(f"the weighted method ignores priorities ({len(levels)} levels given); "
                        "every unwanted deviation is weighted in one objective")
    objective = achievement(model, None, all_levels=True)
    session = backend.session(model, options)
    try:
        session.set_objective(objective)
        rec = session.solve()
    finally:
        session.close()
    stage = stage_result(0, "weighted", None, objective.sense, rec)
    if stage.status.has_solution:
        problems = verify_stage(model, rec.x, objective, rec.objective)
        if problems:
            stage = replace(stage, status=Status.ERROR, message="; ".join(problems))
    status, extra, conflict = diagnose_first_stage(model, stage.status)
    message = "" if status is Status.OPTIMAL else describe_failure(status, "the weighted problem") + extra
    if stage.status is Status.ERROR and stage.message:
        message += f": {stage.message}"
    warnings.extend(model_warnings(model))
    x = rec.x if status.has_solution else None
    return Result(model, "weighted", backend.name, status, (stage,), x, message, tuple(warnings), conflict=conflict)
