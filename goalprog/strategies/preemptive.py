"""Preemptive (lexicographic) goal programming: one solve per priority level.

Level ``l`` minimises its achievement function ``h_l`` (weighted unwanted deviations of its goals,
plus its plain objectives).  After level ``l`` reaches ``h_l*`` (proven optimal), one lock row is
added for all later levels::

    h_l <= h_l* + max(abs_tol, rel_tol * |h_l*|)        (a minimised level)
    h_l >= h_l* - max(abs_tol, rel_tol * |h_l*|)        (a level of maximised objectives)

The tolerance is additive, so it is right for negative optima too (a multiplicative lock such as
PuLP's ``sequentialSolve`` is not), and it sits well above the solver's feasibility tolerance so
that a level value reported with round-off (54 as 53.999998) never makes a later level infeasible.
A level that is not proven optimal (infeasible, unbounded, stopped at a limit, error) stops the
chain: it is never locked, and later levels are not run.

References: Ignizio, *Goal Programming and Extensions* (1976); Jones & Tamiz, *Practical Goal
Programming* (2010), ch. 3; Romero (1991).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..backends.base import Backend, SolveOptions
from ..ir import ExtraRow, LinearModel, achievement
from ..results import Result
from ..status import Status
from .common import describe_failure, stage_result


@dataclass(frozen=True)
class LockTolerance:
    """``abs_tol`` and ``rel_tol`` of the lock rows (see the module docstring)."""

    abs_tol: float = 1e-5
    rel_tol: float = 1e-9

    def slack(self, value: float) -> float:
        return max(self.abs_tol, self.rel_tol * abs(value))


def run(model: LinearModel, backend: Backend, options: SolveOptions, lock: LockTolerance | None = None) -> Result:
    """Solve ``model`` level by level on one backend session; returns a :class:`~goalprog.results.Result`.

    Raises nothing for infeasible/unbounded levels: the result's status and message say which
    level stopped the chain.
    """
    lock = lock or LockTolerance()
    levels = model.priorities()
    stages = []
    x = None
    status = Status.OPTIMAL
    message = ""
    session = backend.session(model, options)
    try:
        for k, level in enumerate(levels):
            objective = achievement(model, level)
            session.set_objective(objective)
            rec = session.solve()
            name = f"level {level}" if level is not None else "level"
            last = k == len(levels) - 1
            stage = stage_result(k, name, level, objective.sense, rec)
            if stage.status is not Status.OPTIMAL:
                stages.append(stage)
                status = stage.status
                message = describe_failure(stage.status, f"priority {name}")
                if k > 0 and stage.status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
                    message += " (with the earlier levels locked; try a larger lock tolerance)"
                if stage.status is Status.FEASIBLE:
                    x = rec.x
                    message += "; later levels were not run"
                else:
                    x = None
                break
            x = rec.x
            if not last:
                value = rec.objective
                slack = lock.slack(value)
                if objective.sense == "max":
                    bound, sense = value - slack, ">="
                    row = ExtraRow(f"lock_{name}", objective.vector, bound, float("inf"))
                else:
                    bound, sense = value + slack, "<="
                    row = ExtraRow(f"lock_{name}", objective.vector, float("-inf"), bound)
                session.add_row(row)
                stage = stage_result(k, name, level, objective.sense, rec, bound, sense)
            stages.append(stage)
    finally:
        session.close()
    return Result(model, "preemptive", backend.name, status, tuple(stages), x, message, (),
                  lock.abs_tol, lock.rel_tol)
