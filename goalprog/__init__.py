"""goalprog: goal programming from YAML problem files.

>>> import goalprog
>>> problem = goalprog.load("problems/clothing_factory_weighted.yaml")   # doctest: +SKIP
>>> result = problem.solve(backend="pulp")                                # doctest: +SKIP
>>> result.goals[["goal", "value", "under", "over"]]                      # doctest: +SKIP

Public API: :func:`load`, :func:`from_dict`, :class:`Problem`, :class:`Result`, the statuses
(:class:`Status`) and the exception hierarchy rooted at :class:`GoalProgError`.
"""

from .errors import (ArgumentError, BackendError, DataError, ExpressionError, GoalProgError, ProblemFileError, SchemaError,
                     SolverError, SourceLocation, YamlError)
from .problem import Problem, from_dict, load
from .results import Result
from .status import Status

__version__ = "0.1.0"

__all__ = [
    "load", "from_dict", "Problem", "Result", "Status", "GoalProgError", "ArgumentError", "ProblemFileError", "YamlError",
    "SchemaError", "DataError", "ExpressionError", "BackendError", "SolverError", "SourceLocation", "__version__",
]
