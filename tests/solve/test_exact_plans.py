"""LP plans from every backend print exact values (issue 13 "exact answers"): the final plan is
polished to its vertex (goalprog/solve/backends/polish.py: the active rows solved again with exact
residuals, never a value they do not give), and levels and the weighted objective are summed
from it.  Expected values are exact fractions worked by hand, as doubles (``float(Fraction)``:
the double nearest the exact value), compared with ``==``."""

from fractions import Fraction as F

import numpy as np
import pytest

import goalprog
from goalprog.solve.backends.polish import polish_csr
from tests.helpers import PROBLEMS

BACKENDS = ("highs", "pulp", "pyomo")


@pytest.mark.parametrize("backend", BACKENDS)
def test_weighted_1_1_5_vertex_is_the_nearest_double(backend):
    # budget 5p + s = 50,000 and waste 1.5p + s = 20,000: p = 60,000/7, s = 50,000/7; profit
    # 10p + 3s = 750,000/7, its shortfall (weight 1) 300,000/7 is the objective (waste is met)
    r = goalprog.load(PROBLEMS / "clothing_factory_weighted_1_1.5.yaml").solve(backend=backend)
    assert (r.value("pants"), r.value("shirts"), r.value("dresses")) == (float(F(60000, 7)), float(F(50000, 7)), 0.0)
    goals = r.goals.set_index("goal")
    assert goals.loc["waste", "value"] == 20000 and goals.loc["waste", "over"] == 0
    assert goals.loc["profit", "value"] == float(F(750000, 7))
    assert r.objective == float(F(300000, 7)) and r.stages[0].objective == float(F(300000, 7))


@pytest.mark.parametrize("backend", BACKENDS)
def test_preemptive_profit_first_levels_are_exact(backend):
    # level 1: profit 150,000 met (50,000 shirts use the whole budget); level 2: waste 50,000, over 30,000
    r = goalprog.load(PROBLEMS / "clothing_factory_preemptive.yaml").solve(backend=backend)
    assert r.value("shirts") == 50000
    goals = r.goals.set_index("goal")
    assert (goals.loc["profit", "value"], goals.loc["waste", "value"], goals.loc["waste", "over"]) == (150000, 50000, 30000)
    assert [lv["achievement"] for lv in r.level_values()] == [0, 30000]
    assert r.stages[-1].objective == 30000


def _one_column(x0, guard):
    # x >= 80 (a model row, active) and a lock row x <= 80 + guard (its side carries a slack)
    return polish_csr(np.array([x0]), np.array([0.0]), np.array([np.inf]), np.array([False]),
                      np.array([0, 1, 2]), np.array([0, 0]), np.array([1.0, 1.0]),
                      np.array([80.0, -np.inf]), np.array([np.inf, 80.0 + guard]), rel=1e-9, targets=1)


def test_a_quantity_the_model_pins_at_80_prints_80():
    x = _one_column(80 + 2 * np.spacing(80.0), 1e-7)
    assert x is not None and x[0] == 80
    # the lock row's side (80 + guard) is checked, never a value to pull the plan to: a plan near it
    # (and off the model row by more than the last bits) is left as it is
    x0 = 80 + 1e-7 - 2 * np.spacing(80.0)
    out = _one_column(x0, 1e-7)
    assert out is None or out[0] == x0


def test_a_row_met_exactly_is_never_made_inexact():
    # x + y = 1 met exactly at the solver's plan, 3x = 1 off by a bit: x moves to 1/3 (the nearest
    # double), and y must follow so that x + y = 1 stays exact, or the plan is refused
    third = float(F(1, 3)) + np.spacing(1 / 3)
    x0 = np.array([third, 1 - third])
    assert F(x0[0]) + F(x0[1]) == 1
    out = polish_csr(x0, np.zeros(2), np.full(2, np.inf), np.zeros(2, bool), np.array([0, 2, 3]),
                     np.array([0, 1, 0]), np.array([1.0, 1.0, 3.0]), np.array([1.0, 1.0]), np.array([1.0, 1.0]),
                     rel=1e-9, targets=2)
    assert out is None or F(out[0]) + F(out[1]) == 1
    if out is not None:
        assert out[0] == float(F(1, 3))


def test_the_achievement_is_summed_exactly():
    # x is held at 0, so the shortfalls are 0.1, 0.2 and 0.3 (as doubles); their sum rounded once
    # from its exact value is float(F(0.1) + F(0.2) + F(0.3)) = 0.6, where a running float sum
    # gives 0.6000000000000001
    p = goalprog.from_dict({"variables": {"x": {"lower": 0, "upper": 0}},
                            "goals": {"a": {"expr": "x", "at_least": 0.1}, "b": {"expr": "x", "at_least": 0.2},
                                      "c": {"expr": "x", "at_least": 0.3}}})
    r = p.solve()
    exact = float(F(0.1) + F(0.2) + F(0.3))
    assert exact == 0.6 and r.objective == exact
