"""MIP levels whose achievement functions are small numbers (an objective kept in millions of
dollars): the lock does not hand later levels more than the level itself, and a gap stop is never
"optimal" however small the values (adversarial review, session 5)."""

import pytest

import goalprog
from goalprog.core.status import Status


def test_a_small_mip_level_is_held_at_its_optimum():
    # integer x, y with x + y <= 1e6; level 1 maximises 1e-6 (x + y): optimum 1 (x + y = 1e6);
    # level 2 minimises x + y over that: 1e6 (by hand; the same model as goals gives 1 and 1e6)
    d = {"name": "m", "variables": {"x": {"type": "integer", "upper": 1e6}, "y": {"type": "integer", "upper": 1e6}},
         "constraints": {"c": "x + y <= 1000000"},
         "goals": {"a": {"maximize": "0.000001*x + 0.000001*y", "priority": 1},
                   "b": {"minimize": "x + y", "priority": 2}}}
    for backend in ("highs", "pulp", "pyomo"):
        r = goalprog.from_dict(d).solve(backend=backend)
        assert r.status is Status.OPTIMAL, (backend, r.message)
        assert r.stages[0].objective == pytest.approx(1.0, rel=1e-9), backend
        assert r.stages[1].objective == pytest.approx(1e6, rel=1e-9), backend


def test_a_tiny_level_below_its_lock_slack_is_not_given_away():
    # level 1 maximises 1e-7 (x + y), x integer, x + y <= 10.5: 1.05e-6; then minimise x: x = 0, y = 10.5
    d = {"name": "m4", "variables": {"x": {"type": "integer", "upper": 100}, "y": {"upper": 100}},
         "constraints": {"c": "x + y <= 10.5"},
         "goals": {"a": {"maximize": "0.0000001*x + 0.0000001*y", "priority": 1},
                   "b": {"minimize": "x", "priority": 2}}}
    r = goalprog.from_dict(d).solve(backend="highs")
    assert r.status is Status.OPTIMAL, r.message
    assert r.stages[0].objective == pytest.approx(1.05e-6, rel=1e-9)
    assert r.value("x") == 0 and r.value("y") == pytest.approx(10.5, rel=1e-9)


def test_the_proof_rule_is_relative_on_small_values():
    from goalprog.solve.backends.gaps import closed

    # the review's knapsack scaled by 1e-12, stopped at a 0.65 % gap: not a proof
    assert not closed(5.676255e-06, 5.713088e-06)
    # and at 1e-10 with the default gap 0 HiGHS stopped 0.07 % short: not a proof either
    assert not closed(5.676e-4, 5.680e-4)
    # HiGHS's own pruning tolerance on an objective of size 29 (module doc of gaps): a proof
    assert closed(28.999998, 28.9999979)
    assert closed(0.0, 0.0) and closed(1e6, 1e6 * (1 + 1e-10))
