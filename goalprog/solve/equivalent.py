"""Equivalent weights: weights under which weighted GP reproduces a preemptive plan.

A preemptive chain minimises its levels' achievement functions ``A_1, ..., A_L`` one after another
(each ``A_l`` the weighted sum of the level's unwanted deviations, with the file's weights and
normalisation, plus its plain objectives).  For a linear programme there are finite **level
multipliers** ``mu_1, ..., mu_L > 0`` such that the preemptive plan ``x*`` minimises
``sum_l mu_l A_l(x)`` (Sherali & Soyster, "Preemptive and nonpreemptive multi-objective
programming: relationship and counterexamples", *JOTA* 39 (1983) 173-186; Romero, *Handbook of
Critical Issues in Goal Programming*, 1991): multiplying the weights of level ``l`` by
``mu_l`` gives a weighted goal programme with the same plan.  The **equivalent weight** of a goal
at level ``l`` is ``mu_l`` times its weight.

**Method (exact, one LP).**  ``x*`` minimises ``d(mu)' x`` with ``d(mu) = sum_l mu_l c_l`` (``c_l``
the level's achievement function as minimised) over the hard constraints and goal rows exactly
when the LP's optimality conditions hold at ``x*``: ``d(mu) = A' y + z`` with multipliers ``y``
on the rows and ``z`` on the bounds that ``x*`` makes tight, of the sign their side gives, and 0
on the others (complementary slackness).  These conditions are linear in ``(mu, y, z)``.  A
multiplier on the boundary of that set ties the preemptive plan with another plan (at a
profit/waste weight ratio of exactly 0.7 in the clothing factory both plans are optimal), so the
LP asks for a margin: ``x*`` must stay optimal when any one multiplier ``mu_l`` (``l < L``) is
changed by ``±`` :data:`MARGIN` (10 %) of itself, each of those ``2 (L - 1)`` neighbours with its
own ``(y, z)``.  The neighbours surround ``mu``, so ``mu`` is inside the set, where every weighted
optimum has the preemptive level values (a plan with another value of some level would lose to
``x*`` at one of the neighbours).  The multipliers are ordered, ``mu_l >= (1 + MARGIN) mu_{l+1}``,
``mu_L = 1``, and the LP minimises ``sum_l mu_l``: the smallest multipliers with the margin.

**Check.**  The weights are reported only after weighted GP solved with them (on the chain's
backend and solver) reaches every level's preemptive value to ``1e-9`` relative
(``|a - b| <= 1e-9 max(1, |a|, |b|)``); else, with a margin of 100 % once more, and then no weights.

**Trade-off rates.**  With two levels the set of multipliers is ``mu_1 / mu_2 >= rate_1``, the
level's trade-off rate (:mod:`goalprog.solve.tradeoff`: how much level 2 gains per unit level 1
gives up, the steepest slope of the convex trade-off curve, at its start): the clothing factory's
rate is 0.7 yards of waste per dollar of profit, so any profit/waste ratio above 0.7 reproduces
the profit-first plan.  :attr:`EquivalentWeights.least` gives the smallest multipliers without a
margin (the boundary: ties), which for two levels is that rate.  With more levels the multipliers
also weigh the deeper levels' rates against each other, and the LP settles them all at once.

**MIP.**  The optimality conditions at one plan do not decide it (the multipliers of the LP
relaxation need not reproduce a MIP's plan), but finite weights exist for a MILP with rational
data too: its convex hull is a polyhedron (Meyer, *Mathematical Programming* 7 (1974) 223-235) and
the argument above applies over it.  A cutting-plane loop finds them (:func:`_mip_weights`): the
LP's conditions with the integers fixed at the plan, and a cut for every better plan that a
weighted MIP solve at the multipliers or a neighbour finds; the multipliers are proven when none
does.

**Not given** (``weights`` ``None`` with a ``reason``): a chain that is not optimal; a level with
a min-max (Chebyshev or extended) achievement function, which no weighted sum expresses; the
slack option (the plan is not the exact lexicographic optimum); a failed check, or a MIP whose
loop did not end in :data:`MIP_ROUNDS` rounds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from ..core.status import Status, combine

__all__ = ["MARGIN", "EquivalentWeights", "equivalent_weights", "level_vectors", "multipliers", "weighted_model"]

MARGIN = 0.1
"""Each level multiplier may change by this fraction of itself and the plan stays optimal (and
consecutive multipliers differ by at least this factor)."""

SAME = 1e-9
"""Relative tolerance of the check: every level's value under the weights against the chain's."""


@dataclass(frozen=True)
class EquivalentWeights:
    """Weights under which weighted GP reproduces a preemptive plan, or why there are none.

    ``weights``: goal label -> its weight (a number; ``{"under": w, "over": w}`` for a goal whose
    two sides weigh differently), plain objectives by label too; ``None`` when not given.
    ``multipliers``: level -> ``mu_l`` (each level's weights times it); ``least``: level -> the
    smallest multipliers without a margin (ties at the boundary; ``{}`` when not computed);
    ``margin``: the margin used; ``reason``: why there are no weights (else ``None``);
    ``checked``: the weighted re-solve reproduced every level (to 1e-9 relative)."""

    weights: dict | None
    multipliers: dict = field(default_factory=dict)
    least: dict = field(default_factory=dict)
    margin: float | None = None
    reason: str | None = None
    checked: bool = False

    def to_dict(self) -> dict:
        """``{"weights", "multipliers", "least", "margin", "reason", "checked"}`` (levels as text keys)."""
        return {"weights": self.weights, "multipliers": {str(k): v for k, v in self.multipliers.items()},
                "least": {str(k): v for k, v in self.least.items()}, "margin": self.margin, "reason": self.reason,
                "checked": self.checked}


def level_vectors(model, levels) -> np.ndarray:
    """Shape ``(L, n)``: each level's achievement function as minimised (a level of maximised
    objectives negated), dense over the model's ``n`` columns."""
    from .achievement import achievement

    out = np.zeros((len(levels), model.n_cols))
    for k, level in enumerate(levels):
        obj = achievement(model, level)
        sign = -1.0 if obj.sense == "max" else 1.0
        np.add.at(out[k], obj.vector.indices, sign * obj.vector.coefs)
    return out


def _active(model, x, tol: float = 1e-7):
    """Which row sides and column bounds ``x`` makes tight: (rows at lower, rows at upper, cols at
    lower, cols at upper) as boolean arrays, to ``tol * max(1, |bound|, sum_j |a_ij x_j|)``."""
    act = model.row_activity(x)
    absx = np.abs(x)
    rows = np.repeat(np.arange(model.n_rows), np.diff(model.indptr))
    scale = np.bincount(rows, weights=np.abs(model.data) * absx[model.indices], minlength=model.n_rows)
    lo, hi = np.asarray(model.row_lower), np.asarray(model.row_upper)
    with np.errstate(invalid="ignore"):
        r_lo = np.isfinite(lo) & (np.abs(act - lo) <= tol * np.maximum(np.maximum(1.0, np.abs(lo)), scale))
        r_hi = np.isfinite(hi) & (np.abs(act - hi) <= tol * np.maximum(np.maximum(1.0, np.abs(hi)), scale))
        clo, chi = np.asarray(model.col_lower), np.asarray(model.col_upper)
        c_lo = np.isfinite(clo) & (np.abs(x - clo) <= tol * np.maximum(1.0, np.abs(clo)))
        c_hi = np.isfinite(chi) & (np.abs(x - chi) <= tol * np.maximum(1.0, np.abs(chi)))
    return r_lo, r_hi, c_lo, c_hi


def multipliers(model, x, C: np.ndarray, margin: float, *, neighbours: bool = True,
                order: bool = True, cuts=()) -> np.ndarray | None:
    """The smallest level multipliers ``mu`` (shape (L,), ``mu_L = 1``) under which ``x`` minimises
    ``sum_l mu_l C[l] . x`` over the model's rows and bounds (see the module's docstring), or
    ``None`` when the LP finds none.  ``neighbours``: ``x`` stays optimal with each ``mu_l``
    (``l < L``) changed by ``± margin mu_l``; ``order``: ``mu_l >= (1 + margin) mu_{l+1}``;
    ``cuts`` (each of shape (L,), ``g = C (x' - x)`` for a plan ``x'``): every neighbour (or ``mu``)
    keeps ``x`` no worse than ``x'``, ``sum_l m_l g_l >= 0``.  Solved with HiGHS (highspy)."""
    import highspy

    from .backends.base import new_highs
    from .backends.highs_backend import highs_lp

    L, n = C.shape
    r_lo, r_hi, c_lo, c_hi = _active(model, np.asarray(x, dtype=np.float64))
    R = np.flatnonzero(r_lo | r_hi)
    K = np.flatnonzero(c_lo | c_hi)
    copies = [(l, s) for l in range(L - 1) for s in (1.0, -1.0)] if neighbours and L > 1 else [(None, 0.0)]
    block = len(R) + len(K)
    nv = L + len(copies) * block
    # A' restricted to the active rows: column j of the equations gets -A_ij y_i
    rows_of = np.repeat(np.arange(model.n_rows), np.diff(model.indptr))
    sel = np.isin(rows_of, R)
    pos = np.full(model.n_rows, -1)
    pos[R] = np.arange(len(R))
    a_eq, a_var, a_val = model.indices[sel], pos[rows_of[sel]], -model.data[sel]
    kpos = np.arange(len(K))
    eq_rows, eq_cols, eq_vals = [], [], []
    for p, (l, s) in enumerate(copies):
        base = p * n
        for k in range(L):
            f = 1.0 + (s * margin if k == l else 0.0)
            nz = np.flatnonzero(C[k])
            eq_rows.append(base + nz)
            eq_cols.append(np.full(len(nz), k))
            eq_vals.append(f * C[k][nz])
        off = L + p * block
        eq_rows.append(base + a_eq)
        eq_cols.append(off + a_var)
        eq_vals.append(a_val)
        eq_rows.append(base + K)
        eq_cols.append(off + len(R) + kpos)
        eq_vals.append(-np.ones(len(K)))
    m_eq = len(copies) * n
    ordr, ordc, ordv = [], [], []
    if order:
        for k in range(L - 1):
            ordr += [m_eq + k, m_eq + k]
            ordc += [k, k + 1]
            ordv += [1.0, -(1.0 + margin)]
    m = m_eq + (L - 1 if order else 0)
    for g in cuts:  # sum_l m^p_l g_l >= 0 for each copy p
        for l, sgn in copies:
            f = np.array([1.0 + (sgn * margin if k == l else 0.0) for k in range(L)])
            ordr += [m] * L
            ordc += list(range(L))
            ordv += list(f * np.asarray(g, dtype=np.float64))
            m += 1
    r = np.concatenate(eq_rows + [np.array(ordr, dtype=np.int64)]).astype(np.int64)
    c = np.concatenate(eq_cols + [np.array(ordc, dtype=np.int64)]).astype(np.int64)
    v = np.concatenate(eq_vals + [np.array(ordv)])
    keep = v != 0.0
    r, c, v = r[keep], c[keep], v[keep]
    srt = np.lexsort((c, r))
    r, c, v = r[srt], c[srt], v[srt]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(r, minlength=m))])
    row_lo = np.concatenate([np.zeros(m_eq), np.zeros(m - m_eq)])
    row_hi = np.concatenate([np.zeros(m_eq), np.full(m - m_eq, np.inf)])
    # bounds: mu >= 0, mu_L = 1; y, z by the side that is tight (free when both are)
    ylo = np.where(r_lo[R] & r_hi[R], -np.inf, np.where(r_lo[R], 0.0, -np.inf))
    yhi = np.where(r_lo[R] & r_hi[R], np.inf, np.where(r_lo[R], np.inf, 0.0))
    zlo = np.where(c_lo[K] & c_hi[K], -np.inf, np.where(c_lo[K], 0.0, -np.inf))
    zhi = np.where(c_lo[K] & c_hi[K], np.inf, np.where(c_lo[K], np.inf, 0.0))
    col_lo = np.concatenate([np.zeros(L)] + [np.concatenate([ylo, zlo])] * len(copies))
    col_hi = np.concatenate([np.full(L, np.inf)] + [np.concatenate([yhi, zhi])] * len(copies))
    col_lo[L - 1] = col_hi[L - 1] = 1.0
    cost = np.zeros(nv)
    cost[:L] = 1.0
    lp = highs_lp(col_lo, col_hi, np.zeros(nv, dtype=bool), indptr, c, v, row_lo, row_hi, cost)
    h = new_highs(False)
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    h.setOptionValue("dual_feasibility_tolerance", 1e-9)
    h.passModel(lp)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return None
    mu = np.array(h.getSolution().col_value[:L], dtype=np.float64)
    ok = np.all(np.isfinite(mu)) and (np.all(mu >= 0) if margin == 0.0 else np.all(mu > 0))
    return mu if ok else None


def weighted_model(model, levels, mu):
    """``model`` with the weights of level ``levels[k]`` (goal sides and plain objectives) times ``mu[k]``."""
    g = model.goals
    factor = {(0 if lv is None else lv): float(m) for lv, m in zip(levels, mu)}
    fu = np.array([factor.get(int(p), 1.0) for p in g.under_priority]) if len(g) else np.zeros(0)
    fo = np.array([factor.get(int(p), 1.0) for p in g.over_priority]) if len(g) else np.zeros(0)
    goals = g.with_weights(np.asarray(g.under_weight) * fu, np.asarray(g.over_weight) * fo)
    objectives = tuple(replace(o, weight=o.weight * factor.get(0 if o.priority is None else o.priority, 1.0))
                       for o in model.objectives)
    return replace(model, goals=goals, objectives=objectives)


def _weights_by_label(model) -> dict:
    g = model.goals
    out: dict = {}
    for i, origin in enumerate(g.origins):
        u = float(g.under_weight[i]) if g.under_col[i] >= 0 else None
        o = float(g.over_weight[i]) if g.over_col[i] >= 0 else None
        if u is None and o is None:
            continue
        out[origin.label] = u if o is None else o if u is None or u == o else {"under": u, "over": o}
    for ob in model.objectives:
        out[ob.origin.label] = float(ob.weight)
    return out


def true_deviations(model, x) -> np.ndarray:
    """``x`` with each goal's deviation columns set to its true deviations (``max(0, target -
    value)`` under, ``max(0, value - target)`` over): a later level may leave an earlier level's
    deviation a lock's tolerance above its value, a slack no weighted optimum keeps.  ``x`` itself
    when the model has piecewise penalties or the result breaks a row by more than 1e-9."""
    from ..model.scaling import unwanted

    if model.penalties or not len(model.goals):
        return x
    g = model.goals
    under, over = unwanted(model, x)
    y = np.array(x, dtype=np.float64)
    u, o = g.under_col >= 0, g.over_col >= 0
    y[g.under_col[u]] = under[u]
    y[g.over_col[o]] = over[o]
    act = model.row_activity(y)
    tol = 1e-9 * np.maximum(1.0, np.abs(act))
    with np.errstate(invalid="ignore"):
        ok = np.all(act >= np.asarray(model.row_lower) - tol) and np.all(act <= np.asarray(model.row_upper) + tol)
    return y if ok else x


def _exact_plan(result, backend, options) -> np.ndarray:
    """``result.x``; for an LP chain that held a level by a ``row`` lock (``h <= h* + g``, ``g`` the
    solvers' feasibility tolerance: later levels may spend ``g``, leaving the plan off the
    lexicographic optimum by that much), the last level re-solved with every earlier level held at
    ``h*`` exactly (:func:`goalprog.solve.sensitivity.compute.stage_models`), when that finds an
    optimum."""
    x = np.asarray(result.x, dtype=np.float64)
    if result.model.is_mip or not any(r.lock_style == "row" and (r.guard or 0.0) > 0.0 for r in result.stage_records):
        return x
    from .sensitivity.compute import stage_models

    sm = stage_models(result)[-1]
    session = backend.session(sm.model, options)
    try:
        for row in sm.extra_rows:
            session.add_row(row)
        session.set_objective(sm.objective)
        rec = session.solve()
    finally:
        session.close()
    if rec.x is None or combine(rec.termination, rec.solution) is not Status.OPTIMAL:
        return x
    return np.asarray(rec.x, dtype=np.float64)


def _level_values(model, levels, x) -> list[float]:
    from .achievement import level_value

    return [level_value(model, lv, x) for lv in levels]


def _agree(a, b, tol: float = SAME) -> bool:
    return all(abs(p - q) <= tol * max(1.0, abs(p), abs(q)) for p, q in zip(a, b))


def equivalent_weights(result, backend, options) -> EquivalentWeights:
    """Equivalent weights of a preemptive :class:`~goalprog.solve.results.Result` (see the module's
    docstring), checked by a weighted solve on ``backend`` (a backend or its name) with
    ``options`` (:class:`~goalprog.solve.backends.base.SolveOptions`).  Never raises for a model
    without them: ``weights`` is then ``None`` and ``reason`` says why."""
    from .backends.base import get_backend
    from .strategies.common import Settings
    from .strategies.weighted import one_stage

    def none(reason, **kw):
        return EquivalentWeights(None, reason=reason, **kw)

    if result.method != "preemptive":
        return none(f"equivalent weights are of a preemptive plan; this result is of the {result.method} method")
    if result.status is not Status.OPTIMAL or result.x is None:
        return none(f"the preemptive chain did not end optimal (status {result.status.value}): no plan to reproduce")
    model = result.model
    levels = model.priorities()
    if any(float(result.level_lams.get(lv, 1.0)) < 1.0 for lv in levels):
        return none("a level has a min-max (Chebyshev or extended) achievement function, which no weighted sum of "
                    "deviations expresses")
    if result.lock_abs_tol is not None or result.lock_rel_tol is not None:
        return none("the chain ran with the slack option (lock tolerances), so its plan is not the exact "
                    "lexicographic optimum that weights reproduce; solve without the lock tolerances")
    be = get_backend(backend) if isinstance(backend, str) else backend
    x = true_deviations(model, _exact_plan(result, be, options))
    C = level_vectors(model, levels)
    target = _level_values(model, levels, x)
    if model.is_mip:
        return _mip_weights(model, levels, x, C, target, be, options)
    least_mu = multipliers(model, x, C, 0.0, neighbours=False, order=False)
    least = {} if least_mu is None else dict(zip(levels, least_mu.tolist()))
    last = None
    for margin in (MARGIN, 1.0):
        mu = multipliers(model, x, C, margin)
        if mu is None:
            last = ("no level multipliers satisfy the optimality conditions at the preemptive plan (numerical "
                    "trouble: the plan may not be a vertex the conditions recognise)")
            continue
        wmodel = weighted_model(model, levels, mu)
        check = one_stage(wmodel, be, options, Settings(), "weighted", 1.0)
        if check.status is not Status.OPTIMAL or check.x is None:
            last = f"the weighted solve with the multipliers found did not end optimal ({check.status.value})"
            continue
        got = _level_values(model, levels, check.x)
        if not _agree(got, target):
            last = ("the weighted solve with the multipliers found gave other level values ("
                    + ", ".join(f"level {lv}: {a:.10g} against {b:.10g}" for lv, a, b in zip(levels, got, target))
                    + ")")
            continue
        return EquivalentWeights(_weights_by_label(wmodel), dict(zip(levels, mu.tolist())), least, margin, None, True)
    return none(last or "no weights found", least=least)


MIP_ROUNDS = 30
"""At most this many rounds of cuts for a MIP's multipliers (see :func:`_mip_weights`)."""


def _mip_weights(model, levels, x, C, target, backend, options) -> EquivalentWeights:
    """Equivalent weights of a MIP's preemptive plan ``x``, proven by weighted MIP solves.

    The set of multipliers under which ``x`` minimises the weighted sum over the MIP's plans is
    convex: the half-spaces ``d(mu) . (x' - x) >= 0``, one per plan ``x'``.  A cutting-plane loop
    finds a point inside it.  The first candidate is that of the LP with every integer column
    fixed at its value in ``x`` (a necessary condition: ``x`` is optimal among the plans with its
    integer values), with the margin and order of the LP case.  Weighted MIP solves (gap 0) at
    ``mu`` and its ``2 (L - 1)`` neighbours (each ``mu_l`` changed by ``± MARGIN``) then either find
    no plan better than ``x`` (to 1e-9 relative), so ``mu`` is inside the set and every weighted
    optimum has the preemptive level values (the solve at ``mu`` must reach them, 1e-9 relative),
    or a better plan ``x'``: its half-space is added to the LP as a cut (every neighbour keeps
    ``x`` no worse than ``x'``) and the LP is solved again, at most :data:`MIP_ROUNDS` times.  A
    rational MILP has finitely many half-spaces that matter (the vertices of its convex hull), so
    the loop ends; an LP that becomes infeasible proves that no multipliers with the margin and
    order exist."""
    from dataclasses import replace as _replace

    from .strategies.common import Settings
    from .strategies.weighted import one_stage

    L = len(levels)
    ints = np.asarray(model.col_integer, dtype=bool)
    xr = np.where(ints, np.round(x), x)
    fixed = _replace(model, col_lower=np.where(ints, xr, model.col_lower), col_upper=np.where(ints, xr, model.col_upper),
                     col_integer=np.zeros(model.n_cols, dtype=bool))
    cuts: list = []
    last = ""
    for _ in range(MIP_ROUNDS):
        mu = multipliers(fixed, xr, C, MARGIN, cuts=cuts)
        if mu is None:
            return EquivalentWeights(None, reason=(
                "the model has integer variables, and no level multipliers with a 10 % margin keep the plan optimal: "
                "the LP of the optimality conditions with the integers fixed at the plan"
                + (f" and {len(cuts)} cut(s) from better plans found by weighted MIP solves" if cuts else "")
                + " is infeasible"))
        points = [mu] + [mu * (1.0 + sgn * MARGIN * (np.arange(L) == l)) for l in range(L - 1) for sgn in (1.0, -1.0)]
        better = None
        for k, m in enumerate(points):
            check = one_stage(weighted_model(model, levels, m), backend, options, Settings(), "weighted", 1.0)
            if check.status is not Status.OPTIMAL or check.x is None:
                return EquivalentWeights(None, reason=("the model has integer variables, and a weighted MIP solve that "
                                                       "checks the multipliers did not end optimal "
                                                       f"({check.status.value})"))
            at_plan = float(np.dot(C.T @ m, xr))
            best = float(np.dot(C.T @ m, check.x))
            if best < at_plan - 1e-9 * max(1.0, abs(at_plan)):
                better = C @ (np.asarray(check.x) - xr)
                break
            if k == 0 and not _agree(_level_values(model, levels, check.x), target):
                last = "a weighted MIP solve tied the plan with one of other level values"
                better = C @ (np.asarray(check.x) - xr)
                break
        if better is None:
            return EquivalentWeights(_weights_by_label(weighted_model(model, levels, mu)), dict(zip(levels, mu.tolist())),
                                     {}, MARGIN, None, True)
        cuts.append(better)
    return EquivalentWeights(None, reason=(
        f"the model has integer variables, and {MIP_ROUNDS} rounds of cuts did not prove multipliers"
        + (f" ({last})" if last else "") + ". Finite weights exist for a MILP with rational data (Sherali & "
        "Soyster's argument over its convex hull); goalprog stopped looking"))
