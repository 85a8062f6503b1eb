"""Library problem problems/budget_allocation.yaml: the checks beyond the shared harness.

The hand-written PuLP model and how the levels are checked (goalprog's lock tolerance) are in
tests/library/cases/budget_allocation.py; the harness (test_library_problems.py) checks the
levels against the self-contained chain, the weighted objective and the CLI output.
"""

import json

import pulp
import pytest
from click.testing import CliRunner

from goalprog.cli import main
from tests.library import chain
from tests.library.cases.budget_allocation import EXACT_LEVELS, FILE, N_LEVELS, build, hand_written_under_locks
from tests.library.chain import LOCK_ABS, TIGHT

BACKENDS = ["pulp", "pyomo"]


# expected, result: tests/library/conftest.py (from FILE and build above)


def _locks(result):
    return chain.lock_bounds(result, N_LEVELS)


def test_each_level_matches_hand_written(result):
    chain.check_each_level(result, hand_written_under_locks, N_LEVELS)


def test_level_values(expected):
    """The numbers of this instance: exact lexicographic values, which the near-exact hand-written
    chain must reproduce to 2e-5 (so that a change of data shows up), and
    a real goal program: levels 2 and 3 cannot reach their targets."""
    values, plan = expected
    assert values == pytest.approx(EXACT_LEVELS, abs=2e-5)
    assert min(values[1:3]) > 0.05
    # the whole budget is spent (over-spending within level 1's lock, 5 p <= 1e-6: $2.26)
    assert plan["total_payroll"] == pytest.approx(11300, abs=11300 * TIGHT / 5 + 1e-6)


def test_key_values_match_hand_written_plan(result):
    """The plan: staff by department and rank, payroll and head counts.  It is unique with exact
    locks (test_plan_is_pinned), but the goal rows are fractions of their targets, so the default
    lock tolerance (1e-5 on a level) leaves an optimal face up to about 8e-3 FTE and $350
    (0.35 in $1000) wide in this instance (measured with the hand-written model); the tolerances
    below are about 2.5 times those widths."""
    _, plan = hand_written_under_locks(_locks(result))
    fte = result.value("fte")
    for (d, r), v in plan["fte"].items():
        assert fte[d, r] == pytest.approx(v, abs=2e-2), (d, r)
    for name, tol in (("payroll", 1.0), ("faculty_fte", 2e-3), ("doctoral_fte", 2e-2), ("capacity", 0.1)):
        got = result.value(name)
        for d, v in plan[name].items():
            assert got[d] == pytest.approx(v, abs=tol), (name, d)
    assert result.value("total_payroll") == pytest.approx(plan["total_payroll"], abs=0.05)


def test_plan_is_pinned():
    """With tight locks (1e-6) every FTE value is pinned: its least and greatest value over the
    optimal face agree to 2e-3, so comparing the plan is meaningful.  The plan: accounting hires
    3.1 assistant professors and 6.7 instructors, economics 3.6 instructors and 2.53 graduate
    assistants, finance 3.8 assistant professors and 5.6 instructors, management about 1.57
    assistant professors and 8.83 instructors, marketing 10 instructors."""
    m, levels, plan = build()
    for k, h in enumerate(levels):
        v = chain.solve(m, h)
        m += h <= v + 1e-6, f"lock_{k}"
    want = {("accounting", "assistant"): 3.1, ("accounting", "instructor"): 6.7,
            ("economics", "instructor"): 3.6, ("finance", "assistant"): 3.8, ("finance", "instructor"): 5.6,
            ("marketing", "instructor"): 10.0, ("marketing", "assistant"): 0.0}
    for key, x in plan["fte"].items():
        low, high = chain.solve(m, x), -chain.solve(m, -x)
        assert high - low <= 2e-3, key
        if key in want:
            assert low == pytest.approx(want[key], abs=2e-3), key


def test_deviation_weights_matter():
    """The under/over weights of the department band (2 and 1) and the budget's split priorities
    are part of the answer: with the cut weighted 1 instead of 2, level 3 comes out different."""
    m, levels, _ = build()
    for k, h in enumerate(levels[:2]):
        v = chain.solve(m, h)
        m += h <= v + LOCK_ABS, f"lock_{k}"
    weighted_2 = chain.solve(m, levels[2])
    n_band = [v for v in m.variables() if v.name.startswith("n_band_")]
    assert sum(v.value() for v in n_band) > 0.01          # some department is cut below its band
    unweighted = chain.solve(m, levels[2] - pulp.lpSum(n_band))
    assert unweighted < weighted_2 - 1e-3


@pytest.mark.parametrize("backend", BACKENDS)
def test_cli_json_goal_weights(backend):
    """The JSON levels are the harness's; here each goal's own priorities and weights per side."""
    res = CliRunner().invoke(main, ["solve", str(FILE), "--backend", backend, "--format", "json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    goals = {g["label"]: g for g in d["goals"]}
    band = goals["department_band[accounting]"]      # its own weights on each side
    assert (band["kind"], band["target"], band["target_high"]) == ("between", 0.95, 1.10)
    assert (band["under_priority"], band["under_weight"], band["over_priority"], band["over_weight"]) == (3, 2, 3, 1)
    budget = goals["budget"]                          # its own priority and weight on each side
    assert (budget["under_priority"], budget["under_weight"], budget["over_priority"], budget["over_weight"]) == (4, 1, 1, 5)


def test_default_plan_is_the_exact_lexicographic_one(result):
    """The default chain has no lock slack, so the FTEs pinned in test_plan_is_pinned come out at
    their exact values to solver precision (marketing 10 instructors, not 9.99965)."""
    want = {("accounting", "assistant"): 3.1, ("accounting", "instructor"): 6.7,
            ("economics", "instructor"): 3.6, ("finance", "assistant"): 3.8, ("finance", "instructor"): 5.6,
            ("marketing", "instructor"): 10.0, ("marketing", "assistant"): 0.0}
    fte = result.value("fte")
    for (d, r), v in want.items():
        assert fte[d, r] == pytest.approx(v, abs=1e-6), (d, r)
