"""Preemptive (lexicographic) goal programming: one solve per priority level.

Level ``l`` minimises its achievement function ``h_l`` (weighted unwanted deviations of its goals,
plus its plain objectives).  After level ``l`` reaches ``h_l*`` (proven optimal), one lock row is
added for all later levels::

    h_l <= h_l* + max(abs_tol, rel_tol * |h_l*|)        (a minimised level)
    h_l >= h_l* - max(abs_tol, rel_tol * |h_l*|)        (a level of maximised objectives)

A level that is fully achieved (every unwanted deviation it weighs exactly 0 in the solution) is
locked with no tolerance, ``h_l <= 0``: the solution at hand satisfies that row exactly.

The tolerance is additive, so it is right for negative optima too (a multiplicative lock such as
PuLP's ``sequentialSolve`` is not), and it sits well above the solver's feasibility tolerance so
that a level value reported with round-off (54 as 53.999998) never makes a later level infeasible.
A level that is not proven optimal (infeasible, unbounded, stopped at a limit, error) stops the
chain: it is never locked, and later levels are not run.

References: Ignizio, *Goal Programming and Extensions* (1976); Jones & Tamiz, *Practical Goal
Programming* (2010), ch. 3; Romero (1991).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..backends.base import Backend, SolveOptions
from ..checks import model_warnings, verify_stage
from ..ir import ExtraRow, LinearModel, achievement
from ..results import Result
from ..status import Status
from .common import describe_failure, diagnose_first_stage, stage_result


def _attained_exactly(model: LinearModel, objective, x) -> bool:
    """True when the level is fully achieved: it only weighs deviation columns (positive weights,
    no constant) and each is exactly 0.0 in the stage's solution.  Such a level is locked with no
    tolerance (``h_l <= 0``): the solution at hand satisfies that row exactly, so the lock cannot
    make the next level infeasible, and later levels cannot buy back a little of this one."""
    vec = objective.vector
    if objective.sense != "min" or vec.constant != 0.0 or not len(vec.indices) or x is None:
        return False
    if (vec.coefs <= 0).any() or (model.col_role[vec.indices] == 0).any():
        return False
    return bool((x[vec.indices] == 0.0).all())


@dataclass(frozen=True)
class LockTolerance:
    """``abs_tol`` and ``rel_tol`` of the lock rows (see the module docstring)."""

    abs_tol: float = 1e-5
    rel_tol: float = 1e-9

    def slack(self, value: float) -> float:
        return max(self.abs_tol, self.rel_tol * abs(value))


def run(model: LinearModel, backend: Backend, options: SolveOptions, lock: LockTolerance | None = None,
        accept_feasible: bool = False) -> Result:
    """Solve ``model`` level by level on one backend session; returns a :class:`~goalprog.results.Result`.

    Raises nothing for infeasible/unbounded levels: the result's status and message say which
    level stopped the chain.  With ``accept_feasible``, a level stopped by a limit with a feasible
    solution is locked at that solution's value (plus the tolerance) and the chain goes on; the
    result is then ``FEASIBLE``, never ``OPTIMAL``, and the stages after it are flagged.
    """
    lock = lock or LockTolerance()
    levels = model.priorities()
    stages = []
    conflict = None
    x = None
    status = Status.OPTIMAL
    message = ""
    unproven_from = None
    locks: list[ExtraRow] = []
    session = backend.session(model, options)
    try:
        for k, level in enumerate(levels):
            objective = achievement(model, level)
            session.set_objective(objective)
            rec = session.solve()
            name = f"level {level}" if level is not None else "level"
            last = k == len(levels) - 1
            stage = stage_result(k, name, level, objective.sense, rec)
            if stage.status.has_solution:
                problems = verify_stage(model, rec.x, objective, rec.objective, locks)
                if problems:
                    stage = replace(stage, status=Status.ERROR, message="; ".join(problems))
            usable = stage.status is Status.OPTIMAL or (stage.status is Status.FEASIBLE and accept_feasible)
            if not usable:
                stages.append(stage)
                status = stage.status
                extra = ""
                if k == 0:
                    status, extra, conflict = diagnose_first_stage(model, status)
                message = describe_failure(status, f"priority {name}") + extra
                if stage.status is Status.ERROR and stage.message:
                    message += f": {stage.message}"
                if k > 0 and status in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
                    message += " (with the earlier levels locked; try a larger lock tolerance)"
                if status is Status.FEASIBLE:
                    x = rec.x
                    message += ("; later levels were not run (accept_feasible lets the chain go on "
                                "with this level locked at its incumbent)")
                else:
                    x = None
                break
            if stage.status is Status.FEASIBLE and unproven_from is None:
                unproven_from = name
            if unproven_from is not None:
                stage = replace(stage, message=(stage.message + "; " if stage.message else "")
                                + (f"not proven optimal" if stage.status is Status.FEASIBLE
                                   else f"optimal given the unproven lock of {unproven_from}"))
            x = rec.x
            if not last:
                value = rec.objective
                slack = 0.0 if _attained_exactly(model, objective, rec.x) else lock.slack(value)
                if objective.sense == "max":
                    bound, sense = value - slack, ">="
                    row = ExtraRow(f"lock_{name}", objective.vector, bound, float("inf"))
                else:
                    bound, sense = value + slack, "<="
                    row = ExtraRow(f"lock_{name}", objective.vector, float("-inf"), bound)
                session.add_row(row)
                locks.append(row)
                stage = replace(stage, lock=bound, lock_sense=sense)
            stages.append(stage)
    finally:
        session.close()
    if status is Status.OPTIMAL and unproven_from is not None:
        status = Status.FEASIBLE
        message = f"{unproven_from} stopped at a limit and was accepted unproven: the plan is feasible, not proven optimal"
    return Result(model, "preemptive", backend.name, status, tuple(stages), x, message, tuple(model_warnings(model)),
                  lock.abs_tol, lock.rel_tol, conflict=conflict)
