"""Compile a validated problem (spec + bound data) into a :class:`~goalprog.model.ir.LinearModel`.

What happens here, one builder module per kind of item, all sharing one
:class:`~.context.CompileContext` (inputs, declared names, column and row blocks, issues):

1. names are declared (:meth:`.context.CompileContext.declare_names`) and computed parameters
   evaluated (:mod:`.params`);
2. decision variables are laid out over their index sets as blocks of columns (:mod:`.variables`;
   row-major in set order, so ``make[p, t]`` is ``start + code(p) * |T| + code(t)``);
3. the size of the model is estimated and held to the limits (:mod:`.estimate`);
4. every item (named expression, hard constraint, goal, objective) is evaluated *once for all its
   instances*: its ``for:``/``where:`` header becomes a table of bindings and the expression is
   evaluated on the whole table at once (:mod:`goalprog.model.expr.vector`, which asks
   :class:`.resolver.Resolver` what names stand for), so the cost grows with the number of terms,
   not with Python work per term;
5. every hard constraint instance becomes a row (:mod:`.constraints`; ``lo <= expr <= hi`` chains
   become one ranged row);
6. every goal instance becomes a goal row ``lo - c <= a.x + n - p <= hi - c`` with a deviation
   column for each *unwanted* deviation only (:mod:`.goals`: ``n`` for at_least, ``p`` for at_most,
   both for equal/between), each with its own priority and weight; plain objectives become
   :class:`~goalprog.model.ir.ObjectiveTerm` objects (:mod:`.objectives`);
7. named expressions are reported (:mod:`.expressions`), labels checked for uniqueness
   (:mod:`.labels`), units mixed in one expression noted as warnings (:mod:`.units`), settings that
   another replaces noted as warnings (:mod:`.shadowed`), and the
   blocks assembled into the frozen model (:mod:`.assemble`).

The constant ``c`` of a goal expression moves to the target (``2x + 3y - 5 >= 10`` is the row
``2x + 3y + n >= 15``) while the reported value of the goal still includes it.

All problems found (unknown names with did-you-mean, non-linear terms, wrong arity, indices
outside their set, bad targets) are collected and raised once as an
:class:`~goalprog.core.errors.ExpressionError`.
"""

from __future__ import annotations

from ...core.errors import SizeLimitError
from ...core.limits import Limits
from ...spec.data import DataModel
from ...spec.loader import Document
from ...spec.schema import ProblemSpec
from ..expr.vector import VectorEvaluator
from ..ir import LinearModel

from . import constraints, expressions, goals, labels, meta, params, shadowed, units, variables
from .assemble import assemble
from .context import CompileContext, TooLarge
from .estimate import estimate
from .resolver import Resolver

__all__ = ["compile_problem"]


def compile_problem(spec: ProblemSpec, doc: Document, data: DataModel, *, limits: Limits | None = None) -> LinearModel:
    """Compile a validated spec with its bound data into a frozen :class:`~goalprog.model.ir.LinearModel`.

    Raises :class:`~goalprog.core.errors.ExpressionError` listing every expression problem found, and
    :class:`~goalprog.core.errors.SizeLimitError` when the model would exceed ``limits`` (default: the
    process default of :mod:`goalprog.core.limits`).
    """
    ctx = CompileContext(spec, doc, data, limits)
    ctx.resolver = Resolver(ctx)
    ctx.ev = VectorEvaluator(ctx.resolver, ctx.limits)
    try:
        ctx.declare_names()
        params.build(ctx)
        variables.build(ctx)
        estimate(ctx)
        expressions.declare(ctx)
        constraints.build(ctx)
        ctx.n_hard = ctx.n_rows
        goals.build(ctx)
        meta.build(ctx)
        ctx.expressions = expressions.report(ctx)
        labels.check(ctx)
        units.check(ctx)
        shadowed.check(ctx)
    except TooLarge:
        raise SizeLimitError([ctx.size_issue]) from None
    # dedupe issues (an expression failing is reported once even if used by many items)
    seen = set()
    unique = []
    for issue in ctx.issues.issues:
        k = (issue.message, issue.location, issue.span)
        if k not in seen:
            seen.add(k)
            unique.append(issue)
    ctx.issues.issues = unique
    ctx.issues.raise_if_any()
    return assemble(ctx)
