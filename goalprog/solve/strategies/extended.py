"""Extended goal programming: a mix of Chebyshev (min-max) and weighted GP.

    min  (1 - lambda) * D + lambda * sum_i (w_i / k_i) * d_i
    s.t. (w_i / k_i) * d_i <= D   for every penalised deviation,   goal rows, hard constraints

``lambda = 1`` is weighted GP (the most total achievement), ``lambda = 0`` Chebyshev GP (the most
balance); values between trade one for the other.  Set it with ``solve: {method: extended,
lambda: 0.5}``.  The extended *lexicographic* form gives each priority level its own lambda:
``solve: {method: preemptive, levels: {1: {achievement: extended, lambda: 0.3}}}``.
References: Romero, "Extended lexicographic goal programming: a unifying approach", *Omega* 29
(2001) 63-71; Jones & Tamiz, *Practical Goal Programming* (2010), section 2.4.
"""

from __future__ import annotations

from ..backends.base import Backend, SolveOptions
from ...model.ir import LinearModel
from ..results import Result
from .common import LockTolerance, Settings
from .weighted import one_stage


def run(model: LinearModel, backend: Backend, options: SolveOptions, lock: LockTolerance | None = None,
        accept_feasible: bool = False, settings: Settings | None = None) -> Result:
    """Solve ``model`` by extended GP with ``settings.lam``; returns a :class:`~goalprog.solve.results.Result`."""
    settings = settings or Settings()
    return one_stage(model, backend, options, settings, "extended", settings.lam)
