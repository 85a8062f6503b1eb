"""The sensitivity of a solved plan: constraint rates, target rates and ranges, weight ranges.

:func:`sensitivity` works from a solved :class:`~goalprog.solve.results.Result` alone: each
stage's model is rebuilt (the weighted model, or a preemptive level with the levels before it
held by their lock rows at their optima: :func:`goalprog.solve.stages.stage_model`) and
re-solved through the result's backend (:class:`~.parametric.StageSolver`), so the numbers are
the same on every backend and do not depend on the solver's basis.  For preemptive GP each level's
value is the lexicographic one (every earlier level re-optimised at the moved data: :mod:`.lexico`);
in ``basis`` mode on HiGHS each level is measured on the chain's own face model (:mod:`.faces`,
:func:`~.stage.face_stages`).  Definitions and sign
conventions: docs/methods.md, "Sensitivity of the plan"; Jones & Tamiz, *Practical Goal
Programming* (2010), ch. 4 (sensitivity in goal programming); Gal (1995), ch. 3-4 (parametric
right-hand sides and costs, degeneracy).

What needs no re-solve is screened: a constraint with slack at the plan has both rates 0 (the
plan stays feasible and optimal while the bound moves within the slack; the value function is
convex and monotone in the bound, so it is flat on both sides); a deviation at 0 in the plan keeps
the plan optimal for every larger weight.
"""

from __future__ import annotations

import math
import time
from dataclasses import replace

import numpy as np

from ...core.status import Status
from ...model.ir import KINDS, SparseVector
from ..achievement import achievement
from ..stages import StageModel, stage_model
from .faces import faces_ready, reach_of
from .lexico import Lex, Unmeasured, is_level_row, level_rows
from .parametric import NOISE, STEP, one_side, piece_end, recession, rounded, weight_range
from .records import ConstraintRate, LevelRate, Sensitivity, TargetRate, WeightRange
from .stage import DEGENERATE_SIDES, STAGE_ITERATIONS, chain_basis, face_stages, stage_iterations, unsolved_note
from .stage import Sides as _Sides
from .stage import Stage as _Stage
from .stage import moves as _moves

__all__ = ["sensitivity", "stage_models", "SLACK_TOL", "SOLVE_LIMIT", "RANGES", "RANGE_COLUMNS", "DEGENERATE_SIDES",
           "ranges_mode", "STAGE_ITERATIONS", "stage_iterations"]

SOLVE_LIMIT = 2_000
"""At most about this many re-solves per plan (:func:`sensitivity`'s ``solve_limit``; a row started
below it is finished): the rows left then are not measured (``nan``) and a note says so."""

RANGES = ("auto", "exact", "basis")
"""The values of the ``sensitivity_ranges`` setting."""

RANGE_COLUMNS = 1_000
"""``sensitivity_ranges: auto`` finds the target and weight ranges exactly (re-solves) below this many
columns, and as the basis's ranges (HiGHS) from it (measured: docs/methods.md, benchmarks/RESULTS.md)."""

DEGENERATE_TIME = 0.5
"""In ``basis`` mode the re-solves of degenerate sides also stop once they have taken this share of
the plain solve's time (at least :data:`DEGENERATE_SECONDS`): a count alone does not bound the cost
when each re-solve is slow (1.5 s each on the medium preemptive chain's last level, where 100 took
150 s against a 2 s solve).  The sides left are ``nan`` and the note counts them."""

DEGENERATE_SECONDS = 0.5
"""The least time the degenerate sides' re-solves get in ``basis`` mode (:data:`DEGENERATE_TIME`)."""


FACE_STEP = 1e-6
"""A degenerate side within an earlier level's reach is re-solved on the face model only with steps of at least
this share of the scale (a shorter reach would measure the solver's noise: a rate off in its 4th digit); else it
is measured as beyond the reach."""

LEX_SHARE = 0.2
"""In ``basis`` mode with face models, the first solve of a level's held model by lock rows (needed only for
a side that moves an earlier level off the face the chain fixed) may take at most this share of the
degenerate sides' time budget; not solved within it, that level's such sides are n/a (a note counts them)."""


def ranges_mode(setting: str, model) -> str:
    """``exact`` or ``basis``: how ``sensitivity_ranges`` = ``setting`` finds the ranges on ``model``
    (``auto``: exact below :data:`RANGE_COLUMNS` columns).  Raises :class:`ValueError` for another setting."""
    if setting not in RANGES:
        raise ValueError(f"sensitivity_ranges must be one of {', '.join(RANGES)}, got {setting!r}")
    if setting == "auto":
        return "exact" if model.n_cols < RANGE_COLUMNS else "basis"
    return setting


SLACK_TOL = 1e-7
"""A side counts as binding within ``SLACK_TOL * max(1, |side|)`` of the activity (relative to the
solvers' primal feasibility tolerance, 1e-7)."""


def stage_models(result) -> list[StageModel]:
    """The model of every solved stage of ``result`` (weighted: one; preemptive: one per level,
    the levels before it held by their lock rows at their optima, without the bound restrictions
    a face, fix or exact lock made, which hold only at the present data; with exact locks each level
    row at ``h*`` itself, without a row lock's guard: :func:`_exact_level_rows`)."""
    if result.method == "weighted":
        return [StageModel(result.model, achievement(result.model, None, all_levels=True), (), 0, None)]
    out = []
    exact = result.lock_abs_tol is None and result.lock_rel_tol is None
    for k, rec in enumerate(result.stage_records):
        if not rec.solved or rec.value is None:
            break
        sm = stage_model(result, k, hold_by_row={j: 0.0 for j in range(k)})
        out.append(replace(sm, extra_rows=_exact_level_rows(sm.extra_rows, result.stage_records[:k])) if exact else sm)
    return out


def _exact_level_rows(rows, records):
    """``rows`` (the lock rows of ``records``, in order) with each level row (the one on the level's
    achievement) at the level's optimum ``h*`` exactly, without the rounding guard a lock style added
    (a ``row`` lock's is the solvers' feasibility tolerance, which the re-solves would measure): the
    numbers then do not depend on the lock style."""
    out, i = [], 0
    for rec in records:
        for row in rows[i:i + len(rec.locks)]:
            if rec.value is not None and is_level_row(row, rec):
                h = float(rec.value) * row.scale
                if math.isfinite(row.upper) and not math.isfinite(row.lower) and h <= row.upper:
                    row = replace(row, upper=h)
                elif math.isfinite(row.lower) and not math.isfinite(row.upper) and h >= row.lower:
                    row = replace(row, lower=h)
            out.append(row)
        i += len(rec.locks)
    return tuple(out) + tuple(rows[i:])


class _Budget:
    """The re-solves spent by ``stages`` against ``limit``; ``skipped`` counts the rows left unmeasured."""

    def __init__(self, stages, limit):
        self.stages, self.limit, self.skipped = stages, limit, 0
        self.unsolved: set = set()  # the rows (keys) of a stage whose held model was not solved

    def spent(self) -> bool:
        """Whether the limit is reached (then the caller skips its row, counted here)."""
        if sum(st.solver.solves for st in self.stages) < self.limit:
            return False
        self.skipped += 1
        return True


def _rates(stage: _Stage, i: int, lo_moves: bool, hi_moves: bool, scale: float, lex=None,
           reach=(math.inf, math.inf), flat=(False, False)):
    """(rate_below, rate_above, error, f, (left, right), (left step, right step), (left length, right length))
    of row ``i`` in ``stage`` (rates signed as the stage's value; ``left``, ``right``, ``f`` of its convex
    form; a length: how far the side is known linear with the stage's own dual as slope, 0 when not).

    Where row ``i`` moves no earlier level (weighted GP, level 1, a later level's goal row:
    :meth:`~.lexico.Lex.free`), the stage's held model gives the value: a side on which the solver's basis
    stays optimal for a positive length (HiGHS's ranging) has the basis's slope there, exactly; the other
    sides are measured by re-solves (:func:`~.parametric.one_side`).  Otherwise (preemptive: the row moves
    an earlier level's optimum) the value is the lexicographic one (``lex``): on a face stage, the side is
    still the stage model's within ``reach`` (how far every earlier level's side is known linear with the
    chain's own dual, which keeps each earlier level's optimal face the one the chain fixed); past it, the
    chain of re-solves :class:`~.lexico.Lex`.  ``flat``: (left, right) sides on which every earlier level's rate
    is 0: there the earlier optima do not move for a while, so on a held model by level rows at ``h*`` (not a
    face model, whose faces could still move) the side's rate is that model's, as for a free row."""
    k = stage.sm.index
    free = lex is None or lex.free(k, i, lo_moves, hi_moves)
    lm, hm = stage.sides_of(i, lo_moves, hi_moves)
    f = stage.f(_moves(stage.sm, i, lm, hm))
    flat = (flat[0] and not stage.face, flat[1] and not stage.face)
    on_model = free or stage.face or any(flat)  # the stage's model is its held model (a face model: within the reach)
    known = stage.ranging.row(i, lm, hm) if stage.ranging is not None and on_model else None
    key = ("r", i)
    (sl, dl), (sr, dr) = known if known is not None else ((None, None), (None, None))
    b = stage.sides
    lex_f = None if free else lex.f(k, i, lo_moves, hi_moves)
    faced = stage.faced  # the later face models hold this level on its face (else by its level row at h*)

    def matches(slope):
        d = stage.ranging.dual[i] if stage.ranging is not None else None
        return d is not None and slope is not None and math.isfinite(slope) and \
            abs(stage.sign * slope - d) <= 1e-9 * max(1.0, abs(d))

    def side(slope, length, direction, far, level):
        free_side = free or level
        if slope is not None and (free_side or (stage.face and far > 0)):
            return stage.sign * slope, 0.0, length / 2, (length if stage.kept and (slope == 0 or faced) else 0.0)
        if not b.take(1, key):
            return None, None, None, 0.0
        t = time.perf_counter()
        try:
            if free_side or (stage.face and far / 2 >= FACE_STEP * scale):
                t1 = STEP * scale if free_side else min(STEP * scale, far / 2)
                got, e, step = one_side(f, stage.v0, t1, direction, _grad(stage, i, direction, lm, hm, True))
                lin = 2 * step if stage.kept and step is not None and matches(got) and (got == 0 or faced) else 0.0
                return got, e, step, lin
            v0 = lex.stage(k).v0
            if v0 is None:
                raise Unmeasured("the held model was not solved")
            got, e, step = one_side(lex_f, v0, STEP * scale, direction)
            return got, e, step, 0.0
        except Unmeasured:
            b.unmeasured += 1
            b.rows.add(key)
            return None, None, None, 0.0
        finally:
            b.spent += time.perf_counter() - t

    left, el, stl, ll = side(sl, dl, -1, reach[0], flat[0])
    right, er, str_, lr = side(sr, dr, 1, reach[1], flat[1])
    finite = [abs(v) for v in (left, right) if v is not None and math.isfinite(v)]
    err = max(el or 0.0, er or 0.0, NOISE * max([1.0, *finite]) if known is not None else 0.0)
    steps = (stl, str_)
    nan = math.nan
    rb = nan if left is None else stage.sign * left
    ra = nan if right is None else stage.sign * right
    return rounded(rb, err), rounded(ra, err), err, (f if free else lex_f), (left, right), steps, (ll, lr)


def _constraint_rows(result, stages, x, activity, notes, budget, lex):
    # with the slack option an earlier level's optimum can bind a row the final plan leaves slack (a later level
    # used the slack): such a row is measured at its nearer side, not screened as flat
    slack_held = result.method == "preemptive" and len(stages) > 1 and \
        (result.lock_abs_tol is not None or result.lock_rel_tol is not None)
    m = result.model
    rows, levels = [], []
    for i in range(m.n_hard):
        lo, hi, act = float(m.row_lower[i]), float(m.row_upper[i]), float(activity[i])
        label = m.row_origin[i].label
        gaps = [(act - lo, "lo"), (hi - act, "hi")]
        gaps = [(g, s) for g, s in gaps if math.isfinite(g)]
        slack = min((max(g, 0.0) for g, _ in gaps), default=math.inf)
        if not gaps:
            rows.append(ConstraintRate(label, act, slack, None, 0.0, 0.0, stages[-1].sm.level))
            continue
        equal = lo == hi
        near = min(gaps)[1]
        side = lo if near == "lo" else hi
        binding = equal or any(g <= SLACK_TOL * max(1.0, abs(lo if s == "lo" else hi)) for g, s in gaps)
        if not binding and not slack_held:
            rows.append(ConstraintRate(label, act, slack, side, 0.0, 0.0, stages[-1].sm.level))
            continue
        lo_moves, hi_moves = equal or near == "lo", equal or near == "hi"
        if budget.spent():
            rows.append(ConstraintRate(label, act, slack, side, math.nan, math.nan, stages[-1].sm.level))
            continue
        per_level = []
        reach = [math.inf, math.inf]  # how far each side keeps every earlier level on the face the chain fixed
        flat = [True, True]  # every earlier level's rate on the side is 0
        for st in stages:
            if st.v0 is None:
                budget.unsolved.add(("r", i))
                per_level.append((st.sm.level, math.nan, math.nan))
                reach, flat = [0.0, 0.0], [False, False]
                continue
            rb, ra, _, _, _, _, lens = _rates(st, i, lo_moves, hi_moves, max(1.0, abs(side)), lex, tuple(reach), tuple(flat))
            per_level.append((st.sm.level, rb, ra))
            reach = [min(reach[0], lens[0]), min(reach[1], lens[1])]
            flat = [flat[0] and rb == 0.0, flat[1] and ra == 0.0]
        rb, ra = per_level[-1][1], per_level[-1][2]
        rows.append(ConstraintRate(label, act, 0.0 if slack <= SLACK_TOL * max(1.0, abs(side)) else slack,
                                   side, rb, ra, stages[-1].sm.level))
        if len(stages) > 1:
            levels.extend(LevelRate(label, lev, b, a) for lev, b, a in per_level)
    return rows, levels


def _stage_of(result, stages, priority):
    if result.method == "weighted":
        return stages[0] if stages else None
    for st in stages:
        if st.sm.level == (priority or None):
            return st
    return None


def _asymptote(st, r, lo_moves, hi_moves, sign, free=True, lex=None):
    """``lim w(t) / t`` for ``w(t)`` the convex form of ``st``'s value with row ``r`` moved by ``sign * t``, as a
    callable (one LP, asked for only by a long search); where the row moves an earlier level (``free`` false),
    the lexicographic recession (one LP per level: :meth:`~.lexico.Lex.recession`)."""
    def ask():
        if not free:
            a = lex.recession(st.sm.index, r, lo_moves, hi_moves, sign, recession)
            return None if a is None else lex.stage(st.sm.index).sign * a
        st.solver.solves += 1
        a = recession(st.sm, st.backend, st.options, {r: (lo_moves, hi_moves)}, sign)
        return None if a is None else st.sign * a
    return ask


def _grad(st, r, sign, lo_moves, hi_moves, any_backend=False):
    """A subgradient of the convex form of ``st``'s value in row ``r``'s offset (towards ``sign``) at
    the last re-solve, as a callable: the row's dual (HiGHS) when the moving side is active, 0 when
    only one side of a range moves and the row is not at it (the side then does not bind);
    ``None`` where the backend has no duals."""
    lo, hi = float(st.sm.model.row_lower[r]), float(st.sm.model.row_upper[r])
    one_side_of_range = (lo_moves != hi_moves) and math.isfinite(lo) and math.isfinite(hi)

    def ask():
        d = st.solver.row_dual(r, any_backend)
        if d is None:
            return None
        if one_side_of_range:
            act = st.solver.row_value(r)
            side = st.solver.moved.get(r, (lo, hi))[0 if lo_moves else 1]
            if act is None or abs(act - side) > 1e-9 * max(1.0, abs(side)):
                return 0.0
        return sign * st.sign * d
    return ask


def _inner(slope, step) -> float:
    """``basis`` mode: the length of the linear piece known on one side of a target (HiGHS's basis
    range, or ``2 * step`` for a side measured by re-solves at ``step`` and ``2 * step``): an inner
    bound of the piece; 0 where the move makes the level infeasible, ``nan`` not measured."""
    if slope is None:
        return math.nan
    if not math.isfinite(slope):
        return 0.0
    return math.nan if step is None else 2.0 * step


_ENDS = {"at_least": [("lower", True, False, "under")], "at_most": [("upper", False, True, "over")],
         "equal": [("both", True, True, "under")],
         "between": [("lower", True, False, "under"), ("upper", False, True, "over")]}
"""Each goal kind's target rows: (end, lower side moves, upper side moves, the side whose level prices it)."""


def _target_rows(result, stages, notes, budget, lex):
    m = result.model
    g = m.goals
    rows = []
    for i in range(len(g)):
        kind = KINDS[int(g.kind[i])]
        label = g.origins[i].label
        r = int(g.row[i])
        ends = _ENDS[kind]
        for end, lo_moves, hi_moves, side in ends:
            target = float(g.upper[i] if end == "upper" else g.lower[i])
            col = int(getattr(g, f"{side}_col")[i])
            if col < 0 and end == "both":
                side, col = "over", int(g.over_col[i])
            prio = int(getattr(g, f"{side}_priority")[i]) if col >= 0 else 0
            st = _stage_of(result, stages, prio)
            if st is not None and st.v0 is None:
                budget.unsolved.add(("r", r))
            if st is None or st.v0 is None or budget.spent():
                rows.append(TargetRate(label, end, target, math.nan, math.nan, math.nan, math.nan, prio or None))
                continue
            scale = max(1.0, abs(target))
            free = lex is None or lex.free(st.sm.index, r, lo_moves, hi_moves)
            reach = (math.inf, math.inf) if free else reach_of(stages, st.sm.index, r, lo_moves, hi_moves)
            rb, ra, err, f, (left, right), (sl, sr), _ = _rates(st, r, lo_moves, hi_moves, scale, lex, reach)
            if st.sides.basis and st.ranging is not None:
                low = target - (_inner(left, sl) if reach[0] <= 0 else min(_inner(left, sl), reach[0]))
                high = target + (_inner(right, sr) if reach[1] <= 0 else min(_inner(right, sr), reach[1]))
                rows.append(TargetRate(label, end, target, rb, ra, low, high, st.sm.level,
                                       "exact" if math.isinf(low) and math.isinf(high) else "basis"))
                continue
            low = high = math.nan
            v0 = st.v0 if free else lex.stage(st.sm.index).v0
            if sr == math.inf:  # the basis stays optimal for every larger target: linear for ever
                high = math.inf
            elif right is not None and math.isfinite(right):
                try:
                    end_r = piece_end(f, v0, right, 2 * (sr or 0.0), _asymptote(st, r, lo_moves, hi_moves, 1.0, free, lex),
                                      scale, _grad(st, r, 1.0, lo_moves, hi_moves) if free else None)
                    high = rounded(target + end_r, 1e-12 * scale, 12)
                except Unmeasured:
                    st.sides.unmeasured += 1
                    st.sides.rows.add(("r", r))
            elif right is not None:
                high = target
            if sl == math.inf:
                low = -math.inf
            elif left is not None and math.isfinite(left):
                try:
                    end_l = piece_end(lambda t: f(-t), v0, -left, 2 * (sl or 0.0),
                                      _asymptote(st, r, lo_moves, hi_moves, -1.0, free, lex), scale,
                                      _grad(st, r, -1.0, lo_moves, hi_moves) if free else None)
                    low = rounded(target - end_l, 1e-12 * scale, 12)
                except Unmeasured:
                    st.sides.unmeasured += 1
                    st.sides.rows.add(("r", r))
            elif left is not None:
                low = target
            rows.append(TargetRate(label, end, target, rb, ra, low, high, st.sm.level))
    return rows


def _direction(m, i: int, side: str) -> SparseVector:
    """The objective's change per unit of goal ``i``'s ``side`` weight: ``deviation / scale``
    (for a piecewise penalty, each piece at its rate)."""
    g = m.goals
    scale = float(getattr(g, f"{side}_scale")[i])
    for pw in m.penalties:
        if pw.side == side:
            hit = np.flatnonzero(pw.goals == i)
            if len(hit):
                return SparseVector.make(pw.cols[hit[0]], pw.rates / scale)
    return SparseVector.make([int(getattr(g, f"{side}_col")[i])], [1.0 / scale])


def _basis_weight(label, side, st, col, d, w, cost_up, cost_dn, at_min) -> WeightRange:
    """``basis`` mode: the weights over which HiGHS's basis stays optimal (its cost ranging on the
    deviation column ``col``, whose cost moves by ``d`` per unit of weight), so the plan does: an
    inner bound of the plan's range; ``high = inf`` when the deviation is 0 in the plan (exact)."""
    o = st.sm.objective.vector
    c0 = float(np.sum(o.coefs[o.indices == col]))
    per = float(d.coefs[0])
    low = 0.0 if not math.isfinite(cost_dn) else max(0.0, w + (cost_dn - c0) / per)
    high = math.inf if at_min or not math.isfinite(cost_up) else max(w, w + (cost_up - c0) / per)
    low = min(low, w)
    tol = 1e-12 * max(1.0, w)
    return WeightRange(label, side, st.sm.level, w, rounded(low, tol, 12), rounded(high, tol, 12),
                       "exact" if low == 0.0 and high == math.inf else "basis")


def _weight_rows(result, stages, x, notes, budget):
    m = result.model
    g = m.goals
    rows = []
    for i in range(len(g)):
        label = g.origins[i].label
        for side in ("under", "over"):
            col = int(getattr(g, f"{side}_col")[i])
            if col < 0:
                continue
            prio = int(getattr(g, f"{side}_priority")[i])
            w = float(getattr(g, f"{side}_weight")[i])
            st = _stage_of(result, stages, prio)
            if st is not None and st.v0 is None:
                budget.unsolved.add(("w", col))
            if st is None or st.v0 is None or st.sm.objective.sense != "min":
                rows.append(WeightRange(label, side, prio or None, w, math.nan, math.nan))
                continue
            d = _direction(m, i, side)
            if w <= 0.0 and not np.any(x[d.indices] > 0):
                rows.append(WeightRange(label, side, st.sm.level, w, 0.0, math.inf))
                continue
            if budget.spent():
                rows.append(WeightRange(label, side, st.sm.level, w, math.nan, math.nan))
                continue
            at_min = bool(np.all(x[d.indices] <= 1e-9 * max(1.0, abs(w))))
            cost_up, cost_dn = st.ranging.cost(col) if st.ranging is not None and st.plan_basis and len(d.indices) == 1 \
                else (None, None)
            scale = float(getattr(m.goals, f"{side}_scale")[i])
            if st.sides.basis and cost_up is not None:
                rows.append(_basis_weight(label, side, st, col, d, w, cost_up, cost_dn, at_min))
                continue
            if st.sides.basis and st.ranging is not None and not st.plan_basis:
                # the level's basic solution is another optimal plan (the plan moved on within the level's optimal
                # face at later levels): its cost ranging is not the plan's.  But a deviation nonbasic at 0 there and
                # 0 in the plan: that basis's dual prices the plan too (complementary slackness), down to the cost at
                # which the column would enter, and for every larger weight.  The rest is left to exact mode
                if at_min and len(d.indices) == 1 and st.col_status is not None and int(st.col_status[col]) == 0 \
                        and float(m.col_lower[col]) == 0.0:
                    up, dn = st.ranging.cost(col)
                    rows.append(_basis_weight(label, side, st, col, d, w, math.inf, dn, True))
                    continue
                st.sides.off_plan += 1
                st.sides.rows.add(("w", col))
                rows.append(WeightRange(label, side, st.sm.level, w, math.nan, math.inf if at_min else math.nan,
                                        "basis"))
                continue
            if st.sides.basis and not st.sides.take(2, ("w", col)):
                rows.append(WeightRange(label, side, st.sm.level, w, math.nan, math.nan, "basis"))
                continue
            basis = None if cost_up is None else (max(0.0, cost_dn * scale), cost_up * scale)
            t0 = time.perf_counter()
            low, high = weight_range(st.solver, st.sm.objective, d, w, x, at_minimum=at_min or cost_up == math.inf,
                                     zero_ok=cost_dn is not None and cost_dn <= 0.0, basis=basis)
            st.sides.spent += time.perf_counter() - t0
            rows.append(WeightRange(label, side, st.sm.level, w, rounded(low, 1e-12 * max(1.0, w), 12),
                                    rounded(high, 1e-12 * max(1.0, w), 12)))
    return rows


def sensitivity(result, backend, options, ranges: str = "exact", solve_limit: int | None = None) -> Sensitivity:
    """The :class:`~.records.Sensitivity` of ``result``'s plan (weighted or preemptive GP, an LP
    solved to optimality), by re-solves on ``backend`` with ``options`` (those of the solve).
    Otherwise the tables are empty and a note says why.  Never raises for a re-solve that fails:
    its numbers are ``nan`` (``null`` in JSON).  ``solve_limit``: once this many re-solves are spent
    (default :data:`SOLVE_LIMIT`), the rows left are not measured (``nan``) and a note says how many.
    ``ranges``: ``exact``, ``basis`` or ``auto`` (:func:`ranges_mode`; ``basis`` needs HiGHS's ranging,
    elsewhere the ranges are exact).  Raises :class:`ValueError` for another ``ranges``."""
    t0 = time.perf_counter()
    plain = sum(st.time or 0.0 for st in result.stages)
    sides = _Sides(ranges_mode(ranges, result.model) == "basis", max(DEGENERATE_SECONDS, DEGENERATE_TIME * plain))
    m = result.model
    if result.status is not Status.OPTIMAL or result.x is None:
        return Sensitivity(notes=(f"not computed: the plan is not optimal (status {result.status.value})",))
    if m.is_mip:
        return Sensitivity(notes=("not computed: the model has integer variables (the achievement is a step "
                                  "function of a bound or target, not a linear one)",))
    if result.method not in ("weighted", "preemptive"):
        return Sensitivity(notes=(f"not computed for the {result.method} method (weighted and preemptive GP only)",))
    if result.method == "preemptive" and any(v != 1.0 for v in (result.level_lams or {}).values()):
        return Sensitivity(notes=("not computed: a level is solved by a Chebyshev or extended achievement function",))
    x = np.asarray(result.x, dtype=np.float64)
    notes: list[str] = []
    held = stage_models(result)
    faces = sides.basis and result.method == "preemptive" and faces_ready(result, len(held))
    if faces:  # basis mode: each level on the chain's own stage model, from the chain's own basis
        stages = face_stages(result, len(held), backend, options, x, sides)
    else:
        stages = [_Stage(sm, backend, options, x, sides, chain_basis(result, sm)) for sm in held]
    opened = list(stages)  # every stage opened (the chain's held models open on first use in basis mode)
    lex = None
    if result.method == "preemptive":
        lazy: dict[int, _Stage] = {}

        def lex_stage(k):
            if not faces or k == 0:
                return stages[k]
            if k not in lazy:
                # its first solve gets a share of the degenerate sides' time (a held model by lock rows
                # at h* can be beyond the simplex: RESULTS.md); the cheap face re-solves keep the rest
                lazy[k] = _Stage(held[k], backend, options, x, sides, None, ranging=False,
                                 seconds=max(0.0, min(LEX_SHARE * sides.seconds, sides.seconds - sides.spent)))
                opened.append(lazy[k])
            return lazy[k]
        lex = Lex(lex_stage, [level_rows(sm, result.stage_records) for sm in held],
                  [rec.objective for rec in result.stage_records[:len(held)]], m)
    try:
        if not stages or all(st.v0 is None for st in stages):
            return Sensitivity(notes=("not computed: a stage's re-solve found no optimum",),
                               solves=sum(st.solver.solves for st in stages))
        for st in stages:
            if st.v0 is None:
                notes.append(unsolved_note(st))
        activity = m.row_activity(x)
        solve_limit = SOLVE_LIMIT if solve_limit is None else solve_limit
        budget = _Budget(opened, solve_limit)
        constraints, levels = _constraint_rows(result, stages, x, activity, notes, budget, lex)
        targets = _target_rows(result, stages, notes, budget, lex)
        weights = _weight_rows(result, stages, x, notes, budget)
    finally:
        for st in opened:
            st.solver.close()
    solves = sum(st.solver.solves for st in opened)
    if sides.basis and any(st.ranging is not None for st in stages):
        notes.append("ranges marked basis: HiGHS's basis ranges, inner bounds (each target's rates hold, and the "
                     "plan stays optimal for each weight, at least from low to high; the true range may be wider), "
                     "as Gurobi's SARHSLow/Up and SAObjLow/Up; sensitivity_ranges: exact re-solves for the true ends")
    if sides.skipped:
        notes.append(f"{sides.skipped} degenerate side{'s' if sides.skipped != 1 else ''} (no basis range) not "
                     + (f"re-solved, past their time budget ({sides.spent:.1f} s: half the solve's, at least "
                        f"{DEGENERATE_SECONDS:g} s): their numbers" if sides.timed_out else
                        f"re-solved, past the first {DEGENERATE_SIDES}: their numbers")
                     + " are n/a (null in JSON); "
                     "sensitivity_ranges: exact measures them")
    if sides.off_plan:
        notes.append(f"{sides.off_plan} weight row{'s' if sides.off_plan != 1 else ''} n/a (null in JSON) where not "
                     "known: the plan is not the basic solution of its level's re-solve (later levels moved it within "
                     "that level's optimal face), so the basis's cost ranging is not the plan's (a deviation at 0 keeps "
                     "high = inf); sensitivity_ranges: exact measures them")
    if sides.unmeasured:
        notes.append(f"{sides.unmeasured} side{'s' if sides.unmeasured != 1 else ''} n/a (null in JSON): the row moves "
                     "an earlier level's optimum, and a re-solve of the chain of levels with it moved ended without an "
                     "answer" + (" (in basis mode, each level's held model gets the degenerate sides' time budget)"
                                 if faces else ""))
    if sides.basis and not any(st.ranging is not None for st in stages):
        notes.append("ranges exact: the backend has no basis ranging (basis ranges need the highs backend)")
    explained = sides.rows | budget.unsolved
    t_keys, w_keys = _row_keys(m)
    missing = max(0, sum(1 for i, r in enumerate(constraints) if ("r", i) not in explained
                         and (math.isnan(r.rate_below) or math.isnan(r.rate_above))) +
                  sum(1 for k, r in zip(t_keys, targets) if k not in explained
                      and any(math.isnan(v) for v in (r.rate_below, r.rate_above, r.low, r.high))) +
                  sum(1 for k, r in zip(w_keys, weights) if k not in explained and (math.isnan(r.low) or math.isnan(r.high)))
                  - budget.skipped)
    if budget.skipped:
        notes.append(f"{budget.skipped:,} row{'s' if budget.skipped != 1 else ''} not measured (n/a, null in JSON): "
                     f"the limit of {solve_limit:,} re-solves was reached")
    if missing:
        notes.append(f"{missing} row{'s' if missing != 1 else ''} with a number not measured (n/a, null in JSON): "
                     "no linear piece within 1e-8 of the scale, or a re-solve found no optimum")
    return Sensitivity(tuple(constraints), tuple(targets), tuple(weights), tuple(levels), tuple(notes), solves,
                       time.perf_counter() - t0)


def _row_keys(m):
    """The keys of the target rows and of the weight rows of ``m``, in the tables' order (as the degenerate
    sides and unsolved stages record them: ``("r", row)``, ``("w", column)``)."""
    g = m.goals
    t_keys = [("r", int(g.row[i])) for i in range(len(g)) for _ in _ENDS[KINDS[int(g.kind[i])]]]
    w_keys = [("w", int(getattr(g, f"{side}_col")[i])) for i in range(len(g)) for side in ("under", "over")
              if int(getattr(g, f"{side}_col")[i]) >= 0]
    return t_keys, w_keys


def with_sensitivity(result, backend, options, ranges: str = "exact"):
    """``result`` with :attr:`sensitivity` set (see :func:`sensitivity`)."""
    return replace(result, sensitivity=sensitivity(result, backend, options, ranges))
