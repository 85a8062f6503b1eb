"""Preemptive (lexicographic) goal programming: one solve per priority level.

Level ``l`` minimises its achievement function ``h_l`` (weighted unwanted deviations of its goals,
plus its plain objectives).  After level ``l`` reaches ``h_l*`` (proven optimal) it is held for all
later levels.  By default the chain computes the **exact lexicographic optimum**: each later level
is optimised over the earlier levels' optimal set (see
:class:`~goalprog.solve.strategies.common.LockTolerance`):

- an LP level, where the backend gives duals, by its optimal face (columns with a nonzero reduced
  cost fixed at their bound, rows with a nonzero dual made tight) plus a guard lock row
  ``h_l <= h_l* + g`` whose slack ``g`` only absorbs the solver's feasibility tolerance at the
  row's scale (:func:`~goalprog.solve.strategies.common.guard_slack`);
- a level whose objective is integral (integer columns, integral coefficients) by
  ``h_l <= round(h_l*)``; a level fully achieved (every unwanted deviation it weighs exactly 0)
  by ``h_l <= 0``; any other level by the guard row alone.

A later level already met exactly at the earlier levels' plan (every unwanted deviation it weighs
is exactly 0 there) is optimal at that plan and is not solved again.  A face-restricted level that
HiGHS calls infeasible or cannot classify is solved again without presolve before the faces are
lifted (docs/methods.md).  A MIP chain that ends optimal on a model with continuous columns is
polished (:mod:`.polish`): run again as an LP with its integers fixed, so its values carry no MIP
lock slack.

With the slack option (``abs_tol`` / ``rel_tol`` given) later levels may trade a little of each
earlier one::

    h_l <= h_l* + max(abs_tol, rel_tol * |h_l*|)        (a minimised level)
    h_l >= h_l* - max(abs_tol, rel_tol * |h_l*|)        (a level of maximised objectives)

Both are additive, so they are right for negative optima too (a multiplicative lock such as
PuLP's ``sequentialSolve`` is not).  A level that is not proven optimal (infeasible, unbounded,
stopped at a limit, error) stops the chain: it is never locked, and later levels are not run.

References: Ignizio, *Goal Programming and Extensions* (1976); Jones & Tamiz, *Practical Goal
Programming* (2010), ch. 3; Romero (1991).
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from ..backends.base import EXACT_DUAL_TOLERANCE, TINY, Backend, SolveOptions, StageRecord
from ..backends.gaps import integral_level, integral_lock
from ..backends.polish import exact_value, final_plan
from ..achievement import achievement, level_value, penalty_terms, with_minmax_columns
from ..checks import check_tolerance, model_warnings, verify_stage
from ...model.ir import ExtraRow, LinearModel, SparseVector
from ...model.scaling import magnitude_warnings
from ..normalize import zero_one_scales
from ..results import Result
from ..stages import ChainStage, restriction_from, stage_model
from ..tradeoff import with_trade_off_rates
from ...core.status import SolutionStatus, Status, Termination, combine
from . import polish
from .level_scale import LevelScaled, scaled_rows
from .mip_check import true_mip_stage
from .common import (LockTolerance, Settings, describe_failure, objective_bounded, solve_again_without_presolve, feasibility_tolerance, first_stage_failure, guard_slack,
                     later_level_failure, stage_result, tolerance_slack)


__all__ = ["run", "LockTolerance"]


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


MIP_FEASIBILITY_TOLERANCE = 1e-5
"""The tolerance the lock row of a MIP level whose value need not be whole works to: ten times the
integer feasibility tolerance of HiGHS and CBC (``mip_feasibility_tolerance``, ``integerTolerance``,
1e-6).  At the tolerance itself HiGHS 1.16 failed (``kSolveError``) on the next level of a small
random MIP chain (tests/test_properties.py) that solves with ten times it."""


def _infeasible(rec) -> bool:
    return combine(rec.termination, rec.solution) in (Status.INFEASIBLE, Status.INFEASIBLE_OR_UNBOUNDED)


def _claimed_optimal(rec) -> bool:
    """The solver said optimal but its plan is not feasible to its own tolerance (HiGHS's
    ``kOptimal`` with a primal solution status other than feasible: numerical trouble)."""
    return rec.termination is Termination.OPTIMAL and rec.solution is not SolutionStatus.OPTIMAL


def _suspect(rec) -> bool:
    """A later level's solve that a face restriction may have caused: infeasible, the solver could
    not say (HiGHS 1.16 returns ``kUnknown`` on a warm re-solve of an unbounded level after a bound
    change, where a cold solve says unbounded), or "optimal" with a plan outside the constraints
    (seen after fixings: a row violated by 2e-6)."""
    return _infeasible(rec) or rec.termination in (Termination.UNKNOWN, Termination.ERROR) or _claimed_optimal(rec)


FACE_COLUMNS = 2000
"""``lock.style: auto`` uses face locks on LP chains with at least this many columns."""

FIX_COLUMNS = 100_000
"""``lock.style: auto`` fixes the columns with nonzero reduced costs (``fix``) on LP chains with at
least this many columns."""


def auto_lock_style(model: LinearModel, backend: str) -> str:
    """The lock style ``lock.style: auto`` picks for a chain: ``"row"``, ``"face"`` or ``"fix"``.

    The rule comes from the benchmark (benchmarks/RESULTS.md; docs/performance.md), on the
    ``highs`` backend and for LPs only (elsewhere ``"row"``):

    - at least :data:`FACE_COLUMNS` columns: ``"face"``.  The face chain reaches the row chain's
      level values (to 1e-11 on every size measured; the bounds are valid inequalities of the lock
      row, see :class:`~goalprog.solve.backends.base.FaceRestriction`) and its later levels solve
      several times faster (medium: levels 2-4 in 1.6 s instead of 9.7 s);
    - at least :data:`FIX_COLUMNS` columns: ``"fix"``.  On the large instance (200,822 columns)
      neither the row nor the face chain finished level 3 in 10 minutes by interior point (IPX
      stalls on the thin locked polytope), while the fix chain finished all four levels in about
      twice the weighted solve and reached the row chain's level values (level 2 equal to every
      printed digit, level 3 to 2e-12 against a 145 s primal simplex solve of the face chain's
      level 3).  On smaller instances ``fix`` can give stricter values than the row chain (it
      does not let later levels spend the lock slack along fixed columns), so it is not used
      there.

    Smaller chains take well under a second either way and keep the row locks."""
    if backend != "highs" or model.is_mip:
        return "row"
    if model.n_cols >= FIX_COLUMNS:
        return "fix"
    return "face" if model.n_cols >= FACE_COLUMNS else "row"


def run(model: LinearModel, backend: Backend, options: SolveOptions, lock: LockTolerance | None = None,
        accept_feasible: bool = False, settings: Settings | None = None) -> Result:
    """Solve ``model`` level by level on one backend session; returns a :class:`~goalprog.solve.results.Result`.

    Raises nothing for infeasible/unbounded levels: the result's status and message say which
    level stopped the chain.  With ``accept_feasible``, a level stopped by a limit with a feasible
    solution is locked at that solution's value (plus the tolerance) and the chain goes on; the
    result is then ``FEASIBLE``, never ``OPTIMAL``, and the stages after it are flagged.
    ``settings.levels`` gives a level its own lambda (extended lexicographic GP: 0 = Chebyshev).
    """
    settings = settings or Settings()
    lock = lock or settings.lock
    accept_feasible = accept_feasible or settings.accept_feasible
    warnings: list[str] = []
    prior = settings.resume
    if prior is None:
        model, w = zero_one_scales(model, backend, options)
        warnings.extend(w)
    else:  # the model the prior chain solved: scaled already
        model = prior.model
        warnings.extend(prior.warnings)
    levels = tuple(settings.order) if settings.order is not None else model.priorities()
    lams = {level: float(settings.levels.get(level, 1.0)) for level in levels}
    scaled = model  # before any min-max column: the model a MIP polish fixes the integers of
    if prior is None:
        warnings.extend(magnitude_warnings(model, levels))
        model, minmax = with_minmax_columns(model, [lv for lv in levels if lams[lv] < 1.0])
    else:
        minmax = {}  # goalprog.solve.orders does not continue chains with min-max levels
    stages = []
    conflict = None
    x = None
    status = Status.OPTIMAL
    message = ""
    unproven_from = None
    locks: list[ExtraRow] = []
    records: list[ChainStage] = []
    lock_span: list[tuple[int, int]] = []  # per locked stage: its rows among the extra rows
    start = 0
    if prior is None:
        session = LevelScaled(backend.session(model, options))  # each level solved at size 1 (level_scale.py)
    else:  # go on from the prior chain's state: its stages, lock rows and bound restrictions
        start = sum(1 for r in prior.stage_records if r.solved)
        records, stages = list(prior.stage_records[:start]), list(prior.stages[:start])
        locks, lock_span, x = list(prior.lock_rows), list(prior.lock_spans), prior.x
        sm = stage_model(prior, start)
        session = LevelScaled(backend.session(sm.model, options))
        for row in sm.extra_rows:
            session.add_row(row)
        unproven_from = next((st.name for st in stages if st.status is Status.FEASIBLE), None)
    if lock.exact:
        # the exact lexicographic optimum: the optimal face wherever the backend gives duals
        chain_style = lock.style if lock.style in ("row", "fix") else "face"
    else:
        chain_style = auto_lock_style(model, backend.name) if lock.style == "auto" else lock.style
    use_face = chain_style in ("face", "fix")
    fix = chain_style == "fix"
    use_face = use_face and not model.is_mip
    face_active = False
    tol = MIP_FEASIBILITY_TOLERANCE if model.is_mip else feasibility_tolerance(options)
    try:
        for k, level in enumerate(levels):
            if k < start:
                continue
            objective = achievement(model, level, minmax_col=minmax.get(level, -1), lam=lams[level])
            name = f"level {level}" if level is not None else "level"
            if settings.stop_at is not None and k >= settings.stop_at:
                records.append(ChainStage(k, level, name, objective, solved=False))
                message = f"the chain stopped before priority {name}, as asked"
                break
            # the level at the plan the earlier levels left, from true deviations
            before = level_value(model, level, x, lams[level]) if x is not None else None
            session.set_objective(objective)
            retried = False
            lifted = False
            notes = []
            met = k > 0 and _attained_exactly(model, objective, x)
            if met:
                # every unwanted deviation of the level is exactly 0 at the earlier levels' plan, which
                # satisfies every lock and restriction: that plan is optimal (h = 0 is the least value),
                # exactly, with no solve (a solve of the restricted model can only find h = 0 again)
                rec = StageRecord(Termination.OPTIMAL, SolutionStatus.OPTIMAL, 0.0, x, None, 0.0,
                                  stages[-1].solver if stages else backend.name,
                                  "met at the earlier levels' plan (not solved again)")
            else:
                rec = session.solve()
            if k > 0 and face_active and _suspect(rec) and (options.solver or "highs") == "highs" and not met:
                # HiGHS's presolve can call a face-restricted level infeasible that is not (the large
                # benchmark's level 4: presolve reduced it to 8 rows and called it infeasible; without
                # presolve, optimal in 24 s; with the face lifted, interior point stalled for 33 min)
                session.set_option("presolve", "off")
                rec = session.solve()
                session.set_option("presolve", options.solver_options.get("presolve", "choose"))
                retried = True
            if k > 0 and face_active and _suspect(rec) and not met:
                # the bounds are valid in exact arithmetic; if round-off in the duals made them too narrow,
                # or HiGHS's warm start from the narrowed model went wrong, the lock rows alone still hold
                # the earlier levels: lift the bounds and solve again, cold
                session.undo_face_restrictions()
                face_active, use_face, lifted = False, False, True
                rec = session.solve()
                what = "the fixed columns" if chain_style == "fix" else "the face restriction"
                notes.append(f"solved again with the earlier levels held by their lock rows only (with {what} the "
                             "solver found no plan, could not classify the level, or returned a plan outside the "
                             "constraints)")
            if k > 0 and not met and not (retried and not lifted):
                # the plan of the previous level satisfies every lock, so this level is feasible: HiGHS's
                # presolve can misjudge a lock whose slack the weights make tiny; solve again without it
                again = solve_again_without_presolve(session, options, rec)
                if again is not None:
                    rec, retried = again, True
            if model.is_mip and not met:  # the proof against the level's true value (mip_check.py)
                rec = true_mip_stage(session, objective, locks, rec)
            last = k == len(levels) - 1
            stage = stage_result(k, name, level, objective.sense, rec)
            if retried:
                notes.append("solved again without presolve, which had called the locked level infeasible")
            if notes:
                stage = replace(stage, message="; ".join(notes))
            if before is not None and rec.x is not None:
                after = level_value(model, level, rec.x, lams[level])
                gain = (before - after) if objective.sense == "min" else (after - before)
                # more than the lock slack an earlier level could have handed over
                vec = objective.vector
                slack = tolerance_slack(vec.coefs, tol) if lock.exact else lock.slack(before)
                stage = replace(stage, improved=bool(gain > slack + 1e-9 * max(1.0, abs(before))))
            if k > 0 and rec.extra_duals is not None and stages and lock_span:
                a, b = lock_span[-1]
                duals = rec.extra_duals[a:b]
                if len(duals) and np.isfinite(duals).all():
                    # in the level's units: a scaled lock row's dual is its scale times the rate
                    price = float(np.abs(duals * np.array([r.scale for r in locks[a:b]])).sum())
                    if lock.exact and stages[-1].lock_style in ("face", "fix"):
                        # held by its optimal face at slack 0: a kink of the next level's value, where
                        # the duals give some subgradient, not the rate (see StageResult.lock_dual)
                        price = None
                    elif stages[-1].lock_style == "fix":
                        # fixings that do not follow the lock slack hold the level as well: the lock
                        # row's dual prices only the directions left free, so no trade-off rate
                        price = None
                    elif stages[-1].lock_style == "face":
                        # the level is held by the lock row and the bounds its face lock narrowed
                        extra = session.face_trade_off() if face_active else 0.0
                        price = None if extra is None else price + extra
                    stages[-1] = replace(stages[-1], lock_dual=price)
            if stage.status.has_solution:
                problems = verify_stage(model, rec.x, objective, rec.objective, locks, check_tolerance(options))
                if problems:
                    stage = replace(stage, status=Status.ERROR, message="; ".join(problems))
            usable = stage.status is Status.OPTIMAL or (stage.status is Status.FEASIBLE and accept_feasible)
            if not usable:
                stages.append(stage)
                records.append(ChainStage(k, level, name, objective, rec.objective if rec.x is not None else None,
                                          lifted=lifted))
                if settings.progress is not None:
                    settings.progress(k, len(levels), stage)
                status = stage.status
                if k == 0:
                    status, message, conflict = first_stage_failure(model, status, f"priority {name}",
                                                                    rec.termination, rec.solver, objective,
                                                                    rec.message)
                else:
                    message = describe_failure(status, f"priority {name}", rec.termination)
                if stage.status is Status.ERROR and stage.message:
                    message += f": {stage.message}"
                if k > 0 and status is Status.INFEASIBLE_OR_UNBOUNDED and objective_bounded(model, objective):
                    status = Status.INFEASIBLE  # a level of deviations (>= 0) is never unbounded: the locks or the solver
                if k > 0 and status is Status.INFEASIBLE_OR_UNBOUNDED:
                    message += " (with the earlier levels locked; try a larger lock tolerance)"
                elif k > 0 and status is Status.INFEASIBLE:
                    status, message = later_level_failure(model, x, locks, status, f"priority {name}", rec.solver,
                                                          check_tolerance(options))
                if status is Status.FEASIBLE:
                    x = rec.x
                    message += ("; later levels were not run" if _claimed_optimal(rec) else
                                "; later levels were not run (accept_feasible lets the chain go on "
                                "with this level locked at its incumbent)")
                elif status is Status.LIMIT_NO_SOLUTION and k > 0 and x is not None:
                    # the plan of the earlier levels is still a good plan: show it, flagged
                    status = Status.FEASIBLE
                    message += (f"; the plan shown is the one of the level before (priority {name} and later "
                                "levels not optimised)")
                else:
                    x = None
                break
            if stage.status is Status.FEASIBLE and unproven_from is None:
                unproven_from = name
            if unproven_from is not None:
                stage = replace(stage, message=(stage.message + "; " if stage.message else "")
                                + ("not proven optimal" if stage.status is Status.FEASIBLE
                                   else f"optimal given the unproven lock of {unproven_from}"))
            x = rec.x
            keep = getattr(session, "basis", None)  # HiGHS: the stage's optimal basis, for the sensitivity
            record = ChainStage(k, level, name, objective, rec.objective, lifted=lifted,
                                basis=keep() if keep is not None and rec.x is not None else None)
            nothing = _weighs_nothing(model, level)
            if nothing:  # any plan is optimal for it: no lock to show or hold (lint names its goals)
                stage = replace(stage, message=(stage.message + "; " if stage.message else "") + NOTHING_NOTE)
            if not last and not nothing:
                early = None
                if lock.exact and use_face and stage.status is Status.OPTIMAL \
                        and not _attained_exactly(model, objective, rec.x):
                    # the optimal face first (before the lock rows go in: adding a row discards the
                    # solver's solution); its guard row then only absorbs rounding.  A level met
                    # exactly needs none: h <= 0 is its optimal set
                    early = session.restrict_to_optimal_face(0.0, fix=fix, dual_tol=EXACT_DUAL_TOLERANCE)
                faced = early is not None and bool(early.columns or early.rows)
                new_rows, bound, sense, exact, budget, optimum = lock_rows(model, level, objective, rec, lock, name,
                                                                         tol, faced)
                style, face = ("exact" if exact else "row"), None
                if use_face and stage.status is Status.OPTIMAL and not (lock.exact and exact) and not met:
                    # before the lock rows go in: adding a row discards the solver's solution
                    face = early if lock.exact else session.restrict_to_optimal_face(budget, fix=fix)
                    if face is not None and (face.columns or face.rows):
                        style, face_active = ("fix" if face.fixed else "face"), True
                    elif face is not None:
                        face = None  # nothing to narrow (e.g. no nonzero dual): the lock row alone holds the level
                    elif lock.style in ("face", "fix") and not lock.exact and backend.name != "highs":
                        use_face = False
                        warnings.append(f"lock style {lock.style!r} needs the highs backend; the {backend.name} backend "
                                        "held each level by its lock row only")
                for row in new_rows:
                    session.add_row(row)
                lock_span.append((len(locks), len(locks) + len(new_rows)))
                locks.extend(new_rows)
                # the exact lock shows the level's optimum, not its rounding guard (that is lock_slack)
                shown = _flush(optimum) if lock.exact else bound
                stage = replace(stage, lock=shown, lock_sense=sense, lock_style=style, lock_slack=budget,
                                face_columns=face.columns if face else None,
                                face_rows=face.rows if face else None)
                record = replace(record, locks=tuple(new_rows), restriction=restriction_from(face), lock_style=style,
                                 guard=budget)
            records.append(record)
            stages.append(stage)
            if settings.progress is not None:
                settings.progress(k, len(levels), stage)
        if x is not None and status is Status.OPTIMAL and not model.is_mip and stages:
            # the final LP plan without the solver's last-bit noise, on every lock (backends/polish.py)
            polished = final_plan(session, x, model)
            if polished is not x and stages[-1].objective is not None and records[-1].solved:
                vec = records[-1].objective.vector
                stages[-1] = replace(stages[-1], objective=exact_value(vec.coefs, polished[vec.indices], vec.constant))
                if lock.exact:  # every earlier level is held at its optimum: its value at the polished plan
                    for k in range(len(stages) - 1):
                        stages[k] = _level_at(stages[k], records[k], polished)
            x = polished
    finally:
        session.close()
    if polish.needs_polish(model, lock, settings, status, x) and unproven_from is None and len(stages) == len(levels):
        x, stages, records, locks = polish.polish(run, scaled, x, stages, records, locks, lock_span, backend, options,
                                                  lock, settings)
    stages = with_trade_off_rates(stages, model, records, backend, options,
                                  settings.rates if settings.stop_at is None else "off")
    if status is Status.OPTIMAL and unproven_from is not None:
        status = Status.FEASIBLE
        message = f"{unproven_from} stopped at a limit and was accepted unproven: the plan is feasible, not proven optimal"
    pareto = None
    if x is not None and status is Status.OPTIMAL and settings.pareto != "off":
        from ..pareto import efficiency

        pareto, x = efficiency(model, x, backend, options, restore=settings.pareto == "restore")
    warnings.extend(model_warnings(model, lams=lams))
    if check_tolerance(options) > 1e-6 and not lock.exact:
        warnings.append("PDLP solutions are approximate (relative accuracy about 1e-4): values are checked to 1e-4, "
                        "and the lock tolerance should be raised to match (e.g. --lock-abs-tol 1e-4)")
    return Result(model, "preemptive", backend.name, status, tuple(stages), x, message, tuple(warnings),
                  lock.abs_tol, lock.rel_tol, conflict=conflict, level_lams=lams, pareto=pareto,
                  lock_granularity=lock.granularity, lock_rows=tuple(locks), lock_spans=tuple(lock_span),
                  stage_records=tuple(records))


NOTHING_NOTE = ("decided by nothing: its goals and objectives all weigh 0 (or have only zero coefficients), so "
                "any plan the earlier levels allow is optimal for it; not locked")
"""The note of a level whose achievement function has no nonzero coefficient."""


def _weighs_nothing(model: LinearModel, level) -> bool:
    """True when level ``level`` weighs nothing: no unwanted deviation of nonzero weight, no
    objective of nonzero weight and a nonzero coefficient (what :func:`goalprog.model.lint.level_warnings`
    calls "decided by nothing")."""
    g = model.goals
    code = 0 if level is None else level
    if ((g.under_col >= 0) & (g.under_priority == code) & (g.under_weight != 0)).any() or \
            ((g.over_col >= 0) & (g.over_priority == code) & (g.over_weight != 0)).any():
        return False
    return not any(o.priority == level and o.weight != 0 and np.any(np.asarray(o.expr.coefs) != 0)
                   for o in model.objectives)


def _level_at(stage, record, x):
    """``stage`` with its level value summed exactly at the polished final plan ``x``, when that is
    within the polish's last bits (``LAST_BITS`` relative) of the value solved; else unchanged."""
    from ..backends.polish import LAST_BITS

    if stage.objective is None or not record.solved or record.objective is None:
        return stage
    vec = record.objective.vector
    value = exact_value(vec.coefs, x[vec.indices], vec.constant)
    if abs(value - stage.objective) > LAST_BITS * max(1.0, abs(stage.objective)):
        return stage
    return replace(stage, objective=value)


def _flush(bound: float) -> float:
    """A lock bound a solver can take: one smaller than 1e-300 in size (a level value round-off
    left near 0, with no tolerance) is 0, far inside every solver's feasibility tolerance; the
    backends' guard would refuse it (see :data:`~goalprog.solve.backends.base.TINY`)."""
    return 0.0 if abs(bound) < TINY else bound


def lock_rows(model, level, objective, rec, lock: LockTolerance, name, tol: float | None = None,
              faced: bool = False) -> tuple[list[ExtraRow], float | None, str, bool, float, float]:
    """The lock rows after a level: one on the level's achievement (granularity "level"), or one
    per penalty term of the level (granularity "goal").  Returns (rows, level bound, sense,
    whether the level was locked exactly, how much of the level the rows let later levels give
    up: the slack of the level row, the budget of the face restriction; the level's optimum ``h*``
    as locked, rounded for an integral level).

    With the slack option (``lock.exact`` false) the slack is ``lock.slack(h*)``.  Exact (the
    default): 0 for a level met exactly (``h <= 0``) or an integral one (``h <= round(h*)``;
    see :func:`~goalprog.solve.backends.gaps.integral_level`); for a level held by its optimal face (``faced``) the rounding guard
    of :func:`~goalprog.solve.strategies.common.guard_slack`; else the slack of
    :func:`~goalprog.solve.strategies.common.tolerance_slack` at the feasibility tolerance
    ``tol`` (default: :data:`~goalprog.solve.strategies.common.FEASIBILITY_TOLERANCE`, or
    :data:`MIP_FEASIBILITY_TOLERANCE` for a MIP)."""
    if tol is None:
        tol = MIP_FEASIBILITY_TOLERANCE if model.is_mip else feasibility_tolerance(None)
    value = rec.objective
    x = rec.x
    vec = objective.vector
    exact = _attained_exactly(model, objective, x)
    if exact:
        slack = 0.0
    elif lock.exact and model.is_mip and integral_level(model, objective):  # whole numbers: lock at round(h*)
        value, slack, exact = float(round(value)), 0.0, True
    elif lock.exact:
        slack = guard_slack(vec.coefs, x[vec.indices]) if faced else tolerance_slack(vec.coefs, tol)
    else:
        slack = lock.slack(value)
        if model.is_mip and integral_level(model, objective):  # the slack's fraction allows nothing
            value, slack, exact = integral_lock(value, slack)
    if objective.sense == "max":
        bound, sense = _flush(value - slack), ">="
        level_row = ExtraRow(f"lock_{name}", objective.vector, bound, float("inf"))
    else:
        bound, sense = _flush(value + slack), "<="
        level_row = ExtraRow(f"lock_{name}", objective.vector, float("-inf"), bound)
    if lock.granularity != "goal":
        return scaled_rows([level_row], objective), bound, sense, exact, slack, value
    rows = []
    budget = 0.0  # what the term caps together let the level give up
    t = penalty_terms(model, level)
    order = np.argsort(t.term, kind="stable")
    starts = np.concatenate([[0], np.cumsum(np.bincount(t.term, minlength=t.n))])
    for k in range(t.n):
        sel = order[starts[k]:starts[k + 1]]
        term = SparseVector.make(t.cols[sel], t.coefs[sel])
        v = term.value(x)
        if (x[t.cols[sel]] == 0.0).all():
            cap = 0.0
        else:
            if lock.exact:
                g = guard_slack(term.coefs, x[term.indices]) if faced else tolerance_slack(term.coefs, tol)
            else:
                g = lock.slack(v)
            cap = _flush(v + g)
        budget += cap - v
        rows.append(ExtraRow(f"lock_{name}_{k}", term, float("-inf"), cap))
    # plain objectives of the level (and a min-max column) keep the level row
    if model.objectives and any(o.priority == level for o in model.objectives):
        rows.append(level_row)
        budget = slack  # the level row bounds h - h* by its slack; the term caps do not cover the objectives
    return scaled_rows(rows, objective), bound, sense, exact, max(budget, 0.0), value
