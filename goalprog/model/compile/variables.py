"""Decision variables: one block of columns per variable, laid out over its index sets.

Row-major in set order, so ``make[p, t]`` is ``start + code(p) * |T| + code(t)``.  Bounds are
numbers, expressions over parameters, or (for an indexed variable) a parameter over the same sets.
"""

from __future__ import annotations

import math

import numpy as np

from ...core.errors import did_you_mean
from ...core.limits import product_text
from ...spec.data import index_names
from ...spec.schema import VariableSpec
from ..expr import ast as A
from ..expr.values import OBJ, EvalError, Frame
from ..ir import ROLE_DECISION, _plain, index_columns
from .context import HUGE, INF, CompileContext, ItemFailed, Var, key_str


def build(ctx: CompileContext) -> None:
    for name, vs in ctx.spec.variables.items():
        vs = vs or VariableSpec()
        path = ("variables", name)
        index = index_names(vs.index)
        var = Var(name, index)
        ctx.vars[name] = var
        bad = [s for s in index if s not in ctx.data.sets]
        for s in bad:
            ctx.issues.add(f"unknown set '{s}' in the index of variable '{name}'", ctx.doc.location(path + ("index",)),
                           hint=did_you_mean(s, ctx.data.sets) or "declare it under 'sets:'")
        if bad:
            var.failed = True
            continue
        if index:
            ctx.index_names[("variable", name)] = index_columns(
                [(s, s if ctx.data.sets[s].arity == 1 else f"{s}_{k + 1}")
                 for s in index for k in range(ctx.data.sets[s].arity)])
        sizes = [len(ctx.data.sets[s].members) for s in index]
        count = math.prod(sizes) if index else 1  # Python ints: no overflow
        ctx.item_path = path
        if count > ctx.limits.max_instances:
            ctx.too_large(f"the variable '{name}' has {count:,} instances ({product_text(zip(index, sizes))}), "
                          f"more than the limit of {ctx.limits.max_instances:,} instances", path + ("index",),
                          ctx.limits.instance_hint())
        try:
            lower = _bound(ctx, vs.lower, -INF, var, count, path + ("lower",))
            upper = _bound(ctx, vs.upper, INF, var, count, path + ("upper",))
        except ItemFailed:
            lower = upper = None
        if lower is None or upper is None:
            var.failed = True
            continue
        for arr, f in ((lower, "lower"), (upper, "upper")):
            huge = np.isfinite(arr) & (np.abs(arr) >= HUGE)
            if huge.any():
                ctx.issues.add(f"the {f} bound {arr[huge][0]:g} is too large: solvers treat {HUGE:g} and more as "
                               "infinite", ctx.doc.location(path + (f,)),
                               hint="rescale the units, or leave the bound out for 'no bound'")
                lower = None
                break
            if np.isnan(arr).any() or (f == "lower" and (arr == INF).any()) or (f == "upper" and (arr == -INF).any()):
                bad_v = arr[np.isnan(arr) | np.isinf(arr)][0]
                ctx.issues.add(f"the {f} bound is {bad_v}, not a usable number", ctx.doc.location(path + (f,)),
                               hint=f"give a number, or leave '{f}' out" + (" (default 0)" if f == "lower" else
                                                                          " (no upper bound)"))
                lower = None
                break
        if lower is None:
            var.failed = True
            continue
        if vs.type == "binary":
            for f, outside in (("lower", "lower" in vs.model_fields_set and (lower < 0).any()),
                               ("upper", "upper" in vs.model_fields_set and (upper > 1).any())):
                if outside:  # a binary is 0 or 1 whatever this bound says
                    loc = ctx.doc.location(path + (f,))
                    bound = "a lower bound below 0" if f == "lower" else "an upper bound above 1"
                    ctx.warnings.append(f"{loc.prefix() + ': ' if loc.prefix() else ''}variables.{name}.{f}: a binary "
                                        f"variable is 0 or 1, so {bound} does nothing: leave it out (or make the "
                                        "variable integer)")
            lower = np.maximum(lower, 0.0)
            upper = np.minimum(upper, 1.0)
        if vs.type in ("integer", "binary"):
            no_int = np.flatnonzero(np.ceil(lower - 1e-9) > np.floor(upper + 1e-9))
            if len(no_int) and not (lower > upper)[no_int[0]]:
                k = int(no_int[0])
                label = tuple(_plain(a[0]) for a in _var_keys(ctx, index, sizes, np.array([k]))) if index else ()
                ctx.issues.add(f"there is no whole number between the bounds {lower[k]:g} and {upper[k]:g} of "
                               f"this {vs.type} variable" + (f" for {key_str(label)}" if label else ""),
                               ctx.doc.location(path), hint="widen the bounds or make the variable continuous")
                var.failed = True
                continue
            # every solver sees whole-number bounds (glpsol refuses a fractional one: "integer column has
            # non-integer upper bound"); 1e-9 absorbs the data's rounding (2.9999999999 -> 3)
            lower, upper = np.ceil(lower - 1e-9) + 0.0, np.floor(upper + 1e-9) + 0.0  # + 0.0: no -0.0
        bad_b = np.flatnonzero(lower > upper)
        if len(bad_b):
            k = int(bad_b[0])
            key = _var_keys(ctx, index, sizes, np.array([k]))
            label = tuple(_plain(a[0]) for a in key)
            ctx.issues.add(f"lower bound {lower[k]:g} is above upper bound {upper[k]:g}"
                           + (f" for {key_str(label)}" if label else ""), ctx.doc.location(path),
                           hint="swap the bounds or fix the data")
            var.failed = True
            continue
        keys = _var_keys(ctx, index, sizes, np.arange(count)) if index else []
        var.start = ctx.add_cols(lower, upper, vs.type in ("integer", "binary"), ROLE_DECISION, name, keys)
        var.count = count


def _var_keys(ctx: CompileContext, index, sizes, flat: np.ndarray) -> list[np.ndarray]:
    """Index values (one object array per position) of the given row-major positions."""
    if 0 in sizes:  # a variable over an empty set has no columns
        return [np.empty(0, dtype=OBJ) for s in index for _ in ctx.resolver.members(s)]
    keys = []
    stride = int(np.prod(sizes)) if sizes else 1
    for s, size in zip(index, sizes):
        stride //= size
        codes = (flat // stride) % size
        for part in ctx.resolver.members(s):
            keys.append(part[codes])
    return keys


def _bound(ctx: CompileContext, value, none_value, var: Var, count: int, path):
    if value is None:
        return np.full(count, none_value)
    if isinstance(value, (float, int)):
        return np.full(count, float(value))
    stripped = value.strip()
    index = var.index
    if index and stripped in ctx.data.params and ctx.data.params[stripped].index == index:
        dense = ctx.resolver.param_dense(stripped)
        if dense is None:  # pragma: no cover - beyond DENSE_LIMIT
            ctx.issues.add(f"the parameter '{stripped}' is too large to serve as a bound", ctx.doc.location(path))
            return None
        missing = np.flatnonzero(np.isnan(dense))
        if len(missing):
            sizes = [len(ctx.data.sets[s].members) for s in index]
            key = tuple(_plain(a[0]) for a in _var_keys(ctx, index, sizes, missing[:1]))
            ctx.issues.add(f"the parameter '{stripped}' has no value for {key_str(key)}", ctx.doc.location(path),
                           hint="give a value or a default for the parameter")
            return None
        return dense.copy()
    node = ctx.parse(value, path, frozenset())
    if node is None:
        return None
    uses = sorted(n for n in A.names_in(node) if ctx.kinds.get(n) in ("var", "expr"))
    if uses:
        what = "variable" if ctx.kinds[uses[0]] == "var" else "named expression"
        ctx.issues.add(f"a bound is a number or an expression over parameters; '{uses[0]}' is a {what}",
                       ctx.doc.location(path),
                       hint="write the relation as a constraint instead, e.g. x >= cost")
        return None
    try:
        v = float(ctx.ev.constant(node, Frame.unit(), "a bound")[0])
    except EvalError as exc:
        hint = exc.hint
        if index:
            hint = (f"an indexed bound must be a parameter over the same sets ({', '.join(index)}), "
                    "written by its bare name, e.g. upper: capacity")
        ctx.report(EvalError(exc.message, exc.span, hint), path)
        return None
    return np.full(count, v)
