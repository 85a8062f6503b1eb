"""The size estimate: instances and nonzeros of every item, before any is built.

A model over the limits of :mod:`goalprog.core.limits` is refused here, naming its largest item,
before memory is spent on it; items whose size the estimate cannot know (a filter in the header)
are held to the limits while they are built (:meth:`.context.CompileContext.add_rows`).
"""

from __future__ import annotations

import math

from ...core.errors import ExpressionError
from ...core.limits import product_text
from ..expr import ast as A
from ..expr.parser import parse, parse_for
from .context import CompileContext


def estimate(ctx: CompileContext) -> int:
    """Estimate the instances and nonzeros of every item before any is built; refuse the model
    (:class:`~goalprog.core.errors.SizeLimitError`) when an item has more bindings than
    ``limits.max_instances``, the expressions, constraints and goals together have more instances
    than that (each instance costs memory whatever its terms: a few short items of millions of
    instances each would otherwise fill gigabytes), or the model has more nonzeros than
    ``limits.max_nonzeros``.

    Filters (``where:``, ``if``) are not evaluated: an item with a filter in its header counts
    as unknown here and is held to the limits while it is built.  Returns the estimate."""
    lim = ctx.limits
    expr_terms: dict = {}
    items = []  # (nonzeros, what, path, instances, terms)
    sections = [("expression", "expressions", ctx.spec.expressions), ("constraint", "constraints",
                                                                       ctx.spec.constraints),
                ("goal", "goals", ctx.spec.goals)]
    for what, section, entries in sections:
        for name, item in entries.items():
            path = (section, name)
            if isinstance(item, str):
                for_text, where, text = None, None, item
            else:
                for_text, where = item.for_, getattr(item, "where", None)
                text = item.expr if what != "goal" or item.kind not in ("maximize", "minimize") \
                    else getattr(item, item.kind)
            size = _header_size(ctx, for_text)
            node = _tree(ctx, text)
            if size is None or node is None:
                continue
            count, factors = size
            if count > lim.max_instances:
                ctx.too_large(f"the {what} '{name}' has {count:,} instances ({product_text(factors)}), more "
                              f"than the limit of {lim.max_instances:,} instances", path + ("for",), lim.instance_hint())
            terms = _terms(ctx, node, expr_terms)
            if what == "expression":
                expr_terms[name] = terms
            if where is not None:
                continue  # the filter may keep few instances: held to the limit while built
            # the deviation columns of a goal row: n for at_least, p for at_most, both for equal/between
            extra = {"at_least": 1, "at_most": 1, "equal": 2, "between": 2}.get(getattr(item, "kind", None), 0) \
                if what == "goal" else 0
            items.append((count * (terms + extra), what, path, count, terms + extra))
    total = sum(i[0] for i in items)
    if total > lim.max_nonzeros:
        nnz, what, path, count, terms = max(items, key=lambda t: t[0])  # the first of the largest
        ctx.too_large(f"the model would have about {total:,} nonzeros, more than the limit of "
                      f"{lim.max_nonzeros:,}; the largest item is the {what} '{path[1]}' with about {nnz:,} "
                      f"({count:,} instances x {terms:,} terms)", path, lim.nonzero_hint())
        return total
    instances = sum(i[3] for i in items)
    if instances > lim.max_instances:
        nnz, what, path, count, terms = max(items, key=lambda t: t[3])
        ctx.too_large(f"the expressions, constraints and goals would have {instances:,} instances together, more "
                      f"than the limit of {lim.max_instances:,}; the largest item is the {what} '{path[1]}' with "
                      f"{count:,}", path, lim.instance_hint())
    return total


def _tree(ctx: CompileContext, text):
    """The syntax tree of ``text`` (cached for the build), or ``None`` when it does not parse
    (the error is reported when the item is built)."""
    if not isinstance(text, str):
        return None
    if text not in ctx.parsed:
        try:
            ctx.parsed[text] = parse(text)
        except ExpressionError:
            return None
    return ctx.parsed[text]


def _header_size(ctx: CompileContext, for_text) -> tuple[int, list] | None:
    """Bindings of a ``for:`` header before filters (the product of its sets' sizes) and the
    factors, or ``None`` when it has an ``if`` (which may join rather than filter) or does not parse."""
    if for_text is None:
        return 1, []
    try:
        clauses, cond = parse_for(for_text)
    except ExpressionError:
        return None
    if cond is not None:
        return None
    factors = [(c.set_name.id, len(ctx.data.sets[c.set_name.id].members)) for c in clauses
               if c.set_name.id in ctx.data.sets]
    return math.prod(f for _, f in factors), factors


def _terms(ctx: CompileContext, node, expr_terms: dict) -> int:
    """Rough terms per instance: variable references, times the members of each unfiltered
    ``sum`` around them (iteratively: expressions may have thousands of terms)."""
    total = 0
    stack = [(node, 1)]
    while stack:
        n, mult = stack.pop()
        if isinstance(n, (A.Name, A.Index)):
            name = n.id if isinstance(n, A.Name) else n.base.id
            kind = ctx.kinds.get(name)
            if kind == "var":
                total += mult
            elif kind == "expr":
                total += mult * expr_terms.get(name, 1)
        elif isinstance(n, A.Sum):
            f = 1
            if n.condition is None:
                f = math.prod(len(ctx.data.sets[c.set_name.id].members) if c.set_name.id in ctx.data.sets else 1
                              for c in n.clauses)
            stack.append((n.body, mult * f))
        elif isinstance(n, (A.BinOp, A.Compare)):
            stack.append((n.left, mult))
            stack.append((n.right, mult))
        elif isinstance(n, A.Unary):
            stack.append((n.operand, mult))
    return total
