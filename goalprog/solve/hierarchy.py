"""A preemptive goal program as one multi-objective model: one objective per priority level.

Gurobi's hierarchical multi-objective mode (``Model.setObjectiveN``), CPLEX's multi-objective
optimisation (``Cplex.multiobj``) and their shared multi-objective LP file format all take a
model with *several* linear objectives, each with a priority, a weight and two degradation
tolerances, and optimise them lexicographically, highest priority first.  :func:`hierarchy`
turns a compiled :class:`~goalprog.model.ir.LinearModel` into that shape, with the objectives
goalprog's preemptive chain (:mod:`goalprog.solve.strategies.preemptive`) minimises:

* the model's columns and rows as compiled (goal rows with their deviation columns, hard
  constraints, bounds, integrality), plus, for a level whose lambda is below 1 (extended
  lexicographic GP, 0 = Chebyshev), its min-max column ``D`` and rows ``term_t - D <= 0``
  (:func:`goalprog.solve.achievement.with_minmax_columns`), exactly as the chain adds them;
* for each priority level ``k = 0 .. L-1`` of :meth:`LinearModel.priorities` (most important
  first), the level's achievement function ``h_k``
  (:func:`goalprog.solve.achievement.achievement`: its weighted unwanted deviations, within-level
  weights and normalisation scales in the coefficients, plus its plain objectives with their
  sense folded in), as a **minimisation**: a level of ``maximize`` objectives only is negated;
* the solver priority ``L - k``: Gurobi and CPLEX optimise the largest priority first, so
  goalprog's priority 1 (the most important) gets the largest number.

No lock rows are added: holding each level is the solver's job (its AbsTol/RelTol, see
docs/methods.md, "Native multi-objective cross-checks" and docs/export.md).  No solver library
is imported here.

Reference: Jones & Tamiz, *Practical Goal Programming* (2010), ch. 2 (lexicographic GP as a
sequence of minimisations); the Gurobi reference manual, "Multiple Objectives"; the CPLEX
User's Manual, "Multiobjective optimization".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import numpy as np

from ..core.errors import ArgumentError
from ..model.ir import LinearModel, SparseVector

__all__ = ["LevelObjective", "Hierarchy", "hierarchy", "level_name"]


@dataclass(frozen=True)
class LevelObjective:
    """One priority level as an objective of a multi-objective model.

    ``level``: goalprog's priority level (``None`` for goals without one, solved last);
    ``name``: ``level_1`` (``level`` for ``None``); ``priority``: the solver's priority, ``L - k``
    for the ``k``-th level (0-based, most important first), so larger runs first; ``vector``:
    the objective to **minimise**, over the :class:`Hierarchy`'s model's columns, constant
    included; ``sense``: the level's own sense (``"max"`` for a level of ``maximize`` objectives
    only, whose ``vector`` is then the negated achievement function); ``lam``: the level's
    lambda (1 = weighted, 0 = Chebyshev)."""

    level: int | None
    name: str
    priority: int
    vector: SparseVector
    sense: str
    lam: float = 1.0

    def value(self, x: np.ndarray) -> float:
        """The level's achievement at ``x`` (``float[n_cols]``), in the level's own sense and units:
        the minimised vector's value, with its sign changed back for a ``max`` level."""
        v = self.vector.value(x)
        return -v if self.sense == "max" else v


@dataclass(frozen=True)
class Hierarchy:
    """``model`` (the compiled model, with min-max columns where a level needs them) and its
    ``objectives``, one :class:`LevelObjective` per priority level, most important first."""

    model: LinearModel
    objectives: tuple[LevelObjective, ...]

    def dense(self, k: int) -> np.ndarray:
        """Objective ``k``'s coefficients as ``float64[n_cols]`` (its constant left out)."""
        coefs = np.zeros(self.model.n_cols)
        v = self.objectives[k].vector
        np.add.at(coefs, v.indices, v.coefs)
        return coefs


def level_name(level) -> str:
    """``level_1`` for priority 1, ``level`` for the goals without a priority."""
    return "level" if level is None else f"level_{level}"


def hierarchy(model: LinearModel, lams: Mapping | None = None, *, scales_filled: bool = False) -> Hierarchy:
    """The multi-objective form of ``model``'s preemptive chain (see the module docstring).

    ``lams``: priority level -> lambda in [0, 1] for the levels solved as extended GP (0 =
    Chebyshev), as :attr:`goalprog.solve.config.SolveConfig.levels` holds them; a level not in
    it is weighted (lambda 1).  ``scales_filled``: the zero-one normalisation scales of ``model``
    were filled in from a payoff table (:func:`goalprog.solve.normalize.zero_one_scales`).  A
    model with no priority level gives no objectives.

    Raises :class:`~goalprog.core.errors.ArgumentError` for a model with zero-one normalised
    goals whose scales are not filled in (they come from a payoff table at solve time: fill them
    with :func:`goalprog.solve.normalize.zero_one_scales` first) and for a lambda outside [0, 1].
    """
    from .achievement import achievement, with_minmax_columns

    zero_one = getattr(model.goals, "zero_one", None)
    if zero_one is not None and np.any(zero_one) and not scales_filled:
        raise ArgumentError("some goals are zero-one normalised: their scales come from a payoff table at solve "
                            "time, so this model's achievement functions are not the ones goalprog minimises",
                            hint="fill the scales first (goalprog.solve.normalize.zero_one_scales), or use a "
                                 "model without zero-one normalisation")
    levels = model.priorities()
    lam_of = {}
    for level in levels:
        lam = float((lams or {}).get(level, 1.0))
        if not (0.0 <= lam <= 1.0):
            raise ArgumentError(f"the lambda of priority level {level} must be in [0, 1], not {lam!r}")
        lam_of[level] = lam
    model, minmax = with_minmax_columns(model, [lv for lv in levels if lam_of[lv] < 1.0])
    out = []
    for k, level in enumerate(levels):
        objective = achievement(model, level, minmax_col=minmax.get(level, -1), lam=lam_of[level])
        v = objective.vector
        if objective.sense == "max":
            v = SparseVector.make(v.indices, -np.asarray(v.coefs), -v.constant)
        out.append(LevelObjective(level, level_name(level), len(levels) - k, v, objective.sense, lam_of[level]))
    return Hierarchy(model, tuple(out))

