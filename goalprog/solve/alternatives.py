"""Alternative optima: is the plan the only one that does this well, and how far can each variable move?

**What is computed.**  Let ``S`` be the set of plans that keep every priority level at its optimum
(weighted GP: the plans with the weighted optimum; Chebyshev and extended GP: the plans with
their objective's optimum).  For each decision variable ``x_j``::

    min_j = min { x_j : x in S },    max_j = max { x_j : x in S }

and the plan is *unique* when no variable can move (``max_j - min_j <= tol_j`` for every ``j``,
``tol_j`` = :data:`REL_TOL` ``* max(1, |x*_j|)``).  For an LP, ``S`` is a face of the feasible
polyhedron, the *optimal face* (Ehrgott, *Multicriteria Optimization*, 2nd ed., 2005, ch. 6 on
lexicographic optimality; Mattheiss & Rubin, "A survey and comparison of methods for finding all
vertices of convex polyhedral sets", *Math. Oper. Res.* 5 (1980) for enumerating it), and every
``min_j``/``max_j`` is one LP over it.

**How ``S`` is held.**  From the result's stage records (:func:`goalprog.solve.stages.stage_model`
rebuilds the last stage with every earlier level locked exactly as the chain locked it); the last
stage is solved again and locked the same way the chain locks a level
(:func:`goalprog.solve.strategies.preemptive.lock_rows` after
:meth:`~goalprog.solve.backends.base.Session.restrict_to_optimal_face` at budget 0: columns with a
nonzero reduced cost fixed at their bound, rows with a nonzero dual made equalities, plus the
guard row ``h <= h* + g``; a level met exactly by ``h <= 0`` alone; a MIP level by its lock row;
docs/methods.md "locks"), in :class:`goalprog.solve.alternatives_held.HeldOptimalSet`: each level
row widened to the plan's own value where the plan lies beyond it, and every plan a re-solve
returns checked against the level rows (a plan that spends a level's row is not in ``S``;
docs/methods.md "Holding S so that it is well posed").  The plan reported is one of ``S`` (the
solve proved it optimal), so each range includes its value, whatever the re-solves' round-off.

**Screening** (``screen=True``, the default).  (1) A column the optimal face fixes cannot move: no
solve.  (2) Every solution of every re-solve is a plan of ``S``, so the running minimum and
maximum of each variable over all plans seen so far are inner bounds of its range: when the
running minimum already sits at the variable's lower bound (in the locked model), its ``min`` is
known and that LP is skipped; the same for the maximum.  (3) Groups at a bound
(:func:`_group_screen`) and (4) random directions over every variable left (:func:`_random_screen`;
probabilistic).  On backends that keep a session (HiGHS) each LP starts warm from the previous
basis (only the objective changes).

**MIP.**  ``min_j``/``max_j`` over the integer plans of ``S`` is a MIP per variable; they are solved
when the model has at most :data:`MIP_RANGE_LIMIT` decision variables to range.  Then ``unique``
means no variable, integer or continuous, can move, and :attr:`Alternatives.second_integer_plan` is
whether some integer variable moves.  Larger MIPs whose integer variables are all binary get one
no-good cut re-solve instead (Balas & Jeroslow, "Canonical cuts on the unit hypercube", *SIAM J.
Appl. Math.* 23 (1972) 61-69): ``sum_{j: x*_j = 0} x_j + sum_{j: x*_j = 1} (1 - x_j) >= 1`` with
every level locked; infeasible means no second integer assignment keeps every level optimal
(``unique`` then means "no second integer plan": continuous variables are not ranged; the note
says so).  Larger MIPs with general integers are not decided (``unique`` is ``None``).  Each MIP
is proven to the solver's tolerances only (a MIP gap of 0; integer feasibility 1e-5 or so).

Entry points: :func:`alternative_optima` (the record) and :func:`with_alternatives` (a
:class:`~goalprog.solve.results.Result` with its ``alternatives`` set).  No solver is imported here;
every solve goes through the backend, so highs, pulp and pyomo give the same ranges.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np

from ..core.errors import GoalProgError
from ..core.status import Status
from ..model.ir import ROLE_DECISION, ExtraRow, Objective, SparseVector
from .backends.base import Backend, SolveOptions
from .alternatives_held import LEVEL_TOL, RANGE_FEASIBILITY  # noqa: F401 (re-exported)
from .alternatives_held import HeldOptimalSet as _Ranger
from .alternatives_held import NotOptimal as _NotOptimal
from .alternatives_held import range_options as _options

__all__ = ["Alternatives", "REL_TOL", "MIP_RANGE_LIMIT", "GROUP", "MIN_GROUP", "RANDOM_FROM", "SOLVE_LIMIT", "LEVEL_TOL", "RANGE_FEASIBILITY", "alternative_optima",
           "with_alternatives"]

REL_TOL = 1e-9
"""A variable can move when its range is wider than ``REL_TOL * max(1, |x*_j|)``; a reported end
within that of the plan's value (or of a bound) is that value."""

MIP_RANGE_LIMIT = 200
"""MIPs with at most this many decision variables to range get one MIP per end (after
screening); larger ones only the no-good cut (binaries) or nothing."""

GROUP = 100_000
"""The random-direction screen tests at most this many variables per pair of solves (at first all
variables left; a group whose pair fails is halved, down to :data:`MIN_GROUP`)."""

MIN_GROUP = 32
"""The smallest group the random-direction screen splits a failed group into."""

RANDOM_FROM = 256
"""The random-direction screen runs when at least this many variables have an end left unknown
after the deterministic screens (fewer: one solve per end is cheap enough)."""

SOLVE_LIMIT = 2_000
"""At most this many solves per run (:func:`alternative_optima`'s ``solve_limit``): the ends left
unsolved then show the range of the plans seen, an inner bound, and the note says so."""

SEED = 20240601
"""The seed of the random directions (the same directions, so the same solves, on every run)."""

COLUMNS = ("variable", "value", "min", "max", "moves")


@dataclass(frozen=True)
class Alternatives:
    """The alternative optima of a plan (see the module's docstring).

    ``unique``: no decision variable can move over the plans keeping every level optimal
    (``None``: not decided, see ``note``); ``rows``: per decision variable ``(label, value, min,
    max, moves)`` (``min``/``max`` ``None`` when not computed; ``-inf``/``inf`` when unbounded);
    ``kind``: ``"lp"`` or ``"mip"``; ``second_integer_plan`` (MIP): whether another integer
    assignment keeps every level optimal (``None``: not decided or an LP); ``time``: seconds spent
    (the re-solve of the last level, the locks and every range LP/MIP); ``solves``: how many
    LPs/MIPs ran (the re-solve included); ``skipped``: how many of the ``2 n`` range solves
    (``n`` decision variables) the screen saved; ``fixed``: how many variables the optimal face
    fixed; ``note``: what was not proven, or ``None``.
    """

    unique: bool | None
    rows: tuple = ()
    kind: str = "lp"
    second_integer_plan: bool | None = None
    time: float = 0.0
    solves: int = 0
    skipped: int = 0
    fixed: int = 0
    note: str | None = None

    @property
    def variables(self):
        """A pandas DataFrame, one row per decision variable: ``variable`` (label), ``value`` (the
        plan's), ``min``, ``max`` (over the plans keeping every level optimal; NaN when not
        computed), ``moves`` (bool)."""
        import pandas as pd

        df = pd.DataFrame(list(self.rows), columns=list(COLUMNS))
        for c in ("value", "min", "max"):
            df[c] = df[c].astype("float64")
        df["moves"] = df["moves"].astype(bool)
        return df

    @property
    def moving(self) -> tuple:
        """The rows of the variables that can move."""
        return tuple(r for r in self.rows if r[4])

    def to_dict(self) -> dict:
        """JSON-ready (infinities stay floats here; :meth:`Result.to_dict` makes them ``null``)."""
        return {"unique": self.unique, "kind": self.kind, "second_integer_plan": self.second_integer_plan,
                "variables": [dict(zip(COLUMNS, r)) for r in self.rows],
                "time": self.time, "solves": self.solves, "skipped": self.skipped, "fixed": self.fixed,
                "note": self.note}


def _no_good(ranger: _Ranger, x: np.ndarray, ints: np.ndarray) -> tuple[bool | None, np.ndarray | None]:
    """Whether a second integer assignment of the binary columns ``ints`` keeps every level optimal
    (one MIP with the no-good cut of ``x``), and that plan; ``None`` when the MIP was not decided."""
    one = np.round(x[ints]) >= 0.5
    coefs = np.where(one, -1.0, 1.0)
    row = ExtraRow("no_good", SparseVector.make(ints.astype(np.int64), coefs), 1.0 - float(one.sum()), float("inf"))
    ranger.add_row(row)
    status, y = ranger.extreme(int(ints[0]), "min")  # any objective: feasibility is the question
    if status is Status.INFEASIBLE:
        return False, None
    if status is Status.OPTIMAL and y is not None:
        return True, y
    return None, None


def alternative_optima(result, backend: Backend, options: SolveOptions, *, screen: bool = True,
                       mip_limit: int = MIP_RANGE_LIMIT, random_from: int = RANDOM_FROM,
                       solve_limit: int = SOLVE_LIMIT) -> Alternatives | None:
    """The :class:`Alternatives` of an optimal ``result`` (a :class:`~goalprog.solve.results.Result`
    with stage records: every method), solving on ``backend`` with ``options`` (those of the solve).

    ``screen``: skip the solves the optimal face and the plans already seen decide (the same
    numbers either way; ``False`` solves both ends of every variable).  ``random_from``: the number
    of variables with an end left unknown from which the random-direction screen runs (see
    :func:`_random_screen`).  ``solve_limit``: at most this many solves in all; the ends left then
    show the plans seen (an inner bound) and the note says how many.  ``mip_limit``: the largest
    number of decision variables a MIP's ranges are computed for.  Returns ``None`` when the result
    is not optimal or has no stage records.  Raises :class:`~goalprog.core.errors.GoalProgError`
    (a subclass) when a backend refuses a re-solve."""
    if result.x is None or result.status is not Status.OPTIMAL or not result.stage_records \
            or not result.stage_records[-1].solved:
        return None
    t0 = time.perf_counter()
    model = result.model
    options = _options(options)
    dec = np.flatnonzero(np.asarray(model.col_role) == ROLE_DECISION)
    x0 = np.asarray(result.x, dtype=np.float64)
    try:
        ranger = _Ranger(result, backend, options)
    except _NotOptimal as exc:
        return Alternatives(None, _rows(model, dec, x0, None, None, None), "mip" if model.is_mip else "lp",
                            time=time.perf_counter() - t0, solves=1, note=f"not computed: {exc}")
    try:
        return _ranges(result, ranger, dec, x0, screen, mip_limit, t0, random_from, solve_limit)
    finally:
        ranger.close()


def _rows(model, dec, x0, lo, hi, moves):
    origins = model.col_origin
    out = []
    for n, j in enumerate(dec.tolist()):
        a = None if lo is None else float(lo[n])
        b = None if hi is None else float(hi[n])
        out.append((origins[j].label, float(x0[j]), a, b, bool(moves[n]) if moves is not None else False))
    return tuple(out)


def _ranges(result, ranger: _Ranger, dec, x0, screen: bool, mip_limit: int, t0: float,
            random_from: int, solve_limit: int) -> Alternatives:
    model = result.model
    mip = bool(model.is_mip)
    kind = "mip" if mip else "lp"
    lo, hi = ranger.lo[dec], ranger.hi[dec]
    tol = REL_TOL * np.maximum(1.0, np.abs(x0[dec]))
    if mip:  # each end is a MIP whose levels are held to the MIP solver's tolerance (its lock slack), so a
        # move within that tolerance is the lock's, not a second plan (docs/methods.md "Alternative optima")
        from .strategies.preemptive import MIP_FEASIBILITY_TOLERANCE

        tol = np.maximum(tol, 10 * MIP_FEASIBILITY_TOLERANCE * np.maximum(1.0, np.abs(x0[dec])))
    seen_lo = np.minimum(x0[dec], ranger.first[dec])
    seen_hi = np.maximum(x0[dec], ranger.first[dec])
    fixed = lo >= hi
    ints = np.flatnonzero(np.asarray(model.col_integer, dtype=bool)[dec]) if mip else np.zeros(0, dtype=np.int64)
    note = None
    second = None
    if mip and len(dec) - int(fixed.sum()) > mip_limit:
        binary = len(ints) and bool(np.all((model.col_lower[dec[ints]] >= 0) & (model.col_upper[dec[ints]] <= 1)))
        if not len(ints):
            unique, note = None, "not decided: the model has no integer variable left to cut on"
        elif not binary:
            unique = None
            note = (f"not decided: {len(dec)} variables are more than the {mip_limit} a MIP's ranges are "
                    "computed for, and a no-good cut needs every integer variable binary")
        else:
            found, _ = _no_good(ranger, x0, dec[ints])
            second = found
            unique = None if found is None else not found
            note = ("no-good cut re-solve only (more than " f"{mip_limit} variables to range): "
                    + ("no second assignment of the binary variables keeps every level optimal; continuous "
                       "variables were not ranged" if found is False else
                       "a second assignment of the binary variables keeps every level optimal" if found else
                       "the no-good re-solve was not decided (a limit)"))
        return Alternatives(unique, _rows(model, dec, x0, None, None, None), kind, second,
                            time.perf_counter() - t0, ranger.solves, 0, int(fixed.sum()), note)
    mins = np.full(len(dec), np.nan)
    maxs = np.full(len(dec), np.nan)
    undecided = []

    def seen(y):
        if y is None:
            return
        nonlocal seen_lo, seen_hi
        v = y[dec]
        seen_lo = np.minimum(seen_lo, v)
        seen_hi = np.maximum(seen_hi, v)

    single = 0  # range solves of one variable's end
    limited = 0  # ends left unsolved at the solve limit
    if screen:
        mins[fixed], maxs[fixed] = lo[fixed], lo[fixed]
        _at_bounds(mins, maxs, lo, hi, seen_lo, seen_hi, tol)
        # a group of variables at their lower bound, all proven unable to rise by one solve (and at
        # their upper bound, unable to fall): see _group_screen
        for end in (1, 0):
            out = _group_screen(ranger, dec, lo, hi, mins, maxs, end)
            for y in out:
                seen(y)
            _at_bounds(mins, maxs, lo, hi, seen_lo, seen_hi, tol)
        todo = np.flatnonzero(np.isnan(mins) | np.isnan(maxs))
        if len(todo) >= random_from:
            for y in _random_screen(ranger, dec, todo, x0, mins, maxs, tol):
                seen(y)
            _at_bounds(mins, maxs, lo, hi, seen_lo, seen_hi, tol)
    for n, j in enumerate(dec.tolist()):
        for end, sense in ((0, "min"), (1, "max")):
            arr = mins if end == 0 else maxs
            if screen and not np.isnan(arr[n]):
                continue
            if screen:
                bound = lo[n] if end == 0 else hi[n]
                if math.isfinite(bound) and abs((seen_lo if end == 0 else seen_hi)[n] - bound) <= tol[n]:
                    arr[n] = bound
                    continue
            if ranger.solves >= solve_limit:
                limited += 1
                arr[n] = seen_lo[n] if end == 0 else seen_hi[n]
                continue
            status, y = ranger.extreme(j, sense)
            single += 1
            if status is Status.OPTIMAL and y is not None:
                val = float(y[j])
                seen(y)
            elif status is Status.UNBOUNDED:
                val = -math.inf if end == 0 else math.inf
            else:
                undecided.append(f"{model.col_origin[j].label} ({sense}: {status.value})")
                val = float(seen_lo[n] if end == 0 else seen_hi[n])
            arr[n] = val
    # the plan reported is one of S (the solve proved it optimal), whatever the re-solves' round-off
    np.fmin(mins, x0[dec], out=mins)
    np.fmax(maxs, x0[dec], out=maxs)
    # the ends as reported: within tol of the plan's value or of a bound, that value
    for arr, bounds in ((mins, lo), (maxs, hi)):
        near_x = np.isfinite(arr) & (np.abs(arr - x0[dec]) <= tol)
        arr[near_x] = x0[dec][near_x]
        near_b = np.isfinite(arr) & np.isfinite(bounds) & (np.abs(arr - bounds) <= tol) & ~near_x
        arr[near_b] = bounds[near_b]
    skipped = 2 * len(dec) - single - limited
    moves = (maxs - mins) > tol
    unique = not bool(moves.any())
    if mip and len(ints):
        second = bool(np.any((maxs[ints] - mins[ints]) >= 0.5))
    if undecided:
        note = "some ends were not proven (the range shown is the plans seen): " + ", ".join(undecided[:5]) + \
               (f" and {len(undecided) - 5} more" if len(undecided) > 5 else "")
        if unique:
            unique = None
    if limited:
        note = (note + "; " if note else "") + (
            f"{limited:,} ends were not solved: the limit of {solve_limit:,} solves was reached (the range shown "
            "for them is the plans seen, an inner bound)")
        if unique:
            unique = None
    elif mip and not undecided:
        note = "ranges over the integer plans, each end one MIP proven to the solver's tolerances"
    return Alternatives(unique, _rows(model, dec, x0, mins, maxs, moves), kind, second, time.perf_counter() - t0,
                        ranger.solves, skipped, int(fixed.sum()), note)


def _at_bounds(mins, maxs, lo, hi, seen_lo, seen_hi, tol) -> None:
    """Fill the ends the plans seen already show at a bound (in place; only where unknown)."""
    for arr, bound, seen_ in ((mins, lo, seen_lo), (maxs, hi, seen_hi)):
        hit = np.isnan(arr) & np.isfinite(bound) & (np.abs(seen_ - bound) <= tol)
        arr[hit] = bound[hit]


def _group_screen(ranger: _Ranger, dec, lo, hi, mins, maxs, end: int) -> list:
    """Prove, a group at a time, that variables at one bound in every plan cannot leave it.

    ``end`` 1: the variables whose minimum is their lower bound ``l_j`` and whose maximum is unknown;
    one solve of ``max sum_j w_j (x_j - l_j)`` over ``S`` (``w_j = 1 / max(1, |l_j|)``, every term
    ``>= 0`` on ``S``): a maximum ``s <= REL_TOL`` proves ``x_j - l_j <= REL_TOL * max(1, |l_j|)``
    for every ``j`` of the group and every plan, so each maximum is ``l_j``.  Otherwise the
    solution moved some variables (their maximum is left to a solve of its own) and the rest is
    tried again; when no single term exceeds the tolerance (round-off summed over many terms) the
    group is halved.  ``end`` 0: the same at upper bounds, ``max sum_j w_j (u_j - x_j)``.  Sets the
    proven ends in ``mins``/``maxs`` (in place) and returns the plans the solves found."""
    known, unknown, bound = (mins, maxs, lo) if end == 1 else (maxs, mins, hi)
    group = np.flatnonzero(~np.isnan(known) & np.isnan(unknown) & np.isfinite(bound) & (known == bound))
    plans = []
    stack = [group] if len(group) > 1 else []
    sign = 1.0 if end == 1 else -1.0
    while stack:
        g = stack.pop()
        w = 1.0 / np.maximum(1.0, np.abs(bound[g]))
        obj = Objective("max" if end == 1 else "min", SparseVector.make(dec[g].astype(np.int64), w))
        status, y = ranger.solve_objective(obj)
        if status is not Status.OPTIMAL or y is None:
            if len(g) > 3:
                stack.extend((g[: len(g) // 2], g[len(g) // 2:]))
            continue
        plans.append(y)
        terms = sign * w * (y[dec[g]] - bound[g])
        if float(terms.sum()) <= REL_TOL:
            unknown[g] = bound[g]
            continue
        rest = g[terms <= REL_TOL]
        if len(rest) < len(g):
            if len(rest) > 1:
                stack.append(rest)
        elif len(g) > 3:
            stack.extend((g[: len(g) // 2], g[len(g) // 2:]))
    return plans


def _random_screen(ranger: _Ranger, dec, todo, x0, mins, maxs, tol) -> list:
    """Variables that cannot move, a group at a time (at most :data:`GROUP` variables; at first all
    of ``todo``): ``min r.x`` and ``max r.x`` over ``S`` for a random direction ``r`` on the group
    (``r_j = g_j / max(1, |x*_j|)``, ``g`` standard normal, seeded by :data:`SEED`).  When both
    solutions equal the plan on every variable of the group (to ``tol``), the group is taken as
    fixed (both ends the plan's value): if some variable could move by ``delta``, the set of plans
    ``S`` would reach along ``r`` by ``|r . d| > 0`` for a direction ``d`` of ``S`` with
    probability 1 over ``r`` (``S`` is fixed before ``r`` is drawn), and an optimal vertex of that
    LP would differ from the plan.  This is a proof with probability 1, not a certificate: a move
    whose gain ``r . d`` the solver's optimality tolerance hides can go unseen.  A variable that
    differs in either solution moves (proven): it is left to the solves of its own ends, and the
    rest of the group is tried again with a new direction (so a few moving variables cost a few
    more pairs, not the group).  A pair that ends other than optimal splits its group in halves.
    Sets the fixed ones in ``mins``/``maxs`` (in place) and returns the plans found."""
    rng = np.random.default_rng(SEED)
    plans = []
    stack = [todo[a:a + GROUP] for a in range(0, len(todo), GROUP)][::-1]
    while stack:
        g = stack.pop()
        while len(g):
            r = rng.standard_normal(len(g)) / np.maximum(1.0, np.abs(x0[dec[g]]))
            vec = SparseVector.make(dec[g].astype(np.int64), r)
            moved = np.zeros(len(g), dtype=bool)
            ok = True
            for sense in ("min", "max"):
                status, y = ranger.solve_objective(Objective(sense, vec))
                if status is not Status.OPTIMAL or y is None:
                    ok = False
                    continue
                plans.append(y)
                moved |= np.abs(y[dec[g]] - x0[dec[g]]) > tol[g]
            if not ok:
                g = g[~moved]
                if len(g) >= 2 * MIN_GROUP:
                    stack.extend((g[len(g) // 2:], g[: len(g) // 2]))
                break
            if not moved.any():
                mins[g], maxs[g] = x0[dec[g]], x0[dec[g]]
                break
            g = g[~moved]
    return plans


def with_alternatives(result, backend: Backend, options: SolveOptions, *, screen: bool = True):
    """``result`` with its ``alternatives`` set (:func:`alternative_optima`); a result that is not
    optimal gets a warning instead.  A backend error in a re-solve becomes a warning too: the plan
    stands."""
    if result.x is None or result.status is not Status.OPTIMAL:
        return replace(result, warnings=result.warnings + (
            f"alternative optima not computed: the result is {result.status.value}, not optimal",))
    try:
        alt = alternative_optima(result, backend, options, screen=screen)
    except GoalProgError as exc:
        return replace(result, warnings=result.warnings + (f"alternative optima not computed: {exc}",))
    if alt is None:
        why = (f"not available for the meta-goal method {result.method} (weighted, Chebyshev, extended and "
               "preemptive GP only)") if result.meta is not None else "not computed: the result keeps no stage records"
        return replace(result, warnings=result.warnings + (f"alternative optima {why}",))
    return replace(result, alternatives=alt)
