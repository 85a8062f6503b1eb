"""Parametric re-solves of one stage: one-sided slopes and the ends of linear pieces of its value function.

The optimal value ``v(t)`` of a linear program whose right-hand side moves along one row by
``t`` is convex (minimised) and piecewise linear in ``t``; its optimal value as a function of
one cost coefficient is concave and piecewise linear (Gal, *Postoptimal Analyses, Parametric
Programming, and Related Topics*, 2nd ed., 1995, ch. 3-4; Bazaraa, Jarvis & Sherali, *Linear
Programming and Network Flows*, 4th ed., 2010, sec. 6.7-6.8).  Everything here is measured by
re-solving the stage through the backend (:class:`StageSolver`), so it never depends on the
solver's basis (at a degenerate vertex a basis's dual is one point of an interval of optimal
duals; the one-sided derivatives are its two ends).

* :func:`slopes`: the left and right derivatives at ``t = 0`` by two steps on each side
  (``t1`` and ``2 t1``); three collinear values of a convex function mean it is linear between
  them, else ``t1`` is cut (as :mod:`goalprog.solve.tradeoff` does).
* :func:`piece_end`: where the linear piece through ``t = 0`` ends, by line intersection (the
  Newton / Eisner-Severance step on a convex piecewise-linear function: the line of the piece
  left of a point beyond the end meets the current line at a breakpoint nearer the end; finite,
  one piece per step); ``inf`` when the recession value (one LP with every finite side and
  bound at 0) shows the slope never changes.
* :func:`weight_range`: the interval of one cost coefficient over which a given plan stays
  optimal (Dinkelbach's line-intersection: each re-solve gives a plan whose line bounds the end;
  finite, exact at vertices).

No solver is imported here.
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np

from ...core.status import Status, combine
from ...model.ir import Objective, SparseVector, frozen_array
from ..backends.base import Backend, SolveOptions
from ..tradeoff import TIGHT

__all__ = ["StageSolver", "ray", "one_side", "slopes", "piece_end", "weight_range", "resolve_options", "STEP", "RETRIES", "CUT",
           "NOISE", "rounded"]

STEP = 1e-2
"""The first step is ``STEP * scale`` (the scale: ``max(1, |side|)``)."""

RETRIES = 3
"""How many times the step is cut by :data:`CUT` when three values are not collinear (or one is
infeasible): from ``1e-2`` to ``1e-8`` of the scale; shorter steps would measure the solvers'
feasibility tolerances and the locks' rounding guards rather than the LP."""

CUT = 100.0

NOISE = 1e-12
"""Relative accuracy assumed of a re-solved optimum (a vertex: simplex, or interior point with crossover)."""

FAR = 10.0
"""The breakpoint search asks for the recession value (one LP on a new session) only once it has
found the piece linear beyond ``FAR`` times the scale of the offsets."""

MAX_STEPS = 60
"""At most this many line-intersection steps per end (each one leaves a piece behind)."""


def resolve_options(options: SolveOptions) -> SolveOptions:
    """The options of the re-solves: with HiGHS, feasibility tolerances
    :data:`goalprog.solve.tradeoff.TIGHT` and the simplex instead of PDLP (approximate values) or
    interior point (the re-solves start warm: from the plan)."""
    if (options.solver or "highs").lower() != "highs":
        return options
    extra = {k: TIGHT for k in ("primal_feasibility_tolerance", "dual_feasibility_tolerance")
             if k not in options.solver_options}
    if str(options.solver_options.get("solver", "")).lower() in ("pdlp", "ipm"):
        extra["solver"] = "simplex"  # PDLP: approximate values; both: the re-solves start warm (from the plan)
    return replace(options, solver_options={**options.solver_options, **extra}) if extra else options


def rounded(value: float, err: float, most: int = 9) -> float:
    """``value`` rounded to the significant digits an error bound ``err`` supports (at most ``most``);
    0 when within ``err`` of 0; infinities unchanged."""
    if not math.isfinite(value):
        return value
    if abs(value) <= err:
        return 0.0
    digits = most if err <= 0 else max(1, min(most, int(math.floor(math.log10(abs(value) / err))) + 1))
    return float(f"{value:.{digits}g}")


class StageSolver:
    """One stage's model (a :class:`~goalprog.solve.stages.StageModel`) re-solved with one row's
    sides moved or another objective.  Keeps one session on backends that can change a row's
    sides (HiGHS: warm starts), else builds one per re-solve.  ``solves`` counts the re-solves."""

    def __init__(self, sm, backend: Backend, options: SolveOptions):
        self.sm, self.backend, self.options = sm, backend, resolve_options(options)
        self.session = None
        self.moved: dict[int, tuple[float, float]] = {}
        self.objective = sm.objective
        self.solves = 0

    def _sides(self, i: int) -> tuple[float, float]:
        m = self.sm.model
        if i < m.n_rows:
            return float(m.row_lower[i]), float(m.row_upper[i])
        row = self.sm.extra_rows[i - m.n_rows]
        c = row.vector.constant
        return row.lower - c, row.upper - c

    def _open(self, moves: dict[int, tuple[float, float]]):
        m = self.sm.model
        lo, hi = np.array(m.row_lower, dtype=np.float64), np.array(m.row_upper, dtype=np.float64)
        extra = list(self.sm.extra_rows)
        for i, (a, b) in moves.items():
            if i < m.n_rows:
                lo[i], hi[i] = a, b
            else:
                row = extra[i - m.n_rows]
                c = row.vector.constant
                extra[i - m.n_rows] = replace(row, lower=a + c, upper=b + c)
        model = replace(m, row_lower=frozen_array(lo, np.float64), row_upper=frozen_array(hi, np.float64))
        self.close()
        self.session = self.backend.session(model, self.options)
        for row in extra:
            self.session.add_row(row)
        self.session.set_objective(self.objective)
        self.moved = dict(moves)

    def start(self, x) -> None:
        """Open the stage's session with the plan ``x`` as HiGHS's starting point (the stage's first
        solve then takes a few simplex iterations from it instead of a cold start; another backend:
        nothing)."""
        if self.session is None:
            self._open({})
        h = getattr(self.session, "h", None)
        if h is None:
            return
        try:
            sol = type(h.getSolution())()  # a HighsSolution, without importing the solver here
            sol.col_value = list(np.asarray(x, dtype=np.float64))
            sol.value_valid = True
            h.setSolution(sol)
        except Exception:  # noqa: BLE001 - a warm start only; the solve is the same LP either way
            pass

    def start_basis(self, basis) -> bool:
        """Open the stage's session with ``basis`` (``(col_status, row_status)`` of this very model, as
        a chain kept it: :attr:`goalprog.solve.stages.ChainStage.basis`) as HiGHS's starting basis;
        ``False`` (nothing set) on another backend or a basis of another shape."""
        if self.session is None:
            self._open({})
        put = getattr(self.session, "set_basis", None)
        return bool(put is not None and basis is not None and put(*basis))

    def solve(self, moves: dict[int, tuple[float, float]] | None = None, objective: Objective | None = None):
        """``(value, x)`` of the stage with the rows in ``moves`` (row -> (lower, upper) sides,
        without a row's constant; model rows first, then the stage's lock rows) and ``objective``
        (default the stage's); ``(None, None)`` when no optimum was found (infeasible, unbounded)."""
        moves = dict(moves or {})
        objective = objective or self.sm.objective
        if any(a > b for a, b in moves.values()):
            return None, None  # a range moved past its other end: no plan (some modelling layers refuse the row)
        wanted = {i: self._sides(i) for i in self.moved if i not in moves}
        wanted.update(moves)
        ok = self.session is not None
        if ok:
            for i, (a, b) in wanted.items():
                ok = ok and self.session.set_row_bounds(i, a, b)
        if ok and objective is not self.objective:
            self.session.set_objective(objective)
        if not ok:
            self.objective = objective
            self._open(moves)
        self.objective = objective
        self.moved = {i: s for i, s in moves.items()}
        rec = self.session.solve()
        self.solves += 1
        self.last = rec
        good = rec.x is not None and combine(rec.termination, rec.solution) is Status.OPTIMAL
        if not good or rec.objective is None or not math.isfinite(rec.objective):
            return None, None
        return float(rec.objective), rec.x

    def row_dual(self, i: int, any_backend: bool = False) -> float | None:
        """The dual of row ``i`` after the last solve (``d value / d side`` of its active side(s),
        a subgradient of the value function), where the backend holds a HiGHS model; with
        ``any_backend`` also a PuLP or Pyomo session's (``row_duals``, any solver's own signs: only
        for a use that checks it, as :func:`one_side` does against the secant); else ``None``."""
        h = getattr(self.session, "h", None)
        if h is None:
            duals = getattr(self.session, "row_duals", None) if any_backend else None
            got = duals() if duals is not None else None
            return float(got[i]) if got is not None and i < len(got) and np.isfinite(got[i]) else None
        try:
            return float(h.getSolution().row_dual[i])
        except Exception:  # noqa: BLE001 - a shortcut only
            return None

    def row_value(self, i: int) -> float | None:
        """Row ``i``'s activity after the last solve (HiGHS), else ``None``."""
        h = getattr(self.session, "h", None)
        try:
            return None if h is None else float(h.getSolution().row_value[i])
        except Exception:  # noqa: BLE001 - a shortcut only
            return None

    def close(self):
        if self.session is not None:
            self.session.close()
            self.session = None


def _collinear(v0, v1, v2, t):
    """(slope, error bound) when ``v0, v1, v2`` at ``0, t, 2t`` lie on one line, else ``None``."""
    g1, g2 = (v1 - v0) / t, (v2 - v1) / t
    err = 2.0 * NOISE * (max(1.0, abs(v0)) + max(1.0, abs(v1)) + max(1.0, abs(v2))) / abs(t)
    if abs(g1 - g2) <= 2.0 * err + 1e-8 * max(abs(g1), abs(g2)):
        return g1, err
    return None


def one_side(f, v0: float, t1: float, direction: int, grad=None):
    """The one-sided derivative of ``f`` at 0 towards ``direction`` (+1 right, -1 left), as a
    slope of ``f`` (``f(t)`` the value at offset ``t``; ``None`` where infeasible).  Returns
    ``(slope, error, step)``: ``slope`` is ``+inf`` (right) / ``-inf`` (left) when even the
    stage is infeasible at some step and no linear piece was found within the feasible ones (a
    minimised value: the boundary of feasibility lies within the step), ``None`` when no linear
    piece was found (``step`` then is ``None``).  ``grad``: a callable giving a subgradient of ``f``
    along ``direction`` at the point last evaluated (a dual; ``None`` where unknown): when it equals
    the secant slope from 0 to ``t``, ``f`` is linear on that step (for a convex function the secant
    slope is at most every subgradient at ``t``, with equality only when linear), and the second
    re-solve is saved (``step`` is then ``t / 2``: the piece is known for ``2 * step``)."""
    t = t1
    infeasible = False
    for _ in range(RETRIES + 1):
        v1 = f(direction * t)
        if v1 is not None and grad is not None:
            g, s = (v1 - v0) / t, grad()
            err = 2.0 * NOISE * (max(1.0, abs(v0)) + max(1.0, abs(v1))) / t
            if s is not None and abs(g - s) <= 2.0 * err + 1e-9 * max(abs(g), abs(s)):
                # linear on [0, t]: its slope is the dual there (an LP's, to the solver's accuracy), not only the
                # secant (whose error bound grows as the step shrinks)
                return direction * s, NOISE * max(1.0, abs(s)), t / 2
        v2 = f(direction * 2 * t) if v1 is not None else None
        if v1 is None or v2 is None:
            infeasible = True
            t /= CUT
            continue
        got = _collinear(v0, v1, v2, t)
        if got is not None:
            g, err = got
            return direction * g, err, t
        t /= CUT
    if infeasible:  # infeasible within a step of 0 (steps below the last are the solvers' tolerances, not the LP)
        return direction * math.inf, 0.0, None
    return None, None, None


def slopes(f, v0: float, t1: float):
    """``(left, right, error, steps)``: the left and right derivatives of ``f`` at 0 (see
    :func:`one_side`), the larger error bound, and the steps that measured them."""
    left, el, sl = one_side(f, v0, t1, -1)
    right, er, sr = one_side(f, v0, t1, +1)
    return left, right, max(el or 0.0, er or 0.0), (sl, sr)


def piece_end(f, v0: float, slope: float, known: float, asymptote, scale: float, grad=None) -> float:
    """How far right of 0 the linear piece ``v0 + slope * t`` of the convex function ``f`` lasts
    (``f`` as in :func:`one_side`; ``known``: an offset up to which the piece is known to hold;
    ``asymptote``: a callable giving ``lim f(t) / t`` (``None`` when ``f`` becomes infeasible),
    called only when the search passes :data:`FAR` times the scale; ``scale``: of the offsets).
    ``inf`` when ``asymptote() == slope`` (a convex function whose last slope is its current one
    is linear from there on).  ``grad``: a callable giving a subgradient of ``f`` at the point
    ``f`` was last evaluated at (a dual; ``None`` where unknown), which saves the two re-solves
    that otherwise measure the slope left of a point."""
    def tol(t, v):
        return 1e-9 * max(1.0, abs(v), abs(v0)) + 1e-9 * abs(slope * t)

    def on_line(t, v):
        return v is not None and abs(v - (v0 + slope * t)) <= tol(t, v)

    # the first trial just past the known piece: when its end is a breakpoint, the line of the next piece
    # meets the current one right there (one re-solve); else the trials grow by 4
    a = known
    b = a + max(1e-3 * a, 1e-6 * scale) if a > 0 else scale * STEP
    vb = f(b)
    asked = False
    while on_line(b, vb):
        if b < scale * STEP:  # on the line so far: the next trial at the first step (measured, not assumed)
            b = scale * STEP
            vb = f(b)
            continue
        if b > FAR * scale and not asked:
            asked = True
            asym = asymptote()
            if asym is not None and abs(asym - slope) <= 1e-9 * max(1.0, abs(slope)):
                return math.inf
        a, b = b, b * 4.0
        if b > 1e15 * scale:
            return math.inf
        vb = f(b)
    def halve(a, b, vb):
        """The bracket [a, b] (on the line at a, off it at b) halved towards the end."""
        m = 0.5 * (a + b)
        vm = f(m)
        return (m, b, vb) if on_line(m, vm) else (a, m, vm)

    for _ in range(MAX_STEPS):
        if vb is None:  # infeasible beyond: halve towards the last point on the line
            a, b, vb = halve(a, b, vb)
            if b - a <= 1e-12 * max(1.0, abs(b)):
                return a
            continue
        # the piece left of b: a subgradient at b (any supporting line meets the current line between the end
        # and b), else the slope from two steps back from b
        d = (b - a) * 1e-3
        sb = grad() if grad is not None else None
        if sb is not None and not sb > slope + 1e-12 * max(1.0, abs(slope)):
            sb = None
        for _ in range(RETRIES + 1 if sb is None else 0):
            v1, v2 = f(b - d), f(b - 2 * d)
            if v1 is not None and v2 is not None:
                got = _collinear(vb, v1, v2, -d)
                if got is not None:
                    sb = got[0]
                    break
            d /= CUT
        z = None if sb is None or sb <= slope else (vb - sb * b - v0) / (slope - sb)
        if z is not None and abs(z - a) <= 1e-9 * max(1.0, abs(a)):
            return a  # the piece through b meets the line where it is known to hold: the end
        if z is None or not a < z < b:
            # no supporting line measured at b, or one meeting the line outside (a, b) (a kink at b or the
            # solver's noise): the end lies in [a, b], halve towards it
            a, b, vb = halve(a, b, vb)
            if b - a <= 1e-12 * max(1.0, abs(b)):
                return a
            continue
        vz = f(z)
        if on_line(z, vz):
            return z
        if b - z <= 1e-12 * max(1.0, abs(b)):
            return z
        b, vb = z, vz
    return a


def weight_range(solver: StageSolver, objective: Objective, direction: SparseVector, weight: float, x: np.ndarray,
                 at_minimum: bool = False, zero_ok: bool = False, basis: tuple | None = None):
    """The interval ``[low, high]`` of a weight ``w`` (at present ``weight``; the cost of the
    stage's ``objective`` moves by ``(w' - weight) * direction``) over which the plan ``x`` stays
    optimal, and the number of re-solves; ``low >= 0`` (weights are not negative).

    Dinkelbach's method: at a trial weight ``u`` beyond the end, a re-solve gives a plan ``x_u``;
    the lines ``L(w) = c(w) x`` and ``c(w) x_u`` meet at ``w' = weight + (c x_u - c x) /
    (d x - d x_u)`` (``c`` the present costs, ``d`` the direction), which lies between the end
    and ``u``; re-solving there either confirms it (the optimum equals ``L``) or yields a new
    plan.  Each step leaves a vertex behind, so it ends.  ``high = inf`` when ``x`` minimises the
    direction over the stage's feasible set (one LP; none when ``at_minimum``: the caller knows
    the direction's columns sit at their lower bound 0 with nonnegative coefficients, or a basis
    stays optimal for every larger weight); ``zero_ok``: the caller knows the plan is optimal at
    weight 0 (a basis stays optimal down to 0): ``low = 0`` without a re-solve.  ``basis``:
    ``(low, high)`` weights over which a basis of the plan stays optimal (HiGHS's cost ranging), so
    the plan does: the first trial is just past each end, where one re-solve usually shows the end
    is the plan's too (the next plan's line meets the plan's there)."""
    sense = 1.0 if objective.sense == "min" else -1.0
    c_x = objective.vector.value(x)
    d_x = direction.value(x)

    def shifted(w):
        idx = np.concatenate([objective.vector.indices, direction.indices])
        val = np.concatenate([objective.vector.coefs, (w - weight) * direction.coefs])
        uniq, inv = np.unique(idx, return_inverse=True)
        coefs = np.bincount(inv, weights=val, minlength=len(uniq))
        return Objective(objective.sense, SparseVector.make(uniq, coefs, objective.vector.constant))

    def optimal(w):
        v, xu = solver.solve(objective=shifted(w))
        if v is None:
            return None, None
        line = c_x + (w - weight) * d_x
        ok = sense * (v - line) >= -1e-9 * max(1.0, abs(v), abs(line))
        return ok, xu

    def crossing(xu):
        cu, du = objective.vector.value(xu), direction.value(xu)
        if abs(d_x - du) <= 1e-12 * max(1.0, abs(d_x)):
            return None
        return weight + (cu - c_x) / (d_x - du)

    def bounded_from(u):
        """The weight at which a ray along which the stage is unbounded at weight ``u`` stops improving
        (below it the stage stays unbounded: the range ends there at the latest); ``None`` when not found."""
        solver.solves += 1
        r = ray(solver.sm, solver.backend, solver.options, shifted(u))
        if r is None:
            return None
        cr, dr = objective.vector.value(r) - objective.vector.constant, direction.value(r) - direction.constant
        if not dr > 0:
            return None
        return weight - cr / dr

    # upper end: is x a minimiser of the direction (the weight's columns)?  Then it stays optimal for ever.
    def near(u, end):
        return abs(u - end) <= 1e-12 * max(1.0, abs(end))

    def past(end, sign):
        """The end when a re-solve just past it finds the next plan's line meeting the plan's at it."""
        trial = end + sign * max(1e-6 * abs(end), 1e-9)
        if sign < 0 and trial < 0:
            return None
        ok, xu = optimal(trial)
        if ok is False:
            u = crossing(xu)
            if u is not None and near(u, end):
                return end
        return None

    if basis is not None and not at_minimum and math.isfinite(basis[1]):
        hit = past(basis[1], 1.0)
        if hit is not None:
            high_known = hit
        else:
            high_known = None
    else:
        high_known = None
    dmin, xmin = (None, None) if at_minimum or high_known is not None else \
        solver.solve(objective=Objective("min", direction))
    high = math.inf if high_known is None else high_known
    if high_known is None and dmin is not None and dmin < d_x - 1e-9 * max(1.0, abs(d_x)):
        u = crossing(xmin)
        for _ in range(MAX_STEPS):
            if u is None or u <= weight:
                high = weight
                break
            ok, xu = optimal(u)
            if ok is None or ok:
                high = u
                break
            u = crossing(xu)
    low = 0.0
    if basis is not None and not zero_ok and weight > 0 and basis[0] > 0:
        hit = past(basis[0], -1.0)
        if hit is not None:
            return hit, high
    u = 0.0
    ok, xu = optimal(0.0) if weight > 0 and not zero_ok else (True, None)
    for _ in range(MAX_STEPS):
        if ok:
            low = u
            break
        if ok is None:  # no optimum at u: unbounded (the feasible set does not move with the weight)
            u = bounded_from(u)
        else:
            u = crossing(xu)
        if u is None or u >= weight:
            low = weight if u is not None else math.nan
            break
        ok, xu = optimal(u)
    else:
        low = math.nan
    return low, high


def ray(sm, backend: Backend, options: SolveOptions, objective: Objective):
    """A direction ``r`` of the stage ``sm``'s feasible set (its recession cone, each column boxed
    to ``[-1, 1]``) along which ``objective`` (minimised) falls: the stage is unbounded along it;
    ``None`` when the box's optimum is not negative or was not found."""
    m = sm.model
    zero = lambda a: np.where(np.isfinite(a), 0.0, a)  # noqa: E731
    extra = [replace(row, vector=replace(row.vector, constant=0.0), lower=0.0 if math.isfinite(row.lower) else row.lower,
                     upper=0.0 if math.isfinite(row.upper) else row.upper) for row in sm.extra_rows]
    model = replace(m, row_lower=frozen_array(zero(np.asarray(m.row_lower, dtype=np.float64)), np.float64),
                    row_upper=frozen_array(zero(np.asarray(m.row_upper, dtype=np.float64)), np.float64),
                    col_lower=frozen_array(np.maximum(zero(np.asarray(m.col_lower, dtype=np.float64)), -1.0), np.float64),
                    col_upper=frozen_array(np.minimum(zero(np.asarray(m.col_upper, dtype=np.float64)), 1.0), np.float64))
    session = backend.session(model, resolve_options(options))
    try:
        for row in extra:
            session.add_row(row)
        session.set_objective(Objective("min", replace(objective.vector, constant=0.0)))
        rec = session.solve()
    finally:
        session.close()
    if rec.x is None or combine(rec.termination, rec.solution) is not Status.OPTIMAL or rec.objective is None:
        return None
    if not rec.objective < -1e-9:
        return None
    return np.asarray(rec.x, dtype=np.float64)


def recession(sm, backend: Backend, options: SolveOptions, moves: dict[int, tuple[bool, bool]], sign: float,
              sides: dict[int, tuple[float, float]] | None = None):
    """``lim v(t) / t`` as ``t -> inf`` for the stage ``sm`` whose rows move by ``sign * t``
    (``moves``: row -> (lower side moves, upper side moves)): the optimum of the homogeneous LP
    (every finite side and bound 0, the moved sides ``sign``), in the stage's sense; ``None``
    when that LP has no optimum (the stage becomes infeasible far enough out).  ``sides``: rows
    (numbered as ``moves``'s) whose sides in that LP are given (a lock row moving with ``t`` at a
    rate: the lexicographic recession, :mod:`.lexico`)."""
    m = sm.model
    zero = lambda a: np.where(np.isfinite(a), 0.0, a)  # noqa: E731
    lo, hi = zero(np.asarray(m.row_lower, dtype=np.float64)), zero(np.asarray(m.row_upper, dtype=np.float64))
    extra = []
    for row in sm.extra_rows:
        extra.append(replace(row, vector=replace(row.vector, constant=0.0),
                             lower=0.0 if math.isfinite(row.lower) else row.lower,
                             upper=0.0 if math.isfinite(row.upper) else row.upper))
    for i, (mlo, mhi) in moves.items():
        if i < m.n_rows:
            lo[i] = sign if mlo else lo[i]
            hi[i] = sign if mhi else hi[i]
        else:
            row = extra[i - m.n_rows]
            extra[i - m.n_rows] = replace(row, lower=sign if mlo else row.lower, upper=sign if mhi else row.upper)
    for i, (a, b) in (sides or {}).items():
        row = extra[i - m.n_rows]
        extra[i - m.n_rows] = replace(row, lower=a, upper=b)
    if np.any(lo > hi) or any(row.lower > row.upper for row in extra):
        return None
    model = replace(m, row_lower=frozen_array(lo, np.float64), row_upper=frozen_array(hi, np.float64),
                    col_lower=frozen_array(zero(np.asarray(m.col_lower, dtype=np.float64)), np.float64),
                    col_upper=frozen_array(zero(np.asarray(m.col_upper, dtype=np.float64)), np.float64))
    objective = Objective(sm.objective.sense, replace(sm.objective.vector, constant=0.0))
    session = backend.session(model, resolve_options(options))
    try:
        for row in extra:
            session.add_row(row)
        session.set_objective(objective)
        rec = session.solve()
    finally:
        session.close()
    if rec.x is None or combine(rec.termination, rec.solution) is not Status.OPTIMAL or rec.objective is None:
        return None
    return float(rec.objective)
