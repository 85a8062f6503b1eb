"""Pieces shared by the strategies: settings, stage bookkeeping, failure messages."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..backends.base import StageRecord
from ..results import StageResult
from ...core.status import Status, Termination, combine


SLACK_ABS = 1e-5
"""The absolute lock slack when only the relative one is given (the slack option; goalprog's
default before 0.x held every level this way)."""

SLACK_REL = 1e-9
"""The relative lock slack when only the absolute one is given (the slack option)."""

FEASIBILITY_TOLERANCE = 1e-7
"""The primal feasibility tolerance solvers work to by default: HiGHS
(``primal_feasibility_tolerance``), CBC (``primalTolerance``) and GLPK (``tol_bnd``) all use 1e-7."""


@dataclass(frozen=True)
class LockTolerance:
    """How a preemptive chain holds each level for the later ones.

    **Default (``abs_tol`` and ``rel_tol`` both ``None``): the exact lexicographic optimum.**
    Each later level is optimised over the earlier levels' optimal set.  An LP level is held by
    its optimal face where the backend gives duals (columns with a nonzero reduced cost fixed at
    their bound, rows with a nonzero dual made tight: Gurobi's and CPLEX's rule for LP
    hierarchies) plus a guard lock row ``h <= h* + g`` whose slack ``g`` absorbs only rounding
    (:func:`guard_slack`; the solver applies its feasibility tolerance to the row itself); a
    MIP level, or an LP level on a backend without duals, by its lock row with the slack of the
    solver's feasibility tolerance at the row's scale (:func:`tolerance_slack`); a level whose
    objective is integral (integer columns, integral coefficients) by ``h <= round(h*)``; a
    level met exactly by ``h <= 0``.

    **The slack option** (``abs_tol`` and/or ``rel_tol`` given; also called ``slack_abs`` /
    ``slack_rel`` in a problem file): later levels may trade a little of each earlier one,
    ``h_l <= h_l* + max(abs_tol, rel_tol * |h_l*|)`` per level (``granularity="level"``), or the
    same cap on each penalty term of the level (``"goal"``); one left out takes
    :data:`SLACK_ABS` / :data:`SLACK_REL`.

    ``style``: ``"auto"`` (exact: the optimal face where the backend can; with a slack: the face
    where the benchmark showed it pays, see
    :func:`goalprog.solve.strategies.preemptive.auto_lock_style`); ``"row"`` locks with the
    lock row only (exact: the guard row); ``"face"`` also adds the bounds the lock implies
    through the level's optimal duals (valid inequalities: the same values, see
    :class:`~goalprog.solve.backends.base.FaceRestriction`; exact: the optimal face);
    ``"fix"`` fixes every column with a nonzero reduced cost at its bound instead (Gurobi's
    rule; with a slack, later levels' values lie between the row chain's and the exact
    lexicographic optimum; exact: the optimal face)."""

    abs_tol: float | None = None
    rel_tol: float | None = None
    granularity: str = "level"
    style: str = "auto"

    @property
    def exact(self) -> bool:
        """``True`` unless the slack option is set."""
        return self.abs_tol is None and self.rel_tol is None

    def slack(self, value: float) -> float:
        """The slack option's slack at a level value ``value`` (0 when exact: see :func:`guard_slack`)."""
        if self.exact:
            return 0.0
        a = SLACK_ABS if self.abs_tol is None else self.abs_tol
        r = SLACK_REL if self.rel_tol is None else self.rel_tol
        return max(a, r * abs(value))


def solve_again_without_presolve(session, options, rec: StageRecord) -> StageRecord | None:
    """``rec`` solved again with HiGHS's presolve off when HiGHS called a held level infeasible
    (or infeasible or unbounded), else ``None``.

    Held stages (a level over the earlier levels' optimal faces and guard rows) contain the plan the
    chain found, so they are feasible; HiGHS's presolve can still misjudge one whose guard slack is
    tiny (the medium benchmark's level 3, docs/methods.md).  The session's presolve setting is put
    back afterwards.  Other solvers: ``None`` (their presolve is not the one that misjudges)."""
    if (options.solver or "highs") != "highs" or \
            combine(rec.termination, rec.solution) not in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
        return None
    session.set_option("presolve", "off")
    try:
        return session.solve()
    finally:
        session.set_option("presolve", options.solver_options.get("presolve", "choose"))


def feasibility_tolerance(options) -> float:
    """The primal feasibility tolerance of the solves: the ``primal_feasibility_tolerance`` solver
    option when given, 1e-4 for HiGHS's PDLP (approximate solutions), else
    :data:`FEASIBILITY_TOLERANCE`."""
    opts = getattr(options, "solver_options", None) or {}
    tol = FEASIBILITY_TOLERANCE
    given = opts.get("primal_feasibility_tolerance")
    if isinstance(given, (int, float)) and not isinstance(given, bool) and given > 0:
        tol = float(given)
    if str(opts.get("solver", "")).lower() == "pdlp":
        tol = max(tol, 1e-4)
    return tol


ROUNDING = 1e-13
"""The relative rounding a guard row on an optimal face absorbs (see :func:`guard_slack`)."""


def guard_slack(coefs, x) -> float:
    """The slack ``g`` of the guard row ``h <= h* + g`` of a level held by its optimal face:
    ``g = 1e-13 * max(1, sum_j |c_j x*_j|)``.

    ``coefs`` (shape (p,)): the level's coefficients ``c_j``; ``x`` (shape (p,)): the level's
    optimal plan on those columns.  On the optimal face ``h = h*`` identically, so the guard row
    only has to hold directions the face leaves free (duals too small to classify), and accept
    the plan at hand.  Its slack absorbs the rounding of ``h*`` (summing the terms
    ``c_j x*_j`` in double precision: about ``n * 2^-53`` of their absolute sum); the solver's
    primal feasibility tolerance (1e-7, on its scaled row) is applied to the row by the solver
    itself, at the row's scale, and is not added again: an explicit slack of that size was spent
    by later levels along the free directions at rates of thousands (benchmark's medium
    instance, see docs/methods.md)."""
    import numpy as np

    with np.errstate(over="ignore", invalid="ignore"):
        terms = np.abs(np.asarray(coefs, dtype=np.float64) * np.asarray(x, dtype=np.float64))
        g = float(ROUNDING * max(1.0, float(np.sum(terms))))
    return g if np.isfinite(g) else 0.0


def tolerance_slack(coefs, tol: float) -> float:
    """The slack ``g`` of the lock row of a level held by that row alone (a MIP level whose value
    need not be whole, or an LP level on a backend that gives no duals):
    ``g = tol * max_j |c_j|``, ``tol`` the solver's feasibility tolerance (1e-7 for an LP,
    ten times the integer feasibility tolerance, 1e-5, for a MIP), ``c`` the level's coefficients:
    the solver's tolerance at the row's scale (its largest coefficient), so that the lock accepts
    the optimal plan as the solver reports it (1e-7 for a level ``x1``).  No floor at 1: a level
    ``1e-6 x`` must not hand later levels 1e-5 of itself."""
    import numpy as np

    c = np.abs(np.asarray(coefs, dtype=np.float64))
    with np.errstate(over="ignore", invalid="ignore"):
        g = float(tol * (float(np.max(c)) if len(c) else 0.0))
    return g if np.isfinite(g) else 0.0


@dataclass(frozen=True)
class Settings:
    """What a strategy needs beyond the model and the solver options.

    ``lam``: the weight of the weighted sum in a one-stage extended GP (1 weighted, 0 Chebyshev);
    ``levels``: per priority level of a preemptive chain, its ``lam``; ``pareto``: ``off``,
    ``check`` or ``restore``; ``progress``: called after each stage with
    ``(stage index, number of stages, StageResult)`` (the CLI prints a line per level);
    ``stop_at``: see below.
    """

    lock: LockTolerance = LockTolerance()
    accept_feasible: bool = False
    lam: float = 1.0
    levels: dict = field(default_factory=dict)
    pareto: str = "off"
    progress: object = None
    rates: str = "auto"
    """Preemptive: the levels' trade-off rates, ``"auto"`` (LP chains below
    :data:`goalprog.solve.tradeoff.RATE_COLUMNS` columns), ``"on"`` or ``"off"`` (see
    :mod:`goalprog.solve.tradeoff`)."""
    stop_at: int | None = None
    """Preemptive: stop the chain before solving stage ``stop_at`` (0-based), after locking the
    stages before it; the result's last stage record holds that stage's objective only (the LP/MPS
    export of one stage uses this)."""
    order: tuple | None = None
    """Preemptive: the priority levels in the order to solve them (a permutation of the model's
    levels; ``None``: most important first).  See :mod:`goalprog.solve.orders`."""
    resume: object = None
    """Preemptive: a :class:`~goalprog.solve.results.Result` of the same chain stopped by
    ``stop_at`` whose solved stages are the first stages of ``order``: the chain goes on from it
    (its lock rows and bound restrictions hold those levels) instead of solving them again."""


def level_lams(levels_spec: dict) -> dict:
    """Per priority level, the weight of the weighted sum in its achievement function (1 weighted,
    0 Chebyshev, the given lambda for extended; default 0.5), from the file's ``solve.levels``."""
    return {level: {"weighted": 1.0, "chebyshev": 0.0}.get(
        lv.achievement, lv.lambda_ if lv.lambda_ is not None else 0.5) for level, lv in levels_spec.items()}


def stage_result(index: int, name: str, priority, sense: str, rec: StageRecord,
                 lock: float | None = None, lock_sense: str | None = None) -> StageResult:
    return StageResult(index=index, name=name, priority=priority, sense=sense,
                       status=combine(rec.termination, rec.solution), termination=rec.termination,
                       solution=rec.solution, objective=rec.objective, bound=rec.bound, time=rec.time,
                       solver=rec.solver, solver_status=rec.message, lock=lock, lock_sense=lock_sense,
                       message=rec.message if rec.termination is Termination.ERROR else "")  # the reason of a failure


def describe_failure(status: Status, where: str, termination=None) -> str:
    """One sentence on why ``where`` did not end optimal.  ``termination``: the solver's own
    :class:`~goalprog.core.status.Termination`, which tells a plan left by a limit from one the solver
    called optimal although it violates a constraint beyond the solver's tolerance."""
    from ...core.status import Termination

    if status is Status.FEASIBLE and termination is Termination.OPTIMAL:
        return (f"at {where} the solver reported optimal, but its plan violates a constraint by more than the "
                "solver's feasibility tolerance (numerical trouble: try --algorithm, other lock tolerances, or "
                "coefficients of more similar size)")
    if status is Status.FEASIBLE and termination is Termination.GAP_LIMIT:
        return (f"{where} stopped at the MIP gap with a feasible solution that is not proven optimal (its bound and "
                "gap are shown; the default gap is 0)")
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


def solver_failure(solver: str, why: str) -> str:
    """The tail of the message of a solver that called a feasible stage infeasible (the status is
    then :attr:`Status.ERROR`, exit code 7): names ``solver`` and says what to try."""
    name = solver or "the solver"
    other = "another solver (e.g. --backend pulp --solver cbc)" if name.lower().startswith("highs") else \
        "another solver (e.g. --backend highs)"
    return (f": {name} reported it infeasible, but {why}. This is a failure of the solver, not a fact about the "
            f"model. Hint: rescale the model (a smaller big-M, coefficients of more similar size) or try {other}")


def objective_bounded(model, objective) -> bool:
    """Whether the stage ``objective`` (an :class:`~goalprog.model.ir.Objective`) is bounded by the
    column bounds alone: minimised, each term with a positive coefficient has a finite lower bound and
    each with a negative one a finite upper bound (maximised, the other way round).  True of every
    goal level: a sum of nonnegative weighted deviations, bounded below by 0, is never unbounded."""
    if objective is None:
        return False
    import numpy as np

    idx, coef = np.asarray(objective.vector.indices), np.asarray(objective.vector.coefs)
    if objective.sense == "max":
        coef = -coef
    lower, upper = np.asarray(model.col_lower)[idx], np.asarray(model.col_upper)[idx]
    return bool(np.all(((coef <= 0) | np.isfinite(lower)) & ((coef >= 0) | np.isfinite(upper))))


def diagnose_first_stage(model, status: Status, solver: str = "", objective=None,
                         solver_message: str = "") -> tuple[Status, str, object]:
    """At the first solve, name the conflict of an infeasible model (and tell an unbounded model
    from an infeasible one when the solver could not).  Returns (status, extra message, conflict).

    When goalprog's own check (HiGHS on the hard constraints and bounds alone, which every goal
    row's deviations can satisfy) finds a plan although ``solver`` said infeasible, the status is
    :attr:`Status.ERROR`: a solver failure (e.g. CBC on a large big-M), not a conflict in the model."""
    if status not in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED):
        return status, "", None
    from ..diagnose import explain_infeasible

    try:
        conflict = explain_infeasible(model)
    except Exception as exc:  # the diagnosis is a courtesy; never let it hide the status
        return status, f" (the conflict could not be analysed: {exc})", None
    if conflict is None:
        if status is Status.INFEASIBLE_OR_UNBOUNDED and objective_bounded(model, objective):
            # the hard constraints hold and the objective is bounded (a goal level's deviations are >= 0)
            said = f" ({solver_message})" if solver_message else ""
            return Status.ERROR, (f": {solver or 'the solver'} reported it infeasible or unbounded{said}, but "
                                  "goalprog's own check (HiGHS) finds the hard constraints feasible and the "
                                  "objective is bounded (a sum of weighted deviations is at least 0), so it has an "
                                  "optimum. This is a failure of the solver, not a fact about the model. Hint: try "
                                  "another solver (e.g. --backend highs)"), None
        if status is Status.INFEASIBLE_OR_UNBOUNDED:
            return Status.UNBOUNDED, "", None
        return Status.ERROR, solver_failure(solver, "goalprog's own check (HiGHS) finds the hard constraints "
                                                    "feasible"), None
    extra = "; " + conflict.describe()
    hint = conflict.hint()
    if hint:
        extra += f". Hint: {hint}"
    return Status.INFEASIBLE, extra, conflict


def first_stage_failure(model, status: Status, where: str, termination=None,
                        solver: str = "", objective=None, solver_message: str = "") -> tuple[Status, str, object]:
    """The status, one message and the conflict of a first solve that did not end optimal
    (:func:`describe_failure` with :func:`diagnose_first_stage`).  A conflict of the hard
    constraints is the model's, whatever stage met it: its message names the constraints, not
    ``where``."""
    status, extra, conflict = diagnose_first_stage(model, status, solver, objective, solver_message)
    if conflict is not None:
        message = conflict.describe()
        hint = conflict.hint()
        return status, message + (f". Hint: {hint}" if hint else ""), conflict
    return status, describe_failure(status, where, termination) + extra, None


def later_level_failure(model, x, locks, status: Status, where: str, solver: str = "",
                        tol: float | None = None) -> tuple[Status, str]:
    """The status and message of a later priority level (k > 0) the solver called infeasible (or
    infeasible or unbounded).  ``x``: the plan of the earlier levels; ``locks``: the lock rows
    (:class:`~goalprog.model.ir.ExtraRow`) in force.  That plan satisfies every hard constraint and
    every lock, so the level has a plan: the status is :attr:`Status.ERROR`, a solver failure.  Only
    where the plan is missing, breaks a hard row beyond the tolerance ``tol`` or a lock row at all (a
    lock with no slack, missed by round-off) is the solver believed."""
    from ..checks import verify_stage

    def inside(row):  # strictly: a lock with no slack (tolerance 0) that the plan misses by round-off is no failure
        v = row.vector.value(x)
        return row.lower - 1e-12 * max(1.0, abs(v)) <= v <= row.upper + 1e-12 * max(1.0, abs(v))

    if x is not None and not verify_stage(model, x, None, None, (), tol) and all(inside(r) for r in locks):
        return Status.ERROR, f"the solver failed at {where}" + solver_failure(
            solver, "the plan of the earlier levels satisfies every hard constraint and every lock, so the level "
                    "has a plan")
    return status, (f"{where} is infeasible with the earlier levels locked (their plan does not satisfy every "
                    "lock); try a larger lock tolerance")
