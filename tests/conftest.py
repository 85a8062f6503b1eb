"""Shared fixtures: paths to the shipped examples, the backends every acceptance test runs on."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROBLEMS = ROOT / "problems"

# Both modelling backends are first-class; the direct HiGHS backend is checked too.
BACKENDS = ["pulp", "pyomo", "highs"]


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def problems_dir():
    return PROBLEMS
