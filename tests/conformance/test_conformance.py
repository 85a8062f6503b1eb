"""The solver conformance suite: every case of :mod:`tests.conformance.matrix` on every solver and
backend pair installed here (a pair that is not, or that the backend has no route to, is a skip
with its reason).  ``python -m tests.conformance.table`` prints the same matrix as a table."""

import pytest

from tests.conformance.matrix import CASES, PAIRS, skip_reason


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("solver,backend", PAIRS, ids=[f"{s}-{b}" for s, b in PAIRS])
def test_conformance(solver, backend, case):
    why = skip_reason(solver, backend)
    if why:
        pytest.skip(f"{solver} on {backend}: {why}")
    case.check(solver, backend)
