"""The exact Pareto frontier between two goals (or two priority levels) of a goal program.

**The two measures.**  Each side of the frontier is a quantity to minimise (:class:`Measure`):

* a goal (``profit``, or one instance ``g[3]``; an indexed name takes every instance): the sum of
  its unwanted deviations, in the goal's units (weights and normalisation play no part: one
  goal's deviation has one unit);
* ``level:N``: priority level ``N``'s achievement function (the weighted sum of its penalty terms
  and plain objectives that a preemptive chain minimises);
* a plain objective (``maximize``/``minimize`` item): its expression (negated when maximised).

**How every other goal is held.**  Every goal, and plain objective, that is not part of either
measure is held *no worse than in the current plan* (the plan ``Problem.solve`` gives with the
file's method): each of its unwanted deviations is capped at its current value (an upper bound on
the deviation column), a plain objective by a row at its current value (both with a relative
slack of :data:`HOLD_SLACK`).  Why: the frontier then answers "what does each unit of A cost in B,
with nothing else given up", the question a decision maker asks of a plan; the current plan is a
point of it (for a preemptive plan, its lexicographic end; for a weighted plan, a supported point,
since it minimises the weighted sum of A and B among the plans that hold the rest); and the
levels more important than both keep their achievement (as their locks would hold them, but goal
by goal).

**Method (LP).**  The dichotomic weight search of Aneja & Nair, "Bicriteria transportation
problem", *Management Science* 25(1) (1979) 73-78 (also Ehrgott, *Multicriteria Optimization*,
2nd ed., 2005, ch. 6, and Cohon, *Multiobjective Programming and Planning*, 1978, the
"non-inferior set estimation" NISE method): the two ends are the lexicographic optima (A then B,
B then A), solved by the preemptive chain with its exact locks; for each pair of adjacent points
``l`` (less A) and ``r`` (less B) the weighted problem ``min w_A A + w_B B`` with the weights
normal to the segment (``w_A = B_l - B_r``, ``w_B = A_r - A_l``, scaled to sum 1) is solved; a
plan strictly below the segment (by more than :data:`REL_TOL` of the weighted value) is a new
breakpoint and splits the segment; otherwise the segment is an edge of the frontier.  For a
bi-objective LP the frontier is piecewise linear and convex, and the search finds every breakpoint
with one LP per breakpoint plus one per edge (``2 n - 3`` weighted LPs for ``n`` breakpoints),
no grid.  The weighted solves share one solver session: only the objective changes, so HiGHS
starts each from the last basis.

**Method (MIP).**  The same search gives the *supported* points (those on the convex hull); the
*unsupported* ones (in the hull's dents) no weighting finds.  An epsilon-constraint sweep
(Haimes, Lasdon & Wismer, *IEEE Trans. SMC* 1(3) (1971) 296-297; Ehrgott 2005, ch. 4) finds
them: starting from the end of least A, ``min A subject to B <= eps`` then ``min B subject to
A <= A*`` (so the point is nondominated), with ``eps`` the last point's B less ``step`` (the
user's).  With integral measures and ``step`` 1 it finds every nondominated point; with a larger
step, the points it steps over are missed (a note says so).

No solver is imported here; every solve runs on the given backend.
"""

from __future__ import annotations

import math
import re
import time
from dataclasses import dataclass, replace

import numpy as np

from ..core.errors import ArgumentError, did_you_mean
from ..core.status import Status, combine
from ..model.ir import LinearModel, Objective, ObjectiveTerm, Origin, Origins, SparseVector, frozen_array
from .achievement import achievement, extend, level_value
from .backends.base import Backend, SolveOptions
from .frontier_result import FrontierPoint, FrontierResult

__all__ = ["Measure", "resolve_measure", "held_model", "measure_value", "compute_frontier", "REL_TOL", "HOLD_SLACK",
           "MAX_POINTS", "LEVEL_PREFIX"]

REL_TOL = 1e-7
"""A weighted optimum splits a segment only when it lies below the segment by more than this,
relative to ``max(1, |weighted value|)``: the solvers' feasibility tolerance (1e-7), so that a
vertex found twice through round-off is never two breakpoints."""

HOLD_SLACK = 1e-9
"""The relative slack of each held goal's cap: ``d <= d_now + 1e-9 * max(1, d_now)``, so the
current plan, as the solver reported it, satisfies every cap."""

MAX_POINTS = 10_000
"""The search stops after this many points (a note says so)."""

LEVEL_PREFIX = "level:"
"""How a priority level is named: ``level:2``."""


@dataclass(frozen=True)
class Measure:
    """One side of a frontier: ``name`` as given (``profit``, ``g[3]``, ``level:2``), ``kind``
    (``goal``, ``level`` or ``objective``), ``level`` (for a level), ``goals`` (the goal instances
    it covers, indices into ``model.goals``), ``columns`` (the deviation columns it minimises),
    ``objectives`` (indices into ``model.objectives``) and ``vector``: the measure as a linear
    function of the model's columns, minimised."""

    name: str
    kind: str
    vector: SparseVector
    level: int | None = None
    goals: tuple = ()
    columns: tuple = ()
    objectives: tuple = ()


def _names(model: LinearModel) -> tuple[dict, dict]:
    g = model.goals
    by_label, by_name = {}, {}
    for i in range(len(g)):
        o = g.origins[i]
        by_label.setdefault(o.label, []).append(i)
        by_name.setdefault(o.name, []).append(i)
    return by_label, by_name


def resolve_measure(model: LinearModel, text: str) -> Measure:
    """The :class:`Measure` named ``text``: a goal's name or instance label, ``level:N`` or a plain
    objective's name (``level:N`` in any case and spacing, ``Level: 2``, is named ``level:2``).  Raises :class:`~goalprog.core.errors.ArgumentError` (with a did-you-mean
    hint) when the model has no such goal, level or objective."""
    text = str(text).strip()
    g = model.goals
    by_label, by_name = _names(model)
    levels = [p for p in model.priorities() if p is not None]
    spelled = re.fullmatch(r"level\s*:(.*)", text, flags=re.IGNORECASE)
    if spelled:
        rest = spelled.group(1).strip()
        try:
            level = int(rest)
        except ValueError:
            level = None
        if level is None or level not in levels:
            have = ", ".join(f"{LEVEL_PREFIX}{p}" for p in levels) or "none: no goal has a priority"
            raise ArgumentError(f"there is no priority level {text!r}", hint=f"the levels are {have}")
        obj = achievement(model, level)
        vec = obj.vector if obj.sense == "min" else SparseVector.make(obj.vector.indices, -obj.vector.coefs,
                                                                      -obj.vector.constant)
        goals = tuple(int(i) for i in np.flatnonzero(((g.under_col >= 0) & (g.under_priority == level))
                                                     | ((g.over_col >= 0) & (g.over_priority == level))))
        cols = [int(g.under_col[i]) for i in goals if g.under_col[i] >= 0 and g.under_priority[i] == level]
        cols += [int(g.over_col[i]) for i in goals if g.over_col[i] >= 0 and g.over_priority[i] == level]
        objs = tuple(k for k, o in enumerate(model.objectives) if o.priority == level)
        return Measure(f"{LEVEL_PREFIX}{level}", "level", vec, level, goals, tuple(cols), objs)  # one spelling
    idx = by_label.get(text) or by_name.get(text)
    if idx:
        cols = [int(c) for i in idx for c in (g.under_col[i], g.over_col[i]) if c >= 0]
        if not cols:
            raise ArgumentError(f"goal {text!r} penalises no deviation", hint="name a goal with a target it can miss")
        return Measure(text, "goal", SparseVector.make(cols, np.ones(len(cols))), None, tuple(idx), tuple(cols))
    for k, o in enumerate(model.objectives):
        if text in (o.origin.label, o.origin.name):
            sign = -1.0 if o.sense == "max" else 1.0
            return Measure(text, "objective", SparseVector.make(o.expr.indices, sign * o.expr.coefs,
                                                                sign * o.expr.constant), objectives=(k,))
    known = list(by_name) + [lb for lb in by_label if lb not in by_name] + \
        [o.origin.name for o in model.objectives] + [f"{LEVEL_PREFIX}{p}" for p in levels]
    raise ArgumentError(f"{text!r} is no goal, priority level or objective of the problem",
                        hint=did_you_mean(text, known) or
                        f"name a goal ({', '.join(list(by_name)[:8])}) or a level as {LEVEL_PREFIX}N")


def check_pair(a: Measure, b: Measure) -> None:
    """Raise :class:`~goalprog.core.errors.ArgumentError` when the two measures share a goal or
    objective (a frontier needs two different quantities)."""
    if a.name == b.name or set(a.goals) & set(b.goals) or set(a.objectives) & set(b.objectives):
        raise ArgumentError(f"{a.name!r} and {b.name!r} overlap: a frontier needs two different goals or levels",
                            hint="name two goals, or two priority levels, that share no goal")


def measure_value(model: LinearModel, m: Measure, x: np.ndarray) -> float:
    """The value of measure ``m`` at the plan ``x``, from the goals' true deviations (not the
    deviation columns, which a solve that does not weigh them may leave loose)."""
    if m.kind == "level":
        v = level_value(model, m.level, x)
        obj = achievement(model, m.level)
        return v if obj.sense == "min" else -v
    if m.kind == "objective":
        return m.vector.value(x)
    from ..model.scaling import unwanted

    under, over = unwanted(model, x)
    idx = list(m.goals)
    return float(under[idx].sum() + over[idx].sum())


def held_model(model: LinearModel, x: np.ndarray, a: Measure, b: Measure) -> tuple[LinearModel, int]:
    """``model`` with every goal and plain objective outside ``a`` and ``b`` held no worse than at
    the plan ``x`` (see the module's docstring), its goals' penalties cleared and the two measures
    as its objectives, ``a`` at priority 1 and ``b`` at 2 (so the preemptive chain gives the
    lexicographic end A then B).  Returns the model and how many goal sides and objectives were
    held."""
    from ..model.scaling import unwanted

    g = model.goals
    under, over = unwanted(model, x)
    member = set(a.columns) | set(b.columns)
    upper = np.array(model.col_upper, dtype=np.float64)
    held = 0
    for side, dev in (("under", under), ("over", over)):
        col = getattr(g, f"{side}_col")
        for i in np.flatnonzero(col >= 0):
            c = int(col[i])
            if c in member:
                continue
            v = max(0.0, float(dev[i]))
            upper[c] = min(upper[c], v + HOLD_SLACK * max(1.0, v))
            held += 1
    model = replace(model, col_upper=frozen_array(upper, np.float64))
    keep = set(a.objectives) | set(b.objectives)
    rows = [(k, o) for k, o in enumerate(model.objectives) if k not in keep]
    if rows:
        ptr, ind, dat, lo, hi, origins = [0], [], [], [], [], Origins()
        for _, o in rows:
            v = o.expr.value(x)
            s = HOLD_SLACK * max(1.0, abs(v))
            ind.append(o.expr.indices)
            dat.append(o.expr.coefs)
            ptr.append(ptr[-1] + len(o.expr.indices))
            lo.append(v - s - o.expr.constant if o.sense == "max" else -math.inf)
            hi.append(math.inf if o.sense == "max" else v + s - o.expr.constant)
            origins.add(f"held[{o.origin.label}]", [], 1)
        model = extend(model, np.zeros(0), np.zeros(0), [], np.array(ptr), np.concatenate(ind), np.concatenate(dat),
                       np.array(lo), np.array(hi), origins)
        held += len(rows)
    n = len(g)
    ones = np.ones(n, dtype=np.int64)
    goals = replace(g.with_weights(np.zeros(n), np.zeros(n), ones, ones),
                    zero_one=frozen_array(np.zeros(n, dtype=bool), bool))
    terms = (ObjectiveTerm(Origin(a.name), "min", a.vector, 1, 1.0), ObjectiveTerm(Origin(b.name), "min", b.vector, 2, 1.0))
    return replace(model, goals=goals, objectives=terms), held


def _swap(model: LinearModel) -> LinearModel:
    ta, tb = model.objectives
    return replace(model, objectives=(replace(tb, priority=1), replace(ta, priority=2)))


def _ok(rec) -> bool:
    return rec.x is not None and combine(rec.termination, rec.solution) is Status.OPTIMAL


def exact_options(options: SolveOptions) -> SolveOptions:
    """The options of the frontier's solves: HiGHS's first-order PDLP solver (approximate values,
    relative accuracy about 1e-4) replaced by the simplex, whose vertices the search compares at
    1e-7 (:data:`REL_TOL`)."""
    if str(options.solver_options.get("solver", "")).lower() != "pdlp":
        return options
    return replace(options, solver_options={**options.solver_options, "solver": "simplex"})


def weighted_objective(va: SparseVector, vb: SparseVector, wa: float, wb: float) -> Objective:
    """``min wa * A + wb * B`` as one objective (coefficients of shared columns added)."""
    idx = np.concatenate([va.indices, vb.indices])
    val = np.concatenate([wa * va.coefs, wb * vb.coefs])
    uniq, inv = np.unique(idx, return_inverse=True)
    return Objective("min", SparseVector.make(uniq, np.bincount(inv, weights=val, minlength=len(uniq)),
                                              wa * va.constant + wb * vb.constant))


def weighted_task(task) -> np.ndarray | None:
    """One weighted solve on its own session (for an executor: the arguments are one picklable
    tuple ``(model, A's vector, B's vector, backend name, SolveOptions, wa, wb)``); the plan, or
    ``None`` without an optimum."""
    from .backends.base import get_backend

    model, va, vb, backend, options, wa, wb = task
    session = get_backend(backend).session(model, options)
    try:
        session.set_objective(weighted_objective(va, vb, wa, wb))
        rec = session.solve()
    finally:
        session.close()
    return np.array(rec.x) if _ok(rec) else None


def end_task(task, backend: Backend | None = None) -> tuple:
    """One lexicographic end: the preemptive chain (exact locks, no rates) on ``task = (model,
    backend name, SolveOptions)``; returns ``(plan or None, stages solved, status, message)``."""
    from .backends.base import get_backend
    from .strategies.common import LockTolerance, Settings
    from .strategies.preemptive import run

    model, name, options = task
    res = run(model, backend or get_backend(name), options, LockTolerance(), False, Settings(rates="off"))
    ok = res.status is Status.OPTIMAL and res.x is not None
    return (np.array(res.x) if ok else None), len(res.stages), res.status.value, res.message


class _Search:
    """The solves of one frontier: the lexicographic ends, the weighted solves on one session, and
    the epsilon-constraint solves (a session each)."""

    def __init__(self, held: LinearModel, base: LinearModel, a: Measure, b: Measure, backend: Backend,
                 options: SolveOptions, tol: float, executor=None):
        self.held, self.base, self.a, self.b = held, base, a, b
        options = exact_options(options)
        self.executor = executor
        self.warmed = False
        self.backend, self.options, self.tol = backend, options, tol
        self.session = None
        self.solves = 0
        self.notes: list[str] = []

    def point(self, x, method, wa=None, wb=None, eps=None) -> FrontierPoint:
        x = np.array(x, dtype=np.float64)
        return FrontierPoint(measure_value(self.base, self.a, x), measure_value(self.base, self.b, x),
                             frozen_array(x, np.float64), method, wa, wb, eps)

    def end(self, model: LinearModel, label: str) -> FrontierPoint | None:
        return self.ends([(model, label)])[0]

    def ends(self, chains: list) -> list:
        """The lexicographic ends: one preemptive chain (exact locks) per ``(model, label)``."""
        tasks = [(m, self.backend.name, self.options) for m, _ in chains]
        outs = list(self.executor.map(end_task, tasks)) if self.executor is not None else \
            [end_task(t, self.backend) for t in tasks]
        points = []
        for (_, label), (x, stages, status, message) in zip(chains, outs):
            self.solves += stages
            if x is None:
                self.notes.append(f"the lexicographic end {label} has no optimal plan ({status}: {message})")
                points.append(None)
            else:
                points.append(self.point(x, f"lexicographic {label}"))
        return points

    def weighted_many(self, weights: list) -> list:
        """The plans of ``min wa A + wb B`` for each ``(wa, wb)`` (``None`` where a solve found no
        optimum): on the executor when there is one (a session per solve), else one after another
        on one session (only the objective changes: HiGHS starts warm)."""
        self.solves += len(weights)
        if self.executor is not None and len(weights) > 1:
            tasks = [(self.held, self.a.vector, self.b.vector, self.backend.name, self.options, wa, wb)
                     for wa, wb in weights]
            return list(self.executor.map(weighted_task, tasks))
        if self.session is None:
            self.session = self.backend.session(self.held, self.options)
        out = []
        for wa, wb in weights:
            self.session.set_objective(weighted_objective(self.a.vector, self.b.vector, wa, wb))
            rec = self.session.solve()
            self.warm()
            out.append(rec.x if _ok(rec) else None)
        return out

    def warm(self):
        """After the first weighted solve on HiGHS by interior point (the default for large LPs),
        the later ones by the simplex from the last basis: only the objective changes, so the basis
        stays primal feasible and the simplex needs few iterations, where the interior point
        method starts cold every time (medium benchmark: 3.5 s per solve cold; see
        benchmarks/RESULTS.md)."""
        if not self.warmed and self.backend.name == "highs" and \
                str(self.options.solver_options.get("solver", "")).lower() == "ipm":
            self.session.set_option("solver", "simplex")
        self.warmed = True

    def dichotomic(self, left: FrontierPoint, right: FrontierPoint) -> list[FrontierPoint]:
        """Every extreme supported point between ``left`` (least A) and ``right`` (least B), by rounds:
        every segment of a round is solved (independently), then the new points make the next round's."""
        found = [left, right]
        pending = [(left, right)]
        while pending:
            if len(found) >= MAX_POINTS:
                self.notes.append(f"the search stopped at {MAX_POINTS:,} points")
                break
            tasks = []
            for lft, rgt in pending:
                wa, wb = lft.b - rgt.b, rgt.a - lft.a
                if wa > 0 and wb > 0:
                    tasks.append((lft, rgt, wa / (wa + wb), wb / (wa + wb)))
            xs = self.weighted_many([(wa, wb) for _, _, wa, wb in tasks])
            pending = []
            for (lft, rgt, wa, wb), x in zip(tasks, xs):
                if x is None:
                    self.notes.append(f"a weighted solve (weights {wa:.6g}, {wb:.6g}) found no optimal plan: the "
                                      f"frontier between A = {lft.a:.6g} and A = {rgt.a:.6g} is drawn as a straight edge")
                    continue
                p = self.point(x, "weighted", wa, wb)
                ref = wa * lft.a + wb * lft.b
                if wa * p.a + wb * p.b < ref - self.tol * max(1.0, abs(ref)):
                    found.append(p)
                    pending += [(lft, p), (p, rgt)]
        return found

    def epsilon(self, left: FrontierPoint, right: FrontierPoint, step: float) -> list[FrontierPoint]:
        """Nondominated points by the epsilon-constraint method, from ``left`` towards ``right``."""
        from ..model.ir import ExtraRow
        from .backends.gaps import integral_level
        from .strategies.common import tolerance_slack
        from .strategies.preemptive import MIP_FEASIBILITY_TOLERANCE

        out = []
        oa, ob = Objective("min", self.a.vector), Objective("min", self.b.vector)
        integral_b = integral_level(self.held, ob)

        def below(b: float) -> float:  # the next epsilon: b - step; for a whole-valued B, its whole part
            return float(math.floor(b - step + 1e-9)) if integral_b else b - step

        smallest = 10 * MIP_FEASIBILITY_TOLERANCE * max(1.0, abs(left.b), abs(right.b))
        if step < smallest:
            from ..core.errors import ArgumentError

            raise ArgumentError(f"step {step:g} is below what the MIP solver can tell apart here (its feasibility "
                                f"tolerance {MIP_FEASIBILITY_TOLERANCE:g} at {self.b.name}'s scale): an epsilon "
                                "sweep with it would return the same plan again and again",
                                hint=f"use a step of at least {smallest:.3g}")
        eps = below(left.b)
        end = right.b - self.tol * max(1.0, abs(right.b))
        while eps >= end and len(out) < MAX_POINTS:
            s = self.backend.session(self.held, self.options)
            try:
                s.add_row(ExtraRow("epsilon", self.b.vector, -math.inf, eps))
                s.set_objective(oa)
                rec = s.solve()
                self.solves += 1
                if not _ok(rec):
                    self.notes.append(f"the epsilon solve at {self.b.name} <= {eps:.6g} found no optimal plan; "
                                      "the sweep stopped there")
                    break
                va = rec.objective
                slack = 0.0 if integral_level(self.held, oa) else tolerance_slack(oa.vector.coefs, MIP_FEASIBILITY_TOLERANCE)
                s.add_row(ExtraRow("epsilon_hold", self.a.vector, -math.inf,
                                   float(round(va)) if slack == 0.0 else va + slack))
                s.set_objective(ob)
                rec = s.solve()
                self.solves += 1
            finally:
                s.close()
            if not _ok(rec):
                self.notes.append(f"the epsilon solve at {self.b.name} <= {eps:.6g} (second stage) found no optimal "
                                  "plan; the sweep stopped there")
                break
            p = self.point(rec.x, "epsilon", eps=eps)
            if p.b > eps + self.tol * max(1.0, abs(eps)):
                self.notes.append(f"the epsilon solve at {self.b.name} <= {eps:.6g} returned {p.b:.9g}, beyond the "
                                  "solver's tolerance: the step is too small for it; the sweep stopped there")
                break
            out.append(p)
            eps = below(p.b)
        if len(out) >= MAX_POINTS and eps >= end:
            self.notes.append(f"the epsilon sweep stopped at {MAX_POINTS:,} points before reaching the other end: "
                              f"use a larger step")
        return out

    def close(self):
        if self.session is not None:
            self.session.close()
            self.session = None


def _hull_supported(points: list[FrontierPoint], hull: list[FrontierPoint], tol: float) -> list[FrontierPoint]:
    """``points`` with ``supported`` set: on or below the lower-left convex hull of ``hull`` (the
    extreme supported points, sorted by A)."""
    out = []
    for p in points:
        sup = True
        for lft, rgt in zip(hull, hull[1:]):
            if lft.a - tol <= p.a <= rgt.a + tol:
                wa, wb = lft.b - rgt.b, rgt.a - lft.a
                s = wa + wb
                if s > 0:
                    wa, wb = wa / s, wb / s
                    ref = wa * lft.a + wb * lft.b
                    sup = wa * p.a + wb * p.b <= ref + tol * max(1.0, abs(ref))
                break
        out.append(replace(p, supported=bool(sup)))
    return out


def _dedupe(points: list[FrontierPoint], tol: float) -> list[FrontierPoint]:
    points = sorted(points, key=lambda p: (p.a, p.b))
    out: list[FrontierPoint] = []
    for p in points:
        if out and abs(p.a - out[-1].a) <= tol * max(1.0, abs(p.a)) and abs(p.b - out[-1].b) <= tol * max(1.0, abs(p.b)):
            continue  # the first found (lexicographic or weighted before epsilon) is kept
        out.append(p)
    return out


def compute_frontier(model: LinearModel, x: np.ndarray, a: str, b: str, backend: Backend, options: SolveOptions,
                     step: float | None = None, tol: float = REL_TOL, executor=None) -> FrontierResult:
    """The Pareto frontier between ``a`` and ``b`` (names: see :func:`resolve_measure`) of ``model``
    with every other goal held no worse than at the current plan ``x`` (shape (model.n_cols,)).

    ``step`` (MIP only; in B's units, > 0): the epsilon-constraint step; without it a MIP gets its
    supported points only (a note says so).  ``executor``: a :class:`concurrent.futures.Executor`
    (e.g. :func:`goalprog.analysis.frontier_pool.process_pool`, or a Dask client's
    ``get_executor()``) that runs the independent solves (the two ends; each round's weighted
    solves) at once, each on its own session; ``None`` (the default) solves them one after
    another, the weighted ones on one warm session.  Returns a
    :class:`~goalprog.solve.frontier_result.FrontierResult` (points sorted by A, increasing).
    Raises :class:`~goalprog.core.errors.ArgumentError` for unknown or overlapping names, or a
    ``step`` that is not a positive number."""
    t0 = time.perf_counter()
    ma, mb = resolve_measure(model, a), resolve_measure(model, b)
    check_pair(ma, mb)
    if step is not None and not (isinstance(step, (int, float)) and math.isfinite(step) and step > 0):
        raise ArgumentError(f"step must be a positive number, got {step!r}", hint="e.g. step=1 for whole-number goals")
    held, n_held = held_model(model, x, ma, mb)
    search = _Search(held, model, ma, mb, backend, options, tol, executor)
    warnings = []
    if step is not None and not model.is_mip:
        warnings.append("step is used for models with integer variables only (the epsilon-constraint sweep); "
                        "an LP's frontier is found exactly without it")
    try:
        left, right = search.ends([(held, f"{ma.name} then {mb.name}"), (_swap(held), f"{mb.name} then {ma.name}")])
        if left is None or right is None:
            points = [p for p in (left, right) if p is not None]
        elif right.a - left.a <= tol * max(1.0, abs(left.a)) or left.b - right.b <= tol * max(1.0, abs(right.b)):
            points = [left]  # one plan is best for both: no trade-off
            search.notes.append(f"no trade-off: one plan is best for both {ma.name} and {mb.name}")
        else:
            points = search.dichotomic(left, right)
            hull = _dedupe(points, tol)
            points = [replace(p, supported=True) for p in hull]
            if model.is_mip:
                if step is not None:
                    points = _dedupe(points + search.epsilon(left, right, float(step)), tol)
                    points = _hull_supported(points, hull, tol)
                else:
                    search.notes.append("the model has integer variables: only the supported points (on the convex "
                                        "hull) were found; give a step to find the unsupported ones by epsilon-constraint")
    finally:
        search.close()
    points = _dedupe(points, tol)
    current = replace(search.point(x, "current plan"), supported=None)
    held_note = (f"{n_held} other goal deviation(s) and objective(s) held no worse than in the current plan"
                 if n_held else "no other goal")
    return FrontierResult(ma.name, mb.name, ma.kind, mb.kind, ma.goals, mb.goals, tuple(points), current, model,
                          bool(model.is_mip), search.solves, held_note, tuple(search.notes), tuple(warnings),
                          time.perf_counter() - t0, step)
