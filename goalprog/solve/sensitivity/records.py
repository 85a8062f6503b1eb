"""The sensitivity report of a plan as frozen records: rows, JSON-safe dicts and DataFrames.

:class:`Sensitivity` holds three tables (see docs/methods.md, "Sensitivity of the plan"):

* ``constraints``: one :class:`ConstraintRate` per hard-constraint instance;
* ``targets``: one :class:`TargetRate` per goal instance (two for an interval goal, one per end);
* ``weights``: one :class:`WeightRange` per penalised side of a goal instance;

and, for a preemptive chain, ``levels``: each binding constraint's rates at every level, each level's
lexicographic optimum (the levels before it re-optimised first: :mod:`.lexico`) (:class:`LevelRate`).  Infinite numbers are ``inf``
(``"inf"`` / ``"-inf"`` in JSON).  pandas is imported only when a DataFrame is asked for.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, fields

__all__ = ["ConstraintRate", "TargetRate", "WeightRange", "LevelRate", "Sensitivity"]


@dataclass(frozen=True)
class ConstraintRate:
    """One hard-constraint instance.  ``constraint``: its label; ``activity``: the row's value at
    the plan (the constraint's expression with its constants moved to the bound); ``slack``: the
    distance to the nearest finite bound (``inf`` when it has none); ``bound``: the bound whose
    move the rates measure (``None`` when no side is finite); ``rate_below`` / ``rate_above``:
    the left and right derivatives of the achievement (of ``level``, with earlier levels held)
    with respect to that bound (achievement units per the constraint's unit; ``+-inf`` where
    no such move is feasible (the hard constraints, or the earlier levels held at their current
    values), ``nan`` when not measured); ``level``: the priority
    level (``None`` for weighted GP)."""

    constraint: str
    activity: float
    slack: float
    bound: float | None
    rate_below: float
    rate_above: float
    level: int | None = None


@dataclass(frozen=True)
class TargetRate:
    """One target of a goal instance (an interval goal has two: ``end`` ``lower`` and ``upper``;
    otherwise ``end`` is ``lower`` for at_least, ``upper`` for at_most, ``both`` for equal).
    ``rate_below`` / ``rate_above``: left and right derivatives of the goal's own level's
    achievement with respect to ``target``; ``low`` / ``high``: the target values down to / up
    to which those rates hold (``-inf`` / ``inf`` when for ever); ``range``: ``exact`` (the rates
    change at ``low`` and ``high``), or ``basis`` (HiGHS's basis range: the rates hold at least from
    ``low`` to ``high``; docs/methods.md)."""

    goal: str
    end: str
    target: float
    rate_below: float
    rate_above: float
    low: float
    high: float
    level: int | None = None
    range: str = "exact"


@dataclass(frozen=True)
class WeightRange:
    """One penalised side (``under`` or ``over``) of a goal instance at priority ``level``:
    ``weight`` now, and ``[low, high]``, the weights (the others fixed) for which the plan stays
    optimal for its level (``high`` ``inf`` when unbounded; ``low >= 0``); ``range``: ``exact`` (the
    plan stops being optimal past ``low`` and ``high``) or ``basis`` (the basis's cost range: the plan
    stays optimal at least from ``low`` to ``high``)."""

    goal: str
    side: str
    level: int | None
    weight: float
    low: float
    high: float
    range: str = "exact"


@dataclass(frozen=True)
class LevelRate:
    """The rates of one binding hard constraint at one priority level of a chain, with the levels
    before it held at their optima (the per-level breakdown of :class:`ConstraintRate`)."""

    constraint: str
    level: int | None
    rate_below: float
    rate_above: float


def _clean(v):
    """JSON-safe: ``inf`` / ``-inf`` as the strings ``"inf"`` / ``"-inf"`` (JSON has no infinity, and
    ``null`` would not say which end), ``nan`` (not measured) as ``None``."""
    if isinstance(v, float) and math.isnan(v):
        return None
    if isinstance(v, float) and math.isinf(v):
        return "inf" if v > 0 else "-inf"
    return v


def _rows(records) -> list[dict]:
    return [{k: _clean(v) for k, v in asdict(r).items()} for r in records]


@dataclass(frozen=True)
class Sensitivity:
    """The sensitivity of a plan (``Problem.solve(sensitivity=True)``; ``result.sensitivity``).

    ``constraints``, ``targets``, ``weights``, ``levels``: DataFrames of the records
    (:class:`ConstraintRate`, :class:`TargetRate`, :class:`WeightRange`, :class:`LevelRate`; the
    tuples are ``constraint_rows`` ...); ``nan`` where a number could not be measured (a note says why).  ``notes``: what was not computed and why; ``solves``:
    the re-solves it took; ``time``: wall seconds."""

    constraint_rows: tuple[ConstraintRate, ...] = ()
    target_rows: tuple[TargetRate, ...] = ()
    weight_rows: tuple[WeightRange, ...] = ()
    level_rows: tuple[LevelRate, ...] = ()
    notes: tuple[str, ...] = ()
    solves: int = 0
    time: float = 0.0
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def _frame(self, name, records, kind):
        if name not in self._cache:
            import pandas as pd

            self._cache[name] = pd.DataFrame([asdict(r) for r in records], columns=[f.name for f in fields(kind)])
        return self._cache[name]

    @property
    def constraints(self):
        """DataFrame: constraint, activity, slack, bound, rate_below, rate_above, level."""
        return self._frame("constraints", self.constraint_rows, ConstraintRate)

    @property
    def targets(self):
        """DataFrame: goal, end, target, rate_below, rate_above, low, high, level, range."""
        return self._frame("targets", self.target_rows, TargetRate)

    @property
    def weights(self):
        """DataFrame: goal, side, level, weight, low, high, range."""
        return self._frame("weights", self.weight_rows, WeightRange)

    @property
    def levels(self):
        """DataFrame: constraint, level, rate_below, rate_above (preemptive chains)."""
        return self._frame("levels", self.level_rows, LevelRate)

    def to_dict(self) -> dict:
        """JSON-safe: ``constraints``, ``targets``, ``weights``, ``levels`` (lists of rows;
        infinities as the strings ``"inf"`` / ``"-inf"``, a number not measured as ``null``),
        ``notes``, ``solves``, ``time``."""
        return {"constraints": _rows(self.constraint_rows), "targets": _rows(self.target_rows),
                "weights": _rows(self.weight_rows), "levels": _rows(self.level_rows),
                "notes": list(self.notes), "solves": self.solves, "time": self.time}
