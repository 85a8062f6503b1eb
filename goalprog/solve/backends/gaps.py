"""Proven MIP stages: the gap every backend asks for by default, and how a gap stop is told apart
from a proof.

A branch-and-bound solver stops "optimal" once its incumbent's objective and its best bound are
within the *MIP gap*: HiGHS by default at a relative gap of 1e-4 (and an absolute one of 1e-6),
CBC at its own ``ratio``/``allow``.  Such a stop is not a proof: on a knapsack with values near
40,000 a relative gap of 1e-4 leaves up to 40 units on the table, and a preemptive chain that
locks the level there lets the next level buy with that lost value.  So goalprog asks every
solver for a gap of 0 (relative and absolute, where the solver has both) unless the user sets
one (``mip_gap``, or a gap option of the solver in ``solver_options``), and a stage is reported
*proven optimal* only when

- the solver says optimal, and
- its best bound equals its incumbent's objective to :data:`PROOF_REL` relative or
  :data:`PROOF_ABS` absolute (the solver's own tolerance), where the backend can read the bound
  (HiGHS on every backend, CBC through PuLP from its log, Pyomo's result object); where it
  cannot, when no gap above 0 was asked for (the solver then ran to a gap of 0).

A MIP stage that fails this is a *gap stop*: termination
:attr:`~goalprog.core.status.Termination.GAP_LIMIT`, solution ``FEASIBLE``, so the stage status
is ``FEASIBLE``, and a preemptive chain treats it like any other limit (it stops, or with
``accept_feasible`` locks the incumbent and flags the later levels).

The relative gap shown is ``|objective - bound| / |objective|`` (Gurobi's ``MIPGap``; infinite
when the objective is 0 and the bound is not), in the stage's own sense and units.
"""

from __future__ import annotations

import math

import numpy as np

from ...core.status import SolutionStatus, Termination

PROOF_REL = 1e-9
"""A MIP stage is proven when its bound and objective differ by at most this, relative ..."""

PROOF_ABS = 1e-6
"""... or by at most this, absolute: HiGHS's ``mip_feasibility_tolerance``.  With both gaps 0, HiGHS
prunes a node whose bound is above ``incumbent - mip_feasibility_tolerance`` when the objective is
not integral (``HighsMipSolverData::computeNewUpperLimit``), so its proof holds to that much: a
weighted problem with an optimum of 29 ended ``kOptimal`` with objective 28.999998 and bound
28.9999979."""

GAP_OPTIONS = frozenset({
    # HiGHS (every backend), Pyomo's HiGHS interface, PuLP's own keywords
    "mip_rel_gap", "mip_abs_gap", "rel_gap", "abs_gap", "gapRel", "gapAbs",
    # CBC (PuLP options list, Pyomo's cbc), GLPK, Gurobi, CPLEX, SCIP, Xpress, COPT
    "ratio", "ratioGap", "allow", "allowableGap", "mipgap", "MIPGap", "MIPGapAbs", "mip_tolerances_mipgap",
    "mip_tolerances_absmipgap", "limits/gap", "limits/absgap", "miprelstop", "mipabsstop", "RelGap", "AbsGap",
})
"""Option names (of ``solver_options``) through which a user sets a MIP gap on some solver."""


def user_gap(options) -> bool:
    """True when the user asked for a MIP gap above 0: ``options.mip_gap`` (a
    :class:`~goalprog.solve.backends.base.SolveOptions`), or a gap option of :data:`GAP_OPTIONS`
    in ``options.solver_options`` (a value that is not a number counts as a gap)."""
    if options.mip_gap is not None and options.mip_gap > 0:
        return True
    for name, value in options.solver_options.items():
        if name in GAP_OPTIONS:
            try:
                if float(value) > 0:
                    return True
            except (TypeError, ValueError):
                return True
    return False


def rel_gap(objective: float | None, bound: float | None) -> float | None:
    """``|objective - bound| / |objective|`` (``inf`` when the objective is 0 and the bound is not;
    ``None`` when either is missing or not finite)."""
    if objective is None or bound is None or not (math.isfinite(objective) and math.isfinite(bound)):
        return None
    diff = abs(objective - bound)
    if diff == 0.0:
        return 0.0
    return diff / abs(objective) if objective != 0.0 else math.inf


def closed(objective: float, bound: float) -> bool:
    """The gap between a solver's own objective and its own bound is closed (see the module doc):
    within :data:`PROOF_REL` relative, or :data:`PROOF_ABS` absolute on objectives of size 1 or more
    and relative below (a level of size 1e-6 is not proven by a bound 4e-7 away), or 1e-12."""
    scale = max(abs(objective), abs(bound))
    return abs(objective - bound) <= max(1e-12, PROOF_REL * scale, PROOF_ABS * min(1.0, scale))


def integral_level(model, objective) -> bool:
    """True when ``objective`` (an :class:`~goalprog.model.ir.Objective` of ``model``, e.g. a
    priority level's achievement function) takes only whole-number values on integer plans: every
    column in it is integer, and every coefficient and the constant are whole numbers.  Its
    optimum ``h*`` is then a whole number, a bound ``B`` of it can be rounded (``floor(B)`` when
    maximising, ``ceil(B)`` when minimising), and a preemptive lock can hold it at ``round(h*)``
    exactly (no slack: the incumbent's value is ``round(h*)`` up to the solver's integrality
    tolerance)."""
    vec = objective.vector
    if not len(vec.indices) or not bool(np.asarray(model.col_integer)[vec.indices].all()):
        return False
    c = np.asarray(vec.coefs, dtype=np.float64)
    return bool(np.all(np.isfinite(c)) and np.all(c == np.round(c)) and float(vec.constant).is_integer())


def integral_lock(value: float, slack: float) -> tuple[float, float, bool]:
    """The lock of a level whose achievement function is integral (:func:`integral_level`), solved
    to ``value``: ``(round(value), floor(slack), exact)``.  The level's values are whole numbers, so
    ``h <= value + slack`` holds exactly when ``h <= round(value) + floor(slack)`` (the slack's
    fraction allows nothing; with the default slack of 1e-5 the lock is ``h <= round(h*)``);
    ``exact`` is ``True`` when no slack is left.  Shapes: scalars, in the level's units."""
    whole = float(math.floor(slack + 1e-9)) if slack > 0 else 0.0
    return float(round(value)), whole, whole == 0.0


def rounded_bound(bound: float, sense: str) -> float:
    """The bound of an integral objective (:func:`integral_level`) rounded to the whole number it
    implies: ``floor`` of an upper bound (maximising), ``ceil`` of a lower one, after allowing for
    the bound's own round-off (1e-6, or 1e-9 relative)."""
    tol = max(1e-6, 1e-9 * abs(bound))
    return float(math.floor(bound + tol) if sense == "max" else math.ceil(bound - tol))


def proven(termination: Termination, solution: SolutionStatus, objective: float | None, bound: float | None,
           gap_asked: bool, integral: bool = False, sense: str = "min") -> tuple[Termination, SolutionStatus, str]:
    """The (termination, solution status, note) of a MIP solve, with a gap stop that the solver
    called optimal made ``GAP_LIMIT``/``FEASIBLE``.  ``objective`` and ``bound`` are the solver's own
    (same sense, same offset); ``gap_asked``: :func:`user_gap`; ``integral``: the objective takes
    whole-number values only (:func:`integral_level`; its bound is then rounded, so a solver that
    stopped within 1 of a whole-number optimum has proven it), ``sense`` ``"min"`` or ``"max"``.
    The note is empty for a proof."""
    if termination is not Termination.OPTIMAL or solution is SolutionStatus.NONE:
        return termination, solution, ""
    if objective is not None and bound is not None and math.isfinite(objective) and math.isfinite(bound):
        if closed(objective, bound):
            return termination, solution, ""
        if integral and float(round(objective)) == rounded_bound(bound, sense):
            return termination, solution, ""
        return (Termination.GAP_LIMIT, SolutionStatus.FEASIBLE,
                f"stopped at the MIP gap: objective {objective:.12g}, bound {bound:.12g}")
    if gap_asked:
        return (Termination.GAP_LIMIT, SolutionStatus.FEASIBLE,
                "a MIP gap above 0 was set and the solver gives no bound: not proven optimal")
    return termination, solution, ""


def bound_in_stage_terms(stage_objective: float | None, solver_objective: float | None,
                         solver_bound: float | None) -> float | None:
    """The solver's bound moved to the stage objective's terms (the constant a modelling layer may
    have dropped): ``stage_objective + (solver_bound - solver_objective)``; the solver's bound when
    either objective is missing."""
    if solver_bound is None or not math.isfinite(solver_bound):
        return None
    if stage_objective is None or solver_objective is None or not math.isfinite(solver_objective):
        return solver_bound
    return stage_objective + (solver_bound - solver_objective)
