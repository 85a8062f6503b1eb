"""The fixed-model polish of preemptive MIP chains (goalprog/solve/strategies/polish.py).

A MIP level whose value need not be whole is locked at its optimum plus 1e-5 x its largest
coefficient; without the polish, continuous columns of later levels spent that slack.  Values here
are derived by hand (fractions) or by a hand-written PuLP lexicographic solve with zero-slack locks.
"""

from fractions import Fraction

import numpy as np
import pulp
import pytest

import goalprog
from tests.helpers import BACKENDS, PROBLEMS

DEMAND = {"mon": 9, "tue": 10, "wed": 10}

STAFF = {
    "name": "staff_temps",
    "sets": {"days": list(DEMAND)},
    "params": {"demand": {"index": "days", "values": DEMAND}},
    "variables": {"work": {"index": "days", "type": "integer", "lower": 0}, "temp": {"lower": 0}},
    "expressions": {"headcount": "sum(work[d] for d in days)"},
    "goals": {
        "cover": {"for": "d in days", "expr": "work[d]", "at_least": "demand[d]", "priority": 1},
        "cap": {"expr": "headcount + temp", "at_most": 25, "priority": 2},
        "temps": {"expr": "temp", "at_least": 2, "priority": 3},
    },
    "solve": {"method": "preemptive"},
}
"""The reviewer's case.  By hand: level 1 is 0 (work[d] = demand[d] is possible); level 2 is the
overshoot headcount + temp - 25 >= sum(demand) - 25 = 29 - 25 = 4, reached only with temp = 0 and
work = demand; level 3 is then 2 - temp = 2."""

LEVELS = [Fraction(0), Fraction(sum(DEMAND.values()) - 25), Fraction(2)]


def variables(result) -> dict:
    df = result.variables
    return dict(zip(df["label"], df["value"]))


@pytest.mark.parametrize("backend", BACKENDS)
def test_reviewer_case_is_exact(backend):
    r = goalprog.from_dict(STAFF).solve(backend=backend)
    assert r.status.value == "optimal"
    # exact: no lock noise (before the polish: 4.00001 and 1.99999, temp = 1e-05)
    assert [Fraction(s.objective) for s in r.stages] == LEVELS
    v = variables(r)
    assert v["temp"] == 0.0
    assert [v[f"work[{d}]"] for d in DEMAND] == list(DEMAND.values())
    assert r.stages[1].lock == 4.0


@pytest.mark.parametrize("backend", BACKENDS)
def test_reviewer_case_alternatives_unique(backend):
    r = goalprog.from_dict(STAFF).solve(backend=backend, alternatives=True)
    a = r.alternatives
    assert a.unique is True, a.note
    rng = {row[0]: (row[2], row[3]) for row in a.rows}
    assert rng["temp"] == pytest.approx((0.0, 0.0), abs=1e-9)


def staff_weighted_by_hand(w1: float, w2: float, w3: float) -> tuple[dict, float]:
    """The reviewer's case as weighted GP in plain PuLP (HiGHS, gap 0): (work, temp)."""
    m = pulp.LpProblem("staff", pulp.LpMinimize)
    work = {d: pulp.LpVariable(f"w_{d}", lowBound=0, cat="Integer") for d in DEMAND}
    temp = pulp.LpVariable("temp", lowBound=0)
    short = {d: pulp.LpVariable(f"s_{d}", lowBound=0) for d in DEMAND}
    over = pulp.LpVariable("over", lowBound=0)
    under = pulp.LpVariable("under", lowBound=0)
    m += w1 * pulp.lpSum(short.values()) + w2 * over + w3 * under
    for d in DEMAND:
        m += work[d] + short[d] >= DEMAND[d]
    m += pulp.lpSum(work.values()) + temp - over <= 25
    m += temp + under >= 2
    assert m.solve(pulp.HiGHS(msg=False, mip_rel_gap=0.0)) == 1
    return {d: work[d].value() for d in DEMAND}, temp.value()


@pytest.mark.parametrize("backend", BACKENDS)
def test_reviewer_case_equivalent_weights(backend):
    p = goalprog.from_dict(STAFF)
    r = p.solve(backend=backend)
    eq = p.equivalent_weights(r, backend=backend)
    assert eq.reason is None and eq.checked
    # the weights found, and (100, 10, 1), give the preemptive plan in a hand-written weighted MIP
    w = eq.weights
    for weights in ((w["cover[mon]"], w["cap"], w["temps"]), (100.0, 10.0, 1.0)):
        work, temp = staff_weighted_by_hand(*weights)
        assert work == {d: pytest.approx(v, abs=1e-9) for d, v in DEMAND.items()}
        assert temp == pytest.approx(0.0, abs=1e-9)


META = {
    "name": "meta_worst",
    "variables": {"x": {"lower": 0}, "y": {"lower": 0}},
    "constraints": {"cap": "x + y <= 3"},
    "goals": {"gx": {"expr": "x", "at_least": 2, "weight": 1}, "gy": {"expr": "y", "at_least": 2, "weight": 2}},
    "meta_goals": [{"of": "worst", "at_most": 0, "priority": 1}, {"of": "total", "at_most": 0, "priority": 2},
                   {"of": "unmet", "at_most": 2, "priority": 3}],
    "solve": {"method": "meta"},
}
"""By hand: worst D = max(2 - x, 2 (2 - y)) with x + y <= 3 is least at x = 2 - D, y = 2 - D/2,
x + y = 3: D = 2/3.  Total (2 - x) + 2 (2 - y) = 6 - x - 2y with x >= 4/3, x + y <= 3: y = 5/3,
total 4/3.  The unmet meta-goal (binaries) makes the chain a MIP; before the polish, total spent
the worst level's lock slack: worst 2/3 + 1e-5, total 4/3 - 1e-5 (below the exact value)."""


def meta_by_hand_pulp() -> tuple[float, float]:
    """The same lexicographic solve hand-written in PuLP with zero-slack locks (LP: the binaries of
    the unmet meta-goal do not bind at target 2 of 2 goals)."""
    m = pulp.LpProblem("meta", pulp.LpMinimize)
    x, y, nx, ny, D = (pulp.LpVariable(n, lowBound=0) for n in ("x", "y", "nx", "ny", "D"))
    m += D
    m += x + y <= 3
    m += x + nx >= 2
    m += y + ny >= 2
    m += nx <= D
    m += 2 * ny <= D
    assert m.solve(pulp.HiGHS(msg=False)) == 1
    worst = D.value()
    m += D <= worst
    m.setObjective(nx + 2 * ny)
    assert m.solve(pulp.HiGHS(msg=False)) == 1
    return worst, nx.value() + 2 * ny.value()


@pytest.mark.parametrize("backend", BACKENDS)
def test_meta_worst_exact(backend):
    worst, total = meta_by_hand_pulp()
    assert worst == pytest.approx(2 / 3, rel=1e-12) and total == pytest.approx(4 / 3, rel=1e-12)
    r = goalprog.from_dict(META).solve(backend=backend)
    achieved = {g["name"]: g["achieved"] for g in r.meta.goals}
    assert achieved["worst"] == pytest.approx(float(Fraction(2, 3)), rel=1e-12, abs=1e-12)
    assert achieved["total"] == pytest.approx(float(Fraction(4, 3)), rel=1e-12, abs=1e-12)
    assert achieved["worst"] == pytest.approx(worst, rel=1e-9) and achieved["total"] == pytest.approx(total, rel=1e-9)
    v = variables(r)
    assert v["x"] == pytest.approx(4 / 3, rel=1e-12) and v["y"] == pytest.approx(5 / 3, rel=1e-12)


def test_all_integer_plan_unchanged():
    """Media selection (Winston 4.14): integer ads only, so every level value is whole and the
    polish changes nothing: 6 football ads, no soap-opera ads, levels 0, 0, 250 (published)."""
    r = goalprog.load(PROBLEMS / "media_selection.yaml").solve()
    assert [s.objective for s in r.stages] == [0.0, 0.0, 250.0]
    v = variables(r)
    assert v["ads[Football]"] == 6.0 and v["ads[Soap_opera]"] == 0.0
    assert all("not polished" not in s.message for s in r.stages)


def test_polish_keeps_the_mip_bound():
    """The MIP levels' proofs stay: each level's bound is the MIP's (<= the polished value)."""
    r = goalprog.from_dict(STAFF).solve(backend="highs")
    for s in r.stages:
        assert s.bound is None or s.bound <= s.objective + 1e-9
    assert np.isfinite([s.objective for s in r.stages]).all()


def test_failed_polish_keeps_the_mip_plan_and_says_why(monkeypatch):
    """When the LP chain with the integers fixed cannot run, the MIP chain's plan stays (its level 2
    within the MIP lock slack 1e-5 of 4) and every level's note says why."""
    from goalprog.solve.strategies import polish

    def broken(model, x):
        raise RuntimeError("no LP today")

    monkeypatch.setattr(polish, "fixed_model", broken)
    r = goalprog.from_dict(STAFF).solve(backend="highs")
    assert r.status.value == "optimal"
    assert abs(r.stages[1].objective - 4.0) <= 1e-5 + 1e-12
    assert all("not polished" in s.message and "no LP today" in s.message for s in r.stages)
