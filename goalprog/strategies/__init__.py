"""Solution strategies: one module per goal-programming method, and a registry.

A strategy is a function ``run(model, backend, options, lock=None, accept_feasible=False,
settings=None) -> Result`` (``settings``: :class:`~goalprog.strategies.common.Settings`) that
never mutates the model it is given.
"""

from __future__ import annotations

from ..errors import GoalProgError, did_you_mean

_REGISTRY = {
    "weighted": "goalprog.strategies.weighted",
    "preemptive": "goalprog.strategies.preemptive",
    "chebyshev": "goalprog.strategies.chebyshev",
    "extended": "goalprog.strategies.extended",
}

ALIASES = {"lexicographic": "preemptive", "minmax": "chebyshev"}


def method_names() -> tuple[str, ...]:
    return tuple(_REGISTRY)


def get_strategy(name: str):
    """The ``run`` function of method ``name``; raises :class:`~goalprog.errors.GoalProgError` if unknown."""
    import importlib

    key = ALIASES.get(name, name)
    if key not in _REGISTRY:
        raise GoalProgError(f"unknown method {name!r}",
                            hint=did_you_mean(name, list(_REGISTRY) + list(ALIASES)) or f"choose one of {', '.join(_REGISTRY)}")
    return importlib.import_module(_REGISTRY[key]).run
