"""``sensitivity_ranges: basis``: HiGHS's basis ranges as inner bounds, marked; ``auto`` picks by size.

Checked against the hand-written highspy models of ``test_sensitivity_properties``: every rate by finite
differences (basis mode gives the same exact rates), every target range by re-solves just inside each end and at
the end itself (the value is still on the rate's line: the rate holds at least that far), every weight range by
re-solves at and just inside its ends (the plan is still optimal), and each basis range inside the exact one.
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest

import goalprog
from goalprog.core.errors import GoalProgError
from goalprog.solve.sensitivity import RANGE_COLUMNS, ranges_mode
from tests.helpers import PROBLEMS
from tests.solve.test_sensitivity_properties import (check_rate, held_levels, make_instance, plan_cost,
                                                     solve_by_hand, spec_of, value)


def on_line(inst, what, target, rate, end, level, held):
    """The hand model's value at ``end`` and just inside it lies on ``v0 + rate * (t - target)``."""
    v0 = value(inst, what, 0.0, level, held)
    dist = abs(end - target)
    for point in (end, end - math.copysign(min(1e-4 * max(1.0, abs(end)), dist / 2), end - target)):
        v = value(inst, what, point - target, level, held)
        assert v is not None and v == pytest.approx(v0 + rate * (point - target), rel=1e-7, abs=1e-7), \
            (what, end, point)


def optimal_at(inst, x, k, side, wt, level, held):
    weights = {(k, side): wt}
    gap = plan_cost(inst, x, level, weights) - solve_by_hand(*inst, level=level, held=held, weights=weights)
    assert gap <= 1e-7 * max(1.0, plan_cost(inst, x, level, {})), (k, side, wt, gap)


@pytest.mark.parametrize("seed,levels", [(s, False) for s in range(8)] + [(s, True) for s in range(100, 106)])
def test_basis_ranges_are_inner_bounds(seed, levels):
    inst = make_instance(seed, levels)
    n, hard, goals = inst
    method = "preemptive" if levels else "weighted"
    p = goalprog.from_dict(spec_of(*inst))
    s = p.solve(method=method, sensitivity=True, sensitivity_ranges="basis").sensitivity
    exact = p.solve(method=method, sensitivity=True, sensitivity_ranges="exact").sensitivity
    r = p.solve(method=method)
    x = np.array([r.value(f"x{j}") for j in range(n)])
    held_before = held_levels(inst, goals, levels)
    assert any("basis ranges, inner bounds" in note for note in s.notes)
    for row, ex in zip(s.targets.to_dict("records"), exact.targets.to_dict("records")):
        k = int(row["goal"][1:])
        level = row["level"] if levels else None
        what = ("g", k, row["end"])
        assert row["range"] in ("basis", "exact")
        assert row["range"] == "basis" or (math.isinf(row["low"]) and math.isinf(row["high"]))
        check_rate(inst, what, row["rate_below"], row["rate_above"], level, held_before(level), row["target"])
        assert ex["low"] <= row["low"] + 1e-9 and row["high"] <= ex["high"] + 1e-9  # inside the exact range
        for end, rate in ((row["high"], row["rate_above"]), (row["low"], row["rate_below"])):
            if math.isfinite(end) and math.isfinite(rate) and end != row["target"]:
                on_line(inst, what, row["target"], rate, end, level, held_before(level))
    for row, ex in zip(s.weights.to_dict("records"), exact.weights.to_dict("records")):
        k = int(row["goal"][1:])
        level = row["level"] if levels else None
        assert row["range"] in ("basis", "exact")
        assert ex["low"] <= row["low"] + 1e-9 and row["high"] <= ex["high"] + 1e-9
        for end in (row["low"], row["high"]):
            if math.isfinite(end):
                optimal_at(inst, x, k, row["side"], end, level, held_before(level))
        if math.isinf(row["high"]):
            optimal_at(inst, x, k, row["side"], 10 * row["weight"] + 100, level, held_before(level))


def test_clothing_basis_marks_rows():
    """The clothing factory (1, 1): the rates are the hand-derived ones in basis mode too; profit's under-weight
    [0.7, inf) and waste's over-weight [0, 10/7] are what the basis gives (the exact ends here); the rows with a
    finite end are marked ``basis`` in the table and in JSON."""
    r = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(sensitivity=True, sensitivity_ranges="basis")
    s = r.sensitivity
    t = {row.goal: row for row in s.target_rows}
    assert (t["profit"].rate_below, t["profit"].rate_above) == (pytest.approx(0.7), pytest.approx(1.0))
    assert t["profit"].range == "basis" and 107_142 <= t["profit"].low < 150_000 < t["profit"].high
    w = {row.goal: row for row in s.weight_rows}
    assert (w["profit"].low, w["profit"].high) == (pytest.approx(0.7), math.inf)
    assert (w["waste"].low, w["waste"].high) == (0.0, pytest.approx(10 / 7))
    assert {row["range"] for row in s.to_dict()["targets"]} == {"basis"}
    exact = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(sensitivity=True).sensitivity
    assert {row.range for row in (*exact.target_rows, *exact.weight_rows)} == {"exact"}


def test_auto_picks_by_size():
    assert ranges_mode("auto", SimpleNamespace(n_cols=RANGE_COLUMNS - 1)) == "exact"
    assert ranges_mode("auto", SimpleNamespace(n_cols=RANGE_COLUMNS)) == "basis"
    assert ranges_mode("basis", SimpleNamespace(n_cols=3)) == "basis"
    assert ranges_mode("exact", SimpleNamespace(n_cols=10**6)) == "exact"
    with pytest.raises(ValueError):
        ranges_mode("fast", SimpleNamespace(n_cols=3))
    # a small problem under auto: exact (no basis note, rows exact)
    s = goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(sensitivity=True).sensitivity
    assert not any("basis ranges" in note for note in s.notes)


def test_bad_setting_is_an_argument_error():
    with pytest.raises(GoalProgError, match="sensitivity_ranges"):
        goalprog.load(PROBLEMS / "clothing_factory_weighted.yaml").solve(sensitivity=True, sensitivity_ranges="fast")
