"""Library problem problems/staff_scheduling.yaml: the checks beyond the shared harness.

The independent hand-written PuLP model is in tests/library/cases/staff_scheduling.py (its
docstring gives the model and why the data is discriminating); the harness
(test_library_problems.py) checks the levels and the CLI output against it.
"""

import pulp
import pytest

import goalprog
from tests.library.cases.staff_scheduling import EXPECTED_LEVELS, FILE, achievements, load_data, reference

BACKENDS = ["pulp", "pyomo"]


def approx(v):
    return pytest.approx(float(v), rel=1e-6, abs=1e-6)


@pytest.fixture(scope="module")
def expected():
    values, _ = reference()
    return values


def test_reference_model(expected):
    # the independent model's answer, written down so that a change in the data shows up here
    assert expected == [approx(v) for v in EXPECTED_LEVELS]


def test_the_data_is_discriminating():
    # the LP relaxation reaches better values: goalprog must keep the variables integer
    relaxed, _ = reference(cat=pulp.LpContinuous)
    assert relaxed[0] == approx(6)
    assert relaxed[0] < EXPECTED_LEVELS[0] - 1
    # every roster with the fewest missing nurses is worse under the shift weights: goalprog must
    # apply cover_weight (level 1 here: fewest missing nurses; level 2: best weighted value among them)
    values, _ = reference(cover_weights=[{"early": 1.0, "late": 1.0, "night": 1.0}, load_data()[1]])
    assert values[0] == approx(4)
    assert values[1] == approx(9)
    assert values[1] > EXPECTED_LEVELS[0] + 0.5


@pytest.mark.parametrize("backend", BACKENDS)
def test_totals_follow_from_the_levels(backend, expected):
    """The levels are the harness's; values fixed by them: overtime_budget + level 2,
    dislike_target + level 3."""
    r = goalprog.load(FILE).solve(backend=backend)
    assert r.status is goalprog.Status.OPTIMAL
    _, _, _, _, _, _, t = load_data()
    assert r.value("total_overtime") == approx(t["overtime_budget"] + expected[1])
    assert r.value("total_dislike") == approx(t["dislike_target"] + expected[2])


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_roster_is_feasible_and_achieves_the_levels(backend, expected):
    days, shifts, dislike, works, req, cap, t = load_data()
    r = goalprog.load(FILE).solve(backend=backend)
    staff = r.value("staff").to_dict()
    overtime = r.value("overtime").to_dict()
    assert set(staff) == {(p, h) for p in dislike for h in shifts}
    assert set(overtime) == {(d, h) for d in days for h in shifts}
    for v in list(staff.values()) + list(overtime.values()):
        assert v >= 0 and v == round(v)
    for k, v in overtime.items():
        assert v <= cap[k]
    assert sum(staff.values()) <= t["headcount"]
    assert achievements(staff, overtime) == [approx(v) for v in expected]
    # goal table: one coverage goal per (day, shift), deviations as recomputed here
    g = r.goals
    cover = g[g["goal"] == "cover"]
    assert len(cover) == len(days) * len(shifts)
    for row in cover.itertuples():
        on_duty = sum(staff[p, row.shifts] for p in dislike if (p, row.days) in works)
        short = max(0.0, req[row.days, row.shifts] - on_duty - overtime[row.days, row.shifts])
        assert row.under == approx(short)
        assert row.contribution == approx(shifts[row.shifts] * short)
