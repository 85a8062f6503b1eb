"""Solution strategies: one module per goal-programming method, and a registry.

A strategy is a function ``run(model, backend, options, lock=None, accept_feasible=False,
settings=None) -> Result`` (``settings``: :class:`~goalprog.solve.strategies.common.Settings`) that
never mutates the model it is given.
"""

from __future__ import annotations

from ...core.errors import GoalProgError, did_you_mean

_REGISTRY = {
    "weighted": "goalprog.solve.strategies.weighted",
    "preemptive": "goalprog.solve.strategies.preemptive",
    "chebyshev": "goalprog.solve.strategies.chebyshev",
    "extended": "goalprog.solve.strategies.extended",
    "meta": "goalprog.solve.strategies.meta",
    "fewest_unmet": "goalprog.solve.strategies.fewest_unmet",
}

ALIASES = {"lexicographic": "preemptive", "minmax": "chebyshev"}


def method_names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def get_strategy(name: str):
    """The ``run`` function of method ``name``; raises :class:`~goalprog.core.errors.GoalProgError` if unknown."""
    import importlib

    key = ALIASES.get(name, name)
    if key not in _REGISTRY:
        raise GoalProgError(f"unknown method {name!r}",
                            hint=did_you_mean(name, list(_REGISTRY) + list(ALIASES)) or f"choose one of {', '.join(_REGISTRY)}")
    return importlib.import_module(_REGISTRY[key]).run
