"""Goals: every instance of a goal becomes a goal row with its deviation columns.

A goal row is ``lo - c <= a.x + n - p <= hi - c`` with a deviation column for each *unwanted*
deviation only (``n`` for at_least, ``p`` for at_most, both for equal/between), each with its own
priority, weight and normalisation divisor (scale); a piecewise penalty splits a deviation into
pieces with increasing rates.  The constant ``c`` of a goal expression moves to the target
(``2x + 3y - 5 >= 10`` is the row ``2x + 3y + n >= 15``) while the reported value of the goal
still includes it.  Plain objectives (maximize/minimize) under ``goals:`` are built by
:mod:`.objectives`, in the same pass, so that items are handled (and issues reported) in file order.
"""

from __future__ import annotations

import numpy as np

from ...spec.schema import GoalSpec
from ..expr.ast import Compare
from ..expr.values import EvalError, Frame, Lin, fold
from ..ir import KINDS, ROLE_OVER, ROLE_UNDER, Origin, PiecewisePenalty, _plain, frozen_array
from . import objectives
from .context import HUGE, INF, TINY, CompileContext, ItemFailed


def build(ctx: CompileContext) -> None:
    """Every item under ``goals:`` in file order: goal rows into ``ctx.goal_blocks``, plain
    objectives into ``ctx.objectives``."""
    for name, gs in ctx.spec.goals.items():
        path = ("goals", name)
        ctx.item_path = path
        try:
            if gs.kind in ("maximize", "minimize"):
                objectives.build_one(ctx, name, gs, path)
            else:
                _goal(ctx, name, gs, path)
        except ItemFailed:
            continue


def _goal(ctx: CompileContext, name: str, gs: GoalSpec, path) -> None:
    """The goal rows of one goal item: ``lo - c <= a.x + n - p <= hi - c`` per instance, a deviation
    column for each unwanted deviation, the divisors of its normalisation, penalty pieces."""
    kind = gs.kind
    expr_path = path + ("expr",)
    bound = ctx.loop_names(gs.for_, path)
    node = ctx.parse(gs.expr, expr_path, bound)
    if isinstance(node, Compare) and node.op not in ("in", "not in"):
        # a comparison the schema did not split (a chain such as 0 <= x <= 4): said for a goal
        def shown(v):
            return f"{v:g}" if isinstance(v, float) else str(v)
        value = "[" + ", ".join(map(shown, gs.between)) + "]" if kind == "between" else shown(getattr(gs, kind))
        target = f"{kind}: {value}"
        ctx.report(EvalError("a goal's expr is the quantity, not a comparison",
                             node.span, hint=f"remove the comparison and keep the quantity; this goal's target is "
                                             f"'{target}'"), expr_path)
        raise ItemFailed()
    if kind == "between":
        lo_f = ctx.field(gs.between[0], path + ("between", 0), bound)
        hi_f = ctx.field(gs.between[1], path + ("between", 1), bound)
        t = 0.0
    else:
        t = ctx.field(getattr(gs, kind), path + (kind,), bound)
        lo_f = t if kind in ("at_least", "equal") else None
        hi_f = t if kind in ("at_most", "equal") else None
    weight_f = ctx.field(gs.weight, path + ("weight",), bound)
    prio_f = ctx.field(gs.priority, path + ("priority",), bound)
    under_p = ctx.field(gs.under.priority, path + ("under", "priority"), bound) if gs.under else None
    over_p = ctx.field(gs.over.priority, path + ("over", "priority"), bound) if gs.over else None
    under_w = (ctx.field(gs.under.weight, path + ("under", "weight"), bound)
               if gs.under and gs.under.weight is not None else None)
    over_w = (ctx.field(gs.over.weight, path + ("over", "weight"), bound)
              if gs.over and gs.over.weight is not None else None)
    scale_f = ctx.field(gs.scale, path + ("scale",), bound)
    if node is None or weight_f is None or t is None or \
            (gs.scale is not None and scale_f is None) or \
            (kind == "between" and (lo_f is None or hi_f is None)) or \
            (gs.priority is not None and prio_f is None) or \
            (gs.under and gs.under.priority is not None and under_p is None) or \
            (gs.over and gs.over.priority is not None and over_p is None) or \
            (gs.under and gs.under.weight is not None and under_w is None) or \
            (gs.over and gs.over.weight is not None and over_w is None):
        raise ItemFailed()
    frame, targets = ctx.frame(gs.for_, gs.where, path, ("goal", name))
    n = frame.n
    if not n:
        return
    e = ctx.eval_linear(node, frame, expr_path)
    side = path + ((kind, 0) if kind == "between" else (kind,))
    side_hi = path + ((kind, 1) if kind == "between" else (kind,))
    lo = ctx.consts(lo_f, frame, side, "a target") if lo_f is not None else np.full(n, -INF)
    hi = ctx.consts(hi_f, frame, side_hi, "a target") if hi_f is not None else np.full(n, INF)
    keys = [frame.cols[t] for t in targets]

    def label(i):
        return Origin(name, tuple(_plain(k[i]) for k in keys)).label

    bad = np.flatnonzero(np.isnan(lo) | np.isnan(hi) | ((lo_f is not None) & np.isinf(lo))
                         | ((hi_f is not None) & np.isinf(hi)))
    if len(bad):
        ctx.issues.add(f"the target of '{label(int(bad[0]))}' is not a finite number", ctx.doc.location(side))
        raise ItemFailed()
    bad = np.flatnonzero((np.isfinite(lo) & (np.abs(lo) >= HUGE)) | (np.isfinite(hi) & (np.abs(hi) >= HUGE)))
    if len(bad):
        ctx.issues.add(f"the target of '{label(int(bad[0]))}' is too large: solvers treat {HUGE:g} and more as "
                        "infinite", ctx.doc.location(side), hint="rescale the units (e.g. thousands of dollars)")
        raise ItemFailed()
    bad = np.flatnonzero(lo > hi)
    if len(bad):
        i = int(bad[0])
        ctx.issues.add(f"between: the low end {lo[i]:g} is above the high end {hi[i]:g} for '{label(i)}'",
                        ctx.doc.location(path + ("between",)))
        raise ItemFailed()
    w = ctx.weights(weight_f, frame, path + ("weight",))
    prio = ctx.priorities(prio_f, frame, path + ("priority",))
    pen_under = kind in ("at_least", "equal", "between")
    pen_over = kind in ("at_most", "equal", "between")
    indptr_e, _, _ = fold(e, ctx.n_cols)
    empty = np.flatnonzero(np.diff(indptr_e) == 0)
    if len(empty):
        ctx.issues.add(f"the goal '{label(int(empty[0]))}' has no decision variables in its expression",
                        ctx.doc.location(expr_path),
                        hint="a goal measures something the decisions change; check the expression")
        raise ItemFailed()
    uw = ctx.weights(under_w, frame, path + ("under", "weight")) if under_w is not None else w
    ow = ctx.weights(over_w, frame, path + ("over", "weight")) if over_w is not None else w
    up = ctx.priorities(under_p, frame, path + ("under", "priority")) if under_p is not None else prio
    op = ctx.priorities(over_p, frame, path + ("over", "priority")) if over_p is not None else prio
    zeros, infs = np.zeros(n), np.full(n, INF)
    under_start = ctx.add_cols(zeros, infs, False, ROLE_UNDER, name, keys) if pen_under else -1
    over_start = ctx.add_cols(zeros, infs, False, ROLE_OVER, name, keys) if pen_over else -1
    rows = [e.rows]
    cols = [e.cols]
    coefs = [e.coefs]
    ar = np.arange(n, dtype=np.int64)
    if pen_under:
        rows.append(ar)
        cols.append(under_start + ar)
        coefs.append(np.ones(n))
    if pen_over:
        rows.append(ar)
        cols.append(over_start + ar)
        coefs.append(-np.ones(n))
    row_lin = Lin(np.concatenate(rows), np.concatenate(cols), np.concatenate(coefs), e.const)
    indptr, rcols, rcoefs = fold(row_lin, ctx.n_cols)
    first = ctx.add_rows(indptr, rcols, rcoefs, lo - e.const, hi - e.const, name, keys)
    u_scale, o_scale, zero_one = _normalisation(ctx, gs, scale_f, kind, lo, hi, e, frame, path)
    for side_name, pen, weight, scale in (("under", pen_under, uw, u_scale), ("over", pen_over, ow, o_scale)):
        # the penalty coefficient is weight / scale: it must be a number a solver takes
        if not pen:
            continue
        dev = getattr(gs, side_name)
        seg = (dev.penalty if dev else None) or gs.penalty
        top_rate = max((sg.rate for sg in seg), default=1.0) if seg else 1.0
        with np.errstate(all="ignore"):
            coef = np.asarray(weight, dtype=np.float64) / scale
        bad = np.flatnonzero(~np.isfinite(coef) | (coef >= HUGE) | (coef * top_rate >= HUGE))
        if len(bad):
            i = int(bad[0])
            where = path + ("scale",) if gs.scale is not None else \
                path + ("normalize",) if gs.normalize else path
            rate = f" x the penalty rate {top_rate:g}" if seg else ""
            ctx.issues.add(f"the {side_name}-deviation of '{label(i)}' would be penalised by weight / scale{rate}"
                            f" = {float(np.asarray(weight)[i]):g} / {scale[i]:g}{rate and f' x {top_rate:g}'} = "
                            f"{coef[i] * top_rate:g}: solvers treat {HUGE:g} and more as infinite",
                            ctx.doc.location(where),
                            hint="the scale (or the normalisation's divisor: the target, or the sum of the "
                                 "coefficients) is too small for the weight" + (" and rate" if seg else "")
                                 + "; rescale the units or use a larger scale")
            raise ItemFailed()
    goal_index = ctx.n_goals + ar
    for side, start, seg in (("under", under_start, (gs.under.penalty if gs.under else None) or gs.penalty),
                             ("over", over_start, (gs.over.penalty if gs.over else None) or gs.penalty)):
        if start >= 0 and seg:
            _piecewise(ctx, name, keys, side, start + ar, goal_index, seg)
    ctx.n_goals += n
    none = np.full(n, -1, dtype=np.int64)
    ctx.goal_blocks.append(dict(
        origin=(name, keys, n), row=first + ar, kind=np.full(n, KINDS.index(kind), dtype=np.int8),
        lower=lo, upper=hi, const=e.const,
        under_col=under_start + ar if pen_under else none, over_col=over_start + ar if pen_over else none,
        under_priority=_prio_codes(up), over_priority=_prio_codes(op),
        under_weight=np.asarray(uw, dtype=np.float64) if pen_under else np.zeros(n),
        over_weight=np.asarray(ow, dtype=np.float64) if pen_over else np.zeros(n),
        under_scale=u_scale, over_scale=o_scale, zero_one=np.full(n, zero_one)))



def _normalisation(ctx: CompileContext, gs: GoalSpec, scale_f, kind, lo, hi, e: Lin, frame: Frame, path):
    """Normalisation divisors (under, over) per instance and whether they come from a payoff
    table at solve time (zero-one).  Jones & Tamiz (2010), section 4.2.  ``scale_f`` is the
    goal's ``scale:`` as :meth:`_field` gave it (parsed with the other fields, before the
    instances are bound)."""
    n = frame.n
    ones = np.ones(n)
    if gs.scale is not None:
        k = ctx.consts(scale_f, frame, path + ("scale",), "a scale")
        with np.errstate(all="ignore"):
            bad = np.flatnonzero(~(k >= TINY) | np.isinf(k))  # 1e-320 (subnormal): 1/k overflows
        if len(bad):
            ctx.issues.add(f"a scale must be a positive number at least 1e-300, got {k[int(bad[0])]:g}",
                            ctx.doc.location(path + ("scale",)),
                            hint="the scale divides the goal's deviations (e.g. 1000 to count in thousands)")
            raise ItemFailed()
        return k, k, False
    mode = gs.normalize or ctx.spec.solve.normalize or "none"
    if mode == "none":
        return ones, ones, False
    if mode == "zero_one":
        return ones, ones, True
    if mode == "percent":
        u = np.abs(np.where(np.isinf(lo), hi, lo)) / 100.0
        o = np.abs(np.where(np.isinf(hi), lo, hi)) / 100.0
        zero = np.flatnonzero((u == 0) | (o == 0))
        if len(zero):
            where = frame.describe(int(zero[0]))
            ctx.issues.add("percent normalisation divides by the target, and the target is 0"
                            + (f" for {where}" if where else ""),
                            ctx.doc.location(path + ("normalize",)) if gs.normalize else ctx.doc.location(path),
                            hint="give this goal normalize: summation, euclidean or a scale: instead")
            raise ItemFailed()
        return u, o, False
    indptr, _, coefs = fold(e, ctx.n_cols)
    rows = np.repeat(np.arange(n), np.diff(indptr))
    if mode == "euclidean":
        k = np.sqrt(np.bincount(rows, weights=coefs ** 2, minlength=n))
    else:  # summation
        k = np.bincount(rows, weights=np.abs(coefs), minlength=n)
    return k, k, False



def _piecewise(ctx: CompileContext, name, keys, side, dev_cols: np.ndarray, goal_index: np.ndarray, segments) -> None:
    """Split each deviation into pieces with increasing rates: dev - sum(pieces) = 0."""
    n = len(dev_cols)
    breaks = np.array([s.up_to if s.up_to is not None else INF for s in segments], dtype=np.float64)
    if not np.isinf(breaks[-1]):
        breaks = np.concatenate([breaks, [INF]])
        rates = np.array([s.rate for s in segments] + [segments[-1].rate], dtype=np.float64)
    else:
        rates = np.array([s.rate for s in segments], dtype=np.float64)
    widths = np.diff(np.concatenate([[0.0], breaks]))
    k = len(widths)
    start = ctx.add_cols(np.zeros(n * k), np.tile(widths, n), False, 3, f"{name}.{side}_piece",
                           [np.repeat(a, k) for a in keys] + [np.tile(np.arange(1, k + 1), n).astype(object)])
    piece_cols = (start + np.arange(n * k)).reshape(n, k)
    ar = np.arange(n, dtype=np.int64)
    lin = Lin(np.concatenate([ar, np.repeat(ar, k)]), np.concatenate([dev_cols, piece_cols.ravel()]),
              np.concatenate([np.ones(n), -np.ones(n * k)]), np.zeros(n))
    indptr, cols, coefs = fold(lin, ctx.n_cols)
    ctx.add_rows(indptr, cols, coefs, np.zeros(n), np.zeros(n), f"{name}.{side}_pieces", keys)
    ctx.penalties.append(PiecewisePenalty(side, frozen_array(goal_index, np.int64), frozen_array(piece_cols, np.int64),
                                           frozen_array(rates, np.float64), frozen_array(breaks, np.float64)))


def _prio_codes(prio: list) -> np.ndarray:
    """Priorities as integers, 0 standing for 'none given'."""
    return np.fromiter((0 if p is None else p for p in prio), dtype=np.int64, count=len(prio))
