"""Library problem problems/portfolio_selection.yaml: the checks beyond the shared harness.

The hand-written PuLP model and how the levels are checked (goalprog's lock tolerance) are in
tests/library/cases/portfolio_selection.py; the harness (test_library_problems.py) checks the
levels against the self-contained chain, the weighted objective and the CLI output.
"""

import pytest
from click.testing import CliRunner

from goalprog.cli import main
from tests.library import chain
from tests.library.cases.portfolio_selection import EXACT_LEVELS, FILE, N_LEVELS, build, hand_written_under_locks
from tests.library.chain import TIGHT

# expected, result: tests/library/conftest.py (from FILE and build above)


def _locks(result):
    return chain.lock_bounds(result, N_LEVELS)


def test_each_level_matches_hand_written(result):
    chain.check_each_level(result, hand_written_under_locks, N_LEVELS)


def test_level_values(expected):
    """The numbers of this instance: exact lexicographic values, which the near-exact hand-written
    chain must reproduce to 2e-5 (so that a change of data shows up), and
    a real goal program: levels 2-4 cannot reach their targets."""
    values, plan = expected
    assert values == pytest.approx(EXACT_LEVELS, abs=2e-5)
    assert min(values[1:4]) > 0.1
    assert plan["expected_return"] == pytest.approx(9 - values[3], abs=TIGHT + 1e-9)   # level 5 may use the lock
    assert plan["mad"] == pytest.approx(5.5 + values[2], abs=1e-9)


def test_key_values_match_hand_written_plan(result):
    """The plan itself.  It is unique with exact locks (test_plan_is_pinned); the lock tolerance
    lets later levels move the weights by up to about 1e-3 (% of the budget), hence abs=1e-3."""
    _, plan = hand_written_under_locks(_locks(result))
    weights = result.value("weight")
    for a, v in plan["weight"].items():
        assert weights[a] == pytest.approx(v, abs=1e-3), a
    shares = result.value("sector_share")
    for s, v in plan["sector_share"].items():
        assert shares[s] == pytest.approx(v, abs=1e-3), s
    scen = result.value("scenario_return")
    for t, v in plan["scenario_return"].items():
        assert scen[t] == pytest.approx(v, abs=1e-3), t
    assert result.value("expected_return") == pytest.approx(plan["expected_return"], abs=1e-4)
    assert result.value("mad") == pytest.approx(plan["mad"], rel=1e-6, abs=1e-6)
    assert weights.sum() == pytest.approx(100, abs=1e-6)


def test_plan_is_pinned():
    """With tight locks (1e-6) every weight is pinned: its least and greatest value over the
    optimal face agree to 1e-3, so comparing weights is meaningful.  The plan: 15% semiconductors,
    20% pharma, 10% insurance, 12% oil & gas, 5% water, 34.7% government and 3.3% corporate bonds."""
    m, levels, plan = build()
    for k, h in enumerate(levels):
        v = chain.solve(m, h)
        m += h <= v + 1e-6, f"lock_{k}"
    want = {"semiconductors": 15, "pharma": 20, "insurance": 10, "oil_gas": 12, "water": 5,
            "govt_bonds": 34.7, "corp_bonds": 3.3}
    for a, x in plan["weight"].items():
        low, high = chain.solve(m, x), -chain.solve(m, -x)
        assert high - low <= 1e-3, a
        assert low == pytest.approx(want.get(a, 0), abs=1e-3), a


def test_cli_table_shows_the_index_of_indexed_goals():
    """Labels such as 'loss_floor[s05]' reach the table (they were once eaten as rich markup)."""
    res = CliRunner().invoke(main, ["solve", str(FILE)])
    assert res.exit_code == 0, res.output
    assert "loss_floor[s05]" in res.output
    assert "weight[govt_bonds]" in res.output
    assert "sector_share[bonds]" in res.output


def test_default_plan_is_the_exact_lexicographic_one(result):
    """The default chain has no lock slack, so the plan is the pinned one of test_plan_is_pinned
    (round percentages of the budget) to solver precision, not within 1e-3."""
    want = {"semiconductors": 15, "pharma": 20, "insurance": 10, "oil_gas": 12, "water": 5,
            "govt_bonds": 34.7, "corp_bonds": 3.3}
    weights = result.value("weight")
    for a in weights.index:
        assert weights[a] == pytest.approx(want.get(a, 0), abs=1e-6), a
