"""Computed parameters: scalar parameters given as expressions over earlier parameters."""

from __future__ import annotations

import numpy as np

from ...core.errors import clip
from ..expr import ast as A
from ..expr.values import EvalError, Frame
from .context import CompileContext, ItemFailed


def build(ctx: CompileContext) -> None:
    """Scalar parameters given as expressions (``n: {value: "sum(1 for t in periods)"}``),
    evaluated in declaration order.  A value that names a variable or a named expression is
    reported at ``params.<name>.value`` (a parameter is fixed before the decisions)."""
    for name, p in ctx.data.params.items():
        if p.expr is None:
            continue
        path = ("params", name, "value")
        node = ctx.parse(p.expr, path, frozenset())
        if node is None:
            ctx.failed_params.add(name)
            continue
        uses = decision_names(node, ctx.kinds)
        if uses:
            used, span = uses[0]
            what = "variable" if ctx.kinds[used] == "var" else "named expression"
            ctx.failed_params.add(name)
            ctx.report(EvalError(f"a parameter's value is a number or an expression over parameters; "
                                 f"'{clip(used)}' is a {what}", span,
                                 "a parameter is data, fixed before the decisions: for a quantity that depends "
                                 "on the variables, declare a named expression under 'expressions:'"), path)
            continue
        try:
            v = float(ctx.ev.constant(node, Frame.unit(), "a parameter value")[0])
            if not np.isfinite(v):
                raise EvalError(f"the parameter's value is {v} (not a finite number)", node.span)
            p.values[()] = v
        except EvalError as exc:
            ctx.failed_params.add(name)
            ctx.report(exc, path)
        except ItemFailed:
            ctx.failed_params.add(name)


def decision_names(node, kinds: dict) -> list[tuple[str, tuple[int, int]]]:
    """Variables and named expressions used in ``node`` (name, span), in text order; loop names
    bound by a ``sum`` inside it are not counted."""
    out = []
    stack = [(node, frozenset())]
    while stack:
        n, bound = stack.pop()
        if isinstance(n, (A.Name, A.Index)):
            base = n if isinstance(n, A.Name) else n.base
            if base.id not in bound and kinds.get(base.id) in ("var", "expr"):
                out.append((base.id, base.span))
            if isinstance(n, A.Index):
                stack.extend((a, bound) for a in n.args)
        elif isinstance(n, A.Sum):
            inner = bound | {t.id for c in n.clauses for t in c.targets}
            stack.append((n.body, inner))
            if n.condition is not None:
                stack.append((n.condition, inner))
        elif isinstance(n, A.Call):
            stack.extend((a, bound) for a in n.args)
        elif isinstance(n, A.Unary):
            stack.append((n.operand, bound))
        elif isinstance(n, (A.BinOp, A.Compare)):
            stack.extend(((n.left, bound), (n.right, bound)))
        elif isinstance(n, A.Tuple):
            stack.extend((a, bound) for a in n.items)
    return sorted(out, key=lambda t: t[1][0])
