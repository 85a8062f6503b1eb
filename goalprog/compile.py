"""Compile a validated problem (spec + bound data) into a :class:`~goalprog.ir.LinearModel`.

What happens here:

1. decision variables are expanded over their index sets into columns;
2. named expressions are evaluated on demand (cached per index, cycles reported);
3. every hard constraint instance becomes a row (``lo <= expr <= hi`` chains become one ranged row);
4. every goal instance becomes a goal row ``lo - c <= a.x + n - p <= hi - c`` with a deviation
   column for each *unwanted* deviation only (``n`` for at_least, ``p`` for at_most, both for
   equal/between), each with its own priority and weight;
5. plain objectives become :class:`~goalprog.ir.ObjectiveTerm` objects.

The constant ``c`` of a goal expression moves to the target (``2x + 3y - 5 >= 10`` is the row
``2x + 3y + n >= 15``) while the reported value of the goal still includes it.

All problems found (unknown names with did-you-mean, non-linear terms, wrong arity, indices
outside their set, bad targets) are collected and raised once as an
:class:`~goalprog.errors.ExpressionError` (or :class:`~goalprog.errors.DataError`).
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass

import numpy as np

from .errors import DataError, ExpressionError, Issue, IssueCollector, SourceLocation, did_you_mean
from .expr import ast as A
from .expr.linearise import EvalError, Evaluator, LinExpr
from .expr.parser import parse, parse_for
from .ir import (ROLE_DECISION, ROLE_OVER, ROLE_UNDER, ExpressionValue, GoalRow, LinearModel, ObjectiveTerm, Origin,
                 Penalty, SparseVector, _frozen, index_columns)
from .spec.data import DataModel, index_names
from .spec.loader import Document
from .spec.schema import ConstraintSpec, ExpressionSpec, GoalSpec, ProblemSpec, VariableSpec

INF = math.inf


_NUMBER_FIELDS = {"at_least", "at_most", "equal", "weight", "lower", "upper", "priority", 0, 1, "value"}


class _ItemFailed(Exception):
    """Internal: the current item has reported an issue; stop expanding it."""


@dataclass
class _Var:
    name: str
    index: tuple[str, ...]
    cols: dict  # key tuple -> column


@dataclass
class _Expr:
    name: str
    clauses: list
    condition: object
    node: object
    targets: tuple[str, ...]
    path: tuple
    cache: dict
    evaluating: set


class Compiler:
    """Turns one (spec, document, data) triple into a LinearModel; use :func:`compile_problem`."""

    def __init__(self, spec: ProblemSpec, doc: Document, data: DataModel):
        self.spec = spec
        self.doc = doc
        self.data = data
        self.issues = IssueCollector(ExpressionError)
        self.ev = Evaluator(self)
        # columns
        self.col_lower: list[float] = []
        self.col_upper: list[float] = []
        self.col_integer: list[bool] = []
        self.col_role: list[int] = []
        self.col_origin: list[Origin] = []
        # rows (COO, converted to CSR at the end)
        self.row_ptr: list[int] = [0]
        self.row_cols: list[int] = []
        self.row_vals: list[float] = []
        self.row_lower: list[float] = []
        self.row_upper: list[float] = []
        self.row_origin: list[Origin] = []
        self.vars: dict[str, _Var] = {}
        self.exprs: dict[str, _Expr] = {}
        self.kinds: dict[str, str] = {}
        self.current: tuple = ()  # path of the field being evaluated, for messages
        self.index_names: dict = {}
        self.failed_exprs: set = set()
        self.failed_vars: set = set()

    # -- Resolver protocol ---------------------------------------------------------------------
    def kind(self, name: str):
        return self.kinds.get(name)

    def _width(self, sets: tuple[str, ...]) -> int:
        return sum(self.data.sets[s].arity for s in sets)

    def arity(self, name: str) -> int:
        k = self.kinds[name]
        if k == "set":
            return self.data.sets[name].arity
        if k == "param":
            return self._width(self.data.params[name].index)
        if k == "var":
            return self._width(self.vars[name].index)
        return len(self.exprs[name].targets)

    def _check_key(self, name: str, sets: tuple[str, ...], key: tuple, span) -> None:
        pos = 0
        for s in sets:
            sd = self.data.sets[s]
            part = tuple(key[pos:pos + sd.arity])
            pos += sd.arity
            if part not in sd.lookup:
                shown = part[0] if len(part) == 1 else part
                members = [m[0] if len(m) == 1 else m for m in sd.members]
                hint = did_you_mean(shown, members) if isinstance(shown, str) else None
                raise EvalError(f"{shown!r} is not a member of the set '{s}' (index of '{name}')", span,
                                hint or f"'{s}' has {len(members)} members")

    def param(self, name: str, key: tuple, span) -> float:
        p = self.data.params[name]
        v = p.values.get(key)
        if v is None:
            if p.default is not None:
                self._check_key(name, p.index, key, span)
                return p.default
            self._check_key(name, p.index, key, span)
            raise EvalError(f"the parameter '{name}' has no value for {key if len(key) > 1 else key[0]!r}", span,
                            "give the value, or a 'default:' for the parameter")
        return v

    def var(self, name: str, key: tuple, span) -> int:
        if name in self.failed_vars:
            raise _ItemFailed()  # its own error is reported once, where it is declared
        v = self.vars[name]
        col = v.cols.get(key)
        if col is None:
            self._check_key(name, v.index, key, span)
            raise EvalError(f"no column {name}{list(key)}", span)  # pragma: no cover - guarded above
        return col

    def expr(self, name: str, key: tuple, span):
        e = self.exprs[name]
        if key in e.cache:
            return e.cache[key]
        if key in e.evaluating:
            raise EvalError(f"the expression '{name}' refers to itself", span,
                            "named expressions must not depend on themselves, directly or through others")
        env = dict(zip(e.targets, key)) if e.targets else {}
        if e.targets:
            # the key must be a binding the for header produces
            found = False
            for b in self.ev.bindings(e.clauses, e.condition, {}):
                if tuple(b[t] for t in e.targets) == key:
                    found = True
                    break
            if not found:
                raise EvalError(f"the expression '{name}' is not defined for {key if len(key) > 1 else key[0]!r}",
                                span, "check its 'for:' sets and condition")
        e.evaluating.add(key)
        saved = self.current
        self.current = e.path
        try:
            value = self.ev.eval(e.node, env)
        except EvalError as exc:
            self._report(exc, e.path)
            raise _ItemFailed() from None
        finally:
            e.evaluating.discard(key)
            self.current = saved
        if not (isinstance(value, LinExpr) or (isinstance(value, (int, float)) and not isinstance(value, bool))):
            self._report(EvalError("a named expression must be a number or a linear expression",
                                   e.node.span), e.path)
            raise _ItemFailed()
        e.cache[key] = value
        return value

    def members(self, name: str, span):
        return self.data.sets[name].members

    def contains(self, name: str, key: tuple) -> bool:
        return key in self.data.sets[name].lookup

    def unknown(self, name: str, span, env) -> EvalError:
        if name in self.failed_exprs:
            raise _ItemFailed()  # its own error is reported once, where it is defined
        cands = list(self.kinds) + list(env)
        hint = did_you_mean(name, cands)
        if hint is None:
            hint = "declare it under variables:, expressions:, params: or sets:"
        return EvalError(f"unknown name '{name}'", span, hint)

    # -- helpers -------------------------------------------------------------------------------
    def _report(self, exc: EvalError, path: tuple, text: str | None = None) -> None:
        if text is None:
            text = _text_at(self.doc.data, path)
        loc = self.doc.locate(path, exc.span[0]) if isinstance(text, str) else self.doc.location(path)
        self.issues.issues.append(Issue(exc.message, loc, exc.hint, text if isinstance(text, str) else None,
                                        exc.span if isinstance(text, str) else None))

    def _relocated(self, exc: ExpressionError, path) -> None:
        for issue in exc.issues:
            loc = self.doc.locate(path, issue.span[0]) if issue.span else self.doc.location(path)
            self.issues.issues.append(Issue(issue.message, loc, issue.hint, issue.source, issue.span))

    def _parse(self, text, path, bound: frozenset | None = None):
        """Parse a field; with ``bound`` (the loop names in scope) also report every unknown name
        in it at once.  Returns the tree, or ``None`` after reporting."""
        try:
            node = parse(text, self.doc.location(path))
        except ExpressionError as exc:
            self._relocated(exc, path)
            return None
        if bound is not None:
            unknown = []
            self._unknown_names(node, bound, unknown)
            if unknown:
                for name, span in unknown:
                    hint = did_you_mean(name, list(self.kinds) + sorted(bound)) or \
                        "declare it under variables:, expressions:, params: or sets:"
                    if path and path[-1] in _NUMBER_FIELDS and span == (0, len(text.strip())) and text.strip() == text:
                        hint = (f"{path[-1]} takes a number (e.g. 150000 or 1.5e5) or an expression over parameters; "
                                f"'{name}' is neither")
                    self._report(EvalError(f"unknown name '{name}'", span, hint), path, text)
                return None
        return node

    def _unknown_names(self, node, bound, out) -> None:
        if isinstance(node, A.Name):
            if node.id not in bound and node.id not in self.kinds and node.id not in self.failed_exprs:
                out.append((node.id, node.span))
        elif isinstance(node, A.Index):
            self._unknown_names(node.base, bound, out)
            for a in node.args:
                self._unknown_names(a, bound, out)
        elif isinstance(node, A.Sum):
            inner = set(bound)
            for c in node.clauses:
                self._unknown_names(c.set_name, bound, out)
                inner.update(t.id for t in c.targets)
            self._unknown_names(node.body, frozenset(inner), out)
            if node.condition is not None:
                self._unknown_names(node.condition, frozenset(inner), out)
        elif isinstance(node, A.Call):
            for a in node.args:
                self._unknown_names(a, bound, out)
        elif isinstance(node, A.Unary):
            self._unknown_names(node.operand, bound, out)
        elif isinstance(node, (A.BinOp, A.Compare)):
            self._unknown_names(node.left, bound, out)
            self._unknown_names(node.right, bound, out)
        elif isinstance(node, A.Tuple):
            for a in node.items:
                self._unknown_names(a, bound, out)

    def _loop_names(self, for_text) -> frozenset:
        """Index names a ``for:`` header binds (empty when absent or unparsable: reported elsewhere)."""
        if for_text is None:
            return frozenset()
        try:
            clauses, _ = parse_for(for_text)
        except ExpressionError:
            return frozenset()
        return frozenset(t.id for c in clauses for t in c.targets)

    def _parse_for(self, text, path):
        try:
            return parse_for(text, self.doc.location(path))
        except ExpressionError as exc:
            self._relocated(exc, path)
            return None

    def _number_field(self, value, path, bound: frozenset = frozenset()):
        """A constant field: a float, or text parsed into a tree (evaluated per binding)."""
        if value is None or isinstance(value, float):
            return value
        return self._parse(value, path, bound)

    def _const(self, field, env, path, what) -> float:
        if isinstance(field, float):
            return field
        try:
            return self.ev.constant(field, env, what)
        except EvalError as exc:
            self._report(exc, path)
            raise _ItemFailed() from None

    def _bindings(self, for_text, where_text, path, item=None):
        """Environments of an item's ``for:`` header and ``where:`` filter ([{}] when unindexed).

        ``item`` = ``(kind, name)`` records the item's index column names in ``index_names``.
        """
        if for_text is None:
            if where_text is not None:
                self.issues.add("'where' filters the instances of a 'for:' header, and there is none",
                                self.doc.location(path + ("where",)), hint="add for: i in S, or remove where")
                raise _ItemFailed()
            return [{}]
        header = self._parse_for(for_text, path + ("for",))
        if header is None:
            raise _ItemFailed()
        clauses, cond = header
        if item is not None:
            self.index_names[item] = _clause_columns(clauses)
        where = None
        if where_text is not None:
            where = self._parse(where_text, path + ("where",), self._loop_names(for_text))
            if where is None:
                raise _ItemFailed()
        try:
            envs = []
            for env in self.ev.bindings(clauses, cond, {}):
                if where is not None:
                    try:
                        if not self.ev.condition(where, env):
                            continue
                    except EvalError as exc:
                        self._report(exc, path + ("where",))
                        raise _ItemFailed() from None
                envs.append(env)
            return envs
        except EvalError as exc:
            self._report(exc, path + ("for",))
            raise _ItemFailed() from None

    def _add_col(self, lower: float, upper: float, integer: bool, role: int, origin: Origin) -> int:
        self.col_lower.append(lower)
        self.col_upper.append(upper)
        self.col_integer.append(integer)
        self.col_role.append(role)
        self.col_origin.append(origin)
        return len(self.col_lower) - 1

    def _add_row(self, terms: dict[int, float], lower: float, upper: float, origin: Origin) -> int:
        for j, c in terms.items():
            if c != 0.0:
                self.row_cols.append(j)
                self.row_vals.append(c)
        self.row_ptr.append(len(self.row_cols))
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        self.row_origin.append(origin)
        return len(self.row_lower) - 1

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

    def build_variables(self) -> None:
        for name, vs in self.spec.variables.items():
            vs = vs or VariableSpec()
            path = ("variables", name)
            index = index_names(vs.index)
            bad = [s for s in index if s not in self.data.sets]
            for s in bad:
                self.issues.add(f"unknown set '{s}' in the index of variable '{name}'", self.doc.location(path + ("index",)),
                                hint=did_you_mean(s, self.data.sets) or "declare it under 'sets:'")
            if bad:
                self.vars[name] = _Var(name, index, {})
                self.failed_vars.add(name)
                continue
            if index:
                self.index_names[("variable", name)] = index_columns(
                    [(s, s if self.data.sets[s].arity == 1 else f"{s}_{k + 1}")
                     for s in index for k in range(self.data.sets[s].arity)])
            integer = vs.type in ("integer", "binary")
            keys = list(itertools.product(*(self.data.sets[s].members for s in index))) if index else [()]
            keys = [tuple(itertools.chain.from_iterable(k)) for k in keys]
            try:
                lower = self._bound(vs.lower, -INF, index, keys, path + ("lower",), name)
                upper = self._bound(vs.upper, INF, index, keys, path + ("upper",), name)
            except _ItemFailed:
                lower = upper = None
            if lower is None or upper is None:
                self.vars[name] = _Var(name, index, {})
                self.failed_vars.add(name)
                continue
            if vs.type == "binary":
                lower = [max(0.0, l) for l in lower]
                upper = [min(1.0, u) for u in upper]
            cols = {}
            for k, key in enumerate(keys):
                if lower[k] > upper[k]:
                    self.issues.add(f"lower bound {lower[k]:g} is above upper bound {upper[k]:g}"
                                    + (f" for {key}" if key else ""), self.doc.location(path),
                                    hint="swap the bounds or fix the data")
                    self.failed_vars.add(name)
                    break
                cols[key] = self._add_col(lower[k], upper[k], integer, ROLE_DECISION, Origin(name, key))
            self.vars[name] = _Var(name, index, cols)

    def _bound(self, value, none_value, index, keys, path, vname):
        if value is None:
            return [none_value] * len(keys)
        if isinstance(value, float):
            return [value] * len(keys)
        stripped = value.strip()
        if stripped in self.data.params and self.data.params[stripped].index == index and index:
            p = self.data.params[stripped]
            out = []
            for key in keys:
                v = p.get(key)
                if v is None:
                    self.issues.add(f"the parameter '{stripped}' has no value for {key}", self.doc.location(path),
                                    hint="give a value or a default for the parameter")
                    return None
                out.append(v)
            return out
        node = self._parse(value, path)
        if node is None:
            return None
        try:
            v = self.ev.constant(node, {}, "a bound")
        except EvalError as exc:
            hint = exc.hint
            if index:
                hint = (f"an indexed bound must be a parameter over the same sets ({', '.join(index)}), "
                        "written by its bare name, e.g. upper: capacity")
            self._report(EvalError(exc.message, exc.span, hint), path)
            return None
        return [v] * len(keys)

    def declare_expressions(self) -> None:
        for name, es in self.spec.expressions.items():
            path = ("expressions", name)
            if isinstance(es, str):
                es = ExpressionSpec(expr=es)
                expr_path = path
            else:
                expr_path = path + ("expr",)
            node = self._parse(es.expr, expr_path, self._loop_names(es.for_))
            clauses, cond, targets = [], None, ()
            if es.for_ is not None:
                header = self._parse_for(es.for_, path + ("for",))
                if header is None:
                    node = None
                else:
                    clauses, cond = header
                    targets = tuple(t.id for c in clauses for t in c.targets)
                    self.index_names[("expression", name)] = _clause_columns(clauses)
            if node is None:
                self.kinds.pop(name, None)
                self.failed_exprs.add(name)
                continue
            self.exprs[name] = _Expr(name, clauses, cond, node, targets, expr_path, {}, set())

    def build_constraints(self) -> None:
        for name, cs in self.spec.constraints.items():
            path = ("constraints", name)
            if isinstance(cs, str):
                cs = ConstraintSpec(expr=cs)
                expr_path = path
            else:
                expr_path = path + ("expr",)
            node = self._parse(cs.expr, expr_path, self._loop_names(cs.for_))
            if node is None:
                continue
            try:
                if not isinstance(node, A.Compare) or node.op not in ("<=", ">=", "=="):
                    self._report(EvalError("a constraint needs a comparison: lhs <= rhs, lhs >= rhs or lhs == rhs",
                                           node.span, "e.g. 5*pants + shirts <= 50000"), expr_path)
                    continue
                envs = self._bindings(cs.for_, cs.where, path, ("constraint", name))
                for env in envs:
                    key = tuple(env.values()) if cs.for_ is not None else ()
                    self._constraint_row(node, env, expr_path, Origin(name, key))
            except _ItemFailed:
                continue

    def _constraint_row(self, node: A.Compare, env, path, origin: Origin) -> None:
        ev = self.ev
        try:
            inner = node.left
            if isinstance(inner, A.Compare) and inner.op in ("<=", ">=") and node.op == inner.op:
                # chained range: lo <= expr <= hi  (or hi >= expr >= lo)
                lo_node, mid, hi_node = inner.left, inner.right, node.right
                if node.op == ">=":
                    lo_node, hi_node = hi_node, lo_node
                lo = ev.constant(lo_node, env, "the lower end of a range")
                hi = ev.constant(hi_node, env, "the upper end of a range")
                if lo > hi:
                    raise EvalError(f"the range is empty: its lower end {lo:g} is above its upper end {hi:g}"
                                    + (f" for {origin.label}" if origin.index else ""), node.span,
                                    "write the range as low <= expression <= high")
                e = ev.linear(mid, env)
                terms = e.nonzero()
                self._add_row(terms, lo - e.const, hi - e.const, origin)
                return
            if isinstance(inner, A.Compare):
                raise EvalError("a chained comparison must be a range: lo <= expr <= hi", node.span)
            lhs = ev.linear(node.left, env)
            rhs = ev.linear(node.right, env)
        except EvalError as exc:
            self._report(exc, path)
            raise _ItemFailed() from None
        diff = lhs.iadd(rhs, -1.0)
        terms = diff.nonzero()
        if not terms:
            ok = {"<=": diff.const <= 1e-9, ">=": diff.const >= -1e-9, "==": abs(diff.const) <= 1e-9}[node.op]
            if not ok:
                self._report(EvalError(f"this constraint has no variables and is always false"
                                       f"{' for ' + origin.label if origin.index else ''}", node.span,
                                       "check the data, or remove the constraint"), path)
                raise _ItemFailed()
            return
        b = -diff.const
        lo, hi = {"<=": (-INF, b), ">=": (b, INF), "==": (b, b)}[node.op]
        self._add_row(terms, lo, hi, origin)

    def build_goals(self):
        goal_rows: list[GoalRow] = []
        objectives: list[ObjectiveTerm] = []
        for name, gs in self.spec.goals.items():
            path = ("goals", name)
            try:
                self._goal(name, gs, path, goal_rows, objectives)
            except _ItemFailed:
                continue
        return goal_rows, objectives

    def _goal(self, name: str, gs: GoalSpec, path, goal_rows, objectives) -> None:
        kind = gs.kind
        if kind in ("maximize", "minimize"):
            expr_path = path + (kind,)
            bound = self._loop_names(gs.for_)
            node = self._parse(getattr(gs, kind), expr_path, bound)
            weight_f = self._number_field(gs.weight, path + ("weight",), bound)
            prio_f = self._priority_field(gs.priority, path + ("priority",), bound)
            if node is None or weight_f is None or (gs.priority is not None and prio_f is None):
                raise _ItemFailed()
            envs = self._bindings(gs.for_, gs.where, path, ("objective", name))
            for env in envs:
                key = tuple(env.values()) if gs.for_ is not None else ()
                try:
                    e = self.ev.linear(node, env)
                except EvalError as exc:
                    self._report(exc, expr_path)
                    raise _ItemFailed() from None
                w = self._weight(weight_f, env, path + ("weight",))
                terms = e.nonzero()
                objectives.append(ObjectiveTerm(Origin(name, key), "max" if kind == "maximize" else "min",
                                                SparseVector.make(terms.keys(), terms.values(), e.const),
                                                self._priority(prio_f, env, path + ("priority",)), w))
            return
        expr_path = path + ("expr",)
        bound = self._loop_names(gs.for_)
        node = self._parse(gs.expr, expr_path, bound)
        if kind == "between":
            lo_f = self._number_field(gs.between[0], path + ("between", 0), bound)
            hi_f = self._number_field(gs.between[1], path + ("between", 1), bound)
        else:
            t = self._number_field(getattr(gs, kind), path + (kind,), bound)
            lo_f = t if kind in ("at_least", "equal") else None
            hi_f = t if kind in ("at_most", "equal") else None
        weight_f = self._number_field(gs.weight, path + ("weight",), bound)
        prio_f = self._priority_field(gs.priority, path + ("priority",), bound)
        under_p = self._priority_field(gs.under.priority, path + ("under", "priority"), bound) if gs.under else None
        over_p = self._priority_field(gs.over.priority, path + ("over", "priority"), bound) if gs.over else None
        under_w = (self._number_field(gs.under.weight, path + ("under", "weight"), bound)
                   if gs.under and gs.under.weight is not None else None)
        over_w = (self._number_field(gs.over.weight, path + ("over", "weight"), bound)
                  if gs.over and gs.over.weight is not None else None)
        if node is None or weight_f is None or (kind == "between" and (lo_f is None or hi_f is None)) or \
                (kind != "between" and t is None) or (gs.priority is not None and prio_f is None) or \
                (gs.under and gs.under.priority is not None and under_p is None) or \
                (gs.over and gs.over.priority is not None and over_p is None):
            raise _ItemFailed()
        if (gs.under and gs.under.weight is not None and under_w is None) or (gs.over and gs.over.weight is not None and over_w is None):
            raise _ItemFailed()
        envs = self._bindings(gs.for_, gs.where, path, ("goal", name))
        pen_under = kind in ("at_least", "equal", "between")
        pen_over = kind in ("at_most", "equal", "between")
        for env in envs:
            key = tuple(env.values()) if gs.for_ is not None else ()
            origin = Origin(name, key)
            try:
                e = self.ev.linear(node, env)
            except EvalError as exc:
                self._report(exc, expr_path)
                raise _ItemFailed() from None
            side_path = path + ((kind, 0) if kind == "between" else (kind,))
            lo = self._const(lo_f, env, side_path, "a target") if lo_f is not None else -INF
            hi = self._const(hi_f, env, path + ((kind, 1) if kind == "between" else (kind,)), "a target") if hi_f is not None else INF
            for v, p in ((lo, side_path), (hi, side_path)):
                if math.isnan(v) or (math.isinf(v) and not ((v == -INF and lo_f is None) or (v == INF and hi_f is None))):
                    self.issues.add(f"the target of '{origin.label}' is not a finite number", self.doc.location(p))
                    raise _ItemFailed()
            if lo > hi:
                self.issues.add(f"between: the low end {lo:g} is above the high end {hi:g} for '{origin.label}'",
                                self.doc.location(path + ("between",)))
                raise _ItemFailed()
            w = self._weight(weight_f, env, path + ("weight",))
            under = over = None
            if pen_under:
                uw = self._weight(under_w, env, path + ("under", "weight")) if under_w is not None else w
                if gs.under and gs.under.priority is not None:
                    up = self._priority(under_p, env, path + ("under", "priority"))
                else:
                    up = self._priority(prio_f, env, path + ("priority",))
                under = Penalty(up, uw)
            if pen_over:
                ow = self._weight(over_w, env, path + ("over", "weight")) if over_w is not None else w
                if gs.over and gs.over.priority is not None:
                    op = self._priority(over_p, env, path + ("over", "priority"))
                else:
                    op = self._priority(prio_f, env, path + ("priority",))
                over = Penalty(op, ow)
            terms = e.nonzero()
            if not terms:
                self.issues.add(f"the goal '{origin.label}' has no decision variables in its expression",
                                self.doc.location(expr_path),
                                hint="a goal measures something the decisions change; check the expression")
                raise _ItemFailed()
            under_col = self._add_col(0.0, INF, False, ROLE_UNDER, origin) if under is not None else -1
            over_col = self._add_col(0.0, INF, False, ROLE_OVER, origin) if over is not None else -1
            row_terms = dict(terms)
            if under_col >= 0:
                row_terms[under_col] = 1.0
            if over_col >= 0:
                row_terms[over_col] = -1.0
            row = self._add_row(row_terms, lo - e.const, hi - e.const, origin)
            goal_rows.append(GoalRow(origin, kind, row, SparseVector.make(terms.keys(), terms.values(), e.const),
                                     lo, hi, under_col, over_col, under, over))

    def _priority_field(self, value, path, bound: frozenset = frozenset()):
        if value is None or isinstance(value, int):
            return value
        return self._parse(value, path, bound)

    def _priority(self, field, env, path) -> int | None:
        if field is None or isinstance(field, int):
            return field
        v = self._const(field, env, path, "a priority")
        if not (v >= 1 and float(v).is_integer()):
            self.issues.add(f"a priority must be a whole number >= 1, got {v:g}", self.doc.location(path),
                            hint="1 is the most important level")
            raise _ItemFailed()
        return int(v)

    def _weight(self, field, env, path) -> float:
        w = self._const(field, env, path, "a weight")
        if not (w >= 0) or math.isinf(w):
            self.issues.add(f"a weight must be a finite number >= 0, got {w:g}", self.doc.location(path),
                            hint="weights scale unwanted deviations; use priorities to rank goals")
            raise _ItemFailed()
        return w

    def report_expressions(self) -> list[ExpressionValue]:
        out: list[ExpressionValue] = []
        for name, e in self.exprs.items():
            keys = [()]
            if e.targets:
                try:
                    keys = [tuple(b[t] for t in e.targets) for b in self.ev.bindings(e.clauses, e.condition, {})]
                except EvalError as exc:
                    self._report(exc, ("expressions", name, "for"))
                    continue
            for key in keys:
                try:
                    v = self.expr(name, key, e.node.span)
                except _ItemFailed:
                    break
                except EvalError as exc:
                    self._report(exc, e.path)
                    break
                if isinstance(v, LinExpr):
                    terms = v.nonzero()
                    out.append(ExpressionValue(Origin(name, key), SparseVector.make(terms.keys(), terms.values(), v.const)))
                else:
                    out.append(ExpressionValue(Origin(name, key), SparseVector.make([], [], float(v))))
        return out

    def derive_params(self) -> None:
        """Scalar parameters given as expressions (``n: {value: "sum(1 for t in periods)"}``),
        evaluated in declaration order."""
        for name, p in self.data.params.items():
            if p.expr is None:
                continue
            path = ("params", name, "value")
            node = self._parse(p.expr, path, frozenset())
            if node is None:
                continue
            try:
                p.values[()] = self.ev.constant(node, {}, "a parameter value")
            except EvalError as exc:
                self._report(exc, path)
            except _ItemFailed:
                pass

    def run(self) -> LinearModel:
        self.declare_names()
        self.derive_params()
        self.build_variables()
        self.declare_expressions()
        self.build_constraints()
        n_hard = len(self.row_lower)
        goal_rows, objectives = self.build_goals()
        expressions = self.report_expressions()
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
        indptr = np.asarray(self.row_ptr, dtype=np.int64)
        return LinearModel(
            name=self.spec.name or "goal_program",
            description=self.spec.description,
            col_lower=_frozen(self.col_lower, np.float64),
            col_upper=_frozen(self.col_upper, np.float64),
            col_integer=_frozen(self.col_integer, bool),
            col_role=_frozen(self.col_role, np.int8),
            col_origin=tuple(self.col_origin),
            indptr=_frozen(indptr, np.int64),
            indices=_frozen(self.row_cols, np.int64),
            data=_frozen(self.row_vals, np.float64),
            row_lower=_frozen(self.row_lower, np.float64),
            row_upper=_frozen(self.row_upper, np.float64),
            row_origin=tuple(self.row_origin),
            n_hard=n_hard,
            goals=tuple(goal_rows),
            objectives=tuple(objectives),
            expressions=tuple(expressions),
            variable_names=tuple(self.vars),
            variable_index_sets={n: v.index for n, v in self.vars.items()},
            index_names=dict(self.index_names),
        )


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


def compile_problem(spec: ProblemSpec, doc: Document, data: DataModel) -> LinearModel:
    """Compile a validated spec with its bound data into a frozen :class:`~goalprog.ir.LinearModel`.

    Raises :class:`~goalprog.errors.ExpressionError` listing every expression problem found.
    """
    return Compiler(spec, doc, data).run()
