"""``method: fewest_unmet``: the fewest goals not met, then the least total weighted unwanted
deviation among the plans that leave that few unmet.  A shorthand for the meta-goals
``[{of: unmet, at_most: 0, priority: 1}, {of: total, at_most: 0, priority: 2}]`` (Rodríguez Uría,
Caballero, Ruiz & Romero, *EJOR* 136 (2002) 422-429; see :mod:`.meta`)."""

from __future__ import annotations

from ..backends.base import Backend, SolveOptions
from ...model.ir import LinearModel
from ..results import Result
from .common import LockTolerance, Settings


def run(model: LinearModel, backend: Backend, options: SolveOptions, lock: LockTolerance | None = None,
        accept_feasible: bool = False, settings: Settings | None = None) -> Result:
    """Solve ``model`` by the fewest unmet goals, then the least total deviation (see the module)."""
    from ..metagoals import FEWEST_UNMET
    from .meta import solve_meta

    return solve_meta(model, backend, options, lock, accept_feasible, settings, FEWEST_UNMET, "fewest_unmet")
