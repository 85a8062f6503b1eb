"""Chebyshev (min-max) goal programming: minimise the largest weighted, normalised unwanted deviation.

    min  D
    s.t. (w_i / k_i) * d_i <= D     for every penalised deviation d_i (a piecewise penalty: its value)
         goal rows, hard constraints,   D >= 0

It favours balance between goals over the total: no goal is left far behind to help the others.
Normalisation (``normalize: percent`` or ``zero_one``) is usually needed for the deviations to be
comparable.  References: Flavell, "A new goal programming formulation", *Omega* 4 (1976) 731-732;
Jones & Tamiz, *Practical Goal Programming* (2010), section 2.3.  Within a preemptive chain, a
level may use it too (``solve: {levels: {2: {achievement: chebyshev}}}``).
"""

from __future__ import annotations

from ..backends.base import Backend, SolveOptions
from ...model.ir import LinearModel
from ..results import Result
from .common import LockTolerance, Settings
from .weighted import one_stage


def run(model: LinearModel, backend: Backend, options: SolveOptions, lock: LockTolerance | None = None,
        accept_feasible: bool = False, settings: Settings | None = None) -> Result:
    """Solve ``model`` by Chebyshev GP; returns a :class:`~goalprog.solve.results.Result` (method ``chebyshev``)."""
    return one_stage(model, backend, options, settings or Settings(), "chebyshev", 0.0)
