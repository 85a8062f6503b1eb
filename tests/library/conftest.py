"""Fixtures of the per-problem library tests whose module names ``FILE`` and ``build`` (the
hand-written PuLP model of tests/library/cases/): ``expected`` is the hand-written chain's
``(level values, plan)``, ``result`` goalprog's default preemptive solve on each modelling backend.
A module that defines its own fixture of the same name keeps it."""

import pytest

import goalprog
from tests.library import chain


@pytest.fixture(scope="module")
def expected(request):
    return chain.hand_written_chain(request.module.build)


@pytest.fixture(scope="module", params=["pulp", "pyomo"])
def result(request):
    r = goalprog.load(request.module.FILE).solve(backend=request.param)
    assert r.status is goalprog.Status.OPTIMAL, r.message
    return r
