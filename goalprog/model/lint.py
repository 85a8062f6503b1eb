"""Warnings about input that a model accepts but that does nothing, or something else than it seems.

No solver is needed; every check reads the compiled :class:`~goalprog.model.ir.LinearModel`:

* :func:`level_warnings`, per priority level (or for the one weighted sum):

  - **zero weights**: a goal (or objective) of weight 0 drops out of its level; a level with no
    positive weight at all is decided by nothing and reports achievement 0;
  - **weights standing in for priorities**: positive weights of one level a factor of
    :data:`WEIGHT_RANGE_WARN` apart or more trade the goals off at that rate (Romero, *Handbook of Critical
    Issues in Goal Programming*, 1991: large weights are no substitute for pre-emptive priorities);
  - **units mixed**: goals with different declared ``units:`` added in one weighted sum without
    normalisation;
  - **goal rows of very different sizes**: the sums of the absolute coefficients of the goal
    rows of one level (metres beside kilometres) a factor of :data:`ROW_RANGE_WARN` apart or more,
    without normalisation;

* :func:`decided_goals`: goals the variables' bounds (and hard constraints on a single variable)
  decide in advance, by interval arithmetic on the goal expression: ones that can never be missed
  and ones that can never be met.

Every warning names the goals by their labels (``meet_demand[A]``), the first
:data:`LIST_MAX` of a long list and how many more, and says how to fix it.
"""

from __future__ import annotations

import numpy as np

from .ir import ROLE_DECISION, LinearModel

LIST_MAX = 5
WEIGHT_RANGE_WARN = 1e3
ROW_RANGE_WARN = 1e3


def listing(labels: list[str], total: int | None = None) -> str:
    """``a, b and c``, or the first :data:`LIST_MAX` and ``and N more`` (``total``: the full count
    when ``labels`` holds only the first few)."""
    labels = list(dict.fromkeys(labels))
    total = max(len(labels), total or 0)
    shown = labels[:LIST_MAX]
    if total > len(shown):
        return ", ".join(shown) + f" and {total - len(shown):,} more"
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def level_name(level) -> str:
    """How a message names a level: ``priority level 2``, or ``the achievement function``."""
    return "the achievement function" if level in (None, "all") else f"priority level {level}"


def _level(model: LinearModel, level):
    """Masks of the goal instances whose under/over deviation is penalised at ``level`` (``"all"``:
    at any level), and the plain objectives there."""
    g = model.goals
    under, over = g.under_col >= 0, g.over_col >= 0
    if level == "all":
        return under, over, list(model.objectives)
    code = 0 if level is None else level
    return (under & (g.under_priority == code), over & (g.over_priority == code),
            [o for o in model.objectives if o.priority == level])


def _names_of_goals(model: LinearModel, mask: np.ndarray) -> list[str]:
    """The goal names (not labels) of the instances in ``mask``, in model order."""
    out, start = [], 0
    for name, _keys, count in model.goals.origins.blocks():
        if mask[start:start + count].any():
            out.append(name)
        start += count
    return out


def _labels(model: LinearModel, idx: np.ndarray, suffix=None) -> list[str]:
    """Labels of the goal instances ``idx`` (the first :data:`LIST_MAX` only)."""
    out = []
    for i in idx[:LIST_MAX]:
        label = model.goals.origins[int(i)].label
        out.append(label + (suffix(int(i)) if suffix else ""))
    return out


def level_warnings(model: LinearModel, levels, lams: dict | None = None) -> list[str]:
    """Warnings about the weighted sums of ``levels`` (priority levels, ``None`` for goals without
    one, or ``"all"`` for every goal in one sum as the weighted method solves them).  ``lams``:
    each level's lambda where it is not 1 (0: a Chebyshev level, between: extended), so that a
    warning says what fits its achievement function."""
    out: list[str] = []
    row_size = None
    for level in levels:
        under, over, objs = _level(model, level)
        if not under.any() and not over.any() and not objs:
            continue
        out += _zero_weights(model, level, under, over, objs)
        out += _weight_range(model, level, under, over, objs, (lams or {}).get(level, 1.0))
        out += _mixed_units(model, level, under, over, objs)
        if row_size is None:
            row_size = _row_size(model)
        out += _row_range(model, level, under, over, objs, row_size)
    return out


def _zero_weights(model, level, under, over, objs) -> list[str]:
    g = model.goals
    zu = under & (g.under_weight == 0)
    zo = over & (g.over_weight == 0)
    zero_objs = [o.origin.label for o in objs if o.weight == 0]
    # an objective of all-zero coefficients (minimize: 0*x) weighs nothing either, whatever its weight
    empty_objs = [o.origin.label for o in objs if o.weight != 0 and not np.any(np.asarray(o.expr.coefs) != 0)]
    idx = np.flatnonzero(zu | zo)
    if not len(idx) and not zero_objs and not empty_objs:
        return []
    positive = bool((under & (g.under_weight > 0)).any() or (over & (g.over_weight > 0)).any()
                    or any(o.weight > 0 and o.origin.label not in empty_objs for o in objs))

    def side(i):
        if zu[i] and not zo[i] and g.over_col[i] >= 0:
            return " (its under-deviation)"
        if zo[i] and not zu[i] and g.under_col[i] >= 0:
            return " (its over-deviation)"
        return ""

    labels = _labels(model, idx, side) + zero_objs
    names = listing(labels, len(idx) + len(zero_objs)) if labels else ""
    where = level_name(level)
    out = []
    if empty_objs and positive:
        many = len(empty_objs) > 1
        out.append(f"{listing(empty_objs)} in {where} {'have' if many else 'has'} no nonzero coefficient: "
                   f"{'they add' if many else 'it adds'} nothing to the level whatever the plan: check "
                   f"{'their expressions' if many else 'its expression'} (or leave {'them' if many else 'it'} out)")
    if not positive:
        labels = labels + [f"{o}, whose coefficients are all 0" for o in empty_objs]
        names = listing(labels, len(idx) + len(zero_objs) + len(empty_objs))
        if level in (None, "all"):
            effect = ("any plan that meets the hard constraints is optimal, and the achievement is 0 however "
                      "far the goals miss")
        else:
            effect = ("any plan the earlier levels allow is optimal for it, and it reports achievement 0 however "
                      "far its goals miss")
        return [f"{where} is decided by nothing: every goal and objective in it weighs 0 ({names}); {effect}: "
                "give its goals positive weights (or leave them out)"]
    if not labels:
        return out
    many = len(labels) > 1
    return out + [f"{names} {'weigh' if many else 'weighs'} 0 in {where}: a deviation of weight 0 costs nothing, "
                  f"so {'they drop' if many else 'it drops'} out of the solve and may miss by any amount: give "
                  f"{'them' if many else 'it'} a positive weight (an expression is reported without a goal, if that "
                  "is all it is for)"]


def _extremes(model, idx: np.ndarray, values: np.ndarray, objs, obj_values: list) -> tuple | None:
    """``((least, label), (greatest, label))`` among goal instances ``idx`` with ``values`` and the
    objectives ``objs`` with ``obj_values`` (positive values only); ``None`` with fewer than two."""
    keep = values > 0
    idx, values = idx[keep], values[keep]
    cands = []
    if len(idx):
        for k in (int(np.argmin(values)), int(np.argmax(values))):
            cands.append((float(values[k]), model.goals.origins[int(idx[k])].label))
    cands += [(float(v), o.origin.label) for o, v in zip(objs, obj_values) if v > 0]
    if len(idx) + sum(1 for v in obj_values if v > 0) < 2:
        return None
    return min(cands, key=lambda c: c[0]), max(cands, key=lambda c: c[0])


def _weight_range(model, level, under, over, objs, lam: float = 1.0) -> list[str]:
    g = model.goals
    iu, io = np.flatnonzero(under), np.flatnonzero(over)
    ext = _extremes(model, np.concatenate([iu, io]), np.concatenate([g.under_weight[iu], g.over_weight[io]]),
                    objs, [o.weight for o in objs])
    if ext is None or ext[1][0] < WEIGHT_RANGE_WARN * ext[0][0]:
        return []
    (lo, light), (hi, heavy) = ext
    head = (f"the weights in {level_name(level)} range from {lo:g} ({light}) to {hi:g} ({heavy}), a factor of "
            f"{hi / lo:,.0f}")
    advice = (f"if {heavy} is meant to come first, give it an earlier priority level (preemptive method) instead of "
              "a larger weight")
    if lam <= 0.0:  # Chebyshev: the largest weighted deviation
        return [f"{head}: a Chebyshev (min-max) achievement evens out the weighted deviations, so {heavy} is not kept "
                f"first: wherever {light} misses, {heavy} may miss too, by up to 1/{hi / lo:,.0f} as much; {advice}"]
    what = "a weighted sum" if lam >= 1.0 else f"an extended achievement (lambda {lam:g}: part weighted sum)"
    return [f"{head}: {what} still trades goals off, so the plan gives up on {heavy} wherever one more unit of it "
            f"would cost more than {hi / lo:,.0f} units of {light}; {advice}"]


def _unit_key(u: str) -> str:
    return " ".join(str(u).split()).lower()


def _mixed_units(model, level, under, over, objs) -> list[str]:
    if not model.units:
        return []
    g = model.goals
    plain = (under & (g.under_scale == 1.0) & ~g.zero_one) | (over & (g.over_scale == 1.0) & ~g.zero_one)
    names = _names_of_goals(model, plain) + [o.origin.name for o in objs]
    by_unit: dict = {}
    shown: dict = {}
    for name in dict.fromkeys(names):
        u = model.units.get(("goal", name)) or model.units.get(("goal_expr", name))
        if u:
            by_unit.setdefault(_unit_key(u), []).append(name)
            shown.setdefault(_unit_key(u), str(u))
    if len(by_unit) < 2:
        return []
    parts = [f"{listing(ns)} in {shown[k]}" for k, ns in by_unit.items()]
    units = [shown[k] for k in by_unit]
    return [f"{level_name(level)} adds goals in different units with no normalisation: {listing(parts)}; the "
            f"weighted sum then depends on the units chosen (with equal weights, 1 in {units[0]} counts as much as "
            f"1 in {units[1]}): normalise the goals (normalize: percent or zero_one in the solve: section, or a "
            "scale: per goal that converts it into the other goals' unit)"]


def _row_size(model: LinearModel) -> np.ndarray:
    """``sum |a_ij|`` over the decision columns of every row (what ``normalize: summation`` divides
    by; a row of many small coefficients, such as a total divided by its target, is not small)."""
    rows = np.repeat(np.arange(model.n_rows), np.diff(model.indptr))
    keep = model.col_role[model.indices] == ROLE_DECISION
    return np.bincount(rows[keep], weights=np.abs(model.data[keep]), minlength=model.n_rows)


def _row_range(model, level, under, over, objs, row_size) -> list[str]:
    g = model.goals
    idx = np.flatnonzero((under & (g.under_scale == 1.0) & ~g.zero_one) | (over & (g.over_scale == 1.0) & ~g.zero_one))
    ext = _extremes(model, idx, row_size[g.row[idx]], objs, [float(np.abs(o.expr.coefs).sum()) for o in objs])
    if ext is None or ext[1][0] < ROW_RANGE_WARN * ext[0][0]:
        return []
    lo, hi = ext
    return [f"the goals of {level_name(level)} have coefficients of very different sizes with no normalisation "
            f"(the sum of their absolute values): {lo[0]:g} in {lo[1]} and {hi[0]:g} in {hi[1]}, a factor of "
            f"{hi[0] / lo[0]:,.0f}; if they "
            f"measure alike things in different units (metres beside kilometres), a unit of {hi[1]} counts "
            f"{hi[0] / lo[0]:,.0f} times as much as one of {lo[1]}: write them in one unit, or normalise the "
            "goals (normalize: summation, percent or zero_one)"]


def _tightened_bounds(model: LinearModel) -> tuple[np.ndarray, np.ndarray]:
    """Column bounds, tightened by the hard constraints on a single column (``2 x <= 10``)."""
    lower = np.array(model.col_lower, dtype=np.float64)
    upper = np.array(model.col_upper, dtype=np.float64)
    n_hard = model.n_hard
    if not n_hard:
        return lower, upper
    counts = np.diff(model.indptr[:n_hard + 1])
    single = np.flatnonzero(counts == 1)
    if not len(single):
        return lower, upper
    pos = model.indptr[single]
    cols, a = model.indices[pos], model.data[pos]
    ok = a != 0
    single, cols, a = single[ok], cols[ok], a[ok]
    with np.errstate(all="ignore"):
        lo = np.where(a > 0, model.row_lower[single] / a, model.row_upper[single] / a)
        hi = np.where(a > 0, model.row_upper[single] / a, model.row_lower[single] / a)
    lo[np.isnan(lo)] = -np.inf
    hi[np.isnan(hi)] = np.inf
    np.maximum.at(lower, cols, lo)
    np.minimum.at(upper, cols, hi)
    ints = model.col_integer
    lower[ints] = np.ceil(lower[ints] - 1e-9)
    upper[ints] = np.floor(upper[ints] + 1e-9)
    if (lower > upper + 1e-9 * np.maximum(1.0, np.abs(upper))).any():
        return np.array(model.col_lower, dtype=np.float64), np.array(model.col_upper, dtype=np.float64)
    return lower, upper


def goal_ranges(model: LinearModel, bounds: tuple | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The least and greatest value every goal expression can take within the variables' bounds
    (tightened by hard constraints on a single variable; or ``bounds``, a pair of column lower and
    upper bound arrays): interval arithmetic, ``-inf``/``inf`` where a bound is open.  One entry
    per goal instance, constants included."""
    g = model.goals
    n = len(g)
    if not n:
        return np.zeros(0), np.zeros(0)
    lower, upper = _tightened_bounds(model) if bounds is None else bounds
    starts, ends = model.indptr[g.row], model.indptr[g.row + 1]
    counts = ends - starts
    goal_of = np.repeat(np.arange(n), counts)
    pos = np.repeat(starts - np.cumsum(np.concatenate([[0], counts[:-1]])), counts) + np.arange(counts.sum())
    cols, a = model.indices[pos], model.data[pos]
    keep = (model.col_role[cols] == ROLE_DECISION) & (a != 0)
    goal_of, cols, a = goal_of[keep], cols[keep], a[keep]
    with np.errstate(all="ignore"):
        least = np.where(a > 0, a * lower[cols], a * upper[cols])
        most = np.where(a > 0, a * upper[cols], a * lower[cols])
    emin = np.bincount(goal_of, weights=least, minlength=n) + g.const
    emax = np.bincount(goal_of, weights=most, minlength=n) + g.const
    emin[np.isnan(emin)] = -np.inf  # inf - inf: open both ways
    emax[np.isnan(emax)] = np.inf
    return emin, emax


def decided_goals(model: LinearModel) -> list[str]:
    """Goals whose outcome the bounds fix before any solve: ones that can never be missed (every
    penalised side within its target for every value the bounds allow) and ones that can never be
    met (a penalised side off target even at the best the bounds allow)."""
    g = model.goals
    if not len(g):
        return []
    emin, emax = goal_ranges(model)
    pu, po = g.under_col >= 0, g.over_col >= 0
    tol_lo = 1e-9 * np.maximum(1.0, np.abs(np.where(np.isfinite(g.lower), g.lower, 0.0)))
    tol_hi = 1e-9 * np.maximum(1.0, np.abs(np.where(np.isfinite(g.upper), g.upper, 0.0)))
    with np.errstate(invalid="ignore"):
        short = np.where(pu, g.lower - emax, -np.inf)      # > tol: can never reach the low target
        excess = np.where(po, emin - g.upper, -np.inf)     # > tol: can never come down to the high target
        safe_u = ~pu | (emin >= g.lower - tol_lo)
        safe_o = ~po | (emax <= g.upper + tol_hi)
    never_met = (short > tol_lo) | (excess > tol_hi)
    never_missed = safe_u & safe_o & ~never_met
    # an indexed goal does something while any instance can be missed (a floor that binds in some
    # scenarios only is usual); a goal is named when all its instances are decided
    start = 0
    for _name, _keys, count in g.origins.blocks():
        if not never_missed[start:start + count].all():
            never_missed[start:start + count] = False
        start += count
    out = []
    idx = np.flatnonzero(never_missed)
    if len(idx):
        many = len(idx) > 1
        out.append(f"{listing(_labels(model, idx), len(idx))} can never be missed: the variables' bounds keep "
                   f"{'their expressions' if many else 'its expression'} on target whatever the plan, so "
                   f"{'they add' if many else 'it adds'} nothing to {'their levels' if many else 'its level'}: "
                   "check the target and the bounds (or leave the goal out)")
    idx = np.flatnonzero(never_met)
    if len(idx):
        def best(i):
            if short[i] > tol_lo[i]:
                return f" (the best is {short[i]:.6g} short of {g.lower[i]:g})"
            return f" (the best is {excess[i]:.6g} over {g.upper[i]:g})"
        many = len(idx) > 1
        report = "they report" if many else "it reports"
        out.append(f"{listing(_labels(model, idx, best), len(idx))} can never be met: the variables' bounds keep "
                   f"{'them' if many else 'it'} off target whatever the plan, so {report} a deviation in every "
                   "solution: check the target and the bounds")
    return out
