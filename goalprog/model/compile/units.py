"""Units mixed in one expression: ``profit + waste`` with profit in dollars and waste in yards.

The file may declare ``units:`` on variables, named expressions and parameters.  A reference to
one of them (``profit``, ``make[p, t]``, ``-profit``, ``sum(make[p, t] for ...)``) carries its
units; a number added or subtracted takes the units of the other side; a number times (or a
quantity divided by a number) keeps the quantity's units (``2*profit``, ``profit/1000`` are still
dollars: a literal coefficient is read as a weight, not as a conversion); a product with a
parameter or another quantity (``m_per_km * km``, ``price[p] * sell[p]``) may convert units, so its
units are unknown, and unknown units never warn.

:func:`check` walks every expression of the file (named expressions, hard constraints, goals and
objectives) and records a warning, with the file position of the ``+``, ``-`` or comparison,
wherever two sides with different declared units meet; and one where a goal declares ``units:``
that differ from the units of its expression.  It also keeps, in ``ctx.goal_units``, the units of
each goal's expression where they are known and the goal declares none (the level check of
:mod:`goalprog.model.lint` compares goals by them).
"""

from __future__ import annotations

from ...core.errors import clip
from ..expr import ast as A
from ..expr.parser import parse
from .context import CompileContext

_NUMBER = object()  # a number: compatible with any units


def _key(u: str) -> str:
    return " ".join(str(u).split()).lower()


def _declared(ctx: CompileContext) -> dict:
    """``name -> units`` of the variables, named expressions and parameters that declare them."""
    out = {}
    for section in (ctx.spec.variables, ctx.spec.expressions, ctx.spec.params):
        for name, item in section.items():
            u = getattr(item, "units", None)
            if u and str(u).strip():
                out[name] = str(u).strip()
    return out


def _texts(ctx: CompileContext):
    """``(key path, text)`` of every expression of the file."""
    spec = ctx.spec
    for name, es in spec.expressions.items():
        yield (("expressions", name), es) if isinstance(es, str) else (("expressions", name, "expr"), es.expr)
    for name, cs in spec.constraints.items():
        yield (("constraints", name), cs) if isinstance(cs, str) else (("constraints", name, "expr"), cs.expr)
    for name, gs in spec.goals.items():
        for field in ("expr", "maximize", "minimize"):
            text = getattr(gs, field, None)
            if isinstance(text, str):
                yield ("goals", name, field), text


CONVERT_HINT = ("convert one side by a parameter that holds the conversion factor (e.g. params: m_per_km: "
                "{value: 1000, units: m/km}, then m_per_km * km; a bare number such as 1000 * km is read as "
                "a weight and keeps km), or correct the units: declarations")
"""How a units warning says to mend the mix."""


def check(ctx: CompileContext) -> None:
    """Append to ``ctx.warnings`` one warning per place where declared units are mixed, and one
    per goal whose declared ``units:`` differ from its expression's; fill ``ctx.goal_units``."""
    units = _declared(ctx)
    if not units:
        return
    goal_units = {name: str(gs.units).strip() for name, gs in ctx.spec.goals.items()
                  if getattr(gs, "units", None) and str(gs.units).strip()}
    for path, text in _texts(ctx):
        if not isinstance(text, str) or not any(name in text for name in units):
            continue
        try:
            node = parse(text)
        except Exception:  # noqa: BLE001 - a text that does not parse was reported by the compiler
            continue
        found: list = []
        result = _units_of(node, units, found)
        for span, (name_a, unit_a), (name_b, unit_b), op in found:
            loc = ctx.doc.locate(path, span[0])
            where = f"{loc.prefix()}: " if loc.prefix() else ""
            verb = "adds" if op == "+" else "subtracts" if op == "-" else "compares"
            ctx.warnings.append(
                f"{where}{'.'.join(map(str, path))}: {clip(text.strip(), 120)} {verb} {name_a} ({unit_a}) and "
                f"{name_b} ({unit_b}), declared in different units: {CONVERT_HINT}")
        if path[0] != "goals" or not isinstance(result, tuple) or found or _scaled(node, ctx.spec.variables):
            continue  # 10*pants with units: dollars: the 10 may be a price (dollars per piece)
        goal = path[1]
        declared = goal_units.get(goal)
        if declared is None:
            ctx.goal_units[goal] = result[1]
        elif _key(declared) != _key(result[1]):
            loc = ctx.doc.location(("goals", goal, "units"))
            where = f"{loc.prefix()}: " if loc.prefix() else ""
            ctx.warnings.append(
                f"{where}goal {goal} declares units: {declared}, but its expression {clip(text.strip(), 120)} is in "
                f"{result[1]} (from {result[0]}): its target and deviations are in the expression's units: correct "
                "the goal's units:, or convert the expression by a parameter that holds the conversion factor (a bare "
                "number such as 2 * x is read as a weight and keeps the units of x)")


def _scaled(node, variables) -> bool:
    """Whether ``node`` multiplies or divides a decision variable by a number other than 1
    anywhere (``10*pants``).  Such a number keeps the units when terms are added (``2*a + b`` still
    adds a's and b's units), but beside a variable it is usually a rate (a price in dollars per
    piece), so the expression's own units are not compared with the goal's ``units:``
    (``{expr: 10*pants, units: dollars}`` with pants in pieces is the common way to write it)."""
    if isinstance(node, A.BinOp) and node.op in ("*", "/"):
        for num, other in ((node.left, node.right), (node.right, node.left)):
            base = other.base if isinstance(other, A.Index) else other
            if isinstance(num, A.Num) and abs(num.value) != 1 and isinstance(base, A.Name) and base.id in variables:
                return True
    for f in getattr(node, "__dataclass_fields__", {}):
        child = getattr(node, f, None)
        for item in child if isinstance(child, (list, tuple)) else (child,):
            if hasattr(item, "span") and not isinstance(item, A.Num) and _scaled(item, variables):
                return True
    return False


def _units_of(node, units: dict, found: list):
    """``(name, units)`` of ``node`` when it is known, :data:`_NUMBER` for a number, else ``None``;
    records every mix of units met on the way in ``found``."""
    if isinstance(node, A.Num):
        return _NUMBER
    if isinstance(node, A.Name):
        return (node.id, units[node.id]) if node.id in units else None
    if isinstance(node, A.Index):
        for arg in node.args:
            _units_of(arg, units, found)
        return (node.base.id, units[node.base.id]) if node.base.id in units else None
    if isinstance(node, A.Unary):
        inner = _units_of(node.operand, units, found)
        return inner if node.op in ("-", "+") else None
    if isinstance(node, A.Sum):
        inner = _units_of(node.body, units, found)
        if node.condition is not None:
            _units_of(node.condition, units, found)
        return inner if inner is not _NUMBER else None
    if isinstance(node, (A.BinOp, A.Compare)):
        left = _units_of(node.left, units, found)
        right = _units_of(node.right, units, found)
        if node.op == "*" and (left is _NUMBER or right is _NUMBER):
            return right if left is _NUMBER else left  # a weight: 2*profit is still in dollars
        if node.op == "/" and right is _NUMBER:
            return left
        if node.op not in ("+", "-", "<=", ">=", "=="):
            return None
        if left is _NUMBER:
            return right
        if right is _NUMBER:
            return left
        if left is None or right is None:
            return None
        if _key(left[1]) != _key(right[1]):
            found.append((node.span, left, right, node.op))
            return None
        return left
    if isinstance(node, (A.Call, A.Tuple)):
        for arg in getattr(node, "args", ()) or getattr(node, "items", ()):
            _units_of(arg, units, found)
    return None
