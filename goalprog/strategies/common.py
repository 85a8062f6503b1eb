"""Pieces shared by the strategies: stage bookkeeping."""

from __future__ import annotations

from ..backends.base import StageRecord
from ..results import StageResult
from ..status import Status, combine


def stage_result(index: int, name: str, priority, sense: str, rec: StageRecord,
                 lock: float | None = None, lock_sense: str | None = None) -> StageResult:
    return StageResult(index=index, name=name, priority=priority, sense=sense,
                       status=combine(rec.termination, rec.solution), termination=rec.termination,
                       solution=rec.solution, objective=rec.objective, bound=rec.bound, time=rec.time,
                       solver=rec.solver, solver_status=rec.message, lock=lock, lock_sense=lock_sense)


def describe_failure(status: Status, where: str) -> str:
    return {
        Status.INFEASIBLE: f"{where} is infeasible: the hard constraints cannot all hold together",
        Status.UNBOUNDED: f"{where} is unbounded: the objective can improve without limit",
        Status.INFEASIBLE_OR_UNBOUNDED: f"{where} is infeasible or unbounded (the solver could not tell which)",
        Status.FEASIBLE: f"{where} stopped at a limit with a feasible solution that is not proven optimal",
        Status.LIMIT_NO_SOLUTION: f"{where} reached a limit (time, iterations or nodes) before any feasible solution "
                                  "was found; allow more time (--time-limit) or relax the limit",
        Status.ERROR: f"the solver failed at {where}",
        Status.NOT_SOLVED: f"{where} was not solved",
    }.get(status, f"{where}: {status.value}")


def diagnose_first_stage(model, status: Status) -> tuple[Status, str, object]:
    """At the first solve, name the conflict of an infeasible model (and tell an unbounded model
    from an infeasible one when the solver could not).  Returns (status, extra message, conflict)."""
    if status not in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
        return status, "", None
    from ..diagnose import explain_infeasible

    try:
        conflict = explain_infeasible(model)
    except Exception as exc:  # the diagnosis is a courtesy; never let it hide the status
        return status, f" (the conflict could not be analysed: {exc})", None
    if conflict is None:
        if status is Status.INFEASIBLE_OR_UNBOUNDED:
            return Status.UNBOUNDED, "", None
        return status, "", None
    extra = "; " + conflict.describe()
    hint = conflict.hint()
    if hint:
        extra += f". Hint: {hint}"
    return Status.INFEASIBLE, extra, conflict
