"""goalprog: goal programming from YAML problem files.

>>> import goalprog
>>> problem = goalprog.load("problems/clothing_factory_weighted.yaml")   # doctest: +SKIP
>>> result = problem.solve(backend="pulp")                                # doctest: +SKIP
>>> result.goals[["goal", "value", "under", "over"]]                      # doctest: +SKIP

Public API: :func:`load`, :func:`from_dict`, :class:`Model` (a goal program built in Python),
:class:`Problem`, :class:`Result`, the statuses
(:class:`Status`) and the exception hierarchy rooted at :class:`GoalProgError`.
"""

from __future__ import annotations

import importlib
import sys
from typing import TYPE_CHECKING

__version__ = "0.1.0"

__all__ = [
    "load", "from_dict", "Problem", "Result", "Status", "GoalProgError", "ArgumentError", "ProblemFileError", "YamlError",
    "SchemaError", "DataError", "ExpressionError", "BackendError", "SolverError", "SourceLocation", "__version__",
    "SizeLimitError", "Model",
]

# The public names are imported on first use (PEP 562), so that ``import goalprog`` (and with it
# the command line's ``goalprog --help``) does not pay for numpy, pydantic and the compiler until a
# problem is loaded.  ``goalprog.load`` and ``from goalprog import Problem`` work as before.
_EXPORTS = {
    "load": "problem", "from_dict": "problem", "Problem": "problem", "Result": "solve.results", "Model": "model_builder",
    "Status": "core.status", **dict.fromkeys(
        ("GoalProgError", "ArgumentError", "ProblemFileError", "YamlError", "SchemaError", "DataError",
         "ExpressionError", "BackendError", "SolverError", "SourceLocation", "SizeLimitError"), "core.errors"),
}

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from .core.errors import (ArgumentError, BackendError, DataError, ExpressionError, GoalProgError,
                              ProblemFileError, SchemaError, SizeLimitError, SolverError, SourceLocation, YamlError)
    from .core.status import Status
    from .model_builder import Model
    from .problem import Problem, from_dict, load
    from .solve.results import Result


# Import paths the documentation gave for modules that moved into the stage packages
# (docs/architecture.md): ``import goalprog.errors``, ``from goalprog.report import write_html``,
# ``from goalprog.sweep import sweep`` ... give the moved module itself (the same module object),
# with a DeprecationWarning naming the new path (once per process: the first import of an old path).
# An import hook rather than files at the old paths, so that git still sees those files as moved.
_MOVED = {"errors": "core.errors", "report": "output.report", "sweep": "analysis.sweep",
          "overrides": "spec.overrides", "crosscheck": "analysis.crosscheck", "pareto": "solve.pareto"}


def _importer_level() -> int:
    """The ``stacklevel`` that points a warning raised in :class:`_MovedModules` at the line that
    imported: past this file's frames and importlib's (``importlib/__init__.py`` runs
    ``import_module`` for ``from goalprog import report``; the warnings module itself skips only
    importlib's ``_bootstrap`` frames, and counts levels the same way)."""
    def bootstrap(f):
        return "importlib" in f.f_code.co_filename and "_bootstrap" in f.f_code.co_filename

    f, level = sys._getframe(2), 1  # the frame that calls warnings.warn
    while f is not None and (f.f_code.co_filename == __file__ or "importlib" in f.f_code.co_filename):
        f = f.f_back
        while f is not None and bootstrap(f):
            f = f.f_back
        level += 1
    return level


class _MovedModules:
    """A meta path finder and loader for :data:`_MOVED` (old dotted name -> the module now there)."""

    def find_spec(self, fullname, path=None, target=None):
        package, _, name = fullname.rpartition(".")
        if package == __name__ and name in _MOVED:
            from importlib.machinery import ModuleSpec

            return ModuleSpec(fullname, self)
        return None

    def create_module(self, spec):
        import warnings

        new = f"{__name__}.{_MOVED[spec.name.rpartition('.')[2]]}"
        # attributed to the importing line, so default filters show it in the user's __main__
        warnings.warn(f"{spec.name} is deprecated and will be removed: import {new} (the same module)",
                      DeprecationWarning, stacklevel=_importer_level())
        module = importlib.import_module(new)
        spec.loader_state = module.__spec__  # the import system sets module.__spec__ = spec next
        return module

    def exec_module(self, module):
        spec = module.__spec__
        module.__spec__ = spec.loader_state


if not any(isinstance(f, _MovedModules) for f in sys.meta_path):
    sys.meta_path.append(_MovedModules())


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
