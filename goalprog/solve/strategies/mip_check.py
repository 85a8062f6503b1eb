"""A MIP stage's proof checked against the stage objective *as goalprog evaluates it*.

A branch-and-bound solver proves its incumbent optimal on the model it sees, to its own
feasibility tolerance.  SCIP's is relative (``numerics/feastol`` 1e-6 times the row's size), so on
a goal row with target 97,730 it accepts a plan that misses the row by 0.1 with the deviation
columns at 0: its incumbent's objective (0, or 0.0745 where goalprog re-evaluates the deviation
columns) and its bound (0.0014352) then say nothing about each other, yet the solver says
"optimal".  goalprog's rule (:func:`goalprog.solve.backends.gaps.proven`, docs/solvers.md) is that
a MIP stage is optimal only when its bound meets the incumbent; this module applies it to the
incumbent's *true* value: the stage objective's optimum over the plans that keep the incumbent's
integer columns (the *fixed model*, :func:`goalprog.solve.strategies.polish.fixed_model`, solved as
an LP by HiGHS with the earlier levels' lock rows).  When that value and the solver's claimed
objective differ beyond the proof tolerance (:func:`~goalprog.solve.backends.gaps.closed`), the
stage takes the fixed model's plan and value (so a later level's lock is built on the true value,
never on the tolerance-hidden one), and it is proven only when the solver's bound meets that value;
otherwise it is a gap stop (``GAP_LIMIT``/``FEASIBLE``, the gap in its message).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ...core.status import SolutionStatus, Termination
from ..backends.base import SolveOptions, StageRecord, get_backend
from ..backends.gaps import closed, integral_level, proven

__all__ = ["true_mip_stage"]


AGREE = 1e-5
"""Values that differ by at most this times the level's largest coefficient agree (the slack a
MIP level's lock row allows, ``MIP_FEASIBILITY_TOLERANCE`` of the preemptive chain: CBC reported
2.999999 with bound 2.999999 for a level whose value is 3 on its plan)."""

TIGHT_FEASTOL = 1e-9
"""SCIP's ``numerics/feastol`` for the one re-solve of a stage whose proof failed the check (its
default is 1e-6, relative to the row's size)."""


def _fixed_lp(model, objective, locks, x):
    """``(value, plan)`` of the stage objective minimised (or maximised) by HiGHS over ``model``
    with its integer columns fixed at ``x`` (rounded) and ``locks`` added; ``None`` when that LP
    cannot be solved (an error); ``(None, None)`` when it is not solved to optimality (the plan's
    integer columns break a lock, as goalprog evaluates the deviations)."""
    from .polish import fixed_model

    try:
        session = get_backend("highs").session(fixed_model(model, x), SolveOptions())
        try:
            session.set_objective(objective)
            for row in locks:
                session.add_row(row)
            rec = session.solve()
        finally:
            session.close()
    except Exception:  # noqa: BLE001 -- the check is a safeguard: without it the solver's record stands
        return None
    if rec.termination is not Termination.OPTIMAL or rec.x is None or rec.objective is None:
        return None, None
    return float(rec.objective), np.asarray(rec.x, dtype=np.float64)


def _checked(model, objective, locks, rec: StageRecord) -> tuple[StageRecord, bool]:
    """``(record, ok)``: ``rec`` checked as the module doc says; ``ok`` when it passed unchanged."""
    if not model.is_mip or rec.x is None or rec.solution is SolutionStatus.NONE or rec.objective is None:
        return rec, True
    got = _fixed_lp(model, objective, locks, rec.x)
    if got is None:
        return rec, True
    value, x = got
    if value is None:  # the plan keeps no lock once its deviations are evaluated exactly
        note = ("not proven optimal: with its integer columns fixed, the solver's plan breaks a lock of an "
                "earlier level as goalprog evaluates it (the solver's feasibility tolerance hid a deviation)")
        return replace(rec, termination=Termination.GAP_LIMIT if rec.termination is Termination.OPTIMAL
                       else rec.termination, solution=SolutionStatus.FEASIBLE,
                       message=f"{rec.message} ({note})" if rec.message else note), False
    c = np.abs(np.asarray(objective.vector.coefs, dtype=np.float64))
    tol = AGREE * float(c.max()) if len(c) else 0.0

    def agree(a, b):  # within the proof tolerance, or the MIP lock's (the solver's own noise)
        return closed(a, b) or abs(a - b) <= tol

    term, sol = rec.termination, rec.solution
    if rec.bound is not None and not agree(value, rec.bound):
        term, sol, _ = proven(rec.termination, rec.solution, value, rec.bound, False,
                              integral_level(model, objective), objective.sense)
    hidden = not agree(rec.objective, value)
    if not hidden and term is rec.termination:
        return rec, True
    changes = {"termination": term, "solution": sol}
    notes = []
    if hidden:
        changes.update(objective=value, x=x)  # the true plan and value for the solver's integer columns
        notes.append(f"the solver's objective {rec.objective:.12g} is not the level's value on its plan "
                     f"({value:.12g} with its integer columns fixed, solved as an LP): the solver's feasibility "
                     "tolerance hid a deviation")
    if term is not rec.termination:
        notes.append(f"not proven optimal: bound {'none' if rec.bound is None else f'{rec.bound:.12g}'}, "
                     f"objective {value:.12g} as goalprog evaluates it")
    note = "; ".join(notes)
    return replace(rec, message=f"{rec.message} ({note})" if rec.message else note, **changes), False


def true_mip_stage(session, objective, locks, rec: StageRecord) -> StageRecord:
    """``rec`` (the record of ``session.solve()`` on a MIP stage: ``objective`` the stage
    objective, ``locks`` the extra rows added to the session so far) checked as the module doc
    says: unchanged when the fixed model's value meets the solver's objective and bound (or there
    is nothing to check); else, on SCIP, solved once more with ``numerics/feastol``
    :data:`TIGHT_FEASTOL` (kept for the session's later solves) and checked again; else with the
    fixed model's plan and value, and ``GAP_LIMIT``/``FEASIBLE`` when the solver's bound does not
    meet that value."""
    model = getattr(session, "model", None)
    if model is None:
        return rec
    checked, ok = _checked(model, objective, locks, rec)
    if ok or "scip" not in rec.solver.lower():
        return checked
    session.set_option("numerics/feastol", TIGHT_FEASTOL)
    again, ok = _checked(model, objective, locks, session.solve())
    if not ok and again.termination is not Termination.OPTIMAL and checked.termination is Termination.OPTIMAL:
        return checked  # pragma: no cover - the tighter solve did worse
    note = f"solved again with SCIP's numerics/feastol {TIGHT_FEASTOL:g}: the first solve failed goalprog's check"
    return replace(again, message=f"{again.message} ({note})" if again.message else note)
