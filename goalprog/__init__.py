"""goalprog: goal programming from YAML problem files.

>>> import goalprog
>>> problem = goalprog.load("problems/clothing_factory_weighted.yaml")   # doctest: +SKIP
>>> result = problem.solve(backend="pulp")                                # doctest: +SKIP
>>> result.goals[["goal", "value", "under", "over"]]                      # doctest: +SKIP

Public API: :func:`load`, :func:`from_dict`, :class:`Problem`, :class:`Result`, the statuses
(:class:`Status`) and the exception hierarchy rooted at :class:`GoalProgError`.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = [
    "load", "from_dict", "Problem", "Result", "Status", "GoalProgError", "ArgumentError", "ProblemFileError", "YamlError",
    "SchemaError", "DataError", "ExpressionError", "BackendError", "SolverError", "SourceLocation", "__version__",
    "SizeLimitError",
]

# The public names are imported on first use (PEP 562), so that ``import goalprog`` (and with it
# the command line's ``goalprog --help``) does not pay for numpy, pydantic and the compiler until a
# problem is loaded.  ``goalprog.load`` and ``from goalprog import Problem`` work as before.
_EXPORTS = {
    "load": "problem", "from_dict": "problem", "Problem": "problem", "Result": "solve.results",
    "Status": "core.status", **dict.fromkeys(
        ("GoalProgError", "ArgumentError", "ProblemFileError", "YamlError", "SchemaError", "DataError",
         "ExpressionError", "BackendError", "SolverError", "SourceLocation", "SizeLimitError"), "core.errors"),
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from .core.errors import (ArgumentError, BackendError, DataError, ExpressionError, GoalProgError,
                              ProblemFileError, SchemaError, SizeLimitError, SolverError, SourceLocation, YamlError)
    from .core.status import Status
    from .problem import Problem, from_dict, load
    from .solve.results import Result


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):  # a submodule used as an attribute (goalprog.core.errors.X) after `import goalprog`
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
