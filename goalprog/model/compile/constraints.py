"""Hard constraints: every instance becomes a row (``lo <= expr <= hi`` chains one ranged row)."""

from __future__ import annotations

import numpy as np

from ...spec.schema import ConstraintSpec
from ..expr import ast as A
from ..expr.values import EvalError, Frame, Lin, fold
from .context import INF, CompileContext, ItemFailed, check_finite


def build(ctx: CompileContext) -> None:
    for name, cs in ctx.spec.constraints.items():
        path = ("constraints", name)
        ctx.item_path = path
        if isinstance(cs, str):
            cs = ConstraintSpec(expr=cs)
            expr_path = path
        else:
            expr_path = path + ("expr",)
        try:
            node = ctx.parse(cs.expr, expr_path, ctx.loop_names(cs.for_, path))
            if node is None:
                continue
            if not isinstance(node, A.Compare) or node.op not in ("<=", ">=", "=="):
                ctx.report(EvalError("a constraint needs a comparison: lhs <= rhs, lhs >= rhs or lhs == rhs",
                                     node.span, "e.g. 5*pants + shirts <= 50000"), expr_path)
                continue
            frame, targets = ctx.frame(cs.for_, cs.where, path, ("constraint", name))
            if frame.n:
                _rows(ctx, name, node, frame, targets, expr_path)
        except ItemFailed:
            continue


def _rows(ctx: CompileContext, name, node: A.Compare, frame: Frame, targets, path) -> None:
    ev = ctx.ev
    n = frame.n
    try:
        inner = node.left
        if isinstance(inner, A.Compare) and inner.op in ("<=", ">=") and node.op == inner.op:
            # chained range: lo <= expr <= hi  (or hi >= expr >= lo)
            lo_node, mid, hi_node = inner.left, inner.right, node.right
            if node.op == ">=":
                lo_node, hi_node = hi_node, lo_node
            lo = np.broadcast_to(ev.constant(lo_node, frame, "the lower end of a range"), (n,))
            hi = np.broadcast_to(ev.constant(hi_node, frame, "the upper end of a range"), (n,))
            empty = np.flatnonzero(lo > hi)
            if len(empty):
                i = int(empty[0])
                where = frame.describe(i)
                raise EvalError(f"the range is empty: its lower end {lo[i]:g} is above its upper end {hi[i]:g}"
                                + (f" for {where}" if where else ""), node.span,
                                "write the range as low <= expression <= high")
            e = ev.linear(mid, frame)
            check_finite(e, frame, mid.span)
            lower, upper, lin = lo - e.const, hi - e.const, e
        else:
            if isinstance(inner, A.Compare):
                raise EvalError("a chained comparison must be a range: lo <= expr <= hi", node.span)
            lhs = ev.linear(node.left, frame)
            rhs = ev.linear(node.right, frame)
            check_finite(lhs, frame, node.left.span)
            check_finite(rhs, frame, node.right.span)
            lin = Lin(np.concatenate([lhs.rows, rhs.rows]), np.concatenate([lhs.cols, rhs.cols]),
                      np.concatenate([lhs.coefs, -rhs.coefs]), lhs.const - rhs.const)
            b = -lin.const
            lower = {"<=": np.full(n, -INF), ">=": b, "==": b}[node.op]
            upper = {"<=": b, ">=": np.full(n, INF), "==": b}[node.op]
    except EvalError as exc:
        ctx.report(exc, path)
        raise ItemFailed() from None
    indptr, cols, coefs = fold(lin, ctx.n_cols)
    has = np.diff(indptr) > 0
    if not has.all():
        # rows without variables: true ones are dropped, false ones are errors
        empty = np.flatnonzero(~has)
        ok = (lower[empty] <= 1e-9) & (upper[empty] >= -1e-9)
        if not ok.all():
            i = int(empty[np.flatnonzero(~ok)[0]])
            where = frame.describe(i)
            ctx.report(EvalError("this constraint has no variables and is always false"
                                 + (f" for {where}" if where else ""), node.span,
                                 "check the data, or remove the constraint"), path)
            raise ItemFailed()
        keep = np.flatnonzero(has)
        indptr, cols, coefs = _subset(indptr, cols, coefs, keep)
        lower, upper = lower[keep], upper[keep]
        frame = frame.take(keep)
    keys = [frame.cols[t] for t in targets]
    ctx.add_rows(indptr, cols, coefs, lower, upper, name, keys)


def _subset(indptr, cols, coefs, keep: np.ndarray):
    """The CSR rows ``keep`` of (indptr, cols, coefs)."""
    counts = indptr[keep + 1] - indptr[keep]
    total = int(counts.sum())
    offs = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    pos = np.repeat(indptr[keep], counts) + offs
    new = np.zeros(len(keep) + 1, dtype=np.int64)
    np.cumsum(counts, out=new[1:])
    return new, cols[pos], coefs[pos]
