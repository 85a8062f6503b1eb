"""A preemptive level's lexicographic value as a function of one moved row, and when it needs no chain.

For preemptive (lexicographic) GP the sensitivity measures ``v_k(b)``: the optimum of priority
level ``k`` when the whole goal program is solved afresh with one bound or target at ``b``: level 1
optimised at ``b``, level 2 with level 1 held at its new optimum ``h_1(b)``, and so on.  It is the
lexicographic value function, the one the multi-row simplex tableau of preemptive GP ranges
(Ignizio, *Linear Programming in Single- & Multiple-Objective Systems*, 1982, ch. 19; Lee, *Goal
Programming for Decision Analysis*, 1972, ch. 6; for lexicographic LP, Isermann, "Linear
lexicographic optimization", *OR Spektrum* 4 (1982) 223-228): what a re-solve of the whole
program with the new bound would show.  Each ``v_k`` is piecewise linear (convex for a minimised
level) in ``b``.

:class:`Lex` evaluates ``v_k`` at an offset ``t`` by that chain of re-solves, each level on its
held model (:func:`goalprog.solve.sensitivity.compute.stage_models`) with the earlier levels'
level rows moved to their values at the same ``t`` (memoised per offset, so the per-level rates of
one row share their re-solves).  :func:`unaffected` says when no chain is needed: a goal's row
whose deviation columns no earlier level prices moves no earlier level's optimum (the deviations
absorb the move), so the level's own held model gives ``v_k`` directly.

No solver is imported here.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ...core.status import Termination

__all__ = ["Lex", "Unmeasured", "is_level_row", "level_rows", "unaffected"]


class Unmeasured(Exception):
    """A re-solve of the chain ended without an answer (an iteration or time limit, a numerical
    failure): the number it was for is not measured (``nan``), which is not the same as no plan."""


_NO_PLAN = (Termination.INFEASIBLE, Termination.UNBOUNDED, Termination.INFEASIBLE_OR_UNBOUNDED)


def is_level_row(row, rec) -> bool:
    """Whether the lock row ``row`` (an :class:`~goalprog.model.ir.ExtraRow`) holds the whole achievement of the
    chain stage ``rec`` (its level row, at the row's scale: level_scale.py), not a per-goal cap."""
    v = rec.objective.vector
    if row.scale != 1.0:
        v = replace(v, coefs=v.coefs * row.scale, constant=v.constant * row.scale)
    a = row.vector
    return a is v or (a.constant == v.constant and np.array_equal(a.indices, v.indices)
                      and np.array_equal(a.coefs, v.coefs))


def level_rows(sm, records) -> dict[int, int]:
    """``{l: j}``: for each earlier level ``l`` of the stage model ``sm``, the index ``j`` (among
    ``sm.extra_rows``) of the lock row on level ``l``'s whole achievement (its level row; with
    ``lock: {granularity: goal}`` the per-goal caps are other rows and stay as the chain set them).
    A level without such a row (none was added: a level weighing nothing) is absent."""
    out, i = {}, 0
    for l, rec in enumerate(records[:sm.index]):
        for j in range(i, i + len(rec.locks)):
            if is_level_row(sm.extra_rows[j], rec):
                out[l] = j
                break
        i += len(rec.locks)
    return out


def unaffected(model, objectives, i: int, lo_moves: bool, hi_moves: bool) -> bool:
    """Whether moving row ``i``'s moving side(s) leaves the optimum of every level whose achievement
    is in ``objectives`` (their :class:`~goalprog.model.ir.Objective` s) unchanged, for every offset:
    row ``i`` is a goal's row, the deviation column(s) that absorb the move exist, are unbounded
    above, and no objective prices either deviation column.  (Each plan of such a level then stays a
    plan, with its deviations shifted, at the same achievement, and back.)"""
    g = model.goals
    hit = np.flatnonzero(g.row == i)
    if not len(hit):
        return False
    k = int(hit[0])
    under, over = int(g.under_col[k]), int(g.over_col[k])
    need = ([under] if lo_moves else []) + ([over] if hi_moves else [])
    if any(c < 0 or math.isfinite(float(model.col_upper[c])) for c in need):
        return False
    cols = [c for c in (under, over) if c >= 0]
    return not any(np.isin(cols, o.vector.indices).any() for o in objectives)


class Lex:
    """The chain of re-solves giving ``v_0(t) .. v_k(t)`` with row ``i`` moved by ``t``.

    ``stage(k)`` returns level ``k``'s analysed held model (an object with ``solver`` (a
    :class:`~.parametric.StageSolver`), ``sm``, ``sign`` and ``raw0`` (its re-solved optimum in its own
    sense, ``None`` when not solved)), opening it on first use.  ``rows[k]``: :func:`level_rows` of
    stage ``k``.  ``objectives[k]``: level ``k``'s objective."""

    def __init__(self, stage, rows, objectives, model):
        self.stage, self.rows, self.objectives, self.model = stage, rows, objectives, model
        self._key, self._memo = None, {}
        self._goal_rows = set(np.asarray(model.goals.row).tolist())

    def free(self, k: int, i: int, lo_moves: bool, hi_moves: bool) -> bool:
        """Whether row ``i`` moves no level before ``k`` (then level ``k``'s held model alone gives ``v_k``)."""
        return k == 0 or (i in self._goal_rows and unaffected(self.model, self.objectives[:k], i, lo_moves, hi_moves))

    def value(self, k: int, i: int, lo_moves: bool, hi_moves: bool, t: float):
        """``v_k(t)`` in level ``k``'s own sense; ``None`` when the chain has no plan at ``t`` (a level
        infeasible, the hard constraints first of all).  Raises :class:`Unmeasured` when a re-solve
        ended for another reason."""
        key = (i, lo_moves, hi_moves)
        if key != self._key:
            self._key, self._memo = key, {}
        memo = self._memo.setdefault(t, {})
        if k in memo:
            return memo[k]
        moves = {}
        if k > 0 and not self.free(k, i, lo_moves, hi_moves):
            for l, j in self.rows[k].items():
                v = self.value(l, i, lo_moves, hi_moves, t)
                if v is None:
                    memo[k] = None
                    return None
                base = self.stage(l).raw0
                st = self.stage(k)
                lo, hi = st.solver._sides(st.sm.model.n_rows + j)
                d = (v - base) * st.sm.extra_rows[j].scale
                if d:
                    moves[st.sm.model.n_rows + j] = (lo + d if math.isfinite(lo) else lo, hi + d if math.isfinite(hi) else hi)
        st = self.stage(k)
        if st.raw0 is None:
            raise Unmeasured(f"level {k + 1}'s held model was not solved")
        m = st.sm.model
        lo, hi = float(m.row_lower[i]), float(m.row_upper[i])
        moves[i] = (lo + t if lo_moves else lo, hi + t if hi_moves else hi)
        got, _ = st.solver.solve(moves)
        if got is None:
            last = getattr(st.solver, "last", None)
            if last is not None and last.termination not in _NO_PLAN and not any(a > b for a, b in moves.values()):
                raise Unmeasured(f"a re-solve of level {k + 1} ended {last.termination.value}")
        memo[k] = got
        return got

    def recession(self, k: int, i: int, lo_moves: bool, hi_moves: bool, sign: float, recession):
        """``lim v_k(t) / t`` (``t -> inf``, row ``i`` moving by ``sign * t``) in level ``k``'s own sense: the
        lexicographic recession, each level's homogeneous LP with the earlier levels' level rows at their own
        limits (``recession``: :func:`~.parametric.recession`); ``None`` where one has no optimum."""
        out: list[float] = []
        for lev in range(k + 1):
            st = self.stage(lev)
            n = st.sm.model.n_rows
            sides = {}
            for l, j in self.rows[lev].items():
                row = st.sm.extra_rows[j]
                r = out[l] * row.scale
                sides[n + j] = (r if math.isfinite(row.lower) else row.lower, r if math.isfinite(row.upper) else row.upper)
            st.solver.solves += 1
            got = recession(st.sm, st.backend, st.options, {i: (lo_moves, hi_moves)}, sign, sides)
            if got is None:
                return None
            out.append(got)
        return out[k]

    def f(self, k: int, i: int, lo_moves: bool, hi_moves: bool):
        """``t -> v_k(t)`` in the convex (minimised) form, for :func:`~.parametric.one_side`."""
        def value(t):
            v = self.value(k, i, lo_moves, hi_moves, t)
            return None if v is None else self.stage(k).sign * v
        return value
