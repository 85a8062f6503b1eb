"""Preemptive sensitivity as the lexicographic value function, against hand derivations and hand-written re-solves.

A level's value at moved data is the optimum of that level when the WHOLE preemptive GP is re-solved afresh there
(level 1 optimised, then level 2 with level 1 held at its NEW optimum, and so on: the multi-row simplex tableau
sensitivity of Ignizio 1982 and Lee 1972); ``rate_below`` = lim (v(b) - v(b - t))/t, ``rate_above`` =
lim (v(b + t) - v(b))/t.  A side is +-inf only where the hard constraints themselves have no plan.

1. A three-level LP derived by hand (docstring), on every backend, with a degenerate vertex at level 1, where one
   bound moves level 1 one way and level 2 the other.
2. The benchmark production-planning instance (>= 1,000 columns, so ``sensitivity_ranges: auto`` takes HiGHS's
   basis ranges) against finite differences of a lexicographic chain written here in highspy from the model's
   arrays (rows, bounds and each stage's achievement function; nothing of goalprog's sensitivity code).
"""

import math
import random
import sys
import time

import highspy
import numpy as np
import pytest

import goalprog
from tests.helpers import ROOT

INF = math.inf
HINF = highspy.kHighsInf

sys.path.insert(0, str(ROOT / "benchmarks"))
try:
    import production
finally:
    sys.path.pop(0)


def approx(v):
    return v if math.isinf(v) else pytest.approx(v, rel=1e-9, abs=1e-9)


# x, y >= 0.  Hard: c: x + 2y <= 10, cap: x <= 10.  Level 1: g1 x >= 12 (under, weight 1); level 2: g2 x <= 4 (over,
# weight 2); level 3: g3 y >= 3 (under, weight 1).  Plan x = 10, y = 0: c, cap and y >= 0 all active at one vertex
# of the plane (degenerate at level 1); h = (2, 12, 3).
SPEC = {
    "variables": {"x": {"lower": 0}, "y": {"lower": 0}},
    "constraints": {"c": "x + 2*y <= 10", "cap": "x <= 10", "loose": "y <= 100"},
    "goals": {"g1": {"expr": "x", "at_least": 12, "priority": 1},
              "g2": {"expr": "x", "at_most": 4, "priority": 2, "weight": 2},
              "g3": {"expr": "y", "at_least": 3, "priority": 3}},
    "solve": {"method": "preemptive"},
}
BOUNDS = {"c": 10.0, "cap": 10.0}

# By hand, at bounds (b, a) for (c, cap): level 1 makes x as large as it can, x = min(b, a) (y = 0 leaves the most
# room), h1 = 12 - min(b, a); held at that, x = min(b, a) exactly, so h2 = 2 (min(b, a) - 4); level 3 then has
# y <= (b - x)/2: h3 = 3 - (b - min(b, a))/2.
#   c, b = 10 - t: h1 = 2 + t (rate below -1), h2 = 12 - 2t (below +2: level 1 worse, level 2 better), h3 = 3 (0);
#   c, b = 10 + t: x stays 10 (cap): h1 = 2, h2 = 12 (0, 0); y <= t/2: h3 = 3 - t/2 (rate above -0.5);
#   cap, a = 10 - t: h1 = 2 + t (-1), h2 = 12 - 2t (+2), y <= t/2: h3 = 3 - t/2 (below +0.5);
#   cap, a = 10 + t: x stays 10 (c, y = 0): all 0.
# The old definition (earlier levels held at their old optima) called every side below of levels 2 and 3 -inf
# (x >= 10 with x <= 10 - t).  ``loose`` is not binding: rates 0.
HAND = {("c", 1): (-1.0, 0.0), ("c", 2): (2.0, 0.0), ("c", 3): (0.0, -0.5),
        ("cap", 1): (-1.0, 0.0), ("cap", 2): (2.0, 0.0), ("cap", 3): (0.5, 0.0)}


def _small_chain(bounds):
    """The lexicographic optima (h1, h2, h3) of SPEC at ``bounds``, each level a hand-written highspy LP over
    columns x, y, n1, p2, n3, earlier levels held exactly by their deviation column's upper bound."""
    held = []
    for k in range(3):
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        upper = [HINF, HINF] + [max(v, 0.0) for v in held] + [HINF] * (3 - len(held))
        h.addVars(5, np.zeros(5), np.array(upper))
        cost = np.zeros(5)
        cost[2 + k] = (1.0, 2.0, 1.0)[k]
        h.changeColsCost(5, np.arange(5, dtype=np.int32), cost)
        for idx, val, lo, hi in (([0, 1], [1, 2], -HINF, bounds["c"]), ([0], [1], -HINF, bounds["cap"]),
                                 ([1], [1], -HINF, 100.0),
                                 ([0, 2], [1, 1], 12, HINF),     # x + n1 >= 12
                                 ([0, 3], [1, -1], -HINF, 4),    # x - p2 <= 4
                                 ([1, 4], [1, 1], 3, HINF)):     # y + n3 >= 3
            h.addRow(lo, hi, len(idx), np.array(idx, dtype=np.int32), np.array(val, dtype=np.float64))
        h.run()
        assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
        held.append(h.getInfo().objective_function_value / (1.0, 2.0, 1.0)[k])
    return [held[0], 2 * held[1], held[2]]


def test_small_oracle_agrees_with_the_hand_values():
    """The hand-written chain's finite differences (steps 1e-4 and 2e-4 agree: no kink nearby) give HAND."""
    v0 = _small_chain(BOUNDS)
    assert v0 == pytest.approx([2, 12, 3], abs=1e-9)
    t = 1e-4
    for name in BOUNDS:
        for sign in (-1, 1):
            v1 = _small_chain({**BOUNDS, name: BOUNDS[name] + sign * t})
            v2 = _small_chain({**BOUNDS, name: BOUNDS[name] + sign * 2 * t})
            for k in range(3):
                s1, s2 = sign * (v1[k] - v0[k]) / t, sign * (v2[k] - v1[k]) / t
                assert s1 == pytest.approx(s2, abs=1e-7)
                assert s1 == pytest.approx(HAND[(name, k + 1)][0 if sign < 0 else 1], abs=1e-7), (name, k, sign)


def test_three_levels_move_opposite_ways(backend):
    """Each binding constraint's rates at each level (``levels``) and its row's rates (the last level's) equal the
    hand-derived lexicographic rates; the targets are their own level's (g1: h1 = T - 10: 1 both sides; g2:
    h2 = 2 (10 - T): -2 both sides; g3: h3 = T - y = T: 1 both sides)."""
    s = goalprog.from_dict(SPEC).solve(backend=backend, sensitivity=True).sensitivity
    lv = {(r["constraint"], r["level"]): (r["rate_below"], r["rate_above"]) for r in s.levels.to_dict("records")}
    for key, (below, above) in HAND.items():
        assert lv[key] == (approx(below), approx(above)), (key, lv[key])
    c = {r["constraint"]: r for r in s.constraints.to_dict("records")}
    for name in BOUNDS:
        assert c[name]["level"] == 3
        assert (c[name]["rate_below"], c[name]["rate_above"]) == tuple(approx(v) for v in HAND[(name, 3)]), name
    assert (c["loose"]["rate_below"], c["loose"]["rate_above"]) == (0.0, 0.0)
    t = {r["goal"]: r for r in s.targets.to_dict("records")}
    for goal, level, rate in (("g1", 1, 1.0), ("g2", 2, -2.0), ("g3", 3, 1.0)):
        assert (t[goal]["level"], t[goal]["rate_below"], t[goal]["rate_above"]) == (level, approx(rate), approx(rate))


# ---------------------------------------------------------------------------------------------------------------
# The production-planning benchmark at >= 1,000 columns

class LexChain:
    """A preemptive chain written here in highspy from a compiled model's arrays: the rows (hard and goal rows,
    CSR), the column bounds, and each stage's achievement function (``stage_records[k].objective``).  Each level is
    held for the later ones by a row of its achievement function at h + 1e-9 max(1, |h|) (a guard: an exact hold
    can be called infeasible by round-off; the same guard at the base and at the moved data cancels in a finite
    difference to well under the tolerance)."""

    def __init__(self, model, objectives):
        self.m = model
        self.objectives = objectives
        n = model.n_cols
        self.costs = []
        for obj in objectives:
            c = np.zeros(n)
            np.add.at(c, obj.vector.indices, obj.vector.coefs)
            self.costs.append((c, float(obj.vector.constant), obj.sense))

    def values(self, row_lower=None, row_upper=None, upto=None):
        """The lexicographic optima of levels 1 .. ``upto`` (all: None) with the rows' sides replaced by
        ``row_lower`` / ``row_upper``; a level with no plan and every later one is None."""
        m = self.m
        lp = highspy.HighsLp()
        lp.num_col_ = m.n_cols
        lp.num_row_ = len(m.row_lower)
        lp.col_cost_ = np.zeros(m.n_cols)
        lp.col_lower_ = np.where(np.isinf(m.col_lower), -HINF, m.col_lower)
        lp.col_upper_ = np.where(np.isinf(m.col_upper), HINF, m.col_upper)
        lo = m.row_lower if row_lower is None else row_lower
        hi = m.row_upper if row_upper is None else row_upper
        lp.row_lower_ = np.where(np.isinf(lo), -HINF, lo)
        lp.row_upper_ = np.where(np.isinf(hi), HINF, hi)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.asarray(m.indptr, dtype=np.int32)
        lp.a_matrix_.index_ = np.asarray(m.indices, dtype=np.int32)
        lp.a_matrix_.value_ = np.asarray(m.data, dtype=np.float64)
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        h.setOptionValue("primal_feasibility_tolerance", 1e-10)
        h.setOptionValue("dual_feasibility_tolerance", 1e-10)
        assert h.passModel(lp) != highspy.HighsStatus.kError
        out = []
        n = m.n_cols
        for k, (c, const, sense) in enumerate(self.costs[:upto]):
            h.changeObjectiveSense(highspy.ObjSense.kMaximize if sense == "max" else highspy.ObjSense.kMinimize)
            h.changeColsCost(n, np.arange(n, dtype=np.int32), c)
            h.run()
            if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                return out + [None] * (len(self.costs[:upto]) - k)
            v = h.getInfo().objective_function_value
            out.append(v + const)
            nz = np.flatnonzero(c)
            g = 1e-9 * max(1.0, abs(v))
            if sense == "max":
                h.addRow(v - g, HINF, len(nz), nz.astype(np.int32), c[nz])
            else:
                h.addRow(-HINF, v + g, len(nz), nz.astype(np.int32), c[nz])
        return out

    def feasible(self, row_lower, row_upper) -> bool:
        """Do the hard constraints and goal rows have a plan with these row sides?"""
        return self.values(row_lower, row_upper, upto=1)[0] is not None


def _shift(m, r, lo_moves, hi_moves, t):
    lo, hi = np.array(m.row_lower, dtype=float), np.array(m.row_upper, dtype=float)
    if lo_moves:
        lo[r] += t
    if hi_moves:
        hi[r] += t
    return lo, hi


def _fd(chain, m, r, lo_moves, hi_moves, bound, base, upto=None, step=1e-4):
    """One-sided finite differences of every level's lexicographic optimum in row ``r``'s moving side(s) at step
    ``step`` max(1, |bound|): {level index: (below, above)} (None for a side without a plan)."""
    d = step * max(1.0, abs(bound))
    below = chain.values(*_shift(m, r, lo_moves, hi_moves, -d), upto=upto)
    above = chain.values(*_shift(m, r, lo_moves, hi_moves, d), upto=upto)
    out = {}
    for k in range(len(below)):
        rb = None if below[k] is None else (base[k] - below[k]) / d
        ra = None if above[k] is None else (above[k] - base[k]) / d
        out[k] = (rb, ra)
    return out


def _close(got, want):
    """The reported rate against the finite difference: 1e-5 relative (1e-6 of the rate's scale absolute)."""
    return got == pytest.approx(want, rel=1e-5, abs=1e-6)


def _sides(m, i, bound):
    lo, hi = float(m.row_lower[i]), float(m.row_upper[i])
    if lo == hi:
        return True, True
    return bound == lo, bound == hi


def _finite(v):
    return v is not None and not math.isnan(v) and not math.isinf(v)


@pytest.fixture(scope="module")
def bench(tmp_path_factory):
    """The production-planning benchmark (20 products x 10 periods x 5 resources: 1,057 columns, so ``auto`` uses
    the basis mode), four priority levels, solved preemptive with sensitivity on highs; with the hand-written
    chain, its base optima, and the binding hard constraints (slack 0)."""
    d = tmp_path_factory.mktemp("production")
    production.write(production.generate(*production.SIZES["small"]), d)
    start = time.perf_counter()
    r = goalprog.load(d / "production_planning.yaml").solve(method="preemptive", backend="highs", sensitivity=True)
    seconds = time.perf_counter() - start
    assert r.status.value == "optimal"
    m = r.model
    assert m.n_cols >= 1000 and not m.col_integer.any()
    records = r.stage_records
    assert len(records) == 4 and all(rec.solved for rec in records)
    chain = LexChain(m, [rec.objective for rec in records])
    base = chain.values()
    assert base == pytest.approx([rec.value for rec in records], rel=1e-6, abs=1e-7)  # the oracle finds the chain
    s = r.sensitivity
    cons = s.constraints.to_dict("records")
    assert len(cons) == m.n_hard
    binding = [i for i, row in enumerate(cons) if row["slack"] == 0.0 and row["bound"] is not None]
    assert binding
    per_level = {}
    for row in s.levels.to_dict("records"):
        per_level.setdefault(row["constraint"], {})[row["level"]] = (row["rate_below"], row["rate_above"])
    print(f"production small: {m.n_cols} columns, solve with sensitivity {seconds:.1f} s")
    return {"r": r, "m": m, "s": s, "chain": chain, "base": base, "levels": [rec.level for rec in records],
            "cons": cons, "binding": binding, "per_level": per_level}


def test_production_few_binding_sides_unmeasured(bench):
    """At most 10 % of the binding hard constraints' sides (the rows' rates) are n/a."""
    cons = bench["cons"]
    sides = [cons[i][k] for i in bench["binding"] for k in ("rate_below", "rate_above")]
    null = sum(1 for v in sides if v is None or math.isnan(v))
    assert null <= 0.1 * len(sides), f"{null} of {len(sides)} binding constraint sides are n/a"


def test_production_inf_only_without_a_plan(bench):
    """Every +-inf side (the row's or any level's; a deterministic sample of 30) is one where the hand-written
    model with the bound moved 1e-4 max(1, |b|) that way has no plan at all."""
    m, cons, chain = bench["m"], bench["cons"], bench["chain"]
    infs = []
    for i in bench["binding"]:
        rates = [(cons[i]["rate_below"], cons[i]["rate_above"])]
        rates += list(bench["per_level"].get(cons[i]["constraint"], {}).values())
        for sign, k in ((-1, 0), (1, 1)):
            if any(v[k] is not None and math.isinf(v[k]) for v in rates):
                infs.append((i, sign))
    bad = []
    for i, sign in random.Random(1).sample(infs, min(len(infs), 30)):
        lo_m, hi_m = _sides(m, i, cons[i]["bound"])
        d = 1e-4 * max(1.0, abs(cons[i]["bound"]))
        if chain.feasible(*_shift(m, i, lo_m, hi_m, sign * d)):
            bad.append((cons[i]["constraint"], "below" if sign < 0 else "above"))
    assert not bad, f"{len(bad)} of {min(len(infs), 30)} sampled +-inf sides have a plan by hand: {bad[:5]}"


def test_production_constraint_rates_are_lexicographic(bench):
    """15 binding hard constraints (a deterministic sample of those with a finite reported side): every finite
    reported side, the row's (last level) and each level's, equals the finite difference (step 1e-4 max(1, |b|))
    of the hand-written lexicographic chain (or, where a kink may lie within that step, at a tenth of it), and no
    finite side is one without a plan by hand."""
    m, cons, levels, per_level = bench["m"], bench["cons"], bench["levels"], bench["per_level"]
    measured = [i for i in bench["binding"] if _finite(cons[i]["rate_below"]) or _finite(cons[i]["rate_above"])]
    assert len(measured) >= 15
    checked, bad = 0, []
    for i in random.Random(2).sample(measured, 15):
        row = cons[i]
        lo_m, hi_m = _sides(m, i, row["bound"])
        fd = _fd(bench["chain"], m, i, lo_m, hi_m, row["bound"], bench["base"])
        near = None  # a tenth of the step, asked for only where a kink may lie within the step
        want = {levels[-1]: (row["rate_below"], row["rate_above"])}
        want.update(per_level.get(row["constraint"], {}))
        for level, (rb, ra) in want.items():
            k = levels.index(level)
            for got, j, side in ((rb, 0, "below"), (ra, 1, "above")):
                if not _finite(got):
                    continue
                checked += 1
                exp = fd[k][j]
                if exp is None or not _close(got, exp):
                    near = near or _fd(bench["chain"], m, i, lo_m, hi_m, row["bound"], bench["base"], step=1e-5)
                    if near[k][j] is None or not _close(got, near[k][j]):
                        bad.append((row["constraint"], level, side, got, exp))
    assert checked >= 15
    assert not bad, f"{len(bad)} of {checked} sides differ from the hand re-solve: {bad[:6]}"


def test_production_target_rates_are_lexicographic(bench):
    """10 targets per level (all when fewer; those with both rates finite): each rate equals the finite difference
    of its own level's lexicographic optimum (the chain re-solved with the target moved; a tenth of the step where
    a kink may lie within it)."""
    m, levels = bench["m"], bench["levels"]
    g = m.goals
    goal_of = {g.origins[j].label: j for j in range(len(g.row))}
    by_level = {}
    for row in bench["s"].targets.to_dict("records"):
        if _finite(row["rate_below"]) and _finite(row["rate_above"]):
            by_level.setdefault(row["level"], []).append(row)
    assert set(by_level) >= {1, 2, 3}
    rnd = random.Random(3)
    bad, checked = [], 0
    for level, rows in sorted(by_level.items()):
        k = levels.index(level)
        for row in rnd.sample(rows, min(10, len(rows))):
            rr = int(g.row[goal_of[row["goal"]]])
            lo_m, hi_m = row["end"] in ("lower", "both"), row["end"] in ("upper", "both")
            side = m.row_lower[rr] if lo_m else m.row_upper[rr]
            assert side == pytest.approx(row["target"], rel=1e-12, abs=1e-12)  # the goal row's side is the target
            fd = _fd(bench["chain"], m, rr, lo_m, hi_m, row["target"], bench["base"], upto=k + 1)[k]
            for got, j, name in ((row["rate_below"], 0, "below"), (row["rate_above"], 1, "above")):
                checked += 1
                exp = fd[j]
                if exp is None or not _close(got, exp):  # a kink within the step? a tenth of it
                    near = _fd(bench["chain"], m, rr, lo_m, hi_m, row["target"], bench["base"], upto=k + 1, step=1e-5)
                    if near[k][j] is None or not _close(got, near[k][j]):
                        bad.append((row["goal"], level, name, got, exp))
    assert checked >= 2 * (10 + 6 + 1)
    assert not bad, f"{len(bad)} of {checked} target sides differ from the hand re-solve: {bad[:6]}"
