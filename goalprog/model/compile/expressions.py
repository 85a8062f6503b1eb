"""Named expressions: declared before the constraints and goals that use them (evaluated on first
use by :class:`.resolver.Resolver`), and reported, with their values' terms, in the model."""

from __future__ import annotations

import numpy as np

from ...spec.schema import ExpressionSpec
from ..expr.values import EMPTY_F, EMPTY_I, EvalError, fold
from ..ir import ExpressionTable, Origins, frozen_array
from .context import CompileContext, ItemFailed, NamedExpr, clause_columns


def declare(ctx: CompileContext) -> None:
    """Parse every named expression and its ``for:`` header; one that does not parse is dropped
    from the names (its uses fail quietly: its own error is reported once, here)."""
    for name, es in ctx.spec.expressions.items():
        path = ("expressions", name)
        if isinstance(es, str):
            es = ExpressionSpec(expr=es)
            expr_path = path
        else:
            expr_path = path + ("expr",)
        clauses, cond, targets = [], None, ()
        node = None
        header_ok = True
        if es.for_ is not None:
            header = ctx.parse_for(es.for_, path + ("for",))
            if header is None:
                header_ok = False
            else:
                clauses, cond = header
                targets = tuple(t.id for c in clauses for t in c.targets)
                ctx.index_names[("expression", name)] = clause_columns(clauses)
        if header_ok:
            node = ctx.parse(es.expr, expr_path, frozenset(targets))
        if node is None:
            ctx.kinds.pop(name, None)
            ctx.failed_exprs.add(name)
            continue
        ctx.exprs[name] = NamedExpr(name, clauses, cond, node, targets, expr_path)


def report(ctx: CompileContext) -> ExpressionTable:
    """Every named expression that evaluates, as CSR rows over the columns (for results)."""
    origins = Origins()
    ptrs, cols, coefs, consts = [np.zeros(1, dtype=np.int64)], [], [], []
    offset = 0
    for name, e in ctx.exprs.items():
        try:
            ctx.resolver.evaluate_expr(e, e.node.span)
        except (ItemFailed, EvalError):
            continue
        indptr, c, v = fold(e.value, ctx.n_cols)
        origins.add(name, [e.frame.cols[t] for t in e.targets], e.frame.n)
        ptrs.append(indptr[1:] + offset)
        offset += int(indptr[-1])
        cols.append(c)
        coefs.append(v)
        consts.append(e.value.const)
    return ExpressionTable(origins, frozen_array(np.concatenate(ptrs), np.int64),
                           frozen_array(np.concatenate(cols) if cols else EMPTY_I, np.int64),
                           frozen_array(np.concatenate(coefs) if coefs else EMPTY_F, np.float64),
                           frozen_array(np.concatenate(consts) if consts else EMPTY_F, np.float64))
