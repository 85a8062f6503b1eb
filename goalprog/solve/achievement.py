"""Achievement functions: how unwanted deviations are turned into the objective of a solve.

Every penalised side of a goal instance is a *penalty term*: by default ``(w / k) * d`` where
``d`` is the deviation column, ``w`` its weight and ``k`` its normalisation scale (1 without
normalisation); with a piecewise-linear ``penalty:`` it is ``sum_s (w / k) * rate_s * d_s`` over
the pieces ``d_s`` of the deviation.  A priority level's achievement function is then one of

* **weighted**:  ``h = sum_t term_t``  (plus the level's plain objectives);
* **Chebyshev** (min-max): ``h = D`` with ``term_t <= D`` for every term of the level;
* **extended**: ``h = (1 - lambda) * D + lambda * sum_t term_t`` (Romero 2001), which is Chebyshev
  at ``lambda = 0`` and weighted at ``lambda = 1``.

References: Jones & Tamiz, *Practical Goal Programming* (2010), ch. 2-4 (normalisation,
Chebyshev and extended GP); Romero, "Extended lexicographic goal programming: a unifying
approach", *Omega* 29 (2001) 63-71; Tamiz, Jones & Romero, *EJOR* 111 (1998).

:func:`with_minmax_columns` returns a copy of a model with one ``D`` column (and its rows) per
level that needs it; the caller's model is never changed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from ..model.ir import INF, LinearModel, Objective, Origins, SparseVector, frozen_array

ROLE_AUX = 3  # auxiliary columns (min-max variables, penalty pieces, efficiency slacks)


@dataclass(frozen=True)
class Terms:
    """The penalty terms of a level, flattened: entry ``k`` adds ``coefs[k] * x[cols[k]]`` to term
    ``term[k]``; ``n`` terms in all."""

    cols: np.ndarray
    coefs: np.ndarray
    term: np.ndarray
    n: int


def penalty_terms(model: LinearModel, level, all_levels: bool = False) -> Terms:
    """The penalty terms of the goals at priority ``level`` (or of all goals)."""
    g = model.goals
    code = 0 if level is None else level
    cols, coefs, term = [], [], []
    n = 0
    for side in ("under", "over"):
        col = getattr(g, f"{side}_col")
        prio = getattr(g, f"{side}_priority")
        w = getattr(g, f"{side}_weight") / getattr(g, f"{side}_scale")
        mask = col >= 0
        if not all_levels:
            mask &= prio == code
        idx = np.flatnonzero(mask)
        piecewise = np.zeros(len(g), dtype=bool)
        for pw in model.penalties:
            if pw.side == side:
                piecewise[pw.goals] = True
        linear = idx[~piecewise[idx]]
        cols.append(col[linear])
        coefs.append(w[linear])
        term.append(n + np.arange(len(linear)))
        n += len(linear)
        for pw in model.penalties:
            if pw.side != side:
                continue
            sel = mask[pw.goals]
            if not sel.any():
                continue
            goals = pw.goals[sel]
            seg = pw.cols[sel]                       # (m, K)
            k = seg.shape[1]
            cols.append(seg.ravel())
            coefs.append((w[goals][:, None] * pw.rates[None, :]).ravel())
            term.append(n + np.repeat(np.arange(len(goals)), k))
            n += len(goals)
    return Terms(np.concatenate(cols).astype(np.int64), np.concatenate(coefs), np.concatenate(term).astype(np.int64), n)


def _objective_part(model: LinearModel, level, all_levels: bool):
    """(cols, coefs, constant, count, max_only) of the plain objectives at ``level``, as minimised."""
    cols, vals, const, n, max_only = [], [], 0.0, 0, True
    for o in model.objectives:
        if all_levels or o.priority == level:
            n += 1
            sign = -1.0 if o.sense == "max" else 1.0
            if o.sense != "max":
                max_only = False
            cols.append(o.expr.indices)
            vals.append(sign * o.weight * o.expr.coefs)
            const += sign * o.weight * o.expr.constant
    if cols:
        uniq, inv = np.unique(np.concatenate(cols), return_inverse=True)
        cols, vals = [uniq], [np.bincount(inv, weights=np.concatenate(vals), minlength=len(uniq))]
    return cols, vals, const, n, max_only


def has_repeats(a: np.ndarray) -> bool:
    """Whether ``a`` holds some value twice.  (Sorted neighbours, not ``len(np.unique(a))``: a plain
    ``np.unique`` imports ``numpy.ma`` in numpy >= 2.3, about 20 ms of start-up on every solve.)"""
    s = np.sort(a)
    return bool((s[1:] == s[:-1]).any())


def achievement(model: LinearModel, level, *, all_levels: bool = False, minmax_col: int = -1,
                lam: float = 1.0) -> Objective:
    """The achievement function of priority ``level`` (or of every goal with ``all_levels``).

    Weighted (``minmax_col < 0`` or ``lam == 1``): the sum of the level's penalty terms.  With a
    min-max column ``D`` (see :func:`with_minmax_columns`): ``(1 - lam) * D + lam * sum``.  The
    level's plain objectives are added (maximised ones with a minus sign).  A level made only of
    maximised objectives is returned as a maximisation so its value reads in the user's terms.
    """
    t = penalty_terms(model, level, all_levels)
    ocols, ovals, const, n_obj, max_only = _objective_part(model, level, all_levels)
    cols = [t.cols] + ocols
    vals = [lam * t.coefs if minmax_col >= 0 else t.coefs] + ovals
    if minmax_col >= 0 and lam < 1.0:
        cols.append(np.array([minmax_col], dtype=np.int64))
        vals.append(np.array([1.0 - lam]))
    idx = np.concatenate(cols)
    val = np.concatenate(vals)
    if len(idx) and has_repeats(idx):
        uniq, inv = np.unique(idx, return_inverse=True)
        idx, val = uniq, np.bincount(inv, weights=val, minlength=len(uniq))
    if n_obj and max_only and t.n == 0:
        return Objective("max", SparseVector.make(idx, -val, -const))
    return Objective("min", SparseVector.make(idx, val, const))


def with_minmax_columns(model: LinearModel, levels) -> tuple[LinearModel, dict]:
    """A copy of ``model`` with a column ``D_l >= 0`` per level in ``levels`` and the rows
    ``term_t - D_l <= 0`` for each penalty term of that level.  ``levels`` may contain ``ALL``
    (every goal in one min-max).  Returns the new model and ``{level: column}``."""
    new_lower, new_upper, names = [], [], []
    row_cols, row_vals, row_ptr = [], [], [0]
    col_of = {}
    n = model.n_cols
    origins = Origins()
    for level in levels:
        t = penalty_terms(model, None if level is ALL else level, all_levels=level is ALL)
        if t.n == 0:
            continue
        d = n + len(new_lower)
        col_of[level] = d
        new_lower.append(0.0)
        new_upper.append(INF)
        label = "minmax" if level is ALL else f"minmax[level {level}]"
        names.append(label)
        order = np.argsort(t.term, kind="stable")
        counts = np.bincount(t.term, minlength=t.n)
        cols = t.cols[order]
        vals = t.coefs[order]
        starts = np.concatenate([[0], np.cumsum(counts)])
        for k in range(t.n):
            a, b = starts[k], starts[k + 1]
            row_cols.append(np.concatenate([cols[a:b], [d]]))
            row_vals.append(np.concatenate([vals[a:b], [-1.0]]))
            row_ptr.append(row_ptr[-1] + (b - a) + 1)
            origins.add(label, [], 1)
    if not new_lower:
        return model, col_of
    return extend(model, np.array(new_lower), np.array(new_upper), names,
                  np.array(row_ptr), np.concatenate(row_cols), np.concatenate(row_vals),
                  np.full(len(row_ptr) - 1, -INF), np.zeros(len(row_ptr) - 1), origins), col_of


class _All:
    def __repr__(self):  # pragma: no cover
        return "ALL"


ALL = _All()


def extend(model: LinearModel, lower, upper, col_names, indptr, indices, data, row_lower, row_upper,
           row_origins: Origins, integer=None) -> LinearModel:
    """A copy of ``model`` with auxiliary columns and rows appended (the model itself is unchanged)."""
    k = len(lower)
    col_origin = Origins()
    for block in _blocks(model.col_origin):
        col_origin.add(*block)
    for name in col_names:
        col_origin.add(name, [], 1)
    row_origin = Origins()
    for block in _blocks(model.row_origin):
        row_origin.add(*block)
    for block in _blocks(row_origins):
        row_origin.add(*block)
    ip = np.concatenate([model.indptr, model.indptr[-1] + np.asarray(indptr[1:], dtype=np.int64)])
    return replace(
        model,
        col_lower=frozen_array(np.concatenate([model.col_lower, lower]), np.float64),
        col_upper=frozen_array(np.concatenate([model.col_upper, upper]), np.float64),
        col_integer=frozen_array(np.concatenate([model.col_integer, np.zeros(k, dtype=bool) if integer is None else integer]), bool),
        col_role=frozen_array(np.concatenate([model.col_role, np.full(k, ROLE_AUX, dtype=np.int8)]), np.int8),
        col_origin=col_origin,
        indptr=frozen_array(ip, np.int64),
        indices=frozen_array(np.concatenate([model.indices, indices]), np.int64),
        data=frozen_array(np.concatenate([model.data, data]), np.float64),
        row_lower=frozen_array(np.concatenate([model.row_lower, row_lower]), np.float64),
        row_upper=frozen_array(np.concatenate([model.row_upper, row_upper]), np.float64),
        row_origin=row_origin,
    )


def _blocks(origins):
    """The blocks of an Origins (or origins from a tuple) as (name, keys, count) triples."""
    if isinstance(origins, Origins):
        return origins.blocks()
    return [(o.name, [np.array([v], dtype=object) for v in o.index], 1) for o in origins]


def penalty_values(model: LinearModel, side: str, dev: np.ndarray) -> np.ndarray:
    """The penalty of each goal's ``side`` deviation ``dev`` (user units): ``(w / k) * d``, or the
    piecewise-linear penalty where the goal has one.  Zero where the side is not penalised."""
    g = model.goals
    col = getattr(g, f"{side}_col")
    w = getattr(g, f"{side}_weight") / getattr(g, f"{side}_scale")
    out = np.where(col >= 0, w * dev, 0.0)
    for pw in model.penalties:
        if pw.side != side:
            continue
        d = dev[pw.goals]
        widths = np.diff(np.concatenate([[0.0], pw.breaks]))          # K, last may be inf
        lows = np.concatenate([[0.0], pw.breaks[:-1]])
        pieces = np.clip(d[:, None] - lows[None, :], 0.0, widths[None, :])
        out[pw.goals] = w[pw.goals] * (pieces * pw.rates[None, :]).sum(axis=1)
    return out


def level_value(model: LinearModel, level, x: np.ndarray, lam: float = 1.0) -> float:
    """The achievement of ``level`` at the plan ``x``, from the goals' true deviations (not from
    the solver's deviation columns, which a level that does not weigh them may leave loose)."""
    from ..model.scaling import unwanted

    g = model.goals
    under, over = unwanted(model, x)
    code = 0 if level is None else level
    at_u = (g.under_col >= 0) & (g.under_priority == code)
    at_o = (g.over_col >= 0) & (g.over_priority == code)
    terms = np.concatenate([penalty_values(model, "under", under)[at_u], penalty_values(model, "over", over)[at_o]])
    value = 0.0
    if len(terms):
        value = float(terms.sum()) if lam >= 1.0 else (1.0 - lam) * float(terms.max()) + lam * float(terms.sum())
    max_only, n_obj = True, 0
    for o in model.objectives:
        if o.priority == level:
            n_obj += 1
            if o.sense != "max":
                max_only = False
            value += (-1.0 if o.sense == "max" else 1.0) * o.weight * o.expr.value(x)
    if n_obj and max_only and not len(terms):
        return -value
    return value
