"""Proven MIP levels on every backend (issue 13).

A 12-binary knapsack chain (maximise value, then a preference) whose values are near 430,000:
a solver's default relative gap of 1e-4 lets it stop up to 43 below the optimum and call it
optimal, and level 2 then buys preference with the lost value.  Expected values come from brute
force over all 4,096 subsets, never from goalprog.  See goalprog/solve/backends/gaps.py and
docs/methods.md ("Proven optimal").
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml

import goalprog
from goalprog.core.status import SolutionStatus, Status, Termination
from goalprog.solve.backends.base import SolveOptions
from goalprog.solve.backends.gaps import integral_level, integral_lock, proven, rel_gap, user_gap

WEIGHT = [87047, 92252, 55366, 58048, 72898, 77886, 88080, 68403, 51790, 60746, 72813, 69290]
VALUE = [w + d for w, d in zip(WEIGHT, [41, -8, 13, 11, -41, 23, -46, -49, 8, -25, -14, 10])]
PREFERENCE = [1, 0, 7, 9, 6, 8, 4, 0, 6, 5, 7, 6]
CAPACITY = sum(WEIGHT) // 2
N = len(WEIGHT)

KNAPSACK = {
    "variables": {f"x{i}": {"type": "binary"} for i in range(N)},
    "constraints": {"cap": " + ".join(f"{WEIGHT[i]}*x{i}" for i in range(N)) + f" <= {CAPACITY}"},
    "goals": {"value": {"maximize": " + ".join(f"{VALUE[i]}*x{i}" for i in range(N)), "priority": 1},
              "pref": {"maximize": " + ".join(f"{PREFERENCE[i]}*x{i}" for i in range(N)), "priority": 2}},
}


def _brute_force():
    """(best value, best preference among the subsets of best value, those subsets) over all 2^12 subsets."""
    best, plans = -1, []
    for mask in range(1 << N):
        items = [i for i in range(N) if mask >> i & 1]
        if sum(WEIGHT[i] for i in items) > CAPACITY:
            continue
        v = sum(VALUE[i] for i in items)
        if v > best:
            best, plans = v, [items]
        elif v == best:
            plans.append(items)
    pref = max(sum(PREFERENCE[i] for i in items) for items in plans)
    return best, pref, [set(p) for p in plans if sum(PREFERENCE[i] for i in p) == pref]


BEST_VALUE, BEST_PREFERENCE, BEST_PLANS = _brute_force()
ROOT_BOUND = None  # the LP bound is checked against the brute-force optimum only (bound >= optimum)

SOLVERS = [("highs", None), ("pulp", None), ("pulp", "cbc"), ("pyomo", None), ("pyomo", "appsi_highs")]


def _levels(r):
    return r.levels.set_index("level")


def test_brute_force_has_a_gap_to_lose():
    """The instance is one a default gap of 1e-4 can stop early on: 1e-4 of the optimum exceeds
    the smallest value step, so a gap stop can lose whole units."""
    assert BEST_VALUE * 1e-4 > 40
    assert len(BEST_PLANS) == 1


@pytest.mark.parametrize("backend,solver", SOLVERS)
def test_knapsack_chain_reaches_the_true_optimum(backend, solver):
    r = goalprog.from_dict(KNAPSACK).solve(backend=backend, solver=solver)
    assert r.status is Status.OPTIMAL
    lv = _levels(r)
    assert lv.loc[1, "achievement"] == pytest.approx(BEST_VALUE, rel=1e-12)
    assert lv.loc[2, "achievement"] == pytest.approx(BEST_PREFERENCE, abs=1e-9)
    chosen = {i for i in range(N) if r.value(f"x{i}") > 0.5}
    assert chosen == BEST_PLANS[0]
    # an integral level is locked at the whole number exactly, never a fraction below it
    assert r.stages[0].lock == BEST_VALUE and r.stages[0].lock_style == "exact"
    assert r.stages[0].status is Status.OPTIMAL and r.stages[0].gap == pytest.approx(0, abs=1e-12)


@pytest.mark.parametrize("backend,solver", SOLVERS)
def test_user_gap_stop_is_feasible_not_optimal(backend, solver):
    r = goalprog.from_dict(KNAPSACK).solve(backend=backend, solver=solver, mip_gap=0.01)
    assert r.status is Status.FEASIBLE
    s = r.stages[0]
    assert s.status is Status.FEASIBLE and s.termination is Termination.GAP_LIMIT
    assert s.lock is None and len(r.stages) == 1          # never locked as if proven; the chain stops
    assert s.bound is not None and s.bound >= BEST_VALUE - 1e-6 >= s.objective - 1e-6
    assert s.bound > s.objective                          # the gap it stopped at is open
    assert s.gap == pytest.approx((s.bound - s.objective) / s.objective, rel=1e-9)
    assert 0 < s.gap <= 0.01 + 1e-9
    assert "MIP gap" in r.message


def test_accept_feasible_locks_the_incumbent_and_flags_the_chain():
    r = goalprog.from_dict(KNAPSACK).solve(backend="highs", mip_gap=0.01, accept_feasible=True)
    assert r.status is Status.FEASIBLE
    s1, s2 = r.stages
    assert s1.status is Status.FEASIBLE and s1.lock == pytest.approx(round(s1.objective))
    assert "not proven optimal" in s1.message
    assert "unproven lock of level 1" in s2.message or "not proven optimal" in s2.message


def _cli_table(tmp_path, *args, code: int = 6) -> str:
    """The text output of ``goalprog solve``; exit ``code`` (6: a plan not proven optimal)."""
    path = tmp_path / "knapsack.yaml"
    path.write_text(yaml.safe_dump(KNAPSACK))
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1", "TERM": "dumb"}
    proc = subprocess.run([sys.executable, "-m", "goalprog", "solve", str(path), *args], capture_output=True,
                          text=True, env=env, timeout=300)
    assert proc.returncode == code, proc.stderr
    return proc.stdout


def _row(text: str, first: str) -> list[str]:
    for line in text.splitlines():
        cells = [c.strip() for c in line.strip().split("│")[1:-1]]
        if cells and cells[0] == first:
            return cells
    raise AssertionError(f"no table row {first!r} in\n{text}")


def _header(text: str) -> list[str]:
    line = next(ln for ln in text.splitlines() if "level" in ln and "achievement" in ln)
    return [c.strip() for c in line.strip().split("┃")[1:-1]]


def _number(cell: str) -> float:
    return float(cell.replace(",", "").rstrip("%"))


@pytest.mark.parametrize("backend", ["highs", "pulp", "pyomo"])
def test_text_table_shows_bound_and_gap_of_a_gap_stop(tmp_path, backend):
    out = _cli_table(tmp_path, "--backend", backend, "--mip-gap", "0.01")
    head = _header(out)
    assert head[:7] == ["level", "goals", "sense", "achievement", "bound", "gap", "status"]
    row = dict(zip(head, _row(out, "1")))
    assert row["status"] == "feasible" and row["lock"] == ""
    achieved, bound = _number(row["achievement"]), _number(row["bound"])
    assert achieved <= BEST_VALUE <= bound                # printed to 7 digits: whole numbers here
    assert _number(row["gap"]) == pytest.approx(100 * (bound - achieved) / achieved, rel=2e-3)
    assert "status: feasible" in out


def test_text_table_has_no_bound_columns_when_proven(tmp_path):
    out = _cli_table(tmp_path, code=0)
    assert "bound" not in _header(out)
    assert _number(dict(zip(_header(out), _row(out, "1")))["achievement"]) == BEST_VALUE


# stop HiGHS at its first improving solution: a deterministic limit (no clock involved)
LIMIT = {"mip_max_improving_sols": 1, "presolve": "off"}


@pytest.mark.parametrize("backend", ["highs", "pulp", "pyomo"])
def test_limit_stop_is_feasible_with_bound_and_gap(tmp_path, backend):
    r = goalprog.from_dict(KNAPSACK).solve(backend=backend, solver_options=LIMIT)
    s = r.stages[0]
    assert r.status is Status.FEASIBLE and s.status is Status.FEASIBLE and s.termination.is_limit
    assert s.lock is None and len(r.stages) == 1
    assert s.bound is not None and s.bound >= BEST_VALUE - 1e-6 and s.objective < BEST_VALUE
    assert s.gap == pytest.approx((s.bound - s.objective) / s.objective, rel=1e-9)
    out = _cli_table(tmp_path, "--backend", backend, *sum((["--option", f"{k}={v}"] for k, v in LIMIT.items()), []))
    row = dict(zip(_header(out), _row(out, "1")))
    assert row["status"] == "feasible" and _number(row["bound"]) >= BEST_VALUE and row["gap"].endswith("%")


@pytest.mark.parametrize("solver_options,termination", [({"maxNodes": 1}, Termination.NODE_LIMIT)])
def test_cbc_limit_read_from_its_log(solver_options, termination):
    """40 binaries (CBC needs more than its root node), node limit 1: CBC's log says it stopped; PuLP calls it
    'Optimal'."""
    import numpy as np

    rng = np.random.default_rng(5)
    n = 40
    w = rng.integers(1000, 9999, n)
    v = w + rng.integers(-50, 50, n)
    spec = {"variables": {f"x{i}": {"type": "binary"} for i in range(n)},
            "constraints": {"cap": " + ".join(f"{w[i]}*x{i}" for i in range(n)) + f" <= {int(w.sum() // 2)}"},
            "goals": {"value": {"maximize": " + ".join(f"{v[i]}*x{i}" for i in range(n)), "priority": 1}}}
    r = goalprog.from_dict(spec).solve(backend="pulp", solver="cbc", solver_options=solver_options)
    s = r.stages[0]
    assert s.status is Status.FEASIBLE and s.termination is termination
    assert s.bound is not None and s.bound > s.objective


# -- the pieces, on their own -------------------------------------------------------------------

def test_gap_stop_without_a_bound_is_unproven_only_when_a_gap_was_asked():
    ok = (Termination.OPTIMAL, SolutionStatus.OPTIMAL)
    assert proven(*ok, 10.0, None, gap_asked=False)[:2] == ok
    term, sol, note = proven(*ok, 10.0, None, gap_asked=True)
    assert (term, sol) == (Termination.GAP_LIMIT, SolutionStatus.FEASIBLE) and "no bound" in note
    assert proven(*ok, 10.0, 10.5, gap_asked=False)[0] is Termination.GAP_LIMIT
    assert proven(*ok, 10.0, 10.0 + 1e-12, gap_asked=False)[:2] == ok
    # an integral objective: a bound within 1 of the whole-number incumbent proves it
    assert proven(*ok, 10.0, 10.7, gap_asked=False, integral=True, sense="max")[:2] == ok
    assert proven(*ok, 10.0, 11.0, gap_asked=False, integral=True, sense="max")[0] is Termination.GAP_LIMIT
    assert proven(*ok, 10.0, 9.3, gap_asked=False, integral=True, sense="min")[:2] == ok


def test_user_gap_reads_mip_gap_and_solver_options():
    assert not user_gap(SolveOptions())
    assert not user_gap(SolveOptions(mip_gap=0.0))
    assert user_gap(SolveOptions(mip_gap=1e-4))
    assert user_gap(SolveOptions(solver_options={"mip_rel_gap": 0.01}))
    assert user_gap(SolveOptions(solver_options={"ratio": "0.1"}))
    assert not user_gap(SolveOptions(solver_options={"mip_abs_gap": 0, "presolve": "off"}))


def test_rel_gap_and_integral_lock():
    assert rel_gap(100.0, 101.0) == pytest.approx(0.01)
    assert rel_gap(0.0, 1.0) == float("inf") and rel_gap(0.0, 0.0) == 0.0 and rel_gap(1.0, None) is None
    assert integral_lock(427247.99999999726, 1e-5) == (427248.0, 0.0, True)
    assert integral_lock(54.000002, 2.5) == (54.0, 2.0, False)


def test_integral_level_needs_integer_columns_and_whole_coefficients():
    model = goalprog.from_dict(KNAPSACK).model
    from goalprog.solve.achievement import achievement

    assert integral_level(model, achievement(model, 1))
    frac = {**KNAPSACK, "goals": {"value": {"maximize": "0.5*x0 + x1", "priority": 1}}}
    m2 = goalprog.from_dict(frac).model
    assert not integral_level(m2, achievement(m2, 1))
    mixed = {**KNAPSACK, "variables": {**KNAPSACK["variables"], "y": {"upper": 3}},
             "goals": {"value": {"maximize": "x0 + y", "priority": 1}}}
    m3 = goalprog.from_dict(mixed).model
    assert not integral_level(m3, achievement(m3, 1))


def test_pulp_gap_arguments():
    import pulp

    from goalprog.solve.backends.pulp_backend import gap_arguments

    assert gap_arguments(pulp.HiGHS, SolveOptions()) == {"gapRel": 0.0, "gapAbs": 0.0}
    assert gap_arguments(pulp.PULP_CBC_CMD, SolveOptions(mip_gap=0.02)) == {"gapRel": 0.02, "gapAbs": 0.0}
    assert gap_arguments(pulp.GLPK_CMD, SolveOptions()) == {}
