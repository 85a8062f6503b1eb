"""The expected answers of the library problems, one module per problem file.

Each module here holds an independent reference for ``problems/<name>.yaml`` (a published answer,
hand arithmetic, or a goal program written by hand in PuLP from the same CSV files, never
goalprog's own output) and a dict ``CASE`` that tells the shared harness
(``tests/library/test_library_problems.py``) what to check.  Keys of ``CASE``:

``file``
    the problem file under ``problems/``.
``levels``
    the expected level values of the preemptive solve (a list, or a function returning one, run
    once per process); omit for a file that is not preemptive.  ``levels_source`` says where they
    come from.
``level_columns``
    the columns of ``Result.levels`` (and the keys of the JSON levels) compared with ``levels``:
    ``stage_value`` (each level's own optimum) and/or ``achievement`` (the final plan's value).
``level_tolerance``
    ``pytest.approx`` keywords for that comparison.
``weighted_objective``
    the expected objective of ``solve(method="weighted")`` (a number or a function), with
    ``weighted_source``; compared at rel 1e-6, abs 1e-6.  Omit to skip.
``table_names``
    labels the ``goalprog solve`` table must show (goal and variable names).
``backends``
    the backends to run on (default: pulp, pyomo and highs).

Adding a library problem means adding a module here with its reference and ``CASE``; the harness
finds it by itself.  Checks only one problem needs stay in ``tests/library/test_<name>.py``.
"""

import importlib
import pkgutil

KEYS = {"file", "levels", "levels_source", "level_columns", "level_tolerance", "weighted_objective",
        "weighted_source", "table_names", "backends"}


def load_cases():
    """``{module name: CASE}`` of every module in this package, in name order."""
    cases = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        cases[info.name] = module.CASE
    return cases


def resolve(value):
    """A case's expected value: called if it is a function (a reference model), else as given."""
    return value() if callable(value) else value
