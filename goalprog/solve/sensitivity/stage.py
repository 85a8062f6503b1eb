"""One stage (level) of a plan being analysed: its re-solved held model, basis ranging and time budget.

:class:`Stage` re-solves one stage's model through the result's backend
(:class:`~.parametric.StageSolver`), from the chain's basis or the plan, within an iteration (and
time) cap, and keeps HiGHS's ranging of its optimal basis; :class:`Sides` is the time and count
budget of ``basis`` mode's degenerate sides; :func:`face_stages` opens a preemptive chain's levels on
their face models (:mod:`.faces`).  Used by :mod:`.compute`; definitions in docs/methods.md,
"Sensitivity of the plan".

No solver is imported here.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ...core.status import Termination
from .faces import face_model, own_face
from .parametric import StageSolver
from .ranging import basis_ranging

__all__ = ["Stage", "Sides", "face_stages", "chain_basis", "unsolved_note", "moves", "stage_iterations",
           "STAGE_ITERATIONS", "DEGENERATE_SIDES"]

DEGENERATE_SIDES = 100
"""In ``basis`` mode, at most this many sides without a basis range (degenerate: length 0, or a row
HiGHS's ranging does not cover) are measured by re-solves; the rest are ``nan`` and a note counts them."""


class Sides:
    """How many degenerate sides ``basis`` mode may still re-solve, and how many it left."""

    def __init__(self, basis: bool, seconds: float = math.inf):
        self.basis, self.left, self.skipped = basis, DEGENERATE_SIDES, 0
        self.seconds, self.spent, self.timed_out = seconds, 0.0, False
        self.unmeasured = 0  # sides whose chain of re-solves ended without an answer (lexico.Unmeasured)
        self.off_plan = 0  # weight rows of a level whose basic solution is not the plan (no cost ranging of the plan)
        self.rows: set = set()  # the rows (keys) with a side refused: their n/a is explained by the note

    def take(self, sides: int = 1, key=None) -> bool:
        if not self.basis:
            return True
        if self.spent >= self.seconds:
            self.timed_out = True
        elif self.left >= sides:
            self.left -= sides
            return True
        self.skipped += sides
        self.rows.add(key)
        return False

STAGE_ITERATIONS = 1_000
"""With HiGHS, a stage's first solve (from the plan) may take at most ``STAGE_ITERATIONS`` plus a quarter of
the model's rows simplex iterations (:func:`stage_iterations`); a stage not solved within them is given up
(its rows n/a, a note names it).  Measured: every stage of the benchmark's production plans solves in
at most 1,603 from the plan (tiny to medium), but level 3 of the medium preemptive chain held by its
lock rows at ``h*`` ends after 15,000-29,000 iterations (8-12 s) without an optimum (benchmarks/RESULTS.md)."""

_NO_LIMIT = 2_147_483_647  # HiGHS's default simplex_iteration_limit


def stage_iterations(model) -> int:
    """The simplex iterations a stage's first solve may take on ``model`` (:data:`STAGE_ITERATIONS`)."""
    return STAGE_ITERATIONS + model.n_rows // 4



class Stage:
    """One stage being analysed: its solver, sense and base value ``v0`` (convex form; ``raw0`` in the
    stage's own sense; re-solved with the re-solves' options, so differences are taken between like
    values).  ``face``: the model is the chain's own stage model (the earlier levels held on their
    optimal faces, :func:`_face_stages`); ``kept``: its re-solve kept the chain's basis (no simplex
    iteration), so its duals are the ones the chain's next face was made from."""

    def __init__(self, sm, backend, options, x=None, sides=None, basis=None, face=False, seconds=None,
                 ranging=True):
        self.sm, self.sides, self.face = sm, sides or Sides(False), face
        self.faced = False  # set by sensitivity(): the chain held this level on its optimal face
        self.solver = StageSolver(sm, backend, options)
        if not self.solver.start_basis(basis) and x is not None:
            self.solver.start(x)
        self.sign = 1.0 if sm.objective.sense == "min" else -1.0
        self.capped = False
        v0, xs = self._first() if seconds is None else self._first(seconds)
        # the basis's own solution is the plan: its cost ranging is the plan's (a weight range is about the plan)
        self.plan_basis = bool(v0 is not None and x is not None and xs is not None and
                               np.all(np.abs(np.asarray(xs) - x) <= 1e-9 * np.maximum(1.0, np.abs(x))))
        # the first basis's column statuses (HiGHS codes: 0 at lower, 1 basic, 2 at upper), kept when its solution is
        # not the plan: a column nonbasic there at the bound the plan has it at still prices the plan
        got = self.solver.session.basis() if v0 is not None and not self.plan_basis and \
            hasattr(self.solver.session, "basis") else None
        self.col_status = None if got is None else got[0]
        self.raw0 = v0
        self.v0 = None if v0 is None else self.sign * v0
        h = getattr(self.solver.session, "h", None)
        self.kept = False  # set by _face_stages
        self.backend, self.options = backend, options
        self.ranging = basis_ranging(self.solver.session, v0) if v0 is not None and ranging else None
        if self.sides.basis and h is not None:
            # a degenerate side's re-solve starts next to its answer: one that needs as many
            # iterations as a held model's first solve is given up (n/a) rather than run for minutes
            h.setOptionValue("simplex_iteration_limit", stage_iterations(sm.model))

    def _first(self, seconds=None):
        """The stage's first solve; with HiGHS at most :func:`stage_iterations` simplex iterations (a held
        model the simplex does not solve within them is given up: ``capped``, its rows n/a) and, when
        ``seconds`` is given, at most that long."""
        h = getattr(self.solver.session, "h", None)
        if h is None:
            return self.solver.solve()
        h.setOptionValue("simplex_iteration_limit", stage_iterations(self.sm.model))
        if seconds is not None:
            h.setOptionValue("time_limit", max(0.01, float(seconds)))
        try:
            got = self.solver.solve()
            self.capped = got[0] is None and self.solver.last.termination in (Termination.ITERATION_LIMIT,
                                                                              Termination.TIME_LIMIT)
        finally:
            h.setOptionValue("simplex_iteration_limit", _NO_LIMIT)
            if seconds is not None:
                h.setOptionValue("time_limit", math.inf)
        return got

    def f(self, moves_of):
        """The stage's value (convex: minimised sense) as a function of the offset ``t``."""
        def value(t):
            v, _ = self.solver.solve(moves_of(t))
            return None if v is None else self.sign * v
        return value

    def sides_of(self, i: int, lo_moves: bool, hi_moves: bool) -> tuple[bool, bool]:
        """The sides of row ``i`` that move in this stage's model: both where an earlier level's face
        made the row an equality at its active side (the face moves with it)."""
        m = self.sm.model
        if self.face and float(m.row_lower[i]) == float(m.row_upper[i]):
            return True, True
        return lo_moves, hi_moves


def moves(sm, i: int, lo_moves: bool, hi_moves: bool):
    lo, hi = float(sm.model.row_lower[i]), float(sm.model.row_upper[i])

    def moves_of(t):
        return {i: (lo + t if lo_moves else lo, hi + t if hi_moves else hi)}
    return moves_of



def face_stages(result, n, backend, options, x, sides):
    """The first ``n`` stages of ``result``'s chain on face models (:mod:`.faces`), each started from the
    chain's own basis of that stage.  The face a level holds the later ones on is the one its own
    re-solve's dual fixes (:func:`~.faces.own_face`; the chain's, made at its own tolerances, can differ
    by a column whose reduced cost is at the face threshold), so the ranging that says how far a side
    stays linear is that dual's: ``kept``.  A level the chain held by its level row alone keeps it."""
    recs = list(result.stage_records)
    stages = []
    for k in range(n):
        st = Stage(face_model(result.model, recs, k), backend, options, x, sides, recs[k].basis, face=True)
        st.faced = recs[k].restriction is not None
        if st.v0 is not None:
            own = own_face(st.solver.session, st.sm) if st.faced else None
            st.kept = not st.faced or own is not None
            if own is not None:
                recs[k] = replace(recs[k], restriction=own)
        stages.append(st)
    return stages


def chain_basis(result, sm):
    """The chain's own optimal basis for stage ``sm`` where its held model is the model the chain solved
    (level 1: no lock row, no restriction), else ``None`` (then the plan starts it).  Later levels are
    started from the plan: from the chain's basis of a face-restricted level (face columns set free, at
    their bounds) HiGHS took more iterations, and ended without an optimum at the re-solves' tolerances
    (benchmarks/RESULTS.md, "Sensitivity", session 7b)."""
    recs = getattr(result, "stage_records", ())
    return recs[0].basis if sm.index == 0 and result.method == "preemptive" and recs else None


def unsolved_note(st) -> str:
    """The note of a stage whose held model (its first solve) found no optimum."""
    name = f"level {st.sm.level}" if st.sm.level is not None else "the stage"
    last = getattr(st.solver, "last", None)
    why = (f"the simplex found no optimum within {stage_iterations(st.sm.model):,} iterations from the plan"
           if st.capped else "its re-solve found no optimum" + (f" ({last.termination.value})" if last is not None else ""))
    return (f"{name}: its model with the earlier levels held by their lock rows at their optima was not solved ({why}; "
            "such a model can be numerically thin: each lock row sits on the face its level's optimum leaves); the numbers "
            f"of {name} (its targets, weights and per-level rates) are n/a (null in JSON); the other levels' are given")


