"""Library problem problems/production_planning.yaml: the checks beyond the shared harness.

The hand-written PuLP model is in tests/library/cases/production_planning.py; the harness
(test_library_problems.py) checks the levels on every backend, the weighted objective and the
CLI output against it.
"""

from dataclasses import replace

import numpy as np
import pytest

import goalprog
from goalprog.solve.backends.base import SolveOptions, get_backend
from goalprog.solve.strategies import weighted
from tests.library.cases import production_planning
from tests.library.cases.production_planning import FILE, hand_written_levels, production


@pytest.fixture(scope="module")
def instance():
    return production_planning.instance()


def test_conflict_is_real(instance):
    """The instance is a goal program worth the name: levels 2 and 3 cannot reach 0."""
    expected = hand_written_levels(instance)
    assert expected[0] == pytest.approx(0, abs=1e-6)   # demand can be met ...
    assert expected[1] > 1e-3                          # ... but only with overtime/waste over target
    assert expected[2] > 1e-3                          # and the profit target is missed


@pytest.mark.parametrize("backend", ["pulp", "pyomo"])
def test_weighted_matches_hand_written(instance, backend):
    mult = [8.0, 4.0, 2.0, 1.0]
    expected = hand_written_levels(instance, mult)
    p = goalprog.load(FILE)
    # the same weighted objective: every deviation's weight times its level multiplier
    g = p.model.goals
    m = np.array([0.0] + mult)  # priority code -> multiplier (0 unused: every goal has a priority here)
    goals = g.with_weights(g.under_weight * m[g.under_priority], g.over_weight * m[g.over_priority],
                           np.zeros_like(g.under_priority), np.zeros_like(g.over_priority))
    model = replace(p.model, goals=goals)
    r = weighted.run(model, get_backend(backend), SolveOptions())
    assert r.objective == pytest.approx(expected, rel=1e-6)


def test_generator_roundtrip_is_the_shipped_data(instance):
    """problems/data/production_planning is the tiny instance of benchmarks/production.py (seed 1)."""
    gen = production.generate(4, 6, 2, seed=1)
    assert (instance.P, instance.T, instance.R) == (4, 6, 2)
    assert instance.D == pytest.approx(gen.D)
    assert instance.PT == pytest.approx(gen.PT)
