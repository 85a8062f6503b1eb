"""Plain objectives: ``maximize:``/``minimize:`` items under ``goals:`` become
:class:`~goalprog.model.ir.ObjectiveTerm` objects (one per instance) at their priority level.

:func:`.goals.build` calls :func:`build_one` for them while it walks ``goals:`` in file order.
"""

from __future__ import annotations

from ...spec.schema import GoalSpec
from ..expr.values import fold
from ..ir import ObjectiveTerm, Origin, SparseVector, _plain
from .context import CompileContext, ItemFailed


def build_one(ctx: CompileContext, name: str, gs: GoalSpec, path) -> None:
    """The objective terms of one ``maximize:``/``minimize:`` item, one per instance, into
    ``ctx.objectives``; raises :class:`.context.ItemFailed` after reporting an issue."""
    kind = gs.kind
    expr_path = path + (kind,)
    bound = ctx.loop_names(gs.for_, path)
    node = ctx.parse(getattr(gs, kind), expr_path, bound)
    weight_f = ctx.field(gs.weight, path + ("weight",), bound)
    prio_f = ctx.field(gs.priority, path + ("priority",), bound)
    if node is None or weight_f is None or (gs.priority is not None and prio_f is None):
        raise ItemFailed()
    frame, targets = ctx.frame(gs.for_, gs.where, path, ("objective", name))
    if not frame.n:
        return
    e = ctx.eval_linear(node, frame, expr_path)
    w = ctx.weights(weight_f, frame, path + ("weight",))
    prio = ctx.priorities(prio_f, frame, path + ("priority",))
    indptr, cols, coefs = fold(e, ctx.n_cols)
    keys = [frame.cols[t] for t in targets]
    sense = "max" if kind == "maximize" else "min"
    for i in range(frame.n):
        a, b = indptr[i], indptr[i + 1]
        origin = Origin(name, tuple(_plain(k[i]) for k in keys))
        ctx.objectives.append(ObjectiveTerm(origin, sense, SparseVector.make(cols[a:b], coefs[a:b], e.const[i]),
                                            prio[i], float(w[i])))
