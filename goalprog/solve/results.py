"""Results of a goal-programming run: stages, levels, goals, variables, as pandas DataFrames.

Every reported deviation is *recomputed from the final variable values* (never read from the
solver's deviation columns), so ``under * over == 0`` for every goal and the achievement of each
level is what the final plan actually achieves.  pandas is imported only when a table is asked for.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import result_tables
from .achievement import penalty_values
from .result_tables import UnknownResultKey  # noqa: F401 - public here too
from ..model.ir import KINDS, ROLE_DECISION, LinearModel
from ..core.status import SolutionStatus, Status, Termination

MET_TOL = 1e-5  # a goal is met when its unwanted deviation is at most MET_TOL * max(1, |target|)
NOISE = 1e-10


def clean_values(model: LinearModel, x: np.ndarray, tol: float = 1e-6) -> np.ndarray:
    """Solver values made presentable: clipped into their bounds (solvers may overshoot by their
    feasibility tolerance) and integer columns within ``tol`` of an integer rounded to it."""
    x = np.clip(np.asarray(x, dtype=np.float64), model.col_lower, model.col_upper)
    if model.is_mip:
        ints = model.col_integer
        r = np.round(x[ints])
        close = np.abs(x[ints] - r) <= tol
        xi = x[ints]
        xi[close] = r[close]
        x[ints] = xi
    x[np.abs(x) < 1e-12] = 0.0
    x.setflags(write=False)
    return x


def _at_bound(row, x: np.ndarray, tol: float = 1e-6) -> bool:
    v = row.vector.value(x)
    scale = max(1.0, abs(v))
    return (not math.isinf(row.upper) and abs(v - row.upper) <= tol * scale) or \
        (not math.isinf(row.lower) and abs(v - row.lower) <= tol * scale)


def _origin_blocks(origins):
    """``(name, keys, start, count)`` per block of ``origins`` (an :class:`~goalprog.model.ir.Origins`,
    or a sequence of :class:`~goalprog.model.ir.Origin`: then one block per origin)."""
    if hasattr(origins, "blocks"):
        start = 0
        for name, keys, count in origins.blocks():
            yield name, keys, start, count
            start += count
    else:
        for j, o in enumerate(origins):
            yield o.name, [[v] for v in o.index], j, 1


def _plain_list(a) -> list:
    """An index column as a list of Python values (numpy scalars unwrapped, as in labels and JSON)."""
    out = a.tolist() if isinstance(a, np.ndarray) else list(a)
    if isinstance(a, np.ndarray) and a.dtype != object:
        return out  # tolist gave Python values already
    if any(isinstance(v, np.generic) for v in out):
        out = [v.item() if isinstance(v, np.generic) else v for v in out]
    return out


def _mix(terms: np.ndarray, lam: float) -> float:
    """``(1 - lam) * max + lam * sum`` of penalty terms (weighted: lam = 1; Chebyshev: lam = 0), summed exactly."""
    if not len(terms):
        return 0.0
    total = math.fsum(np.asarray(terms, dtype=np.float64).tolist())
    if lam >= 1.0:
        return total
    return (1.0 - lam) * float(terms.max()) + lam * total


@dataclass(frozen=True)
class StageResult:
    """One solve of a strategy.

    ``name`` is ``weighted`` or ``level 1`` ...; ``objective`` is the stage's achievement value as
    reported by the solver; ``lock`` is the bound of the lock row added after this stage
    (``None`` for the last stage or a weighted solve); ``lock_sense`` is ``<=`` or ``>=``;
    ``message`` notes what a user should know (a failed check, an unproven lock);
    ``solver_status`` is the solver's own word for how it stopped.
    """

    index: int
    name: str
    priority: int | None
    sense: str
    status: Status
    termination: Termination
    solution: SolutionStatus
    objective: float | None
    bound: float | None
    time: float
    solver: str
    message: str = ""
    lock: float | None = None
    lock_sense: str | None = None
    solver_status: str = ""
    improved: bool | None = None
    """Preemptive: whether this level improved on the plan the earlier levels left (``False``: the
    earlier levels had already decided it)."""
    lock_dual: float | None = None
    """Preemptive LPs: this level's trade-off rate, how much the next level gains per unit this
    level gives up (next level's units per this level's unit, ``>= 0``): the right-hand derivative
    of the next level's optimum in the slack of this level's lock, computed by a parametric
    re-solve (:mod:`goalprog.solve.tradeoff`), so the same on every backend and algorithm even
    where the LP is degenerate.  ``None`` for the last level and when not computed
    (``trade_off_note`` says why).  (The name is kept from when it was the lock row's dual.)"""
    trade_off_note: str | None = None
    """Preemptive: why ``lock_dual`` is ``None`` (the ``rates`` setting, a MIP chain, a re-solve
    that failed), or a flag on a rate of 0 that the next level's basis priced (degenerate)."""
    lock_style: str | None = None
    """Preemptive: how this level was held for the later ones: ``"row"`` (the lock row, with the
    lock tolerance), ``"exact"`` (a fully met level: ``h <= 0``), ``"face"`` (the lock row plus
    the bounds it implies through the level's optimal duals, see
    :class:`~goalprog.solve.backends.base.FaceRestriction`), or ``"fix"`` (the lock row plus every
    column with a nonzero reduced cost fixed at its bound);
    ``None`` for the last level and one-stage methods."""
    face_columns: int | None = None
    """With ``lock_style`` ``"face"`` or ``"fix"``: how many columns had their bounds narrowed (fixed, for a
    level met exactly) and (``face_rows``) how many rows, after this level."""
    face_rows: int | None = None
    lock_slack: float | None = None
    """Preemptive: the slack of this level's lock row (level units): the guard of an exact lock
    (docs/methods.md), or the slack option's ``max(abs_tol, rel_tol |h*|)``."""

    @property
    def gap(self) -> float | None:
        """The relative MIP gap ``|objective - bound| / |objective|`` of this solve (``inf`` when the
        objective is 0 and the bound is not; ``None`` without a bound, e.g. for an LP).  0 for a
        proven MIP stage; above 0 only for one that stopped at a gap or a limit (status
        ``FEASIBLE``; see :mod:`goalprog.solve.backends.gaps`)."""
        from .backends.gaps import rel_gap

        return rel_gap(self.objective, self.bound)

    @property
    def unproven_bound(self) -> bool:
        """A MIP solve with a solution that is not proven optimal and whose bound is known: the
        tables then show its bound and gap."""
        return self.status is Status.FEASIBLE and self.bound is not None and self.objective is not None


@dataclass(frozen=True)
class Result:
    """The outcome of :meth:`goalprog.Problem.solve`.

    ``status`` is overall (:class:`~goalprog.core.status.Status`); ``x`` the final column values
    (``None`` when there is no solution to report); ``stages`` one :class:`StageResult` per solve.
    Tables (pandas DataFrames): :attr:`goals`, :attr:`variables`, :attr:`levels`,
    :attr:`stages_table`, :attr:`expressions`.
    """

    model: LinearModel
    method: str
    backend: str
    status: Status
    stages: tuple[StageResult, ...]
    x: np.ndarray | None
    message: str = ""
    warnings: tuple[str, ...] = ()
    lock_abs_tol: float | None = None
    lock_rel_tol: float | None = None
    conflict: Any = None
    """For an infeasible problem: a :class:`~goalprog.solve.diagnose.Conflict` naming the hard
    constraints that cannot hold together (``None`` otherwise)."""
    lam: float = 1.0
    """One-stage methods: the weight of the weighted sum against the min-max part (1 weighted,
    0 Chebyshev)."""
    level_lams: dict = field(default_factory=dict)
    """Preemptive: each level's lambda (1 unless a level is Chebyshev or extended)."""
    pareto: Any = None
    """A :class:`~goalprog.solve.pareto.ParetoReport` when the efficiency check ran."""
    lock_granularity: str = "level"
    lock_rows: tuple = ()
    lock_spans: tuple = ()
    stage_records: tuple = ()
    """One frozen :class:`~goalprog.solve.stages.ChainStage` per stage, one for a one-stage method (objective, lock
    rows, bound restrictions), from which :func:`goalprog.solve.stages.stage_model` rebuilds the
    model of any stage without solving."""
    input_files: tuple = ()
    """The resolved paths of the problem file and every data file it read
    (:attr:`goalprog.Problem.input_files`); the report writers never write over them."""
    overrides: tuple = ()
    """What this what-if run changed from the problem file (:attr:`goalprog.Problem.overrides`): one
    :class:`~goalprog.spec.override_doc.OverrideRecord` ``(key, value, source)`` per ``--set``,
    ``--vary``, ``params=`` or ``overrides=`` item, in the order applied; ``()`` for the file as it is."""
    meta: Any = None
    """Meta-goal methods: a :class:`~goalprog.solve.metagoals.MetaReport` (achieved values, big-M bounds)."""
    alternatives: Any = None
    """With ``alternatives=True``: an :class:`~goalprog.solve.alternatives.Alternatives`."""
    sensitivity: Any = None
    """A :class:`~goalprog.solve.sensitivity.Sensitivity` when solved with ``sensitivity=True``."""
    _cache: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        if self.x is not None:
            object.__setattr__(self, "x", clean_values(self.model, self.x))

    # -- scalar views --------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self.model.name

    @property
    def has_solution(self) -> bool:
        return self.x is not None

    def _deviations(self) -> dict:
        """Per goal instance (arrays): value, under, over, unwanted, contribution, met - all
        recomputed from the final values, as in textbook GP tables (an at_least goal shows its
        surplus as over-achievement too, unpenalised; a between goal measures from the nearer end)."""
        if "dev" in self._cache:
            return self._cache["dev"]
        g = self.model.goals
        x = self.x
        value = g.values(x, self.model.row_activity(x))
        lo = np.where(np.isinf(g.lower), g.upper, g.lower)
        hi = np.where(np.isinf(g.upper), g.lower, g.upper)
        under = np.maximum(0.0, lo - value)
        over = np.maximum(0.0, value - hi)
        # floating-point noise of the recomputation itself (not solver tolerance) reads as 0
        noise = NOISE * np.maximum(1.0, np.abs(value))
        under[under <= noise] = 0.0
        over[over <= noise] = 0.0
        has_u, has_o = g.under_col >= 0, g.over_col >= 0
        unwanted = np.where(has_u, under, 0.0) + np.where(has_o, over, 0.0)
        pen_u = penalty_values(self.model, "under", under)
        pen_o = penalty_values(self.model, "over", over)
        contribution = pen_u + pen_o
        normalized = np.where(has_u, under / g.under_scale, 0.0) + np.where(has_o, over / g.over_scale, 0.0)
        target = np.where(np.isinf(g.lower), g.upper, g.lower)
        with np.errstate(divide="ignore", invalid="ignore"):
            percent = np.where(target != 0, 100.0 * value / target, np.nan)
        scale = np.maximum(1.0, np.maximum(np.where(np.isinf(g.lower), 0.0, np.abs(g.lower)),
                                           np.where(np.isinf(g.upper), 0.0, np.abs(g.upper))))
        met = unwanted <= MET_TOL * scale * (1 + 1e-9)
        out = {"value": value, "under": under, "over": over, "contribution": contribution, "met": met,
               "pen_under": pen_u, "pen_over": pen_o, "normalized": normalized, "percent": percent}
        self._cache["dev"] = out
        return out

    def _objective_values(self) -> list[float]:
        return [o.expr.value(self.x) for o in self.model.objectives] if self.x is not None else []

    @property
    def objective(self) -> float | None:
        """One-stage methods: the achievement of the final plan, recomputed from the values:
        weighted GP the sum of penalty terms (weighted, normalised unwanted deviations), Chebyshev
        the largest, extended ``(1 - lambda) * largest + lambda * sum``; plain objectives added
        (maximised ones subtracted).  ``None`` without a solution and for preemptive GP, whose
        achievement is a vector: see :attr:`levels`."""
        if self.x is None or self.method == "preemptive":
            return None
        g = self.model.goals
        dev = self._deviations()
        terms = np.concatenate([dev["pen_under"][g.under_col >= 0], dev["pen_over"][g.over_col >= 0]])
        total = _mix(terms, self.lam)
        for o, v in zip(self.model.objectives, self._objective_values()):
            total += (-1.0 if o.sense == "max" else 1.0) * o.weight * v
        return total

    def _goal_rows(self) -> list[dict]:
        if "goal_rows" in self._cache:
            return self._cache["goal_rows"]
        g = self.model.goals
        dev = self._deviations() if self.x is not None else None
        kinds = [KINDS[k] for k in g.kind]
        rows = []
        for i, origin in enumerate(g.origins):
            kind = kinds[i]
            has_u, has_o = g.under_col[i] >= 0, g.over_col[i] >= 0
            rows.append({
                "goal": origin.name,
                "index": origin.index,
                "label": origin.label,
                "units": self.model.units.get(("goal", origin.name)),
                "kind": kind,
                "target": float(g.lower[i] if kind in ("at_least", "equal", "between") else g.upper[i]),
                "target_high": float(g.upper[i]) if kind == "between" else None,
                "value": float(dev["value"][i]) if dev else None,
                "under": float(dev["under"][i]) if dev else None,
                "over": float(dev["over"][i]) if dev else None,
                "under_priority": (int(g.under_priority[i]) or None) if has_u else None,
                "under_weight": float(g.under_weight[i]) if has_u else None,
                "over_priority": (int(g.over_priority[i]) or None) if has_o else None,
                "over_weight": float(g.over_weight[i]) if has_o else None,
                "met": bool(dev["met"][i]) if dev else None,
                "contribution": float(dev["contribution"][i]) if dev else None,
                "normalized": float(dev["normalized"][i]) if dev else None,
                "percent_of_target": (None if not dev or np.isnan(dev["percent"][i]) else float(dev["percent"][i])),
            })
        self._cache["goal_rows"] = rows
        return rows

    def level_values(self) -> list[dict]:
        """Per priority level: achievement of the *final* plan and the value at its own stage
        (meta-goal methods: per meta priority level, :mod:`goalprog.solve.meta_levels`)."""
        if "levels" in self._cache:
            return self._cache["levels"]
        from .meta_levels import level_row, meta_level_values

        if self.meta is not None:
            return self._cache.setdefault("levels", meta_level_values(self))
        out = []
        by_priority = {s.priority: s for s in self.stages if s.name.startswith("level")}
        g = self.model.goals
        dev = self._deviations() if self.x is not None else None
        objective_values = self._objective_values()
        names = [o.name for o in g.origins] if len(g) else []
        for level in self.model.priorities() if self.method == "preemptive" else []:
            code = 0 if level is None else level
            at_u = (g.under_col >= 0) & (g.under_priority == code)
            at_o = (g.over_col >= 0) & (g.over_priority == code)
            n = int(at_u.sum() + at_o.sum())
            max_only = n == 0
            value = 0.0
            if dev is not None:
                value = _mix(np.concatenate([dev["pen_under"][at_u], dev["pen_over"][at_o]]),
                             self.level_lams.get(level, 1.0))
            members = {names[i] for i in np.flatnonzero(at_u | at_o)}
            for k, o in enumerate(self.model.objectives):
                if o.priority == level:
                    n += 1
                    members.add(o.origin.name)
                    if o.sense != "max":
                        max_only = False
                    if self.x is not None:
                        value += (-1.0 if o.sense == "max" else 1.0) * o.weight * objective_values[k]
            sense = "min"
            if n and max_only:
                sense, value = "max", -value
            stage = by_priority.get(level)
            binding = None
            if stage is not None and stage.lock is not None and self.x is not None and stage.index < len(self.lock_spans):
                a, b = self.lock_spans[stage.index]
                binding = any(_at_bound(row, self.x) for row in self.lock_rows[a:b])
            out.append(level_row(level, sense, value if self.x is not None else None, stage, binding,
                                 ", ".join(sorted(members))))
        self._cache["levels"] = out
        return out

    def binding_constraints(self, tol: float = 1e-6) -> list[str]:
        """Labels of the hard constraint instances at one of their bounds in the final plan."""
        if self.x is None:
            return []
        m = self.model
        act = m.row_activity(self.x)[:m.n_hard]
        lo, hi = m.row_lower[:m.n_hard], m.row_upper[:m.n_hard]
        scale = tol * np.maximum(1.0, np.abs(act))
        at = (np.isfinite(hi) & (np.abs(act - hi) <= scale)) | (np.isfinite(lo) & (np.abs(act - lo) <= scale))
        return [m.row_origin[int(i)].label for i in np.flatnonzero(at)]

    def _instances(self, kind: str, limit: int | None = None) -> dict:
        """The decision-variable (``kind`` ``"variable"``) or named-expression (``"expression"``)
        instances as columns, built block by block from the model's origins (no Python object per
        instance but its label and index values): ``name``, ``index`` (tuples), ``label``,
        ``value`` and for variables ``lower``, ``upper``, ``integer`` (lists of equal length);
        ``index_cols``: the column name of each index position in use, with one list each (NaN
        where an item has no such column); ``total``: the number of instances.  With ``limit``,
        only the first ``limit`` instances are listed (``total`` still counts them all)."""
        key = ("instances", kind)
        if key in self._cache:
            return self._cache[key]
        m = self.model
        if kind == "variable":
            origins = m.col_origin
            keep = m.col_role == ROLE_DECISION
            extra = {"lower": m.col_lower, "upper": m.col_upper, "integer": m.col_integer}
            values = self.x
            reserved = {"variable", "label", "value", "lower", "upper", "integer"}
        else:
            origins = m.expressions.origins
            keep = None
            extra = {}
            values = m.expressions.values(self.x)
            reserved = {"expression", "label", "value"}
        total = len(values) if keep is None else int(keep.sum())
        out = {"name": [], "index": [], "label": [], "value": [], **{k: [] for k in extra}}
        index_cols: dict[str, list] = {}
        n = 0
        for name, keys, start, count in _origin_blocks(origins):
            if limit is not None and n >= limit:
                break
            sel = None if keep is None or keep[start:start + count].all() else np.flatnonzero(keep[start:start + count])
            if sel is not None and not len(sel):
                continue
            if limit is not None:
                sel = (np.arange(count) if sel is None else sel)[:limit - n]
            k = count if sel is None else len(sel)
            cols = [_plain_list(a if sel is None else np.asarray(a)[sel]) for a in keys]
            if cols:
                index = list(zip(*cols))
                template = name.replace("{", "{{").replace("}", "}}") + "[" + ",".join(["{}"] * len(cols)) + "]"
                label = list(map(template.format, *cols))
            else:
                index, label = [()] * k, [name] * k
            names = m.index_names.get((kind, name), ())
            if len(names) != len(cols):
                names = tuple(f"index_{j + 1}" for j in range(len(cols)))
            # a set called like a result column ("value", "label", ...) gets an "index:" prefix
            names = tuple(f"index:{c}" if c in reserved else c for c in names)
            for c, col in zip(names, cols):
                if c not in index_cols:
                    index_cols[c] = [np.nan] * n
                index_cols[c].extend(col)
            n += k
            for c in index_cols.values():
                if len(c) < n:
                    c.extend([np.nan] * (n - len(c)))
            out["name"].extend([name] * k)
            out["index"].extend(index)
            out["label"].extend(label)
            span = slice(start, start + count)
            for col, arr in (("value", values), *extra.items()):
                part = arr[span] if sel is None else arr[span][sel]
                out[col].extend(part.tolist())
        out["index_cols"] = index_cols
        out["total"] = total
        if limit is None:
            self._cache[key] = out
        return out

    def _variable_rows(self) -> list[dict]:
        if self.x is None:
            return []
        c = self._instances("variable")
        return [{"variable": n, "index": i, "label": lab, "value": v, "lower": lo, "upper": hi, "integer": it}
                for n, i, lab, v, lo, hi, it in zip(c["name"], c["index"], c["label"], c["value"], c["lower"],
                                                    c["upper"], c["integer"])]

    def _expression_rows(self) -> list[dict]:
        if self.x is None:
            return []
        c = self._instances("expression")
        return [{"expression": n, "index": i, "label": lab, "value": v}
                for n, i, lab, v in zip(c["name"], c["index"], c["label"], c["value"])]

    # -- DataFrames (built in goalprog.solve.result_tables) ------------------------------------
    @property
    def goals(self):
        """One row per goal instance: goal, one column per index set, label, kind, target, target_high, value, under, over,
        priorities and weights of the unwanted deviations, met, contribution (weighted unwanted
        deviation).  Empty values when there is no solution.  Index columns of whole-number
        members and the priorities are nullable integers (``Int64``)."""
        return result_tables.goals_frame(self)

    @property
    def variables(self):
        """One row per decision-variable instance: variable, one column per index set, label, value,
        bounds, integer.  Pivot it, e.g. ``result.variables.pivot(index="products", columns="months",
        values="value")``.  Index columns of whole-number members are ``Int64``."""
        return result_tables.instance_frame(self, "variable", ["variable", "label", "value", "lower", "upper", "integer"])

    @property
    def expressions(self):
        """Values of the named expressions in the final plan (one column per index set; ``Int64``
        for whole-number members)."""
        return result_tables.instance_frame(self, "expression", ["expression", "label", "value"])

    @property
    def levels(self):
        """One row per priority level (preemptive): level (``Int64``, ``<NA>`` for goals without a
        priority), achievement of the final plan, value at its own stage, the stage's MIP bound and
        relative gap (:attr:`StageResult.gap`; ``None`` for an LP), status, and the lock added after it."""
        return result_tables.levels_frame(self)

    @property
    def stages_table(self):
        """One row per solve: name, priority (``Int64``), status, termination, solution, objective,
        bound, relative gap (:attr:`StageResult.gap`), time, solver, lock."""
        return result_tables.stages_frame(self)

    def value(self, key):
        """One value of the final plan, by name, by label or by ``(name, index)``.

        ``key`` is
        * a name: of a decision variable, a named expression, a goal or a plain objective
          (``maximize:``/``minimize:``; the first of these kinds that has it: a goal called like
          its expression gives the same number).  A float when the item
          is not indexed, else a pandas Series of every instance indexed by its members (a
          MultiIndex for several index parts, named after the index sets);
        * a label as the tables print it: ``"invest[A]"``, ``"make[pants,3]"``, or with quoted
          members as sweep columns write them, ``'x["a,b"]'`` (a quoted member is text, a bare
          whole number an int; ``'3'`` and 3 are matched alike when only one exists): a float;
        * a pair ``(name, index)``, ``index`` a member or a tuple of members: a float.

        A decision variable's or expression's value is its value in the plan; a goal's is the value
        of its expression (the achieved level, before under/over-achievement is taken); an
        objective's the value of the expression it maximises or minimises.  Raises
        :class:`ValueError` when the run has no solution, and
        :class:`~goalprog.solve.result_tables.UnknownResultKey` (an
        :class:`~goalprog.core.errors.ArgumentError` and a :class:`KeyError`) naming what was not
        found, with a "did you mean" hint.
        """
        if self.x is None:
            raise ValueError(f"the run has no solution (status {self.status.value})")
        return result_tables.value_of(self, key)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of everything in the result (infinities as ``null``)."""
        def clean(v):
            if isinstance(v, float):
                return None if (math.isinf(v) or math.isnan(v)) else v
            if isinstance(v, (np.floating,)):
                return clean(float(v))
            if isinstance(v, (np.integer,)):
                return int(v)
            if isinstance(v, (np.bool_,)):
                return bool(v)
            if isinstance(v, tuple):
                return [clean(i) for i in v]
            if isinstance(v, dict):
                return {k: clean(i) for k, i in v.items()}
            if isinstance(v, list):
                return [clean(i) for i in v]
            return v

        return clean({
            "name": self.model.name,
            "method": self.method,
            "backend": self.backend,
            "status": self.status.value,
            "message": self.message,
            "warnings": list(self.warnings),
            "overrides": [{"key": o[0], "value": o[1], "source": o[2]} for o in self.overrides],
            "pareto": None if self.pareto is None else self.pareto.to_dict(),
            "conflict": None if self.conflict is None else {
                "method": self.conflict.method, "constraints": list(self.conflict.constraints),
                "bounds": list(self.conflict.bounds), "violations": list(self.conflict.violations)},
            "objective": self.objective,
            "lock": {"abs_tol": self.lock_abs_tol, "rel_tol": self.lock_rel_tol,
                     "exact": self.lock_abs_tol is None and self.lock_rel_tol is None}
            if self.method == "preemptive" else None,
            "model": {"columns": self.model.n_cols, "rows": self.model.n_rows,
                      "hard_rows": self.model.n_hard, "goals": len(self.model.goals),
                      "integer": bool(self.model.is_mip),
                      "coefficient_range": list(self.model.coefficient_range())},
            "binding_constraints": self.binding_constraints(),
            "stages": [{"name": s.name, "priority": s.priority, "sense": s.sense, "status": s.status.value,
                        "termination": s.termination.value, "solution": s.solution.value,
                        "objective": s.objective, "bound": s.bound, "time": s.time, "solver": s.solver,
                        "lock": s.lock, "lock_sense": s.lock_sense, "message": s.message,
                        "solver_status": s.solver_status, "improved": s.improved, "lock_dual": s.lock_dual,
                        "trade_off_note": s.trade_off_note,
                        "lock_style": s.lock_style, "face_columns": s.face_columns, "face_rows": s.face_rows,
                        "lock_slack": s.lock_slack}
                       for s in self.stages],
            "levels": self.level_values(),
            "goals": [{k: v for k, v in r.items()} for r in self._goal_rows()] if self.x is not None else [],
            "variables": self._variable_rows(),
            "expressions": self._expression_rows(),
            **({"meta_goals": self.meta.to_dict()} if self.meta is not None else {}),
            **({} if self.alternatives is None else {"alternatives": self.alternatives.to_dict()}),
            **({"sensitivity": self.sensitivity.to_dict()} if self.sensitivity is not None else {}),
        })

    def _repr_html_(self) -> str:
        """Notebook display: the level and goal tables (see :mod:`goalprog.output.report`)."""
        from ..output.report import result_html

        return result_html(self)

    def __repr__(self) -> str:
        obj = self.objective
        return (f"<Result {self.model.name!r} method={self.method} backend={self.backend} "
                f"status={self.status.value}" + (f" objective={obj:.6g}" if obj is not None else "") + ">")
