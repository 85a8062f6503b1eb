"""Compile a validated problem (spec + bound data) into a :class:`~goalprog.model.ir.LinearModel`.

What happens here:

1. decision variables are laid out over their index sets as blocks of columns (row-major in set
   order, so ``make[p, t]`` is ``start + code(p) * |T| + code(t)``);
2. every item (named expression, hard constraint, goal, objective) is evaluated *once for all its
   instances*: its ``for:``/``where:`` header becomes a table of bindings and the expression is
   evaluated on the whole table at once (:mod:`goalprog.model.expr.vector`), so the cost grows with the
   number of terms, not with Python work per term;
3. every hard constraint instance becomes a row (``lo <= expr <= hi`` chains become one ranged row);
4. every goal instance becomes a goal row ``lo - c <= a.x + n - p <= hi - c`` with a deviation
   column for each *unwanted* deviation only (``n`` for at_least, ``p`` for at_most, both for
   equal/between), each with its own priority and weight;
5. plain objectives become :class:`~goalprog.model.ir.ObjectiveTerm` objects.

The constant ``c`` of a goal expression moves to the target (``2x + 3y - 5 >= 10`` is the row
``2x + 3y + n >= 15``) while the reported value of the goal still includes it.

All problems found (unknown names with did-you-mean, non-linear terms, wrong arity, indices
outside their set, bad targets) are collected and raised once as an
:class:`~goalprog.core.errors.ExpressionError`.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np

from ..core.errors import ExpressionError, Issue, IssueCollector, SizeLimitError, clip, did_you_mean
from .expr import ast as A
from .expr.parser import parse, parse_for
from .expr.vector import (EMPTY_F, EvalError, EMPTY_I, OBJ, Const, EvalSizeError, Frame, Lin, VectorEvaluator, as_lin,
                          fold)
from ..core.limits import Limits, default_limits, product_text
from .ir import (KINDS, ROLE_DECISION, ROLE_OVER, ROLE_UNDER, ExpressionTable, GoalTable, LinearModel, ObjectiveTerm,
                 Origin, Origins, PiecewisePenalty, SparseVector, frozen_array, _plain, index_columns)
from ..spec.data import DataModel, index_names
from ..spec.loader import Document
from ..spec.schema import ConstraintSpec, ExpressionSpec, GoalSpec, ProblemSpec, VariableSpec

INF = math.inf
DENSE_LIMIT = 20_000_000  # parameters over index products up to this size are stored densely
HUGE = 1e20  # HiGHS (and most solvers) read numbers this large as infinite
TINY = 1e-300  # the smallest positive scale or weight (reciprocals of smaller ones overflow or nearly)

_NUMBER_FIELDS = {"at_least", "at_most", "equal", "weight", "lower", "upper", "priority", "scale", 0, 1, "value"}


class _ItemFailed(Exception):
    """Internal: the current item has reported an issue; stop expanding it."""


class _TooLarge(Exception):
    """Internal: the model exceeds the size limit; stop compiling (the issue is recorded)."""


@dataclass
class _Var:
    name: str
    index: tuple[str, ...]
    start: int = 0
    count: int = 0
    failed: bool = False


@dataclass
class _Expr:
    name: str
    clauses: list
    condition: object
    node: object
    targets: tuple[str, ...]
    path: tuple
    state: str = "new"        # new | evaluating | done | failed
    frame: Frame | None = None
    value: object = None       # Lin over frame rows
    keymap: dict = field(default_factory=dict)
    order: np.ndarray | None = None
    ptr: np.ndarray | None = None


def _key_str(key: tuple) -> str:
    return repr(key[0]) if len(key) == 1 else repr(key)


class Compiler:
    """Turns one (spec, document, data) triple into a LinearModel; use :func:`compile_problem`."""

    def __init__(self, spec: ProblemSpec, doc: Document, data: DataModel, limits: Limits | None = None):
        self.spec = spec
        self.doc = doc
        self.data = data
        self.limits = limits or default_limits()
        self.issues = IssueCollector(ExpressionError)
        self.ev = VectorEvaluator(self, self.limits)
        self.size_issue: Issue | None = None  # set when the model exceeds the size limit
        self.nnz = 0  # running count of nonzeros in the rows built so far
        self._item_path: tuple = ()  # the item being built (where a size issue is reported)
        self._parsed: dict = {}  # expression text -> syntax tree (the size estimate parses first)
        # column blocks
        self.n_cols = 0
        self.col_blocks: list[tuple[np.ndarray, np.ndarray, bool, int]] = []  # lower, upper, integer, role
        self.col_origin = Origins()
        # row blocks (CSR pieces)
        self.n_rows = 0
        self.row_blocks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self.row_origin = Origins()
        self.vars: dict[str, _Var] = {}
        self.exprs: dict[str, _Expr] = {}
        self.kinds: dict[str, str] = {}
        self.index_names: dict = {}
        self.failed_exprs: set = set()
        self.failed_params: set = set()
        self._members: dict = {}
        self._codes: dict = {}
        self._dense: dict = {}
        self._stack: list[str] = []  # named expressions being evaluated (for cycle messages)
        self.n_goals = 0
        self.penalties: list = []

    # -- Resolver protocol (for the vector evaluator) -------------------------------------------
    def kind(self, name: str):
        return self.kinds.get(name)

    def _width(self, sets: tuple[str, ...]) -> int:
        # an unknown set (already reported) counts as one position
        return sum(self.data.sets[s].arity if s in self.data.sets else 1 for s in sets)

    def arity(self, name: str) -> int:
        k = self.kinds[name]
        if k == "set":
            return self.data.sets[name].arity
        if k == "param":
            return self._width(self.data.params[name].index)
        if k == "var":
            return self._width(self.vars[name].index)
        return len(self.exprs[name].targets)

    def members(self, name: str) -> list[np.ndarray]:
        if name not in self._members:
            sd = self.data.sets[name]
            cols = []
            for k in range(sd.arity):
                a = np.empty(len(sd.members), dtype=OBJ)
                a[:] = [m[k] for m in sd.members]
                cols.append(a)
            if not cols:
                cols = [np.empty(0, dtype=OBJ)]
            self._members[name] = cols
        return self._members[name]

    def _set_codes(self, set_name: str, parts: list) -> np.ndarray:
        """Position of each key (one :class:`Member` or array per tuple part) in the set, -1 when
        not a member.  Keys that are loop names over this very set carry their codes already."""
        sd = self.data.sets[set_name]
        srcs = [getattr(p, "src", None) for p in parts]
        if all(s is not None and s[0] == set_name and s[1] == k for k, s in enumerate(srcs)) and \
                all(np.array_equal(srcs[0][2], s[2]) for s in srcs[1:]):
            return srcs[0][2]
        parts = [getattr(p, "a", p) for p in parts]
        if set_name not in self._codes:
            if sd.arity == 1:
                self._codes[set_name] = {m[0]: i for i, m in enumerate(sd.members)}
            else:
                self._codes[set_name] = {m: i for i, m in enumerate(sd.members)}
        table = self._codes[set_name]
        n = len(parts[0]) if parts else 0
        # members are str/int and computed indices are made int, so plain dict lookups suffice
        if sd.arity == 1:
            return np.fromiter(map(table.get, parts[0], itertools.repeat(-1, n)), dtype=np.int64, count=n)
        return np.fromiter((table.get(t, -1) for t in zip(*parts)), dtype=np.int64, count=n)

    def _flat_codes(self, name: str, sets: tuple[str, ...], key: list[np.ndarray], span) -> np.ndarray:
        """Row-major position of each key over the product of ``sets``; reports the first miss."""
        pos = 0
        n = len(getattr(key[0], "a", key[0])) if key else 1
        flat = np.zeros(n, dtype=np.int64)
        for s in sets:
            sd = self.data.sets[s]
            parts = key[pos:pos + sd.arity]
            pos += sd.arity
            codes = self._set_codes(s, parts)
            bad = np.flatnonzero(codes < 0)
            if len(bad):
                i = int(bad[0])
                vals = [getattr(p, "a", p) for p in parts]
                shown = vals[0][i] if sd.arity == 1 else tuple(v[i] for v in vals)
                members = [m[0] if len(m) == 1 else m for m in sd.members]
                hint = did_you_mean(shown, members) if isinstance(shown, str) else None
                raise EvalError(f"{clip(repr(shown))} is not a member of the set '{s}' (index of '{name}')", span,
                                hint or f"'{s}' has {len(members)} members")
            flat = flat * len(sd.members) + codes
        return flat

    def _param_dense(self, name: str) -> np.ndarray | None:
        """The parameter as a flat array over its index product (NaN where it has no value)."""
        if name in self._dense:
            return self._dense[name]
        p = self.data.params[name]
        sizes = [len(self.data.sets[s].members) for s in p.index]
        total = int(np.prod(sizes)) if sizes else 1
        if total > DENSE_LIMIT:
            self._dense[name] = None
            return None
        arr = np.full(total, np.nan if p.default is None else p.default, dtype=np.float64)
        if p.values:
            keys = list(p.values.keys())
            cols = []
            for k in range(len(keys[0])):
                a = np.empty(len(keys), dtype=OBJ)
                a[:] = [key[k] for key in keys]
                cols.append(a)
            flat = self._flat_codes(name, p.index, cols, (0, 0))
            arr[flat] = np.fromiter(p.values.values(), dtype=np.float64, count=len(keys))
        self._dense[name] = arr
        return arr

    def lookup(self, name: str, key: list[np.ndarray], span, frame: Frame):
        kind = self.kinds[name]
        n = frame.n
        if kind == "param":
            p = self.data.params[name]
            if not p.index:
                v = p.values.get(())
                if v is None:
                    if name in self.failed_params:
                        raise _ItemFailed()  # its own error is reported where it is defined
                    raise EvalError(f"the parameter '{name}' has no value yet: a computed parameter may only use "
                                    "parameters declared above it (and not itself)", span,
                                    f"move '{name}' above the parameter that uses it")
                return Const(np.full(n, v))
            dense = self._param_dense(name)
            if dense is not None:
                vals = dense[self._flat_codes(name, p.index, key, span)]
            else:
                self._flat_codes(name, p.index, key, span)  # membership errors first
                raw = [k.a for k in key]
                got = (p.get(tuple(_norm(v) for v in t)) for t in zip(*raw))
                vals = np.fromiter((np.nan if v is None else v for v in got), dtype=np.float64, count=n)
            missing = np.flatnonzero(np.isnan(vals))
            if len(missing):
                i = int(missing[0])
                raise EvalError(f"the parameter '{name}' has no value for {_key_str(tuple(_plain(k.a[i]) for k in key))}",
                                span, "give the value, or a 'default:' for the parameter")
            return Const(vals)
        if kind == "var":
            v = self.vars[name]
            if v.failed:
                raise _ItemFailed()  # its own error is reported once, where it is declared
            cols = v.start + (self._flat_codes(name, v.index, key, span) if v.index else np.zeros(n, dtype=np.int64))
            return Lin(np.arange(n, dtype=np.int64), cols, np.ones(n), np.zeros(n))
        return self._expr_lookup(name, key, span, n)

    def _expr_lookup(self, name: str, key: list[np.ndarray], span, n: int):
        e = self.exprs[name]
        self._evaluate_expr(e, span)
        if e.targets:
            raw = [k.a for k in key]
            idx = np.fromiter((e.keymap.get(tuple(_norm(v) for v in t), -1) for t in zip(*raw)),
                              dtype=np.int64, count=n)
            bad = np.flatnonzero(idx < 0)
            if len(bad):
                i = int(bad[0])
                raise EvalError(f"the expression '{name}' is not defined for "
                                f"{_key_str(tuple(_plain(k[i]) for k in raw))}", span,
                                "check its 'for:' sets and condition")
        else:
            idx = np.zeros(n, dtype=np.int64)
        lin = e.value
        counts = e.ptr[idx + 1] - e.ptr[idx]
        total = int(counts.sum())
        self.ev._check_terms(total, span)
        rows = np.repeat(np.arange(n, dtype=np.int64), counts)
        offs = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        pos = e.order[np.repeat(e.ptr[idx], counts) + offs]
        return Lin(rows, lin.cols[pos], lin.coefs[pos], lin.const[idx])

    def _evaluate_expr(self, e: _Expr, span) -> None:
        if e.state == "done":
            return
        if e.state == "failed":
            raise _ItemFailed()
        if e.state == "evaluating":
            cycle = self._stack[self._stack.index(e.name):] + [e.name]
            if len(cycle) == 2:
                raise EvalError(f"the expression '{e.name}' refers to itself", span,
                                "named expressions must not depend on themselves")
            raise EvalError(f"the expressions {' -> '.join(cycle)} refer to each other in a cycle", span,
                            "named expressions must not depend on themselves, directly or through others")
        e.state = "evaluating"
        self._stack.append(e.name)
        try:
            frame, _ = self.ev.bindings(e.clauses, e.condition) if e.clauses else (Frame.unit(), None)
            value = self.ev.evaluate(e.node, frame)
            if not isinstance(value, (Lin, Const)):
                raise EvalError("a named expression must be a number or a linear expression", e.node.span)
        except EvalError as exc:
            e.state = "failed"
            self.failed_exprs.add(e.name)
            self._report(exc, e.path)
            raise _ItemFailed() from None
        except _ItemFailed:
            e.state = "failed"
            self.failed_exprs.add(e.name)
            raise
        finally:
            self._stack.pop()
        lin = as_lin(value, frame.n)
        e.frame = frame
        e.value = lin
        if e.targets:
            cols = [frame.cols[t] for t in e.targets]
            e.keymap = {tuple(_norm(v) for v in t): i for i, t in enumerate(zip(*cols))}
        e.order = np.argsort(lin.rows, kind="stable")
        e.ptr = np.zeros(frame.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(lin.rows, minlength=frame.n), out=e.ptr[1:])
        e.state = "done"

    def contains(self, name: str, key: list[np.ndarray]) -> np.ndarray:
        return self._set_codes(name, key) >= 0

    def unknown(self, name: str, span) -> EvalError:
        if name in self.failed_exprs:
            raise _ItemFailed()  # its own error is reported once, where it is defined
        hint = self._member_hint(name) or did_you_mean(name, list(self.kinds)) or \
            "declare it under variables:, expressions:, params: or sets:"
        return EvalError(f"unknown name '{clip(name)}'", span, hint)

    def _member_hint(self, name: str) -> str | None:
        """If ``name`` is a member of a set (``D4`` in ``x[D4]``), say that members are quoted."""
        owners = [s for s, sd in self.data.sets.items() if sd.arity == 1 and (name,) in sd]
        if not owners:
            return None
        return (f"'{name}' is a member of the set {', '.join(owners)}; a member written in an expression is quoted: "
                f"'{name}' (or \"{name}\"), otherwise it is read as a name")

    # -- reporting and parsing -----------------------------------------------------------------
    def _report(self, exc: EvalError, path: tuple, text: str | None = None) -> None:
        if text is None:
            text = _text_at(self.doc.data, path)
        loc = self.doc.locate(path, exc.span[0]) if isinstance(text, str) else self.doc.location(path)
        issue = Issue(exc.message, loc, exc.hint, text if isinstance(text, str) else None,
                      exc.span if isinstance(text, str) else None)
        if isinstance(exc, EvalSizeError):
            self.size_issue = issue
            raise _TooLarge()
        self.issues.issues.append(issue)

    def _relocated(self, exc: ExpressionError, path) -> None:
        for issue in exc.issues:
            loc = self.doc.locate(path, issue.span[0]) if issue.span else self.doc.location(path)
            self.issues.issues.append(Issue(issue.message, loc, issue.hint, issue.source, issue.span))

    def _parse(self, text, path, bound: frozenset | None = None):
        """Parse a field; with ``bound`` (the loop names in scope) also report every unknown name
        in it at once.  Returns the tree, or ``None`` after reporting."""
        try:
            node = self._parsed.get(text) if isinstance(text, str) else None
            if node is None:
                node = parse(text, self.doc.location(path))
        except ExpressionError as exc:
            self._relocated(exc, path)
            return None
        if bound is not None:
            unknown: list = []
            self._unknown_names(node, bound, unknown)
            if unknown:
                for name, span in unknown:
                    hint = self._member_hint(name) or did_you_mean(name, list(self.kinds) + sorted(bound)) or \
                        "declare it under variables:, expressions:, params: or sets:"
                    if path and path[-1] in _NUMBER_FIELDS and span == (0, len(text.strip())) and text.strip() == text:
                        near = did_you_mean(name, list(self.kinds) + sorted(bound))
                        hint = (f"{path[-1]} takes a number (e.g. 150000 or 1.5e5) or an expression over parameters; "
                                f"'{name}' is neither" + (f" ({near})" if near else ""))
                    self._report(EvalError(f"unknown name '{clip(name)}'", span, hint), path, text)
                return None
        return node

    def _unknown_names(self, node, bound, out) -> None:
        """Collect unknown names in ``node`` (iteratively: expressions may have thousands of terms)."""
        stack = [(node, bound)]
        while stack:
            node, bound = stack.pop()
            if isinstance(node, A.Name):
                if node.id not in bound and node.id not in self.kinds and node.id not in self.failed_exprs \
                        and node.id not in self.failed_params:
                    out.append((node.id, node.span))
            elif isinstance(node, A.Index):
                stack.append((node.base, bound))
                stack.extend((a, bound) for a in node.args)
            elif isinstance(node, A.Sum):
                inner = set(bound)
                for c in node.clauses:
                    stack.append((c.set_name, bound))
                    inner.update(t.id for t in c.targets)
                stack.append((node.body, frozenset(inner)))
                if node.condition is not None:
                    stack.append((node.condition, frozenset(inner)))
            elif isinstance(node, A.Call):
                stack.extend((a, bound) for a in node.args)
            elif isinstance(node, A.Unary):
                stack.append((node.operand, bound))
            elif isinstance(node, (A.BinOp, A.Compare)):
                stack.append((node.right, bound))
                stack.append((node.left, bound))
            elif isinstance(node, A.Tuple):
                stack.extend((a, bound) for a in node.items)
        out.sort(key=lambda t: t[1][0])

    def _loop_names(self, for_text, path=None) -> frozenset:
        """Index names a ``for:`` header binds.  With ``path`` (the item's), a header that does not
        parse is reported there and the item fails, before its fields are checked against it."""
        if for_text is None:
            return frozenset()
        try:
            clauses, _ = parse_for(for_text)
        except ExpressionError as exc:
            if path is not None:
                self._relocated(exc, path + ("for",))
                raise _ItemFailed() from None
            return frozenset()
        return frozenset(t.id for c in clauses for t in c.targets)

    def _parse_for(self, text, path):
        try:
            return parse_for(text, self.doc.location(path))
        except ExpressionError as exc:
            self._relocated(exc, path)
            return None

    def _field(self, value, path, bound: frozenset = frozenset()):
        """A constant field: a number (float/int), or text parsed into a tree, or ``None``."""
        if value is None or isinstance(value, (float, int)):
            return value
        return self._parse(value, path, bound)

    def _consts(self, f, frame: Frame, path, what) -> np.ndarray:
        """A constant field evaluated for every row of ``frame``."""
        if isinstance(f, (float, int)):
            return np.full(frame.n, float(f))
        try:
            a = self.ev.constant(f, frame, what)
        except EvalError as exc:
            self._report(exc, path)
            raise _ItemFailed() from None
        return np.broadcast_to(np.asarray(a, dtype=np.float64), (frame.n,))

    def _frame(self, for_text, where_text, path, item=None) -> tuple[Frame, tuple[str, ...]]:
        """The bindings of an item's ``for:`` header and ``where:`` filter, and its index names.

        ``item`` = ``(kind, name)`` records the item's index column names in ``index_names``.
        """
        if for_text is None:
            if where_text is not None:
                self.issues.add("'where' filters the instances of a 'for:' header, and there is none",
                                self.doc.location(path + ("where",)), hint="add for: i in S, or remove where")
                raise _ItemFailed()
            return Frame.unit(), ()
        header = self._parse_for(for_text, path + ("for",))
        if header is None:
            raise _ItemFailed()
        clauses, cond = header
        targets = tuple(t.id for c in clauses for t in c.targets)
        if item is not None:
            self.index_names[item] = _clause_columns(clauses)
        where = None
        if where_text is not None:
            where = self._parse(where_text, path + ("where",), frozenset(targets))
            if where is None:
                raise _ItemFailed()
        try:
            frame, _ = self.ev.bindings(clauses, cond)
        except EvalError as exc:
            self._report(exc, path + ("for",))
            raise _ItemFailed() from None
        if where is not None and frame.n:
            try:
                frame = frame.take(np.flatnonzero(self.ev.condition(where, frame)))
            except EvalError as exc:
                self._report(exc, path + ("where",))
                raise _ItemFailed() from None
        frame.cols = {t: frame.cols[t] for t in targets}  # keep index order
        return frame, targets

    def _eval_linear(self, node, frame: Frame, path) -> Lin:
        try:
            lin = self.ev.linear(node, frame)
            _check_finite(lin, frame, node.span)
            return lin
        except EvalError as exc:
            self._report(exc, path)
            raise _ItemFailed() from None

    # -- blocks --------------------------------------------------------------------------------
    def _too_large(self, message: str, path, hint: str) -> None:
        """Record the size issue at ``path`` and stop compiling."""
        self.size_issue = Issue(message, self.doc.location(path) if path else self.doc.location(()), hint)
        raise _TooLarge()

    def _add_cols(self, lower: np.ndarray, upper: np.ndarray, integer: bool, role: int, name: str,
                  keys: list) -> int:
        start = self.n_cols
        count = len(lower)
        if start + count > self.limits.max_nonzeros:
            self._too_large(f"the model has more than {self.limits.max_nonzeros:,} columns (variables and deviations) "
                            f"with '{name}'", self._item_path, self.limits.nonzero_hint())
        self.col_blocks.append((np.asarray(lower, dtype=np.float64), np.asarray(upper, dtype=np.float64),
                                integer, role))
        self.col_origin.add(name, keys, count)
        self.n_cols += count
        return start

    def _add_rows(self, indptr, cols, coefs, lower, upper, name: str, keys: list) -> int:
        start = self.n_rows
        count = len(lower)
        self.nnz += len(cols)
        if self.nnz > self.limits.max_nonzeros or start + count > self.limits.max_nonzeros:
            self._too_large(f"the model has more than {self.limits.max_nonzeros:,} nonzeros (or rows) with '{name}': "
                            f"{self.nnz:,} nonzeros in {start + count:,} rows so far", self._item_path,
                            self.limits.nonzero_hint())
        self.row_blocks.append((np.asarray(indptr, dtype=np.int64), np.asarray(cols, dtype=np.int64),
                                np.asarray(coefs, dtype=np.float64), np.asarray(lower, dtype=np.float64),
                                np.asarray(upper, dtype=np.float64)))
        self.row_origin.add(name, keys, count)
        self.n_rows += count
        return start

    # -- phases --------------------------------------------------------------------------------
    def declare_names(self) -> None:
        spec = self.spec
        for section, names, kind in (("sets", spec.sets, "set"), ("params", spec.params, "param"),
                                     ("variables", spec.variables, "var"), ("expressions", spec.expressions, "expr")):
            for name in names:
                if name in self.kinds:
                    other = {"set": "sets", "param": "params", "var": "variables", "expr": "expressions"}[self.kinds[name]]
                    self.issues.add(f"the name '{name}' is already used under '{other}'",
                                    self.doc.location((section, name), key=True),
                                    hint="names of sets, parameters, variables and expressions must be distinct")
                    continue
                self.kinds[name] = kind

    def derive_params(self) -> None:
        """Scalar parameters given as expressions (``n: {value: "sum(1 for t in periods)"}``),
        evaluated in declaration order."""
        for name, p in self.data.params.items():
            if p.expr is None:
                continue
            path = ("params", name, "value")
            node = self._parse(p.expr, path, frozenset())
            if node is None:
                self.failed_params.add(name)
                continue
            uses = _decision_names(node, self.kinds)
            if uses:
                used, span = uses[0]
                what = "variable" if self.kinds[used] == "var" else "named expression"
                self.failed_params.add(name)
                self._report(EvalError(f"a parameter's value is a number or an expression over parameters; "
                                       f"'{clip(used)}' is a {what}", span,
                                       "a parameter is data, fixed before the decisions: for a quantity that depends "
                                       "on the variables, declare a named expression under 'expressions:'"), path)
                continue
            try:
                v = float(self.ev.constant(node, Frame.unit(), "a parameter value")[0])
                if not np.isfinite(v):
                    raise EvalError(f"the parameter's value is {v} (not a finite number)", node.span)
                p.values[()] = v
            except EvalError as exc:
                self.failed_params.add(name)
                self._report(exc, path)
            except _ItemFailed:
                self.failed_params.add(name)

    def build_variables(self) -> None:
        for name, vs in self.spec.variables.items():
            vs = vs or VariableSpec()
            path = ("variables", name)
            index = index_names(vs.index)
            var = _Var(name, index)
            self.vars[name] = var
            bad = [s for s in index if s not in self.data.sets]
            for s in bad:
                self.issues.add(f"unknown set '{s}' in the index of variable '{name}'", self.doc.location(path + ("index",)),
                                hint=did_you_mean(s, self.data.sets) or "declare it under 'sets:'")
            if bad:
                var.failed = True
                continue
            if index:
                self.index_names[("variable", name)] = index_columns(
                    [(s, s if self.data.sets[s].arity == 1 else f"{s}_{k + 1}")
                     for s in index for k in range(self.data.sets[s].arity)])
            sizes = [len(self.data.sets[s].members) for s in index]
            count = math.prod(sizes) if index else 1  # Python ints: no overflow
            self._item_path = path
            if count > self.limits.max_instances:
                self._too_large(f"the variable '{name}' has {count:,} instances ({product_text(zip(index, sizes))}), "
                                f"more than the limit of {self.limits.max_instances:,} instances", path + ("index",),
                                self.limits.instance_hint())
            try:
                lower = self._bound(vs.lower, -INF, var, count, path + ("lower",))
                upper = self._bound(vs.upper, INF, var, count, path + ("upper",))
            except _ItemFailed:
                lower = upper = None
            if lower is None or upper is None:
                var.failed = True
                continue
            for arr, f in ((lower, "lower"), (upper, "upper")):
                huge = np.isfinite(arr) & (np.abs(arr) >= HUGE)
                if huge.any():
                    self.issues.add(f"the {f} bound {arr[huge][0]:g} is too large: solvers treat {HUGE:g} and more as "
                                    "infinite", self.doc.location(path + (f,)),
                                    hint="rescale the units, or leave the bound out for 'no bound'")
                    lower = None
                    break
                if np.isnan(arr).any() or (f == "lower" and (arr == INF).any()) or (f == "upper" and (arr == -INF).any()):
                    bad_v = arr[np.isnan(arr) | np.isinf(arr)][0]
                    self.issues.add(f"the {f} bound is {bad_v}, not a usable number", self.doc.location(path + (f,)),
                                    hint=f"give a number, or leave '{f}' out" + (" (default 0)" if f == "lower" else
                                                                               " (no upper bound)"))
                    lower = None
                    break
            if lower is None:
                var.failed = True
                continue
            if vs.type == "binary":
                lower = np.maximum(lower, 0.0)
                upper = np.minimum(upper, 1.0)
            if vs.type in ("integer", "binary"):
                no_int = np.flatnonzero(np.ceil(lower - 1e-9) > np.floor(upper + 1e-9))
                if len(no_int) and not (lower > upper)[no_int[0]]:
                    k = int(no_int[0])
                    self.issues.add(f"there is no whole number between the bounds {lower[k]:g} and {upper[k]:g} of "
                                    f"this {vs.type} variable", self.doc.location(path),
                                    hint="widen the bounds or make the variable continuous")
                    var.failed = True
                    continue
            bad_b = np.flatnonzero(lower > upper)
            if len(bad_b):
                k = int(bad_b[0])
                key = self._var_keys(index, sizes, np.array([k]))
                label = tuple(_plain(a[0]) for a in key)
                self.issues.add(f"lower bound {lower[k]:g} is above upper bound {upper[k]:g}"
                                + (f" for {_key_str(label)}" if label else ""), self.doc.location(path),
                                hint="swap the bounds or fix the data")
                var.failed = True
                continue
            keys = self._var_keys(index, sizes, np.arange(count)) if index else []
            var.start = self._add_cols(lower, upper, vs.type in ("integer", "binary"), ROLE_DECISION, name, keys)
            var.count = count

    def _var_keys(self, index, sizes, flat: np.ndarray) -> list[np.ndarray]:
        """Index values (one object array per position) of the given row-major positions."""
        if 0 in sizes:  # a variable over an empty set has no columns
            return [np.empty(0, dtype=OBJ) for s in index for _ in self.members(s)]
        keys = []
        stride = int(np.prod(sizes)) if sizes else 1
        for s, size in zip(index, sizes):
            stride //= size
            codes = (flat // stride) % size
            for part in self.members(s):
                keys.append(part[codes])
        return keys

    def _bound(self, value, none_value, var: _Var, count: int, path):
        if value is None:
            return np.full(count, none_value)
        if isinstance(value, (float, int)):
            return np.full(count, float(value))
        stripped = value.strip()
        index = var.index
        if index and stripped in self.data.params and self.data.params[stripped].index == index:
            dense = self._param_dense(stripped)
            if dense is None:  # pragma: no cover - beyond DENSE_LIMIT
                self.issues.add(f"the parameter '{stripped}' is too large to serve as a bound", self.doc.location(path))
                return None
            missing = np.flatnonzero(np.isnan(dense))
            if len(missing):
                sizes = [len(self.data.sets[s].members) for s in index]
                key = tuple(_plain(a[0]) for a in self._var_keys(index, sizes, missing[:1]))
                self.issues.add(f"the parameter '{stripped}' has no value for {_key_str(key)}", self.doc.location(path),
                                hint="give a value or a default for the parameter")
                return None
            return dense.copy()
        node = self._parse(value, path, frozenset())
        if node is None:
            return None
        uses = sorted(n for n in A.names_in(node) if self.kinds.get(n) in ("var", "expr"))
        if uses:
            what = "variable" if self.kinds[uses[0]] == "var" else "named expression"
            self.issues.add(f"a bound is a number or an expression over parameters; '{uses[0]}' is a {what}",
                            self.doc.location(path),
                            hint="write the relation as a constraint instead, e.g. x >= cost")
            return None
        try:
            v = float(self.ev.constant(node, Frame.unit(), "a bound")[0])
        except EvalError as exc:
            hint = exc.hint
            if index:
                hint = (f"an indexed bound must be a parameter over the same sets ({', '.join(index)}), "
                        "written by its bare name, e.g. upper: capacity")
            self._report(EvalError(exc.message, exc.span, hint), path)
            return None
        return np.full(count, v)

    def declare_expressions(self) -> None:
        for name, es in self.spec.expressions.items():
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
                header = self._parse_for(es.for_, path + ("for",))
                if header is None:
                    header_ok = False
                else:
                    clauses, cond = header
                    targets = tuple(t.id for c in clauses for t in c.targets)
                    self.index_names[("expression", name)] = _clause_columns(clauses)
            if header_ok:
                node = self._parse(es.expr, expr_path, frozenset(targets))
            if node is None:
                self.kinds.pop(name, None)
                self.failed_exprs.add(name)
                continue
            self.exprs[name] = _Expr(name, clauses, cond, node, targets, expr_path)

    def build_constraints(self) -> None:
        for name, cs in self.spec.constraints.items():
            path = ("constraints", name)
            self._item_path = path
            if isinstance(cs, str):
                cs = ConstraintSpec(expr=cs)
                expr_path = path
            else:
                expr_path = path + ("expr",)
            try:
                node = self._parse(cs.expr, expr_path, self._loop_names(cs.for_, path))
                if node is None:
                    continue
                if not isinstance(node, A.Compare) or node.op not in ("<=", ">=", "=="):
                    self._report(EvalError("a constraint needs a comparison: lhs <= rhs, lhs >= rhs or lhs == rhs",
                                           node.span, "e.g. 5*pants + shirts <= 50000"), expr_path)
                    continue
                frame, targets = self._frame(cs.for_, cs.where, path, ("constraint", name))
                if frame.n:
                    self._constraint_rows(name, node, frame, targets, expr_path)
            except _ItemFailed:
                continue

    def _constraint_rows(self, name, node: A.Compare, frame: Frame, targets, path) -> None:
        ev = self.ev
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
                _check_finite(e, frame, mid.span)
                lower, upper, lin = lo - e.const, hi - e.const, e
            else:
                if isinstance(inner, A.Compare):
                    raise EvalError("a chained comparison must be a range: lo <= expr <= hi", node.span)
                lhs = ev.linear(node.left, frame)
                rhs = ev.linear(node.right, frame)
                _check_finite(lhs, frame, node.left.span)
                _check_finite(rhs, frame, node.right.span)
                lin = Lin(np.concatenate([lhs.rows, rhs.rows]), np.concatenate([lhs.cols, rhs.cols]),
                          np.concatenate([lhs.coefs, -rhs.coefs]), lhs.const - rhs.const)
                b = -lin.const
                lower = {"<=": np.full(n, -INF), ">=": b, "==": b}[node.op]
                upper = {"<=": b, ">=": np.full(n, INF), "==": b}[node.op]
        except EvalError as exc:
            self._report(exc, path)
            raise _ItemFailed() from None
        indptr, cols, coefs = fold(lin, self.n_cols)
        has = np.diff(indptr) > 0
        if not has.all():
            # rows without variables: true ones are dropped, false ones are errors
            empty = np.flatnonzero(~has)
            ok = (lower[empty] <= 1e-9) & (upper[empty] >= -1e-9)
            if not ok.all():
                i = int(empty[np.flatnonzero(~ok)[0]])
                where = frame.describe(i)
                self._report(EvalError("this constraint has no variables and is always false"
                                       + (f" for {where}" if where else ""), node.span,
                                       "check the data, or remove the constraint"), path)
                raise _ItemFailed()
            keep = np.flatnonzero(has)
            indptr, cols, coefs = _subset(indptr, cols, coefs, keep)
            lower, upper = lower[keep], upper[keep]
            frame = frame.take(keep)
        keys = [frame.cols[t] for t in targets]
        self._add_rows(indptr, cols, coefs, lower, upper, name, keys)

    def build_goals(self):
        goal_rows: list[dict] = []
        objectives: list[ObjectiveTerm] = []
        for name, gs in self.spec.goals.items():
            path = ("goals", name)
            self._item_path = path
            try:
                if gs.kind in ("maximize", "minimize"):
                    self._objective(name, gs, path, objectives)
                else:
                    self._goal(name, gs, path, goal_rows)
            except _ItemFailed:
                continue
        return goal_rows, objectives

    def _objective(self, name: str, gs: GoalSpec, path, objectives) -> None:
        kind = gs.kind
        expr_path = path + (kind,)
        bound = self._loop_names(gs.for_, path)
        node = self._parse(getattr(gs, kind), expr_path, bound)
        weight_f = self._field(gs.weight, path + ("weight",), bound)
        prio_f = self._field(gs.priority, path + ("priority",), bound)
        if node is None or weight_f is None or (gs.priority is not None and prio_f is None):
            raise _ItemFailed()
        frame, targets = self._frame(gs.for_, gs.where, path, ("objective", name))
        if not frame.n:
            return
        e = self._eval_linear(node, frame, expr_path)
        w = self._weights(weight_f, frame, path + ("weight",))
        prio = self._priorities(prio_f, frame, path + ("priority",))
        indptr, cols, coefs = fold(e, self.n_cols)
        keys = [frame.cols[t] for t in targets]
        sense = "max" if kind == "maximize" else "min"
        for i in range(frame.n):
            a, b = indptr[i], indptr[i + 1]
            origin = Origin(name, tuple(_plain(k[i]) for k in keys))
            objectives.append(ObjectiveTerm(origin, sense, SparseVector.make(cols[a:b], coefs[a:b], e.const[i]),
                                            prio[i], float(w[i])))

    def _goal(self, name: str, gs: GoalSpec, path, goal_rows) -> None:
        kind = gs.kind
        expr_path = path + ("expr",)
        bound = self._loop_names(gs.for_, path)
        node = self._parse(gs.expr, expr_path, bound)
        if kind == "between":
            lo_f = self._field(gs.between[0], path + ("between", 0), bound)
            hi_f = self._field(gs.between[1], path + ("between", 1), bound)
            t = 0.0
        else:
            t = self._field(getattr(gs, kind), path + (kind,), bound)
            lo_f = t if kind in ("at_least", "equal") else None
            hi_f = t if kind in ("at_most", "equal") else None
        weight_f = self._field(gs.weight, path + ("weight",), bound)
        prio_f = self._field(gs.priority, path + ("priority",), bound)
        under_p = self._field(gs.under.priority, path + ("under", "priority"), bound) if gs.under else None
        over_p = self._field(gs.over.priority, path + ("over", "priority"), bound) if gs.over else None
        under_w = (self._field(gs.under.weight, path + ("under", "weight"), bound)
                   if gs.under and gs.under.weight is not None else None)
        over_w = (self._field(gs.over.weight, path + ("over", "weight"), bound)
                  if gs.over and gs.over.weight is not None else None)
        scale_f = self._field(gs.scale, path + ("scale",), bound)
        if node is None or weight_f is None or t is None or \
                (gs.scale is not None and scale_f is None) or \
                (kind == "between" and (lo_f is None or hi_f is None)) or \
                (gs.priority is not None and prio_f is None) or \
                (gs.under and gs.under.priority is not None and under_p is None) or \
                (gs.over and gs.over.priority is not None and over_p is None) or \
                (gs.under and gs.under.weight is not None and under_w is None) or \
                (gs.over and gs.over.weight is not None and over_w is None):
            raise _ItemFailed()
        frame, targets = self._frame(gs.for_, gs.where, path, ("goal", name))
        n = frame.n
        if not n:
            return
        e = self._eval_linear(node, frame, expr_path)
        side = path + ((kind, 0) if kind == "between" else (kind,))
        side_hi = path + ((kind, 1) if kind == "between" else (kind,))
        lo = self._consts(lo_f, frame, side, "a target") if lo_f is not None else np.full(n, -INF)
        hi = self._consts(hi_f, frame, side_hi, "a target") if hi_f is not None else np.full(n, INF)
        keys = [frame.cols[t] for t in targets]

        def label(i):
            return Origin(name, tuple(_plain(k[i]) for k in keys)).label

        bad = np.flatnonzero(np.isnan(lo) | np.isnan(hi) | ((lo_f is not None) & np.isinf(lo))
                             | ((hi_f is not None) & np.isinf(hi)))
        if len(bad):
            self.issues.add(f"the target of '{label(int(bad[0]))}' is not a finite number", self.doc.location(side))
            raise _ItemFailed()
        bad = np.flatnonzero((np.isfinite(lo) & (np.abs(lo) >= HUGE)) | (np.isfinite(hi) & (np.abs(hi) >= HUGE)))
        if len(bad):
            self.issues.add(f"the target of '{label(int(bad[0]))}' is too large: solvers treat {HUGE:g} and more as "
                            "infinite", self.doc.location(side), hint="rescale the units (e.g. thousands of dollars)")
            raise _ItemFailed()
        bad = np.flatnonzero(lo > hi)
        if len(bad):
            i = int(bad[0])
            self.issues.add(f"between: the low end {lo[i]:g} is above the high end {hi[i]:g} for '{label(i)}'",
                            self.doc.location(path + ("between",)))
            raise _ItemFailed()
        w = self._weights(weight_f, frame, path + ("weight",))
        prio = self._priorities(prio_f, frame, path + ("priority",))
        pen_under = kind in ("at_least", "equal", "between")
        pen_over = kind in ("at_most", "equal", "between")
        indptr_e, _, _ = fold(e, self.n_cols)
        empty = np.flatnonzero(np.diff(indptr_e) == 0)
        if len(empty):
            self.issues.add(f"the goal '{label(int(empty[0]))}' has no decision variables in its expression",
                            self.doc.location(expr_path),
                            hint="a goal measures something the decisions change; check the expression")
            raise _ItemFailed()
        uw = self._weights(under_w, frame, path + ("under", "weight")) if under_w is not None else w
        ow = self._weights(over_w, frame, path + ("over", "weight")) if over_w is not None else w
        up = self._priorities(under_p, frame, path + ("under", "priority")) if under_p is not None else prio
        op = self._priorities(over_p, frame, path + ("over", "priority")) if over_p is not None else prio
        zeros, infs = np.zeros(n), np.full(n, INF)
        under_start = self._add_cols(zeros, infs, False, ROLE_UNDER, name, keys) if pen_under else -1
        over_start = self._add_cols(zeros, infs, False, ROLE_OVER, name, keys) if pen_over else -1
        rows = [e.rows]
        cols = [e.cols]
        coefs = [e.coefs]
        ar = np.arange(n, dtype=np.int64)
        if pen_under:
            rows.append(ar)
            cols.append(under_start + ar)
            coefs.append(np.ones(n))
        if pen_over:
            rows.append(ar)
            cols.append(over_start + ar)
            coefs.append(-np.ones(n))
        row_lin = Lin(np.concatenate(rows), np.concatenate(cols), np.concatenate(coefs), e.const)
        indptr, rcols, rcoefs = fold(row_lin, self.n_cols)
        first = self._add_rows(indptr, rcols, rcoefs, lo - e.const, hi - e.const, name, keys)
        u_scale, o_scale, zero_one = self._normalisation(gs, scale_f, kind, lo, hi, e, frame, path)
        for side_name, pen, weight, scale in (("under", pen_under, uw, u_scale), ("over", pen_over, ow, o_scale)):
            # the penalty coefficient is weight / scale: it must be a number a solver takes
            if not pen:
                continue
            dev = getattr(gs, side_name)
            seg = (dev.penalty if dev else None) or gs.penalty
            top_rate = max((sg.rate for sg in seg), default=1.0) if seg else 1.0
            with np.errstate(all="ignore"):
                coef = np.asarray(weight, dtype=np.float64) / scale
            bad = np.flatnonzero(~np.isfinite(coef) | (coef >= HUGE) | (coef * top_rate >= HUGE))
            if len(bad):
                i = int(bad[0])
                where = path + ("scale",) if gs.scale is not None else \
                    path + ("normalize",) if gs.normalize else path
                rate = f" x the penalty rate {top_rate:g}" if seg else ""
                self.issues.add(f"the {side_name}-deviation of '{label(i)}' would be penalised by weight / scale{rate}"
                                f" = {float(np.asarray(weight)[i]):g} / {scale[i]:g}{rate and f' x {top_rate:g}'} = "
                                f"{coef[i] * top_rate:g}: solvers treat {HUGE:g} and more as infinite",
                                self.doc.location(where),
                                hint="the scale (or the normalisation's divisor: the target, or the sum of the "
                                     "coefficients) is too small for the weight" + (" and rate" if seg else "")
                                     + "; rescale the units or use a larger scale")
                raise _ItemFailed()
        goal_index = self.n_goals + ar
        for side, start, seg in (("under", under_start, (gs.under.penalty if gs.under else None) or gs.penalty),
                                 ("over", over_start, (gs.over.penalty if gs.over else None) or gs.penalty)):
            if start >= 0 and seg:
                self._piecewise(name, keys, side, start + ar, goal_index, seg)
        self.n_goals += n
        none = np.full(n, -1, dtype=np.int64)
        goal_rows.append(dict(
            origin=(name, keys, n), row=first + ar, kind=np.full(n, KINDS.index(kind), dtype=np.int8),
            lower=lo, upper=hi, const=e.const,
            under_col=under_start + ar if pen_under else none, over_col=over_start + ar if pen_over else none,
            under_priority=_prio_codes(up), over_priority=_prio_codes(op),
            under_weight=np.asarray(uw, dtype=np.float64) if pen_under else np.zeros(n),
            over_weight=np.asarray(ow, dtype=np.float64) if pen_over else np.zeros(n),
            under_scale=u_scale, over_scale=o_scale, zero_one=np.full(n, zero_one)))

    def _normalisation(self, gs: GoalSpec, scale_f, kind, lo, hi, e: Lin, frame: Frame, path):
        """Normalisation divisors (under, over) per instance and whether they come from a payoff
        table at solve time (zero-one).  Jones & Tamiz (2010), section 4.2.  ``scale_f`` is the
        goal's ``scale:`` as :meth:`_field` gave it (parsed with the other fields, before the
        instances are bound)."""
        n = frame.n
        ones = np.ones(n)
        if gs.scale is not None:
            k = self._consts(scale_f, frame, path + ("scale",), "a scale")
            with np.errstate(all="ignore"):
                bad = np.flatnonzero(~(k >= TINY) | np.isinf(k))  # 1e-320 (subnormal): 1/k overflows
            if len(bad):
                self.issues.add(f"a scale must be a positive number at least 1e-300, got {k[int(bad[0])]:g}",
                                self.doc.location(path + ("scale",)),
                                hint="the scale divides the goal's deviations (e.g. 1000 to count in thousands)")
                raise _ItemFailed()
            return k, k, False
        mode = gs.normalize or self.spec.solve.normalize or "none"
        if mode == "none":
            return ones, ones, False
        if mode == "zero_one":
            return ones, ones, True
        if mode == "percent":
            u = np.abs(np.where(np.isinf(lo), hi, lo)) / 100.0
            o = np.abs(np.where(np.isinf(hi), lo, hi)) / 100.0
            zero = np.flatnonzero((u == 0) | (o == 0))
            if len(zero):
                where = frame.describe(int(zero[0]))
                self.issues.add("percent normalisation divides by the target, and the target is 0"
                                + (f" for {where}" if where else ""),
                                self.doc.location(path + ("normalize",)) if gs.normalize else self.doc.location(path),
                                hint="give this goal normalize: summation, euclidean or a scale: instead")
                raise _ItemFailed()
            return u, o, False
        indptr, _, coefs = fold(e, self.n_cols)
        rows = np.repeat(np.arange(n), np.diff(indptr))
        if mode == "euclidean":
            k = np.sqrt(np.bincount(rows, weights=coefs ** 2, minlength=n))
        else:  # summation
            k = np.bincount(rows, weights=np.abs(coefs), minlength=n)
        return k, k, False

    def _piecewise(self, name, keys, side, dev_cols: np.ndarray, goal_index: np.ndarray, segments) -> None:
        """Split each deviation into pieces with increasing rates: dev - sum(pieces) = 0."""
        n = len(dev_cols)
        breaks = np.array([s.up_to if s.up_to is not None else INF for s in segments], dtype=np.float64)
        if not np.isinf(breaks[-1]):
            breaks = np.concatenate([breaks, [INF]])
            rates = np.array([s.rate for s in segments] + [segments[-1].rate], dtype=np.float64)
        else:
            rates = np.array([s.rate for s in segments], dtype=np.float64)
        widths = np.diff(np.concatenate([[0.0], breaks]))
        k = len(widths)
        start = self._add_cols(np.zeros(n * k), np.tile(widths, n), False, 3, f"{name}.{side}_piece",
                               [np.repeat(a, k) for a in keys] + [np.tile(np.arange(1, k + 1), n).astype(object)])
        piece_cols = (start + np.arange(n * k)).reshape(n, k)
        ar = np.arange(n, dtype=np.int64)
        lin = Lin(np.concatenate([ar, np.repeat(ar, k)]), np.concatenate([dev_cols, piece_cols.ravel()]),
                  np.concatenate([np.ones(n), -np.ones(n * k)]), np.zeros(n))
        indptr, cols, coefs = fold(lin, self.n_cols)
        self._add_rows(indptr, cols, coefs, np.zeros(n), np.zeros(n), f"{name}.{side}_pieces", keys)
        self.penalties.append(PiecewisePenalty(side, frozen_array(goal_index, np.int64), frozen_array(piece_cols, np.int64),
                                               frozen_array(rates, np.float64), frozen_array(breaks, np.float64)))

    def _weights(self, f, frame: Frame, path) -> np.ndarray:
        w = self._consts(f, frame, path, "a weight")
        with np.errstate(all="ignore"):
            tiny = (w > 0) & (w < TINY)  # 1e-320 (subnormal): its reciprocal overflows
        bad = np.flatnonzero(~(w >= 0) | np.isinf(w) | (w >= HUGE) | tiny)
        if len(bad):
            self.issues.add(f"a weight must be a number from 0 to below {HUGE:g} (0 or at least 1e-300), got {w[int(bad[0])]:g}",
                            self.doc.location(path),
                            hint="weights scale unwanted deviations; use priorities to rank goals")
            raise _ItemFailed()
        return w

    def _priorities(self, f, frame: Frame, path) -> list:
        if f is None:
            return [None] * frame.n
        if isinstance(f, int):
            return [f] * frame.n
        v = self._consts(f, frame, path, "a priority")
        bad = np.flatnonzero(~((v >= 1) & (v <= 1e9) & (v == np.round(v))))
        if len(bad):
            self.issues.add(f"a priority must be a whole number from 1 to 1e9, got {v[int(bad[0])]:g}",
                            self.doc.location(path),
                            hint="1 is the most important level")
            raise _ItemFailed()
        return [int(x) for x in v]

    # -- size estimate -------------------------------------------------------------------------
    def _tree(self, text):
        """The syntax tree of ``text`` (cached for the build), or ``None`` when it does not parse
        (the error is reported when the item is built)."""
        if not isinstance(text, str):
            return None
        if text not in self._parsed:
            try:
                self._parsed[text] = parse(text)
            except ExpressionError:
                return None
        return self._parsed[text]

    def _header_size(self, for_text) -> tuple[int, list] | None:
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
        factors = [(c.set_name.id, len(self.data.sets[c.set_name.id].members)) for c in clauses
                   if c.set_name.id in self.data.sets]
        return math.prod(f for _, f in factors), factors

    def _terms(self, node, expr_terms: dict) -> int:
        """Rough terms per instance: variable references, times the members of each unfiltered
        ``sum`` around them (iteratively: expressions may have thousands of terms)."""
        total = 0
        stack = [(node, 1)]
        while stack:
            n, mult = stack.pop()
            if isinstance(n, (A.Name, A.Index)):
                name = n.id if isinstance(n, A.Name) else n.base.id
                kind = self.kinds.get(name)
                if kind == "var":
                    total += mult
                elif kind == "expr":
                    total += mult * expr_terms.get(name, 1)
            elif isinstance(n, A.Sum):
                f = 1
                if n.condition is None:
                    f = math.prod(len(self.data.sets[c.set_name.id].members) if c.set_name.id in self.data.sets else 1
                                  for c in n.clauses)
                stack.append((n.body, mult * f))
            elif isinstance(n, (A.BinOp, A.Compare)):
                stack.append((n.left, mult))
                stack.append((n.right, mult))
            elif isinstance(n, A.Unary):
                stack.append((n.operand, mult))
        return total

    def estimate(self) -> int:
        """Estimate the instances and nonzeros of every item before any is built; refuse the model
        (:class:`~goalprog.core.errors.SizeLimitError`) when an item has more bindings than
        ``limits.max_instances`` or the model more nonzeros than ``limits.max_nonzeros``.

        Filters (``where:``, ``if``) are not evaluated: an item with a filter in its header counts
        as unknown here and is held to the limits while it is built.  Returns the estimate."""
        lim = self.limits
        expr_terms: dict = {}
        items = []  # (nonzeros, what, path, instances, terms)
        sections = [("expression", "expressions", self.spec.expressions), ("constraint", "constraints",
                                                                            self.spec.constraints),
                    ("goal", "goals", self.spec.goals)]
        for what, section, entries in sections:
            for name, item in entries.items():
                path = (section, name)
                if isinstance(item, str):
                    for_text, where, text = None, None, item
                else:
                    for_text, where = item.for_, getattr(item, "where", None)
                    text = item.expr if what != "goal" or item.kind not in ("maximize", "minimize") \
                        else getattr(item, item.kind)
                size = self._header_size(for_text)
                node = self._tree(text)
                if size is None or node is None:
                    continue
                count, factors = size
                if count > lim.max_instances:
                    self._too_large(f"the {what} '{name}' has {count:,} instances ({product_text(factors)}), more "
                                    f"than the limit of {lim.max_instances:,} instances", path + ("for",), lim.instance_hint())
                terms = self._terms(node, expr_terms)
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
            self._too_large(f"the model would have about {total:,} nonzeros, more than the limit of "
                            f"{lim.max_nonzeros:,}; the largest item is the {what} '{path[1]}' with about {nnz:,} "
                            f"({count:,} instances x {terms:,} terms)", path, lim.nonzero_hint())
        return total

    def report_expressions(self) -> ExpressionTable:
        origins = Origins()
        ptrs, cols, coefs, consts = [np.zeros(1, dtype=np.int64)], [], [], []
        offset = 0
        for name, e in self.exprs.items():
            try:
                self._evaluate_expr(e, e.node.span)
            except (_ItemFailed, EvalError):
                continue
            indptr, c, v = fold(e.value, self.n_cols)
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

    def run(self) -> LinearModel:
        try:
            self.declare_names()
            self.derive_params()
            self.build_variables()
            self.estimate()
            self.declare_expressions()
            self.build_constraints()
            n_hard = self.n_rows
            goal_rows, objectives = self.build_goals()
            expressions = self.report_expressions()
        except _TooLarge:
            raise SizeLimitError([self.size_issue]) from None
        # dedupe issues (an expression failing is reported once even if used by many items)
        seen = set()
        unique = []
        for issue in self.issues.issues:
            k = (issue.message, issue.location, issue.span)
            if k not in seen:
                seen.add(k)
                unique.append(issue)
        self.issues.issues = unique
        self.issues.raise_if_any()
        return self._assemble(n_hard, goal_rows, objectives, expressions)

    def _units(self) -> dict:
        out = {}
        for kind, section in (("goal", self.spec.goals), ("variable", self.spec.variables),
                              ("expression", self.spec.expressions)):
            for name, item in section.items():
                units = getattr(item, "units", None)
                if units:
                    out[(kind, name)] = units
        return out

    def _goal_table(self, blocks: list[dict], indptr, indices, data) -> GoalTable:
        origins = Origins()
        for b in blocks:
            origins.add(*b["origin"])
        fields = ("row", "kind", "lower", "upper", "const", "under_col", "over_col", "under_priority",
                  "over_priority", "under_weight", "over_weight", "under_scale", "over_scale", "zero_one")
        dtypes = (np.int64, np.int8, np.float64, np.float64, np.float64, np.int64, np.int64, np.int64, np.int64,
                  np.float64, np.float64, np.float64, np.float64, bool)
        arrays = {f: frozen_array(np.concatenate([b[f] for b in blocks]) if blocks else np.zeros(0, dtype=d), d)
                  for f, d in zip(fields, dtypes)}
        return GoalTable(origins, indptr=indptr, indices=indices, data=data, **arrays)

    def _assemble(self, n_hard, goal_rows, objectives, expressions) -> LinearModel:
        if self.col_blocks:
            lower = np.concatenate([b[0] for b in self.col_blocks])
            upper = np.concatenate([b[1] for b in self.col_blocks])
            integer = np.concatenate([np.full(len(b[0]), b[2]) for b in self.col_blocks])
            role = np.concatenate([np.full(len(b[0]), b[3], dtype=np.int8) for b in self.col_blocks])
        else:
            lower = upper = EMPTY_F
            integer = np.zeros(0, dtype=bool)
            role = np.zeros(0, dtype=np.int8)
        ptrs, cols, vals, rlo, rhi = [np.zeros(1, dtype=np.int64)], [], [], [], []
        offset = 0
        for indptr, c, v, lo, hi in self.row_blocks:
            ptrs.append(indptr[1:] + offset)
            offset += int(indptr[-1])
            cols.append(c)
            vals.append(v)
            rlo.append(lo)
            rhi.append(hi)
        indptr = frozen_array(np.concatenate(ptrs), np.int64)
        indices = frozen_array(np.concatenate(cols) if cols else EMPTY_I, np.int64)
        data = frozen_array(np.concatenate(vals) if vals else EMPTY_F, np.float64)
        return LinearModel(
            name=self.spec.name or "goal_program",
            description=self.spec.description,
            col_lower=frozen_array(lower, np.float64),
            col_upper=frozen_array(upper, np.float64),
            col_integer=frozen_array(integer, bool),
            col_role=frozen_array(role, np.int8),
            col_origin=self.col_origin,
            indptr=indptr,
            indices=indices,
            data=data,
            row_lower=frozen_array(np.concatenate(rlo) if rlo else EMPTY_F, np.float64),
            row_upper=frozen_array(np.concatenate(rhi) if rhi else EMPTY_F, np.float64),
            row_origin=self.row_origin,
            n_hard=n_hard,
            goals=self._goal_table(goal_rows, indptr, indices, data),
            objectives=tuple(objectives),
            expressions=expressions,
            variable_names=tuple(self.vars),
            variable_index_sets={n: v.index for n, v in self.vars.items()},
            index_names=dict(self.index_names),
            penalties=tuple(self.penalties),
            units=self._units(),
        )


def _norm(v):
    """Hashable key under which 3 and 3.0 meet."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, np.generic):
        return _norm(v.item())
    return v


def _check_finite(lin: Lin, frame: Frame, span) -> None:
    """A coefficient or constant that is inf, NaN or 1e20 and more cannot go to a solver."""
    huge = np.isfinite(lin.coefs) & (np.abs(lin.coefs) >= HUGE)
    if huge.any():
        k = int(np.flatnonzero(huge)[0])
        raise EvalError(f"a coefficient is {lin.coefs[k]:g}: solvers treat {HUGE:g} and more as infinite", span,
                        "rescale the units of the data")
    huge = np.isfinite(lin.const) & (np.abs(lin.const) >= HUGE)
    if huge.any():
        i = int(np.flatnonzero(huge)[0])
        raise EvalError(f"the constant part is {lin.const[i]:g}: solvers treat {HUGE:g} and more as infinite", span,
                        "rescale the units of the data")
    bad = ~np.isfinite(lin.coefs)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        where = frame.describe(int(lin.rows[k]))
        raise EvalError(f"a coefficient is {lin.coefs[k]} (not a finite number)" + (f" for {where}" if where else ""),
                        span, "check the parameters used here for .inf or .nan")
    bad = ~np.isfinite(lin.const)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        where = frame.describe(i)
        raise EvalError(f"the constant part is {lin.const[i]} (not a finite number)" + (f" for {where}" if where else ""),
                        span, "check the parameters used here for .inf or .nan")


def _decision_names(node, kinds: dict) -> list[tuple[str, tuple[int, int]]]:
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


def _prio_codes(prio: list) -> np.ndarray:
    """Priorities as integers, 0 standing for 'none given'."""
    return np.fromiter((0 if p is None else p for p in prio), dtype=np.int64, count=len(prio))


def _subset(indptr, cols, coefs, keep: np.ndarray):
    """The CSR rows ``keep`` of (indptr, cols, coefs)."""
    counts = indptr[keep + 1] - indptr[keep]
    total = int(counts.sum())
    offs = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    pos = np.repeat(indptr[keep], counts) + offs
    new = np.zeros(len(keep) + 1, dtype=np.int64)
    np.cumsum(counts, out=new[1:])
    return new, cols[pos], coefs[pos]


def _clause_columns(clauses) -> tuple[str, ...]:
    return index_columns([(c.set_name.id, t.id) for c in clauses for t in c.targets])


def _text_at(data, path):
    node = data
    for p in path:
        try:
            node = node[p]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def compile_problem(spec: ProblemSpec, doc: Document, data: DataModel, *, limits: Limits | None = None) -> LinearModel:
    """Compile a validated spec with its bound data into a frozen :class:`~goalprog.model.ir.LinearModel`.

    Raises :class:`~goalprog.core.errors.ExpressionError` listing every expression problem found, and
    :class:`~goalprog.core.errors.SizeLimitError` when the model would exceed ``limits`` (default: the
    process default of :mod:`goalprog.core.limits`).
    """
    return Compiler(spec, doc, data, limits).run()
