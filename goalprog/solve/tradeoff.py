"""Trade-off rates of a preemptive chain, by a parametric re-solve (independent of the solver's basis).

The **trade-off rate** of priority level ``l`` is the right-hand derivative

    rate_l = lim_{t -> 0+} (gain of level l+1 when level l's lock is loosened by t) / t

where ``v_{l+1}(t)`` is the optimum of level ``l+1`` with level ``l`` held by its lock row(s)
loosened by ``t`` (``h_l <= h_l* + guard + t``; ``h_l >= h_l* - guard - t`` for a level of
maximised objectives) and the earlier levels held as the chain held them; the gain is
``v(0) - v(t)`` for a minimised next level and ``v(t) - v(0)`` for a maximised one.  So the rate
is how much the next level gains per unit this level gives up, in the next level's units per this
level's unit; it is ``>= 0``.

``v`` is the optimal value function of an LP in one right-hand side: convex (concave for a
maximised level) and piecewise linear in ``t`` (Ehrgott, *Multicriteria Optimization*, 2nd ed.,
2005, ch. 4 and 6 for the value function of lexicographic and epsilon-constraint problems; Gal,
*Postoptimal Analyses, Parametric Programming, and Related Topics*, 2nd ed., 1995, ch. 3 for
parametric right-hand sides).  Its right-hand derivative at 0 exists and is unique even when the
LP is degenerate, where the lock row's dual is not: a degenerate LP has a whole interval of
optimal duals for the lock, from the right-hand to the left-hand derivative, and which one a
solver returns depends on its basis (Jones & Tamiz, *Practical Goal Programming*, 2010, ch. 4,
read trade-offs off such duals; Gal 1995, ch. 4, on degeneracy and the two one-sided
derivatives).

**Method.**  Two re-solves of level ``l+1``'s model, rebuilt by
:func:`goalprog.solve.stages.stage_model` with level ``l``'s lock loosened
(``hold_by_row={l: t}``; level ``l``'s face/fix bounds dropped: they follow the lock), at ``t1``
and ``t2 = 2 t1``, on the chain's backend and solver options; ``v(0)`` is the chain's own value of
level ``l+1``, re-solved at ``t = 0`` too when level ``l`` was held by fixings that do not follow a
nonzero lock slack (lock style ``fix``) or when the re-solves run with other options than the
chain (with HiGHS, always: see below; after HiGHS's PDLP solver, whose values are approximate, the
re-solves use the simplex).  Three collinear points of a convex function mean it is
linear between them, so when ``v(0), v(t1), v(t2)`` are collinear (to the re-solves' accuracy),
``rate = gain(t1) / t1`` exactly; otherwise a breakpoint lies within ``t2`` of the lock and ``t1``
is cut by :data:`CUT` (100), up to :data:`RETRIES` (3) times (then no rate, and a note says
why).  With HiGHS the re-solves run at feasibility tolerances :data:`TIGHT` (1e-9; a step must be
long next to them) and ``v(0)`` is re-solved with them.
``t1 = STEP * max(1, |h_l*|, |v(0)|)`` (:data:`STEP`; cut by :data:`CUT` per retry: the round-off of
the re-solves is relative to ``|v(0)|``, so the gain must be large next to it).  A rate within the
re-solves' accuracy of 0 is 0, and a rate is rounded to the digits that accuracy supports (at most
9 significant), so the same number comes out on every backend and algorithm.

**Cost.**  Three extra LP solves per level but the last with HiGHS (``v(0)``, ``v(t1)``,
``v(t2)``; two with another solver, whose ``v(0)`` is the chain's), two more per retry, so at most
nine; on the ``highs`` backend the re-solves after the first only change the lock rows' sides and
start warm, elsewhere each re-solve builds a new session.  The setting ``rates``
(``auto``, ``on``, ``off``; :func:`rates_wanted`) decides whether a chain gets them.

**MIP chains.**  No rate: ``v`` is then a step function of ``t`` (not a derivative), and a
difference quotient would depend on the step chosen; the stage's note says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from ..core.errors import GoalProgError
from ..core.status import Status, combine
from .backends.base import Backend, SolveOptions
from .stages import stage_model

__all__ = ["TradeOff", "RATES", "RATE_COLUMNS", "STEP", "RETRIES", "CUT", "TIGHT", "rates_wanted", "trade_off_rate",
           "with_trade_off_rates"]

RATES = ("auto", "on", "off")
"""The values of the ``rates`` setting."""

RATE_COLUMNS = 5_000
"""``rates: auto`` computes the rates of LP chains with fewer columns than this: the size from
which a chain solves by interior point, whose re-solves start cold (measured on the benchmark's
production plans: 4,170 columns, 1.1 s without rates and 2.4 s with; 6,202 columns, 3.0 s and
21.7 s; docs/methods.md)."""

STEP = 1e-2
"""The first re-solve loosens the lock by ``STEP * max(1, |h*|, |v(0)|)`` (``h*`` the level's
optimum, ``v(0)`` the next level's)."""

RETRIES = 3
"""How many times ``t1`` is cut by :data:`CUT` when ``v(0), v(t1), v(t2)`` are not collinear."""

CUT = 100.0
"""The factor ``t1`` is cut by per retry: from ``1e-2`` to ``1e-8`` of the scale in three retries
(on a 1,057-column production plan level 2's optimum has its first breakpoint ``1.5e-7`` from
level 1's lock).  Steps near the solver's feasibility tolerance measure the tolerance rather than
the LP: on ``portfolio_selection.yaml`` HiGHS's optimum of level 2 falls at slope 0.2128 for the
first ``1e-7`` of level 1's lock (its default primal feasibility tolerance) and 0.2062 beyond; with
the tolerance at ``1e-9`` the first piece shrinks to ``1e-9``, so the rate is 0.2062.  Hence the
re-solves' tolerances :data:`TIGHT`."""

_REL_NOISE = 1e-12
"""Relative accuracy assumed of a re-solved optimum: a vertex, from the simplex or interior point
with crossover (PDLP's approximate solutions are not used: see :func:`trade_off_rate`)."""


@dataclass(frozen=True)
class TradeOff:
    """The trade-off rate of one level: ``rate`` (next level's units per this level's unit,
    ``>= 0``; ``None`` when not computed), ``note`` (why not, or ``None``), ``step`` (the ``t1``
    the rate came from), ``solves`` (how many re-solves it took), ``error`` (a bound on the rate's round-off, from
    the re-solves' assumed accuracy)."""

    rate: float | None
    note: str | None = None
    step: float | None = None
    solves: int = 0
    error: float | None = None


def rates_wanted(setting: str, model) -> tuple[bool, str | None]:
    """Whether a chain on ``model`` gets trade-off rates under ``rates`` = ``setting``, and if not,
    why (a sentence for the levels table's footnote).  Raises :class:`ValueError` for a setting
    other than ``auto``, ``on``, ``off``."""
    if setting not in RATES:
        raise ValueError(f"rates must be one of {', '.join(RATES)}, got {setting!r}")
    if model.is_mip:
        return False, ("not defined for a chain with integer variables (the next level's optimum is a step "
                       "function of the lock's slack, not a linear one)")
    if setting == "off":
        return False, "not computed (rates: off)"
    if setting == "auto" and model.n_cols >= RATE_COLUMNS:
        return False, (f"not computed: the chain has {model.n_cols:,} columns, and rates: auto computes them below "
                       f"{RATE_COLUMNS:,} (rates: on computes them: three more solves per level)")
    return True, None


TIGHT = 1e-9
"""The primal and dual feasibility tolerances of the re-solves with HiGHS (its defaults are 1e-7),
unless the solver options set them: a step must be long next to the feasibility tolerance, or it
measures the tolerance rather than the LP (see :data:`CUT`)."""


def _resolve_options(options: SolveOptions) -> tuple[SolveOptions, bool]:
    """The options of the re-solves, and whether they differ from the chain's (then ``v(0)`` is
    re-solved too, with the same options).  With HiGHS: feasibility tolerances :data:`TIGHT`, and
    the simplex instead of the first-order PDLP solver, whose values are approximate (relative
    accuracy about 1e-4, no crossover): their differences would be noise."""
    if (options.solver or "highs").lower() != "highs":
        return options, False
    extra = {k: TIGHT for k in ("primal_feasibility_tolerance", "dual_feasibility_tolerance")
             if k not in options.solver_options}
    if str(options.solver_options.get("solver", "")).lower() == "pdlp":
        extra["solver"] = "simplex"
    if not extra:
        return options, False
    return replace(options, solver_options={**options.solver_options, **extra}), True


def _pdlp(options: SolveOptions) -> bool:
    return str(options.solver_options.get("solver", "")).lower() == "pdlp"


def _round(rate: float, err: float) -> float:
    """``rate`` rounded to the significant digits an error bound ``err`` supports (at most 9); 0
    when within ``err`` of 0."""
    if not math.isfinite(rate) or abs(rate) <= err:
        return 0.0
    digits = 9 if err <= 0 else max(1, min(9, int(math.floor(math.log10(abs(rate) / err))) + 1))
    return float(f"{rate:.{digits}g}")


class _Resolver:
    """Level ``k``'s model with level ``k - 1``'s lock loosened by ``t``, solved for several ``t``
    (one session on backends that can change a row's sides; else one session per ``t``)."""

    def __init__(self, model, records, k: int, backend: Backend, options: SolveOptions):
        self.model, self.records, self.k = model, records, k
        self.backend, self.options = backend, options
        self.session = None
        self.solves = 0
        first = sum(len(records[j].locks) for j in range(k - 1))
        self.rows = range(model.n_rows + first, model.n_rows + first + len(records[k - 1].locks))

    def value(self, t: float) -> float | None:
        sm = stage_model(self.model, self.k, self.records, hold_by_row={self.k - 1: t})
        moved = False
        if self.session is not None:
            moved = True
            for i in self.rows:
                row = sm.extra_rows[i - self.model.n_rows]
                c = row.vector.constant
                moved = moved and self.session.set_row_bounds(i, row.lower - c, row.upper - c)
        if not moved:
            self.close()
            self.session = self.backend.session(sm.model, self.options)
            for row in sm.extra_rows:
                self.session.add_row(row)
            self.session.set_objective(sm.objective)
        rec = self.session.solve()
        self.solves += 1
        ok = rec.x is not None and combine(rec.termination, rec.solution) is Status.OPTIMAL
        return rec.objective if ok and rec.objective is not None and math.isfinite(rec.objective) else None

    def close(self):
        if self.session is not None:
            self.session.close()
            self.session = None


def trade_off_rate(model, records, k: int, backend: Backend, options: SolveOptions) -> TradeOff:
    """The trade-off rate of stage ``k - 1`` (0-based) of a preemptive chain, from stage ``k``.

    ``model``: the chain's :class:`~goalprog.model.ir.LinearModel` (a preemptive result's
    ``model``); ``records``: its :class:`~goalprog.solve.stages.ChainStage` records (both stages
    solved to optimality); ``backend``, ``options``: those the chain ran on.  See the module's
    docstring for the definition and method.  Never raises for a re-solve that fails: the result
    then has ``rate=None`` and a note."""
    prev, nxt = records[k - 1], records[k]
    if nxt.value is None or prev.value is None:
        return TradeOff(None, "the next level has no optimal plan")
    sense = nxt.objective.sense
    noise = _REL_NOISE
    options, changed = _resolve_options(options)
    scale = max(1.0, abs(prev.value))
    # the step: large enough that the re-solves' round-off (relative to the next level's value) stays
    # far below the gain, small enough (per the collinearity check) to stay on the first linear piece
    t1 = STEP * max(scale, abs(nxt.value))
    resolver = _Resolver(model, records, k, backend, options)
    try:
        v0 = nxt.value
        guard = prev.guard or 0.0
        if changed or (prev.lock_style == "fix" and guard > 0.0):
            # fixings that do not follow the lock's slack held the level (v(0) of the row lock differs),
            # or the re-solves run with other tolerances or another algorithm than the chain
            v0 = resolver.value(0.0)
            if v0 is None:
                return TradeOff(None, "the re-solve with the level held by its lock row found no optimum",
                                solves=resolver.solves)
        for _ in range(RETRIES + 1):
            v1 = resolver.value(t1)
            v2 = resolver.value(2 * t1) if v1 is not None else None
            if v1 is None or v2 is None:
                return TradeOff(None, "a re-solve with the lock loosened found no optimum", t1, resolver.solves)
            sign = 1.0 if sense == "min" else -1.0
            g1 = sign * (v0 - v1) / t1
            g2 = sign * (v1 - v2) / t1
            err = 2.0 * noise * (max(1.0, abs(v0)) + max(1.0, abs(v1))) / t1
            if abs(g1 - g2) <= 2.0 * err + 1e-8 * max(abs(g1), abs(g2)):
                return TradeOff(_round(max(g1, 0.0), err), None, t1, resolver.solves, err)
            t1 /= CUT
        return TradeOff(None, f"the next level's optimum has a breakpoint within {2 * t1 * CUT:.3g} of the lock "
                              "(no linear piece to measure)", t1 * CUT, resolver.solves)
    finally:
        resolver.close()


def with_trade_off_rates(stages, model, records, backend: Backend, options: SolveOptions, setting: str = "auto"):
    """``stages`` (the :class:`~goalprog.solve.results.StageResult` list of a preemptive chain) with
    each level's ``lock_dual`` set to its trade-off rate (:func:`trade_off_rate`), or ``None`` with
    ``trade_off_note`` saying why (``setting`` off, too large for ``auto``, a MIP chain, a level not
    solved to optimality, a re-solve that failed).  A level whose rate is 0 while the next level's
    solve priced its lock (the incoming ``lock_dual``, the lock row's dual) is flagged degenerate in
    its note: giving up the level buys nothing, whatever the solver's basis said.  The last stage is
    left as it is."""
    stages = list(stages)
    wanted, why = rates_wanted(setting, model)
    vertex = not _pdlp(options)  # PDLP's approximate duals flag nothing
    for k in range(1, len(stages)):
        prev, cur = stages[k - 1], stages[k]
        dual = prev.lock_dual
        if not wanted:
            stages[k - 1] = replace(prev, lock_dual=None, trade_off_note=why)
            continue
        if prev.lock is None and prev.status is Status.OPTIMAL:
            stages[k - 1] = replace(prev, lock_dual=None,
                                    trade_off_note="not computed: the level holds nothing (no lock)")
            continue
        if prev.status is not Status.OPTIMAL or cur.status is not Status.OPTIMAL or k >= len(records) \
                or not records[k].solved or not records[k - 1].locks:
            stages[k - 1] = replace(prev, lock_dual=None, trade_off_note="not computed: a level is not proven optimal")
            continue
        try:
            res = trade_off_rate(model, records, k, backend, options)
        except GoalProgError as exc:  # the chain's plan stands; only the rate is missing
            res = TradeOff(None, f"not computed: a re-solve failed ({exc})")
        note = res.note
        if vertex and res.rate == 0.0 and dual is not None and np.isfinite(dual) and dual > max(1e-6, 10 * (res.error or 0.0)):
            note = (f"degenerate: the next level's solve priced this level's lock at {dual:.6g}, but giving up "
                    "this level buys the next level nothing")
        stages[k - 1] = replace(prev, lock_dual=res.rate, trade_off_note=note)
    return stages
