"""What the vector evaluator asks the compiler: :class:`Resolver`.

:class:`~goalprog.model.expr.vector.VectorEvaluator` calls back here to learn what a name is
(``kind``, ``arity``), the members of a set, and the values of a parameter, variable or named
expression for each row's index key (``lookup``).  Set codes, dense parameter arrays and set
member arrays are cached for the whole compilation; a named expression is evaluated once, on first
use, over its whole binding table (a memo in its :class:`~.context.NamedExpr`).
"""

from __future__ import annotations

import itertools

import numpy as np

from ...core.errors import clip, did_you_mean
from ..expr.values import OBJ, Const, EvalError, Frame, Lin, as_lin
from ..ir import _plain
from .context import DENSE_LIMIT, CompileContext, ItemFailed, NamedExpr, key_str, norm


class Resolver:
    """The resolver protocol of :mod:`goalprog.model.expr.vector` over a :class:`CompileContext`."""

    def __init__(self, ctx: CompileContext):
        self.ctx = ctx
        self._members: dict = {}
        self._codes: dict = {}
        self._dense: dict = {}
        self._stack: list[str] = []  # named expressions being evaluated (for cycle messages)

    def kind(self, name: str):
        return self.ctx.kinds.get(name)

    def _width(self, sets: tuple[str, ...]) -> int:
        # an unknown set (already reported) counts as one position
        return sum(self.ctx.data.sets[s].arity if s in self.ctx.data.sets else 1 for s in sets)

    def arity(self, name: str) -> int:
        ctx = self.ctx
        k = ctx.kinds[name]
        if k == "set":
            return ctx.data.sets[name].arity
        if k == "param":
            return self._width(ctx.data.params[name].index)
        if k == "var":
            return self._width(ctx.vars[name].index)
        return len(ctx.exprs[name].targets)

    def members(self, name: str) -> list[np.ndarray]:
        if name not in self._members:
            sd = self.ctx.data.sets[name]
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
        sd = self.ctx.data.sets[set_name]
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
            sd = self.ctx.data.sets[s]
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

    def param_dense(self, name: str) -> np.ndarray | None:
        """The parameter as a flat array over its index product (NaN where it has no value)."""
        if name in self._dense:
            return self._dense[name]
        data = self.ctx.data
        p = data.params[name]
        sizes = [len(data.sets[s].members) for s in p.index]
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
        ctx = self.ctx
        kind = ctx.kinds[name]
        n = frame.n
        if kind == "param":
            p = ctx.data.params[name]
            if not p.index:
                v = p.values.get(())
                if v is None:
                    if name in ctx.failed_params:
                        raise ItemFailed()  # its own error is reported where it is defined
                    raise EvalError(f"the parameter '{name}' has no value yet: a computed parameter may only use "
                                    "parameters declared above it (and not itself)", span,
                                    f"move '{name}' above the parameter that uses it")
                return Const(np.full(n, v))
            dense = self.param_dense(name)
            if dense is not None:
                vals = dense[self._flat_codes(name, p.index, key, span)]
            else:
                self._flat_codes(name, p.index, key, span)  # membership errors first
                raw = [k.a for k in key]
                got = (p.get(tuple(norm(v) for v in t)) for t in zip(*raw))
                vals = np.fromiter((np.nan if v is None else v for v in got), dtype=np.float64, count=n)
            missing = np.flatnonzero(np.isnan(vals))
            if len(missing):
                i = int(missing[0])
                raise EvalError(f"the parameter '{name}' has no value for {key_str(tuple(_plain(k.a[i]) for k in key))}",
                                span, "give the value, or a 'default:' for the parameter")
            return Const(vals)
        if kind == "var":
            v = ctx.vars[name]
            if v.failed:
                raise ItemFailed()  # its own error is reported once, where it is declared
            cols = v.start + (self._flat_codes(name, v.index, key, span) if v.index else np.zeros(n, dtype=np.int64))
            return Lin(np.arange(n, dtype=np.int64), cols, np.ones(n), np.zeros(n))
        return self._expr_lookup(name, key, span, n)

    def _expr_lookup(self, name: str, key: list[np.ndarray], span, n: int):
        e = self.ctx.exprs[name]
        self.evaluate_expr(e, span)
        if e.targets:
            raw = [k.a for k in key]
            idx = np.fromiter((e.keymap.get(tuple(norm(v) for v in t), -1) for t in zip(*raw)),
                              dtype=np.int64, count=n)
            bad = np.flatnonzero(idx < 0)
            if len(bad):
                i = int(bad[0])
                raise EvalError(f"the expression '{name}' is not defined for "
                                f"{key_str(tuple(_plain(k[i]) for k in raw))}", span,
                                "check its 'for:' sets and condition")
        else:
            idx = np.zeros(n, dtype=np.int64)
        lin = e.value
        counts = e.ptr[idx + 1] - e.ptr[idx]
        total = int(counts.sum())
        self.ctx.ev._check_terms(total, span)
        rows = np.repeat(np.arange(n, dtype=np.int64), counts)
        offs = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        pos = e.order[np.repeat(e.ptr[idx], counts) + offs]
        return Lin(rows, lin.cols[pos], lin.coefs[pos], lin.const[idx])

    def evaluate_expr(self, e: NamedExpr, span) -> None:
        """Evaluate a named expression over its bindings once (a memo in ``e``); a cycle, or an
        error inside it, is reported at the expression and fails the item that uses it."""
        ctx = self.ctx
        if e.state == "done":
            return
        if e.state == "failed":
            raise ItemFailed()
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
            frame, _ = ctx.ev.bindings(e.clauses, e.condition) if e.clauses else (Frame.unit(), None)
            value = ctx.ev.evaluate(e.node, frame)
            if not isinstance(value, (Lin, Const)):
                raise EvalError("a named expression must be a number or a linear expression", e.node.span)
        except EvalError as exc:
            e.state = "failed"
            ctx.failed_exprs.add(e.name)
            ctx.report(exc, e.path)
            raise ItemFailed() from None
        except ItemFailed:
            e.state = "failed"
            ctx.failed_exprs.add(e.name)
            raise
        finally:
            self._stack.pop()
        lin = as_lin(value, frame.n)
        e.frame = frame
        e.value = lin
        if e.targets:
            cols = [frame.cols[t] for t in e.targets]
            e.keymap = {tuple(norm(v) for v in t): i for i, t in enumerate(zip(*cols))}
        e.order = np.argsort(lin.rows, kind="stable")
        e.ptr = np.zeros(frame.n + 1, dtype=np.int64)
        np.cumsum(np.bincount(lin.rows, minlength=frame.n), out=e.ptr[1:])
        e.state = "done"

    def contains(self, name: str, key: list[np.ndarray]) -> np.ndarray:
        return self._set_codes(name, key) >= 0

    def unknown(self, name: str, span) -> EvalError:
        ctx = self.ctx
        if name in ctx.failed_exprs:
            raise ItemFailed()  # its own error is reported once, where it is defined
        hint = ctx.member_hint(name) or did_you_mean(name, list(ctx.kinds)) or \
            "declare it under variables:, expressions:, params: or sets:"
        return EvalError(f"unknown name '{clip(name)}'", span, hint)
