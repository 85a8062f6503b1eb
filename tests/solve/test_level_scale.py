"""A preemptive level's hold does not depend on the absolute size of its weights (strategies/level_scale.py).

An adversarial review's reproducer: with weights of 1e-12 at priority 1 the level's reduced costs
(4e-12) fell below the exact lock's face threshold (1e-11), the level was held by a lock row of
1e-12 coefficients that the solvers' absolute 1e-7 feasibility tolerance does not hold, and level 2
took x from 10 to 0 (level 1 from 4e-11 to 8e-11) with status optimal.  Every expected value below
is derived by hand: ``x + y <= 10``; priority 1 wants ``x >= 20`` and ``3x >= 60`` (weights ``f``),
so x = 10 (level 1 = 10f + 30f = 40f); priority 2 wants ``y >= 10`` (weight ``g``), y = 0
(level 2 = 10g).  The clothing factory's preemptive answer (profit 150,000, waste 50,000) is the
project's reference.
"""

from __future__ import annotations

import importlib.util

import pytest
import yaml

import goalprog
from goalprog.solve.strategies.level_scale import level_scale

FACTORS = [1e-12, 1e-9, 1e-6, 1e-3, 1.0, 1e3, 1e6]
ROUTES = [("highs", None), ("pulp", "cbc"), ("pyomo", "highs"), ("pulp", "scip"), ("pyomo", "scip")]


def _available(backend, solver):
    if backend == "pyomo" and importlib.util.find_spec("pyomo") is None:
        return False
    if solver == "scip" and importlib.util.find_spec("pyscipopt") is None:
        return False
    return True


def _solve(problem, tmp_path, backend, solver):
    path = tmp_path / "p.yaml"
    path.write_text(yaml.safe_dump(problem, sort_keys=False))
    kw = {"backend": backend} if solver is None else {"backend": backend, "solver": solver}
    return goalprog.load(str(path)).solve(**kw)


def _tiny(f, g):
    return {"variables": {"x": {}, "y": {}}, "constraints": {"cap": "x + y <= 10"},
            "goals": {"gx": {"expr": "x", "at_least": 20, "priority": 1, "weight": f},
                      "gx2": {"expr": "3*x", "at_least": 60, "priority": 1, "weight": f},
                      "gy": {"expr": "y", "at_least": 10, "priority": 2, "weight": g}},
            "solve": {"method": "preemptive"}}


@pytest.mark.parametrize("backend,solver", ROUTES)
@pytest.mark.parametrize("f", FACTORS)
def test_priority_one_weights_of_any_size_give_the_same_plan(f, backend, solver, tmp_path):
    if not _available(backend, solver):
        pytest.skip(f"{backend}/{solver} is not installed")
    r = _solve(_tiny(f, 1.0), tmp_path, backend, solver)
    assert r.status.value == "optimal"
    # CBC writes its plan with 8 significant digits; polished, it may keep a part of the lock's guard
    tol = 1e-8 if solver == "cbc" else 1e-9
    assert r.value("x") == pytest.approx(10.0, abs=tol)
    assert r.value("y") == pytest.approx(0.0, abs=tol)
    assert r.stages[0].objective == pytest.approx(40 * f, rel=1e-9)
    assert r.stages[1].objective == pytest.approx(10.0, rel=1e-9)


@pytest.mark.parametrize("g", FACTORS)
@pytest.mark.parametrize("f", [1e-12, 1.0, 1e6])
def test_both_levels_scaled(f, g, tmp_path):
    r = _solve(_tiny(f, g), tmp_path, "highs", None)
    assert (r.value("x"), r.value("y")) == (pytest.approx(10.0, abs=1e-9), pytest.approx(0.0, abs=1e-9))
    assert r.stages[1].objective == pytest.approx(10 * g, rel=1e-9)


@pytest.mark.parametrize("f", FACTORS)
def test_clothing_factory_profit_first_at_any_weight_size(f, tmp_path):
    problem = {"variables": {"p": {}, "s": {}, "d": {}},
               "constraints": {"cost": "5*p + s + 10*d <= 50000"},
               "goals": {"profit": {"expr": "10*p + 3*s + 15*d", "at_least": 150000, "priority": 1, "weight": f},
                         "waste": {"expr": "1.5*p + s + 3*d", "at_most": 20000, "priority": 2, "weight": f}},
               "solve": {"method": "preemptive"}}
    r = _solve(problem, tmp_path, "highs", None)
    assert r.status.value == "optimal"
    p, s, d = r.value("p"), r.value("s"), r.value("d")
    assert 10 * p + 3 * s + 15 * d == pytest.approx(150000, rel=1e-9)
    assert 1.5 * p + s + 3 * d == pytest.approx(50000, rel=1e-9)  # waste over 20,000 by 30,000 (by hand)
    assert r.stages[0].objective == pytest.approx(0.0, abs=1e-6 * f)
    assert r.stages[1].objective == pytest.approx(30000 * f, rel=1e-9)


def test_level_scale_is_a_power_of_two_only_outside_the_usual_range():
    from goalprog.model.ir import Objective, SparseVector

    def obj(*c):
        return Objective("min", SparseVector.make(range(len(c)), c))

    assert level_scale(obj(1.0, 3.0)) == 1.0
    assert level_scale(obj(1e-3, 1e6)) == 1.0
    s = level_scale(obj(1e-12, 3e-12))
    assert s == 2.0 ** 39 and 1.0 <= 3e-12 * s < 2.0
    s = level_scale(obj(3e6))
    assert s == 2.0 ** -21 and 1.0 <= 3e6 * s < 2.0
