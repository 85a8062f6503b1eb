"""The backend-neutral intermediate representation: a frozen linear model with goal rows.

A :class:`LinearModel` is what the compiler produces and every strategy and backend consumes:

* **columns** ``j = 0..n_cols-1``: bounds ``col_lower``/``col_upper``, ``col_integer``, a role
  (decision variable, under-deviation ``n``, over-deviation ``p``) and an :class:`Origin` naming the
  user's variable and its index values;
* **rows** ``i = 0..n_rows-1`` in CSR form (``indptr``, ``indices``, ``data``) with bounds
  ``row_lower <= A x <= row_upper``: the hard constraints first, then one row per goal instance
  ``lo - c <= a.x + n - p <= hi - c`` (``c`` the constant part of the goal expression);
* **goals**: one :class:`GoalRow` per goal instance, pointing at its row and deviation columns;
* **objectives**: plain maximize/minimize terms placed at a priority level;
* **expressions**: named expressions (unindexed and indexed instances) kept for the report.

All arrays are read-only numpy arrays; the dataclasses are frozen.  Strategies never mutate a
model: extra rows (preemptive locks) are passed to a backend session alongside it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import numpy as np

ROLE_DECISION = 0
ROLE_UNDER = 1
ROLE_OVER = 2

INF = float("inf")


def _frozen(arr, dtype) -> np.ndarray:
    a = np.asarray(arr, dtype=dtype)
    if a.flags.writeable:
        a = a.copy() if a.base is not None else a
        a.setflags(write=False)
    return a


@dataclass(frozen=True)
class Origin:
    """The user's name of a model element and its index values (``()`` when not indexed)."""

    name: str
    index: tuple = ()

    @property
    def label(self) -> str:
        """``make[pants,3]`` style label; the bare name when not indexed."""
        if not self.index:
            return self.name
        return f"{self.name}[{','.join(str(i) for i in self.index)}]"


@dataclass(frozen=True)
class SparseVector:
    """A linear function ``sum(coefs[k] * x[indices[k]]) + constant``."""

    indices: np.ndarray
    coefs: np.ndarray
    constant: float = 0.0

    @staticmethod
    def make(indices: Iterable[int], coefs: Iterable[float], constant: float = 0.0) -> "SparseVector":
        return SparseVector(_frozen(list(indices), np.int64), _frozen(list(coefs), np.float64), float(constant))

    def value(self, x: np.ndarray) -> float:
        if len(self.indices) == 0:
            return self.constant
        return float(np.dot(self.coefs, x[self.indices])) + self.constant


@dataclass(frozen=True)
class Penalty:
    """The priority level and weight of one unwanted deviation of a goal.

    ``priority`` is ``None`` when the user gave none (weighted GP, or a single preemptive level).
    """

    priority: int | None
    weight: float


@dataclass(frozen=True)
class GoalRow:
    """One goal instance.

    ``kind`` is the target side (``at_least``, ``at_most``, ``equal``, ``between``); ``lower`` and
    ``upper`` are the targets in the user's units (``-inf``/``inf`` where a side is open);
    ``expr`` is the goal expression including its constant; ``under_col``/``over_col`` are the
    deviation columns (``-1`` when that deviation is not penalised and so not modelled).
    """

    origin: Origin
    kind: str
    row: int
    expr: SparseVector
    lower: float
    upper: float
    under_col: int
    over_col: int
    under: Penalty | None
    over: Penalty | None


@dataclass(frozen=True)
class ObjectiveTerm:
    """A plain objective placed at a priority level: ``sense`` is ``"max"`` or ``"min"``."""

    origin: Origin
    sense: str
    expr: SparseVector
    priority: int | None
    weight: float


@dataclass(frozen=True)
class ExpressionValue:
    """A named expression instance, kept so results can report it (e.g. ``cost``)."""

    origin: Origin
    expr: SparseVector


@dataclass(frozen=True)
class LinearModel:
    """A compiled goal program (see the module docstring for the layout)."""

    name: str
    col_lower: np.ndarray
    col_upper: np.ndarray
    col_integer: np.ndarray
    col_role: np.ndarray
    col_origin: tuple[Origin, ...]
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    row_origin: tuple[Origin, ...]
    n_hard: int
    goals: tuple[GoalRow, ...]
    objectives: tuple[ObjectiveTerm, ...]
    expressions: tuple[ExpressionValue, ...] = ()
    variable_names: tuple[str, ...] = ()
    variable_index_sets: dict = field(default_factory=dict)
    description: str | None = None
    index_names: dict = field(default_factory=dict)
    """``(kind, name) -> column names`` of an indexed item's index values, kind one of
    ``variable``, ``goal``, ``objective``, ``expression``, ``constraint`` (see :func:`index_columns`)."""

    @property
    def n_cols(self) -> int:
        return len(self.col_lower)

    @property
    def n_rows(self) -> int:
        return len(self.row_lower)

    @property
    def is_mip(self) -> bool:
        return bool(self.col_integer.any())

    def row(self, i: int) -> tuple[np.ndarray, np.ndarray]:
        """Column indices and coefficients of row ``i``."""
        a, b = self.indptr[i], self.indptr[i + 1]
        return self.indices[a:b], self.data[a:b]

    def row_activity(self, x: np.ndarray) -> np.ndarray:
        """``A @ x`` for every row."""
        prod = self.data * x[self.indices]
        row_ids = np.repeat(np.arange(self.n_rows), np.diff(self.indptr))
        return np.bincount(row_ids, weights=prod, minlength=self.n_rows)

    def priorities(self) -> tuple[int | None, ...]:
        """Distinct priority levels used by goals and objectives, most important first (None last)."""
        seen = set()
        for g in self.goals:
            for pen in (g.under, g.over):
                if pen is not None:
                    seen.add(pen.priority)
        for o in self.objectives:
            seen.add(o.priority)
        numbered = sorted(p for p in seen if p is not None)
        return tuple(numbered) + ((None,) if None in seen else ())

    def coefficient_range(self) -> tuple[float, float]:
        """Smallest and largest nonzero ``|a_ij|`` over all rows (``(0, 0)`` when there is none)."""
        nz = np.abs(self.data[self.data != 0])
        if not len(nz):
            return (0.0, 0.0)
        return (float(nz.min()), float(nz.max()))


def index_columns(parts: list[tuple[str, str]]) -> tuple[str, ...]:
    """Names for index columns from ``(set name, loop name)`` pairs, one per index position.

    Set names are used (``products``, ``months``); where a set appears twice, or for the
    positions of a tuple set, the loop names are used instead (``i``, ``j``).
    """
    sets = [s for s, _ in parts]
    if len(set(sets)) == len(sets):
        return tuple(sets)
    out = []
    for s, loop in parts:
        out.append(loop if sets.count(s) > 1 else s)
    if len(set(out)) != len(out):
        out = [f"{s}_{k + 1}" for k, (s, _) in enumerate(parts)]
    return tuple(out)


@dataclass(frozen=True)
class Objective:
    """A stage objective: ``sense`` (``"min"``/``"max"``) of a :class:`SparseVector`."""

    sense: str
    vector: SparseVector


@dataclass(frozen=True)
class ExtraRow:
    """A row added for one stage (a preemptive lock): ``lower <= vector <= upper``.

    The vector's constant is moved into the bounds by the backends.
    """

    name: str
    vector: SparseVector
    lower: float
    upper: float


def achievement(model: LinearModel, level: int | None | object, *, all_levels: bool = False) -> Objective:
    """The achievement function of a priority level, to be minimised.

    ``h = sum(weight * unwanted deviation) - sum(weight * maximised expr) + sum(weight * minimised expr)``
    over the goals and objectives at ``level`` (or over everything when ``all_levels``).  A level
    made only of maximize objectives is returned as a maximisation of ``sum(weight * expr)`` so its
    value reads in the user's terms.
    """
    acc: dict[int, float] = {}
    const = 0.0

    def add(col: int, c: float) -> None:
        acc[col] = acc.get(col, 0.0) + c

    n_terms = 0
    max_only = True
    for g in model.goals:
        for pen, col in ((g.under, g.under_col), (g.over, g.over_col)):
            if pen is not None and (all_levels or pen.priority == level):
                add(col, pen.weight)
                n_terms += 1
                max_only = False
    for o in model.objectives:
        if all_levels or o.priority == level:
            n_terms += 1
            sign = -1.0 if o.sense == "max" else 1.0
            if o.sense != "max":
                max_only = False
            for j, c in zip(o.expr.indices, o.expr.coefs):
                add(int(j), sign * o.weight * float(c))
            const += sign * o.weight * o.expr.constant
    if n_terms and max_only:
        return Objective("max", SparseVector.make(acc.keys(), [-v for v in acc.values()], -const))
    return Objective("min", SparseVector.make(acc.keys(), acc.values(), const))
