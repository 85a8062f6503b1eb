"""Syntax tree of goalprog expressions.

Every node is frozen and carries ``span = (start, end)``: character offsets into the expression
text, used to put a caret under the offending part of an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union


@dataclass(frozen=True)
class Num:
    value: float
    span: tuple[int, int]


@dataclass(frozen=True)
class Str:
    """A quoted string literal, used as a set member: ``make['pants', m]``."""

    value: str
    span: tuple[int, int]


@dataclass(frozen=True)
class Name:
    id: str
    span: tuple[int, int]


@dataclass(frozen=True)
class Index:
    """``base[arg, ...]``: an indexed variable, parameter or expression."""

    base: Name
    args: tuple["Node", ...]
    span: tuple[int, int]


@dataclass(frozen=True)
class ForClause:
    """``targets in set_name``: ``p in products`` or ``(i, j) in arcs``."""

    targets: tuple[Name, ...]
    set_name: Name
    span: tuple[int, int]


@dataclass(frozen=True)
class Sum:
    """``sum(body for p in P for q in Q if cond)``."""

    body: "Node"
    clauses: tuple[ForClause, ...]
    condition: "Node | None"
    span: tuple[int, int]


@dataclass(frozen=True)
class Call:
    """A call of a constant function (``min``, ``max``, ``abs``) on constant arguments."""

    func: Name
    args: tuple["Node", ...]
    span: tuple[int, int]


@dataclass(frozen=True)
class Unary:
    op: str  # '-', '+', 'not'
    operand: "Node"
    span: tuple[int, int]


@dataclass(frozen=True)
class BinOp:
    op: str  # '+', '-', '*', '/', 'and', 'or'
    left: "Node"
    right: "Node"
    span: tuple[int, int]


@dataclass(frozen=True)
class Compare:
    """A comparison. ``<=``, ``>=``, ``==`` make constraints; all six (and ``in``) make conditions."""

    op: str  # '<=', '>=', '==', '<', '>', '!=', 'in', 'not in'
    left: "Node"
    right: "Node"
    span: tuple[int, int]


@dataclass(frozen=True)
class Tuple:
    items: tuple["Node", ...]
    span: tuple[int, int]


Node = Union[Num, Str, Name, Index, Sum, Call, Unary, BinOp, Compare, Tuple]


def names_in(node) -> set[str]:
    """Every bare or indexed name used in ``node`` (bound loop variables included)."""
    out: set[str] = set()
    stack = [node]
    while stack:
        n = stack.pop()
        if n is None:
            continue
        if isinstance(n, Name):
            out.add(n.id)
        elif isinstance(n, Index):
            out.add(n.base.id)
            stack.extend(n.args)
        elif isinstance(n, Sum):
            stack.append(n.body)
            stack.append(n.condition)
            for c in n.clauses:
                out.add(c.set_name.id)
        elif isinstance(n, Call):
            stack.extend(n.args)
        elif isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, (BinOp, Compare)):
            stack.extend((n.left, n.right))
        elif isinstance(n, Tuple):
            stack.extend(n.items)
    return out
