"""What :meth:`goalprog.Problem.frontier` returns: the frontier's points as frozen values, and their
table (a pandas DataFrame, built on demand), dict (JSON) and text.

Columns of :meth:`FrontierResult.table`, one row per breakpoint, sorted by A's measure
(increasing):

* ``point`` (1, 2, ...);
* for a goal, one column per goal instance named by its label (``profit``, ``g[3]``): the goal
  expression's value at the point (the "achieved value"), then ``<A>.deviation``: the measure, the
  goal's unwanted deviation (summed over its instances); for a level, ``level:N``: its
  achievement; for a plain objective, its name: its value (the frontier minimises it, or its
  negative when it is maximised);
* ``rate``: the trade-off rate from this point to the next, ``-(A_next - A) / (B_next - B)``, A's
  units per unit of B (``NaN`` on the last row): how much of A's measure one unit less of B's costs;
* ``weight:<A>``, ``weight:<B>``: the weights (summing to 1) of the weighted solve that gave the
  point (``NaN`` for a lexicographic end or an epsilon point); ``epsilon``: the bound on B of the
  epsilon-constraint solve that gave it (``NaN`` otherwise);
* ``supported`` (bool): on the convex hull of the frontier (every LP point; a MIP point in a dent
  of the hull is unsupported: no weighting gives it);
* ``method``: ``lexicographic A then B``, ``weighted`` or ``epsilon``;
* with ``variables=True``, ``variable:<label>`` per decision variable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

__all__ = ["FrontierPoint", "FrontierResult"]


@dataclass(frozen=True)
class FrontierPoint:
    """One point of a frontier: ``a``, ``b`` (the two measures, minimised), ``x`` (the plan: one
    value per model column, read-only), ``method`` (how it was found), ``weight_a``/``weight_b``
    (a weighted solve's weights), ``epsilon`` (an epsilon solve's bound on B), ``supported``."""

    a: float
    b: float
    x: np.ndarray
    method: str
    weight_a: float | None = None
    weight_b: float | None = None
    epsilon: float | None = None
    supported: bool | None = True


CLEAN_TOL = 1e-7
"""A measure within ``CLEAN_TOL * max(1, the largest |value| of its side)`` of zero is shown as 0
(the solvers' feasibility tolerance, as :data:`goalprog.solve.frontier.REL_TOL`): solver noise
such as ``7e-15`` or ``4e-09`` left by an exact lock is not a trade-off."""


def _nan(v):
    return math.nan if v is None else float(v)


@dataclass(frozen=True)
class FrontierResult:
    """The frontier between two goals (or levels) ``a`` and ``b`` (the names as given).

    ``points``: the breakpoints (:class:`FrontierPoint`, sorted by ``a``, increasing); ``current``:
    the current plan as a point (``supported`` ``None``); ``model``: the model the plans' columns
    belong to; ``mip``; ``solves``: how many LP/MIP solves it took (the lexicographic ends' stages
    included); ``held``: how the other goals were held (a sentence); ``notes``, ``warnings``;
    ``time``: wall seconds; ``step``: the epsilon step, if any.  :meth:`table` gives the points as
    a DataFrame (see the module's docstring for its columns)."""

    a: str
    b: str
    a_kind: str
    b_kind: str
    a_goals: tuple
    b_goals: tuple
    points: tuple
    current: FrontierPoint | None
    model: object
    mip: bool
    solves: int
    held: str
    notes: tuple = ()
    warnings: tuple = ()
    time: float = 0.0
    step: float | None = None

    def _measure_columns(self, name: str, kind: str, goals: tuple, x: np.ndarray, dev: float) -> dict:
        out = {}
        if kind == "objective":  # its value in the user's terms (a maximised one is minimised negated)
            for o in self.model.objectives:
                if name in (o.origin.label, o.origin.name):
                    return {name: float(o.expr.value(x))}
        if kind == "goal":
            g = self.model.goals
            vals = g.values(x, self.model.row_activity(x))
            for i in goals:
                out[g.origins[int(i)].label] = float(vals[int(i)])
            out[f"{name}.deviation"] = dev
        else:
            out[name] = dev
        return out

    def _clean(self, p: FrontierPoint) -> tuple[np.ndarray, float, float]:
        """``p``'s plan and measures as the solve tables show them: the plan by
        :func:`~goalprog.solve.results.clean_values`, a measure within :data:`CLEAN_TOL` of 0 as 0."""
        from .results import clean_values

        seen = list(self.points) + ([self.current] if self.current is not None else [])
        out = []
        for v, side in ((p.a, "a"), (p.b, "b")):
            scale = max([1.0] + [abs(getattr(q, side)) for q in seen if math.isfinite(getattr(q, side))])
            out.append(0.0 if abs(v) <= CLEAN_TOL * scale else float(v))
        return clean_values(self.model, p.x), out[0], out[1]

    def _row(self, p: FrontierPoint) -> dict:
        x, a, b = self._clean(p)
        row = self._measure_columns(self.a, self.a_kind, self.a_goals, x, a)
        row.update(self._measure_columns(self.b, self.b_kind, self.b_goals, x, b))
        return row

    @property
    def n_points(self) -> int:
        return len(self.points)

    def rates(self) -> list[float]:
        """The trade-off rate of each edge, ``-(A_next - A) / (B_next - B)``: A's units given up per
        unit of B gained, from point ``k`` to ``k + 1`` (one fewer than the points)."""
        out = []
        for p, q in zip(self.points, self.points[1:]):
            db = q.b - p.b
            out.append(-(q.a - p.a) / db if db else math.nan)
        return out

    def table(self, variables: bool = False):
        """The points as a pandas DataFrame (see the module's docstring for the columns)."""
        import pandas as pd

        rates = self.rates() + [math.nan]
        rows = []
        var_idx = np.flatnonzero(np.asarray(self.model.col_role) == 0) if variables else ()
        for k, p in enumerate(self.points):
            row = {"point": k + 1}
            row.update(self._row(p))
            row.update({"rate": rates[k], f"weight:{self.a}": _nan(p.weight_a), f"weight:{self.b}": _nan(p.weight_b),
                        "epsilon": _nan(p.epsilon), "supported": bool(p.supported), "method": p.method})
            x = self._clean(p)[0] if len(var_idx) else p.x
            for j in var_idx:
                row[f"variable:{self.model.col_origin[int(j)].label}"] = float(x[int(j)])
            rows.append(row)
        return pd.DataFrame(rows)

    def current_row(self) -> dict:
        """The current plan's measures and goal values (the columns of :meth:`table` that apply)."""
        return self._row(self.current) if self.current is not None else {}

    def to_dict(self, variables: bool = False) -> dict:
        """Plain data for JSON: ``between``, ``held``, ``method``, ``solves``, ``time``, ``points``
        (the table's rows; NaN as ``null``), ``current``, ``notes``, ``warnings``."""
        def plain(v):
            if isinstance(v, (bool, np.bool_)):
                return bool(v)
            if isinstance(v, (int, np.integer)):
                return int(v)
            if isinstance(v, (float, np.floating)):
                return None if math.isnan(v) else float(v)
            return v

        records = [{k: plain(v) for k, v in r.items()} for r in self.table(variables).to_dict("records")]
        return {"between": [self.a, self.b], "held": self.held,
                "method": "dichotomic+epsilon" if self.step is not None and self.mip else "dichotomic",
                "mip": self.mip, "solves": self.solves, "time": self.time, "points": records,
                "current": {k: plain(v) for k, v in self.current_row().items()},
                "notes": list(self.notes), "warnings": list(self.warnings)}

    def __repr__(self) -> str:
        return (f"<FrontierResult {self.a!r} vs {self.b!r}: {len(self.points)} points, {self.solves} solves, "
                f"{'MIP' if self.mip else 'LP'}>")
