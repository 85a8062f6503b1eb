"""The schema of problem format 1, as frozen pydantic models (``extra="forbid"``).

See ``docs/format.md`` for the reference.  :func:`validate_document` turns a loaded
:class:`~goalprog.spec.loader.Document` into a :class:`ProblemSpec`, reporting every schema issue
at once with file:line:col and a "did you mean" hint for misspelt keys.

A number field accepts a YAML number or a text expression over parameters (``1 / demand[p]``);
those are checked later, when the problem is bound to its data.

This module is the schema's public face: the models are in :mod:`goalprog.spec.models`, the
validation and its messages in :mod:`goalprog.spec.validation`, what a file may ask of a solver in
:mod:`goalprog.spec.trust`; every name is importable from here.
"""

from __future__ import annotations

from .models import (BACKENDS, HUGE, MAX_PRIORITY, METHODS, NORMALIZATIONS, SUPPORTED_FORMATS, TINY, ConstraintSpec,
                     DeviationSpec,
                     ExpressionSpec, GoalSpec, LevelSpec, LockSpec, Normalize, Number, ParamSpec, PenaltySegment,
                     Priority, ProblemSpec, SetSpec, SetTableSpec, SolveSpec, VariableSpec)
from .trust import check_solve_trust
from .validation import short_repr, validate_document

__all__ = ["validate_document", "check_solve_trust", "short_repr", "ProblemSpec", "SolveSpec", "LockSpec", "LevelSpec",
           "GoalSpec", "DeviationSpec", "PenaltySegment", "VariableSpec", "ExpressionSpec", "ConstraintSpec",
           "ParamSpec", "SetTableSpec", "SetSpec", "Number", "Priority", "Normalize", "NORMALIZATIONS",
           "SUPPORTED_FORMATS", "METHODS", "BACKENDS", "MAX_PRIORITY", "TINY", "HUGE"]
