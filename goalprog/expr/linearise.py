"""Evaluate a parsed expression under index bindings into a linear expression.

The evaluator walks the syntax tree once per index binding.  Values are

* ``float`` for constants (numbers, parameters, arithmetic on them),
* ``str``/``int`` for set members (loop variables, quoted strings),
* :class:`LinExpr` for anything that involves a decision variable,
* ``bool`` for conditions.

Anything not linear in the variables (``x*y``, ``1/x``) raises :class:`EvalError` carrying the
span of the offending term; the compiler turns it into an
:class:`~goalprog.errors.ExpressionError` with file, line, column and a caret.
"""

from __future__ import annotations

import math
from typing import Any, Protocol

from .ast import BinOp, Call, Compare, ForClause, Index, Name, Num, Str, Sum, Tuple, Unary


class EvalError(Exception):
    """An evaluation problem at ``span`` of the expression text."""

    def __init__(self, message: str, span: tuple[int, int], hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.span = span
        self.hint = hint


class LinExpr:
    """``sum(terms[j] * x_j) + const``; ``terms`` maps a column index to its coefficient."""

    __slots__ = ("terms", "const")

    def __init__(self, terms: dict[int, float] | None = None, const: float = 0.0):
        self.terms = terms if terms is not None else {}
        self.const = const

    def copy(self) -> "LinExpr":
        return LinExpr(dict(self.terms), self.const)

    def iadd(self, other: "LinExpr | float", scale: float = 1.0) -> "LinExpr":
        if isinstance(other, LinExpr):
            t = self.terms
            for j, c in other.terms.items():
                t[j] = t.get(j, 0.0) + scale * c
            self.const += scale * other.const
        else:
            self.const += scale * other
        return self

    def scaled(self, k: float) -> "LinExpr":
        return LinExpr({j: k * c for j, c in self.terms.items()}, k * self.const)

    def nonzero(self) -> dict[int, float]:
        return {j: c for j, c in self.terms.items() if c != 0.0}

    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return f"LinExpr({self.terms}, {self.const})"


class Resolver(Protocol):
    """What the evaluator needs to know about names (implemented by the compiler)."""

    def kind(self, name: str) -> str | None:
        """``'set'``, ``'param'``, ``'var'``, ``'expr'`` or ``None`` when unknown."""

    def arity(self, name: str) -> int: ...

    def param(self, name: str, key: tuple, span: tuple[int, int]) -> float: ...

    def var(self, name: str, key: tuple, span: tuple[int, int]) -> int: ...

    def expr(self, name: str, key: tuple, span: tuple[int, int]) -> "LinExpr | float": ...

    def members(self, name: str, span: tuple[int, int]) -> list[tuple]: ...

    def contains(self, name: str, key: tuple) -> bool: ...

    def unknown(self, name: str, span: tuple[int, int], env: dict) -> EvalError: ...


_CMP = {
    "<": lambda a, b: a < b, ">": lambda a, b: a > b, "<=": lambda a, b: a <= b, ">=": lambda a, b: a >= b,
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b,
}


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _describe(v: Any) -> str:
    if isinstance(v, LinExpr):
        return "an expression in the variables"
    if isinstance(v, bool):
        return "a condition"
    if isinstance(v, str):
        return f"the set member {v!r}"
    return repr(v)


class Evaluator:
    """Evaluates syntax trees against a :class:`Resolver` and a loop environment."""

    def __init__(self, resolver: Resolver):
        self.r = resolver

    # -- public entry points -------------------------------------------------------------------
    def linear(self, node, env: dict) -> LinExpr:
        """Evaluate to a :class:`LinExpr` (a constant becomes a LinExpr with no terms)."""
        v = self.eval(node, env)
        if isinstance(v, LinExpr):
            return v
        if _is_num(v):
            return LinExpr({}, float(v))
        raise EvalError(f"expected a linear expression, got {_describe(v)}", node.span)

    def constant(self, node, env: dict, what: str = "a constant") -> float:
        """Evaluate to a number; a variable inside is an error (targets, weights, bounds)."""
        v = self.eval(node, env)
        if isinstance(v, LinExpr):
            if v.nonzero():
                raise EvalError(f"{what} must not depend on decision variables", node.span,
                                "targets, weights and bounds are numbers or expressions over parameters")
            return float(v.const)
        if _is_num(v):
            return float(v)
        raise EvalError(f"expected {what} (a number), got {_describe(v)}", node.span)

    def condition(self, node, env: dict) -> bool:
        v = self.eval(node, env)
        if isinstance(v, bool):
            return v
        raise EvalError(f"expected a condition (e.g. p != 'x', m > 1), got {_describe(v)}", node.span)

    def bindings(self, clauses: list[ForClause] | tuple[ForClause, ...], condition, env: dict):
        """Yield every environment produced by ``for`` clauses (cartesian product, in set order)."""
        yield from self._bind(tuple(clauses), 0, condition, env)

    # -- machinery -----------------------------------------------------------------------------
    def _bind(self, clauses, k, condition, env):
        if k == len(clauses):
            if condition is None or self.condition(condition, env):
                yield env
            return
        clause = clauses[k]
        set_name = clause.set_name.id
        if self.r.kind(set_name) != "set":
            if self.r.kind(set_name) is None:
                raise self.r.unknown(set_name, clause.set_name.span, env)
            raise EvalError(f"'{set_name}' is not a set", clause.set_name.span,
                            "loop over a set declared under 'sets:'")
        targets = [t.id for t in clause.targets]
        dim = self.r.arity(set_name)
        if len(targets) != dim:
            raise EvalError(f"the set '{set_name}' has {dim}-tuples but {len(targets)} index name(s) are given",
                            clause.span, f"write ({', '.join('i' + str(d) for d in range(dim))}) in {set_name}"
                            if dim > 1 else f"write i in {set_name}")
        for t in clause.targets:
            if t.id in env:
                raise EvalError(f"the index name '{t.id}' is already in use here", t.span,
                                "choose another name for the inner loop")
            if self.r.kind(t.id) is not None:
                word = {"set": "set", "param": "parameter", "var": "variable", "expr": "expression"}[self.r.kind(t.id)]
                raise EvalError(f"the index name '{t.id}' shadows the {word} '{t.id}'", t.span,
                                "choose an index name that is not a set, parameter, variable or expression")
        for member in self.r.members(set_name, clause.set_name.span):
            inner = dict(env)
            for t, m in zip(targets, member):
                inner[t] = m
            yield from self._bind(clauses, k + 1, condition, inner)

    def eval(self, node, env: dict) -> Any:
        method = getattr(self, "_" + type(node).__name__)
        return method(node, env)

    def _Num(self, node: Num, env):
        return node.value

    def _Str(self, node: Str, env):
        return node.value

    def _Tuple(self, node: Tuple, env):
        return tuple(self.eval(i, env) for i in node.items)

    def _Name(self, node: Name, env):
        name = node.id
        if name in env:
            return env[name]
        kind = self.r.kind(name)
        if kind is None:
            raise self.r.unknown(name, node.span, env)
        if kind == "set":
            raise EvalError(f"'{name}' is a set; use it in a for clause or with 'in'", node.span,
                            f"e.g. sum(x[i] for i in {name})")
        if self.r.arity(name) != 0:
            raise EvalError(f"'{name}' is indexed over {self.r.arity(name)} set(s); give its index",
                            node.span, f"write {name}[...] or sum({name}[i] for i in ...)")
        if kind == "param":
            return self.r.param(name, (), node.span)
        if kind == "var":
            return LinExpr({self.r.var(name, (), node.span): 1.0}, 0.0)
        v = self.r.expr(name, (), node.span)
        return v.copy() if isinstance(v, LinExpr) else v

    def _Index(self, node: Index, env):
        name = node.base.id
        if name in env:
            raise EvalError(f"'{name}' is an index value and cannot be indexed", node.base.span)
        kind = self.r.kind(name)
        if kind is None:
            raise self.r.unknown(name, node.base.span, env)
        key = []
        for a in node.args:
            v = self.eval(a, env)
            if isinstance(v, float) and v.is_integer():
                v = int(v)
            if isinstance(v, tuple):
                key.extend(v)
                continue
            if not (isinstance(v, (str, int)) and not isinstance(v, bool)):
                raise EvalError(f"an index must be a set member, got {_describe(v)}", a.span)
            key.append(v)
        key = tuple(key)
        dim = self.r.arity(name)
        if kind == "set":
            raise EvalError(f"'{name}' is a set and cannot be indexed", node.base.span)
        if len(key) != dim:
            what = {"param": "parameter", "var": "variable", "expr": "expression"}[kind]
            raise EvalError(f"the {what} '{name}' takes {dim} index value(s), got {len(key)}", node.span,
                            f"write {name}[{', '.join('i' + str(d) for d in range(dim))}]" if dim else f"write {name} without brackets")
        if kind == "param":
            return self.r.param(name, key, node.span)
        if kind == "var":
            return LinExpr({self.r.var(name, key, node.span): 1.0}, 0.0)
        v = self.r.expr(name, key, node.span)
        return v.copy() if isinstance(v, LinExpr) else v

    def _Sum(self, node: Sum, env):
        acc = LinExpr()
        for inner in self.bindings(node.clauses, node.condition, env):
            v = self.eval(node.body, inner)
            if isinstance(v, LinExpr):
                acc.iadd(v)
            elif _is_num(v):
                acc.const += v
            else:
                raise EvalError(f"sum(...) adds numbers or expressions, got {_describe(v)}", node.body.span)
        if not acc.terms:
            return acc.const
        return acc

    def _Call(self, node: Call, env):
        args = [self.constant(a, env, f"an argument of {node.func.id}()") for a in node.args]
        f = node.func.id
        if f == "abs":
            if len(args) != 1:
                raise EvalError("abs() takes one argument", node.span)
            return abs(args[0])
        return (min if f == "min" else max)(args)

    def _Unary(self, node: Unary, env):
        v = self.eval(node.operand, env)
        if node.op == "not":
            if not isinstance(v, bool):
                raise EvalError(f"'not' needs a condition, got {_describe(v)}", node.operand.span)
            return not v
        if node.op == "+":
            return v
        if isinstance(v, LinExpr):
            return v.scaled(-1.0)
        if _is_num(v):
            return -v
        raise EvalError(f"cannot negate {_describe(v)}", node.span)

    def _BinOp(self, node: BinOp, env):
        op = node.op
        if op in ("and", "or"):
            a = self.eval(node.left, env)
            if not isinstance(a, bool):
                raise EvalError(f"'{op}' needs conditions, got {_describe(a)}", node.left.span)
            if op == "and" and not a:
                return False
            if op == "or" and a:
                return True
            b = self.eval(node.right, env)
            if not isinstance(b, bool):
                raise EvalError(f"'{op}' needs conditions, got {_describe(b)}", node.right.span)
            return b
        a = self.eval(node.left, env)
        b = self.eval(node.right, env)
        for v, sub in ((a, node.left), (b, node.right)):
            if not (_is_num(v) or isinstance(v, LinExpr)):
                raise EvalError(f"'{op}' needs numbers or expressions, got {_describe(v)}", sub.span,
                                "set members can only be compared or used as indices")
        if op in ("+", "-"):
            sign = 1.0 if op == "+" else -1.0
            if isinstance(a, LinExpr):
                return a.copy().iadd(b, sign) if isinstance(b, LinExpr) else LinExpr(dict(a.terms), a.const + sign * b)
            if isinstance(b, LinExpr):
                out = b.scaled(sign)
                out.const += a
                return out
            return a + sign * b
        if op == "*":
            if isinstance(a, LinExpr) and isinstance(b, LinExpr):
                if a.nonzero() and b.nonzero():
                    raise EvalError("product of two expressions in the variables: the model would not be linear",
                                    node.span, "goal programs here are linear; multiply a variable by a number or parameter")
                if not a.nonzero():
                    return b.scaled(a.const)
                return a.scaled(b.const)
            if isinstance(a, LinExpr):
                return a.scaled(b)
            if isinstance(b, LinExpr):
                return b.scaled(a)
            return a * b
        # division
        if isinstance(b, LinExpr):
            if b.nonzero():
                raise EvalError("division by an expression in the variables: the model would not be linear",
                                node.right.span, "divide only by numbers or parameters")
            b = b.const
        if b == 0:
            raise EvalError("division by zero", node.right.span)
        if isinstance(a, LinExpr):
            return a.scaled(1.0 / b)
        return a / b

    def _Compare(self, node: Compare, env):
        if node.op in ("in", "not in"):
            if not isinstance(node.right, Name) or self.r.kind(node.right.id) != "set":
                raise EvalError("'in' tests membership of a set: write i in S with S a set", node.right.span)
            v = self.eval(node.left, env)
            key = v if isinstance(v, tuple) else (v,)
            key = tuple(int(k) if isinstance(k, float) and k.is_integer() else k for k in key)
            found = self.r.contains(node.right.id, key)
            return found if node.op == "in" else not found
        a = self.eval(node.left, env)
        b = self.eval(node.right, env)
        if isinstance(a, LinExpr) or isinstance(b, LinExpr):
            raise EvalError("a constraint (<=, >=, ==) is only allowed at the top of a constraint, "
                            "not inside a condition or an expression", node.span)
        try:
            return _CMP[node.op](a, b)
        except TypeError:
            raise EvalError(f"cannot compare {_describe(a)} with {_describe(b)}", node.span) from None


def is_finite(x: float) -> bool:
    return not (math.isnan(x) or math.isinf(x))
