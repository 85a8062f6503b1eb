"""The set ``S`` of plans keeping every level at its optimum, held on a backend session for the
range LPs of :mod:`goalprog.solve.alternatives` (alternative optima).

:class:`HeldOptimalSet` rebuilds the last stage's model (:func:`~goalprog.solve.stages.stage_model`:
every earlier level's optimal face and guard row, as the chain held it), solves the last level
again and holds it the same way, widens each level row to the plan's own value where the plan
lies beyond it (:func:`at_plan`), and checks every plan a range LP returns against the level rows
(:meth:`HeldOptimalSet.holds`).  A solve that fails or returns a plan outside ``S`` is tried once
more on a new session of the held model (cold, with presolve).

No solver is imported here; every solve goes through the backend.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ..core.status import Status, combine
from ..model.ir import ROLE_DECISION, ExtraRow, Objective, SparseVector
from .backends.base import EXACT_DUAL_TOLERANCE, Backend, SolveOptions
from .stages import ChainStage, restriction_from, stage_model

__all__ = ["HeldOptimalSet", "NotOptimal", "LEVEL_TOL", "RANGE_FEASIBILITY", "at_plan", "range_options",
           "simplex_options"]

RANGE_FEASIBILITY = 1e-9
"""HiGHS's primal feasibility tolerance in the range LPs (unless the solve set one)."""

LEVEL_TOL = 1e-11
"""A range LP's plan is in ``S`` when it breaks no level row by more than this times the sum of
the level's absolute terms (round-off; the solver's feasibility tolerance is not enough, see
:class:`_Ranger`)."""

def range_options(options: SolveOptions) -> SolveOptions:
    """The re-solves' options: the solve's, but with HiGHS the simplex method instead of PDLP
    (PDLP's values are approximate; interior point stays for the re-solve of the last level, with
    crossover, and the range LPs then run by the simplex method warm from its basis: see
    :func:`simplex_options`), and a primal feasibility tolerance of :data:`RANGE_FEASIBILITY` unless the solve
    gave one: at HiGHS's default 1e-7 the range LPs on the benchmark's medium preemptive plan
    spent 1.2e-8 of level 1's row (within the tolerance) to move variables by up to 46 units (a
    rate of thousands between levels; such plans are not in ``S``, see :meth:`HeldOptimalSet.holds`).
    The set ``S`` holds the plan reported (:func:`at_plan`), so it stays feasible at 1e-9."""
    if (options.solver or "highs").lower() != "highs":
        return options
    extra = {}
    if str(options.solver_options.get("solver", "")).lower() == "pdlp":
        extra["solver"] = "simplex"
    if "primal_feasibility_tolerance" not in options.solver_options:
        extra["primal_feasibility_tolerance"] = RANGE_FEASIBILITY
    return replace(options, solver_options={**options.solver_options, **extra}) if extra else options


def simplex_options(options: SolveOptions) -> SolveOptions:
    """``options`` with HiGHS's simplex method (the range LPs: only the objective changes, so the
    simplex starts warm from the previous basis where the interior point method starts cold)."""
    if (options.solver or "highs").lower() != "highs" or \
            str(options.solver_options.get("solver", "")).lower() != "ipm":
        return options
    return replace(options, solver_options={**options.solver_options, "solver": "simplex"})


def _ok(rec) -> bool:
    return rec.x is not None and combine(rec.termination, rec.solution) is Status.OPTIMAL


def _status(rec) -> Status:
    return combine(rec.termination, rec.solution)


def _kkt(session) -> bool:
    """Whether an LP that HiGHS left ``kUnknown`` has a primal feasible and dual feasible basic
    solution (HiGHS's solution statuses, both within its tolerances): then it is optimal by LP
    duality.  On the benchmark's medium preemptive plan both ends of one variable ended so after
    presolve, with primal and dual infeasibilities of 1e-13 and 0.  Other backends: ``False``."""
    h = getattr(session, "h", None)
    if h is None or getattr(session, "model", None) is None or session.model.is_mip:
        return False
    try:
        info = h.getInfo()
        return "Unknown" in str(h.getModelStatus()) and info.primal_solution_status == 2 and \
            info.dual_solution_status == 2
    except Exception:  # pragma: no cover - not a highspy session
        return False


class HeldOptimalSet:
    """One session holding the optimal set ``S``; min/max of one column at a time.

    ``S`` is held as the chain held its levels (:func:`~goalprog.solve.stages.stage_model`: every
    earlier level's optimal face and guard row), the last level solved again and held the same
    way, with one change: a level's guard row is widened, where needed, to the plan's own value
    plus the guard ``g`` (:func:`at_plan`), so that the plan reported lies in ``S``.  Every plan a
    range LP returns is checked against the level rows (:meth:`holds`): a solver may spend its
    feasibility tolerance (1e-7 on its scaled row) on a level row, and at the trade-off rates of
    thousands between levels that buys moves of tens of units; such a plan is not in ``S``."""

    COLD = 500
    """How many range solves per run may be tried again on a new session of the held model."""

    def __init__(self, result, backend: Backend, options: SolveOptions):
        self.args = (result, backend, options)
        self.colds = 0
        self.extra: list[ExtraRow] = []
        self.solves = 0
        self.rejected = 0  # plans the solver called optimal that broke a level row beyond round-off
        self._build(result, backend, options)

    def _build(self, result, backend: Backend, options: SolveOptions):
        from .strategies.common import LockTolerance, feasibility_tolerance, solve_again_without_presolve
        from .strategies.preemptive import MIP_FEASIBILITY_TOLERANCE, lock_rows

        records = result.stage_records
        k = len(records) - 1
        x0 = np.asarray(result.x, dtype=np.float64)
        sm = stage_model(result, k)
        sm = replace(sm, extra_rows=tuple(at_plan(row, x0) for row in sm.extra_rows))
        self.model = sm.model
        self.session = backend.session(sm.model, options)
        for row in sm.extra_rows:
            self.session.add_row(row)
        self.session.set_objective(sm.objective)
        rec = self.session.solve()
        self.solves += 1
        again = solve_again_without_presolve(self.session, options, rec)
        if again is not None:
            rec, self.solves = again, self.solves + 1
        if not _ok(rec):
            raise NotOptimal(f"the last level solved again ended {_status(rec).value}")
        self.first = rec.x
        if simplex_options(options) is not options:
            self.session.set_option("solver", "simplex")
        lo = np.array(sm.model.col_lower, dtype=np.float64)
        hi = np.array(sm.model.col_upper, dtype=np.float64)
        face = None
        vec = sm.objective.vector
        met = (sm.objective.sense == "min" and vec.constant == 0.0 and len(vec.indices) and (vec.coefs > 0).all()
               and (sm.model.col_role[vec.indices] != ROLE_DECISION).all() and (rec.x[vec.indices] == 0.0).all())
        if not sm.model.is_mip and not met:  # as the chain: a level met exactly is held by h <= 0 alone
            face = self.session.restrict_to_optimal_face(0.0, dual_tol=EXACT_DUAL_TOLERANCE)
        faced = face is not None and bool(face.columns or face.rows)
        if faced and face.col_index is not None and len(face.col_index):
            lo[face.col_index] = face.col_lower
            hi[face.col_index] = face.col_upper
        tol = MIP_FEASIBILITY_TOLERANCE if sm.model.is_mip else feasibility_tolerance(options)
        name = records[k].name
        rows, *_ = lock_rows(sm.model, records[k].level, sm.objective, rec, LockTolerance(), name, tol, faced)
        rows = [at_plan(row, x0) for row in rows]
        for row in rows:
            self.session.add_row(row)
        self.lo, self.hi = lo, hi
        self.levels = tuple(sm.extra_rows) + tuple(rows)
        if not self.holds(self.first):
            self.first = x0
        # S as a model of its own (every level's face as bounds, every level row): a cold session of it
        last = replace(records[k], value=rec.objective, locks=tuple(rows),
                       restriction=restriction_from(face) if faced else None)
        after = ChainStage(k + 1, None, "alternatives", sm.objective, solved=False)
        held = stage_model(result.model, k + 1, tuple(records[:k]) + (last, after))
        self.held = replace(held, extra_rows=tuple(at_plan(row, x0) for row in held.extra_rows))

    def holds(self, y) -> bool:
        """Whether plan ``y`` keeps every level row within round-off (:data:`LEVEL_TOL` of the
        level's absolute terms) of its side.  A MIP's plans are not checked: its level rows carry
        the lock's slack at the MIP solver's tolerance, which a range is allowed to use (the MIP
        tolerance of :func:`goalprog.solve.alternatives.alternative_optima`)."""
        if self.model.is_mip:
            return True
        for row in self.levels:
            vec = row.vector
            terms = vec.coefs * y[vec.indices]
            v = float(terms.sum()) + vec.constant
            room = LEVEL_TOL * max(1.0, float(np.abs(terms).sum()))
            if v > row.upper + room or v < row.lower - room:
                return False
        return True

    def extreme(self, j: int, sense: str):
        """(status, x) of min or max of column ``j`` over ``S``."""
        return self.solve_objective(Objective(sense, SparseVector.make(np.array([j]), np.array([1.0]))))

    def solve_objective(self, objective: Objective):
        """(status, x) of ``objective`` over ``S``.  A solve that ends other than optimal or
        unbounded, or whose plan breaks a level row (:meth:`holds`), is tried again on a new
        session of the held model (cold, with the solver's presolve: warm starts on the
        face-restricted model ended "optimal" with rows broken by 1e-6 on the benchmark's medium
        instance), at most :attr:`COLD` times per run.  A plan that still breaks a level row is
        returned with the status ``feasible`` (not proven)."""
        self.session.set_objective(objective)
        rec = self.session.solve()
        self.solves += 1
        status, x = self._checked(rec, self.session)
        if status not in (Status.OPTIMAL, Status.UNBOUNDED) and self.colds < self.COLD:
            self.colds += 1
            status, x = self.cold(objective)
        return status, x

    def _checked(self, rec, session):
        status = _status(rec)
        if status is Status.FEASIBLE and _kkt(session):
            status = Status.OPTIMAL
        if status is Status.OPTIMAL and rec.x is not None and not self.holds(rec.x):
            self.rejected += 1
            return Status.FEASIBLE, None
        return status, rec.x

    def cold(self, objective: Objective):
        """(status, x) of ``objective`` over ``S`` on a new session of the held model."""
        _, backend, options = self.args
        session = backend.session(self.held.model, simplex_options(options))
        try:
            for row in self.held.extra_rows + tuple(self.extra):
                session.add_row(row)
            session.set_objective(objective)
            rec = session.solve()
            return self._checked(rec, session)
        finally:
            session.close()
            self.solves += 1

    def add_row(self, row: ExtraRow):
        self.extra.append(row)
        self.session.add_row(row)

    def close(self):
        self.session.close()


def at_plan(row: ExtraRow, x: np.ndarray) -> ExtraRow:
    """The level row ``row`` widened, where the plan ``x`` lies beyond it, to the plan's own value.
    The chain's ``h*`` and the plan it reports can differ by more than the guard ``g``: on the
    benchmark's medium instance the plan's level 2 is 2.4e-8 above the ``h*`` the chain locked
    (the plan was accepted at the solver's feasibility tolerance), and the set held at
    ``h* + g`` excluded the plan and was razor-thin (1,181 range LPs ended with rows broken by
    1e-6)."""
    v = row.vector.value(x)
    lower, upper = row.lower, row.upper
    if math.isfinite(upper) and v > upper:
        upper = v
    if math.isfinite(lower) and v < lower:
        lower = v
    return replace(row, lower=lower, upper=upper)


class NotOptimal(Exception):
    """The last level, solved again, did not end optimal."""
