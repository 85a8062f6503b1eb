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


def frozen_array(arr, dtype) -> np.ndarray:
    """A read-only array (a copy when ``arr`` is a writeable view of someone else's data)."""
    a = np.asarray(arr, dtype=dtype)
    if a.flags.writeable:
        if a.base is not None:
            a = a.copy()
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


class Origins:
    """A read-only sequence of :class:`Origin`, stored as blocks and built on demand.

    A block is ``(start, count, name, keys)`` where ``keys`` is a list of ``object[count]`` arrays
    (one per index position; empty for an unindexed item), so a model with millions of columns keeps
    a handful of Python objects here instead of one per column.
    """

    __slots__ = ("_starts", "_blocks", "_n")

    def __init__(self, blocks=()):
        self._blocks = []
        self._starts = []
        self._n = 0
        for name, keys, count in blocks:
            self.add(name, keys, count)

    def add(self, name: str, keys: list, count: int) -> None:
        if count <= 0:
            return
        self._starts.append(self._n)
        self._blocks.append((name, keys))
        self._n += count

    def __len__(self) -> int:
        return self._n

    def blocks(self) -> list:
        """The blocks as ``(name, keys, count)`` triples (to build an extended copy)."""
        out = []
        for b, (name, keys) in enumerate(self._blocks):
            count = (self._starts[b + 1] if b + 1 < len(self._starts) else self._n) - self._starts[b]
            out.append((name, keys, count))
        return out

    def __getitem__(self, i: int) -> Origin:
        import bisect

        if i < 0:
            i += self._n
        if not 0 <= i < self._n:
            raise IndexError(i)
        b = bisect.bisect_right(self._starts, i) - 1
        name, keys = self._blocks[b]
        k = i - self._starts[b]
        return Origin(name, tuple(_plain(a[k]) for a in keys))

    def __iter__(self):
        for b, (name, keys) in enumerate(self._blocks):
            count = (self._starts[b + 1] if b + 1 < len(self._starts) else self._n) - self._starts[b]
            if not keys:
                for _ in range(count):
                    yield Origin(name, ())
            else:
                for k in range(count):
                    yield Origin(name, tuple(_plain(a[k]) for a in keys))


def _plain(v):
    """numpy scalars as Python values (so labels and JSON read naturally)."""
    return v.item() if isinstance(v, np.generic) else v


@dataclass(frozen=True)
class SparseVector:
    """A linear function ``sum(coefs[k] * x[indices[k]]) + constant``."""

    indices: np.ndarray
    coefs: np.ndarray
    constant: float = 0.0

    @staticmethod
    def make(indices: Iterable[int], coefs: Iterable[float], constant: float = 0.0) -> "SparseVector":
        if not isinstance(indices, np.ndarray):
            indices = list(indices)
        if not isinstance(coefs, np.ndarray):
            coefs = list(coefs)
        return SparseVector(frozen_array(indices, np.int64), frozen_array(coefs, np.float64), float(constant))

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


KINDS = ("at_least", "at_most", "equal", "between")


@dataclass(frozen=True)
class GoalTable:
    """Every goal instance of a model, as arrays (one entry per goal instance).

    ``row``: its row in the model; ``kind``: index into :data:`KINDS`; ``lower``/``upper``: the
    targets in the user's units (``-inf``/``inf`` where a side is open); ``const``: the constant
    of the goal expression (moved to the row bounds); ``under_col``/``over_col``: deviation
    columns (``-1`` when that deviation is not penalised and so not modelled);
    ``under_priority``/``over_priority``: priority levels (``0`` = none given);
    ``under_weight``/``over_weight``: weights; ``under_scale``/``over_scale``: normalisation
    divisors (1 without normalisation; a penalty term is ``weight / scale * deviation``);
    ``zero_one``: goals whose scales come from a payoff table at solve time.  The goal expression ``a.x + const`` is the row
    without its deviation columns.  Indexing gives a :class:`GoalRow`; iterating builds them all,
    so code that runs on large models uses the arrays.
    """

    origins: Origins
    row: np.ndarray
    kind: np.ndarray
    lower: np.ndarray
    upper: np.ndarray
    const: np.ndarray
    under_col: np.ndarray
    over_col: np.ndarray
    under_priority: np.ndarray
    over_priority: np.ndarray
    under_weight: np.ndarray
    over_weight: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    under_scale: np.ndarray = None
    over_scale: np.ndarray = None
    zero_one: np.ndarray = None

    def __post_init__(self):
        n = len(self.row)
        for f in ("under_scale", "over_scale"):
            if getattr(self, f) is None:
                object.__setattr__(self, f, frozen_array(np.ones(n), np.float64))
        if self.zero_one is None:
            object.__setattr__(self, "zero_one", frozen_array(np.zeros(n, dtype=bool), bool))

    def __len__(self) -> int:
        return len(self.row)

    def __iter__(self):
        for i in range(len(self.row)):
            yield self[i]

    def __getitem__(self, i: int) -> GoalRow:
        if i < 0:
            i += len(self.row)
        r = int(self.row[i])
        a, b = self.indptr[r], self.indptr[r + 1]
        cols, coefs = self.indices[a:b], self.data[a:b]
        keep = (cols != self.under_col[i]) & (cols != self.over_col[i])
        uc, oc = int(self.under_col[i]), int(self.over_col[i])
        return GoalRow(self.origins[i], KINDS[int(self.kind[i])], r,
                       SparseVector.make(cols[keep], coefs[keep], float(self.const[i])),
                       float(self.lower[i]), float(self.upper[i]), uc, oc,
                       Penalty(_prio(self.under_priority[i]), float(self.under_weight[i])) if uc >= 0 else None,
                       Penalty(_prio(self.over_priority[i]), float(self.over_weight[i])) if oc >= 0 else None)

    def values(self, x: np.ndarray, activity: np.ndarray) -> np.ndarray:
        """The goal expressions' values at ``x`` given the row activities ``A x`` (vectorised)."""
        v = activity[self.row] + self.const
        u = self.under_col >= 0
        v[u] -= x[self.under_col[u]]
        o = self.over_col >= 0
        v[o] += x[self.over_col[o]]
        return v

    def with_scales(self, under_scale: np.ndarray, over_scale: np.ndarray) -> "GoalTable":
        """A copy with other normalisation scales (e.g. from a payoff table)."""
        from dataclasses import replace

        return replace(self, under_scale=frozen_array(under_scale, np.float64), over_scale=frozen_array(over_scale, np.float64))

    def with_weights(self, under_weight: np.ndarray, over_weight: np.ndarray,
                     under_priority: np.ndarray | None = None, over_priority: np.ndarray | None = None) -> "GoalTable":
        """A copy with other weights (and priorities): for what-if runs and tests."""
        from dataclasses import replace

        return replace(self, under_weight=frozen_array(under_weight, np.float64), over_weight=frozen_array(over_weight, np.float64),
                       under_priority=self.under_priority if under_priority is None else frozen_array(under_priority, np.int64),
                       over_priority=self.over_priority if over_priority is None else frozen_array(over_priority, np.int64))


def _prio(p) -> int | None:
    p = int(p)
    return None if p == 0 else p


@dataclass(frozen=True)
class ExpressionTable:
    """Named expression instances for the report: CSR rows over the columns, plus constants."""

    origins: Origins
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    const: np.ndarray

    def __len__(self) -> int:
        return len(self.const)

    def __getitem__(self, i: int) -> "ExpressionValue":
        a, b = self.indptr[i], self.indptr[i + 1]
        return ExpressionValue(self.origins[i], SparseVector.make(self.indices[a:b], self.data[a:b], float(self.const[i])))

    def __iter__(self):
        for i in range(len(self.const)):
            yield self[i]

    def values(self, x: np.ndarray) -> np.ndarray:
        prod = self.data * x[self.indices] if len(self.indices) else np.zeros(0)
        rows = np.repeat(np.arange(len(self.const)), np.diff(self.indptr))
        return np.bincount(rows, weights=prod, minlength=len(self.const)) + self.const


@dataclass(frozen=True)
class PiecewisePenalty:
    """A piecewise-linear penalty on the ``side`` deviation of the goal instances ``goals``: the
    deviation is split into pieces ``cols[i, k]`` (widths from the cumulative ``breaks``, the last
    ``inf``), each costing ``rates[k]`` per unit (times the goal's weight / scale)."""

    side: str
    goals: np.ndarray
    cols: np.ndarray
    rates: np.ndarray
    breaks: np.ndarray


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
    col_origin: "Origins | tuple[Origin, ...]"
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    row_origin: "Origins | tuple[Origin, ...]"
    n_hard: int
    goals: GoalTable
    objectives: tuple[ObjectiveTerm, ...]
    expressions: "ExpressionTable | tuple[ExpressionValue, ...]" = ()
    variable_names: tuple[str, ...] = ()
    variable_index_sets: dict = field(default_factory=dict)
    description: str | None = None
    penalties: tuple = ()
    """Piecewise-linear penalties (:class:`PiecewisePenalty`)."""
    units: dict = field(default_factory=dict)
    """``(kind, name) -> units`` the user gave (``units: yards``) for goals, variables, expressions; and
    ``("goal_expr", name)``: the units of a goal's expression where the goal declares none and they are known."""
    index_names: dict = field(default_factory=dict)
    """``(kind, name) -> column names`` of an indexed item's index values, kind one of
    ``variable``, ``goal``, ``objective``, ``expression``, ``constraint`` (see :func:`index_columns`)."""
    warnings: tuple = ()
    """What the compiler found accepted but doubtful (e.g. one expression adding dollars and yards),
    reported with the result's warnings by :func:`goalprog.solve.checks.model_warnings`."""
    meta_goals: tuple = ()
    """The file's ``meta_goals:`` (:class:`goalprog.model.meta.MetaGoal`), solved by method ``meta``."""

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
        g = self.goals
        used = np.concatenate([g.under_priority[g.under_col >= 0], g.over_priority[g.over_col >= 0]])
        seen = {None if p == 0 else int(p) for p in set(used.tolist())}  # not np.unique: it imports numpy.ma
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
    scale: float = 1.0
    """The row is its level's lock multiplied by this (a power of two; solve/strategies/level_scale.py):
    a loosening of ``t`` in the level's units moves its sides by ``t * scale``, its dual is ``scale``
    times the level's rate."""
