"""Vectorised evaluation of expressions over a table of index bindings.

An indexed item (``for: p in products, t in periods``) is evaluated once for *all* its instances:
the bindings form a :class:`~goalprog.model.expr.values.Frame` (one row per instance, one column
per index name) and every node of the syntax tree evaluates to an array over those rows: a
``Const``, ``Member``, ``Bool``, ``Lin`` or ``TupleV`` (:mod:`goalprog.model.expr.values`, whose
names this module also exports).  :class:`VectorEvaluator` asks a :class:`Resolver` (the compiler)
what a name is and what it stands for.

``sum(body for q in Q if cond)`` expands the frame (a cross product, or a hash join when ``cond``
has a conjunct ``q == <outer expression>``), filters it, evaluates the body once on the expanded
frame and folds the result back onto the outer rows.  No Python object is built per term; Python
loops run per distinct set member or per instance only where a dictionary lookup is needed.

Errors are :class:`EvalError` with the span of the offending node and
the index values of the first instance that fails.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from ...core.errors import clip
from ...core.limits import MAX_EVAL_DEPTH, Limits
from .ast import BinOp, Call, Compare, Index, Name, Num, Str, Sum, Tuple, Unary, names_in
from .values import (EMPTY_F, EMPTY_I, OBJ, Bool, Const, EvalError, EvalSizeError, Frame, Lin, Member, TupleV, as_lin,
                     as_member, describe, fold, is_finite, member_values, numbers)

__all__ = ["EMPTY_F", "EMPTY_I", "OBJ", "Bool", "Const", "EvalError", "EvalSizeError", "Frame", "Lin", "Member",
           "Resolver", "TupleV", "VectorEvaluator", "as_lin", "as_member", "clause_text", "fold", "is_finite",
           "member_values"]


class Resolver(Protocol):
    def kind(self, name: str) -> str | None: ...

    def arity(self, name: str) -> int: ...

    def members(self, name: str) -> list[np.ndarray]:
        """One ``object[m]`` array per tuple position of the set's members."""

    def lookup(self, name: str, key: list["Member"], span, frame: Frame):
        """``Const`` (parameter), ``Lin`` (variable or named expression) for each row's key."""

    def contains(self, name: str, key: list["Member"]) -> np.ndarray: ...

    def unknown(self, name: str, span) -> EvalError: ...



def _conjuncts(node) -> list:
    """The operands of a chain of 'and' (iteratively: a chain may be long)."""
    out, stack = [], [node]
    while stack:
        n = stack.pop()
        if isinstance(n, BinOp) and n.op == "and":
            stack.append(n.right)
            stack.append(n.left)
        else:
            out.append(n)
    return out


def _and_all(nodes):
    if not nodes:
        return None
    out = nodes[0]
    for n in nodes[1:]:
        out = BinOp("and", out, n, (out.span[0], n.span[1]))
    return out


class VectorEvaluator:
    """Evaluates syntax trees on a :class:`Frame` against a :class:`Resolver`."""

    def __init__(self, resolver: Resolver, limits: Limits | None = None):
        self.r = resolver
        self.limits = limits or Limits()
        self.depth = 0  # nodes being evaluated inside each other (named expressions included)

    # -- entry points ----------------------------------------------------------------------
    def evaluate(self, node, frame: Frame):
        if self.depth >= MAX_EVAL_DEPTH:
            raise EvalError(f"the expression is nested or chained too deeply (more than {MAX_EVAL_DEPTH} operators, "
                            "functions, sums and named expressions inside each other)", node.span,
                            "split it into named expressions, or write long chains of * / and or comparisons "
                            "shorter; long sums (a + b + ...) are fine")
        self.depth += 1
        try:
            # inf and nan from data are reported by the compiler's checks, not as numpy warnings
            with np.errstate(all="ignore"):
                return getattr(self, "_" + type(node).__name__)(node, frame)
        finally:
            self.depth -= 1

    def _check_rows(self, n: int, span, what: str) -> None:
        """Refuse to build ``n`` bindings (rows) above the instance limit, before allocating them."""
        if n > self.limits.max_instances:
            raise EvalSizeError(f"{what} has {n:,} bindings, more than the limit of {self.limits.max_instances:,}",
                                span, self.limits.instance_hint())

    def _check_terms(self, n: int, span) -> None:
        """Refuse an expression of ``n`` terms (over all its instances) above the nonzero limit."""
        if n > self.limits.max_nonzeros:
            raise EvalSizeError(f"the expression has {n:,} terms over all its instances, more than the limit of "
                                f"{self.limits.max_nonzeros:,}", span, self.limits.nonzero_hint())

    def linear(self, node, frame: Frame) -> Lin:
        v = self.evaluate(node, frame)
        if isinstance(v, Lin):
            return v
        if isinstance(v, Const):
            return as_lin(v, frame.n)
        if isinstance(v, Member):  # numeric members (periods 1, 2, ...) are numbers too
            return as_lin(Const(numbers(v, node.span, "an expression")), frame.n)
        raise EvalError(f"expected a linear expression, got {describe(v)}", node.span)

    def constant(self, node, frame: Frame, what: str = "a constant") -> np.ndarray:
        v = self.evaluate(node, frame)
        if isinstance(v, Lin):
            if v.has_terms():
                raise EvalError(f"{what} must not depend on decision variables", node.span,
                                "targets, weights and bounds are numbers or expressions over parameters")
            return v.const
        if isinstance(v, Const):
            return v.a
        if isinstance(v, Member):
            return numbers(v, node.span, what)
        raise EvalError(f"expected {what} (a number), got {describe(v)}", node.span)

    def condition(self, node, frame: Frame) -> np.ndarray:
        v = self.evaluate(node, frame)
        if isinstance(v, Bool):
            return v.a
        raise EvalError(f"expected a condition (e.g. p != 'x', m > 1), got {describe(v)}", node.span)

    def bindings(self, clauses, condition, frame: Frame | None = None) -> tuple[Frame, np.ndarray]:
        """Expand ``frame`` (default: one empty row) by ``clauses`` filtered by ``condition``.

        Returns the expanded frame and, per row, the index of the row of ``frame`` it came from.
        """
        frame = frame or Frame.unit()
        parent = np.arange(frame.n)
        pending = _conjuncts(condition) if condition is not None else []
        bound = set(frame.cols)
        for clause in clauses:
            set_name = clause.set_name.id
            kind = self.r.kind(set_name)
            if kind is None:
                raise self.r.unknown(set_name, clause.set_name.span)
            if kind != "set":
                raise EvalError(f"'{set_name}' is not a set", clause.set_name.span,
                                "loop over a set declared under 'sets:'")
            targets = [t.id for t in clause.targets]
            dim = self.r.arity(set_name)
            if len(targets) != dim:
                raise EvalError(f"the set '{set_name}' has {dim}-tuples but {len(targets)} index name(s) are given",
                                clause.span, f"write ({', '.join('i' + str(d) for d in range(dim))}) in {set_name}"
                                if dim > 1 else f"write i in {set_name}")
            for t in clause.targets:
                if t.id in bound:
                    raise EvalError(f"the index name '{t.id}' is already in use here", t.span,
                                    "choose another name for the inner loop")
                k = self.r.kind(t.id)
                if k is not None:
                    word = {"set": "set", "param": "parameter", "var": "variable", "expr": "expression"}[k]
                    raise EvalError(f"the index name '{t.id}' shadows the {word} '{t.id}'", t.span,
                                    "choose an index name that is not a set, parameter, variable or expression")
            # conditions that do not involve this clause (or later ones) filter the rows first, so a
            # guard such as `t > 1` protects what is joined on below (`q == prev[t]`)
            later = set(targets) | _later_targets(clauses, clause)
            early = [c for c in pending if not (names_in(c) & later)]
            for c in early:
                pending.remove(c)
                if frame.n:
                    idx = np.flatnonzero(self.condition(c, frame))
                    frame = frame.take(idx)
                    parent = parent[idx]
            members = self.r.members(set_name)
            m = len(members[0]) if members else 0
            # a join: a pending conjunct `target == expression of names already bound`
            join = None
            for c in pending:
                if isinstance(c, Compare) and c.op == "==":
                    for side, other in ((c.left, c.right), (c.right, c.left)):
                        if isinstance(side, Name) and side.id in targets and \
                                not (names_in(other) & (set(targets) | _later_targets(clauses, clause))):
                            join = (c, targets.index(side.id), other)
                            break
                if join:
                    break
            if join is not None:
                c, pos, other = join
                pending.remove(c)
                keys = _join_keys(self.evaluate(other, frame), other.span) if frame.n else np.empty(0, dtype=OBJ)
                sel_parent, sel_member = _hash_join(keys, members[pos], lambda k: self._check_rows(
                    k, clause.span, f"'{clause_text(clause)}' (joined)"))
            else:
                self._check_rows(frame.n * m, clause.span,
                                 f"'{clause_text(clause)}' over {frame.n:,} outer binding(s) x {m:,} members")
                sel_parent = np.repeat(np.arange(frame.n), m)
                sel_member = np.tile(np.arange(m), frame.n)
            new = frame.take(sel_parent)
            for pos, (t, arr) in enumerate(zip(targets, members)):  # codes = member positions
                new.cols[t] = arr[sel_member]
                new.src[t] = (set_name, pos, sel_member)
            parent = parent[sel_parent]
            frame = new
            bound.update(targets)
            # apply conjuncts that only use names bound so far
            ready = [c for c in pending if not (names_in(c) & _later_targets(clauses, clause))]
            for c in ready:
                pending.remove(c)
                if frame.n:
                    mask = self.condition(c, frame)
                    idx = np.flatnonzero(mask)
                    frame = frame.take(idx)
                    parent = parent[idx]
        for c in pending:
            if frame.n:
                idx = np.flatnonzero(self.condition(c, frame))
                frame = frame.take(idx)
                parent = parent[idx]
        return frame, parent

    # -- nodes -----------------------------------------------------------------------------
    def _Num(self, node: Num, frame):
        return Const(np.full(frame.n, node.value))

    def _Str(self, node: Str, frame):
        a = np.empty(frame.n, dtype=OBJ)
        a[:] = node.value
        return Member(a)

    def _Tuple(self, node: Tuple, frame):
        return TupleV([self.evaluate(i, frame) for i in node.items])

    def _Name(self, node: Name, frame):
        name = node.id
        if name in frame.cols:
            return Member(frame.cols[name], frame.src.get(name))
        kind = self.r.kind(name)
        if kind is None:
            raise self.r.unknown(name, node.span)
        if kind == "set":
            raise EvalError(f"'{name}' is a set; use it in a for clause or with 'in'", node.span,
                            f"e.g. sum(x[i] for i in {name})")
        if self.r.arity(name) != 0:
            raise EvalError(f"'{name}' is indexed over {self.r.arity(name)} set(s); give its index",
                            node.span, f"write {name}[...] or sum({name}[i] for i in ...)")
        return self.r.lookup(name, [], node.span, frame)

    def _Index(self, node: Index, frame):
        name = node.base.id
        if name in frame.cols:
            raise EvalError(f"'{name}' is an index value and cannot be indexed", node.base.span)
        kind = self.r.kind(name)
        if kind is None:
            raise self.r.unknown(name, node.base.span)
        if kind == "set":
            raise EvalError(f"'{name}' is a set and cannot be indexed", node.base.span)
        key: list[Member] = []
        for a in node.args:
            v = self.evaluate(a, frame)
            if isinstance(v, TupleV):
                key.extend(as_member(i, a.span) for i in v.items)
            else:
                key.append(as_member(v, a.span))
        dim = self.r.arity(name)
        if len(key) != dim:
            what = {"param": "parameter", "var": "variable", "expr": "expression"}[kind]
            raise EvalError(f"the {what} '{name}' takes {dim} index value(s), got {len(key)}", node.span,
                            f"write {name}[{', '.join('i' + str(d) for d in range(dim))}]" if dim
                            else f"write {name} without brackets")
        return self.r.lookup(name, key, node.span, frame)

    def _Sum(self, node: Sum, frame):
        inner, parent = self.bindings(node.clauses, node.condition, frame)
        if inner.n == 0:
            return Const(np.zeros(frame.n))
        v = self.evaluate(node.body, inner)
        if isinstance(v, Lin):
            const = np.bincount(parent, weights=v.const, minlength=frame.n)
            return Lin(parent[v.rows], v.cols, v.coefs, const)
        if isinstance(v, Const):
            return Const(np.bincount(parent, weights=v.a, minlength=frame.n))
        raise EvalError(f"sum(...) adds numbers or expressions, got {describe(v)}", node.body.span)

    def _Call(self, node: Call, frame):
        args = [self.constant(a, frame, f"an argument of {node.func.id}()") for a in node.args]
        f = node.func.id
        if f == "abs":
            if len(args) != 1:
                raise EvalError("abs() takes one argument", node.span)
            return Const(np.abs(args[0]))
        out = args[0]
        for a in args[1:]:
            out = np.minimum(out, a) if f == "min" else np.maximum(out, a)
        return Const(out.astype(np.float64))

    def _Unary(self, node: Unary, frame):
        v = self.evaluate(node.operand, frame)
        if node.op == "not":
            if not isinstance(v, Bool):
                raise EvalError(f"'not' needs a condition, got {describe(v)}", node.operand.span)
            return Bool(~v.a)
        if node.op == "+":
            if isinstance(v, (Const, Lin)):
                return v
            return Const(numbers(v, node.operand.span, "'+'"))
        if isinstance(v, Lin):
            return Lin(v.rows, v.cols, -v.coefs, -v.const)
        return Const(-numbers(v, node.operand.span, "'-'"))

    def _BinOp(self, node: BinOp, frame):
        op = node.op
        if op in ("and", "or"):
            a = self.evaluate(node.left, frame)
            if not isinstance(a, Bool):
                raise EvalError(f"'{op}' needs conditions, got {describe(a)}", node.left.span)
            # the right side is evaluated only where it decides (x[t - 1] guarded by t > 1)
            need = np.flatnonzero(a.a) if op == "and" else np.flatnonzero(~a.a)
            out = a.a.copy()
            if len(need):
                b = self.evaluate(node.right, frame.take(need))
                if not isinstance(b, Bool):
                    raise EvalError(f"'{op}' needs conditions, got {describe(b)}", node.right.span)
                out[need] = b.a
            return Bool(out)
        if op in ("+", "-"):
            return self._sum_chain(node, frame)
        a = self.evaluate(node.left, frame)
        b = self.evaluate(node.right, frame)
        for v, sub in ((a, node.left), (b, node.right)):
            if isinstance(v, (Bool, TupleV)):
                raise EvalError(f"'{op}' needs numbers or expressions, got {describe(v)}", sub.span)
        if not isinstance(a, Lin):
            a = Const(numbers(a, node.left.span, f"'{op}'"))
        if not isinstance(b, Lin):
            b = Const(numbers(b, node.right.span, f"'{op}'"))
        if op in ("+", "-"):
            sign = 1.0 if op == "+" else -1.0
            if isinstance(a, Const) and isinstance(b, Const):
                return Const(a.a + sign * b.a)
            la, lb = as_lin(a, frame.n), as_lin(b, frame.n)
            return Lin(np.concatenate([la.rows, lb.rows]), np.concatenate([la.cols, lb.cols]),
                       np.concatenate([la.coefs, sign * lb.coefs]), la.const + sign * lb.const)
        if op == "*":
            if isinstance(a, Const) and isinstance(b, Const):
                return Const(a.a * b.a)
            if isinstance(a, Lin) and isinstance(b, Lin):
                if a.has_terms() and b.has_terms():
                    raise EvalError("product of two expressions in the variables: the model would not be linear",
                                    node.span, "goal programs here are linear; multiply a variable by a number or parameter")
                if not a.has_terms():
                    return b.scaled(a.const)
                return a.scaled(b.const)
            if isinstance(a, Lin):
                return a.scaled(b.a)
            return b.scaled(a.a)
        # division
        if isinstance(b, Lin):
            if b.has_terms():
                raise EvalError("division by an expression in the variables: the model would not be linear",
                                node.right.span, "divide only by numbers or parameters")
            b = Const(b.const)
        zero = b.a == 0
        if zero.any():
            i = int(np.flatnonzero(zero)[0])
            where = frame.describe(i)
            raise EvalError("division by zero" + (f" (for {where})" if where else ""), node.right.span)
        if isinstance(a, Lin):
            return a.scaled(1.0 / b.a)
        return Const(a.a / b.a)

    def _sum_chain(self, node: BinOp, frame):
        """``a + b - c + ...`` as one flat sum (no recursion over long left-deep chains)."""
        parts = []
        while isinstance(node, BinOp) and node.op in ("+", "-"):
            parts.append((1.0 if node.op == "+" else -1.0, node.right))
            node = node.left
        parts.append((1.0, node))
        parts.reverse()
        consts = []
        lins = []
        for sign, sub in parts:
            v = self.evaluate(sub, frame)
            if isinstance(v, (Bool, TupleV)):
                raise EvalError(f"'+'/'-' need numbers or expressions, got {describe(v)}", sub.span)
            if isinstance(v, Lin):
                lins.append((sign, v))
            else:
                consts.append(sign * numbers(v, sub.span, "'+'/'-'"))
        const = np.zeros(frame.n)
        for c in consts:
            const = const + c
        if not lins:
            return Const(const)
        self._check_terms(sum(len(v.coefs) for _, v in lins), node.span)
        for sign, v in lins:
            const = const + sign * v.const
        return Lin(np.concatenate([v.rows for _, v in lins]), np.concatenate([v.cols for _, v in lins]),
                   np.concatenate([sign * v.coefs for sign, v in lins]), const)

    def _Compare(self, node: Compare, frame):
        if node.op in ("in", "not in"):
            if not isinstance(node.right, Name) or self.r.kind(node.right.id) != "set":
                raise EvalError("'in' tests membership of a set: write i in S with S a set", node.right.span)
            v = self.evaluate(node.left, frame)
            key = [as_member(i, node.left.span) for i in v.items] if isinstance(v, TupleV) else \
                [as_member(v, node.left.span)]
            if len(key) != self.r.arity(node.right.id):
                raise EvalError(f"the set '{node.right.id}' has {self.r.arity(node.right.id)}-tuples", node.span)
            found = self.r.contains(node.right.id, key)
            return Bool(found if node.op == "in" else ~found)
        a = self.evaluate(node.left, frame)
        b = self.evaluate(node.right, frame)
        if isinstance(a, Lin) or isinstance(b, Lin):
            raise EvalError("a constraint (<=, >=, ==) is only allowed at the top of a constraint, "
                            "not inside a condition or an expression", node.span)
        if isinstance(a, (Bool, TupleV)) or isinstance(b, (Bool, TupleV)):
            raise EvalError(f"cannot compare {describe(a)} with {describe(b)}", node.span)
        if isinstance(a, Const) and isinstance(b, Member) or isinstance(a, Member) and isinstance(b, Const):
            # members are compared with numbers as numbers when they are numbers (t > 1)
            x = a.a if isinstance(a, Member) else b.a
            numeric = np.array([isinstance(v, (int, float)) and not isinstance(v, bool) for v in x], dtype=bool)
            if not numeric.all():
                if node.op in ("==", "!="):
                    xa = a.a if isinstance(a, Member) else a.a.astype(OBJ)
                    xb = b.a if isinstance(b, Member) else b.a.astype(OBJ)
                    eq = np.array([p == q for p, q in zip(xa, xb)], dtype=bool)
                    return Bool(eq if node.op == "==" else ~eq)
                bad = x[~numeric][0]
                raise EvalError(f"cannot compare the set member {clip(repr(bad))} with a number", node.span)
        av, bv = a.a, b.a
        try:
            with np.errstate(invalid="ignore"):
                res = {"<": np.less, ">": np.greater, "<=": np.less_equal, ">=": np.greater_equal,
                       "==": np.equal, "!=": np.not_equal}[node.op](av, bv)
        except TypeError:
            raise EvalError(f"cannot compare {describe(a)} values of different kinds (text and numbers)",
                            node.span) from None
        return Bool(np.asarray(res, dtype=bool))


def _join_keys(v, span) -> np.ndarray:
    """Values to look up in a join: members, or numbers (a number that is no whole number matches
    nothing, as ``q == t / 2`` would be false)."""
    if isinstance(v, Member):
        return v.a
    if isinstance(v, Const):
        a = v.a
        out = np.empty(len(a), dtype=OBJ)
        out[:] = [int(x) if np.isfinite(x) and x == int(x) else _NO_MATCH for x in a]
        return out
    raise EvalError(f"cannot compare a set member with {describe(v)}", span)


class _NoMatch:
    pass


_NO_MATCH = _NoMatch()


def clause_text(clause) -> str:
    """``for i in I`` of a clause, for messages."""
    targets = ", ".join(t.id for t in clause.targets)
    return f"for {targets} in {clause.set_name.id}"


def _later_targets(clauses, clause) -> set:
    out = set()
    seen = False
    for c in clauses:
        if seen:
            out.update(t.id for t in c.targets)
        if c is clause:
            seen = True
    return out


def _hash_join(keys: np.ndarray, column: np.ndarray, check=None) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i, j) with ``keys[i] == column[j]``: row indices into keys, member indices into column.
    ``check(count)`` may refuse the number of pairs before they are made."""
    codes: dict = {}
    mcode = np.fromiter((codes.setdefault(_norm(v), len(codes)) for v in column), dtype=np.int64, count=len(column))
    kcode = np.fromiter((codes.get(_norm(v), -1) for v in keys), dtype=np.int64, count=len(keys))
    ncode = len(codes)
    order = np.argsort(mcode, kind="stable")
    counts = np.bincount(mcode, minlength=ncode)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    valid = kcode >= 0
    rep = np.where(valid, counts[np.where(valid, kcode, 0)], 0)
    total = int(rep.sum())
    if check is not None:
        check(total)
    rows = np.repeat(np.arange(len(keys)), rep)
    offs = np.arange(total) - np.repeat(np.cumsum(rep) - rep, rep)
    members = order[np.repeat(np.where(valid, starts[np.where(valid, kcode, 0)], 0), rep) + offs]
    return rows, members


def _norm(v):
    """Hashable key under which 3 and 3.0 meet."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


