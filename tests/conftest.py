"""Shared fixtures: paths to the shipped examples, the backends every acceptance test runs on.

Shared constants live in :mod:`tests.helpers`; the markers are registered in pyproject.toml.
"""

import pytest

from tests.helpers import BACKENDS, PROBLEMS


@pytest.fixture(params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture
def problems_dir():
    return PROBLEMS
