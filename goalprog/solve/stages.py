"""A stage of a preemptive chain as a value: what was solved, and what held it for the later ones.

A preemptive chain (:mod:`goalprog.solve.strategies.preemptive`) solves one priority level after
another on one backend session, and after each level adds what holds that level for the later
ones: lock rows (:class:`~goalprog.model.ir.ExtraRow`) and, with the lock styles ``face``,
``fix`` and ``exact`` on a backend that gives duals, bound restrictions (columns and rows whose
bounds were narrowed or fixed).  The chain records each stage as a frozen :class:`ChainStage`,
kept on the result (:attr:`goalprog.solve.results.Result.stage_records`), so the model of any
stage can be rebuilt without solving anything:

>>> sm = stage_model(result, 2)          # doctest: +SKIP
>>> sm.model, sm.objective, sm.extra_rows  # the model stage 3 was solved on

:func:`stage_model` is the one place that builds "the model of stage k": the LP/MPS export
(:func:`goalprog.output.export.build_stage`) uses it, and so can every later consumer (a
parametric re-solve for trade-off rates: ``hold_by_row={k - 1: t}`` gives stage ``k``'s model
with level ``k - 1`` held by its lock rows loosened by ``t`` instead of its bound restriction).

No solver is imported here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..model.ir import ExtraRow, LinearModel, Objective, frozen_array

__all__ = ["BoundRestriction", "ChainStage", "StageModel", "stage_model", "restriction_from"]


@dataclass(frozen=True)
class BoundRestriction:
    """The bounds a face, fix or exact lock set after one level (all arrays read-only).

    ``columns`` (int, shape (p,)): the columns whose bounds were set, to ``col_lower`` /
    ``col_upper`` (shape (p,); equal for a fixed column).  ``rows`` (int, shape (q,)): the rows
    whose sides were set, numbered as the backend holds them when the restriction was made: a
    row ``i < model.n_rows`` is the model's row ``i``, a row ``i >= model.n_rows`` is the lock
    row ``i - model.n_rows`` of the chain (in the order the lock rows were added; only the lock
    rows of earlier levels exist at that point).  ``row_lower`` / ``row_upper`` (shape (q,)) are
    on the row's linear part: a lock row's constant is not included (as a backend holds it).
    ``fixed``: the columns were fixed whatever the budget (lock style ``fix`` or ``exact``);
    ``budget``: the lock slack the bounds follow (level units; 0 for the optimal face);
    ``tolerance``: the smallest dual that counted as nonzero.
    """

    columns: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    rows: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    fixed: bool = False
    budget: float = 0.0
    tolerance: float = 0.0

    def __post_init__(self):
        for name, dtype in (("columns", np.int64), ("col_lower", np.float64), ("col_upper", np.float64),
                            ("rows", np.int64), ("row_lower", np.float64), ("row_upper", np.float64)):
            object.__setattr__(self, name, frozen_array(np.array(getattr(self, name), dtype=dtype), dtype))

    @property
    def n_columns(self) -> int:
        return int(len(self.columns))

    @property
    def n_rows(self) -> int:
        return int(len(self.rows))


def restriction_from(face) -> BoundRestriction | None:
    """The :class:`BoundRestriction` of a backend's
    :class:`~goalprog.solve.backends.base.FaceRestriction` (``None`` when it set nothing)."""
    if face is None or not (face.columns or face.rows):
        return None
    empty_i, empty_f = np.zeros(0, dtype=np.int64), np.zeros(0)

    def arr(v, empty):
        return empty if v is None else v

    return BoundRestriction(arr(face.col_index, empty_i), arr(face.col_lower, empty_f), arr(face.col_upper, empty_f),
                            arr(face.row_index, empty_i), arr(face.row_lower, empty_f), arr(face.row_upper, empty_f),
                            bool(face.fixed), float(face.budget), float(face.tolerance))


@dataclass(frozen=True)
class ChainStage:
    """One stage of a preemptive chain, as a value.

    ``index`` (0-based), ``level`` (the priority level; ``None`` for goals without one), ``name``
    (``"level 2"``); ``objective``: the achievement function minimised or maximised (its vector
    and sense); ``value``: the level's optimum ``h*`` as the solver reported it (``None`` when the
    stage was not solved, or found no plan); ``locks``: the lock rows added after this stage
    (empty for the last stage or a failed one); ``restriction``: the bounds set after this stage
    by a face, fix or exact lock (``None`` when none); ``lifted``: before this stage's final
    solve every restriction of the earlier stages was lifted (a fallback: the lock rows alone
    held them from here on); ``lock_style``: how the level was held (see
    :attr:`goalprog.solve.results.StageResult.lock_style`); ``guard``: the slack of the lock row
    beyond ``value`` (level units; 0 for a level locked exactly); ``solved``: ``False`` for the
    stage a chain stopped before (only its objective is known).  ``basis``: the solver's optimal
    basis of the stage, ``(col_status, row_status)`` as
    :meth:`goalprog.solve.backends.highs_backend.HighsSession.basis` gives it (its rows: the model's,
    then the lock rows of the earlier stages), kept for every stage of an LP chain on the highs
    backend (the sensitivity's re-solves of the stage start from it); ``None`` otherwise.
    """

    index: int
    level: int | None
    name: str
    objective: Objective
    value: float | None = None
    locks: tuple[ExtraRow, ...] = ()
    restriction: BoundRestriction | None = None
    lifted: bool = False
    lock_style: str | None = None
    guard: float | None = None
    solved: bool = True
    basis: tuple | None = field(default=None, repr=False, compare=False)

    @property
    def sense(self) -> str:
        return self.objective.sense


@dataclass(frozen=True)
class StageModel:
    """The model one stage of a chain is solved on: ``model`` (the chain's model with the column
    bounds and row sides the earlier stages' restrictions set; read-only arrays), ``extra_rows``
    (the earlier stages' lock rows, with any sides a restriction set), ``objective`` (the
    stage's achievement function), ``index`` and ``level`` of the stage."""

    model: LinearModel
    objective: Objective
    extra_rows: tuple[ExtraRow, ...]
    index: int
    level: int | None


def _unpack(source, records):
    if records is None:
        model, records = source.model, getattr(source, "stage_records", ())
    else:
        model = source
    return model, tuple(records)


def stage_model(source, k: int, records=None, *, hold_by_row: dict | None = None) -> StageModel:
    """The model stage ``k`` (0-based) of a preemptive chain was solved on, rebuilt without solving.

    ``source``: a :class:`~goalprog.solve.results.Result` of the preemptive method (its
    ``model`` and ``stage_records``), or the chain's :class:`~goalprog.model.ir.LinearModel`
    with ``records`` (a sequence of :class:`ChainStage`).  The model is the chain's, with the lock
    rows of stages ``0 .. k-1`` and the bound restrictions they made applied (except those a
    fallback lifted before stage ``k``), and the objective of stage ``k``.

    ``hold_by_row``: ``{j: t}`` holds level ``j < k`` by its lock rows with each finite side
    loosened by ``t >= 0`` (in the level's units: ``h <= h* + guard + t``) and without its bound
    restriction, the model of a parametric re-solve for the trade-off rate of level ``j``.
    (Restrictions of later levels were computed at ``t = 0`` and stay; for ``j = k - 1`` there
    are none.)

    Raises :class:`IndexError` when the records have no stage ``k``.
    """
    model, recs = _unpack(source, records)
    if not 0 <= k < len(recs):
        raise IndexError(f"the chain has stages 0 to {len(recs) - 1}; there is no stage {k}")
    hold = dict(hold_by_row or {})
    lifted_at = max((i for i in range(k + 1) if recs[i].lifted), default=0)
    col_lo = np.array(model.col_lower, dtype=np.float64)
    col_hi = np.array(model.col_upper, dtype=np.float64)
    row_lo = np.array(model.row_lower, dtype=np.float64)
    row_hi = np.array(model.row_upper, dtype=np.float64)
    extra: list[ExtraRow] = []
    m = model.n_rows
    for j in range(k):
        rec = recs[j]
        r = rec.restriction
        if r is not None and j >= lifted_at and j not in hold:
            col_lo[r.columns] = r.col_lower
            col_hi[r.columns] = r.col_upper
            for i, lo, hi in zip(r.rows.tolist(), r.row_lower.tolist(), r.row_upper.tolist()):
                if i < m:
                    row_lo[i], row_hi[i] = lo, hi
                else:
                    row = extra[i - m]
                    c = row.vector.constant
                    extra[i - m] = replace(row, lower=lo + c, upper=hi + c)
        t = hold.get(j)
        for row in rec.locks:
            if t:
                row = replace(row, lower=row.lower - t * row.scale, upper=row.upper + t * row.scale)
            extra.append(row)
    restricted = replace(model, col_lower=frozen_array(col_lo, np.float64), col_upper=frozen_array(col_hi, np.float64),
                         row_lower=frozen_array(row_lo, np.float64), row_upper=frozen_array(row_hi, np.float64))
    return StageModel(restricted, recs[k].objective, tuple(extra), k, recs[k].level)
