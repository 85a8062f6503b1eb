"""Solver outcomes as explicit statuses: why the solver stopped, kept apart from what it found.

A stage is *proven optimal* only when ``termination is Termination.OPTIMAL`` and
``solution is SolutionStatus.OPTIMAL`` (never trust one without the other: PuLP's HiGHS interface
calls a time-limited MIP stop "Optimal").
"""

from __future__ import annotations

from enum import Enum


class Termination(str, Enum):
    """Why the solver stopped."""

    OPTIMAL = "optimal"
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    TIME_LIMIT = "time_limit"
    ITERATION_LIMIT = "iteration_limit"
    NODE_LIMIT = "node_limit"
    GAP_LIMIT = "gap_limit"
    """A MIP solve that stopped with its bound and incumbent apart (at a MIP gap above 0, the
    solver calling it optimal): not proven (see :mod:`goalprog.solve.backends.gaps`)."""
    INTERRUPTED = "interrupted"
    ERROR = "error"
    NOT_RUN = "not_run"
    UNKNOWN = "unknown"

    @property
    def is_limit(self) -> bool:
        return self in (Termination.TIME_LIMIT, Termination.ITERATION_LIMIT, Termination.NODE_LIMIT,
                        Termination.GAP_LIMIT, Termination.INTERRUPTED)


class SolutionStatus(str, Enum):
    """What the solver has to show for it."""

    OPTIMAL = "optimal"        # a solution proven optimal
    FEASIBLE = "feasible"      # a feasible solution, optimality not proven
    NONE = "none"              # no solution


class Status(str, Enum):
    """Overall status of a :class:`~goalprog.solve.results.Result` (and of each stage)."""

    OPTIMAL = "optimal"
    FEASIBLE = "feasible"                # feasible, not proven optimal (a limit was hit)
    INFEASIBLE = "infeasible"
    UNBOUNDED = "unbounded"
    INFEASIBLE_OR_UNBOUNDED = "infeasible_or_unbounded"
    LIMIT_NO_SOLUTION = "limit_no_solution"  # a limit was reached before any feasible solution was found
    ERROR = "error"
    NOT_SOLVED = "not_solved"

    @property
    def has_solution(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


def combine(termination: Termination, solution: SolutionStatus) -> Status:
    """The stage status from a (termination, solution) pair."""
    if termination is Termination.OPTIMAL and solution is SolutionStatus.OPTIMAL:
        return Status.OPTIMAL
    if termination is Termination.INFEASIBLE:
        return Status.INFEASIBLE
    if termination is Termination.UNBOUNDED:
        return Status.UNBOUNDED
    if termination is Termination.INFEASIBLE_OR_UNBOUNDED:
        return Status.INFEASIBLE_OR_UNBOUNDED
    if solution in (SolutionStatus.FEASIBLE, SolutionStatus.OPTIMAL):
        return Status.FEASIBLE
    if termination.is_limit:
        return Status.LIMIT_NO_SOLUTION
    if termination is Termination.NOT_RUN:
        return Status.NOT_SOLVED
    return Status.ERROR
