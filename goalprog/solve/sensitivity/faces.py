"""Preemptive levels measured on the chain's own stage models: the earlier levels held on their optimal faces.

A preemptive chain with exact face locks (:mod:`goalprog.solve.strategies.preemptive`) solves level
``k`` with each earlier level held on its optimal face: the columns with a nonzero reduced cost fixed
at their bounds and the rows with a nonzero dual made equalities at their active sides
(:class:`goalprog.solve.stages.BoundRestriction`).  That model is well posed where the same set held
by lock rows at ``h*`` is not (a lock row on an exact optimum leaves the simplex a face as wide as its
feasibility tolerance: benchmarks/RESULTS.md, "Sensitivity"), and the chain kept its optimal basis.

It is also the lexicographic held model at moved data, within a reach: when a row's side moves by ``t``
and, at every earlier level, the basis whose dual fixed that level's face stays optimal over
``[0, t]`` (HiGHS's ranging), each earlier level's optimum moves by ``t`` times that dual and its
optimal face at the moved data is the same restriction with the row moved (complementary slackness with
that dual; Gal, *Postoptimal Analyses, Parametric Programming, and Related Topics*, 1995, ch. 3; for the
face of a level's optimum, Adler & Monteiro, "A geometric view of parametric linear programming",
*Algorithmica* 8 (1992) 161-176).  The level rows of faced levels are set free in these models (on the
face they are implied, and a row at ``h*`` would stop every move that changes the level's optimum).

No solver is imported here.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ..backends.base import EXACT_DUAL_TOLERANCE
from ..stages import BoundRestriction, stage_model
from .lexico import level_rows

__all__ = ["faces_ready", "face_model", "own_face", "reach_of", "DUAL_TOL"]

DUAL_TOL = EXACT_DUAL_TOLERANCE
"""A reduced cost or dual counts as nonzero above this: the chain's exact face's threshold."""


def faces_ready(result, n: int) -> bool:
    """Whether each of the first ``n`` stages of ``result``'s chain can be analysed on the chain's own stage
    model from the chain's own optimal basis: every stage kept its basis (highs backend), no restriction
    was lifted, every level the later ones hold is held on its exact optimal face (no lock slack; a
    ``row`` lock's guard would let the later levels use it) or, met exactly, by its row ``h <= 0``, and
    each level has one lock row (no per-goal caps, whose bounds would not follow the moved data)."""
    recs = result.stage_records[:n]
    if result.lock_abs_tol is not None or result.lock_rel_tol is not None:
        return False

    def held(k, rec):  # on its face, or (a level met exactly) by its row h <= 0 without a guard
        if k == n - 1 or not rec.locks:
            return True
        if rec.restriction is not None:
            return rec.restriction.budget == 0.0
        return rec.value == 0.0 and not rec.guard
    return all(rec.basis is not None and not rec.lifted and len(rec.locks) <= 1 and held(k, rec)
               for k, rec in enumerate(recs))


def face_model(model, records, k: int):
    """Stage ``k``'s model as the chain of ``records`` (:class:`~goalprog.solve.stages.ChainStage`) holds it
    (:func:`goalprog.solve.stages.stage_model`), with the level row of each earlier level held on its
    optimal face set free.  A level without a face (one met exactly: its level row ``h <= 0`` is its
    hold) keeps its level row."""
    sm = stage_model(model, k, records)
    extra = list(sm.extra_rows)
    for lev, j in level_rows(sm, records).items():
        if records[lev].restriction is not None:
            extra[j] = replace(extra[j], lower=-math.inf, upper=math.inf)
    return replace(sm, extra_rows=tuple(extra))


def own_face(session, sm) -> BoundRestriction | None:
    """The optimal face of stage ``sm`` as the optimal dual of ``session`` (the stage just re-solved on
    HiGHS) fixes it, as the chain's exact face lock does (columns with a reduced cost beyond
    :data:`DUAL_TOL` fixed at their bound, rows with such a dual made equalities at their active side;
    only those the stage model leaves free; lock rows are left alone): a
    :class:`~goalprog.solve.stages.BoundRestriction`, ``None`` without a valid dual.  Built from the
    same dual as the stage's ranging, so a side that ranging keeps linear keeps this face exact."""
    h = getattr(session, "h", None)
    if h is None:
        return None
    sol = h.getSolution()
    if not (sol.value_valid and sol.dual_valid):
        return None
    sign = 1.0 if sm.objective.sense == "min" else -1.0
    m = sm.model

    def face(dual, lo, hi):
        dual = sign * np.asarray(dual, dtype=np.float64)
        free = lo < hi
        at_lo = free & (dual > DUAL_TOL) & np.isfinite(lo)
        at_hi = free & (dual < -DUAL_TOL) & np.isfinite(hi) & ~at_lo
        idx = np.flatnonzero(at_lo | at_hi)
        side = np.where(at_lo[idx], lo[idx], hi[idx])
        return idx, side, side

    cols = face(sol.col_dual, np.asarray(m.col_lower, dtype=np.float64), np.asarray(m.col_upper, dtype=np.float64))
    rows = face(np.asarray(sol.row_dual)[:m.n_rows], np.asarray(m.row_lower, dtype=np.float64),
                np.asarray(m.row_upper, dtype=np.float64))
    return BoundRestriction(*cols, *rows, fixed=True, budget=0.0, tolerance=DUAL_TOL)


def reach_of(stages, k: int, r: int, lo_moves: bool, hi_moves: bool) -> tuple[float, float]:
    """How far row ``r`` moves (left, right) with every level before stage ``k`` on the optimal face the
    chain fixed: the least length over those levels of the side's linear piece in the level's face
    model with the chain's own dual (HiGHS's ranging); 0 where one is not known."""
    reach = [math.inf, math.inf]
    for st in stages:
        if st.sm.index >= k:
            break
        known = st.ranging.row(r, *st.sides_of(r, lo_moves, hi_moves)) if st.face and st.kept and st.ranging else None
        (sl, dl), (sr, dr) = known if known is not None else ((None, 0.0), (None, 0.0))
        reach = [min(reach[0], dl if sl is not None else 0.0), min(reach[1], dr if sr is not None else 0.0)]
    return reach[0], reach[1]
